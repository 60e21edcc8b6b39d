/*
** The fix-file reader: find the block for the engine (its own dialect
** first, else the block without one, else the whole file), then split it
** and mark the statements that '-- @repeat' lines stand before.
**
** SPDX-License-Identifier: MIT
*/
#include "fixfile.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/dialect.h"

/* If line is a directive (sql_directive), return its name's start and set *len; else NULL. */
static const char *directive_word(const char *line, size_t *len)
{
	const char *name, *rest;
	size_t rl;
	return sql_directive(line, strlen(line), &name, len, &rest, &rl) ? name : NULL;
}

/* The most runs a '-- @repeat max=N' may ask for: each is a tick of the drill. */
#define REPEAT_LIMIT 1000000

/* A '-- @repeat' line, waiting for the statement after it. */
struct repeat_mark {
	int line;        /* of the directive */
	int block;       /* the '-- @fix' block it stands in */
	int until;       /* the next '-- @fix' line: its statement starts before */
	int max;
};

/* N of "max=N" after '@repeat' (FIXFILE_REPEAT_MAX for nothing), or -1. */
static int repeat_max(const char *rest)
{
	char *end;
	long v;

	while (isspace((unsigned char)*rest))
		rest++;
	if (!*rest)
		return FIXFILE_REPEAT_MAX;
	if (strncmp(rest, "max=", 4) || !isdigit((unsigned char)rest[4]))
		return -1;
	errno = 0;
	v = strtol(rest + 4, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return *end || errno || v < 1 || v > REPEAT_LIMIT ? -1 : (int)v;
}

/*
** Give each '-- @repeat' of block to the first statement after it, among
** the block's statements out->v[from..]: in the same block, not inside a
** statement, one directive per statement.
*/
static int mark_repeats(const char *path, const struct repeat_mark *marks, size_t nmarks, int block,
			struct sql_script *out, size_t from, struct strbuf *err)
{
	size_t i, k;

	for (i = 0; i < nmarks; i++) {
		const struct repeat_mark *rm = &marks[i];
		if (rm->block != block)
			continue;
		for (k = from; k < out->nr && out->v[k].line <= rm->line; k++)
			;
		if (k > from) {
			/* The statement before: does it run on past the directive? */
			const struct sql_stmt *p = &out->v[k - 1];
			int last = p->line;
			const char *c;
			for (c = p->sql; *c; c++)
				last += *c == '\n';
			if (last >= rm->line)
				return strbuf_error(err, -1, "%s:%d: '-- @repeat' inside the statement of line "
						    "%d (expected it on a line of its own before a statement)",
						    path, rm->line, p->line);
		}
		if (k == out->nr || out->v[k].line > rm->until)
			return strbuf_error(err, -1, "%s:%d: '-- @repeat' with no statement after it in "
					    "its block (expected it on the line before a statement)",
					    path, rm->line);
		if (out->v[k].repeat)
			return strbuf_error(err, -1, "%s:%d: a second '-- @repeat' for the statement of "
					    "line %d", path, rm->line, out->v[k].line);
		out->v[k].repeat = rm->max;
	}
	return 0;
}

int fixfile_parse(const char *path, const char *text, int dialect, struct sql_script *out,
		  struct strbuf *err)
{
	/* One buffer per dialect; every file line lands in each, blank where it is
	   not theirs, so statements keep the file's line numbers. */
	struct strbuf blocks[DIALECT_COUNT];
	int seen[DIALECT_COUNT] = { 0 };
	int cur = DIALECT_ANY, line = 0, any_block = 0, rc = 0, pick = DIALECT_ANY, b;
	const char *s = text;
	struct repeat_mark *marks = NULL;
	size_t nmarks = 0, m;

	for (b = 0; b < DIALECT_COUNT; b++)
		strbuf_init(&blocks[b]);
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
				int named;
				while (isspace((unsigned char)*d))
					d++;
				/* Trim the copy only: len still steps over the whole line. */
				while (ll && isspace((unsigned char)l[ll - 1]))
					l[--ll] = '\0';
				named = *d ? dialect_find(d, strlen(d)) : DIALECT_ANY;
				if (named >= 0) {
					cur = named;
				} else {
					struct strbuf names = STRBUF_INIT;
					dialect_names(&names, "'", ", ", " or ");
					rc = strbuf_error(err, -1, "%s:%d: expected '-- @fix' then optionally "
							  "%s", path, line, names.buf);
					strbuf_release(&names);
				}
				if (!rc && seen[cur])
					rc = strbuf_error(err, -1, "%s:%d: a second '-- @fix' block for the "
							  "same dialect", path, line);
				seen[cur] = 1;
				any_block = 1;
				for (m = 0; m < nmarks; m++)
					if (marks[m].until == INT_MAX)
						marks[m].until = line;
			} else if (wl == 6 && !strncmp(w, "repeat", 6)) {
				int max = repeat_max(w + 6);
				size_t ll = strlen(l);
				while (ll && isspace((unsigned char)l[ll - 1]))
					l[--ll] = '\0';
				if (max < 0)
					rc = strbuf_error(err, -1, "%s:%d: expected '-- @repeat' then optionally "
							  "'max=N' (N a whole number from 1 to %d), found '%s'",
							  path, line, REPEAT_LIMIT, l);
				marks = xrealloc(marks, (nmarks + 1) * sizeof(*marks));
				marks[nmarks].line = line;
				marks[nmarks].block = cur;
				marks[nmarks].until = INT_MAX;
				marks[nmarks++].max = max;
			} else if (!(wl == 6 && !strncmp(w, "expect", 6))) {
				struct strbuf names = STRBUF_INIT;
				dialect_names(&names, "", "|", "|");
				rc = strbuf_error(err, -1, "%s:%d: unknown directive '@%.*s' in a fix file "
						  "(expected '-- @fix [%s]', '-- @repeat [max=N]' "
						  "or '-- @expect')", path, line, (int)wl, w, names.buf);
				strbuf_release(&names);
			}
		}
		for (b = 0; b < DIALECT_COUNT; b++) {
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
					  dialect_name(dialect));
		else if (out->nr == before)
			rc = strbuf_error(err, -1, "%s: the fix has no SQL statement", path);
		/* Every block's marks are checked, so a mistake shows on either engine. */
		for (b = 0; b < DIALECT_COUNT && !rc; b++) {
			struct sql_script other = { 0 };
			for (m = 0; m < nmarks && marks[m].block != b; m++)
				;
			if (m == nmarks)
				continue;
			if (b == pick) {
				rc = mark_repeats(path, marks, nmarks, b, out, before, err);
				continue;
			}
			sql_split(blocks[b].buf, 1, &other);
			rc = mark_repeats(path, marks, nmarks, b, &other, 0, err);
			sql_script_release(&other);
		}
	}
	for (b = 0; b < DIALECT_COUNT; b++)
		strbuf_release(&blocks[b]);
	free(marks);
	return rc;
}

int fixfile_load(const char *path, int dialect, struct sql_script *out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int rc;

	if (strbuf_read_file(&text, path, err)) {
		struct strbuf why = STRBUF_INIT;
		strbuf_addstr(&why, err->buf);
		rc = strbuf_error(err, -1, "cannot open fix '%s': %s", path, why.buf);
		strbuf_release(&why);
		strbuf_release(&text);
		return rc;
	}
	rc = fixfile_parse(path, text.buf, dialect, out, err);
	strbuf_release(&text);
	return rc;
}
