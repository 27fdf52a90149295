// SPDX-License-Identifier: MIT
/* ptdump and the W^X check (see ptdump.h). Host-testable. */
#include "mm_log.h"
#include "printf.h"
#include "ptdump.h"

struct run {
	bool open;
	struct pt_range r; /* r.size is the run's total size */
	u64 leaf;	   /* the leaf size of the run */
};

struct dump {
	struct run run;
	const struct ptdump_marker *next;
	u64 wx_pages;
	bool wx;	/* W^X mode: log only W+X runs */
};

static const char *cache_name(u32 flags)
{
	switch (flags & MAP_CACHE_MASK) {
	case MAP_WC:
		return "WC";
	case MAP_WT:
		return "WT";
	case MAP_UC:
		return "UC";
	default:
		return "WB";
	}
}

static void flush(struct dump *d)
{
	struct run *run = &d->run;
	char size[16], leaf[16];
	u32 f = run->r.flags;

	if (!run->open)
		return;
	run->open = false;
	if (d->wx && !((f & MAP_WRITE) && (f & MAP_EXEC)))
		return;
	mm_log("0x%016lx-0x%016lx %6s %s %s %3s %s%s%s\n",
	       (unsigned long)run->r.va,
	       (unsigned long)(run->r.va + run->r.size),
	       size_string(run->r.size, size, sizeof(size)),
	       (f & MAP_WRITE) ? "RW" : "ro", (f & MAP_EXEC) ? "x " : "NX",
	       size_string(run->leaf, leaf, sizeof(leaf)), cache_name(f),
	       (f & MAP_GLOBAL) ? " GLB" : "",
	       d->wx ? "  <- W+X" : "");
}

static int visit(const struct pt_range *r, void *arg)
{
	struct dump *d = arg;
	struct run *run = &d->run;

	if ((r->flags & MAP_WRITE) && (r->flags & MAP_EXEC))
		d->wx_pages += r->size >> 12;
	if (run->open && run->r.va + run->r.size == r->va &&
	    run->r.flags == r->flags && run->leaf == r->size &&
	    !(d->next && d->next->name && r->va >= d->next->start)) {
		run->r.size += r->size;
		return 0;
	}
	flush(d);
	while (!d->wx && d->next && d->next->name && r->va >= d->next->start) {
		const struct ptdump_marker *m = d->next++;

		/* Print only the last marker at or below this address. */
		if (!(d->next->name && r->va >= d->next->start))
			mm_log("---[ %s ]---\n", m->name);
	}
	run->open = true;
	run->r = *r;
	run->leaf = r->size;
	return 0;
}

void ptdump(struct pt_ctx *ctx, u64 root, u64 start, u64 end,
	    const struct ptdump_marker *markers)
{
	struct dump d = { { false, { 0, 0, 0, 0, 0 }, 0 }, markers, 0, false };

	pt_walk(ctx, root, start, end, visit, &d);
	flush(&d);
}

u64 ptdump_wx_check(struct pt_ctx *ctx, u64 root)
{
	struct dump d = { { false, { 0, 0, 0, 0, 0 }, 0 }, NULL, 0, true };

	pt_walk(ctx, root, 0, 0, visit, &d);
	flush(&d);
	return d.wx_pages;
}

void ptdump_walk_va(struct pt_ctx *ctx, u64 root, u64 va)
{
	struct pt_step steps[PT_LEVELS];
	unsigned int n = pt_walk_va(ctx, root, va, steps), i;

	for (i = 0; i < n; i++) {
		const struct pt_step *s = &steps[i];

		mm_log("  %s[%3u] @0x%016lx = 0x%016lx%s\n",
		       pt_levels[s->level].name, s->index,
		       (unsigned long)s->table, (unsigned long)s->entry,
		       !(s->entry & PTE_PRESENT) ? " (not present)"
		       : pt_entry_is_leaf(s->entry, s->level) ? " (leaf)" : "");
	}
}
