/* SPDX-License-Identifier: MIT */
/* Memory-map descriptors: validating and printing them (efi/memdesc.c). */
#ifndef VAMAP_EFI_MEMDESC_H
#define VAMAP_EFI_MEMDESC_H

#include "efi_defs.h"
#include "memmap.h"

/* Why the range of a descriptor (or of a memory attributes entry) cannot
 * be used: "zero pages", "start not 4 KiB aligned" or "range wraps or ends
 * above 2^52"; NULL when it is a whole range of pages below 2^52. */
const char *efi_desc_range_problem(u64 phys_start, u64 num_pages);

/* Is memory of UEFI @type with attributes @attr mapped uncached? The one
 * rule for the runtime regions vamap maps and the pages it lends: unless
 * the map declares it write-back (EFI_MEMORY_WB), and MMIO always — an
 * attribute field of 0, which some firmware writes for MMIO and reserved
 * ranges, is not write-back (UEFI 2.10 7.2.3: the attributes say which
 * cache modes the memory is capable of). */
bool efi_mem_uncached(u32 type, u64 attr);

/* The class mm/ gives memory of UEFI @type (unknown types: reserved). */
enum mem_class efi_mem_class(u32 type);

/*
 * Import the firmware map (@map_size bytes, stride @desc_size) into @m,
 * whose storage (@m->r, @m->cap) the caller provides: every descriptor
 * validated, classified and added, by the policy in memmap.h. Returns 0,
 * or -EINVAL when the map cannot be read at all.
 */
int efi_memmap_import(struct memmap *m, const void *raw, u64 map_size,
		      u64 desc_size);

/* "RUN|XP|WB|UC"-style names for the set bits of @attr, unknown bits as
 * one hex value; "" for none. Returns the length the full string needs. */
size_t efi_attr_string(u64 attr, char *buf, size_t size);

#endif
