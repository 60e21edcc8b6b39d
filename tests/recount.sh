#!/bin/sh
# SPDX-License-Identifier: MIT
# The oracle held to a second implementation of its rule: every fix
# template of the catalogue, and every scenario's down migration, run on
# SQLite with --csv and --keep, and docs/recompute.py's count of expected
# and preserved facts, from the exports and the kept file alone, must be
# the scorecard's.  Seeds 1 and 2.  Prints "ok N - ..." / "not ok N - ...".
set -u
M=${MDRILL:-./mdrill}
n=0
tmp=$(mktemp -d /tmp/mdrill-recount-XXXXXX)
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

# one SCENARIO_DIR SEED ARGS...: a drill, then the recount against its JSON.
one() {
	dir=$1 seed=$2
	shift 2
	what="$(basename "$dir") $* seed $seed"
	rm -rf "$tmp/csv" "$TMPDIR"/*
	"$M" run "$dir" "$@" --seed "$seed" --csv "$tmp/csv" --keep --json >"$tmp/r.json" 2>"$tmp/e"
	rc=$?
	kept=$(sed -n 's/^mdrill: kept the drill database at //p' "$tmp/e")
	if [ $rc -gt 1 ] || [ -z "$kept" ]; then
		n=$((n + 1))
		echo "not ok $n - $what: the drill did not run (exit $rc)"
		sed 's/^/#   /' "$tmp/e" | head -3
		return
	fi
	got=$(python3 docs/recompute.py --scenario "$dir/scenario.drill" "$tmp/csv" "$kept" 2>&1)
	want=$(python3 -c "import json; p=json.load(open('$tmp/r.json'))['preservation']; print('expected', p['expected'], 'preserved', p['preserved'])")
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $what: $got, as the scorecard"
	else
		echo "not ok $n - $what: recounted '$got', the scorecard says '$want'"
	fi
}

for seed in 1 2; do
	for dir in scenarios/*/; do
		dir=${dir%/}
		one "$dir" "$seed" --down
		for fix in "$dir"/fixes/*; do
			one "$dir" "$seed" --fix "fixes/$(basename "$fix")"
		done
	done
done
echo "# $n recount checks"
