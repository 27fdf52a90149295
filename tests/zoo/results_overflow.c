// SPDX-License-Identifier: MIT
/*
 * Zoo: SetVariable runs 64 KiB deep into its stack when the variable's
 * name starts with "VamapResults": vamap's own report, and nothing else.
 *
 * Seen: variable drivers whose write path keeps large locals (a
 * certificate, a reclaim buffer) and recurses in the store's garbage
 * collection, which runs when the store fills: the write that overflows
 * is the last one, often the one that keeps the log. Here it tests
 * vamap's own path: after a double fault in vamap (its boot stack run
 * off), the report is saved through a call made from the #DF handler on
 * its IST stack; the call's own overflow is a second #DF, which must not
 * land on the first one's frames. Spec: UEFI 2.10, 2.3.4 (the caller
 * provides 4 KiB or more of stack) and 8.2 (SetVariable).
 */
#include "zoo.h"

static EFI_SET_VARIABLE orig;

static EFI_STATUS EFIAPI set_variable(CHAR16 *name, EFI_GUID *g, UINT32 attr,
				      UINTN size, void *data)
{
	if (zoo.virtual_mode && name && zoo_is_report(name))
		zoo_use_stack(64);
	return orig(name, g, attr, size, data);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "results_overflow: SetVariable runs "
				"64 KiB deep for vamap's report variables", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVariable, (void *)set_variable,
		 (void **)&orig);
	return EFI_SUCCESS;
}
