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
#include <unistd.h>

#include "reports/report.h"
#include "scoring/oracle.h"
#include "scoring/probe.h"
#include "scoring/scorecard.h"
#include "sim/alloc.h"
#include "sim/db.h"
#include "sim/layout.h"
#include "sim/scenario.h"
#include "sim/scheduler.h"
#include "sim/strbuf.h"

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
		}
	}
	{
		struct strbuf fx = STRBUF_INIT;
		DIR *d;
		strbuf_addf(&fx, "%s/fixes", sc->dir);
		d = opendir(fx.buf);
		if (d) {
			struct dirent *e;
			char **names = NULL;
			size_t n = 0, alloc = 0;
			while ((e = readdir(d)) != NULL)
				if (e->d_name[0] != '.') {
					ALLOC_GROW(names, n + 1, alloc);
					names[n++] = xstrdup(e->d_name);
				}
			closedir(d);
			qsort(names, n, sizeof(*names), cmp_str);
			printf("\nfix templates:\n");
			for (i = 0; i < n; i++) {
				printf("  %s/%s\n", fx.buf, names[i]);
				free(names[i]);
			}
			free(names);
		}
		strbuf_release(&fx);
	}
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

static const char run_usage[] =
	"usage: mdrill run SCENARIO (--fix FILE.sql | --down) [--db TARGET] [--concurrent] "
	"[--seed N] [--set NAME=VALUE]... [--flag-off NAME@TICK]... [--json] [--report FILE.html|.md|.json] "
	"[--csv DIR] [--keep]";
static const char compare_usage[] =
	"usage: mdrill compare SCENARIO --fix FILE.sql [--db TARGET] [--concurrent] "
	"[--seed N] [--set NAME=VALUE]... [--flag-off NAME@TICK]... [--json] [--report FILE.html]";

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
		     !strncmp(a, "--report=", 9) || !strncmp(a, "--csv=", 6)))
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
static int drill_one(const struct run_opts *o, const struct scenario *sc,
		     const struct db_driver *drv, const char *fixarg, int is_down,
		     struct scorecard *card)
{
	struct strbuf err = STRBUF_INIT, fixpath = STRBUF_INIT, kept = STRBUF_INIT;
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
	if (!fixarg) {
		int m = scenario_migration(sc, "down");
		const struct sql_variant *v = m >= 0 ? sql_section_pick(&sc->migrations[m].sql, drv->dialect) : NULL;
		if (!v) {
			rc = error(EXIT_USAGE, "%s: the scenario has no '-- @migration down' for %s",
				   sc->path, drv->name);
			goto out;
		}
		sql_split(v->text, v->line, &fix);
	} else {
		if ((rc = find_fix(fixarg, sc, &fixpath)) != 0)
			goto out;
		if (layout_load(fixpath.buf, fixarg, is_down ? LAYOUT_DOWN : LAYOUT_UP, drv->dialect,
				&fix, &err)) {
			rc = error(EXIT_USAGE, "%s", err.buf);
			goto out;
		}
	}

	memset(&dopts, 0, sizeof(dopts));
	dopts.drv = drv;
	dopts.target = drv == &db_sqlite_driver ? NULL : o->db;
	dopts.seed = o->seed;
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
	strbuf_release(&fixpath);
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

static int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct strbuf out = STRBUF_INIT;
	struct scenario *sc = NULL;
	const struct db_driver *drv = NULL;
	struct scorecard card;
	int rc;

	if ((rc = parse_run(argc, argv, &o, 0)) != 0 || (rc = prepare(&o, &sc, &drv)) != 0 ||
	    (rc = drill_one(&o, sc, drv, o.down ? o.down_file : o.fix, o.down, &card)) != 0)
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
	free(o.sets);
	free(o.flips);
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
	int rc, have_down = 0;

	if ((rc = parse_run(argc, argv, &o, 1)) != 0 || (rc = prepare(&o, &sc, &drv)) != 0 ||
	    (rc = drill_one(&o, sc, drv, o.down_file, 1, &down)) != 0)
		goto out;
	have_down = 1;
	if ((rc = drill_one(&o, sc, drv, o.fix, 0, &fix)) != 0)
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
	free(o.sets);
	free(o.flips);
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
				int r = drill_one(&o, sc, drv, fix, 0, &card);
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
	{ "run", cmd_run, "mdrill run SCENARIO (--fix FILE.sql | --down) [--db TARGET] [--concurrent]\n"
			  "                                 [--seed N] [--set NAME=VALUE]... [--flag-off NAME@TICK]...\n"
			  "                                 [--json] [--report FILE.html|.md|.json] [--csv DIR] [--keep]\n"
			  "                                 TARGET: sqlite (default), postgres://USER@HOST:PORT/DB,\n"
			  "                                 or postgres: for the PG* variables" },
	{ "compare", cmd_compare, "mdrill compare SCENARIO --fix FILE.sql [run's options]\n"
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
