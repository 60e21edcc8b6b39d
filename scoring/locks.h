/*
** Lock findings: what each statement of a migration locks, for how long,
** and how that time grows with the table.  The migration runs once more,
** statement by statement, on a database of the drill's schema and seed
** with nothing else running, and each statement is measured: the locks its
** transaction holds (PostgreSQL's pg_locks; SQLite's one write lock), the
** rows it read and wrote (PostgreSQL's pg_stat_xact counters; SQLite's VM
** steps), whether the table was rewritten (its storage changed), and the
** milliseconds.  Work in proportion to the table's rows is a scan or a
** rewrite: its time is projected to the production size.  A lock that
** stops writers held over a scan or a rewrite fails at any size; one held
** briefly passes, unless its projection passes the budget.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LOCKS_H
#define MDRILL_LOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"
#include "../sim/db/db.h"
#include "../sim/input/scenario.h"

/* A table's production size: '--rows TABLE=N'. */
struct locks_rows {
	const char *table;
	int64_t rows;
};

struct locks_opts {
	const struct db_driver *drv;
	const char *target;              /* --db, when drv takes it */
	const struct db_options *dbo;    /* NULL for the defaults */
	uint64_t seed;
	double max_wait_ms;              /* the budget of writers' waiting, projected */
	int64_t default_rows;            /* production rows of a table no --rows names */
	const struct locks_rows *rows;
	size_t nrows;
	/* Exceptions a team accepts: "FINDING" or "FINDING:TABLE" (a config file's 'allow' lines). */
	char **allow;
	size_t nallow;
	struct db *template;             /* optional: a database of this run with the scenario's schema, copied */
};

/* One statement's hold on one table. */
struct lock_finding {
	const char *name;        /* stable: table-rewrite, blocking-scan, blocking-backfill, long-lock, brief-lock */
	int stmt;                /* 1-based, of the migration as the drill runs it */
	char *file;              /* where the statement stands in the user's file, when known (else NULL) */
	int line;
	char *sql;
	char *table;
	char *lock;              /* "ACCESS EXCLUSIVE", "SHARE", "ROW EXCLUSIVE", "the database's write lock" */
	int blocks_writers, blocks_readers;
	int rewrite, scan;       /* its storage was rewritten; it read or wrote about every row */
	double ms;               /* how long it held the lock here (to its transaction's end) */
	int64_t rows;            /* the table's rows here */
	int64_t work;            /* rows read and written (PostgreSQL), VM steps (SQLite) */
	int64_t prod_rows;       /* the production size projected to */
	double projected_ms;
	int fails;
	int allowed;             /* it would fail, but the team's config allows it */
	int unmeasured;          /* its statement failed on the rows: the lock is known, its time is not */
	char *why;               /* what the verdict rests on */
	const char *advice;      /* the usual safe rewrite */
};

struct lock_report {
	struct lock_finding *v;
	size_t nr, alloc;
	int64_t seeded_rows;     /* the rows per table it was measured at */
	double max_wait_ms;
	int nfail;
	/*
	** A statement that failed on the measure's rows (from 1; 0 for none),
	** and the engine's words: the statements from it on were not
	** measured.  Its lock, read again on its table emptied, is a finding
	** with unmeasured set.
	*/
	int failed_stmt;
	char *failed_error;
	char *failed_file;       /* where it stands in the user's file, when known */
	int failed_line;
};

/**
 * Measure the locks of sc's bad migration on a fresh database of sc's
 * schema and seed, into out (release with locks_report_release).  Returns
 * 0, or DRILL_EINPUT (the scenario's own SQL fails), DRILL_EENGINE with err.
 * A statement of the migration that fails ends the measurement there
 * (out->failed_stmt says which and why).
 */
int locks_measure(const struct scenario *sc, const struct locks_opts *o, struct lock_report *out,
		  struct strbuf *err);

void locks_report_release(struct lock_report *r);

#endif
