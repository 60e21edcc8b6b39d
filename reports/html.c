/*
** The HTML page: one self-contained file (inline CSS and SVG, no script,
** no network) to open, project on a wall, or attach to an incident review.
** An SVG timeline shows committed and failed transactions per app version
** over the drill's ticks, the incident (bad migration to the end of the
** fix) shaded, and the events (bad migration, deploys, flag flips, faults,
** the fix) as lines whose labels sit in a lane above the plot, row by row
** so that none covers another or a line.  Then the phases, the preservation
** table, a sample of what was lost, the writers' waits the fix caused (and
** apart, all waits, queueing included), and a backfill's progress.  Axes
** step in round numbers; commits and failures differ in hue and in stroke
** (the Okabe-Ito palette, safe for colour blindness, and dashes that read
** in black and white).  Written as XHTML, so any XML parser can check it.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"
#include "../sim/base/alloc.h"

#define W 1000           /* the viewBox's width: the page scales it */
#define PAD_L 72
#define PAD_R 24
#define PAD_B 50         /* the x axis's labels and its title */
#define LANE_ROW 22      /* one row of event labels above the plot */
#define LANE_ROWS 8      /* at most: a label with no room below shares the top row */
#define LABEL_CH 8.0     /* a label character's width at 13px, generously */

/*
** Okabe-Ito: commits in blues and green, failures in vermillion, reddish
** purple and orange: the first two failure series, the ones most drills
** have, differ in hue for every kind of colour blindness, not only in
** their dashes.
*/
static const char *const commit_hue[] = { "#0072B2", "#009E73", "#56B4E9" };
static const char *const fail_hue[] = { "#D55E00", "#CC79A7", "#E69F00" };
#define HUE(v, i) ((v)[(i) % (sizeof(v) / sizeof((v)[0]))])

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

/*
** A round step (1, 2 or 5 times a power of ten, at least 1: every series
** counts whole things) that cuts span into about want pieces.
*/
static double nice_step(double span, int want)
{
	double raw = span > 0 ? span / want : 1, mag = pow(10, floor(log10(raw))), n = raw / mag;
	double step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
	return step < 1 ? 1 : step;
}

/* An event label placed in the lane: its row (0 nearest the plot) and its extent. */
struct placed {
	double x, x0, x1;        /* the event's line, the label's left and right */
	int row, anchor_end;
};

/*
** One chart's geometry: the ticks it spans, the lane of labels, the plot
** area, the y axis.  Markers a few pixels apart share one label, the
** first's: four lines at a fix are one label, not four stacked.
*/
struct frame {
	const struct scorecard *s;
	double xmax;             /* the tick at the right edge */
	double ymax, ystep;      /* the y axis, in round steps */
	double yscale;           /* a series' value times this is what the y axis shows */
	const char *ytitle;      /* the y axis's title, or NULL */
	int rows;                /* rows of event labels */
	int top, h, height;      /* the plot area's top and height; the whole chart's height */
	struct placed *labels;   /* one per marker of s, in its order (a label only for a group's first) */
	size_t *lead;            /* per marker: the first marker of its group */
	char **text;             /* per marker that leads a group: its label */
};

/* A live drill's reports speak in seconds: the team lived seconds, not ticks. */
static int in_seconds(const struct scorecard *s)
{
	return s->live && s->ticks_per_second > 0;
}

/* tick as the report says it: m:ss into a live drill, else the tick itself. */
static void tick_text(const struct scorecard *s, double tick, struct strbuf *out)
{
	if (in_seconds(s)) {
		long t = (long)(tick / s->ticks_per_second + 0.5);
		strbuf_addf(out, "%ld:%02ld", t / 60, t % 60);
	} else {
		strbuf_addf(out, "%.0f", tick);
	}
}

/* A clock's step: the round number of seconds that cuts span_s into at most want pieces. */
static double clock_step(double span_s, int want)
{
	static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200 };
	size_t i;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) - 1; i++)
		if (span_s / steps[i] <= want)
			break;
	return steps[i];
}

static double x_of(const struct frame *f, double tick)
{
	return PAD_L + (W - PAD_L - PAD_R) * tick / (f->xmax > 0 ? f->xmax : 1);
}

static double y_of(const struct frame *f, double v)
{
	return f->top + f->h - f->h * v / (f->ymax > 0 ? f->ymax : 1);
}

/*
** The markers that share a label: each marker's group is led by the
** first (by tick) within a few pixels before it, and the leader's label
** names them all: "apply fix.sql, recovered (0:13)" or "bad migration (1500)".
*/
static void group_markers(struct frame *f)
{
	const struct scorecard *s = f->s;
	size_t n = s->nmarkers, *order = xcalloc(n + 1, sizeof(*order)), i, k;

	f->lead = xcalloc(n + 1, sizeof(*f->lead));
	f->text = xcalloc(n + 1, sizeof(*f->text));
	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && s->markers[order[k - 1]].tick > s->markers[i].tick; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (i = 0; i < n; i++) {
		size_t m = order[i], lead = m;
		if (i && x_of(f, (double)s->markers[m].tick) - x_of(f, (double)s->markers[f->lead[order[i - 1]]].tick) < 8)
			lead = f->lead[order[i - 1]];
		f->lead[m] = lead;
	}
	for (i = 0; i < n; i++) {
		size_t m = order[i];
		struct strbuf t = STRBUF_INIT;
		if (f->lead[m] != m)
			continue;
		strbuf_addstr(&t, s->markers[m].label);
		for (k = i + 1; k < n && f->lead[order[k]] == m; k++)
			strbuf_addf(&t, ", %s", s->markers[order[k]].label);
		strbuf_addstr(&t, " (");
		tick_text(s, (double)s->markers[m].tick, &t);
		strbuf_addch(&t, ')');
		f->text[m] = strbuf_detach(&t);
	}
	free(order);
}

/* May label me go in row, beside the n labels placed so far (1), or would it meet one (0)? */
static int lane_clear(const struct placed *p, size_t n, const struct placed *me, int row)
{
	size_t k;
	for (k = 0; k < n; k++) {
		/* Labels of one row keep apart. */
		if (p[k].row == row && me->x0 < p[k].x1 + 10 && p[k].x0 < me->x1 + 10)
			return 0;
		/* A higher label's line comes down through this row: not through the label. */
		if (p[k].row > row && p[k].x > me->x0 - 4 && p[k].x < me->x1 + 4)
			return 0;
		/* This label's line goes down through lower rows: not through their labels. */
		if (p[k].row < row && me->x > p[k].x0 - 4 && me->x < p[k].x1 + 4)
			return 0;
	}
	return 1;
}

/* The extent of marker i's label: after its line, or before it where it would leave the chart. */
static void label_extent(const struct frame *f, size_t i, struct placed *me)
{
	double w = (double)strlen(f->text[i]) * LABEL_CH;

	me->x = x_of(f, (double)f->s->markers[i].tick);
	me->anchor_end = me->x + 6 + w > W - 4;
	me->x0 = me->anchor_end ? me->x - 6 - w : me->x + 6;
	me->x1 = me->anchor_end ? me->x - 6 : me->x + 6 + w;
}

/*
** Place every marker's label in the lane, in the lowest row where it
** covers no other label and no line crosses it.  Labels after their line
** go from the right edge leftwards, so that a line's label sits above the
** labels to its right, a staircase; the few before their line (at the
** right edge) come last, left to right, above whatever they span.
*/
static void place_labels(struct frame *f)
{
	const struct scorecard *s = f->s;
	size_t n = 0, *order = xcalloc(s->nmarkers + 1, sizeof(*order)), i, k, done;
	struct placed *placed = xcalloc(s->nmarkers + 1, sizeof(*placed));

	f->labels = xcalloc(s->nmarkers + 1, sizeof(*f->labels));
	f->rows = 0;
	group_markers(f);
	for (i = 0; i < s->nmarkers; i++)
		if (f->text[i])
			label_extent(f, i, &f->labels[i]);
	/* The order: labels after their line by x from the right, then the others by x from the left. */
	for (i = 0; i < s->nmarkers; i++) {
		const struct placed *a = &f->labels[i];
		if (!f->text[i])
			continue;
		for (k = n; k > 0; k--) {
			const struct placed *b = &f->labels[order[k - 1]];
			int before = a->anchor_end != b->anchor_end ? !a->anchor_end
				     : a->anchor_end ? a->x < b->x : a->x > b->x;
			if (!before)
				break;
			order[k] = order[k - 1];
		}
		order[k] = i;
		n++;
	}
	for (done = 0; done < n; done++) {
		struct placed *me = &f->labels[order[done]];
		int row;
		for (row = 0; row < LANE_ROWS - 1 && !lane_clear(placed, done, me, row); row++)
			;
		me->row = row;
		placed[done] = *me;
		if (row + 1 > f->rows)
			f->rows = row + 1;
	}
	free(order);
	free(placed);
}

/*
** The frame of a chart of s over xmax ticks, plot_h high, its y axis to
** ymax_data; with labels, the events' labels in a lane above it, else
** their lines only (a chart under one that names them).
*/
static void frame_init(struct frame *f, const struct scorecard *s, double xmax, double ymax_data, int plot_h,
		       int labels)
{
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->xmax = xmax;
	f->yscale = 1;
	f->ystep = nice_step(ymax_data > 0 ? ymax_data : 1, 4);
	f->ymax = ceil((ymax_data > 0 ? ymax_data : 1) / f->ystep - 1e-9) * f->ystep;
	if (labels)
		place_labels(f);
	else
		f->labels = NULL;
	f->top = 14 + f->rows * LANE_ROW + 6;
	f->h = plot_h;
	f->height = f->top + f->h + PAD_B;
}

static void frame_release(struct frame *f)
{
	size_t i;
	for (i = 0; f->text && i < f->s->nmarkers; i++)
		free(f->text[i]);
	free(f->text);
	free(f->lead);
	free(f->labels);
}

/* The svg element, the incident shaded, the grid, the axes with round ticks and their titles. */
static void frame_open(struct strbuf *out, const struct frame *f, const char *id, const char *label)
{
	const struct scorecard *s = f->s;
	double step = nice_step(f->xmax, 7), v;
	int bottom = f->top + f->h;

	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" viewBox=\"0 0 %d %d\" "
			 "role=\"img\" aria-label=\"%s\">\n", id, W, f->height, label);
	strbuf_addf(out, "<rect class=\"plotarea\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", PAD_L,
		    f->top, W - PAD_L - PAD_R, f->h);
	if (s->bad.ran) {
		/* The incident: from the bad migration to the end of the fix (or of the drill). */
		double x0 = x_of(f, (double)s->bad.start);
		double x1 = x_of(f, (double)(s->fix.ran && s->fix.end >= 0 ? s->fix.end : s->last_tick));
		strbuf_addf(out, "<rect class=\"incident\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n",
			    x0, f->top, x1 - x0 > 1 ? x1 - x0 : 1, f->h);
		if (x1 - x0 > 70 && f->labels)
			strbuf_addf(out, "<text class=\"incident-label\" x=\"%.1f\" y=\"%d\">incident</text>\n",
				    x0 + 6, f->top + 18);
	}
	for (v = 0; v <= f->ymax + f->ystep / 2; v += f->ystep) {
		strbuf_addf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", PAD_L,
			    y_of(f, v), W - PAD_R, y_of(f, v));
		strbuf_addf(out, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.0f</text>\n",
			    PAD_L - 8, y_of(f, v) + 5, v);
	}
	if (in_seconds(s))
		step = clock_step(f->xmax / s->ticks_per_second, 8) * s->ticks_per_second;
	for (v = 0; v <= f->xmax + 0.5; v += step) {
		struct strbuf t = STRBUF_INIT;
		tick_text(s, v, &t);
		strbuf_addf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x_of(f, v),
			    bottom, x_of(f, v), bottom + 6);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
			    x_of(f, v), bottom + 24, t.buf);
		strbuf_release(&t);
	}
	if (f->ytitle)
		strbuf_addf(out, "<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"%d\" y=\"16\" "
				 "text-anchor=\"middle\">%s</text>\n", -(f->top + f->h / 2), f->ytitle);
	strbuf_addf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PAD_L, bottom, W - PAD_R,
		    bottom);
	strbuf_addf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PAD_L, f->top, PAD_L,
		    bottom);
	strbuf_addf(out, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		    W - PAD_R, bottom + 44, in_seconds(s) ? "time into the drill (m:ss)" : "ticks");
}

/* What a chart's y axis counts, above it. */
static void caption(struct strbuf *out, const char *text)
{
	strbuf_addstr(out, "<p class=\"caption\">");
	xml_add_escaped(out, text);
	strbuf_addstr(out, "</p>\n");
}

/* The events: a line through the plot each, its label in the lane above, joined by a leader. */
static void frame_markers(struct strbuf *out, const struct frame *f)
{
	const struct scorecard *s = f->s;
	size_t i;

	for (i = 0; i < s->nmarkers; i++) {
		/* A marker in another's group has its line only: the group's first names it. */
		const struct placed *p = f->labels && f->text[i] ? &f->labels[i] : NULL;
		double y = p ? f->top - 6 - p->row * LANE_ROW - 5 : 0;   /* the label's baseline */
		double x = x_of(f, (double)s->markers[i].tick);

		if (!p) {
			strbuf_addstr(out, "<g class=\"marker\" data-marker=\"");
			xml_add_escaped(out, s->markers[i].label);
			strbuf_addf(out, "\"><line class=\"event\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/></g>\n",
				    x, f->top, x, f->top + f->h);
			continue;
		}
		strbuf_addstr(out, "<g class=\"marker\" data-marker=\"");
		xml_add_escaped(out, s->markers[i].label);
		strbuf_addf(out, "\"><line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%d\"/>"
				 "<line class=\"event\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
				 "<text class=\"mlabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
			    p->x, y - 10, p->x, f->top, p->x, f->top, p->x, f->top + f->h,
			    p->anchor_end ? p->x - 6 : p->x + 6, y, p->anchor_end ? "end" : "start");
		xml_add_escaped(out, f->text[i]);
		strbuf_addstr(out, "</text></g>\n");
	}
}

/* Failures: one dash pattern per version, so that they read apart in black and white too. */
static const char *const fail_dash[] = { "10 5", "3 4", "12 4 3 4" };

/* A series of s, a point per bucket that began before the drill's last tick. */
static void polyline(struct strbuf *out, const struct frame *f, const struct scorecard *s, const uint64_t *v,
		     const char *colour, const char *dash, const char *cls)
{
	int b;
	strbuf_addf(out, "<polyline class=\"%s\" stroke=\"%s\"", cls, colour);
	if (dash)
		strbuf_addf(out, " stroke-dasharray=\"%s\"", dash);
	strbuf_addstr(out, " points=\"");
	for (b = 0; b < SCORECARD_BUCKETS && (b == 0 || b * s->bucket_ticks <= s->last_tick); b++)
		strbuf_addf(out, "%s%.1f,%.1f", b ? " " : "",
			    x_of(f, (double)(b * s->bucket_ticks) + (double)s->bucket_ticks / 2.0),
			    y_of(f, (double)v[b] * f->yscale));
	strbuf_addstr(out, "\"/>\n");
}

/* The largest bucket of s's transactions, committed or failed: the timeline's height. */
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

/*
** The span of s's charts: its buckets, end to end; a live drill's, whose
** buckets are round seconds, to the bucket its last tick falls in.
*/
static double span_of(const struct scorecard *s)
{
	int64_t n = SCORECARD_BUCKETS;
	if (in_seconds(s) && s->bucket_ticks > 0 && s->last_tick / s->bucket_ticks + 1 < n)
		n = s->last_tick / s->bucket_ticks + 1;
	return (double)(s->bucket_ticks * n);
}

/* A key for the legend: a short stretch of the stroke itself. */
static void key(struct strbuf *out, const char *cls, const char *colour, const char *dash, const char *text,
		const char *version)
{
	strbuf_addf(out, "<span class=\"key\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"14\" "
			 "viewBox=\"0 0 40 14\"><line class=\"%s\" stroke=\"%s\"%s%s%s x1=\"2\" y1=\"7\" x2=\"38\" "
			 "y2=\"7\"/></svg> ", cls, colour, dash ? " stroke-dasharray=\"" : "", dash ? dash : "",
		    dash ? "\"" : "");
	xml_add_escaped(out, version);
	strbuf_addf(out, " %s</span>\n", text);
}

/* The timeline of s, on ymax and xmax shared with another run's when compared. */
static void timeline_chart(struct strbuf *out, const struct scorecard *s, double xmax, double ymax, const char *id)
{
	struct frame f;
	struct strbuf title = STRBUF_INIT;
	size_t v;

	if (in_seconds(s)) {
		/* Per second, whatever the bucket: one unit on every drill's page. */
		double per_s = s->ticks_per_second / (double)s->bucket_ticks;
		frame_init(&f, s, xmax, ymax * per_s, 300, 1);
		f.yscale = per_s;
		f.ytitle = "transactions per second";
		strbuf_addf(&title, "Transactions committed and failed per second, by app version (each point the "
			    "average over %.1f s).", (double)s->bucket_ticks / s->ticks_per_second);
	} else {
		frame_init(&f, s, xmax, ymax, 300, 1);
		strbuf_addf(&title, "Transactions committed and failed per %lld ticks, by app version.",
			    (long long)s->bucket_ticks);
	}
	caption(out, title.buf);
	frame_open(out, &f, id, "transactions over time");
	for (v = 0; v < s->nversions; v++) {
		polyline(out, &f, s, s->series_committed[v], HUE(commit_hue, v), NULL, "committed");
		polyline(out, &f, s, s->series_failed[v], HUE(fail_hue, v), HUE(fail_dash, v), "failed");
	}
	frame_markers(out, &f);
	strbuf_addstr(out, "</svg>\n<p class=\"legend\">\n");
	for (v = 0; v < s->nversions; v++) {
		key(out, "committed", HUE(commit_hue, v), NULL, "committed", s->versions[v]);
		key(out, "failed", HUE(fail_hue, v), HUE(fail_dash, v), "failed", s->versions[v]);
	}
	strbuf_addstr(out, "<span class=\"key\"><span class=\"swatch\"></span> the incident: from the bad migration "
		      "to the end of the fix</span>\n</p>\n");
	frame_release(&f);
	strbuf_release(&title);
}

/*
** A live drill's facts lost over time, under its timeline on the same
** axis: a step at each of the drill's checks (before each action, after
** each migration, at the end), so that a down migration's loss shows as
** the cliff it is and a fix that restores as the climb back, beside the
** failures above it.
*/
static void lost_chart(struct strbuf *out, const struct scorecard *s)
{
	struct frame f;
	double max = 1, prev = 0;
	size_t i;

	for (i = 0; i < s->nlost_series; i++)
		if ((double)s->lost_series[i].lost > max)
			max = (double)s->lost_series[i].lost;
	frame_init(&f, s, span_of(s), max, 140, 0);
	f.ytitle = "facts lost";
	caption(out, "Facts lost so far: unreadable from the schema of the moment, as the drill's checks found "
		     "them (before each action, after each migration, at the end).");
	frame_open(out, &f, "lost", "facts lost over time");
	strbuf_addf(out, "<polyline class=\"lost\" stroke=\"#000000\" points=\"%.1f,%.1f", x_of(&f, 0), y_of(&f, 0));
	for (i = 0; i < s->nlost_series; i++) {
		double x = x_of(&f, (double)s->lost_series[i].tick);
		strbuf_addf(out, " %.1f,%.1f %.1f,%.1f", x, y_of(&f, prev), x, y_of(&f, (double)s->lost_series[i].lost));
		prev = (double)s->lost_series[i].lost;
	}
	strbuf_addf(out, " %.1f,%.1f\"/>\n<text class=\"end-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
			 "%llu lost at the end</text>\n", x_of(&f, (double)s->last_tick), y_of(&f, prev),
		    x_of(&f, (double)s->last_tick) - 4, y_of(&f, prev) - 8 < f.top + 12 ? y_of(&f, prev) + 18 : y_of(&f, prev) - 8,
		    (unsigned long long)s->nfindings);
	frame_markers(out, &f);
	strbuf_addstr(out, "</svg>\n");
	frame_release(&f);
}

/* Bars of series, one per bucket. */
static void bars(struct strbuf *out, const struct frame *f, const uint64_t *series, const char *cls)
{
	double bw = x_of(f, (double)f->s->bucket_ticks) - x_of(f, 0);
	int b;
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		if (series[b])
			strbuf_addf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
				    cls, x_of(f, (double)(b * f->s->bucket_ticks)), y_of(f, (double)series[b]),
				    bw > 2 ? bw - 1 : bw, f->top + f->h - y_of(f, (double)series[b]));
}

static uint64_t bucket_max(const uint64_t *series)
{
	uint64_t max = 0;
	int b;
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		if (series[b] > max)
			max = series[b];
	return max;
}

/*
** What the verdict counts: the ticks writers waited because of the fix,
** over time.  All waits, writers queueing behind each other included (on
** SQLite, for its one write lock), come apart and smaller below, so that
** their height never passes for the fix's.
*/
static void blocked_charts(struct strbuf *out, const struct scorecard *s)
{
	struct frame f;
	struct strbuf title = STRBUF_INIT;
	uint64_t all = 0;
	int b;

	if (s->blocked_total) {
		frame_init(&f, s, span_of(s), (double)bucket_max(s->series_blocked_fix), 200, 1);
		strbuf_addf(&title, "Ticks writers waited because of the fix, per %lld ticks.",
			    (long long)s->bucket_ticks);
		caption(out, title.buf);
		frame_open(out, &f, "blocked", "writers' ticks blocked by the fix over time");
		bars(out, &f, s->series_blocked_fix, "bar fix");
		frame_markers(out, &f);
		strbuf_addstr(out, "</svg>\n");
		frame_release(&f);
	}
	for (b = 0; b < SCORECARD_BUCKETS; b++)
		all += s->series_blocked[b];
	if (all > (uint64_t)s->blocked_total) {
		strbuf_addf(out, "<p>All writers' waits, whatever they waited for: %llu ticks in all, the fix's %lld "
				 "among them. The rest is writers queueing behind each other (on SQLite, for its one "
				 "write lock), which the verdict does not count.</p>\n", (unsigned long long)all,
			    (long long)s->blocked_total);
		frame_init(&f, s, span_of(s), (double)bucket_max(s->series_blocked), 120, 0);
		strbuf_reset(&title);
		strbuf_addf(&title, "Ticks all writers waited, per %lld ticks.", (long long)s->bucket_ticks);
		caption(out, title.buf);
		frame_open(out, &f, "blocked-all", "all writers' blocked ticks over time");
		bars(out, &f, s->series_blocked, "bar all");
		frame_markers(out, &f);
		strbuf_addstr(out, "</svg>\n");
		frame_release(&f);
	}
	strbuf_release(&title);
}

/*
** The fix's repeated statements: rows backfilled so far over the drill's
** ticks, one solid line that reads in black and white, its last value at
** its end.  A backfill that converges flattens out before the fix ends;
** one that does not climbs until its limit of runs.
*/
static void backfill_plot(struct strbuf *out, const struct scorecard *s)
{
	const struct sc_backfill *bf = &s->backfill;
	struct frame f;
	double cum = 0;
	int b;

	strbuf_addf(out, "<h2>Backfill</h2>\n<p id=\"backfill-summary\">Statement %d of the fix ran %llu "
			 "times (at most %d) and changed %llu rows: %s.</p>\n", bf->statement,
		    (unsigned long long)bf->runs, bf->max_runs, (unsigned long long)bf->rows,
		    bf->converged ? "it converged, its last run changed no rows"
				  : "it did not converge");
	frame_init(&f, s, span_of(s), (double)bf->rows, 240, 1);
	caption(out, "Rows backfilled so far.");
	frame_open(out, &f, "backfill", "rows backfilled over time");
	strbuf_addf(out, "<polyline class=\"backfill\" stroke=\"%s\" points=\"%.1f,%.1f", commit_hue[1],
		    x_of(&f, 0), y_of(&f, 0));
	for (b = 0; b < SCORECARD_BUCKETS; b++) {
		cum += (double)bf->series[b];
		strbuf_addf(out, " %.1f,%.1f", x_of(&f, (double)((b + 1) * s->bucket_ticks)), y_of(&f, cum));
	}
	strbuf_addf(out, "\"/>\n<text class=\"end-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%llu rows</text>\n",
		    x_of(&f, span_of(s)) - 4, y_of(&f, cum) - 8, (unsigned long long)bf->rows);
	frame_markers(out, &f);
	strbuf_addstr(out, "</svg>\n");
	frame_release(&f);
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
	if (s->live && s->nlosses) {
		strbuf_addstr(out, "<h2>What lost the data</h2>\n<p>Each fact is laid at what made it unreadable: the "
				   "migration, the outside change or the flag flip, or the application's own writes into a "
				   "schema that drops what they write.</p>\n<table id=\"lost-by\"><tr><th>lost by</th>"
				   "<th>at</th><th>facts lost at the end</th><th>found lost at it</th>"
				   "<th>found again at it</th></tr>\n");
		for (i = 0; i < s->nlosses; i++) {
			struct strbuf t = STRBUF_INIT;
			tick_text(s, (double)s->losses[i].tick, &t);
			strbuf_addstr(out, "<tr><td>");
			xml_add_escaped(out, s->losses[i].cause);
			strbuf_addf(out, "</td><td>%s</td><td>%llu</td><td>%llu</td><td>%llu</td></tr>\n", t.buf,
				    (unsigned long long)s->losses[i].facts, (unsigned long long)s->losses[i].lost,
				    (unsigned long long)s->losses[i].recovered);
			strbuf_release(&t);
		}
		strbuf_addstr(out, "</table>\n");
	}
	if (s->nexamples) {
		strbuf_addf(out, "<h2>What was lost</h2>\n<p>The first %zu of %llu facts not preserved%s.</p>\n"
				 "<table id=\"findings\"><tr><th>class</th><th>written</th><th>row</th><th>field</th>"
				 "<th>expected</th><th>found</th>%s</tr>\n", s->nexamples,
			    (unsigned long long)s->nfindings,
			    s->nfindings > s->nexamples ? "; the JSON and the terminal tell the same" : "",
			    s->live ? "<th>lost by</th>" : "");
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
			strbuf_addstr(out, "</code></td>");
			if (s->live) {
				strbuf_addstr(out, "<td>");
				xml_add_escaped(out, e->lost_by ? e->lost_by : "");
				strbuf_addstr(out, "</td>");
			}
			strbuf_addstr(out, "</tr>\n");
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
		      "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width\"/>\n"
		      "<title>mdrill: ");
	xml_add_escaped(out, title);
	strbuf_addstr(out, "</title>\n<style>\n"
		      "body{font-family:sans-serif;font-size:20px;margin:2em auto;padding:0 1.5em;max-width:1100px;"
		      "color:#111}\n"
		      "h1{font-size:34px}h2{font-size:26px;margin-top:1.5em}\n"
		      ".pass{color:#009E73}.fail,.bad{color:#D55E00;font-weight:bold}.dim{color:#666}\n"
		      ".notice{border-left:6px solid #D55E00;padding:.3em .8em;background:#fff4ec}\n"
		      "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 10px;text-align:right}\n"
		      "th:first-child,td:first-child{text-align:left}td.sub{padding-left:2em}\n"
		      "tr.total td{font-weight:bold}tr.differ td{background:#f3f3f3}code{font-size:18px}\n"
		      "svg{width:100%;height:auto;display:block}.key svg{width:40px;display:inline}\n"
		      ".plotarea{fill:#fff}.incident{fill:#D55E00;fill-opacity:0.09}\n"
		      ".incident-label{font-size:14px;font-style:italic;fill:#A04000}\n"
		      ".grid{stroke:#ddd;stroke-width:1}.axis{stroke:#333;stroke-width:2}\n"
		      ".tick{font-size:14px;fill:#333}.axis-title{font-size:14px;fill:#555}\n"
		      "polyline{fill:none;stroke-width:3;stroke-linejoin:round}\n"
		      "line.committed{stroke-width:3}.failed{stroke-width:3.5}\n"
		      ".marker .event{stroke:#222;stroke-width:1.5;stroke-dasharray:3 4}\n"
		      ".marker .leader{stroke:#222;stroke-width:1}.mlabel{font-size:13px;fill:#111}\n"
		      ".end-label{font-size:14px;fill:#333}.caption{font-size:17px;color:#444;margin-bottom:0}\n"
		      ".bar.fix{fill:#E69F00;stroke:#7a5500;stroke-width:0.5}.bar.all{fill:#bbb}\n"
		      ".legend{font-size:17px}.key{margin-right:1.2em;white-space:nowrap}\n"
		      ".swatch{display:inline-block;width:28px;height:14px;background:rgba(213,94,0,0.15);"
		      "vertical-align:middle}\n.note{font-style:italic}\n"
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
	if (s->notice) {
		strbuf_addstr(out, "<p class=\"notice\" id=\"notice\"><strong>Note:</strong> ");
		xml_add_escaped(out, s->notice);
		strbuf_addstr(out, "</p>\n");
	}
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
	if (s->series_committed && s->bucket_ticks > 0) {
		timeline_chart(out, s, span_of(s), series_max(s), "timeline");
		if (s->live && s->nlost_series)
			lost_chart(out, s);
	} else
		strbuf_addstr(out, "<p class=\"note\">No traffic to plot.</p>\n");
	tables(out, s);
	strbuf_addf(out, "<h2>Blocked writers</h2>\n<p>Writers waited at most %lld tick%s because of the fix "
			 "(%lld in all); the fix waited %lld tick%s.</p>\n", (long long)s->blocked_max,
		    report_s(s->blocked_max), (long long)s->blocked_total, (long long)s->fix.waited,
		    report_s(s->fix.waited));
	if (s->bucket_ticks > 0)
		blocked_charts(out, s);
	if (s->backfill.present && s->bucket_ticks > 0)
		backfill_plot(out, s);
	strbuf_addstr(out, "</body>\n</html>\n");
}

/* A run's name in the compare page's headings. */
static void run_name(struct strbuf *out, const char *what, const char *label)
{
	strbuf_addstr(out, what);
	if (*label != '(') {
		strbuf_addstr(out, " <code>");
		xml_add_escaped(out, label);
		strbuf_addstr(out, "</code>");
	}
}

/*
** mdrill compare as a page: the down migration's run and the fix's, one
** above the other, full size, on the same axes (one span and one height
** for both), then the figures as a table.
*/
void report_compare_html_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags)
{
	struct compare_row rows[REPORT_COMPARE_ROWS];
	size_t n = report_compare_rows(down, fix, rows), i;
	double ymax = series_max(down) > series_max(fix) ? series_max(down) : series_max(fix);
	double xmax = span_of(down) > span_of(fix) ? span_of(down) : span_of(fix);
	const char *dlabel, *flabel;

	(void)flags;
	report_compare_labels(down, fix, &dlabel, &flabel, 0);
	head(out, fix->scenario);
	strbuf_addstr(out, "<h1>");
	xml_add_escaped(out, fix->scenario);
	strbuf_addf(out, ": the rollback <span class=\"%s\">%s</span>, the fix <span class=\"%s\" id=\"verdict\">"
			 "%s</span></h1>\n", down->pass ? "pass" : "fail", down->pass ? "PASS" : "FAIL",
		    fix->pass ? "pass" : "fail", fix->pass ? "PASS" : "FAIL");
	strbuf_addstr(out, "<p>");
	xml_add_escaped(out, fix->title);
	strbuf_addf(out, "<br/>engine %s, seed %llu; the same seed for both runs, drawn on the same axes.</p>\n",
		    fix->engine, (unsigned long long)fix->seed);
	strbuf_addstr(out, "<h2>");
	run_name(out, "The down migration", dlabel);
	strbuf_addf(out, ": <span class=\"%s\">%s</span>, score %d/100</h2>\n", down->pass ? "pass" : "fail",
		    down->pass ? "PASS" : "FAIL", down->score);
	timeline_chart(out, down, xmax, ymax, "timeline-down");
	strbuf_addstr(out, "<h2>");
	run_name(out, "The fix", flabel);
	strbuf_addf(out, ": <span class=\"%s\">%s</span>, score %d/100</h2>\n", fix->pass ? "pass" : "fail",
		    fix->pass ? "PASS" : "FAIL", fix->score);
	timeline_chart(out, fix, xmax, ymax, "timeline-fix");
	strbuf_addstr(out, "<h2>Side by side</h2>\n<table id=\"compare\"><tr><th></th><th>");
	run_name(out, "down migration", dlabel);
	strbuf_addstr(out, "</th><th>");
	run_name(out, "fix", flabel);
	strbuf_addstr(out, "</th></tr>\n");
	for (i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];
		strbuf_addf(out, "<tr%s><td%s>%s</td>", r->differ ? " class=\"differ\"" : "",
			    r->sub ? " class=\"sub\"" : "", r->what);
		if (r->verdict)
			strbuf_addf(out, "<td class=\"%s\">%s</td><td class=\"%s\">%s</td></tr>\n",
				    down->pass ? "pass" : "fail", r->down, fix->pass ? "pass" : "fail", r->fix);
		else
			strbuf_addf(out, "<td>%s</td><td>%s</td></tr>\n", r->down, r->fix);
	}
	strbuf_addstr(out, "</table>\n<p class=\"note\">Shaded rows: the two runs differ.</p>\n");
	if (down->nreasons || fix->nreasons) {
		strbuf_addstr(out, "<ul id=\"reasons\">\n");
		if (down->nreasons) {
			strbuf_addstr(out, "<li>the down migration: ");
			xml_add_escaped(out, down->reasons[0]);
			strbuf_addstr(out, "</li>\n");
		}
		if (fix->nreasons) {
			strbuf_addstr(out, "<li>the fix: ");
			xml_add_escaped(out, fix->reasons[0]);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul>\n");
	}
	strbuf_addstr(out, "</body>\n</html>\n");
}
