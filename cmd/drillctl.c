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

static const char *const commands[] = { "apply", "flag", "down", "status", "end" };

int drillctl_is_command(const char *word)
{
	size_t i;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(word, commands[i]))
			return 1;
	return 0;
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

int drillctl_run(int argc, char **argv)
{
	struct strbuf req = STRBUF_INIT, answer = STRBUF_INIT;
	const char *given = NULL, *args[3] = { NULL, NULL, NULL };
	char buf[4096], *last;
	size_t nargs = 0, want, done = 0;
	ssize_t r;
	int i, fd, rc = EXIT_ENGINE, json = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--drill") && i + 1 < argc)
			given = argv[++i];
		else if (!strncmp(argv[i], "--drill=", 8))
			given = argv[i] + 8;
		else if (!strcmp(argv[i], "--json") && !strcmp(argv[0], "status"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_error(EXIT_USAGE, "unknown option '%s' (the team's commands take --drill PATH)", argv[i]);
		else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			return cli_error(EXIT_USAGE, "unexpected argument '%s'", argv[i]);
	}
	want = !strcmp(argv[0], "apply") ? 1 : !strcmp(argv[0], "flag") ? 2 : 0;
	if (nargs != want)
		return cli_error(EXIT_USAGE, "usage: mdrill drill %s%s [--drill PATH]", argv[0],
				 want == 1 ? " FILE|DIR" : want == 2 ? " NAME off|on" : "");
	strbuf_addstr(&req, argv[0]);
	if (want == 1) {
		/*
		** A path the team sees from here is sent whole, with the name it
		** typed for the reports; else the drill looks under the scenario's.
		*/
		char abs[PATH_MAX];
		strbuf_addf(&req, "\t%s\t%s", realpath(args[0], abs) ? abs : args[0], args[0]);
	}
	if (want == 2)
		strbuf_addf(&req, "\t%s\t%s", args[0], args[1]);
	if (json)
		strbuf_addstr(&req, "\tjson");
	if (strchr(req.buf, '\n')) {
		strbuf_release(&req);
		return cli_error(EXIT_USAGE, "a line break in an argument");
	}
	strbuf_addch(&req, '\n');
	if ((fd = find_drill(given, &rc)) < 0) {
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
