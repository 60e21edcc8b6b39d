/*
** The side-by-side of 'mdrill compare': the down migration and the fix
** from the same seed, figure beside figure, so that what the rollback
** would cost is read off the same lines as what the fix keeps.  One list
** of figures, rendered for the terminal, Markdown, JSON and (in html.c)
** the page.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

static unsigned long long lost(const struct oracle_counts *c)
{
	return c->expected - c->n[OC_PRESERVED];
}

static struct compare_row *add_row(struct compare_row *rows, size_t *n, int sub, const char *what)
{
	struct compare_row *r = &rows[(*n)++];
	memset(r, 0, sizeof(*r));
	r->sub = sub;
	snprintf(r->what, sizeof(r->what), "%s", what);
	return r;
}

static void add_num(struct compare_row *rows, size_t *n, int sub, const char *what,
		    unsigned long long down, unsigned long long fix)
{
	struct compare_row *r = add_row(rows, n, sub, what);
	snprintf(r->down, sizeof(r->down), "%llu", down);
	snprintf(r->fix, sizeof(r->fix), "%llu", fix);
	r->differ = down != fix;
}

size_t report_compare_rows(const struct scorecard *down, const struct scorecard *fix, struct compare_row *rows)
{
	struct compare_row *r;
	size_t n = 0;
	int w;

	add_num(rows, &n, 0, "facts expected", down->total.expected, fix->total.expected);
	add_num(rows, &n, 0, "facts preserved", down->total.n[OC_PRESERVED], fix->total.n[OC_PRESERVED]);
	for (w = 0; w < OW_COUNT; w++) {
		char what[64];
		snprintf(what, sizeof(what), "not preserved, written %s", oracle_window_name(w));
		add_num(rows, &n, 1, what, lost(&down->win[w]), lost(&fix->win[w]));
	}
	add_num(rows, &n, 1, "lost rows", down->total.n[OC_LOST_ROW], fix->total.n[OC_LOST_ROW]);
	add_num(rows, &n, 1, "lost fields", down->total.n[OC_LOST_FIELD], fix->total.n[OC_LOST_FIELD]);
	add_num(rows, &n, 1, "corrupted", down->total.n[OC_CORRUPTED], fix->total.n[OC_CORRUPTED]);
	add_num(rows, &n, 1, "phantom", down->total.n[OC_PHANTOM], fix->total.n[OC_PHANTOM]);
	r = add_row(rows, &n, 0, "preservation ratio");
	snprintf(r->down, sizeof(r->down), "%.4f", down->ratio);
	snprintf(r->fix, sizeof(r->fix), "%.4f", fix->ratio);
	r->differ = strcmp(r->down, r->fix) != 0;
	add_num(rows, &n, 0, "transactions failed after", down->after_failed, fix->after_failed);
	add_num(rows, &n, 0, "transactions committed after", down->after_committed, fix->after_committed);
	add_num(rows, &n, 0, "longest writer wait during (ticks)", (unsigned long long)down->blocked_max,
		(unsigned long long)fix->blocked_max);
	add_num(rows, &n, 0, "statements applied", down->fix.applied, fix->fix.applied);
	r = add_row(rows, &n, 0, "verdict");
	snprintf(r->down, sizeof(r->down), "%s", down->pass ? "PASS" : "FAIL");
	snprintf(r->fix, sizeof(r->fix), "%s", fix->pass ? "PASS" : "FAIL");
	r->differ = down->pass != fix->pass;
	r->verdict = 1;
	add_num(rows, &n, 0, "score", (unsigned long long)down->score, (unsigned long long)fix->score);
	return n;
}

void report_compare_labels(const struct scorecard *down, const struct scorecard *fix, const char **dlabel,
			   const char **flabel, int short_names)
{
	const char *label = fix->fix.label ? fix->fix.label : "";
	/* The scenario's own down migration, or the team's, by its file's name. */
	const char *d = down->fix.label && strcmp(down->fix.label, "down migration") ? down->fix.label
										   : "(the rollback)";
	if (short_names && strrchr(label, '/'))
		label = strrchr(label, '/') + 1;
	if (short_names && strrchr(d, '/') && d[strlen(d) - 1] != '/')
		d = strrchr(d, '/') + 1;
	*dlabel = d;
	*flabel = label;
}

void report_compare_render(const struct scorecard *down, const struct scorecard *fix,
			   struct strbuf *out, unsigned flags)
{
	const char *bold = (flags & REPORT_COLOR) ? "\033[1m" : "";
	const char *off = (flags & REPORT_COLOR) ? "\033[0m" : "";
	struct report_esc esc = REPORT_ESC_INIT;
	const char *label, *dlabel;
	struct compare_row rows[REPORT_COMPARE_ROWS];
	size_t n = report_compare_rows(down, fix, rows), i;

	strbuf_addf(out, "%smdrill compare%s %s on %s, seed %llu\n", bold, off, report_esc(&esc, fix->scenario),
		    fix->engine, (unsigned long long)fix->seed);
	strbuf_addf(out, "  %-34s %24s %24s\n", "", "down migration", "fix");
	report_compare_labels(down, fix, &dlabel, &label, 1);
	strbuf_addf(out, "  %-34s %24.24s", "", report_esc(&esc, dlabel));
	strbuf_addf(out, " %24.24s\n", report_esc(&esc, label));
	for (i = 0; i < n; i++)
		strbuf_addf(out, "  %s%-*s %24s %24s\n", rows[i].sub ? "  " : "", rows[i].sub ? 32 : 34,
			    rows[i].what, rows[i].down, rows[i].fix);
	if (down->nreasons)
		strbuf_addf(out, "\n  the down migration: %s\n", report_esc(&esc, down->reasons[0]));
	if (fix->nreasons)
		strbuf_addf(out, "  the fix: %s\n", report_esc(&esc, fix->reasons[0]));
	report_esc_release(&esc);
}

/* text for a Markdown table cell: '|' escaped, newlines as spaces. */
static void md_cell(struct strbuf *out, const char *text)
{
	for (; *text; text++) {
		if (*text == '|')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *text == '\n' ? ' ' : *text);
	}
}

void report_compare_markdown_render(const struct scorecard *down, const struct scorecard *fix,
				    struct strbuf *out, unsigned flags)
{
	const char *label, *dlabel;
	struct compare_row rows[REPORT_COMPARE_ROWS];
	size_t n = report_compare_rows(down, fix, rows), i;

	(void)flags;
	strbuf_addf(out, "# mdrill compare: %s on %s, seed %llu\n\n", fix->scenario, fix->engine,
		    (unsigned long long)fix->seed);
	if (fix->title)
		strbuf_addf(out, "%s\n\n", fix->title);
	strbuf_addf(out, "The down migration (the rollback) and the fix, from the same seed: the fix %s, "
			 "score %d/100; the rollback %s, score %d/100.\n\n",
		    fix->pass ? "**passes**" : "**fails**", fix->score, down->pass ? "passes" : "fails",
		    down->score);
	report_compare_labels(down, fix, &dlabel, &label, 0);
	/* The scenario's own down migration has no file name to quote. */
	strbuf_addstr(out, *dlabel == '(' ? "| | down migration " : "| | down migration `");
	md_cell(out, dlabel);
	strbuf_addstr(out, *dlabel == '(' ? " | fix `" : "` | fix `");
	md_cell(out, label);
	strbuf_addstr(out, "` |\n|---|---:|---:|\n");
	for (i = 0; i < n; i++) {
		const char *em = rows[i].verdict ? "**" : "";
		strbuf_addf(out, "| %s%s | %s%s%s | %s%s%s |\n", rows[i].sub ? "&nbsp;&nbsp;" : "", rows[i].what,
			    em, rows[i].down, em, em, rows[i].fix, em);
	}
	if (down->nreasons || fix->nreasons)
		strbuf_addch(out, '\n');
	if (down->nreasons) {
		strbuf_addstr(out, "- the down migration: ");
		md_cell(out, down->reasons[0]);
		strbuf_addch(out, '\n');
	}
	if (fix->nreasons) {
		strbuf_addstr(out, "- the fix: ");
		md_cell(out, fix->reasons[0]);
		strbuf_addch(out, '\n');
	}
}

void report_compare_json_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags)
{
	strbuf_addstr(out, "{\"down\":");
	report_json_render(down, out, flags);
	strbuf_rtrim(out);
	strbuf_addstr(out, ",\"fix\":");
	report_json_render(fix, out, flags);
	strbuf_rtrim(out);
	strbuf_addstr(out, "}\n");
}

static const struct report_compare_format compare_formats[] = {
	{ "json", "json", report_compare_json_render },
	{ "markdown", "md", report_compare_markdown_render },
	{ "html", "html", report_compare_html_render },
};

const struct report_compare_format *report_compare_for_ext(const char *ext)
{
	size_t i;
	for (i = 0; i < sizeof(compare_formats) / sizeof(compare_formats[0]); i++)
		if (!strcmp(compare_formats[i].ext, ext))
			return &compare_formats[i];
	return NULL;
}
