/*
** Thin wrappers over the driver table, so that callers never reach into
** a driver and optional operations are checked in one place.
*/
#include "db.h"

#include <string.h>

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

int db_create(const struct db_driver *drv, const char *target, struct db **out, struct strbuf *err)
{
	return drv->create(target, out, err);
}

void db_destroy(const struct db_driver *drv, struct db *db, int keep, struct strbuf *kept)
{
	if (db)
		drv->destroy(db, keep, kept);
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

int db_last_tx_outcome(const struct db_driver *drv, struct db_conn *c)
{
	return drv->last_tx_outcome ? drv->last_tx_outcome(c) : DB_OUTCOME_UNKNOWN;
}

void db_target_display(const char *target, struct strbuf *out)
{
	const char *scheme = strstr(target, "://"), *at, *colon;
	size_t i;

	if (!scheme) {
		strbuf_addstr(out, target);
		return;
	}
	/* postgres://user:secret@host/db -> postgres://user@host/db */
	at = strchr(scheme + 3, '@');
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
