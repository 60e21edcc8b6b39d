#!/bin/sh
# SPDX-License-Identifier: MIT
# Drilling a team's own migrations: mdrill scaffold on histories in three
# layouts (the scenario written reads back and runs on both engines), mdrill
# try (a nullable column passes, a NOT NULL one old code does not fill
# fails with old code's INSERT named; reports; a down migration's losses),
# try on the real Mattermost subset on PostgreSQL, and work split across
# machines: check and swarm shards whose union is the whole run, and merge
# printing the same lines.  Prints "ok N - what" or "not ok N - what" per
# check, and the closing count.
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-scaffold-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
F=tests/fixtures/scaffold
MM=tests/fixtures/mattermost
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
check "try --set rows=50000: a plain CREATE INDEX on a big table makes writers wait on it" sh -c "'$M' try --migrations $F/golang --new $F/new/000006_index_names.up.sql --json >'$tmp/small.json' && '$M' try --migrations $F/golang --new $F/new/000006_index_names.up.sql --set rows=50000 --json >'$tmp/big.json' && python3 -c \"
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

# 3. A real history: Mattermost's own migrations (a subset), a real later migration of them.
pgcheck "mattermost: scaffold reads the history, gaps and all (exit 0)" status_is 0 "$tmp/o" "$tmp/e" scaffold \
	--migrations $MM/migrations --new $MM/next/000059_upgrade_users_v6.0.up.sql --db "$pg" -o "$tmp/mm"
pgcheck "  every table drilled, golang-migrate's own left out" grep -q "6 tables drilled, 1 left out (golang-migrate history, 6 files, on postgres)" "$tmp/o"
pgcheck "mattermost: try 000059 (props to jsonb) under old code, with its down migration (exit 0)" status_is 0 "$tmp/o" "$tmp/e" try \
	--migrations $MM/migrations --new $MM/next/000059_upgrade_users_v6.0.up.sql \
	--down $MM/next/000059_upgrade_users_v6.0.down.sql --db "$pg" --json
pgcheck "  the migration completed, nothing lost, old code never failed" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['verdict'] == 'pass' and d['migration']['completed'], d['reasons']
assert d['data']['expected'] > 1000 and d['data']['lost'] == 0 and d['down']['data']['lost'] == 0, d['data']
assert len(d['old_code']) > 50 and sum(t['failed_after'] for t in d['old_code']) == 0
"

# 4. Beyond one machine: the shards' union is the whole run, and merge prints what it printed.
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
