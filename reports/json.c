/*
** The JSON renderer.  One object, keys in a fixed order, numbers printed
** with fixed precision and no wall-clock time or machine path anywhere, so
** the same scenario, fix and seed give byte-identical output.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "../scoring/oracle.h"

#define FORMAT_VERSION 1

void json_add_string(struct strbuf *out, const char *s)
{
	if (!s) {
		strbuf_addstr(out, "null");
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		default:
			if (c < 0x20)
				strbuf_addf(out, "\\u%04x", c);
			else
				strbuf_addch(out, (char)c);
		}
	}
	strbuf_addch(out, '"');
}

static void key(struct strbuf *out, int *first, const char *k)
{
	strbuf_addstr(out, *first ? "" : ",");
	*first = 0;
	json_add_string(out, k);
	strbuf_addch(out, ':');
}

static void kv_str(struct strbuf *out, int *first, const char *k, const char *v)
{
	key(out, first, k);
	json_add_string(out, v);
}

static void kv_int(struct strbuf *out, int *first, const char *k, long long v)
{
	key(out, first, k);
	strbuf_addf(out, "%lld", v);
}

static void kv_tick(struct strbuf *out, int *first, const char *k, long long v)
{
	key(out, first, k);
	if (v < 0)
		strbuf_addstr(out, "null");
	else
		strbuf_addf(out, "%lld", v);
}

static void kv_bool(struct strbuf *out, int *first, const char *k, int v)
{
	key(out, first, k);
	strbuf_addstr(out, v ? "true" : "false");
}

/* The count fields of c, into an object already open. */
static void count_fields(struct strbuf *out, int *f, const struct oracle_counts *c)
{
	kv_int(out, f, "expected", (long long)c->expected);
	kv_int(out, f, "preserved", (long long)c->n[OC_PRESERVED]);
	kv_int(out, f, "lost_rows", (long long)c->n[OC_LOST_ROW]);
	kv_int(out, f, "lost_fields", (long long)c->n[OC_LOST_FIELD]);
	kv_int(out, f, "corrupted", (long long)c->n[OC_CORRUPTED]);
	kv_int(out, f, "phantom", (long long)c->n[OC_PHANTOM]);
	kv_int(out, f, "indeterminate", (long long)c->indeterminate);
}

static void counts(struct strbuf *out, const struct oracle_counts *c)
{
	int f = 1;
	double ratio = oracle_counts_ratio(c);
	strbuf_addch(out, '{');
	count_fields(out, &f, c);
	key(out, &f, "ratio");
	strbuf_addf(out, "%.6f", ratio);
	strbuf_addch(out, '}');
}

static void migration(struct strbuf *out, const struct sc_migration *m, int is_fix, int is_down,
		      int crash_after)
{
	int f = 1;
	strbuf_addch(out, '{');
	if (is_fix) {
		kv_str(out, &f, "label", m->label);
		kv_str(out, &f, "kind", is_down ? "down" : "fix");
	}
	kv_bool(out, &f, "ran", m->ran);
	kv_bool(out, &f, "applied", m->completed);
	kv_int(out, &f, "statements", (long long)m->statements);
	kv_int(out, &f, "applied_statements", (long long)m->applied);
	key(out, &f, "failed_statement");
	if (m->failed_statement)
		strbuf_addf(out, "%d", m->failed_statement);
	else
		strbuf_addstr(out, "null");
	key(out, &f, "failed_line");
	if (m->failed_line)
		strbuf_addf(out, "%d", m->failed_line);
	else
		strbuf_addstr(out, "null");
	kv_str(out, &f, "failed_file", m->failed_file);
	kv_str(out, &f, "failed_sql", m->failed_sql);
	kv_str(out, &f, "error", m->error);
	kv_str(out, &f, "error_class", m->error_class);
	kv_tick(out, &f, "start_tick", m->start);
	kv_tick(out, &f, "end_tick", m->end);
	kv_int(out, &f, "waited_ticks", (long long)m->waited);
	if (is_fix) {
		key(out, &f, "crashed_after");
		if (crash_after)
			strbuf_addf(out, "%d", crash_after);
		else
			strbuf_addstr(out, "null");
	}
	strbuf_addch(out, '}');
}

/* The fix's repeated statements, or null when it has none. */
static void backfill(struct strbuf *out, const struct sc_backfill *b, int64_t bucket_ticks)
{
	int f = 1, i;

	if (!b->present) {
		strbuf_addstr(out, "null");
		return;
	}
	strbuf_addch(out, '{');
	kv_int(out, &f, "statement", b->statement);
	kv_int(out, &f, "statements", b->statements);
	kv_int(out, &f, "max_runs", b->max_runs);
	kv_int(out, &f, "runs", (long long)b->runs);
	kv_int(out, &f, "rows", (long long)b->rows);
	kv_bool(out, &f, "converged", b->converged);
	kv_tick(out, &f, "first_tick", b->first_tick);
	kv_tick(out, &f, "last_tick", b->last_tick);
	kv_int(out, &f, "bucket_ticks", (long long)bucket_ticks);
	key(out, &f, "rows_per_bucket");
	strbuf_addch(out, '[');
	for (i = 0; i < SCORECARD_BUCKETS; i++)
		strbuf_addf(out, "%s%llu", i ? "," : "", (unsigned long long)b->series[i]);
	strbuf_addstr(out, "]}");
}

void report_json_render(const struct scorecard *s, struct strbuf *out, unsigned flags)
{
	int f = 1, g;
	size_t i;
	int ph, w;

	(void)flags;
	strbuf_addch(out, '{');
	kv_int(out, &f, "format_version", FORMAT_VERSION);
	kv_str(out, &f, "scenario", s->scenario);
	kv_str(out, &f, "title", s->title);
	kv_str(out, &f, "essay", s->essay);
	kv_str(out, &f, "engine", s->engine);
	kv_str(out, &f, "mode", s->concurrent ? "concurrent" : "deterministic");
	kv_int(out, &f, "seed", (long long)s->seed);
	kv_str(out, &f, "notice", s->notice);
	key(out, &f, "params");
	strbuf_addch(out, '{');
	for (g = 1, i = 0; i < s->nparams; i++)
		kv_str(out, &g, s->param_names[i], s->param_values[i]);
	strbuf_addch(out, '}');
	key(out, &f, "fix");
	migration(out, &s->fix, 1, s->fix_is_down, s->crash_after);
	key(out, &f, "bad_migration");
	migration(out, &s->bad, 0, 0, 0);

	key(out, &f, "ticks");
	g = 1;
	strbuf_addch(out, '{');
	kv_tick(out, &g, "bad_start", s->bad.start);
	kv_tick(out, &g, "fix_start", s->fix.start);
	kv_tick(out, &g, "fix_end", s->fix.end);
	kv_tick(out, &g, "end", s->end_tick);
	kv_tick(out, &g, "drained", s->last_tick);
	strbuf_addch(out, '}');

	key(out, &f, "flags");
	strbuf_addch(out, '[');
	for (i = 0; i < s->nflips; i++) {
		int h = 1;
		strbuf_addstr(out, i ? ",{" : "{");
		kv_str(out, &h, "name", s->flips[i].name);
		kv_int(out, &h, "tick", (long long)s->flips[i].tick);
		kv_str(out, &h, "state", s->flips[i].on ? "on" : "off");
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');

	key(out, &f, "phases");
	strbuf_addch(out, '[');
	for (g = 1, ph = 0; ph < PH_COUNT; ph++) {
		for (i = 0; i < s->nversions; i++) {
			int h = 1;
			strbuf_addstr(out, g ? "" : ",");
			g = 0;
			strbuf_addch(out, '{');
			kv_str(out, &h, "name", phase_name(ph));
			kv_str(out, &h, "version", s->versions[i]);
			kv_int(out, &h, "committed", (long long)s->committed[i][ph]);
			kv_int(out, &h, "failed", (long long)s->failed[i][ph]);
			strbuf_addch(out, '}');
		}
	}
	strbuf_addch(out, ']');

	key(out, &f, "preservation");
	{
		int h = 1;
		strbuf_addch(out, '{');
		count_fields(out, &h, &s->total);
		kv_int(out, &h, "rows_lost", (long long)s->rows_lost);
		kv_int(out, &h, "phantom_rows_unexpected", (long long)s->extra_phantoms);
		key(out, &h, "ratio");
		strbuf_addf(out, "%.6f", s->ratio);
		key(out, &h, "windows");
		strbuf_addch(out, '{');
		for (g = 1, w = 0; w < OW_COUNT; w++) {
			key(out, &g, oracle_window_name(w));
			counts(out, &s->win[w]);
		}
		strbuf_addch(out, '}');
		kv_int(out, &h, "findings", (long long)s->nfindings);
		key(out, &h, "examples");
		strbuf_addch(out, '[');
		for (i = 0; i < s->nexamples; i++) {
			const struct sc_example *e = &s->examples[i];
			int k = 1;
			strbuf_addstr(out, i ? ",{" : "{");
			kv_str(out, &k, "class", oracle_class_name(e->cls));
			kv_str(out, &k, "window", oracle_window_name(e->window));
			kv_str(out, &k, "table", e->table);
			kv_str(out, &k, "key", e->key);
			kv_str(out, &k, "field", e->field);
			kv_str(out, &k, "expected", e->expected);
			kv_str(out, &k, "found", e->found);
			kv_bool(out, &k, "found_absent", e->found_absent);
			kv_str(out, &k, "why", e->why);
			if (s->live)
				kv_str(out, &k, "lost_by", e->lost_by);
			strbuf_addch(out, '}');
		}
		strbuf_addch(out, ']');
		key(out, &h, "probe_notes");
		strbuf_addch(out, '[');
		for (i = 0; i < s->nnotes; i++) {
			strbuf_addstr(out, i ? "," : "");
			json_add_string(out, s->notes[i]);
		}
		strbuf_addch(out, ']');
		/* A live drill's: what lost the facts lost at the end, laid at their causes. */
		if (s->live) {
			key(out, &h, "lost_by");
			strbuf_addch(out, '[');
			for (i = 0; i < s->nlosses; i++) {
				int k = 1;
				strbuf_addstr(out, i ? ",{" : "{");
				kv_str(out, &k, "cause", s->losses[i].cause);
				kv_int(out, &k, "tick", (long long)s->losses[i].tick);
				kv_int(out, &k, "facts", (long long)s->losses[i].facts);
				kv_int(out, &k, "lost", (long long)s->losses[i].lost);
				kv_int(out, &k, "recovered", (long long)s->losses[i].recovered);
				strbuf_addch(out, '}');
			}
			strbuf_addch(out, ']');
		}
		strbuf_addch(out, '}');
	}

	key(out, &f, "blocking");
	g = 1;
	strbuf_addch(out, '{');
	kv_int(out, &g, "max_ticks", (long long)s->blocked_max);
	kv_int(out, &g, "total_ticks", (long long)s->blocked_total);
	kv_int(out, &g, "fix_waited_ticks", (long long)s->fix.waited);
	kv_int(out, &g, "drill_max_ticks", (long long)s->drill_blocked_max);
	kv_int(out, &g, "busy", (long long)s->busy);
	kv_int(out, &g, "stall", (long long)s->stall);
	strbuf_addch(out, '}');

	key(out, &f, "after_fix");
	g = 1;
	strbuf_addch(out, '{');
	kv_int(out, &g, "committed", (long long)s->after_committed);
	kv_int(out, &g, "failed", (long long)s->after_failed);
	kv_str(out, &g, "top_failure_version", s->after_top.version);
	kv_str(out, &g, "top_failure_class", s->after_top.error_class);
	kv_str(out, &g, "top_failure_message", s->after_top.message);
	strbuf_addch(out, '}');

	key(out, &f, "connections");
	g = 1;
	strbuf_addch(out, '{');
	kv_int(out, &g, "lost", (long long)s->conn_lost);
	kv_int(out, &g, "committed", (long long)s->conn_committed);
	kv_int(out, &g, "aborted", (long long)s->conn_aborted);
	kv_int(out, &g, "indeterminate", (long long)s->conn_indeterminate);
	kv_int(out, &g, "after_fix", (long long)s->after_conn_failed);
	strbuf_addch(out, '}');
	key(out, &f, "backfill");
	backfill(out, &s->backfill, s->bucket_ticks);

	key(out, &f, "faults");
	strbuf_addch(out, '[');
	for (i = 0; i < s->nfaults; i++) {
		int h = 1;
		strbuf_addstr(out, i ? ",{" : "{");
		kv_int(out, &h, "tick", (long long)s->faults[i].tick);
		kv_str(out, &h, "fault", s->faults[i].what);
		kv_int(out, &h, "arg", (long long)s->faults[i].arg);
		key(out, &h, "client");
		if (s->faults[i].client >= 0)
			strbuf_addf(out, "%d", s->faults[i].client);
		else
			strbuf_addstr(out, "null");
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
	key(out, &f, "roll_forward");
	strbuf_addstr(out, s->roll_forward < 0 ? "null" : s->roll_forward ? "true" : "false");
	key(out, &f, "crash_points");
	if (s->roll_forward < 0) {
		strbuf_addstr(out, "null");
	} else {
		strbuf_addch(out, '[');
		for (i = 0; i < s->ncrashes; i++) {
			const struct sc_crash *c = &s->crashes[i];
			int h = 1;
			strbuf_addstr(out, i ? ",{" : "{");
			kv_int(out, &h, "after_statement", c->after);
			kv_bool(out, &h, "reached", c->reached);
			kv_tick(out, &h, "tick", c->tick);
			kv_bool(out, &h, "rerun_completed", c->completed);
			kv_bool(out, &h, "same_schema", c->same_schema);
			kv_int(out, &h, "lost", (long long)c->lost);
			kv_int(out, &h, "lost_without_crash", (long long)c->base_lost);
			kv_bool(out, &h, "converged", c->converged);
			kv_str(out, &h, "error", c->error);
			strbuf_addch(out, '}');
		}
		strbuf_addch(out, ']');
	}

	kv_str(out, &f, "verdict", s->pass ? "pass" : "fail");
	key(out, &f, "reasons");
	strbuf_addch(out, '[');
	for (i = 0; i < s->nreasons; i++) {
		strbuf_addstr(out, i ? "," : "");
		json_add_string(out, s->reasons[i]);
	}
	strbuf_addch(out, ']');
	kv_int(out, &f, "score", s->score);
	strbuf_addstr(out, "}\n");
}

void report_swarm_json_render(const struct swarm_report *r, struct strbuf *out, unsigned flags)
{
	const struct swarm_result *res = r->result;
	const struct swarm_row *worst = res->nrows ? &res->rows[res->worst] : NULL;
	size_t i;

	(void)flags;
	strbuf_addstr(out, "{\"format_version\":1,\"scenario\":");
	json_add_string(out, r->scenario);
	strbuf_addstr(out, ",\"engine\":");
	json_add_string(out, r->engine);
	strbuf_addf(out, ",\"seeds\":{\"from\":%llu,\"to\":%llu}", (unsigned long long)r->from, (unsigned long long)r->to);
	if (r->shard_n)
		strbuf_addf(out, ",\"shard\":{\"k\":%llu,\"n\":%llu}", (unsigned long long)r->shard_k,
			    (unsigned long long)r->shard_n);
	strbuf_addf(out, ",\"runs\":%zu,\"passed\":%zu,\"failed\":%zu,\"results\":[", res->nrows, res->passed,
		    res->nrows - res->passed);
	for (i = 0; i < res->nrows; i++) {
		const struct swarm_row *row = &res->rows[i];
		strbuf_addf(out, "%s{\"seed\":%llu,\"verdict\":\"%s\",\"score\":%d,\"lost\":%llu,\"faults\":",
			    i ? "," : "", (unsigned long long)row->seed, row->pass ? "pass" : "fail",
			    row->score, (unsigned long long)row->lost);
		json_add_string(out, row->faults);
		strbuf_addch(out, '}');
	}
	if (!worst) {
		strbuf_addstr(out, "],\"worst\":null,\"reproduce\":null}\n");
		return;
	}
	strbuf_addf(out, "],\"worst\":{\"seed\":%llu,\"score\":%d},\"reproduce\":",
		    (unsigned long long)worst->seed, worst->score);
	json_add_string(out, r->reproduce);
	strbuf_addstr(out, "}\n");
}

static void kv_real(struct strbuf *out, int *first, const char *k, double v)
{
	key(out, first, k);
	if (v < 0)
		strbuf_addstr(out, "null");
	else
		strbuf_addf(out, "%.1f", v);
}

/* ticks as seconds of the paced drill, null for -1. */
static void kv_seconds(struct strbuf *out, int *first, const char *k, int64_t ticks, double tps)
{
	kv_real(out, first, k, ticks < 0 || tps <= 0 ? -1 : (double)ticks / tps);
}

static void live_action_json(struct strbuf *out, const struct live *l, size_t i)
{
	const struct live_action *a = &l->actions[i];
	const struct mig_report *r;
	enum live_outcome o = live_outcome(l, i, &r);
	size_t k;
	int f = 1;

	strbuf_addch(out, '{');
	kv_str(out, &f, "kind", live_kind_name(a->kind));
	kv_int(out, &f, "tick", (long long)a->tick);
	kv_real(out, &f, "wall_s", a->wall);
	kv_str(out, &f, "what", a->what);
	if (a->kind == LIVE_FLAG)
		kv_bool(out, &f, "on", a->on);
	/* What it lost: facts found lost at it, and found readable again at it (scoring/loss.h). */
	if (a->kind != LIVE_END) {
		const struct loss_cause *c = a->cause >= 0 ? &l->loss.causes[a->cause] : NULL;
		kv_int(out, &f, "facts_lost", c ? (long long)c->lost : 0);
		kv_int(out, &f, "facts_recovered", c ? (long long)c->recovered : 0);
	}
	if (a->kind == LIVE_APPLY || a->kind == LIVE_DOWN) {
		kv_str(out, &f, "outcome", o == LIVE_APPLIED ? "applied" : o == LIVE_FAILED ? "failed" : "running");
		kv_tick(out, &f, "start_tick", r ? r->start : -1);
		kv_tick(out, &f, "end_tick", r ? r->end : -1);
		kv_tick(out, &f, "failed_statement", r && r->failed ? r->failed : -1);
		kv_str(out, &f, "error", r ? r->error : NULL);
		if (a->kind == LIVE_APPLY) {
			kv_str(out, &f, "text", a->text);
			kv_bool(out, &f, "one_transaction", a->one_tx);
		}
		key(out, &f, "statements");
		strbuf_addch(out, '[');
		for (k = 0; k < a->script.nr; k++) {
			int g = 1;
			const struct sql_stmt *st = &a->script.v[k];
			strbuf_addstr(out, k ? ",{" : "{");
			kv_str(out, &g, "sql", st->sql);
			kv_int(out, &g, "line", st->line);
			kv_str(out, &g, "file", st->file);
			kv_int(out, &g, "repeat", st->repeat);
			strbuf_addch(out, '}');
		}
		strbuf_addch(out, ']');
	}
	strbuf_addch(out, '}');
}

void report_live_record_render(const struct live *l, const struct live_meta *m, struct strbuf *out)
{
	const struct live_figures *fg = &l->figures;
	double tps = l->ticks_per_second;
	size_t i;
	int f = 1, g = 1;

	strbuf_addch(out, '{');
	kv_int(out, &f, "format_version", FORMAT_VERSION);
	kv_str(out, &f, "record", "mdrill live drill");
	kv_str(out, &f, "scenario", m->scenario);
	kv_str(out, &f, "scenario_path", m->scenario_path);
	kv_bool(out, &f, "surprise", m->surprise);
	kv_str(out, &f, "team", m->team);
	kv_str(out, &f, "engine", db_name(l->drv));
	kv_int(out, &f, "seed", (long long)l->opts.seed);
	key(out, &f, "sets");
	strbuf_addch(out, '[');
	for (i = 0; i < m->nsets; i++) {
		strbuf_addstr(out, i ? ",[" : "[");
		json_add_string(out, m->sets[i].name);
		strbuf_addch(out, ',');
		json_add_string(out, m->sets[i].value);
		strbuf_addch(out, ']');
	}
	strbuf_addch(out, ']');
	kv_real(out, &f, "speed", tps);
	kv_int(out, &f, "cooldown_ticks", (long long)l->cooldown);
	kv_str(out, &f, "started", m->started);
	kv_bool(out, &f, "interrupted", fg->interrupted);
	kv_str(out, &f, "ended_by", live_end_key(fg->end_how));
	key(out, &f, "figures");
	strbuf_addch(out, '{');
	kv_tick(out, &g, "incident_tick", fg->incident_tick);
	kv_tick(out, &g, "first_action_tick", fg->first_action_tick);
	kv_tick(out, &g, "first_fix_tick", fg->first_fix_tick);
	kv_tick(out, &g, "recovery_tick", fg->recovery_tick);
	kv_seconds(out, &g, "to_first_action_s",
		   fg->first_action_tick >= 0 ? fg->first_action_tick - fg->incident_tick : -1, tps);
	kv_seconds(out, &g, "to_first_fix_s",
		   fg->first_fix_tick >= 0 ? fg->first_fix_tick - fg->incident_tick : -1, tps);
	kv_seconds(out, &g, "to_recovery_s",
		   fg->recovery_tick >= 0 ? fg->recovery_tick - fg->incident_tick : -1, tps);
	kv_real(out, &g, "first_action_wall_s", fg->first_action_wall);
	kv_real(out, &g, "first_fix_wall_s", fg->first_fix_wall);
	kv_int(out, &g, "fixes_applied", fg->fixes_applied);
	kv_int(out, &g, "fixes_failed", fg->fixes_failed);
	kv_int(out, &g, "down_migrations", fg->downs);
	kv_int(out, &g, "flag_flips", fg->flags);
	kv_int(out, &g, "outside_changes", fg->outside_changes);
	kv_int(out, &g, "stranded_max", (long long)fg->stranded_max);
	kv_int(out, &g, "facts_lost", (long long)fg->facts_lost);
	key(out, &g, "facts_lost_by");
	strbuf_addch(out, '[');
	for (i = 0; i < l->res.card.nlosses; i++) {
		const struct sc_loss *x = &l->res.card.losses[i];
		int h = 1;
		strbuf_addstr(out, i ? ",{" : "{");
		kv_str(out, &h, "cause", x->cause);
		kv_int(out, &h, "tick", (long long)x->tick);
		kv_int(out, &h, "facts", (long long)x->facts);
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
	key(out, &g, "base_failure_rate");
	strbuf_addf(out, "%.4f", fg->base_failure_rate);
	strbuf_addch(out, '}');
	key(out, &f, "actions");
	strbuf_addch(out, '[');
	for (i = 0; i < l->nactions; i++) {
		if (i)
			strbuf_addch(out, ',');
		live_action_json(out, l, i);
	}
	strbuf_addch(out, ']');
	key(out, &f, "scorecard");
	{
		struct strbuf card = STRBUF_INIT;
		report_json_render(&l->res.card, &card, 0);
		strbuf_rtrim(&card);
		strbuf_add(out, card.buf, card.len);
		strbuf_release(&card);
	}
	strbuf_addstr(out, "}\n");
}

void report_check_json_render(const struct check_results *r, struct strbuf *out)
{
	size_t i, passed = 0;

	strbuf_addf(out, "{\"format_version\":1,\"mdrill\":\"check\",\"seed\":%llu", (unsigned long long)r->seed);
	if (r->shard_n)
		strbuf_addf(out, ",\"shard\":{\"k\":%llu,\"n\":%llu}", (unsigned long long)r->shard_k,
			    (unsigned long long)r->shard_n);
	strbuf_addstr(out, ",\"results\":[");
	for (i = 0; i < r->nr; i++) {
		const struct check_result *c = &r->v[i];
		passed += c->ok != 0;
		strbuf_addstr(out, i ? ",{\"template\":" : "{\"template\":");
		json_add_string(out, c->template);
		strbuf_addstr(out, ",\"engine\":");
		json_add_string(out, c->engine);
		strbuf_addf(out, ",\"engine_rank\":%d,\"ok\":%s,\"line\":", c->engine_rank, c->ok ? "true" : "false");
		json_add_string(out, c->line);
		strbuf_addch(out, '}');
	}
	strbuf_addf(out, "],\"passed\":%zu,\"failed\":%zu}\n", passed, r->nr - passed);
}
