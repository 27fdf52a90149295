/* SPDX-License-Identifier: MIT */
/* CPU exceptions: the frame kernel/entry.asm builds and the C handler. */
#ifndef VAMAP_TRAPS_H
#define VAMAP_TRAPS_H

#include "types.h"

/* In memory order from the stack pointer the stub passes upward. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

compile_assert(trap_frame_layout, sizeof(struct trap_frame) == 22 * 8);

#define X86_NR_EXCEPTIONS 32
#define X86_TRAP_NMI 2
#define X86_TRAP_BP 3
#define X86_TRAP_DF 8
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MC 18

/* This CPU's APIC ID from CPUID (the x2APIC ID from leaf 0Bh where the
 * CPU has it, else the 8-bit ID of leaf 1): who took a trap. */
u32 this_cpu_apic_id(void);

/*
 * Expect one exception of @vector: when it arrives it is recorded (not
 * reported as fatal) and execution resumes after the faulting instruction
 * when it is a trap (#BP), or at @resume when non-zero. Cleared on use.
 */
void trap_expect(unsigned int vector, u64 resume);

/* What the last expected exception recorded; false if none came (and
 * then it is no longer expected). */
bool trap_expected_seen(u64 *error, u64 *cr2);

void trap_handler(struct trap_frame *f);

/* Is @rip vamap's own code? A CPU whose call state says FIRMWARE runs it
 * before the thunk's CALL, after the firmware's RET, and in the last
 * steps of vamap's trap handler once it gave the CPU back to the call
 * (before its IRETQ): an NMI there has not interrupted the firmware
 * (kernel/watchdog.c defers the deadline's). By address, not by function
 * name: whatever the compiler inlines or renames stays covered. */
bool trap_in_vamap(u64 rip);

/* "#PF page fault" for vector 14; "interrupt" past the exceptions. */
const char *trap_name(u64 vector);

/* NMIs taken (and resumed) on any CPU, and those of them that arrived
 * during a firmware call; the watchdog's own are not counted. */
extern unsigned int nmi_count, nmi_during_call;

#endif
