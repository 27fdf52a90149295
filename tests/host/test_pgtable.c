// SPDX-License-Identifier: MIT
// sources: mm/pgtable.c mm/directmap.c mm/memmap.c mm/ptdump.c efi/memdesc.c kernel/printf.c
/*
 * The page-table builder against a reference model: every 4 KiB page of a
 * 4 GiB window (which crosses a PGD boundary) has a model entry; seeded
 * random map/unmap sequences of 4 KiB, 2 MiB and 1 GiB shapes (splits
 * included) must leave the tables equal to the model, with no leaked table.
 * Then: allocation failure at every allocation point, table counts against
 * the theoretical minimum, and the flag encoding.
 */
#include "directmap.h"
#include "min_tables.h"
#include "layout.h"
#include "memmap.h"
#include "ptdump.h"
#include "sim.h"

#define WIN_BASE 0x0000007f80000000ULL /* 510 GiB: slot 0 ends 2 GiB in */
#define WIN_SIZE (4ULL << 30)
#define WIN_PAGES (WIN_SIZE >> 12)

struct model {
	u64 pa[WIN_PAGES];
	u8 flags[WIN_PAGES];
	u8 present[WIN_PAGES];
};

static struct model *model;

static void model_map(u64 va, u64 pa, u64 size, u32 flags)
{
	u64 i, first = (va - WIN_BASE) >> 12;

	for (i = 0; i < size >> 12; i++) {
		model->present[first + i] = 1;
		model->pa[first + i] = pa + (i << 12);
		model->flags[first + i] = (u8)flags;
	}
}

static void model_unmap(u64 va, u64 size)
{
	memset(model->present + ((va - WIN_BASE) >> 12), 0, size >> 12);
}

struct cmp {
	u64 next_page; /* window page index expected next */
	u64 mismatches;
};

static int cmp_range(const struct pt_range *r, void *arg)
{
	struct cmp *c = arg;
	u64 i, first = (r->va - WIN_BASE) >> 12;

	/* Pages the walk skipped must be absent in the model. */
	for (; c->next_page < first; c->next_page++)
		c->mismatches += model->present[c->next_page];
	for (i = 0; i < r->size >> 12; i++) {
		u64 p = first + i;

		if (!model->present[p] || model->pa[p] != r->pa + (i << 12) ||
		    model->flags[p] != r->flags)
			c->mismatches++;
	}
	c->next_page = first + (r->size >> 12);
	return 0;
}

/* Full comparison of the tables with the model over the window. */
static u64 compare_all(struct sim *s, u64 root)
{
	struct cmp c = { 0, 0 };

	pt_walk(&s->ctx, root, WIN_BASE, WIN_BASE + WIN_SIZE, cmp_range, &c);
	for (; c.next_page < WIN_PAGES; c.next_page++)
		c.mismatches += model->present[c.next_page];
	return c.mismatches;
}

static u64 rnd(u64 *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

static const u32 flag_choices[] = {
	MAP_WRITE, MAP_EXEC, MAP_WRITE | MAP_GLOBAL, MAP_UC | MAP_WRITE,
	MAP_WC, MAP_WT | MAP_EXEC, 0,
};

/* A random aligned shape inside the window: 4 KiB runs, 2 MiB runs or a
 * whole 1 GiB, with a PA that may or may not allow large pages. */
static void random_range(u64 *seed, u64 *va, u64 *pa, u64 *size)
{
	u64 kind = rnd(seed) % 3, unit, n;

	unit = kind == 0 ? SZ_4K : kind == 1 ? SZ_2M : SZ_1G;
	n = kind == 2 ? 1 : 1 + rnd(seed) % (kind == 0 ? 64 : 8);
	*size = unit * n;
	*va = WIN_BASE + ALIGN_DOWN(rnd(seed) % (WIN_SIZE - *size + 1), unit);
	*pa = ALIGN_DOWN(rnd(seed) % (1ULL << 40), unit);
	if (rnd(seed) % 4 == 0)
		*pa += SZ_4K * (1 + rnd(seed) % 511); /* misaligned: small pages */
}

static void random_sequence(u64 seed, bool has_1g, int ops)
{
	struct sim s;
	u64 root;
	int i;

	sim_init(&s, 8192, has_1g);
	memset(model, 0, sizeof(*model));
	root = sim_root(&s);
	for (i = 0; i < ops; i++) {
		u64 va, pa, size;
		struct pt_range r;
		int k;

		random_range(&seed, &va, &pa, &size);
		if (rnd(&seed) % 3 == 0) {
			CHECK_EQ(pt_unmap(&s.ctx, root, va, size), 0);
			model_unmap(va, size);
		} else {
			u32 f = flag_choices[rnd(&seed) % ARRAY_SIZE(flag_choices)];

			CHECK_EQ(pt_map(&s.ctx, root, va, pa, size, f), 0);
			model_map(va, pa, size, f);
		}
		/* Spot checks at the edges and at random pages. */
		for (k = 0; k < 8; k++) {
			u64 p = k == 0 ? (va - WIN_BASE) >> 12
				: k == 1 ? ((va + size - 1) - WIN_BASE) >> 12
				: rnd(&seed) % WIN_PAGES;
			u64 v = WIN_BASE + (p << 12);
			int ret = pt_translate(&s.ctx, root, v, &r);

			CHECK_EQ(ret == 0, model->present[p]);
			if (!ret && model->present[p]) {
				CHECK_EQ(r.pa + (v - r.va), model->pa[p]);
				CHECK_EQ(r.flags, model->flags[p]);
			}
		}
		CHECK_EQ(s.nused, pt_count_tables(&s.ctx, root)); /* no leak */
		if (i % 64 == 63)
			CHECK_EQ(compare_all(&s, root), 0);
	}
	CHECK_EQ(compare_all(&s, root), 0);
	CHECK_EQ(s.bad_frees, 0);
	CHECK_EQ(s.ctx.tables_allocated - s.ctx.tables_freed + 1, s.nused);
	sim_fini(&s);
}

static void test_random_2m(void)
{
	random_sequence(0x9e3779b97f4a7c15ULL, false, 1500);
	random_sequence(42, false, 1500);
}

static void test_random_1g(void)
{
	random_sequence(0x243f6a8885a308d3ULL, true, 1500);
	random_sequence(7, true, 1500);
}

/* Splitting keeps the other 511 mappings and their flags. */
static void test_split_keeps_rest(void)
{
	struct sim s;
	struct pt_range r;
	u64 root, pa, va = 0xffff888040000000ULL;

	sim_init(&s, 64, true);
	root = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, root, va, 0x40000000, SZ_1G, MAP_WRITE | MAP_GLOBAL), 0);
	CHECK_EQ(pt_count_tables(&s.ctx, root), 2);
	CHECK_EQ(pt_map(&s.ctx, root, va + 0x12345000, 0x7000, SZ_4K, MAP_EXEC), 0);
	CHECK_EQ(pt_count_tables(&s.ctx, root), 4); /* PGD, PUD, PMD, PT */
	CHECK_EQ(pt_translate(&s.ctx, root, va + 0x12345000, &r), 0);
	CHECK_EQ(r.pa, 0x7000);
	CHECK_EQ(r.flags, MAP_EXEC);
	CHECK_EQ(r.size, SZ_4K);
	CHECK_EQ(pt_translate(&s.ctx, root, va + 0x12346000, &r), 0);
	CHECK_EQ(r.pa, 0x52346000);
	CHECK_EQ(r.flags, MAP_WRITE | MAP_GLOBAL);
	CHECK_EQ(pt_translate(&s.ctx, root, va + 0x3fe00000, &r), 0);
	CHECK_EQ(r.size, SZ_2M); /* untouched parts stay 2 MiB pages */
	CHECK_EQ(r.pa, 0x7fe00000);
	/* ... and the address inside the leaf, whatever its size. */
	CHECK_EQ(pt_translate_pa(&s.ctx, root, va + 0x3fe01234, &pa), 0);
	CHECK_EQ(pa, 0x7fe01234);
	CHECK_EQ(pt_translate_pa(&s.ctx, root, va + 0x12345678, &pa), 0);
	CHECK_EQ(pa, 0x7678);
	CHECK_EQ(pt_translate_pa(&s.ctx, root, va + SZ_1G, &pa), -ENOENT);
	/* Mapping the whole GiB again frees the split tables. */
	CHECK_EQ(pt_map(&s.ctx, root, va, 0x40000000, SZ_1G, MAP_WRITE), 0);
	CHECK_EQ(pt_count_tables(&s.ctx, root), 2);
	CHECK_EQ(s.nused, 2);
	/* Unmapping 4 KiB out of a 1 GiB page splits down to 4 KiB. */
	CHECK_EQ(pt_unmap(&s.ctx, root, va + SZ_1G - SZ_4K, SZ_4K), 0);
	CHECK_EQ(pt_translate(&s.ctx, root, va + SZ_1G - SZ_4K, &r), -ENOENT);
	CHECK_EQ(pt_translate(&s.ctx, root, va + SZ_1G - 2 * SZ_4K, &r), 0);
	CHECK_EQ(pt_count_tables(&s.ctx, root), 4);
	sim_fini(&s);
}

static void test_bad_arguments(void)
{
	struct sim s;
	u64 root;

	sim_init(&s, 16, true);
	root = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1000, 0x1000, 0, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1001, 0x1000, SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1000, 0x1800, SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1000, 0x1000, 0x1800, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x0000800000000000ULL, 0, SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x00007ffffffff000ULL, 0, 2 * SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0xfffffffffffff000ULL, 0, 2 * SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1000, 1ULL << 52, SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, root, 0x1000, 0x1000, SZ_4K, 1u << 30), -EINVAL);
	CHECK_EQ(pt_map(&s.ctx, 0, 0x1000, 0x1000, SZ_4K, 0), -EINVAL);
	CHECK_EQ(s.nused, 1); /* nothing allocated by refused calls */
	sim_fini(&s);
}

struct snap {
	struct pt_range r[4096];
	unsigned int n;
};

static int snap_range(const struct pt_range *r, void *arg)
{
	struct snap *sn = arg;

	if (sn->n < ARRAY_SIZE(sn->r))
		sn->r[sn->n] = *r;
	sn->n++;
	return 0;
}

static bool same_snap(const struct snap *a, const struct snap *b)
{
	return a->n == b->n && !memcmp(a->r, b->r, sizeof(a->r[0]) * MIN(a->n, 4096u));
}

/*
 * A build with splits, run once to count its allocations, then again with
 * the allocation at every position failing: each failing call returns
 * -ENOMEM, leaks nothing and leaves the tables exactly as before it.
 */
static void test_alloc_failure_everywhere(void)
{
	static const struct { u64 va, pa, size; u32 flags; int unmap; } steps[] = {
		{ 0xffff888000000000ULL, 0, 4ULL << 30, MAP_WRITE, 0 },
		{ 0xffff888000100000ULL, 0x100000, SZ_2M, MAP_EXEC, 0 },
		{ 0xffff888040003000ULL, 0, SZ_4K, 0, 1 },
		{ 0xffffffff80000000ULL, 0x200000, 0x5000, MAP_EXEC, 0 },
		{ 0xffffffff80005000ULL, 0x205000, 0x3000, 0, 0 },
		{ 0x0000007fffe00000ULL, 0x3fe00000, 4 * SZ_2M, MAP_WRITE, 0 },
		{ 0xffff888080000000ULL, 0, SZ_1G + SZ_4K, 0, 1 },
	};
	static struct snap before, after;
	long total = 0, fail;

	for (fail = -1;; fail++) {
		struct sim s;
		u64 root;
		unsigned int i;
		bool failed_once = false;

		sim_init(&s, 256, true);
		root = sim_root(&s);
		s.fail_at = fail; /* counts allocations after the root */
		s.allocs = 0;
		for (i = 0; i < ARRAY_SIZE(steps); i++) {
			u64 used = s.nused;
			int ret;

			before.n = 0;
			pt_walk(&s.ctx, root, 0, 0, snap_range, &before);
			ret = steps[i].unmap
				? pt_unmap(&s.ctx, root, steps[i].va, steps[i].size)
				: pt_map(&s.ctx, root, steps[i].va, steps[i].pa,
					 steps[i].size, steps[i].flags);
			if (ret) {
				CHECK_EQ(ret, -ENOMEM);
				CHECK_EQ(s.nused, used);
				after.n = 0;
				pt_walk(&s.ctx, root, 0, 0, snap_range, &after);
				CHECK(same_snap(&before, &after));
				failed_once = true;
			}
			CHECK_EQ(s.nused, pt_count_tables(&s.ctx, root));
		}
		CHECK_EQ(s.bad_frees, 0);
		if (fail < 0)
			total = s.allocs;
		sim_fini(&s);
		if (fail >= 0)
			CHECK(failed_once);
		if (fail + 1 >= total)
			break;
	}
	CHECK(total > 10); /* the scenario really allocates */
}

static void check_min(const char *what, const u64 (*r)[2], unsigned int n,
		      bool has_1g)
{
	static struct mem_region regions[512];
	struct memmap m = { regions, 0, 512, 0, 0 };
	struct sim s;
	u64 root, used, want;
	unsigned int i;

	for (i = 0; i < n; i++)
		regions[i] = (struct mem_region){ .start = r[i][0], .end = r[i][1],
						  .desc = i, .class = MEM_USABLE,
						  .ram = 1 };
	m.n = n;
	sim_init(&s, 4096, has_1g);
	root = sim_root(&s);
	CHECK_EQ(directmap_build(&s.ctx, root, &m, PAGE_OFFSET, MAP_WRITE | MAP_GLOBAL), 0);
	used = pt_count_tables(&s.ctx, root);
	want = min_tables(r, n, PAGE_OFFSET, has_1g);
	if (used != want)
		fprintf(stderr, "%s (1G %d): %" PRIu64 " tables, minimum %" PRIu64 "\n",
			what, has_1g, used, want);
	CHECK_EQ(used, want);
	sim_fini(&s);
}

static void test_minimum_tables(void)
{
	static const u64 four_g[][2] = { { 0, 4ULL << 30 } };
	static const u64 tib[][2] = { { 0, 1ULL << 40 } };
	/* Adjacent regions that only merge into large pages together. */
	static const u64 adjacent[][2] = {
		{ 0, 0x60000000 }, { 0x60000000, 0xc0000000 },
		{ 0xc0000000, 0x100000000ULL },
	};
	static const u64 holes[][2] = {
		{ 0, 0x9f000 }, { 0x100000, 0x7f000000 },
		{ 0x100000000ULL, 0x280000000ULL }, { 0x8000000000ULL, 0x8000200000ULL },
		{ 0x10000000000ULL, 0x10040001000ULL },
	};
	static u64 frag[130][2];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(frag); i++) { /* OVMF-like: many small runs */
		frag[i][0] = 0x7e000000ULL + i * 0x9000ULL;
		frag[i][1] = frag[i][0] + 0x5000ULL + (i % 3) * 0x1000ULL;
	}
	for (int g = 0; g < 2; g++) {
		check_min("4 GiB", four_g, 1, g);
		check_min("1 TiB", tib, 1, g);
		check_min("adjacent", adjacent, 3, g);
		check_min("holes", holes, 5, g);
		check_min("fragmented", (const u64 (*)[2])frag, 130, g);
	}
}

/* Hardware bits for each abstract flag, at 4 KiB and at 2 MiB. */
static void test_flag_encoding(void)
{
	struct sim s;
	u64 root, *pt;
	struct pt_range r;

	sim_init(&s, 16, false);
	root = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, root, 0x200000, 0x200000, SZ_2M, MAP_WT | MAP_WRITE), 0);
	CHECK_EQ(pt_map(&s.ctx, root, 0x400000, 0x5000, SZ_4K, MAP_WT | MAP_EXEC), 0);
	CHECK_EQ(pt_translate(&s.ctx, root, 0x200000, &r), 0);
	CHECK_EQ(r.flags, MAP_WT | MAP_WRITE);
	CHECK_EQ(r.pa, 0x200000); /* the PAT bit (12) is not part of the PA */
	pt = sim_p2v(&s.ctx, root);
	pt = sim_p2v(&s.ctx, pt[0] & PTE_ADDR_MASK);
	pt = sim_p2v(&s.ctx, pt[0] & PTE_ADDR_MASK);
	CHECK_EQ(pt[1], 0x200000 | PTE_PRESENT | PTE_WRITE | PTE_LARGE |
			 PTE_PAT_LARGE | PTE_PCD | PTE_PWT | PTE_NX);
	pt = sim_p2v(&s.ctx, pt[2] & PTE_ADDR_MASK);
	CHECK_EQ(pt[0], 0x5000 | PTE_PRESENT | PTE_PAT_4K | PTE_PCD | PTE_PWT);
	/* Without NX support no NX bit is ever set. */
	s.ctx.has_nx = false;
	CHECK_EQ(pt_map(&s.ctx, root, 0x401000, 0x6000, SZ_4K, 0), 0);
	CHECK_EQ(pt[1], 0x6000 | PTE_PRESENT);
	sim_fini(&s);
}

static void test_ptdump_and_wx(void)
{
	static const struct ptdump_marker markers[] = {
		{ 0, "User Space" }, { PAGE_OFFSET, "Direct Map" },
		{ KERNEL_VIRT_BASE, "Kernel Image" }, { 0, NULL },
	};
	struct sim s;
	u64 root;

	sim_init(&s, 64, false);
	root = sim_root(&s);
	pt_map(&s.ctx, root, PAGE_OFFSET, 0, 4ULL << 20, MAP_WRITE | MAP_GLOBAL);
	pt_map(&s.ctx, root, KERNEL_VIRT_BASE, 0x200000, 0x3000, MAP_EXEC);
	pt_map(&s.ctx, root, KERNEL_VIRT_BASE + 0x3000, 0x203000, 0x2000,
	       MAP_EXEC | MAP_WRITE);
	mm_log_clear();
	ptdump(&s.ctx, root, 0, 0, markers);
	CHECK_STR(mm_log_buf,
		  "---[ Direct Map ]---\n"
		  "0xffff888000000000-0xffff888000400000     4M RW NX  2M WB GLB\n"
		  "---[ Kernel Image ]---\n"
		  "0xffffffff80000000-0xffffffff80003000    12K ro x   4K WB\n"
		  "0xffffffff80003000-0xffffffff80005000     8K RW x   4K WB\n");
	mm_log_clear();
	CHECK_EQ(ptdump_wx_check(&s.ctx, root), 2);
	CHECK_STR(mm_log_buf,
		  "0xffffffff80003000-0xffffffff80005000     8K RW x   4K WB  <- W+X\n");
	sim_fini(&s);
}

/* The level table and the per-level walk: a 4 KiB page, a 2 MiB leaf and
 * a hole each end the walk at the right level, and ptdump_walk_va prints
 * exactly those steps. */
static void test_level_walk(void)
{
	struct pt_step st[PT_LEVELS];
	struct sim s;
	u64 root;
	unsigned int n, l;

	CHECK_EQ(PT_SHIFT(PT_PGD), 39);
	CHECK_EQ(PT_SHIFT(PT_PTE), 12);
	CHECK_EQ(pt_level_size(PT_PMD), SZ_2M);
	CHECK_EQ(PGD_INDEX(PAGE_OFFSET), 273);
	CHECK_EQ(PT_INDEX(PT_PUD, KERNEL_VIRT_BASE), 510);
	CHECK_STR(pt_levels[PT_PMD].name, "pmd");
	CHECK(!pt_levels[PT_PGD].leaf && pt_levels[PT_PTE].leaf);

	sim_init(&s, 16, false);
	root = sim_root(&s);
	CHECK_EQ(pt_map(&s.ctx, root, 0x200000, 0x600000, SZ_2M, MAP_WRITE), 0);
	CHECK_EQ(pt_map(&s.ctx, root, 0x401000, 0x7000, SZ_4K, 0), 0);

	n = pt_walk_va(&s.ctx, root, 0x401abc, st);
	CHECK_EQ(n, PT_LEVELS);
	for (l = 0; l < n; l++)
		CHECK_EQ(st[l].level, l);
	CHECK_EQ(st[PT_PMD].index, 2);
	CHECK_EQ(st[PT_PTE].index, 1);
	CHECK_EQ(st[PT_PTE].entry & PTE_ADDR_MASK, 0x7000);
	CHECK(pt_entry_is_leaf(st[PT_PTE].entry, PT_PTE));
	CHECK(!pt_entry_is_leaf(st[PT_PMD].entry, PT_PMD));

	n = pt_walk_va(&s.ctx, root, 0x3fffff, st);
	CHECK_EQ(n, 3);
	CHECK(pt_entry_is_leaf(st[PT_PMD].entry, PT_PMD));
	CHECK_EQ(st[PT_PMD].entry & PTE_ADDR_MASK, 0x600000);

	n = pt_walk_va(&s.ctx, root, 1ULL << 39, st); /* PGD slot 1: empty */
	CHECK_EQ(n, 1);
	CHECK_EQ(st[0].index, 1);
	CHECK_EQ(st[0].entry, 0);

	mm_log_clear();
	ptdump_walk_va(&s.ctx, root, 0x3fffff);
	CHECK(strstr(mm_log_buf, "  pgd[  0] @") == mm_log_buf);
	CHECK(strstr(mm_log_buf, "\n  pud[  0] @") != NULL);
	CHECK(strstr(mm_log_buf, "\n  pmd[  1] @") != NULL);
	CHECK(strstr(mm_log_buf, " (leaf)\n") != NULL);
	CHECK(strstr(mm_log_buf, "pte[") == NULL);
	mm_log_clear();
	ptdump_walk_va(&s.ctx, root, 1ULL << 39);
	CHECK(strstr(mm_log_buf, "pgd[  1]") != NULL);
	CHECK(strstr(mm_log_buf, "= 0x0000000000000000 (not present)\n") != NULL);
	sim_fini(&s);
}

int main(void)
{
	model = calloc(1, sizeof(*model));
	RUN(test_bad_arguments);
	RUN(test_split_keeps_rest);
	RUN(test_flag_encoding);
	RUN(test_random_2m);
	RUN(test_random_1g);
	RUN(test_alloc_failure_everywhere);
	RUN(test_minimum_tables);
	RUN(test_ptdump_and_wx);
	RUN(test_level_walk);
	free(model);
	return check_exit();
}
