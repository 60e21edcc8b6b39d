/*
** The layout reader.  A directory is classified first by the files a tool
** leaves beside its migrations (sqitch.plan, atlas.sum,
** migration_lock.toml), then by a Liquibase header, then by its file
** names (every .sql file must fit one tool's pattern, or the layout is
** unknown, and the error says what was looked for and what is there).
** Its files are put in the tool's order and the versions checked: a
** repeat is an error; a gap in sequence numbers (versions shorter than ten
** digits; longer ones are timestamps, where gaps are the rule) is a note,
** since the tools order by version and accept one.  Each file is then read
** as a fix file is, through fixfile_parse, after its dbmate section or
** Liquibase changeset is picked and before Alembic's bookkeeping
** statements go.
**
** SPDX-License-Identifier: MIT
*/
#include "layout.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/dialect.h"
#include "../base/sha256.h"
#include "fixfile.h"

#define MAX_PARTS 8

/* A file of a directory layout while it is being classified and sorted. */
struct entry {
	char *name;
	long long ver[MAX_PARTS];
	int nparts;
	int digits;          /* length of a one-part version as written */
	char kind;           /* 'V', 'U', 'R', 'B' (Flyway), 'u', 'd' (golang-migrate), 'm' (dbmate), 'a' (Atlas) */
};

/* ------------------------------------------------------------------ */
/* Files and directories                                              */
/* ------------------------------------------------------------------ */

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

static int is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The entries of dir but dot files, sorted byte by byte; -1 when dir cannot be read. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*names = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			ALLOC_GROW(*names, *n + 1, alloc);
			(*names)[(*n)++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (*n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(*names, *n, sizeof(**names), cmp_name);
	return 0;
}

/*
** The real path of the directory the user named (for a single file, of
** the directory holding it), that every file read must stay inside.
*/
static int root_of(const char *path, int dir, char *root, struct strbuf *err)
{
	struct strbuf d = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	int rc = 0;

	if (dir)
		strbuf_addstr(&d, path);
	else if (slash)
		strbuf_add(&d, path, slash == path ? 1 : (size_t)(slash - path));
	else
		strbuf_addch(&d, '.');
	if (!realpath(d.buf, root))
		rc = strbuf_error(err, -1, "cannot open '%s': %s", d.buf, strerror(errno));
	strbuf_release(&d);
	return rc;
}

/*
** A file is read only when it resolves inside root: a pull request that
** adds a symbolic link to /etc/passwd to its migrations must not have
** mdrill read it and quote it back in a report.
*/
static int inside(const char *root, const char *path, const char *shown, struct strbuf *err)
{
	char real[PATH_MAX];
	size_t n = strlen(root);

	if (!realpath(path, real))
		return strbuf_error(err, -1, "cannot open '%s': %s", shown, strerror(errno));
	if (!strncmp(real, root, n) && (real[n] == '/' || (n == 1 && root[0] == '/')))
		return 0;
	return strbuf_error(err, -1, "%s: a symbolic link that leads out of its directory: refused (mdrill reads "
			    "only the files inside the directory it is given)", shown);
}

static void add_file(struct layout *l, const char *path, const char *shown, const char *name, int wrap)
{
	struct layout_file *f;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	f = &l->v[l->nr++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->shown = xstrdup(shown);
	f->name = xstrdup(name);
	f->wrap = wrap;
}

static const char *base_of(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/* ------------------------------------------------------------------ */
/* Versions in names                                                  */
/* ------------------------------------------------------------------ */

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
	if ((name[0] == 'V' || name[0] == 'U' || name[0] == 'B') && (us = strstr(name, "__")) && us[2] && us + 2 < end) {
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

static const char looked_for[] =
	"looked for Flyway V<version>__<description>.sql (U... undo, B... baseline, R__... repeatable), golang-migrate "
	"<version>_<description>.up.sql and .down.sql, dbmate <version>_<description>.sql with '-- migrate:up', "
	"a sqitch project (sqitch.plan), Prisma <timestamp>_<name>/migration.sql with migration_lock.toml, "
	"Atlas <version>_<name>.sql with atlas.sum, and Liquibase formatted SQL ('--liquibase formatted sql' "
	"as the first line)";

static const char plain_fallback[] =
	"mdrill scaffold and try read a directory of plain .sql files, nested or not, in name order";

static const char *kind_tool(char k)
{
	return k == 'V' || k == 'U' || k == 'R' || k == 'B' ? "Flyway" : k == 'm' ? "dbmate" : "golang-migrate";
}

static void walk_sql(const char *dir, const char *rel, char ***names, size_t *n, size_t *alloc, int depth);

/*
** What a directory holds, for an error that says what was found: its .sql
** files, its subdirectories (and those holding migration.sql or other
** .sql files), its other files by extension.
*/
static void describe_found(const char *path, struct strbuf *out)
{
	char **names = NULL, **sub = NULL;
	size_t n, ns, i, k, sql = 0, dirs = 0, mig = 0, subsql = 0, other = 0;
	struct strbuf p = STRBUF_INIT, exts = STRBUF_INIT;

	if (list_dir(path, &names, &n)) {
		strbuf_addstr(out, "nothing readable");
		return;
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, names[i]);
		if (is_dir(p.buf)) {
			int has_mig = 0, has_sql = 0;
			dirs++;
			if (!list_dir(p.buf, &sub, &ns)) {
				for (k = 0; k < ns; k++)
					has_mig |= !strcmp(sub[k], "migration.sql");
				free_names(sub, ns);
			}
			sub = NULL;
			ns = k = 0;
			walk_sql(p.buf, "", &sub, &ns, &k, 0);
			has_sql = ns > 0;
			free_names(sub, ns);
			mig += has_mig;
			subsql += has_sql && !has_mig;
		} else if (ends_with(names[i], ".sql")) {
			sql++;
		} else {
			const char *dot = strrchr(names[i], '.');
			other++;
			if (exts.len < 60)
				strbuf_addf(&exts, "%s'%s'", exts.len ? ", " : "", dot ? dot : names[i]);
		}
	}
	if (!n)
		strbuf_addstr(out, "an empty directory");
	if (sql)
		strbuf_addf(out, "%zu .sql file%s", sql, sql == 1 ? "" : "s");
	if (dirs) {
		strbuf_addf(out, "%s%zu director%s", sql ? ", " : "", dirs, dirs == 1 ? "y" : "ies");
		if (mig)
			strbuf_addf(out, " (%zu holding migration.sql)", mig);
		else if (subsql)
			strbuf_addf(out, " (%zu holding .sql files)", subsql);
	}
	if (other)
		strbuf_addf(out, "%s%zu other file%s (%s)", sql || dirs ? ", " : "", other, other == 1 ? "" : "s",
			    exts.buf);
	free_names(names, n);
	strbuf_release(&p);
	strbuf_release(&exts);
}

static int unknown_layout(const char *path, const char *shown, const char *what, struct strbuf *err)
{
	struct strbuf found = STRBUF_INIT;
	describe_found(path, &found);
	strbuf_error(err, LAYOUT_EUNKNOWN, "%s: %s (found %s; %s; %s)", shown, what, found.buf, looked_for,
		     plain_fallback);
	strbuf_release(&found);
	return LAYOUT_EUNKNOWN;
}

/*
** The versions of a sorted selection must not repeat.  Sequence numbers
** that skip one are worth a note: a missing file is how half a fix gets
** deployed, but real histories have gaps (a migration withdrawn before it
** shipped), and golang-migrate and Flyway apply them in order regardless.
*/
/* Gaps listed in one note before the rest are counted: a tool that numbers with gaps on purpose is no alarm. */
#define GAPS_SHOWN 5

static int check_versions(const char *shown, struct entry **sel, size_t n, struct strbuf *notes,
			  struct strbuf *err)
{
	struct strbuf gaps = STRBUF_INIT;
	size_t i, ngaps = 0;
	int rc = 0;

	for (i = 1; i < n && !rc; i++) {
		const struct entry *a = sel[i - 1], *b = sel[i];
		struct strbuf v = STRBUF_INIT;
		if (a->kind == 'R' || b->kind == 'R')
			continue;
		show_version(b, &v);
		if (!cmp_version(a, b))
			rc = strbuf_error(err, -1, "%s: version %s twice ('%s' and '%s')", shown, v.buf,
					  a->name, b->name);
		else if (a->nparts == 1 && b->nparts == 1 && a->digits < 10 && b->digits < 10 &&
			 b->ver[0] != a->ver[0] + 1 && ngaps++ < GAPS_SHOWN)
			strbuf_addf(&gaps, "%s%lld comes after %lld", ngaps > 1 ? ", " : "", b->ver[0], a->ver[0]);
		strbuf_release(&v);
	}
	if (!rc && ngaps == 1)
		strbuf_addf(notes, "%s: a gap in the versions: %s (applied in order, as the tool does; is a file "
			    "missing?)\n", shown, gaps.buf);
	else if (!rc && ngaps)
		strbuf_addf(notes, "%s: gaps in the versions: %s%s (%zu in all; applied in order, as the tool "
			    "does)\n", shown, gaps.buf, ngaps > GAPS_SHOWN ? ", ..." : "", ngaps);
	strbuf_release(&gaps);
	return rc;
}

/* ------------------------------------------------------------------ */
/* sqitch                                                             */
/* ------------------------------------------------------------------ */

static int open_sqitch(const char *path, const char *shown, const char *root, int direction, struct layout *l,
		       struct strbuf *err)
{
	struct strbuf plan = STRBUF_INIT, p = STRBUF_INIT, s = STRBUF_INIT;
	char **changes = NULL, *text, *line;
	int *lines = NULL;
	size_t n = 0, alloc = 0, lalloc = 0, i;
	int rc = 0, lineno = 0;

	strbuf_addf(&plan, "%s/sqitch.plan", path);
	if ((rc = inside(root, plan.buf, plan.buf, err)) != 0 || (rc = read_text(plan.buf, &p, err)) != 0)
		goto out;
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
		struct strbuf sh = STRBUF_INIT, nm = STRBUF_INIT;
		strbuf_reset(&s);
		strbuf_addf(&s, "%s/%s/%s.sql", path, sub, changes[k]);
		if (!is_file(s.buf)) {
			rc = strbuf_error(err, -1, "%s:%d: change '%s' has no %s/%s.sql", plan.buf,
					  lines[k], changes[k], sub, changes[k]);
			goto out;
		}
		strbuf_addf(&sh, "%s/%s/%s.sql", shown, sub, changes[k]);
		strbuf_addf(&nm, "%s.sql", changes[k]);
		rc = inside(root, s.buf, sh.buf, err);
		if (!rc)
			add_file(l, s.buf, sh.buf, nm.buf, 0);
		strbuf_release(&sh);
		strbuf_release(&nm);
		if (rc)
			goto out;
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

/* ------------------------------------------------------------------ */
/* Prisma Migrate                                                     */
/* ------------------------------------------------------------------ */

/* A directory name Prisma writes: <digits>_<name>. */
static int prisma_name(const char *name)
{
	const char *s = name;
	while (isdigit((unsigned char)*s))
		s++;
	return s > name && *s == '_' && s[1];
}

/*
** Is path a Prisma migrations directory: migration_lock.toml there, or
** no .sql file beside subdirectories that are all named as Prisma names
** them and each hold migration.sql?
*/
static int is_prisma(const char *path, char **names, size_t n)
{
	struct strbuf p = STRBUF_INIT;
	size_t i, dirs = 0;
	int yes = 1;

	for (i = 0; i < n && yes; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, names[i]);
		if (!strcmp(names[i], "migration_lock.toml")) {
			strbuf_release(&p);
			return 1;
		}
		if (ends_with(names[i], ".sql")) {
			yes = 0;
		} else if (is_dir(p.buf)) {
			strbuf_addstr(&p, "/migration.sql");
			yes = prisma_name(names[i]) && is_file(p.buf);
			dirs++;
		}
	}
	strbuf_release(&p);
	return yes && dirs;
}

/*
** Prisma's order is its directories' names, byte by byte; each holds a
** migration.sql, run as written (see layout_file_text for what
** PostgreSQL makes of that).  There are no down migrations.
*/
static int open_prisma(const char *path, const char *shown, const char *root, int direction, char **names,
		       size_t n, struct layout *l, struct strbuf *err)
{
	struct strbuf p = STRBUF_INIT, sh = STRBUF_INIT, nm = STRBUF_INIT, lock = STRBUF_INIT;
	size_t i;
	int rc = 0;

	if (direction == LAYOUT_DOWN)
		return strbuf_error(err, -1, "%s: a Prisma Migrate directory has no down migrations (give the "
				    "down migration as a .sql file)", shown);
	strbuf_addf(&lock, "%s/migration_lock.toml", path);
	if (is_file(lock.buf) && !inside(root, lock.buf, lock.buf, err)) {
		struct strbuf text = STRBUF_INIT;
		const char *prov;
		if (!read_text(lock.buf, &text, err) && (prov = strstr(text.buf, "provider")) != NULL) {
			const char *q = strchr(prov, '"'), *e = q ? strchr(q + 1, '"') : NULL;
			if (e && (e - q - 1 != 10 || strncmp(q + 1, "postgresql", 10)) &&
			    (e - q - 1 != 6 || strncmp(q + 1, "sqlite", 6)))
				strbuf_addf(&l->notes, "%s/migration_lock.toml: provider \"%.*s\": mdrill drills "
					    "PostgreSQL and SQLite, so the history may not apply\n", shown,
					    (int)(e - q - 1), q + 1);
		}
		strbuf_release(&text);
	}
	strbuf_reset(err);
	for (i = 0; i < n && !rc; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, names[i]);
		if (!is_dir(p.buf))
			continue; /* migration_lock.toml, a README: Prisma reads directories only */
		strbuf_addstr(&p, "/migration.sql");
		strbuf_reset(&sh);
		strbuf_addf(&sh, "%s/%s/migration.sql", shown, names[i]);
		if (!is_file(p.buf)) {
			rc = strbuf_error(err, -1, "%s: no migration.sql in it (Prisma reads each directory of its "
					  "migrations as one migration)", sh.buf);
			break;
		}
		if ((rc = inside(root, p.buf, sh.buf, err)) != 0)
			break;
		strbuf_reset(&nm);
		strbuf_addf(&nm, "%s/migration.sql", names[i]);
		add_file(l, p.buf, sh.buf, nm.buf, 0);
	}
	if (!rc && !l->nr)
		rc = strbuf_error(err, -1, "%s: no migration directories in it", shown);
	l->kind = "prisma";
	strbuf_release(&p);
	strbuf_release(&sh);
	strbuf_release(&nm);
	strbuf_release(&lock);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Atlas                                                              */
/* ------------------------------------------------------------------ */

/* Does the text's first line hold atlas:sum ignore (the file is left out of atlas.sum)? */
static int atlas_sum_ignored(const char *text)
{
	const char *nl = strchr(text, '\n'), *d = strstr(text, "atlas:sum");
	if (!d || (nl && d > nl))
		return 0;
	for (d += 9; *d == ' '; d++)
		;
	return !strncmp(d, "ignore", 6);
}

/*
** Check atlas.sum as 'atlas migrate validate' does: the running SHA-256
** of each file's name and bytes, in Atlas's order, must be the hash
** atlas.sum lists for it, and its first line the hash of those lines.
** Atlas refuses a directory that does not match; so does mdrill, naming
** the first file that differs.
*/
static int check_atlas_sum(const char *path, const char *shown, const char *root, char **files, size_t n,
			   struct strbuf *err)
{
	struct strbuf sum = STRBUF_INIT, p = STRBUF_INIT, text = STRBUF_INIT, h = STRBUF_INIT, want = STRBUF_INIT;
	struct sha256 run, total;
	unsigned char d[SHA256_LEN];
	const char *s, *line;
	size_t i, listed = 0;
	int rc = 0, lineno = 1;

	strbuf_addf(&p, "%s/atlas.sum", path);
	if ((rc = inside(root, p.buf, p.buf, err)) != 0 || (rc = read_text(p.buf, &sum, err)) != 0)
		goto out;
	if (strncmp(sum.buf, "h1:", 3)) {
		rc = strbuf_error(err, -1, "%s/atlas.sum:1: expected 'h1:' and the directory's hash (atlas "
				  "migrate hash writes it)", shown);
		goto out;
	}
	/* The first line is the hash of the lines after it. */
	sha256_init(&total);
	s = strchr(sum.buf, '\n');
	for (line = s ? s + 1 : ""; *line; line = *s ? s + 1 : s) {
		const char *sp;
		s = strchr(line, '\n');
		s = s ? s : line + strlen(line);
		lineno++;
		sp = memchr(line, ' ', (size_t)(s - line));
		if (!sp || (size_t)(s - sp) < 5 || strncmp(sp, " h1:", 4)) {
			rc = strbuf_error(err, -1, "%s/atlas.sum:%d: expected 'NAME h1:HASH'", shown, lineno);
			goto out;
		}
		sha256_add(&total, line, (size_t)(sp - line));
		sha256_add(&total, sp + 4, (size_t)(s - sp - 4));
		listed++;
	}
	sha256_sum(&total, d);
	base64_add(&h, d, SHA256_LEN);
	s = strchr(sum.buf, '\n');
	if ((size_t)((s ? s : sum.buf + sum.len) - sum.buf - 3) != h.len || strncmp(sum.buf + 3, h.buf, h.len)) {
		rc = strbuf_error(err, -1, "%s/atlas.sum:1: checksum mismatch: the file's own hash does not "
				  "match its lines (edited by hand? atlas migrate hash writes it anew)", shown);
		goto out;
	}
	sha256_init(&run);
	for (i = 0; i < n; i++) {
		strbuf_reset(&p);
		strbuf_reset(&text);
		strbuf_addf(&p, "%s/%s", path, files[i]);
		if ((rc = read_text(p.buf, &text, err)) != 0)
			goto out;
		sha256_add(&run, files[i], strlen(files[i]));
		if (atlas_sum_ignored(text.buf))
			continue;
		sha256_add(&run, text.buf, text.len);
		sha256_sum(&run, d);
		strbuf_reset(&h);
		base64_add(&h, d, SHA256_LEN);
		strbuf_reset(&want);
		strbuf_addf(&want, "\n%s h1:", files[i]);
		line = strstr(sum.buf, want.buf);
		if (!line) {
			rc = strbuf_error(err, -1, "%s/atlas.sum: checksum mismatch: '%s' is not in it (atlas "
					  "migrate hash adds it)", shown, files[i]);
			goto out;
		}
		line += want.len;
		if (strncmp(line, h.buf, h.len) || (line[h.len] && line[h.len] != '\n')) {
			rc = strbuf_error(err, -1, "%s/atlas.sum: checksum mismatch at '%s': it, or a file before "
					  "it, changed since atlas.sum was written", shown, files[i]);
			goto out;
		}
		listed--;
	}
	if (listed)
		rc = strbuf_error(err, -1, "%s/atlas.sum: checksum mismatch: it lists %zu file%s not in the "
				  "directory", shown, listed, listed == 1 ? "" : "s");
out:
	strbuf_release(&sum);
	strbuf_release(&p);
	strbuf_release(&text);
	strbuf_release(&h);
	strbuf_release(&want);
	return rc;
}

/*
** Atlas reads the .sql files beside atlas.sum, in name order byte by
** byte; a file's version is its name up to the first '_'.  There are no
** down files (atlas migrate down plans its own).
*/
static int open_atlas(const char *path, const char *shown, const char *root, int direction, char **names,
		      size_t n, struct layout *l, struct strbuf *err)
{
	char **files = NULL;
	struct entry *all = NULL, **sel = NULL;
	size_t nf = 0, alloc = 0, i;
	struct strbuf p = STRBUF_INIT, sh = STRBUF_INIT;
	int rc = 0;

	if (direction == LAYOUT_DOWN)
		return strbuf_error(err, -1, "%s: an Atlas directory has no down migrations (give the down "
				    "migration as a .sql file)", shown);
	for (i = 0; i < n; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, names[i]);
		if (ends_with(names[i], ".sql") && !is_dir(p.buf)) {
			ALLOC_GROW(files, nf + 1, alloc);
			files[nf++] = names[i];
		}
	}
	for (i = 0; i < nf && !rc; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, files[i]);
		strbuf_reset(&sh);
		strbuf_addf(&sh, "%s/%s", shown, files[i]);
		rc = inside(root, p.buf, sh.buf, err);
	}
	if (rc || (rc = check_atlas_sum(path, shown, root, files, nf, err)) != 0)
		goto out;
	if (!nf) {
		rc = strbuf_error(err, -1, "%s: no migration files beside atlas.sum", shown);
		goto out;
	}
	/* A repeated numeric version is an error as with the other tools; others go by name. */
	all = xcalloc(nf, sizeof(*all));
	sel = xcalloc(nf, sizeof(*sel));
	for (i = 0; i < nf; i++) {
		const char *us = strchr(files[i], '_');
		const char *end = us ? us : files[i] + strlen(files[i]) - 4;
		all[i].name = files[i];
		all[i].kind = 'a';
		if (parse_version(files[i], end, &all[i]))
			all[i].nparts = 0;
		sel[i] = &all[i];
	}
	for (i = 1; i < nf && !rc; i++)
		if (all[i].nparts && all[i - 1].nparts && !cmp_version(&all[i - 1], &all[i]))
			rc = check_versions(shown, sel + i - 1, 2, &l->notes, err);
	for (i = 0; i < nf && !rc; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, files[i]);
		strbuf_reset(&sh);
		strbuf_addf(&sh, "%s/%s", shown, files[i]);
		add_file(l, p.buf, sh.buf, files[i], 1);
	}
	l->kind = "atlas";
out:
	free(files);
	free(all);
	free(sel);
	strbuf_release(&p);
	strbuf_release(&sh);
	return rc;
}

/* Does text's header comment hold atlas:txmode none (the file runs outside a transaction)? */
static int atlas_no_tx(const char *text)
{
	const char *s = text;
	while (*s == '-' || *s == '#') {
		const char *e = strchr(s, '\n'), *d = strstr(s, "atlas:txmode");
		if (d && (!e || d < e)) {
			for (d += 12; *d == ' '; d++)
				;
			return !strncmp(d, "none", 4);
		}
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Liquibase formatted SQL                                            */
/* ------------------------------------------------------------------ */

/* The line at s without its end, skipping leading blanks; *len its length. */
static const char *line_at(const char *s, size_t *len)
{
	const char *e = strchr(s, '\n');
	*len = e ? (size_t)(e - s) : strlen(s);
	if (*len && s[*len - 1] == '\r')
		(*len)--;
	return s;
}

/* The line after the one at s (its end when s is the last). */
static const char *next_line(const char *s)
{
	const char *e = strchr(s, '\n');
	return e ? e + 1 : s + strlen(s);
}

/* If the line is '--' and then word (any case, any blanks between), the rest after word; else NULL. */
static const char *lb_directive(const char *s, size_t len, const char *word)
{
	const char *e = s + len;
	size_t n = strlen(word);
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (e - s < 2 || s[0] != '-' || s[1] != '-')
		return NULL;
	for (s += 2; s < e && (*s == ' ' || *s == '\t'); s++)
		;
	if ((size_t)(e - s) < n || strncasecmp(s, word, n))
		return NULL;
	return s + n;
}

/* Is the file's first line that is not blank Liquibase's header, '--liquibase formatted sql'? */
static int is_liquibase_text(const char *text)
{
	const char *s = text, *r;
	size_t len;
	while (*s) {
		line_at(s, &len);
		if (strspn(s, " \t\r") < len) {
			if (!(r = lb_directive(s, len, "liquibase")))
				return 0;
			while (*r == ' ' || *r == '\t')
				r++;
			return !strncasecmp(r, "formatted", 9);
		}
		s = next_line(s);
	}
	return 0;
}

static int is_liquibase(const char *path)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	int yes = !read_text(path, &text, &err) && is_liquibase_text(text.buf);
	strbuf_release(&text);
	strbuf_release(&err);
	return yes;
}

/* A changeset's name: FILE::ID::AUTHOR, white space and '%' as %XX, so that it is one word. */
static void add_name_part(struct strbuf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == '%' || c == 0x7f)
			strbuf_addf(out, "%%%02X", c);
		else
			strbuf_addch(out, c);
	}
}

static void unescape_part(struct strbuf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			strbuf_addch(out, (int)strtol(hex, NULL, 16));
			i += 2;
		} else {
			strbuf_addch(out, s[i]);
		}
	}
}

int layout_changeset_parse(const char *name, struct strbuf *file, struct strbuf *id, struct strbuf *author)
{
	const char *a = strstr(name, "::"), *b = a ? strstr(a + 2, "::") : NULL;
	if (!a || !b || a == name || b == a + 2 || !b[2])
		return -1;
	unescape_part(file, name, (size_t)(a - name));
	unescape_part(id, a + 2, (size_t)(b - a - 2));
	unescape_part(author, b + 2, strlen(b + 2));
	return 0;
}

/* An attribute of a '--changeset' line, "key:VALUE" up to white space, into out; 1 when there. */
static int lb_attr(const char *s, size_t len, const char *key, struct strbuf *out)
{
	size_t n = strlen(key), i;
	for (i = 0; i + n < len; i++)
		if ((i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t') && !strncasecmp(s + i, key, n) && s[i + n] == ':') {
			size_t j = i + n + 1, k = j;
			while (k < len && s[k] != ' ' && s[k] != '\t')
				k++;
			strbuf_add(out, s + j, k - j);
			return 1;
		}
	return 0;
}

/*
** Read a '--changeset author:id attributes' line (Liquibase's pattern:
** the author is quoted or runs to the first ':', the id is quoted or runs
** to white space).  0 with the parts filled, -1 when it is no such line.
*/
static int lb_changeset(const char *s, size_t len, struct strbuf *author, struct strbuf *id,
			const char **attrs)
{
	const char *r = lb_directive(s, len, "changeset"), *e = s + len, *q;
	if (!r || r >= e || (*r != ' ' && *r != '\t'))
		return -1;
	while (r < e && (*r == ' ' || *r == '\t'))
		r++;
	if (*r == '"' && (q = memchr(r + 1, '"', (size_t)(e - r - 1))) != NULL && q + 1 < e && q[1] == ':') {
		strbuf_add(author, r + 1, (size_t)(q - r - 1));
		r = q + 2;
	} else {
		q = memchr(r, ':', (size_t)(e - r));
		if (!q || q == r)
			return -1;
		strbuf_add(author, r, (size_t)(q - r));
		r = q + 1;
	}
	while (r < e && (*r == ' ' || *r == '\t'))
		r++;
	if (r < e && *r == '"' && (q = memchr(r + 1, '"', (size_t)(e - r - 1))) != NULL) {
		strbuf_add(id, r + 1, (size_t)(q - r - 1));
		r = q + 1;
	} else {
		for (q = r; q < e && *q != ' ' && *q != '\t'; q++)
			;
		strbuf_add(id, r, (size_t)(q - r));
		r = q;
	}
	*attrs = r;
	return id->len && author->len ? 0 : -1;
}

/*
** The changesets of the Liquibase formatted SQL file at path, each an
** entry of l named "RECORDED::ID::AUTHOR" (recorded is the path as
** Liquibase writes it into DATABASECHANGELOG.FILENAME), in file order.
** A file without the header is one changeset, "raw" by "includeAll", as
** Liquibase's includeAll reads a plain .sql file.
*/
static int open_liquibase_file(struct layout *l, const char *path, const char *shown, const char *recorded,
			       struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, author = STRBUF_INIT, id = STRBUF_INIT, name = STRBUF_INIT,
		      v = STRBUF_INIT;
	const char *s, *attrs = NULL;
	size_t first = l->nr, len, k;
	int rc, lineno = 0, cur = -1;

	if ((rc = read_text(path, &text, err)) != 0)
		goto out;
	if (!is_liquibase_text(text.buf)) {
		strbuf_reset(&name);
		add_name_part(&name, recorded, strlen(recorded));
		strbuf_addstr(&name, "::raw::includeAll");
		add_file(l, path, shown, name.buf, 1);
		goto out;
	}
	for (s = text.buf; *s; s = next_line(s)) {
		line_at(s, &len);
		lineno++;
		if (!lb_directive(s, len, "changeset")) {
			/* SQL before the first changeset is no changeset's: Liquibase refuses it. */
			if (cur < 0 && strspn(s, " \t") < len && !lb_directive(s, len, "") &&
			    s[strspn(s, " \t")] != '/' && s[strspn(s, " \t")] != '*') {
				rc = strbuf_error(err, -1, "%s:%d: SQL before the first '--changeset'", shown, lineno);
				goto out;
			}
			continue;
		}
		strbuf_reset(&author);
		strbuf_reset(&id);
		if (lb_changeset(s, len, &author, &id, &attrs)) {
			rc = strbuf_error(err, -1, "%s:%d: expected '--changeset AUTHOR:ID' (as Liquibase reads it)",
					  shown, lineno);
			goto out;
		}
		strbuf_reset(&name);
		add_name_part(&name, recorded, strlen(recorded));
		strbuf_addstr(&name, "::");
		add_name_part(&name, id.buf, id.len);
		strbuf_addstr(&name, "::");
		add_name_part(&name, author.buf, author.len);
		for (k = first; k < l->nr; k++)
			if (!strcmp(l->v[k].name, name.buf)) {
				rc = strbuf_error(err, -1, "%s:%d: changeset '%s' by '%s' twice (Liquibase refuses "
						  "duplicate identifiers)", shown, lineno, id.buf, author.buf);
				goto out;
			}
		if (cur >= 0)
			l->v[cur].to = lineno - 1;
		strbuf_reset(&v);
		/* runInTransaction:false runs it as written; every other changeset runs in one transaction. */
		add_file(l, path, shown, name.buf,
			 !(lb_attr(attrs, len - (size_t)(attrs - s), "runInTransaction", &v) && !strcasecmp(v.buf, "false")));
		cur = (int)l->nr - 1;
		l->v[cur].from = lineno;
		/*
		** splitStatements:false needs nothing of its own: the whole text
		** goes to the JDBC driver, which on PostgreSQL splits it into
		** statements as sql_split does, quotes and dollar quotes kept.
		*/
		strbuf_reset(&v);
		if (lb_attr(attrs, len - (size_t)(attrs - s), "endDelimiter", &v) && v.len)
			l->v[cur].delim = xstrdup(v.buf);
		strbuf_reset(&v);
		if (lb_attr(attrs, len - (size_t)(attrs - s), "rollbackEndDelimiter", &v) && v.len)
			l->v[cur].rdelim = xstrdup(v.buf);
		strbuf_reset(&v);
		if (lb_attr(attrs, len - (size_t)(attrs - s), "dbms", &v) && v.len)
			l->v[cur].dbms = xstrdup(v.buf);
	}
	if (cur >= 0)
		l->v[cur].to = lineno;
	if (l->nr == first)
		rc = strbuf_error(err, -1, "%s: a Liquibase changelog with no '--changeset' in it", shown);
out:
	strbuf_release(&text);
	strbuf_release(&author);
	strbuf_release(&id);
	strbuf_release(&name);
	strbuf_release(&v);
	return rc;
}

/* The .sql files under dir (rel below it), recursively, into names. */
static void walk_sql(const char *dir, const char *rel, char ***names, size_t *n, size_t *alloc, int depth)
{
	char **ents;
	size_t ne, i;
	struct strbuf p = STRBUF_INIT, r = STRBUF_INIT;

	if (depth > 16 || list_dir(dir, &ents, &ne))
		return;
	for (i = 0; i < ne; i++) {
		strbuf_reset(&p);
		strbuf_reset(&r);
		strbuf_addf(&p, "%s/%s", dir, ents[i]);
		strbuf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", ents[i]);
		if (is_dir(p.buf)) {
			walk_sql(p.buf, r.buf, names, n, alloc, depth + 1);
		} else if (ends_with(ents[i], ".sql")) {
			ALLOC_GROW(*names, *n + 1, *alloc);
			(*names)[(*n)++] = strbuf_detach(&r);
		}
	}
	free_names(ents, ne);
	strbuf_release(&p);
	strbuf_release(&r);
}

/*
** A directory of Liquibase formatted SQL files, read as includeAll reads
** one: every .sql file below it, in order of its path, each file's
** changesets in turn; rollbacks undo the newest changeset first.
*/
static int open_liquibase_dir(const char *path, const char *shown, const char *root, int direction,
			      struct layout *l, struct strbuf *err)
{
	char **rels = NULL;
	size_t n = 0, alloc = 0, i;
	struct strbuf p = STRBUF_INIT, sh = STRBUF_INIT;
	int rc = 0;

	walk_sql(path, "", &rels, &n, &alloc, 0);
	if (n > 1)
		qsort(rels, n, sizeof(*rels), cmp_name);
	for (i = 0; i < n && !rc; i++) {
		strbuf_reset(&p);
		strbuf_reset(&sh);
		strbuf_addf(&p, "%s/%s", path, rels[i]);
		strbuf_addf(&sh, "%s/%s", shown, rels[i]);
		if ((rc = inside(root, p.buf, sh.buf, err)) == 0)
			rc = open_liquibase_file(l, p.buf, sh.buf, rels[i], err);
	}
	if (!rc && direction == LAYOUT_DOWN)
		for (i = 0; i < l->nr / 2; i++) {
			struct layout_file t = l->v[i];
			l->v[i] = l->v[l->nr - 1 - i];
			l->v[l->nr - 1 - i] = t;
		}
	l->kind = "liquibase";
	free_names(rels, n);
	strbuf_release(&p);
	strbuf_release(&sh);
	return rc;
}

/* Does the Liquibase dbms: list take the dialect (-1: not known, all do)? */
static int dbms_takes(const char *list, int dialect)
{
	const char *me = dialect == DIALECT_POSTGRES ? "postgresql" : dialect == DIALECT_SQLITE ? "sqlite" : NULL;
	const char *s = list;
	int any_positive = 0, hit = 0, negated = 0;

	if (!list || !me)
		return 1;
	while (*s) {
		size_t n = strcspn(s, ",");
		int neg = *s == '!';
		const char *w = s + neg;
		size_t wn = n - (size_t)neg;
		int match = (wn == strlen(me) && !strncasecmp(w, me, wn)) || (wn == 3 && !strncasecmp(w, "all", 3));
		if (neg)
			negated |= match;
		else
			any_positive = 1, hit |= match;
		s += n + (s[n] == ',');
	}
	return !negated && (hit || !any_positive);
}

/*
** Replace each end delimiter of text with ';' so that statements split
** where Liquibase splits them: a delimiter alone on its line ('/', 'GO')
** or at a line's end.  Text inside the statements keeps its bytes.
*/
static void lb_delimit(struct strbuf *text, const char *delim)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = text->buf;
	size_t n = strlen(delim), len;

	while (*s) {
		const char *t;
		size_t tl;
		line_at(s, &len);
		for (t = s, tl = len; tl && (*t == ' ' || *t == '\t'); t++, tl--)
			;
		while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
			tl--;
		if (tl == n && !strncasecmp(t, delim, n)) {
			strbuf_addch(&out, ';');
		} else if (tl > n && !strncmp(t + tl - n, delim, n)) {
			strbuf_add(&out, s, (size_t)(t - s) + tl - n);
			strbuf_addch(&out, ';');
		} else {
			strbuf_add(&out, s, len);
		}
		s += len;
		if (*s == '\r')
			s++;
		if (*s == '\n') {
			strbuf_addch(&out, '\n');
			s++;
		}
	}
	strbuf_release(text);
	*text = out;
}

/*
** Changeset f of the file's text, for direction, onto out from its first
** line: its SQL (lines Liquibase is told to ignore blanked), or its
** rollback ('--rollback' lines and 'liquibase rollback' block comments,
** each line at its own line).  Both end on ';' before the next changeset.
*/
static int lb_changeset_text(const struct layout_file *f, const char *text, int direction, int dialect,
			     struct strbuf *out, struct strbuf *err)
{
	struct strbuf body = STRBUF_INIT, a = STRBUF_INIT, i_ = STRBUF_INIT, au = STRBUF_INIT;
	const char *s = text, *r;
	size_t len;
	int lineno = 0, ignoring = 0, skip = 0, in_block = 0, has_rollback = 0, rc = 0;

	for (; *s; s = next_line(s)) {
		line_at(s, &len);
		if (++lineno < f->from)
			continue;
		if (lineno > f->to)
			break;
		if (lineno == f->from) {
			strbuf_addch(&body, '\n');
			continue;
		}
		if (skip) {
			skip--;
			strbuf_addch(&body, '\n');
			continue;
		}
		if ((r = lb_directive(s, len, "ignoreLines:")) != NULL) {
			if (!strncasecmp(r, "start", 5))
				ignoring = 1;
			else if (!strncasecmp(r, "end", 3))
				ignoring = 0;
			else
				skip = atoi(r);
			strbuf_addch(&body, '\n');
			continue;
		}
		if (ignoring) {
			strbuf_addch(&body, '\n');
			continue;
		}
		if (direction == LAYOUT_UP) {
			strbuf_add(&body, s, len);
		} else if (in_block) {
			const char *end = s + len;
			while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (end - s >= 2 && end[-2] == '*' && end[-1] == '/') {
				in_block = 0;
				strbuf_add(&body, s, (size_t)(end - s - 2));
			} else {
				strbuf_add(&body, s, len);
			}
		} else if ((r = lb_directive(s, len, "rollback")) != NULL && (*r == ' ' || *r == '\t')) {
			while (*r == ' ' || *r == '\t')
				r++;
			has_rollback = 1;
			if (strncasecmp(r, "not required", 12) && strncasecmp(r, "empty", 5))
				strbuf_add(&body, r, len - (size_t)(r - s));
		} else {
			const char *t = s;
			while (t < s + len && (*t == ' ' || *t == '\t'))
				t++;
			if (!strncmp(t, "/*", 2)) {
				for (t += 2; *t == ' '; t++)
					;
				if (!strncasecmp(t, "liquibase", 9)) {
					for (t += 9; *t == ' '; t++)
						;
					if (!strncasecmp(t, "rollback", 8))
						in_block = has_rollback = 1;
				}
			}
		}
		strbuf_addch(&body, '\n');
	}
	if (direction == LAYOUT_DOWN && !has_rollback) {
		layout_changeset_parse(f->name, &a, &i_, &au);
		rc = strbuf_error(err, -1, "%s:%d: changeset '%s' by '%s' has no '--rollback' (Liquibase cannot "
				  "roll it back)", f->shown, f->from, i_.buf, au.buf);
		goto out;
	}
	if (direction == LAYOUT_UP ? f->delim : f->rdelim)
		lb_delimit(&body, direction == LAYOUT_UP ? f->delim : f->rdelim);
	if (!dbms_takes(f->dbms, dialect))
		strbuf_reset(&body); /* dbms: leaves this engine out: nothing runs */
	strbuf_add(out, body.buf, body.len);
out:
	strbuf_release(&body);
	strbuf_release(&a);
	strbuf_release(&i_);
	strbuf_release(&au);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Opening                                                            */
/* ------------------------------------------------------------------ */

static int open_dir(const char *path, const char *shown, int direction, struct layout *l, struct strbuf *err)
{
	struct entry *all = NULL, **sel = NULL, *base = NULL;
	char **names = NULL, root[PATH_MAX];
	size_t n = 0, alloc = 0, nsel = 0, i, nnames = 0;
	char tool = 0;
	int rc = 0;
	struct strbuf s = STRBUF_INIT, sh = STRBUF_INIT;

	if ((rc = root_of(path, 1, root, err)) != 0)
		return rc;
	strbuf_addf(&s, "%s/sqitch.plan", path);
	if (!access(s.buf, F_OK)) {
		strbuf_release(&s);
		return open_sqitch(path, shown, root, direction, l, err);
	}
	if (list_dir(path, &names, &nnames)) {
		strbuf_release(&s);
		return strbuf_error(err, -1, "cannot read '%s': %s", shown, strerror(errno));
	}
	strbuf_reset(&s);
	strbuf_addf(&s, "%s/atlas.sum", path);
	if (is_file(s.buf)) {
		rc = open_atlas(path, shown, root, direction, names, nnames, l, err);
		goto out;
	}
	if (is_prisma(path, names, nnames)) {
		rc = open_prisma(path, shown, root, direction, names, nnames, l, err);
		goto out;
	}
	for (i = 0; i < nnames; i++) {
		strbuf_reset(&s);
		strbuf_addf(&s, "%s/%s", path, names[i]);
		if (ends_with(names[i], ".sql") && is_file(s.buf) && is_liquibase(s.buf)) {
			rc = open_liquibase_dir(path, shown, root, direction, l, err);
			goto out;
		}
	}
	for (i = 0; i < nnames && !rc; i++) {
		struct entry e;
		char k;
		strbuf_reset(&s);
		strbuf_addf(&s, "%s/%s", path, names[i]);
		if (!ends_with(names[i], ".sql") || is_dir(s.buf))
			continue;
		if (classify(path, names[i], &e)) {
			struct strbuf what = STRBUF_INIT;
			strbuf_addf(&what, "not a migration layout mdrill knows: '%s' fits no tool's naming", names[i]);
			rc = unknown_layout(path, shown, what.buf, err);
			strbuf_release(&what);
			break;
		}
		k = e.kind == 'U' || e.kind == 'R' || e.kind == 'B' ? 'V' : e.kind == 'd' ? 'u' : e.kind;
		if (tool && tool != k) {
			rc = strbuf_error(err, -1, "%s: mixes %s and %s files ('%s'); expected one tool's layout",
					  shown, kind_tool(tool), kind_tool(k), names[i]);
			break;
		}
		tool = k;
		e.name = names[i];
		ALLOC_GROW(all, n + 1, alloc);
		all[n++] = e;
	}
	if (!rc && !n)
		rc = unknown_layout(path, shown, "no migration files in it", err);
	if (rc)
		goto out;
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_entry);
	sel = xcalloc(n, sizeof(*sel));
	/*
	** Flyway on an empty database applies the newest baseline migration
	** (B<version>__...) and then only the versions above it.
	*/
	for (i = 0; i < n; i++)
		if (all[i].kind == 'B')
			base = &all[i];
	if (base && direction == LAYOUT_UP) {
		strbuf_reset(&s);
		show_version(base, &s);
		strbuf_addf(&l->notes, "%s: Flyway's baseline %s: the versions up to %s come from it, as Flyway "
			    "applies them to an empty database\n", shown, base->name, s.buf);
	}
	for (i = 0; i < n; i++) {
		const struct entry *e = &all[i];
		int up = direction == LAYOUT_UP;
		if (up && e->kind == 'B' && e != base)
			continue;
		if (up && base && e->kind == 'V' && cmp_version(e, base) <= 0)
			continue;
		if ((tool == 'm') || (up && (e->kind == 'V' || e->kind == 'R' || e->kind == 'u' || e->kind == 'B')) ||
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
	for (i = 0; i < nsel && !rc; i++) {
		/* Down migrations undo the newest first. */
		const struct entry *e = sel[direction == LAYOUT_UP ? i : nsel - 1 - i];
		strbuf_reset(&s);
		strbuf_reset(&sh);
		strbuf_addf(&s, "%s/%s", path, e->name);
		strbuf_addf(&sh, "%s/%s", shown, e->name);
		if ((rc = inside(root, s.buf, sh.buf, err)) == 0)
			add_file(l, s.buf, sh.buf, e->name, 1);
	}
	l->kind = tool == 'V' ? "flyway" : tool == 'm' ? "dbmate" : "golang-migrate";
out:
	free_names(names, nnames);
	free(all);
	free(sel);
	strbuf_release(&s);
	strbuf_release(&sh);
	return rc;
}

/* The tool's wrapping of a single file read as a file of kind. */
static int kind_wraps(const char *kind)
{
	return !strcmp(kind, "golang-migrate") || !strcmp(kind, "flyway") || !strcmp(kind, "dbmate") ||
	       !strcmp(kind, "atlas") || !strcmp(kind, "prisma");
}

static int open_one(const char *path, const char *shown, int direction, const struct layout *like,
		    struct layout *out, struct strbuf *err)
{
	struct stat st;
	const char *base = base_of(shown);
	char root[PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->notes);
	out->dialect = like ? like->dialect : -1;
	if (stat(path, &st))
		return strbuf_error(err, -1, "cannot open '%s': %s", shown, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return open_dir(path, shown, direction, out, err);
	if ((rc = root_of(path, 0, root, err)) != 0 || (rc = inside(root, path, shown, err)) != 0)
		return rc;
	if (is_liquibase(path)) {
		if ((rc = open_liquibase_file(out, path, shown, base, err)) == 0 && direction == LAYOUT_DOWN) {
			size_t i;
			for (i = 0; i < out->nr / 2; i++) {
				struct layout_file t = out->v[i];
				out->v[i] = out->v[out->nr - 1 - i];
				out->v[out->nr - 1 - i] = t;
			}
		}
		out->kind = "liquibase";
		return rc;
	}
	/* One file: only its name can put it in the wrong direction. */
	if (direction == LAYOUT_UP && (ends_with(base, ".down.sql") || (base[0] == 'U' && strstr(base, "__"))))
		return strbuf_error(err, -1, "%s: a down migration or undo script; give it to --down, "
				    "not --fix", shown);
	if (direction == LAYOUT_DOWN && ends_with(base, ".up.sql"))
		return strbuf_error(err, -1, "%s: an up migration; give it to --fix, not --down", shown);
	out->kind = "sql";
	if (like && like->kind && strcmp(like->kind, "liquibase") && strcmp(like->kind, "sqitch"))
		out->kind = like->kind;
	add_file(out, path, shown, base, kind_wraps(out->kind));
	return 0;
}

int layout_open(const char *path, const char *shown, int direction, struct layout *out, struct strbuf *err)
{
	int rc = open_one(path, shown, direction, NULL, out, err);
	if (rc)
		layout_release(out);
	return rc;
}

int layout_open_like(const char *path, const char *shown, int direction, const struct layout *like,
		     struct layout *out, struct strbuf *err)
{
	int rc = open_one(path, shown, direction, like, out, err);
	if (rc)
		layout_release(out);
	out->dialect = like ? like->dialect : -1;
	return rc;
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
	char **rels = NULL, root[PATH_MAX];
	size_t n = 0, alloc = 0, i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->notes);
	out->dialect = -1;
	out->kind = "sql";
	if (!is_dir(path))
		return strbuf_error(err, -1, "cannot read '%s': %s", shown, strerror(errno ? errno : ENOTDIR));
	if ((rc = root_of(path, 1, root, err)) != 0)
		return rc;
	walk_sql(path, "", &rels, &n, &alloc, 0);
	if (!n)
		return unknown_layout(path, shown, "no .sql file in it", err);
	qsort(rels, n, sizeof(*rels), cmp_natural);
	for (i = 0; i < n && !rc; i++) {
		struct strbuf p = STRBUF_INIT, sh = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", path, rels[i]);
		strbuf_addf(&sh, "%s/%s", shown, rels[i]);
		if ((rc = inside(root, p.buf, sh.buf, err)) == 0)
			add_file(out, p.buf, sh.buf, rels[i], 0);
		strbuf_release(&p);
		strbuf_release(&sh);
	}
	free_names(rels, n);
	if (rc)
		layout_release(out);
	return rc;
}

void layout_release(struct layout *l)
{
	size_t i;
	for (i = 0; i < l->nr; i++) {
		free(l->v[i].path);
		free(l->v[i].shown);
		free(l->v[i].name);
		free(l->v[i].delim);
		free(l->v[i].rdelim);
		free(l->v[i].dbms);
	}
	free(l->v);
	strbuf_release(&l->notes);
	memset(l, 0, sizeof(*l));
	l->dialect = -1;
}

int layout_file_version(const char *name, struct strbuf *version, struct strbuf *description)
{
	const char *base = base_of(name);
	const char *desc, *end;
	struct entry e;
	size_t i;

	if (strstr(name, "::")) {
		struct strbuf file = STRBUF_INIT;
		int rc = layout_changeset_parse(name, &file, version, description);
		strbuf_release(&file);
		return rc;
	}
	if (!strcmp(base, "migration.sql") && base != name) {
		/* Prisma: the directory's name, <timestamp>_<name>. */
		const char *dir = base - 1, *d0 = dir;
		while (d0 > name && d0[-1] != '/')
			d0--;
		for (desc = d0; isdigit((unsigned char)*desc); desc++)
			;
		if (desc == d0 || *desc != '_' || desc + 1 >= dir)
			return -1;
		while (d0 < desc - 1 && *d0 == '0')
			d0++;
		strbuf_add(version, d0, (size_t)(desc - d0));
		strbuf_add(description, desc + 1, (size_t)(dir - desc - 1));
		return 0;
	}
	if (!ends_with(base, ".sql"))
		return -1;
	end = base + strlen(base) - (ends_with(base, ".up.sql") ? 7 : ends_with(base, ".down.sql") ? 9 : 4);
	if (!strncmp(base, "R__", 3)) {
		desc = base + 3;
	} else if ((base[0] == 'V' || base[0] == 'U' || base[0] == 'B') && (desc = strstr(base, "__")) != NULL) {
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

/* ------------------------------------------------------------------ */
/* Text and statements                                                */
/* ------------------------------------------------------------------ */

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

int layout_file_text(const struct layout *l, size_t i, int direction, struct strbuf *out, int *first_line,
		     int *wrap, struct strbuf *err)
{
	const struct layout_file *f = &l->v[i];
	struct strbuf text = STRBUF_INIT;
	int rc, notx = 0;

	*wrap = f->wrap;
	*first_line = 1;
	if (read_text(f->path, &text, err)) {
		rc = -1;
		goto out;
	}
	if (f->from) {
		/* A Liquibase changeset: its lines only, from its '--changeset' line on. */
		*first_line = f->from;
		rc = lb_changeset_text(f, text.buf, direction, l->dialect, out, err);
		goto out;
	}
	if (!strcmp(l->kind, "liquibase") && direction == LAYOUT_DOWN) {
		rc = strbuf_error(err, -1, "%s: a plain .sql file in a Liquibase directory (a 'raw' changeset) "
				  "has no rollback", f->shown);
		goto out;
	}
	if ((rc = dbmate_section(f->shown, &text, direction, &notx, err)) < 0)
		goto out;
	if (rc == 0)
		*wrap = !notx;
	else if (!strcmp(l->kind, "dbmate"))
		*wrap = 0; /* a plain file beside a dbmate history: dbmate would not run it at all */
	else if (!strcmp(l->kind, "atlas"))
		*wrap = !atlas_no_tx(text.buf);
	else if (!strcmp(l->kind, "prisma"))
		/*
		** Prisma sends migration.sql as one simple query, adding no
		** transaction of its own; PostgreSQL runs such a query of
		** several statements as one transaction (prisma/prisma#22922),
		** SQLite does not.  Prisma 7.4 on splits a file holding
		** CONCURRENTLY, which layout_wrappable leaves unwrapped too.
		*/
		*wrap = l->dialect == DIALECT_POSTGRES;
	strbuf_add(out, text.buf, text.len);
	rc = 0;
out:
	strbuf_release(&text);
	return rc;
}

/* Read migration i of a layout into out. */
static int load_file(const struct layout *l, size_t idx, int direction, int dialect, struct sql_script *out,
		     struct strbuf *err)
{
	const struct layout_file *f = &l->v[idx];
	struct strbuf text = STRBUF_INIT;
	size_t before = out->nr, i, k;
	int rc, alembic, wrap, first;

	if ((rc = layout_file_text(l, idx, direction, &text, &first, &wrap, err)) != 0)
		goto out;
	if (f->from) {
		/* A changeset with nothing to run here (dbms: another engine's, a rollback 'not required'). */
		struct sql_script probe = { 0 };
		sql_split(text.buf, 1, &probe);
		k = probe.nr;
		sql_script_release(&probe);
		if (!k)
			goto out;
	}
	if (first > 1) {
		/* Keep the file's line numbers: statements start where they stand in it. */
		struct strbuf t = STRBUF_INIT;
		for (k = 1; k < (size_t)first; k++)
			strbuf_addch(&t, '\n');
		strbuf_add(&t, text.buf, text.len);
		strbuf_release(&text);
		text = t;
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
		int lfirst = out->v[before].line, last = out->v[out->nr - 1].line;
		ALLOC_GROW(out->v, out->nr + 2, out->alloc);
		memmove(out->v + before + 1, out->v + before, (out->nr - before) * sizeof(*out->v));
		out->nr++;
		out->v[before].sql = xstrdup("BEGIN");
		out->v[before].line = lfirst;
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
		return -1;
	l.dialect = dialect;
	for (i = 0; i < l.nr && !rc; i++)
		rc = load_file(&l, i, direction, dialect, out, err);
	layout_release(&l);
	return rc;
}
