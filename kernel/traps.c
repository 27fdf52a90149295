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

static struct {
	bool armed;
	unsigned int vector;
	u64 resume;
	bool seen;
	u64 error, cr2;
} expect;

/* Trap nesting per CPU, by APIC ID (distinct for up to 1024 CPUs). */
#define TRAP_DEPTH_SLOTS 1024
static unsigned int depth[TRAP_DEPTH_SLOTS];

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
	expect.armed = true;
	expect.vector = vector;
	expect.resume = resume;
	expect.seen = false;
}

bool trap_expected_seen(u64 *error, u64 *cr2)
{
	if (error)
		*error = expect.error;
	if (cr2)
		*cr2 = expect.cr2;
	return expect.seen;
}

/* SDM vol. 3A, figure 4-12: page-fault error code. */
static void print_pf_error(u64 e)
{
	kprintf(" [%s, %s, %s%s%s]", e & 1 ? "protection" : "not-present",
		e & 2 ? "write" : "read", e & 4 ? "user" : "kernel",
		e & 8 ? ", reserved-bit" : "", e & 16 ? ", fetch" : "");
}

static void report(const struct trap_frame *f)
{
	const char *name = trap_name(f->vector), *stack;

	kprintf("EXCEPTION: %s (vector %lu) error 0x%lx", name, f->vector,
		f->error);
	if (f->vector == X86_TRAP_PF)
		print_pf_error(f->error);
	kprintf("\n");
	kprintf("  rip %p  cs 0x%lx  rflags 0x%lx\n", (void *)f->rip, f->cs,
		f->rflags);
	kprintf("  cr2 %p  cr3 %p\n", (void *)read_cr2(), (void *)read_cr3());
	kprintf("  rsp %p  rbp %p\n", (void *)f->rsp, (void *)f->rbp);
	kprintf("  rax %p  rbx %p  rcx %p\n", (void *)f->rax, (void *)f->rbx,
		(void *)f->rcx);
	kprintf("  rdx %p  rsi %p  rdi %p\n", (void *)f->rdx, (void *)f->rsi,
		(void *)f->rdi);
	stack = f->vector == X86_TRAP_PF || f->vector == X86_TRAP_DF
			? mm_stack_guard(read_cr2()) : NULL;
	if (stack)
		kprintf("  cr2 is in the guard page under %s: that stack "
			"overflowed\n", stack);
	if (f->vector == X86_TRAP_PF) {
		kprintf("  walk of cr2 through the live table %p:\n",
			(void *)live_pgd);
		mm_report_walk(read_cr2());
	}
}

static void handle(struct trap_frame *f);

/*
 * Under efi.strict a trap in a firmware call arrives on efi_pgd, where the
 * kernel's data is read-only and the direct map absent: switch to
 * swapper_pg_dir before touching anything but the stack, and back (with
 * the kernel's global entries flushed) on the way out.
 */
void trap_handler(struct trap_frame *f)
{
	u64 cr3 = read_cr3();
	bool strict = efi.strict && cr3 == efi.efi_pgd;

	if (strict)
		write_cr3(swapper_pg_dir);
	handle(f);
	if (strict) {
		write_cr3(cr3);
		flush_tlb_all();
	}
}

static void handle(struct trap_frame *f)
{
	u32 cpu = this_cpu_apic_id();
	unsigned int *dp = &depth[cpu % TRAP_DEPTH_SLOTS];
	const char *svc = efi_call_in_progress(cpu);

	if ((*dp)++ && f->vector != X86_TRAP_NMI) {
		kprintf("EXCEPTION: vector %lu at rip %p on cpu %u while handling "
			"an exception; stopping\n", f->vector, (void *)f->rip, cpu);
		kernel_exit(VAMAP_EXIT_FAULT);
	}
	/* An NMI is nobody's fault: note it and carry on, on any CPU and
	 * inside a firmware call too (it arrives on its own IST stack). */
	if (f->vector == X86_TRAP_NMI) {
		if (watchdog_nmi(f, cpu)) {
			(*dp)--;
			return;
		}
		kprintf("trap: NMI on cpu %u at rip %p%s%s; resumed\n", cpu,
			(void *)f->rip, svc ? " during " : "", svc ? svc : "");
		nmi_count++;
		if (svc)
			nmi_during_call++;
		(*dp)--;
		return;
	}
	/* A fault inside a firmware call ends the call, not the run. */
	if (efi_fault_hook(f, cpu)) {
		(*dp)--;
		return;
	}
	if (expect.armed && f->vector == expect.vector) {
		expect.armed = false;
		expect.seen = true;
		expect.error = f->error;
		expect.cr2 = f->vector == X86_TRAP_PF ? read_cr2() : 0;
		if (expect.resume)
			f->rip = expect.resume;
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
