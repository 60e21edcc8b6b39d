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

# 3. A correct fix does not fail on SQLite's stale schema: upserts invoked after
#    the fix re-created their unique index succeed, on connections whose cached
#    statement was prepared before (they fail to re-prepare through the incident).
S=tests/fixtures/stale-schema
check "stale schema: the re-created index serves every later upsert, seeds 1..20" \
	sh -c "'$M' run $S --fix fixes/recreate-index.sql --seeds 1..20 | grep -q '20 runs, 20 pass, 0 fail'"
check "  while the incident's upserts fail as they should" \
	sh -c "'$M' run $S --fix fixes/recreate-index.sql --json | grep -q '\"top_failure_message\":null' && '$M' run $S --fix fixes/recreate-index.sql | grep -q 'v1 failed  *0  *[1-9]'"
pgcheck "stale schema: the same on PostgreSQL" \
	sh -c "'$M' run $S --db '$pg' --fix fixes/recreate-index.sql | grep -q 'Verdict: PASS'"

echo "# $n fidelity checks"
