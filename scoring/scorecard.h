/*
** The scorecard: everything a report shows about one drill, worked out
** once: the phases with committed and failed transactions per app version,
** the oracle's preservation figures, how long writers were blocked during
** the fix, what the fix did, the verdict and the score.  Renderers in
** reports/ read only this.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SCORECARD_H
#define MDRILL_SCORECARD_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/engine/scheduler.h"
#include "oracle.h"
#include "probe.h"

enum phase { PH_BEFORE, PH_INCIDENT, PH_FIXING, PH_AFTER, PH_COUNT };

#define SCORECARD_EXAMPLES 20
#define SCORECARD_BUCKETS 100

struct sc_example {
	int cls, window;
	char *table, *key, *field;     /* field "(row)" for the row itself */
	char *expected;                /* NULL for SQL NULL */
	char *found;                   /* NULL for SQL NULL or absent */
	int found_absent;
	char *why;
	char *lost_by;                 /* a live drill: what lost it (scoring/loss.h); NULL elsewhere */
};

/* A live drill: the facts lost at the end, by what lost them (scoring/loss.h). */
struct sc_loss {
	char *cause;                   /* "the down migration", "v1's writes after the down migration" */
	int64_t tick;                  /* when it happened */
	uint64_t facts;                /* lost at the end, laid at it */
	uint64_t lost, recovered;      /* found lost at it while the drill ran; found readable again at it */
};

struct sc_migration {
	char *name, *label;
	int ran, completed;
	size_t statements, applied;
	int failed_statement, failed_line;
	char *failed_sql, *failed_file, *error, *error_class;
	int64_t start, end, waited;
};

/* A fault as it struck. */
struct sc_fault {
	int64_t tick;
	char *what;                    /* "kill-client", "busy", ... */
	int64_t arg;
	int client;                    /* the client it hit, or -1 */
};

/* fix-crash=K: the drill with the fix's connection killed after statement K. */
struct sc_crash {
	int after;                     /* K */
	int reached;                   /* the fix got that far: the crash happened */
	int64_t tick;                  /* when the connection died */
	int completed;                 /* the re-run from the top completed */
	int same_schema;               /* the final schema is the one without the crash */
	uint64_t lost, base_lost;      /* facts not preserved, with and without the crash */
	int converged;                 /* all three held: lost no more than base_lost */
	char *error;                   /* the re-run's error, or NULL */
};

/* The fix's '-- @repeat' statements: a batched backfill, run by run. */
struct sc_backfill {
	int present;                   /* the fix has one; else the rest is zero */
	int statement;                 /* 1-based number of the (first) repeated statement */
	int statements;                /* how many statements repeat */
	int max_runs;                  /* the first one's limit */
	uint64_t runs;                 /* runs made, of all of them */
	uint64_t rows;                 /* rows those runs changed */
	int converged;                 /* each ended with a run that changed no rows */
	int64_t first_tick, last_tick; /* the first and the last run; -1 if none ran */
	uint64_t series[SCORECARD_BUCKETS];  /* rows changed per bucket of bucket_ticks */
};

struct sc_failure {                /* the most common failure after the fix */
	char *version, *error_class, *message;
	uint64_t count;
};

struct scorecard {
	char *scenario, *title, *engine, *essay;
	/*
	** Said before anything else: the scenario's own bad migration failed on
	** this engine (on purpose, halfway, or by a mistake in the scenario),
	** with its statement and the engine's message.  NULL when it did not.
	*/
	char *notice;
	int concurrent;                    /* statements of clients overlapped */
	uint64_t seed;
	char **param_names, **param_values;
	size_t nparams;
	long busy;

	size_t nversions;
	char **versions;
	uint64_t (*committed)[PH_COUNT];   /* [version][phase] */
	uint64_t (*failed)[PH_COUNT];

	struct sc_flip { char *name; int64_t tick; int on; } *flips;
	size_t nflips;

	/* The drill over time, for plots: SCORECARD_BUCKETS buckets of bucket_ticks. */
	int64_t bucket_ticks;
	uint64_t (*series_committed)[SCORECARD_BUCKETS];  /* [version][bucket], by complete tick */
	uint64_t (*series_failed)[SCORECARD_BUCKETS];
	uint64_t series_blocked[SCORECARD_BUCKETS];       /* writers' blocked ticks, whatever held them */
	/* Of those, the ticks blocking counts as the fix's (blocked_total is their sum). */
	uint64_t series_blocked_fix[SCORECARD_BUCKETS];
	struct sc_marker { char *label; int64_t tick; } *markers;  /* timeline events */
	size_t nmarkers;
	struct sc_migration bad, fix;
	int fix_is_down;
	int64_t end_tick, last_tick;

	struct oracle_counts total, win[OW_COUNT];
	uint64_t rows_lost, extra_phantoms;
	double ratio;
	struct sc_example *examples;
	size_t nexamples;
	uint64_t nfindings;
	char **notes;                      /* about the probes */
	size_t nnotes;

	int64_t blocked_max, blocked_total;   /* app writers, during the fix */
	int64_t drill_blocked_max;            /* app writers, whole drill */
	long stall;                           /* a writer waiting this long in the fix fails it */

	uint64_t after_committed, after_failed;
	uint64_t after_conn_failed;        /* failures after the fix that were lost connections */
	/* transactions whose connection dropped, by what became of them */
	uint64_t conn_lost, conn_committed, conn_aborted, conn_indeterminate;
	struct sc_failure after_top;
	struct sc_backfill backfill;

	struct sc_fault *faults;
	size_t nfaults;
	int crash_after;                   /* this drill's fix died after statement K; 0 if not */
	int64_t crash_tick;
	struct sc_crash *crashes;          /* fix-crash points tried, in K order */
	size_t ncrashes;
	int roll_forward;                  /* -1 not tried, 0 no, 1 every crash point converged */

	int pass;
	char **reasons;
	size_t nreasons;
	int score;
	/*
	** A live drill: its pace, so that its reports speak in seconds, and
	** every loss laid at what caused it.  0 and none elsewhere.
	*/
	int live;
	double ticks_per_second;
	struct sc_loss *losses;
	size_t nlosses;
	struct sc_lost_point { int64_t tick; uint64_t lost; } *lost_series;  /* facts lost at each check */
	size_t nlost_series;
};

/**
 * Work out the scorecard of drill d from its oracle result and probes.
 * Release with scorecard_release.
 */
void scorecard_build(struct scorecard *s, const struct drill *d, const struct oracle_result *r,
		     const struct probe_table *probes, size_t nprobes);
void scorecard_release(struct scorecard *s);

/** Did the scenario's own down migration fill the fix slot (not a team's file)? */
int scorecard_own_down(const struct scorecard *s);

/** Facts not preserved, phantoms included: the figure 'lost' of mdrill check. */
uint64_t scorecard_lost(const struct scorecard *s);

/**
 * Record the crash points tried for s's fix (moved into s, which owns them
 * after); the verdict fails and the score follows when one of them did
 * not converge: the fix is not roll-forward-able.
 */
void scorecard_add_crashes(struct scorecard *s, struct sc_crash *v, size_t n);

/**
 * A live drill's scorecard: its pace, and the losses by cause (v, n of
 * them, moved into s) with what lost each example (lost_by, one per
 * example, each moved into s; NULL for none), and the facts lost at each
 * check over time (series, npoints of them, copied).  The card's own
 * markers of the fix and the flips go: the live drill marks its actions.
 */
void scorecard_set_live(struct scorecard *s, double ticks_per_second, struct sc_loss *v, size_t n, char **lost_by,
			const struct sc_lost_point *series, size_t npoints);
/**
 * The series over time again, in buckets of bucket_ticks (a live drill's:
 * a round number of seconds, the same on every drill's page).  The last
 * bucket takes what falls past SCORECARD_BUCKETS of them.
 */
void scorecard_set_bucket(struct scorecard *s, const struct drill *d, int64_t bucket_ticks);
/** Mark an event at tick on s's timeline plots (a live drill's actions); tick < 0 marks nothing. */
void scorecard_add_marker(struct scorecard *s, int64_t tick, const char *label);

/**
 * The ticks of writer wait b that a migration running from tick start to
 * end caused, counted as blocking counts the fix's: on an engine with one
 * write lock, only those in which the migration connection held it (writers
 * also queue behind each other); elsewhere the wait's overlap with it.
 */
int64_t scorecard_migration_wait(const struct drill *d, const struct blocked_span *b, int64_t start, int64_t end);

/** Incident window bounds of d for the oracle: [*start, *end]. */
void scorecard_window(const struct drill *d, int64_t *start, int64_t *end);

const char *phase_name(int ph);

#endif
