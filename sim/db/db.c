/*
** Thin wrappers over the driver table, so that callers never reach into
** a driver and optional operations are checked in one place.
**
** SPDX-License-Identifier: MIT
*/
#include "db.h"

#include <string.h>

#include "../base/alloc.h"

/* In enum order: the table is checked against the enum when it compiles. */
static const char *const errclass_names[] = {
	"none",
	"constraint",
	"unique",
	"not-null",
	"foreign-key",
	"busy",
	"missing-object",
	"syntax",
	"serialization",
	"connection",
	"io",
	"row-count",
	"refused",
	"timeout",
	"other",
};

_Static_assert(sizeof(errclass_names) / sizeof(errclass_names[0]) == DBE_COUNT,
	       "an error class without its name");

const char *db_errclass_name(int cls)
{
	return cls >= 0 && cls < DBE_COUNT ? errclass_names[cls] : "other";
}

/* The drivers, each defined in its own file; the first is the default. */
extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

static const struct db_driver *const drivers[] = {
	&db_sqlite_driver,
	&db_pg_driver,
};

#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

const struct db_driver *db_driver_find(int dialect)
{
	size_t i;
	for (i = 0; i < NDRIVERS; i++)
		if (drivers[i]->dialect == dialect)
			return drivers[i];
	return NULL;
}

const char *db_name(const struct db_driver *drv)
{
	return dialect_name(drv->dialect);
}

int db_can(const struct db_driver *drv, unsigned caps)
{
	return (drv->caps & caps) == caps;
}

int db_dialect(const struct db_driver *drv)
{
	return drv->dialect;
}

const char *db_target_need(const struct db_driver *drv)
{
	return drv->target_need;
}

char db_param_prefix(const struct db_driver *drv)
{
	return drv->param_prefix;
}

void db_driver_names(unsigned caps, int targets, struct strbuf *out)
{
	size_t i, n = 0, k = 0;
	for (i = 0; i < NDRIVERS; i++)
		n += db_can(drivers[i], caps);
	for (i = 0; i < NDRIVERS; i++) {
		if (!db_can(drivers[i], caps))
			continue;
		if (k++)
			strbuf_addstr(out, k == n ? " or " : ", ");
		strbuf_addstr(out, targets ? drivers[i]->target_need : db_name(drivers[i]));
	}
}

int db_takes(const struct db_driver *drv, const char *target)
{
	const char *const *t;
	if (!target || !*target)
		return drv == drivers[0];
	for (t = drv->targets; *t; t++) {
		size_t n = strlen(*t);
		if (n > 2 && !strcmp(*t + n - 2, "//") ? !strncmp(target, *t, n) : !strcmp(target, *t))
			return 1;
	}
	return 0;
}

const struct db_driver *db_driver_for(const char *target)
{
	size_t i;
	for (i = 0; i < NDRIVERS; i++)
		if (db_takes(drivers[i], target))
			return drivers[i];
	return NULL;
}

void db_target_help(struct strbuf *out)
{
	size_t i;
	for (i = 0; i < NDRIVERS; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", drivers[i]->target_help);
}

/* What a caller that gives no options gets. */
static const struct db_options defaults = { 0, DB_STATEMENT_TIMEOUT_DEFAULT, NULL };

const char *db_after_seed_sql(const struct db_driver *drv)
{
	return drv->after_seed_sql;
}

const char *db_home_schema(const struct db_driver *drv)
{
	return drv->schema;
}

int db_create(const struct db_driver *drv, const char *target, const struct db_options *o,
	      struct db **out, struct strbuf *err)
{
	return drv->create(target, o ? o : &defaults, out, err);
}

int db_copy(const struct db_driver *drv, struct db *from, const struct db_options *o, struct db **out,
	    struct strbuf *err)
{
	if (!drv->copy)
		return strbuf_error(err, -1, "%s cannot copy a database", db_name(drv));
	return drv->copy(from, o ? o : &defaults, out, err);
}

int db_destroy(const struct db_driver *drv, struct db *db, int keep, struct strbuf *kept,
	       struct strbuf *err)
{
	return db ? drv->destroy(db, keep, kept, err) : 0;
}

int db_gc(const struct db_driver *drv, const char *target, const struct db_options *o,
	  struct strbuf *removed, struct strbuf *err)
{
	return drv->gc ? drv->gc(target, o ? o : &defaults, removed, err) : 0;
}

void db_own_sql(const struct db_driver *drv, struct db_conn *c, int own)
{
	if (drv->own_sql && c)
		drv->own_sql(c, own);
}

void db_where(const struct db_driver *drv, struct db *db, struct strbuf *out)
{
	if (drv->where && db)
		drv->where(db, out);
}

int db_connect(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err)
{
	return drv->connect(db, out, err);
}

void db_disconnect(const struct db_driver *drv, struct db_conn *c)
{
	if (c)
		drv->disconnect(c);
}

int db_prepare(const struct db_driver *drv, struct db_conn *c, const char *sql, struct db_stmt **out)
{
	return drv->prepare(c, sql, out);
}

void db_finalize(const struct db_driver *drv, struct db_stmt *st)
{
	if (st)
		drv->finalize(st);
}

int db_run(const struct db_driver *drv, struct db_stmt *st, int nparams,
	   const char *const *vals, db_row_fn fn, void *ctx)
{
	return drv->run(st, nparams, vals, fn, ctx);
}

int db_begin(const struct db_driver *drv, struct db_conn *c)
{
	return drv->begin(c);
}

int db_begin_ro(const struct db_driver *drv, struct db_conn *c)
{
	return drv->begin_ro ? drv->begin_ro(c) : drv->begin(c);
}

int db_commit(const struct db_driver *drv, struct db_conn *c)
{
	return drv->commit(c);
}

int db_rollback(const struct db_driver *drv, struct db_conn *c)
{
	return drv->rollback(c);
}

int db_in_tx(const struct db_driver *drv, struct db_conn *c)
{
	return drv->in_tx(c);
}

const char *db_errmsg(const struct db_driver *drv, struct db_conn *c)
{
	return drv->errmsg(c);
}

int db_errclass(const struct db_driver *drv, struct db_conn *c)
{
	return drv->errclass(c);
}

int64_t db_changes(const struct db_driver *drv, struct db_conn *c)
{
	return drv->changes ? drv->changes(c) : -1;
}

int64_t db_work(const struct db_driver *drv, struct db_conn *c, int *wrote)
{
	*wrote = 0;
	return drv->work ? drv->work(c, wrote) : 1;
}

int db_snapshot(const struct db_driver *drv, struct db_conn *c, struct strbuf *err)
{
	if (!drv->snapshot)
		return strbuf_error(err, -1, "the %s driver cannot take a snapshot", db_name(drv));
	return drv->snapshot(c, err);
}

void db_set_nowait(const struct db_driver *drv, struct db_conn *c, int nowait)
{
	if (drv->set_nowait)
		drv->set_nowait(c, nowait);
}

int db_socket(const struct db_driver *drv, struct db_conn *c)
{
	return drv->socket ? drv->socket(c) : -1;
}

int db_lock_waiting(const struct db_driver *drv, struct db_conn *c)
{
	return drv->lock_waiting ? drv->lock_waiting(c) : 0;
}

int db_blocked_by_other(const struct db_driver *drv, struct db_conn *c, struct db_conn *const *peers, size_t n)
{
	return drv->blocked_by_other ? drv->blocked_by_other(c, peers, n) : 0;
}

int db_reconnect(const struct db_driver *drv, struct db_conn *c, struct strbuf *err)
{
	if (!drv->reconnect)
		return strbuf_error(err, -1, "the %s driver cannot reconnect", db_name(drv));
	return drv->reconnect(c, err);
}

int db_kill(const struct db_driver *drv, struct db_conn *c, int send_commit, struct strbuf *err)
{
	if (!drv->kill)
		return strbuf_error(err, -1, "the %s driver cannot kill a session", db_name(drv));
	return drv->kill(c, send_commit, err);
}

int db_fault_io(const struct db_driver *drv, int kind, long long after)
{
	if (!drv->fault_io)
		return -1;
	drv->fault_io(kind, after);
	return 0;
}

int db_catalog(const struct db_driver *drv, struct db_conn *c, struct db_catalog *out, struct strbuf *err)
{
	if (!drv->catalog)
		return strbuf_error(err, -1, "the %s driver cannot read a catalogue", db_name(drv));
	return drv->catalog(c, out, err);
}

static int schema_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct strbuf *out = ctx;
	int i;
	(void)names;
	for (i = 0; i < ncol; i++)
		strbuf_addf(out, "%s%s", i ? " | " : "", vals[i] ? vals[i] : "NULL");
	strbuf_addch(out, '\n');
	return 0;
}

int db_schema(const struct db_driver *drv, struct db_conn *c, struct strbuf *out, struct strbuf *err)
{
	int cls;
	if (!drv->schema_query)
		return strbuf_error(err, -1, "the %s driver cannot describe a schema", db_name(drv));
	return db_exec_now(drv, c, drv->schema_query, 0, NULL, schema_row, out, &cls, err);
}

int64_t db_steps(const struct db_driver *drv, struct db_conn *c)
{
	return drv->steps ? drv->steps(c) : -1;
}

const char *db_locks_query(const struct db_driver *drv)
{
	return drv->locks_query;
}

const char *db_work_query(const struct db_driver *drv)
{
	return drv->work_query;
}

const char *db_storage_query(const struct db_driver *drv)
{
	return drv->storage_query;
}

/* A reader, after the brief settings when brief is set. */
static int reader_open(const struct db_driver *drv, struct db *db, int brief, struct db_conn **out,
		       struct strbuf *err)
{
	struct db_conn *c = NULL;
	const char *const *q;
	int cls, rc = 0;

	*out = NULL;
	if (db_connect(drv, db, &c, err))
		return -1;
	db_own_sql(drv, c, 1);
	for (q = brief ? drv->brief_sql : NULL; q && *q && !rc; q++)
		rc = db_exec_now(drv, c, *q, 0, NULL, NULL, NULL, &cls, err);
	for (q = drv->reader_sql; q && *q && !rc; q++)
		rc = db_exec_now(drv, c, *q, 0, NULL, NULL, NULL, &cls, err);
	db_own_sql(drv, c, 0);
	if (rc) {
		db_reader_close(drv, c);
		return DB_EREFUSED;
	}
	*out = c;
	return 0;
}

int db_reader_open(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err)
{
	return reader_open(drv, db, 0, out, err);
}

int db_reader_open_brief(const struct db_driver *drv, struct db *db, struct db_conn **out, struct strbuf *err)
{
	return reader_open(drv, db, 1, out, err);
}

void db_reader_close(const struct db_driver *drv, struct db_conn *c)
{
	if (!c)
		return;
	db_rollback(drv, c);
	db_disconnect(drv, c);
}

struct name_list {
	char **v;
	size_t nr, alloc;
};

static int column_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct name_list *l = ctx;
	(void)names;
	if (ncol < 1 || !vals[0])
		return 0;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(vals[0]);
	return 0;
}

int db_columns(const struct db_driver *drv, struct db_conn *c, const char *table,
	       char ***names, size_t *n, struct strbuf *err)
{
	struct name_list l = { NULL, 0, 0 };
	const char *vals[1] = { table };
	int cls, rc;

	*names = NULL;
	*n = 0;
	if (!drv->columns_query)
		return strbuf_error(err, -1, "the %s driver cannot list a table's columns", db_name(drv));
	rc = db_exec_now(drv, c, drv->columns_query, 1, vals, column_row, &l, &cls, err);
	*names = l.v;
	*n = l.nr;
	return rc;
}

int db_last_tx_outcome(const struct db_driver *drv, struct db_conn *c)
{
	return drv->last_tx_outcome ? drv->last_tx_outcome(c) : DB_OUTCOME_UNKNOWN;
}

/* Is s at a key=value conninfo's "password" key (s at the key's start)? */
static int password_key(const char *s, size_t *keylen)
{
	const char *p = s + 8;
	if (strncmp(s, "password", 8))
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return 0;
	*keylen = (size_t)(p + 1 - s);
	return 1;
}

/* The end of a key=value conninfo value at s: quoted with '...' and \', or up to white space. */
static const char *kv_value_end(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\'') {
		while (*s && *s != ' ' && *s != '\t')
			s++;
		return s;
	}
	for (s++; *s && *s != '\''; s++)
		if (*s == '\\' && s[1])
			s++;
	return *s ? s + 1 : s;
}

void db_target_display(const char *target, struct strbuf *out)
{
	const char *scheme = strstr(target, "://"), *at, *colon, *slash;
	size_t i, kl;

	if (!scheme) {
		/* "host=x password=secret user=y" -> "host=x user=y" */
		const char *s = target;
		size_t start = out->len;
		while (*s) {
			if ((s == target || s[-1] == ' ' || s[-1] == '\t') && password_key(s, &kl)) {
				s = kv_value_end(s + kl);
				while (*s == ' ' || *s == '\t')
					s++;
				continue;
			}
			strbuf_addch(out, *s++);
		}
		while (out->len > start && (out->buf[out->len - 1] == ' ' || out->buf[out->len - 1] == '\t'))
			strbuf_setlen(out, out->len - 1);
		return;
	}
	/* postgres://user:secret@host/db -> postgres://user@host/db */
	slash = strchr(scheme + 3, '/');
	at = strrchr(scheme + 3, '@');
	if (at && slash && at > slash) /* an '@' in the path or query is no user's */
		for (at = NULL, i = 0; scheme + 3 + i < slash; i++)
			if (scheme[3 + i] == '@')
				at = scheme + 3 + i;
	colon = strchr(scheme + 3, ':');
	if (at && colon && colon < at) {
		strbuf_add(out, target, (size_t)(colon - target));
		target = at;
	}
	/* ...?password=secret&x=1 -> ...?x=1 */
	for (i = 0; target[i]; i++) {
		if ((target[i] == '?' || target[i] == '&') &&
		    !strncmp(target + i + 1, "password=", 9)) {
			const char *e = strchr(target + i + 1, '&');
			strbuf_addch(out, target[i]);
			if (!e)
				break;
			i = (size_t)(e - target);
			continue;
		}
		strbuf_addch(out, target[i]);
	}
	if (out->len && (out->buf[out->len - 1] == '?' || out->buf[out->len - 1] == '&'))
		strbuf_setlen(out, out->len - 1);
}

/* Each password target carries onto list: raw, and percent-decoded when it differs. */
static void target_secrets(const char *target, struct strbuf *list, size_t *n, size_t max)
{
	const char *scheme = strstr(target, "://"), *s, *e;

	*n = 0;
	if (!scheme) {
		for (s = target; *s && *n < max; s++) {
			size_t kl;
			if ((s == target || s[-1] == ' ' || s[-1] == '\t') && password_key(s, &kl)) {
				const char *v = s + kl;
				while (*v == ' ' || *v == '\t')
					v++;
				e = kv_value_end(v);
				if (*v == '\'' && e > v + 1)
					strbuf_add(&list[(*n)++], v + 1, (size_t)(e - v - 2));
				else if (e > v)
					strbuf_add(&list[(*n)++], v, (size_t)(e - v));
				s = e > s ? e - 1 : s;
			}
		}
		return;
	}
	s = scheme + 3;
	e = s + strcspn(s, "/?");
	{
		const char *at = NULL, *p, *colon;
		for (p = s; p < e; p++)
			if (*p == '@')
				at = p;
		colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
		if (colon && at > colon + 1 && *n < max)
			strbuf_add(&list[(*n)++], colon + 1, (size_t)(at - colon - 1));
	}
	for (s = strchr(target, '?'); s && *n < max; s = strchr(s + 1, '&'))
		if (!strncmp(s + 1, "password=", 9) && s[10]) {
			e = s + 10 + strcspn(s + 10, "&");
			if (e > s + 10)
				strbuf_add(&list[(*n)++], s + 10, (size_t)(e - s - 10));
		}
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void db_redact(const char *target, const char *msg, struct strbuf *out)
{
	struct strbuf secrets[8], shown = STRBUF_INIT, tmp = STRBUF_INIT;
	size_t n, i, k, tl = strlen(target);

	for (i = 0; i < 8; i++)
		strbuf_init(&secrets[i]);
	target_secrets(target, secrets, &n, 4);
	/* A URI's password may reach a message percent-decoded. */
	for (i = 0, k = n; i < k && n < 8; i++) {
		const char *p = secrets[i].buf;
		int changed = 0;
		strbuf_reset(&tmp);
		for (; *p; p++) {
			if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				strbuf_addch(&tmp, hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
				changed = 1;
			} else {
				strbuf_addch(&tmp, *p);
			}
		}
		if (changed && tmp.len)
			strbuf_add(&secrets[n++], tmp.buf, tmp.len);
	}
	db_target_display(target, &shown);
	/* The whole target first, as its display; then any password left. */
	while (*msg) {
		size_t best = 0;
		if (tl && !strncmp(msg, target, tl)) {
			strbuf_addstr(out, shown.buf);
			msg += tl;
			continue;
		}
		for (i = 0; i < n; i++)
			if (secrets[i].len > best && !strncmp(msg, secrets[i].buf, secrets[i].len))
				best = secrets[i].len;
		if (best) {
			strbuf_addstr(out, "***");
			msg += best;
			continue;
		}
		strbuf_addch(out, *msg++);
	}
	for (i = 0; i < 8; i++)
		strbuf_release(&secrets[i]);
	strbuf_release(&shown);
	strbuf_release(&tmp);
}

int db_exec_now(const struct db_driver *drv, struct db_conn *c, const char *sql,
		int nparams, const char *const *vals, db_row_fn fn, void *ctx,
		int *cls, struct strbuf *err)
{
	struct db_stmt *st = NULL;
	int rc;

	*cls = DBE_NONE;
	rc = drv->prepare(c, sql, &st);
	/* On an async engine a statement still working comes back pending: wait for it. */
	while (rc == DB_DONE || rc == DB_PENDING)
		if ((rc = drv->run(st, nparams, vals, fn, ctx)) != DB_PENDING)
			break;
	if (rc == DB_BLOCKED) {
		*cls = DBE_BUSY;
		strbuf_error(err, -1, "database is locked");
		rc = -1;
	} else if (rc == DB_ERROR) {
		*cls = drv->errclass(c);
		strbuf_error(err, -1, "%s", drv->errmsg(c));
		rc = -1;
	}
	if (st)
		drv->finalize(st);
	return rc;
}

int db_exec_try(const struct db_driver *drv, struct db_conn *c, const char *sql,
		int nparams, const char *const *vals, db_row_fn fn, void *ctx,
		int *cls, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int in_tx = db_in_tx(drv, c), rc, scls;

	if (in_tx) {
		rc = db_exec_now(drv, c, "SAVEPOINT mdrill_try", 0, NULL, NULL, NULL, &scls, &why);
		if (rc) {
			*cls = scls;
			strbuf_error(err, -1, "%s", why.buf);
			strbuf_release(&why);
			return -1;
		}
	}
	rc = db_exec_now(drv, c, sql, nparams, vals, fn, ctx, cls, err);
	if (in_tx)
		db_exec_now(drv, c, rc ? "ROLLBACK TO SAVEPOINT mdrill_try" : "RELEASE SAVEPOINT mdrill_try",
			    0, NULL, NULL, NULL, &scls, &why);
	strbuf_release(&why);
	return rc;
}
