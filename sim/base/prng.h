/*
** The seeded pseudo-random generator behind every choice mdrill makes:
** which client steps next, which transaction it runs, which values it
** writes.  xoshiro256** seeded through splitmix64: fast, and the same
** sequence on every platform, which the byte-identical JSON relies on.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_PRNG_H
#define MDRILL_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t s[4];
};

/**
 * Seed p from seed and a stream number, so that independent consumers (the
 * scheduler, each client, the seeder) draw from streams that do not shift
 * when another consumer draws more or fewer numbers.
 */
void prng_seed(struct prng *p, uint64_t seed, uint64_t stream);
/** The next 64 random bits. */
uint64_t prng_next(struct prng *p);
/** A uniform integer in [0, n); n must be positive. */
uint64_t prng_below(struct prng *p, uint64_t n);
/** A uniform integer in [lo, hi]; lo <= hi. */
int64_t prng_range(struct prng *p, int64_t lo, int64_t hi);
/** A uniform double in [0, 1). */
double prng_unit(struct prng *p);

#endif
