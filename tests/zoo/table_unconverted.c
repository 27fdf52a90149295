// SPDX-License-Identifier: MIT
/*
 * Zoo: GetWakeupTime's entry in the runtime-services table points into
 * boot-services code, which no runtime descriptor covers, so the firmware
 * cannot convert it at SetVirtualAddressMap and leaves it physical.
 *
 * Seen: drivers built or loaded with the wrong memory type (a runtime
 * service implemented in an EFI_BOOT_SERVICE_DRIVER); the entry survives
 * SVAM as a physical address into memory the OS has reused. Linux does
 * not check the table: it calls the entry as it stands
 * (efi_call_virt_pointer, drivers/firmware/efi/runtime-wrappers.c). Spec:
 * UEFI 2.10, 8.4 (every pointer in the table is converted) and 7.2
 * (runtime code lives in EfiRuntimeServicesCode). Linux's handling:
 * docs/zoo-vs-linux.md.
 */
#include "zoo.h"

static void *unused;

/* mov rax, EFI_UNSUPPORTED; ret */
static const UINT8 code[] = { 0x48, 0xb8, 0x03, 0, 0, 0, 0, 0, 0, 0x80, 0xc3 };

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	UINT8 *code_page;
	UINTN i;
	EFI_STATUS s = zoo_init(image, st, "table_unconverted: GetWakeupTime "
				"implemented in boot-services code", TRUE);

	if (EFI_ERROR(s))
		return s;
	code_page = (UINT8 *)zoo_alloc_page(EfiBootServicesCode);
	if (!code_page)
		return EFI_OUT_OF_RESOURCES;
	for (i = 0; i < sizeof(code); i++)
		code_page[i] = code[i];
	zoo_hook((void **)&st->RuntimeServices->GetWakeupTime, code_page,
		 &unused);
	return EFI_SUCCESS;
}
