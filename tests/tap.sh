# SPDX-License-Identifier: MIT
# What the test scripts share, sourced by each: checks that print "ok N -
# what", "not ok N - what" (with the first lines of what the command said)
# or "SKIPPED N - what (why)", counted in n.  A script sets n=0, tmp (its
# scratch directory) and M (the mdrill binary) before its first check.

check() { # check WHAT COMMAND...: passes when the command succeeds
	n=$((n + 1))
	what=$1
	shift
	# A check that needs python3 is SKIPPED without it, and counted as such.
	case "$*" in *python3*)
		if ! command -v python3 >/dev/null; then echo "SKIPPED $n - $what (no python3)"; return; fi ;;
	esac
	if "$@" >"$tmp/.tap-check.out" 2>&1; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		sed 's/^/#   /' "$tmp/.tap-check.out" | head -5
	fi
}

skip() { # skip WHAT WHY: a check this machine cannot run, counted
	n=$((n + 1))
	echo "SKIPPED $n - $1 ($2)"
}

pgcheck() { # like check, but SKIPPED without a server
	if [ -z "${MDRILL_PG_URL:-}" ]; then skip "$1" "no PostgreSQL server"; return; fi
	check "$@"
}

status_is() { # status_is WANT OUT ERR ARGS...: run mdrill, keep its output
	want=$1 out=$2 err=$3
	shift 3
	"$M" "$@" >"$out" 2>"$err"
	[ $? -eq "$want" ]
}

# Nothing of a drill's left in the private $TMPDIR, or on the server.
no_drill_dirs() { [ -z "$(ls -A "$TMPDIR")" ]; }
pg_dbs() { psql "$MDRILL_PG_URL" -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE 'mdrill\_%'"; }
no_pg_dbs() { [ "$(pg_dbs)" = 0 ]; }
