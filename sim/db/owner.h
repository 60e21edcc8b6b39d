/*
** Ownership marks.  What a run creates (the SQLite driver's directory, the
** PostgreSQL driver's database) carries its owner: the process, its host
** and when it started.  A later run, or 'mdrill gc', removes what a run
** that is gone left behind, and never what a live run still uses.
**
** SPDX-License-Identifier: MIT
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

/* The file that marks a private directory of mdrill's with its owner. */
#define OWNER_FILE "owner"

/** Mark dir as this process's: OWNER_FILE in it.  0, or -1 (errno). */
int owner_mark_dir(const char *dir);

/** Remove dir and the files in it (mdrill's private directories hold no deeper ones). */
int owner_remove_dir(const char *dir);

/**
 * Remove what dead runs of this host left in tmp: every "mdrill-*"
 * directory of this user's whose mark names a run that is gone (a drill's
 * database, a live drill's control directory, try's scenario), or one a
 * run was killed in before it could mark it ("mdrill-PID-XXXXXX", empty,
 * its pid gone).  A line each onto removed.  A live run's directory, or
 * another host's, stays.  0, or -1 with err when tmp cannot be read.
 */
int owner_sweep(const char *tmp, struct strbuf *removed, struct strbuf *err);

#endif
