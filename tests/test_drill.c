/*
** Integration tests of the whole drill on real SQLite files: the tiny
** fixture, whose right answers are derived by hand in the comments, and
** phone-not-null with its roll-forward fix and its down migration.  Also
** determinism, the pre-migration snapshot, the migration history, the
** removal of the disposable database, and '-- @repeat' on the backfill
** fixture, whose runs are counted by hand.
**
** SPDX-License-Identifier: MIT
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "../scoring/live.h"
#include "drillrun.h"

#define TINY "tests/fixtures/tiny/scenario.drill"
#define PHONE "scenarios/phone-not-null/scenario.drill"

static const struct param_set small[] = { { "rows", "200" } };

static int fabs_eq(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

/*
** tiny: five seed keys the app never touches, one fact per committed insert.
** By hand: expected = 5 + committed inserts, in every run, whatever the seed.
*/
static void assert_tiny_totals(const struct scorecard *s)
{
	uint64_t inserts = 0;
	int ph;
	for (ph = 0; ph < PH_COUNT; ph++)
		inserts += committed_in(s, ph);
	assert_int_equal(s->win[OW_SEED].expected, 5);
	assert_int_equal(s->total.expected, 5 + inserts);
	/* The rename breaks every insert in the incident, and none commits there. */
	assert_int_equal(committed_in(s, PH_INCIDENT), 0);
	assert_true(failed_in(s, PH_INCIDENT) > 0);
	assert_true(committed_in(s, PH_BEFORE) > 0);
}

static void tiny_rename_back_passes(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	assert_tiny_totals(&r.card);
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected);
	assert_true(r.card.ratio == 1.0);
	assert_int_equal(failed_in(&r.card, PH_AFTER), 0);
	assert_true(r.card.pass);
	assert_int_equal(r.card.score, 100); /* one client: nobody waits */
	run_release(&r);
}

static void tiny_drop_and_readd_loses_fields(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/drop-and-readd.sql", 1, NULL, 0), 0);
	assert_tiny_totals(&r.card);
	/* By hand: every value written before the fix is NULL now, the rest survive. */
	assert_int_equal(r.card.win[OW_SEED].n[OC_LOST_FIELD], 5);
	assert_int_equal(r.card.win[OW_BEFORE].n[OC_LOST_FIELD], committed_in(&r.card, PH_BEFORE));
	assert_int_equal(r.card.win[OW_AFTER].n[OC_PRESERVED], committed_in(&r.card, PH_AFTER));
	assert_int_equal(r.card.total.n[OC_LOST_FIELD], 5 + committed_in(&r.card, PH_BEFORE));
	assert_int_equal(r.card.total.n[OC_LOST_ROW], 0);
	assert_false(r.card.pass);
	assert_true(r.card.score < 50);
	run_release(&r);
}

static void tiny_delete_loses_two_rows(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-and-delete.sql", 2, NULL, 0), 0);
	assert_tiny_totals(&r.card);
	assert_int_equal(r.card.win[OW_SEED].n[OC_PRESERVED], 3);
	assert_int_equal(r.card.win[OW_SEED].n[OC_LOST_ROW], 2);
	assert_int_equal(r.card.total.n[OC_LOST_ROW], 2);
	assert_int_equal(r.card.rows_lost, 2);
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected - 2);
	assert_false(r.card.pass);
	run_release(&r);
}

static void tiny_stray_row_is_phantom(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-and-insert.sql", 3, NULL, 0), 0);
	assert_tiny_totals(&r.card);
	/* By hand: all expected facts kept, one row nobody wrote: ratio n/(n+1). */
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected);
	assert_int_equal(r.card.extra_phantoms, 1);
	assert_int_equal(r.card.total.n[OC_PHANTOM], 1);
	assert_true(r.card.ratio > 0.0);
	assert_true(fabs_eq(r.card.ratio, (double)r.card.total.expected / (double)(r.card.total.expected + 1)));
	assert_false(r.card.pass);
	run_release(&r);
}

static void tiny_fix_failing_halfway_is_an_outcome(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/fails-halfway.sql", 1, NULL, 0), 0);
	assert_int_equal(r.card.fix.failed_statement, 2);
	assert_int_equal(r.card.fix.failed_line, 4);
	assert_string_equal(r.card.fix.error_class, "missing-object");
	assert_non_null(strstr(r.card.fix.error, "nosuchcolumn"));
	assert_false(r.card.fix.completed);
	assert_int_equal(r.card.fix.applied, 1);
	/* The rename (statement 3) never ran: every insert after the fix fails. */
	assert_int_equal(committed_in(&r.card, PH_AFTER), 0);
	assert_true(failed_in(&r.card, PH_AFTER) > 0);
	assert_int_equal(r.card.total.n[OC_LOST_FIELD], 5 + committed_in(&r.card, PH_BEFORE));
	assert_false(r.card.pass);
	assert_int_equal(r.card.score, 0);
	run_release(&r);
}

static void tiny_fix_failing_in_its_transaction_rolls_back(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/fails-in-transaction.sql", 1, NULL, 0), 0);
	assert_int_equal(r.card.fix.failed_statement, 3);
	assert_int_equal(r.card.fix.applied, 2);
	/* Its transaction was rolled back with it: the rename in statement 2 is gone too. */
	assert_int_equal(committed_in(&r.card, PH_AFTER), 0);
	assert_true(failed_in(&r.card, PH_AFTER) > 0);
	assert_false(r.card.pass);
	run_release(&r);
}

static void phone_make_nullable_passes(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, PHONE, "fixes/make-nullable.sql", 1, small, 1), 0);
	assert_true(r.card.pass);
	assert_true(r.card.ratio == 1.0);
	assert_true(r.card.total.expected > 400);
	assert_int_equal(r.card.fix.applied, 6);
	assert_true(r.card.fix.completed);
	/* The incident: v1 registrations fail on the NOT NULL column ... */
	assert_true(r.card.failed[0][PH_INCIDENT] > 0);
	/* ... while v2, deployed during it, stores phone numbers. */
	assert_true(r.card.committed[1][PH_INCIDENT] > 0);
	assert_true(r.card.win[OW_INCIDENT].expected > 0);
	assert_int_equal(r.card.win[OW_INCIDENT].n[OC_PRESERVED], r.card.win[OW_INCIDENT].expected);
	assert_int_equal(failed_in(&r.card, PH_AFTER), 0);
	assert_true(r.card.score >= 50);
	run_release(&r);
}

static void phone_down_loses_phone_numbers(void **state)
{
	struct run r;
	size_t i;
	(void)state;
	assert_int_equal(run_drill(&r, PHONE, NULL, 1, small, 1), 0);
	assert_false(r.card.pass);
	assert_true(r.card.total.n[OC_LOST_FIELD] > 0);
	/* Every loss is a phone number, written in the incident window: stranded data. */
	assert_int_equal(r.card.win[OW_INCIDENT].n[OC_LOST_FIELD], r.card.total.n[OC_LOST_FIELD]);
	assert_int_equal(r.card.total.n[OC_LOST_ROW], 0);
	assert_int_equal(r.card.total.n[OC_CORRUPTED], 0);
	for (i = 0; i < r.card.nexamples; i++)
		assert_string_equal(r.card.examples[i].field, "phone_number");
	assert_int_equal(r.card.nnotes, 1);
	assert_non_null(strstr(r.card.notes[0], "phone_number"));
	/* v2 still runs and now fails; v1 recovers. */
	assert_true(r.card.failed[1][PH_AFTER] > 0);
	assert_int_equal(r.card.failed[0][PH_AFTER], 0);
	assert_true(r.card.score < 50);
	run_release(&r);
}

static void templated_drill_is_the_same(void **state)
{
	(void)state;
	check_template_drill(PHONE, "fixes/make-nullable.sql", small, 1, "users");
	check_template_drill(PHONE, NULL, small, 1, "users");
}

/*
** Keys the database gives: INSERT ... RETURNING id, '-- @returning id',
** facts on that key.  By hand: three seed facts and one a committed
** insert, all kept with nothing in the fix slot; the down migration drops
** the column, every one of them a lost field.
*/
static void returning_keys_are_the_databases(void **state)
{
	struct run r;
	uint64_t inserts;
	(void)state;
	assert_int_equal(run_drill(&r, "tests/fixtures/returning/scenario.drill", "fixes/nothing.sql", 1, NULL, 0),
			 0);
	inserts = committed_in(&r.card, PH_BEFORE) + committed_in(&r.card, PH_INCIDENT) +
		  committed_in(&r.card, PH_FIXING) + committed_in(&r.card, PH_AFTER);
	assert_true(inserts > 10);
	assert_int_equal(r.card.total.expected, 3 + inserts);
	assert_int_equal(r.card.total.n[OC_PRESERVED], r.card.total.expected);
	assert_int_equal(failed_in(&r.card, PH_BEFORE) + failed_in(&r.card, PH_AFTER), 0);
	assert_true(r.card.pass);
	run_release(&r);
	assert_int_equal(run_drill(&r, "tests/fixtures/returning/scenario.drill", NULL, 1, NULL, 0), 0);
	assert_int_equal(r.card.total.n[OC_LOST_FIELD], r.card.total.expected);
	assert_false(r.card.pass);
	run_release(&r);
}

static void same_seed_same_json(void **state)
{
	struct run a, b, c;
	(void)state;
	assert_int_equal(run_drill(&a, PHONE, NULL, 7, small, 1), 0);
	assert_int_equal(run_drill(&b, PHONE, NULL, 7, small, 1), 0);
	assert_int_equal(run_drill(&c, PHONE, NULL, 8, small, 1), 0);
	assert_string_equal(a.json.buf, b.json.buf);
	assert_string_not_equal(a.json.buf, c.json.buf);
	run_release(&a);
	run_release(&b);
	run_release(&c);
}

#define FLAGS "tests/fixtures/flags/scenario.drill"

/*
** Feature flags: the new path breaks when the bad migration drops its
** column.  With the flag on all incident traffic fails; switched off at
** tick 300, nothing invoked after the flip fails, with no schema change.
*/
static void flag_off_stops_failures_at_the_flip(void **state)
{
	struct run r;
	size_t i;
	(void)state;
	assert_int_equal(run_drill(&r, FLAGS, "fixes/readd-from-backup.sql", 1, NULL, 0), 0);
	assert_int_equal(r.card.nflips, 0);
	assert_int_equal(r.card.committed[0][PH_INCIDENT], 0);
	assert_true(r.card.failed[0][PH_INCIDENT] > 0);
	run_release(&r);

	run_flag_off = "new_ui";
	run_flag_tick = 300;
	assert_int_equal(run_drill(&r, FLAGS, "fixes/readd-from-backup.sql", 1, NULL, 0), 0);
	run_flag_off = NULL;
	assert_int_equal(r.card.nflips, 1);
	assert_string_equal(r.card.flips[0].name, "new_ui");
	assert_int_equal(r.card.flips[0].tick, 300);
	assert_int_equal(r.card.flips[0].on, 0);
	assert_true(r.card.failed[0][PH_INCIDENT] > 0);    /* before the flip */
	assert_true(r.card.committed[0][PH_INCIDENT] > 0); /* the old path, after it */
	for (i = 1; i < r.d.ledger.ntx; i++)
		if (r.d.ledger.tx[i].invoke > 300)
			assert_int_equal(r.d.ledger.tx[i].outcome, TX_OK);
	assert_true(r.card.pass);
	run_release(&r);
}

/* The correct restore keeps every value; it passes whatever the schedule. */
static void backup_restore_without_overwriting_passes_every_seed(void **state)
{
	struct run r;
	uint64_t seed;
	(void)state;
	for (seed = 1; seed <= 8; seed++) {
		assert_int_equal(run_drill(&r, FLAGS, "fixes/readd-from-backup.sql", seed, NULL, 0), 0);
		assert_true(r.card.pass);
		run_release(&r);
	}
}

/*
** Regression: failed writes of the very value the re-added column defaults
** to are explained by the default, not phantoms of the failed writes.
*/
static void declared_default_is_no_phantom(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, "tests/fixtures/default-phantom/scenario.drill",
				   "fixes/readd-default.sql", 1, NULL, 0), 0);
	assert_int_equal(r.card.total.n[OC_PHANTOM], 0);
	assert_int_equal(r.card.extra_phantoms, 0);
	assert_true(r.card.pass);
	run_release(&r);
}

/*
** Regression: the probe names "val AS v" and "v AS v_old"; with column v
** gone, only v_old reads NULL, and the facts of v (read from val) stand.
*/
static void probe_alias_survives_the_null_rewrite(void **state)
{
	struct run r;
	(void)state;
	assert_int_equal(run_drill(&r, "tests/fixtures/alias/scenario.drill", "fixes/noop.sql", 1, NULL, 0), 0);
	assert_int_equal(r.card.total.expected, 5);
	assert_int_equal(r.card.total.n[OC_PRESERVED], 5);
	assert_int_equal(r.card.nnotes, 1);
	assert_non_null(strstr(r.card.notes[0], "'kv.v_old' reads NULL"));
	run_release(&r);
}

/* A CSV file read back through libcsv: rows, and what one column holds. */
struct csv_read {
	size_t rows, fields, col;
	int want_col;                /* column to look at, -1 for none */
	const char *want;            /* count rows whose column holds exactly this */
	size_t hits;
	char buf[256];
	int empty_quoted_false;      /* facts: "" with value_is_null false seen */
	char last_value[256];
	int last_value_set;
};

static void csv_cb1(void *data, size_t len, void *ctx)
{
	struct csv_read *c = ctx;
	if (c->want_col >= 0 && (int)c->col == c->want_col && c->want &&
	    len == strlen(c->want) && !memcmp(data, c->want, len))
		c->hits++;
	if (c->col == 4) { /* facts.csv: value */
		snprintf(c->last_value, sizeof(c->last_value), "%.*s", (int)len, data ? (const char *)data : "");
		c->last_value_set = 1;
	}
	if (c->col == 5 && c->last_value_set && !c->last_value[0] && len == 5 && !memcmp(data, "false", 5))
		c->empty_quoted_false = 1;
	c->col++;
	c->fields++;
}

static void csv_cb2(int ch, void *ctx)
{
	struct csv_read *c = ctx;
	(void)ch;
	c->rows++;
	c->col = 0;
	c->last_value_set = 0;
}

static void read_csv(const char *path, struct csv_read *c)
{
	struct csv_parser p;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		assert_int_equal(csv_parse(&p, buf, n, csv_cb1, csv_cb2, c), n);
	assert_int_equal(csv_fini(&p, csv_cb1, csv_cb2, c), 0);
	csv_free(&p);
	fclose(f);
}

/* --csv: the four files round-trip through libcsv's parser, whole. */
static void csv_exports_round_trip(void **state)
{
	static const struct param_set odd[] = { { "rows", "200" }, { "awkward", "0.3" } };
	char tmpl[] = "/tmp/mdrill-csv-XXXXXX", path[256];
	char *dir = mkdtemp(tmpl);
	struct run r;
	struct csv_read tx = { 0, 0, 0, 6, "failed", 0, "", 0, "", 0 };
	struct csv_read facts = { 0, 0, 0, -1, NULL, 0, "", 0, "", 0 };
	struct csv_read finds = { 0, 0, 0, 8, "true", 0, "", 0, "", 0 };
	struct csv_read tl = { 0, 0, 0, -1, NULL, 0, "", 0, "", 0 };
	size_t i, failed = 0;
	(void)state;
	assert_non_null(dir);
	run_csv_dir = dir;
	assert_int_equal(run_drill(&r, PHONE, NULL, 1, odd, 2), 0);
	run_csv_dir = NULL;
	snprintf(path, sizeof(path), "%s/transactions.csv", dir);
	read_csv(path, &tx);
	snprintf(path, sizeof(path), "%s/facts.csv", dir);
	read_csv(path, &facts);
	snprintf(path, sizeof(path), "%s/findings.csv", dir);
	read_csv(path, &finds);
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	read_csv(path, &tl);
	/* One row each, plus the header. */
	assert_int_equal(tx.rows, r.d.ledger.ntx - 1 + 1);
	assert_int_equal(tx.fields, tx.rows * 9);
	for (i = 1; i < r.d.ledger.ntx; i++)
		failed += r.d.ledger.tx[i].outcome == TX_FAILED;
	assert_int_equal(tx.hits, failed);
	assert_int_equal(facts.rows, r.d.ledger.nfacts + 1);
	assert_int_equal(facts.fields, facts.rows * 7);
	assert_int_equal(finds.rows, r.nfindings + 1);
	assert_true(finds.hits > 0);           /* found NULL: the phone numbers the down lost */
	assert_true(facts.empty_quoted_false); /* an empty string is not NULL */
	assert_int_equal(tl.rows, SCORECARD_BUCKETS * r.card.nversions + 1);
	run_release(&r);
	for (i = 0; i < 4; i++) {
		static const char *const names[] = { "transactions", "facts", "findings", "timeline" };
		snprintf(path, sizeof(path), "%s/%s.csv", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int history_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct strbuf *sb = ctx;
	(void)names;
	(void)ncol;
	strbuf_addf(sb, "%s:%s;", vals[0], vals[1]);
	return 0;
}

static void history_and_backup(void **state)
{
	struct run r;
	struct strbuf rows = STRBUF_INIT, err = STRBUF_INIT;
	int cls;
	(void)state;
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	/* The fix is a new version in the history, never a rewrite of it. */
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin,
				     "SELECT version, name FROM schema_migrations ORDER BY version",
				     0, NULL, history_row, &rows, &cls, &err), 0);
	assert_string_equal(rows.buf, "1:schema;2:bad;3:fix;");
	/* The snapshot holds the database as it was right before the bad migration. */
	strbuf_reset(&rows);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin,
				     "SELECT count(*), 'x' FROM backup.kv WHERE v IS NOT NULL",
				     0, NULL, history_row, &rows, &cls, &err), 0);
	{
		char want[32];
		snprintf(want, sizeof(want), "%llu:x;",
			 (unsigned long long)(5 + committed_in(&r.card, PH_BEFORE)));
		assert_string_equal(rows.buf, want);
	}
	strbuf_release(&rows);
	strbuf_release(&err);
	run_release(&r);
}

/*
** A golang-migrate history ('-- @history golang-migrate') whose migration
** adds a column to the tool's own schema_migrations: the drill makes that
** table as golang-migrate does, records the history's last version in it
** (3: version 2 is a gap), and keeps its own record in mdrill_history.
*/
static void tool_history_is_kept_apart(void **state)
{
	struct run r;
	struct strbuf rows = STRBUF_INIT, err = STRBUF_INIT;
	int cls;
	(void)state;
	assert_int_equal(run_drill(&r, "tests/fixtures/history/scenario.drill", "fixes/record-data-version.sql", 1,
				   NULL, 0), 0);
	assert_true(r.card.pass);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin, "SELECT version, name FROM mdrill_history ORDER BY version",
				     0, NULL, history_row, &rows, &cls, &err), 0);
	assert_string_equal(rows.buf, "1:schema;2:bad;3:fix;");
	strbuf_reset(&rows);
	assert_int_equal(db_exec_now(r.d.drv, r.d.admin, "SELECT version, data_version FROM schema_migrations "
				     "WHERE NOT dirty", 0, NULL, history_row, &rows, &cls, &err), 0);
	assert_string_equal(rows.buf, "3:5;");
	strbuf_release(&rows);
	strbuf_release(&err);
	run_release(&r);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void disposable_database_is_removed(void **state)
{
	char tmpl[] = "/tmp/mdrill-test-XXXXXX";
	char *dir = mkdtemp(tmpl);
	const char *old = getenv("TMPDIR");
	char saved[4096];
	int had = old != NULL;
	struct run r;
	(void)state;
	/* A copy that owes nothing to the allocator the tests check. */
	snprintf(saved, sizeof(saved), "%s", had ? old : "");
	assert_non_null(dir);
	setenv("TMPDIR", dir, 1);
	assert_int_equal(run_drill(&r, TINY, "fixes/fails-halfway.sql", 1, NULL, 0), 0);
	assert_int_equal(count_entries(dir), 1); /* the drill's own directory, while it runs */
	run_release(&r);
	assert_int_equal(count_entries(dir), 0);
	if (had) {
		setenv("TMPDIR", saved, 1);
	} else {
		unsetenv("TMPDIR");
	}
	rmdir(dir);
}

#define CHAOS "tests/fixtures/chaos/scenario.drill"

static int count_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	(void)ncol;
	(void)names;
	*(long *)ctx = atol(vals[0]);
	return 0;
}

/* Rows of kv with key k in the drill's database. */
static long rows_with_key(struct run *r, const char *k)
{
	struct strbuf sql = STRBUF_INIT, err = STRBUF_INIT;
	long n = -1;
	int cls;
	strbuf_addf(&sql, "SELECT count(*) FROM kv WHERE k = %s", k);
	assert_int_equal(db_exec_now(r->d.drv, r->d.admin, sql.buf, 0, NULL, count_row, &n, &cls, &err), 0);
	strbuf_release(&sql);
	strbuf_release(&err);
	return n;
}

/*
** chaos: clients killed around their COMMIT (the fixture's comments work
** the answers out).  For every kill the ledger holds the transaction with
** the outcome the client could know, and the database holds its key
** exactly when its COMMIT landed; the oracle accepts all of it (ratio 1,
** pass).  Seed 2 has kills of all three kinds.
*/
static void killed_clients_both_outcomes(void **state)
{
	struct run r;
	size_t i, t, seen[3] = { 0, 0, 0 };
	(void)state;

	assert_int_equal(run_drill(&r, CHAOS, "fixes/drop-index.sql", 2, NULL, 0), 0);
	assert_true(r.card.pass);
	assert_true(fabs_eq(r.card.ratio, 1.0));
	assert_int_equal(r.d.nhits, 30);
	for (i = 0; i < r.d.nhits; i++) {
		const struct fault_hit *h = &r.d.hits[i];
		const struct ledger *l = &r.d.ledger;
		int found = 0;
		assert_int_equal(h->kind, FAULT_KILL_CLIENT);
		assert_true(h->client >= 0 && h->arg >= 0 && h->arg <= 2);
		seen[h->arg]++;
		for (t = 0; t < l->ntx; t++) {
			const struct ledger_tx *x = &l->tx[t];
			const char *key;
			if (x->client != h->client || x->complete != h->tick || x->invoke < 0)
				continue;
			found = 1;
			assert_int_equal(x->outcome, h->arg == CLIENT_KILL_MID ? TX_FAILED : TX_INDETERMINATE);
			assert_int_equal(x->errclass, DBE_CONNECTION);
			key = ledger_str(l, l->facts[x->first_fact].key);
			assert_int_equal(rows_with_key(&r, key), h->arg == CLIENT_KILL_COMMIT_LANDS ? 1 : 0);
		}
		assert_true(found);
	}
	assert_true(seen[CLIENT_KILL_MID] > 0);
	assert_true(seen[CLIENT_KILL_COMMIT_LANDS] > 0);
	assert_true(seen[CLIENT_KILL_COMMIT_LOST] > 0);
	assert_int_equal(r.card.conn_indeterminate, seen[1] + seen[2]);
	run_release(&r);
}

/* Faults are drawn from the seed: the same seed and faults, the same JSON. */
static void same_seed_same_faults_same_json(void **state)
{
	struct fault_list f = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct run a, b;
	(void)state;

	assert_int_equal(fault_parse_list("kill-client=5,busy=30@2000,slow-fix=3", &f, &err), 0);
	run_faults = &f;
	assert_int_equal(run_drill(&a, PHONE, "fixes/make-nullable.sql", 9, small, 1), 0);
	assert_int_equal(run_drill(&b, PHONE, "fixes/make-nullable.sql", 9, small, 1), 0);
	run_faults = NULL;
	assert_string_equal(a.json.buf, b.json.buf);
	assert_non_null(strstr(a.json.buf, "\"fault\":\"kill-client\""));
	assert_non_null(strstr(a.json.buf, "\"tick\":2000,\"fault\":\"busy\",\"arg\":30"));
	/* slow-fix: after each of the rebuild's six statements it sits 3 ticks on its lock. */
	assert_int_equal(a.card.fix.statements, 6);
	assert_true(a.card.fix.end - a.card.fix.start >= 6 * 3);
	run_release(&a);
	run_release(&b);
	fault_list_release(&f);
	strbuf_release(&err);
}

#define BACKFILL "tests/fixtures/backfill/scenario.drill"

static int bf_count(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	(void)ncol;
	(void)names;
	*(long *)ctx = atol(vals[0]);
	return 0;
}

/* A number the drill's database answers sql with. */
static long bf_query(struct run *r, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	long n = -1;
	int cls;
	assert_int_equal(db_exec_now(r->d.drv, r->d.admin, sql, 0, NULL, bf_count, &n, &cls, &err), 0);
	strbuf_release(&err);
	return n;
}

/*
** The runs of the fix's repeated statement are those the fixture works out
** by hand: stmt each time, changed[] in order, one tick apiece at least,
** inside the fix, and the scorecard's backfill adds them up.
*/
static void assert_runs(const struct run *r, int stmt, const int64_t *changed, size_t n)
{
	const struct repeat_log *log = &r->d.migs[r->d.fix].repeats;
	const struct sc_backfill *b = &r->card.backfill;
	uint64_t rows = 0, in_buckets = 0;
	size_t i;

	assert_int_equal(log->nstmts, 1);
	assert_int_equal(log->stmts[0], stmt);
	assert_int_equal(log->nruns, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(log->runs[i].stmt, stmt);
		assert_int_equal(log->runs[i].changed, changed[i]);
		assert_true(log->runs[i].tick >= r->card.fix.start && log->runs[i].tick <= r->card.fix.end);
		if (i)
			assert_true(log->runs[i].tick > log->runs[i - 1].tick);
		rows += (uint64_t)changed[i];
	}
	assert_true(b->present);
	assert_int_equal(b->statement, stmt);
	assert_int_equal(b->statements, 1);
	assert_int_equal(b->runs, n);
	assert_int_equal(b->rows, rows);
	assert_int_equal(b->first_tick, log->runs[0].tick);
	assert_int_equal(b->last_tick, log->runs[n - 1].tick);
	for (i = 0; i < SCORECARD_BUCKETS; i++)
		in_buckets += b->series[i];
	assert_int_equal(in_buckets, rows);
	assert_true(b->series[b->first_tick / r->card.bucket_ticks] > 0 || changed[0] == 0);
}

/*
** '-- @repeat max=5' over batches of 3 of the ten seeded rows: 3, 3, 3, 1,
** then 0 on the 5th run, the last allowed: converged, and the fix passes.
*/
static void repeat_runs_until_nothing_changes(void **state)
{
	static const int64_t changed[] = { 3, 3, 3, 1, 0 };
	struct strbuf text = STRBUF_INIT;
	const char *poly, *last, *chart, *area;
	char want[32];
	int top, height;
	struct run r;
	(void)state;

	assert_int_equal(run_drill(&r, BACKFILL, "fixes/batches-of-3.sql", 1, NULL, 0), 0);
	assert_runs(&r, 2, changed, 5);
	assert_true(r.card.backfill.converged);
	assert_int_equal(r.card.backfill.max_runs, 5);
	assert_true(r.card.fix.completed);
	assert_int_equal(r.card.fix.applied, 2);
	assert_true(r.card.pass);
	assert_int_equal(bf_query(&r, "SELECT count(*) FROM kv WHERE w = v AND k <= 10"), 10);
	assert_int_equal(bf_query(&r, "SELECT count(*) FROM kv WHERE w IS NOT NULL"), 10);
	assert_non_null(strstr(r.json.buf, "\"backfill\":{\"statement\":2,\"statements\":1,\"max_runs\":5,"
					    "\"runs\":5,\"rows\":10,\"converged\":true,"));
	report_terminal_render(&r.card, &text, 0);
	assert_non_null(strstr(text.buf, "Backfill (statement 2, at most 5 runs): 5 runs changed 10 rows, ticks "));
	assert_non_null(strstr(text.buf, "; converged (its last run changed no rows)\n"));
	strbuf_reset(&text);
	/* The chart climbs from 0, the plot's bottom, to all 10 rows, a round top of its y axis. */
	report_html_render(&r.card, &text, 0);
	chart = strstr(text.buf, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"backfill\"");
	assert_non_null(chart);
	area = strstr(chart, "<rect class=\"plotarea\"");
	assert_non_null(area);
	assert_int_equal(sscanf(area, "<rect class=\"plotarea\" x=\"%*d\" y=\"%d\" width=\"%*d\" height=\"%d\"", &top,
				&height), 2);
	poly = strstr(chart, "<polyline class=\"backfill\"");
	assert_non_null(poly);
	poly = strstr(poly, "points=\"");
	assert_non_null(poly);
	snprintf(want, sizeof(want), ",%d.0 ", top + height);
	assert_non_null(strstr(poly, want));
	last = strstr(poly, "\"/>");
	assert_non_null(last);
	snprintf(want, sizeof(want), ",%d.0", top);
	assert_true(last - poly > 5 && !strncmp(last - strlen(want), want, strlen(want)));
	assert_non_null(strstr(last, ">10 rows</text>"));
	strbuf_release(&text);
	run_release(&r);
}

/* One run too few: the 4th run still changes a row, so the fix fails there. */
static void repeat_stops_at_max_and_fails_the_fix(void **state)
{
	static const int64_t short_changed[] = { 3, 3, 3, 1 };
	static const int64_t key1_changed[] = { 1, 1, 1, 1, 1, 1 };
	struct run r;
	(void)state;

	assert_int_equal(run_drill(&r, BACKFILL, "fixes/batches-of-3-max4.sql", 1, NULL, 0), 0);
	assert_runs(&r, 2, short_changed, 4);
	assert_false(r.card.backfill.converged);
	assert_int_equal(r.card.fix.failed_statement, 2);
	assert_int_equal(r.card.fix.failed_line, 4);
	assert_string_equal(r.card.fix.error, "repeated 4 times and still changing rows: the backfill "
					      "does not converge");
	assert_string_equal(r.card.fix.error_class, "other");
	assert_false(r.card.fix.completed);
	assert_int_equal(r.card.fix.applied, 1);
	assert_false(r.card.pass);
	/* Its batches committed one by one: the rows are filled, the fix still failed. */
	assert_int_equal(bf_query(&r, "SELECT count(*) FROM kv WHERE w = v AND k <= 10"), 10);
	run_release(&r);

	assert_int_equal(run_drill(&r, BACKFILL, "fixes/never-converges.sql", 1, NULL, 0), 0);
	assert_runs(&r, 1, key1_changed, 6);
	assert_false(r.card.backfill.converged);
	assert_int_equal(r.card.fix.failed_statement, 1);
	assert_string_equal(r.card.fix.error, "repeated 6 times and still changing rows: the backfill "
					      "does not converge");
	assert_int_equal(r.card.fix.end, r.card.backfill.last_tick);
	assert_int_equal(bf_query(&r, "SELECT length(w) FROM kv WHERE k = 1"), 6);
	assert_false(r.card.pass);
	assert_non_null(strstr(r.json.buf, "\"runs\":6,\"rows\":6,\"converged\":false,"));
	run_release(&r);

	/* A fix without '-- @repeat' has no backfill. */
	assert_int_equal(run_drill(&r, TINY, "fixes/rename-back.sql", 1, NULL, 0), 0);
	assert_false(r.card.backfill.present);
	assert_non_null(strstr(r.json.buf, "\"backfill\":null,"));
	run_release(&r);
}


/*
** pipeline_chaos on tiny with the rename in one transaction, by hand: a
** crash after BEGIN (1) or after the uncommitted rename (2) rolls it back,
** so the re-run from the top completes and leaves the same schema;  a crash
** after COMMIT (3) leaves the column renamed, and the re-run's rename finds
** no column val: it fails, and the fix is not roll-forward-able.
*/
static void crash_points_converge_before_commit_only(void **state)
{
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	struct pipeline_request req;
	struct pipeline_result res;
	struct fault_list f = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc;
	(void)state;

	assert_int_equal(scenario_load(TINY, NULL, 0, &sc, &err), 0);
	memset(&req, 0, sizeof(req));
	req.fixarg = "fixes/rename-in-transaction.sql";
	req.seed = 1;
	req.faults = &f;

	assert_int_equal(fault_parse_list("fix-crash=all", &f, &err), 0);
	assert_int_equal(pipeline_chaos(sc, drv, &req, &res, &err), 0);
	assert_int_equal(res.card.ncrashes, 3);
	assert_true(res.card.crashes[0].reached && res.card.crashes[0].converged);
	assert_true(res.card.crashes[1].reached && res.card.crashes[1].converged);
	assert_true(res.card.crashes[2].reached);
	assert_false(res.card.crashes[2].completed);
	assert_false(res.card.crashes[2].converged);
	assert_non_null(strstr(res.card.crashes[2].error, "val"));
	assert_int_equal(res.card.roll_forward, 0);
	assert_false(res.card.pass);
	/* The card of fix-crash=all is the crash-free run's: its fix completed. */
	assert_true(res.card.fix.completed);
	assert_int_equal(res.card.crash_after, 0);
	pipeline_result_release(&res);
	fault_list_release(&f);

	/* One crash point: the card is the run with the crash, and it converged. */
	assert_int_equal(fault_parse_list("fix-crash=2", &f, &err), 0);
	req.hold = 1;
	assert_int_equal(pipeline_chaos(sc, drv, &req, &res, &err), 0);
	assert_int_equal(res.card.crash_after, 2);
	assert_int_equal(res.card.ncrashes, 1);
	assert_true(res.card.crashes[0].converged);
	assert_int_equal(res.card.roll_forward, 1);
	assert_true(res.card.pass);
	/* Held: the drill with the crash, its history holding the fix once. */
	assert_true(res.held);
	assert_int_equal(res.drill.migs[res.drill.fix].crash_after, 2);
	pipeline_result_release(&res);
	fault_list_release(&f);

	/* Past the last statement: bad input, before any drill runs. */
	assert_int_equal(fault_parse_list("fix-crash=4", &f, &err), 0);
	assert_int_equal(pipeline_chaos(sc, drv, &req, &res, &err), DRILL_EINPUT);
	assert_string_equal(err.buf, "--faults fix-crash=4: the fix has 3 statements");
	pipeline_result_release(&res);
	fault_list_release(&f);
	strbuf_release(&err);
	scenario_free(sc);
}

/*
** A drill driven step by step, as the live drill drives it: advanced in
** uneven pieces, the fix applied and the traffic ended at the ticks the
** timeline names, it is the batch drill, byte for byte.  This is what
** makes a live drill's record replay to the same verdict.
*/
static void steps_in_pieces_are_the_batch_drill(void **state)
{
	static const int64_t pieces[] = { 7, 13, 29, 60 };
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	struct strbuf err = STRBUF_INIT, batch = STRBUF_INIT, live = STRBUF_INIT;
	struct sql_script fix = { 0 };
	struct pipeline_request req;
	struct pipeline_result a, b;
	struct drill_opts o;
	struct scenario *sc;
	size_t i;
	int rc;
	(void)state;

	assert_int_equal(scenario_load(TINY, NULL, 0, &sc, &err), 0);
	memset(&req, 0, sizeof(req));
	req.fixarg = "fixes/rename-back.sql";
	req.seed = 3;
	assert_int_equal(pipeline_score(sc, drv, &req, &a, &err), 0);
	report_json_render(&a.card, &batch, 0);

	assert_int_equal(pipeline_load_fix(sc, drv, req.fixarg, 0, &fix, &err), 0);
	memset(&o, 0, sizeof(o));
	pipeline_result_init(&b);
	b.held = 1;
	o.drv = drv;
	o.seed = 3;
	o.live = 1;
	assert_int_equal(drill_start(&b.drill, sc, &o, &err), 0);
	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		assert_int_equal(drill_advance(&b.drill, pieces[i], &err), 0);
	assert_int_equal(b.drill.env.tick, 60);
	drill_apply(&b.drill, "fix", req.fixarg, &fix, 0);
	assert_int_equal(drill_advance(&b.drill, 91, &err), 0);
	assert_int_equal(drill_advance(&b.drill, 120, &err), 0);
	drill_stop_traffic(&b.drill);
	rc = drill_advance(&b.drill, INT64_MAX, &err);
	assert_int_equal(rc, DRILL_DRAINED);
	assert_int_equal(drill_finish(&b.drill, &err), 0);
	pipeline_judge(sc, &b);
	report_json_render(&b.card, &live, 0);
	assert_string_equal(live.buf, batch.buf);

	pipeline_result_release(&a);
	pipeline_result_release(&b);
	sql_script_release(&fix);
	strbuf_release(&batch);
	strbuf_release(&live);
	strbuf_release(&err);
	scenario_free(sc);
}

/*
** The blocked-writers chart's series of the fix's waits adds up to the
** scorecard's blocked_total, sits inside the fix's ticks, and never above
** all writers' waits: on SQLite most of those are writers queueing behind
** each other for the one write lock, which is not the fix's doing.
*/
static void check_fix_wait_series(const struct scorecard *c)
{
	uint64_t sum = 0, all = 0;
	int b;
	for (b = 0; b < SCORECARD_BUCKETS; b++) {
		int64_t from = b * c->bucket_ticks, to = from + c->bucket_ticks;
		sum += c->series_blocked_fix[b];
		all += c->series_blocked[b];
		assert_true(c->series_blocked_fix[b] <= c->series_blocked[b]);
		if (c->series_blocked_fix[b])
			assert_true(to > c->fix.start && from <= c->fix.end);
	}
	assert_int_equal(sum, c->blocked_total);
	assert_true(all > sum);
}

static void blocked_series_counts_the_fix_only(void **state)
{
	struct run r;
	(void)state;
	/* A fix whose lock writers queue behind: dozens of fix-caused ticks. */
	assert_int_equal(run_drill(&r, "scenarios/lock-storm/scenario.drill", "fixes/add-constraint.sql", 1,
				   small, 1), 0);
	assert_true(r.card.blocked_total > 20);
	check_fix_wait_series(&r.card);
	run_release(&r);
	/* The down migration of phone-not-null: a few ticks, under a wall of queueing. */
	assert_int_equal(run_drill(&r, PHONE, NULL, 1, small, 1), 0);
	assert_true(r.card.blocked_total < 20);
	check_fix_wait_series(&r.card);
	run_release(&r);
}

/*
** drill_apply with one_tx: the statements and the history's record run in
** one transaction mdrill opens, so one that fails leaves nothing of the
** others; as written, the statement before the failing one stays.  By
** hand: tiny's kv gains 'extra' only in the second run.
*/
static void one_transaction_leaves_nothing_of_a_failure(void **state)
{
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	struct strbuf err = STRBUF_INIT;
	struct sql_script fix = { 0 };
	struct scenario *sc;
	int one_tx;
	(void)state;

	assert_int_equal(scenario_load(TINY, NULL, 0, &sc, &err), 0);
	sql_split("ALTER TABLE kv ADD COLUMN extra TEXT;\nALTER TABLE nosuch ADD COLUMN y TEXT;\n", 1, &fix);
	for (one_tx = 1; one_tx >= 0; one_tx--) {
		struct pipeline_result r;
		struct drill_opts o;
		char **cols = NULL;
		size_t ncols = 0, k;
		int rep, has_extra = 0;

		memset(&o, 0, sizeof(o));
		pipeline_result_init(&r);
		r.held = 1;
		o.drv = drv;
		o.seed = 3;
		o.live = 1;
		assert_int_equal(drill_start(&r.drill, sc, &o, &err), 0);
		assert_int_equal(drill_advance(&r.drill, 60, &err), 0);
		rep = drill_apply(&r.drill, "fix", "broken", &fix, one_tx);
		assert_int_equal(drill_advance(&r.drill, 90, &err), 0);
		assert_false(drill_migrating(&r.drill));
		assert_false(r.drill.migs[rep].completed);
		assert_int_equal(r.drill.migs[rep].failed, 2);
		assert_int_equal(db_columns(drv, r.drill.admin, "kv", &cols, &ncols, &err), 0);
		for (k = 0; k < ncols; k++) {
			has_extra |= !strcmp(cols[k], "extra");
			free(cols[k]);
		}
		free(cols);
		assert_int_equal(has_extra, !one_tx);
		drill_stop_traffic(&r.drill);
		assert_int_equal(drill_advance(&r.drill, INT64_MAX, &err), DRILL_DRAINED);
		assert_int_equal(drill_finish(&r.drill, &err), 0);
		/* Its record in the history is not there either way: the fix did not complete. */
		assert_null(r.drill.history_broken);
		pipeline_result_release(&r);
	}
	sql_script_release(&fix);
	strbuf_release(&err);
	scenario_free(sc);
}


/*
** The live drill lays each loss at its cause.  tiny, by hand: the bad
** migration renames v, so the probe (SELECT k, v) reads every fact so far
** as NULL: all lost at the bad migration; the down migration renames it
** back and every one is readable again.  A fix then adds a trigger that
** blanks v after each insert: the fix itself loses nothing, each insert
** after it is lost, laid at v1's writes after it; at the end the losses
** by cause add up to the scorecard's.  And the checks change nothing:
** the same drill with the rename-back at tick 60 is the batch drill.
*/
static void live_lays_losses_at_their_causes(void **state)
{
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	struct strbuf err = STRBUF_INIT, batch = STRBUF_INIT, live = STRBUF_INIT;
	struct sql_script trigger = { 0 }, fix = { 0 };
	struct pipeline_request req;
	struct pipeline_result a;
	struct scenario *sc;
	struct live l;
	uint64_t sum = 0, before_bad;
	long down, apply;
	size_t i, k;
	(void)state;

	assert_int_equal(scenario_load(TINY, NULL, 0, &sc, &err), 0);
	assert_int_equal(live_start(&l, sc, drv, NULL, 3, 20, 100, NULL, &err), 0);
	assert_int_equal(live_advance(&l, 45, &err), 0);
	/* The bad migration: a cause, every fact so far lost at it. */
	assert_int_equal(l.loss.ncauses, 1);
	assert_string_equal(l.loss.causes[0].label, "the bad migration");
	before_bad = 5;
	for (i = 1; i < l.res.drill.ledger.ntx; i++)
		before_bad += l.res.drill.ledger.tx[i].outcome == TX_OK;
	assert_true(before_bad > 5);
	assert_int_equal(l.loss.causes[0].lost, before_bad);
	assert_int_equal(l.loss.causes[0].now, before_bad);
	down = live_down(&l, 0, &err);
	assert_int_equal(down, 0);
	assert_int_equal(live_advance(&l, 60, &err), 0);
	assert_true(l.actions[down].cause >= 0);
	assert_int_equal(l.loss.causes[l.actions[down].cause].lost, 0);
	assert_int_equal(l.loss.causes[l.actions[down].cause].recovered, before_bad);
	assert_int_equal(l.loss.causes[0].now, 0);
	sql_split("CREATE TRIGGER blank AFTER INSERT ON kv BEGIN UPDATE kv SET v = NULL WHERE k = NEW.k; END;\n",
		  1, &trigger);
	apply = (long)live_apply(&l, "trigger.sql", "", &trigger, LIVE_TX_AUTO, 0);
	assert_int_equal(live_advance(&l, 100, &err), 0);
	/* A look counts what the writes lost since, and commits nothing. */
	assert_int_equal(live_look(&l, &err), 0);
	assert_true(l.loss.look_lost > 0);
	assert_int_equal(live_end(&l, 0, LIVE_END_TEAM, &err), 0);
	assert_int_equal(l.loss.causes[l.actions[apply].cause].lost, 0);
	/* The bad migration's and the down's are history now: what is lost at the end is the writes'. */
	assert_int_equal(l.res.card.nlosses, 3);
	assert_string_equal(l.res.card.losses[0].cause, "the bad migration");
	assert_int_equal(l.res.card.losses[0].facts, 0);
	assert_int_equal(l.res.card.losses[0].lost, before_bad);
	assert_string_equal(l.res.card.losses[1].cause, "the down migration");
	assert_int_equal(l.res.card.losses[1].recovered, before_bad);
	assert_string_equal(l.res.card.losses[2].cause, "v1's writes after apply trigger.sql");
	for (i = 0; i < l.res.card.nlosses; i++)
		sum += l.res.card.losses[i].facts;
	assert_int_equal(sum, l.res.card.losses[2].facts);
	assert_int_equal(sum, l.res.card.nfindings);
	assert_true(sum > 0);
	for (k = 0; k < l.res.card.nexamples; k++)
		assert_string_equal(l.res.card.examples[k].lost_by, "v1's writes after apply trigger.sql");
	assert_int_equal(l.figures.facts_lost, sum);
	live_release(&l, 0, NULL, NULL);

	/* With its checks and pauses, the live drill is the batch drill. */
	memset(&req, 0, sizeof(req));
	req.fixarg = "fixes/rename-back.sql";
	req.seed = 3;
	assert_int_equal(pipeline_score(sc, drv, &req, &a, &err), 0);
	report_json_render(&a.card, &batch, 0);
	assert_int_equal(pipeline_load_fix(sc, drv, req.fixarg, 0, &fix, &err), 0);
	assert_int_equal(live_start(&l, sc, drv, NULL, 3, 0, 100, NULL, &err), 0);
	assert_int_equal(live_advance(&l, 60, &err), 0);
	live_apply(&l, req.fixarg, "", &fix, LIVE_TX_AS_WRITTEN, 0);
	assert_int_equal(live_advance(&l, 120, &err), 0);
	assert_int_equal(live_end(&l, 0, LIVE_END_TEAM, &err), 0);
	assert_int_equal(l.res.card.nfindings, 0);
	/* Its losses found lost at the bad migration, found again at the fix. */
	assert_int_equal(l.res.card.nlosses, 2);
	assert_int_equal(l.res.card.losses[1].recovered, l.res.card.losses[0].lost);
	l.res.card.live = 0;
	/* The end's marker is the live drill's own: the batch drill has none. */
	l.res.card.nmarkers--;
	report_json_render(&l.res.card, &live, 0);
	l.res.card.nmarkers++;
	assert_string_equal(live.buf, batch.buf);
	live_release(&l, 0, NULL, NULL);

	pipeline_result_release(&a);
	sql_script_release(&trigger);
	sql_script_release(&fix);
	strbuf_release(&batch);
	strbuf_release(&live);
	strbuf_release(&err);
	scenario_free(sc);
}

/*
** Writes lost after a flag flip are laid at the flip: the flag chose the
** code that wrote them.  The flags fixture, by hand: the bad migration
** drops b (what new_path wrote of it, lost there); the column comes back
** empty, losing nothing more; a trigger then blanks a after each insert,
** so every insert's a is lost: laid at the apply for those written while
** it ran, at the writes after it until new_ui goes off, and at the flip
** after that.  Each example's cause is one of these, and
** the losses by cause add up to the scorecard's.
*/
static void live_lays_writes_after_a_flip_at_the_flip(void **state)
{
	const struct db_driver *drv = db_driver_find(DIALECT_SQLITE);
	struct strbuf err = STRBUF_INIT;
	struct sql_script readd = { 0 }, trigger = { 0 };
	struct scenario *sc;
	struct live l;
	uint64_t sum = 0;
	size_t i, k;
	int seen[3] = { 0, 0, 0 };
	static const char *const causes[] = { "the bad migration", "v1's writes after apply trigger.sql",
					      "flag new_ui off" };
	(void)state;

	assert_int_equal(scenario_load("tests/fixtures/flags/scenario.drill", NULL, 0, &sc, &err), 0);
	sql_split("ALTER TABLE t ADD COLUMN b TEXT;\n", 1, &readd);
	sql_split("CREATE TRIGGER blank_a AFTER INSERT ON t BEGIN UPDATE t SET a = NULL WHERE id = NEW.id; END;\n",
		  1, &trigger);
	assert_int_equal(live_start(&l, sc, drv, NULL, 5, 20, 100, NULL, &err), 0);
	assert_int_equal(live_advance(&l, 200, &err), 0);
	live_apply(&l, "readd.sql", "", &readd, LIVE_TX_AUTO, 0);
	assert_int_equal(live_advance(&l, 300, &err), 0);
	live_apply(&l, "trigger.sql", "", &trigger, LIVE_TX_AUTO, 0);
	assert_int_equal(live_advance(&l, 450, &err), 0);
	assert_int_equal(live_flag(&l, "new_ui", 0, 0, &err), 0);
	assert_int_equal(live_advance(&l, 600, &err), 0);
	assert_int_equal(live_end(&l, 0, LIVE_END_TEAM, &err), 0);
	for (i = 0; i < l.res.card.nlosses; i++) {
		for (k = 0; k < 3; k++)
			if (!strcmp(l.res.card.losses[i].cause, causes[k]))
				seen[k] = l.res.card.losses[i].facts > 0;
		sum += l.res.card.losses[i].facts;
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	assert_int_equal(sum, l.res.card.nfindings);
	/* The flip's own count is what it lost: the action says so in the record; the column back lost nothing. */
	assert_true(l.loss.causes[l.actions[2].cause].lost > 0);
	assert_int_equal(l.loss.causes[l.actions[0].cause].lost, 0);
	for (k = 0; k < l.res.card.nexamples; k++)
		assert_non_null(l.res.card.examples[k].lost_by);
	live_release(&l, 0, NULL, NULL);
	sql_script_release(&readd);
	sql_script_release(&trigger);
	strbuf_release(&err);
	scenario_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tiny_rename_back_passes),
		cmocka_unit_test(tiny_drop_and_readd_loses_fields),
		cmocka_unit_test(tiny_delete_loses_two_rows),
		cmocka_unit_test(tiny_stray_row_is_phantom),
		cmocka_unit_test(tiny_fix_failing_halfway_is_an_outcome),
		cmocka_unit_test(tiny_fix_failing_in_its_transaction_rolls_back),
		cmocka_unit_test(phone_make_nullable_passes),
		cmocka_unit_test(phone_down_loses_phone_numbers),
		cmocka_unit_test(same_seed_same_json),
		cmocka_unit_test(templated_drill_is_the_same),
		cmocka_unit_test(returning_keys_are_the_databases),
		cmocka_unit_test(history_and_backup),
		cmocka_unit_test(tool_history_is_kept_apart),
		cmocka_unit_test(declared_default_is_no_phantom),
		cmocka_unit_test(probe_alias_survives_the_null_rewrite),
		cmocka_unit_test(csv_exports_round_trip),
		cmocka_unit_test(flag_off_stops_failures_at_the_flip),
		cmocka_unit_test(backup_restore_without_overwriting_passes_every_seed),
		cmocka_unit_test(disposable_database_is_removed),
		cmocka_unit_test(killed_clients_both_outcomes),
		cmocka_unit_test(same_seed_same_faults_same_json),
		cmocka_unit_test(repeat_runs_until_nothing_changes),
		cmocka_unit_test(repeat_stops_at_max_and_fails_the_fix),
		cmocka_unit_test(crash_points_converge_before_commit_only),
		cmocka_unit_test(steps_in_pieces_are_the_batch_drill),
		cmocka_unit_test(one_transaction_leaves_nothing_of_a_failure),
		cmocka_unit_test(blocked_series_counts_the_fix_only),
		cmocka_unit_test(live_lays_losses_at_their_causes),
		cmocka_unit_test(live_lays_writes_after_a_flip_at_the_flip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
