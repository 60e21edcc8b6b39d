/*
** mdrill run: one drill, scored and printed; with --seeds, swarm mode: the
** drill under every seed of a range, and the command that reproduces the
** worst.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../sim/base/alloc.h"
#include "../sim/engine/swarm.h"
#include "drillopts.h"

static int run_run(int argc, char **argv);

static const struct cli_option run_options[] = {
	OPTION_FIX, OPTION_DOWN, OPTION_DB, OPTION_CONCURRENT, OPTION_SEED, OPTION_SEEDS, OPTION_SHARD, OPTION_FAULTS,
	OPTION_SET, OPTION_FLAG_OFF, OPTION_JSON, OPTION_REPORT, OPTION_CSV, OPTION_KEEP,
	OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER, OPTION_MAX_MEMORY,
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_run = {
	.name = "run",
	.synopsis = "SCENARIO (--fix FILE | --down [FILE]) [--db TARGET] [--concurrent] "
		    "[--seed N | --seeds A..B [--shard K/N]] [--faults LIST] [--set NAME=VALUE]... "
		    "[--flag-off NAME@TICK]... [--json] [--report FILE.html|.md|.json] [--csv DIR] [--keep] "
		    "[--statement-timeout DURATION] [--allow-superuser] [--max-memory SIZE]",
	.summary = "Run the scenario's drill with a fix migration (or a down migration) in the fix "
		   "slot and score it: data preserved, failures after the fix, writers blocked. "
		   "Exit 0 when the fix passes, 1 when it fails.",
	.options = run_options,
	.run = run_run,
};

/* What a swarm worker needs to run a seed. */
struct swarm_ctx {
	const struct drill_opts_cli *o;
	const struct scenario *sc;
	const struct db_driver *drv;
	size_t nstmts;           /* statements in the fix slot, for random crash points */
};

/* One seed in a swarm worker: the drill, its faults drawn or given. */
static int swarm_one(void *ctx, uint64_t seed, struct swarm_row *row)
{
	const struct swarm_ctx *s = ctx;
	struct fault_list drawn = { 0 };
	struct pipeline_request req;
	struct pipeline_result res;
	struct strbuf spec = STRBUF_INIT;
	size_t i;
	int rc;

	if (s->o->random_faults)
		fault_list_random(seed, s->nstmts, &drawn);
	drillopts_request(s->o, &req);
	req.fixarg = s->o->down ? s->o->down_file : s->o->fix;
	req.is_down = s->o->down;
	req.seed = seed;
	req.progress = NULL;
	if (s->o->random_faults)
		req.faults = &drawn;
	rc = drillopts_score(s->o, s->sc, s->drv, &req, NULL, &res);
	for (i = 0; i < req.faults->nr; i++) {
		strbuf_addstr(&spec, i ? "," : "");
		fault_format(&req.faults->v[i], &spec);
	}
	if (!rc) {
		row->pass = res.card.pass;
		row->score = res.card.score;
		row->lost = scorecard_lost(&res.card);
		row->faults = strbuf_detach(&spec);
	}
	pipeline_result_release(&res);
	fault_list_release(&drawn);
	strbuf_release(&spec);
	return rc;
}

/* word onto out, quoted for a POSIX shell when it needs it. */
static void add_shell_word(struct strbuf *out, const char *word)
{
	const char *c;
	if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				 "_-./=:@,+%") == strlen(word)) {
		strbuf_addstr(out, word);
		return;
	}
	strbuf_addch(out, '\'');
	for (c = word; *c; c++) {
		if (*c == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, *c);
	}
	strbuf_addch(out, '\'');
}

/* " --flag VALUE" onto out, the value quoted when it needs it. */
static void add_option(struct strbuf *out, const char *flag, const char *value)
{
	strbuf_addf(out, " %s ", flag);
	add_shell_word(out, value);
}

/* The command that reruns row's seed alone, with its faults. */
static void reproduce(const struct drill_opts_cli *o, const struct swarm_row *r, struct strbuf *out)
{
	struct strbuf v = STRBUF_INIT;
	size_t i;

	add_shell_word(out, cli_program);
	strbuf_addstr(out, " run ");
	add_shell_word(out, o->scenario);
	if (o->down && o->down_file) {
		strbuf_addstr(out, " --down=");
		add_shell_word(out, o->down_file);
	} else if (o->down) {
		strbuf_addstr(out, " --down");
	} else {
		add_option(out, "--fix", o->fix);
	}
	if (o->db) {
		db_target_display(o->db, &v);
		add_option(out, "--db", v.buf);
	}
	if (o->concurrent)
		strbuf_addstr(out, " --concurrent");
	for (i = 0; i < o->nsets; i++) {
		strbuf_reset(&v);
		strbuf_addf(&v, "%s=%s", o->sets[i].name, o->sets[i].value);
		add_option(out, "--set", v.buf);
	}
	for (i = 0; i < o->nflips; i++) {
		strbuf_reset(&v);
		strbuf_addf(&v, "%s@%ld", o->flips[i].name, o->flips[i].tick);
		add_option(out, "--flag-off", v.buf);
	}
	strbuf_addf(out, " --seed %llu", (unsigned long long)r->seed);
	if (*r->faults)
		add_option(out, "--faults", r->faults);
	strbuf_release(&v);
}

/* On a terminal: how far the swarm is, and how many seeds passed so far. */
static void swarm_progress(void *ctx, size_t done, size_t total, size_t passed)
{
	(void)ctx;
	fprintf(stderr, "\rmdrill: seed %zu of %zu, %zu passed so far\033[K", done, total, passed);
	fflush(stderr);
}

/*
** Swarm mode: the drill under every seed of --seeds A..B; prints the
** distribution of scores, the worst seed and the command that reproduces
** it.  Exit 1 when any seed fails.
*/
static int swarm(const struct drill_opts_cli *o, const struct scenario *sc, const struct db_driver *drv)
{
	const struct fault *crash = fault_find(&o->faults, FAULT_FIX_CRASH);
	struct swarm_ctx ctx = { o, sc, drv, 0 };
	struct swarm_opts so;
	struct swarm_result res;
	struct swarm_report rep;
	struct sql_script script = { 0 };
	struct strbuf out = STRBUF_INIT, cmd = STRBUF_INIT, err = STRBUF_INIT;
	int rc, worker_rc;

	/* The migration is checked once here, not by every worker. */
	rc = pipeline_load_fix(sc, drv, o->down ? o->down_file : o->fix, o->down, &script, &err);
	ctx.nstmts = script.nr;
	sql_script_release(&script);
	if (!rc && crash && crash->arg != FAULT_ALL && (size_t)crash->arg > ctx.nstmts)
		rc = strbuf_error(&err, DRILL_EINPUT, "--faults fix-crash=%lld: the %s has %zu statements",
				  (long long)crash->arg, o->down ? "down migration" : "fix", ctx.nstmts);
	if (rc) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	memset(&so, 0, sizeof(so));
	so.from = o->seed_from;
	so.to = o->seed_to;
	so.shard_k = o->shard_k;
	so.shard_n = o->shard_n;
	so.one = swarm_one;
	so.ctx = &ctx;
	so.stop = &cli_stop;
	if (isatty(STDERR_FILENO))
		so.progress = swarm_progress;
	{
		/* The workers run at once: their memory adds up. */
		uint64_t each = pipeline_memory(sc), limit = o->max_memory ? o->max_memory : drillopts_default_memory();
		int nw = swarm_workers(&so);
		if (each * (uint64_t)nw > limit) {
			struct strbuf need = STRBUF_INIT, lim = STRBUF_INIT;
			strbuf_addsize(&need, each * (uint64_t)nw);
			strbuf_addsize(&lim, limit);
			rc = cli_error(EXIT_USAGE, "%s: %d workers at once would take about %s of memory for "
				       "their seed rows, more than the limit of %s (--max-memory sets another)",
				       sc->path, nw, need.buf, lim.buf);
			strbuf_release(&need);
			strbuf_release(&lim);
			goto out;
		}
	}
	rc = swarm_run(&so, &res, &worker_rc, &err);
	if (so.progress)
		fputs("\r\033[K", stderr);   /* the line is the scorecard's, or an error's, now */
	if (rc == SWARM_EINTR) {
		rc = cli_error(EXIT_INTR, "%s", err.buf);
	} else if (rc) {
		if (worker_rc != EXIT_INTR)
			cli_error(EXIT_ENGINE, "%s", err.buf);
		rc = worker_rc ? worker_rc : EXIT_ENGINE;
	} else {
		if (res.nrows)
			reproduce(o, &res.rows[res.worst], &cmd);
		memset(&rep, 0, sizeof(rep));
		rep.shard_k = o->shard_k;
		rep.shard_n = o->shard_n;
		rep.scenario = sc->name;
		rep.engine = db_name(drv);
		rep.from = o->seed_from;
		rep.to = o->seed_to;
		rep.result = &res;
		rep.reproduce = cmd.buf;
		if (o->json)
			report_swarm_json_render(&rep, &out, 0);
		else
			report_swarm_render(&rep, &out, 0);
		cli_print(&out);
		rc = res.passed < res.nrows ? EXIT_FAIL : EXIT_PASS;
	}
	swarm_result_release(&res);
out:
	strbuf_release(&out);
	strbuf_release(&cmd);
	strbuf_release(&err);
	return rc;
}

/* Options that cannot go together. */
static int check_combinations(const struct drill_opts_cli *o)
{
	const struct fault *crash = fault_find(&o->faults, FAULT_FIX_CRASH);

	if (!o->fix == !o->down)
		return cli_usage(o->cmd, "give exactly one of --fix FILE and --down [FILE]");
	if (o->shard_n && !o->swarm)
		return cli_usage(o->cmd, "--shard splits a swarm: give --seeds A..B too");
	if (o->swarm && o->seed_given)
		return cli_usage(o->cmd, "give --seed N for one drill or --seeds A..B for a swarm, not both");
	if (o->random_faults && o->faults.nr)
		return cli_error(EXIT_USAGE, "--faults random draws each seed's faults: it takes no others");
	if (o->random_faults && !o->swarm)
		return cli_error(EXIT_USAGE, "--faults random draws faults per seed: give --seeds A..B too");
	if (o->swarm && (o->report || o->csv || o->keep))
		return cli_error(EXIT_USAGE, "--seeds runs many drills of one run: compare, --report, --csv and "
				 "--keep go with one drill (rerun the seed it names)");
	/* Those runs leave one drill's data each; the card is not the last of them. */
	if (crash && crash->arg == FAULT_ALL && (o->csv || o->keep))
		return cli_error(EXIT_USAGE, "--faults fix-crash=all runs a drill per statement: --csv and --keep "
				 "go with one (use fix-crash=K)");
	return 0;
}

/* Render card into path, the format chosen by the file's extension. */
static int write_report(const char *path, const struct scorecard *card)
{
	const struct report_format *fmt = report_for_ext(strrchr(path, '.') + 1);
	struct strbuf out = STRBUF_INIT;
	int rc;

	fmt->render(card, &out, 0);
	if ((rc = cli_write_file(path, &out)) == 0)
		fprintf(stderr, "mdrill: wrote the report to %s\n", path);
	strbuf_release(&out);
	return rc;
}

static int run_run(int argc, char **argv)
{
	struct drill_opts_cli o;
	struct strbuf out = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drv = NULL;
	struct pipeline_request req;
	struct pipeline_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	if ((rc = drillopts_parse(&cmd_run, argc, argv, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	if ((rc = check_combinations(&o)) != 0 || (rc = drillopts_prepare(&o, &sc, &drv)) != 0)
		goto out;
	if (o.swarm) {
		rc = swarm(&o, sc, drv);
		goto out;
	}
	drillopts_request(&o, &req);
	req.fixarg = o.down ? o.down_file : o.fix;
	req.is_down = o.down;
	if ((rc = drillopts_score(&o, sc, drv, &req, NULL, &res)) != 0)
		goto out;
	if (o.json)
		report_json_render(&res.card, &out, 0);
	else
		report_terminal_render(&res.card, &out, cli_color());
	cli_print(&out);
	rc = res.card.pass ? EXIT_PASS : EXIT_FAIL;
	if (o.report && write_report(o.report, &res.card))
		rc = EXIT_ENGINE;
out:
	pipeline_result_release(&res);
	scenario_free(sc);
	drillopts_release(&o);
	strbuf_release(&out);
	return rc;
}
