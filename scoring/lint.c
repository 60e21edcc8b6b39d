/*
** Linting a scenario: its SQL run step by step on one engine, without
** traffic, in the order a drill runs it, each refusal kept with its line
** and the engine's own words.  Then what a drill would score against a
** right fix: app statements that name what no schema of the timeline has,
** writes no '@writes' line declares, '@writes' fields no probe reads; and
** a note where the story may hold on one engine only.
**
** SPDX-License-Identifier: MIT
*/
#include "lint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/base/sqltext.h"
#include "../sim/engine/ledger.h"
#include "../sim/engine/scheduler.h"
#include "../sim/engine/seeder.h"
#include "../sim/input/history.h"
#include "probe.h"

static struct lint_step *add_step(struct lint_result *r, const char *what, int line)
{
	struct lint_step *st;
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	st = &r->v[r->nr++];
	memset(st, 0, sizeof(*st));
	st->what = xstrdup(what);
	st->line = line;
	return st;
}

static void step_fail(struct lint_result *r, struct lint_step *st, const char *error)
{
	st->status = LINT_FAILED;
	st->error = xstrdup(error);
	r->problems++;
}

/* A word of a statement: a name or keyword (quoted names unquoted), or one character. */
struct tok {
	char *text;
	int word;            /* a name, a keyword or a :var */
};

/* The words of sql, comments and string literals left out (a literal is one "'" token). */
static size_t tokenize(const char *sql, struct tok **out)
{
	struct tok *v = NULL;
	size_t n = 0, alloc = 0, i = 0, j;

	while (sql[i]) {
		char *text = NULL;
		int word = 0;
		if (isspace((unsigned char)sql[i])) {
			i++;
			continue;
		}
		if ((j = sql_skip_quoted(sql, i)) != i) {
			if (sql[i] == '"' || sql[i] == '`') {
				char *w = xstrndup(sql + i, j - i);
				text = sql_ident_name(w);
				free(w);
				word = 1;
			} else if (sql[i] == '\'' || sql[i] == '$') {
				text = xstrdup("'");
			}
			i = j;
		} else if (isalnum((unsigned char)sql[i]) || sql[i] == '_' ||
			   (sql[i] == ':' && (isalpha((unsigned char)sql[i + 1]) || sql[i + 1] == '_'))) {
			for (j = i + 1; isalnum((unsigned char)sql[j]) || sql[j] == '_'; j++)
				;
			text = xstrndup(sql + i, j - i);
			word = 1;
			i = j;
		} else {
			text = xstrndup(sql + i, 1);
			i++;
		}
		if (!text)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].text = text;
		v[n++].word = word;
	}
	*out = v;
	return n;
}

static void toks_free(struct tok *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

static int kw(const struct tok *t, const char *word)
{
	return t->word && !strcasecmp(t->text, word);
}

/* What a statement writes: its table, and the columns it names (INSERT's list, UPDATE's SET). */
struct dml {
	char kind;           /* 'I'nsert, 'U'pdate, 'D'elete, 0 for none */
	char *table;
	char **cols;
	size_t ncols;
};

static void dml_release(struct dml *m)
{
	size_t i;
	free(m->table);
	for (i = 0; i < m->ncols; i++)
		free(m->cols[i]);
	free(m->cols);
	memset(m, 0, sizeof(*m));
}

/* The name at v[*i] (schema.name taken as name); *i moves past it.  NULL when none is there. */
static char *dotted_name(const struct tok *v, size_t n, size_t *i)
{
	const char *name;
	if (*i >= n || !v[*i].word)
		return NULL;
	name = v[(*i)++].text;
	while (*i + 1 < n && !strcmp(v[*i].text, ".") && v[*i + 1].word) {
		name = v[*i + 1].text;
		*i += 2;
	}
	return xstrdup(name);
}

static void add_col(struct dml *m, const char *name)
{
	m->cols = xrealloc(m->cols, (m->ncols + 1) * sizeof(*m->cols));
	m->cols[m->ncols++] = xstrdup(name);
}

/* The first INSERT, REPLACE, UPDATE or DELETE of sql, read as far as its columns. */
static void dml_of(const char *sql, struct dml *m)
{
	struct tok *v;
	size_t n = tokenize(sql, &v), i, depth;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n && !m->kind; i++) {
		if (kw(&v[i], "INSERT") || kw(&v[i], "REPLACE"))
			m->kind = 'I';
		else if (kw(&v[i], "UPDATE") && !(i && kw(&v[i - 1], "DO")) && !(i && kw(&v[i - 1], "FOR")))
			m->kind = 'U';
		else if (kw(&v[i], "DELETE"))
			m->kind = 'D';
	}
	if (i < n && kw(&v[i], "OR"))
		i += 2;
	if (i < n && (kw(&v[i], "INTO") || kw(&v[i], "FROM")))
		i++;
	if (m->kind && !(m->table = dotted_name(v, n, &i)))
		m->kind = 0;
	if (m->kind == 'I' && i < n && !strcmp(v[i].text, "(")) {
		for (i++; i < n && strcmp(v[i].text, ")"); i++)
			if (v[i].word)
				add_col(m, v[i].text);
	} else if (m->kind == 'U') {
		while (i < n && !kw(&v[i], "SET"))
			i++;
		/* SET a = ..., b = ...: a name before '=' at the top level, until WHERE or FROM. */
		for (i++, depth = 0; i < n; i++) {
			if (!strcmp(v[i].text, "("))
				depth++;
			else if (!strcmp(v[i].text, ")") && depth)
				depth--;
			else if (!depth && (kw(&v[i], "WHERE") || kw(&v[i], "FROM") || kw(&v[i], "RETURNING")))
				break;
			else if (!depth && v[i].word && v[i].text[0] != ':' && i + 1 < n && !strcmp(v[i + 1].text, "=") &&
				 (i == 0 || !strcmp(v[i - 1].text, ",") || kw(&v[i - 1], "SET")))
				add_col(m, v[i].text);
		}
	}
	toks_free(v, n);
}

/* Do a and b name the same table or column, either by the other's name before a '-- @renamed'? */
static int same_name(const struct scenario *sc, const char *table, const char *a, const char *b)
{
	size_t i;
	if (sql_ident_is(a, b))
		return 1;
	for (i = 0; i < sc->nrenames; i++) {
		const struct rename *rn = &sc->renames[i];
		if (table && (!rn->field || !same_name(sc, NULL, table, rn->table)))
			continue;
		if (!table && rn->field)
			continue;
		if ((sql_ident_is(rn->table, a) || (rn->field && sql_ident_is(rn->field, a))) && sql_ident_is(rn->to, b))
			return 1;
		if ((sql_ident_is(rn->table, b) || (rn->field && sql_ident_is(rn->field, b))) && sql_ident_is(rn->to, a))
			return 1;
	}
	return 0;
}

/* The probe of table, by either name, among what run_probes read; NULL when none reads it. */
static const struct probe_table *probe_for(const struct scenario *sc, const struct probe_table *probes,
					   size_t n, const char *table)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (same_name(sc, NULL, probes[i].table, table))
			return &probes[i];
	return NULL;
}

/* Does probe p read column col of its table? */
static int probe_reads(const struct scenario *sc, const struct probe_table *p, const char *col)
{
	size_t i;
	for (i = 0; i < p->ncols; i++)
		if (same_name(sc, p->table, col, p->cols[i]))
			return 1;
	return 0;
}

/* The '@writes' (or, for a DELETE, '@deletes') line of tx for table, or NULL. */
static const struct fact_tmpl *fact_for(const struct scenario *sc, const struct txdef *tx, const char *table,
					int op)
{
	size_t i;
	for (i = 0; i < tx->nfacts; i++)
		if (tx->facts[i].op == op && same_name(sc, NULL, tx->facts[i].table, table))
			return &tx->facts[i];
	return NULL;
}

static void step_problem(struct lint_result *r, const char *what, int line, const char *error)
{
	struct lint_step *st = add_step(r, what, line);
	step_fail(r, st, error);
}

/*
** What a drill would score against a right fix, from the transactions'
** SQL, their '@writes' lines and what the probes read: a write no
** '@writes' line declares (its values look corrupted, or its rows
** phantom), a column a transaction sets that the probe reads but its
** '@writes' line leaves out (corrupted), a '@writes' field no probe reads
** (every value of it a lost field), a table no probe reads (every fact a
** lost row).  Each said once.
*/
static void check_writes(const struct scenario *sc, const struct probe_table *probes, size_t nprobes,
			 struct lint_result *r)
{
	struct strbuf what = STRBUF_INIT, e = STRBUF_INIT, said = STRBUF_INIT;
	size_t a, t, k, f, c;

	for (a = 0; a < sc->napps; a++)
		for (t = 0; t < sc->apps[a].ntx; t++) {
			const struct txdef *tx = &sc->apps[a].tx[t];
			if (tx->file)
				continue;   /* a pgbench script's: its facts are its own affair */
			strbuf_reset(&what);
			strbuf_addf(&what, "app %s %s", sc->apps[a].name, tx->name);
			for (k = 0; k < tx->nstmts; k++) {
				const struct fact_tmpl *fact;
				const struct probe_table *p;
				struct dml m;
				dml_of(tx->stmts[k].sql, &m);
				if (!m.kind) {
					dml_release(&m);
					continue;
				}
				fact = fact_for(sc, tx, m.table, m.kind == 'D' ? FACT_OP_DELETE : FACT_OP_WRITE);
				p = probe_for(sc, probes, nprobes, m.table);
				strbuf_reset(&e);
				if (!fact && m.kind == 'D' && p)
					strbuf_addf(&e, "statement %zu deletes from %s, and no '-- @deletes %s' line declares "
						    "it: the rows it deletes would count as lost rows", k + 1, m.table, m.table);
				else if (!fact && m.kind != 'D' && p)
					strbuf_addf(&e, "statement %zu writes %s, and no '-- @writes %s' line declares it: "
						    "the ledger never hears of its values, so what the probe reads of them "
						    "counts as corrupted (or phantom)", k + 1, m.table, m.table);
				if (e.len)
					step_problem(r, what.buf, tx->stmts[k].line, e.buf);
				for (c = 0; fact && p && !p->error && m.kind != 'D' && c < m.ncols; c++) {
					int declared = p->ncols && same_name(sc, p->table, m.cols[c], p->cols[0]);
					for (f = 0; f < fact->nfields && !declared; f++)
						declared = same_name(sc, m.table, fact->fields[f].field, m.cols[c]);
					if (declared || !probe_reads(sc, p, m.cols[c]))
						continue;
					strbuf_reset(&e);
					strbuf_addf(&e, "statement %zu sets %s.%s, which the probe reads, and its '-- @writes "
						    "%s' line (line %d) does not declare it: what the probe finds there "
						    "counts as corrupted", k + 1, m.table, m.cols[c], m.table, fact->line);
					step_problem(r, what.buf, tx->stmts[k].line, e.buf);
				}
				dml_release(&m);
			}
			/* Every field a '@writes' line declares, read by a probe. */
			for (k = 0; k < tx->nfacts; k++) {
				const struct fact_tmpl *fact = &tx->facts[k];
				const struct probe_table *p = probe_for(sc, probes, nprobes, fact->table);
				/* A probe that failed, or whose columns could not be told (no rows, no view): no word. */
				if (fact->op != FACT_OP_WRITE || (p && (p->error || !p->ncols)))
					continue;
				strbuf_reset(&e);
				if (!p) {
					strbuf_reset(&what);
					strbuf_addf(&what, "\n%s\n", fact->table);
					if (strstr(said.buf, what.buf))
						continue;
					strbuf_addstr(&said, what.buf);
					strbuf_addf(&e, "no probe reads %s, which the '-- @writes' line of %s %s declares: "
						    "every fact of it would count as a lost row", fact->table,
						    sc->apps[a].name, tx->name);
					step_problem(r, "probes", fact->line, e.buf);
					continue;
				}
				for (f = 0; f < fact->nfields; f++) {
					if (probe_reads(sc, p, fact->fields[f].field))
						continue;
					strbuf_reset(&what);
					strbuf_addf(&what, "\n%s.%s\n", fact->table, fact->fields[f].field);
					if (strstr(said.buf, what.buf))
						continue;
					strbuf_addstr(&said, what.buf);
					strbuf_reset(&e);
					strbuf_addf(&e, "reads no column %s, which the '-- @writes %s' line of %s %s declares "
						    "(line %d): every value written to it would count as a lost field, "
						    "whatever the fix", fact->fields[f].field, fact->table, sc->apps[a].name,
						    tx->name, fact->line);
					strbuf_reset(&what);
					strbuf_addf(&what, "probe %s", p->table);
					step_problem(r, what.buf, 0, e.buf);
				}
				strbuf_reset(&what);
				strbuf_addf(&what, "app %s %s", sc->apps[a].name, tx->name);
			}
		}
	strbuf_release(&what);
	strbuf_release(&e);
	strbuf_release(&said);
}

/* Whether each app statement prepared against some schema of the timeline, and what it said when not. */
struct prep {
	int ok;
	char *error;
	int errclass;
};

/*
** Prepare every app statement against the schema as it stands: one that
** names what is not there (DBE_MISSING) here may be the story (old code
** after the bad migration); one that does so against every schema of the
** timeline is a mistake of the scenario.  On PostgreSQL, whose driver
** sends a statement only when it runs, PREPARE asks the server.
*/
static void prepare_all(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
			struct prep *prep)
{
	struct strbuf sql = STRBUF_INIT, why = STRBUF_INIT;
	size_t a, t, k, i = 0;

	for (a = 0; a < sc->napps; a++)
		for (t = 0; t < sc->apps[a].ntx; t++)
			for (k = 0; k < sc->apps[a].tx[t].nstmts; k++, i++) {
				char **names;
				size_t n;
				int cls = DBE_NONE, bad;
				if (prep[i].ok)
					continue;
				strbuf_reset(&sql);
				if (db_dialect(drv) == DIALECT_POSTGRES)
					strbuf_addstr(&sql, "PREPARE mdrill_lint AS ");
				sql_number_params(sc->apps[a].tx[t].stmts[k].sql, db_param_prefix(drv), &sql, &names, &n);
				sql_names_free(names, n);
				strbuf_reset(&why);
				if (db_dialect(drv) == DIALECT_POSTGRES) {
					bad = db_exec_try(drv, c, sql.buf, 0, NULL, NULL, NULL, &cls, &why) != 0;
					if (!bad)
						db_exec_now(drv, c, "DEALLOCATE mdrill_lint", 0, NULL, NULL, NULL, &cls, &why);
				} else {
					struct db_stmt *st = NULL;
					bad = db_prepare(drv, c, sql.buf, &st) != DB_DONE;
					if (bad) {
						cls = db_errclass(drv, c);
						strbuf_addstr(&why, db_errmsg(drv, c));
					}
					db_finalize(drv, st);
				}
				/* Only a name that is not there says the statement is wrong: types may need values. */
				if (!bad || cls != DBE_MISSING) {
					prep[i].ok = 1;
				} else if (!prep[i].error) {
					prep[i].error = xstrdup(why.buf);
					prep[i].errclass = cls;
				}
			}
	strbuf_release(&sql);
	strbuf_release(&why);
}

/* The statements that prepared against no schema of the timeline, a problem each. */
static void report_unprepared(const struct scenario *sc, const struct prep *prep, struct lint_result *r)
{
	struct strbuf what = STRBUF_INIT, e = STRBUF_INIT;
	size_t a, t, k, i = 0;

	for (a = 0; a < sc->napps; a++)
		for (t = 0; t < sc->apps[a].ntx; t++)
			for (k = 0; k < sc->apps[a].tx[t].nstmts; k++, i++) {
				if (prep[i].ok)
					continue;
				strbuf_reset(&what);
				strbuf_reset(&e);
				strbuf_addf(&what, "app %s %s", sc->apps[a].name, sc->apps[a].tx[t].name);
				strbuf_addf(&e, "statement %zu names what no schema of the timeline has, before or "
					    "after any migration: %s; it would fail whatever the fix", k + 1,
					    prep[i].error ? prep[i].error : "");
				step_problem(r, what.buf, sc->apps[a].tx[t].stmts[k].line, e.buf);
			}
	strbuf_release(&what);
	strbuf_release(&e);
}

/*
** A cast to an integer in a migration: PostgreSQL rounds a fraction
** (2.5 becomes 3), SQLite truncates it (2).  Where values have
** fractions, what the story loses differs by engine.
*/
/* Is v[i] inside the parentheses of a CAST( ... )? */
static int inside_cast(const struct tok *v, size_t i)
{
	size_t depth = 0;
	while (i-- > 0) {
		if (!strcmp(v[i].text, ")"))
			depth++;
		else if (!strcmp(v[i].text, "(") && depth)
			depth--;
		else if (!strcmp(v[i].text, "("))
			return i && kw(&v[i - 1], "CAST");
	}
	return 0;
}

static int casts_to_integer(const char *sql)
{
	static const char *const types[] = { "int", "integer", "bigint", "smallint", "int2", "int4", "int8" };
	struct tok *v;
	size_t n = tokenize(sql, &v), i, k;
	int found = 0;

	for (i = 0; i + 1 < n && !found; i++) {
		const char *type = NULL;
		if (!strcmp(v[i].text, ":") && v[i + 1].text[0] == ':')
			type = v[i + 1].text + 1;   /* x::int: the second ':' reads as a :var's */
		else if (kw(&v[i], "AS") && inside_cast(v, i))
			type = v[i + 1].text;
		for (k = 0; type && k < sizeof(types) / sizeof(types[0]); k++)
			found |= !strcasecmp(type, types[k]);
	}
	toks_free(v, n);
	return found;
}

/*
** Run the statements of v one by one through c into st.  The first one
** the engine refuses ends it: its number, line and message go into st,
** and a transaction it leaves open is rolled back, as a migration tool's
** connection would end it.  Returns 0 when every statement ran.
*/
static int run_block(const struct db_driver *drv, struct db_conn *c, const struct sql_variant *v,
		     struct lint_result *r, struct lint_step *st)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int cls, rc = 0;

	sql_split(v->text, v->line, &script);
	st->statements = script.nr;
	for (i = 0; i < script.nr && !rc; i++) {
		if (!db_exec_now(drv, c, script.v[i].sql, 0, NULL, NULL, NULL, &cls, &why))
			continue;
		st->failed = i + 1;
		st->line = script.v[i].line;
		st->errclass = cls;
		step_fail(r, st, why.buf);
		rc = -1;
	}
	if (rc && db_in_tx(drv, c))
		db_rollback(drv, c);
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

/*
** The schema as the drill's set-up applies it, a tool's table and records
** included ('-- @history'): the first statement refused ends it, with its
** line and file.
*/
static int run_schema(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		      struct lint_result *r, struct lint_step *st)
{
	struct sql_script script = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t failed;
	int rc = 0;

	scenario_schema_script(sc, db_dialect(drv), &script);
	st->statements = script.nr;
	if (history_apply(drv, c, sc->history, &script, &failed, &why)) {
		if (failed < script.nr) {
			st->failed = failed + 1;
			st->line = script.v[failed].line;
		}
		if (failed < script.nr && script.v[failed].file) {
			struct strbuf e = STRBUF_INIT;
			strbuf_addf(&e, "(%s) %s", script.v[failed].file, why.buf);
			step_fail(r, st, e.buf);
			strbuf_release(&e);
		} else {
			step_fail(r, st, why.buf);
		}
		if (db_in_tx(drv, c))
			db_rollback(drv, c);
		rc = -1;
	}
	sql_script_release(&script);
	strbuf_release(&why);
	return rc;
}

/* A named migration of sc on drv, or a step saying the engine has none. */
static const struct sql_variant *migration_sql(const struct scenario *sc, const struct db_driver *drv, int m)
{
	return m >= 0 ? sql_section_pick(&sc->migrations[m].sql, db_dialect(drv)) : NULL;
}

/*
** The columns probe i would return, for a table with no rows yet (a
** result names its columns only with a row): the probe as a view, whose
** columns the catalogue lists, dropped again.  Nothing when it cannot be.
*/
static void probe_columns(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c, size_t i,
			  struct probe_table *t)
{
	const struct sql_variant *v = sql_section_pick(&sc->probes[i].sql, db_dialect(drv));
	struct strbuf sql = STRBUF_INIT, why = STRBUF_INIT;
	int cls;

	if (!v)
		return;
	strbuf_addstr(&sql, "CREATE VIEW mdrill_lint_probe AS ");
	strbuf_addstr(&sql, v->text);
	strbuf_rtrim(&sql);
	if (sql.len && sql.buf[sql.len - 1] == ';')
		strbuf_setlen(&sql, sql.len - 1);
	if (!db_exec_try(drv, c, sql.buf, 0, NULL, NULL, NULL, &cls, &why)) {
		db_columns(drv, c, "mdrill_lint_probe", &t->cols, &t->ncols, &why);
		db_exec_now(drv, c, "DROP VIEW mdrill_lint_probe", 0, NULL, NULL, NULL, &cls, &why);
	}
	strbuf_release(&sql);
	strbuf_release(&why);
}

/*
** Every probe, on the database as the fix would find it.  A probe that
** cannot run is a problem; a column it reads that the schema lacks here
** is not (the fix may bring it back), but it is said.
*/
static void run_probes(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		       struct lint_result *r, struct probe_table **out, size_t *nout)
{
	struct probe_table *probes = NULL;
	size_t n = 0, i, k;

	probe_run(sc, drv, c, NULL, &probes, &n);
	for (i = 0; i < n && i < sc->nprobes; i++) {
		const struct sql_variant *v = sql_section_pick(&sc->probes[i].sql, db_dialect(drv));
		struct strbuf what = STRBUF_INIT, note = STRBUF_INIT;
		struct lint_step *st;
		strbuf_addf(&what, "probe %s", sc->probes[i].table);
		st = add_step(r, what.buf, v ? v->line : sc->probes[i].line);
		if (probes[i].error) {
			step_fail(r, st, probes[i].error);
		} else if (probes[i].nmissing) {
			strbuf_addstr(&note, "reads ");
			for (k = 0; k < probes[i].nmissing; k++)
				strbuf_addf(&note, "%s'%s'", k ? ", " : "", probes[i].missing[k]);
			strbuf_addf(&note, " as NULL: no such column before the fix, so %s facts count as lost "
				    "unless the fix brings %s back", probes[i].nmissing > 1 ? "their" : "its",
				    probes[i].nmissing > 1 ? "them" : "it");
			st->note = strbuf_detach(&note);
		}
		strbuf_release(&what);
		strbuf_release(&note);
	}
	for (i = 0; i < n && i < sc->nprobes; i++)
		if (!probes[i].error && !probes[i].ncols)
			probe_columns(sc, drv, c, i, &probes[i]);
	*out = probes;
	*nout = n;
}

/*
** The down migration in the fix slot.  A failure the scenario expects
** ('-- @expect down_apply=fail') is no problem, unless it is one no
** scenario can mean: a statement that does not parse or names what is
** not there is a mistake in the scenario, expected or not.
*/
static void run_down(const struct scenario *sc, const struct db_driver *drv, struct db_conn *c,
		     struct lint_result *r)
{
	int m = scenario_migration(sc, "down");
	const struct sql_variant *v = migration_sql(sc, drv, m);
	struct lint_step *st = add_step(r, "down migration", m >= 0 ? sc->migrations[m].line : 0);

	if (!v) {
		st->status = LINT_SKIPPED;
		st->note = xstrdup(m < 0 ? "the scenario has no '-- @migration down': 'run --down' needs one"
				   : "no '-- @migration down' block for this engine");
		return;
	}
	if (run_block(drv, c, v, r, st) && sc->down_apply[db_dialect(drv)] == 0 &&
	    st->errclass != DBE_SYNTAX && st->errclass != DBE_MISSING) {
		st->status = LINT_EXPECTED;
		r->problems--;
	}
}

int lint_run(const struct scenario *sc, const struct db_driver *drv, const char *target, uint64_t seed,
	     const struct db_options *opts, struct lint_result *out, struct strbuf *err)
{
	volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
	struct strbuf why = STRBUF_INIT;
	const struct sql_variant *schema = sql_section_pick(&sc->schema, db_dialect(drv));
	struct db *db = NULL;
	struct db_conn *c = NULL;
	struct ledger ledger;
	struct lint_step *st;
	struct probe_table *probes = NULL;
	struct prep *prep = NULL;
	size_t i, nprobes = 0, nstmts = 0, a, t;
	int rc = 0, probed = 0, timeline_failed = 0;

	memset(out, 0, sizeof(*out));
	for (a = 0; a < sc->napps; a++)
		for (t = 0; t < sc->apps[a].ntx; t++)
			nstmts += sc->apps[a].tx[t].nstmts;
	prep = xcalloc(nstmts + 1, sizeof(*prep));
	out->engine = db_name(drv);
	ledger_init(&ledger);
	if (db_create(drv, target, opts, &db, err) || db_connect(drv, db, &c, err)) {
		rc = DRILL_EENGINE;
		goto out;
	}
	st = add_step(out, "schema", schema ? schema->line : 0);
	if (!schema) {
		step_fail(out, st, "no '-- @schema' block for this engine");
		goto out;
	}
	if (run_schema(sc, drv, c, out, st)) {
		st = add_step(out, "the rest", 0);
		st->status = LINT_SKIPPED;
		st->note = xstrdup("seed, migrations, probes and the down migration need the schema");
		goto out;
	}
	st = add_step(out, "seed", sc->nseeds ? sc->seeds[0].line : 0);
	if (probe_adopt(NULL, sc, drv, c, &ledger, err) || seeder_run(sc, drv, c, &ledger, seed, NULL, NULL, err)) {
		step_fail(out, st, err->buf);
		strbuf_reset(err);
		if (db_in_tx(drv, c))
			db_rollback(drv, c);
	}
	prepare_all(sc, drv, c, prep);
	for (i = 0; i < sc->ntimeline; i++) {
		const struct tl_event *ev = &sc->timeline[i];
		const struct migration *mig;
		struct strbuf what = STRBUF_INIT;

		if (stop && *stop) {
			rc = strbuf_error(err, DRILL_EINTR, "interrupted");
			goto out;
		}
		if (ev->action == TL_FIX) {
			run_probes(sc, drv, c, out, &probes, &nprobes);
			run_down(sc, drv, c, out);
			prepare_all(sc, drv, c, prep);
			probed = 1;
			continue;
		}
		if (ev->action != TL_MIGRATE)
			continue;
		mig = &sc->migrations[ev->migration];
		strbuf_addf(&what, "migration %s", mig->name);
		st = add_step(out, what.buf, mig->line);
		strbuf_release(&what);
		/* The drill backs the database up right before the bad migration; fixes read it. */
		if (!strcmp(mig->name, "bad") && db_snapshot(drv, c, err)) {
			step_fail(out, st, err->buf);
			strbuf_reset(err);
			timeline_failed = 1;
			continue;
		}
		if (!migration_sql(sc, drv, ev->migration)) {
			step_fail(out, st, "no block of this migration for this engine");
			timeline_failed = 1;
			continue;
		}
		if (run_block(drv, c, migration_sql(sc, drv, ev->migration), out, st))
			timeline_failed = 1;
		if (casts_to_integer(migration_sql(sc, drv, ev->migration)->text))
			st->note = xstrdup("it casts to an integer: PostgreSQL rounds a fraction (2.5 becomes 3), "
					   "SQLite truncates it (2), so where values have fractions the story holds "
					   "on one engine only; lint it and drill it on both (--engines sqlite,postgres)");
		prepare_all(sc, drv, c, prep);
	}
	if (!probed) {
		run_probes(sc, drv, c, out, &probes, &nprobes);
		run_down(sc, drv, c, out);
		prepare_all(sc, drv, c, prep);
	}
	/* A migration that failed here left schemas the story never meant: what names what, unjudged. */
	if (!timeline_failed)
		report_unprepared(sc, prep, out);
	check_writes(sc, probes, nprobes, out);
out:
	for (i = 0; prep && i < nstmts; i++)
		free(prep[i].error);
	free(prep);
	probe_tables_free(probes, nprobes);
	ledger_release(&ledger);
	if (c) {
		db_rollback(drv, c);
		db_disconnect(drv, c);
	}
	if (db)
		db_destroy(drv, db, 0, NULL, &why);
	strbuf_release(&why);
	return rc;
}

void lint_result_release(struct lint_result *r)
{
	size_t i;
	for (i = 0; i < r->nr; i++) {
		free(r->v[i].what);
		free(r->v[i].error);
		free(r->v[i].note);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
