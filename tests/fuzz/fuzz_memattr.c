// SPDX-License-Identifier: MIT
// sources: efi/tables.c efi/names.c efi/memdesc.c kernel/printf.c
/* The memory attributes table and the RT properties table: the input's
 * first byte splits it into a memory map (stride 48) and the table. Every
 * entry kept must satisfy the rules the parser claims to apply. */
#include "efi_defs.h"
#include "efi_rt.h"
#include "efi_tables.h"
#include "fuzz.h"

static struct efi_memattr_parsed out;

static void check_entries(const u8 *map, u64 map_size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split;
	const u8 *map, *tbl;
	u64 map_size;
	u32 mask;
	const char *why;

	u8 *copy;
	int ret;

	if (size < 1)
		return 0;
	split = (size_t)data[0] * 48 < size - 1 ? (size_t)data[0] * 48 : size - 1;
	/* Map and table each 8-byte aligned, as the firmware hands them over
	 * (UEFI 2.10 7.2 and 4.6: both are arrays of 8-byte fields); the
	 * input's own bytes after data[0] are not (UBSan once reported every
	 * read of them, in recover mode, without failing the run). */
	copy = malloc(ALIGN_UP(split, 8) + (size - 1 - split) + 8);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, split);
	memcpy(copy + ALIGN_UP(split, 8), data + 1 + split, size - 1 - split);
	map = copy;
	map_size = split;
	tbl = copy + ALIGN_UP(split, 8);
	efi_rt_properties_parse(tbl, size - 1 - split, &mask, &why);
	ret = efi_memattr_parse(tbl, size - 1 - split, map, map_size, 48, &out);
	if (!ret)
		check_entries(map, map_size);
	free(copy);
	return 0;
}

static void check_entries(const u8 *map, u64 map_size)
{
	unsigned int i, k;

	for (i = 0; i < out.n; i++) {
		const struct efi_memattr_entry *e = &out.e[i];
		const struct efi_memory_desc *d = efi_memdesc_at(map, 48, e->desc);

		FUZZ_ASSERT(e->type == EFI_RUNTIME_SERVICES_CODE ||
			    e->type == EFI_RUNTIME_SERVICES_DATA);
		FUZZ_ASSERT(e->attr & (EFI_MEMORY_RO | EFI_MEMORY_XP));
		FUZZ_ASSERT(!(e->pa & 0xfff) && e->size && !(e->size & 0xfff));
		FUZZ_ASSERT(e->desc < map_size / 48);
		FUZZ_ASSERT(d->type == e->type && (d->attribute & EFI_MEMORY_RUNTIME));
		FUZZ_ASSERT(e->pa >= d->phys_start &&
			    e->pa + e->size <= d->phys_start + (d->num_pages << 12));
		/* each page described once: what map_final's RWX count needs */
		for (k = 0; k < i; k++)
			FUZZ_ASSERT(e->pa >= out.e[k].pa + out.e[k].size ||
				    out.e[k].pa >= e->pa + e->size);
	}
}
