/*
** Reading and checking '-- @expect' conditions.
*/
#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/input/layout.h"

int expect_met(const char *cond, const struct scorecard *card, struct strbuf *got)
{
	static const char *const ops[] = { "<=", ">=", "!=", "=", "<", ">" };
	const char *op = NULL;
	char name[32];
	long long figure, want;
	size_t i, k;
	char *end;

	for (i = 0; cond[i] && !op; i++)
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strncmp(cond + i, ops[k], strlen(ops[k]))) {
				op = ops[k];
				break;
			}
	if (!op || i - 1 >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(i - 1), cond);
	if (!strcmp(name, "verdict")) {
		const char *v = cond + i - 1 + strlen(op);
		strbuf_addf(got, "verdict=%s", card->pass ? "pass" : "fail");
		if (strcmp(op, "=") || (strcmp(v, "pass") && strcmp(v, "fail")))
			return -1;
		return (strcmp(v, "pass") == 0) == card->pass;
	}
	if (!strcmp(name, "lost"))
		figure = (long long)scorecard_lost(card);
	else if (!strcmp(name, "blocked_max"))
		figure = card->blocked_max;
	else if (!strcmp(name, "score"))
		figure = card->score;
	else
		return -1;
	want = strtoll(cond + i - 1 + strlen(op), &end, 10);
	if (*end)
		return -1;
	strbuf_addf(got, "%s=%lld", name, figure);
	switch (op[0]) {
	case '<': return op[1] ? figure <= want : figure < want;
	case '>': return op[1] ? figure >= want : figure > want;
	case '!': return figure != want;
	default: return figure == want;
	}
}

/* The '-- @expect' conditions in one file, space-separated, onto out. */
static void read_file_expects(const char *path, struct strbuf *out)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "--", 2))
			continue;
		p += 2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "@expect", 7) || (p[7] != ' ' && p[7] != '\t'))
			continue;
		p[strcspn(p, "\r\n")] = '\0';
		strbuf_addf(out, "%s ", p + 8);
	}
	fclose(f);
}

int expect_read(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct layout l;
	size_t i;

	if (layout_open(path, path, LAYOUT_UP, &l, err))
		return -1;
	for (i = 0; i < l.nr; i++)
		read_file_expects(l.v[i].path, out);
	layout_release(&l);
	strbuf_rtrim(out);
	return 0;
}
