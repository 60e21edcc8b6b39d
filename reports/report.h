/*
** Renderers: one per output format, each turning a finished scorecard into
** text.  They read nothing else, so any format can be tested from a
** hand-built scorecard and compared with a golden file.
*/
#ifndef MDRILL_REPORT_H
#define MDRILL_REPORT_H

#include "../scoring/scorecard.h"
#include "../sim/base/strbuf.h"
#include "../sim/engine/swarm.h"

#define REPORT_COLOR (1u << 0)   /* terminal: ANSI colours */

struct report_format {
	const char *name;
	const char *ext;
	void (*render)(const struct scorecard *s, struct strbuf *out, unsigned flags);
};

void report_terminal_render(const struct scorecard *s, struct strbuf *out, unsigned flags);
void report_json_render(const struct scorecard *s, struct strbuf *out, unsigned flags);
void report_markdown_render(const struct scorecard *s, struct strbuf *out, unsigned flags);
void report_html_render(const struct scorecard *s, struct strbuf *out, unsigned flags);
/** The compare page: both runs' timelines side by side on the same axes. */
void report_compare_html_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags);

/** The format whose file extension ext is ("md", "json", ...), or NULL. */
const struct report_format *report_for_ext(const char *ext);
/** The down migration's and the fix's scorecards side by side (mdrill compare). */
void report_compare_render(const struct scorecard *down, const struct scorecard *fix,
			   struct strbuf *out, unsigned flags);

struct drill;
struct oracle_result;
/**
 * Write transactions.csv, facts.csv, findings.csv and timeline.csv into
 * dir (which must exist).  Returns 0, or -1 with the reason in err.
 */
int report_csv_write(const char *dir, const struct drill *d, const struct oracle_result *r,
		     const struct scorecard *s, struct strbuf *err);

/* A finished swarm: what ran, every seed's row, and how to rerun the worst. */
struct swarm_report {
	const char *scenario, *engine;
	uint64_t from, to;
	const struct swarm_result *result;
	const char *reproduce;           /* the shell command that reruns the worst seed */
};

/** The swarm's distribution of scores, its worst seed and how to reproduce it. */
void report_swarm_render(const struct swarm_report *r, struct strbuf *out, unsigned flags);
/** The same as JSON, with every seed's result. */
void report_swarm_json_render(const struct swarm_report *r, struct strbuf *out, unsigned flags);

/* JUnit XML, built a test case at a time (mdrill check --junit). */
struct junit {
	struct strbuf cases;
	int tests, failures;
};

#define JUNIT_INIT { STRBUF_INIT, 0, 0 }

/** Add a test case named name of suite; failure is NULL when it passed. */
void report_junit_add(struct junit *j, const char *suite, const char *name, const char *failure);
/** The whole document, one test suite called suite_name, onto out. */
void report_junit_render(const struct junit *j, const char *suite_name, struct strbuf *out);
void report_junit_release(struct junit *j);

/** The format called name ("terminal", "json"), or NULL. */
const struct report_format *report_find(const char *name);

/*
** Text from the drill (SQL, messages, values) for a terminal or Markdown:
** control characters (C0, DEL, C1) shown as \n, \t, \x1b, \u009b.
*/
struct report_esc {
	char **v;
	size_t nr, alloc;
};

#define REPORT_ESC_INIT { NULL, 0, 0 }

/** s escaped onto out. */
void report_add_text(struct strbuf *out, const char *s);
/**
 * s escaped: s itself when it needs nothing (NULL stays NULL), else a
 * copy the pool owns until report_esc_release.
 */
const char *report_esc(struct report_esc *pool, const char *s);
void report_esc_release(struct report_esc *pool);

/** Append s to out escaped for XML text and attributes; NULL becomes "NULL". */
void xml_add_escaped(struct strbuf *out, const char *s);

/** Append s to out as a JSON string, quotes included; NULL becomes null. */
void json_add_string(struct strbuf *out, const char *s);

#endif
