// SPDX-License-Identifier: MIT
/*
 * Zoo: GetWakeupTime loads a GDT of its own and returns with it.
 *
 * Seen: runtime code that sets up its own descriptors for a mode switch
 * (SMM or legacy-BIOS thunks, flash access that drops to real mode) and
 * returns without the caller's GDTR. Its GDT has flat 32-bit code at
 * selector 0x08: a caller that far-returns to 0x08 expecting 64-bit code
 * (vamap's way back from a 32-bit service, efi/thunk32.asm) would run on
 * in the wrong mode. Spec: UEFI 2.10, 2.3.2 and 2.3.4 (a service leaves
 * the processor state its caller set up). Built both ways: on 32-bit
 * firmware the far return must not depend on it; on either, efi.abi
 * names GDTR.
 */
#include "zoo.h"

static EFI_GET_WAKEUP_TIME orig;
static UINT64 gdt[4] __attribute__((aligned(8))) = {
	0, 0x00cf9b000000ffffULL, 0x00cf93000000ffffULL, 0,
};
static struct {
	UINT16 limit;
	UINTN base;
} __attribute__((packed)) gdtr;

static EFI_STATUS EFIAPI get_wakeup(BOOLEAN *enabled, BOOLEAN *pending,
				    EFI_TIME *t)
{
	EFI_STATUS s = orig(enabled, pending, t);

	if (zoo.virtual_mode) {
		gdtr.limit = sizeof(gdt) - 1;
		gdtr.base = (UINTN)gdt;
		__asm__ volatile("lgdt %0" : : "m"(gdtr));
	}
	return s;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "gdt_swap: GetWakeupTime returns "
				"with a GDT of its own loaded", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetWakeupTime, (void *)get_wakeup,
		 (void **)&orig);
	return EFI_SUCCESS;
}
