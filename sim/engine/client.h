/*
** A virtual client: one connection running one app version's transactions,
** as an explicit state machine in the manner of pgbench's CSTATE_*.  Each
** call to client_step is one tick: one statement, or one retry of a
** statement that met a lock.  Transactions are recorded in the ledger with
** the facts their '@writes' and '@deletes' lines declare.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_CLIENT_H
#define MDRILL_CLIENT_H

#include <stdint.h>

#include "../db/db.h"
#include "ledger.h"
#include "../base/prng.h"
#include "../input/scenario.h"
#include "../base/strbuf.h"

struct pgbench_value;

/* A transaction statement compiled for one engine. */
struct stmt_plan {
	char *sql;       /* :vars replaced by the engine's placeholders */
	int nparams;
	int *var;        /* per placeholder, the index of its '\set' variable */
};

struct tx_plan {
	struct stmt_plan *stmts;
	size_t nstmts;
	size_t first;    /* number of the first statement among all of the plan's */
	uint32_t *ids;   /* per '@writes' line: its table's id, then its fields' ids */
};

struct plan {
	struct tx_plan **tx;   /* [app version][transaction] */
	size_t napps;
	size_t *ntx;
	size_t nstmts;         /* statements over all transactions */
};

/* A key a transaction in flight works on, kept from other clients' existing(). */
struct lease {
	uint32_t table, key;
	int client;
};

/* An interval in which a client (or the migrator, who -1) waited on a lock. */
struct blocked_span {
	int64_t from, to;
	int who;
};

/* What the clients share: the drill's state as far as they touch it. */
struct client_env {
	const struct scenario *sc;
	const struct db_driver *drv;
	const struct plan *plan;
	struct ledger *ledger;
	struct lease *leases;
	size_t nleases, leases_alloc;
	struct blocked_span *spans;
	size_t nspans, spans_alloc;
	int64_t tick;
	long busy;             /* ticks a statement may wait before it fails */
	double awkward;
	uint64_t epoch;        /* bumped whenever a transaction ends anywhere */
	int writer;            /* client whose BEGIN holds the one write lock, or -1 */
	/*
	** One-writer engines: a statement on its own that wrote and worked for
	** several ticks (see db_work) holds the write lock, in the model, until
	** hold_until (-1: none), though the engine already let it go.
	*/
	int64_t hold_until;
	int hold_who;
	int poll_all;          /* this tick, waiting participants look again anyway */
	int free_step;         /* the last step only joined the wait queue: no tick spent */
	int concurrent;        /* clients send and collect later: statements overlap */
	char *flags_on;        /* per feature flag of the scenario: 1 on, 0 off */
	int *waitq;            /* who waits for the write lock, in arrival order */
	size_t nwait, wait_alloc;
	uint64_t statements;   /* statements that completed (not those that met a lock) */
};

enum client_state {
	CS_IDLE,      /* between transactions */
	CS_BEGIN,     /* BEGIN not yet through */
	CS_STMT,      /* running statement number stmt */
	CS_COMMIT,    /* COMMIT not yet through */
	CS_DONE,      /* stopped at the end of the drill */
	CS_SLEEP,     /* a pgbench script's '\sleep' before its BEGIN: chosen, not begun */
};

struct client {
	int id;
	int version;
	int pending;          /* version to switch to at the next transaction, or -1 */
	int stopping;         /* finish the transaction in flight, then stop */
	struct db_conn *conn;
	struct prng rng;
	int state;
	int txi;
	size_t stmt;
	struct strbuf *vals;  /* per '\set' variable of the transaction */
	char *isnull;
	struct pgbench_value *nums;  /* per variable of a pgbench script: its number */
	size_t nvals;
	const char **params;
	size_t params_alloc;
	int64_t invoke;
	int64_t blocked_since; /* -1 when not blocked */
	int blocked_by_db;     /* its last try met a lock the database holds, not the model's queue of writers */
	int64_t wake;          /* '\sleep': it takes no step before this tick */
	int in_flight;         /* concurrent mode: a statement is out, not yet answered */
	int64_t flight_since;  /* the tick it went out */
	double flight_wall;    /* and the monotonic time, in seconds */
	uint64_t blocked_epoch;
	struct db_stmt **cache;  /* prepared statements by plan number */
	int64_t seq;
};

/**
 * Compile every transaction of sc for drv.  Free with plan_release.
 */
void plan_build(struct plan *p, const struct scenario *sc, const struct db_driver *drv);
void plan_release(struct plan *p);
/**
 * Intern the table and field names of every '@writes' and '@deletes' line
 * in l once, so recording a transaction's facts looks up only its values.
 */
void plan_bind(struct plan *p, const struct scenario *sc, struct ledger *l);

/**
 * Connect client c to db.  Returns 0, or -1 with the reason in err.
 * Release with client_release, even after a failure.
 */
int client_init(struct client *c, int id, int version, uint64_t seed,
		struct client_env *env, struct db *db, struct strbuf *err);
void client_release(struct client *c, struct client_env *env);

/** Take one step (one tick).  Never fails: errors become failed transactions. */
void client_step(struct client *c, struct client_env *env);

/** Is a transaction in flight? */
int client_in_tx(const struct client *c);

/* How a killed client's transaction ends (client_kill). */
enum client_kill_how {
	CLIENT_KILL_MID,           /* before its COMMIT went out: it never committed */
	CLIENT_KILL_COMMIT_LANDS,  /* its COMMIT went out and reached the database */
	CLIENT_KILL_COMMIT_LOST,   /* its COMMIT went out and died with the connection */
};

/**
 * Fault: kill c's connection in the middle of its transaction.  A client
 * whose COMMIT went out cannot know whether it landed: the transaction is
 * indeterminate unless the server can say (PostgreSQL's pg_xact_status).
 * how is one of CLIENT_KILL_*; the COMMIT ones apply only to a client
 * about to commit.  Returns 0, or -1 when c is not in a transaction it can
 * be killed in (none open, or a statement out on the server).
 */
int client_kill(struct client *c, struct client_env *env, int how);

/**
 * Is c idle in a pgbench script's '\sleep' at this tick?  It keeps what
 * it holds, a transaction and its locks included, and takes no step until
 * c->wake.
 */
int client_asleep(const struct client *c, const struct client_env *env);

/**
 * Can c take a step now?  A client waiting on a lock takes no turns (a
 * blocked process uses no time of its own) until a transaction ends
 * somewhere, it reaches the head of the write queue, or its busy timeout
 * is due.  *deadline receives that timeout's tick when it waits, or the
 * tick it wakes at when it sleeps.
 */
int client_runnable(const struct client *c, const struct client_env *env, int64_t *deadline);

/**
 * May who (a client id, or -1 for the migrator) try its statement now?
 * On an engine with one database-wide write lock, writers queue for it in
 * arrival order, as they do for a PostgreSQL lock: one that holds no
 * transaction waits while another is ahead of it.  Without this a blocked
 * client competes at random with every fresh BEGIN and starves into busy
 * timeouts that have nothing to do with the migration under test.
 */
int env_may_try(struct client_env *env, int who, int holds_tx);
/**
 * who (a client id, or -1 for the migrator) holds the write lock until
 * tick until, or, with until -1, no longer: those who wait look again.
 */
void env_hold(struct client_env *env, int who, int64_t until);

/** who met a lock: join the wait queue if not in it yet. */
void env_wait(struct client_env *env, int who);
/** who got through or gave up: leave the wait queue. */
void env_unwait(struct client_env *env, int who);

/**
 * Record in env that who was blocked from since up to now; the scheduler's
 * migrator shares this with the clients.
 */
void env_add_span(struct client_env *env, int who, int64_t since);

#endif
