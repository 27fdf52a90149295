/* SPDX-License-Identifier: MIT */
/*
 * What the files of a firmware call share (efi/runtime.c: the call path
 * and its state; efi/fault.c: faults, lends and their report;
 * efi/bounce.c: guarded argument buffers; efi/abi_check.c: the
 * calling-convention check). The rest of the kernel reaches them only
 * through efi_state.h.
 */
#ifndef VAMAP_EFI_INTERNAL_H
#define VAMAP_EFI_INTERNAL_H

#include "efi_abi.h"
#include "efi_call_state.h"
#include "efi_fault.h"
#include "efi_rt.h"
#include "traps.h"
#include "types.h"

/* What ended (or lent pages in) the call in progress: set by the trap
 * path, reported by efi_call once the thunk is back. */
struct efi_call_fault {
	bool pending;
	unsigned int svc;
	u64 vector, error, rip, cr2;
	u64 caller;		 /* a jump to no code: the return address */
	const char *why;	 /* the decision table's reason */
	enum efi_fault_class cls; /* ... and its class */
	bool kernel_memory;	 /* CR2 in memory the kernel owns */
	char arg_hit[160];	 /* a guard of the argument arena: whose */
	u32 hung_ms;		 /* the watchdog ended it after this long */
	const char *watcher;	 /* whose NMI did */
	unsigned int lent_this_call;
	bool stack_overflow;	 /* the #DF of a call past the stack's guard */
};
extern struct efi_call_fault call_fault;
extern unsigned int efi_current_svc; /* the service being called */

/* runtime.c: apply @ev to CPU @apic_id's call state (efi_call_state.h);
 * false (logged, the state kept) when the table refuses it. */
bool efi_call_event(u32 apic_id, enum efi_call_event ev);

/* fault.c: the lines of a call that call_fault says ended; runtime
 * services off. */
void efi_report_fault(void);

/* bounce.c: @args that point into vamap's image into guarded slots, and
 * back; out returns the buffers written outside or inputs changed. The
 * guard hit at @cr2, in words into @buf; false when not a guard's. */
void efi_bounce_in(unsigned int svc, u64 *args, unsigned int nargs);
unsigned int efi_bounce_out(bool returned);
bool efi_bounce_guard_hit(u64 cr2, char *buf, size_t n);

/* abi_check.c: how deep the call just made went into its painted stack,
 * read right after the thunk returns, before any function of vamap's
 * runs over that stack (0: not measured); then efi.abi and efi.stack for
 * it, given the system state it was called with (@before) and left
 * (@after) and that depth. */
u64 efi_stack_depth(void);
#define EFI_STACK_AT_LEAST (1ULL << 63) /* the whole window was used */
/* How many bytes below a call the thunk paints (abi_check.c). */
u64 efi_stack_paint_window(void);
void efi_abi_check(unsigned int svc, const struct efi_abi_cpu *before,
		   const struct efi_abi_cpu *after, bool sse, u64 used);

/* The thunk (efi/thunk.asm) and the stack every call runs on. */
#define EFI_THUNK_MAX_ARGS 10
u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs);
extern char efi_thunk_fault_resume[];
extern u64 efi_thunk_rsp, efi_stack_floor, efi_thunk_sse;
extern struct efi_abi_regs efi_abi_out;
extern char boot_stack[], boot_stack_top[];

#endif
