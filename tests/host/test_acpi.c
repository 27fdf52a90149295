// SPDX-License-Identifier: MIT
// sources: kernel/acpi_tables.c
/*
 * The SRAT's memory ranges (efi.memmap.complete), and ACPI root tables in
 * both shapes: ACPI 1.0 (RSDP revision 0, a 20-byte
 * RSDP, an RSDT of 32-bit entries, as U-Boot publishes) and ACPI 2.0+
 * (revision 2, a 36-byte RSDP, an XSDT of 64-bit entries, as OVMF does),
 * and each malformation named.
 */
#include "acpi_tables.h"
#include "check.h"

static u8 rsdp[36], root[36 + 8 * 8];

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void make_rsdp(u8 rev, u32 rsdt, u64 xsdt)
{
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "U-BOOT", 6);
	rsdp[15] = rev;
	put32(rsdp + 16, rsdt);
	if (rev >= 2) {
		put32(rsdp + 20, 36);
		put64(rsdp + 24, xsdt);
		fix_sum(rsdp, 20, 8);
		fix_sum(rsdp, 36, 32);
	} else {
		fix_sum(rsdp, 20, 8);
	}
}

static unsigned int make_root(bool xsdt, unsigned int n)
{
	unsigned int es = xsdt ? 8 : 4, len = 36 + n * es, i;

	memset(root, 0, sizeof(root));
	memcpy(root, xsdt ? "XSDT" : "RSDT", 4);
	put32(root + 4, len);
	root[8] = 1;
	for (i = 0; i < n; i++) {
		if (xsdt)
			put64(root + 36 + i * 8, 0x100000000ULL + i * 0x1000);
		else
			put32(root + 36 + i * 4, 0x7dcee000u + i * 0x100);
	}
	fix_sum(root, len, 9);
	return len;
}

static void test_acpi10_rsdt(void)
{
	struct acpi_root r;
	const char *why;
	u64 t[8];
	unsigned int len;

	make_rsdp(0, 0x7dcee040, 0);
	CHECK_EQ(acpi_rsdp_len(rsdp), 20);
	CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &why), 0);
	CHECK_EQ(r.revision, 0);
	CHECK(!r.xsdt);
	CHECK_EQ(r.root, 0x7dcee040);
	CHECK_STR(r.oem, "U-BOOT");
	len = make_root(false, 5);
	CHECK_EQ(acpi_root_parse(root, len, false, t, 8, &why), 5);
	CHECK_EQ(t[0], 0x7dcee000);
	CHECK_EQ(t[4], 0x7dcee400);
	/* an RSDT read as an XSDT is refused, not misread */
	CHECK_EQ(acpi_root_parse(root, len, true, t, 8, &why), -EINVAL);
	CHECK_STR(why, "XSDT signature wrong");
}

static void test_acpi20_xsdt(void)
{
	struct acpi_root r;
	const char *why;
	u64 t[8];
	unsigned int len;

	make_rsdp(2, 0x7fe00000, 0x7fe01000);
	CHECK_EQ(acpi_rsdp_len(rsdp), 36);
	CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &why), 0);
	CHECK(r.xsdt);
	CHECK_EQ(r.root, 0x7fe01000);
	len = make_root(true, 6);
	CHECK_EQ(acpi_root_parse(root, len, true, t, 8, &why), 6);
	CHECK_EQ(t[5], 0x100005000ULL);
	/* more entries than the caller keeps: the count says so */
	CHECK_EQ(acpi_root_parse(root, len, true, t, 2, &why), 6);
	/* revision 2 without an XSDT address: the RSDT, as ACPICA does */
	make_rsdp(2, 0x7fe00000, 0);
	CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &why), 0);
	CHECK(!r.xsdt);
	CHECK_EQ(r.root, 0x7fe00000);
}

static void test_rsdp_malformed(void)
{
	struct acpi_root r;
	const char *why;

	make_rsdp(0, 0x1000, 0);
	rsdp[8] ^= 1;
	CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &why), -EINVAL);
	CHECK_STR(why, "RSDP checksum (first 20 bytes) wrong");
	make_rsdp(0, 0x1000, 0);
	rsdp[0] = 'X';
	CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &why), -EINVAL);
	CHECK_STR(why, "RSDP signature wrong");
	make_rsdp(2, 0x1000, 0x2000);
	rsdp[32] ^= 1;
	CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &why), -EINVAL);
	CHECK_STR(why, "RSDP extended checksum wrong");
	make_rsdp(2, 0x1000, 0x2000);
	CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &why), -EINVAL);
	make_rsdp(0, 0, 0);
	CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &why), -EINVAL);
	CHECK_STR(why, "RSDP names no RSDT or XSDT");
	CHECK_EQ(acpi_rsdp_parse(rsdp, 19, &r, &why), -EINVAL);
	CHECK_EQ(acpi_rsdp_parse(NULL, 36, &r, &why), -EINVAL);
}

static void test_root_malformed(void)
{
	const char *why;
	u64 t[8];
	unsigned int len;

	len = make_root(false, 3);
	root[9] ^= 1;
	CHECK_EQ(acpi_root_parse(root, len, false, t, 8, &why), -EINVAL);
	CHECK_STR(why, "RSDT checksum wrong");
	len = make_root(true, 3);
	put32(root + 4, len + 4); /* not a whole number of entries */
	fix_sum(root, len + 4, 9);
	CHECK_EQ(acpi_root_parse(root, len + 4, true, t, 8, &why), -EINVAL);
	CHECK_STR(why, "XSDT length wrong");
	len = make_root(true, 3);
	CHECK_EQ(acpi_root_parse(root, len - 8, true, t, 8, &why), -EINVAL);
	CHECK_EQ(acpi_root_parse(root, 20, true, t, 8, &why), -EINVAL);
	len = make_root(false, 0);
	CHECK_EQ(acpi_root_parse(root, len, false, t, 8, &why), 0);
	/* A root whose Length says 4 GiB: read as its header, named */
	len = make_root(true, 3);
	put32(root + 4, 0xffffffffu);
	CHECK_EQ(acpi_root_parse(root, acpi_sdt_read_len(0xffffffffu,
				 ACPI_ROOT_MAX_LEN), true, t, 8, &why), -EINVAL);
	CHECK_STR(why, "XSDT length wrong");
	CHECK_EQ(acpi_sdt_read_len(len, ACPI_ROOT_MAX_LEN), len);
}

static u8 fadt[276];

/* An FADT of @len bytes (244 for ACPI 2.0+, 116 for ACPI 1.0) with the
 * PM timer at @port in PM_TMR_BLK and, when @xport, in X_PM_TMR_BLK. */
static void make_fadt(u32 len, u32 port, u64 xport, u32 flags)
{
	memset(fadt, 0, sizeof(fadt));
	memcpy(fadt, "FACP", 4);
	put32(fadt + 4, len);
	put32(fadt + 76, port);
	fadt[91] = port ? 4 : 0;
	if (len >= 116)
		put32(fadt + 112, flags);
	if (len >= 220 && xport) {
		fadt[208] = 1; /* SystemIO */
		fadt[209] = 32;
		put64(fadt + 212, xport);
	}
	fix_sum(fadt, len, 9);
}

static void test_fadt_pm_timer(void)
{
	struct acpi_pm_timer t;
	const char *why;

	/* OVMF on q35: both blocks, 24-bit counter */
	make_fadt(244, 0x608, 0x608, 0);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), 0);
	CHECK_EQ(t.port, 0x608);
	CHECK_EQ(t.mask, 0xffffff);
	/* X_PM_TMR_BLK wins; TMR_VAL_EXT makes it 32 bits */
	make_fadt(244, 0x408, 0xb008, 1u << 8);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), 0);
	CHECK_EQ(t.port, 0xb008);
	CHECK_EQ(t.mask, 0xffffffffu);
	/* an ACPI 1.0 FADT: PM_TMR_BLK alone */
	make_fadt(116, 0xb008, 0, 0);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 116, &t, &why), 0);
	CHECK_EQ(t.port, 0xb008);
	/* none, hardware-reduced, in memory space */
	make_fadt(244, 0, 0, 0);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -ENOENT);
	CHECK_STR(why, "the FADT names no PM timer");
	make_fadt(244, 0x608, 0x608, 1u << 20);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -ENOENT);
	CHECK_STR(why, "hardware-reduced ACPI: no PM timer");
	make_fadt(244, 0, 0xfed00000, 0);
	fadt[208] = 0;
	fix_sum(fadt, 244, 9);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -ENOENT);
	CHECK_STR(why, "X_PM_TMR_BLK is not in I/O space");
	/* malformed: checksum, length, PM_TMR_LEN, port, signature */
	make_fadt(244, 0x608, 0x608, 0);
	fadt[100] ^= 1;
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -EINVAL);
	CHECK_STR(why, "FADT checksum wrong");
	make_fadt(244, 0x608, 0x608, 0);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 200, &t, &why), -EINVAL);
	CHECK_STR(why, "FADT length wrong");
	make_fadt(116, 0x608, 0, 0);
	fadt[91] = 2;
	fix_sum(fadt, 116, 9);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 116, &t, &why), -EINVAL);
	CHECK_STR(why, "PM_TMR_LEN is not 4");
	make_fadt(244, 0, 0x10000, 0);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -EINVAL);
	CHECK_STR(why, "PM timer port beyond the I/O space");
	make_fadt(244, 0x608, 0x608, 0);
	fadt[0] = 'X';
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 244, &t, &why), -EINVAL);
	CHECK_STR(why, "FADT signature wrong");
	CHECK_EQ(acpi_fadt_pm_timer(fadt, 20, &t, &why), -EINVAL);
	/* A Length of 4 GiB: the reader takes the header alone (the stub and
	 * the kernel read through acpi_sdt_read_len), the parser names it;
	 * ASan holds the read to the 276-byte buffer. */
	make_fadt(244, 0x608, 0x608, 0);
	put32(fadt + 4, 0xffffffffu);
	CHECK_EQ(acpi_sdt_read_len(0xffffffffu, ACPI_FADT_MAX_LEN),
		 ACPI_SDT_HEADER_LEN);
	CHECK_EQ(acpi_fadt_pm_timer(fadt, acpi_sdt_read_len(0xffffffffu,
				    ACPI_FADT_MAX_LEN), &t, &why), -EINVAL);
	CHECK_STR(why, "FADT length wrong");
	CHECK_EQ(acpi_sdt_read_len(244, ACPI_FADT_MAX_LEN), 244);
	CHECK_EQ(acpi_sdt_read_len(20, ACPI_FADT_MAX_LEN), ACPI_SDT_HEADER_LEN);
}

/* An SRAT as QEMU builds one for two NUMA nodes: a processor affinity
 * structure, memory ranges (one hot-pluggable, one disabled). */
static u8 srat[48 + 16 + 5 * 40];

static void put_mem(u8 *p, u64 base, u64 len, u32 flags)
{
	memset(p, 0, 40);
	p[0] = 1;
	p[1] = 40;
	put64(p + 8, base);
	put64(p + 16, len);
	put32(p + 28, flags);
}

static u32 make_srat(void)
{
	u32 len = sizeof(srat);

	memset(srat, 0, sizeof(srat));
	memcpy(srat, "SRAT", 4);
	put32(srat + 4, len);
	srat[8] = 3;
	put32(srat + 36, 1);
	srat[48] = 0;	/* Processor Local APIC/SAPIC Affinity, 16 bytes */
	srat[49] = 16;
	put_mem(srat + 64, 0, 0xa0000, 1);
	put_mem(srat + 104, 0x100000, 0x3ff00000, 1);
	put_mem(srat + 144, 0x100000000ULL, 0xc0000000ULL, 1);
	put_mem(srat + 184, 0x200000000ULL, 0x40000000ULL, 3); /* hotplug */
	put_mem(srat + 224, 0x300000000ULL, 0x40000000ULL, 0); /* disabled */
	fix_sum(srat, len, 9);
	return len;
}

static void test_srat_memory(void)
{
	struct acpi_mem_range r[4];
	struct acpi_srat_counts c;
	const char *why;
	u32 len = make_srat();

	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), 0);
	CHECK_EQ(c.ranges, 3);
	CHECK_EQ(c.hotplug, 1);
	CHECK_EQ(c.disabled, 1);
	CHECK_EQ(r[0].start, 0);
	CHECK_EQ(r[0].end, 0xa0000);
	CHECK_EQ(r[2].start, 0x100000000ULL);
	CHECK_EQ(r[2].end, 0x1c0000000ULL);
	/* fewer kept than there are: counted all the same */
	CHECK_EQ(acpi_srat_memory(srat, len, r, 1, &c, &why), 0);
	CHECK_EQ(c.ranges, 3);
	/* a range that wraps is no range */
	put64(srat + 144 + 16, ~0ULL);
	fix_sum(srat, len, 9);
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), 0);
	CHECK_EQ(c.ranges, 2);
}

static void test_srat_malformed(void)
{
	struct acpi_mem_range r[4];
	struct acpi_srat_counts c;
	const char *why;
	u32 len = make_srat();

	CHECK_EQ(acpi_srat_memory(srat, 40, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "SRAT shorter than its header");
	srat[0] = 'X';
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "SRAT signature wrong");
	len = make_srat();
	CHECK_EQ(acpi_srat_memory(srat, len - 1, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "SRAT length wrong");
	srat[70] ^= 1;
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "SRAT checksum wrong");
	len = make_srat();
	srat[49] = 0; /* a structure of length 0 would never advance */
	fix_sum(srat, len, 9);
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "an SRAT structure shorter than 2 bytes");
	len = make_srat();
	srat[225] = 60; /* the last structure past the end */
	fix_sum(srat, len, 9);
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "an SRAT structure runs past the table's end");
	len = make_srat();
	srat[65] = 32; /* a Memory Affinity structure of another size */
	srat[96] = 1;
	srat[97] = 8;
	fix_sum(srat, len, 9);
	CHECK_EQ(acpi_srat_memory(srat, len, r, 4, &c, &why), -EINVAL);
	CHECK_STR(why, "an SRAT Memory Affinity structure not 40 bytes long");
}

int main(void)
{
	RUN(test_srat_memory);
	RUN(test_srat_malformed);
	RUN(test_fadt_pm_timer);
	RUN(test_acpi10_rsdt);
	RUN(test_acpi20_xsdt);
	RUN(test_rsdp_malformed);
	RUN(test_root_malformed);
	return check_exit();
}
