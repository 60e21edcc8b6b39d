/*
** Reading JSON that mdrill wrote (a live drill's record, the shards'
** results): the text goes into SQLite's JSON functions (json_extract,
** json_each) on an in-memory database.  A number's or string's text comes
** back as written; an object or array as compact JSON.  No JSON library
** beyond the one SQLite already is.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_JSONREAD_H
#define MDRILL_JSONREAD_H

#include <stdint.h>

#include "../sim/base/strbuf.h"

struct jreader {
	void *h;    /* the in-memory sqlite3 */
};

/** Open r.  0, or -1 with err (SQLite cannot open, or has no JSON functions). */
int jreader_open(struct jreader *r, struct strbuf *err);
void jreader_close(struct jreader *r);

/** Is json valid JSON? */
int jreader_valid(struct jreader *r, const char *json);

/**
 * The value at path ("$.a.b", "$[0]") in json, as text to free (an object
 * or array as compact JSON); NULL for JSON null or nothing.
 */
char *jreader_text(struct jreader *r, const char *json, const char *path);

/** The number at path, or def. */
double jreader_num(struct jreader *r, const char *json, const char *path, double def);

/** The whole number at path, every bit of it (a seed), or def. */
uint64_t jreader_u64(struct jreader *r, const char *json, const char *path, uint64_t def);

/** Each element of the array at path, as JSON text, to fn; the first non-zero fn returns stops it. */
int jreader_each(struct jreader *r, const char *json, const char *path,
		 int (*fn)(struct jreader *r, const char *elem, void *ctx), void *ctx);

#endif
