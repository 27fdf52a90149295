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
 * kernel half; efi_fault_hook asks the decision table (efi/fault_policy.c):
 * a stray access to one page of firmware-owned memory through the dropped
 * 1:1 map gets that page lent and the instruction resumed, and is logged
 * as a finding; anything else resumes the thunk's recovery path, so
 * efi_call returns EFI_ABORTED, reports the fault with the regions that
 * hold RIP and CR2, and switches runtime services off. A service is never
 * called twice for one request.
 */
#include <stdarg.h>
#include "addr.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_fault.h"
#include "kernel.h"
#include "mm.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "pe_image.h"
#include "watchdog.h"
#include "x86.h"

#define EFI_THUNK_MAX_ARGS 10
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
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
	const char *why;	 /* the decision table's reason */
	bool kernel_memory;	 /* CR2 in memory the kernel owns */
	u32 hung_ms;		 /* the watchdog ended it after this long */
	const char *watcher;	 /* whose NMI did */
	unsigned int lent_this_call;
} fault;

static unsigned int current_svc;
static u32 efi_call_apic_id; /* the CPU in the firmware call */

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
	s->sse = read_cr4() & X86_CR4_OSFXSR;
	__asm__ volatile("fnstcw %0; fldcw %1" : "=m"(s->fcw) : "m"(cw));
	if (s->sse)
		__asm__ volatile("stmxcsr %0; ldmxcsr %1" : "=m"(s->mxcsr) : "m"(csr));
	s->cr3 = read_cr3();
	write_cr3(efi.efi_pgd);
	if (efi.strict)
		flush_tlb_all(); /* the kernel's global entries: direct map, RW data */
}

static void efi_leave(const struct efi_saved *s)
{
	write_cr3(s->cr3); /* efi_pgd has no global entries to outlive this */
	__asm__ volatile("fldcw %0" : : "m"(s->fcw));
	if (s->sse)
		__asm__ volatile("ldmxcsr %0" : : "m"(s->mxcsr));
	if (s->rflags & (1u << 9))
		__asm__ volatile("sti");
}

/*
 * The firmware touched a page it may be lent (efi_fault.h): map that one
 * page 1:1 in efi_pgd, note the finding, and let the instruction run again.
 */
static int lend_page(const struct trap_frame *f, u64 cr2,
		     const struct efi_fault_decision *d)
{
	u64 page = ALIGN_DOWN(cr2, SZ_4K);
	int ret = pt_map(&kctx, efi.efi_pgd, page, page, SZ_4K, d->map_flags);

	if (ret)
		return ret; /* no table page for it: the call ends instead */
	invlpg(page);
	fault.lent_this_call++;
	efi.lent_pages++;
	kprintf("efi: finding: %s: %s at %p (%s desc %u +0x%lx) through the "
		"dropped 1:1 map, rip %p; %s (UEFI 2.10 8.4: after "
		"SetVirtualAddressMap the firmware uses the new addresses)\n",
		efi_rt_service_name(current_svc), efi_pf_access(f->error),
		(void *)cr2, efi_memory_type_name(d->region->type), d->region->desc,
		(unsigned long)(cr2 - d->region->start), (void *)f->rip, d->why);
	return 0;
}

/* Record what ended the call in @f and resume at the thunk's recovery
 * path, which returns EFI_ABORTED to efi_call. */
static void end_call(struct trap_frame *f, u64 cr2, const char *why,
		     bool kernel_memory)
{
	fault.pending = true;
	fault.svc = current_svc;
	fault.vector = f->vector;
	fault.error = f->error;
	fault.rip = f->rip;
	fault.cr2 = cr2;
	fault.why = why;
	fault.kernel_memory = kernel_memory;
	f->rip = (u64)efi_thunk_fault_resume;
	f->rsp = efi_thunk_rsp;
	f->rax = EFI_ABORTED;
	f->cs = KERNEL_CS;
	f->ss = KERNEL_DS;
}

bool efi_fault_hook(struct trap_frame *f, u32 apic_id)
{
	struct efi_fault_in in;
	struct efi_fault_decision d;

	if (!efi_call_in_progress(apic_id))
		return false;
	/* Not the firmware's doing: the caller reports them as what they are. */
	if (f->vector == X86_TRAP_NMI || f->vector == X86_TRAP_DF ||
	    f->vector == X86_TRAP_MC)
		return false;
	in.vector = (unsigned int)f->vector;
	in.error = f->error;
	in.cr2 = f->vector == X86_TRAP_PF ? read_cr2() : 0;
	in.low_half_dropped = efi.low_half_dropped;
	in.lent_this_call = fault.lent_this_call;
	in.lent_total = (unsigned int)efi.lent_pages;
	efi_fault_decide(&kmemmap, &in, &d);
	if (d.action == EFI_FAULT_LEND) {
		if (!lend_page(f, in.cr2, &d))
			return true; /* resume the faulting instruction */
		d.why = "no memory for a table page to lend it";
	}
	end_call(f, in.cr2, d.why, d.kernel_owned);
	return true;
}

void efi_watchdog_abort(struct trap_frame *f, u32 apic_id, const char *by,
			u32 ms)
{
	if (!efi_call_in_progress(apic_id))
		return; /* the call returned as the deadline passed */
	fault.hung_ms = ms;
	fault.watcher = by;
	end_call(f, 0, NULL, false);
}

/*
 * What else is known of a runtime region's byte @off: the memory
 * attributes entry that set its protection, and the PE/COFF image that
 * holds it (read through the direct map), with its CodeView name.
 */
static void describe_in_region(const struct efi_rt_region *r, u64 off)
{
	const struct efi_memattr_entry *e = efi_memattr.usable
		? efi_memattr_lookup(efi_memattr.parsed, r->pa + off) : NULL;
	const struct mem_region *m = memmap_find(&kmemmap, r->pa);
	struct pe_image im;

	if (e)
		kprintf("efi:     attributes entry %u (%s%s%s) sets its protection\n",
			e->index, efi_memory_type_name(e->type),
			e->attr & EFI_MEMORY_RO ? ", RO" : "",
			e->attr & EFI_MEMORY_XP ? ", XP" : "");
	/* Read through the direct map only what it maps: RAM, all of it. */
	if (!m || !m->ram || r->pa + r->size > m->end ||
	    !pe_image_find(__va(r->pa), r->size, off, &im))
		return;
	kprintf("efi:     in the PE/COFF image at %p (0x%x bytes) +0x%lx: %s\n",
		(void *)(r->va + im.base), im.size, (unsigned long)(off - im.base),
		im.name[0] ? im.name : "no CodeView name");
}

/* "RuntimeData desc 80 +0x1f0" for an address the firmware used. */
static void describe(const char *what, u64 a)
{
	const struct efi_rt_region *r = efi_region_by_va(&efi.plan, a);
	const struct mem_region *m;

	if (r) {
		kprintf("efi:   %s %p in %s desc %u +0x%lx\n", what, (void *)a,
			efi_memory_type_name(r->type), r->desc,
			(unsigned long)(a - r->va));
		describe_in_region(r, a - r->va);
		return;
	}
	if (a >= PAGE_OFFSET && a < PAGE_OFFSET + DIRECT_MAP_MAX) {
		u64 pa = a - PAGE_OFFSET;

		m = memmap_find(&kmemmap, pa);
		if (m)
			kprintf("efi:   %s %p in the direct map: physical 0x%016lx in "
				"%s desc %u +0x%lx%s\n", what, (void *)a,
				(unsigned long)pa, efi_memory_type_name(m->type),
				m->desc, (unsigned long)(pa - m->start),
				mem_region_kernel_owned(m) ? ", the kernel's memory" : "");
		else
			kprintf("efi:   %s %p in the direct map, physical 0x%016lx "
				"outside the memory map\n", what, (void *)a,
				(unsigned long)pa);
		return;
	}
	if (a >= (u64)__kernel_start && a < (u64)__kernel_end) {
		kprintf("efi:   %s %p in vamap's kernel %s +0x%lx\n", what, (void *)a,
			a < (u64)__text_end ? "text" : a < (u64)__rodata_end
			? "rodata" : "data", (unsigned long)(a - (u64)__kernel_start));
		return;
	}
	m = a < (1ULL << 47) ? memmap_find(&kmemmap, a) : NULL;
	if (m) {
		kprintf("efi:   %s %p in %s desc %u +0x%lx (physical)\n", what,
			(void *)a, efi_memory_type_name(m->type), m->desc,
			(unsigned long)(a - m->start));
		return;
	}
	kprintf("efi:   %s %p not in the map\n", what, (void *)a);
}

static void report_fault(void)
{
	if (fault.hung_ms) {
		efi.hung_calls++;
		kprintf("efi: firmware call %s did not return within %u ms; the "
			"watchdog's NMI (%s) found it at rip %p\n",
			efi_rt_service_name(fault.svc), fault.hung_ms,
			fault.watcher, (void *)fault.rip);
	} else {
		kprintf("efi: firmware fault in %s: %s (vector %lu) error 0x%lx\n",
			efi_rt_service_name(fault.svc), trap_name(fault.vector),
			fault.vector, fault.error);
	}
	if (fault.vector == X86_TRAP_PF)
		kprintf("efi:   %s: %s\n", efi_pf_access(fault.error), fault.why);
	describe("rip", fault.rip);
	if (fault.vector == X86_TRAP_PF)
		describe("cr2", fault.cr2);
	if (fault.kernel_memory) {
		efi.kernel_refused++;
		kprintf("efi:   the page was not mapped for the firmware: no byte "
			"of the kernel's memory changed\n");
	} else if (efi.strict && fault.vector == X86_TRAP_PF &&
		   fault.cr2 >= (1ULL << 47)) {
		efi.strict_refused++;
		kprintf("efi:   efi.strict kept this kernel memory out of efi_pgd "
			"(or read-only): no byte of it changed\n");
	}
	kprintf("efi: runtime services disabled; %s returns ABORTED and is "
		"not called again\n", efi_rt_service_name(fault.svc));
	efi.runtime_enabled = false;
	efi.fault_disabled = !efi.report_only;
	efi.disabled_why = fault.hung_ms ? "a firmware call that did not return"
					 : "a firmware fault";
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
	efi_call_apic_id = this_cpu_apic_id();
	fault.pending = false;
	fault.lent_this_call = 0;
	fault.hung_ms = 0;
	watchdog_arm(efi_call_apic_id);
	efi_enter(&saved);
	st = efi_thunk_call(efi.fn[svc], args, nargs);
	efi_leave(&saved);
	watchdog_disarm();
	if (!fault.pending)
		return st;
	report_fault();
	return EFI_ABORTED;
}

const char *efi_call_in_progress(u32 apic_id)
{
	if (!efi_thunk_rsp || apic_id != efi_call_apic_id)
		return NULL;
	return efi_rt_service_name(current_svc);
}
