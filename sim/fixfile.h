/*
** Fix files: the migration a team applies in the fix slot.  Plain SQL, or
** SQL with '-- @fix [sqlite|postgres]' blocks where the engines' forms
** differ (a block with no dialect serves both), and '-- @expect' lines that
** the regression suite reads.
*/
#ifndef MDRILL_FIXFILE_H
#define MDRILL_FIXFILE_H

#include "sqltext.h"
#include "strbuf.h"

/**
 * Read the fix at path and append its statements for dialect to out.
 * Returns 0, or -1 with "FILE:LINE: what was expected" (or why the file
 * cannot be read) in err.
 */
int fixfile_load(const char *path, int dialect, struct sql_script *out, struct strbuf *err);

/**
 * Statements of a SQL text for dialect, honouring the '-- @fix' blocks
 * as fixfile_load does; path names the text in messages.
 */
int fixfile_parse(const char *path, const char *text, int dialect, struct sql_script *out,
		  struct strbuf *err);

#endif
