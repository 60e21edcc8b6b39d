#!/bin/sh
# SPDX-License-Identifier: MIT
# Make sure the build's Debian packages are here; install the missing ones.
# Run by make before anything compiles, so a fresh machine needs no manual step.
set -u
missing=""
have_header() {
	printf '#include <%s>\n' "$1" | ${CC:-cc} $2 -E -x c - >/dev/null 2>&1
}
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
have_header sqlite3.h "" || missing="$missing libsqlite3-dev"
have_header libpq-fe.h "-I$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)" || missing="$missing libpq-dev"
have_header csv.h "" || missing="$missing libcsv-dev"
have_header cmocka.h "" || missing="$missing libcmocka-dev"
[ -z "$missing" ] && exit 0

echo "mdrill: the build needs these Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "mdrill: run as root, or install them: sudo apt-get install$missing" >&2
	exit 1
fi
echo "mdrill: installing them with apt-get (one time)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || true
if ! apt-get install -y -qq $missing >&2; then
	echo "mdrill: apt-get could not install:$missing" >&2
	exit 1
fi
