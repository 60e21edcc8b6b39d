/*
** A growable string with git's strbuf invariants: buf is never NULL and is
** always NUL-terminated, so a strbuf can be printed at any time.  Used for
** SQL text, rendered reports and error messages alike.
*/
#ifndef MDRILL_STRBUF_H
#define MDRILL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

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
 * Append the whole file at path to sb.  Returns 0, or -1 with errno set
 * (callers say what the file was to them).
 */
int strbuf_read_file(struct strbuf *sb, const char *path);
/** Strip trailing white space. */
void strbuf_rtrim(struct strbuf *sb);

/**
 * Replace the contents of err with a formatted message and return rc.
 * Lets error paths read `return strbuf_error(err, -1, "...", ...)`.
 */
int strbuf_error(struct strbuf *err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
