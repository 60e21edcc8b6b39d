/*
** Ownership marks: who made what, and whether that run is over.  A pid
** alone is not enough once pids wrap around, so a mark also carries the
** process's start time as the kernel counts it (/proc/PID/stat).
**
** SPDX-License-Identifier: MIT
*/
#include "owner.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The start time of process pid in clock ticks since boot, or 0 when it cannot be read. */
static unsigned long long proc_start(long pid)
{
	char path[64], buf[1024];
	const char *p;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name in parentheses may hold anything: count fields after its end. */
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return strtoull(p, NULL, 10);
}

static void self_host(char *host, size_t size)
{
	if (gethostname(host, size) || !*host)
		snprintf(host, size, "localhost");
	host[size - 1] = '\0';
	/* A mark is one line of words: nothing in a name may break it. */
	for (; *host; host++)
		if (*host == ' ' || *host == '\n' || *host == '\t' || *host == '=')
			*host = '_';
}

void owner_self(struct owner *o)
{
	memset(o, 0, sizeof(*o));
	o->pid = (long)getpid();
	self_host(o->host, sizeof(o->host));
	o->pstart = proc_start(o->pid);
	o->started = (long long)time(NULL);
}

void owner_format(const struct owner *o, struct strbuf *out)
{
	char when[32] = "";
	time_t t = (time_t)o->started;
	struct tm tm;

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(out, "mdrill owner pid=%ld host=%s pstart=%llu started=%s", o->pid, o->host,
		    o->pstart, when);
}

int owner_parse(const char *text, struct owner *o)
{
	const char *m = strstr(text, "mdrill owner pid="), *h;
	char *end;
	size_t n;

	memset(o, 0, sizeof(*o));
	if (!m)
		return -1;
	o->pid = strtol(m + 17, &end, 10);
	if (o->pid <= 0 || strncmp(end, " host=", 6))
		return -1;
	h = end + 6;
	n = strcspn(h, " \n");
	if (!n || n >= sizeof(o->host))
		return -1;
	memcpy(o->host, h, n);
	o->host[n] = '\0';
	if (!strncmp(h + n, " pstart=", 8))
		o->pstart = strtoull(h + n + 8, NULL, 10);
	return 0;
}

int owner_pid_gone(long pid)
{
	if (pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) && errno == ESRCH;
}

int owner_gone(const struct owner *o)
{
	char host[256];
	unsigned long long now;

	self_host(host, sizeof(host));
	if (strcmp(host, o->host))
		return -1;
	if (owner_pid_gone(o->pid))
		return 1;
	/* Alive: the same process, or another that got its pid? */
	now = proc_start(o->pid);
	return o->pstart && now && now != o->pstart;
}

uint32_t owner_host_hash(void)
{
	char host[256];
	const unsigned char *p;
	uint32_t h = 2166136261u;   /* FNV-1a */

	self_host(host, sizeof(host));
	for (p = (const unsigned char *)host; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

int owner_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct strbuf p = STRBUF_INIT;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, e->d_name);
		unlink(p.buf);
	}
	closedir(d);
	strbuf_release(&p);
	return rmdir(dir) && errno != ENOENT ? -1 : 0;
}

int owner_mark_dir(const char *dir)
{
	struct strbuf path = STRBUF_INIT, mark = STRBUF_INIT;
	struct owner o;
	FILE *f;
	int ok;

	owner_self(&o);
	owner_format(&o, &mark);
	strbuf_addch(&mark, '\n');
	strbuf_addf(&path, "%s/" OWNER_FILE, dir);
	f = fopen(path.buf, "wx");
	ok = f && fwrite(mark.buf, 1, mark.len, f) == mark.len;
	if (f && fclose(f))
		ok = 0;
	strbuf_release(&path);
	strbuf_release(&mark);
	return ok ? 0 : -1;
}

int owner_sweep(const char *tmp, struct strbuf *removed, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, mark = STRBUF_INIT, why = STRBUF_INIT;
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(tmp)))
		return strbuf_error(err, -1, "cannot read '%s': %s", tmp, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		struct owner ow;
		struct stat st;
		char *end;
		long pid;

		if (strncmp(e->d_name, "mdrill-", 7))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", tmp, e->d_name);
		/* A directory of this user's, not a link: another's is theirs to remove. */
		if (lstat(path.buf, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		strbuf_reset(&mark);
		strbuf_addf(&mark, "%s/" OWNER_FILE, path.buf);
		strbuf_reset(&why);
		if (!strbuf_read_file(&why, mark.buf, NULL)) {
			if (owner_parse(why.buf, &ow) || owner_gone(&ow) != 1)
				continue;
			if (owner_remove_dir(path.buf))
				continue;
			strbuf_addf(removed, "%s (pid %ld on %s, gone)\n", path.buf, ow.pid, ow.host);
			continue;
		}
		/* No mark yet: "mdrill-PID-XXXXXX", killed right after mkdtemp. */
		pid = strtol(e->d_name + 7, &end, 10);
		if (pid > 0 && *end == '-' && strlen(end + 1) == 6 && owner_pid_gone(pid) && !rmdir(path.buf))
			strbuf_addf(removed, "%s (pid %ld, gone before it marked it)\n", path.buf, pid);
	}
	closedir(d);
	strbuf_release(&path);
	strbuf_release(&mark);
	strbuf_release(&why);
	return 0;
}
