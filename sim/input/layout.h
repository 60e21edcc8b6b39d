/*
** Migration layouts: a fix or a down migration as a team's migration tool
** keeps it, read in that tool's order, so that the drill applies what the
** tool would.  A single .sql file (plain, a dbmate file with '-- migrate:up'
** and '-- migrate:down' sections, or Alembic's offline SQL), or a
** directory: Flyway (V<version>__<description>.sql, undo scripts
** U<version>__..., repeatable R__...), golang-migrate
** (<version>_<description>.up.sql and .down.sql), dbmate files, or a sqitch
** project (sqitch.plan with deploy/ and revert/).
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LAYOUT_H
#define MDRILL_LAYOUT_H

#include "../base/sqltext.h"
#include "../base/strbuf.h"

enum layout_direction { LAYOUT_UP, LAYOUT_DOWN };

/** One file of a layout, in the order it is applied. */
struct layout_file {
	char *path;    /* to open */
	char *shown;   /* as reports name it: under the name the user gave */
	int wrap;      /* the tool runs it inside one transaction */
};

struct layout {
	const char *kind;   /* "sql", "flyway", "golang-migrate", "dbmate", "sqitch", "alembic" */
	struct layout_file *v;
	size_t nr, alloc;
	/*
	** What is worth saying but no error, a line each: a gap in the
	** versions, which the tools accept (they order by version).
	*/
	struct strbuf notes;
};

/**
 * The files of the migration at path, for direction, in the order the tool
 * applies them.  shown is how the user named path.  Returns 0, or -1 with
 * "PATH: what was expected" in err (an unknown layout, a repeat in the
 * versions, a missing script).  A gap in the versions is a note in
 * out->notes.  Release with layout_release.
 */
int layout_open(const char *path, const char *shown, int direction, struct layout *out,
		struct strbuf *err);
void layout_release(struct layout *l);

/**
 * The .sql files of the directory at path in name order, a number in a
 * name compared by its value (2_x before 10_x): a history kept as plain
 * files no tool's naming fits.  kind is "sql".  Returns 0, or -1 with the
 * reason in err (no .sql file there).  Release with layout_release.
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
 * The text the tool runs of file i of l for direction, onto out: a dbmate
 * file's section for it (its other lines blank, so that lines keep their
 * numbers), any other file whole.  *wrap says whether the tool runs the
 * file in one transaction, before its statements are looked at (see
 * layout_wrappable).  Returns 0, or -1 with the reason in err.
 */
int layout_file_text(const struct layout *l, size_t i, int direction, struct strbuf *out, int *wrap,
		     struct strbuf *err);

/**
 * Can the statements of s from index from on run in one transaction that
 * mdrill opens, as a tool does: more than one, none of transaction control
 * of its own, none CONCURRENTLY (which cannot run in one)?
 */
int layout_wrappable(const struct sql_script *s, size_t from);

/**
 * The version and the description a migration tool reads in a file's
 * name (its last component): Flyway's V1_2__add_phone.sql gives "1.2" and
 * "add phone", R__view.sql no version and "view"; golang-migrate's
 * 000012_add_phone.up.sql and dbmate's 20240301090000_add_phone.sql give
 * the number as written, without leading zeros, and "add_phone".  Returns
 * 0, or -1 when the name fits no tool's pattern.
 */
int layout_file_version(const char *name, struct strbuf *version, struct strbuf *description);

#endif
