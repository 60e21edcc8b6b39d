/*
** The scheduler: set-up (schema, seed), then the tick loop that fires
** timeline events and steps one participant per tick, then the drain at
** 'end' (no new transactions; those in flight and any migration finish).
** The migrator is a participant like the clients: its statements wait on
** locks the same way, and its snapshot of the database is taken in the same
** step as the bad migration's first locking statement, so no write falls
** between.
**
** SPDX-License-Identifier: MIT
*/
#include "scheduler.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/prng.h"
#include "../input/history.h"
#include "seeder.h"

#define WHO_MIGRATOR -1

/* A migration waiting or running on the migration connection. */
struct mig_run {
	int rep;                     /* index in d->migs */
	struct sql_script script;    /* owned copy of the statements */
	int is_bad;
	size_t snapshot_at;          /* bad migration: the statement the backup is taken with */
	size_t next;                 /* next statement; nstmts is the record step */
	struct db_stmt *st;          /* prepared statement being retried */
	int sent;                    /* async engines: it is out on the server */
	int64_t blocked_since;
	uint64_t blocked_epoch;
	int64_t idle_until;          /* slow-fix: it sits on its locks until then */
	int runs;                    /* '-- @repeat': runs of the current statement so far */
	int64_t record_tick;         /* the tick its record in the history table carries */
	/*
	** drill_apply's one_tx: mdrill's BEGIN comes first (began), then the
	** statements and the record (recorded), then mdrill's COMMIT.
	*/
	int one_tx, began, recorded;
};

struct sched {
	struct drill *d;
	struct pollfd *pfds;         /* concurrent mode: sockets of clients in flight */
	int *pfd_client;
	size_t pfds_alloc, pfd_client_alloc;
	int64_t last_lock_check;
	const struct drill_opts *o;
	struct prng rng;
	struct mig_run *queue;
	size_t nqueue, queue_alloc;
	int next_version;            /* the history table's version for the next record */
	int *cand;                   /* participants: client index or WHO_MIGRATOR */
	size_t ncand, cand_alloc;
	size_t next_event;           /* the timeline's events fired so far */
	int64_t end_at;              /* the timeline's last tick: the traffic's progress is of it */
	int ended;
	struct prng frng;            /* the faults' own choices, apart from the schedule's */
	size_t next_fault;           /* command-line faults applied so far, in tick order */
	struct fault *timed;         /* command-line faults with their ticks resolved */
	size_t ntimed;
	int crash_after;             /* fix-crash=K: once, after fix statement K */
	int64_t slow;                /* slow-fix: extra ticks after each fix statement */
	int64_t kills;               /* kill-client: clients still to kill */
	int64_t fix_timeout;         /* fix-timeout: ms, PostgreSQL */
	int io_armed;                /* disk-full or ioerr: writes fail until the fix ends */
};

static void script_copy(struct sql_script *dst, const struct sql_script *src)
{
	size_t i;
	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->nr; i++) {
		ALLOC_GROW(dst->v, dst->nr + 1, dst->alloc);
		dst->v[dst->nr].sql = xstrdup(src->v[i].sql);
		dst->v[dst->nr].line = src->v[i].line;
		dst->v[dst->nr].repeat = src->v[i].repeat;
		dst->v[dst->nr++].file = src->v[i].file ? xstrdup(src->v[i].file) : NULL;
	}
}

static int add_report(struct drill *d, const char *name, const char *label, size_t nstmts)
{
	struct mig_report *r;
	ALLOC_GROW(d->migs, d->nmigs + 1, d->migs_alloc);
	r = &d->migs[d->nmigs];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->label = xstrdup(label);
	r->nstmts = nstmts;
	r->start = r->end = -1;
	return (int)d->nmigs++;
}

/* Note which statements of script repeat ('-- @repeat'), for the report. */
static void repeat_log_init(struct repeat_log *log, const struct sql_script *script)
{
	size_t i;
	for (i = 0; i < script->nr; i++) {
		if (!script->v[i].repeat)
			continue;
		if (!log->nstmts)
			log->max = script->v[i].repeat;
		log->stmts = xrealloc(log->stmts, (log->nstmts + 1) * sizeof(*log->stmts));
		log->stmts[log->nstmts++] = (int)i + 1;
	}
}

static void enqueue(struct sched *s, int rep, const struct sql_script *script, int is_bad, int one_tx)
{
	struct mig_run *m;
	ALLOC_GROW(s->queue, s->nqueue + 1, s->queue_alloc);
	m = &s->queue[s->nqueue++];
	memset(m, 0, sizeof(*m));
	m->rep = rep;
	m->is_bad = is_bad;
	m->one_tx = one_tx;
	m->blocked_since = -1;
	script_copy(&m->script, script);
	/* A bare BEGIN or SET takes no lock: the backup waits for the first statement that does. */
	while (m->snapshot_at < m->script.nr && sql_is_session_only(m->script.v[m->snapshot_at].sql))
		m->snapshot_at++;
	repeat_log_init(&s->d->migs[rep].repeats, script);
}

static void dequeue(struct sched *s)
{
	struct mig_run *m = &s->queue[0];
	db_finalize(s->d->drv, m->st);
	sql_script_release(&m->script);
	memmove(s->queue, s->queue + 1, (s->nqueue - 1) * sizeof(*s->queue));
	s->nqueue--;
}

/*
** Note what the migration connection holds after a statement ended at the
** current tick: in a transaction it keeps the write lock until that ends;
** a statement on its own held it while it worked, its work ticks.
*/
static void note_hold(struct drill *d, int64_t work)
{
	int64_t now = d->env.tick;
	if (!db_can(d->drv, DB_CAP_ONE_WRITER))
		return;
	if (db_in_tx(d->drv, d->admin)) {
		if (d->hold_from < 0)
			d->hold_from = now;
		return;
	}
	ALLOC_GROW(d->holds, d->nholds + 1, d->holds_alloc);
	d->holds[d->nholds].from = d->hold_from >= 0 ? d->hold_from : now;
	d->holds[d->nholds++].to = now + work;
	d->hold_from = -1;
}

/* A record mdrill made in its history table, remembered to check it at the end. */
static void history_add(struct drill *d, int version, const char *name, int64_t tick)
{
	ALLOC_GROW(d->history, d->nhistory + 1, d->history_alloc);
	d->history[d->nhistory].version = version;
	d->history[d->nhistory].name = xstrdup(name);
	d->history[d->nhistory++].tick = tick;
}

/* End the running migration as failed at its current statement. */
static void mig_fail(struct sched *s, struct mig_run *m, int cls, const char *msg)
{
	struct drill *d = s->d;
	struct mig_report *r = &d->migs[m->rep];

	if (m->one_tx && (!m->began || m->recorded)) {
		/* mdrill's own BEGIN or COMMIT around the statements: none of them stays. */
		struct strbuf e = STRBUF_INIT;
		r->failed_sql = xstrdup(m->began ? "COMMIT" : "BEGIN");
		strbuf_addf(&e, "the transaction mdrill opened for it could not %s: %s",
			    m->began ? "commit" : "begin", msg);
		r->error = strbuf_detach(&e);
	} else if (m->next < m->script.nr) {
		r->failed = (int)m->next + 1;
		r->failed_line = m->script.v[m->next].line;
		if (m->script.v[m->next].file)
			r->failed_file = xstrdup(m->script.v[m->next].file);
		r->failed_sql = xstrdup(m->script.v[m->next].sql);
		r->error = xstrdup(msg);
	} else {
		/* Not a statement of its own: mdrill's record of it, after its last. */
		struct strbuf e = STRBUF_INIT;
		const char *table = scenario_history_table(d->sc);
		strbuf_addf(&e, "(recording the migration in %s)", table);
		r->failed_sql = strbuf_detach(&e);
		strbuf_addf(&e, "could not be recorded in %s, the migration history, after its last "
			    "statement: %s", table, msg);
		r->error = strbuf_detach(&e);
	}
	r->errclass = cls;
	r->end = d->env.tick;
	d->migration_ended = 1;
	env_unwait(&d->env, WHO_MIGRATOR);
	/* A migration tool's connection closes on failure: its transaction goes. */
	db_rollback(d->drv, d->admin);
	note_hold(d, 1);
	d->env.epoch++;
	dequeue(s);
}

/* fix-timeout: the migration session's statement_timeout, PostgreSQL's. */
static int set_fix_timeout(struct sched *s, struct strbuf *err)
{
	char sql[64];
	int cls;
	snprintf(sql, sizeof(sql), "SET statement_timeout = %lld", (long long)s->fix_timeout);
	return db_exec_now(s->d->drv, s->d->admin, sql, 0, NULL, NULL, NULL, &cls, err);
}

/* disk-full, ioerr: the disk is freed. */
static void io_fault_end(struct sched *s)
{
	if (s->io_armed)
		db_fault_io(s->d->drv, DB_FAULT_NONE, 0);
	s->io_armed = 0;
}

static void note_fault(struct drill *d, enum fault_kind kind, int64_t arg, int client)
{
	ALLOC_GROW(d->hits, d->nhits + 1, d->hits_alloc);
	d->hits[d->nhits].tick = d->env.tick;
	d->hits[d->nhits].kind = kind;
	d->hits[d->nhits].arg = arg;
	d->hits[d->nhits++].client = client;
}

/*
** fix-crash: the migration connection dies after a statement of the fix,
** and the team deploys the fix again from its first statement.  Whatever
** the dead session had not committed is gone with it.
*/
static void mig_crash(struct sched *s, struct mig_run *m)
{
	struct drill *d = s->d;
	struct mig_report *r = &d->migs[m->rep];
	struct strbuf err = STRBUF_INIT;

	r->crash_after = (int)r->applied;
	r->crash_tick = d->env.tick;
	s->crash_after = 0;
	/* The dying session works no longer, and holds nothing. */
	m->idle_until = 0;
	if (d->env.hold_until >= 0 && d->env.hold_who == WHO_MIGRATOR)
		env_hold(&d->env, 0, -1);
	note_fault(d, FAULT_FIX_CRASH, r->crash_after, -1);
	if (db_kill(d->drv, d->admin, 0, &err)) {
		mig_fail(s, m, DBE_CONNECTION, err.buf);
		strbuf_release(&err);
		return;
	}
	/* A new session: the deploy sets its timeout again. */
	if (s->fix_timeout)
		set_fix_timeout(s, &err);
	strbuf_release(&err);
	note_hold(d, 1);
	d->env.epoch++;
	m->next = 0;
	m->began = m->recorded = 0;
	r->applied = 0;
}

/*
** A '-- @repeat' statement has just completed: record the run and say
** whether the migration stays on it (1) or moves on (0).  A run that
** changed no rows ends it; one that still changed rows at the limit fails
** the migration, which is then gone from the queue (also 1).
*/
static int repeat_again(struct sched *s, struct mig_run *m)
{
	struct drill *d = s->d;
	struct repeat_log *log = &d->migs[m->rep].repeats;
	int64_t changed = db_changes(d->drv, d->admin);
	int max = m->script.v[m->next].repeat;
	char msg[128];

	ALLOC_GROW(log->runs, log->nruns + 1, log->runs_alloc);
	log->runs[log->nruns].stmt = (int)m->next + 1;
	log->runs[log->nruns].tick = d->env.tick;
	log->runs[log->nruns++].changed = changed;
	if (changed == 0) {
		m->runs = 0;
		return 0;
	}
	if (changed < 0)
		snprintf(msg, sizeof(msg), "the %s engine cannot tell how many rows a statement "
			 "changed, which '-- @repeat' needs", db_name(d->drv));
	else if (++m->runs < max)
		return 1;
	else
		snprintf(msg, sizeof(msg), "repeated %d times and still changing rows: the backfill "
			 "does not converge", max);
	mig_fail(s, m, DBE_OTHER, msg);
	return 1;
}

static void migrator_step(struct sched *s)
{
	struct drill *d = s->d;
	struct client_env *env = &d->env;
	struct mig_run *m = &s->queue[0];
	struct mig_report *r = &d->migs[m->rep];
	struct strbuf err = STRBUF_INIT, rec = STRBUF_INIT;
	const char *sql;
	int64_t work;
	int rc, wrote, own;

	if (r->start < 0) {
		r->start = env->tick;
		if (s->o->progress)
			s->o->progress(s->o->progress_ctx, DRILL_MIGRATION, env->tick, 0);
	}
	if (m->blocked_since >= 0 && m->blocked_epoch == env->epoch && !env->poll_all) {
		rc = DB_BLOCKED;
	} else if (!env_may_try(env, WHO_MIGRATOR, db_in_tx(d->drv, d->admin))) {
		rc = DB_BLOCKED;
		env->free_step = m->blocked_since < 0; /* only queued: no tick spent */
	} else {
		/*
		** The backup is taken in the same step as the bad migration's first
		** statement that can take a lock or write (a bare BEGIN before it
		** takes none, and writes go on committing after it), and taken again
		** each time that statement is tried anew, so that no write falls
		** between them.  A statement already out on a server (PostgreSQL,
		** waiting on a lock) cannot be taken back: there the backup is the
		** one taken when it went out.
		*/
		if (m->is_bad && m->next == m->snapshot_at && !m->sent && db_snapshot(d->drv, d->admin, &err)) {
			mig_fail(s, m, DBE_OTHER, err.buf);
			strbuf_release(&err);
			return;
		}
		own = 1;
		if (m->one_tx && !m->began) {
			/* SQLite's write lock at once: a deferred BEGIN could find its snapshot stale. */
			sql = db_dialect(d->drv) == DIALECT_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN";
		} else if (m->next < m->script.nr) {
			sql = m->script.v[m->next].sql;
			own = 0;
		} else if (m->one_tx && m->recorded) {
			sql = "COMMIT";
		} else {
			/* The fix is a new version in the history, never a rewrite of it. */
			if (!m->st)
				m->record_tick = env->tick;
			strbuf_addf(&rec, "INSERT INTO %s.%s (version, name, tick) VALUES (%d, '%s', %lld)",
				    db_home_schema(d->drv), scenario_history_table(d->sc), s->next_version, r->name,
				    (long long)m->record_tick);
			sql = rec.buf;
		}
		rc = DB_DONE;
		/* mdrill's own steps (its BEGIN, COMMIT, record) pass the sandbox; the migration's statements do not. */
		db_own_sql(d->drv, d->admin, own);
		if (!m->st)
			rc = db_prepare(d->drv, d->admin, sql, &m->st);
		if (rc == DB_DONE)
			rc = db_run(d->drv, m->st, 0, NULL, NULL, NULL);
		db_own_sql(d->drv, d->admin, 0);
		if (rc != DB_BLOCKED && rc != DB_PENDING)
			env->statements++;
		strbuf_release(&rec);
	}
	if (rc == DB_PENDING) {
		/*
		** It works on the server, waiting on no lock: ticks pass while it
		** does, the others step, and those it locks out wait behind it.
		** A later turn collects the answer.
		*/
		m->sent = 1;
		return;
	}
	if (rc == DB_BLOCKED) {
		if (db_can(d->drv, DB_CAP_ASYNC))
			m->sent = 1; /* it waits on the server, not here */
		env_wait(env, WHO_MIGRATOR);
		if (m->blocked_since < 0)
			m->blocked_since = env->tick;
		m->blocked_epoch = env->epoch;
		if (env->tick - m->blocked_since >= env->busy) {
			char msg[96];
			r->waited += env->tick - m->blocked_since;
			env_add_span(env, WHO_MIGRATOR, m->blocked_since);
			snprintf(msg, sizeof(msg), "blocked for %ld ticks: busy timeout", env->busy);
			mig_fail(s, m, DBE_BUSY, msg);
		}
		return;
	}
	env_unwait(env, WHO_MIGRATOR);
	if (m->blocked_since >= 0) {
		r->waited += env->tick - m->blocked_since;
		env_add_span(env, WHO_MIGRATOR, m->blocked_since);
		m->blocked_since = -1;
	}
	if (rc == DB_ERROR) {
		struct strbuf msg = STRBUF_INIT;
		int cls = db_errclass(d->drv, d->admin);
		strbuf_addstr(&msg, db_errmsg(d->drv, d->admin));
		mig_fail(s, m, cls, msg.buf);
		/* The migration tool's connection is gone: later work needs a new one. */
		if (cls == DBE_CONNECTION) {
			strbuf_reset(&msg);
			db_reconnect(d->drv, d->admin, &msg);
		}
		strbuf_release(&msg);
		return;
	}
	db_finalize(d->drv, m->st);
	m->st = NULL;
	m->sent = 0;
	/* A statement that worked for longer sits on its connection, and its write lock, meanwhile. */
	work = db_work(d->drv, d->admin, &wrote);
	if (work > 1) {
		m->idle_until = env->tick + work;
		if (wrote && !db_in_tx(d->drv, d->admin))
			env_hold(env, WHO_MIGRATOR, env->tick + work);
	}
	note_hold(d, work);
	if (!db_in_tx(d->drv, d->admin))
		env->epoch++;
	if (m->one_tx && !m->began) {
		m->began = 1;
		return;
	}
	if (m->next < m->script.nr && m->script.v[m->next].repeat && repeat_again(s, m))
		return;
	if (m->next < m->script.nr) {
		m->next++;
		r->applied++;
		if (m->rep == d->fix && s->slow)
			m->idle_until = (m->idle_until > env->tick ? m->idle_until : env->tick + 1) + s->slow;
		if (m->rep == d->fix && s->crash_after && (int)r->applied == s->crash_after)
			mig_crash(s, m);
		return;
	}
	if (m->one_tx && !m->recorded) {
		m->recorded = 1;   /* its COMMIT next: the record goes with the statements, or with them not */
		return;
	}
	history_add(d, s->next_version, r->name, m->record_tick);
	s->next_version++;
	r->completed = 1;
	r->end = env->tick;
	d->migration_ended = 1;
	dequeue(s);
}

static int add_client(struct sched *s, int version, struct strbuf *err)
{
	struct drill *d = s->d;
	struct client *c;
	ALLOC_GROW(d->clients, d->nclients + 1, d->clients_alloc);
	c = &d->clients[d->nclients];
	if (client_init(c, (int)d->nclients, version, s->o->seed, &d->env, d->db, err)) {
		client_release(c, &d->env);
		return -1;
	}
	d->nclients++;
	return 0;
}

/* Switch a share of all clients to version, at their next transaction. */
static void deploy(struct sched *s, int version, double fraction)
{
	struct drill *d = s->d;
	size_t i, n = 0, want = (size_t)(fraction * (double)d->nclients + 0.5), have = 0;
	int *others = xcalloc(d->nclients ? d->nclients : 1, sizeof(*others));

	for (i = 0; i < d->nclients; i++) {
		struct client *c = &d->clients[i];
		if (c->pending == version || (c->pending < 0 && c->version == version))
			have++;
		else
			others[n++] = (int)i;
	}
	/* Which clients go first is the schedule's choice, so it is seeded too. */
	while (have < want && n > 0) {
		size_t k = (size_t)prng_below(&s->rng, n);
		d->clients[others[k]].pending = version;
		others[k] = others[--n];
		have++;
	}
	free(others);
}

/* Put fault f into effect now (it is due, or the fix starts). */
static int apply_fault(struct sched *s, const struct fault *f, struct strbuf *err)
{
	struct drill *d = s->d;

	/* The command line checked it already; a library caller may not have. */
	if (fault_fits(f, d->drv, err))
		return DRILL_EINPUT;
	switch (f->kind) {
	case FAULT_FIX_CRASH:
		s->crash_after = (int)f->arg;
		break;
	case FAULT_SLOW_FIX:
		s->slow = f->arg;
		note_fault(d, f->kind, f->arg, -1);
		break;
	case FAULT_KILL_CLIENT:
		s->kills += f->arg;
		break;
	case FAULT_BUSY:
		d->env.busy = (long)f->arg;
		note_fault(d, f->kind, f->arg, -1);
		break;
	case FAULT_DISK_FULL:
	case FAULT_IOERR:
		db_fault_io(d->drv, f->kind == FAULT_DISK_FULL ? DB_FAULT_FULL : DB_FAULT_IOERR, f->arg);
		s->io_armed = 1;
		note_fault(d, f->kind, f->arg, -1);
		break;
	case FAULT_FIX_TIMEOUT:
		s->fix_timeout = f->arg;
		if (set_fix_timeout(s, err))
			return DRILL_EENGINE;
		note_fault(d, f->kind, f->arg, -1);
		break;
	case FAULT_RANDOM:
		break; /* the swarm draws the seed's faults before the drill */
	}
	return 0;
}

/*
** kill-client: a client found inside a transaction, at a random step,
** loses its connection.  One about to commit dies before its COMMIT goes out, or
** after, with the COMMIT landing or lost, a third of the time each: both
** outcomes of an indeterminate transaction occur.
*/
static void kill_clients(struct sched *s)
{
	struct drill *d = s->d;
	size_t i, n = 0;

	size_t ncommit = 0;
	int at_commit;

	/* Clients about to commit first in cand, then those mid-transaction. */
	s->ncand = 0;
	ALLOC_GROW(s->cand, d->nclients + 1, s->cand_alloc);
	for (i = 0; i < d->nclients; i++)
		if (d->clients[i].state == CS_COMMIT && !d->clients[i].in_flight)
			s->cand[ncommit++] = (int)i;
	for (n = ncommit, i = 0; i < d->nclients; i++)
		if (d->clients[i].state == CS_STMT && !d->clients[i].in_flight)
			s->cand[n++] = (int)i;
	/* A kill strikes at a random step, not at the first one it can. */
	if (!n || prng_below(&s->frng, 8))
		return;
	/* Else kills would strike right after each BEGIN and never at a COMMIT. */
	at_commit = ncommit && (n == ncommit || prng_below(&s->frng, 2));
	i = (size_t)s->cand[at_commit ? prng_below(&s->frng, ncommit)
				      : ncommit + prng_below(&s->frng, n - ncommit)];
	{
		int how = d->clients[i].state == CS_COMMIT ? (int)prng_below(&s->frng, 3) : CLIENT_KILL_MID;
		if (!client_kill(&d->clients[i], &d->env, how)) {
			note_fault(d, FAULT_KILL_CLIENT, how, (int)i);
			s->kills--;
		}
	}
}

/* A feature flag turns on or off now. */
static void flip(struct drill *d, int flag, int on)
{
	d->env.flags_on[flag] = (char)on;
	ALLOC_GROW(d->flips, d->nflips + 1, d->flips_alloc);
	d->flips[d->nflips].tick = d->env.tick;
	d->flips[d->nflips].flag = flag;
	d->flips[d->nflips++].on = on;
}

/* 'end': no transaction starts from now; those in flight and the migrations finish. */
static void stop_traffic(struct sched *s)
{
	struct drill *d = s->d;
	size_t i;

	s->ended = 1;
	d->end_tick = d->env.tick;
	for (i = 0; i < d->nclients; i++) {
		d->clients[i].stopping = 1;
		if (d->clients[i].state == CS_IDLE)
			d->clients[i].state = CS_DONE;
	}
}

static int fire(struct sched *s, const struct tl_event *ev, struct strbuf *err)
{
	struct drill *d = s->d;
	const struct scenario *sc = d->sc;
	int i, rc;

	switch (ev->action) {
	case TL_START:
		for (i = 0; i < ev->clients; i++)
			if (add_client(s, ev->version, err))
				return DRILL_EENGINE;
		break;
	case TL_DEPLOY:
		deploy(s, ev->version, ev->fraction);
		break;
	case TL_MIGRATE: {
		const struct migration *mg = &sc->migrations[ev->migration];
		const struct sql_variant *v = sql_section_pick(&mg->sql, db_dialect(d->drv));
		struct sql_script script = { 0 };
		int rep;
		if (!v)
			return strbuf_error(err, DRILL_EINPUT, "%s:%d: migration '%s' has no %s version",
					    sc->path, mg->line, mg->name, db_name(d->drv));
		sql_split(v->text, v->line, &script);
		rep = add_report(d, mg->name, mg->name, script.nr);
		if (!strcmp(mg->name, "bad"))
			d->bad = rep;
		enqueue(s, rep, &script, !strcmp(mg->name, "bad"), 0);
		sql_script_release(&script);
		break;
	}
	case TL_FAULT:
		return apply_fault(s, &ev->fault, err);
	case TL_FIX:
		/* A live drill has no scripted fix: its team applies one. */
		if (s->o->live)
			break;
		/* Faults with no tick of their own strike as the fix starts. */
		for (i = 0; s->o->faults && i < (int)s->o->faults->nr; i++)
			if (s->o->faults->v[i].tick == FAULT_AT_FIX &&
			    (rc = apply_fault(s, &s->o->faults->v[i], err)) != 0)
				return rc;
		d->fix = d->fix_first = add_report(d, s->o->fix_is_down ? "down" : "fix", s->o->fix_label,
						   s->o->fix->nr);
		enqueue(s, d->fix, s->o->fix, 0, 0);
		break;
	case TL_FLAG:
		flip(d, ev->flag, ev->flag_on);
		break;
	case TL_END:
		/* ... nor a scripted end: its team ends it. */
		if (!s->o->live)
			stop_traffic(s);
		break;
	}
	return 0;
}

static int migrator_runnable(struct sched *s, int64_t *deadline)
{
	struct drill *d = s->d;
	const struct mig_run *m = &s->queue[0];
	if (m->idle_until > d->env.tick) {
		*deadline = m->idle_until;
		return 0;
	}
	if (m->blocked_since < 0)
		return 1;
	*deadline = m->blocked_since + d->env.busy;
	if (d->env.tick >= *deadline)
		return 1;
	return m->blocked_epoch != d->env.epoch &&
	       env_may_try(&d->env, WHO_MIGRATOR, db_in_tx(d->drv, d->admin));
}

#define LOCK_CHECK_TICKS 64   /* how often in-flight statements may be asked about locks */
#define LOCK_CHECK_AGE 0.005  /* ... once they have been out this long, in seconds */
#define POLL_MS 10

/*
** Mark the in-flight clients whose statement waits on a lock as blocked.
** Only those out for a while are asked: a statement answers in well under
** a millisecond unless something holds it up, and each question is a
** query of its own.
*/
static void check_locks(struct sched *s)
{
	struct drill *d = s->d;
	struct timespec ts;
	double now;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	for (i = 0; i < d->nclients; i++) {
		struct client *c = &d->clients[i];
		if (c->in_flight && c->blocked_since < 0 && now - c->flight_wall >= LOCK_CHECK_AGE &&
		    db_lock_waiting(d->drv, c->conn))
			c->blocked_since = c->flight_since;
	}
	s->last_lock_check = d->env.tick;
}

/* Add the clients whose answer has come in to s->cand; wait up to ms for one. */
static void poll_flights(struct sched *s, size_t n, int ms)
{
	size_t i;
	if (!n || poll(s->pfds, n, ms) <= 0)
		return;
	for (i = 0; i < n; i++)
		if (s->pfds[i].revents)
			s->cand[s->ncand++] = s->pfd_client[i];
}

/* Does every statement out wait on a lock? */
static int flights_all_wait(struct sched *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s->d->clients[s->pfd_client[i]].blocked_since < 0)
			return 0;
	return 1;
}

/*
** Concurrent mode: a client is runnable when it has nothing out, when its
** answer has arrived, or when it has waited on a lock past its busy
** timeout.  With nobody runnable the scheduler sleeps on the sockets: time
** in ticks stands still while the server works, as it does in a real
** application that waits for its database.
*/
static size_t gather_concurrent(struct sched *s, int64_t *wake)
{
	struct drill *d = s->d;
	size_t i, active = 0, n = 0;
	int64_t dl;

	s->ncand = 0;
	ALLOC_GROW(s->cand, d->nclients + 1, s->cand_alloc);
	ALLOC_GROW(s->pfds, d->nclients + 1, s->pfds_alloc);
	ALLOC_GROW(s->pfd_client, d->nclients + 1, s->pfd_client_alloc);
	if (d->env.tick - s->last_lock_check >= LOCK_CHECK_TICKS)
		check_locks(s);
	for (i = 0; i < d->nclients; i++) {
		struct client *c = &d->clients[i];
		if (c->state == CS_DONE)
			continue;
		active++;
		if (client_asleep(c, &d->env)) {
			/* Nothing of its own is out: it sits on what it holds until it wakes. */
			if (c->wake < *wake)
				*wake = c->wake;
			continue;
		}
		if (!c->in_flight ||
		    (c->blocked_since >= 0 && d->env.tick - c->blocked_since >= d->env.busy)) {
			s->cand[s->ncand++] = (int)i;
			continue;
		}
		s->pfds[n].fd = db_socket(d->drv, c->conn);
		s->pfds[n].events = POLLIN;
		s->pfds[n].revents = 0;
		s->pfd_client[n++] = (int)i;
	}
	d->env.poll_all = 0;
	if (s->nqueue) {
		active++;
		if (migrator_runnable(s, &dl))
			s->cand[s->ncand++] = WHO_MIGRATOR;
	}
	/* Like pgbench: look at the sockets only when nobody else can go on. */
	while (!s->ncand && n) {
		/* A signal: the main loop stops the drill (the driver cancels what is out). */
		if (s->o->stop && *s->o->stop)
			break;
		poll_flights(s, n, POLL_MS);
		if (s->ncand)
			break;
		/* Nothing answered for a while: ask which of them wait on locks. */
		check_locks(s);
		poll_flights(s, n, POLL_MS);
		if (!s->ncand && s->nqueue) {
			/* The migrator may be the one the server lets through next. */
			d->env.poll_all = 1;
			s->cand[s->ncand++] = WHO_MIGRATOR;
		}
		/*
		** They wait on locks and a client sleeps in a pgbench '\sleep':
		** its locks go only when its ticks pass, so let them pass.
		*/
		if (!s->ncand && *wake != INT64_MAX && flights_all_wait(s, n))
			break;
	}
	return active;
}

/*
** Gather who can step this tick into s->cand.  Returns the number of
** participants still active; *wake is the earliest busy timeout among those
** that wait, or wake-up of those that sleep (INT64_MAX if none).
*/
static size_t gather(struct sched *s, int64_t *wake)
{
	struct drill *d = s->d;
	size_t i, active = 0;
	int64_t dl;

	*wake = INT64_MAX;
	if (d->env.concurrent)
		return gather_concurrent(s, wake);
	s->ncand = 0;
	ALLOC_GROW(s->cand, d->nclients + 1, s->cand_alloc);
	for (i = 0; i < d->nclients; i++) {
		if (d->clients[i].state == CS_DONE)
			continue;
		active++;
		dl = INT64_MAX;
		if (client_runnable(&d->clients[i], &d->env, &dl))
			s->cand[s->ncand++] = (int)i;
		else if (dl < *wake)
			*wake = dl;
	}
	if (s->nqueue) {
		active++;
		dl = INT64_MAX;
		if (migrator_runnable(s, &dl))
			s->cand[s->ncand++] = WHO_MIGRATOR;
		else if (dl < *wake)
			*wake = dl;
	}
	/*
	** On an engine whose statements run on the server while we wait, all
	** waiting means a lock cycle the server will break (a deadlock) or a
	** release on its side: look at everyone again rather than sleep to the
	** next timeout.
	*/
	d->env.poll_all = 0;
	if (!s->ncand && active && db_can(d->drv, DB_CAP_ASYNC)) {
		d->env.poll_all = 1;
		for (i = 0; i < d->nclients; i++)
			if (d->clients[i].state != CS_DONE && !client_asleep(&d->clients[i], &d->env))
				s->cand[s->ncand++] = (int)i;
		if (s->nqueue)
			s->cand[s->ncand++] = WHO_MIGRATOR;
	}
	return active;
}

struct history_read {
	struct strbuf rows;   /* "version|name|tick\n" each, as read */
};

static int history_row_cb(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct history_read *h = ctx;
	int i;
	(void)names;
	for (i = 0; i < ncol && i < 3; i++)
		strbuf_addf(&h->rows, "%s%s", i ? "|" : "", vals[i] ? vals[i] : "NULL");
	strbuf_addch(&h->rows, '\n');
	return 0;
}

/*
** The migration history is the audit trail (the rolling-forward essay:
** never modify or delete migration records).  After the drill, every
** record mdrill made must still be there as it was made; what is not
** fails the verdict with what became of it.
*/
static void history_check(struct drill *d)
{
	struct history_read h = { STRBUF_INIT };
	struct strbuf why = STRBUF_INIT, want = STRBUF_INIT;
	const char *table = scenario_history_table(d->sc);
	size_t i;
	int cls;

	if (!d->reader) {
		strbuf_addf(&why, "the migration history (%s) could not be read: %s", table, d->reader_error);
		d->history_broken = strbuf_detach(&why);
		return;
	}
	strbuf_addf(&want, "SELECT version, name, tick FROM %s.%s ORDER BY version", db_home_schema(d->drv), table);
	db_own_sql(d->drv, d->reader, 1);
	if (db_exec_try(d->drv, d->reader, want.buf, 0, NULL, history_row_cb, &h, &cls, &why)) {
		struct strbuf m = STRBUF_INIT;
		strbuf_addf(&m, "the migration history (%s) is gone or unreadable: %s", table, why.buf);
		d->history_broken = strbuf_detach(&m);
		goto out;
	}
	for (i = 0; i < d->nhistory; i++) {
		const struct history_row *r = &d->history[i];
		const char *line;
		strbuf_reset(&want);
		strbuf_addf(&want, "%d|%s|%lld\n", r->version, r->name, (long long)r->tick);
		line = strstr(h.rows.buf, want.buf);
		if (line && (line == h.rows.buf || line[-1] == '\n'))
			continue;
		strbuf_reset(&why);
		strbuf_addf(&why, "%d|", r->version);
		line = h.rows.buf;
		while (line && *line && strncmp(line, why.buf, why.len))
			line = (line = strchr(line, '\n')) ? line + 1 : NULL;
		strbuf_reset(&why);
		strbuf_addf(&why, "the migration history was %s: version %d ('%s') of %s %s",
			    line && *line ? "rewritten" : "cut", r->version, r->name, table,
			    line && *line ? "no longer reads as mdrill recorded it" : "is gone");
		d->history_broken = strbuf_detach(&why);
		break;
	}
out:
	db_own_sql(d->drv, d->reader, 0);
	strbuf_release(&h.rows);
	strbuf_release(&why);
	strbuf_release(&want);
}

/* The seeder's progress, as the drill's. */
static void seed_progress(void *ctx, int64_t done, int64_t total)
{
	const struct drill_opts *o = ctx;
	if (o->progress)
		o->progress(o->progress_ctx, DRILL_SEEDING, done, total);
}

/* One statement of mdrill's own, past the sandbox's guard. */
static int own_exec(struct drill *d, const char *sql, struct strbuf *err)
{
	int cls, rc;
	db_own_sql(d->drv, d->admin, 1);
	rc = db_exec_now(d->drv, d->admin, sql, 0, NULL, NULL, NULL, &cls, err);
	db_own_sql(d->drv, d->admin, 0);
	return rc;
}

/*
** The scenario's schema, as its migration tool would apply it when it is a
** tool's history ('-- @history'); a failure is the scenario's fault.
*/
static int run_schema(struct drill *d, struct strbuf *err)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t failed;
	int rc = 0;

	scenario_schema_script(d->sc, db_dialect(d->drv), &script);
	if (history_apply(d->drv, d->admin, d->sc->history, &script, &failed, &why)) {
		if (failed < script.nr)
			rc = strbuf_error(err, DRILL_EINPUT, "%s:%d: schema statement failed on %s%s%s%s: %s",
					  d->sc->path, script.v[failed].line, db_name(d->drv),
					  script.v[failed].file ? " (" : "", script.v[failed].file ? script.v[failed].file : "",
					  script.v[failed].file ? ")" : "", why.buf);
		else
			rc = strbuf_error(err, DRILL_EENGINE, "%s", why.buf);
	}
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

static int setup(struct sched *s, struct strbuf *err)
{
	struct drill *d = s->d;
	const struct scenario *sc = d->sc;
	const struct sql_variant *schema = sql_section_pick(&sc->schema, db_dialect(d->drv));
	struct strbuf why = STRBUF_INIT, sql = STRBUF_INIT;
	struct ledger_tx seedtx;
	struct db_options dbo;
	int rc = 0;

	memset(&dbo, 0, sizeof(dbo));
	dbo.allow_superuser = s->o->allow_superuser;
	dbo.statement_timeout_ms = s->o->statement_timeout_ms;
	dbo.stop = s->o->stop;
	if (s->o->template)
		rc = db_copy(d->drv, s->o->template, &dbo, &d->db, err);
	else
		rc = db_create(d->drv, s->o->target, &dbo, &d->db, err);
	if (rc)
		return rc == DB_EREFUSED ? DRILL_EINPUT : DRILL_EENGINE;
	if (db_connect(d->drv, d->db, &d->admin, err))
		return DRILL_EENGINE;
	if (!schema)
		return strbuf_error(err, DRILL_EINPUT, "%s: no '-- @schema' block for %s",
				    sc->path, db_name(d->drv));
	/*
	** mdrill's own record of the drill's migrations, under a name beside
	** any tool's; the sandbox's guard is lifted for it alone.
	*/
	strbuf_addf(&sql, "CREATE TABLE %s (version INTEGER PRIMARY KEY, name TEXT NOT NULL, tick INTEGER NOT NULL)",
		    scenario_history_table(sc));
	if (own_exec(d, sql.buf, &why)) {
		rc = strbuf_error(err, DRILL_EENGINE, "cannot create %s: %s", scenario_history_table(sc), why.buf);
		goto out;
	}
	if (!s->o->template && (rc = run_schema(d, err)) != 0)
		goto out;
	strbuf_reset(&sql);
	strbuf_addf(&sql, "INSERT INTO %s VALUES (1, 'schema', 0)", scenario_history_table(sc));
	if (own_exec(d, sql.buf, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	history_add(d, 1, "schema", 0);
	if (s->o->adopt && s->o->adopt(s->o->adopt_ctx, sc, d->drv, d->admin, &d->ledger, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	rc = seeder_run(sc, d->drv, d->admin, &d->ledger, s->o->seed, seed_progress, (void *)s->o, err);
	if (rc) {
		rc = rc == SEEDER_EDATA ? DRILL_EINPUT : DRILL_EENGINE;
		goto out;
	}
	memset(&seedtx, 0, sizeof(seedtx));
	seedtx.invoke = seedtx.complete = -1;
	seedtx.msg = LEDGER_NONE;
	seedtx.outcome = TX_OK;
	ledger_tx_add(&d->ledger, &seedtx);
out:
	strbuf_release(&why);
	strbuf_release(&sql);
	return rc;
}

/* Free what the schedule holds; the drill's results stay. */
static void sched_free(struct drill *d)
{
	struct sched *s = d->sched;
	if (!s)
		return;
	while (s->nqueue)
		dequeue(s);
	free(s->queue);
	free(s->cand);
	free(s->pfds);
	free(s->pfd_client);
	free(s->timed);
	io_fault_end(s);
	free(s);
	d->sched = NULL;
}

int drill_start(struct drill *d, const struct scenario *sc, const struct drill_opts *o,
		struct strbuf *err)
{
	struct sched *s;
	int rc;

	memset(d, 0, sizeof(*d));
	s = d->sched = xcalloc(1, sizeof(*s));
	d->sc = sc;
	d->drv = o->drv;
	d->seed = o->seed;
	d->bad = d->fix = d->fix_first = -1;
	d->fix_is_down = o->fix_is_down;
	d->end_tick = d->last_tick = -1;
	d->hold_from = -1;
	ledger_init(&d->ledger);
	plan_build(&d->plan, sc, o->drv);
	d->env.sc = sc;
	d->env.drv = o->drv;
	d->env.plan = &d->plan;
	d->env.ledger = &d->ledger;
	d->env.busy = (long)scenario_param_num(sc, "busy", 500);
	d->env.awkward = scenario_param_num(sc, "awkward", 0.05);
	d->env.writer = -1;
	d->env.hold_until = -1;
	d->env.flags_on = xmalloc(sc->nflags ? sc->nflags : 1);
	memset(d->env.flags_on, 1, sc->nflags ? sc->nflags : 1);
	d->env.concurrent = o->concurrent;
	s->d = d;
	s->o = o;
	s->next_version = 2;
	prng_seed(&s->rng, o->seed, 0);
	prng_seed(&s->frng, o->seed, 7);
	if (o->faults) {
		/* The timed ones in tick order; the rest wait for the fix. */
		size_t i, k;
		s->timed = xcalloc(o->faults->nr + 1, sizeof(*s->timed));
		for (i = 0; i < o->faults->nr; i++) {
			if (o->faults->v[i].tick == FAULT_AT_FIX)
				continue;
			for (k = s->ntimed; k > 0 && s->timed[k - 1].tick > o->faults->v[i].tick; k--)
				s->timed[k] = s->timed[k - 1];
			s->timed[k] = o->faults->v[i];
			s->ntimed++;
		}
	}

	/* The timeline ends with 'end': the traffic's progress is its tick of that one. */
	s->end_at = sc->ntimeline ? sc->timeline[sc->ntimeline - 1].tick : 0;
	if ((rc = setup(s, err)) != 0) {
		/* A signal cancels what runs: the set-up fails, but the cause is the signal. */
		if (o->stop && *o->stop)
			rc = strbuf_error(err, DRILL_EINTR, "interrupted while setting up");
		return rc;
	}
	plan_bind(&d->plan, sc, &d->ledger);
	/* A migration statement that works for long lets the traffic go on meanwhile. */
	db_set_nowait(d->drv, d->admin, DB_WAIT_WORK);
	if (o->progress)
		o->progress(o->progress_ctx, DRILL_TRAFFIC, 0, s->end_at);
	return 0;
}

int drill_advance(struct drill *d, int64_t until, struct strbuf *err)
{
	struct sched *s = d->sched;
	const struct scenario *sc = d->sc;
	const struct drill_opts *o = s->o;
	struct client_env *env = &d->env;
	int rc;

	while (env->tick < until) {
		int64_t wake;
		size_t active;

		/* A statement's work is over: the write lock it held in the model goes. */
		if (env->hold_until >= 0 && env->tick >= env->hold_until)
			env_hold(env, 0, -1);
		while (s->next_event < sc->ntimeline && sc->timeline[s->next_event].tick <= env->tick)
			if ((rc = fire(s, &sc->timeline[s->next_event++], err)) != 0)
				return rc;
		while (s->next_fault < s->ntimed && s->timed[s->next_fault].tick <= env->tick)
			if ((rc = apply_fault(s, &s->timed[s->next_fault++], err)) != 0)
				return rc;
		if (s->kills)
			kill_clients(s);
		/* The disk is freed once the fix is done with, whichever way it ended. */
		if (s->io_armed && d->fix >= 0 && (d->migs[d->fix].completed || d->migs[d->fix].error))
			io_fault_end(s);
		if (o->stop && *o->stop)
			return strbuf_error(err, DRILL_EINTR, "interrupted at tick %lld", (long long)env->tick);
		if (d->ledger.full)
			return strbuf_error(err, DRILL_EENGINE, "the ledger holds %zu distinct strings, "
					    "its limit: use fewer rows or shorter values", d->ledger.nstr);
		active = gather(s, &wake);
		if (!s->ncand) {
			/* Everyone waits or nothing runs: time passes to the next event. */
			int64_t next = s->next_event < sc->ntimeline ? sc->timeline[s->next_event].tick : INT64_MAX;
			if (s->next_fault < s->ntimed && s->timed[s->next_fault].tick < next)
				next = s->timed[s->next_fault].tick;
			if (env->hold_until >= 0 && env->hold_until < next)
				next = env->hold_until;
			if (active && wake < next)
				next = wake;
			if (next == INT64_MAX && (!o->live || s->ended))
				return DRILL_DRAINED;
			/* A live drill waits for its team: time still passes, to where it is asked. */
			env->tick = next < until ? next : until;
			continue;
		}
		{
			int who = s->cand[prng_below(&s->rng, s->ncand)];
			if (who == WHO_MIGRATOR)
				migrator_step(s);
			else
				client_step(&d->clients[who], env);
		}
		if (env->free_step) {
			env->free_step = 0;
			continue;
		}
		if (!(++env->tick & (DRILL_PROGRESS_TICKS - 1)) && o->progress)
			o->progress(o->progress_ctx, DRILL_TRAFFIC, env->tick, s->end_at);
		if (d->pause_after_migration && d->migration_ended)
			return 0;
	}
	return 0;
}

int drill_finish(struct drill *d, struct strbuf *err)
{
	struct sched *s = d->sched;
	const struct drill_opts *o = s->o;

	d->last_tick = d->env.tick;
	/* The probes read what the drill left; nothing fails under them. */
	io_fault_end(s);
	ledger_shrink(&d->ledger);
	if (s->kills > 0)
		note_fault(d, FAULT_KILL_CLIENT, s->kills, -1); /* kills that found nobody in a transaction */
	if (s->fix_timeout) {
		/* The probes that follow run on the same connection, under the drill's own limit. */
		char sql[64];
		int cls;
		snprintf(sql, sizeof(sql), "SET statement_timeout = %ld",
			 o->statement_timeout_ms > 0 ? o->statement_timeout_ms : 0L);
		db_exec_now(d->drv, d->admin, sql, 0, NULL, NULL, NULL, &cls, err);
		strbuf_reset(err);
	}
	db_set_nowait(d->drv, d->admin, DB_WAIT_ALL);
	if (o->progress)
		o->progress(o->progress_ctx, DRILL_DONE, d->env.tick, s->end_at);
	if (db_in_tx(d->drv, d->admin)) {
		/* Its connection closes at the end of the deploy: what it left open goes. */
		struct mig_report *r = d->nmigs ? &d->migs[d->nmigs - 1] : NULL;
		db_rollback(d->drv, d->admin);
		if (r && !r->error) {
			r->completed = 0;
			r->error = xstrdup("left a transaction open; it was rolled back when the "
					   "migration connection closed");
			r->errclass = DBE_OTHER;
		}
	}
	/*
	** What the drill left is read from outside, as the application would
	** read it: not through the connection the fixes ran on, whose session
	** (TEMP objects, the attached backup, its settings) they shaped.
	*/
	{
		struct strbuf why = STRBUF_INIT;
		int rc = db_reader_open(d->drv, d->db, &d->reader, &why);
		if (rc == DB_EREFUSED) {
			struct strbuf m = STRBUF_INIT;
			strbuf_addf(&m, "the database could not be read apart from the drill's sessions: %s", why.buf);
			d->reader_error = strbuf_detach(&m);
		} else if (rc) {
			strbuf_error(err, DRILL_EENGINE, "cannot open a connection to read the database: %s", why.buf);
			strbuf_release(&why);
			sched_free(d);
			return DRILL_EENGINE;
		}
		strbuf_release(&why);
	}
	history_check(d);
	sched_free(d);
	return 0;
}

int drill_run(struct drill *d, const struct scenario *sc, const struct drill_opts *o,
	      struct strbuf *err)
{
	int rc = drill_start(d, sc, o, err);
	if (!rc)
		rc = drill_advance(d, INT64_MAX, err);
	if (rc == DRILL_DRAINED)
		return drill_finish(d, err);
	sched_free(d);
	return rc;
}

int drill_apply(struct drill *d, const char *name, const char *label, const struct sql_script *script,
		int one_tx)
{
	int rep = add_report(d, name, label, script->nr);
	d->fix = rep;
	if (d->fix_first < 0)
		d->fix_first = rep;
	enqueue(d->sched, rep, script, 0, one_tx);
	return rep;
}

void drill_flip(struct drill *d, int flag, int on)
{
	flip(d, flag, on);
}

void drill_stop_traffic(struct drill *d)
{
	stop_traffic(d->sched);
}

int drill_migrating(const struct drill *d)
{
	return d->sched && (d->sched->nqueue || db_in_tx(d->drv, d->admin));
}

int drill_migration_at_work(const struct drill *d)
{
	const struct mig_run *m;
	if (!d->sched)
		return 0;
	if (db_in_tx(d->drv, d->admin))
		return 1;
	if (!d->sched->nqueue)
		return 0;
	m = &d->sched->queue[0];
	return m->began || m->next > 0 || m->sent || m->st != NULL;
}

int drill_statements_out(const struct drill *d)
{
	size_t i;
	if (!db_can(d->drv, DB_CAP_ASYNC))
		return 0;
	for (i = 0; i < d->nclients; i++)
		if (d->clients[i].in_flight || d->clients[i].blocked_since >= 0)
			return 1;
	return 0;
}

/* Does a client other than who hold the one write lock, in the model? */
static int client_holds_lock(const struct client_env *env, int who)
{
	if (env->writer >= 0 && env->writer != who)
		return 1;
	return env->hold_until > env->tick && env->hold_who >= 0 && env->hold_who != who;
}

/* Does the migrations' connection hold the one write lock, in the model? */
static int migrator_holds_lock(const struct drill *d)
{
	return d->hold_from >= 0 || (d->env.hold_until > d->env.tick && d->env.hold_who == WHO_MIGRATOR) ||
	       drill_migration_at_work(d);
}

size_t drill_lock_waits(const struct drill *d, int64_t *since)
{
	struct db_conn **peers;
	size_t i, n = 0;
	int outside = 0;

	*since = -1;
	peers = xcalloc(d->nclients + 1, sizeof(*peers));
	for (i = 0; i < d->nclients; i++) {
		const struct client *c = &d->clients[i];
		peers[i] = c->conn;
		/* One write lock: the database refused a client while no client of the model holds it. */
		if (c->state != CS_DONE && c->blocked_since >= 0 && c->blocked_by_db &&
		    !client_holds_lock(&d->env, c->id))
			outside = 1;
	}
	for (i = 0; i < d->nclients; i++) {
		const struct client *c = &d->clients[i];
		int other;
		if (c->state == CS_DONE || c->blocked_since < 0)
			continue;
		/*
		** One write lock: a client that holds it makes a queue of writers,
		** not trouble; the migrations' connection holding it, or someone
		** outside the drill (the database says busy while no client holds
		** it), is: every writer queued behind it waits for it.  Elsewhere
		** the server says who holds what the writer waits for.
		*/
		if (db_can(d->drv, DB_CAP_ONE_WRITER))
			other = !client_holds_lock(&d->env, c->id) && (migrator_holds_lock(d) || outside);
		else
			other = db_blocked_by_other(d->drv, c->conn, peers, d->nclients);
		if (!other)
			continue;
		n++;
		if (*since < 0 || c->blocked_since < *since)
			*since = c->blocked_since;
	}
	free(peers);
	return n;
}

void drill_release(struct drill *d, int keep, struct strbuf *kept, struct strbuf *left)
{
	struct strbuf why = STRBUF_INIT;
	size_t i;
	sched_free(d);
	for (i = 0; i < d->nclients; i++)
		client_release(&d->clients[i], &d->env);
	free(d->clients);
	db_reader_close(d->drv, d->reader);
	free(d->reader_error);
	if (d->admin) {
		db_rollback(d->drv, d->admin);
		db_disconnect(d->drv, d->admin);
	}
	if (d->db && db_destroy(d->drv, d->db, keep, kept, &why) && left)
		strbuf_addf(left, "%s\n", why.buf);
	strbuf_release(&why);
	for (i = 0; i < d->nhistory; i++)
		free(d->history[i].name);
	free(d->history);
	free(d->history_broken);
	for (i = 0; i < d->nmigs; i++) {
		free(d->migs[i].name);
		free(d->migs[i].label);
		free(d->migs[i].failed_sql);
		free(d->migs[i].failed_file);
		free(d->migs[i].error);
		free(d->migs[i].repeats.stmts);
		free(d->migs[i].repeats.runs);
	}
	free(d->migs);
	plan_release(&d->plan);
	ledger_release(&d->ledger);
	free(d->env.leases);
	free(d->env.spans);
	free(d->env.waitq);
	free(d->env.flags_on);
	free(d->flips);
	free(d->holds);
	free(d->hits);
	memset(d, 0, sizeof(*d));
}
