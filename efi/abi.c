// SPDX-License-Identifier: MIT
/*
 * The calling-convention comparison behind efi.abi (include/efi_abi.h).
 * UEFI 2.10, 2.3.4.2: RBX, RBP, RDI, RSI, R12-R15 and XMM6-XMM15 are
 * nonvolatile; 2.3.4: a service returns with the direction flag clear and
 * interrupts as it found them, and leaves the processor state (control
 * registers, descriptor tables, x87 and SSE control words) alone.
 */
#include "efi_abi.h"
#include "x86.h"

#define OFF(f) __builtin_offsetof(struct efi_abi_regs, f)
_Static_assert(OFF(rsp) == EFI_ABI_OFF_RSP && OFF(rflags) == EFI_ABI_OFF_FLAGS &&
	       OFF(xmm) == EFI_ABI_OFF_XMM && OFF(want_rsp) == EFI_ABI_OFF_WANT_RSP &&
	       OFF(valid) == EFI_ABI_OFF_VALID && OFF(cpu) == EFI_ABI_OFF_CPU &&
	       OFF(xmm_ia32) == EFI_ABI_OFF_XMM_IA32 &&
	       sizeof(struct efi_abi_regs) == EFI_ABI_SIZE,
	       "efi/thunk.asm's offsets");
#define CPU_OFF(f) __builtin_offsetof(struct efi_abi_cpu, f)
_Static_assert(CPU_OFF(cr0) == EFI_CPU_OFF_CR0 && CPU_OFF(cr3) == EFI_CPU_OFF_CR3 &&
	       CPU_OFF(cr4) == EFI_CPU_OFF_CR4 && CPU_OFF(efer) == EFI_CPU_OFF_EFER &&
	       CPU_OFF(gdt_limit) == EFI_CPU_OFF_GDTR &&
	       CPU_OFF(gdt_base) == EFI_CPU_OFF_GDTR + 2 &&
	       CPU_OFF(idt_limit) == EFI_CPU_OFF_IDTR &&
	       CPU_OFF(idt_base) == EFI_CPU_OFF_IDTR + 2,
	       "efi/thunk.asm's offsets into struct efi_abi_cpu");

/* Distinct, recognisable, and none a valid canonical pointer: a firmware
 * that leaks one into memory or dereferences it shows up. The lower
 * halves are as distinct: a 32-bit service sees only them, and
 * efi/thunk32.asm takes one that came back unchanged for the register
 * kept (a small value like 1 a service may well leave by chance). */
const struct efi_abi_regs efi_abi_pattern = {
	.gpr = { 0x5642580156425801ULL, 0x5642500256425002ULL,
		 0x5644490356444903ULL, 0x5653490456534904ULL,
		 0x5631320556313205ULL, 0x5631330656313306ULL,
		 0x5631340756313407ULL, 0x5631350856313508ULL },
	.xmm = { { 0x5858300600000000ULL, 0x0000000000000006ULL },
		 { 0x5858300700000000ULL, 0x0000000000000007ULL },
		 { 0x5858300800000000ULL, 0x0000000000000008ULL },
		 { 0x5858300900000000ULL, 0x0000000000000009ULL },
		 { 0x5858301000000000ULL, 0x0000000000000010ULL },
		 { 0x5858301100000000ULL, 0x0000000000000011ULL },
		 { 0x5858301200000000ULL, 0x0000000000000012ULL },
		 { 0x5858301300000000ULL, 0x0000000000000013ULL },
		 { 0x5858301400000000ULL, 0x0000000000000014ULL },
		 { 0x5858301500000000ULL, 0x0000000000000015ULL } },
	.xmm_ia32 = { { 0x5858300000000000ULL, 0x0000000000000000ULL },
		      { 0x5858300100000000ULL, 0x0000000000000001ULL },
		      { 0x5858300200000000ULL, 0x0000000000000002ULL },
		      { 0x5858300300000000ULL, 0x0000000000000003ULL },
		      { 0x5858300400000000ULL, 0x0000000000000004ULL },
		      { 0x5858300500000000ULL, 0x0000000000000005ULL } },
};

static const char *const names[EFI_ABI_NR_BAD] = {
	"RBX", "RBP", "RDI", "RSI", "R12", "R13", "R14", "R15", "RSP",
	"XMM6", "XMM7", "XMM8", "XMM9", "XMM10", "XMM11", "XMM12", "XMM13",
	"XMM14", "XMM15",
	"RFLAGS.DF", "RFLAGS.IF", "RFLAGS.AC", "RFLAGS.TF", "CR0", "CR3", "CR4",
	"EFER", "GDTR", "IDTR", "the x87 control word", "MXCSR",
	"XMM0", "XMM1", "XMM2", "XMM3", "XMM4", "XMM5",
};

const char *efi_abi_name(unsigned int bit)
{
	return bit < EFI_ABI_NR_BAD ? names[bit] : "?";
}

#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_IF (1ULL << 9)
#define RFLAGS_DF (1ULL << 10)
#define RFLAGS_AC (1ULL << 18)

u64 efi_abi_diff(const struct efi_abi_regs *want, const struct efi_abi_regs *got,
		 const struct efi_abi_cpu *b, const struct efi_abi_cpu *a,
		 bool sse, bool ia32)
{
	u64 bad = 0;
	unsigned int i;

	/* It runs after every call: the common case, nothing changed, in a
	 * few block compares. */
	if (repe_cmpsq(got->gpr, want->gpr, EFI_ABI_GPRS + 1) == EFI_ABI_GPRS + 1 &&
	    !(got->rflags & (RFLAGS_DF | RFLAGS_IF | RFLAGS_AC | RFLAGS_TF)) &&
	    (!sse || repe_cmpsq(got->xmm, want->xmm, 2 * EFI_ABI_XMMS) ==
			     2 * EFI_ABI_XMMS) &&
	    (!sse || !ia32 ||
	     repe_cmpsq(got->xmm_ia32, want->xmm_ia32, 2 * EFI_ABI_XMMS_IA32) ==
		     2 * EFI_ABI_XMMS_IA32) &&
	    repe_cmpsq(a, b, CPU_OFF(fcw) / 8) == CPU_OFF(fcw) / 8 &&
	    a->fcw == b->fcw && (!sse || !((a->mxcsr ^ b->mxcsr) & ~0x3fu)))
		return 0;
	for (i = 0; i < EFI_ABI_GPRS; i++)
		if (got->gpr[i] != want->gpr[i])
			bad |= 1ULL << (EFI_ABI_BAD_GPR0 + i);
	if (got->rsp != want->rsp)
		bad |= 1ULL << EFI_ABI_BAD_RSP;
	for (i = 0; sse && i < EFI_ABI_XMMS; i++)
		if (got->xmm[i][0] != want->xmm[i][0] ||
		    got->xmm[i][1] != want->xmm[i][1])
			bad |= 1ULL << (EFI_ABI_BAD_XMM0 + i);
	for (i = 0; sse && ia32 && i < EFI_ABI_XMMS_IA32; i++)
		if (got->xmm_ia32[i][0] != want->xmm_ia32[i][0] ||
		    got->xmm_ia32[i][1] != want->xmm_ia32[i][1])
			bad |= 1ULL << (EFI_ABI_BAD_XMM0_IA32 + i);
	/* Called with DF, IF, AC and TF clear (efi_enter, the thunk). */
	if (got->rflags & RFLAGS_DF)
		bad |= 1ULL << EFI_ABI_BAD_DF;
	if (got->rflags & RFLAGS_IF)
		bad |= 1ULL << EFI_ABI_BAD_IF;
	if (got->rflags & RFLAGS_AC)
		bad |= 1ULL << EFI_ABI_BAD_AC;
	if (got->rflags & RFLAGS_TF)
		bad |= 1ULL << EFI_ABI_BAD_TF;
	if (a->cr0 != b->cr0)
		bad |= 1ULL << EFI_ABI_BAD_CR0;
	if (a->cr3 != b->cr3)
		bad |= 1ULL << EFI_ABI_BAD_CR3;
	if (a->cr4 != b->cr4)
		bad |= 1ULL << EFI_ABI_BAD_CR4;
	if (a->efer != b->efer)
		bad |= 1ULL << EFI_ABI_BAD_EFER;
	if (a->gdt_base != b->gdt_base || a->gdt_limit != b->gdt_limit)
		bad |= 1ULL << EFI_ABI_BAD_GDTR;
	if (a->idt_base != b->idt_base || a->idt_limit != b->idt_limit)
		bad |= 1ULL << EFI_ABI_BAD_IDTR;
	if (a->fcw != b->fcw)
		bad |= 1ULL << EFI_ABI_BAD_FCW;
	/* MXCSR bits 0-5 are exception flags, volatile across a call. */
	if (sse && ((a->mxcsr ^ b->mxcsr) & ~0x3fu))
		bad |= 1ULL << EFI_ABI_BAD_MXCSR;
	return bad;
}

void efi_abi_values(unsigned int bit, const struct efi_abi_regs *want,
		    const struct efi_abi_regs *got, const struct efi_abi_cpu *b,
		    const struct efi_abi_cpu *a, u64 *before, u64 *after)
{
	*before = *after = 0;
	if (bit < EFI_ABI_GPRS) {
		*before = want->gpr[bit];
		*after = got->gpr[bit];
	} else if (bit == EFI_ABI_BAD_RSP) {
		*before = want->rsp;
		*after = got->rsp;
	} else if (bit >= EFI_ABI_BAD_XMM0 && bit < EFI_ABI_BAD_DF) {
		*before = want->xmm[bit - EFI_ABI_BAD_XMM0][0];
		*after = got->xmm[bit - EFI_ABI_BAD_XMM0][0];
	} else if (bit <= EFI_ABI_BAD_TF) {
		*before = 0;
		*after = 1;
	} else if (bit == EFI_ABI_BAD_CR0) {
		*before = b->cr0;
		*after = a->cr0;
	} else if (bit == EFI_ABI_BAD_CR3) {
		*before = b->cr3;
		*after = a->cr3;
	} else if (bit == EFI_ABI_BAD_CR4) {
		*before = b->cr4;
		*after = a->cr4;
	} else if (bit == EFI_ABI_BAD_EFER) {
		*before = b->efer;
		*after = a->efer;
	} else if (bit == EFI_ABI_BAD_GDTR) {
		*before = b->gdt_base;
		*after = a->gdt_base;
	} else if (bit == EFI_ABI_BAD_IDTR) {
		*before = b->idt_base;
		*after = a->idt_base;
	} else if (bit == EFI_ABI_BAD_FCW) {
		*before = b->fcw;
		*after = a->fcw;
	} else if (bit == EFI_ABI_BAD_MXCSR) {
		*before = b->mxcsr;
		*after = a->mxcsr;
	} else if (bit >= EFI_ABI_BAD_XMM0_IA32 && bit < EFI_ABI_NR_BAD) {
		*before = want->xmm_ia32[bit - EFI_ABI_BAD_XMM0_IA32][0];
		*after = got->xmm_ia32[bit - EFI_ABI_BAD_XMM0_IA32][0];
	}
}

u64 efi_stack_used(const u64 *floor, u64 bytes)
{
	u64 n = bytes / 8;

	/* It runs after every call: one instruction a quadword. */
	return (n - repe_scasq(floor, EFI_STACK_PAINT, n)) * 8;
}
