/*
** Swarm mode's worker pool: a range of seeds run in worker processes, one
** per core, each seed a schedule of its own.  The pool knows nothing of
** what a seed runs: a callback in the worker fills the seed's row, which
** comes back through a pipe; the rows are gathered in seed order.  A stop
** flag (a TERM or Ctrl-C) stops the workers, which clean up as a single
** drill does.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SWARM_H
#define MDRILL_SWARM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"

/* One seed's outcome. */
struct swarm_row {
	uint64_t seed;
	int pass, score;
	uint64_t lost;           /* facts not preserved */
	char *faults;            /* as --faults spells them, "" for none */
};

struct swarm_opts {
	uint64_t from, to;       /* the seeds, both included */
	uint64_t shard_k, shard_n; /* only the seeds of shard K of N (swarm_in_shard); 0 for all */
	int workers;             /* processes; 0 for one per core (at most 16) */
	/*
	** Run seed in a worker and fill row (its faults xmalloc'd).  Returns
	** 0, or an exit status that stops the worker and fails the swarm.
	*/
	int (*one)(void *ctx, uint64_t seed, struct swarm_row *row);
	void *ctx;
	volatile sig_atomic_t *stop;
	/* Optional, in the parent: told as rows come in. */
	void (*progress)(void *ctx, size_t done, size_t total, size_t passed);
	void *progress_ctx;
};

struct swarm_result {
	struct swarm_row *rows;  /* in seed order */
	size_t nrows;
	size_t passed;
	size_t worst;            /* index of the lowest score (most lost on a tie) */
	int hist[11];            /* runs by score: 0-9, 10-19, ..., 90-99, 100 */
};

/**
 * Is seed in shard k of n?  Seeds go round the shards by number, seed 1 to
 * shard 1, seed n to shard n, seed n+1 to shard 1 again: a split that does
 * not depend on the range or on what ran before.  n 0 is no split.
 */
int swarm_in_shard(uint64_t seed, uint64_t k, uint64_t n);

/* What swarm_run returns besides 0. */
#define SWARM_EINTR  -1      /* stopped by the flag: the workers are gone */
#define SWARM_EWORKER -2     /* a worker could not start, or exited with a status (in err) */

/** How many worker processes swarm_run starts for o: one per core, at most 16, at most a seed of its shard each. */
int swarm_workers(const struct swarm_opts *o);

/**
 * Run every seed of o (of its shard) into out (release with
 * swarm_result_release, also after a failure).  A shard with no seed in
 * the range runs nothing and leaves out empty.  Returns 0, or SWARM_E*
 * with the reason in err; a worker's own exit status is in *worker_rc.
 */
int swarm_run(const struct swarm_opts *o, struct swarm_result *out, int *worker_rc, struct strbuf *err);
void swarm_result_release(struct swarm_result *r);

/**
 * Sort r's rows by seed and count them: passed, the histogram of scores,
 * the worst (the lowest score, the most lost on a tie, the first seed on
 * a tie of both).  swarm_run does it; merging shards does it again.
 */
void swarm_summarise(struct swarm_result *r);

#endif
