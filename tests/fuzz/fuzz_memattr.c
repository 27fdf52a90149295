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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split;
	const u8 *map, *tbl;
	u64 map_size;
	u32 mask;
	const char *why;
	unsigned int i;

	if (size < 1)
		return 0;
	split = (size_t)data[0] * 48 < size - 1 ? (size_t)data[0] * 48 : size - 1;
	map = data + 1;
	map_size = split;
	tbl = data + 1 + split;
	efi_rt_properties_parse(tbl, size - 1 - split, &mask, &why);
	if (efi_memattr_parse(tbl, size - 1 - split, map, map_size, 48, &out))
		return 0;
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
	}
	return 0;
}
