/*
** The growable string.  Growth goes through xrealloc, so appends cannot
** fail and need no checks at the call site.
**
** SPDX-License-Identifier: MIT
*/
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb)
{
	sb->len = 0;
	sb->alloc = 0;
	sb->buf = strbuf_slopbuf;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb);
	return p;
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	if (!sb->alloc)
		sb->buf = NULL;
	ALLOC_GROW(sb->buf, need, sb->alloc);
}

void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len && isspace((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

int strbuf_error(struct strbuf *err, int rc, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return rc;
	strbuf_reset(err);
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	return rc;
}

size_t strbuf_read_limit = STRBUF_READ_LIMIT_DEFAULT;

void strbuf_addsize(struct strbuf *sb, uint64_t n)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (!u)
		strbuf_addf(sb, "%llu bytes", (unsigned long long)n);
	else if (v == (double)(long long)v)
		strbuf_addf(sb, "%lld %s", (long long)v, units[u]);
	else
		strbuf_addf(sb, "%.1f %s", v, units[u]);
}

int strbuf_read_file(struct strbuf *sb, const char *path, struct strbuf *err)
{
	char buf[65536];
	struct stat st;
	size_t start = sb->len, total = 0;
	ssize_t n;
	const char *nul;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer that never comes. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return strbuf_error(err, -1, "%s", strerror(errno));
	if (fstat(fd, &st)) {
		strbuf_error(err, -1, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		strbuf_error(err, -1, "not a regular file");
		goto fail;
	}
	if ((uintmax_t)st.st_size > strbuf_read_limit)
		goto too_big;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_error(err, -1, "%s", strerror(errno));
			goto fail;
		}
		if (!n)
			break;
		/* The file may grow while it is read: the limit holds all the same. */
		total += (size_t)n;
		if (total > strbuf_read_limit)
			goto too_big;
		strbuf_add(sb, buf, (size_t)n);
	}
	close(fd);
	if ((nul = memchr(sb->buf + start, '\0', sb->len - start)) != NULL) {
		size_t line = 1;
		const char *p;
		for (p = sb->buf + start; p < nul; p++)
			line += *p == '\n';
		strbuf_setlen(sb, start);
		return strbuf_error(err, -1, "NUL byte at line %zu: not a text file", line);
	}
	return 0;
too_big:
	if (err) {
		strbuf_reset(err);
		strbuf_addstr(err, "larger than ");
		strbuf_addsize(err, strbuf_read_limit);
		strbuf_addstr(err, ", the limit (MDRILL_MAX_FILE_SIZE sets another)");
	}
fail:
	close(fd);
	strbuf_setlen(sb, start);
	return -1;
}
