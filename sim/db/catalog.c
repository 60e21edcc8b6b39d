/*
** The catalogue's lifecycle and the helpers both drivers build it with:
** lists of names split on a separator the queries chose, keys kept once,
** foreign keys resolved to their parent's primary key when they name no
** column.
**
** SPDX-License-Identifier: MIT
*/
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include <ctype.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"

/* Split list on sep into a fresh array; its length in *n. */
static char **split(const char *list, char sep, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0;
	const char *s = list;

	*n = 0;
	if (!list || !*list)
		return NULL;
	for (;;) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);
		ALLOC_GROW(v, *n + 1, alloc);
		v[(*n)++] = xstrndup(s, len);
		if (!e)
			break;
		s = e + 1;
	}
	return v;
}

static void table_release(struct cat_table *t)
{
	size_t i;
	free(t->name);
	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type);
		free(t->cols[i].def);
		free(t->cols[i].written_by);
		sql_names_free(t->cols[i].labels, t->cols[i].nlabels);
	}
	free(t->cols);
	for (i = 0; i < t->nkeys; i++)
		sql_names_free(t->keys[i].cols, t->keys[i].ncols);
	free(t->keys);
	for (i = 0; i < t->nfkeys; i++) {
		sql_names_free(t->fkeys[i].cols, t->fkeys[i].ncols);
		sql_names_free(t->fkeys[i].refcols, t->fkeys[i].refcols ? t->fkeys[i].ncols : 0);
		free(t->fkeys[i].table);
	}
	free(t->fkeys);
	sql_names_free(t->checks, t->nchecks);
}

void catalog_release(struct db_catalog *cat)
{
	size_t i;
	for (i = 0; i < cat->nr; i++)
		table_release(&cat->v[i]);
	free(cat->v);
	memset(cat, 0, sizeof(*cat));
}

struct cat_table *catalog_table(const struct db_catalog *cat, const char *name)
{
	size_t i;
	for (i = 0; name && i < cat->nr; i++)
		if (!strcmp(cat->v[i].name, name))
			return &cat->v[i];
	return NULL;
}

int catalog_column(const struct cat_table *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return (int)i;
	return -1;
}

const struct cat_key *catalog_primary(const struct cat_table *t)
{
	return t->nkeys && t->keys[0].primary ? &t->keys[0] : NULL;
}

struct cat_table *catalog_add_table(struct db_catalog *cat, const char *name)
{
	struct cat_table *t;
	ALLOC_GROW(cat->v, cat->nr + 1, cat->alloc);
	t = &cat->v[cat->nr++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	return t;
}

struct cat_column *catalog_add_column(struct cat_table *t, const char *name, const char *type)
{
	struct cat_column *c;
	ALLOC_GROW(t->cols, t->ncols + 1, t->cols_alloc);
	c = &t->cols[t->ncols++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->type = xstrdup(type ? type : "");
	c->num = (int)t->ncols;
	return c;
}

static int same_cols(char **a, size_t na, char **b, size_t nb)
{
	size_t i;
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

void catalog_add_key(struct cat_table *t, const char *list, char sep, int primary)
{
	struct cat_key k;
	size_t i;

	k.cols = split(list, sep, &k.ncols);
	k.primary = primary;
	if (!k.ncols)
		return;
	for (i = 0; i < t->nkeys; i++)
		if (same_cols(t->keys[i].cols, t->keys[i].ncols, k.cols, k.ncols)) {
			t->keys[i].primary |= primary;
			sql_names_free(k.cols, k.ncols);
			return;
		}
	ALLOC_GROW(t->keys, t->nkeys + 1, t->keys_alloc);
	if (primary) {
		memmove(t->keys + 1, t->keys, t->nkeys * sizeof(*t->keys));
		t->keys[0] = k;
	} else {
		t->keys[t->nkeys] = k;
	}
	t->nkeys++;
}

void catalog_add_fkey(struct cat_table *t, const char *cols, const char *parent, const char *refcols, char sep,
		      char on_delete)
{
	struct cat_fkey *f;
	size_t nref = 0;

	ALLOC_GROW(t->fkeys, t->nfkeys + 1, t->fkeys_alloc);
	f = &t->fkeys[t->nfkeys++];
	memset(f, 0, sizeof(*f));
	f->cols = split(cols, sep, &f->ncols);
	f->table = xstrdup(parent);
	f->on_delete = on_delete;
	if (refcols && *refcols) {
		f->refcols = split(refcols, sep, &nref);
		if (nref != f->ncols) {
			sql_names_free(f->refcols, nref);
			f->refcols = NULL;
		}
	}
}

void catalog_add_check(struct cat_table *t, const char *expr)
{
	ALLOC_GROW(t->checks, t->nchecks + 1, t->checks_alloc);
	t->checks[t->nchecks++] = xstrdup(expr);
}

void catalog_set_labels(struct cat_column *col, const char *list, char sep)
{
	sql_names_free(col->labels, col->nlabels);
	col->labels = split(list, sep, &col->nlabels);
}

static int cmp_table(const void *a, const void *b)
{
	return strcmp(((const struct cat_table *)a)->name, ((const struct cat_table *)b)->name);
}

void catalog_finish(struct db_catalog *cat)
{
	size_t i, k, j;

	if (cat->nr)
		qsort(cat->v, cat->nr, sizeof(*cat->v), cmp_table);
	for (i = 0; i < cat->nr; i++)
		for (k = 0; k < cat->v[i].nfkeys; k++) {
			struct cat_fkey *f = &cat->v[i].fkeys[k];
			const struct cat_table *p = catalog_table(cat, f->table);
			const struct cat_key *pk = p ? catalog_primary(p) : NULL;
			if (f->refcols || !pk || pk->ncols != f->ncols)
				continue;
			f->refcols = xcalloc(f->ncols, sizeof(*f->refcols));
			for (j = 0; j < f->ncols; j++)
				f->refcols[j] = xstrdup(pk->cols[j]);
		}
}

/* The identifier at *s (plain, or quoted: its content), onto out; *s moves past it.  0 when none is there. */
static int take_ident(const char **s, struct strbuf *out)
{
	const char *p = *s;
	strbuf_reset(out);
	if (*p == '"') {
		for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
			if (*p == '"')
				p++;
			strbuf_addch(out, *p);
		}
		if (*p != '"')
			return 0;
		*s = p + 1;
		return out->len > 0;
	}
	while (isalnum((unsigned char)*p) || *p == '_')
		strbuf_addch(out, (char)tolower((unsigned char)*p++));
	*s = p;
	return out->len > 0;
}

/* Does the word w stand at s (what follows is no part of a name)? */
static int word_at(const char *s, const char *w)
{
	size_t n = strlen(w);
	return !strncasecmp(s, w, n) && !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* Does the text of body before end (white space aside) end with the word w? */
static int ends_with_word(const char *body, const char *end, const char *w)
{
	size_t n = strlen(w);
	while (end > body && isspace((unsigned char)end[-1]))
		end--;
	return (size_t)(end - body) >= n && !strncasecmp(end - n, w, n) &&
	       (end - n == body || !(isalnum((unsigned char)end[-n - 1]) || end[-n - 1] == '_'));
}

static void mark(struct cat_table *t, const char *col, const char *trigger)
{
	size_t i;
	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, col) || !strcasecmp(t->cols[i].name, col)) {
			if (!t->cols[i].written_by)
				t->cols[i].written_by = xstrdup(trigger);
			return;
		}
}

void catalog_note_trigger(struct db_catalog *cat, const char *table, const char *trigger, const char *body)
{
	struct cat_table *t = catalog_table(cat, table);
	struct strbuf id = STRBUF_INIT;
	const char *s;

	if (!t || !body)
		return;
	for (s = body; *s; s++) {
		const char *p;
		size_t j = sql_skip_quoted(s, 0);
		if (j && *s != '"') {
			s += j - 1;   /* a string or a comment */
			continue;
		}
		if (s > body && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'))
			continue;
		if (!strncasecmp(s, "new.", 4)) {
			/* PL/pgSQL: NEW.col := v, or NEW.col = v (an assignment, not a comparison: a statement starts there). */
			p = s + 4;
			if (!take_ident(&p, &id))
				continue;
			while (isspace((unsigned char)*p))
				p++;
			if ((p[0] == ':' && p[1] == '=') || (p[0] == '=' && p[1] != '=')) {
				const char *b = s;
				while (b > body && isspace((unsigned char)b[-1]))
					b--;
				if (p[0] == ':' || b == body || b[-1] == ';' || ends_with_word(body, s, "then") ||
				    ends_with_word(body, s, "begin") || ends_with_word(body, s, "else") ||
				    ends_with_word(body, s, "loop"))
					mark(t, id.buf, trigger);
			}
		} else if (word_at(s, "update")) {
			/* UPDATE table SET a = ..., b = ...: the trigger's own table. */
			p = s + 6;
			while (isspace((unsigned char)*p))
				p++;
			if (!take_ident(&p, &id) || strcasecmp(id.buf, table))
				continue;
			while (isspace((unsigned char)*p))
				p++;
			if (!word_at(p, "set"))
				continue;
			p += 3;
			for (;;) {
				while (isspace((unsigned char)*p))
					p++;
				if (!take_ident(&p, &id))
					break;
				mark(t, id.buf, trigger);
				/* On to the next assignment: past the value, at depth 0, to a ',' or the end. */
				{
					int depth = 0;
					while (*p) {
						size_t q = sql_skip_quoted(p, 0);
						if (q) {
							p += q;
							continue;
						}
						if (*p == '(')
							depth++;
						else if (*p == ')')
							depth--;
						else if (!depth && (*p == ',' || *p == ';' || word_at(p, "where") ||
								    word_at(p, "from") || word_at(p, "end")))
							break;
						p++;
					}
					if (*p != ',')
						break;
					p++;
				}
			}
		}
	}
	strbuf_release(&id);
}
