/*
** The oracle's algorithm.  Facts are sorted by (table, key, field); for
** each item the acknowledged operations that no other acknowledged
** operation definitely follows (w.complete >= max invoke) are the values
** the item may finally hold.  A delete is a row-level operation that every
** field of its key sees.  Probe rows are indexed by key id, so checking a
** million facts is a sort and a linear pass.
**
** SPDX-License-Identifier: MIT
*/
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/base/sqltext.h"

static const char *const class_names[OC_COUNT] = {
	"preserved", "lost_row", "lost_field", "corrupted", "phantom",
};
static const char *const window_names[OW_COUNT] = {
	"seed", "before", "incident", "after",
};

const char *oracle_class_name(int cls)
{
	return cls >= 0 && cls < OC_COUNT ? class_names[cls] : "unknown";
}

double oracle_counts_ratio(const struct oracle_counts *c)
{
	return c->expected ? (double)c->n[OC_PRESERVED] / (double)c->expected : 1.0;
}

const char *oracle_window_name(int w)
{
	return w >= 0 && w < OW_COUNT ? window_names[w] : "unknown";
}

struct ctx {
	const struct oracle_input *in;
	const struct ledger *l;
	/*
	** The ledger's facts, or a copy with renamed columns' and tables'
	** facts under their old names (one item each), and what each such
	** column is called in the probe now.
	*/
	const struct ledger_fact *facts;
	struct ledger_fact *renamed;
	struct { uint32_t table, field; const char *now; } *cols_now;
	size_t ncols_now;
	struct oracle_result *out;
	uint32_t *order;           /* fact indices, sorted */
	uint32_t *fact_tx;         /* transaction of each fact */
	/* per probe: key id -> row index + 1 */
	uint32_t **row_of;
	uint32_t *probe_table;     /* table id of each probe */
	uint32_t *ops;             /* scratch: fact indices of one item */
	size_t nops, ops_alloc;
	size_t key_lo, key_hi;     /* order[] range of the key being judged */
};

static const struct ledger_fact *sort_facts;

static int cmp_fact(const void *a, const void *b)
{
	const struct ledger_fact *x = &sort_facts[*(const uint32_t *)a];
	const struct ledger_fact *y = &sort_facts[*(const uint32_t *)b];
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int probe_of(const struct ctx *c, uint32_t table)
{
	size_t i;
	for (i = 0; i < c->in->nprobes; i++)
		if (c->probe_table[i] == table)
			return (int)i;
	return -1;
}

/*
** The probe's column of field: by its exact name, else one that differs
** only in case (a name written unquoted folds to lower case on PostgreSQL,
** and keeps the case it was declared with on SQLite), when only one does.
*/
static int col_of(const struct probe_table *p, const char *field)
{
	size_t i;
	int found = -1;
	for (i = 1; i < p->ncols; i++)
		if (!strcmp(p->cols[i], field))
			return (int)i;
	for (i = 1; i < p->ncols; i++)
		if (sql_ident_is(field, p->cols[i])) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	return found;
}

/* What column field of table is called in the probe: its new name when a migration renamed it. */
static const char *name_now(const struct ctx *c, uint32_t table, uint32_t field)
{
	size_t i;
	for (i = 0; i < c->ncols_now; i++)
		if (c->cols_now[i].table == table && c->cols_now[i].field == field)
			return c->cols_now[i].now;
	return ledger_str(c->l, field);
}

/* The table id facts of the table called name count under: its old name's when a migration renamed it. */
static uint32_t old_table(const struct ctx *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->in->nrenames; i++) {
		const struct rename *rn = &c->in->renames[i];
		if (!rn->field && !strcmp(rn->to, name) && ledger_lookup(c->l, rn->table) != LEDGER_NONE)
			return ledger_lookup(c->l, rn->table);
	}
	return ledger_lookup(c->l, name);
}

/*
** '-- @renamed': facts written under a new name count under the old one,
** where the facts of before the rename are, so that a write after it
** supersedes one before; and a probe of a renamed table reads the old
** name's facts.  Without renames the ledger's facts are used as they are.
*/
static void apply_renames(struct ctx *c)
{
	const struct ledger *l = c->l;
	size_t i, k;

	c->facts = l->facts;
	if (!c->in->nrenames)
		return;
	c->renamed = xmalloc((l->nfacts ? l->nfacts : 1) * sizeof(*c->renamed));
	memcpy(c->renamed, l->facts, l->nfacts * sizeof(*c->renamed));
	c->facts = c->renamed;
	c->cols_now = xcalloc(c->in->nrenames, sizeof(*c->cols_now));
	/* Tables first: a column's rename may name its table by either name. */
	for (k = 0; k < c->in->nrenames; k++) {
		const struct rename *rn = &c->in->renames[k];
		uint32_t t = ledger_lookup(l, rn->table), to = ledger_lookup(l, rn->to);
		if (rn->field || t == LEDGER_NONE || to == LEDGER_NONE)
			continue;
		for (i = 0; i < l->nfacts; i++)
			if (c->renamed[i].table == to)
				c->renamed[i].table = t;
	}
	for (k = 0; k < c->in->nrenames; k++) {
		const struct rename *rn = &c->in->renames[k];
		uint32_t t = old_table(c, rn->table), to = ledger_lookup(l, rn->to), f;
		if (!rn->field || t == LEDGER_NONE || (f = ledger_lookup(l, rn->field)) == LEDGER_NONE)
			continue;
		c->cols_now[c->ncols_now].table = t;
		c->cols_now[c->ncols_now].field = f;
		c->cols_now[c->ncols_now++].now = rn->to;
		for (i = 0; to != LEDGER_NONE && i < l->nfacts; i++)
			if (c->renamed[i].table == t && c->renamed[i].field == to)
				c->renamed[i].field = f;
	}
}

static int window_of(const struct ctx *c, const struct ledger_tx *t)
{
	if (t->invoke < 0)
		return OW_SEED;
	if (c->in->incident_start < 0 || t->complete < c->in->incident_start)
		return OW_BEFORE;
	if (t->complete <= c->in->incident_end)
		return OW_INCIDENT;
	return OW_AFTER;
}

static int is_missing(const struct probe_table *p, const char *field)
{
	size_t i;
	for (i = 0; i < p->nmissing; i++)
		if (sql_ident_is(field, p->missing[i]))
			return 1;
	return 0;
}

static int is_default(const struct ctx *c, uint32_t table, uint32_t field, const char *v)
{
	const char *tn = ledger_str(c->l, table), *fn = ledger_str(c->l, field);
	size_t i;
	for (i = 0; i < c->in->ndefaults; i++) {
		const struct field_default *d = &c->in->defaults[i];
		if (!strcmp(d->table, tn) && !strcmp(d->field, fn) && !strcmp(d->value, v))
			return 1;
	}
	return 0;
}

static void add_finding(struct ctx *c, int cls, int window, const struct ledger_fact *f,
			uint32_t field, uint32_t expected, const char *found, int found_null,
			int found_absent, const char *why, uint32_t tx)
{
	struct oracle_result *r = c->out;
	struct oracle_finding *x;
	ALLOC_GROW(r->findings, r->nfindings + 1, r->findings_alloc);
	x = &r->findings[r->nfindings++];
	x->cls = cls;
	x->window = window;
	x->table = f->table;
	x->key = f->key;
	x->field = field;
	x->expected = expected;
	x->found = found ? xstrdup(found) : NULL;
	x->found_null = found_null;
	x->found_absent = found_absent;
	x->why = why;
	x->tx = tx;
}

static void count(struct ctx *c, int expected, int window, int cls, int indeterminate)
{
	struct oracle_result *r = c->out;
	if (expected) {
		r->total.expected++;
		r->win[window].expected++;
	} else {
		r->extra_phantoms++;
	}
	r->total.n[cls]++;
	r->win[window].n[cls]++;
	if (indeterminate) {
		r->total.indeterminate++;
		r->win[window].indeterminate++;
	}
}

/*
** Does an acknowledged fact of the row being judged hold value, in any
** field?  Then a field nobody acknowledged may hold it innocently: a
** backfill or a trigger copies values between columns, and a failed
** transaction that wrote the same value proves nothing.
*/
static int acked_in_row(const struct ctx *c, uint32_t value)
{
	size_t j;
	for (j = c->key_lo; j < c->key_hi; j++) {
		const struct ledger_fact *f = &c->facts[c->order[j]];
		if (f->value == value && c->l->tx[c->fact_tx[c->order[j]]].outcome == TX_OK)
			return 1;
	}
	return 0;
}

/*
** Judge one item: the operations in c->ops (fact indices) on (table, key,
** field), field LEDGER_ROW meaning the row's existence.
*/
static void judge(struct ctx *c, uint32_t field)
{
	const struct ledger *l = c->l;
	const struct ledger_fact *f0 = &c->facts[c->ops[0]];
	int64_t max_invoke = -2;
	size_t i;
	int acked = 0, window = OW_SEED, p, col = -1, accept_deleted = 0;
	int indet_used = 0, only_deleted = 1, stale = 0, match, ok_acked = 0, ok_indet = 0;
	int in_missing = 0;
	int64_t last_complete = -3;
	uint32_t expected = LEDGER_NONE, expected_tx = ORACLE_NO_TX;
	const struct probe_table *pt;
	const char *found = NULL;
	int found_absent = 0, found_null = 0, phantom_value = 0, ok = 0, why_missing = 0;
	uint32_t found_id = LEDGER_NONE;

	/* The latest invoke among acknowledged operations. */
	for (i = 0; i < c->nops; i++) {
		const struct ledger_tx *t = &l->tx[c->fact_tx[c->ops[i]]];
		if (t->outcome == TX_OK) {
			acked = 1;
			if (t->invoke > max_invoke)
				max_invoke = t->invoke;
		}
	}

	p = probe_of(c, f0->table);
	pt = p >= 0 ? &c->in->probes[p] : NULL;
	if (pt && !pt->error) {
		uint32_t r = f0->key < l->nstr && c->row_of[p] ? c->row_of[p][f0->key] : 0;
		if (!r) {
			found_absent = 1;
		} else if (field != LEDGER_ROW) {
			col = col_of(pt, name_now(c, f0->table, field));
			in_missing = is_missing(pt, name_now(c, f0->table, field));
			if (col < 0) {
				why_missing = 1;
			} else {
				found = pt->cells[(size_t)(r - 1) * pt->ncols + (size_t)col];
				found_null = !found;
				if (found)
					found_id = ledger_lookup(l, found);
			}
		}
	}

	/* Which values may the item hold?  Mark acceptance while scanning. */
	for (i = 0; i < c->nops; i++) {
		const struct ledger_fact *f = &c->facts[c->ops[i]];
		const struct ledger_tx *t = &l->tx[c->fact_tx[c->ops[i]]];
		int is_delete = f->field == LEDGER_ROW && f->value == LEDGER_DELETED;
		uint32_t v = field == LEDGER_ROW && !is_delete ? LEDGER_PRESENT : f->value;
		int candidate;

		if (t->outcome == TX_FAILED) {
			if (!is_delete && field != LEDGER_ROW && found && found_id != LEDGER_NONE &&
			    found_id == v)
				phantom_value = 1;
			continue;
		}
		candidate = !acked || t->complete >= max_invoke;
		if (!candidate)
			continue;
		if (!is_delete)
			only_deleted = 0;
		if (t->outcome == TX_OK) {
			if (t->complete >= last_complete) {
				last_complete = t->complete;
				window = window_of(c, t);
				expected = v;
				expected_tx = c->fact_tx[c->ops[i]];
			}
		}
		if (is_delete) {
			match = found_absent && pt && !pt->error;
			accept_deleted = 1;
		} else if (field == LEDGER_ROW) {
			match = !found_absent && pt && !pt->error;
		} else {
			match = !found_absent && !in_missing &&
				(v == LEDGER_NONE ? found_null
						  : (found && found_id != LEDGER_NONE && found_id == v));
		}
		if (match && t->outcome == TX_OK)
			ok_acked = 1;
		else if (match)
			ok_indet = 1;
	}
	ok = ok_acked || ok_indet;
	/* Counted only when the unknown outcome was needed to accept what is there. */
	indet_used = !ok_acked && ok_indet;

	if (!acked) {
		/*
		** Nothing acknowledged here: only a failed transaction's value is a
		** finding, and not when the column's declared default explains it.
		*/
		if (phantom_value && !ok && !is_default(c, f0->table, field, found) &&
		    !acked_in_row(c, found_id)) {
			int w = window_of(c, &l->tx[c->fact_tx[c->ops[0]]]);
			count(c, 0, w, OC_PHANTOM, 0);
			add_finding(c, OC_PHANTOM, w, f0, field, LEDGER_NONE, found, 0, 0,
				    "a failed transaction's value is present", c->fact_tx[c->ops[0]]);
		}
		return;
	}
	/* A field whose only fate is its row's deletion is judged once, on the row. */
	if (field != LEDGER_ROW && only_deleted && accept_deleted)
		return;

	if (ok) {
		count(c, 1, window, OC_PRESERVED, indet_used);
		return;
	}
	if (!pt || pt->error) {
		count(c, 1, window, OC_LOST_ROW, 0);
		add_finding(c, OC_LOST_ROW, window, f0, field, expected, NULL, 0, 1,
			    pt ? c->out->errors[p] : "no probe reads this table", expected_tx);
		return;
	}
	if (found_absent) {
		count(c, 1, window, OC_LOST_ROW, 0);
		add_finding(c, OC_LOST_ROW, window, f0, field, expected, NULL, 0, 1, "the row is gone", expected_tx);
		return;
	}
	if (field == LEDGER_ROW) {
		/* Present where the acknowledged outcome is "deleted". */
		count(c, 1, window, OC_PHANTOM, 0);
		add_finding(c, OC_PHANTOM, window, f0, field, expected, NULL, 0, 0,
			    "a deleted row is back", expected_tx);
		return;
	}
	if (why_missing || in_missing) {
		count(c, 1, window, OC_LOST_FIELD, 0);
		add_finding(c, OC_LOST_FIELD, window, f0, field, expected, NULL, 1, 0,
			    in_missing ? "the column is gone from the final schema"
				       : "the probe returns no such column", expected_tx);
		return;
	}
	if (found_null || is_default(c, f0->table, field, found)) {
		count(c, 1, window, OC_LOST_FIELD, 0);
		add_finding(c, OC_LOST_FIELD, window, f0, field, expected, found, found_null, 0,
			    found_null ? "NULL where a value was acknowledged"
				       : "the column's default where a value was acknowledged", expected_tx);
		return;
	}
	/*
	** A value an acknowledged write once held is stale, whoever else wrote
	** it too: a later write was lost.  Phantom is for a value that no
	** acknowledged write ever held (small pools of statuses or prices make
	** a failed transaction's value and an older one coincide often).
	*/
	for (i = 0; i < c->nops; i++) {
		const struct ledger_fact *f = &c->facts[c->ops[i]];
		if (l->tx[c->fact_tx[c->ops[i]]].outcome == TX_OK && f->field == field &&
		    found_id != LEDGER_NONE && f->value == found_id) {
			stale = 1;
			break;
		}
	}
	if (phantom_value && !stale) {
		count(c, 1, window, OC_PHANTOM, 0);
		add_finding(c, OC_PHANTOM, window, f0, field, expected, found, 0, 0,
			    "a failed transaction's value replaced an acknowledged one", expected_tx);
		return;
	}
	count(c, 1, window, OC_CORRUPTED, 0);
	add_finding(c, OC_CORRUPTED, window, f0, field, expected, found, 0, 0,
		    stale ? "an older acknowledged value: a later write was lost"
			  : "another value than any acknowledged write", expected_tx);
}

/*
** A key only failed transactions wrote: the row must not be there.  Judged
** once per row, whatever values it holds, so a failed insert that shows up
** counts like a deleted row that comes back.  Returns 1 when it handled the key.
*/
static int judge_failed_key(struct ctx *c, size_t lo, size_t hi)
{
	const struct ledger *l = c->l;
	const struct ledger_fact *f0 = &c->facts[c->order[lo]];
	const struct probe_table *pt;
	size_t j;
	int p, w;

	for (j = lo; j < hi; j++)
		if (l->tx[c->fact_tx[c->order[j]]].outcome != TX_FAILED)
			return 0;
	p = probe_of(c, f0->table);
	pt = p >= 0 ? &c->in->probes[p] : NULL;
	if (!pt || pt->error || !c->row_of[p] || !c->row_of[p][f0->key])
		return 1;
	w = window_of(c, &l->tx[c->fact_tx[c->order[lo]]]);
	count(c, 0, w, OC_PHANTOM, 0);
	add_finding(c, OC_PHANTOM, w, f0, LEDGER_ROW, LEDGER_NONE, NULL, 0, 0,
		    "a failed transaction's row is present", c->fact_tx[c->order[lo]]);
	return 1;
}

/* Judge every item of the facts order[lo, hi): one (table, key). */
static void judge_key(struct ctx *c, size_t lo, size_t hi)
{
	size_t i = lo, j, nrow = 0;
	int has_row_item = 0;

	if (judge_failed_key(c, lo, hi))
		return;
	c->key_lo = lo;
	c->key_hi = hi;

	/* Row-level facts sort last (LEDGER_ROW is near UINT32_MAX). */
	for (j = lo; j < hi; j++)
		if (c->facts[c->order[j]].field == LEDGER_ROW) {
			nrow++;
			has_row_item = 1;
		}
	while (i < hi && c->facts[c->order[i]].field != LEDGER_ROW) {
		uint32_t field = c->facts[c->order[i]].field;
		c->nops = 0;
		for (j = i; j < hi && c->facts[c->order[j]].field == field; j++) {
			ALLOC_GROW(c->ops, c->nops + 1, c->ops_alloc);
			c->ops[c->nops++] = c->order[j];
		}
		/* Deletes of the key are operations on every field of it. */
		for (size_t k = hi - nrow; k < hi; k++) {
			const struct ledger_fact *f = &c->facts[c->order[k]];
			if (f->value == LEDGER_DELETED) {
				ALLOC_GROW(c->ops, c->nops + 1, c->ops_alloc);
				c->ops[c->nops++] = c->order[k];
			}
		}
		judge(c, field);
		i = j;
	}
	if (has_row_item) {
		c->nops = 0;
		for (j = lo; j < hi; j++) {
			ALLOC_GROW(c->ops, c->nops + 1, c->ops_alloc);
			c->ops[c->nops++] = c->order[j];
		}
		judge(c, LEDGER_ROW);
	}
}

/* Probe rows whose key no fact of their table names, and duplicate keys. */
static void find_stray_rows(struct ctx *c, size_t p, const char *seen)
{
	const struct probe_table *pt = &c->in->probes[p];
	struct ledger_fact f;
	size_t r;

	memset(&f, 0, sizeof(f));
	f.table = c->probe_table[p];
	for (r = 0; r < pt->nrows; r++) {
		const char *key = pt->cells[r * pt->ncols];
		uint32_t id = key ? ledger_lookup(c->l, key) : LEDGER_NONE;
		const char *why = NULL;
		if (id == LEDGER_NONE || !seen[id])
			why = "a row no transaction wrote";
		else if (c->row_of[p][id] != r + 1)
			why = "a second row with the same key";
		if (!why)
			continue;
		f.key = id == LEDGER_NONE ? LEDGER_NONE : id;
		count(c, 0, OW_AFTER, OC_PHANTOM, 0);
		add_finding(c, OC_PHANTOM, OW_AFTER, &f, LEDGER_ROW, LEDGER_NONE, key, !key, 0, why, ORACLE_NO_TX);
	}
}

void oracle_check(const struct oracle_input *in, struct oracle_result *out)
{
	const struct ledger *l = in->ledger;
	struct ctx c;
	size_t i, p, lo;
	char **seen;
	uint64_t denom;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.l = l;
	c.out = out;

	/* Index each probe's rows by key id; the first row of a key wins. */
	c.row_of = xcalloc(in->nprobes ? in->nprobes : 1, sizeof(*c.row_of));
	c.probe_table = xcalloc(in->nprobes ? in->nprobes : 1, sizeof(*c.probe_table));
	seen = xcalloc(in->nprobes ? in->nprobes : 1, sizeof(*seen));
	out->errors = xcalloc(in->nprobes ? in->nprobes : 1, sizeof(*out->errors));
	out->nerrors = in->nprobes;
	apply_renames(&c);
	for (p = 0; p < in->nprobes; p++) {
		const struct probe_table *pt = &in->probes[p];
		if (pt->error)
			out->errors[p] = xstrdup(pt->error);
		/* A renamed table's probe reads its old name's facts too. */
		c.probe_table[p] = old_table(&c, pt->table);
		if (pt->error || !pt->ncols)
			continue;
		c.row_of[p] = xcalloc(l->nstr ? l->nstr : 1, sizeof(**c.row_of));
		seen[p] = xcalloc(l->nstr ? l->nstr : 1, 1);
		for (i = 0; i < pt->nrows; i++) {
			const char *key = pt->cells[i * pt->ncols];
			uint32_t id = key ? ledger_lookup(l, key) : LEDGER_NONE;
			if (id != LEDGER_NONE && !c.row_of[p][id])
				c.row_of[p][id] = (uint32_t)i + 1;
		}
	}

	c.order = xmalloc((l->nfacts ? l->nfacts : 1) * sizeof(*c.order));
	c.fact_tx = xmalloc((l->nfacts ? l->nfacts : 1) * sizeof(*c.fact_tx));
	for (i = 0; i < l->nfacts; i++)
		c.order[i] = (uint32_t)i;
	for (p = 0; p < l->ntx; p++)
		for (i = l->tx[p].first_fact; i < (size_t)l->tx[p].first_fact + ledger_tx_nfacts(l, p); i++)
			c.fact_tx[i] = (uint32_t)p;
	sort_facts = c.facts;
	if (l->nfacts > 1)
		qsort(c.order, l->nfacts, sizeof(*c.order), cmp_fact);

	for (lo = 0; lo < l->nfacts;) {
		const struct ledger_fact *f = &c.facts[c.order[lo]];
		size_t hi = lo;
		int pp = probe_of(&c, f->table);
		while (hi < l->nfacts && c.facts[c.order[hi]].table == f->table &&
		       c.facts[c.order[hi]].key == f->key)
			hi++;
		if (pp >= 0 && seen[pp])
			seen[pp][f->key] = 1;
		judge_key(&c, lo, hi);
		lo = hi;
	}
	for (p = 0; p < in->nprobes; p++)
		if (seen[p])
			find_stray_rows(&c, p, seen[p]);

	denom = out->total.expected + out->extra_phantoms;
	out->ratio = denom ? (double)out->total.n[OC_PRESERVED] / (double)denom : 1.0;
	for (i = 0; i < out->nfindings; i++)
		if (out->findings[i].cls == OC_LOST_ROW) {
			/* Count each lost row once: findings of a key are adjacent. */
			if (i == 0 || out->findings[i - 1].cls != OC_LOST_ROW ||
			    out->findings[i - 1].key != out->findings[i].key ||
			    out->findings[i - 1].table != out->findings[i].table)
				out->rows_lost++;
		}

	for (p = 0; p < in->nprobes; p++) {
		free(c.row_of[p]);
		free(seen[p]);
	}
	free(c.row_of);
	free(seen);
	free(c.probe_table);
	free(c.order);
	free(c.fact_tx);
	free(c.ops);
	free(c.renamed);
	free(c.cols_now);
}

void oracle_result_release(struct oracle_result *r)
{
	size_t i;
	for (i = 0; i < r->nfindings; i++)
		free(r->findings[i].found);
	free(r->findings);
	for (i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	memset(r, 0, sizeof(*r));
}
