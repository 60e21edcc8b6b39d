/*
** pgbench custom scripts as transactions: '-- @app VERSION pgbench=FILE'
** reads each FILE (the format of 'pgbench -f FILE') into a txdef, and the
** '\set' expressions of those scripts are evaluated here, each draw taken
** from the client's PRNG so that the same seed gives the same values.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_PGBENCH_H
#define MDRILL_PGBENCH_H

#include <stdint.h>

#include "../base/prng.h"
#include "txdef.h"
#include "../base/strbuf.h"

/** A value of a '\set' expression: pgbench's integers and doubles. */
struct pgbench_value {
	int is_double;
	int64_t i;
	double d;
};

/** What an evaluation reads: the draws, the client, earlier variables. */
struct pgbench_env {
	struct prng *rng;
	int64_t client_id;
	const struct pgbench_value *vars;   /* by index into the txdef's vars */
};

/**
 * What a script is read against, from the scenario's side: the value of
 * its parameter 'scale' (pgbench's -s; NULL for 1), and the parser of the
 * rest of a '-- @writes' or '-- @deletes' line into a fact of tx (returns
 * 0, or -1 with "FILE:LINE: what was expected" in err).
 */
struct pgbench_host {
	const char *scale;
	int (*fact)(struct txdef *tx, char *rest, int op, const char *path, int line,
		    struct strbuf *err);
};

/**
 * Read the pgbench script at path into tx, which the caller has zeroed:
 * its name (the file's base name without ".sql"), file, statements (BEGIN
 * and END absorbed), '\set' variables, '\sleep' points, the facts of its
 * '-- @writes' and '-- @deletes' lines (through host->fact), and autocommit
 * (one statement and no BEGIN).  Returns 0; -1 with "FILE:LINE: what was
 * expected" in err; or -2 when the file cannot be read or named, with a
 * message the caller places (it has no line of its own).  Whatever tx
 * holds after a failure is the caller's to free.
 */
int pgbench_load(const char *path, const struct pgbench_host *host, struct txdef *tx,
		 struct strbuf *err);

/**
 * Parse a '\set' expression of pgbench's language: integer and double
 * constants, ':name' (a variable of tx, else the built-ins scale, from
 * the text scale, or 1 when it is NULL, and client_id), + - * / % with the usual
 * precedence, unary minus, parentheses, and the functions random,
 * random_exponential, random_gaussian, random_zipfian, abs, least,
 * greatest, int and double.  A part that is the same on
 * every evaluation is evaluated once here, so '1/0' or 'random(5,1)' fail
 * now.  Returns 0 with *out (free with pgbench_expr_free), or -1 with the
 * reason in err (no location).
 */
int pgbench_expr_parse(const char *text, const char *scale, const struct txdef *tx,
		       struct pgbench_expr **out, struct strbuf *err);
/** Free e and its operands.  NULL is fine. */
void pgbench_expr_free(struct pgbench_expr *e);
/** Is e's value a double (pgbench's typing, known when parsed)? */
int pgbench_expr_is_double(const struct pgbench_expr *e);

/**
 * Evaluate e in env.  Returns 0 with *out, or -1 with the reason in err:
 * a division by zero, an integer overflow, an empty random range or a
 * distribution parameter out of pgbench's bounds.
 */
int pgbench_eval(const struct pgbench_expr *e, const struct pgbench_env *env,
		 struct pgbench_value *out, struct strbuf *err);

/** Append v the way pgbench puts a variable into SQL. */
void pgbench_value_format(const struct pgbench_value *v, struct strbuf *out);

#endif
