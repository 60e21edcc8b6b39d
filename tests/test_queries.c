/*
** Reading an application's statements (sim/input/queries.c): a
** pg_stat_statements export, a PostgreSQL log and a plain SQL file, each
** statement's calls, kind and table, and what is set apart as no traffic
** and why; constants made placeholders as pg_stat_statements makes them.
**
** SPDX-License-Identifier: MIT
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../sim/input/queries.h"

#define Q "tests/fixtures/queries"

static const struct app_query *find(const struct app_queries *q, const char *sql)
{
	size_t i;
	for (i = 0; i < q->nr; i++)
		if (!strcmp(q->v[i].sql, sql))
			return &q->v[i];
	fail_msg("no statement '%s' among %zu", sql, q->nr);
	return NULL;
}

/* A statement that is traffic: its calls, kind, table and placeholders. */
static void traffic(const struct app_queries *q, const char *sql, uint64_t calls, int kind, const char *table,
		    int nparams)
{
	const struct app_query *a = find(q, sql);
	assert_null(a->left);
	assert_int_equal(a->calls, calls);
	assert_int_equal(a->kind, kind);
	if (table)
		assert_string_equal(a->table, table);
	else
		assert_null(a->table);
	assert_int_equal(a->nparams, nparams);
}

static void left_out(const struct app_queries *q, const char *sql, const char *why)
{
	const struct app_query *a = find(q, sql);
	assert_non_null(a->left);
	assert_non_null(strstr(a->left, why));
}

static void pg_stat_statements_export(void **state)
{
	struct app_queries q;
	struct strbuf err = STRBUF_INIT;
	uint64_t calls;
	(void)state;

	if (queries_read(Q "/pg_stat_statements.csv", &q, &err))
		fail_msg("%s", err.buf);
	assert_string_equal(q.format, "pg_stat_statements");
	assert_int_equal(q.nr, 12);
	traffic(&q, "INSERT INTO tag (artifact_id, name, push_time) VALUES ($1, $2, $3) RETURNING id", 412, QUERY_INSERT,
		"tag", 3);
	traffic(&q, "UPDATE tag SET pull_time = $1 WHERE id = $2", 412, QUERY_UPDATE, "tag", 2);
	/* A query over several lines, quoted in the CSV; an alias does not hide the table. */
	traffic(&q, "SELECT t.id, t.name\nFROM tag t JOIN artifact a ON a.id = t.artifact_id\nWHERE a.digest = $1", 900,
		QUERY_SELECT, "tag", 1);
	traffic(&q, "DELETE FROM public.tag WHERE id = $1", 12, QUERY_DELETE, "tag", 1);
	/* A WITH is what its outer statement does. */
	traffic(&q, "WITH x AS (SELECT id FROM artifact WHERE digest = $1) UPDATE artifact SET size = $2 WHERE id IN "
		"(SELECT id FROM x)", 3, QUERY_UPDATE, "artifact", 2);
	/* A quoted name is the name it stands for. */
	traffic(&q, "UPDATE \"Tag\" SET \"pullTime\" = $1 WHERE \"id\" = $2", 7, QUERY_UPDATE, "Tag", 2);
	left_out(&q, "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind = $1", "catalogue");
	left_out(&q, "SELECT * FROM information_schema.tables WHERE table_name = $1", "catalogue");
	left_out(&q, "SET application_name = $1", "session state");
	left_out(&q, "BEGIN", "transaction control");
	left_out(&q, "<insufficient privilege>", "pg_read_all_stats");
	left_out(&q, "SELECT $1", "reads no table");
	assert_int_equal(queries_traffic(&q, &calls), 6);
	assert_int_equal(calls, 412 + 412 + 900 + 12 + 3 + 7);
	queries_release(&q);
	strbuf_release(&err);
}

static void postgres_log(void **state)
{
	struct app_queries q;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	if (queries_read(Q "/postgresql.log", &q, &err))
		fail_msg("%s", err.buf);
	assert_string_equal(q.format, "log");
	/* Two INSERTs with other values are one statement, called twice; '' inside a string is its own. */
	traffic(&q, "INSERT INTO tag (artifact_id, name) VALUES ($1, $2)", 2, QUERY_INSERT, "tag", 2);
	/* Continuation lines (a tab) are the statement's. */
	traffic(&q, "UPDATE tag\nSET name = $1\nWHERE id = $2", 1, QUERY_UPDATE, "tag", 2);
	/* execute lines count, parse and bind lines are the same call's. */
	traffic(&q, "SELECT name FROM tag WHERE id = $1", 2, QUERY_SELECT, "tag", 1);
	/* A type's modifier is no constant; an E'' string with an escaped quote is one. */
	traffic(&q, "SELECT CAST(size AS numeric(10,2)), name2 FROM artifact WHERE size > $1 AND digest = $2", 1,
		QUERY_SELECT, "artifact", 2);
	/* A line of two statements: each a call. */
	traffic(&q, "UPDATE tag SET name = $1 WHERE id = $2", 1, QUERY_UPDATE, "tag", 2);
	traffic(&q, "DELETE FROM tag WHERE id = $1", 1, QUERY_DELETE, "tag", 1);
	left_out(&q, "BEGIN", "transaction control");
	left_out(&q, "COMMIT", "transaction control");
	/* An error's STATEMENT line is no call. */
	assert_int_equal(q.nr, 8);
	queries_release(&q);
	strbuf_release(&err);
}

static void sql_file(void **state)
{
	struct app_queries q;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	if (queries_read(Q "/app.sql", &q, &err))
		fail_msg("%s", err.buf);
	assert_string_equal(q.format, "sql");
	assert_int_equal(q.nr, 4);
	traffic(&q, "INSERT INTO tag (artifact_id, name) VALUES (?, ?)", 40, QUERY_INSERT, "tag", 2);
	traffic(&q, "UPDATE tag SET name = ? WHERE id = ?", 12, QUERY_UPDATE, "tag", 2);
	/* No '-- calls=N' above it (the one above belongs to the UPDATE): one call. */
	traffic(&q, "SELECT name FROM tag WHERE id = ?", 1, QUERY_SELECT, "tag", 1);
	left_out(&q, "SHOW server_version", "session state");
	assert_int_equal(find(&q, "SHOW server_version")->calls, 3);
	assert_int_equal(find(&q, "UPDATE tag SET name = ? WHERE id = ?")->line, 5);
	queries_release(&q);
	strbuf_release(&err);
}

static void normalise(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "SELECT 1", "SELECT $1" },
		{ "SELECT a FROM t2 WHERE x = 10 AND y = 'a''b'", "SELECT a FROM t2 WHERE x = $1 AND y = $2" },
		/* Numbering goes on after the placeholders already there. */
		{ "UPDATE t SET a = $1, b = 2.5e3 WHERE id = $2", "UPDATE t SET a = $1, b = $3 WHERE id = $2" },
		{ "SELECT x::varchar(20), CAST(y AS numeric(10, 2)) FROM t LIMIT 5",
		  "SELECT x::varchar(20), CAST(y AS numeric(10, 2)) FROM t LIMIT $1" },
		{ "SELECT \"col 1\" FROM t -- 42 in a comment\nWHERE z = E'it\\'s'", "SELECT \"col 1\" FROM t -- 42 in a comment\nWHERE z = $1" },
		{ "SELECT round(x, 2) FROM t", "SELECT round(x, $1) FROM t" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;
		queries_normalise(cases[i].in, &out);
		assert_string_equal(out.buf, cases[i].out);
		strbuf_release(&out);
	}
}

static void bad_input(void **state)
{
	struct app_queries q;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	assert_int_equal(queries_read(Q "/nope.csv", &q, &err), -1);
	assert_non_null(strstr(err.buf, "cannot read '" Q "/nope.csv'"));
	queries_release(&q);
	strbuf_reset(&err);
	/* A file of comments alone holds no statement. */
	{
		char path[] = "/tmp/mdrill-queries-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, "-- calls=3\n-- nothing\n", 22), 22);
		close(fd);
		assert_int_equal(queries_read(path, &q, &err), -1);
		assert_non_null(strstr(err.buf, ": no statements in it"));
		queries_release(&q);
		unlink(path);
	}
	/* A CSV row whose calls is no number: its row said. */
	strbuf_reset(&err);
	{
		char path[] = "/tmp/mdrill-queries-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, "query,calls\n\"SELECT 1\",many\n", 28), 28);
		close(fd);
		assert_int_equal(queries_read(path, &q, &err), -1);
		assert_non_null(strstr(err.buf, "row 2: calls must be a number, not 'many'"));
		queries_release(&q);
		unlink(path);
	}
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pg_stat_statements_export),
		cmocka_unit_test(postgres_log),
		cmocka_unit_test(sql_file),
		cmocka_unit_test(normalise),
		cmocka_unit_test(bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
