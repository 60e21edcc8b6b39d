#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test binary given and the test scripts, then print one closing
# line "N passed, N failed, N skipped" (tests, not binaries).  Two lanes run
# side by side, so both cores work: the binaries then catalogue.sh,
# recount.sh, fidelity.sh and scaffold.sh; and cli.sh then adversary.sh,
# readme.sh, live.sh, pgbench.sh, browser.sh and licence.sh.  Each script's lines stream as they come,
# prefixed with its name, and each ends with a line of counts; the full
# logs stay in $TEST_LOGS.  Each lane has a throwaway PostgreSQL server of
# its own (cli.sh and test_pg count the server's databases, so they share
# it with nobody), stopped at the end, also when a test fails; the tests
# run as a role with CREATEDB only, as a drill should, and a few check what
# a superuser is refused through MDRILL_PG_SUPER_URL.  Without server
# binaries those tests are SKIPPED (counted); under CI=true that is a
# failure.  Exit 1 if any test failed or a binary crashed.  Under CI=true
# the plain run (MDRILL_SAN empty) also runs the whole suite again under
# AddressSanitizer and UBSan (make asan) and each fuzz target briefly (make
# fuzz, FUZZ_SECONDS, default 15): CI runs exactly 'make test', and this is
# how both are in it.  Each counts as checks of this run.
set -u
logs=${TEST_LOGS:-build/test-logs}

# Under CI the browser check of the HTML report is required: install Chromium.
if [ "${CI:-}" = true ] && ! command -v chromium >/dev/null 2>&1; then
	echo "mdrill: CI=true needs chromium for the HTML report's browser check; installing it with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
		echo "mdrill: apt-get could not install chromium"
fi

rm -rf "$logs"
mkdir -p "$logs"
# Every disposable database the tests make goes here, so none can hide.
scratch=$(mktemp -d /tmp/mdrill-tests-XXXXXX)
export TMPDIR="$scratch"
pgdir=$(mktemp -d /tmp/mdrill-pg-XXXXXX)
chmod 755 "$pgdir"
lanes=""
# Each lane in a process group of its own (set -m), so a stop ends the whole lane.
set -m
stop_all() {
	for p in $lanes; do kill -TERM -- "-$p" 2>/dev/null; done
	sh tests/pgserver.sh stop "$pgdir/a"
	sh tests/pgserver.sh stop "$pgdir/b"
	rm -rf "$pgdir" "$scratch"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# One server per lane; the setup's own failures are counted in setup.log.
: >"$logs/setup.log"
url_a="" url_b="" super_a="" super_b=""
for lane in a b; do
	url=$(sh tests/pgserver.sh start "$pgdir/$lane" 2>"$pgdir/err.$lane")
	rc=$?
	if [ $rc -eq 0 ]; then
		eval "url_$lane=\$url"
		eval "super_$lane=\$(sh tests/pgserver.sh super \"\$pgdir/\$lane\")"
	elif [ $rc -eq 3 ] && [ "${CI:-}" != true ]; then
		[ $lane = a ] && echo "SKIPPED: the PostgreSQL tests (no server binaries here: apt-get install postgresql)"
		break
	else
		echo "not ok - throwaway PostgreSQL server $lane did not start${CI:+ (CI=true requires it)}:" |
			tee -a "$logs/setup.log"
		cat "$pgdir/err.$lane"
	fi
done
[ -n "$url_a" ] && echo "PostgreSQL: two throwaway servers on Unix sockets in $pgdir"

# counts LOG: "N ok, N not ok, N skipped" of a script's log
counts() {
	echo "$(grep -c '^ok ' "$1") ok, $(grep -c '^not ok ' "$1") not ok, $(grep -c '^SKIPPED ' "$1") skipped"
}

# script NAME: run tests/NAME.sh, its lines streamed with a prefix and kept in the log.
script() {
	start=$(date +%s)
	sh "tests/$1.sh" 2>&1 | tee "$logs/$1.log" | sed -u "s/^/[$1] /"
	# A script that stops early must not pass for fewer checks: it owes its closing count.
	if ! grep -q "^# [0-9]* .*checks$" "$logs/$1.log"; then
		echo "not ok - tests/$1.sh stopped before its end" >>"$logs/$1.log"
		echo "[$1] not ok - tests/$1.sh stopped before its end"
	fi
	echo "[$1] done in $(($(date +%s) - start)) s: $(counts "$logs/$1.log")"
}

# binaries BIN...: each cmocka binary, a line of counts each (its whole output when it fails).
binaries() {
	for t in "$@"; do
		name=$(basename "$t")
		"$t" >"$logs/$name.out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$logs/$name.out" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$logs/$name.out" | tail -1)
		s=$(sed -n 's/^ \([0-9]*\) SKIPPED TEST.*/\1/p' "$logs/$name.out" | tail -1)
		# The lanes' counts go through the log, as a script's do.
		i=0
		while [ $i -lt "${p:-0}" ]; do echo "ok - $name"; i=$((i + 1)); done >>"$logs/binaries.log"
		i=0
		while [ $i -lt "${f:-0}" ]; do echo "not ok - $name"; i=$((i + 1)); done >>"$logs/binaries.log"
		i=0
		while [ $i -lt "${s:-0}" ]; do echo "SKIPPED - $name"; i=$((i + 1)); done >>"$logs/binaries.log"
		if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
			echo "not ok - $name exited with status $rc" >>"$logs/binaries.log"
			f=1
		fi
		if [ -n "$f" ]; then
			sed "s/^/[$name] /" "$logs/$name.out"
		fi
		echo "[$name] ${p:-0} passed, ${f:-0} failed${s:+, $s skipped}"
	done
}

: >"$logs/binaries.log"
(
	export MDRILL_PG_URL="$url_b" MDRILL_PG_SUPER_URL="$super_b"
	[ -n "$url_b" ] || unset MDRILL_PG_URL MDRILL_PG_SUPER_URL
	binaries "$@"
	script catalogue
	script recount
	script fidelity
	script scaffold
) &
lanes="$!"
(
	export MDRILL_PG_URL="$url_a" MDRILL_PG_SUPER_URL="$super_a"
	[ -n "$url_a" ] || unset MDRILL_PG_URL MDRILL_PG_SUPER_URL
	script cli
	script adversary
	script readme
	script live
	script pgbench
	script browser
	script licence
) &
lanes="$lanes $!"
wait
lanes=""

left=$(ls "$scratch" | grep '^mdrill-' | tr '\n' ' ')
if [ -n "$left" ]; then
	echo "not ok - disposable databases left behind in $scratch: $left" >>"$logs/setup.log"
else
	echo "ok - no disposable database left behind" >>"$logs/setup.log"
fi
cat "$logs/setup.log"

# Under CI the sanitizers' suite and the fuzz targets are checks of this run too.
: >"$logs/ci.log"
if [ "${CI:-}" = true ] && [ -z "${MDRILL_SAN:-}" ]; then
	echo "[ci] make asan: the whole suite again under AddressSanitizer and UBSan"
	${MAKE:-make} --no-print-directory asan >"$logs/asan.log" 2>&1
	arc=$?
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/asan.log" | tail -1)
	if [ $arc -eq 0 ] && printf '%s\n' "$last" | grep -q ' 0 failed'; then
		echo "ok - make asan: $last" >>"$logs/ci.log"
	else
		echo "not ok - make asan: ${last:-it did not finish} (exit $arc; see $logs/asan.log)" >>"$logs/ci.log"
		grep -E '^not ok|FAILED|runtime error|ERROR: AddressSanitizer' "$logs/asan.log" | head -20
	fi
	if ! command -v clang-14 >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
		echo "mdrill: CI=true needs clang for the fuzz targets; installing it with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null 2>&1 ||
			echo "mdrill: apt-get could not install clang"
	fi
	echo "[ci] make fuzz: each target for ${FUZZ_SECONDS:-15} s"
	${MAKE:-make} --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}" >"$logs/fuzz.log" 2>&1
	frc=$?
	grep -E '^(not )?ok |^SKIPPED ' "$logs/fuzz.log" >>"$logs/ci.log"
	if [ $frc -ne 0 ] || ! grep -q '^# [0-9]* fuzz checks' "$logs/fuzz.log"; then
		echo "not ok - make fuzz stopped before its end (exit $frc)" >>"$logs/ci.log"
	fi
	sed 's/^/[ci] /' "$logs/ci.log"
fi

passed=0 failed=0 skipped=0
for log in "$logs/setup.log" "$logs/binaries.log" "$logs/catalogue.log" "$logs/recount.log" \
	"$logs/fidelity.log" "$logs/scaffold.log" "$logs/cli.log" "$logs/adversary.log" "$logs/readme.log" \
	"$logs/live.log" "$logs/pgbench.log" "$logs/browser.log" "$logs/licence.log" "$logs/ci.log"; do
	[ -f "$log" ] || { echo "not ok - $log is missing"; failed=$((failed + 1)); continue; }
	passed=$((passed + $(grep -c '^ok ' "$log")))
	failed=$((failed + $(grep -c '^not ok ' "$log")))
	skipped=$((skipped + $(grep -c '^SKIPPED ' "$log")))
done
echo
echo "logs: $logs"
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep -h '^not ok ' "$logs"/*.log | sed 's/^/  /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
