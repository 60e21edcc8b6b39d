/*
** The oracle on hand-built ledgers and probe results: one test per class
** (preserved, lost row, lost field, corrupted, phantom), the acceptance
** rules (indeterminate outcomes, overlapping writes), window attribution,
** failed and incomplete probes, and NULL against the empty string.
**
** SPDX-License-Identifier: MIT
*/
#include <stdint.h>
#include <string.h>

#include "../scoring/oracle.h"
#include "../sim/engine/ledger.h"

#define NO_INCIDENT (-1)
#define MAX_COLS 8
#define MAX_CELLS 64

/* A probe result over static strings; never given to probe_tables_free. */
struct probe_fx {
	struct probe_table t;
	char *cols[MAX_COLS];
	char *cells[MAX_CELLS];
};

static const char *const user_cols[] = { "id", "name", "email" };

static uint32_t sid(struct ledger *l, const char *s)
{
	return s ? ledger_intern(l, s) : LEDGER_NONE;
}

/* A fact of the transaction being recorded; value NULL is SQL NULL. */
static void put(struct ledger *l, const char *table, const char *key, const char *field,
		const char *value)
{
	ledger_fact_add(l, sid(l, table), sid(l, key), sid(l, field), sid(l, value));
}

static void del(struct ledger *l, const char *table, const char *key)
{
	ledger_fact_add(l, sid(l, table), sid(l, key), LEDGER_ROW, LEDGER_DELETED);
}

static void present(struct ledger *l, const char *table, const char *key)
{
	ledger_fact_add(l, sid(l, table), sid(l, key), LEDGER_ROW, LEDGER_PRESENT);
}

/* Close the transaction: the first call records the seed (invoke = complete = -1). */
static void end_tx(struct ledger *l, int64_t invoke, int64_t complete, int outcome)
{
	struct ledger_tx t;
	memset(&t, 0, sizeof(t));
	t.invoke = invoke;
	t.complete = complete;
	t.msg = LEDGER_NONE;
	t.outcome = (uint8_t)outcome;
	ledger_tx_add(l, &t);
}

static void end_seed(struct ledger *l)
{
	end_tx(l, -1, -1, TX_OK);
}

/* Seed users 1 (ann, a@x), the base of most tests. */
static void seed_ann(struct ledger *l)
{
	put(l, "users", "1", "name", "ann");
	put(l, "users", "1", "email", "a@x");
	end_seed(l);
}

static void probe_fill(struct probe_fx *p, const char *table, const char *const *cols,
		       size_t ncols, const char *const *cells, size_t nrows)
{
	size_t i;

	assert_true(ncols <= MAX_COLS && nrows * ncols <= MAX_CELLS);
	memset(p, 0, sizeof(*p));
	p->t.table = (char *)table;
	for (i = 0; i < ncols; i++)
		p->cols[i] = (char *)cols[i];
	for (i = 0; i < nrows * ncols; i++)
		p->cells[i] = (char *)cells[i];
	p->t.cols = p->cols;
	p->t.ncols = ncols;
	p->t.cells = p->cells;
	p->t.nrows = nrows;
	p->t.cells_alloc = nrows * ncols;
}

static void users_probe(struct probe_fx *p, const char *const *cells, size_t nrows)
{
	probe_fill(p, "users", user_cols, 3, cells, nrows);
}

static void run(const struct ledger *l, const struct probe_table *pt, size_t n,
		int64_t incident_start, int64_t incident_end, struct oracle_result *out)
{
	struct oracle_input in;
	memset(&in, 0, sizeof(in));
	in.ledger = l;
	in.probes = pt;
	in.nprobes = n;
	in.incident_start = incident_start;
	in.incident_end = incident_end;
	oracle_check(&in, out);
}

/* The finding on table.key.field (key NULL: an unknown key; field NULL: the row). */
static const struct oracle_finding *finding_of(const struct oracle_result *r,
					       const struct ledger *l, const char *table,
					       const char *key, const char *field)
{
	uint32_t t = ledger_lookup(l, table);
	uint32_t k = key ? ledger_lookup(l, key) : LEDGER_NONE;
	uint32_t f = field ? ledger_lookup(l, field) : LEDGER_ROW;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].table == t && r->findings[i].key == k &&
		    r->findings[i].field == f)
			return &r->findings[i];
	return NULL;
}

static void assert_counts(const struct oracle_counts *c, uint64_t expected, uint64_t preserved,
			  uint64_t lost_row, uint64_t lost_field, uint64_t corrupted,
			  uint64_t phantom, uint64_t indeterminate)
{
	assert_int_equal(c->expected, expected);
	assert_int_equal(c->n[OC_PRESERVED], preserved);
	assert_int_equal(c->n[OC_LOST_ROW], lost_row);
	assert_int_equal(c->n[OC_LOST_FIELD], lost_field);
	assert_int_equal(c->n[OC_CORRUPTED], corrupted);
	assert_int_equal(c->n[OC_PHANTOM], phantom);
	assert_int_equal(c->indeterminate, indeterminate);
}

static void assert_ratio(double got, double num, double den)
{
	double d = got - num / den;
	assert_true(d < 1e-9 && d > -1e-9);
}

/* One finding of class cls on table.key.field, with why as its reason. */
static const struct oracle_finding *assert_finding(const struct oracle_result *r,
						   const struct ledger *l, const char *table,
						   const char *key, const char *field, int cls,
						   int window, const char *why)
{
	const struct oracle_finding *f = finding_of(r, l, table, key, field);
	assert_non_null(f);
	assert_int_equal(f->cls, cls);
	assert_int_equal(f->window, window);
	assert_string_equal(f->why, why);
	return f;
}

/*
** Seed 1 (ann, a@x), 2 (bob, b@x); email of 1 updated at [3,4] (before),
** name of 2 at [12,14] (incident 10..20), row 3 inserted at [25,26] (after).
** Six items: seed 2 (1.name, 2.email), before 1, incident 1, after 2; all
** found, so 6 preserved and ratio 1.
*/
static void test_all_preserved(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = {
		"1", "ann", "a2@x",
		"2", "bobby", "b@x",
		"3", "cy", "c@x",
	};

	(void)state;
	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "a@x");
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", "b@x");
	end_seed(&l);
	put(&l, "users", "1", "email", "a2@x");
	end_tx(&l, 3, 4, TX_OK);
	put(&l, "users", "2", "name", "bobby");
	end_tx(&l, 12, 14, TX_OK);
	put(&l, "users", "3", "name", "cy");
	put(&l, "users", "3", "email", "c@x");
	end_tx(&l, 25, 26, TX_OK);
	users_probe(&p, cells, 3);

	run(&l, &p.t, 1, 10, 20, &r);
	assert_counts(&r.total, 6, 6, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_SEED], 2, 2, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 1, 1, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_INCIDENT], 1, 1, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_AFTER], 2, 2, 0, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 0);
	assert_int_equal(r.rows_lost, 0);
	assert_int_equal(r.extra_phantoms, 0);
	assert_ratio(r.ratio, 1, 1);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1; acknowledged inserts of 2 (bob, b@x) at [5,6] and 3 (cy, c@x) at
** [7,8]; the probe has row 1 only.  6 expected: 2 preserved (seed), 4 lost
** rows (before), one finding per field but rows_lost 2; ratio 2/6.
*/
static void test_lost_row(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = { "1", "ann", "a@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", "b@x");
	end_tx(&l, 5, 6, TX_OK);
	put(&l, "users", "3", "name", "cy");
	put(&l, "users", "3", "email", "c@x");
	end_tx(&l, 7, 8, TX_OK);
	users_probe(&p, cells, 1);

	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 6, 2, 4, 0, 0, 0, 0);
	assert_counts(&r.win[OW_SEED], 2, 2, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 4, 0, 4, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 4);
	assert_int_equal(r.rows_lost, 2);
	assert_int_equal(r.extra_phantoms, 0);
	f = assert_finding(&r, &l, "users", "2", "name", OC_LOST_ROW, OW_BEFORE, "the row is gone");
	assert_int_equal(f->expected, ledger_lookup(&l, "bob"));
	assert_true(f->found_absent);
	assert_null(f->found);
	assert_finding(&r, &l, "users", "2", "email", OC_LOST_ROW, OW_BEFORE, "the row is gone");
	assert_finding(&r, &l, "users", "3", "name", OC_LOST_ROW, OW_BEFORE, "the row is gone");
	assert_finding(&r, &l, "users", "3", "email", OC_LOST_ROW, OW_BEFORE, "the row is gone");
	assert_ratio(r.ratio, 2, 6);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** (a) Seed 1; email set to a2@x at [5,6]; found NULL: 2 expected, name
** preserved, email lost field (before); ratio 1/2.
** (b) Seed 1 and 2 (bob, b@x); users.email defaults to none@x.  Found
** 1.email = none@x: lost field (seed); found 2.email = zz@x, not the
** default: corrupted.  4 expected, 2 preserved; ratio 2/4.
*/
static void test_lost_field(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	struct oracle_input in;
	struct field_default d = { (char *)"users", (char *)"email", (char *)"none@x" };
	const struct oracle_finding *f;
	const char *const null_cells[] = { "1", "ann", NULL };
	const char *const default_cells[] = {
		"1", "ann", "none@x",
		"2", "bob", "zz@x",
	};

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "a2@x");
	end_tx(&l, 5, 6, TX_OK);
	users_probe(&p, null_cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 1, 0, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 1, 0, 0, 1, 0, 0, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_LOST_FIELD, OW_BEFORE,
			   "NULL where a value was acknowledged");
	assert_true(f->found_null);
	assert_false(f->found_absent);
	assert_int_equal(f->expected, ledger_lookup(&l, "a2@x"));
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);

	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "a@x");
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", "b@x");
	end_seed(&l);
	users_probe(&p, default_cells, 2);
	memset(&in, 0, sizeof(in));
	in.ledger = &l;
	in.probes = &p.t;
	in.nprobes = 1;
	in.incident_start = NO_INCIDENT;
	in.incident_end = 100;
	in.defaults = &d;
	in.ndefaults = 1;
	oracle_check(&in, &r);
	assert_counts(&r.total, 4, 2, 0, 1, 1, 0, 0);
	assert_counts(&r.win[OW_SEED], 4, 2, 0, 1, 1, 0, 0);
	assert_int_equal(r.nfindings, 2);
	f = assert_finding(&r, &l, "users", "1", "email", OC_LOST_FIELD, OW_SEED,
			   "the column's default where a value was acknowledged");
	assert_string_equal(f->found, "none@x");
	assert_false(f->found_null);
	assert_finding(&r, &l, "users", "2", "email", OC_CORRUPTED, OW_SEED,
		       "another value than any acknowledged write");
	assert_ratio(r.ratio, 2, 4);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** (a) Seed 1; found email evil@x, which no write wrote: corrupted (seed),
** 2 expected, 1 preserved.
** (b) Seed 1; email set to a2@x at [5,6]; found the seed's a@x: corrupted
** (before, expected a2@x) with the stale reason.
*/
static void test_corrupted(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const evil[] = { "1", "ann", "evil@x" };
	const char *const stale[] = { "1", "ann", "a@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	users_probe(&p, evil, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 1, 0, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_CORRUPTED, OW_SEED,
			   "another value than any acknowledged write");
	assert_string_equal(f->found, "evil@x");
	assert_int_equal(f->expected, ledger_lookup(&l, "a@x"));
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);

	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "a2@x");
	end_tx(&l, 5, 6, TX_OK);
	users_probe(&p, stale, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 1, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 1, 0, 0, 0, 1, 0, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_CORRUPTED, OW_BEFORE,
			   "an older acknowledged value: a later write was lost");
	assert_string_equal(f->found, "a@x");
	assert_int_equal(f->expected, ledger_lookup(&l, "a2@x"));
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1; a failed transaction sets email f@x at [5,6]; found f@x:
** phantom (seed window, the acknowledged value's), 2 expected, no extra;
** ratio 1/2.
*/
static void test_phantom_failed_value(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = { "1", "ann", "f@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "f@x");
	end_tx(&l, 5, 6, TX_FAILED);
	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 0, 1, 0);
	assert_int_equal(r.extra_phantoms, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_PHANTOM, OW_SEED,
			   "a failed transaction's value replaced an acknowledged one");
	assert_string_equal(f->found, "f@x");
	assert_int_equal(f->expected, ledger_lookup(&l, "a@x"));
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed ann <a@x>; an acknowledged change to b@x ([5,6]); a failed one back to
** a@x ([7,8]); the probe finds a@x.  a@x is the seed's acknowledged value,
** older than b@x: stale, so corrupted ("an older acknowledged value"), not
** phantom, though the failed transaction wrote it too.  Control: a value
** no acknowledged write held (c@x, written only by a failed transaction)
** is still a phantom.
*/
static void test_stale_before_phantom(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const stale[] = { "1", "ann", "a@x" };
	const char *const phantom[] = { "1", "ann", "c@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "b@x");
	end_tx(&l, 5, 6, TX_OK);
	put(&l, "users", "1", "email", "a@x");
	end_tx(&l, 7, 8, TX_FAILED);
	put(&l, "users", "1", "email", "c@x");
	end_tx(&l, 9, 10, TX_FAILED);
	users_probe(&p, stale, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_CORRUPTED, OW_BEFORE,
			   "an older acknowledged value: a later write was lost");
	assert_string_equal(f->found, "a@x");
	assert_int_equal(f->expected, ledger_lookup(&l, "b@x"));
	assert_int_equal(r.total.n[OC_PHANTOM], 0);
	oracle_result_release(&r);

	users_probe(&p, phantom, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_int_equal(r.nfindings, 1);
	assert_finding(&r, &l, "users", "1", "email", OC_PHANTOM, OW_BEFORE,
		       "a failed transaction's value replaced an acknowledged one");
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1 and 2; both deleted by acknowledged transactions ([5,6], [7,8]);
** row 1 is still there, row 2 is gone.  A deleted key is one item, its row:
** 2 expected (before), row 2 preserved, row 1 one phantom; ratio 1/2.
*/
static void test_phantom_deleted_row(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = { "1", "ann", "a@x" };

	(void)state;
	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "a@x");
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", "b@x");
	end_seed(&l);
	del(&l, "users", "1");
	end_tx(&l, 5, 6, TX_OK);
	del(&l, "users", "2");
	end_tx(&l, 7, 8, TX_OK);
	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 0, 1, 0);
	assert_counts(&r.win[OW_BEFORE], 2, 1, 0, 0, 0, 1, 0);
	assert_int_equal(r.extra_phantoms, 0);
	assert_int_equal(r.rows_lost, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", NULL, OC_PHANTOM, OW_BEFORE,
			   "a deleted row is back");
	assert_int_equal(f->expected, LEDGER_DELETED);
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1; the probe also has row 99, which no transaction wrote: 2
** expected and preserved, one extra phantom (window after); ratio 2/3.
*/
static void test_phantom_unknown_row(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = {
		"1", "ann", "a@x",
		"99", "ghost", "g@x",
	};

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	users_probe(&p, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 1, 0);
	assert_int_equal(r.win[OW_AFTER].n[OC_PHANTOM], 1);
	assert_int_equal(r.win[OW_AFTER].expected, 0);
	assert_int_equal(r.extra_phantoms, 1);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", NULL, NULL, OC_PHANTOM, OW_AFTER,
			   "a row no transaction wrote");
	assert_string_equal(f->found, "99");
	assert_ratio(r.ratio, 2, 3);
	assert_true(r.ratio < 1.0);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1; the probe has two rows with key 1.  The first is checked (2
** preserved), the second is one extra phantom; ratio 2/3.
*/
static void test_phantom_duplicate_key(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = {
		"1", "ann", "a@x",
		"1", "ann2", "a@x",
	};

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	users_probe(&p, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 1, 0);
	assert_int_equal(r.extra_phantoms, 1);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", NULL, OC_PHANTOM, OW_AFTER,
			   "a second row with the same key");
	assert_string_equal(f->found, "1");
	assert_ratio(r.ratio, 2, 3);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1; a failed insert of 2 (name bob) at [5,6]; row 2 is present with
** bob.  Nothing acknowledged key 2: the row is one extra phantom (window
** of the failed transaction: before).  2 expected, 2 preserved, 1 extra;
** ratio 2/3.
*/
static void test_phantom_failed_insert(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = {
		"1", "ann", "a@x",
		"2", "bob", NULL,
	};

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "2", "name", "bob");
	end_tx(&l, 5, 6, TX_FAILED);
	users_probe(&p, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 1, 0);
	assert_int_equal(r.win[OW_BEFORE].n[OC_PHANTOM], 1);
	assert_int_equal(r.extra_phantoms, 1);
	assert_int_equal(r.nfindings, 1);
	/* Judged once, on the row: a failed insert that shows up is a phantom row. */
	f = assert_finding(&r, &l, "users", "2", NULL, OC_PHANTOM, OW_BEFORE,
			   "a failed transaction's row is present");
	assert_null(f->found);
	assert_ratio(r.ratio, 2, 3);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** A key-only table: seed tag t0 (a row fact); a failed insert of t1 at
** [5,6]; both rows present.  1 expected (t0) preserved, t1 one extra
** phantom on the row; ratio 1/2.
*/
static void test_phantom_failed_insert_row(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cols[] = { "id" };
	const char *const cells[] = { "t0", "t1" };

	(void)state;
	ledger_init(&l);
	present(&l, "tags", "t0");
	end_seed(&l);
	present(&l, "tags", "t1");
	end_tx(&l, 5, 6, TX_FAILED);
	probe_fill(&p, "tags", cols, 1, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 1, 1, 0, 0, 0, 1, 0);
	assert_int_equal(r.extra_phantoms, 1);
	assert_int_equal(r.nfindings, 1);
	assert_finding(&r, &l, "tags", "t1", NULL, OC_PHANTOM, OW_BEFORE,
		       "a failed transaction's row is present");
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1 (ann, a@x); an indeterminate transaction sets email i@x at [5,6].
** Found a@x: 2 preserved, none relying on the unknown outcome.  Found i@x:
** 2 preserved, 1 of them (email, seed window) only thanks to it.
*/
static void test_indeterminate_write(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const old[] = { "1", "ann", "a@x" };
	const char *const new[] = { "1", "ann", "i@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "i@x");
	end_tx(&l, 5, 6, TX_INDETERMINATE);

	users_probe(&p, old, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 0);
	assert_ratio(r.ratio, 1, 1);
	oracle_result_release(&r);

	users_probe(&p, new, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 0, 1);
	assert_counts(&r.win[OW_SEED], 2, 2, 0, 0, 0, 0, 1);
	assert_int_equal(r.nfindings, 0);
	assert_ratio(r.ratio, 1, 1);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1 (ann, a@x); an indeterminate delete at [5,6].  Items: name, email
** and the row (the delete makes a row item), 3 expected in the seed window.
** Row present: 3 preserved by the seed.  Row absent: 3 preserved, all 3
** only thanks to the indeterminate delete.
*/
static void test_indeterminate_delete(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = { "1", "ann", "a@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	del(&l, "users", "1");
	end_tx(&l, 5, 6, TX_INDETERMINATE);

	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 3, 3, 0, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 0);
	oracle_result_release(&r);

	users_probe(&p, cells, 0);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 3, 3, 0, 0, 0, 0, 3);
	assert_counts(&r.win[OW_SEED], 3, 3, 0, 0, 0, 0, 3);
	assert_int_equal(r.nfindings, 0);
	assert_int_equal(r.rows_lost, 0);
	assert_ratio(r.ratio, 1, 1);
	oracle_result_release(&r);
	ledger_release(&l);
}

/* Seed 1, then acknowledged email writes b@x at [a0,a1] and c@x at [b0,b1]. */
static void two_writes(struct ledger *l, int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	ledger_init(l);
	seed_ann(l);
	put(l, "users", "1", "email", "b@x");
	end_tx(l, a0, a1, TX_OK);
	put(l, "users", "1", "email", "c@x");
	end_tx(l, b0, b1, TX_OK);
}

/* Check users 1 (ann, email) and expect preserved (1) or corrupted (0). */
static void check_email(const struct ledger *l, const char *email, int preserved)
{
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = { "1", "ann", email };

	users_probe(&p, cells, 1);
	run(l, &p.t, 1, NO_INCIDENT, 100, &r);
	if (preserved) {
		assert_counts(&r.total, 2, 2, 0, 0, 0, 0, 0);
		assert_int_equal(r.nfindings, 0);
	} else {
		const struct oracle_finding *f;
		assert_counts(&r.total, 2, 1, 0, 0, 1, 0, 0);
		f = assert_finding(&r, l, "users", "1", "email", OC_CORRUPTED, OW_BEFORE,
				   "an older acknowledged value: a later write was lost");
		assert_int_equal(f->expected, ledger_lookup(l, "c@x"));
	}
	oracle_result_release(&r);
}

/*
** [5,10] and [7,12] overlap: b@x and c@x both preserved (2 of 2), the seed's
** a@x (superseded by both) corrupted.  [5,7] and [7,8] touch at tick 7,
** which is not "invoked after completion": both accepted.  [5,6] then
** [7,8]: only c@x; b@x found is stale (corrupted, 1 of 2 preserved).
*/
static void test_overlap(void **state)
{
	struct ledger l;

	(void)state;
	two_writes(&l, 5, 10, 7, 12);
	check_email(&l, "b@x", 1);
	check_email(&l, "c@x", 1);
	check_email(&l, "a@x", 0);
	ledger_release(&l);

	two_writes(&l, 5, 7, 7, 8);
	check_email(&l, "b@x", 1);
	check_email(&l, "c@x", 1);
	ledger_release(&l);

	two_writes(&l, 5, 6, 7, 8);
	check_email(&l, "b@x", 0);
	check_email(&l, "c@x", 1);
	ledger_release(&l);
}

/*
** Incident 10..20.  Name facts: s (seed), b9 (complete 9: before), i10
** (invoked 5, complete 10: incident), i15 (complete 15: incident, lost),
** i20 (complete 20: incident), a21 (complete 21: after).  Windows: seed
** 1/1, before 1/1, incident 3 expected 2 preserved 1 lost row, after 1/1.
** With no incident (start -1) the five non-seed facts are all before.
*/
static void test_windows(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cols[] = { "id", "name" };
	const char *const cells[] = {
		"s", "n", "b9", "n", "i10", "n", "i20", "n", "a21", "n",
	};

	(void)state;
	ledger_init(&l);
	put(&l, "users", "s", "name", "n");
	end_seed(&l);
	put(&l, "users", "b9", "name", "n");
	end_tx(&l, 8, 9, TX_OK);
	put(&l, "users", "i10", "name", "n");
	end_tx(&l, 5, 10, TX_OK);
	put(&l, "users", "i15", "name", "n");
	end_tx(&l, 14, 15, TX_OK);
	put(&l, "users", "i20", "name", "n");
	end_tx(&l, 19, 20, TX_OK);
	put(&l, "users", "a21", "name", "n");
	end_tx(&l, 20, 21, TX_OK);
	probe_fill(&p, "users", cols, 2, cells, 5);

	run(&l, &p.t, 1, 10, 20, &r);
	assert_counts(&r.total, 6, 5, 1, 0, 0, 0, 0);
	assert_counts(&r.win[OW_SEED], 1, 1, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 1, 1, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_INCIDENT], 3, 2, 1, 0, 0, 0, 0);
	assert_counts(&r.win[OW_AFTER], 1, 1, 0, 0, 0, 0, 0);
	assert_finding(&r, &l, "users", "i15", "name", OC_LOST_ROW, OW_INCIDENT,
		       "the row is gone");
	assert_int_equal(r.rows_lost, 1);
	assert_ratio(r.ratio, 5, 6);
	oracle_result_release(&r);

	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.win[OW_SEED], 1, 1, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_BEFORE], 5, 4, 1, 0, 0, 0, 0);
	assert_counts(&r.win[OW_INCIDENT], 0, 0, 0, 0, 0, 0, 0);
	assert_counts(&r.win[OW_AFTER], 0, 0, 0, 0, 0, 0, 0);
	assert_finding(&r, &l, "users", "i15", "name", OC_LOST_ROW, OW_BEFORE,
		       "the row is gone");
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed users 1, 2 (2 fields each), orders o1 (total 5), audit x1 (msg hi).
** The users probe failed, orders is read, nothing reads audit.  6 expected:
** o1.total preserved; 4 users facts lost rows with the probe's error as
** reason, 1 audit fact lost with "no probe reads this table"; rows_lost 3;
** ratio 1/6.
*/
static void test_probe_failed(void **state)
{
	struct ledger l;
	struct probe_fx users, orders;
	struct probe_table pts[2];
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const ocols[] = { "id", "total" };
	const char *const ocells[] = { "o1", "5" };
	char error[] = "no such table: users";

	(void)state;
	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "a@x");
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", "b@x");
	put(&l, "orders", "o1", "total", "5");
	put(&l, "audit", "x1", "msg", "hi");
	end_seed(&l);
	users_probe(&users, NULL, 0);
	users.t.error = error;
	probe_fill(&orders, "orders", ocols, 2, ocells, 1);
	pts[0] = users.t;
	pts[1] = orders.t;

	run(&l, pts, 2, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 6, 1, 5, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 5);
	assert_int_equal(r.rows_lost, 3);
	assert_int_equal(r.extra_phantoms, 0);
	f = assert_finding(&r, &l, "users", "1", "name", OC_LOST_ROW, OW_SEED, error);
	/* The result's own copy: findings outlive the probes (the CSV export writes them after). */
	assert_string_equal(f->why, error);
	assert_ptr_not_equal(f->why, error);
	assert_finding(&r, &l, "users", "1", "email", OC_LOST_ROW, OW_SEED, error);
	assert_finding(&r, &l, "users", "2", "name", OC_LOST_ROW, OW_SEED, error);
	assert_finding(&r, &l, "users", "2", "email", OC_LOST_ROW, OW_SEED, error);
	assert_finding(&r, &l, "audit", "x1", "msg", OC_LOST_ROW, OW_SEED,
		       "no probe reads this table");
	assert_ratio(r.ratio, 1, 6);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Seed 1 (ann, a@x); the probe returns (id, name) only.  2 expected: name
** preserved, email a lost field; ratio 1/2.
*/
static void test_missing_column(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cols[] = { "id", "name" };
	const char *const cells[] = { "1", "ann" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	probe_fill(&p, "users", cols, 2, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 1, 0, 0, 0);
	assert_int_equal(r.nfindings, 1);
	f = assert_finding(&r, &l, "users", "1", "email", OC_LOST_FIELD, OW_SEED,
			   "the probe returns no such column");
	assert_int_equal(f->expected, ledger_lookup(&l, "a@x"));
	assert_ratio(r.ratio, 1, 2);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** (a) Seed 1 (ann, NULL) and 2 (bob, NULL); found 1.email NULL (preserved)
** and 2.email "" (not preserved: corrupted).  4 expected, 3 preserved.
** (b) Seed 1 (ann, ""); found NULL: a lost field, not preserved.
*/
static void test_null_values(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const struct oracle_finding *f;
	const char *const cells[] = {
		"1", "ann", NULL,
		"2", "bob", "",
	};
	const char *const null_cells[] = { "1", "ann", NULL };

	(void)state;
	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", NULL);
	put(&l, "users", "2", "name", "bob");
	put(&l, "users", "2", "email", NULL);
	end_seed(&l);
	users_probe(&p, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 4, 3, 0, 0, 1, 0, 0);
	assert_int_equal(r.nfindings, 1);
	assert_null(finding_of(&r, &l, "users", "1", "email"));
	f = finding_of(&r, &l, "users", "2", "email");
	assert_non_null(f);
	assert_int_equal(f->cls, OC_CORRUPTED);
	assert_int_equal(f->expected, LEDGER_NONE);
	assert_string_equal(f->found, "");
	assert_false(f->found_null);
	assert_ratio(r.ratio, 3, 4);
	oracle_result_release(&r);
	ledger_release(&l);

	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "");
	end_seed(&l);
	users_probe(&p, null_cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 1, 0, 0, 0);
	f = assert_finding(&r, &l, "users", "1", "email", OC_LOST_FIELD, OW_SEED,
			   "NULL where a value was acknowledged");
	assert_int_equal(f->expected, ledger_lookup(&l, ""));
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Regressions: cases the oracle once judged wrongly.
**
** A found value no write ever wrote is not interned, so found_id is
** LEDGER_NONE, which equals the value of an acknowledged NULL write: seed
** email NULL, found "" is called stale ("a later write was lost") where
** only one write exists.  Expected: "another value than any acknowledged
** write".
*/
static void test_regress_stale_matches_null(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = { "1", "ann", "" };

	(void)state;
	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", NULL);
	end_seed(&l);
	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 1, 0, 0);
	assert_finding(&r, &l, "users", "1", "email", OC_CORRUPTED, OW_SEED,
		       "another value than any acknowledged write");
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** The same confusion for failed writes: seed email a@x, a failed
** transaction sets it NULL at [5,6], found zz@x (written by nobody).  The
** failed value is NULL, not zz@x, so this is corrupted, not phantom.
*/
static void test_regress_failed_null_not_phantom(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = { "1", "ann", "zz@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", NULL);
	end_tx(&l, 5, 6, TX_FAILED);
	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 1, 0, 0, 1, 0, 0);
	assert_finding(&r, &l, "users", "1", "email", OC_CORRUPTED, OW_SEED,
		       "another value than any acknowledged write");
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** total.indeterminate is "facts accepted only because an outcome is
** unknown", but an indeterminate write of the value an acknowledged write
** already accepts is counted too: seed email a@x, indeterminate a@x at
** [5,6], found a@x: 2 preserved, 0 indeterminate (the oracle says 1).
*/
static void test_regress_indeterminate_not_needed(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = { "1", "ann", "a@x" };

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "1", "email", "a@x");
	end_tx(&l, 5, 6, TX_INDETERMINATE);
	users_probe(&p, cells, 1);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_counts(&r.total, 2, 2, 0, 0, 0, 0, 0);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** A failed insert's row present with values other than the failed ones:
** seed 1; failed insert of 2 (name bob) at [5,6]; row 2 is there with name
** rob.  No acknowledged write made row 2, yet the oracle reports nothing
** (the key is known, so it is no stray row; rob is no failed value).
** Expected: at least one phantom, ratio below 1.
*/
static void test_regress_failed_insert_other_values(void **state)
{
	struct ledger l;
	struct probe_fx p;
	struct oracle_result r;
	const char *const cells[] = {
		"1", "ann", "a@x",
		"2", "rob", NULL,
	};

	(void)state;
	ledger_init(&l);
	seed_ann(&l);
	put(&l, "users", "2", "name", "bob");
	end_tx(&l, 5, 6, TX_FAILED);
	users_probe(&p, cells, 2);
	run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
	assert_int_equal(r.total.n[OC_PRESERVED], 2);
	assert_true(r.total.n[OC_PHANTOM] >= 1);
	assert_true(r.extra_phantoms >= 1);
	assert_true(r.ratio < 1.0);
	oracle_result_release(&r);
	ledger_release(&l);
}

/*
** Found in a swarm of rename-email: a field nobody acknowledged (email_v1
** of a seeded row) holds the seed's e-mail, copied there by the fix's
** backfill, and a failed transaction had written the same value.  Seed 1
** (ann, a@x); a failed write of email_v1 = a@x at [5,6]; found a@x in
** both columns.  An acknowledged value of the row explains it: no
** finding, 2 of 2 preserved.  The control, a failed value the row's
** acknowledged data does not hold (q@x), is still a phantom.
*/
static void test_regress_failed_value_explained_by_row(void **state)
{
	static const char *const cols[] = { "id", "name", "email", "email_v1" };
	const char *const same[] = { "1", "ann", "a@x", "a@x" };
	const char *const other[] = { "1", "ann", "a@x", "q@x" };
	const char *const *cells[] = { same, other };
	const char *const failed[] = { "a@x", "q@x" };
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct ledger l;
		struct probe_fx p;
		struct oracle_result r;

		ledger_init(&l);
		seed_ann(&l);
		put(&l, "users", "1", "email_v1", failed[k]);
		end_tx(&l, 5, 6, TX_FAILED);
		probe_fill(&p, "users", cols, 4, cells[k], 1);
		run(&l, &p.t, 1, NO_INCIDENT, 100, &r);
		assert_int_equal(r.total.expected, 2);
		assert_int_equal(r.total.n[OC_PRESERVED], 2);
		if (k == 0) {
			assert_int_equal(r.nfindings, 0);
			assert_int_equal(r.total.n[OC_PHANTOM], 0);
		} else {
			assert_int_equal(r.total.n[OC_PHANTOM], 1);
			assert_finding(&r, &l, "users", "1", "email_v1", OC_PHANTOM, OW_BEFORE,
				       "a failed transaction's value is present");
		}
		oracle_result_release(&r);
		ledger_release(&l);
	}
}

/*
** The probe's one rewrite: a column the final schema lacks reads as NULL,
** under the name the probe gives it, written plain or quoted, qualified or
** not; quoted names ("displayName") are the catalogue's mixed-case names.
*/
static void test_probe_null_column(void **state)
{
	static const struct {
		const char *sql, *token, *want, *nulled;
	} cases[] = {
		{ "SELECT id, phone FROM users", "phone", "SELECT id, NULL AS phone FROM users", "phone " },
		{ "SELECT \"teamId\", \"displayName\" FROM \"Team\"", "displayName",
		  "SELECT \"teamId\", NULL AS \"displayName\" FROM \"Team\"", "displayName " },
		{ "SELECT id, amount_big AS amount FROM payments", "amount_big",
		  "SELECT id, NULL AS amount FROM payments", "amount " },
		{ "SELECT id, \"environmentName\" AS env FROM x WHERE \"environmentName\" IS NOT NULL",
		  "environmentName", "SELECT id, NULL AS env FROM x WHERE NULL IS NOT NULL", "env " },
		{ "SELECT id, 'phone' AS p, phone FROM users", "phone",
		  "SELECT id, 'phone' AS p, NULL AS phone FROM users", "phone " },
		{ "SELECT t.\"userUid\" FROM t", "userUid", "SELECT NULL AS \"userUid\" FROM t", "userUid " },
		{ "SELECT t.\"userUid\" FROM t", "t.userUid", "SELECT NULL AS \"userUid\" FROM t", "userUid " },
		{ "SELECT id, Phone FROM users", "phone", "SELECT id, NULL AS phone FROM users", "phone " },
		{ "SELECT id, \"displayName\" FROM \"Team\"", "displayname", NULL, "" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT, nulled = STRBUF_INIT;
		int r = probe_null_column(cases[i].sql, cases[i].token, &out, &nulled);
		if (r != (cases[i].want != NULL))
			fail_msg("case %zu: replaced %d", i, r);
		if (cases[i].want && strcmp(out.buf, cases[i].want))
			fail_msg("case %zu: '%s', wanted '%s'", i, out.buf, cases[i].want);
		if (strcmp(nulled.buf, cases[i].nulled))
			fail_msg("case %zu: nulled '%s', wanted '%s'", i, nulled.buf, cases[i].nulled);
		strbuf_release(&out);
		strbuf_release(&nulled);
	}
}

/*
** '-- @renamed users.email mail', worked out by hand.  Seed 1 (ann, a@x);
** a write after the rename sets 1.mail = b@x; the probe reads id, name,
** mail = b@x.  Renamed, email and mail are one item whose last write is
** b@x: 2 expected (name, email), 2 preserved.  Without the rename, email
** is a column the probe lacks (lost) and mail another fact: 3 and 2.
** A table renamed (people -> users) joins the same way: seed people 2
** (bob), read in users.
*/
static void test_renamed(void **state)
{
	static const char *const cols[] = { "id", "name", "mail" };
	static const char *const cells[] = { "1", "ann", "b@x", "2", "bob", NULL };
	struct rename renames[] = {
		{ (char *)"users", (char *)"email", (char *)"mail", 1 },
		{ (char *)"people", NULL, (char *)"users", 2 },
	};
	struct oracle_input in;
	struct oracle_result r;
	struct probe_fx p;
	struct ledger l;
	(void)state;

	ledger_init(&l);
	put(&l, "users", "1", "name", "ann");
	put(&l, "users", "1", "email", "a@x");
	put(&l, "people", "2", "name", "bob");
	end_seed(&l);
	put(&l, "users", "1", "mail", "b@x");
	end_tx(&l, 10, 11, TX_OK);
	probe_fill(&p, "users", cols, 3, cells, 2);

	memset(&in, 0, sizeof(in));
	in.ledger = &l;
	in.probes = &p.t;
	in.nprobes = 1;
	in.incident_start = NO_INCIDENT;
	in.incident_end = 100;
	oracle_check(&in, &r);
	/* people's fact has no probe: lost; users' three facts: two lost or not. */
	assert_int_equal(r.total.expected, 4);
	assert_int_equal(r.total.n[OC_PRESERVED], 2);
	oracle_result_release(&r);

	in.renames = renames;
	in.nrenames = 2;
	oracle_check(&in, &r);
	assert_counts(&r.total, 3, 3, 0, 0, 0, 0, 0);
	assert_int_equal(r.nfindings, 0);
	oracle_result_release(&r);
	ledger_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_preserved),
		cmocka_unit_test(test_lost_row),
		cmocka_unit_test(test_lost_field),
		cmocka_unit_test(test_corrupted),
		cmocka_unit_test(test_phantom_failed_value),
		cmocka_unit_test(test_stale_before_phantom),
		cmocka_unit_test(test_phantom_deleted_row),
		cmocka_unit_test(test_phantom_unknown_row),
		cmocka_unit_test(test_phantom_duplicate_key),
		cmocka_unit_test(test_phantom_failed_insert),
		cmocka_unit_test(test_phantom_failed_insert_row),
		cmocka_unit_test(test_indeterminate_write),
		cmocka_unit_test(test_indeterminate_delete),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_probe_failed),
		cmocka_unit_test(test_probe_null_column),
		cmocka_unit_test(test_renamed),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_null_values),
		cmocka_unit_test(test_regress_stale_matches_null),
		cmocka_unit_test(test_regress_failed_null_not_phantom),
		cmocka_unit_test(test_regress_indeterminate_not_needed),
		cmocka_unit_test(test_regress_failed_insert_other_values),
		cmocka_unit_test(test_regress_failed_value_explained_by_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
