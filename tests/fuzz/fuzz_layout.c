/*
** Fuzz target: a fix or down migration file as '--fix FILE' and '--down
** FILE' read it (plain SQL with '-- @fix' blocks and '-- @repeat', dbmate
** sections, Alembic's offline SQL), for each dialect and direction.  Seed
** corpus: the shipped fix templates and layouts.
**
** SPDX-License-Identifier: MIT
*/
#include "fuzz.h"

#include "../../sim/base/dialect.h"
#include "../../sim/input/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("fix.sql", data, size);
	struct strbuf err = STRBUF_INIT;
	int dialect, dir;

	for (dialect = 0; dialect < DIALECT_COUNT; dialect++)
		for (dir = LAYOUT_UP; dir <= LAYOUT_DOWN; dir++) {
			struct sql_script script = { 0 };
			layout_load(path, "fix.sql", dir, dialect, &script, &err);
			sql_script_release(&script);
		}
	strbuf_release(&err);
	return 0;
}
