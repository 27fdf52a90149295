/* SPDX-License-Identifier: MIT */
/*
 * The ACPI MADT (ACPI 6.5, 5.2.12), parsed from a buffer (kernel/madt.c).
 * Host-testable: it reads only the bytes it is given.
 */
#ifndef VAMAP_MADT_H
#define VAMAP_MADT_H

#include "types.h"

/* CPUs vamap keeps and can start: servers have hundreds; more are counted
 * (nr_found) and reported as not started. */
#define MADT_MAX_CPUS 1024
#define MADT_MAX_IOAPICS 8

struct madt_info {
	u32 lapic_pa;	/* local APIC MMIO base */
	unsigned int nr_cpus;
	struct {
		u32 apic_id;
		u32 acpi_uid;
		bool x2apic_entry;
	} cpu[MADT_MAX_CPUS];
	unsigned int nr_found;	/* usable processor entries, kept or not */
	/* I/O APICs (type 1), for the watchdog's NMI when the BSP is alone */
	unsigned int nr_ioapics;
	struct {
		u32 pa;
		u32 gsi_base;
	} ioapic[MADT_MAX_IOAPICS];
	/* Where ISA IRQ 0 (the PIT) arrives: GSI 0 unless an interrupt source
	 * override (type 2) moves it; flags are the override's MPS INTI flags */
	u32 irq0_gsi;
	u16 irq0_flags;
	unsigned int skipped_disabled; /* entries neither enabled nor online-capable */
	unsigned int online_capable;   /* not enabled, only online capable: not
					* started (ACPI 6.5 5.2.12.2) */
};

/*
 * Parse the MADT in @tbl (@len bytes, the whole table). Checks signature,
 * length, checksum and every entry's length; returns 0, or -EINVAL with
 * @why naming the problem (and the entry's offset through @where).
 */
int madt_parse(const void *tbl, u64 len, struct madt_info *out,
	       const char **why, u32 *where);

#endif
