/*
** The ledger: string interning, facts grouped under their transaction,
** live key sets (existing and nextid) following committed writes and
** deletes only, and its size per fact.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>

#include "../sim/engine/ledger.h"

static uint32_t add_tx(struct ledger *l, int64_t invoke, int64_t complete, int outcome)
{
	struct ledger_tx t;
	memset(&t, 0, sizeof(t));
	t.invoke = invoke;
	t.complete = complete;
	t.outcome = (uint8_t)outcome;
	t.msg = LEDGER_NONE;
	return ledger_tx_add(l, &t);
}

static void interning(void **state)
{
	struct ledger l;
	uint32_t a, b;
	char buf[32];
	int i;
	(void)state;
	ledger_init(&l);
	a = ledger_intern(&l, "alpha");
	b = ledger_intern(&l, "beta");
	assert_true(a != b);
	assert_int_equal(ledger_intern(&l, "alpha"), a);
	assert_int_equal(ledger_intern_n(&l, "alphabet", 5), a);
	assert_int_equal(ledger_lookup(&l, "beta"), b);
	assert_int_equal(ledger_lookup(&l, "gamma"), LEDGER_NONE);
	assert_string_equal(ledger_str(&l, b), "beta");
	assert_null(ledger_str(&l, LEDGER_NONE));
	assert_int_equal(ledger_intern(&l, ""), ledger_intern(&l, ""));
	/* Through several rehashes every id stays put. */
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "k%d", i);
		assert_int_equal(ledger_intern(&l, buf), (uint32_t)(i + 3));
	}
	assert_int_equal(ledger_lookup(&l, "k4999"), 5002);
	assert_int_equal(ledger_lookup(&l, "alpha"), a);
	ledger_release(&l);
}

static void facts_belong_to_their_transaction(void **state)
{
	struct ledger l;
	uint32_t t = 0, k, f, v;
	(void)state;
	ledger_init(&l);
	t = ledger_intern(&l, "users");
	k = ledger_intern(&l, "1");
	f = ledger_intern(&l, "name");
	v = ledger_intern(&l, "Ada");
	ledger_fact_add(&l, t, k, f, v);
	assert_int_equal(add_tx(&l, -1, -1, TX_OK), 0);
	ledger_fact_add(&l, t, k, f, LEDGER_NONE);
	ledger_fact_add(&l, t, k, LEDGER_ROW, LEDGER_DELETED);
	assert_int_equal(add_tx(&l, 5, 9, TX_FAILED), 1);
	assert_int_equal(add_tx(&l, 10, 11, TX_OK), 2);
	assert_int_equal(l.tx[0].first_fact, 0);
	assert_int_equal(ledger_tx_nfacts(&l, 0), 1);
	assert_int_equal(l.tx[1].first_fact, 1);
	assert_int_equal(ledger_tx_nfacts(&l, 1), 2);
	assert_int_equal(ledger_tx_nfacts(&l, 2), 0);
	assert_int_equal(ledger_fact_tx(&l, 2), 1);
	assert_int_equal(ledger_fact_tx(&l, 0), 0);
	assert_true(l.tx[1].invoke == 5 && l.tx[1].complete == 9);
	ledger_release(&l);
}

static void live_keys_follow_committed_writes(void **state)
{
	struct ledger l;
	struct ledger_keyset *ks;
	uint32_t t, f, k[4];
	int i;
	(void)state;
	ledger_init(&l);
	t = ledger_intern(&l, "users");
	f = ledger_intern(&l, "name");
	for (i = 0; i < 3; i++) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", i + 1);
		k[i] = ledger_intern(&l, buf);
		ledger_fact_add(&l, t, k[i], f, f);
	}
	add_tx(&l, -1, -1, TX_OK);
	ks = ledger_keyset(&l, t);
	assert_int_equal(ks->n, 3);
	/* nextid starts above the highest integer key seen. */
	assert_int_equal(ledger_next_id(&l, t), 4);
	assert_int_equal(ledger_next_id(&l, t), 5);
	/* A failed insert and a failed delete change nothing. */
	k[3] = ledger_intern(&l, "4");
	ledger_fact_add(&l, t, k[3], f, f);
	add_tx(&l, 1, 2, TX_FAILED);
	ledger_fact_add(&l, t, k[0], LEDGER_ROW, LEDGER_DELETED);
	add_tx(&l, 3, 4, TX_FAILED);
	assert_int_equal(ks->n, 3);
	/* A committed delete removes the key; a committed insert adds one. */
	ledger_fact_add(&l, t, k[0], LEDGER_ROW, LEDGER_DELETED);
	add_tx(&l, 5, 6, TX_OK);
	ks = ledger_keyset(&l, t);
	assert_int_equal(ks->n, 2);
	for (i = 0; i < (int)ks->n; i++)
		assert_true(ks->keys[i] != k[0]);
	ledger_fact_add(&l, t, k[3], f, f);
	add_tx(&l, 7, 8, TX_OK);
	assert_int_equal(ledger_keyset(&l, t)->n, 3);
	/* An indeterminate insert is not a key the ledger holds as existing. */
	ledger_fact_add(&l, t, ledger_intern(&l, "77"), f, f);
	add_tx(&l, 9, 10, TX_INDETERMINATE);
	assert_int_equal(ledger_keyset(&l, t)->n, 3);
	ledger_release(&l);
}

static void bytes_per_fact_is_small(void **state)
{
	struct ledger l;
	uint32_t t, fn, fe;
	char buf[64];
	int i;
	(void)state;
	ledger_init(&l);
	t = ledger_intern(&l, "users");
	fn = ledger_intern(&l, "name");
	fe = ledger_intern(&l, "email");
	for (i = 0; i < 100000; i++) {
		uint32_t k;
		snprintf(buf, sizeof(buf), "%d", i + 1);
		k = ledger_intern(&l, buf);
		snprintf(buf, sizeof(buf), "Name %d", i % 500);
		ledger_fact_add(&l, t, k, fn, ledger_intern(&l, buf));
		snprintf(buf, sizeof(buf), "user%d@example.com", i);
		ledger_fact_add(&l, t, k, fe, ledger_intern(&l, buf));
	}
	add_tx(&l, -1, -1, TX_OK);
	/* The target is 64 bytes a fact, held once the ledger is complete. */
	ledger_shrink(&l);
	assert_true(ledger_bytes(&l) / l.nfacts <= 64);
	/* Shrunk, it still answers and still grows. */
	assert_int_equal(ledger_lookup(&l, "user99999@example.com") != LEDGER_NONE, 1);
	ledger_fact_add(&l, t, ledger_intern(&l, "new"), fn, ledger_intern(&l, "Name 1"));
	assert_int_equal(add_tx(&l, 5, 6, TX_OK), 1);
	assert_int_equal(ledger_tx_nfacts(&l, 1), 1);
	assert_int_equal(ledger_fact_tx(&l, l.nfacts - 1), 1);
	ledger_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interning),
		cmocka_unit_test(facts_belong_to_their_transaction),
		cmocka_unit_test(live_keys_follow_committed_writes),
		cmocka_unit_test(bytes_per_fact_is_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
