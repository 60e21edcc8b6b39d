/*
** mdrill list: one line per scenario found, with its title.
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

static int list_run(int argc, char **argv);

const struct cli_command cmd_list = {
	.name = "list",
	.synopsis = "",
	.summary = "One line per scenario: its name and title, from $MDRILL_SCENARIOS, ./scenarios "
		   "and the scenarios/ beside the binary.",
	.run = list_run,
};

static int take_nothing(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	(void)ctx;
	(void)opt;
	(void)next;
	return cli_usage(&cmd_list, "unexpected '%s'", val);
}

static int list_run(int argc, char **argv)
{
	char dirs[8][PATH_MAX];
	size_t n = cli_scenario_dirs(dirs, 8), i, j, nnames = 0, alloc = 0;
	char **names = NULL;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int rc;

	if ((rc = cli_parse(&cmd_list, argc, argv, take_nothing, NULL)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	for (i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s/scenario.drill", dirs[i], e->d_name);
			if (!cli_is_file(path.buf))
				continue;
			for (j = 0; j < nnames; j++)
				if (!strcmp(names[j], e->d_name))
					break;
			if (j < nnames)
				continue; /* an earlier directory has it */
			ALLOC_GROW(names, nnames + 1, alloc);
			/* The name, then the directory it is in: sorting sorts by name. */
			strbuf_reset(&path);
			strbuf_addf(&path, "%s%c%s/%s", e->d_name, '\0', dirs[i], e->d_name);
			names[nnames++] = xstrndup(path.buf, path.len);
		}
		closedir(d);
	}
	if (nnames > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, nnames, sizeof(*names), cli_cmp_str);
	for (i = 0; i < nnames; i++) {
		struct scenario *sc;
		const char *dir = names[i] + strlen(names[i]) + 1;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/scenario.drill", dir);
		if (scenario_load(path.buf, NULL, 0, &sc, &err))
			printf("%-20s (broken: %s)\n", names[i], err.buf);
		else
			printf("%-20s %s\n", names[i], sc->title ? sc->title : "");
		scenario_free(sc);
		free(names[i]);
	}
	if (!nnames)
		printf("no scenarios found (looked in ./scenarios, beside the mdrill binary and $MDRILL_SCENARIOS)\n");
	free(names);
	strbuf_release(&path);
	strbuf_release(&err);
	return 0;
}
