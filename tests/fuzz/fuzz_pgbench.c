/*
** Fuzz target: a pgbench custom script, as '-- @app v1 pgbench=FILE'
** reads it, and every '\set' expression it holds evaluated a few times
** (the draws from a seeded PRNG).  Seed corpus: the shipped scripts.
**
** SPDX-License-Identifier: MIT
*/
#include "fuzz.h"

#include "../../sim/base/prng.h"
#include "../../sim/input/pgbench.h"
#include "../../sim/input/scenario.h"

static const char drill[] =
	"-- @scenario fuzz\n"
	"-- @schema\n"
	"CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER);\n"
	"-- @app v1 pgbench=script.sql\n"
	"-- @migration bad\n"
	"SELECT 1;\n"
	"-- @timeline\n"
	"-- at 0 start v1 clients=1\n"
	"-- at 1 migrate bad\n"
	"-- at 2 fix\n"
	"-- at 3 end\n"
	"-- @probe accounts\n"
	"SELECT id, balance FROM accounts;\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc = NULL;
	const char *path;
	size_t a, t, v;

	fuzz_file("script.sql", data, size);
	path = fuzz_text("scenario.drill", drill);
	if (scenario_load(path, NULL, 0, &sc, &err)) {
		strbuf_release(&err);
		return 0;
	}
	for (a = 0; a < sc->napps; a++)
		for (t = 0; t < sc->apps[a].ntx; t++) {
			const struct txdef *tx = &sc->apps[a].tx[t];
			struct pgbench_value vals[64];
			struct prng rng;
			struct pgbench_env env;
			int round;
			prng_seed(&rng, 1, t);
			env.rng = &rng;
			env.client_id = 3;
			env.vars = vals;
			for (round = 0; round < 3; round++)
				for (v = 0; v < tx->nvars && v < 64; v++) {
					memset(&vals[v], 0, sizeof(vals[v]));
					if (tx->vars[v].gen.expr)
						pgbench_eval(tx->vars[v].gen.expr, &env, &vals[v], &err);
				}
		}
	scenario_free(sc);
	strbuf_release(&err);
	return 0;
}
