// SPDX-License-Identifier: MIT
// sources: mm/pgtable.c mm/directmap.c mm/memmap.c efi/memdesc.c kernel/printf.c
/*
 * Direct-map build cost on the host: for each synthetic map, with and
 * without 1 GiB pages, the table pages used against the theoretical
 * minimum and the best time over repeated builds. A benchmark reports;
 * the host tests assert (test_pgtable.c checks the minimum is reached).
 */
#include <time.h>
#include "directmap.h"
#include "layout.h"
#include "memmap.h"
#include "min_tables.h"
#include "sim.h"

#define MAXR 256

struct synth {
	const char *name;
	u64 r[MAXR][2];
	unsigned int n;
};

static struct synth maps[4];

static void make_maps(void)
{
	struct synth *m;
	unsigned int i;
	u64 at;

	m = &maps[0];
	m->name = "4 GiB contiguous";
	m->r[0][0] = 0;
	m->r[0][1] = 4ULL << 30;
	m->n = 1;

	m = &maps[1];
	m->name = "1 TiB contiguous";
	m->r[0][0] = 0;
	m->r[0][1] = 1ULL << 40;
	m->n = 1;

	/* Like OVMF's q35 map: low RAM, one big run, then ~130 descriptors
	 * near the top of the low 2 GiB, every fourth a hole (reserved, MMIO),
	 * then RAM above 4 GiB. */
	m = &maps[2];
	m->name = "fragmented (130 desc)";
	m->r[0][0] = 0;
	m->r[0][1] = 0xa0000;
	m->r[1][0] = 0x100000;
	m->r[1][1] = 0x7e000000;
	at = 0x7e000000;
	for (i = 2, m->n = 2; i < 130; i++) {
		u64 size = 0x1000ULL * (1 + (i * 7) % 23);

		if (i % 4 == 0) { /* a hole */
			at += size;
			continue;
		}
		if (m->r[m->n - 1][1] == at)
			m->r[m->n - 1][1] = at + size; /* touching: one run */
		else {
			m->r[m->n][0] = at;
			m->r[m->n][1] = at + size;
			m->n++;
		}
		at += size;
	}
	m->r[m->n][0] = 4ULL << 30;
	m->r[m->n][1] = 6ULL << 30;
	m->n++;

	/* 64 TiB sparse: one odd-sized chunk in every TiB. */
	m = &maps[3];
	m->name = "64 TiB sparse";
	for (i = 0; i < 64; i++) {
		m->r[i][0] = ((u64)i << 40) + SZ_1M;
		m->r[i][1] = m->r[i][0] + ((u64)(1 + i % 3) << 30) + 0x2000ULL * (i % 5);
	}
	m->n = 64;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void reset(struct sim *s)
{
	memset(s->used, 0, s->npages);
	s->nused = 0;
	s->hint = 0;
	s->ctx.tables_allocated = s->ctx.tables_freed = 0;
}

static void bench(const struct synth *sy, bool has_1g)
{
	static struct mem_region regions[MAXR];
	struct memmap m = { regions, sy->n, MAXR, 0, 0 };
	struct sim s;
	double best = 1e30, total = 0;
	u64 tables = 0, want;
	unsigned int i, iters = 0;

	for (i = 0; i < sy->n; i++)
		regions[i] = (struct mem_region){ .start = sy->r[i][0],
						  .end = sy->r[i][1], .desc = i,
						  .class = MEM_USABLE, .ram = 1 };
	sim_init(&s, 8192, has_1g);
	while (total < 200000 || iters < 5) {
		u64 root;
		double t0, t1;

		reset(&s);
		root = sim_root(&s);
		t0 = now_us();
		if (directmap_build(&s.ctx, root, &m, PAGE_OFFSET,
				    MAP_WRITE | MAP_GLOBAL)) {
			printf("%s: build failed\n", sy->name);
			break;
		}
		t1 = now_us();
		best = MIN(best, t1 - t0);
		total += t1 - t0;
		tables = pt_count_tables(&s.ctx, root);
		iters++;
		if (iters >= 2000)
			break;
	}
	want = min_tables((const u64 (*)[2])sy->r, sy->n, PAGE_OFFSET, has_1g);
	printf("%-22s %-3s %6" PRIu64 " %8" PRIu64 "   %-8s %9.1f\n", sy->name,
	       has_1g ? "yes" : "no", tables, want,
	       tables == want ? "minimum" : "ABOVE", best);
	sim_fini(&s);
}

int main(void)
{
	unsigned int i;

	make_maps();
	printf("direct-map build on the host (best of repeated builds)\n");
	printf("%-22s %-3s %6s %8s   %-8s %9s\n", "map", "1G", "tables",
	       "minimum", "", "build us");
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		bench(&maps[i], false);
		bench(&maps[i], true);
	}
	return 0;
}
