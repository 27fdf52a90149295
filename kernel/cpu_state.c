// SPDX-License-Identifier: MIT
/* What an AP's control registers must be (smp.h). Host-testable. */
#include "smp.h"

#define CR0_PE (1ULL << 0)
#define CR0_WP (1ULL << 16)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

const char *smp_ap_state_wrong(u64 cr0, u64 cr4, u64 efer, u64 bsp_efer)
{
	if (cr0 & CR0_CD)
		return "CR0.CD set: caching disabled";
	if (cr0 & CR0_NW)
		return "CR0.NW set: write-through not enforced";
	if ((cr0 & (CR0_PE | CR0_PG | CR0_WP)) != (CR0_PE | CR0_PG | CR0_WP))
		return "CR0 lacks PE, PG or WP";
	if (cr0 != AP_CR0)
		return "CR0 not the value the trampoline loads";
	if (!(cr4 & CR4_PAE))
		return "CR4.PAE clear";
	if ((efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA))
		return "EFER.LME or LMA clear";
	if ((efer & EFER_NXE) != (bsp_efer & EFER_NXE))
		return "EFER.NXE differs from the BSP's";
	return NULL;
}
