/*
** Parsing scaffold's and try's shared options, and picking the engine:
** --engine names it, --db names its server, and they must agree.
**
** SPDX-License-Identifier: MIT
*/
#include "scaffoldopts.h"

#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/base/dialect.h"

static const struct cli_command *parsing;

/*
** try's config file: a setting a line, '#' starts a comment.
**   max-wait DURATION        the budget (as --max-wait)
**   rows TABLE=N | rows N    production sizes (as --rows)
**   allow FINDING[:TABLE]    an exception: that lock finding is said, and does not fail
** The command line's options come after it and win.
*/
static int read_config(struct scaffold_cli *o, const char *path)
{
	struct strbuf why = STRBUF_INIT, text = STRBUF_INIT;
	char *line, *save = NULL;
	int n = 0, rc = 0;

	if (strbuf_read_file(&text, path, &why)) {
		rc = cli_error(EXIT_USAGE, "--config %s: %s", path, why.buf);
		goto out;
	}
	for (line = strtok_r(text.buf, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		char *key, *val, *end;
		n++;
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		key = line + strspn(line, " \t\r");
		if (!*key)
			continue;
		val = key + strcspn(key, " \t\r");
		if (*val)
			*val++ = '\0';
		val += strspn(val, " \t");
		val[strcspn(val, " \t\r")] = '\0';
		if (!*val) {
			rc = cli_error(EXIT_USAGE, "%s:%d: expected 'KEY VALUE' (max-wait, rows or allow)", path, n);
		} else if (!strcmp(key, "max-wait")) {
			if (drillopts_parse_duration(val, &o->max_wait_ms))
				rc = cli_error(EXIT_USAGE, "%s:%d: max-wait needs a duration such as 500ms or 2s, not '%s'",
					       path, n, val);
		} else if (!strcmp(key, "rows")) {
			const char *eq = strchr(val, '=');
			uint64_t r;
			if ((eq && eq == val) || cli_parse_u64(eq ? eq + 1 : val, &r) || r > (uint64_t)1 << 50)
				rc = cli_error(EXIT_USAGE, "%s:%d: rows needs TABLE=N or N, not '%s'", path, n, val);
			else if (!eq)
				o->default_rows = (int64_t)r;
			else {
				ALLOC_GROW(o->rows, o->nrows + 1, o->rows_alloc);
				o->rows[o->nrows].table = xstrndup(val, (size_t)(eq - val));
				o->rows[o->nrows++].rows = (int64_t)r;
			}
		} else if (!strcmp(key, "allow")) {
			o->allow = xrealloc(o->allow, (o->nallow + 1) * sizeof(*o->allow));
			o->allow[o->nallow++] = xstrdup(val);
		} else {
			rc = cli_error(EXIT_USAGE, "%s:%d: unknown setting '%s' (expected max-wait, rows or allow)",
				       path, n, key);
		}
	}
out:
	strbuf_release(&text);
	strbuf_release(&why);
	return rc;
}

/*
** --stats: read the statistics once; each table's size joins --rows
** after the sizes the command line and the config gave, which win.
*/
static int read_stats(struct scaffold_cli *o)
{
	struct strbuf err = STRBUF_INIT;
	struct db_options dbo;
	size_t i;
	int rc = 0;

	memset(&dbo, 0, sizeof(dbo));
	dbo.statement_timeout_ms = o->statement_timeout_ms < 0 ? DB_STATEMENT_TIMEOUT_DEFAULT : o->statement_timeout_ms;
	if (db_stats_read(o->stats_source, &dbo, &o->stats, &err)) {
		rc = cli_error(EXIT_USAGE, "--stats: %s", err.buf);
		goto out;
	}
	for (i = 0; i < o->stats.nt; i++) {
		if (o->stats.t[i].rows < 0)
			continue;
		ALLOC_GROW(o->rows, o->nrows + 1, o->rows_alloc);
		o->rows[o->nrows].table = xstrdup(o->stats.t[i].name);
		o->rows[o->nrows++].rows = (int64_t)(o->stats.t[i].rows + 0.5);
	}
out:
	strbuf_release(&err);
	return rc;
}

static int take(void *ctx, const struct cli_option *opt, const char *val, const char *next)
{
	struct scaffold_cli *o = ctx;
	(void)next;
	if (!opt)
		return cli_usage(parsing, "unexpected argument '%s' (the history is --migrations DIR)", val);
	switch (opt->id) {
	case SO_MIGRATIONS: o->migrations = val; break;
	case SO_NEW: o->newmig = val; break;
	case SO_DOWN: o->down = val; break;
	case SO_ENGINE: o->engine = val; break;
	case SO_DB: o->db = val; break;
	case SO_OUT: o->out = val; break;
	case SO_NAME: o->name = val; break;
	case SO_REPORT: o->report = val; break;
	case SO_FORCE: o->force = 1; break;
	case OPT_ALLOW_SUPERUSER: o->allow_superuser = 1; break;
	case OPT_STATEMENT_TIMEOUT:
		if (drillopts_parse_duration(val, &o->statement_timeout_ms))
			return cli_error(EXIT_USAGE, "--statement-timeout needs a duration such as 500ms, 30s or "
					 "5m (0 for none), not '%s'", val);
		break;
	case SO_JSON: o->json = 1; break;
	case SO_SEED:
		if (cli_parse_u64(val, &o->seed))
			return cli_error(EXIT_USAGE, "--seed needs a whole number, not '%s'", val);
		break;
	case SO_SET: {
		char *eq = strchr(val, '=');
		if (!eq || eq == val)
			return cli_error(EXIT_USAGE, "--set needs NAME=VALUE, not '%s'", val);
		ALLOC_GROW(o->sets, o->nsets + 1, o->sets_alloc);
		*eq = '\0';
		o->sets[o->nsets].name = val;
		o->sets[o->nsets++].value = eq + 1;
		break;
	}
	case SO_TABLES: {
		const char *s = val;
		while (*s) {
			size_t n = strcspn(s, ",");
			if (n) {
				o->tables = xrealloc(o->tables, (o->ntables + 1) * sizeof(*o->tables));
				o->tables[o->ntables++] = xstrndup(s, n);
			}
			s += n + (s[n] == ',');
		}
		if (!o->ntables)
			return cli_error(EXIT_USAGE, "--tables needs table names, comma-separated");
		break;
	}
	case SO_ROWS: {
		const char *eq = strchr(val, '=');
		uint64_t n;
		if ((eq && eq == val) || cli_parse_u64(eq ? eq + 1 : val, &n) || n > (uint64_t)1 << 50)
			return cli_error(EXIT_USAGE, "--rows needs TABLE=N or N (a production size, rows), not '%s'", val);
		if (!eq) {
			o->default_rows = (int64_t)n;
			break;
		}
		ALLOC_GROW(o->rows, o->nrows + 1, o->rows_alloc);
		o->rows[o->nrows].table = xstrndup(val, (size_t)(eq - val));
		o->rows[o->nrows++].rows = (int64_t)n;
		break;
	}
	case SO_STATS: o->stats_source = val; break;
	case SO_CONFIG: {
		int rc = read_config(o, val);
		if (rc)
			return rc;
		break;
	}
	case SO_MAX_WAIT:
		if (drillopts_parse_duration(val, &o->max_wait_ms))
			return cli_error(EXIT_USAGE, "--max-wait needs a duration such as 500ms or 2s, not '%s'", val);
		break;
	case SO_WEIGHT: {
		const char *eq = strchr(val, '=');
		uint64_t w;
		if (!eq || eq == val || cli_parse_u64(eq + 1, &w) || w > 1000000)
			return cli_error(EXIT_USAGE, "--weight needs TABLE=N with N a whole number up to 1000000, not '%s'",
					 val);
		ALLOC_GROW(o->weights, o->nweights + 1, o->weights_alloc);
		o->weights[o->nweights].table = xstrndup(val, (size_t)(eq - val));
		o->weights[o->nweights++].weight = (unsigned)w;
		break;
	}
	}
	return 0;
}

int scaffoldopts_parse(const struct cli_command *cmd, int argc, char **argv, struct scaffold_cli *o)
{
	int rc, d;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->statement_timeout_ms = -1;
	o->default_rows = 1000000;
	o->max_wait_ms = 2000;
	parsing = cmd;
	if ((rc = cli_parse(cmd, argc, argv, take, o)) != 0)
		return rc;
	if (!o->migrations)
		return cli_usage(cmd, "which history? (--migrations DIR|FILE)");
	/* scaffold without --new writes the history's schema under its traffic; try drills a migration. */
	if (!o->newmig && !strcmp(cmd->name, "try"))
		return cli_usage(cmd, "which migration? (--new FILE, the one to drill)");
	if (!o->newmig && o->down)
		return cli_usage(cmd, "--down needs --new: the down migration undoes the new one");
	if (o->engine) {
		d = dialect_find(o->engine, strlen(o->engine));
		if (d < 0 || !(o->drv = db_driver_find(d))) {
			struct strbuf names = STRBUF_INIT;
			dialect_names(&names, "", ", ", " or ");
			cli_error(EXIT_USAGE, "unknown engine '%s' (expected %s)", o->engine, names.buf);
			strbuf_release(&names);
			return EXIT_USAGE;
		}
		if (!db_takes(o->drv, o->db) && (o->db || db_driver_for(NULL) != o->drv))
			return cli_error(EXIT_USAGE, "--engine %s needs --db %s", db_name(o->drv), db_target_need(o->drv));
	} else if (!(o->drv = db_driver_for(o->db))) {
		struct strbuf shown = STRBUF_INIT, forms = STRBUF_INIT;
		db_target_display(o->db, &shown);
		db_target_help(&forms);
		cli_error(EXIT_USAGE, "unknown --db '%s' (expected %s)", shown.buf, forms.buf);
		strbuf_release(&shown);
		strbuf_release(&forms);
		return EXIT_USAGE;
	}
	/* As every drill command starts: what dead runs left goes. */
	drillopts_gc(o->drv, o->db);
	if (o->stats_source && (rc = read_stats(o)) != 0)
		return rc;
	return 0;
}

void scaffoldopts_release(struct scaffold_cli *o)
{
	size_t i;
	for (i = 0; i < o->ntables; i++)
		free(o->tables[i]);
	free(o->tables);
	for (i = 0; i < o->nweights; i++)
		free((char *)o->weights[i].table);
	free(o->weights);
	for (i = 0; i < o->nrows; i++)
		free((char *)o->rows[i].table);
	free(o->rows);
	for (i = 0; i < o->nallow; i++)
		free(o->allow[i]);
	free(o->allow);
	free(o->sets);
	db_stats_release(&o->stats);
	memset(o, 0, sizeof(*o));
}

void scaffoldopts_request(const struct scaffold_cli *o, struct scaffold_opts *so)
{
	memset(so, 0, sizeof(*so));
	so->migrations = o->migrations;
	so->newmig = o->newmig;
	so->down = o->down;
	so->drv = o->drv;
	so->target = db_takes(o->drv, o->db) ? o->db : NULL;
	so->tables = (const char *const *)o->tables;
	so->ntables = o->ntables;
	so->weights = o->weights;
	so->nweights = o->nweights;
	so->stop = &cli_stop;
	so->allow_superuser = o->allow_superuser;
	so->statement_timeout_ms = o->statement_timeout_ms;
	so->stats = o->stats_source ? &o->stats : NULL;
}
