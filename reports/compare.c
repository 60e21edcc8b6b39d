/*
** The side-by-side of 'mdrill compare': the down migration and the fix
** from the same seed, figure beside figure, so that what the rollback
** would cost is read off the same lines as what the fix keeps.
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

static void row(struct strbuf *out, const char *what, unsigned long long a, unsigned long long b)
{
	strbuf_addf(out, "  %-34s %24llu %24llu\n", what, a, b);
}

static unsigned long long lost(const struct oracle_counts *c)
{
	return c->expected - c->n[OC_PRESERVED];
}

void report_compare_render(const struct scorecard *down, const struct scorecard *fix,
			   struct strbuf *out, unsigned flags)
{
	const char *bold = (flags & REPORT_COLOR) ? "\033[1m" : "";
	const char *off = (flags & REPORT_COLOR) ? "\033[0m" : "";
	struct report_esc esc = REPORT_ESC_INIT;
	const char *label, *dlabel;
	int w;

	strbuf_addf(out, "%smdrill compare%s %s on %s, seed %llu\n", bold, off, report_esc(&esc, fix->scenario),
		    fix->engine, (unsigned long long)fix->seed);
	strbuf_addf(out, "  %-34s %24s %24s\n", "", "down migration", "fix");
	label = fix->fix.label ? fix->fix.label : "";
	if (strrchr(label, '/'))
		label = strrchr(label, '/') + 1;
	/* The scenario's own down migration, or the team's, by its file's name. */
	dlabel = down->fix.label && strcmp(down->fix.label, "down migration") ? down->fix.label
									       : "(the rollback)";
	if (strrchr(dlabel, '/') && dlabel[strlen(dlabel) - 1] != '/')
		dlabel = strrchr(dlabel, '/') + 1;
	strbuf_addf(out, "  %-34s %24.24s %24.24s\n", "", report_esc(&esc, dlabel), report_esc(&esc, label));
	row(out, "facts expected", down->total.expected, fix->total.expected);
	row(out, "facts preserved", down->total.n[OC_PRESERVED], fix->total.n[OC_PRESERVED]);
	for (w = 0; w < OW_COUNT; w++) {
		char what[64];
		snprintf(what, sizeof(what), "  not preserved, written %s", oracle_window_name(w));
		row(out, what, lost(&down->win[w]), lost(&fix->win[w]));
	}
	row(out, "  lost rows", down->total.n[OC_LOST_ROW], fix->total.n[OC_LOST_ROW]);
	row(out, "  lost fields", down->total.n[OC_LOST_FIELD], fix->total.n[OC_LOST_FIELD]);
	row(out, "  corrupted", down->total.n[OC_CORRUPTED], fix->total.n[OC_CORRUPTED]);
	row(out, "  phantom", down->total.n[OC_PHANTOM], fix->total.n[OC_PHANTOM]);
	strbuf_addf(out, "  %-34s %24.4f %24.4f\n", "preservation ratio", down->ratio, fix->ratio);
	row(out, "transactions failed after", down->after_failed, fix->after_failed);
	row(out, "transactions committed after", down->after_committed, fix->after_committed);
	row(out, "longest writer wait during (ticks)", (unsigned long long)down->blocked_max,
	    (unsigned long long)fix->blocked_max);
	row(out, "statements applied", down->fix.applied, fix->fix.applied);
	strbuf_addf(out, "  %-34s %24s %24s\n", "verdict", down->pass ? "PASS" : "FAIL",
		    fix->pass ? "PASS" : "FAIL");
	row(out, "score", (unsigned long long)down->score, (unsigned long long)fix->score);
	if (down->nreasons)
		strbuf_addf(out, "\n  the down migration: %s\n", report_esc(&esc, down->reasons[0]));
	if (fix->nreasons)
		strbuf_addf(out, "  the fix: %s\n", report_esc(&esc, fix->reasons[0]));
	report_esc_release(&esc);
}
