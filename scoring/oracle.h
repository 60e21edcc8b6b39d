/*
** The oracle: compares what the probes found with what the ledger says
** every acknowledged write established.  For each (table, key, field) the
** expected value is that of the last acknowledged write; where acknowledged
** writes overlap in time, any of them may be last and each is accepted (the
** rule Jepsen's register checkers use), and a transaction of unknown outcome
** is accepted either way.  What is not preserved is classed as a lost row,
** a lost field (NULL or a declared default), corrupted (another value) or
** phantom (a failed transaction's value, a deleted row back, a row nobody
** wrote).  This is the product: a wrong "preserved" is the lie mdrill
** exists to expose, so every class has a hand-built test.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_ORACLE_H
#define MDRILL_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/engine/ledger.h"
#include "../sim/input/scenario.h"
#include "probe.h"

enum oracle_class {
	OC_PRESERVED,
	OC_LOST_ROW,
	OC_LOST_FIELD,
	OC_CORRUPTED,
	OC_PHANTOM,
	OC_COUNT
};

/* When the accepted value was written. */
enum oracle_window {
	OW_SEED,       /* seed rows */
	OW_BEFORE,     /* before the bad migration */
	OW_INCIDENT,   /* from the bad migration to the end of the fix: stranded data */
	OW_AFTER,      /* after the fix */
	OW_COUNT
};

struct oracle_counts {
	uint64_t expected;        /* facts an acknowledged write established */
	uint64_t n[OC_COUNT];     /* by class; phantom also counts rows no one wrote */
	uint64_t indeterminate;   /* facts accepted only because an outcome is unknown */
};

#define ORACLE_NO_TX UINT32_MAX

struct oracle_finding {
	int cls;
	int window;
	uint32_t table, key, field;  /* ledger string ids; field LEDGER_ROW for the row */
	uint32_t expected;           /* a value id, LEDGER_NONE (NULL), or a row marker */
	/*
	** The transaction that wrote what was expected (for a phantom, the
	** failed one whose value is there); ORACLE_NO_TX for a row no
	** transaction wrote.  Who lost a fact is told from when it was written.
	*/
	uint32_t tx;
	char *found;                 /* what the probe read; NULL with found_null/absent */
	int found_null;
	int found_absent;
	const char *why;             /* static text, or a probe's error in the result's errors */
};

struct oracle_input {
	const struct ledger *ledger;
	const struct probe_table *probes;
	size_t nprobes;
	int64_t incident_start;   /* tick the bad migration started; -1 if it never did */
	int64_t incident_end;     /* tick the fix ended (or the drill, if it never did) */
	const struct field_default *defaults;
	size_t ndefaults;
	/* Columns and tables a migration renamed ('-- @renamed'): one item under either name. */
	const struct rename *renames;
	size_t nrenames;
};

struct oracle_result {
	struct oracle_counts total;
	struct oracle_counts win[OW_COUNT];
	uint64_t rows_lost;          /* distinct rows with a lost-row finding */
	uint64_t extra_phantoms;     /* phantom findings outside the expected facts */
	struct oracle_finding *findings;   /* every fact not preserved, in ledger order */
	size_t nfindings, findings_alloc;
	double ratio;                /* preserved / (expected + extra phantoms) */
	/*
	** Each failed probe's error, copied: findings point at them, and
	** outlive the probes (the CSV export writes them after they are gone).
	*/
	char **errors;
	size_t nerrors;
};

/**
 * Check in against the ledger and fill out (which the caller releases with
 * oracle_result_release).  Cannot fail.
 */
void oracle_check(const struct oracle_input *in, struct oracle_result *out);
void oracle_result_release(struct oracle_result *r);

/** preserved / expected of c; 1.0 when nothing was expected. */
double oracle_counts_ratio(const struct oracle_counts *c);

const char *oracle_class_name(int cls);
const char *oracle_window_name(int w);

#endif
