/*
** mdrill scaffold: a scenario directory written from a team's migration
** history and its next migration (scoring/scaffold.c does the work); the
** notes on what could not be generated go to stderr.
**
** SPDX-License-Identifier: MIT
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../scoring/scaffold.h"
#include "../sim/base/alloc.h"
#include "../sim/base/dialect.h"
#include "cli.h"
#include "scaffoldopts.h"

static int scaffold_cmd_run(int argc, char **argv);

static const struct cli_option scaffold_options[] = {
	OPTION_MIGRATIONS, OPTION_NEW, OPTION_DOWN_MIG, OPTION_ENGINE, OPTION_SCAFFOLD_DB,
	{ SO_OUT, "-o", "DIR", 0, "the scenario directory to write (made if need be): DIR/scenario.drill" },
	{ SO_NAME, "--name", "NAME", 0, "the scenario's name (default: DIR's last part)" },
	OPTION_TABLES, OPTION_WEIGHT, OPTION_STATS, OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER,
	{ SO_FORCE, "--force", NULL, 0, "write over a scenario.drill already in DIR" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_scaffold = {
	.name = "scaffold",
	.synopsis = "--migrations PATH [--new FILE [--down FILE]] [--engine sqlite|postgres] [--db TARGET] "
		    "-o DIR [--name NAME] [--tables LIST] [--weight TABLE=N]... [--stats SOURCE] [--force] "
		    "[--statement-timeout DURATION] [--allow-superuser]",
	.summary = "Write a scenario from your own migration history: the history (any layout --fix reads, "
		   "or a schema dump) applied to a disposable database, its catalogue read back into seeds, "
		   "probes and an app 'old' of generic transactions per table, the new migration as the bad "
		   "one, app 'new' from the schema after it, --down as its down migration, and a timeline. "
		   "Without --new, the history's schema under its own traffic, a no-op where the migration goes. "
		   "What cannot be generated is said, table and column, and marked SCAFFOLD: in the file.",
	.options = scaffold_options,
	.run = scaffold_cmd_run,
};

/* A name for the scenario from the directory's last part: letters, digits, '-', '_' and '.'. */
static char *name_from(const char *dir)
{
	struct strbuf n = STRBUF_INIT;
	const char *base;
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	base = dir + len;
	while (base > dir && base[-1] != '/')
		base--;
	for (; base < dir + len; base++)
		strbuf_addch(&n, isalnum((unsigned char)*base) || *base == '-' || *base == '_' || *base == '.' ? *base : '-');
	if (!n.len || !isalpha((unsigned char)n.buf[0])) {
		struct strbuf m = STRBUF_INIT;
		strbuf_addf(&m, "drill-%s", n.buf);
		strbuf_release(&n);
		return strbuf_detach(&m);
	}
	return strbuf_detach(&n);
}

static int scaffold_cmd_run(int argc, char **argv)
{
	struct scaffold_cli o;
	struct scaffold_opts so;
	struct scaffold_result res;
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;
	char *name = NULL;
	int rc;

	memset(&res, 0, sizeof(res));
	strbuf_init(&res.drill);
	strbuf_init(&res.notes);
	strbuf_init(&res.warnings);
	strbuf_init(&res.left);
	if ((rc = scaffoldopts_parse(&cmd_scaffold, argc, argv, &o)) != 0) {
		rc = rc == CLI_HELPED ? EXIT_PASS : rc;
		goto out;
	}
	if (!o.out) {
		rc = cli_usage(&cmd_scaffold, "where to? (-o DIR, the scenario directory to write)");
		goto out;
	}
	strbuf_addf(&path, "%s%sscenario.drill", o.out, o.out[strlen(o.out) - 1] == '/' ? "" : "/");
	if (cli_is_file(path.buf) && !o.force) {
		rc = cli_error(EXIT_USAGE, "'%s' is there already (--force writes over it, or give another -o)",
			       path.buf);
		goto out;
	}
	name = xstrdup(o.name ? o.name : "");
	if (!o.name) {
		free(name);
		name = name_from(o.out);
	}
	scaffoldopts_request(&o, &so);
	so.name = name;
	cli_catch_signals();
	rc = scaffold_run(&so, &res, &err);
	if (rc) {
		rc = cli_error(rc == SCAFFOLD_EINPUT ? EXIT_USAGE : rc == SCAFFOLD_EINTR ? EXIT_INTR : EXIT_ENGINE, "%s",
			       err.buf);
		goto out;
	}
	if ((rc = cli_mkdirs(o.out)) != 0 || (rc = cli_write_file(path.buf, &res.drill)) != 0)
		goto out;
	cli_print_lines("warning", res.warnings.buf);
	cli_print_lines("note", res.notes.buf);
	printf("wrote %s: %zu table%s drilled, %zu left out (%s%s%zu file%s, on %s)\n", path.buf, res.ntables,
	       res.ntables == 1 ? "" : "s", res.nleft, *res.tool ? res.tool : "plain SQL", *res.tool ? " history, " : ", ",
	       res.nfiles, res.nfiles == 1 ? "" : "s", db_name(o.drv));
	if (o.newmig)
		printf("next: %s lint %s%s%s, then %s run %s --down (or 'mdrill try' for a verdict)\n", cli_program,
		       o.out, o.db ? " --engines " : "", o.db ? db_name(o.drv) : "", cli_program, o.out);
	else
		printf("next: %s lint %s%s%s, then %s run %s --down for the baseline; write the migration to drill in "
		       "its '@migration bad'\n", cli_program, o.out, o.db ? " --engines " : "", o.db ? db_name(o.drv) : "",
		       cli_program, o.out);
	rc = EXIT_PASS;
out:
	scaffold_result_release(&res);
	scaffoldopts_release(&o);
	free(name);
	strbuf_release(&err);
	strbuf_release(&path);
	return rc;
}
