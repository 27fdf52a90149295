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

#define EFI_MAX_RT_REGIONS 128

struct efi_rt_region {
	u64 pa, va, size;
	u64 attr;
	u32 type;
	u16 desc;  /* index in the firmware map */
	u8 placed; /* va is valid */
};

struct efi_va_plan {
	struct efi_rt_region r[EFI_MAX_RT_REGIONS];
	unsigned int n;
	unsigned int errors; /* regions that are malformed or did not fit */
	u64 lowest_va;
};

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

/* The region whose [va, va+size) holds @va, or NULL. */
const struct efi_rt_region *efi_region_by_va(const struct efi_va_plan *p,
					     u64 va);

#endif
