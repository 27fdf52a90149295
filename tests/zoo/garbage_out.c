// SPDX-License-Identifier: MIT
/*
 * Zoo: success with garbage output. GetTime reports month 13; GetVariable
 * returns SUCCESS with a DataSize larger than the buffer it was given.
 *
 * Seen: RTC drivers returning raw BCD or an unvalidated CMOS value (Linux's
 * rtc-efi, built on non-x86 only, rejects such a time in
 * convert_from_efi_time: month > 12 fails); variable drivers that report
 * the stored size instead of the copied one. Spec: UEFI 2.10, 8.3.1
 * (EFI_TIME ranges), 8.2.1 (DataSize on return is the size of the data
 * returned). Linux's handling: docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig_time;
static EFI_GET_VARIABLE orig_var;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	EFI_STATUS s = orig_time(t, c);

	if (!EFI_ERROR(s) && t)
		t->Month = 13;
	return s;
}

static EFI_STATUS EFIAPI get_var(CHAR16 *name, EFI_GUID *g, UINT32 *attr,
				 UINTN *size, void *data)
{
	UINTN given = size ? *size : 0;
	EFI_STATUS s = orig_var(name, g, attr, size, data);

	if (s == EFI_SUCCESS && size && name && name[0] == L'B' &&
	    name[1] == L'o' && name[4] == L'O') /* BootOrder */
		*size = given + 64;
	return s;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "garbage_out: GetTime says month 13, "
				"GetVariable(BootOrder) claims more than the buffer",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig_time);
	zoo_hook((void **)&st->RuntimeServices->GetVariable, (void *)get_var,
		 (void **)&orig_var);
	return EFI_SUCCESS;
}
