// SPDX-License-Identifier: MIT
/*
 * Zoo: services that write past the buffers they are handed.
 * GetWakeupTime stores a UINT32 into its BOOLEAN *Enabled (3 bytes past a
 * 1-byte buffer); GetNextHighMonotonicCount stores 24 bytes into its
 * UINT32 *HighCount (20 bytes past a 4-byte buffer).
 *
 * Seen: a BOOLEAN declared as a wider type on one side of a module
 * boundary (a C++ bool or an int in a HAL); a structure written whole
 * where the interface says a field (an output of one version's size
 * written with a later, larger version's). The caller's neighbouring
 * stack slots or statics change silently; in Linux, the EFI runtime
 * wrappers pass pointers to the kernel stack (efi_call_virt with
 * &wakeup_time etc.), so such a write lands in the caller's frame. Spec:
 * UEFI 2.10, 8.3.3 (GetWakeupTime's Enabled is a BOOLEAN, 2.3.1: one
 * byte), 8.5.2 (HighCount is a UINT32).
 */
#include "zoo.h"

static EFI_GET_WAKEUP_TIME orig_wake;
static EFI_GET_NEXT_HIGH_MONO_COUNT orig_count;

static EFI_STATUS EFIAPI wake(BOOLEAN *enabled, BOOLEAN *pending, EFI_TIME *t)
{
	EFI_STATUS s = orig_wake(enabled, pending, t);

	if (zoo.virtual_mode && enabled)
		*(volatile UINT32 *)enabled = *enabled;
	return s;
}

static EFI_STATUS EFIAPI count(UINT32 *high)
{
	EFI_STATUS s = orig_count(high);
	volatile UINT64 *p = (volatile UINT64 *)high;

	if (zoo.virtual_mode && high) {
		p[1] = 0x5a4f4f4f56455252ULL; /* "ZOOOVERR" */
		p[2] = 0x5a4f4f4f56455252ULL;
	}
	return s;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "buf_overrun: GetWakeupTime writes a "
				"UINT32 into its BOOLEAN, GetNextHighMonotonicCount "
				"24 bytes into its UINT32", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetWakeupTime, (void *)wake,
		 (void **)&orig_wake);
	zoo_hook((void **)&st->RuntimeServices->GetNextHighMonotonicCount,
		 (void *)count, (void **)&orig_count);
	return EFI_SUCCESS;
}
