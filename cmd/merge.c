/*
** mdrill merge: the shards' JSON (check --shard K/N --json FILE, or
** run --seeds A..B --shard K/N --json) joined into one result, printed
** as the whole run would have printed it, with the same exit status.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "../scoring/shard.h"
#include "../sim/base/alloc.h"
#include "cli.h"

static int merge_run(int argc, char **argv);

enum { MG_JSON };

static const struct cli_option merge_options[] = {
	{ MG_JSON, "--json", NULL, 0, "print the merged result as JSON, as the whole run would have written it" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_merge = {
	.name = "merge",
	.synopsis = "RESULTS.json... [--json]",
	.summary = "Join the shards of one run, each a machine's part ('mdrill check --shard K/N --json FILE' "
		   "or 'mdrill run --seeds A..B --shard K/N --json'), into one result with the same lines, "
		   "summary and exit status as the run on one machine. Every shard of N must be there, once.",
	.options = merge_options,
	.run = merge_run,
};

struct merge_opts {
	const char **paths;
	size_t npaths, alloc;
	int json;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct merge_opts *o = ctx;
	(void)next;
	if (!opt) {
		ALLOC_GROW(o->paths, o->npaths + 1, o->alloc);
		o->paths[o->npaths++] = val;
		return 0;
	}
	o->json = 1;
	return 0;
}

static int merge_run(int argc, char **argv)
{
	struct merge_opts o;
	struct merged m;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	size_t i, passed = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&m, 0, sizeof(m));
	if ((rc = cli_parse(&cmd_merge, argc, argv, take, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	if (!o.npaths) {
		rc = cli_usage(&cmd_merge, "which results? (the shards' JSON files)");
		goto out;
	}
	if (merge_read(o.paths, o.npaths, &m, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (m.kind == MERGE_CHECK) {
		m.check.shard_k = m.check.shard_n = 0;
		for (i = 0; i < m.check.nr; i++)
			passed += m.check.v[i].ok != 0;
		if (o.json) {
			report_check_json_render(&m.check, &out);
		} else {
			for (i = 0; i < m.check.nr; i++)
				strbuf_addf(&out, "%s\n", m.check.v[i].line);
			strbuf_addf(&out, "%zu passed, %zu failed\n", passed, m.check.nr - passed);
		}
		rc = passed < m.check.nr ? EXIT_FAIL : EXIT_PASS;
	} else {
		struct swarm_report rep;
		memset(&rep, 0, sizeof(rep));
		rep.scenario = m.scenario;
		rep.engine = m.engine;
		rep.from = m.from;
		rep.to = m.to;
		rep.result = &m.swarm;
		rep.reproduce = m.reproduce ? m.reproduce : "";
		if (o.json)
			report_swarm_json_render(&rep, &out, 0);
		else
			report_swarm_render(&rep, &out, 0);
		rc = m.swarm.passed < m.swarm.nrows ? EXIT_FAIL : EXIT_PASS;
	}
	cli_print(&out);
out:
	merged_release(&m);
	free(o.paths);
	strbuf_release(&err);
	strbuf_release(&out);
	return rc;
}
