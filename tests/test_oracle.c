/*
** The oracle on hand-built ledgers and probe results, one case a row: every
** class (preserved, lost row, lost field, corrupted, phantom), the
** acceptance rules (indeterminate outcomes, overlapping writes), window
** attribution, failed and incomplete probes, renames, NULL against the
** empty string.  Each row's answer was worked out by hand from the rules in
** scoring/oracle.c; tests/oraclecase.h reads the rows (its banner has their
** notation) and checks the whole result.
**
** SPDX-License-Identifier: MIT
*/
#include <stdint.h>
#include <string.h>

#include "../scoring/oracle.h"
#include "../scoring/probe.h"
#include "../sim/base/strbuf.h"
#include "oraclecase.h"

/* Seed users 1 (ann, a@x), the start of most cases; the users probe's header. */
#define SEED_ANN "seed users 1 name=ann email=a@x\n"
#define USERS "users(id,name,email)\n"
/* Seed 1, then acknowledged email writes b@x and c@x, each at "INVOKE COMPLETE". */
#define TWO_WRITES(b, c) SEED_ANN "tx " b " ok users 1 email=b@x\ntx " c " ok users 1 email=c@x\n"
/* An email found where c@x was acknowledged last. */
#define STALE_EMAIL(v) "users 1 email corrupted before expected=c@x found=" v \
	" why=an older acknowledged value: a later write was lost"
/* Incident 10..20: a fact completed in each window and on each edge of it. */
#define WINDOWS_LEDGER                                 \
	"seed users s name=n\n"                        \
	"tx 8 9 ok users b9 name=n\n"                  \
	"tx 5 10 ok users i10 name=n\n"                \
	"tx 14 15 ok users i15 name=n\n"               \
	"tx 19 20 ok users i20 name=n\n"               \
	"tx 20 21 ok users a21 name=n\n"
#define WINDOWS_PROBE "users(id,name)\ns|n\nb9|n\ni10|n\ni20|n\na21|n"
/* A write under a column's new name after the rename; people is users' old name. */
#define RENAMED_LEDGER                                 \
	"seed users 1 name=ann email=a@x\n"            \
	"seed people 2 name=bob\n"                     \
	"tx 10 11 ok users 1 mail=b@x\n"
#define RENAMED_PROBE "users(id,name,mail)\n1|ann|b@x\n2|bob|NULL"
/* Seed 1; the seed's email superseded at [5,6], then a failed a@x and a failed c@x. */
#define FAILED_AFTER_ACK SEED_ANN        \
	"tx 5 6 ok users 1 email=b@x\n"   \
	"tx 7 8 failed users 1 email=a@x\n" \
	"tx 9 10 failed users 1 email=c@x\n"
/* Writes at [1,10], [2,3] and [4,5]: the first overlaps the last, the middle one precedes it. */
#define THREE_WRITES SEED_ANN             \
	"tx 1 10 ok users 1 email=b@x\n"   \
	"tx 2 3 ok users 1 email=c@x\n"    \
	"tx 4 5 ok users 1 email=d@x\n"
/* A delete at [5,10] overlapping an update at [7,12]. */
#define DELETE_AND_UPDATE SEED_ANN "tx 5 10 ok del users 1\ntx 7 12 ok users 1 email=b@x\n"

static const struct oracle_case oracle_cases[] = {
	/* ---- preserved, and the windows ---- */

	/*
	** Seed 1 (ann, a@x), 2 (bob, b@x); email of 1 updated at [3,4] (before),
	** name of 2 at [12,14] (incident 10..20), row 3 inserted at [25,26]
	** (after).  Six items, all found.
	*/
	{ "all_preserved",
	  .ledger = "seed users 1 name=ann email=a@x\n"
		    "seed users 2 name=bob email=b@x\n"
		    "tx 3 4 ok users 1 email=a2@x\n"
		    "tx 12 14 ok users 2 name=bobby\n"
		    "tx 25 26 ok users 3 name=cy email=c@x\n",
	  .probe = USERS "1|ann|a2@x\n2|bobby|b@x\n3|cy|c@x",
	  .incident = "10 20",
	  .counts = "total expected=6 preserved=6\n"
		    "seed expected=2 preserved=2\n"
		    "before expected=1 preserved=1\n"
		    "incident expected=1 preserved=1\n"
		    "after expected=2 preserved=2\n"
		    "ratio=1/1" },
	/*
	** A fact completed before the incident's start is before it; one that
	** completes at its start or its end is in it (i10 was invoked at 5);
	** after its end, after.  i15 is gone: a lost row of the incident.
	*/
	{ "windows_incident",
	  .ledger = WINDOWS_LEDGER,
	  .probe = WINDOWS_PROBE,
	  .incident = "10 20",
	  .counts = "total expected=6 preserved=5 lost_row=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 preserved=1\n"
		    "incident expected=3 preserved=2 lost_row=1\n"
		    "after expected=1 preserved=1\n"
		    "rows_lost=1 ratio=5/6",
	  .findings = "users i15 name lost_row incident expected=n found=<absent> why=the row is gone" },
	/* Without an incident (start -1) the five facts after the seed are all before. */
	{ "windows_no_incident",
	  .ledger = WINDOWS_LEDGER,
	  .probe = WINDOWS_PROBE,
	  .counts = "total expected=6 preserved=5 lost_row=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=5 preserved=4 lost_row=1\n"
		    "rows_lost=1 ratio=5/6",
	  .findings = "users i15 name lost_row before expected=n found=<absent> why=the row is gone" },
	/* Columns no fact names (a trigger's timestamp, '@untracked') are not judged. */
	{ "column_without_facts",
	  .ledger = SEED_ANN,
	  .probe = "users(id,name,email,updated_at)\n1|ann|a@x|2026-12-07",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	/* A column found under another case of its name, when only one matches, is that column. */
	{ "column_case_folded",
	  .ledger = SEED_ANN,
	  .probe = "users(id,NAME,Email)\n1|ann|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	/* An acknowledged value that is also the column's default is simply preserved. */
	{ "acknowledged_default_value",
	  .decls = "@default users.email none@x",
	  .ledger = "seed users 1 name=ann email=none@x",
	  .probe = USERS "1|ann|none@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },

	/* ---- lost rows ---- */

	/*
	** Seed 1; acknowledged inserts of 2 (bob, b@x) at [5,6] and 3 (cy, c@x)
	** at [7,8]; the probe has row 1 only.  One finding per field, but 2 rows.
	*/
	{ "lost_row",
	  .ledger = SEED_ANN
		    "tx 5 6 ok users 2 name=bob email=b@x\n"
		    "tx 7 8 ok users 3 name=cy email=c@x\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=6 preserved=2 lost_row=4\n"
		    "seed expected=2 preserved=2\n"
		    "before expected=4 lost_row=4\n"
		    "rows_lost=2 extra=0 ratio=2/6",
	  .findings = "users 2 name lost_row before expected=bob found=<absent> why=the row is gone\n"
		      "users 2 email lost_row before expected=b@x found=<absent> why=the row is gone\n"
		      "users 3 name lost_row before expected=cy found=<absent> why=the row is gone\n"
		      "users 3 email lost_row before expected=c@x found=<absent> why=the row is gone" },
	/*
	** Seed users 1, 2, orders o1, audit x1.  The users probe failed, orders
	** is read, nothing reads audit: users' facts are lost with the probe's
	** error (a copy) as reason, audit's with "no probe reads this table".
	*/
	{ "probe_failed",
	  .ledger = "seed users 1 name=ann email=a@x\n"
		    "seed users 2 name=bob email=b@x\n"
		    "seed orders o1 total=5\n"
		    "seed audit x1 msg=hi\n",
	  .probe = "users(id,name,email) error=no such table: users\n"
		   "orders(id,total)\n"
		   "o1|5",
	  .counts = "total expected=6 preserved=1 lost_row=5\n"
		    "seed expected=6 preserved=1 lost_row=5\n"
		    "rows_lost=3 extra=0 ratio=1/6",
	  .findings = "users 1 name lost_row seed expected=ann found=<absent> why=no such table: users\n"
		      "users 1 email lost_row seed expected=a@x found=<absent> why=no such table: users\n"
		      "users 2 name lost_row seed expected=bob found=<absent> why=no such table: users\n"
		      "users 2 email lost_row seed expected=b@x found=<absent> why=no such table: users\n"
		      "audit x1 msg lost_row seed expected=hi found=<absent> why=no probe reads this table" },
	/* A failed probe hides a failed insert's row too: nothing to judge there, no phantom. */
	{ "probe_failed_hides_failed_insert",
	  .ledger = SEED_ANN "tx 5 6 failed users 2 name=bo\n",
	  .probe = "users(id,name,email) error=timeout",
	  .counts = "total expected=2 lost_row=2\n"
		    "seed expected=2 lost_row=2\n"
		    "rows_lost=1 ratio=0/2",
	  .findings = "users 1 name lost_row seed expected=ann found=<absent> why=timeout\n"
		      "users 1 email lost_row seed expected=a@x found=<absent> why=timeout" },
	/*
	** A failed delete proves nothing: the seed's row must still be there.
	** Gone, its fields and the row (the delete made a row item) are lost.
	*/
	{ "failed_delete_took_effect",
	  .ledger = SEED_ANN "tx 5 6 failed del users 1\n",
	  .probe = USERS,
	  .counts = "total expected=3 lost_row=3\n"
		    "seed expected=3 lost_row=3\n"
		    "rows_lost=1 ratio=0/3",
	  .findings = "users 1 name lost_row seed expected=ann found=<absent> why=the row is gone\n"
		      "users 1 email lost_row seed expected=a@x found=<absent> why=the row is gone\n"
		      "users 1 row lost_row seed expected=<present> found=<absent> why=the row is gone" },
	{ "failed_delete_no_effect",
	  .ledger = SEED_ANN "tx 5 6 failed del users 1\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=3 preserved=3\n"
		    "seed expected=3 preserved=3" },
	/*
	** Deleted at [5,6], inserted again at [7,8] (ann2, a2@x): the insert
	** definitely follows the delete, so the row must be there.
	*/
	{ "reinserted_after_delete_gone",
	  .ledger = SEED_ANN "tx 5 6 ok del users 1\ntx 7 8 ok users 1 name=ann2 email=a2@x\n",
	  .probe = USERS,
	  .counts = "total expected=3 lost_row=3\n"
		    "before expected=3 lost_row=3\n"
		    "rows_lost=1 ratio=0/3",
	  .findings = "users 1 name lost_row before expected=ann2 found=<absent> why=the row is gone\n"
		      "users 1 email lost_row before expected=a2@x found=<absent> why=the row is gone\n"
		      "users 1 row lost_row before expected=<present> found=<absent> why=the row is gone" },
	{ "reinserted_after_delete_present",
	  .ledger = SEED_ANN "tx 5 6 ok del users 1\ntx 7 8 ok users 1 name=ann2 email=a2@x\n",
	  .probe = USERS "1|ann2|a2@x",
	  .counts = "total expected=3 preserved=3\n"
		    "before expected=3 preserved=3" },

	/* ---- lost fields ---- */

	/* Seed 1; email set to a2@x at [5,6]; found NULL: lost, in the window of the write. */
	{ "lost_field_null",
	  .ledger = SEED_ANN "tx 5 6 ok users 1 email=a2@x\n",
	  .probe = USERS "1|ann|NULL",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 lost_field=1\n"
		    "ratio=1/2",
	  .findings = "users 1 email lost_field before expected=a2@x found=NULL"
		      " why=NULL where a value was acknowledged" },
	/*
	** users.email defaults to none@x.  Found 1.email = none@x: lost field;
	** found 2.email = zz@x, not the default: corrupted.
	*/
	{ "lost_field_default",
	  .decls = "@default users.email none@x",
	  .ledger = "seed users 1 name=ann email=a@x\n"
		    "seed users 2 name=bob email=b@x\n",
	  .probe = USERS "1|ann|none@x\n2|bob|zz@x",
	  .counts = "total expected=4 preserved=2 lost_field=1 corrupted=1\n"
		    "seed expected=4 preserved=2 lost_field=1 corrupted=1\n"
		    "ratio=2/4",
	  .findings = "users 1 email lost_field seed expected=a@x found=none@x"
		      " why=the column's default where a value was acknowledged\n"
		      "users 2 email corrupted seed expected=b@x found=zz@x"
		      " why=another value than any acknowledged write" },
	/* The probe returns (id, name) only: email is lost. */
	{ "missing_column",
	  .ledger = SEED_ANN,
	  .probe = "users(id,name)\n1|ann",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=2 preserved=1 lost_field=1\n"
		    "ratio=1/2",
	  .findings = "users 1 email lost_field seed expected=a@x found=NULL"
		      " why=the probe returns no such column" },
	/* Two columns differ from email only in case: neither is taken for it. */
	{ "column_case_ambiguous",
	  .ledger = SEED_ANN,
	  .probe = "users(id,name,Email,EMAIL)\n1|ann|a@x|a@x",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=2 preserved=1 lost_field=1",
	  .findings = "users 1 email lost_field seed expected=a@x found=NULL"
		      " why=the probe returns no such column" },
	/* A column the final schema lacks is read as NULL (probe.h): its facts are lost fields. */
	{ "column_gone_from_schema",
	  .ledger = SEED_ANN,
	  .probe = "users(id,name,email) missing=email\n1|ann|NULL",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=2 preserved=1 lost_field=1",
	  .findings = "users 1 email lost_field seed expected=a@x found=NULL"
		      " why=the column is gone from the final schema" },
	/* ... a NULL fact too: the NULL read is the rewrite's, not the value kept. */
	{ "column_gone_from_schema_null_fact",
	  .ledger = "seed users 1 name=ann email=NULL",
	  .probe = "users(id,name,email) missing=email\n1|ann|NULL",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=2 preserved=1 lost_field=1",
	  .findings = "users 1 email lost_field seed expected=NULL found=NULL"
		      " why=the column is gone from the final schema" },

	/* ---- NULL against the empty string ---- */

	/* Seed emails NULL; found NULL (preserved) and "" (not NULL: corrupted). */
	{ "null_values",
	  .ledger = "seed users 1 name=ann email=NULL\n"
		    "seed users 2 name=bob email=NULL\n",
	  .probe = USERS "1|ann|NULL\n2|bob|''",
	  .counts = "total expected=4 preserved=3 corrupted=1\n"
		    "seed expected=4 preserved=3 corrupted=1\n"
		    "ratio=3/4",
	  .findings = "users 2 email corrupted seed expected=NULL found=''"
		      " why=another value than any acknowledged write" },
	/* Seed email ""; found NULL: a lost field, not preserved. */
	{ "empty_found_null",
	  .ledger = "seed users 1 name=ann email=''",
	  .probe = USERS "1|ann|NULL",
	  .counts = "total expected=2 preserved=1 lost_field=1\n"
		    "seed expected=2 preserved=1 lost_field=1",
	  .findings = "users 1 email lost_field seed expected='' found=NULL"
		      " why=NULL where a value was acknowledged" },
	/*
	** Regression: a found value nobody wrote is not interned, and its id,
	** LEDGER_NONE, once equalled an acknowledged NULL's: seed email NULL,
	** found "" was called stale where only one write exists.
	*/
	{ "regress_stale_matches_null",
	  .ledger = "seed users 1 name=ann email=NULL",
	  .probe = USERS "1|ann|''",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=2 preserved=1 corrupted=1",
	  .findings = "users 1 email corrupted seed expected=NULL found=''"
		      " why=another value than any acknowledged write" },
	/*
	** Regression, the same for failed writes: a failed transaction sets
	** email NULL, found zz@x (written by nobody): corrupted, not phantom.
	*/
	{ "regress_failed_null_not_phantom",
	  .ledger = SEED_ANN "tx 5 6 failed users 1 email=NULL\n",
	  .probe = USERS "1|ann|zz@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=2 preserved=1 corrupted=1",
	  .findings = "users 1 email corrupted seed expected=a@x found=zz@x"
		      " why=another value than any acknowledged write" },

	/* ---- corrupted and stale ---- */

	/* Found evil@x, which no write wrote. */
	{ "corrupted_unknown_value",
	  .ledger = SEED_ANN,
	  .probe = USERS "1|ann|evil@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=2 preserved=1 corrupted=1\n"
		    "ratio=1/2",
	  .findings = "users 1 email corrupted seed expected=a@x found=evil@x"
		      " why=another value than any acknowledged write" },
	/* Email set to a2@x at [5,6]; found the seed's a@x: stale. */
	{ "corrupted_stale",
	  .ledger = SEED_ANN "tx 5 6 ok users 1 email=a2@x\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1\n"
		    "ratio=1/2",
	  .findings = "users 1 email corrupted before expected=a2@x found=a@x"
		      " why=an older acknowledged value: a later write was lost" },
	/*
	** b@x acknowledged at [5,6], a failed write back to a@x at [7,8]; found
	** a@x, the seed's value, older than b@x: stale, so corrupted, not
	** phantom, though the failed transaction wrote it too.
	*/
	{ "stale_before_phantom",
	  .ledger = FAILED_AFTER_ACK,
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = "users 1 email corrupted before expected=b@x found=a@x"
		      " why=an older acknowledged value: a later write was lost" },
	/* An indeterminate write that definitely precedes an acknowledged one cannot be last. */
	{ "indeterminate_superseded",
	  .ledger = SEED_ANN
		    "tx 5 6 indeterminate users 1 email=i@x\n"
		    "tx 7 8 ok users 1 email=b@x\n",
	  .probe = USERS "1|ann|i@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = "users 1 email corrupted before expected=b@x found=i@x"
		      " why=another value than any acknowledged write" },

	/* ---- phantoms ---- */

	/* A failed transaction sets email f@x at [5,6]; found f@x: in the acknowledged value's window. */
	{ "phantom_failed_value",
	  .ledger = SEED_ANN "tx 5 6 failed users 1 email=f@x\n",
	  .probe = USERS "1|ann|f@x",
	  .counts = "total expected=2 preserved=1 phantom=1\n"
		    "seed expected=2 preserved=1 phantom=1\n"
		    "extra=0 ratio=1/2",
	  .findings = "users 1 email phantom seed expected=a@x found=f@x"
		      " why=a failed transaction's value replaced an acknowledged one" },
	/* The control of stale_before_phantom: c@x, which only a failed write held. */
	{ "stale_before_phantom_control",
	  .ledger = FAILED_AFTER_ACK,
	  .probe = USERS "1|ann|c@x",
	  .counts = "total expected=2 preserved=1 phantom=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 phantom=1",
	  .findings = "users 1 email phantom before expected=b@x found=c@x"
		      " why=a failed transaction's value replaced an acknowledged one" },
	/*
	** Seed 1 and 2, both deleted ([5,6], [7,8]); row 1 is still there.  A
	** deleted key is one item, its row, in the window of the delete.
	*/
	{ "phantom_deleted_row",
	  .ledger = "seed users 1 name=ann email=a@x\n"
		    "seed users 2 name=bob email=b@x\n"
		    "tx 5 6 ok del users 1\n"
		    "tx 7 8 ok del users 2\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=1 phantom=1\n"
		    "before expected=2 preserved=1 phantom=1\n"
		    "rows_lost=0 extra=0 ratio=1/2",
	  .findings = "users 1 row phantom before expected=<deleted> why=a deleted row is back" },
	/* Row 99, which no transaction wrote: an extra phantom, in the window after. */
	{ "phantom_unknown_row",
	  .ledger = SEED_ANN,
	  .probe = USERS "1|ann|a@x\n99|ghost|g@x",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "after phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users - row phantom after found=99 why=a row no transaction wrote" },
	/* ... and a row whose key is NULL. */
	{ "phantom_null_key",
	  .ledger = SEED_ANN,
	  .probe = USERS "1|ann|a@x\nNULL|ghost|g@x",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "after phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users - row phantom after found=NULL why=a row no transaction wrote" },
	/* Two rows with key 1: the first is checked, the second is an extra phantom. */
	{ "phantom_duplicate_key",
	  .ledger = SEED_ANN,
	  .probe = USERS "1|ann|a@x\n1|ann2|a@x",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "after phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users 1 row phantom after found=1 why=a second row with the same key" },
	/*
	** A failed insert of 2 (bob) at [5,6]; row 2 is there.  Judged once, on
	** the row, in the failed transaction's window: an extra phantom.
	*/
	{ "phantom_failed_insert",
	  .ledger = SEED_ANN "tx 5 6 failed users 2 name=bob\n",
	  .probe = USERS "1|ann|a@x\n2|bob|NULL",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "before phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users 2 row phantom before why=a failed transaction's row is present" },
	/*
	** Regression: the failed insert's row holding other values than the
	** failed ones (rob) once went unreported: the key is known, so it is
	** no stray row, and rob is no failed value.
	*/
	{ "regress_failed_insert_other_values",
	  .ledger = SEED_ANN "tx 5 6 failed users 2 name=bob\n",
	  .probe = USERS "1|ann|a@x\n2|rob|NULL",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "before phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users 2 row phantom before why=a failed transaction's row is present" },
	/* A key-only table: the seed's tag t0, a failed insert of t1, both there. */
	{ "phantom_failed_insert_key_only",
	  .ledger = "seed tags t0 +row\ntx 5 6 failed tags t1 +row\n",
	  .probe = "tags(id)\nt0\nt1",
	  .counts = "total expected=1 preserved=1 phantom=1\n"
		    "seed expected=1 preserved=1\n"
		    "before phantom=1\n"
		    "extra=1 ratio=1/2",
	  .findings = "tags t1 row phantom before why=a failed transaction's row is present" },
	/* The failed insert completed within the incident: its phantom is the incident's. */
	{ "phantom_failed_insert_incident",
	  .ledger = SEED_ANN "tx 12 14 failed users 2 name=bo\n",
	  .probe = USERS "1|ann|a@x\n2|bo|NULL",
	  .incident = "10 20",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "incident phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users 2 row phantom incident why=a failed transaction's row is present" },
	/*
	** Regression from a swarm of rename-email: a field nobody acknowledged
	** (email_v1) holds a@x, copied there by the fix's backfill, and a failed
	** transaction had written the same value.  An acknowledged value of the
	** row explains it: no finding.
	*/
	{ "regress_failed_value_explained_by_row",
	  .ledger = SEED_ANN "tx 5 6 failed users 1 email_v1=a@x\n",
	  .probe = "users(id,name,email,email_v1)\n1|ann|a@x|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	/* Its control: a failed value the row's acknowledged data does not hold (q@x). */
	{ "regress_failed_value_explained_by_row_control",
	  .ledger = SEED_ANN "tx 5 6 failed users 1 email_v1=q@x\n",
	  .probe = "users(id,name,email,email_v1)\n1|ann|a@x|q@x",
	  .counts = "total expected=2 preserved=2 phantom=1\n"
		    "seed expected=2 preserved=2\n"
		    "before phantom=1\n"
		    "extra=1 ratio=2/3",
	  .findings = "users 1 email_v1 phantom before found=q@x why=a failed transaction's value is present" },
	/* ... nor when the column's declared default explains it. */
	{ "failed_value_explained_by_default",
	  .decls = "@default users.email_v1 none@x",
	  .ledger = SEED_ANN "tx 5 6 failed users 1 email_v1=none@x\n",
	  .probe = "users(id,name,email,email_v1)\n1|ann|a@x|none@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },

	/* ---- indeterminate outcomes: accepted either way ---- */

	/* An indeterminate write of i@x at [5,6]; found the seed's a@x: no help needed. */
	{ "indeterminate_write_not_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate users 1 email=i@x\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2\n"
		    "ratio=1/1" },
	/* Found i@x: preserved only thanks to the unknown outcome (seed window). */
	{ "indeterminate_write_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate users 1 email=i@x\n",
	  .probe = USERS "1|ann|i@x",
	  .counts = "total expected=2 preserved=2 indeterminate=1\n"
		    "seed expected=2 preserved=2 indeterminate=1\n"
		    "ratio=1/1" },
	/*
	** Regression: an indeterminate write of the value an acknowledged write
	** already accepts was counted as needed.
	*/
	{ "regress_indeterminate_not_needed",
	  .ledger = SEED_ANN "tx 5 6 indeterminate users 1 email=a@x\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	/* An indeterminate delete at [5,6] makes a row item: 3 items; the row present. */
	{ "indeterminate_delete_not_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate del users 1\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=3 preserved=3\n"
		    "seed expected=3 preserved=3" },
	/* The row gone: all three preserved only thanks to the delete. */
	{ "indeterminate_delete_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate del users 1\n",
	  .probe = USERS,
	  .counts = "total expected=3 preserved=3 indeterminate=3\n"
		    "seed expected=3 preserved=3 indeterminate=3\n"
		    "rows_lost=0 ratio=1/1" },
	/*
	** An indeterminate write at [7,12] overlapping an acknowledged one at
	** [5,10]: either may be last.  The window is the acknowledged write's.
	*/
	{ "indeterminate_overlapping_applied",
	  .ledger = SEED_ANN
		    "tx 5 10 ok users 1 email=b@x\n"
		    "tx 7 12 indeterminate users 1 email=i@x\n",
	  .probe = USERS "1|ann|i@x",
	  .counts = "total expected=2 preserved=2 indeterminate=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 preserved=1 indeterminate=1" },
	{ "indeterminate_overlapping_not_applied",
	  .ledger = SEED_ANN
		    "tx 5 10 ok users 1 email=b@x\n"
		    "tx 7 12 indeterminate users 1 email=i@x\n",
	  .probe = USERS "1|ann|b@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 preserved=1" },
	/* A row only an indeterminate insert wrote: nothing is expected of it, there or not. */
	{ "indeterminate_insert_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate users 2 name=cy email=c@x\n",
	  .probe = USERS "1|ann|a@x\n2|cy|c@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	{ "indeterminate_insert_not_applied",
	  .ledger = SEED_ANN "tx 5 6 indeterminate users 2 name=cy email=c@x\n",
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },

	/* ---- overlapping acknowledged writes ---- */

	/* [5,10] and [7,12] overlap: b@x and c@x both accepted, the seed's a@x is stale. */
	{ "overlap_first",
	  .ledger = TWO_WRITES("5 10", "7 12"),
	  .probe = USERS "1|ann|b@x",
	  .counts = "total expected=2 preserved=2\nseed expected=1 preserved=1\nbefore expected=1 preserved=1" },
	{ "overlap_second",
	  .ledger = TWO_WRITES("5 10", "7 12"),
	  .probe = USERS "1|ann|c@x",
	  .counts = "total expected=2 preserved=2\nseed expected=1 preserved=1\nbefore expected=1 preserved=1" },
	{ "overlap_seed_stale",
	  .ledger = TWO_WRITES("5 10", "7 12"),
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\nseed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = STALE_EMAIL("a@x") },
	/* [5,7] and [7,8] touch at tick 7, which is not "invoked after completion": both accepted. */
	{ "touching_first",
	  .ledger = TWO_WRITES("5 7", "7 8"),
	  .probe = USERS "1|ann|b@x",
	  .counts = "total expected=2 preserved=2\nseed expected=1 preserved=1\nbefore expected=1 preserved=1" },
	{ "touching_second",
	  .ledger = TWO_WRITES("5 7", "7 8"),
	  .probe = USERS "1|ann|c@x",
	  .counts = "total expected=2 preserved=2\nseed expected=1 preserved=1\nbefore expected=1 preserved=1" },
	/* [5,6] then [7,8]: only c@x; b@x is stale. */
	{ "sequential_first_stale",
	  .ledger = TWO_WRITES("5 6", "7 8"),
	  .probe = USERS "1|ann|b@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\nseed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = STALE_EMAIL("b@x") },
	{ "sequential_second",
	  .ledger = TWO_WRITES("5 6", "7 8"),
	  .probe = USERS "1|ann|c@x",
	  .counts = "total expected=2 preserved=2\nseed expected=1 preserved=1\nbefore expected=1 preserved=1" },
	/*
	** Overlap is not transitive: [1,10] overlaps [2,3] and [4,5], but [2,3]
	** precedes [4,5], so c@x cannot be last.  The last to complete, b@x, is
	** what the finding expects; d@x is accepted too.
	*/
	{ "overlap_not_transitive_stale",
	  .ledger = THREE_WRITES,
	  .probe = USERS "1|ann|c@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = "users 1 email corrupted before expected=b@x found=c@x"
		      " why=an older acknowledged value: a later write was lost" },
	{ "overlap_not_transitive_accepted",
	  .ledger = THREE_WRITES,
	  .probe = USERS "1|ann|d@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 preserved=1" },
	/*
	** A delete at [5,10] overlapping an update of email at [7,12]: the row
	** may be there with the update, or gone.  name's only fate is the
	** delete, so it is judged on the row: two items, email and the row.
	*/
	{ "delete_overlapping_update_present",
	  .ledger = DELETE_AND_UPDATE,
	  .probe = USERS "1|ann|b@x",
	  .counts = "total expected=2 preserved=2\n"
		    "before expected=2 preserved=2" },
	{ "delete_overlapping_update_gone",
	  .ledger = DELETE_AND_UPDATE,
	  .probe = USERS,
	  .counts = "total expected=2 preserved=2\n"
		    "before expected=2 preserved=2" },
	/* There, with the seed's email: the update was lost. */
	{ "delete_overlapping_update_stale",
	  .ledger = DELETE_AND_UPDATE,
	  .probe = USERS "1|ann|a@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "before expected=2 preserved=1 corrupted=1",
	  .findings = "users 1 email corrupted before expected=b@x found=a@x"
		      " why=an older acknowledged value: a later write was lost" },

	/* ---- renames ('-- @renamed') ---- */

	/*
	** Without the renames: email is a column the probe lacks, mail another
	** fact, people's fact has no probe, and row 2 is a key users never had.
	*/
	{ "renamed_not_declared",
	  .ledger = RENAMED_LEDGER,
	  .probe = RENAMED_PROBE,
	  .counts = "total expected=4 preserved=2 lost_row=1 lost_field=1 phantom=1\n"
		    "seed expected=3 preserved=1 lost_row=1 lost_field=1\n"
		    "before expected=1 preserved=1\n"
		    "after phantom=1\n"
		    "rows_lost=1 extra=1 ratio=2/5",
	  .findings = "people 2 name lost_row seed expected=bob found=<absent> why=no probe reads this table\n"
		      "users 1 email lost_field seed expected=a@x found=NULL why=the probe returns no such column\n"
		      "users 2 row phantom after found=2 why=a row no transaction wrote" },
	/*
	** users.email renamed mail, people renamed users: email and mail are one
	** item whose last write is b@x, and people's row 2 is read in users.
	*/
	{ "renamed",
	  .decls = "@renamed users.email mail\n@renamed people users",
	  .ledger = RENAMED_LEDGER,
	  .probe = RENAMED_PROBE,
	  .counts = "total expected=3 preserved=3\n"
		    "seed expected=2 preserved=2\n"
		    "before expected=1 preserved=1" },
	/* Only facts of before the rename: the probe reads them under the new name. */
	{ "renamed_column_old_facts",
	  .decls = "@renamed users.email mail",
	  .ledger = SEED_ANN,
	  .probe = "users(id,name,mail)\n1|ann|a@x",
	  .counts = "total expected=2 preserved=2\n"
		    "seed expected=2 preserved=2" },
	/* A write under the new name supersedes the old name's: the old value is stale. */
	{ "renamed_column_stale",
	  .decls = "@renamed users.email mail",
	  .ledger = SEED_ANN "tx 10 11 ok users 1 mail=b@x\n",
	  .probe = "users(id,name,mail)\n1|ann|a@x",
	  .counts = "total expected=2 preserved=1 corrupted=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 corrupted=1",
	  .findings = "users 1 email corrupted before expected=b@x found=a@x"
		      " why=an older acknowledged value: a later write was lost" },
	/* A renamed table's facts, written under either name, count under the old one. */
	{ "renamed_table_lost_row",
	  .decls = "@renamed people users",
	  .ledger = "seed people 1 name=ann\ntx 5 6 ok users 2 name=bo\n",
	  .probe = "users(id,name)\n1|ann",
	  .counts = "total expected=2 preserved=1 lost_row=1\n"
		    "seed expected=1 preserved=1\n"
		    "before expected=1 lost_row=1\n"
		    "rows_lost=1",
	  .findings = "people 2 name lost_row before expected=bo found=<absent> why=the row is gone" },
};

#define NCASES (sizeof(oracle_cases) / sizeof(oracle_cases[0]))

/* The names the rows use are the oracle's, which the reports print. */
static void test_names(void **state)
{
	int i;
	(void)state;

	for (i = 0; i < OC_COUNT; i++)
		assert_string_equal(oracle_class_name(i), case_class_names[i]);
	for (i = 0; i < OW_COUNT; i++)
		assert_string_equal(oracle_window_name(i), case_window_names[i]);
	assert_string_equal(oracle_class_name(OC_COUNT), "unknown");
	assert_string_equal(oracle_window_name(-1), "unknown");
}

/*
** The probe's one rewrite: a column the final schema lacks reads as NULL,
** under the name the probe gives it, written plain or quoted, qualified or
** not; quoted names ("displayName") are the catalogue's mixed-case names.
*/
static void test_probe_null_column(void **state)
{
	static const struct {
		const char *sql, *token, *want, *nulled;
	} cases[] = {
		{ "SELECT id, phone FROM users", "phone", "SELECT id, NULL AS phone FROM users", "phone " },
		{ "SELECT \"teamId\", \"displayName\" FROM \"Team\"", "displayName",
		  "SELECT \"teamId\", NULL AS \"displayName\" FROM \"Team\"", "displayName " },
		{ "SELECT id, amount_big AS amount FROM payments", "amount_big",
		  "SELECT id, NULL AS amount FROM payments", "amount " },
		{ "SELECT id, \"environmentName\" AS env FROM x WHERE \"environmentName\" IS NOT NULL",
		  "environmentName", "SELECT id, NULL AS env FROM x WHERE NULL IS NOT NULL", "env " },
		{ "SELECT id, 'phone' AS p, phone FROM users", "phone",
		  "SELECT id, 'phone' AS p, NULL AS phone FROM users", "phone " },
		{ "SELECT t.\"userUid\" FROM t", "userUid", "SELECT NULL AS \"userUid\" FROM t", "userUid " },
		{ "SELECT t.\"userUid\" FROM t", "t.userUid", "SELECT NULL AS \"userUid\" FROM t", "userUid " },
		{ "SELECT id, Phone FROM users", "phone", "SELECT id, NULL AS phone FROM users", "phone " },
		{ "SELECT id, \"displayName\" FROM \"Team\"", "displayname", NULL, "" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT, nulled = STRBUF_INIT;
		int r = probe_null_column(cases[i].sql, cases[i].token, &out, &nulled);
		if (r != (cases[i].want != NULL))
			fail_msg("case %zu: replaced %d", i, r);
		if (cases[i].want && strcmp(out.buf, cases[i].want))
			fail_msg("case %zu: '%s', wanted '%s'", i, out.buf, cases[i].want);
		if (strcmp(nulled.buf, cases[i].nulled))
			fail_msg("case %zu: nulled '%s', wanted '%s'", i, nulled.buf, cases[i].nulled);
		strbuf_release(&out);
		strbuf_release(&nulled);
	}
}

int main(void)
{
	/* A cmocka test per row, named for it, then the tests that need code. */
	static struct CMUnitTest tests[NCASES + 2];
	size_t i;

	for (i = 0; i < NCASES; i++) {
		tests[i].name = oracle_cases[i].name;
		tests[i].test_func = case_run;
		tests[i].initial_state = (void *)&oracle_cases[i];
	}
	tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(test_names);
	tests[NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(test_probe_null_column);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
