/*
** The table of output formats, by name and by file extension: what
** --report FILE picks from the file's extension.
**
** SPDX-License-Identifier: MIT
*/
#include "report.h"

#include <string.h>

static const struct report_format formats[] = {
	{ "terminal", "txt", report_terminal_render },
	{ "json", "json", report_json_render },
	{ "markdown", "md", report_markdown_render },
	{ "html", "html", report_html_render },
};

const struct report_format *report_find(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const struct report_format *report_for_ext(const char *ext)
{
	size_t i;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].ext, ext))
			return &formats[i];
	return NULL;
}

const char *report_s(long long n)
{
	return n == 1 ? "" : "s";
}
