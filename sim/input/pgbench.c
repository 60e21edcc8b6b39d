/*
** The pgbench script reader and its expression language.  A script is read
** the way pgbench reads it (SQL ending in ';', '\set', '\sleep', comments),
** and whatever mdrill cannot run the way pgbench would is refused with
** FILE:LINE rather than approximated: a drill whose traffic differs from
** the team's benchmark would score the wrong thing.  Expressions become a
** small tree, typed and parsed once, evaluated at each transaction's start.
**
** SPDX-License-Identifier: MIT
*/
#include "pgbench.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"

#define MAX_ARGS 16            /* pgbench's limit on a function's arguments */
#define MIN_GAUSSIAN 2.0
#define MIN_ZIPFIAN 1.001
#define MAX_ZIPFIAN 1000.0
#define TWO_PI 6.283185307179586476925
/*
** How deep an expression may nest, in parentheses, unary signs or a long
** chain of operators: parsing, checking, evaluating and freeing recurse,
** and a stack must not overflow on a script someone wrote to make it.
*/
#define MAX_DEPTH 1000

enum expr_op {
	OP_INT,
	OP_DOUBLE,
	OP_VAR,
	OP_CLIENT_ID,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_RANDOM,
	OP_EXPONENTIAL,
	OP_GAUSSIAN,
	OP_ZIPFIAN,
	OP_ABS,
	OP_LEAST,
	OP_GREATEST,
	OP_TO_INT,
	OP_TO_DOUBLE,
};

struct pgbench_expr {
	int op;
	int is_double;               /* its type, fixed by pgbench's rules when parsed */
	int pure;                    /* no variable, client id or draw: one value, ever */
	struct pgbench_value k;      /* OP_INT, OP_DOUBLE */
	int var;                     /* OP_VAR: index into the txdef's vars */
	struct pgbench_expr **args;
	size_t nargs;
	int depth;                   /* 1 for a leaf, else 1 + its deepest operand's */
};

static const struct { const char *name; int op, min, max; } functions[] = {
	{ "random", OP_RANDOM, 2, 2 },
	{ "random_exponential", OP_EXPONENTIAL, 3, 3 },
	{ "random_gaussian", OP_GAUSSIAN, 3, 3 },
	{ "random_zipfian", OP_ZIPFIAN, 3, 3 },
	{ "abs", OP_ABS, 1, 1 },
	{ "least", OP_LEAST, 1, MAX_ARGS },
	{ "greatest", OP_GREATEST, 1, MAX_ARGS },
	{ "int", OP_TO_INT, 1, 1 },
	{ "double", OP_TO_DOUBLE, 1, 1 },
};

static const char functions_expected[] =
	"random, random_exponential, random_gaussian, random_zipfian, abs, least, "
	"greatest, int or double";

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void set_int(struct pgbench_value *v, int64_t i)
{
	v->is_double = 0;
	v->i = i;
	v->d = 0;
}

static void set_double(struct pgbench_value *v, double d)
{
	v->is_double = 1;
	v->i = 0;
	v->d = d;
}

static double as_double(const struct pgbench_value *v)
{
	return v->is_double ? v->d : (double)v->i;
}

/* A double becomes an integer by rounding, as pgbench's int() does. */
static int as_int(const struct pgbench_value *v, int64_t *out, struct strbuf *err)
{
	double r;
	if (!v->is_double) {
		*out = v->i;
		return 0;
	}
	r = rint(v->d);
	if (isnan(r) || r < -9223372036854775808.0 || r >= 9223372036854775808.0)
		return strbuf_error(err, -1, "double to int overflow for %g", v->d);
	*out = (int64_t)r;
	return 0;
}

void pgbench_value_format(const struct pgbench_value *v, struct strbuf *out)
{
	if (v->is_double)
		strbuf_addf(out, "%.15g", v->d);
	else
		strbuf_addf(out, "%lld", (long long)v->i);
}

/* Expressions */

void pgbench_expr_free(struct pgbench_expr *e)
{
	size_t i;
	if (!e)
		return;
	for (i = 0; i < e->nargs; i++)
		pgbench_expr_free(e->args[i]);
	free(e->args);
	free(e);
}

int pgbench_expr_is_double(const struct pgbench_expr *e)
{
	return e->is_double;
}

static int is_random(int op)
{
	return op == OP_RANDOM || op == OP_EXPONENTIAL || op == OP_GAUSSIAN || op == OP_ZIPFIAN;
}

/* A node with its operands; its type and purity follow from theirs. */
static struct pgbench_expr *node(int op, struct pgbench_expr **args, size_t nargs)
{
	struct pgbench_expr *e = xcalloc(1, sizeof(*e));
	size_t i;
	int any_double = 0, pure = 1;

	e->op = op;
	e->var = -1;
	if (nargs) {
		e->args = xcalloc(nargs, sizeof(*e->args));
		memcpy(e->args, args, nargs * sizeof(*args));
		e->nargs = nargs;
	}
	e->depth = 1;
	for (i = 0; i < nargs; i++) {
		any_double |= args[i]->is_double;
		pure &= args[i]->pure;
		if (args[i]->depth + 1 > e->depth)
			e->depth = args[i]->depth + 1;
	}
	switch (op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
	case OP_LEAST: case OP_GREATEST: case OP_ABS:
		e->is_double = any_double;
		break;
	case OP_TO_DOUBLE:
		e->is_double = 1;
		break;
	default:
		e->is_double = 0;   /* %, int() and the draws are integers */
		break;
	}
	e->pure = pure && !is_random(op);
	return e;
}

static struct pgbench_expr *constant(const struct pgbench_value *v)
{
	struct pgbench_expr *e = node(v->is_double ? OP_DOUBLE : OP_INT, NULL, 0);
	e->k = *v;
	e->is_double = v->is_double;
	return e;
}

struct expr_parser {
	const char *s;
	size_t i;
	const char *scale;           /* the parameter's text, or NULL */
	const struct txdef *tx;
	struct strbuf *err;
	int failed;
	int depth;                   /* parentheses and unary signs open now */
};

static struct pgbench_expr *parse_sum(struct expr_parser *p);

static int perr(struct expr_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct expr_parser *p, const char *fmt, ...)
{
	va_list ap;
	if (p->failed)
		return -1;   /* the first complaint is the one that says what was expected */
	p->failed = 1;
	strbuf_reset(p->err);
	va_start(ap, fmt);
	strbuf_vaddf(p->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char too_deep[] = "the expression nests deeper than %d levels";

/* e, unless it nests too deep: then NULL, freed, with the complaint. */
static struct pgbench_expr *depth_ok(struct expr_parser *p, struct pgbench_expr *e)
{
	if (e && e->depth > MAX_DEPTH) {
		pgbench_expr_free(e);
		perr(p, too_deep, MAX_DEPTH);
		return NULL;
	}
	return e;
}

static int peek(struct expr_parser *p)
{
	while (isspace((unsigned char)p->s[p->i]))
		p->i++;
	return (unsigned char)p->s[p->i];
}

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

/* A number as pgbench lexes it: digits alone are an integer, else a double. */
static struct pgbench_expr *parse_number(struct expr_parser *p)
{
	const char *start = p->s + p->i, *e = start;
	struct pgbench_value v;
	int is_double = 0;
	char *end;

	while (isdigit((unsigned char)*e))
		e++;
	if (*e == '.') {
		is_double = 1;
		for (e++; isdigit((unsigned char)*e); e++)
			;
	}
	if ((*e == 'e' || *e == 'E') &&
	    (isdigit((unsigned char)e[1]) || ((e[1] == '+' || e[1] == '-') && isdigit((unsigned char)e[2])))) {
		is_double = 1;
		for (e += 2; isdigit((unsigned char)*e); e++)
			;
	}
	if (is_word((unsigned char)*e)) {
		perr(p, "unexpected '%c' in the number '%.*s'", *e, (int)(e - start + 1), start);
		return NULL;
	}
	errno = 0;
	if (is_double) {
		set_double(&v, strtod(start, &end));
	} else {
		long long n = strtoll(start, &end, 10);
		if (errno == ERANGE) {
			perr(p, "integer constant '%.*s' is out of range", (int)(e - start), start);
			return NULL;
		}
		set_int(&v, n);
	}
	p->i += (size_t)(e - start);
	return constant(&v);
}

/* ':scale', from the scenario's parameter of that name, pgbench's -s; 1 by default. */
static struct pgbench_expr *scale(struct expr_parser *p)
{
	const char *text = p->scale;
	struct pgbench_value v;
	char *end;

	if (!text) {
		set_int(&v, 1);
		return constant(&v);
	}
	errno = 0;
	set_int(&v, strtoll(text, &end, 10));
	if (!*text || *end || errno) {
		errno = 0;
		set_double(&v, strtod(text, &end));
		if (!*text || *end || errno || !isfinite(v.d)) {
			perr(p, "parameter 'scale' is '%s', expected a number", text);
			return NULL;
		}
	}
	return constant(&v);
}

static struct pgbench_expr *parse_variable(struct expr_parser *p)
{
	const char *name = p->s + p->i + 1;
	size_t len = 0, v;
	struct pgbench_expr *e;

	while (is_word((unsigned char)name[len]))
		len++;
	if (!len) {
		perr(p, "expected a variable name after ':'");
		return NULL;
	}
	p->i += 1 + len;
	for (v = 0; p->tx && v < p->tx->nvars; v++) {
		const struct setvar *sv = &p->tx->vars[v];
		if (strlen(sv->name) != len || strncmp(sv->name, name, len))
			continue;
		if (sv->gen.kind != GEN_EXPR) {
			perr(p, "':%.*s' is not a number", (int)len, name);
			return NULL;
		}
		e = node(OP_VAR, NULL, 0);
		e->var = (int)v;
		e->is_double = sv->gen.expr->is_double;
		e->pure = 0;
		return e;
	}
	if (len == 5 && !strncmp(name, "scale", 5))
		return scale(p);
	if (len == 9 && !strncmp(name, "client_id", 9)) {
		e = node(OP_CLIENT_ID, NULL, 0);
		e->pure = 0;
		return e;
	}
	perr(p, "':%.*s' is not set before this line (expected a '\\set %.*s ...' line above, or "
		"one of the built-ins :scale and :client_id)", (int)len, name, (int)len, name);
	return NULL;
}

static struct pgbench_expr *parse_call(struct expr_parser *p, const char *name, size_t len)
{
	struct pgbench_expr *args[MAX_ARGS + 1];
	size_t n = 0, f, i;
	int c;

	for (f = 0; f < N(functions); f++)
		if (strlen(functions[f].name) == len && !strncasecmp(functions[f].name, name, len))
			break;
	if (f == N(functions)) {
		perr(p, "unknown or unsupported function '%.*s' (expected %s)", (int)len, name,
		     functions_expected);
		return NULL;
	}
	p->i++;   /* '(' */
	if (p->depth + 1 > MAX_DEPTH) {
		perr(p, too_deep, MAX_DEPTH);
		return NULL;
	}
	if (peek(p) == ')') {
		p->i++;
	} else {
		for (;;) {
			if (n == MAX_ARGS + 1)
				goto fail;
			p->depth++;
			args[n] = parse_sum(p);
			p->depth--;
			if (!args[n])
				goto fail;
			n++;
			c = peek(p);
			if (c == ')' || c == ',')
				p->i++;
			if (c == ')')
				break;
			if (c != ',') {
				perr(p, "expected ',' or ')' in the arguments of '%s'", functions[f].name);
				goto fail;
			}
		}
	}
	if ((int)n < functions[f].min || (int)n > functions[f].max) {
		if (functions[f].min == functions[f].max)
			perr(p, "'%s' takes %d argument%s, found %zu", functions[f].name,
			     functions[f].min, functions[f].min == 1 ? "" : "s", n);
		else
			perr(p, "'%s' takes 1 to %d arguments, found %zu", functions[f].name,
			     functions[f].max, n);
		goto fail;
	}
	return depth_ok(p, node(functions[f].op, args, n));
fail:
	if (!p->failed)
		perr(p, "too many arguments to '%s'", functions[f].name);
	for (i = 0; i < n; i++)
		pgbench_expr_free(args[i]);
	return NULL;
}

static struct pgbench_expr *parse_primary(struct expr_parser *p)
{
	int c = peek(p);
	struct pgbench_expr *e;

	if (isdigit(c) || (c == '.' && isdigit((unsigned char)p->s[p->i + 1])))
		return parse_number(p);
	if (c == ':')
		return parse_variable(p);
	if (c == '(') {
		p->i++;
		if (++p->depth > MAX_DEPTH) {
			perr(p, too_deep, MAX_DEPTH);
			return NULL;
		}
		e = parse_sum(p);
		p->depth--;
		if (!e)
			return NULL;
		if (peek(p) != ')') {
			pgbench_expr_free(e);
			perr(p, "expected ')'");
			return NULL;
		}
		p->i++;
		return e;
	}
	if (isalpha(c) || c == '_') {
		const char *name = p->s + p->i;
		size_t len = 0;
		while (is_word((unsigned char)name[len]))
			len++;
		p->i += len;
		if (peek(p) == '(')
			return parse_call(p, name, len);
		perr(p, "'%.*s' is not supported (expected numbers, ':var', + - * / %%, parentheses "
			"and the functions %s; a variable is written ':%.*s')",
		     (int)len, name, functions_expected, (int)len, name);
		return NULL;
	}
	if (!c)
		perr(p, "expected a number, ':var', a function or '(' at the end of the expression");
	else
		perr(p, "expected a number, ':var', a function or '(', found '%c'", c);
	return NULL;
}

/* Unary minus is 0 - x, as pgbench has it: -(0.0) is 0, not -0. */
static struct pgbench_expr *parse_unary(struct expr_parser *p)
{
	int c = peek(p);
	struct pgbench_expr *args[2];
	struct pgbench_value zero;

	if (c != '-' && c != '+')
		return parse_primary(p);
	p->i++;
	if (++p->depth > MAX_DEPTH) {
		perr(p, too_deep, MAX_DEPTH);
		return NULL;
	}
	args[1] = parse_unary(p);
	p->depth--;
	if (!args[1])
		return NULL;
	if (c == '+')
		return args[1];
	set_int(&zero, 0);
	args[0] = constant(&zero);
	return depth_ok(p, node(OP_SUB, args, 2));
}

static struct pgbench_expr *parse_product(struct expr_parser *p)
{
	struct pgbench_expr *args[2];
	int c;

	if (!(args[0] = parse_unary(p)))
		return NULL;
	while ((c = peek(p)) == '*' || c == '/' || c == '%') {
		p->i++;
		if (!(args[1] = parse_unary(p))) {
			pgbench_expr_free(args[0]);
			return NULL;
		}
		if (!(args[0] = depth_ok(p, node(c == '*' ? OP_MUL : c == '/' ? OP_DIV : OP_MOD, args, 2))))
			return NULL;
	}
	return args[0];
}

static struct pgbench_expr *parse_sum(struct expr_parser *p)
{
	struct pgbench_expr *args[2];
	int c;

	if (!(args[0] = parse_product(p)))
		return NULL;
	while ((c = peek(p)) == '+' || c == '-') {
		p->i++;
		if (!(args[1] = parse_product(p))) {
			pgbench_expr_free(args[0]);
			return NULL;
		}
		if (!(args[0] = depth_ok(p, node(c == '+' ? OP_ADD : OP_SUB, args, 2))))
			return NULL;
	}
	return args[0];
}

/* Evaluation */

static int eval(const struct pgbench_expr *e, const struct pgbench_env *env,
		struct pgbench_value *out, struct strbuf *err);

static int arith(int op, const struct pgbench_value *a, const struct pgbench_value *b,
		 struct pgbench_value *out, struct strbuf *err)
{
	int64_t r;

	if (a->is_double || b->is_double) {
		double x = as_double(a), y = as_double(b);
		switch (op) {
		case OP_ADD: set_double(out, x + y); return 0;
		case OP_SUB: set_double(out, x - y); return 0;
		case OP_MUL: set_double(out, x * y); return 0;
		default:
			if (y == 0.0)
				return strbuf_error(err, -1, "division by zero");
			set_double(out, x / y);
			return 0;
		}
	}
	switch (op) {
	case OP_ADD:
		if (__builtin_add_overflow(a->i, b->i, &r))
			return strbuf_error(err, -1, "bigint out of range");
		break;
	case OP_SUB:
		if (__builtin_sub_overflow(a->i, b->i, &r))
			return strbuf_error(err, -1, "bigint out of range");
		break;
	case OP_MUL:
		if (__builtin_mul_overflow(a->i, b->i, &r))
			return strbuf_error(err, -1, "bigint out of range");
		break;
	default:
		if (b->i == 0)
			return strbuf_error(err, -1, "division by zero");
		if (b->i == -1) {
			/* The one quotient that does not fit: INT64_MIN / -1. */
			if (a->i == INT64_MIN)
				return strbuf_error(err, -1, "bigint out of range");
			r = -a->i;
		} else {
			r = a->i / b->i;
		}
		break;
	}
	set_int(out, r);
	return 0;
}

/*
** The bounds and parameter of a draw, checked against pgbench's limits.
** Shared by evaluation and by the parser, which checks them once when
** they are constants.
*/
static int draw_args(int op, const struct pgbench_value *v, int64_t *lo, int64_t *hi,
		     double *param, struct strbuf *err)
{
	int64_t span;

	if (as_int(&v[0], lo, err) || as_int(&v[1], hi, err))
		return -1;
	if (*lo > *hi)
		return strbuf_error(err, -1, "empty range given to random (%lld to %lld)",
				    (long long)*lo, (long long)*hi);
	if (__builtin_sub_overflow(*hi, *lo, &span) || span == INT64_MAX)
		return strbuf_error(err, -1, "random range is too large");
	if (op == OP_RANDOM)
		return 0;
	*param = as_double(&v[2]);
	if (op == OP_GAUSSIAN && !(*param >= MIN_GAUSSIAN))
		return strbuf_error(err, -1, "gaussian parameter must be at least %.1f (not %g)",
				    MIN_GAUSSIAN, *param);
	if (op == OP_ZIPFIAN && !(*param >= MIN_ZIPFIAN && *param <= MAX_ZIPFIAN))
		return strbuf_error(err, -1, "zipfian parameter must be in range [%.3f, %.0f] (not %g)",
				    MIN_ZIPFIAN, MAX_ZIPFIAN, *param);
	if (op == OP_EXPONENTIAL && !(*param > 0.0))
		return strbuf_error(err, -1, "exponential parameter must be greater than zero (not %g)",
				    *param);
	return 0;
}

/* A share x of [0, 1) of the range lo..hi, as pgbench maps its draws. */
static int64_t scale_into(int64_t lo, int64_t hi, double x)
{
	double span = (double)hi - (double)lo + 1.0;
	int64_t off = (int64_t)(span * x);
	/* Rounding of span * x for a huge span must not step past hi. */
	return off > hi - lo ? hi : lo + off;
}

/*
** Truncated exponential by inverse transform: the density falls as
** exp(-param * t) over t in [0, 1), so lo is the likeliest value.
*/
static int64_t draw_exponential(struct prng *rng, int64_t lo, int64_t hi, double param)
{
	double cut = exp(-param);
	double u = 1.0 - prng_unit(rng);          /* (0, 1]: the logarithm stays finite */
	double t = -log(cut + (1.0 - cut) * u) / param;
	return scale_into(lo, hi, t);
}

/*
** Normal by Box-Muller, kept to [-param, param) by drawing again, then
** mapped onto the range: the middle is likeliest, param sets how much.
*/
static int64_t draw_gaussian(struct prng *rng, int64_t lo, int64_t hi, double param)
{
	double z;
	do {
		double r = sqrt(-2.0 * log(1.0 - prng_unit(rng)));
		z = r * sin(TWO_PI * prng_unit(rng));
	} while (z < -param || z >= param);
	return scale_into(lo, hi, (z + param) / (2.0 * param));
}

/*
** Zipf over 1..n with exponent s > 1, by Devroye's rejection method
** (Non-Uniform Random Variate Generation, 1986, p. 550): a candidate
** floor(U^(-1/(s-1))) is kept with a probability that corrects its
** Pareto tail to Zipf's law, and candidates past n are drawn again.
*/
static int64_t draw_zipfian(struct prng *rng, int64_t lo, int64_t hi, double s)
{
	double n = (double)hi - (double)lo + 1.0, b = pow(2.0, s - 1.0);

	if (n <= 1.0)
		return lo;
	for (;;) {
		double u = prng_unit(rng), v = prng_unit(rng);
		double x = floor(pow(u, -1.0 / (s - 1.0)));
		double t = pow(1.0 + 1.0 / x, s - 1.0);
		if (x <= n && v * x * (t - 1.0) / (b - 1.0) <= t / b)
			return lo + (int64_t)x - 1;
	}
}

static int eval_call(const struct pgbench_expr *e, const struct pgbench_env *env,
		     const struct pgbench_value *a, struct pgbench_value *out, struct strbuf *err)
{
	int64_t lo, hi, n;
	double param = 0;
	size_t i;

	switch (e->op) {
	case OP_ABS:
		if (a[0].is_double) {
			set_double(out, fabs(a[0].d));
		} else {
			if (a[0].i == INT64_MIN)
				return strbuf_error(err, -1, "bigint out of range");
			set_int(out, a[0].i < 0 ? -a[0].i : a[0].i);
		}
		return 0;
	case OP_LEAST:
	case OP_GREATEST:
		*out = a[0];
		for (i = 1; i < e->nargs; i++) {
			if (e->is_double) {
				double x = as_double(&a[i]), m = as_double(out);
				set_double(out, (e->op == OP_LEAST) == (x < m) ? x : m);
			} else if ((e->op == OP_LEAST) == (a[i].i < out->i)) {
				*out = a[i];
			}
		}
		if (e->is_double && !out->is_double)
			set_double(out, (double)out->i);
		return 0;
	case OP_TO_INT:
		if (as_int(&a[0], &n, err))
			return -1;
		set_int(out, n);
		return 0;
	case OP_TO_DOUBLE:
		set_double(out, as_double(&a[0]));
		return 0;
	}
	if (draw_args(e->op, a, &lo, &hi, &param, err))
		return -1;
	switch (e->op) {
	case OP_RANDOM: set_int(out, prng_range(env->rng, lo, hi)); break;
	case OP_EXPONENTIAL: set_int(out, draw_exponential(env->rng, lo, hi, param)); break;
	case OP_GAUSSIAN: set_int(out, draw_gaussian(env->rng, lo, hi, param)); break;
	default: set_int(out, draw_zipfian(env->rng, lo, hi, param)); break;
	}
	return 0;
}

static int eval(const struct pgbench_expr *e, const struct pgbench_env *env,
		struct pgbench_value *out, struct strbuf *err)
{
	struct pgbench_value a[MAX_ARGS];
	size_t i;

	switch (e->op) {
	case OP_INT:
	case OP_DOUBLE:
		*out = e->k;
		return 0;
	case OP_VAR:
		*out = env->vars[e->var];
		return 0;
	case OP_CLIENT_ID:
		set_int(out, env->client_id);
		return 0;
	}
	/* Operands left to right, as pgbench takes its draws. */
	for (i = 0; i < e->nargs; i++)
		if (eval(e->args[i], env, &a[i], err))
			return -1;
	switch (e->op) {
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
		return arith(e->op, &a[0], &a[1], out, err);
	case OP_MOD: {
		int64_t x, y;
		if (as_int(&a[0], &x, err) || as_int(&a[1], &y, err))
			return -1;
		if (y == 0)
			return strbuf_error(err, -1, "division by zero");
		set_int(out, y == -1 ? 0 : x % y);   /* INT64_MIN % -1 would trap */
		return 0;
	}
	default:
		return eval_call(e, env, a, out, err);
	}
}

int pgbench_eval(const struct pgbench_expr *e, const struct pgbench_env *env,
		 struct pgbench_value *out, struct strbuf *err)
{
	return eval(e, env, out, err);
}

/*
** What is the same on every evaluation is evaluated now, so that a script
** that can only fail ('1/0', 'random(5, 1)') fails to load instead.
*/
static int check_constants(const struct pgbench_expr *e, struct strbuf *err)
{
	struct pgbench_value v, a[MAX_ARGS];
	int64_t lo, hi;
	double param;
	size_t i;
	int args_pure = 1;

	if (e->pure)
		return eval(e, NULL, &v, err);
	for (i = 0; i < e->nargs; i++) {
		if (check_constants(e->args[i], err))
			return -1;
		args_pure &= e->args[i]->pure;
	}
	if (!is_random(e->op) || !args_pure)
		return 0;
	for (i = 0; i < e->nargs; i++)
		eval(e->args[i], NULL, &a[i], err);
	return draw_args(e->op, a, &lo, &hi, &param, err);
}

int pgbench_expr_parse(const char *text, const char *scale, const struct txdef *tx,
		       struct pgbench_expr **out, struct strbuf *err)
{
	struct expr_parser p;
	struct pgbench_expr *e;
	int c;

	memset(&p, 0, sizeof(p));
	p.s = text;
	p.scale = scale;
	p.tx = tx;
	p.err = err;
	*out = NULL;
	if (!(e = parse_sum(&p)))
		return -1;
	if ((c = peek(&p)) != '\0') {
		if (strchr("<>=!&|#~", c))
			perr(&p, "operator '%c' is not supported (expected + - * / %% or the end of the "
				 "expression)", c);
		else
			perr(&p, "unexpected '%c' after the expression", c);
		pgbench_expr_free(e);
		return -1;
	}
	if (check_constants(e, err)) {
		pgbench_expr_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

/* The script reader */

enum stmt_kind { ST_SQL, ST_BEGIN, ST_END, ST_ROLLBACK, ST_BAD_BEGIN, ST_BAD_END };

struct pending_fact {
	char *text;
	int op;
	int line;
};

struct reader {
	const char *path;
	const struct pgbench_host *host;
	struct txdef *tx;
	struct strbuf *err;
	int line;                    /* the line being read */
	struct strbuf sql;           /* SQL lines not yet split into statements */
	int sql_line;                /* the line sql starts at */
	int begun, ended, begin_line;
	struct pending_fact *facts;  /* read at the end, when every '\set' is known */
	size_t nfacts, facts_alloc;
};

static int rerr(struct reader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int rerr(struct reader *r, int line, const char *fmt, ...)
{
	va_list ap;
	strbuf_reset(r->err);
	strbuf_addf(r->err, "%s:%d: ", r->path, line);
	va_start(ap, fmt);
	strbuf_vaddf(r->err, fmt, ap);
	va_end(ap);
	return -1;
}

static char *skip_ws(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static int valid_var(const char *s, size_t len)
{
	size_t i;
	if (!len || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 0; i < len; i++)
		if (!is_word((unsigned char)s[i]))
			return 0;
	return 1;
}

static int var_index(const struct txdef *tx, const char *name)
{
	size_t i;
	for (i = 0; i < tx->nvars; i++)
		if (!strcmp(tx->vars[i].name, name))
			return (int)i;
	return -1;
}

static void add_var(struct txdef *tx, const char *name, struct pgbench_expr *e, int line)
{
	struct setvar *v;
	ALLOC_GROW(tx->vars, tx->nvars + 1, tx->vars_alloc);
	v = &tx->vars[tx->nvars++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->gen.kind = GEN_EXPR;
	v->gen.expr = e;
	v->line = line;
}

/*
** The variable called name, for SQL or '\sleep': one the script set, or
** a built-in, which then becomes a variable of the transaction.  -1 when
** there is none.
*/
static int use_var(struct reader *r, const char *name, int line)
{
	struct strbuf ref = STRBUF_INIT, why = STRBUF_INIT;
	struct pgbench_expr *e;
	int v = var_index(r->tx, name);

	if (v >= 0 || (strcmp(name, "scale") && strcmp(name, "client_id")))
		return v;
	strbuf_addf(&ref, ":%s", name);
	v = pgbench_expr_parse(ref.buf, r->host->scale, r->tx, &e, &why);
	strbuf_release(&ref);
	if (v) {
		rerr(r, line, "%s", why.buf);
		strbuf_release(&why);
		return -2;
	}
	strbuf_release(&why);
	add_var(r->tx, name, e, line);
	return (int)r->tx->nvars - 1;
}

/* Cut the next word of letters off *s, lowercased into w; 0 when none. */
static size_t sql_word(const char **s, char *w, size_t size)
{
	size_t n = 0;
	while (isspace((unsigned char)**s))
		(*s)++;
	while (isalpha((unsigned char)**s)) {
		if (n + 1 < size)
			w[n++] = (char)tolower((unsigned char)**s);
		(*s)++;
	}
	w[n] = '\0';
	return n;
}

/*
** BEGIN and END are mdrill's to send (BEGIN IMMEDIATE on SQLite), so they
** are recognised and absorbed; with options they would mean something
** mdrill does not do.
*/
static int classify(const char *sql)
{
	char w[16];
	const char *s = sql;

	sql_word(&s, w, sizeof(w));
	if (!strcmp(w, "begin") || !strcmp(w, "start") || !strcmp(w, "end") || !strcmp(w, "commit")) {
		int begin = w[0] == 'b' || w[0] == 's';
		const char *rest;
		if (w[0] == 's' && (sql_word(&s, w, sizeof(w)) == 0 || strcmp(w, "transaction")))
			return ST_SQL;  /* START something else */
		rest = s;
		if (sql_word(&s, w, sizeof(w)) && (!strcmp(w, "work") || !strcmp(w, "transaction")))
			rest = s;
		while (isspace((unsigned char)*rest))
			rest++;
		if (*rest)
			return begin ? ST_BAD_BEGIN : ST_BAD_END;
		return begin ? ST_BEGIN : ST_END;
	}
	if (!strcmp(w, "rollback") || !strcmp(w, "abort")) {
		/* ROLLBACK TO SAVEPOINT stays inside the transaction: plain SQL. */
		if (sql_word(&s, w, sizeof(w)) && !strcmp(w, "to"))
			return ST_SQL;
		return ST_ROLLBACK;
	}
	return ST_SQL;
}

static int add_statement(struct reader *r, struct sql_stmt *st)
{
	struct txdef *tx = r->tx;
	struct strbuf tmp = STRBUF_INIT;
	char **names;
	size_t n, i;
	int rc = 0;

	switch (classify(st->sql)) {
	case ST_BEGIN:
		if (r->begun)
			return rerr(r, st->line, "a second BEGIN; mdrill runs a script as one transaction");
		if (tx->nstmts)
			return rerr(r, st->line, "SQL before BEGIN would be a transaction of its own; "
				    "mdrill runs a script as one transaction");
		r->begun = 1;
		r->begin_line = st->line;
		return 0;
	case ST_END:
		if (!r->begun || r->ended)
			return rerr(r, st->line, "'%s' without a BEGIN before it", st->sql);
		r->ended = 1;
		return 0;
	case ST_BAD_BEGIN:
		return rerr(r, st->line, "expected 'BEGIN;' alone, found '%s' (mdrill begins the "
			    "transaction itself, so options would not be kept)", st->sql);
	case ST_BAD_END:
		return rerr(r, st->line, "expected 'END;' or 'COMMIT;' alone, found '%s'", st->sql);
	case ST_ROLLBACK:
		return rerr(r, st->line, "'%s' is not supported (mdrill ends a script's transaction "
			    "with COMMIT)", st->sql);
	}
	if (r->ended)
		return rerr(r, st->line, "SQL after END would be a transaction of its own; "
			    "mdrill runs a script as one transaction");
	if (!r->begun && tx->nstmts)
		return rerr(r, st->line, "mdrill runs a script as one transaction; "
			    "wrap the statements in BEGIN; ... END;");
	/* Only variables set above the statement, as pgbench would have them. */
	sql_number_params(st->sql, '$', &tmp, &names, &n);
	for (i = 0; i < n && !rc; i++) {
		int v = use_var(r, names[i], st->line);
		if (v == -1)
			rc = rerr(r, st->line, "':%s' is not set before this statement (expected a "
				  "'\\set %s ...' line above it)", names[i], names[i]);
		else if (v < 0)
			rc = -1;
	}
	sql_names_free(names, n);
	strbuf_release(&tmp);
	if (rc)
		return rc;
	ALLOC_GROW(tx->stmts, tx->nstmts + 1, tx->stmts_alloc);
	memset(&tx->stmts[tx->nstmts], 0, sizeof(tx->stmts[0]));
	tx->stmts[tx->nstmts].sql = st->sql;
	tx->stmts[tx->nstmts++].line = st->line;
	st->sql = NULL;
	return 0;
}

/* Does text end inside a quoted string or a block comment? */
static int unterminated(const char *text)
{
	size_t i = 0, len = strlen(text);
	while (i < len) {
		size_t j = sql_skip_quoted(text, i);
		if (j == i) {
			i++;
			continue;
		}
		if (j >= len && text[i] != '-')
			return 1;
		i = j;
	}
	return 0;
}

static int unsupported(struct reader *r, int line, const char *cmd)
{
	size_t len = 0;
	while (is_word((unsigned char)cmd[len]))
		len++;
	if (!len)
		len = *cmd ? 1 : 0;
	return rerr(r, line, "'\\%.*s' is not supported by mdrill (expected SQL, '\\set', '\\sleep' "
		    "and '--' comments)", (int)len, cmd);
}

/*
** Split the SQL read since the last command into statements.  Before a
** command (cmd) the SQL must have ended with ';': pgbench would not run
** half a statement, and mdrill would not know where the command falls.
*/
static int flush_sql(struct reader *r, const char *cmd)
{
	struct sql_script script = { 0 };
	const char *s = r->sql.buf;
	size_t i = 0;
	int line = r->sql_line, open = 0, rc = 0;

	while (s[i]) {
		size_t j = sql_skip_quoted(s, i);
		if (j != i) {
			if (s[i] != '-' && s[i] != '/')
				open = 1;   /* a string is code; a comment is not */
			for (; i < j; i++)
				if (s[i] == '\n')
					line++;
			continue;
		}
		/* A backslash outside quotes is a command inside SQL: \gset, \aset, \;. */
		if (s[i] == '\\')
			return unsupported(r, line, s + i + 1);
		if (s[i] == ';')
			open = 0;
		else if (s[i] == '\n')
			line++;
		else if (!isspace((unsigned char)s[i]))
			open = 1;
		i++;
	}
	if (open && cmd)
		return rerr(r, r->line, "expected ';' to end the SQL statement before '\\%s'", cmd);
	sql_split(s, r->sql_line, &script);
	for (i = 0; i < script.nr && !rc; i++)
		rc = add_statement(r, &script.v[i]);
	sql_script_release(&script);
	strbuf_reset(&r->sql);
	return rc;
}

static int parse_set(struct reader *r, char *rest)
{
	struct strbuf why = STRBUF_INIT;
	struct pgbench_expr *e;
	char *name = skip_ws(rest), *end = name;

	while (is_word((unsigned char)*end))
		end++;
	if (!valid_var(name, (size_t)(end - name)) || (*end && !isspace((unsigned char)*end)) ||
	    !*skip_ws(end))
		return rerr(r, r->line, "expected '\\set NAME EXPRESSION'");
	*end++ = '\0';
	if (var_index(r->tx, name) >= 0)
		return rerr(r, r->line, "'%s' is set twice (mdrill evaluates every '\\set' when the "
			    "transaction starts, so a variable has one value; use another name)", name);
	if (pgbench_expr_parse(end, r->host->scale, r->tx, &e, &why)) {
		rerr(r, r->line, "%s", why.buf);
		strbuf_release(&why);
		return -1;
	}
	strbuf_release(&why);
	add_var(r->tx, name, e, r->line);
	return 0;
}

/* Where in the transaction a '\sleep' read now falls. */
static int sleep_point(const struct reader *r)
{
	if (r->ended)
		return TX_SLEEP_AFTER_COMMIT;
	if (r->begun)
		return (int)r->tx->nstmts;
	/* No BEGIN (yet): before the one statement, or after it. */
	return r->tx->nstmts ? TX_SLEEP_AFTER_COMMIT : TX_SLEEP_BEFORE_BEGIN;
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

static int parse_sleep(struct reader *r, char *rest)
{
	struct txdef *tx = r->tx;
	struct tx_sleep *sl;
	char *arg = next_word(&rest), *unit = next_word(&rest);
	int64_t unit_us = 1000000, n = 0;
	int var = -1;

	if (!arg)
		return rerr(r, r->line, "expected '\\sleep N [us|ms|s]' or '\\sleep :var [us|ms|s]'");
	if (next_word(&rest))
		return rerr(r, r->line, "too many arguments to '\\sleep' (expected '\\sleep N [us|ms|s]')");
	if (unit) {
		if (!strcmp(unit, "us"))
			unit_us = 1;
		else if (!strcmp(unit, "ms"))
			unit_us = 1000;
		else if (strcmp(unit, "s"))
			return rerr(r, r->line, "unknown time unit '%s' (expected us, ms or s)", unit);
	}
	if (arg[0] == ':') {
		var = use_var(r, arg + 1, r->line);
		if (var == -2)
			return -1;
		if (var < 0)
			return rerr(r, r->line, "'%s' is not set before this line (expected a '\\set %s "
				    "...' line above)", arg, arg + 1);
		if (tx->vars[var].gen.expr->is_double)
			return rerr(r, r->line, "'\\sleep %s' needs an integer, and '%s' is a double "
				    "(wrap it in int())", arg, arg + 1);
	} else {
		char *end;
		errno = 0;
		n = strtoll(arg, &end, 10);
		if (!isdigit((unsigned char)arg[0]) || *end || errno)
			return rerr(r, r->line, "expected a whole number of %s or ':var' after '\\sleep', "
				    "found '%s'", unit ? unit : "s", arg);
	}
	ALLOC_GROW(tx->sleeps, tx->nsleeps + 1, tx->sleeps_alloc);
	sl = &tx->sleeps[tx->nsleeps++];
	sl->at = sleep_point(r);
	sl->n = n;
	sl->var = var;
	sl->unit_us = unit_us;
	sl->line = r->line;
	return 0;
}

/* A backslash command, continuation lines joined. */
static int command(struct reader *r, char *cmd)
{
	char *name = cmd + 1, *rest = name;
	char saved;
	int rc;

	while (is_word((unsigned char)*rest))
		rest++;
	saved = *rest;
	*rest = '\0';
	if (flush_sql(r, name))
		return -1;
	*rest = saved;
	if ((rest - name == 3 && !strncmp(name, "set", 3)) && (!*rest || isspace((unsigned char)*rest)))
		rc = parse_set(r, rest);
	else if ((rest - name == 5 && !strncmp(name, "sleep", 5)) &&
		 (!*rest || isspace((unsigned char)*rest)))
		rc = parse_sleep(r, rest);
	else
		rc = unsupported(r, r->line, name);
	return rc;
}

/* A comment line: '-- @writes' and '-- @deletes' are read, like in a '@tx' block. */
static int comment(struct reader *r, char *s)
{
	const char *name, *rest;
	size_t nl, rl;
	struct pending_fact *f;

	if (!sql_directive(s, strlen(s), &name, &nl, &rest, &rl))
		return 0;
	if ((nl == 6 && !strncmp(name, "writes", 6)) || (nl == 7 && !strncmp(name, "deletes", 7))) {
		ALLOC_GROW(r->facts, r->nfacts + 1, r->facts_alloc);
		f = &r->facts[r->nfacts++];
		f->op = name[0] == 'w' ? FACT_OP_WRITE : FACT_OP_DELETE;
		f->text = xstrndup(rest, rl);
		f->line = r->line;
		return 0;
	}
	/* A scenario directive here would be silently dropped: say so instead. */
	return rerr(r, r->line, "'-- @%.*s' does nothing in a pgbench script (expected '-- @writes' "
		    "or '-- @deletes')", (int)nl, name);
}

static int read_script(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (strbuf_read_file(out, path, &why))
		rc = strbuf_error(err, -2, "cannot open pgbench script '%s': %s", path, why.buf);
	strbuf_release(&why);
	return rc;
}

/* The transaction's name: the file's base name without ".sql". */
static int name_tx(struct txdef *tx, const char *path, struct strbuf *err)
{
	const char *base = strrchr(path, '/');
	size_t len, i;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && !strcmp(base + len - 4, ".sql"))
		len -= 4;
	for (i = 0; i < len; i++)
		if (!(is_word((unsigned char)base[i]) || base[i] == '-' || base[i] == '.'))
			break;
	if (!len || i < len || !(isalpha((unsigned char)base[0]) || base[0] == '_'))
		return strbuf_error(err, -2, "pgbench script '%s' names a transaction: its file name "
				    "may hold letters, digits, '-', '_' and '.'", path);
	tx->name = xstrndup(base, len);
	return 0;
}

static int read_lines(struct reader *r, const char *text)
{
	const char *s = text;
	struct strbuf cmd = STRBUF_INIT;
	int rc = 0;

	r->sql_line = 1;
	while (*s && !rc) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = xstrndup(s, len), *t;

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		s += len + (e ? 1 : 0);
		r->line++;
		t = skip_ws(line);
		if (unterminated(r->sql.buf) || (*t != '\\' && !(t[0] == '-' && t[1] == '-'))) {
			strbuf_addstr(&r->sql, line);
			strbuf_addch(&r->sql, '\n');
		} else if (*t == '\\') {
			int first = r->line;
			strbuf_reset(&cmd);
			strbuf_addstr(&cmd, t);
			strbuf_rtrim(&cmd);
			/* pgbench continues a command over backslash-newline. */
			while (cmd.len && cmd.buf[cmd.len - 1] == '\\' && *s) {
				const char *ne = strchr(s, '\n');
				size_t nl = ne ? (size_t)(ne - s) : strlen(s);
				strbuf_setlen(&cmd, cmd.len - 1);
				strbuf_addch(&cmd, ' ');
				strbuf_add(&cmd, s, nl);
				strbuf_rtrim(&cmd);
				s += nl + (ne ? 1 : 0);
				r->line++;
			}
			{
				int last = r->line;
				r->line = first;
				rc = command(r, cmd.buf);
				r->line = last;
			}
			r->sql_line = r->line + 1;
		} else {
			rc = comment(r, t);
			strbuf_addch(&r->sql, '\n');   /* keep the SQL's line numbers */
		}
		free(line);
	}
	strbuf_release(&cmd);
	return rc;
}

int pgbench_load(const char *path, const struct pgbench_host *host, struct txdef *tx,
		 struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	struct reader r;
	size_t i;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.host = host;
	r.tx = tx;
	r.err = err;
	strbuf_init(&r.sql);
	tx->flag = -1;
	tx->weight = 1;
	tx->file = xstrdup(path);
	if ((rc = name_tx(tx, path, err)) != 0 || (rc = read_script(path, &text, err)) != 0)
		goto fail;
	rc = -1;
	if (read_lines(&r, text.buf) || flush_sql(&r, NULL))
		goto fail;
	if (r.begun && !r.ended) {
		rerr(&r, r.begin_line, "BEGIN without END (expected 'END;' or 'COMMIT;' to close the "
		     "transaction)");
		goto fail;
	}
	if (!tx->nstmts) {
		rerr(&r, r.line ? r.line : 1, "no SQL statement in the script");
		goto fail;
	}
	tx->autocommit = !r.begun;
	for (i = 0; i < r.nfacts; i++) {
		/* A fact may name a built-in the SQL does not use. */
		const char *c = r.facts[i].text;
		while ((c = strchr(c, ':')) != NULL) {
			const char *name = ++c;
			while (is_word((unsigned char)*c))
				c++;
			if ((c - name == 5 && !strncmp(name, "scale", 5)) ||
			    (c - name == 9 && !strncmp(name, "client_id", 9))) {
				char builtin[10];
				memcpy(builtin, name, (size_t)(c - name));
				builtin[c - name] = '\0';
				if (use_var(&r, builtin, r.facts[i].line) == -2)
					goto fail;
			}
		}
	}
	for (i = 0; i < r.nfacts; i++)
		if (host->fact(tx, r.facts[i].text, r.facts[i].op, path, r.facts[i].line, err))
			goto fail;
	rc = 0;
fail:
	for (i = 0; i < r.nfacts; i++)
		free(r.facts[i].text);
	free(r.facts);
	strbuf_release(&r.sql);
	strbuf_release(&text);
	return rc;
}
