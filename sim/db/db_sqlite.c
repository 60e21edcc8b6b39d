/*
** The SQLite driver: a fresh WAL database file in a private temporary
** directory, one sqlite3 handle per connection, a busy timeout of zero so
** that a lock comes back at once as DB_BLOCKED, and the pre-migration
** snapshot taken with the backup API and attached as schema "backup".
** Every handle opens through the fault VFS, so that a drill can fill the
** disk under it, and runs scenario and fix SQL behind an authorizer (the
** sandbox) and a progress handler (the statement timeout, Ctrl-C).  With
** faultvfs.c, the only file that includes sqlite3.h.
**
** SPDX-License-Identifier: MIT
*/
#include "db.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"
#include "catalog.h"
#include "faultvfs.h"
#include "owner.h"
#include "stats.h"

#define PROGRESS_OPS 4096       /* VM steps between looks at the clock and the stop flag */

struct db {
	char *dir;      /* the private directory */
	char *path;     /* the database file in it */
	struct db_options opts;
};

struct db_conn {
	struct db *db;
	sqlite3 *h;
	sqlite3_stmt *begin, *begin_ro, *commit, *rollback;
	char *msg;
	int cls;
	int own;                 /* mdrill's own SQL runs: the guard is lifted */
	char *refusal;           /* why the authorizer refused the last statement */
	double step_start;       /* when the running step was first seen, 0 before */
	int stopped;             /* the progress handler interrupted it: 1 timeout, 2 signal */
	sqlite3_int64 changes;   /* rows the last statement run changed */
	sqlite3_int64 vm_steps;  /* virtual-machine steps of the last statement run */
	int wrote;               /* ... and whether it could write */
	int attach_pending;      /* backup.db was copied inside a transaction: attach it after */
	const char **names, **vals;   /* a result row's columns, for the row callback */
	size_t names_alloc, vals_alloc;
};

static int attach_backup(struct db_conn *c, char **msg);

struct db_stmt {
	struct db_conn *c;
	sqlite3_stmt *st;
};

static int sqlite_classify(int rc, const char *msg)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_NOTNULL: return DBE_NOT_NULL;
	case SQLITE_CONSTRAINT_FOREIGNKEY: return DBE_FOREIGN_KEY;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY: return DBE_UNIQUE;
	}
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return DBE_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DBE_BUSY;
	/* The file is still there: the statement failed, the handle did not. */
	case SQLITE_FULL:
	case SQLITE_IOERR: return DBE_IO;
	case SQLITE_CANTOPEN: return DBE_CONNECTION;
	}
	if (strstr(msg, "no such table") || strstr(msg, "no such column") ||
	    strstr(msg, "has no column named") || strstr(msg, "no such index") ||
	    strstr(msg, "no such view"))
		return DBE_MISSING;
	if (strstr(msg, "syntax error") || strstr(msg, "incomplete input") ||
	    strstr(msg, "unrecognized token"))
		return DBE_SYNTAX;
	return DBE_OTHER;
}

static void set_error(struct db_conn *c, int rc)
{
	const char *m = sqlite3_errmsg(c->h);
	int ext = sqlite3_extended_errcode(c->h);

	free(c->msg);
	/* The sandbox's and the clock's reasons, not SQLite's "not authorized" or "interrupted". */
	if ((ext & 0xff) == SQLITE_AUTH && c->refusal) {
		c->msg = xstrdup(c->refusal);
		c->cls = DBE_REFUSED;
		return;
	}
	if ((ext & 0xff) == SQLITE_INTERRUPT && c->stopped) {
		struct strbuf why = STRBUF_INIT;
		if (c->stopped == 1)
			strbuf_addf(&why, "statement timeout: still running after %ld ms (--statement-timeout)",
				    c->db->opts.statement_timeout_ms);
		else
			strbuf_addstr(&why, "interrupted");
		c->msg = strbuf_detach(&why);
		c->cls = c->stopped == 1 ? DBE_TIMEOUT : DBE_OTHER;
		return;
	}
	c->msg = xstrdup(m ? m : sqlite3_errstr(rc));
	c->cls = sqlite_classify(ext, c->msg);
}

/*
** The sandbox.  Scenario and fix SQL run in the drill's database and
** nowhere else: no ATTACH (a fix reads mdrill's own backup as
** backup.TABLE), no VACUUM INTO a file, no PRAGMA that changes how the
** database journals or locks, what the schema's storage may be written as,
** whether writes are allowed, or where temporary files go.  What is
** refused never runs: the statement fails with the reason.
*/
static const char *const refused_pragmas[][2] = {
	{ "journal_mode", "changes how the drill's database keeps its journal" },
	{ "journal_size_limit", "changes how the drill's database keeps its journal" },
	{ "wal_autocheckpoint", "changes how the drill's database keeps its journal" },
	{ "locking_mode", "changes how the drill's database is locked" },
	{ "busy_timeout", "changes how long a statement waits on a lock (mdrill counts that in ticks)" },
	{ "writable_schema", "lets SQL write the schema's own storage" },
	{ "schema_version", "rewrites the schema's version counter" },
	{ "query_only", "makes the drill's database read-only, mdrill's own history included" },
	{ "trusted_schema", "changes what the schema's functions may do" },
	{ "temp_store_directory", "moves temporary files outside the drill's directory" },
	{ "data_store_directory", "moves database files outside the drill's directory" },
	{ "hard_heap_limit", "changes the whole process's memory limit" },
	{ "soft_heap_limit", "changes the whole process's memory limit" },
};

static int refuse(struct db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(struct db_conn *c, const char *fmt, ...)
{
	struct strbuf why = STRBUF_INIT;
	va_list ap;

	strbuf_addstr(&why, "refused by mdrill's sandbox: ");
	va_start(ap, fmt);
	strbuf_vaddf(&why, fmt, ap);
	va_end(ap);
	free(c->refusal);
	c->refusal = strbuf_detach(&why);
	return SQLITE_DENY;
}

static int authorize(void *ctx, int action, const char *a, const char *b, const char *dbname,
		     const char *trigger)
{
	struct db_conn *c = ctx;
	size_t i;

	(void)dbname;
	(void)trigger;
	if (c->own)
		return SQLITE_OK;
	switch (action) {
	case SQLITE_ATTACH:
		/* VACUUM INTO attaches its target this way too. */
		if (a && *a)
			return refuse(c, "ATTACH or VACUUM INTO of '%s' would reach a file outside the drill's "
				      "database (the backup is attached already: read it as backup.TABLE)", a);
		return refuse(c, "ATTACH would open another database (the backup is attached already: "
			      "read it as backup.TABLE)");
	case SQLITE_PRAGMA:
		if (!b || !a)
			return SQLITE_OK;   /* reading a pragma changes nothing */
		for (i = 0; i < sizeof(refused_pragmas) / sizeof(refused_pragmas[0]); i++)
			if (!strcasecmp(a, refused_pragmas[i][0]))
				return refuse(c, "PRAGMA %s %s", a, refused_pragmas[i][1]);
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (b && !strcasecmp(b, "load_extension"))
			return refuse(c, "%s() loads code into mdrill", b);
		return SQLITE_OK;
	}
	return SQLITE_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
** Every PROGRESS_OPS steps of SQLite's VM: a signal interrupts at once,
** and a statement that runs past the timeout is stopped.  The clock starts
** at the first look, so a short statement never reads it.
*/
static int progress(void *ctx)
{
	struct db_conn *c = ctx;
	double now;

	if (c->db->opts.stop && *c->db->opts.stop) {
		c->stopped = 2;
		return 1;
	}
	if (c->db->opts.statement_timeout_ms <= 0)
		return 0;
	now = now_s();
	if (!c->step_start) {
		c->step_start = now;
		return 0;
	}
	if ((now - c->step_start) * 1000 > (double)c->db->opts.statement_timeout_ms) {
		c->stopped = 1;
		return 1;
	}
	return 0;
}

/* An error of mdrill's own making on c, with its message. */
static void set_error_msg(struct db_conn *c, int rc, const char *msg)
{
	free(c->msg);
	c->msg = xstrdup(msg ? msg : sqlite3_errstr(rc));
	c->cls = sqlite_classify(rc, c->msg);
}

/*
** sqlite3_open_v2 through the fault VFS, registered on first use.  Like
** sqlite3_open_v2, *h may be set even on failure and must be closed.
*/
static int open_handle(const char *path, int flags, sqlite3 **h)
{
	int rc = faultvfs_register();

	*h = NULL;
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_open_v2(path, h, flags, faultvfs_name());
}


/* Where drills make their directories: $TMPDIR, else /tmp. */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}


static int sqlite_create(const char *target, const struct db_options *o, struct db **out,
			 struct strbuf *err)
{
	struct strbuf tmpl = STRBUF_INIT;
	struct db *db;
	sqlite3 *h = NULL;
	char *msg = NULL;
	int rc;

	(void)target; /* one of sqlite_targets: the driver makes its own file */
	/* The pid in the name marks the directory before its owner file can. */
	strbuf_addf(&tmpl, "%s/mdrill-%ld-XXXXXX", tmp_dir(), (long)getpid());
	if (!mkdtemp(tmpl.buf)) {
		strbuf_error(err, -1, "cannot make a temporary directory '%s': %s", tmpl.buf, strerror(errno));
		strbuf_release(&tmpl);
		return -1;
	}
	db = xcalloc(1, sizeof(*db));
	db->opts = *o;
	db->dir = strbuf_detach(&tmpl);
	strbuf_addf(&tmpl, "%s/drill.db", db->dir);
	db->path = strbuf_detach(&tmpl);

	if (owner_mark_dir(db->dir)) {
		strbuf_error(err, -1, "cannot mark '%s' as this run's: %s", db->dir, strerror(errno));
		rc = SQLITE_CANTOPEN;
		goto fail;
	}
	rc = open_handle(db->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &h);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		strbuf_error(err, -1, "cannot create '%s': %s", db->path,
			     msg ? msg : h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(h);
	*out = db;
	return 0;
fail:
	sqlite3_free(msg);
	sqlite3_close(h);
	owner_remove_dir(db->dir);
	free(db->dir);
	free(db->path);
	free(db);
	return -1;
}

static int sqlite_destroy(struct db *db, int keep, struct strbuf *kept, struct strbuf *err)
{
	struct strbuf mark = STRBUF_INIT;
	int rc = 0;
	if (keep) {
		/* Kept: no run's any more, so gc leaves it to whoever asked for it. */
		strbuf_addf(&mark, "%s/" OWNER_FILE, db->dir);
		unlink(mark.buf);
		strbuf_release(&mark);
		if (kept)
			strbuf_addstr(kept, db->path);
	} else if (owner_remove_dir(db->dir)) {
		rc = strbuf_error(err, -1, "cannot remove '%s': %s", db->dir, strerror(errno));
	}
	free(db->dir);
	free(db->path);
	free(db);
	return rc;
}

/* A fresh database with from's pages, copied by SQLite's backup API. */
static int sqlite_copy(struct db *from, const struct db_options *o, struct db **out, struct strbuf *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite_create(NULL, o, out, err))
		return -1;
	rc = open_handle(from->path, SQLITE_OPEN_READONLY, &src);
	if (rc == SQLITE_OK)
		rc = open_handle((*out)->path, SQLITE_OPEN_READWRITE, &dst);
	if (rc == SQLITE_OK) {
		if ((b = sqlite3_backup_init(dst, "main", src, "main")) != NULL) {
			sqlite3_backup_step(b, -1);
			sqlite3_backup_finish(b);
		}
		rc = sqlite3_errcode(dst);
	}
	if (rc != SQLITE_OK) {
		strbuf_error(err, -1, "cannot copy '%s' into '%s': %s", from->path, (*out)->path,
			     dst ? sqlite3_errmsg(dst) : src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		sqlite3_close(src);
		sqlite3_close(dst);
		sqlite_destroy(*out, 0, NULL, err);
		*out = NULL;
		return -1;
	}
	sqlite3_close(src);
	sqlite3_close(dst);
	return 0;
}

/* What dead runs of this host left in the temporary directory (see owner_sweep). */
static int sqlite_gc(const char *target, const struct db_options *o, struct strbuf *removed,
		     struct strbuf *err)
{
	(void)target;
	(void)o;
	return owner_sweep(tmp_dir(), removed, err);
}

static void sqlite_where(struct db *db, struct strbuf *out)
{
	strbuf_addf(out, "sqlite3 %s", db->path);
}

static void sqlite_disconnect(struct db_conn *c)
{
	sqlite3_finalize(c->begin);
	sqlite3_finalize(c->begin_ro);
	sqlite3_finalize(c->commit);
	sqlite3_finalize(c->rollback);
	sqlite3_close(c->h);
	free(c->msg);
	free(c->refusal);
	free(c->names);
	free(c->vals);
	free(c);
}

static int sqlite_connect(struct db *db, struct db_conn **out, struct strbuf *err)
{
	struct db_conn *c = xcalloc(1, sizeof(*c));
	char *msg = NULL;
	int rc;

	c->db = db;
	rc = open_handle(db->path, SQLITE_OPEN_READWRITE, &c->h);
	/* foreign_keys: the fk-chain drills need the constraints enforced. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c->h, "PRAGMA foreign_keys=ON; PRAGMA synchronous=OFF", NULL, NULL, &msg);
	/* Defensive: no SQL may corrupt the file on purpose (sqlite_dbpage, shadow tables). */
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(c->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_set_authorizer(c->h, authorize, c);
	if (rc == SQLITE_OK)
		sqlite3_progress_handler(c->h, PROGRESS_OPS, progress, c);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->h, "BEGIN IMMEDIATE", -1, &c->begin, NULL);
	/* A reader's deferred BEGIN takes no write lock: in WAL it blocks no writer. */
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->h, "BEGIN", -1, &c->begin_ro, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->h, "COMMIT", -1, &c->commit, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->h, "ROLLBACK", -1, &c->rollback, NULL);
	if (rc != SQLITE_OK) {
		strbuf_error(err, -1, "cannot connect to '%s': %s", db->path,
			     msg ? msg : c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite_disconnect(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void sqlite_own_sql(struct db_conn *c, int own)
{
	c->own = own;
}

static int sqlite_prepare(struct db_conn *c, const char *sql, struct db_stmt **out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* The backup taken inside the migration's transaction, attached once it ended. */
	if (c->attach_pending && sqlite3_get_autocommit(c->h)) {
		char *msg = NULL;
		if (attach_backup(c, &msg) != SQLITE_OK) {
			set_error_msg(c, SQLITE_ERROR, msg);
			sqlite3_free(msg);
			*out = NULL;
			return DB_ERROR;
		}
	}

	free(c->refusal);
	c->refusal = NULL;
	rc = sqlite3_prepare_v2(c->h, sql, -1, &st, NULL);
	/*
	** A prepare compiles against the schema this connection last read; if
	** another connection changed it since (an index added by a fix), the
	** prepare can fail on the stale copy.  Reading the database makes
	** SQLite see the new schema cookie and reload: then try once more.
	*/
	if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED && rc != SQLITE_AUTH &&
	    sqlite3_exec(c->h, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL) == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->h, sql, -1, &st, NULL);
	*out = NULL;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return DB_BLOCKED;
	if (rc != SQLITE_OK) {
		set_error(c, rc);
		return DB_ERROR;
	}
	*out = xmalloc(sizeof(**out));
	(*out)->c = c;
	(*out)->st = st;
	return DB_DONE;
}

static void sqlite_finalize(struct db_stmt *st)
{
	sqlite3_finalize(st->st);
	free(st);
}

/* Step st to the end, handing rows to fn. */
static int step_all(struct db_conn *c, sqlite3_stmt *st, db_row_fn fn, void *ctx)
{
	int rc, i, n;

	c->step_start = 0;
	c->stopped = 0;
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			if (!fn)
				continue;
			/* As many columns as the row has: none is dropped. */
			n = sqlite3_column_count(st);
			ALLOC_GROW(c->names, (size_t)n, c->names_alloc);
			ALLOC_GROW(c->vals, (size_t)n, c->vals_alloc);
			for (i = 0; i < n; i++) {
				c->names[i] = sqlite3_column_name(st, i);
				c->vals[i] = (const char *)sqlite3_column_text(st, i);
			}
			if (fn(ctx, n, c->names, c->vals)) {
				sqlite3_reset(st);
				free(c->msg);
				c->msg = xstrdup("result row rejected");
				c->cls = DBE_OTHER;
				return DB_ERROR;
			}
			continue;
		}
		if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			return DB_DONE;
		}
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			sqlite3_reset(st);
			return DB_BLOCKED;
		}
		set_error(c, rc);
		sqlite3_reset(st);
		return DB_ERROR;
	}
}

static void bind_all(sqlite3_stmt *st, int nparams, const char *const *vals)
{
	int i, n = sqlite3_bind_parameter_count(st);
	for (i = 0; i < n; i++) {
		const char *v = i < nparams ? vals[i] : NULL;
		if (v)
			sqlite3_bind_text(st, i + 1, v, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i + 1);
	}
}

/*
** A prepared statement whose schema changed under it is re-prepared by
** sqlite3_step against the schema the connection holds in memory; when
** that copy predates a change another connection made (a fix re-created
** the index an upsert names), the re-prepare fails for good, though the
** database is right.  An application would re-prepare: so when the
** statement no longer prepares as it stands, read the schema afresh (any
** read notices the new schema cookie, inside an open transaction too)
** and prepare it again.  A statement that prepares as it stands failed at
** run time: it is left alone, and not run twice.  Returns 1 when s holds
** a fresh statement to step.
*/
static int refresh_stale(struct db_stmt *s)
{
	sqlite3_stmt *fresh = NULL;
	const char *sql = sqlite3_sql(s->st);

	if (sqlite3_prepare_v2(s->c->h, sql, -1, &fresh, NULL) == SQLITE_OK) {
		sqlite3_finalize(fresh);
		return 0;
	}
	if (sqlite3_exec(s->c->h, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->c->h, sql, -1, &fresh, NULL) != SQLITE_OK) {
		sqlite3_finalize(fresh);
		return 0;
	}
	sqlite3_finalize(s->st);
	s->st = fresh;
	return 1;
}

static int sqlite_run(struct db_stmt *s, int nparams, const char *const *vals,
		      db_row_fn fn, void *ctx)
{
	int rc;
	sqlite3_int64 total = sqlite3_total_changes64(s->c->h);

	bind_all(s->st, nparams, vals);
	rc = step_all(s->c, s->st, fn, ctx);
	if (rc == DB_ERROR && (sqlite3_errcode(s->c->h) & 0xff) == SQLITE_ERROR) {
		/* step_all kept the message; a fresh statement that runs replaces it. */
		if (refresh_stale(s)) {
			bind_all(s->st, nparams, vals);
			rc = step_all(s->c, s->st, fn, ctx);
		}
	}
	/* The counter is the statement's own across runs: read it and start it over. */
	s->c->vm_steps = rc == DB_BLOCKED ? 0 : sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_VM_STEP, 1);
	s->c->wrote = !sqlite3_stmt_readonly(s->st);
	/* sqlite3_changes() keeps the last INSERT, UPDATE or DELETE's count through
	   any other statement: a statement that changed nothing moved no total. */
	s->c->changes = sqlite3_total_changes64(s->c->h) == total ? 0 : sqlite3_changes64(s->c->h);
	return rc;
}

static int64_t sqlite_changes(struct db_conn *c)
{
	return c->changes;
}

/*
** SQLite runs a statement to its end inside one step: its time is its
** work, counted in virtual-machine steps (deterministic, unlike a clock)
** at SQLITE_VM_STEPS_PER_TICK.  A single-row statement costs one tick;
** CREATE INDEX over 200,000 rows (about 1.8 million steps) costs 18, about
** what writers wait behind the same build on PostgreSQL.
*/
#define SQLITE_VM_STEPS_PER_TICK 100000

static int64_t sqlite_work(struct db_conn *c, int *wrote)
{
	*wrote = c->wrote;
	return 1 + c->vm_steps / SQLITE_VM_STEPS_PER_TICK;
}

static int64_t sqlite_steps(struct db_conn *c)
{
	return c->vm_steps;
}

static int sqlite_begin(struct db_conn *c)
{
	c->vm_steps = 0;
	return step_all(c, c->begin, NULL, NULL);
}

static int sqlite_begin_ro(struct db_conn *c)
{
	c->vm_steps = 0;
	return step_all(c, c->begin_ro, NULL, NULL);
}

static int sqlite_commit(struct db_conn *c)
{
	c->vm_steps = 0;
	return step_all(c, c->commit, NULL, NULL);
}

static int sqlite_rollback(struct db_conn *c)
{
	if (sqlite3_get_autocommit(c->h))
		return DB_DONE;
	return step_all(c, c->rollback, NULL, NULL);
}

static int sqlite_in_tx(struct db_conn *c)
{
	return !sqlite3_get_autocommit(c->h);
}

static const char *sqlite_errmsg(struct db_conn *c)
{
	return c->msg ? c->msg : "";
}

static int sqlite_errclass(struct db_conn *c)
{
	return c->cls;
}

/*
** An embedded database has no server to lose: a crash of the process
** that held the connection leaves a journal the next opener rolls back.
** The same, without the process: roll back what was open and reset every
** statement so that no read lock stays.
*/
static int sqlite_kill(struct db_conn *c, int send_commit, struct strbuf *err)
{
	sqlite3_stmt *st = NULL;
	(void)err;
	if (send_commit && !sqlite3_get_autocommit(c->h))
		sqlite3_exec(c->h, "COMMIT", NULL, NULL, NULL);
	while ((st = sqlite3_next_stmt(c->h, st)) != NULL)
		sqlite3_reset(st);
	if (!sqlite3_get_autocommit(c->h))
		sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

/* ATTACH backup.db as schema backup; outside a transaction only. */
static int attach_backup(struct db_conn *c, char **msg)
{
	struct strbuf path = STRBUF_INIT, sql = STRBUF_INIT;
	int rc;

	strbuf_addf(&path, "%s/backup.db", c->db->dir);
	strbuf_addstr(&sql, "ATTACH DATABASE ");
	sql_add_quoted(&sql, path.buf, '\'');
	strbuf_addstr(&sql, " AS backup");
	/* mdrill's own ATTACH: the one the sandbox lets through, whatever c runs otherwise. */
	{
		int own = c->own;
		c->own = 1;
		rc = sqlite3_exec(c->h, sql.buf, NULL, NULL, msg);
		c->own = own;
	}
	if (rc == SQLITE_OK)
		c->attach_pending = 0;
	strbuf_release(&path);
	strbuf_release(&sql);
	return rc;
}

/*
** Copy the committed database into backup.db with the backup API and
** attach it.  Inside the migration's open transaction (a deferred BEGIN
** came first) SQLite cannot attach: the copy is taken now, as the
** migration's first locking statement starts, and attached as soon as the
** transaction has ended.
*/
static int sqlite_snapshot(struct db_conn *c, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int in_tx = !sqlite3_get_autocommit(c->h);
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	char *msg = NULL;
	int rc;

	/* Taken again (the statement is tried anew): start from a clean slate. */
	c->own = 1;   /* mdrill's own DETACH and ATTACH: the ones the sandbox lets through */
	if (!in_tx)
		sqlite3_exec(c->h, "DETACH DATABASE backup", NULL, NULL, NULL);
	c->own = 0;
	strbuf_addf(&path, "%s/backup.db", c->db->dir);
	unlink(path.buf);
	rc = open_handle(path.buf, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dest);
	if (rc != SQLITE_OK)
		goto fail;
	b = sqlite3_backup_init(dest, "main", c->h, "main");
	if (!b) {
		rc = sqlite3_errcode(dest);
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_close(dest);
	dest = NULL;
	c->attach_pending = 1;
	if (!in_tx && (rc = attach_backup(c, &msg)) != SQLITE_OK)
		goto fail;
	strbuf_release(&path);
	return 0;
fail:
	c->own = 0;
	/* The file's name only: reports carry no machine paths. */
	strbuf_error(err, -1, "cannot snapshot the database into backup.db: %s",
		     msg ? msg : dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
	sqlite3_free(msg);
	sqlite3_close(dest);
	strbuf_release(&path);
	return -1;
}

/* The rows of sql with one text parameter (a table's name), each to fn; SQLITE_OK or an error. */
static int each_row(sqlite3 *h, const char *sql, const char *arg, int (*fn)(void *ctx, sqlite3_stmt *st),
		    void *ctx)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, st))
			break;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : NULL;
}

static int take_table(void *ctx, sqlite3_stmt *st)
{
	struct db_catalog *cat = ctx;
	catalog_add_table(cat, col_text(st, 0));
	return 0;
}

/* What a table's columns, keys and foreign keys are read into. */
struct cat_reader {
	struct cat_table *t;
	struct strbuf pk;        /* the primary key's columns, in key order */
	int npk, pk_integer;     /* ... how many, and a lone one declared INTEGER */
	int pk_at[64];
	struct strbuf list;      /* an index's or a foreign key's columns */
	int expr;                /* the index covers an expression */
	long fk_id;
	struct strbuf fk_to, fk_table;
	char fk_del;
};

static int take_column(void *ctx, sqlite3_stmt *st)
{
	struct cat_reader *r = ctx;
	struct cat_column *c = catalog_add_column(r->t, col_text(st, 0), col_text(st, 1));
	int pk = sqlite3_column_int(st, 4), hidden = sqlite3_column_int(st, 5);

	c->notnull = sqlite3_column_int(st, 2);
	if (col_text(st, 3))
		c->def = xstrdup(col_text(st, 3));
	/* 2 and 3: a generated column, VIRTUAL or STORED. */
	c->generated = hidden == 2 || hidden == 3;
	if (pk > 0 && pk <= 64) {
		r->pk_at[pk - 1] = (int)r->t->ncols - 1;
		r->npk = pk > r->npk ? pk : r->npk;
		r->pk_integer = !strcasecmp(c->type, "INTEGER");
	}
	return 0;
}

static int take_index_col(void *ctx, sqlite3_stmt *st)
{
	struct cat_reader *r = ctx;
	if (!col_text(st, 0)) {
		r->expr = 1;
		return 0;
	}
	strbuf_addf(&r->list, "%s%s", r->list.len ? "\x1f" : "", col_text(st, 0));
	return 0;
}

static int take_index(void *ctx, sqlite3_stmt *st)
{
	struct cat_reader *r = ctx;
	sqlite3 *h = sqlite3_db_handle(st);
	/* Unique, over the whole table, over columns only: a key rows can be told apart by. */
	if (!sqlite3_column_int(st, 1) || sqlite3_column_int(st, 3))
		return 0;
	strbuf_reset(&r->list);
	r->expr = 0;
	if (each_row(h, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", col_text(st, 0), take_index_col,
		     r) == SQLITE_OK && !r->expr)
		catalog_add_key(r->t, r->list.buf, '\x1f', 0);
	return 0;
}

static char fk_action(const char *a)
{
	if (!a)
		return 'a';
	if (!strcasecmp(a, "CASCADE"))
		return 'c';
	if (!strcasecmp(a, "SET NULL"))
		return 'n';
	if (!strcasecmp(a, "SET DEFAULT"))
		return 'd';
	if (!strcasecmp(a, "RESTRICT"))
		return 'r';
	return 'a';
}

static void fk_flush(struct cat_reader *r)
{
	if (r->fk_id >= 0)
		catalog_add_fkey(r->t, r->list.buf, r->fk_table.buf, r->fk_to.len ? r->fk_to.buf : NULL, '\x1f',
				 r->fk_del);
	strbuf_reset(&r->list);
	strbuf_reset(&r->fk_to);
	strbuf_reset(&r->fk_table);
}

static int take_fkey(void *ctx, sqlite3_stmt *st)
{
	struct cat_reader *r = ctx;
	long id = sqlite3_column_int(st, 0);
	int open_to;

	if (id != r->fk_id) {
		fk_flush(r);
		r->fk_id = id;
		strbuf_addstr(&r->fk_table, col_text(st, 1));
		r->fk_del = fk_action(col_text(st, 4));
	}
	open_to = r->list.len > 0;
	strbuf_addf(&r->list, "%s%s", open_to ? "\x1f" : "", col_text(st, 2));
	/* "to" is NULL when the key references the parent's primary key. */
	if (col_text(st, 3))
		strbuf_addf(&r->fk_to, "%s%s", open_to ? "\x1f" : "", col_text(st, 3));
	return 0;
}

static int ident_char(int c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Each CHECK ( ... ) in a CREATE TABLE statement's text, column and table constraints alike. */
static void take_checks(struct cat_table *t, const char *sql)
{
	size_t i = 0, n = strlen(sql);

	while (i < n) {
		size_t j = sql_skip_quoted(sql, i), k, depth;
		if (j != i) {
			i = j;
			continue;
		}
		if (strncasecmp(sql + i, "check", 5) || (i && ident_char((unsigned char)sql[i - 1])) ||
		    ident_char((unsigned char)sql[i + 5])) {
			i++;
			continue;
		}
		for (k = i + 5; k < n && (sql[k] == ' ' || sql[k] == '\t' || sql[k] == '\n' || sql[k] == '\r'); k++)
			;
		if (k >= n || sql[k] != '(') {
			i = k;
			continue;
		}
		for (j = k + 1, depth = 1; j < n && depth;) {
			size_t q = sql_skip_quoted(sql, j);
			if (q != j) {
				j = q;
				continue;
			}
			if (sql[j] == '(')
				depth++;
			else if (sql[j] == ')')
				depth--;
			j++;
		}
		if (!depth) {
			char *e = xstrndup(sql + k + 1, j - k - 2);
			catalog_add_check(t, e);
			free(e);
		}
		i = j;
	}
}

static int take_sql(void *ctx, sqlite3_stmt *st)
{
	struct cat_reader *r = ctx;
	if (col_text(st, 0))
		take_checks(r->t, col_text(st, 0));
	return 0;
}

/* A trigger: the columns of its table its body sets are the database's. */
static int take_trigger(void *ctx, sqlite3_stmt *st)
{
	catalog_note_trigger(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2));
	return 0;
}

/*
** The catalogue from SQLite's own: sqlite_schema for the tables and their
** CREATE statements (where the CHECKs are), the table_xinfo, index_list,
** index_info and foreign_key_list pragmas for the rest.
*/
static int sqlite_catalog(struct db_conn *c, struct db_catalog *out, struct strbuf *err)
{
	struct cat_reader r;
	size_t i, ntables;
	int rc, k;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	strbuf_init(&r.pk);
	strbuf_init(&r.list);
	strbuf_init(&r.fk_to);
	strbuf_init(&r.fk_table);
	rc = each_row(c->h, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
		      "ESCAPE '\\' ORDER BY name", NULL, take_table, out);
	ntables = out->nr;
	for (i = 0; i < ntables && rc == SQLITE_OK; i++) {
		r.t = &out->v[i];
		r.npk = r.pk_integer = 0;
		rc = each_row(c->h, "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
			      "FROM pragma_table_xinfo(?1) ORDER BY cid", r.t->name, take_column, &r);
		if (rc != SQLITE_OK)
			break;
		strbuf_reset(&r.pk);
		for (k = 0; k < r.npk; k++)
			strbuf_addf(&r.pk, "%s%s", k ? "\x1f" : "", r.t->cols[r.pk_at[k]].name);
		if (r.npk)
			catalog_add_key(r.t, r.pk.buf, '\x1f', 1);
		/* A lone INTEGER PRIMARY KEY is the rowid: SQLite fills it when left out. */
		if (r.npk == 1 && r.pk_integer)
			r.t->cols[r.pk_at[0]].filled = 1;
		rc = each_row(c->h, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
			      r.t->name, take_index, &r);
		if (rc != SQLITE_OK)
			break;
		r.fk_id = -1;
		strbuf_reset(&r.list);
		rc = each_row(c->h, "SELECT id, \"table\", \"from\", \"to\", on_delete FROM "
			      "pragma_foreign_key_list(?1) ORDER BY id, seq", r.t->name, take_fkey, &r);
		fk_flush(&r);
		if (rc == SQLITE_OK)
			rc = each_row(c->h, "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
				      r.t->name, take_sql, &r);
	}
	if (rc == SQLITE_OK)
		rc = each_row(c->h, "SELECT tbl_name, name, sql FROM main.sqlite_schema WHERE type = 'trigger' "
			      "ORDER BY name", NULL, take_trigger, out);
	strbuf_release(&r.pk);
	strbuf_release(&r.list);
	strbuf_release(&r.fk_to);
	strbuf_release(&r.fk_table);
	if (rc != SQLITE_OK)
		return strbuf_error(err, -1, "cannot read the catalogue: %s", sqlite3_errmsg(c->h));
	catalog_finish(out);
	return 0;
}

/* The shim's kinds are the driver interface's, by value. */
static void sqlite_fault_io(int kind, long long after)
{
	if (kind == DB_FAULT_FULL)
		faultvfs_arm(FAULTVFS_FULL, after);
	else if (kind == DB_FAULT_IOERR)
		faultvfs_arm(FAULTVFS_IOERR, after);
	else
		faultvfs_disarm();
}

/* A table's name, then its columns' (the statistics query of one table is built from them). */
static int take_name(void *ctx, sqlite3_stmt *st)
{
	struct strbuf *names = ctx;
	strbuf_addstr(names, col_text(st, 0) ? col_text(st, 0) : "");
	strbuf_addch(names, '\0');
	return 0;
}

/*
** A SQLite file's statistics (--stats FILE), counted: SQLite keeps no
** share of NULLs, so one scan a table counts its rows, each column's
** NULLs and distinct values.  The file is opened read-only, its schema
** untrusted, and only these SELECTs run.
*/
static int sqlite_stats(const char *source, const struct db_options *o, struct db_stats *out, struct strbuf *err)
{
	struct strbuf tables = STRBUF_INIT, cols = STRBUF_INIT, sql = STRBUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	const char *t, *c;
	struct stat sb;
	int rc, ncols, i;

	(void)o;
	if (stat(source, &sb)) {
		strbuf_error(err, -1, "cannot read statistics from '%s': %s", source, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		strbuf_error(err, -1, "cannot read statistics from '%s': not a file (a SQLite database, or "
			     "postgres://.../DBNAME)", source);
		goto fail;
	}
	rc = sqlite3_open_v2(source, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
		sqlite3_busy_timeout(h, 5000);
		rc = each_row(h, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
			      "ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name", NULL, take_name, &tables);
	}
	if (rc != SQLITE_OK) {
		strbuf_error(err, -1, "cannot read statistics from '%s': %s", source,
			     h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		goto fail;
	}
	for (t = tables.buf; t < tables.buf + tables.len; t += strlen(t) + 1) {
		strbuf_reset(&cols);
		strbuf_reset(&sql);
		if (each_row(h, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", t, take_name, &cols) != SQLITE_OK)
			goto engine;
		strbuf_addstr(&sql, "SELECT count(*)");
		for (c = cols.buf; c < cols.buf + cols.len; c += strlen(c) + 1) {
			strbuf_addstr(&sql, ", total(");
			sql_add_quoted(&sql, c, '"');
			strbuf_addstr(&sql, " IS NULL), count(DISTINCT ");
			sql_add_quoted(&sql, c, '"');
			strbuf_addch(&sql, ')');
		}
		strbuf_addstr(&sql, " FROM main.");
		sql_add_quoted(&sql, t, '"');
		if (sqlite3_prepare_v2(h, sql.buf, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
			goto engine;
		ncols = sqlite3_column_count(st);
		db_stats_add_table(out, t, sqlite3_column_double(st, 0));
		for (c = cols.buf, i = 1; c < cols.buf + cols.len && i + 1 < ncols; c += strlen(c) + 1, i += 2) {
			double rows = sqlite3_column_double(st, 0);
			db_stats_add_column(out, t, c, rows > 0 ? sqlite3_column_double(st, i) / rows : -1,
					    sqlite3_column_double(st, i + 1));
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_close(h);
	strbuf_release(&tables);
	strbuf_release(&cols);
	strbuf_release(&sql);
	return 0;
engine:
	strbuf_error(err, -1, "cannot read statistics from '%s': %s", source, sqlite3_errmsg(h));
fail:
	sqlite3_finalize(st);
	sqlite3_close(h);
	strbuf_release(&tables);
	strbuf_release(&cols);
	strbuf_release(&sql);
	return -1;
}

static const char *const sqlite_targets[] = { "sqlite", "sqlite:", NULL };

const struct db_driver db_sqlite_driver = {
	.dialect = DIALECT_SQLITE,
	.caps = DB_CAP_ONE_WRITER | DB_CAP_IO_FAULTS | DB_CAP_DETERMINISTIC,
	.targets = sqlite_targets,
	.target_help = "sqlite",
	.target_need = "sqlite",
	.param_prefix = '?',
	.schema = "main",
	.storage_query = "SELECT name, rootpage FROM main.sqlite_schema WHERE type = 'table'",
	.steps = sqlite_steps,
	.create = sqlite_create,
	.destroy = sqlite_destroy,
	.copy = sqlite_copy,
	.where = sqlite_where,
	.gc = sqlite_gc,
	.own_sql = sqlite_own_sql,
	.connect = sqlite_connect,
	.disconnect = sqlite_disconnect,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.run = sqlite_run,
	.begin = sqlite_begin,
	.begin_ro = sqlite_begin_ro,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.in_tx = sqlite_in_tx,
	.errmsg = sqlite_errmsg,
	.errclass = sqlite_errclass,
	.changes = sqlite_changes,
	.work = sqlite_work,
	.snapshot = sqlite_snapshot,
	.kill = sqlite_kill,
	.fault_io = sqlite_fault_io,
	.catalog = sqlite_catalog,
	.stats = sqlite_stats,
	.schema_query = "SELECT type, name, tbl_name, sql FROM sqlite_master "
			"WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
	.columns_query = "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
};
