/* SPDX-License-Identifier: MIT */
/*
 * The boot's memory rules, apart from the hardware (mm/early.c,
 * host-tested): what the kernel keeps out of the frame allocator and why,
 * and the order in which the firmware map becomes the kernel's map and
 * its free pages. mm/paging.c runs them on the real machine after probing
 * the CPU and finding the stub's scratch; tests/host/test_memmap.c runs
 * them on simulated maps.
 */
#ifndef VAMAP_MM_EARLY_H
#define VAMAP_MM_EARLY_H

#include "boot_info.h"
#include "frame.h"
#include "memmap.h"

/* Below this no page is ever allocated: page 0, the BIOS data area, the
 * AP trampoline's page at 0x8000 (real-mode code must run under 1 MiB). */
#define MM_LOW_RESERVE SZ_1M

#define MM_MAX_BOOT_RESERVATIONS 8

struct mm_reservation {
	u64 start, end;
	const char *why;
};

/* The ranges the kernel keeps for itself at boot, in a fixed order (the
 * golden logs hold it): page 0, the low 1 MiB, the kernel image (to 2 MiB),
 * boot_info, the firmware memory map, init_pg_dir, the stub's scratch.
 * Returns how many it wrote to @out. */
unsigned int mm_boot_reservations(const struct boot_info *bi, u64 bi_phys,
				  struct mm_reservation *out);

/*
 * How the firmware's map at @raw (@size bytes, stride @stride) becomes
 * classified regions in @m: the firmware layer's reader
 * (efi_memmap_import), passed in so that mm/ knows no firmware format.
 * Returns 0 or a negative error.
 */
typedef int (*memmap_import_fn)(struct memmap *m, const void *raw, u64 size,
				u64 stride);

/*
 * From the firmware map at @raw (bi's size and stride) to @m and @fa:
 * @import it, apply every boot reservation, then give the usable memory
 * above MM_LOW_RESERVE to the allocator. @m and @fa must already have
 * their storage. Logs a line per step (with @verbose, every region);
 * returns 0 or the first error.
 */
int mm_early_layout(struct memmap *m, struct frame_alloc *fa,
		    const struct boot_info *bi, u64 bi_phys, const void *raw,
		    memmap_import_fn import, bool verbose);

#endif
