// SPDX-License-Identifier: MIT
/* The table list (see pgd_list.h). Host-testable. */
#include "layout.h"
#include "mm_log.h"
#include "pgd_list.h"

#define DIRECT_FIRST PGD_INDEX(PAGE_OFFSET)
#define DIRECT_SLOTS (DIRECT_MAP_MAX / PGD_SLOT_SIZE)

compile_assert(direct_map_alias_fits_low_half, DIRECT_SLOTS <= 256);

/* The CPU sets Accessed (and Dirty, in leaves) in whichever copy it walks
 * (SDM vol. 3A, 4.8): those bits are not the kernel's, so copies that
 * differ only there are in sync. */
#define HW_OWNED (PTE_ACCESSED | PTE_DIRTY)

static bool same(u64 a, u64 b)
{
	return ((a ^ b) & ~HW_OWNED) == 0;
}

static u64 *table(struct pt_ctx *ctx, u64 pa)
{
	return ctx->phys_to_virt(ctx, pa & PTE_ADDR_MASK);
}

int pgd_list_add(struct pgd_list *l, const struct pgd_member *m)
{
	if (l->n == PGD_LIST_MAX)
		return -ENOSPC;
	l->m[l->n++] = *m;
	return 0;
}

/*
 * Walk every entry a member must share with the master and call @fn with
 * the master's copy (as the member must hold it) and the member's. For
 * the private slot, that is the PUD entries outside the window (when both
 * have a PUD there); for the image's slot, the PUD entries but the image's.
 */
typedef unsigned int (*visit_fn)(const struct pgd_member *m, const char *what,
				 unsigned int idx, u64 want, u64 *have);

static u64 as_member(const struct pgd_member *m, u64 e)
{
	return m->shared_ro ? e & ~PTE_WRITE : e;
}

static unsigned int for_each_shared(struct pt_ctx *ctx, u64 master,
				    const struct pgd_member *m, visit_fn fn)
{
	u64 *mp = table(ctx, master), *pp = table(ctx, m->root);
	unsigned int i, n = 0;

	for (i = PGD_KERNEL_FIRST; i < PT_ENTRIES; i++) {
		bool priv = (int)i == m->private_slot, img = (int)i == m->image_slot;

		if (!priv && !img) {
			n += fn(m, pt_levels[PT_PGD].name, i, as_member(m, mp[i]), &pp[i]);
			continue;
		}
		if ((mp[i] & PTE_PRESENT) && (pp[i] & PTE_PRESENT)) {
			u64 *mpud = table(ctx, mp[i]), *ppud = table(ctx, pp[i]);
			unsigned int k;

			for (k = 0; k < PT_ENTRIES; k++) {
				if (priv && k >= m->win_first && k <= m->win_last)
					continue;
				if (img && k == m->image_pud)
					continue;
				n += fn(m, pt_levels[PT_PUD].name, k,
					as_member(m, mpud[k]), &ppud[k]);
			}
		}
	}
	if (m->alias_identity)
		for (i = 0; i < DIRECT_SLOTS; i++)
			n += fn(m, "alias", i, mp[DIRECT_FIRST + i], &pp[i]);
	return n;
}

static unsigned int sync_one(const struct pgd_member *m, const char *what,
			     unsigned int idx, u64 want, u64 *have)
{
	(void)m;
	(void)what;
	(void)idx;
	if (same(*have, want))
		return 0;
	*have = want;
	return 1;
}

unsigned int pgd_list_sync(struct pt_ctx *ctx, struct pgd_list *l)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += for_each_shared(ctx, l->master, &l->m[i], sync_one);
	return n;
}

static struct pgd_check *checking;

static unsigned int check_one(const struct pgd_member *m, const char *what,
			      unsigned int idx, u64 want, u64 *have)
{
	checking->entries++;
	if (same(*have, want))
		return 0;
	checking->mismatches++;
	mm_log("mm: table list: %s %s[%u] = 0x%016lx, swapper_pg_dir has "
	       "0x%016lx\n", m->name, what, idx, (unsigned long)*have,
	       (unsigned long)want);
	return 1;
}

void pgd_list_check(struct pt_ctx *ctx, const struct pgd_list *l,
		    struct pgd_check *out)
{
	unsigned int i;

	out->tables = l->n + 1;
	out->entries = 0;
	out->mismatches = 0;
	checking = out;
	for (i = 0; i < l->n; i++)
		for_each_shared(ctx, l->master, &l->m[i], check_one);
	checking = NULL;
}
