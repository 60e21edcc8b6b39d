#!/bin/sh
# SPDX-License-Identifier: MIT
# Drilling a team's own migrations: mdrill scaffold on histories in three
# layouts (the scenario written reads back and runs on both engines), mdrill
# try (a nullable column passes, a NOT NULL one old code does not fill
# fails with old code's INSERT named; reports; a down migration's losses;
# a failure told at its file's own line; a --new already in the history),
# the layouts of Prisma, Atlas, Liquibase and nested plain directories,
# real histories of each tool (tests/fixtures/pixie, umami, hatchet,
# edp-ddm-camunda: THIRD-PARTY.md) tried on PostgreSQL, and work split
# across machines: check and swarm shards whose union is the whole run,
# and merge printing the same lines.  Prints "ok N - what" or "not ok N - what" per
# check, and the closing count.
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-scaffold-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
F=tests/fixtures/scaffold
L=tests/fixtures/layouts
pg=${MDRILL_PG_URL:-}

. "$(dirname "$0")/tap.sh"

# 1. Scaffold round trips: each layout's history into a scenario that reads back and runs on both engines.
for lay in golang flyway dbmate; do
	d="$tmp/$lay"
	check "scaffold: the $lay history into a scenario (exit 0)" status_is 0 "$tmp/o" "$tmp/e" scaffold \
		--migrations $F/$lay --new $F/new/000006_add_nickname.up.sql --down $F/new/000006_add_nickname.down.sql -o "$d"
	check "  it names the tool's history, and writes every table" sh -c "grep -q '^-- @history $(echo $lay | sed 's/golang/golang-migrate/')\$' '$d/scenario.drill' && grep -q '4 tables drilled, 1 left out' '$tmp/o'"
	# dbmate's versions are timestamps, where gaps are the rule.
	[ $lay = dbmate ] || check "  a gap in the versions is a note, not an error" grep -q "mdrill: note: .*a gap in the versions: " "$tmp/e"
	check "  lint: the engine takes its schema, seed, migrations and probes (sqlite)" status_is 0 "$tmp/o" "$tmp/e" lint "$d"
	pgcheck "  lint: and postgres" status_is 0 "$tmp/o" "$tmp/e" lint "$d" --engines postgres --db "$pg"
	check "  run: the drill runs on sqlite, its down migration losing the nicknames (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run "$d" --down
	check "    the losses named by column" grep -q "lost_field customers\[[0-9]*\]\.nickname" "$tmp/o"
	pgcheck "  run: and on postgres (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run "$d" --down --db "$pg"
done
check "scaffold: -o DIR with a scenario in it already is exit 2" status_is 2 "$tmp/o" "$tmp/e" scaffold \
	--migrations $F/golang --new $F/new/000006_add_nickname.up.sql -o "$tmp/golang"
check "  saying --force writes over it" grep -q "is there already (--force writes over it" "$tmp/e"
check "scaffold: a history statement the engine refuses is exit 2 with its file and line" status_is 2 "$tmp/o" "$tmp/e" \
	scaffold --migrations $F/broken --new $F/new/000006_add_nickname.up.sql -o "$tmp/broken"
check "  and the engine's words" grep -q "000002_oops.up.sql:2: the history fails on sqlite: no such table: nosuch" "$tmp/e"
check "scaffold: what it cannot generate is said and marked SCAFFOLD: (exit 0)" status_is 0 "$tmp/o" "$tmp/e" scaffold \
	--migrations $F/odd.sql --new $F/new/000006_add_nickname.up.sql -o "$tmp/odd"
check "  a type it has no generator for, table and column" sh -c "grep -q \"SCAFFOLD: table 'places' left out: column 'location' has type 'POINT'\" '$tmp/odd/scenario.drill' && grep -q \"note: table 'places' left out\" '$tmp/e'"
check "  a CHECK it does not read, a table without a key" sh -c "grep -q \"note: notes.body: CHECK (body GLOB '\*x\*') is not one mdrill reads\" '$tmp/e' && grep -q \"SCAFFOLD: table 'events' left out: no primary key\" '$tmp/odd/scenario.drill'"
check "scaffold: a directory of plain .sql files no tool names, in name order (exit 0)" status_is 0 "$tmp/o" "$tmp/e" scaffold \
	--migrations $F/plain --new $F/new/000006_add_nickname.up.sql -o "$tmp/plain"
check "  applied 2_ before 10_, and said so" sh -c "grep -q 'no tool.s naming: its .sql files applied in name order' '$tmp/e' && grep -n '^CREATE TABLE' '$tmp/plain/scenario.drill' | sed 's/(.*//' | tr '\n' ' ' | grep -q 'customers .*products .*orders'"
pgcheck "  and on postgres, where a foreign key needs its table first" status_is 0 "$tmp/o" "$tmp/e" lint "$tmp/plain" --engines postgres --db "$pg"
check "--tables and --weight: only those tables, weighted" sh -c "'$M' scaffold --migrations $F/golang --new $F/new/000006_add_nickname.up.sql -o '$tmp/some' --tables customers,products --weight customers=5 && grep -q '^-- @param w_customers 5\$' '$tmp/some/scenario.drill' && ! grep -q '^-- @seed orders' '$tmp/some/scenario.drill'"

# 2. try: the verdict a pull request needs.
check "try: a nullable column passes on sqlite (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try \
	--migrations $F/golang --new $F/new/000006_add_nickname.up.sql
check "  old code keeps working and nothing is lost" grep -q "^Verdict: PASS: old code keeps working and nothing is lost" "$tmp/o"
check "try: a NOT NULL column old code does not fill fails on sqlite (exit 1)" status_is 1 "$tmp/o" "$tmp/e" try \
	--migrations $F/golang --new $F/new/000006_add_tier.sqlite.up.sql --report "$tmp/r.md"
check "  naming old code's INSERT and the engine's message" grep -q "old code's customers.insert fails under the migration (.*): NOT NULL constraint failed: customers.tier (not-null)" "$tmp/o"
check "  and a Markdown report short enough for a pull request" sh -c "grep -q '^### mdrill try: FAIL' '$tmp/r.md' && grep -q '^| \`customers.insert\` |' '$tmp/r.md' && [ \$(wc -l <'$tmp/r.md') -lt 30 ]"
check "try --json: the same verdict, transaction by transaction" sh -c "'$M' try --migrations $F/flyway --new $F/new/000006_add_tier.sqlite.up.sql --json >'$tmp/t.json'; [ \$? -eq 1 ] && python3 -c \"
import json
d = json.load(open('$tmp/t.json'))
assert d['verdict'] == 'fail' and d['migration']['completed'], d
ins = [t for t in d['old_code'] if t['transaction'] == 'customers.insert'][0]
assert ins['failed_after'] > 0 and ins['failed_before'] == 0 and ins['error_class'] == 'not-null', ins
assert d['data']['lost'] == 0, d['data']
\""
check "try --down: what the down migration loses, in facts and examples (exit 1)" status_is 1 "$tmp/o" "$tmp/e" try \
	--migrations $F/dbmate --new $F/new/000006_add_nickname.up.sql --down $F/new/000006_add_nickname.down.sql --report "$tmp/r.html"
check "  the lost column named, an example shown" sh -c "grep -q 'the down migration loses data: .* customers.nickname (.*, its column gone)' '$tmp/o' && grep -q \"lost_field customers\[[0-9]*\]\.nickname: expected '\" '$tmp/o'"
check "  and an HTML page of it" sh -c "grep -q '<h1>mdrill try: <span class=\"fail\">FAIL' '$tmp/r.html'"
check "try: a --new among the history's files: the history stops before it" sh -c "'$M' try --migrations $F/golang --new $F/golang/000004_create_orders.up.sql >'$tmp/o' 2>&1; [ \$? -le 1 ] && grep -q 'the history stops before the new migration, $F/golang/000004_create_orders.up.sql (2 files of it left for the try)' '$tmp/o'"
check "try --set rows=50000: a plain CREATE INDEX on a big table makes writers wait on it" sh -c "'$M' try --migrations $F/golang --new $F/new/000006_index_names.up.sql --json >'$tmp/small.json'; '$M' try --migrations $F/golang --new $F/new/000006_index_names.up.sql --set rows=50000 --json >'$tmp/big.json'; python3 -c \"
import json
small, big = json.load(open('$tmp/small.json')), json.load(open('$tmp/big.json'))
assert big['writers']['max_ticks'] >= 4 > small['writers']['max_ticks'], (small['writers'], big['writers'])
\""
check "try --set of a parameter the scenario has not is exit 2" status_is 2 "$tmp/o" "$tmp/e" try --migrations $F/golang --new $F/new/000006_index_names.up.sql --set nope=1
check "try: a --new that is not there is exit 2" status_is 2 "$tmp/o" "$tmp/e" try --migrations $F/golang --new $F/new/nope.sql
check "try: every private directory and disposable database is gone" no_drill_dirs
pgcheck "try on postgres: a nullable column passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try \
	--migrations $F/golang --new $F/new/000006_add_nickname.up.sql --db "$pg"
pgcheck "try on postgres: a NOT NULL column old code does not fill fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" try \
	--migrations $F/golang --new $F/new/000006_add_tier.postgres.up.sql --engine postgres --db "$pg"
pgcheck "  naming old code's INSERT and the not-null error" grep -q "old code's customers.insert fails under the migration (.*): null value in column \"tier\" .*(not-null)" "$tmp/o"
pgcheck "try on postgres: enums, domains, uuid keys, jsonb, arrays (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try \
	--migrations $F/postgres --new $F/new/000005_account_region.postgres.up.sql --db "$pg"
pgcheck "try on postgres: a pg_dump --schema-only as the history (psql's lines and the SETs left out) (exit 0)" \
	status_is 0 "$tmp/o" "$tmp/e" try --migrations $F/pg_dump.sql --new $F/new/000005_account_region.postgres.up.sql --db "$pg"

check "try: a failing statement is told at its own file's line, not the scenario's" sh -c "printf '%s\\n' '-- fails on its third line' \
	'ALTER TABLE customers ADD COLUMN x INTEGER;' 'ALTER TABLE nosuch ADD COLUMN y INTEGER;' >'$tmp/bad3.sql'; \
	'$M' try --migrations $F/golang --new '$tmp/bad3.sql' >'$tmp/o' 2>&1; [ \$? -eq 1 ] && grep -q 'FAILED at statement 3 ($tmp/bad3.sql:3): no such table: nosuch' '$tmp/o'"
check "try: a --new whose text is already in the history is a warning, applied once (exit 0)" sh -c "cp $F/golang/000004_create_orders.up.sql '$tmp/again.up.sql' && \
	'$M' try --migrations $F/golang --new '$tmp/again.up.sql' >'$tmp/o' 2>'$tmp/e'; [ \$? -le 1 ] && \
	grep -q 'warning: $tmp/again.up.sql is already in the history as $F/golang/000004_create_orders.up.sql (the same text)' '$tmp/e' && \
	! grep -q 'already exists' '$tmp/o'"
check "scaffold without --new: the history's schema under its traffic, a no-op for the migration (exit 0)" status_is 0 "$tmp/o" "$tmp/e" \
	scaffold --migrations $F/golang -o "$tmp/nonew"
check "  no app 'new', no deploy, the no-op marked SCAFFOLD:, and it runs as the baseline (exit 0)" sh -c "! grep -q '^-- @app new' '$tmp/nonew/scenario.drill' && \
	! grep -q 'deploy new' '$tmp/nonew/scenario.drill' && grep -q '^-- SCAFFOLD: no new migration was given' '$tmp/nonew/scenario.drill' && \
	'$M' run '$tmp/nonew' --down >'$tmp/o' 2>&1"
check "scaffold: --down without --new is exit 2" status_is 2 "$tmp/o" "$tmp/e" scaffold --migrations $F/golang --down $F/new/000006_add_nickname.down.sql -o "$tmp/x"

# 3. The layouts of more tools, each with its own table as the tool makes it (SQLite, the shop's kv).
check "a Prisma directory as a fix: its migrations in order (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix "$(pwd)/$L/prisma"
check "an Atlas directory as a fix, checked against atlas.sum (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix "$(pwd)/$L/atlas"
check "an Atlas directory atlas.sum does not match is exit 2, naming the file" sh -c "'$M' run tests/fixtures/tiny --fix '$(pwd)/$L/atlas-bad' >/dev/null 2>'$tmp/e'; \
	[ \$? -eq 2 ] && grep -q \"checksum mismatch at '20240302090000_index_values.sql'\" '$tmp/e'"
check "a Liquibase changelog as a fix and its rollbacks as the down migration (exit 0, exit 1)" sh -c "'$M' run tests/fixtures/tiny --fix '$(pwd)/$L/liquibase/changelog.sql' >'$tmp/o' 2>&1 && \
	'$M' run tests/fixtures/tiny --down '$(pwd)/$L/liquibase/changelog.sql' >'$tmp/o' 2>&1; [ \$? -eq 1 ]"
check "scaffold: a nested directory of plain .sql files, by path (exit 0)" sh -c "'$M' scaffold --migrations $L/plain-nested -o '$tmp/nested' >'$tmp/o' 2>&1 && \
	grep -q '4 tables drilled, 0 left out (plain SQL, 4 files' '$tmp/o'"
check "try: a link in the migrations that leads out of them is refused, its target unread (exit 2)" sh -c "mkdir -p '$tmp/links' && \
	cp $F/golang/000001_create_customers.up.sql '$tmp/links/' && ln -s /etc/passwd '$tmp/links/000002_x.up.sql' && \
	'$M' try --migrations '$tmp/links' --new $F/new/000006_add_nickname.up.sql >'$tmp/o' 2>'$tmp/e'; [ \$? -eq 2 ] && \
	grep -q 'a symbolic link that leads out of its directory: refused' '$tmp/e' && ! grep -q root '$tmp/o' '$tmp/e'"
check "a directory no tool's layout fits: what was looked for, what was found, the fallback (exit 2)" sh -c "mkdir -p '$tmp/none/a' '$tmp/none/b' && \
	touch '$tmp/none/master.xml' && '$M' scaffold --migrations '$tmp/none' -o '$tmp/nn' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && \
	grep -q \"found 2 directories, 1 other file ('.xml'); looked for Flyway\" '$tmp/e' && grep -q 'plain .sql files, nested or not' '$tmp/e'"

# A history with rows of its own and a trigger that stamps them (tests/fixtures/scaffold/triggers):
# the rows are facts like the seed's, the seed keeps off their keys, the stamp is the database's.
TR=$F/triggers
printf 'SELECT 1;\n' >"$tmp/noop.sql"
check "try: a no-op on a history with seed rows and a trigger passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try --migrations $TR --new "$tmp/noop.sql"
check "  every table seeded past the history's rows, none left out" sh -c "'$M' scaffold --migrations $TR --new '$tmp/noop.sql' -o '$tmp/tr' --force >'$tmp/o' 2>&1 && grep -q '2 tables drilled, 0 left out' '$tmp/o'"
check "  the column the trigger sets is the database's: untracked, not probed" sh -c "grep -q '^-- @untracked projects.touched\$' '$tmp/tr/scenario.drill' && grep -q '^SELECT id, name, status FROM projects;' '$tmp/tr/scenario.drill'"
check "try: deleting the row the history made, in a table no traffic touches, fails (exit 1), naming its facts" sh -c "printf 'DELETE FROM tasks WHERE id = 1;\\n' >'$tmp/delrow.sql'; '$M' try --migrations $TR --new '$tmp/delrow.sql' --weight tasks=0 >'$tmp/o' 2>&1; [ \$? -eq 1 ] && grep -q 'acknowledged facts not kept after the migration: tasks.note (1), tasks.project_id (1), tasks.title (1)\$' '$tmp/o'"
pgcheck "try on postgres: SET NOT NULL on a column old code leaves NULL fails (exit 1)" sh -c "printf 'ALTER TABLE customers ALTER COLUMN phone SET NOT NULL;\n' >'$tmp/nn.sql'; '$M' try --migrations $F/golang --new '$tmp/nn.sql' --db '$pg' >'$tmp/o' 2>&1; [ \$? -eq 1 ] && grep -q 'the migration itself fails at statement 1: column \"phone\" of relation \"customers\" contains null values' '$tmp/o'"

# Locks as findings (issue 21), worked out from PostgreSQL's lock table: each hazard fails with the
# table, the lock and a projected time; its safe form passes.
G=$F/golang
lockcase() { # lockcase ENGINE-ARGS NAME WANT-EXIT SQL [FINDING TABLE LOCK]
	eng=$1 name=$2 want=$3 sql=$4
	printf '%s\n' "$sql" >"$tmp/lock-$name.sql"
	shift 4
	# shellcheck disable=SC2086
	"$M" try --migrations $G --new "$tmp/lock-$name.sql" $eng --json >"$tmp/lock-$name.json" 2>"$tmp/e"
	got=$?
	[ "$got" = "$want" ] || { echo "exit $got, wanted $want"; return 1; }
	[ $# -eq 0 ] && return 0
	python3 -c "
import json
d = json.load(open('$tmp/lock-$name.json'))
f = [x for x in d['locks']['findings'] if x['fails']]
assert f, d['locks']
x = f[0]
assert (x['name'], x['table'], x['lock'].replace(\"'\", '')) == ('$1', '$2', '$3'), x
assert x['projected_ms'] > x['ms'] and x['production_rows'] == 1000000 and x['advice'], x
assert any('$1' in r for r in d['reasons']), d['reasons']
"
}
pgcheck "locks: a plain CREATE INDEX fails: a scan under SHARE, projected" lockcase "--db $pg" ci 1 \
	'CREATE INDEX customers_name ON customers (full_name);' blocking-scan customers SHARE
pgcheck "locks: CREATE INDEX CONCURRENTLY passes" lockcase "--db $pg" cic 0 \
	'CREATE INDEX CONCURRENTLY customers_name ON customers (full_name);'
pgcheck "locks: a nullable ADD COLUMN passes (a brief ACCESS EXCLUSIVE)" lockcase "--db $pg" addcol 0 \
	'ALTER TABLE customers ADD COLUMN note TEXT;'
pgcheck "locks: a type change that rewrites the table fails" lockcase "--db $pg" retype 1 \
	'ALTER TABLE order_items ALTER COLUMN quantity TYPE BIGINT;' table-rewrite order_items 'ACCESS EXCLUSIVE'
pgcheck "locks: a volatile default rewrites the table and fails" lockcase "--db $pg" volatile 1 \
	'ALTER TABLE customers ADD COLUMN token UUID DEFAULT gen_random_uuid();' table-rewrite customers 'ACCESS EXCLUSIVE'
pgcheck "locks: a validated CHECK fails: a scan under ACCESS EXCLUSIVE" lockcase "--db $pg" check 1 \
	'ALTER TABLE customers ADD CONSTRAINT name_len CHECK (length(full_name) < 200);' blocking-scan customers 'ACCESS EXCLUSIVE'
pgcheck "locks: the same CHECK NOT VALID passes" lockcase "--db $pg" checknv 0 \
	'ALTER TABLE customers ADD CONSTRAINT name_len CHECK (length(full_name) < 200) NOT VALID;'
pgcheck "locks: a validated FOREIGN KEY fails: a scan under SHARE ROW EXCLUSIVE" lockcase "--db $pg" fk 1 \
	'ALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (customer_id) REFERENCES customers (id);' blocking-scan customers 'SHARE ROW EXCLUSIVE'
pgcheck "locks: the same FOREIGN KEY NOT VALID passes" lockcase "--db $pg" fknv 0 \
	'ALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;'
pgcheck "locks: a backfill of every row in one statement fails" lockcase "--db $pg" backfill 1 \
	'UPDATE customers SET status = status;' blocking-backfill customers 'ROW EXCLUSIVE'
check "locks on SQLite: CREATE INDEX holds the one write lock over a scan, and fails" lockcase "" sqci 1 \
	'CREATE INDEX customers_name ON customers (full_name);' blocking-scan customers 'the databases write lock'
check "locks on SQLite: ADD COLUMN passes" lockcase "" sqadd 0 'ALTER TABLE customers ADD COLUMN note TEXT;'
check "locks: --rows TABLE=N and --max-wait set the projection and the budget" sh -c "printf 'ALTER TABLE customers ADD COLUMN note TEXT;\\n' >'$tmp/lr.sql' && '$M' try --migrations $G --new '$tmp/lr.sql' --rows customers=5000000 --max-wait 0 --json >'$tmp/lr.json'; [ \$? -eq 1 ] && python3 -c \"
import json
d = json.load(open('$tmp/lr.json'))
x = d['locks']['findings'][0]
assert x['production_rows'] == 5000000 and d['locks']['max_wait_ms'] == 0 and x['fails'] and x['name'] == 'long-lock', x
\""
check "try --report FILE.sarif: a result per failing finding, at its file and line" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --report '$tmp/t.sarif' >/dev/null 2>&1; python3 -c \"
import json
d = json.load(open('$tmp/t.sarif'))
assert d['version'] == '2.1.0'
r = d['runs'][0]['results']
assert [x['ruleId'] for x in r] == ['blocking-scan'], r
loc = r[0]['locations'][0]['physicalLocation']
assert loc['artifactLocation']['uri'].endswith('lock-sqci.sql') and loc['region']['startLine'] == 1, loc
assert {x['id'] for x in d['runs'][0]['tool']['driver']['rules']} >= {'blocking-scan', 'table-rewrite', 'old-code-fails'}
\""
check "try --report FILE.xml: JUnit, a failure for the finding" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --report '$tmp/t.xml' >/dev/null 2>&1; python3 -c \"
import xml.etree.ElementTree as ET
s = ET.parse('$tmp/t.xml').getroot()[0]
assert s.get('failures') == '1' and int(s.get('tests')) > 5, (s.get('tests'), s.get('failures'))
\""
check "try --config: a budget, sizes and an exception the team accepts (exit 0)" sh -c "printf '# ours\\nmax-wait 5s\\nrows customers=20000000\\nallow blocking-scan:customers\\n' >'$tmp/cfg' && '$M' try --migrations $G --new '$tmp/lock-sqci.sql' --config '$tmp/cfg' >'$tmp/o' 2>&1 && grep -q 'about [0-9]* ms at 20000000 (allowed by the config)' '$tmp/o' && grep -q 'budget 5000 ms' '$tmp/o'"
check "try --config: 'allow data:TABLE.COLUMN' for a backfill the team means: said, and no failure (exit 0)" sh -c "printf 'UPDATE customers SET phone = NULL WHERE id < 50;\\n' >'$tmp/bf.sql' && printf 'allow data:customers.phone\\nallow blocking-backfill\\n' >'$tmp/bf.cfg' && '$M' try --migrations $G --new '$tmp/bf.sql' --config '$tmp/bf.cfg' >'$tmp/o' 2>&1 && grep -q 'customers.phone [0-9]* (changed on purpose, allowed by the config)' '$tmp/o' && grep -q '^Verdict: PASS: .* but what the config allows' '$tmp/o' && '$M' try --migrations $G --new '$tmp/bf.sql' >/dev/null 2>&1; [ \$? -eq 1 ]"
check "try --config: an unknown setting is exit 2 with its FILE:LINE" sh -c "printf 'max-wait 1s\\nbogus 1\\n' >'$tmp/cfg2'; '$M' try --migrations $G --new '$tmp/lock-sqci.sql' --config '$tmp/cfg2' 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"cfg2:2: unknown setting 'bogus'\" '$tmp/e'"
check "try --tables naming a table without what it references: exit 2, saying so" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqadd.sql' --tables orders >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"no table to drill: orders: 'customer_id' references customers, which is left out (--tables must name the tables these reference too)\" '$tmp/e'"
check "try on SQLite of a PostgreSQL history: exit 2, pointing at --db" sh -c "'$M' try --migrations tests/fixtures/pixie/migrations --new '$tmp/noop.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'a PostgreSQL history? give --db postgres://' '$tmp/e'"
check "try: a migration that completes under the drill but fails on the locks' larger seed fails, saying so (exit 1)" sh -c "printf 'CREATE UNIQUE INDEX p_stock ON products (stock);\\n' >'$tmp/pst.sql'; '$M' try --migrations $G --new '$tmp/pst.sql' --set rows=3 --json >'$tmp/pst.json'; [ \$? -eq 1 ] && python3 -c \"
import json
d = json.load(open('$tmp/pst.json'))
l = d['locks']
assert l['failed_statement'] == 1 and 'UNIQUE constraint failed: products.stock' in l['failed_error'] and l['failed_file'].endswith('pst.sql'), l
assert any('on 1000 rows a table (the locks' in r for r in d['reasons']), d['reasons']
assert [f['name'] for f in l['findings']] == ['untimed-lock'] and l['findings'][0]['table'] == 'products', l['findings']
\""
pgcheck "try on postgres: SET NOT NULL failing on the rows still names its lock, untimed" sh -c "printf 'ALTER TABLE customers ALTER COLUMN phone SET NOT NULL;\\n' >'$tmp/snn0.sql'; '$M' try --migrations $G --new '$tmp/snn0.sql' --db '$pg' >'$tmp/o' 2>&1; [ \$? -eq 1 ] && grep -q 'statement 1 (.*snn0.sql:1) failed here' '$tmp/o' && grep -q 'untimed-lock, statement 1 (.*): it holds ACCESS EXCLUSIVE on customers' '$tmp/o'"
SR=$F/softref; SRM=$SR/migrations
check "scaffold: a column named as a reference with no FOREIGN KEY draws that table's keys, and its rows are not deleted under it" sh -c "'$M' scaffold --migrations $SRM -o '$tmp/sr' >/dev/null 2>&1 && grep -q '^-- @gen repository.project_id int(1,:rows)\$' '$tmp/sr/scenario.drill' && grep -q '^-- \\\\set project_id existing(project)\$' '$tmp/sr/scenario.drill' && grep -q '^-- @gen rollout_group.parent int(1,:rows) nulls=:null_rate\$' '$tmp/sr/scenario.drill' && grep -q '^-- @gen posts.category_id int(1,:rows)' '$tmp/sr/scenario.drill' && ! grep -q '^-- @tx project.delete' '$tmp/sr/scenario.drill' && ! grep -q '^-- @tx rollout_group.delete' '$tmp/sr/scenario.drill' && grep -q '^-- @tx repository.delete' '$tmp/sr/scenario.drill'"
pgcheck "try on postgres: a FOREIGN KEY NOT VALID over such a column passes: old code writes live parents" status_is 0 "$tmp/o" "$tmp/e" try --migrations $SRM --new "$SR/next/fk_not_valid.sql" --db "$pg"
pgcheck "  and the same on a self-reference (parent)" status_is 0 "$tmp/o" "$tmp/e" try --migrations $SRM --new "$SR/next/parent_not_valid.sql" --db "$pg"
# --stats: a production database's statistics, read and only read.
python3 - "$tmp/prod.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT, phone TEXT, status TEXT, created_at TEXT)")
db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, placed_on TEXT, total NUMERIC, note TEXT)")
db.executemany("INSERT INTO customers VALUES (?, ?, 'A B', ?, 'active', '2024-01-01')",
               [(i, 'c%d@x.org' % i, None if i % 5 < 2 else '+1 555 %04d' % i) for i in range(1, 30001)])
db.executemany("INSERT INTO orders VALUES (?, ?, '2024-01-01', 1, ?)", [(i, i, ['gift', 'rush', 'fragile', 'late'][i % 4]) for i in range(1, 2001)])
db.commit()
PY
sum_before=$(md5sum <"$tmp/prod.db")
check "scaffold --stats FILE: a nullable column holds NULLs at production's share, few distinct values repeat" sh -c "'$M' scaffold --migrations $G --stats '$tmp/prod.db' -o '$tmp/st' >/dev/null 2>&1 && grep -q '^-- @gen customers.phone phone(40) nulls=0.4\$' '$tmp/st/scenario.drill' && grep -q '^-- @gen orders.note int(1,4,v#) nulls=0\$' '$tmp/st/scenario.drill' && grep -q 'note TEXT: 4 distinct values in the database.s statistics' '$tmp/st/scenario.drill'"
check "try --stats FILE: locks projected to the table's rows there" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --stats '$tmp/prod.db' --json >'$tmp/st.json'; [ \$? -eq 1 ] && python3 -c \"
import json
x = json.load(open('$tmp/st.json'))['locks']['findings'][0]
assert x['production_rows'] == 30000 and x['name'] == 'blocking-scan', x
\""
check "  --rows TABLE=N still wins over the statistics" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --stats '$tmp/prod.db' --rows customers=7 --json | python3 -c \"
import json, sys
assert json.load(sys.stdin)['locks']['findings'][0]['production_rows'] == 7
\""
check "  and the production file is left as it was, byte for byte" sh -c "[ \"\$(md5sum <'$tmp/prod.db')\" = '$sum_before' ]"
check "try --stats of a file that is not there is exit 2, naming it" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --stats '$tmp/nope.db' 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"stats: cannot read statistics from '$tmp/nope.db': No such file\" '$tmp/e'"
check "try --stats of a file that is no database is exit 2" sh -c "'$M' try --migrations $G --new '$tmp/lock-sqci.sql' --stats $G/000001_create_customers.up.sql 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'file is not a database' '$tmp/e'"
if [ -n "$pg" ]; then
	prod=$(printf '%s' "$pg" | sed 's|/postgres?|/mdrill_stats_prod?|')
	psql "$pg" -qc "DROP DATABASE IF EXISTS mdrill_stats_prod" -c "CREATE DATABASE mdrill_stats_prod" >/dev/null 2>&1
	psql "$prod" -q >/dev/null 2>&1 <<'SQL'
CREATE TABLE customers (id integer PRIMARY KEY, email text, full_name text, phone text, status text, created_at timestamp);
INSERT INTO customers SELECT i, 'c' || i || '@x.org', 'A B', '+1 555 ' || i, 'active', now() FROM generate_series(1, 40000) i;
ANALYZE customers;
SQL
fi
pgcheck "try --stats postgres://: SET NOT NULL on a column production never leaves NULL gets past its data, and fails on its lock alone" sh -c "printf 'ALTER TABLE customers ALTER COLUMN phone SET NOT NULL;\\n' >'$tmp/snn.sql'; '$M' try --migrations $G --new '$tmp/snn.sql' --db '$pg' --stats '$prod' --json >'$tmp/snn.json'; [ \$? -eq 1 ] && python3 -c \"
import json
d = json.load(open('$tmp/snn.json'))
assert d['migration']['completed'], d['migration']
x = d['locks']['findings'][0]
assert x['production_rows'] == 40000 and x['name'] == 'blocking-scan', x
\""
pgcheck "  where without the statistics its generated NULLs fail the migration itself" sh -c "'$M' try --migrations $G --new '$tmp/snn.sql' --db '$pg' --json | python3 -c \"
import json, sys
assert not json.load(sys.stdin)['migration']['completed']
\""
[ -n "$pg" ] && psql "$pg" -qc "DROP DATABASE IF EXISTS mdrill_stats_prod" >/dev/null 2>&1
pgcheck "try on postgres: a failing ADD UNIQUE says the server's DETAIL, the duplicated key" sh -c "printf 'ALTER TABLE customers ADD CONSTRAINT u UNIQUE (status);\\n' >'$tmp/uq.sql'; '$M' try --migrations $G --new '$tmp/uq.sql' --db '$pg' >'$tmp/o' 2>&1; [ \$? -eq 1 ] && grep -q 'could not create unique index \"u\" (Key (status)=(.*) is duplicated.)' '$tmp/o'"
pgcheck "try on postgres: a pg_dump holding golang-migrate's schema_migrations: the tool's table left to the drill (exit 0)" sh -c "cat $F/pg_dump.sql >'$tmp/dumpsm.sql' && printf '\\nCREATE TABLE public.schema_migrations (version bigint NOT NULL, dirty boolean NOT NULL);\\nALTER TABLE ONLY public.schema_migrations ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);\\n' >>'$tmp/dumpsm.sql' && '$M' try --migrations '$tmp/dumpsm.sql' --new $F/new/000005_account_region.postgres.up.sql --db '$pg' >'$tmp/o' 2>&1"
pgcheck "try: a migration of a table the drill left out is not judged (exit 4), saying why" sh -c "printf 'ALTER TABLE \"Step\" ADD COLUMN \"note\" TEXT;\\n' >'$tmp/step.sql'; '$M' try --migrations tests/fixtures/hatchet/migrations --new '$tmp/step.sql' --db '$pg' >'$tmp/o' 2>&1; [ \$? -eq 4 ] && grep -q '^Verdict: NOT JUDGED' '$tmp/o' && grep -q 'not drilled, so not judged: Step: ' '$tmp/o'"

# 4. Real histories, one per tool (THIRD-PARTY.md says whose), on the throwaway PostgreSQL server.
PX=tests/fixtures/pixie UM=tests/fixtures/umami/migrations HA=tests/fixtures/hatchet CA=tests/fixtures/edp-ddm-camunda/camunda
pgcheck "pixie (golang-migrate): scaffold reads the history, gaps and all (exit 0)" status_is 0 "$tmp/o" "$tmp/e" scaffold \
	--migrations $PX/migrations --new $PX/next/000013_lengthen_profile_email.up.sql --db "$pg" -o "$tmp/px"
pgcheck "  its gaps are notes; every table drilled, golang-migrate's own left out" sh -c "grep -q 'gaps in the versions: .*9 comes after 7' '$tmp/e' && \
	grep -q '3 tables drilled, 1 left out (golang-migrate history, 10 files, on postgres)' '$tmp/o'"
pgcheck "pixie: try 000013 (two columns lengthened) under old code, with its down migration" sh -c "'$M' try --migrations $PX/migrations \
	--new $PX/next/000013_lengthen_profile_email.up.sql --down $PX/next/000013_lengthen_profile_email.down.sql --db '$pg' --json >'$tmp/o'; [ \$? -le 1 ]"
pgcheck "  both complete, old code never fails, and nothing is lost but what the history's trigger rewrites" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['migration']['completed'] and d['down']['completed'], d['reasons']
assert d['data']['expected'] > 1000 and len(d['old_code']) > 15 and sum(t['failed_after'] for t in d['old_code']) == 0
trigger = {('users', 'updated_at'), ('orgs', 'updated_at')}
for data in (d['data'], d['down']['data']):
    assert data['rows_lost'] == 0 and all((c['table'], c['field']) in trigger for c in data['columns']), data['columns']
"
pgcheck "umami (Prisma): try its 07_add_tag, a nullable column, the history stopping before it (exit 0 or 1)" sh -c "'$M' try --migrations $UM \
	--new $UM/07_add_tag/migration.sql --db '$pg' --json >'$tmp/o' 2>'$tmp/e'; [ \$? -le 1 ]"
pgcheck "  the migration completes, _prisma_migrations left out as Prisma's own, old code never fails" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['migration']['completed'] and sum(t['failed_after'] for t in d['old_code']) == 0, d['reasons']
assert any('the history stops before the new migration' in n for n in d['notes'])
"
pgcheck "hatchet (Atlas): atlas.sum checked, the later migration tried: it changes Step and StepRun, which the drill leaves out, so it is not judged (exit 4)" \
	sh -c "'$M' try --migrations $HA/migrations --new $HA/next/20240209132837_v0_10_0.sql --db '$pg' >'$tmp/o' 2>&1; [ \$? -eq 4 ] && \
	grep -q \"not drilled, so not judged: Step: 'tenantId' references Action\" '$tmp/o' && grep -q 'not drilled, so not judged: StepRun: ' '$tmp/o'"
pgcheck "edp-ddm-camunda (Liquibase): scaffold reads its changesets, DATABASECHANGELOG its own (exit 0)" status_is 0 "$tmp/o" "$tmp/e" \
	scaffold --migrations $CA --db "$pg" -o "$tmp/ca"
pgcheck "  a changeset per '-- @file', and lint applies it as Liquibase would (exit 0)" sh -c "grep -q '^-- @history liquibase' '$tmp/ca/scenario.drill' && \
	grep -q '^-- @file 00030_create-identity.sql::create-identity::platform\$' '$tmp/ca/scenario.drill' && \
	'$M' lint '$tmp/ca' --engines postgres --db '$pg' >'$tmp/o' 2>&1"
# On each history of the new layouts, worked out by hand: a nullable column passes; a rename
# fails for old code's statements that still name the old column, and loses nothing; a drop of
# populated (quoted, mixed-case) columns loses exactly those columns' facts, no row.
printf 'ALTER TABLE "website" ADD COLUMN "note" TEXT;\n' >"$tmp/um-add.sql"
printf 'ALTER TABLE "website" RENAME COLUMN "name" TO "title";\n' >"$tmp/um-ren.sql"
printf 'ALTER TABLE "website" DROP COLUMN "domain";\n' >"$tmp/um-drop.sql"
printf 'ALTER TABLE "Event" ADD COLUMN "note" TEXT;\n' >"$tmp/ha-add.sql"
printf 'ALTER TABLE "Event" RENAME COLUMN "createdAt" TO "created";\n' >"$tmp/ha-ren.sql"
printf 'ALTER TABLE "Event" DROP COLUMN "deletedAt";\n' >"$tmp/ha-drop.sql"
printf 'ALTER TABLE ACT_ID_USER ADD COLUMN NOTE_ varchar(255);\n' >"$tmp/ca-add.sql"
printf 'ALTER TABLE ACT_ID_USER RENAME COLUMN EMAIL_ TO MAIL_;\n' >"$tmp/ca-ren.sql"
printf 'ALTER TABLE ACT_ID_USER DROP COLUMN FIRST_, DROP COLUMN LAST_;\n' >"$tmp/ca-drop.sql"
for h in "um:$UM:website:name:domain" "ha:$HA/migrations:Event:createdAt:deletedAt" "ca:$CA:act_id_user:email_:first_,last_"; do
	id=${h%%:*} rest=${h#*:}
	hist=${rest%%:*} rest=${rest#*:}
	table=${rest%%:*} rest=${rest#*:}
	renamed=${rest%%:*} dropped=${rest#*:}
	pgcheck "$id: a nullable ADD COLUMN passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try --migrations "$hist" --new "$tmp/$id-add.sql" --db "$pg"
	pgcheck "$id: a column rename fails (exit 1)" sh -c "'$M' try --migrations '$hist' --new '$tmp/$id-ren.sql' --db '$pg' --json >'$tmp/o' 2>'$tmp/e'; [ \$? -eq 1 ]"
	pgcheck "  naming old code's statements that still name $renamed, with nothing lost" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['data']['lost'] == 0, d['data']
broken = [t for t in d['old_code'] if t['broken']]
assert broken and all('$renamed'.lower() in (t['message'] or '').lower() for t in broken), broken
assert all(t['transaction'].lower().startswith('$table'.lower() + '.') for t in broken), broken
"
	pgcheck "$id: dropping populated columns fails (exit 1)" sh -c "'$M' try --migrations '$hist' --new '$tmp/$id-drop.sql' --db '$pg' --json >'$tmp/o' 2>'$tmp/e'; [ \$? -eq 1 ]"
	pgcheck "  losing exactly those columns' facts, no row" python3 -c "
import json
d = json.load(open('$tmp/o'))['data']
lost = {(c['table'].lower(), c['field'].lower()) for c in d['columns']}
assert d['rows_lost'] == 0 and lost == {('$table'.lower(), c) for c in '$dropped'.lower().split(',')}, (d['rows_lost'], lost)
assert all(c['gone'] for c in d['columns'])
"
done
pgcheck "every disposable database is gone from the server" no_pg_dbs

# 5. Beyond one machine: the shards' union is the whole run, and merge prints what it printed.
"$M" check phone-not-null safe-additive tests/fixtures/history >"$tmp/all.out" 2>&1
for k in 1 2 3; do
	"$M" check phone-not-null safe-additive tests/fixtures/history --shard $k/3 --json "$tmp/c$k.json" >"$tmp/c$k.out" 2>&1
done
check "check --shard K/N: the shards' lines are the whole run's, each once" sh -c "cat '$tmp'/c[123].out | grep -v 'passed, ' | sort >'$tmp/u' && grep -v 'passed, ' '$tmp/all.out' | sort | cmp -s - '$tmp/u' && [ -s '$tmp/u' ]"
check "  and no shard is empty of work here" sh -c "for k in 1 2 3; do grep -q '^ok ' \"$tmp/c\$k.out\" || exit 1; done"
check "merge: the same lines and summary as the whole run (exit 0)" sh -c "'$M' merge '$tmp/c1.json' '$tmp/c2.json' '$tmp/c3.json' >'$tmp/m.out' && cmp -s '$tmp/m.out' '$tmp/all.out'"
check "merge: a missing shard is exit 2, naming it" sh -c "'$M' merge '$tmp/c1.json' '$tmp/c3.json' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'shard 2/3 is missing' '$tmp/e'"
check "merge: a shard given twice is exit 2" sh -c "'$M' merge '$tmp/c1.json' '$tmp/c1.json' '$tmp/c2.json' '$tmp/c3.json' >/dev/null 2>&1; [ \$? -eq 2 ]"
T=tests/fixtures/tiny
"$M" run $T --fix fixes/rename-back.sql --seeds 1..12 >"$tmp/sw.out"
for k in 1 2 3 4; do "$M" run $T --fix fixes/rename-back.sql --seeds 1..12 --shard $k/4 --json >"$tmp/s$k.json"; done
check "swarm --shard K/N: seed S in shard (S-1) mod N + 1" python3 -c "
import json
for k in range(1, 5):
    d = json.load(open('$tmp/s%d.json' % k))
    assert d['shard'] == {'k': k, 'n': 4} and [r['seed'] for r in d['results']] == list(range(k, 13, 4)), d
"
check "merge: the shards of a swarm print the whole swarm's summary (exit 0)" sh -c "'$M' merge '$tmp'/s[1234].json >'$tmp/sm.out' && cmp -s '$tmp/sm.out' '$tmp/sw.out'"
check "merge: check and swarm results do not mix (exit 2)" status_is 2 "$tmp/o" "$tmp/e" merge "$tmp/c1.json" "$tmp/s1.json"
check "every disposable database is gone" no_drill_dirs
echo "# $n scaffold checks"
