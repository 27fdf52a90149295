/* SPDX-License-Identifier: MIT */
/* The kernel's memory management (mm/paging.c): its tables and state. */
#ifndef VAMAP_MM_H
#define VAMAP_MM_H

#include "boot_info.h"
#include "frame.h"
#include "memmap.h"
#include "mm_early.h"
#include "pgd_list.h"
#include "ptdump.h"
#include "pgtable.h"

/* The live top-level table: the one helper meaning "the kernel's tables"
 * reads. Physical address; CR3 holds the same. */
extern u64 live_pgd;
extern u64 swapper_pg_dir; /* physical; 0 until built */

/* At kernel entry: init_pg_dir (in CR3) becomes the live table, with its
 * 1:1 map of RAM below bi->identity_map_end as the builder's view. */
void mm_adopt_init_pg_dir(const struct boot_info *bi);

/* CPU features, EFER.NXE, PAT; the memory map read by @import, then
 * reserved; the frame allocator. Runs on init_pg_dir. 0 or an error,
 * already logged. */
int mm_early_init(const struct boot_info *bi, u64 bi_phys,
		  memmap_import_fn import);

/* Build swapper_pg_dir (direct map, image by section) and switch to it;
 * releases init_pg_dir. 0 or an error, already logged; on error the kernel
 * stays on init_pg_dir. */
int mm_switch_to_swapper(void);

/*
 * What the rest of the kernel (smp.c, efi/) asks of mm/ about the machine's
 * memory, instead of reaching into kmemmap, kframes and kctx.
 */
/* The region of the kernel's map that holds @pa, or NULL. */
const struct mem_region *mm_region_at(u64 pa);
/* The region after @prev (the first for NULL), in address order, or NULL:
 * for_each_mem_region() walks them all, RAM or not. */
const struct mem_region *mm_region_next(const struct mem_region *prev);
#define for_each_mem_region(r) \
	for ((r) = mm_region_next(NULL); (r); (r) = mm_region_next(r))
/* The end of the highest RAM region. */
u64 mm_ram_end(void);
/* The parts of [start, end) the firmware's map does not describe
 * (memmap_gaps on the kernel's copy). */
unsigned int mm_map_gaps(u64 start, u64 end, struct mem_gap *out,
			 unsigned int max, u64 *bytes);
/* A zeroed page below @limit (0: anywhere) in *@pa: 0 or -ENOMEM. */
int mm_alloc_page_below(u64 limit, u64 *pa);
/* Give back a page mm_alloc_page_below() handed out. */
void mm_free_page(u64 pa);
/* @pages physically contiguous zeroed frames, reached through the direct
 * map (__va): the first in @pa. -ENOMEM when no free range holds them. */
int mm_alloc_pages(u64 pages, u64 *pa);
/* Boot-services memory above the low reserve goes to the allocator and
 * its regions become usable (the kernel's, never lent again): the bytes
 * freed. Called once the firmware's checks are done. */
u64 mm_release_boot_services(void);
/* Where @va leads through the tables at @root (any table vamap built). */
int mm_translate(u64 root, u64 va, u64 *pa);
/* Add @m to the table list and copy the kernel half into it; returns the
 * entries copied. */
unsigned int mm_table_list_join(const struct pgd_member *m);
/* Compare every table on the list with swapper_pg_dir's kernel half. */
void mm_table_list_check(struct pgd_check *c);
/* The table builder's context (its page allocator and its view of table
 * pages) for tables built outside mm/: efi_pgd is built and changed
 * through it. mm/ owns what it points to. */
struct pt_ctx *mm_table_ctx(void);
/* Is EFER.NXE on (NX bits in use)? */
bool mm_has_nx(void);

/* Map/unmap in the live tables and flush the TLB for the range; when the
 * live table is swapper_pg_dir, the table list is synced after. */
int mm_map_live(u64 va, u64 pa, u64 size, u32 flags);
int mm_unmap_live(u64 va, u64 size);

/*
 * Late mappings (the vmalloc-style range at LATE_MAP_BASE), made after the
 * other tables on the list exist: each call takes the next VAs after an
 * unmapped guard page. With @pa 0, @size bytes of fresh zeroed frames;
 * else [pa, pa+size) (MMIO). Returns the VA, or NULL (logged).
 */
void *late_map(u64 pa, u64 size, u32 flags);

/* Table-list checks made after each kernel-half change (debug build). */
struct pgd_list_stats {
	unsigned int checks, worst_mismatches;
	struct pgd_check last;
};
extern struct pgd_list_stats kpgd_stats;

/* A page-table walk of @va through the live table, for fault reports. */
void mm_report_walk(u64 va);

/* The linker's section bounds (linker/kernel.ld). */
/* The guard pages under the kernel's stacks and around the slots of the
 * firmware-argument arena (kernel/entry.asm), ended by a zero entry;
 * swapper_pg_dir never maps them. */
struct stack_guard {
	u64 va;
	const char *name;
};
extern const struct stack_guard stack_guards[];

/* The name of the stack whose guard page holds @va, or NULL. */
const char *mm_stack_guard(u64 va);

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[],
	__rodata_end[], __data_start[], __bss_end[], __kernel_end[],
	__efi_shared_start[], __efi_shared_end[], __unwatched_start[],
	__unwatched_end[];

/* mm/checks.c: the layout's regions, for ptdump */
extern const struct ptdump_marker mm_markers[];
void mm_dump_swapper(void);
void mm_checks(void);

#endif
