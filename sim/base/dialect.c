/*
** The names of the SQL dialects, in enum order, checked against the enum
** when it compiles.
**
** SPDX-License-Identifier: MIT
*/
#include "dialect.h"

#include <string.h>

static const char *const names[] = {
	"",           /* DIALECT_ANY */
	"sqlite",
	"postgres",
};

_Static_assert(sizeof(names) / sizeof(names[0]) == DIALECT_COUNT, "a dialect without its name");

const char *dialect_name(enum sql_dialect d)
{
	return (unsigned)d < DIALECT_COUNT ? names[d] : "";
}

int dialect_find(const char *name, size_t len)
{
	int d;
	for (d = DIALECT_ANY + 1; d < DIALECT_COUNT; d++)
		if (strlen(names[d]) == len && !strncmp(names[d], name, len))
			return d;
	return -1;
}

void dialect_names(struct strbuf *out, const char *quote, const char *sep, const char *last_sep)
{
	int d;
	for (d = DIALECT_ANY + 1; d < DIALECT_COUNT; d++) {
		if (d > DIALECT_ANY + 1)
			strbuf_addstr(out, d == DIALECT_COUNT - 1 ? last_sep : sep);
		strbuf_addf(out, "%s%s%s", quote, names[d], quote);
	}
}
