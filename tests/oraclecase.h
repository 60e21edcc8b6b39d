/*
** A test helper: oracle cases as data.  A case gives the ledger, the probe
** results and the scenario's declarations as short texts, and the whole
** result it expects; case_run, a cmocka test, builds the inputs, runs
** oracle_check and compares.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_TEST_ORACLECASE_H
#define MDRILL_TEST_ORACLECASE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../scoring/oracle.h"
#include "../scoring/probe.h"
#include "../sim/base/alloc.h"
#include "../sim/engine/ledger.h"

/*
** The texts of a case:
**
** ledger     seed TABLE KEY FIELD=VALUE...       facts of the seed (transaction 0)
**            tx INVOKE COMPLETE OUTCOME TABLE KEY FIELD=VALUE...
**            tx INVOKE COMPLETE OUTCOME del TABLE KEY
**                OUTCOME is ok, failed or indeterminate; "+row" in place of a
**                FIELD=VALUE is the fact that the row exists (a key-only insert)
** probe      TABLE(KEY,COLUMN,...) [missing=COLUMN,...] [error=MESSAGE]
**            CELL|CELL|...                       a row of the table above
** decls      @default TABLE.FIELD VALUE          as in a scenario
**            @renamed TABLE.FIELD NEW  or  @renamed TABLE NEW
** incident   "START END" in ticks; NULL: the bad migration never started
** counts     total|seed|before|incident|after expected=N preserved=N lost_row=N
**                lost_field=N corrupted=N phantom=N indeterminate=N
**            rows_lost=N extra=N ratio=A/B
**                Numbers left out are 0, and so is all of a window left out;
**                ratio defaults to preserved / (expected + extra) of the total.
** findings   TABLE KEY FIELD CLASS WINDOW [expected=VALUE] [found=VALUE] why=REASON
**                Every finding, in any order.  KEY '-': a key the ledger never
**                named; FIELD 'row': the row itself; expected '<deleted>' or
**                '<present>': the row markers, left out: none (LEDGER_NONE);
**                found '<absent>': the row is gone, left out: nothing was read.
**
** A VALUE or CELL written NULL is SQL NULL, '' the empty string, 'a b' a
** string with blanks.  A case that does not parse fails, naming its line.
*/

struct oracle_case {
	const char *name;
	const char *decls;      /* NULL: none */
	const char *ledger;
	const char *probe;      /* NULL: no probe at all */
	const char *incident;   /* NULL: no incident */
	const char *counts;
	const char *findings;   /* NULL: none */
};

#define CASE_LINE 256
#define CASE_WORDS 24
#define CASE_FINDINGS 16

/* The names the texts use, kept apart from the oracle's own (test_names compares them). */
static const char *const case_class_names[OC_COUNT] = {
	[OC_PRESERVED] = "preserved", [OC_LOST_ROW] = "lost_row", [OC_LOST_FIELD] = "lost_field",
	[OC_CORRUPTED] = "corrupted", [OC_PHANTOM] = "phantom",
};
static const char *const case_window_names[OW_COUNT] = {
	[OW_SEED] = "seed", [OW_BEFORE] = "before", [OW_INCIDENT] = "incident", [OW_AFTER] = "after",
};

/* One line of a case's text: as written (for messages), and split into words. */
struct case_line {
	const struct oracle_case *tc;
	char text[CASE_LINE];
	char buf[CASE_LINE];     /* the words, NUL-separated */
	char *w[CASE_WORDS];
	size_t n;
	char *tail;              /* what follows the tail key (" why=", " error="), or NULL */
};

#define case_fail(ln, what) fail_msg("%s: '%s': %s", (ln)->tc->name, (ln)->text, (what))

/*
** Read the next non-blank line of *text into ln and split it into words at
** blanks; a quoted stretch 'like this' stays in one word, quotes and all.
** When tail_key is found, the line ends there for the words, and all that
** follows it is ln->tail.  Returns 0 at the end of the text.
*/
static int case_next_line(const struct oracle_case *tc, const char **text, const char *tail_key,
			  struct case_line *ln)
{
	const char *s, *end;
	size_t len;
	char *p;

	for (;;) {
		s = *text;
		if (!s || !*s)
			return 0;
		end = strchr(s, '\n');
		len = end ? (size_t)(end - s) : strlen(s);
		*text = s + len + (end ? 1 : 0);
		if (len >= CASE_LINE)
			fail_msg("%s: a line of more than %d bytes", tc->name, CASE_LINE - 1);
		memcpy(ln->text, s, len);
		ln->text[len] = '\0';
		if (strspn(ln->text, " \t") < len)
			break;
	}
	ln->tc = tc;
	memcpy(ln->buf, ln->text, len + 1);
	ln->tail = tail_key ? strstr(ln->buf, tail_key) : NULL;
	if (ln->tail) {
		*ln->tail = '\0';
		ln->tail += strlen(tail_key);
	}
	ln->n = 0;
	for (p = ln->buf;;) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		if (ln->n == CASE_WORDS)
			case_fail(ln, "too many words");
		ln->w[ln->n++] = p;
		for (; *p && *p != ' ' && *p != '\t'; p++)
			if (*p == '\'' && !(p = strchr(p + 1, '\'')))
				case_fail(ln, "a quote left open");
		if (*p)
			*p++ = '\0';
	}
	return 1;
}

/* A value as written: NULL for SQL NULL, else the string with its quotes taken off (in place). */
static char *case_value(char *v)
{
	size_t n = strlen(v);
	if (!strcmp(v, "NULL"))
		return NULL;
	if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

static int64_t case_int(const struct case_line *ln, const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end)
		case_fail(ln, "expected a number");
	return (int64_t)v;
}

/* The index of word among n names, or -1. */
static int case_name(const char *const *names, size_t n, const char *word)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], word))
			return (int)i;
	return -1;
}

/* ---- the inputs ---- */

/* Build l from the ledger script: the seed first, then each 'tx' line, a transaction. */
static void case_ledger(const struct oracle_case *tc, struct ledger *l)
{
	static const char *const outcomes[] = {
		[TX_OK] = "ok", [TX_FAILED] = "failed", [TX_INDETERMINATE] = "indeterminate",
	};
	const char *text = tc->ledger;
	struct case_line ln;
	struct ledger_tx t;
	uint32_t table, key;
	size_t i, w = 0;   /* the first word after the transaction's own */
	int outcome;

	/* The transaction being recorded, the seed until the first 'tx' line. */
	memset(&t, 0, sizeof(t));
	t.invoke = t.complete = -1;
	t.msg = LEDGER_NONE;
	t.outcome = TX_OK;
	while (case_next_line(tc, &text, NULL, &ln)) {
		if (!strcmp(ln.w[0], "seed")) {
			if (l->ntx)
				case_fail(&ln, "the seed comes before every transaction");
			w = 1;
		} else if (!strcmp(ln.w[0], "tx") && ln.n >= 4) {
			ledger_tx_add(l, &t);   /* the one before, the seed first */
			t.invoke = case_int(&ln, ln.w[1]);
			t.complete = case_int(&ln, ln.w[2]);
			outcome = case_name(outcomes, sizeof(outcomes) / sizeof(outcomes[0]), ln.w[3]);
			if (outcome < 0)
				case_fail(&ln, "expected ok, failed or indeterminate");
			t.outcome = (uint8_t)outcome;
			w = 4;
		} else {
			case_fail(&ln, "expected 'seed' or 'tx INVOKE COMPLETE OUTCOME'");
		}
		if (ln.n == w + 3 && !strcmp(ln.w[w], "del")) {
			ledger_fact_add(l, ledger_intern(l, ln.w[w + 1]), ledger_intern(l, ln.w[w + 2]),
					LEDGER_ROW, LEDGER_DELETED);
			continue;
		}
		if (ln.n < w + 3)
			case_fail(&ln, "expected TABLE KEY FIELD=VALUE... or del TABLE KEY");
		table = ledger_intern(l, ln.w[w]);
		key = ledger_intern(l, ln.w[w + 1]);
		for (i = w + 2; i < ln.n; i++) {
			char *eq = strchr(ln.w[i], '='), *v;
			if (!strcmp(ln.w[i], "+row")) {
				ledger_fact_add(l, table, key, LEDGER_ROW, LEDGER_PRESENT);
				continue;
			}
			if (!eq || eq == ln.w[i])
				case_fail(&ln, "expected FIELD=VALUE or +row");
			*eq = '\0';
			v = case_value(eq + 1);
			ledger_fact_add(l, table, key, ledger_intern(l, ln.w[i]),
					v ? ledger_intern(l, v) : LEDGER_NONE);
		}
	}
	ledger_tx_add(l, &t);
}

/* Append a copy of s to the array *arr of *n strings. */
static void case_push(char ***arr, size_t *n, const char *s)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = xstrdup(s);
}

/*
** The probe results, built as probe_run builds them: every string the
** tables' own, so that probe_tables_free frees them.  *n receives how many.
*/
static struct probe_table *case_probes(const struct oracle_case *tc, size_t *n)
{
	const char *text = tc->probe;
	struct probe_table *pts = NULL, *pt = NULL;
	size_t alloc = 0, i, k;
	struct case_line ln;

	*n = 0;
	while (case_next_line(tc, &text, " error=", &ln)) {
		char *lp = strchr(ln.w[0], '('), *rp = strchr(ln.w[0], ')'), *s;

		/* A header: TABLE(COLUMNS), then its options. */
		if (lp && rp > lp && !rp[1] && !strchr(ln.w[0], '|')) {
			ALLOC_GROW(pts, *n + 1, alloc);
			pt = &pts[(*n)++];
			memset(pt, 0, sizeof(*pt));
			*lp = *rp = '\0';
			pt->table = xstrdup(ln.w[0]);
			for (s = strtok(lp + 1, ","); s; s = strtok(NULL, ","))
				case_push(&pt->cols, &pt->ncols, s);
			for (i = 1; i < ln.n; i++) {
				if (strncmp(ln.w[i], "missing=", 8))
					case_fail(&ln, "expected missing=COLUMN,... or error=MESSAGE");
				for (s = strtok(ln.w[i] + 8, ","); s; s = strtok(NULL, ","))
					case_push(&pt->missing, &pt->nmissing, s);
			}
			if (ln.tail)
				pt->error = xstrdup(ln.tail);
			continue;
		}
		/* A row: the line as written, cut at each '|'. */
		if (!pt)
			case_fail(&ln, "a row before any TABLE(COLUMNS) line");
		for (k = 1, s = ln.text; (s = strchr(s, '|')); s++)
			k++;
		if (k != pt->ncols)
			case_fail(&ln, "not as many cells as the table has columns");
		ALLOC_GROW(pt->cells, (pt->nrows + 1) * pt->ncols, pt->cells_alloc);
		for (k = 0, s = ln.text; k < pt->ncols; k++) {
			char *bar = strchr(s, '|'), *v;
			if (bar)
				*bar = '\0';
			v = case_value(s);
			pt->cells[pt->nrows * pt->ncols + k] = v ? xstrdup(v) : NULL;
			if (bar)
				s = bar + 1;
		}
		pt->nrows++;
	}
	return pts;
}

/* The scenario's declarations the oracle reads; case_decls_release frees them. */
struct case_decls {
	struct field_default *defaults;
	size_t ndefaults;
	struct rename *renames;
	size_t nrenames;
};

static void case_decls(const struct oracle_case *tc, struct case_decls *d)
{
	const char *text = tc->decls;
	struct case_line ln;

	memset(d, 0, sizeof(*d));
	while (case_next_line(tc, &text, NULL, &ln)) {
		char *dot = ln.n == 3 ? strchr(ln.w[1], '.') : NULL, *v;
		if (ln.n == 3 && dot && !strcmp(ln.w[0], "@default")) {
			struct field_default *fd;
			if (!(v = case_value(ln.w[2])))
				case_fail(&ln, "a default is a value, not NULL");
			d->defaults = xrealloc(d->defaults, (d->ndefaults + 1) * sizeof(*d->defaults));
			fd = &d->defaults[d->ndefaults++];
			fd->table = xstrndup(ln.w[1], (size_t)(dot - ln.w[1]));
			fd->field = xstrdup(dot + 1);
			fd->value = xstrdup(v);
		} else if (ln.n == 3 && !strcmp(ln.w[0], "@renamed")) {
			struct rename *rn;
			d->renames = xrealloc(d->renames, (d->nrenames + 1) * sizeof(*d->renames));
			rn = &d->renames[d->nrenames++];
			rn->table = dot ? xstrndup(ln.w[1], (size_t)(dot - ln.w[1])) : xstrdup(ln.w[1]);
			rn->field = dot ? xstrdup(dot + 1) : NULL;
			rn->to = xstrdup(ln.w[2]);
			rn->line = 0;
		} else {
			case_fail(&ln, "expected '@default TABLE.FIELD VALUE' or '@renamed TABLE[.FIELD] NEW'");
		}
	}
}

static void case_decls_release(struct case_decls *d)
{
	size_t i;
	for (i = 0; i < d->ndefaults; i++) {
		free(d->defaults[i].table);
		free(d->defaults[i].field);
		free(d->defaults[i].value);
	}
	free(d->defaults);
	for (i = 0; i < d->nrenames; i++) {
		free(d->renames[i].table);
		free(d->renames[i].field);
		free(d->renames[i].to);
	}
	free(d->renames);
}

/* ---- the expected result ---- */

/*
** The counts a case expects: [0] the total, [1 + w] window w; in each,
** [0] expected, [1 + c] class c, [1 + OC_COUNT] indeterminate.
*/
#define CASE_NCOUNTS (2 + OC_COUNT)
struct case_counts {
	uint64_t n[1 + OW_COUNT][CASE_NCOUNTS];
	uint64_t rows_lost, extra;
	int has_ratio;
	double ratio;
};

static const char *case_count_name(size_t k)
{
	return k == 0 ? "expected" : k == CASE_NCOUNTS - 1 ? "indeterminate" : case_class_names[k - 1];
}

static uint64_t case_count_of(const struct oracle_counts *c, size_t k)
{
	return k == 0 ? c->expected : k == CASE_NCOUNTS - 1 ? c->indeterminate : c->n[k - 1];
}

static void case_counts(const struct oracle_case *tc, struct case_counts *want)
{
	const char *text = tc->counts;
	struct case_line ln;
	int listed[1 + OW_COUNT] = { 0 };
	size_t i, k;

	memset(want, 0, sizeof(*want));
	while (case_next_line(tc, &text, NULL, &ln)) {
		int w;

		/* A line of the result as a whole: rows_lost, extra, ratio. */
		if (strchr(ln.w[0], '=')) {
			for (i = 0; i < ln.n; i++) {
				char *eq = strchr(ln.w[i], '='), *slash;
				if (!eq)
					case_fail(&ln, "expected NAME=N");
				*eq++ = '\0';
				if (!strcmp(ln.w[i], "rows_lost")) {
					want->rows_lost = (uint64_t)case_int(&ln, eq);
				} else if (!strcmp(ln.w[i], "extra")) {
					want->extra = (uint64_t)case_int(&ln, eq);
				} else if (!strcmp(ln.w[i], "ratio")) {
					if ((slash = strchr(eq, '/')))
						*slash++ = '\0';
					want->ratio = (double)case_int(&ln, eq) /
						      (double)(slash ? case_int(&ln, slash) : 1);
					want->has_ratio = 1;
				} else {
					case_fail(&ln, "expected rows_lost, extra or ratio");
				}
			}
			continue;
		}
		/* A line of counts: the total's, or a window's. */
		w = !strcmp(ln.w[0], "total") ? 0 : 1 + case_name(case_window_names, OW_COUNT, ln.w[0]);
		if (w == 0 && strcmp(ln.w[0], "total"))
			case_fail(&ln, "expected total, seed, before, incident or after");
		if (listed[w]++)
			case_fail(&ln, "a second line for this window");
		for (i = 1; i < ln.n; i++) {
			char *eq = strchr(ln.w[i], '=');
			if (eq)
				*eq = '\0';
			for (k = 0; k < CASE_NCOUNTS && strcmp(ln.w[i], case_count_name(k)); k++)
				;
			if (!eq || k == CASE_NCOUNTS)
				case_fail(&ln, "expected NAME=N, NAME being expected, a class or indeterminate");
			want->n[w][k] = (uint64_t)case_int(&ln, eq + 1);
		}
	}
}

static int case_near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

/* Every count of r as the case says, and the ratios that follow from them. */
static void case_check_counts(const struct oracle_case *tc, const struct oracle_result *r,
			      const struct case_counts *want)
{
	size_t w, k;
	double ratio;

	for (w = 0; w <= OW_COUNT; w++) {
		const struct oracle_counts *c = w ? &r->win[w - 1] : &r->total;
		const char *wn = w ? case_window_names[w - 1] : "total";
		for (k = 0; k < CASE_NCOUNTS; k++)
			if (case_count_of(c, k) != want->n[w][k])
				fail_msg("%s: %s %s is %llu, the case says %llu", tc->name, wn,
					 case_count_name(k), (unsigned long long)case_count_of(c, k),
					 (unsigned long long)want->n[w][k]);
		/* oracle_counts_ratio: preserved / expected, 1 when nothing was expected. */
		ratio = want->n[w][0] ? (double)want->n[w][1] / (double)want->n[w][0] : 1.0;
		if (!case_near(oracle_counts_ratio(c), ratio))
			fail_msg("%s: %s's ratio is %g, not %g", tc->name, wn, oracle_counts_ratio(c), ratio);
	}
	if (r->rows_lost != want->rows_lost)
		fail_msg("%s: rows_lost is %llu, the case says %llu", tc->name,
			 (unsigned long long)r->rows_lost, (unsigned long long)want->rows_lost);
	if (r->extra_phantoms != want->extra)
		fail_msg("%s: extra phantoms %llu, the case says %llu", tc->name,
			 (unsigned long long)r->extra_phantoms, (unsigned long long)want->extra);
	if (want->has_ratio) {
		ratio = want->ratio;
	} else {
		uint64_t den = want->n[0][0] + want->extra;
		ratio = den ? (double)want->n[0][1] / (double)den : 1.0;
	}
	if (!case_near(r->ratio, ratio))
		fail_msg("%s: the ratio is %g, the case says %g", tc->name, r->ratio, ratio);
}

/* A finding as the case writes it, its strings ids of the ledger. */
struct case_finding {
	int cls, window;
	uint32_t table, key, field, expected;
	const char *found;       /* NULL with found_null, found_absent, or nothing read */
	int found_null, found_absent;
	const char *why;
};

/* The id of s, which the ledger must hold: a case cannot expect what nobody wrote. */
static uint32_t case_known(const struct case_line *ln, const struct ledger *l, const char *s)
{
	uint32_t id = ledger_lookup(l, s);
	if (id == LEDGER_NONE)
		fail_msg("%s: '%s': the ledger holds no '%s'", ln->tc->name, ln->text, s);
	return id;
}

static void case_finding_parse(struct case_line *ln, const struct ledger *l, struct case_finding *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	if (ln->n < 5 || !ln->tail)
		case_fail(ln, "expected TABLE KEY FIELD CLASS WINDOW [expected=V] [found=V] why=REASON");
	f->table = case_known(ln, l, ln->w[0]);
	f->key = strcmp(ln->w[1], "-") ? case_known(ln, l, ln->w[1]) : LEDGER_NONE;
	f->field = strcmp(ln->w[2], "row") ? case_known(ln, l, ln->w[2]) : LEDGER_ROW;
	f->cls = case_name(case_class_names, OC_COUNT, ln->w[3]);
	f->window = case_name(case_window_names, OW_COUNT, ln->w[4]);
	if (f->cls < 0 || f->window < 0)
		case_fail(ln, "expected a class, then a window");
	f->expected = LEDGER_NONE;
	for (i = 5; i < ln->n; i++) {
		if (!strncmp(ln->w[i], "expected=", 9)) {
			const char *v = case_value(ln->w[i] + 9);
			f->expected = !v ? LEDGER_NONE
				      : !strcmp(v, "<deleted>") ? LEDGER_DELETED
				      : !strcmp(v, "<present>") ? LEDGER_PRESENT
				      : case_known(ln, l, v);
		} else if (!strncmp(ln->w[i], "found=", 6)) {
			f->found = case_value(ln->w[i] + 6);
			f->found_null = !f->found;
			f->found_absent = f->found && !strcmp(f->found, "<absent>");
			if (f->found_absent)
				f->found = NULL;
		} else {
			case_fail(ln, "expected expected=VALUE or found=VALUE");
		}
	}
	f->why = ln->tail;
}

static int case_same(const struct oracle_finding *got, const struct case_finding *f)
{
	return got->cls == f->cls && got->window == f->window && got->table == f->table &&
	       got->key == f->key && got->field == f->field && got->expected == f->expected &&
	       !got->found_null == !f->found_null && !got->found_absent == !f->found_absent &&
	       (got->found && f->found ? !strcmp(got->found, f->found) : got->found == f->found) &&
	       got->why && !strcmp(got->why, f->why);
}

static const char *case_str(const struct ledger *l, uint32_t id, const char *none)
{
	return id == LEDGER_NONE ? none : ledger_str(l, id) ? ledger_str(l, id) : "?";
}

/* Print what the oracle found, in the findings' own notation, to show where a case differs. */
static void case_print_findings(const struct ledger *l, const struct oracle_result *r)
{
	size_t i;

	print_error("the oracle's %zu findings:\n", r->nfindings);
	for (i = 0; i < r->nfindings; i++) {
		const struct oracle_finding *f = &r->findings[i];
		print_error("  %s %s %s %s %s expected=%s found=%s why=%s\n",
			    case_str(l, f->table, "-"), case_str(l, f->key, "-"),
			    f->field == LEDGER_ROW ? "row" : case_str(l, f->field, "-"),
			    oracle_class_name(f->cls), oracle_window_name(f->window),
			    f->expected == LEDGER_DELETED ? "<deleted>"
			    : f->expected == LEDGER_PRESENT ? "<present>" : case_str(l, f->expected, "NULL"),
			    f->found ? f->found : f->found_null ? "NULL" : f->found_absent ? "<absent>" : "(none)",
			    f->why ? f->why : "(none)");
	}
}

/*
** The findings are those the case lists, one for one.  And every reason
** is the result's own: one that names a probe's error is a copy (findings
** outlive the probes: the CSV export writes them after they are gone).
*/
static void case_check_findings(const struct oracle_case *tc, const struct ledger *l,
				const struct oracle_result *r, const struct probe_table *pts, size_t npts)
{
	const char *text = tc->findings;
	struct case_line ln[CASE_FINDINGS + 1];   /* one more, to tell a case that lists too many */
	struct case_finding want[CASE_FINDINGS];
	int used[CASE_FINDINGS] = { 0 };
	size_t n, i, j;

	for (n = 0; case_next_line(tc, &text, " why=", &ln[n]); n++) {
		if (n == CASE_FINDINGS)
			fail_msg("%s: more than %d findings", tc->name, CASE_FINDINGS);
		case_finding_parse(&ln[n], l, &want[n]);
	}
	if (r->nfindings != n) {
		case_print_findings(l, r);
		fail_msg("%s: %zu findings, the case lists %zu", tc->name, r->nfindings, n);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n && (used[j] || !case_same(&r->findings[j], &want[i])); j++)
			;
		if (j == n) {
			case_print_findings(l, r);
			fail_msg("%s: no finding '%s'", tc->name, ln[i].text);
		}
		used[j] = 1;
	}
	for (i = 0; i < r->nfindings; i++)
		for (j = 0; j < npts; j++)
			if (pts[j].error && r->findings[i].why == pts[j].error)
				fail_msg("%s: a finding's reason is the probe's own error string", tc->name);
}

/* ---- the test ---- */

/* A cmocka test: run the case *state points to. */
static void case_run(void **state)
{
	const struct oracle_case *tc = *state;
	struct oracle_input in;
	struct oracle_result r;
	struct case_decls decls;
	struct case_counts want;
	struct probe_table *pts;
	struct ledger l;
	size_t npts;

	ledger_init(&l);
	case_ledger(tc, &l);
	pts = case_probes(tc, &npts);
	case_decls(tc, &decls);
	case_counts(tc, &want);

	memset(&in, 0, sizeof(in));
	in.ledger = &l;
	in.probes = pts;
	in.nprobes = npts;
	in.incident_start = -1;
	in.incident_end = 100;
	if (tc->incident) {
		const char *text = tc->incident;
		struct case_line ln;
		if (!case_next_line(tc, &text, NULL, &ln) || ln.n != 2)
			fail_msg("%s: incident: expected 'START END'", tc->name);
		in.incident_start = case_int(&ln, ln.w[0]);
		in.incident_end = case_int(&ln, ln.w[1]);
	}
	in.defaults = decls.defaults;
	in.ndefaults = decls.ndefaults;
	in.renames = decls.renames;
	in.nrenames = decls.nrenames;
	oracle_check(&in, &r);

	case_check_counts(tc, &r, &want);
	case_check_findings(tc, &l, &r, pts, npts);
	oracle_result_release(&r);
	case_decls_release(&decls);
	probe_tables_free(pts, npts);
	ledger_release(&l);
}

#endif
