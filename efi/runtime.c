// SPDX-License-Identifier: MIT
/*
 * Runtime-service calls: one enter/leave pair around the NASM thunk, the
 * call state every CPU is in (efi_call_state.h). Faults and their report
 * are efi/fault.c's, guarded buffers efi/bounce.c's, the calling-
 * convention check efi/abi_check.c's.
 *
 * Enter (UEFI 2.10, 2.3.4.1): interrupts off, CR3 ← efi_pgd, x87 control
 * word 0x037F (0x027F for 32-bit firmware, 2.3.2) and MXCSR 0x1F80 (the
 * states the spec requires at a service call), saving ours. Leave
 * restores all of it. On 32-bit firmware the thunk calls efi/thunk32.asm,
 * which calls the service in compatibility mode (efi/fw32.c).
 *
 * A fault the firmware makes ends the call at the thunk's recovery path
 * (efi/fault.c), so efi_call returns EFI_ABORTED and runtime services go
 * off; a service is never called twice for one request.
 */
#include <stdarg.h>
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
#include "smi.h"
#include "smp.h"
#include "watchdog.h"
#include "x86.h"

#define FPU_CW_UEFI 0x037f
#define FPU_CW_UEFI_IA32 0x027f /* UEFI 2.10 2.3.2: double precision */
#define MXCSR_UEFI 0x1f80

struct efi_state efi;
struct efi_call_fault call_fault;
unsigned int efi_current_svc;
static bool shared_counted; /* efi.shared counted this call already */
static unsigned int skip; /* efi_call_skip: a check's cost measured by its
			   * absence */

/*
 * Who owns each CPU in a firmware call (efi_call_state.h), by APIC ID as
 * kernel/traps.c keeps its trap state. Changed only through
 * efi_call_event; read by the trap handler, the watchdog and kernel_exit
 * through the functions below. Every change is made on swapper_pg_dir
 * (efi_call's own before efi_enter and after efi_leave, the handler's on
 * the table trap_handler switched to), where .bss is writable.
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
bool efi_call_event(u32 apic_id, enum efi_call_event ev)
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
	if (!efi_kguard_armed())
		return;
	if (efi_kguard_check(efi_rt_service_name(efi_current_svc), when) &&
	    !shared_counted) {
		shared_counted = true;
		if (!efi.shared_written++)
			efi.shared_first_svc = efi_current_svc;
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
		c->trap_tsc = rdtsc();
	}
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
	efi_call_event(apic_id, CALL_EV_RESUME);
	if (c->guarded)
		efi_kguard_snapshot(); /* the firmware's again from here */
}

enum efi_call_state efi_call_state_of(u32 apic_id)
{
	return __atomic_load_n(&call_cpu(apic_id)->state, __ATOMIC_ACQUIRE);
}

void efi_call_halt(u32 apic_id)
{
	efi_call_event(apic_id, CALL_EV_HALT);
}

/* On vamap's stack, which is written only under vamap's own table: the
 * thunk holds efi_pgd only while it is on the firmware-call stack. */
struct efi_saved {
	u64 rflags;
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
	u16 cw = efi.fw32 ? FPU_CW_UEFI_IA32 : FPU_CW_UEFI;
	u32 csr = MXCSR_UEFI;

	s->rflags = read_rflags();
	cli();
	s->sse = read_cr4() & X86_CR4_OSFXSR;
	efi_thunk_sse = s->sse;
	__asm__ volatile("fnstcw %0; fldcw %1" : "=m"(s->fcw) : "m"(cw));
	if (s->sse)
		__asm__ volatile("stmxcsr %0; ldmxcsr %1" : "=m"(s->mxcsr) : "m"(csr));
	/* The thunk loads efi_pgd once on the firmware-call stack (with
	 * the kernel's global TLB entries flushed where efi_pgd guards
	 * vamap's memory: the direct map, RW data), and this table back
	 * right after the call, before vamap's stack is written again:
	 * every guarded efi_pgd maps it read-only. A strict efi_pgd has no
	 * global entries to outlive the call; efi.shared's reaches the
	 * kernel's through read-only top entries, so those go too. */
	capture_system(&efi_thunk_want);
	efi_thunk_want.cr3 = efi.efi_pgd;
	efi_thunk_home_cr3 = read_cr3();
	efi_thunk_flush = !efi.guarded ? 0 : efi.strict ? EFI_THUNK_FLUSH_IN
				: EFI_THUNK_FLUSH_IN | EFI_THUNK_FLUSH_OUT;
}

static void efi_leave(const struct efi_saved *s)
{
	__asm__ volatile("fldcw %0" : : "m"(s->fcw));
	if (s->sse)
		__asm__ volatile("ldmxcsr %0" : : "m"(s->mxcsr));
	if (s->rflags & (1u << 9))
		__asm__ volatile("sti");
}

/* The stack the call runs on: efi_fw_stack when the boot CPU calls from
 * one of its own stacks — the boot stack (the normal flow, which efi.stack
 * measures: @measured) or an IST stack (a #DF, NMI or #MC that ended the
 * run, whose report is saved through a call: the firmware frames on
 * efi_fw_stack are dead by then, and it has more room than what is left
 * of the IST stack). The current stack (0) from a trap handler on
 * efi_fw_stack itself (a fault in a call, then the report saved after
 * it), below the handler's frames, and on any other CPU: efi_fw_stack is
 * the boot CPU's. kernel/entry.asm keeps the boot CPU's IST stacks
 * together, right below efi_fw_stack's guard page (bsp_ist_stacks). */
static u64 call_stack(bool *measured)
{
	extern char bsp_ist_stacks[];
	u64 rsp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	*measured = rsp > (u64)boot_stack && rsp <= (u64)boot_stack_top;
	if (!*measured && (rsp <= (u64)bsp_ist_stacks ||
			   rsp > (u64)efi_fw_stack - SZ_4K))
		return 0;
	return (u64)efi_fw_stack_top;
}

/*
 * A call made from the boot CPU's #DF, NMI or #MC handler runs on
 * efi_fw_stack, but that handler's frames (the thunk's saved registers,
 * the way back) stay on its IST stack; an exception of the same vector in
 * the call would start again at that stack's top, over them. For the call
 * the vector's IST slot points at a stack of its own (nested_ist_stack).
 */
struct ist_move {
	struct tss64 *tss; /* NULL: the call is not made from an IST stack */
	unsigned int slot;
	u64 old;
};

static void ist_move(u64 rsp, struct ist_move *m)
{
	extern char df_stack_top[], nmi_stack_top[], mc_stack_top[],
		nested_ist_stack_top[];
	static const unsigned int ist[] = { IST_DF, IST_NMI, IST_MC };
	const char *const top[] = { df_stack_top, nmi_stack_top, mc_stack_top };
	struct desc_ptr d;
	unsigned int i;

	m->tss = NULL;
	for (i = 0; i < ARRAY_SIZE(top); i++) {
		if (rsp >= (u64)top[i] || (u64)top[i] - rsp > BSP_IST_STACK_SIZE)
			continue;
		store_gdt(&d);
		m->tss = &((struct cpu_gdt *)d.base)->tss;
		m->slot = ist[i] - 1;
		m->old = m->tss->ist[m->slot];
		m->tss->ist[m->slot] = (u64)nested_ist_stack_top;
		return;
	}
}

/*
 * 32-bit firmware: the stack the call runs on as its alias below 4 GiB
 * (efi/fw32.c). A call on the current stack (from a trap handler on
 * efi_fw_stack) starts below what that handler holds; one from any other
 * stack cannot be made (0).
 */
static u64 call_stack32(u64 kstack)
{
	u64 rsp;

	if (kstack)
		return efi_fw32_alias(kstack);
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	if (rsp < (u64)efi_fw_stack + SZ_4K || rsp > (u64)efi_fw_stack_top)
		return 0;
	return efi_fw32_alias(ALIGN_DOWN(rsp - 512, 16));
}

/* A call a 32-bit firmware cannot take (efi_fw32_words): a line, nothing
 * called, everything efi_call set up for it undone. */
static void refuse32(unsigned int svc, const char *why, u32 cpu,
		     const struct ist_move *moved)
{
	kprintf("efi: %s not called: %s\n", efi_rt_service_name(svc), why);
	/* vamap's limit, not the firmware's: the check that wanted the
	 * call SKIPs, saying why, instead of failing on the ABORTED. */
	ktap_next_failure_skips("efi.fault", "%s not called on 32-bit firmware: %s",
				efi_rt_service_name(svc), why);
	efi_bounce_out(false);
	efi_stack_forget();
	efi_call_stack = 0;
	if (moved->tss)
		moved->tss->ist[moved->slot] = moved->old;
	efi.calls--;
	efi_call_event(cpu, CALL_EV_RETURN);
}

/* The SMIs one call took on the calling CPU (smi.h), into its service's
 * tally and efi.call_smis. */
static void count_smis(unsigned int svc, u32 smis)
{
	struct efi_smi_tally *t = &efi.smi[svc];

	efi.call_smis = smis;
	if (smis == SMI_UNKNOWN)
		return;
	t->calls++;
	t->smis += smis;
	if (smis > t->most)
		t->most = smis;
}

/* test=smi-ipi: an SMI to the first online AP right before the call,
 * another CPU entering SMM on its own as the call starts (what a CPU the
 * host runs late does to an SMM rendezvous). The calls made before the
 * APs start (SetVirtualAddressMap's) have no one to send it to. Said
 * once, at the first SMI. */
static void smi_ipi_test(void)
{
	static bool said;
	u32 target;

	if (!smp_online_ap(&target))
		return;
	if (!said)
		kprintf("test: smi-ipi: an SMI to cpu %u before every runtime "
			"call from here on\n", target);
	said = true;
	if (!smp_send_smi(target))
		kprintf("test: smi-ipi: the SMI to cpu %u was not sent\n",
			target);
}

efi_status_t efi_call(enum efi_rt_service svc, unsigned int nargs, ...)
{
	u64 args[EFI_THUNK_MAX_ARGS] = { 0 };
	u64 words[EFI_THUNK_MAX_ARGS], fn;
	unsigned int nwords = 0;
	const char *why32 = NULL;
	struct efi_saved saved;
	efi_status_t st;
	unsigned int i;
	va_list ap;
	u64 used = 0;
	bool measured;
	struct ist_move moved = { 0 };
	u32 cpu, smi_before, smi_after;
	bool held;

	if (!efi.runtime_enabled || !efi.efi_pgd || !efi.fn[svc] ||
	    nargs > EFI_THUNK_MAX_ARGS)
		return EFI_ABORTED;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		args[i] = va_arg(ap, u64);
	va_end(ap);

	efi.call_smis = SMI_UNKNOWN; /* until this call is counted */
	cpu = this_cpu_apic_id();
	if (!efi_call_event(cpu, CALL_EV_ENTER))
		return EFI_ABORTED;
	efi_current_svc = svc;
	efi.calls++;
	call_fault.pending = false;
	shared_counted = false;
	call_fault.cls = EFI_FAULT_EXCEPTION;
	call_fault.arg_hit[0] = '\0';
	call_fault.lent_this_call = 0;
	call_fault.hung_ms = 0;
	call_fault.stack_overflow = false;
	call_fault.frame_above = 0;
	efi_call_stack = call_stack(&measured);
	if (efi.fw32)
		efi_call_stack = call_stack32(efi_call_stack);
	moved.tss = NULL;
	if (efi_call_stack && !measured) {
		u64 rsp;

		__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
		ist_move(rsp, &moved);
	}
	/* Its return address, home space and stack arguments, 16-aligned
	 * at the call (efi/thunk.asm): the frame ends at the stack's top
	 * or a quadword under it. */
	call_fault.frame_end = efi.fw32
		/* vamap's address of the stack's top, as a fault's address
		 * is taken (efi/thunk32.asm's frame is below) */
		? efi_fw32_unalias(efi_call_stack)
		: efi_call_stack - 8 * (nargs > 4 && nargs % 2);
	if (efi_call_stack && measured && !(skip & EFI_SKIP_STACK))
		efi_stack_prepare();
	/* On 32-bit firmware the copies are how the call reaches vamap's
	 * buffers at all (their aliases below 4 GiB): never skipped. */
	if (!(skip & EFI_SKIP_BUFFERS) || efi.fw32)
		efi_bounce_in(svc, args, nargs);
	fn = efi.fn[svc];
	if (efi.fw32) {
		if (!efi_call_stack)
			why32 = "the call would run on a stack that has no alias "
				"below 4 GiB";
		else
			nwords = efi_fw32_words(svc, args, nargs, fn,
						efi_fw32_arg_alias, words,
						EFI_THUNK_MAX_ARGS, &why32);
		if (!nwords) {
			refuse32(svc, why32, cpu, &moved);
			return EFI_ABORTED;
		}
		fn = efi_fw32_entry();
	}
	watchdog_arm(cpu);
	/* test=smi-late: before the state the call must give back is taken
	 * (EFER.SVME on for CLGI is the caller's, not the firmware's). */
	held = efi.hold_smis_once && smi_hold();
	efi.hold_smis_once = false;
	efi_enter(&saved);
	if (!(skip & EFI_SKIP_ABI)) {
		saved.before = efi_thunk_want;
		capture_fpu(&saved.before, saved.sse);
	}
	if (kopt.test & TEST_SMI_IPI)
		smi_ipi_test();
	if (!(skip & EFI_SKIP_SHARED) && !efi.strict)
		efi_kguard_snapshot(); /* the last of vamap's writes are above */
	smi_before = smi_count();
	st = efi.fw32 ? efi_thunk_call(fn, words, nwords)
		      : efi_thunk_call(fn, args, nargs);
	smi_after = smi_count();
	if (!(skip & EFI_SKIP_SHARED) && !efi.strict)
		kguard_check("during the call");
	count_smis(svc, smi_between(smi_before, smi_after)); /* after that */
	if (!(skip & EFI_SKIP_ABI)) {
		saved.after = efi_abi_out.cpu;
		capture_fpu(&saved.after, saved.sse);
	}
	efi_leave(&saved);
	if (held)
		smi_release(); /* what waited is taken here, uncounted */
	watchdog_disarm();
	efi_call_event(cpu, CALL_EV_RETURN);
	/* How deep the call went into efi_fw_stack (efi/abi_check.c). */
	if (measured && !(skip & EFI_SKIP_STACK))
		used = efi_stack_depth();
	else
		efi_stack_forget(); /* unmeasured: painted afresh next time */
	if (!(skip & EFI_SKIP_ABI))
		efi_abi_check(svc, &saved.before, &saved.after, saved.sse, used);
	efi_call_stack = 0;
	if (moved.tss)
		moved.tss->ist[moved.slot] = moved.old;
	if (call_fault.frame_above && !call_fault.pending)
		efi_report_frame_above(svc, false, 0); /* the alignment slot */
	if (efi_bounce_out(!call_fault.pending) || call_fault.arg_hit[0]) {
		if (!efi.buf_bad++)
			efi.buf_bad_svc = svc;
		if (!call_fault.pending && st != EFI_ABORTED) {
			kdetail("efi.buffers", "efi:   %s's status %s is taken as "
				"ABORTED: what it wrote cannot be trusted\n",
				efi_rt_service_name(svc), efi_status_name(st));
			st = EFI_ABORTED;
			/* The finding is efi.buffers', not the status's. */
			ktap_next_failure_skips("efi.buffers", "%s wrote outside "
						"the buffers it was handed: see "
						"efi.buffers", efi_rt_service_name(svc));
		}
	}
	efi_answered(svc, call_fault.pending ? EFI_ABORTED : st);
	if (!call_fault.pending)
		return st;
	efi_report_fault();
	return EFI_ABORTED;
}

bool efi_call_skip(unsigned int mask)
{
	if ((mask & EFI_SKIP_ABI) && efi.abi_bad_calls)
		return false; /* nothing would put back what the firmware breaks */
	skip = mask;
	return true;
}

const char *efi_call_in_progress(u32 apic_id)
{
	enum efi_call_state s = call_cpu(apic_id)->state;

	if (!efi_thunk_rsp || (s != CALL_FIRMWARE && s != CALL_HANDLER))
		return NULL;
	return efi_rt_service_name(efi_current_svc);
}

