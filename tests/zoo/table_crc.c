// SPDX-License-Identifier: MIT
/*
 * Zoo: hooks GetNextHighMonotonicCount in the Runtime Services table and
 * leaves the table's CRC32 as it was.
 *
 * Seen: drivers and option ROMs that patch a service pointer (to log,
 * to filter, to work around a bug) and forget EFI_TABLE_HEADER's CRC32;
 * UEFI SCT's table-header checks and anything that validates the table
 * before trusting it then refuse it. Spec: UEFI 2.10, 4.2 (the CRC32 is
 * computed over HeaderSize bytes with the field set to 0, again whenever
 * the table changes).
 */
#include "zoo.h"

static EFI_GET_NEXT_HIGH_MONO_COUNT orig;

static EFI_STATUS EFIAPI count(UINT32 *high)
{
	return orig(high);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "table_crc: hooks "
				"GetNextHighMonotonicCount, leaves the Runtime "
				"Services table's CRC32 stale", TRUE);

	if (EFI_ERROR(s))
		return s;
	/* What zoo_hook does, but for the CRC32. */
	orig = st->RuntimeServices->GetNextHighMonotonicCount;
	st->RuntimeServices->GetNextHighMonotonicCount = count;
	zoo_convert((void **)&orig);
	return EFI_SUCCESS;
}
