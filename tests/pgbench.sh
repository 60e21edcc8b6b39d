#!/bin/sh
# SPDX-License-Identifier: MIT
# pgbench itself accepts the scripts that drive the pgbench fixture's app
# versions: on the throwaway server, in a scratch database holding the
# fixture's schema, 'pgbench -n -t 3 -f FILE' exits 0 for every one, and
# exits non-zero for a deliberately broken script, which mdrill refuses
# too (exit 2, FILE:LINE).  Without a server or pgbench those checks say
# SKIPPED; under CI=true that is a failure.  Prints "ok N - ..." per check.
set -u
M=${MDRILL:-./mdrill}
fixture=tests/fixtures/pgbench
n=0
tmp=$(mktemp -d /tmp/mdrill-pgbench-XXXXXX)
db=pgbench_fixture_$$
url=""
cleanup() {
	if [ -n "$url" ]; then
		psql "$MDRILL_PG_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/tap.sh"

exits_with() { # exits_with WANT COMMAND...: the command exits with WANT
	want=$1
	shift
	"$@" >"$tmp/o" 2>"$tmp/e"
	[ $? -eq "$want" ]
}

# A script pgbench must refuse: its expression stops half way.
printf '\\set aid random(1, \nSELECT 1;\n' >"$tmp/broken.sql"

# mdrill refuses it whatever the machine has: the scenario does not load.
sed 's|^-- @app v1 pgbench=deposit.sql$|-- @app v1 pgbench=broken.sql|' "$fixture/scenario.drill" >"$tmp/scenario.drill"
cp "$fixture"/*.sql "$tmp/"
check "mdrill refuses the broken script (exit 2)" exits_with 2 "$M" show "$tmp/scenario.drill"
check "  with FILE:LINE and what was expected" grep -q "^mdrill: $tmp/broken.sql:1: expected a number, ':var', a function or '(' at the end of the expression$" "$tmp/e"

pgbench=$(command -v pgbench || true)
if [ -z "$pgbench" ]; then
	for d in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
		if [ -x "$d/pgbench" ]; then pgbench=$d/pgbench; break; fi
	done
fi
why=""
[ -n "$pgbench" ] || why="no pgbench: apt-get install postgresql-client"
[ -n "${MDRILL_PG_URL:-}" ] || why="no PostgreSQL server"
scripts=$(ls "$fixture"/*.sql)
if [ -n "$why" ]; then
	if [ "${CI:-}" = true ]; then
		n=$((n + 1))
		echo "not ok $n - pgbench checks need what is missing under CI=true: $why"
	else
		for f in $scripts; do
			n=$((n + 1))
			echo "SKIPPED $n - pgbench runs $(basename "$f") ($why)"
		done
		n=$((n + 1))
		echo "SKIPPED $n - pgbench refuses the broken script ($why)"
	fi
	echo "# $n pgbench checks"
	exit 0
fi

url=$(printf '%s' "$MDRILL_PG_URL" | sed "s|/postgres?|/$db?|")
check "a scratch database for pgbench" psql "$MDRILL_PG_URL" -qc "CREATE DATABASE $db"
# The fixture's schema, from its '-- @schema' block.
sed -n '/^-- @schema/,/^$/p' "$fixture/scenario.drill" | grep -v '^--' >"$tmp/schema.sql"
check "  with the fixture's schema" psql "$url" -q -v ON_ERROR_STOP=1 -f "$tmp/schema.sql"
for f in $scripts; do
	check "pgbench runs $(basename "$f") (exit 0)" "$pgbench" -n -t 3 -f "$f" "$url"
done
check "pgbench refuses the broken script (exit 1)" exits_with 1 "$pgbench" -n -t 3 -f "$tmp/broken.sql" "$url"
check "  as a syntax error" grep -q "syntax error" "$tmp/e"
echo "# $n pgbench checks"
