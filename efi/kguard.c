// SPDX-License-Identifier: MIT
/*
 * efi.shared: the seeds' efi_pgd, a copy of the kernel half, as Linux's
 * efi_mm maps it. The firmware may write the kernel image's data and bss
 * there (every static of vamap's: the IDT, the GDT and TSS, the EFI state,
 * the KTAP results), and this file watches them: a copy is taken right
 * before the firmware runs and compared right after, and around vamap's
 * own handler when it runs on top of a call (compared when it starts,
 * copied again when it goes back to the firmware); each changed range is
 * named with the service and the object, and put back. Not copied: the
 * section vamap shares with the firmware on purpose (stacks, argument
 * slots) and .bss.unwatched (state other CPUs write during a call, vamap's
 * stack, the thunk's), which efi_pgd maps read-only, as it does the
 * direct map, the late mappings (this copy among them) and the fixmap
 * (efi/pgd.c, efi_pgd_make_shared): a write there faults and is named.
 * docs/decisions.md, "No kernel byte changes under the firmware without a
 * name".
 */
#include "addr.h"
#include "efi_state.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "printf.h"
#include "x86.h"

extern char __data_start[], __efi_shared_start[], __efi_shared_end[],
	__unwatched_start[], __unwatched_end[], __bss_end[];

#define KGUARD_RANGES 3

static struct {
	bool on, armed;
	struct {
		u8 *p;
		u64 len;
	} r[KGUARD_RANGES];
	unsigned int n;
	u8 *shadow;
	u64 total;
	unsigned int printed; /* finding lines so far: the first few only */
} g __kguard_unwatched;

#define KGUARD_PRINT_MAX 4

static void add(void *p, u64 len)
{
	g.r[g.n].p = p;
	g.r[g.n].len = len;
	g.total += len;
	g.n++;
}

bool efi_kguard_init(void)
{
	compile_assert(kguard_ranges, KGUARD_RANGES >= 3);
	add(__data_start, (u64)(__efi_shared_start - __data_start));
	add(__efi_shared_end, (u64)(__unwatched_start - __efi_shared_end));
	add(__unwatched_end, (u64)(__bss_end - __unwatched_end));
	g.shadow = late_map(0, g.total, MAP_WRITE);
	if (!g.shadow) {
		kprintf("efi: efi.shared: no memory for the copy of vamap's data; "
			"firmware writes to it go unwatched\n");
		g.n = 0;
		return false;
	}
	g.on = true;
	kprintf("efi: efi.shared: vamap's data and bss (%lu KiB but the shared "
		"section and the read-only pages) are copied before and "
		"compared after every firmware call\n",
		(unsigned long)(g.total >> 10));
	return true;
}

void efi_kguard_snapshot(void)
{
	u8 *s = g.shadow;
	unsigned int i;

	if (!g.on)
		return;
	for (i = 0; i < g.n; s += g.r[i].len, i++)
		memcpy(s, g.r[i].p, g.r[i].len);
	g.armed = true;
}

bool efi_kernel_object_name(u64 a, char *buf, size_t n)
{
	struct desc_ptr d;

	store_idt(&d);
	if (a - d.base <= d.limit) {
		ksnprintf(buf, n, "the IDT +0x%lx", (unsigned long)(a - d.base));
		return true;
	}
	store_gdt(&d);
	if (a - d.base < SZ_4K) { /* struct cpu_gdt: the GDT, then the TSS */
		ksnprintf(buf, n, "the boot CPU's GDT and TSS +0x%lx",
			  (unsigned long)(a - d.base));
		return true;
	}
	if (a - (u64)&efi < sizeof(efi)) {
		ksnprintf(buf, n, "the EFI state (struct efi_state) +0x%lx",
			  (unsigned long)(a - (u64)&efi));
		return true;
	}
	if (a - (u64)__va(swapper_pg_dir) < SZ_4K) {
		ksnprintf(buf, n, "swapper_pg_dir's top-level table");
		return true;
	}
	if (a - (u64)__va(efi.efi_pgd) < SZ_4K) {
		ksnprintf(buf, n, "efi_pgd's top-level table");
		return true;
	}
	ksnprintf(buf, n, "vamap's %s +0x%lx (nm build/kernel.elf names it)",
		  a < (u64)__efi_shared_start ? "data" : "bss",
		  (unsigned long)(a - (u64)__kernel_start));
	return false;
}

/*
 * Compare with the copy; every changed range is noted first, everything
 * put back, and only then reported: printing writes vamap's bss (the
 * console, the check's details), which must not read as the firmware's.
 */
unsigned int efi_kguard_check(const char *svc, const char *when)
{
	struct {
		u64 at, len;
	} run[8];
	const u8 *s = g.shadow;
	unsigned int i, n = 0, more = 0;
	u64 k;

	if (!g.on || !g.armed)
		return 0;
	g.armed = false;
	for (i = 0; i < g.n; s += g.r[i].len, i++) {
		u8 *p = g.r[i].p;

		if (!memcmp(p, s, g.r[i].len))
			continue;
		for (k = 0; k < g.r[i].len; k++) {
			u64 end = k;

			while (end < g.r[i].len && p[end] != s[end])
				end++;
			if (end == k)
				continue;
			if (n < ARRAY_SIZE(run)) {
				run[n].at = (u64)p + k;
				run[n].len = end - k;
				n++;
			} else {
				more++;
			}
			memcpy(p + k, s + k, end - k);
			k = end;
		}
	}
	for (i = 0; i < n && g.printed < KGUARD_PRINT_MAX; i++) {
		char what[96];

		if (++g.printed == KGUARD_PRINT_MAX)
			kprintf("efi: (efi.shared: later writes are counted, not "
				"printed)\n");
		efi_kernel_object_name(run[i].at, what, sizeof(what));
		kdetail("efi.shared", "efi: finding: %s wrote %lu byte%s of "
			"vamap's own memory at %p (%s) %s; put back (UEFI 2.10 "
			"7.4.6: after ExitBootServices that memory is the OS's)\n",
			svc, (unsigned long)run[i].len, run[i].len == 1 ? "" : "s",
			(void *)run[i].at, what, when);
	}
	if (more && g.printed < KGUARD_PRINT_MAX)
		kdetail("efi.shared", "efi:   and %u more changed range%s, put "
			"back\n", more, more == 1 ? "" : "s");
	return n + more;
}

bool efi_kguard_on(void)
{
	return g.on;
}

bool efi_kguard_armed(void)
{
	return g.armed;
}
