/*
** The deterministic drill engine.  One thread, one connection per virtual
** client and one for migrations; a seeded PRNG picks who takes the next
** step, and a step is one SQL statement, so a migration interleaves with
** the traffic statement by statement.  The timeline starts clients, deploys
** app versions, injects the bad migration and applies the fix under test.
** The result is a struct drill: the ledger, what each migration did, who
** waited on locks, and the database itself, kept open for the probes.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SCHEDULER_H
#define MDRILL_SCHEDULER_H

#include <signal.h>
#include <stdint.h>

#include "client.h"
#include "../db/db.h"
#include "../input/faults.h"
#include "ledger.h"
#include "seeder.h"
#include "../input/scenario.h"
#include "../base/sqltext.h"
#include "../base/strbuf.h"

/* Return codes of drill_run besides 0. */
#define DRILL_EENGINE  -1   /* the database or the machine failed us */
#define DRILL_EINPUT   -2   /* the scenario's own SQL or data is broken */
#define DRILL_EINTR    -3   /* interrupted */
#define DRILL_DRAINED   1   /* drill_advance: the traffic ended and drained; drill_finish next */

/* Phases reported to drill_opts.progress, with how far it is: done of total. */
enum drill_phase {
	DRILL_SEEDING,     /* rows seeded of all seed rows (the CSV's count as they come: total 0) */
	DRILL_TRAFFIC,     /* the tick of the timeline's 'end' tick, every DRILL_PROGRESS_TICKS ticks */
	DRILL_MIGRATION,   /* a migration's first statement */
	DRILL_DONE,        /* the traffic has drained: the probes come next */
	DRILL_SCORED,      /* the probes have read the database (the pipeline's) */
};

#define DRILL_PROGRESS_TICKS 1024

struct drill_opts {
	const struct db_driver *drv;
	const char *target;            /* engine-specific; NULL for sqlite */
	uint64_t seed;
	const char *fix_label;         /* how reports name the fix */
	const struct sql_script *fix;  /* the statements applied at 'fix' */
	int fix_is_down;               /* the fix slot holds the down migration */
	int concurrent;                /* async engines: clients' statements overlap */
	/*
	** A live drill: the timeline's 'fix' and 'end' are the team's to give
	** (drill_apply, drill_stop_traffic), and time passes while it thinks.
	*/
	int live;
	const struct fault_list *faults; /* from the command line; NULL for none */
	volatile sig_atomic_t *stop;   /* set by a signal handler: stop soon, interrupting a statement */
	int allow_superuser;           /* PostgreSQL: run even when the target is a superuser */
	long statement_timeout_ms;     /* every statement's limit (0 for none) */
	/* Optional: told of each phase and how far it is (enum drill_phase). */
	void (*progress)(void *ctx, int phase, int64_t done, int64_t total);
	void *progress_ctx;
	/*
	** Optional: after the schema and before the seed, note as seed facts
	** the rows the schema's own statements made (a history's INSERTs), so
	** that they are judged like any others and the seed keeps off their
	** keys.  Returns 0, or -1 with err.
	*/
	seeder_adopt_fn adopt;
	void *adopt_ctx;
	/*
	** Optional: a database of this run that holds the scenario's schema
	** already, no connection open on it: the drill's database is a copy
	** of it (db_copy), and the schema is not run again.
	*/
	struct db *template;
};

/*
** The runs of a migration's '-- @repeat' statements: a batched backfill,
** run again until a run changes no rows.
*/
struct repeat_log {
	int *stmts;          /* 1-based numbers of its repeated statements */
	size_t nstmts;
	int max;             /* the first one's limit of runs */
	struct repeat_run {
		int stmt;            /* which statement */
		int64_t tick;        /* when it ran */
		int64_t changed;     /* rows it changed */
	} *runs;             /* every run, in order */
	size_t nruns, runs_alloc;
};

/* One migration as it ran. */
struct mig_report {
	char *name;          /* "bad", "fix", "down" or a named forward migration */
	char *label;
	size_t nstmts;       /* statements, without the schema_migrations record */
	size_t applied;      /* statements that completed */
	int64_t start;       /* tick of its first statement; -1 if it never ran */
	int64_t end;         /* tick it completed or failed */
	int completed;
	int failed;          /* 1-based number of the statement that failed, 0 if none */
	int failed_line;     /* its line in its file */
	char *failed_file;   /* that file, when the migration spans several */
	char *failed_sql;
	char *error;
	int errclass;
	int64_t waited;      /* ticks it waited on locks */
	int crash_after;     /* fault: its connection died after this statement, 0 if not */
	int64_t crash_tick;
	struct repeat_log repeats;
};

struct sched;

struct drill {
	const struct scenario *sc;
	struct sched *sched;          /* the schedule while the drill runs; NULL after */
	const struct db_driver *drv;
	struct db *db;
	struct db_conn *admin;        /* the migration connection */
	/*
	** After drill_finish: a fresh connection that sees the drill's own
	** schema alone (db_reader_open), for the history audit, the probes
	** and the final schema; NULL with reader_error when it could not be
	** had, and then nothing the drill wrote can be verified.
	*/
	struct db_conn *reader;
	char *reader_error;
	struct ledger ledger;
	struct plan plan;
	struct client_env env;
	struct client *clients;
	size_t nclients, clients_alloc;
	struct mig_report *migs;      /* every migration run, in order */
	size_t nmigs, migs_alloc;
	int bad;                      /* index in migs of the bad migration, -1 */
	int fix;                      /* index in migs of the (last) fix, -1 */
	int fix_first;                /* ... of the first fix a live drill's team applied, -1 */
	int fix_is_down;
	uint64_t seed;
	struct flag_flip { int64_t tick; int flag; int on; } *flips;  /* as they happened */
	/*
	** One write lock engines: when the migration connection held it, so
	** that only waits the migrations caused count as theirs.
	*/
	struct lock_hold { int64_t from, to; } *holds;
	size_t nholds, holds_alloc;
	int64_t hold_from;            /* -1 when it holds nothing */
	size_t nflips, flips_alloc;
	struct fault_hit { int64_t tick; enum fault_kind kind; int64_t arg; int client; } *hits; /* faults as they struck */
	size_t nhits, hits_alloc;
	int64_t end_tick;             /* when 'end' fired */
	int64_t last_tick;            /* when the last transaction drained */
	/*
	** The migration history as mdrill recorded it, and what became of
	** it: NULL when schema_migrations still holds every record unchanged,
	** else what was dropped, deleted or rewritten (the audit trail).
	*/
	struct history_row { int version; char *name; int64_t tick; } *history;
	size_t nhistory, history_alloc;
	char *history_broken;
	/*
	** Set by the caller: drill_advance returns at the first tick after a
	** migration ends (applied or failed), so that the database can be
	** looked at as that migration left it.  migration_ended says one did.
	*/
	int pause_after_migration;
	int migration_ended;
};

/**
 * Run scenario sc under opts into d (which the caller then releases with
 * drill_release, also after a failure).  Returns 0, or a DRILL_E* code with
 * the reason in err.  A failing fix is not an error: it is in d->migs.
 */
int drill_run(struct drill *d, const struct scenario *sc, const struct drill_opts *opts,
	      struct strbuf *err);

/*
** The same drill step by step, for a drill driven from outside in real
** time (the live drill) and its replay in simulated time.  drill_run is
** drill_start, drill_advance to the end, then drill_finish.  Given the same
** seed and the same calls at the same ticks, the drill is the same.
*/

/** Set up: the disposable database, the schema and the seed.  0 or DRILL_E*; release d after either. */
int drill_start(struct drill *d, const struct scenario *sc, const struct drill_opts *opts,
		struct strbuf *err);

/**
 * Run the drill until tick until (with d->pause_after_migration, or
 * until the tick after a migration ended).  Returns 0 when it got there,
 * DRILL_DRAINED when the traffic has ended and drained (then call
 * drill_finish), or DRILL_E* with the reason in err.
 */
int drill_advance(struct drill *d, int64_t until, struct strbuf *err);

/**
 * After DRILL_DRAINED: what the migration connection left open is rolled
 * back, the reader opened (d->reader) and the migration history audited
 * through it; probes come next, through the reader too.  0 or DRILL_E*.
 */
int drill_finish(struct drill *d, struct strbuf *err);

/**
 * Put a migration in the migrator slot now, behind any still running:
 * name is "fix" or "down", label how reports name it; script is copied.
 * With one_tx its statements and its record in the history run in one
 * transaction mdrill opens and commits (BEGIN and COMMIT steps of their
 * own, no statements of the script), so that one that fails leaves none
 * of them behind.  It becomes the drill's (last) fix.  Returns its index
 * in d->migs.
 */
int drill_apply(struct drill *d, const char *name, const char *label, const struct sql_script *script,
		int one_tx);
/** Turn feature flag flag (an index of the scenario's flags) on or off now. */
void drill_flip(struct drill *d, int flag, int on);
/** 'end' now: no transaction starts; those in flight and the migrations finish. */
void drill_stop_traffic(struct drill *d);
/** Is a migration queued or running, or its transaction open? */
int drill_migrating(const struct drill *d);
/**
 * Is a migration at work: a statement of it done or out on the server,
 * or the migration connection in a transaction?  One queued that has not
 * taken a step yet is not: the database is as the last one left it.
 */
int drill_migration_at_work(const struct drill *d);
/**
 * Has a client a statement out on the server (an engine that runs them
 * there), whose effect a reader could see before the ledger hears of it?
 */
int drill_statements_out(const struct drill *d);
/**
 * Writers waiting now on a lock that no client holds: a migration's, a
 * team's SQL's, or someone's from outside the drill (a writer queued
 * behind such a lock counts too; one waiting for another client does
 * not).  Their number; the tick the longest of them began waiting into
 * *since (-1 when none).
 */
size_t drill_lock_waits(const struct drill *d, int64_t *since);

/**
 * Close every connection and remove the disposable database; with keep,
 * leave it and append where it is to kept.  When it cannot be removed,
 * why goes onto left (a line).
 */
void drill_release(struct drill *d, int keep, struct strbuf *kept, struct strbuf *left);

#endif
