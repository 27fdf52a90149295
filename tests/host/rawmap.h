/* SPDX-License-Identifier: MIT */
/*
 * Raw firmware memory maps for the host tests, built as OVMF returns them:
 * a 48-byte stride, the 8 bytes past each 40-byte descriptor left as
 * garbage, so code that steps by sizeof() instead of desc_size fails.
 */
#ifndef VAMAP_TEST_RAWMAP_H
#define VAMAP_TEST_RAWMAP_H

#include <string.h>
#include "efi_defs.h"

#define STRIDE 48
#define RAWMAP_MAX 1024

static u8 raw[RAWMAP_MAX * STRIDE];
static unsigned int nraw;

static inline void raw_reset(void)
{
	memset(raw, 0, sizeof(raw));
	nraw = 0;
}

static inline void raw_add(u32 type, u64 start, u64 pages, u64 attr)
{
	struct efi_memory_desc *d = (void *)(raw + nraw++ * STRIDE);

	d->type = type;
	d->phys_start = start;
	d->num_pages = pages;
	d->attribute = attr;
	memset(raw + nraw * STRIDE - 8, 0xee, 8);
}

#endif
