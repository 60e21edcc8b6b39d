/*
** Measuring a migration's locks, statement by statement: see locks.h.
**
** SPDX-License-Identifier: MIT
*/
#include "locks.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../sim/base/alloc.h"
#include "../sim/base/sqltext.h"
#include "../sim/engine/ledger.h"
#include "../sim/engine/scheduler.h"
#include "../sim/engine/seeder.h"
#include "../sim/input/history.h"
#include "probe.h"

/* A query's rows of two or three columns: a table's name and its values. */
struct table_row {
	char *table;
	char *a;
	int64_t n1, n2;
};

struct table_rows {
	struct table_row *v;
	size_t nr, alloc;
};

static int take_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct table_rows *t = ctx;
	struct table_row *r;
	(void)names;
	if (ncol < 2 || !vals[0])
		return 0;
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	r = &t->v[t->nr++];
	r->table = xstrdup(vals[0]);
	r->a = vals[1] ? xstrdup(vals[1]) : NULL;
	r->n1 = vals[1] ? strtoll(vals[1], NULL, 10) : 0;
	r->n2 = ncol > 2 && vals[2] ? strtoll(vals[2], NULL, 10) : 0;
	return 0;
}

static void rows_release(struct table_rows *t)
{
	size_t i;
	for (i = 0; i < t->nr; i++) {
		free(t->v[i].table);
		free(t->v[i].a);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* An optional query of mdrill's own into out (nothing when the driver has none). */
static int query(const struct db_driver *drv, struct db_conn *c, const char *sql, struct table_rows *out,
		 struct strbuf *err)
{
	int cls, rc;
	rows_release(out);
	if (!sql)
		return 0;
	db_own_sql(drv, c, 1);
	rc = db_exec_now(drv, c, sql, 0, NULL, take_row, out, &cls, err);
	db_own_sql(drv, c, 0);
	return rc;
}

static const struct table_row *row_of(const struct table_rows *t, const char *table)
{
	size_t i;
	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->v[i].table, table))
			return &t->v[i];
	return NULL;
}

/* PostgreSQL's lock modes, weakest first, as a reviewer reads them, and which stop writers or readers. */
static const struct {
	const char *mode, *shown;
	int writers, readers;
} modes[] = {
	{ "AccessShareLock", "ACCESS SHARE", 0, 0 },
	{ "RowShareLock", "ROW SHARE", 0, 0 },
	{ "RowExclusiveLock", "ROW EXCLUSIVE", 0, 0 },
	{ "ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE", 0, 0 },
	{ "ShareLock", "SHARE", 1, 0 },
	{ "ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE", 1, 0 },
	{ "ExclusiveLock", "EXCLUSIVE", 1, 0 },
	{ "AccessExclusiveLock", "ACCESS EXCLUSIVE", 1, 1 },
};

/* The strongest mode locks holds on table (an index into modes), or -1. */
static int strongest(const struct table_rows *locks, const char *table)
{
	size_t i, k;
	int best = -1;
	for (i = 0; i < locks->nr; i++) {
		if (strcmp(locks->v[i].table, table) || !locks->v[i].a)
			continue;
		for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++)
			if (!strcmp(locks->v[i].a, modes[k].mode) && (int)k > best)
				best = (int)k;
	}
	return best;
}

/* Does s hold w, in any case? */
static int holds(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (!strncasecmp(s, w, n))
			return 1;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The usual safe rewrite of a statement that holds what stops writers too long. */
static const char *advice_for(const char *sql, int rewrite, int backfill, int one_writer)
{
	static const struct { const char *w1, *advice; } hints[] = {
		{ "index", "CREATE INDEX CONCURRENTLY, outside a transaction: writers go on while it builds" },
		{ "not null", "add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later "
				    "migration, then SET NOT NULL, which then scans nothing (PostgreSQL 12 and later)" },
		{ "foreign key", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration: "
				       "the check runs without stopping writers" },
		{ "references", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration: "
				      "the check runs without stopping writers" },
		{ "check", "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later "
				 "migration: the check runs without stopping writers" },
		{ "unique", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX" },
		{ "type", "add a new column, backfill it in batches, move reads and writes to it, then drop "
				"the old one" },
		{ "default", "add the column without a default (or with a constant one), then backfill in "
				   "batches" },
		{ "vacuum", "VACUUM without FULL, or pg_repack: it does not stop writers" },
	};
	size_t i;
	if (backfill)
		return "backfill in batches by key range, each its own transaction, so that no writer waits on "
		       "most of the rows at once";
	if (one_writer)
		return "SQLite has one write lock and no CONCURRENTLY: do the work in batches of its own "
		       "transactions, or at a time writers can wait as long as the projection says";
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (holds(sql, hints[i].w1))
			return hints[i].advice;
	if (rewrite)
		return "build the new shape beside the old (a new column or table), backfill in batches, then "
		       "switch: no statement rewrites the table under a lock";
	return "set a lock_timeout before it, so that a wait for the lock behind a long query fails fast "
	       "instead of queueing every writer behind it";
}

static struct lock_finding *add_finding(struct lock_report *r, int stmt, const char *sql, const char *table)
{
	struct lock_finding *f;
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	f = &r->v[r->nr++];
	memset(f, 0, sizeof(*f));
	f->stmt = stmt;
	f->sql = xstrdup(sql);
	f->table = xstrdup(table);
	return f;
}

static int64_t prod_rows(const struct locks_opts *o, const char *table)
{
	size_t i;
	for (i = 0; i < o->nrows; i++)
		if (!strcmp(o->rows[i].table, table) || !strcasecmp(o->rows[i].table, table))
			return o->rows[i].rows;
	return o->default_rows;
}

/* Does the team's config accept finding name on table? */
static int allowed(const struct locks_opts *o, const char *name, const char *table)
{
	size_t i, n = strlen(name);
	for (i = 0; i < o->nallow; i++) {
		const char *a = o->allow[i];
		if (!strncmp(a, name, n) && (!a[n] || (a[n] == ':' && !strcmp(a + n + 1, table))))
			return 1;
	}
	return 0;
}

/* The verdict on f, now that its hold time is known. */
static void judge(const struct locks_opts *o, struct lock_report *r, struct lock_finding *f)
{
	struct strbuf why = STRBUF_INIT;
	int backfill = !strcmp(f->lock, "ROW EXCLUSIVE") || !strncasecmp(f->sql, "update", 6) ||
		       !strncasecmp(f->sql, "delete", 6);

	f->prod_rows = prod_rows(o, f->table);
	if (f->unmeasured) {
		/* The failure is the verdict's reason; the lock is said, its time not guessed. */
		f->name = "untimed-lock";
		f->projected_ms = 0;
		strbuf_addf(&why, "it holds %s on %s, which stops writers%s; how long was not measured: it failed "
			    "on the rows here", f->lock, f->table, f->blocks_readers ? " and readers" : "");
		f->why = strbuf_detach(&why);
		f->advice = advice_for(f->sql, 0, 0, db_can(o->drv, DB_CAP_ONE_WRITER));
		return;
	}
	f->projected_ms = f->scan && f->rows > 0 ? f->ms * (double)f->prod_rows / (double)f->rows : f->ms;
	f->fails = f->blocks_writers && (f->scan || f->projected_ms > o->max_wait_ms);
	if (f->rewrite)
		f->name = "table-rewrite";
	else if (f->scan && backfill)
		f->name = "blocking-backfill";
	else if (f->scan)
		f->name = "blocking-scan";
	else if (f->fails)
		f->name = "long-lock";
	else
		f->name = "brief-lock";
	if (f->rewrite)
		strbuf_addf(&why, "it rewrites %s under %s", f->table, f->lock);
	else if (f->scan && backfill && !strcmp(f->lock, "ROW EXCLUSIVE"))
		strbuf_addf(&why, "it writes %s of %s's %lld rows, each locked against writers to the end of its "
			    "transaction", f->work >= f->rows ? "every one" : "most", f->table, (long long)f->rows);
	else if (f->scan && backfill)
		strbuf_addf(&why, "it writes the rows of %s under %s", f->table, f->lock);
	else if (f->scan)
		strbuf_addf(&why, "it reads every row of %s under %s", f->table, f->lock);
	else
		strbuf_addf(&why, "it holds %s on %s for %.1f ms, whatever its size", f->lock, f->table, f->ms);
	if (f->blocks_writers)
		strbuf_addf(&why, ", which stops %s", f->blocks_readers ? "readers and writers" : "writers");
	if (f->scan)
		strbuf_addf(&why, ": %.1f ms at %lld rows, about %.0f ms at %lld", f->ms, (long long)f->rows,
			    f->projected_ms, (long long)f->prod_rows);
	if (f->fails && allowed(o, f->name, f->table)) {
		f->fails = 0;
		f->allowed = 1;
		strbuf_addstr(&why, " (allowed by the config)");
	}
	f->why = strbuf_detach(&why);
	/* A brief hold passes; where locks queue (not SQLite's one lock) a lock_timeout keeps it brief. */
	if (f->fails)
		f->advice = advice_for(f->sql, f->rewrite, backfill, db_can(o->drv, DB_CAP_ONE_WRITER));
	else if (f->blocks_writers && !db_can(o->drv, DB_CAP_ONE_WRITER))
		f->advice = advice_for("", 0, 0, 0);
	r->nfail += f->fails;
}

/*
** The lock of a statement that failed on the measure's rows (a UNIQUE
** over repeated values, SET NOT NULL over NULLs): run again with its table
** emptied, in a transaction rolled back, and its lock read.  How long it
** would hold it is not known.  Rows of other tables that reference it go
** first, a pass at a time; a table that still cannot be emptied leaves
** only the failure said.
*/
static int empty_table(const struct db_driver *drv, struct db_conn *c, const struct table_rows *counts,
		       const char *table)
{
	struct strbuf del = STRBUF_INIT, why = STRBUF_INIT;
	size_t pass, i;
	int cls, rc = -1;

	db_own_sql(drv, c, 1);
	for (pass = 0; pass <= counts->nr && rc; pass++) {
		strbuf_reset(&del);
		strbuf_addf(&del, "DELETE FROM %s.", db_home_schema(drv));
		sql_add_quoted(&del, table, '"');
		if (!(rc = db_exec_try(drv, c, del.buf, 0, NULL, NULL, NULL, &cls, &why)))
			break;
		/* Referenced still: every other table emptied as far as it goes, then again. */
		for (i = 0; i < counts->nr; i++) {
			strbuf_reset(&del);
			strbuf_addf(&del, "DELETE FROM %s.", db_home_schema(drv));
			sql_add_quoted(&del, counts->v[i].table, '"');
			db_exec_try(drv, c, del.buf, 0, NULL, NULL, NULL, &cls, &why);
		}
	}
	db_own_sql(drv, c, 0);
	strbuf_release(&del);
	strbuf_release(&why);
	return rc;
}

static void lock_of_failed(const struct locks_opts *o, struct db_conn *c, const char *sql, int stmt,
			   const struct table_rows *counts, struct lock_report *out)
{
	const struct db_driver *drv = o->drv;
	struct strbuf table = STRBUF_INIT, why = STRBUF_INIT;
	struct table_rows locks = { 0 };
	int cls, m, wrote = 0;
	struct lock_finding *f;
	const struct table_row *cnt;

	if (!sql_table_changed(sql, &table) || db_begin(drv, c) != DB_DONE)
		goto out;
	if (empty_table(drv, c, counts, table.buf) || db_exec_now(drv, c, sql, 0, NULL, NULL, NULL, &cls, &why))
		goto out;
	db_work(drv, c, &wrote);
	cnt = row_of(counts, table.buf);
	if (db_locks_query(drv)) {
		query(drv, c, db_locks_query(drv), &locks, &why);
		if ((m = strongest(&locks, table.buf)) < 0 || !modes[m].writers)
			goto out;
		f = add_finding(out, stmt, sql, table.buf);
		f->lock = xstrdup(modes[m].shown);
		f->blocks_readers = modes[m].readers;
	} else {
		if (!wrote)
			goto out;
		f = add_finding(out, stmt, sql, table.buf);
		f->lock = xstrdup("the database's write lock");
	}
	f->blocks_writers = 1;
	f->unmeasured = 1;
	f->rows = cnt ? cnt->n1 : 0;
out:
	if (db_in_tx(drv, c))
		db_rollback(drv, c);
	rows_release(&locks);
	strbuf_release(&table);
	strbuf_release(&why);
}

/*
** Run the migration's statements on c, measuring each.  An autocommit
** statement runs in a transaction of mdrill's, so that its locks can be
** read before they go; in the migration's own transaction its locks are
** held, and counted, to that transaction's end.
*/
static void measure(const struct scenario *sc, const struct locks_opts *o, struct db_conn *c,
		    const struct table_rows *counts, const struct sql_script *mig, struct lock_report *out)
{
	const struct db_driver *drv = o->drv;
	struct table_rows locks = { 0 }, held = { 0 }, work0 = { 0 }, work1 = { 0 }, store0 = { 0 }, store1 = { 0 };
	struct strbuf why = STRBUF_INIT, target = STRBUF_INIT;
	size_t *open_tx = NULL, nopen = 0, open_alloc = 0, i, k;
	int in_tx = 0, cls;
	(void)sc;

	for (i = 0; i < mig->nr; i++) {
		const char *sql = mig->v[i].sql;
		int ctl = sql_tx_control(sql), own = 0, wrote = 0;
		double t0, ms;
		int64_t steps;

		if (ctl == SQL_TX_BEGIN || ctl == SQL_TX_COMMIT || ctl == SQL_TX_ROLLBACK) {
			if (db_exec_now(drv, c, sql, 0, NULL, NULL, NULL, &cls, &why))
				break;
			in_tx = ctl == SQL_TX_BEGIN;
			if (!in_tx)
				nopen = 0;
			rows_release(&held);
			continue;
		}
		/* CONCURRENTLY and VACUUM refuse a transaction: measured as they run, their locks not read. */
		if (!in_tx && !holds(sql, "concurrently") && strncasecmp(sql, "vacuum", 6)) {
			if (db_begin(drv, c) != DB_DONE)
				break;
			own = 1;
		}
		query(drv, c, db_work_query(drv), &work0, &why);
		query(drv, c, db_storage_query(drv), &store0, &why);
		t0 = now_ms();
		if (db_exec_now(drv, c, sql, 0, NULL, NULL, NULL, &cls, &why)) {
			/* The measure ends here; the statement's lock is read again on its table emptied. */
			out->failed_stmt = (int)i + 1;
			out->failed_error = xstrdup(why.buf);
			if (db_in_tx(drv, c))
				db_rollback(drv, c);
			lock_of_failed(o, c, sql, (int)i + 1, counts, out);
			break;
		}
		ms = now_ms() - t0;
		steps = db_steps(drv, c);
		db_work(drv, c, &wrote);
		for (k = 0; k < nopen; k++)
			out->v[open_tx[k]].ms += ms;
		query(drv, c, db_locks_query(drv), &locks, &why);
		query(drv, c, db_work_query(drv), &work1, &why);
		query(drv, c, db_storage_query(drv), &store1, &why);

		strbuf_reset(&target);
		if (db_locks_query(drv)) {
			/* PostgreSQL: each table whose lock this statement took or made stronger. */
			for (k = 0; k < locks.nr; k++) {
				const struct table_row *cnt, *w0, *w1, *s0, *s1;
				int m = strongest(&locks, locks.v[k].table), before = strongest(&held, locks.v[k].table);
				struct lock_finding *f;
				int64_t rows, rd, wr;
				if (m < 0 || m <= before)
					continue;
				cnt = row_of(counts, locks.v[k].table);
				w0 = row_of(&work0, locks.v[k].table);
				w1 = row_of(&work1, locks.v[k].table);
				s0 = row_of(&store0, locks.v[k].table);
				s1 = row_of(&store1, locks.v[k].table);
				rows = cnt ? cnt->n1 : 0;
				rd = (w1 ? w1->n1 : 0) - (w0 ? w0->n1 : 0);
				wr = (w1 ? w1->n2 : 0) - (w0 ? w0->n2 : 0);
				/* A plain read of another table (a lookup, ACCESS SHARE) is no hold worth saying. */
				if (!modes[m].writers && !(m == 2 && rows > 0 && 2 * wr >= rows))
					continue;
				/* One finding a table a statement: the strongest mode, found first. */
				{
					size_t j;
					int dup = 0;
					for (j = 0; j < out->nr; j++)
						dup |= out->v[j].stmt == (int)i + 1 && !strcmp(out->v[j].table, locks.v[k].table);
					if (dup)
						continue;
				}
				f = add_finding(out, (int)i + 1, sql, locks.v[k].table);
				f->lock = xstrdup(modes[m].shown);
				f->blocks_readers = modes[m].readers;
				f->rows = rows;
				f->work = rd + wr;
				f->rewrite = s0 && s1 && s0->a && s1->a && strcmp(s0->a, s1->a);
				f->scan = f->rewrite || (rows > 0 && 2 * (rd + wr) >= rows);
				/* ROW EXCLUSIVE over most rows: each row written is locked against other writers. */
				f->blocks_writers = modes[m].writers || (m == 2 && f->scan);
				f->ms = ms;
				if (in_tx) {
					ALLOC_GROW(open_tx, nopen + 1, open_alloc);
					open_tx[nopen++] = out->nr - 1;
				}
			}
		} else if (wrote && sql_table_changed(sql, &target)) {
			/* SQLite: one write lock for the whole database, held for the statement's work. */
			const struct table_row *cnt = row_of(counts, target.buf), *s0 = row_of(&store0, target.buf),
					       *s1 = row_of(&store1, target.buf);
			struct lock_finding *f = add_finding(out, (int)i + 1, sql, target.buf);
			f->lock = xstrdup("the database's write lock");
			f->blocks_writers = 1;
			f->rows = cnt ? cnt->n1 : 0;
			f->work = steps;
			f->rewrite = (s0 && !s1) || (s0 && s1 && s0->a && s1->a && strcmp(s0->a, s1->a));
			/* A scan takes several VM steps a row; a change of the schema alone, a few hundred. */
			f->scan = f->rewrite || (f->rows > 0 && steps >= 4 * f->rows && steps > 1000);
			f->ms = ms;
			if (in_tx) {
				ALLOC_GROW(open_tx, nopen + 1, open_alloc);
				open_tx[nopen++] = out->nr - 1;
			}
		}
		/* What this statement's transaction holds now is what the next one finds held. */
		if (in_tx) {
			rows_release(&held);
			query(drv, c, db_locks_query(drv), &held, &why);
		}
		if (own && db_commit(drv, c) != DB_DONE)
			break;
	}
	if (db_in_tx(drv, c))
		db_rollback(drv, c);
	rows_release(&locks);
	rows_release(&held);
	rows_release(&work0);
	rows_release(&work1);
	rows_release(&store0);
	rows_release(&store1);
	free(open_tx);
	strbuf_release(&why);
	strbuf_release(&target);
}

/* "SELECT count(*) FROM t" for each table of the schema (the storage query names them). */
static int count_rows(const struct db_driver *drv, struct db_conn *c, struct table_rows *out, struct strbuf *err)
{
	struct table_rows tables = { 0 };
	size_t i;
	int rc = query(drv, c, db_storage_query(drv), &tables, err);

	for (i = 0; i < tables.nr && !rc; i++) {
		struct strbuf sql = STRBUF_INIT;
		struct table_rows n = { 0 };
		int cls;
		strbuf_addf(&sql, "SELECT '', count(*) FROM %s.", db_home_schema(drv));
		sql_add_quoted(&sql, tables.v[i].table, '"');
		db_own_sql(drv, c, 1);
		if (!db_exec_now(drv, c, sql.buf, 0, NULL, take_row, &n, &cls, err) && n.nr) {
			ALLOC_GROW(out->v, out->nr + 1, out->alloc);
			out->v[out->nr].table = xstrdup(tables.v[i].table);
			out->v[out->nr].a = NULL;
			out->v[out->nr].n1 = n.v[0].n1;
			out->v[out->nr++].n2 = 0;
		}
		db_own_sql(drv, c, 0);
		strbuf_reset(err);
		rows_release(&n);
		strbuf_release(&sql);
	}
	rows_release(&tables);
	return rc;
}

int locks_measure(const struct scenario *sc, const struct locks_opts *o, struct lock_report *out,
		  struct strbuf *err)
{
	const struct db_driver *drv = o->drv;
	struct sql_script schema = { 0 }, mig = { 0 };
	struct table_rows counts = { 0 };
	struct strbuf why = STRBUF_INIT;
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct ledger l;
	const struct sql_variant *v;
	size_t failed, i;
	int m = scenario_migration(sc, "bad"), rc = 0;

	memset(out, 0, sizeof(*out));
	out->max_wait_ms = o->max_wait_ms;
	ledger_init(&l);
	v = m >= 0 ? sql_section_pick(&sc->migrations[m].sql, db_dialect(drv)) : NULL;
	if (!v)
		goto out;
	if ((o->template ? db_copy(drv, o->template, o->dbo, &db, err) : db_create(drv, o->target, o->dbo, &db, err)) ||
	    db_connect(drv, db, &c, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	scenario_schema_script(sc, db_dialect(drv), &schema);
	if (!o->template && history_apply(drv, c, sc->history, &schema, &failed, &why)) {
		rc = strbuf_error(err, DRILL_EINPUT, "%s: the schema fails on %s: %s", sc->path, db_name(drv), why.buf);
		goto out;
	}
	if (probe_adopt(NULL, sc, drv, c, &l, err) || seeder_run(sc, drv, c, &l, o->seed, NULL, NULL, err)) {
		rc = DRILL_EINPUT;
		goto out;
	}
	if (count_rows(drv, c, &counts, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	for (i = 0; i < counts.nr; i++)
		if (counts.v[i].n1 > out->seeded_rows)
			out->seeded_rows = counts.v[i].n1;
	sql_split(v->text, v->line, &mig);
	measure(sc, o, c, &counts, &mig, out);
	for (i = 0; i < out->nr; i++)
		judge(o, out, &out->v[i]);
out:
	rows_release(&counts);
	sql_script_release(&schema);
	sql_script_release(&mig);
	ledger_release(&l);
	if (c) {
		db_rollback(drv, c);
		db_disconnect(drv, c);
	}
	if (db)
		db_destroy(drv, db, 0, NULL, &why);
	strbuf_release(&why);
	return rc;
}

void locks_report_release(struct lock_report *r)
{
	size_t i;
	for (i = 0; i < r->nr; i++) {
		free(r->v[i].sql);
		free(r->v[i].file);
		free(r->v[i].table);
		free(r->v[i].lock);
		free(r->v[i].why);
	}
	free(r->v);
	free(r->failed_error);
	free(r->failed_file);
	memset(r, 0, sizeof(*r));
}
