// SPDX-License-Identifier: MIT
/* PE/COFF image lookup for fault reports (see pe_image.h). Host-testable. */
#include "bytes.h"
#include "pe_image.h"

#define PAGE 4096ULL
#define DOS_LFANEW 0x3c
#define COFF_SIZE 20
#define OPT_MAGIC_PE32 0x10b
#define OPT_MAGIC_PE32PLUS 0x20b
#define OPT_SIZE_OF_IMAGE 56
#define DEBUG_DIR_INDEX 6
#define DEBUG_ENTRY_SIZE 28
#define DEBUG_TYPE_CODEVIEW 2
#define DEBUG_MAX_ENTRIES 16

/* Is [off, off+n) inside [0, len)? */
static bool inside(u64 len, u64 off, u64 n)
{
	return off <= len && n <= len - off;
}

/* The file name at the end of the NUL-terminated path at @p (at most
 * @room bytes readable), into @out. */
static void basename_of(const u8 *p, u64 room, char *out)
{
	u64 i, start = 0, end;
	unsigned int k = 0;

	for (end = 0; end < room && p[end]; end++)
		if (p[end] == '/' || p[end] == '\\')
			start = end + 1;
	if (end == room)
		return; /* no terminator: no name */
	for (i = start; i < end && k < PE_IMAGE_NAME_MAX - 1; i++)
		out[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	out[k] = '\0';
}

/* The CodeView name of the image at @base (SizeOfImage @size) whose debug
 * data directory entry is at @dd. */
static void codeview_name(const u8 *buf, u64 len, u64 base, u32 size,
			  const u8 *dd, struct pe_image *out)
{
	u32 rva = rd32(dd), dsize = rd32(dd + 4), i;

	if (!rva || dsize < DEBUG_ENTRY_SIZE || rva > size || dsize > size - rva ||
	    !inside(len, base + rva, dsize))
		return;
	for (i = 0; i < dsize / DEBUG_ENTRY_SIZE && i < DEBUG_MAX_ENTRIES; i++) {
		const u8 *e = buf + base + rva + i * DEBUG_ENTRY_SIZE;
		u32 type = rd32(e + 12), n = rd32(e + 16), at = rd32(e + 20);
		const u8 *cv;
		u64 skip;

		if (type != DEBUG_TYPE_CODEVIEW || !at || at > size ||
		    n > size - at || !inside(len, base + at, n) || n < 4)
			continue;
		cv = buf + base + at;
		if (cv[0] == 'R' && cv[1] == 'S' && cv[2] == 'D' && cv[3] == 'S')
			skip = 24; /* signature, GUID, age */
		else if (cv[0] == 'N' && cv[1] == 'B' && cv[2] == '1' && cv[3] == '0')
			skip = 16; /* signature, offset, time stamp, age */
		else
			continue;
		if (n <= skip)
			continue;
		basename_of(cv + skip, n - skip, out->name);
		return;
	}
}

/* Is there a valid image header at @base that covers @off? */
static bool image_at(const u8 *buf, u64 len, u64 base, u64 off,
		     struct pe_image *out)
{
	u64 pe, opt;
	u32 lfanew, size, nr_dirs;
	u16 magic, opt_size;
	u64 dirs;

	if (!inside(len, base, 64) || buf[base] != 'M' || buf[base + 1] != 'Z')
		return false;
	lfanew = rd32(buf + base + DOS_LFANEW);
	pe = base + lfanew;
	if (lfanew < 64 || lfanew > PAGE || !inside(len, pe, 4 + COFF_SIZE + 2))
		return false;
	if (buf[pe] != 'P' || buf[pe + 1] != 'E' || buf[pe + 2] || buf[pe + 3])
		return false;
	opt_size = rd16(buf + pe + 4 + 16);
	opt = pe + 4 + COFF_SIZE;
	if (!inside(len, opt, opt_size) || opt_size < OPT_SIZE_OF_IMAGE + 4)
		return false;
	magic = rd16(buf + opt);
	if (magic != OPT_MAGIC_PE32 && magic != OPT_MAGIC_PE32PLUS)
		return false;
	size = rd32(buf + opt + OPT_SIZE_OF_IMAGE);
	if (off - base >= size)
		return false;
	out->base = base;
	out->size = size;
	out->machine = rd16(buf + pe + 4);
	out->name[0] = '\0';
	/* NumberOfRvaAndSizes and the data directories: 92/96 in PE32,
	 * 108/112 in PE32+. */
	dirs = magic == OPT_MAGIC_PE32PLUS ? 112 : 96;
	if (opt_size < dirs)
		return true;
	nr_dirs = rd32(buf + opt + dirs - 4);
	if (nr_dirs > DEBUG_DIR_INDEX &&
	    opt_size >= dirs + 8 * (DEBUG_DIR_INDEX + 1))
		codeview_name(buf, len, base, size,
			      buf + opt + dirs + 8 * DEBUG_DIR_INDEX, out);
	return true;
}

bool pe_image_find(const u8 *buf, u64 len, u64 off, struct pe_image *out)
{
	u64 base, lowest;

	if (!buf || off >= len)
		return false;
	base = off & ~(PAGE - 1);
	lowest = base > PE_IMAGE_SCAN_MAX ? base - PE_IMAGE_SCAN_MAX : 0;
	for (;;) {
		if (image_at(buf, len, base, off, out))
			return true;
		if (base == lowest)
			return false;
		base -= PAGE;
	}
}
