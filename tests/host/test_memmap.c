// SPDX-License-Identifier: MIT
// sources: mm/memmap.c efi/memmap.c mm/frame.c mm/early.c efi/memdesc.c kernel/printf.c
/*
 * Memory-map import against the policy in memmap.h: one malformed map per
 * rule (more than ten), overlap resolution on random maps compared with a
 * brute-force "who owns this page" oracle, reservations, and the frame
 * allocator never handing out a reserved frame.
 */
#include "efi_defs.h"
#include "efi_memdesc.h"
#include "frame.h"
#include "memmap.h"
#include "mm_early.h"
#include "rawmap.h"
#include "sim.h"

#define CAP 256

static struct mem_region regions[CAP];
static struct memmap map = { regions, 0, CAP, 0, 0 };


static int import(void)
{
	mm_log_clear();
	return efi_memmap_import(&map, raw, (u64)nraw * STRIDE, STRIDE);
}

static bool logged(const char *s)
{
	return strstr(mm_log_buf, s) != NULL;
}

static void test_good_map(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0xa0, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x200000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x210000, 0x10,
		EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
	raw_add(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, EFI_MEMORY_UC);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 5);
	CHECK_EQ(map.problems, 0);
	CHECK_EQ(map.r[0].start, 0); /* sorted */
	CHECK_EQ(map.r[0].desc, 1);
	CHECK_EQ(map.r[1].end, 0x200000);
	CHECK_EQ(map.r[2].class, MEM_BOOT_SERVICES);
	CHECK_EQ(map.r[3].class, MEM_RESERVED);
	CHECK(map.r[3].ram);
	CHECK(!map.r[4].ram);
	CHECK_EQ(memmap_total(&map, MEM_USABLE), 0xa0000 + 0x100000);
	/* Reserved RAM (the runtime code) apart from reserved address space
	 * (the MMIO window). */
	CHECK_EQ(memmap_total_ram(&map, MEM_RESERVED, true), 0x10000);
	CHECK_EQ(memmap_total_ram(&map, MEM_RESERVED, false), 0x400000);
	CHECK_EQ(memmap_total(&map, MEM_RESERVED), 0x410000);
	CHECK_EQ(memmap_ram_end(&map), 0x220000);
	CHECK_EQ(mm_log_len, 0);
	/* What the map leaves out of a range (efi.memmap.complete) */
	{
		struct mem_gap g[2];
		u64 bytes;

		CHECK_EQ(memmap_gaps(&map, 0x100000, 0x220000, g, 2, &bytes), 0);
		CHECK_EQ(bytes, 0);
		/* 0xa0000-0xfffff, 0x220000 up to the MMIO window, and the
		 * page past it: three, two named, all counted */
		CHECK_EQ(memmap_gaps(&map, 0, 0x100001000ULL, g, 2, &bytes), 3);
		CHECK_EQ(g[0].start, 0xa0000);
		CHECK_EQ(g[0].end, 0x100000);
		CHECK_EQ(g[1].start, 0x220000);
		CHECK_EQ(g[1].end, 0xffc00000);
		CHECK_EQ(bytes, 0x60000 + (0xffc00000 - 0x220000) + 0x1000);
		/* a range inside one region, and one that starts in a gap */
		CHECK_EQ(memmap_gaps(&map, 0x100000, 0x1f0000, g, 2, &bytes), 0);
		CHECK_EQ(memmap_gaps(&map, 0xc0000, 0x101000, g, 2, &bytes), 1);
		CHECK_EQ(g[0].start, 0xc0000);
		CHECK_EQ(g[0].end, 0x100000);
	}
}

/* Each malformed case: the return, what survives, and the log line. */
static void test_malformed(void)
{
	/* 1: desc_size smaller than a descriptor: stop */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	mm_log_clear();
	CHECK_EQ(efi_memmap_import(&map, raw, 48, 32), -EINVAL);
	CHECK(logged("desc_size 32 cannot hold a descriptor"));
	/* 2: desc_size not a multiple of 8: stop */
	mm_log_clear();
	CHECK_EQ(efi_memmap_import(&map, raw, 44, 44), -EINVAL);
	/* 3: no map at all */
	mm_log_clear();
	CHECK_EQ(efi_memmap_import(&map, NULL, 0, 48), -EINVAL);
	CHECK(logged("no memory map"));
	/* 4: trailing partial descriptor: trimmed */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 16, 0);
	mm_log_clear();
	CHECK_EQ(efi_memmap_import(&map, raw, STRIDE + 20, STRIDE), 0);
	CHECK_EQ(map.n, 1);
	CHECK(logged("trailing 20 bytes ignored"));
	/* 5: zero pages: dropped */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	CHECK(logged("desc 1 (Conventional at 0x100000, 0 pages): zero pages, dropped"));
	/* 6: unaligned start: dropped */
	raw_reset();
	raw_add(EFI_LOADER_DATA, 0x100800, 4, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	CHECK(logged("desc 0 (LoaderData at 0x100800, 4 pages): start not 4 KiB aligned"));
	/* 7: wraps the address space: dropped */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 0x200, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	CHECK(logged("range wraps or ends above 2^52"));
	/* 8: page count whose byte size overflows 64 bits: dropped */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x1000, 1ULL << 60, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 1, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.r[0].end, 0x1000);
	/* 9: ends above 2^52: dropped */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, (1ULL << 52) - 0x1000, 2, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 1, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	/* 10: unknown type: kept as reserved */
	raw_reset();
	raw_add(0x70000001, 0x100000, 16, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 16, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 2);
	CHECK_EQ(map.r[1].class, MEM_RESERVED);
	CHECK(!map.r[1].ram);
	CHECK(logged("desc 0: unknown type 0x70000001, kept as reserved"));
	/* 11: usable overlapping runtime: the runtime part wins */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0x100, 0);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x80000, 0x10, EFI_MEMORY_RUNTIME);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 3);
	CHECK_EQ(map.r[0].end, 0x80000);
	CHECK_EQ(map.r[1].type, EFI_RUNTIME_SERVICES_DATA);
	CHECK_EQ(map.r[2].start, 0x90000);
	CHECK_EQ(map.r[2].end, 0x100000);
	CHECK(logged("desc 0 overlaps desc 1, trimmed"));
	/* 12: the same range twice: the first wins, the copy goes */
	raw_reset();
	raw_add(EFI_LOADER_DATA, 0x100000, 16, 0);
	raw_add(EFI_LOADER_CODE, 0x100000, 16, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.r[0].type, EFI_LOADER_DATA);
	/* 13: nothing valid at all */
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x123, 1, 0);
	CHECK_EQ(import(), -EINVAL);
	CHECK(logged("no valid descriptor"));
	/* 14: more descriptors than the copy holds: the rest dropped */
	{
		struct mem_region few[4];
		struct memmap small = { few, 0, 4, 0, 0 };
		unsigned int i;

		raw_reset();
		for (i = 0; i < 6; i++)
			raw_add(EFI_CONVENTIONAL_MEMORY, i * 0x10000ULL, 1, 0);
		mm_log_clear();
		CHECK_EQ(efi_memmap_import(&small, raw, 6 * STRIDE, STRIDE), 0);
		CHECK_EQ(small.n, 4);
		CHECK_EQ(small.problems, 2);
		CHECK(logged("more than 4 descriptors, 2 dropped"));
	}
}

/* Owner of a page by brute force: the winner among covering descriptors. */
static int oracle(u64 addr)
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < nraw; i++) {
		const struct efi_memory_desc *d = (void *)(raw + i * STRIDE);
		int c = efi_mem_class(d->type);

		if (addr < d->phys_start || addr >= d->phys_start + (d->num_pages << 12))
			continue;
		if (best < 0 || c > (int)efi_mem_class(((struct efi_memory_desc *)
						(raw + best * STRIDE))->type))
			best = (int)i;
	}
	return best;
}

static void test_random_overlaps(void)
{
	static const u32 types[] = { EFI_CONVENTIONAL_MEMORY, EFI_LOADER_DATA,
				     EFI_BOOT_SERVICES_CODE,
				     EFI_RUNTIME_SERVICES_DATA, EFI_ACPI_MEMORY_NVS };
	u64 seed = 0x1234567;
	int iter;

	for (iter = 0; iter < 300; iter++) {
		unsigned int i, n = 2 + (unsigned int)(seed % 30);
		u64 page;

		raw_reset();
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			raw_add(types[(seed >> 33) % ARRAY_SIZE(types)],
				((seed >> 20) % 200) << 12, 1 + (seed >> 45) % 40, 0);
		}
		CHECK_EQ(import(), 0);
		for (i = 1; i < map.n; i++)
			CHECK(map.r[i - 1].end <= map.r[i].start);
		for (i = 0; i < map.n; i++)
			CHECK(map.r[i].start < map.r[i].end);
		for (page = 0; page < 260; page++) {
			int want = oracle(page << 12), got = -1;

			for (i = 0; i < map.n; i++)
				if ((page << 12) >= map.r[i].start &&
				    (page << 12) < map.r[i].end)
					got = map.r[i].desc;
			CHECK_EQ(got, want);
		}
	}
}

static void test_reserve(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0x100, 0);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x100000, 0x10, 0);
	raw_add(EFI_LOADER_DATA, 0x110000, 0x10, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(memmap_reserve(&map, 0x2000, 0x3800, "kernel image"), 0);
	CHECK_EQ(map.n, 5);
	CHECK_EQ(map.r[0].end, 0x2000);
	CHECK_EQ(map.r[1].start, 0x2000);
	CHECK_EQ(map.r[1].end, 0x4000); /* rounded out to pages */
	CHECK_EQ(map.r[1].class, MEM_RESERVED);
	CHECK_STR(map.r[1].why, "kernel image");
	CHECK_EQ(map.r[2].start, 0x4000);
	CHECK_EQ(map.r[2].class, MEM_USABLE);
	/* across a reserved region and into the next usable one */
	CHECK_EQ(memmap_reserve(&map, 0xff000, 0x111000, "boot_info"), 0);
	CHECK_STR(map.r[3].why, "boot_info"); /* [0xff000, 0x100000) */
	CHECK_EQ(map.r[4].type, EFI_RUNTIME_SERVICES_DATA);
	CHECK(map.r[4].why == NULL); /* was reserved already */
	CHECK_STR(map.r[5].why, "boot_info"); /* [0x110000, 0x111000) */
	CHECK_EQ(map.r[5].end, 0x111000);
	CHECK_EQ(memmap_total(&map, MEM_USABLE), 0x100000 - 0x2000 - 0x1000 + 0xf000);
	/* no room to split: -ENOSPC, map unchanged */
	{
		struct mem_region two[2];
		struct memmap tiny = { two, 0, 2, 0, 0 };

		raw_reset();
		raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0x100, 0);
		mm_log_clear();
		CHECK_EQ(efi_memmap_import(&tiny, raw, STRIDE, STRIDE), 0);
		CHECK_EQ(memmap_reserve(&tiny, 0x5000, 0x6000, "x"), -ENOSPC);
		CHECK_EQ(tiny.n, 1);
		CHECK_EQ(tiny.r[0].class, MEM_USABLE);
	}
	CHECK_EQ(memmap_release_boot_services(&map), 0);
}

static void test_frames_never_reserved(void)
{
	static struct frange fr[64];
	struct frame_alloc fa;
	u64 pa, got = 0, prev = ~0ULL;

	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0x40, 0);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x40000, 0x10, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x50000, 0x30, 0);
	raw_add(EFI_LOADER_DATA, 0x80000, 0x20, 0);
	CHECK_EQ(import(), 0);
	CHECK_EQ(memmap_reserve(&map, 0x0, 0x1000, "page 0"), 0);
	CHECK_EQ(memmap_reserve(&map, 0x60000, 0x62000, "kernel"), 0);
	frame_init(&fa, fr, ARRAY_SIZE(fr));
	CHECK_EQ(frame_add_usable(&fa, &map, 0), 0);
	CHECK_EQ(fa.free_pages, 0x40 - 1 + 0x30 - 2 + 0x20);
	while (!frame_alloc(&fa, 0, &pa)) {
		CHECK(pa < prev); /* top-down, each page once */
		prev = pa;
		CHECK(pa != 0 && !(pa >= 0x40000 && pa < 0x50000) &&
		      !(pa >= 0x60000 && pa < 0x62000));
		got++;
	}
	CHECK_EQ(got, 0x40 - 1 + 0x30 - 2 + 0x20);
	CHECK_EQ(fa.free_pages, 0);
	/* free, double free, limit */
	CHECK_EQ(frame_free(&fa, 0x5000), 0);
	CHECK_EQ(frame_free(&fa, 0x5000), -EEXIST);
	CHECK_EQ(frame_free(&fa, 0x7000), 0);
	CHECK_EQ(frame_free(&fa, 0x6000), 0); /* merges the three */
	CHECK_EQ(fa.n, 1);
	CHECK_EQ(frame_free(&fa, 0x90000), 0);
	CHECK_EQ(frame_alloc(&fa, 0x8000, &pa), 0);
	CHECK_EQ(pa, 0x7000);
	CHECK_EQ(frame_alloc(&fa, 0x6000, &pa), 0);
	CHECK_EQ(pa, 0x5000);
	CHECK_EQ(frame_alloc(&fa, 0x5000, &pa), -ENOMEM);
	CHECK_EQ(frame_add(&fa, 0x10001, 0x20000), -EINVAL);
	/* below-limit allocation from the middle of a range splits it */
	CHECK_EQ(frame_add(&fa, 0x100000, 0x200000), 0);
	CHECK_EQ(frame_alloc(&fa, 0x180000, &pa), 0);
	CHECK_EQ(pa, 0x17f000);
	CHECK_EQ(frame_alloc(&fa, 0, &pa), 0);
	CHECK_EQ(pa, 0x1ff000);
}

/* Runs of contiguous pages (the runtime-region table, the SVAM map):
 * the highest range that holds the whole run, never one split across two
 * ranges, the free count kept. */
static void test_frame_runs(void)
{
	static struct frange fr[8];
	struct frame_alloc fa;
	u64 pa;

	frame_init(&fa, fr, ARRAY_SIZE(fr));
	CHECK_EQ(frame_add(&fa, 0x10000, 0x20000), 0);	/* 16 pages */
	CHECK_EQ(frame_add(&fa, 0x30000, 0x33000), 0);	/* 3 pages */
	CHECK_EQ(frame_alloc_pages(&fa, 4, 0, &pa), 0);
	CHECK_EQ(pa, 0x1c000); /* not 0x30000's 3 pages */
	CHECK_EQ(fa.free_pages, 16 + 3 - 4);
	CHECK_EQ(frame_alloc_pages(&fa, 3, 0, &pa), 0);
	CHECK_EQ(pa, 0x30000); /* that range, whole: it goes */
	CHECK_EQ(fa.n, 1);
	CHECK_EQ(frame_alloc_pages(&fa, 13, 0, &pa), -ENOMEM);
	CHECK_EQ(frame_alloc_pages(&fa, 0, 0, &pa), -EINVAL);
	/* below a limit, from the middle: the range splits */
	CHECK_EQ(frame_alloc_pages(&fa, 2, 0x18000, &pa), 0);
	CHECK_EQ(pa, 0x16000);
	CHECK_EQ(fa.n, 2);
	CHECK_EQ(fa.free_pages, 16 - 4 - 2);
	CHECK_EQ(frame_alloc_pages(&fa, 6, 0, &pa), 0);
	CHECK_EQ(pa, 0x10000); /* 0x10000-0x16000, exactly */
	CHECK_EQ(frame_alloc_pages(&fa, 5, 0, &pa), -ENOMEM); /* 4 are left */
}

/*
 * A fragmented map larger than firmware hands over on large machines:
 * 70,000 descriptors, alternating one free page and one loader page. Every
 * descriptor is kept (no fixed cap below what the firmware gives), the
 * indexes past 65,535 are right, and the allocator holds every free page.
 */
static void test_ten_thousand(void)
{
	enum { N = 70000 };
	u8 *big = calloc(N, STRIDE);
	struct mem_region *r = calloc(2 * N + 64, sizeof(*r));
	struct frange *fr = calloc(2 * N + 64, sizeof(*fr));
	struct memmap m = { r, 0, 2 * N + 64, 0, 0 };
	struct frame_alloc fa;
	unsigned int i;

	for (i = 0; i < N; i++) {
		struct efi_memory_desc *d = (void *)(big + (u64)i * STRIDE);

		d->type = (i & 1) ? EFI_LOADER_DATA : EFI_CONVENTIONAL_MEMORY;
		d->phys_start = 0x100000 + (u64)i * 0x1000;
		d->num_pages = 1;
		d->attribute = EFI_MEMORY_WB;
	}
	mm_log_clear();
	CHECK_EQ(efi_memmap_import(&m, big, (u64)N * STRIDE, STRIDE), 0);
	CHECK_EQ(m.n, N);
	CHECK_EQ(m.problems, 0);
	CHECK_EQ(m.r[N - 1].desc, N - 1);
	CHECK_EQ(m.r[66000].desc, 66000);
	CHECK_EQ(memmap_total(&m, MEM_USABLE), (u64)N * 0x1000);
	CHECK_EQ(memmap_ram_end(&m), 0x100000 + (u64)N * 0x1000);
	frame_init(&fa, fr, 2 * N + 64);
	CHECK_EQ(frame_add_usable(&fa, &m, 0x100000), 0);
	CHECK_EQ(fa.free_pages, N);
	free(big);
	free(r);
	free(fr);
}

/* Usable or boot-services memory marked EFI_MEMORY_RUNTIME stays
 * reserved: the firmware may use it at runtime. */
static void test_runtime_usable(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x110000, 0x10,
		EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x120000, 0x10,
		EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
	CHECK_EQ(import(), 0);
	CHECK_EQ(map.n, 3);
	CHECK_EQ(map.problems, 0);
	CHECK_EQ(map.r[1].class, MEM_RESERVED);
	CHECK_EQ(map.r[2].class, MEM_RESERVED);
	CHECK(map.r[1].ram);
	CHECK_EQ(memmap_total(&map, MEM_USABLE), 0x10000);
	CHECK(logged("desc 1: Conventional memory marked EFI_MEMORY_RUNTIME"));
	CHECK(logged("desc 2: BootData memory marked EFI_MEMORY_RUNTIME"));
}

/* RAM past the direct map's end is not RAM to the kernel: a region that
 * crosses the limit is split, one above it reserved. */
static void test_ram_limit(void)
{
	const u64 lim = 0x400000000000ULL; /* DIRECT_MAP_MAX, 64 TiB */

	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);
	raw_add(EFI_CONVENTIONAL_MEMORY, lim - 0x200000, 0x400, EFI_MEMORY_WB);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x8000000000000ULL, 0x100, EFI_MEMORY_WB);
	map.ram_limit = lim;
	CHECK_EQ(import(), 0);
	map.ram_limit = 0;
	CHECK_EQ(map.n, 4);
	CHECK_EQ(memmap_ram_end(&map), lim);
	CHECK_EQ(map.r[1].end, lim);
	CHECK(map.r[1].ram);
	CHECK_EQ(map.r[2].start, lim);
	CHECK(!map.r[2].ram);
	CHECK_EQ(map.r[2].class, MEM_RESERVED);
	CHECK(!map.r[3].ram);
	CHECK_EQ(memmap_total(&map, MEM_USABLE), 0x100000 + 0x200000);
	CHECK(logged("above the direct map's end"));
}

/*
 * The boot's rules (mm/early.c) on a simulated machine shaped like a
 * real boot: the kernel image at an odd 4 KiB address, the stub's buffers
 * in loader data, boot-services memory in between. Every page the
 * allocator hands out is at or above 1 MiB, outside every reservation
 * (the kernel's rounded up to 2 MiB) and outside boot-services memory;
 * every usable page that is not reserved is handed out exactly once.
 */
static void test_boot_rules(void)
{
	static struct frange fr[64];
	struct mm_reservation res[MM_MAX_BOOT_RESERVATIONS];
	struct boot_info bi = { 0 };
	struct frame_alloc fa;
	u64 pa, got = 0, want = 0, p;
	unsigned int n, i;

	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0, 0xa0, 0);
	raw_add(EFI_RESERVED_TYPE, 0xa0000, 0x60, 0);
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0xf00, 0);	  /* to 16 MiB */
	raw_add(EFI_LOADER_DATA, 0x1000000, 0x800, 0);		  /* 16-24 MiB */
	raw_add(EFI_BOOT_SERVICES_DATA, 0x1800000, 0x400, 0);	  /* 24-28 MiB */
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x1c00000, 0x400, 0);	  /* 28-32 MiB */
	bi.memmap = 0x1000000;
	bi.memmap_size = (u64)nraw * STRIDE;
	bi.memmap_desc_size = STRIDE;
	bi.kernel_phys = 0x1201000; /* reserved to 0x1401000 */
	bi.kernel_size = 0x123456;
	bi.init_pg_dir = 0x1500000;
	bi.init_pg_pages = 8;
	bi.scratch = 0x1600000;
	bi.scratch_size = 0x10000;
	n = mm_boot_reservations(&bi, 0x1700000, res);
	CHECK_EQ(n, 7);
	CHECK_EQ(res[2].end, 0x1401000);
	mm_log_clear();
	frame_init(&fa, fr, ARRAY_SIZE(fr));
	CHECK_EQ(mm_early_layout(&map, &fa, &bi, 0x1700000, raw, efi_memmap_import, false), 0);
	CHECK(logged("mm: reserved 0x0000000001201000-0x0000000001401000 kernel image"));
	for (p = 0; p < 0x2000000; p += SZ_4K) {
		bool usable = p < 0xa0000 || (p >= 0x100000 && p < 0x1800000) ||
			      p >= 0x1c00000, taken = p < MM_LOW_RESERVE;

		for (i = 0; i < n; i++)
			taken |= p + SZ_4K > res[i].start && p < res[i].end;
		want += usable && !taken;
	}
	while (!frame_alloc(&fa, 0, &pa)) {
		CHECK(pa >= MM_LOW_RESERVE);
		CHECK(!(pa >= 0x1800000 && pa < 0x1c00000)); /* boot services */
		for (i = 0; i < n; i++)
			CHECK(!(pa + SZ_4K > res[i].start && pa < res[i].end));
		got++;
	}
	CHECK_EQ(got, want);

	/* A map the import refuses stops the layout with its error. */
	bi.memmap_desc_size = 4;
	frame_init(&fa, fr, ARRAY_SIZE(fr));
	CHECK(mm_early_layout(&map, &fa, &bi, 0x1700000, raw, efi_memmap_import, false) != 0);
}

int main(void)
{
	RUN(test_ten_thousand);
	RUN(test_runtime_usable);
	RUN(test_ram_limit);
	RUN(test_good_map);
	RUN(test_malformed);
	RUN(test_random_overlaps);
	RUN(test_reserve);
	RUN(test_frames_never_reserved);
	RUN(test_frame_runs);
	RUN(test_boot_rules);
	return check_exit();
}
