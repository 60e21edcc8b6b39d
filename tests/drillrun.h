/*
** A test helper: run a scenario with a fix (or its down migration) through
** the library's pipeline (engine, probes, oracle, scorecard) on real
** SQLite, and hand back the scorecard and its JSON, the drill held open
** for further queries.  Shared by the integration tests.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_TEST_DRILLRUN_H
#define MDRILL_TEST_DRILLRUN_H

#include <stdint.h>

#include "../reports/report.h"
#include "../scoring/pipeline.h"
#include "../sim/db/db.h"
#include "../sim/input/scenario.h"

/* The engine run_drill uses: SQLite unless a test says otherwise. */
static int run_dialect = DIALECT_SQLITE;
static const char *run_target;
static int run_concurrent;
static const char *run_flag_off;   /* --flag-off NAME@TICK for the next runs */
static long run_flag_tick;
static const char *run_csv_dir;    /* --csv DIR for the next runs */
static const struct fault_list *run_faults;  /* --faults for the next runs */
static long run_statement_timeout_ms;        /* --statement-timeout (0: none) */
static int run_allow_superuser;              /* --allow-superuser */

struct run {
	struct scenario *sc;
	struct pipeline_result res;
	struct drill d;                /* the held drill (res.drill) */
	struct scorecard card;         /* res.card */
	struct strbuf json;
	size_t nfindings;
	int rc;
	char err[1024];                /* the pipeline's message when rc is not 0 */
};

/*
** Run the scenario at path with fix (a file, relative to the scenario's
** directory unless absolute) or, when fix is NULL, its down migration.
** The drill's database stays open in r->d for further queries;
** run_release closes it.
*/
static inline int run_drill(struct run *r, const char *path, const char *fix, uint64_t seed,
			    const struct param_set *sets, size_t nsets)
{
	const struct db_driver *drv = db_driver_find(run_dialect);
	struct strbuf err = STRBUF_INIT;
	struct pipeline_request req;

	memset(r, 0, sizeof(*r));
	strbuf_init(&r->json);
	if (scenario_load(path, sets, nsets, &r->sc, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		strbuf_release(&err);
		return r->rc = -100;
	}
	if (run_flag_off && scenario_flag_flip(r->sc, run_flag_off, run_flag_tick, 0, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		r->rc = -102;
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.fixarg = fix;
	req.is_down = !fix;
	req.seed = seed;
	req.faults = run_faults;
	req.target = run_target;
	req.concurrent = run_concurrent;
	req.statement_timeout_ms = run_statement_timeout_ms;
	req.allow_superuser = run_allow_superuser;
	req.hold = 1;
	r->rc = pipeline_score(r->sc, drv, &req, &r->res, &err);
	if (r->rc) {
		fprintf(stderr, "pipeline_score: %s\n", err.buf);
		snprintf(r->err, sizeof(r->err), "%s", err.buf);
		goto out;
	}
	r->d = r->res.drill;
	r->card = r->res.card;
	report_json_render(&r->card, &r->json, 0);
	if (run_csv_dir && report_csv_write(run_csv_dir, &r->d, &r->res.oracle, &r->card, &err))
		fprintf(stderr, "csv: %s\n", err.buf);
	r->nfindings = r->res.oracle.nfindings;
out:
	strbuf_release(&err);
	return r->rc;
}

static inline void run_release(struct run *r)
{
	pipeline_result_release(&r->res);
	strbuf_release(&r->json);
	scenario_free(r->sc);
}

/* Committed transactions of a phase, over all versions. */
static inline uint64_t committed_in(const struct scorecard *s, int ph)
{
	uint64_t n = 0;
	size_t i;
	for (i = 0; i < s->nversions; i++)
		n += s->committed[i][ph];
	return n;
}

static inline uint64_t failed_in(const struct scorecard *s, int ph)
{
	uint64_t n = 0;
	size_t i;
	for (i = 0; i < s->nversions; i++)
		n += s->failed[i][ph];
	return n;
}

#endif
