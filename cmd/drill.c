/*
** mdrill drill: the quarterly drill.  The scenario runs paced to the wall
** clock; the bad migration lands as written and nobody applies a fix but
** the team, from another terminal, through the control socket in the
** drill's private directory.  A dashboard on the terminal (one plain line
** a second without one), an application log to tail, a page for a
** projector; at the end a cool-down, the scorecard, the drill's figures
** and a record that replays to the same verdict.
**
** SPDX-License-Identifier: MIT
*/
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <limits.h>

#include "../reports/report.h"
#include "../scoring/live.h"
#include "../sim/base/alloc.h"
#include "../sim/db/owner.h"
#include "cli.h"
#include "drillopts.h"
#include "live.h"

static int drill_run_cmd(int argc, char **argv);

/* After the shared options' ids, which share the table. */
enum {
	DR_DB = OPT_END_, DR_SPEED, DR_MINUTES, DR_TEAM, DR_OUT, DR_KEEP, DR_LOG, DR_LIVE, DR_SURPRISE, DR_SEED, DR_SET,
	DR_COOLDOWN, DR_DRILL,
};

static const struct cli_option drill_options[] = {
	{ DR_DB, "--db", "TARGET", 0, "the engine, as run takes it: sqlite (the default) or a PostgreSQL server" },
	{ DR_SPEED, "--speed", "TICKS_PER_S", 0, "the pace: ticks of the drill per wall second (default 100)" },
	{ DR_MINUTES, "--minutes", "N", 0,
	  "the time limit (default 30), shown beside the time elapsed, with a warning in its last minute; the "
	  "drill then ends as if the team had ended it, its end marked 'the time ran out' (and interrupted)" },
	{ DR_TEAM, "--team", "NAME", 0, "the team's name, in the record and on the leaderboard" },
	{ DR_OUT, "--out", "DIR", 0,
	  "where the record (record.json), the HTML report and the Markdown go at the end, and status.json "
	  "(what 'drill status --json' says) every second meanwhile, for 'leaderboard --live'; made at the "
	  "start (default drill-TEAM-or-SCENARIO-YYYYmmdd-HHMMSS)" },
	{ DR_KEEP, "--keep", NULL, 0, "keep the disposable database at the end and say where it is" },
	{ DR_LOG, "--log", "FILE", 0,
	  "the application log: a line per failed transaction (time, tick, app version, transaction, "
	  "error), to tail and grep" },
	{ DR_LIVE, "--live", "FILE.html", 0,
	  "a page for a projector, rewritten every second (it reloads itself); after the end it shows the "
	  "verdict, the score, the figures and a link to the report, and reloads no more" },
	{ DR_SURPRISE, "--surprise", "DIR", 0,
	  "draw the scenario from DIR's scenarios with the seed, and hide its name until the end" },
	{ DR_SEED, "--seed", "N", 0, "the PRNG seed (default 1)" },
	{ DR_SET, "--set", "NAME=VALUE", CLI_REPEAT, "override a parameter of the scenario (repeatable)" },
	{ DR_COOLDOWN, "--cooldown", "TICKS", 0,
	  "after 'end', the traffic runs this many more ticks before the probes (default 1000), so that "
	  "failures after the last fix show" },
	OPTION_STATEMENT_TIMEOUT, OPTION_ALLOW_SUPERUSER,
	{ DR_DRILL, "--drill", "PATH", 0,
	  "the team's commands: which drill, when several run (its directory or control socket)" },
	{ 0, NULL, NULL, 0, NULL },
};

const struct cli_command cmd_drill = {
	.name = "drill",
	.synopsis = "SCENARIO [--db TARGET] [--speed TICKS_PER_S] [--minutes N] [--team NAME] [--out DIR] "
		    "[--log FILE] [--live FILE.html] [--surprise DIR] [--seed N] [--set NAME=VALUE]... "
		    "[--cooldown TICKS] [--keep] [--statement-timeout DURATION] [--allow-superuser] | apply FILE|DIR | flag NAME off|on | down | "
		    "status [--json] | end [--drill PATH]",
	.summary = "The quarterly drill: the scenario runs in real time and the bad migration lands; the "
		   "team watches the dashboard (the clock and the time left, the incident and the recovery, "
		   "facts lost and by what, facts at risk, rates, errors), reads the log, looks at the "
		   "database, and from another terminal applies its fix ('mdrill drill apply FILE'; a fix "
		   "can read backup.TABLE, each table as it was before the bad migration), flips a flag, is "
		   "tempted by the down migration, and ends the drill. Then the scorecard, the time to "
		   "recovery, every loss laid at what caused it, and a record that 'mdrill replay' runs again.",
	.options = drill_options,
	.run = drill_run_cmd,
	.subcommands = drillctl_commands,
	.example =
		"  # terminal 1: the incident, a dashboard redrawn every second\n"
		"  mdrill drill phone-not-null --team blue --minutes 10 --log app.log --live wall.html\n"
		"  # terminal 2: the team\n"
		"  tail -f app.log                  # what fails, and why\n"
		"  sqlite3 DRILL.db                 # the path the drill printed: look at the tables\n"
		"  mdrill drill status              # the dashboard's figures once (--json for scripts)\n"
		"  mdrill drill apply my-fix.sql    # exit 0 applied, 1 failed and nothing of it stays\n"
		"  mdrill drill end                 # cool-down, probes, the verdict\n",
};

struct drill_args {
	const char *scenario, *db, *team, *out, *log, *live, *surprise;
	double speed, minutes;
	int64_t cooldown;
	uint64_t seed;
	int keep;
	long statement_timeout_ms;   /* -1: the default */
	int allow_superuser;
	struct param_set *sets;
	size_t nsets, sets_alloc;
};

/* A team's command holding its answer until its migration is done, or the drill is. */
struct waiter {
	int fd;
	long action;        /* the action it waits for, or -1: the end */
};

struct session {
	struct drill_args *a;
	struct scenario *sc;
	const struct db_driver *drv;
	struct live live;
	int started;
	char *dir;                     /* the private directory */
	char *socket_path;
	int listen_fd;
	struct waiter *waiters;
	size_t nwaiters, waiters_alloc;
	int end_requested, interrupted;
	enum live_end_how end_how;
	FILE *log;
	size_t logged_tx;
	double t0;
	char *name_shown;              /* the scenario, or "(a surprise)" */
	char *database;                /* how to reach it */
	char *out;                     /* --out, or the directory made for it */
	char *report_link;             /* the end: the report as the --live page links to it */
	int ending;                    /* the cool-down and the probes run */
	char started_at[32];
	int tty;
	unsigned color;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct drill_args *a = ctx;
	char *end, *eq;
	(void)next;
	if (!opt) {
		if (a->scenario)
			return cli_usage(&cmd_drill, "unexpected argument '%s'", val);
		a->scenario = val;
		return 0;
	}
	switch (opt->id) {
	case DR_DB: a->db = val; break;
	case DR_TEAM: a->team = val; break;
	case DR_OUT: a->out = val; break;
	case DR_LOG: a->log = val; break;
	case DR_LIVE: a->live = val; break;
	case DR_SURPRISE: a->surprise = val; break;
	case DR_KEEP: a->keep = 1; break;
	case OPT_ALLOW_SUPERUSER: a->allow_superuser = 1; break;
	case OPT_STATEMENT_TIMEOUT:
		if (drillopts_parse_duration(val, &a->statement_timeout_ms))
			return cli_error(EXIT_USAGE, "--statement-timeout needs a duration such as 500ms, 30s or "
					 "5m (0 for none), not '%s'", val);
		break;
	case DR_DRILL:
		return cli_usage(&cmd_drill, "--drill goes with the team's commands (apply, flag, down, status, end)");
	case DR_SPEED:
		a->speed = strtod(val, &end);
		if (*end || !(a->speed >= 1 && a->speed <= 1000000))
			return cli_error(EXIT_USAGE, "--speed needs ticks per second from 1 to 1000000, not '%s'", val);
		break;
	case DR_MINUTES:
		a->minutes = strtod(val, &end);
		if (*end || !(a->minutes > 0 && a->minutes <= 24 * 60))
			return cli_error(EXIT_USAGE, "--minutes needs minutes, more than 0 and at most a day, not '%s'", val);
		break;
	case DR_COOLDOWN: {
		uint64_t c;
		if (cli_parse_u64(val, &c) || c > 100000000)
			return cli_error(EXIT_USAGE, "--cooldown needs ticks, a whole number, not '%s'", val);
		a->cooldown = (int64_t)c;
		break;
	}
	case DR_SEED:
		if (cli_parse_u64(val, &a->seed))
			return cli_error(EXIT_USAGE, "--seed needs a whole number, not '%s'", val);
		break;
	case DR_SET:
		if (!(eq = strchr(val, '=')) || eq == val)
			return cli_error(EXIT_USAGE, "--set needs NAME=VALUE, not '%s'", val);
		ALLOC_GROW(a->sets, a->nsets + 1, a->sets_alloc);
		*eq = '\0';
		a->sets[a->nsets].name = val;
		a->sets[a->nsets++].value = eq + 1;
		break;
	}
	return 0;
}

/* --surprise DIR: the seed draws one of the scenarios under DIR, by name order. */
static int draw_surprise(const char *dir, uint64_t seed, struct strbuf *path)
{
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return cli_error(EXIT_USAGE, "--surprise needs a directory of scenarios, not '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		strbuf_reset(path);
		strbuf_addf(path, "%s/%s/scenario.drill", dir, e->d_name);
		if (!cli_is_file(path->buf))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	strbuf_reset(path);
	if (!n)
		return cli_error(EXIT_USAGE, "--surprise: no scenario under '%s' (expected DIR/NAME/scenario.drill)", dir);
	qsort(names, n, sizeof(*names), cli_cmp_str);
	strbuf_addf(path, "%s/%s/scenario.drill", dir, names[seed % n]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

/* The private directory and its control socket, listening. */
static int open_control(struct session *s)
{
	struct strbuf dir = STRBUF_INIT;
	struct sockaddr_un addr;
	FILE *f;

	strbuf_addf(&dir, "%s/" LIVE_DIR_PREFIX "XXXXXX", live_tmpdir());
	if (!mkdtemp(dir.buf)) {
		int rc = cli_error(EXIT_ENGINE, "cannot make the drill's directory '%s': %s", dir.buf, strerror(errno));
		strbuf_release(&dir);
		return rc;
	}
	s->dir = strbuf_detach(&dir);
	/* Marked as this process's: a drill killed outright leaves it to 'mdrill gc'. */
	if (owner_mark_dir(s->dir))
		return cli_error(EXIT_ENGINE, "cannot mark the drill's directory '%s': %s", s->dir, strerror(errno));
	strbuf_addf(&dir, "%s/" LIVE_SOCKET, s->dir);
	s->socket_path = strbuf_detach(&dir);
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(s->socket_path) >= sizeof(addr.sun_path))
		return cli_error(EXIT_ENGINE, "the control socket's path is too long: set TMPDIR to a shorter directory");
	memcpy(addr.sun_path, s->socket_path, strlen(s->socket_path) + 1);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(s->listen_fd, 8) || fcntl(s->listen_fd, F_SETFL, O_NONBLOCK))
		return cli_error(EXIT_ENGINE, "cannot open the control socket '%s': %s", s->socket_path, strerror(errno));
	/* Who runs here, for the team's commands and for anyone who finds the directory. */
	strbuf_addf(&dir, "%s/drill.info", s->dir);
	if ((f = fopen(dir.buf, "w")) != NULL) {
		fprintf(f, "pid=%ld\nscenario=%s\nteam=%s\nstarted=%s\n", (long)getpid(), s->name_shown,
			s->a->team ? s->a->team : "", s->started_at);
		fclose(f);
	}
	strbuf_release(&dir);
	return 0;
}

static void close_control(struct session *s)
{
	size_t i;
	for (i = 0; i < s->nwaiters; i++)
		close(s->waiters[i].fd);
	s->nwaiters = 0;
	if (s->listen_fd > 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	if (s->dir)
		owner_remove_dir(s->dir);
}

/* Write the answer and its exit status to a team's command, and hang up. */
static void answer(int fd, int status, const char *text)
{
	struct strbuf out = STRBUF_INIT;
	ssize_t w;
	size_t done = 0;
	strbuf_addf(&out, "%s%sexit %d\n", text, *text && text[strlen(text) - 1] != '\n' ? "\n" : "", status);
	while (done < out.len && (w = write(fd, out.buf + done, out.len - done)) > 0)
		done += (size_t)w;
	close(fd);
	strbuf_release(&out);
}

static double wall(const struct session *s)
{
	return now_s() - s->t0;
}

/* What the dashboard renders from. */
static void dashboard_of(struct session *s, struct dashboard *db)
{
	memset(db, 0, sizeof(*db));
	db->live = &s->live;
	db->scenario = s->live.judged ? s->sc->name : s->name_shown;
	db->team = s->a->team;
	db->database = s->database;
	db->control = s->socket_path;
	db->wall = s->t0 > 0 ? wall(s) : 0;
	db->speed = s->a->speed;
	db->limit = s->a->minutes * 60;
	db->ending = s->ending;
	db->out = s->out;
	db->report = s->report_link;
}

/* The dashboard's figures once, as 'status' gives them: the screen's text, or JSON. */
static void status_text(struct session *s, int json, struct strbuf *out)
{
	struct dashboard db;
	dashboard_of(s, &db);
	if (json)
		report_dashboard_json_render(&db, out);
	else
		report_dashboard_render(&db, out, 0);
}

/* One request from a team's command. */
static void handle(struct session *s, int fd, char *req)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	char *fields[4] = { NULL, NULL, NULL, NULL }, *save = NULL, *f;
	int n = 0;

	for (f = strtok_r(req, "\t", &save); f && n < 4; f = strtok_r(NULL, "\t", &save))
		fields[n++] = f;
	if (!fields[0]) {
		answer(fd, EXIT_USAGE, "mdrill: an empty request");
	} else if (s->end_requested) {
		answer(fd, EXIT_USAGE, "mdrill: the drill is ending: it takes no more commands");
	} else if (!strcmp(fields[0], "status")) {
		status_text(s, n > 1 && !strcmp(fields[1], "json"), &text);
		answer(fd, EXIT_PASS, text.buf);
	} else if (!strcmp(fields[0], "flag") && n == 3 && (!strcmp(fields[2], "on") || !strcmp(fields[2], "off"))) {
		if (live_flag(&s->live, fields[1], !strcmp(fields[2], "on"), wall(s), &err)) {
			strbuf_addf(&text, "mdrill: %s", err.buf);
			answer(fd, EXIT_USAGE, text.buf);
		} else {
			strbuf_addf(&text, "flag %s %s at tick %lld", fields[1], fields[2], (long long)live_tick(&s->live));
			answer(fd, EXIT_PASS, text.buf);
		}
	} else if ((!strcmp(fields[0], "apply") && n == 3) || !strcmp(fields[0], "down")) {
		struct sql_script script = { 0 };
		long i;
		if (!strcmp(fields[0], "down")) {
			i = live_down(&s->live, wall(s), &err);
		} else if (pipeline_load_fix(s->sc, s->drv, fields[1], 0, &script, &err) ||
			   pipeline_fix_text(s->sc, fields[1], 0, &text, &err)) {
			i = -1;
		} else {
			i = (long)live_apply(&s->live, fields[2], text.buf, &script, LIVE_TX_AUTO, wall(s));
		}
		sql_script_release(&script);
		if (i < 0) {
			strbuf_reset(&text);
			strbuf_addf(&text, "mdrill: %s", err.buf);
			answer(fd, EXIT_USAGE, text.buf);
		} else {
			ALLOC_GROW(s->waiters, s->nwaiters + 1, s->waiters_alloc);
			s->waiters[s->nwaiters].fd = fd;
			s->waiters[s->nwaiters++].action = i;
		}
	} else if (!strcmp(fields[0], "end")) {
		s->end_requested = 1;
		ALLOC_GROW(s->waiters, s->nwaiters + 1, s->waiters_alloc);
		s->waiters[s->nwaiters].fd = fd;
		s->waiters[s->nwaiters++].action = -1;
	} else {
		answer(fd, EXIT_USAGE, "mdrill: expected apply FILE|DIR, flag NAME off|on, down, status or end");
	}
	strbuf_release(&err);
	strbuf_release(&text);
}

/* Answer the team's commands whose migration is done. */
static void answer_done(struct session *s)
{
	size_t i = 0;
	while (i < s->nwaiters) {
		struct waiter *w = &s->waiters[i];
		const struct mig_report *r;
		struct strbuf text = STRBUF_INIT;
		enum live_outcome o;
		if (w->action < 0) {
			i++;
			continue;
		}
		o = live_outcome(&s->live, (size_t)w->action, &r);
		if (o == LIVE_RUNNING) {
			i++;
			continue;
		}
		if (o == LIVE_APPLIED) {
			strbuf_addf(&text, "applied: %zu statements, ticks %lld to %lld%s", r->nstmts, (long long)r->start,
				    (long long)r->end, s->live.actions[w->action].one_tx ? ", in one transaction" : "");
		} else {
			if (r->failed)
				strbuf_addf(&text, "failed at statement %d", r->failed);
			else
				strbuf_addstr(&text, "failed");
			if (r->failed_file)
				strbuf_addf(&text, " of %s", r->failed_file);
			if (r->failed_line)
				strbuf_addf(&text, " (line %d)", r->failed_line);
			strbuf_addf(&text, ": %s\n  %s\n  what stays applied: ", r->error ? r->error : "",
				    r->failed_sql ? r->failed_sql : "");
			live_what_stays(&s->live, (size_t)w->action, &text);
		}
		answer(w->fd, o == LIVE_APPLIED ? EXIT_PASS : EXIT_FAIL, text.buf);
		strbuf_release(&text);
		s->waiters[i] = s->waiters[--s->nwaiters];
	}
}

/* Take new connections and their requests, waiting at most ms for one. */
static void serve(struct session *s, int ms)
{
	struct pollfd p = { s->listen_fd, POLLIN, 0 };
	int fd;

	if (poll(&p, 1, ms) <= 0)
		return;
	while ((fd = accept(s->listen_fd, NULL, NULL)) >= 0) {
		char req[4096];
		size_t len = 0;
		ssize_t r;
		struct pollfd q = { fd, POLLIN, 0 };
		/* A request is one short line: read it, or give up after a second. */
		while (len < sizeof(req) - 1 && poll(&q, 1, 1000) > 0 && (r = read(fd, req + len, sizeof(req) - 1 - len)) > 0) {
			len += (size_t)r;
			if (memchr(req, '\n', len))
				break;
		}
		req[len] = '\0';
		req[strcspn(req, "\n")] = '\0';
		handle(s, fd, req);
	}
}

/* The application log: a line per failed transaction since the last call. */
static void write_log(struct session *s)
{
	const struct drill *d = &s->live.res.drill;
	const struct ledger *l = &d->ledger;
	size_t i;

	if (!s->log)
		return;
	for (i = s->logged_tx ? s->logged_tx : 1; i < l->ntx; i++) {
		const struct ledger_tx *t = &l->tx[i];
		time_t when;
		struct tm tm;
		char stamp[32];
		if (t->outcome == TX_OK)
			continue;
		/* The time the drill stood at then, paced as it runs. */
		when = (time_t)(time(NULL) - (time_t)((double)(live_tick(&s->live) - t->complete) / s->a->speed));
		gmtime_r(&when, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(s->log, "%s tick=%lld app=%s tx=%s error=%s: %s\n", stamp, (long long)t->complete,
			d->sc->apps[t->version].name, d->sc->apps[t->version].tx[t->txdef].name,
			db_errclass_name(t->errclass), ledger_str(l, t->msg) ? ledger_str(l, t->msg) : "");
	}
	s->logged_tx = l->ntx;
	fflush(s->log);
}

/* The projector's page and the status the workshop board reads, as they stand. */
static void write_pages(struct session *s)
{
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;
	struct dashboard db;

	dashboard_of(s, &db);
	if (s->a->live) {
		report_dashboard_html_render(&db, &out, 0);
		cli_write_file_atomically(s->a->live, &out);
	}
	if (s->out) {
		strbuf_reset(&out);
		report_dashboard_json_render(&db, &out);
		strbuf_addf(&path, "%s/status.json", s->out);
		cli_write_file_atomically(path.buf, &out);
	}
	strbuf_release(&out);
	strbuf_release(&path);
}

/*
** Once a wall second: sample, the schema watch, a look at what is lost
** (the probes: once a second at most, never while a migration works),
** the log, the dashboard, the pages.
*/
static void every_second(struct session *s)
{
	struct strbuf out = STRBUF_INIT;
	struct dashboard db;

	live_sample(&s->live);
	live_watch_schema(&s->live, wall(s));
	live_look(&s->live, &out);
	strbuf_reset(&out);
	write_log(s);
	dashboard_of(s, &db);
	report_dashboard_render(&db, &out, s->tty ? s->color | REPORT_SCREEN : REPORT_PLAIN);
	cli_print(&out);
	write_pages(s);
	strbuf_release(&out);
}

/* mkdir -p */
static int make_dirs(const char *path)
{
	char *p = xstrdup(path), *c;
	int ok = 1;
	for (c = p + 1; *c && ok; c++)
		if (*c == '/') {
			*c = '\0';
			ok = !mkdir(p, 0777) || errno == EEXIST;
			*c = '/';
		}
	ok = ok && (!mkdir(p, 0777) || errno == EEXIST);
	free(p);
	return ok ? 0 : -1;
}

/*
** target (a path) as the page at page links to it: relative to the page's
** directory when both resolve, else absolute.  NULL without a page; the
** caller frees it.
*/
static char *link_from(const char *page, const char *target)
{
	char given[PATH_MAX], dir[PATH_MAX], to[PATH_MAX], *slash;
	const char *rest;
	struct strbuf rel = STRBUF_INIT;
	size_t common = 0, i;

	if (!page)
		return NULL;
	snprintf(given, sizeof(given), "%s", page);
	slash = strrchr(given, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(given, sizeof(given), ".");
	if (!realpath(given[0] ? given : "/", dir) || !realpath(target, to))
		return xstrdup(target);
	/* The directories both paths share, then up from the page's and down to the target. */
	for (i = 0; dir[i] && dir[i] == to[i]; i++)
		if (dir[i] == '/')
			common = i;
	if (!dir[i] && to[i] == '/')
		common = i;
	/* Up once for each directory of the page's below what they share. */
	for (rest = dir[common] ? dir + common + 1 : dir + common; *rest; rest++) {
		strbuf_addstr(&rel, "../");
		if (!(rest = strchr(rest, '/')))
			break;
	}
	strbuf_addstr(&rel, to + common + 1);
	return strbuf_detach(&rel);
}

/* The end: the cool-down, the judgement, the record and the reports; answer 'end'. */
static int finish(struct session *s)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT, path = STRBUF_INIT, dir = STRBUF_INIT;
	struct live_meta meta;
	size_t i;
	int rc;

	fprintf(stderr, "\nmdrill: the drill ends (%s): a cool-down of %lld ticks, then the probes\n",
		live_end_name(s->end_how), (long long)s->a->cooldown);
	s->ending = 1;
	live_sample(&s->live);
	write_pages(s);
	if ((rc = live_end(&s->live, wall(s), s->end_how, &err)) != 0) {
		rc = cli_error(rc == DRILL_EINTR ? EXIT_INTR : EXIT_ENGINE, "%s", err.buf);
		goto out;
	}
	write_log(s);
	strbuf_addstr(&dir, s->out);
	memset(&meta, 0, sizeof(meta));
	meta.scenario = s->sc->name;
	meta.scenario_path = s->sc->path;
	meta.team = s->a->team;
	meta.started = s->started_at;
	meta.surprise = s->a->surprise != NULL;
	meta.sets = s->a->sets;
	meta.nsets = s->a->nsets;
	report_live_record_render(&s->live, &meta, &out);
	strbuf_addf(&path, "%s/record.json", dir.buf);
	rc = cli_write_file(path.buf, &out);
	strbuf_reset(&out);
	report_html_render(&s->live.res.card, &out, 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/report.html", dir.buf);
	rc = rc ? rc : cli_write_file(path.buf, &out);
	strbuf_reset(&out);
	report_markdown_render(&s->live.res.card, &out, 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/report.md", dir.buf);
	rc = rc ? rc : cli_write_file(path.buf, &out);
	if (rc)
		goto out;
	/* The projector's page ends: the verdict and a link to the report, no more reloading. */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/report.html", dir.buf);
	s->report_link = link_from(s->a->live, path.buf);
	write_pages(s);
	strbuf_reset(&out);
	if (s->a->surprise)
		strbuf_addf(&out, "The scenario was %s: %s\n\n", s->sc->name, s->sc->title ? s->sc->title : "");
	report_terminal_render(&s->live.res.card, &out, s->tty ? s->color : 0);
	{
		const struct live_figures *f = &s->live.figures;
		double tps = s->a->speed;
		strbuf_addf(&out, "\nThe drill: ");
		if (f->first_action_tick >= 0)
			strbuf_addf(&out, "first action %.1f s after the incident", (double)(f->first_action_tick - f->incident_tick) / tps);
		else
			strbuf_addstr(&out, "no action");
		if (f->first_fix_tick >= 0)
			strbuf_addf(&out, ", first fix %.1f s after", (double)(f->first_fix_tick - f->incident_tick) / tps);
		if (f->recovery_tick >= 0)
			strbuf_addf(&out, ", recovered %.1f s after", (double)(f->recovery_tick - f->incident_tick) / tps);
		else
			strbuf_addstr(&out, ", not recovered");
		strbuf_addf(&out, "; %d fix%s applied, %d failed; %d down migration%s; %llu facts at risk at the worst, "
			    "%llu lost\n", f->fixes_applied, f->fixes_applied == 1 ? "" : "es", f->fixes_failed, f->downs,
			    f->downs == 1 ? "" : "s", (unsigned long long)f->stranded_max,
			    (unsigned long long)f->facts_lost);
		strbuf_addf(&out, "The end: %s after %.0f s", live_end_name(f->end_how), wall(s));
		if (f->end_how == LIVE_END_TIME)
			strbuf_addf(&out, ", the limit of --minutes %g", s->a->minutes);
		strbuf_addstr(&out, ".\n");
	}
	strbuf_addf(&out, "Written: %s/record.json (replay it with 'mdrill replay'), %s/report.html, %s/report.md\n",
		    dir.buf, dir.buf, dir.buf);
	cli_print(&out);
	/* The team's 'end' hears the verdict too. */
	for (i = 0; i < s->nwaiters; i++)
		if (s->waiters[i].action < 0) {
			strbuf_reset(&path);
			strbuf_addf(&path, "the drill ended: %s, score %d/100, %llu facts lost; written to %s",
				    s->live.res.card.pass ? "PASS" : "FAIL", s->live.res.card.score,
				    (unsigned long long)s->live.figures.facts_lost, dir.buf);
			answer(s->waiters[i].fd, EXIT_PASS, path.buf);
			s->waiters[i--] = s->waiters[--s->nwaiters];
		}
	rc = s->interrupted ? EXIT_INTR : s->live.res.card.pass ? EXIT_PASS : EXIT_FAIL;
out:
	strbuf_release(&err);
	strbuf_release(&out);
	strbuf_release(&path);
	strbuf_release(&dir);
	return rc;
}

/* The drill, paced: advance to where the clock says, serve the team, redraw once a second. */
static int run_paced(struct session *s)
{
	struct strbuf err = STRBUF_INIT;
	double next_second = 0, limit = s->a->minutes * 60;
	int rc = 0;

	s->t0 = now_s();
	while (!rc) {
		double w = wall(s);
		int64_t target = (int64_t)(w * s->a->speed), at = live_tick(&s->live);
		/* A tenth of a second at a time, so the team is served however slow the engine. */
		int64_t step = (int64_t)(s->a->speed / 10) + 1;
		if (cli_stop || w >= limit) {
			s->interrupted = 1;
			s->end_how = cli_stop ? LIVE_END_INTERRUPT : LIVE_END_TIME;
			break;
		}
		if (s->end_requested)
			break;
		if (target > at && (rc = live_advance(&s->live, target < at + step ? target : at + step, &err)) != 0) {
			rc = drillopts_exit(rc, err.buf);
			break;
		}
		answer_done(s);
		if (w >= next_second) {
			every_second(s);
			next_second = w + 1;
		}
		serve(s, target > live_tick(&s->live) ? 0 : 10);
	}
	strbuf_release(&err);
	return rc;
}

static int drill_serve(struct drill_args *a)
{
	struct session s;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, kept = STRBUF_INIT, left = STRBUF_INIT;
	struct db_options dbo;
	time_t t = time(NULL);
	struct tm tm;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.listen_fd = -1;
	gmtime_r(&t, &tm);
	strftime(s.started_at, sizeof(s.started_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (a->surprise ? (rc = draw_surprise(a->surprise, a->seed, &path)) != 0
			: (rc = cli_find_scenario(a->scenario, &path)) != 0)
		goto out;
	if (scenario_load(path.buf, a->sets, a->nsets, &s.sc, &err)) {
		rc = cli_error(EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (!(s.drv = db_driver_for(a->db))) {
		struct strbuf forms = STRBUF_INIT;
		db_target_help(&forms);
		rc = cli_error(EXIT_USAGE, "unknown --db (expected %s)", forms.buf);
		strbuf_release(&forms);
		goto out;
	}
	drillopts_gc(s.drv, a->db);
	s.name_shown = xstrdup(a->surprise ? "(a surprise: revealed at the end)" : s.sc->name);
	s.tty = isatty(STDOUT_FILENO);
	s.color = cli_color();
	if (a->log && !(s.log = fopen(a->log, "a"))) {
		rc = cli_error(EXIT_USAGE, "cannot write the log '%s': %s", a->log, strerror(errno));
		goto out;
	}
	if ((rc = open_control(&s)) != 0)
		goto out;
	cli_catch_signals();
	fprintf(stderr, "mdrill: seeding %s...\n", s.name_shown);
	s.started = 1;
	dbo.allow_superuser = a->allow_superuser;
	dbo.statement_timeout_ms = a->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT : a->statement_timeout_ms;
	dbo.stop = NULL;
	if ((rc = live_start(&s.live, s.sc, s.drv, a->db, a->seed, a->cooldown, a->speed, &dbo, &err)) != 0) {
		rc = drillopts_exit(rc, err.buf);
		goto out;
	}
	{
		struct strbuf w = STRBUF_INIT;
		db_where(s.drv, s.live.res.drill.db, &w);
		s.database = strbuf_detach(&w);
	}
	/* The record's directory from the start: the workshop board reads the drill's status there. */
	if (a->out) {
		s.out = xstrdup(a->out);
	} else {
		struct strbuf d = STRBUF_INIT;
		char stamp[32];
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		strbuf_addf(&d, "drill-%s-%s", a->team ? a->team : s.sc->name, stamp);
		s.out = strbuf_detach(&d);
	}
	if (make_dirs(s.out)) {
		rc = cli_error(EXIT_ENGINE, "cannot make '%s': %s", s.out, strerror(errno));
		goto out;
	}
	fprintf(stderr, "mdrill: the drill runs: %s on %s at %.0f ticks/s, %g minutes at most\n"
			"mdrill: the database: %s\n"
			"mdrill: the control socket: %s\n"
			"mdrill: from another terminal: mdrill drill apply FILE|DIR, flag NAME off|on, down, status, end "
			"(each with --help)\n"
			"mdrill: a fix can read backup.TABLE, each table as it was just before the bad migration%s\n"
			"mdrill: the record and reports go to %s/ at the end (status.json there meanwhile)\n",
		s.name_shown, db_name(s.drv), a->speed, a->minutes, s.database, s.socket_path,
		db_dialect(s.drv) == DIALECT_SQLITE ? " (by hand in sqlite3: ATTACH the backup.db beside the "
						      "database AS backup)" : " (by hand in psql too)",
		s.out);
	if ((rc = run_paced(&s)) == 0)
		rc = finish(&s);
out:
	for (i = 0; i < s.nwaiters; i++)
		answer(s.waiters[i].fd, EXIT_ENGINE, "mdrill: the drill stopped");
	s.nwaiters = 0;
	close_control(&s);
	if (s.started) {
		live_release(&s.live, a->keep && rc != EXIT_INTR, &kept, &left);
		if (kept.len)
			fprintf(stderr, "mdrill: kept the drill database at %s", kept.buf);
		cli_print_lines("warning", left.buf);
	}
	if (s.log)
		fclose(s.log);
	scenario_free(s.sc);
	free(s.dir);
	free(s.socket_path);
	free(s.waiters);
	free(s.name_shown);
	free(s.database);
	free(s.out);
	free(s.report_link);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&kept);
	strbuf_release(&left);
	return rc;
}

static int drill_run_cmd(int argc, char **argv)
{
	struct drill_args a;
	int rc;

	if (argc > 1 && drillctl_is_command(argv[1]))
		return drillctl_run(argc - 1, argv + 1);
	memset(&a, 0, sizeof(a));
	a.speed = 100;
	a.minutes = 30;
	a.cooldown = 1000;
	a.seed = 1;
	a.statement_timeout_ms = -1;
	if ((rc = cli_parse(&cmd_drill, argc, argv, take, &a)) != 0) {
		free(a.sets);
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	}
	if (!a.scenario == !a.surprise)
		rc = cli_usage(&cmd_drill, a.scenario ? "give a scenario or --surprise DIR, not both"
						      : "which scenario? (see 'mdrill list', or --surprise DIR)");
	else
		rc = drill_serve(&a);
	free(a.sets);
	return rc;
}
