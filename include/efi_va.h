/* SPDX-License-Identifier: MIT */
/*
 * Where the runtime regions go (efi/va.c). Host-testable.
 *
 * Runtime descriptors are taken in memory-map order (stride desc_size).
 * Their VAs are taken top-down from the window, walking the descriptors in
 * reverse so that VAs still ascend in map order (firmware code and data
 * that reference each other are split into neighbouring descriptors), and
 * VA ≡ PA (mod 2 MiB) so large regions can use large pages. In 1:1 mode
 * VA = PA.
 */
#ifndef VAMAP_EFI_VA_H
#define VAMAP_EFI_VA_H

#include "types.h"

struct efi_rt_region {
	u64 pa, va, size;
	u64 attr;
	u32 type;
	u32 desc;  /* index in the firmware map (the first, when merged) */
	u8 placed; /* va is valid */
	u8 boot_services; /* efi=linux: a boot-services region Linux maps */
};

/* The caller gives the plan its region storage: @r with room for @cap
 * regions; efi_plan_capacity() says how many a map can need. */
struct efi_va_plan {
	struct efi_rt_region *r;
	unsigned int cap;
	unsigned int n;
	unsigned int errors; /* regions that are malformed or did not fit */
	u64 lowest_va;
	/* efi=linux: SetVirtualAddressMap gets the regions in reverse map
	 * order, the order Linux builds its new_memmap in. */
	bool svam_reverse;
};

/* Regions a map of @map_size bytes in @desc_size strides can give a plan:
 * one per descriptor (0 for an unreadable stride). */
u64 efi_plan_capacity(u64 map_size, u64 desc_size);

/*
 * Plan VAs for the runtime descriptors of the raw map into
 * [win_base, win_top), or VA = PA when @identity. Every problem logs a line
 * naming the descriptor and counts in plan->errors: a malformed runtime
 * descriptor, two that overlap, one that does not fit. Returns 0 when the
 * plan is complete, -EINVAL otherwise (the plan then must not be handed to
 * the firmware).
 */
int efi_plan_va(const void *raw, u64 map_size, u64 desc_size, u64 win_base,
		u64 win_top, bool identity, struct efi_va_plan *plan);

/*
 * The plan Linux (6.1, arch/x86/platform/efi/) makes for the same map, for
 * efi=linux: efi_merge_regions() first joins neighbouring descriptors of
 * the same type and attributes; efi_map_regions() then walks the map in
 * reverse and takes every descriptor should_map_region() accepts — those
 * with EFI_MEMORY_RUNTIME, and on x86-64 also boot-services code and data
 * (mapped for firmware that touches them) — placing each with
 * efi_map_region()'s arithmetic, top-down from @win_top. SetVirtualAddressMap
 * gets all of them, in that reverse order (plan->svam_reverse). Returns as
 * efi_plan_va.
 */
int efi_plan_va_linux(const void *raw, u64 map_size, u64 desc_size,
		      u64 win_base, u64 win_top, struct efi_va_plan *plan);

/* The region whose [va, va+size) holds @va, or NULL. */
const struct efi_rt_region *efi_region_by_va(const struct efi_va_plan *p,
					     u64 va);
/* The region whose [pa, pa+size) holds @pa, placed or not, or NULL. */
const struct efi_rt_region *efi_region_by_pa(const struct efi_va_plan *p,
					     u64 pa);

#endif
