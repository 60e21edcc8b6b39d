/*
** mdrill check: the regression suite of fix templates.  Every template
** (under SCENARIO/fixes, or the paths given) runs against its scenario on
** each engine, its outcome set against the '-- @expect' lines in its
** header.  One line each, then exactly "N passed, N failed".  A template
** without expectations fails: it is reported, never silently passed.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "../scoring/expect.h"
#include "../scoring/pipeline.h"
#include "../scoring/shard.h"
#include "../sim/base/alloc.h"
#include "cli.h"
#include "drillopts.h"
#include "live.h"

static int check_run(int argc, char **argv);

enum { CHK_ENGINES, CHK_DB, CHK_SEED, CHK_JUNIT, CHK_STATEMENT_TIMEOUT, CHK_ALLOW_SUPERUSER, CHK_SHARD, CHK_JSON };

static const struct cli_option check_options[] = {
	{ CHK_ENGINES, "--engines", "LIST", 0,
	  "the engines to run each template on, comma-separated: sqlite (the default), postgres" },
	{ CHK_DB, "--db", "TARGET", 0, "the PostgreSQL server for --engines postgres (postgres://... or postgres:)" },
	{ CHK_SEED, "--seed", "N", 0, "the seed of every drill (default 1)" },
	{ CHK_JUNIT, "--junit", "FILE", 0, "also write the results as JUnit XML, for CI systems" },
	{ CHK_STATEMENT_TIMEOUT, "--statement-timeout", "DURATION", 0,
	  "stop any statement still running after DURATION (default 60s, 0 for none): a failed fix" },
	{ CHK_ALLOW_SUPERUSER, "--allow-superuser", NULL, 0,
	  "PostgreSQL: run even when --db connects as a superuser (a throwaway server only)" },
	{ CHK_SHARD, "--shard", "K/N", 0, "check only shard K of N of the templates (a stable split by each "
	  "template's name), one machine's part; 'mdrill merge' joins the shards' --json" },
	{ CHK_JSON, "--json", "FILE", 0, "also write the results as JSON, for 'mdrill merge'" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_check = {
	.name = "check",
	.synopsis = "[SCENARIO|TEMPLATE|RECORD.json...] [--engines sqlite,postgres] [--db TARGET] "
		    "[--seed N] [--junit FILE] [--statement-timeout DURATION] [--allow-superuser] "
		    "[--shard K/N] [--json FILE]",
	.summary = "Every fix template against its '-- @expect' lines (verdict=pass|fail, "
		   "apply=ok|fail[:CLASS], lost, blocked_max, score), and each scenario's own down migration "
		   "against its '-- @expect down=' lines: the templates under each scenario's fixes/, or those "
		   "of the scenarios (names or paths), the templates and the live drill records (RECORD.json, "
		   "replayed) given. Exit 1 on any mismatch.",
	.options = check_options,
	.run = check_run,
};

struct check_opts {
	const char *engines, *db, *junit, *json;
	uint64_t seed;
	long statement_timeout_ms;   /* -1: the default */
	int allow_superuser;
	uint64_t shard_k, shard_n;
	char **paths;
	size_t npaths, paths_alloc;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct check_opts *o = ctx;
	(void)next;
	if (!opt) {
		ALLOC_GROW(o->paths, o->npaths + 1, o->paths_alloc);
		o->paths[o->npaths++] = (char *)val;
		return 0;
	}
	switch (opt->id) {
	case CHK_ENGINES: o->engines = val; break;
	case CHK_DB: o->db = val; break;
	case CHK_JUNIT: o->junit = val; break;
	case CHK_JSON: o->json = val; break;
	case CHK_SHARD:
		if (cli_parse_shard(val, &o->shard_k, &o->shard_n))
			return cli_error(EXIT_USAGE, "--shard needs K/N, 1 <= K <= N <= 10000, not '%s'", val);
		break;
	case CHK_SEED:
		if (cli_parse_u64(val, &o->seed))
			return cli_error(EXIT_USAGE, "--seed needs a whole number, not '%s'", val);
		break;
	case CHK_STATEMENT_TIMEOUT:
		if (drillopts_parse_duration(val, &o->statement_timeout_ms))
			return cli_error(EXIT_USAGE, "--statement-timeout needs a duration such as 500ms, 30s or "
					 "5m (0 for none), not '%s'", val);
		break;
	case CHK_ALLOW_SUPERUSER:
		o->allow_superuser = 1;
		break;
	}
	return 0;
}

/* Is name a template: a .sql file, or a migration tool's directory? */
static int is_template(const char *dir, const char *name)
{
	size_t l = strlen(name);
	struct strbuf p = STRBUF_INIT;
	int yes;

	if (name[0] == '.')
		return 0;
	if (l > 4 && !strcmp(name + l - 4, ".sql"))
		return 1;
	strbuf_addf(&p, "%s/%s", dir, name);
	yes = cli_is_dir(p.buf);
	strbuf_release(&p);
	return yes;
}

/*
** The templates under item, onto *all: a template, a scenario directory
** or .drill file, or (given on the command line) a scenario's name, as
** run, show and compare take it.
*/
static int gather(const char *item, int given, char ***all, size_t *n, size_t *alloc)
{
	struct strbuf fx = STRBUF_INIT, drill = STRBUF_INIT;
	struct dirent *e;
	size_t len = strlen(item);
	DIR *dd;

	if ((len > 4 && !strcmp(item + len - 4, ".sql")) || (len > 5 && !strcmp(item + len - 5, ".json")) ||
	    strstr(item, "/fixes/")) {
		ALLOC_GROW(*all, *n + 1, *alloc);
		(*all)[(*n)++] = xstrdup(item);
		return 0;
	}
	if (given && !cli_is_dir(item)) {
		/* A name or a .drill file: the scenario's directory holds its fixes/. */
		if (cli_find_scenario(item, &drill)) {
			strbuf_release(&drill);
			return EXIT_USAGE;
		}
		strbuf_setlen(&drill, strrchr(drill.buf, '/') ? (size_t)(strrchr(drill.buf, '/') - drill.buf) : 0);
		item = drill.len ? drill.buf : ".";
	}
	/* The scenario's own down migration, against its '-- @expect down=' lines. */
	strbuf_addf(&fx, "%s/scenario.drill", item);
	if (cli_is_file(fx.buf)) {
		ALLOC_GROW(*all, *n + 1, *alloc);
		(*all)[(*n)++] = strbuf_detach(&fx);
	}
	strbuf_reset(&fx);
	strbuf_addf(&fx, "%s/fixes", item);
	if (!(dd = opendir(fx.buf))) {
		int rc = given && !*n ? cli_error(EXIT_USAGE, "'%s' is neither a fix template (.sql) nor a "
						  "scenario", item) : 0;
		strbuf_release(&fx);
		strbuf_release(&drill);
		return rc;
	}
	while ((e = readdir(dd)) != NULL) {
		if (!is_template(fx.buf, e->d_name))
			continue;
		ALLOC_GROW(*all, *n + 1, *alloc);
		(*all)[*n] = xmalloc(fx.len + strlen(e->d_name) + 2);
		sprintf((*all)[(*n)++], "%s/%s", fx.buf, e->d_name);
	}
	closedir(dd);
	strbuf_release(&fx);
	strbuf_release(&drill);
	return 0;
}

/* Every template to check, sorted: those under the paths given, or under every scenario. */
static int templates(const struct check_opts *o, char ***all, size_t *n)
{
	size_t alloc = 0, i;
	int rc = 0;

	*all = NULL;
	*n = 0;
	if (o->npaths) {
		for (i = 0; i < o->npaths && !rc; i++)
			rc = gather(o->paths[i], 1, all, n, &alloc);
	} else {
		char dirs[8][PATH_MAX];
		size_t nd = cli_scenario_dirs(dirs, 8), k;
		/* The first directory that holds anything is the catalogue. */
		for (k = 0; k < nd && !*n; k++) {
			DIR *dd = opendir(dirs[k]);
			struct dirent *e;
			while (dd && (e = readdir(dd)) != NULL) {
				struct strbuf item = STRBUF_INIT;
				if (e->d_name[0] == '.')
					continue;
				strbuf_addf(&item, "%s/%s", dirs[k], e->d_name);
				gather(item.buf, 0, all, n, &alloc);
				strbuf_release(&item);
			}
			if (dd)
				closedir(dd);
		}
	}
	/* One machine's part: the templates whose names hash to its shard. */
	if (o->shard_n) {
		size_t k = 0;
		for (i = 0; i < *n; i++) {
			if (shard_template_in((*all)[i], o->shard_k, o->shard_n))
				(*all)[k++] = (*all)[i];
			else
				free((*all)[i]);
		}
		*n = k;
	}
	if (*n > 1)
		qsort(*all, *n, sizeof(**all), cli_cmp_str);
	return rc;
}

/*
** A case's line: printed, with what it quotes from the database made
** harmless for a terminal, and kept for --json the same way.
*/
static void say(struct check_results *results, const char *file, const char *engine, int rank, int ok,
		const char *line)
{
	struct strbuf shown = STRBUF_INIT;
	report_add_text(&shown, line);
	printf("%s\n", shown.buf);
	fflush(stdout);
	check_results_add(results, file, engine, rank, ok, shown.buf);
	strbuf_release(&shown);
}

/*
** One template on one engine: its line, and the JUnit case.  Returns 0
** (ok or not, in *ok), or an exit status that stops the check.
*/
static int check_one(const struct check_opts *o, const char *file, const struct scenario *sc,
		     const struct db_driver *drv, int rank, const struct expect_list *expects, struct junit *junit,
		     struct check_results *results, int *ok)
{
	struct strbuf got = STRBUF_INIT, why = STRBUF_INIT, name = STRBUF_INIT, err = STRBUF_INIT;
	struct pipeline_request req;
	struct pipeline_result res;
	int rc = 0, r;

	*ok = 1;
	memset(&res, 0, sizeof(res));
	strbuf_addf(&name, "%s on %s", file, db_name(drv));
	if (!expect_count(expects, db_dialect(drv))) {
		*ok = 0;
		strbuf_addf(&why, "no '-- @expect' lines%s%s: nothing to check it against",
			    expects->nr ? " for " : "", expects->nr ? db_name(drv) : "");
		goto report;
	}
	memset(&req, 0, sizeof(req));
	req.fixarg = strstr(file, "/fixes/") + 1;
	req.seed = o->seed;
	req.target = o->db;
	req.stop = &cli_stop;
	req.statement_timeout_ms = o->statement_timeout_ms;
	req.allow_superuser = o->allow_superuser;
	req.max_memory = drillopts_default_memory();
	r = pipeline_score(sc, drv, &req, &res, &err);
	if (r) {
		int status = r == DRILL_EINPUT ? EXIT_USAGE : r == DRILL_EINTR ? EXIT_INTR : EXIT_ENGINE;
		cli_error(status, "%s", err.buf);
		rc = status == EXIT_INTR ? status : 0;
		*ok = 0;
		strbuf_addf(&why, "the drill could not run (exit %d)", status);
		goto report;
	}
	r = expect_judge(expects, db_dialect(drv), &res.card, &got, &why);
	if (r < 0)
		rc = cli_error(EXIT_USAGE, "%s: cannot read '-- @expect %s' (expected verdict=pass|fail, "
			       "apply=ok|fail[:CLASS], or lost, blocked_max or score with =, !=, <, <=, >, >= and "
			       "a number, then optionally an engine)", file, why.buf);
	*ok = r == 1;
	if (!*ok && res.card.nreasons)
		strbuf_addf(&why, " (%s)", res.card.reasons[0]);
report:
	if (!rc) {
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%-4s %s: %s%s%s", *ok ? "ok" : "FAIL", name.buf, got.buf,
			    *ok || !got.len ? "" : "; ", *ok ? "" : why.buf);
		say(results, file, db_name(drv), rank, *ok, line.buf);
		report_junit_add(junit, sc->name, name.buf, *ok ? NULL : why.buf);
		strbuf_release(&line);
	}
	pipeline_result_release(&res);
	strbuf_release(&got);
	strbuf_release(&why);
	strbuf_release(&name);
	strbuf_release(&err);
	return rc;
}

/*
** The scenario's own down migration on one engine, the rollback baseline,
** against the scenario's '-- @expect down=' and 'down_apply=' lines.
** Returns 0 (ok or not, in *ok), or an exit status that stops the check.
*/
static int check_down(const struct check_opts *o, const char *file, const struct scenario *sc,
		      const struct db_driver *drv, int rank, struct junit *junit, struct check_results *results,
		      int *ok)
{
	struct strbuf got = STRBUF_INIT, why = STRBUF_INIT, name = STRBUF_INIT, err = STRBUF_INIT;
	struct expect_list expects = { 0 };
	struct pipeline_request req;
	struct pipeline_result res;
	int d = db_dialect(drv), rc = 0, r;

	*ok = 0;
	pipeline_result_init(&res);
	strbuf_addf(&name, "%s (down migration) on %s", file, db_name(drv));
	if (sc->down_expect[d] >= 0)
		expect_add(&expects, sc->down_expect[d] ? "verdict=pass" : "verdict=fail", d);
	if (sc->down_apply[d] >= 0) {
		struct strbuf c = STRBUF_INIT;
		strbuf_addstr(&c, sc->down_apply[d] ? "apply=ok" : "apply=fail");
		if (sc->down_apply_class[d])
			strbuf_addf(&c, ":%s", sc->down_apply_class[d]);
		expect_add(&expects, c.buf, d);
		strbuf_release(&c);
	}
	if (!expects.nr) {
		strbuf_addf(&why, "no '-- @expect down=pass|fail' for %s: nothing to check it against", db_name(drv));
		goto report;
	}
	memset(&req, 0, sizeof(req));
	req.is_down = 1;
	req.seed = o->seed;
	req.target = o->db;
	req.stop = &cli_stop;
	req.statement_timeout_ms = o->statement_timeout_ms;
	req.allow_superuser = o->allow_superuser;
	req.max_memory = drillopts_default_memory();
	r = pipeline_score(sc, drv, &req, &res, &err);
	if (r) {
		int status = r == DRILL_EINPUT ? EXIT_USAGE : r == DRILL_EINTR ? EXIT_INTR : EXIT_ENGINE;
		cli_error(status, "%s", err.buf);
		rc = status == EXIT_INTR ? status : 0;
		strbuf_addf(&why, "the drill could not run (exit %d)", status);
		goto report;
	}
	*ok = expect_judge(&expects, d, &res.card, &got, &why) == 1;
	if (!*ok && res.card.nreasons)
		strbuf_addf(&why, " (%s)", res.card.reasons[0]);
report:
	if (!rc) {
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%-4s %s: %s%s%s", *ok ? "ok" : "FAIL", name.buf, got.buf,
			    *ok || !got.len ? "" : "; ", *ok ? "" : why.buf);
		say(results, file, db_name(drv), rank, *ok, line.buf);
		report_junit_add(junit, sc->name, name.buf, *ok ? NULL : why.buf);
		strbuf_release(&line);
	}
	pipeline_result_release(&res);
	expect_list_release(&expects);
	strbuf_release(&got);
	strbuf_release(&why);
	strbuf_release(&name);
	strbuf_release(&err);
	return rc;
}

/*
** A live drill's record as a regression case: replayed, its scorecard must
** be the record's (byte for byte on SQLite).  Returns 0 (ok or not, in
** *ok), or an exit status that stops the check.
*/
static int check_record(const struct check_opts *o, const char *file, struct junit *junit,
			struct check_results *results, int *ok)
{
	struct live_record rec;
	struct strbuf err = STRBUF_INIT, name = STRBUF_INIT, why = STRBUF_INIT;
	struct live l;
	int rc, same = 0;

	*ok = 0;
	if (record_read(file, &rec, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	strbuf_addf(&name, "%s on %s (replayed)", file, rec.engine);
	rc = replay_record(&rec, o->db, &l, &same);
	if (rc == EXIT_USAGE)
		goto out;
	if (rc) {
		strbuf_addf(&why, "the replay could not run (exit %d)", rc);
		rc = 0;
	} else {
		const struct scenario *sc = l.sc;
		*ok = same;
		if (!same)
			strbuf_addf(&why, "the scorecard differs from the record's (%s, lost %llu; recorded %s, lost %llu)",
				    l.res.card.pass ? "pass" : "fail", (unsigned long long)scorecard_lost(&l.res.card),
				    rec.pass ? "pass" : "fail", (unsigned long long)rec.lost);
		replay_release(&l);
		scenario_free((struct scenario *)sc);
	}
	{
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%-4s %s: verdict=%s lost=%llu%s%s", *ok ? "ok" : "FAIL", name.buf,
			    rec.pass ? "pass" : "fail", (unsigned long long)rec.lost, *ok ? ", the same scorecard" : "; ",
			    *ok ? "" : why.buf);
		say(results, file, rec.engine, 0, *ok, line.buf);
		strbuf_release(&line);
	}
	report_junit_add(junit, rec.scenario, name.buf, *ok ? NULL : why.buf);
out:
	record_release(&rec);
	strbuf_release(&err);
	strbuf_release(&name);
	strbuf_release(&why);
	return rc;
}

static int check_run(int argc, char **argv)
{
	struct check_opts o;
	struct junit junit = JUNIT_INIT;
	struct check_results results;
	const struct db_driver *drvs[8];
	char **files = NULL;
	size_t nfiles = 0, ndrvs = 0, i, k;
	int passed = 0, failed = 0, rc;

	memset(&o, 0, sizeof(o));
	memset(&results, 0, sizeof(results));
	o.seed = 1;
	o.statement_timeout_ms = -1;
	if ((rc = cli_parse(&cmd_check, argc, argv, take, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	if ((rc = cli_engines(o.engines, o.db, drvs, &ndrvs, 8)) != 0)
		goto out;
	if ((rc = templates(&o, &files, &nfiles)) != 0)
		goto out;
	cli_catch_signals();
	for (k = 0; k < ndrvs; k++)
		drillopts_gc(drvs[k], o.db);
	for (i = 0; i < nfiles && !rc; i++) {
		struct strbuf scen = STRBUF_INIT, err = STRBUF_INIT;
		struct expect_list expects = { 0 };
		const char *slash = strstr(files[i], "/fixes/");
		struct scenario *sc = NULL;
		size_t len = strlen(files[i]);

		if (len > 5 && !strcmp(files[i] + len - 5, ".json")) {
			int ok;
			rc = check_record(&o, files[i], &junit, &results, &ok);
			passed += !rc && ok;
			failed += !rc && !ok;
			continue;
		}

		if (len > 15 && !strcmp(files[i] + len - 15, "/scenario.drill")) {
			if (scenario_load(files[i], NULL, 0, &sc, &err)) {
				rc = cli_error(EXIT_USAGE, "%s", err.buf);
			} else if (scenario_migration(sc, "down") >= 0) {
				for (k = 0; k < ndrvs && !rc; k++) {
					int ok;
					rc = check_down(&o, files[i], sc, drvs[k], (int)k, &junit, &results, &ok);
					passed += !rc && ok;
					failed += !rc && !ok;
				}
			}
			scenario_free(sc);
			strbuf_release(&scen);
			strbuf_release(&err);
			continue;
		}
		strbuf_addf(&scen, "%.*s/scenario.drill", slash ? (int)(slash - files[i]) : 0, files[i]);
		if (expect_read(files[i], &expects, &err)) {
			rc = cli_error(EXIT_USAGE, "%s", err.buf);
		} else if (!slash || scenario_load(scen.buf, NULL, 0, &sc, &err)) {
			rc = cli_error(EXIT_USAGE, "%s: %s", files[i], slash ? err.buf : "a template lives in SCENARIO/fixes/");
		} else {
			for (k = 0; k < ndrvs && !rc; k++) {
				int ok;
				rc = check_one(&o, files[i], sc, drvs[k], (int)k, &expects, &junit, &results, &ok);
				passed += !rc && ok;
				failed += !rc && !ok;
			}
		}
		scenario_free(sc);
		expect_list_release(&expects);
		strbuf_release(&scen);
		strbuf_release(&err);
	}
	if (!rc) {
		printf("%d passed, %d failed\n", passed, failed);
		if (o.junit) {
			struct strbuf x = STRBUF_INIT;
			report_junit_render(&junit, "mdrill check", &x);
			rc = cli_write_file(o.junit, &x);
			strbuf_release(&x);
		}
		if (!rc && o.json) {
			struct strbuf x = STRBUF_INIT;
			results.seed = o.seed;
			results.shard_k = o.shard_k;
			results.shard_n = o.shard_n;
			report_check_json_render(&results, &x);
			rc = cli_write_file(o.json, &x);
			strbuf_release(&x);
		}
		if (!rc)
			rc = failed ? EXIT_FAIL : EXIT_PASS;
	}
out:
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(o.paths);
	check_results_release(&results);
	report_junit_release(&junit);
	return rc;
}
