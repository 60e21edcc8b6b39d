/*
** mdrill's command line: the table of commands and the dispatch.  Each
** command lives in cmd/, parses its options from its own table, runs the
** library (sim/, scoring/, reports/), prints, and picks the exit status:
** 0 pass, 1 fail, 2 bad input or usage, 3 the drill could not run, 130
** interrupted.  Nothing else prints to the user.
**
** SPDX-License-Identifier: MIT
*/
#include <string.h>

#include "cmd/cli.h"

extern const struct cli_command cmd_list, cmd_show, cmd_lint, cmd_run, cmd_compare, cmd_check, cmd_drill,
	cmd_replay, cmd_leaderboard, cmd_scaffold, cmd_try, cmd_merge, cmd_gc, cmd_help;

const struct cli_command *const cli_commands[] = {
	&cmd_list,
	&cmd_show,
	&cmd_lint,
	&cmd_run,
	&cmd_compare,
	&cmd_check,
	&cmd_drill,
	&cmd_replay,
	&cmd_leaderboard,
	&cmd_scaffold,
	&cmd_try,
	&cmd_merge,
	&cmd_gc,
	&cmd_help,
	NULL,
};

int main(int argc, char **argv)
{
	const struct cli_command *c;
	static char help[] = "help";
	char *only_help[] = { help, NULL };
	int rc;

	cli_program = argv[0];
	if ((rc = cli_init()) != 0)
		return rc;
	if (argc < 2) {
		cmd_help.run(1, only_help);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help.run(1, only_help);
	if (!(c = cli_command_find(argv[1])))
		return cli_error(EXIT_USAGE, "unknown command '%s' (try 'mdrill help')", argv[1]);
	return c->run(argc - 1, argv + 1);
}
