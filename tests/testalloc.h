/*
** Included before every module in the test build: with UNIT_TESTING set,
** cmocka.h turns malloc, calloc, realloc and free into its checked versions,
** so every test fails on a leak or a double free.
**
** SPDX-License-Identifier: MIT
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
