/*
** A small recursive-descent parser into a tree of calls, variables and
** literals, and its evaluation into a string buffer.
**
** SPDX-License-Identifier: MIT
*/
#include "strexpr.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"

#define MAX_DEPTH 32   /* nesting: deep enough for any real line, never the stack's limit */
#define MAX_ARGS 16

enum node_kind { N_LITERAL, N_VAR, N_CALL };
enum func { F_CONCAT, F_LOWER, F_UPPER, F_SUBSTR, F_REPLACE, F_LPAD };

static const struct {
	const char *name;
	int min, max;     /* arguments */
} funcs[] = {
	[F_CONCAT] = { "concat", 1, MAX_ARGS },
	[F_LOWER] = { "lower", 1, 1 },
	[F_UPPER] = { "upper", 1, 1 },
	[F_SUBSTR] = { "substr", 2, 3 },
	[F_REPLACE] = { "replace", 3, 3 },
	[F_LPAD] = { "lpad", 2, 3 },
};

#define NFUNCS (sizeof(funcs) / sizeof(funcs[0]))

struct strexpr {
	enum node_kind kind;
	char *text;                 /* N_LITERAL */
	size_t var;                 /* N_VAR: index of the variable */
	enum func func;             /* N_CALL */
	struct strexpr *args[MAX_ARGS];
	int nargs;
};

struct parser {
	const char *s;
	const char *const *vars;
	size_t nvars;
	struct strbuf *err;
};

static void skip_ws(struct parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

/* The function whose name starts s, followed by '(' (white space allowed), or -1. */
static int func_at(const char *s, size_t *len)
{
	size_t i, n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	for (i = 0; i < NFUNCS; i++)
		if (strlen(funcs[i].name) == n && !strncasecmp(s, funcs[i].name, n)) {
			const char *t = s + n;
			while (isspace((unsigned char)*t))
				t++;
			if (*t != '(')
				return -1;
			*len = n;
			return (int)i;
		}
	return -1;
}

int strexpr_is_call(const char *text)
{
	size_t len;
	while (isspace((unsigned char)*text))
		text++;
	return func_at(text, &len) >= 0;
}

static struct strexpr *parse_value(struct parser *p, int depth);

static struct strexpr *give_up(struct parser *p, struct strexpr *e, const char *why)
{
	if (!p->err->len)
		strbuf_error(p->err, -1, "%s", why);
	strexpr_free(e);
	return NULL;
}

static struct strexpr *parse_call(struct parser *p, int depth)
{
	struct strexpr *e = xcalloc(1, sizeof(*e));
	size_t len;
	int f = func_at(p->s, &len);

	e->kind = N_CALL;
	e->func = (enum func)f;
	p->s += len;
	skip_ws(p);
	p->s++; /* '(' */
	skip_ws(p);
	if (*p->s != ')') {
		for (;;) {
			struct strexpr *a;
			if (e->nargs == MAX_ARGS)
				return give_up(p, e, "too many arguments (at most 16)");
			if (!(a = parse_value(p, depth + 1)))
				return give_up(p, e, "");
			e->args[e->nargs++] = a;
			skip_ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			break;
		}
	}
	if (*p->s != ')')
		return give_up(p, e, "expected ',' or ')' after an argument");
	p->s++;
	if (e->nargs < funcs[f].min || e->nargs > funcs[f].max) {
		if (funcs[f].min == funcs[f].max)
			strbuf_error(p->err, -1, "%s() takes %d argument%s, not %d", funcs[f].name, funcs[f].min,
				     funcs[f].min == 1 ? "" : "s", e->nargs);
		else
			strbuf_error(p->err, -1, "%s() takes %d to %d arguments, not %d", funcs[f].name,
				     funcs[f].min, funcs[f].max, e->nargs);
		return give_up(p, e, "");
	}
	return e;
}

static struct strexpr *parse_value(struct parser *p, int depth)
{
	struct strexpr *e;
	size_t len, i;

	skip_ws(p);
	if (depth > MAX_DEPTH)
		return give_up(p, NULL, "nested too deep (at most 32 calls)");
	if (func_at(p->s, &len) >= 0)
		return parse_call(p, depth);
	e = xcalloc(1, sizeof(*e));
	if (*p->s == ':') {
		const char *name = ++p->s;
		while (isalnum((unsigned char)*p->s) || *p->s == '_')
			p->s++;
		len = (size_t)(p->s - name);
		for (i = 0; i < p->nvars; i++)
			if (strlen(p->vars[i]) == len && !strncmp(p->vars[i], name, len))
				break;
		if (!len || i == p->nvars) {
			strbuf_error(p->err, -1, "':%.*s' is not set above this line", (int)len, name);
			return give_up(p, e, "");
		}
		e->kind = N_VAR;
		e->var = i;
		return e;
	}
	if (*p->s == '\'') {
		struct strbuf lit = STRBUF_INIT;
		for (p->s++;; p->s++) {
			if (!*p->s) {
				strbuf_release(&lit);
				return give_up(p, e, "unterminated quoted string");
			}
			if (*p->s == '\'') {
				if (p->s[1] != '\'')
					break;
				p->s++;
			}
			strbuf_addch(&lit, *p->s);
		}
		p->s++;
		e->kind = N_LITERAL;
		e->text = strbuf_detach(&lit);
		return e;
	}
	if (isdigit((unsigned char)*p->s) || (*p->s == '-' && isdigit((unsigned char)p->s[1]))) {
		const char *start = p->s++;
		while (isdigit((unsigned char)*p->s))
			p->s++;
		e->kind = N_LITERAL;
		e->text = xstrndup(start, (size_t)(p->s - start));
		return e;
	}
	return give_up(p, e, "expected ':var', 'text', a whole number or a call of concat, lower, upper, "
			  "substr, replace or lpad");
}

int strexpr_parse(const char *text, const char *const *vars, size_t nvars, struct strexpr **out,
		  struct strbuf *err)
{
	struct parser p = { text, vars, nvars, err };
	struct strexpr *e;

	strbuf_reset(err);
	*out = NULL;
	skip_ws(&p);
	if (!strexpr_is_call(p.s))
		return strbuf_error(err, -1, "expected a call of concat, lower, upper, substr, replace or lpad");
	if (!(e = parse_value(&p, 0)))
		return -1;
	skip_ws(&p);
	if (*p.s) {
		strexpr_free(e);
		return strbuf_error(err, -1, "unexpected '%s' after the expression", p.s);
	}
	*out = e;
	return 0;
}

/* Offset of the UTF-8 character number n (0-based) of s, or its length. */
static size_t utf8_offset(const char *s, size_t len, long n)
{
	size_t i = 0;
	while (i < len && n > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		n--;
	}
	return i;
}

static long as_long(const char *s)
{
	return strtol(s, NULL, 10);
}

int strexpr_eval(const struct strexpr *e, const struct strbuf *vals, const char *isnull,
		 struct strbuf *out)
{
	struct strbuf a[MAX_ARGS];
	int isnul[MAX_ARGS], i, null = 0;
	size_t k;

	if (e->kind == N_LITERAL) {
		strbuf_addstr(out, e->text);
		return 0;
	}
	if (e->kind == N_VAR) {
		if (isnull[e->var])
			return 1;
		strbuf_add(out, vals[e->var].buf, vals[e->var].len);
		return 0;
	}
	for (i = 0; i < e->nargs; i++) {
		strbuf_init(&a[i]);
		isnul[i] = strexpr_eval(e->args[i], vals, isnull, &a[i]);
		null |= isnul[i] && e->func != F_CONCAT;
	}
	if (!null) {
		switch (e->func) {
		case F_CONCAT:
			for (i = 0; i < e->nargs; i++)
				strbuf_add(out, a[i].buf, a[i].len);
			break;
		case F_LOWER:
		case F_UPPER:
			for (k = 0; k < a[0].len; k++) {
				unsigned char ch = (unsigned char)a[0].buf[k];
				strbuf_addch(out, ch < 0x80 ? (e->func == F_LOWER ? tolower(ch) : toupper(ch)) : ch);
			}
			break;
		case F_SUBSTR: {
			/* SQL's: from character start (1 is the first), len characters or to the end. */
			long from = as_long(a[1].buf) - 1;
			long to = e->nargs > 2 ? from + as_long(a[2].buf) : LONG_MAX;
			size_t b, eb;
			if (from < 0)
				from = 0;
			if (to <= from)
				break;
			b = utf8_offset(a[0].buf, a[0].len, from);
			eb = to == LONG_MAX ? a[0].len : utf8_offset(a[0].buf, a[0].len, to);
			strbuf_add(out, a[0].buf + b, eb - b);
			break;
		}
		case F_LPAD: {
			/* SQL's: fill on the left up to n characters, or cut to n. */
			long n = as_long(a[1].buf), have = 0, want;
			const char *fill = e->nargs > 2 ? a[2].buf : " ";
			size_t fl = e->nargs > 2 ? a[2].len : 1, f = 0;
			for (k = 0; k < a[0].len; k++)
				have += ((unsigned char)a[0].buf[k] & 0xc0) != 0x80;
			if (n <= 0)
				break;
			if (have >= n) {
				strbuf_add(out, a[0].buf, utf8_offset(a[0].buf, a[0].len, n));
				break;
			}
			for (want = n - have; want > 0 && fl; want--) {
				size_t next = utf8_offset(fill + f, fl - f, 1);
				strbuf_add(out, fill + f, next);
				f = f + next >= fl ? 0 : f + next;
			}
			strbuf_add(out, a[0].buf, a[0].len);
			break;
		}
		case F_REPLACE: {
			const char *s = a[0].buf, *hit;
			if (!a[1].len) {
				strbuf_add(out, a[0].buf, a[0].len);
				break;
			}
			while ((hit = strstr(s, a[1].buf)) != NULL) {
				strbuf_add(out, s, (size_t)(hit - s));
				strbuf_add(out, a[2].buf, a[2].len);
				s = hit + a[1].len;
			}
			strbuf_addstr(out, s);
			break;
		}
		}
	}
	for (i = 0; i < e->nargs; i++)
		strbuf_release(&a[i]);
	return null;
}

void strexpr_free(struct strexpr *e)
{
	int i;
	if (!e)
		return;
	for (i = 0; i < e->nargs; i++)
		strexpr_free(e->args[i]);
	free(e->text);
	free(e);
}
