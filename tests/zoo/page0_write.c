// SPDX-License-Identifier: MIT
/*
 * Zoo: QueryVariableInfo writes physical page 0 (a NULL-pointer write) after
 * SetVirtualAddressMap.
 *
 * Seen: firmware that treats the first physical page as its own; Linux
 * maps page 0 1:1 and writable in its EFI page table for exactly this
 * ("Certain firmware versions are way too sentimental and still believe
 * they are exclusive and unquestionable owners of the first physical
 * page", efi_setup_page_tables in arch/x86/platform/efi/efi_64.c), so the
 * write goes unnoticed there. Spec: UEFI 2.10, 8.4 (no address outside the
 * virtual map after SVAM). Linux's handling: docs/zoo-vs-linux.md.
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
