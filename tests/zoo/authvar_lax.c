// SPDX-License-Identifier: MIT
/*
 * Zoo: SetVariable reports SUCCESS for a time-based authenticated write
 * the variable store refused (SECURITY_VIOLATION): a replay, an older
 * timestamp, another signer, a signature that does not match.
 *
 * Seen: a SetVariable hook (a vendor's variable filter, a logging or
 * "variable lock" shim in front of the store) that maps every status it
 * does not know to success, or a port of the variable driver whose
 * authentication failure path falls through to the common return. The
 * store is intact, but the caller is told a refused update went in: an
 * OS or a tool updating db, dbx or its own signed variable (a
 * firmware-update capsule's key, a Secure Boot policy) believes an update
 * that never happened, or a downgrade that should have been refused
 * looks accepted to whoever probes for it. Spec: UEFI 2.10, 8.2.6
 * (SECURITY_VIOLATION when the authentication fails) and 8.2.3.
 */
#include "zoo.h"

#define TIME_BASED_AUTH 0x20

static EFI_SET_VARIABLE orig;

static EFI_STATUS EFIAPI set_variable(CHAR16 *name, EFI_GUID *guid, UINT32 attr,
				      UINTN size, VOID *data)
{
	EFI_STATUS s = orig(name, guid, attr, size, data);

	if (zoo.virtual_mode && (attr & TIME_BASED_AUTH) &&
	    s == EFI_SECURITY_VIOLATION)
		return EFI_SUCCESS; /* the bug */
	return s;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "authvar_lax: SetVariable says "
				"SUCCESS for an authenticated write the store "
				"refused", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVariable,
		 (void *)set_variable, (void **)&orig);
	return EFI_SUCCESS;
}
