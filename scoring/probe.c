/*
** The probe runner, with the one rewrite it allows itself: reading a column
** that no longer exists as NULL.  That is what an application reading the
** final schema would get for the data the migration dropped.
**
** SPDX-License-Identifier: MIT
*/
#include "probe.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../sim/base/alloc.h"
#include "../sim/base/sqltext.h"

#define MAX_REWRITES 16

static int row_cb(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct probe_table *t = ctx;
	size_t i;

	if (!t->cols) {
		t->ncols = (size_t)ncol;
		t->cols = xcalloc((size_t)ncol, sizeof(*t->cols));
		for (i = 0; i < (size_t)ncol; i++)
			t->cols[i] = xstrdup(names[i]);
	}
	ALLOC_GROW(t->cells, (t->nrows + 1) * t->ncols, t->cells_alloc);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = i < (size_t)ncol ? xstrdup(vals[i]) : NULL;
	t->nrows++;
	return 0;
}

static int ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || (c & 0x80);
}

/* Does the word at sql[i] follow AS, so that it names an output column? */
static int after_as(const char *sql, size_t i)
{
	while (i > 0 && isspace((unsigned char)sql[i - 1]))
		i--;
	return i >= 2 && !strncasecmp(sql + i - 2, "as", 2) &&
	       (i == 2 || !ident_char((unsigned char)sql[i - 3]));
}

/* Append to nulled the output name of the select-list item at k (after the token). */
static void output_name(const char *k, const char *col, struct strbuf *nulled)
{
	const char *e;
	if (!strncasecmp(k, "as", 2) && !ident_char((unsigned char)k[2])) {
		k += 2;
		while (isspace((unsigned char)*k))
			k++;
	} else if (!isalpha((unsigned char)*k) || !strncasecmp(k, "from", 4)) {
		strbuf_addf(nulled, "%s ", col);
		return;
	}
	if (*k == '"')
		k++;
	for (e = k; ident_char((unsigned char)*e) && *e != '.'; e++)
		;
	strbuf_add(nulled, k, (size_t)(e - k));
	strbuf_addch(nulled, ' ');
}

/* "NULL AS col", col quoted where a bare name would fold to another (PostgreSQL folds to lower case). */
static void add_alias(struct strbuf *out, const char *col)
{
	const char *c;
	strbuf_addstr(out, "NULL AS ");
	for (c = col; *c && *c != '"' && !isupper((unsigned char)*c); c++)
		;
	if (*c && *col != '"')
		sql_add_quoted(out, col, '"');
	else
		strbuf_addstr(out, col);
}

/* The names s (n bytes: an identifier, or qualified ones) stands for, each part unquoted, onto out. */
static void names_of(const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t j = sql_skip_quoted(s, i);
		if (j != i && s[i] == '"') {
			char *q = xstrndup(s + i, j - i), *name = sql_ident_name(q);
			strbuf_addstr(out, name);
			free(q);
			free(name);
			i = j;
		} else {
			strbuf_addch(out, s[i++]);
		}
	}
}

/* Where the qualifier of the identifier at sql[i] starts ("t." or "\"T\"."), or i without one. */
static size_t qualifier(const char *sql, size_t i)
{
	size_t q;
	if (i < 2 || sql[i - 1] != '.')
		return i;
	q = i - 1;
	if (sql[q - 1] == '"') {
		for (q -= 2; q > 0 && sql[q] != '"'; q--)
			;
		return sql[q] == '"' ? q : i;
	}
	while (q > 0 && ident_char((unsigned char)sql[q - 1]) && sql[q - 1] != '.')
		q--;
	return q < i - 1 ? q : i;
}

int probe_null_column(const char *sql, const char *token, struct strbuf *out, struct strbuf *nulled)
{
	const char *col = strrchr(token, '.');
	size_t tl = strlen(token), i = 0, select_at = 0, from_at = 0;
	int depth = 0, replaced = 0;
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT;

	col = col ? col + 1 : token;
	/* Find the outermost select list: after the first SELECT, before its FROM. */
	while (sql[i]) {
		size_t j = sql_skip_quoted(sql, i);
		if (j != i) {
			i = j;
			continue;
		}
		if (sql[i] == '(')
			depth++;
		else if (sql[i] == ')')
			depth--;
		else if (depth == 0 && (i == 0 || !ident_char((unsigned char)sql[i - 1]))) {
			if (!select_at && !strncasecmp(sql + i, "select", 6) &&
			    !ident_char((unsigned char)sql[i + 6]))
				select_at = i + 6;
			else if (select_at && !from_at && !strncasecmp(sql + i, "from", 4) &&
				 !ident_char((unsigned char)sql[i + 4]))
				from_at = i;
		}
		i++;
	}
	if (!from_at)
		from_at = i;
	names_of(token, strlen(token), &want);
	for (i = 0; sql[i];) {
		size_t j = sql_skip_quoted(sql, i), len = 0;
		if (j != i && sql[i] == '"' && sql[j] != '.' && !after_as(sql, i)) {
			/* A quoted identifier, qualified or not: the column when it stands for the same names. */
			size_t from = qualifier(sql, i);
			strbuf_reset(&have);
			names_of(sql + from, j - from, &have);
			/* An unqualified name in the engine's message stands for the qualified one too. */
			if (from < i && !strchr(want.buf, '.') && strcmp(have.buf, want.buf)) {
				strbuf_reset(&have);
				names_of(sql + i, j - i, &have);
			}
			if (!strcmp(have.buf, want.buf)) {
				strbuf_setlen(out, out->len - (i - from));
				len = j - from;
				i = from;
			}
		}
		if (j != i && !len) {
			strbuf_add(out, sql + i, j - i);
			i = j;
			continue;
		}
		if (!len && (i == 0 || !ident_char((unsigned char)sql[i - 1])) &&
		    !strncasecmp(sql + i, token, tl) && !ident_char((unsigned char)sql[i + tl]) &&
		    !after_as(sql, i))
			len = tl;
		if (len) {
			const char *k = sql + i + len;
			while (isspace((unsigned char)*k))
				k++;
			/* An alias follows already: NULL alone keeps it. */
			if (i >= select_at && i < from_at && strncasecmp(k, "as", 2) &&
			    *k != '"' && !(isalpha((unsigned char)*k) && strncasecmp(k, "from", 4)))
				add_alias(out, col);
			else
				strbuf_addstr(out, "NULL");
			if (i >= select_at && i < from_at && nulled)
				output_name(k, col, nulled);
			i += len;
			replaced = 1;
			continue;
		}
		strbuf_addch(out, sql[i++]);
	}
	strbuf_release(&want);
	strbuf_release(&have);
	return replaced;
}

/* The column a "no such column" message names, in token (as written in SQL). */
static int missing_column(const char *msg, struct strbuf *token)
{
	const char *p;
	strbuf_reset(token);
	if ((p = strstr(msg, "no such column: ")) != NULL) {
		p += 16;
		while (*p && !isspace((unsigned char)*p))
			strbuf_addch(token, *p++);
	} else if ((p = strstr(msg, "column ")) != NULL && strstr(p, "does not exist")) {
		p += 7;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				strbuf_addch(token, *p);
		} else {
			while (*p && !isspace((unsigned char)*p))
				strbuf_addch(token, *p++);
		}
	}
	return token->len > 0;
}

static void table_clear_rows(struct probe_table *t)
{
	size_t i;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	t->cols = NULL;
	t->ncols = 0;
	t->nrows = 0;
}

static void probe_one(const struct probe *pr, const struct db_driver *drv, struct db_conn *c,
		      struct probe_table *t)
{
	const struct sql_variant *v = sql_section_pick(&pr->sql, db_dialect(drv));
	struct strbuf sql = STRBUF_INIT, next = STRBUF_INIT, err = STRBUF_INIT, tok = STRBUF_INIT,
		      nulled = STRBUF_INIT;
	int cls, tries;

	t->table = xstrdup(pr->table);
	if (!v) {
		t->error = xstrdup("the probe has no SQL for this engine");
		return;
	}
	strbuf_addstr(&sql, v->text);
	strbuf_rtrim(&sql);
	if (sql.len && sql.buf[sql.len - 1] == ';')
		strbuf_setlen(&sql, sql.len - 1);
	for (tries = 0; tries <= MAX_REWRITES; tries++) {
		table_clear_rows(t);
		if (!db_exec_try(drv, c, sql.buf, 0, NULL, row_cb, t, &cls, &err))
			break;
		strbuf_reset(&next);
		if (cls != DBE_MISSING || !missing_column(err.buf, &tok) ||
		    !probe_null_column(sql.buf, tok.buf, &next, &nulled) || tries == MAX_REWRITES) {
			table_clear_rows(t);
			t->error = xstrdup(err.buf);
			t->errclass = cls;
			break;
		}
		/* What now reads NULL are output fields, named as the probe names them. */
		{
			char *save = NULL, *w;
			for (w = strtok_r(nulled.buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
				t->missing = xrealloc(t->missing, (t->nmissing + 1) * sizeof(*t->missing));
				t->missing[t->nmissing++] = xstrdup(w);
			}
			strbuf_reset(&nulled);
		}
		strbuf_reset(&sql);
		strbuf_addstr(&sql, next.buf);
	}
	strbuf_release(&sql);
	strbuf_release(&next);
	strbuf_release(&err);
	strbuf_release(&tok);
	strbuf_release(&nulled);
}

int probe_run(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
	      const char *unreadable, struct probe_table **out, size_t *n)
{
	struct probe_table *t = xcalloc(sc->nprobes ? sc->nprobes : 1, sizeof(*t));
	size_t i;
	for (i = 0; i < sc->nprobes; i++) {
		if (c) {
			probe_one(&sc->probes[i], drv, c, &t[i]);
			continue;
		}
		t[i].table = xstrdup(sc->probes[i].table);
		t[i].error = xstrdup(unreadable ? unreadable : "the database could not be read");
	}
	*out = t;
	*n = sc->nprobes;
	return 0;
}

void probe_tables_free(struct probe_table *t, size_t n)
{
	size_t i, j;
	for (i = 0; i < n; i++) {
		table_clear_rows(&t[i]);
		free(t[i].cells);
		free(t[i].table);
		free(t[i].error);
		for (j = 0; j < t[i].nmissing; j++)
			free(t[i].missing[j]);
		free(t[i].missing);
	}
	free(t);
}

int probe_adopt(void *ctx, const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		struct ledger *l, struct strbuf *err)
{
	size_t i, r, k;
	(void)ctx;
	(void)err;

	for (i = 0; i < sc->nprobes; i++) {
		struct probe_table t;
		uint32_t table;
		memset(&t, 0, sizeof(t));
		probe_one(&sc->probes[i], drv, c, &t);
		/* A table a later migration makes, or one the probe cannot read yet: nothing to adopt. */
		if (!t.error && t.nrows) {
			table = ledger_intern(l, t.table);
			for (r = 0; r < t.nrows; r++) {
				const char *key = t.cells[r * t.ncols];
				uint32_t kid, nfacts = 0;
				if (!key)
					continue;
				kid = ledger_intern(l, key);
				for (k = 1; k < t.ncols; k++) {
					const char *v = t.cells[r * t.ncols + k];
					size_t m;
					int missing = 0;
					for (m = 0; m < t.nmissing; m++)
						missing |= sql_ident_is(t.cols[k], t.missing[m]);
					if (missing || scenario_untracked(sc, t.table, t.cols[k]))
						continue;
					ledger_fact_add(l, table, kid, ledger_intern(l, t.cols[k]),
							v ? ledger_intern(l, v) : LEDGER_NONE);
					nfacts++;
				}
				if (!nfacts)
					ledger_fact_add(l, table, kid, LEDGER_ROW, LEDGER_PRESENT);
			}
		}
		table_clear_rows(&t);
		free(t.cells);
		free(t.table);
		free(t.error);
		for (k = 0; k < t.nmissing; k++)
			free(t.missing[k]);
		free(t.missing);
	}
	return 0;
}
