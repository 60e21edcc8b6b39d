#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML reports in a real browser: headless Chromium renders a drill's
# page (phone-not-null's down migration, and a chaos run with many events),
# a compare page, and a live drill's report (in seconds, its team's
# actions on the timeline, the facts lost under it), at 1400 px and at a
# projector's 1024 px.  The DOM it
# built must hold the timeline's markers and series, its console must stay
# silent, and the layout it computed must keep every event label clear of
# the others, of the lines and of the plot, with no axis labels overlapping
# and no page wider than the window (tests/browser-layout.js, injected into
# a copy of each page).  Screenshots are kept in build/browser/ to look at.
# Without chromium the checks say SKIPPED.
set -u
M=${MDRILL:-./mdrill}
out=${BROWSER_OUT:-build/browser}
n=0
chromium=$(command -v chromium || command -v chromium-browser || true)
. "$(dirname "$0")/tap.sh"
pages="drill chaos compare live"
widths="1400 1024"
if [ -z "$chromium" ] && [ "${CI:-}" = true ]; then
	n=$((n + 1))
	echo "not ok $n - chromium is required under CI=true (the test setup installs it)"
	echo "# $n browser checks"
	exit 0
fi
if [ -z "$chromium" ]; then
	why="no chromium: apt-get install chromium"
	skip "the HTML report renders in headless Chromium" "$why"
	skip "  with its markers in the rendered SVG" "$why"
	skip "  a silent console" "$why"
	for p in $pages; do
		for w in $widths; do
			skip "$p page at $w px: labels, axes and width laid out clear" "$why"
			skip "  and a screenshot" "$why"
		done
	done
	echo "# $n browser checks"
	exit 0
fi
mkdir -p "$out"
dir=$(cd "$out" && pwd)
tmp=$(mktemp -d /tmp/mdrill-browser-XXXXXX)
profile=$tmp/profile
mkdir "$profile"
trap 'rm -rf "$tmp"' EXIT
"$M" run phone-not-null --down --report "$dir/drill.html" >/dev/null 2>&1
"$M" run rename-email --fix fixes/expand-dual-write.sql --faults fix-crash=7,kill-client=3,busy=50@2000,slow-fix=5 \
	--report "$dir/chaos.html" >/dev/null 2>&1
"$M" compare phone-not-null --fix fixes/make-nullable.sql --report "$dir/compare.html" >/dev/null 2>&1
# A live drill, a scripted team: the down migration, the column back, the end.
TMPDIR=$tmp "$M" drill phone-not-null --speed 2000 --team browser --out "$tmp/live" >/dev/null 2>"$tmp/live.err" &
live=$!
i=0
while ! grep -q 'the control socket' "$tmp/live.err" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sock=$(sed -n 's/^mdrill: the control socket: //p' "$tmp/live.err")
sleep 1.5
printf 'ALTER TABLE users ADD COLUMN phone_number TEXT;\n' >"$tmp/readd.sql"
"$M" drill down --drill "$sock" >/dev/null 2>&1
sleep 1
"$M" drill apply "$tmp/readd.sql" --drill "$sock" >/dev/null 2>&1
sleep 1
"$M" drill end --drill "$sock" >/dev/null 2>&1
wait $live
cp "$tmp/live/report.html" "$dir/live.html" 2>/dev/null
# The flags a sandboxed machine with no network needs (see the workplace notes).
set -- --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$profile"
timeout 120 "$chromium" "$@" --enable-logging=stderr --v=0 --dump-dom "file://$dir/drill.html" \
	>"$dir/dom.html" 2>"$dir/console.log"
check "the HTML report renders in headless Chromium" test -s "$dir/dom.html"
check "  with its markers in the rendered SVG" sh -c "grep -q 'data-marker=\"bad migration\"' '$dir/dom.html' &&
	grep -q 'data-marker=\"down migration starts\"' '$dir/dom.html' &&
	grep -q '<polyline class=\"failed\"' '$dir/dom.html' && grep -q '<rect class=\"incident\"' '$dir/dom.html'"
check "  a silent console" sh -c "[ -s '$dir/dom.html' ] && [ -f '$dir/console.log' ] && ! grep -q 'CONSOLE' '$dir/console.log'"
for p in $pages; do
	# A copy with the layout check at its end; the page itself carries no script.
	{
		sed '/^<\/body>$/,$d' "$dir/$p.html"
		printf '<script>\n'
		cat tests/browser-layout.js
		printf '</script>\n</body>\n</html>\n'
	} >"$dir/$p-check.html"
	for w in $widths; do
		timeout 120 "$chromium" "$@" --window-size="$w,1000" --dump-dom "file://$dir/$p-check.html" \
			2>/dev/null | sed -n '/<pre id="layout-check">L/,/<\/pre>/p' >"$dir/$p-$w.layout"
		check "$p page at $w px: labels, axes and width laid out clear" grep -q "LAYOUT OK [1-9][0-9]* charts at ${w}px" "$dir/$p-$w.layout"
		grep -v 'LAYOUT OK' "$dir/$p-$w.layout" | sed 's/<[^>]*>//g; /^$/d; s/^/#   /' | head -8
		timeout 120 "$chromium" "$@" --window-size="$w,3000" --screenshot="$dir/$p-$w.png" "file://$dir/$p.html" \
			>/dev/null 2>&1
		check "  and a screenshot ($out/$p-$w.png)" sh -c "[ \$(wc -c <'$dir/$p-$w.png') -gt 20000 ]"
	done
done
echo "# $n browser checks"
