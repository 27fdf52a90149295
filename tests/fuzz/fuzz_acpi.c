// SPDX-License-Identifier: MIT
// sources: kernel/acpi_tables.c kernel/madt.c
/* RSDP, RSDT/XSDT and MADT parsers on arbitrary bytes. */
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
	if (!madt_parse(data, size, &madt, &why, &where))
		FUZZ_ASSERT(madt.nr_cpus >= 1 && madt.nr_cpus <= MADT_MAX_CPUS &&
			    madt.nr_found >= madt.nr_cpus);
	return 0;
}
