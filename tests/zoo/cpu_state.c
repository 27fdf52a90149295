// SPDX-License-Identifier: MIT
/*
 * Zoo: services that return with the processor's control state changed.
 * GetTime returns with CR0.TS and CR0.EM set, SetTime with CR4.OSFXSR
 * clear, SetWakeupTime with another CR3 (the same tables, PWT set).
 *
 * Seen: firmware that touches the FPU lazily (sets TS to catch the first
 * x87 use, as some SMM and CSM glue does) or turns SSE off around legacy
 * code and forgets to undo it; firmware that switches to its own page
 * tables and back to a value rebuilt from the PML4 address, dropping or
 * adding CR3's low flag bits. The next x87 or SSE instruction of the
 * caller then raises #NM or #UD: Linux's kernel_fpu_end after the call
 * (arch_efi_call_virt_teardown) executes XRSTOR, which faults. Spec: UEFI
 * 2.10, 2.3.4 (a service runs in, and leaves, the processor mode its
 * caller set up: paging, the FPU and SSE enabled as the OS had them).
 */
#include "zoo.h"

__attribute__((used)) static EFI_GET_TIME orig_get_time;
__attribute__((used)) static EFI_SET_TIME orig_set_time;
__attribute__((used)) static EFI_SET_WAKEUP_TIME orig_set_wakeup;

EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c);
EFI_STATUS EFIAPI set_time(EFI_TIME *t);
EFI_STATUS EFIAPI set_wakeup(BOOLEAN on, EFI_TIME *t);
/* Each has at most four arguments, all in registers: 40 bytes keep the
 * shadow space and RSP's 16-byte alignment at the inner call. */
__asm__(".text\n"
	".globl get_time\n"
	"get_time:\n"
	"	sub $40, %rsp\n"
	"	call *orig_get_time(%rip)\n"
	"	add $40, %rsp\n"
	"	mov %cr0, %rcx\n"
	"	or $0xc, %rcx\n"		/* TS (bit 3), EM (bit 2) */
	"	mov %rcx, %cr0\n"
	"	ret\n"
	".globl set_time\n"
	"set_time:\n"
	"	sub $40, %rsp\n"
	"	call *orig_set_time(%rip)\n"
	"	add $40, %rsp\n"
	"	mov %cr4, %rcx\n"
	"	btr $9, %rcx\n"			/* OSFXSR */
	"	mov %rcx, %cr4\n"
	"	ret\n"
	".globl set_wakeup\n"
	"set_wakeup:\n"
	"	sub $40, %rsp\n"
	"	call *orig_set_wakeup(%rip)\n"
	"	add $40, %rsp\n"
	"	mov %cr3, %rcx\n"
	"	or $0x8, %rcx\n"		/* PWT: the same tables */
	"	mov %rcx, %cr3\n"
	"	ret\n");

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "cpu_state: GetTime returns with "
				"CR0.TS and EM set, SetTime with CR4.OSFXSR clear, "
				"SetWakeupTime with another CR3", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig_get_time);
	zoo_hook((void **)&st->RuntimeServices->SetTime, (void *)set_time,
		 (void **)&orig_set_time);
	zoo_hook((void **)&st->RuntimeServices->SetWakeupTime,
		 (void *)set_wakeup, (void **)&orig_set_wakeup);
	return EFI_SUCCESS;
}
