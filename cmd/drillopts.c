/*
** run's and compare's options, the scenario and engine they pick, and one
** drill through the pipeline with the command line's exports.
**
** SPDX-License-Identifier: MIT
*/
#include "drillopts.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../sim/base/alloc.h"

/* "A..B" into *a and *b. */
static int parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	const char *dots = strstr(s, "..");
	char from[32];
	if (!dots || dots == s || (size_t)(dots - s) >= sizeof(from))
		return -1;
	memcpy(from, s, (size_t)(dots - s));
	from[dots - s] = '\0';
	return cli_parse_u64(from, a) || cli_parse_u64(dots + 2, b) ? -1 : 0;
}

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct drill_opts_cli *o = ctx;
	const struct cli_command *cmd = o->cmd;
	struct strbuf err = STRBUF_INIT;
	const char *dot, *at;
	char *eq;
	uint64_t t;

	if (!opt) {
		/* 'run --down FILE SCENARIO': the file was read as the scenario. */
		if (o->scenario && o->down_then_scenario && !cli_is_scenario(o->scenario) && cli_is_scenario(val))
			return cli_usage(cmd, "'%s' after --down was read as the scenario: the down migration's "
					 "file goes after the scenario's name (mdrill %s %s --down %s) or as "
					 "--down=%s", o->scenario, cmd->name, val, o->scenario, o->scenario);
		if (o->scenario)
			return cli_usage(cmd, "unexpected argument '%s'", val);
		o->scenario = val;
		o->down_then_scenario = o->down && !o->down_file && o->last_was_down;
		return 0;
	}
	o->last_was_down = opt->id == OPT_DOWN && !val;
	switch (opt->id) {
	case OPT_FIX:
		o->fix = val;
		break;
	case OPT_DOWN:
		/*
		** FILE is optional for run: it is the next argument when the
		** scenario is already named, or when it can only be a migration file.
		*/
		o->down = 1;
		o->down_file = val;
		if (!val && (opt->flags & CLI_OPTIONAL) && next && next[0] != '-' &&
		    (o->scenario || strstr(next, ".sql"))) {
			o->down_file = next;
			return CLI_TOOK_NEXT;
		}
		break;
	case OPT_FAULTS:
		if (!strcmp(val, "random")) {
			o->random_faults = 1;
		} else if (fault_parse_list(val, &o->faults, &err)) {
			cli_error(EXIT_USAGE, "--faults: %s", err.buf);
			strbuf_release(&err);
			return EXIT_USAGE;
		}
		break;
	case OPT_SEEDS:
		o->swarm = 1;
		if (parse_range(val, &o->seed_from, &o->seed_to) || o->seed_to < o->seed_from ||
		    o->seed_to - o->seed_from >= 100000)
			return cli_error(EXIT_USAGE, "--seeds needs A..B, A <= B, at most 100000 seeds, not '%s'", val);
		break;
	case OPT_SHARD:
		if (cli_parse_shard(val, &o->shard_k, &o->shard_n))
			return cli_error(EXIT_USAGE, "--shard needs K/N, 1 <= K <= N <= 10000, not '%s'", val);
		break;
	case OPT_SEED:
		if (cli_parse_u64(val, &o->seed))
			return cli_error(EXIT_USAGE, "--seed needs a whole number, not '%s'", val);
		o->seed_given = 1;
		break;
	case OPT_SET:
		if (!(eq = strchr(val, '=')) || eq == val)
			return cli_error(EXIT_USAGE, "--set needs NAME=VALUE, not '%s'", val);
		ALLOC_GROW(o->sets, o->nsets + 1, o->sets_alloc);
		*eq = '\0';
		o->sets[o->nsets].name = val;
		o->sets[o->nsets++].value = eq + 1;
		break;
	case OPT_DB:
		o->db = val;
		break;
	case OPT_JSON:
		o->json = 1;
		break;
	case OPT_KEEP:
		o->keep = 1;
		break;
	case OPT_CONCURRENT:
		o->concurrent = 1;
		break;
	case OPT_CSV: {
		/* Made when the drill is done (as mkdir -p would); a file in its place is refused now. */
		struct stat st;
		if (!stat(val, &st) && !S_ISDIR(st.st_mode))
			return cli_error(EXIT_USAGE, "--csv needs a directory, and '%s' is a file", val);
		o->csv = val;
		break;
	}
	case OPT_REPORT:
		if (!(dot = strrchr(val, '.')) || !report_for_ext(dot + 1) || !strcmp(dot + 1, "txt"))
			return cli_error(EXIT_USAGE, "--report needs FILE.html, FILE.md or FILE.json, not '%s'", val);
		o->report = val;
		break;
	case OPT_STATEMENT_TIMEOUT:
		if (drillopts_parse_duration(val, &o->statement_timeout_ms))
			return cli_error(EXIT_USAGE, "--statement-timeout needs a duration such as 500ms, 30s or "
					 "5m (0 for none), not '%s'", val);
		break;
	case OPT_ALLOW_SUPERUSER:
		o->allow_superuser = 1;
		break;
	case OPT_MAX_MEMORY:
		if (cli_parse_size(val, &o->max_memory) || !o->max_memory)
			return cli_error(EXIT_USAGE, "--max-memory needs a size such as 512M or 4G, not '%s'", val);
		break;
	case OPT_FLAG_OFF:
		at = strrchr(val, '@');
		if (!at || at == val || cli_parse_u64(at + 1, &t) || t > 1000000000)
			return cli_error(EXIT_USAGE, "--flag-off needs NAME@TICK, not '%s'", val);
		ALLOC_GROW(o->flips, o->nflips + 1, o->flips_alloc);
		*(char *)at = '\0';
		o->flips[o->nflips].name = val;
		o->flips[o->nflips++].tick = (long)t;
		break;
	}
	return 0;
}

int drillopts_parse(const struct cli_command *cmd, int argc, char **argv, struct drill_opts_cli *o)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->seed = 1;
	o->statement_timeout_ms = -1;
	if ((rc = cli_parse(cmd, argc, argv, take, o)) != 0)
		return rc;
	if (!o->scenario)
		return cli_usage(cmd, "which scenario? (see 'mdrill list')");
	return 0;
}

void drillopts_release(struct drill_opts_cli *o)
{
	free(o->sets);
	free(o->flips);
	fault_list_release(&o->faults);
}

int drillopts_prepare(struct drill_opts_cli *o, struct scenario **sc, const struct db_driver **drv)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	size_t i;
	int rc = 0;

	*sc = NULL;
	if ((rc = cli_find_scenario(o->scenario, &path)) != 0)
		goto out;
	if (scenario_load(path.buf, o->sets, o->nsets, sc, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	for (i = 0; i < o->nflips; i++) {
		if (scenario_flag_flip(*sc, o->flips[i].name, o->flips[i].tick, 0, &err)) {
			rc = cli_error(EXIT_USAGE, "--flag-off %s@%ld: %s", o->flips[i].name, o->flips[i].tick, err.buf);
			goto out;
		}
	}
	if (!(*drv = db_driver_for(o->db))) {
		struct strbuf shown = STRBUF_INIT, forms = STRBUF_INIT;
		db_target_display(o->db, &shown);
		db_target_help(&forms);
		rc = cli_error(EXIT_USAGE, "unknown --db '%s' (expected %s)", shown.buf, forms.buf);
		strbuf_release(&shown);
		strbuf_release(&forms);
		goto out;
	}
	if (o->concurrent && !db_can(*drv, DB_CAP_ASYNC)) {
		struct strbuf can = STRBUF_INIT;
		db_driver_names(DB_CAP_ASYNC, 0, &can);
		rc = cli_error(EXIT_USAGE, "--concurrent needs an engine whose statements run while others "
			       "step (%s); %s runs one statement at a time", can.buf, db_name(*drv));
		strbuf_release(&can);
		goto out;
	}
	if (pipeline_check_faults(*sc, *drv, &o->faults, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	/* A gap in a tool's versions: applied as the tool would, and said. */
	strbuf_reset(&err);
	pipeline_fix_notes(*sc, o->fix, 0, &err);
	pipeline_fix_notes(*sc, o->down_file, 1, &err);
	cli_print_lines("note", err.buf);
	cli_catch_signals();
	drillopts_gc(*drv, o->db);
out:
	strbuf_release(&path);
	strbuf_release(&err);
	return rc;
}

int drillopts_parse_duration(const char *s, long *ms)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "min", 60000 }, { "", 1 },
	};
	const char *end;
	uint64_t v;
	size_t i;

	if (cli_parse_leading(s, &v, &end))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			if (v > (unsigned long long)(LONG_MAX / 2) / (unsigned long long)units[i].ms ||
			    v * (unsigned long long)units[i].ms > 24ULL * 3600 * 1000)
				return -1;   /* a day is the longest a statement may be given */
			*ms = (long)(v * (unsigned long long)units[i].ms);
			return 0;
		}
	return -1;
}

uint64_t drillopts_default_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
	if (pages <= 0 || size <= 0)
		return (uint64_t)4 << 30;
	return (uint64_t)pages * (uint64_t)size / 2;
}

void drillopts_gc(const struct db_driver *drv, const char *target)
{
	struct strbuf removed = STRBUF_INIT, err = STRBUF_INIT;
	const char *line, *nl;

	/* Quietly: a server that cannot be reached is the drill's own error to report. */
	db_gc(drv, db_takes(drv, target) ? target : NULL, NULL, &removed, &err);
	/* The private directories under $TMPDIR go with the local engine's sweep. */
	if (drv != db_driver_for(NULL))
		db_gc(db_driver_for(NULL), NULL, NULL, &removed, &err);
	for (line = removed.buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (!strncmp(line, "! ", 2))
			cli_error(0, "warning: %.*s", (int)(nl - line - 2), line + 2);
		else
			cli_error(0, "removed what a dead run left: %.*s", (int)(nl - line), line);
	}
	strbuf_release(&removed);
	strbuf_release(&err);
}

/*
** Long drills show where they are, on a terminal only: rows seeded and
** ticks run, in per cent of all, then scoring.  A line is written only
** when its figure changes.
*/
static void show_progress(void *ctx, int phase, int64_t done, int64_t total)
{
	static int last_phase = -1, last_pct = -1;
	int pct = total > 0 ? (int)(done * 100 / total) : -1;

	(void)ctx;
	if (pct > 100)
		pct = 100;
	if (phase == last_phase && pct == last_pct && (phase == DRILL_SEEDING || phase == DRILL_TRAFFIC))
		return;
	last_phase = phase;
	last_pct = pct;
	if (phase == DRILL_SEEDING && total > 0)
		fprintf(stderr, "\rmdrill: seeding, %lld of %lld rows (%d%%)\033[K", (long long)done,
			(long long)total, pct);
	else if (phase == DRILL_SEEDING)
		fprintf(stderr, "\rmdrill: seeding, %lld rows\033[K", (long long)done);
	else if (phase == DRILL_TRAFFIC)
		fprintf(stderr, "\rmdrill: traffic, tick %lld of %lld (%d%%)\033[K", (long long)done,
			(long long)total, pct < 0 ? 0 : pct);
	else if (phase == DRILL_DONE)
		fprintf(stderr, "\rmdrill: scoring...\033[K");
	else if (phase == DRILL_SCORED)
		fprintf(stderr, "\r\033[K");
	else
		return;
	fflush(stderr);
}

void drillopts_request(const struct drill_opts_cli *o, struct pipeline_request *req)
{
	memset(req, 0, sizeof(*req));
	req->seed = o->seed;
	req->faults = &o->faults;
	req->target = o->db;
	req->concurrent = o->concurrent;
	req->keep = o->keep;
	req->stop = &cli_stop;
	req->allow_superuser = o->allow_superuser;
	req->statement_timeout_ms = o->statement_timeout_ms;
	req->max_memory = o->max_memory ? o->max_memory : drillopts_default_memory();
	if (isatty(STDERR_FILENO))
		req->progress = show_progress;
}

/* Where --csv goes for this run: DIR, or DIR/which for one of compare's runs. */
static int write_csv(const struct drill_opts_cli *o, const char *which, const struct pipeline_result *res)
{
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT;
	int rc;

	strbuf_addstr(&dir, o->csv);
	if (which)
		strbuf_addf(&dir, "%s%s", dir.len && dir.buf[dir.len - 1] == '/' ? "" : "/", which);
	if ((rc = cli_mkdirs(dir.buf)) == 0) {
		if (report_csv_write(dir.buf, &res->drill, &res->oracle, &res->card, &err))
			rc = cli_error(EXIT_ENGINE, "%s", err.buf);
		else
			fprintf(stderr, "mdrill: wrote transactions.csv, facts.csv, findings.csv and timeline.csv "
				"into %s%s%s\n", dir.buf, which ? " for the " : "",
				!which ? "" : !strcmp(which, "down") ? "down migration's run" : "fix's run");
	}
	strbuf_release(&dir);
	strbuf_release(&err);
	return rc;
}

int drillopts_exit(int rc, const char *msg)
{
	if (rc == DRILL_EINPUT)
		return cli_error(EXIT_USAGE, "%s", msg);
	if (rc == DRILL_EINTR)
		return cli_error(EXIT_INTR, "%s; the disposable database is removed", msg);
	return rc ? cli_error(EXIT_ENGINE, "%s", msg) : 0;
}

int drillopts_score(const struct drill_opts_cli *o, const struct scenario *sc, const struct db_driver *drv,
		    const struct pipeline_request *req, const char *which, struct pipeline_result *out)
{
	struct pipeline_request r = *req;
	struct strbuf err = STRBUF_INIT;
	const char *line, *nl;
	int rc;

	/* The raw data needs the ledger, which goes with the drill: hold it for the export. */
	r.hold = o->csv != NULL;
	rc = pipeline_chaos(sc, drv, &r, out, &err);
	rc = drillopts_exit(rc, err.buf);
	if (!rc && out->held)
		rc = write_csv(o, which, out);
	pipeline_result_close(out);
	for (line = out->kept.buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
		fprintf(stderr, "mdrill: kept the %sdrill database at %.*s\n",
			!which ? "" : !strcmp(which, "down") ? "down migration's " : "fix's ", (int)(nl - line), line);
	cli_print_lines("warning", out->left.buf);
	strbuf_release(&err);
	return rc;
}
