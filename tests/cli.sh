#!/bin/sh
# SPDX-License-Identifier: MIT
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

have_script=$(command -v script || true)

. "$(dirname "$0")/tap.sh"

check "no arguments is a usage error" status_is 2 "$tmp/o" "$tmp/e"
check "help exits 0" status_is 0 "$tmp/o" "$tmp/e" help
check "  and lists every command" sh -c "for c in list show lint run compare check help; do grep -q \"^  mdrill \$c\" '$tmp/o' || exit 1; done"
for c in list show lint run compare check help; do
	check "mdrill $c --help lists its usage (exit 0)" sh -c "'$M' $c --help >'$tmp/o' && grep -q '^usage: mdrill $c' '$tmp/o'"
	check "  the same as mdrill help $c" sh -c "'$M' help $c | cmp -s - '$tmp/o'"
done
"$M" run --help >"$tmp/o.run" 2>&1
check "run --help names every option of the parser's table" sh -c "for o in --fix --down --db --concurrent --seed --seeds --faults --set --flag-off --json --report --csv --keep; do grep -q \"^  \$o\" '$tmp/o.run' || exit 1; done" 
check "help for an unknown command is exit 2" status_is 2 "$tmp/o" "$tmp/e" help nope
# The team's commands, each with its own help, from tables of their own.
for c in apply flag down status end; do
	check "mdrill drill $c --help lists its usage (exit 0)" sh -c "'$M' drill $c --help >'$tmp/o' && grep -q '^usage: mdrill drill $c' '$tmp/o' && grep -q '^  --drill PATH' '$tmp/o'"
	check "  the same as mdrill help drill $c" sh -c "'$M' help drill $c | cmp -s - '$tmp/o'"
done
check "drill status --help names --json" sh -c "'$M' drill status --help | grep -q '^  --json'"
check "drill apply --help says what a fix can read and what a failure leaves" sh -c "'$M' drill apply --help | tr '\n' ' ' | grep -q 'can read backup.TABLE' && '$M' drill apply --help | tr '\n' ' ' | grep -q 'a failure leaves nothing of it behind'"
"$M" drill --help >"$tmp/o.drill"
check "drill --help lists the team's commands and the two-terminal example" sh -c "for c in apply flag down status end; do grep -q \"^  mdrill drill \$c\" '$tmp/o.drill' || exit 1; done && grep -q '# terminal 1: the incident' '$tmp/o.drill' && grep -q '# terminal 2: the team' '$tmp/o.drill'"
check "a team's command with an unknown option is exit 2, with its usage" sh -c "'$M' drill end --nope 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"unknown option '--nope'\" '$tmp/e' && grep -q '^usage: mdrill drill end' '$tmp/e'"
check "  and one missing its argument" sh -c "'$M' drill flag shipping 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'expected NAME off|on' '$tmp/e'"
check "help for an unknown team command is exit 2" status_is 2 "$tmp/o" "$tmp/e" help drill nope
check "leaderboard --live watches directories: a file is exit 2" sh -c "'$M' leaderboard --live '$tmp/b.html' README.md 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'watches directories' '$tmp/e'"
check "  --once writes the board once: no drill yet" sh -c "mkdir -p '$tmp/ws' && '$M' leaderboard --live '$tmp/b.html' --once '$tmp/ws' >/dev/null 2>&1 && grep -q 'No drill yet' '$tmp/b.html' && grep -q 'http-equiv=\"refresh\"' '$tmp/b.html'"
check "  --once goes with --live" status_is 2 "$tmp/o" "$tmp/e" leaderboard --once x.json
# The README's command reference is the help tables' own Markdown.
sed -n '/^<!-- BEGIN mdrill help --markdown -->$/,/^<!-- END mdrill help --markdown -->$/p' README.md | sed '1d;$d' >"$tmp/readme-ref"
check "the README's command reference is 'mdrill help --markdown'" sh -c "[ -s '$tmp/readme-ref' ] && '$M' help --markdown | cmp -s - '$tmp/readme-ref'"
# The manual page is the help tables' own mdoc, and mandoc finds nothing to say about it.
check "docs/mdrill.1 is 'mdrill help --man'" sh -c "[ -s docs/mdrill.1 ] && '$M' help --man | cmp -s - docs/mdrill.1"
if command -v mandoc >/dev/null 2>&1; then
	check "  and 'mandoc -Tlint' finds nothing in it" sh -c "mandoc -Tlint docs/mdrill.1 >'$tmp/lint.out' 2>&1; [ \$? -eq 0 ] && [ ! -s '$tmp/lint.out' ]"
	check "  and it renders every command's options" sh -c "mandoc -Tascii docs/mdrill.1 | col -b >'$tmp/man.txt' && for o in --fix --down --seeds --engines --junit --markdown --json; do grep -q \"^ *\$o\" '$tmp/man.txt' || exit 1; done && grep -q 'mdrill drill apply' '$tmp/man.txt'"
else
	skip "  and 'mandoc -Tlint' finds nothing in it" "no mandoc: apt-get install mandoc"
	skip "  and it renders every command's options" "no mandoc: apt-get install mandoc"
fi
check "list shows phone-not-null" sh -c "'$M' list | grep -q '^phone-not-null '"
check "show prints the story and timeline" sh -c "'$M' show phone-not-null | grep -q 'migrate bad'"
check "unknown scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" run nope --down
check "  and names it, and where mdrill looked" grep -q "no scenario 'nope' (looked in '$(pwd)/scenarios'" "$tmp/e"
check "a misspelled scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" show phone-not-nul
check "  and asks: did you mean" grep -qx "mdrill: no scenario 'phone-not-nul'; did you mean 'phone-not-null'? (looked in '$(pwd)/scenarios')" "$tmp/e"
check "run without a fix is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null
check "missing fix file is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --fix nope.sql
check "  and names it, and where mdrill looked" grep -q "no migration file or directory 'nope.sql' (looked in the current directory and in 'scenarios/phone-not-null/')\$" "$tmp/e"
check "a fix named without its fixes/ is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --fix make-nullable.sql
check "  naming the scenario's file of that name" grep -q "the scenario has 'fixes/make-nullable.sql': give that\$" "$tmp/e"
check "--down FILE before the scenario's name is exit 2" status_is 2 "$tmp/o" "$tmp/e" run --down downs/flyway phone-not-null
check "  saying where the file goes" grep -q "'downs/flyway' after --down was read as the scenario: the down migration's file goes after the scenario's name (mdrill run phone-not-null --down downs/flyway) or as --down=downs/flyway" "$tmp/e"
check "--down SCENARIO alone still runs the scenario's down migration" status_is 0 "$tmp/o" "$tmp/e" run --down tests/fixtures/tiny --seed 3
check "--set clients=abc is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --set clients=abc
check "  blaming the command line, not the scenario's line" grep -qx "mdrill: --set clients=abc: 'clients' is a number (8 by default), not 'abc'" "$tmp/e"
check "a repeated --seed is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --seed 1 --seed 2
check "  saying so" grep -q "^mdrill: '--seed' given twice: it takes one N" "$tmp/e"
check "--seed with --seeds is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --down --seed 1 --seeds 1..3
check "unknown --set is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --set nope=1
check "--concurrent on sqlite is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --concurrent
check "bad --seed is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --seed x
for bad in "--seed +3" "--seed -1" "--statement-timeout -5s" "--max-memory +1G"; do
	check "numbers are digits first: '$bad' is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down $bad
done
check "  and ' 5s' is no duration either" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --statement-timeout " 5s"

# lint: a scenario's own SQL on each engine, without traffic.
check "lint: a shipped scenario is clean (exit 0)" status_is 0 "$tmp/o" "$tmp/e" lint phone-not-null
check "  step by step, in the drill's order" sh -c "grep -q '^phone-not-null on sqlite:\$' '$tmp/o' && [ \"\$(sed -n 's/^  ok    \([^:(]*[^ :(]\).*/\1/p' '$tmp/o' | tr '\n' ,)\" = 'schema,seed,migration bad,probe users,down migration,' ] && tail -1 '$tmp/o' | grep -qx 'no problems on sqlite'"
mkdir -p "$tmp/lint"
sed 's/^ALTER TABLE kv RENAME COLUMN v TO val;$/ALTER TABLE kv RENAME COLUMN nope TO val;/' tests/fixtures/tiny/scenario.drill >"$tmp/lint/scenario.drill"
check "lint: a bad migration SQLite refuses is exit 1" status_is 1 "$tmp/o" "$tmp/e" lint "$tmp/lint"
check "  named with FILE:LINE and SQLite's message" grep -qx "  FAIL  migration bad: $tmp/lint/scenario.drill:29: statement 1 of 1: no such column: \"nope\"" "$tmp/o"
check "  and counted" sh -c "tail -1 '$tmp/o' | grep -qx '2 problems'"
check "lint without a scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" lint
check "lint --engines postgres without --db is exit 2" status_is 2 "$tmp/o" "$tmp/e" lint phone-not-null --engines postgres
check "  saying what it needs" grep -q "^mdrill: --engines postgres needs --db postgres:" "$tmp/e"
check "every disposable database is gone after lint" no_drill_dirs

# A malformed scenario: FILE:LINE and what was expected, exit 2, nothing runs.
mkdir -p "$tmp/bad"
sed 's/^-- at :fix_at fix$/-- at :fix_at fixx/' scenarios/phone-not-null/scenario.drill >"$tmp/bad/scenario.drill"
line=$(grep -n 'fixx' "$tmp/bad/scenario.drill" | cut -d: -f1)
check "malformed scenario is exit 2" status_is 2 "$tmp/o" "$tmp/e" run "$tmp/bad" --down
check "  with FILE:LINE and what was expected" grep -q "$tmp/bad/scenario.drill:$line: unknown action 'fixx' (expected start, deploy, migrate, flag, fault, fix or end)" "$tmp/e"
check "  and runs nothing" no_drill_dirs

sed 's/^-- @tx change_email weight=2$/-- @tx change_email weight=2 sometimes/' scenarios/phone-not-null/scenario.drill >"$tmp/bad/scenario.drill"
check "an unknown @tx option is exit 2" status_is 2 "$tmp/o" "$tmp/e" run "$tmp/bad" --down
check "  naming what was expected" grep -q "expected '-- @tx NAME weight=W \[autocommit\] \[readonly\]', found 'sometimes'" "$tmp/e"

# A fix that is not SQL the engine accepts: a scored outcome, not a crash.
printf 'ALTER TABLE nope ADD COLUMN x TEXT;\n' >"$tmp/broken.sql"
check "a failing fix is a verdict (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --fix "$tmp/broken.sql" --set rows=100
check "  naming the statement" grep -q "failed at statement 1" "$tmp/o"

# The demo's two drills: the down migration fails, the roll-forward passes.
check "down migration fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --down
check "  with phone numbers lost in the incident window" grep -q "^  incident .* [1-9][0-9]* *0 *0 *0\.[0-9]*$" "$tmp/o"
check "make-nullable passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run phone-not-null --fix fixes/make-nullable.sql
check "  no colour when not on a terminal" sh -c "grep -q '^Verdict: PASS' '$tmp/o' && ! grep -q \"$(printf '\033')\" '$tmp/o'"
check "wrong fix fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --fix fixes/rebuild-without-transaction.sql

# Determinism: the same seed prints the same JSON, byte for byte.
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 5 --json >"$tmp/a.json"
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 5 --json >"$tmp/b.json"
"$M" run phone-not-null --fix fixes/make-nullable.sql --seed 6 --json >"$tmp/c.json"
check "same seed, identical JSON" cmp "$tmp/a.json" "$tmp/b.json"
check "another seed, other JSON" sh -c "[ -s '$tmp/a.json' ] && [ -s '$tmp/c.json' ] && ! cmp -s '$tmp/a.json' '$tmp/c.json'"
"$M" run backfill-under-load --fix fixes/backfill-with-trigger.sql --seed 3 --json >"$tmp/bf1.json"
"$M" run backfill-under-load --fix fixes/backfill-with-trigger.sql --seed 3 --json >"$tmp/bf2.json"
check "backfill-under-load: same seed, identical JSON, its backfill included" sh -c "cmp '$tmp/bf1.json' '$tmp/bf2.json' && grep -q '\"backfill\":{\"statement\":2,\"statements\":1,\"max_runs\":300,' '$tmp/bf1.json'"
check "backfill-by-null fails (exit 1) with a backfill that does not converge" status_is 1 "$tmp/o" "$tmp/e" run backfill-under-load --fix fixes/backfill-by-null.sql --report "$tmp/bf.html"
check "  300 batches of 4, then the fix's error" sh -c "grep -q '^Backfill (statement 1, at most 300 runs): 300 runs changed 1200 rows, ticks [0-9]* to [0-9]*; did not converge\$' '$tmp/o' &&
	grep -q 'failed at statement 1: repeated 300 times and still changing rows: the backfill does not converge' '$tmp/o'"
check "  and the page charts the rows backfilled, climbing to 1200" python3 -c "
import xml.etree.ElementTree as ET
svg = '{http://www.w3.org/2000/svg}'
root = ET.parse('$tmp/bf.html').getroot()
chart = [e for e in root.iter(svg + 'svg') if e.get('id') == 'backfill'][0]
line = [p for p in chart.iter(svg + 'polyline') if p.get('class') == 'backfill'][0]
area = [r for r in chart.iter(svg + 'rect') if r.get('class') == 'plotarea'][0]
bottom = float(area.get('y')) + float(area.get('height'))
ys = [float(pt.split(',')[1]) for pt in line.get('points').split()]
assert ys[0] == bottom and ys[-1] < bottom and ys == sorted(ys, reverse=True), ys
assert '1200 rows' in [t.text for t in chart.iter(svg + 'text')]
assert not any(e.tag.endswith('script') for e in root.iter())
"
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

# compare: the down migration and the fix side by side, exit by the fix.
check "compare exits 0 when the fix passes" status_is 0 "$tmp/o" "$tmp/e" compare phone-not-null --fix fixes/make-nullable.sql
check "  and shows both verdicts side by side" grep -q "^  verdict  *FAIL  *PASS$" "$tmp/o"
check "  and the facts the rollback loses" grep -q "not preserved, written incident  *[1-9][0-9]*  *0$" "$tmp/o"
check "compare --json gives both runs" sh -c "'$M' compare phone-not-null --fix fixes/make-nullable.sql --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"down\"][\"verdict\"]==\"fail\" and d[\"fix\"][\"verdict\"]==\"pass\" and d[\"down\"][\"seed\"]==d[\"fix\"][\"seed\"]'"
check "compare --report FILE.html draws both runs" status_is 0 "$tmp/o" "$tmp/e" compare phone-not-null --fix fixes/make-nullable.sql --report "$tmp/cmp.html"
check "  on the same axes" python3 -c "
import xml.etree.ElementTree as ET
svg = '{http://www.w3.org/2000/svg}'
plots = {e.get('id'): e for e in ET.parse('$tmp/cmp.html').getroot().iter(svg + 'svg') if e.get('id')}
ticks = lambda p: [t.text for t in p.iter(svg + 'text') if t.get('class') == 'tick']
assert set(plots) == {'timeline-down', 'timeline-fix'}, plots
assert ticks(plots['timeline-down']) == ticks(plots['timeline-fix'])
"
check "compare --report FILE.md writes a Markdown table" status_is 0 "$tmp/o" "$tmp/e" compare phone-not-null --fix fixes/make-nullable.sql --set rows=200 --report "$tmp/cmp.md"
check "  with both verdicts, and says so" sh -c "grep -q '^| verdict | \*\*FAIL\*\* | \*\*PASS\*\* |\$' '$tmp/cmp.md' && grep -qx 'mdrill: wrote the comparison to $tmp/cmp.md' '$tmp/e'"
check "compare --report FILE.json is --json's" sh -c "'$M' compare phone-not-null --fix fixes/make-nullable.sql --set rows=200 --report '$tmp/cmp.json' >/dev/null 2>&1 && '$M' compare phone-not-null --fix fixes/make-nullable.sql --set rows=200 --json | cmp -s - '$tmp/cmp.json'"
check "compare --report with another extension is exit 2" status_is 2 "$tmp/o" "$tmp/e" compare phone-not-null --fix fixes/make-nullable.sql --report "$tmp/cmp.txt"
check "compare --csv DIR --keep writes both runs, and says which is which" sh -c "'$M' compare tests/fixtures/tiny --fix fixes/rename-back.sql --csv '$tmp/cmpcsv/new' --keep >/dev/null 2>'$tmp/e' &&
	for r in down fix; do for f in transactions facts findings timeline; do test -s '$tmp/cmpcsv/new/'\$r/\$f.csv || exit 1; done; done &&
	grep -qx \"mdrill: wrote transactions.csv, facts.csv, findings.csv and timeline.csv into $tmp/cmpcsv/new/down for the down migration's run\" '$tmp/e' &&
	grep -q \"^mdrill: kept the down migration's drill database at $TMPDIR/mdrill-.*/drill.db\\$\" '$tmp/e' &&
	grep -q \"^mdrill: kept the fix's drill database at $TMPDIR/mdrill-.*/drill.db\\$\" '$tmp/e'"
for kept in $(sed -n "s/^mdrill: kept the .* drill database at //p" "$tmp/e"); do rm -rf "$(dirname "$kept")"; done
check "compare without --fix is exit 2" status_is 2 "$tmp/o" "$tmp/e" compare phone-not-null --down

# Feature flags, from the command line and from the timeline.
check "--flag-off: the flag as the response passes" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/flags --fix fixes/readd-from-backup.sql --flag-off new_ui@300
check "  and the scorecard shows the flip" grep -q "flag new_ui off at 300" "$tmp/o"
check "--flag-off of an unknown flag is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/flags --down --flag-off nope@300
mkdir -p "$tmp/flagtl"
cp -r tests/fixtures/flags/fixes "$tmp/flagtl/"
sed 's/^-- at 600 fix$/-- at 300 flag new_ui off\n-- at 600 fix/' tests/fixtures/flags/scenario.drill >"$tmp/flagtl/scenario.drill"
check "a 'flag NAME off' timeline event works the same" status_is 0 "$tmp/o" "$tmp/e" run "$tmp/flagtl" --fix fixes/readd-from-backup.sql --json
check "  and the JSON lists it" python3 -c "import json; d=json.load(open('$tmp/o')); assert d['flags']==[{'name':'new_ui','tick':300,'state':'off'}], d['flags']"

# orders-status: switching the failing path off cuts its failures at the flip.
"$M" run orders-status --fix fixes/relax-check.sql --json >"$tmp/os1.json"
"$M" run orders-status --fix fixes/relax-check.sql --flag-off shipping@1500 --json >"$tmp/os2.json"
check "orders-status: the shipping flag off cuts v2's incident failures" python3 -c "
import json
def v2(f):
    d = json.load(open(f))
    return sum(p['failed'] for p in d['phases'] if p['version'] == 'v2' and p['name'] == 'incident')
a, b = v2('$tmp/os1.json'), v2('$tmp/os2.json')
assert b < a, (a, b)
"

# Reports to files, by extension.
check "--report FILE.md writes the Markdown summary" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --down --report "$tmp/r.md"
check "  and says where" grep -qx "mdrill: wrote the report to $tmp/r.md" "$tmp/e"
check "  naming the verdict and the lost phone numbers" sh -c "grep -q '^# mdrill: phone-not-null on sqlite, seed 1: FAIL' '$tmp/r.md' && grep -q '^| incident | .* | 0 | [1-9][0-9]* | 0 | 0 |' '$tmp/r.md'"
check "--report FILE.json writes the JSON, the same as --json" sh -c "'$M' run phone-not-null --down --report '$tmp/r.json' >/dev/null; '$M' run phone-not-null --down --json >'$tmp/r2.json'; cmp '$tmp/r.json' '$tmp/r2.json'"
check "--report with another extension is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --down --report "$tmp/r.txt"
check "--report FILE.html writes a page" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/flags --fix fixes/readd-from-backup.sql --flag-off new_ui@300 --report "$tmp/r.html"
check "  that parses, with the timeline's markers and series" python3 -c "
import xml.etree.ElementTree as ET
svg = '{http://www.w3.org/2000/svg}'
root = ET.parse('$tmp/r.html').getroot()
timeline = [e for e in root.iter(svg + 'svg') if e.get('id') == 'timeline'][0]
marks = [g.get('data-marker') for g in timeline.iter(svg + 'g')]
for want in ('bad migration', 'flag new_ui off', 'fix starts', 'fix ends'):
    assert want in marks, (want, marks)
lines = [p.get('class') for p in timeline.iter(svg + 'polyline')]
assert lines.count('committed') == 1 and lines.count('failed') == 1, lines
assert not any(e.tag.endswith('script') for e in root.iter())
# Round ticks on both axes, inside the drill's span; the incident shaded from the bad migration.
xs = [int(t.text) for t in timeline.iter(svg + 'text') if t.get('class') == 'tick' and t.get('text-anchor') == 'middle']
assert xs[0] == 0 and len(xs) >= 4 and all(b - a == xs[1] for a, b in zip(xs, xs[1:])), xs
assert str(xs[1]).rstrip('0') in ('1', '2', '5'), xs
shade = [r for r in timeline.iter(svg + 'rect') if r.get('class') == 'incident']
assert len(shade) == 1 and float(shade[0].get('width')) > 0, shade
"
"$M" run phone-not-null --down --report "$tmp/blk.html" >/dev/null 2>&1
check "  the blocked-writers chart draws the fix's waits, all waits apart" python3 -c "
import json, subprocess, xml.etree.ElementTree as ET
svg = '{http://www.w3.org/2000/svg}'
root = ET.parse('$tmp/blk.html').getroot()
charts = {e.get('id'): e for e in root.iter(svg + 'svg') if e.get('id')}
fix = sum(float(r.get('height')) > 0 for r in charts['blocked'].iter(svg + 'rect') if r.get('class') == 'bar fix')
everyone = sum(1 for r in charts['blocked-all'].iter(svg + 'rect') if r.get('class') == 'bar all')
assert 0 < fix < everyone, (fix, everyone)
text = ET.tostring(root, encoding='unicode')
assert 'Writers waited at most 1 tick because of the fix' in text
"
if [ -n "$have_script" ]; then
	script -qec "'$M' run phone-not-null --down --set end_at=70000" /dev/null >"$tmp/tty.out" 2>&1
	check "on a terminal, progress shows on stderr" grep -q "mdrill: traffic, tick 65536 of 70000 (93%)" "$tmp/tty.out"
	script -qec "'$M' run phone-not-null --down --set rows=200000 --set end_at=1600 --set fix_at=1550 --set deploy_at=1540" /dev/null >"$tmp/tty.out" 2>&1
	check "  and the rows seeded, of all, in per cent" grep -q "mdrill: seeding, 100000 of 200000 rows (50%)" "$tmp/tty.out"
	script -qec "'$M' run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..6" /dev/null >"$tmp/tty.out" 2>&1
	check "  and a swarm's, seed by seed with the passes so far" sh -c "grep -q 'mdrill: seed 3 of 6, 3 passed so far' '$tmp/tty.out' && grep -q 'mdrill: seed 6 of 6, 6 passed so far' '$tmp/tty.out' && grep -q 'seeds 1..6: 6 runs, 6 pass, 0 fail' '$tmp/tty.out'"
else
	skip "on a terminal, progress shows on stderr" "no script(1) to make a terminal: apt-get install bsdutils"
	skip "  and the rows seeded, of all, in per cent" "no script(1) to make a terminal: apt-get install bsdutils"
	skip "  and a swarm's, seed by seed with the passes so far" "no script(1) to make a terminal: apt-get install bsdutils"
fi
"$M" run phone-not-null --down >"$tmp/o" 2>"$tmp/e"
check "  and not when stderr is no terminal (the scorecard on stdout, no progress on stderr)" sh -c "grep -q '^Verdict: FAIL' '$tmp/o' && ! grep -q 'mdrill: seeding' '$tmp/e'"
"$M" run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..6 >"$tmp/o" 2>"$tmp/e"
check "  nor a swarm's" sh -c "grep -q 'seeds 1..6: 6 runs, 6 pass' '$tmp/o' && ! grep -q 'mdrill: seed' '$tmp/e'"

# docs/json.md documents every field; a real run must carry each of them.
"$M" run tests/fixtures/flags --fix fixes/readd-from-backup.sql --flag-off new_ui@300 --json >"$tmp/doc.json"
"$M" run phone-not-null --down --json >"$tmp/doc2.json"
"$M" run backfill-under-load --fix fixes/backfill-with-trigger.sql --json >"$tmp/doc-backfill.json"
"$M" run rename-email --fix fixes/expand-dual-write.sql --faults fix-crash=7,kill-client=2 --set rows=200 --json >"$tmp/doc3.json"
"$M" run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..3 --json >"$tmp/doc4.json"
"$M" run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..3 --shard 1/2 --json >"$tmp/doc5.json"
"$M" check tests/fixtures/history --json "$tmp/doc6.json" >/dev/null
"$M" try --migrations tests/fixtures/scaffold/golang --new tests/fixtures/scaffold/new/000006_add_nickname.up.sql \
	--down tests/fixtures/scaffold/new/000006_add_nickname.down.sql --json >"$tmp/doc7.json"
check "every field docs/json.md documents is in the JSON" python3 -c "
import json, re
docs = [re.match(r'\| \`([^\`]+)\`', l).group(1) for l in open('docs/json.md') if re.match(r'\| \`', l)]
runs = [json.load(open('$tmp/doc%s.json' % i)) for i in ('', 2, 3, 4, 5, 6, 7)]
runs.append(json.load(open('$tmp/doc-backfill.json')))
def has(o, path):
    for part in path.split('.'):
        arr = part.endswith('[]')
        key = part[:-2] if arr else part
        if not isinstance(o, dict) or key not in o:
            return False
        o = o[key]
        if arr:
            if not isinstance(o, list):
                return False
            if not o:
                return True
            o = o[0]
    return True
missing = [p for p in docs if not any(has(r, p) for r in runs)]
assert len(docs) > 80, len(docs)
assert not missing, missing
"

# --csv and --keep let anyone recompute the figures without mdrill (README).
mkdir -p "$tmp/csv"
"$M" run phone-not-null --fix fixes/make-nullable.sql --csv "$tmp/csv" --keep --json >"$tmp/r.json" 2>"$tmp/e"
kept=$(sed -n 's/^mdrill: kept the drill database at //p' "$tmp/e")
check "--csv writes the four files" sh -c "for f in transactions facts findings timeline; do test -s '$tmp/csv/'\$f.csv || exit 1; done"
check "  from which docs/recompute.py gets mdrill's figures again" sh -c "
	got=\$(python3 docs/recompute.py '$tmp/csv' '$kept' 'SELECT id, name, email, phone_number FROM users' users)
	want=\$(python3 -c \"import json; p=json.load(open('$tmp/r.json'))['preservation']; print('expected', p['expected'], 'preserved', p['preserved'])\")
	[ \"\$got\" = \"\$want\" ]"
[ -n "$kept" ] && rm -rf "$(dirname "$kept")"
check "--csv makes its directory, as mkdir -p" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --down --csv "$tmp/made/csv"
check "  writes there and says so" sh -c "test -s '$tmp/made/csv/facts.csv' && grep -qx 'mdrill: wrote transactions.csv, facts.csv, findings.csv and timeline.csv into $tmp/made/csv' '$tmp/e'"
check "--csv on a file is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --down --csv "$tmp/made/csv/facts.csv"
check "docs/recompute.py without arguments prints its usage (exit 2)" sh -c "python3 docs/recompute.py 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q '^usage: recompute.py CSV_DIR KEPT.db' '$tmp/e' && ! grep -q Traceback '$tmp/e'"

# mdrill check: every template against its @expect lines, and JUnit for CI.
check "check passes every shipped template on sqlite" sh -c "'$M' check --junit '$tmp/j.xml' >'$tmp/check.out'"
check "  one line each, then exactly 'N passed, 0 failed'" sh -c "
	n=\$(grep -c '^ok   scenarios/' '$tmp/check.out'); [ \$n -ge 20 ] && tail -1 '$tmp/check.out' | grep -qx \"\$n passed, 0 failed\""
check "  and well-formed JUnit XML" python3 -c "
import xml.etree.ElementTree as ET
s = ET.parse('$tmp/j.xml').getroot()[0]
assert s.get('failures') == '0' and int(s.get('tests')) == len(list(s)) >= 20
"
check "check takes a scenario's name, as run and show do" sh -c "'$M' check phone-not-null >'$tmp/o' && grep -q '^ok   scenarios/phone-not-null/fixes/make-nullable.sql on sqlite: verdict=pass' '$tmp/o' && grep -q '^ok   scenarios/phone-not-null/scenario.drill (down migration) on sqlite: verdict=fail' '$tmp/o' && tail -1 '$tmp/o' | grep -qx '6 passed, 0 failed'"
check "  and its .drill file: its templates and its own down migration" sh -c "'$M' check scenarios/safe-additive/scenario.drill | tail -1 | grep -qx '4 passed, 0 failed'"
check "  and a misspelled one is exit 2 with 'did you mean'" sh -c "'$M' check phone-not-nul 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"did you mean 'phone-not-null'\" '$tmp/e'"
mkdir -p "$tmp/chk/fixes"
cp tests/fixtures/tiny/scenario.drill "$tmp/chk/"
printf -- '-- @expect verdict=pass lost=0\nALTER TABLE kv RENAME COLUMN val TO v;\n' >"$tmp/chk/fixes/good.sql"
printf -- '-- @expect verdict=pass\nALTER TABLE kv DROP COLUMN val;\nALTER TABLE kv ADD COLUMN v TEXT;\n' >"$tmp/chk/fixes/bad.sql"
printf -- 'ALTER TABLE kv RENAME COLUMN val TO v;\n' >"$tmp/chk/fixes/silent.sql"
check "check: a mismatch and a template without expectations exit 1" status_is 1 "$tmp/o" "$tmp/e" check "$tmp/chk"
check "  naming each, and counting them" sh -c "grep -q '^FAIL .*bad.sql on sqlite: verdict=fail; expected verdict=pass' '$tmp/o' &&
	grep -q '^FAIL .*silent.sql on sqlite: no .-- @expect. lines' '$tmp/o' && tail -1 '$tmp/o' | grep -qx '2 passed, 2 failed'"
printf -- '-- @expect vibes=good\nSELECT 1;\n' >"$tmp/chk/fixes/odd.sql"
check "check: an unreadable expectation is exit 2" status_is 2 "$tmp/o" "$tmp/e" check "$tmp/chk/fixes/odd.sql"

# Fixes and down migrations as migration tools keep them (tests/fixtures/layouts).
L=tests/fixtures/layouts
T=tests/fixtures/tiny
for lay in flyway golang dbmate dbmate-rename-back.sql sqitch; do
	check "--fix $lay passes on tiny" status_is 0 "$tmp/o" "$tmp/e" run $T --fix $L/$lay
done
"$M" run $T --fix $L/flyway --json >"$tmp/fly.json"
check "  a Flyway directory applies V2, V3 then R__ (every statement completes)" python3 -c "
import json
f = json.load(open('$tmp/fly.json'))['fix']
assert f['applied'] and f['statements'] == 6 and f['applied_statements'] == 6, f
"
check "a gap in the versions is no error: the tool applies them in order (exit 1, the verdict)" status_is 1 "$tmp/o" "$tmp/e" run $T --fix $L/flyway-gap
check "  but a note naming the gap" grep -qF "mdrill: note: $L/flyway-gap: a gap in the versions: 3 comes after 1 (applied in order, as the tool does; is a file missing?)" "$tmp/e"
check "an unknown layout is exit 2" status_is 2 "$tmp/o" "$tmp/e" run $T --fix $L/unknown
check "  naming the file, what was looked for and what was found" grep -qF "'fix.sql' fits no tool's naming (found 1 .sql file; looked for Flyway" "$tmp/e"
check "an undo script given to --fix is exit 2" status_is 2 "$tmp/o" "$tmp/e" run $T --fix $L/flyway/U2__rename_back.sql
check "--down FILE: Alembic's offline downgrade runs (exit 0 on tiny)" status_is 0 "$tmp/o" "$tmp/e" run $T --down $L/alembic-downgrade.sql
check "--down=DIR: a Flyway undo directory" status_is 0 "$tmp/o" "$tmp/e" run $T --down=$L/flyway-undo
check "a down migration failing halfway is a verdict (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run $T --down $L/flyway --json
check "  naming the file and line that failed" python3 -c "
import json
f = json.load(open('$tmp/o'))['fix']
assert f['kind'] == 'down' and f['failed_statement'] == 2, f
assert f['failed_file'] == '$L/flyway/U3__index_values.sql' and f['failed_line'] == 1, f
"
# A team's Flyway undo script is the scenario's down migration: the same drill, byte for byte.
"$M" run phone-not-null --down downs/flyway --json --set rows=300 >"$tmp/u.json"
"$M" run phone-not-null --down --json --set rows=300 >"$tmp/d.json"
check "phone-not-null: the Flyway undo script drills as the scenario's down" python3 -c "
import json
u, d = json.load(open('$tmp/u.json')), json.load(open('$tmp/d.json'))
assert u['fix']['label'] == 'downs/flyway' and u['fix']['kind'] == 'down', u['fix']
u['fix']['label'] = d['fix']['label']
assert u == d
assert d['verdict'] == 'fail'
"
check "  and Alembic's downgrade fails it too (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --down downs/alembic-downgrade.sql --set rows=300
check "compare --down FILE sets the team's down beside the fix" status_is 0 "$tmp/o" "$tmp/e" compare phone-not-null --fix fixes/flyway --down downs/alembic-downgrade.sql --set rows=300
check "  naming both" grep -q ' alembic-downgrade.sql  *flyway$' "$tmp/o"
check "every disposable database is gone after the layouts" no_drill_dirs

# Seed data from CSV: bad quoting names the file and the row, exit 2.
cp -r scenarios/varchar-to-int "$tmp/csvbad"
sed '4s/^3,"\([0-9]*\)",/3,"ab"c,/' scenarios/varchar-to-int/orders.csv >"$tmp/csvbad/orders.csv"
check "a CSV seed row with bad quoting is exit 2" status_is 2 "$tmp/o" "$tmp/e" run "$tmp/csvbad" --down
check "  naming the file and the row" grep -q "$tmp/csvbad/orders.csv: row 4: error parsing data while strict checking enabled" "$tmp/e"
check "  and runs nothing" no_drill_dirs

# Chaos: crash points, faults, swarm mode.
check "--faults fix-crash=all: a fix that cannot be re-run fails (exit 1)" status_is 1 "$tmp/crash.json" "$tmp/e" run rename-email --fix fixes/expand-dual-write.sql --faults fix-crash=all --json
check "  one crash point per statement; the re-runs after the expand's COMMIT fail" python3 -c "
import json
d = json.load(open('$tmp/crash.json'))
p = d['crash_points']
assert d['roll_forward'] is False and d['verdict'] == 'fail', d['roll_forward']
assert [c['after_statement'] for c in p] == list(range(1, 9)), p
assert all(c['converged'] for c in p[:6]), p
for c in p[6:]:
    assert not c['converged'] and not c['rerun_completed'] and c['error'] == 'duplicate column name: email', c
assert any('not roll-forward-able: after a crash at statement 7' in r for r in d['reasons']), d['reasons']
"
check "--faults fix-crash=all: the re-runnable template converges everywhere (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run rename-email --fix fixes/expand-rerunnable.sql --faults fix-crash=all
check "  and says so per crash point" sh -c "grep -q '^Roll-forward: 11 of 11 crash points converged' '$tmp/o' && [ \$(grep -c '^  after statement .* converged\$' '$tmp/o') -eq 11 ]"
check "--faults fix-crash=7 runs the drill with that crash (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run rename-email --fix fixes/expand-dual-write.sql --faults fix-crash=7 --json
check "  reporting where it crashed" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['fix']['crashed_after'] == 7 and len(d['crash_points']) == 1, d['fix']
assert d['faults'][0]['fault'] == 'fix-crash' and d['faults'][0]['arg'] == 7, d['faults']
"
check "fix-crash past the last statement is exit 2" status_is 2 "$tmp/o" "$tmp/e" run rename-email --fix fixes/expand-dual-write.sql --faults fix-crash=9
check "  naming how many there are" grep -q 'fix-crash=9: the fix has 8 statements' "$tmp/e"
check "an unknown fault is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix fixes/rename-back.sql --faults meteor
check "  listing the faults there are" grep -q "unknown fault 'meteor' (expected fix-crash=K|all, kill-client" "$tmp/e"
check "fix-timeout on SQLite is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix fixes/rename-back.sql --faults fix-timeout=50
check "--faults random without --seeds is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix fixes/rename-back.sql --faults random
sed 's/^-- at 60 fix$/-- at 50 fault meteor=3\n-- at 60 fix/' tests/fixtures/tiny/scenario.drill | sed 's/\\n/\n/' >"$tmp/bad/scenario.drill"
line=$(grep -n 'fault meteor' "$tmp/bad/scenario.drill" | cut -d: -f1)
check "a bad timeline fault is exit 2 with FILE:LINE" sh -c "'$M' run '$tmp/bad' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q '$tmp/bad/scenario.drill:$line: unknown fault .meteor=3.' '$tmp/e'"
check "disk-full during the fix: a drill outcome, not a crash (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --fix fixes/make-nullable.sql --faults disk-full=2000 --set rows=300 --json
check "  the fix's COMMIT fails as io, and its transaction took nothing with it" python3 -c "
import json
d = json.load(open('$tmp/o'))
f = d['fix']
assert f['error_class'] == 'io' and f['failed_sql'] == 'COMMIT' and not f['applied'], f
assert d['faults'][0]['fault'] == 'disk-full' and d['faults'][0]['arg'] == 2000, d['faults']
assert d['preservation']['lost_rows'] == 0 and d['preservation']['corrupted'] == 0, d['preservation']
"
check "ioerr after 3 writes fails the fix the same way (exit 1)" sh -c "'$M' run phone-not-null --fix fixes/make-nullable.sql --faults ioerr=3 --set rows=300 >'$tmp/o'; [ \$? -eq 1 ] && grep -q 'failed at statement 6 (line 25): disk I/O error \\[io\\]' '$tmp/o'"
check "kill-client: killed transactions are counted, the oracle accepts them (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/chaos --fix fixes/drop-index.sql --seed 2
check "  and named" sh -c "grep -q '^Connections lost in 30 transactions' '$tmp/o' && grep -q 'as its COMMIT went out, lost with the connection' '$tmp/o'"

# Swarm: the racy template loses writes on some seed; the right one on none.
check "swarm: backfill-then-dual-write fails over seeds 1..200 (exit 1)" status_is 1 "$tmp/sw" "$tmp/e" run rename-email --fix fixes/backfill-then-dual-write.sql --seeds 1..200
check "  with the distribution, the worst seed and a command" sh -c "head -1 '$tmp/sw' | grep -q 'seeds 1..200: 200 runs, [0-9]* pass, [1-9][0-9]* fail' && grep -q '^  worst: seed [0-9]*, score [0-9]* (fail)' '$tmp/sw' && grep -q '^  reproduce: $M run rename-email --fix fixes/backfill-then-dual-write.sql --seed [0-9]*\$' '$tmp/sw'"
repro=$(sed -n "s|^  reproduce: $M ||p" "$tmp/sw")
# shellcheck disable=SC2086 # the command's words are meant to split
check "  which reproduces the failure (exit 1)" status_is 1 "$tmp/o" "$tmp/e" $repro --json
check "  and the loss" python3 -c "
import json
p = json.load(open('$tmp/o'))['preservation']
assert p['expected'] > p['preserved'], p
"
check "swarm: expand-dual-write passes every seed of 1..200 (exit 0)" status_is 0 "$tmp/sw2" "$tmp/e" run rename-email --fix fixes/expand-dual-write.sql --seeds 1..200
check "  200 pass, 0 fail" grep -q 'seeds 1..200: 200 runs, 200 pass, 0 fail' "$tmp/sw2"
"$M" run rename-email --fix fixes/expand-dual-write.sql --seeds 1..40 --faults random --json >"$tmp/sa.json" 2>/dev/null
"$M" run rename-email --fix fixes/expand-dual-write.sql --seeds 1..40 --faults random --json >"$tmp/sb.json" 2>/dev/null
check "swarm with random faults: the same seeds, the same JSON" cmp "$tmp/sa.json" "$tmp/sb.json"
check "  each seed draws its own faults, and a crash after the expand fails it" python3 -c "
import json
d = json.load(open('$tmp/sa.json'))
r = d['results']
assert d['runs'] == 40 == len(r) and [x['seed'] for x in r] == list(range(1, 41))
kinds = set(x['faults'].split('=')[0] for x in r)
assert kinds == {'', 'fix-crash', 'kill-client'}, kinds
for x in r:
    if x['faults'] in ('fix-crash=7', 'fix-crash=8'):
        assert x['verdict'] == 'fail', x
    if x['faults'] in ('', 'kill-client'):
        assert x['verdict'] == 'pass', x
"
check "kill-client past 1000 is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix fixes/rename-back.sql --faults kill-client=2000
check "random among other faults is exit 2" status_is 2 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..2 --faults random,busy=5
check "compare with --seeds is exit 2" status_is 2 "$tmp/o" "$tmp/e" compare tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 1..2
check "--seeds 0..0 is a swarm of one" sh -c "'$M' run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 0..0 | head -1 | grep -q 'seeds 0..0: 1 runs, 1 pass, 0 fail'"
check "a range ending at the largest seed ends" sh -c "'$M' run tests/fixtures/tiny --fix fixes/rename-back.sql --seeds 18446744073709551614..18446744073709551615 | head -1 | grep -q ': 2 runs, 2 pass'"
cp -r tests/fixtures/tiny "$tmp/my tiny"
check "the reproducing command quotes what needs quoting" sh -c "'$M' run '$tmp/my tiny' --fix fixes/fails-halfway.sql --seeds 1..2 | grep -q \"^  reproduce: $M run '$tmp/my tiny' --fix fixes/fails-halfway.sql --seed [12]\\$\""
"$M" run rename-email --fix fixes/expand-dual-write.sql --seeds 1..400 >"$tmp/o" 2>"$tmp/e" &
pid=$!
sleep 2
kill -TERM $pid
wait $pid
rc=$?
check "swarm: a TERM to mdrill alone stops the workers (exit 130)" test "$rc" -eq 130
check "  and removes their databases" no_drill_dirs
sed 's/^-- at 60 fix$/-- at 50 fault fix-timeout=5\n-- at 60 fix/' tests/fixtures/tiny/scenario.drill | sed 's/\\n/\n/' >"$tmp/bad/scenario.drill"
line=$(grep -n 'fault fix-timeout' "$tmp/bad/scenario.drill" | cut -d: -f1)
check "a timeline fault the engine cannot have is exit 2 with FILE:LINE" sh -c "'$M' run '$tmp/bad' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q '$tmp/bad/scenario.drill:$line: fix-timeout sets PostgreSQL' '$tmp/e'"
sed 's/^-- at 60 fix$/-- at 50 fault fix-crash=1\n-- at 60 fix/' tests/fixtures/tiny/scenario.drill | sed 's/\\n/\n/' >"$tmp/bad/scenario.drill"
check "fix-crash in the timeline is exit 2: it needs the run without the crash" sh -c "'$M' run '$tmp/bad' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"'fault fix-crash=1' belongs on the command line\" '$tmp/e'"
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nALTER TABLE nosuch ADD COLUMN x TEXT;\nSELECT 1;\n' >"$tmp/elsewhere-fix.sql"
check "crash points the fix never reached are not tried" sh -c "'$M' run tests/fixtures/tiny --fix '$tmp/elsewhere-fix.sql' --faults fix-crash=all >'$tmp/o'; [ \$? -eq 1 ] && grep -q '^  after statement 3   not tried: the fix failed first: no such table: nosuch' '$tmp/o' && grep -q '^Roll-forward: 0 of 1 crash points converged .*; 2 not reached' '$tmp/o'"
check "a team's down file is named, not called the scenario's own" sh -c "'$M' run phone-not-null --down downs/flyway --set rows=200 | grep -q '^Down migration downs/flyway: '"
check "every disposable database is gone after the chaos" no_drill_dirs

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
# Hardening: files that are no text files, limits, escapes, interrupted statements.
mkfifo "$tmp/fifo.sql"
check "a FIFO as the fix is exit 2 at once, not a wait" sh -c "timeout 10 '$M' run tests/fixtures/tiny --fix '$tmp/fifo.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'not a regular file' '$tmp/e'"
ln -s /dev/zero "$tmp/zero.sql"
check "a link to /dev/zero as the fix is exit 2 at once" sh -c "timeout 10 '$M' run tests/fixtures/tiny --fix '$tmp/zero.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'not a regular file' '$tmp/e'"
cp -r scenarios/varchar-to-int "$tmp/csvzero"
rm "$tmp/csvzero/orders.csv" && ln -s /dev/zero "$tmp/csvzero/orders.csv"
check "a seed CSV linked to /dev/zero is exit 2 at once" sh -c "timeout 10 '$M' run '$tmp/csvzero' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'orders.csv.: not a regular file' '$tmp/e'"
head -c 3000 /dev/zero | tr '\0' 'x' >"$tmp/big.sql"
check "a file past MDRILL_MAX_FILE_SIZE is exit 2, naming the limit" sh -c "MDRILL_MAX_FILE_SIZE=2K '$M' run tests/fixtures/tiny --fix '$tmp/big.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'big.sql.: larger than 2 KiB, the limit' '$tmp/e'"
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nSELECT\0 1;\n' >"$tmp/nul.sql"
check "a NUL byte is exit 2 with its line" sh -c "'$M' run tests/fixtures/tiny --fix '$tmp/nul.sql' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'NUL byte at line 2' '$tmp/e'"
for set in busy=0 busy=-1 busy=9223372036854775807 stall=nan awkward=2 awkward=-1 awkward=nan rows=1.5; do
	check "--set $set is exit 2, blaming the command line" sh -c "'$M' run tests/fixtures/tiny --fix fixes/rename-back.sql --set $set >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q -- '--set $set: ' '$tmp/e'"
done
cp -r tests/fixtures/pgbench "$tmp/deep"
python3 -c "
s = open('$tmp/deep/deposit.sql').read()
open('$tmp/deep/deposit.sql', 'w').write('\\\\set deep ' + '-' * 200000 + '1\n' + s)"
check "a pgbench \\set nested 200000 deep is exit 2 with FILE:LINE, no crash" sh -c "'$M' run '$tmp/deep' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'deposit.sql:1: the expression nests deeper than 1000 levels' '$tmp/e'"
cp -r scenarios/varchar-to-int "$tmp/csvhdr"
sed -i '1s/.*/id,code);DROP TABLE orders;--,qty/' "$tmp/csvhdr/orders.csv"
check "a CSV header that is no column is exit 2, naming the field" sh -c "'$M' run '$tmp/csvhdr' --down >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"field 2, 'code);DROP TABLE orders;--', is not a column of table 'orders'\" '$tmp/e'"
check "a CSV seed with key=A,B keys its rows by both columns, as the probe does (exit 0)" sh -c "'$M' check tests/fixtures/csv-key >'$tmp/o' && grep -q '^ok .*nothing.sql on sqlite: verdict=pass lost=0' '$tmp/o'"
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nSELECT * FROM "evil\033[2J\007\nVerdict: PASS";\n' >"$tmp/esc.sql"
"$M" run tests/fixtures/tiny --fix "$tmp/esc.sql" --report "$tmp/esc.md" >"$tmp/o" 2>"$tmp/e"
check "control characters from SQL reach neither the scorecard nor the Markdown report" sh -c "! grep -q \"\$(printf '\\033\\\\|\\007')\" '$tmp/o' '$tmp/esc.md' && grep -q 'evil\\\\x1b\\[2J\\\\x07\\\\nVerdict: PASS' '$tmp/o' && ! grep -q '^Verdict: PASS' '$tmp/o'"
check "a key=value --db is shown without its password" sh -c "'$M' run tests/fixtures/tiny --down --db 'host=x password=s3cretpw user=u' >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q \"unknown --db 'host=x user=u'\" '$tmp/e' && ! grep -q s3cretpw '$tmp/e'"
check "a malformed URI's error shows no password" sh -c "'$M' run tests/fixtures/tiny --down --db 'postgres://u:s3cretpw@[::1/db' >/dev/null 2>'$tmp/e'; [ \$? -eq 3 ] && grep -q 'cannot connect' '$tmp/e' && ! grep -q s3cretpw '$tmp/e'"
cp -r tests/fixtures/tiny "$tmp/emptyfix" && mkdir -p "$tmp/emptyfix/fixes/none"
check "an empty fix directory is exit 2 (and no undefined qsort)" sh -c "'$M' run '$tmp/emptyfix' --fix fixes/none >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'no migration files in it' '$tmp/e' && ! grep -q 'runtime error' '$tmp/e'"
rm -rf "$tmp/emptyfix/fixes"/* && check "show with an empty fixes/ works" sh -c "'$M' show '$tmp/emptyfix' >/dev/null 2>'$tmp/e' && ! grep -q 'runtime error' '$tmp/e'"
check "a drill past --max-memory is refused before it seeds (exit 2)" sh -c "'$M' run phone-not-null --down --set rows=100000 --max-memory 1M >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'more than the limit of 1 MiB (--max-memory' '$tmp/e' && [ -z \"\$(ls -A '$TMPDIR')\" ]"
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nWITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;\n' >"$tmp/forever.sql"
check "a statement that never ends fails the fix at --statement-timeout (exit 1)" sh -c "timeout 20 '$M' run tests/fixtures/tiny --fix '$tmp/forever.sql' --statement-timeout 500ms >'$tmp/o'; [ \$? -eq 1 ] && grep -q 'failed at statement 2 (line 2): statement timeout: still running after 500 ms' '$tmp/o'"
"$M" run tests/fixtures/tiny --fix "$tmp/forever.sql" >/dev/null 2>&1 &
pid=$!
sleep 1
start=$(date +%s)
kill -TERM $pid
wait $pid
rc=$?
took=$(($(date +%s) - start))
check "a TERM stops a statement that never ends: exit 130 within seconds ($took s)" sh -c "[ $rc -eq 130 ] && [ $took -le 3 ]"
check "  and removes the database" no_drill_dirs
mkdir -p "$tmp/slowsetup"
sed 's/^CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT);$/CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT);\nCREATE TABLE spin AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r;/' tests/fixtures/tiny/scenario.drill >"$tmp/slowsetup/scenario.drill"
line=$(grep -n 'CREATE TABLE spin' "$tmp/slowsetup/scenario.drill" | cut -d: -f1)
check "a set-up statement past --statement-timeout is exit 2 with FILE:LINE" sh -c "timeout 20 '$M' run '$tmp/slowsetup' --down --statement-timeout 500ms >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q '$tmp/slowsetup/scenario.drill:$line: schema statement failed on sqlite: statement timeout' '$tmp/e'"
check "  and removes the database" no_drill_dirs
# Killed at random moments, drills leave what a SIGKILL leaves; one gc removes it all.
sqlite_kills=0
for i in 1 2 3 4; do
	for j in 1 2 3 4 5; do
		"$M" run phone-not-null --fix fixes/make-nullable.sql --set rows=3000 --set end_at=400000 >/dev/null 2>&1 &
		eval "p$j=\$!"
	done
	for j in 1 2 3 4 5; do
		sleep "0.$(awk "BEGIN { srand($i * 10 + $j); printf \"%03d\", rand() * 400 }")"
		eval "kill -KILL \$p$j" 2>/dev/null && sqlite_kills=$((sqlite_kills + 1))
	done
	wait
done
left=$(ls "$TMPDIR" | grep -c '^mdrill-')
"$M" gc >"$tmp/gc.out" 2>"$tmp/e"
check "SIGKILL at 20 random moments ($sqlite_kills hit a live drill): $left directories left, then one 'mdrill gc' leaves none" sh -c "[ $sqlite_kills -ge 15 ] && [ -z \"\$(ls -A '$TMPDIR')\" ] && tail -1 '$tmp/gc.out' | grep -qx '$left removed\|nothing to remove'"
"$M" run tests/fixtures/tiny --fix fixes/rename-back.sql --keep >/dev/null 2>"$tmp/e"
kept=$(sed -n 's/^mdrill: kept the drill database at //p' "$tmp/e")
"$M" gc >/dev/null 2>&1
check "gc leaves a database kept with --keep" test -f "$kept"
[ -n "$kept" ] && rm -rf "$(dirname "$kept")"
"$M" run phone-not-null --down --set rows=200000 --set end_at=100000000 >/dev/null 2>&1 &
pid=$!
sleep 1
"$M" gc >"$tmp/gc.out" 2>&1
check "gc leaves a live drill's directory" sh -c "[ \$(ls '$TMPDIR' | grep -c '^mdrill-') -eq 1 ] && grep -qx 'nothing to remove' '$tmp/gc.out'"
kill -INT $pid
wait $pid
# PostgreSQL: the same drills on the throwaway server, and nothing left behind.
pg=${MDRILL_PG_URL:-}
pgcheck "check --engines sqlite,postgres runs both engines" sh -c "'$M' check scenarios/phone-not-null --engines sqlite,postgres --db '${MDRILL_PG_URL:-}' >'$tmp/o' && grep -q 'make-nullable.sql on postgres: verdict=pass' '$tmp/o' && grep -q 'fixes/flyway on postgres: verdict=pass lost=0' '$tmp/o' && tail -1 '$tmp/o' | grep -qx '12 passed, 0 failed'"
pgcheck "  and drops its databases" no_pg_dbs
pgcheck "postgres: make-nullable passes (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run phone-not-null --db "$pg" --fix fixes/make-nullable.sql --set rows=300
pgcheck "  and its database is dropped" no_pg_dbs
pgcheck "postgres: down migration fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --db "$pg" --down --set rows=300
pgcheck "  with the phone numbers counted as lost fields" grep -q "^  incident .* [1-9][0-9]* *0 *0 *0\.[0-9]*$" "$tmp/o"
pgcheck "  and its database is dropped" no_pg_dbs
printf -- '-- @fux\nSELECT 1;\n' >"$tmp/badfix.sql"
pgcheck "postgres: a malformed fix file is exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --db "$pg" --fix "$tmp/badfix.sql"
pgcheck "  and no database is made" no_pg_dbs
pgcheck "postgres: a failing fix is exit 1" status_is 1 "$tmp/o" "$tmp/e" run phone-not-null --db "$pg" --fix "$tmp/broken.sql" --set rows=100
pgcheck "  and its database is dropped" no_pg_dbs

# A password never appears in output, messages or reports.
pw=$(printf '%s' "$pg" | sed 's|postgres://postgres@|postgres://postgres:s3cretpw@|')
pgcheck "postgres: a URL with a password works" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --db "$pw" --fix fixes/rename-back.sql --keep
pgcheck "  and the password is in no output" sh -c "grep -q '^Verdict: PASS' '$tmp/o' && grep -q 'kept the drill database' '$tmp/e' && ! grep -q s3cretpw '$tmp/o' '$tmp/e'"
kept=$(sed -n 's/^mdrill: kept the drill database at database //p' "$tmp/e")
pgcheck "--keep names the database it kept" test -n "$kept"
pgcheck "  which is there, with the drill in it" sh -c "psql '$(printf '%s' "$pg" | sed "s|/postgres?|/$kept?|")' -Atc 'SELECT count(*) FROM schema_migrations' | grep -q '^3$'"
[ -n "$kept" ] && psql "$pg" -qc "DROP DATABASE IF EXISTS $kept" >/dev/null 2>&1
pgcheck "an unreachable server is exit 3" status_is 3 "$tmp/o" "$tmp/e" run tests/fixtures/tiny --db "postgres://postgres:s3cretpw@/postgres?host=/nonexistent" --fix fixes/rename-back.sql
pgcheck "  and its message shows no password" sh -c "grep -q 'cannot connect' '$tmp/e' && ! grep -q s3cretpw '$tmp/e'"

# lint on both engines: a bad migration only PostgreSQL's block has wrong.
mkdir -p "$tmp/lintpg"
sed 's/^ALTER TABLE users ALTER COLUMN phone_number SET NOT NULL;$/ALTER TABLE users ALTER phone_number SET NOTNULL;/' scenarios/phone-not-null/scenario.drill >"$tmp/lintpg/scenario.drill"
check "lint: PostgreSQL's bad migration is not SQLite's: clean there (exit 0)" status_is 0 "$tmp/o" "$tmp/e" lint "$tmp/lintpg"
pgcheck "lint --engines sqlite,postgres: exit 1" status_is 1 "$tmp/o" "$tmp/e" lint "$tmp/lintpg" --engines sqlite,postgres --db "$pg"
pgcheck "  the refusal named with FILE:LINE and PostgreSQL's message" grep -qx "  FAIL  migration bad: $tmp/lintpg/scenario.drill:80: statement 4 of 5: syntax error at or near \"NOTNULL\"" "$tmp/o"
# A down migration that names a column the failed migration never made is a problem, expected or not.
pgcheck "  and the down migration failing after it, on the column that is not there" grep -q "^  FAIL  down migration: .*column \"phone_number\" of relation \"users\" does not exist" "$tmp/o"
pgcheck "  two problems, and its databases dropped" sh -c "tail -1 '$tmp/o' | grep -qx '2 problems' && [ \"\$(psql '$pg' -Atc \"SELECT count(*) FROM pg_database WHERE datname LIKE 'mdrill\\_%'\")\" = 0 ]"

# Ctrl-C drops the database.
if [ -n "$pg" ]; then
	"$M" run phone-not-null --db "$pg" --down --set end_at=100000000 >"$tmp/o" 2>"$tmp/e" &
	pid=$!
	sleep 2
	kill -INT $pid
	wait $pid
	rc=$?
fi
pgcheck "postgres: Ctrl-C exits 130" test "${rc:-0}" -eq 130
pgcheck "  and drops the database" no_pg_dbs

# Client backends killed mid-drill: the transactions they were in are
# resolved with pg_xact_status, the drill goes on, the fix still passes.
kill_drill() { # kill_drill JSON [--concurrent]: run a drill, kill its clients' backends
	out=$1
	shift
	"$M" run phone-not-null --db "$pg" "$@" --fix fixes/make-nullable.sql --set rows=300 --set end_at=60000 --json >"$out" 2>"$tmp/e" &
	pid=$!
	for i in 1 2 3 4 5 6; do
		sleep 0.5
		psql "$pg" -qAtc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mdrill client'" >/dev/null 2>&1
	done
	wait $pid
}
for mode in deterministic concurrent; do
	rc=1
	if [ -n "$pg" ]; then
		if [ $mode = concurrent ]; then kill_drill "$tmp/kill.json" --concurrent; else kill_drill "$tmp/kill.json"; fi
		rc=$?
	fi
	pgcheck "postgres ($mode): killed client backends, the drill still passes" test "$rc" -eq 0
	pgcheck "  and counts the lost connections" python3 -c "
import json
d = json.load(open('$tmp/kill.json'))
c = d['connections']
assert d['mode'] == '$mode', d['mode']
assert c['lost'] > 0, c
assert c['lost'] == c['committed'] + c['aborted'] + c['indeterminate'], c
assert d['preservation']['ratio'] == 1.0
"
	pgcheck "  and drops the database" no_pg_dbs
done
# Chaos on PostgreSQL: the backend is terminated, pg_xact_status settles kills.
pgcheck "postgres: fix-crash after the expand's COMMIT: the re-run fails (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run rename-email --db "$pg" --fix fixes/expand-dual-write.sql --faults fix-crash=7 --set rows=300 --json
pgcheck "  not roll-forward-able" python3 -c "
import json
d = json.load(open('$tmp/o'))
c = d['crash_points'][0]
assert d['roll_forward'] is False and not c['converged'] and 'already exists' in c['error'], c
"
pgcheck "postgres: the re-runnable template converges after the same crash (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run rename-email --db "$pg" --fix fixes/expand-rerunnable.sql --faults fix-crash=9 --set rows=300 --json
pgcheck "  with the same schema" python3 -c "
import json
d = json.load(open('$tmp/o'))
assert d['roll_forward'] is True and d['crash_points'][0]['same_schema'], d['crash_points']
"
pgcheck "postgres: killed clients, settled by the server (exit 0)" status_is 0 "$tmp/o" "$tmp/e" run tests/fixtures/chaos --db "$pg" --fix fixes/drop-index.sql --seed 2 --json
pgcheck "  every kill counted, ratio 1" python3 -c "
import json
d = json.load(open('$tmp/o'))
c = d['connections']
assert c['lost'] == 30 == c['committed'] + c['aborted'] + c['indeterminate'], c
assert d['preservation']['ratio'] == 1.0
"
pgcheck "postgres: fix-timeout cancels a fix that waits on its lock (exit 1)" status_is 1 "$tmp/o" "$tmp/e" run lock-storm --db "$pg" --fix fixes/add-constraint.sql --faults fix-timeout=20 --set rows=300
pgcheck "  naming the statement timeout" grep -q 'canceling statement due to statement timeout' "$tmp/o"
pgcheck "postgres: disk-full is SQLite's VFS: exit 2" status_is 2 "$tmp/o" "$tmp/e" run phone-not-null --db "$pg" --fix fixes/make-nullable.sql --faults disk-full=100
pgcheck "  and every chaos database is dropped" no_pg_dbs
# Hardening on PostgreSQL: a superuser is refused, statements are bounded, kills are swept up.
su_url=${MDRILL_PG_SUPER_URL:-}
pgcheck "postgres: a superuser --db is refused (exit 2), with the CREATEDB role to make instead" sh -c "[ -n '$su_url' ] && '$M' run tests/fixtures/tiny --db '$su_url' --fix fixes/rename-back.sql >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'a superuser' '$tmp/e' && grep -q '^mdrill:     CREATE ROLE mdrill LOGIN CREATEDB' '$tmp/e' && grep -q '^mdrill:     GRANT CONNECT ON DATABASE postgres TO mdrill;' '$tmp/e'"
pgcheck "  and runs with --allow-superuser (exit 0)" sh -c "[ -n '$su_url' ] && '$M' run tests/fixtures/tiny --db '$su_url' --allow-superuser --fix fixes/rename-back.sql >/dev/null 2>&1"
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nSET statement_timeout = 0;\nSELECT pg_sleep(3600);\n' >"$tmp/sleep.sql"
pgcheck "postgres: pg_sleep(3600) fails the fix at --statement-timeout, SET statement_timeout = 0 or not" sh -c "timeout 20 '$M' run tests/fixtures/tiny --db '$pg' --fix '$tmp/sleep.sql' --statement-timeout 1s >'$tmp/o'; [ \$? -eq 1 ] && grep -q 'failed at statement 3 (line 3): statement timeout' '$tmp/o'"
if [ -n "$pg" ]; then
	"$M" run tests/fixtures/tiny --db "$pg" --fix "$tmp/sleep.sql" >/dev/null 2>&1 &
	pid=$!
	sleep 2
	start=$(date +%s)
	kill -TERM $pid
	wait $pid
	rc=$?
	took=$(($(date +%s) - start))
fi
pgcheck "postgres: a TERM cancels a statement that never ends: exit 130 within seconds (${took:-?} s)" sh -c "[ ${rc:-0} -eq 130 ] && [ ${took:-9} -le 3 ]"
pgcheck "  and drops the database" no_pg_dbs
printf 'ALTER TABLE kv RENAME COLUMN val TO v;\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND usename = current_user;\n' >"$tmp/term.sql"
[ -n "$pg" ] && "$M" run tests/fixtures/tiny --db "$pg" --fix "$tmp/term.sql" >/dev/null 2>&1
pgcheck "postgres: a fix that terminates mdrill's maintenance connection leaves no database" no_pg_dbs
if [ -n "$pg" ]; then
	pg_kills=0
	for i in 1 2 3 4; do
		for j in 1 2 3 4 5; do
			"$M" run phone-not-null --db "$pg" --fix fixes/make-nullable.sql --set rows=300 --set end_at=20000 >/dev/null 2>&1 &
			eval "p$j=\$!"
		done
		for j in 1 2 3 4 5; do
			sleep "0.$(awk "BEGIN { srand($i * 10 + $j + 100); printf \"%03d\", rand() * 500 }")"
			eval "kill -KILL \$p$j" 2>/dev/null && pg_kills=$((pg_kills + 1))
		done
		wait
	done
	pleft=$(pg_dbs)
	"$M" gc --db "$pg" >"$tmp/gc.out" 2>"$tmp/e"
	pafter=$(pg_dbs)
fi
pgcheck "postgres: SIGKILL at 20 random moments (${pg_kills:-0} hit a live drill): ${pleft:-?} databases left, then one 'mdrill gc --db' leaves none" sh -c "[ ${pg_kills:-0} -ge 15 ] && [ '${pafter:-x}' = 0 ] && tail -1 '$tmp/gc.out' | grep -qx '${pleft:-x} removed\|nothing to remove'"
echo "# $n checks"
