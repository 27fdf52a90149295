// SPDX-License-Identifier: MIT
/*
 * Runtime-service calls: one enter/leave pair around the NASM thunk, and
 * the recovery from a firmware fault.
 *
 * Enter (UEFI 2.10, 2.3.4.1): interrupts off, CR3 ← efi_pgd, x87 control
 * word 0x037F and MXCSR 0x1F80 (the states the spec requires at a service
 * call), saving ours. Leave restores all of it.
 *
 * A fault inside the firmware reaches trap_handler on efi_pgd's copy of the
 * kernel half; efi_fault_hook notes it and resumes the thunk's recovery
 * path, so efi_call returns EFI_ABORTED, reports the fault with the
 * regions that hold RIP and CR2, and switches runtime services off.
 */
#include <stdarg.h>
#include "addr.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "kernel.h"
#include "mm.h"
#include "x86.h"

#define EFI_THUNK_MAX_ARGS 10
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define CR4_OSFXSR (1ULL << 9)
#define FPU_CW_UEFI 0x037f
#define MXCSR_UEFI 0x1f80

u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs);
extern char efi_thunk_fault_resume[];
extern u64 efi_thunk_rsp;

struct efi_state efi;

static struct {
	bool pending;
	unsigned int svc;
	u64 vector, error, rip, cr2;
} fault;

static unsigned int current_svc;

struct efi_saved {
	u64 cr3, rflags;
	u16 fcw;
	u32 mxcsr;
	bool sse;
};

static void efi_enter(struct efi_saved *s)
{
	u16 cw = FPU_CW_UEFI;
	u32 csr = MXCSR_UEFI;

	s->rflags = read_rflags();
	cli();
	s->sse = read_cr4() & CR4_OSFXSR;
	__asm__ volatile("fnstcw %0; fldcw %1" : "=m"(s->fcw) : "m"(cw));
	if (s->sse)
		__asm__ volatile("stmxcsr %0; ldmxcsr %1" : "=m"(s->mxcsr) : "m"(csr));
	s->cr3 = read_cr3();
	write_cr3(efi.efi_pgd);
}

static void efi_leave(const struct efi_saved *s)
{
	write_cr3(s->cr3);
	__asm__ volatile("fldcw %0" : : "m"(s->fcw));
	if (s->sse)
		__asm__ volatile("ldmxcsr %0" : : "m"(s->mxcsr));
	if (s->rflags & (1u << 9))
		__asm__ volatile("sti");
}

bool efi_fault_hook(struct trap_frame *f)
{
	if (!efi_thunk_rsp)
		return false;
	fault.pending = true;
	fault.svc = current_svc;
	fault.vector = f->vector;
	fault.error = f->error;
	fault.rip = f->rip;
	fault.cr2 = f->vector == X86_TRAP_PF ? read_cr2() : 0;
	f->rip = (u64)efi_thunk_fault_resume;
	f->rsp = efi_thunk_rsp;
	f->rax = EFI_ABORTED;
	f->cs = KERNEL_CS;
	f->ss = KERNEL_DS;
	return true;
}

/* "RuntimeData desc 80 +0x1f0" for an address the firmware used. */
static void describe(const char *what, u64 a)
{
	const struct efi_rt_region *r = efi_region_by_va(&efi.plan, a);
	unsigned int i;

	if (r) {
		kprintf("efi:   %s %p in %s desc %u +0x%lx\n", what, (void *)a,
			efi_memory_type_name(r->type), r->desc,
			(unsigned long)(a - r->va));
		return;
	}
	if (a < (1ULL << 47)) {
		for (i = 0; i < kmemmap.n; i++) {
			const struct mem_region *m = &kmemmap.r[i];

			if (a >= m->start && a < m->end) {
				kprintf("efi:   %s %p in %s desc %u +0x%lx (physical)\n",
					what, (void *)a, efi_memory_type_name(m->type),
					m->desc, (unsigned long)(a - m->start));
				return;
			}
		}
	}
	kprintf("efi:   %s %p not in the map\n", what, (void *)a);
}

static void report_fault(void)
{
	static const char *const names[] = { [X86_TRAP_PF] = "#PF page fault",
					      [X86_TRAP_GP] = "#GP general protection" };
	const char *name = fault.vector < ARRAY_SIZE(names) && names[fault.vector]
				   ? names[fault.vector]
				   : "exception";

	kprintf("efi: firmware fault in %s: %s (vector %lu) error 0x%lx\n",
		efi_rt_service_name(fault.svc), name, fault.vector, fault.error);
	describe("rip", fault.rip);
	if (fault.vector == X86_TRAP_PF)
		describe("cr2", fault.cr2);
	kprintf("efi: runtime services disabled; %s returns ABORTED\n",
		efi_rt_service_name(fault.svc));
	efi.runtime_enabled = false;
	efi.disabled_why = "a firmware fault";
}

efi_status_t efi_call(enum efi_rt_service svc, unsigned int nargs, ...)
{
	u64 args[EFI_THUNK_MAX_ARGS] = { 0 };
	struct efi_saved saved;
	efi_status_t st;
	unsigned int i;
	va_list ap;

	if (!efi.runtime_enabled || !efi.efi_pgd || !efi.fn[svc] ||
	    nargs > EFI_THUNK_MAX_ARGS)
		return EFI_ABORTED;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		args[i] = va_arg(ap, u64);
	va_end(ap);

	current_svc = svc;
	for (;;) {
		u64 where;

		fault.pending = false;
		efi_enter(&saved);
		st = efi_thunk_call(efi.fn[svc], args, nargs);
		efi_leave(&saved);
		if (!fault.pending)
			return st;
		/* A reach into the dropped 1:1 map is a finding about the
		 * firmware, not the end of runtime services: keep exactly
		 * that region and call again. */
		where = fault.vector == X86_TRAP_PF ? fault.cr2 : fault.rip;
		if (fault.vector == X86_TRAP_PF && efi_keep_low_region(svc, where))
			continue;
		report_fault();
		return EFI_ABORTED;
	}
}
