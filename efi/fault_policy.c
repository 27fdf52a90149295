// SPDX-License-Identifier: MIT
/* The decision table for firmware faults (efi_fault.h). Host-testable. */
#include "efi_defs.h"
#include "efi_fault.h"
#include "layout.h"
#include "pgtable.h"
#include "traps.h"


const char *efi_pf_access(u64 error)
{
	if (error & PF_ERR_RSVD)
		return "reserved bit set in a paging entry";
	if (error & PF_ERR_FETCH)
		return error & PF_ERR_PRESENT ? "instruction fetch from a "
						"non-executable page"
					      : "instruction fetch from a "
						"not-present page";
	if (error & PF_ERR_WRITE)
		return error & PF_ERR_PRESENT ? "write to a read-only page"
					      : "write to a not-present page";
	return error & PF_ERR_PRESENT ? "read denied on a present page"
				      : "read from a not-present page";
}

const char *efi_fault_class_name(enum efi_fault_class c)
{
	static const char *const names[] = {
		[EFI_FAULT_EXCEPTION] = "an exception in firmware code",
		[EFI_FAULT_STRAY_PHYS] = "a stray physical access after "
					 "SetVirtualAddressMap",
		[EFI_FAULT_STRAY_WINDOW] = "a stray access by a boot-services "
					   "window address",
		[EFI_FAULT_PROTECTION] = "a protection violation",
		[EFI_FAULT_NO_1TO1] = "an address the 1:1 map does not cover",
		[EFI_FAULT_OUTSIDE] = "an address in the kernel half",
	};

	return (unsigned int)c < sizeof(names) / sizeof(names[0]) && names[c]
		       ? names[c] : "?";
}

/* The class of a page fault: where CR2 is, then what the error says. */
static enum efi_fault_class classify(const struct efi_fault_in *in)
{
	bool present = in->error & (PF_ERR_PRESENT | PF_ERR_RSVD);

	if (in->window)
		return present ? EFI_FAULT_PROTECTION : EFI_FAULT_STRAY_WINDOW;
	if (in->cr2 >= LOW_HALF_END)
		return present ? EFI_FAULT_PROTECTION : EFI_FAULT_OUTSIDE;
	if (in->low_half_dropped)
		return EFI_FAULT_STRAY_PHYS;
	return present ? EFI_FAULT_PROTECTION : EFI_FAULT_NO_1TO1;
}

static void abort_(struct efi_fault_decision *d, const char *why)
{
	d->action = EFI_FAULT_ABORT;
	d->map_flags = 0;
	d->why = why;
}

void efi_fault_decide(const struct efi_fault_in *in,
		      struct efi_fault_decision *d)
{
	const struct mem_region *r = in->region;

	d->region = NULL;
	d->kernel_owned = false;
	d->cls = EFI_FAULT_EXCEPTION;
	if (in->vector != X86_TRAP_PF) {
		abort_(d, "an exception in firmware code");
		return;
	}
	d->cls = classify(in);
	d->region = r;
	/* The kernel's memory is never lent: absent after SVAM, read-only
	 * in SetVirtualAddressMap's 1:1 map (a present page). Boot-services
	 * memory becomes the kernel's once it is released. */
	if (r && mem_region_kernel_owned(r) &&
	    (in->cr2 < LOW_HALF_END || in->window)) {
		d->kernel_owned = true;
		abort_(d, in->error & PF_ERR_PRESENT
				  ? "memory the kernel owns, read-only to the "
				    "firmware: never written"
			  : r->kernel ? "memory the kernel reserved for itself: "
					"never lent"
				      : "usable memory, the frame allocator's: "
					"never lent");
		return;
	}
	if (in->error & (PF_ERR_PRESENT | PF_ERR_RSVD)) {
		abort_(d, "a protection violation: the page is mapped and keeps "
			  "its protection");
		return;
	}
	if (!in->window && in->cr2 >= LOW_HALF_END) {
		abort_(d, "outside the low half, where nothing is lent");
		return;
	}
	if (!in->window && !in->low_half_dropped) {
		abort_(d, "a page the 1:1 map does not cover");
		return;
	}
	if (!r) {
		abort_(d, "an address in no memory-map region");
		return;
	}
	if (in->lent_this_call >= EFI_LEND_MAX_PER_CALL ||
	    in->lent_total >= EFI_LEND_MAX) {
		abort_(d, "firmware memory, but too many pages lent already");
		return;
	}
	d->action = EFI_FAULT_LEND;
	d->why = r->class == MEM_BOOT_SERVICES
			 ? "boot-services memory, still reserved: one page lent"
			 : "firmware-reserved memory: one page lent";
	/* Execute only what was fetched; data pages never execute. What
	 * the map does not declare write-back stays uncached
	 * (efi_mem_uncached). */
	if (in->error & PF_ERR_FETCH)
		d->map_flags = MAP_EXEC;
	else
		d->map_flags = MAP_WRITE;
	if (r->uncached)
		d->map_flags |= MAP_UC;
}
