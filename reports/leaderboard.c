/*
** A workshop's leaderboard: the teams' live drill records ranked by
** verdict, then the share of facts kept, then the time to recovery, then
** how long writers waited on their fixes; in the terminal, Markdown or HTML.
** And the workshop board: the same ranking of the drills that ended, and
** those still running with their clock, losses and recovery, on one page.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"

/* Better first: a pass, more kept, recovered sooner (never is last), less blocking. */
static int better(const struct live_record *a, const struct live_record *b)
{
	int64_t ra = a->figures.recovery_tick >= 0 && a->figures.incident_tick >= 0
			     ? a->figures.recovery_tick - a->figures.incident_tick : INT64_MAX;
	int64_t rb = b->figures.recovery_tick >= 0 && b->figures.incident_tick >= 0
			     ? b->figures.recovery_tick - b->figures.incident_tick : INT64_MAX;
	if (a->pass != b->pass)
		return a->pass > b->pass;
	if (a->ratio != b->ratio)
		return a->ratio > b->ratio;
	if (ra != rb)
		return ra < rb;
	return a->blocked_max < b->blocked_max;
}

static const char *team_of(const struct live_record *r)
{
	return r->team ? r->team : r->path;
}

/* The time to recovery, in seconds of the paced drill, or "not recovered". */
static void recovery(struct strbuf *out, const struct live_record *r)
{
	if (r->figures.recovery_tick < 0 || r->figures.incident_tick < 0)
		strbuf_addstr(out, "not recovered");
	else
		strbuf_addf(out, "%.1f s", (double)(r->figures.recovery_tick - r->figures.incident_tick) /
					     (r->ticks_per_second > 0 ? r->ticks_per_second : 1));
}

void report_leaderboard_render(const struct live_record *const *recs, size_t n, const char *format,
			       struct strbuf *out)
{
	const struct live_record **order = xcalloc(n ? n : 1, sizeof(*order));
	int md = !strcmp(format, "md"), html = !strcmp(format, "html");
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && better(recs[i], order[k - 1]); k--)
			order[k] = order[k - 1];
		order[k] = recs[i];
	}
	if (html)
		strbuf_addstr(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
				   "<meta charset=\"utf-8\"/><title>mdrill leaderboard</title><style>\n"
				   "body{font-family:sans-serif;font-size:22px;margin:2em;color:#111}\n"
				   "table{border-collapse:collapse}td,th{border:1px solid #999;padding:6px 12px}\n"
				   "td.n{text-align:right}.pass{color:#009E73;font-weight:bold}"
				   ".fail{color:#D55E00;font-weight:bold}\n</style></head><body>\n"
				   "<h1>mdrill leaderboard</h1>\n<table id=\"leaderboard\">\n<tr><th>rank</th><th>team</th>"
				   "<th>scenario</th><th>verdict</th><th>kept</th><th>to recovery</th><th>writers waited</th>"
				   "<th>fixes</th><th>downs</th><th>score</th></tr>\n");
	else if (md)
		strbuf_addstr(out, "# mdrill leaderboard\n\n| rank | team | scenario | verdict | kept | to recovery | "
				   "writers waited | fixes | downs | score |\n|---|---|---|---|---|---|---|---|---|---|\n");
	else
		strbuf_addf(out, "%-4s  %-16s %-18s %-7s %8s  %-14s %8s %6s %6s %6s\n", "rank", "team", "scenario",
			    "verdict", "kept", "to recovery", "waited", "fixes", "downs", "score");
	for (i = 0; i < n; i++) {
		const struct live_record *r = order[i];
		struct strbuf rec = STRBUF_INIT;
		recovery(&rec, r);
		if (html) {
			strbuf_addf(out, "<tr><td class=\"n\">%zu</td><td>", i + 1);
			xml_add_escaped(out, team_of(r));
			strbuf_addstr(out, "</td><td>");
			xml_add_escaped(out, r->scenario);
			strbuf_addf(out, "</td><td class=\"%s\">%s</td><td class=\"n\">%.4f</td><td class=\"n\">%s</td>"
					 "<td class=\"n\">%lld</td><td class=\"n\">%d (%d failed)</td><td class=\"n\">%d</td>"
					 "<td class=\"n\">%d</td></tr>\n", r->pass ? "pass" : "fail", r->pass ? "PASS" : "FAIL",
				    r->ratio, rec.buf, (long long)r->blocked_max,
				    r->figures.fixes_applied + r->figures.fixes_failed, r->figures.fixes_failed,
				    r->figures.downs, r->score);
		} else if (md) {
			strbuf_addf(out, "| %zu | %s | %s | %s | %.4f | %s | %lld | %d (%d failed) | %d | %d |\n", i + 1,
				    team_of(r), r->scenario, r->pass ? "PASS" : "FAIL", r->ratio, rec.buf,
				    (long long)r->blocked_max, r->figures.fixes_applied + r->figures.fixes_failed,
				    r->figures.fixes_failed, r->figures.downs, r->score);
		} else {
			strbuf_addf(out, "%-4zu  %-16s %-18s %-7s %8.4f  %-14s %8lld %6d %6d %6d\n", i + 1, team_of(r),
				    r->scenario, r->pass ? "PASS" : "FAIL", r->ratio, rec.buf, (long long)r->blocked_max,
				    r->figures.fixes_applied + r->figures.fixes_failed, r->figures.downs, r->score);
		}
		strbuf_release(&rec);
	}
	if (html)
		strbuf_addstr(out, "</table>\n</body></html>\n");
	free(order);
}

/* m:ss */
static void clock_text(struct strbuf *out, double s)
{
	long t = s > 0 ? (long)(s + 0.5) : 0;
	strbuf_addf(out, "%ld:%02ld", t / 60, t % 60);
}

/* One running drill's row on the board. */
static void board_running_row(struct strbuf *out, const struct board_team *t)
{
	const struct live_status *st = t->st;
	struct strbuf c = STRBUF_INIT;

	strbuf_addstr(out, "<tr><td>");
	xml_add_escaped(out, st->team ? st->team : t->dir);
	strbuf_addstr(out, "</td><td>");
	xml_add_escaped(out, st->scenario);
	clock_text(&c, st->elapsed_s);
	strbuf_addf(out, "</td><td class=\"n\">%s", c.buf);
	strbuf_reset(&c);
	clock_text(&c, st->seconds_left);
	strbuf_addf(out, "</td><td class=\"n%s\">%s</td><td>", st->seconds_left <= 60 ? " fail" : "", c.buf);
	strbuf_reset(&c);
	if (t->quiet_s > REPORT_BOARD_QUIET_S)
		strbuf_addf(out, "<span class=\"fail\">no word for %.0f s: the drill is gone</span>", t->quiet_s);
	else if (st->ending)
		strbuf_addstr(out, "ending: the probes run");
	else if (st->incident_s < 0)
		strbuf_addstr(out, "no incident yet");
	else if (st->recovered) {
		clock_text(&c, st->recovered_s);
		strbuf_addf(out, "<span class=\"pass\">recovered</span> at %s", c.buf);
	} else {
		clock_text(&c, st->elapsed_s - st->incident_s);
		strbuf_addf(out, "<span class=\"fail\">failing</span> for %s", c.buf);
	}
	strbuf_addf(out, "</td><td class=\"n%s\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td></tr>\n",
		    st->facts_lost ? " fail" : "", (unsigned long long)st->facts_lost,
		    (unsigned long long)st->facts_at_risk, (unsigned long long)st->writers_waiting);
	strbuf_release(&c);
}

void report_board_html_render(const struct board_team *v, size_t n, const char *what, struct strbuf *out)
{
	const struct live_record **ended = xcalloc(n + 1, sizeof(*ended));
	size_t i, k, nended = 0, nrunning = 0;

	for (i = 0; i < n; i++) {
		if (!v[i].rec) {
			nrunning++;
			continue;
		}
		for (k = nended; k > 0 && better(v[i].rec, ended[k - 1]); k--)
			ended[k] = ended[k - 1];
		ended[k] = v[i].rec;
		nended++;
	}
	strbuf_addstr(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
			   "<meta charset=\"utf-8\"/><meta http-equiv=\"refresh\" content=\"2\"/>"
			   "<title>mdrill workshop board</title><style>\n"
			   "body{font-family:sans-serif;font-size:22px;margin:1em;color:#111}\n"
			   "h1{font-size:36px;margin:.2em 0}h2{font-size:27px;margin:1em 0 .3em}.dim{color:#555}\n"
			   "table{border-collapse:collapse}td,th{border:1px solid #999;padding:5px 9px;text-align:left}\n"
			   "td{white-space:nowrap}td.n{text-align:right}.pass{color:#009E73;font-weight:bold}"
			   ".fail{color:#D55E00;font-weight:bold}\n</style></head><body>\n"
			   "<h1>mdrill workshop board</h1>\n<p class=\"dim\" id=\"summary\">");
	strbuf_addf(out, "%zu drill%s under ", n, n == 1 ? "" : "s");
	xml_add_escaped(out, what);
	strbuf_addf(out, ": %zu running, %zu ended%s.</p>\n", nrunning, nended,
		    n && !nrunning ? "; every drill has ended, the ranking is final" : "");
	if (!n)
		strbuf_addstr(out, "<p>No drill yet: start each team's with --out under this directory.</p>\n");
	if (nrunning) {
		strbuf_addstr(out, "<h2>Running</h2>\n<table id=\"running\"><tr><th>team</th><th>scenario</th>"
				   "<th>elapsed</th><th>left</th><th>incident</th><th>facts lost</th>"
				   "<th>facts at risk</th><th>writers waiting</th></tr>\n");
		for (i = 0; i < n; i++)
			if (!v[i].rec && v[i].st)
				board_running_row(out, &v[i]);
		strbuf_addstr(out, "</table>\n");
	}
	if (nended) {
		strbuf_addstr(out, "<h2>Ranking of the drills that ended</h2>\n<table id=\"ranking\"><tr><th>rank</th>"
				   "<th>team</th><th>scenario</th><th>verdict</th><th>facts lost</th><th>to recovery</th>"
				   "<th>fixes</th><th>downs</th><th>score</th></tr>\n");
		for (i = 0; i < nended; i++) {
			const struct live_record *r = ended[i];
			struct strbuf rec = STRBUF_INIT;
			recovery(&rec, r);
			strbuf_addf(out, "<tr><td class=\"n\">%zu</td><td>", i + 1);
			xml_add_escaped(out, team_of(r));
			strbuf_addstr(out, "</td><td>");
			xml_add_escaped(out, r->scenario);
			strbuf_addf(out, "</td><td class=\"%s\">%s</td><td class=\"n\">%llu</td><td class=\"n\">%s</td>"
					 "<td class=\"n\">%d (%d failed)</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
					 "</tr>\n", r->pass ? "pass" : "fail", r->pass ? "PASS" : "FAIL",
				    (unsigned long long)r->lost, rec.buf, r->figures.fixes_applied + r->figures.fixes_failed,
				    r->figures.fixes_failed, r->figures.downs, r->score);
			strbuf_release(&rec);
		}
		strbuf_addstr(out, "</table>\n");
	}
	strbuf_addstr(out, "</body></html>\n");
	free(ended);
}
