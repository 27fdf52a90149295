/* SPDX-License-Identifier: MIT */
/*
 * The fixmap: a fixed range of page slots just below the top of the
 * address space (layout.h: FIXMAP_BASE..FIXMAP_TOP). It never moves, so it
 * works from the first kernel instruction on init_pg_dir to the end, and
 * early_memremap() uses its slots to read firmware tables before the direct
 * map exists. Slot i sits at FIXMAP_TOP - (i + 1) pages.
 */
#ifndef VAMAP_FIXMAP_H
#define VAMAP_FIXMAP_H

#include "layout.h"
#include "types.h"

enum fixed_addresses {
	FIX_EARLY_MAP_FIRST,
	FIX_EARLY_MAP_LAST = FIX_EARLY_MAP_FIRST + 63,
	__end_of_fixed_addresses /* sentinel */
};

compile_assert(fixmap_fits_its_range,
	       __end_of_fixed_addresses * PAGE_SIZE <= FIXMAP_SIZE);
compile_assert(fixmap_top_page_aligned, FIXMAP_TOP % PAGE_SIZE == 0);

/* The virtual address of slot @idx; panics on an index past the sentinel. */
u64 fix_to_virt(unsigned int idx);

/*
 * Map [pa, pa+size) read-only through fixmap slots and return a pointer to
 * pa; @uc selects uncached (MMIO) instead of write-back (RAM). NULL when
 * the slots are exhausted or the mapping fails (with a log line).
 */
void *early_memremap(u64 pa, u64 size, bool uc);
void early_memunmap(void *va, u64 size);

#endif
