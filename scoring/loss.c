/*
** Laying losses at their causes: a check's findings sorted by the fact
** they are about and merged with the last committed check's, so that a
** fact keeps the cause it was first lost at for as long as it stays lost.
**
** SPDX-License-Identifier: MIT
*/
#include "loss.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "probe.h"
#include "scorecard.h"

void loss_init(struct loss *ls)
{
	memset(ls, 0, sizeof(*ls));
	ls->last_event = -1;
	ls->risk_from = -1;
	ls->risk_to = -1;
}

void loss_release(struct loss *ls)
{
	size_t i;
	for (i = 0; i < ls->ncauses; i++)
		free(ls->causes[i].label);
	free(ls->causes);
	free(ls->items);
	free(ls->look_now);
	free(ls->points);
	loss_init(ls);
}

static size_t add_cause(struct loss *ls, enum loss_kind kind, long action, int mig, int64_t tick,
			const char *label)
{
	struct loss_cause *c;
	ALLOC_GROW(ls->causes, ls->ncauses + 1, ls->causes_alloc);
	c = &ls->causes[ls->ncauses];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->action = action;
	c->mig = mig;
	c->version = -1;
	c->after = -1;
	c->tick = tick;
	c->label = xstrdup(label);
	ls->look_now = xrealloc(ls->look_now, (ls->ncauses + 1) * sizeof(*ls->look_now));
	ls->look_now[ls->ncauses] = 0;
	return ls->ncauses++;
}

size_t loss_event(struct loss *ls, enum loss_kind kind, long action, int mig, int64_t tick, const char *label)
{
	size_t i = add_cause(ls, kind, action, mig, tick, label);
	ls->last_event = (long)i;
	return i;
}

/*
** Where a fact the application's writes lost goes: to the flag flip when
** one was the last thing done, else to the writes of its app version after
** the last migration or outside change, a cause made on first use.
*/
static uint32_t writes_cause(struct loss *ls, const struct drill *d, const struct oracle_finding *f)
{
	const struct scenario *sc = d->sc;
	long after = ls->last_event;
	int version = f->tx != ORACLE_NO_TX && f->tx != LEDGER_SEED_TX ? d->ledger.tx[f->tx].version : -1;
	struct strbuf label = STRBUF_INIT;
	size_t i;

	if (after >= 0 && ls->causes[after].kind == LOSS_FLAG)
		return (uint32_t)after;
	for (i = 0; i < ls->ncauses; i++)
		if (ls->causes[i].kind == LOSS_WRITES && ls->causes[i].after == after &&
		    ls->causes[i].version == version)
			return (uint32_t)i;
	if (version >= 0 && (size_t)version < sc->napps)
		strbuf_addf(&label, "%s's writes", sc->apps[version].name);
	else
		strbuf_addstr(&label, "writes");
	if (after >= 0)
		strbuf_addf(&label, " after %s", ls->causes[after].label);
	i = add_cause(ls, LOSS_WRITES, -1, -1, after >= 0 ? ls->causes[after].tick : 0, label.buf);
	ls->causes[i].version = version;
	ls->causes[i].after = after;
	strbuf_release(&label);
	return (uint32_t)i;
}

/* A finding as the fact it is about, and where it sits in the result. */
struct fact_ref {
	uint32_t table, key, field;
	uint32_t i;
};

static int cmp_fact3(uint32_t t1, uint32_t k1, uint32_t f1, uint32_t t2, uint32_t k2, uint32_t f2)
{
	if (t1 != t2)
		return t1 < t2 ? -1 : 1;
	if (k1 != k2)
		return k1 < k2 ? -1 : 1;
	if (f1 != f2)
		return f1 < f2 ? -1 : 1;
	return 0;
}

static int cmp_ref(const void *a, const void *b)
{
	const struct fact_ref *x = a, *y = b;
	int c = cmp_fact3(x->table, x->key, x->field, y->table, y->key, y->field);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Was the fact of finding f written in the window of risk? */
static int at_risk(const struct loss *ls, const struct drill *d, const struct oracle_finding *f)
{
	const struct ledger_tx *t;
	if (ls->risk_from < 0 || f->tx == ORACLE_NO_TX || f->tx >= d->ledger.ntx)
		return 0;
	t = &d->ledger.tx[f->tx];
	return t->outcome == TX_OK && t->invoke >= ls->risk_from && (ls->risk_to < 0 || t->invoke <= ls->risk_to);
}

void loss_take(struct loss *ls, const struct drill *d, const struct oracle_result *r, long cause, int commit,
	       uint32_t **cause_of)
{
	struct fact_ref *refs = xcalloc(r->nfindings + 1, sizeof(*refs));
	struct loss_item *items = xcalloc(r->nfindings + 1, sizeof(*items));
	uint32_t *of = xcalloc(r->nfindings + 1, sizeof(*of));
	size_t i, k = 0;

	for (i = 0; i < r->nfindings; i++) {
		refs[i].table = r->findings[i].table;
		refs[i].key = r->findings[i].key;
		refs[i].field = r->findings[i].field;
		refs[i].i = (uint32_t)i;
	}
	if (r->nfindings > 1)
		qsort(refs, r->nfindings, sizeof(*refs), cmp_ref);
	if (ls->ncauses)
		memset(ls->look_now, 0, ls->ncauses * sizeof(*ls->look_now));
	ls->look_at_risk_lost = 0;
	/* Both sorted by the fact: a merge, each side a multiset. */
	for (i = 0; i < r->nfindings; i++) {
		const struct fact_ref *f = &refs[i];
		int c = -1;
		while (k < ls->nitems && (c = cmp_fact3(ls->items[k].table, ls->items[k].key, ls->items[k].field,
							 f->table, f->key, f->field)) < 0) {
			/* Lost at the last check, readable now. */
			if (commit && cause >= 0)
				ls->causes[cause].recovered++;
			k++;
		}
		if (k < ls->nitems && c == 0) {
			of[f->i] = ls->items[k++].cause;
		} else {
			of[f->i] = cause >= 0 ? (uint32_t)cause : writes_cause(ls, d, &r->findings[f->i]);
			if (commit)
				ls->causes[of[f->i]].lost++;
		}
		items[i].table = f->table;
		items[i].key = f->key;
		items[i].field = f->field;
		items[i].cause = of[f->i];
	}
	for (; k < ls->nitems; k++)
		if (commit && cause >= 0)
			ls->causes[cause].recovered++;
	for (i = 0; i < r->nfindings; i++) {
		ls->look_now[of[i]]++;
		ls->look_at_risk_lost += at_risk(ls, d, &r->findings[i]);
	}
	ls->looked = 1;
	ls->look_tick = d->env.tick;
	ls->look_lost = r->nfindings;
	if (commit) {
		free(ls->items);
		ls->items = items;
		ls->nitems = r->nfindings;
		items = NULL;
		for (i = 0; i < ls->ncauses; i++)
			ls->causes[i].now = ls->look_now[i];
		ls->commits++;
		ALLOC_GROW(ls->points, ls->npoints + 1, ls->points_alloc);
		ls->points[ls->npoints].tick = d->env.tick;
		ls->points[ls->npoints++].lost = r->nfindings;
	} else {
		ls->looks++;
	}
	if (cause_of)
		*cause_of = of;
	else
		free(of);
	free(items);
	free(refs);
}

int loss_check(struct loss *ls, const struct drill *d, long cause, int commit, struct strbuf *err)
{
	const struct scenario *sc = d->sc;
	struct db_conn *reader = NULL;
	struct probe_table *probes = NULL;
	struct oracle_input oin;
	struct oracle_result res;
	size_t nprobes = 0, i;
	int rc = -1;

	if (db_reader_open_brief(d->drv, d->db, &reader, err))
		return -1;
	probe_run(sc, d->drv, reader, NULL, &probes, &nprobes);
	/* A lock held elsewhere says nothing of the data: no look this time. */
	for (i = 0; i < nprobes; i++)
		if (probes[i].error && (probes[i].errclass == DBE_BUSY || probes[i].errclass == DBE_TIMEOUT ||
					probes[i].errclass == DBE_CONNECTION)) {
			strbuf_error(err, -1, "probe %s: %s", probes[i].table, probes[i].error);
			goto out;
		}
	memset(&oin, 0, sizeof(oin));
	oin.ledger = &d->ledger;
	oin.probes = probes;
	oin.nprobes = nprobes;
	oin.defaults = sc->defaults;
	oin.ndefaults = sc->ndefaults;
	oin.renames = sc->renames;
	oin.nrenames = sc->nrenames;
	scorecard_window(d, &oin.incident_start, &oin.incident_end);
	oracle_check(&oin, &res);
	loss_take(ls, d, &res, cause, commit, NULL);
	oracle_result_release(&res);
	rc = 0;
out:
	probe_tables_free(probes, nprobes);
	db_reader_close(d->drv, reader);
	return rc;
}

static const struct loss *order_of;

static int cmp_order(const void *a, const void *b)
{
	const struct loss_cause *x = &order_of->causes[*(const size_t *)a];
	const struct loss_cause *y = &order_of->causes[*(const size_t *)b];
	int wx = x->kind == LOSS_WRITES, wy = y->kind == LOSS_WRITES;
	if (x->tick != y->tick)
		return x->tick < y->tick ? -1 : 1;
	if (wx != wy)
		return wx - wy;
	if (x->after != y->after)
		return x->after < y->after ? -1 : 1;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

size_t *loss_order(const struct loss *ls)
{
	size_t *order = xcalloc(ls->ncauses + 1, sizeof(*order)), i;
	for (i = 0; i < ls->ncauses; i++)
		order[i] = i;
	order_of = ls;
	if (ls->ncauses > 1)
		qsort(order, ls->ncauses, sizeof(*order), cmp_order);
	return order;
}
