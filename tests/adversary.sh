#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile and broken input must not PASS.  tests/adversary holds a scenario
# and fixes written to fake a verdict (the backup, TEMP objects, the search
# path, views, transactions left open, triggers, the history), each set
# against its '-- @expect' lines by mdrill check on SQLite and PostgreSQL,
# beside an honest fix that must pass; then migrations that smuggle
# directives into what try and scaffold paste, templates that break instead
# of failing, and the CSV export of a probe that fails.
# Prints "ok N - ..." / "not ok N - ...".
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-adversary-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
pg=${MDRILL_PG_URL:-}
A=tests/adversary

# check's lines as checks of this script: every attack fails, the honest fixes pass, on each engine.
engines=sqlite
[ -n "$pg" ] && engines=sqlite,postgres
"$M" check "$A" --engines "$engines" ${pg:+--db "$pg"} >"$tmp/check" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok   "*) n=$((n + 1)); echo "ok $n - ${line#ok   }" ;;
	"FAIL "*) n=$((n + 1)); echo "not ok $n - ${line#FAIL }" ;;
	esac
done <"$tmp/check"
check "mdrill check over the attacks: every expectation met (exit 0)" test "$rc" = 0
check "  on each engine asked for" sh -c "[ \$(grep -c '^ok .* on sqlite' '$tmp/check') -ge 12 ]"
[ -n "$pg" ] || skip "  and on postgres" "no PostgreSQL server"
[ -n "$pg" ] && check "  and on postgres" sh -c "[ \$(grep -c '^ok .* on postgres' '$tmp/check') -ge 12 ]"

# The history hidden behind a TEMP copy fails for the history, on both engines.
for db in sqlite ${pg:+postgres}; do
	set --
	[ $db = postgres ] && set -- --db "$pg"
	"$M" run "$A" --fix fixes/temp-history.sql --json "$@" >"$tmp/h.json" 2>"$tmp/e"
	check "$db: a history emptied behind a TEMP copy fails, for the history" python3 -c "
import json; d = json.load(open('$tmp/h.json'))
assert d['verdict'] == 'fail', d['verdict']
assert any('migration history' in r for r in d['reasons']), d['reasons']"
done

# A probe that fails outright: every fact of its table lost, and the CSV says why (make asan: no freed memory).
"$M" run "$A" --fix fixes/drop-probed-table.sql --csv "$tmp/csv" --json >"$tmp/d.json" 2>"$tmp/e"
check "a dropped table's facts are lost rows in findings.csv, with the probe's error" python3 -c "
import csv
rows = [r for r in csv.DictReader(open('$tmp/csv/findings.csv')) if r['table'] == 'notes']
assert len(rows) == 40, len(rows)
assert all(r['class'] == 'lost_row' and 'no such table: notes' in r['why'] for r in rows), rows[0]"

# Directives smuggled into a migration that try pastes into its scenario.
mkdir -p "$tmp/hist"
cp tests/fixtures/scaffold/golang/*.up.sql "$tmp/hist/"
drop='ALTER TABLE customers DROP COLUMN phone;'
printf '%s\n--\f@migration bad\nSELECT 1;\n' "$drop" >"$tmp/ff.sql"
printf '%s\n--\t@migration bad\nSELECT 1;\n' "$drop" >"$tmp/tab.sql"
printf "%s\nSELECT '\n-- @migration bad\nSELECT 1;\n' AS x;\n" "$drop" >"$tmp/literal.sql"
printf '%s\n' "$drop" >"$tmp/newline
-- @migration bad
.sql"
# A line that is a directive by mdrill's one definition is refused in a migration (exit 2); one
# that is not is a comment, and the drop is drilled (exit 1).  Never a pass.
check "try: a column drop with a form-feed 'directive' after it still fails (exit 1)" sh -c "'$M' try --migrations '$tmp/hist' --new '$tmp/ff.sql' >'$tmp/o' 2>&1; [ \$? -eq 1 ]"
check "  old code's writes of customers.phone are what fail" grep -q "customers.*phone" "$tmp/o"
for f in tab literal; do
	check "try: a column drop with a directive after it ($f) is refused, naming its line (exit 2)" sh -c "'$M' try --migrations '$tmp/hist' --new '$tmp/$f.sql' >'$tmp/o' 2>&1; [ \$? -eq 2 ] && grep -q \"$f.sql:[23]: unknown directive '@migration'\" '$tmp/o'"
done
check "try: a new migration whose file name holds a line break and a directive still fails (exit 1)" sh -c "'$M' try --migrations '$tmp/hist' --new '$tmp/newline
-- @migration bad
.sql' >'$tmp/o' 2>&1; rc=\$?; tail -2 '$tmp/o'; [ \$rc -eq 1 ]"
"$M" scaffold --migrations "$tmp/hist" --new "$tmp/ff.sql" -o "$tmp/scaf" >/dev/null 2>&1
check "scaffold: the hidden line is a comment of the migration, the drop its statement" sh -c "grep -q '^ALTER TABLE customers DROP COLUMN phone;' '$tmp/scaf/scenario.drill' && [ \$(grep -c '^-- @migration bad' '$tmp/scaf/scenario.drill') -eq 1 ]"

# Templates that break are no expected failure.
mkdir -p "$tmp/broken/fixes"
cp scenarios/phone-not-null/scenario.drill "$tmp/broken/"
printf -- '-- @expect verdict=fail\nALTER TABLE users ALTR COLUMN phone_number DROP NOT NULL;\n' >"$tmp/broken/fixes/typo.sql"
printf -- '-- @expect apply=fail:syntax verdict=fail\nALTER TABLE users ALTR COLUMN phone_number DROP NOT NULL;\n' >"$tmp/broken/fixes/typo-said.sql"
printf -- '-- @expect apply=fail:unique verdict=fail\nALTER TABLE users ALTR COLUMN phone_number DROP NOT NULL;\n' >"$tmp/broken/fixes/typo-other-class.sql"
"$M" check "$tmp/broken/fixes/typo.sql" >"$tmp/o" 2>&1
check "check: a template dying of a syntax error does not meet verdict=fail (exit 1)" sh -c "[ $? -eq 1 ] && grep -q \"^FAIL .*typo.sql on sqlite: verdict=fail; the fix did not apply (statement 1, line 2: syntax: \" '$tmp/o' && grep -q \"which no '-- @expect apply=fail' allows\" '$tmp/o'"
check "check: apply=fail:syntax says it, and is met (exit 0)" sh -c "'$M' check '$tmp/broken/fixes/typo-said.sql' | grep -q '^ok .*apply=fail:syntax'"
check "check: apply=fail of another class is not met (exit 1)" sh -c "'$M' check '$tmp/broken/fixes/typo-other-class.sql' >'$tmp/o'; [ \$? -eq 1 ] && grep -q 'expected apply=fail:unique' '$tmp/o'"
printf -- '-- @expect nonsense=1\nSELECT 1;\n' >"$tmp/broken/fixes/unreadable.sql"
check "check: an expectation it cannot read is exit 2" sh -c "'$M' check '$tmp/broken/fixes/unreadable.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'cannot read' '$tmp/e'"
echo "# $n adversary checks"
