/* SPDX-License-Identifier: MIT */
/*
 * The kernel's copy of the firmware memory map (mm/memmap.c): sorted,
 * without overlaps, each region classified. mm/ reads no firmware format:
 * efi_memmap_import (efi/memmap.c) validates the UEFI descriptors and hands
 * them over classified.
 *
 * Policy for malformed maps (each case logs a line naming the descriptor):
 *
 *   desc_size < 40 or not a multiple of 8   stop: the map cannot be read
 *   map size not a multiple of desc_size    trim the trailing partial one
 *   zero pages                              drop the descriptor
 *   start not 4 KiB aligned                 drop the descriptor
 *   range wraps or ends above 2^52          drop the descriptor
 *   unknown type                            keep it, as reserved
 *   overlap                                 the overlapped part goes to the
 *                                           more reserved class (reserved >
 *                                           boot services > usable); on a
 *                                           tie, to the earlier descriptor
 *   more descriptors than the copy holds    drop the rest
 *
 * And two rules that are not problems, each with a line:
 *
 *   RAM at or above ram_limit               reserved, not RAM (the direct
 *                                           map cannot hold it)
 *   usable or boot-services memory marked   reserved: the firmware may
 *   EFI_MEMORY_RUNTIME                      use it at runtime (Linux never
 *                                           frees such memory either)
 */
#ifndef VAMAP_MEMMAP_H
#define VAMAP_MEMMAP_H

#include "types.h"

enum mem_class {
	MEM_USABLE = 0,	       /* conventional, loader code/data */
	MEM_BOOT_SERVICES = 1, /* boot-services code/data: free after SVAM */
	MEM_RESERVED = 2,      /* everything else, and what we reserve */
};

struct mem_region {
	u64 start;
	u64 end; /* exclusive */
	const char *type_name; /* the firmware's name for its type, for the log */
	const char *why;  /* for regions we reserved: what for */
	u32 type;	  /* the firmware's memory type: opaque to mm/ */
	u32 desc;	  /* index of the firmware descriptor it came from */
	u8 class;	  /* enum mem_class */
	u8 ram;		  /* holds RAM: goes into the direct map */
	u8 kernel;	  /* reserved by memmap_reserve: the kernel's own */
	u8 uncached;	  /* the firmware allows no write-back: map it UC */
};

struct memmap {
	struct mem_region *r;
	unsigned int n, cap;
	unsigned int problems; /* descriptors dropped, trimmed or retyped */
	/* RAM at or above this is kept as reserved, not RAM: the direct map
	 * ends there (layout.h, DIRECT_MAP_MAX). 0: no limit. Set by the
	 * caller before the import (efi_memmap_import). */
	u64 ram_limit;
};

/* Empty @m (its storage stays) before regions are added. */
void memmap_clear(struct memmap *m);

/*
 * Add one classified region (the firmware layer reads its own format and
 * calls this per descriptor: efi_memmap_import). RAM at or above
 * @m->ram_limit is split off as reserved. Returns 0, or -ENOSPC when the
 * copy is full.
 */
int memmap_add(struct memmap *m, const struct mem_region *r);

/* After the last memmap_add: sort, and resolve overlaps by the policy
 * above. Returns 0, or -EINVAL when no region is left. */
int memmap_finish(struct memmap *m);

/*
 * Mark [start, end) reserved (page-rounded outward) wherever it lies in
 * usable or boot-services memory, splitting regions; @why names it in the
 * log. Returns 0 or -ENOSPC when the copy has no room for the splits.
 */
int memmap_reserve(struct memmap *m, u64 start, u64 end, const char *why);

/* The region that holds @a, or NULL (regions are sorted and disjoint). */
const struct mem_region *memmap_find(const struct memmap *m, u64 a);

/* Is @r the kernel's — reserved for itself, or usable memory the frame
 * allocator hands out? Such memory is never lent to the firmware. */
static inline bool mem_region_kernel_owned(const struct mem_region *r)
{
	return r->kernel || r->class == MEM_USABLE;
}

/* Reclassify every boot-services region as usable (after SVAM). Returns
 * the bytes reclassified. */
u64 memmap_release_boot_services(struct memmap *m);

/* Bytes in regions of @class. */
u64 memmap_total(const struct memmap *m, enum mem_class class);

/* Bytes in regions of @class that hold RAM (@ram) or do not: reserved
 * RAM apart from MMIO and address space the firmware reserved. */
u64 memmap_total_ram(const struct memmap *m, enum mem_class class, bool ram);

/* A range of addresses no region describes. */
struct mem_gap {
	u64 start, end;
};

/*
 * The parts of [start, end) that no region of @m covers, in address
 * order: up to @max of them in @out, their bytes in *@bytes. Returns how
 * many there are (which may exceed @max). Regions must be sorted and
 * disjoint (after memmap_finish).
 */
unsigned int memmap_gaps(const struct memmap *m, u64 start, u64 end,
			 struct mem_gap *out, unsigned int max, u64 *bytes);

/* The end of the highest RAM region (0 if none). */
u64 memmap_ram_end(const struct memmap *m);

#endif
