// SPDX-License-Identifier: MIT
/* vamap's GDTs (see gdt.h). */
#include "gdt.h"

/* Access byte (SDM vol. 3A, 3.4.5): present, code/data, executable,
 * readable (code) or writable (data), accessed. */
#define SEG_P 0x80
#define SEG_S 0x10
#define SEG_CODE 0x08
#define SEG_RW 0x02
#define SEG_A 0x01
#define SEG_TSS64 0x89 /* present, 64-bit TSS (available) */
/* Flags nibble: 4 KiB granularity, 32-bit default size, 64-bit code. */
#define SEG_G 0x8
#define SEG_DB 0x4
#define SEG_L 0x2

/* A flat segment: base 0, limit 4 GiB (both ignored in 64-bit mode). */
static u64 flat_segment(u8 access, u8 flags)
{
	return 0xffffULL | (u64)access << 40 | (u64)(0xf | flags << 4) << 48;
}

/* The two slots of a 64-bit TSS descriptor for the TSS at @base. */
static void tss_descriptor(u64 *slot, u64 base, u32 limit)
{
	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		  (u64)SEG_TSS64 << 40 | (u64)((limit >> 16) & 0xf) << 48 |
		  ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

/* entry.asm and trampoline.asm spell these selectors as numbers. */
compile_assert(kernel_selectors_match_entry_asm,
	       GDT_SELECTOR(GDT_KERNEL_CODE) == 0x08 &&
		       GDT_SELECTOR(GDT_KERNEL_DATA) == 0x10 &&
		       GDT_SELECTOR(GDT_TSS) == 0x18 &&
		       GDT_SELECTOR(GDT_KERNEL_CODE32) == 0x28);
compile_assert(trampoline_selectors_match_trampoline_asm,
	       GDT_SELECTOR(TR_GDT_CODE32) == 0x08 &&
		       GDT_SELECTOR(TR_GDT_DATA) == 0x10 &&
		       GDT_SELECTOR(TR_GDT_CODE64) == 0x18);

void gdt_fill(struct cpu_gdt *g, const u64 ist_top[IST_USED])
{
	unsigned int i;

	g->gdt[GDT_NULL] = 0;
	g->gdt[GDT_KERNEL_CODE] = flat_segment(SEG_P | SEG_S | SEG_CODE | SEG_RW,
					       SEG_G | SEG_L);
	g->gdt[GDT_KERNEL_DATA] = flat_segment(SEG_P | SEG_S | SEG_RW | SEG_A,
					       SEG_G | SEG_DB);
	tss_descriptor(&g->gdt[GDT_TSS], (u64)&g->tss, sizeof(g->tss) - 1);
	/* Loaded under efi_pgd, which may map the GDT read-only (the data
	 * segment too, by efi/thunk32.asm): Accessed preset, so loading
	 * them never writes a descriptor. */
	g->gdt[GDT_KERNEL_CODE32] = flat_segment(SEG_P | SEG_S | SEG_CODE | SEG_RW |
						 SEG_A, SEG_G | SEG_DB);
	g->tss = (struct tss64){ .iomap_base = sizeof(g->tss) }; /* no I/O bitmap */
	for (i = 0; i < IST_USED; i++)
		g->tss.ist[i] = ist_top[i];
	g->gdtr.limit = sizeof(g->gdt) - 1;
	g->gdtr.base = (u64)g->gdt;
}

void gdt_fill_trampoline(u64 gdt[TR_GDT_ENTRIES])
{
	gdt[TR_GDT_NULL] = 0;
	gdt[TR_GDT_CODE32] = flat_segment(SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_A,
					  SEG_G | SEG_DB);
	gdt[TR_GDT_DATA] = flat_segment(SEG_P | SEG_S | SEG_RW | SEG_A,
					SEG_G | SEG_DB);
	gdt[TR_GDT_CODE64] = flat_segment(SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_A,
					  SEG_G | SEG_L);
}

static struct cpu_gdt bsp_gdt __attribute__((aligned(16)));

const struct desc_ptr *gdt_init_bsp(const u64 ist_top[IST_USED])
{
	gdt_fill(&bsp_gdt, ist_top);
	return &bsp_gdt.gdtr;
}
