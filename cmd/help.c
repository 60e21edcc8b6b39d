/*
** mdrill help: every command with its synopsis, or one command's options;
** with --markdown, the command reference the README carries, from the
** same tables.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int help_run(int argc, char **argv);

enum { HELP_MARKDOWN };

static const struct cli_option help_options[] = {
	{ HELP_MARKDOWN, "--markdown", NULL, 0,
	  "print the command reference as Markdown, as the README carries it" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_help = {
	.name = "help",
	.synopsis = "[COMMAND] [--markdown]",
	.summary = "Every command and what it does, or one command's options ('mdrill COMMAND --help' "
		   "says the same).",
	.options = help_options,
	.run = help_run,
};

static const char exit_status[] =
	"exit status: 0 pass, 1 fail, 2 bad input or usage, 3 the drill could not run, 130 interrupted";

static void overview(struct strbuf *out)
{
	size_t i;
	strbuf_addstr(out, "mdrill: practise rolling forward from a bad database migration\n\n");
	for (i = 0; cli_commands[i]; i++) {
		const struct cli_command *c = cli_commands[i];
		cli_add_synopsis(out, "  ", c);
		strbuf_addstr(out, "      ");
		cli_add_wrapped(out, c->summary, 6, 6, 78);
	}
	strbuf_addf(out, "\n'mdrill help COMMAND' or 'mdrill COMMAND --help' lists a command's options.\n%s\n",
		    exit_status);
}

/* text with '|' escaped, for a Markdown table cell. */
static void add_cell(struct strbuf *out, const char *text)
{
	for (; *text; text++) {
		if (*text == '|')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *text);
	}
}

static void markdown(struct strbuf *out)
{
	size_t i;
	for (i = 0; cli_commands[i]; i++) {
		const struct cli_command *c = cli_commands[i];
		const struct cli_option *o;
		strbuf_addf(out, "### mdrill %s\n\n```\n", c->name);
		cli_add_synopsis(out, "", c);
		strbuf_addf(out, "```\n\n%s\n", c->summary);
		if (!c->options || !c->options->name) {
			strbuf_addch(out, '\n');
			continue;
		}
		strbuf_addstr(out, "\n| option | meaning |\n|---|---|\n");
		for (o = c->options; o->name; o++) {
			strbuf_addf(out, "| `%s", o->name);
			if (o->arg)
				strbuf_addf(out, o->flags & CLI_OPTIONAL ? " [%s]" : " %s", o->arg);
			strbuf_addstr(out, "` | ");
			add_cell(out, o->help);
			strbuf_addstr(out, " |\n");
		}
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "%s.\n", exit_status);
}

struct help_opts {
	const char *command;
	int markdown;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct help_opts *h = ctx;
	(void)next;
	if (opt) {
		h->markdown = 1;
		return 0;
	}
	if (h->command)
		return cli_usage(&cmd_help, "unexpected argument '%s'", val);
	h->command = val;
	return 0;
}

static int help_run(int argc, char **argv)
{
	struct help_opts h = { NULL, 0 };
	struct strbuf out = STRBUF_INIT;
	const struct cli_command *c;
	int rc;

	if ((rc = cli_parse(&cmd_help, argc, argv, take, &h)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (h.command) {
		if (!(c = cli_command_find(h.command)))
			return cli_error(EXIT_USAGE, "no command '%s' (try 'mdrill help')", h.command);
		cli_help(c, &out);
	} else if (h.markdown) {
		markdown(&out);
	} else {
		overview(&out);
	}
	cli_print(&out);
	strbuf_release(&out);
	return EXIT_PASS;
}
