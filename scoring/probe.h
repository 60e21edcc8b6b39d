/*
** Probes: the SELECTs, written against the final schema, that read back
** what the database holds after the drill.  A probe that names a column the
** final schema lost is run again with that column read as NULL, so the
** facts in it count as lost fields and the rest of the table is still
** checked; a probe that fails for any other reason leaves every fact of its
** table unverifiable, which the oracle counts as lost.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_PROBE_H
#define MDRILL_PROBE_H

#include <stddef.h>

#include "../sim/db/db.h"
#include "../sim/engine/ledger.h"
#include "../sim/input/scenario.h"

struct probe_table {
	char *table;
	char **cols;         /* column names; the first is the key */
	size_t ncols;
	char **cells;        /* nrows * ncols values; NULL is SQL NULL */
	size_t nrows, cells_alloc;
	char *error;         /* set when the probe could not run at all */
	int errclass;        /* ... and its class (enum db_errclass): a lock held elsewhere is DBE_BUSY */
	char **missing;      /* output fields read as NULL: the final schema lacks their column */
	size_t nmissing;
};

/**
 * Run every probe of sc through c (a reader: db_reader_open).  *out
 * receives an array of *n results, freed with probe_tables_free.  With c
 * NULL the database could not be read, and every probe fails with
 * unreadable.  Returns 0; a failing probe is recorded in its result, not
 * returned.
 */
int probe_run(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
	      const char *unreadable, struct probe_table **out, size_t *n);

void probe_tables_free(struct probe_table *t, size_t n);

/**
 * drill_opts.adopt: the rows sc's probes find in c's database before the
 * seed (a history's own INSERTs made them), each a fact of the seed, read
 * as the probe reads it (what the database stores).  A probe that cannot
 * run yet, or a column its table lacks yet, adopts nothing.  Returns 0.
 */
int probe_adopt(void *ctx, const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		struct ledger *l, struct strbuf *err);

/**
 * Rewrite probe sql so that the column written as token reads as NULL:
 * "NULL AS column" in the select list, "NULL" elsewhere; a word after AS is
 * an output name and stays.  The output fields that now read NULL are
 * appended to nulled (space-separated; NULL to skip).  Exposed for tests.
 * Returns 1 when something was replaced.
 */
int probe_null_column(const char *sql, const char *token, struct strbuf *out, struct strbuf *nulled);

#endif
