// SPDX-License-Identifier: MIT
/* The control-register rules every CPU keeps (cpu_rules.h) and what an AP's
 * must be (smp.h). Host-testable. */
#include "cpu_rules.h"
#include "smp.h"
#include "x86.h"

const char *cpu_rules_wrong(u64 cr0, u64 cr4, u64 efer, bool nx)
{
	if (cr0 & X86_CR0_CD)
		return "CR0.CD set: caching disabled";
	if (cr0 & X86_CR0_NW)
		return "CR0.NW set: write-through not enforced";
	if (!(cr0 & X86_CR0_WP))
		return "CR0.WP clear: supervisor writes ignore read-only pages";
	if ((cr0 & CPU_CR0_SET) != CPU_CR0_SET)
		return "CR0 lacks PE, MP, NE or PG";
	if (cr0 & (X86_CR0_TS | X86_CR0_EM))
		return "CR0.TS or EM set: x87 and SSE instructions fault";
	if (!(cr4 & CPU_CR4_SET))
		return "CR4.PAE clear";
	if ((efer & CPU_EFER_SET) != CPU_EFER_SET)
		return "EFER.LME or LMA clear";
	if (!(efer & EFER_NXE) != !nx)
		return nx ? "EFER.NXE clear on a CPU with Execute Disable"
			  : "EFER.NXE set on a CPU without Execute Disable";
	return NULL;
}

const char *smp_ap_state_wrong(u64 cr0, u64 cr4, u64 efer, u64 bsp_efer)
{
	const char *why = cpu_rules_wrong(cr0, cr4, efer, bsp_efer & EFER_NXE);

	if (why)
		return why;
	if (cr0 != AP_CR0)
		return "CR0 not the value the trampoline loads";
	return NULL;
}

bool apic_xapic_dest(u32 apic_id, u32 *hi)
{
	if (apic_id > 0xff)
		return false;
	*hi = apic_id << 24;
	return true;
}
