/* SPDX-License-Identifier: MIT */
/*
 * The UEFI definitions the kernel needs, written from the UEFI 2.10
 * specification (section 7.2, EFI_BOOT_SERVICES.GetMemoryMap()). The stub
 * uses gnu-efi's headers; the kernel and the host tests use these.
 */
#ifndef VAMAP_EFI_DEFS_H
#define VAMAP_EFI_DEFS_H

#include "types.h"

enum efi_memory_type {
	EFI_RESERVED_TYPE,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY,
	EFI_MAX_MEMORY_TYPE
};

#define EFI_MEMORY_UC (1ULL << 0)
#define EFI_MEMORY_WC (1ULL << 1)
#define EFI_MEMORY_WT (1ULL << 2)
#define EFI_MEMORY_WB (1ULL << 3)
#define EFI_MEMORY_UCE (1ULL << 4)
#define EFI_MEMORY_WP (1ULL << 12)
#define EFI_MEMORY_RP (1ULL << 13)
#define EFI_MEMORY_XP (1ULL << 14)
#define EFI_MEMORY_NV (1ULL << 15)
#define EFI_MEMORY_MORE_RELIABLE (1ULL << 16)
#define EFI_MEMORY_RO (1ULL << 17)
#define EFI_MEMORY_SP (1ULL << 18)
#define EFI_MEMORY_CPU_CRYPTO (1ULL << 19)
#define EFI_MEMORY_RUNTIME (1ULL << 63)

#define EFI_PAGE_SHIFT 12

/*
 * One descriptor as the spec lays it out. Firmware may return larger ones:
 * always step through a map by its desc_size, never by sizeof(this).
 */
struct efi_memory_desc {
	u32 type;
	u32 pad;
	u64 phys_start;
	u64 virt_start;
	u64 num_pages;
	u64 attribute;
};

compile_assert(efi_memory_desc_is_40_bytes, sizeof(struct efi_memory_desc) == 40);

/* The i-th descriptor of a map whose stride is desc_size. */
static inline const struct efi_memory_desc *
efi_memdesc_at(const void *map, u64 desc_size, u64 i)
{
	return (const struct efi_memory_desc *)((const u8 *)map + i * desc_size);
}

/* Memory types that hold RAM (UEFI 2.10, table 7-5): what the direct map,
 * and the stub's init_pg_dir, map. MMIO, reserved and unusable do not. */
bool efi_type_is_ram(u32 type);

/* "Conventional", "RuntimeCode", …; "Unknown" for types past the spec. */
const char *efi_memory_type_name(u32 type);

#endif
