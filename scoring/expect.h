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

/** How many conditions of l hold on dialect (its own and those for every engine). */
size_t expect_count(const struct expect_list *l, int dialect);

/**
 * Does card meet cond ("verdict=pass", "lost=0", "blocked_max<=100")?
 * Appends what the card has ("lost=3") to got.  Returns 1 when it does, 0
 * when not, -1 when cond cannot be read.
 */
int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got);

#endif
