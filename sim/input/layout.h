/*
** Migration layouts: a fix, a down migration or a history as a team's
** migration tool keeps it, read in that tool's order, so that the drill
** applies what the tool would.  A single .sql file (plain, a dbmate file
** with '-- migrate:up' and '-- migrate:down' sections, Alembic's offline
** SQL, or a Liquibase formatted SQL changelog), or a directory: Flyway
** (V<version>__<description>.sql, undo scripts U<version>__..., repeatable
** R__...), golang-migrate (<version>_<description>.up.sql and .down.sql),
** dbmate files, a sqitch project (sqitch.plan with deploy/ and revert/),
** Prisma Migrate (<timestamp>_<name>/migration.sql beside
** migration_lock.toml), Atlas (<version>_<name>.sql checked against
** atlas.sum) or Liquibase formatted SQL files.  No file is read through a
** symbolic link that leads out of the directory the user named.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LAYOUT_H
#define MDRILL_LAYOUT_H

#include "../base/sqltext.h"
#include "../base/strbuf.h"

enum layout_direction { LAYOUT_UP, LAYOUT_DOWN };

/* What layout_open returns besides 0 and -1: a directory no tool's layout fits. */
#define LAYOUT_EUNKNOWN -2

/** One migration of a layout (a file, or a Liquibase changeset), in the order it is applied. */
struct layout_file {
	char *path;    /* to open */
	char *shown;   /* as reports name it: under the name the user gave */
	char *name;    /* as the tool records it, and as '-- @file' names it */
	int wrap;      /* the tool runs it inside one transaction */
	/*
	** A Liquibase changeset: its first and last line in the file (0 and
	** 0 for a whole file), and what its '--changeset' line says.
	*/
	int from, to;
	char *delim, *rdelim;  /* endDelimiter and rollbackEndDelimiter, or NULL for ';' */
	char *dbms;            /* dbms:LIST, or NULL for every engine */
};

struct layout {
	/* "sql", "flyway", "golang-migrate", "dbmate", "sqitch", "prisma", "atlas", "liquibase" */
	const char *kind;
	struct layout_file *v;
	size_t nr, alloc;
	/*
	** The engine the migrations are for (enum dialect), or -1 when not
	** known: Prisma's transactions and Liquibase's dbms: depend on it.
	** layout_open sets -1; a caller that knows sets it before reading text.
	*/
	int dialect;
	/*
	** What is worth saying but no error, a line each: a gap in the
	** versions, which the tools accept (they order by version).
	*/
	struct strbuf notes;
};

/**
 * The migrations at path, for direction, in the order the tool applies
 * them.  shown is how the user named path.  Returns 0; LAYOUT_EUNKNOWN
 * with "PATH: what was looked for and what was found" in err when a
 * directory fits no tool's layout; or -1 with "PATH: what was expected" in
 * err (a repeat in the versions, a missing script, an atlas.sum that does
 * not match, a symbolic link leading out of the directory).  A gap in the
 * versions is a note in out->notes.  Release with layout_release, also
 * after a failure.
 */
int layout_open(const char *path, const char *shown, int direction, struct layout *out,
		struct strbuf *err);

/**
 * As layout_open, but a single file is read as a file of like's tool
 * (the new migration of a golang-migrate history runs in one transaction
 * as golang-migrate runs each file), and like's dialect is kept.
 */
int layout_open_like(const char *path, const char *shown, int direction, const struct layout *like,
		     struct layout *out, struct strbuf *err);
void layout_release(struct layout *l);

/**
 * The .sql files under the directory at path, in its subdirectories too,
 * in name order by their path below it, a number in a name compared by
 * its value (2_x before 10_x): a history kept as plain files no tool's
 * naming fits.  kind is "sql".  Returns 0, or -1 with the reason in err
 * (no .sql file there, a link leading out of it).  Release with
 * layout_release.
 */
int layout_open_plain(const char *path, const char *shown, struct layout *out, struct strbuf *err);

/**
 * Append the statements of the migration at path for direction and
 * dialect to out, each file's in turn.  Statements from a directory carry
 * their file's shown name.  Returns 0, or -1 with the reason in err.
 */
int layout_load(const char *path, const char *shown, int direction, int dialect,
		struct sql_script *out, struct strbuf *err);

/**
 * The text the tool runs of migration i of l for direction, onto out:
 * a dbmate file's section for it (its other lines blank, so that lines
 * keep their numbers), a Liquibase changeset's SQL or its rollback, any
 * other file whole.  *first_line is the line of the file the text starts
 * at.  *wrap says whether the tool runs it in one transaction, before its
 * statements are looked at (see layout_wrappable).  Returns 0, or -1 with
 * the reason in err.
 */
int layout_file_text(const struct layout *l, size_t i, int direction, struct strbuf *out, int *first_line,
		     int *wrap, struct strbuf *err);

/**
 * Can the statements of s from index from on run in one transaction that
 * mdrill opens, as a tool does: more than one, none of transaction control
 * of its own, none CONCURRENTLY (which cannot run in one)?
 */
int layout_wrappable(const struct sql_script *s, size_t from);

/**
 * The version and the description a migration tool reads in a file's
 * name: Flyway's V1_2__add_phone.sql gives "1.2" and "add phone",
 * R__view.sql no version and "view"; golang-migrate's
 * 000012_add_phone.up.sql and dbmate's or Atlas's
 * 20240301090000_add_phone.sql give the number as written, without
 * leading zeros, and "add_phone"; Prisma's
 * 20210915000000_init/migration.sql its directory's "20210915000000" and
 * "init"; a Liquibase changeset's name (see layout_changeset_name) its id
 * and author.  Returns 0, or -1 when the name fits no tool's pattern.
 */
int layout_file_version(const char *name, struct strbuf *version, struct strbuf *description);

/**
 * Split a Liquibase changeset's name, FILE::ID::AUTHOR with white space and
 * '%' written %XX, into its parts onto file, id and author.  Returns 0, or
 * -1 when name is not one.
 */
int layout_changeset_parse(const char *name, struct strbuf *file, struct strbuf *id, struct strbuf *author);

#endif
