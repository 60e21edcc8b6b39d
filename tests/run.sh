#!/bin/sh
# Run every test binary given and the command-line tests, then print one
# closing line "N passed, N failed, N skipped" (tests, not binaries).
# Starts a throwaway PostgreSQL server for the tests that need one and
# stops it at the end, also when a test fails.  Without server binaries
# those tests are SKIPPED (counted); under CI=true that is a failure.
# Exit 1 if any test failed or a binary crashed.
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
	export MDRILL_PG_URL="$url"
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
for script in cli catalogue fidelity live browser pgbench; do
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
echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
