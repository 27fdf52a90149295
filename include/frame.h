/* SPDX-License-Identifier: MIT */
/*
 * The physical frame allocator (mm/frame.c): a sorted list of free ranges,
 * filled only from usable memory-map regions, so it can never hand out a
 * reserved frame. Allocation takes the highest free page below a limit
 * (trampoline_pgd needs one below 4 GiB). It does not zero: the page-table
 * context that maps the page does.
 */
#ifndef VAMAP_FRAME_H
#define VAMAP_FRAME_H

#include "memmap.h"

struct frange {
	u64 start, end;
};

struct frame_alloc {
	struct frange *r; /* storage provided by the caller */
	unsigned int n, cap;
	u64 free_pages;
	u64 lost_pages; /* frees that found no room in the list */
};

void frame_init(struct frame_alloc *fa, struct frange *storage,
		unsigned int cap);
/* Add every usable region of @m above @floor. Returns 0 or -ENOSPC. */
int frame_add_usable(struct frame_alloc *fa, const struct memmap *m, u64 floor);
/* Give [start, end) (page-aligned) to the allocator. -EEXIST if any page of
 * it is already free, -ENOSPC if the list is full (the pages are counted
 * as lost), -EINVAL if misaligned. */
int frame_add(struct frame_alloc *fa, u64 start, u64 end);
/* The highest free page that ends at or below @limit (0: no limit). */
int frame_alloc(struct frame_alloc *fa, u64 limit, u64 *pa);
/* The highest run of @pages physically contiguous free pages that ends at
 * or below @limit: its first page in @pa. -ENOMEM when no range holds
 * one, -EINVAL for 0 pages. */
int frame_alloc_pages(struct frame_alloc *fa, u64 pages, u64 limit, u64 *pa);
int frame_free(struct frame_alloc *fa, u64 pa);

#endif
