/*
** The sandbox, escape by escape, on both engines: fix SQL that would reach
** outside the drill's database is refused with its reason and never runs
** (the file it would have written is not there, the role it would have made
** does not exist), a statement that never ends is stopped, the migration
** history cannot be rewritten unnoticed, a superuser is refused.  Each test
** would fail if the escape worked.  The PostgreSQL tests run against the
** throwaway server as the CREATEDB role tests/pgserver.sh makes; those
** about a superuser use MDRILL_PG_SUPER_URL.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "drillrun.h"
#include "pgtest.h"

#define TINY "tests/fixtures/tiny/scenario.drill"
#define WIDE "tests/fixtures/wide/scenario.drill"

static char scratch[64];   /* a directory of this test's own */

static const char *server(void)
{
	return pgtest_url();
}

static const char *super_server(void)
{
	const char *url = getenv("MDRILL_PG_SUPER_URL");
	return url && *url ? url : NULL;
}

#define NEED_SERVER()            \
	do {                     \
		if (!server())   \
			skip();  \
	} while (0)

/* Write sql into scratch/name; returns its path (static, until the next call). */
static const char *fix_file(const char *name, const char *sql)
{
	static char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(sql, f);
	fclose(f);
	return path;
}

static int exists(const char *path)
{
	struct stat st;
	return !stat(path, &st);
}

/* The drill ran; its fix failed at statement k with error class cls, naming what. */
static void assert_fix_failed(const struct run *r, int k, const char *cls, const char *what)
{
	assert_int_equal(r->rc, 0);
	assert_false(r->card.pass);
	assert_int_equal(r->card.fix.failed_statement, k);
	assert_non_null(r->card.fix.error);
	if (!strstr(r->card.fix.error, what) || strcmp(r->card.fix.error_class, cls))
		fail_msg("expected [%s] '%s', got [%s] '%s'", cls, what, r->card.fix.error_class,
			 r->card.fix.error);
}

static int setup_sqlite(void **state)
{
	(void)state;
	run_dialect = DIALECT_SQLITE;
	run_target = NULL;
	run_statement_timeout_ms = 0;
	run_allow_superuser = 0;
	return 0;
}

static int setup_pg(void **state)
{
	(void)state;
	run_dialect = DIALECT_POSTGRES;
	run_target = server();
	run_statement_timeout_ms = 0;
	run_allow_superuser = 0;
	return 0;
}

/* One number from the server (as the superuser when there is one), or -1. */
static long pg_long(const char *sql)
{
	PGconn *pg = PQconnectdb(super_server() ? super_server() : server());
	PGresult *r = PQexec(pg, sql);
	long v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(pg);
	return v;
}

static int teardown_pg(void **state)
{
	(void)state;
	run_dialect = DIALECT_SQLITE;
	run_target = NULL;
	if (server())
		assert_int_equal(pg_long("SELECT count(*) FROM pg_database WHERE datname LIKE 'mdrill\\_%'"), 0);
	return 0;
}

#define RENAME "ALTER TABLE kv RENAME COLUMN val TO v;\n"

/* SQLite */

static void sqlite_vacuum_into_refused(void **state)
{
	char target[256], sql[512];
	struct run r;
	(void)state;
	snprintf(target, sizeof(target), "%s/escaped.db", scratch);
	unlink(target);
	snprintf(sql, sizeof(sql), RENAME "VACUUM INTO '%s';\n", target);
	run_drill(&r, TINY, fix_file("vacuum.sql", sql), 1, NULL, 0);
	assert_fix_failed(&r, 2, "refused", "VACUUM INTO");
	assert_false(exists(target));
	run_release(&r);
}

static void sqlite_attach_refused(void **state)
{
	char victim[256], sql[512];
	sqlite3 *h;
	sqlite3_stmt *st;
	struct run r;
	int tables = -1;
	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim.db", scratch);
	unlink(victim);
	assert_int_equal(sqlite3_open(victim, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE keep (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	snprintf(sql, sizeof(sql), RENAME "ATTACH DATABASE '%s' AS v;\nCREATE TABLE v.planted (x);\n", victim);
	run_drill(&r, TINY, fix_file("attach.sql", sql), 1, NULL, 0);
	assert_fix_failed(&r, 2, "refused", "ATTACH");
	run_release(&r);
	assert_int_equal(sqlite3_open(victim, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_int_equal(tables, 1);   /* "keep" alone: nothing was planted */
}

/* Each journalling, locking or schema-writing PRAGMA fails at its own statement, named. */
static void sqlite_pragmas_refused(void **state)
{
	static const char *const pragmas[] = {
		"journal_mode=OFF", "locking_mode=EXCLUSIVE", "writable_schema=ON", "query_only=ON",
		"busy_timeout=60000", "temp_store_directory='/tmp'",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		char sql[256], name[64];
		struct run r;
		snprintf(sql, sizeof(sql), RENAME "PRAGMA %s;\n", pragmas[i]);
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(pragmas[i], "="), pragmas[i]);
		run_drill(&r, TINY, fix_file("pragma.sql", sql), 1, NULL, 0);
		/* Not "blocked for 500 ticks", not "statement 3 (line 0)": the PRAGMA, and why. */
		assert_fix_failed(&r, 2, "refused", name);
		assert_int_equal(r.card.fix.failed_line, 2);
		run_release(&r);
	}
}

/* A PRAGMA that only reads, and one a fix may need (foreign_keys), still run. */
static void sqlite_harmless_pragmas_run(void **state)
{
	struct run r;
	(void)state;
	run_drill(&r, TINY, fix_file("ok.sql", "PRAGMA journal_mode;\nPRAGMA foreign_keys=OFF;\n" RENAME), 1,
		  NULL, 0);
	assert_int_equal(r.rc, 0);
	assert_true(r.card.pass);
	run_release(&r);
}

/* The migration history is the audit trail: deleting, rewriting or dropping it fails the verdict. */
static void history_rewrites_fail(void **state)
{
	static const char *const fixes[] = {
		RENAME "DELETE FROM schema_migrations WHERE version = 2;\n",
		RENAME "UPDATE schema_migrations SET name = 'nothing happened' WHERE version = 2;\n",
		RENAME "DROP TABLE schema_migrations;\n",
	};
	size_t i;
	(void)state;
	if (run_dialect == DIALECT_POSTGRES)
		NEED_SERVER();
	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		struct run r;
		size_t k;
		int named = 0;
		run_drill(&r, TINY, fix_file("history.sql", fixes[i]), 1, NULL, 0);
		assert_int_equal(r.rc, 0);
		assert_false(r.card.pass);
		/* Every write preserved: the history alone fails it. */
		assert_true(r.card.ratio == 1.0);
		for (k = 0; k < r.card.nreasons; k++)
			named |= strstr(r.card.reasons[k], "migration history") != NULL;
		assert_true(named);
		run_release(&r);
	}
}

/*
** A tool's history: the tool's own table is the team's to change (a data
** version recorded there passes), mdrill's record in mdrill_history is the
** audit trail, and rewriting it fails the verdict, naming it.
*/
static void tool_history_audits_its_own_table(void **state)
{
	static const char *const fixes[] = {
		"UPDATE schema_migrations SET data_version = 5;\n",
		"UPDATE mdrill_history SET name = 'nothing happened' WHERE version = 2;\n",
		"DELETE FROM mdrill_history WHERE version = 1;\n",
	};
	size_t i;
	(void)state;
	if (run_dialect == DIALECT_POSTGRES)
		NEED_SERVER();
	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		struct run r;
		size_t k;
		int named = 0;
		run_drill(&r, "tests/fixtures/history/scenario.drill", fix_file("history.sql", fixes[i]), 1, NULL, 0);
		assert_int_equal(r.rc, 0);
		for (k = 0; k < r.card.nreasons; k++)
			named |= strstr(r.card.reasons[k], "migration history") && strstr(r.card.reasons[k], "mdrill_history");
		if (i == 0) {
			assert_true(r.card.pass);
		} else {
			assert_false(r.card.pass);
			assert_true(named);
		}
		run_release(&r);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void statement_that_never_ends_is_stopped(void **state)
{
	const char *sql = PQlibVersion() && run_dialect == DIALECT_POSTGRES
		? RENAME "SELECT pg_sleep(3600);\n"
		: RENAME "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;\n";
	double t0 = now_s();
	struct run r;
	(void)state;
	if (run_dialect == DIALECT_POSTGRES && !server())
		skip();
	run_statement_timeout_ms = 300;
	run_drill(&r, TINY, fix_file("forever.sql", sql), 1, NULL, 0);
	run_statement_timeout_ms = 0;
	assert_fix_failed(&r, 2, "timeout", "statement timeout");
	assert_true(now_s() - t0 < 10);
	run_release(&r);
}

/* More than 64 probe columns: every one is read, none is a false lost field. */
static void wide_probe_reads_every_column(void **state)
{
	struct run r;
	(void)state;
	if (run_dialect == DIALECT_POSTGRES && !server())
		skip();
	run_drill(&r, WIDE, "fixes/add-back.sql", 1, NULL, 0);
	assert_int_equal(r.rc, 0);
	assert_true(r.card.total.expected > 70 * 3);
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected);
	assert_true(r.card.pass);
	run_release(&r);
}

/* PostgreSQL */

static void pg_superuser_refused(void **state)
{
	struct run r;
	(void)state;
	NEED_SERVER();
	if (!super_server())
		skip();
	run_target = super_server();
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), DRILL_EINPUT);
	assert_non_null(strstr(r.err, "superuser"));
	assert_non_null(strstr(r.err, "CREATE ROLE mdrill LOGIN CREATEDB"));
	run_release(&r);
	/* On a throwaway server, when asked to. */
	run_allow_superuser = 1;
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	assert_true(r.card.pass);
	run_release(&r);
	run_allow_superuser = 0;
	run_target = server();
}

/* Refused by mdrill's own check first; the same through a DO block, by the role's privileges. */
static void pg_copy_program_refused(void **state)
{
	char sql[512], planted[256];
	struct run r;
	(void)state;
	NEED_SERVER();
	snprintf(planted, sizeof(planted), "%s/pwned", scratch);
	chmod(scratch, 0777);   /* where the server's user could write, were it allowed */
	snprintf(sql, sizeof(sql), RENAME "COPY (SELECT 1) TO PROGRAM 'touch %s';\n", planted);
	run_drill(&r, TINY, fix_file("copy.sql", sql), 1, NULL, 0);
	assert_fix_failed(&r, 2, "refused", "PROGRAM");
	run_release(&r);
	snprintf(sql, sizeof(sql), RENAME "DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch %s'''; END $$;\n",
		 planted);
	run_drill(&r, TINY, fix_file("copy-do.sql", sql), 1, NULL, 0);
	assert_fix_failed(&r, 2, "other", "pg_execute_server_program");
	run_release(&r);
	assert_false(exists(planted));
}

static void pg_reaching_beyond_refused(void **state)
{
	static const struct { const char *sql, *cls, *what; } cases[] = {
		{ "DROP DATABASE postgres;", "refused", "DROP DATABASE" },
		{ "CREATE DATABASE mdrill_escape;", "refused", "CREATE DATABASE" },
		{ "ALTER SYSTEM SET work_mem = '1GB';", "refused", "ALTER SYSTEM" },
		{ "CREATE ROLE evil SUPERUSER LOGIN;", "refused", "CREATE ROLE" },
		{ "DO $$ BEGIN EXECUTE 'CREATE ROLE evil SUPERUSER LOGIN'; END $$;", "other", "superuser" },
		{ "SELECT pg_read_file('/etc/passwd');", "refused", "pg_read_file" },
		{ "DO $$ BEGIN PERFORM pg_read_file('/etc/passwd'); END $$;", "other", "permission denied" },
		{ "CREATE EXTENSION dblink;", "refused", "dblink" },
		{ "DO $$ BEGIN EXECUTE 'CREATE EXTENSION dblink'; END $$;", "other", "" },
	};
	size_t i;
	(void)state;
	NEED_SERVER();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char sql[512];
		struct run r;
		snprintf(sql, sizeof(sql), RENAME "%s\n", cases[i].sql);
		run_drill(&r, TINY, fix_file("beyond.sql", sql), 1, NULL, 0);
		assert_int_equal(r.rc, 0);
		assert_false(r.card.pass);
		assert_int_equal(r.card.fix.failed_statement, 2);
		if (strcmp(r.card.fix.error_class, "other") && strcmp(r.card.fix.error_class, cases[i].cls))
			fail_msg("%s: class %s (%s)", cases[i].sql, r.card.fix.error_class, r.card.fix.error);
		if (!strstr(r.card.fix.error, cases[i].what))
			fail_msg("%s: '%s' does not name %s", cases[i].sql, r.card.fix.error, cases[i].what);
		run_release(&r);
	}
	/* None of it happened. */
	assert_int_equal(pg_long("SELECT count(*) FROM pg_database WHERE datname = 'postgres'"), 1);
	assert_int_equal(pg_long("SELECT count(*) FROM pg_database WHERE datname = 'mdrill_escape'"), 0);
	assert_int_equal(pg_long("SELECT count(*) FROM pg_roles WHERE rolname = 'evil'"), 0);
	assert_int_equal(pg_long("SELECT count(*) FROM pg_extension WHERE extname = 'dblink'"), 0);
}

/* A fix that terminates every other backend, mdrill's maintenance connection too: nothing is left. */
static void pg_terminated_maintenance_connection(void **state)
{
	struct run r;
	(void)state;
	NEED_SERVER();
	run_drill(&r, TINY, fix_file("terminate.sql", RENAME
		  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		  "WHERE pid <> pg_backend_pid() AND usename = current_user;\n"), 1, NULL, 0);
	assert_int_equal(r.rc, 0);
	run_release(&r);
	/* teardown_pg: no mdrill_ database is left. */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(sqlite_vacuum_into_refused, setup_sqlite),
		cmocka_unit_test_setup(sqlite_attach_refused, setup_sqlite),
		cmocka_unit_test_setup(sqlite_pragmas_refused, setup_sqlite),
		cmocka_unit_test_setup(sqlite_harmless_pragmas_run, setup_sqlite),
		cmocka_unit_test_setup(history_rewrites_fail, setup_sqlite),
		cmocka_unit_test_setup(tool_history_audits_its_own_table, setup_sqlite),
		cmocka_unit_test_setup(statement_that_never_ends_is_stopped, setup_sqlite),
		cmocka_unit_test_setup(wide_probe_reads_every_column, setup_sqlite),
		cmocka_unit_test_setup_teardown(pg_superuser_refused, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(pg_copy_program_refused, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(pg_reaching_beyond_refused, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(history_rewrites_fail, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(tool_history_audits_its_own_table, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(statement_that_never_ends_is_stopped, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(wide_probe_reads_every_column, setup_pg, teardown_pg),
		cmocka_unit_test_setup_teardown(pg_terminated_maintenance_connection, setup_pg, teardown_pg),
	};
	int rc;

	snprintf(scratch, sizeof(scratch), "/tmp/mdrill-sandbox-XXXXXX");
	if (!mkdtemp(scratch))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			rc = rc ? rc : 1;
	}
	return rc;
}
