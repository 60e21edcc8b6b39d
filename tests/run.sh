#!/bin/sh
# Run every test binary given and the command-line tests, then print one
# closing line "N passed, N failed, N skipped" (tests, not binaries).
# Starts a throwaway PostgreSQL server for the tests that need one and
# stops it at the end, also when a test fails.  Without server binaries
# those tests are SKIPPED (counted); under CI=true that is a failure.
# Exit 1 if any test failed or a binary crashed.  Under CI=true the plain
# run (MDRILL_SAN empty) also runs the whole suite again under AddressSanitizer
# and UBSan (make asan) and each fuzz target briefly (make fuzz,
# FUZZ_SECONDS, default 15): CI runs exactly 'make test', and this is how
# both are in it.  Each counts as checks of this run.
set -u
passed=0
failed=0
skipped=0

# Under CI the browser check of the HTML report is required: install Chromium.
if [ "${CI:-}" = true ] && ! command -v chromium >/dev/null 2>&1; then
	echo "mdrill: CI=true needs chromium for the HTML report's browser check; installing it with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 ||
		echo "mdrill: apt-get could not install chromium"
fi

# Every disposable database the tests make goes here, so none can hide.
scratch=$(mktemp -d /tmp/mdrill-tests-XXXXXX)
export TMPDIR="$scratch"
pgdir=$(mktemp -d /tmp/mdrill-pg-XXXXXX)
chmod 755 "$pgdir"
stop_pg() { sh tests/pgserver.sh stop "$pgdir/s"; rm -rf "$pgdir" "$scratch"; }
trap stop_pg EXIT
trap 'exit 130' INT TERM
url=$(sh tests/pgserver.sh start "$pgdir/s" 2>"$pgdir/err")
rc=$?
if [ $rc -eq 0 ]; then
	# The tests run as a role with CREATEDB only, as a drill should; a few
	# check what a superuser is refused, through the second URL.
	export MDRILL_PG_URL="$url"
	MDRILL_PG_SUPER_URL=$(sh tests/pgserver.sh super "$pgdir/s")
	export MDRILL_PG_SUPER_URL
	echo "PostgreSQL: a throwaway server on a Unix socket in $pgdir/s"
elif [ $rc -eq 3 ] && [ "${CI:-}" != true ]; then
	echo "SKIPPED: the PostgreSQL tests (no server binaries here: apt-get install postgresql)"
else
	echo "PostgreSQL: the throwaway server did not start${CI:+ (CI=true requires it)}:"
	cat "$pgdir/err"
	failed=$((failed + 1))
fi

for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	s=$(printf '%s\n' "$out" | sed -n 's/^ \([0-9]*\) SKIPPED TEST.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		echo "$t: exited with status $rc"
		failed=$((failed + 1))
	fi
done
left=$(ls "$scratch" | grep '^mdrill-' | tr '\n' ' ')
if [ -n "$left" ]; then
	echo "not ok - disposable databases left behind in $scratch: $left"
	failed=$((failed + 1))
else
	echo "ok - no disposable database left behind"
	passed=$((passed + 1))
fi
cli=""
for script in cli catalogue browser pgbench; do
	got=$(sh tests/$script.sh 2>&1)
	cli="$cli
$got"
	# A script that stops early must not pass for fewer checks: it owes its closing count.
	if ! printf '%s\n' "$got" | grep -q "^# [0-9]* .*checks$"; then
		cli="$cli
not ok - tests/$script.sh stopped before its end"
	fi
done
printf '%s\n' "$cli"
passed=$((passed + $(printf '%s\n' "$cli" | grep -c '^ok ')))
failed=$((failed + $(printf '%s\n' "$cli" | grep -c '^not ok ')))
skipped=$((skipped + $(printf '%s\n' "$cli" | grep -c '^SKIPPED ')))

if [ "${CI:-}" = true ] && [ -z "${MDRILL_SAN:-}" ]; then
	# The sanitizers' run is a suite of its own: its closing line is its verdict.
	asan=$(${MAKE:-make} --no-print-directory asan 2>&1)
	arc=$?
	printf '%s\n' "$asan" >build/asan.log
	last=$(printf '%s\n' "$asan" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ $arc -eq 0 ] && printf '%s\n' "$last" | grep -q ' 0 failed'; then
		echo "ok - make asan: $last"
		passed=$((passed + 1))
	else
		echo "not ok - make asan: ${last:-it did not finish} (exit $arc; see build/asan.log)"
		printf '%s\n' "$asan" | grep -E '^not ok|FAILED|runtime error|ERROR: AddressSanitizer' | head -20
		failed=$((failed + 1))
	fi
	if ! command -v clang-14 >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
		echo "mdrill: CI=true needs clang for the fuzz targets; installing it with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null 2>&1 ||
			echo "mdrill: apt-get could not install clang"
	fi
	fuzz=$(${MAKE:-make} --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}" 2>&1)
	frc=$?
	printf '%s\n' "$fuzz" | grep -E '^(not )?ok |^#'
	if [ $frc -ne 0 ] || ! printf '%s\n' "$fuzz" | grep -q '^# [0-9]* fuzz checks'; then
		echo "not ok - make fuzz stopped before its end (exit $frc)"
		failed=$((failed + 1))
	fi
	passed=$((passed + $(printf '%s\n' "$fuzz" | grep -c '^ok ')))
	failed=$((failed + $(printf '%s\n' "$fuzz" | grep -c '^not ok ')))
fi
echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
