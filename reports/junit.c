/*
** JUnit XML, the format CI systems read test results in: one test case
** per fix template and engine of mdrill check.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

void report_junit_add(struct junit *j, const char *suite, const char *name, const char *failure)
{
	struct strbuf *x = &j->cases;

	j->tests++;
	strbuf_addstr(x, "  <testcase classname=\"");
	xml_add_escaped(x, suite);
	strbuf_addstr(x, "\" name=\"");
	xml_add_escaped(x, name);
	if (!failure) {
		strbuf_addstr(x, "\"/>\n");
		return;
	}
	j->failures++;
	strbuf_addstr(x, "\"><failure message=\"");
	xml_add_escaped(x, failure);
	strbuf_addstr(x, "\"/></testcase>\n");
}

void report_junit_render(const struct junit *j, const char *suite_name, struct strbuf *out)
{
	strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"");
	xml_add_escaped(out, suite_name);
	strbuf_addf(out, "\" tests=\"%d\" failures=\"%d\">\n%s</testsuite>\n</testsuites>\n", j->tests,
		    j->failures, j->cases.buf);
}

void report_junit_release(struct junit *j)
{
	strbuf_release(&j->cases);
	j->tests = j->failures = 0;
}
