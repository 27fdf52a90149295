// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime uses 64 KiB of stack.
 *
 * Seen: variable and capsule drivers with large locals (an authenticated
 * variable's certificate buffer on the stack); Linux x86 runs runtime
 * calls on the kernel stack of its efi_rts_wq worker
 * (drivers/firmware/efi/runtime-wrappers.c). Spec: UEFI 2.10, 2.3.4 (the
 * caller provides 4 KiB or more of stack). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode)
		zoo_use_stack(64);
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "stack_hog: GetTime uses 64 KiB of "
				"stack", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
