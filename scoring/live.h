/*
** The live drill: the essays' quarterly drill, where a team writes and
** deploys its fix while the traffic runs.  A live session drives the
** engine step by step (drill_advance), takes the team's actions at the
** tick they arrive (a fix, a down migration, a flag flip, the end), notes
** schema changes it did not make, samples what an on-call engineer would
** watch, lays each fact lost at what lost it (loss.h: checked before each
** action and after each migration), and at the end judges the drill and
** works out the drill's own figures: time to the first action, to the
** first fix, to recovery, facts lost and by what.  Given
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
#include "loss.h"
#include "pipeline.h"

enum live_kind {
	LIVE_APPLY,      /* a fix migration, from a file or a tool's directory */
	LIVE_DOWN,       /* the scenario's down migration: the temptation */
	LIVE_FLAG,       /* a feature flag turned off or on */
	LIVE_OUTSIDE,    /* a schema change mdrill did not make (psql, sqlite3) */
	LIVE_END,        /* the team ended the drill, or the time ran out */
};

/* How the drill ended. */
enum live_end_how {
	LIVE_END_TEAM,       /* 'mdrill drill end' */
	LIVE_END_TIME,       /* the time limit (--minutes) ran out */
	LIVE_END_INTERRUPT,  /* Ctrl-C */
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
	long cause;                 /* its cause of losses in the drill's struct loss, once it has one; -1 */
};

/* What the dashboard shows, worked out once a wall second (live_sample). */
#define LIVE_VERSIONS 8        /* app versions the dashboard tells apart; more share the last */
#define LIVE_ERROR_WINDOW 30   /* seconds of the drill the error list looks back over */
#define LIVE_TOP 3             /* errors it lists */
#define LIVE_RECOVERED_S 5     /* seconds without excess failures before it says recovered */

struct live_sample {
	int64_t tick;
	size_t nversions;
	/*
	** Committed and failed transactions per app version in each second
	** of the drill (by tick: second k is ticks [k*tps, (k+1)*tps)), from
	** the start; the second under way is the last, not yet whole.
	*/
	uint64_t *ok[LIVE_VERSIONS], *failed[LIVE_VERSIONS];
	size_t nseconds, seconds_alloc;
	/* Errors of the last LIVE_ERROR_WINDOW seconds, the most frequent first. */
	struct live_error {
		char *line;                     /* "v1 register: MESSAGE (class)" */
		uint64_t count;                 /* in the window */
		int64_t last_tick;              /* when it was last seen */
	} *errors;
	size_t nerrors, errors_alloc;
	/* Writers waiting on a lock a migration, a team's SQL or someone outside holds (drill_lock_waits). */
	size_t writers_waiting;
	int64_t longest_wait;                   /* ticks the longest of them has waited, 0 for none */
	int64_t incident_tick;                  /* the bad migration's start, or -1 */
	/* Committed per second per app version in the minute before the incident; -1 before one. */
	double before[LIVE_VERSIONS];
	double base_failure_rate;               /* failed share before the incident */
	int64_t recovered_tick;                 /* failures back to before the incident since, or -1 */
	/* Facts acknowledged from the incident until the first fix that applied (or now). */
	uint64_t acked_at_risk;
	int64_t risk_to;                        /* the first fix's end, -1 while there is none */
};

/* The drill's own figures, in ticks (and seconds where the drill was paced). */
struct live_figures {
	int64_t incident_tick;                  /* -1 when the bad migration never ran */
	int64_t first_action_tick, first_fix_tick, recovery_tick;  /* -1: never */
	double first_action_wall, first_fix_wall;                  /* -1: never */
	double ticks_per_second;                /* the pace, to turn ticks into seconds */
	int fixes_applied, fixes_failed, downs, flags, outside_changes;
	uint64_t stranded_max;                  /* facts acknowledged from the incident until the first fix landed */
	uint64_t facts_lost;                    /* facts not preserved at the end: the scorecard's */
	double base_failure_rate;               /* failed share before the incident */
	int interrupted;                        /* the time ran out, or Ctrl-C */
	enum live_end_how end_how;
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
	/*
	** Who lost what (loss.h): checked before each action and after each
	** migration, at ticks, so that a replay lays losses where the drill
	** did; looked at between them for the dashboard (live_look).
	*/
	struct loss loss;
	long loss_owed;                         /* a migration's cause whose check is still owed, -1 */
	size_t migs_seen;                       /* the drill's migrations whose end has been taken */
	size_t events_checked;                  /* timeline events checked before */
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
 * Look at what is lost now, for the dashboard: a check that commits
 * nothing (loss_check), into l->loss's look_* figures.  Not while a
 * migration is at work or a client's statement is out on the server
 * (returns 1, nothing looked at); the caller keeps it to once a wall
 * second, for its cost.  0, or -1 with why in err.
 */
int live_look(struct live *l, struct strbuf *err);

/** Facts at risk now: acknowledged since the incident (until the first fix), not lost at the last look. */
uint64_t live_at_risk(const struct live *l);

/**
 * End the drill at the tick it stands at: the traffic runs cooldown ticks
 * more (as fast as it can), then stops and drains; the probes, the oracle
 * and the scorecard judge it; the figures are worked out; every loss is
 * laid at its cause and every action marked on the scorecard's timeline.
 * how says who ended it.  Returns 0, or DRILL_E* with the reason in err.
 */
int live_end(struct live *l, double wall, enum live_end_how how, struct strbuf *err);

/** "the team ended the drill", "the time ran out", "interrupted": how an end is said. */
const char *live_end_name(enum live_end_how how);
/** "team", "time", "interrupt": how a record keeps it (ended_by); live_end_parse reads it back, -1 for none. */
const char *live_end_key(enum live_end_how how);
int live_end_parse(const char *key);

/**
 * Free everything; the disposable database is removed, or kept with keep
 * (its place into kept).  What could not be removed, and why, goes onto
 * left, a line each.  kept and left may be NULL.
 */
void live_release(struct live *l, int keep, struct strbuf *kept, struct strbuf *left);

/* A record, as read back (see record.h). */
struct live_record;

/**
 * Run a record's drill again in simulated time into l, on drv at target
 * (--db; NULL for the default engine): the same scenario, seed and
 * cooldown, each action at its tick.  Refuses (DRILL_EINPUT) a record
 * with an outside change: that cannot be replayed.
 */
int live_replay(struct live *l, const struct scenario *sc, const struct db_driver *drv, const char *target,
		const struct live_record *rec, struct strbuf *err);

const char *live_kind_name(enum live_kind kind);

#endif
