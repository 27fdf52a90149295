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
 * 1:1 map, or under efi=linux by a boot-services region's window address,
 * gets that page lent and the instruction resumed, and is logged as a
 * finding; anything else resumes the thunk's recovery path, so
 * efi_call returns EFI_ABORTED, reports the fault with the regions that
 * hold RIP and CR2, and switches runtime services off. A service is never
 * called twice for one request.
 */
#include <stdarg.h>
#include "addr.h"
#include "efi_abi.h"
#include "efi_args.h"
#include "efi_call_state.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_fault.h"
#include "gdt.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "pe_image.h"
#include "printf.h"
#include "watchdog.h"
#include "x86.h"

#define EFI_THUNK_MAX_ARGS 10
#define KERNEL_CS GDT_SELECTOR(GDT_KERNEL_CODE)
#define KERNEL_DS GDT_SELECTOR(GDT_KERNEL_DATA)
#define FPU_CW_UEFI 0x037f
#define MXCSR_UEFI 0x1f80

u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs);
extern char efi_thunk_fault_resume[];
extern u64 efi_thunk_rsp, efi_stack_floor, efi_thunk_sse;
extern struct efi_abi_regs efi_abi_out;
extern char boot_stack[], boot_stack_top[];

struct efi_state efi;

static struct {
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
} fault;

static unsigned int current_svc;
static bool shared_counted; /* efi.shared counted this call already */
static bool bare; /* efi_call_bare: the checks' cost measured by their absence */

/*
 * Who owns each CPU in a firmware call (efi_call_state.h), by APIC ID as
 * kernel/traps.c keeps its trap state. Changed only through call_event;
 * read by the trap handler, the watchdog and kernel_exit through the
 * functions below. In .bss: every change is made on swapper_pg_dir
 * (efi_call's own before efi_enter and after efi_leave, the handler's on
 * the table trap_handler switched to).
 */
#define CALL_CPU_SLOTS 1024
static struct efi_call_cpu {
	enum efi_call_state state;
	u64 trap_tsc; /* when the handler took the CPU from the firmware */
	bool guarded; /* efi.shared's copy was the firmware's at the trap */
} call_cpus[CALL_CPU_SLOTS] __kguard_unwatched; /* a trap writes it at any
						 * time, a copy's too */

static struct efi_call_cpu *call_cpu(u32 apic_id)
{
	return &call_cpus[apic_id % CALL_CPU_SLOTS];
}

/* Apply @ev on CPU @apic_id; false (logged, the state kept) when the table
 * refuses it. */
static bool call_event(u32 apic_id, enum efi_call_event ev)
{
	static const char *const ev_names[CALL_NR_EVENTS] = {
		"enter", "return", "trap", "resume", "end", "halt",
	};
	struct efi_call_cpu *c = call_cpu(apic_id);
	enum efi_call_state next = efi_call_next(c->state, ev);

	if (next == CALL_REFUSED) {
		kprintf("efi: cpu %u: a firmware call's %s refused in state %s\n",
			apic_id, ev_names[ev], efi_call_state_name(c->state));
		return false;
	}
	c->state = next;
	return true;
}

/* efi.shared: what the firmware changed of vamap's memory, named and put
 * back (efi/kguard.c), counted once per call. */
static void kguard_check(const char *when)
{
	if (efi_kguard_check(efi_rt_service_name(current_svc), when) &&
	    !shared_counted) {
		shared_counted = true;
		if (!efi.shared_written++)
			efi.shared_first_svc = current_svc;
	}
}

enum efi_call_state efi_call_trap_enter(u32 apic_id)
{
	struct efi_call_cpu *c = call_cpu(apic_id);
	enum efi_call_state was = c->state;

	/* Before this handler writes anything of vamap's; only a copy the
	 * firmware ran on (taken before the thunk, not yet compared) is
	 * compared and taken again when the handler goes back to it. */
	if (was == CALL_FIRMWARE) {
		bool guarded = efi_kguard_armed();

		kguard_check("before vamap's trap handler ran");
		c->guarded = guarded;
	}

	if (was == CALL_FIRMWARE)
		c->trap_tsc = rdtsc();
	c->state = efi_call_next(was, CALL_EV_TRAP); /* never refused */
	return was;
}

void efi_call_trap_exit(u32 apic_id, enum efi_call_state was)
{
	struct efi_call_cpu *c = call_cpu(apic_id);
	u64 took;

	if (was != CALL_FIRMWARE || c->state != CALL_HANDLER)
		return;
	/* Back to the firmware it interrupted (a page lent, an NMI): the
	 * time vamap's handler took is not the firmware's. The deadline
	 * moves first: the watching AP acts as soon as the state says
	 * FIRMWARE. */
	took = rdtsc() - c->trap_tsc;
	watchdog_extend(took);
	if (watchdog_timeout_ms() && efi.tsc_khz &&
	    took / efi.tsc_khz >= watchdog_timeout_ms())
		efi.handler_overran++;
	call_event(apic_id, CALL_EV_RESUME);
	if (c->guarded)
		efi_kguard_snapshot(); /* the firmware's again from here */
}

enum efi_call_state efi_call_state_of(u32 apic_id)
{
	return __atomic_load_n(&call_cpu(apic_id)->state, __ATOMIC_ACQUIRE);
}

void efi_call_halt(u32 apic_id)
{
	call_event(apic_id, CALL_EV_HALT);
}

/* On the stack: under efi.strict the kernel's data is read-only while
 * CR3 holds efi_pgd. */
struct efi_saved {
	u64 cr3, rflags;
	u16 fcw;
	u32 mxcsr;
	bool sse;
	struct efi_abi_cpu before, after; /* as called, as returned */
};

/* What the thunk loads right after every call (efi_abi.h): in .bss, so a
 * strict efi_pgd maps it read-only. */
struct efi_abi_cpu efi_thunk_want;

static void capture_system(struct efi_abi_cpu *c)
{
	struct desc_ptr g, i;

	c->cr0 = read_cr0();
	c->cr4 = read_cr4();
	c->efer = rdmsr(MSR_EFER);
	store_gdt(&g);
	store_idt(&i);
	c->gdt_base = g.base;
	c->gdt_limit = g.limit;
	c->idt_base = i.base;
	c->idt_limit = i.limit;
}

/* The x87 control word and MXCSR, once the thunk has made CR0.TS/EM and
 * CR4.OSFXSR vamap's again (with TS set FNSTCW raises #NM). */
static void capture_fpu(struct efi_abi_cpu *c, bool sse)
{
	__asm__ volatile("fnstcw %0" : "=m"(c->fcw));
	c->mxcsr = 0;
	if (sse)
		__asm__ volatile("stmxcsr %0" : "=m"(c->mxcsr));
}

static void efi_enter(struct efi_saved *s)
{
	u16 cw = FPU_CW_UEFI;
	u32 csr = MXCSR_UEFI;

	s->rflags = read_rflags();
	cli();
	s->sse = read_cr4() & X86_CR4_OSFXSR;
	efi_thunk_sse = s->sse;
	__asm__ volatile("fnstcw %0; fldcw %1" : "=m"(s->fcw) : "m"(cw));
	if (s->sse)
		__asm__ volatile("stmxcsr %0; ldmxcsr %1" : "=m"(s->mxcsr) : "m"(csr));
	s->cr3 = read_cr3();
	capture_system(&efi_thunk_want);
	efi_thunk_want.cr3 = efi.efi_pgd;
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

static void describe(const char *what, u64 a);

/* test=slow-lend: the handler lending a page outlasts efi.timeout= (a
 * slow console does it on real machines), so the watchdog's NMI lands in
 * vamap's handler, which must not end the call nor count the time. */
static void slow_lend(void)
{
	u64 until = rdtsc() + (kopt.efi_timeout_ms + 300) *
			      (efi.tsc_khz ? efi.tsc_khz : 1000000);
	static bool done;

	if (done)
		return; /* once: each costs the suite efi.timeout= */
	done = true;
	kprintf("test: the handler lending a page spins %u ms\n",
		kopt.efi_timeout_ms + 300);
	while (rdtsc() < until)
		__asm__ volatile("pause");
}

/*
 * The firmware touched a page it may be lent (efi_fault.h): map that one
 * page in efi_pgd at the address it used, note the finding, and let the
 * instruction run again.
 */
static int lend_page(const struct trap_frame *f, const struct efi_fault_in *in,
		     const struct efi_fault_decision *d)
{
	u64 page = ALIGN_DOWN(in->cr2, SZ_4K);
	int ret = pt_map(efi.pt, efi.efi_pgd, page, ALIGN_DOWN(in->pa, SZ_4K),
			 SZ_4K, d->map_flags);
	char phys[40] = "";

	if (ret)
		return ret; /* no table page for it: the call ends instead */
	invlpg(page);
	if (kopt.test & TEST_SLOW_LEND)
		slow_lend();
	fault.lent_this_call++;
	efi.lent_pages++;
	if (in->window) {
		efi.lent_window++;
		ksnprintf(phys, sizeof(phys), ", physical 0x%016lx",
			  (unsigned long)in->pa);
	}
	kdetail("efi.low_half",
		"efi: finding: %s: %s at %p (%s desc %u +0x%lx%s) %s, rip %p; %s "
		"(%s)\n", efi_rt_service_name(current_svc),
		efi_pf_access(f->error), (void *)in->cr2,
		efi_memory_type_name(d->region->type), d->region->desc,
		(unsigned long)(in->pa - d->region->start), phys,
		in->window ? "by its window address, unmapped since "
			     "SetVirtualAddressMap returned"
			   : "through the dropped 1:1 map",
		(void *)f->rip, d->why,
		in->window ? "UEFI 2.10 7.4.6: after ExitBootServices "
			     "boot-services memory is the OS's"
			   : "UEFI 2.10 8.4: after SetVirtualAddressMap the "
			     "firmware uses the new addresses");
	describe("rip", f->rip);
	return 0;
}

/* Record what ended the call in @f and resume at the thunk's recovery
 * path, which returns EFI_ABORTED to efi_call. */
static void end_call(struct trap_frame *f, u64 cr2, const char *why,
		     bool kernel_memory)
{
	if (!call_event(this_cpu_apic_id(), CALL_EV_END))
		return;
	fault.pending = true;
	fault.svc = current_svc;
	fault.vector = f->vector;
	fault.error = f->error;
	fault.rip = f->rip;
	fault.cr2 = cr2;
	/* A fetch that faulted at its own target after a CALL: the return
	 * address is on top of the call's stack now, and will not be once
	 * vamap's own code runs there. */
	fault.caller = f->vector == X86_TRAP_PF && (f->error & PF_ERR_FETCH) &&
		       f->rip == cr2 && !(f->rsp & 7) &&
		       f->rsp >= (u64)boot_stack &&
		       f->rsp + 8 <= (u64)boot_stack_top
		       ? *(const u64 *)f->rsp : 0;
	fault.why = why;
	fault.kernel_memory = kernel_memory;
	f->rip = (u64)efi_thunk_fault_resume;
	f->rsp = efi_thunk_rsp;
	f->rax = EFI_ABORTED;
	f->cs = KERNEL_CS;
	f->ss = KERNEL_DS;
}

/*
 * Guarded buffers (efi_args.h): the call's pointer arguments into vamap's
 * own memory, each copied into a slot of the arena kernel/entry.asm lays
 * out between guard pages.
 */
extern u8 efi_arg_arena[];

static struct {
	unsigned int n;
	struct bounce {
		unsigned int arg;
		u64 orig, bytes, off; /* off: the buffer's offset in its slot */
	} b[EFI_ARG_SLOTS];
	unsigned int svc;
} bounced;

static u8 *arg_slot(unsigned int k)
{
	return efi_arg_arena + SZ_4K + k * (EFI_ARG_SLOT_SIZE + SZ_4K);
}

static bool vamap_owned(u64 a, u64 len)
{
	return a >= (u64)__kernel_start && a + len >= a &&
	       a + len <= (u64)__kernel_end;
}

/* Point each of @args that vamap owns at a copy in its own slot. */
static void bounce_in(unsigned int svc, u64 *args, unsigned int nargs)
{
	u64 in[EFI_ARG_MAX], bytes;
	unsigned int i;

	bounced.n = 0;
	bounced.svc = svc;
	memcpy(in, args, sizeof(in));
	for (i = 0; i < nargs && i < EFI_ARG_MAX; i++) {
		struct bounce *b = &bounced.b[bounced.n];
		u8 *slot = arg_slot(bounced.n);

		if (!in[i] || !efi_arg_bytes(svc, i, in, vamap_owned, &bytes) ||
		    !vamap_owned(in[i], bytes))
			continue; /* not vamap's: passed as it is */
		if (bytes > EFI_ARG_SLOT_SIZE) {
			kprintf("efi: %s's %s (%lu bytes) is larger than a guarded "
				"slot: handed unguarded\n", efi_rt_service_name(svc),
				efi_arg_desc(svc, i)->name, (unsigned long)bytes);
			continue;
		}
		b->arg = i;
		b->orig = in[i];
		b->bytes = bytes;
		b->off = efi_arg_place(0, bytes);
		memcpy(slot + b->off, (const void *)b->orig, bytes);
		efi_arg_canary_fill(slot, b->off, bytes);
		args[i] = (u64)slot + b->off;
		bounced.n++;
	}
}

/* After the call: the canaries, the inputs, then what the firmware wrote
 * back to where vamap's caller has it (when the call returned). Returns
 * the number of buffers written outside, or inputs changed. */
static unsigned int bounce_out(bool returned)
{
	unsigned int i, bad = 0;

	for (i = 0; i < bounced.n; i++) {
		const struct bounce *b = &bounced.b[i];
		const struct efi_arg_desc *d = efi_arg_desc(bounced.svc, b->arg);
		const u8 *slot = arg_slot(i);
		s64 c = efi_arg_canary_check(slot, b->off, b->bytes);
		bool in = d->kind == ARG_IN || d->kind == ARG_STR_IN ||
			  d->kind == ARG_IN_SIZE_ARG || d->kind == ARG_ARRAY_IN;

		if (c) {
			bad++;
			kdetail("efi.buffers", "efi: finding: %s wrote up to byte "
				"%ld %s its argument %u, %s (a %lu-byte buffer; the "
				"canary beside it changed; UEFI 2.10 8: a service "
				"writes only the buffers it is given, within their "
				"sizes)\n", efi_rt_service_name(bounced.svc),
				(long)(c > 0 ? c : -c),
				c > 0 ? "past the end of" : "before the start of",
				b->arg + 1, d->name, (unsigned long)b->bytes);
		}
		if (in) {
			if (memcmp(slot + b->off, (const void *)b->orig, b->bytes)) {
				bad++;
				kdetail("efi.buffers", "efi: finding: %s wrote into "
					"its argument %u, %s, an input (%lu bytes; "
					"UEFI 2.10 8: IN)\n",
					efi_rt_service_name(bounced.svc), b->arg + 1,
					d->name, (unsigned long)b->bytes);
			}
		} else if (returned) {
			memcpy((void *)b->orig, slot + b->off, b->bytes);
		}
	}
	bounced.n = 0;
	return bad;
}

/* A fault at @cr2 in a guard page of the arena: which buffer it was
 * outside, and by how much, into fault.arg_hit; false when not there. */
static bool arg_guard_hit(u64 cr2)
{
	u64 start = (u64)efi_arg_arena, end = (u64)arg_slot(EFI_ARG_SLOTS);
	unsigned int i;

	if (cr2 < start || cr2 >= end + SZ_4K ||
	    (cr2 - start) % (EFI_ARG_SLOT_SIZE + SZ_4K) >= SZ_4K)
		return false;
	for (i = 0; i < bounced.n; i++) {
		const struct bounce *b = &bounced.b[i];
		u64 buf = (u64)arg_slot(i) + b->off, buf_end = buf + b->bytes;
		const char *name = efi_arg_desc(bounced.svc, b->arg)->name;
		unsigned int nth = b->arg + 1;

		if (cr2 >= buf_end && cr2 < buf_end + SZ_4K) {
			ksnprintf(fault.arg_hit, sizeof(fault.arg_hit),
				  "to byte %lu past the end of its argument %u, %s "
				  "(a %lu-byte buffer)",
				  (unsigned long)(cr2 - buf_end + 1), nth, name,
				  (unsigned long)b->bytes);
			return true;
		}
		if (cr2 < buf && buf - cr2 <= SZ_4K + EFI_ARG_SLOT_SIZE) {
			ksnprintf(fault.arg_hit, sizeof(fault.arg_hit),
				  "to byte %lu before the start of its argument "
				  "%u, %s (a %lu-byte buffer)",
				  (unsigned long)(buf - cr2), nth, name,
				  (unsigned long)b->bytes);
			return true;
		}
	}
	ksnprintf(fault.arg_hit, sizeof(fault.arg_hit),
		  "to a guard page of the argument arena beside no buffer of "
		  "this call");
	return true;
}

bool efi_fault_hook(struct trap_frame *f, u32 apic_id, enum efi_call_state was)
{
	struct efi_fault_in in;
	struct efi_fault_decision d;

	if (was != CALL_FIRMWARE || !efi_call_in_progress(apic_id))
		return false;
	/* A #DF whose CR2 is in the guard under the call's stack: the
	 * firmware ran off the stack (the #PF could not push its frame). */
	if (f->vector == X86_TRAP_DF && efi_stack_floor &&
	    read_cr2() - (efi_stack_floor - SZ_4K) < SZ_4K) {
		end_call(f, read_cr2(), "the call ran off its stack", false);
		fault.stack_overflow = true;
		return true;
	}
	/* Not the firmware's doing: the caller reports them as what they are. */
	if (f->vector == X86_TRAP_NMI || f->vector == X86_TRAP_DF ||
	    f->vector == X86_TRAP_MC)
		return false;
	/* Outside a buffer vamap handed it: the guard did its job. */
	if (f->vector == X86_TRAP_PF && arg_guard_hit(read_cr2())) {
		end_call(f, read_cr2(), "outside the buffer it was handed: a "
			 "guard page of vamap's argument arena", false);
		fault.cls = EFI_FAULT_OUTSIDE;
		return true;
	}
	in.vector = (unsigned int)f->vector;
	in.error = f->error;
	in.cr2 = f->vector == X86_TRAP_PF ? read_cr2() : 0;
	/* Under efi=linux a boot-services region's window address stands
	 * for its memory, as the SVAM map said, after it left efi_pgd. */
	in.window = false;
	in.pa = in.cr2;
	if (in.cr2 >= LOW_HALF_END && efi.bs_window_unmapped) {
		const struct efi_rt_region *w = efi_region_by_va(&efi.plan, in.cr2);

		if (w && w->boot_services) {
			in.window = true;
			in.pa = w->pa + (in.cr2 - w->va);
		}
	}
	in.region = in.pa < LOW_HALF_END ? mm_region_at(in.pa) : NULL;
	in.low_half_dropped = efi.low_half_dropped;
	in.lent_this_call = fault.lent_this_call;
	in.lent_total = (unsigned int)efi.lent_pages;
	efi_fault_decide(&in, &d);
	if (d.action == EFI_FAULT_LEND) {
		if (!lend_page(f, &in, &d))
			return true; /* resume the faulting instruction */
		d.why = "no memory for a table page to lend it";
	}
	end_call(f, in.cr2, d.why, d.kernel_owned);
	fault.cls = d.cls;
	return true;
}

void efi_nmi_as_fault(struct trap_frame *f, u32 apic_id)
{
	if (efi_call_in_progress(apic_id))
		end_call(f, 0, NULL, false);
}

void efi_watchdog_abort(struct trap_frame *f, u32 apic_id, const char *by,
			u32 ms)
{
	if (call_cpu(apic_id)->state != CALL_HANDLER ||
	    !efi_call_in_progress(apic_id))
		return; /* the call returned as the deadline passed */
	fault.hung_ms = ms;
	fault.watcher = by;
	end_call(f, 0, NULL, false);
}

/* The runtime driver the stub started from \vamap\drivers\ that holds
 * physical address @pa, or NULL. */
static const struct boot_driver *driver_at(u64 pa)
{
	u32 i;

	for (i = 0; i < efi.ndrivers; i++)
		if (efi.drivers[i].base && pa - efi.drivers[i].base <
					       efi.drivers[i].size)
			return &efi.drivers[i];
	return NULL;
}

/*
 * What else is known of a runtime region's byte @off: the memory
 * attributes entry that set its protection, and the PE/COFF image that
 * holds it (read through the direct map), with its CodeView name.
 */
/* The PE/COFF image holding byte @off of the RAM [@pa, @pa + @size),
 * shown at @va (its address as the firmware uses it), with its CodeView
 * name and the driver file the stub started, if any. */
static void describe_image(const char *label, u64 pa, u64 size, u64 va, u64 off)
{
	const struct mem_region *m = mm_region_at(pa);
	const struct boot_driver *d;
	struct pe_image im;
	char who[128];

	/* Read through the direct map only what it maps: RAM, all of it. */
	if (!m || !m->ram || pa + size > m->end ||
	    !pe_image_find(__va(pa), size, off, &im))
		return;
	/* Named by its CodeView entry, by the file the stub started, or both. */
	d = driver_at(pa + im.base);
	if (d)
		ksnprintf(who, sizeof(who), "%s%sdriver \\vamap\\drivers\\%s",
			  im.name, im.name[0] ? ", " : "", d->name);
	else
		ksnprintf(who, sizeof(who), "%s",
			  im.name[0] ? im.name : "no CodeView name");
	kdetail(label, "efi:     in the PE/COFF image at %p (0x%x bytes) +0x%lx: "
		"%s\n", (void *)(va + im.base), im.size,
		(unsigned long)(off - im.base), who);
}

/*
 * What else is known of a runtime region's byte @off: the memory
 * attributes entry that set its protection, and the PE/COFF image that
 * holds it (read through the direct map), with its CodeView name.
 */
static void describe_in_region(const char *label, const struct efi_rt_region *r,
			       u64 off)
{
	const struct efi_memattr_entry *e = efi_memattr.usable
		? efi_memattr_lookup(efi_memattr.parsed, r->pa + off) : NULL;

	if (e)
		kdetail(label, "efi:     attributes entry %u (%s%s%s) sets its "
			"protection\n", e->index, efi_memory_type_name(e->type),
			e->attr & EFI_MEMORY_RO ? ", RO" : "",
			e->attr & EFI_MEMORY_XP ? ", XP" : "");
	describe_image(label, r->pa, r->size, r->va, off);
}

/* "RuntimeData desc 80 +0x1f0" for an address the firmware used, as a
 * detail line of check @label (NULL: the log alone). */
static void describe_for(const char *label, const char *what, u64 a)
{
	const struct efi_rt_region *r = efi_region_by_va(&efi.plan, a);
	const struct mem_region *m;

	if (r) {
		kdetail(label, "efi:   %s %p in %s desc %u +0x%lx\n", what, (void *)a,
			efi_memory_type_name(r->type), r->desc,
			(unsigned long)(a - r->va));
		describe_in_region(label, r, a - r->va);
		return;
	}
	if (a >= PAGE_OFFSET && a < PAGE_OFFSET + DIRECT_MAP_MAX) {
		u64 pa = a - PAGE_OFFSET;

		m = mm_region_at(pa);
		if (m)
			kdetail(label, "efi:   %s %p in the direct map: physical "
				"0x%016lx in %s desc %u +0x%lx%s\n", what, (void *)a,
				(unsigned long)pa, efi_memory_type_name(m->type),
				m->desc, (unsigned long)(pa - m->start),
				mem_region_kernel_owned(m) ? ", the kernel's memory" : "");
		else
			kdetail(label, "efi:   %s %p in the direct map, physical "
				"0x%016lx outside the memory map\n", what, (void *)a,
				(unsigned long)pa);
		return;
	}
	if (a >= (u64)__kernel_start && a < (u64)__kernel_end) {
		char obj[96] = "";

		if (a >= (u64)__rodata_end &&
		    !efi_kernel_object_name(a, obj, sizeof(obj)))
			obj[0] = '\0';
		kdetail(label, "efi:   %s %p in vamap's kernel %s +0x%lx%s%s%s\n",
			what, (void *)a, a < (u64)__text_end ? "text"
			: a < (u64)__rodata_end ? "rodata" : "data",
			(unsigned long)(a - (u64)__kernel_start),
			obj[0] ? " (" : "", obj, obj[0] ? ")" : "");
		return;
	}
	m = a < LOW_HALF_END ? mm_region_at(a) : NULL;
	if (m) {
		kdetail(label, "efi:   %s %p in %s desc %u +0x%lx (physical)\n",
			what, (void *)a, efi_memory_type_name(m->type), m->desc,
			(unsigned long)(a - m->start));
		/* A physical address of a firmware image: an unconverted
		 * pointer, a boot-services driver's code. */
		describe_image(label, m->start, m->end - m->start, m->start,
			       a - m->start);
		return;
	}
	kdetail(label, "efi:   %s %p not in the map\n", what, (void *)a);
}

static void describe(const char *what, u64 a)
{
	describe_for(NULL, what, a);
}

void efi_describe_address(const char *label, const char *what, u64 a)
{
	describe_for(label, what, a);
}

/*
 * The firmware jumped to an address that is no code (a NULL function
 * pointer, a freed or unconverted table's entry): the fetch faulted at
 * the target itself, and the return address its CALL pushed, on the
 * call's own stack, names the caller.
 */
static void describe_caller(const char *label)
{
	if (!fault.caller)
		return;
	kdetail(label, "efi:   a jump to no code: the return address on the "
		"stack, %p, names the caller\n", (void *)fault.caller);
	describe_for(label, "caller", fault.caller);
}

/* The check a fault's lines belong to besides the service's own, which
 * follows at once: the ones whose verdict comes later. */
static const char *fault_label(void)
{
	if (fault.hung_ms)
		return "efi.watchdog";
	if (fault.stack_overflow)
		return "efi.stack";
	if (fault.arg_hit[0])
		return "efi.buffers";
	if (efi_fault_stray(fault.cls))
		return "efi.low_half";
	if (efi.strict && fault.vector == X86_TRAP_PF &&
	    fault.cr2 >= LOW_HALF_END && !efi_region_by_va(&efi.plan, fault.cr2))
		return "efi.strict";
	return NULL;
}

static void report_fault(void)
{
	const char *label = fault_label();

	if (fault.hung_ms) {
		efi.hung_calls++;
		kdetail(label, "efi: firmware call %s did not return within %u ms; the "
			"watchdog's NMI (%s) found it at rip %p\n",
			efi_rt_service_name(fault.svc), fault.hung_ms,
			fault.watcher, (void *)fault.rip);
	} else {
		kdetail(label, "efi: firmware fault in %s: %s (vector %lu) error 0x%lx\n",
			efi_rt_service_name(fault.svc), trap_name(fault.vector),
			fault.vector, fault.error);
	}
	/* The class where the reason does not say it already. */
	if (fault.vector == X86_TRAP_PF && fault.cls != EFI_FAULT_PROTECTION)
		kprintf("efi:   %s (%s): %s\n", efi_pf_access(fault.error),
			efi_fault_class_name(fault.cls), fault.why);
	else if (fault.vector == X86_TRAP_PF)
		kprintf("efi:   %s: %s\n", efi_pf_access(fault.error), fault.why);
	if (efi_fault_stray(fault.cls))
		efi.stray_refused++;
	if (fault.stack_overflow) {
		if (!efi.stack_overflows++)
			efi.stack_overflow_svc = fault.svc;
		kdetail(label, "efi:   the call ran off the %lu KiB stack vamap gives it: "
			"cr2 %p is in the guard page under it, so the #PF could not "
			"be delivered (UEFI 2.10 2.3.4: a runtime service may count "
			"on 4 KiB)\n", (unsigned long)EFI_CALL_STACK_KIB,
			(void *)fault.cr2);
		kprintf("efi:   rip: not known (a #DF saves none, SDM vol. 3A "
			"6.15)\n");
	} else {
		describe_for(label, "rip", fault.rip);
		describe_caller(label);
	}
	if (fault.vector == X86_TRAP_PF)
		describe_for(label, "cr2", fault.cr2);
	if (fault.arg_hit[0]) {
		kdetail(label, "efi:   %s wrote %s: the guard stopped it, no "
			"byte of vamap's changed\n", efi_rt_service_name(fault.svc),
			fault.arg_hit);
	} else if (fault.kernel_memory) {
		efi.kernel_refused++;
		kdetail(label, "efi:   the kernel's page was not lent to the firmware "
			"(absent or read-only): no byte of it changed\n");
	} else if (efi.strict && fault.vector == X86_TRAP_PF &&
		   fault.cr2 >= LOW_HALF_END &&
		   !efi_region_by_va(&efi.plan, fault.cr2)) {
		/* In the kernel half, and not the firmware's own region (a
		 * write to its RO code is the firmware's fault alone). */
		efi.strict_refused++;
		kdetail(label, "efi:   efi.strict kept this kernel memory out of efi_pgd "
			"(or read-only): no byte of it changed\n");
	}
	kprintf("efi: runtime services disabled; %s returns ABORTED and is "
		"not called again\n", efi_rt_service_name(fault.svc));
	efi.runtime_enabled = false;
	efi.fault_disabled = !efi.report_only;
	efi.disabled_why = fault.hung_ms ? "a firmware call that did not return"
					 : "a firmware fault";
}

/* The bottom of the stack this call runs on, for the thunk to paint: the
 * boot stack, which every call in the normal flow uses; 0 (no painting, no
 * measure) on any other, such as the #DF stack of a report after a fault. */
static u64 stack_floor(void)
{
	u64 rsp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	return rsp > (u64)boot_stack && rsp <= (u64)boot_stack_top
		       ? (u64)boot_stack : 0;
}

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
 * put its own state back), and keep the deepest stack use.
 */
static void check_abi(unsigned int svc, const struct efi_saved *s)
{
	struct efi_abi_regs want = efi_abi_pattern;
	const struct efi_abi_regs *got = efi_abi_out.valid ? &efi_abi_out : &want;
	unsigned int bit;
	u64 bad, b, a;

	want.rsp = efi_abi_out.want_rsp;
	/* The depth first: printing a finding below runs vamap's own code
	 * over the painted stack. A lent page's #PF ran vamap's handler on
	 * this stack too, so that call is not measured. */
	if (efi_stack_floor && efi_abi_out.valid && !fault.lent_this_call) {
		u64 used = efi_stack_used((const u64 *)efi_stack_floor,
					  want.rsp - 8 - efi_stack_floor);

		if (used > efi.stack_max) {
			efi.stack_max = used;
			efi.stack_max_svc = svc;
		}
	}
	bad = efi_abi_diff(&want, got, &s->before, &s->after, s->sse);
	if (bad && !efi.abi_bad_calls++)
		efi.abi_first_svc = svc;
	/* Each service's broken register once; the count says how often. */
	bad &= ~efi.abi_reported[svc];
	efi.abi_reported[svc] |= bad;
	for (bit = 0; bit < EFI_ABI_NR_BAD; bit++) {
		if (!(bad & (1ULL << bit)))
			continue;
		efi_abi_values(bit, &want, got, &s->before, &s->after, &b, &a);
		kdetail("efi.abi",
			"efi: finding: %s broke the calling convention: %s was "
			"0x%lx at the call, 0x%lx at the return; put back (%s)\n",
			efi_rt_service_name(svc), efi_abi_name(bit),
			(unsigned long)b, (unsigned long)a, abi_clause(bit));
	}
}

efi_status_t efi_call(enum efi_rt_service svc, unsigned int nargs, ...)
{
	u64 args[EFI_THUNK_MAX_ARGS] = { 0 };
	struct efi_saved saved;
	efi_status_t st;
	unsigned int i;
	va_list ap;
	u32 cpu;

	if (!efi.runtime_enabled || !efi.efi_pgd || !efi.fn[svc] ||
	    nargs > EFI_THUNK_MAX_ARGS)
		return EFI_ABORTED;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		args[i] = va_arg(ap, u64);
	va_end(ap);

	cpu = this_cpu_apic_id();
	if (!call_event(cpu, CALL_EV_ENTER))
		return EFI_ABORTED;
	current_svc = svc;
	efi.calls++;
	fault.pending = false;
	shared_counted = false;
	fault.cls = EFI_FAULT_EXCEPTION;
	fault.arg_hit[0] = '\0';
	fault.lent_this_call = 0;
	fault.hung_ms = 0;
	fault.stack_overflow = false;
	efi_stack_floor = bare ? 0 : stack_floor();
	if (!bare)
		bounce_in(svc, args, nargs);
	watchdog_arm(cpu);
	efi_enter(&saved);
	if (!bare) {
		saved.before = efi_thunk_want;
		capture_fpu(&saved.before, saved.sse);
	}
	efi_kguard_snapshot(); /* the last of vamap's writes are above */
	st = efi_thunk_call(efi.fn[svc], args, nargs);
	kguard_check("during the call");
	if (!bare) {
		saved.after = efi_abi_out.cpu;
		capture_fpu(&saved.after, saved.sse);
	}
	efi_leave(&saved);
	watchdog_disarm();
	call_event(cpu, CALL_EV_RETURN);
	if (!bare)
		check_abi(svc, &saved);
	efi_stack_floor = 0;
	if (bounce_out(!fault.pending) || fault.arg_hit[0]) {
		if (!efi.buf_bad++)
			efi.buf_bad_svc = svc;
		if (!fault.pending && st != EFI_ABORTED) {
			kdetail("efi.buffers", "efi:   %s's status %s is taken as "
				"ABORTED: what it wrote cannot be trusted\n",
				efi_rt_service_name(svc), efi_status_name(st));
			st = EFI_ABORTED;
		}
	}
	if (!fault.pending)
		return st;
	report_fault();
	return EFI_ABORTED;
}

bool efi_call_bare(bool on)
{
	if (on && efi.abi_bad_calls)
		return false; /* nothing would put back what the firmware breaks */
	bare = on;
	return true;
}

const char *efi_call_in_progress(u32 apic_id)
{
	enum efi_call_state s = call_cpu(apic_id)->state;

	if (!efi_thunk_rsp || (s != CALL_FIRMWARE && s != CALL_HANDLER))
		return NULL;
	return efi_rt_service_name(current_svc);
}
