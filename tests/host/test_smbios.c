// SPDX-License-Identifier: MIT
// sources: boot/smbios.c
/*
 * SMBIOS entry points (2.x as OVMF and U-Boot publish, 3.x) and the type
 * 0 and type 1 strings, with each malformation named; the tables are
 * built here byte by byte from DSP0134.
 */
#include "check.h"
#include "smbios.h"

static u8 ep[32], table[512];

static void make_ep2(u16 len, u32 addr)
{
	memset(ep, 0, sizeof(ep));
	memcpy(ep, "_SM_", 4);
	ep[5] = 0x1f;
	ep[6] = 2;
	ep[7] = 8;
	memcpy(ep + 16, "_DMI_", 5);
	memcpy(ep + 22, &len, 2);
	memcpy(ep + 24, &addr, 4);
	fix_sum(ep + 16, 15, 5);
	fix_sum(ep, 0x1f, 4);
}

static void make_ep3(u32 max, u64 addr)
{
	memset(ep, 0, sizeof(ep));
	memcpy(ep, "_SM3_", 5);
	ep[6] = 24;
	ep[7] = 3;
	ep[8] = 6;
	ep[10] = 1;
	memcpy(ep + 12, &max, 4);
	memcpy(ep + 16, &addr, 8);
	fix_sum(ep, 24, 5);
}

/* One structure: header, @flen - 4 bytes of formatted area from @f, then
 * the strings (NUL-separated in @strs, @slen bytes with their NULs). */
static unsigned int put_struct(unsigned int at, u8 type, u8 flen,
			       const u8 *f, const char *strs, unsigned int slen)
{
	table[at] = type;
	table[at + 1] = flen;
	table[at + 2] = (u8)at;
	table[at + 3] = 0;
	memcpy(table + at + 4, f, flen - 4u);
	at += flen;
	if (!slen) {
		table[at] = table[at + 1] = 0;
		return at + 2;
	}
	memcpy(table + at, strs, slen);
	at += slen;
	table[at] = 0;
	return at + 1;
}

/* OVMF's shape: type 0 (vendor 1, version 2, date 3), type 1
 * (manufacturer 1, product 2), end of table. */
static unsigned int make_table(void)
{
	static const u8 t0[0x14] = { 1, 2, 0, 0xe8, 3 };
	static const u8 t1[0x17] = { 1, 2, 3, 4 };
	static const char s0[] = "EFI Development Kit II / OVMF\0"
				 "0.0.0\0" "02/06/2015";
	static const char s1[] = "QEMU\0" "Standard PC (Q35 + ICH9, 2009)\0"
				 "pc-q35-7.2";
	unsigned int at = 0;

	memset(table, 0xcc, sizeof(table));
	at = put_struct(at, 0, 0x18, t0, s0, sizeof(s0));
	at = put_struct(at, 1, 0x1b, t1, s1, sizeof(s1));
	return put_struct(at, 127, 4, t0, NULL, 0);
}

static void test_entry_points(void)
{
	struct smbios_ep e;
	const char *why;

	make_ep2(0x1234, 0x7f8e8000);
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS2_EP_LEN, &e, &why), 0);
	CHECK(!e.v3);
	CHECK_EQ(e.major, 2);
	CHECK_EQ(e.minor, 8);
	CHECK_EQ(e.table, 0x7f8e8000);
	CHECK_EQ(e.table_len, 0x1234);
	make_ep3(0x2000, 0x123456789000ULL);
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS3_EP_LEN, &e, &why), 0);
	CHECK(e.v3);
	CHECK_EQ(e.major, 3);
	CHECK_EQ(e.minor, 6);
	CHECK_EQ(e.table, 0x123456789000ULL);
	CHECK_EQ(e.table_len, 0x2000);
}

static void test_entry_points_malformed(void)
{
	struct smbios_ep e;
	const char *why;

	make_ep2(0x100, 0x1000);
	ep[0] = '-';
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS2_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "no _SM_ or _SM3_ anchor");
	make_ep2(0x100, 0x1000);
	ep[6] ^= 1;
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS2_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "the 2.x entry point's checksum is wrong");
	make_ep2(0x100, 0x1000);
	ep[24] ^= 1; /* in the _DMI_ part: fix the outer sum, not the inner */
	fix_sum(ep, 0x1f, 4);
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS2_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "the 2.x entry point's _DMI_ part is wrong");
	make_ep2(0x100, 0x1000);
	CHECK_EQ(smbios_ep_parse(ep, 30, &e, &why), -EINVAL); /* too short */
	make_ep2(0, 0x1000);
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS2_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "the entry point names no structure table");
	make_ep3(0x100, 0x1000);
	ep[6] = 40;
	fix_sum(ep, 24, 5);
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS3_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "the 3.x entry point's length is wrong");
	make_ep3(0x100, 0x1000);
	ep[20] = 1;
	CHECK_EQ(smbios_ep_parse(ep, SMBIOS3_EP_LEN, &e, &why), -EINVAL);
	CHECK_STR(why, "the 3.x entry point's checksum is wrong");
}

static void test_strings(void)
{
	struct smbios_strings s;
	const char *why;
	unsigned int len = make_table();

	CHECK_EQ(smbios_table_parse(table, len, &s, &why), 0);
	CHECK(s.have_type0 && s.have_type1);
	CHECK_STR(s.bios_vendor, "EFI Development Kit II / OVMF");
	CHECK_STR(s.bios_version, "0.0.0");
	CHECK_STR(s.bios_date, "02/06/2015");
	CHECK_STR(s.sys_manufacturer, "QEMU");
	CHECK_STR(s.sys_product, "Standard PC (Q35 + ICH9, 2009)");
	/* The end-of-table structure stops the walk: bytes after it are
	 * never read, even when the stated length goes on. */
	CHECK_EQ(smbios_table_parse(table, sizeof(table), &s, &why), 0);
	/* A table cut before type 1 has no type 1 (type 0: 0x18 bytes,
	 * 47 of strings and the closing NUL). */
	CHECK_EQ(smbios_table_parse(table, 0x18 + 48 + 2, &s, &why), 0);
	CHECK(s.have_type0 && !s.have_type1);
	CHECK_STR(s.sys_product, "");
}

static void test_strings_odd(void)
{
	static const u8 t0[0x14] = { 1, 5, 0, 0xe8, 0 }; /* 5: no such string */
	static const char s0[] = "Vendor   \0" "\x01\x80 x";
	static const u8 t1[4] = { 0, 0 };
	char longname[100];
	struct smbios_strings s;
	const char *why;
	unsigned int at;

	memset(table, 0, sizeof(table));
	at = put_struct(0, 0, 0x18, t0, s0, sizeof(s0));
	at = put_struct(at, 1, 6, t1, NULL, 0); /* no strings at all */
	CHECK_EQ(smbios_table_parse(table, at, &s, &why), 0);
	CHECK_STR(s.bios_vendor, "Vendor"); /* trailing blanks cut */
	CHECK_STR(s.bios_version, "");	    /* index past the set */
	CHECK_STR(s.bios_date, "");	    /* index 0: none */
	CHECK(s.have_type1);
	CHECK_STR(s.sys_manufacturer, "");
	/* Control and high bytes become '?'. */
	table[4] = 2;
	CHECK_EQ(smbios_table_parse(table, at, &s, &why), 0);
	CHECK_STR(s.bios_vendor, "?? x");
	/* A 100-byte string is cut to 63. */
	memset(longname, 'a', sizeof(longname));
	longname[99] = '\0';
	memset(table, 0, sizeof(table));
	at = put_struct(0, 0, 0x18, t0, longname, sizeof(longname));
	table[4] = 1;
	CHECK_EQ(smbios_table_parse(table, at, &s, &why), 0);
	CHECK_EQ(strlen(s.bios_vendor), SMBIOS_STR_MAX - 1);
}

/* Type 19 (DSP0134 7.20) as QEMU writes it for 8 GiB on q35: 0-2 GiB
 * and 4-10 GiB in KiB; then one with the 2.7 extended addresses, one
 * whose end is below its start, one too short. */
static void put19(unsigned int *at, u32 start_kib, u32 end_kib, u64 xstart,
		  u64 xend, u8 flen)
{
	u8 f[0x1f - 4] = { 0 };

	memcpy(f, &start_kib, 4);
	memcpy(f + 4, &end_kib, 4);
	memcpy(f + 0x0f - 4, &xstart, 8);
	memcpy(f + 0x17 - 4, &xend, 8);
	*at = put_struct(*at, 19, flen, f, NULL, 0);
}

static void test_memory_array_ranges(void)
{
	struct smbios_strings s;
	const char *why;
	unsigned int at = 0, i;

	memset(table, 0, sizeof(table));
	put19(&at, 0, 0x1fffff, 0, 0, 0x1f);
	put19(&at, 0x400000, 0xa00000 - 1, 0, 0, 0x0f);
	put19(&at, 0xffffffffu, 0, 0x4000000000ULL, 0x40ffffffffULL, 0x1f);
	put19(&at, 0x1000, 0x0fff, 0, 0, 0x0f);		/* end < start */
	put19(&at, 0xffffffffu, 0, 0x100, 0x200, 0x0f);	/* no room */
	table[at] = 127;
	table[at + 1] = 4;
	at += 6;
	CHECK_EQ(smbios_table_parse(table, at, &s, &why), 0);
	CHECK_EQ(s.nr_ram, 3);
	CHECK_EQ(s.ram_bad, 2);
	CHECK_EQ(s.ram[0].start, 0);
	CHECK_EQ(s.ram[0].end, 0x80000000ULL);
	CHECK_EQ(s.ram[1].start, 0x100000000ULL);
	CHECK_EQ(s.ram[1].end, 0x280000000ULL);
	CHECK_EQ(s.ram[2].start, 0x4000000000ULL);
	CHECK_EQ(s.ram[2].end, 0x4100000000ULL);
	/* more than vamap holds: counted, not taken */
	at = 0;
	memset(table, 0, sizeof(table));
	for (i = 0; i < SMBIOS_RAM_RANGES_MAX + 2; i++)
		put19(&at, i * 0x100000, i * 0x100000 + 0xfffff, 0, 0, 0x0f);
	CHECK_EQ(smbios_table_parse(table, at, &s, &why), 0);
	CHECK_EQ(s.nr_ram, SMBIOS_RAM_RANGES_MAX);
	CHECK_EQ(s.ram_more, 2);
}

static void test_table_malformed(void)
{
	struct smbios_strings s;
	const char *why;
	unsigned int len = make_table();

	table[1] = 3;
	CHECK_EQ(smbios_table_parse(table, len, &s, &why), -EINVAL);
	CHECK_STR(why, "a structure is shorter than its header");
	make_table();
	table[1] = 0xff;
	CHECK_EQ(smbios_table_parse(table, 0x40, &s, &why), -EINVAL);
	CHECK_STR(why, "a structure runs past the table");
	make_table();
	/* Cut inside type 0's strings: no double NUL before the end. */
	CHECK_EQ(smbios_table_parse(table, 0x18 + 10, &s, &why), -EINVAL);
	CHECK_STR(why, "a structure's strings run past the table");
	/* Every cut of a good table either parses or is named, never reads
	 * past the cut (ASan watches). */
	for (unsigned int cut = 0; cut <= len; cut++) {
		u8 *copy = malloc(cut ? cut : 1);

		memcpy(copy, table, cut);
		why = NULL;
		if (smbios_table_parse(copy, cut, &s, &why))
			CHECK(why != NULL);
		free(copy);
	}
}

int main(void)
{
	RUN(test_entry_points);
	RUN(test_entry_points_malformed);
	RUN(test_strings);
	RUN(test_strings_odd);
	RUN(test_table_malformed);
	RUN(test_memory_array_ranges);
	return check_exit();
}
