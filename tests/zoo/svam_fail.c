// SPDX-License-Identifier: MIT
/*
 * Zoo: SetVirtualAddressMap fails: the driver's hook returns
 * EFI_INVALID_PARAMETER for a map that is valid.
 *
 * Seen: firmware refusing maps whose virtual addresses it does not expect
 * (descriptors it did not ask to be mapped, or mapped at a different
 * stride); Linux then runs without runtime services ("Unable to switch
 * EFI into virtual mode (status=%lx)!" in __efi_enter_virtual_mode,
 * arch/x86/platform/efi/efi.c; older kernels panic there). Spec: UEFI
 * 2.10, 8.4 (SetVirtualAddressMap's statuses). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_SET_VIRTUAL_ADDRESS_MAP orig;

static EFI_STATUS EFIAPI svam(UINTN size, UINTN dsize, UINT32 ver,
			      EFI_MEMORY_DESCRIPTOR *map)
{
	(void)size;
	(void)dsize;
	(void)ver;
	(void)map;
	return EFI_INVALID_PARAMETER;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "svam_fail: SetVirtualAddressMap "
				"returns INVALID_PARAMETER", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVirtualAddressMap,
		 (void *)svam, (void **)&orig);
	return EFI_SUCCESS;
}
