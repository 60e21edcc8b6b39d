/*
** Tests of pgbench scripts as transactions: the fixture's scripts read
** into their txdefs, every refusal with its exact FILE:LINE message, the
** '\set' expression language (precedence, functions, the bounds and shapes
** of the draws, determinism), and drills of tests/fixtures/pgbench whose
** figures its story works out by hand.
**
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drillrun.h"
#include "../sim/input/pgbench.h"
#include "../sim/base/prng.h"

#define PGB "tests/fixtures/pgbench/scenario.drill"
#define PGB_DIR "tests/fixtures/pgbench"

/* A directory of our own for the scenarios and scripts the tests write. */
static char tmpdir[] = "/tmp/mdrill-pgbench-XXXXXX";

static int make_tmpdir(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	static const char *const names[] = { "s.drill", "s.sql", "fix.sql" };
	char path[sizeof(tmpdir) + 16];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

static void write_file(const char *name, const char *text)
{
	char path[sizeof(tmpdir) + 16];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* A scenario around one script, s.sql; its '@app' line is line 4. */
static const char drill_head[] =
	"-- @scenario s\n"
	"-- @schema\n"
	"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n";
static const char drill_app[] = "-- @app v1 pgbench=s.sql\n";
static const char drill_tail[] =
	"-- @migration bad\n"
	"ALTER TABLE t ADD COLUMN x TEXT;\n"
	"-- @timeline\n"
	"-- at 0 start v1 clients=1\n"
	"-- at 20 migrate bad\n"
	"-- at 30 fix\n"
	"-- at 60 end\n"
	"-- @probe t\n"
	"SELECT id, v FROM t;\n";

/* Write s.sql and a scenario with app_line, load it. */
static int load_script(const char *script, const char *app_line, struct scenario **sc,
		       struct strbuf *err)
{
	char path[sizeof(tmpdir) + 16];
	struct strbuf drill = STRBUF_INIT;
	int rc;

	strbuf_addf(&drill, "%s%s%s", drill_head, app_line ? app_line : drill_app, drill_tail);
	write_file("s.drill", drill.buf);
	write_file("s.sql", script);
	strbuf_release(&drill);
	snprintf(path, sizeof(path), "%s/s.drill", tmpdir);
	rc = scenario_load(path, NULL, 0, sc, err);
	return rc;
}

/* The fixture's scripts */

static void test_fixture_scripts(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	const struct txdef *tx;
	const struct fact_tmpl *f;
	(void)state;

	if (scenario_load(PGB, NULL, 0, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	assert_int_equal(sc->napps, 2);

	/* v1: deposit.sql alone, weight 1, BEGIN and END absorbed. */
	assert_int_equal(sc->apps[0].ntx, 1);
	assert_int_equal(sc->apps[0].total_weight, 1);
	tx = &sc->apps[0].tx[0];
	assert_string_equal(tx->name, "deposit");
	assert_string_equal(tx->file, PGB_DIR "/deposit.sql");
	assert_int_equal(tx->weight, 1);
	assert_int_equal(tx->autocommit, 0);
	assert_int_equal(tx->readonly, 0);
	assert_int_equal(tx->flag, -1);
	assert_int_equal(tx->line, 26);
	assert_int_equal(tx->nstmts, 2);
	assert_string_equal(tx->stmts[0].sql, "UPDATE accounts SET balance = :amount\n  WHERE id = :aid");
	assert_int_equal(tx->stmts[0].line, 6);
	assert_string_equal(tx->stmts[1].sql, "UPDATE accounts SET owner = :client_id WHERE id = :aid");
	assert_int_equal(tx->stmts[1].line, 9);
	/* Its variables: the two '\set' lines, then the built-in the SQL uses. */
	assert_int_equal(tx->nvars, 3);
	assert_string_equal(tx->vars[0].name, "aid");
	assert_int_equal(tx->vars[0].gen.kind, GEN_EXPR);
	assert_int_equal(tx->vars[0].line, 3);
	assert_string_equal(tx->vars[1].name, "amount");
	assert_int_equal(tx->vars[1].line, 4);
	assert_string_equal(tx->vars[2].name, "client_id");
	assert_int_equal(tx->vars[2].gen.kind, GEN_EXPR);
	assert_false(pgbench_expr_is_double(tx->vars[1].gen.expr));
	/* The sleep sits between the two statements, inside the transaction. */
	assert_int_equal(tx->nsleeps, 1);
	assert_int_equal(tx->sleeps[0].at, 1);
	assert_int_equal(tx->sleeps[0].n, 5);
	assert_int_equal(tx->sleeps[0].var, -1);
	assert_int_equal(tx->sleeps[0].unit_us, 1000);
	assert_int_equal(tx->sleeps[0].line, 8);
	/* Its '-- @writes' line. */
	assert_int_equal(tx->nfacts, 1);
	f = &tx->facts[0];
	assert_int_equal(f->op, FACT_OP_WRITE);
	assert_string_equal(f->table, "accounts");
	assert_string_equal(f->key_var, "aid");
	assert_int_equal(f->line, 11);
	assert_int_equal(f->nfields, 2);
	assert_string_equal(f->fields[0].field, "balance");
	assert_string_equal(f->fields[0].var, "amount");
	assert_string_equal(f->fields[1].field, "owner");
	assert_string_equal(f->fields[1].var, "client_id");

	/* v2: deposit@3, audit (weight 1 by default), then a '-- @tx' block. */
	assert_int_equal(sc->apps[1].ntx, 3);
	assert_int_equal(sc->apps[1].total_weight, 6);
	assert_string_equal(sc->apps[1].tx[0].name, "deposit");
	assert_int_equal(sc->apps[1].tx[0].weight, 3);
	tx = &sc->apps[1].tx[1];
	assert_string_equal(tx->name, "audit");
	assert_int_equal(tx->weight, 1);
	assert_int_equal(tx->autocommit, 1);
	assert_int_equal(tx->nstmts, 1);
	assert_string_equal(tx->stmts[0].sql, "SELECT count(*) FROM accounts WHERE id BETWEEN :lo AND :hi");
	assert_int_equal(tx->nvars, 3);
	assert_string_equal(tx->vars[2].name, "pause");
	assert_int_equal(tx->nsleeps, 2);
	assert_int_equal(tx->sleeps[0].at, TX_SLEEP_BEFORE_BEGIN);
	assert_int_equal(tx->sleeps[0].var, 2);
	assert_int_equal(tx->sleeps[0].unit_us, 1000);
	assert_int_equal(tx->sleeps[1].at, TX_SLEEP_AFTER_COMMIT);
	assert_int_equal(tx->sleeps[1].n, 500);
	assert_int_equal(tx->sleeps[1].unit_us, 1);
	assert_int_equal(tx->nfacts, 0);
	tx = &sc->apps[1].tx[2];
	assert_string_equal(tx->name, "peek");
	assert_null(tx->file);
	assert_int_equal(tx->weight, 2);
	assert_int_equal(tx->readonly, 1);
	assert_int_equal(tx->vars[0].gen.kind, GEN_EXISTING);
	scenario_free(sc);
	strbuf_release(&err);
}

/* What pgbench allows and mdrill keeps: a string over lines, a continued command. */
static void test_script_forms(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	const struct txdef *tx;
	(void)state;

	if (load_script("-- a string may hold what looks like a command\n"
			"\\set x 1 + \\\n"
			"   2\n"
			"INSERT INTO t (id, v) VALUES (:x, 'a\n"
			"\\set y 2\n"
			"-- b');\n"
			"\\sleep 2\n", NULL, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	tx = &sc->apps[0].tx[0];
	assert_int_equal(tx->autocommit, 1);
	assert_int_equal(tx->nvars, 1);
	assert_int_equal(tx->nstmts, 1);
	assert_int_equal(tx->stmts[0].line, 4);
	assert_string_equal(tx->stmts[0].sql, "INSERT INTO t (id, v) VALUES (:x, 'a\n\\set y 2\n-- b')");
	assert_int_equal(tx->nsleeps, 1);
	assert_int_equal(tx->sleeps[0].at, TX_SLEEP_AFTER_COMMIT);
	assert_int_equal(tx->sleeps[0].n, 2);
	assert_int_equal(tx->sleeps[0].unit_us, 1000000);   /* pgbench's unit is the second */
	assert_int_equal(tx->sleeps[0].line, 7);
	scenario_free(sc);

	/* COMMIT closes as END does; a sleep before COMMIT is at nstmts. */
	sc = NULL;
	if (load_script("BEGIN;\nSELECT 1;\n\\sleep 3 us\nCOMMIT;\n", NULL, &sc, &err))
		print_error("%s\n", err.buf);
	assert_non_null(sc);
	tx = &sc->apps[0].tx[0];
	assert_int_equal(tx->autocommit, 0);
	assert_int_equal(tx->nstmts, 1);
	assert_int_equal(tx->sleeps[0].at, 1);
	scenario_free(sc);
	strbuf_release(&err);
}

/* Refusals */

struct bad_script {
	const char *name;
	const char *script;
	int line;
	const char *msg;     /* all of it, after "FILE:LINE: " */
};

static const struct bad_script bad_scripts[] = {
	{ "two statements without BEGIN", "SELECT 1;\nSELECT 2;\n", 2,
	  "mdrill runs a script as one transaction; wrap the statements in BEGIN; ... END;" },
	{ "a second statement over two lines", "\\set x 1\nSELECT :x;\nUPDATE t SET v = 'a'\n  WHERE id = :x;\n",
	  3, "mdrill runs a script as one transaction; wrap the statements in BEGIN; ... END;" },
	{ "\\gset after SQL", "SELECT 1 AS one \\gset\n", 1,
	  "'\\gset' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "\\if", "BEGIN;\nSELECT 1;\n\\if 1\nEND;\n", 3,
	  "'\\if' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "\\shell", "\\shell echo x\nSELECT 1;\n", 1,
	  "'\\shell' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "\\setshell", "\\setshell x echo 1\nSELECT 1;\n", 1,
	  "'\\setshell' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "\\setrandom", "\\setrandom x 1 10\nSELECT 1;\n", 1,
	  "'\\setrandom' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "\\startpipeline", "SELECT 1;\n\\startpipeline\n", 2,
	  "'\\startpipeline' is not supported by mdrill (expected SQL, '\\set', '\\sleep' and '--' comments)" },
	{ "expression cut short", "\\set x 1 +\nSELECT :x;\n", 1,
	  "expected a number, ':var', a function or '(' at the end of the expression" },
	{ "unsupported function", "\\set x sqrt(2)\n", 1,
	  "unknown or unsupported function 'sqrt' (expected random, random_exponential, "
	  "random_gaussian, random_zipfian, abs, least, greatest, int or double)" },
	{ "comparison", "\\set x 1 < 2\n", 1,
	  "operator '<' is not supported (expected + - * / % or the end of the expression)" },
	{ "unclosed parenthesis", "\\set x (1 + 2\n", 1, "expected ')'" },
	{ "arguments missing", "\\set x random(1)\n", 1, "'random' takes 2 arguments, found 1" },
	{ "bare word", "\\set x y + 1\n", 1,
	  "'y' is not supported (expected numbers, ':var', + - * / %, parentheses and the functions "
	  "random, random_exponential, random_gaussian, random_zipfian, abs, least, greatest, int or "
	  "double; a variable is written ':y')" },
	{ "unset variable in an expression", "\\set x :y + 1\n", 1,
	  "':y' is not set before this line (expected a '\\set y ...' line above, or one of the "
	  "built-ins :scale and :client_id)" },
	{ "unset variable in SQL", "SELECT :y;\n", 1,
	  "':y' is not set before this statement (expected a '\\set y ...' line above it)" },
	{ "variable set only after its statement", "SELECT :y;\n\\set y 1\n", 1,
	  "':y' is not set before this statement (expected a '\\set y ...' line above it)" },
	{ "variable set twice", "\\set x 1\n\\set x :x + 1\n", 2,
	  "'x' is set twice (mdrill evaluates every '\\set' when the transaction starts, so a "
	  "variable has one value; use another name)" },
	{ "\\set without an expression", "\\set x\nSELECT 1;\n", 1, "expected '\\set NAME EXPRESSION'" },
	{ "unknown sleep unit", "\\sleep 5 minutes\nSELECT 1;\n", 1,
	  "unknown time unit 'minutes' (expected us, ms or s)" },
	{ "sleep on a double", "\\set d 1.5\n\\sleep :d ms\nSELECT 1;\n", 2,
	  "'\\sleep :d' needs an integer, and 'd' is a double (wrap it in int())" },
	{ "sleep on an unset variable", "\\sleep :nope\nSELECT 1;\n", 1,
	  "':nope' is not set before this line (expected a '\\set nope ...' line above)" },
	{ "sleep of a fraction", "SELECT 1;\n\\sleep 1.5 ms\n", 2,
	  "expected a whole number of ms or ':var' after '\\sleep', found '1.5'" },
	{ "sleep with too much", "SELECT 1;\n\\sleep 1 ms more\n", 2,
	  "too many arguments to '\\sleep' (expected '\\sleep N [us|ms|s]')" },
	{ "BEGIN without END", "\\set x 1\nBEGIN;\nSELECT :x;\n", 2,
	  "BEGIN without END (expected 'END;' or 'COMMIT;' to close the transaction)" },
	{ "END without BEGIN", "SELECT 1;\nEND;\n", 2, "'END' without a BEGIN before it" },
	{ "SQL after END", "BEGIN;\nSELECT 1;\nEND;\nSELECT 2;\n", 4,
	  "SQL after END would be a transaction of its own; mdrill runs a script as one transaction" },
	{ "SQL before BEGIN", "SELECT 1;\nBEGIN;\nSELECT 2;\nEND;\n", 2,
	  "SQL before BEGIN would be a transaction of its own; mdrill runs a script as one transaction" },
	{ "ROLLBACK", "BEGIN;\nSELECT 1;\nROLLBACK;\n", 3,
	  "'ROLLBACK' is not supported (mdrill ends a script's transaction with COMMIT)" },
	{ "BEGIN with options", "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nEND;\n", 1,
	  "expected 'BEGIN;' alone, found 'BEGIN ISOLATION LEVEL SERIALIZABLE' (mdrill begins the "
	  "transaction itself, so options would not be kept)" },
	{ "a statement left open before a command", "BEGIN;\nUPDATE t SET v = 'a'\n\\sleep 1\nEND;\n", 3,
	  "expected ';' to end the SQL statement before '\\sleep'" },
	{ "division by zero in a constant", "\\set x 1 / (2 - 2)\nSELECT :x;\n", 1, "division by zero" },
	{ "overflow in a constant", "\\set x 9223372036854775807 + 1\n", 1, "bigint out of range" },
	{ "empty random range", "\\set x random(5, 1) + :client_id\n", 1,
	  "empty range given to random (5 to 1)" },
	{ "gaussian parameter", "\\set x random_gaussian(1, 10, 1.5)\n", 1,
	  "gaussian parameter must be at least 2.0 (not 1.5)" },
	{ "zipfian parameter", "\\set x random_zipfian(1, 10, 1)\n", 1,
	  "zipfian parameter must be in range [1.001, 1000] (not 1)" },
	{ "exponential parameter", "\\set x random_exponential(1, 10, 0)\n", 1,
	  "exponential parameter must be greater than zero (not 0)" },
	{ "no SQL", "-- only a comment\n\\set x 1\n", 2, "no SQL statement in the script" },
	{ "a scenario directive", "-- @flag beta\nSELECT 1;\n", 1,
	  "'-- @flag' does nothing in a pgbench script (expected '-- @writes' or '-- @deletes')" },
	{ "@writes naming an unset variable",
	  "\\set id random(1, 9)\nINSERT INTO t (id) VALUES (:id);\n-- @writes t key=:id v=:nope\n", 3,
	  "':nope' is not set in transaction 's'" },
	{ "facts without a probe",
	  "\\set id random(1, 9)\nINSERT INTO t (id) VALUES (:id);\n-- @deletes u key=:id\n", 3,
	  "table 'u' has facts but no '-- @probe u' to check them" },
};

static void check_message(const char *name, const char *got, const char *want)
{
	if (strcmp(got, want)) {
		print_error("%s:\n  got  '%s'\n  want '%s'\n", name, got, want);
		fail();
	}
}

static void test_bad_scripts(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad_scripts) / sizeof(bad_scripts[0]); i++) {
		const struct bad_script *c = &bad_scripts[i];
		struct scenario *sc = NULL;
		struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;

		if (load_script(c->script, NULL, &sc, &err) != -1) {
			print_error("%s: loaded, expected line %d: %s\n", c->name, c->line, c->msg);
			scenario_free(sc);
			fail();
		}
		assert_null(sc);
		strbuf_addf(&want, "%s/s.sql:%d: %s", tmpdir, c->line, c->msg);
		check_message(c->name, err.buf, want.buf);
		strbuf_release(&want);
		strbuf_release(&err);
	}
}

struct bad_app {
	const char *name;
	const char *app_line;    /* line 4 of the scenario */
	const char *msg;         /* after "TMPDIR/s.drill:4: "; %s is TMPDIR */
};

static const struct bad_app bad_apps[] = {
	{ "a script that is not there", "-- @app v1 pgbench=nope.sql\n",
	  "cannot open pgbench script '%s/nope.sql': No such file or directory" },
	{ "a weight that is no number", "-- @app v1 pgbench=s.sql@lots\n",
	  "expected a number or ':param', found 'lots'" },
	{ "something else after the version", "-- @app v1 other\n",
	  "expected '-- @app VERSION [pgbench=FILE[@WEIGHT] ...]', found 'other'" },
	{ "the same name twice", "-- @app v1 pgbench=s.sql pgbench=./s.sql@2\n",
	  "app version 'v1' has two transactions named 's'" },
	{ "a weight of zero only", "-- @app v1 pgbench=s.sql@0\n",
	  "app version 'v1' has no transaction of positive weight" },
};

static void test_bad_app_lines(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad_apps) / sizeof(bad_apps[0]); i++) {
		const struct bad_app *c = &bad_apps[i];
		struct scenario *sc = NULL;
		struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;

		if (load_script("SELECT 1;\n", c->app_line, &sc, &err) != -1) {
			print_error("%s: loaded\n", c->name);
			scenario_free(sc);
			fail();
		}
		strbuf_addf(&want, "%s/s.drill:4: ", tmpdir);
		{
			const char *dir = strstr(c->msg, "%s");
			if (dir) {
				strbuf_add(&want, c->msg, (size_t)(dir - c->msg));
				strbuf_addf(&want, "%s%s", tmpdir, dir + 2);
			} else {
				strbuf_addstr(&want, c->msg);
			}
		}
		check_message(c->name, err.buf, want.buf);
		strbuf_release(&want);
		strbuf_release(&err);
	}
}

/* Expressions */

/* Parse text against tx (may be NULL) and evaluate it once. */
static struct pgbench_value eval_text(const char *text, const struct scenario *sc,
				      const struct txdef *tx, const struct pgbench_value *vars,
				      int64_t client_id, uint64_t seed)
{
	struct pgbench_expr *e = NULL;
	struct strbuf err = STRBUF_INIT;
	struct pgbench_value v;
	struct prng rng;
	struct pgbench_env env;

	if (pgbench_expr_parse(text, sc ? scenario_param(sc, "scale") : NULL, tx, &e, &err)) {
		print_error("'%s': %s\n", text, err.buf);
		fail();
	}
	prng_seed(&rng, seed, 7);
	env.rng = &rng;
	env.client_id = client_id;
	env.vars = vars;
	if (pgbench_eval(e, &env, &v, &err)) {
		print_error("'%s': %s\n", text, err.buf);
		fail();
	}
	assert_int_equal(pgbench_expr_is_double(e), v.is_double);
	pgbench_expr_free(e);
	strbuf_release(&err);
	return v;
}

struct expr_case {
	const char *text;
	int is_double;
	int64_t i;
	double d;
	const char *shown;   /* as it goes into SQL */
};

static const struct expr_case expr_cases[] = {
	{ "2 + 3 * 4", 0, 14, 0, "14" },
	{ "(2 + 3) * 4", 0, 20, 0, "20" },
	{ "2 * 3 + 4 * 5", 0, 26, 0, "26" },
	{ "2 - 3 - 4", 0, -5, 0, "-5" },             /* left to right */
	{ "100 / 10 / 5", 0, 2, 0, "2" },
	{ "7 / 2", 0, 3, 0, "3" },                   /* integer division truncates */
	{ "-7 / 2", 0, -3, 0, "-3" },
	{ "7 % 3", 0, 1, 0, "1" },
	{ "-7 % 3", 0, -1, 0, "-1" },
	{ "7 % -1", 0, 0, 0, "0" },
	{ "1 + 2 * 3 % 4", 0, 3, 0, "3" },           /* * and % bind alike, left to right */
	{ "-2 * -3", 0, 6, 0, "6" },
	{ "- (4 - 10)", 0, 6, 0, "6" },
	{ "+4", 0, 4, 0, "4" },
	{ "- -3", 0, 3, 0, "3" },
	{ "7.0 / 2", 1, 0, 3.5, "3.5" },
	{ "1 + 2.5", 1, 0, 3.5, "3.5" },
	{ "1e3", 1, 0, 1000, "1000" },
	{ ".5 * 4", 1, 0, 2, "2" },
	{ "1.0 / 3", 1, 0, 1.0 / 3, "0.333333333333333" },
	{ "-(0.0)", 1, 0, 0, "0" },                  /* 0 - 0.0, as pgbench has it */
	{ "7.5 % 2", 0, 0, 0, "0" },                 /* % rounds doubles: 8 % 2 */
	{ "int(5.4 + 3.8)", 0, 9, 0, "9" },
	{ "int(2.5)", 0, 2, 0, "2" },                /* rint: halves to even */
	{ "int(-2.7)", 0, -3, 0, "-3" },
	{ "double(3)", 1, 0, 3, "3" },
	{ "abs(-5)", 0, 5, 0, "5" },
	{ "abs(-2.5)", 1, 0, 2.5, "2.5" },
	{ "least(3, 1, 2)", 0, 1, 0, "1" },
	{ "greatest(3, 7, 2)", 0, 7, 0, "7" },
	{ "greatest(3, 1.5, 2)", 1, 0, 3, "3" },     /* a double among them makes it double */
	{ "least(4)", 0, 4, 0, "4" },
	{ "LEAST(2, 9) * Abs(-3)", 0, 6, 0, "6" },   /* function names in any case */
	{ "10 * :scale", 0, 10, 0, "10" },           /* no 'scale' parameter: 1 */
	{ "random(4, 4)", 0, 4, 0, "4" },
	{ "random_zipfian(9, 9, 1.5)", 0, 9, 0, "9" },
	{ "9223372036854775807", 0, INT64_MAX, 0, "9223372036854775807" },
};

static void test_expressions(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(expr_cases) / sizeof(expr_cases[0]); i++) {
		const struct expr_case *c = &expr_cases[i];
		struct pgbench_value v = eval_text(c->text, NULL, NULL, NULL, 0, 1);
		struct strbuf shown = STRBUF_INIT;

		if (v.is_double != c->is_double || (v.is_double ? v.d != c->d : v.i != c->i)) {
			print_error("'%s': got %s %lld %.17g\n", c->text, v.is_double ? "double" : "int",
				    (long long)v.i, v.d);
			fail();
		}
		pgbench_value_format(&v, &shown);
		check_message(c->text, shown.buf, c->shown);
		strbuf_release(&shown);
	}
}

/* Variables, the scale parameter and the client id. */
static void test_expression_inputs(void **state)
{
	struct scenario *sc = NULL;
	struct strbuf err = STRBUF_INIT;
	const struct txdef *tx;
	struct pgbench_value vars[3], v;
	const struct param_set scale3 = { "scale", "3" };
	(void)state;

	write_file("s.sql", "\\set a 6\n\\set b 2.5\n\\set c :a * :b\nSELECT :c;\n");
	{
		struct strbuf drill = STRBUF_INIT;
		char path[sizeof(tmpdir) + 16];
		strbuf_addf(&drill, "-- @param scale 2\n%s%s%s", drill_head, drill_app, drill_tail);
		write_file("s.drill", drill.buf);
		strbuf_release(&drill);
		snprintf(path, sizeof(path), "%s/s.drill", tmpdir);
		if (scenario_load(path, &scale3, 1, &sc, &err))
			print_error("%s\n", err.buf);
	}
	assert_non_null(sc);
	tx = &sc->apps[0].tx[0];
	assert_int_equal(tx->nvars, 3);
	assert_false(pgbench_expr_is_double(tx->vars[0].gen.expr));
	assert_true(pgbench_expr_is_double(tx->vars[1].gen.expr));
	assert_true(pgbench_expr_is_double(tx->vars[2].gen.expr));   /* int * double */

	vars[0].is_double = 0;
	vars[0].i = 6;
	vars[1].is_double = 1;
	vars[1].d = 2.5;
	v = eval_text(":a * 10 + :b", sc, tx, vars, 0, 1);
	assert_true(v.is_double && v.d == 62.5);
	v = eval_text(":a % 4", sc, tx, vars, 0, 1);
	assert_true(!v.is_double && v.i == 2);
	/* :scale is the scenario's parameter, as --set leaves it. */
	v = eval_text("10 * :scale", sc, tx, vars, 0, 1);
	assert_true(!v.is_double && v.i == 30);
	v = eval_text(":client_id * 100", sc, tx, vars, 7, 1);
	assert_true(!v.is_double && v.i == 700);
	scenario_free(sc);

	/* What only fails for some values fails when it is evaluated. */
	{
		struct pgbench_expr *e;
		struct pgbench_env env;
		struct prng rng;
		assert_int_equal(pgbench_expr_parse("60 / :client_id", NULL, NULL, &e, &err), 0);
		prng_seed(&rng, 1, 1);
		env.rng = &rng;
		env.vars = NULL;
		env.client_id = 4;
		assert_int_equal(pgbench_eval(e, &env, &v, &err), 0);
		assert_int_equal(v.i, 15);
		env.client_id = 0;
		assert_int_equal(pgbench_eval(e, &env, &v, &err), -1);
		assert_string_equal(err.buf, "division by zero");
		pgbench_expr_free(e);
		assert_int_equal(pgbench_expr_parse("random(10, :client_id)", NULL, NULL, &e, &err), 0);
		env.client_id = 12;
		assert_int_equal(pgbench_eval(e, &env, &v, &err), 0);
		assert_true(v.i >= 10 && v.i <= 12);
		env.client_id = 9;
		assert_int_equal(pgbench_eval(e, &env, &v, &err), -1);
		assert_string_equal(err.buf, "empty range given to random (10 to 9)");
		pgbench_expr_free(e);
	}
	strbuf_release(&err);
}

#define DRAWS 20000

/* DRAWS values of text from one PRNG stream, into counts[value - lo]. */
static void draw_many(const char *text, int64_t lo, int64_t hi, uint64_t seed, long *counts)
{
	struct pgbench_expr *e = NULL;
	struct strbuf err = STRBUF_INIT;
	struct pgbench_env env;
	struct prng rng;
	int i;

	assert_int_equal(pgbench_expr_parse(text, NULL, NULL, &e, &err), 0);
	prng_seed(&rng, seed, 3);
	env.rng = &rng;
	env.client_id = 0;
	env.vars = NULL;
	memset(counts, 0, (size_t)(hi - lo + 1) * sizeof(*counts));
	for (i = 0; i < DRAWS; i++) {
		struct pgbench_value v;
		assert_int_equal(pgbench_eval(e, &env, &v, &err), 0);
		if (v.is_double || v.i < lo || v.i > hi) {
			print_error("'%s' drew %lld, outside %lld..%lld\n", text, (long long)v.i,
				    (long long)lo, (long long)hi);
			fail();
		}
		counts[v.i - lo]++;
	}
	pgbench_expr_free(e);
	strbuf_release(&err);
}

static double share(const long *counts, int from, int to)
{
	long n = 0;
	int i;
	for (i = from; i <= to; i++)
		n += counts[i];
	return (double)n / DRAWS;
}

static void test_draws(void **state)
{
	long counts[100];
	double mean = 0;
	int i;
	(void)state;

	/* Uniform: every value of the range, nothing outside it, evenly. */
	draw_many("random(-3, 3)", -3, 3, 1, counts);
	for (i = 0; i < 7; i++)
		assert_true(counts[i] > DRAWS / 7 * 0.9 && counts[i] < DRAWS / 7 * 1.1);

	/*
	** Exponential, parameter 5 over 1..100: the first fifth of the range
	** holds (1 - e^-1) / (1 - e^-5) = 63.6% of the draws.
	*/
	draw_many("random_exponential(1, 100, 5)", 1, 100, 2, counts);
	assert_true(share(counts, 0, 19) > 0.61 && share(counts, 0, 19) < 0.66);
	assert_true(counts[0] > counts[50]);

	/*
	** Gaussian, parameter 5 over 1..100: the standard deviation is a tenth
	** of the range, so 68.3% fall within 41..60, and the mean is 50.5.
	*/
	draw_many("random_gaussian(1, 100, 5.0)", 1, 100, 3, counts);
	assert_true(share(counts, 40, 59) > 0.66 && share(counts, 40, 59) < 0.71);
	for (i = 0; i < 100; i++)
		mean += (double)(i + 1) * (double)counts[i] / DRAWS;
	assert_true(mean > 50 && mean < 51);

	/* Zipfian, s = 1.5: value k is drawn in proportion to 1/k^1.5, so 1 is 2^1.5 times 2. */
	draw_many("random_zipfian(1, 100, 1.5)", 1, 100, 4, counts);
	assert_true((double)counts[0] / (double)counts[1] > 2.5 && (double)counts[0] / (double)counts[1] < 3.2);
	assert_true(counts[0] > counts[1] && counts[1] > counts[3] && counts[3] > counts[15]);
	assert_true(share(counts, 0, 0) > 0.39 && share(counts, 0, 0) < 0.44);
}

/* The same seed, the same values; another seed, others. */
static void test_draws_determinism(void **state)
{
	static const char text[] =
		"random(1, 1000000) + random_exponential(1, 1000, 2.5) * 3 - "
		"random_gaussian(1, 1000, 2.5) + random_zipfian(1, 1000, 1.07)";
	struct pgbench_expr *e = NULL;
	struct strbuf err = STRBUF_INIT;
	struct prng a, b, c;
	struct pgbench_env ea, eb, ec;
	int i, differ = 0;
	(void)state;

	assert_int_equal(pgbench_expr_parse(text, NULL, NULL, &e, &err), 0);
	prng_seed(&a, 42, 9);
	prng_seed(&b, 42, 9);
	prng_seed(&c, 43, 9);
	ea.rng = &a;
	eb.rng = &b;
	ec.rng = &c;
	ea.client_id = eb.client_id = ec.client_id = 0;
	ea.vars = eb.vars = ec.vars = NULL;
	for (i = 0; i < 1000; i++) {
		struct pgbench_value x, y, z;
		assert_int_equal(pgbench_eval(e, &ea, &x, &err), 0);
		assert_int_equal(pgbench_eval(e, &eb, &y, &err), 0);
		assert_int_equal(pgbench_eval(e, &ec, &z, &err), 0);
		assert_int_equal(x.i, y.i);
		differ += x.i != z.i;
	}
	/* The streams stay in step: each drew as many numbers as the other. */
	assert_true(prng_next(&a) == prng_next(&b));
	assert_true(differ > 990);
	pgbench_expr_free(e);
	strbuf_release(&err);
}

/* Drills of the fixture (its story derives the figures) */

static void test_drill_rename_back_passes(void **state)
{
	struct run r;
	const struct ledger *l;
	(void)state;

	assert_int_equal(run_drill(&r, PGB, "fixes/rename-back.sql", 1, NULL, 0), 0);
	l = &r.d.ledger;
	/*
	** The first deposit: BEGIN at 0, UPDATE at 1, asleep 2 to 6, UPDATE at
	** 7, COMMIT at 8; the second starts at 9.
	*/
	assert_true(l->ntx > 3);
	assert_int_equal(l->tx[1].invoke, 0);
	assert_int_equal(l->tx[1].complete, 8);
	assert_int_equal(l->tx[1].outcome, TX_OK);
	assert_int_equal(l->tx[1].version, 0);
	assert_int_equal(l->tx[1].txdef, 0);
	assert_int_equal(l->tx[2].invoke, 9);
	assert_int_equal(l->tx[2].complete, 17);
	/* Ten invoked before the bad migration at 85, every one committed. */
	assert_int_equal(committed_in(&r.card, PH_BEFORE), 10);
	assert_int_equal(failed_in(&r.card, PH_BEFORE), 0);
	/*
	** The migration came in the tenth one's sleep and waited for its COMMIT
	** at 89: 5 ticks at least (its record in schema_migrations may queue
	** behind the next BEGIN too, as the schedule has it).
	*/
	assert_int_equal(r.card.bad.start, 85);
	assert_true(r.card.bad.waited >= 5);
	assert_true(r.card.bad.end >= 90);
	/* The rename breaks every deposit until the fix. */
	assert_int_equal(committed_in(&r.card, PH_INCIDENT), 0);
	assert_true(failed_in(&r.card, PH_INCIDENT) > 0);
	assert_true(r.card.after_committed > 0);
	assert_int_equal(r.card.after_failed, 0);
	/* Ten accounts, a balance and an owner each: 20 facts, all kept. */
	assert_int_equal(r.card.total.expected, 20);
	assert_int_equal(r.card.total.n[OC_PRESERVED], 20);
	assert_true(r.card.ratio == 1.0);
	assert_true(r.card.pass);
	run_release(&r);
}

static void test_drill_rename_elsewhere_fails(void **state)
{
	struct run r;
	(void)state;

	assert_int_equal(run_drill(&r, PGB, "fixes/rename-elsewhere.sql", 1, NULL, 0), 0);
	assert_int_equal(committed_in(&r.card, PH_BEFORE), 10);
	/* Every balance is under a column the probe does not read: 10 lost fields. */
	assert_int_equal(r.card.total.expected, 20);
	assert_int_equal(r.card.total.n[OC_LOST_FIELD], 10);
	assert_int_equal(r.card.total.n[OC_PRESERVED], 10);
	assert_int_equal(r.card.after_committed, 0);
	assert_true(r.card.after_failed > 0);
	assert_false(r.card.pass);
	assert_true(r.card.score < 50);
	run_release(&r);
}

static void test_drill_same_seed_same_json(void **state)
{
	struct run a, b, c;
	(void)state;

	assert_int_equal(run_drill(&a, PGB, "fixes/rename-back.sql", 3, NULL, 0), 0);
	assert_int_equal(run_drill(&b, PGB, "fixes/rename-back.sql", 3, NULL, 0), 0);
	assert_int_equal(run_drill(&c, PGB, "fixes/rename-back.sql", 4, NULL, 0), 0);
	assert_string_equal(a.json.buf, b.json.buf);
	assert_true(strcmp(a.json.buf, c.json.buf) != 0);
	run_release(&a);
	run_release(&b);
	run_release(&c);
}

/*
** A '\set' that fails as the transaction starts fails the transaction,
** with the reason, and runs none of its SQL.
*/
static void test_drill_expression_failure(void **state)
{
	struct run r;
	char path[sizeof(tmpdir) + 16];
	const struct ledger *l;
	(void)state;

	write_file("s.sql", "\\set d random(0, 0)\n\\set x 10 / :d\nSELECT :x;\n");
	write_file("fix.sql", "SELECT 1;\n");
	{
		struct strbuf drill = STRBUF_INIT;
		strbuf_addf(&drill, "%s%s%s", drill_head, drill_app, drill_tail);
		write_file("s.drill", drill.buf);
		strbuf_release(&drill);
	}
	snprintf(path, sizeof(path), "%s/s.drill", tmpdir);
	assert_int_equal(run_drill(&r, path, "fix.sql", 1, NULL, 0), 0);
	l = &r.d.ledger;
	assert_true(l->ntx > 2);
	assert_int_equal(l->tx[1].outcome, TX_FAILED);
	assert_string_equal(ledger_str(l, l->tx[1].msg), "\\set x: division by zero");
	assert_int_equal(committed_in(&r.card, PH_BEFORE) + committed_in(&r.card, PH_AFTER), 0);
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_scripts),
		cmocka_unit_test(test_script_forms),
		cmocka_unit_test(test_bad_scripts),
		cmocka_unit_test(test_bad_app_lines),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_expression_inputs),
		cmocka_unit_test(test_draws),
		cmocka_unit_test(test_draws_determinism),
		cmocka_unit_test(test_drill_rename_back_passes),
		cmocka_unit_test(test_drill_rename_elsewhere_fails),
		cmocka_unit_test(test_drill_same_seed_same_json),
		cmocka_unit_test(test_drill_expression_failure),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
