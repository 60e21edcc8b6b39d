/*
** Shards: a template's stable name and its hash, the check's result lines,
** and the merge of the shards' JSON through SQLite's JSON functions.
**
** SPDX-License-Identifier: MIT
*/
#include "shard.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "jsonread.h"

void shard_template_id(const char *path, struct strbuf *out)
{
	const char *fx = strstr(path, "/fixes/"), *start;
	size_t len = strlen(path);

	/* A scenario's own down migration: by its directory's name too. */
	if (!fx && len > 15 && !strcmp(path + len - 15, "/scenario.drill"))
		fx = path + len - 15;
	if (!fx) {
		strbuf_addstr(out, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
		return;
	}
	/* Back from /fixes/ to the start of the scenario's directory name. */
	for (start = fx; start > path && start[-1] != '/'; start--)
		;
	strbuf_addstr(out, start);
}

int shard_template_in(const char *path, uint64_t k, uint64_t n)
{
	struct strbuf id = STRBUF_INIT;
	uint64_t h = 14695981039346656037ULL;   /* FNV-1a: the same on every machine */
	size_t i;

	if (!n)
		return 1;
	shard_template_id(path, &id);
	for (i = 0; i < id.len; i++) {
		h ^= (unsigned char)id.buf[i];
		h *= 1099511628211ULL;
	}
	strbuf_release(&id);
	return h % n + 1 == k;
}

void check_results_add(struct check_results *r, const char *template, const char *engine, int engine_rank, int ok,
		       const char *line)
{
	struct check_result *c;
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	c = &r->v[r->nr++];
	c->template = xstrdup(template);
	c->engine = xstrdup(engine);
	c->engine_rank = engine_rank;
	c->ok = ok;
	c->line = xstrdup(line);
}

void check_results_release(struct check_results *r)
{
	size_t i;
	for (i = 0; i < r->nr; i++) {
		free(r->v[i].template);
		free(r->v[i].engine);
		free(r->v[i].line);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int take_check(struct jreader *r, const char *elem, void *ctx)
{
	struct check_results *c = ctx;
	char *t = jreader_text(r, elem, "$.template"), *e = jreader_text(r, elem, "$.engine"), *line = jreader_text(r, elem, "$.line");
	char *ok = jreader_text(r, elem, "$.ok");
	int rc = t && e && line && ok ? 0 : -1;
	if (!rc)
		check_results_add(c, t, e, (int)jreader_u64(r, elem, "$.engine_rank", 0), !strcmp(ok, "1"), line);
	free(t);
	free(e);
	free(line);
	free(ok);
	return rc;
}

static int take_seed(struct jreader *r, const char *elem, void *ctx)
{
	struct swarm_result *s = ctx;
	char *verdict = jreader_text(r, elem, "$.verdict"), *faults = jreader_text(r, elem, "$.faults");
	struct swarm_row *row;
	if (!verdict) {
		free(faults);
		return -1;
	}
	s->rows = xrealloc(s->rows, (s->nrows + 1) * sizeof(*s->rows));
	row = &s->rows[s->nrows++];
	row->seed = jreader_u64(r, elem, "$.seed", 0);
	row->pass = !strcmp(verdict, "pass");
	row->score = (int)jreader_u64(r, elem, "$.score", 0);
	row->lost = jreader_u64(r, elem, "$.lost", 0);
	row->faults = faults ? faults : xstrdup("");
	free(verdict);
	return 0;
}

static int cmp_check(const void *a, const void *b)
{
	const struct check_result *x = a, *y = b;
	int c = strcmp(x->template, y->template);
	return c ? c : x->engine_rank - y->engine_rank;
}

/* Do two strings agree (both missing counts as agreeing)? */
static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int merge_read(const char *const *paths, size_t n, struct merged *out, struct strbuf *err)
{
	struct jreader r = { NULL };
	struct strbuf text = STRBUF_INIT;
	char *seen = NULL;           /* shards given, by K */
	struct { uint64_t seed; char *cmd; } *reps = NULL;  /* each shard's worst seed and its command */
	size_t f, i, nreps = 0, reps_alloc = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->kind = -1;
	if (jreader_open(&r, err))
		goto out;
	for (f = 0; f < n; f++) {
		const char *p = paths[f];
		char *kind, *scenario, *engine, *reproduce;
		uint64_t k, nn, from, to;
		int is_check;

		strbuf_reset(&text);
		if (strbuf_read_file(&text, p, err)) {
			struct strbuf why = STRBUF_INIT;
			strbuf_addstr(&why, err->buf);
			strbuf_error(err, -1, "%s: cannot read it: %s", p, why.buf);
			strbuf_release(&why);
			goto out;
		}
		kind = jreader_text(&r, text.buf, "$.mdrill");
		scenario = jreader_text(&r, text.buf, "$.scenario");
		is_check = kind && !strcmp(kind, "check");
		free(kind);
		if (!is_check && !scenario) {
			strbuf_error(err, -1, "%s: expected the JSON of 'mdrill check --json' or of 'mdrill run --seeds "
				     "--json'", p);
			free(scenario);
			goto out;
		}
		if (out->kind >= 0 && out->kind != (is_check ? MERGE_CHECK : MERGE_SWARM)) {
			strbuf_error(err, -1, "%s: a %s result among %s results: merge joins the shards of one run", p,
				     is_check ? "check" : "swarm", out->kind == MERGE_CHECK ? "check" : "swarm");
			free(scenario);
			goto out;
		}
		out->kind = is_check ? MERGE_CHECK : MERGE_SWARM;
		k = jreader_u64(&r, text.buf, "$.shard.k", 1);
		nn = jreader_u64(&r, text.buf, "$.shard.n", 0);
		if (f && (nn ? nn : 1) != (out->shard_n ? out->shard_n : 1)) {
			strbuf_error(err, -1, "%s: shard %llu/%llu among shards of %llu", p, (unsigned long long)k,
				     (unsigned long long)(nn ? nn : 1), (unsigned long long)(out->shard_n ? out->shard_n : 1));
			free(scenario);
			goto out;
		}
		out->shard_n = nn;
		if (!seen)
			seen = xcalloc((size_t)(nn ? nn : 1) + 1, 1);
		if (k < 1 || k > (nn ? nn : 1) || seen[k]) {
			strbuf_error(err, -1, "%s: shard %llu/%llu given twice", p, (unsigned long long)k,
				     (unsigned long long)(nn ? nn : 1));
			free(scenario);
			goto out;
		}
		seen[k] = 1;
		if (is_check) {
			uint64_t seed = jreader_u64(&r, text.buf, "$.seed", 1);
			if (f && seed != out->check.seed) {
				strbuf_error(err, -1, "%s: seed %llu, the other shards' %llu: not one run", p,
					     (unsigned long long)seed, (unsigned long long)out->check.seed);
				goto out;
			}
			out->check.seed = seed;
			if (jreader_each(&r, text.buf, "$.results", take_check, &out->check)) {
				strbuf_error(err, -1, "%s: a result without its template, engine, verdict or line", p);
				goto out;
			}
		} else {
			engine = jreader_text(&r, text.buf, "$.engine");
			from = jreader_u64(&r, text.buf, "$.seeds.from", 0);
			to = jreader_u64(&r, text.buf, "$.seeds.to", 0);
			if (f && (!same(scenario, out->scenario) || !same(engine, out->engine) || from != out->from ||
				  to != out->to)) {
				strbuf_error(err, -1, "%s: a swarm of %s on %s, seeds %llu..%llu, not of %s on %s, seeds "
					     "%llu..%llu: not one run", p, scenario, engine ? engine : "?",
					     (unsigned long long)from, (unsigned long long)to, out->scenario,
					     out->engine ? out->engine : "?", (unsigned long long)out->from,
					     (unsigned long long)out->to);
				free(scenario);
				free(engine);
				goto out;
			}
			if (!f) {
				out->scenario = scenario;
				out->engine = engine;
				scenario = engine = NULL;
				out->from = from;
				out->to = to;
			}
			free(engine);
			if (jreader_each(&r, text.buf, "$.results", take_seed, &out->swarm)) {
				strbuf_error(err, -1, "%s: a seed's result without its verdict", p);
				free(scenario);
				goto out;
			}
			/* The command that reproduces the worst seed comes from the shard that ran it. */
			reproduce = jreader_text(&r, text.buf, "$.reproduce");
			if (reproduce) {
				ALLOC_GROW(reps, nreps + 1, reps_alloc);
				reps[nreps].seed = jreader_u64(&r, text.buf, "$.worst.seed", 0);
				reps[nreps++].cmd = reproduce;
			}
		}
		free(scenario);
	}
	out->nfiles = n;
	/* Every shard of N, once. */
	for (i = 1; i <= (out->shard_n ? out->shard_n : 1); i++)
		if (!seen || !seen[i]) {
			strbuf_error(err, -1, "shard %zu/%llu is missing: the merged result would leave its work out", i,
				     (unsigned long long)(out->shard_n ? out->shard_n : 1));
			goto out;
		}
	if (out->kind == MERGE_CHECK) {
		if (out->check.nr)
			qsort(out->check.v, out->check.nr, sizeof(*out->check.v), cmp_check);
		for (i = 1; i < out->check.nr; i++)
			if (!cmp_check(&out->check.v[i - 1], &out->check.v[i])) {
				strbuf_error(err, -1, "%s on %s is in two shards: were they split the same way?",
					     out->check.v[i].template, out->check.v[i].engine);
				goto out;
			}
	} else {
		uint64_t worst_seed;
		if (out->swarm.nrows)
			swarm_summarise(&out->swarm);
		for (i = 1; i < out->swarm.nrows; i++)
			if (out->swarm.rows[i].seed == out->swarm.rows[i - 1].seed) {
				strbuf_error(err, -1, "seed %llu is in two shards: were they split the same way?",
					     (unsigned long long)out->swarm.rows[i].seed);
				goto out;
			}
		worst_seed = out->swarm.nrows ? out->swarm.rows[out->swarm.worst].seed : 0;
		for (i = 0; i < nreps && !out->reproduce; i++)
			if (reps[i].seed == worst_seed)
				out->reproduce = xstrdup(reps[i].cmd);
	}
	rc = 0;
out:
	for (i = 0; i < nreps; i++)
		free(reps[i].cmd);
	free(reps);
	free(seen);
	jreader_close(&r);
	strbuf_release(&text);
	return rc;
}

void merged_release(struct merged *m)
{
	check_results_release(&m->check);
	free(m->scenario);
	free(m->engine);
	free(m->reproduce);
	swarm_result_release(&m->swarm);
	memset(m, 0, sizeof(*m));
}
