#!/bin/sh
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL server for the tests and the benchmark:
#   tests/pgserver.sh start DIR   initdb into DIR, start on a Unix socket in DIR
#                                 (no TCP listener), make the role mdrill with
#                                 CREATEDB and nothing more, and print its URL:
#                                 the privileges mdrill needs (docs/security.md)
#   tests/pgserver.sh super DIR   print the superuser's URL, for tests that
#                                 check what a superuser is refused
#   tests/pgserver.sh stop DIR    stop it and remove DIR
# Run as root, the server runs as the postgres user.  Exit 3 when the
# server binaries are not on this machine.
set -eu
cmd=$1
dir=$2

bindir() {
	d=$(pg_config --bindir 2>/dev/null || true)
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
	done
	return 1
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
	bin=$(bindir) || { echo "no PostgreSQL server binaries (initdb, pg_ctl)" >&2; exit 3; }
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
	as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync \
		-E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c max_prepared_transactions=10" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bin/psql" -q -X -v ON_ERROR_STOP=1 "postgres://postgres@/postgres?host=$dir" \
		-c "CREATE ROLE mdrill LOGIN CREATEDB" >"$dir/role.log" 2>&1 ||
		{ cat "$dir/role.log" >&2; exit 1; }
	echo "postgres://mdrill@/postgres?host=$dir"
	;;
super)
	echo "postgres://postgres@/postgres?host=$dir"
	;;
stop)
	bin=$(bindir) || exit 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
