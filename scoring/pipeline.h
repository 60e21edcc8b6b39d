/*
** The drill pipeline as one library call: load what sits in the fix slot,
** run the drill, probe the database it left, judge with the oracle and
** build the scorecard.  The command line, the tests and the benchmark all
** call it.  Nothing here prints: progress goes through the request's
** callback, and errors into the caller's buffer with a DRILL_E* code.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_PIPELINE_H
#define MDRILL_PIPELINE_H

#include <signal.h>
#include <stdint.h>

#include "../sim/base/sqltext.h"
#include "../sim/base/strbuf.h"
#include "../sim/db/db.h"
#include "../sim/engine/scheduler.h"
#include "../sim/input/faults.h"
#include "../sim/input/scenario.h"
#include "oracle.h"
#include "scorecard.h"

/* One drill: what sits in the fix slot, under which seed, what goes wrong. */
struct pipeline_request {
	/*
	** The migration in the fix slot as the user named it: a file or a
	** migration tool's directory, as given or relative to the scenario's
	** directory.  NULL with is_down: the scenario's own down migration;
	** NULL without: nothing, the slot stays empty (the bad migration
	** drilled alone, as mdrill try does).
	*/
	const char *fixarg;
	int is_down;                     /* the fix slot holds a down migration */
	uint64_t seed;
	const struct fault_list *faults; /* NULL for none */
	const char *target;              /* --db; a driver gets it only when it takes it */
	int concurrent;                  /* async engines: clients' statements overlap */
	int keep;                        /* leave the disposable database (see kept) */
	/*
	** Leave the drill, its database open, and the oracle's result in the
	** pipeline_result: for exports that need the ledger, and for tests.
	*/
	int hold;
	struct strbuf *schema;           /* receives the final schema when set */
	volatile sig_atomic_t *stop;     /* set by a signal handler: stop soon */
	int allow_superuser;             /* PostgreSQL: run even when the target is a superuser */
	long statement_timeout_ms;       /* every statement's limit: 0 for none, <0 the default */
	/*
	** The most memory the drill may be expected to take (bytes; 0 for no
	** limit): a scenario whose estimate is past it is refused before it
	** seeds (pipeline_memory).
	*/
	uint64_t max_memory;
	/* Optional: told of each phase (enum drill_phase) and how far it is. */
	void (*progress)(void *ctx, int phase, int64_t done, int64_t total);
	void *progress_ctx;
	struct db *template;             /* optional: the schema built already (drill_opts.template) */
};

struct pipeline_result {
	struct scorecard card;         /* set when pipeline_score returned 0 */
	int scored;
	int held;                      /* the drill and the oracle's result are open */
	int keep;                      /* keep the held drill's database when it closes */
	struct drill drill;
	struct oracle_result oracle;
	struct strbuf kept;            /* each database kept so far, a line each */
	struct strbuf left;            /* each database that could not be removed, why, a line each */
};

/* Bytes a seeded row takes, measured: the ledger's facts and strings, the value copies. */
#define PIPELINE_BYTES_PER_ROW 300

/**
 * What a drill of sc can be expected to take in memory, in bytes: its
 * seeded rows (a CSV seed by its file's size), before a row is seeded.
 */
uint64_t pipeline_memory(const struct scenario *sc);

/**
 * Append the statements of what sits in the fix slot on drv to script:
 * the migration at fixarg (a fix, or a down migration with is_down) in any
 * layout layout_load reads, or the scenario's own down migration when
 * fixarg is NULL and is_down is set (nothing when it is not).  Returns 0,
 * or DRILL_EINPUT with the reason in err.
 */
int pipeline_load_fix(const struct scenario *sc, const struct db_driver *drv, const char *fixarg,
		      int is_down, struct sql_script *script, struct strbuf *err);

/**
 * What is worth saying about the migration at fixarg but is no error (a
 * gap in a tool's versions), a line each, onto notes.  Nothing when it
 * cannot be found or read: pipeline_load_fix says why.
 */
void pipeline_fix_notes(const struct scenario *sc, const char *fixarg, int is_down, struct strbuf *notes);

/**
 * The text of the migration at fixarg (found as pipeline_load_fix finds
 * it), each file of a tool's directory under a '-- file: NAME' line, onto
 * out: what a record keeps of what a team applied.  0 or DRILL_EINPUT.
 */
int pipeline_fix_text(const struct scenario *sc, const char *fixarg, int is_down, struct strbuf *out,
		      struct strbuf *err);

/**
 * Can every fault strike on drv: those of faults (the command line) and
 * those of sc's timeline?  Returns 0, or DRILL_EINPUT with the reason in
 * err ("--faults ..." or "FILE:LINE: ...").
 */
int pipeline_check_faults(const struct scenario *sc, const struct db_driver *drv,
			  const struct fault_list *faults, struct strbuf *err);

/**
 * A database of sc's schema alone, on the engine and with the options of
 * req, for drills of sc to copy (req->template): a history applied once a
 * run, not once a drill.  Returns 0 with *out (db_destroy it), or -1 with
 * err: a caller goes on without, each drill building its own schema and
 * saying what fails there.
 */
int pipeline_template(const struct scenario *sc, const struct db_driver *drv, const struct pipeline_request *req,
		      struct db **out, struct strbuf *err);

/**
 * Run one drill of sc on drv under req and score it into out, which the
 * caller releases with pipeline_result_release (also after a failure).
 * A fix-crash fault among req->faults crashes the fix once; see
 * pipeline_chaos for the verdict on it.  Returns 0, or DRILL_EINPUT (a
 * missing or malformed migration, the scenario's own SQL failing),
 * DRILL_EENGINE or DRILL_EINTR with the reason in err.  The disposable
 * database is gone when it returns, unless req->keep or req->hold.
 */
int pipeline_score(const struct scenario *sc, const struct db_driver *drv,
		   const struct pipeline_request *req, struct pipeline_result *out, struct strbuf *err);

/**
 * pipeline_score, and with fix-crash=K among req->faults the verdict on
 * roll-forward-ability: the drill runs without the crash, then with it,
 * and the crash point converges when the re-run completed, left the
 * schema the crash-free run left, and lost no more.  out holds the run
 * with the crash, its crash points recorded in the card.  With
 * fix-crash=all the drill runs again for every statement K and out holds
 * the crash-free run (req->hold and req->keep then apply to no run).  A
 * K past the fix's last statement is DRILL_EINPUT before any drill runs.
 */
int pipeline_chaos(const struct scenario *sc, const struct db_driver *drv,
		   const struct pipeline_request *req, struct pipeline_result *out, struct strbuf *err);

/**
 * Judge the drill out->drill holds, finished (drill_finish) and its database
 * open: the probes read it, the oracle judges, the scorecard is built into
 * out->card.  A live drill, which the caller ran step by step in
 * out->drill, is scored with this; pipeline_score calls it too.  Release
 * out with pipeline_result_release.
 */
void pipeline_judge(const struct scenario *sc, struct pipeline_result *out);

/** An empty result, ready for pipeline_score or pipeline_result_release. */
void pipeline_result_init(struct pipeline_result *out);

/**
 * Close a held drill: its database is removed, or kept with the request's
 * keep (its place appended to out->kept), and the oracle's result freed.
 * The card stays.  Nothing happens when no drill is held.
 */
void pipeline_result_close(struct pipeline_result *out);

/** Close a held drill and free everything out holds. */
void pipeline_result_release(struct pipeline_result *out);

#endif
