// SPDX-License-Identifier: MIT
/*
 * Zoo: SetVariable faults (writes through NULL) when the variable's name
 * starts with "VamapResults": vamap's own report, and nothing else.
 *
 * Seen: variable drivers that fault on a write once their store is nearly
 * full or after an earlier error left them inconsistent: the call that
 * faults is the one made last, often the one that keeps the log. Here it
 * tests vamap's own path: the report saved after a fatal exception is a
 * firmware call made from inside vamap's exception handler, and must be
 * guarded like any other (a fault there ends the call, named; the run
 * still halts cleanly). Spec: UEFI 2.10, 8.2 (SetVariable), 8.4 (no
 * address outside the virtual map after SVAM).
 */
#include "zoo.h"

static EFI_SET_VARIABLE orig;
static volatile UINTN null_page; /* 0: a NULL pointer the compiler cannot see */

static EFI_STATUS EFIAPI set_variable(CHAR16 *name, EFI_GUID *g, UINT32 attr,
				      UINTN size, void *data)
{
	if (zoo.virtual_mode && name && zoo_is_report(name))
		*(volatile UINT64 *)(null_page + 0x10) = 0x5a4f4f5245504f52ULL;
	return orig(name, g, attr, size, data);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "results_fault: SetVariable writes "
				"through NULL for vamap's report variables", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVariable, (void *)set_variable,
		 (void **)&orig);
	return EFI_SUCCESS;
}
