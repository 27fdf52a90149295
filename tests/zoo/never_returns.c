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
	/* One instruction spinning on itself: wherever the watchdog's NMI
	 * lands, it names the same RIP (a test-and-pause loop gave two,
	 * and the golden log depended on the timing). */
	if (zoo.virtual_mode)
		for (;;)
			__asm__ volatile("1: jmp 1b");
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
