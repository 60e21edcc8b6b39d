/*
** The layout reader.  A directory is classified by its file names (every
** .sql file must fit one tool's pattern, or the layout is unknown), its
** files put in the tool's order, and the versions checked: a repeat is an
** error; a gap in sequence numbers (versions shorter than ten digits;
** longer ones are timestamps, where gaps are the rule) is a note, since
** the tools order by version and accept one.  Each file
** is then read as a fix file is, through fixfile_parse, after its dbmate
** section is picked and before Alembic's bookkeeping statements go.
**
** SPDX-License-Identifier: MIT
*/
#include "layout.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "fixfile.h"

#define MAX_PARTS 8

/* A file of a directory layout while it is being classified and sorted. */
struct entry {
	char *name;
	long long ver[MAX_PARTS];
	int nparts;
	int digits;          /* length of a one-part version as written */
	char kind;           /* 'V', 'U', 'R' (Flyway), 'u', 'd' (golang-migrate), 'm' (dbmate) */
};

static int read_text(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (strbuf_read_file(out, path, &why))
		rc = strbuf_error(err, -1, "cannot open '%s': %s", path, why.buf);
	strbuf_release(&why);
	return rc;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

/* Parse a version "1", "1.2", "2_1" (Flyway's '_' is a '.') up to end. */
static int parse_version(const char *s, const char *end, struct entry *e)
{
	e->nparts = 0;
	e->digits = (int)(end - s);
	while (s < end) {
		long long v = 0;
		const char *start = s;
		while (s < end && isdigit((unsigned char)*s) && v < 100000000000000000LL)
			v = v * 10 + (*s++ - '0');
		if (s == start || e->nparts == MAX_PARTS)
			return -1;
		e->ver[e->nparts++] = v;
		if (s < end && *s != '.' && *s != '_')
			return -1;
		if (s < end && ++s == end)
			return -1;
	}
	return e->nparts ? 0 : -1;
}

static int cmp_version(const struct entry *a, const struct entry *b)
{
	int i, n = a->nparts > b->nparts ? a->nparts : b->nparts;
	for (i = 0; i < n; i++) {
		long long x = i < a->nparts ? a->ver[i] : 0, y = i < b->nparts ? b->ver[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	/* Flyway applies repeatable migrations after the versioned ones, by description. */
	if ((a->kind == 'R') != (b->kind == 'R'))
		return a->kind == 'R' ? 1 : -1;
	if (a->kind == 'R' || !cmp_version(a, b))
		return strcmp(a->name, b->name);
	return cmp_version(a, b);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_version(const struct entry *e, struct strbuf *out)
{
	int i;
	for (i = 0; i < e->nparts; i++)
		strbuf_addf(out, "%s%lld", i ? "." : "", e->ver[i]);
}

/* Does the file at path have a '-- migrate:up' line (dbmate)? */
static int has_dbmate_up(const char *path)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *s;
	int found = 0;

	if (!read_text(path, &text, &err))
		for (s = text.buf; s && *s && !found; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
			while (*s == ' ' || *s == '\t')
				s++;
			found = !strncmp(s, "-- migrate:up", 13);
		}
	strbuf_release(&text);
	strbuf_release(&err);
	return found;
}

/* Classify one file name of a directory; 0 with e filled, -1 if no tool's. */
static int classify(const char *dir, const char *name, struct entry *e)
{
	const char *us, *end = name + strlen(name) - 4;

	memset(e, 0, sizeof(*e));
	if ((name[0] == 'V' || name[0] == 'U') && (us = strstr(name, "__")) && us[2] && us + 2 < end) {
		e->kind = name[0];
		return parse_version(name + 1, us, e);
	}
	if (!strncmp(name, "R__", 3) && name + 3 < end) {
		e->kind = 'R';
		return 0;
	}
	for (us = name; isdigit((unsigned char)*us); us++)
		;
	if (us == name || *us != '_' || parse_version(name, us, e))
		return -1;
	if (ends_with(name, ".up.sql")) {
		e->kind = 'u';
	} else if (ends_with(name, ".down.sql")) {
		e->kind = 'd';
	} else {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, name);
		e->kind = has_dbmate_up(p.buf) ? 'm' : 0;
		strbuf_release(&p);
	}
	return e->kind ? 0 : -1;
}

static void add_file(struct layout *l, const char *path, const char *shown, int wrap)
{
	struct layout_file *f;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	f = &l->v[l->nr++];
	f->path = xstrdup(path);
	f->shown = xstrdup(shown);
	f->wrap = wrap;
}

static const char expected_layouts[] =
	"expected Flyway V<version>__<description>.sql (U... undo, R__... repeatable), "
	"golang-migrate <version>_<description>.up.sql and .down.sql, dbmate "
	"<version>_<description>.sql with '-- migrate:up', or a sqitch project with sqitch.plan";

static const char *kind_tool(char k)
{
	return k == 'V' || k == 'U' || k == 'R' ? "Flyway" : k == 'm' ? "dbmate" : "golang-migrate";
}

/*
** The versions of a sorted selection must not repeat.  Sequence numbers
** that skip one are worth a note: a missing file is how half a fix gets
** deployed, but real histories have gaps (a migration withdrawn before it
** shipped), and golang-migrate and Flyway apply them in order regardless.
*/
static int check_versions(const char *shown, struct entry **sel, size_t n, struct strbuf *notes,
			  struct strbuf *err)
{
	size_t i;
	for (i = 1; i < n; i++) {
		const struct entry *a = sel[i - 1], *b = sel[i];
		struct strbuf v = STRBUF_INIT;
		int rc = 0;
		if (a->kind == 'R' || b->kind == 'R')
			continue;
		show_version(b, &v);
		if (!cmp_version(a, b))
			rc = strbuf_error(err, -1, "%s: version %s twice ('%s' and '%s')", shown, v.buf,
					  a->name, b->name);
		else if (a->nparts == 1 && b->nparts == 1 && a->digits < 10 && b->digits < 10 &&
			 b->ver[0] != a->ver[0] + 1)
			strbuf_addf(notes, "%s: a gap in the versions: %lld comes after %lld (applied in "
				    "order, as the tool does; is a file missing?)\n", shown, b->ver[0], a->ver[0]);
		strbuf_release(&v);
		if (rc)
			return rc;
	}
	return 0;
}

static int open_sqitch(const char *path, const char *shown, int direction, struct layout *l,
		       struct strbuf *err)
{
	struct strbuf plan = STRBUF_INIT, p = STRBUF_INIT, s = STRBUF_INIT;
	char **changes = NULL, *text, *line;
	int *lines = NULL;
	size_t n = 0, alloc = 0, lalloc = 0, i;
	int rc = 0, lineno = 0;

	strbuf_addf(&plan, "%s/sqitch.plan", path);
	if (read_text(plan.buf, &p, err)) {
		rc = -1;
		goto out;
	}
	/* strtok_r would skip blank lines and lose the line count: walk by hand. */
	for (text = p.buf; text && *text; text = line) {
		char *name, *c;
		line = strchr(text, '\n');
		if (line)
			*line++ = '\0';
		lineno++;
		for (c = text; *c == ' ' || *c == '\t'; c++)
			;
		if (!*c || *c == '#' || *c == '%' || *c == '@' || *c == '\r')
			continue;
		name = c;
		while (*c && !isspace((unsigned char)*c))
			c++;
		*c = '\0';
		if (*name == '+' || *name == '-' || strchr(name, '/') || strchr(name, '@')) {
			rc = strbuf_error(err, -1, "%s:%d: expected a change line 'NAME [DEPS] DATE PLANNER "
					  "<EMAIL> # NOTE' (mdrill reads deploy and revert changes only)",
					  plan.buf, lineno);
			goto out;
		}
		for (i = 0; i < n; i++)
			if (!strcmp(changes[i], name)) {
				rc = strbuf_error(err, -1, "%s:%d: change '%s' is reworked; mdrill reads "
						  "each change once (expected a new change name)",
						  plan.buf, lineno, name);
				goto out;
			}
		ALLOC_GROW(changes, n + 1, alloc);
		ALLOC_GROW(lines, n + 1, lalloc);
		lines[n] = lineno;
		changes[n++] = xstrdup(name);
	}
	if (!n) {
		rc = strbuf_error(err, -1, "%s: the plan has no changes", plan.buf);
		goto out;
	}
	for (i = 0; i < n; i++) {
		size_t k = direction == LAYOUT_UP ? i : n - 1 - i;
		const char *sub = direction == LAYOUT_UP ? "deploy" : "revert";
		struct stat st;
		strbuf_reset(&s);
		strbuf_addf(&s, "%s/%s/%s.sql", path, sub, changes[k]);
		if (stat(s.buf, &st) || !S_ISREG(st.st_mode)) {
			rc = strbuf_error(err, -1, "%s:%d: change '%s' has no %s/%s.sql", plan.buf,
					  lines[k], changes[k], sub, changes[k]);
			goto out;
		}
		{
			struct strbuf sh = STRBUF_INIT;
			strbuf_addf(&sh, "%s/%s/%s.sql", shown, sub, changes[k]);
			add_file(l, s.buf, sh.buf, 0);
			strbuf_release(&sh);
		}
	}
	l->kind = "sqitch";
out:
	for (i = 0; i < n; i++)
		free(changes[i]);
	free(changes);
	free(lines);
	strbuf_release(&plan);
	strbuf_release(&p);
	strbuf_release(&s);
	return rc;
}

static int open_dir(const char *path, const char *shown, int direction, struct layout *l,
		    struct strbuf *err)
{
	struct entry *all = NULL, **sel = NULL;
	char **names = NULL;
	size_t n = 0, alloc = 0, nsel = 0, i, nnames = 0, names_alloc = 0;
	char tool = 0;
	int rc = 0;
	DIR *d;
	struct dirent *de;
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(&s, "%s/sqitch.plan", path);
	if (!access(s.buf, F_OK)) {
		strbuf_release(&s);
		return open_sqitch(path, shown, direction, l, err);
	}
	if (!(d = opendir(path))) {
		strbuf_release(&s);
		return strbuf_error(err, -1, "cannot read '%s': %s", shown, strerror(errno));
	}
	/* By name first, so that messages do not depend on the directory's order. */
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && ends_with(de->d_name, ".sql")) {
			ALLOC_GROW(names, nnames + 1, names_alloc);
			names[nnames++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (nnames > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, nnames, sizeof(*names), cmp_name);
	for (i = 0; i < nnames && !rc; i++) {
		struct entry e;
		char k;
		if (classify(path, names[i], &e)) {
			rc = strbuf_error(err, -1, "%s: not a migration layout mdrill knows: '%s' fits no "
					  "tool's naming (%s)", shown, names[i], expected_layouts);
			break;
		}
		k = e.kind == 'U' || e.kind == 'R' ? 'V' : e.kind == 'd' ? 'u' : e.kind;
		if (tool && tool != k) {
			rc = strbuf_error(err, -1, "%s: mixes %s and %s files ('%s'); expected one tool's layout",
					  shown, kind_tool(tool), kind_tool(k), names[i]);
			break;
		}
		tool = k;
		e.name = names[i];
		names[i] = NULL;
		ALLOC_GROW(all, n + 1, alloc);
		all[n++] = e;
	}
	if (!rc && !n)
		rc = strbuf_error(err, -1, "%s: no migration files in it (%s)", shown, expected_layouts);
	if (rc)
		goto out;
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_entry);
	sel = xcalloc(n, sizeof(*sel));
	for (i = 0; i < n; i++) {
		const struct entry *e = &all[i];
		int up = direction == LAYOUT_UP;
		if ((tool == 'm') || (up && (e->kind == 'V' || e->kind == 'R' || e->kind == 'u')) ||
		    (!up && (e->kind == 'U' || e->kind == 'd')))
			sel[nsel++] = &all[i];
	}
	if (!nsel) {
		rc = strbuf_error(err, -1, "%s: no %s in this %s directory", shown,
				  direction == LAYOUT_UP ? "up migrations" :
				  tool == 'V' ? "undo scripts (U<version>__<description>.sql)" :
						"down migrations (<version>_<description>.down.sql)",
				  kind_tool(tool));
		goto out;
	}
	if ((rc = check_versions(shown, sel, nsel, &l->notes, err)) != 0)
		goto out;
	for (i = 0; i < nsel; i++) {
		/* Down migrations undo the newest first. */
		const struct entry *e = sel[direction == LAYOUT_UP ? i : nsel - 1 - i];
		struct strbuf sh = STRBUF_INIT;
		strbuf_reset(&s);
		strbuf_addf(&s, "%s/%s", path, e->name);
		strbuf_addf(&sh, "%s/%s", shown, e->name);
		add_file(l, s.buf, sh.buf, 1);
		strbuf_release(&sh);
	}
	l->kind = tool == 'V' ? "flyway" : tool == 'm' ? "dbmate" : "golang-migrate";
out:
	for (i = 0; i < n; i++)
		free(all[i].name);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(all);
	free(sel);
	strbuf_release(&s);
	return rc;
}

int layout_open(const char *path, const char *shown, int direction, struct layout *out,
		struct strbuf *err)
{
	struct stat st;
	const char *base = strrchr(shown, '/') ? strrchr(shown, '/') + 1 : shown;
	int rc;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->notes);
	if (stat(path, &st))
		return strbuf_error(err, -1, "cannot open '%s': %s", shown, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if ((rc = open_dir(path, shown, direction, out, err)) != 0)
			layout_release(out);
		return rc;
	}
	/* One file: only its name can put it in the wrong direction. */
	if (direction == LAYOUT_UP && (ends_with(base, ".down.sql") || (base[0] == 'U' && strstr(base, "__"))))
		return strbuf_error(err, -1, "%s: a down migration or undo script; give it to --down, "
				    "not --fix", shown);
	if (direction == LAYOUT_DOWN && ends_with(base, ".up.sql"))
		return strbuf_error(err, -1, "%s: an up migration; give it to --fix, not --down", shown);
	out->kind = "sql";
	add_file(out, path, shown, 0);
	return 0;
}

/* Names in order, a run of digits compared by its value. */
static int cmp_natural(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea = a, *eb = b;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			if (ea - a != eb - b)
				return ea - a < eb - b ? -1 : 1;
			for (; a < ea; a++, b++)
				if (*a != *b)
					return *a < *b ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : strcmp(*(char *const *)pa, *(char *const *)pb);
}

int layout_open_plain(const char *path, const char *shown, struct layout *out, struct strbuf *err)
{
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->notes);
	if (!(d = opendir(path)))
		return strbuf_error(err, -1, "cannot read '%s': %s", shown, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && ends_with(de->d_name, ".sql")) {
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (!n)
		return strbuf_error(err, -1, "%s: no .sql file in it", shown);
	qsort(names, n, sizeof(*names), cmp_natural);
	for (i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT, sh = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", path, names[i]);
		strbuf_addf(&sh, "%s/%s", shown, names[i]);
		add_file(out, p.buf, sh.buf, 0);
		strbuf_release(&p);
		strbuf_release(&sh);
		free(names[i]);
	}
	free(names);
	out->kind = "sql";
	return 0;
}

void layout_release(struct layout *l)
{
	size_t i;
	for (i = 0; i < l->nr; i++) {
		free(l->v[i].path);
		free(l->v[i].shown);
	}
	free(l->v);
	strbuf_release(&l->notes);
	memset(l, 0, sizeof(*l));
}

int layout_file_version(const char *name, struct strbuf *version, struct strbuf *description)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	const char *desc, *end;
	struct entry e;
	size_t i;

	if (!ends_with(base, ".sql"))
		return -1;
	end = base + strlen(base) - (ends_with(base, ".up.sql") ? 7 : ends_with(base, ".down.sql") ? 9 : 4);
	if (!strncmp(base, "R__", 3)) {
		desc = base + 3;
	} else if ((base[0] == 'V' || base[0] == 'U') && (desc = strstr(base, "__")) != NULL) {
		if (parse_version(base + 1, desc, &e))
			return -1;
		desc += 2;
	} else {
		for (desc = base; isdigit((unsigned char)*desc); desc++)
			;
		if (desc == base || *desc != '_' || parse_version(base, desc, &e))
			return -1;
		desc++;
	}
	if (desc > end)
		return -1;
	if (base[0] != 'R' || strncmp(base, "R__", 3))
		show_version(&e, version);
	/* Flyway shows a description with its underscores as spaces. */
	for (i = 0; desc + i < end; i++)
		strbuf_addch(description, base[0] == 'V' || base[0] == 'U' || base[0] == 'R' ?
			     (desc[i] == '_' ? ' ' : desc[i]) : desc[i]);
	return 0;
}

/* Does sql hold word, in any case? */
static int has_word(const char *sql, const char *word)
{
	size_t n = strlen(word);
	for (; *sql; sql++)
		if (!strncasecmp(sql, word, n))
			return 1;
	return 0;
}

/* Is the statement one of transaction control? */
static int is_txctl(const char *sql)
{
	static const char *const words[] = { "BEGIN", "START", "COMMIT", "END", "ROLLBACK" };
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (!strncasecmp(sql, words[i], n) && (!sql[n] || !isalnum((unsigned char)sql[n])))
			return 1;
	}
	return 0;
}

/*
** Keep only dbmate's section for direction, other lines blanked so line
** numbers hold.  *notx is set by "transaction:false" on its marker.
** Returns 0, 1 when the text has no dbmate markers, -1 on error.
*/
static int dbmate_section(const char *shown, struct strbuf *text, int direction, int *notx,
			  struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = text->buf;
	const char *want = direction == LAYOUT_UP ? "up" : "down";
	int in = 0, markers = 0, found = 0;

	while (*s) {
		const char *e = strchr(s, '\n'), *t = s;
		size_t len = e ? (size_t)(e - s) : strlen(s);
		while (*t == ' ' || *t == '\t')
			t++;
		if (!strncmp(t, "-- migrate:", 11)) {
			const char *w = t + 11;
			markers = 1;
			in = !strncmp(w, want, strlen(want)) && !isalnum((unsigned char)w[strlen(want)]);
			if (in) {
				found = 1;
				*notx = strstr(w, "transaction:false") && strstr(w, "transaction:false") < s + len;
			}
		} else if (in) {
			strbuf_add(&out, s, len);
		}
		strbuf_addch(&out, '\n');
		s += len + (e ? 1 : 0);
	}
	if (!markers) {
		strbuf_release(&out);
		return 1;
	}
	if (!found) {
		strbuf_release(&out);
		return strbuf_error(err, -1, "%s: no '-- migrate:%s' section", shown, want);
	}
	strbuf_release(text);
	*text = out;
	return 0;
}

int layout_wrappable(const struct sql_script *s, size_t from)
{
	size_t i;
	if (s->nr - from < 2)
		return 0;
	for (i = from; i < s->nr; i++)
		if (is_txctl(s->v[i].sql) || has_word(s->v[i].sql, "CONCURRENTLY"))
			return 0; /* the file runs its own transactions, or cannot run in one */
	return 1;
}

int layout_file_text(const struct layout *l, size_t i, int direction, struct strbuf *out, int *wrap,
		     struct strbuf *err)
{
	const struct layout_file *f = &l->v[i];
	struct strbuf text = STRBUF_INIT;
	int rc, notx = 0;

	*wrap = f->wrap;
	if (read_text(f->path, &text, err)) {
		rc = -1;
		goto out;
	}
	if ((rc = dbmate_section(f->shown, &text, direction, &notx, err)) < 0)
		goto out;
	if (rc == 0)
		*wrap = !notx;
	strbuf_add(out, text.buf, text.len);
	rc = 0;
out:
	strbuf_release(&text);
	return rc;
}

/* Read one file of a layout into out. */
static int load_file(const struct layout *l, const struct layout_file *f, int direction, int dialect,
		     struct sql_script *out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	size_t before = out->nr, i, k;
	int rc, notx = 0, alembic, wrap = f->wrap;

	if (read_text(f->path, &text, err)) {
		rc = -1;
		goto out;
	}
	if ((rc = dbmate_section(f->shown, &text, direction, &notx, err)) < 0)
		goto out;
	if (rc == 0)
		wrap = !notx; /* dbmate runs each migration in a transaction unless told not to */
	else if (direction == LAYOUT_DOWN && !strcmp(l->kind, "dbmate")) {
		rc = strbuf_error(err, -1, "%s: no '-- migrate:down' section", f->shown);
		goto out;
	}
	alembic = strstr(text.buf, "-- Running upgrade") || strstr(text.buf, "-- Running downgrade");
	if ((rc = fixfile_parse(f->shown, text.buf, dialect, out, err)) != 0)
		goto out;
	/* Alembic's own bookkeeping names a table the drill database does not have. */
	for (i = k = before; alembic && i < out->nr; i++) {
		if (strstr(out->v[i].sql, "alembic_version")) {
			free(out->v[i].sql);
			free(out->v[i].file);
			continue;
		}
		out->v[k++] = out->v[i];
	}
	if (alembic)
		out->nr = k;
	if (wrap && layout_wrappable(out, before)) {
		int first = out->v[before].line, last = out->v[out->nr - 1].line;
		ALLOC_GROW(out->v, out->nr + 2, out->alloc);
		memmove(out->v + before + 1, out->v + before, (out->nr - before) * sizeof(*out->v));
		out->nr++;
		out->v[before].sql = xstrdup("BEGIN");
		out->v[before].line = first;
		out->v[before].file = NULL;
		out->v[before].repeat = 0;
		out->v[out->nr].sql = xstrdup("COMMIT");
		out->v[out->nr].line = last;
		out->v[out->nr].repeat = 0;
		out->v[out->nr++].file = NULL;
	}
	if (l->nr > 1 || strcmp(l->kind, "sql"))
		for (i = before; i < out->nr; i++)
			if (!out->v[i].file)
				out->v[i].file = xstrdup(f->shown);
	rc = 0;
out:
	strbuf_release(&text);
	return rc;
}

int layout_load(const char *path, const char *shown, int direction, int dialect,
		struct sql_script *out, struct strbuf *err)
{
	struct layout l;
	size_t i;
	int rc;

	if ((rc = layout_open(path, shown, direction, &l, err)) != 0)
		return rc;
	for (i = 0; i < l.nr && !rc; i++)
		rc = load_file(&l, &l.v[i], direction, dialect, out, err);
	layout_release(&l);
	return rc;
}
