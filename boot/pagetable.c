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
 * No NX bits: EFER.NXE is the firmware's choice at this point, and an NX bit
 * with NXE clear is a reserved-bit fault (SDM vol. 3A, 4.5.4).
 */
#include "layout.h"
#include "stub.h"

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE (1ULL << 1)
#define PTE_LARGE (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL

struct pool {
	u64 base;
	u32 used;
	u32 cap;
};

static u64 *pool_page(struct pool *p)
{
	unsigned int i;
	u64 *page;

	if (p->used == p->cap)
		return NULL;
	page = (u64 *)(uintptr_t)(p->base + (u64)p->used++ * 4096);
	for (i = 0; i < 512; i++)
		page[i] = 0;
	return page;
}

/* Map one 2 MiB page va → pa, creating the PUD and PD on the way. */
static EFI_STATUS map_2m(struct pool *p, u64 *pgd, u64 va, u64 pa)
{
	static const unsigned int shift[] = { 39, 30 };
	u64 *t = pgd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shift); i++) {
		u64 *e = &t[(va >> shift[i]) & 511];

		if (!(*e & PTE_PRESENT)) {
			u64 *next = pool_page(p);

			if (!next)
				return EFI_OUT_OF_RESOURCES;
			*e = (u64)(uintptr_t)next | PTE_PRESENT | PTE_WRITE;
		}
		t = (u64 *)(uintptr_t)(*e & PTE_ADDR);
	}
	t[(va >> 21) & 511] = pa | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
	return EFI_SUCCESS;
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
 * false for anything else, or a range that wraps. */
static bool ram_chunk(const EFI_MEMORY_DESCRIPTOR *d, u64 *start, u64 *end)
{
	u64 s = d->PhysicalStart, e;

	if (!efi_type_is_ram(d->Type) || !d->NumberOfPages ||
	    d->NumberOfPages > (IDENTITY_LIMIT >> 12) || s >= IDENTITY_LIMIT)
		return false;
	e = MIN(s + (d->NumberOfPages << 12), IDENTITY_LIMIT);
	*start = ALIGN_DOWN(s, SZ_2M);
	*end = ALIGN_UP(e, SZ_2M);
	return true;
}

EFI_STATUS stub_build_init_pg_dir(const void *map, UINTN map_size,
				  UINTN desc_size, u64 kernel_phys,
				  u64 kernel_span, struct boot_info *bi)
{
	UINTN n = map_size / desc_size, i;
	struct pool pool = { 0, 0, 3 }; /* PGD, kernel PUD, kernel PD */
	EFI_PHYSICAL_ADDRESS base;
	EFI_STATUS st;
	u64 end_max = 0, va, *pgd;

	/* An upper bound: every RAM range may need its own PUDs and PDs. */
	for (i = 0; i < n; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(map, desc_size, i);
		u64 start, end;

		if (!ram_chunk(d, &start, &end))
			continue;
		pool.cap += (u32)(((end - 1) >> 39) - (start >> 39) + 1);
		pool.cap += (u32)(((end - 1) >> 30) - (start >> 30) + 1);
		end_max = MAX(end_max, end);
	}
	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, (UINTN)pool.cap, &base);
	if (EFI_ERROR(st))
		return st;
	pool.base = base;
	pgd = pool_page(&pool);

	for (i = 0; i < n; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(map, desc_size, i);
		u64 start, end;

		if (!ram_chunk(d, &start, &end))
			continue;
		for (va = start; va < end; va += SZ_2M) {
			st = map_2m(&pool, pgd, va, va);
			if (EFI_ERROR(st))
				goto out_free;
		}
	}
	for (va = 0; va < kernel_span; va += SZ_2M) {
		st = map_2m(&pool, pgd, KERNEL_VIRT_BASE + va, kernel_phys + va);
		if (EFI_ERROR(st))
			goto out_free;
	}
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
	return st;
}
