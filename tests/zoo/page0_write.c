// SPDX-License-Identifier: MIT
/*
 * Zoo: QueryVariableInfo writes physical page 0 (a NULL-pointer write) after
 * SetVirtualAddressMap.
 *
 * Seen: Linux keeps the first page reserved and maps low memory for the
 * firmware's sake (efi_reserve_boot_services' comment on "the 0 page"
 * and the trim of low memory in arch/x86/platform/efi/quirks.c,
 * efi_unmap_boot_services skipping the first MiB); Xen and FreeBSD's
 * efirt keep page 0 out of reach so a NULL write faults. Spec: UEFI 2.10,
 * 8.4 (no address outside the virtual map after SVAM).
 */
#include "zoo.h"

static EFI_QUERY_VARIABLE_INFO orig;
static volatile UINTN null_page; /* 0: a NULL pointer the compiler cannot see */

static EFI_STATUS EFIAPI query(UINT32 a, UINT64 *max, UINT64 *rem, UINT64 *big)
{
	if (zoo.virtual_mode)
		*(volatile UINT64 *)(null_page + 8) = 0x5a4f4f4e554c4cULL;
	return orig(a, max, rem, big);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "page0_write: QueryVariableInfo "
				"writes physical page 0 after SVAM", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->QueryVariableInfo, (void *)query,
		 (void **)&orig);
	return EFI_SUCCESS;
}
