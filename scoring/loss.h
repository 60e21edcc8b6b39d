/*
** Who lost each fact, while a live drill runs.  At chosen moments (a
** check) the probes read the database through a fresh reader and the
** oracle judges what they read against the ledger so far: a fact is lost
** once the schema of that moment no longer gives back what was
** acknowledged (a dropped column, a rewritten value, a deleted row).  A
** fact lost since the last check is laid at the cause of that moment: the
** migration that has just ended (the bad one, the down, a team's fix), an
** outside change, or, between them, the application's own writes into a
** schema that drops what they write (laid at a flag flip when a flip was
** the last thing done: the flag chose the code that wrote).  A check that
** commits is taken at ticks only, so a replay lays every loss where the
** drill laid it; a look between them (for the dashboard) counts the same
** way without committing anything.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LOSS_H
#define MDRILL_LOSS_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"
#include "../sim/engine/scheduler.h"
#include "oracle.h"

enum loss_kind {
	LOSS_MIGRATION,   /* a migration: the bad one, one of the timeline's, the down, a team's fix */
	LOSS_OUTSIDE,     /* a schema change mdrill did not make */
	LOSS_FLAG,        /* the application's writes after a flag flip */
	LOSS_WRITES,      /* the application's writes into a schema that drops what they write */
};

struct loss_cause {
	enum loss_kind kind;
	long action;         /* the live drill's action (its index), or -1 */
	int mig;             /* LOSS_MIGRATION: its index in the drill's migrations, else -1 */
	int version;         /* LOSS_WRITES: the app version whose facts they were, -1 for none */
	long after;          /* LOSS_WRITES: the cause whose schema they were written into, -1 for none */
	int64_t tick;        /* a migration's start, a flip, a change seen; writes: that of after (0 for none) */
	char *label;         /* "the down migration", "apply fixes/x.sql", "v1's writes after the down migration" */
	uint64_t lost;       /* facts found lost at it (committed checks) */
	uint64_t recovered;  /* facts lost before and found readable again at it */
	uint64_t now;        /* of the facts lost at the last check, those laid at it */
};

/* One fact lost at the last committed check, and where it was laid. */
struct loss_item {
	uint32_t table, key, field;
	uint32_t cause;
};

struct loss {
	struct loss_cause *causes;
	size_t ncauses, causes_alloc;
	struct loss_item *items;     /* sorted by table, key, field */
	size_t nitems;
	long last_event;             /* the latest migration, outside change or flip: writes are laid after it */
	/*
	** Facts at risk are those acknowledged from risk_from to risk_to (-1:
	** to now) that are not lost: the caller sets the window.
	*/
	int64_t risk_from, risk_to;
	/* The last check, committed or a look: */
	int looked;                  /* a check has been made */
	int64_t look_tick;           /* at this tick */
	uint64_t look_lost;          /* facts lost then */
	uint64_t look_at_risk_lost;  /* of them, those written in the window of risk */
	uint64_t *look_now;          /* per cause, facts lost then laid at it (ncauses of them) */
	uint64_t commits, looks;     /* checks made, for the curious */
	/* Facts lost at each committed check, in order: the reports draw them over time. */
	struct loss_point { int64_t tick; uint64_t lost; } *points;
	size_t npoints, points_alloc;
};

void loss_init(struct loss *ls);
void loss_release(struct loss *ls);

/**
 * A migration, an outside change or a flag flip as a cause (kind), with
 * the live action that made it (-1 for none) and its migration (-1),
 * when it happened and how reports name it.  The application's writes
 * from now on are laid after it.  Returns its index in ls->causes.
 */
size_t loss_event(struct loss *ls, enum loss_kind kind, long action, int mig, int64_t tick, const char *label);

/**
 * Check d now: a fresh reader that gives up on a held lock at once
 * (db_reader_open_brief), the probes, the oracle on the ledger so far,
 * then loss_take.  cause is where facts lost since the last committed
 * check go (an index of ls->causes), or -1 for the application's writes.
 * Returns 0, or -1 with why in err when no look could be had (the reader
 * refused, a probe met a lock held elsewhere): nothing changes then.
 */
int loss_check(struct loss *ls, const struct drill *d, long cause, int commit, struct strbuf *err);

/**
 * Take r, an oracle's result on d's ledger, as a check (loss_check's
 * second half, and the end's, on the scorecard's own result).  Facts in r
 * lost at the last committed check keep their cause; the others are laid
 * at cause (-1: the writes rule above); those no longer in r are counted
 * recovered at cause (nowhere for -1).  With commit, ls remembers r's
 * facts and the counts go into the causes; without, only the look_*
 * figures change.  With cause_of, the cause of each of r's findings goes
 * into a new array (*cause_of)[i], which the caller frees.
 */
void loss_take(struct loss *ls, const struct drill *d, const struct oracle_result *r, long cause, int commit,
	       uint32_t **cause_of);

/**
 * The causes in the order reports list them: by tick, an event before
 * the writes after it, writes by app version.  n indices into order,
 * which the caller frees.
 */
size_t *loss_order(const struct loss *ls);

#endif
