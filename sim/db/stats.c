/*
** A production database's statistics: the driver that reads them is
** picked by the source's form, and lookups go by name, exact first, then
** regardless of case (an unquoted name folds differently on each engine).
**
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "stats.h"

int db_stats_read(const char *source, const struct db_options *o, struct db_stats *out, struct strbuf *err)
{
	const struct db_driver *drv = db_driver_for(source);

	memset(out, 0, sizeof(*out));
	/* A target no driver takes is a file: SQLite's, the one engine that is a file. */
	if (!drv || !strcmp(source, "sqlite") || !strcmp(source, "sqlite:"))
		drv = db_driver_find(DIALECT_SQLITE);
	if (!strncmp(source, "sqlite:", 7) && source[7])
		source += 7;
	if (!drv || !drv->stats) {
		strbuf_error(err, -1, "cannot read statistics from '%s': its engine has no statistics mdrill reads",
			     source);
		return -1;
	}
	return drv->stats(source, o, out, err);
}

void db_stats_release(struct db_stats *s)
{
	size_t i;
	for (i = 0; i < s->nt; i++)
		free(s->t[i].name);
	for (i = 0; i < s->nc; i++) {
		free(s->c[i].table);
		free(s->c[i].column);
	}
	free(s->t);
	free(s->c);
	memset(s, 0, sizeof(*s));
}

void db_stats_add_table(struct db_stats *s, const char *name, double rows)
{
	ALLOC_GROW(s->t, s->nt + 1, s->t_alloc);
	s->t[s->nt].name = xstrdup(name);
	s->t[s->nt].rows = rows;
	s->nt++;
}

void db_stats_add_column(struct db_stats *s, const char *table, const char *column, double null_frac,
			 double distinct)
{
	ALLOC_GROW(s->c, s->nc + 1, s->c_alloc);
	s->c[s->nc].table = xstrdup(table);
	s->c[s->nc].column = xstrdup(column);
	s->c[s->nc].null_frac = null_frac;
	s->c[s->nc].distinct = distinct;
	s->nc++;
}

static const struct db_stats_table *find_table(const struct db_stats *s, const char *table)
{
	size_t i;
	for (i = 0; i < s->nt; i++)
		if (!strcmp(s->t[i].name, table))
			return &s->t[i];
	for (i = 0; i < s->nt; i++)
		if (!strcasecmp(s->t[i].name, table))
			return &s->t[i];
	return NULL;
}

double db_stats_rows(const struct db_stats *s, const char *table)
{
	const struct db_stats_table *t = s ? find_table(s, table) : NULL;
	return t && t->rows >= 0 ? t->rows : -1;
}

const struct db_stats_column *db_stats_column(const struct db_stats *s, const char *table, const char *column)
{
	size_t i;
	if (!s)
		return NULL;
	for (i = 0; i < s->nc; i++)
		if (!strcmp(s->c[i].table, table) && !strcmp(s->c[i].column, column))
			return &s->c[i];
	for (i = 0; i < s->nc; i++)
		if (!strcasecmp(s->c[i].table, table) && !strcasecmp(s->c[i].column, column))
			return &s->c[i];
	return NULL;
}

double db_stats_distinct(const struct db_stats *s, const struct db_stats_column *c)
{
	double rows;
	if (!c || c->distinct == 0)
		return -1;
	if (c->distinct > 0)
		return c->distinct;
	rows = db_stats_rows(s, c->table);
	return rows >= 0 ? -c->distinct * rows : -1;
}
