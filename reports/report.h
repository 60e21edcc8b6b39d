/*
** Renderers: one per output format, each turning a finished scorecard into
** text.  They read nothing else, so any format can be tested from a
** hand-built scorecard and compared with a golden file.
*/
#ifndef MDRILL_REPORT_H
#define MDRILL_REPORT_H

#include "../scoring/scorecard.h"
#include "../sim/base/strbuf.h"

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

/** The format called name ("terminal", "json"), or NULL. */
const struct report_format *report_find(const char *name);

/** Append s to out escaped for XML text and attributes; NULL becomes "NULL". */
void xml_add_escaped(struct strbuf *out, const char *s);

/** Append s to out as a JSON string, quotes included; NULL becomes null. */
void json_add_string(struct strbuf *out, const char *s);

#endif
