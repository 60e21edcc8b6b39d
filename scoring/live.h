/*
** The live drill: the essays' quarterly drill, where a team writes and
** deploys its fix while the traffic runs.  A live session drives the
** engine step by step (drill_advance), takes the team's actions at the
** tick they arrive (a fix, a down migration, a flag flip, the end), notes
** schema changes it did not make, samples what an on-call engineer would
** watch, and at the end judges the drill and works out the drill's own
** figures: time to the first action, to the first fix, to recovery.  Given
** the same seed and the actions at the same ticks it is the same drill, so
** its record replays (live_replay) to the same scorecard.  Nothing here
** prints or reads a clock: the caller paces it and passes wall times in.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LIVE_H
#define MDRILL_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/base/sqltext.h"
#include "../sim/base/strbuf.h"
#include "pipeline.h"

enum live_kind {
	LIVE_APPLY,      /* a fix migration, from a file or a tool's directory */
	LIVE_DOWN,       /* the scenario's down migration: the temptation */
	LIVE_FLAG,       /* a feature flag turned off or on */
	LIVE_OUTSIDE,    /* a schema change mdrill did not make (psql, sqlite3) */
	LIVE_END,        /* the team ended the drill, or the time ran out */
};

/* What a migration action came to, once the migrator is done with it. */
enum live_outcome { LIVE_RUNNING, LIVE_APPLIED, LIVE_FAILED };

struct live_action {
	enum live_kind kind;
	int64_t tick;               /* when it landed */
	double wall;                /* seconds since the drill began */
	char *what;                 /* the file as named, the flag, or what changed */
	char *text;                 /* apply: the text of the applied files, as a reader sees them */
	struct sql_script script;   /* apply, down: the statements, as applied (replay applies these) */
	/*
	** apply: mdrill ran them in one transaction it opened, so that a
	** failure leaves nothing of them behind (live_apply); 0 when they ran
	** as written: one statement, a file with transactions of its own, or
	** one that cannot run in a transaction.
	*/
	int one_tx;
	int on;                     /* flag: on or off */
	int mig;                    /* apply, down: its index in the drill's migrations, else -1 */
};

/* What the dashboard shows, sampled once a wall second. */
#define LIVE_HISTORY 40
#define LIVE_TOP 3

struct live_sample {
	int64_t tick;
	uint64_t committed[8], failed[8];       /* by app version, in the last sample */
	uint64_t history_ok[8][LIVE_HISTORY];   /* the same, the latest last */
	uint64_t history_failed[8][LIVE_HISTORY];
	size_t nversions, nhistory;
	struct live_error {
		char *line;                     /* "v1 register: MESSAGE (class)" */
		double weight;                  /* how often lately: a decaying count */
		uint64_t total;
	} *errors;
	size_t nerrors, errors_alloc;
	size_t writers_waiting;
	uint64_t stranded;                      /* facts acknowledged since the incident began */
	int64_t incident_tick;                  /* the bad migration's start, or -1 */
};

/* The drill's own figures, in ticks (and seconds where the drill was paced). */
struct live_figures {
	int64_t incident_tick;                  /* -1 when the bad migration never ran */
	int64_t first_action_tick, first_fix_tick, recovery_tick;  /* -1: never */
	double first_action_wall, first_fix_wall;                  /* -1: never */
	double ticks_per_second;                /* the pace, to turn ticks into seconds */
	int fixes_applied, fixes_failed, downs, flags, outside_changes;
	uint64_t stranded_max;                  /* facts at risk when the first fix landed */
	double base_failure_rate;               /* failed share before the incident */
	int interrupted;
};

struct live {
	const struct scenario *sc;
	const struct db_driver *drv;
	struct drill_opts opts;
	struct pipeline_result res;             /* res.drill is the drill, driven in place */
	struct live_action *actions;
	size_t nactions, actions_alloc;
	int64_t cooldown;                       /* ticks of traffic after 'end' */
	double ticks_per_second;
	int ended, judged;
	struct live_sample sample;
	size_t seen_tx;                         /* ledger transactions sampled so far */
	char *schema;                           /* the schema as mdrill last saw it */
	int64_t schema_tick;                    /* ... at this tick */
	struct live_figures figures;
};

/**
 * Start a live drill of sc on drv: the database, schema and seed; the
 * timeline runs as written but for its 'fix' and 'end'.  target is --db;
 * dbo the superuser, statement timeout and stop settings (NULL: defaults).
 * Returns 0 or DRILL_E* with the reason in err; release l with
 * live_release either way.
 */
int live_start(struct live *l, const struct scenario *sc, const struct db_driver *drv,
	       const char *target, uint64_t seed, int64_t cooldown, double ticks_per_second,
	       const struct db_options *dbo, struct strbuf *err);

/** Run the drill to tick until (see drill_advance).  0, or DRILL_E* with the reason in err. */
int live_advance(struct live *l, int64_t until, struct strbuf *err);

/** The tick the drill stands at. */
int64_t live_tick(const struct live *l);

/* How live_apply runs the team's statements. */
enum live_tx {
	LIVE_TX_AS_WRITTEN = 0,   /* as written, each as the file has it (a record from before LIVE_TX_AUTO) */
	LIVE_TX_ONE = 1,          /* in one transaction mdrill opens */
	LIVE_TX_AUTO = -1,        /* in one when they can run in one (layout_wrappable), else as written */
};

/**
 * The team applies a migration now: what names it (a file as the team
 * named it), text (the files' text, kept in the record), and its
 * statements, run as tx says (enum live_tx): with LIVE_TX_AUTO in one
 * transaction where they can be, so that one that fails halfway leaves
 * nothing of it in the schema.  Returns the action's index; live_outcome
 * tells when it is done, live_apply_outcome what stays of a failure.
 */
size_t live_apply(struct live *l, const char *what, const char *text, const struct sql_script *script, int tx,
		  double wall);
/** The scenario's own down migration, now.  Returns the action's index, or -1 with err. */
long live_down(struct live *l, double wall, struct strbuf *err);
/** Flag name off or on, now.  0, or -1 with err (no such flag). */
int live_flag(struct live *l, const char *name, int on, double wall, struct strbuf *err);

/**
 * What of apply or down action i stays in the database, onto out: all of
 * it when it applied; for a failed one, nothing when it ran in one
 * transaction, else the statements that committed before the one that
 * failed ("statements 1,2 (committed before statement 4 failed; ...)").
 */
void live_what_stays(const struct live *l, size_t i, struct strbuf *out);

/** What action i came to; for a failed one, *mig holds its migration report. */
enum live_outcome live_outcome(const struct live *l, size_t i, const struct mig_report **mig);

/**
 * Once a second: compare the schema with what mdrill last saw; a change no
 * migration of mdrill's made is recorded as an outside change.  A change
 * while one of mdrill's migrations ran, or since the last look, is taken as
 * the migration's: a hand change in the same second goes unnoticed.
 * Returns 1 when it recorded one.
 */
int live_watch_schema(struct live *l, double wall);

/** Sample what happened since the last call into l->sample (the dashboard's figures). */
void live_sample(struct live *l);

/**
 * End the drill at the tick it stands at: the traffic runs cooldown ticks
 * more (as fast as it can), then stops and drains; the probes, the oracle
 * and the scorecard judge it; the figures are worked out; every action is
 * marked on the scorecard's timeline.  interrupted marks an end by Ctrl-C
 * or the time limit.  Returns 0, or DRILL_E* with the reason in err.
 */
int live_end(struct live *l, double wall, int interrupted, struct strbuf *err);

/**
 * Free everything; the disposable database is removed, or kept with keep
 * (its place into kept).  What could not be removed, and why, goes onto
 * left, a line each.  kept and left may be NULL.
 */
void live_release(struct live *l, int keep, struct strbuf *kept, struct strbuf *left);

/* A record, as read back (see record.h). */
struct live_record;

/**
 * Run a record's drill again in simulated time into l: the same scenario,
 * seed and cooldown, each action at its tick.  Refuses (DRILL_EINPUT) a
 * record with an outside change: that cannot be replayed.
 */
int live_replay(struct live *l, const struct scenario *sc, const struct db_driver *drv,
		const struct live_record *rec, struct strbuf *err);

const char *live_kind_name(enum live_kind kind);

#endif
