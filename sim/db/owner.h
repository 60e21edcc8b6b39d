/*
** Ownership marks.  What a run creates (the SQLite driver's directory, the
** PostgreSQL driver's database) carries its owner: the process, its host
** and when it started.  A later run, or 'mdrill gc', removes what a run
** that is gone left behind, and never what a live run still uses.
*/
#ifndef MDRILL_OWNER_H
#define MDRILL_OWNER_H

#include <stdint.h>

#include "../base/strbuf.h"

struct owner {
	long pid;
	char host[256];
	unsigned long long pstart;   /* the process's start, in clock ticks since boot; 0 unknown */
	long long started;           /* seconds since the epoch, for people */
};

/** This process as an owner. */
void owner_self(struct owner *o);

/** "mdrill owner pid=N host=H pstart=N started=2026-11-30T01:02:03Z" onto out. */
void owner_format(const struct owner *o, struct strbuf *out);

/** Read what owner_format wrote (anywhere in text).  Returns 0, or -1 when text is no mark. */
int owner_parse(const char *text, struct owner *o);

/**
 * Is o's run over?  1 when o is of this host and its process is gone (or
 * its pid now names a process that started at another time), 0 when it
 * lives, -1 when o is another host's: mdrill cannot tell.
 */
int owner_gone(const struct owner *o);

/** Is the process pid of this host gone?  (For marks that carry only a pid.) */
int owner_pid_gone(long pid);

/** A short hash of this host's name, for names that carry their owner. */
uint32_t owner_host_hash(void);

#endif
