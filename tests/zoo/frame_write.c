// SPDX-License-Identifier: MIT
/*
 * Zoo: services that write above their own stack frame, into their
 * caller's. GetVariable stores into the quadword right above its fifth
 * argument; GetTime, once GetVariable has run, stores 8 bytes right above
 * its home space.
 *
 * Seen: a callee built for a different prototype than its caller (one
 * more argument on the stack, a structure returned by value through a
 * hidden pointer the caller never passed); hand-written assembly that
 * spills into the "home space" of a frame it does not own. The caller's
 * locals or saved registers change under it; in Linux, whose runtime
 * calls run on the calling thread's kernel stack, the write lands in the
 * frame of efi_call_rts or its callers. Spec: UEFI 2.10, 2.3.4.2 (the
 * callee owns its return address, the 32-byte register parameter area and
 * its stack arguments, nothing above them).
 */
#include "zoo.h"

static EFI_GET_VARIABLE orig_get;
static EFI_GET_TIME orig_time;
static BOOLEAN variable_ran;

/* Under the ms_abi prologue (push rbp; mov rbp, rsp) the frame pointer is
 * 8 bytes under the stack pointer at entry: the return address is at
 * rbp + 8, the home space at rbp + 16 .. rbp + 47, stack argument n (from
 * 5) at rbp + 48 + 8 * (n - 5). */
static EFI_STATUS EFIAPI get_variable(CHAR16 *name, EFI_GUID *guid,
				      UINT32 *attr, UINTN *size, VOID *data)
{
	EFI_STATUS s = orig_get(name, guid, attr, size, data);

	if (zoo.virtual_mode) {
		UINT8 *fp = __builtin_frame_address(0);

		*(volatile UINT64 *)(fp + 48 + 8) = 0x5a4f4f4641424f56ULL;
		variable_ran = TRUE;
	}
	return s;
}

static EFI_STATUS EFIAPI get_time(EFI_TIME *t, EFI_TIME_CAPABILITIES *c)
{
	if (zoo.virtual_mode && variable_ran) {
		UINT8 *fp = __builtin_frame_address(0);

		*(volatile UINT64 *)(fp + 48) = 0x5a4f4f4641424f56ULL;
	}
	return orig_time(t, c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "frame_write: GetVariable and "
				"GetTime write above their own stack frames", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->GetVariable,
		 (void *)get_variable, (void **)&orig_get);
	zoo_hook((void **)&st->RuntimeServices->GetTime, (void *)get_time,
		 (void **)&orig_time);
	return EFI_SUCCESS;
}
