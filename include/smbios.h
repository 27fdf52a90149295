/* SPDX-License-Identifier: MIT */
/*
 * SMBIOS from buffers (boot/smbios.c): the entry point and the strings of
 * structure types 0 (BIOS Information) and 1 (System Information) that
 * name the machine in vamap's report. Host-testable and fuzzed: it reads
 * only the bytes it is given; the stub hands it the firmware's tables
 * before ExitBootServices. DMTF DSP0134 3.7: 5.2 (entry points), 6.1
 * (structure layout and strings), 7.1, 7.2 and 7.20.
 */
#ifndef VAMAP_SMBIOS_H
#define VAMAP_SMBIOS_H

#include "types.h"

#define SMBIOS2_EP_LEN 31 /* "_SM_" ... "_DMI_" ... (DSP0134 5.2.1) */
#define SMBIOS3_EP_LEN 24 /* "_SM3_" (DSP0134 5.2.2) */
#define SMBIOS_STR_MAX 64

/* What an entry point says. */
struct smbios_ep {
	u8 major, minor;
	bool v3;	/* a 64-bit "_SM3_" entry point */
	u64 table;	/* the structure table's physical address */
	u32 table_len;	/* its length (2.x), or its maximum size (3.x) */
};

#define SMBIOS_RAM_RANGES_MAX 16

/* One Memory Array Mapped Address structure's range (type 19, DSP0134
 * 7.20): bytes, @end exclusive. */
struct smbios_range {
	u64 start, end;
};

/* The strings vamap reports; "" where the table has none. Printable
 * ASCII only: any other byte becomes '?', trailing blanks are cut. And
 * the physical ranges the memory arrays are mapped at (type 19): what the
 * machine says its memory is, for efi.memmap.complete. */
struct smbios_strings {
	char bios_vendor[SMBIOS_STR_MAX];
	char bios_version[SMBIOS_STR_MAX];
	char bios_date[SMBIOS_STR_MAX];
	char sys_manufacturer[SMBIOS_STR_MAX];
	char sys_product[SMBIOS_STR_MAX];
	bool have_type0, have_type1;
	struct smbios_range ram[SMBIOS_RAM_RANGES_MAX];
	u32 nr_ram;	  /* type 19 ranges taken */
	u32 ram_more;	  /* beyond SMBIOS_RAM_RANGES_MAX: not taken */
	u32 ram_bad;	  /* type 19 structures too short or with end < start */
};

/*
 * Check the entry point in @p (@len bytes readable): the anchor, the
 * length it states, its checksum, and for 2.x the "_DMI_" intermediate
 * anchor and checksum. Returns 0, or -EINVAL with @why.
 */
int smbios_ep_parse(const void *p, u64 len, struct smbios_ep *out,
		    const char **why);

/*
 * Walk the structure table (@len bytes at @p) up to the end-of-table
 * structure (type 127) or @len, and take the first type 0 and type 1
 * structures' strings and every type 19 structure's range (the 2.7
 * extended addresses when the 32-bit Starting Address is 0xffffffff). Returns 0, or -EINVAL with @why for a structure
 * whose formatted area is shorter than its header or runs past the
 * table, or whose strings are not terminated inside it.
 */
int smbios_table_parse(const void *p, u64 len, struct smbios_strings *out,
		       const char **why);

#endif
