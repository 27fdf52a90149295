/* SPDX-License-Identifier: MIT */
/*
 * What vamap does when a firmware call faults (efi/fault_policy.c,
 * host-tested). The rule: the firmware may be lent one page at a time of
 * memory the firmware owns — boot-services, runtime, ACPI NVS, reserved —
 * at the address it used (its physical one, through the dropped 1:1 map;
 * or, under efi=linux, a boot-services region's window address) and the
 * faulting instruction resumes; it is never lent memory the kernel
 * owns (usable RAM, which the frame allocator hands out, and everything
 * the kernel reserved for itself: its image and stacks, boot_info, the
 * memory-map copy, page tables). Everything else ends the call.
 */
#ifndef VAMAP_EFI_FAULT_H
#define VAMAP_EFI_FAULT_H

#include "memmap.h"

/* Page-fault error code bits (SDM vol. 3A, 4.7, figure 4-12). */
#define PF_ERR_PRESENT (1u << 0)
#define PF_ERR_WRITE (1u << 1)
#define PF_ERR_USER (1u << 2)
#define PF_ERR_RSVD (1u << 3)
#define PF_ERR_FETCH (1u << 4)
#define PF_ERR_PK (1u << 5)
#define PF_ERR_SS (1u << 6)

/* At most this many pages lent during one call, and in one boot. */
#define EFI_LEND_MAX_PER_CALL 16
#define EFI_LEND_MAX 64

enum efi_fault_action {
	EFI_FAULT_LEND,	 /* map CR2's page to @pa's (@flags) and resume */
	EFI_FAULT_ABORT, /* end the call: EFI_ABORTED, runtime services off */
};

struct efi_fault_in {
	unsigned int vector;
	u64 error, cr2;
	/* @window: CR2 is a boot-services region's address in the efi=linux
	 * window (handed to SVAM, unmapped once SVAM returned), and @pa the
	 * physical address it stands for; otherwise @pa is CR2. @region is
	 * the memory-map region @pa lies in, NULL if in none or not a low-half
	 * address: the caller looks it up in the kernel's map, whose
	 * reservations are marked kernel-owned. */
	bool window;
	u64 pa;
	const struct mem_region *region;
	bool low_half_dropped; /* efi=slot/linux after SVAM: no 1:1 map left */
	unsigned int lent_this_call, lent_total;
};

/*
 * What kind of access it was, whatever is done about it: the log line's
 * label and the verdict both come from it (efi/runtime.c, efi/checks.c).
 * Every STRAY_* after SetVirtualAddressMap fails efi.low_half, lent or
 * refused: a firmware that keeps a physical pointer is wrong even where
 * vamap could serve it.
 */
enum efi_fault_class {
	EFI_FAULT_EXCEPTION,	/* not a page fault: the firmware's code */
	EFI_FAULT_STRAY_PHYS,	/* a physical address after the 1:1 map went */
	EFI_FAULT_STRAY_WINDOW,	/* efi=linux: a boot-services window address */
	EFI_FAULT_PROTECTION,	/* a mapped page's protection (its RO code, ...) */
	EFI_FAULT_NO_1TO1,	/* the 1:1 map is there, the page is not in it */
	EFI_FAULT_OUTSIDE,	/* the kernel half: nothing of it is the firmware's */
};

/* "a stray physical access", ... for the log. */
const char *efi_fault_class_name(enum efi_fault_class c);

/* Does @c fail efi.low_half (a stray access after SVAM)? */
static inline bool efi_fault_stray(enum efi_fault_class c)
{
	return c == EFI_FAULT_STRAY_PHYS || c == EFI_FAULT_STRAY_WINDOW;
}

struct efi_fault_decision {
	enum efi_fault_class cls;
	enum efi_fault_action action;
	u32 map_flags;		       /* MAP_* for the lent page */
	const struct mem_region *region; /* where CR2 lies, NULL if nowhere */
	const char *why;	       /* one phrase for the log */
	bool kernel_owned;	       /* refused: the page is the kernel's */
};

/* "read from a not-present page" etc.: the access kind in words. */
const char *efi_pf_access(u64 error);

/* Decide what to do about fault @in. Pure; the kernel acts on it. */
void efi_fault_decide(const struct efi_fault_in *in,
		      struct efi_fault_decision *out);

#endif
