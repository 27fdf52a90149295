// SPDX-License-Identifier: MIT
/*
 * The kernel's own tables: from init_pg_dir (the stub's) to swapper_pg_dir.
 * Kernel-only: this file runs cpuid, writes CR3 and MSRs; the host-tested
 * mechanisms it drives live in pgtable.c, memmap.c, frame.c, directmap.c.
 *
 * Which view of physical memory the builder uses is the one thing that
 * changes at the switch: on init_pg_dir RAM is mapped 1:1 (boot/pagetable.c),
 * on swapper_pg_dir through the direct map.
 */
#include "addr.h"
#include "directmap.h"
#include "fixmap.h"
#include "kernel.h"
#include "internal.h"
#include "mm.h"
#include "mm_early.h"
#include "mm_log.h"
#include "ptdump.h"
#include "x86.h"

u64 live_pgd;
u64 swapper_pg_dir;
struct pgd_list kpgd_list;
u64 kernel_phys_base;
u64 direct_map_end;

struct frame_alloc kframes;

static u64 identity_end; /* init_pg_dir maps RAM 1:1 below this */
static u64 init_pg_dir_pa;

struct memmap kmemmap = { .ram_limit = DIRECT_MAP_MAX };

compile_assert(scratch_entry_fits,
	       sizeof(struct mem_region) + sizeof(struct frange) <=
		       BOOT_SCRATCH_BYTES_PER_DESC);

/*
 * The stub sized scratch for this map (boot_info.h): the region copy and
 * the frame ranges live there, so no fixed cap below what the firmware
 * hands over. Read through init_pg_dir's 1:1 map, which covers all RAM.
 */
static int use_scratch(const struct boot_info *bi)
{
	u64 entries = bi->scratch_size / BOOT_SCRATCH_BYTES_PER_DESC;

	if (!bi->scratch || !entries ||
	    bi->scratch + bi->scratch_size > identity_end) {
		mm_log("mm: no room from the stub for the memory-map copy\n");
		return -EINVAL;
	}
	entries = MIN(entries, 0x7fffffffULL);
	kmemmap.r = (struct mem_region *)bi->scratch;
	kmemmap.cap = (unsigned int)entries;
	frame_init(&kframes, (struct frange *)(bi->scratch +
					       entries * sizeof(struct mem_region)),
		   (unsigned int)entries);
	mm_log("mm: memory-map copy: room for %u regions (the stub's scratch)\n",
	       kmemmap.cap);
	return 0;
}

/* On swapper_pg_dir the scratch is reached through the direct map: the
 * 1:1 addresses above were init_pg_dir's. */
static void rebase_scratch(void)
{
	kmemmap.r = (struct mem_region *)(PAGE_OFFSET + (u64)kmemmap.r);
	kframes.r = (struct frange *)(PAGE_OFFSET + (u64)kframes.r);
}

static void *kphys_to_virt(struct pt_ctx *ctx, u64 pa)
{
	(void)ctx;
	if (direct_map_end)
		return (void *)(PAGE_OFFSET + pa);
	if (pa >= identity_end)
		panic("table page 0x%016lx outside init_pg_dir's 1:1 map", pa);
	return (void *)pa;
}

static int kalloc_page(struct pt_ctx *ctx, u64 *pa)
{
	if (frame_alloc(&kframes, 0, pa))
		return -ENOMEM;
	memset(kphys_to_virt(ctx, *pa), 0, PAGE_SIZE);
	return 0;
}

static void kfree_page(struct pt_ctx *ctx, u64 pa)
{
	(void)ctx;
	if (frame_free(&kframes, pa))
		mm_log("mm: freeing page 0x%016lx failed\n", pa);
}

struct pt_ctx kctx = {
	.alloc_page = kalloc_page,
	.free_page = kfree_page,
	.phys_to_virt = kphys_to_virt,
};

void mm_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

static void probe_cpu(void)
{
	u32 d = cpuid_ext_features_edx();

	kctx.has_nx = d & CPUID_EXT_EDX_NX;
	kctx.has_1g = d & CPUID_EXT_EDX_1G_PAGES;
	/* EFER.NXE is set where the CPU has it by kernel/entry.asm, before
	 * any C (cpu_rules.h); cpu.control checks it agrees with has_nx. */
	/* PAT is architectural on x86-64 (CPUID.1:EDX[16]); Linux's layout
	 * so WC and WT have encodings (pgtable.h). */
	wrmsr(MSR_IA32_PAT, PAT_VALUE);
	mm_log("mm: cpu: NX %s, 1 GiB pages %s, PAT programmed\n",
	       kctx.has_nx ? "yes" : "no", kctx.has_1g ? "yes" : "no");
}

void mm_adopt_init_pg_dir(const struct boot_info *bi)
{
	identity_end = bi->identity_map_end;
	kernel_phys_base = bi->kernel_phys;
	init_pg_dir_pa = read_cr3() & PTE_ADDR_MASK;
	live_pgd = init_pg_dir_pa;
}

int mm_early_init(const struct boot_info *bi, u64 bi_phys,
		  memmap_import_fn import)
{
	int ret;

	if (init_pg_dir_pa != bi->init_pg_dir)
		mm_log("mm: CR3 0x%016lx is not the stub's init_pg_dir 0x%016lx\n",
		       (unsigned long)init_pg_dir_pa, (unsigned long)bi->init_pg_dir);
	probe_cpu();
	ret = use_scratch(bi);
	if (ret)
		return ret;
	/* The rules themselves are host-tested (mm/early.c). */
	return mm_early_layout(&kmemmap, &kframes, bi, bi_phys,
			       (const void *)bi->memmap, import, kopt.verbose);
}

static int map_section(u64 root, const char *name, const char *start,
		       const char *end, u32 flags)
{
	u64 va = (u64)start, size = ALIGN_UP((u64)end, SZ_4K) - va;
	int ret = pt_map(&kctx, root, va, va - KERNEL_VIRT_BASE + kernel_phys_base,
			 size, flags | MAP_GLOBAL);

	if (ret)
		mm_log("mm: mapping kernel %s failed (%d)\n", name, ret);
	return ret;
}

const char *mm_stack_guard(u64 va)
{
	unsigned int i;

	for (i = 0; stack_guards[i].va; i++)
		if (va - stack_guards[i].va < SZ_4K)
			return stack_guards[i].name;
	return NULL;
}

int mm_switch_to_swapper(void)
{
	u64 root, tables, freed0;
	unsigned int i;
	int ret;

	ret = kalloc_page(&kctx, &root);
	if (ret) {
		mm_log("mm: no page for swapper_pg_dir\n");
		return ret;
	}
	ret = directmap_build(&kctx, root, &kmemmap, PAGE_OFFSET,
			      MAP_WRITE | MAP_GLOBAL);
	if (!ret)
		ret = map_section(root, "text", __text_start, __text_end, MAP_EXEC);
	if (!ret)
		ret = map_section(root, "rodata", __rodata_start, __rodata_end, 0);
	if (!ret)
		ret = map_section(root, "data/bss", __data_start, __bss_end,
				  MAP_WRITE);
	/* The guard pages under the stacks: a stack overflow faults here. */
	for (i = 0; !ret && stack_guards[i].va; i++)
		ret = pt_unmap(&kctx, root, stack_guards[i].va, SZ_4K);
	if (ret) {
		pt_free_range(&kctx, root, 0, PT_ENTRIES - 1);
		kfree_page(&kctx, root);
		return ret;
	}
	tables = pt_count_tables(&kctx, root);

	write_cr3(root);
	rebase_scratch();
	swapper_pg_dir = root;
	live_pgd = root;
	kpgd_list.master = root;
	direct_map_end = memmap_ram_end(&kmemmap);
	mm_log("mm: swapper_pg_dir live at 0x%016lx, %lu table pages\n",
	       (unsigned long)root, (unsigned long)tables);

	/* init_pg_dir is dead: give its tables (the stub's and any the
	 * fixmap added) back to the allocator. */
	freed0 = kctx.tables_freed;
	pt_free_range(&kctx, init_pg_dir_pa, 0, PT_ENTRIES - 1);
	kfree_page(&kctx, init_pg_dir_pa);
	mm_log("mm: init_pg_dir released, %lu table pages freed\n",
	       (unsigned long)(kctx.tables_freed - freed0 + 1));
	return 0;
}

static void flush_range(u64 va, u64 size)
{
	u64 off;

	if (size > 64 * SZ_4K) {
		write_cr3(read_cr3()); /* cheaper than many invlpg */
		return;
	}
	for (off = 0; off < size; off += SZ_4K)
		invlpg(va + off);
}

struct pgd_list_stats kpgd_stats;

static void after_change(int ret, u64 va, u64 size)
{
	if (ret)
		return;
	flush_range(va, size);
	if (live_pgd != swapper_pg_dir)
		return;
	pgd_list_sync(&kctx, &kpgd_list);
#if VAMAP_DEBUG
	/* The test boots prove the sync: every table compared after every
	 * change, the worst result kept for the report. */
	pgd_list_check(&kctx, &kpgd_list, &kpgd_stats.last);
	kpgd_stats.checks++;
	kpgd_stats.worst_mismatches =
		MAX(kpgd_stats.worst_mismatches, kpgd_stats.last.mismatches);
#endif
}

static u64 late_next = LATE_MAP_BASE;

void *late_map(u64 pa, u64 size, u32 flags)
{
	u64 va = late_next + SZ_4K, off; /* one guard page first */
	u64 pages = ALIGN_UP(size, SZ_4K) >> 12;

	if (va + (pages << 12) > LATE_MAP_BASE + LATE_MAP_SIZE)
		return NULL;
	if (pa) {
		if (mm_map_live(va, pa, pages << 12, flags)) {
			mm_log("late_map: mapping 0x%016lx failed\n", (unsigned long)pa);
			return NULL;
		}
	} else {
		for (off = 0; off < pages << 12; off += SZ_4K) {
			u64 frame;

			if (kalloc_page(&kctx, &frame) ||
			    mm_map_live(va + off, frame, SZ_4K, flags)) {
				mm_log("late_map: no memory for %lu pages\n",
				       (unsigned long)pages);
				return NULL;
			}
		}
	}
	late_next = va + (pages << 12);
	return (void *)va;
}

int mm_map_live(u64 va, u64 pa, u64 size, u32 flags)
{
	int ret = pt_map(&kctx, live_pgd, va, pa, size, flags);

	after_change(ret, va, size);
	return ret;
}

int mm_unmap_live(u64 va, u64 size)
{
	int ret = pt_unmap(&kctx, live_pgd, va, size);

	after_change(ret, va, size);
	return ret;
}

void mm_report_walk(u64 va)
{
	if (live_pgd)
		ptdump_walk_va(&kctx, live_pgd, va);
}

/* ---- fixmap ------------------------------------------------------------ */

static u64 fix_used; /* one bit per early-map slot */
compile_assert(early_map_slots_fit_mask,
	       FIX_EARLY_MAP_LAST - FIX_EARLY_MAP_FIRST + 1 <= 64);

u64 fix_to_virt(unsigned int idx)
{
	if (idx >= __end_of_fixed_addresses)
		panic("fix_to_virt(%u): past the last fixmap slot", idx);
	return FIXMAP_TOP - ((u64)idx + 1) * PAGE_SIZE;
}

void *early_memremap(u64 pa, u64 size, bool uc)
{
	u64 first = ALIGN_DOWN(pa, SZ_4K);
	unsigned int pages = (unsigned int)((ALIGN_UP(pa + size, SZ_4K) - first) >> 12);
	unsigned int slot;
	u64 va;

	/* Slots are handed out as a run; higher slot, lower address, so the
	 * run starts at its last slot. */
	for (slot = FIX_EARLY_MAP_FIRST; slot + pages <= FIX_EARLY_MAP_LAST + 1;
	     slot++) {
		u64 mask = (pages >= 64 ? ~0ULL : ((1ULL << pages) - 1)) << slot;

		if (fix_used & mask)
			continue;
		va = fix_to_virt(slot + pages - 1);
		if (mm_map_live(va, first, (u64)pages << 12,
				uc ? MAP_UC : MAP_WB)) {
			mm_log("early_memremap: mapping 0x%lx failed\n",
			       (unsigned long)pa);
			return NULL;
		}
		fix_used |= mask;
		return (void *)(va + (pa - first));
	}
	mm_log("early_memremap: no %u free fixmap slots for 0x%lx\n", pages,
	       (unsigned long)pa);
	return NULL;
}

void early_memunmap(void *p, u64 size)
{
	u64 va = ALIGN_DOWN((u64)p, SZ_4K);
	unsigned int pages = (unsigned int)((ALIGN_UP((u64)p + size, SZ_4K) - va) >> 12);
	unsigned int last = (unsigned int)((FIXMAP_TOP - va) >> 12) - 1;
	unsigned int slot = last + 1 - pages;

	if (va < FIXMAP_BASE || last > FIX_EARLY_MAP_LAST)
		panic("early_memunmap(%p): not an early mapping", p);
	mm_unmap_live(va, (u64)pages << 12);
	fix_used &= ~((pages >= 64 ? ~0ULL : ((1ULL << pages) - 1)) << slot);
}

/* ---- checked conversions ------------------------------------------------ */

u64 pa_checked(u64 va, u64 ip)
{
	if (!direct_map_end)
		panic("__pa(0x%lx) at %p: the direct map is not live yet", va,
		      (void *)ip);
	if (va < PAGE_OFFSET || va >= PAGE_OFFSET + direct_map_end)
		panic("__pa(0x%lx) at %p: not a direct-map address%s", va,
		      (void *)ip,
		      va >= KERNEL_VIRT_BASE ? " (an image address: use __pa_symbol)"
					     : "");
	return va - PAGE_OFFSET;
}

void *va_checked(u64 pa, u64 ip)
{
	if (!direct_map_end)
		panic("__va(0x%lx) at %p: the direct map is not live yet", pa,
		      (void *)ip);
	if (pa >= direct_map_end)
		panic("__va(0x%lx) at %p: beyond the direct map (ends 0x%lx)", pa,
		      (void *)ip, direct_map_end);
	return (void *)(pa + PAGE_OFFSET);
}

u64 pa_symbol_checked(u64 va, u64 ip)
{
	if (va < (u64)__kernel_start || va >= (u64)__kernel_end)
		panic("__pa_symbol(0x%lx) at %p: not in the kernel image", va,
		      (void *)ip);
	return va - KERNEL_VIRT_BASE + kernel_phys_base;
}

/* ---- the interface the rest of the kernel uses (mm.h) ----------------- */

const struct mem_region *mm_region_at(u64 pa)
{
	return memmap_find(&kmemmap, pa);
}

const struct mem_region *mm_region_next(const struct mem_region *prev)
{
	const struct mem_region *r = prev ? prev + 1 : kmemmap.r;

	return r < kmemmap.r + kmemmap.n ? r : NULL;
}

u64 mm_ram_end(void)
{
	return memmap_ram_end(&kmemmap);
}

unsigned int mm_map_gaps(u64 start, u64 end, struct mem_gap *out,
			 unsigned int max, u64 *bytes)
{
	return memmap_gaps(&kmemmap, start, end, out, max, bytes);
}

int mm_alloc_page_below(u64 limit, u64 *pa)
{
	if (frame_alloc(&kframes, limit, pa))
		return -ENOMEM;
	memset(__va(*pa), 0, SZ_4K);
	return 0;
}

int mm_alloc_pages(u64 pages, u64 *pa)
{
	if (frame_alloc_pages(&kframes, pages, 0, pa))
		return -ENOMEM;
	memset(__va(*pa), 0, pages * SZ_4K);
	return 0;
}

void mm_free_page(u64 pa)
{
	frame_free(&kframes, pa);
}

u64 mm_release_boot_services(void)
{
	u64 bytes = 0;
	unsigned int i;

	/* Below 1 MiB stays reserved, as the allocator's first fill left it
	 * (MM_LOW_RESERVE): the AP trampoline lives there. */
	for (i = 0; i < kmemmap.n; i++) {
		const struct mem_region *m = &kmemmap.r[i];
		u64 s = MAX(m->start, MM_LOW_RESERVE);

		if (m->class != MEM_BOOT_SERVICES || s >= m->end)
			continue;
		if (!frame_add(&kframes, s, m->end))
			bytes += m->end - s;
	}
	memmap_release_boot_services(&kmemmap);
	return bytes;
}

int mm_translate(u64 root, u64 va, u64 *pa)
{
	return pt_translate_pa(&kctx, root, va, pa);
}

unsigned int mm_table_list_join(const struct pgd_member *m)
{
	pgd_list_add(&kpgd_list, m);
	return pgd_list_sync(&kctx, &kpgd_list);
}

bool mm_has_nx(void)
{
	return kctx.has_nx;
}

struct pt_ctx *mm_table_ctx(void)
{
	return &kctx;
}

void mm_table_list_check(struct pgd_check *c)
{
	pgd_list_check(&kctx, &kpgd_list, c);
}
