// SPDX-License-Identifier: MIT
// sources: efi/table_hdr.c kernel/results.c kernel/printf.c
/* Table headers (efi_table_hdr.h): each field's rule, and the CRC32 over
 * HeaderSize bytes with the field itself as 0 (a known value: the CRC of
 * a table made here, checked against CRC-32/ISO-HDLC by hand). */
#include "check.h"
#include "efi_rt.h"
#include "efi_table_hdr.h"
#include "results.h"

static u8 table[EFI_RUNTIME_SERVICES_MIN_SIZE];

static void make(void)
{
	struct efi_table_header *h = (void *)table;
	unsigned int i;

	memset(table, 0, sizeof(table));
	for (i = sizeof(*h); i < sizeof(table); i++)
		table[i] = (u8)i;
	h->signature = EFI_RUNTIME_SERVICES_SIGNATURE;
	h->revision = (2 << 16) | 100;
	h->header_size = sizeof(table);
	h->crc32 = results_crc32(table, sizeof(table));
}

static const char *problem(u64 readable)
{
	static char buf[128];

	return efi_table_header_problem(table, readable,
					EFI_RUNTIME_SERVICES_SIGNATURE,
					EFI_RUNTIME_SERVICES_MIN_SIZE, buf,
					sizeof(buf));
}

static void test_valid(void)
{
	make();
	CHECK(problem(sizeof(table)) == NULL);
	/* CRC-32/ISO-HDLC's check value */
	CHECK_EQ(results_crc32("123456789", 9), 0xcbf43926);
}

static void test_each_field(void)
{
	struct efi_table_header *h = (void *)table;

	make();
	CHECK_STR(problem(8), "not readable");
	h->signature = EFI_SYSTEM_TABLE_SIGNATURE;
	CHECK(strstr(problem(sizeof(table)), "Signature") != NULL);
	make();
	h->revision = 3 << 16;
	CHECK_STR(problem(sizeof(table)), "Revision 0x00030000 names no UEFI version");
	make();
	h->header_size = 40;
	CHECK_STR(problem(sizeof(table)),
		  "HeaderSize 40, below the 136 bytes of the table's fields");
	make();
	h->header_size = 8192;
	CHECK_STR(problem(sizeof(table)), "HeaderSize 8192, larger than any such table");
	make();
	h->header_size = sizeof(table) + 8; /* more than can be read */
	CHECK(strstr(problem(sizeof(table)), "larger") != NULL);
	make();
	h->reserved = 1;
	CHECK_STR(problem(sizeof(table)), "Reserved 0x1, not 0");
}

/* A service pointer changed without the CRC computed again (the zoo's
 * table_crc), and one changed with it. */
static void test_crc(void)
{
	struct efi_table_header *h = (void *)table;
	u32 crc;

	make();
	table[sizeof(*h) + 2 * 8] ^= 0x10;
	CHECK(strstr(problem(sizeof(table)), "CRC32") != NULL);
	h->crc32 = 0;
	crc = results_crc32(table, sizeof(table));
	h->crc32 = crc;
	CHECK(problem(sizeof(table)) == NULL);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_each_field);
	RUN(test_crc);
	return check_exit();
}
