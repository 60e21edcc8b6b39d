/*
** Tests of the scaffold on real databases: the shop fixture (golang-migrate
** on SQLite, and on PostgreSQL with MDRILL_PG_URL) and the PostgreSQL
** types fixture.  The scenario written reads back; its generators respect
** what the catalogue says (UNIQUE, foreign keys, CHECKs, enums): the seed
** loads with no constraint error under every seed from 1 to 20; the key
** choices a reader relies on are in the text; what cannot be generated is
** said, not left out in silence.
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

#include <cmocka.h>

#include "../scoring/scaffold.h"
#include "../scoring/probe.h"
#include "../sim/db/db.h"
#include "../sim/engine/seeder.h"
#include "../sim/input/history.h"
#include "../sim/input/scenario.h"
#include "pgtest.h"

#define F "tests/fixtures/scaffold"

static const char *pg_target(void)
{
	return pgtest_url();
}

/* Scaffold migrations with newmig on drv into res; fails the test on an error. */
static void scaffold(const struct db_driver *drv, const char *target, const char *migrations, const char *newmig,
		     const char *down, struct scaffold_result *res)
{
	struct scaffold_opts o;
	struct strbuf err = STRBUF_INIT;

	memset(&o, 0, sizeof(o));
	o.migrations = migrations;
	o.newmig = newmig;
	o.down = down;
	o.drv = drv;
	o.target = target;
	o.name = "t";
	if (scaffold_run(&o, res, &err))
		fail_msg("scaffold %s: %s", migrations, err.buf);
	strbuf_release(&err);
}

static void contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("the scenario lacks '%s'", want);
}

/*
** Every seed from 1 to 20 loads on drv: a database made, the schema as the
** drill's set-up applies it (the tool's table and records included), the
** seed tried, the database gone.
*/
static void seeds_load(const struct db_driver *drv, const char *target, const char *text)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	uint64_t seed;

	if (scenario_parse("scaffolded.drill", text, NULL, 0, &sc, &err))
		fail_msg("the scaffolded scenario does not parse: %s", err.buf);
	for (seed = 1; seed <= 20; seed++) {
		struct db *db = NULL;
		struct db_conn *c = NULL;
		struct sql_script s = { 0 };
		size_t failed;
		int table = -1;

		assert_int_equal(db_create(drv, target, NULL, &db, &err), 0);
		assert_int_equal(db_connect(drv, db, &c, &err), 0);
		scenario_schema_script(sc, db_dialect(drv), &s);
		if (history_apply(drv, c, sc->history, &s, &failed, &err))
			fail_msg("schema on %s: %s", db_name(drv), err.buf);
		if (seeder_try(sc, drv, c, seed, probe_adopt, &table, &err))
			fail_msg("seed %llu on %s: %s", (unsigned long long)seed, db_name(drv), err.buf);
		sql_script_release(&s);
		db_disconnect(drv, c);
		if (db_destroy(drv, db, 0, NULL, &err))
			fail_msg("cannot drop the database of seed %llu: %s", (unsigned long long)seed, err.buf);
	}
	scenario_free(sc);
	strbuf_release(&err);
}

static void shop_on(const struct db_driver *drv, const char *target)
{
	struct scaffold_result res;

	scaffold(drv, target, F "/golang", F "/new/000006_add_nickname.up.sql", F "/new/000006_add_nickname.down.sql",
		 &res);
	/* The history as its tool keeps it, and what the catalogue said, turned into generators. */
	contains(res.drill.buf, "-- @history golang-migrate\n");
	contains(res.drill.buf, "-- @file 000005_data_version.up.sql\n");
	contains(res.drill.buf, "-- @gen customers.email seq(user#@example.com)\n");           /* UNIQUE */
	contains(res.drill.buf, "-- @gen customers.status pick(active|paused|closed)\n");       /* CHECK IN */
	contains(res.drill.buf, "-- @gen products.title text(64,plain)\n");                      /* length() > 0 */
	contains(res.drill.buf, "-- @gen products.stock int(0,1000)\n");                         /* >= 0 */
	contains(res.drill.buf, "-- @gen order_items.quantity int(1,50)\n");                     /* > 0 AND <= 50 */
	contains(res.drill.buf, "-- @gen order_items.line int(1,100)\n");                        /* BETWEEN */
	contains(res.drill.buf, "-- @gen orders.customer_id int(1,:rows)\n");                    /* a foreign key */
	contains(res.drill.buf, "-- @seed order_items :rows key=order_id,line\n");              /* a composite key */
	contains(res.drill.buf, "SELECT order_id || '|' || line AS k__, product_id, quantity FROM order_items;");
	contains(res.drill.buf, "CAST(active AS INTEGER) AS active");                            /* a boolean */
	/* App new writes the column the new migration adds; the probe reads it. */
	contains(res.drill.buf, "nickname FROM customers;");
	contains(res.drill.buf, "-- @migration down\n");
	/* No delete where a foreign key points at the rows. */
	contains(res.drill.buf, "-- no delete: a foreign key of another table points at its rows\n");
	assert_int_equal(res.ntables, 4);
	assert_string_equal(res.tool, "golang-migrate");
	assert_non_null(strstr(res.notes.buf, "a gap in the versions: 4 comes after 2"));
	seeds_load(drv, target, res.drill.buf);
	scaffold_result_release(&res);
}

static void shop_sqlite(void **state)
{
	(void)state;
	shop_on(db_driver_find(DIALECT_SQLITE), NULL);
}

static void shop_postgres(void **state)
{
	(void)state;
	if (!pg_target())
		skip();
	shop_on(db_driver_find(DIALECT_POSTGRES), pg_target());
}

/* PostgreSQL's own: enums, a domain's CHECK, uuid keys, jsonb, arrays, a key of foreign keys. */
static void types_postgres(void **state)
{
	struct scaffold_result res;
	(void)state;
	if (!pg_target())
		skip();
	scaffold(db_driver_find(DIALECT_POSTGRES), pg_target(), F "/postgres",
		 F "/new/000005_account_region.postgres.up.sql", NULL, &res);
	contains(res.drill.buf, "-- @gen accounts.plan pick(free|team|enterprise)\n");         /* an enum */
	contains(res.drill.buf, "-- @gen accounts.id seq(00000000-0000-4000-8000-############)\n");
	contains(res.drill.buf, "-- @gen invoices.state pick(open|paid|void)\n");              /* OR of = */
	contains(res.drill.buf, "-- @gen account_settings.theme pick(light|dark) nulls=:null_rate\n"); /* IS NULL OR IN: nullable */
	contains(res.drill.buf, "-- @gen account_settings.digest_hour int(0,23)\n");           /* >= AND < */
	contains(res.drill.buf, "-- @gen account_settings.account_id seq(00000000-0000-4000-8000-############)\n");
	contains(res.drill.buf, "-- @gen invoices.account_handle int(1,:rows,user#)\n");       /* to a UNIQUE column */
	contains(res.drill.buf, "-- @gen currencies.code seq(###)\n");                          /* a char(3) key */
	contains(res.drill.buf, "-- @gen invoices.amount decimal(0,");                          /* a domain's CHECK */
	contains(res.drill.buf, "no insert: a foreign key names its parent by a column");
	assert_int_equal(res.ntables, 4);
	seeds_load(db_driver_find(DIALECT_POSTGRES), pg_target(), res.drill.buf);
	scaffold_result_release(&res);
}

/* What cannot be generated is said with its table and column, and marked in the file. */
static void placeholders(void **state)
{
	struct scaffold_result res;
	(void)state;
	scaffold(db_driver_find(DIALECT_SQLITE), NULL, F "/odd.sql", F "/new/000006_add_nickname.up.sql", NULL, &res);
	contains(res.drill.buf, "SCAFFOLD: table 'places' left out: column 'location' has type 'POINT'");
	contains(res.drill.buf, "SCAFFOLD: table 'events' left out: no primary key");
	assert_non_null(strstr(res.notes.buf, "table 'places' left out: column 'location' has type 'POINT'"));
	assert_non_null(strstr(res.notes.buf, "notes.body: CHECK (body GLOB '*x*') is not one mdrill reads"));
	assert_non_null(strstr(res.notes.buf, "notes.shape: type 'POLYGON' has no generator: left to its NULL"));
	assert_false(res.new_failed);
	seeds_load(db_driver_find(DIALECT_SQLITE), NULL, res.drill.buf);
	scaffold_result_release(&res);
}

/* A history that fails: exit 2's message names the file and line and the engine's words. */
static void failing_history(void **state)
{
	struct scaffold_opts o;
	struct scaffold_result res;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&o, 0, sizeof(o));
	o.migrations = F "/broken";
	o.newmig = F "/new/000006_add_nickname.up.sql";
	o.drv = db_driver_find(DIALECT_SQLITE);
	o.name = "t";
	assert_int_equal(scaffold_run(&o, &res, &err), SCAFFOLD_EINPUT);
	assert_non_null(strstr(err.buf, "000002_oops.up.sql:2: the history fails on sqlite: no such table: nosuch"));
	scaffold_result_release(&res);
	strbuf_release(&err);
}

/* A new migration that fails on the history's schema: said, and app new is app old. */
static void failing_new_migration(void **state)
{
	struct scaffold_result res;
	(void)state;
	scaffold(db_driver_find(DIALECT_SQLITE), NULL, F "/golang", F "/new/000005_account_region.postgres.up.sql", NULL,
		 &res);
	assert_true(res.new_failed);
	assert_non_null(strstr(res.notes.buf, "000005_account_region.postgres.up.sql:2: the new migration fails on the "
			       "schema the history leaves, before any row is there: no such table: accounts"));
	scaffold_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shop_sqlite),
		cmocka_unit_test(shop_postgres),
		cmocka_unit_test(types_postgres),
		cmocka_unit_test(placeholders),
		cmocka_unit_test(failing_history),
		cmocka_unit_test(failing_new_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
