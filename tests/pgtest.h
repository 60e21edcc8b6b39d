/*
** The throwaway PostgreSQL server of the C tests: tests/run.sh starts one
** per lane and names it in MDRILL_PG_URL.  Without it a PostgreSQL test
** skips, counted as skipped; under CI=true, where the server must be
** there, a missing one fails it.  Include after cmocka.h.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_PGTEST_H
#define MDRILL_PGTEST_H

#include <stdlib.h>
#include <string.h>

static inline const char *pgtest_url(void)
{
	const char *url = getenv("MDRILL_PG_URL");
	if (url && *url)
		return url;
	if (getenv("CI") && !strcmp(getenv("CI"), "true"))
		fail_msg("MDRILL_PG_URL is not set: CI needs the PostgreSQL tests to run");
	return NULL;
}

/* The server's URL, or the test ends as skipped. */
static inline const char *pgtest_url_or_skip(void)
{
	const char *url = pgtest_url();
	if (!url)
		skip();
	return url;
}

#endif
