/*
** The scenario: what a .drill file says, parsed and validated.  A scenario
** is data: the starting schema, seed rows, the application versions and
** their transactions, the bad and down migrations, the timeline of the
** incident and the probes that define "data preserved".  The parser checks
** everything it can before anything runs, so a mistake in a file costs the
** instructor a FILE:LINE message, not a half-run drill.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SCENARIO_H
#define MDRILL_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "../base/dialect.h"
#include "../base/sqltext.h"
#include "faults.h"
#include "txdef.h"
#include "../base/strbuf.h"

/** One dialect's text of a SQL section (schema, migration, probe). */
struct sql_variant {
	int dialect;
	char *text;
	int line;      /* line of the first text line in the file */
};

struct sql_section {
	struct sql_variant *v;
	size_t nr, alloc;
};

struct seed_col {
	char *column;
	struct gen gen;
	int line;
};

struct seed {
	char *table;
	long rows;           /* generated rows; 0 with csv */
	char *csv;           /* path of a CSV file, resolved against the scenario */
	/*
	** 'key=a,b': the columns whose values, joined by '|', are the row's key
	** (a composite key); none: the first column is the key.
	*/
	char **key;
	size_t nkey;
	struct seed_col *cols;
	size_t ncols, alloc;
	int line;
};

struct appver {
	char *name;
	struct txdef *tx;
	size_t ntx, alloc;
	unsigned total_weight;
	int line;
};

struct migration {
	char *name;          /* "bad", "down", or a named forward migration */
	struct sql_section sql;
	int line;
};

enum tl_action {
	TL_START,
	TL_DEPLOY,
	TL_MIGRATE,
	TL_FIX,
	TL_END,
	TL_FLAG,
	TL_FAULT,
};

struct tl_event {
	long tick;
	enum tl_action action;
	int version;         /* index into apps, for start and deploy */
	int clients;         /* start */
	double fraction;     /* deploy */
	int migration;       /* index into migrations, for migrate */
	int flag;            /* index into flags, for flag */
	int flag_on;
	struct fault fault;  /* fault */
	int line;            /* 0 for an event from the command line */
};

struct probe {
	char *table;
	struct sql_section sql;
	int line;
};

/** '-- @default T.F VALUE': a value that means "nothing was kept". */
struct field_default {
	char *table;
	char *field;
	char *value;
};

/** '-- @untracked T.F': a bookkeeping column whose values are no facts. */
struct field_ref {
	char *table;
	char *field;
	int line;
};

/*
** '-- @renamed TABLE.COLUMN NEW' or '-- @renamed TABLE NEW': a migration
** renamed it, and the values stayed.  The oracle judges facts written
** under either name as one item, read under the new one.
*/
struct rename {
	char *table, *field;  /* field NULL: the table itself was renamed */
	char *to;
	int line;
};

/* '-- @file NAME' in a '-- @schema' block: where a file of the history begins. */
struct schema_file {
	char *name;
	int line;            /* the marker's line: the file's statements follow it */
	int dialect;         /* the block's */
};

struct param {
	char *name;
	char *value;
	int line;
};

struct scenario {
	char *path;          /* the .drill file */
	char *dir;           /* its directory, for fixes and data files */
	char *name;
	char *title;
	char *essay;
	struct strbuf story;
	struct param *params;
	size_t nparams, params_alloc;
	struct sql_section schema;
	struct seed *seeds;
	size_t nseeds, seeds_alloc;
	struct appver *apps;
	size_t napps, apps_alloc;
	struct migration *migrations;
	size_t nmigrations, migrations_alloc;
	struct tl_event *timeline;
	size_t ntimeline, timeline_alloc;
	struct probe *probes;
	size_t nprobes, probes_alloc;
	struct field_default *defaults;
	size_t ndefaults, defaults_alloc;
	struct field_ref *untracked;
	size_t nuntracked, untracked_alloc;
	struct rename *renames;
	size_t nrenames, renames_alloc;
	/*
	** What the rollback baseline comes to, per engine: '-- @expect
	** down=pass|fail [dialect]' its verdict (1, 0, -1 unsaid), and '-- @expect
	** down_apply=ok|fail[:CLASS] [dialect]' whether it applies (1, 0, -1
	** unsaid; a failure of that error class only, when one is named).
	*/
	int down_expect[DIALECT_COUNT];
	int down_apply[DIALECT_COUNT];
	char *down_apply_class[DIALECT_COUNT];
	char **flags;        /* feature flags named by '@flag' lines; all start on */
	size_t nflags, flags_alloc;
	int history;         /* '-- @history TOOL': enum history_tool, HISTORY_NONE without */
	struct schema_file *files;
	size_t nfiles, files_alloc;
};

/** A NAME=VALUE override from the command line. */
struct param_set {
	const char *name;
	const char *value;
};

/**
 * Parse and validate the .drill file at path, applying the overrides in
 * sets.  On success *out is a scenario that the caller frees with
 * scenario_free.  On failure returns -1 and err holds
 * "FILE:LINE: what was expected" (or a plain message for a bad override).
 */
int scenario_load(const char *path, const struct param_set *sets, size_t nsets,
		  struct scenario **out, struct strbuf *err);

/**
 * scenario_load on text, a scenario file's contents: path is where it
 * stands (its directory is the scenario's) and what messages name.
 */
int scenario_parse(const char *path, const char *text, const struct param_set *sets, size_t nsets,
		   struct scenario **out, struct strbuf *err);

/** Free sc and everything the parser built.  NULL is fine. */
void scenario_free(struct scenario *sc);

/** The value of parameter name, or NULL if the scenario has none. */
const char *scenario_param(const struct scenario *sc, const char *name);
/** A numeric parameter, or def when it is not set. */
double scenario_param_num(const struct scenario *sc, const char *name, double def);

/**
 * The text of section sec for dialect: the dialect's own variant when there
 * is one, else the variant written without a dialect; NULL if neither.
 */
const struct sql_variant *sql_section_pick(const struct sql_section *sec, int dialect);

/**
 * Is table.field marked '-- @untracked' (a revision counter, updated_at):
 * filled by the seeder but no fact the probes must return?
 */
int scenario_untracked(const struct scenario *sc, const char *table, const char *field);

/**
 * The table the drill records its migrations in (version, name, tick):
 * "schema_migrations", or "mdrill_history" when the scenario's schema is a
 * tool's history ('-- @history TOOL') and the tool's own table is there.
 */
const char *scenario_history_table(const struct scenario *sc);

/**
 * The statements of sc's schema for dialect onto out, each carrying the
 * name of the history file ('-- @file NAME') it belongs to, if any.
 * Nothing when the scenario has no schema for dialect.
 */
void scenario_schema_script(const struct scenario *sc, int dialect, struct sql_script *out);

/** Index of the migration called name, or -1. */
int scenario_migration(const struct scenario *sc, const char *name);
/** Index of the feature flag called name, or -1. */
int scenario_flag(const struct scenario *sc, const char *name);

/**
 * Turn flag name on or off at tick: the command line's --flag-off.  The
 * event goes into the timeline in tick order, before 'end'.  Returns 0, or
 * -1 with the reason in err.
 */
int scenario_flag_flip(struct scenario *sc, const char *name, long tick, int on, struct strbuf *err);

/** Index of the app version called name, or -1. */
int scenario_app(const struct scenario *sc, const char *name);

/**
 * Parse a generator expression such as "int(1,10)" or "existing(users)".
 * Returns 0, or -1 with the reason in err (no FILE:LINE prefix).  The
 * parameters of sc resolve ":name" arguments.  Free with gen_release.
 */
int gen_parse(const char *expr, const struct scenario *sc, int tx_context,
	      struct gen *out, struct strbuf *err);
void gen_release(struct gen *g);

/**
 * Parse the part after '@writes' (op FACT_OP_WRITE) or '@deletes'
 * (FACT_OP_DELETE) into a fact of tx, whose variables it may name; rest is
 * modified.  pgbench scripts carry these lines too: the pgbench reader
 * calls it through its pgbench_host.  Returns 0, or -1
 * with "path:line: what was expected" in err.
 */
int scenario_fact_parse(struct txdef *tx, char *rest, int op, const char *path, int line,
			struct strbuf *err);

#endif
