/* SPDX-License-Identifier: MIT */
/*
 * The mode-switch blob (boot/longmode.asm): its header and parameters, as
 * the stubs fill them (boot/longmode.c). Both stubs, 64-bit and 32-bit,
 * build this file: every field has a fixed width.
 */
#ifndef VAMAP_LONGMODE_H
#define VAMAP_LONGMODE_H

#include "types.h"

#define LONGMODE_MAGIC 0x4d4c4d56u /* "VMLM" */

/* Where things are in the blob, bytes from its start. */
struct longmode_header {
	u32 magic;
	u32 from64;	 /* entry from 64-bit mode, RBX = the blob */
	u32 from32;	 /* entry from 32-bit protected mode, EBX = the blob */
	u32 params;	 /* struct longmode_params */
	u32 gdtr;	 /* the stub writes the blob's address plus gdt */
	u32 gdt;
	u32 far32;	 /* ... plus pm32_reload */
	u32 pm32_reload;
	u32 far64;	 /* ... plus lm64 */
	u32 lm64;
};

struct longmode_params {
	u64 cr3_temp;	/* the top-level table CR3 holds as paging goes on */
	u64 cr4_clear;	/* CR4 bits cleared with paging off */
	u64 cr4_set;	/* and set (PAE always) */
	u64 cr3_final;	/* loaded in 64-bit mode; 0: keep cr3_temp */
	u64 entry;	/* then a far return to cs_out:entry */
	u64 rdi;
	u64 rsp;
	u64 cs_out;
	u64 ss_out;	/* SS, DS and ES */
	u8 gdtr_out[16]; /* a 10-byte GDTR to load; limit 0: keep the blob's */
};

/* The blob's own selectors (boot/longmode.asm). */
#define LONGMODE_SEL_CS32 0x08
#define LONGMODE_SEL_DS 0x10
#define LONGMODE_SEL_CS64 0x18

/* The pages the stub places it in: the hand-off's temporary table, the
 * blob, and test=la57-enter's 5-level table, which stays CR3 until the
 * hand-off and so cannot be the first. */
#define LONGMODE_PAGES 3
#define LONGMODE_BLOB_OFFSET 0x1000
#define LONGMODE_LA57_TABLE_OFFSET 0x2000

compile_assert(longmode_params_size, sizeof(struct longmode_params) == 88);

#endif
