/*
** An application's own statements, read from what PostgreSQL records of
** them: a pg_stat_statements export (CSV with a query and a calls column),
** a server log of statements, or a plain SQL file (with `-- calls=N`
** before a statement).  Each becomes a transaction of old code, weighted by
** its calls; what is not the application reading or writing its tables
** (the catalogue, SET, SHOW, transaction control, DDL) is set apart, with
** the reason, so that reports can list it.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_QUERIES_H
#define MDRILL_QUERIES_H

#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"

enum query_kind { QUERY_INSERT, QUERY_UPDATE, QUERY_DELETE, QUERY_SELECT, QUERY_OTHER };

struct app_query {
	/*
	** The statement, trimmed, without its final ';': as pg_stat_statements
	** keeps it ($1, $2 for constants); a log's literals are made $n the
	** same way, so that its calls add up.
	*/
	char *sql;
	uint64_t calls;
	int line;            /* where it first stands in the file */
	int kind;            /* enum query_kind */
	char *table;         /* the table it writes, or first reads; NULL for none */
	int nparams;         /* the highest $n (or the count of ?) it holds */
	char *left;          /* why it is no traffic, or NULL */
};

struct app_queries {
	struct app_query *v;
	size_t nr, alloc;
	const char *format;  /* "pg_stat_statements", "log" or "sql" */
};

/**
 * Read the statements of path into out (release with queries_release, also
 * after a failure), its format told by its content: a CSV whose header
 * names query and calls, a PostgreSQL log (lines with 'statement: ' or
 * 'execute NAME: '), else SQL.  The same statement twice is one, its calls
 * added.  Returns 0, or -1 with "PATH:LINE: ..." in err.
 */
int queries_read(const char *path, struct app_queries *out, struct strbuf *err);
void queries_release(struct app_queries *q);

/** How many of q are traffic (not left out), and their calls. */
size_t queries_traffic(const struct app_queries *q, uint64_t *calls);

/**
 * sql with its string and number constants made $1, $2, ... after
 * the highest placeholder it holds, as pg_stat_statements shows a
 * statement, onto out.  A number that is part of a name or a type's
 * modifier (varchar(20)) stays.
 */
void queries_normalise(const char *sql, struct strbuf *out);

#endif
