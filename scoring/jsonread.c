/*
** Reading JSON through SQLite's JSON functions: see jsonread.h.
**
** SPDX-License-Identifier: MIT
*/
#include "jsonread.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "../sim/base/alloc.h"

int jreader_open(struct jreader *r, struct strbuf *err)
{
	sqlite3 *h = NULL;

	r->h = NULL;
	if (sqlite3_open(":memory:", &h) != SQLITE_OK) {
		sqlite3_close(h);
		return strbuf_error(err, -1, "cannot open SQLite to read JSON");
	}
	r->h = h;
	if (!jreader_valid(r, "[1]")) {
		jreader_close(r);
		return strbuf_error(err, -1, "this SQLite has no JSON functions");
	}
	return 0;
}

void jreader_close(struct jreader *r)
{
	sqlite3_close(r->h);
	r->h = NULL;
}

/* The one value of sql over json and path, as text to free, or NULL. */
static char *one(struct jreader *r, const char *sql, const char *json, const char *path)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(r->h, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (path)
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int jreader_valid(struct jreader *r, const char *json)
{
	char *v = one(r, "SELECT json_valid(?1)", json, NULL);
	int ok = v && v[0] == '1';
	free(v);
	return ok;
}

char *jreader_text(struct jreader *r, const char *json, const char *path)
{
	return one(r, "SELECT json_extract(?1, ?2)", json, path);
}

double jreader_num(struct jreader *r, const char *json, const char *path, double def)
{
	char *t = jreader_text(r, json, path);
	double v = t ? strtod(t, NULL) : def;
	free(t);
	return v;
}

uint64_t jreader_u64(struct jreader *r, const char *json, const char *path, uint64_t def)
{
	char *t = jreader_text(r, json, path);
	uint64_t v = t ? strtoull(t, NULL, 10) : def;
	free(t);
	return v;
}

int jreader_each(struct jreader *r, const char *json, const char *path,
		 int (*fn)(struct jreader *r, const char *elem, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(r->h, "SELECT json_quote(value) FROM json_each(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	while (!rc && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(r, (const char *)sqlite3_column_text(st, 0), ctx);
	sqlite3_finalize(st);
	return rc;
}
