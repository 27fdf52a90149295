// SPDX-License-Identifier: MIT
/*
 * Exception handling. An unexpected exception prints everything needed to
 * find it (vector, error code decoded, RIP, CR2, CR3, registers) and ends
 * the run with VAMAP_EXIT_FAULT; it never returns into the code that
 * faulted, and a fault inside this handler stops at once instead of
 * recursing into a triple fault.
 */
#include "efi_state.h"
#include "exitcode.h"
#include "kernel.h"
#include "ksyms.h"
#include "mm.h"
#include "traps.h"
#include "watchdog.h"
#include "x86.h"

static const char *const names[X86_NR_EXCEPTIONS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25",
	"reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

const char *trap_name(u64 vector)
{
	return vector < X86_NR_EXCEPTIONS ? names[vector] : "interrupt";
}

unsigned int nmi_count, nmi_during_call;

/*
 * What one CPU's trap handler keeps: how deep it is in traps (a second
 * trap inside a handler stops the run, an NMI excepted) and the one fault
 * it was told to expect (trap_expect). One per CPU, by APIC ID (distinct
 * for up to 1024 CPUs), so a parked AP's NMI never reads or changes the
 * BSP's state. The firmware-call context is efi/runtime.c's, recorded
 * with the calling CPU (efi_call_in_progress).
 */
#define TRAP_CPU_SLOTS 1024
struct trap_cpu {
	unsigned int depth;
	struct {
		bool armed, seen;
		unsigned int vector;
		u64 resume, error, cr2;
	} expect;
};
static struct trap_cpu trap_cpus[TRAP_CPU_SLOTS] __kguard_unwatched; /* by CPU */

static struct trap_cpu *trap_cpu(u32 apic_id)
{
	return &trap_cpus[apic_id % TRAP_CPU_SLOTS];
}

u32 this_cpu_apic_id(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0xb) {
		cpuid(0xb, 0, &a, &b, &c, &d);
		if (b)
			return d; /* x2APIC ID */
	}
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

void trap_expect(unsigned int vector, u64 resume)
{
	struct trap_cpu *t = trap_cpu(this_cpu_apic_id());

	t->expect.armed = true;
	t->expect.vector = vector;
	t->expect.resume = resume;
	t->expect.seen = false;
}

bool trap_expected_seen(u64 *error, u64 *cr2)
{
	struct trap_cpu *t = trap_cpu(this_cpu_apic_id());

	if (error)
		*error = t->expect.error;
	if (cr2)
		*cr2 = t->expect.cr2;
	t->expect.armed = false; /* one that never came must not wait on */
	return t->expect.seen;
}

/* SDM vol. 3A, figure 4-12: page-fault error code. */
static void print_pf_error(u64 e)
{
	kprintf(" [%s, %s, %s%s%s]", e & 1 ? "protection" : "not-present",
		e & 2 ? "write" : "read", e & 4 ? "user" : "kernel",
		e & 8 ? ", reserved-bit" : "", e & 16 ? ", fetch" : "");
}

/* A frame pointer the walk may read: 8-aligned, inside the kernel image
 * (the boot and IST stacks are there), not in a stack's guard page. */
static bool frame_readable(u64 fp)
{
	return !(fp & 7) && fp >= (u64)__kernel_start &&
	       fp + 16 <= (u64)__kernel_end && !mm_stack_guard(fp) &&
	       !mm_stack_guard(fp + 8);
}

/* The callers, by the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer): each return address in kernel text, named; a
 * frame that repeats (a recursion) is counted, not printed again. */
static void call_trace(u64 fp)
{
	u64 off, size, last = 0;
	unsigned int n, shown = 0, repeats = 0;
	const char *name;

	for (n = 0; n < 256 && shown < 16 && frame_readable(fp); n++) {
		u64 ret = ((const u64 *)fp)[1], next = ((const u64 *)fp)[0];

		if (ret < (u64)__text_start || ret >= (u64)__text_end)
			break;
		if (ret == last) {
			repeats++;
		} else {
			if (repeats)
				kprintf("    (the frame above %u more times)\n",
					repeats);
			repeats = 0;
			if (!shown++)
				kprintf("  call trace:\n");
			/* Named by ret - 1: a call that ends its function
			 * returns past it (to _start's hang loop after kmain). */
			name = ksym_lookup(ret - 1, &off, &size);
			if (name)
				kprintf("    %p (%s+0x%lx/0x%lx)\n", (void *)ret,
					name, (unsigned long)off + 1,
					(unsigned long)size);
			else
				kprintf("    %p\n", (void *)ret);
			last = ret;
		}
		if (next <= fp)
			break;
		fp = next;
	}
	if (repeats)
		kprintf("    (the frame above %u more times%s)\n", repeats,
			n == 256 ? ", and more" : "");
}

static void report(const struct trap_frame *f)
{
	const char *name = trap_name(f->vector), *stack;
	char sym[96];

	kprintf("EXCEPTION: %s (vector %lu) error 0x%lx", name, f->vector,
		f->error);
	if (f->vector == X86_TRAP_PF)
		print_pf_error(f->error);
	kprintf("\n");
	ksym_format(f->rip, sym, sizeof(sym));
	kprintf("  rip %p%s  cs 0x%lx  rflags 0x%lx\n", (void *)f->rip, sym,
		f->cs, f->rflags);
	kprintf("  cr2 %p  cr3 %p\n", (void *)read_cr2(), (void *)read_cr3());
	kprintf("  rsp %p  rbp %p\n", (void *)f->rsp, (void *)f->rbp);
	kprintf("  rax %p  rbx %p  rcx %p\n", (void *)f->rax, (void *)f->rbx,
		(void *)f->rcx);
	kprintf("  rdx %p  rsi %p  rdi %p\n", (void *)f->rdx, (void *)f->rsi,
		(void *)f->rdi);
	stack = f->vector == X86_TRAP_PF || f->vector == X86_TRAP_DF
			? mm_stack_guard(read_cr2()) : NULL;
	if (stack)
		kprintf("  cr2 is in the guard page under %s%s\n", stack,
			strlen(stack) >= 5 && !memcmp(stack + strlen(stack) - 5,
						      "stack", 5)
			? ": that stack overflowed" : "");
	if (f->vector == X86_TRAP_PF) {
		kprintf("  walk of cr2 through the live table %p:\n",
			(void *)live_pgd);
		mm_report_walk(read_cr2());
	}
	if (f->rip >= (u64)__text_start && f->rip < (u64)__text_end)
		call_trace(f->rbp);
}

static void handle(struct trap_frame *f, u32 cpu, enum efi_call_state was);

/*
 * A trap in a firmware call runs its handler on swapper_pg_dir: a guarded
 * efi_pgd maps vamap's stack and trap state read-only (and the direct map
 * not at all, or read-only), and the firmware may have loaded a CR3 of its
 * own. The CR3 the trap
 * came with is put back (the kernel's global entries flushed) on the way
 * out, so a resumed call runs on what it ran on.
 */
void trap_handler(struct trap_frame *f)
{
	u64 cr3 = read_cr3();
	u32 cpu = this_cpu_apic_id();
	bool away = swapper_pg_dir && cr3 != swapper_pg_dir &&
		    ((efi.guarded && cr3 == efi.efi_pgd) ||
		     efi_call_in_progress(cpu));
	enum efi_call_state was;

	if (away) {
		/* efi.shared's efi_pgd reaches the kernel's global leaves
		 * through read-only top entries: what the TLB kept from
		 * them would stay read-only here. */
		write_cr3(swapper_pg_dir);
		flush_tlb_all();
	}
	was = efi_call_trap_enter(cpu);
	handle(f, cpu, was);
	/* From here to the IRETQ (trap_in_vamap) the CPU is back in the
	 * call's state though vamap's code still runs; still on
	 * swapper_pg_dir, where the state is writable. */
	efi_call_trap_exit(cpu, was);
	if (away) {
		write_cr3(cr3);
		flush_tlb_all();
	}
}

bool trap_in_vamap(u64 rip)
{
	extern char __stand_in_start[], __stand_in_end[];

	if (rip >= (u64)__stand_in_start && rip < (u64)__stand_in_end)
		return false; /* efi/inject.c's stand-ins play firmware */
	return rip >= (u64)__text_start && rip < (u64)__text_end;
}

/* @was: the firmware-call state the trap interrupted (efi_call_state.h). */
static void handle(struct trap_frame *f, u32 cpu, enum efi_call_state was)
{
	struct trap_cpu *t = trap_cpu(cpu);
	unsigned int *dp = &t->depth;
	const char *svc = efi_call_in_progress(cpu);

	/* A trap inside vamap's handler stops the run, but for an NMI and a
	 * fault of a firmware call made from inside a handler (the report
	 * kernel_exit saves after a fatal exception: guarded like any call). */
	if ((*dp)++ && f->vector != X86_TRAP_NMI && was != CALL_FIRMWARE) {
		kprintf("EXCEPTION: vector %lu at rip %p on cpu %u while handling "
			"an exception; stopping\n", f->vector, (void *)f->rip, cpu);
		kernel_exit(VAMAP_EXIT_FAULT);
	}
	/* An NMI is nobody's fault: note it and carry on, on any CPU and
	 * inside a firmware call too (it arrives on its own IST stack). */
	if (f->vector == X86_TRAP_NMI) {
		if (watchdog_nmi(f, cpu, was)) {
			(*dp)--;
			return;
		}
		kprintf("trap: NMI on cpu %u at rip %p%s%s%s; resumed\n", cpu,
			(void *)f->rip, svc ? " during " : "", svc ? svc : "",
			was == CALL_HANDLER ? " (in vamap's handler)" : "");
		nmi_count++;
		if (svc)
			nmi_during_call++;
		(*dp)--;
		return;
	}
	/* A fault inside a firmware call ends the call (or, with a page lent,
	 * resumes it), not the run. */
	if (efi_fault_hook(f, cpu, was)) {
		(*dp)--;
		return;
	}
	if (t->expect.armed && f->vector == t->expect.vector) {
		t->expect.armed = false;
		t->expect.seen = true;
		t->expect.error = f->error;
		t->expect.cr2 = f->vector == X86_TRAP_PF ? read_cr2() : 0;
		if (t->expect.resume)
			f->rip = t->expect.resume;
		(*dp)--;
		return;
	}
	if (svc)
		kprintf("EXCEPTION during the firmware call %s (%s: not a fault "
			"of the firmware's code)\n", svc,
			f->vector == X86_TRAP_DF ? "double fault: a stack overflowed"
			: f->vector == X86_TRAP_MC ? "machine check: the hardware"
						   : "not recoverable");
	report(f);
	kernel_exit(VAMAP_EXIT_FAULT);
}
