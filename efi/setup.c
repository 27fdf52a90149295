// SPDX-License-Identifier: MIT
/*
 * EFI setup after swapper_pg_dir is live (DESIGN.md, "SVAM"):
 *
 *  1. read the system and runtime tables (through the direct map)
 *  2. plan the runtime VAs (efi/va.c) for the mode's window
 *  3. build efi_pgd (efi/pgd.c) and put it on the table list
 *  4. map, in efi_pgd only: the 1:1 map of all RAM (NX; the firmware's
 *     RW, the kernel's read-only), runtime and
 *     boot-services code 1:1 RWX (the firmware relocates itself in place
 *     during SVAM and some firmware runs boot-services code then), runtime
 *     MMIO 1:1 UC, and the runtime regions at their new VAs with the
 *     memory attributes table applied (code RO+X, data RW+NX)
 *  5. SetVirtualAddressMap with only the runtime descriptors, firmware
 *     desc_size/desc_version, the buffer's physical address
 *  6. re-read the runtime table at its new address and check every
 *     service pointer lies in a runtime code region
 *  7. drop the 1:1 map except what the mode needs (and efi=linux's
 *     boot-services regions from the window); boot-services memory stays
 *     reserved until efi_release_boot_services(), after the checks
 * Any failure: a line saying what, runtime services off, the boot goes on.
 */
#include "addr.h"
#include "directmap.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_memattr.h"
#include "efi_memdesc.h"
#include "efi_tables.h"
#include "kernel.h"
#include "mm.h"
#include "ptdump.h"
#include "x86.h"

#define RT_REGION_FLAGS_MMIO (MAP_WRITE | MAP_UC)

static const u8 *raw_map;
static u64 raw_size, raw_desc_size;
static u32 raw_desc_version;

/* The SVAM map: only the runtime descriptors, firmware stride. */
static u8 svam_map[EFI_MAX_RT_REGIONS * 64] __aligned(16) __efi_shared;

static void disable(const char *why)
{
	efi.runtime_enabled = false;
	efi.disabled_why = why;
	kprintf("efi: runtime services off: %s\n", why);
}

/* A physical address we may read through the direct map. */
static const void *phys(u64 pa, u64 len)
{
	if (!pa || pa + len > direct_map_end || pa + len < pa)
		return NULL;
	return __va(pa);
}

static bool is_code(u32 type)
{
	return type == EFI_RUNTIME_SERVICES_CODE;
}

/* Which regions are mapped executable before any attributes table speaks:
 * runtime code, and boot-services code, which firmware may still run
 * during SVAM (U-Boot's SetVirtualAddressMap lives there). Linux's
 * __map_region() makes the same exception. */
static bool maps_code(u32 type)
{
	return type == EFI_RUNTIME_SERVICES_CODE || type == EFI_BOOT_SERVICES_CODE;
}

static bool is_mmio(const struct efi_rt_region *r)
{
	return !(r->attr & EFI_MEMORY_WB) || r->type == EFI_MEMORY_MAPPED_IO ||
	       r->type == EFI_MEMORY_MAPPED_IO_PORT_SPACE;
}

/* Default flags for a runtime region where no attributes table speaks:
 * code may hold data (no table to split it), so it stays RWX. */
/*
 * efi.strict: of the kernel half, efi_pgd keeps the kernel image alone —
 * text RX, rodata and data read-only, the __efi_shared section (stacks,
 * the thunk's saved RSP, argument buffers) RW — and leaves out the direct
 * map, the late mappings and the fixmap. trap_handler switches to
 * swapper_pg_dir before it touches anything else, so the IDT, GDT and TSS
 * only need to be readable. Nothing here is shared with swapper_pg_dir,
 * so efi_pgd is not on the table list.
 */
static int make_strict(enum efi_mode mode)
{
	const struct efi_strict_range keep[] = {
		{ (u64)__text_start, (u64)__text_end, MAP_EXEC, "text" },
		{ (u64)__rodata_start, (u64)__rodata_end, 0, "rodata" },
		{ (u64)__data_start, (u64)__efi_shared_start, 0, "data" },
		{ (u64)__efi_shared_start, (u64)__efi_shared_end, MAP_WRITE,
		  "shared" },
		{ (u64)__efi_shared_end, (u64)__bss_end, 0, "bss" },
	};
	int ret = efi_pgd_make_strict(&kctx, efi.efi_pgd, swapper_pg_dir, mode,
				      keep, ARRAY_SIZE(keep), &efi.strict_pages);

	if (ret) {
		disable("efi.strict: efi_pgd's kernel half could not be built");
		return ret;
	}
	efi.strict = true;
	kprintf("efi: efi.strict: efi_pgd's kernel half is the kernel image "
		"alone, %lu pages: text RX, rodata and data read-only, %lu "
		"pages of stacks and argument buffers RW; no direct map, no "
		"late mappings, no fixmap; not on the table list\n",
		(unsigned long)efi.strict_pages,
		(unsigned long)((__efi_shared_end - __efi_shared_start) >> 12));
	return 0;
}

static u32 default_flags(const struct efi_rt_region *r)
{
	if (is_mmio(r))
		return RT_REGION_FLAGS_MMIO;
	return maps_code(r->type) ? (MAP_WRITE | MAP_EXEC) : MAP_WRITE;
}

static int map_efi(u64 va, u64 pa, u64 size, u32 flags)
{
	int ret = pt_map(&kctx, efi.efi_pgd, va, pa, size, flags);

	if (ret)
		kprintf("efi: mapping 0x%016lx -> 0x%016lx (%lu KiB) in efi_pgd "
			"failed (%d)\n", (unsigned long)va, (unsigned long)pa,
			(unsigned long)(size >> 10), ret);
	return ret;
}

/*
 * Map runtime region @r at @va with its final permissions: the default for
 * its type, then every memory-attributes entry inside it (UEFI 2.10,
 * 4.6.4: EFI_MEMORY_RO, EFI_MEMORY_XP). Returns how many entries applied.
 */
static int map_final(const struct efi_rt_region *r, u64 va, unsigned int *applied)
{
	const struct efi_memattr_parsed *t = efi_memattr.parsed;
	u64 covered = 0;
	unsigned int i;
	int ret;

	*applied = 0;
	ret = map_efi(va, r->pa, r->size, default_flags(r));
	if (ret)
		return ret;
	for (i = 0; efi_memattr.usable && !is_mmio(r) && i < t->n; i++) {
		const struct efi_memattr_entry *e = &t->e[i];
		u32 flags = 0;

		if (e->pa < r->pa || e->pa + e->size > r->pa + r->size)
			continue;
		if (!(e->attr & EFI_MEMORY_RO))
			flags |= MAP_WRITE;
		if (!(e->attr & EFI_MEMORY_XP))
			flags |= MAP_EXEC;
		ret = map_efi(va + (e->pa - r->pa), e->pa, e->size, flags);
		if (ret)
			return ret;
		(*applied)++;
		covered += e->size;
	}
	/* What stays RWX because no valid entry splits code from data:
	 * efi.wx counts it apart (efi/checks.c). */
	if (!r->boot_services &&
	    (default_flags(r) & (MAP_WRITE | MAP_EXEC)) == (MAP_WRITE | MAP_EXEC))
		efi.forced_rwx_pages += (r->size - covered) >> 12;
	return 0;
}

/* The RT properties table: which services the firmware says work at
 * runtime. The log names the ones it declares unsupported. */
static void read_rt_properties(u64 pa)
{
	const void *p = phys(pa, sizeof(struct efi_rt_properties));
	const char *why;
	unsigned int i;
	u32 mask;

	if (efi_rt_properties_parse(p, p ? sizeof(struct efi_rt_properties) : 0,
				    &mask, &why)) {
		kprintf("efi: RT properties table at 0x%016lx: %s, ignored (every "
			"service taken as supported)\n", (unsigned long)pa, why);
		return;
	}
	efi.have_rt_properties = true;
	efi.rt_supported = mask;
	kprintf("efi: RT properties table: RuntimeServicesSupported 0x%04x; "
		"declared unsupported:", mask);
	for (i = 0; i < RT_NR_SERVICES; i++)
		if (!(mask & efi_rt_supported_bit(i)))
			kprintf(" %s", efi_rt_service_name(i));
	kprintf("\n");
}

/* test=memattr-xp: the attributes entry that holds GetTime marked XP in
 * vamap's copy, as EDK2 does for a runtime driver loaded after EndOfDxe
 * (its image is in no entry of its own): efi.pointers must name it. */
static void mark_get_time_xp(void)
{
	struct efi_memattr_entry *e;

	e = efi_memattr.usable ? (struct efi_memattr_entry *)efi_memattr_lookup(
					 efi_memattr.parsed, efi.fn[RT_GET_TIME])
			       : NULL;
	if (!e) {
		kprintf("test: no memory attributes entry holds GetTime\n");
		return;
	}
	e->attr = (e->attr & ~EFI_MEMORY_RO) | EFI_MEMORY_XP;
	kprintf("test: memory attributes entry %u (holds GetTime) marked XP in "
		"vamap's copy\n", e->index);
}

static bool read_tables(const struct boot_info *bi)
{
	const struct efi_system_table *st = phys(bi->system_table, sizeof(*st));
	const struct efi_runtime_services *rt;
	unsigned int i;

	if (!st || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE) {
		disable("no valid EFI system table");
		return false;
	}
	rt = phys(st->runtime_services, sizeof(*rt));
	if (!rt || rt->hdr.signature != EFI_RUNTIME_SERVICES_SIGNATURE) {
		disable("no valid runtime services table");
		return false;
	}
	efi.system_table = bi->system_table;
	for (i = 0; i < RT_NR_SERVICES; i++)
		efi.fn[i] = rt->fn[i];
	kprintf("efi: UEFI %u.%u, runtime services table at 0x%016lx\n",
		st->hdr.revision >> 16, (st->hdr.revision & 0xffff) / 10,
		(unsigned long)st->runtime_services);

	efi.rt_supported = ~0u;
	if (bi->rt_properties)
		read_rt_properties(bi->rt_properties);
	if (kopt.test & TEST_MEMATTR_XP)
		mark_get_time_xp();
	return true;
}

/* verbose: one line per region (its type's default permissions, before
 * any memory attributes entry), in the spirit of Linux's efi=debug, to
 * compare with /sys/firmware/efi/runtime-map. */
static void log_regions(void)
{
	unsigned int i;

	for (i = 0; i < efi.plan.n; i++) {
		const struct efi_rt_region *r = &efi.plan.r[i];
		char attr[96];
		u32 f = default_flags(r);

		efi_attr_string(r->attr, attr, sizeof(attr));
		kprintf("efi: map: %-12s 0x%016lx-0x%016lx -> 0x%016lx %s%s [%s] "
			"desc %u\n", efi_memory_type_name(r->type),
			(unsigned long)r->pa, (unsigned long)(r->pa + r->size - 1),
			(unsigned long)r->va, (f & MAP_WRITE) ? "RW" : "R",
			(f & MAP_EXEC) ? "X" : "", attr, r->desc);
	}
}

/* Step 4: everything efi_pgd maps before SVAM. */
static int map_everything(void)
{
	unsigned int i, applied = 0, n;
	int ret;

	/* All RAM 1:1, but the kernel's read-only: a stray write during
	 * SetVirtualAddressMap faults and is named instead of landing in
	 * kernel memory; reads (the SVAM map itself, and U-Boot's boot-time
	 * code reading its own data in what is now Conventional memory)
	 * change nothing (docs/decisions.md). */
	ret = 0;
	for (i = 0; !ret && i < kmemmap.n; i++) {
		const struct mem_region *m = &kmemmap.r[i];

		if (!m->ram)
			continue;
		ret = map_efi(m->start, m->start, m->end - m->start,
			      mem_region_kernel_owned(m) ? 0
			      : m->type == EFI_BOOT_SERVICES_CODE ? MAP_WRITE | MAP_EXEC
								  : MAP_WRITE);
	}
	for (i = 0; !ret && i < efi.plan.n; i++) {
		const struct efi_rt_region *r = &efi.plan.r[i];

		ret = map_efi(r->pa, r->pa, r->size, default_flags(r));
	}
	if (efi.mode == EFI_MODE_SLOT || efi.mode == EFI_MODE_LINUX) {
		for (i = 0; !ret && i < efi.plan.n; i++) {
			ret = map_final(&efi.plan.r[i], efi.plan.r[i].va, &n);
			applied += n;
		}
		if (!ret)
			kprintf("efi: %u regions mapped at 0x%016lx-0x%016lx, "
				"%u memory attributes entries applied\n", efi.plan.n,
				(unsigned long)efi.plan.lowest_va,
				(unsigned long)(efi.plan.r[efi.plan.n - 1].va +
						efi.plan.r[efi.plan.n - 1].size),
				applied);
	}
	return ret;
}

/* Step 5. */
static void call_svam(void)
{
	unsigned int i;
	u64 size = (u64)efi.plan.n * raw_desc_size;

	if (size > sizeof(svam_map)) {
		disable("runtime map larger than the SVAM buffer");
		return;
	}
	for (i = 0; i < efi.plan.n; i++) {
		struct efi_memory_desc *d = (void *)(svam_map + i * raw_desc_size);
		const struct efi_rt_region *r =
			&efi.plan.r[efi.plan.svam_reverse ? efi.plan.n - 1 - i : i];

		memcpy(d, raw_map + r->desc * raw_desc_size, raw_desc_size);
		d->num_pages = r->size >> EFI_PAGE_SHIFT; /* merged: efi=linux */
		d->virt_start = r->va;
	}
	kprintf("efi: SetVirtualAddressMap(%lu bytes, desc_size %lu, version %u, "
		"map at physical 0x%016lx)\n", (unsigned long)size,
		(unsigned long)raw_desc_size, raw_desc_version,
		(unsigned long)__pa_symbol(svam_map));
	efi.svam_called = true;
	efi.svam_status = efi_call(RT_SET_VIRTUAL_ADDRESS_MAP, 4, size,
				   raw_desc_size, (u64)raw_desc_version,
				   __pa_symbol(svam_map));
	efi.t_svam_returned = rdtsc();
	kprintf("efi: SetVirtualAddressMap returned %s\n",
		efi_status_name(efi.svam_status));
	if (efi.svam_status != EFI_SUCCESS && efi.runtime_enabled)
		disable("SetVirtualAddressMap failed");
}

/* Step 6: the table at its new address, every pointer in runtime code. */
static void check_pointers(void)
{
	const struct efi_system_table *st = phys(efi.system_table, sizeof(*st));
	const struct efi_rt_region *r = efi_region_by_va(&efi.plan, st->runtime_services);
	const struct efi_runtime_services *rt;
	const struct efi_memattr_entry *e;
	unsigned int i, bad = 0;

	kprintf("efi: runtime services table now at %p\n",
		(void *)st->runtime_services);
	if (!r) {
		disable("the runtime services table is not in a runtime region");
		return;
	}
	rt = phys(r->pa + (st->runtime_services - r->va), sizeof(*rt));
	if (!rt || rt->hdr.signature != EFI_RUNTIME_SERVICES_SIGNATURE) {
		disable("the runtime services table lost its signature");
		return;
	}
	for (i = 0; i < RT_NR_SERVICES; i++) {
		const struct efi_rt_region *c = efi_region_by_va(&efi.plan, rt->fn[i]);

		efi.fn[i] = rt->fn[i];
		/* Callable only during SVAM (UEFI 2.10, 8.4), so firmware may
		 * leave them unconverted: EDK2's RuntimeDxe converts "all the
		 * Runtime Services except ConvertPointer() and
		 * SetVirtualAddressMap()". Never called again here. */
		if (i == RT_SET_VIRTUAL_ADDRESS_MAP || i == RT_CONVERT_POINTER) {
			/* Under efi=novamap vamap never calls them either, and
			 * firmware may keep them in boot-services memory
			 * (U-Boot does): nothing to check. */
			if (!c || !is_code(c->type))
				kprintf("efi: %s at %p, outside runtime code (%s, "
					"not checked)\n", efi_rt_service_name(i),
					(void *)rt->fn[i],
					efi.svam_called ? "SVAM-only"
							: "never called under efi=novamap");
			efi.fn[i] = 0;
			continue;
		}
		if (!c || !is_code(c->type)) {
			kprintf("efi: %s at %p is not in a runtime code region\n",
				efi_rt_service_name(i), (void *)rt->fn[i]);
			bad++;
			continue;
		}
		/* UEFI 2.10, 4.6.4: what the attributes table marks XP must
		 * not run; vamap maps it NX, so the call would fault. */
		e = efi_memattr.usable
			    ? efi_memattr_lookup(efi_memattr.parsed,
						 c->pa + (rt->fn[i] - c->va))
			    : NULL;
		if (e && (e->attr & EFI_MEMORY_XP)) {
			kprintf("efi: %s at %p lies in memory the attributes table "
				"marks non-executable (entry %u, 0x%016lx-0x%016lx "
				"XP): a runtime image the table does not describe\n",
				efi_rt_service_name(i), (void *)rt->fn[i], e->index,
				(unsigned long)e->pa, (unsigned long)(e->pa + e->size));
			bad++;
		}
	}
	efi.pointers_ok = !bad;
	efi.pointers_bad = bad;
	if (bad)
		disable("service pointers outside executable runtime code");
}

/* efi=linux maps boot-services regions in the window for SVAM; once SVAM
 * is done they leave efi_pgd (Linux's efi_free_boot_services() does it
 * later; vamap does it before its checks, so efi.wx judges only runtime
 * memory and a runtime call that still uses boot-services memory by its
 * new address is caught). The memory itself stays reserved until
 * efi_release_boot_services(). */
static void unmap_boot_services(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < efi.plan.n; i++) {
		const struct efi_rt_region *r = &efi.plan.r[i];

		if (!r->boot_services || !r->placed)
			continue;
		pt_unmap(&kctx, efi.efi_pgd, r->va, r->size);
		n++;
	}
	if (n)
		kprintf("efi: %u boot-services regions unmapped from the window\n", n);
}

/* Step 7. */
static void finalize(void)
{
	u64 freed0 = kctx.tables_freed;
	unsigned int i, n;

	unmap_boot_services();
	if (efi.mode != EFI_MODE_NOVAMAP) {
		pt_free_range(&kctx, efi.efi_pgd, 0, PGD_KERNEL_FIRST - 1);
		efi.low_half_dropped = efi.mode != EFI_MODE_1TO1;
		kprintf("efi: 1:1 map dropped from efi_pgd (%lu table pages freed)%s\n",
			(unsigned long)(kctx.tables_freed - freed0),
			efi.mode == EFI_MODE_1TO1 ? "; runtime regions stay at VA = PA"
						  : "");
	}
	if (efi.mode == EFI_MODE_1TO1 || efi.mode == EFI_MODE_NOVAMAP) {
		/* The runtime mappings are the 1:1 ones: final permissions. */
		for (i = 0; i < efi.plan.n; i++)
			if (map_final(&efi.plan.r[i], efi.plan.r[i].pa, &n))
				disable("mapping runtime regions 1:1 failed");
	}
	if (efi.mode == EFI_MODE_NOVAMAP) {
		/* No SVAM, so no firmware code runs from boot-services memory:
		 * take its execute right away again. */
		for (i = 0; i < kmemmap.n; i++)
			if (kmemmap.r[i].type == EFI_BOOT_SERVICES_CODE)
				map_efi(kmemmap.r[i].start, kmemmap.r[i].start,
					kmemmap.r[i].end - kmemmap.r[i].start, MAP_WRITE);
	}
}

void efi_release_boot_services(void)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < kmemmap.n; i++) {
		const struct mem_region *m = &kmemmap.r[i];
		u64 s = MAX(m->start, SZ_1M);

		if (m->class != MEM_BOOT_SERVICES || s >= m->end)
			continue;
		if (!frame_add(&kframes, s, m->end))
			bytes += m->end - s;
	}
	memmap_release_boot_services(&kmemmap);
	kprintf("efi: %lu KiB of boot-services memory freed to the allocator "
		"(kept reserved until the checks were done)\n",
		(unsigned long)(bytes >> 10));
}

/* test=efi-fault: the largest runtime data region loses its VA mapping. */
static void inject_fault(void)
{
	const struct efi_rt_region *pick = NULL;
	unsigned int i;

	for (i = 0; i < efi.plan.n; i++) {
		const struct efi_rt_region *r = &efi.plan.r[i];

		if (r->type == EFI_RUNTIME_SERVICES_DATA &&
		    (!pick || r->size > pick->size))
			pick = r;
	}
	if (!pick)
		return;
	kprintf("test: unmapping runtime desc %u (RuntimeData, %lu KiB) at %p "
		"from efi_pgd\n", pick->desc, (unsigned long)(pick->size >> 10),
		(void *)pick->va);
	pt_unmap(&kctx, efi.efi_pgd, pick->va, pick->size);
}

void efi_setup(const struct boot_info *bi, enum efi_mode mode)
{
	struct efi_window w;
	struct pgd_member member;
	unsigned int i, bs;
	int ret;

	memset(&efi, 0, sizeof(efi));
	efi.mode = mode;
	/* The drivers the stub started, to name them in fault reports. */
	efi.ndrivers = MIN(bi->ndrivers, (u32)BOOT_DRIVERS_MAX);
	memcpy(efi.drivers, bi->drivers, sizeof(efi.drivers));
	kprintf("== efi (efi=%s)\n", efi_mode_name(mode));
	if (mode == EFI_MODE_NORUNTIME) {
		efi.disabled_why = "efi=noruntime";
		kprintf("efi: efi=noruntime: runtime services are not used\n");
		return;
	}
	efi.runtime_enabled = true;
	if (!read_tables(bi))
		return;

	raw_map = phys(bi->memmap, bi->memmap_size);
	raw_size = bi->memmap_size;
	raw_desc_size = bi->memmap_desc_size;
	raw_desc_version = bi->memmap_desc_version;
	efi_mode_window(mode, &w);
	if (mode == EFI_MODE_LINUX)
		ret = efi_plan_va_linux(raw_map, raw_size, raw_desc_size, w.base,
					w.top, &efi.plan);
	else
		ret = efi_plan_va(raw_map, raw_size, raw_desc_size, w.base, w.top,
				  mode == EFI_MODE_1TO1 || mode == EFI_MODE_NOVAMAP,
				  &efi.plan);
	if (ret) {
		disable("the runtime regions could not all be placed");
		return;
	}
	if (kopt.test & TEST_NO_RUNTIME_DESCS) {
		kprintf("test: planning as if the memory map had no runtime "
			"descriptor\n");
		efi.plan.n = 0;
	}
	bs = 0;
	for (i = 0; i < efi.plan.n; i++)
		bs += efi.plan.r[i].boot_services;
	if (bs)
		kprintf("efi: %u runtime and %u boot-services regions to map (Linux's "
			"should_map_region)\n", efi.plan.n - bs, bs);
	else
		kprintf("efi: %u runtime regions in the memory map\n", efi.plan.n);
	if (efi.plan.n == bs) {
		efi.no_runtime_regions = true;
		disable("the memory map has no EFI_MEMORY_RUNTIME descriptor, so "
			"no runtime service can be mapped or called");
		return;
	}

	ret = efi_pgd_create(&kctx, swapper_pg_dir, mode, &member);
	if (ret) {
		disable("efi_pgd could not be built");
		return;
	}
	efi.efi_pgd = member.root;
	if (kopt.efi_strict) {
		if (make_strict(mode))
			return;
	} else {
		pgd_list_add(&kpgd_list, &member);
	}
	if (map_everything()) {
		disable("efi_pgd could not be filled");
		return;
	}
	efi.t_efi_pgd_built = rdtsc();
	if (kopt.verbose)
		log_regions();
	kprintf("efi: efi_pgd at 0x%016lx, private slot %d\n",
		(unsigned long)efi.efi_pgd, member.private_slot);

	if (mode != EFI_MODE_NOVAMAP) {
		call_svam();
		if (efi.runtime_enabled)
			check_pointers();
	} else {
		efi.t_svam_returned = rdtsc();
		kprintf("efi: efi=novamap: no SetVirtualAddressMap, calls run on "
			"the 1:1 map\n");
		check_pointers();
	}
	finalize();
	if (efi.runtime_enabled && (kopt.test & TEST_EFI_FAULT))
		inject_fault();
}
