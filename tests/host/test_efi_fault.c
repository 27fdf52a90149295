// SPDX-License-Identifier: MIT
// sources: efi/fault_policy.c mm/memmap.c efi/memmap.c efi/memdesc.c kernel/printf.c
/*
 * The firmware-fault decision table (efi_fault.h), one case per row: what
 * is lent (firmware-owned memory, one page, resumed; by physical address
 * or, under efi=linux, by a boot-services window address) and what never
 * is (memory the kernel owns, protection violations, anything outside the
 * dropped 1:1 map and the window), with the per-call and per-boot limits.
 */
#include "check.h"
#include "efi_defs.h"
#include "efi_memdesc.h"
#include "efi_fault.h"
#include "pgtable.h"
#include "rawmap.h"
#include "sim.h"

static struct mem_region regions[64];
static struct memmap map = { regions, 0, 64, 0, 0 };

static void build(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);  /* 1-2 MiB */
	raw_add(EFI_LOADER_DATA, 0x200000, 0x400, EFI_MEMORY_WB);	   /* 2-6 MiB */
	raw_add(EFI_BOOT_SERVICES_CODE, 0x600000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_BOOT_SERVICES_DATA, 0x610000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x620000, 0x10,
		EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
	raw_add(EFI_ACPI_MEMORY_NVS, 0x630000, 0x10, EFI_MEMORY_WB);
	raw_add(EFI_MEMORY_MAPPED_IO, 0xfee00000, 1, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
	/* reserved, with an attribute field of 0: not declared write-back */
	raw_add(EFI_RESERVED_TYPE, 0x640000, 0x10, 0);
	CHECK_EQ(efi_memmap_import(&map, raw, (u64)nraw * STRIDE, STRIDE), 0);
	/* the kernel image inside loader data, as the stub places it */
	CHECK_EQ(memmap_reserve(&map, 0x400000, 0x500000, "kernel image"), 0);
}

static struct efi_fault_decision decide(unsigned int vector, u64 error, u64 cr2)
{
	struct efi_fault_in in = { vector, error, cr2, false, cr2,
				   memmap_find(&map, cr2), true, 0, 0 };
	struct efi_fault_decision d;

	efi_fault_decide(&in, &d);
	return d;
}

static void test_lent(void)
{
	struct efi_fault_decision d;

	build();
	d = decide(14, 0, 0x610123); /* read BootData */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.cls, EFI_FAULT_STRAY_PHYS);
	CHECK_EQ(d.map_flags, MAP_WRITE);
	CHECK_EQ(d.region->type, EFI_BOOT_SERVICES_DATA);
	d = decide(14, PF_ERR_FETCH, 0x600040); /* fetch BootCode */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.map_flags, MAP_EXEC);
	d = decide(14, PF_ERR_WRITE, 0x620008); /* write RuntimeData */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.map_flags, MAP_WRITE);
	CHECK_STR(d.why, "firmware-reserved memory: one page lent");
	d = decide(14, 0, 0x630000); /* ACPI NVS */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	d = decide(14, PF_ERR_WRITE, 0xfee000b0); /* MMIO: uncached */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.map_flags, MAP_WRITE | MAP_UC);
	/* attributes 0: uncached too (efi_mem_uncached; once lent WB) */
	d = decide(14, 0, 0x640000);
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.map_flags, MAP_WRITE | MAP_UC);
}

static void test_never_lent(void)
{
	struct efi_fault_decision d;
	struct efi_fault_in in = { 14, 0, 0x610000, false, 0x610000, NULL, true,
				   0, 0 };

	build();
	d = decide(14, PF_ERR_WRITE, 0x100000); /* Conventional: allocator's */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_EQ(d.cls, EFI_FAULT_STRAY_PHYS); /* refused, still stray */
	CHECK_STR(d.why, "usable memory, the frame allocator's: never lent");
	CHECK(d.kernel_owned);
	d = decide(14, PF_ERR_WRITE, 0x200000); /* LoaderData: allocator's */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	d = decide(14, PF_ERR_WRITE, 0x401000); /* the kernel image */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_STR(d.why, "memory the kernel reserved for itself: never lent");
	CHECK_STR(d.region->why, "kernel image");
	CHECK(d.kernel_owned);
	d = decide(14, PF_ERR_WRITE | PF_ERR_PRESENT, 0x610000); /* protection */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK(!d.kernel_owned);
	CHECK_EQ(d.cls, EFI_FAULT_STRAY_PHYS); /* a low-half address, still */
	d = decide(14, PF_ERR_RSVD, 0x610000);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	/* a write to the kernel's RAM, read-only in SVAM's 1:1 map */
	d = decide(14, PF_ERR_WRITE | PF_ERR_PRESENT, 0x100018);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK(d.kernel_owned);
	CHECK(strstr(d.why, "read-only to the firmware") != NULL);
	d = decide(14, 0, 0xffffff0000001000ULL); /* kernel half */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_EQ(d.cls, EFI_FAULT_OUTSIDE);
	d = decide(14, PF_ERR_WRITE | PF_ERR_PRESENT, 0xffffff0000001000ULL);
	CHECK_EQ(d.cls, EFI_FAULT_PROTECTION); /* its own RO code, say */
	/* in no region (HPET, chipset MMIO): refused, and a stray access
	 * that fails efi.low_half like any other */
	d = decide(14, 0, 0x7000000);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK(d.region == NULL);
	CHECK_EQ(d.cls, EFI_FAULT_STRAY_PHYS);
	CHECK(efi_fault_stray(d.cls));
	d = decide(13, 0, 0x610000); /* #GP */
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_EQ(d.cls, EFI_FAULT_EXCEPTION);
	CHECK(!efi_fault_stray(d.cls));
	CHECK_STR(efi_fault_class_name(EFI_FAULT_STRAY_PHYS),
		  "a stray physical access after SetVirtualAddressMap");
	/* the 1:1 map is still there (efi=1to1, novamap): nothing to lend */
	in.region = memmap_find(&map, in.cr2);
	in.low_half_dropped = false;
	efi_fault_decide(&in, &d);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_EQ(d.cls, EFI_FAULT_NO_1TO1);
	/* limits */
	in.low_half_dropped = true;
	in.lent_this_call = EFI_LEND_MAX_PER_CALL;
	efi_fault_decide(&in, &d);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	in.lent_this_call = 0;
	in.lent_total = EFI_LEND_MAX;
	efi_fault_decide(&in, &d);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	/* once boot-services memory is released it is the allocator's */
	memmap_release_boot_services(&map);
	d = decide(14, 0, 0x610000);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
}

/* efi=linux: a boot-services region's window address, unmapped after
 * SVAM, stands for its physical page. */
static struct efi_fault_decision decide_window(u64 error, u64 cr2, u64 pa)
{
	struct efi_fault_in in = { 14, error, cr2, true, pa,
				   memmap_find(&map, pa), true, 0, 0 };
	struct efi_fault_decision d;

	efi_fault_decide(&in, &d);
	return d;
}

static void test_window(void)
{
	const u64 win = 0xfffffffefcd00000ULL;
	struct efi_fault_decision d;

	build();
	d = decide_window(PF_ERR_WRITE, win + 0x106, 0x610106);
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.cls, EFI_FAULT_STRAY_WINDOW);
	CHECK_EQ(d.map_flags, MAP_WRITE);
	CHECK_EQ(d.region->type, EFI_BOOT_SERVICES_DATA);
	CHECK_STR(d.why, "boot-services memory, still reserved: one page lent");
	d = decide_window(PF_ERR_FETCH, win, 0x600000); /* BootCode */
	CHECK_EQ(d.action, EFI_FAULT_LEND);
	CHECK_EQ(d.map_flags, MAP_EXEC);
	/* mapped there and refused: a protection violation stays one */
	d = decide_window(PF_ERR_WRITE | PF_ERR_PRESENT, win, 0x610000);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_EQ(d.cls, EFI_FAULT_PROTECTION);
	/* the same address once the memory went to the allocator */
	memmap_release_boot_services(&map);
	d = decide_window(PF_ERR_WRITE, win + 0x106, 0x610106);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK(d.kernel_owned);
	/* a kernel-half address that is no window page: never lent */
	d = decide(14, PF_ERR_WRITE, win);
	CHECK_EQ(d.action, EFI_FAULT_ABORT);
	CHECK_STR(d.why, "outside the low half, where nothing is lent");
}

static void test_access_words(void)
{
	CHECK_STR(efi_pf_access(0), "read from a not-present page");
	CHECK_STR(efi_pf_access(PF_ERR_WRITE), "write to a not-present page");
	CHECK_STR(efi_pf_access(PF_ERR_WRITE | PF_ERR_PRESENT),
		  "write to a read-only page");
	CHECK_STR(efi_pf_access(PF_ERR_FETCH | PF_ERR_PRESENT),
		  "instruction fetch from a non-executable page");
	CHECK_STR(efi_pf_access(PF_ERR_FETCH), "instruction fetch from a not-present page");
	CHECK_STR(efi_pf_access(PF_ERR_RSVD | PF_ERR_PRESENT),
		  "reserved bit set in a paging entry");
}

int main(void)
{
	RUN(test_lent);
	RUN(test_never_lent);
	RUN(test_window);
	RUN(test_access_words);
	return check_exit();
}
