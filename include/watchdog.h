/* SPDX-License-Identifier: MIT */
/*
 * The firmware-call watchdog (kernel/watchdog.c): a runtime service that
 * does not return within efi.timeout= milliseconds is interrupted by an
 * NMI, and efi/runtime.c ends the call there as a finding.
 *
 * The NMI comes from one of two sources, whichever exists at the call:
 *
 *  ap   another CPU: the first AP that came online. At each call the
 *       caller wakes it with an NMI (a parked AP sleeps with interrupts
 *       off; only an NMI wakes it), it watches the clock in its NMI
 *       handler and, past the deadline, sends the caller an NMI.
 *  pit  the CPU is alone (before the APs start, SMP=0, one CPU): the PIT
 *       ticks at 100 Hz into the I/O APIC pin the MADT gives ISA IRQ 0,
 *       programmed with NMI delivery and unmasked only during a call; the
 *       caller's own NMI handler compares the clock with the deadline.
 *
 * Why an NMI: a maskable interrupt (the local APIC timer) cannot stop
 * firmware that spins with interrupts off, and the local APIC timer's LVT
 * has no delivery-mode field (Intel SDM vol. 3A, 11.5.1). Without either
 * source a hung call hangs, and the log says so at setup.
 */
#ifndef VAMAP_WATCHDOG_H
#define VAMAP_WATCHDOG_H

#include "efi_call_state.h"
#include "traps.h"

/* Choose the source for calls from now on and log it; @timeout_ms 0 turns
 * the watchdog off. Called before SetVirtualAddressMap (pit, when the MADT
 * has an I/O APIC) and again once the APs are up (ap). */
void watchdog_setup(u32 timeout_ms);

/* Around every firmware call on CPU @apic_id, outside efi_pgd (the local
 * and I/O APIC mappings are not in a strict efi_pgd). */
void watchdog_arm(u32 apic_id);
void watchdog_disarm(void);

/* From trap_handler for every NMI, with the call state it interrupted
 * (@was): true when it was the watchdog's (a wake-up, a tick, or the
 * deadline) and nothing more is to be done. The deadline ends the call
 * (efi_watchdog_abort) only when the NMI interrupted the firmware itself;
 * in vamap's own handler it is deflected and comes again once the
 * handler's time has moved the deadline; after kernel_exit every NMI is
 * swallowed. */
bool watchdog_nmi(struct trap_frame *f, u32 apic_id, enum efi_call_state was);

/* Move the current call's deadline by @tsc_ticks: the time vamap's own
 * handler ran on top of the call (efi_call_trap_exit). */
void watchdog_extend(u64 tsc_ticks);

/* kernel_exit: disarmed for good, the PIT masked, no source from now on. */
void watchdog_stop(void);

/* Why there is no source, for efi.watchdog's SKIP. */
const char *watchdog_none_why(void);

/* Deadline NMIs that landed in vamap's handler and were sent again. */
unsigned int watchdog_deflected(void);

/* True when the watching AP (*@apic_id) answered a wake-up NMI later than
 * *@ms, after which it watched no more (test=watchdog-late). */
bool watchdog_ap_late(u32 *apic_id, u32 *ms);

/* The source in use, for the log and the checks: "ap", "pit" or "none". */
const char *watchdog_source(void);

/* The bound in milliseconds, 0 when off. */
u32 watchdog_timeout_ms(void);

/* test=nmi-during-call (in every watched call) and test=nmi-as-fault
 * (while armed, around one stand-in call): the watching AP sends the
 * caller an NMI in each call it watches, at most WATCHDOG_TEST_NMIS in
 * all, until one lands inside the call. */
#define WATCHDOG_TEST_NMIS 100
void watchdog_test_nmi_arm(bool on);

/* test=nmi-during-call: true once one of the NMIs the watching AP sent
 * (*@sent in all) landed in a firmware call, @svc at @rip. */
bool watchdog_test_nmi(const char **svc, u64 *rip, unsigned int *sent);

#endif
