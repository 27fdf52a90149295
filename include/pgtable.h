/* SPDX-License-Identifier: MIT */
/*
 * The level-generic page-table builder (mm/pgtable.c), for x86-64 4-level
 * paging. It never touches CR3, never runs cpuid and never calls firmware:
 * the caller passes the CPU's capabilities, the allocator and the way to
 * reach a physical page through struct pt_ctx, so the same file builds the
 * kernel's tables and runs in the host tests on simulated memory.
 *
 * Call sites speak MAP_* (abstract permissions); only pgtable.c knows the
 * hardware bits.
 */
#ifndef VAMAP_PGTABLE_H
#define VAMAP_PGTABLE_H

#include "types.h"

/* Abstract mapping flags. Readable is implied by a mapping. */
#define MAP_WRITE (1u << 0)
#define MAP_EXEC (1u << 1)
#define MAP_GLOBAL (1u << 2)
/* Cache mode: two bits. WB is the default. */
#define MAP_CACHE_SHIFT 3
#define MAP_CACHE_MASK (3u << MAP_CACHE_SHIFT)
#define MAP_WB (0u << MAP_CACHE_SHIFT)
#define MAP_WC (1u << MAP_CACHE_SHIFT)
#define MAP_WT (2u << MAP_CACHE_SHIFT)
#define MAP_UC (3u << MAP_CACHE_SHIFT)
#define MAP_FLAGS_ALL (MAP_WRITE | MAP_EXEC | MAP_GLOBAL | MAP_CACHE_MASK)

/*
 * The paging levels, top down: the one description every table walker in
 * vamap reads (the stub's init_pg_dir, the kernel's builder, ptdump, the
 * table list and efi_pgd), as Zephyr's paging_levels[]. 4-level paging,
 * SDM vol. 3A, 4.5: each level indexes 9 bits of the address, from bit
 * PT_SHIFT(l) up; a PUD or PMD entry with PS set is a 1 GiB or 2 MiB leaf.
 */
#define PT_LEVELS 4
#define PT_ENTRIES 512
enum pt_level_id { PT_PGD, PT_PUD, PT_PMD, PT_PTE };
#define PT_SHIFT(l) (12 + 9 * (PT_LEVELS - 1 - (l)))
#define PT_INDEX(l, va) (((va) >> PT_SHIFT(l)) & (PT_ENTRIES - 1))
#define PGD_INDEX(va) PT_INDEX(PT_PGD, va)

struct pt_level {
	const char *name; /* "pgd", "pud", "pmd", "pte" */
	bool leaf;	  /* may hold a leaf (the PUD only with 1 GiB pages) */
};
extern const struct pt_level pt_levels[PT_LEVELS];

static inline u64 pt_level_size(unsigned int l)
{
	return 1ULL << PT_SHIFT(l);
}

struct pt_ctx {
	/* A zeroed page for a table: 0 and its physical address in *pa, or
	 * -ENOMEM. */
	int (*alloc_page)(struct pt_ctx *ctx, u64 *pa);
	void (*free_page)(struct pt_ctx *ctx, u64 pa);
	/* Where the builder can read and write the table page at @pa. */
	void *(*phys_to_virt)(struct pt_ctx *ctx, u64 pa);
	void *priv;
	bool has_1g; /* CPUID.80000001h:EDX[26]: 1 GiB leaves allowed */
	bool has_nx; /* EFER.NXE is (or will be) set: NX bits allowed */
	/* Statistics, updated by the builder. */
	u64 tables_allocated;
	u64 tables_freed;
};

/* One mapped range as the walker reports it. */
struct pt_range {
	u64 va;
	u64 pa;
	u64 size;      /* the leaf's size: 4 KiB, 2 MiB or 1 GiB */
	u32 flags;     /* MAP_* */
	unsigned level; /* 0 = PGD .. 3 = PTE: where the leaf sits */
};

/*
 * Map [va, va+size) to [pa, pa+size) with @flags, replacing whatever was
 * there. va, pa and size must be 4 KiB aligned and va canonical; the range
 * must not wrap. Uses the largest page each piece's alignment allows (1 GiB
 * only with ctx->has_1g), splits a larger page when the range covers part of
 * it (the rest keeps its mapping and flags), and frees tables that a new
 * large page replaces. Atomic: it first counts and allocates every table it
 * will need, so -ENOMEM leaves the tables exactly as they were.
 * Returns 0, -EINVAL or -ENOMEM. The caller flushes the TLB.
 */
int pt_map(struct pt_ctx *ctx, u64 root, u64 va, u64 pa, u64 size, u32 flags);

/* Unmap [va, va+size), splitting large pages at the edges (the only reason
 * it allocates). Unmapped parts are skipped. Same atomicity and errors. */
int pt_unmap(struct pt_ctx *ctx, u64 root, u64 va, u64 size);

/* The mapping of @va: 0 and @out filled (out->va is the leaf's base), or
 * -ENOENT when nothing maps it. */
int pt_translate(struct pt_ctx *ctx, u64 root, u64 va, struct pt_range *out);

/* The physical address @va maps to, in *@pa: 0, or -ENOENT when nothing
 * maps it (the checks that compare a conversion with the tables). */
int pt_translate_pa(struct pt_ctx *ctx, u64 root, u64 va, u64 *pa);

/*
 * Call @fn for every leaf under [start, end) in address order (end 0 means
 * the top of the address space). Stops and returns @fn's value when it is
 * non-zero.
 */
typedef int (*pt_walk_fn)(const struct pt_range *r, void *arg);
int pt_walk(struct pt_ctx *ctx, u64 root, u64 start, u64 end, pt_walk_fn fn,
	    void *arg);

/* Number of table pages reachable from @root, the root included. */
u64 pt_count_tables(struct pt_ctx *ctx, u64 root);

/* Free every table under @root's entries [first, last] of the top level
 * (not the root itself) and clear those entries. */
void pt_free_range(struct pt_ctx *ctx, u64 root, unsigned first, unsigned last);

/*
 * One step of a walk: the entry that maps @va in the level-@level table at
 * physical @table. pt_walk_va fills @steps top down and returns how many
 * it filled; the last is a leaf, or an entry that is not present.
 */
struct pt_step {
	unsigned int level;
	unsigned int index;
	u64 table; /* physical address of the table */
	u64 entry;
};
unsigned int pt_walk_va(struct pt_ctx *ctx, u64 root, u64 va,
			struct pt_step steps[PT_LEVELS]);

/* Does @e, an entry at level @l, map a page (rather than point at a table
 * or be absent)? */
bool pt_entry_is_leaf(u64 e, unsigned int l);

/* Sign-extend bit 47: the canonical form of a 48-bit address. */
static inline u64 pt_canonical(u64 va)
{
	return (va & (1ULL << 47)) ? (va | 0xffff000000000000ULL)
				   : (va & 0x0000ffffffffffffULL);
}

/* Raw entry bits, for the few callers that copy entries between tables
 * (efi_pgd, trampoline_pgd) and for the dump. */
#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE (1ULL << 1)
#define PTE_USER (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY (1ULL << 6)
#define PTE_LARGE (1ULL << 7)	  /* PS in a PUD or PMD entry */
#define PTE_PAT_4K (1ULL << 7)	  /* PAT in a PTE */
#define PTE_GLOBAL (1ULL << 8)
#define PTE_PAT_LARGE (1ULL << 12) /* PAT in a 1 GiB or 2 MiB leaf */
#define PTE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/*
 * The PAT layout the kernel programs (IA32_PAT, SDM vol. 3A, 13.12.2), the
 * same as Linux so both read alike: index = PAT<<2 | PCD<<1 | PWT.
 *   0 WB  1 WC  2 UC-  3 UC  4 WB  5 WP  6 UC-  7 WT
 */
#define PAT_VALUE 0x0407050600070106ULL

#endif
