// SPDX-License-Identifier: MIT
/* MSR_SMI_COUNT, probed once (smi.h). */
#include "smi.h"
#include "traps.h"
#include "x86.h"

int rdmsr_probe(u32 msr, u64 *val); /* kernel/entry.asm */
extern char rdmsr_probe_faulted[];

static const char *absent_why = "not probed yet"; /* NULL: a counter */

void smi_counter_probe(void)
{
	u64 v = 0;
	int faulted;

	trap_expect(X86_TRAP_GP, (u64)rdmsr_probe_faulted);
	faulted = rdmsr_probe(MSR_SMI_COUNT, &v);
	faulted = trap_expected_seen(NULL, NULL) && faulted;
	absent_why = faulted ? "reading MSR 0x34 raised #GP: this CPU has no "
			       "SMI counter"
			     : NULL;
}

const char *smi_counter_absent(void)
{
	return absent_why;
}

u32 smi_count(void)
{
	if (absent_why)
		return SMI_UNKNOWN;
	return (u32)rdmsr(MSR_SMI_COUNT);
}

static u64 held_efer;

bool smi_holdable(void)
{
	u32 c, d;

	cpuid_ext_features(&c, &d);
	return c & CPUID_EXT_ECX_SVM;
}

bool smi_hold(void)
{
	if (!smi_holdable())
		return false;
	held_efer = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, held_efer | EFER_SVME);
	__asm__ volatile("clgi" ::: "memory");
	return true;
}

void smi_release(void)
{
	__asm__ volatile("stgi" ::: "memory");
	wrmsr(MSR_EFER, held_efer);
}
