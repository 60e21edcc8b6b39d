/*
** The verdict of 'mdrill try': a scaffolded drill of a new migration,
** read for what a pull request needs to know.  Which of old code's
** transactions fail under the migration, how often and with what message;
** how long writers waited on its locks; which acknowledged facts it lost;
** and, beside it, the drill with its down migration in the fix slot: what
** the way back loses, and whether new code survives it.  Nothing prints.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_TRIAL_H
#define MDRILL_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/input/scenario.h"
#include "locks.h"
#include "pipeline.h"

/* One transaction of old code, before and from the migration's start on. */
struct trial_tx {
	char *name;
	uint64_t ok_before, failed_before, ok_after, failed_after;
	char *message;               /* its most frequent failure from the migration on, or NULL */
	char *error_class;
	/*
	** Its failures from the migration on are more than its rate before
	** explains: the migration's doing.  A transaction that fails as often
	** before is the generated traffic's own fault, not the migration's.
	*/
	int broken;
};

/* Facts of one table's column that were not kept. */
struct trial_field {
	char *table, *field;
	uint64_t n;
	int gone;                    /* the column is gone from the final schema */
	int allowed;                 /* the team's config says the migration changes it on purpose */
};

struct trial_example {
	char *table, *key, *field, *expected, *found;  /* found NULL: NULL or absent */
	const char *cls;             /* "lost_row", "lost_field", "corrupted", "phantom" */
};

/* What a drill kept of the acknowledged facts. */
struct trial_data {
	uint64_t expected, lost;     /* lost: expected facts not kept, phantoms among them */
	uint64_t rows_lost, fields_lost, changed, phantom;
	uint64_t unwritten_rows;     /* rows the probes found that no acknowledged write made */
	struct trial_field *fields;  /* by table and column, most first */
	size_t nfields;
	struct trial_example *examples;
	size_t nexamples;
	/*
	** The down migration's drill only: facts it did not keep that the
	** migration alone kept, the same (table, key, field) found in both
	** runs' findings or not, and those by column.  Counted fact by fact,
	** not as the difference of two totals that other losses can hide.
	*/
	uint64_t lost_by_down;
	struct trial_field *down_fields;
	size_t ndown_fields;
};

struct trial {
	char *scenario, *engine, *migration, *down;
	uint64_t seed;
	/* The migration under the traffic. */
	int ran, completed;
	int failed_statement, failed_line;
	char *failed_file, *failed_sql, *error, *error_class;
	int64_t start, end;
	/* Old code: every transaction of app 'old', those failing from the migration on first. */
	struct trial_tx *tx;
	size_t ntx;
	uint64_t old_failed_after, old_failed_before;
	uint64_t old_broken;         /* transactions the migration broke (trial_tx.broken) */
	uint64_t old_noisy;          /* transactions failing after only as often as before */
	/* Writers waiting on the migration's locks, in ticks. */
	int64_t wait_max, wait_total;
	uint64_t writers_waited;
	struct trial_data data;      /* the migration alone */
	/* With --down: the drill with the down migration in the fix slot. */
	int with_down;
	int down_completed;
	char *down_error;
	struct trial_data down_data;
	uint64_t new_failed_after_down;
	char *new_failure;           /* app 'new''s most frequent failure after the down migration */
	/*
	** Tables the migration changes that the drill left out, "TABLE: why"
	** each: the verdict cannot be had there, so a try with no other
	** reason is not judged rather than passed.
	*/
	char **unjudged;
	size_t nunjudged;
	/* The migration's locks, measured apart from the traffic (locks.h); the trial owns them. */
	struct lock_report locks;
	char **notes;                /* the scaffold's, a line each */
	size_t nnotes;
	int pass;
	char **reasons;
	size_t nreasons;
	int data_reason;             /* the reason that says what the migration did not keep, or -1 */
};

/**
 * Judge the drills of sc (migration and down_label name the migrations
 * for the report): alone (the migration with the fix slot empty)
 * and, when not NULL, down (the down migration in the fix slot), both
 * scored and held (pipeline_request.hold), into out.  notes are the
 * scaffold's, a line each.  It passes when the migration completed, no
 * transaction of old code fails from its start on more often than it
 * failed before it (a baseline: the generated traffic's own failures are
 * said apart), and every acknowledged fact was kept, after the down
 * migration too (the facts it alone lost, compared fact by fact).
 * Release out with trial_release.
 */
void trial_judge(const struct scenario *sc, const char *migration, const char *down_label,
		 const struct pipeline_result *alone, const struct pipeline_result *down, const char *notes,
		 struct trial *out);

/**
 * Take the lock findings of r (r is left empty) into t, and a reason for
 * each that fails: a scan or a rewrite under a lock that stops writers, or
 * a hold projected past the budget.
 */
/**
 * The team's config: 'allow data:TABLE.COLUMN' (or data:TABLE) says the
 * migration changes those facts on purpose (a backfill).  Facts of an
 * allowed column are said, and fail nothing; when every fact not kept is
 * of one, the reason about the data goes.
 */
void trial_allow_data(struct trial *t, char *const *allow, size_t nallow);

void trial_add_locks(struct trial *t, struct lock_report *r);

/** A table the migration changes that the drill left out, and why: see trial.unjudged. */
void trial_add_unjudged(struct trial *t, const char *table, const char *why);

/** The verdict's word: "pass", "fail", or "not judged" (no reason to fail, a table not drilled). */
const char *trial_verdict(const struct trial *t);

void trial_release(struct trial *t);

#endif
