// SPDX-License-Identifier: MIT
/*
 * Zoo: GetWakeupTime returns with RFLAGS.DF set; GetNextVariableName
 * returns with interrupts enabled.
 *
 * Seen: DF left set by a backwards memmove (string instructions with
 * STD) that forgets CLD: the kernel's next REP MOVS copies the wrong way;
 * Linux's __efi_call (efi_stub_64.S) neither clears nor checks DF.
 * Interrupts enabled inside a runtime call: Linux checks for exactly this
 * after every call (efi_call_virt_check_flags in
 * drivers/firmware/efi/runtime-wrappers.c: "IRQ flags corrupted"), and
 * fixes them up. Spec: UEFI 2.10, 2.3.4 (DF clear, interrupts disabled).
 * Linux's handling: docs/zoo-vs-linux.md.
 */
#include "zoo.h"

__attribute__((used)) static EFI_GET_WAKEUP_TIME orig_wake;
__attribute__((used)) static EFI_GET_NEXT_VARIABLE_NAME orig_next;

EFI_STATUS EFIAPI wake(BOOLEAN *e, BOOLEAN *p, EFI_TIME *t);
EFI_STATUS EFIAPI next(UINTN *size, CHAR16 *name, EFI_GUID *g);
__asm__(".text\n"
	".globl wake\n"
	"wake:\n"
	"	sub $40, %rsp\n"
	"	call *orig_wake(%rip)\n"
	"	add $40, %rsp\n"
	"	std\n"
	"	ret\n"
	".globl next\n"
	"next:\n"
	"	sub $40, %rsp\n"
	"	call *orig_next(%rip)\n"
	"	add $40, %rsp\n"
	"	sti\n"
	"	ret\n");

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "abi_flags: GetWakeupTime returns "
				"with DF set, GetNextVariableName with IF set", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetWakeupTime, (void *)wake,
		 (void **)&orig_wake);
	zoo_hook((void **)&st->RuntimeServices->GetNextVariableName, (void *)next,
		 (void **)&orig_next);
	return EFI_SUCCESS;
}
