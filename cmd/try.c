/*
** mdrill try: scaffold a scenario from a history and its next migration
** into a private directory, drill the migration alone under old code's
** traffic (and, with --down, again with the down migration in the fix
** slot), and say whether old code keeps working and nothing is lost.  A
** CI step: exit 0 yes, 1 no, 2 bad input.
**
** SPDX-License-Identifier: MIT
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../scoring/pipeline.h"
#include "../scoring/trial.h"
#include "../sim/base/alloc.h"
#include "../sim/db/owner.h"
#include "drillopts.h"
#include "scaffoldopts.h"

static int try_run(int argc, char **argv);

static const struct cli_option try_options[] = {
	OPTION_MIGRATIONS, OPTION_NEW, OPTION_DOWN_MIG, OPTION_ENGINE, OPTION_SCAFFOLD_DB,
	{ SO_REPORT, "--report", "FILE", 0, "also write the verdict, its format from the extension: FILE.md "
	  "short enough for a pull-request comment, FILE.html a page, FILE.json the JSON, FILE.sarif SARIF 2.1.0 "
	  "for code scanning (a result per finding, at its file and line), FILE.xml JUnit" },
	{ SO_JSON, "--json", NULL, 0, "print the verdict as JSON instead of the terminal's" },
	{ SO_SEED, "--seed", "N", 0, "the PRNG seed of the drill (default 1)" },
	{ SO_SET, "--set", "NAME=VALUE", CLI_REPEAT, "override a parameter of the scaffolded scenario (repeatable): "
	  "rows (200 a table; more makes a migration's work show as writers' waits), clients, migrate_at, ..." },
	{ SO_OUT, "-o", "DIR", 0, "keep the scaffolded scenario in DIR (made if need be), to run or edit" },
	OPTION_TABLES, OPTION_WEIGHT, OPTION_STATS,
	{ SO_ROWS, "--rows", "TABLE=N", CLI_REPEAT, "a table's production size, which its locks are projected "
	  "to (repeatable; '--rows N' for every table no other names; default 1000000)" },
	{ SO_CONFIG, "--config", "FILE", 0, "settings a line: 'max-wait DURATION', 'rows TABLE=N', 'rows N', and "
	  "'allow FINDING[:TABLE]' for a lock finding the team accepts (said, not failed), 'allow data:TABLE[.COLUMN]' "
	  "for facts the migration changes on purpose (a backfill); the options after it win" },
	{ SO_MAX_WAIT, "--max-wait", "DURATION", 0, "how long writers may wait on the migration's locks at "
	  "production size (default 2s): a longer projected hold fails, as does any scan or rewrite under a "
	  "lock that stops writers" },
	OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER,
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_try = {
	.name = "try",
	.synopsis = "--migrations PATH --new FILE [--down FILE] [--engine sqlite|postgres] [--db TARGET] "
		    "[--report FILE.md|.html|.json|.sarif|.xml] [--json] [--seed N] [--set NAME=VALUE]... [-o DIR] [--tables LIST] "
		    "[--weight TABLE=N]... [--stats SOURCE] [--config FILE] [--rows TABLE=N]... [--max-wait DURATION] "
		    "[--statement-timeout DURATION] "
		    "[--allow-superuser]",
	.summary = "Drill your next migration on your own schema, for every pull request: scaffold a scenario "
		   "from the history, run the new migration under old code's traffic, and say which of old "
		   "code's transactions fail (with counts and messages), which locks each statement holds and "
		   "for how long, projected to production size, and, with --down, what the down migration "
		   "loses. Exit 0 when old code keeps working, nothing is lost and no lock stops writers too "
		   "long, 1 otherwise.",
	.options = try_options,
	.run = try_run,
};

/* A private directory for the scaffolded scenario, under $TMPDIR, marked for 'mdrill gc'. */
static int make_private_dir(struct strbuf *dir)
{
	const char *tmp = getenv("TMPDIR");
	strbuf_addf(dir, "%s/mdrill-try-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir->buf))
		return cli_error(EXIT_ENGINE, "cannot make a private directory in '%s': %s", tmp && *tmp ? tmp : "/tmp",
				 strerror(errno));
	if (owner_mark_dir(dir->buf)) {
		int rc = cli_error(EXIT_ENGINE, "cannot mark the private directory '%s': %s", dir->buf, strerror(errno));
		owner_remove_dir(dir->buf);
		return rc;
	}
	return 0;
}

/* One drill of the scenario: the fix slot empty, or its down migration; held for the judge. */
static int drill(const struct scaffold_cli *o, const struct scenario *sc, struct db *template, int down,
		 struct pipeline_result *res)
{
	struct pipeline_request req;
	struct strbuf err = STRBUF_INIT;
	int rc;

	memset(&req, 0, sizeof(req));
	req.fixarg = NULL;
	req.is_down = down;
	req.seed = o->seed;
	req.target = o->db;
	req.stop = &cli_stop;
	req.hold = 1;
	req.allow_superuser = o->allow_superuser;
	req.statement_timeout_ms = o->statement_timeout_ms;
	req.template = template;
	rc = pipeline_score(sc, o->drv, &req, res, &err);
	rc = drillopts_exit(rc, err.buf);
	strbuf_release(&err);
	return rc;
}

/*
** The migration's locks, measured on a database of the scenario's schema
** seeded with at least LOCK_ROWS rows a table: a scan then reads clearly
** more than a change of the catalogue alone.
*/
#define LOCK_ROWS 1000

static int measure_locks_at(const struct scaffold_cli *o, const char *path, const struct scenario *drilled,
			    struct db *template, int more, struct lock_report *out, struct strbuf *err);

/*
** At LOCK_ROWS rows a table where the scenario's generators reach that
** far, else at the scenario's own rows (a char(3) key numbers 999 rows).
*/
static int measure_locks(const struct scaffold_cli *o, const char *path, const struct scenario *drilled,
			 struct db *template, struct lock_report *out)
{
	struct strbuf err = STRBUF_INIT;
	int rc = measure_locks_at(o, path, drilled, template, 1, out, &err);
	if (rc == DRILL_EINPUT) {
		locks_report_release(out);
		strbuf_reset(&err);
		rc = measure_locks_at(o, path, drilled, template, 0, out, &err);
	}
	rc = drillopts_exit(rc, err.buf);
	strbuf_release(&err);
	return rc;
}

static int measure_locks_at(const struct scaffold_cli *o, const char *path, const struct scenario *drilled,
			    struct db *template, int more, struct lock_report *out, struct strbuf *err)
{
	const struct sql_variant *a, *b;
	struct param_set *sets = xcalloc(o->nsets + 1, sizeof(*sets));
	struct strbuf rows = STRBUF_INIT;
	struct scenario *sc = NULL;
	struct locks_opts lo;
	struct db_options dbo;
	size_t i, n = 0;
	int rc = 0, given = !more;

	for (i = 0; i < o->nsets; i++) {
		sets[n++] = o->sets[i];
		if (!strcmp(o->sets[i].name, "rows") && atol(o->sets[i].value) >= LOCK_ROWS)
			given = 1;
	}
	if (!given) {
		strbuf_addf(&rows, "%d", LOCK_ROWS);
		for (i = 0; i < n && strcmp(sets[i].name, "rows"); i++)
			;
		sets[i].name = "rows";
		sets[i].value = rows.buf;
		n += i == n;
	}
	if (scenario_load(path, sets, n, &sc, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	memset(&dbo, 0, sizeof(dbo));
	dbo.allow_superuser = o->allow_superuser;
	dbo.statement_timeout_ms = o->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT : o->statement_timeout_ms;
	dbo.stop = &cli_stop;
	memset(&lo, 0, sizeof(lo));
	lo.drv = o->drv;
	lo.target = db_takes(o->drv, o->db) ? o->db : NULL;
	lo.dbo = &dbo;
	lo.seed = o->seed;
	lo.max_wait_ms = (double)o->max_wait_ms;
	lo.default_rows = o->default_rows;
	lo.rows = o->rows;
	lo.nrows = o->nrows;
	lo.allow = o->allow;
	lo.nallow = o->nallow;
	/* The drilled scenario's schema copied, where the rows set here leave it as it was. */
	a = sql_section_pick(&sc->schema, db_dialect(o->drv));
	b = sql_section_pick(&drilled->schema, db_dialect(o->drv));
	if (a && b && !strcmp(a->text, b->text))
		lo.template = template;
	rc = locks_measure(sc, &lo, out, err);
out:
	scenario_free(sc);
	free(sets);
	strbuf_release(&rows);
	return rc;
}

/* Each table the migration changes that the scaffold left out: no verdict can be had there. */
static void note_unjudged(const struct scenario *sc, const struct db_driver *drv, const struct scaffold_result *sres,
			  struct trial *t)
{
	int m = scenario_migration(sc, "bad");
	const struct sql_variant *v = m >= 0 ? sql_section_pick(&sc->migrations[m].sql, db_dialect(drv)) : NULL;
	struct sql_script script = { 0 };
	struct strbuf table = STRBUF_INIT;
	size_t i;

	if (!v)
		return;
	sql_split(v->text, v->line, &script);
	for (i = 0; i < script.nr; i++) {
		const char *s, *e;
		strbuf_reset(&table);
		if (!sql_table_changed(script.v[i].sql, &table))
			continue;
		for (s = sres->left.buf; *s; s = e + (*e == '\n')) {
			const char *tab = strchr(s, '\t');
			e = s + strcspn(s, "\n");
			if (tab && tab < e && (size_t)(tab - s) == table.len && !strncmp(s, table.buf, table.len)) {
				struct strbuf why = STRBUF_INIT;
				strbuf_add(&why, tab + 1, (size_t)(e - tab - 1));
				trial_add_unjudged(t, table.buf, why.buf);
				strbuf_release(&why);
			}
		}
	}
	sql_script_release(&script);
	strbuf_release(&table);
}

static int write_report(const char *path, const struct trial *t)
{
	const char *ext = strrchr(path, '.');
	struct strbuf out = STRBUF_INIT;
	int rc;

	if (ext && !strcmp(ext, ".md"))
		report_try_markdown_render(t, &out, 0);
	else if (ext && !strcmp(ext, ".html"))
		report_try_html_render(t, &out, 0);
	else if (ext && !strcmp(ext, ".sarif"))
		report_try_sarif_render(t, &out, 0);
	else if (ext && !strcmp(ext, ".xml"))
		report_try_junit_render(t, &out, 0);
	else
		report_try_json_render(t, &out, 0);
	if ((rc = cli_write_file(path, &out)) == 0)
		fprintf(stderr, "mdrill: wrote the report to %s\n", path);
	strbuf_release(&out);
	return rc;
}

static int try_run(int argc, char **argv)
{
	struct scaffold_cli o;
	struct scaffold_opts so;
	struct scaffold_result sres;
	struct pipeline_result alone, down;
	struct lock_report locks;
	struct trial t;
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT, path = STRBUF_INIT, out = STRBUF_INIT, notes = STRBUF_INIT;
	struct scenario *sc = NULL;
	struct pipeline_request treq;
	struct db *template = NULL;
	const char *ext, *s, *e, *file;
	int rc, judged = 0, private_dir = 0, line;
	size_t i;

	memset(&sres, 0, sizeof(sres));
	strbuf_init(&sres.drill);
	strbuf_init(&sres.notes);
	strbuf_init(&sres.warnings);
	strbuf_init(&sres.left);
	pipeline_result_init(&alone);
	pipeline_result_init(&down);
	memset(&t, 0, sizeof(t));
	memset(&locks, 0, sizeof(locks));
	if ((rc = scaffoldopts_parse(&cmd_try, argc, argv, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	ext = o.report ? strrchr(o.report, '.') : NULL;
	if (o.report && (!ext || (strcmp(ext, ".md") && strcmp(ext, ".html") && strcmp(ext, ".json") &&
				  strcmp(ext, ".sarif") && strcmp(ext, ".xml")))) {
		rc = cli_error(EXIT_USAGE, "--report %s: expected a file ending in .md, .html, .json, .sarif or .xml",
			       o.report);
		goto out;
	}
	scaffoldopts_request(&o, &so);
	so.name = "try";
	cli_catch_signals();
	if ((rc = scaffold_run(&so, &sres, &err)) != 0) {
		rc = cli_error(rc == SCAFFOLD_EINPUT ? EXIT_USAGE : rc == SCAFFOLD_EINTR ? EXIT_INTR : EXIT_ENGINE, "%s",
			       err.buf);
		goto out;
	}
	cli_print_lines("warning", sres.warnings.buf);
	if (o.out) {
		if ((rc = cli_mkdirs(o.out)) != 0)
			goto out;
		strbuf_addstr(&dir, o.out);
	} else {
		if ((rc = make_private_dir(&dir)) != 0)
			goto out;
		private_dir = 1;
	}
	strbuf_addf(&path, "%s/scenario.drill", dir.buf);
	if ((rc = cli_write_file(path.buf, &sres.drill)) != 0)
		goto out;
	if (scenario_load(path.buf, o.sets, o.nsets, &sc, &err)) {
		/* A --set the scenario has no parameter for is the command line's fault. */
		rc = cli_error(o.nsets ? EXIT_USAGE : EXIT_ENGINE, "%s%s", o.nsets ? "" :
			       "the scaffolded scenario does not read back (a fault of mdrill's): ", err.buf);
		goto out;
	}
	/* The history applied once, copied for each drill and the locks' measure. */
	memset(&treq, 0, sizeof(treq));
	treq.target = o.db;
	treq.stop = &cli_stop;
	treq.allow_superuser = o.allow_superuser;
	treq.statement_timeout_ms = o.statement_timeout_ms;
	if (pipeline_template(sc, o.drv, &treq, &template, &err))
		strbuf_reset(&err);   /* each drill builds its own, and says what fails */
	if ((rc = drill(&o, sc, template, 0, &alone)) != 0)
		goto out;
	if (o.down && (rc = drill(&o, sc, template, 1, &down)) != 0)
		goto out;
	/* A warning is a note the report leads with. */
	for (s = sres.warnings.buf; *s; s = e + (*e == '\n')) {
		e = s + strcspn(s, "\n");
		strbuf_addf(&notes, "warning: %.*s\n", (int)(e - s), s);
	}
	strbuf_addstr(&notes, sres.notes.buf);
	if ((rc = measure_locks(&o, path.buf, sc, template, &locks)) != 0)
		goto out;
	if (locks.failed_stmt && scaffold_locate(&sres, 0, locks.failed_stmt, &file, &line)) {
		locks.failed_file = xstrdup(file);
		locks.failed_line = line;
	}
	trial_judge(sc, o.newmig, o.down, &alone, o.down ? &down : NULL, notes.buf, &t);
	trial_allow_data(&t, o.allow, o.nallow);
	for (i = 0; i < locks.nr; i++)
		if (scaffold_locate(&sres, 0, locks.v[i].stmt, &file, &line)) {
			locks.v[i].file = xstrdup(file);
			locks.v[i].line = line;
		}
	trial_add_locks(&t, &locks);
	note_unjudged(sc, o.drv, &sres, &t);
	judged = 1;
	/* The drill knows the scenario's lines; the user knows their own file's. */
	if (t.ran && !t.completed && scaffold_locate(&sres, 0, t.failed_statement, &file, &line)) {
		free(t.failed_file);
		t.failed_file = xstrdup(file);
		t.failed_line = line;
	}
	if (o.down && !t.down_completed && t.down_error &&
	    scaffold_locate(&sres, 1, down.card.fix.failed_statement, &file, &line)) {
		struct strbuf m = STRBUF_INIT;
		strbuf_addf(&m, "%s:%d: %s", file, line, t.down_error);
		free(t.down_error);
		t.down_error = strbuf_detach(&m);
	}
	if (o.json)
		report_try_json_render(&t, &out, 0);
	else
		report_try_render(&t, &out, 0);
	cli_print(&out);
	rc = t.pass ? EXIT_PASS : t.nreasons ? EXIT_FAIL : EXIT_UNJUDGED;
	if (o.report && write_report(o.report, &t))
		rc = EXIT_ENGINE;
	if (o.out)
		fprintf(stderr, "mdrill: the scenario is in %s (mdrill run %s --down, or edit it)\n", dir.buf, dir.buf);
out:
	locks_report_release(&locks);
	if (judged)
		trial_release(&t);
	pipeline_result_close(&alone);
	pipeline_result_close(&down);
	cli_print_lines("warning", alone.left.buf);
	cli_print_lines("warning", down.left.buf);
	pipeline_result_release(&alone);
	pipeline_result_release(&down);
	db_destroy(o.drv, template, 0, NULL, &err);
	scenario_free(sc);
	if (private_dir)
		owner_remove_dir(dir.buf);
	scaffold_result_release(&sres);
	scaffoldopts_release(&o);
	strbuf_release(&err);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&out);
	strbuf_release(&notes);
	return rc;
}
