/*
** Fuzz target: the scenario parser, a .drill file as it comes, with and
** without a --set of each built-in parameter.  Seed corpus: every
** scenario.drill shipped.
**
** SPDX-License-Identifier: MIT
*/
#include "fuzz.h"

#include "../../sim/input/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct param_set sets[] = { { "busy", "7" }, { "rows", "3" } };
	const char *path = fuzz_file("scenario.drill", data, size);
	struct strbuf err = STRBUF_INIT;
	struct scenario *sc = NULL;

	if (!scenario_load(path, NULL, 0, &sc, &err))
		scenario_free(sc);
	if (!scenario_load(path, sets, 2, &sc, &err))
		scenario_free(sc);
	strbuf_release(&err);
	return 0;
}
