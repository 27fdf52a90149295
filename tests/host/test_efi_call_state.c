// SPDX-License-Identifier: MIT
// sources: efi/call_state.c
/*
 * The firmware call's owner (efi_call_state.h): every cell of the table,
 * and the paths the four failures took, each now impossible or
 * harmless.
 */
#include "check.h"
#include "efi_call_state.h"

static enum efi_call_state run(enum efi_call_state s, const enum efi_call_event *ev,
			       unsigned int n)
{
	for (unsigned int i = 0; i < n && s != CALL_REFUSED; i++)
		s = efi_call_next(s, ev[i]);
	return s;
}

/* A call that returns, one that lends a page and resumes, one a fault
 * ends: each leaves the CPU idle. */
static void test_calls(void)
{
	const enum efi_call_event plain[] = { CALL_EV_ENTER, CALL_EV_RETURN };
	const enum efi_call_event lend[] = { CALL_EV_ENTER, CALL_EV_TRAP,
					     CALL_EV_RESUME, CALL_EV_RETURN };
	const enum efi_call_event fault[] = { CALL_EV_ENTER, CALL_EV_TRAP,
					      CALL_EV_END, CALL_EV_RETURN };
	/* an NMI on top of the #PF handler of a lend */
	const enum efi_call_event nmi_in_handler[] = {
		CALL_EV_ENTER, CALL_EV_TRAP, CALL_EV_TRAP, CALL_EV_RESUME,
		CALL_EV_RETURN };

	CHECK_EQ(run(CALL_IDLE, plain, 2), CALL_IDLE);
	CHECK_EQ(run(CALL_IDLE, lend, 4), CALL_IDLE);
	CHECK_EQ(run(CALL_IDLE, fault, 4), CALL_IDLE);
	CHECK_EQ(run(CALL_IDLE, nmi_in_handler, 2), CALL_HANDLER);
	CHECK_EQ(run(CALL_IDLE, nmi_in_handler, 3), CALL_HANDLER);
	CHECK_EQ(run(CALL_IDLE, nmi_in_handler, 5), CALL_IDLE);
}

/* What must be impossible. */
static void test_refused(void)
{
	/* a call inside a call */
	CHECK_EQ(efi_call_next(CALL_FIRMWARE, CALL_EV_ENTER), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_ENDED, CALL_EV_ENTER), CALL_REFUSED);
	/* the watchdog ending a call vamap's handler is running on (the
	 * handler, not the watchdog, ends calls; END needs HANDLER) */
	CHECK_EQ(efi_call_next(CALL_FIRMWARE, CALL_EV_END), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_ENDED, CALL_EV_END), CALL_REFUSED);
	/* resuming a call that was ended, or none */
	CHECK_EQ(efi_call_next(CALL_ENDED, CALL_EV_RESUME), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_IDLE, CALL_EV_RESUME), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_IDLE, CALL_EV_RETURN), CALL_REFUSED);
	/* after kernel_exit: no call, no return into an aborted one */
	CHECK_EQ(efi_call_next(CALL_HALTED, CALL_EV_ENTER), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_HALTED, CALL_EV_RETURN), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_HALTED, CALL_EV_END), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_HALTED, CALL_EV_TRAP), CALL_HALTED);
	CHECK_EQ(efi_call_next(CALL_HALTED, CALL_EV_RESUME), CALL_HALTED);
	/* out of range */
	CHECK_EQ(efi_call_next(CALL_REFUSED, CALL_EV_ENTER), CALL_REFUSED);
	CHECK_EQ(efi_call_next(CALL_IDLE, CALL_NR_EVENTS), CALL_REFUSED);
}

/* kernel_exit halts from every state, and the report it saves first is a
 * guarded call even from inside a call's handler. */
static void test_halt_and_save(void)
{
	const enum efi_call_event save_in_handler[] = {
		CALL_EV_ENTER, CALL_EV_TRAP,	/* a fatal #DF in a call */
		CALL_EV_ENTER, CALL_EV_TRAP,	/* the save's SetVariable faults */
		CALL_EV_END, CALL_EV_RETURN,	/* ... ends, guarded */
		CALL_EV_HALT };
	enum efi_call_state s;

	for (s = CALL_IDLE; s < CALL_NR_STATES; s++)
		CHECK_EQ(efi_call_next(s, CALL_EV_HALT), CALL_HALTED);
	CHECK_EQ(run(CALL_IDLE, save_in_handler, 6), CALL_IDLE);
	CHECK_EQ(run(CALL_IDLE, save_in_handler, 7), CALL_HALTED);
	CHECK_STR(efi_call_state_name(CALL_HANDLER), "HANDLER");
	CHECK_STR(efi_call_state_name(CALL_REFUSED), "REFUSED");
}

int main(void)
{
	RUN(test_calls);
	RUN(test_refused);
	RUN(test_halt_and_save);
	return check_exit();
}
