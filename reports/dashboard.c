/*
** The live drill's dashboard: what an on-call engineer watches while the
** incident runs, as a terminal screen, as one plain line a second where
** there is no terminal, and as a page for a projector that reloads itself.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
				    "\u2587", "\u2588" };

/* The last n values of v as a sparkline, scaled to its own maximum. */
static void sparkline(struct strbuf *out, const uint64_t *v, size_t n, size_t width)
{
	uint64_t max = 0;
	size_t i, from = n > width ? n - width : 0;
	for (i = from; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = n - from; i < width; i++)
		strbuf_addch(out, ' ');
	for (i = from; i < n; i++)
		strbuf_addstr(out, bars[max ? (v[i] * 8 + max - 1) / max : 0]);
}

static void seconds(struct strbuf *out, double s)
{
	if (s < 0)
		strbuf_addstr(out, "-");
	else if (s < 60)
		strbuf_addf(out, "%.0f s", s);
	else
		strbuf_addf(out, "%d min %02d s", (int)(s / 60), (int)s % 60);
}

/* One action as the dashboard lists it. */
static void action_line(struct strbuf *out, const struct live *l, size_t i, double speed)
{
	const struct live_action *a = &l->actions[i];
	const struct mig_report *r;
	enum live_outcome o = live_outcome(l, i, &r);

	strbuf_addf(out, "  [%6.1f s, tick %lld] ", speed > 0 ? (double)a->tick / speed : 0, (long long)a->tick);
	switch (a->kind) {
	case LIVE_APPLY:
	case LIVE_DOWN:
		strbuf_addf(out, "%s %s: ", a->kind == LIVE_APPLY ? "apply" : "down", a->kind == LIVE_APPLY ? a->what : "migration");
		if (o == LIVE_RUNNING)
			strbuf_addf(out, "running, %zu of %zu statements", r ? r->applied : 0, r ? r->nstmts : 0);
		else if (o == LIVE_APPLIED)
			strbuf_addf(out, "applied, %zu statements, ticks %lld to %lld", r ? r->nstmts : 0,
				    (long long)(r ? r->start : -1), (long long)(r ? r->end : -1));
		else
			strbuf_addf(out, "FAILED at statement %d: %s", r->failed, r->error ? r->error : "");
		break;
	case LIVE_FLAG:
		strbuf_addf(out, "flag %s %s", a->what, a->on ? "on" : "off");
		break;
	case LIVE_OUTSIDE:
		strbuf_addstr(out, "outside change: the schema changed, not by mdrill");
		break;
	case LIVE_END:
		strbuf_addf(out, "end (%s)", a->what);
		break;
	}
	strbuf_addch(out, '\n');
}

void report_dashboard_render(const struct dashboard *db, struct strbuf *out, unsigned flags)
{
	const struct live *l = db->live;
	const struct live_sample *s = &l->sample;
	const struct scenario *sc = l->sc;
	const char *bold = "", *red = "", *green = "", *dim = "", *off = "";
	double since = s->incident_tick >= 0 && db->speed > 0 ? (double)(s->tick - s->incident_tick) / db->speed : -1;
	size_t v, i;

	if (flags & REPORT_PLAIN) {
		strbuf_addf(out, "t=%.0fs tick=%lld", db->wall, (long long)s->tick);
		for (v = 0; v < s->nversions; v++)
			strbuf_addf(out, " %s ok=%llu/s failed=%llu/s", sc->apps[v].name,
				    (unsigned long long)s->committed[v], (unsigned long long)s->failed[v]);
		strbuf_addf(out, " waiting=%zu stranded=%llu actions=%zu", s->writers_waiting,
			    (unsigned long long)s->stranded, l->nactions);
		if (s->nerrors && s->errors[0].weight >= 0.5)
			strbuf_addf(out, " top=\"%s\"", s->errors[0].line);
		strbuf_addch(out, '\n');
		return;
	}
	if (flags & REPORT_COLOR) {
		bold = "\033[1m";
		red = "\033[31m";
		green = "\033[32m";
		dim = "\033[2m";
		off = "\033[0m";
	}
	if (flags & REPORT_SCREEN)
		strbuf_addstr(out, "\033[H\033[2J");
	strbuf_addf(out, "%smdrill drill%s  %s%s%s  on %s   ", bold, off, db->scenario,
		    db->team ? "   team " : "", db->team ? db->team : "", db_name(l->drv));
	seconds(out, db->wall);
	strbuf_addf(out, "  (tick %lld, %.0f ticks/s)\n", (long long)s->tick, db->speed);
	strbuf_addstr(out, "incident: ");
	if (since < 0)
		strbuf_addstr(out, "none yet");
	else {
		strbuf_addf(out, "%s", red);
		seconds(out, since);
		strbuf_addf(out, " ago%s", off);
	}
	strbuf_addf(out, "   writers waiting: %zu   facts written since the incident: %llu\n\n",
		    s->writers_waiting, (unsigned long long)s->stranded);
	strbuf_addf(out, "%-8s %-42s %s\n", "app", "committed per second", "failed per second");
	for (v = 0; v < s->nversions; v++) {
		strbuf_addf(out, "%-8s %s", sc->apps[v].name, green);
		sparkline(out, s->history_ok[v], s->nhistory, 30);
		/* A sample covers a wall second. */
		strbuf_addf(out, "%s %6llu/s   %s", off, (unsigned long long)s->committed[v], red);
		sparkline(out, s->history_failed[v], s->nhistory, 30);
		strbuf_addf(out, "%s %6llu/s\n", off, (unsigned long long)s->failed[v]);
	}
	strbuf_addf(out, "\n%serrors the application logs, most frequent lately:%s\n", bold, off);
	for (i = 0; i < s->nerrors && i < LIVE_TOP; i++)
		strbuf_addf(out, "  %7llu  %s\n", (unsigned long long)s->errors[i].total, s->errors[i].line);
	if (!s->nerrors)
		strbuf_addf(out, "  %snone%s\n", dim, off);
	strbuf_addf(out, "\n%sactions:%s\n", bold, off);
	for (i = 0; i < l->nactions; i++)
		action_line(out, l, i, db->speed);
	if (!l->nactions)
		strbuf_addf(out, "  %snone yet%s\n", dim, off);
	strbuf_addf(out, "\n%sdatabase:%s %s\n", bold, off, db->database);
	strbuf_addf(out, "%steam:%s mdrill drill apply FILE|DIR, flag NAME off|on, down, status, end\n", bold, off);
	if (db->control)
		strbuf_addf(out, "%scontrol socket:%s %s\n", bold, off, db->control);
	if (db->footer)
		strbuf_addf(out, "\n%s", db->footer);
}

/* v as an SVG polyline over a width x height box. */
static void svg_line(struct strbuf *out, const uint64_t *v, size_t n, uint64_t max, int width, int height,
		     const char *cls)
{
	size_t i;
	strbuf_addf(out, "<polyline class=\"%s\" points=\"", cls);
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s%.1f,%.1f", i ? " " : "", n > 1 ? (double)i * width / (double)(n - 1) : 0.0,
			    height - (max ? (double)v[i] * (height - 4) / (double)max : 0.0) - 2);
	strbuf_addstr(out, "\"/>");
}

void report_dashboard_html_render(const struct dashboard *db, struct strbuf *out, unsigned flags)
{
	const struct live *l = db->live;
	const struct live_sample *s = &l->sample;
	const struct scenario *sc = l->sc;
	double since = s->incident_tick >= 0 && db->speed > 0 ? (double)(s->tick - s->incident_tick) / db->speed : -1;
	size_t v, i;

	(void)flags;
	strbuf_addstr(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
			   "<meta charset=\"utf-8\"/><meta http-equiv=\"refresh\" content=\"1\"/>"
			   "<title>mdrill drill</title><style>\n"
			   "body{font-family:sans-serif;font-size:22px;margin:1.5em;color:#111;background:#fff}\n"
			   "h1{font-size:36px;margin:.2em 0}.big{font-size:44px;font-weight:bold}\n"
			   ".ok{stroke:#0072B2}.failed{stroke:#D55E00}polyline{fill:none;stroke-width:3}\n"
			   ".okt{color:#0072B2}.failedt{color:#D55E00;font-weight:bold}\n"
			   "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 10px;text-align:left}\n"
			   "svg{background:#f6f6f6}code{font-size:20px}\n"
			   "</style></head><body>\n<h1>");
	xml_add_escaped(out, db->scenario);
	if (db->team) {
		strbuf_addstr(out, ": team ");
		xml_add_escaped(out, db->team);
	}
	strbuf_addf(out, "</h1>\n<p>on %s, %.0f s in, tick %lld</p>\n", db_name(l->drv), db->wall, (long long)s->tick);
	strbuf_addstr(out, "<p>incident: <span class=\"big failedt\" id=\"incident\">");
	if (since < 0)
		strbuf_addstr(out, "none yet");
	else
		strbuf_addf(out, "%.0f s", since);
	strbuf_addf(out, "</span> &#160; writers waiting: <span class=\"big\" id=\"waiting\">%zu</span> &#160; "
			 "facts at risk: <span class=\"big\" id=\"stranded\">%llu</span></p>\n",
		    s->writers_waiting, (unsigned long long)s->stranded);
	strbuf_addstr(out, "<table><tr><th>app</th><th>committed per second</th><th>failed per second</th></tr>\n");
	for (v = 0; v < s->nversions; v++) {
		uint64_t max = 1;
		for (i = 0; i < s->nhistory; i++) {
			if (s->history_ok[v][i] > max)
				max = s->history_ok[v][i];
			if (s->history_failed[v][i] > max)
				max = s->history_failed[v][i];
		}
		strbuf_addstr(out, "<tr><td>");
		xml_add_escaped(out, sc->apps[v].name);
		strbuf_addstr(out, "</td><td><svg width=\"320\" height=\"60\" viewBox=\"0 0 320 60\">");
		svg_line(out, s->history_ok[v], s->nhistory, max, 320, 60, "ok");
		strbuf_addf(out, "</svg> <span class=\"okt\">%llu/s</span></td><td><svg width=\"320\" height=\"60\" "
				 "viewBox=\"0 0 320 60\">", (unsigned long long)s->committed[v]);
		svg_line(out, s->history_failed[v], s->nhistory, max, 320, 60, "failed");
		strbuf_addf(out, "</svg> <span class=\"failedt\">%llu/s</span></td></tr>\n",
			    (unsigned long long)s->failed[v]);
	}
	strbuf_addstr(out, "</table>\n<h2>Errors, most frequent lately</h2>\n<ul id=\"errors\">\n");
	for (i = 0; i < s->nerrors && i < LIVE_TOP; i++) {
		strbuf_addf(out, "<li>%llu &#215; <code>", (unsigned long long)s->errors[i].total);
		xml_add_escaped(out, s->errors[i].line);
		strbuf_addstr(out, "</code></li>\n");
	}
	strbuf_addstr(out, "</ul>\n<h2>Actions</h2>\n<ul id=\"actions\">\n");
	for (i = 0; i < l->nactions; i++) {
		struct strbuf line = STRBUF_INIT;
		action_line(&line, l, i, db->speed);
		strbuf_rtrim(&line);
		strbuf_addstr(out, "<li>");
		xml_add_escaped(out, line.buf);
		strbuf_addstr(out, "</li>\n");
		strbuf_release(&line);
	}
	if (!l->nactions)
		strbuf_addstr(out, "<li>none yet</li>\n");
	strbuf_addstr(out, "</ul>\n</body></html>\n");
}
