/*
** The option parser over the commands' tables, help text from the same
** tables, and what every command needs: errors, signals, scenario lookup.
**
** SPDX-License-Identifier: MIT
*/
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../sim/base/dialect.h"
#include "../sim/db/db.h"

volatile sig_atomic_t cli_stop;
const char *cli_program = "mdrill";

static void on_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

void cli_catch_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

/*
** A message on stderr, its control characters escaped: messages quote
** files and the database, and neither may drive the terminal.  A message
** of several lines has each prefixed, so none can pass for other output.
*/
static void say(const char *fmt, va_list ap)
{
	struct strbuf m = STRBUF_INIT, shown = STRBUF_INIT;
	const char *line, *nl;

	strbuf_vaddf(&m, fmt, ap);
	for (line = m.buf;; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*(char *)nl = '\0';
		strbuf_reset(&shown);
		report_add_text(&shown, line);
		fprintf(stderr, "%smdrill: %s", line == m.buf ? "" : "\n", shown.buf);
		if (!nl)
			break;
	}
	strbuf_release(&m);
	strbuf_release(&shown);
}

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void cli_print_lines(const char *label, const char *lines)
{
	const char *nl;
	for (; *lines; lines = nl ? nl + 1 : lines + strlen(lines)) {
		nl = strchr(lines, '\n');
		if (nl != lines)
			fprintf(stderr, "mdrill: %s: %.*s\n", label, nl ? (int)(nl - lines) : (int)strlen(lines), lines);
		if (!nl)
			break;
	}
}

int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	{
		struct strbuf u = STRBUF_INIT;
		cli_add_synopsis(&u, "\nusage: ", cmd);
		fputs(u.buf, stderr);
		strbuf_release(&u);
	}
	return EXIT_USAGE;
}

const struct cli_command *cli_command_find(const char *name)
{
	size_t i;
	for (i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

static const struct cli_option *find_option(const struct cli_command *cmd, const char *a, size_t len)
{
	const struct cli_option *o;
	for (o = cmd->options; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, a, len))
			return o;
	return NULL;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, cli_take_fn take, void *ctx)
{
	uint64_t seen = 0;   /* the options given so far, by their place in the table */
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *val = NULL;
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		const struct cli_option *o;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			struct strbuf out = STRBUF_INIT;
			cli_help(cmd, &out);
			cli_print(&out);
			strbuf_release(&out);
			return CLI_HELPED;
		}
		if (a[0] != '-' || !a[1]) {
			if ((rc = take(ctx, NULL, a, next)) > 0)
				return rc;
			continue;
		}
		eq = strchr(a, '=');
		o = find_option(cmd, a, eq ? (size_t)(eq - a) : strlen(a));
		if (!o || (eq && !o->arg))
			return cli_usage(cmd, "unknown option '%s'", a);
		/* A second value would silently replace the first: say so instead. */
		if (o->arg && !(o->flags & CLI_REPEAT) && o - cmd->options < 64) {
			uint64_t bit = (uint64_t)1 << (o - cmd->options);
			if (seen & bit)
				return cli_usage(cmd, "'%s' given twice: it takes one %s", o->name, o->arg);
			seen |= bit;
		}
		if (eq) {
			val = eq + 1;
			if (!*val)
				return cli_usage(cmd, "%s= needs %s", o->name, o->arg);
		} else if (o->arg && !(o->flags & CLI_OPTIONAL)) {
			if (!next)
				return cli_usage(cmd, "%s needs %s", o->name, o->arg);
			val = argv[++i];
			next = i + 1 < argc ? argv[i + 1] : NULL;
		}
		rc = take(ctx, o, val, next);
		if (rc == CLI_TOOK_NEXT)
			i++;
		else if (rc)
			return rc;
	}
	return 0;
}

/* The length of the word at s: up to a space, or with groups, a space outside brackets. */
static size_t word_len(const char *s, int groups)
{
	size_t w = 0;
	int depth = 0;
	for (; s[w] && (s[w] != ' ' || (groups && depth > 0)); w++) {
		if (s[w] == '[' || s[w] == '(')
			depth++;
		else if ((s[w] == ']' || s[w] == ')') && depth > 0)
			depth--;
	}
	return w;
}

static void add_wrapped(struct strbuf *out, const char *text, size_t col, size_t indent, size_t width,
			int groups)
{
	const char *s = text;
	int first = 1;   /* the first word of a line takes no space before it */
	while (*s) {
		size_t w = word_len(s, groups);
		if (!first && col + 1 + w > width) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, s, w);
		col += w;
		first = 0;
		s += w;
		while (*s == ' ')
			s++;
	}
	strbuf_addch(out, '\n');
}

void cli_add_wrapped(struct strbuf *out, const char *text, size_t col, size_t indent, size_t width)
{
	add_wrapped(out, text, col, indent, width, 0);
}

void cli_add_synopsis(struct strbuf *out, const char *lead, const struct cli_command *cmd)
{
	size_t col;
	strbuf_addf(out, "%smdrill %s", lead, cmd->name);
	if (!*cmd->synopsis) {
		strbuf_addch(out, '\n');
		return;
	}
	strbuf_addch(out, ' ');
	col = strlen(strrchr(lead, '\n') ? strrchr(lead, '\n') + 1 : lead) + 8 + strlen(cmd->name);
	add_wrapped(out, cmd->synopsis, col, col, 78, 1);
}

const struct cli_command *cli_subcommand_find(const struct cli_command *cmd, const char *word)
{
	size_t i;
	for (i = 0; cmd->subcommands && cmd->subcommands[i]; i++) {
		const char *name = cmd->subcommands[i]->name, *sp = strrchr(name, ' ');
		if (!strcmp(sp ? sp + 1 : name, word))
			return cmd->subcommands[i];
	}
	return NULL;
}

void cli_help(const struct cli_command *cmd, struct strbuf *out)
{
	const struct cli_option *o;
	size_t i;

	cli_add_synopsis(out, "usage: ", cmd);
	strbuf_addch(out, '\n');
	cli_add_wrapped(out, cmd->summary, 0, 0, 78);
	if (cmd->options && cmd->options->name) {
		strbuf_addstr(out, "\noptions:\n");
		for (o = cmd->options; o->name; o++) {
			size_t start = out->len;
			strbuf_addf(out, "  %s", o->name);
			if (o->arg)
				strbuf_addf(out, o->flags & CLI_OPTIONAL ? " [%s]" : " %s", o->arg);
			if (out->len - start < 24)
				strbuf_addf(out, "%*s", (int)(24 - (out->len - start)), "");
			else
				strbuf_addf(out, "\n%24s", "");
			cli_add_wrapped(out, o->help, 24, 24, 78);
		}
	}
	if (cmd->subcommands && cmd->subcommands[0]) {
		strbuf_addstr(out, "\ncommands of its own (each with --help):\n");
		for (i = 0; cmd->subcommands[i]; i++) {
			cli_add_synopsis(out, "  ", cmd->subcommands[i]);
			strbuf_addstr(out, "      ");
			cli_add_wrapped(out, cmd->subcommands[i]->summary, 6, 6, 78);
		}
	}
	if (cmd->example)
		strbuf_addf(out, "\nexample:\n%s", cmd->example);
}

void cli_print(const struct strbuf *out)
{
	fwrite(out->buf, 1, out->len, stdout);
	fflush(stdout);
}

unsigned cli_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") ? REPORT_COLOR : 0;
}

int cli_write_file(const char *path, const struct strbuf *data)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data->buf, 1, data->len, f) == data->len;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : cli_error(EXIT_ENGINE, "cannot write '%s': %s", path, strerror(errno));
}

int cli_write_file_atomically(const char *path, const struct strbuf *data)
{
	struct strbuf tmp = STRBUF_INIT;
	int rc;
	strbuf_addf(&tmp, "%s.tmp", path);
	if (!(rc = cli_write_file(tmp.buf, data)) && rename(tmp.buf, path))
		rc = cli_error(EXIT_ENGINE, "cannot write '%s': %s", path, strerror(errno));
	strbuf_release(&tmp);
	return rc;
}

int cli_engines(const char *list, const char *db, const struct db_driver **drvs, size_t *n, size_t max)
{
	const char *e = list;
	size_t k;

	/* Without --engines, the default engine's alone. */
	*n = 0;
	if (!list)
		drvs[(*n)++] = db_driver_for(NULL);
	while (e && *e && *n < max) {
		size_t el = strcspn(e, ",");
		int d = dialect_find(e, el);
		if (d < 0 || !(drvs[*n] = db_driver_find(d))) {
			struct strbuf names = STRBUF_INIT;
			dialect_names(&names, "", ", ", " or ");
			cli_error(EXIT_USAGE, "unknown engine '%.*s' (expected %s)", (int)el, e, names.buf);
			strbuf_release(&names);
			return EXIT_USAGE;
		}
		(*n)++;
		e += el + (e[el] == ',');
	}
	/* An engine that needs a server needs --db to name one. */
	for (k = 0; k < *n; k++)
		if (!db_takes(drvs[k], db) && db_driver_for(NULL) != drvs[k])
			return cli_error(EXIT_USAGE, "--engines %s needs --db %s", db_name(drvs[k]),
					 db_target_need(drvs[k]));
	return 0;
}

int cli_mkdirs(const char *path)
{
	struct strbuf p = STRBUF_INIT;
	size_t i;
	int rc = 0;

	strbuf_addstr(&p, path);
	/* Each parent in turn, then the directory itself, as mkdir -p does. */
	for (i = 1; i <= p.len && !rc; i++) {
		char c = p.buf[i];
		if (c != '/' && c != '\0')
			continue;
		p.buf[i] = '\0';
		if (mkdir(p.buf, 0777) && errno != EEXIST)
			rc = cli_error(EXIT_ENGINE, "cannot make the directory '%s': %s", p.buf, strerror(errno));
		else if (!cli_is_dir(p.buf))
			rc = cli_error(EXIT_ENGINE, "cannot make the directory '%s': a file is in its place", p.buf);
		p.buf[i] = c;
	}
	strbuf_release(&p);
	return rc;
}

int cli_parse_leading(const char *s, uint64_t *v, const char **end)
{
	char *e;
	unsigned long long n;

	/* strtoull would take a sign or white space first, and wrap "-1" around. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &e, 10);
	if (errno)
		return -1;
	*v = n;
	*end = e;
	return 0;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	if (cli_parse_leading(s, &v, &end) || *end)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	const char *u, *end;
	uint64_t v;
	int shift = 0;

	if (cli_parse_leading(s, &v, &end))
		return -1;
	if (*end && (u = strchr(units, toupper((unsigned char)*end))) != NULL) {
		shift = 10 * (int)(u - units + 1);
		end++;
		if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
			end += strlen(end);
	} else if (!strcasecmp(end, "B")) {
		end++;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int cli_init(void)
{
	const char *v = getenv("MDRILL_MAX_FILE_SIZE");
	uint64_t n;

	if (!v || !*v)
		return 0;
	if (cli_parse_size(v, &n) || !n || n > SIZE_MAX / 2)
		return cli_error(EXIT_USAGE, "MDRILL_MAX_FILE_SIZE needs a size such as 64M or 1G, not '%s'", v);
	strbuf_read_limit = (size_t)n;
	return 0;
}

int cli_parse_shard(const char *s, uint64_t *k, uint64_t *n)
{
	const char *slash = strchr(s, '/');
	char kbuf[32];

	if (!slash || (size_t)(slash - s) >= sizeof(kbuf))
		return -1;
	memcpy(kbuf, s, (size_t)(slash - s));
	kbuf[slash - s] = '\0';
	if (cli_parse_u64(kbuf, k) || cli_parse_u64(slash + 1, n) || *k < 1 || *n < 1 || *k > *n || *n > 10000)
		return -1;
	return 0;
}

int cli_is_file(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

int cli_is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

int cli_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t cli_scenario_dirs(char dirs[][PATH_MAX], size_t max)
{
	const char *env = getenv("MDRILL_SCENARIOS");
	char exe[PATH_MAX];
	size_t n = 0;
	ssize_t len;

	if (env && *env) {
		const char *s = env;
		while (*s && n < max) {
			const char *e = strchr(s, ':');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			if (l && l < PATH_MAX) {
				memcpy(dirs[n], s, l);
				dirs[n++][l] = '\0';
			}
			s += l + (e ? 1 : 0);
		}
	}
	if (n < max && cli_is_dir("scenarios"))
		snprintf(dirs[n++], PATH_MAX, "scenarios");
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0 && n < max) {
		char *slash;
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		/* Room for "/scenarios" is checked; the name replaces the binary's. */
		if (slash && (size_t)(slash - exe) + sizeof("/scenarios") <= PATH_MAX) {
			memcpy(dirs[n], exe, (size_t)(slash - exe));
			memcpy(dirs[n] + (slash - exe), "/scenarios", sizeof("/scenarios"));
			if (cli_is_dir(dirs[n]))
				n++;
		}
	}
	return n;
}

/* The edit distance between a and b (insertions, deletions, substitutions), capped at 99. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[64];

	if (la >= 64 || lb >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/*
** "no scenario 'NAME'", where mdrill looked, and the nearest name there
** when one is close: a typo should cost one look, not a trip to 'list'.
*/
static int no_scenario(const char *arg, char dirs[][PATH_MAX], size_t n)
{
	struct strbuf where = STRBUF_INIT, near = STRBUF_INIT;
	char real[8][PATH_MAX];
	const char *shown[8];
	size_t i, best = 99, k;

	for (i = 0; i < n && i < 8; i++) {
		DIR *d;
		struct dirent *e;
		shown[i] = realpath(dirs[i], real[i]) ? real[i] : dirs[i];
		/* The same directory reached twice (./scenarios, beside the binary) is named once. */
		for (k = 0; k < i; k++)
			if (!strcmp(shown[k], shown[i]))
				break;
		if (k < i)
			continue;
		strbuf_addf(&where, "%s'%s'", where.len ? ", " : "", shown[i]);
		if (!(d = opendir(dirs[i])))
			continue;
		while ((e = readdir(d)) != NULL) {
			struct strbuf p = STRBUF_INIT;
			size_t dist;
			if (e->d_name[0] == '.')
				continue;
			strbuf_addf(&p, "%s/%s/scenario.drill", dirs[i], e->d_name);
			dist = cli_is_file(p.buf) ? edit_distance(arg, e->d_name) : 99;
			strbuf_release(&p);
			/* Close enough to be a typo: a third of the name, at least 2. */
			if (dist < best && dist <= (strlen(e->d_name) / 3 > 2 ? strlen(e->d_name) / 3 : 2)) {
				best = dist;
				strbuf_reset(&near);
				strbuf_addstr(&near, e->d_name);
			}
		}
		closedir(d);
	}
	if (near.len)
		cli_error(EXIT_USAGE, "no scenario '%s'; did you mean '%s'? (looked in %s)", arg, near.buf,
			  where.len ? where.buf : "no scenario directory");
	else
		cli_error(EXIT_USAGE, "no scenario '%s' (looked in %s; see 'mdrill list', or give a path to "
			  "a scenario directory or .drill file)", arg, where.len ? where.buf : "no scenario directory");
	strbuf_release(&where);
	strbuf_release(&near);
	return EXIT_USAGE;
}

/* Is arg a path (to a scenario directory or a .drill file) rather than a name? */
static int is_path(const char *arg)
{
	size_t len = strlen(arg);
	return strchr(arg, '/') || (len > 6 && !strcmp(arg + len - 6, ".drill"));
}

/* arg's .drill file into out; 0, or -1 when there is none. */
static int resolve(const char *arg, char dirs[][PATH_MAX], size_t n, struct strbuf *out)
{
	size_t i;

	strbuf_reset(out);
	if (is_path(arg)) {
		if (cli_is_dir(arg))
			strbuf_addf(out, "%s/scenario.drill", arg);
		else
			strbuf_addstr(out, arg);
		return cli_is_file(out->buf) ? 0 : -1;
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s/scenario.drill", dirs[i], arg);
		if (cli_is_file(out->buf))
			return 0;
	}
	return -1;
}

int cli_find_scenario(const char *arg, struct strbuf *out)
{
	char dirs[8][PATH_MAX];
	size_t n = cli_scenario_dirs(dirs, 8);

	if (!resolve(arg, dirs, n, out))
		return 0;
	if (is_path(arg))
		return cli_error(EXIT_USAGE, "no scenario file at '%s'", out->buf);
	return no_scenario(arg, dirs, n);
}

int cli_is_scenario(const char *arg)
{
	char dirs[8][PATH_MAX];
	struct strbuf p = STRBUF_INIT;
	int yes = !resolve(arg, dirs, cli_scenario_dirs(dirs, 8), &p);

	strbuf_release(&p);
	return yes;
}
