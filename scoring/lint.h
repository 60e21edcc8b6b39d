/*
** A scenario's own SQL, checked without traffic: on a fresh disposable
** database of one engine, the schema, the seed rows, the timeline's
** migrations in their order (the bad one among them, after the backup a
** drill takes), the probes where the fix would go, then the down
** migration in the fix slot.  Each step says whether the engine took it,
** and when not, the file, the line and the engine's message: a scenario
** whose SQL one engine refuses is found before it is drilled and scored.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LINT_H
#define MDRILL_LINT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"
#include "../sim/db/db.h"
#include "../sim/input/scenario.h"

enum lint_status {
	LINT_OK,
	LINT_FAILED,      /* the engine refused it: a problem of the scenario */
	LINT_EXPECTED,    /* the down migration failed, as '-- @expect down_apply=fail' says it may */
	LINT_SKIPPED,     /* not run: what it needs failed before it */
};

struct lint_step {
	char *what;           /* "schema", "seed", "migration bad", "probe users", "down migration" */
	int status;           /* enum lint_status */
	int line;             /* the block's line in the scenario file, or the failing statement's */
	size_t statements;    /* statements in it */
	size_t failed;        /* 1-based number of the statement that failed, 0 if none */
	char *error;          /* the engine's message (with its own location for seeds), or NULL */
	int errclass;         /* its class (enum db_errclass), DBE_NONE when none */
	char *note;           /* something to know that is no problem, or NULL */
};

struct lint_result {
	const char *engine;
	struct lint_step *v;
	size_t nr, alloc;
	size_t problems;      /* steps with LINT_FAILED */
};

/**
 * Check sc's SQL on drv, in a disposable database at target (NULL for
 * the default engine, opts NULL for its defaults: the superuser rule, the
 * statement timeout, the stop flag), seeded with seed, into out: a step each, as
 * described above.  A step that fails leaves the database as the engine
 * left it (an open transaction rolled back) and the next steps run on;
 * after a failed schema nothing else can.  Returns 0 (problems or not:
 * see out->problems), or DRILL_EENGINE when no database could be made,
 * or DRILL_EINTR when opts->stop was set, with the reason in err.  Release out
 * with lint_result_release, also after a failure.
 */
int lint_run(const struct scenario *sc, const struct db_driver *drv, const char *target, uint64_t seed,
	     const struct db_options *opts, struct lint_result *out, struct strbuf *err);

void lint_result_release(struct lint_result *r);

#endif
