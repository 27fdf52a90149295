// SPDX-License-Identifier: MIT
/*
 * Zoo: GetNextHighMonotonicCount calls through a function pointer it took
 * at entry and never converted.
 *
 * Seen: the classic missing ConvertPointer; Linux's
 * efi_crash_gracefully_on_page_fault (quirks.c) was added after firmware
 * "accessing memory it should not"; esx-boot and FreeBSD efirt map the
 * runtime regions 1:1 as well as at their new address for this reason.
 * Spec: UEFI 2.10, 8.4 (ConvertPointer: every pointer a runtime driver
 * keeps is converted in its EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE handler).
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
