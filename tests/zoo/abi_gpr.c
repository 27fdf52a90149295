// SPDX-License-Identifier: MIT
/*
 * Zoo: GetNextHighMonotonicCount returns with R12 and RSI changed.
 *
 * Seen: hand-written assembly that forgets a nonvolatile register; the
 * Microsoft ABI's RSI/RDI are nonvolatile where System V's are not, the
 * usual slip in code that mixes the two. Linux's __efi_call
 * (arch/x86/platform/efi/efi_stub_64.S) saves only RBP and relies on the
 * firmware for the rest. Spec: UEFI 2.10, 2.3.4.2. Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

__attribute__((used)) static EFI_GET_NEXT_HIGH_MONO_COUNT orig;

EFI_STATUS EFIAPI count(UINT32 *high);
__asm__(".text\n"
	".globl count\n"
	"count:\n"
	"	movabs $0x5a4f4f5231324241, %r12\n"
	"	movabs $0x5a4f4f5253494241, %rsi\n"
	"	jmp *orig(%rip)\n");

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "abi_gpr: GetNextHighMonotonicCount "
				"returns with R12 and RSI changed", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetNextHighMonotonicCount,
		 (void *)count, (void **)&orig);
	return EFI_SUCCESS;
}
