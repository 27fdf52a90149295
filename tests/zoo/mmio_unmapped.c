// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime reads the HPET's MMIO (0xfed00000), which no RUNTIME
 * descriptor covers, after SetVirtualAddressMap.
 *
 * Seen: runtime drivers that poke chipset registers (RTC, SPI flash,
 * power management) without an EfiMemoryMappedIO runtime descriptor, so
 * the OS never maps them; Linux maps only described regions (efi_map_region
 * for EFI_MEMORY_RUNTIME entries) and takes the fault in
 * efi_crash_gracefully_on_page_fault (arch/x86/platform/efi/quirks.c).
 * Spec: UEFI 2.10, 7.2 (EfiMemoryMappedIO "used by system firmware ...
 * at runtime" must be EFI_MEMORY_RUNTIME) and 8.4. Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode)
		(void)*(volatile UINT32 *)(UINTN)0xfed00000;
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "mmio_unmapped: GetTime reads the "
				"HPET's MMIO, described by no runtime descriptor", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
