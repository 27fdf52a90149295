/* SPDX-License-Identifier: MIT */
/*
 * mm/'s own state, for mm/ alone: the rest of the kernel (smp.c, efi/)
 * reaches the memory map, the frame allocator and the table context
 * through the functions in include/mm.h.
 */
#ifndef VAMAP_MM_INTERNAL_H
#define VAMAP_MM_INTERNAL_H

#include "mm.h"

extern struct memmap kmemmap;
extern struct frame_alloc kframes;
extern struct pt_ctx kctx; /* for tables reachable through the live map */
/* The table list: swapper_pg_dir is the master once it is live. */
extern struct pgd_list kpgd_list;

#endif
