// SPDX-License-Identifier: MIT
// sources: efi/va.c efi/pgd.c mm/pgd_list.c mm/pgtable.c efi/memdesc.c kernel/printf.c
/*
 * efi/ logic on simulated memory: VA placement (map order, VA = PA mod
 * 2 MiB, top-down, window overflow, 1:1), malformed runtime descriptors,
 * and efi_pgd's sharing invariant — every kernel-half entry identical to
 * swapper_pg_dir's except the private slot, the private PUD equal to the
 * kernel's outside the window — across seeded random kernel-half changes,
 * with EFI mappings never reaching the kernel's tables.
 */
#include "efi_defs.h"
#include "efi_pgd.h"
#include "efi_va.h"
#include "layout.h"
#include "rawmap.h"
#include "sim.h"

static struct efi_rt_region plan_room[RAWMAP_MAX];
static struct efi_va_plan plan = { .r = plan_room, .cap = RAWMAP_MAX };

#define RT (EFI_MEMORY_RUNTIME | EFI_MEMORY_WB)

/* OVMF-like: runtime regions interleaved with others, odd sizes. */
static void ovmf_like(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0xa0, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x7eaa0000, 0x102, RT);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x7eba2000, 0x400, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x7f4ec000, 0x100, RT);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x7f5ec000, 0x100, RT);
	raw_add(EFI_ACPI_MEMORY_NVS, 0x7f6ec000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x7fef4000, 0x84, RT);
	raw_add(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, EFI_MEMORY_RUNTIME | EFI_MEMORY_UC);
}

static void check_plan_shape(u64 base, u64 top)
{
	unsigned int i;

	for (i = 0; i < plan.n; i++) {
		const struct efi_rt_region *r = &plan.r[i];

		CHECK(r->placed);
		CHECK_EQ(r->va & (SZ_2M - 1), r->pa & (SZ_2M - 1));
		CHECK(r->va >= base && r->va + r->size <= top);
		if (i)
			CHECK(plan.r[i - 1].va + plan.r[i - 1].size <= r->va);
	}
	/* top-down: the last region ends within 2 MiB of the top */
	CHECK(plan.r[plan.n - 1].va + plan.r[plan.n - 1].size > top - SZ_2M);
}

static void test_placement(void)
{
	ovmf_like();
	mm_log_clear();
	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), 0);
	CHECK_EQ(plan.n, 5);
	CHECK_EQ(plan.r[0].desc, 1); /* map order */
	CHECK_EQ(plan.r[4].desc, 7);
	CHECK_EQ(plan.r[4].va, EFI_SLOT_BASE + EFI_SLOT_SIZE - 0x400000);
	check_plan_shape(EFI_SLOT_BASE, EFI_SLOT_BASE + EFI_SLOT_SIZE);
	CHECK(efi_region_by_va(&plan, plan.r[2].va + 5) == &plan.r[2]);
	CHECK(efi_region_by_va(&plan, plan.r[0].va - 1) == NULL);
	CHECK(efi_region_by_pa(&plan, plan.r[2].pa + 5) == &plan.r[2]);
	CHECK(efi_region_by_pa(&plan, plan.r[0].pa - 1) == NULL);
	CHECK_EQ(mm_log_len, 0);

	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_LINUX_BASE,
			     EFI_LINUX_TOP, false, &plan), 0);
	check_plan_shape(EFI_LINUX_BASE, EFI_LINUX_TOP);

	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, 0, 0, true, &plan), 0);
	for (unsigned int i = 0; i < plan.n; i++)
		CHECK_EQ(plan.r[i].va, plan.r[i].pa);
}

/* A bigger stride: descriptors are found by desc_size, not sizeof. */
/* A map with no EFI_MEMORY_RUNTIME descriptor: an empty plan, no error;
 * efi/setup.c then turns runtime services off with a line instead of
 * reading plan.r[n - 1] (test=no-runtime-descs boots that path). */
static void test_no_runtime(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_CODE, 0x200000, 0x10, EFI_MEMORY_WB);
	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), 0);
	CHECK_EQ(plan.n, 0);
	CHECK_EQ(plan.errors, 0);
	CHECK_EQ(plan.lowest_va, EFI_SLOT_BASE + EFI_SLOT_SIZE);
}

/* More runtime descriptors than the fixed table of 512 the plan once had
 * (a fragmented map: every driver's code and data apart, as on a large
 * server): each is placed, none rejected, given the room
 * efi_plan_capacity() asks for; with less room, the ones past it are
 * rejected, named, and the plan is refused. */
static void test_many_regions(void)
{
	enum { N = 600 };
	unsigned int i;

	raw_reset();
	for (i = 0; i < N; i++)
		raw_add(i % 3 ? EFI_RUNTIME_SERVICES_DATA : EFI_RUNTIME_SERVICES_CODE,
			0x40000000 + (u64)i * 0x3000, 2, RT);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);
	CHECK_EQ(efi_plan_capacity((u64)nraw * STRIDE, STRIDE), N + 1);
	CHECK_EQ(efi_plan_capacity((u64)nraw * STRIDE, 44), 0);
	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), 0);
	CHECK_EQ(plan.n, N);
	CHECK_EQ(plan.errors, 0);
	CHECK_EQ(plan.r[N - 1].desc, N - 1);
	check_plan_shape(EFI_SLOT_BASE, EFI_SLOT_BASE + EFI_SLOT_SIZE);
	plan.cap = N - 10;
	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), -EINVAL);
	CHECK_EQ(plan.n, N - 10);
	CHECK_EQ(plan.errors, 10);
	plan.cap = RAWMAP_MAX;
}

/*
 * A model of Linux 6.1's placement (arch/x86/platform/efi/efi.c and
 * efi_64.c), written step by step after the source, independently of
 * efi/va.c: efi_merge_regions() on a copy of the map, then
 * efi_map_regions(): the map walked in reverse, should_map_region(),
 * efi_map_region()'s VA arithmetic from EFI_VA_START, each descriptor
 * appended to new_memmap in that order.
 */
struct lx_desc { u32 type; u64 pa, pages, attr, va; };

static unsigned int linux_model(const u8 *map, unsigned int n,
				struct lx_desc *out)
{
	struct lx_desc md[RAWMAP_MAX];
	u64 efi_va = EFI_LINUX_TOP;
	unsigned int i, count = 0;
	int prev = -1;

	for (i = 0; i < n; i++) {
		const struct efi_memory_desc *d = (const void *)(map + i * STRIDE);

		md[i] = (struct lx_desc){ d->type, d->phys_start, d->num_pages,
					  d->attribute, 0 };
	}
	for (i = 0; i < n; i++) { /* efi_merge_regions */
		if (prev < 0) {
			prev = (int)i;
			continue;
		}
		if (md[prev].type != md[i].type || md[prev].attr != md[i].attr) {
			prev = (int)i;
			continue;
		}
		if (md[i].pa == md[prev].pa + (md[prev].pages << 12)) {
			md[prev].pages += md[i].pages;
			md[i].type = EFI_RESERVED_TYPE;
			md[i].attr = 0;
			continue;
		}
		prev = (int)i;
	}
	for (i = n; i-- > 0;) { /* efi_map_regions, efi_map_next_entry_reverse */
		struct lx_desc *m = &md[i];
		u64 size = m->pages << 12;

		if (!(m->attr & EFI_MEMORY_RUNTIME) &&
		    m->type != EFI_BOOT_SERVICES_CODE &&
		    m->type != EFI_BOOT_SERVICES_DATA)
			continue;
		efi_va -= size; /* efi_map_region */
		if (!(m->pa & (SZ_2M - 1))) {
			efi_va &= ~(u64)(SZ_2M - 1);
		} else {
			u64 prev_va = efi_va;

			efi_va = (efi_va & ~(u64)(SZ_2M - 1)) + (m->pa & (SZ_2M - 1));
			if (efi_va > prev_va)
				efi_va -= SZ_2M;
		}
		m->va = efi_va;
		out[count++] = *m;
	}
	return count;
}

static void compare_with_linux(const char *what)
{
	struct lx_desc want[RAWMAP_MAX];
	unsigned int n = linux_model(raw, nraw, want), i;

	CHECK_EQ(efi_plan_va_linux(raw, (u64)nraw * STRIDE, STRIDE, EFI_LINUX_BASE,
				   EFI_LINUX_TOP, &plan), 0);
	CHECK(plan.svam_reverse);
	CHECK_EQ(plan.n, n);
	if (plan.n != n) {
		fprintf(stderr, "%s: %u regions, Linux maps %u\n", what, plan.n, n);
		return;
	}
	/* The SVAM order is the plan reversed: Linux's new_memmap order. */
	for (i = 0; i < n; i++) {
		const struct efi_rt_region *r = &plan.r[n - 1 - i];

		CHECK_EQ(r->pa, want[i].pa);
		CHECK_EQ(r->size, want[i].pages << 12);
		CHECK_EQ(r->va, want[i].va);
		CHECK_EQ(r->type, want[i].type);
		CHECK_EQ(r->boot_services, !(want[i].attr & EFI_MEMORY_RUNTIME));
	}
}

/* OVMF's shape: boot-services code and data between runtime regions,
 * neighbours of one type to merge, and runtime MMIO. */
static void test_linux_ovmf_shape(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0xa0, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x100000, 0x700, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x800000, 0x8, EFI_MEMORY_WB);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x808000, 0x3000, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_CODE, 0x7e000000, 0x9e, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x7e09e000, 0x20, RT);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x7e0be000, 0x10, RT);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x7e0ce000, 0x8, RT);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x7e0d6000, 0x3, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x7f6a0000, 0x102, RT);
	raw_add(EFI_ACPI_MEMORY_NVS, 0x7ff78000, 0x88, EFI_MEMORY_WB);
	raw_add(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
	compare_with_linux("ovmf");
	/* merged: 0x100000 BootData takes in its neighbour, the two
	 * RuntimeCode descriptors become one */
	CHECK_EQ(plan.n, 7);
	CHECK_EQ(plan.r[0].size, 0x708000);
}

/* xorshift64: seeded, so a failure repeats. */
static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Seeded random maps: types, attributes and adjacency at random. */
static void test_linux_random(void)
{
	static const u32 types[] = {
		EFI_CONVENTIONAL_MEMORY, EFI_BOOT_SERVICES_CODE, EFI_BOOT_SERVICES_DATA,
		EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
		EFI_LOADER_DATA, EFI_ACPI_RECLAIM_MEMORY,
	};
	u64 seed = 0x1badb002cafef00dULL;
	unsigned int round;

	for (round = 0; round < 300; round++) {
		u64 pa = 0x100000;
		unsigned int i, n;

		raw_reset();
		n = 5 + (unsigned int)(rnd(&seed) % 60);
		for (i = 0; i < n; i++) {
			u32 t = types[rnd(&seed) % ARRAY_SIZE(types)];
			u64 pages = 1 + rnd(&seed) % 700, attr = EFI_MEMORY_WB;

			if (t == EFI_RUNTIME_SERVICES_CODE || t == EFI_RUNTIME_SERVICES_DATA)
				attr |= EFI_MEMORY_RUNTIME;
			if (rnd(&seed) % 4 == 0)
				pa += (1 + rnd(&seed) % 600) << 12; /* a hole */
			raw_add(t, pa, pages, attr);
			pa += pages << 12;
		}
		compare_with_linux("random");
	}
}

static void test_stride(void)
{
	static u8 wide[8 * 64];
	unsigned int i;

	ovmf_like();
	memset(wide, 0xcc, sizeof(wide));
	for (i = 0; i < nraw; i++)
		memcpy(wide + i * 64, raw + i * STRIDE, sizeof(struct efi_memory_desc));
	CHECK_EQ(efi_plan_va(wide, (u64)nraw * 64, 64, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), 0);
	CHECK_EQ(plan.n, 5);
	CHECK_EQ(plan.r[2].pa, 0x7f5ec000);
	CHECK_EQ(efi_plan_va(wide, 64, 36, 0, SZ_1G, false, &plan), -EINVAL);
}

static void test_window_overflow(void)
{
	ovmf_like();
	mm_log_clear();
	/* 6 MiB cannot hold 4 MiB of MMIO plus the rest at their congruences */
	CHECK_EQ(efi_plan_va(raw, (u64)nraw * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + 0x600000, false, &plan), -EINVAL);
	CHECK(plan.errors >= 1);
	CHECK(strstr(mm_log_buf, "does not fit in the window") != NULL);
	CHECK(strstr(mm_log_buf, "runtime desc 1 (RuntimeData") != NULL);
	/* regions that fitted are placed, and none lies below the window */
	for (unsigned int i = 0; i < plan.n; i++)
		CHECK(!plan.r[i].placed || plan.r[i].va >= EFI_SLOT_BASE);
	/* 1:1 mode refuses a region above the low half */
	raw_reset();
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x800000000000ULL, 1, RT);
	CHECK_EQ(efi_plan_va(raw, STRIDE, STRIDE, 0, 0, true, &plan), -EINVAL);
}

static void test_malformed_runtime(void)
{
	static const struct { u64 pa, pages; const char *why; } bad[] = {
		{ 0x100000, 0, "zero pages" },
		{ 0x100800, 1, "start not 4 KiB aligned" },
		{ 0xfffffffffffff000ULL, 2, "range wraps" },
		{ 0x100000, 1ULL << 62, "range wraps" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		raw_reset();
		raw_add(EFI_RUNTIME_SERVICES_CODE, 0x200000, 4, RT);
		raw_add(EFI_RUNTIME_SERVICES_DATA, bad[i].pa, bad[i].pages, RT);
		mm_log_clear();
		CHECK_EQ(efi_plan_va(raw, 2 * STRIDE, STRIDE, EFI_SLOT_BASE,
				     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), -EINVAL);
		CHECK(strstr(mm_log_buf, "runtime desc 1") != NULL);
		CHECK(strstr(mm_log_buf, bad[i].why) != NULL);
	}
	/* overlapping runtime descriptors */
	raw_reset();
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x200000, 4, RT);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x202000, 4, RT);
	mm_log_clear();
	CHECK_EQ(efi_plan_va(raw, 2 * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), -EINVAL);
	CHECK(strstr(mm_log_buf, "runtime desc 1 overlaps runtime desc 0") != NULL);
	/* Under Linux's rules a descriptor that continues the one before it
	 * merges into it; what it adds is still checked: here it reaches
	 * desc 0, which lies above (efi=slot refuses the same map). */
	raw_reset();
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x302000, 1, RT);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x300000, 1, RT);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x301000, 2, RT);
	mm_log_clear();
	CHECK_EQ(efi_plan_va_linux(raw, 3 * STRIDE, STRIDE, EFI_LINUX_BASE,
				   EFI_LINUX_TOP, &plan), -EINVAL);
	CHECK(strstr(mm_log_buf, "runtime desc 2 overlaps runtime desc 0") != NULL);
	CHECK_EQ(plan.n, 2); /* no region took the overlapping pages */
	CHECK_EQ(plan.r[1].size, SZ_4K);
	mm_log_clear();
	CHECK_EQ(efi_plan_va(raw, 3 * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), -EINVAL);
	CHECK(strstr(mm_log_buf, "runtime desc 2 overlaps runtime desc 0") != NULL);
	/* ... and a merge that overlaps nothing still merges */
	raw_reset();
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x300000, 1, RT);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x301000, 2, RT);
	CHECK_EQ(efi_plan_va_linux(raw, 2 * STRIDE, STRIDE, EFI_LINUX_BASE,
				   EFI_LINUX_TOP, &plan), 0);
	CHECK_EQ(plan.n, 1);
	CHECK_EQ(plan.r[0].size, 3 * SZ_4K);
	/* a malformed descriptor without the runtime bit is not ours to judge */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100800, 0, 0);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x200000, 4, RT);
	CHECK_EQ(efi_plan_va(raw, 2 * STRIDE, STRIDE, EFI_SLOT_BASE,
			     EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan), 0);
	CHECK_EQ(plan.n, 1);
	/* no map at all */
	CHECK_EQ(efi_plan_va(NULL, 0, STRIDE, 0, SZ_1G, false, &plan), -EINVAL);
}

/* ---- the sharing invariant ------------------------------------------- */

static struct sim s;
static u64 swapper;

static void build_kernel(void)
{
	sim_init(&s, 16384, true);
	swapper = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, swapper, PAGE_OFFSET, 0, 4ULL << 30,
			MAP_WRITE | MAP_GLOBAL), 0);
	CHECK_EQ(pt_map(&s.ctx, swapper, KERNEL_VIRT_BASE, 0x1000000, 0x40000,
			MAP_EXEC | MAP_GLOBAL), 0);
	CHECK_EQ(pt_map(&s.ctx, swapper, FIXMAP_TOP - SZ_4K, 0xfee00000, SZ_4K,
			MAP_UC | MAP_WRITE), 0);
}

struct snap {
	u64 n, hash;
};

static int snap_fn(const struct pt_range *r, void *arg)
{
	struct snap *sn = arg;

	sn->n++;
	sn->hash = (sn->hash ^ r->va ^ (r->pa << 1) ^ ((u64)r->flags << 60)) *
		   0x100000001b3ULL;
	return 0;
}

static struct snap snapshot(u64 root)
{
	struct snap sn = { 0, 0xcbf29ce484222325ULL };

	pt_walk(&s.ctx, root, 0, 0, snap_fn, &sn);
	return sn;
}

/* The whole test image of build_kernel(), kept as efi.shared would. */
static const struct efi_strict_range shared_keep[] = {
	{ KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + 0x40000, MAP_EXEC, "image" },
};

/* Would a supervisor write to @va through @root succeed (CR0.WP = 1: every
 * level must allow it, SDM vol. 3A 4.6.1)? */
static bool writable(u64 root, u64 va)
{
	struct pt_step st[PT_LEVELS];
	unsigned int i, n = pt_walk_va(&s.ctx, root, va, st);

	if (!pt_entry_is_leaf(st[n - 1].entry, n - 1))
		return false;
	for (i = 0; i < n; i++)
		if (!(st[i].entry & PTE_WRITE))
			return false;
	return true;
}

static void invariant_for_mode(enum efi_mode mode, u64 seed, bool shared)
{
	struct pgd_list list = { 0 };
	struct pgd_member m;
	struct pgd_check c;
	struct efi_window w;
	struct snap before, after;
	struct pt_range r;
	int i;

	build_kernel();
	efi_mode_window(mode, &w);
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, mode, &m), 0);
	if (shared) {
		u64 pages;

		CHECK_EQ(efi_pgd_make_shared(&s.ctx, m.root, swapper, shared_keep, 1,
					     &m, &pages), 0);
		CHECK_EQ(pages, 0x40);
	}
	list.master = swapper;
	pgd_list_add(&list, &m);
	pgd_list_check(&s.ctx, &list, &c);
	CHECK_EQ(c.mismatches, 0);
	/* efi.shared: slot 511 is compared PUD entry by PUD entry, the
	 * image's aside */
	if (!shared)
		CHECK_EQ(c.entries, mode == EFI_MODE_LINUX ? 255 + 448 : 255);
	else
		CHECK_EQ(c.entries, mode == EFI_MODE_LINUX ? 255 + 447 : 254 + 511);

	/* EFI mappings go into efi_pgd only. */
	before = snapshot(swapper);
	CHECK_EQ(pt_map(&s.ctx, m.root, w.top - SZ_2M, 0x7f000000, SZ_2M,
			MAP_EXEC), 0);
	CHECK_EQ(pt_map(&s.ctx, m.root, w.base, 0x7e000000, 0x5000, MAP_WRITE), 0);
	after = snapshot(swapper);
	CHECK_EQ(before.n, after.n);
	CHECK_EQ(before.hash, after.hash);
	CHECK_EQ(pt_translate(&s.ctx, swapper, w.top - SZ_2M, &r), -ENOENT);
	CHECK_EQ(pt_translate(&s.ctx, m.root, w.top - SZ_2M, &r), 0);

	/* Random kernel-half changes: late mappings (new PGD slots), direct
	 * map growth above 512 GiB, slot 511 outside the window. */
	for (i = 0; i < 300; i++) {
		u64 kind, va, size;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		kind = seed % 3;
		size = SZ_4K << (seed >> 40) % 10;
		if (kind == 0)
			va = LATE_MAP_BASE + ((seed >> 8) % 64) * PGD_SLOT_SIZE +
			     (((seed >> 20) % 1024) << 21);
		else if (kind == 1)
			va = PAGE_OFFSET + ((seed >> 8) % 4) * PGD_SLOT_SIZE +
			     (((seed >> 24) % 4096) << 30);
		else
			va = KERNEL_VIRT_BASE - SZ_1G * (1 + (seed >> 8) % 2) +
			     (((seed >> 30) % 256) << 21);
		CHECK_EQ(pt_map(&s.ctx, swapper, va, (seed >> 12) << 12 & 0xfffffff000ULL,
				size, MAP_WRITE), 0);
		pgd_list_check(&s.ctx, &list, &c);
		if (c.mismatches)
			pgd_list_sync(&s.ctx, &list);
		pgd_list_check(&s.ctx, &list, &c);
		CHECK_EQ(c.mismatches, 0);
		/* the EFI mappings survive, still only in efi_pgd */
		CHECK_EQ(pt_translate(&s.ctx, m.root, w.top - SZ_2M, &r), 0);
		CHECK_EQ(pt_translate(&s.ctx, swapper, w.top - SZ_2M, &r), -ENOENT);
		/* efi.shared: what it got from swapper_pg_dir, read-only */
		if (shared) {
			CHECK_EQ(pt_translate(&s.ctx, m.root, va, &r), 0);
			CHECK(!writable(m.root, va));
			CHECK(writable(swapper, va));
		}
	}
	/* The check does see a divergence the sync has not repaired. */
	{
		u64 *pgd = s.ctx.phys_to_virt(&s.ctx, m.root);

		pgd[300] ^= PTE_WRITE;
		if (shared)
			CHECK(pgd[300] & PTE_WRITE);
		mm_log_clear();
		pgd_list_check(&s.ctx, &list, &c);
		CHECK_EQ(c.mismatches, 1);
		CHECK(strstr(mm_log_buf, "efi_pgd pgd[300]") != NULL);
		CHECK_EQ(pgd_list_sync(&s.ctx, &list), 1);
	}
	sim_fini(&s);
}

static void test_invariant_slot(void)
{
	invariant_for_mode(EFI_MODE_SLOT, 0x1234567887654321ULL, false);
	invariant_for_mode(EFI_MODE_SLOT, 0x1234567887654321ULL, true);
}

static void test_invariant_linux(void)
{
	invariant_for_mode(EFI_MODE_LINUX, 0x0badc0ffee0ddf00ULL, false);
	invariant_for_mode(EFI_MODE_LINUX, 0x0badc0ffee0ddf00ULL, true);
}

static void test_create_refuses_used_window(void)
{
	struct pgd_member m;
	u64 used;

	build_kernel();
	CHECK_EQ(pt_map(&s.ctx, swapper, EFI_LINUX_BASE + SZ_1G, 0, SZ_4K, 0), 0);
	used = s.nused;
	mm_log_clear();
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, EFI_MODE_LINUX, &m), -EINVAL);
	CHECK(strstr(mm_log_buf, "inside the EFI window") != NULL);
	CHECK_EQ(s.nused, used); /* nothing leaked */
	CHECK_EQ(pt_map(&s.ctx, swapper, EFI_SLOT_BASE, 0, SZ_4K, 0), 0);
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, EFI_MODE_SLOT, &m), -EINVAL);
	/* allocation failures leave nothing behind either */
	sim_fini(&s);
	build_kernel();
	used = s.nused;
	s.fail_at = s.allocs;
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, EFI_MODE_LINUX, &m), -ENOMEM);
	s.fail_at = s.allocs + 1;
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, EFI_MODE_LINUX, &m), -ENOMEM);
	CHECK_EQ(s.nused, used);
	CHECK_EQ(s.bad_frees, 0);
	sim_fini(&s);
}

/* A kernel whose image has text, then RW data with a guard page at
 * +0x20000 (global, as the kernel maps it), and efi_pgd for @mode with a
 * page in its window. */
static void image_and_pgd(enum efi_mode mode, struct pgd_member *m,
			  struct efi_window *w)
{
	build_kernel();
	CHECK_EQ(pt_map(&s.ctx, swapper, KERNEL_VIRT_BASE + 0x10000, 0x1010000,
			0x30000, MAP_WRITE | MAP_GLOBAL), 0);
	CHECK_EQ(pt_unmap(&s.ctx, swapper, KERNEL_VIRT_BASE + 0x20000, SZ_4K), 0);
	efi_mode_window(mode, w);
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, mode, m), 0);
	if (w->slot >= 0)
		CHECK_EQ(pt_map(&s.ctx, m->root, w->base, 0x7e000000, SZ_4K,
				MAP_EXEC), 0);
}

/* efi.strict on simulated memory: for each mode, the kernel half holds
 * only the kept ranges (no direct map, no fixmap, nothing global), with
 * permissions the kernel's ANDed with the range's, the window intact, and
 * swapper_pg_dir untouched. */
static void strict_for_mode(enum efi_mode mode)
{
	const struct efi_strict_range keep[] = {
		{ KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + 0x10000, MAP_EXEC, "text" },
		{ KERNEL_VIRT_BASE + 0x10000, KERNEL_VIRT_BASE + 0x20000, 0, "data" },
		/* shared: RW; its first page a guard the kernel left unmapped */
		{ KERNEL_VIRT_BASE + 0x20000, KERNEL_VIRT_BASE + 0x24000,
		  MAP_WRITE, "shared" },
	};
	const struct efi_strict_range bad = { KERNEL_VIRT_BASE + 1,
					      KERNEL_VIRT_BASE + SZ_4K, 0, "x" };
	struct pgd_member m;
	struct efi_window w;
	struct snap before, after;
	struct pt_range r;
	u64 pages, *rp;
	unsigned int i;

	image_and_pgd(mode, &m, &w);
	before = snapshot(swapper);
	CHECK_EQ(efi_pgd_make_strict(&s.ctx, m.root, swapper, mode, &bad, 1,
				     &pages), -EINVAL);
	CHECK_EQ(efi_pgd_make_strict(&s.ctx, m.root, swapper, mode, keep, 3,
				     &pages), 0);
	CHECK_EQ(pages, 16 + 16 + 3);
	after = snapshot(swapper);
	CHECK_EQ(before.hash, after.hash);
	CHECK_EQ(before.n, after.n);
	/* no direct map, no fixmap */
	CHECK_EQ(pt_translate(&s.ctx, m.root, PAGE_OFFSET, &r), -ENOENT);
	CHECK_EQ(pt_translate(&s.ctx, m.root, FIXMAP_TOP - SZ_4K, &r), -ENOENT);
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x30000, &r),
		 -ENOENT);
	rp = s.ctx.phys_to_virt(&s.ctx, m.root);
	for (i = PGD_KERNEL_FIRST; i < PT_ENTRIES; i++)
		if (i != 511 && (int)i != w.slot)
			CHECK_EQ(rp[i], 0);
	/* text RX, data now RO, shared RW; none global; the guard unmapped */
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x5000, &r), 0);
	CHECK_EQ(r.flags, MAP_EXEC);
	CHECK_EQ(r.pa, 0x1005000);
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x11000, &r), 0);
	CHECK_EQ(r.flags, 0);
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x20000, &r),
		 -ENOENT);
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x21000, &r), 0);
	CHECK_EQ(r.flags, MAP_WRITE);
	CHECK_EQ(r.pa, 0x1021000);
	/* the window is still there */
	if (w.slot >= 0)
		CHECK_EQ(pt_translate(&s.ctx, m.root, w.base, &r), 0);
	/* out of memory: an error, never a half-built table in use */
	s.fail_at = s.allocs;
	CHECK_EQ(efi_pgd_make_strict(&s.ctx, m.root, swapper, mode, keep, 3,
				     &pages), -ENOMEM);
	s.fail_at = -1;
	sim_fini(&s);
}

/* efi.shared on simulated memory: the kernel half readable as the kernel
 * maps it, writable only where the kept ranges say (the image's data and
 * bss, not its unwatched pages), nothing of the image global, the window
 * intact, swapper_pg_dir untouched, the table list in sync. */
static void shared_for_mode(enum efi_mode mode)
{
	const struct efi_strict_range keep[] = {
		{ KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + 0x10000, MAP_EXEC, "text" },
		{ KERNEL_VIRT_BASE + 0x10000, KERNEL_VIRT_BASE + 0x24000,
		  MAP_WRITE, "data, shared" },
		{ KERNEL_VIRT_BASE + 0x24000, KERNEL_VIRT_BASE + 0x26000, 0,
		  "unwatched" },
		{ KERNEL_VIRT_BASE + 0x26000, KERNEL_VIRT_BASE + 0x40000,
		  MAP_WRITE, "bss" },
	};
	const struct efi_strict_range outside = { PAGE_OFFSET, PAGE_OFFSET + SZ_4K,
						  MAP_WRITE, "direct map" };
	struct pgd_list list = { 0 };
	struct pgd_member m;
	struct pgd_check c;
	struct efi_window w;
	struct snap before, after;
	struct pt_range r;
	u64 pages;

	image_and_pgd(mode, &m, &w);
	before = snapshot(swapper);
	CHECK_EQ(efi_pgd_make_shared(&s.ctx, m.root, swapper, &outside, 1, &m,
				     &pages), -EINVAL);
	CHECK_EQ(efi_pgd_make_shared(&s.ctx, m.root, swapper, keep, 4, &m,
				     &pages), 0);
	CHECK_EQ(pages, 0x40 - 1);
	after = snapshot(swapper);
	CHECK_EQ(before.hash, after.hash);
	CHECK_EQ(before.n, after.n);
	/* the direct map and the fixmap: there, the kernel's, read-only */
	CHECK_EQ(pt_translate(&s.ctx, m.root, PAGE_OFFSET + SZ_1G, &r), 0);
	CHECK_EQ(r.pa, SZ_1G);
	CHECK(!writable(m.root, PAGE_OFFSET + SZ_1G));
	CHECK(writable(swapper, PAGE_OFFSET + SZ_1G));
	CHECK_EQ(pt_translate(&s.ctx, m.root, FIXMAP_TOP - SZ_4K, &r), 0);
	CHECK_EQ(r.pa, 0xfee00000);
	CHECK(!writable(m.root, FIXMAP_TOP - SZ_4K));
	CHECK(writable(swapper, FIXMAP_TOP - SZ_4K));
	/* the image: text RX, data RW, unwatched RO, the guard unmapped,
	 * bss RW, nothing global */
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x5000, &r), 0);
	CHECK_EQ(r.flags, MAP_EXEC);
	CHECK_EQ(r.pa, 0x1005000);
	CHECK(writable(m.root, KERNEL_VIRT_BASE + 0x11000));
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x11000, &r), 0);
	CHECK_EQ(r.flags, MAP_WRITE);
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x20000, &r),
		 -ENOENT);
	CHECK(!writable(m.root, KERNEL_VIRT_BASE + 0x24000));
	CHECK(!writable(m.root, KERNEL_VIRT_BASE + 0x25000));
	CHECK_EQ(pt_translate(&s.ctx, m.root, KERNEL_VIRT_BASE + 0x25000, &r), 0);
	CHECK_EQ(r.pa, 0x1025000);
	CHECK(writable(m.root, KERNEL_VIRT_BASE + 0x26000));
	CHECK(writable(swapper, KERNEL_VIRT_BASE + 0x25000));
	/* the window is still there, writable where it was mapped so */
	if (w.slot >= 0)
		CHECK_EQ(pt_translate(&s.ctx, m.root, w.base, &r), 0);
	/* on the table list, in sync; a new late mapping arrives read-only */
	list.master = swapper;
	pgd_list_add(&list, &m);
	pgd_list_check(&s.ctx, &list, &c);
	CHECK_EQ(c.mismatches, 0);
	CHECK_EQ(pt_map(&s.ctx, swapper, LATE_MAP_BASE, 0x2000000, SZ_4K,
			MAP_WRITE), 0);
	pgd_list_check(&s.ctx, &list, &c);
	CHECK_EQ(c.mismatches, 1);
	CHECK_EQ(pgd_list_sync(&s.ctx, &list), 1);
	CHECK_EQ(pt_translate(&s.ctx, m.root, LATE_MAP_BASE, &r), 0);
	CHECK(!writable(m.root, LATE_MAP_BASE));
	CHECK(writable(swapper, LATE_MAP_BASE));
	sim_fini(&s);

	/* out of memory: an error, never a half-built table in use */
	build_kernel();
	CHECK_EQ(efi_pgd_create(&s.ctx, swapper, mode, &m), 0);
	s.fail_at = s.allocs;
	CHECK_EQ(efi_pgd_make_shared(&s.ctx, m.root, swapper, keep, 4, &m,
				     &pages), -ENOMEM);
	s.fail_at = -1;
	sim_fini(&s);
}

static void test_shared(void)
{
	shared_for_mode(EFI_MODE_SLOT);
	shared_for_mode(EFI_MODE_LINUX);
	shared_for_mode(EFI_MODE_1TO1);
}

static void test_strict(void)
{
	strict_for_mode(EFI_MODE_SLOT);
	strict_for_mode(EFI_MODE_LINUX);
	strict_for_mode(EFI_MODE_1TO1);
}

int main(void)
{
	RUN(test_strict);
	RUN(test_shared);
	RUN(test_placement);
	RUN(test_no_runtime);
	RUN(test_many_regions);
	RUN(test_stride);
	RUN(test_linux_ovmf_shape);
	RUN(test_linux_random);
	RUN(test_window_overflow);
	RUN(test_malformed_runtime);
	RUN(test_invariant_slot);
	RUN(test_invariant_linux);
	RUN(test_create_refuses_used_window);
	return check_exit();
}
