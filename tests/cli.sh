#!/bin/sh
# Command-line tests: exit statuses, error messages, determinism of the
# JSON, scenarios kept elsewhere, --keep, Ctrl-C and the removal of every
# disposable database.  Prints "ok N - what" or "not ok N - what" per check.
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-cli-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT

check() { # check WHAT COMMAND...: passes when the command succeeds
	n=$((n + 1))
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi
}

status_is() { # status_is WANT OUT ERR ARGS...: run mdrill, keep output
	want=$1 out=$2 err=$3
	shift 3
	"$M" "$@" >"$out" 2>"$err"
	[ $? -eq "$want" ]
}

no_drill_dirs() { [ -z "$(ls -A "$TMPDIR")" ]; }

check "no arguments is a usage error" status_is 2 "$tmp/o" "$tmp/e"
check "help exits 0" status_is 0 "$tmp/o" "$tmp/e" help
check "list shows phone-not-null" sh -c "'$M' list | grep -q '^phone-not-null '"
check "show prints the story and timeline" sh -c "'$M' show phone-not-null | grep -q 'migrate bad'"
check "unknown scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" run nope --down
check "  and names it" grep -q "no scenario 'nope'" "$tmp/e"
check "run without a fix is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null
check "missing fix file is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --fix nope.sql
check "  and names it" grep -q "no fix file 'nope.sql'" "$tmp/e"
check "unknown --set is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --set nope=1
check "bad --seed is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --seed x

# A malformed scenario: FILE:LINE and what was expected, exit 2, nothing runs.
mkdir -p "$tmp/bad"
sed 's/^-- at :fix_at fix$/-- at :fix_at fixx/' scenarios/phone-not-null/scenario.drill >"$tmp/bad/scenario.drill"
line=$(grep -n 'fixx' "$tmp/bad/scenario.drill" | cut -d: -f1)
check "malformed scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" run "$tmp/bad" --down
check "  with FILE:LINE and what was expected" grep -q "$tmp/bad/scenario.drill:$line: unknown action 'fixx' (expected start, deploy, migrate, fix or end)" "$tmp/e"
check "  and runs nothing" no_drill_dirs

# A fix that is not SQL the engine accepts: a scored outcome, not a crash.
printf 'ALTER TABLE nope ADD COLUMN x TEXT;\n' >"$tmp/broken.sql"
check "a failing fix is a verdict (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --fix "$tmp/broken.sql" --set rows=100
check "  naming the statement" grep -q "failed at statement 1" "$tmp/o"

# The demo's two drills: the down migration fails, the roll-forward passes.
check "down migration fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --down
check "  with phone numbers lost in the incident window" grep -q "^  incident .* [1-9][0-9]* *0 *0 *0\.[0-9]*$" "$tmp/o"
check "make-nullable passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run phone-not-null --fix fixes/make-nullable.sql
check "  no colour when not on a terminal" sh -c "! grep -q \"$(printf '\033')\" '$tmp/o'"
check "wrong fix fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --fix fixes/rebuild-without-transaction.sql

# Determinism: the same seed prints the same JSON, byte for byte.
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 5 --json >"$tmp/a.json"
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 5 --json >"$tmp/b.json"
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 6 --json >"$tmp/c.json"
check "same seed, identical JSON" cmp "$tmp/a.json" "$tmp/b.json"
check "another seed, other JSON" sh -c "! cmp -s '$tmp/a.json' '$tmp/c.json'"
if command -v python3 >/dev/null 2>&1; then
	check "JSON parses with the documented fields" python3 -c "
import json, sys
d = json.load(open('$tmp/a.json'))
for k in ('scenario', 'engine', 'seed', 'fix', 'preservation', 'phases', 'blocking', 'verdict', 'score'):
    assert k in d, k
for k in ('expected', 'preserved', 'lost_rows', 'lost_fields', 'corrupted', 'phantom', 'ratio'):
    assert k in d['preservation'], k
for k in ('applied', 'statements', 'failed_statement', 'error'):
    assert k in d['fix'], k
assert d['verdict'] == 'pass' and d['preservation']['ratio'] == 1.0
assert all(set(p) >= {'name', 'version', 'committed', 'failed'} for p in d['phases'])
assert set(d['blocking']) >= {'max_ticks', 'total_ticks'}
"
fi

# A scenario kept in another directory runs, by directory or by file.
cp -r tests/fixtures/tiny "$tmp/elsewhere"
check "scenario in another directory runs" status_is 0 "$tmp/o" "$tmp/e" run "$tmp/elsewhere" --fix fixes/rename-back.sql
check "  and by its .drill file" status_is 0 "$tmp/o" "$tmp/e" run "$tmp/elsewhere/scenario.drill" --fix "$tmp/elsewhere/fixes/rename-back.sql"
check "every disposable database is gone" no_drill_dirs

# --keep keeps the database and says where.
"$M" run tests/fixtures/tiny --fix fixes/rename-back.sql --keep >"$tmp/o" 2>"$tmp/e"
kept=$(sed -n 's/^mdrill: kept the drill database at //p' "$tmp/e")
check "--keep prints the path" test -n "$kept"
check "  and the database is there" test -f "$kept"
check "  with the drill's history" sh -c "sqlite3 '$kept' 'SELECT name FROM schema_migrations ORDER BY version' | tr '\n' ' ' | grep -q 'schema bad fix'"
rm -rf "$(dirname "$kept")"

# Ctrl-C: exit 130 and nothing left behind.
"$M" run phone-not-null --down --set rows=200000 --set end_at=100000000 >"$tmp/o" 2>"$tmp/e" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
check "Ctrl-C exits 130" test "$rc" -eq 130
check "  and removes the database" no_drill_dirs
echo "# $n checks"
