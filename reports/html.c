/*
** The HTML page: one self-contained file (inline CSS and SVG, no script,
** no network) to open, project on a wall, or attach to an incident review.
** An SVG timeline shows committed and failed transactions per app version
** with labelled markers for the bad migration, deploys, flag flips and the
** fix; then the phases, the preservation table, a sample of what was lost
** and the writers' blocked ticks over time.  Large type, the Okabe-Ito
** palette (safe for colour blindness) and line styles that read in black
** and white.  Written as XHTML, so any XML parser can check it.
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

#define W 1000
#define H 340
#define PAD_L 70
#define PAD_R 20
#define PAD_T 30
#define PAD_B 40

/* Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue. */
static const char *const palette[] = { "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9" };

void xml_add_escaped(struct strbuf *out, const char *s)
{
	if (!s) {
		strbuf_addstr(out, "NULL");
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\t': case '\n': case '\r': strbuf_addch(out, *s); break;
		default:
			/* XML 1.0 allows no other control character, not even as a reference. */
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				strbuf_addf(out, "\\x%02x", (unsigned char)*s);
			else
				strbuf_addch(out, *s);
		}
	}
}

static double x_of(const struct scorecard *s, double tick)
{
	double span = (double)(s->bucket_ticks * SCORECARD_BUCKETS);
	return PAD_L + (W - PAD_L - PAD_R) * tick / (span > 0 ? span : 1);
}

static double y_of(double v, double max)
{
	return H - PAD_B - (H - PAD_T - PAD_B) * v / (max > 0 ? max : 1);
}

static void axes(struct strbuf *out, const struct scorecard *s, double max, const char *what)
{
	int i;
	strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", PAD_L, H - PAD_B,
		    W - PAD_R, H - PAD_B);
	strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", PAD_L, PAD_T, PAD_L,
		    H - PAD_B);
	for (i = 0; i <= 4; i++) {
		double v = max * i / 4;
		strbuf_addf(out, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.0f</text>\n",
			    PAD_L - 8, y_of(v, max) + 5, v);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%lld</text>\n",
			    x_of(s, (double)(s->bucket_ticks * SCORECARD_BUCKETS) * i / 4), H - PAD_B + 22,
			    (long long)(s->bucket_ticks * SCORECARD_BUCKETS * i / 4));
	}
	strbuf_addf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s per %lld ticks</text>\n", PAD_L + 6,
		    PAD_T - 10, what, (long long)s->bucket_ticks);
}

static void markers(struct strbuf *out, const struct scorecard *s)
{
	double last = -1000;
	size_t i;
	for (i = 0; i < s->nmarkers; i++) {
		double x = x_of(s, (double)s->markers[i].tick);
		/* A label close to the one before goes on the other side of its line. */
		double tx = x - last < 24 ? x - 4 : x + 14;
		last = x;
		strbuf_addf(out, "<g class=\"marker\" data-marker=\"");
		xml_add_escaped(out, s->markers[i].label);
		strbuf_addf(out, "\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
				 "<text x=\"%.1f\" y=\"%d\" transform=\"rotate(-90 %.1f %d)\">",
			    x, PAD_T, x, H - PAD_B, tx, H - PAD_B - 6, tx, H - PAD_B - 6);
		xml_add_escaped(out, s->markers[i].label);
		strbuf_addf(out, " (%lld)</text></g>\n", (long long)s->markers[i].tick);
	}
}

static void polyline(struct strbuf *out, const struct scorecard *s, const uint64_t *v, double max,
		     const char *colour, const char *cls)
{
	int b;
	strbuf_addf(out, "<polyline class=\"%s\" stroke=\"%s\" points=\"", cls, colour);
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		strbuf_addf(out, "%s%.1f,%.1f", b ? " " : "", x_of(s, (double)(b * s->bucket_ticks) + s->bucket_ticks / 2.0),
			    y_of((double)v[b], max));
	strbuf_addstr(out, "\"/>\n");
}

/* The largest bucket of s's series: the plot's height. */
static double series_max(const struct scorecard *s)
{
	double max = 1;
	size_t v;
	int b;
	for (v = 0; v < s->nversions; v++)
		for (b = 0; b < SCORECARD_BUCKETS; b++) {
			if (s->series_committed[v][b] > max)
				max = (double)s->series_committed[v][b];
			if (s->series_failed[v][b] > max)
				max = (double)s->series_failed[v][b];
		}
	return max;
}

static void timeline_max(struct strbuf *out, const struct scorecard *s, double max, const char *id)
{
	size_t v;

	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" viewBox=\"0 0 %d %d\" "
			 "role=\"img\" aria-label=\"transactions over time\">\n", id, W, H);
	axes(out, s, max, "transactions");
	for (v = 0; v < s->nversions; v++) {
		const char *c = palette[v % (sizeof(palette) / sizeof(palette[0]))];
		polyline(out, s, s->series_committed[v], max, c, "committed");
		polyline(out, s, s->series_failed[v], max, c, "failed");
	}
	markers(out, s);
	strbuf_addstr(out, "</svg>\n<p class=\"legend\">");
	for (v = 0; v < s->nversions; v++) {
		const char *c = palette[v % (sizeof(palette) / sizeof(palette[0]))];
		strbuf_addf(out, "<span style=\"color:%s\">&#9472;&#9472; ", c);
		xml_add_escaped(out, s->versions[v]);
		strbuf_addf(out, " committed</span> <span style=\"color:%s\">- - ", c);
		xml_add_escaped(out, s->versions[v]);
		strbuf_addstr(out, " failed</span> ");
	}
	strbuf_addstr(out, "</p>\n");
}

static void timeline(struct strbuf *out, const struct scorecard *s)
{
	timeline_max(out, s, series_max(s), "timeline");
}

static void blocked_plot(struct strbuf *out, const struct scorecard *s)
{
	double max = 1, bw = (double)(W - PAD_L - PAD_R) / SCORECARD_BUCKETS;
	int b;
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		if (s->series_blocked[b] > max)
			max = (double)s->series_blocked[b];
	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"blocked\" viewBox=\"0 0 %d %d\" "
			 "role=\"img\" aria-label=\"blocked ticks over time\">\n", W, H);
	axes(out, s, max, "all writers' blocked ticks (on SQLite, mostly queueing for its one write lock)");
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		if (s->series_blocked[b])
			strbuf_addf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
				    PAD_L + b * bw, y_of((double)s->series_blocked[b], max), bw - 1,
				    H - PAD_B - y_of((double)s->series_blocked[b], max));
	markers(out, s);
	strbuf_addstr(out, "</svg>\n");
}

/*
** The fix's repeated statements: rows backfilled so far over the drill's
** ticks, one solid line that reads in black and white.  A backfill that
** converges flattens out before the fix ends; one that does not climbs
** until its limit of runs.
*/
static void backfill_plot(struct strbuf *out, const struct scorecard *s)
{
	const struct sc_backfill *bf = &s->backfill;
	double max = bf->rows > 0 ? (double)bf->rows : 1, cum = 0;
	int b;

	strbuf_addf(out, "<h2>Backfill</h2>\n<p id=\"backfill-summary\">Statement %d of the fix ran %llu "
			 "times (at most %d) and changed %llu rows: %s.</p>\n", bf->statement,
		    (unsigned long long)bf->runs, bf->max_runs, (unsigned long long)bf->rows,
		    bf->converged ? "it converged, its last run changed no rows"
				  : "it did not converge");
	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"backfill\" viewBox=\"0 0 %d %d\" "
			 "role=\"img\" aria-label=\"rows backfilled over time\">\n", W, H);
	axes(out, s, max, "rows backfilled so far, one point");
	strbuf_addf(out, "<polyline class=\"backfill\" stroke=\"%s\" points=\"%.1f,%.1f", palette[2],
		    x_of(s, 0), y_of(0, max));
	for (b = 0; b < SCORECARD_BUCKETS; b++) {
		cum += (double)bf->series[b];
		strbuf_addf(out, " %.1f,%.1f", x_of(s, (double)((b + 1) * s->bucket_ticks)), y_of(cum, max));
	}
	strbuf_addstr(out, "\"/>\n");
	markers(out, s);
	strbuf_addstr(out, "</svg>\n");
}

static void tables(struct strbuf *out, const struct scorecard *s)
{
	size_t i;
	int ph, w;

	strbuf_addstr(out, "<h2>Transactions by phase</h2>\n<table><tr><th>version</th>");
	for (ph = 0; ph < PH_COUNT; ph++)
		strbuf_addf(out, "<th>%s</th>", phase_name(ph));
	strbuf_addstr(out, "</tr>\n");
	for (i = 0; i < s->nversions; i++) {
		strbuf_addstr(out, "<tr><td>");
		xml_add_escaped(out, s->versions[i]);
		strbuf_addstr(out, "</td>");
		for (ph = 0; ph < PH_COUNT; ph++)
			strbuf_addf(out, "<td>%llu committed<br/><span class=\"%s\">%llu failed</span></td>",
				    (unsigned long long)s->committed[i][ph],
				    s->failed[i][ph] && ph == PH_AFTER ? "bad" : "dim",
				    (unsigned long long)s->failed[i][ph]);
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</table>\n<h2>Preservation</h2>\n<table id=\"preservation\"><tr><th>written</th>"
		      "<th>expected</th><th>preserved</th><th>lost rows</th><th>lost fields</th>"
		      "<th>corrupted</th><th>phantom</th><th>ratio</th></tr>\n");
	for (w = 0; w <= OW_COUNT; w++) {
		const struct oracle_counts *c = w < OW_COUNT ? &s->win[w] : &s->total;
		double ratio = w < OW_COUNT ? oracle_counts_ratio(c) : s->ratio;
		strbuf_addf(out, "<tr%s><td>%s</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td>"
				 "<td>%llu</td><td>%.4f</td></tr>\n", w == OW_COUNT ? " class=\"total\"" : "",
			    w < OW_COUNT ? oracle_window_name(w) : "total", (unsigned long long)c->expected,
			    (unsigned long long)c->n[OC_PRESERVED], (unsigned long long)c->n[OC_LOST_ROW],
			    (unsigned long long)c->n[OC_LOST_FIELD], (unsigned long long)c->n[OC_CORRUPTED],
			    (unsigned long long)c->n[OC_PHANTOM], ratio);
	}
	strbuf_addstr(out, "</table>\n");
	if (s->nexamples) {
		strbuf_addf(out, "<h2>What was lost</h2>\n<p>The first %zu of %llu facts not preserved%s.</p>\n"
				 "<table id=\"findings\"><tr><th>class</th><th>written</th><th>row</th><th>field</th>"
				 "<th>expected</th><th>found</th></tr>\n", s->nexamples,
			    (unsigned long long)s->nfindings,
			    s->nfindings > s->nexamples ? "; the JSON and the terminal tell the same" : "");
		for (i = 0; i < s->nexamples; i++) {
			const struct sc_example *e = &s->examples[i];
			strbuf_addf(out, "<tr><td>%s</td><td>%s</td><td>", oracle_class_name(e->cls),
				    oracle_window_name(e->window));
			xml_add_escaped(out, e->table);
			strbuf_addstr(out, "[");
			xml_add_escaped(out, e->key);
			strbuf_addstr(out, "]</td><td>");
			xml_add_escaped(out, e->field);
			strbuf_addstr(out, "</td><td><code>");
			xml_add_escaped(out, e->expected);
			strbuf_addstr(out, "</code></td><td><code>");
			if (e->found_absent)
				strbuf_addstr(out, "(no row)");
			else
				xml_add_escaped(out, e->found);
			strbuf_addstr(out, "</code></td></tr>\n");
		}
		strbuf_addstr(out, "</table>\n");
	}
	for (i = 0; i < s->nnotes; i++) {
		strbuf_addstr(out, "<p class=\"note\">");
		xml_add_escaped(out, s->notes[i]);
		strbuf_addstr(out, "</p>\n");
	}
}

static void head(struct strbuf *out, const char *title)
{
	strbuf_addstr(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\"/>\n<title>mdrill: ");
	xml_add_escaped(out, title);
	strbuf_addstr(out, "</title>\n<style>\n"
		      "body{font-family:sans-serif;font-size:20px;margin:2em;max-width:1100px;color:#111}\n"
		      "h1{font-size:34px}h2{font-size:26px;margin-top:1.5em}\n"
		      ".pass{color:#009E73}.fail,.bad{color:#D55E00;font-weight:bold}.dim{color:#666}\n"
		      "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 10px;text-align:right}\n"
		      "tr.total td{font-weight:bold}code{font-size:18px}svg{width:100%;height:auto}\n"
		      ".axis{stroke:#333;stroke-width:2}.tick{font-size:14px;fill:#333}\n"
		      "polyline{fill:none;stroke-width:3}polyline.failed{stroke-dasharray:8 6}\n"
		      ".marker line{stroke:#000;stroke-width:2;stroke-dasharray:2 4}.marker text{font-size:15px}\n"
		      ".bar{fill:#E69F00;stroke:#000;stroke-width:0.5}.note{font-style:italic}\n"
		      ".pair{display:flex;gap:1em}.pair div{flex:1}\n"
		      "</style>\n</head>\n<body>\n");
}

void report_html_render(const struct scorecard *s, struct strbuf *out, unsigned flags)
{
	size_t i;
	(void)flags;
	head(out, s->scenario);
	strbuf_addstr(out, "<h1>");
	xml_add_escaped(out, s->scenario);
	strbuf_addf(out, ": <span class=\"%s\" id=\"verdict\">%s</span>, score %d/100</h1>\n",
		    s->pass ? "pass" : "fail", s->pass ? "PASS" : "FAIL", s->score);
	strbuf_addstr(out, "<p>");
	xml_add_escaped(out, s->title);
	strbuf_addf(out, "<br/>engine %s%s, seed %llu; %s", s->engine, s->concurrent ? " (concurrent)" : "",
		    (unsigned long long)s->seed, scorecard_own_down(s) ? "the scenario's down migration"
					 : s->fix_is_down ? "down migration " : "fix ");
	if (!scorecard_own_down(s)) {
		strbuf_addstr(out, "<code>");
		xml_add_escaped(out, s->fix.label);
		strbuf_addstr(out, "</code>");
	}
	strbuf_addf(out, ": %zu of %zu statements applied.</p>\n", s->fix.applied, s->fix.statements);
	if (s->nreasons) {
		strbuf_addstr(out, "<ul id=\"reasons\">\n");
		for (i = 0; i < s->nreasons; i++) {
			strbuf_addstr(out, "<li>");
			xml_add_escaped(out, s->reasons[i]);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul>\n");
	}
	strbuf_addstr(out, "<h2>Timeline</h2>\n");
	if (s->series_committed && s->bucket_ticks > 0)
		timeline(out, s);
	else
		strbuf_addstr(out, "<p class=\"note\">No traffic to plot.</p>\n");
	tables(out, s);
	strbuf_addf(out, "<h2>Blocked writers</h2>\n<p>Writers waited at most %lld ticks because of the fix "
			 "(%lld in all); the fix waited %lld ticks.</p>\n", (long long)s->blocked_max,
		    (long long)s->blocked_total, (long long)s->fix.waited);
	if (s->bucket_ticks > 0)
		blocked_plot(out, s);
	if (s->backfill.present && s->bucket_ticks > 0)
		backfill_plot(out, s);
	strbuf_addstr(out, "</body>\n</html>\n");
}

/*
** mdrill compare as a page: the down migration's run and the fix's, side
** by side on the same axes (one height for both), then the figures.
*/
void report_compare_html_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags)
{
	struct strbuf table = STRBUF_INIT;
	double max = series_max(down) > series_max(fix) ? series_max(down) : series_max(fix);

	(void)flags;
	head(out, fix->scenario);
	strbuf_addstr(out, "<h1>");
	xml_add_escaped(out, fix->scenario);
	strbuf_addf(out, ": the rollback <span class=\"%s\">%s</span>, the fix <span class=\"%s\" id=\"verdict\">"
			 "%s</span></h1>\n", down->pass ? "pass" : "fail", down->pass ? "PASS" : "FAIL",
		    fix->pass ? "pass" : "fail", fix->pass ? "PASS" : "FAIL");
	strbuf_addf(out, "<p>engine %s, seed %llu; the same seed for both runs.</p>\n", fix->engine,
		    (unsigned long long)fix->seed);
	strbuf_addstr(out, "<div class=\"pair\"><div><h2>Down migration</h2>\n");
	timeline_max(out, down, max, "timeline-down");
	strbuf_addstr(out, "</div><div><h2>Fix <code>");
	xml_add_escaped(out, fix->fix.label);
	strbuf_addstr(out, "</code></h2>\n");
	timeline_max(out, fix, max, "timeline-fix");
	strbuf_addstr(out, "</div></div>\n<h2>Side by side</h2>\n<pre>");
	report_compare_render(down, fix, &table, 0);
	xml_add_escaped(out, table.buf);
	strbuf_addstr(out, "</pre>\n</body>\n</html>\n");
	strbuf_release(&table);
}
