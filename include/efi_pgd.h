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

#endif
