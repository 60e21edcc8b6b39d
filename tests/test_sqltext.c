/*
** Tests of the engine-neutral SQL text handling: sql_split, sql_skip_quoted
** and sql_number_params, and of the fix-file reader that picks a
** '-- @fix [sqlite|postgres]' block per dialect before splitting it and
** marks the statements its '-- @repeat [max=N]' lines stand before.
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

#include "../sim/input/fixfile.h"
#include "../sim/input/scenario.h"
#include "../sim/base/sqltext.h"
#include "../sim/base/strbuf.h"

#define MAX_WANT 6

struct want_stmt {
	const char *sql;
	int line;
};

/* Fail with the case's name when got differs from want. */
static void check_str(const char *name, const char *what, const char *got, const char *want)
{
	if (!got || strcmp(got, want)) {
		print_error("%s: %s is '%s', expected '%s'\n", name, what,
			    got ? got : "(null)", want);
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

static void check_contains(const char *name, const char *what, const char *got, const char *want)
{
	if (!got || !strstr(got, want)) {
		print_error("%s: %s is '%s', expected it to contain '%s'\n", name, what,
			    got ? got : "(null)", want);
		fail();
	}
}

static void check_script(const char *name, const struct sql_script *s,
			 const struct want_stmt *want, size_t nwant)
{
	size_t i;
	char what[64];

	check_int(name, "the number of statements", (long)s->nr, (long)nwant);
	for (i = 0; i < nwant; i++) {
		snprintf(what, sizeof(what), "statement %zu", i);
		check_str(name, what, s->v[i].sql, want[i].sql);
		snprintf(what, sizeof(what), "the line of statement %zu", i);
		check_int(name, what, s->v[i].line, want[i].line);
	}
}

/* sql_split */

struct split_case {
	const char *name;
	const char *text;
	int first_line;
	size_t nr;
	struct want_stmt want[MAX_WANT];
};

static const struct split_case split_cases[] = {
	{ "CASE ... END; inside a trigger body",
	  "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n"
	  " UPDATE t SET v = CASE WHEN new.v IS NULL THEN 'x' ELSE new.v END;\n"
	  " DELETE FROM y;\nEND;\nSELECT 1;", 1, 2,
	  { { "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n"
	      " UPDATE t SET v = CASE WHEN new.v IS NULL THEN 'x' ELSE new.v END;\n"
	      " DELETE FROM y;\nEND", 1 },
	    { "SELECT 1", 5 } } },
	{ "one statement", "SELECT 1;", 1, 1, { { "SELECT 1", 1 } } },
	{ "empty text", "", 1, 0, { { NULL, 0 } } },
	{ "white space only", "  \n\t\n", 1, 0, { { NULL, 0 } } },
	{ "semicolon in single quotes",
	  "INSERT INTO t VALUES ('a;b', 'it''s; here');\nSELECT 2;", 1, 2,
	  { { "INSERT INTO t VALUES ('a;b', 'it''s; here')", 1 }, { "SELECT 2", 2 } } },
	{ "semicolon in double quotes",
	  "SELECT \"odd;name\" FROM t;\nSELECT 2;", 1, 2,
	  { { "SELECT \"odd;name\" FROM t", 1 }, { "SELECT 2", 2 } } },
	{ "semicolon in a line comment",
	  "SELECT 1; -- not; a split\nSELECT 2 -- nor; this\n;", 1, 2,
	  { { "SELECT 1", 1 }, { "SELECT 2 -- nor; this", 2 } } },
	{ "semicolon in a block comment",
	  "SELECT /* ; */ 1;\n/* a\n;b */ SELECT 2;", 1, 2,
	  { { "SELECT /* ; */ 1", 1 }, { "SELECT 2", 3 } } },
	{ "PostgreSQL $$ quote",
	  "CREATE FUNCTION f() RETURNS int AS $$\n  SELECT 1;\n$$ LANGUAGE sql;\nSELECT 2;", 1, 2,
	  { { "CREATE FUNCTION f() RETURNS int AS $$\n  SELECT 1;\n$$ LANGUAGE sql", 1 },
	    { "SELECT 2", 4 } } },
	{ "PostgreSQL $tag$ quote",
	  "DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$;\nSELECT $1;", 1, 2,
	  { { "DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$", 1 },
	    { "SELECT $1", 2 } } },
	{ "SQLite trigger kept whole",
	  "CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n"
	  "  UPDATE c SET n = n + 1;\n  INSERT INTO log VALUES (new.id);\nEND;\nSELECT 1;", 1, 2,
	  { { "CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n"
	      "  UPDATE c SET n = n + 1;\n  INSERT INTO log VALUES (new.id);\nEND", 1 },
	    { "SELECT 1", 6 } } },
	{ "temp trigger with IF NOT EXISTS, lower case",
	  "create temp trigger if not exists trg after delete on t begin\n"
	  "  delete from c where id = old.id;\nend;\nselect 1;", 1, 2,
	  { { "create temp trigger if not exists trg after delete on t begin\n"
	      "  delete from c where id = old.id;\nend", 1 },
	    { "select 1", 4 } } },
	{ "CASE ... END inside a trigger",
	  "CREATE TRIGGER trg AFTER UPDATE ON t BEGIN\n"
	  "  UPDATE t SET v = CASE WHEN new.v IS NULL THEN 'end;' ELSE new.v END WHERE id = new.id;\n"
	  "  DELETE FROM x WHERE end_at < 0;\nEND;\nSELECT 2;", 1, 2,
	  { { "CREATE TRIGGER trg AFTER UPDATE ON t BEGIN\n"
	      "  UPDATE t SET v = CASE WHEN new.v IS NULL THEN 'end;' ELSE new.v END WHERE id = new.id;\n"
	      "  DELETE FROM x WHERE end_at < 0;\nEND", 1 },
	    { "SELECT 2", 5 } } },
	{ "BEGIN of a transaction is not a trigger",
	  "BEGIN IMMEDIATE;\nDROP TABLE t;\nCOMMIT;", 1, 3,
	  { { "BEGIN IMMEDIATE", 1 }, { "DROP TABLE t", 2 }, { "COMMIT", 3 } } },
	{ "a table named like a trigger",
	  "CREATE TABLE trigger_log (id INTEGER);\nBEGIN;\nEND;", 1, 3,
	  { { "CREATE TABLE trigger_log (id INTEGER)", 1 }, { "BEGIN", 2 }, { "END", 3 } } },
	{ "lines counted from first_line",
	  "\n\nSELECT 1;\n\n  SELECT\n  2;", 10, 2,
	  { { "SELECT 1", 12 }, { "SELECT\n  2", 14 } } },
	{ "leading comments skipped, lines counted through them",
	  "-- first\n/* two\n   lines */\nSELECT 1;", 5, 1,
	  { { "SELECT 1", 8 } } },
	{ "comment-only chunks dropped",
	  "-- only a comment;\n;\n/* x */;\nSELECT 1;\n-- trailing\n", 1, 1,
	  { { "SELECT 1", 4 } } },
	{ "empty statements dropped", ";;\nSELECT 1;;", 1, 1, { { "SELECT 1", 2 } } },
	{ "last statement without a semicolon",
	  "SELECT 1;\nSELECT 2", 1, 2,
	  { { "SELECT 1", 1 }, { "SELECT 2", 2 } } },
	{ "unterminated quote runs to the end",
	  "SELECT 'abc; def", 1, 1, { { "SELECT 'abc; def", 1 } } },
};

static void test_sql_split(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = &split_cases[i];
		struct sql_script s = { 0 };
		sql_split(c->text, c->first_line, &s);
		check_script(c->name, &s, c->want, c->nr);
		sql_script_release(&s);
		assert_null(s.v);
		assert_int_equal(s.nr, 0);
	}
}

static void test_sql_split_appends(void **state)
{
	struct sql_script s = { 0 };
	static const struct want_stmt want[] = {
		{ "SELECT 1", 1 }, { "SELECT 2", 1 }, { "SELECT 3", 20 },
	};
	(void)state;
	sql_split("SELECT 1; SELECT 2;", 1, &s);
	sql_split("-- nothing\n", 10, &s);
	sql_split("SELECT 3", 20, &s);
	check_script("appending", &s, want, 3);
	sql_script_release(&s);
}

/* sql_skip_quoted */

static void test_sql_skip_quoted(void **state)
{
	static const struct {
		const char *s;
		size_t i, want;
	} cases[] = {
		{ "'ab''c' x", 0, 7 },
		{ "x 'a'", 2, 5 },
		{ "\"a\"\"b\".c", 0, 6 },
		{ "`id` x", 0, 4 },
		/* Not SQLite's [identifier]: PostgreSQL's ARRAY[...] needs the brackets. */
		{ "[my col] x", 0, 0 },
		{ "-- c\nx", 0, 4 },
		{ "-- no newline", 0, 13 },
		{ "/* c */x", 0, 7 },
		{ "/* open", 0, 7 },
		{ "$$ a $$x", 0, 7 },
		{ "$t$ a $$ b $t$x", 0, 14 },
		{ "$1", 0, 0 },
		{ "$ x", 0, 0 },
		{ "abc", 0, 0 },
		{ "a - b", 2, 2 },
		{ "a / b", 2, 2 },
		{ "'open", 0, 5 },
	};
	size_t k;
	char name[64];
	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		snprintf(name, sizeof(name), "skip '%s' at %zu", cases[k].s, cases[k].i);
		check_int(name, "the end", (long)sql_skip_quoted(cases[k].s, cases[k].i),
			  (long)cases[k].want);
	}
}

/* sql_number_params */

struct param_case {
	const char *name;
	const char *sql;
	char prefix;
	const char *want;
	size_t nnames;
	const char *names[4];
};

static const struct param_case param_cases[] = {
	{ "PostgreSQL arrays", "SELECT ARRAY[:a, :b] FROM t WHERE x = :c", '$',
	  "SELECT ARRAY[$1, $2] FROM t WHERE x = $3", 3, { "a", "b", "c" } },
	{ "two parameters", "INSERT INTO t VALUES (:a, :b)", '?',
	  "INSERT INTO t VALUES (?1, ?2)", 2, { "a", "b" } },
	{ "dollar prefix", "INSERT INTO t VALUES (:a, :b)", '$',
	  "INSERT INTO t VALUES ($1, $2)", 2, { "a", "b" } },
	{ "a repeated name keeps its number",
	  "UPDATE t SET x = :b WHERE id = :a OR parent = :b OR id = :a", '?',
	  "UPDATE t SET x = ?1 WHERE id = ?2 OR parent = ?1 OR id = ?2", 2, { "b", "a" } },
	{ "casts untouched", "SELECT :a::int, x::text, '1'::bigint", '$',
	  "SELECT $1::int, x::text, '1'::bigint", 1, { "a" } },
	{ "quotes and comments untouched",
	  "SELECT ':x', \":y\", :z -- :c\n/* :d */ FROM t WHERE s = 'a'':e'", '?',
	  "SELECT ':x', \":y\", ?1 -- :c\n/* :d */ FROM t WHERE s = 'a'':e'", 1, { "z" } },
	{ "dollar quotes untouched", "SELECT $$ :x $$, $q$:y$q$, :w", '?',
	  "SELECT $$ :x $$, $q$:y$q$, ?1", 1, { "w" } },
	{ "long names with underscores and digits",
	  "VALUES (:first_name, :v2, :first_name,:_x)", '?',
	  "VALUES (?1, ?2, ?1,?3)", 3, { "first_name", "v2", "_x" } },
	{ "a colon after a word or before a digit is not a parameter",
	  "SELECT a:b, :1, : x", '?', "SELECT a:b, :1, : x", 0, { NULL } },
	{ "no parameters", "SELECT 1", '?', "SELECT 1", 0, { NULL } },
};

static void test_sql_number_params(void **state)
{
	size_t i, k;
	char what[64];
	(void)state;
	for (i = 0; i < sizeof(param_cases) / sizeof(param_cases[0]); i++) {
		const struct param_case *c = &param_cases[i];
		struct strbuf out = STRBUF_INIT;
		char **names = NULL;
		size_t n = 99;

		sql_number_params(c->sql, c->prefix, &out, &names, &n);
		check_str(c->name, "the numbered SQL", out.buf, c->want);
		check_int(c->name, "the number of names", (long)n, (long)c->nnames);
		for (k = 0; k < c->nnames; k++) {
			snprintf(what, sizeof(what), "name %zu", k);
			check_str(c->name, what, names[k], c->names[k]);
		}
		sql_names_free(names, n);
		strbuf_release(&out);
	}
}

/* The output is appended to what the buffer already holds. */
static void test_sql_number_params_appends(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char **names;
	size_t n;
	(void)state;
	strbuf_addstr(&out, "-- ");
	sql_number_params("SELECT :x", '$', &out, &names, &n);
	assert_string_equal(out.buf, "-- SELECT $1");
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "x");
	sql_names_free(names, n);
	strbuf_release(&out);
}

/* The statements before which a bad migration's backup waits: they take no lock. */
static void test_sql_is_session_only(void **state)
{
	static const struct { const char *sql; int yes; } cases[] = {
		{ "BEGIN", 1 }, { "begin transaction", 1 }, { "BEGIN DEFERRED", 1 },
		{ "BEGIN ISOLATION LEVEL SERIALIZABLE", 1 }, { "START TRANSACTION", 1 },
		{ "  -- a note\nBEGIN", 1 }, { "/* x */ SET lock_timeout = '1s'", 1 },
		{ "SAVEPOINT a", 1 }, { "RELEASE SAVEPOINT a", 1 }, { "RESET ALL", 1 }, { "SHOW search_path", 1 },
		{ "BEGIN IMMEDIATE", 0 }, { "BEGIN EXCLUSIVE", 0 }, { "DELETE FROM t", 0 },
		{ "SELECT 1", 0 }, { "UPDATE t SET begin = 1", 0 }, { "ALTER TABLE t ADD x INT", 0 },
		{ "begins", 0 }, { "", 0 },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sql_is_session_only(cases[i].sql) != cases[i].yes)
			fail_msg("'%s': expected %d", cases[i].sql, cases[i].yes);
}

/* fixfile_parse */

static const char fix_blocks[] =
	"-- version_002: the fix\n"               /* 1 */
	"-- @expect verdict=pass\n"               /* 2 */
	"\n"                                      /* 3 */
	"-- @fix postgres\n"                      /* 4 */
	"ALTER TABLE users ALTER COLUMN p DROP NOT NULL;\n" /* 5 */
	"\n"                                      /* 6 */
	"-- @fix sqlite\n"                        /* 7 */
	"BEGIN IMMEDIATE;\n"                      /* 8 */
	"CREATE TABLE u2 (\n"                     /* 9 */
	"    id INTEGER PRIMARY KEY\n"            /* 10 */
	");\n"                                    /* 11 */
	"COMMIT;\n";                              /* 12 */

static const char fix_generic[] =
	"-- @fix sqlite\n"                        /* 1 */
	"SELECT 'sqlite';\n"                      /* 2 */
	"-- @fix\n"                               /* 3 */
	"SELECT 'any'; SELECT 'more';\n";         /* 4 */

static const char fix_plain[] =
	"-- A plain fix, no blocks.\n"            /* 1 */
	"ALTER TABLE t ADD COLUMN x TEXT;\n"      /* 2 */
	"\n"                                      /* 3 */
	"  -- @expect verdict=fail\n"             /* 4 */
	"UPDATE t SET x = ''\n"                   /* 5 */
	"  WHERE x IS NULL\n";                    /* 6 */

struct fix_case {
	const char *name;
	const char *text;
	int dialect;
	size_t nr;
	struct want_stmt want[MAX_WANT];
};

static const struct fix_case fix_cases[] = {
	{ "@fix line ending in spaces keeps line numbers", "-- @fix sqlite \nSELECT 1;\n",
	  DIALECT_SQLITE, 1, { { "SELECT 1", 2 } } },
	{ "CRLF @fix lines keep line numbers",
	  "-- @fix postgres\r\nSELECT 1;\r\n-- @fix sqlite\r\nSELECT 2;\r\nSELECT 3;\r\n",
	  DIALECT_SQLITE, 2, { { "SELECT 2", 4 }, { "SELECT 3", 5 } } },
	{ "plain file, sqlite", fix_plain, DIALECT_SQLITE, 2,
	  { { "ALTER TABLE t ADD COLUMN x TEXT", 2 },
	    { "UPDATE t SET x = ''\n  WHERE x IS NULL", 5 } } },
	{ "plain file, postgres", fix_plain, DIALECT_POSTGRES, 2,
	  { { "ALTER TABLE t ADD COLUMN x TEXT", 2 },
	    { "UPDATE t SET x = ''\n  WHERE x IS NULL", 5 } } },
	{ "sqlite block", fix_blocks, DIALECT_SQLITE, 3,
	  { { "BEGIN IMMEDIATE", 8 },
	    { "CREATE TABLE u2 (\n    id INTEGER PRIMARY KEY\n)", 9 },
	    { "COMMIT", 12 } } },
	{ "postgres block", fix_blocks, DIALECT_POSTGRES, 1,
	  { { "ALTER TABLE users ALTER COLUMN p DROP NOT NULL", 5 } } },
	{ "own block before the generic one", fix_generic, DIALECT_SQLITE, 1,
	  { { "SELECT 'sqlite'", 2 } } },
	{ "generic block when the dialect has none", fix_generic, DIALECT_POSTGRES, 2,
	  { { "SELECT 'any'", 4 }, { "SELECT 'more'", 4 } } },
	{ "directive written tight or loose, CRLF SQL lines",
	  "--@fix postgres\nSELECT 1;\r\n  --   @fix\tsqlite\nSELECT 2;\r\n", DIALECT_SQLITE, 1,
	  { { "SELECT 2", 4 } } },
};

static void test_fixfile_parse(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(fix_cases) / sizeof(fix_cases[0]); i++) {
		const struct fix_case *c = &fix_cases[i];
		struct sql_script s = { 0 };
		struct strbuf err = STRBUF_INIT;
		int rc = fixfile_parse("fix.sql", c->text, c->dialect, &s, &err);
		if (rc)
			print_error("%s: %s\n", c->name, err.buf);
		check_int(c->name, "the return code", rc, 0);
		check_script(c->name, &s, c->want, c->nr);
		sql_script_release(&s);
		strbuf_release(&err);
	}
}

struct fix_error_case {
	const char *name;
	const char *text;
	int dialect;
	const char *prefix;     /* the message starts with it */
	const char *phrase;     /* and contains it */
};

static const struct fix_error_case fix_error_cases[] = {
	{ "no block for this engine", "-- @fix sqlite\nSELECT 1;\n", DIALECT_POSTGRES,
	  "fix.sql: ", "no '-- @fix' block for this engine" },
	{ "unknown directive", "SELECT 1;\n-- @fux sqlite\nSELECT 2;\n", DIALECT_SQLITE,
	  "fix.sql:2: ", "unknown directive '@fux'" },
	{ "unknown dialect", "-- ok\n\n-- @fix mysql\nSELECT 1;\n", DIALECT_SQLITE,
	  "fix.sql:3: ", "expected '-- @fix' then optionally 'sqlite' or 'postgres'" },
	{ "two blocks for one dialect",
	  "-- @fix sqlite\nSELECT 1;\n-- @fix postgres\nSELECT 2;\n-- @fix sqlite\nSELECT 3;\n",
	  DIALECT_POSTGRES, "fix.sql:5: ", "a second '-- @fix' block for the same dialect" },
	{ "two generic blocks", "-- @fix\nSELECT 1;\n-- @fix\nSELECT 2;\n", DIALECT_SQLITE,
	  "fix.sql:3: ", "a second '-- @fix' block" },
	{ "only comments", "-- nothing to do\n-- @expect verdict=pass\n\n/* really */\n",
	  DIALECT_SQLITE, "fix.sql: ", "has no SQL statement" },
	{ "empty file", "", DIALECT_POSTGRES, "fix.sql: ", "has no SQL statement" },
	{ "no block for this engine", "-- header\n-- @fix sqlite\nSELECT 1;\n",
	  DIALECT_POSTGRES, "fix.sql: ", "for this engine" },
	{ "an empty block of its own", "-- @fix postgres\n-- later\n-- @fix sqlite\nSELECT 1;\n",
	  DIALECT_POSTGRES, "fix.sql: ", "has no SQL statement" },
	{ "@repeat max=0", "-- @repeat max=0\nUPDATE t SET x = 1;\n", DIALECT_SQLITE,
	  "fix.sql:1: ", "expected '-- @repeat' then optionally 'max=N' (N a whole number from 1 to "
	  "1000000), found '-- @repeat max=0'" },
	{ "@repeat max= not a number", "SELECT 1;\n-- @repeat max=lots\nUPDATE t SET x = 1;\n",
	  DIALECT_POSTGRES, "fix.sql:2: ", "found '-- @repeat max=lots'" },
	{ "@repeat max= with a tail", "-- @repeat max=5x\nUPDATE t SET x = 1;\n", DIALECT_SQLITE,
	  "fix.sql:1: ", "expected '-- @repeat' then optionally 'max=N'" },
	{ "@repeat max= negative", "\n-- @repeat max=-3\nUPDATE t SET x = 1;\n", DIALECT_SQLITE,
	  "fix.sql:2: ", "expected '-- @repeat' then optionally 'max=N'" },
	{ "@repeat max= over the limit", "-- @repeat max=1000001\nUPDATE t SET x = 1;\n",
	  DIALECT_SQLITE, "fix.sql:1: ", "from 1 to 1000000" },
	{ "@repeat with a word other than max=", "-- @repeat 5\nUPDATE t SET x = 1;\n",
	  DIALECT_SQLITE, "fix.sql:1: ", "found '-- @repeat 5'" },
	{ "@repeat with no statement after it", "SELECT 1;\n-- @repeat\n-- the end\n",
	  DIALECT_SQLITE, "fix.sql:2: ", "'-- @repeat' with no statement after it" },
	{ "@repeat at the end of another engine's block",
	  "-- @fix sqlite\nSELECT 1;\n-- @repeat\n-- @fix postgres\nUPDATE t SET x = 1;\n",
	  DIALECT_POSTGRES, "fix.sql:3: ", "with no statement after it in its block" },
	{ "@repeat in the header does not reach into a later block",
	  "-- @repeat\n-- @fix sqlite\nSELECT 1;\n-- @fix\nUPDATE t SET x = 1;\n",
	  DIALECT_POSTGRES, "fix.sql:1: ", "with no statement after it in its block" },
	{ "@repeat inside a statement", "UPDATE t\n-- @repeat\n   SET x = 1;\n", DIALECT_SQLITE,
	  "fix.sql:2: ", "'-- @repeat' inside the statement of line 1" },
	{ "two @repeat lines for one statement",
	  "-- @repeat\n-- @repeat max=3\nUPDATE t SET x = 1;\n", DIALECT_SQLITE,
	  "fix.sql:2: ", "a second '-- @repeat' for the statement of line 3" },
};

static void test_fixfile_parse_errors(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(fix_error_cases) / sizeof(fix_error_cases[0]); i++) {
		const struct fix_error_case *c = &fix_error_cases[i];
		struct sql_script s = { 0 };
		struct strbuf err = STRBUF_INIT;
		int rc = fixfile_parse("fix.sql", c->text, c->dialect, &s, &err);

		check_int(c->name, "the return code", rc, -1);
		if (strncmp(err.buf, c->prefix, strlen(c->prefix))) {
			print_error("%s: '%s' does not start with '%s'\n", c->name, err.buf, c->prefix);
			fail();
		}
		check_contains(c->name, "the message", err.buf, c->phrase);
		sql_script_release(&s);
		strbuf_release(&err);
	}
}

/* '-- @repeat [max=N]': which statements repeat, and how often at most. */
struct repeat_case {
	const char *name;
	const char *text;
	int dialect;
	size_t nr;
	int line[MAX_WANT];
	int repeat[MAX_WANT];
};

static const char fix_repeat_blocks[] =
	"-- @fix sqlite\n"                        /* 1 */
	"-- @repeat max=3\n"                      /* 2 */
	"UPDATE a SET x = 1;\n"                   /* 3 */
	"-- @fix postgres\n"                      /* 4 */
	"SELECT 0;\n"                             /* 5 */
	"-- @repeat max=9\n"                      /* 6 */
	"UPDATE b SET x = 1;\n";                  /* 7 */

static const struct repeat_case repeat_cases[] = {
	{ "no @repeat: each statement runs once", "SELECT 1;\nSELECT 2;\n", DIALECT_SQLITE, 2,
	  { 1, 2 }, { 0, 0 } },
	{ "@repeat alone: the default limit, the next statement only",
	  "ALTER TABLE t ADD COLUMN x INT;\n-- @repeat\nUPDATE t SET x = 1 WHERE x IS NULL;\nSELECT 1;\n",
	  DIALECT_POSTGRES, 3, { 1, 3, 4 }, { 0, 10000, 0 } },
	{ "max=N, with a comment and a blank line before the statement",
	  "-- @repeat max=25\n-- fill x in batches\n\nUPDATE t SET x = 1\n WHERE x IS NULL;\n",
	  DIALECT_SQLITE, 1, { 4 }, { 25 } },
	{ "written tight, padded, CRLF", "--@repeat   max=7  \r\nUPDATE t SET x = 1;\r\nSELECT 2;\r\n",
	  DIALECT_SQLITE, 2, { 2, 3 }, { 7, 0 } },
	{ "two repeated statements", "-- @repeat max=2\nUPDATE a SET x = 1;\n-- @repeat max=1000000\n"
	  "UPDATE b SET x = 1;\n", DIALECT_SQLITE, 2, { 2, 4 }, { 2, 1000000 } },
	{ "sqlite's block keeps its own", fix_repeat_blocks, DIALECT_SQLITE, 1, { 3 }, { 3 } },
	{ "postgres's block keeps its own", fix_repeat_blocks, DIALECT_POSTGRES, 2, { 5, 7 }, { 0, 9 } },
};

static void test_fixfile_repeat(void **state)
{
	size_t i, k;
	char what[64];
	(void)state;
	assert_int_equal(FIXFILE_REPEAT_MAX, 10000); /* the README and docs/json.md say so */
	for (i = 0; i < sizeof(repeat_cases) / sizeof(repeat_cases[0]); i++) {
		const struct repeat_case *c = &repeat_cases[i];
		struct sql_script s = { 0 };
		struct strbuf err = STRBUF_INIT;
		int rc = fixfile_parse("fix.sql", c->text, c->dialect, &s, &err);
		if (rc)
			print_error("%s: %s\n", c->name, err.buf);
		check_int(c->name, "the return code", rc, 0);
		check_int(c->name, "the number of statements", (long)s.nr, (long)c->nr);
		for (k = 0; k < c->nr && k < s.nr; k++) {
			snprintf(what, sizeof(what), "the line of statement %zu", k);
			check_int(c->name, what, s.v[k].line, c->line[k]);
			snprintf(what, sizeof(what), "the repeat of statement %zu", k);
			check_int(c->name, what, s.v[k].repeat, c->repeat[k]);
		}
		sql_script_release(&s);
		strbuf_release(&err);
	}
}

/* fixfile_load, on the fixes that ship with phone-not-null. */
static void test_fixfile_load(void **state)
{
	static const char path[] = "scenarios/phone-not-null/fixes/make-nullable.sql";
	static const struct want_stmt want_pg[] = {
		{ "ALTER TABLE users ALTER COLUMN phone_number DROP NOT NULL", 8 },
	};
	struct sql_script s = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	assert_int_equal(fixfile_load(path, DIALECT_POSTGRES, &s, &err), 0);
	check_script("make-nullable, postgres", &s, want_pg, 1);
	sql_script_release(&s);

	assert_int_equal(fixfile_load(path, DIALECT_SQLITE, &s, &err), 0);
	assert_int_equal(s.nr, 6);
	assert_string_equal(s.v[0].sql, "BEGIN IMMEDIATE");
	assert_int_equal(s.v[0].line, 14);
	assert_int_equal(s.v[1].line, 15);
	assert_int_equal(s.v[2].line, 21);
	assert_string_equal(s.v[5].sql, "COMMIT");
	assert_int_equal(s.v[5].line, 25);
	sql_script_release(&s);

	assert_int_equal(fixfile_load("scenarios/phone-not-null/fixes/no-such-fix.sql",
				      DIALECT_SQLITE, &s, &err), -1);
	assert_int_equal(s.nr, 0);
	assert_non_null(strstr(err.buf, "cannot open fix"));
	assert_non_null(strstr(err.buf, "no-such-fix.sql"));
	strbuf_release(&err);
}

/*
** The one definition of a directive line, and the neutraliser built on it:
** every line the definition takes must come out of sql_add_inert as one it
** does not take, and every other line unchanged.
*/
static void test_sql_directive(void **state)
{
	static const struct {
		const char *line;
		const char *name, *rest;   /* NULL name: no directive */
	} cases[] = {
		{ "-- @schema", "schema", "" },
		{ "--@migration bad", "migration", "bad" },
		{ "  \t-- \t@tx register weight=3  ", "tx", "register weight=3" },
		{ "-- @schema\r", "schema", "" },
		{ "-- @probe users\r", "probe", "users" },
		{ "--\f@migration bad", NULL, NULL },       /* a form feed is no white space here */
		{ "--\v@migration bad", NULL, NULL },
		{ "\f-- @migration bad", NULL, NULL },
		{ "-- @migration\fbad", NULL, NULL },
		{ "-- @ migration", NULL, NULL },
		{ "-- @", NULL, NULL },
		{ "- @x", NULL, NULL },
		{ "-- @migration:bad", NULL, NULL },
		{ "SELECT 1; -- @expect verdict=pass", NULL, NULL },
		{ "-- (@)migration bad", NULL, NULL },
		{ "--(@)x", NULL, NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = NULL, *rest = NULL;
		size_t nl = 0, rl = 0;
		int is = sql_directive(cases[i].line, strlen(cases[i].line), &name, &nl, &rest, &rl);
		if (is != (cases[i].name != NULL))
			fail_msg("%zu '%s': directive %d, wanted %d", i, cases[i].line, is, cases[i].name != NULL);
		if (!is)
			continue;
		if (nl != strlen(cases[i].name) || strncmp(name, cases[i].name, nl))
			fail_msg("%zu '%s': name '%.*s', wanted '%s'", i, cases[i].line, (int)nl, name, cases[i].name);
		if (rl != strlen(cases[i].rest) || strncmp(rest, cases[i].rest, rl))
			fail_msg("%zu '%s': rest '%.*s', wanted '%s'", i, cases[i].line, (int)rl, rest, cases[i].rest);
	}
}

static void test_sql_add_inert(void **state)
{
	static const char text[] =
		"ALTER TABLE t DROP COLUMN x;\n"
		"-- @migration bad\n"
		"--\f@migration bad\n"
		"\t--@probe t\r\n"
		"SELECT '\n-- @timeline\n';\n"
		"-- a comment @migration\n"
		"SELECT 1;";
	struct strbuf out = STRBUF_INIT;
	const char *s, *name, *rest;
	size_t n, nl, rl, lines = 0;
	(void)state;

	n = sql_add_inert(&out, text);
	assert_int_equal(n, 3);
	/* Nothing in the result reads as a directive, line by line as the readers split it. */
	for (s = out.buf; *s; lines++) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (sql_directive(s, len, &name, &nl, &rest, &rl))
			fail_msg("line %zu still a directive: '%.*s'", lines + 1, (int)len, s);
		s += len + (e ? 1 : 0);
	}
	assert_int_equal(lines, 9);
	assert_non_null(strstr(out.buf, "-- (@)migration bad\n"));
	assert_non_null(strstr(out.buf, "--\f@migration bad\n"));   /* no directive: left alone */
	assert_non_null(strstr(out.buf, "\t--(@)probe t\r\n"));
	assert_non_null(strstr(out.buf, "SELECT 1;"));
	assert_int_equal(out.len, strlen(text) + 3 * 2);
	strbuf_release(&out);
}

/* The table a migration's statement changes, for what it touches and for its locks. */
static void test_sql_table_changed(void **state)
{
	static const struct { const char *sql, *table; } cases[] = {
		{ "ALTER TABLE users ADD COLUMN x int", "users" },
		{ "alter table if exists only public.\"Team\" drop column \"a\"", "Team" },
		{ "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY orders (id)", "orders" },
		{ "CREATE INDEX ON \"Event\" USING btree (\"createdAt\")", "Event" },
		{ "CREATE OR REPLACE TRIGGER t BEFORE UPDATE ON kv FOR EACH ROW EXECUTE FUNCTION f()", "kv" },
		{ "DROP TABLE IF EXISTS a, b", "a" },
		{ "UPDATE users SET x = 1", "users" },
		{ "DELETE FROM /* c */ tasks WHERE id = 1", "tasks" },
		{ "INSERT INTO logs SELECT * FROM other", "logs" },
		{ "TRUNCATE TABLE t", "t" },
		{ "VACUUM FULL big", "big" },
		{ "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "t" },
		{ "CREATE TABLE fresh (id int)", NULL },
		{ "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", NULL },
		{ "SELECT 1", NULL },
		{ "COMMENT ON TABLE t IS 'x'", NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf t = STRBUF_INIT;
		int found = sql_table_changed(cases[i].sql, &t);
		if (found != (cases[i].table != NULL) || (found && strcmp(t.buf, cases[i].table)))
			fail_msg("'%s': %d '%s', wanted '%s'", cases[i].sql, found, t.buf,
				 cases[i].table ? cases[i].table : "(none)");
		strbuf_release(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_is_session_only),
		cmocka_unit_test(test_sql_split),
		cmocka_unit_test(test_sql_split_appends),
		cmocka_unit_test(test_sql_skip_quoted),
		cmocka_unit_test(test_sql_number_params),
		cmocka_unit_test(test_sql_number_params_appends),
		cmocka_unit_test(test_fixfile_parse),
		cmocka_unit_test(test_fixfile_parse_errors),
		cmocka_unit_test(test_fixfile_repeat),
		cmocka_unit_test(test_fixfile_load),
		cmocka_unit_test(test_sql_directive),
		cmocka_unit_test(test_sql_add_inert),
		cmocka_unit_test(test_sql_table_changed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
