/*
** The database driver interface: one struct of function pointers per
** engine (SQLite now, PostgreSQL through libpq), and thin wrappers so that
** no caller touches a driver's table directly.  Every call that may wait on
** a lock returns DB_BLOCKED instead of waiting: the scheduler retries it on
** the client's later turns, which is how a deterministic single thread can
** show writers queueing behind a migration.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_DB_H
#define MDRILL_DB_H

#include <signal.h>
#include <stdint.h>

#include "../base/dialect.h"
#include "../base/strbuf.h"

enum db_status {
	DB_ERROR = -1,
	DB_DONE = 0,
	DB_BLOCKED = 1,   /* call again later with the same arguments */
	DB_PENDING = 2,   /* sent, not answered yet (no-wait connections only) */
};

/* Error classes, as the scorecard names them. */
enum db_errclass {
	DBE_NONE = 0,
	DBE_CONSTRAINT,
	DBE_UNIQUE,
	DBE_NOT_NULL,
	DBE_FOREIGN_KEY,
	DBE_BUSY,
	DBE_MISSING,
	DBE_SYNTAX,
	DBE_SERIALIZATION,
	DBE_CONNECTION,
	DBE_IO,           /* the disk is full or failing: not a lost connection */
	DBE_ROW_COUNT,    /* a statement changed other rows than '-- @rows' demands: record not found */
	DBE_REFUSED,      /* mdrill's sandbox refused the statement: it never ran */
	DBE_TIMEOUT,      /* it ran past the statement timeout and was stopped */
	DBE_OTHER,
	DBE_COUNT
};

/** The class's name in reports: "not-null", "busy", ... */
const char *db_errclass_name(int cls);

/*
** How a drill's database is made and its statements bounded: the command
** line's choices, handed to create and kept for every connection.
*/
struct db_options {
	int allow_superuser;              /* PostgreSQL: run even when --db is a superuser */
	long statement_timeout_ms;        /* every statement's limit; 0 for none */
	volatile sig_atomic_t *stop;      /* set by a signal handler: interrupt what runs */
};

/* A statement timeout no shipped scenario comes near: a minute. */
#define DB_STATEMENT_TIMEOUT_DEFAULT 60000

struct db;        /* a disposable database that the driver created */
struct db_catalog; /* its tables, columns and constraints (catalog.h) */
struct db_stats;   /* a production database's statistics (stats.h) */
struct db_conn;   /* one connection to it */
struct db_stmt;   /* a prepared statement on one connection */

/* Called for each result row; names and vals have ncol entries, NULL vals are SQL NULL. */
typedef int (*db_row_fn)(void *ctx, int ncol, const char *const *names,
			 const char *const *vals);

/*
** What a driver can do, as curl's TLS backends say it: callers ask
** db_can() instead of asking which driver they hold.
*/
enum db_cap {
	DB_CAP_ASYNC = 1u << 0,         /* statements run while the scheduler steps others */
	DB_CAP_ONE_WRITER = 1u << 1,    /* one database-wide write lock (SQLite) */
	DB_CAP_IO_FAULTS = 1u << 2,     /* fault_io: writes can be made to fail (a VFS shim) */
	DB_CAP_STMT_TIMEOUT = 1u << 3,  /* a server-side statement timeout per session */
	DB_CAP_DETERMINISTIC = 1u << 4, /* the same seed gives byte-identical results */
};

struct db_driver {
	int dialect;         /* enum sql_dialect: the driver goes by its dialect's name */
	unsigned caps;       /* DB_CAP_* */
	/*
	** The --db targets it takes: a target equal to an entry, or starting
	** with one that ends in "//".  The first driver also takes no target.
	*/
	const char *const *targets;
	const char *target_help;   /* the forms, for "expected ..." messages */
	const char *target_need;   /* the shortest form, for "needs --db ..." messages */
	char param_prefix;   /* '?' gives ?1, '$' gives $1 */
	/*
	** The schema the drill's tables stand in ("main", "public"): mdrill
	** names its own tables with it, so that no TEMP table of a session
	** can stand in for them.
	*/
	const char *schema;

	/*
	** Create a fresh database at target (one it takes, or NULL), marked
	** with its owner (this process, its host and start time) so that
	** gc can tell what a dead run left.
	*/
	int (*create)(const char *target, const struct db_options *o, struct db **out,
		      struct strbuf *err);
	/*
	** Remove it, or keep it and describe where in kept.  Frees db.
	** Returns 0, or -1 with why it could not be removed in err.
	*/
	int (*destroy)(struct db *db, int keep, struct strbuf *kept, struct strbuf *err);
	/*
	** Optional: create a fresh database as a copy of from, one this run
	** made, its schema and rows (PostgreSQL: CREATE DATABASE ... TEMPLATE;
	** SQLite: the backup API).  No connection may be open on from.  A
	** history applied once is cloned for each drill of it.
	*/
	int (*copy)(struct db *from, const struct db_options *o, struct db **out, struct strbuf *err);
	/*
	** Optional: remove what runs of this host that are gone left at
	** target (their ownership marks tell), a line each onto removed; a
	** line starting "! " is one found and not removed, and why.  Returns
	** 0, or -1 with err (the server cannot be reached).
	*/
	int (*gc)(const char *target, const struct db_options *o, struct strbuf *removed,
		  struct strbuf *err);
	/*
	** Optional: c runs mdrill's own SQL (own set: the backup, the
	** migration history) or the scenario's and the fix's (the default),
	** which the sandbox guards: what would reach outside the drill's
	** database is refused (DBE_REFUSED) and never runs.
	*/
	void (*own_sql)(struct db_conn *c, int own);
	/*
	** Optional: how a person reaches the database: the command that opens
	** it (sqlite3 FILE, psql 'URL' without a password), onto out.
	*/
	void (*where)(struct db *db, struct strbuf *out);
	int (*connect)(struct db *db, struct db_conn **out, struct strbuf *err);
	void (*disconnect)(struct db_conn *c);

	/* DB_DONE, DB_BLOCKED or DB_ERROR (then errmsg and errclass tell). */
	int (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out);
	void (*finalize)(struct db_stmt *st);
	int (*run)(struct db_stmt *st, int nparams, const char *const *vals,
		   db_row_fn fn, void *ctx);
	int (*begin)(struct db_conn *c);
	/* Optional: begin a read-only transaction that takes no write lock. */
	int (*begin_ro)(struct db_conn *c);
	int (*commit)(struct db_conn *c);
	int (*rollback)(struct db_conn *c);
	/* Is an explicit transaction open on c? */
	int (*in_tx)(struct db_conn *c);
	const char *(*errmsg)(struct db_conn *c);
	int (*errclass)(struct db_conn *c);
	/*
	** Optional: the rows the statement last run to completion on c
	** inserted, updated or deleted, as the engine counts them (not rows
	** its triggers changed); 0 for any other statement.
	*/
	int64_t (*changes)(struct db_conn *c);
	/*
	** Optional: for an engine that runs a statement to its end in one step
	** (SQLite), the ticks the statement last run on c worked for, at least
	** 1, and in *wrote whether it could write.  NULL where statements take
	** their own time on a server while the scheduler steps the others.
	*/
	int64_t (*work)(struct db_conn *c, int *wrote);

	/*
	** Copy the database as it is now into a schema named "backup" that
	** c can read: the backup taken right before the bad migration.
	*/
	int (*snapshot)(struct db_conn *c, struct strbuf *err);

	/*
	** Optional, for DB_CAP_ASYNC: how run, begin and commit wait for
	** their answer (enum db_wait).  With DB_WAIT_NONE they send and
	** return DB_PENDING; with DB_WAIT_WORK they return DB_PENDING when a
	** statement is still working after a short grace, waiting on no lock;
	** called again they collect the answer once it is there.  socket
	** tells what to poll.
	*/
	void (*set_nowait)(struct db_conn *c, int nowait);
	int (*socket)(struct db_conn *c);
	/* Optional: is the statement c sent waiting on a lock in the server? */
	int (*lock_waiting)(struct db_conn *c);
	/*
	** Optional: does the statement c sent wait on a lock that a session
	** other than c and the n peers holds (a migration's connection, or
	** someone's from outside the drill)?  1 yes, 0 no or cannot tell.
	*/
	int (*blocked_by_other)(struct db_conn *c, struct db_conn *const *peers, size_t n);

	/* Optional: open c again after its connection was lost. */
	int (*reconnect)(struct db_conn *c, struct strbuf *err);
	/*
	** Optional: after a reconnect, did the transaction that was open when
	** the connection dropped commit?  DB_OUTCOME_*.
	*/
	int (*last_tx_outcome)(struct db_conn *c);
	/*
	** End c's session as a crash would: what it left uncommitted is rolled
	** back and its locks go; with send_commit, a COMMIT is sent first and
	** may or may not land.  c is usable again afterwards, as a fresh
	** connection.  Chaos drills use it for the fix and for clients.
	*/
	int (*kill)(struct db_conn *c, int send_commit, struct strbuf *err);
	/*
	** A query whose rows, in order, describe the schema (tables, columns,
	** indexes, constraints, triggers): two databases with the same rows
	** have the same schema.  Crash drills compare it.
	*/
	const char *schema_query;
	/*
	** Optional: mdrill's own statements, in order, that make a fresh
	** connection read the drill's own schema and nothing else, whatever
	** the drill's SQL left for the database or the role (a search path,
	** formats, the backup): see db_reader_open.  NULL-terminated; a
	** transaction one of them opens is rolled back by db_reader_close.
	*/
	const char *const *reader_sql;
	/*
	** Optional: mdrill's own statement after the seed: every sequence of
	** a key is moved past the keys the seed wrote (as a restore sets
	** them), so that a key the database gives, as an application's INSERT
	** ... RETURNING id reads it, is a fresh one.
	*/
	const char *after_seed_sql;
	/*
	** Optional, for lock findings (scoring/locks.c): queries of c's own
	** state, a row per table of the drill's schema.  locks_query: table,
	** lock mode, for the locks c holds now; work_query: table, rows read,
	** rows written in c's current transaction; storage_query: table, an id
	** of its storage that a rewrite changes.
	*/
	const char *locks_query;
	const char *work_query;
	const char *storage_query;
	/* Optional: the engine's own units of work of c's last statement (SQLite's VM steps). */
	int64_t (*steps)(struct db_conn *c);
	/*
	** Optional: run before reader_sql by db_reader_open_brief, so that a
	** reader taken while the drill runs gives up on a lock at once rather
	** than hold the drill up (a team's session may sit on one).
	*/
	const char *const *brief_sql;
	/*
	** A query of one parameter, a table's name, whose rows name its
	** columns in order (the seeder checks a CSV header against them).
	*/
	const char *columns_query;
	/*
	** Optional: read the catalogue of c's database (its tables, columns,
	** keys, foreign keys, CHECKs; see catalog.h) into out, which the caller
	** releases with catalog_release, also after a failure.
	*/
	int (*catalog)(struct db_conn *c, struct db_catalog *out, struct strbuf *err);
	/*
	** Optional: read the statistics of source, a database mdrill did not
	** make (stats.h), with its own read-only queries and nothing else.
	*/
	int (*stats)(const char *source, const struct db_options *o, struct db_stats *out, struct strbuf *err);
	/*
	** Optional: from now on, writes to the database fail as on a full disk
	** (DB_FAULT_FULL, after `after` more bytes) or a failing device
	** (DB_FAULT_IOERR, after `after` more writes); DB_FAULT_NONE ends it.
	*/
	void (*fault_io)(int kind, long long after);
};

enum db_fault_io { DB_FAULT_NONE, DB_FAULT_FULL, DB_FAULT_IOERR };

/* How an async engine's calls wait for their answer (db_set_nowait). */
enum db_wait {
	DB_WAIT_ALL = 0,    /* until the answer, or DB_BLOCKED on a lock */
	DB_WAIT_NONE = 1,   /* not at all: DB_PENDING once sent */
	DB_WAIT_WORK = 2,   /* a grace, then DB_PENDING while it works on the server */
};

enum db_outcome {
	DB_OUTCOME_UNKNOWN,
	DB_OUTCOME_COMMITTED,
	DB_OUTCOME_ABORTED,
};

/** The driver of dialect d (enum sql_dialect), or NULL when none speaks it. */
const struct db_driver *db_driver_find(int dialect);
/** The driver's name: its dialect's (dialect_name). */
const char *db_name(const struct db_driver *drv);
/** Can drv do everything of caps (DB_CAP_*)? */
int db_can(const struct db_driver *drv, unsigned caps);
/** drv's dialect (enum sql_dialect), for picking a scenario's SQL. */
int db_dialect(const struct db_driver *drv);
/** The shortest --db target drv takes, for "needs --db ..." messages. */
const char *db_target_need(const struct db_driver *drv);
/** The schema the drill's tables stand in on drv ("main", "public"), to qualify mdrill's own tables. */
/** The driver's own statement after the seed, or NULL (see after_seed_sql). */
const char *db_after_seed_sql(const struct db_driver *drv);
const char *db_home_schema(const struct db_driver *drv);
/** drv's parameter placeholder prefix: '?' or '$'. */
char db_param_prefix(const struct db_driver *drv);

/**
 * The names of the drivers that can do caps (all drivers for 0), joined
 * as dialect_names does; with targets, their target_need instead.
 */
void db_driver_names(unsigned caps, int targets, struct strbuf *out);

/* create's refusal: the target is one mdrill will not run drills as (a superuser). */
#define DB_EREFUSED -2

/**
 * Create a disposable database (see the driver's create); o may be NULL
 * for the defaults.  Returns 0, -1 (the server or the machine failed), or
 * DB_EREFUSED, each with err.
 */
int db_create(const struct db_driver *drv, const char *target, const struct db_options *o,
	      struct db **out, struct strbuf *err);
/**
 * A disposable database made as a copy of from (see the driver's copy), o
 * as for db_create.  Returns 0, or -1 with err, also when the driver
 * cannot copy (then make one and build it again).
 */
int db_copy(const struct db_driver *drv, struct db *from, const struct db_options *o, struct db **out,
	    struct strbuf *err);
/** Remove db, or keep it (see the driver's destroy); -1 with err when it could not be removed. */
int db_destroy(const struct db_driver *drv, struct db *db, int keep, struct strbuf *kept,
	       struct strbuf *err);
/** Remove what dead runs of this host left at target (see the driver's gc). */
int db_gc(const struct db_driver *drv, const char *target, const struct db_options *o,
	  struct strbuf *removed, struct strbuf *err);
/** Lift the sandbox's guard on c for mdrill's own SQL (own 1), or put it back (0). */
void db_own_sql(const struct db_driver *drv, struct db_conn *c, int own);
int db_connect(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err);
/** The command that opens db for a person (see the driver's where); "" when the driver cannot say. */
void db_where(const struct db_driver *drv, struct db *db, struct strbuf *out);
void db_disconnect(const struct db_driver *drv, struct db_conn *c);
int db_prepare(const struct db_driver *drv, struct db_conn *c, const char *sql, struct db_stmt **out);
void db_finalize(const struct db_driver *drv, struct db_stmt *st);
int db_run(const struct db_driver *drv, struct db_stmt *st, int nparams,
	   const char *const *vals, db_row_fn fn, void *ctx);
int db_begin(const struct db_driver *drv, struct db_conn *c);
int db_begin_ro(const struct db_driver *drv, struct db_conn *c);
int db_commit(const struct db_driver *drv, struct db_conn *c);
int db_rollback(const struct db_driver *drv, struct db_conn *c);
int db_in_tx(const struct db_driver *drv, struct db_conn *c);
const char *db_errmsg(const struct db_driver *drv, struct db_conn *c);
int db_errclass(const struct db_driver *drv, struct db_conn *c);
/** Rows c's last completed statement changed (see the driver's changes); -1 if it cannot tell. */
int64_t db_changes(const struct db_driver *drv, struct db_conn *c);
/**
 * The ticks c's last statement worked for (1 unless the driver says more)
 * and in *wrote whether it could write: the scheduler holds the statement's
 * connection and, for a write, the write lock that long.
 */
int64_t db_work(const struct db_driver *drv, struct db_conn *c, int *wrote);
int db_snapshot(const struct db_driver *drv, struct db_conn *c, struct strbuf *err);
void db_set_nowait(const struct db_driver *drv, struct db_conn *c, int nowait);
/** The socket to poll for c's answer, or -1. */
int db_socket(const struct db_driver *drv, struct db_conn *c);
int db_lock_waiting(const struct db_driver *drv, struct db_conn *c);
/** Does c's statement wait on a lock of a session not among peers (see the driver's blocked_by_other)? */
int db_blocked_by_other(const struct db_driver *drv, struct db_conn *c, struct db_conn *const *peers, size_t n);
/** Reconnect c; -1 with err when the driver cannot or the server refuses. */
int db_reconnect(const struct db_driver *drv, struct db_conn *c, struct strbuf *err);
/** The outcome of the transaction a lost connection left behind (DB_OUTCOME_*). */
int db_last_tx_outcome(const struct db_driver *drv, struct db_conn *c);
/** Crash c's session (see the driver's kill); -1 with err if it cannot. */
int db_kill(const struct db_driver *drv, struct db_conn *c, int send_commit, struct strbuf *err);
/** Make writes fail (DB_FAULT_*); -1 when the driver cannot. */
int db_fault_io(const struct db_driver *drv, int kind, long long after);
/**
 * The columns of table on c, in order, onto *names (*n of them; free each
 * and the array).  Returns 0, or -1 with err; a table with no columns is
 * one the database does not have.
 */
int db_columns(const struct db_driver *drv, struct db_conn *c, const char *table,
	       char ***names, size_t *n, struct strbuf *err);
/**
 * The catalogue of c's database into out (see the driver's catalog); 0, or
 * -1 with err when the driver cannot read one or the engine refused.
 */
int db_catalog(const struct db_driver *drv, struct db_conn *c, struct db_catalog *out, struct strbuf *err);
/**
 * A fresh connection to db that reads what the drill left and only that:
 * no backup attached or in reach, no session's TEMP objects, the drill's
 * own names first, values formatted as mdrill reads them (the driver's
 * reader_sql).  Probes, the history audit, the final schema and the
 * catalogue read through it, so that no fix can shadow what they see.
 * Returns 0; -1 with err when the connection failed; DB_EREFUSED with err
 * when the database refused to be read so, which the drill's SQL may have
 * caused (the caller scores that as the database being unreadable).
 * *out is NULL after a failure.
 * Close it with db_reader_close.
 */
int db_reader_open(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err);
/** Roll back what the reader holds and close it; NULL is nothing to do. */
void db_reader_close(const struct db_driver *drv, struct db_conn *c);
/**
 * db_reader_open for a look while the drill runs: the same reader, told
 * first (the driver's brief_sql) to give up on a lock at once, so that a
 * probe meets a held lock as an error (DBE_BUSY) rather than a wait.
 */
int db_reader_open_brief(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err);

/** The raw units of work of c's last statement (see the driver's steps), or -1 when the driver counts none. */
int64_t db_steps(const struct db_driver *drv, struct db_conn *c);
/** drv's locks_query, work_query and storage_query (any may be NULL). */
const char *db_locks_query(const struct db_driver *drv);
const char *db_work_query(const struct db_driver *drv);
const char *db_storage_query(const struct db_driver *drv);

/** The schema of c's database as text, one line per object; -1 with err. */
int db_schema(const struct db_driver *drv, struct db_conn *c, struct strbuf *out, struct strbuf *err);

/**
 * The driver that takes a --db target (see db_driver.targets): the first
 * driver for NULL or "", or NULL when no driver takes it.
 */
const struct db_driver *db_driver_for(const char *target);

/** Does drv take target?  A drill hands a driver only a target it takes. */
int db_takes(const struct db_driver *drv, const char *target);

/** Every driver's target forms for an "expected ..." message, onto out. */
void db_target_help(struct strbuf *out);

/**
 * target with any password removed, for messages and reports; appended to
 * out.  Passwords never appear in mdrill's output.
 */
void db_target_display(const char *target, struct strbuf *out);

/**
 * msg (a server's or libpq's message about target) onto out with every
 * password target carries replaced by "***", and target itself, should
 * the message quote it whole, by its db_target_display form.
 */
void db_redact(const char *target, const char *msg, struct strbuf *out);

/**
 * Prepare and run one statement to completion, outside the scheduler (schema
 * set-up, seeding, probes).  A lock here is an error: nothing else runs.
 * Returns 0, or -1 with "what: message" in err and the class in *cls.
 */
int db_exec_now(const struct db_driver *drv, struct db_conn *c, const char *sql,
		int nparams, const char *const *vals, db_row_fn fn, void *ctx,
		int *cls, struct strbuf *err);

/**
 * db_exec_now, where a failure leaves c as it found it: in a transaction
 * the statement runs inside a savepoint, rolled back to when it fails, so
 * that the transaction goes on (a reader's probes: one that fails must not
 * abort the rest).  The savepoints go through c's guard as they are: no
 * sandbox refuses one.
 */
int db_exec_try(const struct db_driver *drv, struct db_conn *c, const char *sql,
		int nparams, const char *const *vals, db_row_fn fn, void *ctx,
		int *cls, struct strbuf *err);

#endif
