/* SPDX-License-Identifier: MIT */
/*
 * The virtual address layout: every region is defined here and nowhere else.
 * The linker script includes this file through the C preprocessor, so
 * everything outside the __ASSEMBLER__ guard must be plain #defines.
 *
 *   0x0000000000000000 +-------------------------------+ PGD 0..255
 *                      | user half: empty in swapper;  |
 *                      | the 1:1 map in init_pg_dir,   |
 *                      | efi_pgd and trampoline_pgd    |
 *   0x00007fffffffffff +-------------------------------+
 *                        ... non-canonical hole ...
 *   PAGE_OFFSET        +-------------------------------+ PGD 273..
 *   0xffff888000000000 | direct map of all RAM         |
 *                      +-------------------------------+
 *   LATE_MAP_BASE      | late mappings (vmalloc style) | PGD 402..
 *   0xffffc90000000000 +-------------------------------+
 *   EFI_SLOT_BASE      | EFI runtime regions, only in  | PGD 510
 *   0xffffff0000000000 | efi_pgd (efi=slot)            |
 *                      +-------------------------------+
 *   EFI_LINUX_BASE     | Linux EFI window, efi=linux,  | PGD 511
 *   0xffffffef00000000 | private PUD copy in efi_pgd   |
 *   EFI_LINUX_TOP      +-------------------------------+
 *   KERNEL_VIRT_BASE   | kernel image (-2 GiB)         | PGD 511
 *   0xffffffff80000000 | text RX, rodata R, data RW    |
 *                      +-------------------------------+
 *   FIXMAP_BASE        | fixmap, early_ioremap slots   | PGD 511
 *                      +-------------------------------+ 2 MiB below top
 */
#ifndef VAMAP_LAYOUT_H
#define VAMAP_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE 0x1000

/* One PGD slot maps 512 GiB (SDM vol. 3A, 4.5: bits 47:39 index the PML4;
 * PGD_INDEX and the other levels are in pgtable.h). */
#define PGD_SLOT_SIZE 0x8000000000

/* The low (user) half, PGD slots 0..255: vamap maps only the 1:1 maps of
 * efi_pgd and trampoline_pgd there. */
#define LOW_HALF_END 0x800000000000

/* Direct map: Linux's PAGE_OFFSET for 4-level paging, so addresses in our
 * logs read the same as in a Linux dmesg; 64 TiB of room (slots 273..400). */
#define PAGE_OFFSET 0xffff888000000000
#define DIRECT_MAP_MAX 0x400000000000 /* 64 TiB: the most 46 phys bits give */

/* Late mappings (AP stacks and GDTs, ioremap): created after the trampoline
 * table exists, so they prove that kernel-half changes reach every table. */
#define LATE_MAP_BASE 0xffffc90000000000
#define LATE_MAP_SIZE 0x200000000000 /* 32 TiB */

/* The EFI slot: one whole PGD slot that no kernel table ever populates. */
#define EFI_SLOT_BASE 0xffffff0000000000
#define EFI_SLOT_SIZE PGD_SLOT_SIZE

/* Linux's EFI window (arch/x86/include/asm/pgtable_64_types.h: EFI_VA_START
 * -4 GiB, EFI_VA_END -68 GiB), used by efi=linux. */
#define EFI_LINUX_TOP 0xffffffff00000000
#define EFI_LINUX_BASE 0xffffffef00000000

/* The kernel image is linked here (-mcmodel=kernel needs the top 2 GiB). */
#define KERNEL_VIRT_BASE 0xffffffff80000000
#define KERNEL_MAX_SIZE 0x40000000 /* 1 GiB: what the stub's one PD maps */

/* The fixmap: the last 2 MiB but the very top page, one page table. */
#define FIXMAP_TOP 0xffffffffffe00000
#define FIXMAP_SIZE 0x200000
#define FIXMAP_BASE (FIXMAP_TOP - FIXMAP_SIZE)

#ifndef __ASSEMBLER__
#include "pgtable.h"
#include "types.h"

compile_assert(pgd_slot_size_is_the_pgd_level, PGD_SLOT_SIZE == 1ULL << PT_SHIFT(PT_PGD));
compile_assert(low_half_is_half_the_pgd,
	       LOW_HALF_END == PT_ENTRIES / 2 * PGD_SLOT_SIZE);

compile_assert(kernel_image_below_fixmap,
	       KERNEL_VIRT_BASE + KERNEL_MAX_SIZE <= FIXMAP_BASE);
compile_assert(efi_slot_is_one_whole_slot,
	       EFI_SLOT_BASE % PGD_SLOT_SIZE == 0 &&
		       PGD_INDEX(EFI_SLOT_BASE) == 510);
compile_assert(efi_linux_window_pud_aligned,
	       EFI_LINUX_BASE % 0x40000000 == 0 && EFI_LINUX_TOP % 0x40000000 == 0);
compile_assert(efi_linux_window_in_slot_511,
	       PGD_INDEX(EFI_LINUX_BASE) == 511 &&
		       PGD_INDEX(EFI_LINUX_TOP - 1) == 511);
compile_assert(efi_linux_window_below_kernel, EFI_LINUX_TOP <= KERNEL_VIRT_BASE);
compile_assert(direct_map_below_late_map,
	       PAGE_OFFSET + DIRECT_MAP_MAX <= LATE_MAP_BASE);
compile_assert(late_map_below_efi_slot,
	       LATE_MAP_BASE + LATE_MAP_SIZE <= EFI_SLOT_BASE);
#endif

#endif
