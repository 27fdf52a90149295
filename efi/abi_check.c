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

/*
 * efi.abi: compare what the firmware returned with against what the thunk
 * called it with, name every difference as a finding (vamap has already
 * put its own state back), and keep the deepest stack use (@used bytes,
 * efi_stack_depth's).
 */
/* Bytes painted below a call: at least 2 KiB, twice the deepest use seen
 * (rounded up to 1 KiB), the whole stack at most. */
static u64 paint_window = 2048;

u64 efi_stack_paint_window(void)
{
	return paint_window;
}

u64 efi_stack_depth(void)
{
	u64 window, used;

	/* A lent page's #PF ran vamap's handler on this stack too, so that
	 * call is not measured; nor one ended by a fault. */
	if (!efi_stack_floor || !efi_abi_out.valid || call_fault.lent_this_call)
		return 0;
	window = efi_abi_out.want_rsp - 8 - efi_stack_floor;
	used = efi_stack_used((const u64 *)efi_stack_floor, window);
	return used >= window ? used | EFI_STACK_AT_LEAST : used;
}

void efi_abi_check(unsigned int svc, const struct efi_abi_cpu *before,
		   const struct efi_abi_cpu *after, bool sse, u64 used)
{
	struct efi_abi_regs want = efi_abi_pattern;
	const struct efi_abi_regs *got = efi_abi_out.valid ? &efi_abi_out : &want;
	unsigned int bit;
	u64 bad, b, a;

	want.rsp = efi_abi_out.want_rsp;
	if (used & EFI_STACK_AT_LEAST) {
		/* It wrote the lowest painted byte: it went at least this
		 * deep; the next calls get a wider window. */
		used &= ~EFI_STACK_AT_LEAST;
		efi.stack_at_least = true;
	}
	if (used > efi.stack_max) {
		efi.stack_max = used;
		efi.stack_max_svc = svc;
	}
	while (paint_window < 2 * efi.stack_max + 1024 &&
	       paint_window < EFI_CALL_STACK_KIB * 1024)
		paint_window += 1024;
	bad = efi_abi_diff(&want, got, before, after, sse);
	if (bad && !efi.abi_bad_calls++)
		efi.abi_first_svc = svc;
	/* Each service's broken register once; the count says how often. */
	bad &= ~efi.abi_reported[svc];
	efi.abi_reported[svc] |= bad;
	for (bit = 0; bit < EFI_ABI_NR_BAD; bit++) {
		if (!(bad & (1ULL << bit)))
			continue;
		efi_abi_values(bit, &want, got, before, after, &b, &a);
		kdetail("efi.abi",
			"efi: finding: %s broke the calling convention: %s was "
			"0x%lx at the call, 0x%lx at the return; put back (%s)\n",
			efi_rt_service_name(svc), efi_abi_name(bit),
			(unsigned long)b, (unsigned long)a, abi_clause(bit));
	}
}
