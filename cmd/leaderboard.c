/*
** mdrill leaderboard: a workshop's live drill records ranked, in the
** terminal, or as Markdown or HTML for the projector; with --live, the
** workshop board: the drills under some directories watched while they
** run and after, every team on one page that reloads itself.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../scoring/record.h"
#include "../sim/base/alloc.h"
#include "cli.h"

static int leaderboard_run(int argc, char **argv);

enum { LB_REPORT, LB_LIVE, LB_ONCE };

static const struct cli_option leaderboard_options[] = {
	{ LB_REPORT, "--report", "FILE", 0, "also write the board as FILE.md or FILE.html" },
	{ LB_LIVE, "--live", "FILE.html", 0,
	  "the workshop board: watch the drills whose --out is under each DIR (DIR itself or a directory in "
	  "it), running and ended, and rewrite FILE.html every second, a page that reloads itself: each "
	  "team's clock, facts lost and at risk, recovery, and the ranking of those that ended; until Ctrl-C" },
	{ LB_ONCE, "--once", NULL, 0, "with --live: write the board once and exit" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_leaderboard = {
	.name = "leaderboard",
	.synopsis = "RECORD.json... [--report FILE.md|.html] | --live FILE.html [--once] DIR...",
	.summary = "The teams' live drill records ranked: a pass first, then the share of facts kept, the "
		   "time to recovery, and how long writers waited on the fixes. With --live, the workshop "
		   "board: every team's drill under the directories given, live and then ranked, on one page "
		   "for the projector.",
	.options = leaderboard_options,
	.run = leaderboard_run,
	.example =
		"  # each team: mdrill drill SCENARIO --team NAME --out workshop/NAME\n"
		"  mdrill leaderboard --live board.html workshop    # the projector shows board.html\n",
};

struct lb_opts {
	const char **records;
	size_t n, alloc;
	const char *report, *live;
	int once;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct lb_opts *o = ctx;
	const char *dot;
	(void)next;
	if (!opt) {
		ALLOC_GROW(o->records, o->n + 1, o->alloc);
		o->records[o->n++] = val;
		return 0;
	}
	if (opt->id == LB_ONCE) {
		o->once = 1;
		return 0;
	}
	if (opt->id == LB_LIVE) {
		o->live = val;
		return 0;
	}
	if (!(dot = strrchr(val, '.')) || (strcmp(dot, ".md") && strcmp(dot, ".html")))
		return cli_error(EXIT_USAGE, "--report needs FILE.md or FILE.html, not '%s'", val);
	o->report = val;
	return 0;
}

/* The drills the board watches, as last read. */
struct board {
	struct board_team *v;
	struct live_record *recs;
	struct live_status *sts;
	char **dirs;
	size_t n, alloc;
};

static void board_release(struct board *b)
{
	size_t i;
	for (i = 0; i < b->n; i++) {
		if (b->v[i].rec)
			record_release(&b->recs[i]);
		record_status_release(&b->sts[i]);
		free(b->dirs[i]);
	}
	free(b->v);
	free(b->recs);
	free(b->sts);
	free(b->dirs);
	memset(b, 0, sizeof(*b));
}

/*
** The drill whose --out is dir, if it is one: ended when its record can
** be read, running when only its status can.  What cannot be read yet (a
** drill writing it this moment) is left for the next look.
*/
static void board_add(struct board *b, const char *dir)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct stat st;
	size_t i;

	if (b->n == b->alloc) {
		b->alloc = b->alloc ? b->alloc * 2 : 8;
		b->v = xrealloc(b->v, b->alloc * sizeof(*b->v));
		b->recs = xrealloc(b->recs, b->alloc * sizeof(*b->recs));
		b->sts = xrealloc(b->sts, b->alloc * sizeof(*b->sts));
		b->dirs = xrealloc(b->dirs, b->alloc * sizeof(*b->dirs));
	}
	i = b->n;
	memset(&b->v[i], 0, sizeof(b->v[i]));
	memset(&b->recs[i], 0, sizeof(b->recs[i]));
	memset(&b->sts[i], 0, sizeof(b->sts[i]));
	strbuf_addf(&path, "%s/status.json", dir);
	if (!stat(path.buf, &st) && !record_status_read(path.buf, &b->sts[i], &err)) {
		b->v[i].st = &b->sts[i];
		b->v[i].quiet_s = difftime(time(NULL), st.st_mtime);
	} else {
		record_status_release(&b->sts[i]);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/record.json", dir);
	if (cli_is_file(path.buf)) {
		if (!record_read(path.buf, &b->recs[i], &err))
			b->v[i].rec = &b->recs[i];
		else
			record_release(&b->recs[i]);
	}
	if (b->v[i].rec || b->v[i].st) {
		b->dirs[i] = xstrdup(dir);
		b->v[i].dir = b->dirs[i];
		b->n++;
	}
	strbuf_release(&path);
	strbuf_release(&err);
}

/* Every drill under dirs: each DIR itself, and each directory in it, by name. */
static void board_scan(struct board *b, const char *const *dirs, size_t ndirs)
{
	size_t i, k;
	for (i = 0; i < ndirs; i++) {
		struct strbuf sub = STRBUF_INIT;
		char **names = NULL;
		size_t n = 0, alloc = 0;
		struct dirent *e;
		DIR *d;
		board_add(b, dirs[i]);
		if (!(d = opendir(dirs[i])))
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			strbuf_reset(&sub);
			strbuf_addf(&sub, "%s/%s", dirs[i], e->d_name);
			if (!cli_is_dir(sub.buf))
				continue;
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = strbuf_detach(&sub);
		}
		closedir(d);
		if (n > 1)
			qsort(names, n, sizeof(*names), cli_cmp_str);
		for (k = 0; k < n; k++) {
			board_add(b, names[k]);
			free(names[k]);
		}
		free(names);
		strbuf_release(&sub);
	}
}

/* What the board looks at, for its page: "workshop", or "a, b". */
static void board_what(const char *const *dirs, size_t n, struct strbuf *out)
{
	size_t i;
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", dirs[i]);
}

/* --live: the board, rewritten every second until Ctrl-C (or once). */
static int board_run(struct lb_opts *o)
{
	struct strbuf out = STRBUF_INIT, what = STRBUF_INIT;
	const struct live_record **ended = NULL;
	struct board b;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < o->n; i++)
		if (!cli_is_dir(o->records[i]))
			return cli_error(EXIT_USAGE, "--live watches directories: '%s' is none (give the "
					 "directory the teams' --out directories are in)", o->records[i]);
	memset(&b, 0, sizeof(b));
	board_what(o->records, o->n, &what);
	cli_catch_signals();
	if (!o->once)
		fprintf(stderr, "mdrill: the workshop board: %s, rewritten every second from the drills under %s "
			"(Ctrl-C stops it)\n", o->live, what.buf);
	for (;;) {
		board_release(&b);
		board_scan(&b, o->records, o->n);
		strbuf_reset(&out);
		report_board_html_render(b.v, b.n, what.buf, &out);
		if ((rc = cli_write_file_atomically(o->live, &out)) != 0 || o->once || cli_stop)
			break;
		sleep(1);
	}
	/* The ranking so far, in the terminal. */
	ended = xcalloc(b.n + 1, sizeof(*ended));
	for (i = 0; i < b.n; i++)
		if (b.v[i].rec)
			ended[n++] = b.v[i].rec;
	strbuf_reset(&out);
	report_leaderboard_render(ended, n, "terminal", &out);
	cli_print(&out);
	fprintf(stderr, "mdrill: wrote %s: %zu drills, %zu ended\n", o->live, b.n, n);
	free(ended);
	board_release(&b);
	strbuf_release(&out);
	strbuf_release(&what);
	return rc;
}

static int leaderboard_run(int argc, char **argv)
{
	struct lb_opts o;
	struct live_record *recs = NULL;
	const struct live_record **ptrs = NULL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	size_t i, nread = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_parse(&cmd_leaderboard, argc, argv, take, &o)) != 0) {
		free(o.records);
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	}
	if (o.once && !o.live) {
		free(o.records);
		return cli_usage(&cmd_leaderboard, "--once goes with --live");
	}
	if (!o.n) {
		free(o.records);
		return cli_usage(&cmd_leaderboard, o.live ? "which directories? (the one the teams' --out are in)"
							  : "which records? (each team's record.json)");
	}
	if (o.live) {
		rc = o.report ? cli_usage(&cmd_leaderboard, "--report goes with records, --live with directories")
			      : board_run(&o);
		free(o.records);
		return rc;
	}
	recs = xcalloc(o.n, sizeof(*recs));
	ptrs = xcalloc(o.n, sizeof(*ptrs));
	for (i = 0; i < o.n && !rc; i++, nread++) {
		if (record_read(o.records[i], &recs[i], &err))
			rc = cli_error(EXIT_USAGE, "%s", err.buf);
		ptrs[i] = &recs[i];
	}
	if (!rc) {
		report_leaderboard_render(ptrs, o.n, "terminal", &out);
		cli_print(&out);
		if (o.report) {
			strbuf_reset(&out);
			report_leaderboard_render(ptrs, o.n, strrchr(o.report, '.') + 1, &out);
			rc = cli_write_file(o.report, &out);
			if (!rc)
				fprintf(stderr, "mdrill: wrote %s\n", o.report);
		}
	}
	for (i = 0; i < nread; i++)
		record_release(&recs[i]);
	free(recs);
	free(ptrs);
	free(o.records);
	strbuf_release(&err);
	strbuf_release(&out);
	return rc;
}
