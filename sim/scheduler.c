/*
** The scheduler: set-up (schema, seed), then the tick loop that fires
** timeline events and steps one participant per tick, then the drain at
** 'end' (no new transactions; those in flight and any migration finish).
** The migrator is a participant like the clients: its statements wait on
** locks the same way, and its snapshot of the database is taken in the same
** step as the bad migration's first statement, so no write falls between.
*/
#include "scheduler.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "prng.h"
#include "seeder.h"

#define WHO_MIGRATOR -1

/* A migration waiting or running on the migration connection. */
struct mig_run {
	int rep;                     /* index in d->migs */
	struct sql_script script;    /* owned copy of the statements */
	int is_bad;
	size_t next;                 /* next statement; nstmts is the record step */
	struct db_stmt *st;          /* prepared statement being retried */
	int sent;                    /* async engines: it is out on the server */
	int64_t blocked_since;
	uint64_t blocked_epoch;
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
	int next_version;            /* schema_migrations version for the next record */
	int *cand;                   /* participants: client index or WHO_MIGRATOR */
	size_t ncand, cand_alloc;
	int ended;
};

static void script_copy(struct sql_script *dst, const struct sql_script *src)
{
	size_t i;
	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->nr; i++) {
		ALLOC_GROW(dst->v, dst->nr + 1, dst->alloc);
		dst->v[dst->nr].sql = xstrdup(src->v[i].sql);
		dst->v[dst->nr].line = src->v[i].line;
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

static void enqueue(struct sched *s, int rep, const struct sql_script *script, int is_bad)
{
	struct mig_run *m;
	ALLOC_GROW(s->queue, s->nqueue + 1, s->queue_alloc);
	m = &s->queue[s->nqueue++];
	memset(m, 0, sizeof(*m));
	m->rep = rep;
	m->is_bad = is_bad;
	m->blocked_since = -1;
	script_copy(&m->script, script);
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
** a statement on its own held it for its one step.
*/
static void note_hold(struct drill *d)
{
	int64_t now = d->env.tick;
	if (!(d->drv->caps & DB_CAP_ONE_WRITER))
		return;
	if (db_in_tx(d->drv, d->admin)) {
		if (d->hold_from < 0)
			d->hold_from = now;
		return;
	}
	ALLOC_GROW(d->holds, d->nholds + 1, d->holds_alloc);
	d->holds[d->nholds].from = d->hold_from >= 0 ? d->hold_from : now;
	d->holds[d->nholds++].to = now + 1;
	d->hold_from = -1;
}

/* End the running migration as failed at its current statement. */
static void mig_fail(struct sched *s, struct mig_run *m, int cls, const char *msg)
{
	struct drill *d = s->d;
	struct mig_report *r = &d->migs[m->rep];

	r->failed = (int)m->next + 1;
	if (m->next < m->script.nr) {
		r->failed_line = m->script.v[m->next].line;
		if (m->script.v[m->next].file)
			r->failed_file = xstrdup(m->script.v[m->next].file);
		r->failed_sql = xstrdup(m->script.v[m->next].sql);
	} else {
		r->failed_sql = xstrdup("(recording the migration in schema_migrations)");
	}
	r->error = xstrdup(msg);
	r->errclass = cls;
	r->end = d->env.tick;
	env_unwait(&d->env, WHO_MIGRATOR);
	/* A migration tool's connection closes on failure: its transaction goes. */
	db_rollback(d->drv, d->admin);
	note_hold(d);
	d->env.epoch++;
	dequeue(s);
}

static void migrator_step(struct sched *s)
{
	struct drill *d = s->d;
	struct client_env *env = &d->env;
	struct mig_run *m = &s->queue[0];
	struct mig_report *r = &d->migs[m->rep];
	struct strbuf err = STRBUF_INIT, rec = STRBUF_INIT;
	const char *sql;
	int rc;

	if (r->start < 0) {
		r->start = env->tick;
		if (s->o->progress)
			s->o->progress(s->o->progress_ctx, DRILL_MIGRATION, env->tick);
	}
	if (m->blocked_since >= 0 && m->blocked_epoch == env->epoch && !env->poll_all) {
		rc = DB_BLOCKED;
	} else if (!env_may_try(env, WHO_MIGRATOR, db_in_tx(d->drv, d->admin))) {
		rc = DB_BLOCKED;
		env->free_step = m->blocked_since < 0; /* only queued: no tick spent */
	} else {
		/*
		** The backup is taken in the same step as the bad migration's first
		** statement, and taken again each time that statement is tried anew,
		** so that no write falls between them.  A statement already out on a
		** server (PostgreSQL, waiting on a lock) cannot be taken back: there
		** the backup is the one taken when it went out.
		*/
		if (m->is_bad && m->next == 0 && !m->sent && db_snapshot(d->drv, d->admin, &err)) {
			mig_fail(s, m, DBE_OTHER, err.buf);
			strbuf_release(&err);
			return;
		}
		if (m->next < m->script.nr) {
			sql = m->script.v[m->next].sql;
		} else {
			/* The fix is a new version in the history, never a rewrite of it. */
			strbuf_addf(&rec, "INSERT INTO schema_migrations (version, name, tick) "
					  "VALUES (%d, '%s', %lld)", s->next_version, r->name,
				    (long long)env->tick);
			sql = rec.buf;
		}
		rc = DB_DONE;
		if (!m->st)
			rc = db_prepare(d->drv, d->admin, sql, &m->st);
		if (rc == DB_DONE)
			rc = db_run(d->drv, m->st, 0, NULL, NULL, NULL);
		if (rc != DB_BLOCKED)
			env->statements++;
		strbuf_release(&rec);
	}
	if (rc == DB_BLOCKED) {
		if (d->drv->caps & DB_CAP_ASYNC)
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
		if (cls == DBE_CONNECTION && d->drv->reconnect) {
			strbuf_reset(&msg);
			db_reconnect(d->drv, d->admin, &msg);
		}
		strbuf_release(&msg);
		return;
	}
	db_finalize(d->drv, m->st);
	m->st = NULL;
	m->sent = 0;
	note_hold(d);
	if (!db_in_tx(d->drv, d->admin))
		env->epoch++;
	if (m->next < m->script.nr) {
		m->next++;
		r->applied++;
		return;
	}
	s->next_version++;
	r->completed = 1;
	r->end = env->tick;
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

static int fire(struct sched *s, const struct tl_event *ev, struct strbuf *err)
{
	struct drill *d = s->d;
	const struct scenario *sc = d->sc;
	int i;

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
		const struct sql_variant *v = sql_section_pick(&mg->sql, d->drv->dialect);
		struct sql_script script = { 0 };
		int rep;
		if (!v)
			return strbuf_error(err, DRILL_EINPUT, "%s:%d: migration '%s' has no %s version",
					    sc->path, mg->line, mg->name, d->drv->name);
		sql_split(v->text, v->line, &script);
		rep = add_report(d, mg->name, mg->name, script.nr);
		if (!strcmp(mg->name, "bad"))
			d->bad = rep;
		enqueue(s, rep, &script, !strcmp(mg->name, "bad"));
		sql_script_release(&script);
		break;
	}
	case TL_FIX:
		d->fix = add_report(d, s->o->fix_is_down ? "down" : "fix", s->o->fix_label, s->o->fix->nr);
		enqueue(s, d->fix, s->o->fix, 0);
		break;
	case TL_FLAG:
		d->env.flags_on[ev->flag] = (char)ev->flag_on;
		ALLOC_GROW(d->flips, d->nflips + 1, d->flips_alloc);
		d->flips[d->nflips].tick = d->env.tick;
		d->flips[d->nflips].flag = ev->flag;
		d->flips[d->nflips++].on = ev->flag_on;
		break;
	case TL_END:
		s->ended = 1;
		d->end_tick = d->env.tick;
		for (i = 0; i < (int)d->nclients; i++) {
			d->clients[i].stopping = 1;
			if (d->clients[i].state == CS_IDLE)
				d->clients[i].state = CS_DONE;
		}
			break;
	}
	return 0;
}

static int migrator_runnable(struct sched *s, int64_t *deadline)
{
	struct drill *d = s->d;
	const struct mig_run *m = &s->queue[0];
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

/*
** Concurrent mode: a client is runnable when it has nothing out, when its
** answer has arrived, or when it has waited on a lock past its busy
** timeout.  With nobody runnable the scheduler sleeps on the sockets: time
** in ticks stands still while the server works, as it does in a real
** application that waits for its database.
*/
static size_t gather_concurrent(struct sched *s)
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
	}
	return active;
}

/*
** Gather who can step this tick into s->cand.  Returns the number of
** participants still active; *wake is the earliest busy timeout among those
** that wait (INT64_MAX if none).
*/
static size_t gather(struct sched *s, int64_t *wake)
{
	struct drill *d = s->d;
	size_t i, active = 0;
	int64_t dl;

	*wake = INT64_MAX;
	if (d->env.concurrent)
		return gather_concurrent(s);
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
	if (!s->ncand && active && (d->drv->caps & DB_CAP_ASYNC)) {
		d->env.poll_all = 1;
		for (i = 0; i < d->nclients; i++)
			if (d->clients[i].state != CS_DONE)
				s->cand[s->ncand++] = (int)i;
		if (s->nqueue)
			s->cand[s->ncand++] = WHO_MIGRATOR;
	}
	return active;
}

/* Run the statements of a set-up script; a failure is the scenario's fault. */
static int run_setup(struct drill *d, const char *what, const struct sql_variant *v, struct strbuf *err)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int cls, rc = 0;

	sql_split(v->text, v->line, &script);
	for (i = 0; i < script.nr && !rc; i++) {
		if (db_exec_now(d->drv, d->admin, script.v[i].sql, 0, NULL, NULL, NULL, &cls, &why))
			rc = strbuf_error(err, DRILL_EINPUT, "%s:%d: %s statement failed on %s: %s",
					  d->sc->path, script.v[i].line, what, d->drv->name, why.buf);
	}
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

static int setup(struct sched *s, struct strbuf *err)
{
	struct drill *d = s->d;
	const struct scenario *sc = d->sc;
	const struct sql_variant *schema = sql_section_pick(&sc->schema, d->drv->dialect);
	struct strbuf why = STRBUF_INIT;
	struct ledger_tx seedtx;
	int cls, rc;

	if (db_create(d->drv, s->o->target, &d->db, err) ||
	    db_connect(d->drv, d->db, &d->admin, err))
		return DRILL_EENGINE;
	if (!schema)
		return strbuf_error(err, DRILL_EINPUT, "%s: no '-- @schema' block for %s",
				    sc->path, d->drv->name);
	if (db_exec_now(d->drv, d->admin,
			"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
			"name TEXT NOT NULL, tick INTEGER NOT NULL)",
			0, NULL, NULL, NULL, &cls, &why)) {
		rc = strbuf_error(err, DRILL_EENGINE, "cannot create schema_migrations: %s", why.buf);
		strbuf_release(&why);
		return rc;
	}
	strbuf_release(&why);
	if ((rc = run_setup(d, "schema", schema, err)) != 0)
		return rc;
	if (db_exec_now(d->drv, d->admin, "INSERT INTO schema_migrations VALUES (1, 'schema', 0)",
			0, NULL, NULL, NULL, &cls, err))
		return DRILL_EENGINE;
	rc = seeder_run(sc, d->drv, d->admin, &d->ledger, s->o->seed, err);
	if (rc)
		return rc == -2 ? DRILL_EINPUT : DRILL_EENGINE;
	memset(&seedtx, 0, sizeof(seedtx));
	seedtx.invoke = seedtx.complete = -1;
	seedtx.msg = LEDGER_NONE;
	seedtx.outcome = TX_OK;
	ledger_tx_add(&d->ledger, &seedtx);
	return 0;
}

int drill_run(struct drill *d, const struct scenario *sc, const struct drill_opts *o,
	      struct strbuf *err)
{
	struct sched s;
	size_t ev = 0;
	int rc;

	memset(d, 0, sizeof(*d));
	memset(&s, 0, sizeof(s));
	d->sc = sc;
	d->drv = o->drv;
	d->seed = o->seed;
	d->bad = d->fix = -1;
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
	d->env.flags_on = xmalloc(sc->nflags ? sc->nflags : 1);
	memset(d->env.flags_on, 1, sc->nflags ? sc->nflags : 1);
	d->env.concurrent = o->concurrent;
	s.d = d;
	s.o = o;
	s.next_version = 2;
	prng_seed(&s.rng, o->seed, 0);

	if (o->progress)
		o->progress(o->progress_ctx, DRILL_SEEDING, 0);
	if ((rc = setup(&s, err)) != 0)
		goto out;
	plan_bind(&d->plan, sc, &d->ledger);
	if (o->progress)
		o->progress(o->progress_ctx, DRILL_TRAFFIC, 0);

	for (;;) {
		struct client_env *env = &d->env;
		int64_t wake;
		size_t active;

		while (ev < sc->ntimeline && sc->timeline[ev].tick <= env->tick)
			if ((rc = fire(&s, &sc->timeline[ev++], err)) != 0)
				goto out;
		if (o->stop && *o->stop) {
			rc = strbuf_error(err, DRILL_EINTR, "interrupted at tick %lld",
					  (long long)env->tick);
			goto out;
		}
		active = gather(&s, &wake);
		if (!s.ncand) {
			/* Everyone waits or nothing runs: time passes to the next event. */
			int64_t next = ev < sc->ntimeline ? sc->timeline[ev].tick : INT64_MAX;
			if (active && wake < next)
				next = wake;
			if (next == INT64_MAX)
				break;
			env->tick = next;
			continue;
		}
		{
			int who = s.cand[prng_below(&s.rng, s.ncand)];
			if (who == WHO_MIGRATOR)
				migrator_step(&s);
			else
				client_step(&d->clients[who], env);
		}
		if (env->free_step) {
			env->free_step = 0;
			continue;
		}
		if (!(++env->tick & (DRILL_PROGRESS_TICKS - 1)) && o->progress)
			o->progress(o->progress_ctx, DRILL_TRAFFIC, env->tick);
	}
	d->last_tick = d->env.tick;
	ledger_shrink(&d->ledger);
	if (o->progress)
		o->progress(o->progress_ctx, DRILL_DONE, d->env.tick);
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
	rc = 0;
out:
	while (s.nqueue)
		dequeue(&s);
	free(s.queue);
	free(s.cand);
	free(s.pfds);
	free(s.pfd_client);
	return rc;
}

void drill_release(struct drill *d, int keep, struct strbuf *kept)
{
	size_t i;
	for (i = 0; i < d->nclients; i++)
		client_release(&d->clients[i], &d->env);
	free(d->clients);
	if (d->admin) {
		db_rollback(d->drv, d->admin);
		db_disconnect(d->drv, d->admin);
	}
	if (d->db)
		db_destroy(d->drv, d->db, keep, kept);
	for (i = 0; i < d->nmigs; i++) {
		free(d->migs[i].name);
		free(d->migs[i].label);
		free(d->migs[i].failed_sql);
		free(d->migs[i].failed_file);
		free(d->migs[i].error);
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
	memset(d, 0, sizeof(*d));
}
