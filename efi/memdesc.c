// SPDX-License-Identifier: MIT
/* Memory-map descriptors: the one validator, which types are RAM, and
 * names for the log. Self-contained and host-testable; the stub builds it
 * too. */
#include "efi_defs.h"
#include "efi_memdesc.h"
#include "printf.h"

static const char *const type_names[EFI_MAX_MEMORY_TYPE] = {
	[EFI_RESERVED_TYPE] = "Reserved",
	[EFI_LOADER_CODE] = "LoaderCode",
	[EFI_LOADER_DATA] = "LoaderData",
	[EFI_BOOT_SERVICES_CODE] = "BootCode",
	[EFI_BOOT_SERVICES_DATA] = "BootData",
	[EFI_RUNTIME_SERVICES_CODE] = "RuntimeCode",
	[EFI_RUNTIME_SERVICES_DATA] = "RuntimeData",
	[EFI_CONVENTIONAL_MEMORY] = "Conventional",
	[EFI_UNUSABLE_MEMORY] = "Unusable",
	[EFI_ACPI_RECLAIM_MEMORY] = "ACPIReclaim",
	[EFI_ACPI_MEMORY_NVS] = "ACPINVS",
	[EFI_MEMORY_MAPPED_IO] = "MMIO",
	[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = "MMIOPort",
	[EFI_PAL_CODE] = "PALCode",
	[EFI_PERSISTENT_MEMORY] = "Persistent",
	[EFI_UNACCEPTED_MEMORY] = "Unaccepted",
};

bool efi_mem_uncached(u32 type, u64 attr)
{
	return !(attr & EFI_MEMORY_WB) || type == EFI_MEMORY_MAPPED_IO ||
	       type == EFI_MEMORY_MAPPED_IO_PORT_SPACE;
}

bool efi_type_is_ram(u32 type)
{
	switch (type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_ACPI_RECLAIM_MEMORY:
	case EFI_ACPI_MEMORY_NVS:
	case EFI_PERSISTENT_MEMORY:
		return true;
	default:
		return false;
	}
}

/*
 * The one memory-descriptor validator: the stub's init_pg_dir, the kernel's
 * copy of the map, the runtime VA plan and the memory attributes table all
 * refuse a range for these reasons and no others. UEFI 2.10, 7.2: a
 * descriptor is NumberOfPages 4 KiB pages from a 4 KiB-aligned
 * PhysicalStart; MAXPHYADDR is at most 52 (SDM vol. 3A, 4.1.4).
 */
#define PHYS_LIMIT (1ULL << 52)

const char *efi_desc_range_problem(u64 phys_start, u64 num_pages)
{
	if (!num_pages)
		return "zero pages";
	if (phys_start & (SZ_4K - 1))
		return "start not 4 KiB aligned";
	if (num_pages > (PHYS_LIMIT >> EFI_PAGE_SHIFT) || phys_start >= PHYS_LIMIT ||
	    (num_pages << EFI_PAGE_SHIFT) > PHYS_LIMIT - phys_start)
		return "range wraps or ends above 2^52";
	return NULL;
}

const char *efi_memory_type_name(u32 type)
{
	if (type < EFI_MAX_MEMORY_TYPE && type_names[type])
		return type_names[type];
	return "Unknown";
}

/* Attribute bits in the order Linux's efi=debug prints them, high first. */
static const struct {
	u64 bit;
	const char *name;
} attr_names[] = {
	{ EFI_MEMORY_RUNTIME, "RUN" },	{ EFI_MEMORY_CPU_CRYPTO, "CC" },
	{ EFI_MEMORY_SP, "SP" },	{ EFI_MEMORY_RO, "RO" },
	{ EFI_MEMORY_MORE_RELIABLE, "MR" }, { EFI_MEMORY_NV, "NV" },
	{ EFI_MEMORY_XP, "XP" },	{ EFI_MEMORY_RP, "RP" },
	{ EFI_MEMORY_WP, "WP" },	{ EFI_MEMORY_UCE, "UCE" },
	{ EFI_MEMORY_WB, "WB" },	{ EFI_MEMORY_WT, "WT" },
	{ EFI_MEMORY_WC, "WC" },	{ EFI_MEMORY_UC, "UC" },
};

size_t efi_attr_string(u64 attr, char *buf, size_t size)
{
	u64 known = 0;
	size_t len = 0, i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(attr_names); i++) {
		known |= attr_names[i].bit;
		if (!(attr & attr_names[i].bit))
			continue;
		len += (size_t)ksnprintf(buf + MIN(len, size), size - MIN(len, size),
					 "%s%s", len ? "|" : "", attr_names[i].name);
	}
	if (attr & ~known)
		len += (size_t)ksnprintf(buf + MIN(len, size), size - MIN(len, size),
					 "%s0x%lx", len ? "|" : "",
					 (unsigned long)(attr & ~known));
	return len;
}

