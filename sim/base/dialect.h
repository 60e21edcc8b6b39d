/*
** SQL dialects: the one table of their names.  A scenario's blocks, a
** fix's '-- @fix' blocks and '-- @expect ... ENGINE' lines name a dialect;
** each database driver speaks one, and is called by its name.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_DIALECT_H
#define MDRILL_DIALECT_H

#include <stddef.h>

#include "strbuf.h"

enum sql_dialect {
	DIALECT_ANY = 0,     /* a block written for every engine */
	DIALECT_SQLITE,
	DIALECT_POSTGRES,
	DIALECT_COUNT
};

/** The dialect's name, as scenarios and --engines spell it; "" for DIALECT_ANY. */
const char *dialect_name(enum sql_dialect d);

/** The dialect called by the len bytes at name, or -1 (DIALECT_ANY has no name). */
int dialect_find(const char *name, size_t len);

/**
 * Every dialect's name onto out, each between quote marks, separated by
 * sep and the last by last_sep: "'sqlite' or 'postgres'" for messages.
 */
void dialect_names(struct strbuf *out, const char *quote, const char *sep, const char *last_sep);

#endif
