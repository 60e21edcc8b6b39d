/*
** A production database's statistics, read and only read: the rows of each
** table, and each column's share of NULLs and count of distinct values.
** scaffold makes its generators hold NULLs and repeat values as production
** does; try projects its lock findings to the tables' real sizes.  Only
** mdrill's own catalogue queries run there, in a read-only transaction:
** no scenario's or fix's SQL ever does.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_STATS_H
#define MDRILL_STATS_H

#include <stddef.h>

#include "../base/strbuf.h"
#include "db.h"

struct db_stats_table {
	char *name;
	double rows;         /* as the engine estimates them; <0: not known (never analysed) */
};

struct db_stats_column {
	char *table, *column;
	double null_frac;    /* share of NULLs, 0..1; <0: not known */
	double distinct;     /* distinct values: >0 a count, <0 minus a share of the rows (pg_stats), 0 not known */
};

struct db_stats {
	struct db_stats_table *t;
	size_t nt, t_alloc;
	struct db_stats_column *c;
	size_t nc, c_alloc;
};

/**
 * Read source's statistics into out (release with db_stats_release, also
 * after a failure): a PostgreSQL database (postgres://.../DBNAME, or
 * postgres: for the PG* variables) or a SQLite file.  Returns 0, or -1
 * with why in err.
 */
int db_stats_read(const char *source, const struct db_options *o, struct db_stats *out, struct strbuf *err);
void db_stats_release(struct db_stats *s);

void db_stats_add_table(struct db_stats *s, const char *name, double rows);
void db_stats_add_column(struct db_stats *s, const char *table, const char *column, double null_frac,
			 double distinct);

/** table's rows, or -1 when the statistics do not know them. */
double db_stats_rows(const struct db_stats *s, const char *table);
/** column's statistics, or NULL. */
const struct db_stats_column *db_stats_column(const struct db_stats *s, const char *table, const char *column);
/** column's distinct values as a count (a share made rows), or -1 when not known. */
double db_stats_distinct(const struct db_stats *s, const struct db_stats_column *c);

#endif
