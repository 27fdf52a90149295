// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime writes a boot-services page through its physical address
 * after SetVirtualAddressMap.
 *
 * Seen: as bs_read (efi_reserve_boot_services, quirks.c); a write is
 * worse than a read: had the OS reused the page, the firmware would
 * corrupt it. Spec: UEFI 2.10, 7.4 and 8.4. Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;
static UINT64 page; /* physical, never converted: the bug */

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode)
		*(volatile UINT64 *)(UINTN)(page + 0x20) = 0x5a4f4f5752495445ULL;
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "bs_write: GetTime writes a "
				"boot-services page by its physical address after SVAM",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	page = zoo_alloc_page(EfiBootServicesData);
	if (!page)
		return EFI_OUT_OF_RESOURCES;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
