// SPDX-License-Identifier: MIT
/*
 * Zoo: GetNextHighMonotonicCount calls through a function pointer it took
 * at entry and never converted.
 *
 * Seen: the classic missing ConvertPointer; Linux keeps every runtime
 * region mapped 1:1 as well as at its new address "as a catch-all for
 * b0rked firmware which doesn't update all internal pointers after
 * switching to virtual mode" (efi_map_region in
 * arch/x86/platform/efi/efi_64.c), which hides the bug. Spec: UEFI 2.10,
 * 8.4 (ConvertPointer: every pointer a runtime driver keeps is converted
 * in its EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE handler). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_NEXT_HIGH_MONO_COUNT orig;
static UINT32 (*helper)(UINT32); /* physical, never converted: the bug */

static UINT32 add_one(UINT32 x)
{
	return x + 1;
}

static EFI_STATUS EFIAPI count(UINT32 *high)
{
	volatile UINT32 x = helper(1);

	(void)x;
	return orig(high);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "fnptr_unconverted: "
				"GetNextHighMonotonicCount calls a pointer it never "
				"converted", TRUE);

	if (EFI_ERROR(s))
		return s;
	helper = add_one;
	zoo_hook((void **)&st->RuntimeServices->GetNextHighMonotonicCount,
		 (void *)count, (void **)&orig);
	return EFI_SUCCESS;
}
