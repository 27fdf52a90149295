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

struct efi_memattr_info {
	bool found;
	u64 pa;
	struct efi_memattr_header hdr;
};

extern struct efi_memattr_info efi_memattr;

/* Read and sanity-check the table's header through early_memremap. */
int efi_memattr_probe(u64 pa);

#endif
