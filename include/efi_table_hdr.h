/* SPDX-License-Identifier: MIT */
/*
 * EFI_TABLE_HEADER (UEFI 2.10 4.2): the Signature, Revision, HeaderSize and
 * CRC32 of the System Table, the Boot Services and the Runtime Services
 * tables (efi/table_hdr.c, built into the stub and the kernel,
 * host-tested). The CRC32 covers HeaderSize bytes with the CRC32 field
 * taken as 0, so a firmware that changes a table — a driver hooking a
 * service, SetVirtualAddressMap converting the pointers — must compute it
 * again.
 */
#ifndef VAMAP_EFI_TABLE_HDR_H
#define VAMAP_EFI_TABLE_HDR_H

#include "types.h"

/* No table vamap checks is larger; a HeaderSize past it is a finding. */
#define EFI_TABLE_HEADER_MAX 4096

/* The tables' sizes for a 2.x revision on firmware whose pointers are @w
 * bytes (8 on x64, 4 on IA32): after the header, the System Table's 12
 * fields (its 32-bit FirmwareRevision padded to a pointer's alignment),
 * 14 runtime services, 44 boot services. */
#define EFI_SYSTEM_TABLE_MIN_SIZE_FOR(w) (24 + 12 * (w))
#define EFI_RUNTIME_SERVICES_MIN_SIZE_FOR(w) (24 + 14 * (w))
#define EFI_BOOT_SERVICES_MIN_SIZE_FOR(w) (24 + 44 * (w))
#define EFI_SYSTEM_TABLE_MIN_SIZE EFI_SYSTEM_TABLE_MIN_SIZE_FOR(8)
#define EFI_RUNTIME_SERVICES_MIN_SIZE EFI_RUNTIME_SERVICES_MIN_SIZE_FOR(8)
#define EFI_BOOT_SERVICES_MIN_SIZE EFI_BOOT_SERVICES_MIN_SIZE_FOR(8)

/*
 * Why the header of the table at @table, of which @readable bytes may be
 * read, is not valid for a table with @signature and at least @min_size
 * bytes: into @buf (@n bytes), returned; NULL when it is valid.
 */
const char *efi_table_header_problem(const void *table, u64 readable,
				     u64 signature, u32 min_size, char *buf,
				     size_t n);

#endif
