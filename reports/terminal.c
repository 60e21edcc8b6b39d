/*
** The terminal scorecard: what a team reads at the end of a drill.  Plain
** text; colour only when the caller asks (a terminal, NO_COLOR unset).
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

struct style {
	const char *bold, *red, *green, *dim, *off;
};

/* The drill's own text, escaped for the terminal while one render runs. */
static struct report_esc esc;
#define T(s) report_esc(&esc, (s))

static void add_value(struct strbuf *out, const char *v, int absent)
{
	if (absent)
		strbuf_addstr(out, "(no row)");
	else if (!v)
		strbuf_addstr(out, "NULL");
	else
		strbuf_addf(out, "'%s'", T(v));
}

static void phases(const struct scorecard *s, struct strbuf *out, const struct style *st)
{
	size_t i;
	int ph;
	strbuf_addf(out, "%sPhases%s (transactions by app version)\n", st->bold, st->off);
	strbuf_addf(out, "  %-22s", "");
	for (ph = 0; ph < PH_COUNT; ph++)
		strbuf_addf(out, "%10s", phase_name(ph));
	strbuf_addch(out, '\n');
	for (i = 0; i < s->nversions; i++) {
		char label[64];
		snprintf(label, sizeof(label), "%s committed", T(s->versions[i]));
		strbuf_addf(out, "  %-22s", label);
		for (ph = 0; ph < PH_COUNT; ph++)
			strbuf_addf(out, "%10llu", (unsigned long long)s->committed[i][ph]);
		strbuf_addch(out, '\n');
		snprintf(label, sizeof(label), "%s failed", T(s->versions[i]));
		strbuf_addf(out, "  %-22s", label);
		for (ph = 0; ph < PH_COUNT; ph++) {
			unsigned long long n = s->failed[i][ph];
			if (n && ph == PH_AFTER)
				strbuf_addf(out, "%s%10llu%s", st->red, n, st->off);
			else
				strbuf_addf(out, "%10llu", n);
		}
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "  %sticks: bad migration %lld, fix %lld to %lld, end %lld", st->dim,
		    (long long)s->bad.start, (long long)s->fix.start, (long long)s->fix.end,
		    (long long)s->end_tick);
	for (i = 0; i < s->nflips; i++)
		strbuf_addf(out, "; flag %s %s at %lld", T(s->flips[i].name), s->flips[i].on ? "on" : "off",
			    (long long)s->flips[i].tick);
	strbuf_addf(out, "%s\n\n", st->off);
}

/* ratio < 0: this row's own preserved / expected. */
static void counts_row(struct strbuf *out, const char *name, const struct oracle_counts *c, double ratio)
{
	if (ratio < 0)
		ratio = oracle_counts_ratio(c);
	strbuf_addf(out, "  %-10s%10llu%10llu%10llu%10llu%10llu%10llu%9.4f\n", name,
		    (unsigned long long)c->expected, (unsigned long long)c->n[OC_PRESERVED],
		    (unsigned long long)c->n[OC_LOST_ROW], (unsigned long long)c->n[OC_LOST_FIELD],
		    (unsigned long long)c->n[OC_CORRUPTED], (unsigned long long)c->n[OC_PHANTOM], ratio);
}

static void preservation(const struct scorecard *s, struct strbuf *out, const struct style *st)
{
	size_t i;
	int w;
	strbuf_addf(out, "%sPreservation%s (facts: one field of one row, as acknowledged)\n",
		    st->bold, st->off);
	strbuf_addf(out, "  %-10s%10s%10s%10s%10s%10s%10s%9s\n", "written", "expected", "kept",
		    "lost row", "lost fld", "corrupt", "phantom", "ratio");
	for (w = 0; w < OW_COUNT; w++)
		counts_row(out, oracle_window_name(w), &s->win[w], -1);
	/* The total's ratio is the drill's: phantoms outside the expected facts count too. */
	counts_row(out, "total", &s->total, s->ratio);
	strbuf_addf(out, "  %sratio %.4f over %llu facts; %llu rows lost; %llu phantom facts outside them%s\n",
		    st->dim, s->ratio, (unsigned long long)s->total.expected,
		    (unsigned long long)s->rows_lost, (unsigned long long)s->extra_phantoms, st->off);
	if (s->nexamples) {
		size_t n = s->nexamples < 5 ? s->nexamples : 5;
		strbuf_addf(out, "  examples (%zu of %llu):\n", n, (unsigned long long)s->nfindings);
		for (i = 0; i < n; i++) {
			const struct sc_example *e = &s->examples[i];
			strbuf_addf(out, "    %s%-10s%s %s[%s].%s (%s): expected ", st->red,
				    oracle_class_name(e->cls), st->off, T(e->table), e->key ? T(e->key) : "NULL",
				    T(e->field), oracle_window_name(e->window));
			add_value(out, e->expected, 0);
			strbuf_addstr(out, ", found ");
			add_value(out, e->found, e->found_absent);
			strbuf_addf(out, "%s  %s", st->dim, T(e->why));
			if (e->lost_by)
				strbuf_addf(out, "; lost by %s", T(e->lost_by));
			strbuf_addf(out, "%s\n", st->off);
		}
	}
	/* A live drill: what lost the data, so that no team blames the wrong action. */
	if (s->live && s->nlosses) {
		strbuf_addstr(out, "  lost by:\n");
		for (i = 0; i < s->nlosses; i++) {
			const struct sc_loss *x = &s->losses[i];
			strbuf_addf(out, "    %8llu  %s (tick %lld)", (unsigned long long)x->facts, T(x->cause),
				    (long long)x->tick);
			if (x->lost != x->facts || x->recovered)
				strbuf_addf(out, "%s: %llu found lost at it, %llu found again at it%s", st->dim,
					    (unsigned long long)x->lost, (unsigned long long)x->recovered, st->off);
			strbuf_addch(out, '\n');
		}
	}
	for (i = 0; i < s->nnotes; i++)
		strbuf_addf(out, "  note: %s\n", T(s->notes[i]));
	strbuf_addch(out, '\n');
}

/* One line on the fix's repeated statements ('-- @repeat'). */
static void backfill_line(const struct scorecard *s, struct strbuf *out, const struct style *st)
{
	const struct sc_backfill *b = &s->backfill;

	strbuf_addf(out, "%sBackfill%s (statement %d", st->bold, st->off, b->statement);
	if (b->statements > 1)
		strbuf_addf(out, " and %d more", b->statements - 1);
	strbuf_addf(out, ", at most %d runs): %llu runs changed %llu rows", b->max_runs,
		    (unsigned long long)b->runs, (unsigned long long)b->rows);
	if (b->runs)
		strbuf_addf(out, ", ticks %lld to %lld", (long long)b->first_tick, (long long)b->last_tick);
	strbuf_addf(out, "; %s%s%s\n", b->converged ? st->green : st->red,
		    b->converged ? "converged (its last run changed no rows)" : "did not converge", st->off);
}

static void fix(const struct scorecard *s, struct strbuf *out, const struct style *st)
{
	const struct sc_migration *m = &s->fix;
	const char *what = s->fix_is_down ? "Down migration" : "Fix";
	size_t i;

	if (scorecard_own_down(s))
		strbuf_addf(out, "%s%s%s (the scenario's own): ", st->bold, what, st->off);
	else
		strbuf_addf(out, "%s%s%s %s: ", st->bold, what, st->off, m->label ? T(m->label) : "(none)");
	if (!m->ran)
		strbuf_addstr(out, "never ran\n");
	else
		strbuf_addf(out, "%zu of %zu statements applied, ticks %lld to %lld\n", m->applied,
			    m->statements, (long long)m->start, (long long)m->end);
	if (m->error) {
		strbuf_addf(out, "  %s", st->red);
		if (m->failed_statement && m->failed_file)
			strbuf_addf(out, "failed at statement %d (%s:%d): ", m->failed_statement,
				    T(m->failed_file), m->failed_line);
		else if (m->failed_statement)
			strbuf_addf(out, "failed at statement %d (line %d): ", m->failed_statement,
				    m->failed_line);
		strbuf_addf(out, "%s [%s]%s\n", T(m->error), m->error_class, st->off);
		if (m->failed_sql)
			strbuf_addf(out, "  %s%.200s%s\n", st->dim, T(m->failed_sql), st->off);
	}
	if (s->bad.error)
		strbuf_addf(out, "  the bad migration itself failed at statement %d: %s\n",
			    s->bad.failed_statement, T(s->bad.error));
	if (s->backfill.present)
		backfill_line(s, out, st);
	if (s->conn_lost)
		strbuf_addf(out, "%sConnections%s lost in %llu transactions: %llu committed, %llu aborted, "
			    "%llu indeterminate (the oracle accepts either outcome)\n", st->bold, st->off,
			    (unsigned long long)s->conn_lost, (unsigned long long)s->conn_committed,
			    (unsigned long long)s->conn_aborted, (unsigned long long)s->conn_indeterminate);
	for (i = 0; i < s->nfaults; i++) {
		const struct sc_fault *f = &s->faults[i];
		strbuf_addf(out, "%sFault%s at tick %lld: %s", st->bold, st->off, (long long)f->tick, f->what);
		if (!strcmp(f->what, "kill-client") && f->client < 0)
			strbuf_addf(out, " (%lld found no client inside a transaction to kill)", (long long)f->arg);
		else if (!strcmp(f->what, "kill-client"))
			strbuf_addf(out, " (client %d, %s)", f->client,
				    f->arg == 1 ? "after its COMMIT went out and landed"
				    : f->arg == 2 ? "as its COMMIT went out, lost with the connection"
						  : "mid-transaction");
		else if (!strcmp(f->what, "fix-crash"))
			strbuf_addf(out, " after statement %lld; the fix ran again from the top", (long long)f->arg);
		else
			strbuf_addf(out, "=%lld", (long long)f->arg);
		strbuf_addch(out, '\n');
	}
	if (s->roll_forward >= 0) {
		size_t ok = 0, reached = 0;
		for (i = 0; i < s->ncrashes; i++) {
			ok += (size_t)s->crashes[i].converged;
			reached += (size_t)s->crashes[i].reached;
		}
		strbuf_addf(out, "%sRoll-forward%s: %zu of %zu crash points converged (re-run completed, "
			    "same schema, nothing more lost)", st->bold, st->off, ok, reached);
		if (reached < s->ncrashes)
			strbuf_addf(out, "; %zu not reached", s->ncrashes - reached);
		strbuf_addch(out, '\n');
		for (i = 0; i < s->ncrashes; i++) {
			const struct sc_crash *c = &s->crashes[i];
			strbuf_addf(out, "  after statement %-3d %s%s%s", c->after,
				    c->converged ? st->green : c->reached ? st->red : st->dim,
				    c->converged ? "converged" : c->reached ? "did not converge" : "not tried", st->off);
			if (!c->reached)
				strbuf_addf(out, ": the fix failed first%s%s",
					    c->error ? ": " : "", c->error ? T(c->error) : "");
			else if (!c->completed)
				strbuf_addf(out, ": the re-run failed: %s", c->error ? T(c->error) : "it never completed");
			else if (!c->same_schema)
				strbuf_addstr(out, ": another schema than without the crash");
			else if (!c->converged)
				strbuf_addf(out, ": %llu facts lost against %llu without the crash",
					    (unsigned long long)c->lost, (unsigned long long)c->base_lost);
			strbuf_addch(out, '\n');
		}
	}
	strbuf_addf(out, "%sBlocking%s during the fix: writers waited at most %lld tick%s (%lld in all); "
		    "the fix waited %lld tick%s; busy timeout %ld\n\n", st->bold, st->off,
		    (long long)s->blocked_max, report_s(s->blocked_max), (long long)s->blocked_total,
		    (long long)s->fix.waited, report_s(s->fix.waited), s->busy);
}

void report_terminal_render(const struct scorecard *s, struct strbuf *out, unsigned flags)
{
	static const struct style plain = { "", "", "", "", "" };
	static const struct style color = { "\033[1m", "\033[31m", "\033[32m", "\033[2m", "\033[0m" };
	const struct style *st = (flags & REPORT_COLOR) ? &color : &plain;
	size_t i;

	if (s->notice)
		strbuf_addf(out, "%sNote: %s%s\n", st->red, T(s->notice), st->off);
	strbuf_addf(out, "%smdrill%s %s on %s%s, seed %llu\n", st->bold, st->off, T(s->scenario),
		    s->engine, s->concurrent ? " (concurrent)" : "", (unsigned long long)s->seed);
	if (s->title)
		strbuf_addf(out, "  %s", T(s->title));
	if (s->essay)
		strbuf_addf(out, "  %s(essay: %s)%s", st->dim, T(s->essay), st->off);
	strbuf_addstr(out, "\n\n");
	phases(s, out, st);
	preservation(s, out, st);
	fix(s, out, st);
	strbuf_addf(out, "%sVerdict: %s%s%s   score %d/100\n", st->bold,
		    s->pass ? st->green : st->red, s->pass ? "PASS" : "FAIL", st->off, s->score);
	for (i = 0; i < s->nreasons; i++)
		strbuf_addf(out, "  - %s\n", T(s->reasons[i]));
	report_esc_release(&esc);
}

void report_swarm_render(const struct swarm_report *r, struct strbuf *out, unsigned flags)
{
	const struct swarm_result *res = r->result;
	const struct swarm_row *worst = res->nrows ? &res->rows[res->worst] : NULL;
	int w;

	(void)flags;
	strbuf_addf(out, "mdrill swarm %s on %s, seeds %llu..%llu", r->scenario, r->engine,
		    (unsigned long long)r->from, (unsigned long long)r->to);
	if (r->shard_n)
		strbuf_addf(out, " (shard %llu/%llu)", (unsigned long long)r->shard_k, (unsigned long long)r->shard_n);
	strbuf_addf(out, ": %zu runs, %zu pass, %zu fail\n", res->nrows, res->passed, res->nrows - res->passed);
	if (!worst)
		return;
	strbuf_addstr(out, "  score     runs\n");
	for (w = 10; w >= 0; w--) {
		char range[16];
		if (!res->hist[w])
			continue;
		if (w == 10)
			snprintf(range, sizeof(range), "100");
		else
			snprintf(range, sizeof(range), "%d-%d", w * 10, w * 10 + 9);
		strbuf_addf(out, "  %-7s %6d\n", range, res->hist[w]);
	}
	strbuf_addf(out, "  worst: seed %llu, score %d (%s), %llu facts not preserved%s%s\n",
		    (unsigned long long)worst->seed, worst->score, worst->pass ? "pass" : "fail",
		    (unsigned long long)worst->lost, *worst->faults ? ", faults " : "", worst->faults);
	strbuf_addf(out, "  reproduce: %s\n", r->reproduce);
}
