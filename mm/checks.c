// SPDX-License-Identifier: MIT
/*
 * Checks of the live kernel tables, each a KTAP line. They assert exact
 * invariants (flags per linker section, nothing in the user half or the
 * EFI slot, the direct map readable at both ends of every RAM region), not
 * just that something printed.
 */
#include "acpi.h"
#include "addr.h"
#include "kernel.h"
#include "ktap.h"
#include "layout.h"
#include "internal.h"
#include "mm.h"
#include "ptdump.h"
#include "x86.h"

const struct ptdump_marker mm_markers[] = {
	{ 0, "User Space" },
	{ PAGE_OFFSET, "Direct Map" },
	{ LATE_MAP_BASE, "Late Mappings" },
	{ EFI_SLOT_BASE, "EFI Slot" },
	{ EFI_LINUX_BASE, "EFI Linux Window" },
	{ KERNEL_VIRT_BASE, "Kernel Image" },
	{ FIXMAP_BASE, "Fixmap" },
	{ 0, NULL },
};

/* The virtual layout, from layout.h: the same table as the README's. */
static void print_layout(void)
{
	static const struct {
		u64 start, end;
		const char *what;
	} l[] = {
		{ 0, LOW_HALF_END, "user half: 1:1 maps in efi_pgd, trampoline_pgd" },
		{ PAGE_OFFSET, PAGE_OFFSET + DIRECT_MAP_MAX, "direct map" },
		{ LATE_MAP_BASE, LATE_MAP_BASE + LATE_MAP_SIZE, "late mappings" },
		{ EFI_SLOT_BASE, EFI_SLOT_BASE + EFI_SLOT_SIZE, "EFI slot (efi=slot)" },
		{ EFI_LINUX_BASE, EFI_LINUX_TOP, "EFI Linux window (efi=linux)" },
		{ KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + KERNEL_MAX_SIZE, "kernel image" },
		{ FIXMAP_BASE, FIXMAP_TOP, "fixmap" },
	};
	unsigned int i;

	kprintf("== layout\n");
	for (i = 0; i < ARRAY_SIZE(l); i++)
		kprintf("layout: 0x%016lx-0x%016lx PGD %3u..%3u %s\n",
			(unsigned long)l[i].start, (unsigned long)l[i].end,
			(unsigned int)PGD_INDEX(l[i].start),
			(unsigned int)PGD_INDEX(l[i].end - 1), l[i].what);
}

void mm_dump_swapper(void)
{
	print_layout();
	kprintf("== ptdump swapper_pg_dir\n");
	ptdump(&kctx, swapper_pg_dir, 0, 0, mm_markers);
}

/* Every page of [start, end) maps kernel_phys + offset with exactly @want. */
static bool section_ok(const char *name, const char *start, const char *end,
		       u32 want)
{
	u64 va;

	for (va = (u64)start; va < ALIGN_UP((u64)end, SZ_4K); va += SZ_4K) {
		struct pt_range r;
		bool mapped = !pt_translate(&kctx, live_pgd, va, &r);
		const char *guarded = mm_stack_guard(va);

		if (guarded) {
			if (!mapped)
				continue;
			ktap_result(false, "mm.kernel_sections", "the guard page "
				    "under %s (%p) is mapped", guarded, (void *)va);
			return false;
		}
		if (!mapped) {
			ktap_result(false, "mm.kernel_sections", "%s page %p not mapped",
				    name, (void *)va);
			return false;
		}
		if (r.flags != want ||
		    r.pa + (va - r.va) != va - KERNEL_VIRT_BASE + kernel_phys_base) {
			ktap_result(false, "mm.kernel_sections",
				    "%s page %p: flags 0x%x (want 0x%x) pa 0x%lx",
				    name, (void *)va, r.flags, want,
				    (unsigned long)(r.pa + (va - r.va)));
			return false;
		}
	}
	return true;
}

/* Without NX (CPUID.80000001h:EDX[20] clear: Execute Disable switched
 * off, or a hypervisor that hides it) no page can be non-executable (SDM
 * vol. 3A, 4.6): the checks then hold every page to the rest of its flags. */
static u32 noexec(void)
{
	return kctx.has_nx ? 0 : MAP_EXEC;
}

static void check_sections(void)
{
	unsigned int guards = 0;

	while (stack_guards[guards].va)
		guards++;
	if (section_ok("text", __text_start, __text_end, MAP_EXEC | MAP_GLOBAL) &&
	    section_ok("rodata", __rodata_start, __rodata_end,
		       MAP_GLOBAL | noexec()) &&
	    section_ok("data/bss", __data_start, __bss_end,
		       MAP_WRITE | MAP_GLOBAL | noexec()))
		ktap_result(true, "mm.kernel_sections", "%s, %u guard pages "
			    "unmapped", kctx.has_nx
			    ? "text RX, rodata R NX, data/bss RW NX"
			    : "text RX, rodata R, data/bss RW (no NX: all executable)",
			    guards);
}

/* The user half and the EFI slot are empty in the kernel's own tables. */
static void check_empty_slots(void)
{
	const u64 *pgd = __va(swapper_pg_dir);
	struct pt_range r;
	unsigned int i, used = 0;

	for (i = 0; i < 256; i++)
		used += pgd[i] != 0;
	if (used || pgd[PGD_INDEX(EFI_SLOT_BASE)] ||
	    !pt_translate(&kctx, live_pgd, 0, &r))
		ktap_result(false, "mm.empty_slots", "%u user-half entries, EFI "
			    "slot 0x%lx", used,
			    (unsigned long)pgd[PGD_INDEX(EFI_SLOT_BASE)]);
	else
		ktap_result(true, "mm.empty_slots", "user half, page 0 and the "
			    "EFI slot unmapped");
}

/* Read the first and last page of every RAM region through the direct
 * map, and check the direct map sends them to the right frames. */
static void check_direct_map(void)
{
	unsigned int i, regions = 0;
	u64 bytes = 0;

	for (i = 0; i < kmemmap.n; i++) {
		const struct mem_region *m = &kmemmap.r[i];
		u64 pages[2] = { m->start, m->end - SZ_4K };
		unsigned int k;

		if (!m->ram)
			continue;
		for (k = 0; k < 2; k++) {
			struct pt_range r;
			u64 va = (u64)__va(pages[k]);

			if (pt_translate(&kctx, live_pgd, va, &r) ||
			    r.pa + (va - r.va) != pages[k] ||
			    (r.flags & MAP_EXEC & ~noexec()) ||
			    !(r.flags & MAP_WRITE)) {
				ktap_result(false, "mm.direct_map",
					    "page 0x%lx not mapped RW NX at %p",
					    (unsigned long)pages[k], (void *)va);
				return;
			}
			(void)*(volatile u64 *)va;
			(void)*(volatile u64 *)(va + SZ_4K - 8);
		}
		regions++;
		bytes += m->end - m->start;
	}
	kprintf("mm: read the first and last page of %u RAM regions (%lu MiB) "
		"through the direct map\n", regions, (unsigned long)(bytes >> 20));
	ktap_result(regions > 0, "mm.direct_map", "%u regions", regions);
}

/*
 * mm.conversions: the software conversions agree with the tables the CPU
 * walks. __pa_symbol() of the image's first and last page is the frame
 * swapper_pg_dir maps there, and __va() of the direct map's first and
 * last page maps back to that frame. test=bad-conversion shifts
 * kernel_phys_base by 2 MiB while it looks (what a kernel that recorded
 * its load address wrong would do).
 */
static void check_conversions(void)
{
	const u64 image[2] = { (u64)__text_start,
			       ALIGN_DOWN((u64)__kernel_end - 1, SZ_4K) };
	const u64 dm[2] = { 0x1000, direct_map_end - SZ_4K };
	u64 saved = kernel_phys_base;
	unsigned int k;

	if (kopt.test & TEST_BAD_CONVERSION) {
		kprintf("test: kernel_phys_base shifted by 2 MiB while "
			"mm.conversions looks\n");
		kernel_phys_base += SZ_2M;
	}
	for (k = 0; k < 2; k++) {
		u64 pa = __pa_symbol(image[k]), got;

		if (pt_translate_pa(&kctx, live_pgd, image[k], &got))
			got = 0;
		if (got != pa) {
			kernel_phys_base = saved;
			ktap_result(false, "mm.conversions", "__pa_symbol(%p) is "
				    "0x%016lx, the tables map it at 0x%016lx",
				    (void *)image[k], (unsigned long)pa,
				    (unsigned long)got);
			return;
		}
	}
	kernel_phys_base = saved;
	for (k = 0; k < 2; k++) {
		u64 va = (u64)__va(dm[k]), got;

		if (pt_translate_pa(&kctx, live_pgd, va, &got) || got != dm[k] ||
		    __pa(va) != dm[k]) {
			ktap_result(false, "mm.conversions", "__va(0x%016lx) is %p, "
				    "which the tables do not map back to it",
				    (unsigned long)dm[k], (void *)va);
			return;
		}
	}
	ktap_result(true, "mm.conversions", NULL);
}

/*
 * mm.fixmap: the ACPI tables were read through the fixmap before the
 * direct map existed (kernel/acpi.c); each signature read then must be
 * what the direct map shows now, for every table the direct map covers.
 * A fixmap slot that mapped the wrong frame, or a stale TLB entry, shows
 * here. test=fixmap-mismatch flips a bit of the first signature as read.
 */
static void check_fixmap(void)
{
	unsigned int i, compared = 0;

	if (!acpi.found) {
		ktap_skip("mm.fixmap", "no valid ACPI tables to read");
		return;
	}
	if ((kopt.test & TEST_FIXMAP_MISMATCH) && acpi.nr_tables) {
		kprintf("test: the first table's signature as read through the "
			"fixmap, one bit off\n");
		acpi.sig[0][0] ^= 0x20;
	}
	for (i = 0; i < acpi.nr_tables; i++) {
		u64 va = PAGE_OFFSET + acpi.table[i], got;

		if (acpi.table[i] >= direct_map_end ||
		    pt_translate_pa(&kctx, live_pgd, va, &got) ||
		    got != acpi.table[i])
			continue; /* not RAM the direct map covers */
		if (memcmp((const void *)va, acpi.sig[i], 4)) {
			ktap_result(false, "mm.fixmap", "table %u at 0x%016lx: '%s' "
				    "through the fixmap, '%.4s' through the direct "
				    "map", i, (unsigned long)acpi.table[i],
				    acpi.sig[i], (const char *)va);
			return;
		}
		compared++;
	}
	ktap_result(true, "mm.fixmap", "ACPI RSDP and %s read before the direct "
		    "map existed; %u of %u signatures the same through the direct "
		    "map", acpi.root_is_xsdt ? "XSDT" : "RSDT", compared,
		    acpi.nr_tables);
}

void mm_checks(void)
{
	u64 wx;

	if (!kmemmap.n)
		ktap_result(false, "mm.memmap", "the firmware map could not be read");
	else if (kmemmap.problems)
		ktap_result(false, "mm.memmap", "%u descriptor problems in the "
			    "firmware map", kmemmap.problems);
	else
		ktap_result(true, "mm.memmap", "%u regions", kmemmap.n);
	if (!swapper_pg_dir) {
		ktap_result(false, "mm.swapper", "never built");
		return;
	}
	ktap_result(live_pgd == swapper_pg_dir &&
			    (read_cr3() & PTE_ADDR_MASK) == swapper_pg_dir,
		    "mm.swapper", NULL);
	check_sections();
	if (kctx.has_nx) {
		wx = ptdump_wx_check(&kctx, swapper_pg_dir);
		ktap_result(wx == 0, "mm.wx", "%lu W+X pages", (unsigned long)wx);
	} else {
		ktap_skip("mm.wx", "the CPU has no NX (Execute Disable): every "
			  "page is executable");
	}
	check_empty_slots();
	check_direct_map();
	check_conversions();
	check_fixmap();
}
