/* SPDX-License-Identifier: MIT */
/*
 * Page-table dumps and the W^X check (mm/ptdump.c), for any table.
 * Output goes through mm_log, one line per run of leaves that are
 * contiguous in VA with the same flags and page size, in the style of
 * Linux's /sys/kernel/debug/page_tables:
 *
 *   ---[ Direct Map ]---
 *   0xffff888000000000-0xffff888080000000     2G RW NX 2M WB GLB
 */
#ifndef VAMAP_PTDUMP_H
#define VAMAP_PTDUMP_H

#include "pgtable.h"

struct ptdump_marker {
	u64 start;
	const char *name;
};

/* Dump every mapping under @root in [start, end) (end 0: to the top);
 * @markers (sorted by start, ending with a NULL name) print a header line
 * where each region begins. */
void ptdump(struct pt_ctx *ctx, u64 root, u64 start, u64 end,
	    const struct ptdump_marker *markers);

/* Count 4 KiB pages that are both writable and executable, logging each
 * offending run; returns the page count. */
u64 ptdump_wx_check(struct pt_ctx *ctx, u64 root);

/* Log the entry at each level on the way to @va (for fault reports). */
void ptdump_walk_va(struct pt_ctx *ctx, u64 root, u64 va);


#endif
