#!/bin/sh
# SPDX-License-Identifier: MIT
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

. "$(dirname "$0")/tap.sh"
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

# 2. Time that reflects work: one statement over a 200,000-row table holds the
#    writers for as long as it works (SQLite: its virtual-machine steps; on
#    PostgreSQL ticks pass while the server works).
T=tests/fixtures/big-table
blocked() { # blocked ARGS...: the longest writer wait during the fix, from the JSON
	"$M" run $T "$@" --json | python3 -c "import json, sys; print(json.load(sys.stdin)['blocking']['max_ticks'])"
}
plain=$(blocked --fix fixes/plain-index.sql)
check "work: a plain CREATE INDEX on 200,000 rows makes SQLite's writers wait (got $plain ticks)" test "$plain" -ge 10
b1=$(blocked --fix fixes/backfill.sql --set rows=100000)
b2=$(blocked --fix fixes/backfill.sql)
check "work: a one-statement backfill's wait about doubles with the rows (100,000: $b1, 200,000: $b2)" \
	python3 -c "import sys; sys.exit(not (0 < $b1 and 1.6 <= $b2 / $b1 <= 2.4))"
"$M" run $T --fix fixes/backfill.sql --set rows=50000 --json >"$tmp/w1.json"
"$M" run $T --fix fixes/backfill.sql --set rows=50000 --json >"$tmp/w2.json"
check "work: and the same seed gives the same JSON" cmp "$tmp/w1.json" "$tmp/w2.json"
if [ -n "$pg" ]; then
	pplain=$(blocked --db "$pg" --fix fixes/plain-index.sql)
	pconc=$(blocked --db "$pg" --fix fixes/concurrent-index.sql)
fi
pgcheck "work: a plain CREATE INDEX makes PostgreSQL's writers wait (got ${pplain:-})" test "${pplain:-0}" -ge 5
pgcheck "work: CREATE INDEX CONCURRENTLY keeps them near zero (got ${pconc:-})" test "${pconc:-9}" -le 2

# 4. Per-engine expectations: a fix right on one engine and wrong on another.
mkdir -p "$tmp/eng/fixes"
cp tests/fixtures/tiny/scenario.drill "$tmp/eng/"
cat >"$tmp/eng/fixes/split.sql" <<'EOT'
-- @expect verdict=pass lost=0 sqlite
-- @expect verdict=fail postgres
-- @fix sqlite
ALTER TABLE kv RENAME COLUMN val TO v;
-- @fix postgres
ALTER TABLE kv DROP COLUMN val;
ALTER TABLE kv ADD COLUMN v TEXT;
EOT
check "expect: '-- @expect verdict=pass sqlite' holds on SQLite alone (exit 0)" \
	sh -c "'$M' check '$tmp/eng' >'$tmp/o' && grep -q '^ok   .*split.sql on sqlite: verdict=pass lost=0\$' '$tmp/o'"
pgcheck "  and '-- @expect verdict=fail postgres' on PostgreSQL (exit 0)" \
	sh -c "'$M' check '$tmp/eng' --engines sqlite,postgres --db '$pg' >'$tmp/o' && grep -q '^ok   .*split.sql on postgres: verdict=fail\$' '$tmp/o' && tail -1 '$tmp/o' | grep -qx '4 passed, 0 failed'"
sed 's/^-- @expect verdict=fail postgres$//' "$tmp/eng/fixes/split.sql" >"$tmp/eng/fixes/only-sqlite.sql"
pgcheck "  a template with no expectation for an engine fails there, never passes silently" \
	sh -c "'$M' check '$tmp/eng/fixes/only-sqlite.sql' --engines postgres --db '$pg' >'$tmp/o'; [ \$? -eq 1 ] && grep -q \"no '-- @expect' lines for postgres\" '$tmp/o'"

# 5. A write that touched no row is not acknowledged: '-- @rows 1' after an
#    edit by key makes "record not found" a failed transaction.
R=tests/fixtures/rows
check "rows: edits of keys the bad migration took fail, and the right fix passes (exit 0)" \
	sh -c "'$M' run $R --fix fixes/restore-missing.sql --json >'$tmp/o' && python3 -c \"
import json
d = json.load(open('$tmp/o'))
f = [p for p in d['phases'] if p['name'] == 'incident'][0]
assert d['verdict'] == 'pass' and f['failed'] > 0, (d['verdict'], f)
\""
check "  with the error class row-count" sh -c "'$M' run $R --fix fixes/restore-missing.sql --csv '$tmp' >/dev/null && grep -q 'row-count.,.changed 0 rows where 1 was expected (record not found)' '$tmp/transactions.csv'"
mkdir -p "$tmp/r"
cp -r $R/fixes "$tmp/r/"
sed '/^-- @rows 1$/d' $R/scenario.drill >"$tmp/r/scenario.drill"
check "  without '-- @rows', those edits count as written, and the same fix fails (exit 1)" \
	sh -c "'$M' run '$tmp/r' --fix fixes/restore-missing.sql >'$tmp/o'; [ \$? -eq 1 ] && grep -q 'corrupted' '$tmp/o'"

# 6. Columns that are no facts: a seeded revision counter marked '-- @untracked'.
U=tests/fixtures/untracked
check "untracked: a bookkeeping column the probe does not return is no fact (exit 0)" \
	"$M" run $U --fix fixes/rename-back.sql
mkdir -p "$tmp/u"
cp -r $U/fixes "$tmp/u/"
sed '/^-- @untracked/d' $U/scenario.drill >"$tmp/u/scenario.drill"
check "  without the mark, the same seeded counters are lost fields (exit 1)" \
	sh -c "'$M' run '$tmp/u' --fix fixes/rename-back.sql >'$tmp/o'; [ \$? -eq 1 ] && grep -q '20 lost fields' '$tmp/o'"
sed 's/^-- @writes docs key=:id body=:body$/-- @writes docs key=:id body=:body rev=:id/' $U/scenario.drill >"$tmp/u/scenario.drill"
line=$(grep -n '^-- @writes docs' "$tmp/u/scenario.drill" | cut -d: -f1)
check "  and a transaction that declares one is exit 2, at its line" \
	sh -c "'$M' run '$tmp/u' --fix fixes/rename-back.sql 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"scenario.drill:$line: 'docs.rev' is '-- @untracked'\" '$tmp/e'"

# 7. Computed values in '\set': an e-mail from a name and a key, a code from a key.
C=tests/fixtures/computed
check "computed: values built with concat, lower, upper and substr are kept as written (exit 0)" \
	sh -c "'$M' run $C --fix fixes/rename-back.sql --csv '$tmp' >/dev/null && grep -q '\"email\",\"[a-z]*\.[a-z]*\.[0-9]*@example\.com\"' '$tmp/facts.csv' && grep -q '\"code\",\"U-[A-Z][A-Z][A-Z]-[0-9]*\"' '$tmp/facts.csv'"

# 9. A scenario's own bad migration that fails is said before anything else.
mkdir -p "$tmp/nb"
cp -r tests/fixtures/tiny/fixes "$tmp/nb/"
sed 's/^ALTER TABLE kv RENAME COLUMN v TO val;$/ALTER TABLE kv RENAME COLUMN v TO val;\
ALTER TABLE nosuch ADD COLUMN x TEXT;/' tests/fixtures/tiny/scenario.drill >"$tmp/nb/scenario.drill"
check "notice: a failing bad migration is the scorecard's first line, with statement, line and message" \
	sh -c "'$M' run '$tmp/nb' --fix fixes/rename-back.sql | head -1 | grep -qx 'Note: the bad migration failed on sqlite at statement 2 (line 30), ALTER TABLE nosuch ADD COLUMN x TEXT: no such table: nosuch; the drill goes on from the state it left'"
check "  and the JSON's notice" sh -c "'$M' run '$tmp/nb' --fix fixes/rename-back.sql --json | grep -q '\"notice\":\"the bad migration failed on sqlite at statement 2 (line 30)'"
pgcheck "  on PostgreSQL too, with its message" sh -c "'$M' run '$tmp/nb' --db '$pg' --fix fixes/rename-back.sql | head -1 | grep -q '^Note: the bad migration failed on postgres at statement 2 (line 30), .*relation \"nosuch\" does not exist'"
check "  and the reports' first lines" sh -c "'$M' run '$tmp/nb' --fix fixes/rename-back.sql --report '$tmp/nb.md' >/dev/null; '$M' run '$tmp/nb' --fix fixes/rename-back.sql --report '$tmp/nb.html' >/dev/null; sed -n 3p '$tmp/nb.md' | grep -q '^> \*\*Note:\*\* the bad migration failed on sqlite at statement 2' && grep -q '<p class=\"notice\" id=\"notice\"><strong>Note:</strong> the bad migration failed' '$tmp/nb.html'"
check "  and a drill whose bad migration ran says nothing" sh -c "'$M' run tests/fixtures/tiny --fix fixes/rename-back.sql --json | grep -q '\"notice\":null' && '$M' run tests/fixtures/tiny --fix fixes/rename-back.sql | head -1 | grep -q '^mdrill tiny'"

echo "# $n fidelity checks"
