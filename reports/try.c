/*
** mdrill try's verdict, four ways: the terminal's, a Markdown comment
** short enough for a pull request, a self-contained HTML page, and JSON.
** Each reads only the finished struct trial.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

/* A table cell of Markdown: pipes escaped, code quoted. */
static void md_code(struct strbuf *out, const char *v)
{
	strbuf_addch(out, '`');
	for (; v && *v; v++)
		strbuf_addch(out, *v == '|' ? '/' : *v == '`' || *v == '\n' ? ' ' : *v);
	strbuf_addch(out, '`');
}

static void migration_line(const struct trial *t, struct strbuf *out, int md)
{
	if (!t->ran) {
		strbuf_addstr(out, "never ran (the drill ended first)");
	} else if (t->completed) {
		strbuf_addf(out, "completed, ticks %lld to %lld", (long long)t->start, (long long)t->end);
	} else {
		strbuf_addf(out, "FAILED at statement %d", t->failed_statement);
		if (t->failed_file || t->failed_line)
			strbuf_addf(out, " (%s%s%d)", t->failed_file ? t->failed_file : "", t->failed_file ? ":" : "line ",
				    t->failed_line);
		strbuf_addstr(out, ": ");
		if (md)
			md_code(out, t->error);
		else
			strbuf_addstr(out, t->error ? t->error : "");
	}
}

static void waits_line(const struct trial *t, struct strbuf *out)
{
	if (!t->writers_waited)
		strbuf_addstr(out, "no writer waited on its locks");
	else
		strbuf_addf(out, "%llu writer%s waited on its locks: at most %lld tick%s, %lld in all",
			    (unsigned long long)t->writers_waited, t->writers_waited == 1 ? "" : "s",
			    (long long)t->wait_max, report_s(t->wait_max), (long long)t->wait_total);
}

/* The lock findings, one a line: what, where, the lock, the time here and projected, the verdict. */
static void locks_lines(const struct trial *t, struct strbuf *out, int md)
{
	const struct lock_report *r = &t->locks;
	size_t i;

	if (r->failed_stmt) {
		if (md)
			strbuf_addf(out, "\nLocks: statement %d failed on %lld rows a table, and was measured no further: ",
				    r->failed_stmt, (long long)r->seeded_rows);
		else if (r->failed_file)
			strbuf_addf(out, "  statement %d (%s:%d) failed here, and it and those after it were not measured: ",
				    r->failed_stmt, r->failed_file, r->failed_line);
		else
			strbuf_addf(out, "  statement %d failed here, and it and those after it were not measured: ",
				    r->failed_stmt);
		if (md)
			md_code(out, r->failed_error);
		else
			strbuf_addstr(out, r->failed_error);
		strbuf_addch(out, '\n');
	}
	if (!r->nr) {
		strbuf_addstr(out, md || r->failed_stmt ? "" : "  no statement held a lock that stops writers\n");
		return;
	}
	if (md)
		strbuf_addf(out, "\n| lock finding | statement | table | lock | here (%lld rows) | projected | |\n"
				 "|---|---|---|---|---|---|---|\n", (long long)r->seeded_rows);
	for (i = 0; i < r->nr; i++) {
		const struct lock_finding *f = &r->v[i];
		if (md) {
			strbuf_addf(out, "| `%s` | ", f->name);
			if (f->file)
				strbuf_addf(out, "%s:%d", f->file, f->line);
			else
				strbuf_addf(out, "statement %d", f->stmt);
			strbuf_addstr(out, " | ");
			md_code(out, f->table);
			if (f->unmeasured)
				strbuf_addf(out, " | %s | failed | not measured | |\n", f->lock);
			else
				strbuf_addf(out, " | %s | %.1f ms | %.0f ms at %lld rows | %s |\n", f->lock, f->ms,
					    f->projected_ms, (long long)f->prod_rows, f->fails ? "**fails**" : "passes");
			continue;
		}
		strbuf_addf(out, "  %-4s %s, statement %d", f->fails ? "FAIL" : f->unmeasured ? "?" : "ok", f->name,
			    f->stmt);
		if (f->file)
			strbuf_addf(out, " (%s:%d)", f->file, f->line);
		strbuf_addf(out, ": %s\n", f->why);
		if (!f->scan && !f->unmeasured)
			strbuf_addf(out, "       %.1f ms here, the same at %lld rows: a hold of %s that does not grow with "
				    "the table%s\n", f->ms, (long long)f->prod_rows, f->lock,
				    f->fails ? ", but past the budget" : "");
		if (f->advice)
			strbuf_addf(out, "       %s: %s\n", f->fails ? "instead" : "and", f->advice);
	}
}

static void data_line(const struct trial_data *d, struct strbuf *out, int md)
{
	size_t i;
	if (!d->lost) {
		strbuf_addf(out, "all %llu acknowledged facts kept", (unsigned long long)d->expected);
	} else {
		strbuf_addf(out, "%llu of %llu acknowledged facts not kept (%llu in lost rows, %llu lost fields, "
			    "%llu changed, %llu phantom)", (unsigned long long)d->lost, (unsigned long long)d->expected,
			    (unsigned long long)d->rows_lost, (unsigned long long)d->fields_lost,
			    (unsigned long long)d->changed, (unsigned long long)d->phantom);
		for (i = 0; i < d->nfields && i < 5; i++) {
			strbuf_addstr(out, i ? ", " : ": ");
			if (md)
				strbuf_addch(out, '`');
			strbuf_addf(out, "%s.%s", d->fields[i].table, d->fields[i].field);
			if (md)
				strbuf_addch(out, '`');
			strbuf_addf(out, " %llu%s%s", (unsigned long long)d->fields[i].n,
				    d->fields[i].gone ? " (column gone)" : "",
				    d->fields[i].allowed ? " (changed on purpose, allowed by the config)" : "");
		}
	}
	if (d->unwritten_rows)
		strbuf_addf(out, "; %llu row%s no acknowledged write made (the history's or the migration's own)",
			    (unsigned long long)d->unwritten_rows, d->unwritten_rows == 1 ? "" : "s");
	if (d->lost_by_down)
		strbuf_addf(out, "; %llu of them kept by the migration alone: the down migration's loss",
			    (unsigned long long)d->lost_by_down);
}

static void examples(const struct trial_data *d, struct strbuf *out, const char *lead)
{
	size_t i;
	/* Rows nobody wrote are no loss: the examples are for what was lost. */
	for (i = 0; d->lost && i < d->nexamples; i++) {
		const struct trial_example *e = &d->examples[i];
		strbuf_addf(out, "%s%s %s[%s].%s: expected '%s', found %s%s%s\n", lead, e->cls, e->table,
			    e->key ? e->key : "?", e->field, e->expected ? e->expected : "NULL", e->found ? "'" : "",
			    e->found ? e->found : "NULL", e->found ? "'" : "");
	}
}

void report_try_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	size_t i, shown = 0, width;
	(void)flags;

	strbuf_addf(out, "mdrill try: %s on %s, seed %llu\n\n", t->migration, t->engine, (unsigned long long)t->seed);
	strbuf_addstr(out, "The migration under old code's traffic: ");
	migration_line(t, out, 0);
	strbuf_addstr(out, "\n  ");
	waits_line(t, out);
	strbuf_addstr(out, "\n\nOld code (app 'old'), before the migration and from its start on\n");
	/* The names' column as wide as the longest shown, so that long ones keep the figures aligned. */
	for (i = 0, width = 11; i < t->ntx; i++)
		if ((t->tx[i].failed_after || t->tx[i].failed_before || i < 8) && strlen(t->tx[i].name) > width)
			width = strlen(t->tx[i].name);
	strbuf_addf(out, "  %-*s %10s %10s %10s %10s\n", (int)width, "transaction", "ok before", "failed", "ok after",
		    "failed");
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		if (!x->failed_after && !x->failed_before && shown >= 8)
			continue;
		shown++;
		strbuf_addf(out, "  %-*s %10llu %10llu %10llu %10llu\n", (int)width, x->name, (unsigned long long)x->ok_before,
			    (unsigned long long)x->failed_before, (unsigned long long)x->ok_after,
			    (unsigned long long)x->failed_after);
		if (x->message)
			strbuf_addf(out, "      %s (%s)\n", x->message, x->error_class);
	}
	if (shown < t->ntx)
		strbuf_addf(out, "  ... and %zu more that never failed\n", t->ntx - shown);
	if (t->old_noisy)
		strbuf_addf(out, "  note: %llu of old code's transactions fail from the migration on only as often as "
			    "before it: the generated traffic itself, not the migration (a fault of the scaffold's "
			    "generators to fix), and no reason of the verdict\n", (unsigned long long)t->old_noisy);
	else if (t->old_failed_before)
		strbuf_addf(out, "  note: %llu failed before the migration too: the generated traffic itself, not the "
			    "migration (see the scenario's generators)\n", (unsigned long long)t->old_failed_before);
	strbuf_addf(out, "\nLocks, measured on a quiet database of %lld rows a table, projected to production "
		    "size (budget %.0f ms)\n", (long long)t->locks.seeded_rows, t->locks.max_wait_ms);
	locks_lines(t, out, 0);
	strbuf_addstr(out, "\nData after the migration: ");
	data_line(&t->data, out, 0);
	strbuf_addch(out, '\n');
	examples(&t->data, out, "  ");
	if (t->with_down) {
		strbuf_addf(out, "\nThe down migration %s: %s\n  ", t->down, t->down_completed ? "completed" : "FAILED");
		if (!t->down_completed && t->down_error)
			strbuf_addf(out, "%s\n  ", t->down_error);
		data_line(&t->down_data, out, 0);
		strbuf_addch(out, '\n');
		examples(&t->down_data, out, "  ");
		if (t->new_failed_after_down)
			strbuf_addf(out, "  new code, still deployed, failed %llu times after it; most often %s\n",
				    (unsigned long long)t->new_failed_after_down, t->new_failure ? t->new_failure : "");
	}
	if (t->nnotes) {
		strbuf_addstr(out, "\nThe scaffold's notes\n");
		for (i = 0; i < t->nnotes && i < 10; i++)
			strbuf_addf(out, "  - %s\n", t->notes[i]);
		if (t->nnotes > 10)
			strbuf_addf(out, "  ... and %zu more (mdrill scaffold writes them all)\n", t->nnotes - 10);
	}
	if (t->pass)
		strbuf_addf(out, "\nVerdict: PASS: old code keeps working and nothing is lost%s\n",
			    t->data.lost ? " but what the config allows the migration to change" : "");
	else if (!t->nreasons)
		strbuf_addstr(out, "\nVerdict: NOT JUDGED: the migration changes a table the drill could not exercise\n");
	else
		strbuf_addstr(out, "\nVerdict: FAIL\n");
	for (i = 0; i < t->nunjudged; i++)
		strbuf_addf(out, "  - not drilled, so not judged: %s\n", t->unjudged[i]);
	for (i = 0; i < t->nreasons; i++)
		strbuf_addf(out, "  - %s\n", t->reasons[i]);
}

void report_try_markdown_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	size_t i;
	int any = 0;
	(void)flags;

	strbuf_addf(out, "### mdrill try: %s `%s` (%s)\n\n", t->pass ? "PASS" : t->nreasons ? "FAIL" : "NOT JUDGED",
		    t->migration, t->engine);
	for (i = 0; i < t->nunjudged; i++)
		strbuf_addf(out, "- not drilled, so not judged: %s\n", t->unjudged[i]);
	if (t->pass)
		strbuf_addstr(out, "Old code keeps working under the migration and every acknowledged write is kept.\n\n");
	for (i = 0; i < t->nreasons; i++)
		strbuf_addf(out, "- %s\n", t->reasons[i]);
	if (t->nreasons)
		strbuf_addch(out, '\n');
	strbuf_addstr(out, "| | |\n|---|---|\n| the migration | ");
	migration_line(t, out, 1);
	strbuf_addstr(out, " |\n| writers | ");
	waits_line(t, out);
	strbuf_addstr(out, " |\n| data | ");
	data_line(&t->data, out, 1);
	strbuf_addstr(out, " |\n");
	if (t->with_down) {
		strbuf_addf(out, "| down migration | %s; ", t->down_completed ? "completed" : "**failed**");
		data_line(&t->down_data, out, 1);
		if (t->new_failed_after_down)
			strbuf_addf(out, "; new code failed %llu times after it", (unsigned long long)t->new_failed_after_down);
		strbuf_addstr(out, " |\n");
	}
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		if (!x->failed_after)
			continue;
		if (!any++)
			strbuf_addstr(out, "\n| old code's transaction | failed from the migration on | before it | most often |\n"
					   "|---|---|---|---|\n");
		strbuf_addf(out, "| `%s` | %llu of %llu | %llu of %llu%s | ", x->name, (unsigned long long)x->failed_after,
			    (unsigned long long)(x->failed_after + x->ok_after), (unsigned long long)x->failed_before,
			    (unsigned long long)(x->failed_before + x->ok_before),
			    x->broken ? "" : " (as often: the traffic's own)");
		md_code(out, x->message);
		strbuf_addf(out, " (%s) |\n", x->error_class ? x->error_class : "");
	}
	locks_lines(t, out, 1);
	strbuf_addf(out, "\n<sub>%zu transactions of old code drilled against a scaffolded scenario, seed %llu%s%s.</sub>\n",
		    t->ntx, (unsigned long long)t->seed, t->nnotes ? "; scaffold notes: " : "",
		    t->nnotes ? "run `mdrill scaffold` to see them" : "");
}

static void html_text(struct strbuf *out, const char *s)
{
	xml_add_escaped(out, s ? s : "");
}

void report_try_html_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;
	(void)flags;

	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mdrill try: ");
	html_text(out, t->migration);
	strbuf_addstr(out, "</title><style>body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;"
			   "padding:0 1em;color:#1a1a1a}h1{font-size:1.4em}.pass{color:#1b7f3b}.fail{color:#b3261e}"
			   "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;"
			   "text-align:left;vertical-align:top}th{background:#f2f2f2}code{font-size:.95em}"
			   "</style></head><body>\n<h1>mdrill try: <span class=\"");
	strbuf_addstr(out, t->pass ? "pass\">PASS" : "fail\">FAIL");
	strbuf_addstr(out, "</span> ");
	html_text(out, t->migration);
	strbuf_addstr(out, "</h1>\n<p>on ");
	html_text(out, t->engine);
	strbuf_addf(out, ", seed %llu</p>\n<ul>\n", (unsigned long long)t->seed);
	for (i = 0; i < t->nreasons; i++) {
		strbuf_addstr(out, "<li>");
		html_text(out, t->reasons[i]);
		strbuf_addstr(out, "</li>\n");
	}
	if (t->pass)
		strbuf_addstr(out, "<li>old code keeps working and every acknowledged write is kept</li>\n");
	strbuf_addstr(out, "</ul>\n<table><tr><th>the migration</th><td>");
	migration_line(t, &line, 0);
	html_text(out, line.buf);
	strbuf_reset(&line);
	strbuf_addstr(out, "</td></tr>\n<tr><th>writers</th><td>");
	waits_line(t, &line);
	html_text(out, line.buf);
	strbuf_reset(&line);
	strbuf_addstr(out, "</td></tr>\n<tr><th>data</th><td>");
	data_line(&t->data, &line, 0);
	html_text(out, line.buf);
	strbuf_reset(&line);
	strbuf_addstr(out, "</td></tr>\n");
	if (t->with_down) {
		strbuf_addstr(out, "<tr><th>down migration</th><td>");
		strbuf_addf(&line, "%s: %s; ", t->down, t->down_completed ? "completed" : "failed");
		data_line(&t->down_data, &line, 0);
		html_text(out, line.buf);
		strbuf_reset(&line);
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</table>\n<h2>Old code</h2>\n<table><tr><th>transaction</th><th>ok before</th>"
			   "<th>failed before</th><th>ok after</th><th>failed after</th><th>most often</th></tr>\n");
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		strbuf_addstr(out, "<tr><td><code>");
		html_text(out, x->name);
		strbuf_addf(out, "</code></td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
			    (unsigned long long)x->ok_before, (unsigned long long)x->failed_before,
			    (unsigned long long)x->ok_after, (unsigned long long)x->failed_after);
		html_text(out, x->message);
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</table>\n");
	if (t->nnotes) {
		strbuf_addstr(out, "<h2>The scaffold's notes</h2>\n<ul>\n");
		for (i = 0; i < t->nnotes; i++) {
			strbuf_addstr(out, "<li>");
			html_text(out, t->notes[i]);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul>\n");
	}
	strbuf_addstr(out, "</body></html>\n");
	strbuf_release(&line);
}

static void json_data(struct strbuf *out, const struct trial_data *d)
{
	size_t i;
	strbuf_addf(out, "{\"expected\":%llu,\"lost\":%llu,\"rows_lost\":%llu,\"fields_lost\":%llu,\"changed\":%llu,"
			 "\"phantom\":%llu,\"unwritten_rows\":%llu,\"lost_by_down\":%llu,\"columns\":[",
		    (unsigned long long)d->expected, (unsigned long long)d->lost, (unsigned long long)d->rows_lost,
		    (unsigned long long)d->fields_lost, (unsigned long long)d->changed, (unsigned long long)d->phantom,
		    (unsigned long long)d->unwritten_rows, (unsigned long long)d->lost_by_down);
	for (i = 0; i < d->nfields; i++) {
		strbuf_addstr(out, i ? ",{\"table\":" : "{\"table\":");
		json_add_string(out, d->fields[i].table);
		strbuf_addstr(out, ",\"field\":");
		json_add_string(out, d->fields[i].field);
		strbuf_addf(out, ",\"lost\":%llu,\"gone\":%s,\"allowed\":%s}", (unsigned long long)d->fields[i].n,
			    d->fields[i].gone ? "true" : "false", d->fields[i].allowed ? "true" : "false");
	}
	strbuf_addstr(out, "],\"examples\":[");
	for (i = 0; i < d->nexamples; i++) {
		const struct trial_example *e = &d->examples[i];
		strbuf_addstr(out, i ? ",{\"class\":" : "{\"class\":");
		json_add_string(out, e->cls);
		strbuf_addstr(out, ",\"table\":");
		json_add_string(out, e->table);
		strbuf_addstr(out, ",\"key\":");
		json_add_string(out, e->key);
		strbuf_addstr(out, ",\"field\":");
		json_add_string(out, e->field);
		strbuf_addstr(out, ",\"expected\":");
		json_add_string(out, e->expected);
		strbuf_addstr(out, ",\"found\":");
		json_add_string(out, e->found);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]}");
}

void report_try_json_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	size_t i;
	(void)flags;

	strbuf_addstr(out, "{\"format_version\":1,\"try\":");
	json_add_string(out, t->migration);
	strbuf_addstr(out, ",\"engine\":");
	json_add_string(out, t->engine);
	strbuf_addf(out, ",\"seed\":%llu,\"verdict\":\"%s\",\"reasons\":[", (unsigned long long)t->seed,
		    trial_verdict(t));
	for (i = 0; i < t->nreasons; i++) {
		strbuf_addstr(out, i ? "," : "");
		json_add_string(out, t->reasons[i]);
	}
	strbuf_addf(out, "],\"migration\":{\"ran\":%s,\"completed\":%s,\"start_tick\":%lld,\"end_tick\":%lld,"
			 "\"failed_statement\":%d,\"failed_line\":%d,\"failed_file\":", t->ran ? "true" : "false",
		    t->completed ? "true" : "false", (long long)t->start, (long long)t->end, t->failed_statement,
		    t->failed_line);
	json_add_string(out, t->failed_file);
	strbuf_addstr(out, ",\"failed_sql\":");
	json_add_string(out, t->failed_sql);
	strbuf_addstr(out, ",\"error\":");
	json_add_string(out, t->error);
	strbuf_addstr(out, ",\"error_class\":");
	json_add_string(out, t->error_class);
	strbuf_addf(out, "},\"writers\":{\"waited\":%llu,\"max_ticks\":%lld,\"total_ticks\":%lld},\"old_code\":[",
		    (unsigned long long)t->writers_waited, (long long)t->wait_max, (long long)t->wait_total);
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		strbuf_addstr(out, i ? ",{\"transaction\":" : "{\"transaction\":");
		json_add_string(out, x->name);
		strbuf_addf(out, ",\"ok_before\":%llu,\"failed_before\":%llu,\"ok_after\":%llu,\"failed_after\":%llu,"
				 "\"broken\":%s,\"message\":", (unsigned long long)x->ok_before,
			    (unsigned long long)x->failed_before, (unsigned long long)x->ok_after,
			    (unsigned long long)x->failed_after, x->broken ? "true" : "false");
		json_add_string(out, x->message);
		strbuf_addstr(out, ",\"error_class\":");
		json_add_string(out, x->error_class);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "],\"data\":");
	json_data(out, &t->data);
	strbuf_addstr(out, ",\"down\":");
	if (t->with_down) {
		strbuf_addstr(out, "{\"migration\":");
		json_add_string(out, t->down);
		strbuf_addf(out, ",\"completed\":%s,\"error\":", t->down_completed ? "true" : "false");
		json_add_string(out, t->down_error);
		strbuf_addstr(out, ",\"data\":");
		json_data(out, &t->down_data);
		strbuf_addf(out, ",\"new_failed_after\":%llu,\"new_failure\":", (unsigned long long)t->new_failed_after_down);
		json_add_string(out, t->new_failure);
		strbuf_addch(out, '}');
	} else {
		strbuf_addstr(out, "null");
	}
	strbuf_addf(out, ",\"locks\":{\"measured_rows\":%lld,\"max_wait_ms\":%.0f,\"findings\":[",
		    (long long)t->locks.seeded_rows, t->locks.max_wait_ms);
	for (i = 0; i < t->locks.nr; i++) {
		const struct lock_finding *f = &t->locks.v[i];
		strbuf_addstr(out, i ? ",{\"name\":" : "{\"name\":");
		json_add_string(out, f->name);
		strbuf_addf(out, ",\"statement\":%d,\"file\":", f->stmt);
		json_add_string(out, f->file);
		strbuf_addf(out, ",\"line\":%d,\"sql\":", f->line);
		json_add_string(out, f->sql);
		strbuf_addstr(out, ",\"table\":");
		json_add_string(out, f->table);
		strbuf_addstr(out, ",\"lock\":");
		json_add_string(out, f->lock);
		strbuf_addf(out, ",\"blocks_writers\":%s,\"blocks_readers\":%s,\"rewrite\":%s,\"scan\":%s,"
				 "\"ms\":%.3f,\"rows\":%lld,\"work\":%lld,\"production_rows\":%lld,"
				 "\"projected_ms\":%.1f,\"fails\":%s,\"why\":",
			    f->blocks_writers ? "true" : "false", f->blocks_readers ? "true" : "false",
			    f->rewrite ? "true" : "false", f->scan ? "true" : "false", f->ms, (long long)f->rows,
			    (long long)f->work, (long long)f->prod_rows, f->projected_ms, f->fails ? "true" : "false");
		json_add_string(out, f->why);
		strbuf_addstr(out, ",\"advice\":");
		json_add_string(out, f->advice);
		strbuf_addch(out, '}');
	}
	strbuf_addf(out, "],\"failed_statement\":%d,\"failed_file\":", t->locks.failed_stmt);
	json_add_string(out, t->locks.failed_file);
	strbuf_addf(out, ",\"failed_line\":%d,\"failed_error\":", t->locks.failed_line);
	json_add_string(out, t->locks.failed_error);
	strbuf_addstr(out, "},\"unjudged\":[");
	for (i = 0; i < t->nunjudged; i++) {
		strbuf_addstr(out, i ? "," : "");
		json_add_string(out, t->unjudged[i]);
	}
	strbuf_addstr(out, "],\"notes\":[");
	for (i = 0; i < t->nnotes; i++) {
		strbuf_addstr(out, i ? "," : "");
		json_add_string(out, t->notes[i]);
	}
	strbuf_addstr(out, "]}\n");
}

/* One SARIF result: rule, level, message, and the file and line when known. */
static void sarif_result(struct strbuf *out, int *first, const char *rule, const char *level, const char *msg,
			 const char *file, int line)
{
	strbuf_addstr(out, *first ? "{\"ruleId\":" : ",{\"ruleId\":");
	*first = 0;
	json_add_string(out, rule);
	strbuf_addf(out, ",\"level\":\"%s\",\"message\":{\"text\":", level);
	json_add_string(out, msg);
	strbuf_addch(out, '}');
	if (file) {
		strbuf_addstr(out, ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		json_add_string(out, file);
		strbuf_addf(out, "},\"region\":{\"startLine\":%d}}}]", line > 0 ? line : 1);
	}
	strbuf_addch(out, '}');
}

void report_try_sarif_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	static const struct { const char *id, *text; } rules[] = {
		{ "migration-fails", "The migration does not apply on a database with rows in it" },
		{ "old-code-fails", "Old code's transaction fails under the migration more often than before it" },
		{ "data-lost", "Acknowledged writes are not kept after the migration" },
		{ "down-loses-data", "The down migration loses facts the migration alone kept" },
		{ "table-rewrite", "The table is rewritten under a lock that stops writers" },
		{ "blocking-scan", "Every row is read under a lock that stops writers" },
		{ "blocking-backfill", "Every row is written in one statement, each locked against writers" },
		{ "long-lock", "A lock that stops writers is held past the budget at production size" },
		{ "not-judged", "The migration changes a table the drill could not exercise" },
	};
	struct strbuf msg = STRBUF_INIT;
	size_t i;
	int first = 1;
	(void)flags;

	strbuf_addstr(out, "{\"version\":\"2.1.0\",\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
			   "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"mdrill try\",\"rules\":[");
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		strbuf_addstr(out, i ? ",{\"id\":" : "{\"id\":");
		json_add_string(out, rules[i].id);
		strbuf_addstr(out, ",\"shortDescription\":{\"text\":");
		json_add_string(out, rules[i].text);
		strbuf_addstr(out, "}}");
	}
	strbuf_addstr(out, "]}},\"results\":[");
	if (t->ran && !t->completed) {
		strbuf_addf(&msg, "statement %d fails: %s", t->failed_statement, t->error ? t->error : "");
		sarif_result(out, &first, "migration-fails", "error", msg.buf, t->failed_file ? t->failed_file : t->migration,
			     t->failed_line);
	} else if (t->locks.failed_stmt) {
		strbuf_addf(&msg, "statement %d fails on %lld rows a table: %s", t->locks.failed_stmt,
			    (long long)t->locks.seeded_rows, t->locks.failed_error);
		sarif_result(out, &first, "migration-fails", "error", msg.buf,
			     t->locks.failed_file ? t->locks.failed_file : t->migration, t->locks.failed_line);
	}
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		if (!x->broken)
			continue;
		strbuf_reset(&msg);
		strbuf_addf(&msg, "old code's %s fails under the migration (%llu of %llu): %s", x->name,
			    (unsigned long long)x->failed_after, (unsigned long long)(x->failed_after + x->ok_after),
			    x->message ? x->message : "");
		sarif_result(out, &first, "old-code-fails", "error", msg.buf, t->migration, 1);
	}
	if (t->data.lost) {
		strbuf_reset(&msg);
		strbuf_addf(&msg, "%llu of %llu acknowledged facts not kept", (unsigned long long)t->data.lost,
			    (unsigned long long)t->data.expected);
		sarif_result(out, &first, "data-lost", "error", msg.buf, t->migration, 1);
	}
	if (t->with_down && t->down_data.lost_by_down) {
		strbuf_reset(&msg);
		strbuf_addf(&msg, "the down migration loses %llu facts the migration alone kept",
			    (unsigned long long)t->down_data.lost_by_down);
		sarif_result(out, &first, "down-loses-data", "error", msg.buf, t->down, 1);
	}
	for (i = 0; i < t->locks.nr; i++) {
		const struct lock_finding *f = &t->locks.v[i];
		if (!f->fails)
			continue;
		strbuf_reset(&msg);
		strbuf_addf(&msg, "%s; instead: %s", f->why, f->advice ? f->advice : "");
		sarif_result(out, &first, f->name, "error", msg.buf, f->file ? f->file : t->migration, f->line);
	}
	for (i = 0; i < t->nunjudged; i++)
		sarif_result(out, &first, "not-judged", "warning", t->unjudged[i], t->migration, 1);
	strbuf_addstr(out, "]}]}\n");
	strbuf_release(&msg);
}

void report_try_junit_render(const struct trial *t, struct strbuf *out, unsigned flags)
{
	struct junit j = JUNIT_INIT;
	struct strbuf name = STRBUF_INIT, why = STRBUF_INIT;
	size_t i;
	(void)flags;

	if (t->ran && !t->completed)
		strbuf_addf(&why, "statement %d fails: %s", t->failed_statement, t->error ? t->error : "");
	else if (t->locks.failed_stmt)
		strbuf_addf(&why, "statement %d fails on %lld rows a table: %s", t->locks.failed_stmt,
			    (long long)t->locks.seeded_rows, t->locks.failed_error);
	report_junit_add(&j, t->migration, "the migration applies with rows in the tables", why.len ? why.buf : NULL);
	for (i = 0; i < t->ntx; i++) {
		const struct trial_tx *x = &t->tx[i];
		strbuf_reset(&name);
		strbuf_reset(&why);
		strbuf_addf(&name, "old code's %s keeps working", x->name);
		if (x->broken)
			strbuf_addf(&why, "%llu of %llu fail: %s", (unsigned long long)x->failed_after,
				    (unsigned long long)(x->failed_after + x->ok_after), x->message ? x->message : "");
		report_junit_add(&j, t->migration, name.buf, why.len ? why.buf : NULL);
	}
	strbuf_reset(&why);
	if (t->data.lost)
		strbuf_addf(&why, "%llu of %llu acknowledged facts not kept", (unsigned long long)t->data.lost,
			    (unsigned long long)t->data.expected);
	report_junit_add(&j, t->migration, "every acknowledged write is kept", why.len ? why.buf : NULL);
	for (i = 0; i < t->locks.nr; i++) {
		const struct lock_finding *f = &t->locks.v[i];
		strbuf_reset(&name);
		strbuf_addf(&name, "statement %d: %s on %s", f->stmt, f->name, f->table);
		report_junit_add(&j, t->migration, name.buf, f->fails ? f->why : NULL);
	}
	if (t->with_down) {
		strbuf_reset(&why);
		if (t->down_data.lost_by_down)
			strbuf_addf(&why, "the down migration loses %llu facts", (unsigned long long)t->down_data.lost_by_down);
		report_junit_add(&j, t->migration, "the down migration keeps what the migration kept",
				 why.len ? why.buf : NULL);
	}
	for (i = 0; i < t->nunjudged; i++)
		report_junit_add(&j, t->migration, "every table it changes is drilled", t->unjudged[i]);
	report_junit_render(&j, "mdrill try", out);
	report_junit_release(&j);
	strbuf_release(&name);
	strbuf_release(&why);
}
