/*
** The PostgreSQL driver, through libpq.  mdrill connects to the server's
** maintenance database only to create its own disposable database
** (mdrill_ and a random suffix) and to drop it; every drill connection
** checks that it stands in that database before anything runs.
** Statements go out asynchronously: a statement still running after a
** short grace is asked about in pg_stat_activity, and one that waits on a
** lock comes back DB_BLOCKED, so the scheduler steps the others while it
** waits.  It refuses to run as a superuser unless told to (privileges are
** the sandbox on a server: a CREATEDB role cannot reach beyond its own
** databases), checks statements for what would reach beyond the drill's
** database before the server sees them, and bounds every statement by the
** statement timeout on both sides.  The only file that includes libpq-fe.h.
**
** SPDX-License-Identifier: MIT
*/
#include "db.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"
#include "catalog.h"
#include "owner.h"
#include "stats.h"

#define GRACE_MS 10          /* how long a step waits before it asks why */
#define LOCK_TIMEOUT "30s"   /* the server's backstop; the tick-based busy comes first */
#define CONNECT_TIMEOUT "10" /* seconds, unless the target says otherwise */
#define CANCEL_GRACE 5.0     /* seconds a cancelled statement has to answer before the connection goes */

struct db {
	char *target;        /* the user's conninfo or URL, "" for PG* variables */
	char *name;          /* the disposable database */
	PGconn *mon;         /* maintenance connection: create, drop, lock checks */
	int nconns;          /* connections opened: the first is the migrator's */
	struct db_options opts;
};

struct db_stmt {
	struct db_conn *c;
	char *sql;
};

struct db_conn {
	struct db *db;
	PGconn *pg;
	const char *role;        /* application_name, so operators can tell who is who */
	int pid;
	const void *pending;     /* what was sent and not yet fully read */
	int failed;              /* the pending statement has reported an error */
	int nowait;              /* enum db_wait: when to return DB_PENDING rather than wait */
	char *msg;
	int cls;
	char sqlstate[6];
	char xid[32];            /* pg_current_xact_id() of the open transaction */
	char lost_xid[32];       /* ... of the one a lost connection left behind */
	int lost_in_tx;
	int64_t changes;         /* rows the pending or last statement changed */
	int own;                 /* mdrill's own SQL runs: the text checks are lifted */
	double sent_at;          /* when the pending statement went out (monotonic seconds) */
	double cancelled_at;     /* when mdrill cancelled it, 0 if it did not */
	int stopped;             /* why: 1 the statement timeout, 2 a signal */
};

static const char begin_sql[] = "BEGIN; SELECT pg_current_xact_id()";

static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* a library never prints: NOTICEs are dropped */
}

static int pg_classify(const char *state, int conn_bad)
{
	if (conn_bad)
		return DBE_CONNECTION;
	if (!state || !*state)
		return DBE_OTHER;
	if (!strcmp(state, "23502"))
		return DBE_NOT_NULL;
	if (!strcmp(state, "23503"))
		return DBE_FOREIGN_KEY;
	if (!strcmp(state, "23505"))
		return DBE_UNIQUE;
	if (!strncmp(state, "23", 2))
		return DBE_CONSTRAINT;
	if (!strcmp(state, "42703") || !strcmp(state, "42P01") || !strcmp(state, "42704") ||
	    !strcmp(state, "42883") || !strcmp(state, "3F000"))
		return DBE_MISSING;
	if (!strcmp(state, "42601"))
		return DBE_SYNTAX;
	if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
		return DBE_BUSY;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		return DBE_SERIALIZATION;
	/* disk_full and io_error: the server is up, its storage is not. */
	if (!strcmp(state, "53100") || !strcmp(state, "58030"))
		return DBE_IO;
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
	    !strcmp(state, "57P03"))
		return DBE_CONNECTION;
	return DBE_OTHER;
}

/*
** The first line of a server message, without its "ERROR:  " prefix: the
** LINE and caret lines that follow belong to a terminal, not a report.
*/
static char *first_line(const char *msg)
{
	const char *e;
	msg = msg ? msg : "";
	if (!strncmp(msg, "ERROR:  ", 8) || !strncmp(msg, "FATAL:  ", 8))
		msg += 8;
	e = strchr(msg, '\n');
	return e ? xstrndup(msg, (size_t)(e - msg)) : xstrdup(msg);
}

static void set_msg(struct db_conn *c, const char *msg, const char *state)
{
	const char *detail = msg ? strstr(msg, "\nDETAIL:  ") : NULL;
	free(c->msg);
	c->msg = first_line(msg);
	/* The server's DETAIL says which row or value: "Key (email)=(x) is duplicated." */
	if (detail) {
		struct strbuf m = STRBUF_INIT;
		char *d = first_line(detail + 10);
		strbuf_addf(&m, "%s (%s)", c->msg, d);
		free(d);
		free(c->msg);
		c->msg = strbuf_detach(&m);
	}
	snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
	c->cls = pg_classify(state, PQstatus(c->pg) == CONNECTION_BAD);
}

/*
** Connect to target with dbname overridden (NULL keeps the target's).  A
** connect timeout comes first, so the target's own, if it has one, wins:
** a server that never answers must not hang mdrill.
*/
static PGconn *pg_open(const char *target, const char *dbname, const char *app)
{
	const char *keys[] = { "connect_timeout", "dbname", "dbname", "application_name", NULL };
	const char *vals[] = { CONNECT_TIMEOUT, target, dbname, app, NULL };
	PGconn *pg;
	if (!dbname) {
		keys[2] = "application_name";
		vals[2] = app;
		keys[3] = NULL;
		vals[3] = NULL;
	}
	if (getenv("PGCONNECT_TIMEOUT"))
		vals[0] = NULL;   /* NULL: the variable's */
	pg = PQconnectdbParams(keys, vals, 1);
	if (pg)
		PQsetNoticeProcessor(pg, no_notices, NULL);
	return pg;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
** Has the statement out on c run past the statement timeout, or is mdrill
** stopping?  Then ask the server to cancel it (once): its answer, an
** error, follows.  A fix can SET statement_timeout = 0 for its session;
** this clock is mdrill's own.
*/
static void overdue(struct db_conn *c)
{
	const struct db_options *o = &c->db->opts;
	PGcancel *cn;
	char buf[256];
	int why = 0;

	if (!c->pending || c->cancelled_at)
		return;
	if (o->stop && *o->stop)
		why = 2;
	else if (o->statement_timeout_ms > 0 && (now_s() - c->sent_at) * 1000 > (double)o->statement_timeout_ms)
		why = 1;
	if (!why)
		return;
	c->stopped = why;
	c->cancelled_at = now_s();
	if ((cn = PQgetCancel(c->pg)) != NULL) {
		PQcancel(cn, buf, sizeof(buf));
		PQfreeCancel(cn);
	}
}

/* The maintenance connection, connected again if a fix terminated it. */
static PGconn *mon_conn(struct db *db)
{
	if (!db->mon || PQstatus(db->mon) != CONNECTION_OK) {
		PQfinish(db->mon);
		db->mon = pg_open(db->target, NULL, "mdrill");
	}
	return db->mon;
}

/* "cannot ...: MESSAGE" with every password of the target redacted from libpq's message. */
static void redacted(struct strbuf *out, const char *target, const char *msg)
{
	struct strbuf m = STRBUF_INIT;
	db_redact(target, msg ? msg : "out of memory", &m);
	strbuf_rtrim(&m);
	strbuf_addstr(out, m.buf);
	strbuf_release(&m);
}

/* "postgres:" alone means: everything from the PG* variables. */
static const char *plain_target(const char *target)
{
	if (!target || !strcmp(target, "postgres:") || !strcmp(target, "postgresql:"))
		return "";
	return target;
}

/*
** A superuser's SQL can run shell commands on the server (COPY ... TO
** PROGRAM), read its files and drop other databases: participants' SQL
** must not run with that.  A role with CREATEDB alone runs every drill.
*/
static int superuser_refused(PGconn *mon, const char *shown, struct strbuf *err)
{
	const char *su = PQparameterStatus(mon, "is_superuser");
	const char *user = PQuser(mon), *dbname = PQdb(mon);

	if (!su || strcmp(su, "on"))
		return 0;
	strbuf_reset(err);
	strbuf_addf(err, "refusing to run as '%s' on '%s': a superuser; the drill's SQL (the "
		    "participants' fixes) would run with it, and a superuser's SQL runs shell commands "
		    "on the server (COPY ... TO PROGRAM), reads its files and drops other databases. "
		    "Connect as a role with CREATEDB and nothing more, made once by a superuser:\n"
		    "    CREATE ROLE mdrill LOGIN CREATEDB PASSWORD 'choose one';\n"
		    "    GRANT CONNECT ON DATABASE %s TO mdrill;\n"
		    "(or pass --allow-superuser on a throwaway server)", user ? user : "?", shown,
		    dbname ? dbname : "postgres");
	return -1;
}

/* The random suffix of a database's name, from /dev/urandom. */
static int random_hex(char *out, size_t bytes, struct strbuf *err)
{
	unsigned char rnd[8];
	size_t i;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (bytes > sizeof(rnd))
		bytes = sizeof(rnd);
	if (fd < 0 || read(fd, rnd, bytes) != (ssize_t)bytes) {
		if (fd >= 0)
			close(fd);
		return strbuf_error(err, -1, "cannot read /dev/urandom: %s", strerror(errno));
	}
	close(fd);
	for (i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", rnd[i]);
	return 0;
}

/*
** The database's name carries its owner from the moment it exists:
** mdrill_HOSTHASH_PID_RANDOM.  The COMMENT that follows says it in full
** (host, pid, start), but a run killed in between leaves no comment.
*/
/* A fresh database at target, empty (template NULL) or a copy of the database template names. */
static int create_db(const char *target, const struct db_options *o, const char *template, struct db **out,
		     struct strbuf *err)
{
	struct db *db = xcalloc(1, sizeof(*db));
	struct strbuf sql = STRBUF_INIT, shown = STRBUF_INIT, mark = STRBUF_INIT;
	struct owner me;
	char rnd[17];
	PGresult *r;
	char *lit;
	int rc = -1;

	db->opts = *o;
	target = plain_target(target);
	db->target = xstrdup(target);
	db_target_display(target, &shown);
	db->mon = pg_open(db->target, NULL, "mdrill");
	if (!db->mon || PQstatus(db->mon) != CONNECTION_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot connect to '%s': ", shown.buf);
		redacted(err, db->target, db->mon ? PQerrorMessage(db->mon) : NULL);
		goto fail;
	}
	if (!o->allow_superuser && superuser_refused(db->mon, shown.buf, err)) {
		rc = DB_EREFUSED;
		goto fail;
	}
	if (random_hex(rnd, 3, err))
		goto fail;
	strbuf_addf(&sql, "mdrill_%08x_%ld_%s", (unsigned)owner_host_hash(), (long)getpid(), rnd);
	db->name = strbuf_detach(&sql);
	strbuf_addf(&sql, "CREATE DATABASE %s", db->name);
	if (template)
		strbuf_addf(&sql, " TEMPLATE %s", template);
	r = PQexec(db->mon, sql.buf);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot create database '%s' on '%s': ", db->name, shown.buf);
		redacted(err, db->target, PQresultErrorMessage(r));
		PQclear(r);
		free(db->name);
		db->name = NULL;
		goto fail;
	}
	PQclear(r);
	owner_self(&me);
	owner_format(&me, &mark);
	lit = PQescapeLiteral(db->mon, mark.buf, mark.len);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "COMMENT ON DATABASE %s IS %s", db->name, lit ? lit : "NULL");
	PQfreemem(lit);
	r = PQexec(db->mon, sql.buf);
	PQclear(r);   /* the name marks it already: a comment that failed is no failure */
	strbuf_release(&sql);
	strbuf_release(&shown);
	strbuf_release(&mark);
	*out = db;
	return 0;
fail:
	PQfinish(db->mon);
	free(db->target);
	free(db->name);
	free(db);
	strbuf_release(&sql);
	strbuf_release(&shown);
	strbuf_release(&mark);
	return rc;
}

static int pg_create(const char *target, const struct db_options *o, struct db **out, struct strbuf *err)
{
	return create_db(target, o, NULL, out, err);
}

/* A copy of from, on its server: from's name is mdrill's own, and no connection is open on it. */
static int pg_copy(struct db *from, const struct db_options *o, struct db **out, struct strbuf *err)
{
	return create_db(from->target, o, from->name, out, err);
}

/* DROP DATABASE name on mon; 0, or -1 with the server's reason (or the lost connection's) in why. */
static int drop_database(PGconn *mon, const char *name, struct strbuf *why)
{
	struct strbuf sql = STRBUF_INIT;
	PGresult *r;
	int ok;

	strbuf_addf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	r = PQexec(mon, sql.buf);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok && strstr(PQresultErrorMessage(r), "must be a member of the role")) {
		/*
		** FORCE would end every session there, an autovacuum worker's too,
		** which a role without pg_signal_backend may not: end the drill's
		** own sessions, and let a plain DROP send the worker away, as it does.
		*/
		PQclear(r);
		strbuf_reset(&sql);
		strbuf_addf(&sql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
			    "AND usename = current_user AND pid <> pg_backend_pid()", name);
		r = PQexec(mon, sql.buf);
		PQclear(r);
		strbuf_reset(&sql);
		strbuf_addf(&sql, "DROP DATABASE IF EXISTS %s", name);
		r = PQexec(mon, sql.buf);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	}
	if (!ok) {
		char *m = first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(mon));
		strbuf_reset(why);
		strbuf_addstr(why, *m ? m : "the connection to the server was lost");
		free(m);
	}
	PQclear(r);
	strbuf_release(&sql);
	return ok ? 0 : -1;
}

/*
** Drop the drill's database.  A fix may have terminated the maintenance
** connection (pg_terminate_backend of every other backend): then connect
** again and drop it all the same; say so when even that fails.
*/
static int pg_destroy(struct db *db, int keep, struct strbuf *kept, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = 0;

	if (keep) {
		/* Kept: no run's any more, so gc leaves it to whoever asked for it. */
		struct strbuf sql = STRBUF_INIT;
		strbuf_addf(&sql, "COMMENT ON DATABASE %s IS 'mdrill: kept with --keep'", db->name);
		PQclear(PQexec(mon_conn(db), sql.buf));
		strbuf_release(&sql);
		if (kept)
			strbuf_addf(kept, "database %s", db->name);
	} else if (db->name) {
		if (!db->mon || PQstatus(db->mon) != CONNECTION_OK || drop_database(db->mon, db->name, &why)) {
			PQfinish(db->mon);
			db->mon = pg_open(db->target, NULL, "mdrill");
			if (!db->mon || PQstatus(db->mon) != CONNECTION_OK) {
				strbuf_reset(&why);
				redacted(&why, db->target, db->mon ? PQerrorMessage(db->mon) : NULL);
				rc = -1;
			} else {
				rc = drop_database(db->mon, db->name, &why);
			}
		}
		if (rc)
			strbuf_error(err, -1, "cannot drop database '%s': %s ('mdrill gc --db ...' removes it "
				     "once this run is over)", db->name, why.buf);
	}
	PQfinish(db->mon);
	free(db->target);
	free(db->name);
	free(db);
	strbuf_release(&why);
	return rc;
}

/*
** The owner of a drill database: from its comment (host, pid, start) when
** it has one, else from its name (mdrill_HOSTHASH_PID_...).  Returns 1
** when that run is over on this host, 0 when it lives or mdrill cannot
** tell (another host, another naming).
*/
static int db_owner_gone(const char *name, const char *comment, struct owner *o)
{
	unsigned long hash;
	char *end;

	if (comment)   /* an owner's mark, or a comment of someone's (--keep): theirs */
		return !owner_parse(comment, o) && owner_gone(o) == 1;
	memset(o, 0, sizeof(*o));
	if (strncmp(name, "mdrill_", 7))
		return 0;
	hash = strtoul(name + 7, &end, 16);
	if (end != name + 15 || *end != '_' || hash != owner_host_hash())
		return 0;
	o->pid = strtol(end + 1, &end, 10);
	if (*end != '_')
		return 0;
	snprintf(o->host, sizeof(o->host), "this host");
	return owner_pid_gone(o->pid);
}

static int pg_gc(const char *target, const struct db_options *o, struct strbuf *removed,
		 struct strbuf *err)
{
	PGconn *mon;
	PGresult *r;
	struct strbuf why = STRBUF_INIT, shown = STRBUF_INIT;
	int i, rc = 0;

	(void)o;
	target = plain_target(target);
	db_target_display(target, &shown);
	mon = pg_open(target, NULL, "mdrill gc");
	if (!mon || PQstatus(mon) != CONNECTION_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot connect to '%s': ", shown.buf);
		redacted(err, target, mon ? PQerrorMessage(mon) : NULL);
		rc = -1;
		goto out;
	}
	r = PQexec(mon, "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
			"WHERE datname LIKE 'mdrill\\_%' ORDER BY datname");
	for (i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		struct owner ow;
		if (!db_owner_gone(name, PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1), &ow))
			continue;
		if (drop_database(mon, name, &why))
			strbuf_addf(removed, "! database %s (pid %ld on %s, gone): could not drop it: %s\n", name,
				    ow.pid, ow.host, why.buf);
		else
			strbuf_addf(removed, "database %s (pid %ld on %s, gone)\n", name, ow.pid, ow.host);
	}
	PQclear(r);
out:
	PQfinish(mon);
	strbuf_release(&why);
	strbuf_release(&shown);
	return rc;
}

/* psql and the target with the disposable database's name in place of the maintenance one. */
static void pg_where(struct db *db, struct strbuf *out)
{
	struct strbuf shown = STRBUF_INIT;
	const char *host, *path, *q;

	db_target_display(db->target, &shown);
	host = strstr(shown.buf, "://");
	if (!host) {
		strbuf_addf(out, "psql -d %s", db->name); /* the PG* variables name the rest */
		strbuf_release(&shown);
		return;
	}
	path = strchr(host + 3, '/');
	q = strchr(host + 3, '?');
	if (path && q && q < path)
		path = NULL;
	strbuf_addstr(out, "psql '");
	if (path) {
		strbuf_add(out, shown.buf, (size_t)(path - shown.buf) + 1);
		strbuf_addstr(out, db->name);
		if (q)
			strbuf_addstr(out, q);
	} else {
		strbuf_add(out, shown.buf, q ? (size_t)(q - shown.buf) : shown.len);
		strbuf_addf(out, "/%s%s", db->name, q ? q : "");
	}
	strbuf_addch(out, '\'');
	strbuf_release(&shown);
}

/* Run sql on c synchronously; returns the first value of its last result, or NULL. */
static char *exec_value(PGconn *pg, const char *sql)
{
	PGresult *r = PQexec(pg, sql);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* Open c->pg on the disposable database and check that it is there. */
static int open_conn(struct db_conn *c, struct strbuf *err)
{
	char *cur;
	PGresult *r;

	PQfinish(c->pg);
	c->pg = pg_open(c->db->target, c->db->name, c->role);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot connect to database '%s': ", c->db->name);
		redacted(err, c->db->target, c->pg ? PQerrorMessage(c->pg) : NULL);
		return -1;
	}
	/* mdrill runs scenario SQL only in the database it created. */
	cur = exec_value(c->pg, "SELECT current_database()");
	if (!cur || strcmp(cur, c->db->name)) {
		strbuf_error(err, -1, "refusing to run scenario SQL in database '%s': mdrill created '%s'",
			     cur ? cur : "(unknown)", c->db->name);
		free(cur);
		return -1;
	}
	free(cur);
	/* In UTC, a timestamp with a time zone reads back the same on every machine. */
	r = PQexec(c->pg, "SET lock_timeout = '" LOCK_TIMEOUT "'; SET client_min_messages = warning; "
		   "SET TimeZone = 'UTC'");
	PQclear(r);
	/* The server's side of the statement timeout; mdrill keeps the clock too (await). */
	{
		char sql[64];
		snprintf(sql, sizeof(sql), "SET statement_timeout = %ld",
			 c->db->opts.statement_timeout_ms > 0 ? c->db->opts.statement_timeout_ms : 0L);
		r = PQexec(c->pg, sql);
		PQclear(r);
	}
	c->pid = PQbackendPID(c->pg);
	c->pending = NULL;
	c->failed = 0;
	c->xid[0] = '\0';
	return 0;
}

static void pg_disconnect(struct db_conn *c)
{
	PQfinish(c->pg);
	free(c->msg);
	free(c);
}

static int pg_connect(struct db *db, struct db_conn **out, struct strbuf *err)
{
	struct db_conn *c = xcalloc(1, sizeof(*c));
	c->db = db;
	c->role = db->nconns++ ? "mdrill client" : "mdrill migrator";
	if (open_conn(c, err)) {
		pg_disconnect(c);
		return -1;
	}
	*out = c;
	return 0;
}

static int pg_reconnect(struct db_conn *c, struct strbuf *err)
{
	/* Remember the transaction the lost connection left, to ask about it. */
	snprintf(c->lost_xid, sizeof(c->lost_xid), "%s", c->xid);
	return open_conn(c, err);
}

/*
** The backend is terminated from the maintenance connection, as an
** operator or the OOM killer would; the server rolls back what it held.
** A COMMIT sent just before races the termination, as a real one does:
** pg_xact_status tells afterwards which won.
*/
static int pg_kill(struct db_conn *c, int send_commit, struct strbuf *err)
{
	char sql[64];
	char *ok;

	if (send_commit && !c->pending && PQtransactionStatus(c->pg) == PQTRANS_INTRANS)
		PQsendQuery(c->pg, "COMMIT");
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)", c->pid);
	ok = exec_value(mon_conn(c->db), sql);
	free(ok);
	return pg_reconnect(c, err);
}

static int pg_last_tx_outcome(struct db_conn *c)
{
	struct strbuf sql = STRBUF_INIT;
	char *status;
	int i, outcome = DB_OUTCOME_UNKNOWN;

	if (!c->lost_xid[0])
		return DB_OUTCOME_UNKNOWN;
	strbuf_addf(&sql, "SELECT pg_xact_status('%s'::xid8)", c->lost_xid);
	/* A backend that was just terminated may still be finishing its abort. */
	for (i = 0; i < 50; i++) {
		status = exec_value(c->pg, sql.buf);
		if (status && !strcmp(status, "committed"))
			outcome = DB_OUTCOME_COMMITTED;
		else if (status && !strcmp(status, "aborted"))
			outcome = DB_OUTCOME_ABORTED;
		free(status);
		if (outcome != DB_OUTCOME_UNKNOWN)
			break;
		usleep(10000);
	}
	strbuf_release(&sql);
	c->lost_xid[0] = '\0';
	return outcome;
}

/*
** The friendly half of the sandbox on a server: statements that would
** reach beyond the drill's database are refused before the server sees
** them, with the reason.  The defence is the role's privileges (a
** CREATEDB role cannot run any of these); this only says so early and
** plainly.  Words are read outside strings, quoted names and comments,
** so SQL inside a DO block's string is the server's to refuse.  One pass,
** a few words of memory, however long the statement.
*/

/*
** One word of a statement as the guard reads it: lower case, cut at
** GUARD_WORD bytes (every keyword it looks for is shorter); "'" for a
** string literal, "\"" for a quoted name, a symbol as itself.
*/
#define GUARD_WORD 32
#define GUARD_HEAD 6     /* the words a statement starts with, kept for its checks */

struct guard {
	char head[GUARD_HEAD][GUARD_WORD];   /* the statement's first words */
	char prev[GUARD_WORD];               /* the word before this one */
	size_t n;                            /* words of this statement so far */
	struct strbuf *why;
};

static int head_is(const struct guard *g, size_t i, const char *w)
{
	return i < g->n && i < GUARD_HEAD && !strcmp(g->head[i], w);
}

/* w in capitals, for a message that names a keyword. */
static const char *upper(const char *w, char *buf, size_t size)
{
	size_t i;
	for (i = 0; w[i] && i + 1 < size; i++)
		buf[i] = (char)toupper((unsigned char)w[i]);
	buf[i] = '\0';
	return buf;
}

/*
** Take the next word w; 0, or -1 with why.  Commands are recognised at
** the start of a statement ("UPDATE t SET role = 1" sets no role), a
** function wherever it is called.
*/
static int guard_word(struct guard *g, const char *w)
{
	static const char *const functions[] = {
		"pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir",
		"pg_ls_waldir", "lo_import", "lo_export", "pg_file_write", "dblink", "dblink_exec",
		"dblink_connect", "dblink_connect_u", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
	};
	static const char *const extensions[] = {
		"dblink", "postgres_fdw", "file_fdw", "adminpack", "plpython3u", "plpythonu",
		"plperlu", "pltclu",
	};
	char a[GUARD_WORD], b[GUARD_WORD];
	size_t k;
	int verb;

	if (!strcmp(w, ";")) {
		g->n = 0;
		g->prev[0] = '\0';
		return 0;
	}
	if (g->n < GUARD_HEAD)
		snprintf(g->head[g->n], GUARD_WORD, "%s", w);
	g->n++;
	verb = head_is(g, 0, "create") || head_is(g, 0, "drop") || head_is(g, 0, "alter");
	if (!strcmp(w, "("))
		for (k = 0; k < sizeof(functions) / sizeof(functions[0]); k++)
			if (!strcmp(g->prev, functions[k]))
				return strbuf_error(g->why, -1, "%s() reaches the server's files, configuration "
						    "or other databases", g->prev);
	snprintf(g->prev, sizeof(g->prev), "%s", w);
	if (head_is(g, 0, "copy") && !strcmp(w, "program"))
		return strbuf_error(g->why, -1, "COPY ... PROGRAM would run a shell command on the database server");
	if (g->n == 2 && verb) {
		if (!strcmp(w, "database"))
			return strbuf_error(g->why, -1, "%s DATABASE reaches beyond the drill's own database",
					    upper(g->head[0], a, sizeof(a)));
		if (!strcmp(w, "role") || !strcmp(w, "user") || !strcmp(w, "group"))
			return strbuf_error(g->why, -1, "%s %s changes the server's roles, not the drill's database",
					    upper(g->head[0], a, sizeof(a)), upper(w, b, sizeof(b)));
		if (head_is(g, 0, "alter") && !strcmp(w, "system"))
			return strbuf_error(g->why, -1, "ALTER SYSTEM changes the whole server's configuration");
	}
	if (head_is(g, 0, "set") && g->n <= 3 && (!strcmp(w, "role") || !strcmp(w, "authorization")))
		return strbuf_error(g->why, -1, "SET ROLE or SESSION AUTHORIZATION changes who the drill's SQL runs as");
	if (g->n == 1 && !strcmp(w, "load"))
		return strbuf_error(g->why, -1, "LOAD puts a library into the server");
	if (head_is(g, 0, "create") && head_is(g, 1, "extension") &&
	    (g->n == 3 || (g->n == 6 && head_is(g, 2, "if"))))
		for (k = 0; k < sizeof(extensions) / sizeof(extensions[0]); k++)
			if (!strcmp(w, extensions[k]))
				return strbuf_error(g->why, -1, "CREATE EXTENSION %s reaches beyond the drill's "
						    "database", w);
	return 0;
}

/* Why sql is refused, onto why; 0 when it may go to the server. */
static int guard(const char *sql, struct strbuf *why)
{
	struct guard g;
	char w[GUARD_WORD], last[GUARD_WORD] = "";
	size_t i = 0, k;
	int in_copy = 0, rc = 0;

	memset(&g, 0, sizeof(g));
	g.why = why;
	while (sql[i] && !rc) {
		size_t j = sql_skip_quoted(sql, i);
		if (j != i) {
			if (sql[i] == '\'' || sql[i] == '$' || ((sql[i] == 'E' || sql[i] == 'e') && sql[i + 1] == '\''))
				snprintf(w, sizeof(w), "'");
			else if (sql[i] == '"')
				snprintf(w, sizeof(w), "\"");
			else
				w[0] = '\0';   /* a comment */
			i = j;
		} else if (isalpha((unsigned char)sql[i]) || sql[i] == '_') {
			for (k = 0; isalnum((unsigned char)sql[i]) || sql[i] == '_' || sql[i] == '$'; i++)
				if (k + 1 < sizeof(w))
					w[k++] = (char)tolower((unsigned char)sql[i]);
			w[k] = '\0';
		} else {
			w[0] = isspace((unsigned char)sql[i]) ? '\0' : sql[i];
			w[1] = '\0';
			i++;
		}
		if (!w[0])
			continue;
		in_copy = (g.n == 0 && !strcmp(w, "copy")) || (in_copy && strcmp(w, ";"));
		/* COPY ... TO 'file' or FROM 'file': the server's files, whatever comes between. */
		if (in_copy && !strcmp(w, "'") && (!strcmp(last, "to") || !strcmp(last, "from")))
			rc = strbuf_error(why, -1, "COPY %s a file would read or write the database server's files",
					  !strcmp(last, "to") ? "TO" : "FROM");
		else
			rc = guard_word(&g, w);
		snprintf(last, sizeof(last), "%s", w);
	}
	return rc;
}

static int pg_prepare(struct db_conn *c, const char *sql, struct db_stmt **out)
{
	struct strbuf why = STRBUF_INIT;

	*out = NULL;
	if (!c->own && guard(sql, &why)) {
		struct strbuf m = STRBUF_INIT;
		strbuf_addf(&m, "refused by mdrill's sandbox: %s", why.buf);
		free(c->msg);
		c->msg = strbuf_detach(&m);
		c->cls = DBE_REFUSED;
		c->sqlstate[0] = '\0';
		strbuf_release(&why);
		return DB_ERROR;
	}
	strbuf_release(&why);
	*out = xmalloc(sizeof(**out));
	(*out)->c = c;
	(*out)->sql = xstrdup(sql);
	return DB_DONE;
}

static void pg_finalize(struct db_stmt *st)
{
	free(st->sql);
	free(st);
}

/* Is c's backend waiting on a lock right now? */
/*
** Is c's backend waiting on a lock right now?  Asked of every statement
** that has been out a while, so it is also where a statement past its
** timeout (or one a signal stops) is cancelled when clients overlap.
*/
static int lock_waiting(struct db_conn *c)
{
	char pid[16];
	const char *vals[1] = { pid };
	PGresult *r;
	int waiting;

	overdue(c);
	snprintf(pid, sizeof(pid), "%d", c->pid);
	r = PQexecParams(mon_conn(c->db),
			 "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1",
			 1, NULL, vals, NULL, NULL, 0);
	waiting = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		  !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return waiting;
}

/*
** Does c's backend wait on a lock a session other than c and the peers
** holds?  pg_blocking_pids names who holds or queues ahead for it.
*/
static int pg_blocked_by_other(struct db_conn *c, struct db_conn *const *peers, size_t n)
{
	struct strbuf ours = STRBUF_INIT;
	char pid[16];
	const char *vals[2];
	PGresult *r;
	size_t i;
	int other;

	snprintf(pid, sizeof(pid), "%d", c->pid);
	strbuf_addf(&ours, "{%d", c->pid);
	for (i = 0; i < n; i++)
		if (peers[i])
			strbuf_addf(&ours, ",%d", peers[i]->pid);
	strbuf_addch(&ours, '}');
	vals[0] = pid;
	vals[1] = ours.buf;
	r = PQexecParams(mon_conn(c->db),
			 "SELECT count(*) > 0 FROM unnest(pg_blocking_pids($1::int)) AS b(pid) "
			 "WHERE b.pid <> ALL($2::int[])", 2, NULL, vals, NULL, NULL, 0);
	other = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	strbuf_release(&ours);
	return other;
}

/* Hand the rows of r to fn; remember a BEGIN's transaction id. */
static int take_rows(struct db_conn *c, PGresult *r, db_row_fn fn, void *ctx)
{
	const char **names, **vals;
	int i, j, n = PQnfields(r), rows = PQntuples(r), rc = 0;

	if (c->pending == begin_sql) {
		if (rows == 1 && n == 1)
			snprintf(c->xid, sizeof(c->xid), "%s", PQgetvalue(r, 0, 0));
		return 0;
	}
	if (!fn)
		return 0;
	/* As many columns as the result has: none is dropped. */
	names = xcalloc(n ? (size_t)n : 1, sizeof(*names));
	vals = xcalloc(n ? (size_t)n : 1, sizeof(*vals));
	for (j = 0; j < n; j++)
		names[j] = PQfname(r, j);
	for (i = 0; i < rows && !rc; i++) {
		for (j = 0; j < n; j++)
			vals[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		if (fn(ctx, n, names, vals))
			rc = -1;
	}
	free(names);
	free(vals);
	return rc;
}

/* Add the rows an INSERT, UPDATE, DELETE or MERGE result reports changing. */
static void count_changes(struct db_conn *c, PGresult *r)
{
	static const char *const tags[] = { "INSERT ", "UPDATE ", "DELETE ", "MERGE " };
	const char *tag = PQcmdStatus(r);
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strncmp(tag, tags[i], strlen(tags[i])))
			c->changes += strtoll(PQcmdTuples(r), NULL, 10);
}

/*
** The error of a statement mdrill cancelled says why mdrill did: the
** server's "canceling statement due to user request" does not.  The
** server's own statement_timeout, set to mdrill's, says the same.
*/
static void stopped_msg(struct db_conn *c)
{
	long ms = c->db->opts.statement_timeout_ms;
	int ours = c->stopped;

	if (!ours && !strcmp(c->sqlstate, "57014") && ms > 0 && (now_s() - c->sent_at) * 1000 >= (double)ms - 1)
		ours = 1;
	if (!ours || strcmp(c->sqlstate, "57014"))
		return;
	free(c->msg);
	if (ours == 1) {
		struct strbuf m = STRBUF_INIT;
		strbuf_addf(&m, "statement timeout: still running after %ld ms (--statement-timeout)", ms);
		c->msg = strbuf_detach(&m);
		c->cls = DBE_TIMEOUT;
	} else {
		c->msg = xstrdup("interrupted");
		c->cls = DBE_OTHER;
	}
}

/*
** Read what the pending statement sends back.  DB_DONE or DB_ERROR when it
** finished; DB_BLOCKED when it still runs and waits on a lock.
*/
static int await(struct db_conn *c, db_row_fn fn, void *ctx)
{
	for (;;) {
		struct pollfd pfd;
		int rc;

		if (!PQconsumeInput(c->pg))
			goto lost;
		while (!PQisBusy(c->pg)) {
			PGresult *r = PQgetResult(c->pg);
			ExecStatusType st;
			if (!r) {
				c->pending = NULL;
				if (PQstatus(c->pg) == CONNECTION_BAD && !c->failed)
					goto lost;
				return c->failed ? DB_ERROR : DB_DONE;
			}
			st = PQresultStatus(r);
			if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
				count_changes(c, r);
			if (st == PGRES_TUPLES_OK) {
				if (!c->failed && take_rows(c, r, fn, ctx)) {
					c->failed = 1;
					set_msg(c, "result row rejected", "");
				}
			} else if (st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY && !c->failed) {
				c->failed = 1;
				set_msg(c, PQresultErrorMessage(r), PQresultErrorField(r, PG_DIAG_SQLSTATE));
				stopped_msg(c);
			}
			PQclear(r);
		}
		overdue(c);
		/* A cancel the server does not answer: the connection is as good as lost. */
		if (c->cancelled_at && now_s() - c->cancelled_at > CANCEL_GRACE)
			goto lost;
		if (c->nowait == DB_WAIT_NONE)
			return DB_PENDING;
		pfd.fd = PQsocket(c->pg);
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, GRACE_MS);
		if (rc < 0 && errno != EINTR)
			goto lost;
		if (rc == 0 && !c->cancelled_at && lock_waiting(c))
			return DB_BLOCKED;
		/* Out past the grace and waiting on no lock: it works, and ticks pass meanwhile. */
		if (rc == 0 && c->nowait == DB_WAIT_WORK)
			return DB_PENDING;
	}
lost:
	c->pending = NULL;
	c->failed = 1;
	set_msg(c, PQerrorMessage(c->pg), "08006");
	c->cls = DBE_CONNECTION;
	return DB_ERROR;
}

/* Send sql (with params, or as a simple multi-statement query) unless it is out already. */
static int send_or_await(struct db_conn *c, const void *key, const char *sql, int simple,
			 int nparams, const char *const *vals, db_row_fn fn, void *ctx)
{
	if (!c->pending) {
		int ok;
		if (PQstatus(c->pg) != CONNECTION_OK) {
			set_msg(c, "the connection to the server was lost", "08006");
			return DB_ERROR;
		}
		ok = simple ? PQsendQuery(c->pg, sql)
			    : PQsendQueryParams(c->pg, sql, nparams, NULL, vals, NULL, NULL, 0);
		if (!ok) {
			set_msg(c, PQerrorMessage(c->pg), PQstatus(c->pg) == CONNECTION_BAD ? "08006" : "");
			return DB_ERROR;
		}
		c->pending = key;
		c->failed = 0;
		c->changes = 0;
		c->sent_at = now_s();
		c->cancelled_at = 0;
		c->stopped = 0;
	} else if (c->pending != key) {
		set_msg(c, "another statement is still running on this connection", "");
		return DB_ERROR;
	}
	return await(c, fn, ctx);
}

static int pg_run(struct db_stmt *st, int nparams, const char *const *vals, db_row_fn fn, void *ctx)
{
	return send_or_await(st->c, st, st->sql, 0, nparams, vals, fn, ctx);
}

static int pg_begin(struct db_conn *c)
{
	if (!c->pending)
		c->xid[0] = '\0';
	return send_or_await(c, begin_sql, begin_sql, 1, 0, NULL, NULL, NULL);
}

static int pg_begin_ro(struct db_conn *c)
{
	static const char sql[] = "BEGIN READ ONLY";
	return send_or_await(c, sql, sql, 1, 0, NULL, NULL, NULL);
}

static int pg_commit(struct db_conn *c)
{
	static const char sql[] = "COMMIT";
	int rc = send_or_await(c, sql, sql, 1, 0, NULL, NULL, NULL);
	/* A lost connection keeps the id, so that the outcome can be asked for. */
	if (rc == DB_DONE || (rc == DB_ERROR && c->cls != DBE_CONNECTION))
		c->xid[0] = '\0';
	return rc;
}

static int pg_in_tx(struct db_conn *c)
{
	PGTransactionStatusType t = PQtransactionStatus(c->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || (t == PQTRANS_ACTIVE && c->xid[0]);
}

/* Stop whatever is running on c and read what is left of it. */
static void cancel_pending(struct db_conn *c)
{
	PGcancel *cn;
	char buf[256];
	PGresult *r;

	if (!c->pending)
		return;
	cn = PQgetCancel(c->pg);
	if (cn) {
		PQcancel(cn, buf, sizeof(buf));
		PQfreeCancel(cn);
	}
	while ((r = PQgetResult(c->pg)) != NULL)
		PQclear(r);
	c->pending = NULL;
}

static int pg_rollback(struct db_conn *c)
{
	PGresult *r;
	if (PQstatus(c->pg) != CONNECTION_OK)
		return DB_DONE;
	cancel_pending(c);
	if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
		c->xid[0] = '\0';
		return DB_DONE;
	}
	r = PQexec(c->pg, "ROLLBACK");
	PQclear(r);
	c->xid[0] = '\0';
	return DB_DONE;
}

static int64_t pg_changes(struct db_conn *c)
{
	return c->changes;
}

static const char *pg_errmsg(struct db_conn *c)
{
	return c->msg ? c->msg : "";
}

static int pg_errclass(struct db_conn *c)
{
	return c->cls;
}

/*
** The backup before the bad migration: a schema "backup" holding a copy of
** every table of the public schema, taken in one repeatable-read
** transaction so the copies agree with each other.
*/
/*
** The snapshot runs in a transaction of its own.  When c is inside the
** migration's open transaction (a bare BEGIN came first), it runs on a
** connection of its own, so it neither commits nor joins that transaction:
** the backup is what was committed when the migration's first locking
** statement started.
*/
static int pg_snapshot(struct db_conn *c, struct strbuf *err)
{
	static const char sql[] =
		"BEGIN ISOLATION LEVEL REPEATABLE READ;"
		"DROP SCHEMA IF EXISTS backup CASCADE;"
		"CREATE SCHEMA backup;"
		"DO $mdrill$ DECLARE t text; BEGIN"
		"  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP"
		"    EXECUTE format('CREATE TABLE backup.%I AS TABLE public.%I', t, t);"
		"  END LOOP;"
		"END $mdrill$;"
		"COMMIT";
	struct db_conn side;
	PGconn *pg = c->pg;
	PGresult *r;
	int ok = 1;

	memset(&side, 0, sizeof(side));
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		side.db = c->db;
		side.role = "mdrill snapshot";
		if (open_conn(&side, err)) {
			PQfinish(side.pg);
			return -1;
		}
		pg = side.pg;
	}
	if (!PQsendQuery(pg, sql)) {
		strbuf_error(err, -1, "cannot snapshot the database: %s", PQerrorMessage(pg));
		PQfinish(side.pg);
		return -1;
	}
	while ((r = PQgetResult(pg)) != NULL) {
		if (ok && PQresultStatus(r) != PGRES_COMMAND_OK) {
			char *m = first_line(PQresultErrorMessage(r));
			ok = 0;
			strbuf_error(err, -1, "cannot snapshot the database: %s", m);
			free(m);
		}
		PQclear(r);
	}
	if (!ok) {
		r = PQexec(pg, "ROLLBACK");
		PQclear(r);
	}
	PQfinish(side.pg);
	return ok ? 0 : -1;
}

static void pg_own_sql(struct db_conn *c, int own)
{
	c->own = own;
}

static void pg_set_nowait(struct db_conn *c, int nowait)
{
	c->nowait = nowait;
}

static int pg_socket(struct db_conn *c)
{
	return PQsocket(c->pg);
}

/* The tables a catalogue covers: the schema the drill works in, partitions under their parent. */
#define CAT_TABLES "c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) " \
	"AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
/* The names of a constraint's or an index's columns (attnums in ARR of relation REL), in order. */
#define CAT_NAMES(arr, rel) "(SELECT string_agg(a.attname, E'\\x1f' ORDER BY u.i) FROM unnest(" arr ") " \
	"WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = " rel " AND a.attnum = u.n)"

static const char cat_tables_sql[] = "SELECT c.relname FROM pg_class c WHERE " CAT_TABLES " ORDER BY 1";

/* A domain's base type stands for it, and its enum labels for an enum or a domain over one. */
static const char cat_columns_sql[] =
	"SELECT c.relname, a.attname, format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype "
	"ELSE a.atttypid END, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), "
	"a.attnotnull OR (t.typtype = 'd' AND t.typnotnull), pg_get_expr(d.adbin, d.adrelid), "
	"a.attidentity, a.attgenerated, t.typcategory = 'A', "
	"(SELECT string_agg(e.enumlabel, E'\\x1f' ORDER BY e.enumsortorder) FROM pg_enum e "
	"WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END), a.attnum "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
	"LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	"WHERE " CAT_TABLES " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

static const char cat_constraints_sql[] =
	"SELECT c.relname, k.contype, " CAT_NAMES("k.conkey", "k.conrelid") ", p.relname, "
	CAT_NAMES("k.confkey", "k.confrelid") ", k.confdeltype, "
	"CASE WHEN k.contype = 'c' THEN pg_get_constraintdef(k.oid) END "
	"FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class p ON p.oid = k.confrelid "
	"WHERE " CAT_TABLES " AND k.contype IN ('p', 'u', 'f', 'c') ORDER BY c.relname, k.contype, k.conname";

/* Unique indexes made without a constraint, over whole rows and plain columns. */
static const char cat_indexes_sql[] =
	"SELECT c.relname, (SELECT string_agg(a.attname, E'\\x1f' ORDER BY u.i) FROM "
	"unnest(i.indkey::int2[]) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = i.indrelid "
	"AND a.attnum = u.n WHERE u.i <= i.indnkeyatts) "
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid "
	"WHERE " CAT_TABLES " AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL "
	"ORDER BY c.relname, x.relname";

/* A domain's CHECKs hold for every column of that domain. */
static const char cat_domain_checks_sql[] =
	"SELECT c.relname, a.attname, pg_get_constraintdef(k.oid) FROM pg_attribute a "
	"JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
	"JOIN pg_constraint k ON k.contypid = t.oid "
	"WHERE " CAT_TABLES " AND a.attnum > 0 AND NOT a.attisdropped AND t.typtype = 'd' AND k.contype = 'c' "
	"ORDER BY c.relname, a.attnum, k.conname";

/* "CHECK ((x > 0)) NOT VALID" as the bare expression "(x > 0)". */
static char *check_expr(const char *def)
{
	const char *s = def, *e;
	if (!strncmp(s, "CHECK (", 7))
		s += 7;
	e = s + strlen(s);
	if (e - s >= 10 && !strcmp(e - 10, " NOT VALID"))
		e -= 10;
	if (e > s && e[-1] == ')')
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* The word VALUE of a domain's CHECK as the column's name. */
static char *domain_check(const char *def, const char *column)
{
	struct strbuf out = STRBUF_INIT;
	char *e = check_expr(def), *s;
	for (s = e; *s; s++) {
		if (!strncmp(s, "VALUE", 5) && (s == e || !(isalnum((unsigned char)s[-1]) || s[-1] == '_')) &&
		    !(isalnum((unsigned char)s[5]) || s[5] == '_')) {
			strbuf_addstr(&out, column);
			s += 4;
			continue;
		}
		strbuf_addch(&out, *s);
	}
	free(e);
	return strbuf_detach(&out);
}

/* Triggers and their functions' source: the columns they set are the database's (catalog_note_trigger). */
static const char cat_triggers_sql[] =
	"SELECT c.relname, t.tgname, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
	"JOIN pg_proc p ON p.oid = t.tgfoid WHERE " CAT_TABLES " AND NOT t.tgisinternal ORDER BY c.relname, t.tgname";

static const char *cell(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* The catalogue from pg_catalog, a query per aspect for every table at once. */
static int pg_catalog(struct db_conn *c, struct db_catalog *out, struct strbuf *err)
{
	const char *const queries[] = { cat_tables_sql, cat_columns_sql, cat_constraints_sql, cat_indexes_sql,
					cat_domain_checks_sql, cat_triggers_sql };
	PGresult *r[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	size_t q;
	int i, rc = 0;

	memset(out, 0, sizeof(*out));
	for (q = 0; q < 6; q++) {
		r[q] = PQexec(c->pg, queries[q]);
		if (PQresultStatus(r[q]) != PGRES_TUPLES_OK) {
			char *m = first_line(PQresultErrorMessage(r[q]));
			rc = strbuf_error(err, -1, "cannot read the catalogue: %s", m);
			free(m);
			goto out;
		}
	}
	for (i = 0; i < PQntuples(r[0]); i++)
		catalog_add_table(out, cell(r[0], i, 0));
	for (i = 0; i < PQntuples(r[1]); i++) {
		struct cat_table *t = catalog_table(out, cell(r[1], i, 0));
		struct cat_column *col;
		const char *def = cell(r[1], i, 4), *ident = cell(r[1], i, 5), *gen = cell(r[1], i, 6);
		if (!t)
			continue;
		col = catalog_add_column(t, cell(r[1], i, 1), cell(r[1], i, 2));
		col->notnull = !strcmp(cell(r[1], i, 3), "t");
		col->def = def ? xstrdup(def) : NULL;
		/* serial and identity BY DEFAULT fill themselves; identity ALWAYS and GENERATED refuse values. */
		col->filled = (ident && *ident == 'd') || (def && !strncmp(def, "nextval(", 8));
		col->generated = (ident && *ident == 'a') || (gen && *gen);
		col->array = !strcmp(cell(r[1], i, 7), "t");
		if (cell(r[1], i, 8))
			catalog_set_labels(col, cell(r[1], i, 8), '\x1f');
		col->num = atoi(cell(r[1], i, 9));
	}
	for (i = 0; i < PQntuples(r[2]); i++) {
		struct cat_table *t = catalog_table(out, cell(r[2], i, 0));
		const char *type = cell(r[2], i, 1), *cols = cell(r[2], i, 2);
		if (!t)
			continue;
		if (*type == 'p' || *type == 'u') {
			catalog_add_key(t, cols, '\x1f', *type == 'p');
		} else if (*type == 'f' && cell(r[2], i, 3)) {
			const char *del = cell(r[2], i, 5);
			catalog_add_fkey(t, cols, cell(r[2], i, 3), cell(r[2], i, 4), '\x1f', del ? *del : 'a');
		} else if (*type == 'c' && cell(r[2], i, 6)) {
			char *e = check_expr(cell(r[2], i, 6));
			catalog_add_check(t, e);
			free(e);
		}
	}
	for (i = 0; i < PQntuples(r[3]); i++) {
		struct cat_table *t = catalog_table(out, cell(r[3], i, 0));
		if (t && cell(r[3], i, 1))
			catalog_add_key(t, cell(r[3], i, 1), '\x1f', 0);
	}
	for (i = 0; i < PQntuples(r[4]); i++) {
		struct cat_table *t = catalog_table(out, cell(r[4], i, 0));
		char *e;
		if (!t)
			continue;
		e = domain_check(cell(r[4], i, 2), cell(r[4], i, 1));
		catalog_add_check(t, e);
		free(e);
	}
	for (i = 0; i < PQntuples(r[5]); i++)
		catalog_note_trigger(out, cell(r[5], i, 0), cell(r[5], i, 1), cell(r[5], i, 2));
	catalog_finish(out);
out:
	for (q = 0; q < 6; q++)
		PQclear(r[q]);
	return rc;
}

/*
** The reader (db_reader_open): the drill's schema first, formats as mdrill
** reads values, whatever ALTER DATABASE or ALTER ROLE set for new
** sessions; and the backup gone for as long as it reads, in a transaction
** rolled back after, so that no view or function can serve a probe from it.
*/
static const char *const pg_reader_sql[] = {
	"SET search_path = public",
	"SET default_transaction_read_only = off",
	"SET default_transaction_isolation = 'read committed'",
	"SET DateStyle = 'ISO, MDY'",
	"SET IntervalStyle = postgres",
	"SET extra_float_digits = 1",
	"SET bytea_output = hex",
	"SET lc_monetary = 'C'",
	"SET standard_conforming_strings = on",
	"SET row_security = on",
	"BEGIN",
	"DROP SCHEMA IF EXISTS backup CASCADE",
	NULL
};

/*
** The statistics of a database mdrill did not make (--stats): the tables
** of the connection's search path, the first of a name as a query would
** find it, and pg_stats of their columns, read in a read-only
** transaction that is rolled back.
*/
#define STATS_TABLES \
	"WITH t AS (SELECT DISTINCT ON (c.relname) c.relname, c.reltuples, n.nspname " \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (pg_catalog.current_schemas(false)) " \
	"ORDER BY c.relname, pg_catalog.array_position(pg_catalog.current_schemas(false), n.nspname)) "
static const char stats_tables_sql[] = STATS_TABLES "SELECT relname, reltuples FROM t ORDER BY 1";
static const char stats_columns_sql[] = STATS_TABLES
	"SELECT s.tablename, s.attname, s.null_frac, s.n_distinct FROM pg_catalog.pg_stats s "
	"JOIN t ON t.nspname = s.schemaname AND t.relname = s.tablename WHERE NOT s.inherited ORDER BY 1, 2";

static int pg_stats(const char *source, const struct db_options *o, struct db_stats *out, struct strbuf *err)
{
	struct strbuf shown = STRBUF_INIT, sql = STRBUF_INIT;
	PGconn *pg;
	PGresult *r = NULL;
	int rc = -1, i;

	source = plain_target(source);
	db_target_display(source, &shown);
	pg = pg_open(source, NULL, "mdrill stats");
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot connect to '%s' for its statistics: ", shown.buf);
		redacted(err, source, pg ? PQerrorMessage(pg) : NULL);
		goto out;
	}
	strbuf_addf(&sql, "BEGIN READ ONLY; SET LOCAL statement_timeout = %ld", o ? o->statement_timeout_ms : 0L);
	r = PQexec(pg, sql.buf);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		goto failed;
	PQclear(r);
	r = PQexec(pg, stats_tables_sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto failed;
	for (i = 0; i < PQntuples(r); i++)
		db_stats_add_table(out, PQgetvalue(r, i, 0), atof(PQgetvalue(r, i, 1)));
	PQclear(r);
	r = PQexec(pg, stats_columns_sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto failed;
	for (i = 0; i < PQntuples(r); i++)
		db_stats_add_column(out, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
				    PQgetisnull(r, i, 2) ? -1 : atof(PQgetvalue(r, i, 2)),
				    PQgetisnull(r, i, 3) ? 0 : atof(PQgetvalue(r, i, 3)));
	rc = 0;
	goto out;
failed:
	strbuf_reset(err);
	strbuf_addf(err, "cannot read the statistics of '%s': ", shown.buf);
	redacted(err, source, PQresultErrorMessage(r));
out:
	PQclear(r);
	if (pg && PQstatus(pg) == CONNECTION_OK)
		PQclear(PQexec(pg, "ROLLBACK"));
	PQfinish(pg);
	strbuf_release(&shown);
	strbuf_release(&sql);
	return rc;
}

/* A reader taken while the drill runs waits on no lock for long: a team's session may hold one. */
static const char *const pg_brief_sql[] = {
	"SET lock_timeout = '200ms'",
	"SET statement_timeout = '10s'",
	NULL
};

static const char *const pg_targets[] = {
	"postgres://", "postgresql://", "postgres:", "postgresql:", NULL
};

const struct db_driver db_pg_driver = {
	.dialect = DIALECT_POSTGRES,
	.caps = DB_CAP_ASYNC | DB_CAP_STMT_TIMEOUT,
	.targets = pg_targets,
	.target_help = "postgres://USER@HOST:PORT/DBNAME or postgres: for the PG* variables",
	.target_need = "postgres://... (or postgres:)",
	.param_prefix = '$',
	.schema = "public",
	.create = pg_create,
	.destroy = pg_destroy,
	.copy = pg_copy,
	.where = pg_where,
	.gc = pg_gc,
	.own_sql = pg_own_sql,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.run = pg_run,
	.begin = pg_begin,
	.begin_ro = pg_begin_ro,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_tx = pg_in_tx,
	.errmsg = pg_errmsg,
	.errclass = pg_errclass,
	.changes = pg_changes,
	.snapshot = pg_snapshot,
	.set_nowait = pg_set_nowait,
	.socket = pg_socket,
	.lock_waiting = lock_waiting,
	.blocked_by_other = pg_blocked_by_other,
	.reconnect = pg_reconnect,
	.kill = pg_kill,
	.after_seed_sql =
		"DO $mdrill$ DECLARE r record; BEGIN "
		"FOR r IN SELECT s.oid::regclass AS seq, t.oid::regclass AS tab, a.attname AS col "
		"FROM pg_catalog.pg_class s JOIN pg_catalog.pg_depend d ON d.objid = s.oid "
		"AND d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass "
		"AND d.deptype IN ('a', 'i') "
		"JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
		"JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
		"WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace LOOP "
		"EXECUTE format('SELECT pg_catalog.setval(%L, m) FROM (SELECT max(%I) AS m FROM %s) x "
		"WHERE m IS NOT NULL AND m > 0', r.seq, r.col, r.tab); "
		"END LOOP; END $mdrill$",
	.stats = pg_stats,
	/* The public schema only: the drill's backup schema is mdrill's own. */
	.schema_query =
		"SELECT 'column', table_name || '.' || column_name, data_type, is_nullable, "
		"coalesce(column_default, '') FROM information_schema.columns "
		"WHERE table_schema = 'public' "
		"UNION ALL SELECT 'index', indexname, indexdef, '', '' FROM pg_indexes "
		"WHERE schemaname = 'public' "
		"UNION ALL SELECT 'constraint', conrelid::regclass::text || '.' || conname, "
		"pg_get_constraintdef(oid), '', '' FROM pg_constraint "
		"WHERE connamespace = 'public'::regnamespace "
		"UNION ALL SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, "
		"pg_get_triggerdef(t.oid), '', '' FROM pg_trigger t "
		"JOIN pg_class r ON r.oid = t.tgrelid "
		"WHERE NOT tgisinternal AND r.relnamespace = 'public'::regnamespace "
		"ORDER BY 1, 2",
	.reader_sql = pg_reader_sql,
	.locks_query = "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
		       "WHERE l.pid = pg_backend_pid() AND l.granted AND l.locktype = 'relation' "
		       "AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname, l.mode",
	.work_query = "SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0), n_tup_ins + n_tup_upd + n_tup_del "
		      "FROM pg_stat_xact_user_tables WHERE schemaname = 'public'",
	.storage_query = "SELECT relname, relfilenode FROM pg_class WHERE relnamespace = 'public'::regnamespace "
			 "AND relkind IN ('r', 'p')",

	.brief_sql = pg_brief_sql,
	.last_tx_outcome = pg_last_tx_outcome,
	/* An unquoted name is folded to lower case: as the scenario's schema created it. */
	.columns_query = "SELECT column_name::text FROM information_schema.columns "
			 "WHERE table_schema = current_schema() AND table_name::text = "
			 "CASE WHEN EXISTS (SELECT 1 FROM information_schema.tables "
			 "WHERE table_schema = current_schema() AND table_name::text = $1::text) "
			 "THEN $1::text ELSE lower($1::text) END ORDER BY ordinal_position",
	.catalog = pg_catalog,
};
