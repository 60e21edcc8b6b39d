/*
** Building the scorecard.  The score is one formula, documented in the
** README: (100 for a pass, 49 for a fail) x preservation ratio x share of
** post-fix transactions that committed x blocking factor (1 - min(1,
** longest wait during the fix / busy) / 2), rounded.  Each factor is a
** gate, and a failing fix can never outrank a passing one.
**
** SPDX-License-Identifier: MIT
*/
#include "scorecard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/db/db.h"

static const char *const phase_names[PH_COUNT] = { "before", "incident", "fixing", "after" };

const char *phase_name(int ph)
{
	return ph >= 0 && ph < PH_COUNT ? phase_names[ph] : "unknown";
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void add_reason(struct scorecard *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_reason(struct scorecard *s, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	s->reasons = xrealloc(s->reasons, (s->nreasons + 1) * sizeof(*s->reasons));
	s->reasons[s->nreasons++] = strbuf_detach(&sb);
}

static void add_note(struct scorecard *s, char *note)
{
	s->notes = xrealloc(s->notes, (s->nnotes + 1) * sizeof(*s->notes));
	s->notes[s->nnotes++] = note;
}

static void copy_mig(struct sc_migration *m, const struct drill *d, int idx)
{
	const struct mig_report *r;
	memset(m, 0, sizeof(*m));
	m->start = m->end = -1;
	if (idx < 0)
		return;
	r = &d->migs[idx];
	m->name = xstrdup(r->name);
	m->label = xstrdup(r->label);
	m->ran = r->start >= 0;
	m->completed = r->completed;
	m->statements = r->nstmts;
	m->applied = r->applied;
	m->failed_statement = r->failed;
	m->failed_line = r->failed_line;
	m->failed_sql = dup_or_null(r->failed_sql);
	m->failed_file = dup_or_null(r->failed_file);
	m->error = dup_or_null(r->error);
	m->error_class = r->error ? xstrdup(db_errclass_name(r->errclass)) : NULL;
	m->start = r->start;
	m->end = r->end;
	m->waited = r->waited;
}

void scorecard_window(const struct drill *d, int64_t *start, int64_t *end)
{
	*start = d->bad >= 0 ? d->migs[d->bad].start : -1;
	*end = d->fix >= 0 && d->migs[d->fix].end >= 0 ? d->migs[d->fix].end : d->last_tick;
}

static int phase_of(const struct scorecard *s, int64_t tick)
{
	if (!s->bad.ran || tick < s->bad.start)
		return PH_BEFORE;
	if (!s->fix.ran || tick < s->fix.start)
		return PH_INCIDENT;
	if (tick <= s->fix.end)
		return PH_FIXING;
	return PH_AFTER;
}

static void tally(struct scorecard *s, const struct drill *d)
{
	const struct ledger *l = &d->ledger;
	size_t i, j, nmsg = 0;
	struct { uint32_t msg; uint16_t version; uint8_t cls; uint64_t n; } *msgs = NULL;
	size_t msgs_alloc = 0;

	for (i = 1; i < l->ntx; i++) {
		const struct ledger_tx *t = &l->tx[i];
		int ph = phase_of(s, t->invoke);
		if (t->errclass == DBE_CONNECTION) {
			s->conn_lost++;
			s->conn_committed += t->outcome == TX_OK;
			s->conn_aborted += t->outcome == TX_FAILED;
			s->conn_indeterminate += t->outcome == TX_INDETERMINATE;
		}
		if (t->outcome == TX_OK)
			s->committed[t->version][ph]++;
		else
			s->failed[t->version][ph]++;
		if (ph != PH_AFTER)
			continue;
		if (t->outcome == TX_OK) {
			s->after_committed++;
			continue;
		}
		/* A dropped connection is not the schema failing the application. */
		if (t->errclass == DBE_CONNECTION) {
			s->after_conn_failed++;
			continue;
		}
		s->after_failed++;
		for (j = 0; j < nmsg; j++)
			if (msgs[j].msg == t->msg && msgs[j].version == t->version)
				break;
		if (j == nmsg) {
			ALLOC_GROW(msgs, nmsg + 1, msgs_alloc);
			msgs[nmsg].msg = t->msg;
			msgs[nmsg].version = t->version;
			msgs[nmsg].cls = t->errclass;
			msgs[nmsg++].n = 0;
		}
		msgs[j].n++;
	}
	for (i = 0, j = 0; i < nmsg; i++)
		if (msgs[i].n > msgs[j].n)
			j = i;
	if (nmsg) {
		s->after_top.version = xstrdup(s->versions[msgs[j].version]);
		s->after_top.error_class = xstrdup(db_errclass_name(msgs[j].cls));
		s->after_top.message = xstrdup(ledger_str(l, msgs[j].msg) ? ledger_str(l, msgs[j].msg) : "");
		s->after_top.count = msgs[j].n;
	}
	free(msgs);
}

/* Ticks of [from, to) inside [a, b). */
static int64_t overlap(int64_t from, int64_t to, int64_t a, int64_t b)
{
	if (from < a)
		from = a;
	if (to > b)
		to = b;
	return to > from ? to - from : 0;
}

/* Count the ticks [from, to) into the buckets of series. */
static void add_to_buckets(const struct scorecard *s, uint64_t *series, int64_t from, int64_t to)
{
	int64_t t;
	for (t = from; t < to; t++)
		series[t / s->bucket_ticks < SCORECARD_BUCKETS ? t / s->bucket_ticks : SCORECARD_BUCKETS - 1]++;
}

/*
** The ticks of writer wait b that were the fix's doing, in pieces: their
** total, and with series (once bucket_ticks is known) their place in time.
** On an engine with one write lock writers also queue behind each other,
** so only the ticks in which the fix's connection held the lock count;
** elsewhere (row locks, where writers never touch the same row) a writer
** waiting during the fix waits for it.
*/
static int64_t fix_wait(const struct scorecard *s, const struct drill *d, const struct blocked_span *b,
			uint64_t *series)
{
	int64_t waited = 0, from, to;
	size_t h;

	if (!s->fix.ran)
		return 0;
	if (!db_can(d->drv, DB_CAP_ONE_WRITER)) {
		from = b->from > s->fix.start ? b->from : s->fix.start;
		to = b->to < s->fix.end ? b->to : s->fix.end;
		if (series && to > from)
			add_to_buckets(s, series, from, to);
		return overlap(b->from, b->to, s->fix.start, s->fix.end);
	}
	for (h = 0; h < d->nholds; h++) {
		const struct lock_hold *hd = &d->holds[h];
		int64_t a = hd->from > s->fix.start ? hd->from : s->fix.start;
		int64_t z = hd->to < s->fix.end + 1 ? hd->to : s->fix.end + 1;
		waited += overlap(b->from, b->to, a, z);
		from = b->from > a ? b->from : a;
		to = b->to < z ? b->to : z;
		if (series && to > from)
			add_to_buckets(s, series, from, to);
	}
	return waited;
}

int64_t scorecard_migration_wait(const struct drill *d, const struct blocked_span *b, int64_t start, int64_t end)
{
	int64_t waited = 0;
	size_t h;

	if (start < 0 || end < start)
		return 0;
	if (!db_can(d->drv, DB_CAP_ONE_WRITER))
		return overlap(b->from, b->to, start, end);
	for (h = 0; h < d->nholds; h++) {
		const struct lock_hold *hd = &d->holds[h];
		int64_t a = hd->from > start ? hd->from : start;
		int64_t z = hd->to < end + 1 ? hd->to : end + 1;
		waited += overlap(b->from, b->to, a, z);
	}
	return waited;
}

/* How long writers waited because of the fix (see fix_wait), and in the whole drill. */
static void blocking(struct scorecard *s, const struct drill *d)
{
	size_t i;
	for (i = 0; i < d->env.nspans; i++) {
		const struct blocked_span *b = &d->env.spans[i];
		int64_t waited;
		if (b->who < 0)
			continue; /* the migration's own waits are in fix.waited */
		if (b->to - b->from > s->drill_blocked_max)
			s->drill_blocked_max = b->to - b->from;
		waited = fix_wait(s, d, b, NULL);
		s->blocked_total += waited;
		if (waited > s->blocked_max)
			s->blocked_max = waited;
	}
}

static void examples(struct scorecard *s, const struct drill *d, const struct oracle_result *r)
{
	const struct ledger *l = &d->ledger;
	size_t i, n = r->nfindings < SCORECARD_EXAMPLES ? r->nfindings : SCORECARD_EXAMPLES;

	s->nfindings = r->nfindings;
	s->examples = xcalloc(n ? n : 1, sizeof(*s->examples));
	s->nexamples = n;
	for (i = 0; i < n; i++) {
		const struct oracle_finding *f = &r->findings[i];
		struct sc_example *e = &s->examples[i];
		e->cls = f->cls;
		e->window = f->window;
		e->table = xstrdup(ledger_str(l, f->table) ? ledger_str(l, f->table) : "?");
		e->key = dup_or_null(f->key == LEDGER_NONE ? f->found : ledger_str(l, f->key));
		e->field = xstrdup(f->field == LEDGER_ROW ? "(row)" : ledger_str(l, f->field));
		if (f->expected == LEDGER_DELETED)
			e->expected = xstrdup("(deleted)");
		else if (f->expected == LEDGER_PRESENT)
			e->expected = xstrdup("(present)");
		else
			e->expected = dup_or_null(ledger_str(l, f->expected));
		e->found = dup_or_null(f->field == LEDGER_ROW ? NULL : f->found);
		e->found_absent = f->found_absent;
		e->why = xstrdup(f->why ? f->why : "");
	}
}

static void add_marker(struct scorecard *s, int64_t tick, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_marker(struct scorecard *s, int64_t tick, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	if (tick < 0)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	s->markers = xrealloc(s->markers, (s->nmarkers + 1) * sizeof(*s->markers));
	s->markers[s->nmarkers].label = strbuf_detach(&sb);
	s->markers[s->nmarkers++].tick = tick;
}

/* Is label one that series() makes for the fix or a flip (which a live drill marks as actions)? */
static int fix_or_flip_marker(const char *label)
{
	static const char *const fix[] = { "fix starts", "fix ends", "down migration starts", "down migration ends" };
	size_t i;
	for (i = 0; i < sizeof(fix) / sizeof(fix[0]); i++)
		if (!strcmp(label, fix[i]))
			return 1;
	return !strncmp(label, "flag ", 5);
}

void scorecard_set_live(struct scorecard *s, double ticks_per_second, struct sc_loss *v, size_t n, char **lost_by,
			const struct sc_lost_point *series, size_t npoints)
{
	size_t i, k = 0;
	s->live = 1;
	s->ticks_per_second = ticks_per_second;
	s->losses = v;
	s->nlosses = n;
	for (i = 0; lost_by && i < s->nexamples; i++)
		s->examples[i].lost_by = lost_by[i];
	s->lost_series = xcalloc(npoints + 1, sizeof(*s->lost_series));
	memcpy(s->lost_series, series, npoints * sizeof(*series));
	s->nlost_series = npoints;
	for (i = 0; i < s->nmarkers; i++) {
		if (fix_or_flip_marker(s->markers[i].label)) {
			free(s->markers[i].label);
			continue;
		}
		s->markers[k++] = s->markers[i];
	}
	s->nmarkers = k;
}

void scorecard_add_marker(struct scorecard *s, int64_t tick, const char *label)
{
	add_marker(s, tick, "%s", label);
}

/* Transactions and blocked ticks over time, in buckets of s->bucket_ticks. */
static void fill_series(struct scorecard *s, const struct drill *d)
{
	const struct ledger *l = &d->ledger;
	size_t i;

	free(s->series_committed);
	free(s->series_failed);
	memset(s->series_blocked, 0, sizeof(s->series_blocked));
	memset(s->series_blocked_fix, 0, sizeof(s->series_blocked_fix));
	s->series_committed = xcalloc(s->nversions ? s->nversions : 1, sizeof(*s->series_committed));
	s->series_failed = xcalloc(s->nversions ? s->nversions : 1, sizeof(*s->series_failed));
	for (i = 1; i < l->ntx; i++) {
		const struct ledger_tx *tx = &l->tx[i];
		int64_t b = tx->complete / s->bucket_ticks;
		if (b >= SCORECARD_BUCKETS)
			b = SCORECARD_BUCKETS - 1;
		if (tx->outcome == TX_OK)
			s->series_committed[tx->version][b]++;
		else
			s->series_failed[tx->version][b]++;
	}
	for (i = 0; i < d->env.nspans; i++) {
		const struct blocked_span *b = &d->env.spans[i];
		if (b->who < 0)
			continue;
		add_to_buckets(s, s->series_blocked, b->from, b->to);
		fix_wait(s, d, b, s->series_blocked_fix);
	}
}

/* Transactions and blocked ticks over time, and the events to mark on a plot. */
static void series(struct scorecard *s, const struct drill *d)
{
	const struct scenario *sc = d->sc;
	int64_t span = s->last_tick > 0 ? s->last_tick : 1;
	size_t i;
	int64_t t;

	s->bucket_ticks = (span + SCORECARD_BUCKETS - 1) / SCORECARD_BUCKETS;
	if (s->bucket_ticks < 1)
		s->bucket_ticks = 1;
	fill_series(s, d);
	for (i = 0; i < sc->ntimeline; i++) {
		const struct tl_event *ev = &sc->timeline[i];
		if (ev->action == TL_DEPLOY)
			add_marker(s, ev->tick, "deploy %s %g%%", sc->apps[ev->version].name, ev->fraction * 100);
		else if (ev->action == TL_MIGRATE && strcmp(sc->migrations[ev->migration].name, "bad"))
			add_marker(s, ev->tick, "migrate %s", sc->migrations[ev->migration].name);
	}
	add_marker(s, s->bad.start, "bad migration");
	for (i = 0; i < s->nflips; i++)
		add_marker(s, s->flips[i].tick, "flag %s %s", s->flips[i].name, s->flips[i].on ? "on" : "off");
	add_marker(s, s->fix.start, "%s starts", s->fix_is_down ? "down migration" : "fix");
	add_marker(s, s->fix.end, "%s ends", s->fix_is_down ? "down migration" : "fix");
	/* Faults, with client kills as one marker at the first: thirty would hide the rest. */
	for (i = 0, t = 0; i < d->nhits; i++) {
		const struct fault_hit *h = &d->hits[i];
		if (h->kind != FAULT_KILL_CLIENT)
			add_marker(s, h->tick, "fault %s", fault_name(h->kind));
		else if (h->client >= 0 && !t++)
			add_marker(s, h->tick, "clients killed");
	}
}

/*
** The fix's repeated statements: their runs added up and spread over the
** buckets of the other series, and whether each came to a run that changed
** no rows (its last run: after a crash the fix runs them again).
*/
static void backfill(struct scorecard *s, const struct drill *d)
{
	const struct repeat_log *log;
	struct sc_backfill *b = &s->backfill;
	size_t i, k;

	b->first_tick = b->last_tick = -1;
	if (d->fix < 0 || !d->migs[d->fix].repeats.nstmts)
		return;
	log = &d->migs[d->fix].repeats;
	b->present = 1;
	b->statement = log->stmts[0];
	b->statements = (int)log->nstmts;
	b->max_runs = log->max;
	b->converged = 1;
	for (i = 0; i < log->nruns; i++) {
		const struct repeat_run *run = &log->runs[i];
		int64_t bucket = run->tick / s->bucket_ticks;
		b->runs++;
		b->rows += run->changed > 0 ? (uint64_t)run->changed : 0;
		b->series[bucket < SCORECARD_BUCKETS ? bucket : SCORECARD_BUCKETS - 1] +=
			run->changed > 0 ? (uint64_t)run->changed : 0;
		if (b->first_tick < 0)
			b->first_tick = run->tick;
		b->last_tick = run->tick;
	}
	for (k = 0; k < log->nstmts; k++) {
		for (i = log->nruns; i > 0 && log->runs[i - 1].stmt != log->stmts[k]; i--)
			;
		if (!i || log->runs[i - 1].changed != 0)
			b->converged = 0;
	}
}

void scorecard_set_bucket(struct scorecard *s, const struct drill *d, int64_t bucket_ticks)
{
	size_t i;
	s->bucket_ticks = bucket_ticks > 0 ? bucket_ticks : 1;
	fill_series(s, d);
	memset(s->backfill.series, 0, sizeof(s->backfill.series));
	for (i = 0; s->backfill.present && i < d->migs[d->fix].repeats.nruns; i++) {
		const struct repeat_run *run = &d->migs[d->fix].repeats.runs[i];
		int64_t b = run->tick / s->bucket_ticks;
		s->backfill.series[b < SCORECARD_BUCKETS ? b : SCORECARD_BUCKETS - 1] +=
			run->changed > 0 ? (uint64_t)run->changed : 0;
	}
}

/* The verdict and score from the reasons gathered so far. */
static void finish_verdict(struct scorecard *s)
{
	double a, b;

	s->pass = s->nreasons == 0;

	a = s->after_committed + s->after_failed
		    ? (double)s->after_committed / (double)(s->after_committed + s->after_failed)
		    : 0.0;
	b = s->busy > 0 ? (double)s->blocked_max / (double)s->busy : 0.0;
	b = 1.0 - (b > 1.0 ? 1.0 : b) / 2.0;
	/* A passing fix always outranks a failing one: 50 and over means pass. */
	s->score = (int)floor((s->pass ? 100.0 : 49.0) * s->ratio * a * b + 0.5);
}

void scorecard_build(struct scorecard *s, const struct drill *d, const struct oracle_result *r,
		     const struct probe_table *probes, size_t nprobes)
{
	const struct scenario *sc = d->sc;
	size_t i, j;

	memset(s, 0, sizeof(*s));
	s->roll_forward = -1;
	s->faults = xcalloc(d->nhits + 1, sizeof(*s->faults));
	for (i = 0; i < d->nhits; i++) {
		s->faults[i].tick = d->hits[i].tick;
		s->faults[i].what = xstrdup(fault_name(d->hits[i].kind));
		s->faults[i].arg = d->hits[i].arg;
		s->faults[i].client = d->hits[i].client;
	}
	s->nfaults = d->nhits;
	if (d->fix >= 0) {
		s->crash_after = d->migs[d->fix].crash_after;
		s->crash_tick = d->migs[d->fix].crash_tick;
	}
	s->scenario = xstrdup(sc->name);
	s->title = dup_or_null(sc->title);
	s->essay = dup_or_null(sc->essay);
	s->engine = xstrdup(db_name(d->drv));
	s->concurrent = d->env.concurrent;
	s->seed = d->seed;
	s->busy = d->env.busy;
	s->stall = (long)scenario_param_num(sc, "stall", 0);
	if (s->stall <= 0)
		s->stall = s->busy;
	s->nparams = sc->nparams;
	s->param_names = xcalloc(sc->nparams, sizeof(char *));
	s->param_values = xcalloc(sc->nparams, sizeof(char *));
	for (i = 0; i < sc->nparams; i++) {
		s->param_names[i] = xstrdup(sc->params[i].name);
		s->param_values[i] = xstrdup(sc->params[i].value);
	}
	s->nversions = sc->napps;
	s->versions = xcalloc(sc->napps, sizeof(char *));
	s->committed = xcalloc(sc->napps, sizeof(*s->committed));
	s->failed = xcalloc(sc->napps, sizeof(*s->failed));
	for (i = 0; i < sc->napps; i++)
		s->versions[i] = xstrdup(sc->apps[i].name);
	s->nflips = d->nflips;
	s->flips = xcalloc(d->nflips ? d->nflips : 1, sizeof(*s->flips));
	for (i = 0; i < d->nflips; i++) {
		s->flips[i].name = xstrdup(sc->flags[d->flips[i].flag]);
		s->flips[i].tick = d->flips[i].tick;
		s->flips[i].on = d->flips[i].on;
	}
	copy_mig(&s->bad, d, d->bad);
	copy_mig(&s->fix, d, d->fix);
	if (s->bad.ran && s->bad.error) {
		struct strbuf n = STRBUF_INIT;
		strbuf_addf(&n, "the bad migration failed on %s", s->engine);
		if (s->bad.failed_statement)
			strbuf_addf(&n, " at statement %d", s->bad.failed_statement);
		if (s->bad.failed_line)
			strbuf_addf(&n, " (line %d)", s->bad.failed_line);
		if (s->bad.failed_sql)
			strbuf_addf(&n, ", %s", s->bad.failed_sql);
		strbuf_addf(&n, ": %s; the drill goes on from the state it left", s->bad.error);
		s->notice = strbuf_detach(&n);
	}
	s->fix_is_down = d->fix_is_down;
	s->end_tick = d->end_tick;
	s->last_tick = d->last_tick;

	tally(s, d);
	blocking(s, d);
	series(s, d);
	backfill(s, d);

	s->total = r->total;
	memcpy(s->win, r->win, sizeof(s->win));
	s->rows_lost = r->rows_lost;
	s->extra_phantoms = r->extra_phantoms;
	s->ratio = r->ratio;
	examples(s, d, r);
	for (i = 0; i < nprobes; i++) {
		struct strbuf n = STRBUF_INIT;
		if (probes[i].error) {
			strbuf_addf(&n, "probe '%s' failed on the final schema: %s; every fact of '%s' "
				    "counts as lost", probes[i].table, probes[i].error, probes[i].table);
			add_note(s, strbuf_detach(&n));
		}
		for (j = 0; j < probes[i].nmissing; j++) {
			strbuf_addf(&n, "'%s.%s' reads NULL: its column is gone from the final schema, "
				    "so its facts count as lost fields", probes[i].table, probes[i].missing[j]);
			add_note(s, strbuf_detach(&n));
		}
	}

	/* The verdict: every condition is a reason of its own. */
	if (s->total.n[OC_PRESERVED] != s->total.expected || s->extra_phantoms)
		add_reason(s, "%llu of %llu facts not preserved (%llu lost rows, %llu lost fields, "
			   "%llu corrupted, %llu phantom)",
			   (unsigned long long)(s->total.expected - s->total.n[OC_PRESERVED] + s->extra_phantoms),
			   (unsigned long long)s->total.expected,
			   (unsigned long long)s->total.n[OC_LOST_ROW],
			   (unsigned long long)s->total.n[OC_LOST_FIELD],
			   (unsigned long long)s->total.n[OC_CORRUPTED],
			   (unsigned long long)s->total.n[OC_PHANTOM]);
	if (!s->fix.ran)
		add_reason(s, "the %s never ran", s->fix_is_down ? "down migration" : "fix");
	else if (s->fix.error && s->fix.failed_statement)
		add_reason(s, "the %s failed at statement %d: %s", s->fix_is_down ? "down migration" : "fix",
			   s->fix.failed_statement, s->fix.error);
	else if (s->fix.error)
		add_reason(s, "the %s %s", s->fix_is_down ? "down migration" : "fix", s->fix.error);
	if (s->after_failed)
		add_reason(s, "%llu transactions failed after the fix; most often app %s: %s (%s)",
			   (unsigned long long)s->after_failed, s->after_top.version,
			   s->after_top.message, s->after_top.error_class);
	/* A fix that makes writers wait their busy timeout out is an outage of its own. */
	if (s->fix.ran && s->blocked_max >= s->stall)
		add_reason(s, "the fix stalled writers for %lld ticks (the limit is %ld: a writer "
			      "waiting that long times out)", (long long)s->blocked_max, s->stall);
	if (s->fix.ran && !s->after_committed && !s->after_failed)
		add_reason(s, "no transaction ran after the fix, so recovery is unproven "
			      "(end the timeline later)");
	/* The essay: never modify or delete migration records; roll forward with a new one. */
	if (d->history_broken)
		add_reason(s, "%s: the history is the audit trail, never to be modified or deleted "
			      "(a fix is a new version in it)", d->history_broken);
	finish_verdict(s);
}

int scorecard_own_down(const struct scorecard *s)
{
	return s->fix_is_down && (!s->fix.label || !strcmp(s->fix.label, "down migration"));
}

uint64_t scorecard_lost(const struct scorecard *s)
{
	return s->total.expected - s->total.n[OC_PRESERVED] + s->extra_phantoms;
}

void scorecard_add_crashes(struct scorecard *s, struct sc_crash *v, size_t n)
{
	size_t i;
	s->crashes = v;
	s->ncrashes = n;
	s->roll_forward = 1;
	for (i = 0; i < n; i++) {
		const struct sc_crash *c = &v[i];
		/* A fix that fails before K has its own reason already. */
		if (c->converged || !c->reached)
			continue;
		if (s->roll_forward && !c->completed)
			add_reason(s, "not roll-forward-able: after a crash at statement %d the re-run "
				      "failed: %s", c->after, c->error ? c->error : "it did not complete");
		else if (s->roll_forward)
			add_reason(s, "not roll-forward-able: after a crash at statement %d the re-run %s",
				   c->after, !c->same_schema ? "left another schema than the run without the crash"
						     : "lost facts that the run without the crash kept");
		s->roll_forward = 0;
	}
	finish_verdict(s);
}

static void mig_release(struct sc_migration *m)
{
	free(m->name);
	free(m->label);
	free(m->failed_sql);
	free(m->failed_file);
	free(m->error);
	free(m->error_class);
}

void scorecard_release(struct scorecard *s)
{
	size_t i;
	free(s->scenario);
	free(s->title);
	free(s->engine);
	free(s->essay);
	for (i = 0; i < s->nparams; i++) {
		free(s->param_names[i]);
		free(s->param_values[i]);
	}
	free(s->param_names);
	free(s->param_values);
	for (i = 0; i < s->nversions; i++)
		free(s->versions[i]);
	free(s->versions);
	free(s->committed);
	free(s->failed);
	for (i = 0; i < s->nflips; i++)
		free(s->flips[i].name);
	free(s->flips);
	free(s->series_committed);
	free(s->series_failed);
	for (i = 0; i < s->nmarkers; i++)
		free(s->markers[i].label);
	free(s->markers);
	mig_release(&s->bad);
	free(s->notice);
	mig_release(&s->fix);
	for (i = 0; i < s->nexamples; i++) {
		free(s->examples[i].table);
		free(s->examples[i].key);
		free(s->examples[i].field);
		free(s->examples[i].expected);
		free(s->examples[i].found);
		free(s->examples[i].why);
		free(s->examples[i].lost_by);
	}
	free(s->examples);
	for (i = 0; i < s->nlosses; i++)
		free(s->losses[i].cause);
	free(s->losses);
	free(s->lost_series);
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	for (i = 0; i < s->nreasons; i++)
		free(s->reasons[i]);
	free(s->reasons);
	free(s->after_top.version);
	free(s->after_top.error_class);
	free(s->after_top.message);
	for (i = 0; i < s->nfaults; i++)
		free(s->faults[i].what);
	free(s->faults);
	for (i = 0; i < s->ncrashes; i++)
		free(s->crashes[i].error);
	free(s->crashes);
	memset(s, 0, sizeof(*s));
}
