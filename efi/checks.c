// SPDX-License-Identifier: MIT
/*
 * The EFI checks, each a KTAP line (docs/checks.md lists them with their
 * spec clauses): efi_pgd's shape and W^X, SVAM, the service pointers, then
 * every runtime service. After a firmware fault the remaining service
 * checks are skipped (runtime services are off); the faulting one fails.
 */
#include "addr.h"
#include "efi_abi.h"
#include "efi_authvar.h"
#include "efi_conform.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "printf.h"
#include "results.h"
#include "smi.h"
#include "x86.h"
#include "watchdog.h"

#define VAR_NAME_MAX 512  /* CHAR16s */
#define VAR_SEEN_MAX 1024 /* variables we can check for repeats */
#define VAR_LOOP_MAX 4096 /* GetNextVariableName calls before "no end" */

static void status_line(const char *name, efi_status_t st, const char *what)
{
	ktap_result(false, name, "%s returned %s", what, efi_status_name(st));
}

static void check_time(void)
{
	struct efi_time t;
	struct efi_time_caps caps;
	const char *bad;
	efi_status_t st;

	if (!efi_usable("efi.get_time", RT_GET_TIME))
		return;
	memset(&t, 0, sizeof(t));
	st = efi_call(RT_GET_TIME, 2, (u64)&t, (u64)&caps);
	if (st != EFI_SUCCESS) {
		status_line("efi.get_time", st, "GetTime");
		return;
	}
	kprintf("efi: GetTime %04u-%02u-%02u %02u:%02u:%02u tz %d dst %u\n",
		t.year, t.month, t.day, t.hour, t.minute, t.second, t.timezone,
		t.daylight);
	/* UEFI 2.10, 8.3.1: EFI_TIME's ranges; the first field out of its
	 * range is named. */
	bad = efi_time_bad_field(&t);
	if (bad)
		ktap_result(false, "efi.get_time", "SUCCESS with %s out of its "
			    "range (UEFI 2.10 8.3.1)", bad);
	else
		ktap_result(true, "efi.get_time", NULL);
}

static void check_wakeup_time(void)
{
	struct efi_time t;
	u8 enabled = 0, pending = 0;
	efi_status_t st;

	if (!efi_usable("efi.get_wakeup_time", RT_GET_WAKEUP_TIME))
		return;
	st = efi_call(RT_GET_WAKEUP_TIME, 3, (u64)&enabled, (u64)&pending, (u64)&t);
	if (st == EFI_UNSUPPORTED)
		ktap_skip("efi.get_wakeup_time", "GetWakeupTime returned UNSUPPORTED");
	else if (st == EFI_SUCCESS)
		ktap_result(enabled <= 1 && pending <= 1, "efi.get_wakeup_time",
			    "enabled %u pending %u", enabled, pending);
	else
		status_line("efi.get_wakeup_time", st, "GetWakeupTime");
}

static void check_global_vars(void)
{
	static const struct {
		const char *check;
		const u16 *name;
	} vars[] = {
		{ "efi.get_variable.BootOrder", u"BootOrder" },
		{ "efi.get_variable.PlatformLang", u"PlatformLang" },
		{ "efi.get_variable.SecureBoot", u"SecureBoot" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		u8 buf[256];
		u64 size = sizeof(buf);
		u32 attr = 0;
		efi_status_t st;

		if (!efi_usable(vars[i].check, RT_GET_VARIABLE))
			continue;
		memset(buf, 0, sizeof(buf));
		st = efi_get_variable(vars[i].name, &efi_global_guid, &attr, &size, buf);
		if (st == EFI_NOT_FOUND) {
			/* Each is defined but none required (UEFI 2.10, 3.3):
			 * a firmware may have no boot options, no language
			 * or no Secure Boot. NOT_FOUND is the right answer. */
			kprintf("efi: %s absent\n", vars[i].check + 17);
			ktap_result(true, vars[i].check, "absent (optional, UEFI "
				    "2.10 3.3)");
			continue;
		}
		if (st != EFI_SUCCESS) {
			status_line(vars[i].check, st, "GetVariable");
			continue;
		}
		/* UEFI 2.10, 8.2.1: on SUCCESS, DataSize is the size of the
		 * data returned: never more than the buffer held. */
		if (size > sizeof(buf)) {
			ktap_result(false, vars[i].check, "SUCCESS with DataSize "
				    "%lu, more than the %lu-byte buffer it was given "
				    "(UEFI 2.10 8.2.1)", (unsigned long)size,
				    (unsigned long)sizeof(buf));
			continue;
		}
		if (i == 0) {
			kprintf("efi: BootOrder has %lu entries\n",
				(unsigned long)(size / 2));
			ktap_result(size % 2 == 0 && size > 0, vars[i].check, NULL);
		} else if (i == 1) {
			buf[MIN(size, sizeof(buf) - 1)] = 0;
			kprintf("efi: PlatformLang \"%s\"\n", (const char *)buf);
			ktap_result(size >= 2 && buf[size - 1] == 0, vars[i].check, NULL);
		} else {
			kprintf("efi: SecureBoot = %u\n", buf[0]);
			ktap_result(size == 1 && buf[0] <= 1, vars[i].check, NULL);
		}
	}
}

/* A cheap fingerprint of (GUID, name) for the repeat check. */
static u64 fingerprint(const u16 *name, const struct efi_guid *g)
{
	const u8 *p = (const u8 *)g;
	u64 h = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < sizeof(*g); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	for (i = 0; name[i]; i++)
		h = (h ^ name[i]) * 0x100000001b3ULL;
	return h;
}

/* The @n-th name of the walk as ASCII, for a failure line. */
static void name_ascii(const u16 *name, char *out, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < max && name[i]; i++)
		out[i] = name[i] < 0x7f && name[i] >= 0x20 ? (char)name[i] : '?';
	out[i] = '\0';
}

/*
 * GetNextVariableName from the start to NOT_FOUND: no name twice, an end
 * (efi.get_next_variable_name); and every name it gives is a variable
 * GetVariable can read now (efi.variable.next.walk, UEFI 2.10 8.2.2: at
 * runtime the walk returns the variables with RUNTIME_ACCESS, which are
 * exactly those GetVariable may return).
 */
static void check_enumeration(void)
{
	static u16 name[VAR_NAME_MAX] __efi_shared;
	static u64 seen[VAR_SEEN_MAX];
	struct efi_guid g;
	unsigned int count = 0, loops, i, unreadable = 0;
	efi_status_t st = EFI_SUCCESS, first_st = EFI_SUCCESS, again = EFI_SUCCESS;
	char first[40] = "", again_text[256];
	bool repeat = false, asked_again = false;
	u32 smis = SMI_UNKNOWN, again_smis = SMI_UNKNOWN;
	struct efi_answer before = { 0 };
	u64 size_back = 0;	/* VariableNameSize with the last answer */

	if (!efi_usable("efi.get_next_variable_name", RT_GET_NEXT_VARIABLE_NAME)) {
		efi_usable("efi.variable.next.walk", RT_GET_NEXT_VARIABLE_NAME);
		return;
	}
	memset(name, 0, sizeof(name));
	memset(&g, 0, sizeof(g));
	for (loops = 0; loops < VAR_LOOP_MAX; loops++) {
		u64 size = sizeof(name), fp, dsize = 0;
		u32 attr;
		efi_status_t rst;

		st = efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size, (u64)name,
			      (u64)&g);
		smis = efi.call_smis;
		before = efi.before;
		size_back = size;
		if (st != EFI_SUCCESS)
			break;
		fp = fingerprint(name, &g);
		for (i = 0; i < MIN(count, VAR_SEEN_MAX); i++)
			if (seen[i] == fp)
				repeat = true;
		if (repeat)
			break;
		if (count < VAR_SEEN_MAX)
			seen[count] = fp;
		count++;
		if (kopt.test & TEST_WALK_UNREADABLE)
			g.a ^= 1; /* the wrong GUID: NOT_FOUND */
		rst = efi_get_variable(name, &g, &attr, &dsize, NULL);
		if (kopt.test & TEST_WALK_UNREADABLE)
			g.a ^= 1;
		if (rst != EFI_BUFFER_TOO_SMALL && rst != EFI_SUCCESS &&
		    !unreadable++) {
			name_ascii(name, first, sizeof(first));
			first_st = rst;
		}
		if (!efi.runtime_enabled)
			break;
	}
	kprintf("efi: GetNextVariableName: %u variables, ended with %s\n", count,
		efi_status_name(st));
	/* An answer that is neither a name nor the end: the same call once
	 * more (the name and GUID it was given are still in place), so the
	 * line says whether the firmware answers it the same way twice,
	 * evidence for whose the answer is (issue 27: SMM-variable answers
	 * seen wrong once under host load). */
	if (st != EFI_SUCCESS && st != EFI_NOT_FOUND && efi.runtime_enabled &&
	    loops < VAR_LOOP_MAX) {
		u64 size = sizeof(name);

		again = efi_call(RT_GET_NEXT_VARIABLE_NAME, 3, (u64)&size,
				 (u64)name, (u64)&g);
		again_smis = efi.call_smis;
		asked_again = true;
	}
	if (repeat)
		ktap_result(false, "efi.get_next_variable_name",
			    "variable %u repeats an earlier one", count);
	else if (loops == VAR_LOOP_MAX)
		ktap_result(false, "efi.get_next_variable_name",
			    "no end after %u variables", count);
	else if (asked_again)
		ktap_result(false, "efi.get_next_variable_name", "after %u names: "
			    "got %s with VariableNameSize %lu (%lu given%s), "
			    "want SUCCESS or NOT_FOUND; %s (UEFI 2.10 8.2.2)",
			    count, efi_status_name(st), (unsigned long)size_back,
			    (unsigned long)sizeof(name),
			    /* BUFFER_TOO_SMALL returns the size needed */
			    st == EFI_BUFFER_TOO_SMALL && size_back <= sizeof(name)
			    ? ": BUFFER_TOO_SMALL asking for no more" : "",
			    efi_status_again(again_text, sizeof(again_text), st,
					     smis, &before, again, again_smis));
	else if (st != EFI_NOT_FOUND)
		status_line("efi.get_next_variable_name", st, "GetNextVariableName");
	else
		ktap_result(count > 0, "efi.get_next_variable_name", NULL);
	if (!efi.runtime_enabled)
		ktap_skip("efi.variable.next.walk", "runtime services off: %s",
			  efi.disabled_why);
	else if (!count)
		ktap_skip("efi.variable.next.walk", "the walk gave no name");
	else if (!(efi.rt_supported & efi_rt_supported_bit(RT_GET_VARIABLE)))
		ktap_skip("efi.variable.next.walk", "GetVariable declared "
			  "unsupported (RT properties table)");
	else if (unreadable)
		ktap_result(false, "efi.variable.next.walk", "%u of %u names "
			    "GetVariable(DataSize 0) cannot read (first: \"%s\": "
			    "got %s, want BUFFER_TOO_SMALL or SUCCESS; UEFI 2.10 "
			    "8.2.1, 8.2.2)", unreadable, count, first,
			    efi_status_name(first_st));
	else
		ktap_result(true, "efi.variable.next.walk", "all %u names: "
			    "GetVariable(DataSize 0) got BUFFER_TOO_SMALL or "
			    "SUCCESS, want BUFFER_TOO_SMALL or SUCCESS (UEFI 2.10 "
			    "8.2.1, 8.2.2)", count);
}

/* test=smi-late: no_rt_at_runtime's SetVariable made with this CPU's
 * SMIs held (efi/runtime.c, kernel/smi.c), so the SMM request it raises
 * is not taken while it runs: what a request EDK2's SMM core does not
 * take looks like from outside (docs/decisions.md, issue 27). */
static void smi_late_test(void)
{
	if (!smi_holdable()) {
		kprintf("test: smi-late: no SVM on this CPU, so no CLGI to hold "
			"its SMIs: SetVariable(NV|BS) made as any call\n");
		return;
	}
	efi.smi_late_label = "efi.variable.set.no_rt_at_runtime";
	kprintf("test: smi-late: SetVariable(NV|BS) made with this CPU's SMIs "
		"held (CLGI): an SMM request it raises is not taken during the "
		"call\n");
}

static void check_query_variable_info(void)
{
	u64 max = 0, remaining = 0, max_var = 0;
	efi_status_t st;

	if (!efi_usable("efi.query_variable_info", RT_QUERY_VARIABLE_INFO))
		return;
	st = efi_query_variable_info(NV_BS_RT, &max, &remaining, &max_var);
	if (st != EFI_SUCCESS) {
		status_line("efi.query_variable_info", st, "QueryVariableInfo");
		return;
	}
	kprintf("efi: QueryVariableInfo: storage %lu bytes, %lu remaining, "
		"largest variable %lu\n", (unsigned long)max,
		(unsigned long)remaining, (unsigned long)max_var);
	ktap_result(max > 0 && remaining <= max && max_var > 0 && max_var <= max,
		    "efi.query_variable_info", NULL);
}

/* Write, read back, delete, confirm gone: under vamap's GUID. */
static void check_set_variable(const char *check, const u16 *name, u32 attr)
{
	static const char value[] = "vamap runtime check";
	u8 buf[64];
	u64 size;
	u32 got_attr = 0;
	efi_status_t st;

	if (!efi_usable(check, RT_SET_VARIABLE))
		return;
	st = efi_set_variable(name, &efi_vamap_guid, attr, sizeof(value),
			      value);
	if (st != EFI_SUCCESS) {
		status_line(check, st, "SetVariable (write)");
		return;
	}
	size = sizeof(buf);
	st = efi_get_variable(name, &efi_vamap_guid, &got_attr, &size, buf);
	if (st != EFI_SUCCESS || size != sizeof(value) || memcmp(buf, value, size) ||
	    got_attr != attr) {
		ktap_result(false, check, "read back: %s, %lu bytes, attributes 0x%x",
			    efi_status_name(st), (unsigned long)size, got_attr);
		return;
	}
	st = efi_set_variable(name, &efi_vamap_guid, attr, 0, NULL);
	if (st != EFI_SUCCESS) {
		status_line(check, st, "SetVariable (delete)");
		return;
	}
	size = sizeof(buf);
	st = efi_get_variable(name, &efi_vamap_guid, &got_attr, &size, buf);
	ktap_result(st == EFI_NOT_FOUND, check,
		    st == EFI_NOT_FOUND ? "written, read back, deleted"
					: "still there after delete");
}

/*
 * A volatile variable cannot be created at runtime: "Once
 * ExitBootServices() is performed, only variables that have
 * EFI_VARIABLE_RUNTIME_ACCESS and EFI_VARIABLE_NON_VOLATILE set can be set
 * with SetVariable()" (UEFI 2.10, 8.2). The check is that the firmware
 * refuses, and that nothing was created anyway.
 */
static void check_volatile_refused(void)
{
	static const u16 name[] = u"VamapVolatile";
	static const char value[] = "vamap";
	const char *check = "efi.set_variable.volatile";
	u8 buf[16];
	u64 size = sizeof(buf);
	u32 attr = 0;
	efi_status_t st, st2;

	if (!efi_usable(check, RT_SET_VARIABLE))
		return;
	st = efi_set_variable(name, &efi_vamap_guid, EFI_VARIABLE_BOOTSERVICE_ACCESS |
			      EFI_VARIABLE_RUNTIME_ACCESS, sizeof(value), value);
	st2 = efi_get_variable(name, &efi_vamap_guid, &attr, &size, buf);
	if (st == EFI_SUCCESS)
		ktap_result(false, check, "a volatile variable was created at "
			    "runtime (UEFI 2.10, 8.2 forbids it)");
	else
		ktap_result(st2 == EFI_NOT_FOUND, check, "refused at runtime with "
			    "%s, as UEFI 2.10 8.2 requires%s", efi_status_name(st),
			    st2 == EFI_NOT_FOUND ? "" : ", but it exists");
}

/* What a stray firmware write could reach: the live kernel's top-level
 * table, efi_pgd's kernel half (its low half changes when a page is
 * lent), and the kernel image's text and rodata. */
static u32 kernel_hash(void)
{
	u32 h[3];

	h[0] = results_crc32(__va(swapper_pg_dir), SZ_4K);
	h[1] = results_crc32((const u8 *)__va(efi.efi_pgd) + SZ_4K / 2, SZ_4K / 2);
	h[2] = results_crc32(__text_start, (u64)(__rodata_end - __text_start));
	return results_crc32(h, sizeof(h));
}

/*
 * test=efi-lowref, efi-lowref-kernel: GetTime gets a *physical* address
 * for its buffer, as a firmware that kept a physical pointer would use
 * one, after the 1:1 map is gone. Into boot-services memory the page is
 * lent and the call completes (a finding); into swapper_pg_dir's page the
 * call ends and nothing of the kernel's changes. Under efi=linux a second
 * GetTime gets the same boot-services page by its window address, which
 * left efi_pgd when SVAM returned: lent there too. efi.lowref says which
 * happened, with the hash of the kernel's tables and image before and
 * after.
 */
static void lowref_test(void)
{
	bool kernel = kopt.test & TEST_EFI_LOWREF_KERNEL;
	u64 target = 0, window = 0, lent0 = efi.lent_pages;
	unsigned int calls = 1, refused0 = efi.kernel_refused;
	const struct efi_rt_region *r;
	const struct mem_region *m;
	efi_status_t st;
	u32 before, after;

	if (!(kopt.test & (TEST_EFI_LOWREF | TEST_EFI_LOWREF_KERNEL)))
		return;
	/* GetTime must be one the firmware runs (U-Boot declares it
	 * unsupported), or no stale pointer is ever used. */
	if (!efi_usable("efi.lowref", RT_GET_TIME))
		return;
	if (!efi.low_half_dropped) {
		ktap_skip("efi.lowref", "this mode keeps its 1:1 map");
		return;
	}
	if (kernel) {
		target = swapper_pg_dir + 0x800; /* its kernel-half entries */
	} else {
		for_each_mem_region(m)
			if (m->class == MEM_BOOT_SERVICES &&
			    m->type == EFI_BOOT_SERVICES_DATA) {
				target = m->start;
				break;
			}
	}
	if (!target) {
		ktap_skip("efi.lowref", "no boot-services data region to aim at");
		return;
	}
	r = kernel || !efi.bs_window_unmapped ? NULL
		: efi_region_by_pa(&efi.plan, target);
	if (r && r->boot_services && r->placed)
		window = r->va + (target - r->pa) + 0x100; /* the offset
							     carries through */
	kprintf("test: GetTime with the physical address 0x%016lx (%s)\n",
		(unsigned long)target, kernel ? "swapper_pg_dir" : "boot-services data");
	before = kernel_hash();
	st = efi_call(RT_GET_TIME, 2, target, (u64)0);
	if (window && st == EFI_SUCCESS) {
		kprintf("test: GetTime with the window address %p of the same "
			"page (unmapped when SVAM returned)\n", (void *)window);
		st = efi_call(RT_GET_TIME, 2, window, (u64)0);
		calls++;
	}
	after = kernel_hash();
	if (st == EFI_UNSUPPORTED && efi.lent_pages == lent0 &&
	    efi.kernel_refused == refused0 && before == after)
		ktap_skip("efi.lowref", "GetTime returned UNSUPPORTED without "
			  "using its buffer: the stale pointer was never followed");
	else if (kernel)
		ktap_result(st == EFI_ABORTED && efi.kernel_refused == refused0 + 1 &&
				    before == after, "efi.lowref",
			    "kernel memory refused (%s), swapper_pg_dir, efi_pgd and "
			    "the kernel image %s", efi_status_name(st),
			    before == after ? "unchanged" : "CHANGED");
	else
		ktap_result(st == EFI_SUCCESS && efi.lent_pages == lent0 + calls &&
				    before == after, "efi.lowref",
			    "%lu page%s lent, %u call%s returned %s, kernel tables and "
			    "image %s", (unsigned long)(efi.lent_pages - lent0),
			    efi.lent_pages - lent0 == 1 ? "" : "s", calls,
			    calls == 1 ? "" : "s", efi_status_name(st),
			    before == after ? "unchanged" : "CHANGED");
}

/* efi.watchdog: every firmware call returned within efi.timeout=. */
static void check_watchdog(void)
{
	u32 ms = watchdog_timeout_ms(), ap, late_ms;
	unsigned int deflected = watchdog_deflected();
	char note[256] = "";

	efi_inject_hang();
	efi_inject_fatal();
	if (watchdog_ap_late(&ap, &late_ms))
		ksnprintf(note, sizeof(note), "; cpu %u did not answer a wake-up NMI "
			  "within %u ms and watched no more", ap, late_ms);
	if (efi.handler_overran)
		ksnprintf(note + strlen(note), sizeof(note) - strlen(note),
			  "; vamap's own handler ran past the bound on top of a "
			  "call %u time%s, not charged to the firmware",
			  efi.handler_overran, efi.handler_overran == 1 ? "" : "s");
	if (deflected)
		ksnprintf(note + strlen(note), sizeof(note) - strlen(note),
			  "; %u deadline NMI%s landed in vamap's own handler and "
			  "came again later", deflected, deflected == 1 ? "" : "s");
	if (efi.hung_calls)
		ktap_result(false, "efi.watchdog", "%u call%s did not return within "
			    "%u ms; runtime services off (a service returns to its "
			    "caller: UEFI 2.10 2.3.4.2)%s", efi.hung_calls,
			    efi.hung_calls == 1 ? "" : "s", kopt.efi_timeout_ms, note);
	else if (!ms)
		ktap_skip("efi.watchdog", "%s%s", kopt.efi_timeout_ms
			  ? watchdog_none_why() : "efi.timeout=0", note);
	else if (!efi.calls)
		/* An ok must mean a call was watched: under efi=noruntime
		 * (and on 32-bit firmware) none was. */
		ktap_skip("efi.watchdog", "no firmware call was made%s%s",
			  efi.disabled_why ? ": " : "",
			  efi.disabled_why ? efi.disabled_why : "");
	else
		ktap_result(true, "efi.watchdog", "every call returned within %u ms "
			    "(NMI source: %s)%s", ms, watchdog_source(), note);
}

/* efi.tables: the table headers valid at every point they were checked:
 * the stub's before and after its drivers, the kernel's after
 * ExitBootServices and after SetVirtualAddressMap (efi/setup.c). */
static void check_tables(const struct boot_info *bi)
{
	unsigned int bad = efi.tables_bad;
	u32 m;

	for (m = bi->tables_bad[0]; m; m &= m - 1)
		bad++;
	for (m = bi->tables_bad[1]; m; m &= m - 1)
		bad++;

	if (bi->tables_bad[0] | bi->tables_bad[1])
		kdetail("efi.tables", "efi: the stub found the %s (and named every "
			"one it found, before the kernel's log)\n", bi->tables_why);
	if (bad)
		ktap_result(false, "efi.tables", "%u invalid table header%s "
			    "(Signature, Revision, HeaderSize, CRC32: UEFI 2.10 "
			    "4.2)", bad, bad == 1 ? "" : "s");
	else if (!efi.tables_checked)
		ktap_skip("efi.tables", "the stub's checks passed; the kernel "
			  "read no System Table");
	else
		ktap_result(true, "efi.tables", "System Table, Boot Services and "
			    "Runtime Services headers valid in the stub%s; System "
			    "Table and Runtime Services after ExitBootServices%s%s",
			    efi.ndrivers ? ", before and after its drivers" : "",
			    efi.tables_checked > 1 ? " and SetVirtualAddressMap"
						   : "",
			    efi.fw32 ? " (32-bit tables)" : "");
}

/* efi.buffers: no call went outside a buffer vamap handed it, nor wrote
 * into an input (efi_args.h: each buffer in a guarded slot; the
 * SetVirtualAddressMap map between guard pages of its own, efi/setup.c). */
static void check_buffers(void)
{
	if (!efi.calls)
		ktap_skip("efi.buffers", "no firmware call was made");
	else if (efi.buf_bad)
		ktap_result(false, "efi.buffers", "%u call%s went outside a "
			    "buffer vamap handed %s, or wrote into an input (first: "
			    "%s; UEFI 2.10 8)", efi.buf_bad,
			    efi.buf_bad == 1 ? "" : "s",
			    efi.buf_bad == 1 ? "it" : "them",
			    efi_rt_service_name(efi.buf_bad_svc));
	else
		ktap_result(true, "efi.buffers", "%u call%s: every buffer handed "
			    "over between guard pages, none written outside, no "
			    "input changed", efi.calls, efi.calls == 1 ? "" : "s");
}

/* efi.abi: every call came back with the nonvolatile registers, flags and
 * processor state it went in with (efi/runtime.c compares them). */
static void check_abi(void)
{
	char what[160];
	size_t n = 0;
	unsigned int bit, svc;
	u64 bad = 0;

	if (!efi.calls) {
		ktap_skip("efi.abi", "no firmware call was made");
		return;
	}
	if (!efi.abi_bad_calls && efi.fw32) {
		/* R12-R15 and XMM8-XMM15: out of a 32-bit service's reach
		 * (efi/thunk32.asm), so not named as kept. */
		ktap_result(true, "efi.abi", "%u call%s kept EBX, EBP, EDI, ESI, "
			    "ESP%s, EFLAGS, CR0, CR3, CR4, EFER, GDTR, IDTR and the "
			    "x87/SSE control words (IA32 services: UEFI 2.10 2.3.2)",
			    efi.calls, efi.calls == 1 ? "" : "s",
			    (read_cr4() & X86_CR4_OSFXSR) ? ", XMM0-XMM7" : "");
		return;
	}
	if (!efi.abi_bad_calls) {
		ktap_result(true, "efi.abi", "%u call%s kept RBX, RBP, RDI, RSI, "
			    "R12-R15, RSP%s, RFLAGS, CR0, CR3, CR4, EFER, GDTR, IDTR and "
			    "the x87/SSE control words", efi.calls,
			    efi.calls == 1 ? "" : "s",
			    (read_cr4() & X86_CR4_OSFXSR) ? ", XMM6-XMM15" : "");
		return;
	}
	for (svc = 0; svc < RT_NR_SERVICES; svc++)
		bad |= efi.abi_reported[svc];
	what[0] = '\0';
	for (bit = 0; bit < EFI_ABI_NR_BAD && n < sizeof(what); bit++)
		if (bad & (1ULL << bit))
			n += (size_t)ksnprintf(what + n, sizeof(what) - n, "%s%s",
					       n ? ", " : "", efi_abi_reg_name(bit));
	ktap_result(false, "efi.abi", "%u of %u calls broke the calling "
		    "convention (first: %s), changing %s (UEFI 2.10 %s)",
		    efi.abi_bad_calls, efi.calls,
		    efi_rt_service_name(efi.abi_first_svc), what,
		    efi.fw32 ? "2.3.2" : "2.3.4");
}

/* efi.stack: no call ran off the stack vamap gives it, at either end. The
 * depth is the deepest qword the call changed below where it was called,
 * painted before each call (efi/abi_check.c). */
static void check_stack(void)
{
	if (efi.stack_overflows)
		ktap_result(false, "efi.stack", "%u call%s ran off the %u KiB stack "
			    "(first: %s); deepest measured use %lu bytes",
			    efi.stack_overflows, efi.stack_overflows == 1 ? "" : "s",
			    EFI_CALL_STACK_KIB,
			    efi_rt_service_name(efi.stack_overflow_svc),
			    (unsigned long)efi.stack_max);
	else if (efi.stack_above)
		ktap_result(false, "efi.stack", "%u call%s touched memory above "
			    "their own stack frame (first: %s)", efi.stack_above,
			    efi.stack_above == 1 ? "" : "s",
			    efi_rt_service_name(efi.stack_above_svc));
	else if (!efi.stack_max)
		ktap_skip("efi.stack", "no call was measured");
	else
		ktap_result(true, "efi.stack", "deepest call %s used %s%lu bytes "
			    "of the %u KiB stack", efi_rt_service_name(efi.stack_max_svc),
			    efi.stack_at_least ? "at least " : "",
			    (unsigned long)efi.stack_max, EFI_CALL_STACK_KIB);
}

/* test=nmi-during-call: the watching AP sent the BSP an NMI while it was
 * in the firmware (the first call it watched); it was reported as an NMI,
 * not the firmware's fault, and the call completed. test=nmi-as-fault:
 * the same check after an NMI vamap took as a firmware fault: not ok. */
static void check_nmi_during_call(void)
{
	const char *svc;
	unsigned int sent;
	u64 rip;

	if (!(kopt.test & (TEST_NMI_DURING_CALL | TEST_NMI_AS_FAULT)))
		return;
	if (watchdog_source()[0] != 'a') {
		ktap_skip("trap.nmi_during_call", "no AP watches the calls");
		return;
	}
	if ((kopt.test & TEST_NMI_AS_FAULT) &&
	    efi_usable("trap.nmi_during_call", RT_GET_TIME))
		efi_inject_nmi_as_fault();
	if (watchdog_test_nmi(&svc, &rip, &sent))
		kprintf("test: the AP's NMI %u landed on cpu %u in %s at rip %p\n",
			sent, this_cpu_apic_id(), svc, (void *)rip);
	if (nmi_during_call == 1 && efi.runtime_enabled && !efi.fault_disabled)
		ktap_result(true, "trap.nmi_during_call", "1 NMI taken in a "
			    "firmware call and resumed; runtime services still on");
	else
		ktap_result(false, "trap.nmi_during_call", "%u NMI%s taken in a "
			    "firmware call; runtime services %s%s", nmi_during_call,
			    nmi_during_call == 1 ? "" : "s",
			    efi.runtime_enabled ? "on" : "OFF",
			    efi.fault_disabled ? ": the NMI ended the call as a "
						 "firmware fault" : "");
}

/*
 * test=efi-directmap: GetTime's buffer is a direct-map address of a page
 * the kernel allocated — a firmware writing into kernel memory through a
 * kernel address it was never handed. A guarded efi_pgd leaves the direct
 * map out (efi.strict) or read-only (efi.shared): the write faults and the
 * page keeps its bytes. test=strict-leak leaves it writable — the page
 * mapped into a strict efi_pgd, the direct map's top entry writable in a
 * shared one — which the check must then fail.
 */
static bool directmap_leak(u64 va, u64 pa, bool on)
{
	u64 *top = __va(efi.efi_pgd);

	if (efi.strict && on)
		return !pt_map(efi.pt, efi.efi_pgd, va, pa, SZ_4K, MAP_WRITE);
	if (efi.strict) {
		pt_unmap(efi.pt, efi.efi_pgd, va, SZ_4K);
		invlpg(va);
		return true;
	}
	if (on)
		top[PGD_INDEX(va)] |= PTE_WRITE;
	else
		top[PGD_INDEX(va)] &= ~PTE_WRITE;
	flush_tlb_all();
	return true;
}

static void directmap_test(void)
{
	bool leak;
	efi_status_t st;
	u32 before, after, kbefore, kafter;
	u64 pa;
	u8 *p;

	if (!(kopt.test & TEST_EFI_DIRECTMAP))
		return;
	if (!efi_usable("efi.directmap", RT_GET_TIME))
		return;
	if (mm_alloc_page_below(0, &pa)) {
		ktap_skip("efi.directmap", "no page to aim at");
		return;
	}
	p = __va(pa);
	memset(p, 0xa5, SZ_4K);
	kprintf("test: GetTime with the direct-map address %p (a page the "
		"kernel allocated)\n", (void *)p);
	leak = efi.guarded && (kopt.test & TEST_STRICT_LEAK) &&
	       directmap_leak((u64)p, pa, true);
	if (leak)
		kprintf("test: the page left writable in efi_pgd (a leak a "
			"guarded efi_pgd must not have)\n");
	before = results_crc32(p, SZ_4K);
	kbefore = kernel_hash();
	st = efi_call(RT_GET_TIME, 2, (u64)p, (u64)0);
	after = results_crc32(p, SZ_4K);
	kafter = kernel_hash();
	if (leak)
		directmap_leak((u64)p, pa, false);
	if (efi.guarded)
		ktap_result(st == EFI_ABORTED && before == after && kbefore == kafter,
			    "efi.directmap", "GetTime returned %s; the page, the "
			    "kernel's tables and image %s", efi_status_name(st),
			    before == after && kbefore == kafter ? "unchanged"
								: "CHANGED");
	else
		ktap_skip("efi.directmap", "efi_pgd was never guarded (%s): "
			  "GetTime returned %s and the page %s",
			  efi.disabled_why ? efi.disabled_why : "no memory",
			  efi_status_name(st), before == after ? "is unchanged"
							      : "CHANGED");
	mm_free_page(pa);
}

struct strict_walk {
	u64 outside, writable, global;
};

static int strict_leaf(const struct pt_range *r, void *arg)
{
	struct strict_walk *sw = arg;
	u64 end = r->va + r->size;

	if (r->va < (u64)__kernel_start || end > (u64)__kernel_end)
		sw->outside++;
	else if ((r->flags & MAP_WRITE) && (r->va < (u64)__efi_shared_start ||
					    end > (u64)__efi_shared_end))
		sw->writable++;
	if (r->flags & MAP_GLOBAL)
		sw->global++;
	return 0;
}

/* efi.strict: asked for on the command line; efi_pgd's kernel half really
 * is the image alone (walked, outside the EFI window), and no call reached
 * past it. */
static void check_shared(void)
{
	if (!efi_kguard_on())
		ktap_skip("efi.shared", "%s", !efi.guarded
			  ? (efi.disabled_why ? efi.disabled_why : "no efi_pgd")
			  : "no memory for the copy of vamap's data: unwatched");
	else if (efi.shared_written || efi.guard_refused) {
		char wrote[128] = "", ended[128] = "";

		if (efi.shared_written)
			ksnprintf(wrote, sizeof(wrote), "%u call%s changed vamap's "
				  "data or bss (first: %s), named and put back%s",
				  efi.shared_written, efi.shared_written == 1 ? "" : "s",
				  efi_rt_service_name(efi.shared_first_svc),
				  efi.guard_refused ? "; " : "");
		if (efi.guard_refused)
			ksnprintf(ended, sizeof(ended), "%u call%s ended writing "
				  "where efi_pgd keeps vamap's memory read-only "
				  "(first: %s)", efi.guard_refused,
				  efi.guard_refused == 1 ? "" : "s",
				  efi_rt_service_name(efi.guard_refused_svc));
		ktap_result(false, "efi.shared", "%s%s (after ExitBootServices "
			    "that memory is the OS's: UEFI 2.10 7.4.6)", wrote, ended);
	}
	else
		ktap_result(true, "efi.shared", "%u call%s left vamap's data and "
			    "bss as they were; its stack, the trap state, the "
			    "direct map, the late mappings and the fixmap are "
			    "read-only in efi_pgd", efi.calls,
			    efi.calls == 1 ? "" : "s");
}

static void check_strict(void)
{
	struct efi_window w;
	struct strict_walk sw = { 0 };

	if (!kopt.efi_strict) {
		check_shared();
		return;
	}
	if (!efi.strict) {
		ktap_skip("efi.strict", "no strict efi_pgd: %s", efi.disabled_why
			  ? efi.disabled_why : "runtime services are off");
		return;
	}
	/* The kernel half around the EFI window (none in the 1:1 modes). */
	efi_mode_window(efi.mode, &w);
	pt_walk(efi.pt, efi.efi_pgd, pt_canonical(LOW_HALF_END),
		w.base, strict_leaf, &sw);
	if (w.base)
		pt_walk(efi.pt, efi.efi_pgd, w.top, 0, strict_leaf, &sw);
	if (sw.outside || sw.writable || sw.global)
		ktap_result(false, "efi.strict", "efi_pgd's kernel half maps %lu "
			    "ranges outside the image, %lu writable outside the "
			    "shared section, %lu global", (unsigned long)sw.outside,
			    (unsigned long)sw.writable, (unsigned long)sw.global);
	else if (efi.guard_refused)
		ktap_result(false, "efi.strict", "%u call%s reached kernel memory "
			    "no argument pointed to, and ended (after "
			    "ExitBootServices the OS owns that memory: UEFI 2.10 "
			    "7.4.6)", efi.guard_refused,
			    efi.guard_refused == 1 ? "" : "s");
	else
		ktap_result(true, "efi.strict", "kernel half: the image alone, "
			    "writable only the shared section; no call reached "
			    "past it");
}

static void check_low_half(void)
{
	/* Each mode's own reason: only efi=slot and linux drop the 1:1 map
	 * the stray accesses would go through. */
	if (efi.mode == EFI_MODE_NORUNTIME)
		ktap_skip("efi.low_half", "%s", efi.disabled_why);
	else if (efi.mode == EFI_MODE_1TO1)
		ktap_skip("efi.low_half", "efi=1to1: the runtime regions' virtual "
			  "addresses are their physical ones, so there is no 1:1 "
			  "map to drop");
	else if (efi.mode == EFI_MODE_NOVAMAP)
		ktap_skip("efi.low_half", "efi=novamap: no SetVirtualAddressMap, "
			  "the firmware runs at its physical addresses");
	else if (!efi.low_half_dropped)
		ktap_skip("efi.low_half", "the 1:1 map was never dropped: %s",
			  efi.disabled_why ? efi.disabled_why : "no SVAM");
	else if (efi.stray_refused)
		ktap_result(false, "efi.low_half", "%lu firmware page%s lent after "
			    "stray accesses; %u call%s ended by a stray access, %u "
			    "of them reaching kernel memory (UEFI 2.10 8.4)",
			    (unsigned long)efi.lent_pages,
			    efi.lent_pages == 1 ? "" : "s", efi.stray_refused,
			    efi.stray_refused == 1 ? "" : "s", efi.kernel_refused);
	else if (efi.lent_window)
		ktap_result(false, "efi.low_half", "%lu firmware page%s lent after "
			    "stray accesses: %lu through the dropped 1:1 map (UEFI "
			    "2.10 8.4), %lu by boot-services window address (UEFI "
			    "2.10 7.4.6)", (unsigned long)efi.lent_pages,
			    efi.lent_pages == 1 ? "" : "s",
			    (unsigned long)(efi.lent_pages - efi.lent_window),
			    (unsigned long)efi.lent_window);
	else
		ktap_result(efi.lent_pages == 0, "efi.low_half",
			    "%lu firmware page%s lent after stray accesses through the "
			    "dropped 1:1 map%s", (unsigned long)efi.lent_pages,
			    efi.lent_pages == 1 ? "" : "s",
			    efi.lent_pages ? " (UEFI 2.10 8.4)" : "");
}

static void check_monotonic(void)
{
	u32 a = 0, b = 0;
	efi_status_t s1, s2;

	if (!efi_usable("efi.monotonic_count", RT_GET_NEXT_HIGH_MONO_COUNT))
		return;
	s1 = efi_call(RT_GET_NEXT_HIGH_MONO_COUNT, 1, (u64)&a);
	s2 = efi_call(RT_GET_NEXT_HIGH_MONO_COUNT, 1, (u64)&b);
	if (s1 == EFI_UNSUPPORTED) {
		ktap_skip("efi.monotonic_count", "returned UNSUPPORTED");
		return;
	}
	if (s1 != EFI_SUCCESS || s2 != EFI_SUCCESS) {
		status_line("efi.monotonic_count", s1 != EFI_SUCCESS ? s1 : s2,
			    "GetNextHighMonotonicCount");
		return;
	}
	efi_note_monotonic_high(b);
	ktap_result(b > a, "efi.monotonic_count", "%u then %u", a, b);
}

static void check_pgd(void)
{
	struct pgd_check c;
	u64 wx, forced;

	mm_table_list_check(&c);
	kprintf("mm: table list: %u tables, %u entries compared, %u mismatches; "
		"checked after each of %u kernel-half changes, worst %u\n",
		c.tables, c.entries, c.mismatches, kpgd_stats.checks,
		kpgd_stats.worst_mismatches);
	ktap_result(c.mismatches == 0 && kpgd_stats.worst_mismatches == 0,
		    "mm.table_list", "%u mismatches", c.mismatches);
	if (!efi.efi_pgd) {
		ktap_skip("efi.wx", "no efi_pgd");
		return;
	}
	wx = ptdump_wx_check(efi.pt, efi.efi_pgd);
	if (!mm_has_nx()) {
		ktap_skip("efi.wx", "the CPU has no NX (Execute Disable): every "
			  "page is executable");
		return;
	}
	forced = efi.forced_rwx_pages;
	if (wx < forced)
		forced = wx;
	if (forced && wx == forced)
		ktap_result(true, "efi.wx", "0 W+X pages of vamap's choosing; %lu "
			    "RuntimeCode page%s RWX: no valid memory attributes "
			    "entry splits code from data (UEFI 2.10 4.6.4)",
			    (unsigned long)forced, forced == 1 ? " stays" : "s stay");
	else
		ktap_result(wx == 0, "efi.wx", "%lu W+X pages in efi_pgd",
			    (unsigned long)(wx - forced));
}

/* efi.memattr: the table's header and entries, as efi/tables.c judged
 * them. An absent table is allowed (UEFI 2.10, 4.6.4). */
static void check_memattr(void)
{
	const struct efi_memattr_parsed *t = efi_memattr.parsed;

	if (!efi_memattr.found)
		ktap_skip("efi.memattr", "no memory attributes table (optional, "
			  "UEFI 2.10 4.6.4): RuntimeCode is mapped RWX");
	else if (!efi_memattr.usable)
		ktap_result(false, "efi.memattr", "table refused (%s): UEFI 2.10 "
			    "4.6.4", efi_memattr.why ? efi_memattr.why : "unreadable");
	else if (t->rejected)
		ktap_result(false, "efi.memattr", "%u of %u entries broke UEFI "
			    "2.10 4.6.4 and were not applied", t->rejected,
			    t->hdr.nr_entries);
	else
		ktap_result(true, "efi.memattr", "%u entries valid", t->n);
}

void efi_dump_pgd(void)
{
	if (!efi.efi_pgd)
		return;
	kprintf("== ptdump efi_pgd (low half and EFI window; %s)\n", efi.strict
		? "efi.strict: the kernel image is all of the kernel half"
		: efi.guarded ? "efi.shared: the kernel image, its own; the rest "
		"is swapper_pg_dir's, read-only" : "the rest is swapper_pg_dir's");
	ptdump(efi.pt, efi.efi_pgd, 0, LOW_HALF_END, mm_markers);
	if (efi.guarded)
		ptdump(efi.pt, efi.efi_pgd, KERNEL_VIRT_BASE, (u64)__kernel_end,
		       mm_markers);
	if (efi.mode == EFI_MODE_SLOT)
		ptdump(efi.pt, efi.efi_pgd, EFI_SLOT_BASE, EFI_SLOT_BASE + EFI_SLOT_SIZE,
		       mm_markers);
	else if (efi.mode == EFI_MODE_LINUX)
		ptdump(efi.pt, efi.efi_pgd, EFI_LINUX_BASE, EFI_LINUX_TOP, mm_markers);
}

/*
 * svam=: what each map the firmware was handed before vamap's own came
 * back with (efi/setup.c), against UEFI 2.10 8.4.1's statuses. Only the
 * probes asked for print.
 */
static void check_svam_probes(void)
{
	static const struct {
		const char *label;
		efi_status_t want; /* EFI_ABORTED: any refusal will do */
		const char *rule;
	} probes[SVAM_NR_PROBES] = {
		{ "efi.svam.probe.bad_version", EFI_INVALID_PARAMETER,
		  "INVALID_PARAMETER: DescriptorVersion is invalid" },
		{ "efi.svam.probe.bad_size", EFI_INVALID_PARAMETER,
		  "INVALID_PARAMETER: DescriptorSize is invalid" },
		{ "efi.svam.probe.unknown", EFI_NOT_FOUND,
		  "NOT_FOUND: a virtual address supplied for an address not "
		  "in the memory map" },
		{ "efi.svam.probe.missing", EFI_NO_MAPPING,
		  "NO_MAPPING: no virtual address supplied for a range that "
		  "requires one" },
		{ "efi.svam.probe.misaligned", EFI_ABORTED,
		  "a refusal: VirtualStart must be 4 KiB aligned (7.2)" },
		{ "efi.svam.probe.shuffled", EFI_SUCCESS,
		  "SUCCESS: nothing orders the map's descriptors" },
	};
	unsigned int k;

	for (k = 0; k < SVAM_NR_PROBES; k++) {
		const char *label = probes[k].label;
		efi_status_t st = efi.probe[k].status;

		if (!(kopt.svam_probes & (1u << k)))
			continue;
		if (efi.mode == EFI_MODE_NORUNTIME || efi.mode == EFI_MODE_NOVAMAP) {
			ktap_skip(label, "efi=%s: no SetVirtualAddressMap",
				  efi_mode_name(efi.mode));
		} else if (probes[k].want == EFI_SUCCESS) {
			/* shuffled is vamap's own map: efi.svam's verdict,
			 * and every check after it, is this one's */
			if (!efi.svam_called || efi.probe_accepted)
				ktap_skip(label, "vamap's own map was never passed");
			else
				ktap_result(efi.svam_status == EFI_SUCCESS, label,
					    "%s; UEFI 2.10 8.4.1 wants %s",
					    efi_status_name(efi.svam_status),
					    probes[k].rule);
		} else if (!efi.probe[k].run) {
			ktap_skip(label, efi.probe_accepted
					 ? "the firmware accepted an earlier probe"
					 : "runtime services are off: %s",
				  efi.disabled_why);
		} else if (probes[k].want == EFI_ABORTED
				   ? st != EFI_SUCCESS && st != EFI_ABORTED
				   : st == probes[k].want) {
			ktap_result(true, label, "%s refused with %s", efi.probe[k].what,
				    efi_status_name(st));
		} else if (st == EFI_SUCCESS) {
			ktap_result(false, label, "%s accepted (SUCCESS); UEFI 2.10 "
				    "8.4.1 wants %s; runtime services off",
				    efi.probe[k].what, probes[k].rule);
		} else if (st == EFI_ABORTED) {
			ktap_result(false, label, "%s: the call was ended: %s",
				    efi.probe[k].what, efi.disabled_why);
		} else {
			ktap_result(false, label, "%s refused with %s; UEFI 2.10 "
				    "8.4.1 wants %s", efi.probe[k].what,
				    efi_status_name(st), probes[k].rule);
		}
	}
}

/* efi.fault: no firmware call ended in an exception (a hang is
 * efi.watchdog's). Each fault's lines are its details; the service's own
 * check was a SKIP naming it. A firmware fault is never a [low] finding
 * because the service that faulted is a low one. */
static void check_fault(void)
{
	if (efi.mode == EFI_MODE_NORUNTIME || efi.no_runtime_regions)
		ktap_skip("efi.fault", "%s", efi.mode == EFI_MODE_NORUNTIME
			  ? efi.disabled_why : "no EFI_MEMORY_RUNTIME descriptor");
	else if (efi.faults)
		ktap_result(false, "efi.fault", "%u call%s ended by an exception "
			    "in the firmware (first: %s, %s): runtime services "
			    "off from there (UEFI 2.10 chapter 8: each service "
			    "returns an EFI_STATUS)", efi.faults, efi.faults == 1 ? ""
			    : "s", efi_rt_service_name(efi.fault_svc),
			    trap_name(efi.fault_vector));
	else
		ktap_result(true, "efi.fault", "%u call%s, none ended by an "
			    "exception", efi.calls, efi.calls == 1 ? "" : "s");
}

/*
 * The SMIs the boot CPU took in the calls above, per service (smi.h):
 * which services enter SMM, and how often, is the firmware's to know and
 * the OS's to pay for; an SMI more than a service needs is one vamap did
 * not ask for (a late CPU's, a periodic one), and the number to look at
 * beside an answer that changes with the host's load (issue 27).
 */
static void smi_summary(void)
{
	u32 calls = 0, smis = 0, most = 0;
	unsigned int i, most_svc = 0;
	char line[400];
	size_t n = 0;

	line[0] = '\0';
	for (i = 0; i < RT_NR_SERVICES; i++) {
		const struct efi_smi_tally *t = &efi.smi[i];

		if (!t->calls)
			continue;
		calls += t->calls;
		smis += t->smis;
		if (t->most > most) {
			most = t->most;
			most_svc = i;
		}
		if (n < sizeof(line))
			n += (size_t)ksnprintf(line + n, sizeof(line) - n,
					       "%s%s %u/%u", n ? ", " : "",
					       efi_rt_service_name(i), t->smis,
					       t->calls);
	}
	if (!calls)
		return; /* no counter (== machine says why), or no call */
	kprintf("efi: SMIs/calls per service (MSR 0x34, boot CPU): %s\n", line);
	if (most > 1)
		ktap_diag("SMIs in runtime calls: %u in %u calls, at most %u in "
			  "one call (first in %s)", smis, calls, most,
			  efi_rt_service_name(most_svc));
	else if (most)
		ktap_diag("SMIs in runtime calls: %u in %u calls, at most 1 in "
			  "one call", smis, calls);
	else
		ktap_diag("SMIs in runtime calls: none in %u calls", calls);
}

void efi_checks(const struct boot_info *bi)
{
	check_pgd();
	check_memattr();
	if (efi.no_runtime_regions) {
		ktap_skip("efi.svam", "no EFI_MEMORY_RUNTIME descriptor");
	} else if (efi.mode == EFI_MODE_NORUNTIME) {
		ktap_skip("efi.svam", "%s", efi.disabled_why);
	} else if (efi.mode == EFI_MODE_NOVAMAP) {
		ktap_skip("efi.svam", "efi=novamap");
	} else if (efi.probe_accepted) {
		ktap_skip("efi.svam", "the firmware accepted an svam= probe's map, "
			  "so vamap's own was never passed");
	} else {
		ktap_result(efi.svam_called && efi.svam_status == EFI_SUCCESS,
			    "efi.svam", efi.svam_called ? "%s" : "not called: %s",
			    efi.svam_called ? efi_status_name(efi.svam_status)
					    : efi.disabled_why);
	}
	if (efi.mode == EFI_MODE_NORUNTIME && !efi.fw32)
		ktap_skip("efi.svam.location", "%s", efi.disabled_why);
	else if (!efi.svam_located)
		ktap_skip("efi.svam.location", "the runtime services table was "
			  "not read: %s", efi.disabled_why ? efi.disabled_why : "?");
	else if (efi.svam_misplaced)
		ktap_result(false, "efi.svam.location", "%s outside "
			    "RuntimeServicesCode when the OS is to call %s (UEFI "
			    "2.10 8.4)", efi.svam_misplaced == 3
			    ? "SetVirtualAddressMap and ConvertPointer lie"
			    : efi.svam_misplaced == 1 ? "SetVirtualAddressMap lies"
						      : "ConvertPointer lies",
			    efi.svam_misplaced == 3 ? "them" : "it");
	else
		ktap_result(true, "efi.svam.location", "SetVirtualAddressMap and "
			    "ConvertPointer in RuntimeServicesCode");
	check_svam_probes();
	if (efi.mode == EFI_MODE_NORUNTIME)
		ktap_skip("efi.pointers", "%s", efi.disabled_why);
	else if (efi.no_runtime_regions)
		ktap_skip("efi.pointers", "no EFI_MEMORY_RUNTIME descriptor");
	else if (efi.svam_called && efi.svam_status != EFI_SUCCESS)
		ktap_skip("efi.pointers", "SetVirtualAddressMap failed: the "
			  "table was never converted");
	else if (efi.probe_accepted)
		ktap_skip("efi.pointers", "the firmware converted its table with "
			  "an svam= probe's map");
	else if (!efi.pointers_ok)
		ktap_result(false, "efi.pointers", "%u service pointer%s outside "
			    "runtime code the attributes table lets run (UEFI 2.10 "
			    "4.6.4, 8.4)", efi.pointers_bad,
			    efi.pointers_bad == 1 ? "" : "s");
	else
		ktap_result(true, "efi.pointers", "every service in a runtime code "
			    "region%s", efi_memattr.usable ? " the attributes table "
			    "lets run" : "");
	check_time();
	check_wakeup_time();
	check_global_vars();
	check_enumeration();
	check_query_variable_info();
	check_volatile_refused();
	check_set_variable("efi.set_variable.nonvolatile", u"VamapNonVolatile",
			   NV_BS_RT);
	check_monotonic();
	efi_check_monotonic_reset(bi->mono_status, bi->mono_count,
				  bi->mono_prev_known, bi->mono_prev_high);
	efi.t_conform_start = rdtsc();
	if (kopt.test & TEST_SMI_LATE)
		smi_late_test();
	efi_conformance();
	efi.t_conform_end = rdtsc();
	efi_authvar();
	if (kopt.stress)
		efi_stress();
	lowref_test();
	check_low_half();
	directmap_test();
	check_strict();
	check_nmi_during_call();
	check_watchdog();
	check_abi();
	check_buffers();
	check_tables(bi);
	check_stack();
	check_fault();
	smi_summary();
	/* For the next boot's efi.monotonic.reset (results.h). */
	if (efi.mono_seen)
		ktap_diag("monotonic high count: %u", efi.mono_high);
}

void efi_reset(enum efi_reset_type type)
{
	kprintf("efi: ResetSystem(%s)\n",
		type == EFI_RESET_COLD ? "cold" : type == EFI_RESET_WARM ? "warm"
									 : "shutdown");
	efi_call(RT_RESET_SYSTEM, 4, (u64)type, (u64)EFI_SUCCESS, (u64)0, (u64)0);
	kprintf("efi: ResetSystem returned\n");
}
