/*
** The live session: the engine driven tick by tick, the team's actions,
** the schema watch, the dashboard's samples, the end and the figures.
**
** SPDX-License-Identifier: MIT
*/
#include "live.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/input/layout.h"
#include "record.h"
#include "probe.h"

static const char *const kind_names[] = {
	[LIVE_APPLY] = "apply",
	[LIVE_DOWN] = "down",
	[LIVE_FLAG] = "flag",
	[LIVE_OUTSIDE] = "outside",
	[LIVE_END] = "end",
};

_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == LIVE_END + 1, "a live action without its name");

const char *live_kind_name(enum live_kind kind)
{
	return (unsigned)kind <= LIVE_END ? kind_names[kind] : "?";
}

int live_start(struct live *l, const struct scenario *sc, const struct db_driver *drv,
	       const char *target, uint64_t seed, int64_t cooldown, double ticks_per_second,
	       const struct db_options *dbo, struct strbuf *err)
{
	size_t v;
	int rc;

	memset(l, 0, sizeof(*l));
	pipeline_result_init(&l->res);
	l->sc = sc;
	l->drv = drv;
	l->cooldown = cooldown;
	l->ticks_per_second = ticks_per_second;
	l->opts.drv = drv;
	l->opts.target = db_takes(drv, target) ? target : NULL;
	l->opts.seed = seed;
	l->opts.live = 1;
	l->opts.adopt = probe_adopt;
	l->opts.statement_timeout_ms = DB_STATEMENT_TIMEOUT_DEFAULT;
	if (dbo) {
		l->opts.stop = dbo->stop;
		l->opts.allow_superuser = dbo->allow_superuser;
		l->opts.statement_timeout_ms = dbo->statement_timeout_ms;
	}
	l->res.held = 1;
	l->sample.incident_tick = -1;
	l->sample.recovered_tick = -1;
	for (v = 0; v < LIVE_VERSIONS; v++)
		l->sample.before[v] = -1;
	l->sample.risk_to = -1;
	loss_init(&l->loss);
	l->loss_owed = -1;
	rc = drill_start(&l->res.drill, sc, &l->opts, err);
	/* Each migration's end is a moment to check what it lost. */
	l->res.drill.pause_after_migration = 1;
	return rc;
}

/* How reports name migration i's cause of losses. */
static void migration_label(const struct live *l, int i, struct strbuf *out)
{
	const struct drill *d = &l->res.drill;
	size_t k;
	if (i == d->bad) {
		strbuf_addstr(out, "the bad migration");
		return;
	}
	for (k = 0; k < l->nactions; k++)
		if (l->actions[k].mig == i) {
			if (l->actions[k].kind == LIVE_DOWN)
				strbuf_addstr(out, "the down migration");
			else
				strbuf_addf(out, "apply %s", l->actions[k].what);
			return;
		}
	strbuf_addf(out, "migration %s", d->migs[i].name);
}

/*
** A check that commits (loss_check): only at a moment of the drill a
** replay meets at the same tick, and only when the database is as a
** migration left it and no client's statement is out on the server, whose
** effect the reader could see before the ledger does.  cause -1 lays what
** is newly lost at the writes, unless a migration's check is owed.
*/
static void check_losses(struct live *l, long cause)
{
	struct drill *d = &l->res.drill;
	struct strbuf err = STRBUF_INIT;

	if (cause < 0)
		cause = l->loss_owed;
	if (!drill_migration_at_work(d) && !drill_statements_out(d) &&
	    !loss_check(&l->loss, d, cause, 1, &err) && cause == l->loss_owed)
		l->loss_owed = -1;
	strbuf_release(&err);
}

/* Migrations that ended since the last call: each a cause, its check owed and taken. */
static void take_ended(struct live *l)
{
	struct drill *d = &l->res.drill;
	struct strbuf label = STRBUF_INIT;
	size_t k;

	d->migration_ended = 0;
	while (l->migs_seen < d->nmigs && (d->migs[l->migs_seen].completed || d->migs[l->migs_seen].error)) {
		int i = (int)l->migs_seen++;
		long action = -1;
		strbuf_reset(&label);
		migration_label(l, i, &label);
		for (k = 0; k < l->nactions; k++)
			if (l->actions[k].mig == i)
				action = (long)k;
		l->loss_owed = (long)loss_event(&l->loss, LOSS_MIGRATION, action, i, d->migs[i].start, label.buf);
		if (action >= 0)
			l->actions[action].cause = l->loss_owed;
		check_losses(l, l->loss_owed);
	}
	strbuf_release(&label);
}

/* The tick of the timeline's next migration not yet checked before, or -1. */
static int64_t next_migration_event(struct live *l)
{
	const struct scenario *sc = l->sc;
	while (l->events_checked < sc->ntimeline && sc->timeline[l->events_checked].action != TL_MIGRATE)
		l->events_checked++;
	return l->events_checked < sc->ntimeline ? sc->timeline[l->events_checked].tick : -1;
}

int live_advance(struct live *l, int64_t until, struct strbuf *err)
{
	struct drill *d = &l->res.drill;
	int rc = 0;

	while (live_tick(l) < until) {
		int64_t to = until, ev = next_migration_event(l);
		/* Before one of the timeline's migrations (the bad one): what the writes lost so far. */
		if (ev >= 0 && ev <= live_tick(l)) {
			check_losses(l, -1);
			l->events_checked++;
			continue;
		}
		if (ev >= 0 && ev < to)
			to = ev;
		rc = drill_advance(d, to, err);
		if (d->migration_ended)
			take_ended(l);
		if (rc)
			break;
	}
	/* A check a migration owes, put off while a client's statement was out. */
	if (!rc && l->loss_owed >= 0)
		check_losses(l, l->loss_owed);
	return rc == DRILL_DRAINED ? 0 : rc;
}

int64_t live_tick(const struct live *l)
{
	return l->res.drill.env.tick;
}

static struct live_action *add_action(struct live *l, enum live_kind kind, const char *what, double wall)
{
	struct live_action *a;
	ALLOC_GROW(l->actions, l->nactions + 1, l->actions_alloc);
	a = &l->actions[l->nactions++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->tick = live_tick(l);
	a->wall = wall;
	a->what = xstrdup(what);
	a->mig = -1;
	a->cause = -1;
	return a;
}

static void copy_script(struct sql_script *dst, const struct sql_script *src)
{
	size_t i;
	for (i = 0; i < src->nr; i++) {
		ALLOC_GROW(dst->v, dst->nr + 1, dst->alloc);
		dst->v[dst->nr] = src->v[i];
		dst->v[dst->nr].sql = xstrdup(src->v[i].sql);
		dst->v[dst->nr++].file = src->v[i].file ? xstrdup(src->v[i].file) : NULL;
	}
}

size_t live_apply(struct live *l, const char *what, const char *text, const struct sql_script *script, int tx,
		  double wall)
{
	struct live_action *a;

	/* What the writes lost until now is theirs, not this fix's. */
	check_losses(l, -1);
	a = add_action(l, LIVE_APPLY, what, wall);
	a->text = xstrdup(text ? text : "");
	copy_script(&a->script, script);
	/*
	** As a team's tool runs a file in one transaction: both engines roll
	** DDL back, so a statement that fails leaves the schema as it was, and
	** the team's next fix does not meet half of this one.
	*/
	a->one_tx = tx == LIVE_TX_AUTO ? layout_wrappable(script, 0) : tx == LIVE_TX_ONE;
	a->mig = drill_apply(&l->res.drill, "fix", what, script, a->one_tx);
	return l->nactions - 1;
}

void live_what_stays(const struct live *l, size_t i, struct strbuf *out)
{
	const struct live_action *a = &l->actions[i];
	const struct mig_report *r;
	struct strbuf kept = STRBUF_INIT;
	size_t k, nkept = 0, pending = 0, failed;
	int in_tx = 0;

	if (live_outcome(l, i, &r) != LIVE_FAILED || !r) {
		strbuf_addstr(out, "all of it");
		return;
	}
	if (a->one_tx) {
		strbuf_addstr(out, "nothing: it ran in one transaction, rolled back when it failed");
		return;
	}
	/* Statements before the failing one: those outside a transaction, or in one that committed. */
	failed = r->failed ? (size_t)r->failed - 1 : a->script.nr;
	for (k = 0; k < failed && k < a->script.nr; k++) {
		switch (sql_tx_control(a->script.v[k].sql)) {
		case SQL_TX_BEGIN:
			in_tx = 1;
			pending = 0;
			break;
		case SQL_TX_COMMIT:
			nkept += pending;
			pending = 0;
			in_tx = 0;
			break;
		case SQL_TX_ROLLBACK:
			/* Drop what the transaction added to the list. */
			while (pending) {
				char *comma = strrchr(kept.buf, ',');
				strbuf_setlen(&kept, comma ? (size_t)(comma - kept.buf) : 0);
				pending--;
			}
			in_tx = 0;
			break;
		default:
			strbuf_addf(&kept, "%s%zu", kept.len ? "," : "", k + 1);
			if (in_tx)
				pending++;
			else
				nkept++;
		}
	}
	/* The transaction open when it failed was rolled back with it. */
	while (pending) {
		char *comma = strrchr(kept.buf, ',');
		strbuf_setlen(&kept, comma ? (size_t)(comma - kept.buf) : 0);
		pending--;
	}
	if (!nkept)
		strbuf_addstr(out, "nothing: no statement before the failing one committed");
	else
		strbuf_addf(out, "statement%s %s (committed before statement %d failed; it ran as written, "
			    "not in one transaction)", nkept == 1 ? "" : "s", kept.buf, r->failed);
	strbuf_release(&kept);
}

long live_down(struct live *l, double wall, struct strbuf *err)
{
	struct sql_script script = { 0 };
	struct live_action *a;

	if (pipeline_load_fix(l->sc, l->drv, NULL, 1, &script, err))
		return -1;
	check_losses(l, -1);
	a = add_action(l, LIVE_DOWN, "down migration", wall);
	a->script = script;
	a->mig = drill_apply(&l->res.drill, "down", "down migration", &script, 0);
	return (long)(l->nactions - 1);
}

int live_flag(struct live *l, const char *name, int on, double wall, struct strbuf *err)
{
	struct strbuf label = STRBUF_INIT;
	struct live_action *a;
	int f = scenario_flag(l->sc, name);

	if (f < 0)
		return strbuf_error(err, -1, "no feature flag '%s' in this scenario", name);
	check_losses(l, -1);
	drill_flip(&l->res.drill, f, on);
	a = add_action(l, LIVE_FLAG, name, wall);
	a->on = on;
	/* What the code the flag chose writes and loses from now on is laid at the flip. */
	strbuf_addf(&label, "flag %s %s", name, on ? "on" : "off");
	a->cause = (long)loss_event(&l->loss, LOSS_FLAG, (long)(l->nactions - 1), -1, a->tick, label.buf);
	strbuf_release(&label);
	return 0;
}

enum live_outcome live_outcome(const struct live *l, size_t i, const struct mig_report **mig)
{
	const struct live_action *a = &l->actions[i];
	const struct mig_report *r;

	*mig = NULL;
	if (a->mig < 0)
		return LIVE_APPLIED;
	r = &l->res.drill.migs[a->mig];
	*mig = r;
	if (r->completed)
		return LIVE_APPLIED;
	return r->error ? LIVE_FAILED : LIVE_RUNNING;
}

/* Did a migration of mdrill's run at or after tick since, or does one run now? */
static int migrated_since(const struct drill *d, int64_t since)
{
	size_t i;
	if (drill_migrating(d))
		return 1;
	for (i = 0; i < d->nmigs; i++)
		if (d->migs[i].start >= since || d->migs[i].end >= since)
			return 1;
	return 0;
}

int live_watch_schema(struct live *l, double wall)
{
	struct drill *d = &l->res.drill;
	struct strbuf now = STRBUF_INIT, err = STRBUF_INIT;
	int changed = 0, ours = migrated_since(d, l->schema_tick);

	/* While a migration runs the schema is its own: look again when it is done. */
	if (drill_migrating(d) || db_schema(d->drv, d->admin, &now, &err)) {
		strbuf_release(&now);
		strbuf_release(&err);
		return 0;
	}
	if (l->schema && strcmp(l->schema, now.buf) && !ours) {
		struct live_action *a;
		a = add_action(l, LIVE_OUTSIDE, "a schema change mdrill did not make", wall);
		a->cause = (long)loss_event(&l->loss, LOSS_OUTSIDE, (long)(l->nactions - 1), -1, a->tick,
					    "an outside change");
		/* Seen a second late at most: what was lost since the last check, it lost. */
		check_losses(l, a->cause);
		changed = 1;
	}
	free(l->schema);
	l->schema = strbuf_detach(&now);
	l->schema_tick = live_tick(l);
	strbuf_release(&err);
	return changed;
}

/* The error line of transaction t, as the application would log it. */
static void error_line(const struct drill *d, const struct ledger_tx *t, struct strbuf *out)
{
	const struct scenario *sc = d->sc;
	strbuf_addf(out, "%s %s: %s (%s)", sc->apps[t->version].name, sc->apps[t->version].tx[t->txdef].name,
		    ledger_str(&d->ledger, t->msg) ? ledger_str(&d->ledger, t->msg) : "",
		    db_errclass_name(t->errclass));
}

/* The second of the drill tick falls in. */
static size_t second_of(const struct live *l, int64_t tick)
{
	double tps = l->ticks_per_second > 0 ? l->ticks_per_second : 100;
	return tick > 0 ? (size_t)((double)tick / tps) : 0;
}

/* Room for the seconds up to and including sec in the rates. */
static void grow_seconds(struct live_sample *s, size_t sec)
{
	size_t v, old = s->seconds_alloc;
	if (sec < s->seconds_alloc) {
		if (sec + 1 > s->nseconds)
			s->nseconds = sec + 1;
		return;
	}
	s->seconds_alloc = (sec + 1) * 2;
	for (v = 0; v < LIVE_VERSIONS; v++) {
		s->ok[v] = xrealloc(s->ok[v], s->seconds_alloc * sizeof(*s->ok[v]));
		s->failed[v] = xrealloc(s->failed[v], s->seconds_alloc * sizeof(*s->failed[v]));
		memset(s->ok[v] + old, 0, (s->seconds_alloc - old) * sizeof(*s->ok[v]));
		memset(s->failed[v] + old, 0, (s->seconds_alloc - old) * sizeof(*s->failed[v]));
	}
	s->nseconds = sec + 1;
}

static int cmp_error(const void *a, const void *b)
{
	const struct live_error *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->last_tick != y->last_tick)
		return x->last_tick > y->last_tick ? -1 : 1;
	return strcmp(x->line, y->line);
}

/* The errors of the last LIVE_ERROR_WINDOW seconds, from the ledger's end backwards. */
static void error_window(struct live *l)
{
	struct drill *d = &l->res.drill;
	struct live_sample *s = &l->sample;
	const struct ledger *lg = &d->ledger;
	struct strbuf line = STRBUF_INIT;
	int64_t from = s->tick - (int64_t)(LIVE_ERROR_WINDOW * l->ticks_per_second);
	size_t i, k;

	for (k = 0; k < s->nerrors; k++)
		free(s->errors[k].line);
	s->nerrors = 0;
	for (i = lg->ntx; i-- > 1;) {
		const struct ledger_tx *t = &lg->tx[i];
		if (t->complete < from)
			break;
		if (t->outcome == TX_OK)
			continue;
		strbuf_reset(&line);
		error_line(d, t, &line);
		for (k = 0; k < s->nerrors && strcmp(s->errors[k].line, line.buf); k++)
			;
		if (k == s->nerrors) {
			ALLOC_GROW(s->errors, s->nerrors + 1, s->errors_alloc);
			s->errors[k].line = xstrdup(line.buf);
			s->errors[k].count = 0;
			s->errors[k].last_tick = t->complete;
			s->nerrors++;
		}
		s->errors[k].count++;
		if (t->complete > s->errors[k].last_tick)
			s->errors[k].last_tick = t->complete;
	}
	if (s->nerrors > 1)
		qsort(s->errors, s->nerrors, sizeof(*s->errors), cmp_error);
	strbuf_release(&line);
}

static int64_t recovery_tick(const struct drill *d, int64_t incident, double base, int64_t end,
			     double ticks_per_second);

/* The failed share before the incident, connections lost aside. */
static double base_rate(const struct drill *d, int64_t incident)
{
	const struct ledger *lg = &d->ledger;
	uint64_t ok0 = 0, bad0 = 0;
	size_t i;
	for (i = 1; i < lg->ntx && incident >= 0; i++) {
		const struct ledger_tx *t = &lg->tx[i];
		if (t->invoke < incident && t->errclass != DBE_CONNECTION) {
			ok0 += t->outcome == TX_OK;
			bad0 += t->outcome != TX_OK;
		}
	}
	return ok0 + bad0 ? (double)bad0 / (double)(ok0 + bad0) : 0;
}

/* The end of the first fix that applied, or -1. */
static int64_t first_fix_end(const struct live *l)
{
	size_t i;
	for (i = 0; i < l->nactions; i++) {
		const struct mig_report *r;
		if (l->actions[i].kind == LIVE_APPLY && live_outcome(l, i, &r) == LIVE_APPLIED && r)
			return r->end;
	}
	return -1;
}

/*
** What each app version committed per second in the minute before the
** incident (less when the drill had run less), counted in ticks: the
** reference the dashboard draws the rates against.
*/
static void rates_before(struct live *l)
{
	const struct ledger *lg = &l->res.drill.ledger;
	struct live_sample *s = &l->sample;
	int64_t to = s->incident_tick, from = to - (int64_t)(60 * l->ticks_per_second);
	uint64_t ok[LIVE_VERSIONS] = { 0 };
	size_t i, v;

	if (from < 0)
		from = 0;
	for (i = 1; i < lg->ntx; i++) {
		const struct ledger_tx *t = &lg->tx[i];
		if (t->outcome == TX_OK && t->complete >= from && t->complete < to)
			ok[t->version < LIVE_VERSIONS ? t->version : LIVE_VERSIONS - 1]++;
	}
	for (v = 0; v < LIVE_VERSIONS; v++)
		s->before[v] = to > from ? (double)ok[v] * l->ticks_per_second / (double)(to - from) : 0;
}

void live_sample(struct live *l)
{
	struct drill *d = &l->res.drill;
	struct live_sample *s = &l->sample;
	const struct ledger *lg = &d->ledger;
	int64_t rec;
	size_t i, v;

	s->tick = live_tick(l);
	s->nversions = d->sc->napps < LIVE_VERSIONS ? d->sc->napps : LIVE_VERSIONS;
	s->incident_tick = d->bad >= 0 ? d->migs[d->bad].start : -1;
	s->risk_to = first_fix_end(l);
	grow_seconds(s, second_of(l, s->tick));
	for (i = l->seen_tx ? l->seen_tx : 1; i < lg->ntx; i++) {
		const struct ledger_tx *t = &lg->tx[i];
		size_t sec = second_of(l, t->complete);
		v = t->version < LIVE_VERSIONS ? t->version : LIVE_VERSIONS - 1;
		grow_seconds(s, sec);
		if (t->outcome != TX_OK) {
			s->failed[v][sec]++;
			continue;
		}
		s->ok[v][sec]++;
		/* At risk: acknowledged since the incident, until the first fix that applied. */
		if (s->incident_tick >= 0 && t->invoke >= s->incident_tick && (s->risk_to < 0 || t->invoke <= s->risk_to))
			s->acked_at_risk += ledger_tx_nfacts(lg, i);
	}
	l->seen_tx = lg->ntx;
	l->loss.risk_from = s->incident_tick;
	l->loss.risk_to = s->risk_to;
	error_window(l);
	s->writers_waiting = drill_lock_waits(d, &s->longest_wait);
	s->longest_wait = s->longest_wait >= 0 ? s->tick - s->longest_wait : 0;
	/* Recovered: failures no higher than before the incident for LIVE_RECOVERED_S seconds, to now. */
	s->recovered_tick = -1;
	if (s->incident_tick >= 0 && s->before[0] < 0)
		rates_before(l);
	if (s->incident_tick >= 0) {
		s->base_failure_rate = base_rate(d, s->incident_tick);
		rec = recovery_tick(d, s->incident_tick, s->base_failure_rate, s->tick, l->ticks_per_second);
		if (rec >= 0 && (double)(s->tick - rec) >= LIVE_RECOVERED_S * l->ticks_per_second)
			s->recovered_tick = rec;
	}
}

int live_look(struct live *l, struct strbuf *err)
{
	struct drill *d = &l->res.drill;
	if (!d->sched || drill_migration_at_work(d) || drill_statements_out(d))
		return 1;
	return loss_check(&l->loss, d, l->loss_owed, 0, err);
}

uint64_t live_at_risk(const struct live *l)
{
	uint64_t lost = l->loss.look_at_risk_lost;
	return l->sample.acked_at_risk > lost ? l->sample.acked_at_risk - lost : 0;
}

/*
** Recovery: the first tick from which the application fails no more than
** it did before the incident, and keeps so to the end: windows of a tenth
** of a second of the paced drill (at least 50 ticks), each with a failed
** share at most the one before the incident plus two points.
*/
static int64_t recovery_tick(const struct drill *d, int64_t incident, double base, int64_t end,
			     double ticks_per_second)
{
	const struct ledger *lg = &d->ledger;
	int64_t w = ticks_per_second > 500 ? (int64_t)(ticks_per_second / 10) : 50, nwin, k, first = -1;
	uint64_t *ok, *bad;
	size_t i;

	if (incident < 0 || end <= incident)
		return -1;
	nwin = (end - incident) / w + 1;
	ok = xcalloc((size_t)nwin, sizeof(*ok));
	bad = xcalloc((size_t)nwin, sizeof(*bad));
	for (i = 1; i < lg->ntx; i++) {
		const struct ledger_tx *t = &lg->tx[i];
		if (t->invoke < incident || t->invoke > end || t->errclass == DBE_CONNECTION)
			continue;
		k = (t->invoke - incident) / w;
		if (t->outcome == TX_OK)
			ok[k]++;
		else
			bad[k]++;
	}
	for (k = nwin - 1; k >= 0; k--) {
		uint64_t n = ok[k] + bad[k];
		if (n && (double)bad[k] / (double)n > base + 0.02)
			break;
		first = incident + k * w;
	}
	free(ok);
	free(bad);
	return first;
}

/* The drill's own figures, from its actions and its ledger. */
static void figures(struct live *l, enum live_end_how how)
{
	struct live_figures *f = &l->figures;
	const struct drill *d = &l->res.drill;
	const struct ledger *lg = &d->ledger;
	int64_t incident = d->bad >= 0 ? d->migs[d->bad].start : -1;
	int64_t fix_landed = -1;
	uint64_t ok0 = 0, bad0 = 0;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->incident_tick = incident;
	f->first_action_tick = f->first_fix_tick = f->recovery_tick = -1;
	f->first_action_wall = f->first_fix_wall = -1;
	f->ticks_per_second = l->ticks_per_second;
	f->interrupted = how != LIVE_END_TEAM;
	f->end_how = how;
	f->facts_lost = l->res.oracle.nfindings;
	for (i = 0; i < l->nactions; i++) {
		const struct live_action *a = &l->actions[i];
		const struct mig_report *r;
		enum live_outcome o = live_outcome(l, i, &r);
		if (a->kind == LIVE_OUTSIDE) {
			f->outside_changes++;
			continue;
		}
		if (a->kind == LIVE_END)
			continue;
		if (f->first_action_tick < 0 && a->tick >= incident) {
			f->first_action_tick = a->tick;
			f->first_action_wall = a->wall;
		}
		if (a->kind == LIVE_APPLY) {
			/* Only one that applied is a fix: a failed apply changed nothing, or said what stays. */
			if (f->first_fix_tick < 0 && o == LIVE_APPLIED) {
				f->first_fix_tick = a->tick;
				f->first_fix_wall = a->wall;
			}
			f->fixes_applied += o == LIVE_APPLIED;
			f->fixes_failed += o == LIVE_FAILED;
			if (o == LIVE_APPLIED && fix_landed < 0)
				fix_landed = r->end;
		} else if (a->kind == LIVE_DOWN) {
			f->downs++;
		} else if (a->kind == LIVE_FLAG) {
			f->flags++;
		}
	}
	for (i = 1; i < lg->ntx; i++) {
		const struct ledger_tx *t = &lg->tx[i];
		if (incident >= 0 && t->invoke < incident && t->errclass != DBE_CONNECTION) {
			ok0 += t->outcome == TX_OK;
			bad0 += t->outcome != TX_OK;
		}
		/* At risk: what was acknowledged since the incident, until a fix landed. */
		if (incident >= 0 && t->outcome == TX_OK && t->invoke >= incident &&
		    (fix_landed < 0 || t->invoke <= fix_landed))
			f->stranded_max += ledger_tx_nfacts(lg, i);
	}
	f->base_failure_rate = ok0 + bad0 ? (double)bad0 / (double)(ok0 + bad0) : 0;
	f->recovery_tick = recovery_tick(d, incident, f->base_failure_rate,
					 d->end_tick >= 0 ? d->end_tick : d->last_tick, l->ticks_per_second);
}

static const char *const end_names[] = {
	[LIVE_END_TEAM] = "the team ended the drill",
	[LIVE_END_TIME] = "the time ran out",
	[LIVE_END_INTERRUPT] = "interrupted",
};

static const char *const end_keys[] = {
	[LIVE_END_TEAM] = "team",
	[LIVE_END_TIME] = "time",
	[LIVE_END_INTERRUPT] = "interrupt",
};

const char *live_end_name(enum live_end_how how)
{
	return (unsigned)how <= LIVE_END_INTERRUPT ? end_names[how] : "?";
}

const char *live_end_key(enum live_end_how how)
{
	return (unsigned)how <= LIVE_END_INTERRUPT ? end_keys[how] : "?";
}

int live_end_parse(const char *key)
{
	int i;
	for (i = LIVE_END_TEAM; key && i <= LIVE_END_INTERRUPT; i++)
		if (!strcmp(key, end_keys[i]))
			return i;
	return -1;
}

/*
** The scorecard's series in buckets of a round number of seconds (the
** fewest that keep within SCORECARD_BUCKETS), so that a chart's point
** means the same on every team's page.
*/
static void rebucket(struct live *l)
{
	static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600 };
	double tps = l->ticks_per_second > 0 ? l->ticks_per_second : 100;
	double span_s = (double)(l->res.card.last_tick > 0 ? l->res.card.last_tick : 1) / tps;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) - 1 && span_s / steps[i] > SCORECARD_BUCKETS; i++)
		;
	scorecard_set_bucket(&l->res.card, &l->res.drill, (int64_t)(steps[i] * tps + 0.5));
}

/*
** The scorecard's losses: the final oracle's findings taken as the last
** check, so that what is lost at the end is laid where it was first found
** lost; each cause that lost anything, in order, and each example's cause.
*/
static void settle_losses(struct live *l)
{
	struct scorecard *card = &l->res.card;
	struct sc_loss *v = xcalloc(l->loss.ncauses + 1, sizeof(*v));
	struct sc_lost_point *points;
	char **lost_by = xcalloc(card->nexamples + 1, sizeof(*lost_by));
	uint32_t *cause_of = NULL;
	size_t *order, i, n = 0;

	loss_take(&l->loss, &l->res.drill, &l->res.oracle, l->loss_owed, 1, &cause_of);
	l->loss_owed = -1;
	order = loss_order(&l->loss);
	for (i = 0; i < l->loss.ncauses; i++) {
		const struct loss_cause *c = &l->loss.causes[order[i]];
		if (!c->lost && !c->now && !c->recovered)
			continue;
		v[n].cause = xstrdup(c->label);
		v[n].tick = c->tick;
		v[n].facts = c->now;
		v[n].lost = c->lost;
		v[n++].recovered = c->recovered;
	}
	for (i = 0; i < card->nexamples; i++)
		lost_by[i] = xstrdup(l->loss.causes[cause_of[i]].label);
	points = xcalloc(l->loss.npoints + 1, sizeof(*points));
	for (i = 0; i < l->loss.npoints; i++) {
		points[i].tick = l->loss.points[i].tick;
		points[i].lost = l->loss.points[i].lost;
	}
	scorecard_set_live(card, l->ticks_per_second, v, n, lost_by, points, l->loss.npoints);
	free(points);
	free(lost_by);
	free(cause_of);
	free(order);
}

int live_end(struct live *l, double wall, enum live_end_how how, struct strbuf *err)
{
	struct drill *d = &l->res.drill;
	struct strbuf label = STRBUF_INIT;
	int64_t stop = live_tick(l) + l->cooldown;
	size_t i;
	int rc;

	add_action(l, LIVE_END, live_end_name(how), wall);
	l->ended = 1;
	/* The cool-down: failures after the last fix have time to show. */
	if ((rc = live_advance(l, stop, err)) != 0)
		return rc;
	drill_stop_traffic(d);
	/* The drain pauses after each migration that ends in it, as the drill did. */
	while ((rc = drill_advance(d, INT64_MAX, err)) == 0 && d->migration_ended)
		take_ended(l);
	if (d->migration_ended)
		take_ended(l);
	if (rc != DRILL_DRAINED)
		return rc ? rc : strbuf_error(err, DRILL_EENGINE, "the drill did not drain");
	if ((rc = drill_finish(d, err)) != 0)
		return rc;
	/*
	** The scorecard's fix is the last migration of the fix slot that
	** applied: one that failed after it changed nothing it could be scored on.
	*/
	for (i = l->nactions; i-- > 0;) {
		const struct live_action *a = &l->actions[i];
		const struct mig_report *r;
		if ((a->kind == LIVE_APPLY || a->kind == LIVE_DOWN) && live_outcome(l, i, &r) == LIVE_APPLIED && r) {
			d->fix = a->mig;
			break;
		}
	}
	pipeline_judge(l->sc, &l->res);
	l->judged = 1;
	rebucket(l);
	settle_losses(l);
	figures(l, how);
	for (i = 0; i < l->nactions; i++) {
		const struct live_action *a = &l->actions[i];
		strbuf_reset(&label);
		switch (a->kind) {
		case LIVE_APPLY: strbuf_addf(&label, "apply %s", a->what); break;
		case LIVE_DOWN: strbuf_addstr(&label, "down migration"); break;
		case LIVE_FLAG: strbuf_addf(&label, "flag %s %s", a->what, a->on ? "on" : "off"); break;
		case LIVE_OUTSIDE: strbuf_addstr(&label, "outside change"); break;
		case LIVE_END:
			strbuf_addstr(&label, how == LIVE_END_TEAM ? "end" : how == LIVE_END_TIME ? "time ran out"
										 : "interrupted");
			break;
		}
		scorecard_add_marker(&l->res.card, a->tick, label.buf);
	}
	if (l->figures.recovery_tick >= 0)
		scorecard_add_marker(&l->res.card, l->figures.recovery_tick, "recovered");
	strbuf_release(&label);
	return 0;
}

void live_release(struct live *l, int keep, struct strbuf *kept, struct strbuf *left)
{
	size_t i;
	l->res.keep = keep;
	pipeline_result_close(&l->res);
	if (kept)
		strbuf_add(kept, l->res.kept.buf, l->res.kept.len);
	if (left)
		strbuf_add(left, l->res.left.buf, l->res.left.len);
	pipeline_result_release(&l->res);
	for (i = 0; i < l->nactions; i++) {
		free(l->actions[i].what);
		free(l->actions[i].text);
		sql_script_release(&l->actions[i].script);
	}
	free(l->actions);
	for (i = 0; i < l->sample.nerrors; i++)
		free(l->sample.errors[i].line);
	free(l->sample.errors);
	for (i = 0; i < LIVE_VERSIONS; i++) {
		free(l->sample.ok[i]);
		free(l->sample.failed[i]);
	}
	free(l->schema);
	loss_release(&l->loss);
	memset(l, 0, sizeof(*l));
}

int live_replay(struct live *l, const struct scenario *sc, const struct db_driver *drv, const char *target,
		const struct live_record *rec, struct strbuf *err)
{
	size_t i;
	int rc;

	for (i = 0; i < rec->nactions; i++)
		if (rec->actions[i].kind == LIVE_OUTSIDE)
			return strbuf_error(err, DRILL_EINPUT, "the drill had an outside change at tick %lld: "
					    "what was done by hand cannot be replayed",
					    (long long)rec->actions[i].tick);
	if ((rc = live_start(l, sc, drv, target, rec->seed, rec->cooldown, rec->ticks_per_second, NULL, err)) != 0)
		return rc;
	for (i = 0; i < rec->nactions; i++) {
		const struct live_action *a = &rec->actions[i];
		if ((rc = live_advance(l, a->tick, err)) != 0)
			return rc;
		switch (a->kind) {
		case LIVE_APPLY:
			live_apply(l, a->what, a->text, &a->script, a->one_tx, a->wall);
			break;
		case LIVE_DOWN:
			if (live_down(l, a->wall, err) < 0)
				return DRILL_EINPUT;
			break;
		case LIVE_FLAG:
			if (live_flag(l, a->what, a->on, a->wall, err))
				return DRILL_EINPUT;
			break;
		case LIVE_END:
			return live_end(l, a->wall, rec->end_how, err);
		case LIVE_OUTSIDE:
			break;
		}
	}
	return strbuf_error(err, DRILL_EINPUT, "the record has no end");
}
