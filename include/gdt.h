/* SPDX-License-Identifier: MIT */
/*
 * vamap's GDTs, defined once (kernel/gdt.c). SDM vol. 3A, 3.4.5 (segment
 * descriptors), 8.2.3 (the 64-bit TSS and its 16-byte descriptor).
 *
 * Every CPU's kernel GDT has one layout: null, kernel code, kernel data,
 * TSS (two slots), 32-bit kernel code, with a TSS whose IST1..3 are the #DF, NMI and #MC
 * stacks the IDT names (kernel/entry.asm). The BSP's lives in the image,
 * each AP's in a late-mapped page. The AP trampoline has its own,
 * written into its data page: null, 32-bit code, data, 64-bit code.
 * The selectors the assembly uses (entry.asm's KERNEL_CS, KERNEL_DS,
 * TSS_SEL; trampoline.asm's far jumps) are asserted against these.
 */
#ifndef VAMAP_GDT_H
#define VAMAP_GDT_H

#include "types.h"
#include "x86.h"

enum gdt_slot {
	GDT_NULL,
	GDT_KERNEL_CODE, /* 64-bit, DPL 0 */
	GDT_KERNEL_DATA,
	GDT_TSS,	 /* 16 bytes: two slots */
	GDT_TSS_HIGH,
	GDT_KERNEL_CODE32, /* compatibility mode: 32-bit firmware's runtime
			    * services (efi/thunk32.asm) */
	GDT_ENTRIES,
};

enum tr_gdt_slot {
	TR_GDT_NULL,
	TR_GDT_CODE32, /* protected mode, on the way to long mode */
	TR_GDT_DATA,
	TR_GDT_CODE64, /* compatibility -> 64-bit mode */
	TR_GDT_ENTRIES,
};

#define GDT_SELECTOR(slot) ((slot) * 8)

/* The IST slots the IDT uses (1-based, as the gate's IST field). */
enum { IST_DF = 1, IST_NMI = 2, IST_MC = 3, IST_USED = 3 };

/* The size of each of the boot CPU's IST stacks (kernel/entry.asm's
 * IST_STACK_SIZE). */
#define BSP_IST_STACK_SIZE 8192

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7]; /* ist[0] is IST1 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

compile_assert(tss64_is_104_bytes, sizeof(struct tss64) == 104);

/* One CPU's GDT, TSS and the GDTR that loads them. */
struct cpu_gdt {
	u64 gdt[GDT_ENTRIES];
	struct tss64 tss;
	struct desc_ptr gdtr;
};

/* Fill @g for a CPU whose #DF, NMI and #MC stacks end at @ist_top[0..2]. */
void gdt_fill(struct cpu_gdt *g, const u64 ist_top[IST_USED]);

/* The trampoline's descriptors, Accessed preset (as the assembly's
 * table had them), so loading them never writes to its data page. */
void gdt_fill_trampoline(u64 gdt[TR_GDT_ENTRIES]);

/* The BSP's GDT, filled by kernel/entry.asm's call before any other C:
 * returns the GDTR for load_gdt. */
const struct desc_ptr *gdt_init_bsp(const u64 ist_top[IST_USED]);

#endif
