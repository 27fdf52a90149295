// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime writes into the memory-map buffer of the last GetMemoryMap
 * call before ExitBootServices, through the pointer it captured then.
 *
 * Seen: drivers that keep a caller's buffer pointer past the call (an
 * event at ExitBootServices that "fixes up" the map the OS holds); the
 * OS owns that buffer (LoaderData) from ExitBootServices on. Through its
 * physical address the write faults under Linux (efi_pgd's low half maps
 * only EFI regions, page 0 and the kernel's copy of the map:
 * efi_setup_page_tables, arch/x86/platform/efi/efi_64.c); through a
 * direct-map address it would land (efi_sync_low_kernel_mappings shares
 * the kernel half). Spec: UEFI 2.10, 7.4 (after ExitBootServices the OS
 * owns all memory but the runtime regions). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;
static EFI_GET_MEMORY_MAP orig_gmm;
static UINT64 captured; /* physical, the OS's buffer: the bug */

static EFI_STATUS EFIAPI get_memory_map(UINTN *size, EFI_MEMORY_DESCRIPTOR *map,
					UINTN *key, UINTN *dsize, UINT32 *ver)
{
	if (map)
		captured = (UINT64)map;
	return orig_gmm(size, map, key, dsize, ver);
}

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode && captured)
		*(volatile UINT64 *)(captured + 8) = 0x5a4f4f5354414c45ULL;
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "stale_mapbuf: GetTime writes the "
				"OS's memory-map buffer through a pointer captured "
				"before ExitBootServices", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook_bs((void **)&st->BootServices->GetMemoryMap,
		    (void *)get_memory_map, (void **)&orig_gmm);
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
