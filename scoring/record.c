/*
** Reading a record: its JSON through jsonread.c; the scorecard comes back
** as compact JSON, the form 'mdrill replay' renders its own in.
**
** SPDX-License-Identifier: MIT
*/
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "jsonread.h"

static int take_set(struct jreader *r, const char *elem, void *ctx)
{
	struct live_record *rec = ctx;
	rec->sets = xrealloc(rec->sets, (rec->nsets + 1) * sizeof(*rec->sets));
	rec->sets[rec->nsets].name = jreader_text(r, elem, "$[0]");
	rec->sets[rec->nsets].value = jreader_text(r, elem, "$[1]");
	if (!rec->sets[rec->nsets].name || !rec->sets[rec->nsets].value) {
		free((char *)rec->sets[rec->nsets].name);
		free((char *)rec->sets[rec->nsets].value);
		return -1;
	}
	rec->nsets++;
	return 0;
}

static int take_statement(struct jreader *r, const char *elem, void *ctx)
{
	struct sql_script *s = ctx;
	char *sql = jreader_text(r, elem, "$.sql");
	if (!sql)
		return -1;
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	memset(&s->v[s->nr], 0, sizeof(s->v[0]));
	s->v[s->nr].sql = sql;
	s->v[s->nr].line = (int)jreader_num(r, elem, "$.line", 0);
	s->v[s->nr].file = jreader_text(r, elem, "$.file");
	s->v[s->nr].repeat = (int)jreader_num(r, elem, "$.repeat", 0);
	s->nr++;
	return 0;
}

static int take_action(struct jreader *r, const char *elem, void *ctx)
{
	struct live_record *rec = ctx;
	struct live_action *a;
	char *kind = jreader_text(r, elem, "$.kind");
	int k;

	for (k = LIVE_APPLY; k <= LIVE_END && (!kind || strcmp(kind, live_kind_name((enum live_kind)k))); k++)
		;
	free(kind);
	if (k > LIVE_END)
		return -1;
	rec->actions = xrealloc(rec->actions, (rec->nactions + 1) * sizeof(*rec->actions));
	a = &rec->actions[rec->nactions++];
	memset(a, 0, sizeof(*a));
	a->kind = (enum live_kind)k;
	a->tick = (int64_t)jreader_num(r, elem, "$.tick", -1);
	a->wall = jreader_num(r, elem, "$.wall_s", 0);
	a->what = jreader_text(r, elem, "$.what");
	a->text = jreader_text(r, elem, "$.text");
	a->on = jreader_num(r, elem, "$.on", 0) != 0;
	/* A record from before mdrill ran a team's file in one transaction: as written, as it ran. */
	a->one_tx = jreader_num(r, elem, "$.one_transaction", 0) != 0;
	a->mig = -1;
	if (!a->what)
		a->what = xstrdup("");
	if (a->tick < 0)
		return -1;
	return jreader_each(r, elem, "$.statements", take_statement, &a->script);
}

int record_read(const char *path, struct live_record *rec, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct jreader r = { NULL };
	const char *json;
	char *v;
	int rc = -1;

	memset(rec, 0, sizeof(*rec));
	rec->path = xstrdup(path);
	if (strbuf_read_file(&text, path, &why)) {
		strbuf_error(err, -1, "%s: cannot read the record: %s", path, why.buf);
		goto out;
	}
	if (jreader_open(&r, &why)) {
		strbuf_error(err, -1, "%s: %s", path, why.buf);
		goto out;
	}
	json = text.buf;
	v = jreader_text(&r, json, "$.record");
	if (!v || strcmp(v, "mdrill live drill")) {
		free(v);
		strbuf_error(err, -1, "%s: not a live drill's record (expected JSON with \"record\": "
			     "\"mdrill live drill\")", path);
		goto out;
	}
	free(v);
	rec->scenario = jreader_text(&r, json, "$.scenario");
	rec->scenario_path = jreader_text(&r, json, "$.scenario_path");
	rec->team = jreader_text(&r, json, "$.team");
	rec->engine = jreader_text(&r, json, "$.engine");
	rec->surprise = jreader_num(&r, json, "$.surprise", 0) != 0;
	rec->seed = jreader_u64(&r, json, "$.seed", 1);
	rec->cooldown = (int64_t)jreader_num(&r, json, "$.cooldown_ticks", 0);
	rec->ticks_per_second = jreader_num(&r, json, "$.speed", 100);
	rec->interrupted = jreader_num(&r, json, "$.interrupted", 0) != 0;
	v = jreader_text(&r, json, "$.ended_by");
	rec->lays_losses = v != NULL;
	rec->end_how = live_end_parse(v) >= 0 ? (enum live_end_how)live_end_parse(v)
		       : rec->interrupted ? LIVE_END_INTERRUPT : LIVE_END_TEAM;
	free(v);
	rec->scorecard = jreader_text(&r, json, "$.scorecard");
	if (!rec->scenario || !rec->engine || !rec->scorecard) {
		strbuf_error(err, -1, "%s: a record needs its scenario, engine and scorecard", path);
		goto out;
	}
	if (jreader_each(&r, json, "$.sets", take_set, rec) || jreader_each(&r, json, "$.actions", take_action, rec)) {
		strbuf_error(err, -1, "%s: an override or action the record cannot hold", path);
		goto out;
	}
	rec->figures.incident_tick = (int64_t)jreader_num(&r, json, "$.figures.incident_tick", -1);
	rec->figures.first_action_tick = (int64_t)jreader_num(&r, json, "$.figures.first_action_tick", -1);
	rec->figures.first_fix_tick = (int64_t)jreader_num(&r, json, "$.figures.first_fix_tick", -1);
	rec->figures.recovery_tick = (int64_t)jreader_num(&r, json, "$.figures.recovery_tick", -1);
	rec->figures.fixes_applied = (int)jreader_num(&r, json, "$.figures.fixes_applied", 0);
	rec->figures.fixes_failed = (int)jreader_num(&r, json, "$.figures.fixes_failed", 0);
	rec->figures.downs = (int)jreader_num(&r, json, "$.figures.down_migrations", 0);
	rec->figures.stranded_max = (uint64_t)jreader_num(&r, json, "$.figures.stranded_max", 0);
	rec->figures.facts_lost = (uint64_t)jreader_num(&r, json, "$.figures.facts_lost", 0);
	rec->figures.interrupted = rec->interrupted;
	rec->figures.end_how = rec->end_how;
	rec->figures.ticks_per_second = rec->ticks_per_second;
	v = jreader_text(&r, rec->scorecard, "$.verdict");
	rec->pass = v && !strcmp(v, "pass");
	free(v);
	rec->score = (int)jreader_num(&r, rec->scorecard, "$.score", 0);
	rec->ratio = jreader_num(&r, rec->scorecard, "$.preservation.ratio", 0);
	rec->blocked_max = (int64_t)jreader_num(&r, rec->scorecard, "$.blocking.max_ticks", 0);
	rec->lost = (uint64_t)(jreader_num(&r, rec->scorecard, "$.preservation.expected", 0) -
			       jreader_num(&r, rec->scorecard, "$.preservation.preserved", 0) +
			       jreader_num(&r, rec->scorecard, "$.preservation.phantom_rows_unexpected", 0));
	rc = 0;
out:
	jreader_close(&r);
	strbuf_release(&text);
	strbuf_release(&why);
	return rc;
}

void record_release(struct live_record *rec)
{
	size_t i;
	free(rec->path);
	free(rec->scenario);
	free(rec->scenario_path);
	free(rec->team);
	free(rec->engine);
	free(rec->scorecard);
	for (i = 0; i < rec->nsets; i++) {
		free((char *)rec->sets[i].name);
		free((char *)rec->sets[i].value);
	}
	free(rec->sets);
	for (i = 0; i < rec->nactions; i++) {
		free(rec->actions[i].what);
		free(rec->actions[i].text);
		sql_script_release(&rec->actions[i].script);
	}
	free(rec->actions);
	memset(rec, 0, sizeof(*rec));
}

int record_status_read(const char *path, struct live_status *st, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct jreader r = { NULL };
	const char *json;
	char *v = NULL;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (strbuf_read_file(&text, path, &why)) {
		strbuf_error(err, -1, "%s: cannot read the status: %s", path, why.buf);
		goto out;
	}
	if (jreader_open(&r, &why)) {
		strbuf_error(err, -1, "%s: %s", path, why.buf);
		goto out;
	}
	json = text.buf;
	v = jreader_text(&r, json, "$.status");
	if (!v || strcmp(v, "mdrill live drill")) {
		strbuf_error(err, -1, "%s: not a live drill's status (expected JSON with \"status\": "
			     "\"mdrill live drill\")", path);
		goto out;
	}
	st->team = jreader_text(&r, json, "$.team");
	st->scenario = jreader_text(&r, json, "$.scenario");
	st->engine = jreader_text(&r, json, "$.engine");
	st->elapsed_s = jreader_num(&r, json, "$.elapsed_s", 0);
	st->seconds_left = jreader_num(&r, json, "$.seconds_left", 0);
	st->limit_s = jreader_num(&r, json, "$.limit_s", 0);
	st->incident_s = jreader_num(&r, json, "$.incident_s", -1);
	st->facts_at_risk = (uint64_t)jreader_num(&r, json, "$.facts_at_risk", 0);
	st->facts_lost = (uint64_t)jreader_num(&r, json, "$.facts_lost.total", 0);
	st->recovered = jreader_num(&r, json, "$.recovered", 0) != 0;
	st->recovered_s = jreader_num(&r, json, "$.recovered_s", -1);
	st->writers_waiting = (uint64_t)jreader_num(&r, json, "$.writers_waiting", 0);
	st->ending = jreader_num(&r, json, "$.ending", 0) != 0;
	st->ended = jreader_num(&r, json, "$.ended", 0) != 0;
	st->verdict = jreader_text(&r, json, "$.verdict");
	st->score = (int)jreader_num(&r, json, "$.score", 0);
	if (!st->scenario) {
		strbuf_error(err, -1, "%s: a status needs its scenario", path);
		goto out;
	}
	rc = 0;
out:
	free(v);
	jreader_close(&r);
	strbuf_release(&text);
	strbuf_release(&why);
	return rc;
}

void record_status_release(struct live_status *st)
{
	free(st->team);
	free(st->scenario);
	free(st->engine);
	free(st->verdict);
	memset(st, 0, sizeof(*st));
}
