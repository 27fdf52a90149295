// SPDX-License-Identifier: MIT
/*
 * Zoo: ResetSystem returns instead of resetting (cold and warm; a
 * shutdown is passed through).
 *
 * Seen: platforms whose reset path depends on a chipset register the
 * firmware did not set up, or a driver that hooks ResetSystem (to flush
 * a log, to run a capsule) and forgets to chain to the real one on some
 * path. Spec: UEFI 2.10, 8.5.1 (ResetSystem resets the platform; it does
 * not return). An OS that trusts it hangs at reboot; Linux's efi_reboot()
 * falls back to its other reset methods without a word. vamap's modes=
 * sequence records the call before making it, so the next boot's
 * efi.reset_system names the return.
 */
#include "zoo.h"

static EFI_RESET_SYSTEM orig;

static VOID EFIAPI reset_system(EFI_RESET_TYPE type, EFI_STATUS status,
				UINTN size, VOID *data)
{
	if (type == EfiResetShutdown)
		orig(type, status, size, data);
	/* the bug: back to the caller, the machine as it was */
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "reset_returns: ResetSystem "
				"(cold, warm) returns without resetting", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->ResetSystem,
		 (void *)reset_system, (void **)&orig);
	return EFI_SUCCESS;
}
