/* SPDX-License-Identifier: MIT */
/*
 * trampoline_pgd and the application processors (kernel/smp.c).
 *
 * trampoline_pgd lives below 4 GiB (a 32-bit CR3 loads it). Its kernel half
 * is swapper_pg_dir's and its low half aliases the direct map (low slot i =
 * direct-map slot i), both kept by the table list, so memory above 512 GiB
 * is mapped 1:1 too. The trampoline's text page is read-only and executable
 * in the direct map, hence in the alias; its data page is RW NX.
 *
 * A build with SMP=0 runs the same steps (trampoline_pgd, the list, the
 * self-check) and only skips starting the APs.
 */
#ifndef VAMAP_SMP_H
#define VAMAP_SMP_H

#include "gdt.h"
#include "types.h"

#ifndef CONFIG_SMP
#define CONFIG_SMP 1
#endif

/* Where the trampoline runs (SIPI vector TRAMPOLINE_BASE >> 12); it and the
 * next page lie in the low 1 MiB the kernel reserves. */
#define TRAMPOLINE_BASE 0x8000
#define TRAMPOLINE_DATA (TRAMPOLINE_BASE + 0x1000)

/* The data page the BSP fills before each SIPI (kernel/trampoline.asm). */
struct trampoline_data {
	u32 cr3;
	u32 efer;   /* bits to OR into EFER: LME, NXE */
	u64 stack;  /* the AP's stack top, a late mapping */
	u64 entry;  /* ap_entry, in the kernel image */
	u64 arg;    /* the AP's index */
	u64 gdt[TR_GDT_ENTRIES]; /* gdt_fill_trampoline (kernel/gdt.c) */
	struct {
		u16 limit;
		u32 base; /* a 16-bit LGDT reads 24 bits of it */
	} __attribute__((packed)) gdtr;
};

compile_assert(trampoline_data_layout,
	       __builtin_offsetof(struct trampoline_data, stack) == 8 &&
		       __builtin_offsetof(struct trampoline_data, arg) == 24 &&
		       __builtin_offsetof(struct trampoline_data, gdtr) == 64);
compile_assert(trampoline_below_1m, TRAMPOLINE_DATA + 0x1000 <= 0x100000);

/*
 * The control registers every AP must end with (kernel/trampoline.asm loads
 * them as constants: INIT leaves CR0.CD and CR0.NW as they were, SDM vol.
 * 3A, 10.1.1, so ORing bits into CR0 could keep the caches off). CD, NW
 * clear; PE, PG, WP set; PAE; EFER.LME and LMA, and NXE exactly when the
 * BSP runs with it.
 */
#define AP_CR0 0x80010033u /* PG | WP | NE | ET | MP | PE */
#define AP_CR4 0x000000a0u /* PGE | PAE */

/* Is an AP's (@cr0, @cr4, @efer) what vamap set, given the BSP's EFER?
 * NULL when it is, else what is wrong. Host-tested. */
const char *smp_ap_state_wrong(u64 cr0, u64 cr4, u64 efer, u64 bsp_efer);

/* Build trampoline_pgd, put it on the table list, install the trampoline;
 * then start every AP the MADT lists (unless SMP=0). Logs everything. */
int smp_setup(void);

/* Send an NMI to the CPU with @apic_id; false when there is no local APIC
 * mapped to send it with. */
bool smp_send_nmi(u32 apic_id);

/* The APIC ID of the first AP that came online; false when none did. */
bool smp_online_ap(u32 *apic_id);

/* The KTAP checks: smp.aps, smp.identity (the 1:1 self-check). */
void smp_checks(void);

#endif
