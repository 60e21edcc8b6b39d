/*
** The renderers against golden files: a scorecard built by hand is
** rendered as JSON and as plain and coloured terminal text, and compared
** byte for byte with tests/golden/.  MDRILL_UPDATE_GOLDEN=1 rewrites them.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../scoring/record.h"
#include "../sim/base/alloc.h"

static void build(struct scorecard *s)
{
	static const char *const names[] = { "rows", "busy" }, *const vals[] = { "200", "500" };
	size_t i;

	memset(s, 0, sizeof(*s));
	s->scenario = xstrdup("phone-not-null");
	s->title = xstrdup("A NOT NULL column the old code does not fill");
	s->essay = xstrdup("rolling-forward-beats-rolling-back");
	s->engine = xstrdup(dialect_name(DIALECT_SQLITE));
	s->seed = 7;
	s->nparams = 2;
	s->param_names = xcalloc(2, sizeof(char *));
	s->param_values = xcalloc(2, sizeof(char *));
	for (i = 0; i < 2; i++) {
		s->param_names[i] = xstrdup(names[i]);
		s->param_values[i] = xstrdup(vals[i]);
	}
	s->busy = 500;
	s->roll_forward = -1;
	s->nversions = 2;
	s->versions = xcalloc(2, sizeof(char *));
	s->versions[0] = xstrdup("v1");
	s->versions[1] = xstrdup("v2");
	s->committed = xcalloc(2, sizeof(*s->committed));
	s->failed = xcalloc(2, sizeof(*s->failed));
	s->committed[0][PH_BEFORE] = 90;
	s->committed[0][PH_INCIDENT] = 12;
	s->failed[0][PH_INCIDENT] = 30;
	s->committed[1][PH_INCIDENT] = 25;
	s->committed[1][PH_AFTER] = 4;
	s->failed[1][PH_AFTER] = 61;
	s->committed[0][PH_AFTER] = 70;
	s->bad.name = xstrdup("bad");
	s->bad.label = xstrdup("bad");
	s->bad.ran = s->bad.completed = 1;
	s->bad.statements = s->bad.applied = 6;
	s->bad.start = 1500;
	s->bad.end = 1560;
	s->fix.name = xstrdup("down");
	s->fix.label = xstrdup("down migration");
	s->fix.ran = s->fix.completed = 1;
	s->fix.statements = s->fix.applied = 1;
	s->fix.start = 3500;
	s->fix.end = 3571;
	s->fix.waited = 64;
	s->fix_is_down = 1;
	s->end_tick = 7000;
	s->last_tick = 7003;
	s->total.expected = 2000;
	s->total.n[OC_PRESERVED] = 1960;
	s->total.n[OC_LOST_FIELD] = 40;
	s->win[OW_SEED].expected = s->win[OW_SEED].n[OC_PRESERVED] = 1700;
	s->win[OW_INCIDENT].expected = 300;
	s->win[OW_INCIDENT].n[OC_PRESERVED] = 260;
	s->win[OW_INCIDENT].n[OC_LOST_FIELD] = 40;
	s->ratio = 0.98;
	s->nfindings = 40;
	s->nexamples = 1;
	s->examples = xcalloc(1, sizeof(*s->examples));
	s->examples[0].cls = OC_LOST_FIELD;
	s->examples[0].window = OW_INCIDENT;
	s->examples[0].table = xstrdup("users");
	s->examples[0].key = xstrdup("1012");
	s->examples[0].field = xstrdup("phone_number");
	s->examples[0].expected = xstrdup("555-01\"7\"\\x");
	s->examples[0].why = xstrdup("NULL where a value was acknowledged");
	s->nnotes = 1;
	s->notes = xcalloc(1, sizeof(char *));
	s->notes[0] = xstrdup("column 'users.phone_number' is gone from the final schema");
	s->blocked_max = 35;
	s->blocked_total = 400;
	s->drill_blocked_max = 41;
	s->after_committed = 74;
	s->after_failed = 61;
	s->after_top.version = xstrdup("v2");
	s->after_top.error_class = xstrdup("missing-object");
	s->after_top.message = xstrdup("table users has no column named phone_number");
	s->nreasons = 2;
	s->reasons = xcalloc(2, sizeof(char *));
	s->reasons[0] = xstrdup("40 of 2000 facts not preserved");
	s->reasons[1] = xstrdup("61 transactions failed after the fix");
	s->score = 26;
	/* A little of the drill over time, for the plots. */
	s->bucket_ticks = 71;
	s->series_committed = xcalloc(2, sizeof(*s->series_committed));
	s->series_failed = xcalloc(2, sizeof(*s->series_failed));
	for (i = 0; i < SCORECARD_BUCKETS; i++) {
		s->series_committed[0][i] = i < 21 || i > 49 ? 4 : 1;
		s->series_failed[0][i] = i >= 21 && i <= 49 ? 3 : 0;
		s->series_committed[1][i] = i > 30 ? 2 : 0;
		s->series_failed[1][i] = i > 50 ? 2 : 0;
	}
	/* All writers' waits, and of them the fix's: blocked_total in all. */
	s->series_blocked[48] = 380;
	s->series_blocked[49] = 300;
	s->series_blocked[50] = 200;
	s->series_blocked_fix[49] = 250;
	s->series_blocked_fix[50] = 150;
	s->nmarkers = 3;
	s->markers = xcalloc(3, sizeof(*s->markers));
	s->markers[0].label = xstrdup("bad migration");
	s->markers[0].tick = 1500;
	s->markers[1].label = xstrdup("down migration starts");
	s->markers[1].tick = 3500;
	s->markers[2].label = xstrdup("down migration ends");
	s->markers[2].tick = 3571;
}

static void check_golden(const char *name, const struct strbuf *got)
{
	char path[256];
	struct strbuf want = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "tests/golden/%s", name);
	if (getenv("MDRILL_UPDATE_GOLDEN")) {
		f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(got->buf, 1, got->len, f);
		fclose(f);
	}
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&want, buf, n);
	fclose(f);
	assert_string_equal(got->buf, want.buf);
	strbuf_release(&want);
}

static void json_golden(void **state)
{
	struct scorecard s;
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&s);
	report_find("json")->render(&s, &out, 0);
	check_golden("report.json", &out);
	/* Escaping: the quote and backslash in the example survive as JSON escapes. */
	assert_non_null(strstr(out.buf, "\"expected\":\"555-01\\\"7\\\"\\\\x\""));
	strbuf_release(&out);
	scorecard_release(&s);
}

static void terminal_golden(void **state)
{
	struct scorecard s;
	struct strbuf plain = STRBUF_INIT, color = STRBUF_INIT;
	(void)state;
	build(&s);
	report_terminal_render(&s, &plain, 0);
	report_terminal_render(&s, &color, REPORT_COLOR);
	check_golden("report.txt", &plain);
	assert_null(strchr(plain.buf, '\033'));
	assert_non_null(strstr(color.buf, "\033[31mFAIL"));
	assert_non_null(strstr(plain.buf, "Verdict: FAIL   score 26/100"));
	assert_non_null(strstr(plain.buf, "lost_field users[1012].phone_number (incident)"));
	strbuf_release(&plain);
	strbuf_release(&color);
	scorecard_release(&s);
}

static void markdown_golden(void **state)
{
	struct scorecard s;
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&s);
	report_for_ext("md")->render(&s, &out, 0);
	check_golden("report.md", &out);
	/* The verdict and the figures a review quotes, and a pipe kept out of the tables. */
	assert_non_null(strstr(out.buf, "FAIL, score 26/100"));
	assert_non_null(strstr(out.buf, "| incident | 300 | 260 | 0 | 40 | 0 | 0 | 0.8667 |"));
	assert_non_null(strstr(out.buf, "- 61 transactions failed after the fix"));
	strbuf_release(&out);
	scorecard_release(&s);
}

static void html_golden(void **state)
{
	struct scorecard s;
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&s);
	report_for_ext("html")->render(&s, &out, 0);
	check_golden("report.html", &out);
	/* Self-contained: no script, nothing fetched; escaped; the verdict up front. */
	assert_null(strstr(out.buf, "<script"));
	assert_null(strstr(out.buf, "src="));
	assert_null(strstr(out.buf, "href="));
	assert_non_null(strstr(out.buf, "555-01&quot;7&quot;\\x"));
	assert_non_null(strstr(out.buf, "id=\"verdict\">FAIL</span>, score 26/100"));
	strbuf_release(&out);
	scorecard_release(&s);
}

/* Write text to a scratch file; its path. */
static const char *scratch(const char *text)
{
	static char path[64];
	FILE *f;
	snprintf(path, sizeof(path), "/tmp/mdrill-record-test-%ld.json", (long)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/*
** A live drill's record reads back as written: its seed to the last bit
** (a seed past 2^63 is written as the signed number it is in C), the
** scorecard as compact JSON, the actions in order; what is not a
** record is refused, naming the file.
*/
static void record_reads_back(void **state)
{
	static const char *const seeds[][2] = {
		{ "-1", "18446744073709551615" },
		{ "9007199254740993", "9007199254740993" },
		{ "7", "7" },
	};
	struct live_record rec;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	char want[32];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		strbuf_reset(&text);
		strbuf_addf(&text, "{\"record\": \"mdrill live drill\", \"scenario\": \"tiny\", \"engine\": \"sqlite\", "
			    "\"seed\": %s, \"sets\": [[\"rows\", \"50\"]], \"actions\": [{\"kind\": \"apply\", "
			    "\"tick\": 120, \"wall_s\": 1.5, \"what\": \"fix.sql\", \"text\": \"SELECT 1;\", "
			    "\"statements\": [{\"sql\": \"SELECT 1\", \"line\": 1}]}, {\"kind\": \"end\", "
			    "\"tick\": 300}], \"scorecard\": {\"verdict\": \"pass\",  \"score\": 97}}", seeds[i][0]);
		assert_int_equal(record_read(scratch(text.buf), &rec, &err), 0);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)rec.seed);
		assert_string_equal(want, seeds[i][1]);
		assert_int_equal(rec.nsets, 1);
		assert_string_equal(rec.sets[0].value, "50");
		assert_int_equal(rec.nactions, 2);
		assert_int_equal(rec.actions[0].tick, 120);
		assert_int_equal(rec.actions[0].script.nr, 1);
		assert_int_equal(rec.actions[1].kind, LIVE_END);
		/* Compact, its values' text as written: what 'mdrill replay' compares with its own. */
		assert_string_equal(rec.scorecard, "{\"verdict\":\"pass\",\"score\":97}");
		record_release(&rec);
	}
	assert_int_equal(record_read(scratch("{\"mdrill\": \"check\"}"), &rec, &err), -1);
	assert_non_null(strstr(err.buf, "not a live drill's record"));
	assert_non_null(strstr(err.buf, "/tmp/mdrill-record-test-"));
	record_release(&rec);
	unlink(scratch(""));
	strbuf_release(&err);
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_golden),
		cmocka_unit_test(terminal_golden),
		cmocka_unit_test(markdown_golden),
		cmocka_unit_test(html_golden),
		cmocka_unit_test(record_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
