// SPDX-License-Identifier: MIT
/*
 * trampoline_pgd and the APs (see smp.h). Per AP:
 *
 *  1. late mappings, made after trampoline_pgd exists: a stack, an IST
 *     stack, a page with its GDT and TSS — so an AP only gets as far as
 *     its first push if the table list carried the new PGD slot to
 *     trampoline_pgd
 *  2. the trampoline data page: CR3 = trampoline_pgd, EFER bits, stack,
 *     entry, index
 *  3. INIT, 10 ms, SIPI, 200 us, SIPI (Intel SDM vol. 3A, 9.4.4.1; the
 *     MP specification's universal start-up algorithm)
 *  4. wait, bounded, for ap_main to report in; it loads its GDT from the
 *     late mapping, the shared IDT, switches to swapper_pg_dir, notes its
 *     APIC ID and parks with interrupts off
 */
#include "acpi.h"
#include "addr.h"
#include "efi_defs.h"
#include "fixmap.h"
#include "kernel.h"
#include "ktap.h"
#include "madt.h"
#include "mm.h"
#include "smp.h"
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_EN (1ULL << 11)
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_ICR 0x830
#define LAPIC_ID 0x20
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_BUSY (1u << 12)
#define ICR_INIT 0x00004500u  /* INIT, level assert */
#define ICR_SIPI 0x00004600u  /* start-up, vector in bits 7:0 */
#define ICR_NMI 0x00004400u   /* NMI, level assert */
#define ICR_SMI 0x00004200u   /* SMI, level assert */
#define AP_STACK_SIZE (16 * SZ_4K)

u64 trampoline_pgd;

static struct ap {
	volatile u32 online;
	u32 apic_id;	     /* from the MADT */
	u32 seen_apic_id;    /* what the AP read from CPUID */
	u64 cr3;	     /* CR3 after its switch */
	u64 gdt_base;	     /* where its GDT is, from SGDT */
	u64 cr0, cr4, efer;  /* as the AP found them in ap_main */
	struct desc_ptr gdtr;
	u64 gave_up;	     /* TSC when vamap stopped waiting for it, or 0 */
} aps[MADT_MAX_CPUS];

static struct madt_info madt;
static const char *skip_why;
static bool madt_bad; /* a firmware finding: smp.aps fails */
static const char *ap_wrong; /* the first AP not in the state vamap set */
static unsigned int started, online, cpus;
/* An AP claimed the trampoline's data page and never came online: it may
 * still be reading it, so no further AP is started. */
static int trampoline_held_by = -1;
static bool identity_ran, identity_ok;
static unsigned int identity_regions;

extern const u8 _binary_trampoline_bin_start[], _binary_trampoline_bin_end[];
extern const struct desc_ptr idt_desc;
void load_gdt(const struct desc_ptr *gdtr);
__noreturn void ap_main(u64 index);

/* ---- the AP side -------------------------------------------------------- */

__noreturn void ap_main(u64 index)
{
	struct ap *ap = &aps[index];
	struct desc_ptr g;
	u32 a, b, c, d;

	load_gdt(&ap->gdtr);
	load_idt_ptr(&idt_desc);
	wrmsr(MSR_IA32_PAT, PAT_VALUE);
	write_cr3(swapper_pg_dir);
	flush_tlb_all(); /* the 1:1 alias's entries are global */
	cpuid(1, 0, &a, &b, &c, &d);
	ap->seen_apic_id = b >> 24;
	ap->cr3 = read_cr3();
	ap->cr0 = read_cr0();
	ap->cr4 = read_cr4();
	ap->efer = rdmsr(MSR_EFER);
	store_gdt(&g);
	ap->gdt_base = g.base;
	__atomic_store_n(&ap->online, 1, __ATOMIC_RELEASE);
	for (;;) {
		cli();
		hlt();
	}
}

/* ---- the BSP side ------------------------------------------------------- */

static volatile u32 *lapic;
static bool x2apic;

static u32 bsp_apic_id(void)
{
	return x2apic ? (u32)rdmsr(MSR_X2APIC_ID) : lapic[LAPIC_ID / 4] >> 24;
}

static bool send_ipi(u32 apic_id, u32 icr)
{
	unsigned int spin;
	u32 hi;

	if (x2apic) {
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | icr);
		return true;
	}
	if (!apic_xapic_dest(apic_id, &hi))
		return false; /* would reach APIC ID apic_id & 0xff */
	lapic[LAPIC_ICR_HI / 4] = hi;
	lapic[LAPIC_ICR_LO / 4] = icr;
	for (spin = 0; spin < 100000; spin++)
		if (!(lapic[LAPIC_ICR_LO / 4] & ICR_BUSY))
			return true;
	return false;
}

/* The AP's stack, its three IST stacks, and its GDT and TSS (kernel/gdt.c)
 * in one late page. */
static bool prepare_ap(unsigned int i)
{
	u8 *stack = late_map(0, AP_STACK_SIZE, MAP_WRITE | MAP_GLOBAL);
	/* #DF, NMI, #MC: one page each, each above a guard (late_map) */
	u8 *ist[IST_USED] = { late_map(0, SZ_4K, MAP_WRITE | MAP_GLOBAL),
			      late_map(0, SZ_4K, MAP_WRITE | MAP_GLOBAL),
			      late_map(0, SZ_4K, MAP_WRITE | MAP_GLOBAL) };
	struct cpu_gdt *g = late_map(0, SZ_4K, MAP_WRITE | MAP_GLOBAL);
	struct trampoline_data *td = __va(TRAMPOLINE_DATA);
	u64 ist_top[IST_USED];
	unsigned int k;

	compile_assert(cpu_gdt_fits_a_page, sizeof(struct cpu_gdt) <= SZ_4K);
	if (!stack || !ist[0] || !ist[1] || !ist[2] || !g)
		return false;
	for (k = 0; k < IST_USED; k++)
		ist_top[k] = (u64)ist[k] + SZ_4K;
	gdt_fill(g, ist_top);
	aps[i].gdtr = g->gdtr;

	td->cr3 = (u32)trampoline_pgd;
	td->efer = (u32)(EFER_LME | (mm_has_nx() ? EFER_NXE : 0));
	td->stack = (u64)stack + AP_STACK_SIZE;
	td->entry = (u64)ap_main;
	td->arg = i;
	/* test=ap-late: the second AP started answers after vamap gave up on
	 * it (a slow or throttled core, an SMI storm, a loaded host). */
	td->hold_until = (kopt.test & TEST_AP_LATE) && started == 1
			 ? rdtsc() + ((u64)kopt.smp_timeout_ms + 300) * tsc_per_ms()
			 : 0;
	if (td->hold_until)
		kprintf("test: cpu %u (apic id %u) holds off its claim for %u ms\n",
			i, aps[i].apic_id, kopt.smp_timeout_ms + 300);
	/* Last: the AP with this ID may take the page from here on. */
	__atomic_store_n(&td->claim, aps[i].apic_id, __ATOMIC_RELEASE);
	return true;
}

/* Wait up to smp.timeout= for AP @i to say it is online. */
static bool wait_online(unsigned int i)
{
	u64 deadline = rdtsc() + (u64)kopt.smp_timeout_ms * tsc_per_ms();

	while (!__atomic_load_n(&aps[i].online, __ATOMIC_ACQUIRE) &&
	       rdtsc() < deadline)
		__asm__ volatile("pause");
	return __atomic_load_n(&aps[i].online, __ATOMIC_ACQUIRE);
}

/* Stop waiting for AP @i: take the page back from it, unless it claimed
 * the page first (then it is on its way and must be waited for). */
static bool give_up(unsigned int i)
{
	struct trampoline_data *td = __va(TRAMPOLINE_DATA);
	u32 want = aps[i].apic_id;

	if (__atomic_compare_exchange_n(&td->claim, &want, TR_CLAIM_ABANDONED,
					false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST)) {
		aps[i].gave_up = rdtsc();
		return true;
	}
	return false;
}

static void start_ap(unsigned int i)
{
	u32 id = aps[i].apic_id;
	const char *wrong;

	if (!prepare_ap(i)) {
		kprintf("smp: cpu %u (apic id %u): no memory for its stack and "
			"GDT\n", i, id);
		return;
	}
	started++;
	if (!send_ipi(id, ICR_INIT)) {
		kprintf("smp: cpu %u (apic id %u): INIT not delivered\n", i, id);
		return;
	}
	delay_us(10000);
	if ((kopt.test & TEST_AP_NOSIPI) && started == 1) {
		kprintf("test: no SIPI for cpu %u (apic id %u)\n", i, id);
	} else {
		send_ipi(id, ICR_SIPI | (TRAMPOLINE_BASE >> 12));
		delay_us(200);
		if (!__atomic_load_n(&aps[i].online, __ATOMIC_ACQUIRE))
			send_ipi(id, ICR_SIPI | (TRAMPOLINE_BASE >> 12));
	}
	if (!wait_online(i) && give_up(i)) {
		kprintf("smp: cpu %u (apic id %u) did not answer within %u ms; if "
			"it answers later it parks in the trampoline\n", i, id,
			kopt.smp_timeout_ms);
		return;
	}
	/* It claimed the page in time: wait for it to leave it. */
	if (!wait_online(i)) {
		trampoline_held_by = (int)i;
		kprintf("smp: cpu %u (apic id %u) claimed the trampoline but did not "
			"come online within %u ms more; no further AP is started "
			"(it may still be reading the trampoline's page)\n", i, id,
			kopt.smp_timeout_ms);
		return;
	}
	online++;
	wrong = smp_ap_state_wrong(aps[i].cr0, aps[i].cr4, aps[i].efer,
				   rdmsr(MSR_EFER));
	if (!wrong && (aps[i].cr3 != swapper_pg_dir ||
		       aps[i].gdt_base != aps[i].gdtr.base))
		wrong = "not on swapper_pg_dir with its own GDT";
	if (wrong && !ap_wrong)
		ap_wrong = wrong;
	kprintf("smp: cpu %u online (apic id %u), cr0 0x%08lx cr4 0x%lx%s%s\n", i,
		aps[i].seen_apic_id, (unsigned long)aps[i].cr0,
		(unsigned long)aps[i].cr4,
		wrong ? ", WRONG: " : ", on swapper_pg_dir, GDT in the late mappings",
		wrong ? wrong : "");
}

static bool read_madt(void)
{
	bool corrupt = kopt.test & TEST_MADT_CORRUPT;
	const char *why;
	u32 where;
	u64 pa;
	int ret;

	if (corrupt)
		kprintf("test: parsing a copy of the MADT with its checksum "
			"byte flipped\n");
	ret = acpi_read_madt(&madt, corrupt, &pa, &why, &where);
	if (ret == -ENOENT) {
		skip_why = "no MADT";
		kprintf("smp: no MADT in the %s; running on the BSP alone\n",
			acpi.root_is_xsdt ? "XSDT" : "RSDT");
		return false;
	}
	if (ret == -ENOMEM)
		return false;
	if (ret) {
		skip_why = "malformed MADT";
		madt_bad = true;
		kprintf("smp: MADT at 0x%016lx: %s (offset %u); running on the BSP "
			"alone\n", (unsigned long)pa, why, where);
		return false;
	}
	kprintf("smp: MADT: %u processors, local APIC at 0x%08x (read through "
		"the fixmap)\n", madt.nr_found, madt.lapic_pa);
	if (madt.nr_found > madt.nr_cpus)
		kprintf("smp: %u processors past the %u vamap holds are not "
			"started\n", madt.nr_found - madt.nr_cpus, MADT_MAX_CPUS);
	return true;
}

/* The APs that answered after vamap gave up on them (the trampoline's
 * late list), each named with how late, as smp.aps's details. */
static void late_aps(void)
{
	const struct trampoline_data *td = __va(TRAMPOLINE_DATA);
	u32 n, k;
	unsigned int i;

	if (!started)
		return;
	n = __atomic_load_n(&td->late_count, __ATOMIC_ACQUIRE);
	for (k = 0; k < n && k < TR_LATE_MAX; k++) {
		for (i = 0; i < cpus && aps[i].apic_id != td->late[k].apic_id; i++)
			;
		if (i < cpus && aps[i].gave_up)
			kdetail("smp.aps", "smp: cpu %u (apic id %u) answered %lu ms "
				"after vamap gave up on it: parked in the "
				"trampoline, it ran nothing of vamap's\n", i,
				td->late[k].apic_id, (unsigned long)
				((td->late[k].tsc - aps[i].gave_up) / tsc_per_ms()));
		else
			kdetail("smp.aps", "smp: a CPU with apic id %u ran the "
				"trampoline unasked: parked there\n",
				td->late[k].apic_id);
	}
	if (n > TR_LATE_MAX)
		kdetail("smp.aps", "smp: %u more came late\n", n - TR_LATE_MAX);
}

/* smp.identity's first failure, for its line. */
static u64 identity_bad_va;
static const char *identity_bad_why;

/* Is @va mapped 1:1 in trampoline_pgd? Walked in software first, so a
 * hole is a named failure, not a #PF in the check. */
static bool identity_mapped(u64 va)
{
	u64 pa;

	if (mm_translate(trampoline_pgd, va, &pa)) {
		identity_bad_why = "not mapped";
	} else if (pa != va) {
		identity_bad_why = "mapped to another frame";
	} else {
		return true;
	}
	identity_bad_va = va;
	return false;
}

/* On trampoline_pgd: the first and last page of one RAM region, each
 * walked before it is read. */
static bool read_identity(const struct mem_region *m)
{
	if (!identity_mapped(m->start) || !identity_mapped(m->end - SZ_4K))
		return false;
	(void)*(volatile u64 *)m->start;
	(void)*(volatile u64 *)(m->end - 8);
	identity_regions++;
	return true;
}

/* Switch to trampoline_pgd and read the first and last page of every RAM
 * region through its 1:1 map (each page walked first), then switch back.
 * test=identity-hole: the low 512 GiB's PGD entry is cleared while it
 * looks (what a table list that failed to copy the alias would leave). */
static void identity_self_check(void)
{
	u64 *pgd = __va(trampoline_pgd), saved = pgd[0];
	const struct mem_region *m;

	identity_ran = true;
	if (kopt.test & TEST_IDENTITY_HOLE) {
		kprintf("test: trampoline_pgd's entry for the low 512 GiB cleared "
			"while smp.identity looks\n");
		pgd[0] = 0;
	}
	write_cr3(trampoline_pgd);
	identity_ok = true;
	for_each_mem_region(m)
		if (m->ram && !read_identity(m)) {
			identity_ok = false;
			break;
		}
	write_cr3(swapper_pg_dir);
	pgd[0] = saved;
	flush_tlb_all(); /* the 1:1 alias's entries are global */
	if (identity_ok)
		kprintf("smp: on trampoline_pgd, read the first and last page of "
			"%u RAM regions through the 1:1 map (up to 0x%016lx)\n",
			identity_regions,
			(unsigned long)mm_ram_end());
	else
		kdetail("smp.identity", "smp: trampoline_pgd's 1:1 map: RAM page "
			"0x%016lx %s; the APs could not start through it\n",
			(unsigned long)identity_bad_va, identity_bad_why);
}

static bool install_trampoline(void)
{
	struct trampoline_data *td;
	u64 size = (u64)(_binary_trampoline_bin_end - _binary_trampoline_bin_start);
	const struct mem_region *r = mm_region_at(TRAMPOLINE_BASE);

	if (!r || r->end < TRAMPOLINE_DATA + SZ_4K || !r->ram || size > SZ_4K ||
	    r->type != EFI_CONVENTIONAL_MEMORY) {
		kprintf("smp: no free RAM at 0x%x for the trampoline\n",
			TRAMPOLINE_BASE);
		return false;
	}
	memcpy(__va(TRAMPOLINE_BASE), _binary_trampoline_bin_start, size);
	memset(__va(TRAMPOLINE_DATA), 0, SZ_4K);
	td = __va(TRAMPOLINE_DATA);
	gdt_fill_trampoline(td->gdt);
	td->gdtr.limit = sizeof(td->gdt) - 1;
	td->gdtr.base = (u32)(TRAMPOLINE_DATA + __builtin_offsetof(struct trampoline_data, gdt));
	/* Text read-only and executable in the direct map, hence in the
	 * alias trampoline_pgd runs it through; data stays RW NX. */
	if (mm_map_live(PAGE_OFFSET + TRAMPOLINE_BASE, TRAMPOLINE_BASE, SZ_4K,
			MAP_EXEC | MAP_GLOBAL))
		return false;
	kprintf("smp: trampoline at 0x%x (text RX), data at 0x%x (RW NX)\n",
		TRAMPOLINE_BASE, TRAMPOLINE_DATA);
	return true;
}

/* An APIC ID the MADT lists that xAPIC destinations cannot hold. */
static bool needs_x2apic(void)
{
	unsigned int i;
	u32 hi;

	for (i = 0; i < madt.nr_cpus; i++)
		if (!apic_xapic_dest(madt.cpu[i].apic_id, &hi))
			return true;
	return false;
}

/* The BSP's local APIC into x2APIC mode (IA32_APIC_BASE.EXTD, with EN:
 * SDM vol. 3A 11.12.1), where the CPU has it (CPUID.1:ECX[21]). */
static bool enable_x2apic(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 21))) {
		kprintf("smp: an APIC ID above 255 and no x2APIC: those CPUs "
			"cannot be sent an IPI and are not started\n");
		return false;
	}
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN |
			     APIC_BASE_X2APIC);
	kprintf("smp: an APIC ID above 255: local APIC switched to x2APIC "
		"mode for the IPIs\n");
	return true;
}

int smp_setup(void)
{
	struct pgd_member m = { .name = "trampoline_pgd", .private_slot = -1,
				.win_last = PT_ENTRIES - 1, .alias_identity = true };
	unsigned int i, n;

	if (mm_alloc_page_below(1ULL << 32, &trampoline_pgd)) {
		kprintf("smp: no page below 4 GiB for trampoline_pgd\n");
		skip_why = "no trampoline_pgd";
		return -ENOMEM;
	}
	m.root = trampoline_pgd;
	n = mm_table_list_join(&m);
	kprintf("smp: trampoline_pgd at 0x%016lx, %u entries from the table list "
		"(kernel half and the 1:1 alias of the direct map)\n",
		(unsigned long)trampoline_pgd, n);
	identity_self_check();
	if (!install_trampoline()) {
		skip_why = "no trampoline";
		return 0;
	}
	if (!CONFIG_SMP) {
		skip_why = "built without SMP (SMP=0)";
		kprintf("smp: built without SMP: the BSP runs alone\n");
		return 0;
	}
	if (!acpi.found) {
		skip_why = "no ACPI";
		kprintf("smp: no ACPI tables; running on the BSP alone\n");
		return 0;
	}
	if (!read_madt())
		return 0;
	x2apic = rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
	if (madt.online_capable)
		kprintf("smp: %u processor%s only online capable, not enabled "
			"(ACPI 6.5 5.2.12.2: the OS may add them later): not "
			"started\n", madt.online_capable,
			madt.online_capable == 1 ? " is" : "s are");
	if (!x2apic && needs_x2apic())
		x2apic = enable_x2apic();
	if (!x2apic) {
		lapic = late_map(madt.lapic_pa, SZ_4K, MAP_WRITE | MAP_UC);
		if (!lapic) {
			skip_why = "local APIC not mapped";
			return 0;
		}
	}
	cpus = madt.nr_cpus;
	for (i = 0; i < madt.nr_cpus; i++) {
		aps[i].apic_id = madt.cpu[i].apic_id;
		if (aps[i].apic_id == bsp_apic_id()) {
			kprintf("smp: cpu %u is the BSP (apic id %u)\n", i,
				aps[i].apic_id);
			continue;
		}
		if (trampoline_held_by >= 0) {
			kprintf("smp: cpu %u (apic id %u) not started: cpu %d may "
				"still hold the trampoline\n", i, aps[i].apic_id,
				trampoline_held_by);
			continue;
		}
		start_ap(i);
	}
	return 0;
}

bool smp_send_smi(u32 apic_id)
{
	if (!x2apic && !lapic)
		return false;
	return send_ipi(apic_id, ICR_SMI);
}

bool smp_send_nmi(u32 apic_id)
{
	if (!x2apic && !lapic)
		return false;
	return send_ipi(apic_id, ICR_NMI);
}

bool smp_online_ap(u32 *apic_id)
{
	unsigned int i;

	for (i = 0; i < cpus; i++) {
		if (__atomic_load_n(&aps[i].online, __ATOMIC_ACQUIRE)) {
			*apic_id = aps[i].apic_id;
			return true;
		}
	}
	return false;
}

void smp_checks(void)
{
	if (identity_ran && !identity_ok)
		ktap_result(false, "smp.identity", "RAM page 0x%016lx %s in "
			    "trampoline_pgd's 1:1 map", (unsigned long)identity_bad_va,
			    identity_bad_why);
	else
		ktap_result(identity_ran, "smp.identity",
			    "%u RAM regions read through trampoline_pgd's 1:1 map",
			    identity_regions);
	late_aps();
	if (madt_bad)
		ktap_result(false, "smp.aps", "malformed MADT: the BSP ran alone");
	else if (skip_why)
		ktap_skip("smp.aps", "%s", skip_why);
	else if (ap_wrong)
		ktap_result(false, "smp.aps", "%u of %u CPUs online; an AP: %s",
			    online + 1, madt.nr_found, ap_wrong);
	else
		ktap_result(online == started, "smp.aps",
			    "%u of %u CPUs online%s", online + 1, madt.nr_found,
			    madt.nr_found > cpus ? "; the rest not started: more "
						   "than vamap holds" : "");
}
