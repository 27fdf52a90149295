// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime reads a boot-services page through its physical address
 * after SetVirtualAddressMap.
 *
 * Seen: Linux keeps boot-services regions mapped 1:1 through SVAM and after
 * it because firmware touches them (efi_reserve_boot_services and
 * efi_free_boot_services in arch/x86/platform/efi/quirks.c: "some firmware
 * implementations refuse to boot if there's insufficient space in the
 * boot services regions"; "Apple and others touch boot services memory
 * after ExitBootServices"). Spec: UEFI 2.10, 7.4 (ExitBootServices: boot
 * services memory becomes available to the OS) and 8.4 (after SVAM the
 * firmware uses only the virtual addresses it was given).
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
		(void)*(volatile UINT64 *)(page + 0x10);
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
