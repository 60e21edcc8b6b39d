/*
** PostgreSQL integration tests against the throwaway server tests/run.sh
** starts (MDRILL_PG_URL).  Without one they are skipped, and counted as
** skipped; under CI=true a missing server fails them.  After every test no
** mdrill_ database may be left on the server.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "drillrun.h"
#include "pgtest.h"

#define TINY "tests/fixtures/tiny/scenario.drill"
#define PHONE "scenarios/phone-not-null/scenario.drill"

static const struct param_set small[] = { { "rows", "200" } };

static const char *server(void)
{
	return pgtest_url();
}

/* The PostgreSQL driver. */
static const struct db_driver *pg(void)
{
	return db_driver_find(DIALECT_POSTGRES);
}

/* A number from the server, or -1. */
static long query_long(const char *sql)
{
	PGconn *pg = PQconnectdb(server());
	PGresult *r = PQexec(pg, sql);
	long v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(pg);
	return v;
}

/* Each test starts with it: no server, no test (counted as skipped). */
#define NEED_SERVER()            \
	do {                     \
		(void)state;     \
		if (!server())   \
			skip();  \
	} while (0)

static int setup(void **state)
{
	(void)state;
	run_dialect = DIALECT_POSTGRES;
	run_target = server();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	run_dialect = DIALECT_SQLITE;
	run_target = NULL;
	run_concurrent = 0;
	if (server())
		assert_int_equal(query_long("SELECT count(*) FROM pg_database WHERE datname LIKE 'mdrill\\_%'"), 0);
	return 0;
}

/* The first column of a row, onto a strbuf. */
static int pg_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	(void)names;
	if (ncol > 0 && vals[0])
		strbuf_addstr(ctx, vals[0]);
	return 0;
}

/* INSERT ... RETURNING on a SERIAL key: the seed's keys are past the sequence, no insert fails. */
static void returning_keys_from_a_sequence(void **state)
{
	struct run r;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, "tests/fixtures/returning/scenario.drill", "fixes/nothing.sql", 1, NULL, 0), 0);
	assert_int_equal(failed_in(&r.card, PH_BEFORE) + failed_in(&r.card, PH_INCIDENT) + failed_in(&r.card, PH_AFTER),
			 0);
	assert_true(r.card.total.expected > 10);
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected);
	assert_true(r.card.pass);
	run_release(&r);
}

static void templated_drill_is_the_same(void **state)
{
	NEED_SERVER();
	check_template_drill(PHONE, "fixes/make-nullable.sql", small, 1, "users");
}

static void phone_make_nullable_passes(void **state)
{
	struct run r;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, PHONE, "fixes/make-nullable.sql", 1, small, 1), 0);
	assert_string_equal(r.card.engine, dialect_name(DIALECT_POSTGRES));
	assert_true(r.card.bad.completed);     /* the incident really happened */
	assert_true(r.card.failed[0][PH_INCIDENT] > 0);
	assert_true(r.card.pass);
	assert_true(r.card.ratio == 1.0);
	assert_int_equal(r.card.fix.applied, 1); /* ALTER COLUMN ... DROP NOT NULL */
	assert_int_equal(failed_in(&r.card, PH_AFTER), 0);
	run_release(&r);
}

static void phone_down_loses_phone_numbers(void **state)
{
	struct run r;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, PHONE, NULL, 1, small, 1), 0);
	assert_false(r.card.pass);
	assert_true(r.card.total.n[OC_LOST_FIELD] > 0);
	assert_int_equal(r.card.win[OW_INCIDENT].n[OC_LOST_FIELD], r.card.total.n[OC_LOST_FIELD]);
	assert_int_equal(r.card.total.n[OC_LOST_ROW], 0);
	assert_true(r.card.failed[1][PH_AFTER] > 0);
	assert_string_equal(r.card.after_top.error_class, "missing-object");
	run_release(&r);
}

/* On PostgreSQL too: golang-migrate's table as the tool makes it, and mdrill's record apart. */
static void tool_history_is_kept_apart(void **state)
{
	struct run r;
	struct strbuf rows = STRBUF_INIT, err = STRBUF_INIT;
	int cls;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, "tests/fixtures/history/scenario.drill", "fixes/record-data-version.sql", 1,
				   NULL, 0), 0);
	assert_true(r.card.pass);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin, "SELECT string_agg(version || ':' || name, ';' ORDER BY "
				     "version) FROM mdrill_history", 0, NULL, pg_row, &rows, &cls, &err), 0);
	assert_string_equal(rows.buf, "1:schema;2:bad;3:fix");
	strbuf_reset(&rows);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin, "SELECT version || ':' || data_version FROM "
				     "schema_migrations WHERE NOT dirty", 0, NULL, pg_row, &rows, &cls, &err), 0);
	assert_string_equal(rows.buf, "3:5");
	strbuf_release(&rows);
	strbuf_release(&err);
	run_release(&r);
}

#define LOCKWAIT "tests/fixtures/lockwait/scenario.drill"

/*
** The lock storm: the fix's ALTER TABLE waits for ACCESS EXCLUSIVE behind a
** long report, and every writer after it waits behind the ALTER.  It must
** show in blocking.  The control fix takes no lock on the table, and since
** no two writers ever touch the same row, nobody waits at all.
*/
static void lock_queue_shows_in_blocking(void **state)
{
	struct run r;
	int seed;
	NEED_SERVER();
	for (seed = 1; seed <= 3; seed++) {
		assert_int_equal(run_drill(&r, LOCKWAIT, "fixes/add-column.sql", (uint64_t)seed, NULL, 0), 0);
		assert_true(r.card.pass);
		assert_true(r.card.fix.waited > 0);
		assert_true(r.card.blocked_max > 0);
		assert_true(r.card.blocked_total >= r.card.blocked_max);
		assert_true(r.card.score < 100); /* blocking writers costs points */
		run_release(&r);
		assert_int_equal(run_drill(&r, LOCKWAIT, "fixes/insert-audit.sql", (uint64_t)seed, NULL, 0), 0);
		assert_true(r.card.pass);
		assert_int_equal(r.card.fix.waited, 0);
		assert_int_equal(r.card.blocked_max, 0);
		assert_int_equal(r.card.blocked_total, 0);
		assert_int_equal(r.card.score, 100);
		run_release(&r);
	}
}

/*
** With a stall limit below the writers' wait behind the ALTER, the fix
** that takes ACCESS EXCLUSIVE stalls the application and fails; the
** control fix, which blocks nobody, still passes.
*/
static void stalling_writers_fails_the_fix(void **state)
{
	static const struct param_set stall[] = { { "stall", "10" } };
	struct run r;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, LOCKWAIT, "fixes/add-column.sql", 2, stall, 1), 0);
	assert_true(r.card.blocked_max >= 10);
	assert_false(r.card.pass);
	assert_int_equal(r.card.stall, 10);
	assert_non_null(strstr(r.card.reasons[r.card.nreasons - 1], "stalled writers"));
	run_release(&r);
	assert_int_equal(run_drill(&r, LOCKWAIT, "fixes/insert-audit.sql", 2, stall, 1), 0);
	assert_true(r.card.pass);
	run_release(&r);
}

/* --concurrent: statements overlap on the server; the verdicts stand. */
static void concurrent_mode_verdicts(void **state)
{
	struct run r;
	NEED_SERVER();
	run_concurrent = 1;
	assert_int_equal(run_drill(&r, PHONE, "fixes/make-nullable.sql", 2, small, 1), 0);
	assert_true(r.card.concurrent);
	assert_true(r.card.pass);
	assert_true(r.card.ratio == 1.0);
	run_release(&r);
	assert_int_equal(run_drill(&r, PHONE, NULL, 2, small, 1), 0);
	assert_false(r.card.pass);
	assert_true(r.card.win[OW_INCIDENT].n[OC_LOST_FIELD] > 0);
	/*
	** A transaction counts as written when its answer is collected, which
	** with overlapping statements may come after the fix although the
	** server committed it before: losses are incident or after, never
	** seed or before.
	*/
	assert_int_equal(r.card.win[OW_INCIDENT].n[OC_LOST_FIELD] + r.card.win[OW_AFTER].n[OC_LOST_FIELD],
			 r.card.total.n[OC_LOST_FIELD]);
	assert_int_equal(r.card.total.n[OC_LOST_ROW], 0);
	run_release(&r);
}

/*
** The same scenario, fix and seed give the same verdict and the same
** preservation figures on both engines.  The tiny fixture's transactions
** are single autocommit statements, so neither engine ever makes anyone
** wait and both run the identical schedule: every figure must agree.
*/
static void same_figures_on_both_engines(void **state)
{
	static const char *const fixes[] = {
		"fixes/rename-back.sql", "fixes/drop-and-readd.sql", "fixes/rename-and-delete.sql",
		"fixes/rename-and-insert.sql", "fixes/fails-halfway.sql",
		"fixes/fails-in-transaction.sql",
		NULL, /* the scenario's own down migration */
	};
	size_t i;
	int w, ph;
	NEED_SERVER();
	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		struct run a, b;
		run_dialect = DIALECT_SQLITE;
		run_target = NULL;
		assert_int_equal(run_drill(&a, TINY, fixes[i], 4, NULL, 0), 0);
		run_dialect = DIALECT_POSTGRES;
		run_target = server();
		assert_int_equal(run_drill(&b, TINY, fixes[i], 4, NULL, 0), 0);
		assert_int_equal(a.card.pass, b.card.pass);
		assert_int_equal(a.card.score, b.card.score);
		assert_true(a.card.ratio == b.card.ratio);
		assert_memory_equal(&a.card.total, &b.card.total, sizeof(a.card.total));
		for (w = 0; w < OW_COUNT; w++)
			assert_memory_equal(&a.card.win[w], &b.card.win[w], sizeof(a.card.win[w]));
		assert_int_equal(a.card.rows_lost, b.card.rows_lost);
		assert_int_equal(a.card.extra_phantoms, b.card.extra_phantoms);
		for (ph = 0; ph < PH_COUNT; ph++) {
			assert_int_equal(a.card.committed[0][ph], b.card.committed[0][ph]);
			assert_int_equal(a.card.failed[0][ph], b.card.failed[0][ph]);
		}
		assert_int_equal(a.card.fix.failed_statement, b.card.fix.failed_statement);
		run_release(&a);
		run_release(&b);
	}
}

/*
** '-- @repeat' counts rows through PQcmdTuples: the backfill fixture's
** batches of 3 change 3, 3, 3, 1, 0 rows on PostgreSQL as on SQLite, and
** the run that never converges fails at its max=6 on both.
*/
static void repeat_counts_rows_as_on_sqlite(void **state)
{
	static const char *const fixes[] = { "fixes/batches-of-3.sql", "fixes/never-converges.sql" };
	static const int64_t want[][6] = { { 3, 3, 3, 1, 0 }, { 1, 1, 1, 1, 1, 1 } };
	static const size_t nwant[] = { 5, 6 };
	size_t i, k;
	NEED_SERVER();
	for (i = 0; i < 2; i++) {
		struct run r;
		const struct repeat_log *log;
		assert_int_equal(run_drill(&r, "tests/fixtures/backfill/scenario.drill", fixes[i], 1, NULL, 0), 0);
		assert_string_equal(r.card.engine, dialect_name(DIALECT_POSTGRES));
		log = &r.d.migs[r.d.fix].repeats;
		assert_int_equal(log->nruns, nwant[i]);
		for (k = 0; k < nwant[i]; k++)
			assert_int_equal(log->runs[k].changed, want[i][k]);
		assert_int_equal(r.card.backfill.converged, i == 0);
		assert_int_equal(r.card.pass, i == 0);
		if (i == 1)
			assert_string_equal(r.card.fix.error, "repeated 6 times and still changing rows: the "
							      "backfill does not converge");
		run_release(&r);
	}
}

/* The scenario's SQL ran in mdrill's own database, not the one in the URL. */
static void nothing_runs_in_the_maintenance_database(void **state)
{
	struct run r;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	assert_int_equal(query_long("SELECT count(*) FROM pg_tables WHERE tablename IN "
				    "('kv', 'schema_migrations')"), 0);
	run_release(&r);
}

static int first_value(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	(void)ncol;
	(void)names;
	*(long *)ctx = vals[0] ? atol(vals[0]) : -1;
	return 0;
}

/*
** The pre-migration backup is a schema of copies on PostgreSQL too.  By
** hand: it holds the 5 seed rows and every insert committed before the bad
** migration started, no more.
*/
static void backup_schema_holds_the_copies(void **state)
{
	struct run r;
	struct strbuf err = STRBUF_INIT;
	long n = -1;
	int cls;
	NEED_SERVER();
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin, "SELECT count(*) FROM backup.kv",
				     0, NULL, first_value, &n, &cls, &err), 0);
	assert_int_equal(n, 5 + (long)committed_in(&r.card, PH_BEFORE));
	assert_true(committed_in(&r.card, PH_BEFORE) > 0);
	strbuf_release(&err);
	run_release(&r);
}

/* Terminate the backend of c from another session. */
static void kill_backend(struct db_conn *c)
{
	struct strbuf err = STRBUF_INIT, sql = STRBUF_INIT;
	long pid = -1;
	int cls;
	assert_int_equal(db_exec_now(pg(), c, "SELECT pg_backend_pid()", 0, NULL,
				     first_value, &pid, &cls, &err), 0);
	strbuf_addf(&sql, "SELECT count(*) FROM (SELECT pg_terminate_backend(%ld)) t", pid);
	assert_int_equal(query_long(sql.buf), 1);
	strbuf_release(&sql);
	strbuf_release(&err);
}

static void run_now(struct db_conn *c, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	int cls;
	if (db_exec_now(pg(), c, sql, 0, NULL, NULL, NULL, &cls, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

/*
** A connection lost in a transaction: after the reconnect the driver asks
** pg_xact_status about the id it took at BEGIN.  Aborted: killed before
** COMMIT.  Committed: forced with two-phase commit, the transaction is
** prepared, its backend killed, and another session commits it, which is
** what "the server committed, the client never heard" looks like.
*/
static void lost_transactions_resolve_both_ways(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct db *db = NULL;
	struct db_conn *c = NULL;
	NEED_SERVER();
	assert_int_equal(db_create(pg(), server(), NULL, &db, &err), 0);
	assert_int_equal(db_connect(pg(), db, &c, &err), 0);
	run_now(c, "CREATE TABLE t (id INTEGER PRIMARY KEY)");

	assert_int_equal(db_begin(pg(), c), DB_DONE);
	run_now(c, "INSERT INTO t VALUES (1)");
	kill_backend(c);
	assert_int_equal(db_commit(pg(), c), DB_ERROR);
	assert_int_equal(db_errclass(pg(), c), DBE_CONNECTION);
	assert_int_equal(db_reconnect(pg(), c, &err), 0);
	assert_int_equal(db_last_tx_outcome(pg(), c), DB_OUTCOME_ABORTED);

	assert_int_equal(db_begin(pg(), c), DB_DONE);
	run_now(c, "INSERT INTO t VALUES (2)");
	run_now(c, "PREPARE TRANSACTION 'mdrill_lost'");
	kill_backend(c);
	assert_int_equal(db_exec_now(pg(), c, "COMMIT PREPARED 'mdrill_lost'", 0, NULL,
				     NULL, NULL, &(int){ 0 }, &err), -1); /* c is dead */
	assert_int_equal(db_reconnect(pg(), c, &err), 0);
	run_now(c, "COMMIT PREPARED 'mdrill_lost'");
	assert_int_equal(db_last_tx_outcome(pg(), c), DB_OUTCOME_COMMITTED);

	db_disconnect(pg(), c);
	db_destroy(pg(), db, 0, NULL, NULL);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(phone_make_nullable_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(templated_drill_is_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(returning_keys_from_a_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(phone_down_loses_phone_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(tool_history_is_kept_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_mode_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_queue_shows_in_blocking, setup, teardown),
		cmocka_unit_test_setup_teardown(stalling_writers_fails_the_fix, setup, teardown),
		cmocka_unit_test_setup_teardown(same_figures_on_both_engines, setup, teardown),
		cmocka_unit_test_setup_teardown(repeat_counts_rows_as_on_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_runs_in_the_maintenance_database, setup, teardown),
		cmocka_unit_test_setup_teardown(backup_schema_holds_the_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(lost_transactions_resolve_both_ways, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
