/* SPDX-License-Identifier: MIT */
/*
 * efi_pgd (efi/pgd.c): the firmware's own top-level table. A copy of the
 * kernel half whose EFI slot is private; every mode builds it the same way
 * and differs only in which slot and window (DESIGN.md, "Mapping modes").
 * Host-testable.
 */
#ifndef VAMAP_EFI_PGD_H
#define VAMAP_EFI_PGD_H

#include "pgd_list.h"

enum efi_mode {
	EFI_MODE_SLOT,	    /* PGD slot 510, a slot the kernel never uses */
	EFI_MODE_LINUX,	    /* Linux's window inside a private slot-511 PUD */
	EFI_MODE_1TO1,	    /* VA = PA in the low half */
	EFI_MODE_NOVAMAP,   /* no SVAM: calls on the 1:1 map */
	EFI_MODE_NORUNTIME, /* no runtime services at all */
};

struct efi_window {
	u64 base, top;	   /* where runtime VAs go; 0, 0 for 1:1 modes */
	int slot;	   /* the private PGD slot, -1 for none */
	unsigned int pud_first, pud_last; /* private PUD entries in it */
};

const char *efi_mode_name(enum efi_mode mode);
void efi_mode_window(enum efi_mode mode, struct efi_window *w);

/*
 * Create efi_pgd from @swapper for @mode: a new root, the kernel half
 * copied, and the private slot's PUD (empty in efi=slot; in efi=linux a
 * copy of the kernel's slot-511 PUD, whose window must be empty there).
 * Fills @member for the table list. Returns 0, -ENOMEM or -EINVAL (the
 * kernel uses the window); on error nothing is left allocated.
 */
int efi_pgd_create(struct pt_ctx *ctx, u64 swapper, enum efi_mode mode,
		   struct pgd_member *member);

/*
 * efi.strict: what of the kernel half a firmware call may see. Each range
 * of the kernel image is mapped with the kernel's own translation and
 * flags, ANDed with @allow (MAP_*: a range can lose write or execute
 * permission, never gain it; never MAP_GLOBAL, so no strict entry outlives
 * a CR3 switch). Pages the kernel leaves unmapped (guard pages) stay so.
 */
struct efi_strict_range {
	u64 start, end;	/* page-aligned kernel-half addresses */
	u32 allow;
	const char *what;
};

/*
 * Turn efi_pgd at @root (made by efi_pgd_create for @mode) strict: every
 * kernel-half entry but the EFI window's is dropped (the direct map, the
 * late mappings, the fixmap), then the @n @keep ranges are mapped from
 * @swapper. The kernel half then shares no table with swapper_pg_dir, so
 * efi_pgd leaves the table list. Returns 0, -ENOMEM (the caller drops
 * efi_pgd) or -EINVAL (a range not page-aligned or not in the kernel
 * half); the pages mapped go to *@pages.
 */
int efi_pgd_make_strict(struct pt_ctx *ctx, u64 root, u64 swapper,
			enum efi_mode mode, const struct efi_strict_range *keep,
			unsigned int n, u64 *pages);

/*
 * efi.shared: efi_pgd at @root (made by efi_pgd_create, @member filled)
 * keeps the kernel half as @swapper maps it — readable — but writable only
 * where vamap watches what the firmware writes (efi/kguard.c). Every entry
 * it shares with @swapper (the direct map, the late mappings; in slot 511
 * the fixmap) loses its write bit at the top, which makes all below it
 * read-only (SDM vol. 3A 4.6.1, with CR0.WP); the kernel image's PUD entry
 * becomes private, the @n @keep ranges mapped into it as efi.strict maps
 * them. efi_pgd stays on the table list: @member says what it keeps
 * private and read-only. Returns 0, -ENOMEM (the caller drops efi_pgd) or
 * -EINVAL (a range not page-aligned or outside the image's PUD entry).
 */
int efi_pgd_make_shared(struct pt_ctx *ctx, u64 root, u64 swapper,
			const struct efi_strict_range *keep, unsigned int n,
			struct pgd_member *member, u64 *pages);

#endif
