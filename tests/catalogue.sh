#!/bin/sh
# SPDX-License-Identifier: MIT
# The scenario catalogue, checked through mdrill check: every shipped
# scenario's down migration and its fix templates, on SQLite (seeds 1 and 2)
# and on PostgreSQL (seed 1, when MDRILL_PG_URL names a server), must come
# to what their '-- @expect' lines say.  A template or a down migration
# without an expectation is a failure, never a silent pass, and every
# scenario must have its down migration checked.  Prints "ok N - ..." /
# "not ok N - ...".
set -u
M=${MDRILL:-./mdrill}
n=0
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
		# Every scenario of the catalogue has a down migration, the rollback baseline: each checked.
		for dir in scenarios/*/; do
			n=$((n + 1))
			if grep -q "^ok   ${dir}scenario.drill (down migration) on $engine:\|^FAIL ${dir}scenario.drill (down migration) on $engine:" /tmp/mdrill-catalogue.$$; then
				echo "ok $n - $(basename "$dir") has its down migration checked on $engine, seed $seed"
			else
				echo "not ok $n - $(basename "$dir"): no down migration checked on $engine, seed $seed"
			fi
		done
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
