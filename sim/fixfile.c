/*
** The fix-file reader: find the block for the engine (its own dialect
** first, else the block without one, else the whole file), then split it.
*/
#include "fixfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "scenario.h"

/* If line is "-- @word ...", return word's start and set *len; else NULL. */
static const char *directive_word(const char *line, size_t *len)
{
	const char *s = line, *e;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] != '-' || s[1] != '-')
		return NULL;
	s += 2;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '@')
		return NULL;
	for (e = ++s; isalnum((unsigned char)*e) || *e == '_'; e++)
		;
	*len = (size_t)(e - s);
	return *len ? s : NULL;
}

int fixfile_parse(const char *path, const char *text, int dialect, struct sql_script *out,
		  struct strbuf *err)
{
	/* One buffer per dialect; every file line lands in each, blank where it is
	   not theirs, so statements keep the file's line numbers. */
	struct strbuf blocks[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	int seen[3] = { 0, 0, 0 };
	int cur = DIALECT_ANY, line = 0, any_block = 0, rc = 0, pick = DIALECT_ANY, b;
	const char *s = text;

	while (*s && !rc) {
		const char *e = strchr(s, '\n'), *w;
		size_t len = e ? (size_t)(e - s) : strlen(s), wl;
		char *l = xstrndup(s, len);
		int mine = cur;

		line++;
		if ((w = directive_word(l, &wl)) != NULL) {
			mine = -1;
			if (wl == 3 && !strncmp(w, "fix", 3)) {
				char *d = l + (w - l) + 3;
				size_t ll = strlen(l);
				while (isspace((unsigned char)*d))
					d++;
				/* Trim the copy only: len still steps over the whole line. */
				while (ll && isspace((unsigned char)l[ll - 1]))
					l[--ll] = '\0';
				if (!*d)
					cur = DIALECT_ANY;
				else if (!strcmp(d, "sqlite"))
					cur = DIALECT_SQLITE;
				else if (!strcmp(d, "postgres"))
					cur = DIALECT_POSTGRES;
				else
					rc = strbuf_error(err, -1, "%s:%d: expected '-- @fix' then optionally "
							  "'sqlite' or 'postgres'", path, line);
				if (!rc && seen[cur])
					rc = strbuf_error(err, -1, "%s:%d: a second '-- @fix' block for the "
							  "same dialect", path, line);
				seen[cur] = 1;
				any_block = 1;
			} else if (!(wl == 6 && !strncmp(w, "expect", 6))) {
				rc = strbuf_error(err, -1, "%s:%d: unknown directive '@%.*s' in a fix file "
						  "(expected '-- @fix [sqlite|postgres]' or '-- @expect')",
						  path, line, (int)wl, w);
			}
		}
		for (b = 0; b < 3; b++) {
			if (b == mine)
				strbuf_add(&blocks[b], s, len);
			strbuf_addch(&blocks[b], '\n');
		}
		free(l);
		s += len + (e ? 1 : 0);
	}
	if (!rc) {
		size_t before = out->nr;
		pick = seen[dialect] ? dialect : DIALECT_ANY;
		sql_split(blocks[pick].buf, 1, out);
		if (out->nr == before && any_block && !seen[dialect])
			rc = strbuf_error(err, -1, "%s: no '-- @fix' block for this engine "
					  "(expected '-- @fix' or '-- @fix %s')", path,
					  dialect == DIALECT_POSTGRES ? "postgres" : "sqlite");
		else if (out->nr == before)
			rc = strbuf_error(err, -1, "%s: the fix has no SQL statement", path);
	}
	for (b = 0; b < 3; b++)
		strbuf_release(&blocks[b]);
	return rc;
}

int fixfile_load(const char *path, int dialect, struct sql_script *out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	char buf[8192];
	size_t n;
	int rc;
	FILE *f = fopen(path, "rb");

	if (!f)
		return strbuf_error(err, -1, "cannot open fix '%s': %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	rc = fixfile_parse(path, text.buf, dialect, out, err);
	strbuf_release(&text);
	return rc;
}
