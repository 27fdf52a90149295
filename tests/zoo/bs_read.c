// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime reads a boot-services page through its physical address
 * after SetVirtualAddressMap.
 *
 * Seen: firmware that keeps using boot-services memory after
 * ExitBootServices; Linux reserves those regions and keeps them mapped
 * 1:1 until SVAM has returned for this reason (efi_reserve_boot_services
 * in arch/x86/platform/efi/quirks.c: "a significant bunch of EFI
 * implementations continue calling into boot services code
 * (SetVirtualAddressMap)"), then unmaps them (efi_unmap_pages). Spec: UEFI
 * 2.10, 7.4 (ExitBootServices: boot services memory becomes available to
 * the OS) and 8.4 (after SVAM the firmware uses only the virtual addresses
 * it was given). Linux's handling: docs/zoo-vs-linux.md.
 *
 * The bug: a page allocated as boot-services data at entry, remembered by
 * its physical address, read in every GetTime after SVAM.
 */
#include "zoo.h"

static EFI_GET_TIME orig;
static UINT64 page; /* physical, never converted: the bug */

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode)
		(void)*(volatile UINT64 *)(UINTN)(page + 0x10);
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "bs_read: GetTime reads a boot-services "
				"page by its physical address after SVAM", TRUE);

	if (EFI_ERROR(s))
		return s;
	page = zoo_alloc_page(EfiBootServicesData);
	if (!page)
		return EFI_OUT_OF_RESOURCES;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
