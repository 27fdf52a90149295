// SPDX-License-Identifier: MIT
// sources: boot/smbios.c
/* SMBIOS entry points and the structure-table walk on arbitrary bytes:
 * never a read outside the input, every string printable and terminated. */
#include "fuzz.h"
#include "smbios.h"

static void printable(const char *s)
{
	size_t n = strnlen(s, SMBIOS_STR_MAX);

	FUZZ_ASSERT(n < SMBIOS_STR_MAX);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] < 0x7f);
	FUZZ_ASSERT(n == 0 || s[n - 1] != ' ');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smbios_strings s;
	struct smbios_ep ep;
	const char *why;

	if (!smbios_ep_parse(data, size, &ep, &why))
		FUZZ_ASSERT(ep.table && ep.table_len);
	if (!smbios_table_parse(data, size, &s, &why)) {
		printable(s.bios_vendor);
		printable(s.bios_version);
		printable(s.bios_date);
		printable(s.sys_manufacturer);
		printable(s.sys_product);
		FUZZ_ASSERT(s.nr_ram <= SMBIOS_RAM_RANGES_MAX);
		for (u32 i = 0; i < s.nr_ram; i++)
			FUZZ_ASSERT(s.ram[i].start < s.ram[i].end);
	}
	return 0;
}
