// SPDX-License-Identifier: MIT
/*
 * Runtime-service conformance, from UEFI 2.10 chapter 8 (Services -
 * Runtime Services): for each service what it must return for good and
 * bad arguments, and that what it reports holds. fwts's uefirttime,
 * uefirtvariable and uefirtmisc cover the same ground from Linux; here it
 * runs after vamap's own SetVirtualAddressMap, in efi_pgd. Each assertion
 * is one KTAP line with a stable label (docs/checks.md lists them).
 *
 * Order matters: the calls with a NULL argument come last, because a
 * firmware that writes through one faults, and then runtime services are
 * off for the rest. Everything written is put back: the clock (shifted by
 * the time the checks took), the wake-up timer, and only variables under
 * vamap's own GUIDs, each deleted at the end.
 */
#include "efi_conform.h"
#include "efi_state.h"
#include "kernel.h"
#include "ktap.h"
#include "printf.h"
#include "smi.h"
#include "vamap_guid.h"
#include "x86.h"

#define EFI_TIME_ADJUST_DAYLIGHT 0x01
#define EFI_TIME_IN_DAYLIGHT 0x02
#define EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS 0x10
#define EFI_VARIABLE_TIME_BASED_AUTH 0x20 /* ..._AUTHENTICATED_WRITE_ACCESS */
#define EFI_VARIABLE_APPEND_WRITE 0x40
#define EFI_VARIABLE_ENHANCED_AUTH 0x80 /* ..._AUTHENTICATED_ACCESS */
#define CLOCK_SLACK 3 /* seconds a read-back may be late by */

/* vamap's second vendor GUID, for "one name under two GUIDs". */
static const struct efi_guid vamap_guid2 = VAMAP_VENDOR_GUID2_INIT;

/* ------------------------------------------------------------ the rules */

static bool leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned int days_in_month(unsigned int y, unsigned int m)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

const char *efi_time_bad_field(const struct efi_time *t)
{
	if (t->year < 1900 || t->year > 9999)
		return "Year";
	if (t->month < 1 || t->month > 12)
		return "Month";
	if (t->day < 1 || t->day > days_in_month(t->year, t->month))
		return "Day";
	if (t->hour > 23)
		return "Hour";
	if (t->minute > 59)
		return "Minute";
	if (t->second > 59)
		return "Second";
	if (t->nanosecond > 999999999u)
		return "Nanosecond";
	if (t->timezone != EFI_UNSPECIFIED_TIMEZONE &&
	    (t->timezone < -1440 || t->timezone > 1440))
		return "TimeZone";
	if (t->daylight & ~(EFI_TIME_ADJUST_DAYLIGHT | EFI_TIME_IN_DAYLIGHT))
		return "Daylight";
	return NULL;
}

/* Leap years in [1, y]. */
static s64 leaps_to(s64 y)
{
	return y / 4 - y / 100 + y / 400;
}

/* Days from 1900-01-01 to y-m-d (proleptic Gregorian, y >= 1900). */
static s64 days_since_1900(unsigned int y, unsigned int m, unsigned int d)
{
	s64 n = (s64)(y - 1900) * 365 + leaps_to(y - 1) - leaps_to(1899);
	unsigned int i;

	for (i = 1; i < m; i++)
		n += days_in_month(y, i);
	return n + d - 1;
}

s64 efi_time_seconds(const struct efi_time *t)
{
	return days_since_1900(t->year, t->month, t->day) * 86400 +
	       t->hour * 3600 + t->minute * 60 + t->second;
}

void efi_time_set_seconds(struct efi_time *t, s64 s)
{
	s64 days = s / 86400, rest = s % 86400;
	unsigned int y = 1900, m = 1;

	while (days >= (leap(y) ? 366 : 365))
		days -= leap(y++) ? 366 : 365;
	while (days >= days_in_month(y, m))
		days -= days_in_month(y, m++);
	t->year = (u16)y;
	t->month = (u8)m;
	t->day = (u8)(days + 1);
	t->hour = (u8)(rest / 3600);
	t->minute = (u8)(rest / 60 % 60);
	t->second = (u8)(rest % 60);
}

/* ------------------------------------------------------------- helpers */

bool efi_usable(const char *label, unsigned int svc)
{
	return efi_usable_prereq(label, svc, false);
}

bool efi_usable_prereq(const char *label, unsigned int svc, bool needed)
{
	if (!needed && !ktap_selected(label)) {
		ktap_skip(label, "not selected"); /* and calls nothing */
		return false;
	}
	if (efi.mode == EFI_MODE_NORUNTIME) {
		ktap_skip(label, "%s", efi.disabled_why);
		return false;
	}
	if (!efi.runtime_enabled) {
		ktap_skip(label, "runtime services off: %s", efi.disabled_why);
		return false;
	}
	if (!(efi.rt_supported & efi_rt_supported_bit(svc))) {
		ktap_skip(label, "%s unsupported (RT properties table)",
			  efi_rt_service_name(svc));
		return false;
	}
	return true;
}

/*
 * @call answered @st; UEFI 2.10 @clause allows @want[0..@n) (the statuses
 * docs/checks.md's *Statuses* table lists for @label, with the errata's
 * changes). One line either way, "CALL: got X, want Y (UEFI 2.10
 * CLAUSE)"; an UNSUPPORTED from a service the RT properties table
 * declares supported says so.
 */
static void expect_one_of(const char *label, efi_status_t st,
			  const efi_status_t *want, unsigned int n,
			  const char *call, const char *clause)
{
	char wants[80];
	bool ok = false;
	unsigned int i;

	for (i = 0; i < n; i++)
		ok |= st == want[i];
	ktap_result(ok, label, "%s: got %s, want %s (UEFI 2.10 %s)%s", call,
		    efi_status_name(st), efi_status_list(wants, sizeof(wants),
							 want, n),
		    clause, !ok && st == EFI_UNSUPPORTED && efi.have_rt_properties
			    ? "; the RT properties table declares it supported"
			    : "");
}

static void expect(const char *label, efi_status_t st, efi_status_t want,
		   const char *call, const char *clause)
{
	expect_one_of(label, st, &want, 1, call, clause);
}

/* The reads start from a zeroed EFI_TIME: firmware need not write Pad1 and
 * Pad2 (OVMF does not), and a time vamap hands back to SetTime or
 * SetWakeupTime must not carry stack bytes into the variable store. */
static efi_status_t get_time(struct efi_time *t)
{
	memset(t, 0, sizeof(*t));
	return efi_call(RT_GET_TIME, 2, (u64)t, (u64)0);
}

static efi_status_t get_wakeup(u8 *enabled, u8 *pending, struct efi_time *t)
{
	memset(t, 0, sizeof(*t));
	return efi_call(RT_GET_WAKEUP_TIME, 3, (u64)enabled, (u64)pending, (u64)t);
}

static efi_status_t set_time(const struct efi_time *t)
{
	return efi_call(RT_SET_TIME, 1, (u64)t);
}

/* Does variable @name hold exactly @size bytes of @data, attributes @attr? */
static bool var_is(const u16 *name, const struct efi_guid *g, const void *data,
		   u64 size, u32 attr, efi_status_t *st)
{
	u8 buf[64];
	u64 got = sizeof(buf);
	u32 a = 0;

	*st = efi_get_variable(name, g, &a, &got, buf);
	return *st == EFI_SUCCESS && got == size && a == attr &&
	       !memcmp(buf, data, size);
}

/* GetVariable's answer for @name into a small buffer: NOT_FOUND when it
 * is gone. */
static efi_status_t var_probe(const u16 *name, const struct efi_guid *g)
{
	u8 buf[8];
	u64 size = sizeof(buf);
	u32 a;

	return efi_get_variable(name, g, &a, &size, buf);
}

/* SKIP lines for @n checks that depend on one that could not run. */
static void skip_rest(const char *const *labels, unsigned int n, const char *why)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ktap_skip(labels[i], "%s", why);
}

/* ----------------------------------------------------------------- time */

/* The clock as it was at @before, plus the seconds since: a read-back of
 * the clock we set (@set, read as @now) tells how long it ran. */
static void restore_clock(const struct efi_time *orig, const struct efi_time *set,
			  const struct efi_time *now)
{
	struct efi_time t = *orig;

	efi_time_set_seconds(&t, efi_time_seconds(orig) +
				       (efi_time_seconds(now) - efi_time_seconds(set)));
	if (set_time(&t) != EFI_SUCCESS)
		kprintf("efi: conformance: the clock could not be put back to "
			"%04u-%02u-%02u %02u:%02u:%02u\n", t.year, t.month, t.day,
			t.hour, t.minute, t.second);
}

/* Whole seconds of TSC time since @tsc0 (0 without a TSC rate): how long
 * the calls between two readings of the clock took. A slow CPU, a loaded
 * host or SMIs another CPU pulls the caller into make them take seconds
 * (test=smi-ipi: 11 s over the refused SetTime calls), and the clock
 * rightly goes on by as much. */
static s64 seconds_since(u64 tsc0)
{
	if (!efi.tsc_khz)
		return 0;
	return (s64)((rdtsc() - tsc0) / (efi.tsc_khz * 1000));
}

/* A read-back @d seconds after the time set or read, @e whole seconds of
 * calls later: on time when it is not earlier and at most CLOCK_SLACK
 * later than the calls took. */
static bool clock_on_time(s64 d, s64 e)
{
	return d >= 0 && d <= e + CLOCK_SLACK;
}

/* How far off a read-back of the clock was: "within N s" when it is on
 * time (how far within follows the host's speed, and the boot tests'
 * logs stay the same), else the seconds and how long the calls took. */
static const char *seconds_off(s64 d, s64 e, char *buf, size_t len)
{
	if (clock_on_time(d, e))
		ksnprintf(buf, len, "within %d s", CLOCK_SLACK);
	else
		ksnprintf(buf, len, "%ld s off, the calls took %ld s", (long)d,
			  (long)e);
	return buf;
}

static void check_set_time(void)
{
	char off[48];
	struct efi_time orig, set, now;
	efi_status_t st;
	u64 tsc0;
	s64 d, e;

	if (!efi_usable("efi.time.set.roundtrip", RT_SET_TIME))
		return;
	if (get_time(&orig) != EFI_SUCCESS || efi_time_bad_field(&orig)) {
		ktap_skip("efi.time.set.roundtrip", "GetTime gave no valid time "
			  "to start from");
		return;
	}
	/* A year back, same wall time: valid for any valid start. */
	set = orig;
	set.year = (u16)(orig.year > 1900 ? orig.year - 1 : orig.year + 1);
	if (set.month == 2 && set.day == 29)
		set.day = 28;
	set.nanosecond = 0;
	tsc0 = rdtsc();
	st = set_time(&set);
	if (st != EFI_SUCCESS) {
		expect("efi.time.set.roundtrip",
		       st, EFI_SUCCESS,
		       "SetTime", "8.3.2");
		return;
	}
	st = get_time(&now);
	if (st != EFI_SUCCESS) {
		expect("efi.time.set.roundtrip",
		       st, EFI_SUCCESS,
		       "GetTime after SetTime", "8.3.1");
		restore_clock(&orig, &set, &set);
		return;
	}
	d = efi_time_seconds(&now) - efi_time_seconds(&set);
	e = seconds_since(tsc0);
	ktap_result(clock_on_time(d, e), "efi.time.set.roundtrip",
		    "SetTime(%04u-%02u-%02u %02u:%02u:%02u): got SUCCESS, want "
		    "SUCCESS; GetTime read it back %s, want within %d s (UEFI "
		    "2.10 8.3.2)", set.year, set.month, set.day, set.hour,
		    set.minute, set.second, seconds_off(d, e, off, sizeof(off)),
		    CLOCK_SLACK);
	restore_clock(&orig, &set, &now);
}

/* One field out of range each (UEFI 2.10 8.3.1's rules), for SetTime and
 * SetWakeupTime: label suffix, field, value. */
static const struct {
	const char *name;
	unsigned int field; /* 0 year 1 month 2 day ... */
	s32 value;
} invalid_times[] = {
	{ "year", 0, 1899 },
	{ "month", 1, 13 },
	{ "day", 2, 32 },
	{ "day_in_month", 3, 30 }, /* 30 February */
	{ "hour", 4, 24 },
	{ "minute", 5, 60 },
	{ "second", 6, 60 },
	{ "nanosecond", 7, 1000000000 },
	{ "timezone", 8, 1441 },
	{ "daylight", 9, 0x04 },
};

static void set_invalid_field(struct efi_time *t, unsigned int i)
{
	s32 v = invalid_times[i].value;

	switch (invalid_times[i].field) {
	case 0: t->year = (u16)v; break;
	case 1: t->month = (u8)v; break;
	case 2: t->day = (u8)v; break;
	case 3: t->month = 2; t->day = (u8)v; break;
	case 4: t->hour = (u8)v; break;
	case 5: t->minute = (u8)v; break;
	case 6: t->second = (u8)v; break;
	case 7: t->nanosecond = (u32)v; break;
	case 8: t->timezone = (s16)v; break;
	default: t->daylight = (u8)v; break;
	}
}

/* SetTime with one field out of range: INVALID_PARAMETER, and the clock
 * as it was. */
static void check_set_time_invalid(void)
{
	char label[48], call[48], off[48];
	struct efi_time orig, t, now;
	unsigned int i;
	efi_status_t st;
	u64 tsc0 = rdtsc();
	s64 d, e;

	if (get_time(&orig) != EFI_SUCCESS || efi_time_bad_field(&orig)) {
		for (i = 0; i <= ARRAY_SIZE(invalid_times); i++) {
			ksnprintf(label, sizeof(label), "efi.time.set.invalid_%s",
				  i < ARRAY_SIZE(invalid_times)
					  ? invalid_times[i].name : "unchanged");
			if (efi_usable(label, RT_SET_TIME))
				ktap_skip(label, "GetTime gave no valid time to "
					  "start from");
		}
		return;
	}
	for (i = 0; i < ARRAY_SIZE(invalid_times); i++) {
		ksnprintf(label, sizeof(label), "efi.time.set.invalid_%s",
			  invalid_times[i].name);
		if (!efi_usable(label, RT_SET_TIME))
			continue;
		t = orig;
		set_invalid_field(&t, i);
		ksnprintf(call, sizeof(call), "SetTime(%s out of range)",
			  efi_time_bad_field(&t));
		st = set_time(&t);
		expect(label, st, EFI_INVALID_PARAMETER, call, "8.3.2");
		if (st == EFI_SUCCESS && get_time(&now) == EFI_SUCCESS)
			restore_clock(&orig, &t, &now);
	}
	if (!efi_usable("efi.time.set.invalid_unchanged", RT_SET_TIME))
		return;
	st = get_time(&now);
	d = efi_time_seconds(&now) - efi_time_seconds(&orig);
	e = seconds_since(tsc0);
	ktap_result(st == EFI_SUCCESS && clock_on_time(d, e),
		    "efi.time.set.invalid_unchanged", "GetTime: got %s, want "
		    "SUCCESS; over the refused SetTime calls the clock went on "
		    "%s, want within %d s (UEFI 2.10 8.3.2)", efi_status_name(st),
		    seconds_off(d, e, off, sizeof(off)), CLOCK_SLACK);
}

/* Is any wake-up label after the round trip selected (only=, skip=)? */
static bool wakeup_rest_selected(void)
{
	char label[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(invalid_times); i++) {
		ksnprintf(label, sizeof(label), "efi.wakeup.set.invalid_%s",
			  invalid_times[i].name);
		if (ktap_selected(label))
			return true;
	}
	return ktap_selected("efi.wakeup.set.disable");
}

/* Every wake-up label after the round trip, SKIPs with @why. */
static void skip_wakeup_rest(const char *why)
{
	char label[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(invalid_times); i++) {
		ksnprintf(label, sizeof(label), "efi.wakeup.set.invalid_%s",
			  invalid_times[i].name);
		ktap_skip(label, "%s", why);
	}
	ktap_skip("efi.wakeup.set.disable", "%s", why);
}

static void check_wakeup(void)
{
	struct efi_time orig, want, got;
	u8 enabled = 0, pending = 0, was_enabled;
	char label[48], call[56];
	unsigned int i;
	efi_status_t st, st2;

	if (!efi_usable_prereq("efi.wakeup.set.roundtrip", RT_SET_WAKEUP_TIME,
			       wakeup_rest_selected())) {
		skip_wakeup_rest("needs efi.wakeup.set.roundtrip");
		return;
	}
	st = get_wakeup(&enabled, &pending, &orig);
	if (st != EFI_SUCCESS || get_time(&want) != EFI_SUCCESS) {
		ktap_skip("efi.wakeup.set.roundtrip", "GetWakeupTime returned %s",
			  efi_status_name(st));
		skip_wakeup_rest("needs efi.wakeup.set.roundtrip");
		return;
	}
	was_enabled = enabled;
	/* The coming midnight: within a day, as OVMF requires (a time further
	 * out is UNSUPPORTED there), and the same time for every run on one
	 * day (OVMF keeps it in a variable; a time that moved with the clock
	 * made runs an hour apart leave different stores). */
	efi_time_set_seconds(&want, (efi_time_seconds(&want) / 86400 + 1) * 86400);
	want.nanosecond = 0;
	st = efi_call(RT_SET_WAKEUP_TIME, 2, (u64)1, (u64)&want);
	if (st != EFI_SUCCESS) {
		expect("efi.wakeup.set.roundtrip",
		       st,
		       EFI_SUCCESS, "SetWakeupTime(TRUE)", "8.3.4");
		skip_wakeup_rest("needs efi.wakeup.set.roundtrip");
		return;
	}
	enabled = 0;
	st = get_wakeup(&enabled, &pending, &got);
	ktap_result(st == EFI_SUCCESS && enabled == 1 && got.year == want.year &&
		    got.month == want.month && got.day == want.day &&
		    got.hour == want.hour && got.minute == want.minute,
		    "efi.wakeup.set.roundtrip", "SetWakeupTime(TRUE, %04u-%02u-%02u "
		    "%02u:%02u:%02u): got SUCCESS, want SUCCESS; GetWakeupTime: got "
		    "%s, Enabled %u, %04u-%02u-%02u %02u:%02u:%02u, want SUCCESS, "
		    "Enabled 1, the time set (UEFI 2.10 8.3.3, 8.3.4)", want.year,
		    want.month, want.day, want.hour, want.minute, want.second,
		    efi_status_name(st), enabled, got.year, got.month, got.day,
		    got.hour, got.minute, got.second);
	/* One field out of range each, then an enable with no time:
	 * INVALID_PARAMETER (UEFI 2.10 8.3.4). A firmware that takes one is
	 * disarmed below all the same. */
	for (i = 0; i < ARRAY_SIZE(invalid_times); i++) {
		ksnprintf(label, sizeof(label), "efi.wakeup.set.invalid_%s",
			  invalid_times[i].name);
		if (!efi_usable(label, RT_SET_WAKEUP_TIME))
			continue;
		got = want;
		set_invalid_field(&got, i);
		ksnprintf(call, sizeof(call), "SetWakeupTime(TRUE, %s out of "
			  "range)", efi_time_bad_field(&got));
		expect(label, efi_call(RT_SET_WAKEUP_TIME, 2, (u64)1, (u64)&got),
		       EFI_INVALID_PARAMETER, call, "8.3.4");
	}

	if (!efi_usable("efi.wakeup.set.disable", RT_SET_WAKEUP_TIME))
		return;
	/* Disabled, Time may be NULL (UEFI 2.10 8.3.4). */
	st = efi_call(RT_SET_WAKEUP_TIME, 2, (u64)0, (u64)0);
	enabled = 1;
	st2 = st == EFI_SUCCESS ? get_wakeup(&enabled, &pending, &got)
				: EFI_ABORTED;
	ktap_result(st == EFI_SUCCESS && st2 == EFI_SUCCESS && enabled == 0,
		    "efi.wakeup.set.disable", "SetWakeupTime(FALSE, NULL): got "
		    "%s, want SUCCESS; GetWakeupTime: got %s, Enabled %u, want "
		    "SUCCESS, Enabled 0 (UEFI 2.10 8.3.4)", efi_status_name(st),
		    st == EFI_SUCCESS ? efi_status_name(st2) : "not asked",
		    enabled);
	if (was_enabled)
		efi_call(RT_SET_WAKEUP_TIME, 2, (u64)1, (u64)&orig);
}

/* ------------------------------------------------------------ variables */

struct query {
	u64 max_storage, remaining, max_size;
};

static efi_status_t query_info(u32 attr, struct query *q)
{
	memset(q, 0, sizeof(*q));
	return efi_query_variable_info(attr, &q->max_storage, &q->remaining,
				       &q->max_size);
}

/* QueryVariableInfo for each attribute class a runtime caller may ask
 * about, and one it may not (UEFI 2.10 8.2.4). */
static void check_query_classes(void)
{
	struct query q;
	efi_status_t st;

	if (efi_usable("efi.variable.query.volatile", RT_QUERY_VARIABLE_INFO)) {
		st = query_info(EFI_VARIABLE_BOOTSERVICE_ACCESS |
				EFI_VARIABLE_RUNTIME_ACCESS, &q);
		if (st == EFI_SUCCESS)
			ktap_result(q.remaining <= q.max_storage &&
					    q.max_size <= q.max_storage,
				    "efi.variable.query.volatile", "QueryVariable"
				    "Info(BS|RT): got SUCCESS, want SUCCESS; storage "
				    "%lu, remaining %lu, largest %lu, want neither "
				    "above storage (UEFI 2.10 8.2.4)",
				    (unsigned long)q.max_storage,
				    (unsigned long)q.remaining,
				    (unsigned long)q.max_size);
		else
			expect("efi.variable.query.volatile", st, EFI_SUCCESS,
			       "QueryVariableInfo(BS|RT)", "8.2.4");
	}
	if (efi_usable("efi.variable.query.rt_without_bs", RT_QUERY_VARIABLE_INFO))
		expect("efi.variable.query.rt_without_bs",
		       query_info(EFI_VARIABLE_NON_VOLATILE |
				  EFI_VARIABLE_RUNTIME_ACCESS, &q),
		       EFI_INVALID_PARAMETER, "QueryVariableInfo(NV|RT): runtime "
		       "access needs boot-service access", "8.2.4");
}

/* ------------------------------------------------------------- capsules */

#define CAPSULE_PERSIST 0x00010000u	  /* CAPSULE_FLAGS_PERSIST_ACROSS_RESET */
#define CAPSULE_POPULATE 0x00020000u  /* CAPSULE_FLAGS_POPULATE_SYSTEM_TABLE */
#define CAPSULE_INITIATE 0x00040000u  /* CAPSULE_FLAGS_INITIATE_RESET */

struct capsule_header {
	struct efi_guid guid;
	u32 header_size;
	u32 flags;
	u32 image_size;
};

/*
 * QueryCapsuleCapabilities with the flag combinations an OS sends (a
 * capsule of vamap's own GUID, which no firmware knows: SUCCESS or
 * UNSUPPORTED, both answers), one it must refuse, and UpdateCapsule with
 * nothing in it (UEFI 2.10 8.5.3). Nothing is ever delivered.
 */
static void check_capsules(void)
{
	static const u32 flags[] = { 0, CAPSULE_PERSIST,
				     CAPSULE_PERSIST | CAPSULE_POPULATE,
				     CAPSULE_PERSIST | CAPSULE_POPULATE |
					     CAPSULE_INITIATE };
	static struct capsule_header h __efi_shared;
	static u64 array[2] __efi_shared;
	u64 max_size = 0;
	u32 reset = 0;
	unsigned int i, ok = 0, unsupported = 0, no_room = 0;
	efi_status_t st = EFI_SUCCESS;

	memset(&h, 0, sizeof(h));
	h.guid = efi_vamap_guid;
	h.header_size = sizeof(h);
	h.image_size = sizeof(h);
	array[0] = (u64)&h;
	array[1] = 0;
	/* SUCCESS with a ResetType; UNSUPPORTED, a capsule type it does not
	 * know; OUT_OF_RESOURCES, one it knows but cannot take at runtime
	 * (UEFI 2.10 8.5.3). */
	if (efi_usable("efi.capsule.query.flags", RT_QUERY_CAPSULE_CAPABILITIES)) {
		for (i = 0; i < ARRAY_SIZE(flags); i++) {
			h.flags = flags[i];
			st = efi_call(RT_QUERY_CAPSULE_CAPABILITIES, 4, (u64)array,
				      (u64)1, (u64)&max_size, (u64)&reset);
			if (st == EFI_SUCCESS && reset <= 3)
				ok++;
			else if (st == EFI_UNSUPPORTED)
				unsupported++;
			else if (st == EFI_OUT_OF_RESOURCES)
				no_room++;
			else
				break;
		}
		if (i < ARRAY_SIZE(flags))
			ktap_result(false, "efi.capsule.query.flags", "flags 0x%x: "
				    "got %s%s, want SUCCESS with a ResetType, "
				    "UNSUPPORTED or OUT_OF_RESOURCES (UEFI 2.10 "
				    "8.5.3)", flags[i], efi_status_name(st),
				    st == EFI_SUCCESS ? " with ResetType out of range"
						      : "");
		else
			ktap_result(true, "efi.capsule.query.flags", "%u flag "
				    "combinations: got %u SUCCESS, %u UNSUPPORTED, "
				    "%u OUT_OF_RESOURCES, want SUCCESS with a "
				    "ResetType, UNSUPPORTED or OUT_OF_RESOURCES "
				    "(UEFI 2.10 8.5.3)", i, ok, unsupported, no_room);
	}
	/* POPULATE_SYSTEM_TABLE without PERSIST_ACROSS_RESET: the flags
	 * QueryCapsuleCapabilities checks, refused as UpdateCapsule refuses
	 * them; or UNSUPPORTED, vamap's capsule type being one no firmware
	 * knows (UEFI 2.10 8.5.3). */
	if (efi_usable("efi.capsule.query.populate_alone",
		       RT_QUERY_CAPSULE_CAPABILITIES)) {
		static const efi_status_t refusals[] = { EFI_INVALID_PARAMETER,
							 EFI_UNSUPPORTED };

		h.flags = CAPSULE_POPULATE;
		expect_one_of("efi.capsule.query.populate_alone",
			      efi_call(RT_QUERY_CAPSULE_CAPABILITIES, 4,
				       (u64)array, (u64)1, (u64)&max_size,
				       (u64)&reset),
			      refusals, ARRAY_SIZE(refusals),
			      "QueryCapsuleCapabilities(POPULATE_SYSTEM_TABLE "
			      "without PERSIST_ACROSS_RESET)", "8.5.3");
	}
	if (efi_usable("efi.capsule.update.count0", RT_UPDATE_CAPSULE))
		expect("efi.capsule.update.count0",
		       efi_call(RT_UPDATE_CAPSULE, 3, (u64)array, (u64)0, (u64)0),
		       EFI_INVALID_PARAMETER, "UpdateCapsule(CapsuleCount 0)",
		       "8.5.3");
}

/* A write that must be taken (@st) and read back (@read_ok; GetVariable
 * answered @st2). */
static void written(const char *label, const char *call, efi_status_t st,
		    bool read_ok, efi_status_t st2, const char *clause)
{
	ktap_result(st == EFI_SUCCESS && read_ok, label, "%s: got %s, want "
		    "SUCCESS; GetVariable: got %s, want SUCCESS with the data "
		    "written (UEFI 2.10 %s)", call, efi_status_name(st),
		    st == EFI_SUCCESS ? efi_status_name(st2) : "not asked", clause);
}

/* A delete (@st) after which @name must be gone. */
static void deleted(const char *label, const char *call, efi_status_t st,
		    const u16 *name, const struct efi_guid *g)
{
	efi_status_t st2 = var_probe(name, g);

	ktap_result(st == EFI_SUCCESS && st2 == EFI_NOT_FOUND, label, "%s: got "
		    "%s, want SUCCESS; GetVariable: got %s, want NOT_FOUND (UEFI "
		    "2.10 8.2.3)", call, efi_status_name(st), efi_status_name(st2));
}

static void check_variables(void)
{
	static const u16 name[] = u"VamapConform";
	static const u16 similar[] = u"VamapConform2";
	static const u8 a[16] = "vamap conform A";
	static const u8 b[24] = "vamap conform B, longer";
	static const u8 tail[4] = "+app";
	static const char *const rest[] = {
		"efi.variable.get.too_small", "efi.variable.get.one_short",
		"efi.variable.get.null_attributes", "efi.variable.set.same_data",
		"efi.variable.set.new_data", "efi.variable.set.append",
		"efi.variable.set.two_guids", "efi.variable.set.delete_size0",
		"efi.variable.set.delete_attr0", "efi.variable.set.rt_without_bs",
		"efi.variable.set.no_rt_at_runtime", "efi.variable.set.bs_only",
		"efi.variable.set.authenticated_write",
		"efi.variable.set.both_auth", "efi.variable.query.consistent",
	};
	/* @alt: a second status the spec's versions allow (0: none); it
	 * follows @want, for efi_status_list. */
	static const struct {
		const char *label, *attrs, *why;
		u32 attr;
		efi_status_t want, alt;
	} refused[] = {
		{ "efi.variable.set.rt_without_bs", "NV|RT", "runtime access "
		  "needs boot-service access", EFI_VARIABLE_NON_VOLATILE |
		  EFI_VARIABLE_RUNTIME_ACCESS, EFI_INVALID_PARAMETER, 0 },
		{ "efi.variable.set.no_rt_at_runtime", "NV|BS after "
		  "ExitBootServices", "only RUNTIME_ACCESS variables can be set",
		  EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS,
		  EFI_INVALID_PARAMETER, 0 },
		{ "efi.variable.set.bs_only", "BS after ExitBootServices",
		  "only RUNTIME_ACCESS variables can be set",
		  EFI_VARIABLE_BOOTSERVICE_ACCESS, EFI_INVALID_PARAMETER, 0 },
		/* UEFI 2.10 deprecates the bit (UNSUPPORTED); 2.10 Errata A
		 * and 2.11 make it a reserved bit, refused as any
		 * (INVALID_PARAMETER: EDK2 2025 without authenticated
		 * variables). Either refusal, nothing created, is right. */
		{ "efi.variable.set.authenticated_write", "AUTHENTICATED_WRITE_ACCESS",
		  "deprecated, platforms should return UNSUPPORTED; 2.10 Errata "
		  "A and 2.11: a reserved bit, an invalid combination",
		  NV_BS_RT | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS,
		  EFI_UNSUPPORTED, EFI_INVALID_PARAMETER },
		/* "the firmware must return EFI_INVALID_PARAMETER". */
		{ "efi.variable.set.both_auth", "TIME_BASED_AUTHENTICATED_WRITE_ACCESS"
		  "|ENHANCED_AUTHENTICATED_ACCESS", "one authentication method "
		  "per variable", NV_BS_RT | EFI_VARIABLE_TIME_BASED_AUTH |
		  EFI_VARIABLE_ENHANCED_AUTH, EFI_INVALID_PARAMETER, 0 },
	};
	u8 buf[64], appended[sizeof(b) + sizeof(tail)];
	struct query q0;
	bool have_qvi, needed, ok;
	u64 size;
	u32 attr;
	unsigned int i;
	efi_status_t st, st2 = EFI_NOT_FOUND;

	memcpy(appended, b, sizeof(b));
	memcpy(appended + sizeof(b), tail, sizeof(tail));

	for (i = 0, needed = false; i < ARRAY_SIZE(rest); i++)
		needed |= ktap_selected(rest[i]);
	if (!efi_usable_prereq("efi.variable.set.create", RT_SET_VARIABLE, needed)) {
		skip_rest(rest, ARRAY_SIZE(rest), "needs a variable of vamap's: "
			  "efi.variable.set.create skipped");
		goto next_name;
	}
	have_qvi = (efi.rt_supported &
		    efi_rt_supported_bit(RT_QUERY_VARIABLE_INFO)) &&
		   query_info(NV_BS_RT, &q0) == EFI_SUCCESS;
	st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, sizeof(a), a);
	ok = st == EFI_SUCCESS && var_is(name, &efi_vamap_guid, a, sizeof(a),
					 NV_BS_RT, &st2);
	ktap_result(ok, "efi.variable.set.create", "SetVariable(NV|BS|RT, %lu "
		    "bytes): got %s, want SUCCESS; GetVariable: got %s, want "
		    "SUCCESS with that data and NV|BS|RT (UEFI 2.10 8.2.1, 8.2.3)",
		    (unsigned long)sizeof(a), efi_status_name(st),
		    st == EFI_SUCCESS ? efi_status_name(st2) : "not asked");
	if (!ok) {
		skip_rest(rest, ARRAY_SIZE(rest), "needs a variable of vamap's: "
			  "efi.variable.set.create failed");
		efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, 0, NULL);
		goto next_name;
	}

	/* QueryVariableInfo saw the variable go in: the space left shrank by
	 * at least its data (UEFI 2.10 8.2.4). */
	if (efi_usable("efi.variable.query.consistent", RT_QUERY_VARIABLE_INFO)) {
		struct query q1;

		st = have_qvi ? query_info(NV_BS_RT, &q1) : EFI_ABORTED;
		if (!have_qvi)
			ktap_skip("efi.variable.query.consistent", "QueryVariableInfo "
				  "failed before the variable was created");
		else if (st != EFI_SUCCESS)
			expect("efi.variable.query.consistent", st, EFI_SUCCESS,
			       "QueryVariableInfo(NV|BS|RT)", "8.2.4");
		else
			ktap_result(q1.remaining + sizeof(a) <= q0.remaining &&
					    q1.max_storage == q0.max_storage,
				    "efi.variable.query.consistent", "QueryVariable"
				    "Info(NV|BS|RT): got SUCCESS, want SUCCESS; a "
				    "%lu-byte variable created: remaining %lu -> %lu "
				    "bytes, want at least %lu less; storage %lu -> "
				    "%lu, want the same (UEFI 2.10 8.2.4)",
				    (unsigned long)sizeof(a),
				    (unsigned long)q0.remaining,
				    (unsigned long)q1.remaining,
				    (unsigned long)sizeof(a),
				    (unsigned long)q0.max_storage,
				    (unsigned long)q1.max_storage);
	}

	/* GetVariable, DataSize too small: BUFFER_TOO_SMALL and the size. */
	size = 0;
	st = efi_get_variable(name, &efi_vamap_guid, &attr, &size, NULL);
	ktap_result(st == EFI_BUFFER_TOO_SMALL && size == sizeof(a),
		    "efi.variable.get.too_small", "GetVariable(DataSize 0): got "
		    "%s, DataSize %lu, want BUFFER_TOO_SMALL, DataSize %lu (UEFI "
		    "2.10 8.2.1)", efi_status_name(st), (unsigned long)size,
		    (unsigned long)sizeof(a));
	size = sizeof(a) - 1;
	st = efi_get_variable(name, &efi_vamap_guid, &attr, &size, buf);
	ktap_result(st == EFI_BUFFER_TOO_SMALL && size == sizeof(a),
		    "efi.variable.get.one_short", "GetVariable(DataSize %lu): got "
		    "%s, DataSize %lu, want BUFFER_TOO_SMALL, DataSize %lu (UEFI "
		    "2.10 8.2.1)", (unsigned long)sizeof(a) - 1,
		    efi_status_name(st), (unsigned long)size,
		    (unsigned long)sizeof(a));
	/* Attributes is OPTIONAL. */
	size = sizeof(buf);
	st = efi_get_variable(name, &efi_vamap_guid, NULL, &size, buf);
	expect("efi.variable.get.null_attributes", st, EFI_SUCCESS,
	       "GetVariable(Attributes NULL)", "8.2.1: Attributes is OPTIONAL");

	/* Overwrite with the same data, then with other data. */
	st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, sizeof(a), a);
	ok = st == EFI_SUCCESS && var_is(name, &efi_vamap_guid, a, sizeof(a),
					 NV_BS_RT, &st2);
	written("efi.variable.set.same_data", "SetVariable(the same data)", st,
		ok, st2, "8.2.3");
	st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, sizeof(b), b);
	ok = st == EFI_SUCCESS && var_is(name, &efi_vamap_guid, b, sizeof(b),
					 NV_BS_RT, &st2);
	written("efi.variable.set.new_data", "SetVariable(longer, other data)",
		st, ok, st2, "8.2.3");

	/* Append. */
	/* two_guids reads back what append left. */
	if (efi_usable_prereq("efi.variable.set.append", RT_SET_VARIABLE,
			      ktap_selected("efi.variable.set.two_guids"))) {
		st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT | EFI_VARIABLE_APPEND_WRITE,
			     sizeof(tail), tail);
		ok = st == EFI_SUCCESS &&
		     var_is(name, &efi_vamap_guid, appended, sizeof(appended),
			    NV_BS_RT, &st2);
		written("efi.variable.set.append", "SetVariable(APPEND_WRITE, "
			"4 bytes)", st, ok, st2, "8.2.3");
	}

	/* The same name under a second GUID, a similar name: independent. */
	st = efi_set_variable(name, &vamap_guid2, NV_BS_RT, sizeof(a), a);
	st2 = efi_set_variable(similar, &efi_vamap_guid, NV_BS_RT, sizeof(a), a);
	{
		efi_status_t r1, r2, r3;
		bool kept = st == EFI_SUCCESS && st2 == EFI_SUCCESS &&
			    var_is(name, &vamap_guid2, a, sizeof(a), NV_BS_RT, &r1) &&
			    var_is(similar, &efi_vamap_guid, a, sizeof(a), NV_BS_RT,
				   &r2);

		kept = kept && var_is(name, &efi_vamap_guid, appended,
				      sizeof(appended), NV_BS_RT, &r3);
		ktap_result(kept, "efi.variable.set.two_guids", "VamapConform "
			    "under a second GUID and VamapConform2: got %s and %s, "
			    "want SUCCESS and SUCCESS, and each kept its own data "
			    "(UEFI 2.10 8.2: a variable is its name and GUID)",
			    efi_status_name(st), efi_status_name(st2));
	}

	/* Deleting: DataSize 0, and Attributes 0. */
	st = efi_set_variable(name, &vamap_guid2, NV_BS_RT, 0, NULL);
	deleted("efi.variable.set.delete_size0", "SetVariable(DataSize 0)", st,
		name, &vamap_guid2);
	st = efi_set_variable(similar, &efi_vamap_guid, 0, sizeof(a), a);
	deleted("efi.variable.set.delete_attr0", "SetVariable(Attributes 0)", st,
		similar, &efi_vamap_guid);

	/* Attribute combinations the spec refuses; nothing may be created. */
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		char wants[64];
		bool gone;

		char again[256] = "";
		efi_status_t st_again = EFI_NOT_FOUND; /* once asked again */
		struct efi_answer before;
		u32 smis;

		/* test=smi-late (efi/checks.c): this call's SMIs held. */
		if (efi.smi_late_label &&
		    !strcmp(refused[i].label, efi.smi_late_label))
			efi.hold_smis_once = true;
		st = efi_set_variable(similar, &efi_vamap_guid, refused[i].attr, sizeof(a), a);
		smis = efi.call_smis;
		before = efi.before;
		gone = var_probe(similar, &efi_vamap_guid) == EFI_NOT_FOUND;
		/* A wrong refusal, nothing created: the same call once more,
		 * so the line says whether the firmware answers it the same
		 * way twice (issue 27: evidence for whose the answer is). */
		if (st != refused[i].want && st != refused[i].alt &&
		    st != EFI_SUCCESS && gone && efi.runtime_enabled) {
			u32 again_smis;

			st_again = efi_set_variable(similar, &efi_vamap_guid,
						    refused[i].attr, sizeof(a), a);
			again_smis = efi.call_smis;
			gone = var_probe(similar, &efi_vamap_guid) == EFI_NOT_FOUND;
			efi_status_again(again, sizeof(again), st, smis, &before,
					 st_again, again_smis);
		}
		ktap_result((st == refused[i].want ||
			     (refused[i].alt && st == refused[i].alt)) && gone &&
			    !again[0],
			    refused[i].label, "%s: got %s, want %s (UEFI 2.10 "
			    "8.2.3: %s)%s%s%s", refused[i].attrs, efi_status_name(st),
			    efi_status_list(wants, sizeof(wants), &refused[i].want,
					    refused[i].alt ? 2 : 1),
			    refused[i].why, gone ? "" : "; a variable was created",
			    again[0] ? "; " : "", again);
		if (st == EFI_SUCCESS || (again[0] && st_again == EFI_SUCCESS))
			efi_set_variable(similar, &efi_vamap_guid, 0, 0, NULL);
	}

	/* Leave nothing behind. */
	efi_set_variable(name, &efi_vamap_guid, NV_BS_RT, 0, NULL);
	efi_set_variable(name, &vamap_guid2, NV_BS_RT, 0, NULL);
	efi_set_variable(similar, &efi_vamap_guid, NV_BS_RT, 0, NULL);

next_name:
	/* GetNextVariableName: a name buffer too small, a name that is no
	 * variable. */
	if (efi_usable("efi.variable.next.too_small", RT_GET_NEXT_VARIABLE_NAME)) {
		u16 n[1] = { 0 };
		struct efi_guid g;

		memset(&g, 0, sizeof(g));
		size = sizeof(n);
		st = efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)n,
			      (u64)&g);
		ktap_result(st == EFI_BUFFER_TOO_SMALL && size > sizeof(n),
			    "efi.variable.next.too_small", "GetNextVariableName("
			    "a 2-byte buffer): got %s, VariableNameSize %lu, want "
			    "BUFFER_TOO_SMALL, VariableNameSize above 2 (UEFI "
			    "2.10 8.2.2)", efi_status_name(st),
			    (unsigned long)size);
	}
	if (efi_usable("efi.variable.next.unknown_name", RT_GET_NEXT_VARIABLE_NAME)) {
		u16 n[32] = u"VamapNoSuchVariable";
		struct efi_guid g = efi_vamap_guid;

		size = sizeof(n);
		st = efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)n,
			      (u64)&g);
		expect("efi.variable.next.unknown_name",
		       st, EFI_INVALID_PARAMETER, "GetNextVariableName(a name "
		       "that is no variable)", "8.2.2");
	}
}

/*
 * APPEND_WRITE to a variable that does not exist. UEFI 2.10 leaves it
 * undefined; 2.10 Errata A (Mantis 2447) and 2.11 define it: a non-zero
 * DataSize creates the variable, a zero one creates nothing and returns
 * SUCCESS (8.2.3). Low severity: a firmware built to 2.10 may differ.
 */
static void check_append_new(void)
{
	static const u16 fresh[] = u"VamapAppendNew";
	static const u8 data[4] = "+new";
	efi_status_t st, st2 = EFI_NOT_FOUND;
	bool ok;

	if (efi_usable("efi.variable.set.append_create", RT_SET_VARIABLE)) {
		efi_set_variable(fresh, &efi_vamap_guid, NV_BS_RT, 0, NULL);
		st = efi_set_variable(fresh, &efi_vamap_guid, NV_BS_RT |
				      EFI_VARIABLE_APPEND_WRITE, sizeof(data), data);
		ok = st == EFI_SUCCESS && var_is(fresh, &efi_vamap_guid, data,
						 sizeof(data), NV_BS_RT, &st2);
		written("efi.variable.set.append_create", "SetVariable("
			"APPEND_WRITE, 4 bytes) of no variable", st, ok, st2,
			"8.2.3, as 2.10 Errata A and 2.11 define it");
		efi_set_variable(fresh, &efi_vamap_guid, NV_BS_RT, 0, NULL);
	}
	if (efi_usable("efi.variable.set.append_empty", RT_SET_VARIABLE)) {
		st = efi_set_variable(fresh, &efi_vamap_guid, NV_BS_RT |
				      EFI_VARIABLE_APPEND_WRITE, 0, data);
		st2 = var_probe(fresh, &efi_vamap_guid);
		ktap_result(st == EFI_SUCCESS && st2 == EFI_NOT_FOUND,
			    "efi.variable.set.append_empty", "SetVariable("
			    "APPEND_WRITE, DataSize 0) of no variable: got %s, want "
			    "SUCCESS; GetVariable: got %s, want NOT_FOUND (UEFI 2.10 "
			    "8.2.3, as 2.10 Errata A and 2.11 define it)",
			    efi_status_name(st), efi_status_name(st2));
		if (st2 != EFI_NOT_FOUND)
			efi_set_variable(fresh, &efi_vamap_guid, NV_BS_RT, 0, NULL);
	}
}

/* ------------------------------------------ the RT properties table's word */

/* Each service the table declares unsupported answers UNSUPPORTED
 * (UEFI 2.10 4.6.2), asked with NULL arguments it must not touch.
 * ResetSystem is never asked; SetVirtualAddressMap and ConvertPointer
 * are not runtime calls vamap makes here. */
static void check_rt_properties(void)
{
	static const enum efi_rt_service svcs[] = {
		RT_GET_TIME, RT_SET_TIME, RT_GET_WAKEUP_TIME, RT_SET_WAKEUP_TIME,
		RT_GET_VARIABLE, RT_GET_NEXT_VARIABLE_NAME, RT_SET_VARIABLE,
		RT_GET_NEXT_HIGH_MONO_COUNT, RT_UPDATE_CAPSULE,
		RT_QUERY_CAPSULE_CAPABILITIES, RT_QUERY_VARIABLE_INFO,
	};
	const char *label = "efi.rt_properties.unsupported";
	unsigned int i, asked = 0, wrong = 0;
	unsigned int first = RT_NR_SERVICES;
	efi_status_t first_st = 0;

	if (!efi.have_rt_properties) {
		ktap_skip(label, "no RT properties table (optional, UEFI 2.10 4.6.2)");
		return;
	}
	if (efi.mode == EFI_MODE_NORUNTIME || !efi.runtime_enabled) {
		ktap_skip(label, "runtime services off");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(svcs); i++) {
		efi_status_t st;

		if ((efi.rt_supported & efi_rt_supported_bit(svcs[i])) ||
		    !efi.fn[svcs[i]])
			continue;
		asked++;
		st = efi_call(svcs[i], 5, (u64)0, (u64)0, (u64)0, (u64)0, (u64)0);
		if (st != EFI_UNSUPPORTED && !wrong++) {
			first = svcs[i];
			first_st = st;
		}
	}
	if (wrong)
		ktap_result(false, label, "%u of %u services declared unsupported "
			    "answered otherwise (first: %s: got %s, want "
			    "UNSUPPORTED; UEFI 2.10 4.6.2, 8.1)", wrong, asked,
			    efi_rt_service_name(first), efi_status_name(first_st));
	else
		ktap_result(true, label, "%u service%s declared unsupported: got "
			    "UNSUPPORTED from each, want UNSUPPORTED (UEFI 2.10 "
			    "4.6.2, 8.1)", asked, asked == 1 ? "" : "s");
}

/* -------------------------------------------- SetVirtualAddressMap again */

/*
 * UEFI 2.10 8.4.1: SetVirtualAddressMap returns EFI_UNSUPPORTED when "the
 * EFI firmware is already in virtual address mapped mode". A firmware
 * that takes a second map converts its pointers again, from addresses
 * that are no longer physical.
 */
static void check_svam_second(void)
{
	const char *label = "efi.svam.second", *how;
	efi_status_t st;

	if (efi.mode == EFI_MODE_NORUNTIME || efi.mode == EFI_MODE_NOVAMAP) {
		ktap_skip(label, "efi=%s: no first SetVirtualAddressMap",
			  efi_mode_name(efi.mode));
		return;
	}
	if (!efi.runtime_enabled) {
		ktap_skip(label, "runtime services off: %s", efi.disabled_why);
		return;
	}
	st = efi_svam_again(&how);
	if (st == EFI_SUCCESS) {
		efi.runtime_enabled = false;
		efi.disabled_why = "SetVirtualAddressMap took a second map";
		kprintf("efi: runtime services off: %s\n", efi.disabled_why);
	}
	ktap_result(st == EFI_UNSUPPORTED, label, "SetVirtualAddressMap again, "
		    "called %s: got %s, want UNSUPPORTED (UEFI 2.10 8.4.1: a "
		    "virtual address map may only be applied one time)%s", how,
		    efi_status_name(st), st == EFI_SUCCESS ? "; the firmware "
		    "took a second map: runtime services off" : "");
}

/* ------------------------------------------------------ NULL arguments */

static void check_null_arguments(void)
{
	struct efi_time t;
	struct efi_guid g;
	u8 buf[16];
	u16 n[8] = { 0 };
	u64 size;
	u32 attr;
	u8 e, p;

	if (efi_usable("efi.time.get.null_time", RT_GET_TIME))
		expect("efi.time.get.null_time",
		       efi_call(RT_GET_TIME, 2, (u64)0, (u64)buf),
		       EFI_INVALID_PARAMETER, "GetTime(NULL, Capabilities)", "8.3.1");
	if (efi_usable("efi.time.get.null_both", RT_GET_TIME))
		expect("efi.time.get.null_both",
		       efi_call(RT_GET_TIME, 2, (u64)0, (u64)0),
		       EFI_INVALID_PARAMETER, "GetTime(NULL, NULL)", "8.3.1");
	if (efi_usable("efi.time.get.null_capabilities", RT_GET_TIME))
		expect("efi.time.get.null_capabilities",
		       get_time(&t),
		       EFI_SUCCESS, "GetTime(Time, NULL)", "8.3.1: Capabilities is "
		       "OPTIONAL");
	if (efi_usable("efi.time.set.null", RT_SET_TIME))
		expect("efi.time.set.null",
		       efi_call(RT_SET_TIME, 1, (u64)0), EFI_INVALID_PARAMETER,
		       "SetTime(NULL)", "8.3.2");
	if (efi_usable("efi.wakeup.get.null_enabled", RT_GET_WAKEUP_TIME))
		expect("efi.wakeup.get.null_enabled",
		       efi_call(RT_GET_WAKEUP_TIME, 3, (u64)0, (u64)&p, (u64)&t),
		       EFI_INVALID_PARAMETER, "GetWakeupTime(Enabled NULL)", "8.3.3");
	if (efi_usable("efi.wakeup.get.null_pending", RT_GET_WAKEUP_TIME))
		expect("efi.wakeup.get.null_pending",
		       efi_call(RT_GET_WAKEUP_TIME, 3, (u64)&e, (u64)0, (u64)&t),
		       EFI_INVALID_PARAMETER, "GetWakeupTime(Pending NULL)", "8.3.3");
	if (efi_usable("efi.wakeup.get.null_time", RT_GET_WAKEUP_TIME))
		expect("efi.wakeup.get.null_time",
		       efi_call(RT_GET_WAKEUP_TIME, 3, (u64)&e, (u64)&p, (u64)0),
		       EFI_INVALID_PARAMETER, "GetWakeupTime(Time NULL)", "8.3.3");
	if (efi_usable("efi.wakeup.get.null_all", RT_GET_WAKEUP_TIME))
		expect("efi.wakeup.get.null_all",
		       efi_call(RT_GET_WAKEUP_TIME, 3, (u64)0, (u64)0, (u64)0),
		       EFI_INVALID_PARAMETER, "GetWakeupTime(NULL, NULL, NULL)",
		       "8.3.3");
	/* Enabled with no time: INVALID_PARAMETER; one that took it is
	 * disarmed again. */
	if (efi_usable("efi.wakeup.set.null_time", RT_SET_WAKEUP_TIME)) {
		efi_status_t st = efi_call(RT_SET_WAKEUP_TIME, 2, (u64)1, (u64)0);

		expect("efi.wakeup.set.null_time", st, EFI_INVALID_PARAMETER,
		       "SetWakeupTime(TRUE, NULL)", "8.3.4");
		if (st == EFI_SUCCESS)
			efi_call(RT_SET_WAKEUP_TIME, 2, (u64)0, (u64)0);
	}
	if (efi_usable("efi.variable.get.null_name", RT_GET_VARIABLE)) {
		size = sizeof(buf);
		expect("efi.variable.get.null_name",
		       efi_get_variable(NULL, &efi_vamap_guid, &attr, &size, buf),
		       EFI_INVALID_PARAMETER, "GetVariable(VariableName NULL)", "8.2.1");
	}
	if (efi_usable("efi.variable.get.null_guid", RT_GET_VARIABLE)) {
		size = sizeof(buf);
		expect("efi.variable.get.null_guid",
		       efi_get_variable(u"BootOrder", NULL, &attr, &size, buf),
		       EFI_INVALID_PARAMETER, "GetVariable(VendorGuid NULL)", "8.2.1");
	}
	if (efi_usable("efi.variable.get.null_size", RT_GET_VARIABLE))
		expect("efi.variable.get.null_size",
		       efi_get_variable(u"BootOrder", &efi_vamap_guid, &attr, NULL, buf),
		       EFI_INVALID_PARAMETER, "GetVariable(DataSize NULL)", "8.2.1");
	if (efi_usable("efi.variable.next.null_size", RT_GET_NEXT_VARIABLE_NAME)) {
		memset(&g, 0, sizeof(g));
		expect("efi.variable.next.null_size",
		       efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)0, (u64)n, (u64)&g),
		       EFI_INVALID_PARAMETER, "GetNextVariableName(VariableNameSize "
		       "NULL)", "8.2.2");
	}
	if (efi_usable("efi.variable.next.null_name", RT_GET_NEXT_VARIABLE_NAME)) {
		size = sizeof(n);
		expect("efi.variable.next.null_name",
		       efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)0,
				(u64)&g),
		       EFI_INVALID_PARAMETER, "GetNextVariableName(VariableName "
		       "NULL)", "8.2.2");
	}
	if (efi_usable("efi.variable.next.null_guid", RT_GET_NEXT_VARIABLE_NAME)) {
		size = sizeof(n);
		n[0] = 0;
		expect("efi.variable.next.null_guid",
		       efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)n,
				(u64)0),
		       EFI_INVALID_PARAMETER, "GetNextVariableName(VendorGuid NULL)",
		       "8.2.2");
	}
	if (efi_usable("efi.monotonic.null", RT_GET_NEXT_HIGH_MONO_COUNT))
		expect("efi.monotonic.null",
		       efi_call(RT_GET_NEXT_HIGH_MONO_COUNT, 1, (u64)0),
		       EFI_INVALID_PARAMETER, "GetNextHighMonotonicCount(NULL)",
		       "8.5.2");
}

void efi_note_monotonic_high(u32 high)
{
	if (!efi.mono_seen || high > efi.mono_high)
		efi.mono_high = high;
	efi.mono_seen = true;
}

void efi_check_monotonic_reset(efi_status_t st, u64 count, bool have_prev,
			       u32 prev_high)
{
	static const char *const label = "efi.monotonic.reset";
	u32 high = (u32)(count >> 32);

	if (st != EFI_SUCCESS) {
		ktap_result(false, label, "GetNextMonotonicCount at boot returned "
			    "%s (UEFI 2.10 7.5.2)", efi_status_name(st));
		return;
	}
	efi_note_monotonic_high(high);
	if (!have_prev) {
		/* The advice only where it can work: a firmware that declares
		 * SetVariable unsupported at runtime (U-Boot) keeps no report,
		 * however often vamap boots. */
		if (efi.mode == EFI_MODE_NORUNTIME)
			ktap_skip(label, "no earlier run's report on this machine "
				  "holds a monotonic count, and this run keeps "
				  "none: %s", efi.disabled_why);
		else
			ktap_skip(label, "no earlier run's report on this machine "
				  "holds a monotonic count (%s)",
				  efi.rt_supported &
				  efi_rt_supported_bit(RT_SET_VARIABLE)
				  ? "boot vamap twice, keeping the variable store"
				  : "and this firmware keeps none: SetVariable is "
				    "declared unsupported at runtime");
		return;
	}
	if (high > prev_high)
		ktap_result(true, label, "high word %u at this boot, %u seen by the "
			    "run before", high, prev_high);
	else
		ktap_result(false, label, "high word %u at this boot, yet the run "
			    "before saw %u: it did not go up across the reset "
			    "(UEFI 2.10 7.5.2)", high, prev_high);
}

void efi_conformance(void)
{
	check_set_time();
	check_set_time_invalid();
	check_wakeup();
	check_variables();
	check_append_new();
	check_query_classes();
	check_capsules();
	check_rt_properties();
	check_svam_second();
	check_null_arguments();
}
