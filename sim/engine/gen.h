/*
** Value generators for seed rows and '\set' lines: plausible names, emails,
** phones, text, dates and numbers, with deliberately awkward values mixed in
** at a settable rate (single-word names, runs of spaces, non-ASCII, empty
** strings, maximum-length strings).  The lossy-transform drills live on
** those awkward values, so they are part of the contract, not noise.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_GEN_H
#define MDRILL_GEN_H

#include <stdint.h>

#include "../base/prng.h"
#include "../input/scenario.h"
#include "../base/strbuf.h"

struct gen_ctx {
	struct prng *rng;
	double awkward;      /* share of awkward values, 0 to 1 */
	int64_t seq;         /* the value 'seq' yields */
};

/**
 * Append a value of generator g to out.  Returns 1 when the value is SQL
 * NULL (out untouched), else 0.  nextid and existing are not handled here:
 * they need the ledger, and the caller resolves them.
 */
int gen_value(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out);

#endif
