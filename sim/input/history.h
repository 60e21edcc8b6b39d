/*
** A migration tool's own bookkeeping, and mdrill's.  Each tool keeps a
** table in the database it migrates (golang-migrate's
** schema_migrations(version, dirty), Flyway's flyway_schema_history,
** dbmate's schema_migrations(version), Prisma's _prisma_migrations,
** Atlas's atlas_schema_revisions, Liquibase's DATABASECHANGELOG and
** DATABASECHANGELOGLOCK; sqitch keeps its registry apart), and real
** histories touch it (ALTER TABLE schema_migrations ADD COLUMN
** data_version).  A history is applied here as its tool would apply it:
** the tool's table first, then each file, and the file's record after it;
** mdrill's own record of the drill's migrations then goes under a name of
** its own.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_HISTORY_H
#define MDRILL_HISTORY_H

#include <stddef.h>

#include "../base/sqltext.h"
#include "../base/strbuf.h"
#include "../db/db.h"

enum history_tool {
	HISTORY_NONE,           /* no tool: a plain schema */
	HISTORY_GOLANG_MIGRATE,
	HISTORY_FLYWAY,
	HISTORY_DBMATE,
	HISTORY_SQITCH,
	HISTORY_PRISMA,
	HISTORY_ATLAS,
	HISTORY_LIQUIBASE,
	HISTORY_COUNT
};

/** The tool called name ("golang-migrate", "flyway", "dbmate", "sqitch", "prisma", "atlas", "liquibase"), or -1. */
int history_tool_find(const char *name);

/** The tool's name as '-- @history' spells it; "" for HISTORY_NONE. */
const char *history_tool_name(int tool);

/** Every tool's name, quoted and joined for an "expected ..." message, onto out. */
void history_tool_names(struct strbuf *out);

/** The tool that keeps a layout of kind (struct layout's: "flyway", ...), or HISTORY_NONE. */
int history_tool_of_layout(const char *kind);

/**
 * The table mdrill records the drill's migrations in (version, name,
 * tick): "schema_migrations" alone, and "mdrill_history" beside a tool's
 * table, which may be called schema_migrations itself.  Every statement
 * of mdrill's that names its record takes the name from here.
 */
const char *history_own_table(int tool);

/**
 * The tool's own table (NULL for none, and for sqitch, whose registry is
 * not in the database it migrates).
 */
const char *history_tool_table(int tool);

/**
 * Is name a table some tool keeps for itself, or mdrill's own record
 * (schema_migrations, _prisma_migrations, databasechangelog, ...)?  Such a
 * table is the drill's to keep, not the application's to drill.
 */
int history_is_tool_table(const char *name);

/**
 * Apply script through c on drv as tool would: the tool's table created
 * first (as the tool creates it on dialect drv's), then each statement in
 * order, and after the last statement of each file (the statements' file,
 * the name '-- @file' gives: one the tool can read a version in, a Prisma
 * directory's migration.sql, a Liquibase changeset's FILE::ID::AUTHOR)
 * that file's record, as the tool writes it.  Statements without a file
 * are one file with no record.  A checksum the tool keeps of a file's
 * bytes (Prisma's, Atlas's) is taken of its statements as applied here:
 * the scenario holds the statements, not the file.
 * Returns 0, or -1 with the index of the statement that failed in *failed
 * (script->nr when the bookkeeping itself failed) and the engine's
 * message in err.
 */
int history_apply(const struct db_driver *drv, struct db_conn *c, int tool, const struct sql_script *script,
		  size_t *failed, struct strbuf *err);

#endif
