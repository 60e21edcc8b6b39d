/*
** Tests of the fault VFS on real SQLite files in a private temporary
** directory: writes pass untouched when disarmed; an armed full disk or
** I/O error fails the statement that writes, in rollback-journal and WAL
** mode, and leaves a sound database holding what was committed; the same
** sequence fails at the same statement every time; and through the driver
** interface the failure is a DB_ERROR of class "io" that the connection
** gets over once the fault is disarmed.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../sim/db/db.h"
#include "../sim/db/faultvfs.h"
#include "../sim/base/strbuf.h"

/* Rows 1..100, committed before any fault. */
#define SEED_SQL "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100) " \
		 "INSERT INTO t SELECT x, printf('seed-%d', x) FROM n"
/* About 1 MB: far more than a small page cache holds, so it must reach the disk. */
#define BIG_SQL "WITH RECURSIVE n(x) AS (SELECT 1001 UNION ALL SELECT x + 1 FROM n WHERE x < 6000) " \
		"INSERT INTO t SELECT x, printf('%0200d', x) FROM n"

/* A private directory named so that tests/run.sh notices one left behind. */
static void make_dir(char *dir, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, n, "%s/mdrill-faultvfs-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

static void exec_ok(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		print_error("'%s' failed: %s\n", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		fail();
	}
}

/* The first column of sql's first row, as text, into out. */
static void query_text(sqlite3 *h, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *v;

	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_text(st, 0);
	snprintf(out, n, "%s", v ? (const char *)v : "(null)");
	sqlite3_finalize(st);
}

static long long query_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v;

	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void assert_sound(sqlite3 *h)
{
	char got[256];
	query_text(h, "PRAGMA integrity_check", got, sizeof(got));
	assert_string_equal(got, "ok");
}

/* Open dir/name through the shim in journal mode mode ("delete" or "wal"). */
static sqlite3 *open_db(const char *dir, const char *name, const char *mode)
{
	char path[512], sql[64], got[32];
	sqlite3 *h = NULL;

	assert_int_equal(faultvfs_register(), SQLITE_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 faultvfs_name()), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", mode);
	query_text(h, sql, got, sizeof(got));
	assert_string_equal(got, mode);
	/* A few pages of cache: a big statement spills to disk while it runs. */
	exec_ok(h, "PRAGMA cache_size=8");
	return h;
}

/* Whatever a failed assertion left armed must not leak into the next test. */
static int disarm(void **state)
{
	(void)state;
	faultvfs_disarm();
	return 0;
}

static void registered_once_never_default(void **state)
{
	sqlite3_vfs *shim;
	(void)state;
	assert_string_equal(faultvfs_name(), "mdrill-fault");
	assert_int_equal(faultvfs_register(), SQLITE_OK);
	shim = sqlite3_vfs_find("mdrill-fault");
	assert_non_null(shim);
	assert_int_equal(faultvfs_register(), SQLITE_OK);
	assert_ptr_equal(sqlite3_vfs_find("mdrill-fault"), shim);
	assert_ptr_not_equal(sqlite3_vfs_find(NULL), shim);
	assert_string_not_equal(sqlite3_vfs_find(NULL)->zName, "mdrill-fault");
}

/* Disarmed, and armed with room to spare, every row written reads back. */
static void disarmed_passes_through(void **state)
{
	static const char *const modes[] = { "delete", "wal" };
	char dir[256], got[256];
	sqlite3_vfs *vfs = NULL;
	sqlite3 *h;
	size_t i;
	(void)state;

	for (i = 0; i < 2; i++) {
		make_dir(dir, sizeof(dir));
		faultvfs_disarm();
		h = open_db(dir, "t.db", modes[i]);
		assert_int_equal(sqlite3_file_control(h, "main", SQLITE_FCNTL_VFS_POINTER, &vfs), SQLITE_OK);
		assert_string_equal(vfs->zName, "mdrill-fault");
		exec_ok(h, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
		exec_ok(h, SEED_SQL);
		/* A budget bigger than the writes: armed, but it never strikes. */
		faultvfs_arm(FAULTVFS_FULL, 1LL << 40);
		exec_ok(h, "BEGIN");
		exec_ok(h, BIG_SQL);
		exec_ok(h, "COMMIT");
		faultvfs_disarm();
		assert_int_equal(faultvfs_failed(), 0);
		sqlite3_close(h);

		/* A second handle reads what the first left on disk, not its cache. */
		h = open_db(dir, "t.db", modes[i]);
		assert_sound(h);
		assert_int_equal(query_int(h, "SELECT count(*) FROM t"), 100 + 5000);
		assert_int_equal(query_int(h, "SELECT sum(id) FROM t"), 5050 + (1001LL + 6000) * 5000 / 2);
		query_text(h, "SELECT v FROM t WHERE id = 42", got, sizeof(got));
		assert_string_equal(got, "seed-42");
		query_text(h, "SELECT v FROM t WHERE id = 4321", got, sizeof(got));
		assert_int_equal(strlen(got), 200);
		assert_string_equal(got + 196, "4321");
		assert_int_equal(query_int(h, "SELECT count(*) FROM t WHERE id > 1000 AND "
					      "v <> printf('%0200d', id)"), 0);
		sqlite3_close(h);
		remove_dir(dir);
	}
}

struct fault_case {
	const char *name;
	const char *mode;   /* journal_mode */
	int kind;
	long long after;
	int rc;             /* what the INSERT returns */
	int xrc;            /* and its extended code */
};

static const struct fault_case fault_cases[] = {
	{ "full, rollback journal", "delete", FAULTVFS_FULL, 20000, SQLITE_FULL, SQLITE_FULL },
	{ "full, wal", "wal", FAULTVFS_FULL, 20000, SQLITE_FULL, SQLITE_FULL },
	{ "full at once, wal", "wal", FAULTVFS_FULL, 0, SQLITE_FULL, SQLITE_FULL },
	{ "ioerr, rollback journal", "delete", FAULTVFS_IOERR, 3, SQLITE_IOERR, SQLITE_IOERR_WRITE },
	{ "ioerr, wal", "wal", FAULTVFS_IOERR, 3, SQLITE_IOERR, SQLITE_IOERR_WRITE },
	{ "ioerr at once, rollback journal", "delete", FAULTVFS_IOERR, 0, SQLITE_IOERR, SQLITE_IOERR_WRITE },
};

/*
** A big INSERT in a transaction runs into the fault; the application
** rolls back while the disk is still bad, then the fault goes away.  The
** database must be sound and hold the 100 committed rows, none of the
** failed transaction's, and take new writes.
*/
static void fault_fails_insert_keeps_committed(void **state)
{
	char dir[256], got[256];
	sqlite3 *h;
	size_t i;
	int rc;
	(void)state;

	for (i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++) {
		const struct fault_case *fc = &fault_cases[i];

		make_dir(dir, sizeof(dir));
		h = open_db(dir, "t.db", fc->mode);
		exec_ok(h, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
		exec_ok(h, SEED_SQL);

		faultvfs_arm(fc->kind, fc->after);
		exec_ok(h, "BEGIN");
		rc = sqlite3_exec(h, BIG_SQL, NULL, NULL, NULL);
		if (rc != fc->rc || sqlite3_extended_errcode(h) != fc->xrc) {
			print_error("%s: the insert gave %d (extended %d, '%s'), expected %d (%d)\n",
				    fc->name, rc, sqlite3_extended_errcode(h), sqlite3_errmsg(h),
				    fc->rc, fc->xrc);
			fail();
		}
		assert_true(faultvfs_failed() > 0);
		if (!sqlite3_get_autocommit(h))
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		faultvfs_disarm();

		assert_sound(h);
		assert_int_equal(query_int(h, "SELECT count(*) FROM t"), 100);
		assert_int_equal(query_int(h, "SELECT sum(id) FROM t"), 5050);
		assert_int_equal(query_int(h, "SELECT count(*) FROM t WHERE v <> 'seed-' || id"), 0);
		/* The connection got over it: it writes again. */
		exec_ok(h, "INSERT INTO t VALUES (101, 'after')");
		sqlite3_close(h);

		h = open_db(dir, "t.db", fc->mode);
		assert_sound(h);
		assert_int_equal(query_int(h, "SELECT count(*) FROM t"), 101);
		query_text(h, "SELECT v FROM t WHERE id = 101", got, sizeof(got));
		assert_string_equal(got, "after");
		sqlite3_close(h);
		remove_dir(dir);
	}
}

struct run_result {
	int fail_at;        /* the 1-based statement that failed, 0 if none */
	int xrc;            /* its extended code */
	long long failed;   /* faultvfs_failed() afterwards */
	long long rows;     /* rows on disk afterwards */
};

/*
** In a fresh database: arm, then up to 300 one-row autocommit INSERTs until
** one fails.  Each committed insert is a row, so rows must be fail_at - 1.
*/
static void run_sequence(const char *mode, int kind, long long after, struct run_result *r)
{
	char dir[256], sql[128];
	sqlite3 *h;
	int i;

	make_dir(dir, sizeof(dir));
	h = open_db(dir, "t.db", mode);
	exec_ok(h, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
	memset(r, 0, sizeof(*r));
	faultvfs_arm(kind, after);
	for (i = 1; i <= 300; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO t VALUES (%d, printf('%%0500d', %d))", i, i);
		if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) {
			r->fail_at = i;
			r->xrc = sqlite3_extended_errcode(h);
			break;
		}
	}
	r->failed = faultvfs_failed();
	faultvfs_disarm();
	assert_sound(h);
	r->rows = query_int(h, "SELECT count(*) FROM t");
	sqlite3_close(h);
	remove_dir(dir);
}

static void same_sequence_fails_at_same_statement(void **state)
{
	static const struct {
		const char *mode;
		int kind;
		long long after;
		int xrc;
	} cases[] = {
		{ "wal", FAULTVFS_FULL, 100000, SQLITE_FULL },
		{ "wal", FAULTVFS_IOERR, 40, SQLITE_IOERR_WRITE },
		{ "delete", FAULTVFS_FULL, 100000, SQLITE_FULL },
		{ "delete", FAULTVFS_IOERR, 40, SQLITE_IOERR_WRITE },
	};
	struct run_result a, b;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_sequence(cases[i].mode, cases[i].kind, cases[i].after, &a);
		run_sequence(cases[i].mode, cases[i].kind, cases[i].after, &b);
		/* It struck, and not at once: some inserts went through first. */
		assert_in_range(a.fail_at, 2, 300);
		assert_int_equal(a.xrc, cases[i].xrc);
		assert_int_equal(a.rows, a.fail_at - 1);
		assert_true(a.failed > 0);
		assert_int_equal(b.fail_at, a.fail_at);
		assert_int_equal(b.xrc, a.xrc);
		assert_int_equal(b.failed, a.failed);
		assert_int_equal(b.rows, a.rows);
	}
}

struct count_ctx {
	long long n;
};

static int count_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct count_ctx *c = ctx;
	(void)names;
	assert_int_equal(ncol, 1);
	assert_non_null(vals[0]);
	c->n = atoll(vals[0]);
	return 0;
}

static long long driver_count(const struct db_driver *drv, struct db_conn *c)
{
	struct strbuf err = STRBUF_INIT;
	struct count_ctx n = { -1 };
	int cls = DBE_NONE;

	if (db_exec_now(drv, c, "SELECT count(*) FROM t", 0, NULL, count_row, &n, &cls, &err)) {
		print_error("count: %s\n", err.buf);
		strbuf_release(&err);
		fail();
	}
	strbuf_release(&err);
	return n.n;
}

/*
** Through the driver: an armed full disk fails an autocommit INSERT, an
** I/O error fails the COMMIT of an explicit transaction; both come back as
** DB_ERROR of class "io" (not "connection": the handle is fine), and the
** same connection and statement work once the fault is disarmed.
*/
static void driver_reports_io_and_recovers(void **state)
{
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	const char *one[] = { "1", "one" }, *two[] = { "2", "two" }, *three[] = { "3", "three" };
	struct strbuf err = STRBUF_INIT;
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct db_stmt *mk = NULL, *ins = NULL;
	(void)state;

	assert_string_equal(db_errclass_name(DBE_IO), "io");
	assert_int_equal(db_create(drv, NULL, NULL, &db, &err), 0);
	assert_int_equal(db_connect(drv, db, &c, &err), 0);
	assert_int_equal(db_prepare(drv, c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", &mk), DB_DONE);
	assert_int_equal(db_run(drv, mk, 0, NULL, NULL, NULL), DB_DONE);
	db_finalize(drv, mk);
	assert_int_equal(db_prepare(drv, c, "INSERT INTO t VALUES (?1, ?2)", &ins), DB_DONE);
	assert_int_equal(db_run(drv, ins, 2, one, NULL, NULL), DB_DONE);

	/* A full disk: the autocommit insert fails, nothing of it stays. */
	faultvfs_arm(FAULTVFS_FULL, 0);
	assert_int_equal(db_run(drv, ins, 2, two, NULL, NULL), DB_ERROR);
	assert_int_equal(db_errclass(drv, c), DBE_IO);
	assert_non_null(strstr(db_errmsg(drv, c), "full"));
	assert_true(faultvfs_failed() > 0);
	assert_false(db_in_tx(drv, c));
	faultvfs_disarm();
	assert_int_equal(driver_count(drv, c), 1);
	assert_int_equal(db_run(drv, ins, 2, two, NULL, NULL), DB_DONE);
	assert_int_equal(driver_count(drv, c), 2);

	/* A failing device: the insert sits in the cache, the COMMIT writes and fails. */
	faultvfs_arm(FAULTVFS_IOERR, 0);
	assert_int_equal(db_begin(drv, c), DB_DONE);
	assert_int_equal(db_run(drv, ins, 2, three, NULL, NULL), DB_DONE);
	assert_int_equal(db_commit(drv, c), DB_ERROR);
	assert_int_equal(db_errclass(drv, c), DBE_IO);
	assert_non_null(strstr(db_errmsg(drv, c), "I/O"));
	assert_int_equal(faultvfs_failed(), 1);
	assert_int_equal(db_rollback(drv, c), DB_DONE);
	assert_false(db_in_tx(drv, c));
	faultvfs_disarm();
	assert_int_equal(driver_count(drv, c), 2);
	assert_int_equal(db_begin(drv, c), DB_DONE);
	assert_int_equal(db_run(drv, ins, 2, three, NULL, NULL), DB_DONE);
	assert_int_equal(db_commit(drv, c), DB_DONE);
	assert_int_equal(driver_count(drv, c), 3);

	db_finalize(drv, ins);
	db_disconnect(drv, c);
	db_destroy(drv, db, 0, NULL, NULL);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(registered_once_never_default, disarm),
		cmocka_unit_test_teardown(disarmed_passes_through, disarm),
		cmocka_unit_test_teardown(fault_fails_insert_keeps_committed, disarm),
		cmocka_unit_test_teardown(same_sequence_fails_at_same_statement, disarm),
		cmocka_unit_test_teardown(driver_reports_io_and_recovers, disarm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
