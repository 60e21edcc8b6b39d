/*
** Scaffolding: a scenario written from a team's own migration history.
** The history (any layout --fix reads, or a schema dump) is applied to a
** disposable database as its tool would apply it; the catalogue read back
** becomes seeds, probes and an app version 'old' of generic transactions
** per table; the new migration is applied after it, and the catalogue
** then becomes app 'new'; the new migration is the bad one, a down
** migration its way back.  Without a new migration the scenario is the
** history's schema under its own traffic, a placeholder where the
** migration goes.  The text is meant to be read and edited, and
** what cannot be generated is said, table and column, never left out in
** silence.  Nothing here prints.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SCAFFOLD_H
#define MDRILL_SCAFFOLD_H

#include <signal.h>
#include <stddef.h>

#include "../sim/base/strbuf.h"
#include "../sim/db/db.h"
#include "../sim/db/stats.h"

struct scaffold_weight {
	const char *table;
	unsigned weight;
};

struct scaffold_opts {
	const char *migrations;      /* the history: a tool's directory, a .sql file or a schema dump */
	const char *newmig;          /* the new migration: a file (or a tool's directory); NULL for none */
	const char *down;            /* its down migration, or NULL */
	const struct db_driver *drv; /* the engine the history is applied on */
	const char *target;          /* --db, for a driver that takes it */
	const char *name;            /* the scenario's name */
	const char *const *tables;   /* --tables: only these (and what they need); NULL for all */
	size_t ntables;
	const struct scaffold_weight *weights;  /* --weight TABLE=N */
	size_t nweights;
	volatile sig_atomic_t *stop;
	int allow_superuser;         /* PostgreSQL: run even when the target is a superuser */
	long statement_timeout_ms;   /* every statement's limit: 0 for none, <0 the default */
	/* A production database's statistics (--stats): shares of NULLs and distinct values, or NULL. */
	const struct db_stats *stats;
};

struct scaffold_result {
	struct strbuf drill;         /* the scenario file's text */
	/*
	** What is worth knowing, a line each: a table left out and why, a
	** column read as NULL, a CHECK not understood, a gap in the versions.
	** Placeholders in the text carry the same words.
	*/
	struct strbuf notes;
	const char *tool;            /* the history's tool ("" for none) */
	size_t nfiles;               /* files of the history applied */
	size_t ntables;              /* tables drilled */
	size_t nleft;                /* tables left out */
	/* Each table left out, "NAME\tWHY" a line: a migration that changes one is not judged there. */
	struct strbuf left;
	int new_failed;              /* the new migration failed on the history's schema (said in notes) */
	/*
	** What the user should act on, a line each: a --new already in the
	** history.  Each is in notes too, so that reports carry it.
	*/
	struct strbuf warnings;
	/*
	** Where each statement of the new migration's block (down 0) and of
	** its down migration's (down 1), counted from 1 as the drill counts
	** them, stands in its own file.
	*/
	struct scaffold_at {
		int down, statement, file_line;
		char *file;
	} *at;
	size_t nat, at_alloc;
};

/* What scaffold_run returns besides 0. */
#define SCAFFOLD_EINPUT -2           /* a file missing or unreadable, the history failing: err says where */
#define SCAFFOLD_EENGINE -1          /* no database could be made or read */
#define SCAFFOLD_EINTR -3

/**
 * Write the scenario of o into out (release with scaffold_result_release,
 * also after a failure).  The history is applied on o->drv in a database
 * made and removed here; the seeds are tried there too, and a table whose
 * seed the engine refuses is left out with the engine's words.  Returns
 * 0, or SCAFFOLD_E* with the reason in err ("FILE:LINE: ..." for a
 * history statement the engine refused).
 */
int scaffold_run(const struct scaffold_opts *o, struct scaffold_result *out, struct strbuf *err);

void scaffold_result_release(struct scaffold_result *r);

/**
 * The file, and the line in it, of statement (from 1, as the drill counts
 * a migration's statements) of the new migration (down 0) or of its down
 * migration (down 1) in the written scenario: a failure the drill reports
 * by statement is told at FILE:LINE of the user's own file.  Returns 1
 * with *file (r's) and *file_line set, 0 when the statement is none of a
 * file's (the BEGIN and COMMIT a tool's transaction adds).
 */
int scaffold_locate(const struct scaffold_result *r, int down, int statement, const char **file, int *file_line);

#endif
