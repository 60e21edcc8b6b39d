/*
** A growable string with git's strbuf invariants: buf is never NULL and is
** always NUL-terminated, so a strbuf can be printed at any time.  Used for
** SQL text, rendered reports and error messages alike.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_STRBUF_H
#define MDRILL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	size_t len;
	size_t alloc;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

/** Prepare sb for use; allocates nothing. */
void strbuf_init(struct strbuf *sb);
/** Free the contents; sb is left empty and reusable. */
void strbuf_release(struct strbuf *sb);
/** Hand the buffer over: the caller frees the result; sb is left empty. */
char *strbuf_detach(struct strbuf *sb);
/** Make the string empty, keeping the allocation. */
void strbuf_reset(struct strbuf *sb);
/** Shorten to len bytes. */
void strbuf_setlen(struct strbuf *sb, size_t len);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
/** Append a printf-formatted string. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/**
 * Append the whole text file at path to sb.  Only a regular file of at
 * most strbuf_read_limit bytes with no NUL byte is read: a FIFO, a device
 * or a link to one is refused without waiting on it.  Returns 0, or -1
 * with the reason in err ("not a regular file", "NUL byte at line 3", the
 * system's message), which callers place after what the file was to them.
 */
int strbuf_read_file(struct strbuf *sb, const char *path, struct strbuf *err);

/* The largest file strbuf_read_file reads: 64 MiB unless the caller sets it. */
extern size_t strbuf_read_limit;
#define STRBUF_READ_LIMIT_DEFAULT ((size_t)64 << 20)
/** A size for people: "64 MiB", "1.5 KiB", "100 bytes". */
void strbuf_addsize(struct strbuf *sb, uint64_t n);
/** Strip trailing white space. */
void strbuf_rtrim(struct strbuf *sb);

/**
 * Replace the contents of err with a formatted message and return rc.
 * Lets error paths read `return strbuf_error(err, -1, "...", ...)`.
 */
int strbuf_error(struct strbuf *err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
