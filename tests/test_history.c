/*
** Tests of history_apply: a history applied as its tool applies it, on
** real SQLite files and, with MDRILL_PG_URL, on the throwaway PostgreSQL
** server.  Each tool's table is made as the tool makes it (golang-migrate,
** Flyway, dbmate, Prisma, Atlas, Liquibase) and holds, after the history,
** what the tool would have written there; a migration of the history that
** alters that table applies; a failing statement is named by its index.
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

#include "../sim/base/alloc.h"
#include "../sim/db/db.h"
#include "../sim/input/history.h"
#include "pgtest.h"

static int row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct strbuf *sb = ctx;
	int i;
	(void)names;
	for (i = 0; i < ncol; i++)
		strbuf_addf(sb, "%s%s", i ? "," : "", vals[i] ? vals[i] : "NULL");
	strbuf_addch(sb, ';');
	return 0;
}

static void add(struct sql_script *s, const char *file, const char *sql)
{
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	memset(&s->v[s->nr], 0, sizeof(s->v[0]));
	s->v[s->nr].sql = xstrdup(sql);
	s->v[s->nr].file = file ? xstrdup(file) : NULL;
	s->v[s->nr].line = (int)s->nr + 1;
	s->nr++;
}

/* Apply script with tool on a fresh database of drv, then run query: its rows, or "FAILED@i: message". */
static void apply_and_read(const struct db_driver *drv, const char *target, int tool, const struct sql_script *s,
			   const char *query, struct strbuf *out)
{
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct strbuf err = STRBUF_INIT;
	size_t failed;
	int cls;

	assert_int_equal(db_create(drv, target, NULL, &db, &err), 0);
	assert_int_equal(db_connect(drv, db, &c, &err), 0);
	if (history_apply(drv, c, tool, s, &failed, &err))
		strbuf_addf(out, "FAILED@%zu", failed);
	else if (query && db_exec_now(drv, c, query, 0, NULL, row, out, &cls, &err))
		strbuf_addf(out, "QUERY: %s", err.buf);
	db_disconnect(drv, c);
	assert_int_equal(db_destroy(drv, db, 0, NULL, &err), 0);
	strbuf_release(&err);
}

static const char *pg_target(void)
{
	return pgtest_url();
}

/* Each engine: SQLite always, PostgreSQL with a server. */
static void each_engine(void (*fn)(const struct db_driver *drv, const char *target))
{
	fn(db_driver_find(DIALECT_SQLITE), NULL);
	if (pg_target())
		fn(db_driver_find(DIALECT_POSTGRES), pg_target());
}

/* golang-migrate: one row, the last version, clean; a migration may add a column to it. */
static void golang_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "000001_kv.up.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "000003_data_version.up.sql", "ALTER TABLE schema_migrations ADD COLUMN data_version INTEGER");
	add(&s, "000003_data_version.up.sql", "UPDATE schema_migrations SET data_version = 7");
	add(&s, "000004_more.up.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY)");
	apply_and_read(drv, target, HISTORY_GOLANG_MIGRATE, &s,
		       "SELECT version, CASE WHEN dirty THEN 'dirty' ELSE 'clean' END, data_version "
		       "FROM schema_migrations", &out);
	/* Rewritten after file 4, as golang-migrate does: the data version it set went with the row. */
	assert_string_equal(out.buf, "4,clean,NULL;");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void golang_migrate_table(void **state)
{
	(void)state;
	each_engine(golang_on);
}

/* Flyway: a row per script, ranked, versioned ones with their version, repeatable ones without. */
static void flyway_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "V1__create_kv.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "V1_1__add_v.sql", "ALTER TABLE kv ADD COLUMN v TEXT");
	add(&s, "R__kv_view.sql", "CREATE VIEW kv_view AS SELECT id FROM kv");
	apply_and_read(drv, target, HISTORY_FLYWAY, &s,
		       "SELECT installed_rank, version, description, script, installed_by, "
		       "CASE WHEN success THEN 'ok' ELSE 'failed' END FROM flyway_schema_history "
		       "ORDER BY installed_rank", &out);
	assert_string_equal(out.buf, "1,1,create kv,V1__create_kv.sql,mdrill,ok;"
			    "2,1.1,add v,V1_1__add_v.sql,mdrill,ok;"
			    "3,NULL,kv view,R__kv_view.sql,mdrill,ok;");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void flyway_table(void **state)
{
	(void)state;
	each_engine(flyway_on);
}

static void dbmate_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "20240301090000_kv.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "20240302090000_v.sql", "ALTER TABLE kv ADD COLUMN v TEXT");
	apply_and_read(drv, target, HISTORY_DBMATE, &s, "SELECT version FROM schema_migrations ORDER BY version",
		       &out);
	assert_string_equal(out.buf, "20240301090000;20240302090000;");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void dbmate_table(void **state)
{
	(void)state;
	each_engine(dbmate_on);
}

/* Prisma: a finished row per migration, named by its directory, its id and checksum repeatable. */
static void prisma_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "20240301090000_init/migration.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "20240301090000_init/migration.sql", "CREATE INDEX kv_id ON kv (id)");
	add(&s, "20240302090000_v/migration.sql", "ALTER TABLE kv ADD COLUMN v TEXT");
	apply_and_read(drv, target, HISTORY_PRISMA, &s,
		       "SELECT migration_name, applied_steps_count, length(checksum), length(id), "
		       "CASE WHEN finished_at IS NOT NULL AND rolled_back_at IS NULL THEN 'done' ELSE '?' END "
		       "FROM _prisma_migrations ORDER BY migration_name", &out);
	assert_string_equal(out.buf, "20240301090000_init,1,64,36,done;20240302090000_v,1,64,36,done;");
	/* The id is drawn from the name, shaped as a version 4 uuid. */
	strbuf_reset(&out);
	apply_and_read(drv, target, HISTORY_PRISMA, &s, "SELECT id FROM _prisma_migrations ORDER BY migration_name",
		       &out);
	assert_int_equal(out.buf[14], '4');
	sql_script_release(&s);
	strbuf_release(&out);
}

static void prisma_table(void **state)
{
	(void)state;
	each_engine(prisma_on);
}

/* Atlas: a revision per file, executed in full, its statements counted. */
static void atlas_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "20240301090000_init.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "20240301090000_init.sql", "CREATE INDEX kv_id ON kv (id)");
	add(&s, "20240302090000_add_v.sql", "ALTER TABLE kv ADD COLUMN v TEXT");
	apply_and_read(drv, target, HISTORY_ATLAS, &s,
		       "SELECT version, description, type, applied, total, operator_version, length(hash) "
		       "FROM atlas_schema_revisions ORDER BY version", &out);
	assert_string_equal(out.buf, "20240301090000,init,2,2,2,mdrill,44;20240302090000,add_v,2,1,1,mdrill,44;");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void atlas_table(void **state)
{
	(void)state;
	each_engine(atlas_on);
}

/* Liquibase: a row per changeset in DATABASECHANGELOG, in order; the lock made and free. */
static void liquibase_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "db/changes.sql::1::ana", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "db/changes.sql::add%20v::Bo%20Li", "ALTER TABLE kv ADD COLUMN v TEXT");
	add(&s, "db/changes.sql::add%20v::Bo%20Li", "UPDATE databasechangeloglock SET lockedby = NULL");
	apply_and_read(drv, target, HISTORY_LIQUIBASE, &s,
		       "SELECT id, author, filename, orderexecuted, exectype, description FROM databasechangelog "
		       "ORDER BY orderexecuted", &out);
	assert_string_equal(out.buf, "1,ana,db/changes.sql,1,EXECUTED,sql;add v,Bo Li,db/changes.sql,2,EXECUTED,sql;");
	strbuf_reset(&out);
	apply_and_read(drv, target, HISTORY_LIQUIBASE, &s,
		       "SELECT id, CASE WHEN locked THEN 'locked' ELSE 'free' END FROM databasechangeloglock", &out);
	assert_string_equal(out.buf, "1,free;");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void liquibase_table(void **state)
{
	(void)state;
	each_engine(liquibase_on);
}

/* No tool, and sqitch (whose registry lives elsewhere): no table of theirs. */
static void none_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;
	int tools[] = { HISTORY_NONE, HISTORY_SQITCH };
	size_t i;

	add(&s, "deploy/kv.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	for (i = 0; i < 2; i++) {
		strbuf_reset(&out);
		apply_and_read(drv, target, tools[i], &s, "SELECT count(*) FROM kv", &out);
		assert_string_equal(out.buf, "0;");
		strbuf_reset(&out);
		apply_and_read(drv, target, tools[i], &s, "SELECT count(*) FROM schema_migrations", &out);
		assert_true(!strncmp(out.buf, "QUERY: ", 7));
	}
	sql_script_release(&s);
	strbuf_release(&out);
}

static void no_tool_no_table(void **state)
{
	(void)state;
	each_engine(none_on);
}

/* A refused statement: its index, and nothing after it ran. */
static void failure_on(const struct db_driver *drv, const char *target)
{
	struct sql_script s = { 0 };
	struct strbuf out = STRBUF_INIT;

	add(&s, "000001_kv.up.sql", "CREATE TABLE kv (id INTEGER PRIMARY KEY)");
	add(&s, "000002_bad.up.sql", "ALTER TABLE nosuch ADD COLUMN x INTEGER");
	add(&s, "000003_more.up.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY)");
	apply_and_read(drv, target, HISTORY_GOLANG_MIGRATE, &s, NULL, &out);
	assert_string_equal(out.buf, "FAILED@1");
	sql_script_release(&s);
	strbuf_release(&out);
}

static void failure_is_named(void **state)
{
	(void)state;
	each_engine(failure_on);
}

static void names_and_tables(void **state)
{
	struct strbuf names = STRBUF_INIT;
	(void)state;
	assert_int_equal(history_tool_find("golang-migrate"), HISTORY_GOLANG_MIGRATE);
	assert_int_equal(history_tool_find("flyway"), HISTORY_FLYWAY);
	assert_int_equal(history_tool_find("liquibase"), HISTORY_LIQUIBASE);
	assert_int_equal(history_tool_find("alembic"), -1);
	assert_int_equal(history_tool_of_layout("prisma"), HISTORY_PRISMA);
	assert_int_equal(history_tool_of_layout("atlas"), HISTORY_ATLAS);
	assert_int_equal(history_tool_of_layout("dbmate"), HISTORY_DBMATE);
	assert_int_equal(history_tool_of_layout("sql"), HISTORY_NONE);
	/* mdrill's own record keeps clear of a tool's schema_migrations. */
	assert_string_equal(history_own_table(HISTORY_NONE), "schema_migrations");
	assert_string_equal(history_own_table(HISTORY_GOLANG_MIGRATE), "mdrill_history");
	assert_string_equal(history_own_table(HISTORY_SQITCH), "mdrill_history");
	assert_null(history_tool_table(HISTORY_SQITCH));
	history_tool_names(&names);
	assert_string_equal(names.buf, "'golang-migrate', 'flyway', 'dbmate', 'sqitch', 'prisma', 'atlas' or 'liquibase'");
	/* The tools' tables are none of the application's. */
	assert_true(history_is_tool_table("_prisma_migrations"));
	assert_true(history_is_tool_table("DATABASECHANGELOGLOCK"));
	assert_true(history_is_tool_table("atlas_schema_revisions"));
	assert_true(history_is_tool_table("mdrill_history"));
	assert_false(history_is_tool_table("customers"));
	strbuf_release(&names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_tables),
		cmocka_unit_test(golang_migrate_table),
		cmocka_unit_test(flyway_table),
		cmocka_unit_test(dbmate_table),
		cmocka_unit_test(prisma_table),
		cmocka_unit_test(atlas_table),
		cmocka_unit_test(liquibase_table),
		cmocka_unit_test(no_tool_no_table),
		cmocka_unit_test(failure_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
