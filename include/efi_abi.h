/* SPDX-License-Identifier: MIT */
/*
 * The Microsoft x64 calling convention around every firmware call
 * (UEFI 2.10, 2.3.4.2): what the thunk (efi/thunk.asm) sets before the call
 * and captures after it, and the comparison (efi/abi.c, host-tested).
 *
 * Before the call the thunk loads every nonvolatile register with a known
 * pattern (efi_abi_pattern) and switches to the firmware-call stack, which
 * efi/abi_check.c keeps painted below the call; after
 * it, it takes CR3, CR0, CR4, EFER, GDTR and IDTR as the firmware left them
 * and loads vamap's (efi_thunk_want) before any memory access but the one
 * that reads vamap's CR3 and before any x87 or SSE instruction, stores the
 * registers the firmware returned with in efi_abi_out, and puts RFLAGS back
 * to a clean state (DF, IF, AC, TF clear) before any kernel code runs. The
 * comparison is in C (efi/abi.c, efi/runtime.c).
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
#define EFI_ABI_OFF_CPU	  256	/* struct efi_abi_cpu, as the firmware left it */
#define EFI_ABI_XMMS_IA32 6	/* XMM0 .. XMM5: nonvolatile for IA32 only */
#define EFI_ABI_OFF_XMM_IA32 328
#define EFI_ABI_SIZE	  (EFI_ABI_OFF_XMM_IA32 + EFI_ABI_XMMS_IA32 * 16)
/* struct efi_abi_cpu */
#define EFI_CPU_OFF_CR0	  0
#define EFI_CPU_OFF_CR3	  8
#define EFI_CPU_OFF_CR4	  16
#define EFI_CPU_OFF_EFER  24
#define EFI_CPU_OFF_GDTR  38	/* limit, then base: what LGDT/SGDT take */
#define EFI_CPU_OFF_IDTR  54
#define EFI_STACK_PAINT	  0x5641504d53544b21ULL /* "!KTSMPAV" */

#ifndef __ASSEMBLER__
/* The system state around a call: what vamap calls with (efi_thunk_want)
 * and what the firmware left (efi_abi_regs.cpu). The descriptor-table
 * fields sit as SGDT and LGDT read them: a 2-byte limit, then the base. */
struct efi_abi_cpu {
	u64 cr0, cr3, cr4, efer;
	u16 gdt_pad[3];
	u16 gdt_limit;
	u64 gdt_base;
	u16 idt_pad[3];
	u16 idt_limit;
	u64 idt_base;
	u16 fcw;	/* read in C, once CR0.TS/EM are vamap's again */
	u32 mxcsr;	/* likewise, once CR4.OSFXSR is */
};

struct efi_abi_regs {
	u64 gpr[EFI_ABI_GPRS];
	u64 rsp;
	u64 rflags;
	u64 xmm[EFI_ABI_XMMS][2];
	u64 want_rsp;	/* RSP at the call, after the return address popped */
	u64 valid;	/* the call returned (not ended by a fault) */
	struct efi_abi_cpu cpu; /* as the firmware left it (at a fault too) */
	/* Volatile in the x64 convention, nonvolatile in IA32's (UEFI 2.10
	 * 2.3.2: every register but EAX, ECX and EDX, "including MMX and
	 * XMM"): loaded and taken always, compared for 32-bit firmware. */
	u64 xmm_ia32[EFI_ABI_XMMS_IA32][2];
};

/* The system state vamap calls the firmware with and the thunk puts back
 * right after the call, before anything that depends on it (efi/thunk.asm):
 * efi_thunk_want, filled by efi/runtime.c before CR3 becomes efi_pgd. */
extern struct efi_abi_cpu efi_thunk_want;

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
	EFI_ABI_BAD_CR3,
	EFI_ABI_BAD_CR4,
	EFI_ABI_BAD_EFER,
	EFI_ABI_BAD_GDTR,
	EFI_ABI_BAD_IDTR,
	EFI_ABI_BAD_FCW,
	EFI_ABI_BAD_MXCSR,
	EFI_ABI_BAD_XMM0_IA32,			/* + index into xmm_ia32[] */
	EFI_ABI_NR_BAD = EFI_ABI_BAD_XMM0_IA32 + EFI_ABI_XMMS_IA32
};

extern const struct efi_abi_regs efi_abi_pattern;

/*
 * What broke the convention: a mask of EFI_ABI_BAD_* bits comparing @got
 * with the pattern @want (the registers) and @cpu_after with @cpu_before
 * (the rest). XMM registers are compared only when @sse, XMM0-XMM5 only
 * when @ia32 too (a 32-bit firmware's call).
 */
u64 efi_abi_diff(const struct efi_abi_regs *want, const struct efi_abi_regs *got,
		 const struct efi_abi_cpu *cpu_before,
		 const struct efi_abi_cpu *cpu_after, bool sse, bool ia32);

/* "RBX", "XMM7", "RFLAGS.DF", ... for bit @bit. */
const char *efi_abi_name(unsigned int bit);
/* efi/abi_check.c: efi_abi_name's, but a 32-bit service's registers by
 * their IA32 names (EBX, EBP, EDI, ESI, ESP) on 32-bit firmware. */
const char *efi_abi_reg_name(unsigned int bit);

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
