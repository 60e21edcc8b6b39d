/*
** The team's side of a live drill: mdrill drill apply|flag|down|status|end.
** Each finds the drill (the one this user runs, or --drill PATH), sends
** one request line through its control socket, prints the answer and
** exits with the status the drill gave it.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../sim/base/alloc.h"
#include "cli.h"
#include "live.h"

enum { CTL_DRILL, CTL_JSON };

#define OPTION_DRILL { CTL_DRILL, "--drill", "PATH", 0, \
	"which drill, when several run for you: its directory or its control socket" }

static const struct cli_option ctl_options[] = {
	OPTION_DRILL,
	{ 0, NULL, NULL, 0, NULL },
};

static const struct cli_option status_options[] = {
	{ CTL_JSON, "--json", NULL, 0,
	  "one JSON object for scripts and instructors: seconds_left, facts_at_risk, facts_lost (total and "
	  "by cause, with the action), rates and failure_rate per app version, writers_waiting, recovered, "
	  "ending, ended, and once judged the verdict and score" },
	OPTION_DRILL,
	{ 0, NULL, NULL, 0, NULL },
};

static const struct cli_command cmd_drill_apply = {
	.name = "drill apply",
	.synopsis = "FILE|DIR [--drill PATH]",
	.summary = "Apply the team's fix now, in the migrator slot between the traffic: a .sql file or a "
		   "migration tool's directory (any layout run --fix takes), looked up where you stand, then "
		   "under the scenario's directory. A file of several statements runs in one transaction "
		   "mdrill opens, so a failure leaves nothing of it behind; one with transactions of its own "
		   "runs as written, and a failure says which statements stay. The fix can read backup.TABLE, "
		   "each table as it was just before the bad migration. Answers when it is done: exit 0 "
		   "applied, 1 failed (with the failing statement and what stays applied).",
	.options = ctl_options,
};

static const struct cli_command cmd_drill_flag = {
	.name = "drill flag",
	.synopsis = "NAME off|on [--drill PATH]",
	.summary = "Turn one of the scenario's feature flags off or on now: the real rollback, no schema "
		   "change. Exit 2 for a flag the scenario does not have.",
	.options = ctl_options,
};

static const struct cli_command cmd_drill_down = {
	.name = "drill down",
	.synopsis = "[--drill PATH]",
	.summary = "Run the scenario's own down migration now: the temptation, recorded as such. What it "
		   "makes unreadable is laid at it in the record and the scorecard.",
	.options = ctl_options,
};

static const struct cli_command cmd_drill_status = {
	.name = "drill status",
	.synopsis = "[--json] [--drill PATH]",
	.summary = "The dashboard's figures once: the clock and time left, the incident and the recovery, "
		   "facts lost (by what lost them) and at risk, writers waiting on a migration's or a team's "
		   "lock, rates per app version, the errors of the last 30 s, the actions.",
	.options = status_options,
};

static const struct cli_command cmd_drill_end = {
	.name = "drill end",
	.synopsis = "[--drill PATH]",
	.summary = "End the drill: a cool-down of traffic, then the probes, the oracle and the verdict, "
		   "which this command prints when they are done; the record and the reports go to --out.",
	.options = ctl_options,
};

const struct cli_command *const drillctl_commands[] = {
	&cmd_drill_apply, &cmd_drill_flag, &cmd_drill_down, &cmd_drill_status, &cmd_drill_end, NULL,
};

/* The team's command called word ("apply"), or NULL. */
static const struct cli_command *ctl_find(const char *word)
{
	size_t i;
	for (i = 0; drillctl_commands[i]; i++)
		if (!strcmp(drillctl_commands[i]->name + strlen("drill "), word))
			return drillctl_commands[i];
	return NULL;
}

int drillctl_is_command(const char *word)
{
	return ctl_find(word) != NULL;
}

const char *live_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* A connection to the socket at path, or -1. */
static int dial(const char *path)
{
	struct sockaddr_un addr;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -1;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
** The drill to talk to: --drill PATH (its directory or its socket), else
** the one drill of this user whose socket answers.  Returns a connected
** socket, or -1 after saying why (exit status in *rc).
*/
static int find_drill(const char *given, int *rc)
{
	struct strbuf path = STRBUF_INIT, found = STRBUF_INIT;
	struct dirent *e;
	DIR *d;
	int fd = -1, n = 0;

	if (given) {
		strbuf_addstr(&path, given);
		if (cli_is_dir(given))
			strbuf_addstr(&path, "/" LIVE_SOCKET);
		if ((fd = dial(path.buf)) < 0)
			*rc = cli_error(EXIT_USAGE, "no drill answers at '%s'", path.buf);
		strbuf_release(&path);
		return fd;
	}
	if ((d = opendir(live_tmpdir())) != NULL) {
		while ((e = readdir(d)) != NULL) {
			struct stat st;
			int c;
			if (strncmp(e->d_name, LIVE_DIR_PREFIX, strlen(LIVE_DIR_PREFIX)))
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s/" LIVE_SOCKET, live_tmpdir(), e->d_name);
			if (stat(path.buf, &st) || st.st_uid != getuid() || (c = dial(path.buf)) < 0)
				continue;
			/* The one that answers: a dead drill's socket does not. */
			if (fd >= 0)
				close(fd);
			fd = c;
			strbuf_addf(&found, "\n  %s", path.buf);
			n++;
		}
		closedir(d);
	}
	if (n > 1) {
		close(fd);
		fd = -1;
		*rc = cli_error(EXIT_USAGE, "%d drills are running: pick one with --drill PATH:%s", n, found.buf);
	} else if (!n) {
		*rc = cli_error(EXIT_USAGE, "no drill is running for you under %s (start one with 'mdrill drill "
			       "SCENARIO', or name it with --drill PATH)", live_tmpdir());
	}
	strbuf_release(&path);
	strbuf_release(&found);
	return fd;
}

struct ctl_args {
	const struct cli_command *cmd;
	const char *given;           /* --drill */
	const char *args[2];
	size_t nargs;
	int json;
};

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct ctl_args *a = ctx;
	(void)next;
	if (!opt) {
		if (a->nargs == 2)
			return cli_usage(a->cmd, "unexpected argument '%s'", val);
		a->args[a->nargs++] = val;
		return 0;
	}
	if (opt->id == CTL_JSON)
		a->json = 1;
	else
		a->given = val;
	return 0;
}

int drillctl_run(int argc, char **argv)
{
	struct strbuf req = STRBUF_INIT, answer = STRBUF_INIT;
	struct ctl_args a;
	char buf[4096], *last;
	size_t want, done = 0;
	ssize_t r;
	int fd, rc;

	memset(&a, 0, sizeof(a));
	a.cmd = ctl_find(argv[0]);
	if ((rc = cli_parse(a.cmd, argc, argv, take, &a)) != 0)
		return rc == CLI_HELPED ? EXIT_PASS : rc;
	want = !strcmp(argv[0], "apply") ? 1 : !strcmp(argv[0], "flag") ? 2 : 0;
	if (a.nargs != want)
		return cli_usage(a.cmd, want ? "expected %s" : "unexpected argument '%s'",
				 want == 1 ? "FILE|DIR" : want == 2 ? "NAME off|on" : a.args[0]);
	strbuf_addstr(&req, argv[0]);
	if (want == 1) {
		/*
		** A path the team sees from here is sent whole, with the name it
		** typed for the reports; else the drill looks under the scenario's.
		*/
		char abs[PATH_MAX];
		strbuf_addf(&req, "\t%s\t%s", realpath(a.args[0], abs) ? abs : a.args[0], a.args[0]);
	}
	if (want == 2)
		strbuf_addf(&req, "\t%s\t%s", a.args[0], a.args[1]);
	if (a.json)
		strbuf_addstr(&req, "\tjson");
	if (strchr(req.buf, '\n')) {
		strbuf_release(&req);
		return cli_error(EXIT_USAGE, "a line break in an argument");
	}
	strbuf_addch(&req, '\n');
	if ((fd = find_drill(a.given, &rc)) < 0) {
		strbuf_release(&req);
		return rc;
	}
	while (done < req.len && (r = write(fd, req.buf + done, req.len - done)) > 0)
		done += (size_t)r;
	/* The answer comes when the drill is done with it: a migration can take a while. */
	while ((r = read(fd, buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0)
			strbuf_add(&answer, buf, (size_t)r);
	close(fd);
	strbuf_rtrim(&answer);
	last = strrchr(answer.buf, '\n');
	last = last ? last + 1 : answer.buf;
	if (!strncmp(last, "exit ", 5)) {
		rc = atoi(last + 5);
		*last = '\0';
		strbuf_setlen(&answer, strlen(answer.buf));
		strbuf_rtrim(&answer);
		if (answer.len)
			fprintf(rc == EXIT_PASS || rc == EXIT_FAIL ? stdout : stderr, "%s\n", answer.buf);
	} else {
		rc = cli_error(EXIT_ENGINE, "the drill hung up without an answer");
	}
	strbuf_release(&req);
	strbuf_release(&answer);
	return rc;
}
