// SPDX-License-Identifier: MIT
// sources: efi/conform.c efi/stress.c efi/names.c kernel/printf.c
/*
 * The runtime-service conformance checks against a simulated firmware: a
 * clock, a wake-up timer, a variable store and a monotonic counter in C,
 * behind the same efi_call() the kernel uses. Well behaved, every check
 * passes and the clock and store end as they began; with one bug switched
 * on, the check for it (and only it) fails. Plus the EFI_TIME rules.
 */
#include <stdarg.h>
#include "check.h"
#include "ktap_record.h"
#include "efi_conform.h"
#include "efi_state.h"
#include "printf.h"
#include "smi.h"

struct efi_state efi;

/* ------------------------------------------------ the simulated firmware */

enum bug {
	BUG_NONE,
	BUG_SETTIME_MONTH13,	 /* SetTime accepts month 13 */
	BUG_SETTIME_FEB30,	 /* SetTime checks days against 31 only */
	BUG_SETTIME_IGNORED,	 /* SetTime returns SUCCESS, changes nothing */
	BUG_GETTIME_NULL,	 /* GetTime(NULL) returns SUCCESS */
	BUG_WAKEUP_DISARM,	 /* SetWakeupTime(FALSE) leaves it armed */
	BUG_TOO_SMALL_SIZE,	 /* BUFFER_TOO_SMALL without the size */
	BUG_APPEND_REPLACES,	 /* APPEND_WRITE overwrites */
	BUG_ONE_GUID,		 /* variables keyed by name only */
	BUG_ATTR0_KEEPS,	 /* Attributes 0 does not delete */
	BUG_RT_WITHOUT_BS,	 /* NV|RT accepted */
	BUG_AUTH_WRITE,		 /* AUTHENTICATED_WRITE_ACCESS accepted */
	BUG_NEXT_UNKNOWN,	 /* an unknown name restarts the walk */
	BUG_MONO_NULL,		 /* GetNextHighMonotonicCount(NULL) SUCCESS */
	BUG_PROPS_LIE,		 /* declared unsupported, SetTime works */
	BUG_SVAM_TWICE,		 /* a second SetVirtualAddressMap SUCCESS */
	BUG_BOTH_AUTH,		 /* both authentication bits accepted */
	BUG_WAKEUP_NULL,	 /* SetWakeupTime(TRUE, NULL) SUCCESS */
	BUG_QVI_STATIC,		 /* QueryVariableInfo never counts a write */
	BUG_CAPSULE_COUNT0,	 /* UpdateCapsule(CapsuleCount 0) SUCCESS */
	BUG_WAKEUP_NANO,	 /* SetWakeupTime ignores Nanosecond */
	BUG_APPEND_NEW,		 /* APPEND_WRITE to no variable: NOT_FOUND */
	BUG_APPEND_EMPTY,	 /* ... with DataSize 0: NOT_FOUND */
	BUG_BOTH_AUTH_OTHER,	 /* both authentication bits: UNSUPPORTED */
	BUG_SLOW_REFUSALS,	 /* each refused SetTime takes 2 s: the clock
				  * goes on as the time passes */
	BUG_FLAKY_NO_RT,	 /* the first NV|BS write after ExitBootServices
				  * answers NOT_FOUND, with an SMI too many */
	/* Under `stress` (efi/stress.c): */
	BUG_STRESS_GET,		 /* the 500th GetVariable fails */
	BUG_STRESS_NEXT,	 /* the 700th GetNextVariableName fails */
	BUG_STRESS_SET,		 /* the 100th SetVariable: out of space */
	BUG_STRESS_QUERY,	 /* the store's size changes after 300 */
	BUG_STRESS_MONO,	 /* the count skips one after 20 calls */
};

static unsigned int calls[RT_NR_SERVICES];
static unsigned int flaky_left; /* BUG_FLAKY_NO_RT's wrong answers to give */
/* What AUTHENTICATED_WRITE_ACCESS gets: UEFI 2.10's UNSUPPORTED, or the
 * reserved bit's INVALID_PARAMETER (2.10 Errata A, 2.11; EDK2 2025). */
static efi_status_t auth_status = EFI_UNSUPPORTED;

static enum bug bug;
static struct efi_time clock_now;
static u8 wake_on;
static struct efi_time wake_at;
static u32 mono = 7;
static unsigned int dirty_pads; /* times handed back with non-zero pads */

#define NVARS 16
static struct var {
	bool used;
	u16 name[32];
	struct efi_guid guid;
	u32 attr;
	u8 data[64];
	u64 size;
} vars[NVARS];

static bool name_eq(const u16 *a, const u16 *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static size_t name_bytes(const u16 *n)
{
	size_t i = 0;

	while (n[i])
		i++;
	return (i + 1) * 2;
}

static struct var *find(const u16 *name, const struct efi_guid *g)
{
	int i;

	for (i = 0; i < NVARS; i++)
		if (vars[i].used && name_eq(vars[i].name, name) &&
		    (bug == BUG_ONE_GUID || !memcmp(&vars[i].guid, g, sizeof(*g))))
			return &vars[i];
	return NULL;
}

/* As OVMF's GetTime does: every field but Pad1 and Pad2. */
static void copy_time(struct efi_time *to, const struct efi_time *from)
{
	u8 pad1 = to->pad1, pad2 = to->pad2;

	*to = *from;
	to->pad1 = pad1;
	to->pad2 = pad2;
}

static efi_status_t fw_set_time(const struct efi_time *t)
{
	struct efi_time c;

	if (!t)
		return EFI_INVALID_PARAMETER;
	if (t->pad1 || t->pad2)
		dirty_pads++;
	if (bug == BUG_SETTIME_IGNORED)
		return EFI_SUCCESS;
	c = *t;
	if (bug == BUG_SETTIME_MONTH13 && c.month == 13)
		c.month = 12; /* clamps rather than refusing */
	else if (bug == BUG_SETTIME_FEB30 && c.month == 2 && c.day <= 31)
		c.day = 28;
	if (efi_time_bad_field(&c)) {
		if (bug == BUG_SLOW_REFUSALS)
			efi_time_set_seconds(&clock_now,
					     efi_time_seconds(&clock_now) + 2);
		return EFI_INVALID_PARAMETER;
	}
	clock_now = *t;
	return EFI_SUCCESS;
}

static efi_status_t fw_get_var(const u16 *name, const struct efi_guid *g,
			       u32 *attr, u64 *size, void *data)
{
	struct var *v;

	if (!name || !g || !size)
		return EFI_INVALID_PARAMETER;
	v = find(name, g);
	if (!v)
		return EFI_NOT_FOUND;
	if (*size < v->size) {
		if (bug != BUG_TOO_SMALL_SIZE)
			*size = v->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!data)
		return EFI_INVALID_PARAMETER;
	memcpy(data, v->data, v->size);
	*size = v->size;
	if (attr)
		*attr = v->attr;
	return EFI_SUCCESS;
}

static efi_status_t fw_set_var(const u16 *name, const struct efi_guid *g,
			       u32 attr, u64 size, const void *data)
{
	struct var *v;
	int i;

	if (!name || !g)
		return EFI_INVALID_PARAMETER;
	if ((attr & 0x10) && bug != BUG_AUTH_WRITE)
		return auth_status;
	if ((attr & 0x20) && (attr & 0x80) && bug != BUG_BOTH_AUTH)
		return bug == BUG_BOTH_AUTH_OTHER ? EFI_UNSUPPORTED
						  : EFI_INVALID_PARAMETER;
	v = find(name, g);
	/* UEFI 2.10 Errata A: an append to no variable creates it, or with
	 * no data creates nothing and succeeds. */
	if ((attr & 0x40) && !v && attr != 0x40 &&
	    (size ? bug == BUG_APPEND_NEW : bug == BUG_APPEND_EMPTY))
		return EFI_NOT_FOUND;
	if ((attr & 0x40) && size == 0)
		return EFI_SUCCESS;
	if (attr == 0 || size == 0) {
		if (attr == 0 && bug == BUG_ATTR0_KEEPS)
			return EFI_SUCCESS;
		if (v)
			v->used = false;
		return v ? EFI_SUCCESS : EFI_NOT_FOUND;
	}
	if ((attr & EFI_VARIABLE_RUNTIME_ACCESS) &&
	    !(attr & EFI_VARIABLE_BOOTSERVICE_ACCESS) && bug != BUG_RT_WITHOUT_BS)
		return EFI_INVALID_PARAMETER;
	if (attr == (EFI_VARIABLE_NON_VOLATILE |
		     EFI_VARIABLE_BOOTSERVICE_ACCESS) && flaky_left) {
		flaky_left--;
		efi.call_smis = 2; /* SMM ran twice */
		return EFI_NOT_FOUND;
	}
	if (!(attr & EFI_VARIABLE_RUNTIME_ACCESS) ||
	    !(attr & EFI_VARIABLE_NON_VOLATILE))
		return EFI_INVALID_PARAMETER; /* after ExitBootServices */
	if ((attr & 0x40) && v && bug != BUG_APPEND_REPLACES) {
		memcpy(v->data + v->size, data, size);
		v->size += size;
		return EFI_SUCCESS;
	}
	if (!v)
		for (i = 0; i < NVARS && !v; i++)
			if (!vars[i].used)
				v = &vars[i];
	memset(v, 0, sizeof(*v));
	v->used = true;
	memcpy(v->name, name, name_bytes(name));
	v->guid = *g;
	v->attr = attr & 0x7;
	memcpy(v->data, data, size);
	v->size = size;
	return EFI_SUCCESS;
}

static efi_status_t fw_next_name(u64 *size, u16 *name, struct efi_guid *g)
{
	int i = 0;

	if (!size || !name || !g)
		return EFI_INVALID_PARAMETER;
	if (name[0]) {
		struct var *v = find(name, g);

		if (!v && bug != BUG_NEXT_UNKNOWN)
			return EFI_INVALID_PARAMETER;
		i = v ? (int)(v - vars) + 1 : 0;
	}
	for (; i < NVARS; i++) {
		if (!vars[i].used)
			continue;
		if (*size < name_bytes(vars[i].name)) {
			*size = name_bytes(vars[i].name);
			return EFI_BUFFER_TOO_SMALL;
		}
		memcpy(name, vars[i].name, name_bytes(vars[i].name));
		*g = vars[i].guid;
		*size = name_bytes(vars[i].name);
		return EFI_SUCCESS;
	}
	return EFI_NOT_FOUND;
}

/* The simulated firmware's answer to one call. */
static efi_status_t sim_call(enum efi_rt_service svc, u64 *a)
{
	unsigned int i;

	if (!(efi.rt_supported & efi_rt_supported_bit(svc)) &&
	    !(bug == BUG_PROPS_LIE && svc == RT_SET_TIME))
		return EFI_UNSUPPORTED;
	calls[svc]++;
	/* As EDK2's SMM variable services: one SMI for each call that
	 * reaches the store (fw_set_var may say otherwise). */
	efi.call_smis = svc == RT_SET_VARIABLE || svc == RT_GET_VARIABLE ||
			svc == RT_GET_NEXT_VARIABLE_NAME ||
			svc == RT_QUERY_VARIABLE_INFO;
	if ((bug == BUG_STRESS_GET && svc == RT_GET_VARIABLE && calls[svc] == 500) ||
	    (bug == BUG_STRESS_NEXT && svc == RT_GET_NEXT_VARIABLE_NAME &&
	     calls[svc] == 700))
		return EFI_DEVICE_ERROR;
	if (bug == BUG_STRESS_SET && svc == RT_SET_VARIABLE && calls[svc] == 100)
		return EFI_OUT_OF_RESOURCES;
	switch (svc) {
	case RT_GET_TIME:
		if (!a[0])
			return bug == BUG_GETTIME_NULL ? EFI_SUCCESS
						       : EFI_INVALID_PARAMETER;
		copy_time((struct efi_time *)a[0], &clock_now);
		return EFI_SUCCESS;
	case RT_SET_TIME:
		return fw_set_time((const struct efi_time *)a[0]);
	case RT_GET_WAKEUP_TIME:
		if (!a[0] || !a[1] || !a[2])
			return EFI_INVALID_PARAMETER;
		*(u8 *)a[0] = wake_on;
		*(u8 *)a[1] = 0;
		copy_time((struct efi_time *)a[2], &wake_at);
		return EFI_SUCCESS;
	case RT_SET_WAKEUP_TIME:
		if (a[0] && !a[1] && bug == BUG_WAKEUP_NULL)
			return EFI_SUCCESS;
		if (a[0] && a[1] && bug == BUG_WAKEUP_NANO &&
		    ((struct efi_time *)a[1])->nanosecond > 999999999u)
			return EFI_SUCCESS;
		if (a[0] && (!a[1] || efi_time_bad_field((struct efi_time *)a[1])))
			return EFI_INVALID_PARAMETER;
		if (a[1] && (((struct efi_time *)a[1])->pad1 ||
			     ((struct efi_time *)a[1])->pad2))
			dirty_pads++;
		if (!a[0] && bug == BUG_WAKEUP_DISARM)
			return EFI_SUCCESS;
		wake_on = (u8)!!a[0];
		if (a[0])
			wake_at = *(struct efi_time *)a[1];
		return EFI_SUCCESS;
	case RT_GET_VARIABLE:
		return fw_get_var((u16 *)a[0], (struct efi_guid *)a[1], (u32 *)a[2],
				  (u64 *)a[3], (void *)a[4]);
	case RT_SET_VARIABLE:
		return fw_set_var((u16 *)a[0], (struct efi_guid *)a[1], (u32)a[2],
				  a[3], (void *)a[4]);
	case RT_GET_NEXT_VARIABLE_NAME:
		return fw_next_name((u64 *)a[0], (u16 *)a[1], (struct efi_guid *)a[2]);
	case RT_QUERY_VARIABLE_INFO: {
		u64 used = 0;

		if ((a[0] & EFI_VARIABLE_RUNTIME_ACCESS) &&
		    !(a[0] & EFI_VARIABLE_BOOTSERVICE_ACCESS))
			return EFI_INVALID_PARAMETER;
		for (i = 0; i < NVARS && bug != BUG_QVI_STATIC; i++)
			used += vars[i].used ? 64 + vars[i].size : 0;
		*(u64 *)a[1] = bug == BUG_STRESS_QUERY && calls[svc] > 300 ? 32768
									   : 65536;
		*(u64 *)a[2] = 65536 - used;
		*(u64 *)a[3] = 1024;
		return EFI_SUCCESS;
	}
	case RT_QUERY_CAPSULE_CAPABILITIES: {
		const u32 *h = *(const u32 *const *)a[0];

		if ((h[5] & 0x20000) && !(h[5] & 0x10000))
			return EFI_INVALID_PARAMETER;
		return EFI_UNSUPPORTED; /* no capsule of that GUID */
	}
	case RT_UPDATE_CAPSULE:
		return a[1] ? EFI_UNSUPPORTED : bug == BUG_CAPSULE_COUNT0
							? EFI_SUCCESS : EFI_INVALID_PARAMETER;
	case RT_GET_NEXT_HIGH_MONO_COUNT:
		if (!a[0])
			return bug == BUG_MONO_NULL ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
		*(u32 *)a[0] = ++mono;
		if (bug == BUG_STRESS_MONO && calls[svc] == 20)
			*(u32 *)a[0] = ++mono;
		return EFI_SUCCESS;
	default:
		return EFI_UNSUPPORTED;
	}
}

#include "sim_efi_call.h"

/* SetVirtualAddressMap once more (efi/setup.c in the kernel). */
efi_status_t efi_svam_again(const char **how)
{
	*how = "at its physical address";
	return bug == BUG_SVAM_TWICE ? EFI_SUCCESS : EFI_UNSUPPORTED;
}

const char *efi_mode_name(enum efi_mode mode)
{
	return mode == EFI_MODE_SLOT ? "slot" : "other";
}

/* ------------------------------------------------------------ the tests */

static const struct efi_time start = { 2026, 11, 22, 13, 45, 30, 0, 0,
				       EFI_UNSPECIFIED_TIMEZONE, 0, 0 };

static const struct efi_guid boot_guid = { 0x8be4df61, 0x93ca, 0x11d2,
	{ 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c } };

/* Leave 0xff on the stack the checks are about to use, as a kernel
 * stack holds old frames: a field the checks forget to set shows. */
static __attribute__((noinline)) void dirty_stack(void)
{
	volatile u8 junk[16384];

	memset((u8 *)junk, 0xff, sizeof(junk));
}

static u64 boot_tsc_khz; /* efi.tsc_khz for the next boot() */

static void boot(enum bug b, u32 supported)
{
	bug = b;
	memset(&efi, 0, sizeof(efi));
	efi.tsc_khz = boot_tsc_khz;
	efi.mode = EFI_MODE_SLOT;
	efi.runtime_enabled = true;
	efi.rt_supported = supported;
	efi.have_rt_properties = supported != ~0u;
	for (int i = 0; i < RT_NR_SERVICES; i++)
		efi.fn[i] = 0x1000 + i; /* a table entry for each */
	memset(vars, 0, sizeof(vars));
	fw_set_var(u"BootOrder", &boot_guid, 7, 2, "\0\0");
	clock_now = start;
	wake_on = 0;
	memset(&wake_at, 0, sizeof(wake_at));
	nresults = 0;
	dirty_pads = 0;
	memset(calls, 0, sizeof(calls));
	flaky_left = b == BUG_FLAKY_NO_RT;
	dirty_stack();
	efi_conformance();
}

static void boot_stress(enum bug b)
{
	boot(b, ~0u);
	nresults = 0;
	memset(calls, 0, sizeof(calls));
	efi_stress();
}

static void test_good_firmware_passes_and_is_left_as_found(void)
{
	int i;

	boot(BUG_NONE, ~0u);
	CHECK(nresults >= 40);
	CHECK_EQ(count(0), 0);
	CHECK_EQ(count(-1), 1); /* efi.rt_properties.unsupported: no table */
	if (count(0))
		show(0);
	/* The clock is back where it was (the simulated one does not tick). */
	CHECK(!memcmp(&clock_now, &start, sizeof(start)));
	CHECK_EQ(wake_on, 0);
	/* Pad1 and Pad2 of every time written are zero, whatever the stack
	 * held: OVMF keeps them in its RTCALARM variable. */
	CHECK_EQ(dirty_pads, 0);
	for (i = 0; i < NVARS; i++)
		CHECK(!vars[i].used || name_eq(vars[i].name, u"BootOrder"));
}

static void test_each_bug_fails_its_check(void)
{
	static const struct {
		enum bug bug;
		const char *label;
	} cases[] = {
		{ BUG_SETTIME_MONTH13, "efi.time.set.invalid_month" },
		{ BUG_SETTIME_FEB30, "efi.time.set.invalid_day_in_month" },
		{ BUG_SETTIME_IGNORED, "efi.time.set.roundtrip" },
		{ BUG_GETTIME_NULL, "efi.time.get.null_time" },
		{ BUG_WAKEUP_DISARM, "efi.wakeup.set.disable" },
		{ BUG_TOO_SMALL_SIZE, "efi.variable.get.too_small" },
		{ BUG_APPEND_REPLACES, "efi.variable.set.append" },
		{ BUG_ONE_GUID, "efi.variable.set.two_guids" },
		{ BUG_ATTR0_KEEPS, "efi.variable.set.delete_attr0" },
		{ BUG_RT_WITHOUT_BS, "efi.variable.set.rt_without_bs" },
		{ BUG_AUTH_WRITE, "efi.variable.set.authenticated_write" },
		{ BUG_NEXT_UNKNOWN, "efi.variable.next.unknown_name" },
		{ BUG_MONO_NULL, "efi.monotonic.null" },
		{ BUG_SVAM_TWICE, "efi.svam.second" },
		{ BUG_BOTH_AUTH, "efi.variable.set.both_auth" },
		{ BUG_WAKEUP_NULL, "efi.wakeup.set.null_time" },
		{ BUG_QVI_STATIC, "efi.variable.query.consistent" },
		{ BUG_CAPSULE_COUNT0, "efi.capsule.update.count0" },
		{ BUG_WAKEUP_NANO, "efi.wakeup.set.invalid_nanosecond" },
		{ BUG_APPEND_NEW, "efi.variable.set.append_create" },
		{ BUG_APPEND_EMPTY, "efi.variable.set.append_empty" },
		{ BUG_BOTH_AUTH_OTHER, "efi.variable.set.both_auth" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		boot(cases[i].bug, ~0u);
		if (verdict(cases[i].label) != 0)
			fprintf(stderr, "  bug %u: %s not failed\n", cases[i].bug,
				cases[i].label);
		CHECK_EQ(verdict(cases[i].label), 0);
	}
	/* A second map taken: runtime services off, the NULL checks after
	 * it are SKIPs. */
	boot(BUG_SVAM_TWICE, ~0u);
	CHECK(!efi.runtime_enabled);
	CHECK_EQ(verdict("efi.monotonic.null"), -1);
	/* The clock is put back even when SetTime took an invalid month. */
	boot(BUG_SETTIME_MONTH13, ~0u);
	CHECK_EQ(clock_now.month, start.month);
}

/* A clock that goes on while slow calls take seconds is on time: the
 * bound is the time the calls took (efi.tsc_khz) plus the slack. Without
 * a TSC rate the calls count as instant, and 20 s is 20 s off. */
static void test_slow_calls_clock(void)
{
	boot(BUG_SLOW_REFUSALS, ~0u);
	CHECK_EQ(verdict("efi.time.set.invalid_unchanged"), 0);
	CHECK(strstr(line_of("efi.time.set.invalid_unchanged"), "the clock went "
		     "on 20 s off, the calls took 0 s, want within 3 s"));
	/* 1 kHz: every TSC tick the checks take is a millisecond, so the
	 * calls took longer than the clock went on. */
	boot_tsc_khz = 1;
	boot(BUG_SLOW_REFUSALS, ~0u);
	boot_tsc_khz = 0;
	CHECK_EQ(verdict("efi.time.set.invalid_unchanged"), 1);
	CHECK_EQ(count(0), 0);
	if (count(0))
		show(0);
}

/* A wrong refusal that the same call, asked again, does not repeat: the
 * line names both answers and the SMIs each took (issue 27). */
static void test_asked_again(void)
{
	const char *line;

	boot(BUG_FLAKY_NO_RT, ~0u);
	CHECK_EQ(flaky_left, 0);
	CHECK_EQ(verdict("efi.variable.set.no_rt_at_runtime"), 0);
	CHECK_EQ(count(0), 1);
	line = line_of("efi.variable.set.no_rt_at_runtime");
	CHECK(strstr(line, "got NOT_FOUND, want INVALID_PARAMETER") &&
	      strstr(line, "; the same call again: got INVALID_PARAMETER: two "
		     "answers to one question, the firmware's; SMIs in the two "
		     "calls: 2 and 1"));
	/* The flaky NOT_FOUND is what the GetVariable before it (vamap's
	 * probe that nothing was created) answered. */
	CHECK(strstr(line, "; the first, NOT_FOUND, is what the call before it "
		     "answered (GetVariable): a reply left over from that "
		     "call, this one unanswered"));
	/* Without a counter the SMIs are left out, not printed as 0; the
	 * same answer twice is not called left over. */
	CHECK(!strcmp(efi_status_again((char[256]){ 0 }, 256, EFI_NOT_FOUND,
				       SMI_UNKNOWN, &efi.before, EFI_NOT_FOUND, 1),
		      "the same call again: got NOT_FOUND, the same answer"));
	/* An answer that is not the call before's is not called so. */
	CHECK(!strstr(efi_status_again((char[256]){ 0 }, 256, EFI_DEVICE_ERROR,
				       1, &(struct efi_answer){ true,
				       RT_GET_VARIABLE, EFI_NOT_FOUND },
				       EFI_INVALID_PARAMETER, 1), "left over"));
}

static void test_stress(void)
{
	static const struct {
		enum bug bug;
		const char *label;
	} cases[] = {
		{ BUG_STRESS_GET, "efi.variable.stress.get" },
		{ BUG_STRESS_NEXT, "efi.variable.stress.next" },
		{ BUG_STRESS_SET, "efi.variable.stress.set" },
		{ BUG_STRESS_QUERY, "efi.variable.stress.query" },
		{ BUG_STRESS_MONO, "efi.monotonic.stress" },
	};
	unsigned int i;
	int v;

	boot_stress(BUG_NONE);
	CHECK_EQ(nresults, 5);
	CHECK_EQ(count(1), 5);
	if (count(0))
		show(0);
	CHECK_EQ(calls[RT_GET_VARIABLE], 1000);
	CHECK_EQ(calls[RT_QUERY_VARIABLE_INFO], 1000);
	CHECK_EQ(calls[RT_SET_VARIABLE], 2 + 265); /* set-up and delete too */
	for (v = 0; v < NVARS; v++) /* every VamapStress* deleted */
		CHECK(!vars[v].used || name_eq(vars[v].name, u"BootOrder"));
	CHECK(efi.mono_seen);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		boot_stress(cases[i].bug);
		if (verdict(cases[i].label) != 0)
			fprintf(stderr, "  bug %u: %s not failed\n", cases[i].bug,
				cases[i].label);
		CHECK_EQ(verdict(cases[i].label), 0);
		CHECK_EQ(count(0), 1);
		for (v = 0; v < NVARS; v++)
			CHECK(!vars[v].used || name_eq(vars[v].name, u"BootOrder"));
	}
}

static void test_monotonic_reset(void)
{
	boot(BUG_NONE, ~0u);
	nresults = 0;
	efi_check_monotonic_reset(EFI_SUCCESS, 0x0000000500000000ull, true, 4);
	CHECK_EQ(verdict("efi.monotonic.reset"), 1);
	nresults = 0;
	efi_check_monotonic_reset(EFI_SUCCESS, 0x0000000500000000ull, true, 5);
	CHECK_EQ(verdict("efi.monotonic.reset"), 0);
	nresults = 0; /* U-Boot: the high word is always 0 */
	efi_check_monotonic_reset(EFI_SUCCESS, 0x11, true, 0);
	CHECK_EQ(verdict("efi.monotonic.reset"), 0);
	nresults = 0;
	efi_check_monotonic_reset(EFI_SUCCESS, 0x0000000500000000ull, false, 0);
	CHECK_EQ(verdict("efi.monotonic.reset"), -1);
	nresults = 0;
	efi_check_monotonic_reset(EFI_DEVICE_ERROR, 0, true, 0);
	CHECK_EQ(verdict("efi.monotonic.reset"), 0);
	/* the boot's count is the floor of what the report keeps */
	boot(BUG_NONE, ~0u);
	efi_check_monotonic_reset(EFI_SUCCESS, 0x0000000900000000ull, false, 0);
	CHECK_EQ(efi.mono_high, 9);
}

static void test_rt_properties_table(void)
{
	u32 no_time = ~0u & ~(efi_rt_supported_bit(RT_SET_TIME) |
			       efi_rt_supported_bit(RT_GET_WAKEUP_TIME) |
			       efi_rt_supported_bit(RT_SET_WAKEUP_TIME));

	boot(BUG_NONE, no_time);
	CHECK_EQ(verdict("efi.rt_properties.unsupported"), 1);
	CHECK_EQ(verdict("efi.time.set.roundtrip"), -1);
	/* Every label appears, as a SKIP where its service is off. */
	CHECK_EQ(verdict("efi.wakeup.set.disable"), -1);
	CHECK_EQ(count(0), 0);
	/* No GetTime: the SetTime checks have nothing to start from, and
	 * each says so, the clock-unchanged one included. */
	boot(BUG_NONE, ~0u & ~efi_rt_supported_bit(RT_GET_TIME));
	CHECK_EQ(verdict("efi.time.set.invalid_month"), -1);
	CHECK_EQ(verdict("efi.time.set.invalid_unchanged"), -1);
	boot(BUG_PROPS_LIE, no_time);
	CHECK_EQ(verdict("efi.rt_properties.unsupported"), 0);
	/* Runtime services off: every check a SKIP, nothing called. */
	bug = BUG_NONE;
	memset(&efi, 0, sizeof(efi));
	efi.rt_supported = ~0u;
	efi.disabled_why = "a firmware fault";
	nresults = 0;
	efi_conformance();
	CHECK(nresults >= 40);
	CHECK_EQ(count(-1), nresults);
}

static void test_time_rules(void)
{
	struct efi_time t = start;

	CHECK(!efi_time_bad_field(&t));
	t.year = 2024, t.month = 2, t.day = 29;
	CHECK(!efi_time_bad_field(&t));
	t.year = 2023;
	CHECK_STR(efi_time_bad_field(&t), "Day");
	t.year = 1900;
	CHECK_STR(efi_time_bad_field(&t), "Day");
	t.year = 2000;
	CHECK(!efi_time_bad_field(&t));
	t.year = 1899;
	CHECK_STR(efi_time_bad_field(&t), "Year");
	t = start;
	t.month = 4, t.day = 31;
	CHECK_STR(efi_time_bad_field(&t), "Day");
	t = start;
	t.daylight = 3;
	CHECK(!efi_time_bad_field(&t));
	t.daylight = 4;
	CHECK_STR(efi_time_bad_field(&t), "Daylight");
	t = start;
	t.timezone = -1440;
	CHECK(!efi_time_bad_field(&t));
	t.timezone = 1441;
	CHECK_STR(efi_time_bad_field(&t), "TimeZone");
	t = start;
	t.year = 10000;
	CHECK_STR(efi_time_bad_field(&t), "Year");
}

static void test_seconds_round_trip(void)
{
	struct efi_time t = start, u;
	s64 s;

	t.year = 1900, t.month = 1, t.day = 1, t.hour = 0, t.minute = 0;
	t.second = 0;
	CHECK_EQ(efi_time_seconds(&t), 0);
	t.year = 1901;
	CHECK_EQ(efi_time_seconds(&t), 365 * 86400);
	t.year = 2000, t.month = 3; /* 1900..1999: 24 leap years; 2000 leap */
	CHECK_EQ(efi_time_seconds(&t), (100 * 365 + 24 + 31 + 29) * 86400LL);
	for (s = 0; s < 8000LL * 365 * 86400; s += 86400 * 97 + 3733) {
		memset(&u, 0, sizeof(u));
		efi_time_set_seconds(&u, s);
		CHECK(!efi_time_bad_field(&u));
		CHECK_EQ(efi_time_seconds(&u), s);
	}
	/* A year back from a leap day's next day, and back again. */
	t = start;
	s = efi_time_seconds(&t);
	efi_time_set_seconds(&t, s + 3600);
	CHECK_EQ(t.hour, 14);
	CHECK_EQ(t.day, 22);
}

/* only=efi.variable.get.: the variable checks that read run, with the
 * variable set.create makes for them (a prerequisite: it runs though not
 * selected); the time checks make no call at all. */
static void test_only(void)
{
	only = "efi.variable.get.";
	boot(BUG_NONE, ~0u);
	only = NULL;
	CHECK_EQ(verdict("efi.variable.get.too_small"), 1);
	CHECK_EQ(verdict("efi.variable.get.one_short"), 1);
	CHECK_EQ(verdict("efi.variable.get.null_name"), 1);
	CHECK_EQ(verdict("efi.time.set.roundtrip"), -1);
	CHECK_EQ(calls[RT_SET_TIME], 0);
	CHECK_EQ(calls[RT_SET_WAKEUP_TIME], 0);
	CHECK(calls[RT_SET_VARIABLE] > 0); /* efi.variable.set.create's */
	CHECK_EQ(count(0), 0);
	if (count(0))
		show(0);
}

/* Every check alone (only=LABEL) passes on a conforming firmware: what it
 * needs runs whatever the selection. */
static void test_each_alone(void)
{
	static char labels[NRESULTS][64];
	int i, n;

	boot(BUG_NONE, ~0u);
	n = nresults;
	for (i = 0; i < n; i++)
		snprintf(labels[i], sizeof(labels[i]), "%s", results[i].label);
	for (i = 0; i < n; i++) {
		only = labels[i];
		boot(BUG_NONE, ~0u);
		only = NULL;
		if (count(0)) {
			fprintf(stderr, "  only=%s:\n", labels[i]);
			show(0);
		}
		CHECK_EQ(count(0), 0);
		CHECK(verdict(labels[i]) != -2);
	}
}

/* The deprecated AUTHENTICATED_WRITE_ACCESS: UNSUPPORTED (UEFI 2.10) and
 * INVALID_PARAMETER (a reserved bit: 2.10 Errata A, 2.11, EDK2 2025)
 * both pass; another refusal fails. */
static void test_auth_write_statuses(void)
{
	auth_status = EFI_INVALID_PARAMETER;
	boot(BUG_NONE, ~0u);
	CHECK_EQ(verdict("efi.variable.set.authenticated_write"), 1);
	CHECK_EQ(count(0), 0);
	auth_status = EFI_NOT_FOUND; /* a refusal, but no spec version's */
	boot(BUG_NONE, ~0u);
	CHECK_EQ(verdict("efi.variable.set.authenticated_write"), 0);
	auth_status = EFI_UNSUPPORTED;
}

int main(void)
{
	run_test("AUTHENTICATED_WRITE_ACCESS: either spec version's refusal",
		 test_auth_write_statuses);
	run_test("only=: unselected checks make no call, prerequisites run",
		 test_only);
	run_test("only=LABEL: every check alone passes on a good firmware",
		 test_each_alone);
	run_test("EFI_TIME rules (UEFI 2.10 8.3.1)", test_time_rules);
	run_test("seconds <-> EFI_TIME round trip", test_seconds_round_trip);
	run_test("a conforming firmware passes and is left as found",
		 test_good_firmware_passes_and_is_left_as_found);
	run_test("each simulated firmware bug fails its own check",
		 test_each_bug_fails_its_check);
	run_test("a wrong refusal asked again: both answers, their SMIs",
		 test_asked_again);
	run_test("the clock's bound: the time slow calls took, plus the slack",
		 test_slow_calls_clock);
	run_test("stress loops: pass, each failing on its bug, store left clean",
		 test_stress);
	run_test("monotonic high word across a reset", test_monotonic_reset);
	run_test("the RT properties table: SKIPs, lies caught",
		 test_rt_properties_table);
	return check_exit();
}
