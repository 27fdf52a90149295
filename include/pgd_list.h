/* SPDX-License-Identifier: MIT */
/*
 * The table list (mm/pgd_list.c): every top-level table that mirrors the
 * kernel half — efi_pgd, trampoline_pgd — is a member; swapper_pg_dir is
 * the master. After any change to the kernel's tables, pgd_list_sync()
 * brings every member back in line, so no copy of the kernel half can go
 * stale (DESIGN.md, problem 3). Host-testable.
 *
 * A member may own one kernel-half slot (its EFI slot). That slot's PUD is
 * private: either wholly (efi=slot: slot 510, which the kernel never uses),
 * or only inside a window of PUD entries (efi=linux: slot 511, whose other
 * entries — the kernel image, the fixmap — stay copies of the kernel's).
 * A member that carries the 1:1 map may ask for the low-half alias of the
 * direct map: low slot i = direct-map slot PGD_INDEX(PAGE_OFFSET) + i.
 * A member may also keep the kernel image's PUD entry private and every
 * entry it shares read-only (efi.shared's efi_pgd): then "in sync" means
 * the master's entry with its write bit clear.
 */
#ifndef VAMAP_PGD_LIST_H
#define VAMAP_PGD_LIST_H

#include "pgtable.h"

#define PGD_LIST_MAX 4
#define PGD_KERNEL_FIRST 256

struct pgd_member {
	const char *name;
	u64 root;
	int private_slot;	   /* -1: none */
	unsigned int win_first;	   /* private PUD entries in that slot */
	unsigned int win_last;	   /* (0..511: the whole PUD) */
	bool alias_identity;	   /* low half mirrors the direct map */
	/* efi.shared (efi/pgd.c, efi_pgd_make_shared): the kernel image's
	 * PUD entry @image_pud of slot @image_slot is private (0: none),
	 * and every entry shared with the master has its write bit clear. */
	int image_slot;
	unsigned int image_pud;
	bool shared_ro;
};

struct pgd_list {
	u64 master;
	struct pgd_member m[PGD_LIST_MAX];
	unsigned int n;
};

struct pgd_check {
	unsigned int tables;	/* the master and every member */
	unsigned int entries;	/* entries compared */
	unsigned int mismatches;
};

int pgd_list_add(struct pgd_list *l, const struct pgd_member *m);

/* Copy what changed in the master into every member; returns the number
 * of entries written. */
unsigned int pgd_list_sync(struct pt_ctx *ctx, struct pgd_list *l);

/* Compare every member with the master under the rules above; logs each
 * mismatch. */
void pgd_list_check(struct pt_ctx *ctx, const struct pgd_list *l,
		    struct pgd_check *out);

#endif
