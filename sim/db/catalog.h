/*
** A database's catalogue, as its driver reads it (db_catalog): the tables
** of the schema the drill works in, each with its columns (the type as the
** engine spells it, NOT NULL, the default, whether the engine fills it),
** its primary and unique keys, foreign keys and CHECK constraints, and the
** labels of enum types.  Scaffolding writes a scenario from it.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_CATALOG_H
#define MDRILL_CATALOG_H

#include <stddef.h>

struct cat_column {
	char *name;
	char *type;          /* as the engine declares it: "character varying(26)", "INTEGER" */
	int notnull;
	char *def;           /* the default's expression, or NULL */
	int filled;          /* the engine fills it when an INSERT leaves it out (serial, identity, rowid) */
	int generated;       /* computed, or an identity that refuses values: never inserted */
	int array;           /* an array type (PostgreSQL) */
	char **labels;       /* an enum type's labels, in order */
	size_t nlabels;
	/*
	** Its number in its table, which stays when it is renamed: PostgreSQL's
	** attnum (a dropped column keeps its own), else its position from 1.
	*/
	int num;
	/*
	** A trigger of its table that sets it (PostgreSQL: NEW.col := in its
	** function; SQLite: UPDATE of the table SET col = in its body), by
	** name, or NULL: what it holds is the database's, not what was written.
	*/
	char *written_by;
};

/* A primary or unique key, a foreign key, or a CHECK: the columns are names. */
struct cat_key {
	char **cols;
	size_t ncols;
	int primary;
};

struct cat_fkey {
	char **cols;
	char **refcols;      /* the parent's columns, one per column */
	size_t ncols;
	char *table;         /* the parent */
	char on_delete;      /* 'a' no action, 'r' restrict, 'c' cascade, 'n' set null, 'd' set default */
};

struct cat_table {
	char *name;
	struct cat_column *cols;
	size_t ncols, cols_alloc;
	struct cat_key *keys;        /* the primary key first when there is one */
	size_t nkeys, keys_alloc;
	struct cat_fkey *fkeys;
	size_t nfkeys, fkeys_alloc;
	char **checks;               /* each CHECK's expression, without CHECK ( ) */
	size_t nchecks, checks_alloc;
};

struct db_catalog {
	struct cat_table *v;         /* by name */
	size_t nr, alloc;
};

/**
 * Note the columns of table that trigger sets, read from body (its
 * function's source on PostgreSQL, its own on SQLite): NEW.col := ... or
 * NEW.col = ..., and UPDATE table SET col = ....  A body these forms do
 * not show sets nothing mdrill knows of.
 */
void catalog_note_trigger(struct db_catalog *cat, const char *table, const char *trigger, const char *body);

/** Free what cat holds; it is left empty. */
void catalog_release(struct db_catalog *cat);

/** The table called name, or NULL. */
struct cat_table *catalog_table(const struct db_catalog *cat, const char *name);

/** The index of t's column called name, or -1. */
int catalog_column(const struct cat_table *t, const char *name);

/** t's primary key, or NULL when it has none. */
const struct cat_key *catalog_primary(const struct cat_table *t);

/* Building, for the drivers. */

/** A new table called name at the end of cat (catalog_finish sorts them). */
struct cat_table *catalog_add_table(struct db_catalog *cat, const char *name);
/** A new column of t, zeroed but for its name and type. */
struct cat_column *catalog_add_column(struct cat_table *t, const char *name, const char *type);
/**
 * A key of t over the columns named in list, separated by sep; the primary
 * key goes first.  Two keys over the same columns are one.
 */
void catalog_add_key(struct cat_table *t, const char *list, char sep, int primary);
/** A foreign key of t: cols (separated by sep) referencing parent's refcols (NULL: its primary key). */
void catalog_add_fkey(struct cat_table *t, const char *cols, const char *parent, const char *refcols, char sep,
		      char on_delete);
void catalog_add_check(struct cat_table *t, const char *expr);
/** Split list (separated by sep) into column's enum labels. */
void catalog_set_labels(struct cat_column *col, const char *list, char sep);
/**
 * Sort the tables by name and resolve what the driver left open: a
 * foreign key that names no parent columns references its primary key.
 */
void catalog_finish(struct db_catalog *cat);

#endif
