/*
** What scaffold and try share: the options that name a history, its next
** migration and the engine, parsed into one struct and turned into the
** scaffold's request.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SCAFFOLDOPTS_H
#define MDRILL_SCAFFOLDOPTS_H

#include <stdint.h>

#include "../scoring/locks.h"
#include "../scoring/scaffold.h"
#include "../sim/input/scenario.h"
#include "cli.h"
#include "drillopts.h"

/* Option ids of scaffold and try, after the shared ones (OPTION_STATEMENT_TIMEOUT...). */
enum {
	SO_MIGRATIONS = OPT_END_, SO_NEW, SO_DOWN, SO_ENGINE, SO_DB, SO_OUT, SO_NAME, SO_TABLES, SO_WEIGHT, SO_FORCE,
	SO_REPORT, SO_JSON, SO_SEED, SO_SET, SO_ROWS, SO_MAX_WAIT, SO_CONFIG, SO_STATS,
};

/* The rows of their option tables, one spelling for both. */
#define OPTION_MIGRATIONS { SO_MIGRATIONS, "--migrations", "PATH", 0, \
	"the history, a directory or a file: a migration tool's directory (Flyway, golang-migrate, dbmate, " \
	"sqitch, Prisma, Atlas, Liquibase formatted SQL), plain .sql files (nested or not), or a schema dump " \
	"(pg_dump --schema-only, SQLite's .schema)" }
#define OPTION_NEW { SO_NEW, "--new", "FILE", 0, \
	"the new migration, the one under drill: a file as the history's tool keeps it" }
#define OPTION_DOWN_MIG { SO_DOWN, "--down", "FILE", 0, \
	"the new migration's down migration: what it loses is said in facts and examples" }
#define OPTION_ENGINE { SO_ENGINE, "--engine", "ENGINE", 0, \
	"sqlite (the default) or postgres (with --db): the engine the history runs on" }
#define OPTION_SCAFFOLD_DB { SO_DB, "--db", "TARGET", 0, \
	"the PostgreSQL server (postgres://... or postgres:), where mdrill creates and drops its own database" }
#define OPTION_TABLES { SO_TABLES, "--tables", "LIST", 0, \
	"drill only these tables (comma-separated); a table they reference and leave out makes them NULL or out" }
#define OPTION_STATS { SO_STATS, "--stats", "SOURCE", 0, \
	"a production database to read statistics from, and only read: postgres://.../DBNAME (pg_stats, " \
	"reltuples) or a SQLite file (counted); nullable columns hold NULLs at its rates, columns with few " \
	"distinct values repeat them, and try projects locks to its tables' sizes" }
#define OPTION_WEIGHT { SO_WEIGHT, "--weight", "TABLE=N", CLI_REPEAT, \
	"how often TABLE's transactions run against the others' (default 1; repeatable)" }

struct scaffold_cli {
	struct param_set *sets;  /* try's --set NAME=VALUE, each pointing into argv */
	size_t nsets, sets_alloc;
	const char *migrations, *newmig, *down, *engine, *db, *out, *name, *report;
	char **tables;           /* --tables, split */
	size_t ntables;
	struct scaffold_weight *weights;
	size_t nweights, weights_alloc;
	int force, json;
	long statement_timeout_ms;   /* -1: the default */
	int allow_superuser;
	uint64_t seed;
	const struct db_driver *drv;
	/* try's lock findings: production sizes (--rows TABLE=N, --rows N for the rest) and the budget. */
	struct locks_rows *rows;
	size_t nrows, rows_alloc;
	int64_t default_rows;
	long max_wait_ms;
	char **allow;            /* the config's 'allow FINDING[:TABLE]' lines */
	size_t nallow;
	const char *stats_source;   /* --stats */
	struct db_stats stats;      /* read from it; empty without */
};

/**
 * Parse argv for cmd (scaffold or try) into o and check it: --migrations
 * given, --new too for try (and for --down), the engine picked from
 * --engine and --db.  Returns 0,
 * CLI_HELPED, or an exit status after saying why.  Release o with
 * scaffoldopts_release, also after a failure.
 */
int scaffoldopts_parse(const struct cli_command *cmd, int argc, char **argv, struct scaffold_cli *o);
void scaffoldopts_release(struct scaffold_cli *o);

/** The scaffold's request for o (its name is the caller's to set). */
void scaffoldopts_request(const struct scaffold_cli *o, struct scaffold_opts *so);

#endif
