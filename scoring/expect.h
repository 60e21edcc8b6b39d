/*
** A fix template's expectations: the '-- @expect' lines in its header
** (verdict=pass|fail, and the figures lost, blocked_max and score set
** against a number), which mdrill check holds a drill's scorecard to.
*/
#ifndef MDRILL_EXPECT_H
#define MDRILL_EXPECT_H

#include "../sim/base/strbuf.h"
#include "scorecard.h"

/**
 * The '-- @expect' conditions of the template at path (a file, or a
 * migration tool's directory: every file of its layout), space-separated,
 * onto out.  Returns 0, or -1 with the reason in err.
 */
int expect_read(const char *path, struct strbuf *out, struct strbuf *err);

/**
 * Does card meet cond ("verdict=pass", "lost=0", "blocked_max<=100")?
 * Appends what the card has ("lost=3") to got.  Returns 1 when it does, 0
 * when not, -1 when cond cannot be read.
 */
int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got);

#endif
