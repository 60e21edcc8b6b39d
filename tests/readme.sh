#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's examples, run as a newcomer would copy them.  Each example is
# the fenced block right after a marker line:
#   <!-- example: file PATH -->      saved as PATH (a scenario, a fix)
#   <!-- example: commands -->       each line './mdrill ARGS  # ... exit N'
#                                    run where the files were saved; its
#                                    exit status must be N; on PostgreSQL
#                                    too (run with --db, lint and check
#                                    with --engines postgres) when
#                                    MDRILL_PG_URL names a server
#   <!-- example: excerpt PATH -->   must appear, line for line, in PATH
# Prints "ok N - ..." / "not ok N - ..." / "SKIPPED N - ..." per check.
set -u
M=${MDRILL:-./mdrill}
case $M in /*) ;; *) M=$(pwd)/$M ;; esac
readme=${README:-README.md}
n=0
tmp=$(mktemp -d /tmp/mdrill-readme-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/blocks" "$tmp/work"

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }

# Each marked block into blocks/K, and "K LINE KIND ARG" into the index.
awk -v dir="$tmp/blocks" '
	/^<!-- example: .* -->$/ {
		k++; marker = $0; sub(/^<!-- example: /, "", marker); sub(/ -->$/, "", marker)
		printf "%d %d %s\n", k, NR, marker > (dir "/index")
		want = 1; next
	}
	want && /^```/ { want = 0; inside = 1; printf "" > (dir "/" k); next }
	want { printf "%d %d unfenced\n", k, NR > (dir "/index"); want = 0 }
	inside && /^```$/ { inside = 0; next }
	inside { print > (dir "/" k) }
' "$readme"

files=0 commands=0 excerpts=0
while read -r k line kind arg; do
	block="$tmp/blocks/$k"
	case $kind in
	file)
		mkdir -p "$tmp/work/$(dirname "$arg")"
		cp "$block" "$tmp/work/$arg"
		files=$((files + 1))
		;;
	excerpt)
		excerpts=$((excerpts + 1))
		if [ -f "$arg" ] && python3 -c "
import sys
sys.exit(0 if open('$block').read() in open('$arg').read() else 1)" 2>/dev/null; then
			ok "$readme:$line: the excerpt is in $arg, line for line"
		elif ! command -v python3 >/dev/null 2>&1; then
			n=$((n + 1)); echo "SKIPPED $n - $readme:$line: the excerpt of $arg (no python3)"
		else
			notok "$readme:$line: the excerpt is not in $arg as written"
		fi
		;;
	commands)
		commands=$((commands + 1))
		while IFS= read -r cmd; do
			[ -n "$cmd" ] || continue
			want=$(printf '%s\n' "$cmd" | sed -n 's/.*# .*exit \([0-9]*\)$/\1/p')
			args=$(printf '%s\n' "$cmd" | sed 's/ *#.*//; s|^\./mdrill ||')
			if [ -z "$want" ] || [ "$args" = "$cmd" ]; then
				notok "$readme:$line: '$cmd' is not './mdrill ARGS  # ... exit N'"
				continue
			fi
			# shellcheck disable=SC2086 # the words of the command are meant to split
			(cd "$tmp/work" && "$M" $args </dev/null >"$tmp/out" 2>&1)
			got=$?
			if [ "$got" = "$want" ]; then
				ok "$readme:$line: mdrill $args: exit $want"
			else
				notok "$readme:$line: mdrill $args: exit $got, the README says $want"
				sed 's/^/#   /' "$tmp/out" | tail -5
			fi
			sub=${args%% *}
			case $sub in
			run | compare) pgargs="--db ${MDRILL_PG_URL:-}" ;;
			lint | check) pgargs="--engines postgres --db ${MDRILL_PG_URL:-}" ;;
			*) continue ;;
			esac
			if [ -z "${MDRILL_PG_URL:-}" ]; then
				n=$((n + 1)); echo "SKIPPED $n - $readme:$line: mdrill $args on postgres (no server)"
				continue
			fi
			# shellcheck disable=SC2086
			(cd "$tmp/work" && "$M" $args $pgargs </dev/null >"$tmp/out" 2>&1)
			got=$?
			if [ "$got" = "$want" ]; then
				ok "$readme:$line: mdrill $args on postgres: exit $want"
			else
				notok "$readme:$line: mdrill $args on postgres: exit $got, the README says $want"
				sed 's/^/#   /' "$tmp/out" | tail -5
			fi
		done <"$block"
		;;
	unfenced)
		notok "$readme:$line: an example marker with no fenced block after it"
		;;
	*)
		notok "$readme:$line: unknown example kind '$kind' (expected file, commands or excerpt)"
		;;
	esac
done <"$tmp/blocks/index"

# The markers themselves must not go missing: a scenario, its fix, the commands.
if [ "$files" -ge 2 ] && [ "$commands" -ge 1 ] && [ "$excerpts" -ge 1 ]; then
	ok "$readme marks its examples: $files files, $commands command blocks, $excerpts excerpts"
else
	notok "$readme marks too few examples: $files files, $commands command blocks, $excerpts excerpts"
fi
echo "# $n README checks"
