// SPDX-License-Identifier: MIT
/*
 * Zoo: the variable services answer one call wrongly, once, then right.
 *
 * Seen: on EDK2 2025's SMM variable builds under heavy host load (issue
 * 27), SetVariable(NV|BS) after ExitBootServices answered NOT_FOUND
 * instead of INVALID_PARAMETER, and GetNextVariableName BUFFER_TOO_SMALL
 * to a 1 KiB buffer, once; six reruns answered right. Both are statuses
 * the service returns to other calls, as a reply buffer left from the
 * previous call would give. This driver answers the first such call of
 * each service after SetVirtualAddressMap with that status, without
 * calling the firmware, and every later one through it: the checks must
 * fail, and their lines must say that the same call, asked again,
 * answered otherwise. Spec: UEFI 2.10, 8.2.2, 8.2.3.
 */
#include "zoo.h"

static EFI_SET_VARIABLE orig_set;
static EFI_GET_NEXT_VARIABLE_NAME orig_next;
static BOOLEAN set_done, next_done;

static EFI_STATUS EFIAPI set_var(CHAR16 *name, EFI_GUID *guid, UINT32 attr,
				 UINTN size, VOID *data)
{
	if (zoo.virtual_mode && !set_done && size &&
	    attr == (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)) {
		set_done = TRUE;
		return EFI_NOT_FOUND;
	}
	return orig_set(name, guid, attr, size, data);
}

static EFI_STATUS EFIAPI next_var(UINTN *size, CHAR16 *name, EFI_GUID *guid)
{
	if (zoo.virtual_mode && !next_done && size && *size >= 512) {
		next_done = TRUE;
		return EFI_BUFFER_TOO_SMALL;
	}
	return orig_next(size, name, guid);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "flaky_var: SetVariable and "
				"GetNextVariableName answer one call wrongly, once",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVariable, (void *)set_var,
		 (void **)&orig_set);
	zoo_hook((void **)&st->RuntimeServices->GetNextVariableName,
		 (void *)next_var, (void **)&orig_next);
	return EFI_SUCCESS;
}
