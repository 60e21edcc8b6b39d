/*
** Reading a record: the JSON text goes into SQLite's JSON functions
** (json_valid, json_extract, json_each) on an in-memory database, which
** keep the scorecard's text exactly as it was written.
*/
#include "record.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"

struct reader {
	sqlite3 *h;
	const char *text;      /* the record, or an action's JSON */
};

/* The value at JSON path in r->text: text, or NULL for JSON null or nothing. */
static char *jtext(struct reader *r, const char *json, const char *path)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(r->h, "SELECT json_extract(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static double jnum(struct reader *r, const char *json, const char *path, double def)
{
	char *t = jtext(r, json, path);
	double v = t ? strtod(t, NULL) : def;
	free(t);
	return v;
}

/* Each element of the array at path, as JSON text, to fn. */
static int jeach(struct reader *r, const char *json, const char *path,
		 int (*fn)(struct reader *r, const char *elem, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(r->h, "SELECT json_quote(value) FROM json_each(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	while (!rc && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(r, (const char *)sqlite3_column_text(st, 0), ctx);
	sqlite3_finalize(st);
	return rc;
}

static int take_set(struct reader *r, const char *elem, void *ctx)
{
	struct live_record *rec = ctx;
	rec->sets = xrealloc(rec->sets, (rec->nsets + 1) * sizeof(*rec->sets));
	rec->sets[rec->nsets].name = jtext(r, elem, "$[0]");
	rec->sets[rec->nsets].value = jtext(r, elem, "$[1]");
	if (!rec->sets[rec->nsets].name || !rec->sets[rec->nsets].value) {
		free((char *)rec->sets[rec->nsets].name);
		free((char *)rec->sets[rec->nsets].value);
		return -1;
	}
	rec->nsets++;
	return 0;
}

static int take_statement(struct reader *r, const char *elem, void *ctx)
{
	struct sql_script *s = ctx;
	char *sql = jtext(r, elem, "$.sql");
	if (!sql)
		return -1;
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	memset(&s->v[s->nr], 0, sizeof(s->v[0]));
	s->v[s->nr].sql = sql;
	s->v[s->nr].line = (int)jnum(r, elem, "$.line", 0);
	s->v[s->nr].file = jtext(r, elem, "$.file");
	s->v[s->nr].repeat = (int)jnum(r, elem, "$.repeat", 0);
	s->nr++;
	return 0;
}

static int take_action(struct reader *r, const char *elem, void *ctx)
{
	struct live_record *rec = ctx;
	struct live_action *a;
	char *kind = jtext(r, elem, "$.kind");
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
	a->tick = (int64_t)jnum(r, elem, "$.tick", -1);
	a->wall = jnum(r, elem, "$.wall_s", 0);
	a->what = jtext(r, elem, "$.what");
	a->text = jtext(r, elem, "$.text");
	a->on = jnum(r, elem, "$.on", 0) != 0;
	a->mig = -1;
	if (!a->what)
		a->what = xstrdup("");
	if (a->tick < 0)
		return -1;
	return jeach(r, elem, "$.statements", take_statement, &a->script);
}

int record_read(const char *path, struct live_record *rec, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct reader r = { NULL, NULL };
	char *v;
	int rc = -1;

	memset(rec, 0, sizeof(*rec));
	rec->path = xstrdup(path);
	if (strbuf_read_file(&text, path, &why)) {
		strbuf_error(err, -1, "%s: cannot read the record: %s", path, why.buf);
		goto out;
	}
	if (sqlite3_open(":memory:", &r.h) != SQLITE_OK) {
		strbuf_error(err, -1, "%s: cannot open SQLite to read JSON", path);
		goto out;
	}
	r.text = text.buf;
	v = jtext(&r, "[1]", "$[0]");
	if (!v) {
		strbuf_error(err, -1, "%s: this SQLite has no JSON functions", path);
		goto out;
	}
	free(v);
	v = jtext(&r, r.text, "$.record");
	if (!v || strcmp(v, "mdrill live drill")) {
		free(v);
		strbuf_error(err, -1, "%s: not a live drill's record (expected JSON with \"record\": "
			     "\"mdrill live drill\")", path);
		goto out;
	}
	free(v);
	rec->scenario = jtext(&r, r.text, "$.scenario");
	rec->scenario_path = jtext(&r, r.text, "$.scenario_path");
	rec->team = jtext(&r, r.text, "$.team");
	rec->engine = jtext(&r, r.text, "$.engine");
	rec->surprise = jnum(&r, r.text, "$.surprise", 0) != 0;
	rec->seed = (uint64_t)jnum(&r, r.text, "$.seed", 1);
	rec->cooldown = (int64_t)jnum(&r, r.text, "$.cooldown_ticks", 0);
	rec->ticks_per_second = jnum(&r, r.text, "$.speed", 100);
	rec->interrupted = jnum(&r, r.text, "$.interrupted", 0) != 0;
	rec->scorecard = jtext(&r, r.text, "$.scorecard");
	if (!rec->scenario || !rec->engine || !rec->scorecard) {
		strbuf_error(err, -1, "%s: a record needs its scenario, engine and scorecard", path);
		goto out;
	}
	if (jeach(&r, r.text, "$.sets", take_set, rec) || jeach(&r, r.text, "$.actions", take_action, rec)) {
		strbuf_error(err, -1, "%s: an override or action the record cannot hold", path);
		goto out;
	}
	rec->figures.incident_tick = (int64_t)jnum(&r, r.text, "$.figures.incident_tick", -1);
	rec->figures.first_action_tick = (int64_t)jnum(&r, r.text, "$.figures.first_action_tick", -1);
	rec->figures.first_fix_tick = (int64_t)jnum(&r, r.text, "$.figures.first_fix_tick", -1);
	rec->figures.recovery_tick = (int64_t)jnum(&r, r.text, "$.figures.recovery_tick", -1);
	rec->figures.fixes_applied = (int)jnum(&r, r.text, "$.figures.fixes_applied", 0);
	rec->figures.fixes_failed = (int)jnum(&r, r.text, "$.figures.fixes_failed", 0);
	rec->figures.downs = (int)jnum(&r, r.text, "$.figures.down_migrations", 0);
	rec->figures.stranded_max = (uint64_t)jnum(&r, r.text, "$.figures.stranded_max", 0);
	rec->figures.ticks_per_second = rec->ticks_per_second;
	v = jtext(&r, rec->scorecard, "$.verdict");
	rec->pass = v && !strcmp(v, "pass");
	free(v);
	rec->score = (int)jnum(&r, rec->scorecard, "$.score", 0);
	rec->ratio = jnum(&r, rec->scorecard, "$.preservation.ratio", 0);
	rec->blocked_max = (int64_t)jnum(&r, rec->scorecard, "$.blocking.max_ticks", 0);
	rec->lost = (uint64_t)(jnum(&r, rec->scorecard, "$.preservation.expected", 0) -
			       jnum(&r, rec->scorecard, "$.preservation.preserved", 0) +
			       jnum(&r, rec->scorecard, "$.preservation.phantom_rows_unexpected", 0));
	rc = 0;
out:
	sqlite3_close(r.h);
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
