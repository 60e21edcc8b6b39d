/*
** mdrill leaderboard: a workshop's live drill records ranked, in the
** terminal, or as Markdown or HTML for the projector.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "../scoring/record.h"
#include "../sim/base/alloc.h"
#include "cli.h"

static int leaderboard_run(int argc, char **argv);

enum { LB_REPORT };

static const struct cli_option leaderboard_options[] = {
	{ LB_REPORT, "--report", "FILE", 0, "also write the board as FILE.md or FILE.html" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_leaderboard = {
	.name = "leaderboard",
	.synopsis = "RECORD.json... [--report FILE.md|.html]",
	.summary = "The teams' live drill records ranked: a pass first, then the share of facts kept, the "
		   "time to recovery, and how long writers waited on the fixes.",
	.options = leaderboard_options,
	.run = leaderboard_run,
};

struct lb_opts {
	const char **records;
	size_t n, alloc;
	const char *report;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct lb_opts *o = ctx;
	const char *dot;
	(void)next;
	if (!opt) {
		ALLOC_GROW(o->records, o->n + 1, o->alloc);
		o->records[o->n++] = val;
		return 0;
	}
	if (!(dot = strrchr(val, '.')) || (strcmp(dot, ".md") && strcmp(dot, ".html")))
		return cli_error(EXIT_USAGE, "--report needs FILE.md or FILE.html, not '%s'", val);
	o->report = val;
	return 0;
}

static int leaderboard_run(int argc, char **argv)
{
	struct lb_opts o;
	struct live_record *recs = NULL;
	const struct live_record **ptrs = NULL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	size_t i, nread = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_parse(&cmd_leaderboard, argc, argv, take, &o)) != 0) {
		free(o.records);
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	}
	if (!o.n) {
		free(o.records);
		return cli_usage(&cmd_leaderboard, "which records? (each team's record.json)");
	}
	recs = xcalloc(o.n, sizeof(*recs));
	ptrs = xcalloc(o.n, sizeof(*ptrs));
	for (i = 0; i < o.n && !rc; i++, nread++) {
		if (record_read(o.records[i], &recs[i], &err))
			rc = cli_error(EXIT_USAGE, "%s", err.buf);
		ptrs[i] = &recs[i];
	}
	if (!rc) {
		report_leaderboard_render(ptrs, o.n, "terminal", &out);
		cli_print(&out);
		if (o.report) {
			strbuf_reset(&out);
			report_leaderboard_render(ptrs, o.n, strrchr(o.report, '.') + 1, &out);
			rc = cli_write_file(o.report, &out);
			if (!rc)
				fprintf(stderr, "mdrill: wrote %s\n", o.report);
		}
	}
	for (i = 0; i < nread; i++)
		record_release(&recs[i]);
	free(recs);
	free(ptrs);
	free(o.records);
	strbuf_release(&err);
	strbuf_release(&out);
	return rc;
}
