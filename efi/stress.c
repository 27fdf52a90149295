// SPDX-License-Identifier: MIT
/*
 * `stress` on the command line: the runtime services called many times in
 * a row, as fwts's uefirtvariable tests 5-7 and uefirtmisc test 2 do, in
 * vamap's own mapping. Each loop is one KTAP line: ok when every call
 * returned what the spec says and the data stayed right; the note gives
 * the calls made and, with a calibrated TSC, calls per second. The loops
 * write only VamapStress* variables under vamap's GUID and delete each.
 * Off by default: a few thousand calls, and on OVMF each SetVariable is a
 * flash write.
 */
#include "efi_conform.h"
#include "efi_state.h"
#include "kernel.h"
#include "ktap.h"
#include "x86.h"

/* The loop counts docs/checks.md, "Stress loops", gives each check. */
#define STRESS_GET 1000
#define STRESS_NEXT 1000
#define STRESS_SET 40
#define STRESS_NAMES 32
#define STRESS_QUERY 1000
#define STRESS_MONO 50

static const u16 stress_name[] = u"VamapStress";

/* "N calls, R calls/s" into the check's note. */
static void pass(const char *label, unsigned int calls, u64 t0)
{
	u64 ticks = rdtsc() - t0;

	if (efi.tsc_khz && ticks)
		ktap_result(true, label, "%u calls, %lu calls/s", calls,
			    (unsigned long)((u64)calls * efi.tsc_khz * 1000 / ticks));
	else
		ktap_result(true, label, "%u calls", calls);
}

static void fail(const char *label, unsigned int call, unsigned int calls,
		 const char *what, efi_status_t st)
{
	ktap_result(false, label, "call %u of %u: %s%s%s (UEFI 2.10 8.2)", call + 1,
		    calls, what, st != EFI_SUCCESS ? " returned " : "",
		    st != EFI_SUCCESS ? efi_status_name(st) : "");
}

static void stress_get(void)
{
	static const char *const label = "efi.variable.stress.get";
	static const u8 data[10] = { 'v', 'a', 'm', 'a', 'p', 1, 2, 3, 4, 5 };
	u8 buf[16];
	unsigned int i;
	efi_status_t st;
	u64 t0, size;
	u32 attr;

	if (!efi_usable(label, RT_GET_VARIABLE) ||
	    !efi_usable(label, RT_SET_VARIABLE))
		return;
	st = efi_set_variable(stress_name, &efi_vamap_guid, NV_BS_RT,
			      sizeof(data), data);
	if (st != EFI_SUCCESS) {
		ktap_skip(label, "SetVariable %s returned %s",
			  "VamapStress", efi_status_name(st));
		return;
	}
	t0 = rdtsc();
	for (i = 0; i < STRESS_GET; i++) {
		size = sizeof(buf);
		attr = 0;
		st = efi_get_variable(stress_name, &efi_vamap_guid, &attr, &size,
				      buf);
		if (st != EFI_SUCCESS || size != sizeof(data) ||
		    attr != NV_BS_RT || memcmp(buf, data, sizeof(data)))
			break;
	}
	efi_set_variable(stress_name, &efi_vamap_guid, NV_BS_RT, 0, NULL);
	if (i < STRESS_GET)
		fail(label, i, STRESS_GET, st != EFI_SUCCESS ? "GetVariable"
			     : "GetVariable handed back other data or attributes",
		     st);
	else
		pass(label, STRESS_GET, t0);
}

static void stress_next(void)
{
	static const char *const label = "efi.variable.stress.next";
	struct efi_guid g;
	u16 name[128];
	unsigned int i;
	efi_status_t st = EFI_SUCCESS;
	u64 t0, size;

	if (!efi_usable(label, RT_GET_NEXT_VARIABLE_NAME))
		return;
	t0 = rdtsc();
	for (i = 0; i < STRESS_NEXT; i++) {
		name[0] = 0;
		memset(&g, 0, sizeof(g));
		size = sizeof(name);
		st = efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)name,
			      (u64)&g);
		if (st != EFI_SUCCESS && st != EFI_NOT_FOUND)
			break;
	}
	if (i < STRESS_NEXT)
		fail(label, i, STRESS_NEXT, "GetNextVariableName from the start", st);
	else
		pass(label, STRESS_NEXT, t0);
}

/* One write and its delete, counted in *@n; false and *@what on the
 * first that fails. */
static bool set_and_delete(const u16 *name, u64 size, unsigned int *n,
			   const char **what, efi_status_t *st)
{
	u8 data[64];

	memset(data, 0x5a, sizeof(data));
	++*n;
	*st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, size, data);
	if (*st != EFI_SUCCESS) {
		*what = "SetVariable (write)";
		return false;
	}
	++*n;
	*st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, 0, NULL);
	if (*st != EFI_SUCCESS) {
		*what = "SetVariable (delete)";
		return false;
	}
	return true;
}

/* fwts uefirtvariable test 6: the same data STRESS_SET times, then a
 * write and a delete STRESS_SET times each growing and shrinking, then
 * names of 1 to STRESS_NAMES letters. */
static void stress_set(void)
{
	static const char *const label = "efi.variable.stress.set";
	static const u8 same[10] = { 's', 'a', 'm', 'e' };
	const unsigned int calls = STRESS_SET + 1 + 4 * STRESS_SET +
				   2 * STRESS_NAMES;
	const char *what = NULL;
	unsigned int i, n = 0;
	efi_status_t st = EFI_SUCCESS;
	u16 name[STRESS_NAMES + 1];
	u64 t0;

	if (!efi_usable(label, RT_SET_VARIABLE))
		return;
	t0 = rdtsc();
	for (i = 0; i < STRESS_SET && !what; i++) {
		n++;
		st = efi_set_variable(stress_name, &efi_vamap_guid, NV_BS_RT,
				      sizeof(same), same);
		if (st != EFI_SUCCESS)
			what = "SetVariable (the same data again)";
	}
	if (!what) {
		n++;
		st = efi_set_variable(stress_name, &efi_vamap_guid, NV_BS_RT, 0,
				      NULL);
		if (st != EFI_SUCCESS)
			what = "SetVariable (delete)";
	}
	for (i = 0; i < STRESS_SET && !what; i++)
		set_and_delete(stress_name, 10 + i, &n, &what, &st);
	for (i = 0; i < STRESS_SET && !what; i++)
		set_and_delete(stress_name, 50 - i, &n, &what, &st);
	for (i = 0; i < STRESS_NAMES && !what; i++) {
		name[i] = 'a';
		name[i + 1] = 0;
		set_and_delete(name, 10, &n, &what, &st);
	}
	if (what) {
		efi_set_variable(stress_name, &efi_vamap_guid, NV_BS_RT, 0, NULL);
		fail(label, n - 1, calls, what, st);
	} else {
		pass(label, calls, t0);
	}
}

static void stress_query(void)
{
	static const char *const label = "efi.variable.stress.query";
	u64 max0 = 0, max, rem, size;
	unsigned int i;
	efi_status_t st = EFI_SUCCESS;
	u64 t0;

	if (!efi_usable(label, RT_QUERY_VARIABLE_INFO))
		return;
	t0 = rdtsc();
	for (i = 0; i < STRESS_QUERY; i++) {
		st = efi_query_variable_info(NV_BS_RT, &max, &rem, &size);
		if (st != EFI_SUCCESS)
			break;
		if (!i)
			max0 = max;
		else if (max != max0)
			break;
	}
	if (i < STRESS_QUERY)
		fail(label, i, STRESS_QUERY, st != EFI_SUCCESS ? "QueryVariableInfo"
			     : "QueryVariableInfo changed MaximumVariableStorageSize",
		     st);
	else
		pass(label, STRESS_QUERY, t0);
}

/* fwts uefirtmisc test 2: each call one more than the last (8.5.2). */
static void stress_monotonic(void)
{
	static const char *const label = "efi.monotonic.stress";
	u32 prev = 0, c = 0;
	unsigned int i;
	efi_status_t st;
	u64 t0;

	if (!efi_usable(label, RT_GET_NEXT_HIGH_MONO_COUNT))
		return;
	t0 = rdtsc();
	for (i = 0; i < STRESS_MONO; i++) {
		st = efi_call(RT_GET_NEXT_HIGH_MONO_COUNT, 1, (u64)&c);
		if (st == EFI_UNSUPPORTED && !i) {
			ktap_skip(label, "GetNextHighMonotonicCount returned "
				  "UNSUPPORTED");
			return;
		}
		if (st != EFI_SUCCESS) {
			fail(label, i, STRESS_MONO, "GetNextHighMonotonicCount", st);
			return;
		}
		if (i && c != prev + 1) {
			ktap_result(false, label, "call %u of %u: %u after %u, not "
				    "one more (UEFI 2.10 8.5.2)", i + 1,
				    STRESS_MONO, c, prev);
			return;
		}
		prev = c;
	}
	efi_note_monotonic_high(c);
	pass(label, STRESS_MONO, t0);
}

void efi_stress(void)
{
	stress_get();
	stress_next();
	stress_set();
	stress_query();
	stress_monotonic();
}
