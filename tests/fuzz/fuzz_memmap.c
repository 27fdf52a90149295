// SPDX-License-Identifier: MIT
// sources: mm/memmap.c efi/memmap.c mm/frame.c efi/va.c efi/memdesc.c kernel/printf.c
/*
 * The memory map as the firmware hands it over (stride 48): import, the
 * frame allocator, and the runtime VA plans of efi=slot and efi=linux.
 * Invariants: regions sorted and disjoint, RAM below the limit; every free
 * frame in a usable region; planned VAs disjoint, inside the window, and
 * VA = PA mod 2 MiB.
 */
#include "efi_defs.h"
#include "efi_memdesc.h"
#include "efi_va.h"
#include "frame.h"
#include "fuzz.h"
#include "layout.h"
#include "memmap.h"

#define MAXR 4096

static struct mem_region regions[MAXR];
static struct frange franges[MAXR];
static struct efi_rt_region plan_room[MAXR];
static struct efi_va_plan plan = { .r = plan_room, .cap = MAXR };

static void check_plan(u64 base, u64 top)
{
	unsigned int i, k;

	for (i = 0; i < plan.n; i++) {
		const struct efi_rt_region *r = &plan.r[i];

		if (!r->placed)
			continue;
		FUZZ_ASSERT(r->va >= base && r->va + r->size <= top);
		FUZZ_ASSERT((r->va & (SZ_2M - 1)) == (r->pa & (SZ_2M - 1)));
		for (k = i + 1; k < plan.n; k++)
			if (plan.r[k].placed)
				FUZZ_ASSERT(r->va + r->size <= plan.r[k].va ||
					    plan.r[k].va + plan.r[k].size <= r->va);
		/* SetVirtualAddressMap never gets one physical page twice
		 * (efi=linux's merge once skipped this test) */
		for (k = i + 1; k < plan.n; k++)
			FUZZ_ASSERT(r->pa + r->size <= plan.r[k].pa ||
				    plan.r[k].pa + plan.r[k].size <= r->pa);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memmap m = { regions, 0, MAXR, 0, DIRECT_MAP_MAX };
	struct frame_alloc fa;
	unsigned int i;
	u64 pa;

	if (size > 48 * 1000)
		return 0;
	if (!efi_memmap_import(&m, data, size, 48)) {
		for (i = 0; i < m.n; i++) {
			FUZZ_ASSERT(m.r[i].start < m.r[i].end);
			FUZZ_ASSERT(!m.r[i].ram || m.r[i].end <= DIRECT_MAP_MAX);
			if (i)
				FUZZ_ASSERT(m.r[i - 1].end <= m.r[i].start);
		}
		memmap_reserve(&m, 0, SZ_1M, "low");
		frame_init(&fa, franges, MAXR);
		if (!frame_add_usable(&fa, &m, SZ_1M)) {
			for (i = 0; i < 16 && !frame_alloc(&fa, 0, &pa); i++) {
				unsigned int k;

				for (k = 0; k < m.n; k++)
					if (pa >= m.r[k].start && pa < m.r[k].end)
						break;
				FUZZ_ASSERT(k < m.n && m.r[k].class == MEM_USABLE);
			}
		}
	}
	if (!efi_plan_va(data, size, 48, EFI_SLOT_BASE,
			 EFI_SLOT_BASE + EFI_SLOT_SIZE, false, &plan))
		check_plan(EFI_SLOT_BASE, EFI_SLOT_BASE + EFI_SLOT_SIZE);
	if (!efi_plan_va_linux(data, size, 48, EFI_LINUX_BASE, EFI_LINUX_TOP,
			       &plan))
		check_plan(EFI_LINUX_BASE, EFI_LINUX_TOP);
	return 0;
}
