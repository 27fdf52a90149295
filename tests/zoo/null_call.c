// SPDX-License-Identifier: MIT
/*
 * Zoo: GetNextHighMonotonicCount calls through a NULL function pointer
 * after SetVirtualAddressMap (a protocol the driver looked up at boot
 * time and cleared at ExitBootServices, called anyway).
 *
 * Seen: runtime code that calls a boot-time protocol's function it keeps
 * in a global, after ExitBootServices has made it NULL or the table it
 * lived in was freed. The fault is at the target (RIP = CR2 = 0), which
 * names nobody; only the return address on the stack names the caller.
 * Linux ends the call (efi_crash_gracefully_on_page_fault) naming the
 * service alone. Spec: UEFI 2.10 7.4.6 (boot services are gone after
 * ExitBootServices).
 */
#include "zoo.h"

static EFI_GET_NEXT_HIGH_MONO_COUNT orig;
static EFI_STATUS (EFIAPI *volatile gone)(void); /* NULL at runtime */

static EFI_STATUS EFIAPI count(UINT32 *high)
{
	if (zoo.virtual_mode)
		gone();
	return orig(high);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "null_call: GetNextHighMonotonicCount "
				"calls through a NULL function pointer after SVAM",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetNextHighMonotonicCount,
		 (void *)count, (void **)&orig);
	return EFI_SUCCESS;
}
