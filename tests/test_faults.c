/*
** The tables that describe faults, dialects and drivers: every kind has
** its row in order, the messages for what an engine cannot do are built
** from the rows, and --db targets find their driver.
**
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../sim/base/dialect.h"
#include "../sim/db/db.h"
#include "../sim/input/faults.h"

/* Each kind's name parses back to that kind: the table is in enum order. */
static void every_kind_has_its_row(void **state)
{
	struct strbuf err = STRBUF_INIT;
	int k;
	(void)state;
	for (k = 0; k < FAULT_KINDS; k++) {
		struct fault_list l = { 0 };
		struct strbuf spec = STRBUF_INIT;
		strbuf_addf(&spec, "%s=1", fault_name((enum fault_kind)k));
		/* random takes no argument; the others take 1 (fix-crash's K included). */
		if (fault_parse(k == FAULT_RANDOM ? fault_name(FAULT_RANDOM) : spec.buf, 0, &l, &err))
			fail_msg("%s: %s", spec.buf, err.buf);
		assert_int_equal(l.nr, 1);
		assert_int_equal(l.v[0].kind, k);
		fault_list_release(&l);
		strbuf_release(&spec);
	}
	assert_string_equal(fault_name((enum fault_kind)FAULT_KINDS), "?");
	strbuf_release(&err);
}

/* The unknown-fault message lists every kind, from the table. */
static void unknown_fault_lists_the_table(void **state)
{
	struct fault_list l = { 0 };
	struct strbuf err = STRBUF_INIT;
	int k;
	(void)state;
	assert_int_equal(fault_parse("meteor", 0, &l, &err), -1);
	for (k = 0; k < FAULT_KINDS; k++)
		assert_non_null(strstr(err.buf, fault_name((enum fault_kind)k)));
	assert_non_null(strstr(err.buf, "; timed ones take @TICK"));
	strbuf_release(&err);
}

/* What an engine cannot have is said from the fault's row and the drivers that can. */
static void fits_from_capabilities(void **state)
{
	const struct db_driver *lite = db_driver_find(DIALECT_SQLITE), *pg = db_driver_find(DIALECT_POSTGRES);
	struct fault disk = { FAULT_DISK_FULL, 100, FAULT_AT_FIX };
	struct fault timeout = { FAULT_FIX_TIMEOUT, 50, FAULT_AT_FIX };
	struct fault kill = { FAULT_KILL_CLIENT, 1, FAULT_AT_FIX };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	assert_int_equal(fault_fits(&disk, lite, &err), 0);
	assert_int_equal(fault_fits(&timeout, pg, &err), 0);
	assert_int_equal(fault_fits(&kill, lite, &err), 0);
	assert_int_equal(fault_fits(&kill, pg, &err), 0);
	assert_int_equal(fault_fits(&disk, pg, &err), -1);
	assert_string_equal(err.buf, "disk-full works through SQLite's VFS: it needs --db sqlite");
	assert_int_equal(fault_fits(&timeout, lite, &err), -1);
	assert_string_equal(err.buf, "fix-timeout sets PostgreSQL's statement_timeout: it needs --db "
				     "postgres://... (or postgres:)");
	/* Only the timeline's kinds may stand in a scenario. */
	assert_true(fault_timeline_ok(FAULT_KILL_CLIENT));
	assert_false(fault_timeline_ok(FAULT_FIX_CRASH));
	assert_false(fault_timeline_ok(FAULT_RANDOM));
	strbuf_release(&err);
}

/* --faults random: the seed alone picks, the same each time. */
static void random_faults_follow_the_seed(void **state)
{
	int kinds[2] = { 0, 0 }, none = 0;
	uint64_t seed;
	(void)state;
	for (seed = 1; seed <= 60; seed++) {
		struct fault_list a = { 0 }, b = { 0 };
		fault_list_random(seed, 5, &a);
		fault_list_random(seed, 5, &b);
		assert_int_equal(a.nr, b.nr);
		if (!a.nr) {
			none++;
		} else {
			assert_int_equal(a.v[0].kind, b.v[0].kind);
			assert_int_equal(a.v[0].arg, b.v[0].arg);
			if (a.v[0].kind == FAULT_FIX_CRASH) {
				assert_in_range(a.v[0].arg, 1, 5);
				kinds[0]++;
			} else {
				assert_int_equal(a.v[0].kind, FAULT_KILL_CLIENT);
				kinds[1]++;
			}
		}
		fault_list_release(&a);
		fault_list_release(&b);
	}
	/* All three draws occur over 60 seeds. */
	assert_true(none > 0 && kinds[0] > 0 && kinds[1] > 0);
}

static void dialects_by_name(void **state)
{
	struct strbuf names = STRBUF_INIT;
	int d;
	(void)state;
	for (d = DIALECT_ANY + 1; d < DIALECT_COUNT; d++) {
		const char *n = dialect_name(d);
		assert_true(*n);
		assert_int_equal(dialect_find(n, strlen(n)), d);
		/* Every dialect has its driver, which goes by the dialect's name. */
		assert_non_null(db_driver_find(d));
		assert_string_equal(db_name(db_driver_find(d)), n);
	}
	assert_int_equal(dialect_find("sqlit", 5), -1);
	assert_int_equal(dialect_find("", 0), -1);
	dialect_names(&names, "'", ", ", " or ");
	assert_string_equal(names.buf, "'sqlite' or 'postgres'");
	strbuf_release(&names);
}

/* A --db target finds the driver that takes it; the default takes none. */
static void targets_find_their_driver(void **state)
{
	const struct db_driver *lite = db_driver_find(DIALECT_SQLITE), *pg = db_driver_find(DIALECT_POSTGRES);
	struct strbuf s = STRBUF_INIT;
	(void)state;
	assert_ptr_equal(db_driver_for(NULL), lite);
	assert_ptr_equal(db_driver_for(""), lite);
	assert_ptr_equal(db_driver_for("sqlite"), lite);
	assert_ptr_equal(db_driver_for("postgres://u@h/db"), pg);
	assert_ptr_equal(db_driver_for("postgresql://u@h/db"), pg);
	assert_ptr_equal(db_driver_for("postgres:"), pg);
	assert_null(db_driver_for("postgres"));
	assert_null(db_driver_for("mysql://x"));
	assert_false(db_takes(lite, "postgres://u@h/db"));
	assert_true(db_takes(pg, "postgres://u@h/db"));
	assert_true(db_can(pg, DB_CAP_ASYNC));
	assert_false(db_can(lite, DB_CAP_ASYNC));
	assert_true(db_can(lite, DB_CAP_ONE_WRITER | DB_CAP_IO_FAULTS));
	db_driver_names(DB_CAP_ASYNC, 0, &s);
	assert_string_equal(s.buf, "postgres");
	strbuf_reset(&s);
	db_driver_names(0, 0, &s);
	assert_string_equal(s.buf, "sqlite or postgres");
	strbuf_reset(&s);
	db_target_help(&s);
	assert_string_equal(s.buf, "sqlite, postgres://USER@HOST:PORT/DBNAME or postgres: for the PG* variables");
	strbuf_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_has_its_row),
		cmocka_unit_test(unknown_fault_lists_the_table),
		cmocka_unit_test(fits_from_capabilities),
		cmocka_unit_test(random_faults_follow_the_seed),
		cmocka_unit_test(dialects_by_name),
		cmocka_unit_test(targets_find_their_driver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
