/*
** mdrill replay: a live drill's record run again in simulated time, each
** action at its tick.  On SQLite the scorecard is byte for byte the one
** the record holds; the exit status says whether it is.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../reports/report.h"
#include "../scoring/live.h"
#include "../scoring/record.h"
#include "cli.h"
#include "live.h"

static int replay_run(int argc, char **argv);

enum { RP_JSON, RP_DB };

static const struct cli_option replay_options[] = {
	{ RP_JSON, "--json", NULL, 0, "print the replayed scorecard as JSON (the record's own, byte for byte)" },
	{ RP_DB, "--db", "TARGET", 0, "the PostgreSQL server, for a record of a drill on PostgreSQL" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_replay = {
	.name = "replay",
	.synopsis = "RECORD.json [--json] [--db TARGET]",
	.summary = "Run a live drill's record again in simulated time: the same scenario and seed, every "
		   "action at the tick it landed. Exit 0 when the scorecard is the record's (byte for byte "
		   "on SQLite, the same verdict and losses on PostgreSQL), 1 when it is not.",
	.options = replay_options,
	.run = replay_run,
};

struct replay_opts {
	const char *record, *db;
	int json;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct replay_opts *o = ctx;
	(void)next;
	if (!opt) {
		if (o->record)
			return cli_usage(&cmd_replay, "unexpected argument '%s'", val);
		o->record = val;
	} else if (opt->id == RP_JSON) {
		o->json = 1;
	} else {
		o->db = val;
	}
	return 0;
}

int replay_record(const struct live_record *rec, const char *db, struct live *l, int *same)
{
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT, json = STRBUF_INIT;
	const struct db_driver *drv;
	struct scenario *sc = NULL;
	int rc = 0, d = dialect_find(rec->engine, strlen(rec->engine));

	*same = 0;
	memset(l, 0, sizeof(*l));
	if (d < 0 || !(drv = db_driver_find(d)))
		return cli_error(EXIT_USAGE, "%s: no engine '%s' here", rec->path, rec->engine);
	if (!db_takes(drv, db) && db_driver_for(NULL) != drv)
		return cli_error(EXIT_USAGE, "%s: the drill ran on %s: give --db %s", rec->path, rec->engine,
				 db_target_need(drv));
	/* The scenario where the drill found it, else by its name. */
	if (!rec->scenario_path || !cli_is_file(rec->scenario_path)) {
		if ((rc = cli_find_scenario(rec->scenario, &path)) != 0)
			return rc;
	} else {
		strbuf_addstr(&path, rec->scenario_path);
	}
	if (scenario_load(path.buf, rec->sets, rec->nsets, &sc, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if ((rc = live_replay(l, sc, drv, db, rec, &err)) != 0) {
		rc = cli_error(rc == DRILL_EINPUT ? EXIT_USAGE : EXIT_ENGINE, "%s: %s", rec->path, err.buf);
		replay_release(l);
		goto out;
	}
	/* A record from before losses were laid at their causes has a scorecard without them. */
	if (!rec->lays_losses)
		l->res.card.live = 0;
	report_json_render(&l->res.card, &json, 0);
	strbuf_rtrim(&json);
	/* Byte for byte where the engine repeats itself; else the verdict and what was lost. */
	if (db_can(drv, DB_CAP_DETERMINISTIC))
		*same = !strcmp(json.buf, rec->scorecard);
	else
		*same = l->res.card.pass == rec->pass && scorecard_lost(&l->res.card) == rec->lost;
out:
	/* On success the caller frees the scenario (l->sc) once it has rendered the card. */
	if (rc)
		scenario_free(sc);
	strbuf_release(&err);
	strbuf_release(&path);
	strbuf_release(&json);
	return rc;
}

void replay_release(struct live *l)
{
	struct strbuf left = STRBUF_INIT;
	live_release(l, 0, NULL, &left);
	cli_print_lines("warning", left.buf);
	strbuf_release(&left);
}

static int replay_run(int argc, char **argv)
{
	struct replay_opts o = { NULL, NULL, 0 };
	struct live_record rec;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct live l;
	int rc, same;

	if ((rc = cli_parse(&cmd_replay, argc, argv, take, &o)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (!o.record)
		return cli_usage(&cmd_replay, "which record? (a drill's record.json)");
	if (record_read(o.record, &rec, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if ((rc = replay_record(&rec, o.db, &l, &same)) == 0) {
		const struct scenario *sc = l.sc;
		if (o.json)
			report_json_render(&l.res.card, &out, 0);
		else
			report_terminal_render(&l.res.card, &out, cli_color());
		cli_print(&out);
		fprintf(stderr, "mdrill: replay: %s\n", same ? "the same scorecard as the record"
							    : "the scorecard differs from the record's");
		rc = same ? EXIT_PASS : EXIT_FAIL;
		replay_release(&l);
		scenario_free((struct scenario *)sc);
	}
out:
	record_release(&rec);
	strbuf_release(&err);
	strbuf_release(&out);
	return rc;
}
