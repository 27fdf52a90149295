// SPDX-License-Identifier: MIT
/* The memory attributes table: copied through the fixmap, then validated
 * (efi/tables.c). */
#include "efi_defs.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "fixmap.h"
#include "kernel.h"

/* The copy: the header and up to EFI_MEMATTR_MAX_ENTRIES entries of up to
 * 128 bytes, within the fixmap's early-map slots. */
#define MEMATTR_COPY_MAX (16 + EFI_MEMATTR_MAX_ENTRIES * 128)

struct efi_memattr_info efi_memattr;
static struct efi_memattr_parsed parsed;
static u8 copy[MEMATTR_COPY_MAX] __aligned(8);

static int read_table(u64 pa, u64 len)
{
	const void *p = early_memremap(pa, len, false);

	if (!p)
		return -ENOMEM;
	memcpy(copy, p, len);
	early_memunmap((void *)p, len);
	return 0;
}

/* test=memattr-corrupt: three entries of the copy, each breaking one of
 * the rules efi_memattr_parse applies. */
static void corrupt_copy(const struct efi_memattr_header *h)
{
	struct efi_memory_desc *e[3];
	u32 i;

	if (h->nr_entries < 3) {
		kprintf("test: the memory attributes table has %u entries, "
			"fewer than 3 to corrupt\n", h->nr_entries);
		return;
	}
	for (i = 0; i < 3; i++)
		e[i] = (void *)(copy + sizeof(*h) + (u64)i * h->desc_size);
	e[0]->type = EFI_CONVENTIONAL_MEMORY;
	e[1]->attribute &= ~(EFI_MEMORY_RO | EFI_MEMORY_XP);
	e[2]->phys_start += 0x800;
	kprintf("test: memory attributes entries 0-2 of the copy broken "
		"(type, RO|XP, alignment)\n");
}

int efi_memattr_probe(u64 pa, const void *map, u64 map_size, u64 desc_size,
		      bool corrupt)
{
	const struct efi_memattr_header *h = (const void *)copy;
	const char *why;
	u64 len;
	int ret;

	memset(&efi_memattr, 0, sizeof(efi_memattr));
	if (!pa)
		return -ENOENT;
	efi_memattr.found = true;
	efi_memattr.pa = pa;
	ret = read_table(pa, sizeof(*h));
	if (ret)
		return ret;
	if (efi_memattr_header_check(h, map_size, &why)) {
		efi_memattr.why = why;
		kprintf("efi: memory attributes table at 0x%016lx: version %u, %u "
			"entries of %u bytes: %s, ignored\n", (unsigned long)pa,
			h->version, h->nr_entries, h->desc_size, why);
		return -EINVAL;
	}
	len = sizeof(*h) + (u64)h->nr_entries * h->desc_size;
	if (len > sizeof(copy)) {
		efi_memattr.why = "larger than vamap copies";
		kprintf("efi: memory attributes table at 0x%016lx: %lu bytes, more "
			"than vamap copies, ignored\n", (unsigned long)pa,
			(unsigned long)len);
		return -EINVAL;
	}
	ret = read_table(pa, len);
	if (ret)
		return ret;
	if (corrupt)
		corrupt_copy(h);
	ret = efi_memattr_parse(copy, len, map, map_size, desc_size, &parsed);
	if (ret) {
		efi_memattr.why = "refused";
		return ret;
	}
	efi_memattr.usable = true;
	efi_memattr.parsed = &parsed;
	kprintf("efi: memory attributes table: version %u, %u entries, "
		"desc_size %u (read through the fixmap): %u valid, %u rejected\n",
		parsed.hdr.version, parsed.hdr.nr_entries, parsed.hdr.desc_size,
		parsed.n, parsed.rejected);
	return 0;
}
