/*
** Faults: what can go wrong during a drill on purpose.  One spelling for
** the command line (--faults NAME[=ARG][@TICK],...) and the timeline
** (-- at TICK fault NAME[=ARG]), parsed here into one list the scheduler
** applies.  A fault with no tick strikes when the fix starts.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_FAULTS_H
#define MDRILL_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"
#include "../db/db.h"

enum fault_kind {
	FAULT_FIX_CRASH,    /* the migration connection dies after fix statement arg */
	FAULT_KILL_CLIENT,  /* a client's connection dies mid-transaction */
	FAULT_BUSY,         /* the busy (lock) timeout becomes arg ticks */
	FAULT_SLOW_FIX,     /* each fix statement takes arg more ticks */
	FAULT_DISK_FULL,    /* SQLite: writes fail SQLITE_FULL after arg more bytes */
	FAULT_IOERR,        /* SQLite: writes fail SQLITE_IOERR after arg more writes */
	FAULT_FIX_TIMEOUT,  /* PostgreSQL: statement_timeout of arg ms on the fix */
	FAULT_RANDOM,       /* swarm: the seed picks the faults; keep it last */
};

/* The table in faults.c has a row per kind, in this order. */
#define FAULT_KINDS (FAULT_RANDOM + 1)

#define FAULT_ALL -1        /* fix-crash=all: every statement in turn */
#define FAULT_AT_FIX -1     /* tick: when the fix starts */

struct fault {
	enum fault_kind kind;
	int64_t arg;
	int64_t tick;
};

struct fault_list {
	struct fault *v;
	size_t nr, alloc;
};

/**
 * Parse one fault, "NAME[=ARG][@TICK]", onto list (tick_ok: may it carry
 * @TICK).  Returns 0, or -1 with what was expected in err.
 */
int fault_parse(const char *spec, int tick_ok, struct fault_list *list, struct strbuf *err);
/** Parse a comma-separated list of faults onto list. */
int fault_parse_list(const char *specs, struct fault_list *list, struct strbuf *err);
/** The fault of kind in list, or NULL. */
const struct fault *fault_find(const struct fault_list *list, enum fault_kind kind);
/** Append the faults of list other than those of kind to out. */
void fault_list_without(const struct fault_list *list, enum fault_kind kind, struct fault_list *out);
/** "NAME[=ARG][@TICK]" of f onto out, as the command line spells it. */
void fault_format(const struct fault *f, struct strbuf *out);
const char *fault_name(enum fault_kind kind);

/**
 * Can f strike on drv?  Returns 0, or -1 with "NAME works through ...: it
 * needs --db TARGET" in err, built from the fault's table row and the
 * drivers that can do what it needs.
 */
int fault_fits(const struct fault *f, const struct db_driver *drv, struct strbuf *err);
/** May a scenario's timeline carry faults of kind?  (Else the command line only.) */
int fault_timeline_ok(enum fault_kind kind);

/**
 * --faults random: the faults of one seed of a swarm onto out, drawn from
 * a stream of the seed's own: no fault, fix-crash after one of the fix's
 * nstmts statements, or a client killed as the fix starts.
 */
void fault_list_random(uint64_t seed, size_t nstmts, struct fault_list *out);
void fault_list_release(struct fault_list *list);

#endif
