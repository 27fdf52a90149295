// SPDX-License-Identifier: MIT
/* Table headers (include/efi_table_hdr.h). */
#include "efi_rt.h"
#include "efi_table_hdr.h"
#include "printf.h"
#include "results.h"

const char *efi_table_header_problem(const void *table, u64 readable,
				     u64 signature, u32 min_size, char *buf,
				     size_t n)
{
	static u8 copy[EFI_TABLE_HEADER_MAX];
	const struct efi_table_header *h = table;
	u32 crc;
	u64 i;

	if (readable < sizeof(*h)) {
		ksnprintf(buf, n, "not readable");
		return buf;
	}
	if (h->signature != signature) {
		ksnprintf(buf, n, "Signature 0x%016lx, not 0x%016lx",
			  (unsigned long)h->signature, (unsigned long)signature);
		return buf;
	}
	/* 1.x and 2.x are the revisions there are (UEFI 2.10 4.3). */
	if ((h->revision >> 16) < 1 || (h->revision >> 16) > 2) {
		ksnprintf(buf, n, "Revision 0x%08x names no UEFI version",
			  h->revision);
		return buf;
	}
	if (h->header_size < min_size) {
		ksnprintf(buf, n, "HeaderSize %u, below the %u bytes of the "
			  "table's fields", h->header_size, min_size);
		return buf;
	}
	if (h->header_size > EFI_TABLE_HEADER_MAX || h->header_size > readable) {
		ksnprintf(buf, n, "HeaderSize %u, larger than any such table",
			  h->header_size);
		return buf;
	}
	if (h->reserved) {
		ksnprintf(buf, n, "Reserved 0x%x, not 0", h->reserved);
		return buf;
	}
	for (i = 0; i < h->header_size; i++)
		copy[i] = ((const u8 *)table)[i];
	((struct efi_table_header *)copy)->crc32 = 0;
	crc = results_crc32(copy, h->header_size);
	if (crc != h->crc32) {
		ksnprintf(buf, n, "CRC32 0x%08x stored, 0x%08x computed over its "
			  "%u bytes", h->crc32, crc, h->header_size);
		return buf;
	}
	return NULL;
}
