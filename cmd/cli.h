/*
** The command line's shared parts.  Each command is a file of cmd/ with a
** const struct cli_command: its name, synopsis and table of options, which
** the parser, '--help', 'mdrill help' and the README's command reference
** all read, so they cannot disagree.  Only the command line prints to the
** user and picks exit statuses.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_CLI_H
#define MDRILL_CLI_H

#include <limits.h>
#include <signal.h>
#include <stdint.h>

#include "../sim/base/strbuf.h"

#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2     /* bad input or usage */
#define EXIT_ENGINE 3    /* the drill could not run */
#define EXIT_UNJUDGED 4  /* try: nothing failed, but the migration changes a table the drill left out */
#define EXIT_INTR 130

/* Option flags. */
#define CLI_OPTIONAL (1u << 0)   /* the value may be left out: '--down' or '--down=FILE' */
#define CLI_REPEAT   (1u << 1)   /* may be given more than once */

struct cli_option {
	int id;              /* the command's own number for it */
	const char *name;    /* "--fix" */
	const char *arg;     /* "FILE"; NULL for a switch */
	unsigned flags;      /* CLI_* */
	const char *help;    /* what it does, for --help and the README */
};

struct cli_command {
	const char *name;                   /* "drill"; a subcommand's is "drill apply" */
	const char *synopsis;               /* what follows "mdrill NAME " */
	const char *summary;                /* one line, for 'mdrill help' */
	const struct cli_option *options;   /* ends with a NULL name; NULL for none */
	int (*run)(int argc, char **argv);  /* argv[0] is the command's name */
	/*
	** Optional: commands of its own, each with its table ('mdrill drill
	** apply'), which --help, the README and the manual list after it;
	** NULL-terminated.
	*/
	const struct cli_command *const *subcommands;
	/* Optional: an example, lines of shell, printed as they are after the options. */
	const char *example;
};

/* The commands, in the order 'mdrill help' lists them (main.c). */
extern const struct cli_command *const cli_commands[];

/** The program as it was invoked (argv[0]: "./mdrill", "mdrill"), for commands to show. */
extern const char *cli_program;

/** The command called name, or NULL. */
const struct cli_command *cli_command_find(const char *name);
/** cmd's subcommand whose name ends with word ("apply" of "drill apply"), or NULL. */
const struct cli_command *cli_subcommand_find(const struct cli_command *cmd, const char *word);

/** Set by SIGINT and SIGTERM once cli_catch_signals ran: drills stop soon. */
extern volatile sig_atomic_t cli_stop;
void cli_catch_signals(void);

/** "mdrill: " and the message on stderr; returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Each line of lines as "mdrill: LABEL: LINE" on stderr ("note", "warning"); empty lines are skipped. */
void cli_print_lines(const char *label, const char *lines);

/** cli_error with the command's usage line after the message: EXIT_USAGE. */
int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
** Called by cli_parse for each option given (opt, with its value in val,
** NULL for a switch or an optional value not given with '=') and for each
** operand (opt NULL, the operand in val).  next is the argument after it,
** or NULL: an optional value may take it by returning CLI_TOOK_NEXT.
** Returns 0, CLI_TOOK_NEXT, or an exit status after saying why.
*/
typedef int (*cli_take_fn)(void *ctx, const struct cli_option *opt, const char *val, const char *next);
#define CLI_TOOK_NEXT -1

/** Returned by cli_parse after printing the command's help for --help or -h. */
#define CLI_HELPED -2

/**
 * Walk argv (argv[0] the command's name) against cmd's options: '--name
 * VALUE', '--name=VALUE', switches, operands.  Returns 0, CLI_HELPED, or
 * an exit status after saying why (an unknown option, a missing value, an
 * option with a value given twice without CLI_REPEAT).
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, cli_take_fn take, void *ctx);

/**
 * text onto out, its words wrapped at width columns, each new line
 * indented by indent; col is where the text starts on the current line.
 * Ends with a newline.
 */
void cli_add_wrapped(struct strbuf *out, const char *text, size_t col, size_t indent, size_t width);

/** "LEADmdrill NAME SYNOPSIS", wrapped at 78 columns between its [groups], onto out. */
void cli_add_synopsis(struct strbuf *out, const char *lead, const struct cli_command *cmd);

/** The command's help: usage, summary, and each option with what it does. */
void cli_help(const struct cli_command *cmd, struct strbuf *out);

/** Print out on stdout and flush it. */
void cli_print(const struct strbuf *out);

/** REPORT_COLOR when stdout is a terminal and NO_COLOR is unset. */
unsigned cli_color(void);

/** Write data to path; 0, or EXIT_ENGINE after saying why. */
int cli_write_file(const char *path, const struct strbuf *data);
/**
 * The same through a temporary name renamed over path, so that a reader
 * (a browser reloading the page) never sees half of it.
 */
int cli_write_file_atomically(const char *path, const struct strbuf *data);

struct db_driver;
/**
 * The drivers of --engines list (comma-separated engine names; NULL for
 * the default engine alone) into drvs, at most max, their number in *n;
 * each engine that needs a server must be named by db (--db).  Returns 0,
 * or EXIT_USAGE after saying why.
 */
int cli_engines(const char *list, const char *db, const struct db_driver **drvs, size_t *n, size_t max);

/** Make the directory path and its parents, as mkdir -p; 0, or EXIT_ENGINE after saying why. */
int cli_mkdirs(const char *path);

/** Parse "K/N" (1 <= K <= N <= 10000) into *k and *n; -1 when s is not one. */
int cli_parse_shard(const char *s, uint64_t *k, uint64_t *n);

/** Parse a whole number (no sign) into *out; -1 when s is not one. */
int cli_parse_u64(const char *s, uint64_t *out);
/** The digits s starts with into *v, and where they end into *end: -1 for none, or too many. */
int cli_parse_leading(const char *s, uint64_t *v, const char **end);

/**
 * Parse a size in bytes: a whole number, optionally followed by K, M, G or
 * T (powers of 1024; "KiB", "MB" and the like are read the same), into
 * *out; -1 when s is not one.
 */
int cli_parse_size(const char *s, uint64_t *out);

/**
 * What every command shares before it starts: the file size limit from
 * MDRILL_MAX_FILE_SIZE.  Returns 0, or EXIT_USAGE after saying why.
 */
int cli_init(void);

/* Scenarios */

/** The directories scenarios are looked up in, in order: $MDRILL_SCENARIOS, ./scenarios, beside the binary. */
size_t cli_scenario_dirs(char dirs[][PATH_MAX], size_t max);

/**
 * Resolve SCENARIO (a name or a path) to its .drill file in out; 0, or
 * EXIT_USAGE after saying why: where it looked, and for a name, the
 * nearest scenario's when one is close.
 */
int cli_find_scenario(const char *arg, struct strbuf *out);

/** Does arg name a scenario (quietly: for telling scenarios from other operands)? */
int cli_is_scenario(const char *arg);

int cli_is_file(const char *p);
int cli_is_dir(const char *p);

/** qsort comparator for an array of strings. */
int cli_cmp_str(const void *a, const void *b);

#endif
