// SPDX-License-Identifier: MIT
// sources: kernel/madt.c kernel/cpu_state.c kernel/gdt.c mm/pgd_list.c mm/pgtable.c efi/pgd.c efi/memdesc.c kernel/printf.c
/*
 * The MADT parser against good and malformed tables, and the table list
 * with all three tables of a real boot — swapper_pg_dir, efi_pgd (private
 * slot) and trampoline_pgd (1:1 alias of the direct map) — over seeded
 * random kernel-half changes: late mappings in new PGD slots, direct-map
 * growth past 512 GiB, slot 511 below the kernel. After each change and
 * sync, every member equals the master outside its private part, and the
 * alias maps every direct-mapped page 1:1 to the same frame.
 */
#include "efi_pgd.h"
#include "layout.h"
#include "madt.h"
#include "sim.h"
#include "cpu_rules.h"
#include "smp.h"

static u8 tbl[44 + 16 * 1200 + 8 * 300];
static u32 tlen;

static void madt_begin(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "APIC", 4);
	tlen = 44;
	tbl[36] = 0x00; tbl[37] = 0x00; tbl[38] = 0xe0; tbl[39] = 0xfe; /* 0xfee00000 */
}

static void madt_entry(const u8 *e, u8 len)
{
	memcpy(tbl + tlen, e, len);
	tlen += len;
}

static void madt_finish(void)
{
	u8 sum = 0;
	u32 i;

	tbl[4] = (u8)tlen;
	tbl[5] = (u8)(tlen >> 8);
	tbl[6] = (u8)(tlen >> 16);
	tbl[9] = 0;
	for (i = 0; i < tlen; i++)
		sum = (u8)(sum + tbl[i]);
	tbl[9] = (u8)-sum;
}

/* An enabled x2APIC entry with APIC ID and ACPI UID @id. */
static void madt_x2apic(u32 id)
{
	u8 e[16] = { 9, 16, 0, 0, (u8)id, (u8)(id >> 8), 0, 0, 1, 0, 0, 0,
		     (u8)id, (u8)(id >> 8), 0, 0 };

	madt_entry(e, 16);
}

static const u8 lapic0[] = { 0, 8, 0, 0, 1, 0, 0, 0 };	/* uid 0, id 0, enabled */
static const u8 lapic1[] = { 0, 8, 1, 1, 1, 0, 0, 0 };
static const u8 lapic_off[] = { 0, 8, 2, 2, 0, 0, 0, 0 }; /* disabled */
static const u8 lapic_cap[] = { 0, 8, 3, 3, 2, 0, 0, 0 }; /* online capable */
static const u8 ioapic[] = { 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };
/* ISA IRQ 0 -> GSI 2, flags 0 (conforming): QEMU's override */
static const u8 iso0[] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
static const u8 iso9[] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 };
static const u8 x2apic[] = { 9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 };

static void test_madt_good(void)
{
	struct madt_info m;
	const char *why;
	u32 where;

	madt_begin();
	madt_entry(lapic0, 8);
	madt_entry(ioapic, 12);
	madt_entry(iso9, 10);
	madt_entry(iso0, 10);
	madt_entry(lapic1, 8);
	madt_entry(lapic_off, 8);
	madt_entry(lapic_cap, 8);
	madt_entry(x2apic, 16);
	madt_entry(lapic1, 8); /* listed twice: counted once */
	madt_finish();
	CHECK_EQ(madt_parse(tbl, tlen, &m, &why, &where), 0);
	CHECK_EQ(m.lapic_pa, 0xfee00000);
	/* the online-capable entry is not a processor to start now */
	CHECK_EQ(m.nr_cpus, 3);
	CHECK_EQ(m.cpu[1].apic_id, 1);
	CHECK_EQ(m.cpu[2].apic_id, 0x100);
	CHECK(m.cpu[2].x2apic_entry);
	CHECK_EQ(m.skipped_disabled, 1);
	CHECK_EQ(m.online_capable, 1);
	CHECK_EQ(m.nr_ioapics, 1);
	CHECK_EQ(m.ioapic[0].pa, 0xfec00000);
	CHECK_EQ(m.ioapic[0].gsi_base, 0);
	CHECK_EQ(m.irq0_gsi, 2); /* from the IRQ 0 override, not IRQ 9's */
	CHECK_EQ(m.irq0_flags, 0);
}

/* A server's MADT: 255 xAPIC entries and 300 x2APIC entries past them
 * (APIC IDs 255 and up need x2APIC, ACPI 6.5 5.2.12.12): every one is
 * kept; past MADT_MAX_CPUS they are counted but not kept. */
static void test_madt_many(void)
{
	struct madt_info m;
	const char *why;
	u32 where, i;

	madt_begin();
	for (i = 0; i < 255; i++) {
		u8 e[8] = { 0, 8, (u8)i, (u8)i, 1, 0, 0, 0 };

		madt_entry(e, 8);
	}
	for (i = 0; i < 300; i++)
		madt_x2apic(255 + i);
	madt_finish();
	CHECK_EQ(madt_parse(tbl, tlen, &m, &why, &where), 0);
	CHECK_EQ(m.nr_cpus, 555);
	CHECK_EQ(m.nr_found, 555);
	CHECK_EQ(m.cpu[254].apic_id, 254);
	CHECK_EQ(m.cpu[554].apic_id, 554);
	CHECK(m.cpu[300].x2apic_entry);

	madt_begin();
	for (i = 0; i < MADT_MAX_CPUS + 100; i++)
		madt_x2apic(i);
	madt_finish();
	CHECK_EQ(madt_parse(tbl, tlen, &m, &why, &where), 0);
	CHECK_EQ(m.nr_cpus, MADT_MAX_CPUS);
	CHECK_EQ(m.nr_found, MADT_MAX_CPUS + 100);
}

static void expect_bad(const char *want, u32 want_where)
{
	struct madt_info m;
	const char *why;
	u32 where;

	CHECK_EQ(madt_parse(tbl, tlen, &m, &why, &where), -EINVAL);
	CHECK_STR(why, want);
	CHECK_EQ(where, want_where);
}

static void test_madt_malformed(void)
{
	static const u8 zero_len[] = { 0, 0, 0, 0 };
	static const u8 short_lapic[] = { 0, 6, 0, 0, 1, 0 };
	static const u8 long_entry[] = { 0, 200, 0, 0, 1, 0, 0, 0 };
	static const u8 short_ioapic[] = { 1, 8, 0, 0, 0, 0, 0xc0, 0xfe };
	static const u8 short_iso[] = { 2, 8, 0, 0, 2, 0, 0, 0 };
	struct madt_info m;
	const char *why;
	u32 where;

	CHECK_EQ(madt_parse(tbl, 20, &m, &why, &where), -EINVAL);
	CHECK_STR(why, "shorter than a MADT header");
	madt_begin(); madt_entry(lapic0, 8); madt_finish();
	tbl[0] = 'X';
	expect_bad("signature is not APIC", 0);
	madt_begin(); madt_entry(lapic0, 8); madt_finish();
	tbl[20] ^= 1;
	expect_bad("checksum wrong", 9);
	madt_begin(); madt_entry(lapic0, 8); madt_finish();
	CHECK_EQ(madt_parse(tbl, tlen - 1, &m, &why, &where), -EINVAL);
	CHECK_STR(why, "length field out of range");
	madt_begin(); madt_entry(lapic0, 8); madt_entry(zero_len, 4); madt_finish();
	expect_bad("entry length out of range", 52);
	madt_begin(); madt_entry(long_entry, 8); madt_finish();
	expect_bad("entry length out of range", 44);
	madt_begin(); madt_entry(short_lapic, 6); madt_finish();
	expect_bad("local APIC entry too short", 44);
	madt_begin(); madt_entry(lapic0, 8); madt_entry(short_ioapic, 8); madt_finish();
	expect_bad("I/O APIC entry too short", 52);
	madt_begin(); madt_entry(lapic0, 8); madt_entry(short_iso, 8); madt_finish();
	expect_bad("interrupt source override too short", 52);
	madt_begin(); madt_entry(lapic0, 8); tbl[tlen++] = 9; madt_finish();
	expect_bad("truncated entry header", 52);
	madt_begin(); madt_entry(lapic_off, 8); madt_entry(ioapic, 12); madt_finish();
	expect_bad("no enabled processor", 0);
}

/* ---- the list with all three tables ------------------------------------ */

struct alias_cmp {
	struct sim *s;
	u64 alias_root;
	u64 mismatches, pages;
};

/* Every direct-map leaf: the alias maps VA - PAGE_OFFSET to the same frame. */
static int alias_fn(const struct pt_range *r, void *arg)
{
	struct alias_cmp *c = arg;
	struct pt_range a;
	u64 low = r->va - PAGE_OFFSET;

	c->pages++;
	if (pt_translate(&c->s->ctx, c->alias_root, low, &a) ||
	    a.pa + (low - a.va) != r->pa)
		c->mismatches++;
	return 0;
}

static void test_list_random(void)
{
	struct sim s;
	struct pgd_list list = { 0 };
	struct pgd_member efi, tr = { .name = "trampoline_pgd", .private_slot = -1,
				   .win_last = 511, .alias_identity = true };
	struct pgd_check c;
	u64 swapper, seed = 0x5eed5eed12345678ULL;
	int i;

	sim_init(&s, 32768, false);
	swapper = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, swapper, PAGE_OFFSET, 0, 2ULL << 30, MAP_WRITE | MAP_GLOBAL), 0);
	CHECK_EQ(pt_map(&s.ctx, swapper, KERNEL_VIRT_BASE, 0x1000000, 0x40000, MAP_EXEC), 0);
	list.master = swapper;
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, EFI_MODE_LINUX, &efi), 0);
	pgd_list_add(&list, &efi);
	tr.root = sim_root(&s);
	pgd_list_add(&list, &tr);
	pgd_list_sync(&s.ctx, &list);

	for (i = 0; i < 400; i++) {
		u64 kind, va, pa, size;
		struct alias_cmp ac = { &s, tr.root, 0, 0 };

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		kind = seed % 3;
		size = SZ_4K << ((seed >> 40) % 9);
		if (kind == 0) { /* late mappings, new PGD slots */
			va = LATE_MAP_BASE + ((seed >> 8) % 32) * PGD_SLOT_SIZE +
			     (((seed >> 16) % 512) << 21);
			pa = ((seed >> 20) % 4096) << 21;
		} else if (kind == 1) { /* direct-map growth, up to 4 TiB */
			pa = ((seed >> 8) % (4096 * 8)) << 27;
			pa = ALIGN_DOWN(pa, SZ_2M);
			va = PAGE_OFFSET + pa;
		} else { /* slot 511, below the kernel, outside the window */
			va = KERNEL_VIRT_BASE - SZ_1G + (((seed >> 8) % 256) << 21);
			pa = ((seed >> 20) % 4096) << 21;
		}
		CHECK_EQ(pt_map(&s.ctx, swapper, va, pa, size, MAP_WRITE), 0);
		pgd_list_sync(&s.ctx, &list);
		pgd_list_check(&s.ctx, &list, &c);
		CHECK_EQ(c.mismatches, 0);
		CHECK_EQ(c.tables, 3);
		if (i % 50 == 49 || i == 399) {
			pt_walk(&s.ctx, swapper, PAGE_OFFSET,
				PAGE_OFFSET + DIRECT_MAP_MAX, alias_fn, &ac);
			CHECK_EQ(ac.mismatches, 0);
			CHECK(ac.pages > 0);
		}
	}
	/* memory above 512 GiB really is in the alias */
	{
		struct pt_range r;

		CHECK_EQ(pt_map(&s.ctx, swapper, PAGE_OFFSET + (600ULL << 30),
				600ULL << 30, SZ_2M, MAP_WRITE), 0);
		pgd_list_sync(&s.ctx, &list);
		CHECK_EQ(pt_translate(&s.ctx, tr.root, 600ULL << 30, &r), 0);
		CHECK_EQ(r.pa, 600ULL << 30);
	}
	sim_fini(&s);
}

/* The AP control-register rule: the trampoline's constants pass; CD or NW
 * set (what ORing into an INIT-state CR0 can leave), a missing PAE, LME or
 * an NXE unlike the BSP's each fail with their reason. */
static void test_ap_state(void)
{
	const u64 efer = (1 << 8) | (1 << 10) | (1 << 11);

	CHECK(smp_ap_state_wrong(AP_CR0, AP_CR4, efer, efer) == NULL);
	CHECK_STR(smp_ap_state_wrong(AP_CR0 | (1ULL << 30), AP_CR4, efer, efer),
		  "CR0.CD set: caching disabled");
	CHECK_STR(smp_ap_state_wrong(AP_CR0 | (1ULL << 29), AP_CR4, efer, efer),
		  "CR0.NW set: write-through not enforced");
	CHECK_STR(smp_ap_state_wrong(AP_CR0 & ~(1ULL << 16), AP_CR4, efer, efer),
		  "CR0.WP clear: supervisor writes ignore read-only pages");
	CHECK_STR(smp_ap_state_wrong(AP_CR0, 0, efer, efer), "CR4.PAE clear");
	CHECK_STR(smp_ap_state_wrong(AP_CR0, AP_CR4, efer & ~(1ULL << 10), efer),
		  "EFER.LME or LMA clear");
	CHECK_STR(smp_ap_state_wrong(AP_CR0, AP_CR4, efer & ~(1ULL << 11), efer),
		  "EFER.NXE clear on a CPU with Execute Disable");
	CHECK_STR(smp_ap_state_wrong(AP_CR0, AP_CR4, efer, efer & ~(1ULL << 11)),
		  "EFER.NXE set on a CPU without Execute Disable");
	/* AP_CR0 keeps the rules every CPU keeps */
	CHECK(cpu_rules_wrong(AP_CR0, AP_CR4, efer, true) == NULL);
}

/* An APIC ID in the xAPIC's 8-bit destination fields (the ICR's high
 * dword, an I/O APIC redirection entry's bits 56-63), or refused: x2APIC
 * IDs are 32 bits (Intel SDM vol. 3A 11.12). */
static void test_xapic_dest(void)
{
	u32 hi = 0;

	CHECK(apic_xapic_dest(0, &hi) && hi == 0);
	CHECK(apic_xapic_dest(0xff, &hi) && hi == 0xff000000u);
	CHECK(!apic_xapic_dest(0x100, &hi)); /* once sent to APIC ID 0 */
	CHECK(!apic_xapic_dest(0xffffffffu, &hi));
}

/* The rules the boot CPU keeps too (cpu_rules.h): U-Boot hands over with
 * CR0.WP clear, OVMF with it set; what the firmware leaves in CR0 besides
 * the rules' bits (ET, AM) is its own. */
static void test_cpu_rules(void)
{
	const u64 efer = (1 << 8) | (1 << 10) | (1 << 11);
	const u64 ovmf_cr0 = 0x80010033, uboot_cr0 = 0x80000033;

	CHECK(cpu_rules_wrong(ovmf_cr0, 0x668, efer, true) == NULL);
	CHECK(cpu_rules_wrong(ovmf_cr0 | (1ULL << 18), 0x20, efer, true) == NULL);
	CHECK_STR(cpu_rules_wrong(uboot_cr0, 0x668, efer, true),
		  "CR0.WP clear: supervisor writes ignore read-only pages");
	/* entry.asm's result on U-Boot's hand-over */
	CHECK(cpu_rules_wrong((uboot_cr0 | CPU_CR0_SET) & ~CPU_CR0_CLEAR, 0x668,
			      efer, true) == NULL);
	CHECK_STR(cpu_rules_wrong(ovmf_cr0 | (1ULL << 3), 0x668, efer, true),
		  "CR0.TS or EM set: x87 and SSE instructions fault");
	CHECK_STR(cpu_rules_wrong(ovmf_cr0 | (1ULL << 2), 0x668, efer, true),
		  "CR0.TS or EM set: x87 and SSE instructions fault");
	CHECK_STR(cpu_rules_wrong(ovmf_cr0 & ~(1ULL << 5), 0x668, efer, true),
		  "CR0 lacks PE, MP, NE or PG");
	CHECK_STR(cpu_rules_wrong(ovmf_cr0, 0x668, efer & ~(1ULL << 11), true),
		  "EFER.NXE clear on a CPU with Execute Disable");
	CHECK(cpu_rules_wrong(ovmf_cr0, 0x668, efer & ~(1ULL << 11), false) == NULL);
}

/* The GDTs against the descriptors the SDM spells out (vol. 3A, 3.4.5,
 * 8.2.3): the values vamap's assembly carried before kernel/gdt.c. */
static void test_gdt(void)
{
	static struct cpu_gdt g;
	const u64 ist[IST_USED] = { 0x1000, 0x2000, 0x3000 };
	struct trampoline_data td;
	u64 base = (u64)&g.tss;

	memset(&g, 0xa5, sizeof(g));
	gdt_fill(&g, ist);
	CHECK_EQ(g.gdt[GDT_NULL], 0);
	CHECK_EQ(g.gdt[GDT_KERNEL_CODE], 0x00af9a000000ffffULL);
	CHECK_EQ(g.gdt[GDT_KERNEL_DATA], 0x00cf93000000ffffULL); /* Accessed */
	CHECK_EQ(g.gdt[GDT_TSS], 103 | (base & 0xffffff) << 16 | 0x89ULL << 40 |
					 ((base >> 24) & 0xff) << 56);
	CHECK_EQ(g.gdt[GDT_TSS_HIGH], base >> 32);
	CHECK_EQ(g.tss.ist[IST_DF - 1], 0x1000);
	CHECK_EQ(g.tss.ist[IST_NMI - 1], 0x2000);
	CHECK_EQ(g.tss.ist[IST_MC - 1], 0x3000);
	CHECK_EQ(g.tss.ist[3], 0);
	CHECK_EQ(g.tss.rsp[0], 0);
	CHECK_EQ(g.tss.iomap_base, 104);
	/* 32-bit code for 32-bit firmware's services: D set, L clear,
	 * Accessed preset (loaded under a read-only GDT mapping). */
	CHECK_EQ(g.gdt[GDT_KERNEL_CODE32], 0x00cf9b000000ffffULL);
	CHECK_EQ(g.gdtr.limit, 6 * 8 - 1);
	CHECK_EQ(g.gdtr.base, (u64)g.gdt);

	gdt_fill_trampoline(td.gdt);
	CHECK_EQ(td.gdt[TR_GDT_NULL], 0);
	CHECK_EQ(td.gdt[TR_GDT_CODE32], 0x00cf9b000000ffffULL);
	CHECK_EQ(td.gdt[TR_GDT_DATA], 0x00cf93000000ffffULL);
	CHECK_EQ(td.gdt[TR_GDT_CODE64], 0x00af9b000000ffffULL);
}

int main(void)
{
	RUN(test_gdt);
	RUN(test_ap_state);
	RUN(test_cpu_rules);
	RUN(test_xapic_dest);
	RUN(test_madt_good);
	RUN(test_madt_many);
	RUN(test_madt_malformed);
	RUN(test_list_random);
	return check_exit();
}
