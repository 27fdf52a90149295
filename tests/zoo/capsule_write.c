// SPDX-License-Identifier: MIT
/*
 * Zoo: QueryCapsuleCapabilities writes into the capsule it is asked
 * about: the driver's hook clears the capsule header's Flags, then calls
 * the firmware's.
 *
 * Seen: capsule code that "normalizes" a header in place before it
 * validates it (clearing flags it does not support, fixing up
 * HeaderSize), or that builds its scatter-gather view in the caller's
 * buffers. The caller's capsule changes under it; in Linux,
 * efi_capsule_supported() passes a header on its own stack
 * (drivers/firmware/efi/capsule.c), so the write lands in the caller's
 * frame. Spec: UEFI 2.10, 8.5.3 (CapsuleHeaderArray and the capsules it
 * points at are IN).
 */
#include "zoo.h"

static EFI_QUERY_CAPSULE_CAPABILITIES orig;

static EFI_STATUS EFIAPI query(EFI_CAPSULE_HEADER **array, UINTN count,
			       UINT64 *max, EFI_RESET_TYPE *reset)
{
	if (zoo.virtual_mode && count && array && array[0])
		((volatile EFI_CAPSULE_HEADER *)array[0])->Flags = 0;
	return orig(array, count, max, reset);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "capsule_write: QueryCapsuleCapabilities "
				"clears the Flags of the capsule it is asked about",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->QueryCapsuleCapabilities,
		 (void *)query, (void **)&orig);
	return EFI_SUCCESS;
}
