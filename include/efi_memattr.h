/* SPDX-License-Identifier: MIT */
/* The EFI memory attributes table (UEFI 2.10, 4.6.4), efi/memattr.c. */
#ifndef VAMAP_EFI_MEMATTR_H
#define VAMAP_EFI_MEMATTR_H

#include "types.h"

struct efi_memattr_header {
	u32 version;
	u32 nr_entries;
	u32 desc_size;
	u32 flags; /* reserved before UEFI 2.10 */
};

struct efi_memattr_parsed;

struct efi_memattr_info {
	bool found;	/* a table was published (bi->mem_attr_table) */
	bool usable;	/* its header passed; valid entries are in parsed */
	u64 pa;
	const char *why; /* why the header was refused */
	const struct efi_memattr_parsed *parsed;
};

extern struct efi_memattr_info efi_memattr;

/*
 * Copy the table at @pa through early_memremap, validate its header and
 * every entry against the raw memory map (efi/tables.c), and keep the
 * valid entries. @map is the raw map, readable now (init_pg_dir maps RAM
 * 1:1). @corrupt (test=memattr-corrupt) breaks three entries of the copy,
 * each against another rule, before validation. Returns 0, -ENOENT when
 * there is no table, or -EINVAL when its header is refused.
 */
int efi_memattr_probe(u64 pa, const void *map, u64 map_size, u64 desc_size,
		      bool corrupt);

#endif
