/*
** A transaction as the scenario parser and the pgbench script reader both
** build it: its value generators, statements, the facts its '@writes' and
** '@deletes' lines declare, and the '\sleep' points of a pgbench script.
** Types only, so that the two readers share them without needing each other.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_TXDEF_H
#define MDRILL_TXDEF_H

#include <stddef.h>
#include <stdint.h>

enum gen_kind {
	GEN_SEQ,
	GEN_INT,       /* int(a,b) and random(a,b) */
	GEN_NAME,
	GEN_EMAIL,
	GEN_PHONE,
	GEN_TEXT,
	GEN_PICK,
	GEN_DATE,
	GEN_NEXTID,    /* tx only: a fresh key of a table */
	GEN_EXISTING,  /* tx only: a live key of a table */
	GEN_NULL,
	GEN_EXPR,      /* a pgbench script's '\set': an expression (see pgbench.h) */
	GEN_STR,       /* tx only: concat, lower, upper, substr, replace, lpad (see strexpr.h) */
	GEN_TIME,      /* timestamp, timestamptz, time: a = enum gen_time */
	GEN_DECIMAL,   /* decimal(a,b,s): a number from a to b with s decimals */
	GEN_CHARS,     /* chars(n): exactly n letters */
	GEN_UUID,
	GEN_JSON,
	GEN_RETURNED,  /* tx only: '-- @returning VAR': a value the statement above returned */
};

enum gen_time { GEN_TIMESTAMP, GEN_TIMESTAMPTZ, GEN_TIME_OF_DAY };

struct pgbench_expr;
struct strexpr;

/** A value generator, as written after '@gen T.C' or '\set var'. */
struct gen {
	int kind;
	int64_t a, b;        /* int bounds; text and name maximum length in a */
	int64_t scale;       /* decimal: digits after the point */
	int plain;           /* name, email, phone, text: no awkward values (a CHECK forbids them) */
	char *tmpl;          /* seq and int: the value's text, the number at its run of '#' */
	char **choices;      /* pick(...) */
	size_t nchoices;
	char *table;         /* nextid(T), existing(T) */
	struct pgbench_expr *expr;   /* GEN_EXPR */
	struct strexpr *sexpr;       /* GEN_STR */
	double nulls;        /* ' nulls=R': this share of its values is NULL (a nullable column's) */
};

struct setvar {
	char *name;
	struct gen gen;
	int line;
};

/** A statement of a transaction: its SQL and the :vars it binds, in order. */
/* What '-- @rows' after a statement demands of the rows it changed. */
enum rows_rule { ROWS_ANY, ROWS_EXACTLY, ROWS_AT_LEAST };

struct tx_stmt {
	char *sql;           /* with :vars still in it */
	int line;
	int rows_rule;       /* enum rows_rule */
	int64_t rows;        /* '-- @rows N' or '-- @rows >=N' */
	/*
	** '-- @returning VAR...' after it: the '\set' variables (indexes into
	** the tx's vars, GEN_RETURNED) its first returned row's columns go
	** into, in order (an INSERT ... RETURNING id where the key is the
	** database's to give).
	*/
	int *returns;
	size_t nreturns;
};

/** A field of a '@writes' line: FIELD=:var, FIELD='literal' or FIELD=NULL. */
struct fact_field {
	char *field;
	char *var;           /* set when the value is a variable */
	char *literal;       /* set when it is a literal; both NULL means NULL */
};

enum fact_op { FACT_OP_WRITE, FACT_OP_DELETE };

struct fact_tmpl {
	int op;
	char *table;
	char *key_var;       /* key=:var, or a literal in key_literal */
	char *key_literal;
	struct fact_field *fields;
	size_t nfields, alloc;
	int line;
};

/* Where a pgbench script's '\sleep' idles, besides before statement k. */
enum { TX_SLEEP_BEFORE_BEGIN = -1, TX_SLEEP_AFTER_COMMIT = -2 };

/*
** A '\sleep' of a pgbench script: idle ticks (one per millisecond) at a
** point of the transaction.  Inside it, before statement k (k = nstmts:
** before COMMIT), the client sits on what it holds.
*/
struct tx_sleep {
	int at;              /* statement index, or TX_SLEEP_* */
	int64_t n;           /* the amount, when var < 0 */
	int var;             /* else the '\set' variable holding it */
	int64_t unit_us;     /* microseconds per unit: 1, 1000 or 1000000 */
	int line;
};

struct txdef {
	char *name;
	char *file;          /* the pgbench script it was read from, or NULL */
	unsigned weight;
	int autocommit;      /* one statement, no BEGIN or COMMIT around it */
	int readonly;        /* a reader: takes no write lock (deferred BEGIN, READ ONLY) */
	int flag;            /* index of the feature flag gating it, or -1 */
	int flag_negated;    /* '@flag !NAME': runs only while the flag is off */
	struct setvar *vars;
	size_t nvars, vars_alloc;
	struct tx_stmt *stmts;
	size_t nstmts, stmts_alloc;
	struct fact_tmpl *facts;
	size_t nfacts, facts_alloc;
	struct tx_sleep *sleeps;
	size_t nsleeps, sleeps_alloc;
	int line;
};

#endif
