/* SPDX-License-Identifier: MIT */
/*
 * Parsers for the configuration tables that tell vamap how to treat the
 * runtime services (efi/tables.c): the RT properties table and the memory
 * attributes table. Host-testable: they read only the buffers they are
 * given and report through efi_log.
 */
#ifndef VAMAP_EFI_TABLES_H
#define VAMAP_EFI_TABLES_H

#include "efi_memattr.h"
#include "types.h"

/*
 * EFI_RT_PROPERTIES_TABLE (UEFI 2.10, 4.6.2) in @len bytes at @p: version
 * 1 and a length that covers RuntimeServicesSupported. Returns 0 with the
 * mask in @supported, or -EINVAL with @why.
 */
int efi_rt_properties_parse(const void *p, u64 len, u32 *supported,
			    const char **why);

/* A memory attributes table entry that passed validation. */
struct efi_memattr_entry {
	u64 pa, size;
	u64 attr;    /* EFI_MEMORY_RO / EFI_MEMORY_XP as the table gave them */
	u32 type;    /* RuntimeServicesCode or RuntimeServicesData */
	u32 index;   /* its index in the table */
	u32 desc;    /* the memory-map descriptor that holds it */
};

#define EFI_MEMATTR_MAX_ENTRIES 512

struct efi_memattr_parsed {
	struct efi_memattr_header hdr;
	unsigned int n; /* valid entries in e[] */
	unsigned int rejected;
	struct efi_memattr_entry e[EFI_MEMATTR_MAX_ENTRIES];
};

/*
 * Does the header at @h describe a table vamap can read? The rules Linux
 * applies (drivers/firmware/efi/memattr.c, efi_memattr_init): version 1
 * or 2, and no more than three times the memory map's size in entries;
 * and vamap's own: desc_size at least one descriptor and a multiple of 8
 * (UEFI 2.10, 7.2: descriptors are 8-byte aligned), an entry count that
 * fits EFI_MEMATTR_MAX_ENTRIES. Returns 0, or -EINVAL with @why.
 */
int efi_memattr_header_check(const struct efi_memattr_header *h,
			     u64 map_size, const char **why);

/*
 * Validate every entry of the table at @tbl (@len bytes, header first)
 * against the raw memory map (@map, @map_size bytes, stride
 * @map_desc_size), with the rules of Linux's entry_is_valid(): type
 * RuntimeServicesCode or RuntimeServicesData; RO and XP not both clear
 * (UEFI 2.10, 4.6.4: an entry gives one of them); a whole number of 4 KiB
 * pages at a 4 KiB boundary; inside one memory-map descriptor that has
 * EFI_MEMORY_RUNTIME and the same type. Each rejected entry is logged by
 * index and reason; the valid ones land in @out. Returns 0 (even if some
 * entries were rejected: out->rejected counts them), or -EINVAL when the
 * header itself is refused.
 */
int efi_memattr_parse(const void *tbl, u64 len, const void *map, u64 map_size,
		      u64 map_desc_size, struct efi_memattr_parsed *out);

/* The valid entry of @t that holds physical address @pa, or NULL. */
const struct efi_memattr_entry *
efi_memattr_lookup(const struct efi_memattr_parsed *t, u64 pa);

#endif
