/*
** The engine-neutral SQL lexer: just enough of one to know where statements
** end and where parameters stand, never a parser.
**
** SPDX-License-Identifier: MIT
*/
#include "sqltext.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_' || (c & 0x80);
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_' || (c & 0x80);
}

/* Length of a dollar-quote tag ("$tag$" or "$$") at s, or 0. */
static size_t dollar_tag(const char *s)
{
	size_t n = 1;
	if (s[0] != '$')
		return 0;
	if (s[1] == '$')
		return 2;
	if (!is_ident_start((unsigned char)s[1]) || (s[1] & 0x80))
		return 0;
	while (is_ident((unsigned char)s[n]) && !(s[n] & 0x80))
		n++;
	return s[n] == '$' ? n + 1 : 0;
}

size_t sql_skip_quoted(const char *s, size_t i)
{
	char q = s[i];
	size_t tag;

	if (q == '\'' || q == '"' || q == '`') {
		for (i++; s[i]; i++) {
			if (s[i] == q) {
				if (s[i + 1] == q) {
					i++;
					continue;
				}
				return i + 1;
			}
		}
		return i;
	}
	if (q == '-' && s[i + 1] == '-') {
		const char *e = strchr(s + i, '\n');
		return e ? (size_t)(e - s) : strlen(s);
	}
	if (q == '/' && s[i + 1] == '*') {
		const char *e = strstr(s + i + 2, "*/");
		return e ? (size_t)(e - s) + 2 : strlen(s);
	}
	if (q == '$' && (tag = dollar_tag(s + i)) > 0) {
		size_t j;
		for (j = i + tag; s[j]; j++)
			if (s[j] == '$' && !strncmp(s + j, s + i, tag))
				return j + tag;
		return j;
	}
	return i;
}

/* Does the word at s[i..] equal kw, as a whole word? */
static int word_is(const char *s, size_t i, const char *kw)
{
	size_t n = strlen(kw);
	if (i > 0 && is_ident((unsigned char)s[i - 1]))
		return 0;
	if (strncasecmp(s + i, kw, n))
		return 0;
	return !is_ident((unsigned char)s[i + n]);
}

/*
** Offset of the n-th word of s (0-based), past white space, comments and
** quoted tokens; -1 when s ends first or something else comes.
*/
static long nth_word(const char *s, int n)
{
	size_t i = 0;
	int words = 0;
	while (s[i]) {
		size_t j = sql_skip_quoted(s, i);
		if (j != i) {
			i = j;
			continue;
		}
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (!is_ident((unsigned char)s[i]))
			return -1;
		if (words++ == n)
			return (long)i;
		while (is_ident((unsigned char)s[i]))
			i++;
	}
	return -1;
}

/* Does the statement starting at s open a trigger (CREATE [TEMP] TRIGGER)? */
static int starts_trigger(const char *s)
{
	long w = nth_word(s, 0);
	int k;

	if (w < 0 || !word_is(s, (size_t)w, "create"))
		return 0;
	for (k = 1; k < 4 && (w = nth_word(s, k)) >= 0; k++)
		if (word_is(s, (size_t)w, "trigger"))
			return 1;
	return 0;
}

/* Does the text hold anything but white space and comments? */
static int has_code(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if ((s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*')) {
			i = sql_skip_quoted(s, i);
			continue;
		}
		if (!isspace((unsigned char)s[i]))
			return 1;
		i++;
	}
	return 0;
}

static void add_stmt(struct sql_script *script, const char *s, size_t len, int line)
{
	struct sql_stmt *st;
	size_t lead = 0;

	if (!has_code(s, len))
		return;
	/* Start the statement at its first line of code, comments before it dropped. */
	for (;;) {
		while (lead < len && isspace((unsigned char)s[lead])) {
			if (s[lead] == '\n')
				line++;
			lead++;
		}
		if (lead + 1 < len && ((s[lead] == '-' && s[lead + 1] == '-') ||
				       (s[lead] == '/' && s[lead + 1] == '*'))) {
			size_t e = sql_skip_quoted(s, lead);
			for (; lead < e; lead++)
				if (s[lead] == '\n')
					line++;
			continue;
		}
		break;
	}
	while (len > lead && isspace((unsigned char)s[len - 1]))
		len--;
	ALLOC_GROW(script->v, script->nr + 1, script->alloc);
	st = &script->v[script->nr++];
	st->sql = xstrndup(s + lead, len - lead);
	st->line = line;
	st->file = NULL;
	st->repeat = 0;
}

void sql_split(const char *text, int first_line, struct sql_script *script)
{
	size_t i = 0, start = 0;
	int line = first_line, start_line = first_line;
	int in_trigger = -1; /* -1: not known yet for this statement */
	int trigger_body = 0, last_word_end = 0, after_semicolon = 0;

	while (text[i]) {
		size_t j = sql_skip_quoted(text, i);
		if (j != i) {
			for (; i < j; i++)
				if (text[i] == '\n')
					line++;
			continue;
		}
		if (in_trigger < 0 && !isspace((unsigned char)text[i]))
			in_trigger = starts_trigger(text + i);
		if (in_trigger == 1 && is_ident_start((unsigned char)text[i]) &&
		    (i == 0 || !is_ident((unsigned char)text[i - 1]))) {
			if (word_is(text, i, "begin"))
				trigger_body = 1;
			/* Only an END right after a ';' closes the body, as in sqlite3_complete. */
			last_word_end = after_semicolon && word_is(text, i, "end");
			after_semicolon = 0;
		}
		if (text[i] == ';') {
			/* Inside a trigger body only "; END ;" ends the statement. */
			if (in_trigger == 1 && trigger_body && !last_word_end) {
				after_semicolon = 1;
				i++;
				continue;
			}
			after_semicolon = 0;
			add_stmt(script, text + start, i - start, start_line);
			start = i + 1;
			start_line = line;
			in_trigger = -1;
			trigger_body = 0;
			last_word_end = 0;
		} else if (text[i] == '\n') {
			line++;
		} else if (!isspace((unsigned char)text[i]) && !is_ident((unsigned char)text[i])) {
			last_word_end = 0;
		}
		i++;
	}
	add_stmt(script, text + start, i - start, start_line);
}

void sql_script_release(struct sql_script *script)
{
	size_t i;
	for (i = 0; i < script->nr; i++) {
		free(script->v[i].sql);
		free(script->v[i].file);
	}
	free(script->v);
	script->v = NULL;
	script->nr = script->alloc = 0;
}

void sql_number_params(const char *sql, char prefix, struct strbuf *out,
		       char ***names, size_t *nnames)
{
	size_t i = 0, n = 0, alloc = 0;
	char **v = NULL;

	while (sql[i]) {
		size_t j = sql_skip_quoted(sql, i), k, len;
		if (j != i) {
			strbuf_add(out, sql + i, j - i);
			i = j;
			continue;
		}
		if (sql[i] == ':' && sql[i + 1] == ':') {
			strbuf_add(out, "::", 2);
			i += 2;
			continue;
		}
		if (sql[i] != ':' || !is_ident_start((unsigned char)sql[i + 1]) ||
		    (i > 0 && is_ident((unsigned char)sql[i - 1]))) {
			strbuf_addch(out, sql[i++]);
			continue;
		}
		for (len = 1; is_ident((unsigned char)sql[i + 1 + len]); len++)
			;
		for (k = 0; k < n; k++)
			if (strlen(v[k]) == len && !strncmp(v[k], sql + i + 1, len))
				break;
		if (k == n) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = xstrndup(sql + i + 1, len);
		}
		strbuf_addf(out, "%c%zu", prefix, k + 1);
		i += 1 + len;
	}
	*names = v;
	*nnames = n;
}

void sql_names_free(char **names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int directive_space(char c)
{
	return c == ' ' || c == '\t';
}

int sql_directive(const char *s, size_t len, const char **name, size_t *namelen,
		  const char **rest, size_t *restlen)
{
	size_t i = 0, n;

	if (len && s[len - 1] == '\r')
		len--;
	while (i < len && directive_space(s[i]))
		i++;
	if (i + 2 > len || s[i] != '-' || s[i + 1] != '-')
		return 0;
	for (i += 2; i < len && directive_space(s[i]); i++)
		;
	if (i >= len || s[i] != '@')
		return 0;
	for (n = ++i; n < len && (isalnum((unsigned char)s[n]) || s[n] == '_'); n++)
		;
	if (n == i || (n < len && !directive_space(s[n])))
		return 0;
	*name = s + i;
	*namelen = n - i;
	while (n < len && directive_space(s[n]))
		n++;
	while (len > n && directive_space(s[len - 1]))
		len--;
	*rest = s + n;
	*restlen = len - n;
	return 1;
}

size_t sql_add_inert(struct strbuf *out, const char *text)
{
	size_t changed = 0;

	while (*text) {
		const char *e = strchr(text, '\n'), *name, *rest;
		size_t len = e ? (size_t)(e - text) : strlen(text), nl, rl;
		if (sql_directive(text, len, &name, &nl, &rest, &rl)) {
			/* Its '@' goes behind a '(' that no directive can start with. */
			size_t at = (size_t)(name - text) - 1;
			strbuf_add(out, text, at);
			strbuf_addstr(out, "(@)");
			strbuf_add(out, name, len - (size_t)(name - text));
			changed++;
		} else {
			strbuf_add(out, text, len);
		}
		if (e)
			strbuf_addch(out, '\n');
		text += len + (e ? 1 : 0);
	}
	return changed;
}

char *sql_ident_name(const char *written)
{
	size_t n = strlen(written), i, k = 0;
	char *out;

	if (n < 2 || written[0] != '"' || written[n - 1] != '"')
		return xstrdup(written);
	out = xmalloc(n);
	for (i = 1; i + 1 < n; i++) {
		out[k++] = written[i];
		if (written[i] == '"' && written[i + 1] == '"' && i + 2 < n)
			i++;
	}
	out[k] = '\0';
	return out;
}

int sql_ident_is(const char *name, const char *col)
{
	return !strcmp(name, col) || !strcasecmp(name, col);
}

void sql_add_quoted(struct strbuf *out, const char *s, char q)
{
	strbuf_addch(out, q);
	for (; *s; s++) {
		if (*s == q)
			strbuf_addch(out, q);
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, q);
}

int sql_is_session_only(const char *sql)
{
	static const char *const session[] = { "start", "savepoint", "release", "set", "reset", "show" };
	long w = nth_word(sql, 0), w2;
	size_t k;

	if (w < 0)
		return 0;
	if (word_is(sql, (size_t)w, "begin")) {
		/* SQLite's BEGIN IMMEDIATE and EXCLUSIVE take the write lock at once. */
		w2 = nth_word(sql, 1);
		return w2 < 0 || !(word_is(sql, (size_t)w2, "immediate") || word_is(sql, (size_t)w2, "exclusive"));
	}
	for (k = 0; k < sizeof(session) / sizeof(session[0]); k++)
		if (word_is(sql, (size_t)w, session[k]))
			return 1;
	return 0;
}

int sql_tx_control(const char *sql)
{
	long w = nth_word(sql, 0), w2 = nth_word(sql, 1);

	if (w < 0)
		return SQL_TX_NONE;
	if (word_is(sql, (size_t)w, "begin"))
		return SQL_TX_BEGIN;
	if (word_is(sql, (size_t)w, "start") && w2 >= 0 && word_is(sql, (size_t)w2, "transaction"))
		return SQL_TX_BEGIN;
	if (word_is(sql, (size_t)w, "commit") || word_is(sql, (size_t)w, "end"))
		return SQL_TX_COMMIT;
	if (word_is(sql, (size_t)w, "rollback") || word_is(sql, (size_t)w, "abort")) {
		/* ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] x undoes part of one, and it goes on. */
		long k;
		for (k = 1; k < 3 && (w2 = nth_word(sql, (int)k)) >= 0; k++)
			if (word_is(sql, (size_t)w2, "to"))
				return SQL_TX_NONE;
		return SQL_TX_ROLLBACK;
	}
	return SQL_TX_NONE;
}

/*
** The next token of sql from *at: a word, or a quoted identifier as the
** name it stands for (quoted set), or one other character; comments and
** white space skipped.  0 at the end.
*/
static int next_token(const char *sql, size_t *at, struct strbuf *tok, int *quoted)
{
	size_t i = *at, j;

	strbuf_reset(tok);
	*quoted = 0;
	for (;;) {
		while (isspace((unsigned char)sql[i]))
			i++;
		if (!sql[i])
			return 0;
		j = sql_skip_quoted(sql, i);
		if (j == i || sql[i] == '"' || sql[i] == '\'')
			break;
		i = j;   /* a comment */
	}
	if (sql[i] == '"') {
		char *q, *name;
		j = sql_skip_quoted(sql, i);
		q = xstrndup(sql + i, j - i);
		name = sql_ident_name(q);
		strbuf_addstr(tok, name);
		free(q);
		free(name);
		*quoted = 1;
		*at = j;
		return 1;
	}
	if (is_ident((unsigned char)sql[i])) {
		while (is_ident((unsigned char)sql[i]))
			strbuf_addch(tok, sql[i++]);
	} else {
		j = sql[i] == '\'' ? sql_skip_quoted(sql, i) : i + 1;
		strbuf_add(tok, sql + i, j - i);
		i = j;
	}
	*at = i;
	return 1;
}

int sql_table_changed(const char *sql, struct strbuf *out)
{
	/* The words after which the table's name comes, by the statement's first word(s). */
	static const struct { const char *lead, *after; } forms[] = {
		{ "alter", "table" }, { "create", "on" }, { "drop", "table" }, { "truncate", NULL },
		{ "update", NULL }, { "delete", "from" }, { "insert", "into" }, { "lock", NULL },
		{ "cluster", NULL }, { "reindex", "table" }, { "vacuum", NULL },
	};
	static const char *const skip[] = { "table", "only", "if", "not", "exists", "full", "verbose",
					    "analyze", "freeze", "concurrently" };
	struct strbuf tok = STRBUF_INIT, name = STRBUF_INIT;
	size_t at = 0, f, k;
	int quoted, found = 0, want;

	if (!next_token(sql, &at, &tok, &quoted) || quoted)
		goto out;
	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		if (!strcasecmp(tok.buf, forms[f].lead))
			break;
	if (f == sizeof(forms) / sizeof(forms[0]))
		goto out;
	if (!strcasecmp(tok.buf, "create")) {
		/* CREATE [UNIQUE] INDEX ... ON t, CREATE [OR REPLACE] TRIGGER ... ON t: no other CREATE changes a table. */
		int kind = 0;
		while (!kind && next_token(sql, &at, &tok, &quoted) && !quoted) {
			if (!strcasecmp(tok.buf, "index") || !strcasecmp(tok.buf, "trigger"))
				kind = 1;
			else if (strcasecmp(tok.buf, "unique") && strcasecmp(tok.buf, "or") &&
				 strcasecmp(tok.buf, "replace") && strcasecmp(tok.buf, "constraint"))
				break;
		}
		if (!kind)
			goto out;
	}
	want = forms[f].after == NULL;
	while (!want && next_token(sql, &at, &tok, &quoted))
		want = !quoted && !strcasecmp(tok.buf, forms[f].after);
	/* Past IF EXISTS, ONLY and the like, to the name, maybe schema-qualified. */
	while (want && next_token(sql, &at, &tok, &quoted)) {
		for (k = 0; !quoted && k < sizeof(skip) / sizeof(skip[0]); k++)
			if (!strcasecmp(tok.buf, skip[k]))
				break;
		if (!quoted && k < sizeof(skip) / sizeof(skip[0]))
			continue;
		if (!quoted && !is_ident((unsigned char)tok.buf[0]))
			break;
		strbuf_reset(&name);
		strbuf_add(&name, tok.buf, tok.len);
		/* schema.table: the table. */
		{
			size_t save = at;
			int q2;
			if (next_token(sql, &at, &tok, &q2) && !q2 && !strcmp(tok.buf, ".") &&
			    next_token(sql, &at, &tok, &q2) && (q2 || is_ident((unsigned char)tok.buf[0]))) {
				strbuf_reset(&name);
				strbuf_add(&name, tok.buf, tok.len);
			} else {
				at = save;
			}
		}
		strbuf_add(out, name.buf, name.len);
		found = 1;
		break;
	}
out:
	strbuf_release(&tok);
	strbuf_release(&name);
	return found;
}
