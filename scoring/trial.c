/*
** Reading a try's drills: old code's transactions counted from the ledger
** around the migration's first tick, writer waits from the drill's spans,
** lost facts from the oracle's findings, by column.
**
** SPDX-License-Identifier: MIT
*/
#include "trial.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int cmp_tx(const void *a, const void *b)
{
	const struct trial_tx *x = a, *y = b;
	if (x->broken != y->broken)
		return x->broken > y->broken ? -1 : 1;
	if (x->failed_after != y->failed_after)
		return x->failed_after > y->failed_after ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_field(const void *a, const void *b)
{
	const struct trial_field *x = a, *y = b;
	int c;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	c = strcmp(x->table, y->table);
	return c ? c : strcmp(x->field, y->field);
}

/*
** Did the migration break tx: more failures from its start on than the
** rate before explains?  With no failure before, any failure after is
** the migration's.  With some, the count after must pass what that rate
** gives over as many tries by three standard deviations and one more, a
** margin that a transaction failing as often as before (a generated
** value colliding with a unique key) stays under.
*/
static int broke(const struct trial_tx *tx)
{
	uint64_t before = tx->ok_before + tx->failed_before, after = tx->ok_after + tx->failed_after;
	double p, want;

	if (!tx->failed_after)
		return 0;
	if (!tx->failed_before)
		return 1;
	p = (double)tx->failed_before / (double)before;
	want = p * (double)after;
	return (double)tx->failed_after > want + 3.0 * sqrt(want * (1.0 - p)) + 1.0;
}

/* Old code's transactions, and the most frequent failure of each from the migration on. */
static void old_code(const struct scenario *sc, const struct drill *d, struct trial *t)
{
	const struct ledger *l = &d->ledger;
	int v = scenario_app(sc, "old");
	struct { uint32_t msg; int cls; uint64_t n; } *top;
	size_t i, ntx;

	if (v < 0)
		v = 0;
	ntx = sc->apps[v].ntx;
	t->tx = xcalloc(ntx ? ntx : 1, sizeof(*t->tx));
	t->ntx = ntx;
	top = xcalloc(ntx ? ntx : 1, sizeof(*top));
	for (i = 0; i < ntx; i++)
		t->tx[i].name = xstrdup(sc->apps[v].tx[i].name);
	/* A message per transaction: the first failure's, and the count of those like it. */
	for (i = 1; i < l->ntx; i++) {
		const struct ledger_tx *x = &l->tx[i];
		struct trial_tx *tx;
		int after = t->start >= 0 && x->invoke >= t->start;
		if (x->version != (uint16_t)v || x->txdef >= ntx)
			continue;
		tx = &t->tx[x->txdef];
		if (x->outcome == TX_FAILED) {
			if (after) {
				tx->failed_after++;
				if (!top[x->txdef].n || top[x->txdef].msg == x->msg) {
					top[x->txdef].msg = x->msg;
					top[x->txdef].cls = x->errclass;
					top[x->txdef].n++;
				}
			} else {
				tx->failed_before++;
			}
		} else if (x->outcome == TX_OK) {
			after ? tx->ok_after++ : tx->ok_before++;
		}
	}
	for (i = 0; i < ntx; i++) {
		t->tx[i].broken = broke(&t->tx[i]);
		t->old_broken += t->tx[i].broken;
		t->old_noisy += t->tx[i].failed_after && !t->tx[i].broken;
		t->old_failed_after += t->tx[i].failed_after;
		t->old_failed_before += t->tx[i].failed_before;
		if (top[i].n) {
			t->tx[i].message = dup_or_null(ledger_str(l, top[i].msg));
			t->tx[i].error_class = xstrdup(db_errclass_name(top[i].cls));
		}
	}
	if (ntx)
		qsort(t->tx, ntx, sizeof(*t->tx), cmp_tx);
	free(top);
}

/* Writers' waits while the migration ran: the longest, the sum, how many waited. */
static void waits(const struct drill *d, struct trial *t)
{
	size_t i;
	for (i = 0; i < d->env.nspans; i++) {
		int64_t w;
		if (d->env.spans[i].who < 0)
			continue; /* the migration's own waits */
		w = scorecard_migration_wait(d, &d->env.spans[i], t->start, t->end);
		if (w <= 0)
			continue;
		t->wait_total += w;
		t->writers_waited++;
		if (w > t->wait_max)
			t->wait_max = w;
	}
}

/* What the drill kept of the facts: counts from its card, lost facts by column from its oracle. */
static void data(const struct pipeline_result *r, struct trial_data *out)
{
	const struct scorecard *c = &r->card;
	const struct ledger *l = &r->drill.ledger;
	size_t i, k, alloc = 0;

	out->expected = c->total.expected;
	out->rows_lost = c->total.n[OC_LOST_ROW];
	out->fields_lost = c->total.n[OC_LOST_FIELD];
	out->changed = c->total.n[OC_CORRUPTED];
	out->phantom = c->total.n[OC_PHANTOM];
	out->lost = c->total.expected - c->total.n[OC_PRESERVED];
	out->unwritten_rows = c->extra_phantoms;
	for (i = 0; i < r->oracle.nfindings; i++) {
		const struct oracle_finding *f = &r->oracle.findings[i];
		const char *table = ledger_str(l, f->table), *field;
		if (f->key == LEDGER_NONE || !table)
			continue; /* a row nobody wrote: no fact of anybody's */
		field = f->field == LEDGER_ROW ? "(row)" : ledger_str(l, f->field);
		for (k = 0; k < out->nfields; k++)
			if (!strcmp(out->fields[k].table, table) && !strcmp(out->fields[k].field, field ? field : ""))
				break;
		if (k == out->nfields) {
			ALLOC_GROW(out->fields, out->nfields + 1, alloc);
			memset(&out->fields[k], 0, sizeof(out->fields[k]));
			out->fields[k].table = xstrdup(table);
			out->fields[k].field = xstrdup(field ? field : "");
			out->nfields++;
		}
		out->fields[k].n++;
		if (f->cls == OC_LOST_FIELD && f->why && strstr(f->why, "column"))
			out->fields[k].gone = 1;
	}
	if (out->nfields)
		qsort(out->fields, out->nfields, sizeof(*out->fields), cmp_field);
	out->nexamples = c->nexamples < 5 ? c->nexamples : 5;
	out->examples = xcalloc(out->nexamples ? out->nexamples : 1, sizeof(*out->examples));
	for (i = 0; i < out->nexamples; i++) {
		const struct sc_example *e = &c->examples[i];
		out->examples[i].table = xstrdup(e->table);
		out->examples[i].key = dup_or_null(e->key);
		out->examples[i].field = xstrdup(e->field);
		out->examples[i].expected = dup_or_null(e->expected);
		out->examples[i].found = dup_or_null(e->found);
		out->examples[i].cls = oracle_class_name(e->cls);
	}
}

/* "table\x1fkey\x1ffield" of finding f of l: the same fact in two drills' ledgers. */
static void fact_id(const struct ledger *l, const struct oracle_finding *f, struct strbuf *out)
{
	const char *field = f->field == LEDGER_ROW ? "(row)" : ledger_str(l, f->field);
	strbuf_reset(out);
	strbuf_addf(out, "%s\x1f%s\x1f%s", ledger_str(l, f->table), ledger_str(l, f->key), field ? field : "");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
** The facts the down migration's drill did not keep that the drill of the
** migration alone kept: every finding of down whose (table, key, field)
** is no finding of alone.  The two drills share a seed, so their traffic
** is the same up to the fix slot; what differs after is the down
** migration's doing, facts of rows only one of them wrote included.
*/
static void down_only(const struct pipeline_result *alone, const struct pipeline_result *down,
		      struct trial_data *out)
{
	const struct ledger *la = &alone->drill.ledger, *ld = &down->drill.ledger;
	struct strbuf id = STRBUF_INIT;
	char **seen;
	size_t i, n = 0, k, alloc = 0;

	seen = xcalloc(alone->oracle.nfindings ? alone->oracle.nfindings : 1, sizeof(*seen));
	for (i = 0; i < alone->oracle.nfindings; i++) {
		if (alone->oracle.findings[i].key == LEDGER_NONE)
			continue;
		fact_id(la, &alone->oracle.findings[i], &id);
		seen[n++] = xstrdup(id.buf);
	}
	qsort(seen, n, sizeof(*seen), cmp_str);
	for (i = 0; i < down->oracle.nfindings; i++) {
		const struct oracle_finding *f = &down->oracle.findings[i];
		const char *table = ledger_str(ld, f->table), *field, *key = id.buf;
		if (f->key == LEDGER_NONE || !table)
			continue;
		fact_id(ld, f, &id);
		if (n && bsearch(&key, seen, n, sizeof(*seen), cmp_str))
			continue;
		out->lost_by_down++;
		field = f->field == LEDGER_ROW ? "(row)" : ledger_str(ld, f->field);
		for (k = 0; k < out->ndown_fields; k++)
			if (!strcmp(out->down_fields[k].table, table) &&
			    !strcmp(out->down_fields[k].field, field ? field : ""))
				break;
		if (k == out->ndown_fields) {
			ALLOC_GROW(out->down_fields, out->ndown_fields + 1, alloc);
			memset(&out->down_fields[k], 0, sizeof(out->down_fields[k]));
			out->down_fields[k].table = xstrdup(table);
			out->down_fields[k].field = xstrdup(field ? field : "");
			out->ndown_fields++;
		}
		out->down_fields[k].n++;
		if (f->cls == OC_LOST_FIELD && f->why && strstr(f->why, "column"))
			out->down_fields[k].gone = 1;
	}
	if (out->ndown_fields)
		qsort(out->down_fields, out->ndown_fields, sizeof(*out->down_fields), cmp_field);
	for (i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	strbuf_release(&id);
}

static void reason(struct trial *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void reason(struct trial *t, const char *fmt, ...)
{
	struct strbuf s = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&s, fmt, ap);
	va_end(ap);
	t->reasons = xrealloc(t->reasons, (t->nreasons + 1) * sizeof(*t->reasons));
	t->reasons[t->nreasons++] = strbuf_detach(&s);
}

/* "customers.nickname (120, its column gone)" for the first few columns that lost facts. */
static void lost_fields(const struct trial_data *d, struct strbuf *out)
{
	size_t i;
	for (i = 0; i < d->nfields && i < 3; i++)
		strbuf_addf(out, "%s%s.%s (%llu%s)", i ? ", " : "", d->fields[i].table, d->fields[i].field,
			    (unsigned long long)d->fields[i].n, d->fields[i].gone ? ", its column gone" : "");
	if (d->nfields > 3)
		strbuf_addf(out, " and %zu more column%s", d->nfields - 3, d->nfields - 3 == 1 ? "" : "s");
}

void trial_judge(const struct scenario *sc, const char *migration, const char *down_label,
		 const struct pipeline_result *alone, const struct pipeline_result *down, const char *notes,
		 struct trial *out)
{
	const struct drill *d = &alone->drill;
	const struct sc_migration *bad = &alone->card.bad;
	const char *s;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->scenario = xstrdup(sc->name);
	out->engine = xstrdup(alone->card.engine);
	out->migration = xstrdup(migration ? migration : "the new migration");
	out->seed = alone->card.seed;
	out->ran = bad->ran;
	out->completed = bad->completed;
	out->failed_statement = bad->failed_statement;
	out->failed_line = bad->failed_line;
	out->failed_file = dup_or_null(bad->failed_file);
	out->failed_sql = dup_or_null(bad->failed_sql);
	out->error = dup_or_null(bad->error);
	out->error_class = dup_or_null(bad->error_class);
	out->start = bad->ran ? bad->start : -1;
	out->end = bad->ran ? bad->end : -1;
	old_code(sc, d, out);
	waits(d, out);
	data(alone, &out->data);
	for (s = notes; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len) {
			out->notes = xrealloc(out->notes, (out->nnotes + 1) * sizeof(*out->notes));
			out->notes[out->nnotes++] = xstrndup(s, len);
		}
		s += len + (nl ? 1 : 0);
	}
	if (!bad->ran)
		reason(out, "the migration never ran");
	else if (!bad->completed)
		reason(out, "the migration itself fails at statement %d: %s", bad->failed_statement,
		       bad->error ? bad->error : "(no message)");
	for (i = 0; i < out->ntx && out->tx[i].broken; i++)
		reason(out, "old code's %s fails under the migration (%llu of %llu from its start on): %s (%s)",
		       out->tx[i].name, (unsigned long long)out->tx[i].failed_after,
		       (unsigned long long)(out->tx[i].failed_after + out->tx[i].ok_after),
		       out->tx[i].message ? out->tx[i].message : "", out->tx[i].error_class ? out->tx[i].error_class : "");
	out->data_reason = -1;
	if (out->data.lost) {
		struct strbuf f = STRBUF_INIT;
		out->data_reason = (int)out->nreasons;
		lost_fields(&out->data, &f);
		reason(out, "%llu of %llu acknowledged facts not kept after the migration: %s",
		       (unsigned long long)out->data.lost, (unsigned long long)out->data.expected, f.buf);
		strbuf_release(&f);
	}
	if (down) {
		const struct scorecard *c = &down->card;
		out->with_down = 1;
		out->down = xstrdup(down_label ? down_label : "the down migration");
		out->down_completed = c->fix.completed;
		out->down_error = dup_or_null(c->fix.error);
		data(down, &out->down_data);
		out->new_failed_after_down = c->after_failed;
		if (c->after_top.message) {
			struct strbuf m = STRBUF_INIT;
			strbuf_addf(&m, "app %s: %s (%s)", c->after_top.version, c->after_top.message,
				    c->after_top.error_class);
			out->new_failure = strbuf_detach(&m);
		}
		if (!c->fix.completed)
			reason(out, "the down migration fails at statement %d: %s", c->fix.failed_statement,
			       c->fix.error ? c->fix.error : "(no message)");
		down_only(alone, down, &out->down_data);
		if (out->down_data.lost_by_down) {
			struct trial_data shown = out->down_data;
			struct strbuf f = STRBUF_INIT;
			shown.fields = shown.down_fields;
			shown.nfields = shown.ndown_fields;
			lost_fields(&shown, &f);
			reason(out, "the down migration loses data: %llu facts the migration alone kept are not kept "
			       "after it (%llu of %llu not kept in all): %s", (unsigned long long)out->down_data.lost_by_down,
			       (unsigned long long)out->down_data.lost, (unsigned long long)out->down_data.expected, f.buf);
			strbuf_release(&f);
		}
	}
	out->pass = !out->nreasons;
}

static void data_release(struct trial_data *d)
{
	size_t i;
	for (i = 0; i < d->nfields; i++) {
		free(d->fields[i].table);
		free(d->fields[i].field);
	}
	free(d->fields);
	for (i = 0; i < d->ndown_fields; i++) {
		free(d->down_fields[i].table);
		free(d->down_fields[i].field);
	}
	free(d->down_fields);
	for (i = 0; i < d->nexamples; i++) {
		free(d->examples[i].table);
		free(d->examples[i].key);
		free(d->examples[i].field);
		free(d->examples[i].expected);
		free(d->examples[i].found);
	}
	free(d->examples);
}

static int data_allowed(char *const *allow, size_t nallow, const char *table, const char *field)
{
	size_t i, n = strlen(table);
	for (i = 0; i < nallow; i++) {
		const char *a = allow[i];
		if (strncmp(a, "data:", 5))
			continue;
		a += 5;
		if (!strcmp(a, table) || (!strncmp(a, table, n) && a[n] == '.' && !strcmp(a + n + 1, field)))
			return 1;
	}
	return 0;
}

void trial_allow_data(struct trial *t, char *const *allow, size_t nallow)
{
	uint64_t allowed = 0;
	size_t i;

	for (i = 0; i < t->data.nfields; i++) {
		struct trial_field *f = &t->data.fields[i];
		if ((f->allowed = data_allowed(allow, nallow, f->table, f->field)) != 0)
			allowed += f->n;
	}
	if (!allowed || t->data_reason < 0 || allowed < t->data.lost)
		return;
	free(t->reasons[t->data_reason]);
	memmove(t->reasons + t->data_reason, t->reasons + t->data_reason + 1,
		(t->nreasons - (size_t)t->data_reason - 1) * sizeof(*t->reasons));
	t->nreasons--;
	t->data_reason = -1;
	t->pass = !t->nreasons && !t->nunjudged;
}

void trial_add_locks(struct trial *t, struct lock_report *r)
{
	size_t i;

	locks_report_release(&t->locks);
	t->locks = *r;
	memset(r, 0, sizeof(*r));
	/*
	** A migration that completed under the drill's traffic and failed on the
	** measure's larger seed fails on rows like those: a reason, not a note.
	*/
	if (t->locks.failed_stmt && t->completed) {
		if (t->locks.failed_file)
			reason(t, "the migration fails at statement %d (%s:%d) on %lld rows a table (the locks' measure; "
			       "mdrill's generated values, --stats gives production's): %s", t->locks.failed_stmt,
			       t->locks.failed_file, t->locks.failed_line, (long long)t->locks.seeded_rows,
			       t->locks.failed_error);
		else
			reason(t, "the migration fails at statement %d on %lld rows a table (the locks' measure; "
			       "mdrill's generated values, --stats gives production's): %s", t->locks.failed_stmt,
			       (long long)t->locks.seeded_rows, t->locks.failed_error);
	}
	for (i = 0; i < t->locks.nr; i++) {
		const struct lock_finding *f = &t->locks.v[i];
		if (!f->fails)
			continue;
		if (f->file)
			reason(t, "%s (%s:%d, statement %d): %s; instead: %s", f->name, f->file, f->line, f->stmt, f->why,
			       f->advice);
		else
			reason(t, "%s (statement %d): %s; instead: %s", f->name, f->stmt, f->why, f->advice);
	}
	t->pass = !t->nreasons && !t->nunjudged;
}

void trial_add_unjudged(struct trial *t, const char *table, const char *why)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;
	strbuf_addf(&line, "%s: %s", table, why);
	for (i = 0; i < t->nunjudged; i++)
		if (!strcmp(t->unjudged[i], line.buf))
			break;
	if (i < t->nunjudged) {
		strbuf_release(&line);
		return;
	}
	t->unjudged = xrealloc(t->unjudged, (t->nunjudged + 1) * sizeof(*t->unjudged));
	t->unjudged[t->nunjudged++] = strbuf_detach(&line);
	t->pass = 0;
}

const char *trial_verdict(const struct trial *t)
{
	return t->pass ? "pass" : t->nreasons ? "fail" : "not judged";
}

void trial_release(struct trial *t)
{
	size_t i;
	locks_report_release(&t->locks);
	for (i = 0; i < t->nunjudged; i++)
		free(t->unjudged[i]);
	free(t->unjudged);
	free(t->scenario);
	free(t->engine);
	free(t->migration);
	free(t->down);
	free(t->failed_file);
	free(t->failed_sql);
	free(t->error);
	free(t->error_class);
	for (i = 0; i < t->ntx; i++) {
		free(t->tx[i].name);
		free(t->tx[i].message);
		free(t->tx[i].error_class);
	}
	free(t->tx);
	data_release(&t->data);
	data_release(&t->down_data);
	free(t->down_error);
	free(t->new_failure);
	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	for (i = 0; i < t->nreasons; i++)
		free(t->reasons[i]);
	free(t->reasons);
	memset(t, 0, sizeof(*t));
}
