/*
** Work split across machines and joined again.  mdrill stays one process
** per machine; a CI matrix or an indexed job runs shard K of N on each, and
** the shards' JSON is merged into one result, as if one machine had run
** it all: mdrill check's lines and closing count, swarm mode's
** distribution, worst seed and the command that reproduces it.  The JSON
** is read with SQLite's JSON functions, as records are.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SHARD_H
#define MDRILL_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"
#include "../sim/engine/swarm.h"

/**
 * The name a template or a record goes by in the split: from the
 * scenario's directory on ("phone-not-null/fixes/make-nullable.sql"), or
 * the file's own name, so that every machine files it in the same shard
 * wherever its checkout lies.  Onto out.
 */
void shard_template_id(const char *path, struct strbuf *out);

/** Is the template at path in shard k of n (a hash of its id)?  n 0 is no split. */
int shard_template_in(const char *path, uint64_t k, uint64_t n);

/* One line of mdrill check: a template (or a record) on an engine. */
struct check_result {
	char *template;      /* as check named it */
	char *engine;
	int engine_rank;     /* its place in --engines */
	int ok;
	char *line;          /* the line check printed for it */
};

struct check_results {
	struct check_result *v;
	size_t nr, alloc;
	uint64_t seed;
	uint64_t shard_k, shard_n;   /* 0 for the whole run */
};

void check_results_add(struct check_results *r, const char *template, const char *engine, int engine_rank, int ok,
		       const char *line);
void check_results_release(struct check_results *r);

enum merge_kind { MERGE_CHECK, MERGE_SWARM };

/* The shards, joined. */
struct merged {
	int kind;                    /* enum merge_kind */
	size_t nfiles;
	uint64_t shard_n;            /* their N; 0 when none was a shard */
	struct check_results check;  /* MERGE_CHECK: every line, in check's order */
	/* MERGE_SWARM: */
	char *scenario, *engine;
	uint64_t from, to;
	struct swarm_result swarm;   /* every seed's row, summarised as swarm_run does */
	char *reproduce;             /* the worst seed's command, from its shard */
};

/**
 * Read the JSON files of mdrill check --json or run --seeds --json at
 * paths and join them into out (release with merged_release, also after
 * a failure).  They must be of one kind and one run: the same scenario,
 * engine and seeds for a swarm, the same seed for a check; a shard given
 * twice, a missing shard of N, or a line in two shards is an error.
 * Returns 0, or -1 with "PATH: what was expected" in err.
 */
int merge_read(const char *const *paths, size_t n, struct merged *out, struct strbuf *err);
void merged_release(struct merged *m);

#endif
