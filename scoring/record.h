/*
** A live drill's record, read back: what ran (the scenario, its overrides,
** the engine, the seed, the pace), every action with its tick and the
** statements it applied, the drill's figures and its scorecard as JSON.
** The record is JSON (written by reports/record.c); it is read with
** SQLite's JSON functions rather than a parser of our own.  replay,
** leaderboard and check read records through this.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_RECORD_H
#define MDRILL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"
#include "../sim/input/scenario.h"
#include "live.h"

struct live_record {
	char *path;                  /* the record file */
	char *scenario;              /* its name */
	char *scenario_path;         /* as the drill found it */
	char *team;                  /* NULL when unnamed */
	char *engine;
	int surprise;
	uint64_t seed;
	int64_t cooldown;
	double ticks_per_second;
	int interrupted;
	enum live_end_how end_how;   /* ended_by; a record from before it: interrupted or the team */
	struct param_set *sets;      /* --set overrides, owned here */
	size_t nsets;
	struct live_action *actions; /* owned here */
	size_t nactions;
	struct live_figures figures;
	char *scorecard;             /* the scorecard, JSON as written */
	/* From the scorecard, for rankings: */
	int pass, score;
	double ratio;
	uint64_t lost;               /* facts not preserved, phantoms included */
	int64_t blocked_max;
};

/**
 * Read the record at path into rec.  Returns 0, or -1 with
 * "PATH: what was expected" in err.  Release rec with record_release.
 */
int record_read(const char *path, struct live_record *rec, struct strbuf *err);
void record_release(struct live_record *rec);

#endif
