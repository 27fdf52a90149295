/* SPDX-License-Identifier: MIT */
/*
 * Who owns a CPU during a firmware call (efi/call_state.c, host-tested):
 * one state per CPU, changed in one place (efi/runtime.c), which the trap
 * handler, the watchdog, the thunk's caller and kernel_exit consult.
 *
 *   IDLE      no firmware call on this CPU: vamap runs
 *   FIRMWARE  a runtime service runs (from efi_call's enter to the thunk's
 *             return)
 *   HANDLER   vamap's own trap handler runs on top of a call: a page being
 *             lent, an NMI; the watchdog neither acts nor counts the time
 *   ENDED     the handler ended the call (a fault, the watchdog): the
 *             thunk's recovery path runs, the next event is its return
 *   HALTED    kernel_exit: the run is over; nothing resumes a call, the
 *             watchdog is off for good
 *
 * The events and what each state allows:
 *
 *   state     ENTER     RETURN  TRAP     RESUME    END    HALT
 *   IDLE      FIRMWARE  -       IDLE     -         -      HALTED
 *   FIRMWARE  -         IDLE    HANDLER  -         -      HALTED
 *   HANDLER   FIRMWARE* -       HANDLER  FIRMWARE  ENDED  HALTED
 *   ENDED     -         IDLE    ENDED    -         -      HALTED
 *   HALTED    -         -       HALTED   HALTED    -      HALTED
 *
 * (-: refused: a vamap bug, or a call that must not be made.) A trap in
 * IDLE is the kernel's own and leaves the state alone; a trap in HANDLER
 * is an NMI on top of the handler. *ENTER from HANDLER is the report
 * saved by kernel_exit when a fatal exception ends the run inside a call's
 * handler: the interrupted call is abandoned, and the save is a guarded
 * call like any other.
 */
#ifndef VAMAP_EFI_CALL_STATE_H
#define VAMAP_EFI_CALL_STATE_H

#include "types.h"

enum efi_call_state {
	CALL_IDLE,
	CALL_FIRMWARE,
	CALL_HANDLER,
	CALL_ENDED,
	CALL_HALTED,
	CALL_NR_STATES,
	CALL_REFUSED = CALL_NR_STATES, /* from efi_call_next: not allowed */
};

enum efi_call_event {
	CALL_EV_ENTER,	/* efi_call hands the CPU to the firmware */
	CALL_EV_RETURN, /* the thunk came back, returned or recovered */
	CALL_EV_TRAP,	/* an exception or NMI entered vamap's handler */
	CALL_EV_RESUME, /* the handler goes back to the firmware */
	CALL_EV_END,	/* the handler ended the call (fault, watchdog) */
	CALL_EV_HALT,	/* kernel_exit */
	CALL_NR_EVENTS,
};

/* The state after @ev in @s, or CALL_REFUSED. */
enum efi_call_state efi_call_next(enum efi_call_state s, enum efi_call_event ev);

/* "IDLE", "FIRMWARE", ... for the log. */
const char *efi_call_state_name(enum efi_call_state s);

#endif
