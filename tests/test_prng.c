/*
** The sources of determinism: the PRNG's streams and bounds, the value
** generators (awkward values at the set rate, seeded), and the scheduler's
** interleaving, which must repeat exactly for the same seed.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../sim/engine/gen.h"
#include "../sim/base/prng.h"
#include "drillrun.h"

static void same_seed_same_sequence(void **state)
{
	struct prng a, b, c;
	int i, differ = 0;
	(void)state;
	prng_seed(&a, 42, 0);
	prng_seed(&b, 42, 0);
	prng_seed(&c, 42, 1);
	for (i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a);
		assert_true(x == prng_next(&b));
		differ += x != prng_next(&c);
	}
	assert_true(differ > 990); /* another stream is another sequence */
}

static void known_first_values(void **state)
{
	/* Pinned: a change here changes every drill's JSON, so it must be deliberate. */
	struct prng p;
	(void)state;
	prng_seed(&p, 1, 0);
	assert_true(prng_next(&p) == 0xb3f2af6d0fc710c5ULL);
	assert_true(prng_next(&p) == 0x853b559647364ceaULL);
	assert_true(prng_below(&p, 1000) == 900);
}

static void bounds_hold_and_cover(void **state)
{
	struct prng p;
	int seen[7] = { 0 }, i;
	(void)state;
	prng_seed(&p, 9, 3);
	for (i = 0; i < 7000; i++) {
		int64_t v = prng_range(&p, -3, 3);
		assert_true(v >= -3 && v <= 3);
		seen[v + 3]++;
	}
	for (i = 0; i < 7; i++)
		assert_true(seen[i] > 800 && seen[i] < 1200); /* about 1000 each */
	for (i = 0; i < 1000; i++) {
		double u = prng_unit(&p);
		assert_true(u >= 0.0 && u < 1.0);
	}
}

static int gen_one(const char *expr, double awkward, uint64_t seed, int n, int (*check)(const char *, int))
{
	struct gen g;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct prng p;
	struct gen_ctx ctx = { &p, awkward, 1 };
	int i, hits = 0;

	assert_int_equal(gen_parse(expr, NULL, 0, &g, &err), 0);
	prng_seed(&p, seed, 0);
	for (i = 0; i < n; i++) {
		int is_null;
		strbuf_reset(&out);
		is_null = gen_value(&g, &ctx, &out);
		hits += check(out.buf, is_null);
	}
	gen_release(&g);
	strbuf_release(&err);
	strbuf_release(&out);
	return hits;
}

static int is_plain_name(const char *s, int is_null)
{
	const char *sp = strchr(s, ' ');
	const unsigned char *u;
	if (is_null || !sp || strchr(sp + 1, ' ') || sp == s || !sp[1])
		return 0;
	for (u = (const unsigned char *)s; *u; u++)
		if (*u >= 0x80)
			return 0;
	return strlen(s) < 40;
}

static int is_awkward_name(const char *s, int is_null)
{
	return !is_plain_name(s, is_null);
}

static void awkward_rate_is_honoured(void **state)
{
	int n;
	(void)state;
	/* Rate 0: every name is "First Last". */
	assert_int_equal(gen_one("name", 0.0, 5, 2000, is_plain_name), 2000);
	/* Rate 0.2: about 400 of 2000 are single words, spaced, non-ASCII, empty or maximal. */
	n = gen_one("name", 0.2, 5, 2000, is_awkward_name);
	assert_true(n > 300 && n < 500);
	/* Rate 1: none is plain. */
	assert_int_equal(gen_one("name", 1.0, 5, 500, is_awkward_name), 500);
}

static int fits_40(const char *s, int is_null)
{
	return !is_null && strlen(s) <= 40;
}

static int is_max_40(const char *s, int is_null)
{
	return !is_null && strlen(s) == 40;
}

static int is_empty(const char *s, int is_null)
{
	return !is_null && !*s;
}

static int non_ascii(const char *s, int is_null)
{
	const unsigned char *u;
	if (is_null)
		return 0;
	for (u = (const unsigned char *)s; *u; u++)
		if (*u >= 0x80)
			return 1;
	return 0;
}

static void awkward_kinds_all_appear(void **state)
{
	(void)state;
	assert_true(gen_one("name(40)", 1.0, 11, 500, is_max_40) > 0);
	assert_true(gen_one("name(40)", 1.0, 11, 500, is_empty) > 0);
	assert_true(gen_one("name(40)", 1.0, 11, 500, non_ascii) > 0);
	assert_int_equal(gen_one("text(40)", 1.0, 11, 500, fits_40), 500);
	assert_int_equal(gen_one("text(40)", 0.0, 11, 500, fits_40), 500);
	assert_true(gen_one("email(40)", 1.0, 11, 500, is_max_40) > 0);
	assert_true(gen_one("phone(20)", 1.0, 11, 500, is_empty) > 0);
}

static int in_range(const char *s, int is_null)
{
	long v = strtol(s, NULL, 10);
	return !is_null && v >= 10 && v <= 20;
}

static int is_bound(const char *s, int is_null)
{
	return !is_null && (!strcmp(s, "10") || !strcmp(s, "20"));
}

static int is_date(const char *s, int is_null)
{
	return !is_null && strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

static int is_null_value(const char *s, int is_null)
{
	(void)s;
	return is_null;
}

static int picked(const char *s, int is_null)
{
	return !is_null && (!strcmp(s, "a") || !strcmp(s, "b c"));
}

/* What the scaffold's generators promise, checked value by value. */
static int is_seq_email(const char *s, int is_null)
{
	return !is_null && !strncmp(s, "user", 4) && strstr(s, "@example.com") && atoi(s + 4) >= 1;
}

static int is_padded(const char *s, int is_null)
{
	return !is_null && strlen(s) == 8 && !strncmp(s, "k-", 2) && strspn(s + 2, "0123456789") == 6;
}

static int is_timestamp(const char *s, int is_null)
{
	int y, mo, d, h, mi, se, n = 0;
	return !is_null && sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 &&
	       (size_t)n == strlen(s) && h < 24 && mi < 60 && se < 60;
}

static int is_timestamptz(const char *s, int is_null)
{
	size_t n = strlen(s);
	char copy[64];
	if (is_null || n < 4 || n >= sizeof(copy) || strcmp(s + n - 3, "+00"))
		return 0;
	memcpy(copy, s, n - 3);
	copy[n - 3] = '\0';
	return is_timestamp(copy, 0);
}

/* decimal(-5,5,2): two digits after the point, the last not 0, inside the bounds. */
static int is_decimal(const char *s, int is_null)
{
	const char *dot = strchr(s, '.');
	double v = atof(s);
	return !is_null && dot && strlen(dot + 1) == 2 && dot[2] != '0' && v > -5 && v < 5;
}

static int is_uuid4(const char *s, int is_null)
{
	return !is_null && strlen(s) == 36 && s[8] == '-' && s[14] == '4' && strchr("89ab", s[19]) &&
	       strspn(s, "0123456789abcdef-") == 36;
}

static int is_json(const char *s, int is_null)
{
	return !is_null && !strncmp(s, "{\"n\": ", 6) && s[strlen(s) - 1] == '}';
}

static int is_three_letters(const char *s, int is_null)
{
	return !is_null && strlen(s) == 3 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == 3;
}

static void scaffold_generators(void **state)
{
	(void)state;
	assert_int_equal(gen_one("seq(user#@example.com)", 1.0, 3, 50, is_seq_email), 50);
	assert_int_equal(gen_one("int(1,999999,k-######)", 1.0, 3, 200, is_padded), 200);
	assert_int_equal(gen_one("timestamp", 0.5, 3, 300, is_timestamp), 300);
	assert_int_equal(gen_one("timestamptz", 0.5, 3, 300, is_timestamptz), 300);
	assert_int_equal(gen_one("decimal(-5,5,2)", 0.5, 3, 500, is_decimal), 500);
	assert_int_equal(gen_one("uuid", 0.5, 3, 200, is_uuid4), 200);
	assert_int_equal(gen_one("json", 0.5, 3, 100, is_json), 100);
	assert_int_equal(gen_one("chars(3)", 0.5, 3, 100, is_three_letters), 100);
	/* plain: never awkward, even at a rate of 1. */
	assert_int_equal(gen_one("name(40,plain)", 1.0, 3, 300, is_plain_name), 300);
}

static void other_generators(void **state)
{
	(void)state;
	assert_int_equal(gen_one("int(10,20)", 0.0, 3, 1000, in_range), 1000);
	assert_int_equal(gen_one("int(10,20)", 1.0, 3, 100, is_bound), 100);
	assert_int_equal(gen_one("date", 0.3, 3, 500, is_date), 500);
	assert_int_equal(gen_one("null", 0.0, 3, 10, is_null_value), 10);
	assert_int_equal(gen_one("pick(a|b c)", 0.5, 3, 200, picked), 200);
}

/* The scheduler's interleaving: the ledger's transaction sequence repeats. */
static void schedule_repeats_and_varies(void **state)
{
	static const struct param_set small[] = { { "rows", "100" }, { "end_at", "4000" } };
	struct run a, b, c;
	size_t i, same = 1;
	(void)state;
	assert_int_equal(run_drill(&a, "scenarios/phone-not-null/scenario.drill", "fixes/make-nullable.sql", 3, small, 2), 0);
	assert_int_equal(run_drill(&b, "scenarios/phone-not-null/scenario.drill", "fixes/make-nullable.sql", 3, small, 2), 0);
	assert_int_equal(run_drill(&c, "scenarios/phone-not-null/scenario.drill", "fixes/make-nullable.sql", 4, small, 2), 0);
	assert_int_equal(a.d.ledger.ntx, b.d.ledger.ntx);
	for (i = 0; i < a.d.ledger.ntx; i++) {
		const struct ledger_tx *x = &a.d.ledger.tx[i], *y = &b.d.ledger.tx[i];
		assert_true(x->invoke == y->invoke && x->complete == y->complete);
		assert_int_equal(x->client, y->client);
		assert_int_equal(x->outcome, y->outcome);
	}
	assert_int_equal(a.d.env.statements, b.d.env.statements);
	for (i = 0; i < a.d.ledger.ntx && i < c.d.ledger.ntx; i++)
		if (a.d.ledger.tx[i].client != c.d.ledger.tx[i].client ||
		    a.d.ledger.tx[i].complete != c.d.ledger.tx[i].complete)
			same = 0;
	assert_false(same && a.d.ledger.ntx == c.d.ledger.ntx);
	run_release(&a);
	run_release(&b);
	run_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_seed_same_sequence),
		cmocka_unit_test(known_first_values),
		cmocka_unit_test(bounds_hold_and_cover),
		cmocka_unit_test(awkward_rate_is_honoured),
		cmocka_unit_test(awkward_kinds_all_appear),
		cmocka_unit_test(other_generators),
		cmocka_unit_test(scaffold_generators),
		cmocka_unit_test(schedule_repeats_and_varies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
