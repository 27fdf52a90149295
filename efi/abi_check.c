// SPDX-License-Identifier: MIT
/* efi.abi's findings and efi.stack's measure after each call (efi/abi.c
 * compares; this names and counts). */
#include "addr.h"
#include "efi_args.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "gdt.h"
#include "internal.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "pe_image.h"
#include "printf.h"
#include "watchdog.h"
#include "x86.h"

static const char *abi_clause(unsigned int bit)
{
	if (efi.fw32 && bit != EFI_ABI_BAD_DF && bit != EFI_ABI_BAD_IF)
		return "UEFI 2.10 2.3.2, IA32: EAX, ECX and EDX are volatile, "
		       "every other register is preserved, the x87 and MMX "
		       "control words too; ESP comes back as it went";
	if (bit <= EFI_ABI_BAD_XMM0 + EFI_ABI_XMMS - 1)
		return "UEFI 2.10 2.3.4.2: RBX, RBP, RDI, RSI, R12-R15 and "
		       "XMM6-XMM15 are nonvolatile, RSP comes back as it went";
	if (bit == EFI_ABI_BAD_DF)
		return "UEFI 2.10 2.3.4: the direction flag is clear";
	if (bit == EFI_ABI_BAD_IF)
		return "UEFI 2.10 2.3.4: a runtime service is called with "
		       "interrupts disabled and must not enable them";
	if (bit == EFI_ABI_BAD_FCW || bit == EFI_ABI_BAD_MXCSR)
		return "UEFI 2.10 2.3.4.2 (the Microsoft x64 convention): the x87 "
		       "control word and MXCSR's control bits are nonvolatile";
	return "UEFI 2.10 2.3.4: a service runs in the processor mode its "
	       "caller set up and leaves it so";
}

const char *efi_abi_reg_name(unsigned int bit)
{
	static const char *const ia32[] = { "EBX", "EBP", "EDI", "ESI" };

	if (efi.fw32 && bit < ARRAY_SIZE(ia32))
		return ia32[bit];
	if (efi.fw32 && bit == EFI_ABI_BAD_RSP)
		return "ESP";
	return efi_abi_name(bit);
}

/*
 * efi.stack's measure. A call made in the normal flow runs on
 * efi_fw_stack, which nothing but the firmware writes (and vamap's #PF
 * handler, when it lent the call a page: that call is not measured; an
 * NMI, #DF or #MC has a stack of its own). The whole stack holds
 * EFI_STACK_PAINT before a call; after it one REPE SCASQ from the bottom
 * of a window under the call's frame finds the deepest quadword the call
 * changed. Everything under that one is paint still, so only what the call
 * used is painted again: the next call finds the stack ready, and a call
 * costs a quadword of its use plus one of the window it left alone. The
 * window is 256 bytes more than the deepest use seen, 1 KiB at least; a
 * call that wrote its lowest quadword went deeper, and the scan goes on
 * from the stack's bottom (once: the window widens). A call that went
 * deeper without writing the window's lowest quadword is measured short,
 * as any painted window measures; the guard page under the stack still
 * stops one that runs off it.
 */
#define WINDOW_MARGIN 256
static u64 window = 1024;
static bool painted; /* the whole stack holds paint only */

static void paint(u64 lo, u64 hi)
{
	rep_stosq((void *)lo, EFI_STACK_PAINT, (hi - lo) / 8);
}

void efi_stack_prepare(void)
{
	if (painted)
		return;
	paint((u64)efi_fw_stack, (u64)efi_fw_stack_top);
	painted = true;
}

void efi_stack_forget(void)
{
	painted = false;
}

u64 efi_stack_depth(void)
{
	u64 bottom = (u64)efi_fw_stack, top = (u64)efi_fw_stack_top;
	u64 floor = top - window, frame, used;

	if (!efi_abi_out.valid || call_fault.lent_this_call) {
		efi_stack_forget();
		return 0;
	}
	/* The quadword 16-byte alignment leaves above an odd fifth, seventh,
	 * ... argument: a write there is above the frame, as the guard page
	 * would have said. */
	if (call_fault.frame_end < top &&
	    *(const u64 *)call_fault.frame_end != EFI_STACK_PAINT)
		call_fault.frame_above = 8;
	frame = efi_abi_out.want_rsp - 8; /* the return address's slot */
	if (efi.fw32) /* efi/thunk32.asm's 32-bit frame, by vamap's address;
		       * its own far return's 16 bytes below count as used */
		frame = efi_fw32_unalias(efi_abi_out.want_rsp) - EFI_FW32_FRAME - 4;
	used = efi_stack_used((const u64 *)floor, frame - floor);
	if (used >= frame - floor)
		used = efi_stack_used((const u64 *)bottom, frame - bottom);
	if (used >= frame - bottom) {
		efi_stack_forget(); /* and the guard page said more */
		return used | EFI_STACK_AT_LEAST;
	}
	paint(frame - used, top); /* what the call used, and its frame */
	return used;
}

/*
 * efi.abi: compare what the firmware returned with against what the thunk
 * called it with, name every difference as a finding (vamap has already
 * put its own state back), and keep the deepest stack use (@used bytes,
 * efi_stack_depth's).
 */
void efi_abi_check(unsigned int svc, const struct efi_abi_cpu *before,
		   const struct efi_abi_cpu *after, bool sse, u64 used)
{
	static struct efi_abi_regs want; /* the pattern, copied once */
	const struct efi_abi_regs *got = efi_abi_out.valid ? &efi_abi_out : &want;
	unsigned int bit;
	u64 bad, b, a;
	bool at_least, first;
	int width;

	if (!want.gpr[0])
		want = efi_abi_pattern;
	want.rsp = efi_abi_out.want_rsp;
	/* EFI_STACK_AT_LEAST: it wrote the stack's lowest quadword, so it
	 * went at least this deep (and the guard page under the stack has
	 * likely said more); one measured as deep exactly makes the deepest
	 * exact again. */
	at_least = used & EFI_STACK_AT_LEAST;
	used &= ~EFI_STACK_AT_LEAST;
	if (used > efi.stack_max || (used == efi.stack_max && !at_least)) {
		efi.stack_max = used;
		efi.stack_max_svc = svc;
		efi.stack_at_least = at_least;
	}
	while (window < efi.stack_max + WINDOW_MARGIN &&
	       window < EFI_CALL_STACK_KIB * 1024)
		window += WINDOW_MARGIN;
	bad = efi_abi_diff(&want, got, before, after, sse, efi.fw32);
	if (bad && !efi.abi_bad_calls++)
		efi.abi_first_svc = svc;
	/* Each service's broken register once; the count says how often. */
	bad &= ~efi.abi_reported[svc];
	first = bad && !efi.abi_reported[svc];
	efi.abi_reported[svc] |= bad;
	for (bit = 0; bad >> bit; bit++) {
		if (!(bad & (1ULL << bit)))
			continue;
		efi_abi_values(bit, &want, got, before, after, &b, &a);
		if (efi.fw32 && (bit < EFI_ABI_GPRS || bit == EFI_ABI_BAD_RSP)) {
			b &= 0xffffffffu; /* what a 32-bit service had */
			a &= 0xffffffffu;
		}
		/* Descriptor-table bases are addresses: full width, as
		 * every address in the log. */
		width = bit == EFI_ABI_BAD_GDTR || bit == EFI_ABI_BAD_IDTR ? 16 : 0;
		kdetail("efi.abi",
			"efi: finding: %s broke the calling convention: %s was "
			"0x%0*lx at the call, 0x%0*lx at the return; put back (%s)\n",
			efi_rt_service_name(svc), efi_abi_reg_name(bit), width,
			(unsigned long)b, width, (unsigned long)a, abi_clause(bit));
	}
	/* The code that returned is the service's (the return address the
	 * thunk sees is vamap's): its entry point names the image, once. */
	if (first)
		efi_describe_address("efi.abi", "the service's entry", efi.fn[svc]);
}
