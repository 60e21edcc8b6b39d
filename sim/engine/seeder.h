/*
** Seeding: fill the starting tables with generated rows ('@seed T ROWS'
** with '@gen' lines) or rows from a CSV file ('@seed T csv=FILE', read with
** libcsv), and record every seeded value as a fact of the seed transaction.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SEEDER_H
#define MDRILL_SEEDER_H

#include <stdint.h>

#include "../db/db.h"
#include "ledger.h"
#include "../input/scenario.h"
#include "../base/strbuf.h"

/* What seeder_run returns besides 0. */
enum seeder_error {
	SEEDER_EDB = -1,     /* the database refused: err says why */
	SEEDER_EDATA = -2,   /* the scenario's data is at fault: err names the file and line or row */
};

/*
** Notes as seed facts in l the rows c's database holds before the seed
** (those a history's own INSERTs made); the seeder then keeps off their
** keys.  Returns 0, or -1 with err.  scoring's probe_adopt is one.
*/
typedef int (*seeder_adopt_fn)(void *ctx, const struct scenario *sc, const struct db_driver *drv,
			       struct db_conn *c, struct ledger *l, struct strbuf *err);

/* Told of the rows seeded so far of total (0 when a CSV's rows are not counted yet). */
typedef void (*seeder_progress_fn)(void *ctx, int64_t done, int64_t total);

/**
 * Insert the rows of every seed of sc through c, adding their facts to l
 * (the caller closes the seed transaction).  progress, optional, is told
 * how far it is after every batch.  Returns 0 or a SEEDER_E* code.
 */
int seeder_run(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
	       struct ledger *l, uint64_t seed, seeder_progress_fn progress, void *progress_ctx,
	       struct strbuf *err);

/**
 * seeder_run, its rows rolled back at the end whatever happens: does the
 * engine take the seed?  adopt (optional) notes the rows there before, as
 * a drill does.  *table receives the index in sc->seeds of the seed it
 * refused (-1 when none).  Returns 0 or a SEEDER_E* code.
 */
int seeder_try(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c, uint64_t seed,
	       seeder_adopt_fn adopt, int *table, struct strbuf *err);

#endif
