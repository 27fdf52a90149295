// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime never returns after SetVirtualAddressMap.
 *
 * Seen: an RTC driver polling the update-in-progress bit of a CMOS clock
 * that never clears (or a lock taken at boot time and never released);
 * Linux has no timeout on a runtime call: efi_queue_work waits in
 * wait_for_completion (drivers/firmware/efi/runtime-wrappers.c). Spec:
 * UEFI 2.10, 2.3.4.2 (a service returns to its caller). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	while (zoo.virtual_mode)
		__asm__ volatile("pause");
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "never_returns: GetTime spins "
				"forever after SVAM", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
