/*
** Tests of lint_run on real SQLite files (and on the throwaway PostgreSQL
** server when MDRILL_PG_URL names one): the tiny fixture comes out clean,
** step by step; scenarios broken on purpose (a bad migration the engine
** refuses, a schema that does not run, a probe of no table, a down
** migration that fails with and without '-- @expect down=fail') name the
** step, the line and the engine's message; and what a drill would score
** against a right fix (a probe short of a '@writes' field, an undeclared
** write, a column no schema has) is found before any drill runs.
**
** SPDX-License-Identifier: MIT
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../scoring/lint.h"
#include "../sim/base/strbuf.h"
#include "pgtest.h"

#define TINY "tests/fixtures/tiny/scenario.drill"

static char tmpdir[] = "/tmp/mdrill-lint-XXXXXX";
static char drill_path[sizeof(tmpdir) + 16];

static int make_tmpdir(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(drill_path, sizeof(drill_path), "%s/s.drill", tmpdir);
	return 0;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	unlink(drill_path);
	return rmdir(tmpdir);
}

/* tiny's text with the line starting with from replaced by to (appended when from is NULL). */
static void write_tiny(const char *from, const char *to)
{
	FILE *in = fopen(TINY, "rb"), *out = fopen(drill_path, "wb");
	char line[512];
	int replaced = 0;

	assert_non_null(in);
	assert_non_null(out);
	while (fgets(line, sizeof(line), in)) {
		if (from && !replaced && !strncmp(line, from, strlen(from))) {
			fputs(to, out);
			replaced = 1;
		} else {
			fputs(line, out);
		}
	}
	if (!from)
		fputs(to, out);
	assert_true(replaced || !from);
	assert_int_equal(fclose(in), 0);
	assert_int_equal(fclose(out), 0);
}

/* The step called what, which must be there. */
static const struct lint_step *step(const struct lint_result *r, const char *what)
{
	size_t i;
	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->v[i].what, what))
			return &r->v[i];
	fail_msg("no step '%s'", what);
	return NULL;
}

static void lint_file(const char *path, const struct db_driver *drv, const char *target, struct lint_result *r)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;

	if (scenario_load(path, NULL, 0, &sc, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(lint_run(sc, drv, target, 1, NULL, r, &err), 0);
	scenario_free(sc);
	strbuf_release(&err);
}

static const struct db_driver *sqlite(void)
{
	return db_driver_find(DIALECT_SQLITE);
}

/* tiny, on one engine: every step runs, in the drill's order, and nothing is wrong. */
static void check_tiny_clean(const struct db_driver *drv, const char *target)
{
	static const char *const order[] = { "schema", "seed", "migration bad", "probe kv", "down migration" };
	struct lint_result r;
	size_t i;

	lint_file(TINY, drv, target, &r);
	assert_int_equal(r.problems, 0);
	assert_int_equal(r.nr, 5);
	for (i = 0; i < r.nr; i++) {
		assert_string_equal(r.v[i].what, order[i]);
		assert_int_equal(r.v[i].status, LINT_OK);
		assert_null(r.v[i].error);
	}
	assert_int_equal(step(&r, "schema")->line, 15);
	assert_int_equal(step(&r, "migration bad")->statements, 1);
	/* Before the fix, v is called val: the probe reads it as NULL, which is said, not a problem. */
	assert_non_null(step(&r, "probe kv")->note);
	assert_non_null(strstr(step(&r, "probe kv")->note, "'v'"));
	lint_result_release(&r);
}

static void tiny_is_clean(void **state)
{
	(void)state;
	check_tiny_clean(sqlite(), NULL);
}

static void bad_migration_refused(void **state)
{
	struct lint_result r;
	const struct lint_step *st;
	(void)state;

	write_tiny("ALTER TABLE kv RENAME COLUMN v TO val;", "ALTER TABLE kv RENAME COLUMN nope TO val;\n");
	lint_file(drill_path, sqlite(), NULL, &r);
	assert_int_equal(r.problems, 2);
	st = step(&r, "migration bad");
	assert_int_equal(st->status, LINT_FAILED);
	assert_int_equal(st->line, 29);
	assert_int_equal(st->failed, 1);
	assert_non_null(strstr(st->error, "nope"));
	/* The rest still runs: the probe finds v, since the rename never happened. */
	assert_int_equal(step(&r, "probe kv")->status, LINT_OK);
	assert_null(step(&r, "probe kv")->note);
	/* ... and the down migration, renaming a val that is not there, fails unexpected. */
	assert_int_equal(step(&r, "down migration")->status, LINT_FAILED);
	lint_result_release(&r);
}

/* The down migration of tiny replaced by down, with expect after it; its step's status, and the problems. */
static void lint_down(const char *down, const char *expect, int status, size_t problems)
{
	struct strbuf to = STRBUF_INIT;
	struct lint_result r;
	const struct lint_step *st;

	strbuf_addf(&to, "%s\n\n%s\n", down, expect);
	write_tiny("ALTER TABLE kv RENAME COLUMN val TO v;", to.buf);
	lint_file(drill_path, sqlite(), NULL, &r);
	st = step(&r, "down migration");
	if (st->status != status || r.problems != problems)
		fail_msg("down '%s' with '%s': status %d, %zu problems; wanted %d, %zu", down, expect, st->status,
			 r.problems, status, problems);
	assert_int_equal(st->line, 32);
	assert_non_null(st->error);
	lint_result_release(&r);
	strbuf_release(&to);
}

static void down_failure_as_expected(void **state)
{
	static const char dup[] = "INSERT INTO kv (k, val) VALUES (1, 'again');";
	(void)state;

	/* A key the seed holds: a down that fails, as down migrations do. */
	lint_down(dup, "", LINT_FAILED, 1);
	/* '-- @expect down=fail' is about its drill's verdict: it does not say it cannot apply. */
	lint_down(dup, "-- @expect down=fail", LINT_FAILED, 1);
	/* Where the scenario says it does not apply: shown, no problem. */
	lint_down(dup, "-- @expect down_apply=fail", LINT_EXPECTED, 0);
	lint_down(dup, "-- @expect down_apply=fail:unique sqlite", LINT_EXPECTED, 0);
	/* A statement that names what is not there, or does not parse, is the scenario's mistake, expected or not. */
	lint_down("ALTER TABLE kv DROP COLUMN nope;", "-- @expect down_apply=fail", LINT_FAILED, 1);
	lint_down("ALTER TABLE kv DROPP COLUMN val;", "-- @expect down_apply=fail", LINT_FAILED, 1);
}

static void schema_refused_stops(void **state)
{
	struct lint_result r;
	const struct lint_step *st;
	(void)state;

	write_tiny("CREATE TABLE kv", "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID WITHOUT;\n");
	lint_file(drill_path, sqlite(), NULL, &r);
	st = step(&r, "schema");
	assert_int_equal(st->status, LINT_FAILED);
	assert_int_equal(st->line, 15);
	assert_non_null(strstr(st->error, "syntax error"));
	assert_int_equal(r.problems, 1);
	/* Nothing else can run without it, and that is said once. */
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.v[1].status, LINT_SKIPPED);
	lint_result_release(&r);
}

static void probe_of_no_table(void **state)
{
	struct lint_result r;
	const struct lint_step *st;
	(void)state;

	write_tiny("SELECT k, v FROM kv;", "SELECT k, v FROM kvs;\n");
	lint_file(drill_path, sqlite(), NULL, &r);
	st = step(&r, "probe kv");
	assert_int_equal(st->status, LINT_FAILED);
	assert_int_equal(st->line, 41);
	assert_non_null(strstr(st->error, "kvs"));
	assert_int_equal(r.problems, 1);
	lint_result_release(&r);
}

/* The one problem of r, whose error holds what. */
static const struct lint_step *problem(const struct lint_result *r, const char *what)
{
	size_t i;
	for (i = 0; i < r->nr; i++)
		if (r->v[i].status == LINT_FAILED && r->v[i].error && strstr(r->v[i].error, what))
			return &r->v[i];
	fail_msg("no problem saying '%s'", what);
	return NULL;
}

/*
** What a drill would score against a right fix, found before it runs:
** each case is tiny with one line changed, the step that says so, and
** what it says.  By hand: the probe reads k and v; the app's one insert
** writes both, declared by its '@writes' line; the timeline's schemas
** have v, then val.
*/
static void what_a_drill_would_score(void **state)
{
	static const struct {
		const char *from, *to, *step, *says;
	} cases[] = {
		/* A probe that lacks a column '@writes' declares: every value a lost field. */
		{ "SELECT k, v FROM kv;", "SELECT k FROM kv;\n", "probe kv", "reads no column v" },
		/* A write '@writes' does not declare: its values corrupted. */
		{ "-- @writes kv key=:k v=:v", "-- @writes kv key=:k\n", "app v1 add", "sets kv.v, which the probe reads" },
		{ "-- @writes kv key=:k v=:v", "\n", "app v1 add", "writes kv, and no '-- @writes kv' line" },
		/* A column no schema of the timeline has: failures whatever the fix. */
		{ "INSERT INTO kv", "INSERT INTO kv (k, vv) VALUES (:k, :v);\n", "app v1 add",
		  "names what no schema of the timeline has" },
	};
	struct lint_result r;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lint_step *st;
		write_tiny(cases[i].from, cases[i].to);
		lint_file(drill_path, sqlite(), NULL, &r);
		if (r.problems != 1)
			fail_msg("case %zu: %zu problems, wanted 1", i, r.problems);
		st = problem(&r, cases[i].says);
		assert_string_equal(st->what, cases[i].step);
		lint_result_release(&r);
	}
	/* A cast to an integer in a migration: said, no problem; a column alias is no cast. */
	write_tiny("ALTER TABLE kv RENAME COLUMN v TO val;",
		   "ALTER TABLE kv RENAME COLUMN v TO val;\nUPDATE kv SET val = CAST(length(val) * 1.5 AS INTEGER);\n");
	lint_file(drill_path, sqlite(), NULL, &r);
	assert_int_equal(r.problems, 0);
	assert_non_null(step(&r, "migration bad")->note);
	assert_non_null(strstr(step(&r, "migration bad")->note, "one engine only"));
	lint_result_release(&r);
	write_tiny("ALTER TABLE kv RENAME COLUMN v TO val;",
		   "ALTER TABLE kv RENAME COLUMN v TO val;\nCREATE VIEW kv_ints AS SELECT k AS int FROM kv;\n");
	lint_file(drill_path, sqlite(), NULL, &r);
	assert_null(step(&r, "migration bad")->note);
	lint_result_release(&r);
}

static void postgres_tiny_is_clean(void **state)
{
	const char *url = pgtest_url_or_skip();
	(void)state;
	check_tiny_clean(db_driver_find(DIALECT_POSTGRES), url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tiny_is_clean),
		cmocka_unit_test(bad_migration_refused),
		cmocka_unit_test(down_failure_as_expected),
		cmocka_unit_test(schema_refused_stops),
		cmocka_unit_test(probe_of_no_table),
		cmocka_unit_test(what_a_drill_would_score),
		cmocka_unit_test(postgres_tiny_is_clean),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
