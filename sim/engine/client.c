/*
** The virtual client's state machine.  A transaction is BEGIN, its
** statements, COMMIT, each one tick; a lock sends the client into waiting,
** retried on its later turns until 'busy' ticks pass, when it fails as a
** real busy timeout would.  A retry is skipped when no transaction has ended
** anywhere since the last try: no lock can have been released, so the call
** would only say "busy" again.  That keeps the schedule identical and the
** simulation fast.
**
** SPDX-License-Identifier: MIT
*/
#include "client.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "gen.h"
#include "../input/pgbench.h"
#include "../input/strexpr.h"
#include "../base/sqltext.h"

#define MAX_SLEEP_US 1000000000000000LL   /* a '\sleep' of more is taken as this */

void plan_build(struct plan *p, const struct scenario *sc, const struct db_driver *drv)
{
	size_t a, t, s, k;

	memset(p, 0, sizeof(*p));
	p->napps = sc->napps;
	p->tx = xcalloc(sc->napps, sizeof(*p->tx));
	p->ntx = xcalloc(sc->napps, sizeof(*p->ntx));
	for (a = 0; a < sc->napps; a++) {
		const struct appver *app = &sc->apps[a];
		p->ntx[a] = app->ntx;
		p->tx[a] = xcalloc(app->ntx, sizeof(**p->tx));
		for (t = 0; t < app->ntx; t++) {
			const struct txdef *tx = &app->tx[t];
			struct tx_plan *tp = &p->tx[a][t];
			tp->nstmts = tx->nstmts;
			tp->first = p->nstmts;
			tp->stmts = xcalloc(tx->nstmts, sizeof(*tp->stmts));
			p->nstmts += tx->nstmts;
			for (s = 0; s < tx->nstmts; s++) {
				struct strbuf sql = STRBUF_INIT;
				struct stmt_plan *sp = &tp->stmts[s];
				char **names;
				size_t n;
				sql_number_params(tx->stmts[s].sql, db_param_prefix(drv), &sql, &names, &n);
				sp->sql = strbuf_detach(&sql);
				sp->nparams = (int)n;
				sp->var = xcalloc(n, sizeof(*sp->var));
				for (k = 0; k < n; k++) {
					size_t v;
					for (v = 0; v < tx->nvars; v++)
						if (!strcmp(tx->vars[v].name, names[k]))
							break;
					sp->var[k] = (int)v; /* the parser checked it exists */
				}
				sql_names_free(names, n);
			}
		}
	}
}

void plan_bind(struct plan *p, const struct scenario *sc, struct ledger *l)
{
	size_t a, t, i, j, n;
	for (a = 0; a < p->napps; a++) {
		for (t = 0; t < p->ntx[a]; t++) {
			const struct txdef *tx = &sc->apps[a].tx[t];
			for (i = 0, n = 0; i < tx->nfacts; i++)
				n += 1 + tx->facts[i].nfields;
			p->tx[a][t].ids = xcalloc(n ? n : 1, sizeof(uint32_t));
			for (i = 0, n = 0; i < tx->nfacts; i++) {
				p->tx[a][t].ids[n++] = ledger_intern(l, tx->facts[i].table);
				for (j = 0; j < tx->facts[i].nfields; j++)
					p->tx[a][t].ids[n++] = ledger_intern(l, tx->facts[i].fields[j].field);
			}
		}
	}
}

void plan_release(struct plan *p)
{
	size_t a, t, s;
	for (a = 0; a < p->napps; a++) {
		for (t = 0; t < p->ntx[a]; t++) {
			free(p->tx[a][t].ids);
			for (s = 0; s < p->tx[a][t].nstmts; s++) {
				free(p->tx[a][t].stmts[s].sql);
				free(p->tx[a][t].stmts[s].var);
			}
			free(p->tx[a][t].stmts);
		}
		free(p->tx[a]);
	}
	free(p->tx);
	free(p->ntx);
	memset(p, 0, sizeof(*p));
}

int client_init(struct client *c, int id, int version, uint64_t seed,
		struct client_env *env, struct db *db, struct strbuf *err)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->version = version;
	c->pending = -1;
	c->blocked_since = -1;
	c->flight_since = -1;
	c->state = CS_IDLE;
	prng_seed(&c->rng, seed, 1000 + (uint64_t)id);
	c->cache = xcalloc(env->plan->nstmts ? env->plan->nstmts : 1, sizeof(*c->cache));
	if (db_connect(env->drv, db, &c->conn, err))
		return -1;
	if (env->concurrent)
		db_set_nowait(env->drv, c->conn, DB_WAIT_NONE);
	return 0;
}

void client_release(struct client *c, struct client_env *env)
{
	size_t i;
	if (c->cache)
		for (i = 0; i < env->plan->nstmts; i++)
			db_finalize(env->drv, c->cache[i]);
	free(c->cache);
	if (c->conn) {
		db_rollback(env->drv, c->conn);
		db_disconnect(env->drv, c->conn);
	}
	for (i = 0; i < c->nvals; i++)
		strbuf_release(&c->vals[i]);
	free(c->vals);
	free(c->isnull);
	free(c->nums);
	free(c->params);
	memset(c, 0, sizeof(*c));
}

int client_in_tx(const struct client *c)
{
	return c->state == CS_BEGIN || c->state == CS_STMT || c->state == CS_COMMIT;
}

void env_add_span(struct client_env *env, int who, int64_t since)
{
	struct blocked_span *s;
	ALLOC_GROW(env->spans, env->nspans + 1, env->spans_alloc);
	s = &env->spans[env->nspans++];
	s->from = since;
	s->to = env->tick;
	s->who = who;
}

/*
** On an engine with one write lock, a BEGIN while another client's BEGIN
** holds it can only come back busy: say so without asking the database.
*/
static const struct txdef *current_tx(const struct client *c, const struct client_env *env)
{
	return &env->sc->apps[c->version].tx[c->txi];
}

/*
** Does the client stand outside the write queue?  Once its own transaction
** has begun it may hold locks others wait for; a reader never needs the
** write lock at all.
*/
static int holds_tx(const struct client *c, const struct client_env *env)
{
	const struct txdef *tx = current_tx(c, env);
	return tx->readonly || c->state == CS_COMMIT || (c->state == CS_STMT && !tx->autocommit);
}

static int lock_taken(const struct client *c, const struct client_env *env)
{
	return db_can(env->drv, DB_CAP_ONE_WRITER) && c->state == CS_BEGIN &&
	       !current_tx(c, env)->readonly && env->writer >= 0 && env->writer != c->id;
}

int client_asleep(const struct client *c, const struct client_env *env)
{
	return c->state != CS_DONE && c->wake > env->tick;
}

int client_runnable(const struct client *c, const struct client_env *env, int64_t *deadline)
{
	if (c->state == CS_DONE)
		return 0;
	if (c->wake > env->tick) {
		*deadline = c->wake;
		return 0;
	}
	if (c->blocked_since < 0)
		return 1;
	*deadline = c->blocked_since + env->busy;
	if (env->tick >= *deadline)
		return 1;
	return c->blocked_epoch != env->epoch && !lock_taken(c, env) &&
	       env_may_try((struct client_env *)env, c->id, holds_tx(c, env));
}

int env_may_try(struct client_env *env, int who, int holds_tx)
{
	if (!db_can(env->drv, DB_CAP_ONE_WRITER) || holds_tx)
		return 1;
	if (env->hold_until > env->tick && env->hold_who != who)
		return 0;
	return !env->nwait || env->waitq[0] == who;
}

void env_hold(struct client_env *env, int who, int64_t until)
{
	env->hold_who = who;
	env->hold_until = until;
	if (until < 0)
		env->epoch++;
}

void env_wait(struct client_env *env, int who)
{
	size_t i;
	for (i = 0; i < env->nwait; i++)
		if (env->waitq[i] == who)
			return;
	ALLOC_GROW(env->waitq, env->nwait + 1, env->wait_alloc);
	env->waitq[env->nwait++] = who;
}

void env_unwait(struct client_env *env, int who)
{
	size_t i;
	for (i = 0; i < env->nwait; i++) {
		if (env->waitq[i] == who) {
			memmove(env->waitq + i, env->waitq + i + 1, (env->nwait - i - 1) * sizeof(int));
			env->nwait--;
			return;
		}
	}
}

static int leased(const struct client_env *env, uint32_t table, uint32_t key)
{
	size_t i;
	for (i = 0; i < env->nleases; i++)
		if (env->leases[i].table == table && env->leases[i].key == key)
			return 1;
	return 0;
}

static void lease(struct client_env *env, int client, uint32_t table, uint32_t key)
{
	ALLOC_GROW(env->leases, env->nleases + 1, env->leases_alloc);
	env->leases[env->nleases].table = table;
	env->leases[env->nleases].key = key;
	env->leases[env->nleases++].client = client;
}

static void unlease_all(struct client_env *env, int client)
{
	size_t i = 0;
	while (i < env->nleases) {
		if (env->leases[i].client == client)
			env->leases[i] = env->leases[--env->nleases];
		else
			i++;
	}
}

/* A pgbench expression into variable i: its number, and its text for the SQL. */
static int eval_expr(struct client *c, const struct txdef *tx, size_t i, struct strbuf *v,
		     struct strbuf *why)
{
	struct pgbench_env pe;
	struct strbuf e = STRBUF_INIT;

	pe.rng = &c->rng;
	pe.client_id = c->id;
	pe.vars = c->nums;
	if (pgbench_eval(tx->vars[i].gen.expr, &pe, &c->nums[i], &e)) {
		strbuf_addf(why, "\\set %s: %s", tx->vars[i].name, e.buf);
		strbuf_release(&e);
		return -1;
	}
	pgbench_value_format(&c->nums[i], v);
	return 0;
}

/*
** Evaluate the '\set' lines of transaction tx into the client's values.
** Returns -1 when existing(T) finds no free key: the client idles this turn;
** -2 when a pgbench expression fails (why says how).
*/
static int eval_vars(struct client *c, struct client_env *env, const struct txdef *tx,
		     struct strbuf *why)
{
	struct gen_ctx g = { &c->rng, env->awkward, 0 };
	size_t i;

	if (tx->nvars > c->nvals) {
		c->vals = xrealloc(c->vals, tx->nvars * sizeof(*c->vals));
		c->isnull = xrealloc(c->isnull, tx->nvars);
		c->nums = xrealloc(c->nums, tx->nvars * sizeof(*c->nums));
		for (i = c->nvals; i < tx->nvars; i++)
			strbuf_init(&c->vals[i]);
		c->nvals = tx->nvars;
	}
	g.seq = ++c->seq;
	for (i = 0; i < tx->nvars; i++) {
		const struct gen *gen = &tx->vars[i].gen;
		struct strbuf *v = &c->vals[i];
		strbuf_reset(v);
		c->isnull[i] = 0;
		if (gen->kind == GEN_NEXTID) {
			uint32_t table = ledger_intern(env->ledger, gen->table);
			strbuf_addf(v, "%lld", (long long)ledger_next_id(env->ledger, table));
			lease(env, c->id, table, ledger_intern_n(env->ledger, v->buf, v->len));
		} else if (gen->kind == GEN_EXISTING) {
			uint32_t table = ledger_intern(env->ledger, gen->table);
			struct ledger_keyset *ks = ledger_keyset(env->ledger, table);
			size_t tries, at;
			if (!ks->n)
				goto none;
			at = (size_t)prng_below(&c->rng, ks->n);
			for (tries = 0; tries < ks->n && leased(env, table, ks->keys[at]); tries++)
				at = (at + 1) % ks->n;
			if (tries == ks->n)
				goto none;
			strbuf_addstr(v, ledger_str(env->ledger, ks->keys[at]));
			lease(env, c->id, table, ks->keys[at]);
		} else if (gen->kind == GEN_EXPR) {
			if (eval_expr(c, tx, i, v, why))
				goto broken;
		} else if (gen->kind == GEN_RETURNED) {
			c->isnull[i] = 1;   /* until its statement returns it */
		} else if (gen->kind == GEN_STR) {
			c->isnull[i] = (char)strexpr_eval(gen->sexpr, c->vals, c->isnull, v);
		} else {
			c->isnull[i] = (char)gen_value(gen, &g, v);
		}
	}
	return 0;
none:
	unlease_all(env, c->id);
	return -1;
broken:
	/* What it could not evaluate is NULL: a fact keyed on it names no row. */
	for (; i < tx->nvars; i++) {
		strbuf_reset(&c->vals[i]);
		c->isnull[i] = 1;
	}
	return -2;
}

/*
** Ticks of the '\sleep' lines at point at of transaction tx: one per
** millisecond of pgbench's time, and at least one for any sleep at all.
*/
static int64_t sleep_ticks(const struct client *c, const struct txdef *tx, int at)
{
	int64_t us = 0;
	size_t i;

	for (i = 0; i < tx->nsleeps; i++) {
		const struct tx_sleep *s = &tx->sleeps[i];
		int64_t n = s->var >= 0 ? c->nums[s->var].i : s->n;
		if (s->at != at || n <= 0)
			continue;
		us += n > MAX_SLEEP_US / s->unit_us ? MAX_SLEEP_US : n * s->unit_us;
		if (us > MAX_SLEEP_US)
			us = MAX_SLEEP_US;
	}
	return (us + 999) / 1000;
}

/*
** After a step at this tick, sleep through the '\sleep' lines at point at:
** the client keeps its transaction and its locks, and takes no turn until
** they have passed.
*/
static void sleep_at(struct client *c, struct client_env *env, int at)
{
	const struct txdef *tx = current_tx(c, env);
	int64_t n;

	if (!tx->nsleeps || c->state == CS_DONE)
		return;
	/* After the work of the statement that just ran, if it worked for longer. */
	if ((n = sleep_ticks(c, tx, at)) > 0)
		c->wake = (c->wake > env->tick ? c->wake : env->tick + 1) + n;
}

/* The value id of a fact field: a variable, a literal, or NULL. */
static uint32_t fact_value(struct client *c, struct ledger *l, const struct txdef *tx,
			   const char *var, const char *literal)
{
	size_t i;
	if (literal)
		return ledger_intern(l, literal);
	if (!var)
		return LEDGER_NONE;
	for (i = 0; i < tx->nvars; i++)
		if (!strcmp(tx->vars[i].name, var))
			return c->isnull[i] ? LEDGER_NONE : ledger_intern_n(l, c->vals[i].buf, c->vals[i].len);
	return LEDGER_NONE;
}

/* Close the transaction in flight: record it and its facts in the ledger. */
static void finish_tx(struct client *c, struct client_env *env, int outcome, int cls, uint32_t msg)
{
	const struct txdef *tx = &env->sc->apps[c->version].tx[c->txi];
	const uint32_t *ids = env->plan->tx[c->version][c->txi].ids;
	struct ledger *l = env->ledger;
	struct ledger_tx rec;
	size_t i, j;

	for (i = 0; i < tx->nfacts; i++) {
		const struct fact_tmpl *f = &tx->facts[i];
		uint32_t table = *ids++;
		uint32_t key = fact_value(c, l, tx, f->key_var, f->key_literal);
		if (key == LEDGER_NONE) {
			ids += f->nfields;
			continue; /* a NULL key names no row */
		}
		if (f->op == FACT_OP_DELETE) {
			ledger_fact_add(l, table, key, LEDGER_ROW, LEDGER_DELETED);
			continue;
		}
		if (!f->nfields)
			ledger_fact_add(l, table, key, LEDGER_ROW, LEDGER_PRESENT);
		for (j = 0; j < f->nfields; j++)
			ledger_fact_add(l, table, key, *ids++,
					fact_value(c, l, tx, f->fields[j].var, f->fields[j].literal));
	}
	memset(&rec, 0, sizeof(rec));
	rec.invoke = c->invoke;
	rec.complete = env->tick;
	rec.msg = msg;
	rec.client = (uint16_t)c->id;
	rec.version = (uint16_t)c->version;
	rec.txdef = (uint16_t)c->txi;
	rec.outcome = (uint8_t)outcome;
	rec.errclass = (uint8_t)cls;
	ledger_tx_add(l, &rec);
	unlease_all(env, c->id);
	env_unwait(env, c->id);
	if (env->writer == c->id)
		env->writer = -1;
	c->state = c->stopping ? CS_DONE : CS_IDLE;
	c->wake = 0;
	c->blocked_since = -1;
	c->in_flight = 0;
	c->flight_since = -1;
	env->epoch++;
}

static void fail_tx(struct client *c, struct client_env *env, int cls, const char *msg)
{
	/* Intern first: the rollback may overwrite the driver's message. */
	uint32_t id = ledger_intern(env->ledger, msg);
	db_rollback(env->drv, c->conn);
	finish_tx(c, env, TX_FAILED, cls, id);
}

/*
** What became of the transaction whose connection just died: ask the
** server (PostgreSQL keeps the status of a transaction id).  One whose
** COMMIT was never sent cannot have committed, and one whose COMMIT was
** under way without an answer is indeterminate: the oracle then accepts
** either outcome.  msg says what happened; the verdict is appended.
*/
static void resolve_lost(struct client *c, struct client_env *env, int committing,
			 int asked, struct strbuf *msg)
{
	int outcome = committing ? TX_INDETERMINATE : TX_FAILED;
	const char *how = committing ? "its outcome is unknown" : "it never committed";

	switch (asked ? db_last_tx_outcome(env->drv, c->conn) : DB_OUTCOME_UNKNOWN) {
	case DB_OUTCOME_COMMITTED:
		outcome = TX_OK;
		how = "the server says it committed";
		break;
	case DB_OUTCOME_ABORTED:
		outcome = TX_FAILED;
		how = "the server says it aborted";
		break;
	}
	strbuf_addf(msg, "; %s", how);
	finish_tx(c, env, outcome, DBE_CONNECTION, ledger_intern(env->ledger, msg->buf));
}

/* The connection dropped in the middle of a transaction: reconnect, then ask. */
static void lost_connection(struct client *c, struct client_env *env)
{
	struct strbuf err = STRBUF_INIT, msg = STRBUF_INIT;
	int committing = c->state == CS_COMMIT ||
			 (c->state == CS_STMT && current_tx(c, env)->autocommit);

	strbuf_addf(&msg, "connection lost (%s)", db_errmsg(env->drv, c->conn));
	db_rollback(env->drv, c->conn);
	resolve_lost(c, env, committing, !db_reconnect(env->drv, c->conn, &err), &msg);
	strbuf_release(&err);
	strbuf_release(&msg);
}

int client_kill(struct client *c, struct client_env *env, int how)
{
	struct strbuf err = STRBUF_INIT, msg = STRBUF_INIT;
	int committing = how != CLIENT_KILL_MID && c->state == CS_COMMIT;
	int rc;

	if ((c->state != CS_STMT && c->state != CS_COMMIT) || c->in_flight)
		return -1;
	env_unwait(env, c->id);
	if (c->blocked_since >= 0)
		env_add_span(env, c->id, c->blocked_since);
	strbuf_addstr(&msg, committing ? "connection killed (fault) as its COMMIT went out"
				       : "connection killed (fault) mid-transaction");
	rc = db_kill(env->drv, c->conn, committing && how == CLIENT_KILL_COMMIT_LANDS, &err);
	if (rc)
		strbuf_addf(&msg, " (%s)", err.buf);
	resolve_lost(c, env, committing, !rc, &msg);
	strbuf_release(&err);
	strbuf_release(&msg);
	return 0;
}

static int tx_enabled(const struct txdef *tx, const struct client_env *env)
{
	if (tx->flag < 0)
		return 1;
	return env->flags_on[tx->flag] != tx->flag_negated;
}

/* Choose the next transaction by weight and evaluate its variables. */
static int start_tx(struct client *c, struct client_env *env)
{
	const struct appver *app;
	struct strbuf why = STRBUF_INIT;
	uint64_t r, total;
	int64_t n;
	size_t i;
	int rc;

	if (c->pending >= 0) {
		c->version = c->pending;
		c->pending = -1;
	}
	app = &env->sc->apps[c->version];
	/* Feature flags take transactions out of the choice; the weights of the rest hold. */
	for (i = 0, total = 0; i < app->ntx; i++)
		total += tx_enabled(&app->tx[i], env) ? app->tx[i].weight : 0;
	if (!total)
		return -1; /* every path of this version is switched off: idle */
	r = prng_below(&c->rng, total);
	for (i = 0; i < app->ntx; i++) {
		unsigned w = tx_enabled(&app->tx[i], env) ? app->tx[i].weight : 0;
		if (r < w)
			break;
		r -= w;
	}
	c->txi = (int)i;
	rc = eval_vars(c, env, &app->tx[i], &why);
	if (rc == -1)
		return -1;
	c->invoke = env->tick;
	c->stmt = 0;
	c->state = app->tx[i].autocommit ? CS_STMT : CS_BEGIN;
	if (rc == -2) {
		/* pgbench would abort the client; here the transaction fails, visibly. */
		fail_tx(c, env, DBE_OTHER, why.buf);
		strbuf_release(&why);
		return -1;
	}
	if (app->tx[i].nsleeps && (n = sleep_ticks(c, &app->tx[i], TX_SLEEP_BEFORE_BEGIN)) > 0) {
		/* Choosing is no statement: the ticks from now on are the sleep's. */
		c->state = CS_SLEEP;
		c->wake = env->tick + n;
		env->free_step = 1;
		return -1;
	}
	return 0;
}

/* A statement's first returned row into its '-- @returning' variables, in order. */
struct returned {
	struct client *c;
	const struct tx_stmt *ts;
	int seen;
};

static int take_returned(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct returned *r = ctx;
	size_t j;
	(void)names;
	if (r->seen++)
		return 0;
	for (j = 0; j < r->ts->nreturns && (int)j < ncol; j++) {
		int v = r->ts->returns[j];
		strbuf_reset(&r->c->vals[v]);
		r->c->isnull[v] = !vals[j];
		if (vals[j])
			strbuf_addstr(&r->c->vals[v], vals[j]);
	}
	return 0;
}

/* Run the statement the client is at; returns a db_status. */
static int run_current(struct client *c, struct client_env *env)
{
	const struct tx_plan *tp = &env->plan->tx[c->version][c->txi];
	const struct stmt_plan *sp;
	struct db_stmt **slot;
	int i, rc;

	switch (c->state) {
	case CS_BEGIN:
		if (current_tx(c, env)->readonly)
			return db_begin_ro(env->drv, c->conn);
		return db_begin(env->drv, c->conn);
	case CS_COMMIT:
		return db_commit(env->drv, c->conn);
	}
	sp = &tp->stmts[c->stmt];
	slot = &c->cache[tp->first + c->stmt];
	if (!*slot) {
		rc = db_prepare(env->drv, c->conn, sp->sql, slot);
		if (rc != DB_DONE)
			return rc;
	}
	if ((size_t)sp->nparams > c->params_alloc) {
		c->params = xrealloc(c->params, (size_t)sp->nparams * sizeof(*c->params));
		c->params_alloc = (size_t)sp->nparams;
	}
	for (i = 0; i < sp->nparams; i++)
		c->params[i] = c->isnull[sp->var[i]] ? NULL : c->vals[sp->var[i]].buf;
	{
		const struct tx_stmt *ts = &current_tx(c, env)->stmts[c->stmt];
		struct returned r = { c, ts, 0 };
		if (ts->nreturns)
			return db_run(env->drv, *slot, sp->nparams, c->params, take_returned, &r);
	}
	return db_run(env->drv, *slot, sp->nparams, c->params, NULL, NULL);
}

/*
** '-- @rows': did the statement just run change other rows than it must?
** Then the application raises "record not found" (or a stale-object error)
** and rolls back: the transaction fails, its writes unacknowledged.
*/
static int row_count_wrong(struct client *c, struct client_env *env)
{
	const struct tx_stmt *ts = &current_tx(c, env)->stmts[c->stmt];
	int64_t n;
	char msg[128];

	if (ts->rows_rule == ROWS_ANY)
		return 0;
	n = db_changes(env->drv, c->conn);
	if (ts->rows_rule == ROWS_EXACTLY ? n == ts->rows : n >= ts->rows)
		return 0;
	snprintf(msg, sizeof(msg), "changed %lld row%s where %s%lld %s expected (record not found)",
		 (long long)n, n == 1 ? "" : "s", ts->rows_rule == ROWS_AT_LEAST ? "at least " : "",
		 (long long)ts->rows, ts->rows == 1 && ts->rows_rule == ROWS_EXACTLY ? "was" : "were");
	fail_tx(c, env, DBE_ROW_COUNT, msg);
	return 1;
}

/*
** One statement's worth of work.  Returns 1 when a statement completed, so
** that in concurrent mode the client sends its next one in the same turn.
*/
static int step_once(struct client *c, struct client_env *env)
{
	int rc;

	if (c->state == CS_DONE || c->wake > env->tick)
		return 0;
	if (c->state == CS_SLEEP) {
		/* Its sleep before BEGIN is over: the transaction starts, unless the drill ended. */
		if (c->stopping) {
			unlease_all(env, c->id);
			c->state = CS_DONE;
			env->free_step = 1;
			return 0;
		}
		c->invoke = env->tick;
		c->state = current_tx(c, env)->autocommit ? CS_STMT : CS_BEGIN;
	}
	if (c->state == CS_IDLE) {
		if (c->stopping) {
			c->state = CS_DONE;
			return 0;
		}
		if (start_tx(c, env))
			return 0;
	}
	if (c->in_flight && c->blocked_since >= 0 && env->tick - c->blocked_since >= env->busy) {
		char msg[96];
		env_add_span(env, c->id, c->blocked_since);
		snprintf(msg, sizeof(msg), "blocked for %ld ticks: busy timeout", env->busy);
		c->in_flight = 0;
		fail_tx(c, env, DBE_BUSY, msg); /* the rollback cancels the statement */
		return 0;
	}
	/* Nothing was released since the last try: it would be busy again. */
	if (c->blocked_since >= 0 && c->blocked_epoch == env->epoch && !env->poll_all &&
	    !env->concurrent)
		rc = DB_BLOCKED;
	else if (lock_taken(c, env) || !env_may_try(env, c->id, holds_tx(c, env))) {
		/*
		** It only takes its place in the queue: as a blocked process uses
		** no time of its own, this costs no tick (else a queue, once formed,
		** would eat every other tick for the rest of the drill).
		*/
		rc = DB_BLOCKED;
		env->free_step = c->blocked_since < 0;
		c->blocked_by_db = 0;
	}
	else if ((rc = run_current(c, env)) != DB_BLOCKED && rc != DB_PENDING)
		env->statements++;
	else if (rc == DB_BLOCKED)
		c->blocked_by_db = 1;

	if (rc == DB_PENDING) {
		if (!c->in_flight) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			c->flight_since = env->tick;
			c->flight_wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		}
		c->in_flight = 1;
		return 0;
	}
	c->in_flight = 0;
	if (rc == DB_BLOCKED) {
		env_wait(env, c->id);
		if (c->blocked_since < 0)
			c->blocked_since = env->tick;
		c->blocked_epoch = env->epoch;
		if (env->tick - c->blocked_since >= env->busy) {
			char msg[96];
			env_add_span(env, c->id, c->blocked_since);
			snprintf(msg, sizeof(msg), "blocked for %ld ticks: busy timeout", env->busy);
			fail_tx(c, env, DBE_BUSY, msg);
		}
		return 0;
	}
	env_unwait(env, c->id);
	if (c->blocked_since >= 0) {
		env_add_span(env, c->id, c->blocked_since);
		c->blocked_since = -1;
	}
	if (rc == DB_ERROR) {
		if (db_errclass(env->drv, c->conn) == DBE_CONNECTION)
			lost_connection(c, env);
		else
			fail_tx(c, env, db_errclass(env->drv, c->conn), db_errmsg(env->drv, c->conn));
		return 1;
	}
	if (c->state == CS_STMT && row_count_wrong(c, env))
		return 1;
	if (c->state == CS_STMT) {
		/* A statement that worked for longer: the client sits on what it holds meanwhile. */
		int wrote;
		int64_t work = db_work(env->drv, c->conn, &wrote);
		if (work > 1) {
			c->wake = env->tick + work;
			if (wrote && current_tx(c, env)->autocommit)
				env_hold(env, c->id, env->tick + work);
		}
	}
	switch (c->state) {
	case CS_BEGIN:
		if (db_can(env->drv, DB_CAP_ONE_WRITER) && !current_tx(c, env)->readonly)
			env->writer = c->id;
		c->state = env->plan->tx[c->version][c->txi].nstmts ? CS_STMT : CS_COMMIT;
		sleep_at(c, env, 0);
		break;
	case CS_STMT:
		if (++c->stmt < env->plan->tx[c->version][c->txi].nstmts) {
			sleep_at(c, env, (int)c->stmt);
			break;
		}
		if (current_tx(c, env)->autocommit) {
			finish_tx(c, env, TX_OK, DBE_NONE, LEDGER_NONE);
			sleep_at(c, env, TX_SLEEP_AFTER_COMMIT);
		} else {
			c->state = CS_COMMIT;
			sleep_at(c, env, (int)c->stmt);
		}
		break;
	case CS_COMMIT:
		finish_tx(c, env, TX_OK, DBE_NONE, LEDGER_NONE);
		sleep_at(c, env, TX_SLEEP_AFTER_COMMIT);
		break;
	}
	return 1;
}

void client_step(struct client *c, struct client_env *env)
{
	/* In concurrent mode a turn collects an answer and sends what comes next. */
	if (step_once(c, env) && env->concurrent && c->state != CS_DONE) {
		step_once(c, env);
		env->free_step = 0;   /* the answer it collected spent the turn's tick */
	}
}
