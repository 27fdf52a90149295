// SPDX-License-Identifier: MIT
/*
 * Zoo: the driver's EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE handler faults: it
 * writes through a private-data pointer that is NULL (the structure was
 * freed at ExitBootServices and the pointer cleared).
 *
 * Seen: notification handlers that touch state torn down at
 * ExitBootServices. Under Linux this very write lands in page 0, which
 * efi_setup_page_tables maps 1:1 before SVAM; any other fault in SVAM is
 * an oops early in boot (efi_crash_gracefully_on_page_fault acts only on
 * calls made from efi_rts_wq). Spec: UEFI 2.10, 8.4 (the handler converts
 * pointers; it may not use boot services or boot-time memory). Linux's
 * handling: docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;
static volatile UINTN private_data; /* cleared at ExitBootServices: 0 */

static void use_new_address(void)
{
	*(volatile UINT64 *)(private_data + 0x18) = 1;
}

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "svam_event_fault: its "
				"virtual-address-change handler writes through NULL", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	zoo_on_virtual(use_new_address);
	return EFI_SUCCESS;
}
