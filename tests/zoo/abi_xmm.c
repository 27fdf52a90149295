// SPDX-License-Identifier: MIT
/*
 * Zoo: QueryVariableInfo returns with XMM6 and XMM15 changed.
 *
 * Seen: firmware built with SSE code generation and a hand-written
 * memset/memcpy that uses XMM registers without saving the nonvolatile
 * ones; Linux saves the task's FPU state around every call
 * (efi_fpu_begin in arch_efi_call_virt_setup, arch/x86/platform/efi/
 * efi_64.c), which hides the bug. Spec: UEFI 2.10, 2.3.4.2 (XMM6-XMM15 are
 * nonvolatile). Linux's handling: docs/zoo-vs-linux.md.
 */
#include "zoo.h"

__attribute__((used)) static EFI_QUERY_VARIABLE_INFO orig;

EFI_STATUS EFIAPI query(UINT32 a, UINT64 *max, UINT64 *rem, UINT64 *big);
__asm__(".text\n"
	".globl query\n"
	"query:\n"
	"	pxor %xmm6, %xmm6\n"
	"	pcmpeqd %xmm15, %xmm15\n"
	"	jmp *orig(%rip)\n");

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "abi_xmm: QueryVariableInfo returns "
				"with XMM6 and XMM15 changed", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->QueryVariableInfo, (void *)query,
		 (void **)&orig);
	return EFI_SUCCESS;
}
