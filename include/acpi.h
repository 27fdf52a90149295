/* SPDX-License-Identifier: MIT */
/* ACPI tables, read through early_memremap (kernel/acpi.c). */
#ifndef VAMAP_ACPI_H
#define VAMAP_ACPI_H

#include "types.h"

#define ACPI_MAX_TABLES 64

struct acpi_info {
	bool found;	/* RSDP and its RSDT or XSDT present and valid */
	u8 revision;	/* RSDP revision: 0 for ACPI 1.0 */
	char oem[7];
	bool root_is_xsdt; /* else an RSDT (ACPI 1.0: 32-bit entries) */
	u64 root;	/* the RSDT or XSDT, physical */
	unsigned int nr_tables;
	u64 table[ACPI_MAX_TABLES]; /* physical addresses from the XSDT */
	char sig[ACPI_MAX_TABLES][5];
};

extern struct acpi_info acpi;

/*
 * Read the RSDP at @rsdp and the RSDT or XSDT it names (ACPI 1.0 and 2.0+,
 * kernel/acpi_tables.c), checking signatures, lengths and checksums (ACPI
 * 6.5, 5.2.5.3, 5.2.7 and 5.2.8), and note every table's signature. Uses only early_memremap, so it runs before the
 * direct map exists. Returns 0 or -EINVAL with a line naming the fault.
 */
int acpi_early_probe(u64 rsdp);

struct madt_info;

/*
 * Find the MADT among the tables acpi_early_probe noted and parse it into
 * @m (include/madt.h). With @corrupt_copy a copy with its checksum byte
 * flipped is parsed instead (test=madt-corrupt). Returns 0; -ENOENT when
 * there is no MADT; -EINVAL when it is malformed, with @why and @where
 * from the parser; -ENOMEM when it cannot be mapped. *@pa is the table's
 * physical address whenever one was found.
 */
int acpi_read_madt(struct madt_info *m, bool corrupt_copy, u64 *pa,
		   const char **why, u32 *where);

struct acpi_mem_range;
struct acpi_srat_counts;

/*
 * The SRAT's enabled, present memory ranges (acpi_srat_memory, up to
 * @max in @out). Returns 0; -ENOENT when there is no SRAT; -EINVAL with
 * @why when it is malformed; -ENOMEM when it cannot be mapped. *@pa is the
 * table's physical address whenever one was found.
 */
int acpi_read_srat(struct acpi_mem_range *out, unsigned int max,
		   struct acpi_srat_counts *counts, u64 *pa, const char **why);

#endif
