/*
** The ledger's storage: an interning string pool (FNV-1a, open addressing),
** flat arrays of transactions and facts, and per-table live key sets with
** O(1) insert, remove and random pick for existing(TABLE).
**
** SPDX-License-Identifier: MIT
*/
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"

void ledger_init(struct ledger *l)
{
	memset(l, 0, sizeof(*l));
}

void ledger_release(struct ledger *l)
{
	size_t i;
	free(l->bytes);
	free(l->off);
	free(l->slots);
	free(l->tx);
	free(l->facts);
	for (i = 0; i < l->nsets; i++) {
		free(l->sets[i].keys);
		free(l->sets[i].pos);
	}
	free(l->sets);
	ledger_init(l);
}

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
** A slot holds a string's id plus one in its low ID_BITS bits and the top
** bits of the string's hash above them, so that most probes that miss are
** rejected without touching the pool (a cache miss each).
*/
#define ID_BITS 26
#define ID_MASK ((1u << ID_BITS) - 1)
#define TAG(h) ((h) >> ID_BITS << ID_BITS)

static int same(const struct ledger *l, uint32_t slot, uint32_t h, const char *s, size_t len)
{
	uint32_t id;
	size_t end;
	if ((slot & ~ID_MASK) != TAG(h))
		return 0;
	/* Its length from the offsets first: memcmp must not read past a shorter string. */
	id = (slot & ID_MASK) - 1;
	end = id + 1 < l->nstr ? l->off[id + 1] : l->nbytes;
	return end - l->off[id] - 1 == len && !memcmp(l->bytes + l->off[id], s, len);
}

static void rehash(struct ledger *l)
{
	size_t n = l->nslots ? l->nslots * 2 : 1024, i;
	uint32_t *slots = xcalloc(n, sizeof(*slots));
	for (i = 0; i < l->nstr; i++) {
		const char *s = l->bytes + l->off[i];
		uint32_t h = hash(s, strlen(s));
		size_t j = h & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = TAG(h) | ((uint32_t)i + 1);
	}
	free(l->slots);
	l->slots = slots;
	l->nslots = n;
}

static size_t find_slot(const struct ledger *l, uint32_t h, const char *s, size_t len)
{
	size_t j = h & (l->nslots - 1);
	while (l->slots[j] && !same(l, l->slots[j], h, s, len))
		j = (j + 1) & (l->nslots - 1);
	return j;
}

uint32_t ledger_intern_n(struct ledger *l, const char *s, size_t len)
{
	size_t j;
	uint32_t id;

	uint32_t h = hash(s, len);

	if ((l->nstr + 1) * 4 > l->nslots * 3)
		rehash(l);
	j = find_slot(l, h, s, len);
	if (l->slots[j])
		return (l->slots[j] & ID_MASK) - 1;
	if (l->nstr + 1 >= ID_MASK) {
		/* Sticky, as SQLite's string builders are: the drill checks it and stops. */
		l->full = 1;
		return LEDGER_NONE;
	}
	ALLOC_GROW(l->bytes, l->nbytes + len + 1, l->bytes_alloc);
	memcpy(l->bytes + l->nbytes, s, len);
	l->bytes[l->nbytes + len] = '\0';
	ALLOC_GROW(l->off, l->nstr + 1, l->off_alloc);
	id = (uint32_t)l->nstr++;
	l->off[id] = (uint32_t)l->nbytes;
	l->nbytes += len + 1;
	l->slots[j] = TAG(h) | (id + 1);
	return id;
}

uint32_t ledger_intern(struct ledger *l, const char *s)
{
	return ledger_intern_n(l, s, strlen(s));
}

uint32_t ledger_lookup(const struct ledger *l, const char *s)
{
	size_t j;
	size_t len = strlen(s);
	if (!l->nslots)
		return LEDGER_NONE;
	j = find_slot(l, hash(s, len), s, len);
	return l->slots[j] ? (l->slots[j] & ID_MASK) - 1 : LEDGER_NONE;
}

const char *ledger_str(const struct ledger *l, uint32_t id)
{
	if (id >= l->nstr)
		return NULL;
	return l->bytes + l->off[id];
}

void ledger_fact_add(struct ledger *l, uint32_t table, uint32_t key, uint32_t field, uint32_t value)
{
	struct ledger_fact *f;
	ALLOC_GROW(l->facts, l->nfacts + 1, l->facts_alloc);
	f = &l->facts[l->nfacts++];
	f->table = table;
	f->key = key;
	f->field = field;
	f->value = value;
	l->pending++;
}

struct ledger_keyset *ledger_keyset(struct ledger *l, uint32_t table)
{
	struct ledger_keyset *ks;
	size_t i;
	for (i = 0; i < l->nsets; i++)
		if (l->sets[i].table == table)
			return &l->sets[i];
	ALLOC_GROW(l->sets, l->nsets + 1, l->sets_alloc);
	ks = &l->sets[l->nsets++];
	memset(ks, 0, sizeof(*ks));
	ks->table = table;
	ks->next_id = 1;
	return ks;
}

static void keyset_add(struct ledger *l, struct ledger_keyset *ks, uint32_t key)
{
	const char *s = ledger_str(l, key);
	char *end;
	long long v;

	if (key >= ks->pos_alloc) {
		size_t old = ks->pos_alloc;
		ALLOC_GROW(ks->pos, (size_t)key + 1, ks->pos_alloc);
		memset(ks->pos + old, 0, (ks->pos_alloc - old) * sizeof(*ks->pos));
	}
	if (!ks->pos[key]) {
		ALLOC_GROW(ks->keys, ks->n + 1, ks->alloc);
		ks->keys[ks->n++] = key;
		ks->pos[key] = (uint32_t)ks->n;
	}
	v = strtoll(s, &end, 10);
	if (*s && !*end && v >= ks->next_id)
		ks->next_id = v + 1;
}

static void keyset_remove(struct ledger_keyset *ks, uint32_t key)
{
	uint32_t p;
	if (key >= ks->pos_alloc || !(p = ks->pos[key]))
		return;
	ks->keys[p - 1] = ks->keys[--ks->n];
	ks->pos[ks->keys[p - 1]] = p;
	ks->pos[key] = 0;
}

uint32_t ledger_tx_add(struct ledger *l, const struct ledger_tx *t)
{
	struct ledger_tx *r;
	size_t i;

	ALLOC_GROW(l->tx, l->ntx + 1, l->tx_alloc);
	r = &l->tx[l->ntx];
	*r = *t;
	r->first_fact = (uint32_t)(l->nfacts - l->pending);
	l->pending = 0;
	if (r->outcome == TX_OK) {
		for (i = r->first_fact; i < l->nfacts; i++) {
			const struct ledger_fact *f = &l->facts[i];
			struct ledger_keyset *ks = ledger_keyset(l, f->table);
			if (f->field == LEDGER_ROW && f->value == LEDGER_DELETED)
				keyset_remove(ks, f->key);
			else
				keyset_add(l, ks, f->key);
		}
	}
	return (uint32_t)l->ntx++;
}

size_t ledger_tx_nfacts(const struct ledger *l, size_t t)
{
	size_t end = t + 1 < l->ntx ? l->tx[t + 1].first_fact : l->nfacts - l->pending;
	return end - l->tx[t].first_fact;
}

uint32_t ledger_fact_tx(const struct ledger *l, size_t i)
{
	size_t lo = 0, hi = l->ntx;
	/* The last transaction whose first fact is at or before i, with facts. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->tx[mid].first_fact <= i)
			lo = mid;
		else
			hi = mid;
	}
	while (lo > 0 && (l->tx[lo].first_fact > i || !ledger_tx_nfacts(l, lo)))
		lo--;
	return (uint32_t)lo;
}

int64_t ledger_next_id(struct ledger *l, uint32_t table)
{
	return ledger_keyset(l, table)->next_id++;
}

#define SHRINK(arr, n, alloc)                                               \
	do {                                                                \
		if ((n) && (alloc) > (n)) {                                 \
			(arr) = xrealloc((arr), (n) * sizeof(*(arr)));      \
			(alloc) = (n);                                      \
		}                                                           \
	} while (0)

void ledger_shrink(struct ledger *l)
{
	size_t i;
	SHRINK(l->bytes, l->nbytes, l->bytes_alloc);
	SHRINK(l->off, l->nstr, l->off_alloc);
	SHRINK(l->tx, l->ntx, l->tx_alloc);
	SHRINK(l->facts, l->nfacts, l->facts_alloc);
	for (i = 0; i < l->nsets; i++)
		SHRINK(l->sets[i].keys, l->sets[i].n, l->sets[i].alloc);
}

size_t ledger_bytes(const struct ledger *l)
{
	size_t n = l->bytes_alloc + l->off_alloc * sizeof(*l->off) +
		   l->nslots * sizeof(*l->slots) + l->tx_alloc * sizeof(*l->tx) +
		   l->facts_alloc * sizeof(*l->facts), i;
	for (i = 0; i < l->nsets; i++)
		n += l->sets[i].alloc * sizeof(uint32_t) + l->sets[i].pos_alloc * sizeof(uint32_t);
	return n;
}
