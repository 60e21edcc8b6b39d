/*
** The tools' tables as each tool creates them (from their own drivers'
** DDL, per engine), the record each writes after a migration, and the
** loop that applies a history file by file with that bookkeeping between.
**
** SPDX-License-Identifier: MIT
*/
#include "history.h"

#include <string.h>

#include "../base/dialect.h"
#include "../base/sqltext.h"
#include "layout.h"

struct tool {
	const char *name;
	const char *layout_kind;   /* struct layout's kind of the tool's directories */
	const char *table;         /* its table in the migrated database, or NULL */
	/* Statements that create it, ';'-separated, for SQLite and for PostgreSQL. */
	const char *create[2];
};

/* In enum order. */
static const struct tool tools[] = {
	{ "", NULL, NULL, { NULL, NULL } },
	{ "golang-migrate", "golang-migrate", "schema_migrations",
	  { /* database/sqlite3 */
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool);"
	    "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)",
	    /* database/postgres */
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, "
	    "dirty boolean NOT NULL)" } },
	{ "flyway", "flyway", "flyway_schema_history",
	  { "CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT NOT NULL PRIMARY KEY, "
	    "\"version\" VARCHAR(50), \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, "
	    "\"script\" VARCHAR(1000) NOT NULL, \"checksum\" INT, \"installed_by\" VARCHAR(100) NOT NULL, "
	    "\"installed_on\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), "
	    "\"execution_time\" INT NOT NULL, \"success\" BOOLEAN NOT NULL);"
	    "CREATE INDEX \"flyway_schema_history_s_idx\" ON \"flyway_schema_history\" (\"success\")",
	    "CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT NOT NULL, "
	    "\"version\" VARCHAR(50), \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, "
	    "\"script\" VARCHAR(1000) NOT NULL, \"checksum\" INTEGER, \"installed_by\" VARCHAR(100) NOT NULL, "
	    "\"installed_on\" TIMESTAMP NOT NULL DEFAULT now(), \"execution_time\" INTEGER NOT NULL, "
	    "\"success\" BOOLEAN NOT NULL);"
	    "ALTER TABLE \"flyway_schema_history\" ADD CONSTRAINT \"flyway_schema_history_pk\" "
	    "PRIMARY KEY (\"installed_rank\");"
	    "CREATE INDEX \"flyway_schema_history_s_idx\" ON \"flyway_schema_history\" (\"success\")" } },
	{ "dbmate", "dbmate", "schema_migrations",
	  { "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY)",
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY)" } },
	/* sqitch keeps its registry in a schema (PostgreSQL) or a file (SQLite) of its own. */
	{ "sqitch", "sqitch", NULL, { NULL, NULL } },
};

_Static_assert(sizeof(tools) / sizeof(tools[0]) == HISTORY_COUNT, "a history tool without its row");

int history_tool_find(const char *name)
{
	int t;
	for (t = HISTORY_NONE + 1; t < HISTORY_COUNT; t++)
		if (!strcmp(tools[t].name, name))
			return t;
	return -1;
}

static int is_tool(int tool)
{
	return tool > HISTORY_NONE && tool < HISTORY_COUNT;
}

const char *history_tool_name(int tool)
{
	return is_tool(tool) ? tools[tool].name : "";
}

void history_tool_names(struct strbuf *out)
{
	int t;
	for (t = HISTORY_NONE + 1; t < HISTORY_COUNT; t++)
		strbuf_addf(out, "%s'%s'", t == HISTORY_NONE + 1 ? "" : t + 1 == HISTORY_COUNT ? " or " : ", ",
			    tools[t].name);
}

int history_tool_of_layout(const char *kind)
{
	int t;
	for (t = HISTORY_NONE + 1; kind && t < HISTORY_COUNT; t++)
		if (!strcmp(tools[t].layout_kind, kind))
			return t;
	return HISTORY_NONE;
}

const char *history_own_table(int tool)
{
	return is_tool(tool) ? "mdrill_history" : "schema_migrations";
}

const char *history_tool_table(int tool)
{
	return is_tool(tool) ? tools[tool].table : NULL;
}

/*
** The statements the tool runs once file has been applied, the rank-th
** of the history, onto out (';'-separated).  0, or -1 when the tool reads
** no version in the file's name (it is then not recorded).
*/
static int record_sql(int tool, const char *file, int rank, struct strbuf *out)
{
	struct strbuf ver = STRBUF_INIT, desc = STRBUF_INIT;
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	int rc = 0;

	if (layout_file_version(base, &ver, &desc)) {
		rc = -1;
		goto out;
	}
	switch (tool) {
	case HISTORY_GOLANG_MIGRATE:
		/* One row: the version now, clean. */
		if (!ver.len) {
			rc = -1;
			break;
		}
		strbuf_addf(out, "DELETE FROM schema_migrations;INSERT INTO schema_migrations (version, dirty) "
			    "VALUES (%s, false)", ver.buf);
		break;
	case HISTORY_FLYWAY:
		strbuf_addf(out, "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", "
			    "\"description\", \"type\", \"script\", \"checksum\", \"installed_by\", "
			    "\"execution_time\", \"success\") VALUES (%d, ", rank);
		if (ver.len)
			sql_add_quoted(out, ver.buf, '\'');
		else
			strbuf_addstr(out, "NULL");
		strbuf_addstr(out, ", ");
		sql_add_quoted(out, desc.buf, '\'');
		strbuf_addstr(out, ", 'SQL', ");
		sql_add_quoted(out, base, '\'');
		strbuf_addstr(out, ", NULL, 'mdrill', 0, true)");
		break;
	case HISTORY_DBMATE:
		strbuf_addstr(out, "INSERT INTO schema_migrations (version) VALUES (");
		sql_add_quoted(out, ver.buf, '\'');
		strbuf_addch(out, ')');
		break;
	default:
		rc = -1;
	}
out:
	strbuf_release(&ver);
	strbuf_release(&desc);
	return rc;
}

/*
** Run the ';'-separated statements of text, the tool's own (its table, its
** records): the sandbox's guard is lifted for them alone.  0, or -1 with
** the message in err.
*/
static int run_all(const struct db_driver *drv, struct db_conn *c, const char *text, struct strbuf *err)
{
	struct sql_script s = { 0 };
	size_t i;
	int cls, rc = 0;

	sql_split(text, 1, &s);
	db_own_sql(drv, c, 1);
	for (i = 0; i < s.nr && !rc; i++)
		rc = db_exec_now(drv, c, s.v[i].sql, 0, NULL, NULL, NULL, &cls, err);
	db_own_sql(drv, c, 0);
	sql_script_release(&s);
	return rc;
}

static int same_file(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int history_apply(const struct db_driver *drv, struct db_conn *c, int tool, const struct sql_script *script,
		  size_t *failed, struct strbuf *err)
{
	const char *create = NULL;
	struct strbuf rec = STRBUF_INIT, why = STRBUF_INIT;
	size_t i;
	int cls, rank = 0, rc = 0;

	*failed = script->nr;
	if (is_tool(tool))
		create = tools[tool].create[db_dialect(drv) == DIALECT_POSTGRES];
	if (create && run_all(drv, c, create, &why)) {
		rc = strbuf_error(err, -1, "cannot create %s's table %s: %s", tools[tool].name, tools[tool].table,
				  why.buf);
		goto out;
	}
	for (i = 0; i < script->nr; i++) {
		const char *file = script->v[i].file;
		if (db_exec_now(drv, c, script->v[i].sql, 0, NULL, NULL, NULL, &cls, &why)) {
			*failed = i;
			rc = strbuf_error(err, -1, "%s", why.buf);
			goto out;
		}
		/* The file's last statement: the tool records it now. */
		if (!create || !file || (i + 1 < script->nr && same_file(script->v[i + 1].file, file)))
			continue;
		strbuf_reset(&rec);
		if (record_sql(tool, file, ++rank, &rec))
			continue;
		if (run_all(drv, c, rec.buf, &why)) {
			rc = strbuf_error(err, -1, "cannot record '%s' in %s's table %s as the tool would: %s",
					  file, tools[tool].name, tools[tool].table, why.buf);
			goto out;
		}
	}
out:
	strbuf_release(&rec);
	strbuf_release(&why);
	return rc;
}
