// SPDX-License-Identifier: MIT
/* efi_pgd creation (see efi_pgd.h). Host-testable. */
#include "cmdline.h"
#include "efi_pgd.h"
#include "layout.h"
#include "efi_log.h"

compile_assert(efi_modes_match_cmdline, EFI_MODE_NORUNTIME + 1 == CMDLINE_EFI_MODES);
compile_assert(efi_linux_window_pud_range,
	       PT_INDEX(PT_PUD, EFI_LINUX_BASE) == 444 && PT_INDEX(PT_PUD, EFI_LINUX_TOP - 1) == 507);

const char *efi_mode_name(enum efi_mode mode)
{
	static const char *const names[] = { "slot", "linux", "1to1", "novamap",
					     "noruntime" };

	return (unsigned int)mode < ARRAY_SIZE(names) ? names[mode] : "?";
}

void efi_mode_window(enum efi_mode mode, struct efi_window *w)
{
	w->base = w->top = 0;
	w->slot = -1;
	w->pud_first = 0;
	w->pud_last = PT_ENTRIES - 1;
	if (mode == EFI_MODE_SLOT) {
		w->base = EFI_SLOT_BASE;
		w->top = EFI_SLOT_BASE + EFI_SLOT_SIZE;
		w->slot = PGD_INDEX(EFI_SLOT_BASE);
	} else if (mode == EFI_MODE_LINUX) {
		w->base = EFI_LINUX_BASE;
		w->top = EFI_LINUX_TOP;
		w->slot = PGD_INDEX(EFI_LINUX_BASE);
		w->pud_first = PT_INDEX(PT_PUD, EFI_LINUX_BASE);
		w->pud_last = PT_INDEX(PT_PUD, EFI_LINUX_TOP - 1);
	}
}

int efi_pgd_create(struct pt_ctx *ctx, u64 swapper, enum efi_mode mode,
		   struct pgd_member *member)
{
	struct efi_window w;
	u64 root, pud = 0, *rp, *sp;
	unsigned int i;

	efi_mode_window(mode, &w);
	if (ctx->alloc_page(ctx, &root))
		return -ENOMEM;
	ctx->tables_allocated++;
	rp = ctx->phys_to_virt(ctx, root);
	sp = ctx->phys_to_virt(ctx, swapper);
	for (i = PGD_KERNEL_FIRST; i < PT_ENTRIES; i++)
		rp[i] = sp[i];

	if (w.slot >= 0) {
		u64 *np, *kp = NULL;

		if (sp[w.slot] & PTE_PRESENT)
			kp = ctx->phys_to_virt(ctx, sp[w.slot] & PTE_ADDR_MASK);
		if (mode == EFI_MODE_SLOT && kp) {
			efi_log("the kernel uses PGD slot %d, the EFI slot\n",
			       w.slot);
			goto inval;
		}
		for (i = w.pud_first; kp && i <= w.pud_last; i++) {
			if (kp[i]) {
				efi_log("the kernel maps PUD %u of slot %d, inside "
				       "the EFI window\n", i, w.slot);
				goto inval;
			}
		}
		if (ctx->alloc_page(ctx, &pud)) {
			ctx->free_page(ctx, root);
			ctx->tables_freed++;
			return -ENOMEM;
		}
		ctx->tables_allocated++;
		np = ctx->phys_to_virt(ctx, pud);
		for (i = 0; kp && i < PT_ENTRIES; i++)
			np[i] = kp[i]; /* the window part is empty, checked above */
		rp[w.slot] = pud | PTE_PRESENT | PTE_WRITE;
	}
	member->name = "efi_pgd";
	member->root = root;
	member->private_slot = w.slot;
	member->win_first = w.pud_first;
	member->win_last = w.pud_last;
	member->alias_identity = false;
	member->image_slot = 0;
	member->image_pud = 0;
	member->shared_ro = false;
	return 0;

inval:
	ctx->free_page(ctx, root);
	ctx->tables_freed++;
	return -EINVAL;
}

static bool keep_valid(const struct efi_strict_range *keep, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((keep[i].start | keep[i].end) & (PAGE_SIZE - 1) ||
		    keep[i].start < LOW_HALF_END || keep[i].end < keep[i].start)
			return false;
	return true;
}

/* Map the @keep ranges into @root page by page, with @swapper's
 * translation and flags ANDed with each range's, never global. */
static int map_keep(struct pt_ctx *ctx, u64 root, u64 swapper,
		    const struct efi_strict_range *keep, unsigned int n,
		    u64 *pages)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 va;

		for (va = keep[i].start; va < keep[i].end; va += PAGE_SIZE) {
			struct pt_range r;
			int ret;

			if (pt_translate(ctx, swapper, va, &r))
				continue; /* a guard page */
			ret = pt_map(ctx, root, va, r.pa + (va - r.va), PAGE_SIZE,
				     r.flags & keep[i].allow & ~MAP_GLOBAL);
			if (ret)
				return ret;
			(*pages)++;
		}
	}
	return 0;
}

int efi_pgd_make_strict(struct pt_ctx *ctx, u64 root, u64 swapper,
			enum efi_mode mode, const struct efi_strict_range *keep,
			unsigned int n, u64 *pages)
{
	struct efi_window w;
	u64 *rp = ctx->phys_to_virt(ctx, root);
	unsigned int i, j;

	*pages = 0;
	if (!keep_valid(keep, n))
		return -EINVAL;
	efi_mode_window(mode, &w);
	/* Shared with swapper_pg_dir: dropping an entry frees nothing. */
	for (i = PGD_KERNEL_FIRST; i < PT_ENTRIES; i++) {
		if ((int)i != w.slot) {
			rp[i] = 0;
			continue;
		}
		if (w.pud_first == 0 && w.pud_last == PT_ENTRIES - 1)
			continue; /* a whole private slot: the window alone */
		/* efi=linux: the private PUD keeps the window's entries; the
		 * rest are swapper_pg_dir's tables (the image, the fixmap). */
		if (rp[i] & PTE_PRESENT) {
			u64 *pud = ctx->phys_to_virt(ctx, rp[i] & PTE_ADDR_MASK);

			for (j = 0; j < PT_ENTRIES; j++)
				if (j < w.pud_first || j > w.pud_last)
					pud[j] = 0;
		}
	}
	return map_keep(ctx, root, swapper, keep, n, pages);
}

int efi_pgd_make_shared(struct pt_ctx *ctx, u64 root, u64 swapper,
			const struct efi_strict_range *keep, unsigned int n,
			struct pgd_member *member, u64 *pages)
{
	const unsigned int slot = PGD_INDEX(KERNEL_VIRT_BASE),
			   img = PT_INDEX(PT_PUD, KERNEL_VIRT_BASE);
	u64 *rp = ctx->phys_to_virt(ctx, root), *sp = ctx->phys_to_virt(ctx, swapper);
	struct pgd_list one = { .master = swapper };
	u64 *pud, *kp, pa;
	unsigned int i;

	*pages = 0;
	if (!keep_valid(keep, n))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (keep[i].start < keep[i].end &&
		    (PGD_INDEX(keep[i].start) != slot ||
		     PT_INDEX(PT_PUD, keep[i].start) != img ||
		     PGD_INDEX(keep[i].end - 1) != slot ||
		     PT_INDEX(PT_PUD, keep[i].end - 1) != img))
			return -EINVAL; /* outside the image's PUD entry */
	if (!(sp[slot] & PTE_PRESENT))
		return -EINVAL;
	if (member->private_slot != (int)slot) {
		/* efi=slot, 1:1 modes: slot 511's PUD becomes private, a
		 * copy of the kernel's (the image's entry replaced below). */
		if (ctx->alloc_page(ctx, &pa))
			return -ENOMEM;
		ctx->tables_allocated++;
		pud = ctx->phys_to_virt(ctx, pa);
		kp = ctx->phys_to_virt(ctx, sp[slot] & PTE_ADDR_MASK);
		for (i = 0; i < PT_ENTRIES; i++)
			pud[i] = kp[i];
		rp[slot] = pa | PTE_PRESENT | PTE_WRITE;
	}
	pud = ctx->phys_to_virt(ctx, rp[slot] & PTE_ADDR_MASK);
	pud[img] = 0; /* swapper_pg_dir's table: dropping it frees nothing */
	member->image_slot = (int)slot;
	member->image_pud = img;
	member->shared_ro = true;
	/* What stays shared is read-only from its top entry down: the table
	 * list's own rule for such a member, applied once now. */
	pgd_list_add(&one, member);
	pgd_list_sync(ctx, &one);
	return map_keep(ctx, root, swapper, keep, n, pages);
}
