/*
** What run and compare share: their options, parsed into one struct; the
** scenario loaded with its overrides and flag flips; the engine picked by
** --db; and the pipeline request built from them, with progress shown on
** a terminal.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_DRILLOPTS_H
#define MDRILL_DRILLOPTS_H

#include "../scoring/pipeline.h"
#include "../sim/input/faults.h"
#include "../sim/input/scenario.h"
#include "cli.h"

/* Option ids of run and compare. */
enum {
	OPT_FIX, OPT_DOWN, OPT_DB, OPT_CONCURRENT, OPT_SEED, OPT_SEEDS, OPT_FAULTS, OPT_SET,
	OPT_FLAG_OFF, OPT_JSON, OPT_REPORT, OPT_CSV, OPT_KEEP, OPT_STATEMENT_TIMEOUT, OPT_ALLOW_SUPERUSER,
	OPT_MAX_MEMORY, OPT_SHARD,
	OPT_END_   /* a command's own option ids start here */
};

/* The rows of their option tables, one spelling for both. */
#define OPTION_FIX { OPT_FIX, "--fix", "FILE", 0, \
	"the fix migration under test, applied at the timeline's 'fix': a path, or relative to the " \
	"scenario's directory (fixes/make-nullable.sql); a .sql file or a migration tool's directory " \
	"(Flyway, golang-migrate, dbmate, sqitch)" }
#define OPTION_DOWN { OPT_DOWN, "--down", "FILE", CLI_OPTIONAL, \
	"apply a down migration in the fix slot, the rollback baseline: the scenario's own, or with " \
	"FILE (after the scenario's name, or --down=FILE) the team's own, in any layout --fix takes, " \
	"Flyway undo scripts and Alembic's offline SQL included" }
#define OPTION_DOWN_FILE { OPT_DOWN, "--down", "FILE", 0, \
	"the team's own down migration instead of the scenario's, in any layout --fix takes" }
#define OPTION_DB { OPT_DB, "--db", "TARGET", 0, \
	"sqlite (the default), postgres://USER@HOST:PORT/DBNAME?... (a server and its maintenance " \
	"database, where mdrill creates and drops its own database), or postgres: for the PG* " \
	"environment variables" }
#define OPTION_CONCURRENT { OPT_CONCURRENT, "--concurrent", NULL, 0, \
	"PostgreSQL only: clients' statements overlap on the server, as with pgbench" }
#define OPTION_SEED { OPT_SEED, "--seed", "N", 0, \
	"the PRNG seed (default 1): the schedule and the generated values" }
#define OPTION_SEEDS { OPT_SEEDS, "--seeds", "A..B", 0, \
	"swarm mode: the drill under every seed from A to B, one process per core; prints the " \
	"distribution of scores, the worst seed and the command that reproduces it" }
#define OPTION_SHARD { OPT_SHARD, "--shard", "K/N", 0, \
	"with --seeds: run only shard K of N (seed S goes to shard (S-1) mod N + 1), one machine's part; " \
	"'mdrill merge' joins the shards' --json" }
#define OPTION_FAULTS { OPT_FAULTS, "--faults", "LIST", 0, \
	"faults, comma-separated: fix-crash=K|all, kill-client[=N], busy=TICKS, slow-fix=TICKS, " \
	"disk-full=BYTES, ioerr[=N], fix-timeout=MS, each optionally @TICK; random with --seeds" }
#define OPTION_SET { OPT_SET, "--set", "NAME=VALUE", CLI_REPEAT, \
	"override a parameter of the scenario (repeatable); an unknown name is an error" }
#define OPTION_FLAG_OFF { OPT_FLAG_OFF, "--flag-off", "NAME@TICK", CLI_REPEAT, \
	"switch feature flag NAME off at TICK (repeatable)" }
#define OPTION_JSON { OPT_JSON, "--json", NULL, 0, \
	"print the JSON scorecard instead of the terminal one" }
#define OPTION_REPORT { OPT_REPORT, "--report", "FILE", 0, \
	"also write a report, its format from the extension: FILE.html a self-contained page with " \
	"the timeline drawn, FILE.md a Markdown summary, FILE.json the JSON" }
#define OPTION_CSV { OPT_CSV, "--csv", "DIR", 0, \
	"also write transactions.csv, facts.csv, findings.csv and timeline.csv into DIR (made if missing)" }
#define OPTION_KEEP { OPT_KEEP, "--keep", NULL, 0, \
	"keep the disposable database and print where it is on stderr" }
#define OPTION_STATEMENT_TIMEOUT { OPT_STATEMENT_TIMEOUT, "--statement-timeout", "DURATION", 0, \
	"stop any statement still running after DURATION (500ms, 30s, 5m; default 60s, 0 for none): " \
	"in the fix a failed fix, in the scenario's set-up an error" }
#define OPTION_ALLOW_SUPERUSER { OPT_ALLOW_SUPERUSER, "--allow-superuser", NULL, 0, \
	"PostgreSQL: run even when --db connects as a superuser (a throwaway server only: the " \
	"drill's SQL then runs with a superuser's powers)" }
#define OPTION_MAX_MEMORY { OPT_MAX_MEMORY, "--max-memory", "SIZE", 0, \
	"refuse a drill whose seed rows would take more memory than SIZE (512M, 4G; default half " \
	"of this machine's memory, shared by swarm mode's workers)" }

struct drill_opts_cli {
	const struct cli_command *cmd;
	const char *scenario;
	const char *fix;
	int down;
	const char *down_file;   /* the team's own down migration, in a tool's layout */
	int last_was_down;       /* the option just read was --down without a value */
	int down_then_scenario;  /* the scenario's name came right after such a --down */
	struct fault_list faults;
	int random_faults;       /* --faults random: each seed picks its own (swarm) */
	int swarm;               /* --seeds A..B given */
	uint64_t seed_from, seed_to;
	uint64_t shard_k, shard_n;   /* --shard K/N, 0 for none */
	uint64_t seed;
	int seed_given;
	struct param_set *sets;
	size_t nsets, sets_alloc;
	int json;
	int keep;
	int concurrent;
	const char *db;
	const char *report;
	const char *csv;
	struct flip { const char *name; long tick; } *flips;
	size_t nflips, flips_alloc;
	long statement_timeout_ms;   /* -1: the default */
	int allow_superuser;
	uint64_t max_memory;         /* 0: half of the machine's memory */
};

/**
 * Parse argv for cmd (run or compare) into o.  Returns 0, CLI_HELPED, or
 * an exit status after saying why.  Release o with drillopts_release, also
 * after a failure.
 */
int drillopts_parse(const struct cli_command *cmd, int argc, char **argv, struct drill_opts_cli *o);
void drillopts_release(struct drill_opts_cli *o);

/**
 * Load the scenario with the overrides and flips, pick the engine, check
 * the faults it cannot have, and catch signals.  Returns 0 or an exit
 * status after saying why; *sc is the caller's to free, also then.
 */
int drillopts_prepare(struct drill_opts_cli *o, struct scenario **sc, const struct db_driver **drv);

/**
 * "500ms", "30s", "5m" or a number of milliseconds into *ms; 0 is none.
 * Returns -1 when s is none of them.
 */
int drillopts_parse_duration(const char *s, long *ms);

/** The memory limit when none is given: half of this machine's memory. */
uint64_t drillopts_default_memory(void);

/**
 * Remove what dead runs of this host left for drv at target (the start of
 * every drill command), saying on stderr what went.
 */
void drillopts_gc(const struct db_driver *drv, const char *target);

/**
 * A pipeline's DRILL_E* said on stderr as an exit status: bad input 2,
 * interrupted 130 (the database removed), the engine 3; 0 stays 0.
 */
int drillopts_exit(int rc, const char *msg);

/** A pipeline request for o: seed, faults, --db, --concurrent, --keep, the stop flag, progress. */
void drillopts_request(const struct drill_opts_cli *o, struct pipeline_request *req);

/**
 * pipeline_chaos for req, then --csv (from the held drill, into a
 * directory made as mkdir -p would) and "kept the drill database at" for
 * --keep, each said on stderr.  which is NULL for run's one drill, or
 * "down" or "fix" for compare's two: the CSV files then go into DIR/down
 * and DIR/fix, and the messages say which run is which.  Returns 0, or an
 * exit status after saying why; out is the caller's to release.
 */
int drillopts_score(const struct drill_opts_cli *o, const struct scenario *sc, const struct db_driver *drv,
		    const struct pipeline_request *req, const char *which, struct pipeline_result *out);

#endif
