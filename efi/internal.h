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
	u64 frame_end;		 /* on efi_fw_stack: its frame's end */
	u64 frame_above;	 /* bytes above it the call touched, 0: none */
};
extern struct efi_call_fault call_fault;
extern unsigned int efi_current_svc; /* the service being called */

/* runtime.c: apply @ev to CPU @apic_id's call state (efi_call_state.h);
 * false (logged, the state kept) when the table refuses it. */
bool efi_call_event(u32 apic_id, enum efi_call_event ev);

/* fault.c: the lines of a call that call_fault says ended; runtime
 * services off. The finding of a call that touched call_fault.frame_above
 * bytes above its frame (@faulted: the guard page stopped an access of
 * #PF error code @error). */
void efi_report_fault(void);
void efi_report_frame_above(unsigned int svc, bool faulted, u64 error);

/* bounce.c: @args that point into vamap's image into guarded slots, and
 * back; out returns the buffers written outside or inputs changed. The
 * guard hit at @cr2, in words into @buf; false when not a guard's. */
void efi_bounce_in(unsigned int svc, u64 *args, unsigned int nargs);
/* setup.c: a fault at @cr2 in a guard page of the SetVirtualAddressMap
 * map, in words into @what; false when not there. */
bool efi_svam_guard_hit(u64 cr2, char *what, size_t n);
unsigned int efi_bounce_out(bool returned);
bool efi_bounce_guard_hit(u64 cr2, char *buf, size_t n);

/* abi_check.c: efi_fw_stack painted before a measured call (the whole
 * stack, when not still painted from the last); how deep the call just
 * made on it went (0: not measured: it faulted, or a page lent ran
 * vamap's handler on that stack), its paint made good again for the
 * next; then efi.abi and efi.stack for it, given the system state it
 * was called with (@before) and left (@after) and that depth. */
void efi_stack_prepare(void);
void efi_stack_forget(void); /* a call ran on it unmeasured */
u64 efi_stack_depth(void);
#define EFI_STACK_AT_LEAST (1ULL << 63) /* it reached the stack's bottom */
void efi_abi_check(unsigned int svc, const struct efi_abi_cpu *before,
		   const struct efi_abi_cpu *after, bool sse, u64 used);

/* The thunk (efi/thunk.asm), the stack calls run on (kernel/entry.asm)
 * and the one vamap runs on. efi_call_stack: efi_fw_stack_top for a call
 * on it, 0 for one on the current stack. */
#define EFI_THUNK_MAX_ARGS 10
u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs);
extern char efi_thunk_fault_resume[];
extern u64 efi_thunk_rsp, efi_call_stack, efi_thunk_sse;
extern u64 efi_thunk_home_cr3, efi_thunk_flush;
/* efi_thunk_flush: flush the kernel's global TLB entries after loading
 * efi_pgd (they would outlive the switch with the kernel's permissions),
 * and after loading vamap's table back (efi.shared's efi_pgd reaches the
 * kernel's global leaves through read-only top entries: the TLB would
 * keep them read-only for vamap). */
#define EFI_THUNK_FLUSH_IN 1
#define EFI_THUNK_FLUSH_OUT 2
extern struct efi_abi_regs efi_abi_out;

/* fw32.c: the 32-bit call path's window in efi_pgd (efi.fw32 only).
 * efi_fw32_choose picks it (NULL, or why none), efi_fw32_map maps the
 * call page and the aliases of efi_fw_stack and the argument arena (again
 * after the 1:1 map is dropped), efi_fw32_rt_window gives where runtime
 * regions go in efi=slot and linux. efi_fw32_alias/unalias convert
 * between vamap's address of that memory and its alias. */
#define EFI_FW32_FRAME 96 /* efi/thunk32.asm's FRAME32 */
const char *efi_fw32_choose(const void *raw, u64 size, u64 desc_size);
int efi_fw32_map(void);
void efi_fw32_rt_window(u64 *base, u64 *top);
u64 efi_fw32_alias(u64 kva);
u64 efi_fw32_unalias(u64 va);
u64 efi_fw32_entry(void);
u64 efi_fw32_arg_alias(u64 addr); /* efi_fw32_words' @alias */
extern char efi_fw_stack[], efi_fw_stack_top[];
extern char boot_stack[], boot_stack_top[];

#endif
