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

/*
 * The claim on the data page (kernel/trampoline.asm): while the BSP waits
 * for AP i, claim holds AP i's APIC ID; the AP that finds its own ID there
 * swaps in TR_CLAIM_TAKEN and only then reads the rest of the page. When
 * the BSP gives up on AP i it swaps the ID for TR_CLAIM_ABANDONED; exactly
 * one of the two swaps succeeds. An AP that finds anything but its own ID
 * — it answered after vamap gave up on it, and the page may already hold
 * the next AP's stack and GDT — runs nothing more: it notes its APIC ID
 * and TSC in late[] and parks in the trampoline's own code (cli; hlt), the
 * one page vamap never reuses.
 */
#define TR_CLAIM_TAKEN 0xfffffffeu
#define TR_CLAIM_ABANDONED 0xffffffffu
#define TR_LATE_MAX 8

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
	u16 pad;
	u32 claim;	/* see above */
	u64 hold_until; /* test=ap-late: the AP spins until this TSC */
	u32 late_count;	/* APs that came late, however many */
	u32 pad2;
	struct {
		u32 apic_id;
		u32 pad;
		u64 tsc;	/* when it came */
	} late[TR_LATE_MAX];
};

compile_assert(trampoline_data_layout,
	       __builtin_offsetof(struct trampoline_data, stack) == 8 &&
		       __builtin_offsetof(struct trampoline_data, arg) == 24 &&
		       __builtin_offsetof(struct trampoline_data, gdtr) == 64 &&
		       __builtin_offsetof(struct trampoline_data, claim) == 72 &&
		       __builtin_offsetof(struct trampoline_data, hold_until) == 80 &&
		       __builtin_offsetof(struct trampoline_data, late_count) == 88 &&
		       __builtin_offsetof(struct trampoline_data, late) == 96);
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

/* The high dword of an xAPIC ICR, or of an I/O APIC redirection entry,
 * that sends to @apic_id, into *@hi; false when the ID does not fit the
 * 8 bits xAPIC destinations have (x2APIC mode is needed). Host-tested. */
bool apic_xapic_dest(u32 apic_id, u32 *hi);

/* Is an AP's (@cr0, @cr4, @efer) what vamap set, given the BSP's EFER?
 * NULL when it is, else what is wrong. Host-tested. */
const char *smp_ap_state_wrong(u64 cr0, u64 cr4, u64 efer, u64 bsp_efer);

/* Build trampoline_pgd, put it on the table list, install the trampoline;
 * then start every AP the MADT lists (unless SMP=0). Logs everything. */
int smp_setup(void);

/* Send an NMI to the CPU with @apic_id; false when there is no local APIC
 * mapped to send it with. */
bool smp_send_nmi(u32 apic_id);
/* The same with an SMI (delivery mode 010b, test=smi-ipi). */
bool smp_send_smi(u32 apic_id);

/* The APIC ID of the first AP that came online; false when none did. */
bool smp_online_ap(u32 *apic_id);

/* The KTAP checks: smp.aps, smp.identity (the 1:1 self-check). */
void smp_checks(void);

#endif
