/* SPDX-License-Identifier: MIT */
#ifndef VAMAP_DIRECTMAP_H
#define VAMAP_DIRECTMAP_H

#include "memmap.h"
#include "pgtable.h"

/*
 * Map every RAM region of @m at @offset + pa with @flags, merging
 * regions that touch first so the builder can use the largest pages (two
 * adjacent 1.5 GiB regions need one 1 GiB page across their border, not
 * two page tables). Returns 0 or the builder's error, naming the range.
 */
int directmap_build(struct pt_ctx *ctx, u64 root, const struct memmap *m,
		    u64 offset, u32 flags);

#endif
