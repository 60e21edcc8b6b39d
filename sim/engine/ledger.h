/*
** The ledger: every transaction the virtual clients ran (who, which app
** version, when it was invoked and completed, how it ended) and the logical
** facts it establishes once committed.  Seed rows are facts of the pseudo
** transaction 0.  Strings (keys, values, names, messages) are interned in
** one pool, so a fact is five 32-bit ids and the ledger stays small at a
** million rows.  The oracle in scoring/ reads it; the ledger knows nothing
** of scoring.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_LEDGER_H
#define MDRILL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#define LEDGER_NONE UINT32_MAX          /* no string: a NULL value, no message */
#define LEDGER_ROW (UINT32_MAX - 1)     /* field id of a fact about the whole row */
#define LEDGER_DELETED (UINT32_MAX - 1) /* value of a row fact: the row is gone */
#define LEDGER_PRESENT (UINT32_MAX - 2) /* value of a row fact: the row exists */
#define LEDGER_SEED_TX 0

enum tx_outcome {
	TX_OK,
	TX_FAILED,
	TX_INDETERMINATE,   /* the client cannot know whether it committed */
};

struct ledger_tx {
	int64_t invoke;      /* tick of its first statement; -1 for the seed */
	int64_t complete;    /* tick it committed or failed */
	uint32_t first_fact;  /* its facts run to the next transaction's first */
	uint32_t msg;        /* interned error message, or LEDGER_NONE */
	uint16_t client;
	uint16_t version;    /* index of the app version */
	uint16_t txdef;      /* index of the transaction in its app version */
	uint8_t outcome;
	uint8_t errclass;
};

/*
** A fact: in table, the row with key has field = value.  A fact with field
** LEDGER_ROW says the row exists (value LEDGER_PRESENT) or was deleted
** (value LEDGER_DELETED).  Its transaction is not stored: a transaction's
** facts are contiguous, so ledger_fact_tx finds it.
*/
struct ledger_fact {
	uint32_t table;
	uint32_t key;
	uint32_t field;
	uint32_t value;
};

struct ledger_keyset {
	uint32_t table;
	uint32_t *keys;       /* live keys, in no meaningful order */
	size_t n, alloc;
	uint32_t *pos;        /* by key id: index in keys plus 1, 0 when absent */
	size_t pos_alloc;
	int64_t next_id;      /* one more than the highest integer key seen */
};

struct ledger {
	/* the string pool */
	char *bytes;
	size_t nbytes, bytes_alloc;
	uint32_t *off;
	size_t nstr, off_alloc;
	uint32_t *slots;      /* open-addressed hash of string ids plus 1 */
	size_t nslots;

	struct ledger_tx *tx;
	size_t ntx, tx_alloc;
	struct ledger_fact *facts;
	size_t nfacts, facts_alloc;
	size_t pending;       /* facts added since the last ledger_tx_add */

	struct ledger_keyset *sets;
	size_t nsets, sets_alloc;

	int full;             /* a string found the pool at its limit: the drill must stop */
};

void ledger_init(struct ledger *l);
void ledger_release(struct ledger *l);

/**
 * Intern s (len bytes, no NUL needed) and return its id.  When the pool
 * holds as many distinct strings as ids can name, it returns LEDGER_NONE
 * and sets l->full, which stays set: the caller checks it.
 */
uint32_t ledger_intern_n(struct ledger *l, const char *s, size_t len);
uint32_t ledger_intern(struct ledger *l, const char *s);
/** The id of s if it was interned, else LEDGER_NONE. */
uint32_t ledger_lookup(const struct ledger *l, const char *s);
/** The string of id; NULL for LEDGER_NONE and the row markers. */
const char *ledger_str(const struct ledger *l, uint32_t id);

/** Add a fact to the transaction being recorded; ledger_tx_add closes it. */
void ledger_fact_add(struct ledger *l, uint32_t table, uint32_t key, uint32_t field, uint32_t value);

/**
 * Record a finished transaction with the facts added since the last call.
 * The first call records the seed (transaction 0).  Committed transactions
 * update the live key sets: writes make a key live, deletes remove it.
 * Returns the transaction's id.
 */
uint32_t ledger_tx_add(struct ledger *l, const struct ledger_tx *t);

/** How many facts transaction t has. */
size_t ledger_tx_nfacts(const struct ledger *l, size_t t);

/** The transaction that fact number i belongs to (a binary search). */
uint32_t ledger_fact_tx(const struct ledger *l, size_t i);

/** The key set of table (created empty on first use). */
struct ledger_keyset *ledger_keyset(struct ledger *l, uint32_t table);
/** A fresh integer key for table, never handed out before. */
int64_t ledger_next_id(struct ledger *l, uint32_t table);

/**
 * Give back what growing left unused: the ledger is complete when the
 * drill ends, and up to a third of each array is slack by then.  Appends
 * still work afterwards.
 */
void ledger_shrink(struct ledger *l);

/** Bytes the ledger holds (for the benchmark's bytes per fact). */
size_t ledger_bytes(const struct ledger *l);

#endif
