// SPDX-License-Identifier: MIT
/* The boot's memory rules (mm_early.h). Host-testable. */
#include "mm_early.h"
#include "mm_log.h"

/* verbose: the kernel's copy of the map, sorted, classified. */
static void log_regions(const struct memmap *m)
{
	static const char *const classes[] = { "usable", "boot-services",
						"reserved" };
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		const struct mem_region *r = &m->r[i];

		mm_log("mm: region %3u 0x%016lx-0x%016lx %-13s %-12s desc %u%s%s\n",
		       i, (unsigned long)r->start, (unsigned long)r->end,
		       classes[r->class], r->type_name ? r->type_name : "?", r->desc,
		       r->why ? ", " : "", r->why ? r->why : "");
	}
}

unsigned int mm_boot_reservations(const struct boot_info *bi, u64 bi_phys,
				  struct mm_reservation *out)
{
	const struct mm_reservation res[] = {
		{ 0, SZ_4K, "page 0" },
		{ SZ_4K, MM_LOW_RESERVE, "low 1 MiB (AP trampoline)" },
		{ bi->kernel_phys, bi->kernel_phys + ALIGN_UP(bi->kernel_size, SZ_2M),
		  "kernel image" },
		{ bi_phys, bi_phys + sizeof(*bi), "boot_info" },
		{ bi->memmap, bi->memmap + bi->memmap_size, "firmware memory map" },
		{ bi->init_pg_dir, bi->init_pg_dir + (u64)bi->init_pg_pages * SZ_4K,
		  "init_pg_dir" },
		{ bi->scratch, bi->scratch + bi->scratch_size,
		  "memory-map copy (stub scratch)" },
	};
	unsigned int i;

	compile_assert(boot_reservations_fit,
		       ARRAY_SIZE(res) <= MM_MAX_BOOT_RESERVATIONS);
	for (i = 0; i < ARRAY_SIZE(res); i++)
		out[i] = res[i];
	return ARRAY_SIZE(res);
}

int mm_early_layout(struct memmap *m, struct frame_alloc *fa,
		    const struct boot_info *bi, u64 bi_phys, const void *raw,
		    memmap_import_fn import, bool verbose)
{
	struct mm_reservation res[MM_MAX_BOOT_RESERVATIONS];
	unsigned int i, n = mm_boot_reservations(bi, bi_phys, res);
	int ret;

	ret = import(m, raw, bi->memmap_size, bi->memmap_desc_size);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = memmap_reserve(m, res[i].start, res[i].end, res[i].why);
		if (ret) {
			mm_log("mm: no room to reserve %s\n", res[i].why);
			return ret;
		}
	}
	/* Reserved RAM and reserved address space apart: a firmware's
	 * reserved range with no RAM behind it (EDK2 2025's 12 GiB at
	 * 0xfd00000000 on AMD-compatible layouts, the PCIe ECAM window) is
	 * not memory the firmware took. */
	mm_log("mm: %u regions: usable %lu KiB, boot services %lu KiB, "
	       "reserved RAM %lu KiB, not RAM %lu KiB (MMIO and reserved "
	       "address space), RAM ends at 0x%016lx\n", m->n,
	       (unsigned long)(memmap_total(m, MEM_USABLE) >> 10),
	       (unsigned long)(memmap_total(m, MEM_BOOT_SERVICES) >> 10),
	       (unsigned long)(memmap_total_ram(m, MEM_RESERVED, true) >> 10),
	       (unsigned long)(memmap_total_ram(m, MEM_RESERVED, false) >> 10),
	       (unsigned long)memmap_ram_end(m));
	if (verbose)
		log_regions(m);
	/* In the order they were made: addresses vary with placement, the
	 * order must not (the golden logs hold it). */
	for (i = 0; i < n; i++)
		mm_log("mm: reserved 0x%016lx-0x%016lx %s\n",
		       (unsigned long)ALIGN_DOWN(res[i].start, SZ_4K),
		       (unsigned long)ALIGN_UP(res[i].end, SZ_4K), res[i].why);
	ret = frame_add_usable(fa, m, MM_LOW_RESERVE);
	if (ret) {
		mm_log("mm: frame allocator: too many free ranges (%d)\n", ret);
		return ret;
	}
	mm_log("mm: frame allocator: %lu free pages in %u ranges\n",
	       (unsigned long)fa->free_pages, fa->n);
	return 0;
}
