/*
** Fix files: the migration a team applies in the fix slot.  Plain SQL, or
** SQL with '-- @fix [sqlite|postgres]' blocks where the engines' forms
** differ (a block with no dialect serves both), '-- @repeat [max=N]' on
** the lines before a statement that is run again until a run changes no
** rows (a batched backfill), and '-- @expect' lines that the regression
** suite reads.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_FIXFILE_H
#define MDRILL_FIXFILE_H

#include "../base/sqltext.h"
#include "../base/strbuf.h"

/* Runs of a '-- @repeat' statement without max=N. */
#define FIXFILE_REPEAT_MAX 10000

/**
 * Read the fix at path and append its statements for dialect to out.
 * Returns 0, or -1 with "FILE:LINE: what was expected" (or why the file
 * cannot be read) in err.
 */
int fixfile_load(const char *path, int dialect, struct sql_script *out, struct strbuf *err);

/**
 * Statements of a SQL text for dialect, honouring the '-- @fix' blocks
 * and '-- @repeat' lines as fixfile_load does (the statement after a
 * '-- @repeat' gets its sql_stmt.repeat set to N, FIXFILE_REPEAT_MAX without
 * max=); path names the text in messages.
 */
int fixfile_parse(const char *path, const char *text, int dialect, struct sql_script *out,
		  struct strbuf *err);

#endif
