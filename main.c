/*
** mdrill's command line: finds scenarios, parses options, runs the drill
** engine, the oracle and a renderer, prints, and chooses the exit status
** (0 pass, 1 fail, 2 bad input or usage, 3 the drill could not run,
** 130 interrupted).  The only file that prints to the user.
*/
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/report.h"
#include "scoring/oracle.h"
#include "scoring/probe.h"
#include "scoring/scorecard.h"
#include "sim/base/alloc.h"
#include "sim/db/db.h"
#include "sim/input/faults.h"
#include "sim/input/layout.h"
#include "sim/base/prng.h"
#include "sim/input/scenario.h"
#include "sim/engine/scheduler.h"
#include "sim/base/strbuf.h"

#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_ENGINE 3
#define EXIT_INTR 130

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int error(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("mdrill: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int is_file(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* The directories scenarios are looked up in, in order. */
static size_t scenario_dirs(char dirs[][PATH_MAX], size_t max)
{
	const char *env = getenv("MDRILL_SCENARIOS");
	char exe[PATH_MAX];
	size_t n = 0;
	ssize_t len;

	if (env && *env) {
		const char *s = env;
		while (*s && n < max) {
			const char *e = strchr(s, ':');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			if (l && l < PATH_MAX) {
				memcpy(dirs[n], s, l);
				dirs[n++][l] = '\0';
			}
			s += l + (e ? 1 : 0);
		}
	}
	if (n < max && is_dir("scenarios"))
		snprintf(dirs[n++], PATH_MAX, "scenarios");
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0 && n < max) {
		char *slash;
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		/* Room for "/scenarios" is checked; the name replaces the binary's. */
		if (slash && (size_t)(slash - exe) + sizeof("/scenarios") <= PATH_MAX) {
			memcpy(dirs[n], exe, (size_t)(slash - exe));
			memcpy(dirs[n] + (slash - exe), "/scenarios", sizeof("/scenarios"));
			if (is_dir(dirs[n]))
				n++;
		}
	}
	return n;
}

/* Resolve SCENARIO (a name or a path) to its .drill file in out. */
static int find_scenario(const char *arg, struct strbuf *out)
{
	char dirs[8][PATH_MAX];
	size_t n, i, len = strlen(arg);

	strbuf_reset(out);
	if (strchr(arg, '/') || (len > 6 && !strcmp(arg + len - 6, ".drill"))) {
		if (is_dir(arg))
			strbuf_addf(out, "%s/scenario.drill", arg);
		else
			strbuf_addstr(out, arg);
		if (!is_file(out->buf))
			return error(EXIT_USAGE, "no scenario file at '%s'", out->buf);
		return 0;
	}
	n = scenario_dirs(dirs, 8);
	for (i = 0; i < n; i++) {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s/scenario.drill", dirs[i], arg);
		if (is_file(out->buf))
			return 0;
	}
	return error(EXIT_USAGE, "no scenario '%s' (see 'mdrill list', or give a path to a .drill file)", arg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_list(int argc, char **argv)
{
	char dirs[8][PATH_MAX];
	size_t n = scenario_dirs(dirs, 8), i, j, nnames = 0, alloc = 0;
	char **names = NULL;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	if (argc > 1)
		return error(EXIT_USAGE, "usage: mdrill list (unexpected '%s')", argv[1]);
	for (i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s/scenario.drill", dirs[i], e->d_name);
			if (!is_file(path.buf))
				continue;
			for (j = 0; j < nnames; j++)
				if (!strcmp(strchr(names[j], '\t') + 1, e->d_name))
					break;
			if (j < nnames)
				continue; /* an earlier directory has it */
			ALLOC_GROW(names, nnames + 1, alloc);
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s\t%s", dirs[i], e->d_name, e->d_name);
			names[nnames++] = strbuf_detach(&path);
		}
		closedir(d);
	}
	/* Sort by scenario name, the part after the tab. */
	for (i = 0; i < nnames; i++) {
		char *tab = strchr(names[i], '\t');
		struct strbuf sw = STRBUF_INIT;
		*tab = '\0';
		strbuf_addf(&sw, "%s\t%s", tab + 1, names[i]);
		free(names[i]);
		names[i] = strbuf_detach(&sw);
	}
	qsort(names, nnames, sizeof(*names), cmp_str);
	for (i = 0; i < nnames; i++) {
		struct scenario *sc;
		char *tab = strchr(names[i], '\t');
		*tab = '\0';
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/scenario.drill", tab + 1);
		if (scenario_load(path.buf, NULL, 0, &sc, &err))
			printf("%-20s (broken: %s)\n", names[i], err.buf);
		else
			printf("%-20s %s\n", names[i], sc->title ? sc->title : "");
		scenario_free(sc);
		free(names[i]);
	}
	if (!nnames)
		printf("no scenarios found (looked in ./scenarios, beside the mdrill binary and $MDRILL_SCENARIOS)\n");
	free(names);
	strbuf_release(&path);
	strbuf_release(&err);
	return 0;
}

static void show_sql(const char *heading, const struct sql_section *sec)
{
	static const char *const dialects[] = { "", " (sqlite)", " (postgres)" };
	size_t i;
	for (i = 0; i < sec->nr; i++)
		printf("\n%s%s:\n%s\n", heading, dialects[sec->v[i].dialect], sec->v[i].text);
}

/* The entries of the scenario's directory sub, sorted, under a heading. */
static void show_dir(const struct scenario *sc, const char *sub, const char *heading)
{
	struct strbuf dir = STRBUF_INIT;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	DIR *d;

	strbuf_addf(&dir, "%s/%s", sc->dir, sub);
	if ((d = opendir(dir.buf)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.') {
				ALLOC_GROW(names, n + 1, alloc);
				names[n++] = xstrdup(e->d_name);
			}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp_str);
		printf("\n%s:\n", heading);
		for (i = 0; i < n; i++) {
			printf("  %s/%s\n", dir.buf, names[i]);
			free(names[i]);
		}
		free(names);
	}
	strbuf_release(&dir);
}

static int cmd_show(int argc, char **argv)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct scenario *sc = NULL;
	size_t i;
	int rc;

	if (argc != 2)
		return error(EXIT_USAGE, "usage: mdrill show SCENARIO");
	if ((rc = find_scenario(argv[1], &path)) != 0)
		goto out;
	if (scenario_load(path.buf, NULL, 0, &sc, &err)) {
		rc = error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	printf("%s: %s\n", sc->name, sc->title ? sc->title : "");
	if (sc->essay)
		printf("essay: %s\n", sc->essay);
	printf("file: %s\n", sc->path);
	if (sc->story.len)
		printf("\n%s", sc->story.buf);
	printf("\nparameters (change with --set NAME=VALUE):\n");
	for (i = 0; i < sc->nparams; i++)
		printf("  %-12s %s\n", sc->params[i].name, sc->params[i].value);
	show_sql("schema", &sc->schema);
	for (i = 0; i < sc->nmigrations; i++) {
		struct strbuf h = STRBUF_INIT;
		strbuf_addf(&h, "migration %s", sc->migrations[i].name);
		show_sql(h.buf, &sc->migrations[i].sql);
		strbuf_release(&h);
	}
	printf("\napp versions:\n");
	for (i = 0; i < sc->napps; i++) {
		size_t t;
		printf("  %s:", sc->apps[i].name);
		for (t = 0; t < sc->apps[i].ntx; t++)
			printf(" %s (weight %u)", sc->apps[i].tx[t].name, sc->apps[i].tx[t].weight);
		printf("\n");
	}
	printf("\ntimeline:\n");
	for (i = 0; i < sc->ntimeline; i++) {
		const struct tl_event *ev = &sc->timeline[i];
		printf("  at %-8ld ", ev->tick);
		switch (ev->action) {
		case TL_START: printf("start %s clients=%d\n", sc->apps[ev->version].name, ev->clients); break;
		case TL_DEPLOY: printf("deploy %s fraction=%g\n", sc->apps[ev->version].name, ev->fraction); break;
		case TL_MIGRATE: printf("migrate %s\n", sc->migrations[ev->migration].name); break;
		case TL_FIX: printf("fix (the fix under test is applied here)\n"); break;
		case TL_END: printf("end\n"); break;
		case TL_FLAG: printf("flag %s %s\n", sc->flags[ev->flag], ev->flag_on ? "on" : "off"); break;
		case TL_FAULT: {
			struct strbuf f = STRBUF_INIT;
			struct fault one = ev->fault;
			one.tick = FAULT_AT_FIX;
			fault_format(&one, &f);
			printf("fault %s\n", f.buf);
			strbuf_release(&f);
			break;
		}
		}
	}
	show_dir(sc, "fixes", "fix templates");
	show_dir(sc, "downs", "down migrations a framework hands out (--down FILE)");
	rc = 0;
out:
	scenario_free(sc);
	strbuf_release(&path);
	strbuf_release(&err);
	return rc;
}

struct run_opts {
	const char *scenario;
	const char *fix;
	int down;
	const char *down_file;   /* the team's own down migration, in a tool's layout */
	struct fault_list faults;
	int random_faults;       /* --faults random: each seed picks its own (swarm) */
	int swarm;               /* --seeds A..B given: swarm mode */
	uint64_t seed_from, seed_to;
	uint64_t seed;
	struct param_set *sets;
	size_t nsets, sets_alloc;
	int json;
	int keep;
	int concurrent;
	const char *db;
	const char *report;                                     /* --report FILE.md|.json */
	const char *csv;                                        /* --csv DIR */
	struct flip { const char *name; long tick; } *flips;   /* --flag-off NAME@TICK */
	size_t nflips, flips_alloc;
};

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* "A..B" into *a and *b. */
static int parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	const char *dots = strstr(s, "..");
	char from[32];
	if (!dots || dots == s || (size_t)(dots - s) >= sizeof(from))
		return -1;
	memcpy(from, s, (size_t)(dots - s));
	from[dots - s] = '\0';
	return parse_u64(from, a) || parse_u64(dots + 2, b) ? -1 : 0;
}

static const char run_usage[] =
	"usage: mdrill run SCENARIO (--fix FILE | --down [FILE]) [--db TARGET] [--concurrent] "
	"[--seed N | --seeds A..B] [--faults LIST] [--set NAME=VALUE]... [--flag-off NAME@TICK]... "
	"[--json] [--report FILE.html|.md|.json] [--csv DIR] [--keep]";
static const char compare_usage[] =
	"usage: mdrill compare SCENARIO --fix FILE [--down FILE] [--db TARGET] [--concurrent] "
	"[--seed N] [--set NAME=VALUE]... [--flag-off NAME@TICK]... [--json] [--report FILE.html]";

/* What parse_run allocated, also after it failed. */
static void run_opts_release(struct run_opts *o)
{
	free(o->sets);
	free(o->flips);
	fault_list_release(&o->faults);
}

static int parse_run(int argc, char **argv, struct run_opts *o, int compare)
{
	const char *usage = compare ? compare_usage : run_usage;
	int i;
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strncmp(a, "--", 2) && strchr(a, '=') &&
		    (!strncmp(a, "--fix=", 6) || !strncmp(a, "--down=", 7) || !strncmp(a, "--seed=", 7) || !strncmp(a, "--set=", 6) ||
		     !strncmp(a, "--db=", 5) || !strncmp(a, "--flag-off=", 11) ||
		     !strncmp(a, "--faults=", 9) || !strncmp(a, "--seeds=", 8) || !strncmp(a, "--report=", 9) || !strncmp(a, "--csv=", 6)))
			val = strchr(a, '=') + 1;
#define TAKES(name) (!strncmp(a, name, strlen(name)) && (a[strlen(name)] == '\0' || a[strlen(name)] == '='))
#define NEXT() (val ? val : (i + 1 < argc ? argv[++i] : NULL))
		if (TAKES("--fix")) {
			if (!(o->fix = NEXT()))
				return error(EXIT_USAGE, "--fix needs a file\n%s", usage);
		} else if (TAKES("--down")) {
			/*
			** FILE is optional: it is the next argument when the scenario is
			** already named, or when it can only be a migration file.
			*/
			const char *nx = i + 1 < argc ? argv[i + 1] : NULL;
			o->down = 1;
			if (val)
				o->down_file = val;
			else if (nx && nx[0] != '-' && (o->scenario || strstr(nx, ".sql")))
				o->down_file = argv[++i];
			if (o->down_file && !*o->down_file)
				return error(EXIT_USAGE, "--down= needs a file\n%s", usage);
		} else if (TAKES("--faults")) {
			const char *v = NEXT();
			struct strbuf err = STRBUF_INIT;
			if (v && !strcmp(v, "random")) {
				o->random_faults = 1;
			} else if (!v || fault_parse_list(v, &o->faults, &err)) {
				error(EXIT_USAGE, "--faults: %s", v ? err.buf : "needs a list of faults");
				strbuf_release(&err);
				return EXIT_USAGE;
			}
			strbuf_release(&err);
		} else if (TAKES("--seeds")) {
			const char *v = NEXT();
			o->swarm = 1;
			if (!v || parse_range(v, &o->seed_from, &o->seed_to) || o->seed_to < o->seed_from ||
			    o->seed_to - o->seed_from >= 100000)
				return error(EXIT_USAGE, "--seeds needs A..B, A <= B, at most 100000 seeds, not '%s'",
					     v ? v : "");
		} else if (TAKES("--seed")) {
			const char *v = NEXT();
			if (!v || parse_u64(v, &o->seed))
				return error(EXIT_USAGE, "--seed needs a whole number, not '%s'", v ? v : "");
		} else if (TAKES("--set")) {
			const char *v = NEXT();
			char *eq;
			if (!v || !(eq = strchr(v, '=')) || eq == v)
				return error(EXIT_USAGE, "--set needs NAME=VALUE, not '%s'", v ? v : "");
			ALLOC_GROW(o->sets, o->nsets + 1, o->sets_alloc);
			*eq = '\0';
			o->sets[o->nsets].name = v;
			o->sets[o->nsets++].value = eq + 1;
		} else if (TAKES("--db")) {
			if (!(o->db = NEXT()))
				return error(EXIT_USAGE, "--db needs a target");
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--keep")) {
			o->keep = 1;
		} else if (!strcmp(a, "--concurrent")) {
			o->concurrent = 1;
		} else if (TAKES("--csv")) {
			struct stat st;
			if (!(o->csv = NEXT()) || stat(o->csv, &st) || !S_ISDIR(st.st_mode))
				return error(EXIT_USAGE, "--csv needs an existing directory, not '%s'",
					     o->csv ? o->csv : "");
		} else if (TAKES("--report")) {
			const char *dot;
			if (!(o->report = NEXT()) || !(dot = strrchr(o->report, '.')) ||
			    !report_for_ext(dot + 1) || !strcmp(dot + 1, "txt"))
				return error(EXIT_USAGE, "--report needs FILE.html, FILE.md or FILE.json, not '%s'",
					     o->report ? o->report : "");
		} else if (TAKES("--flag-off")) {
			const char *v = NEXT();
			const char *at = v ? strrchr(v, '@') : NULL;
			uint64_t t;
			if (!at || at == v || parse_u64(at + 1, &t) || t > 1000000000)
				return error(EXIT_USAGE, "--flag-off needs NAME@TICK, not '%s'", v ? v : "");
			ALLOC_GROW(o->flips, o->nflips + 1, o->flips_alloc);
			*(char *)at = '\0';
			o->flips[o->nflips].name = v;
			o->flips[o->nflips++].tick = (long)t;
		} else if (a[0] == '-' && a[1]) {
			return error(EXIT_USAGE, "unknown option '%s'\n%s", a, usage);
		} else if (!o->scenario) {
			o->scenario = a;
		} else {
			return error(EXIT_USAGE, "unexpected argument '%s'\n%s", a, usage);
		}
#undef TAKES
#undef NEXT
	}
	if (!o->scenario)
		return error(EXIT_USAGE, "which scenario? (see 'mdrill list')\n%s", usage);
	if (compare && o->report && (!strrchr(o->report, '.') || strcmp(strrchr(o->report, '.'), ".html")))
		return error(EXIT_USAGE, "compare writes its page as FILE.html, not '%s'", o->report);
	if (compare && !o->fix)
		return error(EXIT_USAGE, "compare runs the down migration itself: give --fix FILE.sql\n%s",
			     usage);
	if (!compare && !o->fix == !o->down)
		return error(EXIT_USAGE, "give exactly one of --fix FILE and --down [FILE]\n%s", usage);
	return 0;
}

/*
** Find a fix or down migration, a file or a tool's directory: as given,
** else relative to the scenario's directory.
*/
static int find_fix(const char *fix, const struct scenario *sc, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addstr(out, fix);
	if (is_file(out->buf) || is_dir(out->buf))
		return 0;
	if (fix[0] != '/') {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s", sc->dir, fix);
		if (is_file(out->buf) || is_dir(out->buf))
			return 0;
	}
	return error(EXIT_USAGE, "no migration file or directory '%s'", fix);
}

/* Write data to path; 0, or EXIT_ENGINE after saying why. */
static int write_file(const char *path, const struct strbuf *data)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data->buf, 1, data->len, f) == data->len;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : error(EXIT_ENGINE, "cannot write '%s': %s", path, strerror(errno));
}

/* Render card into path, the format chosen by the file's extension. */
static int write_report(const char *path, const struct scorecard *card)
{
	const struct report_format *fmt = report_for_ext(strrchr(path, '.') + 1);
	struct strbuf out = STRBUF_INIT;
	int rc;

	fmt->render(card, &out, 0);
	rc = write_file(path, &out);
	strbuf_release(&out);
	return rc;
}

/* Long drills show where they are, on a terminal only: seeding, ticks, scoring. */
static void show_progress(void *ctx, int phase, int64_t tick)
{
	(void)ctx;
	if (phase == DRILL_SEEDING)
		fprintf(stderr, "\rmdrill: seeding...\033[K");
	else if (phase == DRILL_TRAFFIC)
		fprintf(stderr, "\rmdrill: traffic, tick %lld\033[K", (long long)tick);
	else if (phase == DRILL_DONE)
		fprintf(stderr, "\rmdrill: scoring...\033[K");
	fflush(stderr);
}

/*
** Run one drill of sc on drv into card, with the fix at fixarg, or with a
** down migration: the one at fixarg, or the scenario's own when fixarg is
** NULL.  Returns 0, or the exit status after printing why.  The disposable
** database is gone when it returns, unless o->keep.
*/
/*
** The statements of what sits in the fix slot on drv, onto script: the
** migration at fixarg (a fix, or a down migration with is_down), or the
** scenario's own down migration when fixarg is NULL.  Returns 0, or the
** exit status after saying why.
*/
static int load_fix(const struct scenario *sc, const struct db_driver *drv, const char *fixarg,
		    int is_down, struct sql_script *script)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int rc = 0;

	if (!fixarg) {
		int m = scenario_migration(sc, "down");
		const struct sql_variant *v = m >= 0 ? sql_section_pick(&sc->migrations[m].sql, drv->dialect) : NULL;
		if (!v)
			rc = error(EXIT_USAGE, "%s: the scenario has no '-- @migration down' for %s",
				   sc->path, drv->name);
		else
			sql_split(v->text, v->line, script);
	} else if ((rc = find_fix(fixarg, sc, &path)) == 0 &&
		   layout_load(path.buf, fixarg, is_down ? LAYOUT_DOWN : LAYOUT_UP, drv->dialect, script, &err)) {
		rc = error(EXIT_USAGE, "%s", err.buf);
	}
	strbuf_release(&path);
	strbuf_release(&err);
	return rc;
}

/* One drill: what sits in the fix slot, under which seed, and what goes wrong. */
struct drill_req {
	const char *fixarg;              /* NULL with is_down: the scenario's down migration */
	int is_down;
	uint64_t seed;
	const struct fault_list *faults;
	struct strbuf *schema;           /* receives the final schema when set */
};

static int drill_one(const struct run_opts *o, const struct scenario *sc,
		     const struct db_driver *drv, const struct drill_req *req,
		     struct scorecard *card)
{
	const char *fixarg = req->fixarg;
	int is_down = req->is_down;
	struct strbuf err = STRBUF_INIT, kept = STRBUF_INIT;
	struct sql_script fix = { 0 };
	struct drill d;
	struct drill_opts dopts;
	struct probe_table *probes = NULL;
	size_t nprobes = 0;
	struct oracle_input oin;
	struct oracle_result ores;
	int rc, have_drill = 0;

	memset(&ores, 0, sizeof(ores));
	memset(&d, 0, sizeof(d));
	if ((rc = load_fix(sc, drv, fixarg, is_down, &fix)) != 0)
		goto out;

	memset(&dopts, 0, sizeof(dopts));
	dopts.drv = drv;
	dopts.target = drv == &db_sqlite_driver ? NULL : o->db;
	dopts.seed = req->seed;
	dopts.faults = req->faults;
	dopts.fix_label = fixarg ? fixarg : "down migration";
	dopts.fix = &fix;
	dopts.fix_is_down = is_down;
	dopts.concurrent = o->concurrent;
	dopts.stop = &stop_flag;
	if (isatty(STDERR_FILENO))
		dopts.progress = show_progress;
	have_drill = 1;
	rc = drill_run(&d, sc, &dopts, &err);
	if (rc == DRILL_EINPUT) {
		rc = error(EXIT_USAGE, "%s", err.buf);
		goto out;
	} else if (rc == DRILL_EINTR) {
		rc = error(EXIT_INTR, "%s; the disposable database is removed", err.buf);
		goto out;
	} else if (rc) {
		rc = error(EXIT_ENGINE, "%s", err.buf);
		goto out;
	}
	if (req->schema && db_schema(drv, d.admin, req->schema, &err)) {
		rc = error(EXIT_ENGINE, "cannot read the final schema: %s", err.buf);
		goto out;
	}
	probe_run(sc, drv, d.admin, &probes, &nprobes);
	if (dopts.progress)
		fprintf(stderr, "\r\033[K");
	memset(&oin, 0, sizeof(oin));
	oin.ledger = &d.ledger;
	oin.probes = probes;
	oin.nprobes = nprobes;
	oin.defaults = sc->defaults;
	oin.ndefaults = sc->ndefaults;
	scorecard_window(&d, &oin.incident_start, &oin.incident_end);
	oracle_check(&oin, &ores);
	scorecard_build(card, &d, &ores, probes, nprobes);
	rc = 0;
	/* The raw data needs the ledger, which goes with the drill: export it now. */
	if (o->csv && report_csv_write(o->csv, &d, &ores, card, &err)) {
		rc = error(EXIT_ENGINE, "%s", err.buf);
		scorecard_release(card);
	}
out:
	if (have_drill) {
		drill_release(&d, o->keep && rc != EXIT_INTR, &kept);
		if (kept.len)
			fprintf(stderr, "mdrill: kept the drill database at %s\n", kept.buf);
	}
	oracle_result_release(&ores);
	probe_tables_free(probes, nprobes);
	sql_script_release(&fix);
	strbuf_release(&err);
	strbuf_release(&kept);
	return rc;
}

/* Load the scenario and pick the engine, as run and compare both need. */
static int prepare(struct run_opts *o, struct scenario **sc, const struct db_driver **drv)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	size_t i;
	int rc = 0;

	*sc = NULL;
	if ((rc = find_scenario(o->scenario, &path)) != 0)
		goto out;
	if (scenario_load(path.buf, o->sets, o->nsets, sc, &err)) {
		rc = error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	for (i = 0; i < o->nflips; i++) {
		if (scenario_flag_flip(*sc, o->flips[i].name, o->flips[i].tick, 0, &err)) {
			rc = error(EXIT_USAGE, "--flag-off %s@%ld: %s", o->flips[i].name, o->flips[i].tick, err.buf);
			goto out;
		}
	}
	if (!(*drv = db_driver_for(o->db))) {
		struct strbuf shown = STRBUF_INIT;
		db_target_display(o->db, &shown);
		rc = error(EXIT_USAGE, "unknown --db '%s' (expected sqlite, postgres://USER@HOST:PORT/DBNAME "
			   "or postgres: for the PG* variables)", shown.buf);
		strbuf_release(&shown);
		goto out;
	}
	if (o->concurrent && !((*drv)->caps & DB_CAP_ASYNC))
		rc = error(EXIT_USAGE, "--concurrent needs an engine whose statements run while others "
			   "step (postgres); %s runs one statement at a time", (*drv)->name);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
out:
	strbuf_release(&path);
	strbuf_release(&err);
	return rc;
}

static unsigned color_flags(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") ? REPORT_COLOR : 0;
}

static void print_out(const struct strbuf *out)
{
	fwrite(out->buf, 1, out->len, stdout);
	fflush(stdout);
}

/* fix-crash=K must name a statement of the migration; exit 2 if not. */
static int crash_point_fits(const struct fault *crash, size_t nstmts, int is_down)
{
	if (!crash || crash->arg == FAULT_ALL || (size_t)crash->arg <= nstmts)
		return 0;
	return error(EXIT_USAGE, "--faults fix-crash=%lld: the %s has %zu statements",
		     (long long)crash->arg, is_down ? "down migration" : "fix", nstmts);
}

/*
** A drill under the request's faults.  With fix-crash=K it runs twice:
** without the crash, then with it, to tell whether the re-run converged
** (it completed, left the schema the crash-free run left, and lost no
** more); the card is the run with the crash.  With fix-crash=all the card
** is the crash-free run, and the drill runs again for every statement K.
*/
static int drill_chaos(const struct run_opts *o, const struct scenario *sc,
		       const struct db_driver *drv, const struct drill_req *req, struct scorecard *card)
{
	const struct fault *crash = fault_find(req->faults, FAULT_FIX_CRASH);
	struct fault_list rest = { 0 };
	struct strbuf base_schema = STRBUF_INIT, schema = STRBUF_INIT;
	struct drill_req sub = *req;
	struct scorecard base, run;
	struct sc_crash *points = NULL;
	size_t i, n = 0, from, to, k;
	int rc, have_base = 0, all;

	if (!crash)
		return drill_one(o, sc, drv, req, card);
	/* Before any drill runs: a K past the end is bad input, not a finding. */
	{
		struct sql_script script = { 0 };
		rc = load_fix(sc, drv, req->fixarg, req->is_down, &script);
		if (!rc)
			rc = crash_point_fits(crash, script.nr, req->is_down);
		sql_script_release(&script);
		if (rc)
			return rc;
	}
	all = crash->arg == FAULT_ALL;
	fault_list_without(req->faults, FAULT_FIX_CRASH, &rest);
	sub.faults = &rest;
	sub.schema = &base_schema;
	if ((rc = drill_one(o, sc, drv, &sub, &base)) != 0)
		goto out;
	have_base = 1;
	from = all ? 1 : (size_t)crash->arg;
	to = all ? base.fix.statements : (size_t)crash->arg;
	ALLOC_GROW(rest.v, rest.nr + 1, rest.alloc);
	rest.v[rest.nr++] = *crash;
	points = xcalloc(to - from + 1, sizeof(*points));
	for (k = from; k <= to; k++) {
		struct sc_crash *p = &points[n];
		rest.v[rest.nr - 1].arg = (int64_t)k;
		strbuf_reset(&schema);
		sub.schema = &schema;
		if ((rc = drill_one(o, sc, drv, &sub, &run)) != 0)
			goto out;
		n++;
		p->after = (int)k;
		p->reached = run.crash_after != 0;
		p->tick = run.crash_after ? run.crash_tick : -1;
		p->completed = run.crash_after && run.fix.completed;
		p->same_schema = !strcmp(schema.buf, base_schema.buf);
		p->lost = scorecard_lost(&run);
		p->base_lost = scorecard_lost(&base);
		p->error = run.fix.error ? xstrdup(run.fix.error) : NULL;
		p->converged = p->completed && p->same_schema && p->lost <= p->base_lost;
		if (all)
			scorecard_release(&run);
		else
			*card = run;
	}
	if (all)
		*card = base;
	else
		scorecard_release(&base);
	have_base = 0;
	scorecard_add_crashes(card, points, n);
	points = NULL;
	rc = 0;
out:
	if (have_base)
		scorecard_release(&base);
	for (i = 0; points && i < n; i++)
		free(points[i].error);
	free(points);
	fault_list_release(&rest);
	strbuf_release(&base_schema);
	strbuf_release(&schema);
	return rc;
}

/* A fault drv cannot have, from the command line or sc's timeline: exit 2. */
static int fault_fits(const struct fault *f, const struct db_driver *drv, const struct scenario *sc,
		      int line)
{
	struct strbuf where = STRBUF_INIT;
	int rc = 0;

	if (line)
		strbuf_addf(&where, "%s:%d: ", sc->path, line);
	else
		strbuf_addstr(&where, "--faults ");
	if (f->kind == FAULT_FIX_TIMEOUT && drv != &db_pg_driver)
		rc = error(EXIT_USAGE, "%sfix-timeout sets PostgreSQL's statement_timeout: it needs "
			   "--db postgres://...", where.buf);
	else if ((f->kind == FAULT_DISK_FULL || f->kind == FAULT_IOERR) && drv != &db_sqlite_driver)
		rc = error(EXIT_USAGE, "%s%s works through SQLite's VFS: it needs --db sqlite", where.buf,
			   fault_name(f->kind));
	strbuf_release(&where);
	return rc;
}

/* Faults the engine cannot have, or options that cannot go with them. */
static int check_faults(const struct run_opts *o, const struct scenario *sc, const struct db_driver *drv,
			int compare)
{
	const struct fault *crash = fault_find(&o->faults, FAULT_FIX_CRASH);
	size_t i;
	int rc;

	for (i = 0; i < o->faults.nr; i++)
		if ((rc = fault_fits(&o->faults.v[i], drv, sc, 0)) != 0)
			return rc;
	for (i = 0; i < sc->ntimeline; i++)
		if (sc->timeline[i].action == TL_FAULT &&
		    (rc = fault_fits(&sc->timeline[i].fault, drv, sc, sc->timeline[i].line)) != 0)
			return rc;
	if (o->random_faults && o->faults.nr)
		return error(EXIT_USAGE, "--faults random draws each seed's faults: it takes no others");
	if (o->random_faults && !o->swarm)
		return error(EXIT_USAGE, "--faults random draws faults per seed: give --seeds A..B too");
	if (o->swarm && (compare || o->report || o->csv || o->keep))
		return error(EXIT_USAGE, "--seeds runs many drills of one run: compare, --report, --csv and "
			     "--keep go with one drill (rerun the seed it names)");
	/* Those runs leave one drill's data each; the card is not the last of them. */
	if (crash && crash->arg == FAULT_ALL && (o->csv || o->keep))
		return error(EXIT_USAGE, "--faults fix-crash=all runs a drill per statement: --csv and --keep "
			     "go with one (use fix-crash=K)");
	return 0;
}

/* One seed's outcome in a swarm, as a worker reports it. */
struct swarm_row {
	uint64_t seed;
	int pass, score;
	unsigned long long lost;
	char *faults;            /* as --faults spells them, "-" for none */
};

/*
** --faults random: the seed picks, from a stream of its own, one of no
** fault, a crash of the fix after a statement, or a client killed as the
** fix starts.
*/
static void random_faults(uint64_t seed, size_t nstmts, struct fault_list *out)
{
	struct prng r;
	struct fault f = { FAULT_FIX_CRASH, 1, FAULT_AT_FIX };

	prng_seed(&r, seed, 99);
	switch (prng_below(&r, 3)) {
	case 0:
		return;
	case 1:
		f.arg = 1 + (int64_t)prng_below(&r, nstmts ? nstmts : 1);
		break;
	case 2:
		f.kind = FAULT_KILL_CLIENT;
		break;
	}
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	out->v[out->nr++] = f;
}

/*
** How many statements the migration in the fix slot has on drv, into *n;
** loading it checks it as a drill would, so that a bad fix is said once
** and not by every worker.  Returns 0 or the exit status.
*/
static int fix_statements(const struct run_opts *o, const struct scenario *sc,
			  const struct db_driver *drv, size_t *n)
{
	struct sql_script script = { 0 };
	int rc = load_fix(sc, drv, o->down ? o->down_file : o->fix, o->down, &script);

	*n = script.nr;
	sql_script_release(&script);
	return rc;
}

/* Run the seeds of worker w of nw; one line per seed onto fd. */
static int swarm_worker(const struct run_opts *o, const struct scenario *sc,
			const struct db_driver *drv, size_t nstmts, int w, int nw, int fd)
{
	uint64_t k, nseeds = o->seed_to - o->seed_from + 1;
	/* By offset: a range that ends at the largest seed must not wrap around. */
	for (k = (uint64_t)w; k < nseeds && !stop_flag; k += (uint64_t)nw) {
		uint64_t seed = o->seed_from + k;
		struct fault_list drawn = { 0 };
		struct drill_req req = { 0 };
		struct scorecard card;
		struct strbuf line = STRBUF_INIT, spec = STRBUF_INIT;
		size_t i;
		int rc;

		if (o->random_faults)
			random_faults(seed, nstmts, &drawn);
		req.fixarg = o->down ? o->down_file : o->fix;
		req.is_down = o->down;
		req.seed = seed;
		req.faults = o->random_faults ? &drawn : &o->faults;
		rc = drill_chaos(o, sc, drv, &req, &card);
		for (i = 0; i < req.faults->nr; i++) {
			strbuf_addstr(&spec, i ? "," : "");
			fault_format(&req.faults->v[i], &spec);
		}
		fault_list_release(&drawn);
		if (rc) {
			strbuf_release(&spec);
			return rc;
		}
		strbuf_addf(&line, "%llu %d %d %llu %s\n", (unsigned long long)seed, card.pass, card.score,
			    (unsigned long long)scorecard_lost(&card), spec.len ? spec.buf : "-");
		scorecard_release(&card);
		if (write(fd, line.buf, line.len) != (ssize_t)line.len)
			rc = EXIT_ENGINE;
		strbuf_release(&line);
		strbuf_release(&spec);
		if (rc)
			return rc;
	}
	return stop_flag ? EXIT_INTR : 0;
}

static int cmp_row_seed(const void *a, const void *b)
{
	const struct swarm_row *x = a, *y = b;
	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

/* word onto out, quoted for a POSIX shell when it needs it. */
static void add_shell_word(struct strbuf *out, const char *word)
{
	const char *c;
	if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				 "_-./=:@,+%") == strlen(word)) {
		strbuf_addstr(out, word);
		return;
	}
	strbuf_addch(out, '\'');
	for (c = word; *c; c++) {
		if (*c == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, *c);
	}
	strbuf_addch(out, '\'');
}

/* " --flag VALUE" onto out, the value quoted when it needs it. */
static void add_option(struct strbuf *out, const char *flag, const char *value)
{
	strbuf_addf(out, " %s ", flag);
	add_shell_word(out, value);
}

/* The command that reruns seed alone, with its faults. */
static void swarm_command(const struct run_opts *o, const struct swarm_row *r, struct strbuf *out)
{
	struct strbuf v = STRBUF_INIT;
	size_t i;

	strbuf_addstr(out, "mdrill run ");
	add_shell_word(out, o->scenario);
	if (o->down && o->down_file) {
		strbuf_addstr(out, " --down=");
		add_shell_word(out, o->down_file);
	} else if (o->down) {
		strbuf_addstr(out, " --down");
	} else {
		add_option(out, "--fix", o->fix);
	}
	if (o->db) {
		db_target_display(o->db, &v);
		add_option(out, "--db", v.buf);
	}
	if (o->concurrent)
		strbuf_addstr(out, " --concurrent");
	for (i = 0; i < o->nsets; i++) {
		strbuf_reset(&v);
		strbuf_addf(&v, "%s=%s", o->sets[i].name, o->sets[i].value);
		add_option(out, "--set", v.buf);
	}
	for (i = 0; i < o->nflips; i++) {
		strbuf_reset(&v);
		strbuf_addf(&v, "%s@%ld", o->flips[i].name, o->flips[i].tick);
		add_option(out, "--flag-off", v.buf);
	}
	strbuf_addf(out, " --seed %llu", (unsigned long long)r->seed);
	if (strcmp(r->faults, "-"))
		add_option(out, "--faults", r->faults);
	strbuf_release(&v);
}

/*
** Swarm mode: the drill under every seed of --seeds A..B, one worker
** process per core; each seed is a schedule (and, with --faults random, a
** draw of faults).  Prints the distribution of scores, the worst seed and
** the command that reproduces it.  Exit 1 when any seed fails.
*/
/* Stop the workers started so far and wait for them. */
static void swarm_stop(const pid_t *pids, const int *fds, int n)
{
	int w, status;
	for (w = 0; w < n; w++)
		kill(pids[w], SIGTERM);
	for (w = 0; w < n; w++) {
		close(fds[w]);
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
	}
}

/* The complete lines of buf[*used..] into rows; what is left waits for more. */
static void swarm_take_lines(struct strbuf *buf, struct swarm_row **rows, size_t *nrows, size_t *alloc)
{
	char *line = buf->buf, *nl;
	while ((nl = strchr(line, '\n')) != NULL) {
		struct swarm_row r;
		unsigned long long seed;
		int at = 0;
		*nl = '\0';
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%llu %d %d %llu %n", &seed, &r.pass, &r.score, &r.lost, &at) == 4 && at) {
			r.seed = seed;
			r.faults = xstrdup(line + at);
			ALLOC_GROW(*rows, *nrows + 1, *alloc);
			(*rows)[(*nrows)++] = r;
		}
		line = nl + 1;
	}
	memmove(buf->buf, line, strlen(line) + 1);
	strbuf_setlen(buf, strlen(buf->buf));
}

static int swarm(const struct run_opts *o, const struct scenario *sc, const struct db_driver *drv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t nseeds = o->seed_to - o->seed_from + 1;
	int nw = (int)(ncpu < 1 ? 1 : ncpu > 16 ? 16 : ncpu), w, rc = 0, failed = 0, hist[11] = { 0 }, open_fds;
	const struct fault *crash = fault_find(&o->faults, FAULT_FIX_CRASH);
	size_t nstmts = 0, nrows = 0, alloc = 0, i, worst = 0;
	struct swarm_row *rows = NULL;
	struct strbuf out = STRBUF_INIT, cmd = STRBUF_INIT, bufs[16];
	struct pollfd pfds[16];
	pid_t pids[16];
	int fds[16];

	if ((rc = fix_statements(o, sc, drv, &nstmts)) != 0 ||
	    (rc = crash_point_fits(crash, nstmts, o->down)) != 0)
		return rc;
	if ((uint64_t)nw > nseeds)
		nw = (int)nseeds;
	fflush(stdout);
	fflush(stderr);
	for (w = 0; w < nw; w++) {
		int p[2];
		if (pipe(p)) {
			rc = error(EXIT_ENGINE, "cannot start a swarm worker: %s", strerror(errno));
			swarm_stop(pids, fds, w);
			return rc;
		}
		if ((pids[w] = fork()) < 0) {
			rc = error(EXIT_ENGINE, "cannot start a swarm worker: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			swarm_stop(pids, fds, w);
			return rc;
		}
		if (!pids[w]) {
			close(p[0]);
			_exit(swarm_worker(o, sc, drv, nstmts, w, nw, p[1]));
		}
		close(p[1]);
		fds[w] = p[0];
		strbuf_init(&bufs[w]);
	}
	/*
	** Read all workers as their lines come (a full pipe would stall one),
	** and look at the stop flag between reads: a TERM to this process
	** alone must stop the workers too.
	*/
	for (open_fds = nw; open_fds > 0 && !stop_flag;) {
		for (w = 0; w < nw; w++) {
			pfds[w].fd = fds[w];
			pfds[w].events = POLLIN;
			pfds[w].revents = 0;
		}
		if (poll(pfds, (nfds_t)nw, 200) <= 0)
			continue;
		for (w = 0; w < nw; w++) {
			char chunk[4096];
			ssize_t n;
			if (fds[w] < 0 || !pfds[w].revents)
				continue;
			n = read(fds[w], chunk, sizeof(chunk));
			if (n > 0) {
				strbuf_add(&bufs[w], chunk, (size_t)n);
				swarm_take_lines(&bufs[w], &rows, &nrows, &alloc);
			} else if (n == 0 || errno != EINTR) {
				close(fds[w]);
				fds[w] = -1;
				open_fds--;
			}
		}
	}
	for (w = 0; w < nw; w++) {
		int status = 0;
		if (stop_flag)
			kill(pids[w], SIGTERM);
		if (fds[w] >= 0)
			close(fds[w]);
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_ENGINE;
		strbuf_release(&bufs[w]);
	}
	if (stop_flag)
		rc = error(EXIT_INTR, "interrupted; the workers' databases are removed");
	if (rc) {
		if (rc != EXIT_INTR && !stop_flag)
			error(rc, "a swarm worker could not run its drills (exit %d)", rc);
		goto out;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row_seed);
	for (i = 0; i < nrows; i++) {
		const struct swarm_row *r = &rows[i], *b = &rows[worst];
		failed += !r->pass;
		hist[r->score / 10 > 10 ? 10 : r->score / 10]++;
		if (r->score < b->score || (r->score == b->score && r->lost > b->lost))
			worst = i;
	}
	if (!nrows) {
		rc = error(EXIT_ENGINE, "the swarm ran no drill");
		goto out;
	}
	swarm_command(o, &rows[worst], &cmd);
	if (o->json) {
		strbuf_addstr(&out, "{\"format_version\":1,\"scenario\":");
		json_add_string(&out, sc->name);
		strbuf_addf(&out, ",\"engine\":\"%s\",\"seeds\":{\"from\":%llu,\"to\":%llu},"
				  "\"runs\":%zu,\"passed\":%zu,\"failed\":%d,\"results\":[",
			    drv->name, (unsigned long long)o->seed_from, (unsigned long long)o->seed_to,
			    nrows, nrows - (size_t)failed, failed);
		for (i = 0; i < nrows; i++)
			strbuf_addf(&out, "%s{\"seed\":%llu,\"verdict\":\"%s\",\"score\":%d,\"lost\":%llu,"
					  "\"faults\":\"%s\"}", i ? "," : "", (unsigned long long)rows[i].seed,
				    rows[i].pass ? "pass" : "fail", rows[i].score, rows[i].lost,
				    strcmp(rows[i].faults, "-") ? rows[i].faults : "");
		strbuf_addf(&out, "],\"worst\":{\"seed\":%llu,\"score\":%d},\"reproduce\":",
			    (unsigned long long)rows[worst].seed, rows[worst].score);
		json_add_string(&out, cmd.buf);
		strbuf_addstr(&out, "}\n");
	} else {
		strbuf_addf(&out, "mdrill swarm %s on %s, seeds %llu..%llu: %zu runs, %zu pass, %d fail\n",
			    sc->name, drv->name, (unsigned long long)o->seed_from,
			    (unsigned long long)o->seed_to, nrows, nrows - (size_t)failed, failed);
		strbuf_addstr(&out, "  score     runs\n");
		for (w = 10; w >= 0; w--) {
			char range[16];
			if (!hist[w])
				continue;
			if (w == 10)
				snprintf(range, sizeof(range), "100");
			else
				snprintf(range, sizeof(range), "%d-%d", w * 10, w * 10 + 9);
			strbuf_addf(&out, "  %-7s %6d\n", range, hist[w]);
		}
		strbuf_addf(&out, "  worst: seed %llu, score %d (%s), %llu facts not preserved%s%s\n",
			    (unsigned long long)rows[worst].seed, rows[worst].score,
			    rows[worst].pass ? "pass" : "fail", rows[worst].lost,
			    strcmp(rows[worst].faults, "-") ? ", faults " : "",
			    strcmp(rows[worst].faults, "-") ? rows[worst].faults : "");
		strbuf_addf(&out, "  reproduce: %s\n", cmd.buf);
	}
	print_out(&out);
	rc = failed ? EXIT_FAIL : EXIT_PASS;
out:
	for (i = 0; i < nrows; i++)
		free(rows[i].faults);
	free(rows);
	strbuf_release(&out);
	strbuf_release(&cmd);
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct strbuf out = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drv = NULL;
	struct scorecard card;
	struct drill_req req = { 0 };
	int rc;

	if ((rc = parse_run(argc, argv, &o, 0)) != 0 || (rc = prepare(&o, &sc, &drv)) != 0 ||
	    (rc = check_faults(&o, sc, drv, 0)) != 0)
		goto out;
	if (o.swarm) {
		rc = swarm(&o, sc, drv);
		goto out;
	}
	req.fixarg = o.down ? o.down_file : o.fix;
	req.is_down = o.down;
	req.seed = o.seed;
	req.faults = &o.faults;
	if ((rc = drill_chaos(&o, sc, drv, &req, &card)) != 0)
		goto out;
	if (o.json)
		report_json_render(&card, &out, 0);
	else
		report_terminal_render(&card, &out, color_flags());
	print_out(&out);
	rc = card.pass ? EXIT_PASS : EXIT_FAIL;
	if (o.report && write_report(o.report, &card))
		rc = EXIT_ENGINE;
	scorecard_release(&card);
out:
	scenario_free(sc);
	run_opts_release(&o);
	strbuf_release(&out);
	return rc;
}

/*
** The down migration and the fix from the same seed, side by side: the
** essays' "verify the row counts match, spot-check values", done for the
** team.  Exit 0 when the fix passes.
*/
static int cmd_compare(int argc, char **argv)
{
	struct run_opts o;
	struct strbuf out = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drv = NULL;
	struct scorecard down, fix;
	struct drill_req req = { 0 };
	struct fault_list no_crash = { 0 };
	int rc, have_down = 0;

	if ((rc = parse_run(argc, argv, &o, 1)) != 0 || (rc = prepare(&o, &sc, &drv)) != 0 ||
	    (rc = check_faults(&o, sc, drv, 1)) != 0)
		goto out;
	/* The same faults for both, but crash points are the fix's question. */
	fault_list_without(&o.faults, FAULT_FIX_CRASH, &no_crash);
	req.fixarg = o.down_file;
	req.is_down = 1;
	req.seed = o.seed;
	req.faults = &no_crash;
	if ((rc = drill_chaos(&o, sc, drv, &req, &down)) != 0)
		goto out;
	have_down = 1;
	req.fixarg = o.fix;
	req.is_down = 0;
	req.faults = &o.faults;
	if ((rc = drill_chaos(&o, sc, drv, &req, &fix)) != 0)
		goto out;
	if (o.json) {
		strbuf_addstr(&out, "{\"down\":");
		report_json_render(&down, &out, 0);
		strbuf_rtrim(&out);
		strbuf_addstr(&out, ",\"fix\":");
		report_json_render(&fix, &out, 0);
		strbuf_rtrim(&out);
		strbuf_addstr(&out, "}\n");
	} else {
		report_compare_render(&down, &fix, &out, color_flags());
	}
	print_out(&out);
	rc = fix.pass ? EXIT_PASS : EXIT_FAIL;
	if (o.report) {
		struct strbuf page = STRBUF_INIT;
		report_compare_html_render(&down, &fix, &page, 0);
		if (write_file(o.report, &page))
			rc = EXIT_ENGINE;
		strbuf_release(&page);
	}
	scorecard_release(&fix);
out:
	if (have_down)
		scorecard_release(&down);
	scenario_free(sc);
	fault_list_release(&no_crash);
	run_opts_release(&o);
	strbuf_release(&out);
	return rc;
}

/*
** One '-- @expect' condition of a fix template: verdict=pass|fail, or a
** figure (lost, blocked_max, score) compared with a number.  Returns 1 when
** card meets it, 0 when not, -1 when the condition cannot be read.
*/
static int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got)
{
	static const char *const ops[] = { "<=", ">=", "!=", "=", "<", ">" };
	const char *op = NULL;
	char name[32];
	long long figure, want;
	size_t i, k;
	char *end;

	for (i = 0; cond[i] && !op; i++)
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strncmp(cond + i, ops[k], strlen(ops[k]))) {
				op = ops[k];
				break;
			}
	if (!op || i - 1 >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(i - 1), cond);
	if (!strcmp(name, "verdict")) {
		const char *v = cond + i - 1 + strlen(op);
		strbuf_addf(got, "verdict=%s", card->pass ? "pass" : "fail");
		if (strcmp(op, "=") || (strcmp(v, "pass") && strcmp(v, "fail")))
			return -1;
		return (strcmp(v, "pass") == 0) == card->pass;
	}
	if (!strcmp(name, "lost"))
		figure = (long long)(card->total.expected - card->total.n[OC_PRESERVED] + card->extra_phantoms);
	else if (!strcmp(name, "blocked_max"))
		figure = card->blocked_max;
	else if (!strcmp(name, "score"))
		figure = card->score;
	else
		return -1;
	want = strtoll(cond + i - 1 + strlen(op), &end, 10);
	if (*end)
		return -1;
	strbuf_addf(got, "%s=%lld", name, figure);
	switch (op[0]) {
	case '<': return op[1] ? figure <= want : figure < want;
	case '>': return op[1] ? figure >= want : figure > want;
	case '!': return figure != want;
	default: return figure == want;
	}
}

/* The '-- @expect' conditions in one file, space-separated, onto out. */
static int read_file_expects(const char *path, struct strbuf *out)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "--", 2))
			continue;
		p += 2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "@expect", 7) || (p[7] != ' ' && p[7] != '\t'))
			continue;
		p[strcspn(p, "\r\n")] = '\0';
		strbuf_addf(out, "%s ", p + 8);
	}
	fclose(f);
	return 0;
}

/*
** The '-- @expect' conditions of a fix template, space-separated, into out:
** of every file of its layout, so a tool's directory can hold them anywhere.
*/
static int read_expects(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct layout l;
	size_t i;

	if (layout_open(path, path, LAYOUT_UP, &l, err))
		return -1;
	for (i = 0; i < l.nr; i++)
		read_file_expects(l.v[i].path, out);
	layout_release(&l);
	strbuf_rtrim(out);
	return 0;
}

static void junit_case(struct strbuf *x, const char *suite, const char *name, const char *failure)
{
	strbuf_addstr(x, "  <testcase classname=\"");
	xml_add_escaped(x, suite);
	strbuf_addstr(x, "\" name=\"");
	xml_add_escaped(x, name);
	if (!failure) {
		strbuf_addstr(x, "\"/>\n");
		return;
	}
	strbuf_addstr(x, "\"><failure message=\"");
	xml_add_escaped(x, failure);
	strbuf_addstr(x, "\"/></testcase>\n");
}

/*
** mdrill check: every fix template (under scenarios/NAME/fixes, or the paths
** given) run against its scenario on each engine, its outcome set against
** the '-- @expect' lines in its header.  One line each, then exactly
** "N passed, N failed".  A template without expectations fails: it is
** reported, never silently passed.
*/
static int cmd_check(int argc, char **argv)
{
	struct run_opts o;
	struct strbuf junit = STRBUF_INIT, list = STRBUF_INIT, cases = STRBUF_INIT;
	char **files = NULL;
	size_t nfiles = 0, files_alloc = 0, i;
	const char *engines = "sqlite", *junit_path = NULL;
	int a, passed = 0, failed = 0, rc = 0;

	memset(&o, 0, sizeof(o));
	o.seed = 1;
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--engines") && a + 1 < argc) {
			engines = argv[++a];
		} else if (!strcmp(argv[a], "--db") && a + 1 < argc) {
			o.db = argv[++a];
		} else if (!strcmp(argv[a], "--junit") && a + 1 < argc) {
			junit_path = argv[++a];
		} else if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
			if (parse_u64(argv[++a], &o.seed))
				return error(EXIT_USAGE, "--seed needs a whole number, not '%s'", argv[a]);
		} else if (argv[a][0] == '-') {
			return error(EXIT_USAGE, "unknown option '%s'\nusage: mdrill check [PATH...] "
				     "[--engines sqlite,postgres] [--db TARGET] [--seed N] [--junit FILE]", argv[a]);
		} else {
			ALLOC_GROW(files, nfiles + 1, files_alloc);
			files[nfiles++] = argv[a];
		}
	}
	if (strstr(engines, "postgres") && (!o.db || db_driver_for(o.db) != &db_pg_driver))
		return error(EXIT_USAGE, "--engines postgres needs --db postgres://... (or postgres:)");
	/* Gather the templates: the paths given (files, or scenario directories), or all. */
	if (!nfiles) {
		char dirs[8][PATH_MAX];
		size_t nd = scenario_dirs(dirs, 8), k;
		for (k = 0; k < nd && !list.len; k++) {
			DIR *dd = opendir(dirs[k]);
			struct dirent *e;
			while (dd && (e = readdir(dd)) != NULL)
				if (e->d_name[0] != '.')
					strbuf_addf(&list, "%s/%s\n", dirs[k], e->d_name);
			if (dd)
				closedir(dd);
		}
	} else {
		for (i = 0; i < nfiles; i++)
			strbuf_addf(&list, "%s\n", files[i]);
	}
	{
		/* Expand directories to the .sql files of their fixes directory, sorted. */
		char *save = NULL, *item, **all = NULL;
		size_t nall = 0, all_alloc = 0;
		for (item = strtok_r(list.buf, "\n", &save); item; item = strtok_r(NULL, "\n", &save)) {
			struct strbuf fx = STRBUF_INIT;
			DIR *dd;
			struct dirent *e;
			size_t len = strlen(item);
			if ((len > 4 && !strcmp(item + len - 4, ".sql")) || strstr(item, "/fixes/")) {
				ALLOC_GROW(all, nall + 1, all_alloc);
				all[nall++] = xstrdup(item);
				continue;
			}
			strbuf_addf(&fx, "%s/fixes", item);
			if ((dd = opendir(fx.buf)) != NULL) {
				while ((e = readdir(dd)) != NULL) {
					size_t l = strlen(e->d_name);
					char *p = xmalloc(fx.len + l + 2);
					sprintf(p, "%s/%s", fx.buf, e->d_name);
					/* A template is a .sql file or a migration tool's directory. */
					if (e->d_name[0] != '.' && ((l > 4 && !strcmp(e->d_name + l - 4, ".sql")) || is_dir(p))) {
						ALLOC_GROW(all, nall + 1, all_alloc);
						all[nall++] = p;
					} else {
						free(p);
					}
				}
				closedir(dd);
			} else if (nfiles) {
				strbuf_release(&fx);
				rc = error(EXIT_USAGE, "'%s' is neither a fix template (.sql) nor a scenario "
					   "directory with fixes/", item);
				break;
			}
			strbuf_release(&fx);
		}
		qsort(all, nall, sizeof(*all), cmp_str);
		free(files);
		files = all;
		nfiles = rc ? 0 : nall;
		if (rc) {
			for (i = 0; i < nall; i++)
				free(all[i]);
			nall = 0;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (i = 0; i < nfiles && !rc; i++) {
		struct strbuf expects = STRBUF_INIT, scen = STRBUF_INIT, err = STRBUF_INIT;
		const char *slash = strstr(files[i], "/fixes/");
		struct scenario *sc = NULL;
		const char *e = engines;

		strbuf_addf(&scen, "%.*s/scenario.drill", slash ? (int)(slash - files[i]) : 0, files[i]);
		if (read_expects(files[i], &expects, &err)) {
			rc = error(EXIT_USAGE, "%s", err.buf);
			goto next;
		}
		if (!slash || scenario_load(scen.buf, NULL, 0, &sc, &err)) {
			rc = error(EXIT_USAGE, "%s: %s", files[i], slash ? err.buf : "a template lives in SCENARIO/fixes/");
			goto next;
		}
		while (*e && !rc) {
			size_t el = strcspn(e, ",");
			const struct db_driver *drv = !strncmp(e, "postgres", el) && el == 8 ? &db_pg_driver
						      : !strncmp(e, "sqlite", el) && el == 6 ? &db_sqlite_driver : NULL;
			struct scorecard card;
			struct strbuf got = STRBUF_INIT, why = STRBUF_INIT, name = STRBUF_INIT;
			char *save = NULL, *cond, *conds;
			int ok = 1;

			if (!drv) {
				rc = error(EXIT_USAGE, "unknown engine '%.*s' (expected sqlite or postgres)", (int)el, e);
				break;
			}
			strbuf_addf(&name, "%s on %s", files[i], drv->name);
			if (!expects.len) {
				ok = 0;
				strbuf_addstr(&why, "no '-- @expect' lines: nothing to check it against");
			} else {
				const char *fix = strstr(files[i], "/fixes/") + 1;
				struct drill_req req = { 0 };
				int r;
				req.fixarg = fix;
				req.seed = o.seed;
				r = drill_one(&o, sc, drv, &req, &card);
				if (r) {
					rc = r == EXIT_INTR ? r : 0;
					ok = 0;
					strbuf_addf(&why, "the drill could not run (exit %d)", r);
				} else {
					conds = xstrdup(expects.buf);
					for (cond = strtok_r(conds, " ", &save); cond; cond = strtok_r(NULL, " ", &save)) {
						int m;
						strbuf_addstr(&got, got.len ? " " : "");
						m = expect_met(cond, &card, &got);
						if (m < 0) {
							rc = error(EXIT_USAGE, "%s: cannot read '-- @expect %s' (expected "
								   "verdict=pass|fail, lost, blocked_max or score with "
								   "=, !=, <, <=, >, >= and a number)", files[i], cond);
							break;
						}
						if (!m) {
							ok = 0;
							strbuf_addf(&why, "%sexpected %s", why.len ? "; " : "", cond);
						}
					}
					free(conds);
					if (!ok && card.nreasons)
						strbuf_addf(&why, " (%s)", card.reasons[0]);
					scorecard_release(&card);
				}
			}
			if (!rc) {
				printf("%-4s %s: %s%s%s\n", ok ? "ok" : "FAIL", name.buf, got.buf,
				       ok || !got.len ? "" : "; ", ok ? "" : why.buf);
				fflush(stdout);
				passed += ok;
				failed += !ok;
				junit_case(&cases, sc->name, name.buf, ok ? NULL : why.buf);
			}
			strbuf_release(&got);
			strbuf_release(&why);
			strbuf_release(&name);
			e += el + (e[el] == ',');
		}
next:
		scenario_free(sc);
		strbuf_release(&expects);
		strbuf_release(&scen);
		strbuf_release(&err);
	}
	if (!rc) {
		printf("%d passed, %d failed\n", passed, failed);
		if (junit_path) {
			strbuf_addf(&junit, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
					    "<testsuite name=\"mdrill check\" tests=\"%d\" failures=\"%d\">\n%s"
					    "</testsuite>\n</testsuites>\n", passed + failed, failed, cases.buf);
			rc = write_file(junit_path, &junit);
		}
		if (!rc)
			rc = failed ? EXIT_FAIL : EXIT_PASS;
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	strbuf_release(&junit);
	strbuf_release(&list);
	strbuf_release(&cases);
	return rc;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "list", cmd_list, "mdrill list                      one line per scenario" },
	{ "show", cmd_show, "mdrill show SCENARIO             story, schema, migrations, timeline, fixes" },
	{ "run", cmd_run, "mdrill run SCENARIO (--fix FILE | --down [FILE]) [--db TARGET] [--concurrent]\n"
			  "                                 [--seed N | --seeds A..B] [--faults LIST]\n"
			  "                                 [--set NAME=VALUE]... [--flag-off NAME@TICK]...\n"
			  "                                 [--json] [--report FILE.html|.md|.json] [--csv DIR] [--keep]\n"
			  "                                 TARGET: sqlite (default), postgres://USER@HOST:PORT/DB,\n"
			  "                                 or postgres: for the PG* variables" },
	{ "compare", cmd_compare, "mdrill compare SCENARIO --fix FILE [--down FILE] [run's options]\n"
				  "                                 the down migration and the fix, same seed, side by side" },
	{ "check", cmd_check, "mdrill check [PATH...] [--engines sqlite,postgres] [--db TARGET] [--seed N] [--junit FILE]\n"
			      "                                 every fix template against its '-- @expect' lines" },
	{ "help", cmd_help, "mdrill help                      this text" },
};

static int cmd_help(int argc, char **argv)
{
	size_t i;
	(void)argc;
	(void)argv;
	printf("mdrill: practise rolling forward from a bad database migration\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %s\n", commands[i].usage);
	printf("\nexit status: 0 pass, 1 fail, 2 bad input or usage, 3 the drill could not run, "
	       "130 interrupted\n");
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;
	if (argc < 2) {
		cmd_help(argc, argv);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc, argv);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return error(EXIT_USAGE, "unknown command '%s' (try 'mdrill help')", argv[1]);
}
