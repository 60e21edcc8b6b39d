/*
** Text the drill brings back (SQL, error messages, values) made safe for
** a terminal or a Markdown page: control characters, which a fix or a
** database message can carry to move the cursor, recolour, ring the bell
** or forge a line such as a verdict, are shown as escapes instead.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"

/* The length of the C1 control at s (U+0080 to U+009F in UTF-8), or 0. */
static int c1_at(const unsigned char *s)
{
	return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f ? 2 : 0;
}

static int needs_escape(const char *s)
{
	const unsigned char *p;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || c1_at(p))
			return 1;
	return 0;
}

void report_add_text(struct strbuf *out, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			strbuf_addstr(out, "\\n");
		else if (*p == '\r')
			strbuf_addstr(out, "\\r");
		else if (*p == '\t')
			strbuf_addstr(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_addf(out, "\\x%02x", *p);
		else if (c1_at(p))
			strbuf_addf(out, "\\u%04x", p[1]), p++;
		else
			strbuf_addch(out, *p);
	}
}

const char *report_esc(struct report_esc *pool, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	if (!s || !needs_escape(s))
		return s;
	report_add_text(&b, s);
	ALLOC_GROW(pool->v, pool->nr + 1, pool->alloc);
	pool->v[pool->nr++] = strbuf_detach(&b);
	return pool->v[pool->nr - 1];
}

void report_esc_release(struct report_esc *pool)
{
	size_t i;
	for (i = 0; i < pool->nr; i++)
		free(pool->v[i]);
	free(pool->v);
	memset(pool, 0, sizeof(*pool));
}
