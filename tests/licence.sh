#!/bin/sh
# SPDX-License-Identifier: MIT
# The licences: every source file says it is MIT (an SPDX line near its
# top), and every fixture directory holding another project's files keeps
# that project's licence text and a NOTICE beside them, is listed in
# THIRD-PARTY.md, and is under no copyleft licence (GPL, AGPL, LGPL, MPL),
# so that mdrill and its tests can be used and packaged under MIT.  Prints
# "ok N - what" or "not ok N - what" per check, and the closing count.
set -u
n=0
tmp=$(mktemp -d /tmp/mdrill-licence-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
M=${MDRILL:-./mdrill}

. "$(dirname "$0")/tap.sh"

# The source files: C, headers, scripts, the Makefile and CI's entry point; fixtures are data.
find . \( -path ./build -o -path ./build-asan -o -path ./build-fuzz -o -path ./.git -o -path ./tests/fixtures \
	-o -path ./scenarios \) -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.js' \
	-o -name '*.py' -o -name Makefile \) -print | sort >"$tmp/sources"
[ -f .ci/run ] && echo ./.ci/run >>"$tmp/sources"
: >"$tmp/nospdx"
while read -r f; do
	head -n 20 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f" >>"$tmp/nospdx"
done <"$tmp/sources"
check "every source file ($(wc -l <"$tmp/sources") of them) has 'SPDX-License-Identifier: MIT' in its first lines" \
	sh -c "[ -s '$tmp/sources' ] && ! grep . '$tmp/nospdx'"
check "LICENSE is the MIT licence of the mdrill authors" sh -c "grep -q '^MIT License' LICENSE && grep -q 'the mdrill authors' LICENSE"

# A fixture directory is another project's when it keeps a licence or a NOTICE; each of THIRD-PARTY.md's too.
for d in tests/fixtures/*/; do
	d=${d%/}
	ls "$d" | grep -q -i -E '^(licen[cs]e|copying|notice)' && echo "$d"
done >"$tmp/third"
grep -o '`tests/fixtures/[^`]*`' THIRD-PARTY.md | tr -d '`' >>"$tmp/third"
sort -u "$tmp/third" -o "$tmp/third"
check "there are third-party fixtures, and THIRD-PARTY.md lists them" sh -c "[ -s '$tmp/third' ]"
while read -r d; do
	check "$d: listed in THIRD-PARTY.md" grep -q "\`$d\`" THIRD-PARTY.md
	check "$d: its licence text beside it" sh -c "ls '$d' | grep -q -i -E '^(licen[cs]e|copying)'"
	check "$d: a NOTICE naming the project, repository, commit, path and licence" sh -c \
		"f=\$(ls '$d'/NOTICE* 2>/dev/null | head -1) && [ -n \"\$f\" ] && grep -q -i 'repository' \"\$f\" &&
		 grep -q -i 'commit' \"\$f\" && grep -q -i 'path' \"\$f\" && grep -q -i -E 'licen[cs]e' \"\$f\" &&
		 grep -q -i -E 'https?://' \"\$f\""
	check "$d: under no copyleft licence (GPL, AGPL, LGPL, MPL)" sh -c \
		"! cat '$d'/* 2>/dev/null | grep -q -i -E 'GNU (AFFERO |LESSER |LIBRARY )?GENERAL PUBLIC LICEN|Mozilla Public License|SPDX-License-Identifier: *(A?GPL|LGPL|MPL)'"
done <"$tmp/third"
# Nor anywhere else among the fixtures.
check "no fixture file is under a copyleft licence" sh -c \
	"! grep -r -l -i -E 'GNU (AFFERO |LESSER |LIBRARY )?GENERAL PUBLIC LICEN|Mozilla Public License' tests/fixtures"
echo "# $n licence checks"
