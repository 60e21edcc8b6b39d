/*
** A fix template's expectations: the '-- @expect' lines in its header
** (verdict=pass|fail, and the figures lost, blocked_max and score set
** against a number), which mdrill check holds a drill's scorecard to.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_EXPECT_H
#define MDRILL_EXPECT_H

#include "../sim/base/strbuf.h"
#include "scorecard.h"

/* One condition, and the engine it is for. */
struct expect_cond {
	char *text;          /* "verdict=pass", "lost=0" */
	int dialect;         /* enum sql_dialect: DIALECT_ANY unless its line names an engine */
};

struct expect_list {
	struct expect_cond *v;
	size_t nr, alloc;
};

/**
 * The '-- @expect' conditions of the template at path (a file, or a
 * migration tool's directory: every file of its layout) onto out.  A line
 * may end with an engine's name ('-- @expect verdict=pass sqlite'): its
 * conditions hold on that engine only, for a fix that is right on one
 * engine and wrong on another.  Returns 0, or -1 with the reason in err.
 * Release out with expect_list_release.
 */
int expect_read(const char *path, struct expect_list *out, struct strbuf *err);
void expect_list_release(struct expect_list *l);
/** One more condition onto l (copied), for dialect (DIALECT_ANY: every engine). */
void expect_add(struct expect_list *l, const char *cond, int dialect);

/** How many conditions of l hold on dialect (its own and those for every engine). */
size_t expect_count(const struct expect_list *l, int dialect);

/**
 * Does card meet cond?  The conditions: verdict=pass|fail;
 * apply=ok|fail|fail:CLASS, whether the migration in the fix slot applied whole or failed
 * at a statement, with that error class (db_errclass_name: syntax,
 * missing-object, foreign-key, ...); and the figures lost, blocked_max and
 * score with =, !=, <, <=, >, >= and a number ("lost=0",
 * "blocked_max<=100").  Appends what the card has ("lost=3") to got.
 * Returns 1 when it does, 0 when not, -1 when cond cannot be read.
 */
int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got);

/**
 * Hold card to the conditions of l for dialect (its own and those for
 * every engine): what the card has onto got, and each condition not met
 * onto why.  A migration that did not apply meets its expectations only
 * when one of them is an apply= condition: a broken template is never an
 * expected failure.  Returns 1 when all hold, 0 when not, -1 when a
 * condition cannot be read (it is then in why).
 */
int expect_judge(const struct expect_list *l, int dialect, const struct scorecard *card, struct strbuf *got,
		 struct strbuf *why);

#endif
