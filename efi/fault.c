// SPDX-License-Identifier: MIT
/*
 * A fault inside the firmware (efi_state.h, efi_fault_hook): the decision
 * table (efi/fault_policy.c) lends one page and resumes, or the call is
 * ended at the thunk's recovery path; then its report — the regions,
 * attributes entries and PE/COFF images that hold RIP, CR2 and, for a
 * jump to no code, the caller — and runtime services off.
 */
#include "addr.h"
#include "bytes.h"
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

#define KERNEL_CS GDT_SELECTOR(GDT_KERNEL_CODE)
#define KERNEL_DS GDT_SELECTOR(GDT_KERNEL_DATA)
#define KERNEL_CS32 GDT_SELECTOR(GDT_KERNEL_CODE32)

static void describe(const char *what, u64 a);

/* test=slow-lend: the handler lending a page outlasts efi.timeout= (a
 * slow console does it on real machines), so the watchdog's NMI lands in
 * vamap's handler, which must not end the call nor count the time. */
static void slow_lend(void)
{
	static bool done;

	if (done)
		return; /* once: each costs the suite efi.timeout= */
	done = true;
	kprintf("test: the handler lending a page spins %u ms\n",
		kopt.efi_timeout_ms + 300);
	delay_us((kopt.efi_timeout_ms + 300) * 1000ULL);
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
	call_fault.lent_this_call++;
	efi.lent_pages++;
	if (in->window) {
		efi.lent_window++;
		ksnprintf(phys, sizeof(phys), ", physical 0x%016lx",
			  (unsigned long)in->pa);
	}
	kdetail("efi.low_half",
		"efi: finding: %s: %s at %p (%s desc %u +0x%lx%s) %s, rip %p; %s "
		"(%s)\n", efi_rt_service_name(efi_current_svc),
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
	if (!efi_call_event(this_cpu_apic_id(), CALL_EV_END))
		return;
	call_fault.pending = true;
	call_fault.svc = efi_current_svc;
	call_fault.vector = f->vector;
	call_fault.error = f->error;
	call_fault.rip = f->rip;
	call_fault.cr2 = cr2;
	/* A fetch that faulted at its own target after a CALL: the return
	 * address is on top of the call's stack now, and will not be once
	 * vamap's own code runs there. */
	call_fault.caller = 0;
	if (f->vector == X86_TRAP_PF && (f->error & PF_ERR_FETCH) && f->rip == cr2) {
		/* A 32-bit service's CALL left 4 bytes, on the alias of
		 * efi_fw_stack (efi/fw32.c). */
		u64 rsp = efi_fw32_unalias(f->rsp);
		u64 w = f->cs == KERNEL_CS32 ? 4 : 8;

		if (!(rsp & (w - 1)) && rsp >= (u64)efi_fw_stack &&
		    rsp + w <= (u64)efi_fw_stack_top)
			call_fault.caller = w == 4 ? *(const u32 *)rsp
						   : *(const u64 *)rsp;
	}
	call_fault.why = why;
	call_fault.kernel_memory = kernel_memory;
	f->rip = (u64)efi_thunk_fault_resume;
	f->rsp = efi_thunk_rsp;
	f->rax = EFI_ABORTED;
	f->cs = KERNEL_CS;
	f->ss = KERNEL_DS;
}

bool efi_fault_hook(struct trap_frame *f, u32 apic_id, enum efi_call_state was)
{
	struct efi_fault_in in;
	struct efi_fault_decision d;
	u64 cr2k; /* vamap's own address for an alias below 4 GiB (fw32) */

	if (was != CALL_FIRMWARE || !efi_call_in_progress(apic_id))
		return false;
	cr2k = efi_fw32_unalias(read_cr2());
	/* A #DF whose CR2 is in the guard under the call's stack: the
	 * firmware ran off the stack (the #PF could not push its frame). */
	if (f->vector == X86_TRAP_DF && efi_call_stack &&
	    cr2k - ((u64)efi_fw_stack - SZ_4K) < SZ_4K) {
		end_call(f, read_cr2(), "the call ran off its stack", false);
		call_fault.stack_overflow = true;
		return true;
	}
	/* Above its own frame: the guard page over efi_fw_stack's top. */
	if (f->vector == X86_TRAP_PF && efi_call_stack &&
	    cr2k - (u64)efi_fw_stack_top < SZ_4K) {
		end_call(f, read_cr2(), "above its own stack frame: the guard "
			 "page over the firmware-call stack", false);
		call_fault.frame_above = cr2k - call_fault.frame_end + 1;
		call_fault.cls = EFI_FAULT_OUTSIDE;
		return true;
	}
	/* Not the firmware's doing: the caller reports them as what they are. */
	if (f->vector == X86_TRAP_NMI || f->vector == X86_TRAP_DF ||
	    f->vector == X86_TRAP_MC)
		return false;
	/* Outside a buffer vamap handed it: the guard did its job. */
	if (f->vector == X86_TRAP_PF &&
	    efi_bounce_guard_hit(cr2k, call_fault.arg_hit,
				 sizeof(call_fault.arg_hit))) {
		end_call(f, read_cr2(), "outside the buffer it was handed: a "
			 "guard page of vamap's argument arena", false);
		call_fault.cls = EFI_FAULT_OUTSIDE;
		return true;
	}
	if (f->vector == X86_TRAP_PF &&
	    efi_current_svc == RT_SET_VIRTUAL_ADDRESS_MAP &&
	    efi_svam_guard_hit(read_cr2(), call_fault.arg_hit,
			       sizeof(call_fault.arg_hit))) {
		end_call(f, read_cr2(), "outside the map it was handed: a guard "
			 "page beside vamap's SetVirtualAddressMap map", false);
		call_fault.cls = EFI_FAULT_NO_1TO1;
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
	in.lent_this_call = call_fault.lent_this_call;
	in.lent_total = (unsigned int)efi.lent_pages;
	efi_fault_decide(&in, &d);
	if (d.action == EFI_FAULT_LEND) {
		if (!lend_page(f, &in, &d))
			return true; /* resume the faulting instruction */
		d.why = "no memory for a table page to lend it";
	}
	end_call(f, in.cr2, d.why, d.kernel_owned);
	call_fault.cls = d.cls;
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
	if (efi_call_state_of(apic_id) != CALL_HANDLER ||
	    !efi_call_in_progress(apic_id))
		return; /* the call returned as the deadline passed */
	call_fault.hung_ms = ms;
	call_fault.watcher = by;
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

/* The firmware's runtime images, from the stub (struct boot_rt_image). */
static struct boot_rt_image rt_images[BOOT_RT_IMAGES_MAX];
static u32 nr_rt_images;

/* On init_pg_dir, where RAM is 1:1: the stub's array is where it left it. */
void efi_keep_rt_images(const struct boot_info *bi)
{
	if (!bi->rt_images)
		return;
	nr_rt_images = MIN(bi->nr_rt_images, (u32)BOOT_RT_IMAGES_MAX);
	memcpy(rt_images, (const void *)bi->rt_images,
	       nr_rt_images * sizeof(rt_images[0]));
}

/* The firmware runtime image loaded at physical @pa, or NULL. */
static const struct boot_rt_image *rt_image_at(u64 pa)
{
	u32 i;

	for (i = 0; i < nr_rt_images; i++)
		if (rt_images[i].base == pa)
			return &rt_images[i];
	return NULL;
}

/* The PE/COFF image holding byte @off of the RAM [@pa, @pa + @size),
 * shown at @va (its address as the firmware uses it), with its CodeView
 * name and the driver file the stub started, if any. */
static void describe_image(const char *label, u64 pa, u64 size, u64 va, u64 off)
{
	const struct mem_region *m = mm_region_at(pa);
	const struct boot_driver *d;
	const struct boot_rt_image *f;
	struct pe_image im;
	char who[128];

	/* Read through the direct map only what it maps: RAM, all of it. */
	if (!m || !m->ram || pa + size > m->end ||
	    !pe_image_find(__va(pa), size, off, &im))
		return;
	/* Named by its CodeView entry, by the file the stub started, or both;
	 * else by the firmware file it was loaded from, as EDK2's device-path
	 * text writes it (FvFile(GUID): its INF's FILE_GUID). */
	d = driver_at(pa + im.base);
	f = d || im.name[0] ? NULL : rt_image_at(pa + im.base);
	if (d)
		ksnprintf(who, sizeof(who), "%s%sdriver \\vamap\\drivers\\%s",
			  im.name, im.name[0] ? ", " : "", d->name);
	else if (f && f->has_file)
		ksnprintf(who, sizeof(who), "no CodeView name; loaded from "
			  "FvFile(%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X)",
			  rd32(f->file), rd16(f->file + 4), rd16(f->file + 6),
			  f->file[8], f->file[9], f->file[10], f->file[11],
			  f->file[12], f->file[13], f->file[14], f->file[15]);
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
		char obj[96];

		m = mm_region_at(pa);
		if (m && efi_kernel_object_name(a, obj, sizeof(obj)))
			kdetail(label, "efi:   %s %p in the direct map: physical "
				"0x%016lx, %s\n", what, (void *)a, (unsigned long)pa,
				obj);
		else if (m)
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
/* A call that touched memory above its own frame on efi_fw_stack: the
 * guard page over the stack stopped it, or it wrote the one quadword of
 * alignment left between its frame and that page. */
void efi_report_frame_above(unsigned int svc, bool faulted, u64 error)
{
	static u32 reported; /* each service's first, as efi.abi's */

	if (!efi.stack_above++)
		efi.stack_above_svc = svc;
	if (!faulted && (reported & (1u << svc)))
		return;
	reported |= 1u << svc;
	if (faulted)
		kdetail("efi.stack", "efi: finding: %s %s byte %lu above its own "
			"stack frame, in its caller's: the guard page over the "
			"stack (UEFI 2.10 2.3.4.2: a callee owns its return "
			"address, the 32-byte home space and its stack "
			"arguments; here they end at %p)\n",
			efi_rt_service_name(svc),
			error & PF_ERR_WRITE ? "wrote" : "read",
			(unsigned long)call_fault.frame_above,
			(void *)call_fault.frame_end);
	else
		kdetail("efi.stack", "efi: finding: %s wrote the %lu bytes right "
			"above its own stack frame, in its caller's (UEFI 2.10 "
			"2.3.4.2: a callee owns its return address, the 32-byte "
			"home space and its stack arguments; here they end at "
			"%p); later calls counted, not printed\n",
			efi_rt_service_name(svc),
			(unsigned long)call_fault.frame_above,
			(void *)call_fault.frame_end);
}

static void describe_caller(const char *label)
{
	if (!call_fault.caller)
		return;
	kdetail(label, "efi:   a jump to no code: the return address on the "
		"stack, %p, names the caller\n", (void *)call_fault.caller);
	describe_for(label, "caller", call_fault.caller);
}

/* A #PF in the kernel half, not in the firmware's own window (a write to
 * its RO code, a wild pointer between its regions: the firmware's fault
 * alone), which a guarded efi_pgd left out or read-only. */
static bool guard_refused(void)
{
	struct efi_window w;

	efi_mode_window(efi.mode, &w);
	return efi.guarded && call_fault.vector == X86_TRAP_PF &&
	       call_fault.cr2 >= LOW_HALF_END &&
	       !(call_fault.cr2 >= w.base && call_fault.cr2 < w.top) &&
	       !efi_region_by_va(&efi.plan, call_fault.cr2);
}

/* The check a fault's lines belong to, whose verdict comes later: the
 * service's own check, which follows at once, is a SKIP that names it. */
static const char *fault_label(void)
{
	if (call_fault.hung_ms)
		return "efi.watchdog";
	if (call_fault.vector == X86_TRAP_NMI)
		return "trap.nmi_during_call"; /* vamap's, not the firmware's */
	if (call_fault.stack_overflow || call_fault.frame_above)
		return "efi.stack";
	if (call_fault.arg_hit[0])
		return "efi.buffers";
	if (efi_fault_stray(call_fault.cls))
		return "efi.low_half";
	if (guard_refused())
		return efi.strict ? "efi.strict" : "efi.shared";
	return "efi.fault";
}

void efi_report_fault(void)
{
	const char *label = fault_label();

	if (call_fault.hung_ms) {
		efi.hung_calls++;
		kdetail(label, "efi: firmware call %s did not return within %u ms; the "
			"watchdog's NMI (%s) found it at rip %p\n",
			efi_rt_service_name(call_fault.svc), call_fault.hung_ms,
			call_fault.watcher, (void *)call_fault.rip);
	} else {
		kdetail(label, "efi: firmware fault in %s: %s (vector %lu) error 0x%lx\n",
			efi_rt_service_name(call_fault.svc), trap_name(call_fault.vector),
			call_fault.vector, call_fault.error);
	}
	/* The class where the reason does not say it already. */
	if (call_fault.vector == X86_TRAP_PF && call_fault.cls != EFI_FAULT_PROTECTION)
		kprintf("efi:   %s (%s): %s\n", efi_pf_access(call_fault.error),
			efi_fw32_unalias(call_fault.cr2) != call_fault.cr2
			? "an alias of vamap's memory below 4 GiB"
			: efi_fault_class_name(call_fault.cls), call_fault.why);
	else if (call_fault.vector == X86_TRAP_PF)
		kprintf("efi:   %s: %s\n", efi_pf_access(call_fault.error), call_fault.why);
	if (efi_fault_stray(call_fault.cls))
		efi.stray_refused++;
	if (call_fault.stack_overflow) {
		if (!efi.stack_overflows++)
			efi.stack_overflow_svc = call_fault.svc;
		kdetail(label, "efi:   the call ran off the %lu KiB stack vamap gives it: "
			"cr2 %p is in the guard page under it, so the #PF could not "
			"be delivered (UEFI 2.10 2.3.4: a runtime service may count "
			"on 4 KiB)\n", (unsigned long)EFI_CALL_STACK_KIB,
			(void *)call_fault.cr2);
		kprintf("efi:   rip: not known (a #DF saves none, SDM vol. 3A "
			"6.15)\n");
	} else {
		describe_for(label, "rip", call_fault.rip);
		describe_caller(label);
	}
	if (call_fault.vector == X86_TRAP_PF)
		describe_for(label, "cr2", call_fault.cr2);
	if (call_fault.frame_above) {
		efi_report_frame_above(call_fault.svc, true, call_fault.error);
		kdetail(label, "efi:   the guard page stopped it: no byte of "
			"vamap's changed\n");
	} else if (call_fault.arg_hit[0]) {
		kdetail(label, "efi:   %s %s %s: the guard stopped it, no "
			"byte of vamap's changed\n", efi_rt_service_name(call_fault.svc),
			call_fault.error & PF_ERR_WRITE ? "wrote" : "read",
			call_fault.arg_hit);
	} else if (call_fault.kernel_memory) {
		efi.kernel_refused++;
		kdetail(label, "efi:   the kernel's page was not lent to the firmware "
			"(absent or read-only): no byte of it changed\n");
	} else if (guard_refused()) {
		if (!efi.guard_refused++)
			efi.guard_refused_svc = call_fault.svc;
		if (efi.strict)
			kdetail(label, "efi:   efi.strict kept this kernel memory "
				"out of efi_pgd (or read-only): no byte of it "
				"changed\n");
		else
			kdetail(label, "efi:   efi.shared keeps what it cannot copy "
				"read-only in efi_pgd (vamap's stack and trap state, "
				"the direct map, the late mappings, the fixmap): no "
				"byte of it changed\n");
	}
	if (!call_fault.hung_ms && call_fault.vector != X86_TRAP_NMI &&
	    !efi.faults++) {
		efi.fault_svc = call_fault.svc;
		efi.fault_vector = call_fault.vector;
	}
	/* The service's check fails on the ABORTED it gets back: the fault is
	 * the verdict (efi.fault, or the check named above), not the status. */
	if (call_fault.hung_ms || call_fault.vector == X86_TRAP_NMI)
		ktap_next_failure_skips(label, "%s was ended by %s: see %s",
					efi_rt_service_name(call_fault.svc),
					call_fault.hung_ms ? "the watchdog"
							   : "an NMI", label);
	else
		ktap_next_failure_skips(label, "%s ended in a firmware fault: "
					"see efi.fault%s%s",
					efi_rt_service_name(call_fault.svc),
					strcmp(label, "efi.fault") ? " and " : "",
					strcmp(label, "efi.fault") ? label : "");
	kprintf("efi: runtime services disabled; %s returns ABORTED and is "
		"not called again\n", efi_rt_service_name(call_fault.svc));
	efi.runtime_enabled = false;
	efi.fault_disabled = !efi.report_only;
	efi.disabled_why = call_fault.hung_ms ? "a firmware call that did not return"
					 : "a firmware fault";
}
