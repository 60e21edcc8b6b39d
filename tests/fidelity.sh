#!/bin/sh
# Fidelity: scenarios whose right answer was worked out by hand, written the
# way an instructor outside this repository writes them, each run as a user
# runs it.  Prints "ok N - what" or "not ok N - what" per check, and the
# closing count.
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-fidelity-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT

check() { # check WHAT COMMAND...: passes when the command succeeds
	n=$((n + 1))
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi
}
pgcheck() { # like check, but SKIPPED without a server
	if [ -z "${MDRILL_PG_URL:-}" ]; then n=$((n + 1)); echo "SKIPPED $n - $1 (no PostgreSQL server)"; return; fi
	check "$@"
}
pg=${MDRILL_PG_URL:-}

# 1. The backup is taken where the bad migration starts to lock, not at its bare BEGIN.
B=tests/fixtures/backup-gap
check "backup gap: restoring the missing keys passes seeds 1..50 on SQLite" \
	sh -c "'$M' run $B --fix fixes/restore-missing.sql --seeds 1..50 | grep -q '50 runs, 50 pass, 0 fail'"
pgcheck "backup gap: and seeds 1..5 on PostgreSQL" \
	sh -c "'$M' run $B --db '$pg' --fix fixes/restore-missing.sql --seeds 1..5 | grep -q '5 runs, 5 pass, 0 fail'"

echo "# $n fidelity checks"
