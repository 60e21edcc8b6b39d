/*
** Tests of the migration layouts: each tool's directory put in that tool's
** order for both directions, the errors for an unknown layout, a mixed one,
** a repeat in the versions and a missing sqitch script, a gap as a note,
** the versions read in file names, and the
** statements read out of dbmate sections and Alembic's offline SQL.
** The fixtures are in tests/fixtures/layouts.
**
** SPDX-License-Identifier: MIT
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../sim/input/layout.h"
#include "../sim/input/scenario.h"

#define L "tests/fixtures/layouts"

/* The shown names of path's files for direction, joined by spaces. */
static void order_is(const char *path, int direction, const char *kind, const char *want)
{
	struct layout l;
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	size_t i;
	int rc = layout_open(path, path, direction, &l, &err);

	if (rc) {
		print_error("%s: %s\n", path, err.buf);
		fail();
	}
	for (i = 0; i < l.nr; i++)
		strbuf_addf(&got, "%s%s", i ? " " : "", l.v[i].shown + strlen(path) + 1);
	if (strcmp(got.buf, want) || strcmp(l.kind, kind)) {
		print_error("%s: %s [%s], expected %s [%s]\n", path, got.buf, l.kind, want, kind);
		fail();
	}
	layout_release(&l);
	strbuf_release(&err);
	strbuf_release(&got);
}

static void error_is(const char *path, int direction, const char *want)
{
	struct layout l;
	struct strbuf err = STRBUF_INIT;
	int rc = layout_open(path, path, direction, &l, &err);

	if (!rc) {
		print_error("%s: opened, expected the error '%s'\n", path, want);
		layout_release(&l);
		fail();
	}
	if (strcmp(err.buf, want)) {
		print_error("%s: error\n  '%s'\nexpected\n  '%s'\n", path, err.buf, want);
		fail();
	}
	strbuf_release(&err);
}

static void test_orders(void **state)
{
	(void)state;
	/* Versions by number, repeatable ones last; undo scripts newest first. */
	order_is(L "/flyway", LAYOUT_UP, "flyway", "V2__rename_back.sql V3__index_values.sql R__kv_view.sql");
	order_is(L "/flyway", LAYOUT_DOWN, "flyway", "U3__index_values.sql U2__rename_back.sql");
	order_is(L "/golang", LAYOUT_UP, "golang-migrate",
		 "000002_rename_back.up.sql 000003_index_values.up.sql");
	order_is(L "/golang", LAYOUT_DOWN, "golang-migrate",
		 "000003_index_values.down.sql 000002_rename_back.down.sql");
	order_is(L "/dbmate", LAYOUT_UP, "dbmate",
		 "20240301090000_rename_back.sql 20240302090000_index_values.sql");
	order_is(L "/dbmate", LAYOUT_DOWN, "dbmate",
		 "20240302090000_index_values.sql 20240301090000_rename_back.sql");
	/* sqitch: the plan's order, tags skipped; revert scripts in reverse. */
	order_is(L "/sqitch", LAYOUT_UP, "sqitch", "deploy/rename_back.sql deploy/index_values.sql");
	order_is(L "/sqitch", LAYOUT_DOWN, "sqitch", "revert/index_values.sql revert/rename_back.sql");
}

/* A gap in the versions: the tools apply what is there in order, so mdrill does and notes it. */
static void test_gap_is_a_note(void **state)
{
	struct layout l;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(layout_open(L "/flyway-gap", L "/flyway-gap", LAYOUT_UP, &l, &err), 0);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.notes.buf, L "/flyway-gap: a gap in the versions: 3 comes after 1 (applied in "
			    "order, as the tool does; is a file missing?)\n");
	layout_release(&l);
	/* No gap, no note. */
	assert_int_equal(layout_open(L "/golang", L "/golang", LAYOUT_UP, &l, &err), 0);
	assert_string_equal(l.notes.buf, "");
	layout_release(&l);
	strbuf_release(&err);
}

/* The version and description each tool reads in a file's name. */
static void test_file_versions(void **state)
{
	static const struct { const char *name, *version, *description; int rc; } cases[] = {
		{ "V1_2__add_phone.sql", "1.2", "add phone", 0 },
		{ "dir/V3__x.sql", "3", "x", 0 },
		{ "U3__x.sql", "3", "x", 0 },
		{ "R__kv_view.sql", "", "kv view", 0 },
		{ "000012_add_phone.up.sql", "12", "add_phone", 0 },
		{ "000012_add_phone.down.sql", "12", "add_phone", 0 },
		{ "20240301090000_rename_back.sql", "20240301090000", "rename_back", 0 },
		{ "fix.sql", "", "", -1 },
		{ "V1__x.txt", "", "", -1 },
		{ "Vx__y.sql", "", "", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf v = STRBUF_INIT, d = STRBUF_INIT;
		int rc = layout_file_version(cases[i].name, &v, &d);
		if (rc != cases[i].rc || (!rc && (strcmp(v.buf, cases[i].version) || strcmp(d.buf, cases[i].description)))) {
			print_error("%s: %d '%s' '%s', expected %d '%s' '%s'\n", cases[i].name, rc, v.buf, d.buf,
				    cases[i].rc, cases[i].version, cases[i].description);
			fail();
		}
		strbuf_release(&v);
		strbuf_release(&d);
	}
}

/* Plain .sql files no tool names: in name order, a number by its value. */
static void test_plain_directory(void **state)
{
	struct layout l;
	struct strbuf err = STRBUF_INIT;
	const char *dir = "tests/fixtures/scaffold/plain";

	(void)state;
	assert_int_equal(layout_open(dir, dir, LAYOUT_UP, &l, &err), -1);  /* --fix wants a tool's naming */
	assert_non_null(strstr(err.buf, "fits no tool's naming"));
	assert_int_equal(layout_open_plain(dir, dir, &l, &err), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(strrchr(l.v[0].shown, '/') + 1, "1_customers.sql");
	assert_string_equal(strrchr(l.v[1].shown, '/') + 1, "2_products.sql");
	assert_string_equal(strrchr(l.v[2].shown, '/') + 1, "10_orders.sql");
	layout_release(&l);
	assert_int_equal(layout_open_plain(L "/none", L "/none", &l, &err), -1);
	strbuf_release(&err);
}

static void test_errors(void **state)
{
	(void)state;
	error_is(L "/flyway-dup", LAYOUT_UP, L "/flyway-dup: version 1 twice ('V1.0__again.sql' and "
		 "'V1__first.sql')");
	error_is(L "/mixed", LAYOUT_UP, L "/mixed: mixes golang-migrate and Flyway files ('V1__flyway.sql'); "
		 "expected one tool's layout");
	error_is(L "/unknown", LAYOUT_UP, L "/unknown: not a migration layout mdrill knows: 'fix.sql' fits "
		 "no tool's naming (expected Flyway V<version>__<description>.sql (U... undo, R__... "
		 "repeatable), golang-migrate <version>_<description>.up.sql and .down.sql, dbmate "
		 "<version>_<description>.sql with '-- migrate:up', or a sqitch project with sqitch.plan)");
	error_is(L "/sqitch-missing", LAYOUT_UP, L "/sqitch-missing/sqitch.plan:5: change 'index_values' "
		 "has no deploy/index_values.sql");
	error_is(L "/sqitch-missing", LAYOUT_DOWN, L "/sqitch-missing/sqitch.plan:5: change 'index_values' "
		 "has no revert/index_values.sql");
	error_is(L "/empty-undo", LAYOUT_DOWN, L "/empty-undo: no undo scripts "
		 "(U<version>__<description>.sql) in this Flyway directory");
	error_is(L "/flyway/U2__rename_back.sql", LAYOUT_UP, L "/flyway/U2__rename_back.sql: a down "
		 "migration or undo script; give it to --down, not --fix");
	error_is(L "/golang/000002_rename_back.up.sql", LAYOUT_DOWN, L "/golang/000002_rename_back.up.sql: "
		 "an up migration; give it to --fix, not --down");
	error_is(L "/none", LAYOUT_UP, "cannot open '" L "/none': No such file or directory");
}

/* The statements of path for direction on SQLite, "sql@file:line" joined by " | ". */
static void stmts_are(const char *path, int direction, const char *want)
{
	struct sql_script s = { 0 };
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	size_t i;

	if (layout_load(path, path, direction, DIALECT_SQLITE, &s, &err)) {
		print_error("%s: %s\n", path, err.buf);
		fail();
	}
	for (i = 0; i < s.nr; i++) {
		const char *f = s.v[i].file ? strrchr(s.v[i].file, '/') + 1 : "-";
		strbuf_addf(&got, "%s%s@%s:%d", i ? " | " : "", s.v[i].sql, f, s.v[i].line);
	}
	if (strcmp(got.buf, want)) {
		print_error("%s:\n  got  %s\n  want %s\n", path, got.buf, want);
		fail();
	}
	sql_script_release(&s);
	strbuf_release(&err);
	strbuf_release(&got);
}

static void test_statements(void **state)
{
	(void)state;
	/* A single plain file: no file names, no transaction added. */
	stmts_are(L "/flyway/V2__rename_back.sql", LAYOUT_UP,
		  "ALTER TABLE kv RENAME COLUMN val TO v@-:3");
	/* dbmate: the up section only, wrapped as dbmate wraps it, lines kept. */
	stmts_are(L "/dbmate-rename-back.sql", LAYOUT_UP,
		  "BEGIN@-:4 | ALTER TABLE kv RENAME COLUMN val TO v@-:4 | "
		  "UPDATE kv SET v = v WHERE k = 1@-:5 | COMMIT@-:5");
	stmts_are(L "/dbmate-rename-back.sql", LAYOUT_DOWN, "DROP TABLE kv@-:8");
	/* A directory: each statement names its file; one statement needs no wrapping. */
	stmts_are(L "/flyway", LAYOUT_UP,
		  "ALTER TABLE kv RENAME COLUMN val TO v@V2__rename_back.sql:3 | "
		  "BEGIN@V3__index_values.sql:1 | CREATE INDEX kv_v ON kv (v)@V3__index_values.sql:1 | "
		  "CREATE INDEX kv_k_v ON kv (k, v)@V3__index_values.sql:2 | "
		  "COMMIT@V3__index_values.sql:2 | "
		  "CREATE VIEW kv_view AS SELECT k, v FROM kv@R__kv_view.sql:1");
	/* sqitch scripts hold their own transactions. */
	stmts_are(L "/sqitch", LAYOUT_DOWN,
		  "BEGIN@index_values.sql:3 | DROP INDEX kv_v@index_values.sql:4 | "
		  "COMMIT@index_values.sql:5 | BEGIN@rename_back.sql:3 | "
		  "ALTER TABLE kv RENAME COLUMN v TO val@rename_back.sql:4 | COMMIT@rename_back.sql:5");
	/* Alembic's offline SQL, without its alembic_version bookkeeping. */
	stmts_are(L "/alembic-downgrade.sql", LAYOUT_DOWN,
		  "BEGIN@-:2 | ALTER TABLE kv RENAME COLUMN val TO v@-:6 | COMMIT@-:10");
}

static void test_dbmate_down_missing(void **state)
{
	struct sql_script s = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;
	/* Up works; a file without a down section cannot be a down migration. */
	assert_int_equal(layout_load(L "/dbmate-no-down", "d", LAYOUT_UP, DIALECT_SQLITE, &s, &err), 0);
	assert_int_equal(s.nr, 1);
	assert_int_equal(layout_load(L "/dbmate-no-down", "d", LAYOUT_DOWN, DIALECT_SQLITE, &s, &err), -1);
	assert_string_equal(err.buf, "d/20240301090000_index.sql: no '-- migrate:down' section");
	assert_int_equal(s.nr, 1);
	sql_script_release(&s);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_gap_is_a_note),
		cmocka_unit_test(test_plain_directory),
		cmocka_unit_test(test_file_versions),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_dbmate_down_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
