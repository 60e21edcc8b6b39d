/*
** The Markdown summary: the scorecard as an incident review or a pull
** request wants it, with the verdict first, then the figures in tables.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

/* A table cell: pipes escaped, NULL and absence spelled out. */
static void cell(struct strbuf *out, const char *v, int absent)
{
	strbuf_addstr(out, " ");
	if (absent) {
		strbuf_addstr(out, "*(no row)*");
	} else if (!v) {
		strbuf_addstr(out, "*NULL*");
	} else {
		struct strbuf t = STRBUF_INIT;
		const char *c;
		report_add_text(&t, v);
		strbuf_addch(out, '`');
		for (c = t.buf; *c; c++) {
			if (*c == '|')
				strbuf_addstr(out, "\\|");
			else if (*c == '`')
				strbuf_addch(out, ' ');
			else
				strbuf_addch(out, *c);
		}
		strbuf_addch(out, '`');
		strbuf_release(&t);
	}
	strbuf_addstr(out, " |");
}

/* The drill's own text, escaped for the page while one render runs. */
static struct report_esc esc;
#define T(s) report_esc(&esc, (s))

static void counts_row(struct strbuf *out, const char *name, const struct oracle_counts *c, double ratio)
{
	if (ratio < 0)
		ratio = oracle_counts_ratio(c);
	strbuf_addf(out, "| %s | %llu | %llu | %llu | %llu | %llu | %llu | %.4f |\n", name,
		    (unsigned long long)c->expected, (unsigned long long)c->n[OC_PRESERVED],
		    (unsigned long long)c->n[OC_LOST_ROW], (unsigned long long)c->n[OC_LOST_FIELD],
		    (unsigned long long)c->n[OC_CORRUPTED], (unsigned long long)c->n[OC_PHANTOM], ratio);
}

void report_markdown_render(const struct scorecard *s, struct strbuf *out, unsigned flags)
{
	size_t i;
	int ph, w;

	(void)flags;
	strbuf_addf(out, "# mdrill: %s on %s%s, seed %llu: %s, score %d/100\n\n", T(s->scenario),
		    s->engine, s->concurrent ? " (concurrent)" : "", (unsigned long long)s->seed,
		    s->pass ? "PASS" : "FAIL", s->score);
	if (s->notice)
		strbuf_addf(out, "> **Note:** %s\n\n", s->notice);
	if (s->title)
		strbuf_addf(out, "%s%s%s%s\n\n", T(s->title), s->essay ? " (essay: " : "",
			    s->essay ? T(s->essay) : "", s->essay ? ")" : "");
	strbuf_addf(out, "**%s:** %s%s%s; ", s->fix_is_down ? "Down migration" : "Fix",
		    scorecard_own_down(s) ? "" : "`", scorecard_own_down(s) ? "the scenario's own" : T(s->fix.label),
		    scorecard_own_down(s) ? "" : "`");
	if (!s->fix.ran)
		strbuf_addstr(out, "it never ran.\n\n");
	else
		strbuf_addf(out, "%zu of %zu statements applied, ticks %lld to %lld.\n\n", s->fix.applied,
			    s->fix.statements, (long long)s->fix.start, (long long)s->fix.end);
	if (s->fix.error && s->fix.failed_file)
		strbuf_addf(out, "It failed at statement %d (%s:%d): %s (%s).\n\n", s->fix.failed_statement,
			    T(s->fix.failed_file), s->fix.failed_line, T(s->fix.error), s->fix.error_class);
	else if (s->fix.error)
		strbuf_addf(out, "It failed at statement %d (line %d): %s (%s).\n\n", s->fix.failed_statement,
			    s->fix.failed_line, T(s->fix.error), s->fix.error_class);

	strbuf_addstr(out, "## Verdict\n\n");
	if (!s->nreasons)
		strbuf_addstr(out, "Every acknowledged write preserved, no failure after the fix.\n");
	for (i = 0; i < s->nreasons; i++)
		strbuf_addf(out, "- %s\n", T(s->reasons[i]));

	strbuf_addstr(out, "\n## Transactions by phase\n\n| phase | version | committed | failed |\n|---|---|---:|---:|\n");
	for (ph = 0; ph < PH_COUNT; ph++)
		for (i = 0; i < s->nversions; i++)
			strbuf_addf(out, "| %s | %s | %llu | %llu |\n", phase_name(ph), T(s->versions[i]),
				    (unsigned long long)s->committed[i][ph], (unsigned long long)s->failed[i][ph]);
	strbuf_addf(out, "\nTicks: bad migration %lld, fix %lld to %lld, end %lld.", (long long)s->bad.start,
		    (long long)s->fix.start, (long long)s->fix.end, (long long)s->end_tick);
	for (i = 0; i < s->nflips; i++)
		strbuf_addf(out, " Flag `%s` %s at %lld.", T(s->flips[i].name), s->flips[i].on ? "on" : "off",
			    (long long)s->flips[i].tick);

	strbuf_addstr(out, "\n\n## Preservation\n\nFacts (one field of one row) by when their accepted value was written.\n\n"
		      "| written | expected | preserved | lost rows | lost fields | corrupted | phantom | ratio |\n"
		      "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (w = 0; w < OW_COUNT; w++)
		counts_row(out, oracle_window_name(w), &s->win[w], -1);
	counts_row(out, "**total**", &s->total, s->ratio);
	if (s->live && s->nlosses) {
		strbuf_addstr(out, "\nWhat lost them, each fact laid at the action that made it unreadable:\n\n"
			      "| lost by | tick | facts lost at the end | found lost at it | found again at it |\n"
			      "|---|---:|---:|---:|---:|\n");
		for (i = 0; i < s->nlosses; i++)
			strbuf_addf(out, "| %s | %lld | %llu | %llu | %llu |\n", T(s->losses[i].cause),
				    (long long)s->losses[i].tick, (unsigned long long)s->losses[i].facts,
				    (unsigned long long)s->losses[i].lost, (unsigned long long)s->losses[i].recovered);
	}
	if (s->nexamples) {
		strbuf_addf(out, "\nThe first %zu of %llu facts not preserved:\n\n"
			    "| class | written | table | key | field | expected | found |%s\n|---|---|---|---|---|---|---|%s\n",
			    s->nexamples, (unsigned long long)s->nfindings, s->live ? " lost by |" : "",
			    s->live ? "---|" : "");
		for (i = 0; i < s->nexamples; i++) {
			const struct sc_example *e = &s->examples[i];
			strbuf_addf(out, "| %s | %s | %s |", oracle_class_name(e->cls),
				    oracle_window_name(e->window), T(e->table));
			cell(out, e->key, 0);
			strbuf_addf(out, " %s |", T(e->field));
			cell(out, e->expected, 0);
			cell(out, e->found, e->found_absent);
			if (s->live)
				cell(out, e->lost_by, 0);
			strbuf_addch(out, '\n');
		}
	}
	for (i = 0; i < s->nnotes; i++)
		strbuf_addf(out, "\n> %s\n", T(s->notes[i]));

	strbuf_addf(out, "\n## Blocking\n\nWriters waited at most %lld tick%s because of the fix (%lld in all); "
		    "the fix itself waited %lld tick%s. Busy timeout %ld, stall limit %ld.\n",
		    (long long)s->blocked_max, report_s(s->blocked_max), (long long)s->blocked_total,
		    (long long)s->fix.waited, report_s(s->fix.waited), s->busy, s->stall);
	if (s->conn_lost)
		strbuf_addf(out, "\n%llu transactions lost their connection: %llu committed, %llu aborted, "
			    "%llu indeterminate.\n", (unsigned long long)s->conn_lost,
			    (unsigned long long)s->conn_committed, (unsigned long long)s->conn_aborted,
			    (unsigned long long)s->conn_indeterminate);
	report_esc_release(&esc);
}
