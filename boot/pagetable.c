// SPDX-License-Identifier: MIT
/*
 * init_pg_dir: the tables the kernel starts on. Two things are mapped:
 *
 *  - every 2 MiB chunk that holds RAM of any kind, 1:1. The stub itself,
 *    its stack, boot_info and the memory map are all somewhere in RAM, and
 *    OVMF may place any of them above 4 GiB, so covering RAM (not a fixed
 *    low window) is what makes "wherever they really are" true. The kernel
 *    also uses this map to write its first page tables before its own
 *    direct map exists.
 *  - the kernel image at KERNEL_VIRT_BASE, 2 MiB pages, read-write and
 *    executable: the kernel replaces this with per-section permissions.
 *
 * Built with the kernel's own builder (mm/pgtable.c, the one description
 * of the paging levels): 2 MiB leaves, no 1 GiB ones (the CPU may lack
 * them), and no NX bits: EFER.NXE is the firmware's choice at this point,
 * and an NX bit with NXE clear is a reserved-bit fault (SDM vol. 3A, 4.5.4).
 */
#include "layout.h"
#include "pgtable.h"
#include "stub.h"

/* The table pages: a bump allocator over one AllocatePages block, sized by
 * an upper bound before anything is mapped. */
struct pool {
	u64 base;
	u32 used;
	u32 cap;
};

static int pool_alloc(struct pt_ctx *ctx, u64 *pa)
{
	struct pool *p = ctx->priv;
	u64 *page;
	unsigned int i;

	if (p->used == p->cap)
		return -ENOMEM;
	*pa = p->base + (u64)p->used++ * 4096;
	page = (u64 *)(uintptr_t)*pa;
	for (i = 0; i < PT_ENTRIES; i++)
		page[i] = 0;
	return 0;
}

/* The builder frees a table only when a larger leaf replaces it, which
 * 2 MiB leaves over 2 MiB-aligned ranges never do: a freed page simply
 * stays in the block. */
static void pool_free(struct pt_ctx *ctx, u64 pa)
{
	(void)ctx;
	(void)pa;
}

/* The firmware's 1:1 map: a table's physical address is where it is. */
static void *pool_p2v(struct pt_ctx *ctx, u64 pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

/* Step by the firmware's desc_size, never by sizeof (UEFI 2.10, 7.2). */
static const EFI_MEMORY_DESCRIPTOR *desc_at(const void *map, UINTN desc_size,
					    UINTN i)
{
	return (const EFI_MEMORY_DESCRIPTOR *)((const u8 *)map + i * desc_size);
}

/* A 1:1 map lives in the low half: VA = PA only below 2^47 (SDM vol. 3A,
 * 4.5: canonical addresses). RAM above that cannot be mapped 1:1. */
#define IDENTITY_LIMIT (1ULL << 47)

/* The 2 MiB-rounded range of a RAM descriptor, clipped to the low half;
 * false for anything else, or a range the descriptor validator refuses. */
static bool ram_chunk(const EFI_MEMORY_DESCRIPTOR *d, u64 *start, u64 *end)
{
	u64 s = d->PhysicalStart, e;

	if (!efi_type_is_ram(d->Type) ||
	    efi_desc_range_problem(d->PhysicalStart, d->NumberOfPages) ||
	    s >= IDENTITY_LIMIT)
		return false;
	e = MIN(s + (d->NumberOfPages << 12), IDENTITY_LIMIT);
	*start = ALIGN_DOWN(s, SZ_2M);
	*end = ALIGN_UP(e, SZ_2M);
	return true;
}

/* Tables a 2 MiB map of [start, end) can need: its PUDs and its PMDs. */
static u32 tables_for(u64 start, u64 end)
{
	return (u32)(((end - 1) >> PT_SHIFT(PT_PGD)) - (start >> PT_SHIFT(PT_PGD)) + 1 +
		     ((end - 1) >> PT_SHIFT(PT_PUD)) - (start >> PT_SHIFT(PT_PUD)) + 1);
}

EFI_STATUS stub_build_init_pg_dir(const void *map, UINTN map_size,
				  UINTN desc_size, u64 kernel_phys,
				  u64 kernel_span, struct boot_info *bi)
{
	UINTN n = map_size / desc_size, i;
	struct pool pool = { 0, 0, 1 }; /* the PGD */
	struct pt_ctx ctx = { pool_alloc, pool_free, pool_p2v, &pool,
			      false, false, 0, 0 };
	EFI_PHYSICAL_ADDRESS base;
	EFI_STATUS st = EFI_SUCCESS;
	u64 end_max = 0, pgd = 0;

	/* An upper bound: every RAM range may need its own PUDs and PMDs. */
	for (i = 0; i < n; i++) {
		u64 start, end;

		if (!ram_chunk(desc_at(map, desc_size, i), &start, &end))
			continue;
		pool.cap += tables_for(start, end);
		end_max = MAX(end_max, end);
	}
	pool.cap += tables_for(KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + kernel_span);
	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, (UINTN)pool.cap, &base);
	if (EFI_ERROR(st))
		return st;
	pool.base = base;
	pool_alloc(&ctx, &pgd);

	for (i = 0; i < n; i++) {
		u64 start, end;

		if (!ram_chunk(desc_at(map, desc_size, i), &start, &end))
			continue;
		if (pt_map(&ctx, pgd, start, start, end - start,
			   MAP_WRITE | MAP_EXEC))
			goto out_free;
	}
	if (pt_map(&ctx, pgd, KERNEL_VIRT_BASE, kernel_phys,
		   ALIGN_UP(kernel_span, SZ_2M), MAP_WRITE | MAP_EXEC))
		goto out_free;
	/* Give back what the bound over-estimated. */
	if (pool.used < pool.cap)
		fw_call(BS->FreePages, 2, base + (u64)pool.used * 4096,
			(UINTN)(pool.cap - pool.used));
	bi->init_pg_dir = base;
	bi->init_pg_pages = pool.used;
	bi->identity_map_end = end_max;
	return EFI_SUCCESS;

out_free:
	fw_call(BS->FreePages, 2, base, (UINTN)pool.cap);
	return EFI_OUT_OF_RESOURCES;
}
