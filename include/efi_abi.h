/* SPDX-License-Identifier: MIT */
/*
 * The Microsoft x64 calling convention around every firmware call
 * (UEFI 2.10, 2.3.4.2): what the thunk (efi/thunk.asm) sets before the call
 * and captures after it, and the comparison (efi/abi.c, host-tested).
 *
 * Before the call the thunk loads every nonvolatile register with a known
 * pattern (efi_abi_pattern) and paints the unused part of the stack; after
 * it, it stores what the firmware returned with in efi_abi_out, then puts
 * RFLAGS back to a clean state (DF, IF, AC, TF clear) before any kernel code
 * runs. The control registers, descriptor tables and the x87/SSE control
 * words are compared in C (efi/runtime.c).
 */
#ifndef VAMAP_EFI_ABI_H
#define VAMAP_EFI_ABI_H

#include "types.h"

/* Offsets used by efi/thunk.asm: keep in step. */
#define EFI_ABI_GPRS	  8	/* RBX RBP RDI RSI R12 R13 R14 R15 */
#define EFI_ABI_XMMS	  10	/* XMM6 .. XMM15 */
#define EFI_ABI_OFF_RSP	  64
#define EFI_ABI_OFF_FLAGS 72
#define EFI_ABI_OFF_XMM	  80
#define EFI_ABI_OFF_WANT_RSP 240
#define EFI_ABI_OFF_VALID 248
#define EFI_STACK_PAINT	  0x5641504d53544b21ULL /* "!KTSMPAV" */

#ifndef __ASSEMBLER__
struct efi_abi_regs {
	u64 gpr[EFI_ABI_GPRS];
	u64 rsp;
	u64 rflags;
	u64 xmm[EFI_ABI_XMMS][2];
	u64 want_rsp;	/* RSP at the call, after the return address popped */
	u64 valid;	/* the call returned (not ended by a fault) */
};

/* State the C side captures around the call (efi/runtime.c). */
struct efi_abi_cpu {
	u64 cr0, cr4, efer;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	u16 fcw;
	u32 mxcsr;
};

/* Bits of a violation mask: one per register or flag that changed. */
enum {
	EFI_ABI_BAD_GPR0 = 0,			/* + index into gpr[] */
	EFI_ABI_BAD_RSP = EFI_ABI_GPRS,
	EFI_ABI_BAD_XMM0,			/* + index into xmm[] */
	EFI_ABI_BAD_DF = EFI_ABI_BAD_XMM0 + EFI_ABI_XMMS,
	EFI_ABI_BAD_IF,
	EFI_ABI_BAD_AC,
	EFI_ABI_BAD_TF,
	EFI_ABI_BAD_CR0,
	EFI_ABI_BAD_CR4,
	EFI_ABI_BAD_EFER,
	EFI_ABI_BAD_GDTR,
	EFI_ABI_BAD_IDTR,
	EFI_ABI_BAD_FCW,
	EFI_ABI_BAD_MXCSR,
	EFI_ABI_NR_BAD
};

extern const struct efi_abi_regs efi_abi_pattern;

/*
 * What broke the convention: a mask of EFI_ABI_BAD_* bits comparing @got
 * with the pattern @want (the registers) and @cpu_after with @cpu_before
 * (the rest). XMM registers are compared only when @sse.
 */
u64 efi_abi_diff(const struct efi_abi_regs *want, const struct efi_abi_regs *got,
		 const struct efi_abi_cpu *cpu_before,
		 const struct efi_abi_cpu *cpu_after, bool sse);

/* "RBX", "XMM7", "RFLAGS.DF", ... for bit @bit. */
const char *efi_abi_name(unsigned int bit);

/* The values at the call and at the return for bit @bit, for the finding
 * line: a flag is 0 then 1; GDTR and IDTR give their bases; XMM registers
 * their low 64 bits. */
void efi_abi_values(unsigned int bit, const struct efi_abi_regs *want,
		    const struct efi_abi_regs *got, const struct efi_abi_cpu *b,
		    const struct efi_abi_cpu *a, u64 *before, u64 *after);

/* Bytes of the painted stack [@floor, @floor + @bytes) the call used: from
 * the lowest qword that no longer holds EFI_STACK_PAINT to the top. */
u64 efi_stack_used(const u64 *floor, u64 bytes);
#endif

#endif
