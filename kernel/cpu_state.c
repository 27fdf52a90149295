// SPDX-License-Identifier: MIT
/* What an AP's control registers must be (smp.h). Host-testable. */
#include "smp.h"
#include "x86.h"

const char *smp_ap_state_wrong(u64 cr0, u64 cr4, u64 efer, u64 bsp_efer)
{
	const u64 cr0_need = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP;

	if (cr0 & X86_CR0_CD)
		return "CR0.CD set: caching disabled";
	if (cr0 & X86_CR0_NW)
		return "CR0.NW set: write-through not enforced";
	if ((cr0 & cr0_need) != cr0_need)
		return "CR0 lacks PE, PG or WP";
	if (cr0 != AP_CR0)
		return "CR0 not the value the trampoline loads";
	if (!(cr4 & X86_CR4_PAE))
		return "CR4.PAE clear";
	if ((efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA))
		return "EFER.LME or LMA clear";
	if ((efer & EFER_NXE) != (bsp_efer & EFER_NXE))
		return "EFER.NXE differs from the BSP's";
	return NULL;
}
