/* SPDX-License-Identifier: MIT */
/*
 * The zoo: small gnu-efi runtime drivers, each reproducing one firmware bug
 * seen in the field, for vamap to catch and name (tests/zoo/README.md).
 *
 * A zoo driver is a runtime driver (PE subsystem 12) the stub loads from
 * \vamap\drivers\ before ExitBootServices (boot/drivers.c). In its entry
 * point it calls zoo_init, hooks one runtime service with zoo_hook (the
 * table entry now points at its wrapper; the firmware converts the entry at
 * SetVirtualAddressMap, the driver converts the saved original itself), and
 * arms its bug.
 *
 * Rules a zoo driver keeps unless breaking one is its bug: no gnu-efi
 * library calls (they use global pointers nobody converts), no absolute
 * pointer in data except those registered with zoo_convert (gnu-efi images
 * carry an empty .reloc, so the firmware cannot relocate them at SVAM).
 */
#ifndef VAMAP_ZOO_H
#define VAMAP_ZOO_H

#include <efi.h>

struct zoo {
	EFI_SYSTEM_TABLE *st;	  /* physical: boot time only */
	EFI_RUNTIME_SERVICES *rt; /* converted at SVAM */
	EFI_HANDLE image;
	UINT64 base, size;	  /* the driver's image, physical */
	BOOLEAN virtual_mode;	  /* SetVirtualAddressMap has run */
};
extern struct zoo zoo;

/*
 * Set up @name's driver: the VA-change event, and (@own_memattr) an image
 * record in the memory attributes table, as firmware writes for the drivers
 * it starts before EndOfDxe. Without it the table marks the whole image
 * non-executable (EDK2 records no image loaded after EndOfDxe).
 */
EFI_STATUS zoo_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, const char *name,
		    BOOLEAN own_memattr);

/* Put @wrapper in runtime-services table slot @slot, keep the old entry in
 * *@saved (converted at SVAM), and recompute the table's CRC. */
void zoo_hook(void **slot, void *wrapper, void **saved);

/* Put @wrapper in boot-services table slot @slot, keep the old entry in
 * *@saved, and recompute the Boot Services table's CRC32 (the hook is the
 * bug, not a stale header). Boot time only: nothing is converted. */
void zoo_hook_bs(void **slot, void *wrapper, void **saved);

/* Convert *@p at SVAM too (up to 8 pointers). */
void zoo_convert(void **p);

/* Run @fn in the VA-change event, after the conversions. */
void zoo_on_virtual(void (*fn)(void));

/* One line on QEMU's debugcon (port 0x402), when it answers. */
void zoo_log(const char *s);

/* Use @kib KiB of stack: a call chain of 1 KiB frames, each touched, so
 * the stack is walked page by page (a guard page is met, not jumped). */
void zoo_use_stack(UINTN kib);

/* Is @name one of vamap's report variables (VamapResults0, 1, ...)? */
BOOLEAN zoo_is_report(const CHAR16 *name);

/* One page of @type (boot time only); its physical address, 0 on failure. */
UINT64 zoo_alloc_page(EFI_MEMORY_TYPE type);

#endif
