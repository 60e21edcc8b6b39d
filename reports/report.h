/*
** Renderers: one per output format, each turning a finished scorecard into
** text.  They read nothing else, so any format can be tested from a
** hand-built scorecard and compared with a golden file.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_REPORT_H
#define MDRILL_REPORT_H

#include "../scoring/live.h"
#include "../scoring/record.h"
#include "../scoring/scorecard.h"
#include "../scoring/shard.h"
#include "../scoring/trial.h"
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
/** The compare page: both runs' timelines on the same axes, and the figures as a table. */
void report_compare_html_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags);

/** The format whose file extension ext is ("md", "json", ...), or NULL. */
const struct report_format *report_for_ext(const char *ext);

/* mdrill compare: the down migration's and the fix's scorecards side by side. */

/* One figure of the comparison, as text for each run. */
struct compare_row {
	char what[64];
	int sub;                 /* a part of the figure above it */
	char down[32], fix[32];
	int differ;              /* the two runs differ on it */
	int verdict;             /* the verdict's row */
};
#define REPORT_COMPARE_ROWS 24

/** The figures of the comparison, in order, into rows (REPORT_COMPARE_ROWS of room); how many. */
size_t report_compare_rows(const struct scorecard *down, const struct scorecard *fix, struct compare_row *rows);
/**
 * How the two runs are named: the team's down file or "(the rollback)",
 * and the fix's label; with short_names, the last part of a path only.
 */
void report_compare_labels(const struct scorecard *down, const struct scorecard *fix, const char **dlabel,
			   const char **flabel, int short_names);
/** The terminal's side-by-side. */
void report_compare_render(const struct scorecard *down, const struct scorecard *fix,
			   struct strbuf *out, unsigned flags);
/** A Markdown table of the same figures, for a review or a pull request. */
void report_compare_markdown_render(const struct scorecard *down, const struct scorecard *fix,
				    struct strbuf *out, unsigned flags);
/** {"down": {...}, "fix": {...}}, each a full scorecard. */
void report_compare_json_render(const struct scorecard *down, const struct scorecard *fix,
				struct strbuf *out, unsigned flags);

struct report_compare_format {
	const char *name;
	const char *ext;
	void (*render)(const struct scorecard *down, const struct scorecard *fix, struct strbuf *out,
		       unsigned flags);
};

/** The comparison's format whose file extension ext is ("html", "md", "json"), or NULL. */
const struct report_compare_format *report_compare_for_ext(const char *ext);

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
	uint64_t shard_k, shard_n;       /* the shard that ran (--shard K/N), 0 for all */
	const struct swarm_result *result;
	const char *reproduce;           /* the shell command that reruns the worst seed */
};

/** The swarm's distribution of scores, its worst seed and how to reproduce it. */
void report_swarm_render(const struct swarm_report *r, struct strbuf *out, unsigned flags);
/** The same as JSON, with every seed's result. */
void report_swarm_json_render(const struct swarm_report *r, struct strbuf *out, unsigned flags);

/* What a live drill's record says beside the drill itself. */
struct live_meta {
	const char *scenario, *scenario_path;   /* as the drill found it */
	const char *team;                       /* NULL when unnamed */
	const char *started;                    /* UTC, ISO 8601 */
	int surprise;
	const struct param_set *sets;           /* --set overrides */
	size_t nsets;
};

/**
 * A live drill's record, JSON: what ran, the drill's figures, every action
 * with its tick, wall time and the statements it applied, and the
 * scorecard exactly as report_json_render writes it (what replay compares).
 */
void report_live_record_render(const struct live *l, const struct live_meta *m, struct strbuf *out);

/* The dashboard of a live drill: what the team sees while it runs. */
struct dashboard {
	const struct live *live;
	const char *scenario;        /* "(a surprise)" until the end */
	const char *team;
	const char *database;        /* how to reach it: a file for sqlite3, a conninfo for psql */
	const char *control;         /* the control socket */
	double wall;                 /* seconds since the drill began */
	double speed;                /* ticks per second */
	double limit;                /* the time limit, seconds (--minutes) */
	int ending;                  /* 'end' came: the cool-down and the probes run */
	const char *out;             /* where the record and reports go (--out), or NULL */
	const char *report;          /* the end: the HTML report, as the page links to it, or NULL */
	const char *footer;          /* a last line, or NULL */
};

#define REPORT_PLAIN (1u << 1)   /* dashboard: one plain line */
#define REPORT_SCREEN (1u << 2)  /* dashboard: clear the terminal and draw from its top */

/**
 * The dashboard as a screen (the clock, elapsed and left; the incident
 * and the recovery; facts lost, by what lost them, and facts at risk;
 * writers waiting on a migration's or a team's lock; transactions per
 * second per app version on one scale, from a minute before the
 * incident; the errors of the last seconds; the actions), or with
 * REPORT_PLAIN one line.  REPORT_SCREEN redraws a terminal from its top;
 * REPORT_COLOR adds colours.
 */
void report_dashboard_render(const struct dashboard *db, struct strbuf *out, unsigned flags);
/**
 * The same as a self-contained page that reloads itself every second;
 * once the drill is judged, the verdict, the figures and a link to the
 * report, and it reloads no more.
 */
void report_dashboard_html_render(const struct dashboard *db, struct strbuf *out, unsigned flags);
/**
 * The same as one JSON object ('mdrill drill status --json', and the
 * status.json the workshop board reads): the clock, facts at risk and
 * lost (by cause), rates and failure rates per app version, writers
 * waiting, recovery, whether it ended, and once judged the verdict.
 */
void report_dashboard_json_render(const struct dashboard *db, struct strbuf *out);

/** Teams' records ranked: verdict, preservation, time to recovery, blocking (terminal, md or html). */
void report_leaderboard_render(const struct live_record *const *recs, size_t n, const char *format,
			       struct strbuf *out);

/* A drill the workshop board watches: ended (its record is there) or running (its status). */
struct board_team {
	const char *dir;                 /* its --out */
	const struct live_record *rec;   /* ended: its record; NULL while it runs */
	const struct live_status *st;    /* its last status, or NULL */
	double quiet_s;                  /* seconds since it last wrote its status */
};

/* A running drill whose status is older than this has gone without a record. */
#define REPORT_BOARD_QUIET_S 10

/**
 * The workshop board: every team on one page that reloads itself, the
 * drills that ended ranked as the leaderboard ranks them, those running
 * with their clock, facts lost and at risk, and recovery.  what says
 * where the board looks ("DIR"), for the page.
 */
void report_board_html_render(const struct board_team *v, size_t n, const char *what, struct strbuf *out);

/**
 * mdrill check's results as JSON, for 'mdrill merge': the seed, the shard,
 * every template's line with its engine and verdict, the counts.
 */
void report_check_json_render(const struct check_results *r, struct strbuf *out);

/* mdrill try's verdict. */

/** The terminal's: the migration, old code's transactions, writers' waits, the data, the down migration. */
void report_try_render(const struct trial *t, struct strbuf *out, unsigned flags);
/** A Markdown comment short enough for a pull request: the verdict, its reasons, the figures. */
void report_try_markdown_render(const struct trial *t, struct strbuf *out, unsigned flags);
/** A self-contained HTML page of the same. */
void report_try_html_render(const struct trial *t, struct strbuf *out, unsigned flags);
/** The same as JSON (mdrill try --json). */
void report_try_json_render(const struct trial *t, struct strbuf *out, unsigned flags);
/**
 * try's findings as SARIF 2.1.0, for code scanning: a result per failing
 * lock finding, old code's transaction the migration broke, data lost,
 * the migration or its down failing, and a table not judged, each at the
 * migration's file and line where known.
 */
void report_try_sarif_render(const struct trial *t, struct strbuf *out, unsigned flags);
/** try's checks as JUnit XML: the migration, old code's transactions, the data, each lock finding, the down. */
void report_try_junit_render(const struct trial *t, struct strbuf *out, unsigned flags);

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

/** "s" unless n is 1, for "%lld tick%s". */
const char *report_s(long long n);

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
