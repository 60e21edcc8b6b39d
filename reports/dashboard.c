/*
** The live drill's dashboard: what an on-call engineer watches while the
** incident runs, as a terminal screen, as one plain line a second where
** there is no terminal, as a page for a projector that reloads itself
** (and, once the drill has ended, shows the verdict and stops), and as
** JSON for scripts ('mdrill drill status --json') and the workshop board.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
				    "\u2587", "\u2588" };

#define SPARK_COLS 30      /* columns of a sparkline: the screen fits 90 columns */
#define BEFORE_S 60        /* seconds before the incident a chart keeps */

/* m:ss, or h:mm:ss */
static void clock_text(struct strbuf *out, double s)
{
	long t = s > 0 ? (long)s : 0;
	if (t >= 3600)
		strbuf_addf(out, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		strbuf_addf(out, "%ld:%02ld", t / 60, t % 60);
}

/* A duration in words: "45 s", "2 min 05 s". */
static void seconds(struct strbuf *out, double s)
{
	if (s < 0)
		strbuf_addstr(out, "-");
	else if (s < 60)
		strbuf_addf(out, "%.0f s", s);
	else
		strbuf_addf(out, "%d min %02d s", (int)(s / 60), (int)s % 60);
}

/* n with thousands apart: 1,612 */
static void count_text(struct strbuf *out, uint64_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n), i;
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			strbuf_addch(out, ',');
		strbuf_addch(out, digits[i]);
	}
}

static double tps_of(const struct dashboard *db)
{
	return db->speed > 0 ? db->speed : 100;
}

/* Seconds from the start of the drill to tick. */
static double at_s(const struct dashboard *db, int64_t tick)
{
	return (double)tick / tps_of(db);
}

/* Whole seconds left, counted up: "0:01 left" until the time is out. */
static double left_s(const struct dashboard *db)
{
	double left = db->limit - db->wall;
	return left > 0 ? (double)(long)(left + 0.999) : 0;
}

/*
** The window the rate charts show: from a minute before the incident
** (or the last minute, before one) to the last whole second, in columns
** of per seconds each.
*/
struct window {
	size_t from, to;          /* seconds [from, to) */
	size_t per, ncols;
	long incident_col;        /* the column the incident falls in, -1 */
	double before[LIVE_VERSIONS];  /* committed per second in the minute before the incident, -1 (live_sample's) */
	double max;               /* the largest value any chart shows: their one scale */
};

static double column_value(const struct live_sample *s, const uint64_t *series, const struct window *w, size_t c)
{
	size_t a = w->from + c * w->per, b = a + w->per, k;
	uint64_t sum = 0;
	(void)s;
	if (b > w->to)
		b = w->to;
	for (k = a; k < b; k++)
		sum += series[k];
	return b > a ? (double)sum / (double)(b - a) : 0;
}

static void rate_window(const struct dashboard *db, struct window *w, size_t cols)
{
	const struct live_sample *s = &db->live->sample;
	long inc = s->incident_tick >= 0 ? (long)at_s(db, s->incident_tick) : -1;
	size_t v, c;

	memset(w, 0, sizeof(*w));
	w->incident_col = -1;
	w->to = s->nseconds > 1 ? s->nseconds - 1 : 0;
	if (inc >= 0 && (size_t)inc > w->to)
		inc = (long)w->to;
	w->from = inc >= 0 ? (inc > BEFORE_S ? (size_t)inc - BEFORE_S : 0) : (w->to > BEFORE_S ? w->to - BEFORE_S : 0);
	w->per = w->to > w->from ? (w->to - w->from + cols - 1) / cols : 1;
	w->ncols = w->to > w->from ? (w->to - w->from + w->per - 1) / w->per : 0;
	if (inc >= 0 && w->ncols)
		w->incident_col = (long)(((size_t)inc - w->from) / w->per);
	for (v = 0; v < LIVE_VERSIONS; v++) {
		w->before[v] = v < s->nversions ? s->before[v] : -1;
		if (w->before[v] > w->max)
			w->max = w->before[v];
	}
	for (v = 0; v < s->nversions; v++)
		for (c = 0; c < w->ncols; c++) {
			double ok = column_value(s, s->ok[v], w, c), bad = column_value(s, s->failed[v], w, c);
			if (ok > w->max)
				w->max = ok;
			if (bad > w->max)
				w->max = bad;
		}
}

/* One series as a sparkline on the window's scale. */
static void sparkline(struct strbuf *out, const struct live_sample *s, const uint64_t *series,
		      const struct window *w)
{
	size_t c;
	for (c = 0; c < SPARK_COLS - w->ncols; c++)
		strbuf_addch(out, ' ');
	for (c = 0; c < w->ncols; c++) {
		double v = column_value(s, series, w, c);
		int level = w->max > 0 ? (int)(v * 8 / w->max + 0.999) : 0;
		strbuf_addstr(out, bars[level > 8 ? 8 : level]);
	}
}

/* The last whole second's count of series. */
static uint64_t last_second(const struct live_sample *s, const uint64_t *series)
{
	return s->nseconds > 1 ? series[s->nseconds - 2] : 0;
}

/* Failed share over the last ten whole seconds of version v, -1 with nothing. */
static double failure_rate(const struct live_sample *s, size_t v)
{
	uint64_t ok = 0, bad = 0;
	size_t k, to = s->nseconds > 1 ? s->nseconds - 1 : 0, from = to > 10 ? to - 10 : 0;
	for (k = from; k < to; k++) {
		ok += s->ok[v][k];
		bad += s->failed[v][k];
	}
	return ok + bad ? (double)bad / (double)(ok + bad) : -1;
}

/* Facts lost now, by cause: "the down migration 1,600; v1's writes after it 12". */
static void lost_by(struct strbuf *out, const struct live *l)
{
	size_t *order = loss_order(&l->loss), i;
	int first = 1;
	for (i = 0; i < l->loss.ncauses; i++) {
		size_t k = order[i];
		if (!l->loss.look_now[k])
			continue;
		strbuf_addstr(out, first ? "" : "; ");
		strbuf_addf(out, "%s ", l->loss.causes[k].label);
		count_text(out, l->loss.look_now[k]);
		first = 0;
	}
	free(order);
}

/* What action i lost: facts found lost at it (its own cause). */
static uint64_t action_lost(const struct live *l, size_t i)
{
	long c = l->actions[i].cause;
	return c >= 0 ? l->loss.causes[c].lost : 0;
}

/* One action as the dashboard lists it. */
static void action_line(struct strbuf *out, const struct live *l, size_t i, double speed)
{
	const struct live_action *a = &l->actions[i];
	const struct mig_report *r;
	enum live_outcome o = live_outcome(l, i, &r);
	uint64_t lost = action_lost(l, i);

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
	if (lost) {
		strbuf_addstr(out, "; lost ");
		count_text(out, lost);
		strbuf_addstr(out, lost == 1 ? " fact" : " facts");
	}
	strbuf_addch(out, '\n');
}

/* "the incident began 1 min 55 s ago" and, once failures are back to normal, since when. */
static void incident_text(struct strbuf *out, const struct dashboard *db, const char *red, const char *green,
			  const char *off)
{
	const struct live_sample *s = &db->live->sample;
	double now = at_s(db, s->tick);

	if (s->incident_tick < 0) {
		strbuf_addstr(out, "none yet");
		return;
	}
	if (s->recovered_tick >= 0) {
		strbuf_addf(out, "%srecovered%s ", green, off);
		seconds(out, at_s(db, s->recovered_tick - s->incident_tick));
		strbuf_addstr(out, " after the bad migration (at ");
		clock_text(out, at_s(db, s->recovered_tick));
		strbuf_addstr(out, "): failures no higher than before it since");
		return;
	}
	strbuf_addf(out, "%sfailing for ", red);
	seconds(out, now - at_s(db, s->incident_tick));
	strbuf_addf(out, "%s (the bad migration began at ", off);
	clock_text(out, at_s(db, s->incident_tick));
	strbuf_addch(out, ')');
}

void report_dashboard_render(const struct dashboard *db, struct strbuf *out, unsigned flags)
{
	const struct live *l = db->live;
	const struct live_sample *s = &l->sample;
	const struct scenario *sc = l->sc;
	const char *bold = "", *red = "", *green = "", *dim = "", *off = "";
	struct window w;
	size_t v, i;

	if (flags & REPORT_PLAIN) {
		strbuf_addf(out, "t=%.0fs tick=%lld", db->wall, (long long)s->tick);
		for (v = 0; v < s->nversions; v++)
			strbuf_addf(out, " %s ok=%llu/s failed=%llu/s", sc->apps[v].name,
				    (unsigned long long)last_second(s, s->ok[v]),
				    (unsigned long long)last_second(s, s->failed[v]));
		strbuf_addf(out, " left=%.0fs lost=%llu at_risk=%llu waiting=%zu", left_s(db),
			    (unsigned long long)l->loss.look_lost, (unsigned long long)live_at_risk(l),
			    s->writers_waiting);
		if (s->recovered_tick >= 0)
			strbuf_addf(out, " recovered=%.0fs", at_s(db, s->recovered_tick));
		strbuf_addf(out, " actions=%zu", l->nactions);
		if (s->nerrors)
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
	strbuf_addf(out, "%smdrill drill%s  %s%s%s  on %s\n", bold, off, db->scenario,
		    db->team ? "   team " : "", db->team ? db->team : "", db_name(l->drv));
	strbuf_addf(out, "%sclock:%s    ", bold, off);
	clock_text(out, db->wall);
	strbuf_addstr(out, " elapsed, ");
	strbuf_addf(out, "%s", left_s(db) <= 60 ? red : "");
	clock_text(out, left_s(db));
	strbuf_addf(out, " left%s of ", left_s(db) <= 60 ? off : "");
	clock_text(out, db->limit);
	strbuf_addf(out, "   %s(tick %lld, %.0f ticks/s)%s\n", dim, (long long)s->tick, db->speed, off);
	if (db->limit - db->wall <= 60 && !db->ending) {
		strbuf_addf(out, "%s%sLESS THAN A MINUTE LEFT: the drill ends at ", bold, red);
		clock_text(out, db->limit);
		strbuf_addf(out, " whatever the team has done%s\n", off);
	}
	if (db->ending)
		strbuf_addf(out, "%sthe drill is ending: a cool-down, then the probes and the verdict%s\n", bold, off);
	strbuf_addf(out, "%sincident:%s ", bold, off);
	incident_text(out, db, red, green, off);
	strbuf_addf(out, "\n%sfacts lost:%s ", bold, off);
	if (!l->loss.looked) {
		strbuf_addstr(out, "not looked at yet");
	} else {
		strbuf_addf(out, "%s", l->loss.look_lost ? red : "");
		count_text(out, l->loss.look_lost);
		strbuf_addf(out, "%s", l->loss.look_lost ? off : "");
		if (l->loss.look_lost) {
			strbuf_addstr(out, " (");
			lost_by(out, l);
			strbuf_addch(out, ')');
		}
		strbuf_addf(out, " %sas of ", dim);
		clock_text(out, at_s(db, l->loss.look_tick));
		strbuf_addf(out, "%s", off);
	}
	strbuf_addf(out, "\n%sfacts at risk:%s ", bold, off);
	count_text(out, live_at_risk(l));
	strbuf_addf(out, " %s(written since the incident%s, still readable)%s\n", dim,
		    s->risk_to >= 0 ? " until the first fix" : "", off);
	strbuf_addf(out, "%swriters waiting%s on a migration's or a team's lock: ", bold, off);
	if (s->writers_waiting) {
		strbuf_addf(out, "%s%zu%s, the longest for ", red, s->writers_waiting, off);
		seconds(out, at_s(db, s->longest_wait));
		strbuf_addch(out, '\n');
	} else {
		strbuf_addstr(out, "none\n");
	}

	rate_window(db, &w, SPARK_COLS);
	strbuf_addf(out, "\n%stransactions per second%s %s(one scale: a full bar is %.0f/s", bold, off, dim, w.max);
	if (w.ncols) {
		strbuf_addf(out, "; %zu s a column, ", w.per);
		clock_text(out, (double)w.from);
		strbuf_addstr(out, " to ");
		clock_text(out, (double)w.to);
	}
	strbuf_addf(out, ")%s\n", off);
	strbuf_addf(out, "%-8s %-*s %-8s %-*s %s\n", "app", SPARK_COLS, "committed", "now", SPARK_COLS, "failed", "now");
	for (v = 0; v < s->nversions; v++) {
		strbuf_addf(out, "%-8s %s", sc->apps[v].name, green);
		sparkline(out, s, s->ok[v], &w);
		strbuf_addf(out, "%s %5llu/s  %s", off, (unsigned long long)last_second(s, s->ok[v]), red);
		sparkline(out, s, s->failed[v], &w);
		strbuf_addf(out, "%s %5llu/s\n", off, (unsigned long long)last_second(s, s->failed[v]));
	}
	if (w.incident_col >= 0) {
		/* Under the committed column: where the incident began. */
		size_t pad = 9 + SPARK_COLS - w.ncols + (size_t)w.incident_col;
		strbuf_addf(out, "%*s%s^ the incident%s\n", (int)pad, "", dim, off);
	}
	/* The reference: what each version committed before it. */
	for (v = 0, i = 0; v < s->nversions; v++) {
		if (w.before[v] < 0)
			continue;
		if (!i++)
			strbuf_addf(out, "%scommitted per second before the incident: ", dim);
		else
			strbuf_addstr(out, ", ");
		strbuf_addf(out, "%s %.0f/s", sc->apps[v].name, w.before[v]);
	}
	if (i)
		strbuf_addf(out, "%s\n", off);
	strbuf_addf(out, "\n%serrors in the last %d s%s %s(count, last seen):%s\n", bold, LIVE_ERROR_WINDOW, off, dim,
		    off);
	for (i = 0; i < s->nerrors && i < LIVE_TOP; i++) {
		strbuf_addf(out, "  %7llu  ", (unsigned long long)s->errors[i].count);
		seconds(out, at_s(db, s->tick - s->errors[i].last_tick));
		strbuf_addf(out, " ago  %s\n", s->errors[i].line);
	}
	if (!s->nerrors)
		strbuf_addf(out, "  %snone%s\n", dim, off);
	strbuf_addf(out, "\n%sactions:%s\n", bold, off);
	for (i = 0; i < l->nactions; i++)
		action_line(out, l, i, db->speed);
	if (!l->nactions)
		strbuf_addf(out, "  %snone yet%s\n", dim, off);
	strbuf_addf(out, "\n%sdatabase:%s %s\n", bold, off, db->database);
	strbuf_addf(out, "%steam:%s mdrill drill apply FILE|DIR, flag NAME off|on, down, status, end "
		    "(each with --help)\n", bold, off);
	strbuf_addf(out, "%sa fix can read%s backup.TABLE: each table as it was just before the bad migration\n",
		    bold, off);
	if (db->control)
		strbuf_addf(out, "%scontrol socket:%s %s\n", bold, off, db->control);
	if (db->footer)
		strbuf_addf(out, "\n%s", db->footer);
}

/*
** Version v's rates as an SVG chart on the window's one scale: committed
** solid, failed dashed, what was committed before the incident as a thin
** reference line, the incident as a vertical one.
*/
static void svg_chart(struct strbuf *out, const struct dashboard *db, const struct window *w, size_t v)
{
	const struct live_sample *s = &db->live->sample;
	const int width = 560, height = 110, pad_l = 52, pad_b = 18, top = 8;
	double max = w->max > 0 ? w->max : 1, x0 = pad_l, xw = width - pad_l - 8, yh = height - pad_b - top;
	size_t c;
	int pass;

#define X(col) (x0 + (w->ncols > 1 ? (double)(col) * xw / (double)(w->ncols - 1) : 0.0))
#define Y(val) (top + yh - (val) * yh / max)
	strbuf_addf(out, "<svg class=\"rate\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", width, height,
		    width, height);
	strbuf_addf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x0, top + yh,
		    x0 + xw, top + yh);
	strbuf_addf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>", x0, top, x0, top + yh);
	strbuf_addf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%.0f/s</text>", x0 - 4,
		    top + 10, w->max);
	strbuf_addf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">0</text>", x0 - 4, top + yh);
	if (w->ncols) {
		struct strbuf t = STRBUF_INIT;
		clock_text(&t, (double)w->from);
		strbuf_addf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>", x0, height - 3, t.buf);
		strbuf_reset(&t);
		clock_text(&t, (double)w->to);
		strbuf_addf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%s</text>", x0 + xw,
			    height - 3, t.buf);
		strbuf_release(&t);
	}
	if (w->incident_col >= 0) {
		strbuf_addf(out, "<line class=\"incident\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>",
			    X(w->incident_col), top, X(w->incident_col), top + yh);
		strbuf_addf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">incident</text>", X(w->incident_col) + 4,
			    top + 10);
	}
	if (w->before[v] > 0) {
		/* Its label above the line, or below it where the line runs along the top. */
		double ly = Y(w->before[v]) - 4 < top + 12 ? Y(w->before[v]) + 14 : Y(w->before[v]) - 4;
		strbuf_addf(out, "<line class=\"before\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
				 "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">before the incident "
				 "%.0f/s</text>", x0, Y(w->before[v]), x0 + xw, Y(w->before[v]), x0 + xw - 4, ly, w->before[v]);
	}
	for (pass = 0; pass < 2; pass++) {
		const uint64_t *series = pass ? s->failed[v] : s->ok[v];
		strbuf_addf(out, "<polyline class=\"%s\" points=\"", pass ? "failed" : "ok");
		for (c = 0; c < w->ncols; c++)
			strbuf_addf(out, "%s%.1f,%.1f", c ? " " : "", X(c), Y(column_value(s, series, w, c)));
		strbuf_addstr(out, "\"/>");
	}
	strbuf_addstr(out, "</svg>");
#undef X
#undef Y
}

static void page_head(struct strbuf *out, int reload)
{
	strbuf_addstr(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
			   "<meta charset=\"utf-8\"/>");
	if (reload)
		strbuf_addstr(out, "<meta http-equiv=\"refresh\" content=\"1\"/>");
	strbuf_addstr(out, "<title>mdrill drill</title><style>\n"
			   "body{font-family:sans-serif;font-size:22px;margin:1.2em;color:#111;background:#fff}\n"
			   "h1{font-size:34px;margin:.2em 0}h2{font-size:26px;margin:.8em 0 .3em}\n"
			   ".big{font-size:44px;font-weight:bold}.dim{color:#555}\n"
			   ".figs{display:flex;flex-wrap:wrap;gap:.4em 2.2em;margin:.4em 0}\n"
			   ".fig .n{font-size:44px;font-weight:bold;display:block}.fig .what{font-size:18px;color:#444}\n"
			   ".bad{color:#D55E00}.good{color:#009E73}.warn{background:#D55E00;color:#fff;padding:.2em .5em;"
			   "font-weight:bold}\n"
			   ".pass{color:#009E73}.fail{color:#D55E00}\n"
			   "svg.rate{background:#fafafa}.rate .ok{stroke:#0072B2;stroke-width:3;fill:none}\n"
			   ".rate .failed{stroke:#D55E00;stroke-width:3;fill:none;stroke-dasharray:8 4}\n"
			   ".rate .before{stroke:#0072B2;stroke-width:1.5;stroke-dasharray:2 4}\n"
			   ".rate .incident{stroke:#333;stroke-width:1.5;stroke-dasharray:5 3}\n"
			   ".rate .axis{stroke:#666;stroke-width:1}.rate .tick{font-size:13px;fill:#333}\n"
			   ".key{font-size:17px;color:#333}\n"
			   "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 10px;text-align:left}\n"
			   "td.n{text-align:right}code{font-size:19px}\n"
			   "</style></head><body>\n");
}

/* A figure of the page: a big number and what it is. */
static void fig(struct strbuf *out, const char *id, const char *cls, const char *value, const char *what)
{
	strbuf_addf(out, "<div class=\"fig\"><span class=\"n%s%s\" id=\"%s\">", cls ? " " : "", cls ? cls : "", id);
	xml_add_escaped(out, value);
	strbuf_addstr(out, "</span><span class=\"what\">");
	xml_add_escaped(out, what);
	strbuf_addstr(out, "</span></div>\n");
}

static void page_title(struct strbuf *out, const struct dashboard *db)
{
	strbuf_addstr(out, "<h1>");
	xml_add_escaped(out, db->scenario);
	if (db->team) {
		strbuf_addstr(out, ": team ");
		xml_add_escaped(out, db->team);
	}
	strbuf_addf(out, "</h1>\n<p class=\"dim\">on %s, tick %lld, %.0f ticks a second</p>\n", db_name(db->live->drv),
		    (long long)db->live->sample.tick, db->speed);
}

/* The losses by cause, as a list. */
static void page_losses(struct strbuf *out, const struct live *l)
{
	size_t *order = loss_order(&l->loss), i;
	strbuf_addstr(out, "<ul id=\"lost-by\">\n");
	for (i = 0; i < l->loss.ncauses; i++) {
		size_t k = order[i];
		struct strbuf n = STRBUF_INIT;
		if (!l->loss.look_now[k])
			continue;
		count_text(&n, l->loss.look_now[k]);
		strbuf_addf(out, "<li><b>%s</b> lost by ", n.buf);
		xml_add_escaped(out, l->loss.causes[k].label);
		strbuf_addstr(out, "</li>\n");
		strbuf_release(&n);
	}
	strbuf_addstr(out, "</ul>\n");
	free(order);
}

static void page_actions(struct strbuf *out, const struct dashboard *db)
{
	const struct live *l = db->live;
	size_t i;
	strbuf_addstr(out, "<h2>Actions</h2>\n<ul id=\"actions\">\n");
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
	strbuf_addstr(out, "</ul>\n");
}

/* The page once the drill has ended: the verdict, the figures, the report; no reloading. */
static void page_end(const struct dashboard *db, struct strbuf *out)
{
	const struct live *l = db->live;
	const struct scorecard *card = &l->res.card;
	const struct live_figures *f = &l->figures;
	struct strbuf v = STRBUF_INIT;
	size_t i;

	page_head(out, 0);
	page_title(out, db);
	strbuf_addf(out, "<p class=\"big\">the drill has ended: <span class=\"%s\" id=\"verdict\">%s</span>, "
			 "score <span id=\"score\">%d</span>/100</p>\n", card->pass ? "pass" : "fail",
		    card->pass ? "PASS" : "FAIL", card->score);
	strbuf_addf(out, "<p id=\"ended\">%s, after ", live_end_name(f->end_how));
	seconds(out, db->wall);
	strbuf_addstr(out, " of the ");
	seconds(out, db->limit);
	strbuf_addstr(out, " allowed.</p>\n");
	if (card->nreasons) {
		strbuf_addstr(out, "<ul id=\"reasons\">\n");
		for (i = 0; i < card->nreasons; i++) {
			strbuf_addstr(out, "<li>");
			xml_add_escaped(out, card->reasons[i]);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul>\n");
	}
	strbuf_addstr(out, "<div class=\"figs\">\n");
	count_text(&v, f->facts_lost);
	fig(out, "lost", f->facts_lost ? "bad" : "good", v.buf, "facts lost");
	strbuf_reset(&v);
	count_text(&v, f->stranded_max);
	fig(out, "stranded", NULL, v.buf, "facts at risk at the worst");
	strbuf_reset(&v);
	if (f->first_fix_tick >= 0)
		seconds(&v, (double)(f->first_fix_tick - f->incident_tick) / tps_of(db));
	else
		strbuf_addstr(&v, "none");
	fig(out, "to-fix", NULL, v.buf, "to the first fix");
	strbuf_reset(&v);
	if (f->recovery_tick >= 0)
		seconds(&v, (double)(f->recovery_tick - f->incident_tick) / tps_of(db));
	else
		strbuf_addstr(&v, "not recovered");
	fig(out, "to-recovery", f->recovery_tick >= 0 ? "good" : "bad", v.buf, "to recovery");
	strbuf_reset(&v);
	strbuf_addf(&v, "%d / %d", f->fixes_applied, f->fixes_failed);
	fig(out, "fixes", NULL, v.buf, "fixes applied / failed");
	strbuf_reset(&v);
	strbuf_addf(&v, "%d", f->downs);
	fig(out, "downs", f->downs ? "bad" : NULL, v.buf, "down migrations");
	strbuf_addstr(out, "</div>\n");
	if (card->nlosses) {
		strbuf_addstr(out, "<h2>What lost the data</h2>\n<table id=\"lost-by\"><tr><th>cause</th><th>at</th>"
				   "<th>facts lost at the end</th><th>found lost at it</th><th>recovered at it</th></tr>\n");
		for (i = 0; i < card->nlosses; i++) {
			const struct sc_loss *x = &card->losses[i];
			strbuf_addstr(out, "<tr><td>");
			xml_add_escaped(out, x->cause);
			strbuf_reset(&v);
			clock_text(&v, (double)x->tick / tps_of(db));
			strbuf_addf(out, "</td><td>%s</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
					 "<td class=\"n\">%llu</td></tr>\n", v.buf, (unsigned long long)x->facts,
				    (unsigned long long)x->lost, (unsigned long long)x->recovered);
		}
		strbuf_addstr(out, "</table>\n");
	}
	page_actions(out, db);
	if (db->report) {
		strbuf_addstr(out, "<p>The report, every action on its timeline: <a id=\"report\" href=\"");
		xml_add_escaped(out, db->report);
		strbuf_addstr(out, "\">");
		xml_add_escaped(out, db->report);
		strbuf_addstr(out, "</a></p>\n");
	}
	strbuf_addstr(out, "</body></html>\n");
	strbuf_release(&v);
}

void report_dashboard_html_render(const struct dashboard *db, struct strbuf *out, unsigned flags)
{
	const struct live *l = db->live;
	const struct live_sample *s = &l->sample;
	const struct scenario *sc = l->sc;
	struct strbuf v = STRBUF_INIT;
	struct window w;
	size_t k, i;

	(void)flags;
	if (l->judged) {
		page_end(db, out);
		return;
	}
	page_head(out, 1);
	page_title(out, db);
	if (db->ending)
		strbuf_addstr(out, "<p class=\"warn\" id=\"ending\">The drill is ending: a cool-down, then the probes "
				   "and the verdict.</p>\n");
	else if (db->limit - db->wall <= 60)
		strbuf_addstr(out, "<p class=\"warn\" id=\"last-minute\">Less than a minute left: the drill ends "
				   "whatever the team has done.</p>\n");
	strbuf_addstr(out, "<div class=\"figs\">\n");
	clock_text(&v, db->wall);
	fig(out, "elapsed", NULL, v.buf, "elapsed");
	strbuf_reset(&v);
	clock_text(&v, left_s(db));
	fig(out, "left", db->limit - db->wall <= 60 ? "bad" : NULL, v.buf, "left");
	strbuf_reset(&v);
	if (s->incident_tick < 0)
		strbuf_addstr(&v, "none yet");
	else if (s->recovered_tick >= 0)
		strbuf_addstr(&v, "recovered");
	else
		seconds(&v, at_s(db, s->tick - s->incident_tick));
	fig(out, "incident", s->incident_tick < 0 ? NULL : s->recovered_tick >= 0 ? "good" : "bad", v.buf,
	    s->incident_tick < 0 ? "incident" : s->recovered_tick >= 0 ? "failures back to before the incident"
								    : "failing since the bad migration");
	strbuf_reset(&v);
	if (l->loss.looked)
		count_text(&v, l->loss.look_lost);
	else
		strbuf_addstr(&v, "-");
	fig(out, "lost", l->loss.look_lost ? "bad" : NULL, v.buf, "facts lost");
	strbuf_reset(&v);
	count_text(&v, live_at_risk(l));
	fig(out, "at-risk", NULL, v.buf, "facts at risk (written since the incident, still readable)");
	strbuf_reset(&v);
	if (s->writers_waiting) {
		strbuf_addf(&v, "%zu, ", s->writers_waiting);
		seconds(&v, at_s(db, s->longest_wait));
	} else {
		strbuf_addstr(&v, "none");
	}
	fig(out, "waiting", s->writers_waiting ? "bad" : NULL, v.buf,
	    "writers waiting on a migration's or a team's lock (the longest)");
	strbuf_addstr(out, "</div>\n");
	if (s->recovered_tick >= 0) {
		strbuf_addstr(out, "<p id=\"recovered\">Recovered ");
		seconds(out, at_s(db, s->recovered_tick - s->incident_tick));
		strbuf_addstr(out, " after the bad migration, at ");
		clock_text(out, at_s(db, s->recovered_tick));
		strbuf_addstr(out, ": no more failures than before it since.</p>\n");
	}
	if (l->loss.look_lost)
		page_losses(out, l);
	rate_window(db, &w, 120);
	strbuf_addf(out, "<h2>Transactions per second</h2>\n<p class=\"key\">One scale for every chart (top: %.0f/s). "
			 "<span style=\"color:#0072B2\">&#9472;&#9472; committed</span>, "
			 "<span style=\"color:#D55E00\">&#9472; &#9472; failed</span>, "
			 "<span style=\"color:#0072B2\">&#183;&#183;&#183; committed before the incident</span>.</p>\n"
			 "<table><tr><th>app</th><th>transactions per second</th><th>last second</th></tr>\n", w.max);
	for (k = 0; k < s->nversions; k++) {
		strbuf_addstr(out, "<tr><td>");
		xml_add_escaped(out, sc->apps[k].name);
		strbuf_addstr(out, "</td><td>");
		svg_chart(out, db, &w, k);
		strbuf_addf(out, "</td><td class=\"n\"><span style=\"color:#0072B2\">%llu committed</span><br/>"
				 "<span class=\"bad\">%llu failed</span></td></tr>\n",
			    (unsigned long long)last_second(s, s->ok[k]), (unsigned long long)last_second(s, s->failed[k]));
	}
	strbuf_addf(out, "</table>\n<h2>Errors in the last %d s</h2>\n<ul id=\"errors\">\n", LIVE_ERROR_WINDOW);
	for (i = 0; i < s->nerrors && i < LIVE_TOP; i++) {
		strbuf_addf(out, "<li>%llu &#215; <code>", (unsigned long long)s->errors[i].count);
		xml_add_escaped(out, s->errors[i].line);
		strbuf_addstr(out, "</code>, last seen ");
		seconds(out, at_s(db, s->tick - s->errors[i].last_tick));
		strbuf_addstr(out, " ago</li>\n");
	}
	if (!s->nerrors)
		strbuf_addstr(out, "<li>none</li>\n");
	strbuf_addstr(out, "</ul>\n");
	page_actions(out, db);
	strbuf_addstr(out, "<p class=\"key\">A fix can read <code>backup.TABLE</code>: each table as it was just "
			   "before the bad migration.</p>\n</body></html>\n");
	strbuf_release(&v);
}

void report_dashboard_json_render(const struct dashboard *db, struct strbuf *out)
{
	const struct live *l = db->live;
	const struct live_sample *s = &l->sample;
	const struct scorecard *card = &l->res.card;
	size_t *order = loss_order(&l->loss), i, n;
	struct window w;

	rate_window(db, &w, SPARK_COLS);
	strbuf_addstr(out, "{\"format_version\":1,\"status\":\"mdrill live drill\",\"scenario\":");
	json_add_string(out, db->scenario);
	strbuf_addstr(out, ",\"team\":");
	json_add_string(out, db->team);
	strbuf_addf(out, ",\"engine\":\"%s\",\"tick\":%lld,\"speed\":%.1f,\"elapsed_s\":%.1f,\"limit_s\":%.1f,"
			 "\"seconds_left\":%.1f", db_name(l->drv), (long long)s->tick, db->speed, db->wall, db->limit,
		    left_s(db));
	if (s->incident_tick >= 0)
		strbuf_addf(out, ",\"incident_s\":%.1f", at_s(db, s->incident_tick));
	else
		strbuf_addstr(out, ",\"incident_s\":null");
	strbuf_addf(out, ",\"facts_at_risk\":%llu,\"facts_lost\":{\"total\":%llu,\"as_of_tick\":%lld,\"by\":[",
		    (unsigned long long)live_at_risk(l), (unsigned long long)l->loss.look_lost,
		    (long long)(l->loss.looked ? l->loss.look_tick : -1));
	for (i = 0, n = 0; i < l->loss.ncauses; i++) {
		const struct loss_cause *c = &l->loss.causes[order[i]];
		if (!l->loss.look_now[order[i]])
			continue;
		strbuf_addstr(out, n++ ? ",{\"cause\":" : "{\"cause\":");
		json_add_string(out, c->label);
		strbuf_addf(out, ",\"facts\":%llu,\"action\":", (unsigned long long)l->loss.look_now[order[i]]);
		if (c->action >= 0)
			strbuf_addf(out, "%ld", c->action);
		else
			strbuf_addstr(out, "null");
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]},\"rates\":[");
	for (i = 0; i < s->nversions; i++) {
		double fr = failure_rate(s, i);
		strbuf_addstr(out, i ? ",{\"version\":" : "{\"version\":");
		json_add_string(out, l->sc->apps[i].name);
		strbuf_addf(out, ",\"committed_per_s\":%llu,\"failed_per_s\":%llu",
			    (unsigned long long)last_second(s, s->ok[i]), (unsigned long long)last_second(s, s->failed[i]));
		if (fr >= 0)
			strbuf_addf(out, ",\"failure_rate\":%.4f", fr);
		else
			strbuf_addstr(out, ",\"failure_rate\":null");
		if (w.before[i] >= 0)
			strbuf_addf(out, ",\"committed_per_s_before_incident\":%.1f}", w.before[i]);
		else
			strbuf_addstr(out, ",\"committed_per_s_before_incident\":null}");
	}
	strbuf_addf(out, "],\"writers_waiting\":%zu,\"longest_wait_s\":%.1f,\"recovered\":%s", s->writers_waiting,
		    at_s(db, s->longest_wait), s->recovered_tick >= 0 ? "true" : "false");
	if (s->recovered_tick >= 0)
		strbuf_addf(out, ",\"recovered_s\":%.1f", at_s(db, s->recovered_tick));
	else
		strbuf_addstr(out, ",\"recovered_s\":null");
	strbuf_addf(out, ",\"actions\":%zu,\"ending\":%s,\"ended\":%s", l->nactions, db->ending ? "true" : "false",
		    l->judged ? "true" : "false");
	if (l->judged) {
		strbuf_addf(out, ",\"ended_by\":\"%s\",\"verdict\":\"%s\",\"score\":%d,\"facts_lost_at_end\":%llu",
			    live_end_key(l->figures.end_how), card->pass ? "pass" : "fail", card->score,
			    (unsigned long long)l->figures.facts_lost);
		if (l->figures.recovery_tick >= 0 && l->figures.incident_tick >= 0)
			strbuf_addf(out, ",\"to_recovery_s\":%.1f",
				    at_s(db, l->figures.recovery_tick - l->figures.incident_tick));
		else
			strbuf_addstr(out, ",\"to_recovery_s\":null");
	} else {
		strbuf_addstr(out, ",\"ended_by\":null,\"verdict\":null,\"score\":null");
	}
	if (db->out) {
		strbuf_addstr(out, ",\"out\":");
		json_add_string(out, db->out);
	}
	strbuf_addstr(out, "}\n");
	free(order);
}
