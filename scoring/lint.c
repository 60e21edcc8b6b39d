/*
** Linting a scenario: its SQL run step by step on one engine, without
** traffic, in the order a drill runs it, each refusal kept with its line
** and the engine's own words.
**
** SPDX-License-Identifier: MIT
*/
#include "lint.h"

#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/base/sqltext.h"
#include "../sim/engine/ledger.h"
#include "../sim/engine/scheduler.h"
#include "../sim/engine/seeder.h"
#include "../sim/input/history.h"
#include "probe.h"

static struct lint_step *add_step(struct lint_result *r, const char *what, int line)
{
	struct lint_step *st;
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	st = &r->v[r->nr++];
	memset(st, 0, sizeof(*st));
	st->what = xstrdup(what);
	st->line = line;
	return st;
}

static void step_fail(struct lint_result *r, struct lint_step *st, const char *error)
{
	st->status = LINT_FAILED;
	st->error = xstrdup(error);
	r->problems++;
}

/*
** Run the statements of v one by one through c into st.  The first one
** the engine refuses ends it: its number, line and message go into st,
** and a transaction it leaves open is rolled back, as a migration tool's
** connection would end it.  Returns 0 when every statement ran.
*/
static int run_block(const struct db_driver *drv, struct db_conn *c, const struct sql_variant *v,
		     struct lint_result *r, struct lint_step *st)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int cls, rc = 0;

	sql_split(v->text, v->line, &script);
	st->statements = script.nr;
	for (i = 0; i < script.nr && !rc; i++) {
		if (!db_exec_now(drv, c, script.v[i].sql, 0, NULL, NULL, NULL, &cls, &why))
			continue;
		st->failed = i + 1;
		st->line = script.v[i].line;
		st->errclass = cls;
		step_fail(r, st, why.buf);
		rc = -1;
	}
	if (rc && db_in_tx(drv, c))
		db_rollback(drv, c);
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

/*
** The schema as the drill's set-up applies it, a tool's table and records
** included ('-- @history'): the first statement refused ends it, with its
** line and file.
*/
static int run_schema(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		      struct lint_result *r, struct lint_step *st)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t failed;
	int rc = 0;

	scenario_schema_script(sc, db_dialect(drv), &script);
	st->statements = script.nr;
	if (history_apply(drv, c, sc->history, &script, &failed, &why)) {
		if (failed < script.nr) {
			st->failed = failed + 1;
			st->line = script.v[failed].line;
		}
		if (failed < script.nr && script.v[failed].file) {
			struct strbuf e = STRBUF_INIT;
			strbuf_addf(&e, "(%s) %s", script.v[failed].file, why.buf);
			step_fail(r, st, e.buf);
			strbuf_release(&e);
		} else {
			step_fail(r, st, why.buf);
		}
		if (db_in_tx(drv, c))
			db_rollback(drv, c);
		rc = -1;
	}
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

/* A named migration of sc on drv, or a step saying the engine has none. */
static const struct sql_variant *migration_sql(const struct scenario *sc, const struct db_driver *drv, int m)
{
	return m >= 0 ? sql_section_pick(&sc->migrations[m].sql, db_dialect(drv)) : NULL;
}

/*
** Every probe, on the database as the fix would find it.  A probe that
** cannot run is a problem; a column it reads that the schema lacks here
** is not (the fix may bring it back), but it is said.
*/
static void run_probes(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		       struct lint_result *r)
{
	struct probe_table *probes = NULL;
	size_t n = 0, i, k;

	probe_run(sc, drv, c, NULL, &probes, &n);
	for (i = 0; i < n && i < sc->nprobes; i++) {
		const struct sql_variant *v = sql_section_pick(&sc->probes[i].sql, db_dialect(drv));
		struct strbuf what = STRBUF_INIT, note = STRBUF_INIT;
		struct lint_step *st;
		strbuf_addf(&what, "probe %s", sc->probes[i].table);
		st = add_step(r, what.buf, v ? v->line : sc->probes[i].line);
		if (probes[i].error) {
			step_fail(r, st, probes[i].error);
		} else if (probes[i].nmissing) {
			strbuf_addstr(&note, "reads ");
			for (k = 0; k < probes[i].nmissing; k++)
				strbuf_addf(&note, "%s'%s'", k ? ", " : "", probes[i].missing[k]);
			strbuf_addf(&note, " as NULL: no such column before the fix, so %s facts count as lost "
				    "unless the fix brings %s back", probes[i].nmissing > 1 ? "their" : "its",
				    probes[i].nmissing > 1 ? "them" : "it");
			st->note = strbuf_detach(&note);
		}
		strbuf_release(&what);
		strbuf_release(&note);
	}
	probe_tables_free(probes, n);
}

/*
** The down migration in the fix slot.  A failure the scenario expects
** ('-- @expect down_apply=fail') is no problem, unless it is one no
** scenario can mean: a statement that does not parse or names what is
** not there is a mistake in the scenario, expected or not.
*/
static void run_down(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		     struct lint_result *r)
{
	int m = scenario_migration(sc, "down");
	const struct sql_variant *v = migration_sql(sc, drv, m);
	struct lint_step *st = add_step(r, "down migration", m >= 0 ? sc->migrations[m].line : 0);

	if (!v) {
		st->status = LINT_SKIPPED;
		st->note = xstrdup(m < 0 ? "the scenario has no '-- @migration down': 'run --down' needs one"
				   : "no '-- @migration down' block for this engine");
		return;
	}
	if (run_block(drv, c, v, r, st) && sc->down_apply[db_dialect(drv)] == 0 &&
	    st->errclass != DBE_SYNTAX && st->errclass != DBE_MISSING) {
		st->status = LINT_EXPECTED;
		r->problems--;
	}
}

int lint_run(const struct scenario *sc, const struct db_driver *drv, const char *target, uint64_t seed,
	     const struct db_options *opts, struct lint_result *out, struct strbuf *err)
{
	volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
	struct strbuf why = STRBUF_INIT;
	const struct sql_variant *schema = sql_section_pick(&sc->schema, db_dialect(drv));
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct ledger ledger;
	struct lint_step *st;
	size_t i;
	int rc = 0, probed = 0;

	memset(out, 0, sizeof(*out));
	out->engine = db_name(drv);
	ledger_init(&ledger);
	if (db_create(drv, target, opts, &db, err) || db_connect(drv, db, &c, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	st = add_step(out, "schema", schema ? schema->line : 0);
	if (!schema) {
		step_fail(out, st, "no '-- @schema' block for this engine");
		goto out;
	}
	if (run_schema(sc, drv, c, out, st)) {
		st = add_step(out, "the rest", 0);
		st->status = LINT_SKIPPED;
		st->note = xstrdup("seed, migrations, probes and the down migration need the schema");
		goto out;
	}
	st = add_step(out, "seed", sc->nseeds ? sc->seeds[0].line : 0);
	if (probe_adopt(NULL, sc, drv, c, &ledger, err) || seeder_run(sc, drv, c, &ledger, seed, NULL, NULL, err)) {
		step_fail(out, st, err->buf);
		strbuf_reset(err);
		if (db_in_tx(drv, c))
			db_rollback(drv, c);
	}
	for (i = 0; i < sc->ntimeline; i++) {
		const struct tl_event *ev = &sc->timeline[i];
		const struct migration *mig;
		struct strbuf what = STRBUF_INIT;

		if (stop && *stop) {
			rc = strbuf_error(err, DRILL_EINTR, "interrupted");
			goto out;
		}
		if (ev->action == TL_FIX) {
			run_probes(sc, drv, c, out);
			run_down(sc, drv, c, out);
			probed = 1;
			continue;
		}
		if (ev->action != TL_MIGRATE)
			continue;
		mig = &sc->migrations[ev->migration];
		strbuf_addf(&what, "migration %s", mig->name);
		st = add_step(out, what.buf, mig->line);
		strbuf_release(&what);
		/* The drill backs the database up right before the bad migration; fixes read it. */
		if (!strcmp(mig->name, "bad") && db_snapshot(drv, c, err)) {
			step_fail(out, st, err->buf);
			strbuf_reset(err);
			continue;
		}
		if (!migration_sql(sc, drv, ev->migration)) {
			step_fail(out, st, "no block of this migration for this engine");
			continue;
		}
		run_block(drv, c, migration_sql(sc, drv, ev->migration), out, st);
	}
	if (!probed) {
		run_probes(sc, drv, c, out);
		run_down(sc, drv, c, out);
	}
out:
	ledger_release(&ledger);
	if (c) {
		db_rollback(drv, c);
		db_disconnect(drv, c);
	}
	if (db)
		db_destroy(drv, db, 0, NULL, &why);
	strbuf_release(&why);
	return rc;
}

void lint_result_release(struct lint_result *r)
{
	size_t i;
	for (i = 0; i < r->nr; i++) {
		free(r->v[i].what);
		free(r->v[i].error);
		free(r->v[i].note);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
