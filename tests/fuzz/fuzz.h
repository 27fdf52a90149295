/* SPDX-License-Identifier: MIT */
/*
 * What every libFuzzer harness shares: mm_log and efi_log swallowed (the parsers log
 * through it), and a check that aborts, so libFuzzer keeps the input.
 */
#ifndef VAMAP_FUZZ_H
#define VAMAP_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "efi_log.h"
#include "mm_log.h"

void mm_log(const char *fmt, ...)
{
	(void)fmt;
}

void efi_log(const char *fmt, ...)
{
	(void)fmt;
}

#define FUZZ_ASSERT(cond)                                                   \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: invariant %s broken\n",     \
				__FILE__, __LINE__, #cond);                 \
			abort();                                            \
		}                                                           \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
