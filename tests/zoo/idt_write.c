// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime finds the OS's IDT with SIDT and rewrites the gate of
 * vector 31 (reserved by the architecture, never raised) after
 * SetVirtualAddressMap.
 *
 * Seen: firmware that installs its own exception handlers at runtime (a
 * debug agent, an SMM-less error logger) by patching the IDT IDTR points
 * at, which is the OS's by then; Linux's efi_mm maps the kernel half, so
 * the write lands and the next such exception runs firmware code. Spec:
 * UEFI 2.10 7.4.6 (after ExitBootServices the memory is the OS's) and
 * 2.3.4 (a runtime service does not change the OS's processor state).
 */
#include "zoo.h"

struct gate_ptr {
	UINT16 limit;
	UINT64 base;
} __attribute__((packed));

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	struct gate_ptr idtr;

	if (zoo.virtual_mode) {
		__asm__ volatile("sidt %0" : "=m"(idtr));
		if (idtr.limit >= 32 * 16 - 1)
			*(volatile UINT64 *)(idtr.base + 31 * 16) ^= 0x5a4f4f0000ULL;
	}
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "idt_write: GetTime rewrites the "
				"OS's IDT gate 31 after SVAM", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
