/*
** A test helper: run a scenario with a fix (or its down migration) through
** the whole pipeline (engine, probes, oracle, scorecard) on real SQLite, and
** hand back the scorecard and its JSON.  Shared by the integration tests.
*/
#ifndef MDRILL_TEST_DRILLRUN_H
#define MDRILL_TEST_DRILLRUN_H

#include <stdint.h>

#include "../reports/report.h"
#include "../scoring/oracle.h"
#include "../scoring/probe.h"
#include "../scoring/scorecard.h"
#include "../sim/db/db.h"
#include "../sim/input/fixfile.h"
#include "../sim/input/scenario.h"
#include "../sim/engine/scheduler.h"

/* The engine run_drill uses: SQLite unless a test says otherwise. */
static const struct db_driver *run_drv = &db_sqlite_driver;
static const char *run_target;
static int run_concurrent;
static const char *run_flag_off;   /* --flag-off NAME@TICK for the next runs */
static long run_flag_tick;
static const char *run_csv_dir;    /* --csv DIR for the next runs */
static const struct fault_list *run_faults;  /* --faults for the next runs */

struct run {
	struct scenario *sc;
	struct drill d;
	struct scorecard card;
	struct strbuf json;
	size_t nfindings;
	int rc;
};

/*
** Run the scenario at path with fix (a file, relative to the scenario's
** directory unless absolute) or, when fix is NULL, its down migration.
** With keep_open the drill's database stays open in r->d for further
** queries; run_release closes it.
*/
static inline int run_drill(struct run *r, const char *path, const char *fix, uint64_t seed,
			    const struct param_set *sets, size_t nsets)
{
	struct strbuf err = STRBUF_INIT, fixpath = STRBUF_INIT;
	struct sql_script script = { 0 };
	struct drill_opts o;
	struct probe_table *probes = NULL;
	size_t nprobes = 0;
	struct oracle_input in;
	struct oracle_result res;

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
	if (fix) {
		if (fix[0] == '/')
			strbuf_addstr(&fixpath, fix);
		else
			strbuf_addf(&fixpath, "%s/%s", r->sc->dir, fix);
		if (fixfile_load(fixpath.buf, run_drv->dialect, &script, &err)) {
			fprintf(stderr, "%s\n", err.buf);
			r->rc = -101;
			goto out;
		}
	} else {
		int m = scenario_migration(r->sc, "down");
		sql_split(sql_section_pick(&r->sc->migrations[m].sql, run_drv->dialect)->text, 1, &script);
	}
	memset(&o, 0, sizeof(o));
	o.drv = run_drv;
	o.target = run_target;
	o.concurrent = run_concurrent;
	o.seed = seed;
	o.fix_label = fix ? fix : "down migration";
	o.fix = &script;
	o.fix_is_down = !fix;
	o.faults = run_faults;
	r->rc = drill_run(&r->d, r->sc, &o, &err);
	if (r->rc) {
		fprintf(stderr, "drill_run: %s\n", err.buf);
		goto out;
	}
	probe_run(r->sc, run_drv, r->d.admin, &probes, &nprobes);
	memset(&in, 0, sizeof(in));
	in.ledger = &r->d.ledger;
	in.probes = probes;
	in.nprobes = nprobes;
	in.defaults = r->sc->defaults;
	in.ndefaults = r->sc->ndefaults;
	scorecard_window(&r->d, &in.incident_start, &in.incident_end);
	oracle_check(&in, &res);
	scorecard_build(&r->card, &r->d, &res, probes, nprobes);
	report_json_render(&r->card, &r->json, 0);
	if (run_csv_dir && report_csv_write(run_csv_dir, &r->d, &res, &r->card, &err))
		fprintf(stderr, "csv: %s\n", err.buf);
	r->nfindings = res.nfindings;
	oracle_result_release(&res);
	probe_tables_free(probes, nprobes);
out:
	sql_script_release(&script);
	strbuf_release(&err);
	strbuf_release(&fixpath);
	return r->rc;
}

static inline void run_release(struct run *r)
{
	drill_release(&r->d, 0, NULL);
	if (r->rc == 0)
		scorecard_release(&r->card);
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
