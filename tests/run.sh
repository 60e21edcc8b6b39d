#!/bin/sh
# Run every test binary given and the command-line tests, then print one
# closing line "N passed, N failed" (tests, not binaries).  Exit 1 if any
# test failed or a binary crashed.
set -u
passed=0
failed=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		echo "$t: exited with status $rc"
		failed=$((failed + 1))
	fi
done
cli=$(sh tests/cli.sh 2>&1)
printf '%s\n' "$cli"
p=$(printf '%s\n' "$cli" | grep -c '^ok ')
f=$(printf '%s\n' "$cli" | grep -c '^not ok ')
passed=$((passed + p))
failed=$((failed + f))
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
