/*
** Reading and checking '-- @expect' conditions.
**
** SPDX-License-Identifier: MIT
*/
#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/base/dialect.h"
#include "../sim/base/sqltext.h"
#include "../sim/input/layout.h"

/* How the migration in the fix slot ended, as an apply= condition reads it. */
static void add_apply(struct strbuf *got, const struct sc_migration *m)
{
	if (m->completed)
		strbuf_addstr(got, "apply=ok");
	else if (m->error_class)
		strbuf_addf(got, "apply=fail:%s", m->error_class);
	else
		strbuf_addstr(got, "apply=fail");
}

int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got)
{
	static const char *const ops[] = { "<=", ">=", "!=", "=", "<", ">" };
	const char *op = NULL;
	char name[32];
	long long figure, want;
	size_t i, k;
	char *end;

	for (i = 0; cond[i] && !op; i++)
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strncmp(cond + i, ops[k], strlen(ops[k]))) {
				op = ops[k];
				break;
			}
	if (!op || i - 1 >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(i - 1), cond);
	if (!strcmp(name, "verdict")) {
		const char *v = cond + i - 1 + strlen(op);
		strbuf_addf(got, "verdict=%s", card->pass ? "pass" : "fail");
		if (strcmp(op, "=") || (strcmp(v, "pass") && strcmp(v, "fail")))
			return -1;
		return (strcmp(v, "pass") == 0) == card->pass;
	}
	if (!strcmp(name, "apply")) {
		const char *v = cond + i - 1 + strlen(op), *cls = card->fix.error_class;
		add_apply(got, &card->fix);
		if (strcmp(op, "="))
			return -1;
		if (!strcmp(v, "ok"))
			return card->fix.completed;
		if (strncmp(v, "fail", 4) || (v[4] && v[4] != ':') || (v[4] == ':' && !v[5]))
			return -1;
		if (card->fix.completed)
			return 0;
		return !v[4] || (cls && !strcmp(v + 5, cls));
	}
	if (!strcmp(name, "lost"))
		figure = (long long)scorecard_lost(card);
	else if (!strcmp(name, "blocked_max"))
		figure = card->blocked_max;
	else if (!strcmp(name, "score"))
		figure = card->score;
	else
		return -1;
	want = strtoll(cond + i - 1 + strlen(op), &end, 10);
	if (*end)
		return -1;
	strbuf_addf(got, "%s=%lld", name, figure);
	switch (op[0]) {
	case '<': return op[1] ? figure <= want : figure < want;
	case '>': return op[1] ? figure >= want : figure > want;
	case '!': return figure != want;
	default: return figure == want;
	}
}

static void add_cond(struct expect_list *out, const char *text, size_t len, int dialect)
{
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	out->v[out->nr].text = xstrndup(text, len);
	out->v[out->nr++].dialect = dialect;
}

void expect_add(struct expect_list *l, const char *cond, int dialect)
{
	add_cond(l, cond, strlen(cond), dialect);
}

/* The conditions of one '-- @expect' line's rest onto out. */
static void add_line(struct expect_list *out, const char *rest)
{
	const char *s = rest, *last = NULL;
	size_t lastlen = 0, before = out->nr, i;
	int d;

	while (*s) {
		size_t w;
		while (*s == ' ' || *s == '\t')
			s++;
		w = strcspn(s, " \t");
		if (!w)
			break;
		add_cond(out, s, w, DIALECT_ANY);
		last = s;
		lastlen = w;
		s += w;
	}
	/* A last word that names an engine is no condition: the line's are that engine's. */
	if (last && out->nr > before + 1 && (d = dialect_find(last, lastlen)) >= 0) {
		free(out->v[--out->nr].text);
		for (i = before; i < out->nr; i++)
			out->v[i].dialect = d;
	}
}

/* The '-- @expect' lines of one file onto out: directives as every reader sees them (sql_directive). */
static void read_file_expects(const char *path, struct expect_list *out)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT, rest = STRBUF_INIT;
	const char *s;

	if (strbuf_read_file(&text, path, &why))
		goto out;
	for (s = text.buf; *s;) {
		const char *e = strchr(s, '\n'), *name, *r;
		size_t len = e ? (size_t)(e - s) : strlen(s), nl, rl;
		if (sql_directive(s, len, &name, &nl, &r, &rl) && nl == 6 && !strncmp(name, "expect", 6)) {
			strbuf_reset(&rest);
			strbuf_add(&rest, r, rl);
			add_line(out, rest.buf);
		}
		s += len + (e ? 1 : 0);
	}
out:
	strbuf_release(&text);
	strbuf_release(&why);
	strbuf_release(&rest);
}

int expect_read(const char *path, struct expect_list *out, struct strbuf *err)
{
	struct layout l;
	size_t i;

	if (layout_open(path, path, LAYOUT_UP, &l, err))
		return -1;
	for (i = 0; i < l.nr; i++)
		read_file_expects(l.v[i].path, out);
	layout_release(&l);
	return 0;
}

void expect_list_release(struct expect_list *l)
{
	size_t i;
	for (i = 0; i < l->nr; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

size_t expect_count(const struct expect_list *l, int dialect)
{
	size_t i, n = 0;
	for (i = 0; i < l->nr; i++)
		n += l->v[i].dialect == DIALECT_ANY || l->v[i].dialect == dialect;
	return n;
}

int expect_judge(const struct expect_list *l, int dialect, const struct scorecard *card, struct strbuf *got,
		 struct strbuf *why)
{
	size_t i;
	int ok = 1, apply_said = 0, m;

	for (i = 0; i < l->nr; i++) {
		const char *cond = l->v[i].text;
		if (l->v[i].dialect != DIALECT_ANY && l->v[i].dialect != dialect)
			continue;
		apply_said |= !strncmp(cond, "apply=", 6);
		strbuf_addstr(got, got->len ? " " : "");
		m = expect_met(cond, card, got);
		if (m < 0) {
			strbuf_reset(why);
			strbuf_addstr(why, cond);
			return -1;
		}
		if (!m) {
			ok = 0;
			strbuf_addf(why, "%sexpected %s", why->len ? "; " : "", cond);
		}
	}
	/*
	** A migration that did not apply is no outcome to pass for another:
	** a template that dies of a typo must not count as an expected failure.
	*/
	if (!card->fix.completed && !apply_said) {
		const struct sc_migration *f = &card->fix;
		ok = 0;
		strbuf_addf(why, "%sthe %s did not apply", why->len ? "; " : "", card->fix_is_down ? "down migration" : "fix");
		if (f->failed_statement)
			strbuf_addf(why, " (statement %d, line %d: %s: %s)", f->failed_statement, f->failed_line,
				    f->error_class ? f->error_class : "other", f->error ? f->error : "");
		else if (f->error)
			strbuf_addf(why, " (%s)", f->error);
		strbuf_addf(why, ", which no '-- @expect %s=fail' allows", card->fix_is_down ? "down_apply" : "apply");
	}
	return ok;
}
