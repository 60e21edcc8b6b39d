#!/bin/sh
# SPDX-License-Identifier: MIT
# Run each fuzz target for SECONDS: tests/fuzz.sh BUILD SECONDS TARGET...
# Each starts from a seed corpus of the shipped files (copied into
# BUILD/corpus/TARGET, where libFuzzer keeps what it finds) and prints
# "ok - fuzz TARGET: N runs in S s" or "not ok - ..." with the crash, then
# a closing "# N fuzz checks".  A crash input is kept in BUILD/crashes/.
set -u
build=$1
secs=$2
shift 2
n=0
seeds() {
	case $1 in
	scenario) find scenarios tests/fixtures -name '*.drill' ;;
	pgbench) find tests/fixtures/pgbench scenarios -name '*.sql' -path '*pgbench*' ; ls tests/fixtures/pgbench/*.sql ;;
	layout) find scenarios tests/fixtures -name '*.sql' ;;
	csv) find scenarios tests/fixtures tests/fuzz/regress -name '*.csv' ;;
	esac
}
for t in "$@"; do
	n=$((n + 1))
	corpus="$build/corpus/$t"
	mkdir -p "$corpus" "$build/crashes"
	for f in $(seeds "$t" | sort -u); do cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"; done
	log="$build/fuzz-$t.log"
	"$build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/crashes/$t-" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "ok $n - fuzz $t: ${runs:-?} runs in $secs s, no crash, no leak"
	else
		echo "not ok $n - fuzz $t: exit $rc after ${runs:-?} runs (see $log)"
		grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/#   /'
	fi
done
echo "# $n fuzz checks"
