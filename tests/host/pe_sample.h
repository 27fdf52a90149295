/* SPDX-License-Identifier: MIT */
/* A PE32+ image as EDK2 loads one, written into a buffer: for the host
 * test of efi/pe_image.c and the fuzz seed. */
#ifndef VAMAP_PE_SAMPLE_H
#define VAMAP_PE_SAMPLE_H

#include <string.h>
#include "types.h"

#define SAMPLE_BASE 0x2000
#define SAMPLE_SIZE 0x5000
#define SAMPLE_PATH "/build/OvmfX64/DEBUG_GCC5/X64/MdeModulePkg/Universal/" \
		    "Variable/RuntimeDxe/VariableRuntimeDxe/DEBUG/VariableRuntimeDxe.dll"

static inline void put16(u8 *p, u16 v) { p[0] = (u8)v; p[1] = (u8)(v >> 8); }
static inline void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

/* Write the image at @buf + SAMPLE_BASE (@buf holds at least
 * SAMPLE_BASE + SAMPLE_SIZE bytes). */
static inline void pe_sample(u8 *buf)
{
	u8 *img = buf + SAMPLE_BASE, *pe = img + 0x80, *opt = pe + 24;
	u8 *dbg = img + 0x3000, *cv = img + 0x3100;

	memset(img, 0, SAMPLE_SIZE);
	img[0] = 'M';
	img[1] = 'Z';
	put32(img + 0x3c, 0x80);
	memcpy(pe, "PE\0\0", 4);
	put16(pe + 4, 0x8664);	/* x64 */
	put16(pe + 20, 240);	/* SizeOfOptionalHeader */
	put16(opt, 0x20b);	/* PE32+ */
	put32(opt + 56, SAMPLE_SIZE);
	put32(opt + 108, 16);	/* NumberOfRvaAndSizes */
	put32(opt + 112 + 6 * 8, 0x3000); /* debug directory */
	put32(opt + 112 + 6 * 8 + 4, 28);
	put32(dbg + 12, 2);	/* CodeView */
	put32(dbg + 16, 24 + sizeof(SAMPLE_PATH));
	put32(dbg + 20, 0x3100);
	memcpy(cv, "RSDS", 4);
	memcpy(cv + 24, SAMPLE_PATH, sizeof(SAMPLE_PATH));
}

#endif
