/*
** mdrill gc: remove what drills of this host that are gone left behind
** (a SIGKILL leaves its directory or database): mdrill's private
** directories under $TMPDIR (the SQLite driver's, a live drill's, try's)
** and, with --db, the server's mdrill_ databases.  Only what an ownership
** mark shows a dead run of this host made goes; a live run's, or another
** host's, stays.  Every drill command does the same quietly as it starts.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../sim/db/db.h"
#include "cli.h"

static int gc_run(int argc, char **argv);

enum { GC_DB };

static const struct cli_option gc_options[] = {
	{ GC_DB, "--db", "TARGET", 0,
	  "also the PostgreSQL server's mdrill_ databases (postgres://... or postgres:)" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_gc = {
	.name = "gc",
	.synopsis = "[--db TARGET]",
	.summary = "Remove the disposable databases of drills on this host that are gone (killed, "
		   "crashed), and list them: the SQLite directories under $TMPDIR, a killed live drill's "
		   "control directory, and with --db the server's mdrill_ databases. A running drill's "
		   "stay.",
	.options = gc_options,
	.run = gc_run,
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	const char **db = ctx;
	(void)next;
	if (!opt)
		return cli_usage(&cmd_gc, "unexpected argument '%s'", val);
	*db = val;
	return 0;
}

/* One driver's sweep: its lines printed, counted into *n.  0, or EXIT_ENGINE after saying why. */
static int sweep(const struct db_driver *drv, const char *target, int *n)
{
	struct strbuf removed = STRBUF_INIT, err = STRBUF_INIT;
	const char *line, *nl;
	int rc = 0;

	if (db_gc(drv, target, NULL, &removed, &err))
		rc = cli_error(EXIT_ENGINE, "%s", err.buf);
	for (line = removed.buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		/* A line that starts with '!' is one it found and could not remove. */
		if (*line == '!') {
			cli_error(0, "%.*s", (int)(nl - line - 2), line + 2);
			rc = EXIT_ENGINE;
			continue;
		}
		printf("removed %.*s\n", (int)(nl - line), line);
		(*n)++;
	}
	strbuf_release(&removed);
	strbuf_release(&err);
	return rc;
}

static int gc_run(int argc, char **argv)
{
	const struct db_driver *local = db_driver_for(NULL), *drv = NULL;
	const char *db = NULL;
	int n = 0, rc;

	if ((rc = cli_parse(&cmd_gc, argc, argv, take, &db)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (db && (!(drv = db_driver_for(db)) || drv == local)) {
		struct strbuf shown = STRBUF_INIT, need = STRBUF_INIT;
		db_target_display(db, &shown);
		db_driver_names(0, 1, &need);
		rc = cli_error(EXIT_USAGE, "gc --db needs a server, not '%s' (expected %s)", shown.buf, need.buf);
		strbuf_release(&shown);
		strbuf_release(&need);
		return rc;
	}
	rc = sweep(local, NULL, &n);
	if (drv) {
		int r = sweep(drv, db, &n);
		rc = rc ? rc : r;
	}
	printf(n ? "%d removed\n" : "nothing to remove\n", n);
	fflush(stdout);
	return rc;
}
