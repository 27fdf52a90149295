// SPDX-License-Identifier: MIT
/* The memory attributes table header, read through the fixmap. */
#include "efi_defs.h"
#include "efi_memattr.h"
#include "fixmap.h"
#include "kernel.h"

struct efi_memattr_info efi_memattr;

int efi_memattr_probe(u64 pa)
{
	const struct efi_memattr_header *h;

	memset(&efi_memattr, 0, sizeof(efi_memattr));
	if (!pa)
		return -ENOENT;
	h = early_memremap(pa, sizeof(*h), false);
	if (!h)
		return -ENOMEM;
	efi_memattr.hdr = *h;
	early_memunmap((void *)h, sizeof(*h));
	if (efi_memattr.hdr.desc_size < sizeof(struct efi_memory_desc) ||
	    efi_memattr.hdr.nr_entries > 4096) {
		kprintf("efi: memory attributes table at 0x%016lx: implausible "
			"header (%u entries of %u bytes), ignored\n",
			(unsigned long)pa, efi_memattr.hdr.nr_entries,
			efi_memattr.hdr.desc_size);
		return -EINVAL;
	}
	efi_memattr.found = true;
	efi_memattr.pa = pa;
	kprintf("efi: memory attributes table: version %u, %u entries, "
		"desc_size %u (read through the fixmap)\n", efi_memattr.hdr.version,
		efi_memattr.hdr.nr_entries, efi_memattr.hdr.desc_size);
	return 0;
}
