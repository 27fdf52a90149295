// SPDX-License-Identifier: MIT
/*
 * Zoo: GetTime writes to its own code page.
 *
 * Seen: self-modifying runtime code and data placed in the code section
 * (a global without const in a section the linker merged into .text);
 * the reason the memory attributes table exists. Linux maps runtime code
 * read-only only when the table says so (efi_runtime_update_mappings and
 * efi_update_mem_attr in arch/x86/platform/efi/efi_64.c); without a
 * table the write lands. Spec: UEFI 2.10, 4.6.4 (RO code). Linux's
 * handling: docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static EFI_GET_TIME orig;

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode)
		*(volatile UINT8 *)((UINT8 *)get_time + 64) = 0x90;
	return orig(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "code_write: GetTime writes to its "
				"own code page", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig);
	return EFI_SUCCESS;
}
