/*
** Fuzz target: a seed CSV file, read and inserted by the seeder into a
** real SQLite database (one for the whole run, its table made anew for
** each input), its header checked against the table's columns.  Seed
** corpus: the shipped CSV files.
**
** SPDX-License-Identifier: MIT
*/
#include "fuzz.h"

#include "../../sim/db/db.h"
#include "../../sim/engine/ledger.h"
#include "../../sim/engine/seeder.h"
#include "../../sim/input/scenario.h"

static const char drill[] =
	"-- @scenario fuzz\n"
	"-- @schema\n"
	"CREATE TABLE orders (id INTEGER PRIMARY KEY, code TEXT, qty INTEGER);\n"
	"-- @seed orders csv=orders.csv\n"
	"-- @app v1\n"
	"-- @tx t weight=1\n"
	"SELECT 1;\n"
	"-- @migration bad\n"
	"SELECT 1;\n"
	"-- @timeline\n"
	"-- at 0 start v1 clients=1\n"
	"-- at 1 migrate bad\n"
	"-- at 2 fix\n"
	"-- at 3 end\n"
	"-- @probe orders\n"
	"SELECT id, code, qty FROM orders;\n";

static const struct db_driver *drv;
static struct db *db;
static struct db_conn *conn;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc = NULL;
	struct ledger l;
	const char *path;
	int cls;

	if (!conn) {
		setenv("TMPDIR", fuzz_dir(), 1);
		drv = db_driver_for(NULL);
		if (db_create(drv, NULL, NULL, &db, &err) || db_connect(drv, db, &conn, &err))
			abort();
	}
	fuzz_file("orders.csv", data, size);
	path = fuzz_text("scenario.drill", drill);
	if (scenario_load(path, NULL, 0, &sc, &err))
		abort();   /* the scenario is fixed: only the CSV varies */
	db_exec_now(drv, conn, "DROP TABLE IF EXISTS orders", 0, NULL, NULL, NULL, &cls, &err);
	if (db_exec_now(drv, conn, "CREATE TABLE orders (id INTEGER PRIMARY KEY, code TEXT, qty INTEGER)",
			0, NULL, NULL, NULL, &cls, &err))
		abort();
	ledger_init(&l);
	seeder_run(sc, drv, conn, &l, 1, NULL, NULL, &err);   /* it commits, or rolls back */
	ledger_release(&l);
	scenario_free(sc);
	strbuf_release(&err);
	return 0;
}
