// SPDX-License-Identifier: MIT
/* SMBIOS entry points and type 0/1 strings from buffers (see smbios.h).
 * Host-testable: no memory outside the buffers is read, no libc. */
#include "bytes.h"
#include "smbios.h"

static bool anchor(const u8 *p, const char *a, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (p[i] != (u8)a[i])
			return false;
	return true;
}

int smbios_ep_parse(const void *p, u64 len, struct smbios_ep *out,
		    const char **why)
{
	const u8 *b = p;

	if (len >= SMBIOS3_EP_LEN && anchor(b, "_SM3_", 5)) {
		/* 3.x: length at 6, version at 7-8, table at 12 (size) and 16. */
		if (b[6] < SMBIOS3_EP_LEN || b[6] > len) {
			*why = "the 3.x entry point's length is wrong";
			return -EINVAL;
		}
		if (byte_sum(b, b[6])) {
			*why = "the 3.x entry point's checksum is wrong";
			return -EINVAL;
		}
		out->v3 = true;
		out->major = b[7];
		out->minor = b[8];
		out->table_len = rd32(b + 12);
		out->table = (u64)rd32(b + 16) | (u64)rd32(b + 20) << 32;
	} else if (len >= SMBIOS2_EP_LEN && anchor(b, "_SM_", 4)) {
		/* 2.x: length at 5 (0x1f; 2.1 said 0x1e by mistake), version
		 * at 6-7, "_DMI_" at 16 with its own checksum over 15 bytes,
		 * table length at 22, address at 24. */
		if (b[5] < 0x1e || b[5] > len) {
			*why = "the 2.x entry point's length is wrong";
			return -EINVAL;
		}
		if (byte_sum(b, b[5])) {
			*why = "the 2.x entry point's checksum is wrong";
			return -EINVAL;
		}
		if (!anchor(b + 16, "_DMI_", 5) || byte_sum(b + 16, 15)) {
			*why = "the 2.x entry point's _DMI_ part is wrong";
			return -EINVAL;
		}
		out->v3 = false;
		out->major = b[6];
		out->minor = b[7];
		out->table_len = rd16(b + 22);
		out->table = rd32(b + 24);
	} else {
		*why = "no _SM_ or _SM3_ anchor";
		return -EINVAL;
	}
	if (!out->table || !out->table_len) {
		*why = "the entry point names no structure table";
		return -EINVAL;
	}
	return 0;
}

/* String @idx (from 1) of the set at @s..@end into @dst; "" for 0 or a
 * string the set does not have. */
static void take_string(const u8 *s, const u8 *end, u8 idx, char *dst)
{
	u32 n = 0;

	dst[0] = '\0';
	if (!idx)
		return;
	while (s < end && *s && --idx) { /* skip idx - 1 strings */
		while (s < end && *s)
			s++;
		s++;
	}
	if (idx || s >= end)
		return;
	while (s < end && *s && n + 1 < SMBIOS_STR_MAX) {
		dst[n++] = (*s >= 0x20 && *s < 0x7f) ? (char)*s : '?';
		s++;
	}
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 le64(const u8 *p)
{
	return le32(p) | (u64)le32(p + 4) << 32;
}

/*
 * DSP0134 7.20, Memory Array Mapped Address: Starting and Ending Address
 * (KiB, the ending one the last KiB's) at 04h and 08h; from 2.7, when the
 * starting one is 0xffffffff, Extended Starting and Ending Address (bytes,
 * the ending one the last byte's) at 0Fh and 17h.
 */
static void take_range(const u8 *s, u8 flen, struct smbios_strings *out)
{
	u64 start, last;

	if (flen < 0x0f) {
		out->ram_bad++;
		return;
	}
	start = le32(s + 4);
	last = le32(s + 8);
	if (start == 0xffffffffu) {
		if (flen < 0x1f) {
			out->ram_bad++;
			return;
		}
		start = le64(s + 0x0f);
		last = le64(s + 0x17);
	} else {
		start <<= 10;
		last = (last << 10) | 0x3ff;
	}
	if (last < start || last == ~0ull) {
		out->ram_bad++;
		return;
	}
	if (out->nr_ram == SMBIOS_RAM_RANGES_MAX) {
		out->ram_more++;
		return;
	}
	out->ram[out->nr_ram].start = start;
	out->ram[out->nr_ram].end = last + 1;
	out->nr_ram++;
}

int smbios_table_parse(const void *p, u64 len, struct smbios_strings *out,
		       const char **why)
{
	const u8 *b = p, *end = b + len, *s = b;

	out->have_type0 = out->have_type1 = false;
	out->nr_ram = out->ram_more = out->ram_bad = 0;
	out->bios_vendor[0] = out->bios_version[0] = out->bios_date[0] = '\0';
	out->sys_manufacturer[0] = out->sys_product[0] = '\0';
	while ((u64)(end - s) >= 4) {
		u8 type = s[0], flen = s[1];
		const u8 *str, *next;

		if (flen < 4) {
			*why = "a structure is shorter than its header";
			return -EINVAL;
		}
		if (flen > end - s) {
			*why = "a structure runs past the table";
			return -EINVAL;
		}
		/* The string set ends with two NULs (two also when empty). */
		str = s + flen;
		next = str;
		while (next + 1 < end && (next[0] || next[1]))
			next++;
		if (next + 1 >= end) {
			*why = "a structure's strings run past the table";
			return -EINVAL;
		}
		next += 2;
		if (type == 0 && !out->have_type0 && flen >= 0x09) {
			/* 7.1: Vendor at 4, BIOS Version at 5, Release Date at 8. */
			take_string(str, next, s[4], out->bios_vendor);
			take_string(str, next, s[5], out->bios_version);
			take_string(str, next, s[8], out->bios_date);
			out->have_type0 = true;
		} else if (type == 1 && !out->have_type1 && flen >= 0x06) {
			/* 7.2: Manufacturer at 4, Product Name at 5. */
			take_string(str, next, s[4], out->sys_manufacturer);
			take_string(str, next, s[5], out->sys_product);
			out->have_type1 = true;
		}
		if (type == 19)
			take_range(s, flen, out);
		if (type == 127)
			break;
		s = next;
	}
	return 0;
}
