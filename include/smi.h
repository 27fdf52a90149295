/* SPDX-License-Identifier: MIT */
/*
 * The SMIs a CPU takes, from MSR_SMI_COUNT: how many times System
 * Management Mode ran on it. A runtime service that enters SMM (EDK2's
 * variable services behind VariableSmmRuntimeDxe, a capsule or reset
 * handler) costs at least one on the calling CPU; one SMI more than the
 * service needs is an SMI vamap did not ask for, taken during the call
 * (a late CPU's, a platform's periodic one). The counter is probed, never
 * assumed: an MSR the CPU lacks raises #GP (AMD, older Intel), and then
 * every count is unknown.
 */
#ifndef VAMAP_SMI_H
#define VAMAP_SMI_H

#include "types.h"

#define SMI_UNKNOWN 0xffffffffu

/* Once, on the boot CPU, with the IDT live: does MSR_SMI_COUNT read? */
void smi_counter_probe(void);

/* Why there is no counter (NULL: there is one). */
const char *smi_counter_absent(void);

/* This CPU's count, bits 31:0; SMI_UNKNOWN without a counter. */
u32 smi_count(void);

/* SMIs between two counts (SMI_UNKNOWN if either is). */
static inline u32 smi_between(u32 before, u32 after)
{
	if (before == SMI_UNKNOWN || after == SMI_UNKNOWN)
		return SMI_UNKNOWN;
	return after - before; /* the counter wraps at 2^32 */
}

/* test=smi-late: hold this CPU's SMIs (AMD SVM's CLGI, global interrupt
 * flag clear; EFER.SVME set for it) until smi_release(): an SMI raised
 * meanwhile, the firmware's own included, waits, as one its SMM core does
 * not take during the call; NMIs and interrupts wait too (the watchdog
 * cannot end such a call). False, nothing held, without SVM. */
bool smi_holdable(void);
bool smi_hold(void);
void smi_release(void);

#endif
