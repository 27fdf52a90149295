// SPDX-License-Identifier: MIT
/*
 * Fault injections and stand-in "firmware" for the checks' failure paths
 * (test= knobs, README): kernel-text functions efi_call runs in place of
 * a service for one call, so a check can be seen to fail on firmware that
 * behaves. The zoo (tests/zoo) does the same with real runtime drivers.
 */
#include "efi_state.h"
#include "kernel.h"
#include "printf.h"
#include "watchdog.h"
#include "x86.h"

/*
 * test=efi-hang: GetTime's pointer is replaced, for one call, by a stand-in
 * in kernel text that spins with interrupts off — the shape of a firmware
 * call that never returns (the zoo's runtime driver does it for real).
 * The stand-ins lie in .text.stand_in, which trap_in_vamap() counts as the
 * firmware's code, not vamap's: they play firmware.
 * test=efi-hang-vamap: the same spin in vamap's own text, as a firmware
 * that jumped into vamap's code and stays there: the watchdog defers to
 * vamap's code for WD_IN_VAMAP_MS, then ends the call all the same.
 */
#define STAND_IN __attribute__((section(".text.stand_in"), ms_abi))

static STAND_IN __attribute__((noreturn)) void hang_stand_in(void)
{
	for (;;)
		__asm__ volatile("cli; pause");
}

static __attribute__((ms_abi, noreturn, noinline)) void hang_in_vamap(void)
{
	for (;;)
		__asm__ volatile("cli; pause");
}

void efi_inject_hang(void)
{
	u64 real = efi.fn[RT_GET_TIME];
	bool in_vamap = kopt.test & TEST_EFI_HANG_VAMAP;
	efi_status_t st;
	struct efi_time t;

	if (!(kopt.test & (TEST_EFI_HANG | TEST_EFI_HANG_VAMAP)) ||
	    !efi.runtime_enabled || !real)
		return;
	kprintf("test: GetTime replaced for one call by a stand-in %s that "
		"spins with interrupts off\n",
		in_vamap ? "in vamap's own text" : "in kernel text");
	efi.fn[RT_GET_TIME] = in_vamap ? (u64)hang_in_vamap : (u64)hang_stand_in;
	st = efi_call(RT_GET_TIME, 2, (u64)&t, (u64)0);
	efi.fn[RT_GET_TIME] = real;
	kprintf("test: the call returned %s\n", efi_status_name(st));
}

/*
 * test=fatal-in-call: GetTime replaced, for one call, by a stand-in that
 * raises vector 18 (#MC) by INT: an exception inside a firmware call that
 * is not the firmware's to recover, so the run ends there (exit fault),
 * and kernel_exit must save the report through a guarded call, then stop
 * the watchdog for good (nothing may resume the call afterwards).
 */
static STAND_IN u64 fatal_stand_in(void)
{
	__asm__ volatile("int $18");
	return EFI_SUCCESS;
}

void efi_inject_fatal(void)
{
	if (!(kopt.test & TEST_FATAL_IN_CALL) || !efi.runtime_enabled ||
	    !efi.fn[RT_GET_TIME])
		return;
	kprintf("test: GetTime replaced for one call by a stand-in that raises "
		"vector 18 (#MC) by INT\n");
	efi.fn[RT_GET_TIME] = (u64)fatal_stand_in;
	efi_call(RT_GET_TIME, 2, (u64)0, (u64)0);
	kprintf("test: the call returned: the run should have ended\n");
}

/*
 * test=nmi-as-fault: GetTime replaced, for one call, by a stand-in in
 * kernel text that waits for the watching AP's NMI, so that it lands in a
 * call at a known place; vamap then takes it as the firmware's fault.
 */
static STAND_IN u64 nmi_stand_in(void)
{
	const char *svc;
	unsigned int sent;
	u64 rip;

	while (!watchdog_test_nmi(&svc, &rip, &sent))
		__asm__ volatile("pause"); /* efi.timeout= bounds it */
	return EFI_SUCCESS;
}

void efi_inject_nmi_as_fault(void)
{
	u64 real = efi.fn[RT_GET_TIME];
	struct efi_time t;

	kprintf("test: GetTime replaced for one call by a stand-in in kernel "
		"text that waits for the AP's NMI\n");
	efi.fn[RT_GET_TIME] = (u64)nmi_stand_in;
	watchdog_test_nmi_arm(true);
	efi_call(RT_GET_TIME, 2, (u64)&t, 0);
	watchdog_test_nmi_arm(false);
	efi.fn[RT_GET_TIME] = real;
}
