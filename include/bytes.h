/* SPDX-License-Identifier: MIT */
/*
 * Reading firmware tables byte by byte, whatever the host's alignment:
 * the 8-bit checksum ACPI and SMBIOS share (the bytes sum to 0) and
 * little-endian fields. Used by the parsers that take buffers
 * (kernel/acpi_tables.c, boot/smbios.c) and their host tests.
 */
#ifndef VAMAP_BYTES_H
#define VAMAP_BYTES_H

#include "types.h"

/* The 8-bit sum of @n bytes: 0 for a table whose checksum is right. */
static inline u8 byte_sum(const u8 *b, u64 n)
{
	u8 s = 0;

	while (n--)
		s = (u8)(s + *b++);
	return s;
}

static inline u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 rd64(const u8 *p)
{
	return (u64)rd32(p) | (u64)rd32(p + 4) << 32;
}

#endif
