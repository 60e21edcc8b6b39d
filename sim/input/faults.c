/*
** The fault parser: a table of names, what argument each takes, and
** whether it may be timed.
**
** SPDX-License-Identifier: MIT
*/
#include "faults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/prng.h"

static const struct fault_def {
	enum fault_kind kind;   /* its row's own index: checked by the tests */
	const char *name;
	int arg;          /* 0 none, 1 optional (default 1), 2 required */
	int timed;        /* may carry @TICK */
	int timeline;     /* may stand in a scenario's timeline */
	const char *usage;/* how it is written, for messages */
	const char *what; /* the argument, for messages */
	int64_t max;      /* the largest argument that makes sense */
	unsigned needs;   /* DB_CAP_* the engine must have */
	const char *how;  /* why it needs them, for the message */
} defs[] = {
	{ .kind = FAULT_FIX_CRASH, .name = "fix-crash", .arg = 2, .usage = "fix-crash=K|all",
	  .what = "a statement number or 'all'", .max = 100000 },
	{ .kind = FAULT_KILL_CLIENT, .name = "kill-client", .arg = 1, .timed = 1, .timeline = 1,
	  .usage = "kill-client[=N]", .what = "how many clients, up to 1000", .max = 1000 },
	{ .kind = FAULT_BUSY, .name = "busy", .arg = 2, .timed = 1, .timeline = 1,
	  .usage = "busy=TICKS", .what = "a lock timeout in ticks", .max = 1000000000 },
	{ .kind = FAULT_SLOW_FIX, .name = "slow-fix", .arg = 2, .timeline = 1,
	  .usage = "slow-fix=TICKS", .what = "extra ticks per statement", .max = 1000000 },
	{ .kind = FAULT_DISK_FULL, .name = "disk-full", .arg = 2, .timed = 1, .timeline = 1,
	  .usage = "disk-full=BYTES", .what = "bytes written before the disk is full", .max = INT64_MAX / 2,
	  .needs = DB_CAP_IO_FAULTS, .how = "works through SQLite's VFS" },
	{ .kind = FAULT_IOERR, .name = "ioerr", .arg = 1, .timed = 1, .timeline = 1,
	  .usage = "ioerr[=WRITES]", .what = "writes before the I/O errors start", .max = INT64_MAX / 2,
	  .needs = DB_CAP_IO_FAULTS, .how = "works through SQLite's VFS" },
	{ .kind = FAULT_FIX_TIMEOUT, .name = "fix-timeout", .arg = 2, .timeline = 1,
	  .usage = "fix-timeout=MS", .what = "a statement_timeout in milliseconds", .max = 2147483647,
	  .needs = DB_CAP_STMT_TIMEOUT, .how = "sets PostgreSQL's statement_timeout" },
	{ .kind = FAULT_RANDOM, .name = "random", .usage = "random", .what = "" },
};

_Static_assert(sizeof(defs) / sizeof(defs[0]) == FAULT_KINDS, "a fault kind without its row in defs[]");

const char *fault_name(enum fault_kind kind)
{
	return (unsigned)kind < FAULT_KINDS ? defs[kind].name : "?";
}

int fault_timeline_ok(enum fault_kind kind)
{
	return (unsigned)kind < FAULT_KINDS && defs[kind].timeline;
}

int fault_fits(const struct fault *f, const struct db_driver *drv, struct strbuf *err)
{
	const struct fault_def *d = &defs[f->kind];
	struct strbuf need = STRBUF_INIT;

	if (db_can(drv, d->needs))
		return 0;
	db_driver_names(d->needs, 1, &need);
	strbuf_error(err, -1, "%s %s: it needs --db %s", d->name, d->how, need.buf);
	strbuf_release(&need);
	return -1;
}

static int parse_num(const char *s, size_t n, int64_t *out)
{
	char buf[32], *end;
	long long v;
	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (*end || errno || v < 0 || buf[0] == '-' || buf[0] == '+')
		return -1;
	*out = v;
	return 0;
}

static int expected(struct strbuf *err, const char *spec)
{
	struct strbuf all = STRBUF_INIT;
	size_t k;
	for (k = 0; k < FAULT_KINDS; k++)
		strbuf_addf(&all, "%s%s", k ? (k + 1 == FAULT_KINDS ? " or " : ", ") : "", defs[k].usage);
	strbuf_error(err, -1, "unknown fault '%s' (expected %s; timed ones take @TICK)", spec, all.buf);
	strbuf_release(&all);
	return -1;
}

int fault_parse(const char *spec, int tick_ok, struct fault_list *list, struct strbuf *err)
{
	size_t nlen = strcspn(spec, "=@"), k;
	const char *arg = NULL, *at = strchr(spec, '@');
	struct fault f = { 0, 1, FAULT_AT_FIX };

	for (k = 0; k < FAULT_KINDS; k++)
		if (strlen(defs[k].name) == nlen && !strncmp(spec, defs[k].name, nlen))
			break;
	if (k == FAULT_KINDS)
		return expected(err, spec);
	f.kind = defs[k].kind;
	if (spec[nlen] == '=')
		arg = spec + nlen + 1;
	if (arg && !defs[k].arg)
		return strbuf_error(err, -1, "fault '%s' takes no argument", defs[k].name);
	if (!arg && defs[k].arg == 2)
		return strbuf_error(err, -1, "fault '%s' needs =ARG: %s", defs[k].name, defs[k].what);
	if (arg) {
		size_t alen = at ? (size_t)(at - arg) : strlen(arg);
		if (k == FAULT_FIX_CRASH && alen == 3 && !strncmp(arg, "all", 3))
			f.arg = FAULT_ALL;
		else if (parse_num(arg, alen, &f.arg) || (f.arg == 0 && k != FAULT_BUSY) || f.arg > defs[k].max)
			return strbuf_error(err, -1, "fault '%s' needs %s, not '%.*s'", defs[k].name,
					    defs[k].what, (int)alen, arg);
	}
	if (at) {
		if (!tick_ok || !defs[k].timed)
			return strbuf_error(err, -1, "fault '%s' takes no @TICK%s", defs[k].name,
					    defs[k].timed ? " here (the timeline's 'at' gives it)" : "");
		if (parse_num(at + 1, strlen(at + 1), &f.tick))
			return strbuf_error(err, -1, "fault '%s' needs @TICK, a tick number, not '%s'",
					    defs[k].name, at + 1);
	}
	ALLOC_GROW(list->v, list->nr + 1, list->alloc);
	list->v[list->nr++] = f;
	return 0;
}

int fault_parse_list(const char *specs, struct fault_list *list, struct strbuf *err)
{
	char *copy = xstrdup(specs), *save = NULL, *one;
	int rc = 0;

	for (one = strtok_r(copy, ",", &save); one && !rc; one = strtok_r(NULL, ",", &save)) {
		rc = fault_parse(one, 1, list, err);
		if (!rc && list->v[list->nr - 1].kind == FAULT_RANDOM)
			rc = strbuf_error(err, -1, "'random' stands alone: each seed of --seeds draws its faults");
	}
	if (!rc && !list->nr)
		rc = expected(err, specs);
	free(copy);
	return rc;
}

const struct fault *fault_find(const struct fault_list *list, enum fault_kind kind)
{
	size_t i;
	for (i = 0; list && i < list->nr; i++)
		if (list->v[i].kind == kind)
			return &list->v[i];
	return NULL;
}

void fault_list_without(const struct fault_list *list, enum fault_kind kind, struct fault_list *out)
{
	size_t i;
	for (i = 0; list && i < list->nr; i++)
		if (list->v[i].kind != kind) {
			ALLOC_GROW(out->v, out->nr + 1, out->alloc);
			out->v[out->nr++] = list->v[i];
		}
}

void fault_format(const struct fault *f, struct strbuf *out)
{
	const struct fault_def *d = &defs[f->kind];
	strbuf_addstr(out, d->name);
	if (f->kind == FAULT_FIX_CRASH && f->arg == FAULT_ALL)
		strbuf_addstr(out, "=all");
	else if (d->arg == 2 || (d->arg == 1 && f->arg != 1))
		strbuf_addf(out, "=%lld", (long long)f->arg);
	if (f->tick != FAULT_AT_FIX)
		strbuf_addf(out, "@%lld", (long long)f->tick);
}

void fault_list_release(struct fault_list *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

void fault_list_random(uint64_t seed, size_t nstmts, struct fault_list *out)
{
	struct prng r;
	struct fault f = { FAULT_FIX_CRASH, 1, FAULT_AT_FIX };

	prng_seed(&r, seed, 99);
	switch (prng_below(&r, 3)) {
	case 0:
		return;
	case 1:
		f.arg = 1 + (int64_t)prng_below(&r, nstmts ? nstmts : 1);
		break;
	default:
		f.kind = FAULT_KILL_CLIENT;
		break;
	}
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	out->v[out->nr++] = f;
}
