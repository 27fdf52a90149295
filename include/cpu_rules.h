/* SPDX-License-Identifier: MIT */
/*
 * The control-register bits vamap runs with, on every CPU: one rule set.
 * kernel/entry.asm applies it to the boot CPU before any C runs (ORing in
 * CPU_CR0_SET and clearing CPU_CR0_CLEAR in what the firmware handed
 * over; NXE where CPUID says the CPU has it), kernel/trampoline.asm loads
 * AP_CR0 (include/smp.h), which keeps it, on each AP, and
 * cpu_rules_wrong() (kernel/cpu_state.c, host-tested) checks it on both.
 * The assembly carries the same numbers; a mismatch fails cpu.control and
 * smp.aps on every boot.
 *
 *   WP  supervisor writes honour read-only entries (SDM vol. 3A 4.6.1):
 *       without it W^X, efi.strict and every read-only mapping vamap
 *       gives the firmware are void. UEFI does not require firmware to
 *       hand over with it (U-Boot does not), so vamap sets it.
 *   NE  x87 errors as #MF, not the legacy IRQ 13 (SDM vol. 3A 2.5).
 *   MP  WAIT honours TS; EM clear: the x87 is there, not emulated.
 *   TS  clear: the next x87/SSE instruction must not raise #NM.
 *   CD, NW clear: caches on (INIT leaves both as they were).
 *   PAE, EFER.LME, LMA: long mode (unchangeable here; checked).
 *   EFER.NXE exactly when the CPU has Execute Disable.
 */
#ifndef VAMAP_CPU_RULES_H
#define VAMAP_CPU_RULES_H

#include "types.h"
#include "x86.h"

#define CPU_CR0_SET (X86_CR0_PE | X86_CR0_MP | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG)
#define CPU_CR0_CLEAR (X86_CR0_EM | X86_CR0_TS | X86_CR0_NW | X86_CR0_CD)
#define CPU_CR4_SET X86_CR4_PAE
#define CPU_EFER_SET (EFER_LME | EFER_LMA)

/* NULL when (@cr0, @cr4, @efer) keep the rules on a CPU that has (@nx)
 * Execute Disable, else the first rule broken. */
const char *cpu_rules_wrong(u64 cr0, u64 cr4, u64 efer, bool nx);

/* The boot CPU's control registers as the firmware handed them over,
 * before kernel/entry.asm applied the rules. */
struct cpu_handover {
	u64 cr0, cr4, efer;
};
extern struct cpu_handover cpu_handover;

#endif
