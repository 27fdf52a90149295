// SPDX-License-Identifier: MIT
// sources: kernel/acpi_tables.c kernel/madt.c
/* RSDP, RSDT/XSDT, FADT, SRAT and MADT parsers on arbitrary bytes. */
#include "acpi_tables.h"
#include "fuzz.h"
#include "madt.h"

static struct madt_info madt;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_root root;
	const char *why;
	struct acpi_pm_timer pm;
	u64 tables[64];
	u32 where;
	int n;

	if (!acpi_rsdp_parse(data, size, &root, &why))
		FUZZ_ASSERT(root.root != 0);
	n = acpi_root_parse(data, size, size & 1, tables, 64, &why);
	FUZZ_ASSERT(n < 0 || (u64)n * 4 + 36 <= size);
	if (!acpi_fadt_pm_timer(data, size, &pm, &why))
		FUZZ_ASSERT(pm.port != 0 && (pm.mask == 0xffffff ||
					     pm.mask == 0xffffffffu));
	/* As the stub and the kernel read a table: as far as its Length says
	 * within their bound (acpi_sdt_read_len), never further. */
	if (size >= ACPI_SDT_HEADER_LEN) {
		u32 length = (u32)data[4] | (u32)data[5] << 8 |
			     (u32)data[6] << 16 | (u32)data[7] << 24;
		u64 root_len = acpi_sdt_read_len(length, ACPI_ROOT_MAX_LEN);
		u64 fadt_len = acpi_sdt_read_len(length, ACPI_FADT_MAX_LEN);

		FUZZ_ASSERT(root_len >= ACPI_SDT_HEADER_LEN &&
			    root_len <= ACPI_ROOT_MAX_LEN);
		FUZZ_ASSERT(fadt_len <= ACPI_FADT_MAX_LEN);
		if (root_len <= size)
			(void)acpi_root_parse(data, root_len, true, tables, 64,
					      &why);
		if (fadt_len <= size)
			(void)acpi_fadt_pm_timer(data, fadt_len, &pm, &why);
	}
	{
		struct acpi_mem_range r[8];
		struct acpi_srat_counts c;
		unsigned int i;

		if (!acpi_srat_memory(data, size, r, 8, &c, &why))
			for (i = 0; i < c.ranges && i < 8; i++)
				FUZZ_ASSERT(r[i].start < r[i].end);
	}
	if (!madt_parse(data, size, &madt, &why, &where))
		FUZZ_ASSERT(madt.nr_cpus >= 1 && madt.nr_cpus <= MADT_MAX_CPUS &&
			    madt.nr_found >= madt.nr_cpus);
	return 0;
}
