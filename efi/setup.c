// SPDX-License-Identifier: MIT
/*
 * EFI setup after swapper_pg_dir is live (DESIGN.md, "SVAM"):
 *
 *  1. read the system and runtime tables (through the direct map)
 *  2. plan the runtime VAs (efi/va.c) for the mode's window
 *  3. build efi_pgd (efi/pgd.c) and put it on the table list (under
 *     efi.strict its kernel half is the image alone, and it stays off)
 *  4. map, in efi_pgd only: the 1:1 map of all RAM (NX; the firmware's
 *     RW, the kernel's read-only), runtime and
 *     boot-services code 1:1 RWX (the firmware relocates itself in place
 *     during SVAM and some firmware runs boot-services code then), runtime
 *     MMIO 1:1 UC, and the runtime regions at their new VAs with the
 *     memory attributes table applied (code RO+X, data RW+NX)
 *  5. SetVirtualAddressMap with only the planned descriptors (the runtime
 *     ones; efi=linux adds boot-services code and data, as Linux does),
 *     firmware desc_size/desc_version, the buffer's physical address
 *  6. re-read the runtime table at its new address and check every
 *     service pointer lies in a runtime code region the memory attributes
 *     table lets execute
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
#include "efi_table_hdr.h"
#include "efi_tables.h"
#include "internal.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "printf.h"
#include "ptdump.h"
#include "x86.h"

#define RT_REGION_FLAGS_MMIO (MAP_WRITE | MAP_UC)

static const u8 *raw_map;
static u64 raw_size, raw_desc_size;
static u32 raw_desc_version;

/*
 * The runtime-region table (efi.plan.r) and the SVAM map, sized by the
 * firmware's map (no fixed cap): one run of contiguous frames, reached
 * through the direct map, laid out [region table][guard][SVAM map room]
 * [guard]. The SVAM map is built at the start of its room (svam_map) and
 * moved flush against the second guard just before each call
 * (svam_flush). While SetVirtualAddressMap runs, efi_pgd's 1:1 map maps
 * the run read-only and leaves both guard pages out: the firmware can
 * change neither the table nor its map, and a read past the map's end
 * (or before its room) faults and is named (efi_svam_guard_hit).
 */
static struct {
	u64 pa, pages;	   /* the whole run */
	u64 room_pa, room; /* the SVAM map's room, ending at the 2nd guard */
	u64 map_pa;	   /* the map the last call was given */
} rt_store;
static u8 *svam_map; /* the room, through the direct map */

static int rt_store_alloc(void)
{
	u64 cap = efi_plan_capacity(raw_size, raw_desc_size);
	u64 table = ALIGN_UP(cap * sizeof(struct efi_rt_region), SZ_4K);
	u64 room = ALIGN_UP((cap + 1) * raw_desc_size, SZ_4K);
	u64 pa;

	if (!cap)
		return 0; /* efi_plan_va says why the map is unreadable */
	if (mm_alloc_pages((table + room) / SZ_4K + 2, &pa))
		return -ENOMEM;
	rt_store.pa = pa;
	rt_store.pages = (table + room) / SZ_4K + 2;
	rt_store.room_pa = pa + table + SZ_4K;
	rt_store.room = room;
	svam_map = __va(rt_store.room_pa);
	efi.plan.r = __va(pa);
	efi.plan.cap = (unsigned int)MIN(cap, (u64)~0u);
	return 0;
}

/* Move the @size-byte map built at the start of its room flush against
 * the guard after it; its physical address, for the call. */
static u64 svam_flush(u64 size)
{
	u64 at = rt_store.room_pa + rt_store.room - size;

	memmove(__va(at), svam_map, size);
	rt_store.map_pa = at;
	return at;
}

bool efi_svam_guard_hit(u64 cr2, char *what, size_t n)
{
	u64 end = rt_store.room_pa + rt_store.room, size = end - rt_store.map_pa;

	if (!rt_store.pages)
		return false;
	if (cr2 - end < SZ_4K) {
		ksnprintf(what, n, "to byte %lu past the end of its argument 4, "
			  "VirtualMap (a %lu-byte buffer)",
			  (unsigned long)(cr2 - end + 1), (unsigned long)size);
		return true;
	}
	if (cr2 - (rt_store.room_pa - SZ_4K) < SZ_4K) {
		ksnprintf(what, n, "to byte %lu before the start of its argument "
			  "4, VirtualMap (a %lu-byte buffer)",
			  (unsigned long)(end - size - cr2), (unsigned long)size);
		return true;
	}
	return false;
}


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
	return efi_mem_uncached(r->type, r->attr);
}

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
	int ret = efi_pgd_make_strict(efi.pt, efi.efi_pgd, swapper_pg_dir, mode,
				      keep, ARRAY_SIZE(keep), &efi.strict_pages);

	if (ret) {
		disable("efi.strict: efi_pgd's kernel half could not be built");
		return ret;
	}
	efi.strict = true;
	efi.guarded = true;
	kprintf("efi: efi.strict: efi_pgd's kernel half is the kernel image "
		"alone, %lu pages: text RX, rodata and data read-only, %lu "
		"pages of stacks and argument buffers RW; no direct map, no "
		"late mappings, no fixmap; not on the table list\n",
		(unsigned long)efi.strict_pages,
		(unsigned long)((__efi_shared_end - __efi_shared_start) >> 12));
	return 0;
}

/*
 * efi.shared: efi_pgd keeps the kernel half as the kernel maps it, as
 * Linux's efi_mm does, but lets the firmware write only what efi/kguard.c
 * watches: the kernel image's data and bss, less .bss.unwatched (vamap's
 * boot stack, the thunk's state, the trap and watchdog state), whose copy
 * would race the CPUs that write it. The direct map, the late mappings
 * and the fixmap stay readable and become read-only: what vamap cannot
 * copy, a write there faults and is named, as under efi.strict.
 */
static int make_shared(struct pgd_member *member)
{
	const struct efi_strict_range keep[] = {
		{ (u64)__text_start, (u64)__text_end, MAP_EXEC, "text" },
		{ (u64)__rodata_start, (u64)__rodata_end, 0, "rodata" },
		{ (u64)__data_start, (u64)__unwatched_start, MAP_WRITE,
		  "data, shared" },
		{ (u64)__unwatched_start, (u64)__unwatched_end, 0, "unwatched" },
		{ (u64)__unwatched_end, (u64)__bss_end, MAP_WRITE, "bss" },
	};
	u64 pages;
	int ret = efi_pgd_make_shared(efi.pt, efi.efi_pgd, swapper_pg_dir, keep,
				      ARRAY_SIZE(keep), member, &pages);

	if (ret) {
		disable("efi.shared: efi_pgd's kernel half could not be built");
		return ret;
	}
	efi.guarded = true;
	kprintf("efi: efi.shared: efi_pgd shares the kernel half, read-only but "
		"for the kernel image's data and bss (%lu image pages; %lu of "
		"them read-only: vamap's stack, the thunk's and the trap "
		"state)\n", (unsigned long)pages,
		(unsigned long)((__unwatched_end - __unwatched_start) >> 12));
	return 0;
}

/* Default flags for a runtime region where no attributes table speaks:
 * code may hold data (no table to split it), so it stays RWX. */
static u32 default_flags(const struct efi_rt_region *r)
{
	if (is_mmio(r))
		return RT_REGION_FLAGS_MMIO;
	return maps_code(r->type) ? (MAP_WRITE | MAP_EXEC) : MAP_WRITE;
}

static int map_efi(u64 va, u64 pa, u64 size, u32 flags)
{
	int ret = pt_map(efi.pt, efi.efi_pgd, va, pa, size, flags);

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
	 * efi.wx counts it apart (efi/checks.c). Valid entries do not
	 * overlap (efi_memattr_parse), so covered never exceeds the region;
	 * were it to, nothing is counted rather than a wrapped count. */
	if (!r->boot_services && covered < r->size &&
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


/*
 * efi.svam.location: where SetVirtualAddressMap and ConvertPointer lie
 * when the OS is to call them. SVAM is called after ExitBootServices
 * (UEFI 2.10 8.4.1) and ConvertPointer from it, when all but the runtime
 * regions is the OS's memory (7.4): code in BootServicesCode there runs
 * only if the OS has not yet reused it (Linux keeps boot-services memory
 * until SVAM has returned for such firmware; vamap until its checks end).
 */
static void locate_svam(void)
{
	static const unsigned int svc[] = { RT_SET_VIRTUAL_ADDRESS_MAP,
					    RT_CONVERT_POINTER };
	unsigned int k;

	efi.svam_located = true;
	for (k = 0; k < ARRAY_SIZE(svc); k++) {
		u64 pa = efi.fn[svc[k]];
		const struct mem_region *r =
			pa < LOW_HALF_END ? mm_region_at(pa) : NULL;

		if (r && r->type == EFI_RUNTIME_SERVICES_CODE)
			continue;
		efi.svam_misplaced |= 1u << k;
		if (r)
			kdetail("efi.svam.location", "efi: %s at 0x%016lx lies in "
				"%s desc %u before SetVirtualAddressMap: memory "
				"the OS owns after ExitBootServices (UEFI 2.10 "
				"7.4, 8.4)\n", efi_rt_service_name(svc[k]),
				(unsigned long)pa, r->type_name ? r->type_name
								: "?", r->desc);
		else
			kdetail("efi.svam.location", "efi: %s at 0x%016lx lies in "
				"no memory-map region (UEFI 2.10 8.4)\n",
				efi_rt_service_name(svc[k]), (unsigned long)pa);
	}
}

/*
 * efi.tables: the System Table's and the Runtime Services table's headers
 * (efi_table_hdr.h) @when (after ExitBootServices, which sets fields of
 * the System Table to NULL, and after SetVirtualAddressMap, which converts
 * both tables' pointers: each time the firmware computes the CRC32 again,
 * UEFI 2.10 4.2 and 7.4.6). Each problem is a detail line of efi.tables.
 */
static void check_headers(const char *when, u64 st_pa, u64 rt_pa)
{
	/* A 32-bit firmware's tables hold 4-byte pointers. */
	const u32 w = efi.fw32 ? 4 : 8;
	const struct {
		u64 pa, sig;
		u32 min;
		const char *name;
	} tabs[] = {
		{ st_pa, EFI_SYSTEM_TABLE_SIGNATURE,
		  EFI_SYSTEM_TABLE_MIN_SIZE_FOR(w), "System Table" },
		{ rt_pa, EFI_RUNTIME_SERVICES_SIGNATURE,
		  EFI_RUNTIME_SERVICES_MIN_SIZE_FOR(w),
		  "Runtime Services table" },
	};
	char why[96];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tabs); i++) {
		const void *t = phys(tabs[i].pa, EFI_TABLE_HEADER_MAX);

		if (!t || !efi_table_header_problem(t, EFI_TABLE_HEADER_MAX,
						    tabs[i].sig, tabs[i].min,
						    why, sizeof(why)))
			continue;
		efi.tables_bad++;
		kdetail("efi.tables", "efi: the %s's header %s: %s (UEFI 2.10 "
			"4.2: the CRC32 covers HeaderSize bytes and is computed "
			"again whenever the table changes)\n", tabs[i].name, when,
			why);
	}
	efi.tables_checked++;
}

/* A table field of @w bytes (a pointer or UINTN of this firmware's). */
static u64 fw_word(const u8 *p, u32 w)
{
	return w == 4 ? *(const u32 *)p : *(const u64 *)p;
}

/* The bytes of a pointer in this firmware's tables (efi.fw32: the IA32
 * structures, UEFI 2.10 2.3.2). */
static u32 fw_width(void)
{
	return efi.fw32 ? 4 : 8;
}

/* The System Table's RuntimeServices pointer, at this firmware's width. */
static u64 st_runtime_services(const u8 *st)
{
	return fw_word(st + EFI_ST_RUNTIME_SERVICES_OFFSET(fw_width()),
		       fw_width());
}

/* The Runtime Services table at @pa, with its signature, its service
 * pointers read into @fn at this firmware's width; NULL when it is not
 * there. */
static const u8 *rt_table(u64 pa, u64 fn[RT_NR_SERVICES])
{
	const u32 w = fw_width();
	const u8 *rt = phys(pa, EFI_RUNTIME_SERVICES_MIN_SIZE_FOR(w));
	unsigned int i;

	if (!rt || ((const struct efi_table_header *)rt)->signature !=
			   EFI_RUNTIME_SERVICES_SIGNATURE)
		return NULL;
	for (i = 0; i < RT_NR_SERVICES; i++)
		fn[i] = fw_word(rt + sizeof(struct efi_table_header) + i * w, w);
	return rt;
}

/*
 * Find the System Table and the Runtime Services table, laid out for
 * this firmware's width (efi.fw32: the IA32 structures, UEFI 2.10 2.3.2,
 * 4.3, 4.5), and take what both widths take from them: their headers
 * after ExitBootServices (efi.tables), the service pointers, where
 * SetVirtualAddressMap and ConvertPointer lie (efi.svam.location).
 * NULL, or why they cannot be used.
 */
static const char *take_tables(const struct boot_info *bi)
{
	const u8 *st = phys(bi->system_table,
			    EFI_SYSTEM_TABLE_MIN_SIZE_FOR(fw_width()));
	u64 rt_pa;
	u32 rev;

	if (!st || ((const struct efi_table_header *)st)->signature !=
			   EFI_SYSTEM_TABLE_SIGNATURE)
		return "no valid EFI system table";
	rt_pa = st_runtime_services(st);
	if (!rt_table(rt_pa, efi.fn))
		return "no valid runtime services table";
	efi.system_table = bi->system_table;
	check_headers("after ExitBootServices", bi->system_table, rt_pa);
	locate_svam();
	rev = ((const struct efi_table_header *)st)->revision;
	kprintf("efi: UEFI %u.%u, %sruntime services table at 0x%016lx\n",
		rev >> 16, (rev & 0xffff) / 10, efi.fw32 ? "32-bit " : "",
		(unsigned long)rt_pa);
	return NULL;
}

static bool read_tables(const struct boot_info *bi)
{
	const char *why = take_tables(bi);

	if (why) {
		disable(why);
		return false;
	}
	efi.rt_supported = ~0u;
	if (bi->rt_properties)
		read_rt_properties(bi->rt_properties);
	if (kopt.test & TEST_MEMATTR_XP)
		mark_get_time_xp();
	return true;
}

/*
 * A 32-bit firmware's tables under efi=noruntime, for what can be judged
 * without calling a service: efi.tables and efi.svam.location, as on
 * 64-bit firmware (whose efi=noruntime reads none). A table that is not
 * there is a line and a SKIP.
 */
static void read_tables32(const struct boot_info *bi)
{
	const char *why = take_tables(bi);

	if (why)
		kprintf("efi: %s (32-bit firmware)\n", why);
}

/* A region as efi_pgd maps it: runs of one permission, in VA order. */
#define MAP_PIECES_MAX 8
struct map_pieces {
	unsigned int n, more;
	struct {
		u64 va, end;
		u32 perm; /* MAP_WRITE | MAP_EXEC, or MAP_PIECE_ABSENT */
	} p[MAP_PIECES_MAX];
};
#define MAP_PIECE_ABSENT (1u << 31)

static void add_piece(struct map_pieces *m, u64 va, u64 end, u32 perm)
{
	if (m->n && m->p[m->n - 1].end == va && m->p[m->n - 1].perm == perm) {
		m->p[m->n - 1].end = end;
		return;
	}
	if (m->n == MAP_PIECES_MAX) {
		m->more++;
		return;
	}
	m->p[m->n].va = va;
	m->p[m->n].end = end;
	m->p[m->n++].perm = perm;
}

struct piece_walk {
	struct map_pieces *m;
	u64 next, end;
};

static int piece_leaf(const struct pt_range *r, void *arg)
{
	struct piece_walk *w = arg;
	u64 s = MAX(r->va, w->next), e = MIN(r->va + r->size, w->end);

	if (s >= e)
		return 0;
	if (s > w->next)
		add_piece(w->m, w->next, s, MAP_PIECE_ABSENT);
	add_piece(w->m, s, e, r->flags & (MAP_WRITE | MAP_EXEC));
	w->next = e;
	return 0;
}

static const char *perm_name(u32 perm)
{
	static const char *const names[] = { "R", "RW", "RX", "RWX" };

	if (perm & MAP_PIECE_ABSENT)
		return "--";
	return names[!!(perm & MAP_WRITE) + 2 * !!(perm & MAP_EXEC)];
}

/* One line per runtime region, in the spirit of Linux's efi=debug, to
 * compare with /sys/firmware/efi/runtime-map: its permissions as efi_pgd
 * maps them once the memory attributes table has spoken (a walk, not the
 * type's default), and where they differ within it, a line per piece;
 * with verbose also the boot-services regions efi=linux maps.
 * tools/vamap-report draws them. */
static void log_regions(void)
{
	unsigned int i, k;

	for (i = 0; i < efi.plan.n; i++) {
		const struct efi_rt_region *r = &efi.plan.r[i];
		struct map_pieces m = { 0 };
		struct piece_walk w = { &m, r->va, r->va + r->size };
		char attr[96], perm[32] = "";
		size_t len = 0;

		if (!kopt.verbose && !(r->attr & EFI_MEMORY_RUNTIME))
			continue;
		pt_walk(efi.pt, efi.efi_pgd, r->va, r->va + r->size,
			piece_leaf, &w);
		if (w.next < w.end)
			add_piece(&m, w.next, w.end, MAP_PIECE_ABSENT);
		/* The distinct permissions, in the order they first appear. */
		for (k = 0; k < m.n; k++) {
			unsigned int j;

			for (j = 0; j < k && m.p[j].perm != m.p[k].perm; j++)
				;
			if (j == k && len + 5 < sizeof(perm))
				len += (size_t)ksnprintf(perm + len, sizeof(perm) - len,
							 "%s%s", len ? "+" : "",
							 perm_name(m.p[k].perm));
		}
		efi_attr_string(r->attr, attr, sizeof(attr));
		kprintf("efi: map: %-12s 0x%016lx-0x%016lx -> 0x%016lx %s [%s] "
			"desc %u\n", efi_memory_type_name(r->type),
			(unsigned long)r->pa, (unsigned long)(r->pa + r->size - 1),
			(unsigned long)r->va, perm, attr, r->desc);
		for (k = 0; m.n > 1 && k < m.n; k++)
			kprintf("efi: map:   piece 0x%016lx-0x%016lx %s\n",
				(unsigned long)m.p[k].va,
				(unsigned long)(m.p[k].end - 1), perm_name(m.p[k].perm));
		if (m.more)
			kprintf("efi: map:   and %u more pieces\n", m.more);
	}
}

/* [start, end) 1:1 with @flags, less the run of rt_store, which
 * map_rt_store maps on its own. */
static int map_ram_1to1(u64 start, u64 end, u32 flags)
{
	u64 s = rt_store.pa, e = s + rt_store.pages * SZ_4K;
	int ret = 0;

	if (!rt_store.pages || e <= start || s >= end)
		return map_efi(start, start, end - start, flags);
	if (start < s)
		ret = map_efi(start, start, s - start, flags);
	if (!ret && e < end)
		ret = map_efi(e, e, end - e, flags);
	return ret;
}

/* The run read-only, its two guard pages left out. */
static int map_rt_store(void)
{
	u64 guard = rt_store.room_pa - SZ_4K;
	int ret;

	if (!rt_store.pages)
		return 0;
	ret = map_efi(rt_store.pa, rt_store.pa, guard - rt_store.pa, 0);
	if (!ret)
		ret = map_efi(rt_store.room_pa, rt_store.room_pa, rt_store.room, 0);
	return ret;
}

/* The runtime regions at VA = PA with their default flags, as
 * SetVirtualAddressMap runs (step 4, and efi_svam_again). */
static int map_runtime_1to1(void)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < efi.plan.n; i++)
		ret = map_efi(efi.plan.r[i].pa, efi.plan.r[i].pa, efi.plan.r[i].size,
			      default_flags(&efi.plan.r[i]));
	return ret;
}

/* Step 4: everything efi_pgd maps before SVAM. */
static int map_everything(void)
{
	const struct mem_region *m;
	unsigned int i, applied = 0, n;
	int ret;

	/* All RAM 1:1, but the kernel's read-only: a stray write during
	 * SetVirtualAddressMap faults and is named instead of landing in
	 * kernel memory; reads (U-Boot's boot-time code reading its own data
	 * in what is now Conventional memory) change nothing
	 * (docs/decisions.md). The region table and the SVAM map
	 * (rt_store) read-only too, without their guard pages. */
	ret = 0;
	for_each_mem_region(m) {
		if (!m->ram)
			continue;
		ret = map_ram_1to1(m->start, m->end,
				   mem_region_kernel_owned(m) ? 0
				   : m->type == EFI_BOOT_SERVICES_CODE ? MAP_WRITE | MAP_EXEC
								       : MAP_WRITE);
		if (ret)
			break;
	}
	if (!ret)
		ret = map_rt_store();
	if (!ret)
		ret = map_runtime_1to1();
	if (!ret && efi.fw32)
		ret = efi_fw32_map();
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

/* The plan region the @i-th descriptor of the SVAM map comes from: plan
 * order, or reversed (efi=linux), or for svam=shuffled the ends first,
 * alternately (0, n-1, 1, n-2, ...), neither ascending nor descending
 * from three regions on. */
static unsigned int svam_order(unsigned int i, bool shuffle)
{
	unsigned int n = efi.plan.n;

	if (shuffle)
		return i % 2 ? n - 1 - i / 2 : i / 2;
	return efi.plan.svam_reverse ? n - 1 - i : i;
}

/* Bytes of vamap's own map in svam_map, once call_svam has built it. */
static u64 svam_map_size;

/* The SVAM map in svam_map: the plan's regions with their firmware
 * descriptors and new VAs, in SVAM order (shuffled for svam=shuffled),
 * region @skip (-1: none) left out. Returns its size in bytes, 0 if it
 * does not fit. */
static u64 fill_svam_map(bool shuffle, int skip)
{
	unsigned int i, k = 0, n = efi.plan.n;

	if ((u64)(n + 1) * raw_desc_size > rt_store.room)
		return 0; /* one to spare: svam=unknown adds one */
	for (i = 0; i < n; i++) {
		unsigned int j = svam_order(i, shuffle);
		const struct efi_rt_region *r = &efi.plan.r[j];
		struct efi_memory_desc *d;

		if ((int)j == skip)
			continue;
		d = (void *)(svam_map + k++ * raw_desc_size);
		memcpy(d, raw_map + r->desc * raw_desc_size, raw_desc_size);
		d->num_pages = r->size >> EFI_PAGE_SHIFT; /* merged: efi=linux */
		d->virt_start = r->va;
	}
	return (u64)k * raw_desc_size;
}

/* svam=missing leaves out the last RuntimeServicesData region, else the
 * last region (U-Boot refuses any map without exactly one
 * RuntimeServicesCode descriptor, for a reason of its own; a data region
 * tests the rule itself). */
static int region_to_leave_out(void)
{
	int i;

	for (i = (int)efi.plan.n - 1; i >= 0; i--)
		if (!efi.plan.r[i].boot_services &&
		    efi.plan.r[i].type == EFI_RUNTIME_SERVICES_DATA)
			return i;
	return (int)efi.plan.n - 1;
}

/*
 * svam=: before vamap's own SetVirtualAddressMap, maps the firmware must
 * refuse (UEFI 2.10 8.4.1), one call each, in enum svam_probe's order.
 * A refused map must leave the firmware where it was, so the next probe
 * and then vamap's own map still get their answers. Returns false when
 * the firmware took one: it is then in a virtual mode vamap did not mean,
 * and runtime services go off.
 */
static bool run_svam_probes(void)
{
	unsigned int k;

	for (k = 0; k + 1 < SVAM_NR_PROBES; k++) { /* shuffled: call_svam */
		const char *name = cmdline_svam_probe_name(1u << k);
		u64 size, dsize = raw_desc_size;
		u32 dver = raw_desc_version;
		struct efi_memory_desc *d = (void *)svam_map;
		char *what = efi.probe[k].what;
		size_t max = sizeof(efi.probe[k].what);
		int skip;

		if (!(kopt.svam_probes & (1u << k)) || !efi.runtime_enabled)
			continue;
		size = fill_svam_map(false, -1);
		if (!size) {
			ksnprintf(what, max, "the map does not fit vamap's buffer");
			efi.probe[k].status = EFI_BUFFER_TOO_SMALL;
			efi.probe[k].run = true;
			continue;
		}
		switch (1u << k) {
		case SVAM_PROBE_BAD_VERSION:
			dver = raw_desc_version + 1;
			ksnprintf(what, max, "DescriptorVersion %u (the map's is %u)",
				  dver, raw_desc_version);
			break;
		case SVAM_PROBE_BAD_SIZE:
			dsize = sizeof(struct efi_memory_desc) - 8;
			ksnprintf(what, max, "DescriptorSize %lu, under "
				  "EFI_MEMORY_DESCRIPTOR's 40 bytes",
				  (unsigned long)dsize);
			break;
		case SVAM_PROBE_UNKNOWN: {
			struct efi_memory_desc *x = (void *)(svam_map + size);
			const struct mem_region *m;
			u64 top = 0;

			/* a copy of the first descriptor, moved past the end
			 * of the memory map */
			for_each_mem_region(m)
				top = m->end;
			memcpy(x, svam_map, raw_desc_size);
			x->phys_start = ALIGN_UP(top, SZ_1G) + SZ_1G;
			x->num_pages = 1;
			x->virt_start = efi.plan.lowest_va - 0x10000;
			size += raw_desc_size;
			ksnprintf(what, max, "one more descriptor, physical "
				  "0x%016lx, in no memory-map range",
				  (unsigned long)x->phys_start);
			break;
		}
		case SVAM_PROBE_MISSING:
			skip = region_to_leave_out();
			size = fill_svam_map(false, skip);
			ksnprintf(what, max, "desc %u (%s 0x%016lx, %lu KiB) left out",
				  efi.plan.r[skip].desc,
				  efi_memory_type_name(efi.plan.r[skip].type),
				  (unsigned long)efi.plan.r[skip].pa,
				  (unsigned long)(efi.plan.r[skip].size >> 10));
			break;
		case SVAM_PROBE_MISALIGNED:
			d->virt_start += 0x800; /* 2 KiB */
			ksnprintf(what, max, "VirtualStart 0x%016lx for desc %u, "
				  "not 4 KiB aligned", (unsigned long)d->virt_start,
				  efi.plan.r[svam_order(0, false)].desc);
			break;
		}
		kprintf("efi: svam=%s: SetVirtualAddressMap(%lu bytes, desc_size "
			"%lu, version %u) with %s\n", name, (unsigned long)size,
			(unsigned long)dsize, dver, what);
		efi.probe[k].run = true;
		efi.probe[k].status = efi_call(RT_SET_VIRTUAL_ADDRESS_MAP, 4, size,
					       dsize, (u64)dver, svam_flush(size));
		kprintf("efi: svam=%s: returned %s\n", name,
			efi_status_name(efi.probe[k].status));
		if (efi.probe[k].status == EFI_SUCCESS) {
			efi.probe_accepted = k + 1;
			efi.svam_called = true;
			efi.svam_status = EFI_SUCCESS;
			disable("SetVirtualAddressMap accepted a map it must refuse "
				"(svam= probe): the firmware now runs in a virtual "
				"mode vamap did not mean");
			return false;
		}
		if (!efi.runtime_enabled)
			return false; /* the call faulted or hung */
	}
	return true;
}

/* Step 5. */
static void call_svam(void)
{
	u64 size = fill_svam_map(kopt.svam_probes & SVAM_PROBE_SHUFFLED, -1);
	u64 map_pa;

	if (!size) {
		disable("runtime map larger than the SVAM buffer");
		return;
	}
	svam_map_size = size;
	map_pa = svam_flush(size);
	kprintf("efi: SetVirtualAddressMap(%lu bytes, desc_size %lu, version %u, "
		"map at physical 0x%016lx%s)\n", (unsigned long)size,
		(unsigned long)raw_desc_size, raw_desc_version,
		(unsigned long)map_pa,
		(kopt.svam_probes & SVAM_PROBE_SHUFFLED) ? ", svam=shuffled: "
							     "out of order"
							   : "");
	efi.svam_called = true;
	efi.t_svam_call = rdtsc();
	efi.svam_status = efi_call(RT_SET_VIRTUAL_ADDRESS_MAP, 4, size,
				   raw_desc_size, (u64)raw_desc_version, map_pa);
	efi.t_svam_returned = rdtsc();
	kprintf("efi: SetVirtualAddressMap returned %s\n",
		efi_status_name(efi.svam_status));
	if (efi.svam_status != EFI_SUCCESS && efi.runtime_enabled)
		disable("SetVirtualAddressMap failed");
}

static int drop_low_half(void);

efi_status_t efi_svam_again(const char **how)
{
	u64 fn = efi.svam_fn_after;
	bool one_to_one = false;
	efi_status_t st;

	if (efi_region_by_va(&efi.plan, fn)) {
		*how = "at its new address";
	} else if (efi_region_by_pa(&efi.plan, fn)) {
		/* Physical, as EDK2 and U-Boot leave it: called as the first
		 * time, with the runtime regions 1:1 for the call alone. */
		*how = "at its physical address, the runtime regions mapped 1:1 "
		       "for the call";
		one_to_one = true;
		if (map_runtime_1to1()) {
			*how = "no table pages to map the runtime regions 1:1";
			if (drop_low_half())
				disable("the 32-bit call path's window could not "
					"be mapped again");
			return EFI_OUT_OF_RESOURCES;
		}
	} else {
		*how = "its pointer lies in no runtime region";
		return EFI_NOT_FOUND;
	}
	efi.fn[RT_SET_VIRTUAL_ADDRESS_MAP] = fn;
	/* rt_store.map_pa still holds the map that succeeded */
	st = efi_call(RT_SET_VIRTUAL_ADDRESS_MAP, 4, svam_map_size, raw_desc_size,
		      (u64)raw_desc_version, rt_store.map_pa);
	efi.fn[RT_SET_VIRTUAL_ADDRESS_MAP] = 0;
	if (one_to_one && drop_low_half())
		disable("the 32-bit call path's window could not be mapped again");
	return st;
}

/* Step 6: the table at its new address, every pointer in runtime code. */
static void check_pointers(void)
{
	static const char *const physical_only[2] = {
		"8.4.1: SetVirtualAddressMap is called with the physical "
		"mappings, once",
		"8.4.2: ConvertPointer is called during SetVirtualAddressMap, "
		"by the image being relocated",
	};
	const u8 *st = phys(efi.system_table,
			    EFI_SYSTEM_TABLE_MIN_SIZE_FOR(fw_width()));
	const u64 rt_va = st_runtime_services(st);
	const struct efi_rt_region *r = efi_region_by_va(&efi.plan, rt_va);
	const struct efi_memattr_entry *e;
	unsigned int i, bad = 0;
	u64 fn[RT_NR_SERVICES];

	kprintf("efi: runtime services table now at %p\n", (void *)rt_va);
	if (!r) {
		disable("the runtime services table is not in a runtime region");
		return;
	}
	if (!rt_table(r->pa + (rt_va - r->va), fn)) {
		disable("the runtime services table lost its signature");
		return;
	}
	check_headers("after SetVirtualAddressMap", efi.system_table,
		      r->pa + (rt_va - r->va));
	for (i = 0; i < RT_NR_SERVICES; i++) {
		const struct efi_rt_region *c = efi_region_by_va(&efi.plan, fn[i]);

		efi.fn[i] = fn[i];
		/* Callable only in physical mode (UEFI 2.10, 8.4.1: SVAM is
		 * called with the physical mappings, ConvertPointer only from
		 * SVAM's notifications), so firmware may leave them
		 * unconverted: EDK2's RuntimeDxe converts "all the Runtime
		 * Services except ConvertPointer() and SetVirtualAddressMap()"
		 * and U-Boot points them at physical stand-ins. Information,
		 * not a finding; efi.svam.second calls SVAM once more. */
		if (i == RT_SET_VIRTUAL_ADDRESS_MAP || i == RT_CONVERT_POINTER) {
			const struct efi_rt_region *p =
				efi_region_by_pa(&efi.plan, fn[i]);

			if (i == RT_SET_VIRTUAL_ADDRESS_MAP)
				efi.svam_fn_after = fn[i];
			efi.fn[i] = 0;
			if (c && is_code(c->type))
				continue; /* converted: nothing to say */
			if (!efi.svam_called)
				kprintf("efi: %s at %p: never called under "
					"efi=novamap\n", efi_rt_service_name(i),
					(void *)fn[i]);
			else if (p)
				kprintf("efi: %s left at its physical address %p "
					"(%s desc %u): information, not a finding "
					"(UEFI 2.10 %s)\n", efi_rt_service_name(i),
					(void *)fn[i],
					efi_memory_type_name(p->type), p->desc,
					physical_only[i == RT_CONVERT_POINTER]);
			else
				kprintf("efi: %s at %p, in no runtime region: "
					"information (UEFI 2.10 %s)\n",
					efi_rt_service_name(i), (void *)fn[i],
					physical_only[i == RT_CONVERT_POINTER]);
			continue;
		}
		if (!c || !is_code(c->type)) {
			kdetail("efi.pointers",
				"efi: %s at %p is not in a runtime code region\n",
				efi_rt_service_name(i), (void *)fn[i]);
			efi_describe_address("efi.pointers", "pointer", fn[i]);
			bad++;
			continue;
		}
		/* UEFI 2.10, 4.6.4: what the attributes table marks XP must
		 * not run; vamap maps it NX, so the call would fault. */
		e = efi_memattr.usable
			    ? efi_memattr_lookup(efi_memattr.parsed,
						 c->pa + (fn[i] - c->va))
			    : NULL;
		if (e && (e->attr & EFI_MEMORY_XP)) {
			kdetail("efi.pointers",
				"efi: %s at %p lies in memory the attributes table "
				"marks non-executable (entry %u, 0x%016lx-0x%016lx "
				"XP): a runtime image the table does not describe\n",
				efi_rt_service_name(i), (void *)fn[i], e->index,
				(unsigned long)e->pa, (unsigned long)(e->pa + e->size));
			efi_describe_address("efi.pointers", "pointer", fn[i]);
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
		pt_unmap(efi.pt, efi.efi_pgd, r->va, r->size);
		n++;
	}
	efi.bs_window_unmapped = n > 0;
	if (n)
		kprintf("efi: %u boot-services regions unmapped from the window\n", n);
}

/*
 * efi_pgd's low half emptied of the 1:1 map, but for what must stay: on
 * 32-bit firmware the call path's window (efi/fw32.c), which shares the
 * low half, made again, and the runtime regions placed in it
 * (efi=slot, linux) with their final permissions. Nonzero when that
 * failed (no table pages).
 */
static int drop_low_half(void)
{
	unsigned int i, n;

	pt_free_range(efi.pt, efi.efi_pgd, 0, PGD_KERNEL_FIRST - 1);
	if (!efi.fw32)
		return 0;
	if (efi_fw32_map())
		return -1;
	for (i = 0; efi.mode != EFI_MODE_1TO1 && i < efi.plan.n; i++)
		if (efi.plan.r[i].placed && !efi.plan.r[i].boot_services &&
		    map_final(&efi.plan.r[i], efi.plan.r[i].va, &n))
			return -1;
	return 0;
}

/* Step 7. */
static void finalize(void)
{
	u64 freed0 = efi.pt->tables_freed;
	const struct mem_region *m;
	unsigned int i, n;

	unmap_boot_services();
	if (efi.mode != EFI_MODE_NOVAMAP) {
		if (drop_low_half())
			disable("the 32-bit call path's window could not be "
				"mapped again");
		efi.low_half_dropped = efi.mode != EFI_MODE_1TO1;
		kprintf("efi: 1:1 map dropped from efi_pgd (%lu table pages freed)%s\n",
			(unsigned long)(efi.pt->tables_freed - freed0),
			efi.mode == EFI_MODE_1TO1 ? "; runtime regions stay at VA = PA"
			: efi.fw32 ? "; the 32-bit call path's window stays" : "");
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
		for_each_mem_region(m)
			if (m->type == EFI_BOOT_SERVICES_CODE)
				map_efi(m->start, m->start, m->end - m->start,
					MAP_WRITE);
	}
}

void efi_release_boot_services(void)
{
	u64 bytes = mm_release_boot_services();

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
	pt_unmap(efi.pt, efi.efi_pgd, pick->va, pick->size);
}

void efi_setup(const struct boot_info *bi, enum efi_mode mode)
{
	struct efi_window w;
	struct pgd_member member;
	unsigned int i, bs;
	int ret;

	memset(&efi, 0, sizeof(efi));
	efi.mode = mode;
	efi.pt = mm_table_ctx();
	efi.tsc_khz = bi->tsc_khz;
	/* The drivers the stub started, to name them in fault reports. */
	efi.ndrivers = MIN(bi->ndrivers, (u32)BOOT_DRIVERS_MAX);
	memcpy(efi.drivers, bi->drivers, sizeof(efi.drivers));
	kprintf("== efi (efi=%s)\n", efi_mode_name(mode));
	efi.fw32 = bi->firmware_bits == 32;
	if (mode == EFI_MODE_NORUNTIME && efi.fw32)
		read_tables32(bi); /* efi.tables, efi.svam.location */
	if (mode == EFI_MODE_NORUNTIME) {
		efi.disabled_why = EFI_NORUNTIME_WHY;
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
	if (efi.fw32) {
		const char *why = efi_fw32_choose(raw_map, raw_size, raw_desc_size);

		if (why) {
			disable(why);
			return;
		}
	}
	if (efi.fw32 && w.base) /* below 4 GiB: efi/fw32.c's window */
		efi_fw32_rt_window(&w.base, &w.top);
	if (rt_store_alloc()) {
		disable("no memory for the runtime-region table and the "
			"SetVirtualAddressMap map");
		return;
	}
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

	ret = efi_pgd_create(efi.pt, swapper_pg_dir, mode, &member);
	if (ret) {
		disable("efi_pgd could not be built");
		return;
	}
	efi.efi_pgd = member.root;
	if (kopt.efi_strict) {
		if (make_strict(mode))
			return;
	} else {
		if (make_shared(&member))
			return;
		mm_table_list_join(&member);
		efi_kguard_init();
	}
	if (map_everything()) {
		disable("efi_pgd could not be filled");
		return;
	}
	efi.t_efi_pgd_built = rdtsc();
	log_regions();
	kprintf("efi: efi_pgd at 0x%016lx, private slot %d\n",
		(unsigned long)efi.efi_pgd, member.private_slot);

	if (mode != EFI_MODE_NOVAMAP) {
		if (run_svam_probes())
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
