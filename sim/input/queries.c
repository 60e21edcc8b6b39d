/*
** Reading an application's statements: three formats into one list,
** each statement classified (what it does, to which table) and the ones
** that are no application traffic set apart with the reason.
**
** SPDX-License-Identifier: MIT
*/
#include "queries.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"

/* ------------------------------------------------------------------ */
/* Words of a statement                                               */
/* ------------------------------------------------------------------ */

static int ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/*
** The next word of sql from *at: an identifier or keyword (a quoted one
** unquoted, *quoted set), or one character of punctuation; comments and
** string literals skipped.  0 at the end.
*/
static int next_word(const char *sql, size_t *at, struct strbuf *w, int *quoted)
{
	size_t i = *at, j;

	strbuf_reset(w);
	*quoted = 0;
	for (;;) {
		while (sql[i] && isspace((unsigned char)sql[i]))
			i++;
		if (!sql[i])
			return 0;
		if (sql[i] == '"') {
			j = sql_skip_quoted(sql, i);
			{
				char *name, *raw = xstrndup(sql + i, j - i);
				name = sql_ident_name(raw);
				strbuf_addstr(w, name);
				free(name);
				free(raw);
			}
			*quoted = 1;
			*at = j;
			return 1;
		}
		j = sql_skip_quoted(sql, i);
		if (j == i)
			break;
		i = j;   /* a comment or a literal: no word */
	}
	if (ident_char((unsigned char)sql[i])) {
		for (j = i; sql[j] && ident_char((unsigned char)sql[j]); j++)
			;
	} else {
		j = i + 1;
	}
	strbuf_add(w, sql + i, j - i);
	*at = j;
	return 1;
}

/* The table named at *at (schema.table: the table), onto out; 0 when none is. */
static int read_table(const char *sql, size_t *at, struct strbuf *out)
{
	struct strbuf w = STRBUF_INIT;
	int quoted, found = 0;
	size_t save;

	while (next_word(sql, at, &w, &quoted)) {
		if (!quoted && (!strcasecmp(w.buf, "only") || !strcasecmp(w.buf, "lateral")))
			continue;
		if (!quoted && !ident_char((unsigned char)w.buf[0]))
			break;
		strbuf_reset(out);
		strbuf_add(out, w.buf, w.len);
		found = 1;
		save = *at;
		if (next_word(sql, at, &w, &quoted) && !quoted && !strcmp(w.buf, ".") &&
		    next_word(sql, at, &w, &quoted)) {
			strbuf_reset(out);
			strbuf_add(out, w.buf, w.len);
		} else {
			*at = save;
		}
		break;
	}
	strbuf_release(&w);
	return found;
}

/* Words that say a statement is none of the application's reading or writing, and why. */
static const struct { const char *word, *why; } not_traffic[] = {
	{ "begin", "transaction control" }, { "start", "transaction control" },
	{ "commit", "transaction control" }, { "end", "transaction control" },
	{ "rollback", "transaction control" }, { "abort", "transaction control" },
	{ "savepoint", "transaction control" }, { "release", "transaction control" },
	{ "prepare", "transaction control" },
	{ "set", "session state" }, { "show", "session state" }, { "reset", "session state" },
	{ "discard", "session state" }, { "deallocate", "session state" }, { "listen", "session state" },
	{ "unlisten", "session state" }, { "notify", "a notification, no table" },
	{ "create", "a schema change: a migration's, not traffic" },
	{ "alter", "a schema change: a migration's, not traffic" },
	{ "drop", "a schema change: a migration's, not traffic" },
	{ "truncate", "a schema change: a migration's, not traffic" },
	{ "comment", "a schema change: a migration's, not traffic" },
	{ "grant", "a schema change: a migration's, not traffic" },
	{ "revoke", "a schema change: a migration's, not traffic" },
	{ "vacuum", "maintenance: an operator's, not traffic" },
	{ "analyze", "maintenance: an operator's, not traffic" },
	{ "reindex", "maintenance: an operator's, not traffic" },
	{ "cluster", "maintenance: an operator's, not traffic" },
	{ "refresh", "maintenance: an operator's, not traffic" },
	{ "checkpoint", "maintenance: an operator's, not traffic" },
	{ "copy", "COPY: bulk data, not drilled as traffic" },
	{ "explain", "EXPLAIN: it reads no data" },
	{ "merge", "MERGE: not drilled as traffic yet" },
	{ "call", "CALL: a procedure's statements are not known" },
	{ "do", "DO: an anonymous block's statements are not known" },
	{ "lock", "an explicit LOCK: not drilled as traffic" },
};

/* Classify q: its kind, its table, its parameters, or why it is no traffic. */
static void classify(struct app_query *q)
{
	struct strbuf w = STRBUF_INIT, table = STRBUF_INIT;
	size_t at = 0, k;
	int quoted, depth = 0, kind = -1, with = 0;
	const char *s;

	/* Its placeholders: the highest $n, else the ?s. */
	for (s = q->sql; *s; s++) {
		size_t j = sql_skip_quoted(q->sql, (size_t)(s - q->sql));
		if (j != (size_t)(s - q->sql)) {
			s = q->sql + j - 1;
			continue;
		}
		if (*s == '$' && isdigit((unsigned char)s[1]) && (s == q->sql || !ident_char((unsigned char)s[-1]))) {
			int n = atoi(s + 1);
			if (n > q->nparams)
				q->nparams = n;
		} else if (*s == '?') {
			q->nparams++;
		}
	}
	if (strstr(q->sql, "<insufficient privilege>")) {
		q->left = xstrdup("hidden by pg_stat_statements (<insufficient privilege>: export it as a role with "
				  "pg_read_all_stats)");
		goto out;
	}
	/* The server's catalogue and functions (pg_*, information_schema) are none of the application's tables. */
	while (next_word(q->sql, &at, &w, &quoted))
		if (!quoted && (!strncasecmp(w.buf, "pg_", 3) || !strcasecmp(w.buf, "information_schema"))) {
			q->left = xstrdup("reads the server's catalogue or functions, not the application's tables");
			goto out;
		}
	at = 0;
	while (next_word(q->sql, &at, &w, &quoted) && !quoted && !strcmp(w.buf, "("))
		;
	for (k = 0; !quoted && k < sizeof(not_traffic) / sizeof(not_traffic[0]); k++)
		if (!strcasecmp(w.buf, not_traffic[k].word)) {
			q->left = xstrdup(not_traffic[k].why);
			goto out;
		}
	/* The statement's own verb: after a WITH's definitions, the first at the outer level. */
	with = !quoted && !strcasecmp(w.buf, "with");
	do {
		if (quoted)
			continue;
		if (!strcmp(w.buf, "("))
			depth++;
		else if (!strcmp(w.buf, ")"))
			depth--;
		else if (!depth && !strcasecmp(w.buf, "insert"))
			kind = QUERY_INSERT;
		else if (!depth && !strcasecmp(w.buf, "update"))
			kind = QUERY_UPDATE;
		else if (!depth && !strcasecmp(w.buf, "delete"))
			kind = QUERY_DELETE;
		else if (!depth && !strcasecmp(w.buf, "select"))
			kind = QUERY_SELECT;
	} while (kind < 0 && next_word(q->sql, &at, &w, &quoted));
	if (kind < 0) {
		q->left = xstrdup("not a statement that reads or writes a table");
		goto out;
	}
	q->kind = kind;
	if (kind == QUERY_INSERT || kind == QUERY_DELETE) {
		/* INSERT INTO t, DELETE FROM t. */
		if (next_word(q->sql, &at, &w, &quoted) && read_table(q->sql, &at, &table))
			q->table = strbuf_detach(&table);
	} else if (kind == QUERY_UPDATE) {
		if (read_table(q->sql, &at, &table))
			q->table = strbuf_detach(&table);
	} else {
		/* SELECT ... FROM t: the first table at the outer level. */
		while (next_word(q->sql, &at, &w, &quoted)) {
			if (quoted)
				continue;
			if (!strcmp(w.buf, "("))
				depth++;
			else if (!strcmp(w.buf, ")"))
				depth--;
			else if (!depth && !strcasecmp(w.buf, "from")) {
				if (read_table(q->sql, &at, &table))
					q->table = strbuf_detach(&table);
				break;
			}
		}
		if (!q->table && !with)
			q->left = xstrdup("reads no table");
	}
out:
	strbuf_release(&w);
	strbuf_release(&table);
}

/* ------------------------------------------------------------------ */
/* Constants as placeholders                                          */
/* ------------------------------------------------------------------ */

/* Type names whose modifier in parentheses is no constant of the statement's. */
static int type_with_modifier(const char *w, size_t len)
{
	static const char *const types[] = { "varchar", "char", "character", "varying", "numeric", "decimal", "bit",
					     "varbit", "time", "timestamp", "timestamptz", "interval", "float" };
	size_t i;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i]) == len && !strncasecmp(w, types[i], len))
			return 1;
	return 0;
}

void queries_normalise(const char *sql, struct strbuf *out)
{
	size_t i = 0, j, word = 0, wordlen = 0;
	int next = 0, keep_depth = 0;
	const char *s;

	/* Numbering goes on after the placeholders the statement holds. */
	for (s = sql; *s; s++)
		if (*s == '$' && isdigit((unsigned char)s[1]) && atoi(s + 1) > next)
			next = atoi(s + 1);
	while (sql[i]) {
		unsigned char c = (unsigned char)sql[i];
		if ((c == 'E' || c == 'e') && sql[i + 1] == '\'' && (!i || !ident_char((unsigned char)sql[i - 1]))) {
			/* An escape string: a backslash escapes the quote after it. */
			for (j = i + 2; sql[j] && !(sql[j] == '\'' && sql[j + 1] != '\''); j += 1 + (sql[j] == '\\' || sql[j] == '\''))
				if (sql[j] == '\\' && !sql[j + 1])
					break;
			strbuf_addf(out, "$%d", ++next);
			i = sql[j] ? j + 1 : j;
			wordlen = 0;
			continue;
		}
		if (c == '\'') {
			j = sql_skip_quoted(sql, i);
			strbuf_addf(out, "$%d", ++next);
			i = j;
			wordlen = 0;
			continue;
		}
		if ((j = sql_skip_quoted(sql, i)) != i) {
			strbuf_add(out, sql + i, j - i);
			i = j;
			wordlen = 0;
			continue;
		}
		if (ident_char(c) && !isdigit(c)) {
			for (word = i; sql[i] && ident_char((unsigned char)sql[i]); i++)
				;
			wordlen = i - word;
			strbuf_add(out, sql + word, wordlen);
			continue;
		}
		if (isdigit(c) && (!i || !ident_char((unsigned char)sql[i - 1]) || sql[i - 1] == '$')) {
			for (j = i; isdigit((unsigned char)sql[j]) || sql[j] == '.' ||
				    ((sql[j] == 'e' || sql[j] == 'E') && isdigit((unsigned char)sql[j + 1])); j++)
				;
			if (keep_depth || (i && sql[i - 1] == '$'))
				strbuf_add(out, sql + i, j - i);
			else
				strbuf_addf(out, "$%d", ++next);
			i = j;
			wordlen = 0;
			continue;
		}
		if (c == '(') {
			if (keep_depth)
				keep_depth++;
			else if (wordlen && type_with_modifier(sql + word, wordlen))
				keep_depth = 1;
		} else if (c == ')' && keep_depth) {
			keep_depth--;
		}
		if (!isspace(c))
			wordlen = 0;
		strbuf_addch(out, (char)c);
		i++;
	}
}

/* ------------------------------------------------------------------ */
/* The list                                                           */
/* ------------------------------------------------------------------ */

/* Add sql (calls of it, first at line) to q: the same statement again adds its calls. */
static void add_query(struct app_queries *q, const char *sql, size_t len, uint64_t calls, int line)
{
	struct strbuf t = STRBUF_INIT;
	struct app_query *a;
	size_t i;

	while (len && isspace((unsigned char)*sql)) {
		sql++;
		len--;
	}
	strbuf_add(&t, sql, len);
	strbuf_rtrim(&t);
	while (t.len && t.buf[t.len - 1] == ';') {
		strbuf_setlen(&t, t.len - 1);
		strbuf_rtrim(&t);
	}
	if (!t.len) {
		strbuf_release(&t);
		return;
	}
	for (i = 0; i < q->nr; i++)
		if (!strcmp(q->v[i].sql, t.buf)) {
			q->v[i].calls += calls;
			strbuf_release(&t);
			return;
		}
	ALLOC_GROW(q->v, q->nr + 1, q->alloc);
	a = &q->v[q->nr++];
	memset(a, 0, sizeof(*a));
	a->sql = strbuf_detach(&t);
	a->calls = calls;
	a->line = line;
	classify(a);
}

void queries_release(struct app_queries *q)
{
	size_t i;
	for (i = 0; i < q->nr; i++) {
		free(q->v[i].sql);
		free(q->v[i].table);
		free(q->v[i].left);
	}
	free(q->v);
	memset(q, 0, sizeof(*q));
}

size_t queries_traffic(const struct app_queries *q, uint64_t *calls)
{
	size_t i, n = 0;
	uint64_t c = 0;
	for (i = 0; i < q->nr; i++)
		if (!q->v[i].left) {
			n++;
			c += q->v[i].calls;
		}
	if (calls)
		*calls = c;
	return n;
}

/* ------------------------------------------------------------------ */
/* pg_stat_statements, exported as CSV                                */
/* ------------------------------------------------------------------ */

struct csv_read {
	struct app_queries *q;
	const char *path;
	struct strbuf *err;
	char **fields;
	size_t nfields, alloc;
	long row;
	int qcol, ccol, rc;
};

static void csv_field_cb(void *data, size_t len, void *ctx)
{
	struct csv_read *r = ctx;
	ALLOC_GROW(r->fields, r->nfields + 1, r->alloc);
	r->fields[r->nfields++] = xstrndup(data ? data : "", data ? len : 0);
}

static void csv_row_cb(int c, void *ctx)
{
	struct csv_read *r = ctx;
	size_t i;
	(void)c;
	r->row++;
	if (r->rc)
		goto out;
	if (r->row == 1) {
		for (i = 0; i < r->nfields; i++) {
			if (!strcasecmp(r->fields[i], "query"))
				r->qcol = (int)i;
			else if (!strcasecmp(r->fields[i], "calls"))
				r->ccol = (int)i;
		}
		if (r->qcol < 0 || r->ccol < 0)
			r->rc = strbuf_error(r->err, -1, "%s:1: expected a header naming the columns query and calls "
					     "(\\copy (SELECT query, calls FROM pg_stat_statements) TO 'app.csv' CSV HEADER)",
					     r->path);
		goto out;
	}
	if (r->nfields == 1 && !*r->fields[0])
		goto out;   /* an empty line */
	if ((size_t)r->qcol >= r->nfields || (size_t)r->ccol >= r->nfields) {
		r->rc = strbuf_error(r->err, -1, "%s: row %ld: expected %d fields, found %zu", r->path, r->row,
				     (r->qcol > r->ccol ? r->qcol : r->ccol) + 1, r->nfields);
		goto out;
	}
	{
		char *end;
		const char *calls = r->fields[r->ccol];
		double n = strtod(calls, &end);
		if (end == calls || *end || n < 0) {
			r->rc = strbuf_error(r->err, -1, "%s: row %ld: calls must be a number, not '%s'", r->path, r->row,
					     calls);
			goto out;
		}
		add_query(r->q, r->fields[r->qcol], strlen(r->fields[r->qcol]), (uint64_t)(n + 0.5), (int)r->row);
	}
out:
	for (i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	r->nfields = 0;
}

static int read_csv(const char *path, const struct strbuf *text, struct app_queries *q, struct strbuf *err)
{
	struct csv_parser p;
	struct csv_read r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.q = q;
	r.path = path;
	r.err = err;
	r.qcol = r.ccol = -1;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI))
		return strbuf_error(err, -1, "cannot start the CSV parser");
	if (csv_parse(&p, text->buf, text->len, csv_field_cb, csv_row_cb, &r) != text->len && !r.rc)
		r.rc = strbuf_error(err, -1, "%s: row %ld: %s", path, r.row + 1, csv_strerror(csv_error(&p)));
	if (!r.rc && csv_fini(&p, csv_field_cb, csv_row_cb, &r))
		r.rc = strbuf_error(err, -1, "%s: row %ld: %s", path, r.row + 1, csv_strerror(csv_error(&p)));
	csv_free(&p);
	for (i = 0; i < r.nfields; i++)
		free(r.fields[i]);
	free(r.fields);
	q->format = "pg_stat_statements";
	return r.rc;
}

/* ------------------------------------------------------------------ */
/* A PostgreSQL log                                                   */
/* ------------------------------------------------------------------ */

/*
** Where a log line's statement starts: after 'statement: ' or 'execute
** NAME: ' (the extended protocol's, which holds $n already), else NULL;
** 'parse' and 'bind' lines are the same statement's and count nothing.
*/
static const char *log_statement(const char *line, const char *end, int *executed)
{
	const char *s = line, *p;
	for (; (p = memchr(s, 'L', (size_t)(end - s))) != NULL; s = p + 1) {
		if ((size_t)(end - p) < 5 || strncmp(p, "LOG:", 4))
			continue;
		p += 4;
		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) > 10 && !strncmp(p, "duration: ", 10)) {
			const char *ms = strstr(p, " ms ");
			if (!ms || ms > end)
				return NULL;
			p = ms + 4;
			while (p < end && *p == ' ')
				p++;
		}
		if ((size_t)(end - p) > 11 && !strncmp(p, "statement: ", 11)) {
			*executed = 0;
			return p + 11;
		}
		if ((size_t)(end - p) > 8 && !strncmp(p, "execute ", 8)) {
			const char *colon = memchr(p, ':', (size_t)(end - p));
			if (!colon || colon + 2 > end)
				return NULL;
			*executed = 1;
			return colon + 2;
		}
		return NULL;
	}
	return NULL;
}

static int is_log(const struct strbuf *text)
{
	const char *s = text->buf, *e;
	int n, ex;
	for (n = 0; *s && n < 200; n++, s = *e ? e + 1 : e) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (log_statement(s, e, &ex))
			return 1;
	}
	return 0;
}

static void add_logged(struct app_queries *q, const char *sql, int executed, int line)
{
	struct sql_script script = { 0 };
	struct strbuf norm = STRBUF_INIT;
	size_t i;

	/* A simple-query line may hold several statements; each is a call. */
	sql_split(sql, line, &script);
	for (i = 0; i < script.nr; i++) {
		strbuf_reset(&norm);
		if (executed)
			strbuf_addstr(&norm, script.v[i].sql);
		else
			queries_normalise(script.v[i].sql, &norm);
		add_query(q, norm.buf, norm.len, 1, line);
	}
	sql_script_release(&script);
	strbuf_release(&norm);
}

static int read_log(const struct strbuf *text, struct app_queries *q)
{
	struct strbuf stmt = STRBUF_INIT;
	const char *s = text->buf, *e, *at;
	int line = 0, stmt_line = 0, executed = 0, in = 0, ex;

	for (; *s; s = *e ? e + 1 : e) {
		line++;
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		/* A statement over several lines goes on in lines that start with a tab. */
		if (in && *s == '\t') {
			strbuf_addch(&stmt, '\n');
			strbuf_add(&stmt, s + 1, (size_t)(e - s - 1));
			continue;
		}
		if (in) {
			add_logged(q, stmt.buf, executed, stmt_line);
			in = 0;
		}
		if ((at = log_statement(s, e, &ex)) != NULL) {
			strbuf_reset(&stmt);
			strbuf_add(&stmt, at, (size_t)(e - at));
			stmt_line = line;
			executed = ex;
			in = 1;
		}
	}
	if (in)
		add_logged(q, stmt.buf, executed, stmt_line);
	strbuf_release(&stmt);
	q->format = "log";
	return 0;
}

/* ------------------------------------------------------------------ */
/* Plain SQL                                                          */
/* ------------------------------------------------------------------ */

/* The calls a '-- calls=N' line gives, or 0 when line is none. */
static uint64_t calls_comment(const char *s, const char *e)
{
	const char *p = s;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (e - p < 9 || strncmp(p, "--", 2))
		return 0;
	p += 2;
	while (p < e && *p == ' ')
		p++;
	if (e - p < 7 || strncmp(p, "calls=", 6) || !isdigit((unsigned char)p[6]))
		return 0;
	return strtoull(p + 6, NULL, 10);
}

static int read_sql(const char *path, const struct strbuf *text, struct app_queries *q, struct strbuf *err)
{
	struct sql_script script = { 0 };
	uint64_t *calls_at;
	const char *s = text->buf, *e;
	int line = 0, nlines = 1;
	size_t i;

	for (e = text->buf; *e; e++)
		nlines += *e == '\n';
	calls_at = xcalloc((size_t)nlines + 2, sizeof(*calls_at));
	for (; *s; s = *e ? e + 1 : e) {
		line++;
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		calls_at[line] = calls_comment(s, e);
	}
	sql_split(text->buf, 1, &script);
	for (i = 0; i < script.nr; i++) {
		/* The nearest '-- calls=N' above it, past the statement before. */
		int from = i ? script.v[i - 1].line : 0, l;
		uint64_t calls = 1;
		for (l = script.v[i].line; l > from && l >= 1; l--)
			if (calls_at[l]) {
				calls = calls_at[l];
				break;
			}
		add_query(q, script.v[i].sql, strlen(script.v[i].sql), calls, script.v[i].line);
	}
	sql_script_release(&script);
	free(calls_at);
	q->format = "sql";
	if (!q->nr)
		return strbuf_error(err, -1, "%s: no statements in it (expected a pg_stat_statements CSV export, a "
				    "PostgreSQL log of statements, or SQL)", path);
	return 0;
}

/* Does the first line name the columns query and calls, as a CSV header? */
static int is_csv(const struct strbuf *text)
{
	const char *e = strchr(text->buf, '\n');
	size_t len = e ? (size_t)(e - text->buf) : text->len;
	struct strbuf first = STRBUF_INIT;
	char *tok, *save = NULL;
	int q = 0, c = 0;

	strbuf_add(&first, text->buf, len);
	for (tok = strtok_r(first.buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '"')
			tok++;
		tok[strcspn(tok, "\" \r")] = '\0';
		q |= !strcasecmp(tok, "query");
		c |= !strcasecmp(tok, "calls");
	}
	strbuf_release(&first);
	return q && c;
}

int queries_read(const char *path, struct app_queries *out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strbuf_read_file(&text, path, &why)) {
		rc = strbuf_error(err, -1, "cannot read '%s': %s", path, why.buf);
		goto out;
	}
	if (is_csv(&text))
		rc = read_csv(path, &text, out, err);
	else if (is_log(&text))
		rc = read_log(&text, out);
	else
		rc = read_sql(path, &text, out, err);
out:
	strbuf_release(&text);
	strbuf_release(&why);
	return rc;
}
