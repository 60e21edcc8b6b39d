/*
** The tools' tables as each tool creates them (from their own drivers'
** DDL, per engine), the record each writes after a migration, and the
** loop that applies a history file by file with that bookkeeping between.
**
** SPDX-License-Identifier: MIT
*/
#include "history.h"

#include <string.h>
#include <strings.h>

#include "../base/dialect.h"
#include "../base/sha256.h"
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
	/* prisma-engines' create_migrations_table, its SQLite and its PostgreSQL flavour. */
	{ "prisma", "prisma", "_prisma_migrations",
	  { "CREATE TABLE \"_prisma_migrations\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"checksum\" TEXT NOT NULL, "
	    "\"finished_at\" DATETIME, \"migration_name\" TEXT NOT NULL, \"logs\" TEXT, \"rolled_back_at\" DATETIME, "
	    "\"started_at\" DATETIME NOT NULL DEFAULT current_timestamp, "
	    "\"applied_steps_count\" INTEGER UNSIGNED NOT NULL DEFAULT 0)",
	    "CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, "
	    "finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, "
	    "started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)" } },
	/*
	** Atlas's revisions table from its ent schema (cmd/atlas/internal/
	** migrate/ent), in the drill's own schema: where Atlas keeps it when
	** its URL names a schema (?search_path=public, as its PostgreSQL
	** guides write it, and always on SQLite).
	*/
	{ "atlas", "atlas", "atlas_schema_revisions",
	  { "CREATE TABLE atlas_schema_revisions (version text NOT NULL, description text NOT NULL, "
	    "type integer NOT NULL DEFAULT 2, applied integer NOT NULL DEFAULT 0, total integer NOT NULL DEFAULT 0, "
	    "executed_at datetime NOT NULL, execution_time integer NOT NULL, error text NULL, error_stmt text NULL, "
	    "hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL, PRIMARY KEY (version))",
	    "CREATE TABLE atlas_schema_revisions (version character varying NOT NULL, "
	    "description character varying NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, "
	    "total bigint NOT NULL DEFAULT 0, executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, "
	    "error text NULL, error_stmt text NULL, hash character varying NOT NULL, partial_hashes jsonb NULL, "
	    "operator_version character varying NOT NULL, PRIMARY KEY (version))" } },
	/* Liquibase's change log and its lock, as its update-sql prints them, the lock initialised. */
	{ "liquibase", "liquibase", "databasechangelog",
	  { "CREATE TABLE DATABASECHANGELOGLOCK (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED TEXT, "
	    "LOCKEDBY VARCHAR(255), CONSTRAINT PK_DATABASECHANGELOGLOCK PRIMARY KEY (ID));"
	    "DELETE FROM DATABASECHANGELOGLOCK;INSERT INTO DATABASECHANGELOGLOCK (ID, LOCKED) VALUES (1, 0);"
	    "CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, "
	    "FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TEXT NOT NULL, ORDEREXECUTED INTEGER NOT NULL, "
	    "EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), "
	    "TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), "
	    "DEPLOYMENT_ID VARCHAR(10))",
	    "CREATE TABLE databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, "
	    "LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255), "
	    "CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));"
	    "DELETE FROM databasechangeloglock;INSERT INTO databasechangeloglock (ID, LOCKED) VALUES (1, FALSE);"
	    "CREATE TABLE databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, "
	    "FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL, "
	    "ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), "
	    "DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), "
	    "CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))" } },
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

int history_is_tool_table(const char *name)
{
	int t;
	if (!strcmp(name, "mdrill_history") || !strcasecmp(name, "databasechangeloglock"))
		return 1;
	for (t = HISTORY_NONE + 1; t < HISTORY_COUNT; t++)
		if (tools[t].table && !strcasecmp(tools[t].table, name))
			return 1;
	return 0;
}

/* A file's statements as applied, each ended by ";\n": what its checksum is taken of. */
static void hash_stmts(const struct sql_script *s, size_t from, size_t to, unsigned char d[SHA256_LEN])
{
	struct sha256 c;
	size_t i;
	sha256_init(&c);
	for (i = from; i <= to; i++) {
		sha256_add(&c, s->v[i].sql, strlen(s->v[i].sql));
		sha256_add(&c, ";\n", 2);
	}
	sha256_sum(&c, d);
}

/*
** The statements the tool runs once the file of script's statements from
** to to has been applied, the rank-th of the history, onto out
** (';'-separated).  0, or -1 when the tool reads no version in the file's
** name (it is then not recorded).
*/
static int record_sql(int tool, const struct sql_script *script, size_t from, size_t to, int rank,
		      struct strbuf *out)
{
	struct strbuf ver = STRBUF_INIT, desc = STRBUF_INIT, file = STRBUF_INIT, h = STRBUF_INIT;
	const char *name = script->v[to].file;
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	unsigned char d[SHA256_LEN];
	int rc = 0;

	if (layout_file_version(tool == HISTORY_PRISMA || tool == HISTORY_LIQUIBASE ? name : base, &ver, &desc)) {
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
		/* A baseline migration (B<version>__...) is recorded as Flyway records one. */
		strbuf_addstr(out, base[0] == 'B' ? ", 'SQL_BASELINE', " : ", 'SQL', ");
		sql_add_quoted(out, base, '\'');
		strbuf_addstr(out, ", NULL, 'mdrill', 0, true)");
		break;
	case HISTORY_DBMATE:
		strbuf_addstr(out, "INSERT INTO schema_migrations (version) VALUES (");
		sql_add_quoted(out, ver.buf, '\'');
		strbuf_addch(out, ')');
		break;
	case HISTORY_PRISMA:
		/*
		** One finished row per migration, named by its directory; the
		** id Prisma draws at random is drawn here from the name, shaped
		** as a version 4 uuid, so that drills repeat.
		*/
		strbuf_add(&file, name, strrchr(name, '/') ? (size_t)(strrchr(name, '/') - name) : strlen(name));
		{
			struct sha256 c;
			unsigned char u[SHA256_LEN];
			sha256_init(&c);
			sha256_add(&c, file.buf, file.len);
			sha256_sum(&c, u);
			u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
			u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
			strbuf_addf(&h, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
				    u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
		}
		strbuf_addf(out, "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, "
			    "rolled_back_at, started_at, applied_steps_count) VALUES ('%s', '", h.buf);
		hash_stmts(script, from, to, d);
		sha256_add_hex(out, d);
		strbuf_addstr(out, "', CURRENT_TIMESTAMP, ");
		sql_add_quoted(out, file.buf, '\'');
		strbuf_addstr(out, ", NULL, NULL, CURRENT_TIMESTAMP, 1)");
		break;
	case HISTORY_ATLAS:
		/* A revision applied in full: type 2 (executed), every statement of the file. */
		strbuf_addstr(out, "INSERT INTO atlas_schema_revisions (version, description, type, applied, total, "
			    "executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version) "
			    "VALUES (");
		sql_add_quoted(out, ver.buf, '\'');
		strbuf_addstr(out, ", ");
		sql_add_quoted(out, desc.buf, '\'');
		strbuf_addf(out, ", 2, %zu, %zu, CURRENT_TIMESTAMP, 0, NULL, NULL, '", to - from + 1, to - from + 1);
		hash_stmts(script, from, to, d);
		base64_add(out, d, SHA256_LEN);
		strbuf_addstr(out, "', NULL, 'mdrill')");
		break;
	case HISTORY_LIQUIBASE:
		/* The changeset ran, its checksum left NULL as after 'liquibase clear-checksums'. */
		strbuf_reset(&ver);
		strbuf_reset(&desc);
		if (layout_changeset_parse(name, &file, &ver, &desc)) {
			rc = -1;
			break;
		}
		strbuf_addstr(out, "INSERT INTO databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
			    "MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES (");
		sql_add_quoted(out, ver.buf, '\'');
		strbuf_addstr(out, ", ");
		sql_add_quoted(out, desc.buf, '\'');
		strbuf_addstr(out, ", ");
		sql_add_quoted(out, file.buf, '\'');
		strbuf_addf(out, ", CURRENT_TIMESTAMP, %d, NULL, 'sql', '', 'EXECUTED', NULL, NULL, 'mdrill', "
			    "'0000000000')", rank);
		break;
	default:
		rc = -1;
	}
out:
	strbuf_release(&ver);
	strbuf_release(&desc);
	strbuf_release(&file);
	strbuf_release(&h);
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
	size_t i, start = 0;
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
		while (start < i && !same_file(script->v[start].file, file))
			start++;
		if (record_sql(tool, script, start, i, ++rank, &rec)) {
			start = i + 1;
			continue;
		}
		start = i + 1;
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
