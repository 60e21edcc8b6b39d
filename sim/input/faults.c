/*
** The fault parser: a table of names, what argument each takes, and
** whether it may be timed.
*/
#include "faults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"

static const struct fault_def {
	const char *name;
	int arg;          /* 0 none, 1 optional (default 1), 2 required */
	int timed;        /* may carry @TICK */
	const char *what; /* the argument, for messages */
	int64_t max;      /* the largest argument that makes sense */
} defs[FAULT_KINDS] = {
	[FAULT_FIX_CRASH] = { "fix-crash", 2, 0, "a statement number or 'all'", 100000 },
	[FAULT_KILL_CLIENT] = { "kill-client", 1, 1, "how many clients, up to 1000", 1000 },
	[FAULT_BUSY] = { "busy", 2, 1, "a lock timeout in ticks", 1000000000 },
	[FAULT_SLOW_FIX] = { "slow-fix", 2, 0, "extra ticks per statement", 1000000 },
	[FAULT_DISK_FULL] = { "disk-full", 2, 1, "bytes written before the disk is full", INT64_MAX / 2 },
	[FAULT_IOERR] = { "ioerr", 1, 1, "writes before the I/O errors start", INT64_MAX / 2 },
	[FAULT_FIX_TIMEOUT] = { "fix-timeout", 2, 0, "a statement_timeout in milliseconds", 2147483647 },
	[FAULT_RANDOM] = { "random", 0, 0, "", 0 },
};

const char *fault_name(int kind)
{
	return kind >= 0 && kind < FAULT_KINDS ? defs[kind].name : "?";
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
	return strbuf_error(err, -1, "unknown fault '%s' (expected fix-crash=K|all, kill-client[=N], "
			    "busy=TICKS, slow-fix=TICKS, disk-full=BYTES, ioerr[=WRITES], "
			    "fix-timeout=MS or random; timed ones take @TICK)", spec);
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
	f.kind = (int)k;
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

const struct fault *fault_find(const struct fault_list *list, int kind)
{
	size_t i;
	for (i = 0; list && i < list->nr; i++)
		if (list->v[i].kind == kind)
			return &list->v[i];
	return NULL;
}

void fault_list_without(const struct fault_list *list, int kind, struct fault_list *out)
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
