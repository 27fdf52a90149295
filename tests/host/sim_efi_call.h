/* SPDX-License-Identifier: MIT */
/*
 * The efi_call() a host test links against in place of efi/runtime.c's:
 * the arguments into an array for the test's simulated firmware,
 * sim_call(), whose answer is recorded as the kernel's efi_call() records
 * it (efi_answered, efi_state.h). One translation unit per test includes
 * it, after defining sim_call().
 */
#ifndef VAMAP_TEST_SIM_EFI_CALL_H
#define VAMAP_TEST_SIM_EFI_CALL_H

#include <stdarg.h>
#include "efi_state.h"

efi_status_t efi_call(enum efi_rt_service svc, unsigned int nargs, ...)
{
	u64 a[5] = { 0 };
	unsigned int i;
	efi_status_t st;
	va_list ap;

	va_start(ap, nargs);
	for (i = 0; i < nargs && i < 5; i++)
		a[i] = va_arg(ap, u64);
	va_end(ap);
	st = sim_call(svc, a);
	efi_answered(svc, st);
	return st;
}

#endif
