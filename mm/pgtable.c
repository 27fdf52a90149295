// SPDX-License-Identifier: MIT
/*
 * The level-generic page-table builder (contract in include/pgtable.h).
 *
 * The four levels are rows of one table; a huge page is "a leaf at level
 * L". Every operation is one recursive walk over that table, so there is no
 * per-level code to drift apart.
 *
 * Atomicity: pt_map and pt_unmap first run the same walk in counting mode
 * (how many new tables: absent entries that need a table, large leaves that
 * need splitting), allocate them all up front into a chain threaded through
 * the pages themselves, and only then change anything.
 */
#include "pgtable.h"

const struct pt_level pt_levels[PT_LEVELS] = {
	[PT_PGD] = { "pgd", false },
	[PT_PUD] = { "pud", true },
	[PT_PMD] = { "pmd", true },
	[PT_PTE] = { "pte", true },
};

static u64 level_size(unsigned int l)
{
	return pt_level_size(l);
}

static unsigned int level_index(unsigned int l, u64 va)
{
	return (unsigned int)PT_INDEX(l, va);
}

static bool leaf_allowed(const struct pt_ctx *ctx, unsigned int l)
{
	return pt_levels[l].leaf && (l != PT_PUD || ctx->has_1g);
}

static u64 *table_at(struct pt_ctx *ctx, u64 pa)
{
	return ctx->phys_to_virt(ctx, pa);
}

static bool is_leaf(u64 e, unsigned int l)
{
	return (e & PTE_PRESENT) && (l == PT_PTE || (e & PTE_LARGE));
}

bool pt_entry_is_leaf(u64 e, unsigned int l)
{
	return is_leaf(e, l);
}

static bool is_table(u64 e, unsigned int l)
{
	return (e & PTE_PRESENT) && !is_leaf(e, l);
}

/* ---- flags ↔ entry bits: the only place that knows the hardware -------- */

static u64 cache_bits(u32 flags, unsigned int l)
{
	u64 pat = l == PT_PTE ? PTE_PAT_4K : PTE_PAT_LARGE;

	switch (flags & MAP_CACHE_MASK) {
	case MAP_WC:
		return PTE_PWT;			/* PAT index 1 */
	case MAP_UC:
		return PTE_PCD | PTE_PWT;	/* PAT index 3 */
	case MAP_WT:
		return pat | PTE_PCD | PTE_PWT; /* PAT index 7 */
	default:
		return 0;			/* PAT index 0: WB */
	}
}

static u64 flags_to_entry(const struct pt_ctx *ctx, u64 pa, u32 flags,
			  unsigned int l)
{
	u64 e = pa | PTE_PRESENT | cache_bits(flags, l);

	if (flags & MAP_WRITE)
		e |= PTE_WRITE;
	if (!(flags & MAP_EXEC) && ctx->has_nx)
		e |= PTE_NX;
	if (flags & MAP_GLOBAL)
		e |= PTE_GLOBAL;
	if (l != PT_PTE)
		e |= PTE_LARGE;
	return e;
}

static u32 entry_to_flags(u64 e, unsigned int l)
{
	u64 pat = l == PT_PTE ? PTE_PAT_4K : PTE_PAT_LARGE;
	unsigned int idx = ((e & pat) ? 4 : 0) | ((e & PTE_PCD) ? 2 : 0) |
			   ((e & PTE_PWT) ? 1 : 0);
	u32 f = 0;

	if (e & PTE_WRITE)
		f |= MAP_WRITE;
	if (!(e & PTE_NX))
		f |= MAP_EXEC;
	if (e & PTE_GLOBAL)
		f |= MAP_GLOBAL;
	switch (idx) { /* PAT_VALUE: 0 WB 1 WC 2 UC- 3 UC 4 WB 5 WP 6 UC- 7 WT */
	case 1:
		f |= MAP_WC;
		break;
	case 2:
	case 3:
	case 6:
		f |= MAP_UC;
		break;
	case 7:
		f |= MAP_WT;
		break;
	default:
		break;
	}
	return f;
}

static u64 entry_pa(u64 e, unsigned int l)
{
	u64 mask = PTE_ADDR_MASK;

	if (is_leaf(e, l) && l != PT_PTE)
		mask &= ~(level_size(l) - 1); /* drop PAT bit 12 and below */
	return e & mask;
}

/* ---- the preallocated chain ------------------------------------------- */

struct chain {
	u64 head; /* physical address of the first page, 0 if empty */
	u64 count;
};

static int chain_fill(struct pt_ctx *ctx, struct chain *c, u64 n)
{
	while (c->count < n) {
		u64 pa;

		if (ctx->alloc_page(ctx, &pa))
			return -ENOMEM;
		*table_at(ctx, pa) = c->head;
		c->head = pa;
		c->count++;
		ctx->tables_allocated++;
	}
	return 0;
}

static u64 chain_take(struct pt_ctx *ctx, struct chain *c)
{
	u64 pa = c->head;
	u64 *t = table_at(ctx, pa);

	c->head = t[0];
	t[0] = 0; /* the page is zero again */
	c->count--;
	return pa;
}

static void chain_release(struct pt_ctx *ctx, struct chain *c)
{
	while (c->count) {
		u64 pa = chain_take(ctx, c);

		ctx->free_page(ctx, pa);
		ctx->tables_freed++;
	}
}

/* ---- the walk --------------------------------------------------------- */

enum op { OP_MAP, OP_UNMAP };

struct walk {
	struct pt_ctx *ctx;
	enum op op;
	bool counting;	/* count tables instead of changing anything */
	u64 needed;	/* counting: tables the operation will allocate */
	struct chain chain;
	u32 flags;
};

static void free_subtree(struct pt_ctx *ctx, u64 pa, unsigned int l)
{
	u64 *t = table_at(ctx, pa);
	unsigned int i;

	if (l < PT_PTE)
		for (i = 0; i < PT_ENTRIES; i++)
			if (is_table(t[i], l))
				free_subtree(ctx, entry_pa(t[i], l), l + 1);
	ctx->free_page(ctx, pa);
	ctx->tables_freed++;
}

/* Write @n consecutive leaves from @e on, freeing any tables they replace. */
static void fill_leaves(struct walk *w, u64 *e, unsigned int l, u64 pa, u64 n)
{
	u64 entry = flags_to_entry(w->ctx, pa, w->flags, l);
	u64 step = level_size(l), i;

	for (i = 0; i < n; i++, entry += step) {
		u64 old = e[i];

		e[i] = entry;
		if (is_table(old, l))
			free_subtree(w->ctx, entry_pa(old, l), l + 1);
	}
}

/* Replace the large leaf *e (at level l) by a table of 512 leaves one level
 * down that map the same memory with the same flags. */
static void split(struct walk *w, u64 *e, unsigned int l)
{
	u64 child = chain_take(w->ctx, &w->chain);
	u64 *t = table_at(w->ctx, child);
	u64 base = entry_pa(*e, l);
	u32 flags = entry_to_flags(*e, l);
	u64 step = level_size(l + 1);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = flags_to_entry(w->ctx, base + i * step, flags, l + 1);
	*e = child | PTE_PRESENT | PTE_WRITE;
}

/*
 * In counting mode, what an entry of a table that does not exist yet holds.
 * For a map it may be a new empty table or a split leaf; both need the same
 * tables below, so "absent" counts exactly. An unmap never creates a table
 * for an absent entry, so its only virtual tables are split leaves: every
 * entry a present leaf, and a partial unmap of one needs a further split.
 */
static u64 virtual_entry(const struct walk *w)
{
	return w->op == OP_UNMAP ? (PTE_PRESENT | PTE_LARGE) : 0;
}

/*
 * Apply the operation to [va, va+size) inside the table at level l.
 * In counting mode, @table may be 0: the table does not exist yet (it is
 * empty, or will be a split of a leaf) and only the count matters.
 */
static void walk_level(struct walk *w, u64 table, unsigned int l, u64 va,
		       u64 pa, u64 size)
{
	u64 *t = table ? table_at(w->ctx, table) : NULL;

	while (size) {
		u64 span = level_size(l);
		u64 end = (va & ~(span - 1)) + span;
		u64 chunk = MIN(size, end - va);
		u64 *e = t ? &t[level_index(l, va)] : NULL;
		u64 old = e ? *e : virtual_entry(w);
		bool whole = chunk == span;

		if (w->op == OP_MAP && whole && leaf_allowed(w->ctx, l) &&
		    IS_ALIGNED(pa, span)) {
			/* A run of whole, aligned leaves up to the end of this
			 * table: nothing to count, one tight loop to fill. */
			u64 n = MIN(size >> PT_SHIFT(l),
				    (u64)(PT_ENTRIES - level_index(l, va)));

			if (!w->counting)
				fill_leaves(w, e, l, pa, n);
			va += n * span;
			pa += n * span;
			size -= n * span;
			continue;
		} else if (w->op == OP_UNMAP && whole) {
			if (!w->counting) {
				*e = 0;
				if (is_table(old, l))
					free_subtree(w->ctx, entry_pa(old, l),
						     l + 1);
			}
		} else if (w->op == OP_UNMAP && !(old & PTE_PRESENT)) {
			/* nothing mapped here: nothing to unmap */
		} else if (w->counting) {
			if (is_table(old, l)) {
				walk_level(w, entry_pa(old, l), l + 1, va, pa, chunk);
			} else {
				w->needed++; /* a new table, or a split */
				walk_level(w, 0, l + 1, va, pa, chunk);
			}
		} else {
			if (!(old & PTE_PRESENT))
				*e = chain_take(w->ctx, &w->chain) | PTE_PRESENT |
				     PTE_WRITE;
			else if (is_leaf(old, l))
				split(w, e, l);
			walk_level(w, entry_pa(*e, l), l + 1, va, pa, chunk);
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
}


static int check_range(u64 va, u64 pa, u64 size)
{
	if (!size || !IS_ALIGNED(va | pa | size, SZ_4K))
		return -EINVAL;
	if (pt_canonical(va) != va || va + size - 1 < va ||
	    pa + size - 1 < pa || (pa + size - 1) >> 52)
		return -EINVAL;
	/* The range may not cross the non-canonical hole. */
	if (pt_canonical(va + size - 1) != va + size - 1 ||
	    ((va ^ (va + size - 1)) >> 47))
		return -EINVAL;
	return 0;
}

static int run(struct pt_ctx *ctx, u64 root, enum op op, u64 va, u64 pa,
	       u64 size, u32 flags)
{
	struct walk w = { ctx, op, true, 0, { 0, 0 }, flags };
	int ret;

	if (!root || (flags & ~MAP_FLAGS_ALL))
		return -EINVAL;
	ret = check_range(va, op == OP_MAP ? pa : 0, size);
	if (ret)
		return ret;
	walk_level(&w, root, 0, va, pa, size);
	if (chain_fill(ctx, &w.chain, w.needed)) {
		chain_release(ctx, &w.chain);
		return -ENOMEM;
	}
	w.counting = false;
	walk_level(&w, root, 0, va, pa, size);
	/* The count is exact; anything left would be a builder bug, and is
	 * at least not leaked. */
	chain_release(ctx, &w.chain);
	return 0;
}

int pt_map(struct pt_ctx *ctx, u64 root, u64 va, u64 pa, u64 size, u32 flags)
{
	return run(ctx, root, OP_MAP, va, pa, size, flags);
}

int pt_unmap(struct pt_ctx *ctx, u64 root, u64 va, u64 size)
{
	return run(ctx, root, OP_UNMAP, va, 0, size, 0);
}

unsigned int pt_walk_va(struct pt_ctx *ctx, u64 root, u64 va,
			struct pt_step steps[PT_LEVELS])
{
	u64 table = root;
	unsigned int l;

	for (l = 0; l < PT_LEVELS; l++) {
		u64 e = table_at(ctx, table)[level_index(l, va)];

		steps[l] = (struct pt_step){ l, level_index(l, va), table, e };
		if (!(e & PTE_PRESENT) || is_leaf(e, l))
			return l + 1;
		table = entry_pa(e, l);
	}
	return PT_LEVELS; /* not reached: a PTE is always a leaf or absent */
}

int pt_translate(struct pt_ctx *ctx, u64 root, u64 va, struct pt_range *out)
{
	struct pt_step steps[PT_LEVELS];
	unsigned int n = pt_walk_va(ctx, root, va, steps);
	u64 e = steps[n - 1].entry;
	unsigned int l = n - 1;

	if (!is_leaf(e, l))
		return -ENOENT;
	out->size = level_size(l);
	out->va = va & ~(out->size - 1);
	out->pa = entry_pa(e, l);
	out->flags = entry_to_flags(e, l);
	out->level = l;
	return 0;
}

int pt_translate_pa(struct pt_ctx *ctx, u64 root, u64 va, u64 *pa)
{
	struct pt_range r;
	int ret = pt_translate(ctx, root, va, &r);

	if (!ret)
		*pa = r.pa + (va - r.va);
	return ret;
}

static int walk_tree(struct pt_ctx *ctx, u64 table, unsigned int l, u64 base,
		     u64 start, u64 last, pt_walk_fn fn, void *arg)
{
	u64 *t = table_at(ctx, table);
	u64 span = level_size(l);
	unsigned int i;
	int ret;

	for (i = 0; i < PT_ENTRIES; i++) {
		u64 va = pt_canonical(base + i * span);
		u64 e = t[i];

		if (va + (span - 1) < start || va > last)
			continue;
		if (is_leaf(e, l)) {
			struct pt_range r = { va, entry_pa(e, l), span,
					      entry_to_flags(e, l), l };

			ret = fn(&r, arg);
			if (ret)
				return ret;
		} else if (is_table(e, l)) {
			ret = walk_tree(ctx, entry_pa(e, l), l + 1,
					base + i * span, start, last, fn, arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int pt_walk(struct pt_ctx *ctx, u64 root, u64 start, u64 end, pt_walk_fn fn,
	    void *arg)
{
	return walk_tree(ctx, root, 0, 0, start, end ? end - 1 : ~0ULL, fn, arg);
}

static u64 count_tree(struct pt_ctx *ctx, u64 table, unsigned int l)
{
	u64 *t = table_at(ctx, table);
	u64 n = 1;
	unsigned int i;

	if (l < PT_PTE)
		for (i = 0; i < PT_ENTRIES; i++)
			if (is_table(t[i], l))
				n += count_tree(ctx, entry_pa(t[i], l), l + 1);
	return n;
}

u64 pt_count_tables(struct pt_ctx *ctx, u64 root)
{
	return count_tree(ctx, root, 0);
}

void pt_free_range(struct pt_ctx *ctx, u64 root, unsigned first, unsigned last)
{
	u64 *t = table_at(ctx, root);
	unsigned int i;

	for (i = first; i <= last && i < PT_ENTRIES; i++) {
		if (is_table(t[i], 0))
			free_subtree(ctx, entry_pa(t[i], 0), 1);
		t[i] = 0;
	}
}
