// SPDX-License-Identifier: MIT
/*
 * `bench` on the command line: the cost of one runtime-service call, for
 * `make bench` (tools/bench-boot.py runs it under -icount, where the TSC
 * follows executed instructions, so the numbers repeat).
 *
 * Each service that only reads is called
 * BENCH_CALLS times through efi_call with every check vamap makes around a
 * call (guarded buffers, the stack measure, the calling-convention
 * compare, efi.shared's copy when on), BENCH_CALLS times with none of
 * them (the state repair stays: it is not a check), and BENCH_CALLS times
 * without each one; the lines give the median and the maximum, in TSC
 * ticks, the difference of the medians (what the checks cost a call) and
 * each check's share. Runs after the report, so nothing it does
 * reaches a verdict. GetNextHighMonotonicCount is left out: each call
 * raises the platform's persistent high count (UEFI 2.10 8.5.2), a flash
 * write on OVMF.
 */
#include "efi_defs.h"
#include "efi_state.h"
#include "kernel.h"
#include "printf.h"
#include "smi.h"
#include "x86.h"

#define BENCH_CALLS 33 /* odd: the median is one sample */


struct sample {
	u64 median, max;
	efi_status_t st;
	u32 smis_min, smis_max; /* SMIs a call took (smi.h); SMI_UNKNOWN: none
				 * counted */
};

static void sort(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* What the calls write. Without efi_call's guarded copies
 * (EFI_SKIP_BUFFERS) the firmware writes them in place, and vamap's own
 * stack is read-only in every efi_pgd (a bare call faulted there, and
 * runtime services went off after the first service): they live in the
 * section the firmware may write. */
static struct {
	struct efi_time t;
	u8 buf[256];
	u16 name[64];
	struct efi_guid g;
	u64 size, a, b, c;
	u32 attr;
} io __efi_shared;

/* One call of service @svc, with arguments that make it read only. */
static efi_status_t call_once(enum efi_rt_service svc)
{
	io.size = sizeof(io.buf);
	switch (svc) {
	case RT_GET_TIME:
		return efi_call(svc, 2, (u64)&io.t, (u64)0);
	case RT_GET_WAKEUP_TIME:
		return efi_call(svc, 3, (u64)io.buf, (u64)(io.buf + 1), (u64)&io.t);
	case RT_GET_VARIABLE:
		return efi_get_variable(u"BootOrder", &efi_global_guid, &io.attr,
					&io.size, io.buf);
	case RT_GET_NEXT_VARIABLE_NAME:
		io.name[0] = 0;
		memset(&io.g, 0, sizeof(io.g));
		io.size = sizeof(io.name);
		return efi_call(svc, 3, (u64)&io.size, (u64)io.name, (u64)&io.g);
	case RT_QUERY_VARIABLE_INFO:
		return efi_query_variable_info(NV_BS_RT, &io.a, &io.b, &io.c);
	default:
		return EFI_UNSUPPORTED;
	}
}

static void measure(enum efi_rt_service svc, struct sample *s)
{
	u64 t[BENCH_CALLS];
	unsigned int i;

	s->smis_min = SMI_UNKNOWN;
	s->smis_max = 0;
	for (i = 0; i < BENCH_CALLS; i++) {
		u64 t0 = rdtsc();

		s->st = call_once(svc);
		t[i] = rdtsc() - t0;
		if (efi.call_smis == SMI_UNKNOWN)
			continue;
		if (efi.call_smis < s->smis_min)
			s->smis_min = efi.call_smis;
		if (efi.call_smis > s->smis_max)
			s->smis_max = efi.call_smis;
	}
	sort(t, BENCH_CALLS);
	s->median = t[BENCH_CALLS / 2];
	s->max = t[BENCH_CALLS - 1];
}

/* ", N SMIs a call" (", N-M SMIs a call" when they differed): what part
 * of a call's cost is System Management Mode's; nothing without a
 * counter. */
static const char *smis_text(const struct sample *s, char *buf, size_t len)
{
	if (s->smis_min == SMI_UNKNOWN)
		buf[0] = '\0';
	else if (s->smis_min == s->smis_max)
		ksnprintf(buf, len, ", %u SMI%s a call", s->smis_min,
			  s->smis_min == 1 ? "" : "s");
	else
		ksnprintf(buf, len, ", %u-%u SMIs a call", s->smis_min,
			  s->smis_max);
	return buf;
}

void efi_bench(void)
{
	static const enum efi_rt_service svcs[] = {
		RT_GET_TIME, RT_GET_WAKEUP_TIME, RT_GET_VARIABLE,
		RT_GET_NEXT_VARIABLE_NAME, RT_QUERY_VARIABLE_INFO,
	};
	/* Each check's share: the checked median less the one without it. */
	static const struct {
		unsigned int mask;
		const char *name;
	} parts[] = {
		{ EFI_SKIP_BUFFERS, "guarded buffers" },
		{ EFI_SKIP_STACK, "stack measure" },
		{ EFI_SKIP_ABI, "calling-convention compare" },
		{ EFI_SKIP_SHARED, "efi.shared copy" },
	};
	unsigned int i;

	kprintf("== bench: %u calls of each service, TSC ticks (under -icount "
		"shift=0 one tick is one guest instruction)\n", BENCH_CALLS);
	if (!efi.runtime_enabled) {
		kprintf("bench: runtime services off (%s): nothing to time\n",
			efi.disabled_why ? efi.disabled_why : "efi=noruntime");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(svcs); i++) {
		struct sample chk, bare, without[ARRAY_SIZE(parts)];
		const char *name = efi_rt_service_name(svcs[i]);
		char smis[40];
		unsigned int p;

		if (!(efi.rt_supported & efi_rt_supported_bit(svcs[i]))) {
			kprintf("bench: %-26s unsupported (RT properties table)\n",
				name);
			continue;
		}
		measure(svcs[i], &chk);
		if (!efi.runtime_enabled)
			break; /* it faulted: reported, and nothing more to time */
		if (!efi_call_skip(EFI_SKIP_ALL)) {
			kprintf("bench: %-26s checked median %7lu max %7lu (%s); "
				"not timed without the checks: a call broke the "
				"calling convention\n", name,
				(unsigned long)chk.median, (unsigned long)chk.max,
				efi_status_name(chk.st));
			continue;
		}
		measure(svcs[i], &bare);
		for (p = 0; p < ARRAY_SIZE(parts); p++) {
			efi_call_skip(parts[p].mask);
			measure(svcs[i], &without[p]);
		}
		efi_call_skip(0);
		kprintf("bench: %-26s checked median %7lu max %7lu, bare median "
			"%7lu max %7lu: the checks cost %ld a call (%s%s)\n", name,
			(unsigned long)chk.median, (unsigned long)chk.max,
			(unsigned long)bare.median, (unsigned long)bare.max,
			(long)(chk.median - bare.median), efi_status_name(chk.st),
			smis_text(&chk, smis, sizeof(smis)));
		kprintf("bench: %-26s of which", "");
		for (p = 0; p < ARRAY_SIZE(parts); p++)
			if (efi.fw32 && parts[p].mask == EFI_SKIP_BUFFERS)
				kprintf("%s %s kept (32-bit firmware reaches "
					"vamap's buffers only through them)",
					p ? "," : "", parts[p].name);
			else
				kprintf("%s %s %ld", p ? "," : "", parts[p].name,
					(long)(chk.median - without[p].median));
		kprintf("\n");
	}
}
