// SPDX-License-Identifier: MIT
// sources: efi/tables.c efi/names.c efi/memdesc.c kernel/printf.c
/*
 * The configuration tables that steer the runtime checks: the RT
 * properties mask decoded with the spec's EFI_RT_SUPPORTED_* constants
 * (UEFI 2.10, 4.6.2), and the memory attributes table validated entry by
 * entry with the rules Linux applies (drivers/firmware/efi/memattr.c),
 * each rejected entry named and the rest kept.
 */
#include "efi_defs.h"
#include "efi_rt.h"
#include "efi_tables.h"
#include "rawmap.h"
#include "sim.h"

#define RT (EFI_MEMORY_RUNTIME | EFI_MEMORY_WB)

/* UEFI 2.10, 4.6.2, EFI_RT_SUPPORTED_*: the values as printed in the
 * spec, written out here independently of efi/names.c. */
static void test_rt_supported_bits(void)
{
	CHECK_EQ(efi_rt_supported_bit(RT_GET_TIME), 0x0001);
	CHECK_EQ(efi_rt_supported_bit(RT_SET_TIME), 0x0002);
	CHECK_EQ(efi_rt_supported_bit(RT_GET_WAKEUP_TIME), 0x0004);
	CHECK_EQ(efi_rt_supported_bit(RT_SET_WAKEUP_TIME), 0x0008);
	CHECK_EQ(efi_rt_supported_bit(RT_GET_VARIABLE), 0x0010);
	CHECK_EQ(efi_rt_supported_bit(RT_GET_NEXT_VARIABLE_NAME), 0x0020);
	CHECK_EQ(efi_rt_supported_bit(RT_SET_VARIABLE), 0x0040);
	CHECK_EQ(efi_rt_supported_bit(RT_SET_VIRTUAL_ADDRESS_MAP), 0x0080);
	CHECK_EQ(efi_rt_supported_bit(RT_CONVERT_POINTER), 0x0100);
	CHECK_EQ(efi_rt_supported_bit(RT_GET_NEXT_HIGH_MONO_COUNT), 0x0200);
	CHECK_EQ(efi_rt_supported_bit(RT_RESET_SYSTEM), 0x0400);
	CHECK_EQ(efi_rt_supported_bit(RT_UPDATE_CAPSULE), 0x0800);
	CHECK_EQ(efi_rt_supported_bit(RT_QUERY_CAPSULE_CAPABILITIES), 0x1000);
	CHECK_EQ(efi_rt_supported_bit(RT_QUERY_VARIABLE_INFO), 0x2000);
	CHECK_EQ(efi_rt_supported_bit(RT_NR_SERVICES), 0);
}

/* U-Boot 2023.01 publishes 0x05b0: GetVariable, GetNextVariableName,
 * SetVirtualAddressMap, ConvertPointer and ResetSystem. */
static void test_rt_properties_uboot(void)
{
	struct efi_rt_properties t = { 1, 8, 0x05b0 };
	const char *why;
	u32 mask = 0, n = 0, i;

	CHECK_EQ(efi_rt_properties_parse(&t, sizeof(t), &mask, &why), 0);
	CHECK_EQ(mask, 0x05b0);
	CHECK(mask & efi_rt_supported_bit(RT_GET_VARIABLE));
	CHECK(!(mask & efi_rt_supported_bit(RT_SET_VARIABLE)));
	CHECK(!(mask & efi_rt_supported_bit(RT_GET_TIME)));
	CHECK(mask & efi_rt_supported_bit(RT_RESET_SYSTEM));
	for (i = 0; i < RT_NR_SERVICES; i++)
		n += !!(mask & efi_rt_supported_bit(i));
	CHECK_EQ(n, 5);

	t.version = 2;
	CHECK_EQ(efi_rt_properties_parse(&t, sizeof(t), &mask, &why), -EINVAL);
	CHECK_STR(why, "unknown version");
	t.version = 1;
	t.length = 6;
	CHECK_EQ(efi_rt_properties_parse(&t, sizeof(t), &mask, &why), -EINVAL);
	CHECK_EQ(efi_rt_properties_parse(&t, 4, &mask, &why), -EINVAL);
	CHECK_EQ(efi_rt_properties_parse(NULL, 8, &mask, &why), -EINVAL);
}

/* A memory attributes table with @n entries of @dsize bytes. */
static u8 mat[16 + 64 * 64];

static struct efi_memattr_header *mat_reset(u32 n, u32 dsize)
{
	struct efi_memattr_header *h = (void *)mat;

	memset(mat, 0xcc, sizeof(mat));
	h->version = 1;
	h->nr_entries = n;
	h->desc_size = dsize;
	h->flags = 0;
	return h;
}

static struct efi_memory_desc *mat_entry(u32 i, u32 type, u64 pa, u64 pages,
					 u64 attr)
{
	const struct efi_memattr_header *h = (void *)mat;
	struct efi_memory_desc *e = (void *)(mat + 16 + (u64)i * h->desc_size);

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->phys_start = pa;
	e->num_pages = pages;
	e->attribute = attr;
	return e;
}

/* The memory map: one runtime code region, one runtime data region, a
 * conventional one, and a runtime code region next to another. */
static void map_setup(void)
{
	raw_reset();
	raw_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x200000, 0x10, RT);
	raw_add(EFI_RUNTIME_SERVICES_DATA, 0x210000, 0x10, RT);
	raw_add(EFI_RUNTIME_SERVICES_CODE, 0x220000, 0x4, RT);
	raw_add(EFI_BOOT_SERVICES_CODE, 0x300000, 0x10, EFI_MEMORY_WB);
}

static struct efi_memattr_parsed out;

static int parse(void)
{
	mm_log_clear();
	return efi_memattr_parse(mat, sizeof(mat), raw, (u64)nraw * STRIDE,
				 STRIDE, &out);
}

static void test_memattr_valid(void)
{
	map_setup();
	mat_reset(4, 48);
	mat_entry(0, EFI_RUNTIME_SERVICES_CODE, 0x200000, 1, RT | EFI_MEMORY_XP);
	mat_entry(1, EFI_RUNTIME_SERVICES_CODE, 0x201000, 0xf, RT | EFI_MEMORY_RO);
	mat_entry(2, EFI_RUNTIME_SERVICES_DATA, 0x210000, 0x10, RT | EFI_MEMORY_XP);
	mat_entry(3, EFI_RUNTIME_SERVICES_CODE, 0x220000, 0x4,
		  RT | EFI_MEMORY_RO | EFI_MEMORY_XP);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(out.n, 4);
	CHECK_EQ(out.rejected, 0);
	CHECK_EQ(out.e[1].pa, 0x201000);
	CHECK_EQ(out.e[1].size, 0xf000);
	CHECK_EQ(out.e[1].attr, EFI_MEMORY_RO);
	CHECK_EQ(out.e[1].desc, 1);
	CHECK_EQ(out.e[3].desc, 3);
	CHECK_EQ(mm_log_len, 0);
	/* which entry holds an address: what efi.pointers asks of a service */
	CHECK_EQ(efi_memattr_lookup(&out, 0x200fff)->index, 0);
	CHECK(efi_memattr_lookup(&out, 0x200fff)->attr & EFI_MEMORY_XP);
	CHECK_EQ(efi_memattr_lookup(&out, 0x201000)->index, 1);
	CHECK_EQ(efi_memattr_lookup(&out, 0x20ffff)->index, 1);
	CHECK(efi_memattr_lookup(&out, 0x230000) == NULL);
}

/* Each rule, one bad entry at a time among good ones: the bad one is
 * named with its index and reason, the others are kept. */
static void test_memattr_each_rule(void)
{
	static const struct {
		u32 type;
		u64 pa, pages, attr;
		const char *why;
	} bad[] = {
		{ EFI_CONVENTIONAL_MEMORY, 0x200000, 1, EFI_MEMORY_XP,
		  "type is neither RuntimeServicesCode nor RuntimeServicesData" },
		{ EFI_BOOT_SERVICES_CODE, 0x300000, 1, EFI_MEMORY_RO,
		  "type is neither RuntimeServicesCode nor RuntimeServicesData" },
		{ EFI_RUNTIME_SERVICES_CODE, 0x200000, 1, RT, "RO and XP both clear" },
		{ EFI_RUNTIME_SERVICES_CODE, 0x200800, 1, EFI_MEMORY_RO,
		  "start not 4 KiB aligned" },
		{ EFI_RUNTIME_SERVICES_CODE, 0x200000, 0, EFI_MEMORY_RO,
		  "zero pages" },
		{ EFI_RUNTIME_SERVICES_CODE, 0x100000, 1, EFI_MEMORY_RO,
		  "no RUNTIME memory-map descriptor holds it" },
		{ EFI_RUNTIME_SERVICES_CODE, 0x20f000, 2, EFI_MEMORY_RO,
		  "covers more than one memory-map descriptor" },
		{ EFI_RUNTIME_SERVICES_DATA, 0x200000, 1, EFI_MEMORY_XP,
		  "type differs from its memory-map descriptor's" },
		{ EFI_RUNTIME_SERVICES_CODE, 0xfffffffffffff000ULL, 2, EFI_MEMORY_RO,
		  "range wraps or ends above 2^52" },
		/* the data region again, over entry 0: each page once (once
		 * applied twice, and map_final's count of pages left RWX
		 * wrapped, so efi.wx passed whatever it found) */
		{ EFI_RUNTIME_SERVICES_DATA, 0x218000, 0x8, EFI_MEMORY_XP,
		  "overlaps entry 0" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char want[160];

		map_setup();
		mat_reset(3, 48);
		mat_entry(0, EFI_RUNTIME_SERVICES_DATA, 0x210000, 0x10, EFI_MEMORY_XP);
		mat_entry(1, bad[i].type, bad[i].pa, bad[i].pages, bad[i].attr);
		mat_entry(2, EFI_RUNTIME_SERVICES_CODE, 0x220000, 4, EFI_MEMORY_RO);
		CHECK_EQ(parse(), 0);
		CHECK_EQ(out.n, 2);
		CHECK_EQ(out.rejected, 1);
		CHECK_EQ(out.e[0].index, 0);
		CHECK_EQ(out.e[1].index, 2);
		snprintf(want, sizeof(want), "entry 1 (");
		CHECK(strstr(mm_log_buf, want) != NULL);
		CHECK(strstr(mm_log_buf, bad[i].why) != NULL);
		if (!strstr(mm_log_buf, bad[i].why))
			fprintf(stderr, "case %u: log was: %s", i, mm_log_buf);
	}
}

static void test_memattr_header(void)
{
	struct efi_memattr_header *h;
	static const struct {
		u32 version, n, dsize;
		const char *why;
	} bad[] = {
		{ 0, 1, 48, "unknown version" },
		{ 3, 1, 48, "unknown version" },
		{ 1, 1, 0, "desc_size smaller than a descriptor" },
		{ 1, 1, 32, "desc_size smaller than a descriptor" },
		{ 1, 1, 44, "desc_size not a multiple of 8" },
		{ 1, 16, 48, "larger than three times the memory map" },
		{ 1, 0xffffffffu, 0xfffffff8u, "larger than three times the memory map" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		map_setup();
		h = mat_reset(bad[i].n, bad[i].dsize);
		h->version = bad[i].version;
		CHECK_EQ(parse(), -EINVAL);
		CHECK(strstr(mm_log_buf, bad[i].why) != NULL);
	}
	/* version 2 (UEFI 2.10 adds the flags field) is fine */
	map_setup();
	h = mat_reset(1, 56);
	h->version = 2;
	mat_entry(0, EFI_RUNTIME_SERVICES_CODE, 0x200000, 1, EFI_MEMORY_RO);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(out.n, 1);
	/* entries that run past the bytes given */
	map_setup();
	mat_reset(3, 48);
	mm_log_clear();
	CHECK_EQ(efi_memattr_parse(mat, 16 + 2 * 48, raw, (u64)nraw * STRIDE,
				   STRIDE, &out), -EINVAL);
	CHECK_EQ(efi_memattr_parse(mat, 8, raw, (u64)nraw * STRIDE, STRIDE, &out),
		 -EINVAL);
	/* no map to check against: the table is refused */
	mat_reset(1, 48);
	mat_entry(0, EFI_RUNTIME_SERVICES_CODE, 0x200000, 1, EFI_MEMORY_RO);
	CHECK_EQ(efi_memattr_parse(mat, sizeof(mat), NULL, 0, 0, &out), -EINVAL);
}

int main(void)
{
	RUN(test_rt_supported_bits);
	RUN(test_rt_properties_uboot);
	RUN(test_memattr_valid);
	RUN(test_memattr_each_rule);
	RUN(test_memattr_header);
	return check_exit();
}
