// SPDX-License-Identifier: MIT
/*
 * Zoo: a runtime driver loaded after EndOfDxe, with no image record in the
 * memory attributes table: the table marks its code non-executable.
 *
 * Seen: EDK2's own rule (InsertImageRecord in MdeModulePkg/Core/Dxe/Misc/
 * MemoryAttributesTable.c: "Do not insert runtime image record after
 * EndOfDxe"), met by every runtime driver started from the Shell, a
 * Driver#### option or an OS loader; Linux, which honours the table
 * (efi_memattr_apply_permissions), faults on the first call into it. Spec:
 * UEFI 2.10, 4.6.4 (the table describes every runtime image).
 */
#include "zoo.h"

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "no_memattr: GetTime hooked by a "
				"driver the attributes table marks non-executable",
				FALSE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
