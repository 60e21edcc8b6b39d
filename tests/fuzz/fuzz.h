/*
** What the fuzz targets share: a scratch directory of their own, made on
** first use, and a file in it holding the input, since the readers under
** test read files (the one reader, with its checks, is part of what is
** fuzzed).  libFuzzer calls LLVMFuzzerTestOneInput once per input.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_FUZZ_H
#define MDRILL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_scratch[64];

static inline void fuzz_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_scratch);
	if (system(cmd))
		return;
}

/* The scratch directory, made once; it goes when the process ends. */
static inline const char *fuzz_dir(void)
{
	if (!fuzz_scratch[0]) {
		snprintf(fuzz_scratch, sizeof(fuzz_scratch), "/tmp/mdrill-fuzz-XXXXXX");
		if (!mkdtemp(fuzz_scratch))
			abort();
		atexit(fuzz_cleanup);
	}
	return fuzz_scratch;
}

/* Write size bytes of data to fuzz_dir()/name; its path is static. */
static inline const char *fuzz_file(const char *name, const void *data, size_t size)
{
	static char path[128];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	if (!(f = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}

/* fuzz_file of a string. */
static inline const char *fuzz_text(const char *name, const char *text)
{
	return fuzz_file(name, text, strlen(text));
}

#endif
