/*
** mdrill compare: the down migration and the fix from the same seed, side
** by side: the essays' "verify the row counts match, spot-check values",
** done for the team.  Exit 0 when the fix passes.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../reports/report.h"
#include "drillopts.h"

static int compare_run(int argc, char **argv);

static const struct cli_option compare_options[] = {
	OPTION_FIX, OPTION_DOWN_FILE, OPTION_DB, OPTION_CONCURRENT, OPTION_SEED, OPTION_FAULTS,
	OPTION_SET, OPTION_FLAG_OFF, OPTION_JSON,
	{ OPT_REPORT, "--report", "FILE", 0,
	  "also write the comparison, its format from the extension: FILE.html a page with both runs' "
	  "timelines on the same axes and the figures as a table, FILE.md a Markdown table, FILE.json "
	  "the same as --json" },
	{ OPT_CSV, "--csv", "DIR", 0,
	  "also write each run's transactions.csv, facts.csv, findings.csv and timeline.csv, the down "
	  "migration's into DIR/down and the fix's into DIR/fix" },
	{ OPT_KEEP, "--keep", NULL, 0,
	  "keep both disposable databases and print on stderr which is the down migration's and which "
	  "the fix's" },
	OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER, OPTION_MAX_MEMORY,
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_compare = {
	.name = "compare",
	.synopsis = "SCENARIO --fix FILE [--down FILE] [--db TARGET] [--concurrent] "
		    "[--seed N] [--faults LIST] [--set NAME=VALUE]... [--flag-off NAME@TICK]... [--json] "
		    "[--report FILE.html|.md|.json] [--csv DIR] [--keep] [--statement-timeout DURATION] "
		    "[--allow-superuser] [--max-memory SIZE]",
	.summary = "The down migration and the fix from the same seed, side by side: facts kept and lost "
		   "by window, failures after, blocking, verdicts and scores. Exit 0 when the fix passes.",
	.options = compare_options,
	.run = compare_run,
};

static int compare_run(int argc, char **argv)
{
	struct drill_opts_cli o;
	struct strbuf out = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drv = NULL;
	struct pipeline_request req;
	struct pipeline_result down, fix;
	struct fault_list no_crash = { 0 };
	int rc;

	memset(&down, 0, sizeof(down));
	memset(&fix, 0, sizeof(fix));
	if ((rc = drillopts_parse(&cmd_compare, argc, argv, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	if (o.report && (!strrchr(o.report, '.') || !report_compare_for_ext(strrchr(o.report, '.') + 1))) {
		rc = cli_error(EXIT_USAGE, "--report needs FILE.html, FILE.md or FILE.json, not '%s'", o.report);
		goto out;
	}
	if (!o.fix) {
		rc = cli_usage(&cmd_compare, "compare runs the down migration itself: give --fix FILE.sql");
		goto out;
	}
	if ((rc = drillopts_prepare(&o, &sc, &drv)) != 0)
		goto out;
	/* The same faults for both, but crash points are the fix's question. */
	fault_list_without(&o.faults, FAULT_FIX_CRASH, &no_crash);
	drillopts_request(&o, &req);
	req.fixarg = o.down_file;
	req.is_down = 1;
	req.faults = &no_crash;
	if ((rc = drillopts_score(&o, sc, drv, &req, "down", &down)) != 0)
		goto out;
	req.fixarg = o.fix;
	req.is_down = 0;
	req.faults = &o.faults;
	if ((rc = drillopts_score(&o, sc, drv, &req, "fix", &fix)) != 0)
		goto out;
	if (o.json)
		report_compare_json_render(&down.card, &fix.card, &out, 0);
	else
		report_compare_render(&down.card, &fix.card, &out, cli_color());
	cli_print(&out);
	rc = fix.card.pass ? EXIT_PASS : EXIT_FAIL;
	if (o.report) {
		struct strbuf page = STRBUF_INIT;
		report_compare_for_ext(strrchr(o.report, '.') + 1)->render(&down.card, &fix.card, &page, 0);
		if (cli_write_file(o.report, &page))
			rc = EXIT_ENGINE;
		else
			fprintf(stderr, "mdrill: wrote the comparison to %s\n", o.report);
		strbuf_release(&page);
	}
out:
	pipeline_result_release(&down);
	pipeline_result_release(&fix);
	scenario_free(sc);
	fault_list_release(&no_crash);
	drillopts_release(&o);
	strbuf_release(&out);
	return rc;
}
