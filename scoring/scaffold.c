/*
** The scaffold: history into a disposable database, catalogue out, a
** plan per table (its key, a generator per column from its type, its
** name and its constraints, which tables it needs seeded first), a trial
** of the seeds on the engine, and the plans written out as a scenario.
**
** SPDX-License-Identifier: MIT
*/
#include "scaffold.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sim/base/alloc.h"
#include "../sim/base/dialect.h"
#include "../sim/base/sqltext.h"
#include "../sim/db/catalog.h"
#include "../sim/db/stats.h"
#include "../sim/engine/seeder.h"
#include "../sim/input/history.h"
#include "../sim/input/layout.h"
#include "../sim/input/scenario.h"
#include "probe.h"

#define TRIAL_SEEDS 3        /* seeds each table's rows are tried with */
#define TRIAL_ROUNDS 64      /* a table left out per round at most */
#define SEQ_DIGITS 7         /* room a unique value keeps for its number */

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

/* Words SQL reserves (PostgreSQL's list and SQLite's that bite): such a name is quoted. */
static const char *const reserved[] = {
	"add", "all", "alter", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"between", "both", "by", "case", "cast", "check", "collate", "column", "constraint", "create",
	"cross", "current_date", "current_role", "current_time", "current_timestamp", "current_user",
	"default", "deferrable", "delete", "desc", "distinct", "do", "drop", "else", "end", "escape",
	"except", "exists", "false", "fetch", "for", "foreign", "from", "full", "glob", "grant", "group",
	"having", "if", "in", "index", "initially", "inner", "insert", "intersect", "into", "is", "isnull",
	"join", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "match",
	"natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "placing",
	"primary", "references", "regexp", "returning", "right", "select", "session_user", "set", "some",
	"symmetric", "table", "then", "to", "trailing", "transaction", "true", "union", "unique", "update",
	"user", "using", "values", "variadic", "view", "when", "where", "window", "with",
};

/* name as SQL must write it: plain, or quoted. */
static void add_ident(struct strbuf *out, const char *name)
{
	size_t i;
	int plain = 1;

	if (!*name || !(islower((unsigned char)*name) || *name == '_'))
		plain = 0;
	for (i = 0; plain && name[i]; i++)
		if (!(islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) || name[i] == '_'))
			plain = 0;
	for (i = 0; plain && i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(name, reserved[i]))
			plain = 0;
	if (plain) {
		strbuf_addstr(out, name);
		return;
	}
	sql_add_quoted(out, name, '"');
}

/* Can a scenario's directives name it (quoted when it must be)? */
static int directive_name_ok(const char *name)
{
	size_t i;
	for (i = 0; name[i]; i++)
		if (!(isalnum((unsigned char)name[i]) || name[i] == '_' || name[i] == '$'))
			return 0;
	return i > 0;
}

static int has_word(const char *name, const char *word)
{
	char low[256];
	size_t i;
	for (i = 0; name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	return strstr(low, word) != NULL;
}

static int ends_with_word(const char *name, const char *tail)
{
	size_t a = strlen(name), b = strlen(tail);
	return a >= b && !strcasecmp(name + a - b, tail);
}

/* ------------------------------------------------------------------ */
/* Types                                                              */
/* ------------------------------------------------------------------ */

enum kind {
	K_INT, K_DECIMAL, K_BOOL, K_TEXT, K_CHAR, K_DATE, K_TIMESTAMP, K_TIMESTAMPTZ, K_TIME, K_UUID,
	K_JSON, K_BYTES, K_ENUM, K_ARRAY, K_UNKNOWN
};

struct ctype {
	int kind;
	long maxlen;             /* text: a declared length, 0 for none */
	int scale;               /* decimal */
	long long lo, hi;        /* int and decimal: what the type holds (within reason) */
};

static long paren_num(const char *type, int which)
{
	const char *p = strchr(type, '(');
	long a = 0, b = 0;
	if (!p)
		return 0;
	if (sscanf(p, "(%ld,%ld)", &a, &b) < 1 && sscanf(p, "( %ld , %ld )", &a, &b) < 1)
		return 0;
	return which ? b : a;
}

/*
** The kind of a column from its type as the engine spells it, for both
** engines' spellings.  The words are read without the type's modifiers:
** format_type writes "timestamp(3) with time zone" and "numeric(10,2)",
** whose precision and scale paren_num reads from the full spelling.
*/
static void classify(const struct cat_column *c, struct ctype *t)
{
	char bare[256];
	const char *full = c->type, *ty = bare;
	size_t i, k = 0;
	int depth = 0;

	for (i = 0; full[i] && k + 1 < sizeof(bare); i++) {
		if (full[i] == '(')
			depth++;
		else if (full[i] == ')' && depth)
			depth--;
		else if (!depth)
			bare[k++] = full[i];
	}
	bare[k] = '\0';
	memset(t, 0, sizeof(*t));
	t->kind = K_UNKNOWN;
	if (c->nlabels) {
		t->kind = K_ENUM;
	} else if (c->array || strchr(ty, '[')) {
		t->kind = K_ARRAY;
	} else if (has_word(ty, "interval") || has_word(ty, "point") || has_word(ty, "money") ||
		   has_word(ty, "tsvector") || has_word(ty, "inet") || has_word(ty, "cidr") ||
		   has_word(ty, "range") || has_word(ty, "xml") || has_word(ty, "bit")) {
		t->kind = K_UNKNOWN;
	} else if (has_word(ty, "bool")) {
		t->kind = K_BOOL;
	} else if (has_word(ty, "int") || has_word(ty, "serial")) {
		/* SQLite's affinity rule, and PostgreSQL's smallint, integer, bigint. */
		t->kind = K_INT;
		if (has_word(ty, "smallint") || has_word(ty, "int2") || has_word(ty, "tinyint")) {
			t->lo = -32768;
			t->hi = 32767;
		} else if (has_word(ty, "bigint") || has_word(ty, "int8") || has_word(ty, "bigserial")) {
			t->lo = -9000000000000000LL;
			t->hi = 9000000000000000LL;
		} else {
			t->lo = -2147483648LL;
			t->hi = 2147483647LL;
		}
	} else if (has_word(ty, "uuid")) {
		t->kind = K_UUID;
	} else if (has_word(ty, "json")) {
		t->kind = K_JSON;
	} else if (has_word(ty, "bytea") || has_word(ty, "blob")) {
		t->kind = K_BYTES;
	} else if (has_word(ty, "timestamp with time zone") || has_word(ty, "timestamptz")) {
		t->kind = K_TIMESTAMPTZ;
	} else if (has_word(ty, "timestamp") || has_word(ty, "datetime")) {
		t->kind = K_TIMESTAMP;
	} else if (has_word(ty, "time with time zone")) {
		t->kind = K_UNKNOWN;
	} else if (has_word(ty, "date")) {
		t->kind = K_DATE;
	} else if (has_word(ty, "time")) {
		t->kind = K_TIME;
	} else if (has_word(ty, "numeric") || has_word(ty, "decimal") || has_word(ty, "real") ||
		   has_word(ty, "double") || has_word(ty, "float")) {
		long p = paren_num(full, 0), s = paren_num(full, 1);
		t->kind = K_DECIMAL;
		t->scale = p ? (int)s : 2;
		t->lo = 0;
		t->hi = 100000;
		/* numeric(p,s) holds p-s digits before the point. */
		if (p && p - s < 6) {
			long long lim = 1;
			long d;
			for (d = 0; d < p - s; d++)
				lim *= 10;
			t->hi = lim - 1 > 0 ? lim - 1 : 0;
			if (!t->hi && t->scale)
				t->hi = 1;
		}
	} else if ((has_word(ty, "char") && !has_word(ty, "var") && !has_word(ty, "varying") &&
		    paren_num(full, 0) > 0) || has_word(ty, "bpchar")) {
		t->kind = K_CHAR;
		t->maxlen = paren_num(full, 0) > 0 ? paren_num(full, 0) : 1;
	} else if (!*ty || has_word(ty, "char") || has_word(ty, "text") || has_word(ty, "clob") ||
		   has_word(ty, "string") || has_word(ty, "citext")) {
		t->kind = K_TEXT;
		t->maxlen = paren_num(full, 0);
	}
}

/* ------------------------------------------------------------------ */
/* CHECK constraints                                                  */
/* ------------------------------------------------------------------ */

/* What the understood CHECKs say of one column. */
struct colcheck {
	char **set;              /* it is one of these */
	size_t nset;
	int has_lo, has_hi;
	double lo, hi;
	int lo_strict, hi_strict;
	long minlen, maxlen;     /* of its text; -1 for nothing said */
	int nonempty;
	int unknown;             /* a CHECK not understood names it */
};

enum tok_kind { T_END, T_IDENT, T_NUM, T_STR, T_OP, T_LP, T_RP, T_COMMA, T_LB, T_RB, T_OTHER };

struct tok {
	int kind;
	char *text;              /* identifiers lower case and unquoted; strings without quotes */
};

struct checkp {
	struct tok *v;
	size_t n, at, alloc;
};

static void tok_add(struct checkp *p, int kind, const char *s, size_t len)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n].kind = kind;
	p->v[p->n++].text = xstrndup(s, len);
}

static int keyword(const struct tok *t, const char *w)
{
	return t->kind == T_IDENT && !strcmp(t->text, w);
}

/* Tokens of a CHECK's expression, its casts (::type) dropped. */
static void tokenize(const char *s, struct checkp *p)
{
	size_t i = 0, n = strlen(s);
	while (i < n) {
		char c = s[i];
		if (isspace((unsigned char)c)) {
			i++;
		} else if (c == ':' && s[i + 1] == ':') {
			/* A cast: its type's words, a (p,s) and [] after them, up to an operator or a keyword. */
			i += 2;
			for (;;) {
				size_t j;
				while (i < n && isspace((unsigned char)s[i]))
					i++;
				if (i < n && s[i] == '"') {
					i = sql_skip_quoted(s, i);
					continue;
				}
				for (j = i; j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'); j++)
					;
				if (j == i)
					break;
				if ((j - i == 3 && !strncasecmp(s + i, "and", 3)) || (j - i == 2 && !strncasecmp(s + i, "or", 2)) ||
				    (j - i == 2 && (!strncasecmp(s + i, "is", 2) || !strncasecmp(s + i, "in", 2))))
					break;
				i = j;
			}
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && s[i] == '(') {
				while (i < n && s[i] != ')')
					i++;
				i++;
			}
			while (i + 1 < n && s[i] == '[' && s[i + 1] == ']')
				i += 2;
		} else if (c == '\'') {
			struct strbuf v = STRBUF_INIT;
			size_t j = i + 1;
			for (; j < n; j++) {
				if (s[j] == '\'' && s[j + 1] == '\'') {
					strbuf_addch(&v, '\'');
					j++;
				} else if (s[j] == '\'') {
					break;
				} else {
					strbuf_addch(&v, s[j]);
				}
			}
			tok_add(p, T_STR, v.buf, v.len);
			strbuf_release(&v);
			i = j + 1;
		} else if (c == '"') {
			size_t j = sql_skip_quoted(s, i);
			char *low = xstrndup(s + i + 1, j > i + 1 ? j - i - 2 : 0);
			tok_add(p, T_IDENT, low, strlen(low));
			free(low);
			i = j;
		} else if (isalpha((unsigned char)c) || c == '_') {
			size_t j = i, k;
			char *low;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			low = xstrndup(s + i, j - i);
			for (k = 0; low[k]; k++)
				low[k] = (char)tolower((unsigned char)low[k]);
			tok_add(p, T_IDENT, low, j - i);
			free(low);
			i = j;
		} else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
			size_t j = i;
			while (j < n && (isdigit((unsigned char)s[j]) || s[j] == '.'))
				j++;
			tok_add(p, T_NUM, s + i, j - i);
			i = j;
		} else if (strchr("<>=!", c)) {
			size_t j = i + 1;
			if (j < n && (s[j] == '=' || s[j] == '>'))
				j++;
			tok_add(p, T_OP, s + i, j - i);
			i = j;
		} else {
			int k = c == '(' ? T_LP : c == ')' ? T_RP : c == ',' ? T_COMMA : c == '[' ? T_LB :
				c == ']' ? T_RB : T_OTHER;
			tok_add(p, k, s + i, 1);
			i++;
		}
	}
	tok_add(p, T_END, "", 0);
}

static const struct tok *peek(struct checkp *p)
{
	return &p->v[p->at < p->n ? p->at : p->n - 1];
}

static const struct tok *next_tok(struct checkp *p)
{
	const struct tok *t = peek(p);
	if (p->at < p->n - 1)
		p->at++;
	return t;
}

/* A fact the parser read: of column col, one of the kinds below. */
enum fact_kind { F_SET, F_LO, F_HI, F_LEN_LO, F_LEN_HI, F_NONEMPTY, F_NOTNULL, F_ISNULL };

struct cfact {
	int kind;
	char *col;
	double num;
	int strict;
	char **set;
	size_t nset;
};

/* A CHECK read into a conjunction of facts; ok is 0 when it was not understood. */
struct cread {
	struct cfact *v;
	size_t n, alloc;
	int ok;
};

static void fact_free(struct cfact *f)
{
	size_t i;
	free(f->col);
	for (i = 0; i < f->nset; i++)
		free(f->set[i]);
	free(f->set);
}

static void cread_release(struct cread *r)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		fact_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static struct cfact *fact_add(struct cread *r, int kind, const char *col)
{
	struct cfact *f;
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->col = xstrdup(col);
	return f;
}

/* An operand: a column (*col), a number (*num, *isnum) or a string (*str), or length(column). */
struct operand {
	char *col, *str;
	double num;
	int isnum, length;
};

static void operand_release(struct operand *o)
{
	free(o->col);
	free(o->str);
	memset(o, 0, sizeof(*o));
}

static int parse_operand(struct checkp *p, struct operand *o)
{
	const struct tok *t = next_tok(p);
	memset(o, 0, sizeof(*o));
	if (t->kind == T_LP) {
		int rc = parse_operand(p, o);
		if (rc || next_tok(p)->kind != T_RP)
			return -1;
		return 0;
	}
	if (t->kind == T_OTHER && !strcmp(t->text, "-") && peek(p)->kind == T_NUM) {
		o->isnum = 1;
		o->num = -atof(next_tok(p)->text);
		return 0;
	}
	if (t->kind == T_NUM) {
		o->isnum = 1;
		o->num = atof(t->text);
		return 0;
	}
	if (t->kind == T_STR) {
		o->str = xstrdup(t->text);
		return 0;
	}
	if (t->kind == T_IDENT && peek(p)->kind == T_LP) {
		int len = !strcmp(t->text, "length") || !strcmp(t->text, "char_length") ||
			  !strcmp(t->text, "character_length");
		int trim = !strcmp(t->text, "trim") || !strcmp(t->text, "btrim");
		int rc;
		if (!len && !trim)
			return -1;
		next_tok(p);
		rc = parse_operand(p, o);
		if (rc || !o->col || o->length || next_tok(p)->kind != T_RP)
			return -1;
		/* length(trim(x)) > 0 says no more than that x is not blank: read as length. */
		o->length = len || o->length;
		return 0;
	}
	if (t->kind == T_IDENT && strcmp(t->text, "null") && strcmp(t->text, "not")) {
		o->col = xstrdup(t->text);
		return 0;
	}
	return -1;
}

/* Literals inside ( ... ) or ARRAY[ ... ] up to close, into a set. */
static int parse_list(struct checkp *p, int close, struct cfact *f)
{
	for (;;) {
		struct operand o;
		if (parse_operand(p, &o) || o.col || o.length) {
			operand_release(&o);
			return -1;
		}
		f->set = xrealloc(f->set, (f->nset + 1) * sizeof(*f->set));
		if (o.str) {
			f->set[f->nset++] = xstrdup(o.str);
		} else {
			char num[64];
			snprintf(num, sizeof(num), "%.15g", o.num);
			f->set[f->nset++] = xstrdup(num);
		}
		operand_release(&o);
		if (peek(p)->kind == T_COMMA) {
			next_tok(p);
			continue;
		}
		return next_tok(p)->kind == close ? 0 : -1;
	}
}

static int parse_or(struct checkp *p, struct cread *r);

/* One comparison into r; -1 when it is not one mdrill reads. */
static int parse_comparison(struct checkp *p, struct cread *r)
{
	struct operand a, b;
	const struct tok *op;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	if (peek(p)->kind == T_LP) {
		/* A parenthesised expression, or an operand in parentheses: try the expression. */
		size_t save = p->at;
		struct cread sub = { NULL, 0, 0, 1 };
		next_tok(p);
		if (!parse_or(p, &sub) && next_tok(p)->kind == T_RP && sub.ok) {
			size_t i;
			for (i = 0; i < sub.n; i++) {
				ALLOC_GROW(r->v, r->n + 1, r->alloc);
				r->v[r->n++] = sub.v[i];
			}
			free(sub.v);
			return 0;
		}
		cread_release(&sub);
		p->at = save;
	}
	if (parse_operand(p, &a))
		goto out;
	op = next_tok(p);
	if (keyword(op, "is")) {
		int neg = keyword(peek(p), "not");
		if (neg)
			next_tok(p);
		if (!keyword(next_tok(p), "null") || !a.col || a.length)
			goto out;
		fact_add(r, neg ? F_NOTNULL : F_ISNULL, a.col);
		rc = 0;
		goto out;
	}
	if (keyword(op, "in")) {
		struct cfact *f;
		if (!a.col || a.length || next_tok(p)->kind != T_LP)
			goto out;
		f = fact_add(r, F_SET, a.col);
		rc = parse_list(p, T_RP, f);
		goto out;
	}
	if (keyword(op, "between")) {
		if (!a.col || a.length || parse_operand(p, &b) || !b.isnum || !keyword(next_tok(p), "and"))
			goto out;
		fact_add(r, F_LO, a.col)->num = b.num;
		operand_release(&b);
		if (parse_operand(p, &b) || !b.isnum)
			goto out;
		fact_add(r, F_HI, a.col)->num = b.num;
		rc = 0;
		goto out;
	}
	if (op->kind != T_OP)
		goto out;
	/* col = ANY (ARRAY[...]) */
	if (!strcmp(op->text, "=") && keyword(peek(p), "any")) {
		struct cfact *f;
		int parens = 0;
		next_tok(p);
		while (peek(p)->kind == T_LP) {
			next_tok(p);
			parens++;
		}
		if (!a.col || a.length || !keyword(next_tok(p), "array") || next_tok(p)->kind != T_LB)
			goto out;
		f = fact_add(r, F_SET, a.col);
		if (parse_list(p, T_RB, f))
			goto out;
		while (parens-- > 0)
			if (next_tok(p)->kind != T_RP)
				goto out;
		rc = 0;
		goto out;
	}
	if (parse_operand(p, &b))
		goto out;
	{
		/* Put the column on the left: 0 < x is x > 0. */
		const char *o = op->text;
		struct operand *col = &a, *val = &b;
		int flip = 0;
		if (!a.col && b.col) {
			col = &b;
			val = &a;
			flip = 1;
		}
		if (!col->col || val->col)
			goto out;
		if (flip)
			o = !strcmp(o, "<") ? ">" : !strcmp(o, ">") ? "<" : !strcmp(o, "<=") ? ">=" :
			    !strcmp(o, ">=") ? "<=" : o;
		if (val->str && !col->length && (!strcmp(o, "<>") || !strcmp(o, "!=")) && !*val->str) {
			fact_add(r, F_NONEMPTY, col->col);
			rc = 0;
		} else if (val->str && !col->length && !strcmp(o, "=")) {
			struct cfact *f = fact_add(r, F_SET, col->col);
			f->set = xmalloc(sizeof(*f->set));
			f->set[f->nset++] = xstrdup(val->str);
			rc = 0;
		} else if (val->isnum) {
			int lo = !strcmp(o, ">") || !strcmp(o, ">="), hi = !strcmp(o, "<") || !strcmp(o, "<=");
			if (!strcmp(o, "=")) {
				fact_add(r, col->length ? F_LEN_LO : F_LO, col->col)->num = val->num;
				fact_add(r, col->length ? F_LEN_HI : F_HI, col->col)->num = val->num;
				rc = 0;
			} else if (lo || hi) {
				struct cfact *f = fact_add(r, col->length ? (lo ? F_LEN_LO : F_LEN_HI) : (lo ? F_LO : F_HI),
							   col->col);
				f->num = val->num;
				f->strict = !strcmp(o, ">") || !strcmp(o, "<");
				rc = 0;
			}
		}
	}
out:
	operand_release(&a);
	operand_release(&b);
	return rc;
}

static int parse_and(struct checkp *p, struct cread *r)
{
	if (keyword(peek(p), "not"))
		return -1;
	if (parse_comparison(p, r))
		return -1;
	while (keyword(peek(p), "and")) {
		next_tok(p);
		if (parse_comparison(p, r))
			return -1;
	}
	return 0;
}

/*
** Alternatives: 'x IS NULL OR rest' is rest (a NULL passes any CHECK), and
** 'x = a OR x = b' a set.  Anything else is not read.
*/
static int parse_or(struct checkp *p, struct cread *r)
{
	struct cread alt[16];
	size_t nalt = 0, i, k;
	int rc = 0;

	memset(alt, 0, sizeof(alt));
	do {
		if (nalt)
			next_tok(p);
		if (nalt == 16) {
			rc = -1;
			break;
		}
		alt[nalt].ok = 1;
		if (parse_and(p, &alt[nalt++])) {
			rc = -1;
			break;
		}
	} while (keyword(peek(p), "or"));
	if (!rc && nalt == 1) {
		for (i = 0; i < alt[0].n; i++) {
			ALLOC_GROW(r->v, r->n + 1, r->alloc);
			r->v[r->n++] = alt[0].v[i];
		}
		alt[0].n = 0;
	} else if (!rc) {
		/* Drop the 'x IS NULL' alternatives; what is left must be one, or a set of one column. */
		struct cread *keep = NULL;
		struct cfact *set = NULL;
		for (i = 0; i < nalt && !rc; i++) {
			if (alt[i].n == 1 && alt[i].v[0].kind == F_ISNULL)
				continue;
			if (alt[i].n == 1 && alt[i].v[0].kind == F_SET && (!set || !strcmp(set->col, alt[i].v[0].col))) {
				if (!set) {
					set = fact_add(r, F_SET, alt[i].v[0].col);
				}
				for (k = 0; k < alt[i].v[0].nset; k++) {
					set->set = xrealloc(set->set, (set->nset + 1) * sizeof(*set->set));
					set->set[set->nset++] = xstrdup(alt[i].v[0].set[k]);
				}
				continue;
			}
			if (keep || set)
				rc = -1;
			keep = &alt[i];
		}
		if (!rc && keep && !set) {
			for (i = 0; i < keep->n; i++) {
				ALLOC_GROW(r->v, r->n + 1, r->alloc);
				r->v[r->n++] = keep->v[i];
			}
			keep->n = 0;
		} else if (keep && set) {
			rc = -1;
		}
	}
	for (i = 0; i < nalt; i++)
		cread_release(&alt[i]);
	if (rc)
		r->ok = 0;
	return rc;
}

/* Read expr into r: r->ok says whether all of it was understood. */
static void read_check(const char *expr, struct cread *r)
{
	struct checkp p;
	size_t i;

	memset(&p, 0, sizeof(p));
	memset(r, 0, sizeof(*r));
	r->ok = 1;
	tokenize(expr, &p);
	if (parse_or(&p, r) || peek(&p)->kind != T_END)
		r->ok = 0;
	for (i = 0; i < p.n; i++)
		free(p.v[i].text);
	free(p.v);
}

/* The identifiers of expr that are t's columns: those a CHECK not understood names. */
static void check_columns(const char *expr, const struct cat_table *t, char *hit)
{
	struct checkp p;
	size_t i;
	memset(&p, 0, sizeof(p));
	tokenize(expr, &p);
	for (i = 0; i < p.n; i++) {
		size_t k;
		if (p.v[i].kind != T_IDENT)
			continue;
		for (k = 0; k < t->ncols; k++)
			if (!strcasecmp(t->cols[k].name, p.v[i].text))
				hit[k] = 1;
	}
	for (i = 0; i < p.n; i++)
		free(p.v[i].text);
	free(p.v);
}

/* ------------------------------------------------------------------ */
/* Plans                                                              */
/* ------------------------------------------------------------------ */

struct colplan {
	const struct cat_column *c;
	struct ctype ty;
	struct colcheck chk;
	char *var;               /* its '\set' variable */
	int insert;              /* written by an insert (a full row) */
	int key;                 /* part of the row's key */
	int unique;              /* its values must stay unique */
	int unique_part;         /* ... as a part of a UNIQUE of several columns, which it numbers */
	int db_written;          /* a trigger sets it: the database's value, no fact ('-- @untracked') */
	double null_frac;        /* its share of NULLs from a database's statistics, -1: the scenario's null_rate */
	double distinct;         /* its distinct values from the statistics, -1: not known */
	int referenced;          /* another table's foreign key points at it: not updated */
	int fk;                  /* the table's foreign key it is in, or -1 */
	struct tplan *soft;      /* the table its name refers to where no foreign key does (plan_soft_ref) */
	char *seed;              /* its '@gen' generator; NULL: not seeded (the engine fills it) */
	char *tx;                /* an insert's value: a generator, or a computed expression */
	int tx_computed;         /* tx is a string expression over other variables */
	char *upd;               /* an update's fresh value (generator or expression), NULL: not updated */
	int upd_computed;
	char *prefix, *suffix;   /* a unique text made from a number: what the seeds put around it */
	char *helper;            /* a '\set NAME EXPR' an insert's computed value needs first */
	int cast_int;            /* the probe reads CAST(x AS INTEGER) (a boolean) */
	struct strbuf note;      /* said above its '@gen' line */
	struct strbuf chknote;   /* what its CHECKs left unread, said once the plan is made again too */
};

struct tplan {
	const struct cat_table *t;
	int in;                  /* drilled */
	char *why;               /* left out: why */
	size_t *keycols;
	size_t nkey;
	int aligned;             /* one key column, seeded 1..rows: nextid() lands above the seeds */
	char *keytmpl;           /* the seed's key template (uuid, padded), NULL for plain seq */
	int fk_key;              /* a foreign key numbers its rows, one per parent row: no inserts */
	const char *no_insert;   /* why the traffic inserts no rows, or NULL */
	size_t numbering;        /* the key column (index in keycols) that numbers the rows */
	int referenced;          /* a drilled table's foreign key points at it: no deletes */
	int seeded;              /* exists before the new migration, so it is seeded */
	struct colplan *cols;
	size_t ncols;
	unsigned order;          /* its place in foreign-key order */
	char *weight;            /* its weight parameter */
};

struct plan {
	const struct db_catalog *cat;
	struct tplan *t;
	size_t n;
};

static void tplan_release(struct tplan *tp)
{
	size_t i;
	for (i = 0; i < tp->ncols; i++) {
		struct colplan *c = &tp->cols[i];
		size_t k;
		free(c->var);
		free(c->seed);
		free(c->tx);
		free(c->upd);
		free(c->prefix);
		free(c->suffix);
		free(c->helper);
		for (k = 0; k < c->chk.nset; k++)
			free(c->chk.set[k]);
		free(c->chk.set);
		strbuf_release(&c->note);
		strbuf_release(&c->chknote);
	}
	free(tp->cols);
	free(tp->keycols);
	free(tp->why);
	free(tp->keytmpl);
	free(tp->weight);
}

static void plan_release(struct plan *pl)
{
	size_t i;
	for (i = 0; i < pl->n; i++)
		tplan_release(&pl->t[i]);
	free(pl->t);
	memset(pl, 0, sizeof(*pl));
}

static struct tplan *plan_table(const struct plan *pl, const char *name)
{
	size_t i;
	for (i = 0; name && i < pl->n; i++)
		if (!strcmp(pl->t[i].t->name, name))
			return &pl->t[i];
	return NULL;
}

static void leave_out(struct tplan *tp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void leave_out(struct tplan *tp, const char *fmt, ...)
{
	struct strbuf why = STRBUF_INIT;
	va_list ap;
	if (!tp->in)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&why, fmt, ap);
	va_end(ap);
	tp->in = 0;
	free(tp->why);
	tp->why = strbuf_detach(&why);
}

/* A variable name for column i: its name when SQL-plain, else c<i>. */
static char *var_name(const struct cat_column *c, size_t i)
{
	struct strbuf v = STRBUF_INIT;
	size_t k;
	int plain = isalpha((unsigned char)c->name[0]) || c->name[0] == '_';
	for (k = 0; plain && c->name[k]; k++)
		if (!(isalnum((unsigned char)c->name[k]) || c->name[k] == '_'))
			plain = 0;
	if (plain && strlen(c->name) < 48)
		for (k = 0; c->name[k]; k++)
			strbuf_addch(&v, tolower((unsigned char)c->name[k]));
	else
		strbuf_addf(&v, "c%zu", i);
	/* Clear of the helpers' names, which end in two underscores. */
	if (v.len >= 2 && !strcmp(v.buf + v.len - 2, "__"))
		strbuf_addch(&v, 'x');
	return strbuf_detach(&v);
}

static void set_str(char **slot, const char *s)
{
	free(*slot);
	*slot = s ? xstrdup(s) : NULL;
}

/* Apply what r says of t's columns to the plans; names a CHECK not understood. */
static void apply_check(struct tplan *tp, const char *expr)
{
	struct cread r;
	size_t i, k;

	read_check(expr, &r);
	if (!r.ok) {
		char *hit = xcalloc(tp->ncols ? tp->ncols : 1, 1);
		check_columns(expr, tp->t, hit);
		for (k = 0; k < tp->ncols; k++)
			if (hit[k]) {
				tp->cols[k].chk.unknown = 1;
				strbuf_addf(&tp->cols[k].chknote, "%sCHECK (%s) is not one mdrill reads%s",
					    tp->cols[k].chknote.len ? "; " : "", expr,
					    tp->cols[k].c->notnull ? ": the seeds are tried, and a table whose rows it "
								     "refuses is left out" : "");
			}
		free(hit);
		cread_release(&r);
		return;
	}
	for (i = 0; i < r.n; i++) {
		const struct cfact *f = &r.v[i];
		struct colcheck *c = NULL;
		for (k = 0; k < tp->ncols; k++)
			if (!strcasecmp(tp->cols[k].c->name, f->col))
				c = &tp->cols[k].chk;
		if (!c)
			continue;
		switch (f->kind) {
		case F_SET:
			if (!c->nset) {
				c->set = f->set;
				c->nset = f->nset;
				r.v[i].set = NULL;
				r.v[i].nset = 0;
			}
			break;
		case F_LO:
			if (!c->has_lo || f->num > c->lo) {
				c->has_lo = 1;
				c->lo = f->num;
				c->lo_strict = f->strict;
			}
			break;
		case F_HI:
			if (!c->has_hi || f->num < c->hi) {
				c->has_hi = 1;
				c->hi = f->num;
				c->hi_strict = f->strict;
			}
			break;
		case F_LEN_LO:
			c->minlen = (long)f->num + f->strict;
			break;
		case F_LEN_HI:
			c->maxlen = (long)f->num - f->strict;
			break;
		case F_NONEMPTY:
			c->nonempty = 1;
			break;
		default:
			break;
		}
	}
	cread_release(&r);
}

/* A generator of the column's kind, within its checks; "" when there is none. */
static void pick_generator(struct colplan *cp, struct strbuf *g)
{
	const struct cat_column *c = cp->c;
	const struct colcheck *k = &cp->chk;
	long maxlen = cp->ty.maxlen > 0 ? cp->ty.maxlen : 64;
	int plain = k->nonempty || k->minlen > 0 || k->unknown;
	size_t i;

	if (k->maxlen >= 0 && k->maxlen < maxlen)
		maxlen = k->maxlen;
	if (maxlen > 200)
		maxlen = 200;
	if (k->nset) {
		strbuf_addstr(g, "pick(");
		for (i = 0; i < k->nset; i++)
			strbuf_addf(g, "%s%s", i ? "|" : "", k->set[i]);
		strbuf_addch(g, ')');
		return;
	}
	switch (cp->ty.kind) {
	case K_INT: {
		long long lo = cp->ty.lo, hi = cp->ty.hi, dlo, dhi;
		/* Plausible values by name: epoch times, counts; then the CHECKs' bounds. */
		if (ends_with_word(c->name, "at") || ends_with_word(c->name, "time") || ends_with_word(c->name, "_ts") ||
		    ends_with_word(c->name, "date")) {
			dlo = hi > 100000000000000LL ? 1500000000000LL : 1000000000LL;
			dhi = hi > 100000000000000LL ? 1800000000000LL : 2000000000LL;
		} else {
			dlo = 0;
			dhi = hi < 1000 ? hi : 1000;
		}
		if (k->has_lo)
			dlo = (long long)k->lo + (k->lo_strict ? 1 : 0);
		if (k->has_hi)
			dhi = (long long)k->hi - (k->hi_strict ? 1 : 0);
		if (k->has_lo && !k->has_hi && dhi < dlo)
			dhi = dlo + 1000;
		if (k->has_hi && !k->has_lo && dlo > dhi)
			dlo = dhi - 1000;
		if (dlo < lo)
			dlo = lo;
		if (dhi > hi)
			dhi = hi;
		if (dlo > dhi)
			dhi = dlo;
		strbuf_addf(g, "int(%lld,%lld)", dlo, dhi);
		return;
	}
	case K_DECIMAL: {
		double lo = (double)cp->ty.lo, hi = (double)cp->ty.hi;
		if (k->has_lo)
			lo = k->lo;
		if (k->has_hi)
			hi = k->hi;
		if (hi < lo)
			hi = lo + 1;
		/* decimal() stays strictly inside its bounds, so > and >= are both kept. */
		strbuf_addf(g, "decimal(%lld,%lld,%d)", (long long)lo, (long long)hi + ((double)(long long)hi < hi),
			    cp->ty.scale > 6 ? 6 : cp->ty.scale);
		return;
	}
	case K_BOOL:
		strbuf_addstr(g, "pick(0|1)");
		return;
	case K_CHAR:
		strbuf_addf(g, "chars(%ld)", cp->ty.maxlen);
		return;
	case K_TEXT:
		/* Text that holds JSON: a name that says so, or a default that is an object. */
		if ((maxlen >= 16 || !cp->ty.maxlen) &&
		    (ends_with_word(c->name, "props") || has_word(c->name, "json") || has_word(c->name, "metadata") ||
		     has_word(c->name, "settings") || has_word(c->name, "payload") ||
		     (c->def && (c->def[0] == '{' || !strncmp(c->def, "'{", 2)))))
			strbuf_addstr(g, "json");
		else if (has_word(c->name, "email") && maxlen >= 40)
			strbuf_addf(g, "email(%ld%s)", maxlen, plain ? ",plain" : "");
		else if ((has_word(c->name, "phone") || has_word(c->name, "mobile")) && maxlen >= 24)
			strbuf_addf(g, "phone(%ld%s)", maxlen, plain ? ",plain" : "");
		else if ((has_word(c->name, "name") || has_word(c->name, "first") || has_word(c->name, "last") ||
			  has_word(c->name, "nick") || has_word(c->name, "author")) && maxlen >= 30)
			strbuf_addf(g, "name(%ld%s)", maxlen, plain ? ",plain" : "");
		else
			strbuf_addf(g, "text(%ld%s)", maxlen < 64 ? maxlen : 64, plain ? ",plain" : "");
		return;
	case K_DATE:
		strbuf_addstr(g, "date");
		return;
	case K_TIMESTAMP:
		strbuf_addstr(g, "timestamp");
		return;
	case K_TIMESTAMPTZ:
		strbuf_addstr(g, "timestamptz");
		return;
	case K_TIME:
		strbuf_addstr(g, "time");
		return;
	case K_UUID:
		strbuf_addstr(g, "uuid");
		return;
	case K_JSON:
		strbuf_addstr(g, "json");
		return;
	case K_BYTES:
		/* One byte, as PostgreSQL's bytea prints it back: \x and two hex digits. */
		strbuf_addstr(g, "int(10,99,\\x##)");
		return;
	case K_ENUM:
		strbuf_addstr(g, "pick(");
		for (i = 0; i < c->nlabels; i++)
			strbuf_addf(g, "%s%s", i ? "|" : "", c->labels[i]);
		strbuf_addch(g, ')');
		return;
	case K_ARRAY:
		strbuf_addstr(g, "pick({})");
		return;
	default:
		return;
	}
}

/* Can pick() carry every value the CHECK lists (none empty, none with '|' or parentheses)? */
static int set_fits_pick(const struct colcheck *k)
{
	size_t i;
	for (i = 0; i < k->nset; i++)
		if (strchr(k->set[i], '|') || strchr(k->set[i], ')') || strchr(k->set[i], '(') || !*k->set[i])
			return 0;
	return 1;
}

/*
** A unique text made from a number: the seeds' template (user#@example.com)
** and, for the traffic, the text around a number (user17@example.com): a
** row's own key where the key is a counter, else a fresh number behind a
** 't' apart from the seeds'.  -1 when no number fits the column.
*/
static int unique_text(struct colplan *cp, int aligned, const char *keyvar)
{
	const char *name = cp->c->name, *pre, *suf = "";
	long maxlen = cp->ty.maxlen > 0 ? cp->ty.maxlen : 200;
	struct strbuf s = STRBUF_INIT;

	if (cp->chk.maxlen >= 0 && cp->chk.maxlen < maxlen)
		maxlen = cp->chk.maxlen;
	if (has_word(name, "email")) {
		pre = "user";
		suf = "@example.com";
	} else if (has_word(name, "name") || has_word(name, "login") || has_word(name, "handle")) {
		pre = "user";
	} else if (has_word(name, "code") || has_word(name, "sku") || has_word(name, "slug")) {
		pre = "c";
	} else {
		pre = "v";
	}
	if ((long)(strlen(pre) + 1 + strlen(suf)) + SEQ_DIGITS > maxlen)
		suf = "";
	if ((long)(strlen(pre) + 1) + SEQ_DIGITS > maxlen)
		pre = "";
	if ((long)(strlen(pre) + 1) + SEQ_DIGITS > maxlen)
		return -1;
	set_str(&cp->prefix, pre);
	set_str(&cp->suffix, suf);
	strbuf_addf(&s, "seq(%s#%s)", pre, suf);
	set_str(&cp->seed, s.buf);
	strbuf_reset(&s);
	if (aligned)
		strbuf_addf(&s, "concat('%s', :%s%s%s%s)", pre, keyvar, *suf ? ", '" : "", suf, *suf ? "'" : "");
	else
		strbuf_addf(&s, "concat('%st', :n__%s%s%s)", pre, *suf ? ", '" : "", suf, *suf ? "'" : "");
	set_str(&cp->tx, s.buf);
	cp->tx_computed = 1;
	strbuf_reset(&s);
	strbuf_addf(&s, "concat('%s%s', :n__%s%s%s)", pre, aligned ? "" : "t", *suf ? ", '" : "", suf, *suf ? "'" : "");
	set_str(&cp->upd, s.buf);
	cp->upd_computed = 1;
	strbuf_release(&s);
	return 0;
}

static struct strbuf *cnote(struct colplan *cp)
{
	if (cp->note.len)
		strbuf_addstr(&cp->note, "; ");
	return &cp->note;
}

/* Plan t's key: its primary key, else a unique key of NOT NULL columns. */
static void plan_key(struct tplan *tp)
{
	const struct cat_table *t = tp->t;
	size_t i, k;

	for (i = 0; i < t->nkeys; i++) {
		const struct cat_key *key = &t->keys[i];
		int ok = 1;
		for (k = 0; k < key->ncols && ok; k++) {
			int c = catalog_column(t, key->cols[k]);
			ok = c >= 0 && (key->primary || t->cols[c].notnull);
		}
		if (!ok)
			continue;
		tp->keycols = xcalloc(key->ncols, sizeof(*tp->keycols));
		for (k = 0; k < key->ncols; k++) {
			tp->keycols[k] = (size_t)catalog_column(t, key->cols[k]);
			tp->cols[tp->keycols[k]].key = 1;
		}
		tp->nkey = key->ncols;
		return;
	}
	leave_out(tp, "no primary key (nor a unique key of NOT NULL columns): mdrill's facts are about rows it "
		  "can find again by key");
}

/*
** The key columns' plan: the seeds number rows 1..rows, the traffic's
** inserts above them (nextid where the key is one counter column, else
** from a fresh number kept apart from the seeds': a 't', a leading 9, a
** uuid's other variant).  Key columns that are foreign keys are planned
** with the others, and a key of nothing but those gets no inserts.
*/
static void plan_key_values(struct tplan *tp)
{
	struct strbuf s = STRBUF_INIT;
	size_t k;
	int fks = 0;

	size_t numbering = tp->nkey;

	for (k = 0; k < tp->nkey; k++)
		fks += tp->cols[tp->keycols[k]].fk >= 0;
	/*
	** One key column numbers the rows: the first that is no foreign key and
	** no CHECK bounds, else the first foreign key, one row per parent row
	** (and then no inserts: a new row would need a parent without one).
	*/
	for (k = 0; k < tp->nkey && numbering == tp->nkey; k++) {
		const struct colplan *cp = &tp->cols[tp->keycols[k]];
		if (cp->fk < 0 && !cp->chk.nset && !cp->chk.has_lo && !cp->chk.has_hi)
			numbering = k;
	}
	for (k = 0; k < tp->nkey && numbering == tp->nkey; k++)
		if (tp->cols[tp->keycols[k]].fk >= 0)
			numbering = k;
	if (numbering == tp->nkey) {
		leave_out(tp, "every column of its key is bounded by a CHECK: mdrill cannot number its rows");
		return;
	}
	tp->numbering = numbering;
	tp->fk_key = tp->cols[tp->keycols[numbering]].fk >= 0;
	tp->no_insert = tp->fk_key ? "each row belongs to a row of the table its key references, which has one "
				     "already" : NULL;
	tp->aligned = tp->nkey == 1 && !fks;
	for (k = 0; k < tp->nkey && tp->in; k++) {
		struct colplan *cp = &tp->cols[tp->keycols[k]];
		int numbers = k == numbering;
		if (cp->fk >= 0)
			continue;
		strbuf_reset(&s);
		cp->unique |= tp->nkey == 1;
		if (!numbers && cp->unique && cp->ty.kind == K_TEXT && !cp->chk.nset &&
		    !unique_text(cp, 0, "n__")) {
			/* One of a UNIQUE of several columns: numbered too, apart from the traffic's. */
			strbuf_addstr(cnote(cp), "numbered, apart from the other columns of its UNIQUE");
			continue;
		}
		if (!numbers && cp->unique && cp->ty.kind == K_INT && !cp->chk.nset) {
			set_str(&cp->seed, "seq");
			set_str(&cp->tx, "concat('9', lpad(:n__, 8, '0'))");
			cp->tx_computed = 1;
			strbuf_addstr(cnote(cp), "numbered, apart from the other columns of its UNIQUE");
			continue;
		}
		if (!numbers) {
			pick_generator(cp, &s);
			if (!s.len) {
				leave_out(tp, "its key column '%s' has type '%s', which mdrill has no generator for",
					  cp->c->name, cp->c->type);
				break;
			}
			set_str(&cp->seed, s.buf);
			set_str(&cp->tx, s.buf);
			continue;
		}
		if (cp->ty.kind == K_INT || (cp->ty.kind == K_TEXT && (!cp->ty.maxlen || cp->ty.maxlen >= SEQ_DIGITS + 1))) {
			set_str(&cp->seed, "seq");
			if (tp->aligned) {
				strbuf_addstr(&s, "nextid(");
				add_ident(&s, tp->t->name);
				strbuf_addch(&s, ')');
				set_str(&cp->tx, s.buf);
			} else {
				set_str(&cp->tx, cp->ty.kind == K_INT ? "concat('9', lpad(:n__, 8, '0'))" : "concat('t', :n__)");
				cp->tx_computed = 1;
			}
		} else if (cp->ty.kind == K_UUID) {
			set_str(&tp->keytmpl, "00000000-0000-4000-8000-############");
			strbuf_addf(&s, "seq(%s)", tp->keytmpl);
			set_str(&cp->seed, s.buf);
			set_str(&cp->tx, "concat('00000000-0000-4000-9000-', lpad(:n__, 12, '0'))");
			cp->tx_computed = 1;
			tp->aligned = 0;
		} else if (cp->ty.kind == K_CHAR && cp->ty.maxlen >= 3) {
			long w, width = cp->ty.maxlen < 12 ? cp->ty.maxlen : 12;
			for (w = 0; w < width; w++)
				strbuf_addch(&s, '#');
			set_str(&tp->keytmpl, s.buf);
			strbuf_reset(&s);
			strbuf_addf(&s, "seq(%s)", tp->keytmpl);
			set_str(&cp->seed, s.buf);
			strbuf_reset(&s);
			/* A padded number still reads as the number: nextid lands above the seeds. */
			strbuf_addf(&s, "lpad(:n__, %ld, '0')", width);
			set_str(&cp->tx, s.buf);
			cp->tx_computed = 1;
		} else {
			leave_out(tp, "its key column '%s' has type '%s', which mdrill numbers no rows with",
				  cp->c->name, cp->c->type);
		}
	}
	strbuf_release(&s);
}

/*
** A column that is part of a foreign key: a drilled parent's key.  Seeds
** draw one of the parent's numbered rows (with its key's template); the
** traffic a live parent key (existing()).  A column that must stay unique
** (the first of a key made of foreign keys, or a UNIQUE one) numbers the
** seed's rows one to one with the parent's, and the table gets no inserts:
** each row belongs to a parent row that has one already.
*/
static void plan_fk_column(struct plan *pl, struct tplan *tp, struct colplan *cp)
{
	const struct cat_fkey *f = &tp->t->fkeys[cp->fk];
	struct tplan *parent = plan_table(pl, f->table);
	struct strbuf s = STRBUF_INIT;
	int pcol = -1, one_to_one;
	size_t k;

	for (k = 0; k < f->ncols; k++)
		if (!strcmp(f->cols[k], cp->c->name) && f->refcols && parent)
			pcol = catalog_column(parent->t, f->refcols[k]);
	one_to_one = (cp->key && tp->fk_key && tp->keycols[tp->numbering] == (size_t)(cp - tp->cols)) ||
		     (cp->unique && !cp->key);
	if (!parent || !parent->in || pcol < 0)
		goto unfit;
	if (parent->nkey == 1 && parent->keycols[0] == (size_t)pcol && parent->cols[pcol].fk < 0) {
		if (parent == tp && cp->c->notnull) {
			/* A row that must name one of its own table: itself. */
			if (parent->keytmpl)
				strbuf_addf(&s, "seq(%s)", parent->keytmpl);
			else
				strbuf_addstr(&s, "seq");
			set_str(&cp->seed, s.buf);
			strbuf_reset(&s);
			strbuf_addf(&s, "concat(:%s)", tp->cols[tp->keycols[0]].var);
			set_str(&cp->tx, s.buf);
			cp->tx_computed = 1;
			strbuf_addstr(cnote(cp), "refers to its own row");
			goto out;
		}
		if (parent == tp) {
			set_str(&cp->seed, "null");
			strbuf_addstr(cnote(cp), "refers to its own table: NULL in the seed, a live row in the traffic");
		} else if (!parent->seeded) {
			set_str(&cp->seed, NULL);
		} else if (one_to_one) {
			if (parent->keytmpl)
				strbuf_addf(&s, "seq(%s)", parent->keytmpl);
			else
				strbuf_addstr(&s, "seq");
			set_str(&cp->seed, s.buf);
			strbuf_addf(cnote(cp), "one row per row of %s", parent->t->name);
		} else if (parent->keytmpl) {
			strbuf_addf(&s, "int(1,:rows,%s)", parent->keytmpl);
			set_str(&cp->seed, s.buf);
		} else {
			set_str(&cp->seed, "int(1,:rows)");
		}
		strbuf_reset(&s);
		strbuf_addstr(&s, "existing(");
		add_ident(&s, parent->t->name);
		strbuf_addch(&s, ')');
		set_str(&cp->tx, s.buf);
		if (!one_to_one)
			set_str(&cp->upd, s.buf);
		if (one_to_one && !cp->key) {
			tp->fk_key = 1;
			tp->no_insert = "a UNIQUE foreign key gives each row its own row of the table it references, "
					"which has one already";
		}
		goto out;
	}
	/*
	** A unique column of the parent made from its key: the same text around
	** a parent's number.  Where the parent's key is no counter the traffic
	** cannot name a live row's value: then the seeds alone do, and the
	** table gets no inserts.
	*/
	if (parent->seeded && parent->cols[pcol].prefix && !one_to_one && !parent->aligned) {
		struct colplan *pc = &parent->cols[pcol];
		strbuf_addf(&s, "int(1,:rows,%s#%s)", pc->prefix, pc->suffix);
		set_str(&cp->seed, s.buf);
		tp->no_insert = "a foreign key names its parent by a column the traffic cannot read off a live row";
		strbuf_addf(cnote(cp), "a seeded row of %s by its %s", parent->t->name, pc->c->name);
		goto out;
	}
	if (parent->aligned && parent->seeded && parent->cols[pcol].prefix && !one_to_one) {
		struct colplan *pc = &parent->cols[pcol];
		strbuf_addf(&s, "int(1,:rows,%s#%s)", pc->prefix, pc->suffix);
		set_str(&cp->seed, s.buf);
		strbuf_reset(&s);
		strbuf_addf(&s, "concat('%s', :%s__p, '%s')", pc->prefix, cp->var, pc->suffix);
		set_str(&cp->tx, s.buf);
		cp->tx_computed = 1;
		strbuf_reset(&s);
		strbuf_addf(&s, "%s__p existing(%s)", cp->var, parent->t->name);
		set_str(&cp->helper, s.buf);
		strbuf_addf(cnote(cp), "a row of %s by its %s", parent->t->name, pc->c->name);
		goto out;
	}
unfit:
	if (!cp->c->notnull && !cp->key) {
		set_str(&cp->seed, "null");
		set_str(&cp->tx, "null");
		strbuf_addf(cnote(cp), "references %s, %s: NULL", f->table,
			    !parent ? "which is not in the schema" : !parent->in ? "which is left out" :
				      "by columns mdrill does not number");
		goto out;
	}
	leave_out(tp, "'%s' references %s, %s", cp->c->name, f->table,
		  !parent ? "which is not in the schema" : !parent->in ? "which is left out" :
			    "by columns mdrill does not number (not its one-column key)");
out:
	strbuf_release(&s);
}

/* The unique text columns of tp (not keys, not foreign keys): numbered, as the rows are. */
static void plan_unique_texts(struct tplan *tp)
{
	size_t i;
	for (i = 0; i < tp->ncols; i++) {
		struct colplan *cp = &tp->cols[i];
		if (!cp->unique || cp->key || cp->fk >= 0 || cp->c->generated || cp->ty.kind != K_TEXT || cp->chk.nset)
			continue;
		if (!unique_text(cp, tp->aligned, tp->nkey ? tp->cols[tp->keycols[0]].var : "n__"))
			strbuf_addstr(cnote(cp), "numbered, as the rows are");
	}
}

/* Plan the columns of tp: generators for seeds, inserts and updates. */
/*
** The table a column's name says it refers to where no FOREIGN KEY does
** (project_id, projectId: project or projects; parent, parent_id: its own
** table), or NULL.  Real schemas leave many references undeclared; random
** numbers there would break what the application keeps, as a NOT VALID
** foreign key added later shows.
*/
static struct tplan *named_parent(const struct plan *pl, struct tplan *tp, const char *col)
{
	static const char *const tails[] = { "", "s", "es" };
	struct strbuf stem = STRBUF_INIT, name = STRBUF_INIT;
	struct tplan *found = NULL;
	size_t n = strlen(col), i, k;

	if (!strcasecmp(col, "parent") || !strcasecmp(col, "parent_id") || !strcmp(col, "parentId"))
		return tp;
	if (n > 3 && !strcasecmp(col + n - 3, "_id"))
		strbuf_add(&stem, col, n - 3);
	else if (n > 2 && !strcmp(col + n - 2, "Id"))
		strbuf_add(&stem, col, n - 2);
	else
		return NULL;
	for (k = 0; k < sizeof(tails) / sizeof(tails[0]) && !found; k++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%s%s", stem.buf, tails[k]);
		for (i = 0; i < pl->n && !found; i++)
			if (!strcasecmp(pl->t[i].t->name, name.buf))
				found = &pl->t[i];
	}
	if (!found && stem.len > 1 && (stem.buf[stem.len - 1] == 'y' || stem.buf[stem.len - 1] == 'Y')) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%.*sies", (int)stem.len - 1, stem.buf);
		for (i = 0; i < pl->n && !found; i++)
			if (!strcasecmp(pl->t[i].t->name, name.buf))
				found = &pl->t[i];
	}
	strbuf_release(&stem);
	strbuf_release(&name);
	return found;
}

/*
** A column named as a reference to a table (named_parent) with no FOREIGN
** KEY: its values are that table's keys, seeded ones in the seed and live
** ones in the traffic, as the application writes them.  Returns 1 when so
** planned.  No constraint orders the seeds, so any seeded key will do.
*/
static int plan_soft_ref(struct plan *pl, struct tplan *tp, struct colplan *cp)
{
	struct tplan *parent;
	const struct colplan *pk;
	struct strbuf s = STRBUF_INIT;

	if (cp->key || cp->unique || cp->chk.nset || cp->chk.unknown || cp->db_written ||
	    !(parent = named_parent(pl, tp, cp->c->name)) || !parent->in || !parent->seeded || parent->nkey != 1)
		return 0;
	pk = &parent->cols[parent->keycols[0]];
	if (pk->fk >= 0 || cp->ty.kind != pk->ty.kind || (cp->ty.kind != K_INT && cp->ty.kind != K_UUID) ||
	    (cp->ty.kind == K_INT && parent->keytmpl) || (cp->ty.kind == K_UUID && !parent->keytmpl))
		return 0;
	if (parent->keytmpl)
		strbuf_addf(&s, "int(1,:rows,%s)", parent->keytmpl);
	else
		strbuf_addstr(&s, "int(1,:rows)");
	set_str(&cp->seed, s.buf);
	strbuf_reset(&s);
	strbuf_addstr(&s, "existing(");
	add_ident(&s, parent->t->name);
	strbuf_addch(&s, ')');
	set_str(&cp->tx, s.buf);
	set_str(&cp->upd, s.buf);
	cp->soft = parent;
	strbuf_addf(cnote(cp), "named as a reference to %s, though no FOREIGN KEY says so: one of its rows",
		    parent->t->name);
	strbuf_release(&s);
	return 1;
}

/*
** Where a database's statistics say a column holds few distinct values (a
** status, a country), its generator draws from that many: a UNIQUE the
** new migration adds then fails here as it would there, instead of passing
** on values mdrill made up.  Plain integers and text only; a CHECK's list,
** an enum or a key already decide their values.
*/
#define REPEAT_MAX 1000

static void repeat_as_production(struct colplan *cp, struct strbuf *g)
{
	long long lo, hi, d = (long long)(cp->distinct + 0.5);
	int digits = 1;
	long long p;

	if (cp->distinct < 1 || d > REPEAT_MAX || cp->chk.nset || cp->chk.unknown)
		return;
	for (p = 10; p <= d; p *= 10)
		digits++;
	if (cp->ty.kind == K_INT && sscanf(g->buf, "int(%lld,%lld)", &lo, &hi) == 2) {
		if (hi - lo + 1 <= d)
			return;
		strbuf_reset(g);
		strbuf_addf(g, "int(%lld,%lld)", lo, lo + d - 1);
	} else if (cp->ty.kind == K_TEXT && strcmp(g->buf, "json")) {
		long maxlen = cp->ty.maxlen > 0 ? cp->ty.maxlen : 64;
		if ((cp->chk.maxlen >= 0 && cp->chk.maxlen < maxlen ? cp->chk.maxlen : maxlen) < 1 + digits ||
		    cp->chk.minlen > 1 + digits)
			return;
		strbuf_reset(g);
		strbuf_addf(g, "int(1,%lld,v%.*s)", d, digits, "####################");
	} else {
		return;
	}
	strbuf_addf(cnote(cp), "%lld distinct value%s in the database's statistics: drawn from as many", d,
		    d == 1 ? "" : "s");
}

static void plan_columns(struct plan *pl, struct tplan *tp)
{
	const struct cat_table *t = tp->t;
	size_t i;

	for (i = 0; i < t->ncols && tp->in; i++) {
		struct colplan *cp = &tp->cols[i];
		struct strbuf g = STRBUF_INIT;

		if (cp->c->generated) {
			cp->insert = 0;
			strbuf_addstr(cnote(cp), "computed by the engine: never written");
			continue;
		}
		cp->insert = 1;
		if (cp->c->written_by && !cp->key) {
			/* Written as the app writes it, but what it holds is the trigger's: no fact of the app's. */
			cp->db_written = 1;
			strbuf_addf(cnote(cp), "set by trigger %s: the database's value, not the application's fact "
				    "('-- @untracked')", cp->c->written_by);
		}
		if (cp->fk >= 0) {
			plan_fk_column(pl, tp, cp);
			continue;
		}
		if (cp->key)
			continue; /* plan_key_values */
		if (cp->chk.nset && !set_fits_pick(&cp->chk)) {
			size_t k;
			for (k = 0; k < cp->chk.nset; k++)
				free(cp->chk.set[k]);
			free(cp->chk.set);
			cp->chk.set = NULL;
			cp->chk.nset = 0;
			strbuf_addstr(cnote(cp), "its CHECK lists values pick() cannot hold: check the generator");
		}
		if (cp->seed && cp->unique)
			continue; /* plan_unique_texts */
		if (cp->unique && cp->ty.kind == K_INT && !cp->chk.nset) {
			/* The row's own number where the key counts rows, else a fresh one above the seeds'. */
			struct strbuf e = STRBUF_INIT;
			set_str(&cp->seed, "seq");
			if (tp->aligned)
				strbuf_addf(&e, "concat(:%s)", tp->cols[tp->keycols[0]].var);
			else
				strbuf_addstr(&e, "concat('9', lpad(:n__, 8, '0'))");
			set_str(&cp->tx, e.buf);
			cp->tx_computed = 1;
			set_str(&cp->upd, tp->aligned ? "concat(:n__)" : "concat('9', lpad(:n__, 8, '0'))");
			cp->upd_computed = 1;
			strbuf_release(&e);
			strbuf_addstr(cnote(cp), "numbered, as the rows are");
			continue;
		}
		if (plan_soft_ref(pl, tp, cp))
			continue;
		if (cp->chk.unknown && !cp->c->notnull) {
			/* A CHECK mdrill cannot read passes a NULL: the column stays empty, and says so. */
			set_str(&cp->seed, "null");
			set_str(&cp->tx, "null");
			strbuf_addstr(cnote(cp), "so it is NULL, which any CHECK passes");
			continue;
		}
		pick_generator(cp, &g);
		if (!g.len) {
			strbuf_release(&g);
			if (cp->c->def || !cp->c->notnull) {
				cp->insert = 0;
				strbuf_addf(cnote(cp), "type '%s' has no generator: left to its %s", cp->c->type,
					    cp->c->def ? "default" : "NULL");
				continue;
			}
			leave_out(tp, "column '%s' has type '%s', which mdrill has no generator for, and may not be "
				  "NULL (no default)", cp->c->name, cp->c->type);
			break;
		}
		if (cp->unique && cp->ty.kind != K_UUID)
			strbuf_addstr(cnote(cp), "values of this type are drawn at random and may meet");
		else if (!cp->unique)
			repeat_as_production(cp, &g);
		if (cp->ty.kind == K_BOOL)
			cp->cast_int = 1;
		set_str(&cp->seed, g.buf);
		set_str(&cp->tx, g.buf);
		set_str(&cp->upd, g.buf);
		strbuf_release(&g);
	}
}

/* Build the plans of every table of cat; seeded says which exist before the new migration. */
static void plan_build(struct plan *pl, const struct db_catalog *cat, const struct plan *old,
		       const struct scaffold_opts *o, int is_new)
{
	size_t i, k, j;
	int changed;

	memset(pl, 0, sizeof(*pl));
	pl->cat = cat;
	pl->t = xcalloc(cat->nr ? cat->nr : 1, sizeof(*pl->t));
	pl->n = cat->nr;
	for (i = 0; i < cat->nr; i++) {
		struct tplan *tp = &pl->t[i];
		const struct cat_table *t = &cat->v[i];
		const struct tplan *ot = old ? plan_table(old, t->name) : NULL;
		tp->t = t;
		tp->in = 1;
		tp->seeded = !is_new || (ot && ot->seeded);
		tp->ncols = t->ncols;
		tp->cols = xcalloc(t->ncols ? t->ncols : 1, sizeof(*tp->cols));
		for (k = 0; k < t->ncols; k++) {
			struct colplan *cp = &tp->cols[k];
			cp->c = &t->cols[k];
			cp->fk = -1;
			cp->var = var_name(cp->c, k);
			cp->null_frac = -1;
			cp->distinct = -1;
			if (o->stats) {
				const struct db_stats_column *st = db_stats_column(o->stats, t->name, cp->c->name);
				if (st && st->null_frac >= 0)
					cp->null_frac = st->null_frac;
				cp->distinct = db_stats_distinct(o->stats, st);
			}
			cp->chk.minlen = cp->chk.maxlen = -1;
			strbuf_init(&cp->note);
			strbuf_init(&cp->chknote);
			classify(cp->c, &cp->ty);
		}
		for (k = 0; k < t->nfkeys; k++)
			for (j = 0; j < t->fkeys[k].ncols; j++) {
				int c = catalog_column(t, t->fkeys[k].cols[j]);
				if (c >= 0 && tp->cols[c].fk < 0)
					tp->cols[c].fk = (int)k;
			}
		for (k = 0; k < t->nkeys; k++)
			if (t->keys[k].ncols == 1 && catalog_column(t, t->keys[k].cols[0]) >= 0)
				tp->cols[catalog_column(t, t->keys[k].cols[0])].unique = 1;
		/* A unique key of several columns: the first plain one numbered keeps them apart. */
		for (k = 0; k < t->nkeys; k++) {
			int first = -1, first_fk = -1, any = 0;
			if (t->keys[k].primary || t->keys[k].ncols < 2)
				continue;
			for (j = 0; j < t->keys[k].ncols; j++) {
				int c = catalog_column(t, t->keys[k].cols[j]);
				if (c < 0)
					continue;
				any |= tp->cols[c].unique;
				if (first < 0 && tp->cols[c].fk < 0 &&
				    (tp->cols[c].ty.kind == K_TEXT || tp->cols[c].ty.kind == K_INT))
					first = c;
				if (first_fk < 0 && tp->cols[c].fk >= 0)
					first_fk = c;
			}
			/*
			** Only references (a membership: tenant and user): the first one a
			** row each of its parent's keeps the pairs apart, where random
			** parents would meet twice.
			*/
			if (!any && first < 0)
				first = first_fk;
			if (!any && first >= 0)
				tp->cols[first].unique = tp->cols[first].unique_part = 1;
		}
		for (k = 0; k < t->nchecks; k++)
			apply_check(tp, t->checks[k]);
		if (!directive_name_ok(t->name))
			leave_out(tp, "its name holds characters a scenario cannot name a table with");
		for (k = 0; k < t->ncols && tp->in; k++)
			if (!directive_name_ok(t->cols[k].name))
				leave_out(tp, "column '%s' has a name a scenario cannot hold", t->cols[k].name);
		/* The tools' tables and mdrill's own record are the drill's to keep, not the app's. */
		if (history_is_tool_table(t->name))
			leave_out(tp, "the migration tool's own bookkeeping");
		if (o->ntables) {
			for (k = 0; k < o->ntables && strcmp(o->tables[k], t->name); k++)
				;
			if (k == o->ntables)
				leave_out(tp, "not among --tables");
		}
		/* A table the first plan left out stays out: the trial found it so. */
		if (ot && !ot->in)
			leave_out(tp, "%s", ot->why);
		if (tp->in)
			plan_key(tp);
		/*
		** Facts keep the key they were written under: where the new
		** migration changes a table's key, new code's rows are still found
		** by the old key's columns, as long as they are there.
		*/
		if (tp->in && ot && ot->in && ot->nkey && tp->nkey) {
			size_t *cols = xcalloc(ot->nkey, sizeof(*cols));
			for (k = 0; k < ot->nkey; k++) {
				int c = catalog_column(t, ot->t->cols[ot->keycols[k]].name);
				if (c < 0)
					break;
				cols[k] = (size_t)c;
			}
			if (k == ot->nkey) {
				for (j = 0; j < tp->ncols; j++)
					tp->cols[j].key = 0;
				for (k = 0; k < ot->nkey; k++)
					tp->cols[cols[k]].key = 1;
				free(tp->keycols);
				tp->keycols = cols;
				tp->nkey = ot->nkey;
			} else {
				free(cols);
			}
		}
	}
	/* A parent left out can take its children with it: until nothing changes. */
	do {
		changed = 0;
		for (i = 0; i < pl->n; i++) {
			struct tplan *tp = &pl->t[i];
			if (!tp->in)
				continue;
			for (k = 0; k < tp->ncols; k++) {
				free(tp->cols[k].seed);
				free(tp->cols[k].tx);
				free(tp->cols[k].upd);
				free(tp->cols[k].prefix);
				free(tp->cols[k].suffix);
				free(tp->cols[k].helper);
				tp->cols[k].seed = tp->cols[k].tx = tp->cols[k].upd = NULL;
				tp->cols[k].prefix = tp->cols[k].suffix = tp->cols[k].helper = NULL;
				tp->cols[k].tx_computed = tp->cols[k].upd_computed = 0;
				strbuf_reset(&tp->cols[k].note);
			}
			free(tp->keytmpl);
			tp->keytmpl = NULL;
			plan_key_values(tp);
		}
		/* Unique texts before foreign keys, which may point at them. */
		for (i = 0; i < pl->n; i++)
			if (pl->t[i].in)
				plan_unique_texts(&pl->t[i]);
		for (i = 0; i < pl->n; i++) {
			struct tplan *tp = &pl->t[i];
			int was = tp->in;
			if (tp->in)
				plan_columns(pl, tp);
			changed |= was != tp->in;
		}
	} while (changed);
	for (i = 0; i < pl->n; i++) {
		struct tplan *tp = &pl->t[i];
		const struct cat_table *t = tp->t;
		struct strbuf w = STRBUF_INIT;
		for (k = 0; k < t->nfkeys; k++) {
			struct tplan *p = plan_table(pl, t->fkeys[k].table);
			if (p && p != tp && tp->in)
				p->referenced = 1;
		}
		/* An undeclared reference is kept as a declared one is: its rows are not deleted under it. */
		for (k = 0; tp->in && k < tp->ncols; k++)
			if (tp->cols[k].soft)
				tp->cols[k].soft->referenced = 1;
		strbuf_addf(&w, "w_%s", t->name);
		for (k = 2; k < w.len; k++)
			if (!isalnum((unsigned char)w.buf[k]))
				w.buf[k] = '_';
		tp->weight = strbuf_detach(&w);
	}
	/* Columns a foreign key points at keep their values: no update of them. */
	for (i = 0; i < pl->n; i++) {
		const struct cat_table *t = pl->t[i].t;
		for (k = 0; k < t->nfkeys; k++) {
			struct tplan *p = plan_table(pl, t->fkeys[k].table);
			for (j = 0; p && t->fkeys[k].refcols && j < t->fkeys[k].ncols; j++) {
				int c = catalog_column(p->t, t->fkeys[k].refcols[j]);
				if (c >= 0)
					p->cols[c].referenced = 1;
			}
		}
	}
}

/*
** Foreign-key order for the seeds: a parent before its children.  Where
** parents wait on each other, a nullable reference is seeded NULL to
** break the circle, and said.  The order goes into each plan's order.
*/
static void plan_order(struct plan *pl)
{
	char *placed = xcalloc(pl->n ? pl->n : 1, 1);
	size_t done = 0, i, k;
	unsigned next = 0;

	for (i = 0; i < pl->n; i++)
		if (!pl->t[i].in || !pl->t[i].seeded) {
			placed[i] = 1;
			done++;
		}
	while (done < pl->n) {
		int progress = 0;
		for (i = 0; i < pl->n; i++) {
			struct tplan *tp = &pl->t[i];
			int ready = 1;
			if (placed[i])
				continue;
			for (k = 0; k < tp->ncols && ready; k++) {
				const struct colplan *cp = &tp->cols[k];
				struct tplan *p;
				if (cp->fk < 0 || !cp->seed || !strcmp(cp->seed, "null"))
					continue;
				p = plan_table(pl, tp->t->fkeys[cp->fk].table);
				if (p && p != tp && !placed[p - pl->t])
					ready = 0;
			}
			if (!ready)
				continue;
			tp->order = next++;
			placed[i] = 1;
			done++;
			progress = 1;
		}
		if (progress)
			continue;
		/* A circle: the first nullable reference in it waits for a NULL. */
		for (i = 0; i < pl->n && !progress; i++) {
			struct tplan *tp = &pl->t[i];
			if (placed[i])
				continue;
			for (k = 0; k < tp->ncols && !progress; k++) {
				struct colplan *cp = &tp->cols[k];
				if (cp->fk < 0 || !cp->seed || !strcmp(cp->seed, "null") || cp->c->notnull)
					continue;
				set_str(&cp->seed, "null");
				strbuf_addstr(cnote(cp), "NULL in the seed: its table and the one it references refer "
					      "to each other");
				progress = 1;
			}
		}
		if (!progress) {
			/* Nothing nullable in the circle: those tables cannot be seeded in any order. */
			for (i = 0; i < pl->n; i++) {
				if (placed[i])
					continue;
				leave_out(&pl->t[i], "it and the tables it references refer to each other through "
					  "columns that may not be NULL: no order seeds them");
				placed[i] = 1;
				done++;
			}
		}
	}
	free(placed);
}

/* ------------------------------------------------------------------ */
/* Writing the scenario                                               */
/* ------------------------------------------------------------------ */

/* Lines of text as '-- ' comments, each at most about width wide. */
/*
** text onto out with each control character as '?': names from a
** history (its files', a table's) go into comment and directive lines,
** and a line break in one would start a line of the scenario's own.
*/
static void add_line_safe(struct strbuf *out, const char *text, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		strbuf_addch(out, (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i]);
}

static void add_comment(struct strbuf *out, const char *lead, const char *text)
{
	struct strbuf lines = STRBUF_INIT;
	const char *s = text;
	size_t col = 0, lead_len = strlen(lead);

	strbuf_addstr(&lines, lead);
	col = lead_len;
	while (*s) {
		size_t w = strcspn(s, " ");
		if (col > lead_len && col + 1 + w > 76) {
			strbuf_addstr(&lines, "\n--   ");
			col = 5;
		} else if (col > lead_len) {
			strbuf_addch(&lines, ' ');
			col++;
		}
		add_line_safe(&lines, s, w);
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
	strbuf_addch(&lines, '\n');
	/* A word from a history that starts with '@' must not start a line as a directive does. */
	sql_add_inert(out, lines.buf);
	strbuf_release(&lines);
}

/* The SQL of t's key as one value: a column, or columns joined by '|'. */
static void add_key_expr(struct strbuf *out, const struct tplan *tp)
{
	size_t k;
	for (k = 0; k < tp->nkey; k++) {
		if (k)
			strbuf_addstr(out, " || '|' || ");
		add_ident(out, tp->t->cols[tp->keycols[k]].name);
	}
}

/* A field of a '@writes' line: quoted as SQL needs, and a column called key too (key= is the row's). */
static void add_field(struct strbuf *out, const char *name)
{
	if (!strcasecmp(name, "key"))
		sql_add_quoted(out, name, '"');
	else
		add_ident(out, name);
}

/* A directive's table name: as written, or quoted. */
static void add_dname(struct strbuf *out, const char *name)
{
	add_ident(out, name);
}

/* A transaction's name: table, then what it does. */
static void add_txname(struct strbuf *out, const char *table, const char *what, const char *col)
{
	size_t i;
	for (i = 0; table[i]; i++)
		strbuf_addch(out, isalnum((unsigned char)table[i]) || table[i] == '_' ? table[i] : '_');
	strbuf_addf(out, ".%s", what);
	if (col) {
		strbuf_addch(out, '.');
		for (i = 0; col[i]; i++)
			strbuf_addch(out, isalnum((unsigned char)col[i]) || col[i] == '_' ? col[i] : '_');
	}
}

static int needs_fresh(const char *expr)
{
	return expr && strstr(expr, ":n__");
}

/* The columns of the probe: the key first, then every column either schema writes. */
/*
** The column of n that oc of o became when the new migration renamed it:
** the same number in the table (PostgreSQL's attnum; SQLite's position,
** which RENAME COLUMN keeps), the same type, neither name in the other
** schema.  NULL when it was not renamed.
*/
static const struct colplan *renamed_to(const struct tplan *o, const struct colplan *oc, const struct tplan *n)
{
	size_t i;
	if (!n || !n->in || catalog_column(n->t, oc->c->name) >= 0)
		return NULL;
	for (i = 0; i < n->ncols; i++) {
		const struct colplan *nc = &n->cols[i];
		if (nc->c->num == oc->c->num && !strcmp(nc->c->type, oc->c->type) &&
		    catalog_column(o->t, nc->c->name) < 0)
			return nc;
	}
	return NULL;
}

static void write_probe(struct strbuf *out, const struct tplan *o, const struct tplan *n)
{
	const struct tplan *base = n && n->in ? n : o;
	size_t i, k;
	int first = 1;

	/* A renamed column keeps its values: its facts are read under the new name. */
	for (i = 0; o && o->in && i < o->ncols; i++) {
		const struct colplan *nc = renamed_to(o, &o->cols[i], n);
		if (nc && !o->cols[i].key && o->cols[i].insert) {
			struct strbuf line = STRBUF_INIT;
			strbuf_addf(&line, "%s.%s is renamed %s by the new migration: what was written under either "
				    "name is one fact, read under the new one, and old code's statements that still name "
				    "it fail.", o->t->name,
				    o->cols[i].c->name, nc->c->name);
			add_comment(out, "-- ", line.buf);
			strbuf_release(&line);
			strbuf_addstr(out, "-- @renamed ");
			add_dname(out, o->t->name);
			strbuf_addch(out, '.');
			add_dname(out, o->cols[i].c->name);
			strbuf_addch(out, ' ');
			add_dname(out, nc->c->name);
			strbuf_addch(out, '\n');
		}
	}
	strbuf_addstr(out, "-- @probe ");
	add_dname(out, base->t->name);
	strbuf_addstr(out, "\nSELECT ");
	if (base->nkey == 1) {
		add_ident(out, base->t->cols[base->keycols[0]].name);
	} else {
		add_key_expr(out, base);
		strbuf_addstr(out, " AS k__");
	}
	first = 0;
	for (k = 0; k < 2; k++) {
		const struct tplan *tp = k ? n : o;
		if (!tp || !tp->in)
			continue;
		for (i = 0; i < tp->ncols; i++) {
			const struct colplan *cp = &tp->cols[i];
			size_t j;
			int seen = 0;
			if (cp->key || !cp->insert || cp->db_written)
				continue;
			/* Once: a column both schemas have is read once. */
			if (k) {
				for (j = 0; o && o->in && j < o->ncols; j++)
					if (!strcmp(o->cols[j].c->name, cp->c->name) && !o->cols[j].key && o->cols[j].insert)
						seen = 1;
				if (seen)
					continue;
			}
			/* A renamed column is read once, under its new name ('-- @renamed' joins the facts). */
			if (!k && renamed_to(o, cp, n))
				continue;
			strbuf_addstr(out, first ? "" : ", ");
			if (cp->cast_int) {
				strbuf_addstr(out, "CAST(");
				add_ident(out, cp->c->name);
				strbuf_addstr(out, " AS INTEGER) AS ");
				add_ident(out, cp->c->name);
			} else {
				add_ident(out, cp->c->name);
			}
		}
	}
	strbuf_addstr(out, " FROM ");
	add_ident(out, base->t->name);
	strbuf_addstr(out, ";\n\n");
}

/*
** gen onto out, and for a nullable column ' nulls=' its share of NULLs:
** the scenario's null_rate, or the rate a database's statistics gave.  A
** value computed from others, a key, a live parent's key or NULL itself
** takes none.
*/
static void add_gen(struct strbuf *out, const struct colplan *cp, const char *gen, int computed)
{
	strbuf_addstr(out, gen);
	if (cp->c->notnull || cp->key || computed || !strcmp(gen, "null") || !strncmp(gen, "existing(", 9) ||
	    !strncmp(gen, "nextid(", 7))
		return;
	if (cp->null_frac >= 0)
		strbuf_addf(out, " nulls=%.4g", cp->null_frac);
	else
		strbuf_addstr(out, " nulls=:null_rate");
}

/* t's seed: its columns in order, each with a generator and what chose it. */
static void write_seed(struct strbuf *out, const struct tplan *tp)
{
	size_t i, k;

	strbuf_addstr(out, "-- @seed ");
	add_dname(out, tp->t->name);
	strbuf_addstr(out, " :rows");
	if (tp->nkey > 1) {
		strbuf_addstr(out, " key=");
		for (k = 0; k < tp->nkey; k++) {
			strbuf_addstr(out, k ? "," : "");
			add_ident(out, tp->t->cols[tp->keycols[k]].name);
		}
	}
	strbuf_addch(out, '\n');
	/* The key first: without key= the first column is the key. */
	for (k = 0; k < 2; k++)
		for (i = 0; i < tp->ncols; i++) {
			const struct colplan *cp = &tp->cols[i];
			int is_first_key = tp->nkey == 1 && tp->keycols[0] == i;
			if ((k == 0) != is_first_key || !cp->insert || !cp->seed)
				continue;
			strbuf_addstr(out, "-- @gen ");
			add_dname(out, tp->t->name);
			strbuf_addch(out, '.');
			add_ident(out, cp->c->name);
			strbuf_addch(out, ' ');
			add_gen(out, cp, cp->seed, 0);
			strbuf_addch(out, '\n');
		}
}

/* '\set' lines for an insert of tp: plain generators first, then the values built from them. */
static void write_insert(struct strbuf *out, const struct tplan *tp)
{
	size_t i, k;
	int fresh = 0, any = 0;

	strbuf_addstr(out, "-- @tx ");
	add_txname(out, tp->t->name, "insert", NULL);
	strbuf_addf(out, " weight=:%s autocommit\n", tp->weight);
	for (i = 0; i < tp->ncols; i++)
		fresh |= tp->cols[i].insert && needs_fresh(tp->cols[i].tx);
	if (fresh) {
		strbuf_addf(out, "-- \\set n__ nextid(");
		add_dname(out, tp->t->name);
		strbuf_addstr(out, ")\n");
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < tp->ncols; i++) {
			const struct colplan *cp = &tp->cols[i];
			if (!cp->insert || !cp->tx || cp->tx_computed != (int)k)
				continue;
			if (cp->helper)
				strbuf_addf(out, "-- \\set %s\n", cp->helper);
			strbuf_addf(out, "-- \\set %s ", cp->var);
			add_gen(out, cp, cp->tx, cp->tx_computed);
			strbuf_addch(out, '\n');
		}
	if (tp->nkey > 1) {
		strbuf_addstr(out, "-- \\set k__ concat(");
		for (k = 0; k < tp->nkey; k++)
			strbuf_addf(out, "%s:%s", k ? ", '|', " : "", tp->cols[tp->keycols[k]].var);
		strbuf_addstr(out, ")\n");
	}
	strbuf_addstr(out, "INSERT INTO ");
	add_ident(out, tp->t->name);
	strbuf_addstr(out, " (");
	for (i = 0; i < tp->ncols; i++) {
		if (!tp->cols[i].insert || !tp->cols[i].tx)
			continue;
		strbuf_addstr(out, any++ ? ", " : "");
		add_ident(out, tp->cols[i].c->name);
	}
	strbuf_addstr(out, ") VALUES (");
	any = 0;
	for (i = 0; i < tp->ncols; i++) {
		if (!tp->cols[i].insert || !tp->cols[i].tx)
			continue;
		strbuf_addf(out, "%s:%s", any++ ? ", " : "", tp->cols[i].var);
	}
	strbuf_addstr(out, ");\n-- @writes ");
	add_dname(out, tp->t->name);
	strbuf_addf(out, " key=:%s", tp->nkey > 1 ? "k__" : tp->cols[tp->keycols[0]].var);
	any = 0;
	for (i = 0; i < tp->ncols; i++) {
		const struct colplan *cp = &tp->cols[i];
		if (!cp->insert || !cp->tx || cp->key || cp->db_written)
			continue;
		strbuf_addch(out, ' ');
		add_field(out, cp->c->name);
		strbuf_addf(out, "=:%s", cp->var);
		any++;
	}
	strbuf_addstr(out, "\n\n");
}

/* The row to change: a live key of tp, into k__. */
static void write_existing(struct strbuf *out, const struct tplan *tp)
{
	strbuf_addstr(out, "-- \\set k__ existing(");
	add_dname(out, tp->t->name);
	strbuf_addstr(out, ")\n");
}

static void write_update(struct strbuf *out, const struct tplan *tp, const struct colplan *cp)
{
	strbuf_addstr(out, "-- @tx ");
	add_txname(out, tp->t->name, "update", cp->c->name);
	strbuf_addf(out, " weight=:%s\n", tp->weight);
	write_existing(out, tp);
	if (needs_fresh(cp->upd)) {
		strbuf_addstr(out, "-- \\set n__ nextid(");
		add_dname(out, tp->t->name);
		strbuf_addstr(out, ")\n");
	}
	strbuf_addstr(out, "-- \\set v__ ");
	add_gen(out, cp, cp->upd, cp->upd_computed);
	strbuf_addstr(out, "\nUPDATE ");
	add_ident(out, tp->t->name);
	strbuf_addstr(out, " SET ");
	add_ident(out, cp->c->name);
	strbuf_addstr(out, " = :v__ WHERE ");
	add_key_expr(out, tp);
	strbuf_addstr(out, " = :k__;\n-- @rows 1\n-- @writes ");
	add_dname(out, tp->t->name);
	strbuf_addstr(out, " key=:k__ ");
	add_field(out, cp->c->name);
	strbuf_addstr(out, "=:v__\n\n");
}

static void write_delete(struct strbuf *out, const struct tplan *tp)
{
	strbuf_addstr(out, "-- @tx ");
	add_txname(out, tp->t->name, "delete", NULL);
	strbuf_addf(out, " weight=:%s\n", tp->weight);
	write_existing(out, tp);
	strbuf_addstr(out, "DELETE FROM ");
	add_ident(out, tp->t->name);
	strbuf_addstr(out, " WHERE ");
	add_key_expr(out, tp);
	strbuf_addstr(out, " = :k__;\n-- @rows 1\n-- @deletes ");
	add_dname(out, tp->t->name);
	strbuf_addstr(out, " key=:k__\n\n");
}

/* Can an update of cp stand on its own: a value of its own, not part of a key, not pointed at? */
static int updatable(const struct colplan *cp)
{
	return cp->insert && cp->upd && !cp->key && !cp->referenced && !cp->db_written;
}

/* The transactions of one app version: per drilled table, an insert, an update per column, a delete. */
static void write_app(struct strbuf *out, const char *version, const struct plan *pl, const char *what)
{
	size_t i, k;

	strbuf_addf(out, "-- @app %s\n", version);
	add_comment(out, "-- ", what);
	strbuf_addch(out, '\n');
	for (i = 0; i < pl->n; i++) {
		const struct tplan *tp = &pl->t[i];
		if (!tp->in)
			continue;
		strbuf_addf(out, "-- ---- %s ----\n", tp->t->name);
		if (tp->no_insert) {
			struct strbuf why = STRBUF_INIT;
			strbuf_addf(&why, "no insert: %s", tp->no_insert);
			add_comment(out, "-- ", why.buf);
			strbuf_release(&why);
		} else {
			write_insert(out, tp);
		}
		for (k = 0; k < tp->ncols; k++)
			if (updatable(&tp->cols[k]))
				write_update(out, tp, &tp->cols[k]);
		if (tp->referenced) {
			add_comment(out, "-- ", "no delete: a foreign key of another table points at its rows");
			strbuf_addch(out, '\n');
		} else {
			write_delete(out, tp);
		}
	}
}

/* What the new migration changes in t, for its section: columns added, dropped, retyped. */
static void write_diff(struct strbuf *out, const struct tplan *o, const struct tplan *n)
{
	struct strbuf d = STRBUF_INIT;
	size_t i;
	int c;

	if (!o && n) {
		add_comment(out, "-- ", "the new migration creates this table: app 'new' writes it, nothing seeds it");
		return;
	}
	if (o && !n) {
		add_comment(out, "-- ", "the new migration drops this table");
		return;
	}
	for (i = 0; i < n->t->ncols; i++) {
		c = catalog_column(o->t, n->t->cols[i].name);
		if (c < 0)
			strbuf_addf(&d, "%sadds %s %s%s%s", d.len ? "; " : "", n->t->cols[i].name, n->t->cols[i].type,
				    n->t->cols[i].notnull ? " NOT NULL" : "", n->t->cols[i].def ? " with a default" : "");
		else if (strcmp(o->t->cols[c].type, n->t->cols[i].type))
			strbuf_addf(&d, "%s%s becomes %s", d.len ? "; " : "", n->t->cols[i].name, n->t->cols[i].type);
		else if (o->t->cols[c].notnull != n->t->cols[i].notnull)
			strbuf_addf(&d, "%s%s becomes %s", d.len ? "; " : "", n->t->cols[i].name,
				    n->t->cols[i].notnull ? "NOT NULL" : "nullable");
	}
	for (i = 0; i < o->t->ncols; i++)
		if (catalog_column(n->t, o->t->cols[i].name) < 0)
			strbuf_addf(&d, "%sdrops %s", d.len ? "; " : "", o->t->cols[i].name);
	if (o->t->nchecks != n->t->nchecks)
		strbuf_addf(&d, "%s%zu CHECK%s now, %zu before", d.len ? "; " : "", n->t->nchecks,
			    n->t->nchecks == 1 ? "" : "s", o->t->nchecks);
	if (d.len) {
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "the new migration: %s", d.buf);
		add_comment(out, "-- ", line.buf);
		strbuf_release(&line);
	}
	strbuf_release(&d);
}

/* One table's section: its columns and what generates them, its seed, its probe. */
static void write_table(struct strbuf *out, const struct tplan *o, const struct tplan *n, struct strbuf *notes)
{
	const struct tplan *tp = o ? o : n;
	size_t i;

	strbuf_addf(out, "-- ==== %s ====\n", tp->t->name);
	write_diff(out, o, n);
	if (!tp->in) {
		struct strbuf line = STRBUF_INIT;
		/* The tool's table and the tables not asked for are no gap in the drill. */
		int chosen = strstr(tp->why, "--tables") || strstr(tp->why, "bookkeeping");
		strbuf_addf(&line, "%stable '%s' left out: %s.", chosen ? "" : "SCAFFOLD: ", tp->t->name, tp->why);
		add_comment(out, "-- ", line.buf);
		if (!chosen) {
			add_comment(out, "-- ", "To drill it, write its '-- @seed', '-- @probe' and transactions here, "
				    "as the other tables have them.");
			strbuf_addf(notes, "table '%s' left out: %s\n", tp->t->name, tp->why);
		}
		strbuf_addch(out, '\n');
		strbuf_release(&line);
		return;
	}
	for (i = 0; i < tp->ncols; i++) {
		const struct colplan *cp = &tp->cols[i];
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%s %s%s%s%s", cp->c->name, cp->c->type, cp->c->notnull ? " NOT NULL" : "",
			    cp->key ? (tp->nkey > 1 ? " (part of the key)" : " (the key)") : "",
			    cp->unique && !cp->key ? (cp->unique_part ? " (part of a UNIQUE of several columns)" : " UNIQUE")
						   : "");
		struct strbuf all = STRBUF_INIT;
		strbuf_addf(&all, "%s%s%s", cp->chknote.buf, cp->chknote.len && cp->note.len ? "; " : "", cp->note.buf);
		if (all.len)
			strbuf_addf(&line, ": %s", all.buf);
		add_comment(out, "--   ", line.buf);
		/* Said once more in the notes, when the user must look. */
		if (cp->chknote.len || strstr(all.buf, "no generator") || strstr(all.buf, "references") ||
		    strstr(all.buf, "cannot hold") || strstr(all.buf, "may meet"))
			strbuf_addf(notes, "%s.%s: %s\n", tp->t->name, cp->c->name, all.buf);
		strbuf_release(&all);
		strbuf_release(&line);
	}
	for (i = 0; o && o->in && i < o->ncols; i++)
		if (o->cols[i].db_written) {
			strbuf_addstr(out, "-- @untracked ");
			add_dname(out, o->t->name);
			strbuf_addch(out, '.');
			add_dname(out, o->cols[i].c->name);
			strbuf_addch(out, '\n');
		}
	if (tp->seeded && o && o->in)
		write_seed(out, o);
	else
		add_comment(out, "-- ", "not seeded: the table comes with the new migration");
	strbuf_addch(out, '\n');
	write_probe(out, o && o->in ? o : NULL, n && n->in ? n : NULL);
}

/* Does text end inside a statement, with no ';' after its last SQL? */
static int ends_open(const char *s)
{
	size_t i = 0, n = strlen(s);
	char last = ';';
	while (i < n) {
		size_t j = sql_skip_quoted(s, i);
		if (j != i) {
			int comment = (s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*');
			if (!comment)
				last = '\'';
			i = j;
			continue;
		}
		if (!isspace((unsigned char)s[i]))
			last = s[i];
		i++;
	}
	return last != ';';
}

/* ------------------------------------------------------------------ */
/* Reading the history                                                */
/* ------------------------------------------------------------------ */

/* Is the statement one a schema dump carries that is no schema: session settings, owners, grants? */
static int dump_noise(const char *sql)
{
	static const char *const lead[] = { "SET ", "SELECT pg_catalog.set_config", "GRANT ", "REVOKE ",
					    "COMMENT ON EXTENSION", "CREATE EXTENSION", "ALTER DEFAULT PRIVILEGES" };
	size_t i;
	for (i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
		if (!strncasecmp(sql, lead[i], strlen(lead[i])))
			return 1;
	if ((!strncasecmp(sql, "ALTER ", 6) && strstr(sql, " OWNER TO ")) || strstr(sql, "sqlite_sequence") ||
	    strstr(sql, "sqlite_stat"))
		return 1;
	/*
	** A migration tool's own table in a dump (schema_migrations and its
	** keys, indexes, rows): the drill keeps its own record under that
	** name, and the table is no application's.
	*/
	{
		struct strbuf t = STRBUF_INIT;
		int tool = sql_table_changed(sql, &t) && history_is_tool_table(t.buf);
		if (!tool && !strncasecmp(sql, "CREATE TABLE ", 13)) {
			strbuf_reset(&t);
			/* CREATE TABLE [IF NOT EXISTS] [schema.]name: its name is the word before '('. */
			{
				const char *p = strchr(sql, '('), *b;
				if (p) {
					while (p > sql && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n'))
						p--;
					for (b = p; b > sql && b[-1] != ' ' && b[-1] != '.' && b[-1] != '\n'; b--)
						;
					strbuf_add(&t, b, (size_t)(p - b));
					{
						char *name = sql_ident_name(t.buf);
						tool = history_is_tool_table(name);
						free(name);
					}
				}
			}
		}
		strbuf_release(&t);
		return tool;
	}
}

/* A dump's lines for psql itself (\connect, \restrict) go: they are no SQL. */
static void strip_meta(struct strbuf *text)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = text->buf;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && s[0] == '\\')
			strbuf_addstr(&out, "-- (a psql command, left out)");
		else
			strbuf_add(&out, s, len);
		strbuf_addch(&out, '\n');
		s += len + (e ? 1 : 0);
	}
	strbuf_release(text);
	*text = out;
}

struct history {
	struct layout l;
	int tool;
	int dump;                /* a schema dump: noise statements left out */
	struct strbuf text;      /* the schema block: the files, each under '-- @file' */
	struct sql_script script;/* the statements, each with its file ('-- @file' NAME when a tool's) */
	size_t *entry;           /* each statement's migration of l, for messages */
	struct strbuf notes;
	struct strbuf warnings;
};

static void history_release(struct history *h)
{
	layout_release(&h->l);
	strbuf_release(&h->text);
	sql_script_release(&h->script);
	free(h->entry);
	strbuf_release(&h->notes);
	strbuf_release(&h->warnings);
}

/* Cut the history before its migration i: that one and those after it are what is tried. */
static void history_cut(struct history *h, size_t i)
{
	size_t k;
	for (k = i; k < h->l.nr; k++) {
		free(h->l.v[k].path);
		free(h->l.v[k].shown);
		free(h->l.v[k].name);
		free(h->l.v[k].delim);
		free(h->l.v[k].rdelim);
		free(h->l.v[k].dbms);
	}
	h->l.nr = i;
}

/* The tool's name of a migration without any directory but Prisma's: what two files share when one replaces the other. */
static const char *tool_name(const struct layout_file *f)
{
	const char *slash = strrchr(f->name, '/');
	if (slash && !strcmp(slash + 1, "migration.sql"))
		return f->name;
	return slash ? slash + 1 : f->name;
}

/*
** Is the new migration one of the history's files?  The same file (a
** pull request adds it to the directory) cuts the history before it, as
** a note.  The same text under another path, or the same name or
** version with another text, cuts it too, as a warning: applied twice,
** it would fail on its own objects, or drill what the tool never runs.
*/
static void history_find_new(struct history *h, const char *path, const char *newmig)
{
	char newreal[PATH_MAX], real[PATH_MAX];
	struct strbuf text = STRBUF_INIT, other = STRBUF_INIT, why = STRBUF_INIT, nv = STRBUF_INIT,
		      nd = STRBUF_INIT;
	const char *nbase = strrchr(newmig, '/') ? strrchr(newmig, '/') + 1 : newmig;
	size_t i, len = strlen(newmig);
	int have_text, have_ver;

	if (realpath(newmig, newreal))
		for (i = 0; i < h->l.nr; i++)
			if (realpath(h->l.v[i].path, real) && !strcmp(real, newreal)) {
				strbuf_addf(&h->notes, "%s: the history stops before the new migration, %s (%zu file%s "
					    "of it left for the try)\n", path, h->l.v[i].shown, h->l.nr - i,
					    h->l.nr - i == 1 ? "" : "s");
				history_cut(h, i);
				goto out;
			}
	have_text = !strbuf_read_file(&text, newmig, &why);
	/* A Prisma migration is named by its directory. */
	if (len > 14 && !strcmp(newmig + len - 14, "/migration.sql")) {
		const char *d = newmig + len - 14;
		while (d > newmig && d[-1] != '/')
			d--;
		nbase = d;
	}
	have_ver = !layout_file_version(nbase, &nv, &nd) && nv.len;
	for (i = 0; i < h->l.nr; i++) {
		const struct layout_file *f = &h->l.v[i];
		struct strbuf v = STRBUF_INIT, d = STRBUF_INIT;
		int same_text = 0, same_name, same_ver;
		if (have_text && !f->from) {
			strbuf_reset(&other);
			same_text = !strbuf_read_file(&other, f->path, &why) && other.len == text.len &&
				    !memcmp(other.buf, text.buf, text.len);
		}
		same_name = !f->from && !strcmp(tool_name(f), nbase);
		same_ver = !f->from && have_ver && !layout_file_version(tool_name(f), &v, &d) && !strcmp(v.buf, nv.buf) &&
			   h->tool != HISTORY_SQITCH && h->tool != HISTORY_NONE;
		strbuf_release(&v);
		strbuf_release(&d);
		if (!same_text && !same_name && !same_ver)
			continue;
		if (same_text)
			strbuf_addf(&h->warnings, "%s is already in the history as %s (the same text): the history "
				    "stops before it, so that it runs once, as the migration under drill\n", newmig, f->shown);
		else
			strbuf_addf(&h->warnings, "%s has the %s of %s in the history, with another text: the history "
				    "stops before it, and %s is drilled in its place\n", newmig,
				    same_name ? "name" : "version", f->shown, newmig);
		history_cut(h, i);
		break;
	}
out:
	strbuf_release(&text);
	strbuf_release(&other);
	strbuf_release(&why);
	strbuf_release(&nv);
	strbuf_release(&nd);
}

/*
** Read the history at path: its files in the tool's order, their text and
** statements.  When the new migration is one of its files (a pull request
** adds it to the directory), the history stops before it: that file and
** those after it are what is being tried.  A directory no tool's layout
** fits is read as plain .sql files in name order, in its subdirectories
** too.
*/
static int history_read(const char *path, const char *newmig, int dialect, struct history *h, struct strbuf *err)
{
	size_t i, k, alloc = 0;
	int rc;

	memset(h, 0, sizeof(*h));
	strbuf_init(&h->text);
	strbuf_init(&h->notes);
	strbuf_init(&h->warnings);
	if ((rc = layout_open(path, path, LAYOUT_UP, &h->l, err)) != 0) {
		if (rc != LAYOUT_EUNKNOWN || layout_open_plain(path, path, &h->l, err))
			return SCAFFOLD_EINPUT;
		strbuf_addf(&h->notes, "%s: no tool's naming: its .sql files applied in name order\n", path);
		strbuf_reset(err);
	}
	h->l.dialect = dialect;
	strbuf_add(&h->notes, h->l.notes.buf, h->l.notes.len);
	h->tool = history_tool_of_layout(h->l.kind);
	if (newmig)
		history_find_new(h, path, newmig);
	if (!h->l.nr)
		return strbuf_error(err, SCAFFOLD_EINPUT, "%s: no history before the new migration %s", path, newmig);
	for (i = 0, rc = 0; i < h->l.nr && !rc; i++) {
		const struct layout_file *f = &h->l.v[i];
		struct strbuf t = STRBUF_INIT;
		struct sql_script s = { 0 };
		int wrap, first;
		if (layout_file_text(&h->l, i, LAYOUT_UP, &t, &first, &wrap, err)) {
			rc = SCAFFOLD_EINPUT;
			strbuf_release(&t);
			break;
		}
		if (!strcmp(h->l.kind, "sql") && (strstr(t.buf, "PostgreSQL database dump") ||
						  strstr(t.buf, "CREATE TABLE sqlite_sequence"))) {
			h->dump = 1;
			strip_meta(&t);
		}
		sql_split(t.buf, first, &s);
		if (h->tool) {
			strbuf_addstr(&h->text, "-- @file ");
			add_line_safe(&h->text, f->name, strlen(f->name));
			strbuf_addch(&h->text, '\n');
		}
		for (k = 0; k < s.nr; k++) {
			if (h->dump && dump_noise(s.v[k].sql))
				continue;
			ALLOC_GROW(h->script.v, h->script.nr + 1, h->script.alloc);
			ALLOC_GROW(h->entry, h->script.nr + 1, alloc);
			h->script.v[h->script.nr] = s.v[k];
			/* The tool records a file by the name '-- @file' gives it, at scaffold time as in the drill. */
			h->script.v[h->script.nr].file = h->tool ? xstrdup(f->name) : h->l.nr > 1 ? xstrdup(f->shown) : NULL;
			h->entry[h->script.nr] = i;
			s.v[k].sql = NULL;
			h->script.nr++;
		}
		if (h->dump) {
			/* A dump's text is kept as the statements that make the schema, nothing else. */
			for (k = 0; k < h->script.nr; k++)
				strbuf_addf(&h->text, "%s;\n\n", h->script.v[k].sql);
		} else {
			sql_add_inert(&h->text, t.buf);
			/* The next file must not run on into this one's last statement. */
			if (ends_open(t.buf))
				strbuf_addstr(&h->text, ";\n");
		}
		for (k = 0; k < s.nr; k++)
			free(s.v[k].sql);
		free(s.v);
		strbuf_release(&t);
	}
	return rc;
}

/* How many lines text holds, a last line without its newline counted. */
static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Where a file's text stands in a migration's block: its lines from line (0 the block's first) on. */
struct block_span {
	int line, nlines, file_line;
	const char *file;
};

/*
** A migration's text as the history's tool runs it: each file's (or
** Liquibase changeset's) text, and around one of several statements
** BEGIN and COMMIT when the tool runs it in one transaction (golang-migrate,
** Flyway, Atlas and Liquibase unless told not to, dbmate unless
** transaction:false, Prisma on PostgreSQL) and it runs none of its own.
** Each statement's file and line go into res's at (down says which
** block), so that a failure is told in the file's own lines.
*/
static int migration_text(const char *path, int direction, const struct history *h, struct strbuf *out,
			  size_t *nstmts, struct scaffold_result *res, struct strbuf *err)
{
	struct layout l;
	struct block_span *spans = NULL;
	struct sql_script all = { 0 };
	size_t i, k, nspans = 0, alloc = 0;
	int rc = 0;

	*nstmts = 0;
	if (layout_open_like(path, path, direction, &h->l, &l, err))
		return SCAFFOLD_EINPUT;
	for (i = 0; i < l.nr && !rc; i++) {
		struct strbuf t = STRBUF_INIT;
		struct sql_script s = { 0 };
		int wrap, tool_wraps, first;
		if (layout_file_text(&l, i, direction, &t, &first, &wrap, err)) {
			rc = SCAFFOLD_EINPUT;
			strbuf_release(&t);
			break;
		}
		sql_split(t.buf, 1, &s);
		*nstmts += s.nr;
		tool_wraps = wrap && layout_wrappable(&s, 0);
		strbuf_addstr(out, "-- ");
		add_line_safe(out, l.v[i].shown, strlen(l.v[i].shown));
		strbuf_addf(out, "%s\n", tool_wraps ? ", in one transaction as its tool runs it" : "");
		if (tool_wraps)
			strbuf_addstr(out, "BEGIN;\n");
		ALLOC_GROW(spans, nspans + 1, alloc);
		spans[nspans].line = count_lines(out->buf);
		spans[nspans].nlines = count_lines(t.buf) + (t.len && t.buf[t.len - 1] != '\n');
		spans[nspans].file_line = first;
		spans[nspans++].file = l.v[i].shown;
		sql_add_inert(out, t.buf);
		if (ends_open(t.buf))
			strbuf_addstr(out, ";\n");
		if (tool_wraps)
			strbuf_addstr(out, "COMMIT;\n");
		sql_script_release(&s);
		strbuf_release(&t);
	}
	/* The block's statements as the drill splits them, each placed in its file. */
	sql_split(out->buf, 1, &all);
	for (k = 0; !rc && k < all.nr; k++)
		for (i = 0; i < nspans; i++) {
			int at = all.v[k].line - 1;
			struct scaffold_at *a;
			if (at < spans[i].line || at >= spans[i].line + spans[i].nlines)
				continue;
			ALLOC_GROW(res->at, res->nat + 1, res->at_alloc);
			a = &res->at[res->nat++];
			a->down = direction == LAYOUT_DOWN;
			a->statement = (int)k + 1;
			a->file_line = spans[i].file_line + (at - spans[i].line);
			a->file = xstrdup(spans[i].file);
			break;
		}
	sql_script_release(&all);
	free(spans);
	layout_release(&l);
	return rc;
}

int scaffold_locate(const struct scaffold_result *r, int down, int statement, const char **file, int *file_line)
{
	size_t i;
	for (i = 0; i < r->nat; i++)
		if (r->at[i].down == down && r->at[i].statement == statement) {
			*file = r->at[i].file;
			*file_line = r->at[i].file_line;
			return 1;
		}
	return 0;
}

/* The scenario's text from the plans, the history and the migrations. */
struct writing {
	const struct scaffold_opts *o;
	const struct plan *old, *new;
	const struct history *h;
	const char *bad, *down;      /* the migrations' blocks */
	const char *engine;
	struct strbuf *notes;
};

static void write_scenario(const struct writing *w, struct strbuf *out)
{
	const struct scaffold_opts *o = w->o;
	const char *newbase = !o->newmig ? NULL : strrchr(o->newmig, '/') ? strrchr(o->newmig, '/') + 1 : o->newmig;
	struct strbuf line = STRBUF_INIT;
	size_t i, in = 0, left = 0, k, kinds = 0, at;
	unsigned ord;

	for (i = 0; i < w->old->n; i++)
		w->old->t[i].in ? in++ : left++;
	strbuf_addf(out, "-- @scenario %s\n", o->name);
	if (newbase) {
		strbuf_addstr(out, "-- @title ");
		add_line_safe(out, newbase, strlen(newbase));
		strbuf_addf(out, " on %s's schema, under its own traffic\n", o->name);
	} else {
		strbuf_addf(out, "-- @title %s's schema under its own traffic, a migration yet to come\n", o->name);
	}
	strbuf_addstr(out, "-- @story\n");
	strbuf_addf(&line, "Written by 'mdrill scaffold' from the history %s (%s%s%zu file%s, applied on %s)%s%s%s",
		    o->migrations, w->h->tool ? history_tool_name(w->h->tool) : "plain SQL",
		    w->h->tool ? ", " : ", ", w->h->l.nr, w->h->l.nr == 1 ? "" : "s", w->engine,
		    o->newmig ? " and the new migration " : ", with no new migration", o->newmig ? o->newmig : "", ".");
	add_comment(out, "-- ", line.buf);
	if (o->newmig)
		add_comment(out, "-- ", "App 'old' is the code that runs on the schema the history leaves: for every "
			    "table an insert of a full row, an update of each column by key, and a delete by key where "
			    "no foreign key points at the rows. App 'new' is the same, written from the schema after the "
			    "new migration. Old code runs, the new migration lands under it, new code rolls out to part "
			    "of the clients, the fix slot comes (empty with 'mdrill try', a down migration with --down), "
			    "and the probes check every acknowledged write.");
	else
		add_comment(out, "-- ", "App 'old' is the code that runs on the schema the history leaves: for every "
			    "table an insert of a full row, an update of each column by key, and a delete by key where "
			    "no foreign key points at the rows. No new migration was given, so there is no app 'new': "
			    "old code runs from the start to the end, '@migration bad' holds a no-op where the migration "
			    "to drill goes (at migrate_at, with time on either side for every kind of transaction), and "
			    "'@migration down' a no-op for its way back. Run as it is ('mdrill run DIR --down'), the "
			    "drill measures the baseline: what the generated traffic does on the schema alone, which a "
			    "migration's drill is then read against. Write the migration in place of the no-op, and app "
			    "'new' and a 'deploy' line if new code comes with it.");
	add_comment(out, "-- ", "Edit freely: the parameters below (rows, clients, the timeline, a weight per "
		    "table), the generators, the transactions. Lines marked SCAFFOLD: say what could not be "
		    "generated.");
	strbuf_addch(out, '\n');

	/* Time enough for each kind of transaction to run a few times before the migration and after. */
	for (i = 0; i < w->old->n; i++) {
		const struct tplan *tp = &w->old->t[i];
		if (!tp->in)
			continue;
		kinds += 1 + !tp->referenced;
		for (k = 0; k < tp->ncols; k++)
			kinds += updatable(&tp->cols[k]);
	}
	at = kinds * 15 < 1000 ? 1000 : (kinds * 15 + 499) / 500 * 500;
	if (o->newmig)
		strbuf_addf(out, "-- Rows seeded per table, and the clients that run the apps.\n"
				 "-- @param rows 200\n-- @param clients 4\n"
				 "-- The share of NULLs in a nullable column, seeded and written, where no statistics said\n"
				 "-- (a column the application leaves NULL until first use is common: SET NOT NULL meets it).\n"
				 "-- @param null_rate 0.1\n"
				 "-- When the new migration lands, new code rolls out (to this share), the fix slot, the end:\n"
				 "-- time for each of old code's %zu kinds of transaction to run a few times on either side.\n"
				 "-- @param migrate_at %zu\n-- @param deploy_at %zu\n-- @param new_share 0.5\n"
				 "-- @param fix_at %zu\n-- @param end_at %zu\n"
				 "-- Each table's weight: how often its transactions run, against the others'.\n",
			    kinds, at, at * 3 / 2, at * 5 / 2, at * 4);
	else
		strbuf_addf(out, "-- Rows seeded per table, and the clients that run the app.\n"
				 "-- @param rows 200\n-- @param clients 4\n"
				 "-- The share of NULLs in a nullable column, seeded and written, where no statistics said\n"
				 "-- (a column the application leaves NULL until first use is common: SET NOT NULL meets it).\n"
				 "-- @param null_rate 0.1\n"
				 "-- When the migration to come lands (a no-op until it is written), the fix slot, the end:\n"
				 "-- time for each of old code's %zu kinds of transaction to run a few times on either side.\n"
				 "-- @param migrate_at %zu\n-- @param fix_at %zu\n-- @param end_at %zu\n"
				 "-- Each table's weight: how often its transactions run, against the others'.\n",
			    kinds, at, at * 5 / 2, at * 4);
	for (i = 0; i < w->old->n; i++) {
		const struct tplan *tp = &w->old->t[i];
		unsigned weight = 1;
		if (!tp->in)
			continue;
		for (k = 0; k < o->nweights; k++)
			if (!strcmp(o->weights[k].table, tp->t->name))
				weight = o->weights[k].weight;
		strbuf_addf(out, "-- @param %s %u\n", tp->weight, weight);
	}
	for (i = 0; i < w->new->n; i++) {
		const struct tplan *tp = &w->new->t[i];
		unsigned weight = 1;
		if (!tp->in || plan_table(w->old, tp->t->name))
			continue;
		for (k = 0; k < o->nweights; k++)
			if (!strcmp(o->weights[k].table, tp->t->name))
				weight = o->weights[k].weight;
		strbuf_addf(out, "-- @param %s %u\n", tp->weight, weight);
	}
	strbuf_addch(out, '\n');

	strbuf_addf(out, "-- %zu table%s drilled, %zu left out.\n\n", in, in == 1 ? "" : "s", left);
	if (left) {
		strbuf_addstr(out, "-- ==== Left out ====\n");
		for (i = 0; i < w->old->n; i++)
			if (!w->old->t[i].in)
				write_table(out, &w->old->t[i], plan_table(w->new, w->old->t[i].t->name), w->notes);
	}
	if (w->h->tool) {
		strbuf_addf(out, "-- The schema is a %s history: the drill makes %s's own table as the tool does.\n"
				 "-- @history %s\n\n", history_tool_name(w->h->tool), history_tool_name(w->h->tool),
			    history_tool_name(w->h->tool));
	}
	for (ord = 0;; ord++) {
		const struct tplan *tp = NULL;
		for (i = 0; i < w->old->n && !tp; i++)
			if (w->old->t[i].in && w->old->t[i].seeded && w->old->t[i].order == ord)
				tp = &w->old->t[i];
		if (!tp)
			break;
		write_table(out, tp, plan_table(w->new, tp->t->name), w->notes);
	}
	for (i = 0; i < w->new->n; i++)
		if (!plan_table(w->old, w->new->t[i].t->name) && w->new->t[i].in)
			write_table(out, NULL, &w->new->t[i], w->notes);
	write_app(out, "old", w->old, "The code that runs on the schema the history leaves.");
	if (o->newmig)
		write_app(out, "new", w->new, "The same, written from the schema after the new migration.");
	strbuf_addstr(out, "-- @migration bad\n");
	strbuf_addstr(out, w->bad);
	strbuf_addch(out, '\n');
	if (w->down) {
		strbuf_addstr(out, "-- @migration down\n");
		strbuf_addstr(out, w->down);
		strbuf_addch(out, '\n');
	}
	if (o->newmig) {
		strbuf_addstr(out, "-- Old code runs; the new migration lands under it; new code rolls out to part of the\n"
				   "-- clients; the fix slot; the end.\n");
		strbuf_addstr(out, "-- @timeline\n-- at 0 start old clients=:clients\n-- at :migrate_at migrate bad\n"
				   "-- at :deploy_at deploy new fraction=:new_share\n-- at :fix_at fix\n-- at :end_at end\n\n");
	} else {
		strbuf_addstr(out, "-- Old code runs throughout; the migration to come (a no-op until written); the fix slot;\n"
				   "-- the end.\n");
		strbuf_addstr(out, "-- @timeline\n-- at 0 start old clients=:clients\n-- at :migrate_at migrate bad\n"
				   "-- at :fix_at fix\n-- at :end_at end\n\n");
	}
	strbuf_addstr(out, "-- @schema\n");
	strbuf_reset(&line);
	if (w->h->tool)
		strbuf_addf(&line, "The history, %s, as %s applies it.", o->migrations, history_tool_name(w->h->tool));
	else
		strbuf_addf(&line, "The history, %s.", o->migrations);
	add_comment(out, "-- ", line.buf);
	strbuf_addstr(out, w->h->text.buf);
	strbuf_release(&line);
}

/* The first table a seed refuses, left out with the engine's words; 1 when one was, 0 when all took. */
static int trial(const struct scaffold_opts *o, struct plan *pl, const struct writing *w, struct db_conn *c,
		 struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct scenario *sc = NULL;
	uint64_t seed;
	int table = -1, rc = 0;

	/* Nothing left to drill (--tables named only tables that cannot be): say why each is out. */
	{
		size_t i, in = 0;
		for (i = 0; i < pl->n; i++)
			in += pl->t[i].in;
		if (!in) {
			for (i = 0; i < pl->n; i++)
				if (pl->t[i].why && !strstr(pl->t[i].why, "not among --tables") &&
				    !strstr(pl->t[i].why, "bookkeeping"))
					strbuf_addf(&why, "%s%s: %s", why.len ? "; " : "", pl->t[i].t->name, pl->t[i].why);
			rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s: no table to drill%s%s%s", o->migrations,
					  why.len ? ": " : "", why.len ? why.buf : " (the schema has no tables)",
					  o->ntables ? " (--tables must name the tables these reference too)" : "");
			goto out;
		}
	}
	write_scenario(w, &text);
	if (scenario_parse("scaffold.drill", text.buf, NULL, 0, &sc, &why)) {
		rc = strbuf_error(err, SCAFFOLD_EINPUT, "the scenario written does not read back (a fault of "
				  "scaffold's): %s", why.buf);
		goto out;
	}
	for (seed = 1; seed <= TRIAL_SEEDS && table < 0; seed++) {
		strbuf_reset(&why);
		if (!seeder_try(sc, o->drv, c, seed, probe_adopt, &table, &why) || table < 0)
			continue;
		{
			struct tplan *tp = plan_table(pl, sc->seeds[table].table);
			const char *msg = strstr(why.buf, "failed at row ");
			msg = msg && strchr(msg, ':') ? strchr(msg, ':') + 2 : why.buf;
			if (!tp) {
				rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s", why.buf);
				goto out;
			}
			leave_out(tp, "the engine refused its seed rows (seed %llu): %s", (unsigned long long)seed, msg);
			rc = 1;
		}
	}
out:
	scenario_free(sc);
	strbuf_release(&text);
	strbuf_release(&why);
	return rc;
}

int scaffold_run(const struct scaffold_opts *o, struct scaffold_result *out, struct strbuf *err)
{
	struct history h;
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct db_options dbo;
	struct db_catalog cat_old, cat_new;
	struct plan old, newp, prev;
	struct strbuf why = STRBUF_INIT, bad = STRBUF_INIT, down = STRBUF_INIT;
	struct writing w;
	struct sql_script newscript = { 0 };
	size_t failed, i, nstmts;
	int rc = 0, round, have_new = 0;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->drill);
	strbuf_init(&out->notes);
	strbuf_init(&out->warnings);
	strbuf_init(&out->left);
	memset(&cat_old, 0, sizeof(cat_old));
	memset(&cat_new, 0, sizeof(cat_new));
	memset(&old, 0, sizeof(old));
	memset(&newp, 0, sizeof(newp));
	if ((rc = history_read(o->migrations, o->newmig, db_dialect(o->drv), &h, err)) != 0)
		goto out;
	strbuf_add(&out->warnings, h.warnings.buf, h.warnings.len);
	strbuf_add(&out->notes, h.notes.buf, h.notes.len);
	out->tool = history_tool_name(h.tool);
	out->nfiles = h.l.nr;
	if (o->newmig) {
		if ((rc = migration_text(o->newmig, LAYOUT_UP, &h, &bad, &nstmts, out, err)) != 0)
			goto out;
		if (!nstmts) {
			rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s: no SQL statement in the new migration", o->newmig);
			goto out;
		}
	} else {
		/* The scenario needs a migration to run: a no-op holds its place until one is written there. */
		strbuf_addstr(&bad, "-- SCAFFOLD: no new migration was given (--new): write the one to drill here, in "
			      "place of this no-op.\nSELECT 1;\n");
		/* And a no-op way back, so that 'mdrill run DIR --down' runs the baseline as it is. */
		strbuf_addstr(&down, "-- SCAFFOLD: no down migration either: write the way back here, in place of this "
			      "no-op.\nSELECT 1;\n");
	}
	if (o->down && (rc = migration_text(o->down, LAYOUT_DOWN, &h, &down, &nstmts, out, err)) != 0)
		goto out;
	dbo.allow_superuser = o->allow_superuser;
	dbo.statement_timeout_ms = o->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT : o->statement_timeout_ms;
	dbo.stop = o->stop;
	if ((rc = db_create(o->drv, o->target, &dbo, &db, err)) != 0) {
		rc = rc == DB_EREFUSED ? SCAFFOLD_EINPUT : SCAFFOLD_EENGINE;
		goto out;
	}
	if (db_connect(o->drv, db, &c, err)) {
		rc = SCAFFOLD_EENGINE;
		goto out;
	}
	if (history_apply(o->drv, c, h.tool, &h.script, &failed, &why)) {
		if (failed < h.script.nr)
			rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s:%d: the history fails on %s: %s%s",
					  h.l.nr > 1 || h.tool ? h.l.v[h.entry[failed]].shown : o->migrations,
					  h.script.v[failed].line, db_name(o->drv), why.buf,
					  db_dialect(o->drv) == DIALECT_SQLITE && db_driver_find(DIALECT_POSTGRES) &&
					  (strstr(why.buf, "syntax error") || strstr(why.buf, "no such function") ||
					   strstr(why.buf, "unrecognized token"))
					  ? " (a PostgreSQL history? give --db postgres://... to run it there)" : "");
		else
			rc = strbuf_error(err, SCAFFOLD_EENGINE, "%s", why.buf);
		goto out;
	}
	if (o->stop && *o->stop) {
		rc = strbuf_error(err, SCAFFOLD_EINTR, "interrupted");
		goto out;
	}
	if (db_catalog(o->drv, c, &cat_old, &why)) {
		rc = strbuf_error(err, SCAFFOLD_EENGINE, "%s", why.buf);
		goto out;
	}
	plan_build(&old, &cat_old, NULL, o, 0);
	plan_order(&old);
	memset(&w, 0, sizeof(w));
	w.o = o;
	w.h = &h;
	w.bad = bad.buf;
	w.down = o->down || !o->newmig ? down.buf : NULL;
	w.engine = db_name(o->drv);
	w.notes = &why;
	/* The seeds tried on the engine: a table it refuses is left out, and the plans made again. */
	for (round = 0; round < TRIAL_ROUNDS; round++) {
		int t;
		w.old = w.new = &old;
		strbuf_reset(&why);
		t = trial(o, &old, &w, c, err);
		if (t < 0) {
			rc = t;
			goto out;
		}
		if (!t)
			break;
		prev = old;
		plan_build(&old, &cat_old, &prev, o, 0);
		plan_order(&old);
		plan_release(&prev);
	}
	/* The new migration on the history's schema: the catalogue after it makes app 'new'. */
	if (o->newmig && layout_load(o->newmig, o->newmig, LAYOUT_UP, db_dialect(o->drv), &newscript, &why)) {
		rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s", why.buf);
		goto out;
	}
	for (i = 0; i < newscript.nr; i++) {
		int cls;
		if (db_exec_now(o->drv, c, newscript.v[i].sql, 0, NULL, NULL, NULL, &cls, &why)) {
			out->new_failed = 1;
			strbuf_addf(&out->notes, "%s:%d: the new migration fails on the schema the history leaves, "
				    "before any row is there: %s (app 'new' is app 'old')\n",
				    newscript.v[i].file ? newscript.v[i].file : o->newmig, newscript.v[i].line, why.buf);
			if (db_in_tx(o->drv, c))
				db_rollback(o->drv, c);
			break;
		}
	}
	if (!out->new_failed && o->newmig) {
		if (db_catalog(o->drv, c, &cat_new, &why)) {
			rc = strbuf_error(err, SCAFFOLD_EENGINE, "%s", why.buf);
			goto out;
		}
		have_new = 1;
	}
	plan_build(&newp, have_new ? &cat_new : &cat_old, &old, o, 1);
	w.old = &old;
	w.new = &newp;
	w.notes = &out->notes;
	write_scenario(&w, &out->drill);

	for (i = 0; i < old.n; i++) {
		if (old.t[i].in) {
			out->ntables++;
			continue;
		}
		out->nleft++;
		strbuf_addf(&out->left, "%s\t%s\n", old.t[i].t->name, old.t[i].why ? old.t[i].why : "left out");
	}
	if (!out->ntables) {
		rc = strbuf_error(err, SCAFFOLD_EINPUT, "%s: no table to drill (%zu left out: %s)", o->migrations,
				  out->nleft, out->notes.len ? out->notes.buf : "the schema has no tables");
		strbuf_rtrim(err);
	}
out:
	plan_release(&old);
	plan_release(&newp);
	catalog_release(&cat_old);
	catalog_release(&cat_new);
	sql_script_release(&newscript);
	if (c) {
		if (db_in_tx(o->drv, c))
			db_rollback(o->drv, c);
		db_disconnect(o->drv, c);
	}
	/* A database that will not go is the next run's to sweep: say so in the notes. */
	if (db && db_destroy(o->drv, db, 0, NULL, &why))
		strbuf_addf(&out->notes, "warning: %s\n", why.buf);
	history_release(&h);
	strbuf_release(&why);
	strbuf_release(&bad);
	strbuf_release(&down);
	return rc;
}

void scaffold_result_release(struct scaffold_result *r)
{
	size_t i;
	strbuf_release(&r->drill);
	strbuf_release(&r->notes);
	strbuf_release(&r->warnings);
	strbuf_release(&r->left);
	for (i = 0; i < r->nat; i++)
		free(r->at[i].file);
	free(r->at);
	r->at = NULL;
	r->nat = r->at_alloc = 0;
}
