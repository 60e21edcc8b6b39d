/*
** The seeder.  Rows go in through one prepared INSERT per table inside one
** transaction, so a hundred thousand rows take a fraction of a second.
** The first column is the row's key; every other column is a fact under
** its own name.
**
** SPDX-License-Identifier: MIT
*/
#include "seeder.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "../base/alloc.h"
#include "../base/sqltext.h"
#include "gen.h"

/*
** Rows are buffered and inserted many to a statement: on a server every
** statement is a round trip, and a hundred thousand of them would take
** longer than the drill.
*/
#define BATCH_PARAMS 30000
#define BATCH_ROWS 500

struct inserter {
	const struct db_driver *drv;
	struct db_conn *c;
	struct db_stmt *st;      /* a full batch */
	struct ledger *l;
	const char *table_name;
	uint32_t table;
	uint32_t *cols;          /* interned column names */
	char *tracked;           /* per column: its values are facts (not '@untracked') */
	size_t ncols;
	const struct scenario *sc;
	size_t batch;            /* rows a full batch holds */
	char **cols_names;       /* borrowed from the caller while open */
	const struct seed *sd;
	int *keyat;              /* a composite key's columns; NULL: the first column is the key */
	char *inkey;             /* per column: part of the key, so no fact of its own */
	char **vals;             /* batch * ncols copies; NULL is SQL NULL */
	size_t nrows;            /* rows buffered */
	int64_t *done;           /* rows inserted over all seeds */
	int64_t total;           /* rows to insert over all seeds (generated ones) */
	seeder_progress_fn progress;
	void *progress_ctx;
	/*
	** Keys of this table the seed holds already, sorted: rows the
	** schema's own statements made, adopted (drill_opts.adopt).  A
	** generated row with one of them is not inserted: the row there stays.
	*/
	uint32_t *taken;
	size_t ntaken;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The keys of table among the facts pending in l (the seed's so far), into ins->taken. */
static void note_taken(struct inserter *ins)
{
	const struct ledger *l = ins->l;
	size_t i, n = 0;

	ins->taken = NULL;
	ins->ntaken = 0;
	for (i = l->nfacts - l->pending; i < l->nfacts; i++)
		n += l->facts[i].table == ins->table;
	if (!n)
		return;
	ins->taken = xmalloc(n * sizeof(*ins->taken));
	for (i = l->nfacts - l->pending; i < l->nfacts; i++)
		if (l->facts[i].table == ins->table)
			ins->taken[ins->ntaken++] = l->facts[i].key;
	qsort(ins->taken, ins->ntaken, sizeof(*ins->taken), cmp_u32);
}

static int key_taken(const struct inserter *ins, const char *key, size_t len)
{
	struct strbuf k = STRBUF_INIT;
	uint32_t id;
	strbuf_add(&k, key, len);
	id = ins->ntaken ? ledger_lookup(ins->l, k.buf) : LEDGER_NONE;
	strbuf_release(&k);
	return id != LEDGER_NONE && bsearch(&id, ins->taken, ins->ntaken, sizeof(id), cmp_u32) != NULL;
}

static void insert_sql(struct strbuf *sql, const struct inserter *ins, char **cols, size_t rows)
{
	size_t r, i;
	strbuf_addf(sql, "INSERT INTO %s (", ins->table_name);
	for (i = 0; i < ins->ncols; i++)
		strbuf_addf(sql, "%s%s", i ? ", " : "", cols[i]);
	strbuf_addstr(sql, ") VALUES ");
	for (r = 0; r < rows; r++) {
		strbuf_addstr(sql, r ? ", (" : "(");
		for (i = 0; i < ins->ncols; i++)
			strbuf_addf(sql, "%s%c%zu", i ? ", " : "", db_param_prefix(ins->drv),
				    r * ins->ncols + i + 1);
		strbuf_addch(sql, ')');
	}
}

/*
** Open an inserter for table: names are the columns as the ledger knows
** them (the facts' fields), cols as the INSERT names them (the same, or
** quoted).
*/
static int inserter_open(struct inserter *ins, const char *table, char **names, char **cols,
			 size_t ncols, struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	size_t i;
	int rc;

	char *tname = sql_ident_name(table);

	ins->table_name = table;
	/* Quoted names ("Team", "order") are facts under the names they stand for, as a probe's result gives them. */
	ins->table = ledger_intern(ins->l, tname);
	ins->ncols = ncols;
	ins->cols = xcalloc(ncols, sizeof(*ins->cols));
	ins->tracked = xcalloc(ncols, 1);
	ins->inkey = xcalloc(ncols, 1);
	for (i = 0; i < ncols; i++) {
		char *cname = sql_ident_name(names[i]);
		ins->cols[i] = ledger_intern(ins->l, cname);
		ins->tracked[i] = !scenario_untracked(ins->sc, tname, cname);
		free(cname);
	}
	free(tname);
	note_taken(ins);
	if (ins->sd && ins->sd->nkey) {
		size_t k, j;
		ins->keyat = xcalloc(ins->sd->nkey, sizeof(*ins->keyat));
		for (k = 0; k < ins->sd->nkey; k++) {
			/* By the name it stands for: a CSV's header has no quotes, the scenario may. */
			char *kname = sql_ident_name(ins->sd->key[k]);
			for (j = 0; j < ncols; j++) {
				char *cname = sql_ident_name(names[j]);
				int same = !strcmp(cname, kname);
				free(cname);
				if (same)
					break;
			}
			free(kname);
			if (j == ncols)
				return strbuf_error(err, SEEDER_EDATA, "the key column '%s' of '%s' is not among "
						    "its seeded columns", ins->sd->key[k], table);
			ins->keyat[k] = (int)j;
			ins->inkey[j] = 1;
		}
	}
	ins->batch = BATCH_PARAMS / ncols < BATCH_ROWS ? BATCH_PARAMS / ncols : BATCH_ROWS;
	if (!ins->batch)
		ins->batch = 1;
	ins->vals = xcalloc(ins->batch * ncols, sizeof(*ins->vals));
	ins->cols_names = cols;
	insert_sql(&sql, ins, cols, ins->batch);
	rc = db_prepare(ins->drv, ins->c, sql.buf, &ins->st);
	if (rc != DB_DONE)
		strbuf_error(err, SEEDER_EDB, "cannot seed '%s': %s", table,
			     rc == DB_BLOCKED ? "database is locked" : db_errmsg(ins->drv, ins->c));
	strbuf_release(&sql);
	return rc == DB_DONE ? 0 : SEEDER_EDB;
}

/* Insert the buffered rows: a full batch, or what is left at the end. */
static int inserter_flush(struct inserter *ins, struct strbuf *err)
{
	struct db_stmt *st = ins->st, *tail = NULL;
	size_t i;
	int rc;

	if (!ins->nrows)
		return 0;
	if (ins->nrows < ins->batch) {
		struct strbuf sql = STRBUF_INIT;
		insert_sql(&sql, ins, ins->cols_names, ins->nrows);
		rc = db_prepare(ins->drv, ins->c, sql.buf, &tail);
		strbuf_release(&sql);
		if (rc != DB_DONE)
			return strbuf_error(err, SEEDER_EDB, "%s", db_errmsg(ins->drv, ins->c));
		st = tail;
	}
	rc = db_run(ins->drv, st, (int)(ins->nrows * ins->ncols), (const char *const *)ins->vals,
		    NULL, NULL);
	db_finalize(ins->drv, tail);
	for (i = 0; i < ins->nrows * ins->ncols; i++) {
		free(ins->vals[i]);
		ins->vals[i] = NULL;
	}
	if (rc == DB_DONE && ins->done) {
		*ins->done += (int64_t)ins->nrows;
		if (ins->progress)
			ins->progress(ins->progress_ctx, *ins->done, ins->total);
	}
	ins->nrows = 0;
	if (rc != DB_DONE)
		return strbuf_error(err, SEEDER_EDB, "%s", rc == DB_BLOCKED ? "database is locked"
						 : db_errmsg(ins->drv, ins->c));
	return 0;
}

static int inserter_row(struct inserter *ins, const char *const *vals, struct strbuf *err)
{
	size_t i;
	uint32_t key;

	if (ins->ntaken) {
		struct strbuf k = STRBUF_INIT;
		int taken;
		if (ins->keyat)
			for (i = 0; i < ins->sd->nkey; i++)
				strbuf_addf(&k, "%s%s", i ? "|" : "", vals[ins->keyat[i]] ? vals[ins->keyat[i]] : "");
		else if (vals[0])
			strbuf_addstr(&k, vals[0]);
		taken = k.len && key_taken(ins, k.buf, k.len);
		strbuf_release(&k);
		if (taken)
			return 0;
	}
	for (i = 0; i < ins->ncols; i++)
		ins->vals[ins->nrows * ins->ncols + i] = vals[i] ? xstrdup(vals[i]) : NULL;
	ins->nrows++;
	/* A failed insert stops the seeding whole, so the facts can be noted now. */
	if (ins->keyat) {
		/* A composite key: its values joined by '|', as the probe's first column joins them. */
		struct strbuf k = STRBUF_INIT;
		size_t nfacts = 0;
		int null = 0;
		for (i = 0; i < ins->sd->nkey; i++) {
			const char *v = vals[ins->keyat[i]];
			null |= !v;
			strbuf_addf(&k, "%s%s", i ? "|" : "", v ? v : "");
		}
		if (!null) {
			key = ledger_intern_n(ins->l, k.buf, k.len);
			for (i = 0; i < ins->ncols; i++)
				if (!ins->inkey[i] && ins->tracked[i]) {
					ledger_fact_add(ins->l, ins->table, key, ins->cols[i],
							vals[i] ? ledger_intern(ins->l, vals[i]) : LEDGER_NONE);
					nfacts++;
				}
			if (!nfacts)
				ledger_fact_add(ins->l, ins->table, key, LEDGER_ROW, LEDGER_PRESENT);
		}
		strbuf_release(&k);
	} else if (vals[0]) { /* a NULL key names no row the oracle could find */
		key = ledger_intern(ins->l, vals[0]);
		if (ins->ncols == 1)
			ledger_fact_add(ins->l, ins->table, key, LEDGER_ROW, LEDGER_PRESENT);
		for (i = 1; i < ins->ncols; i++)
			if (ins->tracked[i])
				ledger_fact_add(ins->l, ins->table, key, ins->cols[i],
						vals[i] ? ledger_intern(ins->l, vals[i]) : LEDGER_NONE);
	}
	return ins->nrows == ins->batch ? inserter_flush(ins, err) : 0;
}

static void inserter_close(struct inserter *ins)
{
	size_t i;
	db_finalize(ins->drv, ins->st);
	if (ins->vals)
		for (i = 0; i < ins->batch * ins->ncols; i++)
			free(ins->vals[i]);
	free(ins->vals);
	free(ins->cols);
	free(ins->tracked);
	free(ins->keyat);
	free(ins->inkey);
	free(ins->taken);
	ins->taken = NULL;
	ins->ntaken = 0;
	ins->keyat = NULL;
	ins->inkey = NULL;
	ins->tracked = NULL;
	ins->st = NULL;
	ins->cols = NULL;
	ins->vals = NULL;
}

static int seed_generated(const struct scenario *sc, const struct seed *sd, struct inserter *ins,
			  uint64_t seed, struct strbuf *err)
{
	struct strbuf *vals = xcalloc(sd->ncols, sizeof(*vals));
	const char **ptrs = xcalloc(sd->ncols, sizeof(*ptrs));
	char **names = xcalloc(sd->ncols, sizeof(*names));
	struct prng rng;
	struct gen_ctx g = { &rng, scenario_param_num(sc, "awkward", 0.05), 0 };
	long r;
	size_t i;
	int rc;

	prng_seed(&rng, seed, 1 + (uint64_t)(sd - sc->seeds));
	for (i = 0; i < sd->ncols; i++) {
		strbuf_init(&vals[i]);
		names[i] = sd->cols[i].column;
	}
	rc = inserter_open(ins, sd->table, names, names, sd->ncols, err);
	if (rc) {
		struct strbuf why = STRBUF_INIT;
		strbuf_addstr(&why, err->buf);
		rc = strbuf_error(err, SEEDER_EDATA, "%s:%d: %s", sc->path, sd->line, why.buf);
		strbuf_release(&why);
	}
	for (r = 1; r <= sd->rows && !rc; r++) {
		g.seq = r;
		for (i = 0; i < sd->ncols; i++) {
			strbuf_reset(&vals[i]);
			ptrs[i] = gen_value(&sd->cols[i].gen, &g, &vals[i]) ? NULL : vals[i].buf;
		}
		if (inserter_row(ins, ptrs, err) || (r == sd->rows && inserter_flush(ins, err))) {
			struct strbuf why = STRBUF_INIT;
			strbuf_addstr(&why, err->buf);
			strbuf_error(err, SEEDER_EDB, "%s:%d: seeding '%s' failed at row %ld: %s",
				     sc->path, sd->line, sd->table, r, why.buf);
			strbuf_release(&why);
			rc = SEEDER_EDATA;
		}
	}
	inserter_close(ins);
	for (i = 0; i < sd->ncols; i++)
		strbuf_release(&vals[i]);
	free(vals);
	free(ptrs);
	free(names);
	return rc;
}

/* libcsv hands us fields and row ends; we gather a row, then insert it. */
struct csv_state {
	const struct scenario *sc;
	const struct seed *sd;
	struct inserter *ins;
	struct strbuf *err;
	char **fields;
	size_t nfields, alloc;
	char **header;       /* the table's own names for the header's columns, quoted */
	char **names;        /* the header's fields as written: the facts' field names */
	size_t nheader;
	long row;            /* 1 is the header */
	int rc;
};

/* name onto out as a quoted SQL identifier: both engines read "a ""b""" so. */
/* A field of the file in a message: quoted, cut short, never a whole line. */
static void add_shown(struct strbuf *out, const char *v)
{
	size_t n = strcspn(v, "\r\n");
	strbuf_addf(out, "'%.*s%s'", (int)(n > 48 ? 48 : n), v, n > 48 || v[n] ? "..." : "");
}

/*
** The header names the table's columns: each one a column of the table
** (case aside, as SQL has it), none twice.  The INSERT then names them as
** the table does, quoted, so that nothing of the file becomes SQL.
*/
static int csv_header(struct csv_state *st)
{
	const struct seed *sd = st->sd;
	char **cols = NULL;
	size_t ncols = 0, i, k;
	struct strbuf why = STRBUF_INIT;
	int rc = 0;

	char *tname = sql_ident_name(sd->table);
	rc = db_columns(st->ins->drv, st->ins->c, tname, &cols, &ncols, &why);
	free(tname);
	if (rc) {
		rc = strbuf_error(st->err, SEEDER_EDB, "%s:%d: cannot read the columns of '%s': %s",
				  st->sc->path, sd->line, sd->table, why.buf);
		goto out;
	}
	if (!ncols) {
		rc = strbuf_error(st->err, SEEDER_EDATA, "%s:%d: the schema has no table '%s' to seed",
				  st->sc->path, sd->line, sd->table);
		goto out;
	}
	st->header = xcalloc(st->nfields ? st->nfields : 1, sizeof(*st->header));
	st->names = xcalloc(st->nfields ? st->nfields : 1, sizeof(*st->names));
	for (i = 0; i < st->nfields && !rc; i++) {
		struct strbuf q = STRBUF_INIT;
		for (k = 0; k < ncols && strcasecmp(cols[k], st->fields[i]); k++)
			;
		if (k == ncols) {
			strbuf_reset(st->err);
			strbuf_addf(st->err, "%s: the header's field %zu, ", sd->csv, i + 1);
			add_shown(st->err, st->fields[i]);
			strbuf_addf(st->err, ", is not a column of table '%s' (its columns:", sd->table);
			for (k = 0; k < ncols; k++)
				strbuf_addf(st->err, "%s %s", k ? "," : "", cols[k]);
			strbuf_addch(st->err, ')');
			rc = SEEDER_EDATA;
			break;
		}
		sql_add_quoted(&q, cols[k], '"');
		st->header[i] = strbuf_detach(&q);
		st->names[i] = xstrdup(st->fields[i]);
		st->nheader = i + 1;
		for (k = 0; k < i; k++)
			if (!strcmp(st->header[k], st->header[i])) {
				strbuf_reset(st->err);
				strbuf_addf(st->err, "%s: the header names column '%s' twice", sd->csv, cols[k]);
				rc = SEEDER_EDATA;
				break;
			}
	}
	if (!rc)
		rc = inserter_open(st->ins, sd->table, st->names, st->header, st->nheader, st->err);
out:
	for (i = 0; i < ncols; i++)
		free(cols[i]);
	free(cols);
	strbuf_release(&why);
	return rc;
}

static void csv_field(void *data, size_t len, void *ctx)
{
	struct csv_state *st = ctx;
	if (st->rc)
		return;
	ALLOC_GROW(st->fields, st->nfields + 1, st->alloc);
	st->fields[st->nfields++] = data ? xstrndup(data, len) : xstrdup("");
}

static void csv_row(int c, void *ctx)
{
	struct csv_state *st = ctx;
	size_t i;
	(void)c;
	if (st->rc)
		goto out;
	st->row++;
	if (st->row == 1) {
		st->rc = csv_header(st);
		goto out;
	}
	if (st->nfields != st->nheader) {
		strbuf_error(st->err, SEEDER_EDATA, "%s: row %ld has %zu fields, the header has %zu",
			     st->sd->csv, st->row, st->nfields, st->nheader);
		st->rc = SEEDER_EDATA;
		goto out;
	}
	if (inserter_row(st->ins, (const char *const *)st->fields, st->err)) {
		struct strbuf why = STRBUF_INIT;
		strbuf_addstr(&why, st->err->buf);
		strbuf_error(st->err, SEEDER_EDATA, "%s: row %ld: %s", st->sd->csv, st->row, why.buf);
		strbuf_release(&why);
		st->rc = SEEDER_EDATA;
	}
out:
	for (i = 0; i < st->nfields; i++)
		free(st->fields[i]);
	st->nfields = 0;
}

static int seed_csv(const struct scenario *sc, const struct seed *sd, struct inserter *ins,
		    struct strbuf *err)
{
	struct csv_state st;
	struct csv_parser parser;
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	size_t i;

	memset(&st, 0, sizeof(st));
	st.sc = sc;
	st.sd = sd;
	st.ins = ins;
	st.err = err;
	/* The one file reader: a regular file, within the size limit, no NUL byte. */
	if (strbuf_read_file(&text, sd->csv, &why)) {
		strbuf_error(err, SEEDER_EDATA, "%s:%d: cannot open '%s': %s", sc->path, sd->line,
			     sd->csv, why.buf);
		strbuf_release(&why);
		strbuf_release(&text);
		return SEEDER_EDATA;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI)) {
		strbuf_release(&text);
		return strbuf_error(err, SEEDER_EDB, "cannot start the CSV parser");
	}
	if (csv_parse(&parser, text.buf, text.len, csv_field, csv_row, &st) != text.len && !st.rc) {
		strbuf_error(err, SEEDER_EDATA, "%s: row %ld: %s", sd->csv, st.row + 1,
			     csv_strerror(csv_error(&parser)));
		st.rc = SEEDER_EDATA;
	}
	if (!st.rc && csv_fini(&parser, csv_field, csv_row, &st)) {
		strbuf_error(err, SEEDER_EDATA, "%s: row %ld: %s", sd->csv, st.row + 1,
			     csv_strerror(csv_error(&parser)));
		st.rc = SEEDER_EDATA;
	}
	if (!st.rc && inserter_flush(ins, err)) {
		strbuf_addstr(&why, err->buf);
		strbuf_error(err, SEEDER_EDATA, "%s: %s", sd->csv, why.buf);
		st.rc = SEEDER_EDATA;
	}
	if (!st.rc && st.row < 1) {
		strbuf_error(err, SEEDER_EDATA, "%s: expected a header row naming the columns", sd->csv);
		st.rc = SEEDER_EDATA;
	}
	csv_free(&parser);
	for (i = 0; i < st.nfields; i++)
		free(st.fields[i]);
	free(st.fields);
	for (i = 0; i < st.nheader; i++) {
		free(st.header[i]);
		free(st.names[i]);
	}
	free(st.header);
	free(st.names);
	inserter_close(ins);
	strbuf_release(&text);
	strbuf_release(&why);
	return st.rc;
}

/* Every seed of sc through c, in one transaction it leaves open; the seed refused in *table. */
static int seed_all(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c, struct ledger *l,
		    uint64_t seed, seeder_progress_fn progress, void *progress_ctx, int *table,
		    struct strbuf *err)
{
	struct inserter ins;
	int64_t done = 0, total = 0;
	size_t i;
	int rc = 0;

	*table = -1;
	for (i = 0; i < sc->nseeds; i++)
		total += sc->seeds[i].csv ? 0 : sc->seeds[i].rows;
	if (progress)
		progress(progress_ctx, 0, total);
	if (db_begin(drv, c) != DB_DONE)
		return strbuf_error(err, SEEDER_EDB, "cannot begin the seeding transaction: %s", db_errmsg(drv, c));
	for (i = 0; i < sc->nseeds && !rc; i++) {
		memset(&ins, 0, sizeof(ins));
		ins.drv = drv;
		ins.c = c;
		ins.l = l;
		ins.sc = sc;
		ins.sd = &sc->seeds[i];
		ins.done = &done;
		ins.total = total;
		ins.progress = progress;
		ins.progress_ctx = progress_ctx;
		if (sc->seeds[i].csv)
			rc = seed_csv(sc, &sc->seeds[i], &ins, err);
		else
			rc = seed_generated(sc, &sc->seeds[i], &ins, seed, err);
		if (rc)
			*table = (int)i;
	}
	return rc;
}

int seeder_run(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
	       struct ledger *l, uint64_t seed, seeder_progress_fn progress, void *progress_ctx,
	       struct strbuf *err)
{
	int table, rc = seed_all(sc, drv, c, l, seed, progress, progress_ctx, &table, err);

	if (rc) {
		if (db_in_tx(drv, c))
			db_rollback(drv, c);
		return rc;
	}
	if (db_commit(drv, c) != DB_DONE)
		return strbuf_error(err, SEEDER_EDB, "cannot commit the seed rows: %s", db_errmsg(drv, c));
	if (db_after_seed_sql(drv)) {
		int cls;
		db_own_sql(drv, c, 1);
		rc = db_exec_now(drv, c, db_after_seed_sql(drv), 0, NULL, NULL, NULL, &cls, err);
		db_own_sql(drv, c, 0);
		if (rc)
			return SEEDER_EDB;
	}
	return 0;
}

int seeder_try(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c, uint64_t seed,
	       seeder_adopt_fn adopt, int *table, struct strbuf *err)
{
	struct ledger l;
	int rc = 0;

	ledger_init(&l);
	*table = -1;
	if (adopt && adopt(NULL, sc, drv, c, &l, err))
		rc = SEEDER_EDB;
	if (!rc)
		rc = seed_all(sc, drv, c, &l, seed, NULL, NULL, table, err);
	if (db_in_tx(drv, c))
		db_rollback(drv, c);
	ledger_release(&l);
	return rc;
}
