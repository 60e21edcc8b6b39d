/*
** Allocation that cannot fail: on exhaustion it prints and exits, so call
** sites stay linear (git's xmalloc).  Every other module allocates here.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_ALLOC_H
#define MDRILL_ALLOC_H

#include <stddef.h>
#include <stdlib.h>

/** malloc that exits on failure; free the result with free(). */
void *xmalloc(size_t n);
/** calloc that exits on failure; free the result with free(). */
void *xcalloc(size_t nmemb, size_t size);
/** realloc that exits on failure; free the result with free(). */
void *xrealloc(void *p, size_t n);
/** strdup that exits on failure; NULL stays NULL. */
char *xstrdup(const char *s);
/** Copy of the first n bytes of s, NUL-terminated; free with free(). */
char *xstrndup(const char *s, size_t n);

/*
** Grow *arr (of *alloc elements of size elem) so that it holds at least
** need elements.  Growth is by half again (git's alloc_nr), so appends are
** amortised O(1) and a large array wastes at most a third of itself.
*/
#define ALLOC_GROW(arr, need, alloc)                                        \
	do {                                                                \
		if ((size_t)(need) > (size_t)(alloc)) {                     \
			size_t alloc_new_ = ((size_t)(alloc) + 16) * 3 / 2; \
			if (alloc_new_ < (size_t)(need))                    \
				alloc_new_ = (size_t)(need);                \
			(arr) = xrealloc((arr), alloc_new_ * sizeof(*(arr))); \
			(alloc) = alloc_new_;                               \
		}                                                           \
	} while (0)

#endif
