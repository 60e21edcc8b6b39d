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
static struct db *run_template;              /* the schema built once (pipeline_template), copied */

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
	req.template = run_template;
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

static int count_first(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	(void)ncol;
	(void)names;
	*(long *)ctx = vals[0] ? atol(vals[0]) : -1;
	return 0;
}

/*
** The drill of path with fix on a copy of its schema built once
** (pipeline_template, as try does) is the drill built from scratch: the
** same JSON where the engine is deterministic, else the same verdict and
** facts.  And the copy leaves the template as it was: no rows in table.
*/
static inline void check_template_drill(const char *path, const char *fix, const struct param_set *sets,
					size_t nsets, const char *table)
{
	const struct db_driver *drv = db_driver_find(run_dialect);
	struct strbuf err = STRBUF_INIT, sql = STRBUF_INIT;
	struct pipeline_request req;
	struct scenario *sc = NULL;
	struct db_conn *c = NULL;
	struct run a, b;
	long rows = -1;
	int cls;

	assert_int_equal(scenario_load(path, sets, nsets, &sc, &err), 0);
	memset(&req, 0, sizeof(req));
	req.target = run_target;
	req.allow_superuser = run_allow_superuser;
	req.statement_timeout_ms = -1;
	if (pipeline_template(sc, drv, &req, &run_template, &err))
		fail_msg("pipeline_template: %s", err.buf);
	assert_int_equal(run_drill(&b, path, fix, 3, sets, nsets), 0);
	assert_int_equal(run_drill(&a, path, fix, 3, sets, nsets), 0);   /* still templated: a second copy */
	run_release(&a);
	{
		struct db *t = run_template;
		run_template = NULL;
		assert_int_equal(run_drill(&a, path, fix, 3, sets, nsets), 0);
		run_template = t;
	}
	if (db_can(drv, DB_CAP_DETERMINISTIC)) {
		assert_string_equal(a.json.buf, b.json.buf);
	} else {
		assert_int_equal(a.card.pass, b.card.pass);
		assert_true(a.card.total.expected > 0);
		assert_int_equal(a.card.total.n[OC_PRESERVED] == a.card.total.expected,
				 b.card.total.n[OC_PRESERVED] == b.card.total.expected);
	}
	assert_int_equal(db_connect(drv, run_template, &c, &err), 0);
	strbuf_addf(&sql, "SELECT count(*) FROM %s", table);
	assert_int_equal(db_exec_now(drv, c, sql.buf, 0, NULL, count_first, &rows, &cls, &err), 0);
	assert_int_equal(rows, 0);
	db_disconnect(drv, c);
	assert_int_equal(db_destroy(drv, run_template, 0, NULL, &err), 0);
	run_template = NULL;
	run_release(&a);
	run_release(&b);
	scenario_free(sc);
	strbuf_release(&err);
	strbuf_release(&sql);
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
