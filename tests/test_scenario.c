/*
** Tests of the .drill parser: the shipped phone-not-null scenario, a small
** scenario that uses every directive, malformed files that must fail with
** the right FILE:LINE, and gen_parse on each generator form.
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

#include "../sim/input/scenario.h"
#include "../sim/base/sqltext.h"
#include "../sim/base/strbuf.h"

#define PHONE "scenarios/phone-not-null/scenario.drill"

/* A directory of our own under /tmp for the scenarios the tests write. */
static char tmpdir[] = "/tmp/mdrill-scenario-XXXXXX";
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

/* Write text to the scenario file and load it. */
static int load_text(const char *text, const struct param_set *sets, size_t nsets,
		     struct scenario **sc, struct strbuf *err)
{
	FILE *f = fopen(drill_path, "wb");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	return scenario_load(drill_path, sets, nsets, sc, err);
}

static void check_starts(const char *name, const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix))) {
		print_error("%s: '%s' does not start with '%s'\n", name, s, prefix);
		fail();
	}
}

static void check_contains(const char *name, const char *s, const char *phrase)
{
	if (!strstr(s, phrase)) {
		print_error("%s: '%s' does not contain '%s'\n", name, s, phrase);
		fail();
	}
}

static void check_int(const char *name, const char *what, long got, long want)
{
	if (got != want) {
		print_error("%s: %s is %ld, expected %ld\n", name, what, got, want);
		fail();
	}
}

/* The shipped scenario */

static void test_phone_not_null(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	const struct appver *v1, *v2;
	const struct txdef *tx;
	const struct seed *sd;
	(void)state;

	if (scenario_load(PHONE, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_string_equal(sc->path, PHONE);
	assert_string_equal(sc->dir, "scenarios/phone-not-null");
	assert_string_equal(sc->name, "phone-not-null");
	assert_string_equal(sc->title, "A NOT NULL column the old code does not fill");
	assert_string_equal(sc->essay, "rolling-forward-beats-rolling-back");
	check_starts("story", sc->story.buf, "You just deployed a migration that adds phone_number");
	check_contains("story", sc->story.buf, "goes out to half the fleet during the incident.\n\n"
		       "The down migration drops the column");

	/* Parameters: the file's own and the built-in ones. */
	assert_string_equal(scenario_param(sc, "clients"), "8");
	assert_string_equal(scenario_param(sc, "bad_at"), "1500");
	assert_string_equal(scenario_param(sc, "rows"), "1000");
	assert_true(scenario_param_num(sc, "end_at", 0) == 7000);
	assert_true(scenario_param_num(sc, "awkward", 0) == 0.05);
	assert_null(scenario_param(sc, "nope"));
	assert_true(scenario_param_num(sc, "nope", 42) == 42);

	assert_int_equal(sc->schema.nr, 1);
	assert_int_equal(sc->schema.v[0].dialect, DIALECT_ANY);
	assert_int_equal(sc->schema.v[0].line, 25);
	check_starts("schema", sc->schema.v[0].text, "CREATE TABLE users (");

	/* The seed: :rows is the built-in 1000, three generated columns. */
	assert_int_equal(sc->nseeds, 1);
	sd = &sc->seeds[0];
	assert_string_equal(sd->table, "users");
	assert_int_equal(sd->rows, 1000);
	assert_null(sd->csv);
	assert_int_equal(sd->line, 31);
	assert_int_equal(sd->ncols, 3);
	assert_string_equal(sd->cols[0].column, "id");
	assert_int_equal(sd->cols[0].gen.kind, GEN_SEQ);
	assert_int_equal(sd->cols[0].line, 32);
	assert_string_equal(sd->cols[1].column, "name");
	assert_int_equal(sd->cols[1].gen.kind, GEN_NAME);
	assert_int_equal(sd->cols[1].gen.a, 64);
	assert_string_equal(sd->cols[2].column, "email");
	assert_int_equal(sd->cols[2].gen.kind, GEN_EMAIL);

	/* Two app versions, their transactions and weights. */
	assert_int_equal(sc->napps, 2);
	assert_int_equal(scenario_app(sc, "v1"), 0);
	assert_int_equal(scenario_app(sc, "v2"), 1);
	assert_int_equal(scenario_app(sc, "v3"), -1);
	v1 = &sc->apps[0];
	v2 = &sc->apps[1];
	assert_int_equal(v1->line, 36);
	assert_int_equal(v1->ntx, 2);
	assert_int_equal(v1->total_weight, 5);
	assert_string_equal(v1->tx[0].name, "register");
	assert_int_equal(v1->tx[0].weight, 3);
	assert_string_equal(v1->tx[1].name, "change_email");
	assert_int_equal(v1->tx[1].weight, 2);
	assert_int_equal(v2->ntx, 3);
	assert_int_equal(v2->total_weight, 5);
	assert_string_equal(v2->tx[0].name, "register");
	assert_int_equal(v2->tx[0].weight, 3);
	assert_string_equal(v2->tx[1].name, "change_email");
	assert_int_equal(v2->tx[1].weight, 1);
	assert_string_equal(v2->tx[2].name, "change_phone");
	assert_int_equal(v2->tx[2].weight, 1);

	tx = &v1->tx[0];
	assert_int_equal(tx->line, 37);
	assert_int_equal(tx->nvars, 3);
	assert_string_equal(tx->vars[0].name, "id");
	assert_int_equal(tx->vars[0].gen.kind, GEN_NEXTID);
	assert_string_equal(tx->vars[0].gen.table, "users");
	assert_int_equal(tx->vars[0].line, 38);
	assert_int_equal(tx->nstmts, 1);
	assert_string_equal(tx->stmts[0].sql,
			    "INSERT INTO users (id, name, email) VALUES (:id, :name, :email)");
	assert_int_equal(tx->stmts[0].line, 41);
	assert_int_equal(tx->nfacts, 1);
	assert_int_equal(tx->facts[0].op, FACT_OP_WRITE);
	assert_string_equal(tx->facts[0].table, "users");
	assert_string_equal(tx->facts[0].key_var, "id");
	assert_int_equal(tx->facts[0].nfields, 2);
	assert_string_equal(tx->facts[0].fields[1].field, "email");
	assert_string_equal(tx->facts[0].fields[1].var, "email");
	assert_int_equal(tx->facts[0].line, 42);

	tx = &v2->tx[0];
	assert_int_equal(tx->nvars, 4);
	assert_string_equal(tx->vars[3].name, "phone");
	assert_int_equal(tx->vars[3].gen.kind, GEN_PHONE);
	assert_int_equal(tx->vars[3].gen.a, 20);
	assert_int_equal(tx->stmts[0].line, 56);
	assert_string_equal(tx->facts[0].fields[2].field, "phone_number");
	tx = &v2->tx[2];
	assert_int_equal(tx->vars[0].gen.kind, GEN_EXISTING);
	assert_string_equal(tx->stmts[0].sql, "UPDATE users SET phone_number = :phone WHERE id = :id");
	assert_int_equal(tx->stmts[0].line, 68);

	/* Migrations. */
	assert_int_equal(sc->nmigrations, 2);
	assert_int_equal(scenario_migration(sc, "bad"), 0);
	assert_int_equal(scenario_migration(sc, "down"), 1);
	assert_int_equal(scenario_migration(sc, "fix"), -1);
	assert_int_equal(sc->migrations[0].sql.nr, 2);
	assert_int_equal(sc->migrations[0].line, 76);
	assert_int_equal(sc->migrations[1].sql.nr, 1);
	assert_string_equal(sc->migrations[1].sql.v[0].text,
			    "ALTER TABLE users DROP COLUMN phone_number;");

	/* The timeline, ticks resolved from the parameters. */
	assert_int_equal(sc->ntimeline, 5);
	assert_int_equal(sc->timeline[0].tick, 0);
	assert_int_equal(sc->timeline[0].action, TL_START);
	assert_int_equal(sc->timeline[0].version, 0);
	assert_int_equal(sc->timeline[0].clients, 8);
	assert_int_equal(sc->timeline[0].line, 101);
	assert_int_equal(sc->timeline[1].tick, 1500);
	assert_int_equal(sc->timeline[1].action, TL_MIGRATE);
	assert_int_equal(sc->timeline[1].migration, 0);
	assert_int_equal(sc->timeline[2].tick, 2200);
	assert_int_equal(sc->timeline[2].action, TL_DEPLOY);
	assert_int_equal(sc->timeline[2].version, 1);
	assert_true(sc->timeline[2].fraction == 0.5);
	assert_int_equal(sc->timeline[3].tick, 3500);
	assert_int_equal(sc->timeline[3].action, TL_FIX);
	assert_int_equal(sc->timeline[4].tick, 7000);
	assert_int_equal(sc->timeline[4].action, TL_END);
	assert_int_equal(sc->timeline[4].line, 105);

	/* The probe. */
	assert_int_equal(sc->nprobes, 1);
	assert_string_equal(sc->probes[0].table, "users");
	assert_int_equal(sc->probes[0].line, 108);
	assert_int_equal(sc->probes[0].sql.nr, 1);
	assert_int_equal(sc->probes[0].sql.v[0].line, 109);
	assert_string_equal(sc->probes[0].sql.v[0].text,
			    "SELECT id, name, email, phone_number FROM users;");
	assert_int_equal(sc->ndefaults, 0);

	scenario_free(sc);
	strbuf_release(&err);
}

static void test_phone_not_null_dialects(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	const struct sql_variant *lite, *pg, *any, *down;
	struct sql_section empty = { NULL, 0, 0 };
	struct sql_script s = { 0 };
	(void)state;

	assert_int_equal(scenario_load(PHONE, NULL, 0, &sc, &err), 0);
	lite = sql_section_pick(&sc->migrations[0].sql, DIALECT_SQLITE);
	pg = sql_section_pick(&sc->migrations[0].sql, DIALECT_POSTGRES);
	any = sql_section_pick(&sc->migrations[0].sql, DIALECT_ANY);
	assert_non_null(lite);
	assert_non_null(pg);
	assert_ptr_not_equal(lite, pg);
	assert_ptr_equal(pg, any);
	assert_int_equal(lite->dialect, DIALECT_SQLITE);
	assert_int_equal(lite->line, 84);
	assert_int_equal(pg->dialect, DIALECT_ANY);
	assert_int_equal(pg->line, 77);
	assert_string_not_equal(lite->text, pg->text);
	check_starts("sqlite bad", lite->text, "BEGIN IMMEDIATE;\nCREATE TABLE users_new (");
	check_starts("generic bad", pg->text,
		     "BEGIN;\nALTER TABLE users ADD COLUMN phone_number VARCHAR(32);\n");

	/* The sqlite text splits into its six statements at the file's lines. */
	sql_split(lite->text, lite->line, &s);
	assert_int_equal(s.nr, 6);
	assert_string_equal(s.v[0].sql, "BEGIN IMMEDIATE");
	assert_int_equal(s.v[0].line, 84);
	assert_int_equal(s.v[2].line, 91);
	assert_string_equal(s.v[5].sql, "COMMIT");
	assert_int_equal(s.v[5].line, 94);
	sql_script_release(&s);

	/* A section with only a generic text serves every dialect. */
	down = sql_section_pick(&sc->migrations[1].sql, DIALECT_SQLITE);
	assert_non_null(down);
	assert_ptr_equal(down, sql_section_pick(&sc->migrations[1].sql, DIALECT_POSTGRES));
	assert_ptr_equal(sql_section_pick(&sc->schema, DIALECT_SQLITE), &sc->schema.v[0]);
	assert_null(sql_section_pick(&empty, DIALECT_SQLITE));

	scenario_free(sc);
	strbuf_release(&err);
}

static void test_phone_not_null_overrides(void **state)
{
	static const struct param_set sets[] = { { "rows", "50" }, { "bad_at", "100" } };
	static const struct param_set unknown[] = { { "rows", "50" }, { "nope", "1" } };
	static const struct param_set not_number[] = { { "rows", "many" } };
	static const struct param_set too_many[] = { { "rows", "1000000000000" } };
	static const struct param_set no_clients[] = { { "clients", "0" } };
	struct scenario *sc = NULL, dummy;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	assert_int_equal(scenario_load(PHONE, sets, 2, &sc, &err), 0);
	assert_int_equal(sc->seeds[0].rows, 50);
	assert_string_equal(scenario_param(sc, "rows"), "50");
	assert_int_equal(sc->timeline[1].tick, 100);
	assert_int_equal(sc->timeline[2].tick, 2200);
	scenario_free(sc);

	sc = &dummy; /* a failed load must leave NULL behind */
	assert_int_equal(scenario_load(PHONE, unknown, 2, &sc, &err), -1);
	assert_null(sc);
	check_contains("unknown override", err.buf, "unknown parameter 'nope'");

	assert_int_equal(scenario_load(PHONE, not_number, 1, &sc, &err), -1);
	assert_null(sc);
	/* A number by default takes a number: the command line is to blame. */
	assert_string_equal(err.buf, "--set rows=many: 'rows' is a number (1000 by default), not 'many'");

	/* A built-in parameter is checked as it is set, its range too. */
	assert_int_equal(scenario_load(PHONE, too_many, 1, &sc, &err), -1);
	assert_null(sc);
	check_starts("rows=1e12", err.buf, "--set rows=1000000000000: ");
	check_contains("rows=1e12", err.buf, "'rows' must be a whole number from 0 to 100000000");

	assert_int_equal(scenario_load(PHONE, no_clients, 1, &sc, &err), -1);
	check_starts("clients=0", err.buf, PHONE ":101: ");
	check_contains("clients=0", err.buf, "clients must be a whole number from 1 to 1000");
	check_contains("clients=0", err.buf, "(':clients' is '0' from --set clients=0)");

	assert_int_equal(scenario_load("tests/fixtures/scenario/no-such.drill", NULL, 0, &sc, &err), -1);
	assert_null(sc);
	check_contains("missing file", err.buf, "cannot open scenario 'tests/fixtures/scenario/no-such.drill'");

	scenario_free(NULL);
	strbuf_release(&err);
}

/* A small scenario that uses every directive */

static const char mini[] =
	"-- @scenario mini\n"                                        /* 1 */
	"-- @title A small scenario\n"                               /* 2 */
	"-- @essay on-small-things\n"                                /* 3 */
	"-- @story\n"                                                /* 4 */
	"-- First line of the story.\n"                              /* 5 */
	"--\n"                                                       /* 6 */
	"--   Indented last line.\n"                                 /* 7 */
	"\n"                                                         /* 8 */
	"-- @param bad_at 10\n"                                      /* 9 */
	"-- @param hi 99\n"                                          /* 10 */
	"-- @param share 0.25\n"                                     /* 11 */
	"\n"                                                         /* 12 */
	"-- @schema\n"                                               /* 13 */
	"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, note TEXT);\n" /* 14 */
	"CREATE TABLE notes (id INTEGER PRIMARY KEY, body INTEGER);\n" /* 15 */
	"\n"                                                         /* 16 */
	"-- @seed users csv=users.csv\n"                             /* 17 */
	"\n"                                                         /* 18 */
	"-- @seed notes 5\n"                                         /* 19 */
	"-- @gen notes.id seq\n"                                     /* 20 */
	"-- @gen notes.body int(1,:hi)\n"                            /* 21 */
	"\n"                                                         /* 22 */
	"-- @app v1\n"                                               /* 23 */
	"-- @tx add weight=2\n"                                      /* 24 */
	"-- \\set id nextid(users)\n"                                /* 25 */
	"\\set name name(10)\n"                                      /* 26 */
	"INSERT INTO users (id, name, note)\n"                       /* 27 */
	"    VALUES (:id, :name, 'it''s');\n"                        /* 28 */
	"-- @writes users key=:id name=:name note='it''s here' extra=NULL\n" /* 29 */
	"\n"                                                         /* 30 */
	"-- @tx drop\n"                                              /* 31 */
	"-- \\set id existing(users)\n"                              /* 32 */
	"DELETE FROM users WHERE id = :id;\n"                        /* 33 */
	"-- @deletes users key=:id\n"                                /* 34 */
	"\n"                                                         /* 35 */
	"-- @app v2\n"                                               /* 36 */
	"-- @tx touch weight=:hi\n"                                  /* 37 */
	"\\set id existing(users)\n"                                 /* 38 */
	"\\set kind pick(a|b)\n"                                     /* 39 */
	"UPDATE users SET note = :kind WHERE id = :id;\n"            /* 40 */
	"UPDATE notes SET body = body + 1 WHERE id = :id;\n"         /* 41 */
	"-- @writes users key=:id note=:kind\n"                      /* 42 */
	"\n"                                                         /* 43 */
	"-- @migration bad\n"                                        /* 44 */
	"ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';\n" /* 45 */
	"\n"                                                         /* 46 */
	"-- @migration down\n"                                       /* 47 */
	"ALTER TABLE users DROP COLUMN phone;\n"                     /* 48 */
	"\n"                                                         /* 49 */
	"-- @timeline\n"                                             /* 50 */
	"-- at 0 start v1 clients=2\n"                               /* 51 */
	"-- at :bad_at migrate bad\n"                                /* 52 */
	"-- at 20 deploy v2 fraction=:share\n"                       /* 53 */
	"-- at 30 fix\n"                                             /* 54 */
	"-- at 40 end\n"                                             /* 55 */
	"\n"                                                         /* 56 */
	"-- @probe users\n"                                          /* 57 */
	"SELECT id, name, note FROM users;\n"                        /* 58 */
	"\n"                                                         /* 59 */
	"-- @probe notes\n"                                          /* 60 */
	"SELECT id, body FROM notes;\n"                              /* 61 */
	"\n"                                                         /* 62 */
	"-- @default users.note ''\n"                                /* 63 */
	"-- @default users.name nobody\n";                           /* 64 */

static void check_mini(const struct scenario *sc)
{
	const struct txdef *tx;
	const struct fact_tmpl *f;
	const struct tl_event *ev;
	char csv[sizeof(tmpdir) + 16];

	assert_string_equal(sc->path, drill_path);
	assert_string_equal(sc->dir, tmpdir);
	assert_string_equal(sc->name, "mini");
	assert_string_equal(sc->title, "A small scenario");
	assert_string_equal(sc->essay, "on-small-things");
	assert_string_equal(sc->story.buf, "First line of the story.\n\n  Indented last line.\n");

	assert_string_equal(scenario_param(sc, "hi"), "99");
	assert_true(scenario_param_num(sc, "share", 0) == 0.25);
	assert_string_equal(scenario_param(sc, "busy"), "500");

	assert_int_equal(sc->schema.nr, 1);
	assert_int_equal(sc->schema.v[0].line, 14);
	assert_string_equal(sc->schema.v[0].text,
			    "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, note TEXT);\n"
			    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body INTEGER);");

	/* A CSV seed resolved against the scenario's directory, and a generated one. */
	assert_int_equal(sc->nseeds, 2);
	snprintf(csv, sizeof(csv), "%s/users.csv", tmpdir);
	assert_string_equal(sc->seeds[0].table, "users");
	assert_string_equal(sc->seeds[0].csv, csv);
	assert_int_equal(sc->seeds[0].rows, 0);
	assert_int_equal(sc->seeds[0].ncols, 0);
	assert_int_equal(sc->seeds[0].line, 17);
	assert_string_equal(sc->seeds[1].table, "notes");
	assert_null(sc->seeds[1].csv);
	assert_int_equal(sc->seeds[1].rows, 5);
	assert_int_equal(sc->seeds[1].ncols, 2);
	assert_int_equal(sc->seeds[1].cols[1].gen.kind, GEN_INT);
	assert_int_equal(sc->seeds[1].cols[1].gen.a, 1);
	assert_int_equal(sc->seeds[1].cols[1].gen.b, 99);
	assert_int_equal(sc->seeds[1].cols[1].line, 21);

	/* v1: two transactions, \set in both forms, @writes and @deletes. */
	assert_int_equal(sc->napps, 2);
	assert_int_equal(sc->apps[0].ntx, 2);
	assert_int_equal(sc->apps[0].total_weight, 3);
	tx = &sc->apps[0].tx[0];
	assert_string_equal(tx->name, "add");
	assert_int_equal(tx->weight, 2);
	assert_int_equal(tx->line, 24);
	assert_int_equal(tx->nvars, 2);
	assert_string_equal(tx->vars[0].name, "id");
	assert_int_equal(tx->vars[0].gen.kind, GEN_NEXTID);
	assert_string_equal(tx->vars[0].gen.table, "users");
	assert_int_equal(tx->vars[0].line, 25);
	assert_string_equal(tx->vars[1].name, "name");
	assert_int_equal(tx->vars[1].gen.kind, GEN_NAME);
	assert_int_equal(tx->vars[1].gen.a, 10);
	assert_int_equal(tx->vars[1].line, 26);
	assert_int_equal(tx->nstmts, 1);
	assert_string_equal(tx->stmts[0].sql,
			    "INSERT INTO users (id, name, note)\n    VALUES (:id, :name, 'it''s')");
	assert_int_equal(tx->stmts[0].line, 27);
	assert_int_equal(tx->nfacts, 1);
	f = &tx->facts[0];
	assert_int_equal(f->op, FACT_OP_WRITE);
	assert_string_equal(f->table, "users");
	assert_string_equal(f->key_var, "id");
	assert_null(f->key_literal);
	assert_int_equal(f->line, 29);
	assert_int_equal(f->nfields, 3);
	assert_string_equal(f->fields[0].field, "name");
	assert_string_equal(f->fields[0].var, "name");
	assert_null(f->fields[0].literal);
	assert_string_equal(f->fields[1].field, "note");
	assert_null(f->fields[1].var);
	assert_string_equal(f->fields[1].literal, "it's here");
	assert_string_equal(f->fields[2].field, "extra");
	assert_null(f->fields[2].var);
	assert_null(f->fields[2].literal);

	tx = &sc->apps[0].tx[1];
	assert_string_equal(tx->name, "drop");
	assert_int_equal(tx->weight, 1);
	assert_int_equal(tx->vars[0].gen.kind, GEN_EXISTING);
	assert_string_equal(tx->stmts[0].sql, "DELETE FROM users WHERE id = :id");
	assert_int_equal(tx->stmts[0].line, 33);
	assert_int_equal(tx->nfacts, 1);
	assert_int_equal(tx->facts[0].op, FACT_OP_DELETE);
	assert_string_equal(tx->facts[0].key_var, "id");
	assert_int_equal(tx->facts[0].nfields, 0);
	assert_int_equal(tx->facts[0].line, 34);

	/* v2: a weight from a parameter, bare \set lines, two statements. */
	tx = &sc->apps[1].tx[0];
	assert_int_equal(sc->apps[1].total_weight, 99);
	assert_int_equal(tx->weight, 99);
	assert_int_equal(tx->nvars, 2);
	assert_int_equal(tx->vars[1].gen.kind, GEN_PICK);
	assert_int_equal(tx->vars[1].gen.nchoices, 2);
	assert_string_equal(tx->vars[1].gen.choices[1], "b");
	assert_int_equal(tx->nstmts, 2);
	assert_int_equal(tx->stmts[0].line, 40);
	assert_string_equal(tx->stmts[1].sql, "UPDATE notes SET body = body + 1 WHERE id = :id");
	assert_int_equal(tx->stmts[1].line, 41);

	assert_int_equal(sc->nmigrations, 2);
	assert_string_equal(sc->migrations[0].name, "bad");
	assert_int_equal(sc->migrations[0].line, 44);
	assert_string_equal(sc->migrations[0].sql.v[0].text,
			    "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';");
	assert_int_equal(sc->migrations[0].sql.v[0].line, 45);
	assert_string_equal(sc->migrations[1].name, "down");

	assert_int_equal(sc->ntimeline, 5);
	ev = sc->timeline;
	assert_int_equal(ev[0].action, TL_START);
	assert_int_equal(ev[0].version, 0);
	assert_int_equal(ev[0].clients, 2);
	assert_int_equal(ev[0].migration, -1);
	assert_int_equal(ev[0].line, 51);
	assert_int_equal(ev[1].action, TL_MIGRATE);
	assert_int_equal(ev[1].tick, 10);
	assert_int_equal(ev[1].migration, 0);
	assert_int_equal(ev[1].version, -1);
	assert_int_equal(ev[2].action, TL_DEPLOY);
	assert_int_equal(ev[2].tick, 20);
	assert_int_equal(ev[2].version, 1);
	assert_true(ev[2].fraction == 0.25);
	assert_int_equal(ev[3].action, TL_FIX);
	assert_int_equal(ev[3].tick, 30);
	assert_int_equal(ev[4].action, TL_END);
	assert_int_equal(ev[4].tick, 40);
	assert_int_equal(ev[4].line, 55);

	assert_int_equal(sc->nprobes, 2);
	assert_string_equal(sc->probes[0].table, "users");
	assert_int_equal(sc->probes[0].line, 57);
	assert_string_equal(sc->probes[0].sql.v[0].text, "SELECT id, name, note FROM users;");
	assert_int_equal(sc->probes[0].sql.v[0].line, 58);
	assert_string_equal(sc->probes[1].table, "notes");

	assert_int_equal(sc->ndefaults, 2);
	assert_string_equal(sc->defaults[0].table, "users");
	assert_string_equal(sc->defaults[0].field, "note");
	assert_string_equal(sc->defaults[0].value, "");
	assert_string_equal(sc->defaults[1].field, "name");
	assert_string_equal(sc->defaults[1].value, "nobody");
}

static void test_minimal_scenario(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	if (load_text(mini, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	check_mini(sc);
	scenario_free(sc);
	strbuf_release(&err);
}

/* The same file with CRLF line ends parses to the same scenario. */
static void test_minimal_scenario_crlf(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	const char *s;
	(void)state;

	for (s = mini; *s; s++) {
		if (*s == '\n')
			strbuf_addch(&text, '\r');
		strbuf_addch(&text, *s);
	}
	if (load_text(text.buf, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	check_mini(sc);
	scenario_free(sc);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* A CSV seed next to a scenario in the fixtures, and one with an absolute path. */
static void test_csv_fixture(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	FILE *f;
	(void)state;

	if (scenario_load("tests/fixtures/scenario/csv-seed.drill", NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_string_equal(sc->dir, "tests/fixtures/scenario");
	assert_int_equal(sc->nseeds, 2);
	assert_string_equal(sc->seeds[0].csv, "tests/fixtures/scenario/users.csv");
	assert_string_equal(sc->seeds[1].csv, "/srv/mdrill/regions.csv");
	f = fopen(sc->seeds[0].csv, "rb");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(sc->nprobes, 2);
	scenario_free(sc);
	strbuf_release(&err);
}

/* Malformed scenarios: each fails with FILE:LINE and a telling phrase. */

/* Line 1. */
#define M_SCEN "-- @scenario broken\n"
/* 2 lines. */
#define M_SCHEMA "-- @schema\n" \
	"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
/* Lines 1-3. */
#define M_HEAD M_SCEN M_SCHEMA
/* 5 lines; after M_HEAD, lines 4-8. */
#define M_APP "-- @app v1\n" \
	"-- @tx w\n" \
	"-- \\set id nextid(t)\n" \
	"INSERT INTO t (id) VALUES (:id);\n" \
	"-- @writes t key=:id\n"
/* 2 lines; after M_HEAD M_APP, lines 9-10. */
#define M_BAD "-- @migration bad\n" \
	"ALTER TABLE t ADD COLUMN x TEXT;\n"
/* 5 lines; after M_HEAD M_APP M_BAD, lines 11-15. */
#define M_TL "-- @timeline\n" \
	"-- at 0 start v1 clients=1\n" \
	"-- at 5 migrate bad\n" \
	"-- at 6 fix\n" \
	"-- at 9 end\n"
/* 2 lines. */
#define M_PROBE "-- @probe t\n" \
	"SELECT id, v FROM t;\n"
/* The first lines of a timeline after M_HEAD M_APP M_BAD: lines 11-12. */
#define M_TL_START "-- @timeline\n" \
	"-- at 0 start v1 clients=1\n"

/* The pieces together make a valid scenario: the cases each break one thing. */
static void test_malformed_base_loads(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	if (load_text(M_HEAD M_APP M_BAD M_TL M_PROBE, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_int_equal(sc->ntimeline, 4);
	assert_int_equal(sc->timeline[3].line, 15);
	assert_int_equal(sc->apps[0].tx[0].stmts[0].line, 7);
	scenario_free(sc);
	strbuf_release(&err);
}

/*
** '-- @history' and '-- @file': the tool, mdrill's own record under its
** own name, and each schema statement with the file it belongs to.
*/
static void test_history_and_files(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	struct sql_script s = { 0 };
	(void)state;
	if (load_text(M_SCEN "-- @history golang-migrate\n-- @schema\n-- @file 000001_t.up.sql\n"
		      "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n-- @file 000003_idx.up.sql\n"
		      "CREATE INDEX t_v ON t (v);\nALTER TABLE schema_migrations ADD COLUMN x INTEGER;\n"
		      "-- @seed t 5 key=id\n-- @gen t.id seq\n-- @gen t.v text(4)\n" M_APP M_BAD M_TL M_PROBE,
		      NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_string_equal(scenario_history_table(sc), "mdrill_history");
	assert_int_equal(sc->nfiles, 2);
	assert_int_equal(sc->seeds[0].nkey, 1);
	scenario_schema_script(sc, DIALECT_SQLITE, &s);
	assert_int_equal(s.nr, 3);
	assert_string_equal(s.v[0].file, "000001_t.up.sql");
	assert_int_equal(s.v[0].line, 5);   /* the marker's line is kept blank */
	assert_string_equal(s.v[1].file, "000003_idx.up.sql");
	assert_string_equal(s.v[2].file, "000003_idx.up.sql");
	sql_script_release(&s);
	scenario_free(sc);
	/* Without '-- @history' mdrill's record keeps its old name. */
	assert_int_equal(load_text(M_HEAD M_APP M_BAD M_TL M_PROBE, NULL, 0, &sc, &err), 0);
	assert_string_equal(scenario_history_table(sc), "schema_migrations");
	scenario_free(sc);
	strbuf_release(&err);
}

/* '-- @rows' lands on the statement above it; '-- @untracked' is recorded. */
static void test_rows_and_untracked(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	if (load_text(M_HEAD "-- @untracked t.rev\n-- @app v1\n-- @tx w\n-- \\set id nextid(t)\n"
		      "INSERT INTO t (id) VALUES (:id);\n-- @rows 1\nUPDATE t SET v = 'a' WHERE id = :id;\n"
		      "-- @rows >=0\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_int_equal(sc->apps[0].tx[0].nstmts, 2);
	assert_int_equal(sc->apps[0].tx[0].stmts[0].rows_rule, ROWS_EXACTLY);
	assert_int_equal(sc->apps[0].tx[0].stmts[0].rows, 1);
	assert_int_equal(sc->apps[0].tx[0].stmts[1].rows_rule, ROWS_AT_LEAST);
	assert_int_equal(sc->apps[0].tx[0].stmts[1].rows, 0);
	assert_true(scenario_untracked(sc, "t", "rev"));
	assert_false(scenario_untracked(sc, "t", "v"));
	scenario_free(sc);
	strbuf_release(&err);
}

struct bad_case {
	const char *name;
	const char *text;
	const char *set_name, *set_value;  /* an override, or NULL */
	int line;
	const char *phrase;
};

static const struct bad_case bad_cases[] = {
	{ "@rows before any statement",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\n-- @rows 1\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  7, "'-- @rows' belongs on the line after the statement whose rows it counts" },
	{ "@rows in an autocommit transaction",
	  M_HEAD "-- @app v1\n-- @tx w autocommit\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @rows 1\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "'-- @rows' needs a transaction to roll back: 'w' is autocommit" },
	{ "@rows without a count",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @rows some\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "expected '-- @rows N' or '-- @rows >=N'" },
	{ "@rows twice for one statement",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @rows 1\n-- @rows >=1\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  9, "a second '-- @rows' for the statement of line 7" },
	{ "@returning before any statement",
	  M_HEAD "-- @app v1\n-- @tx w\n-- @returning id\nINSERT INTO t (v) VALUES ('a') RETURNING id;\n"
	  "-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  6, "'-- @returning' belongs on the line after the statement whose row it reads" },
	{ "@returning a variable set already",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id) RETURNING id;\n"
	  "-- @returning id\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "'id' is set twice in transaction 'w'" },
	{ "a statement using what @returning sets later",
	  M_HEAD "-- @app v1\n-- @tx w\nUPDATE t SET v = 'b' WHERE id = :id;\nINSERT INTO t (v) VALUES ('a') RETURNING id;\n"
	  "-- @returning id\n-- @writes t key=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  6, "this statement uses a variable '-- @returning' sets only later, at line 8" },
	{ "@returning with no variable",
	  M_HEAD "-- @app v1\n-- @tx w\nINSERT INTO t (v) VALUES ('a') RETURNING id;\n-- @returning\n"
	  M_BAD M_TL M_PROBE, NULL, NULL,
	  7, "expected '-- @returning VAR...'" },
	{ "@rows outside a transaction", M_HEAD "-- @rows 1\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "'@rows' belongs in a '-- @tx' block" },
	{ "@untracked without a column", M_HEAD "-- @untracked t\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "expected '-- @untracked TABLE.COLUMN'" },
	{ "@history of an unknown tool", M_HEAD "-- @history alembic\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "expected '-- @history TOOL' ('golang-migrate', 'flyway', 'dbmate', 'sqitch', 'prisma', 'atlas' or 'liquibase')" },
	{ "@history twice", M_HEAD "-- @history flyway\n-- @history dbmate\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "'@history' given twice" },
	{ "@file outside the schema", M_HEAD M_APP "-- @file 000001_a.up.sql\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  9, "'@file' belongs in a '-- @schema' block" },
	{ "@file naming no version its tool reads",
	  M_SCEN "-- @history golang-migrate\n-- @schema\n-- @file create_t.sql\n"
	  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "'-- @file create_t.sql': golang-migrate reads no version in that name" },
	{ "@seed key= naming no seeded column",
	  M_HEAD "-- @seed t 5 key=id,w\n-- @gen t.id seq\n-- @gen t.v text(4)\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 4, "key column 'w' of 't' has no '-- @gen t.w' line" },
	{ "@seed key= with no column", M_HEAD "-- @seed t 5 key=\n-- @gen t.id seq\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 4, "expected 'key=COLUMN,COLUMN' naming the key's columns" },
	{ "missing @scenario", M_SCHEMA M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  1, "expected a '-- @scenario NAME' line" },
	{ "@scenario twice", M_SCEN "-- @scenario again\n" M_SCHEMA M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 2, "'@scenario' given twice" },
	{ "bad scenario name", "-- @scenario no/slash\n" M_SCHEMA M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 1, "scenario name 'no/slash' may hold" },
	{ "unknown directive", M_HEAD "-- @tabel t\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "unknown directive '@tabel'" },
	{ "@gen outside a seed", M_HEAD "-- @gen t.v name\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 4, "'@gen' belongs after a '-- @seed TABLE ROWS' line" },
	{ "@gen for another table",
	  M_HEAD "-- @seed t 10\n-- @gen u.v name\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "'@gen u.v' is not for the table being seeded, 't'" },
	{ "@gen without a column",
	  M_HEAD "-- @seed t 10\n-- @gen t seq\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "expected '-- @gen TABLE.COLUMN GENERATOR'" },
	{ "bad generator name",
	  M_HEAD "-- @seed t 10\n-- @gen t.v colour\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "expected a generator: seq, int(a,b)" },
	{ "int bounds reversed",
	  M_HEAD "-- @seed t 10\n-- @gen t.id seq\n-- @gen t.v int(5,1)\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 6, "'int(5,1)': the lower bound is above the upper" },
	{ "nextid in a seed",
	  M_HEAD "-- @seed t 10\n-- @gen t.id nextid(t)\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "works only in a '\\set' line" },
	{ "@gen on a CSV seed",
	  M_HEAD "-- @seed t csv=t.csv\n-- @gen t.id seq\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "a CSV seed takes its columns from the header row" },
	{ "seed without @gen", M_HEAD "-- @seed t 10\n\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "seed of 't' has no '-- @gen t.COLUMN GENERATOR' line" },
	{ "table seeded twice",
	  M_HEAD "-- @seed t 1\n-- @gen t.id seq\n-- @seed t 2\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 6, "table 't' is seeded twice" },
	{ "SQL in a seed", M_HEAD "-- @seed t 1\n-- @gen t.id seq\nINSERT INTO t VALUES (1);\n"
	  M_APP M_BAD M_TL M_PROBE, NULL, NULL, 6, "expected '-- @gen TABLE.COLUMN GENERATOR'" },
	{ "variable used in SQL but never set",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\n\n"
	  "INSERT INTO t (id, v)\n    VALUES (:id, :v);\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "':v' is not set in transaction 'w'" },
	{ "unset variable in a later statement, after a \\set line",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "\\set other name\nUPDATE t SET v = :nope\n  WHERE id = :id;\n" M_BAD M_TL M_PROBE,
	  NULL, NULL, 9, "':nope' is not set in transaction 'w'" },
	{ "unset variable in the last transaction of the file",
	  M_HEAD M_APP M_BAD M_TL M_PROBE "-- @app v2\n-- @tx w\nDELETE FROM t WHERE id = :id;\n",
	  NULL, NULL, 20, "':id' is not set in transaction 'w'" },
	{ "variable set twice",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\n\\set id existing(t)\n", NULL, NULL,
	  7, "'id' is set twice in transaction 'w'" },
	{ "bad generator in \\set",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id serial\n", NULL, NULL,
	  6, "nextid(TABLE), existing(TABLE); found 'serial'" },
	{ "transaction without SQL",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\n\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  5, "transaction 'w' has no SQL statement" },
	{ "@writes naming an unset variable",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=:id v=:nope\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "':nope' is not set in transaction 'w'" },
	{ "@writes without key=",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t v=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "expected 'key=:var' in '@writes t'" },
	{ "@writes with a NULL key",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=NULL\n" M_BAD M_TL M_PROBE, NULL, NULL, 8, "a key cannot be NULL" },
	{ "@writes with an unterminated literal",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=:id v='it''s\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "unterminated quoted value" },
	{ "@writes with a bare word value",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=:id v=word\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "expected ':var', 'literal' or NULL as a value" },
	{ "@writes field twice",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id nextid(t)\nINSERT INTO t (id) VALUES (:id);\n"
	  "-- @writes t key=:id v=NULL v=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "field 'v' written twice" },
	{ "@deletes with a field",
	  M_HEAD "-- @app v1\n-- @tx w\n-- \\set id existing(t)\nDELETE FROM t WHERE id = :id;\n"
	  "-- @deletes t key=:id v=:id\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  8, "'@deletes' takes only 'key='" },
	{ "@writes outside a transaction", M_HEAD "-- @writes t key=:id\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 4, "'@writes' belongs after the SQL of a '-- @tx' block" },
	{ "@tx outside @app", M_HEAD "-- @tx w\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "'@tx' belongs in an '-- @app VERSION' block" },
	{ "SQL in an app block before @tx", M_HEAD "-- @app v1\nSELECT 1;\n", NULL, NULL,
	  5, "expected '-- @tx NAME weight=W' before SQL in an app block" },
	{ "\\set outside a transaction", M_SCEN "\\set x name\n" M_SCHEMA M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 2, "'\\set' belongs in a '-- @tx' block" },
	{ "app without weight",
	  M_HEAD "-- @app v1\n-- @tx w weight=0\n-- \\set id nextid(t)\n"
	  "INSERT INTO t (id) VALUES (:id);\n" M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "app version 'v1' has no transaction of positive weight" },
	{ "bad weight", M_HEAD "-- @app v1\n-- @tx w weight=lots\n", NULL, NULL,
	  5, "expected a number or ':param', found 'lots'" },
	{ "no bad migration", M_HEAD M_APP M_TL_START "-- at 9 end\n" M_PROBE, NULL, NULL,
	  1, "expected a '-- @migration bad' block" },
	{ "migration for an unknown dialect",
	  M_HEAD M_APP "-- @migration bad mysql\nSELECT 1;\n" M_TL M_PROBE, NULL, NULL,
	  9, "expected '@migration NAME' then optionally 'sqlite' or 'postgres'" },
	{ "two migrations for one dialect",
	  M_HEAD M_APP M_BAD "-- @migration bad\nSELECT 1;\n" M_TL M_PROBE, NULL, NULL,
	  11, "a second '@migration NAME' block for the same dialect" },
	{ "timeline tick going backwards",
	  M_HEAD M_APP M_BAD "-- @timeline\n-- at 10 start v1 clients=1\n-- at 5 migrate bad\n"
	  "-- at 6 fix\n-- at 9 end\n" M_PROBE, NULL, NULL,
	  13, "tick 5 comes before the previous event's tick 10" },
	{ "unknown timeline action",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 explode\n" M_PROBE, NULL, NULL,
	  13, "unknown action 'explode'" },
	{ "deploy of an unknown version",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 3 deploy v9 fraction=0.5\n-- at 5 migrate bad\n"
	  "-- at 6 fix\n-- at 9 end\n" M_PROBE, NULL, NULL, 13, "no app version 'v9'" },
	{ "deploy fraction out of range",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 3 deploy v1 fraction=1.5\n" M_PROBE, NULL, NULL,
	  13, "fraction must be from 0 to 1" },
	{ "start with no clients",
	  M_HEAD M_APP M_BAD "-- @timeline\n-- at 0 start v1 clients=0\n" M_PROBE, NULL, NULL,
	  12, "clients must be a whole number from 1 to 1000" },
	{ "migrate an unknown migration",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate worse\n" M_PROBE, NULL, NULL,
	  13, "no migration 'worse'" },
	{ "fix before migrate bad",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 3 fix\n-- at 5 migrate bad\n-- at 9 end\n" M_PROBE,
	  NULL, NULL, 13, "'fix' before 'migrate bad'" },
	{ "fix twice",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate bad\n-- at 6 fix\n-- at 7 fix\n"
	  "-- at 9 end\n" M_PROBE, NULL, NULL, 15, "'fix' given twice" },
	{ "deploy before start",
	  M_HEAD M_APP M_BAD "-- @timeline\n-- at 0 deploy v1 fraction=1\n-- at 1 start v1 clients=1\n"
	  "-- at 5 migrate bad\n-- at 6 fix\n-- at 9 end\n" M_PROBE, NULL, NULL,
	  12, "'deploy' before any 'start'" },
	{ "timeline not ending with end",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate bad\n-- at 6 fix\n" M_PROBE, NULL, NULL,
	  14, "the timeline must finish with 'end'" },
	{ "timeline without fix",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate bad\n-- at 9 end\n" M_PROBE, NULL, NULL,
	  14, "the timeline has no 'fix'" },
	{ "an event after end",
	  M_HEAD M_APP M_BAD M_TL "-- at 10 fix\n" M_PROBE, NULL, NULL,
	  16, "nothing may follow 'end' in the timeline" },
	{ "migrate down in the timeline",
	  M_HEAD M_APP M_BAD "-- @migration down\nALTER TABLE t DROP COLUMN x;\n"
	  M_TL_START "-- at 5 migrate bad\n-- at 6 migrate down\n-- at 7 fix\n-- at 9 end\n"
	  M_PROBE, NULL, NULL, 16, "the down migration runs in the fix slot" },
	{ "SQL in the timeline",
	  M_HEAD M_APP M_BAD M_TL_START "SELECT 1;\n" M_PROBE, NULL, NULL,
	  13, "expected '-- at TICK ACTION' in the timeline" },
	{ "SQL outside any section", M_SCEN "SELECT 1;\n" M_SCHEMA M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 2, "SQL outside any section" },
	{ "timeline event after a blank line",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate bad\n\n-- at 6 fix\n-- at 9 end\n" M_PROBE,
	  NULL, NULL, 15, "a timeline event outside '-- @timeline'" },
	{ "parameter-tick event after a blank line",
	  "-- @param fix_at 6\n" M_HEAD M_APP M_BAD M_TL_START
	  "-- at 5 migrate bad\n\n-- at :fix_at fix\n-- at 9 end\n" M_PROBE,
	  NULL, NULL, 16, "a timeline event outside '-- @timeline'" },
	{ "@schema holding only comments",
	  M_SCEN "-- @schema\n-- no SQL at all\n/* none here either */\n\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 2, "expected SQL after this directive" },
	{ "seeded table without a probe",
	  M_HEAD "-- @seed t 10\n-- @gen t.id seq\n" M_APP M_BAD M_TL, NULL, NULL,
	  4, "table 't' is seeded but has no '-- @probe t'" },
	{ "facts without a probe", M_HEAD M_APP M_BAD M_TL, NULL, NULL,
	  8, "table 't' has facts but no '-- @probe t'" },
	{ "empty @schema", M_SCEN "-- @schema\n\n\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  2, "expected SQL after this directive" },
	{ "empty @probe at the end of the file", M_HEAD M_APP M_BAD M_TL "-- @probe t\n\n",
	  NULL, NULL, 16, "expected SQL after this directive" },
	{ "no @schema", M_SCEN M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  1, "expected a '-- @schema' block" },
	{ "parameter used but undefined",
	  M_HEAD M_APP M_BAD M_TL_START "-- at 5 migrate bad\n-- at :nope fix\n-- at 9 end\n"
	  M_PROBE, NULL, NULL, 14, "unknown parameter ':nope'" },
	{ "parameter declared twice", M_HEAD "-- @param x 1\n-- @param x 2\n" M_APP M_BAD M_TL M_PROBE,
	  NULL, NULL, 5, "parameter 'x' declared twice" },
	{ "parameter without a value", M_HEAD "-- @param x\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "expected '-- @param NAME VALUE'" },
	{ "parameter that is not a number",
	  M_HEAD "-- @param at soon\n" M_APP M_BAD M_TL_START "-- at :at migrate bad\n" M_PROBE,
	  NULL, NULL, 14, "parameter 'at' is 'soon', expected a number (its '-- @param' is on line 4)" },
	{ "--set value that is not a number",
	  M_HEAD "-- @param n ten\n-- @seed t :n\n-- @gen t.id seq\n" M_APP M_BAD M_TL M_PROBE, "n", "many",
	  5, "parameter 'n' is 'many', expected a number" },
	{ "@param busy out of range",
	  M_HEAD "-- @param busy 0\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "'busy' must be a whole number from 1 to 1000000000" },
	{ "@param awkward out of range",
	  M_HEAD "-- @param awkward nan\n" M_APP M_BAD M_TL M_PROBE, NULL, NULL,
	  4, "'awkward' must be a number from 0 to 1" },
	{ "--set value that is not a whole number",
	  M_HEAD "-- @param clients 2\n" M_APP M_BAD
	  "-- @timeline\n-- at 0 start v1 clients=:clients\n-- at 5 migrate bad\n-- at 6 fix\n"
	  "-- at 9 end\n" M_PROBE, "clients", "1.5",
	  13, "clients must be a whole number from 1 to 1000 (':clients' is '1.5' from --set clients=1.5)" },
};

static void test_malformed(void **state)
{
	size_t i;
	char prefix[sizeof(drill_path) + 32];
	(void)state;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct param_set set = { c->set_name, c->set_value };
		struct scenario *sc = NULL;
		struct strbuf err = STRBUF_INIT;
		int rc = load_text(c->text, &set, c->set_name ? 1 : 0, &sc, &err);

		if (rc != -1) {
			print_error("%s: loaded, expected line %d: %s\n", c->name, c->line, c->phrase);
			scenario_free(sc);
			fail();
		}
		assert_null(sc);
		snprintf(prefix, sizeof(prefix), "%s:%d: ", drill_path, c->line);
		check_starts(c->name, err.buf, prefix);
		check_contains(c->name, err.buf, c->phrase);
		strbuf_release(&err);
	}
}

/* gen_parse */

struct gen_case {
	const char *expr;
	int tx;              /* tx_context */
	int rc;
	int kind;
	int64_t a, b;
	const char *table;   /* nextid, existing */
	const char *phrase;  /* in the message when rc is -1 */
};

static const struct gen_case gen_cases[] = {
	{ "seq", 0, 0, GEN_SEQ, 0, 0, NULL, NULL },
	{ " seq ", 1, 0, GEN_SEQ, 0, 0, NULL, NULL },
	{ "int(5,1000)", 0, 0, GEN_INT, 5, 1000, NULL, NULL },
	{ "int( -3 , 3 )", 0, 0, GEN_INT, -3, 3, NULL, NULL },
	{ "int(7,7)", 0, 0, GEN_INT, 7, 7, NULL, NULL },
	{ "random(1,6)", 1, 0, GEN_INT, 1, 6, NULL, NULL },
	{ "name", 0, 0, GEN_NAME, 64, 0, NULL, NULL },
	{ "name(10)", 0, 0, GEN_NAME, 10, 0, NULL, NULL },
	{ "email", 0, 0, GEN_EMAIL, 64, 0, NULL, NULL },
	{ "email(30)", 1, 0, GEN_EMAIL, 30, 0, NULL, NULL },
	{ "phone", 0, 0, GEN_PHONE, 64, 0, NULL, NULL },
	{ "phone(20)", 0, 0, GEN_PHONE, 20, 0, NULL, NULL },
	{ "text(8)", 0, 0, GEN_TEXT, 8, 0, NULL, NULL },
	{ "date", 0, 0, GEN_DATE, 0, 0, NULL, NULL },
	{ "null", 1, 0, GEN_NULL, 0, 0, NULL, NULL },
	{ "nextid(users)", 1, 0, GEN_NEXTID, 0, 0, "users", NULL },
	{ "existing(users)", 1, 0, GEN_EXISTING, 0, 0, "users", NULL },
	{ "existing( users )", 1, 0, GEN_EXISTING, 0, 0, "users", NULL },
	{ "seq(user#@example.com)", 0, 0, GEN_SEQ, 0, 0, NULL, NULL },
	{ "int(1,9,k-###)", 0, 0, GEN_INT, 1, 9, NULL, NULL },
	{ "int(1500000000000,1800000000000)", 0, 0, GEN_INT, 1500000000000LL, 1800000000000LL, NULL, NULL },
	{ "name(20,plain)", 0, 0, GEN_NAME, 20, 0, NULL, NULL },
	{ "text(8, plain)", 0, 0, GEN_TEXT, 8, 0, NULL, NULL },
	{ "chars(3)", 0, 0, GEN_CHARS, 3, 0, NULL, NULL },
	{ "timestamp", 0, 0, GEN_TIME, GEN_TIMESTAMP, 0, NULL, NULL },
	{ "timestamptz", 1, 0, GEN_TIME, GEN_TIMESTAMPTZ, 0, NULL, NULL },
	{ "time", 0, 0, GEN_TIME, GEN_TIME_OF_DAY, 0, NULL, NULL },
	{ "decimal(0,100,2)", 0, 0, GEN_DECIMAL, 0, 100, NULL, NULL },
	{ "uuid", 1, 0, GEN_UUID, 0, 0, NULL, NULL },
	{ "json", 0, 0, GEN_JSON, 0, 0, NULL, NULL },

	{ "text", 0, -1, 0, 0, 0, NULL, "expected 'text(n)' with a maximum length" },
	{ "text()", 0, -1, 0, 0, 0, NULL, "expected 'text(n)' with a maximum length" },
	{ "name(0)", 0, -1, 0, 0, 0, NULL, "'0' must be a whole number from 1 to 100000" },
	{ "text(2.5)", 0, -1, 0, 0, 0, NULL, "must be a whole number" },
	{ "int(5,1)", 0, -1, 0, 0, 0, NULL, "'int(5,1)': the lower bound is above the upper" },
	{ "random(9,-9)", 1, -1, 0, 0, 0, NULL, "the lower bound is above the upper" },
	{ "int(5)", 0, -1, 0, 0, 0, NULL, "expected 'int(a,b)' with two bounds" },
	{ "int", 0, -1, 0, 0, 0, NULL, "expected 'int(a,b)' with two bounds" },
	{ "int(a,b)", 0, -1, 0, 0, 0, NULL, "expected a number or ':param', found 'a'" },
	{ "int(1,2", 0, -1, 0, 0, 0, NULL, "expected ')' at the end of 'int(1,2'" },
	{ "int(1,2) x", 0, -1, 0, 0, 0, NULL, "expected ')' at the end" },
	{ "date(1)", 0, -1, 0, 0, 0, NULL, "'date' takes no arguments" },
	{ "pick()", 0, -1, 0, 0, 0, NULL, "expected 'pick(a|b|c)' with at least one choice" },
	{ "pick", 0, -1, 0, 0, 0, NULL, "expected 'pick(a|b|c)'" },
	{ "serial", 0, -1, 0, 0, 0, NULL, "expected a generator: seq, int(a,b)" },
	{ "seq(user)", 0, -1, 0, 0, 0, NULL, "expected a '#' in the template 'user', where the number goes" },
	{ "seq(#-#)", 0, -1, 0, 0, 0, NULL, "the template '#-#' has more than one run of '#'" },
	{ "name(20,fancy)", 0, -1, 0, 0, 0, NULL, "expected 'name(n)' or '...,plain'" },
	{ "chars(3,plain)", 0, -1, 0, 0, 0, NULL, "expected 'chars(n)'" },
	{ "decimal(0,100)", 0, -1, 0, 0, 0, NULL, "expected 'decimal(a,b,s)'" },
	{ "decimal(0,100,13)", 0, -1, 0, 0, 0, NULL, "must be a whole number from 0 to 12" },
	{ "", 0, -1, 0, 0, 0, NULL, "expected a generator" },
	{ "nextid(users)", 0, -1, 0, 0, 0, NULL,
	  "'nextid' draws keys from the ledger and works only in a '\\set' line" },
	{ "existing(users)", 0, -1, 0, 0, 0, NULL, "works only in a '\\set' line" },
	{ "nextid", 1, -1, 0, 0, 0, NULL, "expected 'nextid(TABLE)' naming a table" },
	{ "existing(a b)", 1, -1, 0, 0, 0, NULL, "expected 'existing(TABLE)' naming a table" },
};

static void test_gen_parse(void **state)
{
	size_t i;
	char name[64];
	(void)state;

	for (i = 0; i < sizeof(gen_cases) / sizeof(gen_cases[0]); i++) {
		const struct gen_case *c = &gen_cases[i];
		struct strbuf err = STRBUF_INIT;
		struct gen g;
		int rc = gen_parse(c->expr, NULL, c->tx, &g, &err);

		snprintf(name, sizeof(name), "gen_parse(\"%s\", tx=%d)", c->expr, c->tx);
		if (rc != c->rc) {
			print_error("%s returned %d, expected %d: %s\n", name, rc, c->rc, err.buf);
			fail();
		}
		if (rc) {
			check_contains(name, err.buf, c->phrase);
			/* A failed parse leaves nothing to free. */
			assert_null(g.choices);
			assert_null(g.table);
		} else {
			check_int(name, "the kind", g.kind, c->kind);
			check_int(name, "a", (long)g.a, (long)c->a);
			check_int(name, "b", (long)g.b, (long)c->b);
			if (c->table)
				assert_string_equal(g.table, c->table);
			else
				assert_null(g.table);
			check_int(name, "the number of choices", (long)g.nchoices, 0);
		}
		gen_release(&g);
		strbuf_release(&err);
	}
}

/* The tx context also offers nextid and existing when a name is unknown. */
static void test_gen_parse_messages(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct gen g;
	(void)state;

	assert_int_equal(gen_parse("serial", NULL, 0, &g, &err), -1);
	assert_null(strstr(err.buf, "nextid"));
	check_contains("seed context", err.buf, "; found 'serial'");
	assert_int_equal(gen_parse("serial", NULL, 1, &g, &err), -1);
	check_contains("tx context", err.buf, "null, nextid(TABLE), existing(TABLE); found 'serial'");
	strbuf_release(&err);
}

static void test_gen_parse_pick(void **state)
{
	static const struct {
		const char *expr;
		size_t n;
		const char *choices[3];
	} cases[] = {
		{ "pick(a|b|c)", 3, { "a", "b", "c" } },
		{ "pick( red | light green |blue )", 3, { "red", "light green", "blue" } },
		{ "pick(only)", 1, { "only" } },
	};
	size_t i, k;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf err = STRBUF_INIT;
		struct gen g;
		assert_int_equal(gen_parse(cases[i].expr, NULL, 0, &g, &err), 0);
		assert_int_equal(g.kind, GEN_PICK);
		assert_int_equal(g.nchoices, cases[i].n);
		for (k = 0; k < cases[i].n; k++)
			assert_string_equal(g.choices[k], cases[i].choices[k]);
		gen_release(&g);
		assert_null(g.choices);
		assert_int_equal(g.nchoices, 0);
		strbuf_release(&err);
	}
}

/* ':name' arguments resolve against the scenario's parameters. */
static void test_gen_parse_params(void **state)
{
	static char n_lo[] = "lo", v_lo[] = "3", n_hi[] = "hi", v_hi[] = "7";
	static char n_len[] = "len", v_len[] = "12", n_word[] = "word", v_word[] = "many";
	struct param params[] = {
		{ n_lo, v_lo, 1 }, { n_hi, v_hi, 2 }, { n_len, v_len, 3 }, { n_word, v_word, 4 },
	};
	struct scenario sc;
	struct strbuf err = STRBUF_INIT;
	struct gen g;
	(void)state;

	memset(&sc, 0, sizeof(sc));
	sc.params = params;
	sc.nparams = sizeof(params) / sizeof(params[0]);

	assert_int_equal(gen_parse("int(:lo,:hi)", &sc, 0, &g, &err), 0);
	assert_int_equal(g.kind, GEN_INT);
	assert_int_equal(g.a, 3);
	assert_int_equal(g.b, 7);
	gen_release(&g);
	assert_int_equal(gen_parse("text(:len)", &sc, 1, &g, &err), 0);
	assert_int_equal(g.kind, GEN_TEXT);
	assert_int_equal(g.a, 12);
	gen_release(&g);

	assert_int_equal(gen_parse("int(:hi,:lo)", &sc, 0, &g, &err), -1);
	check_contains("int(:hi,:lo)", err.buf, "'int(7,3)': the lower bound is above the upper");
	assert_int_equal(gen_parse("int(:nope,9)", &sc, 0, &g, &err), -1);
	check_contains("int(:nope,9)", err.buf, "unknown parameter ':nope'");
	assert_int_equal(gen_parse("name(:word)", &sc, 0, &g, &err), -1);
	check_contains("name(:word)", err.buf, "parameter 'word' is 'many', expected a number");
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_not_null),
		cmocka_unit_test(test_phone_not_null_dialects),
		cmocka_unit_test(test_phone_not_null_overrides),
		cmocka_unit_test(test_minimal_scenario),
		cmocka_unit_test(test_minimal_scenario_crlf),
		cmocka_unit_test(test_csv_fixture),
		cmocka_unit_test(test_malformed_base_loads),
		cmocka_unit_test(test_rows_and_untracked),
		cmocka_unit_test(test_history_and_files),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_gen_parse),
		cmocka_unit_test(test_gen_parse_messages),
		cmocka_unit_test(test_gen_parse_pick),
		cmocka_unit_test(test_gen_parse_params),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
