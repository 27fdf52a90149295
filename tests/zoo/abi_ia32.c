// SPDX-License-Identifier: MIT
/*
 * Zoo: GetNextHighMonotonicCount returns with EBX and XMM0 changed.
 *
 * Seen: as abi_gpr, in 32-bit firmware: IA32 assembly that uses EBX
 * (the PIC register of position-independent i386 code) without saving
 * it, and code that takes the x64 convention's volatile XMM0 for IA32's.
 * Spec: UEFI 2.10, 2.3.2 (IA32: EAX, ECX and EDX are volatile, every
 * other register preserved, "including MMX and XMM"). Built both ways:
 * the 32-bit build is what the 32-bit call path's efi.abi must name
 * (efi/thunk32.asm gives RBX its pattern back only when EBX came back
 * intact; XMM0 is compared for 32-bit firmware only). On x64 the EBX
 * write is a finding too (RBX nonvolatile, 2.3.4.2; a 32-bit write
 * clears its upper half), the XMM0 one is not (volatile there).
 */
#include "zoo.h"

__attribute__((used)) static EFI_GET_NEXT_HIGH_MONO_COUNT orig;

EFI_STATUS EFIAPI count(UINT32 *high);
#if defined(__i386__)
__asm__(".text\n"
	".globl count\n"
	"count:\n"
	"	movl $0x5a4f4f45, %ebx\n"
	"	pxor %xmm0, %xmm0\n"
	"	call 1f\n"		/* position-independent: no text relocation */
	"1:	popl %eax\n"
	"	movl orig-1b(%eax), %eax\n"
	"	jmp *%eax\n");
#else
__asm__(".text\n"
	".globl count\n"
	"count:\n"
	"	movl $0x5a4f4f45, %ebx\n"
	"	pxor %xmm0, %xmm0\n"
	"	jmp *orig(%rip)\n");
#endif

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "abi_ia32: GetNextHighMonotonicCount "
				"returns with EBX and XMM0 changed", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetNextHighMonotonicCount,
		 (void *)count, (void **)&orig);
	return EFI_SUCCESS;
}
