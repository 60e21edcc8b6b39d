/*
** The generators.  Every draw goes through the caller's PRNG, so the same
** seed yields the same values; the word lists are fixed for the same reason.
**
** SPDX-License-Identifier: MIT
*/
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_names[] = {
	"Ada", "Alan", "Barbara", "Carlos", "Dana", "Edsger", "Fatima", "Grace",
	"Hannah", "Ivan", "Jun", "Kofi", "Leslie", "Maria", "Niklaus", "Olga",
	"Priya", "Quentin", "Radia", "Sanjay", "Tove", "Umar", "Vera", "Wei",
};
static const char *const last_names[] = {
	"Lovelace", "Turing", "Liskov", "Santos", "Scott", "Dijkstra", "Khan",
	"Hopper", "Schmidt", "Petrov", "Tanaka", "Mensah", "Lamport", "Garcia",
	"Wirth", "Ivanova", "Patel", "Moreau", "Perlman", "Gupta", "Nilsson",
	"Farouk", "Molnar", "Chen",
};
/* The names that break "split on the first space". */
static const char *const single_names[] = { "Madonna", "Teller", "Björk", "Pelé", "Sukarno" };
static const char *const spaced_names[] = {
	"Mary  Ann Smith", "Jean-Luc  Picard", "Anna Maria  de la Cruz",
	" Leading Space", "Trailing Space ", "Ludwig van  Beethoven",
};
static const char *const nonascii_names[] = {
	"José Álvarez", "Zoë Ångström", "Łukasz Żółć", "Søren Kierkegaard",
	"Nguyễn Văn An", "李 小龍", "Ærøskøbing Ødegård",
};
static const char *const words[] = {
	"drill", "migration", "column", "rollback", "forward", "ledger", "schema",
	"index", "backfill", "replica", "lock", "write", "commit", "tenant",
};

static const char *pick(struct gen_ctx *ctx, const char *const *v, size_t n)
{
	return v[prng_below(ctx->rng, n)];
}

/* Pad out to exactly len bytes of ASCII letters: the maximum-length value. */
static void add_maxlen(struct strbuf *out, int64_t len, struct gen_ctx *ctx)
{
	int64_t i;
	for (i = 0; i < len; i++)
		strbuf_addch(out, 'a' + (int)prng_below(ctx->rng, 26));
}

static int awkward(struct gen_ctx *ctx)
{
	return ctx->awkward > 0 && prng_unit(ctx->rng) < ctx->awkward;
}

static void gen_date(struct gen_ctx *ctx, struct strbuf *out);

/* A generator that may return awkward values: not one a CHECK keeps plain. */
static int awkward_for(const struct gen *g, struct gen_ctx *ctx)
{
	return !g->plain && awkward(ctx);
}

/* n into tmpl's run of '#', zero-padded to the run's length; n alone without a template. */
static void add_number(struct strbuf *out, const char *tmpl, long long n)
{
	const char *h = tmpl ? strchr(tmpl, '#') : NULL;
	size_t run = 0;

	if (!h) {
		strbuf_addf(out, "%lld", n);
		return;
	}
	while (h[run] == '#')
		run++;
	strbuf_add(out, tmpl, (size_t)(h - tmpl));
	if (n < 0)
		strbuf_addf(out, "-%0*lld", (int)run, -n);
	else
		strbuf_addf(out, "%0*lld", (int)run, n);
	strbuf_addstr(out, h + run);
}

/*
** Timestamps as both engines print them back: seconds, no fraction, and
** with a zone "+00" (PostgreSQL sessions run in UTC).
*/
static void gen_time(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	int h = (int)prng_below(ctx->rng, 24), m = (int)prng_below(ctx->rng, 60), sec = (int)prng_below(ctx->rng, 60);
	if (g->a == GEN_TIME_OF_DAY) {
		strbuf_addf(out, "%02d:%02d:%02d", h, m, sec);
		return;
	}
	gen_date(ctx, out);
	strbuf_addf(out, " %02d:%02d:%02d%s", h, m, sec, g->a == GEN_TIMESTAMPTZ ? "+00" : "");
}

/*
** A number from a to b with exactly scale digits after the point, the last
** one not zero, so that every engine prints it back as written: 12.35,
** never 12.50 (which SQLite reads back as 12.5).  Drawn as a whole number
** of hundredths (for scale 2) strictly inside the bounds.
*/
static void gen_decimal(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	int64_t p = 1, lim, lo, hi, n, a, b;
	uint64_t mag;
	int64_t i;

	if (!g->scale) {
		strbuf_addf(out, "%lld", (long long)(awkward(ctx) ? g->a : prng_range(ctx->rng, g->a, g->b)));
		return;
	}
	for (i = 0; i < g->scale; i++)
		p *= 10;
	lim = INT64_MAX / p - 1;
	a = g->a < -lim ? -lim : g->a > lim ? lim : g->a;
	b = g->b < -lim ? -lim : g->b > lim ? lim : g->b;
	lo = a * p + 1;
	hi = b * p - 1;
	if (hi < lo)
		hi = lo;
	n = awkward(ctx) ? lo : prng_range(ctx->rng, lo, hi);
	if (n % 10 == 0)
		n += n < hi ? 1 : -1;
	mag = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	strbuf_addf(out, "%s%llu.%0*llu", n < 0 ? "-" : "", (unsigned long long)(mag / (uint64_t)p), (int)g->scale,
		    (unsigned long long)(mag % (uint64_t)p));
}

static void gen_uuid(struct gen_ctx *ctx, struct strbuf *out)
{
	uint64_t hi = prng_next(ctx->rng), lo = prng_next(ctx->rng);
	/* Version 4, variant 10: lower case, as PostgreSQL prints it. */
	hi = (hi & ~(uint64_t)0xf000) | 0x4000;
	lo = (lo & ~((uint64_t)3 << 62)) | ((uint64_t)2 << 62);
	strbuf_addf(out, "%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(hi >> 32),
		    (unsigned long long)((hi >> 16) & 0xffff), (unsigned long long)(hi & 0xffff),
		    (unsigned long long)(lo >> 48), (unsigned long long)(lo & 0xffffffffffffULL));
}

static void gen_name(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	if (awkward_for(g, ctx)) {
		switch (prng_below(ctx->rng, 5)) {
		case 0: strbuf_addstr(out, pick(ctx, single_names, N(single_names))); return;
		case 1: strbuf_addstr(out, pick(ctx, spaced_names, N(spaced_names))); return;
		case 2: strbuf_addstr(out, pick(ctx, nonascii_names, N(nonascii_names))); return;
		case 3: return; /* the empty string */
		default:
			strbuf_addstr(out, "Max ");
			add_maxlen(out, g->a > 4 ? g->a - 4 : 0, ctx);
			return;
		}
	}
	strbuf_addf(out, "%s %s", pick(ctx, first_names, N(first_names)),
		    pick(ctx, last_names, N(last_names)));
}

static void gen_email(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	uint64_t n = prng_below(ctx->rng, 1000000);
	const char *f = pick(ctx, first_names, N(first_names));
	const char *l = pick(ctx, last_names, N(last_names));
	if (awkward_for(g, ctx)) {
		switch (prng_below(ctx->rng, 5)) {
		case 0: strbuf_addf(out, "%s.%s%llu@EXAMPLE.COM", f, l, (unsigned long long)n); return;
		case 1: strbuf_addf(out, "%s+drill%llu@example.com", f, (unsigned long long)n); return;
		case 2: strbuf_addf(out, "zoë.%llu@exämple.com", (unsigned long long)n); return;
		case 3: return;
		default:
			add_maxlen(out, g->a > 12 ? g->a - 12 : 0, ctx);
			strbuf_addstr(out, "@example.com");
			return;
		}
	}
	strbuf_addf(out, "%c%c.%s%llu@example.com", f[0] | 0x20, f[1], l, (unsigned long long)n);
}

static void gen_phone(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	uint64_t n = prng_below(ctx->rng, 10000);
	if (awkward_for(g, ctx)) {
		int64_t i;
		switch (prng_below(ctx->rng, 4)) {
		case 0: strbuf_addf(out, "+44 20 7946 %04llu", (unsigned long long)n); return;
		case 1: strbuf_addf(out, "(555) 010-%04llu ext. 12", (unsigned long long)n); return;
		case 2: return;
		default:
			for (i = 0; i < g->a; i++)
				strbuf_addch(out, '0' + (int)prng_below(ctx->rng, 10));
			return;
		}
	}
	strbuf_addf(out, "555-01%02llu-%04llu", (unsigned long long)prng_below(ctx->rng, 100),
		    (unsigned long long)n);
}

static void gen_text(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	size_t start = out->len, max = (size_t)g->a;
	if (awkward_for(g, ctx)) {
		switch (prng_below(ctx->rng, 4)) {
		case 0: return;
		case 1: add_maxlen(out, g->a, ctx); return;
		case 2: strbuf_addstr(out, max >= 11 ? "naïve café" : "é"); return;
		default: strbuf_addstr(out, max >= 11 ? "  two  gaps" : " "); return;
		}
	}
	for (;;) {
		const char *w = pick(ctx, words, N(words));
		size_t need = strlen(w) + (out->len > start ? 1 : 0);
		if (out->len - start + need > max)
			break;
		if (out->len > start)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, w);
		if (prng_below(ctx->rng, 3) == 0)
			break;
	}
	if (out->len == start)
		strbuf_add(out, words[0], max < 5 ? max : 5);
}

static void gen_date(struct gen_ctx *ctx, struct strbuf *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (awkward(ctx)) {
		static const char *const odd[] = { "1970-01-01", "2000-02-29", "9999-12-31", "2038-01-19" };
		strbuf_addstr(out, pick(ctx, odd, N(odd)));
		return;
	}
	y = 2000 + (int)prng_below(ctx->rng, 26);
	m = 1 + (int)prng_below(ctx->rng, 12);
	d = 1 + (int)prng_below(ctx->rng, (uint64_t)mdays[m - 1]);
	strbuf_addf(out, "%04d-%02d-%02d", y, m, d);
}

int gen_value(const struct gen *g, struct gen_ctx *ctx, struct strbuf *out)
{
	/* A draw of its own only where a share is asked for: other scenarios' values stay as they were. */
	if (g->nulls > 0 && prng_unit(ctx->rng) < g->nulls)
		return 1;
	switch (g->kind) {
	case GEN_SEQ:
		add_number(out, g->tmpl, (long long)ctx->seq);
		return 0;
	case GEN_INT:
		if (awkward(ctx))
			add_number(out, g->tmpl, (long long)(prng_below(ctx->rng, 2) ? g->b : g->a));
		else
			add_number(out, g->tmpl, (long long)prng_range(ctx->rng, g->a, g->b));
		return 0;
	case GEN_TIME:
		gen_time(g, ctx, out);
		return 0;
	case GEN_DECIMAL:
		gen_decimal(g, ctx, out);
		return 0;
	case GEN_CHARS:
		add_maxlen(out, g->a, ctx);
		return 0;
	case GEN_UUID:
		gen_uuid(ctx, out);
		return 0;
	case GEN_JSON:
		/* As PostgreSQL's jsonb prints it back: a space after the colon. */
		strbuf_addf(out, "{\"n\": %llu}", (unsigned long long)prng_below(ctx->rng, 1000000));
		return 0;
	case GEN_NAME:
		gen_name(g, ctx, out);
		return 0;
	case GEN_EMAIL:
		gen_email(g, ctx, out);
		return 0;
	case GEN_PHONE:
		gen_phone(g, ctx, out);
		return 0;
	case GEN_TEXT:
		gen_text(g, ctx, out);
		return 0;
	case GEN_PICK:
		strbuf_addstr(out, g->choices[prng_below(ctx->rng, g->nchoices)]);
		return 0;
	case GEN_DATE:
		gen_date(ctx, out);
		return 0;
	default:
		return 1;
	}
}
