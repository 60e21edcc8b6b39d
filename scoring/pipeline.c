/*
** The pipeline: fix slot, drill, probes, oracle, scorecard; and the crash
** points of a fix, each a drill of its own set against the crash-free one.
**
** SPDX-License-Identifier: MIT
*/
#include "pipeline.h"

#include <string.h>
#include <sys/stat.h>

#include "../sim/base/alloc.h"
#include "../sim/input/history.h"
#include "../sim/input/layout.h"
#include "probe.h"

/* 1 for a file or directory, -1 for anything else there (a FIFO, a device), 0 for nothing. */
static int exists(const char *p)
{
	struct stat st;
	if (stat(p, &st))
		return 0;
	return S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ? 1 : -1;
}

/*
** "no migration file or directory", where it was looked for, and the
** file of that name under the scenario's fixes/ or downs/ when there is
** one: '--fix make-nullable.sql' means fixes/make-nullable.sql.
*/
static int not_found(const char *fix, int is_down, const struct scenario *sc, struct strbuf *err)
{
	const char *const subdirs[] = { is_down ? "downs" : "fixes", is_down ? "fixes" : "downs" };
	const char *base = strrchr(fix, '/') ? strrchr(fix, '/') + 1 : fix;
	struct strbuf p = STRBUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]) && *base; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/%s", sc->dir, subdirs[i], base);
		if (exists(p.buf))
			break;
	}
	if (fix[0] == '/')
		rc = strbuf_error(err, DRILL_EINPUT, "no migration file or directory '%s'", fix);
	else if (i < sizeof(subdirs) / sizeof(subdirs[0]) && *base)
		rc = strbuf_error(err, DRILL_EINPUT, "no migration file or directory '%s' (looked in the current "
				  "directory and in '%s/'); the scenario has '%s/%s': give that", fix, sc->dir,
				  subdirs[i], base);
	else
		rc = strbuf_error(err, DRILL_EINPUT, "no migration file or directory '%s' (looked in the current "
				  "directory and in '%s/')", fix, sc->dir);
	strbuf_release(&p);
	return rc;
}

/* A fix or down migration, a file or a tool's directory: as given, else under sc's directory. */
static int find_fix(const char *fix, int is_down, const struct scenario *sc, struct strbuf *out,
		    struct strbuf *err)
{
	int there;

	strbuf_reset(out);
	strbuf_addstr(out, fix);
	if ((there = exists(out->buf)) == 0 && fix[0] != '/') {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s", sc->dir, fix);
		there = exists(out->buf);
	}
	if (there > 0)
		return 0;
	if (there < 0)
		return strbuf_error(err, DRILL_EINPUT, "cannot open '%s': not a regular file or directory", fix);
	return not_found(fix, is_down, sc, err);
}

int pipeline_load_fix(const struct scenario *sc, const struct db_driver *drv, const char *fixarg,
		      int is_down, struct sql_script *script, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	if (!fixarg && !is_down) {
		/* Nothing in the fix slot: the migration drilled alone (mdrill try). */
	} else if (!fixarg) {
		int m = scenario_migration(sc, "down");
		const struct sql_variant *v =
			m >= 0 ? sql_section_pick(&sc->migrations[m].sql, db_dialect(drv)) : NULL;
		if (!v)
			rc = strbuf_error(err, DRILL_EINPUT, "%s: the scenario has no '-- @migration down' for %s",
					  sc->path, db_name(drv));
		else
			sql_split(v->text, v->line, script);
	} else if ((rc = find_fix(fixarg, is_down, sc, &path, err)) == 0 &&
		   layout_load(path.buf, fixarg, is_down ? LAYOUT_DOWN : LAYOUT_UP, db_dialect(drv), script, err)) {
		rc = DRILL_EINPUT;
	}
	strbuf_release(&path);
	return rc;
}

void pipeline_fix_notes(const struct scenario *sc, const char *fixarg, int is_down, struct strbuf *notes)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct layout l;

	if (fixarg && !find_fix(fixarg, is_down, sc, &path, &err) &&
	    !layout_open(path.buf, fixarg, is_down ? LAYOUT_DOWN : LAYOUT_UP, &l, &err)) {
		strbuf_add(notes, l.notes.buf, l.notes.len);
		layout_release(&l);
	}
	strbuf_release(&path);
	strbuf_release(&err);
}

int pipeline_fix_text(const struct scenario *sc, const char *fixarg, int is_down, struct strbuf *out,
		      struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	struct layout l;
	size_t i;
	int rc;

	if ((rc = find_fix(fixarg, is_down, sc, &path, err)) != 0)
		goto out;
	if (layout_open(path.buf, fixarg, is_down ? LAYOUT_DOWN : LAYOUT_UP, &l, err)) {
		rc = DRILL_EINPUT;
		goto out;
	}
	for (i = 0; i < l.nr && !rc; i++) {
		struct strbuf why = STRBUF_INIT;
		if (l.nr > 1)
			strbuf_addf(out, "-- file: %s\n", l.v[i].shown);
		if (strbuf_read_file(out, l.v[i].path, &why))
			rc = strbuf_error(err, DRILL_EINPUT, "cannot read '%s': %s", l.v[i].shown, why.buf);
		strbuf_release(&why);
	}
	layout_release(&l);
out:
	strbuf_release(&path);
	return rc;
}

int pipeline_check_faults(const struct scenario *sc, const struct db_driver *drv,
			  const struct fault_list *faults, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; faults && i < faults->nr && !rc; i++)
		if (fault_fits(&faults->v[i], drv, &why))
			rc = strbuf_error(err, DRILL_EINPUT, "--faults %s", why.buf);
	for (i = 0; i < sc->ntimeline && !rc; i++)
		if (sc->timeline[i].action == TL_FAULT && fault_fits(&sc->timeline[i].fault, drv, &why))
			rc = strbuf_error(err, DRILL_EINPUT, "%s:%d: %s", sc->path, sc->timeline[i].line, why.buf);
	strbuf_release(&why);
	return rc;
}

int pipeline_template(const struct scenario *sc, const struct db_driver *drv, const struct pipeline_request *req,
		      struct db **out, struct strbuf *err)
{
	struct sql_script schema = { 0 };
	struct db_options dbo;
	struct db_conn *c = NULL;
	struct strbuf why = STRBUF_INIT;
	size_t failed;
	int rc = -1;

	*out = NULL;
	memset(&dbo, 0, sizeof(dbo));
	dbo.allow_superuser = req->allow_superuser;
	dbo.statement_timeout_ms = req->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT
								 : req->statement_timeout_ms;
	dbo.stop = req->stop;
	if (!drv->copy)
		return strbuf_error(err, -1, "%s cannot copy a database", db_name(drv));
	if (db_create(drv, db_takes(drv, req->target) ? req->target : NULL, &dbo, out, err) ||
	    db_connect(drv, *out, &c, err))
		goto out;
	scenario_schema_script(sc, db_dialect(drv), &schema);
	if (history_apply(drv, c, sc->history, &schema, &failed, &why)) {
		strbuf_error(err, -1, "%s", why.buf);
		goto out;
	}
	rc = 0;
out:
	db_disconnect(drv, c);
	if (rc && *out) {
		db_destroy(drv, *out, 0, NULL, &why);
		*out = NULL;
	}
	sql_script_release(&schema);
	strbuf_release(&why);
	return rc;
}

int pipeline_score(const struct scenario *sc, const struct db_driver *drv,
		   const struct pipeline_request *req, struct pipeline_result *out, struct strbuf *err)
{
	struct sql_script fix = { 0 };
	struct drill_opts dopts;
	int rc;

	pipeline_result_init(out);
	out->keep = req->keep;
	if ((rc = pipeline_load_fix(sc, drv, req->fixarg, req->is_down, &fix, err)) != 0)
		goto out;
	if (req->max_memory && pipeline_memory(sc) > req->max_memory) {
		struct strbuf need = STRBUF_INIT, limit = STRBUF_INIT;
		strbuf_addsize(&need, pipeline_memory(sc));
		strbuf_addsize(&limit, req->max_memory);
		rc = strbuf_error(err, DRILL_EINPUT, "%s: the drill would take about %s of memory for its "
				  "seed rows (about %d bytes a row), more than the limit of %s (--max-memory "
				  "sets another)", sc->path, need.buf, PIPELINE_BYTES_PER_ROW, limit.buf);
		strbuf_release(&need);
		strbuf_release(&limit);
		goto out;
	}

	memset(&dopts, 0, sizeof(dopts));
	dopts.drv = drv;
	dopts.target = db_takes(drv, req->target) ? req->target : NULL;
	dopts.seed = req->seed;
	dopts.faults = req->faults;
	dopts.fix_label = req->fixarg ? req->fixarg : req->is_down ? "down migration" : "nothing";
	dopts.fix = &fix;
	dopts.fix_is_down = req->is_down;
	dopts.concurrent = req->concurrent;
	dopts.stop = req->stop;
	dopts.allow_superuser = req->allow_superuser;
	dopts.statement_timeout_ms = req->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT
								    : req->statement_timeout_ms;
	dopts.progress = req->progress;
	dopts.progress_ctx = req->progress_ctx;
	dopts.adopt = probe_adopt;
	dopts.template = req->template;
	out->held = 1;
	rc = drill_run(&out->drill, sc, &dopts, err);
	if (rc == DRILL_EINTR)
		out->keep = 0;
	if (rc)
		goto out;
	if (req->schema) {
		struct strbuf why = STRBUF_INIT;
		if (!out->drill.reader)
			strbuf_addstr(req->schema, out->drill.reader_error);
		else if (db_schema(drv, out->drill.reader, req->schema, &why))
			rc = strbuf_error(err, DRILL_EENGINE, "cannot read the final schema: %s", why.buf);
		strbuf_release(&why);
		if (rc)
			goto out;
	}
	pipeline_judge(sc, out);
	if (req->stop && *req->stop) {
		out->keep = 0;
		rc = strbuf_error(err, DRILL_EINTR, "interrupted while probing");
		goto out;
	}
	if (req->progress)
		req->progress(req->progress_ctx, DRILL_SCORED, out->drill.last_tick, out->drill.last_tick);
out:
	/* Without hold, or after a failure, the drill goes now. */
	if (!req->hold || rc)
		pipeline_result_close(out);
	sql_script_release(&fix);
	return rc;
}

void pipeline_judge(const struct scenario *sc, struct pipeline_result *out)
{
	struct probe_table *probes = NULL;
	size_t nprobes = 0;
	struct oracle_input oin;

	probe_run(sc, out->drill.drv, out->drill.reader, out->drill.reader_error, &probes, &nprobes);
	memset(&oin, 0, sizeof(oin));
	oin.ledger = &out->drill.ledger;
	oin.probes = probes;
	oin.nprobes = nprobes;
	oin.defaults = sc->defaults;
	oin.ndefaults = sc->ndefaults;
	oin.renames = sc->renames;
	oin.nrenames = sc->nrenames;
	scorecard_window(&out->drill, &oin.incident_start, &oin.incident_end);
	oracle_check(&oin, &out->oracle);
	scorecard_build(&out->card, &out->drill, &out->oracle, probes, nprobes);
	out->scored = 1;
	probe_tables_free(probes, nprobes);
	/* Read: what it held (on PostgreSQL the backup dropped, in its transaction) goes back now. */
	db_reader_close(out->drill.drv, out->drill.reader);
	out->drill.reader = NULL;
}

void pipeline_result_init(struct pipeline_result *out)
{
	memset(out, 0, sizeof(*out));
	strbuf_init(&out->kept);
	strbuf_init(&out->left);
}

void pipeline_result_close(struct pipeline_result *out)
{
	struct strbuf kept = STRBUF_INIT;

	if (!out->held)
		return;
	drill_release(&out->drill, out->keep, &kept, &out->left);
	if (kept.len)
		strbuf_addf(&out->kept, "%s\n", kept.buf);
	oracle_result_release(&out->oracle);
	out->held = 0;
	strbuf_release(&kept);
}

void pipeline_result_release(struct pipeline_result *out)
{
	pipeline_result_close(out);
	if (out->scored)
		scorecard_release(&out->card);
	out->scored = 0;
	strbuf_release(&out->kept);
	strbuf_release(&out->left);
}

uint64_t pipeline_memory(const struct scenario *sc)
{
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < sc->nseeds; i++) {
		struct stat st;
		if (!sc->seeds[i].csv)
			bytes += (uint64_t)sc->seeds[i].rows * PIPELINE_BYTES_PER_ROW;
		else if (!stat(sc->seeds[i].csv, &st) && st.st_size > 0)
			/* A CSV row of a few dozen bytes becomes about a generated row's worth. */
			bytes += (uint64_t)st.st_size * 8;
	}
	return bytes;
}

int pipeline_chaos(const struct scenario *sc, const struct db_driver *drv,
		   const struct pipeline_request *req, struct pipeline_result *out, struct strbuf *err)
{
	const struct fault *crash = fault_find(req->faults, FAULT_FIX_CRASH);
	struct fault_list rest = { 0 };
	struct strbuf base_schema = STRBUF_INIT, schema = STRBUF_INIT, kept = STRBUF_INIT, left = STRBUF_INIT;
	struct pipeline_request sub = *req;
	struct pipeline_result base, run;
	struct sc_crash *points = NULL;
	size_t i, n = 0, from, to, k;
	int rc, all;

	if (!crash)
		return pipeline_score(sc, drv, req, out, err);
	pipeline_result_init(out);
	memset(&base, 0, sizeof(base));
	/* Before any drill runs: a K past the end is bad input, not a finding. */
	{
		struct sql_script script = { 0 };
		rc = pipeline_load_fix(sc, drv, req->fixarg, req->is_down, &script, err);
		if (!rc && crash->arg != FAULT_ALL && (size_t)crash->arg > script.nr)
			rc = strbuf_error(err, DRILL_EINPUT, "--faults fix-crash=%lld: the %s has %zu statements",
					  (long long)crash->arg, req->is_down ? "down migration" : "fix",
					  script.nr);
		sql_script_release(&script);
		if (rc)
			return rc;
	}
	all = crash->arg == FAULT_ALL;
	fault_list_without(req->faults, FAULT_FIX_CRASH, &rest);
	sub.faults = &rest;
	sub.schema = &base_schema;
	sub.hold = 0;
	if (all)
		sub.keep = 0;
	rc = pipeline_score(sc, drv, &sub, &base, err);
	strbuf_add(&kept, base.kept.buf, base.kept.len);
	strbuf_add(&left, base.left.buf, base.left.len);
	if (rc)
		goto out;
	from = all ? 1 : (size_t)crash->arg;
	to = all ? base.card.fix.statements : (size_t)crash->arg;
	ALLOC_GROW(rest.v, rest.nr + 1, rest.alloc);
	rest.v[rest.nr++] = *crash;
	points = xcalloc(to - from + 1, sizeof(*points));
	/* With one K, the run with the crash is the answer: it goes into out, held as asked. */
	sub.hold = all ? 0 : req->hold;
	for (k = from; k <= to; k++) {
		struct pipeline_result *r = all ? &run : out;
		struct sc_crash *p = &points[n];
		rest.v[rest.nr - 1].arg = (int64_t)k;
		strbuf_reset(&schema);
		sub.schema = &schema;
		rc = pipeline_score(sc, drv, &sub, r, err);
		strbuf_add(&kept, r->kept.buf, r->kept.len);
		strbuf_reset(&r->kept);
		strbuf_add(&left, r->left.buf, r->left.len);
		strbuf_reset(&r->left);
		if (rc) {
			if (all)
				pipeline_result_release(&run);
			goto out;
		}
		n++;
		p->after = (int)k;
		p->reached = r->card.crash_after != 0;
		p->tick = r->card.crash_after ? r->card.crash_tick : -1;
		p->completed = r->card.crash_after && r->card.fix.completed;
		p->same_schema = !strcmp(schema.buf, base_schema.buf);
		p->lost = scorecard_lost(&r->card);
		p->base_lost = scorecard_lost(&base.card);
		p->error = r->card.fix.error ? xstrdup(r->card.fix.error) : NULL;
		p->converged = p->completed && p->same_schema && p->lost <= p->base_lost;
		if (all)
			pipeline_result_release(&run);
	}
	if (all) {
		/* fix-crash=all: the card is the crash-free run's. */
		out->card = base.card;
		out->scored = 1;
		base.scored = 0;
	}
	scorecard_add_crashes(&out->card, points, n);
	points = NULL;
	rc = 0;
out:
	pipeline_result_release(&base);
	strbuf_add(&out->kept, kept.buf, kept.len);
	strbuf_add(&out->left, left.buf, left.len);
	for (i = 0; points && i < n; i++)
		free(points[i].error);
	free(points);
	fault_list_release(&rest);
	strbuf_release(&base_schema);
	strbuf_release(&schema);
	strbuf_release(&kept);
	strbuf_release(&left);
	return rc;
}
