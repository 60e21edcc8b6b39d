#!/bin/sh
# SPDX-License-Identifier: MIT
# The scenario catalogue, checked: every shipped scenario's down migration
# and, through mdrill check, its fix templates, on SQLite (seeds 1 and 2)
# and on PostgreSQL (seed 1, when MDRILL_PG_URL names a server), must come
# to what their '-- @expect' lines say.  A template without an expectation
# is a failure, never a silent pass.  Prints "ok N - ..." / "not ok N - ...".
set -u
M=${MDRILL:-./mdrill}
n=0
verdict_of() { # the exit status as a verdict word
	case $1 in 0) echo pass ;; 1) echo fail ;; *) echo "error (exit $1)" ;; esac
}
expect_line() { sed -n "s/^-- @expect $1=\(pass\|fail\)\r\{0,1\}$/\1/p" "$2" | head -1; }
# The down migration's expectation for one engine: its own line, else the plain one.
down_for() { # down_for FILE ENGINE
	e=$(sed -n "s/^-- @expect down=\(pass\|fail\) $2\r\{0,1\}$/\1/p" "$1" | head -1)
	[ -n "$e" ] && echo "$e" || expect_line down "$1"
}

one() { # one WHAT WANT ARGS...: run mdrill, compare the verdict
	what=$1 want=$2
	shift 2
	n=$((n + 1))
	"$M" "$@" >/tmp/mdrill-catalogue.$$ 2>&1
	got=$(verdict_of $?)
	if [ "$got" = "$want" ]; then
		echo "ok $n - $what: $got"
	else
		echo "not ok $n - $what: expected $want, got $got"
		sed -n '/^Verdict/,$p;/^mdrill:/p' /tmp/mdrill-catalogue.$$ | head -5 | sed 's/^/#   /'
	fi
}

for dir in scenarios/*/; do
	name=$(basename "$dir")
	[ -f "$dir/scenario.drill" ] || continue
	for engine in sqlite postgres; do
		down=$(down_for "$dir/scenario.drill" $engine)
		if [ -z "$down" ]; then
			n=$((n + 1))
			echo "not ok $n - $name declares no '-- @expect down=pass|fail' for $engine"
			down=fail
		fi
		if [ $engine = postgres ]; then
			[ -n "${MDRILL_PG_URL:-}" ] || { n=$((n + 1)); echo "SKIPPED $n - $name on postgres (no server)"; continue; }
			set -- --db "$MDRILL_PG_URL"
			seeds=1
		else
			set --
			seeds="1 2"
		fi
		for seed in $seeds; do
			one "$name, down migration, $engine, seed $seed" "$down" run "$name" --down --seed "$seed" "$@"
		done
	done
done

# The templates: mdrill check sets each against its '-- @expect' lines.
for engine in sqlite postgres; do
	if [ $engine = postgres ]; then
		[ -n "${MDRILL_PG_URL:-}" ] || { n=$((n + 1)); echo "SKIPPED $n - mdrill check on postgres (no server)"; continue; }
		seeds=1
	else
		seeds="1 2"
	fi
	for seed in $seeds; do
		if [ $engine = postgres ]; then
			"$M" check --engines postgres --db "$MDRILL_PG_URL" --seed "$seed" >/tmp/mdrill-catalogue.$$ 2>&1
		else
			"$M" check --seed "$seed" >/tmp/mdrill-catalogue.$$ 2>&1
		fi
		rc=$?
		while IFS= read -r line; do
			case $line in
			"ok   "*) n=$((n + 1)); echo "ok $n - ${line#ok   }, seed $seed" ;;
			"FAIL "*) n=$((n + 1)); echo "not ok $n - ${line#FAIL }, seed $seed" ;;
			esac
		done </tmp/mdrill-catalogue.$$
		if [ $rc -gt 1 ]; then
			n=$((n + 1))
			echo "not ok $n - mdrill check on $engine, seed $seed, could not run (exit $rc)"
			sed 's/^/#   /' /tmp/mdrill-catalogue.$$ | tail -3
		fi
	done
done
rm -f /tmp/mdrill-catalogue.$$
echo "# $n catalogue checks"
