/*
** The .drill parser.  A scenario reads as SQL with "-- @directive" lines;
** this file turns one into a struct scenario and checks it whole (names,
** variables, the timeline's order) so that nothing runs from a bad file.
** Two passes: the first collects '@param' lines so that ':name' can be used
** anywhere in the second, whatever the order of the file.
**
** SPDX-License-Identifier: MIT
*/
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "pgbench.h"
#include "history.h"
#include "layout.h"
#include "strexpr.h"
#include "../base/sqltext.h"

enum section {
	SEC_NONE,
	SEC_STORY,
	SEC_SQL,       /* schema, migration or probe text */
	SEC_SEED,
	SEC_APP,
	SEC_TX,
	SEC_TIMELINE,
};

struct parser {
	struct scenario *sc;
	const char *path;
	int line;
	int section;
	struct sql_variant *sql;   /* the SQL variant being filled */
	struct strbuf text;        /* its text, or the current tx's SQL */
	int text_line;
	struct seed *seed;
	struct appver *app;
	struct txdef *tx;
	int in_schema;             /* the SQL being filled is a '-- @schema' block */
	struct strbuf *err;
	/* The current tx's '-- @rows' lines, placed on their statements when it closes. */
	struct rows_mark { int line; int rule; int64_t n; } *rows;
	size_t nrows, rows_alloc;
	/* Its '-- @returning' lines: the variables each sets, placed on their statements when it closes. */
	struct returning_mark { int line; size_t first, n; } *returning;
	size_t nreturning, returning_alloc;
};

/* Built-in parameters every scenario has, with their defaults. */
static const struct { const char *name, *value; } builtin_params[] = {
	{ "rows", "1000" },
	{ "busy", "500" },
	{ "awkward", "0.05" },
	{ "stall", "0" },        /* 0: the same as busy */
};

#define GEN_DEFAULT_MAXLEN 64
#define GEN_INT_LIMIT 9000000000000000L

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	strbuf_reset(p->err);
	strbuf_addf(p->err, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	strbuf_vaddf(p->err, fmt, ap);
	va_end(ap);
	return -1;
}

static char *skip_ws(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Cut the next white-space separated word off *s; NULL when none is left. */
static char *next_word(char **s)
{
	char *w = skip_ws(*s), *e;
	if (!*w)
		return NULL;
	for (e = w; *e && !isspace((unsigned char)*e); e++)
		;
	if (*e)
		*e++ = '\0';
	*s = e;
	return w;
}

static int valid_name(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static int valid_ident(const char *s)
{
	/* A quoted identifier, as SQL writes a reserved word or a mixed-case name: "order". */
	if (*s == '"') {
		size_t n = strlen(s), i;
		if (n < 3 || s[n - 1] != '"')
			return 0;
		for (i = 1; i + 1 < n; i++)
			if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$'))
				return 0;
		return 1;
	}
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

const char *scenario_param(const struct scenario *sc, const char *name)
{
	size_t i;
	for (i = 0; i < sc->nparams; i++)
		if (!strcmp(sc->params[i].name, name))
			return sc->params[i].value;
	return NULL;
}

double scenario_param_num(const struct scenario *sc, const char *name, double def)
{
	const char *v = scenario_param(sc, name);
	char *end;
	double d;
	if (!v)
		return def;
	d = strtod(v, &end);
	return (*v && !*end) ? d : def;
}

/* Is v a whole literal number, as resolve_num reads one? */
static int is_number(const char *v)
{
	char *end;
	double d;
	errno = 0;
	d = strtod(v, &end);
	return *v && !*end && !errno && isfinite(d);
}

/*
** Resolve a number written literally or as ":param".  Returns 0, or -1
** with the reason in err (no location: the caller adds it).
*/
static int resolve_num(const struct scenario *sc, const char *tok, double *out,
		       struct strbuf *err)
{
	const char *v = tok;
	char *end;

	if (*tok == ':') {
		v = scenario_param(sc, tok + 1);
		if (!v)
			return strbuf_error(err, -1, "unknown parameter '%s'", tok);
	}
	errno = 0;
	*out = strtod(v, &end);
	if (!*v || *end || errno || !isfinite(*out)) {
		size_t i;
		/* A value with a note after it is read whole: say where it was declared. */
		for (i = 0; v != tok && i < sc->nparams; i++)
			if (!strcmp(sc->params[i].name, tok + 1) && sc->params[i].line > 0)
				return strbuf_error(err, -1, "parameter '%s' is '%s', expected a number "
						    "(its '-- @param' is on line %d)", tok + 1, v, sc->params[i].line);
		if (v != tok)
			return strbuf_error(err, -1, "parameter '%s' is '%s', expected a number", tok + 1, v);
		return strbuf_error(err, -1, "expected a number or ':param', found '%s'", tok);
	}
	return 0;
}

static int resolve_int(const struct scenario *sc, const char *tok, long lo, long hi,
		       long *out, struct strbuf *err)
{
	double d;
	if (resolve_num(sc, tok, &d, err))
		return -1;
	if (d != floor(d) || d < (double)lo || d > (double)hi)
		return strbuf_error(err, -1, "'%s' must be a whole number from %ld to %ld", tok, lo, hi);
	*out = (long)d;
	return 0;
}

void gen_release(struct gen *g)
{
	size_t i;
	for (i = 0; i < g->nchoices; i++)
		free(g->choices[i]);
	free(g->choices);
	free(g->table);
	free(g->tmpl);
	pgbench_expr_free(g->expr);
	strexpr_free(g->sexpr);
	memset(g, 0, sizeof(*g));
}

static const char gen_expected[] =
	"expected a generator: seq, int(a,b), random(a,b), name, email, phone, text(n), chars(n), "
	"pick(a|b|c), date, timestamp, timestamptz, time, decimal(a,b,s), uuid, json, null";

/* A template holds one run of '#' where the number goes. */
static int check_template(const char *t, struct strbuf *err)
{
	const char *h = strchr(t, '#');
	if (!h)
		return strbuf_error(err, -1, "expected a '#' in the template '%s', where the number goes", t);
	while (*h == '#')
		h++;
	if (strchr(h, '#'))
		return strbuf_error(err, -1, "the template '%s' has more than one run of '#'", t);
	return 0;
}

int gen_parse(const char *expr, const struct scenario *sc, int tx_context,
	      struct gen *out, struct strbuf *err)
{
	static const struct { const char *name; int kind; int args; } kinds[] = {
		/*
		** args: 0 none, 1 optional number, 2 two numbers (and a template for
		** int), 3 choices, 4 table, 5 required number, 6 optional template,
		** 7 two numbers and a scale; 1 and 5 may add ',plain'.
		*/
		{ "seq", GEN_SEQ, 6 },       { "int", GEN_INT, 2 },
		{ "random", GEN_INT, 2 },    { "name", GEN_NAME, 1 },
		{ "email", GEN_EMAIL, 1 },   { "phone", GEN_PHONE, 1 },
		{ "text", GEN_TEXT, 5 },     { "pick", GEN_PICK, 3 },
		{ "date", GEN_DATE, 0 },     { "null", GEN_NULL, 0 },
		{ "nextid", GEN_NEXTID, 4 }, { "existing", GEN_EXISTING, 4 },
		{ "chars", GEN_CHARS, 5 },   { "timestamp", GEN_TIME, 0 },
		{ "timestamptz", GEN_TIME, 0 }, { "time", GEN_TIME, 0 },
		{ "decimal", GEN_DECIMAL, 7 }, { "uuid", GEN_UUID, 0 },
		{ "json", GEN_JSON, 0 },
	};
	char *buf = xstrdup(expr), *s = skip_ws(buf), *open, *args = NULL, *nulls;
	size_t k;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	rtrim(s);
	/* 'GENERATOR nulls=R': a share R of its values NULL, as a nullable column holds some. */
	if ((nulls = strstr(s, " nulls=")) != NULL && !strchr(nulls + 7, ' ') && !strchr(nulls + 7, ')')) {
		double r;
		*nulls = '\0';
		if (resolve_num(sc, nulls + 7, &r, err))
			goto out;
		if (r < 0 || r > 1) {
			strbuf_error(err, -1, "nulls=%s: a share from 0 to 1", nulls + 7);
			goto out;
		}
		out->nulls = r;
		rtrim(s);
	}
	open = strchr(s, '(');
	if (open) {
		char *close = strrchr(open, ')');
		if (!close || close[1] != '\0') {
			strbuf_error(err, -1, "expected ')' at the end of '%s'", expr);
			goto out;
		}
		*open = '\0';
		*close = '\0';
		args = open + 1;
		rtrim(s);
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(s, kinds[k].name))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		strbuf_error(err, -1, "%s%s; found '%s' (any may be followed by ' nulls=R')", gen_expected,
			     tx_context ? ", nextid(TABLE), existing(TABLE)" : "", expr);
		goto out;
	}
	out->kind = kinds[k].kind;
	if (out->kind == GEN_TIME)
		out->a = !strcmp(s, "timestamp") ? GEN_TIMESTAMP : !strcmp(s, "timestamptz") ? GEN_TIMESTAMPTZ
										  : GEN_TIME_OF_DAY;
	if ((out->kind == GEN_NEXTID || out->kind == GEN_EXISTING) && !tx_context) {
		strbuf_error(err, -1, "'%s' draws keys from the ledger and works only in a '\\set' line", s);
		goto out;
	}
	if (args)
		args = skip_ws(args);
	switch (kinds[k].args) {
	case 0:
		if (args && *args) {
			strbuf_error(err, -1, "'%s' takes no arguments", s);
			goto out;
		}
		break;
	case 1:
	case 5: {
		long n = GEN_DEFAULT_MAXLEN;
		char *comma = args ? strchr(args, ',') : NULL;
		/* ',plain': no awkward values, for a column a CHECK keeps from them. */
		if (comma || (args && !strcmp(args, "plain"))) {
			char *flag = skip_ws(comma ? comma + 1 : args);
			rtrim(flag);
			if (strcmp(flag, "plain") || out->kind == GEN_CHARS) {
				strbuf_error(err, -1, "expected '%s(n)'%s, found '%s(%s)'", s,
					     out->kind == GEN_CHARS ? "" : " or '...,plain'", s, args);
				goto out;
			}
			out->plain = 1;
			if (comma)
				*comma = '\0';
			else
				*args = '\0';
		}
		if (kinds[k].args == 5 && (!args || !*args)) {
			strbuf_error(err, -1, "expected '%s(n)' with a maximum length", s);
			goto out;
		}
		if (args && *args) {
			rtrim(args);
			if (resolve_int(sc, args, 1, 100000, &n, err))
				goto out;
		}
		out->a = n;
		break;
	}
	case 2:
	case 7: {
		char *comma = args ? strchr(args, ',') : NULL, *third = comma ? strchr(comma + 1, ',') : NULL;
		long lo, hi, scale = 0;
		if (!comma || (kinds[k].args == 7 && !third)) {
			strbuf_error(err, -1, kinds[k].args == 7 ? "expected '%s(a,b,s)' with two bounds and the "
				     "digits after the point" : "expected '%s(a,b)' with two bounds", s);
			goto out;
		}
		*comma = '\0';
		if (third)
			*third++ = '\0';
		args = skip_ws(args);
		rtrim(args);
		comma = skip_ws(comma + 1);
		rtrim(comma);
		/* Bounds a double holds exactly: epoch milliseconds fit, with room. */
		if (resolve_int(sc, args, -GEN_INT_LIMIT, GEN_INT_LIMIT, &lo, err) ||
		    resolve_int(sc, comma, -GEN_INT_LIMIT, GEN_INT_LIMIT, &hi, err))
			goto out;
		if (lo > hi) {
			strbuf_error(err, -1, "'%s(%ld,%ld)': the lower bound is above the upper", s, lo, hi);
			goto out;
		}
		if (third && kinds[k].args == 7) {
			third = skip_ws(third);
			rtrim(third);
			if (resolve_int(sc, third, 0, 12, &scale, err))
				goto out;
		} else if (third) {
			/* int(a,b,TEMPLATE): the number within its text. */
			third = skip_ws(third);
			rtrim(third);
			if (check_template(third, err))
				goto out;
			out->tmpl = xstrdup(third);
		}
		out->a = lo;
		out->b = hi;
		out->scale = scale;
		break;
	}
	case 6:
		if (args && *args) {
			rtrim(args);
			if (check_template(args, err))
				goto out;
			out->tmpl = xstrdup(args);
		}
		break;
	case 3: {
		char *p = args;
		size_t alloc = 0;
		if (!args || !*args) {
			strbuf_error(err, -1, "expected 'pick(a|b|c)' with at least one choice");
			goto out;
		}
		for (;;) {
			char *bar = strchr(p, '|');
			if (bar)
				*bar = '\0';
			p = skip_ws(p);
			rtrim(p);
			ALLOC_GROW(out->choices, out->nchoices + 1, alloc);
			out->choices[out->nchoices++] = xstrdup(p);
			if (!bar)
				break;
			p = bar + 1;
		}
		break;
	}
	case 4:
		if (!args || !valid_ident((rtrim(args), args))) {
			strbuf_error(err, -1, "expected '%s(TABLE)' naming a table", s);
			goto out;
		}
		out->table = sql_ident_name(args);
		break;
	}
	rc = 0;
out:
	if (rc)
		gen_release(out);
	free(buf);
	return rc;
}

const struct sql_variant *sql_section_pick(const struct sql_section *sec, int dialect)
{
	const struct sql_variant *any = NULL;
	size_t i;
	for (i = 0; i < sec->nr; i++) {
		if (sec->v[i].dialect == dialect)
			return &sec->v[i];
		if (sec->v[i].dialect == DIALECT_ANY)
			any = &sec->v[i];
	}
	return any;
}

int scenario_migration(const struct scenario *sc, const char *name)
{
	size_t i;
	for (i = 0; i < sc->nmigrations; i++)
		if (!strcmp(sc->migrations[i].name, name))
			return (int)i;
	return -1;
}

int scenario_flag(const struct scenario *sc, const char *name)
{
	size_t i;
	for (i = 0; i < sc->nflags; i++)
		if (!strcmp(sc->flags[i], name))
			return (int)i;
	return -1;
}

int scenario_flag_flip(struct scenario *sc, const char *name, long tick, int on, struct strbuf *err)
{
	int f = scenario_flag(sc, name);
	size_t at;
	struct tl_event *ev;

	if (f < 0)
		return strbuf_error(err, -1, "no feature flag '%s' in scenario '%s'", name, sc->name);
	for (at = 0; at < sc->ntimeline; at++)
		if (sc->timeline[at].tick > tick || sc->timeline[at].action == TL_END)
			break;
	if (at == sc->ntimeline || (sc->timeline[at].action == TL_END && sc->timeline[at].tick <= tick))
		return strbuf_error(err, -1, "tick %ld is not before the timeline's end", tick);
	ALLOC_GROW(sc->timeline, sc->ntimeline + 1, sc->timeline_alloc);
	memmove(sc->timeline + at + 1, sc->timeline + at, (sc->ntimeline - at) * sizeof(*sc->timeline));
	sc->ntimeline++;
	ev = &sc->timeline[at];
	memset(ev, 0, sizeof(*ev));
	ev->tick = tick;
	ev->action = TL_FLAG;
	ev->flag = f;
	ev->flag_on = on;
	ev->version = ev->migration = -1;
	return 0;
}

int scenario_app(const struct scenario *sc, const char *name)
{
	size_t i;
	for (i = 0; i < sc->napps; i++)
		if (!strcmp(sc->apps[i].name, name))
			return (int)i;
	return -1;
}

int scenario_untracked(const struct scenario *sc, const char *table, const char *field)
{
	size_t i;
	for (i = 0; sc && i < sc->nuntracked; i++)
		if (!strcmp(sc->untracked[i].table, table) && !strcmp(sc->untracked[i].field, field))
			return 1;
	return 0;
}

/* Parse an optional dialect word; -2 when the word is something else. */
static int parse_dialect(const char *w)
{
	int d;
	if (!w)
		return DIALECT_ANY;
	d = dialect_find(w, strlen(w));
	return d < 0 ? -2 : d;
}

/* "expected X then optionally 'sqlite' or 'postgres'", for a line naming a dialect. */
static int perr_dialect(struct parser *p, const char *what)
{
	struct strbuf names = STRBUF_INIT;
	int rc;
	dialect_names(&names, "'", ", ", " or ");
	rc = perr(p, "expected '%s' then optionally %s", what, names.buf);
	strbuf_release(&names);
	return rc;
}

/* Start a new dialect variant in sec and make it the one being filled. */
static int open_sql(struct parser *p, struct sql_section *sec, char *rest, const char *what)
{
	char *w = next_word(&rest);
	int d = parse_dialect(w);
	size_t i;

	if (d == -2 || next_word(&rest))
		return perr_dialect(p, what);
	for (i = 0; i < sec->nr; i++)
		if (sec->v[i].dialect == d)
			return perr(p, "a second '%s' block for the same dialect", what);
	ALLOC_GROW(sec->v, sec->nr + 1, sec->alloc);
	p->sql = &sec->v[sec->nr++];
	p->sql->dialect = d;
	p->sql->text = NULL;
	p->sql->line = p->line + 1;
	strbuf_reset(&p->text);
	p->text_line = 0;
	p->section = SEC_SQL;
	return 0;
}

/* Check that the SQL of the current tx names only variables it sets. */
static int check_tx_vars(struct parser *p, struct txdef *tx, const char *sql, int line)
{
	struct strbuf tmp = STRBUF_INIT;
	char **names;
	size_t n, i, j;
	int rc = 0;

	sql_number_params(sql, '$', &tmp, &names, &n);
	for (i = 0; i < n && !rc; i++) {
		for (j = 0; j < tx->nvars; j++)
			if (!strcmp(tx->vars[j].name, names[i]))
				break;
		if (j == tx->nvars) {
			p->line = line;
			rc = perr(p, "':%s' is not set in transaction '%s' (expected a '\\set %s ...' line)",
				  names[i], tx->name, names[i]);
		}
	}
	sql_names_free(names, n);
	strbuf_release(&tmp);
	return rc;
}

static int tx_has_var(const struct txdef *tx, const char *name)
{
	size_t j;
	for (j = 0; j < tx->nvars; j++)
		if (!strcmp(tx->vars[j].name, name))
			return 1;
	return 0;
}

/* Close whatever section is open: store its text and check it. */
/*
** Each '-- @rows' line of tx to the statement it follows: the last one
** that starts above it.  A transaction that commits each statement on its
** own cannot roll back a statement whose count is wrong.
*/
static int place_rows(struct parser *p, struct txdef *tx)
{
	size_t i, k;
	for (i = 0; i < p->nrows; i++) {
		const struct rows_mark *m = &p->rows[i];
		p->line = m->line;
		for (k = tx->nstmts; k > 0 && tx->stmts[k - 1].line >= m->line; k--)
			;
		if (!k)
			return perr(p, "'-- @rows' belongs on the line after the statement whose rows it counts");
		if (tx->stmts[k - 1].rows_rule != ROWS_ANY)
			return perr(p, "a second '-- @rows' for the statement of line %d", tx->stmts[k - 1].line);
		if (tx->autocommit)
			return perr(p, "'-- @rows' needs a transaction to roll back: '%s' is autocommit", tx->name);
		tx->stmts[k - 1].rows_rule = m->rule;
		tx->stmts[k - 1].rows = m->n;
	}
	return 0;
}

/* Each '-- @returning' line of tx to the statement it follows, as '-- @rows' lines are placed. */
static int place_returning(struct parser *p, struct txdef *tx)
{
	size_t i, k, j;
	for (i = 0; i < p->nreturning; i++) {
		const struct returning_mark *m = &p->returning[i];
		struct tx_stmt *st;
		p->line = m->line;
		for (k = tx->nstmts; k > 0 && tx->stmts[k - 1].line >= m->line; k--)
			;
		if (!k)
			return perr(p, "'-- @returning' belongs on the line after the statement whose row it reads");
		st = &tx->stmts[k - 1];
		if (st->nreturns)
			return perr(p, "a second '-- @returning' for the statement of line %d", st->line);
		st->returns = xcalloc(m->n, sizeof(*st->returns));
		for (j = 0; j < m->n; j++)
			st->returns[j] = (int)(m->first + j);
		st->nreturns = m->n;
		/* A statement above it cannot use what it returns. */
		for (j = 0; j + 1 < k; j++) {
			struct strbuf tmp = STRBUF_INIT;
			char **names;
			size_t n, a, b;
			int used = 0;
			sql_number_params(tx->stmts[j].sql, '$', &tmp, &names, &n);
			for (a = 0; a < n; a++)
				for (b = 0; b < m->n; b++)
					used |= !strcmp(names[a], tx->vars[m->first + b].name);
			sql_names_free(names, n);
			strbuf_release(&tmp);
			if (used) {
				p->line = tx->stmts[j].line;
				return perr(p, "this statement uses a variable '-- @returning' sets only later, at line %d",
					    m->line);
			}
		}
	}
	return 0;
}

static int close_section(struct parser *p)
{
	int rc = 0;

	if (p->section == SEC_SQL) {
		struct sql_script script = { 0 };
		size_t n;
		strbuf_rtrim(&p->text);
		sql_split(p->text.buf, 1, &script);
		n = script.nr;
		sql_script_release(&script);
		if (!n) {
			p->line = p->sql->line - 1;
			return perr(p, "expected SQL after this directive");
		}
		p->sql->text = strbuf_detach(&p->text);
	} else if (p->section == SEC_TX) {
		struct txdef *tx = p->tx;
		struct sql_script script = { 0 };
		size_t i;

		sql_split(p->text.buf, p->text_line, &script);
		strbuf_reset(&p->text);
		if (!script.nr) {
			p->line = tx->line;
			rc = perr(p, "transaction '%s' has no SQL statement", tx->name);
		} else if (tx->autocommit && script.nr > 1) {
			p->line = tx->line;
			rc = perr(p, "an autocommit transaction holds one statement; '%s' has %zu",
				  tx->name, script.nr);
		}
		for (i = 0; i < script.nr && !rc; i++) {
			rc = check_tx_vars(p, tx, script.v[i].sql, script.v[i].line);
			ALLOC_GROW(tx->stmts, tx->nstmts + 1, tx->stmts_alloc);
			memset(&tx->stmts[tx->nstmts], 0, sizeof(tx->stmts[0]));
			tx->stmts[tx->nstmts].sql = script.v[i].sql;
			tx->stmts[tx->nstmts++].line = script.v[i].line;
			script.v[i].sql = NULL;
		}
		for (; i < script.nr; i++)
			free(script.v[i].sql);
		free(script.v);
		if (!rc)
			rc = place_rows(p, tx);
		if (!rc)
			rc = place_returning(p, tx);
		p->nrows = 0;
		p->nreturning = 0;
		p->tx = NULL;
	} else if (p->section == SEC_SEED) {
		size_t k, j;
		if (!p->seed->csv && !p->seed->ncols) {
			p->line = p->seed->line;
			rc = perr(p, "seed of '%s' has no '-- @gen %s.COLUMN GENERATOR' line",
				  p->seed->table, p->seed->table);
		}
		/* A key column must be one the seed fills (a CSV's header is checked as it is read). */
		for (k = 0; !rc && !p->seed->csv && k < p->seed->nkey; k++) {
			for (j = 0; j < p->seed->ncols; j++)
				if (!strcmp(p->seed->cols[j].column, p->seed->key[k]))
					break;
			if (j == p->seed->ncols) {
				p->line = p->seed->line;
				rc = perr(p, "key column '%s' of '%s' has no '-- @gen %s.%s' line", p->seed->key[k],
					  p->seed->table, p->seed->table, p->seed->key[k]);
			}
		}
	}
	p->section = SEC_NONE;
	p->sql = NULL;
	return rc;
}

/* Split "T.C" into its two halves; 0 on success. */
/* A valid identifier turned, where it lies, into the name it stands for (sql_ident_name). */
static char *name_in_place(char *s)
{
	char *name = sql_ident_name(s);
	strcpy(s, name);
	free(name);
	return s;
}

static int split_dotted(char *s, char **table, char **field)
{
	char *dot = strchr(s, '.');
	if (!dot)
		return -1;
	*dot = '\0';
	*table = s;
	*field = dot + 1;
	return valid_ident(*table) && valid_ident(*field) ? 0 : -1;
}

/*
** Tokenise a '@writes' line: words separated by spaces, where a value may
** be a quoted literal with '' for a quote.
*/
static int parse_fact_value(struct parser *p, char **s, char **var, char **lit, int *is_null)
{
	char *v = *s;
	*var = *lit = NULL;
	*is_null = 0;
	if (*v == ':') {
		char *e = v + 1;
		while (isalnum((unsigned char)*e) || *e == '_')
			e++;
		if (e == v + 1)
			return perr(p, "expected a variable name after ':'");
		*var = xstrndup(v + 1, (size_t)(e - v - 1));
		*s = e;
	} else if (*v == '\'') {
		struct strbuf sb = STRBUF_INIT;
		char *e = v + 1;
		for (;; e++) {
			if (!*e) {
				strbuf_release(&sb);
				return perr(p, "unterminated quoted value");
			}
			if (*e == '\'') {
				if (e[1] == '\'') {
					strbuf_addch(&sb, '\'');
					e++;
					continue;
				}
				break;
			}
			strbuf_addch(&sb, *e);
		}
		*lit = strbuf_detach(&sb);
		*s = e + 1;
	} else if (!strncasecmp(v, "null", 4) && (!v[4] || isspace((unsigned char)v[4]))) {
		*is_null = 1;
		*s = v + 4;
	} else {
		return perr(p, "expected ':var', 'literal' or NULL as a value");
	}
	if (**s && !isspace((unsigned char)**s)) {
		free(*var);
		free(*lit);
		*var = *lit = NULL;
		return perr(p, "expected a space after the value");
	}
	return 0;
}

static int parse_fact(struct parser *p, char *rest, int op)
{
	const char *dname = op == FACT_OP_WRITE ? "@writes" : "@deletes";
	struct txdef *tx = p->tx;
	struct fact_tmpl *f;
	char *table = next_word(&rest), *s;
	int is_null;

	if (!tx)
		return perr(p, "'%s' belongs after the SQL of a '-- @tx' block", dname);
	if (!table || !valid_ident(table))
		return perr(p, "expected '%s TABLE key=:var%s'", dname,
			    op == FACT_OP_WRITE ? " FIELD=:var ..." : "");
	ALLOC_GROW(tx->facts, tx->nfacts + 1, tx->facts_alloc);
	f = &tx->facts[tx->nfacts++];
	memset(f, 0, sizeof(*f));
	f->op = op;
	f->table = sql_ident_name(table);
	f->line = p->line;
	s = skip_ws(rest);
	while (*s) {
		char *eq = strchr(s, '='), *name, *var, *lit;
		if (!eq || eq == s)
			return perr(p, "expected FIELD=VALUE in '%s', found '%s'", dname, s);
		name = xstrndup(s, (size_t)(eq - s));
		s = eq + 1;
		if (!valid_ident(name)) {
			perr(p, "'%s' is not a field name", name);
			free(name);
			return -1;
		}
		if (parse_fact_value(p, &s, &var, &lit, &is_null)) {
			free(name);
			return -1;
		}
		if (var && !tx_has_var(tx, var)) {
			perr(p, "':%s' is not set in transaction '%s'", var, tx->name);
			free(name);
			free(var);
			return -1;
		}
		if (!strcmp(name, "key")) {
			free(name);
			if (f->key_var || f->key_literal) {
				free(var);
				free(lit);
				return perr(p, "'key=' given twice");
			}
			if (is_null)
				return perr(p, "a key cannot be NULL");
			f->key_var = var;
			f->key_literal = lit;
		} else if (op == FACT_OP_DELETE) {
			free(name);
			free(var);
			free(lit);
			return perr(p, "'@deletes' takes only 'key=', the whole row goes");
		} else {
			size_t i;
			char *canon = sql_ident_name(name);
			for (i = 0; i < f->nfields; i++)
				if (!strcmp(f->fields[i].field, canon))
					break;
			free(canon);
			if (i < f->nfields) {
				perr(p, "field '%s' written twice", name);
				free(name);
				free(var);
				free(lit);
				return -1;
			}
			ALLOC_GROW(f->fields, f->nfields + 1, f->alloc);
			/* Facts go by the name a probe's result gives the column: '"userUid"' is userUid. */
			f->fields[f->nfields].field = sql_ident_name(name);
			free(name);
			f->fields[f->nfields].var = var;
			f->fields[f->nfields++].literal = lit;
		}
		s = skip_ws(s);
	}
	if (!f->key_var && !f->key_literal)
		return perr(p, "expected 'key=:var' in '%s %s'", dname, table);
	return 0;
}

int scenario_fact_parse(struct txdef *tx, char *rest, int op, const char *path, int line,
			struct strbuf *err)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	p.tx = tx;
	p.path = path;
	p.line = line;
	p.err = err;
	return parse_fact(&p, rest, op);
}

static int parse_set(struct parser *p, char *rest)
{
	struct txdef *tx = p->tx;
	struct setvar *v;
	char *name = next_word(&rest);
	struct strbuf why = STRBUF_INIT;
	struct gen g;

	if (!tx)
		return perr(p, "'\\set' belongs in a '-- @tx' block");
	if (!name || !valid_ident(name) || !*skip_ws(rest))
		return perr(p, "expected '\\set NAME EXPRESSION'");
	if (strexpr_is_call(rest)) {
		/* A value computed from the variables set above this line. */
		const char **names = xcalloc(tx->nvars + 1, sizeof(*names));
		size_t i;
		int rc;
		for (i = 0; i < tx->nvars; i++)
			names[i] = tx->vars[i].name;
		memset(&g, 0, sizeof(g));
		g.kind = GEN_STR;
		rc = strexpr_parse(skip_ws(rest), names, tx->nvars, &g.sexpr, &why);
		free(names);
		if (rc) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
	} else if (gen_parse(skip_ws(rest), p->sc, 1, &g, &why)) {
		perr(p, "%s", why.buf);
		strbuf_release(&why);
		return -1;
	}
	strbuf_release(&why);
	if (tx_has_var(tx, name)) {
		gen_release(&g);
		return perr(p, "'%s' is set twice in transaction '%s'", name, tx->name);
	}
	ALLOC_GROW(tx->vars, tx->nvars + 1, tx->vars_alloc);
	v = &tx->vars[tx->nvars++];
	v->name = xstrdup(name);
	v->gen = g;
	v->line = p->line;
	return 0;
}

static int parse_timeline(struct parser *p, char *body)
{
	struct scenario *sc = p->sc;
	struct tl_event *ev;
	char *rest = body, *w = next_word(&rest), *tick, *action;
	struct strbuf why = STRBUF_INIT;
	long t;

	if (!w || strcmp(w, "at") || !(tick = next_word(&rest)) || !(action = next_word(&rest)))
		return perr(p, "expected '-- at TICK ACTION' (start, deploy, migrate, flag, fix, end)");
	if (resolve_int(sc, tick, 0, 1000000000L, &t, &why)) {
		perr(p, "%s", why.buf);
		strbuf_release(&why);
		return -1;
	}
	if (sc->ntimeline && t < sc->timeline[sc->ntimeline - 1].tick)
		return perr(p, "tick %ld comes before the previous event's tick %ld", t,
			    sc->timeline[sc->ntimeline - 1].tick);
	if (sc->ntimeline && sc->timeline[sc->ntimeline - 1].action == TL_END)
		return perr(p, "nothing may follow 'end' in the timeline");
	ALLOC_GROW(sc->timeline, sc->ntimeline + 1, sc->timeline_alloc);
	ev = &sc->timeline[sc->ntimeline++];
	memset(ev, 0, sizeof(*ev));
	ev->tick = t;
	ev->line = p->line;
	ev->version = ev->migration = -1;

	if (!strcmp(action, "start") || !strcmp(action, "deploy")) {
		int is_start = action[0] == 's';
		char *ver = next_word(&rest), *arg = next_word(&rest);
		const char *key = is_start ? "clients=" : "fraction=";
		double d;

		ev->action = is_start ? TL_START : TL_DEPLOY;
		if (!ver || !arg || strncmp(arg, key, strlen(key)) || next_word(&rest))
			return perr(p, "expected '%s VERSION %sN'", action, key);
		ev->version = scenario_app(sc, ver);
		if (ev->version < 0)
			return perr(p, "no app version '%s' declared above (expected a name from a "
				       "'-- @app' line before the timeline)", ver);
		if (resolve_num(sc, arg + strlen(key), &d, &why)) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
		if (is_start) {
			if (d != floor(d) || d < 1 || d > 1000)
				return perr(p, "clients must be a whole number from 1 to 1000");
			ev->clients = (int)d;
		} else {
			if (d < 0 || d > 1)
				return perr(p, "fraction must be from 0 to 1");
			ev->fraction = d;
		}
	} else if (!strcmp(action, "migrate")) {
		char *name = next_word(&rest);
		ev->action = TL_MIGRATE;
		if (!name || next_word(&rest))
			return perr(p, "expected 'migrate NAME' (for instance 'migrate bad')");
		ev->migration = scenario_migration(sc, name);
		if (ev->migration < 0)
			return perr(p, "no migration '%s' declared above (expected a '-- @migration %s' "
				       "block before the timeline)", name, name);
		if (!strcmp(name, "down"))
			return perr(p, "the down migration runs in the fix slot ('mdrill run --down'), not in the timeline");
	} else if (!strcmp(action, "flag")) {
		char *name = next_word(&rest), *state = next_word(&rest);
		ev->action = TL_FLAG;
		if (!name || !state || (strcmp(state, "off") && strcmp(state, "on")) || next_word(&rest))
			return perr(p, "expected 'flag NAME off' or 'flag NAME on'");
		ev->flag = scenario_flag(sc, name);
		if (ev->flag < 0)
			return perr(p, "no feature flag '%s' declared above (expected a '-- @flag %s' line "
				       "in a transaction)", name, name);
		ev->flag_on = !strcmp(state, "on");
	} else if (!strcmp(action, "fix") || !strcmp(action, "end")) {
		ev->action = action[0] == 'f' ? TL_FIX : TL_END;
		if (next_word(&rest))
			return perr(p, "'%s' takes no arguments", action);
	} else if (!strcmp(action, "fault")) {
		char *spec = next_word(&rest);
		struct fault_list one = { 0 };
		ev->action = TL_FAULT;
		if (!spec || next_word(&rest))
			return perr(p, "expected 'fault NAME[=ARG]' (for instance 'fault kill-client')");
		if (fault_parse(spec, 0, &one, &why)) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
		ev->fault = one.v[0];
		ev->fault.tick = t;
		fault_list_release(&one);
		/* A crash is judged against a run without it, which only the command line sets up. */
		if (!fault_timeline_ok(ev->fault.kind))
			return perr(p, "'fault %s' belongs on the command line (--faults), not in the timeline", spec);
	} else {
		return perr(p, "unknown action '%s' (expected start, deploy, migrate, flag, fault, fix or end)",
			    action);
	}
	return 0;
}

/* A directive line: "-- @name rest" (sql_directive says).  Returns 1 and splits it if so. */
static int is_directive(char *line, char **name, char **rest)
{
	const char *n, *r;
	size_t nl, rl;

	if (!sql_directive(line, strlen(line), &n, &nl, &r, &rl))
		return 0;
	*name = line + (n - line);
	*rest = line + (r - line);
	(*rest)[rl] = '\0';
	(*name)[nl] = '\0';
	return 1;
}

/* A '\set' line, written bare or behind "--".  Returns the part after \set. */
static char *is_set_line(char *line)
{
	char *s = skip_ws(line);
	if (s[0] == '-' && s[1] == '-')
		s = skip_ws(s + 2);
	if (strncmp(s, "\\set", 4) || !isspace((unsigned char)s[4]))
		return NULL;
	return s + 4;
}

static int is_comment_or_blank(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return !*line || (line[0] == '-' && line[1] == '-');
}

static int add_param(struct parser *p, const char *name, const char *value, int line)
{
	struct scenario *sc = p->sc;
	struct param *pm;
	size_t i;
	for (i = 0; i < sc->nparams; i++) {
		if (!strcmp(sc->params[i].name, name)) {
			if (sc->params[i].line)
				return perr(p, "parameter '%s' declared twice", name);
			free(sc->params[i].value);
			sc->params[i].value = xstrdup(value);
			sc->params[i].line = line;
			return 0;
		}
	}
	ALLOC_GROW(sc->params, sc->nparams + 1, sc->params_alloc);
	pm = &sc->params[sc->nparams++];
	pm->name = xstrdup(name);
	pm->value = xstrdup(value);
	pm->line = line;
	return 0;
}

/*
** 'pgbench=FILE[@WEIGHT]' on an '@app' line: the script, relative to the
** scenario's directory, becomes one transaction of app (see pgbench.h).
*/
static int add_pgbench(struct parser *p, struct appver *app, char *arg)
{
	struct strbuf why = STRBUF_INIT, path = STRBUF_INIT;
	struct pgbench_host host;
	struct txdef *tx;
	char *file = arg + 8, *at;
	long weight = 1;
	size_t i;
	int rc;

	if (strncmp(arg, "pgbench=", 8) || !*file)
		return perr(p, "expected '-- @app VERSION [pgbench=FILE[@WEIGHT] ...]', found '%s'", arg);
	at = strrchr(file, '@');
	if (at) {
		*at = '\0';
		if (resolve_int(p->sc, at + 1, 0, 1000000, &weight, &why)) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
	}
	if (file[0] == '/')
		strbuf_addstr(&path, file);
	else
		strbuf_addf(&path, "%s/%s", p->sc->dir, file);
	ALLOC_GROW(app->tx, app->ntx + 1, app->alloc);
	tx = &app->tx[app->ntx++];
	memset(tx, 0, sizeof(*tx));
	host.scale = scenario_param(p->sc, "scale");
	host.fact = scenario_fact_parse;
	rc = pgbench_load(path.buf, &host, tx, p->err);
	strbuf_release(&path);
	if (rc == -2) {
		/* The file itself is the trouble: the '@app' line says where. */
		strbuf_addstr(&why, p->err->buf);
		perr(p, "%s", why.buf);
		strbuf_release(&why);
	}
	if (rc)
		return -1;
	for (i = 0; i + 1 < app->ntx; i++)
		if (!strcmp(app->tx[i].name, tx->name))
			return perr(p, "app version '%s' has two transactions named '%s'", app->name, tx->name);
	tx->weight = (unsigned)weight;
	tx->line = p->line;
	app->total_weight += (unsigned)weight;
	return 0;
}

static int directive(struct parser *p, const char *name, char *rest)
{
	struct scenario *sc = p->sc;
	struct strbuf why = STRBUF_INIT;

	if (!strcmp(name, "writes") || !strcmp(name, "deletes")) {
		if (p->section != SEC_TX)
			return perr(p, "'@%s' belongs after the SQL of a '-- @tx' block", name);
		strbuf_addch(&p->text, '\n'); /* keep line numbers right */
		return parse_fact(p, rest, name[0] == 'w' ? FACT_OP_WRITE : FACT_OP_DELETE);
	}
	if (!strcmp(name, "file")) {
		char *f = next_word(&rest);
		struct schema_file *sf;
		if (p->section != SEC_SQL || !p->in_schema)
			return perr(p, "'@file' belongs in a '-- @schema' block, above the statements of the "
				       "history file it names");
		if (!f || next_word(&rest))
			return perr(p, "expected '-- @file NAME' (a file of the history, named as its tool "
				       "names it)");
		ALLOC_GROW(sc->files, sc->nfiles + 1, sc->files_alloc);
		sf = &sc->files[sc->nfiles++];
		sf->name = xstrdup(f);
		sf->line = p->line;
		sf->dialect = p->sql->dialect;
		strbuf_addch(&p->text, '\n'); /* keep line numbers right */
		return 0;
	}
	if (!strcmp(name, "rows")) {
		char *w = next_word(&rest), *end;
		struct rows_mark m;
		if (p->section != SEC_TX)
			return perr(p, "'@rows' belongs in a '-- @tx' block, after a statement");
		m.line = p->line;
		m.rule = ROWS_EXACTLY;
		if (w && !strncmp(w, ">=", 2)) {
			m.rule = ROWS_AT_LEAST;
			w += 2;
		}
		m.n = w && *w ? strtoll(w, &end, 10) : -1;
		if (!w || !*w || *end || m.n < 0 || m.n > 1000000000 || next_word(&rest))
			return perr(p, "expected '-- @rows N' or '-- @rows >=N' (the rows the statement above "
				       "must change, N a whole number)");
		strbuf_addch(&p->text, '\n'); /* keep line numbers right */
		ALLOC_GROW(p->rows, p->nrows + 1, p->rows_alloc);
		p->rows[p->nrows++] = m;
		return 0;
	}
	if (!strcmp(name, "returning")) {
		struct returning_mark m;
		char *w;
		if (p->section != SEC_TX)
			return perr(p, "'@returning' belongs in a '-- @tx' block, after a statement with RETURNING");
		m.line = p->line;
		m.first = p->tx->nvars;
		m.n = 0;
		while ((w = next_word(&rest)) != NULL) {
			struct setvar *v;
			if (!valid_ident(w) || strchr(w, '"'))
				return perr(p, "'%s' is not a variable name (expected '-- @returning VAR...')", w);
			if (tx_has_var(p->tx, w))
				return perr(p, "'%s' is set twice in transaction '%s'", w, p->tx->name);
			ALLOC_GROW(p->tx->vars, p->tx->nvars + 1, p->tx->vars_alloc);
			v = &p->tx->vars[p->tx->nvars++];
			memset(v, 0, sizeof(*v));
			v->name = xstrdup(w);
			v->gen.kind = GEN_RETURNED;
			v->line = p->line;
			m.n++;
		}
		if (!m.n)
			return perr(p, "expected '-- @returning VAR...' (the variables the statement above's "
				       "returned columns go into, in order)");
		strbuf_addch(&p->text, '\n'); /* keep line numbers right */
		ALLOC_GROW(p->returning, p->nreturning + 1, p->returning_alloc);
		p->returning[p->nreturning++] = m;
		return 0;
	}
	if (!strcmp(name, "flag")) {
		char *fname = next_word(&rest);
		int neg = 0, f;
		if (p->section != SEC_TX)
			return perr(p, "'@flag' belongs in a '-- @tx' block: it gates that transaction");
		if (fname && *fname == '!') {
			neg = 1;
			fname++;
		}
		if (!fname || !valid_ident(fname) || next_word(&rest))
			return perr(p, "expected '-- @flag NAME' or '-- @flag !NAME'");
		if (p->tx->flag >= 0)
			return perr(p, "transaction '%s' has a flag already", p->tx->name);
		f = scenario_flag(sc, fname);
		if (f < 0) {
			ALLOC_GROW(sc->flags, sc->nflags + 1, sc->flags_alloc);
			f = (int)sc->nflags;
			sc->flags[sc->nflags++] = xstrdup(fname);
		}
		p->tx->flag = f;
		p->tx->flag_negated = neg;
		strbuf_addch(&p->text, '\n'); /* keep line numbers right */
		return 0;
	}
	if (!strcmp(name, "gen")) {
		struct seed_col *c;
		char *table, *col, *dotted = next_word(&rest);
		struct gen g;
		if (p->section != SEC_SEED)
			return perr(p, "'@gen' belongs after a '-- @seed TABLE ROWS' line");
		if (!dotted || split_dotted(dotted, &table, &col) || !*skip_ws(rest))
			return perr(p, "expected '-- @gen TABLE.COLUMN GENERATOR'");
		if (strcmp(table, p->seed->table))
			return perr(p, "'@gen %s.%s' is not for the table being seeded, '%s'",
				    table, col, p->seed->table);
		if (p->seed->csv)
			return perr(p, "a CSV seed takes its columns from the header row, not '@gen'");
		if (gen_parse(skip_ws(rest), sc, 0, &g, &why)) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
		ALLOC_GROW(p->seed->cols, p->seed->ncols + 1, p->seed->alloc);
		c = &p->seed->cols[p->seed->ncols++];
		c->column = xstrdup(col);
		c->gen = g;
		c->line = p->line;
		return 0;
	}
	if (!strcmp(name, "tx")) {
		struct appver *app = p->app;
		struct txdef *tx;
		char *tname = next_word(&rest), *opt;
		long weight = 1;
		int autocommit = 0, readonly = 0;
		if (p->section != SEC_APP && p->section != SEC_TX)
			return perr(p, "'@tx' belongs in an '-- @app VERSION' block");
		if (close_section(p))
			return -1;
		if (!tname || !valid_name(tname))
			return perr(p, "expected '-- @tx NAME weight=W [autocommit] [readonly]'");
		while ((opt = next_word(&rest)) != NULL) {
			if (!strcmp(opt, "autocommit")) {
				autocommit = 1;
			} else if (!strcmp(opt, "readonly")) {
				readonly = 1;
			} else if (!strncmp(opt, "weight=", 7)) {
				if (resolve_int(sc, opt + 7, 0, 1000000, &weight, &why)) {
					perr(p, "%s", why.buf);
					strbuf_release(&why);
					return -1;
				}
			} else {
				return perr(p, "expected '-- @tx NAME weight=W [autocommit] [readonly]', "
					       "found '%s'", opt);
			}
		}
		ALLOC_GROW(app->tx, app->ntx + 1, app->alloc);
		tx = &app->tx[app->ntx++];
		memset(tx, 0, sizeof(*tx));
		tx->name = xstrdup(tname);
		tx->weight = (unsigned)weight;
		tx->autocommit = autocommit;
		tx->readonly = readonly;
		tx->flag = -1;
		tx->line = p->line;
		app->total_weight += (unsigned)weight;
		p->tx = tx;
		p->section = SEC_TX;
		p->text_line = p->line + 1;
		strbuf_reset(&p->text);
		return 0;
	}

	/* Every other directive starts a new section. */
	if (close_section(p))
		return -1;
	p->in_schema = 0;

	if (!strcmp(name, "scenario") || !strcmp(name, "title") || !strcmp(name, "essay")) {
		char **slot = name[0] == 's' ? &sc->name : name[0] == 't' ? &sc->title : &sc->essay;
		if (*slot)
			return perr(p, "'@%s' given twice", name);
		if (!*rest)
			return perr(p, "expected '-- @%s %s'", name, name[0] == 's' ? "NAME" : "TEXT");
		if (name[0] == 's' && !valid_name(rest))
			return perr(p, "scenario name '%s' may hold letters, digits, '-', '_' and '.'", rest);
		*slot = xstrdup(rest);
		return 0;
	}
	if (!strcmp(name, "story")) {
		if (*rest)
			return perr(p, "expected '-- @story' alone, with the text on the '-- ' lines below");
		if (sc->story.len)
			return perr(p, "'@story' given twice");
		p->section = SEC_STORY;
		return 0;
	}
	if (!strcmp(name, "param")) {
		/* Collected in the first pass; only the form is checked here. */
		char *pn = next_word(&rest);
		if (!pn || !valid_ident(pn) || !*skip_ws(rest))
			return perr(p, "expected '-- @param NAME VALUE'");
		return 0;
	}
	if (!strcmp(name, "schema")) {
		int rc = open_sql(p, &sc->schema, rest, "@schema");
		p->in_schema = !rc;
		return rc;
	}
	if (!strcmp(name, "history")) {
		char *t = next_word(&rest);
		int tool = t ? history_tool_find(t) : -1;
		if (sc->history)
			return perr(p, "'@history' given twice");
		if (tool < 0 || next_word(&rest)) {
			history_tool_names(&why);
			perr(p, "expected '-- @history TOOL' (%s): the migration tool whose history the "
			     "schema is, and whose table it keeps", why.buf);
			strbuf_release(&why);
			return -1;
		}
		sc->history = tool;
		return 0;
	}
	if (!strcmp(name, "migration")) {
		char *mname = next_word(&rest);
		int m;
		if (!mname || !valid_name(mname))
			return perr(p, "expected '-- @migration NAME' (bad, down, or a name of yours)");
		m = scenario_migration(sc, mname);
		if (m < 0) {
			ALLOC_GROW(sc->migrations, sc->nmigrations + 1, sc->migrations_alloc);
			m = (int)sc->nmigrations++;
			memset(&sc->migrations[m], 0, sizeof(sc->migrations[m]));
			sc->migrations[m].name = xstrdup(mname);
			sc->migrations[m].line = p->line;
		}
		return open_sql(p, &sc->migrations[m].sql, rest, "@migration NAME");
	}
	if (!strcmp(name, "probe")) {
		char *table = next_word(&rest);
		struct probe *pr = NULL;
		size_t i;
		if (!table || !valid_ident(table))
			return perr(p, "expected '-- @probe TABLE' then one SELECT");
		/* The table by the name its facts go by: '"Team"' is Team. */
		table = name_in_place(table);
		for (i = 0; i < sc->nprobes; i++)
			if (!strcmp(sc->probes[i].table, table))
				pr = &sc->probes[i];
		if (!pr) {
			ALLOC_GROW(sc->probes, sc->nprobes + 1, sc->probes_alloc);
			pr = &sc->probes[sc->nprobes++];
			memset(pr, 0, sizeof(*pr));
			pr->table = xstrdup(table);
			pr->line = p->line;
		}
		return open_sql(p, &pr->sql, rest, "@probe TABLE");
	}
	if (!strcmp(name, "seed")) {
		struct seed *sd;
		char *table = next_word(&rest), *what = next_word(&rest), *key = next_word(&rest);
		size_t i;
		if (!table || !valid_ident(table) || !what || (key && strncmp(key, "key=", 4)) || next_word(&rest))
			return perr(p, "expected '-- @seed TABLE ROWS' or '-- @seed TABLE csv=FILE', then "
				       "optionally 'key=COLUMN,COLUMN' for a key of several columns");
		for (i = 0; i < sc->nseeds; i++)
			if (!strcmp(sc->seeds[i].table, table))
				return perr(p, "table '%s' is seeded twice", table);
		ALLOC_GROW(sc->seeds, sc->nseeds + 1, sc->seeds_alloc);
		sd = &sc->seeds[sc->nseeds++];
		memset(sd, 0, sizeof(*sd));
		sd->table = xstrdup(table);
		sd->line = p->line;
		if (key) {
			char *c = key + 4, *comma;
			do {
				comma = strchr(c, ',');
				if (comma)
					*comma = '\0';
				if (!valid_ident(c))
					return perr(p, "expected 'key=COLUMN,COLUMN' naming the key's columns, found "
						       "'%s'", c);
				sd->key = xrealloc(sd->key, (sd->nkey + 1) * sizeof(*sd->key));
				sd->key[sd->nkey++] = xstrdup(c);
				c = comma ? comma + 1 : NULL;
			} while (c);
		}
		if (!strncmp(what, "csv=", 4)) {
			if (!what[4])
				return perr(p, "expected a file name after 'csv='");
			if (what[4] == '/') {
				sd->csv = xstrdup(what + 4);
			} else {
				struct strbuf path = STRBUF_INIT;
				strbuf_addf(&path, "%s/%s", sc->dir, what + 4);
				sd->csv = strbuf_detach(&path);
			}
		} else if (resolve_int(sc, what, 0, 100000000L, &sd->rows, &why)) {
			perr(p, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
		p->seed = sd;
		p->section = SEC_SEED;
		return 0;
	}
	if (!strcmp(name, "app")) {
		struct appver *app;
		char *ver = next_word(&rest), *w;
		if (!ver || !valid_name(ver))
			return perr(p, "expected '-- @app VERSION'");
		if (scenario_app(sc, ver) >= 0)
			return perr(p, "app version '%s' declared twice", ver);
		ALLOC_GROW(sc->apps, sc->napps + 1, sc->apps_alloc);
		app = &sc->apps[sc->napps++];
		memset(app, 0, sizeof(*app));
		app->name = xstrdup(ver);
		app->line = p->line;
		p->app = app;
		p->section = SEC_APP;
		while ((w = next_word(&rest)) != NULL)
			if (add_pgbench(p, app, w))
				return -1;
		return 0;
	}
	if (!strcmp(name, "timeline")) {
		if (*rest)
			return perr(p, "expected '-- @timeline' alone, with '-- at TICK ACTION' lines below");
		if (sc->ntimeline)
			return perr(p, "'@timeline' given twice");
		p->section = SEC_TIMELINE;
		return 0;
	}
	if (!strcmp(name, "expect")) {
		/*
		** What the rollback baseline should come to, on every engine or on
		** one: the catalogue's tests read it.
		*/
		char *what = next_word(&rest), *engine = next_word(&rest), *cls = NULL;
		int d = parse_dialect(engine), v, k, apply = 0;
		if (what && !strncmp(what, "down_apply=", 11)) {
			apply = 1;
			v = !strcmp(what + 11, "ok");
			if (!strncmp(what + 11, "fail:", 5) && what[16])
				cls = what + 16;
			else if (!v && strcmp(what + 11, "fail"))
				what = NULL;
		} else if (what && (!strcmp(what, "down=pass") || !strcmp(what, "down=fail"))) {
			v = !strcmp(what, "down=pass");
		} else {
			what = NULL;
		}
		if (!what || d == -2 || next_word(&rest))
			return perr_dialect(p, "-- @expect down=pass|fail' or '-- @expect down_apply=ok|fail[:CLASS]");
		for (k = 0; k < DIALECT_COUNT; k++) {
			if (!(d == DIALECT_ANY || k == d || k == DIALECT_ANY))
				continue;
			if (!apply) {
				sc->down_expect[k] = v;
				continue;
			}
			sc->down_apply[k] = v;
			free(sc->down_apply_class[k]);
			sc->down_apply_class[k] = cls ? xstrdup(cls) : NULL;
		}
		return 0;
	}
	if (!strcmp(name, "untracked")) {
		struct field_ref *u;
		char *dotted = next_word(&rest), *table, *field;
		if (!dotted || split_dotted(dotted, &table, &field) || next_word(&rest))
			return perr(p, "expected '-- @untracked TABLE.COLUMN' (a bookkeeping column whose "
				       "values are no facts)");
		ALLOC_GROW(sc->untracked, sc->nuntracked + 1, sc->untracked_alloc);
		u = &sc->untracked[sc->nuntracked++];
		u->table = sql_ident_name(table);
		u->field = sql_ident_name(field);
		u->line = p->line;
		return 0;
	}
	if (!strcmp(name, "renamed")) {
		struct rename *rn;
		char *what = next_word(&rest), *to = next_word(&rest), *table, *field = NULL;
		if (!what || !to || next_word(&rest) || !valid_ident(to) ||
		    (strchr(what, '.') ? split_dotted(what, &table, &field) : !valid_ident(table = what)))
			return perr(p, "expected '-- @renamed TABLE.COLUMN NEW' or '-- @renamed TABLE NEW'");
		ALLOC_GROW(sc->renames, sc->nrenames + 1, sc->renames_alloc);
		rn = &sc->renames[sc->nrenames++];
		rn->table = sql_ident_name(table);
		rn->field = field ? sql_ident_name(field) : NULL;
		rn->to = sql_ident_name(to);
		rn->line = p->line;
		return 0;
	}
	if (!strcmp(name, "default")) {
		struct field_default *d;
		char *dotted = next_word(&rest), *table, *field;
		char *value = skip_ws(rest);
		if (!dotted || split_dotted(dotted, &table, &field) || !*value)
			return perr(p, "expected '-- @default TABLE.FIELD VALUE' ('' for the empty string)");
		ALLOC_GROW(sc->defaults, sc->ndefaults + 1, sc->defaults_alloc);
		d = &sc->defaults[sc->ndefaults++];
		d->table = sql_ident_name(table);
		d->field = sql_ident_name(field);
		d->value = xstrdup(strcmp(value, "''") ? value : "");
		return 0;
	}
	return perr(p, "unknown directive '@%s' (expected scenario, title, essay, story, param, "
		       "schema, history, file, seed, gen, app, tx, flag, writes, deletes, rows, migration, "
		       "timeline, probe, default, untracked, renamed or expect)", name);
}

static int parse_line(struct parser *p, char *line)
{
	char *name, *rest, *set;

	if (is_directive(line, &name, &rest))
		return directive(p, name, rest);

	switch (p->section) {
	case SEC_STORY: {
		char *s = skip_ws(line);
		if (s[0] == '-' && s[1] == '-') {
			s += 2;
			if (*s == ' ')
				s++;
			rtrim(s);
			strbuf_addstr(&p->sc->story, s);
			strbuf_addch(&p->sc->story, '\n');
			return 0;
		}
		p->section = SEC_NONE;
		break;
	}
	case SEC_SQL:
		strbuf_addstr(&p->text, line);
		strbuf_addch(&p->text, '\n');
		return 0;
	case SEC_TX:
		if ((set = is_set_line(line)) != NULL) {
			strbuf_addch(&p->text, '\n'); /* keep line numbers right */
			return parse_set(p, set);
		}
		strbuf_addstr(&p->text, line);
		strbuf_addch(&p->text, '\n');
		return 0;
	case SEC_TIMELINE: {
		char *s = skip_ws(line);
		if (!*s) {
			/* A blank line ends the timeline, as it ends the story. */
			p->section = SEC_NONE;
			return 0;
		}
		if (s[0] != '-' || s[1] != '-')
			return perr(p, "expected '-- at TICK ACTION' in the timeline");
		return parse_timeline(p, s + 2);
	}
	case SEC_APP:
		if (!is_comment_or_blank(line))
			return perr(p, "expected '-- @tx NAME weight=W' before SQL in an app block");
		return 0;
	case SEC_SEED:
		if (!is_comment_or_blank(line))
			return perr(p, "expected '-- @gen TABLE.COLUMN GENERATOR'");
		return 0;
	default:
		break;
	}
	if (is_set_line(line))
		return perr(p, "'\\set' belongs in a '-- @tx' block");
	{
		/* An event outside the timeline would be silently ignored: refuse it. */
		char *s = skip_ws(line), *w;
		if (s[0] == '-' && s[1] == '-') {
			s = skip_ws(s + 2);
			w = s;
			if (!strncmp(w, "at ", 3) && (isdigit((unsigned char)*skip_ws(w + 3)) ||
						       *skip_ws(w + 3) == ':'))
				return perr(p, "a timeline event outside '-- @timeline' (a blank line "
					       "ends the timeline)");
		}
	}
	if (!is_comment_or_blank(line))
		return perr(p, "SQL outside any section (expected a directive such as '-- @schema')");
	return 0;
}

/* Checks that need the whole file. */
static int validate(struct parser *p)
{
	struct scenario *sc = p->sc;
	size_t i, j, k;
	int seen_fix = 0, seen_bad = 0, seen_start = 0;

	p->line = 1;
	if (!sc->name)
		return perr(p, "expected a '-- @scenario NAME' line");
	/* An '@untracked' column is no fact: a transaction cannot declare one. */
	for (i = 0; i < sc->napps; i++)
		for (j = 0; j < sc->apps[i].ntx; j++)
			for (k = 0; k < sc->apps[i].tx[j].nfacts; k++) {
				const struct fact_tmpl *f = &sc->apps[i].tx[j].facts[k];
				size_t x;
				for (x = 0; x < f->nfields; x++)
					if (scenario_untracked(sc, f->table, f->fields[x].field)) {
						p->line = f->line;
						return perr(p, "'%s.%s' is '-- @untracked': a '@writes' line cannot "
							    "declare it", f->table, f->fields[x].field);
					}
			}
	if (!sc->schema.nr)
		return perr(p, "expected a '-- @schema' block");
	/* The tool records each file by the version in its name: one it cannot read is a mistake. */
	for (i = 0; sc->history && i < sc->nfiles; i++) {
		struct strbuf v = STRBUF_INIT, d = STRBUF_INIT;
		int bad = sc->history != HISTORY_SQITCH && layout_file_version(sc->files[i].name, &v, &d);
		bad = bad || ((sc->history == HISTORY_GOLANG_MIGRATE || sc->history == HISTORY_DBMATE) && !v.len);
		strbuf_release(&v);
		strbuf_release(&d);
		if (bad) {
			p->line = sc->files[i].line;
			return perr(p, "'-- @file %s': %s reads no version in that name", sc->files[i].name,
				    history_tool_name(sc->history));
		}
	}
	if (!sc->napps)
		return perr(p, "expected at least one '-- @app VERSION' block");
	for (i = 0; i < sc->napps; i++) {
		if (!sc->apps[i].ntx || !sc->apps[i].total_weight) {
			p->line = sc->apps[i].line;
			return perr(p, "app version '%s' has no transaction of positive weight",
				    sc->apps[i].name);
		}
	}
	if (scenario_migration(sc, "bad") < 0)
		return perr(p, "expected a '-- @migration bad' block");
	if (!sc->ntimeline)
		return perr(p, "expected a '-- @timeline' block");
	for (i = 0; i < sc->ntimeline; i++) {
		const struct tl_event *ev = &sc->timeline[i];
		p->line = ev->line;
		switch (ev->action) {
		case TL_START:
			seen_start = 1;
			break;
		case TL_DEPLOY:
			if (!seen_start)
				return perr(p, "'deploy' before any 'start'");
			break;
		case TL_MIGRATE:
			if (!strcmp(sc->migrations[ev->migration].name, "bad")) {
				if (seen_bad)
					return perr(p, "'migrate bad' given twice");
				seen_bad = 1;
			}
			break;
		case TL_FIX:
			if (seen_fix)
				return perr(p, "'fix' given twice");
			if (!seen_bad)
				return perr(p, "'fix' before 'migrate bad'");
			seen_fix = 1;
			break;
		case TL_END:
		case TL_FLAG:
		case TL_FAULT:
			break; /* 'end' is checked as the last event below */
		}
	}
	p->line = sc->timeline[sc->ntimeline - 1].line;
	if (!seen_start)
		return perr(p, "the timeline never starts any clients (expected 'start VERSION clients=N')");
	if (!seen_bad)
		return perr(p, "the timeline never runs the bad migration (expected 'migrate bad')");
	if (!seen_fix)
		return perr(p, "the timeline has no 'fix' (where the fix under test is applied)");
	if (sc->timeline[sc->ntimeline - 1].action != TL_END)
		return perr(p, "the timeline must finish with 'end'");

	/* Every table that holds facts needs a probe, or its facts could not be checked. */
	for (i = 0; i < sc->nseeds; i++) {
		char *name = sql_ident_name(sc->seeds[i].table);
		for (k = 0; k < sc->nprobes; k++)
			if (!strcmp(sc->probes[k].table, name))
				break;
		free(name);
		if (k == sc->nprobes) {
			p->line = sc->seeds[i].line;
			return perr(p, "table '%s' is seeded but has no '-- @probe %s' to check it",
				    sc->seeds[i].table, sc->seeds[i].table);
		}
	}
	for (i = 0; i < sc->napps; i++) {
		for (j = 0; j < sc->apps[i].ntx; j++) {
			const struct txdef *tx = &sc->apps[i].tx[j];
			for (k = 0; k < tx->nfacts; k++) {
				size_t m;
				for (m = 0; m < sc->nprobes; m++)
					if (!strcmp(sc->probes[m].table, tx->facts[k].table))
						break;
				if (m == sc->nprobes) {
					p->line = tx->facts[k].line;
					if (tx->file)
						p->path = tx->file;  /* the line is the script's */
					return perr(p, "table '%s' has facts but no '-- @probe %s' to check them",
						    tx->facts[k].table, tx->facts[k].table);
				}
			}
			for (k = 0; k < tx->nvars; k++) {
				const struct gen *g = &tx->vars[k].gen;
				if (g->table && !sc->nprobes) {
					p->line = tx->vars[k].line;
					return perr(p, "no probe, so no table's keys are known");
				}
			}
		}
	}
	return 0;
}

static int read_file(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (strbuf_read_file(out, path, &why))
		rc = strbuf_error(err, -1, "cannot open scenario '%s': %s", path, why.buf);
	strbuf_release(&why);
	return rc;
}

/* Run fn over each line of text, with p->line kept current. */
static int each_line(struct parser *p, const char *text, int (*fn)(struct parser *, char *))
{
	const char *s = text;
	p->line = 0;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = xstrndup(s, len);
		int rc;
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		p->line++;
		rc = fn(p, line);
		free(line);
		if (rc)
			return rc;
		s += len + (e ? 1 : 0);
	}
	return 0;
}

/*
** The built-in parameters' ranges: a value outside one is refused before
** anything runs, as --faults busy= refuses one (and a huge number would be
** undefined behaviour when converted).
*/
static const struct {
	const char *name;
	double lo, hi;
	int whole;
	const char *what;
} builtin_ranges[] = {
	{ "rows", 0, 100000000, 1, "seeded rows" },
	{ "busy", 1, 1000000000, 1, "ticks a statement waits on a lock before its busy timeout" },
	{ "awkward", 0, 1, 0, "the share of awkward generated values" },
	{ "stall", 0, 1000000000, 1, "ticks of writer blocking that fail the fix; 0 means busy" },
};

/* Check the built-in parameters' values; sets says which came from --set. */
static int check_builtins(struct parser *p, const struct param_set *sets, size_t nsets)
{
	const struct scenario *sc = p->sc;
	size_t i, k;

	for (i = 0; i < sizeof(builtin_ranges) / sizeof(builtin_ranges[0]); i++) {
		const char *v = NULL, *from_set = NULL;
		char *end;
		double d;
		int line = 0;
		for (k = 0; k < sc->nparams; k++)
			if (!strcmp(sc->params[k].name, builtin_ranges[i].name)) {
				v = sc->params[k].value;
				line = sc->params[k].line;
			}
		for (k = 0; k < nsets; k++)
			if (!strcmp(sets[k].name, builtin_ranges[i].name))
				from_set = sets[k].value;
		if (!v)
			continue;
		errno = 0;
		d = strtod(v, &end);
		if (*v && !*end && !errno && isfinite(d) && d >= builtin_ranges[i].lo &&
		    d <= builtin_ranges[i].hi && (!builtin_ranges[i].whole || d == floor(d)))
			continue;
		strbuf_reset(p->err);
		if (from_set)
			strbuf_addf(p->err, "--set %s=%s: ", builtin_ranges[i].name, from_set);
		else if (line)
			strbuf_addf(p->err, "%s:%d: ", p->path, line);
		strbuf_addf(p->err, "'%s' must be %s from %.15g to %.15g (%s), not '%s'",
			    builtin_ranges[i].name, builtin_ranges[i].whole ? "a whole number" : "a number",
			    builtin_ranges[i].lo, builtin_ranges[i].hi, builtin_ranges[i].what, v);
		return -1;
	}
	return 0;
}

static int collect_param(struct parser *p, char *line)
{
	char *name, *rest, *pn;
	if (!is_directive(line, &name, &rest) || strcmp(name, "param"))
		return 0;
	pn = next_word(&rest);
	if (!pn || !valid_ident(pn) || !*skip_ws(rest))
		return perr(p, "expected '-- @param NAME VALUE'");
	return add_param(p, pn, skip_ws(rest), p->line);
}

/*
** After "PATH:LINE: ..." in err: when that line uses a parameter that
** --set gave, say so, since the value to mend is on the command line.
*/
static void blame_sets(const char *path, const char *text, const struct param_set *sets, size_t nsets,
		       struct strbuf *err)
{
	size_t plen = strlen(path), i;
	const char *line = text, *end;
	long n;
	char *after;

	if (!nsets || strncmp(err->buf, path, plen) || err->buf[plen] != ':')
		return;
	n = strtol(err->buf + plen + 1, &after, 10);
	if (after == err->buf + plen + 1 || *after != ':' || n < 1)
		return;
	while (--n > 0 && (line = strchr(line, '\n')) != NULL)
		line++;
	if (!line)
		return;
	end = strchr(line, '\n') ? strchr(line, '\n') : line + strlen(line);
	for (i = 0; i < nsets; i++) {
		size_t nl = strlen(sets[i].name);
		const char *u;
		for (u = line; (u = strchr(u, ':')) != NULL && u < end; u++)
			if (!strncmp(u + 1, sets[i].name, nl) && !isalnum((unsigned char)u[1 + nl]) &&
			    u[1 + nl] != '_') {
				strbuf_addf(err, " (':%s' is '%s' from --set %s=%s)", sets[i].name, sets[i].value,
					    sets[i].name, sets[i].value);
				return;
			}
	}
}

int scenario_load(const char *path, const struct param_set *sets, size_t nsets,
		  struct scenario **out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int rc;

	*out = NULL;
	if (read_file(path, &text, err))
		rc = -1;
	else
		rc = scenario_parse(path, text.buf, sets, nsets, out, err);
	strbuf_release(&text);
	return rc;
}

int scenario_parse(const char *path, const char *text, const struct param_set *sets, size_t nsets,
		   struct scenario **out, struct strbuf *err)
{
	struct parser p;
	struct scenario *sc = xcalloc(1, sizeof(*sc));
	const char *slash;
	size_t i, j;

	memset(&p, 0, sizeof(p));
	strbuf_init(&p.text);
	strbuf_init(&sc->story);
	p.sc = sc;
	p.path = path;
	p.err = err;
	sc->path = xstrdup(path);
	for (i = 0; i < DIALECT_COUNT; i++)
		sc->down_expect[i] = sc->down_apply[i] = -1;
	slash = strrchr(path, '/');
	sc->dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");

	for (i = 0; i < sizeof(builtin_params) / sizeof(builtin_params[0]); i++) {
		ALLOC_GROW(sc->params, sc->nparams + 1, sc->params_alloc);
		sc->params[sc->nparams].name = xstrdup(builtin_params[i].name);
		sc->params[sc->nparams].value = xstrdup(builtin_params[i].value);
		sc->params[sc->nparams++].line = 0;
	}
	if (each_line(&p, text, collect_param))
		goto fail;
	for (i = 0; i < nsets; i++) {
		for (j = 0; j < sc->nparams; j++)
			if (!strcmp(sc->params[j].name, sets[i].name))
				break;
		if (j == sc->nparams) {
			strbuf_error(err, -1, "unknown parameter '%s' for scenario '%s' (see 'mdrill show')",
				     sets[i].name, path);
			goto fail;
		}
		/* A number by default takes a number: the command line is at fault, not a line that uses it. */
		if (is_number(sc->params[j].value) && !is_number(sets[i].value)) {
			strbuf_error(err, -1, "--set %s=%s: '%s' is a number (%s by default), not '%s'",
				     sets[i].name, sets[i].value, sets[i].name, sc->params[j].value, sets[i].value);
			goto fail;
		}
		free(sc->params[j].value);
		sc->params[j].value = xstrdup(sets[i].value);
	}
	if (check_builtins(&p, sets, nsets))
		goto fail;
	if (each_line(&p, text, parse_line))
		goto blame;
	p.line++;
	if (close_section(&p) || validate(&p))
		goto blame;
	strbuf_release(&p.text);
	free(p.rows);
	free(p.returning);
	*out = sc;
	return 0;
blame:
	blame_sets(path, text, sets, nsets, err);
fail:
	strbuf_release(&p.text);
	free(p.rows);
	free(p.returning);
	scenario_free(sc);
	*out = NULL;
	return -1;
}

static void sql_section_release(struct sql_section *sec)
{
	size_t i;
	for (i = 0; i < sec->nr; i++)
		free(sec->v[i].text);
	free(sec->v);
}

static void txdef_release(struct txdef *tx)
{
	size_t i, j;
	free(tx->name);
	free(tx->file);
	free(tx->sleeps);
	for (i = 0; i < tx->nvars; i++) {
		free(tx->vars[i].name);
		gen_release(&tx->vars[i].gen);
	}
	free(tx->vars);
	for (i = 0; i < tx->nstmts; i++) {
		free(tx->stmts[i].sql);
		free(tx->stmts[i].returns);
	}
	free(tx->stmts);
	for (i = 0; i < tx->nfacts; i++) {
		struct fact_tmpl *f = &tx->facts[i];
		free(f->table);
		free(f->key_var);
		free(f->key_literal);
		for (j = 0; j < f->nfields; j++) {
			free(f->fields[j].field);
			free(f->fields[j].var);
			free(f->fields[j].literal);
		}
		free(f->fields);
	}
	free(tx->facts);
}

void scenario_free(struct scenario *sc)
{
	size_t i, j;
	if (!sc)
		return;
	free(sc->path);
	free(sc->dir);
	free(sc->name);
	free(sc->title);
	for (i = 0; i < DIALECT_COUNT; i++)
		free(sc->down_apply_class[i]);
	free(sc->essay);
	strbuf_release(&sc->story);
	for (i = 0; i < sc->nparams; i++) {
		free(sc->params[i].name);
		free(sc->params[i].value);
	}
	free(sc->params);
	sql_section_release(&sc->schema);
	for (i = 0; i < sc->nseeds; i++) {
		free(sc->seeds[i].table);
		free(sc->seeds[i].csv);
		for (j = 0; j < sc->seeds[i].nkey; j++)
			free(sc->seeds[i].key[j]);
		free(sc->seeds[i].key);
		for (j = 0; j < sc->seeds[i].ncols; j++) {
			free(sc->seeds[i].cols[j].column);
			gen_release(&sc->seeds[i].cols[j].gen);
		}
		free(sc->seeds[i].cols);
	}
	free(sc->seeds);
	for (i = 0; i < sc->napps; i++) {
		free(sc->apps[i].name);
		for (j = 0; j < sc->apps[i].ntx; j++)
			txdef_release(&sc->apps[i].tx[j]);
		free(sc->apps[i].tx);
	}
	free(sc->apps);
	for (i = 0; i < sc->nmigrations; i++) {
		free(sc->migrations[i].name);
		sql_section_release(&sc->migrations[i].sql);
	}
	free(sc->migrations);
	free(sc->timeline);
	for (i = 0; i < sc->nprobes; i++) {
		free(sc->probes[i].table);
		sql_section_release(&sc->probes[i].sql);
	}
	free(sc->probes);
	for (i = 0; i < sc->nrenames; i++) {
		free(sc->renames[i].table);
		free(sc->renames[i].field);
		free(sc->renames[i].to);
	}
	free(sc->renames);
	for (i = 0; i < sc->nuntracked; i++) {
		free(sc->untracked[i].table);
		free(sc->untracked[i].field);
	}
	free(sc->untracked);
	for (i = 0; i < sc->ndefaults; i++) {
		free(sc->defaults[i].table);
		free(sc->defaults[i].field);
		free(sc->defaults[i].value);
	}
	free(sc->defaults);
	for (i = 0; i < sc->nflags; i++)
		free(sc->flags[i]);
	free(sc->flags);
	for (i = 0; i < sc->nfiles; i++)
		free(sc->files[i].name);
	free(sc->files);
	free(sc);
}

const char *scenario_history_table(const struct scenario *sc)
{
	return history_own_table(sc->history);
}

void scenario_schema_script(const struct scenario *sc, int dialect, struct sql_script *out)
{
	const struct sql_variant *v = sql_section_pick(&sc->schema, dialect);
	size_t before = out->nr, i, k;

	if (!v)
		return;
	sql_split(v->text, v->line, out);
	/* Each statement to the last file marker above it in its block. */
	for (i = before; i < out->nr; i++) {
		const struct schema_file *best = NULL;
		for (k = 0; k < sc->nfiles; k++)
			if (sc->files[k].dialect == v->dialect && sc->files[k].line < out->v[i].line &&
			    (!best || sc->files[k].line > best->line))
				best = &sc->files[k];
		if (best && !out->v[i].file)
			out->v[i].file = xstrdup(best->name);
	}
}
