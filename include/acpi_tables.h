/* SPDX-License-Identifier: MIT */
/*
 * ACPI root tables from buffers (kernel/acpi_tables.c): the RSDP and the
 * RSDT or XSDT it points to. Host-testable: they read only the bytes they
 * are given; kernel/acpi.c maps the bytes through the fixmap.
 */
#ifndef VAMAP_ACPI_TABLES_H
#define VAMAP_ACPI_TABLES_H

#include "types.h"

#define ACPI_RSDP_V1_LEN 20  /* ACPI 1.0: up to RsdtAddress */
#define ACPI_RSDP_V2_LEN 36  /* ACPI 2.0+: Length, XsdtAddress, ... */
#define ACPI_SDT_HEADER_LEN 36

/* The most vamap reads of a root table (its header and 256 entries of 8
 * bytes) and of the FADT (ACPI 6.5's is 276 bytes). */
#define ACPI_ROOT_MAX_LEN (ACPI_SDT_HEADER_LEN + 8 * 256)
#define ACPI_FADT_MAX_LEN 4096

/*
 * How many bytes of a table to read, given the Length its header says:
 * that length, or the header alone when the length is shorter than a
 * header or longer than @max. Never more: a Length of 4 GiB must not make
 * the reader walk 4 GiB. The parsers then name the problem (the table's
 * Length exceeds what they were given).
 */
static inline u64 acpi_sdt_read_len(u32 length, u64 max)
{
	return length < ACPI_SDT_HEADER_LEN || length > max ?
		ACPI_SDT_HEADER_LEN : length;
}

/* What the RSDP says (ACPI 6.5, 5.2.5.3). */
struct acpi_root {
	u8 revision;	/* 0: ACPI 1.0; 2 and up: ACPI 2.0+ */
	char oem[7];
	bool xsdt;	/* root is an XSDT (64-bit entries), else an RSDT */
	u64 root;	/* the root table's physical address */
};

/*
 * Check the RSDP in @p (@len bytes readable, at least ACPI_RSDP_V1_LEN):
 * signature, the ACPI 1.0 checksum over 20 bytes, and for revision 2 and
 * up the Length field and the extended checksum. The root is the XSDT when
 * the revision is 2 or more and XsdtAddress is not 0 (as ACPICA's
 * acpi_tb_parse_root_table chooses), else the RSDT. Returns 0 or -EINVAL
 * with @why.
 */
int acpi_rsdp_parse(const void *p, u64 len, struct acpi_root *out,
		    const char **why);

/* The length an RSDP of this revision must be readable for. */
u64 acpi_rsdp_len(const void *first20);

/*
 * Check a root table (@len bytes, the whole table as its header says):
 * signature "XSDT" or "RSDT" as @xsdt says, length, checksum, entry
 * size 8 or 4; copy up to @max entries to @tables. Returns the number of
 * entries the table holds (which may exceed @max), or -EINVAL with @why.
 */
int acpi_root_parse(const void *p, u64 len, bool xsdt, u64 *tables,
		    unsigned int max, const char **why);

/* The ACPI power-management timer as the FADT describes it (ACPI 6.5,
 * 4.8.3.3 and 5.2.9): a free-running 3.579545 MHz counter in I/O space. */
#define ACPI_PM_TIMER_HZ 3579545u

struct acpi_pm_timer {
	u16 port;  /* I/O port of the 32-bit counter register */
	u32 mask;  /* 0xffffff, or 0xffffffff with TMR_VAL_EXT */
};

/*
 * Find the PM timer in the FADT @p (@len readable bytes): signature
 * "FACP", length and checksum; X_PM_TMR_BLK when the table is long
 * enough to hold it and it names an I/O-space register, else PM_TMR_BLK
 * with PM_TMR_LEN 4. Returns 0, or -ENOENT with @why when the FADT names
 * none (a hardware-reduced platform has none; a register in memory space
 * is not used), or -EINVAL with @why when the table is malformed.
 */
int acpi_fadt_pm_timer(const void *p, u64 len, struct acpi_pm_timer *out,
		       const char **why);

/* The most vamap reads of an SRAT: its header, the 12 reserved bytes and
 * 4,096 structures of the largest kind it reads. */
#define ACPI_SRAT_MAX_LEN (ACPI_SDT_HEADER_LEN + 12 + 40 * 4096)

/* A range of physical memory, [start, end). */
struct acpi_mem_range {
	u64 start, end;
};

/* What acpi_srat_memory found besides the ranges it returns. */
struct acpi_srat_counts {
	unsigned int ranges;	/* enabled, present ranges (may exceed max) */
	unsigned int hotplug;	/* enabled and hot-pluggable: not compared */
	unsigned int disabled;	/* Enabled clear: to be ignored */
};

/*
 * The memory the SRAT @p (@len readable bytes) says the machine has (ACPI
 * 6.5, 5.2.16): signature "SRAT", length, checksum, then its structures,
 * each a type and a length that must stay inside the table; each Memory
 * Affinity structure (type 1, 40 bytes, 5.2.16.2) whose flags say
 * Enabled and not Hot Pluggable (hot-pluggable memory need not be present
 * at boot) with a length that does not wrap is one range, up to @max kept
 * in @out. Returns 0 with @counts, or -EINVAL with @why when the table is
 * malformed (a structure shorter than 2 bytes, one that runs past the end,
 * a Memory Affinity structure of another length).
 */
int acpi_srat_memory(const void *p, u64 len, struct acpi_mem_range *out,
		     unsigned int max, struct acpi_srat_counts *counts,
		     const char **why);

#endif
