/*
** mdrill lint: a scenario's own SQL (schema, seed, migrations, probes, the
** down migration) run on each engine without traffic, every refusal named
** with FILE:LINE and the engine's message.  Exit 0 when every engine took
** all of it, 1 when one refused something.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../scoring/lint.h"
#include "../scoring/pipeline.h"
#include "cli.h"
#include "drillopts.h"

static int lint_cmd_run(int argc, char **argv);

/* After the shared options' ids, which share the table. */
enum { LINT_ENGINES = OPT_END_, LINT_DB };

static const struct cli_option lint_options[] = {
	{ LINT_ENGINES, "--engines", "LIST", 0,
	  "the engines to check on, comma-separated: sqlite (the default), postgres" },
	{ LINT_DB, "--db", "TARGET", 0,
	  "the PostgreSQL server for --engines postgres (postgres://... or postgres:), where mdrill "
	  "creates and drops its own database" },
	OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER,
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_lint = {
	.name = "lint",
	.synopsis = "SCENARIO [--engines sqlite,postgres] [--db TARGET] [--statement-timeout DURATION] "
		    "[--allow-superuser]",
	.summary = "Check the scenario's own SQL without traffic, on each engine: the schema, the seed "
		   "rows, the timeline's migrations in order, the probes where the fix would go and the "
		   "down migration; each refusal named with FILE:LINE and the engine's message. Then what "
		   "a drill would score against a right fix: an app statement that names what no schema of "
		   "the timeline has (each is prepared after the schema and after every migration), a write "
		   "no '@writes' line declares, a '@writes' field no probe reads; and a note where the story "
		   "may hold on one engine only (a cast to an integer rounds on PostgreSQL, truncates on "
		   "SQLite). Exit 0 when there is no problem, 1 when there is one.",
	.options = lint_options,
	.run = lint_cmd_run,
};

struct lint_opts {
	const char *scenario, *engines, *db;
	long statement_timeout_ms;   /* -1: the default */
	int allow_superuser;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct lint_opts *o = ctx;
	(void)next;
	if (!opt) {
		if (o->scenario)
			return cli_usage(&cmd_lint, "unexpected argument '%s' (lint takes one scenario)", val);
		o->scenario = val;
		return 0;
	}
	switch (opt->id) {
	case LINT_ENGINES:
		o->engines = val;
		break;
	case LINT_DB:
		o->db = val;
		break;
	case OPT_STATEMENT_TIMEOUT:
		if (drillopts_parse_duration(val, &o->statement_timeout_ms))
			return cli_error(EXIT_USAGE, "--statement-timeout needs a duration (500ms, 30s, 5m; 0 for "
					 "none), not '%s'", val);
		break;
	case OPT_ALLOW_SUPERUSER:
		o->allow_superuser = 1;
		break;
	}
	return 0;
}

static const char *const status_word[] = { "ok", "FAIL", "fails", "--" };

/* One step's line: its word, what it is, where, and what the engine said. */
static void print_step(const struct scenario *sc, const struct lint_step *st)
{
	printf("  %-5s %s", status_word[st->status], st->what);
	if (st->statements && st->status == LINT_OK)
		printf(" (%zu statement%s)", st->statements, st->statements == 1 ? "" : "s");
	if (st->error) {
		printf(": ");
		/* The seeder names its own file and line (a CSV file's row). */
		if (st->line && strncmp(st->error, sc->path, strlen(sc->path)))
			printf("%s:%d: ", sc->path, st->line);
		if (st->failed)
			printf("statement %zu of %zu: ", st->failed, st->statements);
		printf("%s", st->error);
		if (st->status == LINT_EXPECTED)
			printf(" (as '-- @expect down_apply=fail' allows)");
	}
	if (st->note)
		printf("%s%s", st->error ? "; " : ": ", st->note);
	printf("\n");
}

static int lint_cmd_run(int argc, char **argv)
{
	struct lint_opts o = { NULL, NULL, NULL, -1, 0 };
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, names = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drvs[8];
	size_t ndrvs = 0, k, problems = 0;
	int rc;

	if ((rc = cli_parse(&cmd_lint, argc, argv, take, &o)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (!o.scenario)
		return cli_usage(&cmd_lint, "which scenario? (see 'mdrill list')");
	if ((rc = cli_engines(o.engines, o.db, drvs, &ndrvs, 8)) != 0)
		goto out;
	if ((rc = cli_find_scenario(o.scenario, &path)) != 0)
		goto out;
	if (scenario_load(path.buf, NULL, 0, &sc, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	cli_catch_signals();
	for (k = 0; k < ndrvs; k++) {
		struct lint_result res;
		size_t i;
		struct db_options dbo;
		int r;

		dbo.allow_superuser = o.allow_superuser;
		dbo.statement_timeout_ms = o.statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT
								      : o.statement_timeout_ms;
		dbo.stop = &cli_stop;
		r = lint_run(sc, drvs[k], db_takes(drvs[k], o.db) ? o.db : NULL, 1, &dbo, &res, &err);

		printf("%s on %s:\n", sc->name, db_name(drvs[k]));
		for (i = 0; i < res.nr; i++)
			print_step(sc, &res.v[i]);
		fflush(stdout);
		problems += res.problems;
		lint_result_release(&res);
		if (r) {
			rc = cli_error(r == DRILL_EINTR ? EXIT_INTR : EXIT_ENGINE, "%s", err.buf);
			goto out;
		}
		strbuf_addf(&names, "%s%s", k ? (k + 1 == ndrvs ? " and " : ", ") : "", db_name(drvs[k]));
	}
	if (problems)
		printf("%zu problem%s\n", problems, problems == 1 ? "" : "s");
	else
		printf("no problems on %s\n", names.buf);
	rc = problems ? EXIT_FAIL : EXIT_PASS;
out:
	scenario_free(sc);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&names);
	return rc;
}
