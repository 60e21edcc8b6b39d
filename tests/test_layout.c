/*
** Tests of the migration layouts: each tool's directory put in that tool's
** order for both directions (Flyway, golang-migrate, dbmate, sqitch,
** Prisma, Atlas, Liquibase), the errors for an unknown layout (what was
** looked for and what was found), a mixed one, a repeat in the versions,
** a missing sqitch script, an atlas.sum that does not match and a link
** out of the directory, a gap as a note, the versions read in file names,
** and the statements read out of dbmate sections, Liquibase changesets and
** Alembic's offline SQL, each tool's transaction around them.  The
** fixtures are in tests/fixtures/layouts, and the real histories beside
** it.
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

#include "../sim/base/sha256.h"
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
		strbuf_addf(&got, "%s%s", i ? " " : "", l.v[i].name);
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

	/* A directory no tool's layout fits is an error of its own, which scaffold and try fall back from. */
	assert_int_equal(rc == LAYOUT_EUNKNOWN, strstr(want, "looked for") != NULL);
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
	order_is(L "/sqitch", LAYOUT_UP, "sqitch", "rename_back.sql index_values.sql");
	order_is(L "/sqitch", LAYOUT_DOWN, "sqitch", "index_values.sql rename_back.sql");
	/* Prisma: its directories by name, each recorded as its directory. */
	order_is(L "/prisma", LAYOUT_UP, "prisma",
		 "20240301090000_rename_back/migration.sql 20240302090000_index_values/migration.sql");
	/* Atlas: beside atlas.sum, by name. */
	order_is(L "/atlas", LAYOUT_UP, "atlas", "20240301090000_rename_back.sql 20240302090000_index_values.sql");
	/* Liquibase: every changeset in file order, rolled back newest first; a name with white space escaped. */
	order_is(L "/liquibase", LAYOUT_UP, "liquibase", "changelog.sql::1::ana changelog.sql::index-values::Bo%20Li "
		 "changelog.sql::view::ana changelog.sql::postgres-only::ana");
	order_is(L "/liquibase", LAYOUT_DOWN, "liquibase", "changelog.sql::postgres-only::ana changelog.sql::view::ana "
		 "changelog.sql::index-values::Bo%20Li changelog.sql::1::ana");
	order_is(L "/liquibase/changelog.sql", LAYOUT_UP, "liquibase", "changelog.sql::1::ana "
		 "changelog.sql::index-values::Bo%20Li changelog.sql::view::ana changelog.sql::postgres-only::ana");
	/* includeAll: a plain .sql file among formatted ones is one changeset, "raw" by "includeAll". */
	order_is(L "/liquibase-raw", LAYOUT_UP, "liquibase", "001_formatted.sql::2::ana 002_plain.sql::raw::includeAll");
}

/* The real histories beside the synthetic ones open as their tools read them, atlas.sum verified. */
static void test_real_histories(void **state)
{
	(void)state;
	order_is("tests/fixtures/hatchet/migrations", LAYOUT_UP, "atlas",
		 "20240115180414_init.sql 20240122014727_v0_6_0.sql 20240126235456_v0_7_0.sql "
		 "20240129040510_v0_8_0.sql 20240202042355_v0_9_0.sql");
	order_is("tests/fixtures/umami/migrations", LAYOUT_UP, "prisma",
		 "01_init/migration.sql 02_report_schema_session_data/migration.sql 03_metric_performance_index/migration.sql "
		 "04_team_redesign/migration.sql 05_add_visit_id/migration.sql 06_session_data/migration.sql "
		 "07_add_tag/migration.sql 08_add_utm_clid/migration.sql 09_update_hostname_region/migration.sql "
		 "10_add_distinct_id/migration.sql 11_add_segment/migration.sql 12_update_report_parameter/migration.sql");
	order_is("tests/fixtures/edp-ddm-camunda/camunda", LAYOUT_UP, "liquibase",
		 "00030_create-identity.sql::create-identity::platform 00050_create-case-history.sql::create-case-history::platform "
		 "00060_create-decision-engine.sql::create-decision-engine::platform "
		 "00070_create-decision-history.sql::create-decision-history::platform");
	order_is("tests/fixtures/pixie/migrations", LAYOUT_DOWN, "golang-migrate",
		 "000012_user_add_auth_provider_id.down.sql 000010_user_add_identity_provider.down.sql "
		 "000009_org_add_updated_created_at.down.sql 000007_add_enable_approvals_column.down.sql "
		 "000006_add_approved_column.down.sql 000005_create_user_settings_table.down.sql "
		 "000004_add_updated_created_at.down.sql 000003_add_profile_picture.down.sql "
		 "000002_add_unique_constraint_email.down.sql 000001_create_org_user_tables.down.sql");
}

/* SHA-256 and base64 as FIPS 180-4 and RFC 4648 give them: what atlas.sum and Prisma's checksum hold. */
static void test_sha256(void **state)
{
	static const struct { const char *in, *hex, *b64; } cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		  "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		  "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		  "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sha256 c;
		unsigned char d[SHA256_LEN];
		struct strbuf hex = STRBUF_INIT, b64 = STRBUF_INIT;
		sha256_init(&c);
		sha256_add(&c, cases[i].in, strlen(cases[i].in));
		sha256_sum(&c, d);
		sha256_add_hex(&hex, d);
		base64_add(&b64, d, SHA256_LEN);
		assert_string_equal(hex.buf, cases[i].hex);
		assert_string_equal(b64.buf, cases[i].b64);
		strbuf_release(&hex);
		strbuf_release(&b64);
	}
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
	/* Several gaps: one note, not one a gap (a tool that numbers with gaps on purpose is no alarm). */
	assert_int_equal(layout_open(L "/flyway-gaps", L "/flyway-gaps", LAYOUT_UP, &l, &err), 0);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.notes.buf, L "/flyway-gaps: gaps in the versions: 3 comes after 1, 5 comes after 3, "
			    "9 comes after 5 (3 in all; applied in order, as the tool does)\n");
	layout_release(&l);
	/* No gap, no note. */
	assert_int_equal(layout_open(L "/golang", L "/golang", LAYOUT_UP, &l, &err), 0);
	assert_string_equal(l.notes.buf, "");
	layout_release(&l);
	strbuf_release(&err);
}

/*
** Flyway's baseline migrations: on an empty database the newest B file,
** then the versions above it; the V files it stands for, and older
** baselines, are not applied.  Down migrations do not include it.
*/
static void test_flyway_baseline(void **state)
{
	struct layout l;
	struct strbuf err = STRBUF_INIT, v = STRBUF_INIT, d = STRBUF_INIT;

	(void)state;
	assert_int_equal(layout_open(L "/flyway-baseline", L "/flyway-baseline", LAYOUT_UP, &l, &err), 0);
	assert_string_equal(l.kind, "flyway");
	assert_int_equal(l.nr, 2);
	assert_non_null(strstr(l.v[0].path, "/B2__baseline.sql"));
	assert_non_null(strstr(l.v[1].path, "/V3__index.sql"));
	assert_non_null(strstr(l.notes.buf, "Flyway's baseline B2__baseline.sql: the versions up to 2 come from it"));
	layout_release(&l);
	assert_int_equal(layout_open(L "/flyway-baseline", L "/flyway-baseline", LAYOUT_DOWN, &l, &err), 0);
	assert_int_equal(l.nr, 1);
	assert_non_null(strstr(l.v[0].path, "/U3__index.sql"));
	layout_release(&l);
	assert_int_equal(layout_file_version("B2__baseline.sql", &v, &d), 0);
	assert_string_equal(v.buf, "2");
	strbuf_release(&v);
	strbuf_release(&d);
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
		{ "01_init/migration.sql", "1", "init", 0 },
		{ "20240301090000_rename_back/migration.sql", "20240301090000", "rename_back", 0 },
		{ "changelog.sql::index-values::Bo%20Li", "index-values", "Bo Li", 0 },
		{ "migration.sql", "", "", -1 },
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
	assert_int_equal(layout_open(dir, dir, LAYOUT_UP, &l, &err), LAYOUT_EUNKNOWN);  /* --fix wants a tool's naming */
	assert_non_null(strstr(err.buf, "fits no tool's naming"));
	assert_int_equal(layout_open_plain(dir, dir, &l, &err), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(strrchr(l.v[0].shown, '/') + 1, "1_customers.sql");
	assert_string_equal(strrchr(l.v[1].shown, '/') + 1, "2_products.sql");
	assert_string_equal(strrchr(l.v[2].shown, '/') + 1, "10_orders.sql");
	layout_release(&l);
	assert_int_equal(layout_open_plain(L "/none", L "/none", &l, &err), -1);
	layout_release(&l);
	/* Nested: every .sql file below, by its path, a number by its value. */
	assert_int_equal(layout_open_plain(L "/plain-nested", "p", &l, &err), 0);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.v[0].shown, "p/10_root.sql");
	assert_string_equal(l.v[1].shown, "p/2024/01/1_a.sql");
	assert_string_equal(l.v[2].shown, "p/2024/01/2_b.sql");
	assert_string_equal(l.v[3].shown, "p/2024/10/1_c.sql");
	layout_release(&l);
	strbuf_release(&err);
}

/*
** A symbolic link that leads out of the directory is refused, in a
** tool's directory, a plain one and as a file of its own; one that stays
** inside is read.
*/
static void test_links_out(void **state)
{
	char dir[] = "/tmp/mdrill-layout-XXXXXX";
	struct strbuf p = STRBUF_INIT, q = STRBUF_INIT, err = STRBUF_INIT;
	struct sql_script s = { 0 };
	struct layout l;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/000001_a.up.sql", dir);
	assert_non_null(f = fopen(p.buf, "w"));
	fputs("CREATE TABLE a (id INTEGER);\n", f);
	fclose(f);
	strbuf_addf(&q, "%s/000002_b.up.sql", dir);
	assert_int_equal(symlink("/etc/passwd", q.buf), 0);
	assert_int_equal(layout_open(dir, "m", LAYOUT_UP, &l, &err), -1);
	assert_string_equal(err.buf, "m/000002_b.up.sql: a symbolic link that leads out of its directory: refused "
			    "(mdrill reads only the files inside the directory it is given)");
	assert_int_equal(layout_open_plain(dir, "m", &l, &err), -1);
	assert_int_equal(layout_load(q.buf, "m/000002_b.up.sql", LAYOUT_UP, DIALECT_SQLITE, &s, &err), -1);
	assert_non_null(strstr(err.buf, "a symbolic link that leads out of its directory"));
	/* A link to a file beside it is read. */
	unlink(q.buf);
	assert_int_equal(symlink("000001_a.up.sql", q.buf), 0);
	assert_int_equal(layout_load(q.buf, "b", LAYOUT_UP, DIALECT_SQLITE, &s, &err), 0);
	assert_int_equal(s.nr, 1);
	unlink(q.buf);
	unlink(p.buf);
	rmdir(dir);
	sql_script_release(&s);
	strbuf_release(&p);
	strbuf_release(&q);
	strbuf_release(&err);
}

static void test_errors(void **state)
{
	(void)state;
	error_is(L "/flyway-dup", LAYOUT_UP, L "/flyway-dup: version 1 twice ('V1.0__again.sql' and "
		 "'V1__first.sql')");
	error_is(L "/mixed", LAYOUT_UP, L "/mixed: mixes golang-migrate and Flyway files ('V1__flyway.sql'); "
		 "expected one tool's layout");
	/* No tool's layout: what was looked for and what is there, and the fallback of scaffold and try. */
	error_is(L "/unknown", LAYOUT_UP, L "/unknown: not a migration layout mdrill knows: 'fix.sql' fits no "
		 "tool's naming (found 1 .sql file; looked for Flyway V<version>__<description>.sql (U... undo, B... baseline, "
		 "R__... repeatable), golang-migrate <version>_<description>.up.sql and .down.sql, dbmate "
		 "<version>_<description>.sql with '-- migrate:up', a sqitch project (sqitch.plan), Prisma "
		 "<timestamp>_<name>/migration.sql with migration_lock.toml, Atlas <version>_<name>.sql with "
		 "atlas.sum, and Liquibase formatted SQL ('--liquibase formatted sql' as the first line); mdrill "
		 "scaffold and try read a directory of plain .sql files, nested or not, in name order)");
	error_is(L "/plain-nested", LAYOUT_UP, L "/plain-nested: not a migration layout mdrill knows: '10_root.sql' "
		 "fits no tool's naming (found 1 .sql file, 1 directory (1 holding .sql files); looked for Flyway "
		 "V<version>__<description>.sql (U... undo, B... baseline, R__... repeatable), golang-migrate "
		 "<version>_<description>.up.sql and .down.sql, dbmate <version>_<description>.sql with '-- "
		 "migrate:up', a sqitch project (sqitch.plan), Prisma <timestamp>_<name>/migration.sql with "
		 "migration_lock.toml, Atlas <version>_<name>.sql with atlas.sum, and Liquibase formatted SQL "
		 "('--liquibase formatted sql' as the first line); mdrill scaffold and try read a directory of "
		 "plain .sql files, nested or not, in name order)");
	/* Atlas refuses a directory atlas.sum does not match, naming the file. */
	error_is(L "/atlas-bad", LAYOUT_UP, L "/atlas-bad/atlas.sum: checksum mismatch at "
		 "'20240302090000_index_values.sql': it, or a file before it, changed since atlas.sum was written");
	error_is(L "/atlas", LAYOUT_DOWN, L "/atlas: an Atlas directory has no down migrations (give the down "
		 "migration as a .sql file)");
	error_is(L "/prisma", LAYOUT_DOWN, L "/prisma: a Prisma Migrate directory has no down migrations (give the "
		 "down migration as a .sql file)");
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

/* The statements of path for direction on dialect, "sql@file:line" joined by " | ". */
static void stmts_on(const char *path, int direction, int dialect, const char *want)
{
	struct sql_script s = { 0 };
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	size_t i;

	if (layout_load(path, path, direction, dialect, &s, &err)) {
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

static void stmts_are(const char *path, int direction, const char *want)
{
	stmts_on(path, direction, DIALECT_SQLITE, want);
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
	/* Prisma adds no transaction; PostgreSQL runs a file of several statements as one, SQLite does not. */
	stmts_on(L "/prisma", LAYOUT_UP, DIALECT_SQLITE,
		 "ALTER TABLE kv RENAME COLUMN val TO v@migration.sql:2 | CREATE INDEX kv_v ON kv (v)@migration.sql:2 | "
		 "CREATE INDEX kv_k_v ON kv (k, v)@migration.sql:5");
	stmts_on(L "/prisma", LAYOUT_UP, DIALECT_POSTGRES,
		 "ALTER TABLE kv RENAME COLUMN val TO v@migration.sql:2 | BEGIN@migration.sql:2 | "
		 "CREATE INDEX kv_v ON kv (v)@migration.sql:2 | CREATE INDEX kv_k_v ON kv (k, v)@migration.sql:5 | "
		 "COMMIT@migration.sql:5");
	/* Atlas runs each file in a transaction unless its header says atlas:txmode none. */
	stmts_are(L "/atlas", LAYOUT_UP,
		  "ALTER TABLE kv RENAME COLUMN val TO v@20240301090000_rename_back.sql:2 | "
		  "CREATE INDEX kv_v ON kv (v)@20240302090000_index_values.sql:3 | "
		  "CREATE INDEX kv_k_v ON kv (k, v)@20240302090000_index_values.sql:4");
	/*
	** Liquibase: each changeset at its lines in the file, in its own
	** transaction unless runInTransaction:false; endDelimiter honoured,
	** ignored lines left out, a changeset for another dbms not run.
	*/
	stmts_are(L "/liquibase/changelog.sql", LAYOUT_UP,
		  "ALTER TABLE kv RENAME COLUMN val TO v@changelog.sql:5 | CREATE INDEX kv_v ON kv (v)@changelog.sql:9 | "
		  "CREATE INDEX kv_k_v ON kv (k, v)@changelog.sql:10 | "
		  "CREATE VIEW kv_view AS SELECT k, v FROM kv@changelog.sql:17");
	stmts_on(L "/liquibase/changelog.sql", LAYOUT_UP, DIALECT_POSTGRES,
		 "ALTER TABLE kv RENAME COLUMN val TO v@changelog.sql:5 | CREATE INDEX kv_v ON kv (v)@changelog.sql:9 | "
		 "CREATE INDEX kv_k_v ON kv (k, v)@changelog.sql:10 | "
		 "CREATE VIEW kv_view AS SELECT k, v FROM kv@changelog.sql:17 | "
		 "COMMENT ON TABLE kv IS 'keys and values'@changelog.sql:25");
	/* Rolled back newest first: '--rollback' lines and a rollback block, each at its own line. */
	stmts_are(L "/liquibase/changelog.sql", LAYOUT_DOWN,
		  "DROP VIEW kv_view@changelog.sql:22 | DROP INDEX kv_k_v@changelog.sql:12 | "
		  "DROP INDEX kv_v@changelog.sql:13 | ALTER TABLE kv RENAME COLUMN v TO val@changelog.sql:6");
}

/* A changeset without a rollback cannot be a down migration, as Liquibase cannot roll it back. */
static void test_liquibase_no_rollback(void **state)
{
	struct sql_script s = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(layout_load(L "/liquibase-raw", "r", LAYOUT_DOWN, DIALECT_SQLITE, &s, &err), -1);
	assert_string_equal(err.buf, "r/002_plain.sql: a plain .sql file in a Liquibase directory (a 'raw' "
			    "changeset) has no rollback");
	assert_int_equal(layout_load("tests/fixtures/edp-ddm-camunda/camunda/00030_create-identity.sql", "c.sql",
				     LAYOUT_DOWN, DIALECT_SQLITE, &s, &err), -1);
	assert_string_equal(err.buf, "c.sql:18: changeset 'create-identity' by 'platform' has no '--rollback' "
			    "(Liquibase cannot roll it back)");
	assert_int_equal(s.nr, 0);
	strbuf_release(&err);
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
		cmocka_unit_test(test_flyway_baseline),
		cmocka_unit_test(test_plain_directory),
		cmocka_unit_test(test_file_versions),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_dbmate_down_missing),
		cmocka_unit_test(test_real_histories),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_links_out),
		cmocka_unit_test(test_liquibase_no_rollback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
