/*
** String expressions of a transaction's '\set' lines: concat, lower,
** upper, substr and replace over ':var' values set above, quoted literals
** and whole numbers, so that a transaction can write, and declare in its
** '@writes', a value built from others: a name and a domain, a unique code
** made from a key.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_STREXPR_H
#define MDRILL_STREXPR_H

#include <stddef.h>

#include "../base/strbuf.h"

struct strexpr;

/** Does text start with a call of one of the string functions ("concat(", ...)? */
int strexpr_is_call(const char *text);

/**
 * Parse text, a call of a string function, into *out (free it with
 * strexpr_free).  vars names the nvars variables set above the line, in
 * order: ':name' refers to one of them.  Returns 0, or -1 with what was
 * expected in err (no location).
 */
int strexpr_parse(const char *text, const char *const *vars, size_t nvars, struct strexpr **out,
		  struct strbuf *err);

/**
 * Evaluate e over the variables' values (vals[i], NULL when isnull[i]) into
 * out.  Returns 1 when the value is SQL NULL (out untouched), else 0.  As
 * in SQL: concat skips NULLs, the other functions of a NULL are NULL;
 * lower and upper change ASCII letters; substr counts characters (UTF-8)
 * from 1.
 */
int strexpr_eval(const struct strexpr *e, const struct strbuf *vals, const char *isnull,
		 struct strbuf *out);

void strexpr_free(struct strexpr *e);

#endif
