/* SPDX-License-Identifier: MIT */
/*
 * Which PE/COFF image holds an address in firmware memory (efi/pe_image.c):
 * for a fault report that names the runtime driver, not only the memory
 * descriptor. Reads only the bytes it is given; host-tested and fuzzed.
 */
#ifndef VAMAP_PE_IMAGE_H
#define VAMAP_PE_IMAGE_H

#include "types.h"

#define PE_IMAGE_NAME_MAX 64
/* How far below the address an image header is looked for. */
#define PE_IMAGE_SCAN_MAX (16ULL << 20)

struct pe_image {
	u64 base;	/* offset of its "MZ" header in the buffer */
	u32 size;	/* SizeOfImage */
	u16 machine;	/* COFF Machine: 0x8664 for x64 */
	char name[PE_IMAGE_NAME_MAX]; /* CodeView file name, or "" */
};

/*
 * Find the loaded image that holds byte @off of @buf (@len bytes): the
 * nearest 4 KiB boundary at or below @off (within PE_IMAGE_SCAN_MAX) that
 * starts a DOS header whose e_lfanew leads, inside @buf, to "PE\0\0" and a
 * PE32 or PE32+ optional header whose SizeOfImage covers @off. The name
 * is the last path component of its CodeView debug entry (RSDS or NB10,
 * PE/COFF specification 6.1), when the debug directory and the entry lie
 * inside the image and @buf. Returns false when no image holds @off.
 */
bool pe_image_find(const u8 *buf, u64 len, u64 off, struct pe_image *out);

#endif
