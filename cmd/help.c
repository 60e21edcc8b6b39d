/*
** mdrill help: every command with its synopsis, or one command's options;
** with --markdown, the command reference the README carries, and with
** --man, the manual page docs/mdrill.1 (mdoc), from the same tables.
**
** SPDX-License-Identifier: MIT
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int help_run(int argc, char **argv);

enum { HELP_MARKDOWN, HELP_MAN };

static const struct cli_option help_options[] = {
	{ HELP_MARKDOWN, "--markdown", NULL, 0,
	  "print the command reference as Markdown, as the README carries it" },
	{ HELP_MAN, "--man", NULL, 0,
	  "print the manual page (mdoc), as docs/mdrill.1 carries it: man ./docs/mdrill.1" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_help = {
	.name = "help",
	.synopsis = "[COMMAND [SUBCOMMAND]] [--markdown | --man]",
	.summary = "Every command and what it does, or one command's options ('mdrill COMMAND --help' "
		   "says the same).",
	.options = help_options,
	.run = help_run,
};

static const char exit_status[] =
	"exit status: 0 pass, 1 fail, 2 bad input or usage, 3 the drill could not run, 4 not judged (try: a "
	"table the migration changes was not drilled), 130 interrupted";

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

/* One command as the README's reference has it: synopsis, summary, options, example. */
static void markdown_command(struct strbuf *out, const struct cli_command *c)
{
	const struct cli_option *o;
	size_t i;

	strbuf_addf(out, "### mdrill %s\n\n```\n", c->name);
	cli_add_synopsis(out, "", c);
	strbuf_addf(out, "```\n\n%s\n", c->summary);
	if (c->options && c->options->name) {
		strbuf_addstr(out, "\n| option | meaning |\n|---|---|\n");
		for (o = c->options; o->name; o++) {
			strbuf_addf(out, "| `%s", o->name);
			if (o->arg)
				strbuf_addf(out, o->flags & CLI_OPTIONAL ? " [%s]" : " %s", o->arg);
			strbuf_addstr(out, "` | ");
			add_cell(out, o->help);
			strbuf_addstr(out, " |\n");
		}
	}
	if (c->example)
		strbuf_addf(out, "\n```sh\n%s```\n", c->example);
	strbuf_addch(out, '\n');
	for (i = 0; c->subcommands && c->subcommands[i]; i++)
		markdown_command(out, c->subcommands[i]);
}

static void markdown(struct strbuf *out)
{
	size_t i;
	for (i = 0; cli_commands[i]; i++)
		markdown_command(out, cli_commands[i]);
	strbuf_addf(out, "%s.\n", exit_status);
}

/*
** The manual page's date: mdoc needs one, and the page must come out the
** same on every run (tests/cli.sh compares it with docs/mdrill.1).  Move
** it on when the page's text changes.
*/
#define MAN_DATE "December 7, 2026"

/*
** text as mdoc text lines: escapes for backslashes and for a line that
** would start with a control character, a new line after each sentence,
** as mdoc wants, and lines kept under 80 bytes.
*/
static void man_text(struct strbuf *out, const char *text)
{
	const char *s;
	size_t col = 0;

	for (s = text; *s; s++) {
		if (*s == ' ' && (col >= 64 || col + strcspn(s + 1, " ") >= 78 ||
				  (s > text && s[-1] == '.' && isupper((unsigned char)s[1])))) {
			/* A sentence's end, or a long line: the next word starts a line. */
			strbuf_addch(out, '\n');
			col = 0;
			continue;
		}
		if (!col && (*s == '.' || *s == '\''))
			strbuf_addstr(out, "\\&");
		if (*s == '\\')
			strbuf_addstr(out, "\\e");
		else
			strbuf_addch(out, *s);
		col++;
	}
	strbuf_addch(out, '\n');
}

/* A word of a synopsis or option as an mdoc macro line: flags, arguments, literal words. */
static void man_word(struct strbuf *out, const char *w, size_t len)
{
	/* "--fix" is Fl \-fix; a short "-o" is Fl o. */
	if (len > 2 && w[0] == '-' && w[1] == '-')
		strbuf_addf(out, ".Fl \\%.*s\n", (int)len - 1, w + 1);
	else if (len > 1 && w[0] == '-')
		strbuf_addf(out, ".Fl %.*s\n", (int)len - 1, w + 1);
	else if (isupper((unsigned char)w[0]))
		strbuf_addf(out, ".Ar %.*s\n", (int)len, w);
	else
		strbuf_addf(out, ".Cm %.*s\n", (int)len, w);
}

/*
** A command's synopsis as mdoc: [ ] as Oo/Oc, ( ) as Po/Pc, '|' after the
** word before it, '...' as text, each word by man_word.
*/
static void man_synopsis(struct strbuf *out, const char *syn)
{
	const char *s = syn;

	while (*s) {
		size_t len;
		if (*s == ' ') {
			s++;
		} else if (*s == '[' || *s == ']' || *s == '(' || *s == ')') {
			strbuf_addstr(out, *s == '[' ? ".Oo\n" : *s == ']' ? ".Oc\n" : *s == '(' ? ".Po\n" : ".Pc\n");
			s++;
		} else if (!strncmp(s, "...", 3)) {
			strbuf_addstr(out, ".No \\&...\n");
			s += 3;
		} else if (*s == '|' && s[1] == ' ') {
			strbuf_rtrim(out);
			strbuf_addstr(out, " |\n");
			s++;
		} else {
			len = strcspn(s, " []()");
			man_word(out, s, len);
			s += len;
		}
	}
}

/* A command's section of the manual: its summary, options and example, then its own commands'. */
static void man_command(struct strbuf *out, const struct cli_command *c)
{
	const struct cli_option *o;
	const char *line, *nl;
	size_t i;

	strbuf_addf(out, ".Ss mdrill %s\n", c->name);
	man_text(out, c->summary);
	if (c->options && c->options->name) {
		strbuf_addstr(out, ".Bl -tag -width Ds\n");
		for (o = c->options; o->name; o++) {
			strbuf_addf(out, o->name[1] == '-' ? ".It Fl \\%s" : ".It Fl %s", o->name + 1);
			if (o->arg)
				strbuf_addf(out, o->flags & CLI_OPTIONAL ? " Op Ar %s" : " Ar %s", o->arg);
			strbuf_addch(out, '\n');
			man_text(out, o->help);
		}
		strbuf_addstr(out, ".El\n");
	}
	if (c->example) {
		/* Literal lines, their dashes and backslashes as mdoc wants them. */
		strbuf_addstr(out, ".Bd -literal -offset indent\n");
		for (line = c->example; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line);
			for (; line < nl && *line == ' '; line++)
				;
			if (*line == '.' || *line == '\'')
				strbuf_addstr(out, "\\&");
			for (; line < nl; line++) {
				if (*line == '-')
					strbuf_addstr(out, "\\-");
				else if (*line == '\\')
					strbuf_addstr(out, "\\e");
				else
					strbuf_addch(out, *line);
			}
			strbuf_addch(out, '\n');
			if (!*nl)
				break;
		}
		strbuf_addstr(out, ".Ed\n");
	}
	for (i = 0; c->subcommands && c->subcommands[i]; i++)
		man_command(out, c->subcommands[i]);
}

static void man(struct strbuf *out)
{
	size_t i;

	strbuf_addstr(out, ".\\\" The manual page of mdrill, printed by 'mdrill help --man' from the option\n"
		      ".\\\" tables the parser reads: edit cmd/*.c, not this file, then regenerate it.\n");
	strbuf_addstr(out, ".Dd " MAN_DATE "\n.Dt MDRILL 1\n.Os\n.Sh NAME\n.Nm mdrill\n"
		      ".Nd practise rolling forward from a bad database migration\n.Sh SYNOPSIS\n");
	for (i = 0; cli_commands[i]; i++) {
		const struct cli_command *const *sub = cli_commands[i]->subcommands;
		strbuf_addf(out, ".Nm\n.Cm %s\n", cli_commands[i]->name);
		man_synopsis(out, cli_commands[i]->synopsis);
		for (; sub && *sub; sub++) {
			strbuf_addstr(out, ".Nm\n");
			man_synopsis(out, (*sub)->name);
			man_synopsis(out, (*sub)->synopsis);
		}
	}
	strbuf_addstr(out, ".Sh DESCRIPTION\n");
	man_text(out, "mdrill is a migration drill and chaos simulator. It replays concurrent application "
		 "write traffic against a disposable database (SQLite by default, PostgreSQL with --db), "
		 "injects a bad migration mid-traffic, applies the team's fix migration (or the "
		 "framework's down migration) while the traffic goes on, and scores it: was every "
		 "acknowledged write preserved, did the application stop failing, how long were writers "
		 "blocked. The same seed gives the same drill.");
	strbuf_addstr(out, ".Pp\n");
	man_text(out, "SCENARIO is a name looked up in $MDRILL_SCENARIOS, ./scenarios and the scenarios/ "
		 "beside the binary, or a path to a scenario directory or .drill file.");
	for (i = 0; cli_commands[i]; i++)
		man_command(out, cli_commands[i]);
	strbuf_addstr(out, ".Sh ENVIRONMENT\n.Bl -tag -width Ds\n.It Ev MDRILL_SCENARIOS\n");
	man_text(out, "Colon-separated directories where scenarios are looked up by name, before ./scenarios "
		 "and the scenarios/ beside the binary.");
	strbuf_addstr(out, ".It Ev TMPDIR\n");
	man_text(out, "Where the disposable SQLite databases go (each in a private directory, removed at "
		 "the end unless --keep).");
	strbuf_addstr(out, ".It Ev NO_COLOR\n");
	man_text(out, "When set, the terminal scorecard has no colour (it has none when stdout is no "
		 "terminal either).");
	strbuf_addstr(out, ".It Ev PGHOST , PGPORT , PGUSER , PGPASSWORD , PGDATABASE\n");
	man_text(out, "The PostgreSQL server and maintenance database of --db postgres: (libpq's own "
		 "variables).");
	strbuf_addstr(out, ".El\n.Sh EXIT STATUS\n.Bl -tag -width Ds -compact\n"
		      ".It 0\nthe fix passed (lint: no problems)\n"
		      ".It 1\nthe fix failed (check: a template did not meet its expectations; lint: problems)\n"
		      ".It 2\nbad input or usage: a malformed scenario or fix, a missing file,\nan unknown option\n"
		      ".It 3\nthe drill could not run: the machine or the database failed\n"
		      ".It 130\ninterrupted\n.El\n");
	strbuf_addstr(out, ".Sh EXAMPLES\n");
	man_text(out, "The phone-not-null scenario rolled back with the framework's down migration, then "
		 "rolled forward with the essay's fix:");
	strbuf_addstr(out, ".Bd -literal -offset indent\n"
		      "mdrill run phone-not-null \\-\\-down\n"
		      "mdrill run phone-not-null \\-\\-fix fixes/make-nullable.sql\n"
		      "mdrill compare phone-not-null \\-\\-fix fixes/make-nullable.sql \\-\\-report cmp.html\n"
		      ".Ed\n.Pp\n");
	man_text(out, "A new scenario's SQL on both engines before its first drill, then its templates:");
	strbuf_addstr(out, ".Bd -literal -offset indent\n"
		      "mdrill lint my-scenario \\-\\-engines sqlite,postgres \\-\\-db postgres:\n"
		      "mdrill check my-scenario\n"
		      ".Ed\n");
	/* Named, not cross-referenced: their pages need not be on this machine. */
	strbuf_addstr(out, ".Sh SEE ALSO\n");
	man_text(out, "README.md (a drill walked through, the scenario format, the oracle and the score) "
		 "and docs/json.md (every field of the JSON scorecard), in mdrill's source; sqlite3(1), "
		 "psql(1) and pgbench(1).");
}

struct help_opts {
	const char *command, *sub;
	int markdown, man;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct help_opts *h = ctx;
	(void)next;
	if (opt) {
		if (opt->id == HELP_MAN)
			h->man = 1;
		else
			h->markdown = 1;
		if (h->man && h->markdown)
			return cli_usage(&cmd_help, "give one of --markdown and --man");
		return 0;
	}
	if (h->sub)
		return cli_usage(&cmd_help, "unexpected argument '%s'", val);
	if (h->command)
		h->sub = val;
	else
		h->command = val;
	return 0;
}

static int help_run(int argc, char **argv)
{
	struct help_opts h = { NULL, NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	const struct cli_command *c;
	int rc;

	if ((rc = cli_parse(&cmd_help, argc, argv, take, &h)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	if (h.command) {
		if (!(c = cli_command_find(h.command)))
			return cli_error(EXIT_USAGE, "no command '%s' (try 'mdrill help')", h.command);
		if (h.sub && !(c = cli_subcommand_find(c, h.sub)))
			return cli_error(EXIT_USAGE, "no command 'mdrill %s %s' (try 'mdrill help %s')", h.command,
					 h.sub, h.command);
		cli_help(c, &out);
	} else if (h.markdown) {
		markdown(&out);
	} else if (h.man) {
		man(&out);
	} else {
		overview(&out);
	}
	cli_print(&out);
	strbuf_release(&out);
	return EXIT_PASS;
}
