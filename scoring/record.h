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
	/*
	** The record's drill laid its losses at their causes (it has ended_by):
	** its scorecard carries lost_by.  One from before does not.
	*/
	int lays_losses;
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

/*
** A running drill's status, as it writes it every second into its --out
** directory (status.json, what 'mdrill drill status --json' says): what
** the workshop board shows of a drill that has not ended.
*/
struct live_status {
	char *team, *scenario, *engine;     /* team NULL when unnamed */
	double elapsed_s, seconds_left, limit_s;
	double incident_s;                  /* -1: none yet */
	uint64_t facts_at_risk, facts_lost;
	int recovered;
	double recovered_s;                 /* -1: not recovered */
	uint64_t writers_waiting;
	int ending, ended;                  /* the cool-down and the probes run; judged */
	char *verdict;                      /* "pass" or "fail" once judged, else NULL */
	int score;
};

/**
 * Read the status at path into st.  Returns 0, or -1 with "PATH: what was
 * expected" in err.  Release st with record_status_release either way.
 */
int record_status_read(const char *path, struct live_status *st, struct strbuf *err);
void record_status_release(struct live_status *st);

/**
 * Read the record at path into rec.  Returns 0, or -1 with
 * "PATH: what was expected" in err.  Release rec with record_release.
 */
int record_read(const char *path, struct live_record *rec, struct strbuf *err);
void record_release(struct live_record *rec);

#endif
