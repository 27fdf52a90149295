// SPDX-License-Identifier: MIT
/*
 * The firmware's memory map into the kernel's (efi_memdesc.h): each
 * descriptor validated (the one validator, efi/memdesc.c), its type
 * classified and named, then handed to mm/ as a region. mm/ knows no EFI
 * type; the policy for malformed maps is in memmap.h. Host-testable.
 */
#include "efi_defs.h"
#include "efi_log.h"
#include "efi_memdesc.h"
#include "memmap.h"

enum mem_class efi_mem_class(u32 type)
{
	switch (type) {
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		return MEM_USABLE;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return MEM_BOOT_SERVICES;
	default:
		return MEM_RESERVED;
	}
}

/* The region descriptor @i describes, classified; false (with a line) when
 * the validator refuses its range. */
static bool region_of(const struct efi_memory_desc *d, u64 i,
		      struct mem_region *r)
{
	const char *why = efi_desc_range_problem(d->phys_start, d->num_pages);

	if (why) {
		efi_log("memory map desc %lu (%s at 0x%lx, %lu pages): %s, dropped\n",
			(unsigned long)i, efi_memory_type_name(d->type),
			(unsigned long)d->phys_start, (unsigned long)d->num_pages,
			why);
		return false;
	}
	*r = (struct mem_region){
		.start = d->phys_start,
		.end = d->phys_start + (d->num_pages << EFI_PAGE_SHIFT),
		.type = d->type,
		.type_name = efi_memory_type_name(d->type),
		.desc = (u32)i,
		.class = (u8)efi_mem_class(d->type),
		.ram = efi_type_is_ram(d->type),
		.uncached = efi_mem_uncached(d->type, d->attribute),
	};
	if ((d->attribute & EFI_MEMORY_RUNTIME) && r->class != MEM_RESERVED) {
		efi_log("memory map desc %lu: %s memory marked "
			"EFI_MEMORY_RUNTIME, kept reserved\n",
			(unsigned long)i, r->type_name);
		r->class = MEM_RESERVED;
		r->why = "EFI_MEMORY_RUNTIME";
	}
	return true;
}

int efi_memmap_import(struct memmap *m, const void *raw, u64 map_size,
		      u64 desc_size)
{
	u64 count, i;

	memmap_clear(m);
	if (!raw || !map_size) {
		efi_log("no memory map\n");
		return -EINVAL;
	}
	if (desc_size < sizeof(struct efi_memory_desc) || desc_size % 8) {
		efi_log("memory map desc_size %lu cannot hold a descriptor "
			"(40 bytes, multiple of 8): map unusable\n",
			(unsigned long)desc_size);
		return -EINVAL;
	}
	count = map_size / desc_size;
	if (map_size % desc_size) {
		efi_log("memory map size %lu not a multiple of desc_size %lu, "
			"trailing %lu bytes ignored\n", (unsigned long)map_size,
			(unsigned long)desc_size,
			(unsigned long)(map_size % desc_size));
		m->problems++;
	}
	for (i = 0; i < count; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(raw, desc_size, i);
		struct mem_region r;

		if (!region_of(d, i, &r)) {
			m->problems++;
			continue;
		}
		if (d->type >= EFI_MAX_MEMORY_TYPE) {
			efi_log("memory map desc %lu: unknown type 0x%x, kept as "
				"reserved\n", (unsigned long)i, d->type);
			m->problems++;
		}
		if (memmap_add(m, &r)) {
			efi_log("memory map: more than %u descriptors, %lu dropped\n",
				m->cap, (unsigned long)(count - i));
			m->problems += (unsigned int)(count - i);
			break;
		}
	}
	return memmap_finish(m);
}
