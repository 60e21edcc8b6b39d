/*
** mdrill show: a scenario as a team reads it before a drill: its story,
** parameters, schema, migrations, app versions, timeline, fix templates
** and the down migrations a framework hands out.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/input/scenario.h"
#include "cli.h"

static int show_run(int argc, char **argv);

const struct cli_command cmd_show = {
	.name = "show",
	.synopsis = "SCENARIO",
	.summary = "The scenario's story, parameters, schema, migrations, app versions, timeline, "
		   "fix templates and the down migrations under its downs/.",
	.run = show_run,
};

static void show_sql(const char *heading, const struct sql_section *sec)
{
	size_t i;
	for (i = 0; i < sec->nr; i++) {
		int d = sec->v[i].dialect;
		printf("\n%s%s%s%s:\n%s\n", heading, d ? " (" : "", dialect_name(d), d ? ")" : "",
		       sec->v[i].text);
	}
}

/* The entries of the scenario's directory sub, sorted, under a heading. */
static void show_dir(const struct scenario *sc, const char *sub, const char *heading)
{
	struct strbuf dir = STRBUF_INIT;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	DIR *d;

	strbuf_addf(&dir, "%s/%s", sc->dir, sub);
	if ((d = opendir(dir.buf)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.') {
				ALLOC_GROW(names, n + 1, alloc);
				names[n++] = xstrdup(e->d_name);
			}
		closedir(d);
		if (n > 1) /* qsort(NULL, 0, ...) is undefined */
			qsort(names, n, sizeof(*names), cli_cmp_str);
		printf("\n%s:\n", heading);
		for (i = 0; i < n; i++) {
			printf("  %s/%s\n", dir.buf, names[i]);
			free(names[i]);
		}
		free(names);
	}
	strbuf_release(&dir);
}

static void show_event(const struct scenario *sc, const struct tl_event *ev)
{
	printf("  at %-8ld ", ev->tick);
	switch (ev->action) {
	case TL_START: printf("start %s clients=%d\n", sc->apps[ev->version].name, ev->clients); break;
	case TL_DEPLOY: printf("deploy %s fraction=%g\n", sc->apps[ev->version].name, ev->fraction); break;
	case TL_MIGRATE: printf("migrate %s\n", sc->migrations[ev->migration].name); break;
	case TL_FIX: printf("fix (the fix under test is applied here)\n"); break;
	case TL_END: printf("end\n"); break;
	case TL_FLAG: printf("flag %s %s\n", sc->flags[ev->flag], ev->flag_on ? "on" : "off"); break;
	case TL_FAULT: {
		struct strbuf f = STRBUF_INIT;
		struct fault one = ev->fault;
		one.tick = FAULT_AT_FIX;
		fault_format(&one, &f);
		printf("fault %s\n", f.buf);
		strbuf_release(&f);
		break;
	}
	}
}

static int take_scenario(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	const char **scenario = ctx;
	(void)opt;
	(void)next;
	if (*scenario)
		return cli_usage(&cmd_show, "unexpected argument '%s'", val);
	*scenario = val;
	return 0;
}

static int show_run(int argc, char **argv)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct scenario *sc = NULL;
	const char *name = NULL;
	size_t i;
	int rc;

	if ((rc = cli_parse(&cmd_show, argc, argv, take_scenario, &name)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (!name)
		return cli_usage(&cmd_show, "which scenario? (see 'mdrill list')");
	if ((rc = cli_find_scenario(name, &path)) != 0)
		goto out;
	if (scenario_load(path.buf, NULL, 0, &sc, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	printf("%s: %s\n", sc->name, sc->title ? sc->title : "");
	if (sc->essay)
		printf("essay: %s\n", sc->essay);
	printf("file: %s\n", sc->path);
	if (sc->story.len)
		printf("\n%s", sc->story.buf);
	printf("\nparameters (change with --set NAME=VALUE):\n");
	for (i = 0; i < sc->nparams; i++)
		printf("  %-12s %s\n", sc->params[i].name, sc->params[i].value);
	show_sql("schema", &sc->schema);
	for (i = 0; i < sc->nmigrations; i++) {
		struct strbuf h = STRBUF_INIT;
		strbuf_addf(&h, "migration %s", sc->migrations[i].name);
		show_sql(h.buf, &sc->migrations[i].sql);
		strbuf_release(&h);
	}
	printf("\napp versions:\n");
	for (i = 0; i < sc->napps; i++) {
		size_t t;
		printf("  %s:", sc->apps[i].name);
		for (t = 0; t < sc->apps[i].ntx; t++)
			printf(" %s (weight %u)", sc->apps[i].tx[t].name, sc->apps[i].tx[t].weight);
		printf("\n");
	}
	printf("\ntimeline:\n");
	for (i = 0; i < sc->ntimeline; i++)
		show_event(sc, &sc->timeline[i]);
	show_dir(sc, "fixes", "fix templates");
	show_dir(sc, "downs", "down migrations a framework hands out (--down FILE)");
	rc = 0;
out:
	scenario_free(sc);
	strbuf_release(&path);
	strbuf_release(&err);
	return rc;
}
