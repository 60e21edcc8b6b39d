/*
** The CSV exports (--csv DIR), written with libcsv: every transaction,
** every fact, every finding and the timeline, so that teams can plot and
** audit in their own tools, and, with --keep, recompute the verdict
** independently.  Unlike the other formats these are the drill's raw data,
** not a rendering of the scorecard, so this module reads the ledger and the
** oracle's findings too.  NULL stays distinct from the empty string through
** the *_is_null columns.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "../scoring/oracle.h"
#include "../sim/db/db.h"
#include "../sim/engine/ledger.h"
#include "../sim/engine/scheduler.h"

/* One CSV row: fields separated by commas, each quoted by libcsv. */
static void row(FILE *f, int n, const char *const *v)
{
	int i;
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_fwrite(f, v[i] ? v[i] : "", v[i] ? strlen(v[i]) : 0);
	}
	fputc('\n', f);
}

static FILE *open_csv(const char *dir, const char *name, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	strbuf_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "wb");
	if (!f)
		strbuf_error(err, -1, "cannot write '%s': %s", path.buf, strerror(errno));
	strbuf_release(&path);
	return f;
}

static const char *outcome_name(int o)
{
	return o == TX_OK ? "ok" : o == TX_FAILED ? "failed" : "indeterminate";
}

static int transactions(const char *dir, const struct drill *d, struct strbuf *err)
{
	static const char *const head[] = { "id", "invoke_tick", "complete_tick", "client", "app_version",
					    "tx_name", "outcome", "error_class", "message" };
	const struct ledger *l = &d->ledger;
	FILE *f = open_csv(dir, "transactions.csv", err);
	char id[24], inv[24], cmp[24], cl[24];
	size_t i;

	if (!f)
		return -1;
	row(f, 9, head);
	for (i = 1; i < l->ntx; i++) {
		const struct ledger_tx *t = &l->tx[i];
		const char *v[9];
		snprintf(id, sizeof(id), "%zu", i);
		snprintf(inv, sizeof(inv), "%lld", (long long)t->invoke);
		snprintf(cmp, sizeof(cmp), "%lld", (long long)t->complete);
		snprintf(cl, sizeof(cl), "%u", t->client);
		v[0] = id;
		v[1] = inv;
		v[2] = cmp;
		v[3] = cl;
		v[4] = d->sc->apps[t->version].name;
		v[5] = d->sc->apps[t->version].tx[t->txdef].name;
		v[6] = outcome_name(t->outcome);
		v[7] = t->outcome == TX_OK && t->errclass == DBE_NONE ? "" : db_errclass_name(t->errclass);
		v[8] = ledger_str(l, t->msg) ? ledger_str(l, t->msg) : "";
		row(f, 9, v);
	}
	return fclose(f) ? strbuf_error(err, -1, "cannot write transactions.csv") : 0;
}

static int facts(const char *dir, const struct drill *d, struct strbuf *err)
{
	static const char *const head[] = { "tx", "table", "key", "field", "value", "value_is_null", "op" };
	const struct ledger *l = &d->ledger;
	FILE *f = open_csv(dir, "facts.csv", err);
	char id[24];
	size_t t, i;

	if (!f)
		return -1;
	row(f, 7, head);
	for (t = 0; t < l->ntx; t++) {
		size_t n = ledger_tx_nfacts(l, t);
		snprintf(id, sizeof(id), "%zu", t);
		for (i = l->tx[t].first_fact; i < l->tx[t].first_fact + n; i++) {
			const struct ledger_fact *fc = &l->facts[i];
			int row_fact = fc->field == LEDGER_ROW, del = row_fact && fc->value == LEDGER_DELETED;
			const char *v[7];
			v[0] = t ? id : "seed";
			v[1] = ledger_str(l, fc->table);
			v[2] = ledger_str(l, fc->key);
			v[3] = row_fact ? "(row)" : ledger_str(l, fc->field);
			v[4] = row_fact ? "" : ledger_str(l, fc->value);
			v[5] = !row_fact && fc->value == LEDGER_NONE ? "true" : "false";
			v[6] = del ? "delete" : "write";
			row(f, 7, v);
		}
	}
	return fclose(f) ? strbuf_error(err, -1, "cannot write facts.csv") : 0;
}

static int findings(const char *dir, const struct drill *d, const struct oracle_result *r,
		    struct strbuf *err)
{
	static const char *const head[] = { "class", "window", "table", "key", "field", "expected",
					    "expected_is_null", "found", "found_is_null", "found_absent", "why" };
	const struct ledger *l = &d->ledger;
	FILE *f = open_csv(dir, "findings.csv", err);
	size_t i;

	if (!f)
		return -1;
	row(f, 11, head);
	for (i = 0; i < r->nfindings; i++) {
		const struct oracle_finding *x = &r->findings[i];
		const char *v[11];
		v[0] = oracle_class_name(x->cls);
		v[1] = oracle_window_name(x->window);
		v[2] = ledger_str(l, x->table);
		v[3] = x->key == LEDGER_NONE ? x->found : ledger_str(l, x->key);
		v[4] = x->field == LEDGER_ROW ? "(row)" : ledger_str(l, x->field);
		v[5] = x->expected == LEDGER_DELETED ? "(deleted)" : x->expected == LEDGER_PRESENT ? "(present)"
										     : ledger_str(l, x->expected);
		v[6] = x->expected == LEDGER_NONE ? "true" : "false";
		v[7] = x->field == LEDGER_ROW ? NULL : x->found;
		v[8] = x->found_null ? "true" : "false";
		v[9] = x->found_absent ? "true" : "false";
		v[10] = x->why;
		row(f, 11, v);
	}
	return fclose(f) ? strbuf_error(err, -1, "cannot write findings.csv") : 0;
}

static int timeline(const char *dir, const struct scorecard *s, struct strbuf *err)
{
	static const char *const head[] = { "from_tick", "to_tick", "app_version", "committed", "failed",
					    "blocked_ticks" };
	FILE *f = open_csv(dir, "timeline.csv", err);
	char a[24], b[24], c[24], x[24], bl[24];
	size_t v;
	int k;

	if (!f)
		return -1;
	row(f, 6, head);
	for (k = 0; k < SCORECARD_BUCKETS && s->series_committed; k++) {
		for (v = 0; v < s->nversions; v++) {
			const char *vals[6];
			snprintf(a, sizeof(a), "%lld", (long long)(k * s->bucket_ticks));
			snprintf(b, sizeof(b), "%lld", (long long)((k + 1) * s->bucket_ticks));
			snprintf(c, sizeof(c), "%llu", (unsigned long long)s->series_committed[v][k]);
			snprintf(x, sizeof(x), "%llu", (unsigned long long)s->series_failed[v][k]);
			snprintf(bl, sizeof(bl), "%llu", (unsigned long long)s->series_blocked[k]);
			vals[0] = a;
			vals[1] = b;
			vals[2] = s->versions[v];
			vals[3] = c;
			vals[4] = x;
			vals[5] = bl;
			row(f, 6, vals);
		}
	}
	return fclose(f) ? strbuf_error(err, -1, "cannot write timeline.csv") : 0;
}

int report_csv_write(const char *dir, const struct drill *d, const struct oracle_result *r,
		     const struct scorecard *s, struct strbuf *err)
{
	if (transactions(dir, d, err) || facts(dir, d, err) || findings(dir, d, r, err) ||
	    timeline(dir, s, err))
		return -1;
	return 0;
}
