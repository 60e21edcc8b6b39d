/*
** make bench: measured figures, not a test.  The engine's simulated
** statements per second on phone-not-null (rows=100000, 8 clients) beside
** a bare C loop issuing the same kinds of prepared statements to SQLite
** with no scheduler or ledger (the limit), their ratio, and the ledger's
** bytes per fact.  The bare loop talks to SQLite directly: that is what
** makes it the baseline.
**
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../scoring/pipeline.h"
#include "../sim/input/fixfile.h"
#include "../sim/input/scenario.h"
#include "../sim/engine/scheduler.h"
#include "../sim/base/sqltext.h"

#define SCENARIO "scenarios/phone-not-null/scenario.drill"
#define FIX "scenarios/phone-not-null/fixes/make-nullable.sql"
#define CLIENTS 8

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct timing {
	double traffic_start, migration, done;
	int64_t migration_tick;
};

static void progress(void *ctx, int phase, int64_t tick, int64_t total)
{
	struct timing *t = ctx;
	(void)total;
	if (phase == DRILL_TRAFFIC && tick == 0)
		t->traffic_start = now();
	else if (phase == DRILL_MIGRATION && !t->migration) {
		t->migration = now();
		t->migration_tick = tick;
	} else if (phase == DRILL_DONE)
		t->done = now();
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench: %s: %s\n", what, msg);
	exit(3);
}

static void exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg ? msg : "?");
}

static sqlite3_stmt *prep(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(h));
	return st;
}

static void step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		die(sqlite3_sql(st), sqlite3_errstr(rc));
	sqlite3_reset(st);
}

/* Run a script's statements one by one, as the migrator does. */
static long run_script(sqlite3 *h, const char *text)
{
	struct sql_script s = { 0 };
	size_t i;
	sql_split(text, 1, &s);
	for (i = 0; i < s.nr; i++) {
		sqlite3_stmt *st = prep(h, s.v[i].sql);
		step(st);
		sqlite3_finalize(st);
	}
	i = s.nr;
	sql_script_release(&s);
	return (long)i;
}

/*
** The limit: the same transaction shapes (BEGIN IMMEDIATE, one INSERT or
** UPDATE, COMMIT) on the same number of connections, the bad migration and
** the fix at the same points, with trivial values.
*/
static double bare_loop(long rows, long n_before, long n_mid, long n_after, const char *bad,
			const char *fix, long *statements)
{
	char dir[] = "/tmp/mdrill-bench-XXXXXX", path[256], name[64], email[64];
	sqlite3 *h[CLIENTS + 1];
	sqlite3_stmt *begin[CLIENTS], *commit[CLIENTS], *ins1[CLIENTS], *ins2[CLIENTS], *upd[CLIENTS];
	long i, next_id = rows + 1, n = 0;
	double t0, t;
	int c, migrated = 0;

	if (!mkdtemp(dir))
		die("mkdtemp", dir);
	snprintf(path, sizeof(path), "%s/bare.db", dir);
	for (c = 0; c <= CLIENTS; c++) {
		if (sqlite3_open(path, &h[c]) != SQLITE_OK)
			die("open", path);
		exec(h[c], "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=OFF");
	}
	exec(h[CLIENTS], "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)");
	exec(h[CLIENTS], "BEGIN");
	{
		sqlite3_stmt *st = prep(h[CLIENTS], "INSERT INTO users VALUES (?1, ?2, ?3)");
		for (i = 1; i <= rows; i++) {
			snprintf(email, sizeof(email), "u%ld@example.com", i);
			sqlite3_bind_int64(st, 1, i);
			sqlite3_bind_text(st, 2, "Ada Lovelace", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, email, -1, SQLITE_TRANSIENT);
			step(st);
		}
		sqlite3_finalize(st);
	}
	exec(h[CLIENTS], "COMMIT");
	for (c = 0; c < CLIENTS; c++) {
		begin[c] = prep(h[c], "BEGIN IMMEDIATE");
		commit[c] = prep(h[c], "COMMIT");
		ins1[c] = prep(h[c], "INSERT INTO users (id, name, email) VALUES (?1, ?2, ?3)");
		upd[c] = prep(h[c], "UPDATE users SET email = ?1 WHERE id = ?2");
		ins2[c] = NULL;
	}

	t0 = now();
	for (i = 0; i < n_before + n_mid + n_after; i++) {
		sqlite3_stmt *st;
		c = (int)(i % CLIENTS);
		if (i == n_before) {
			n += run_script(h[CLIENTS], bad);
			migrated = 1;
		} else if (i == n_before + n_mid) {
			n += run_script(h[CLIENTS], fix);
		}
		if (migrated && !ins2[c])
			ins2[c] = prep(h[c], "INSERT INTO users (id, name, email, phone_number) VALUES (?1, ?2, ?3, ?4)");
		step(begin[c]);
		snprintf(email, sizeof(email), "w%ld@example.com", i);
		if (i % 5 < 3) {
			st = migrated ? ins2[c] : ins1[c];
			snprintf(name, sizeof(name), "Grace Hopper %ld", i);
			sqlite3_bind_int64(st, 1, next_id++);
			sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
			if (migrated)
				sqlite3_bind_text(st, 4, "555-0100-0000", -1, SQLITE_STATIC);
		} else {
			st = upd[c];
			sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, 1 + (i * 7919) % rows);
		}
		step(st);
		step(commit[c]);
		n += 3;
	}
	t = now() - t0;
	for (c = 0; c < CLIENTS; c++) {
		sqlite3_finalize(begin[c]);
		sqlite3_finalize(commit[c]);
		sqlite3_finalize(ins1[c]);
		sqlite3_finalize(ins2[c]);
		sqlite3_finalize(upd[c]);
	}
	for (c = 0; c <= CLIENTS; c++)
		sqlite3_close(h[c]);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);
	*statements = n;
	return t;
}

#define RUNS 3

/*
** PostgreSQL: mdrill's traffic (8 clients, phone-not-null) against a
** throwaway server, beside pgbench on the same server in the same run with
** an equivalent custom script (register 3 : change email 2).  Transactions
** per second, best of RUNS each.
*/
static double pg_mdrill(const char *url, int concurrent, int runs, long *txs)
{
	static const struct param_set sets[] = {
		{ "rows", "100000" }, { "clients", "8" }, { "bad_at", "100000" },
		{ "deploy_at", "101000" }, { "fix_at", "105000" }, { "end_at", "110000" },
	};
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc;
	struct pipeline_request o;
	struct pipeline_result res;
	double best = 0;
	int run;
	size_t i;

	if (scenario_load(SCENARIO, sets, sizeof(sets) / sizeof(sets[0]), &sc, &err))
		die("load", err.buf);
	for (run = 0; run < runs; run++) {
		struct timing tm = { 0, 0, 0, 0 };
		const struct drill *d = &res.drill;
		long n = 0;
		memset(&o, 0, sizeof(o));
		o.target = url;
		o.seed = 1;
		o.fixarg = FIX;
		o.concurrent = concurrent;
		o.hold = 1;
		o.progress = progress;
		o.progress_ctx = &tm;
		if (pipeline_score(sc, db_driver_find(DIALECT_POSTGRES), &o, &res, &err))
			die("drill on postgres", err.buf);
		/* Plain traffic, as pgbench runs it: up to the bad migration. */
		for (i = 1; i < d->ledger.ntx; i++)
			n += d->ledger.tx[i].outcome == TX_OK && d->ledger.tx[i].complete < tm.migration_tick;
		if ((double)n / (tm.migration - tm.traffic_start) > best) {
			best = (double)n / (tm.migration - tm.traffic_start);
			*txs = n;
		}
		pipeline_result_release(&res);
	}
	scenario_free(sc);
	strbuf_release(&err);
	return best;
}

static double pgbench(const char *bindir, const char *url, const char *dir)
{
	char cmd[2048], line[512], host[512];
	const char *h = strstr(url, "host=");
	double best = 0, tps;
	FILE *f;
	int run;

	snprintf(host, sizeof(host), "%s", h ? h + 5 : "/tmp");
	snprintf(cmd, sizeof(cmd),
		 "psql -q '%s' -c 'CREATE DATABASE pgbench_mdrill' && "
		 "psql -q \"$(echo '%s' | sed 's|/postgres?|/pgbench_mdrill?|')\" -c \""
		 "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);"
		 "INSERT INTO users SELECT g, 'Ada Lovelace', 'u' || g || '@example.com' "
		 "FROM generate_series(1, 100000) g; CREATE SEQUENCE ids START 200000;\"",
		 url, url);
	if (system(cmd) != 0)
		die("pgbench set-up", cmd);
	snprintf(cmd, sizeof(cmd), "%s/register.sql", dir);
	f = fopen(cmd, "w");
	fputs("\\set n random(1, 1000000)\nBEGIN;\nINSERT INTO users (id, name, email) VALUES "
	      "(nextval('ids'), 'Grace Hopper', 'g' || :n || '@example.com');\nEND;\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s/email.sql", dir);
	f = fopen(cmd, "w");
	fputs("\\set id random(1, 100000)\n\\set n random(1, 1000000)\nBEGIN;\n"
	      "UPDATE users SET email = 'e' || :n || '@example.com' WHERE id = :id;\nEND;\n", f);
	fclose(f);
	for (run = 0; run < RUNS; run++) {
		/* -c 8 as the issue names it; pgbench's default -j 1, one thread like mdrill. */
		snprintf(cmd, sizeof(cmd), "'%s/pgbench' -n -h '%s' -U mdrill -c %d -T 5 "
			 "-f '%s/register.sql@3' -f '%s/email.sql@2' pgbench_mdrill 2>&1",
			 bindir, host, CLIENTS, dir, dir);
		f = popen(cmd, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "tps = %lf", &tps) == 1 && tps > best)
				best = tps;
		if (f)
			pclose(f);
	}
	snprintf(cmd, sizeof(cmd), "psql -q '%s' -c 'DROP DATABASE pgbench_mdrill'", url);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not drop pgbench_mdrill\n");
	return best;
}

/*
** A 40-file golang-migrate history of the kind try meets: tables with
** foreign keys, a trigger that stamps updated_at, seed rows, indexes, added
** columns; written here so that the figure needs no fetched project.
*/
#define HISTORY_FILES 40

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "w")) || fputs(text, f) < 0 || fclose(f))
		die("write", path);
}

static void write_history(const char *dir)
{
	char name[64], text[2048];
	int k;

	write_file(dir, "000001_accounts.up.sql",
		   "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, name text,\n"
		   "    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz);\n");
	write_file(dir, "000002_touch.up.sql",
		   "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
		   "BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n"
		   "CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();\n");
	write_file(dir, "000003_projects.up.sql",
		   "CREATE TABLE projects (id serial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id),\n"
		   "    title text NOT NULL, status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')));\n"
		   "CREATE INDEX projects_account ON projects (account_id);\n");
	write_file(dir, "000004_seed.up.sql",
		   "INSERT INTO accounts (email, name) VALUES ('admin@example.com', 'Admin'), ('ops@example.com', 'Ops');\n"
		   "INSERT INTO projects (account_id, title) VALUES (1, 'First'), (2, 'Second');\n");
	for (k = 5; k <= HISTORY_FILES; k++) {
		snprintf(name, sizeof(name), "%06d_step_%d.up.sql", k, k);
		switch (k % 4) {
		case 1:
			snprintf(text, sizeof(text),
				 "CREATE TABLE items_%d (id serial PRIMARY KEY, project_id integer REFERENCES projects (id),\n"
				 "    label text NOT NULL, amount numeric(10,2), created_at timestamptz NOT NULL DEFAULT now(),\n"
				 "    updated_at timestamptz);\n"
				 "CREATE TRIGGER items_%d_touch BEFORE UPDATE ON items_%d FOR EACH ROW EXECUTE FUNCTION touch();\n",
				 k, k, k);
			break;
		case 2:
			snprintf(text, sizeof(text), "CREATE INDEX items_%d_project ON items_%d (project_id);\n"
				 "INSERT INTO items_%d (project_id, label) VALUES (1, 'seed');\n", k - 1, k - 1, k - 1);
			break;
		case 3:
			snprintf(text, sizeof(text), "ALTER TABLE items_%d ADD COLUMN note varchar(200);\n"
				 "COMMENT ON TABLE items_%d IS 'step %d';\n", k - 2, k - 2, k);
			break;
		default:
			snprintf(text, sizeof(text), "ALTER TABLE items_%d ADD COLUMN kind text NOT NULL DEFAULT 'plain';\n"
				 "ALTER TABLE accounts ADD COLUMN flag_%d boolean;\n", k - 3, k);
			break;
		}
		write_file(dir, name, text);
	}
}

/*
** try on the 40-file history, beside psql applying the same files to a
** fresh database: what a pull request's check costs over the bare apply.
*/
static void bench_try(const char *url, const char *dir)
{
	char hist[512], next[512], cmd[2048];
	double best_try = 1e30, best_psql = 1e30, t;
	int run;

	snprintf(hist, sizeof(hist), "%s/history", dir);
	snprintf(next, sizeof(next), "%s/next.up.sql", dir);
	if (mkdir(hist, 0755))
		die("mkdir", hist);
	write_history(hist);
	write_file(dir, "next.up.sql", "ALTER TABLE accounts ADD COLUMN nickname text;\n");
	for (run = 0; run < RUNS; run++) {
		snprintf(cmd, sizeof(cmd), "./mdrill try --migrations '%s' --new '%s' --db '%s' >/dev/null 2>&1", hist,
			 next, url);
		t = now();
		if (system(cmd) != 0)
			die("try", cmd);
		if ((t = now() - t) < best_try)
			best_try = t;
		snprintf(cmd, sizeof(cmd),
			 "psql -q '%s' -c 'CREATE DATABASE bench_psql' && cat '%s'/*.up.sql | psql -q -v ON_ERROR_STOP=1 "
			 "\"$(echo '%s' | sed 's|/postgres?|/bench_psql?|')\" >/dev/null", url, hist, url);
		t = now();
		if (system(cmd) != 0)
			die("psql", cmd);
		if ((t = now() - t) < best_psql)
			best_psql = t;
		snprintf(cmd, sizeof(cmd), "psql -q '%s' -c 'DROP DATABASE bench_psql'", url);
		if (system(cmd) != 0)
			die("psql", cmd);
	}
	printf("mdrill bench: try on a %d-file history (triggers, seed rows; a nullable ADD COLUMN), best of %d\n",
	       HISTORY_FILES, RUNS);
	printf("  try        %6.2f s (scaffold, the drill, the locks' measure; the history applied twice)\n", best_try);
	printf("  psql       %6.2f s (the same files applied to a fresh database)\n", best_psql);
	printf("  ratio      %.1fx psql\n", best_try / best_psql);
}

static void bench_postgres(void)
{
	char dir[] = "/tmp/mdrill-bench-pg-XXXXXX", cmd[512], url[512], bindir[256];
	double det, conc, base;
	long det_n = 0, conc_n = 0;
	FILE *f;

	f = popen("pg_config --bindir 2>/dev/null", "r");
	if (!f || !fgets(bindir, sizeof(bindir), f)) {
		printf("postgres: SKIPPED (no server binaries)\n");
		if (f)
			pclose(f);
		return;
	}
	pclose(f);
	bindir[strcspn(bindir, "\n")] = '\0';
	if (!mkdtemp(dir))
		die("mkdtemp", dir);
	snprintf(cmd, sizeof(cmd), "chmod 755 '%s' && sh tests/pgserver.sh start '%s/s'", dir, dir);
	f = popen(cmd, "r");
	if (!f || !fgets(url, sizeof(url), f))
		die("PostgreSQL", "the throwaway server did not start");
	pclose(f);
	url[strcspn(url, "\n")] = '\0';

	det = pg_mdrill(url, 0, 1, &det_n);
	conc = pg_mdrill(url, 1, RUNS, &conc_n);
	base = pgbench(bindir, url, dir);
	printf("mdrill bench: postgres %s, phone-not-null, rows=100000, %d clients\n", bindir, CLIENTS);
	printf("  mdrill --concurrent  %8.0f transactions/s (%ld committed before the bad migration; best of %d runs)\n",
	       conc, conc_n, RUNS);
	printf("  mdrill deterministic %8.0f transactions/s (%ld committed before it; one statement at a time, 1 run)\n",
	       det, det_n);
	printf("  pgbench -c %d        %8.0f transactions/s (equivalent custom script; best of %d runs of 5 s)\n",
	       CLIENTS, base, RUNS);
	printf("  ratio      %.2f of pgbench with --concurrent (target at least 0.90); %.2f deterministic\n",
	       conc / base, det / base);
	printf("\n");
	fflush(stdout);
	bench_try(url, dir);
	snprintf(cmd, sizeof(cmd), "sh tests/pgserver.sh stop '%s/s'; rm -rf '%s'", dir, dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not stop the server in %s\n", dir);
}

int main(void)
{
	static const struct param_set sets[] = {
		{ "rows", "100000" }, { "clients", "8" }, { "bad_at", "100000" },
		{ "deploy_at", "120000" }, { "fix_at", "200000" }, { "end_at", "300000" },
	};
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc;
	struct sql_script fix = { 0 };
	struct pipeline_request o;
	struct pipeline_result res;
	long n_before = 0, n_mid = 0, n_after = 0, bare_n = 0;
	double engine_s = 1e30, bare_s = 1e30, engine_rate, bare_rate;
	uint64_t statements = 0;
	size_t i, bytes = 0, nfacts = 0, ntx = 0;
	int64_t ticks = 0;
	int run;
	const struct sql_variant *bad;
	struct strbuf fixtext = STRBUF_INIT;

	if (scenario_load(SCENARIO, sets, sizeof(sets) / sizeof(sets[0]), &sc, &err) ||
	    fixfile_load(FIX, DIALECT_SQLITE, &fix, &err))
		die("load", err.buf);
	/* Best of RUNS for each side: the machine's noise only ever slows a run down. */
	for (run = 0; run < RUNS; run++) {
		struct timing tm = { 0, 0, 0, 0 };
		const struct drill *d = &res.drill;
		int64_t bad_start, fix_end;
		memset(&o, 0, sizeof(o));
		o.seed = 1;
		o.fixarg = FIX;
		o.hold = 1;
		o.progress = progress;
		o.progress_ctx = &tm;
		if (pipeline_score(sc, db_driver_find(DIALECT_SQLITE), &o, &res, &err))
			die("drill", err.buf);
		if (tm.done - tm.traffic_start < engine_s)
			engine_s = tm.done - tm.traffic_start;
		statements = d->env.statements;
		bytes = ledger_bytes(&d->ledger);
		nfacts = d->ledger.nfacts;
		ntx = d->ledger.ntx - 1;
		ticks = d->last_tick;
		bad_start = d->migs[d->bad].start;
		fix_end = d->migs[d->fix].end;
		n_before = n_mid = n_after = 0;
		for (i = 1; i < d->ledger.ntx; i++) {
			const struct ledger_tx *t = &d->ledger.tx[i];
			if (t->outcome != TX_OK)
				continue;
			if (t->invoke < bad_start)
				n_before++;
			else if (t->invoke <= fix_end)
				n_mid++;
			else
				n_after++;
		}
		pipeline_result_release(&res);
	}
	engine_rate = (double)statements / engine_s;

	bad = sql_section_pick(&sc->migrations[scenario_migration(sc, "bad")].sql, DIALECT_SQLITE);
	for (i = 0; i < fix.nr; i++)
		strbuf_addf(&fixtext, "%s;\n", fix.v[i].sql);
	for (run = 0; run < RUNS; run++) {
		double t = bare_loop(100000, n_before, n_mid, n_after, bad->text, fixtext.buf, &bare_n);
		if (t < bare_s)
			bare_s = t;
	}
	bare_rate = (double)bare_n / bare_s;

	printf("mdrill bench: phone-not-null, rows=100000, %d clients, sqlite %s, best of %d runs each\n",
	       CLIENTS, sqlite3_libversion(), RUNS);
	printf("  engine     %9llu statements in %6.3f s = %9.0f statements/s (%lld ticks, %zu transactions)\n",
	       (unsigned long long)statements, engine_s, engine_rate, (long long)ticks, ntx);
	printf("  bare loop  %9ld statements in %6.3f s = %9.0f statements/s (same shapes, no scheduler or ledger)\n",
	       bare_n, bare_s, bare_rate);
	printf("  ratio      %.2f of the bare loop (target at least 0.70)\n", engine_rate / bare_rate);
	printf("  ledger     %zu bytes for %zu facts = %.1f bytes per fact, after the drill (target at most 64)\n",
	       bytes, nfacts, (double)bytes / (double)nfacts);

	sql_script_release(&fix);
	scenario_free(sc);
	strbuf_release(&err);
	strbuf_release(&fixtext);
	printf("\n");
	fflush(stdout);
	bench_postgres();
	return 0;
}
