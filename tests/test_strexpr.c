/*
** String expressions of '\set' lines: each function's value worked out
** by hand, SQL's NULL rules, characters counted in UTF-8, and the errors.
**
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../sim/input/strexpr.h"

static const char *const names[] = { "first", "last", "id", "nothing", "accent" };

/* The variables' values: nothing is NULL. */
static void values(struct strbuf *vals, char *isnull)
{
	static const char *const v[] = { "Ada", "Lovelace Byron", "42", NULL, "Åsa Öberg" };
	size_t i;
	for (i = 0; i < 5; i++) {
		strbuf_init(&vals[i]);
		isnull[i] = v[i] == NULL;
		if (v[i])
			strbuf_addstr(&vals[i], v[i]);
	}
}

static void test_values(void **state)
{
	static const struct { const char *expr, *want; } cases[] = {
		{ "concat(:first, '@example.com')", "Ada@example.com" },
		{ "lower(concat(:first, '.', replace(:last, ' ', '-'), '@example.com'))",
		  "ada.lovelace-byron@example.com" },
		{ "upper(:first)", "ADA" },
		{ "concat('C-', :id)", "C-42" },
		{ "concat('C-', 7, '-', :id)", "C-7-42" },
		{ "substr(:last, 1, 8)", "Lovelace" },
		{ "substr(:last, 10)", "Byron" },
		{ "substr(:last, 0, 3)", "Lo" },       /* SQL: position 0 counts, before the first */
		{ "substr(:last, 40)", "" },
		{ "substr(:accent, 1, 3)", "Åsa" },    /* characters, not bytes */
		{ "substr(:accent, 5)", "Öberg" },
		{ "upper(:accent)", "ÅSA ÖBERG" },    /* ASCII letters only change */
		{ "replace(:last, 'e', '')", "Lovlac Byron" },
		{ "replace(:first, '', 'x')", "Ada" },
		{ "concat(:nothing, :first)", "Ada" },  /* concat skips NULL */
		{ "concat('it''s ', :first)", "it's Ada" },
		{ "CONCAT( :first , 'x' )", "Adax" },
		{ "lpad('42', 6, '0')", "000042" },
		{ "concat('00000000-0000-4000-9000-', lpad('7', 12, '0'))", "00000000-0000-4000-9000-000000000007" },
		{ "lpad(:first, 5)", "  Ada" },               /* a space by default */
		{ "lpad(:first, 2, '*')", "Ad" },             /* longer: cut, as SQL does */
		{ "lpad(:first, 6, 'xy')", "xyxAda" },        /* the fill repeats */
		{ "lpad(:accent, 10, '.')", ".Åsa Öberg" },  /* characters, not bytes */
	};
	struct strbuf vals[5], err = STRBUF_INIT;
	char isnull[5];
	size_t i;
	(void)state;

	values(vals, isnull);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strexpr *e;
		struct strbuf out = STRBUF_INIT;
		if (strexpr_parse(cases[i].expr, names, 5, &e, &err))
			fail_msg("%s: %s", cases[i].expr, err.buf);
		assert_int_equal(strexpr_eval(e, vals, isnull, &out), 0);
		if (strcmp(out.buf, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].expr, out.buf, cases[i].want);
		strexpr_free(e);
		strbuf_release(&out);
	}
	for (i = 0; i < 5; i++)
		strbuf_release(&vals[i]);
	strbuf_release(&err);
}

/* Every function but concat of a NULL is NULL, as in SQL. */
static void test_nulls(void **state)
{
	static const char *const exprs[] = {
		"lower(:nothing)", "upper(:nothing)", "substr(:nothing, 1)", "replace(:nothing, 'a', 'b')",
		"concat(:first, lower(:nothing))", /* concat skips the NULL its argument is */
	};
	struct strbuf vals[5], err = STRBUF_INIT;
	char isnull[5];
	size_t i;
	(void)state;

	values(vals, isnull);
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct strexpr *e;
		struct strbuf out = STRBUF_INIT;
		assert_int_equal(strexpr_parse(exprs[i], names, 5, &e, &err), 0);
		assert_int_equal(strexpr_eval(e, vals, isnull, &out), i < 4);
		if (i == 4)
			assert_string_equal(out.buf, "Ada");
		strexpr_free(e);
		strbuf_release(&out);
	}
	for (i = 0; i < 5; i++)
		strbuf_release(&vals[i]);
	strbuf_release(&err);
}

static void test_errors(void **state)
{
	static const struct { const char *expr, *phrase; } cases[] = {
		{ "concat(:later, 'x')", "':later' is not set above this line" },
		{ "lower(:first, :last)", "lower() takes 1 argument, not 2" },
		{ "substr(:first)", "substr() takes 2 to 3 arguments, not 1" },
		{ "replace(:first, 'a')", "replace() takes 3 arguments, not 2" },
		{ "concat(:first 'x')", "expected ',' or ')' after an argument" },
		{ "concat('open", "unterminated quoted string" },
		{ "concat(:first) || 'x'", "unexpected '|| 'x'' after the expression" },
		{ "concat(name)", "expected ':var', 'text', a whole number or a call" },
		{ "length(:first)", "expected a call of concat, lower, upper, substr, replace or lpad" },
		{ "lpad(:first)", "lpad() takes 2 to 3 arguments, not 1" },
	};
	struct strbuf err = STRBUF_INIT, deep = STRBUF_INIT;
	struct strexpr *e;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(strexpr_parse(cases[i].expr, names, 5, &e, &err), -1);
		assert_null(e);
		if (!strstr(err.buf, cases[i].phrase))
			fail_msg("%s: '%s' lacks '%s'", cases[i].expr, err.buf, cases[i].phrase);
	}
	/* Nesting is bounded, so a hostile line cannot overflow the stack. */
	for (i = 0; i < 10000; i++)
		strbuf_addstr(&deep, "lower(");
	strbuf_addstr(&deep, ":first");
	for (i = 0; i < 10000; i++)
		strbuf_addch(&deep, ')');
	assert_int_equal(strexpr_parse(deep.buf, names, 5, &e, &err), -1);
	assert_non_null(strstr(err.buf, "nested too deep"));
	assert_true(strexpr_is_call("  concat (:a)"));
	assert_false(strexpr_is_call("name"));
	assert_false(strexpr_is_call("lower"));
	strbuf_release(&deep);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_nulls),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
