/*
** SQL text handling that is the same for every engine: splitting a script
** into statements and turning :name parameters into numbered placeholders.
** Both skip quoted strings, quoted identifiers, comments and PostgreSQL
** dollar quotes, and the splitter keeps a SQLite trigger body (BEGIN ...
** END;) in one statement.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SQLTEXT_H
#define MDRILL_SQLTEXT_H

#include <stddef.h>

#include "strbuf.h"

struct sql_stmt {
	char *sql;   /* trimmed, without the final semicolon */
	int line;    /* line of its first character */
	char *file;  /* the file it came from when a fix spans several; else NULL */
	int repeat;  /* '-- @repeat': run it until a run changes no rows, at most
			this many runs; 0 runs it once */
};

struct sql_script {
	struct sql_stmt *v;
	size_t nr, alloc;
};

/**
 * Split text into statements and append them to script.  first_line is the
 * line number of text's first line, so that each statement knows where it
 * stands in its file.  Statements holding only comments are dropped.
 */
void sql_split(const char *text, int first_line, struct sql_script *script);
/** Free the statements of script and leave it empty. */
void sql_script_release(struct sql_script *script);

/**
 * Copy sql into out with each :name parameter replaced by prefix and its
 * number ('$' gives $1, '?' gives ?1); a name used twice keeps its number.
 * names receives the distinct names in number order (each xmalloc'd; the
 * caller frees them and the array).  Casts such as ::int are left alone.
 */
void sql_number_params(const char *sql, char prefix, struct strbuf *out,
		       char ***names, size_t *nnames);

/** Free an array of names from sql_number_params. */
void sql_names_free(char **names, size_t n);

/*
** Directives.  A scenario, a fix file and a pgbench script carry them as
** SQL comments, "-- @name rest", one a line.  Every reader and every
** writer of them asks sql_directive, so that what one takes for a comment
** another cannot take for a directive: text pasted into a scenario is
** neutralised by exactly the rule the scenario reader applies.
*/

/**
 * Is the line at s (len bytes, without its '\n'; a final '\r' is the
 * line's end too) a directive: optional white space, "--", optional white
 * space, '@', a name of letters, digits and '_', then white space or the
 * end?  White space is a space or a tab and nothing else.  Returns 1 and
 * sets *name and *namelen, and *rest and *restlen to what follows the name
 * with its white space trimmed at both ends; else 0.
 */
int sql_directive(const char *s, size_t len, const char **name, size_t *namelen,
		  const char **rest, size_t *restlen);

/**
 * text onto out, each line that sql_directive takes for a directive turned
 * into a plain comment ("-- (@)name ..."), every other line as it is: text
 * from elsewhere (a team's migration) pasted into a scenario can then
 * never become a directive of it.  Returns how many lines it changed.
 */
size_t sql_add_inert(struct strbuf *out, const char *text);

/* What a statement does to the transaction it runs in (sql_tx_control). */
enum sql_tx { SQL_TX_NONE, SQL_TX_BEGIN, SQL_TX_COMMIT, SQL_TX_ROLLBACK };

/**
 * Does sql open (BEGIN, START TRANSACTION), end (COMMIT, END) or roll back
 * (ROLLBACK, ABORT; not ROLLBACK TO a savepoint) a transaction?  SQL_TX_*.
 */
int sql_tx_control(const char *sql);

/**
 * The name an identifier as written in SQL stands for, as a table's or a
 * column's name is kept (in the ledger, a probe's result): the content of
 * a quoted one ('"userUid"' is userUid, '""' inside one a '"'), any other
 * as written.  Returns a copy, which the caller frees.
 */
char *sql_ident_name(const char *written);

/**
 * Does the identifier name (as sql_ident_name gives it, written unquoted
 * or not) name the column a result calls col?  Exactly, or, as unquoted
 * names fold on PostgreSQL and match in any case on SQLite, without
 * regard to case.
 */
int sql_ident_is(const char *name, const char *col);

/**
 * The table a statement changes, by the name it stands for (sql_ident_name,
 * a schema before it left out), onto out: ALTER TABLE, CREATE INDEX ... ON,
 * CREATE TRIGGER ... ON, DROP TABLE (its first), TRUNCATE, UPDATE, DELETE
 * FROM, INSERT INTO, LOCK, CLUSTER, REINDEX TABLE, VACUUM.  Returns 1 when
 * it names one, else 0 (out untouched).
 */
int sql_table_changed(const char *sql, struct strbuf *out);

/** s onto out quoted with q ('\'' a string literal, '"' an identifier), q inside doubled. */
void sql_add_quoted(struct strbuf *out, const char *s, char q);

/**
 * Offset just past the quoted string, identifier, comment or dollar quote
 * that starts at s[i], or i itself when none starts there.
 */
size_t sql_skip_quoted(const char *s, size_t i);

/**
 * Does sql only open a transaction or set session state, so that it takes
 * no lock and writes nothing: BEGIN (but not SQLite's BEGIN IMMEDIATE or
 * EXCLUSIVE), START TRANSACTION, SAVEPOINT, RELEASE, SET, RESET, SHOW?
 * The backup before a bad migration is taken at its first statement that
 * is not one of these.
 */
int sql_is_session_only(const char *sql);

#endif
