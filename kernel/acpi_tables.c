// SPDX-License-Identifier: MIT
/* RSDP, RSDT and XSDT from buffers (see acpi_tables.h). Host-testable. */
#include "acpi_tables.h"
#include "bytes.h"

static bool sig_is(const u8 *p, const char *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i] != (u8)s[i])
			return false;
	return true;
}

u64 acpi_rsdp_len(const void *first20)
{
	return ((const u8 *)first20)[15] >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
}

int acpi_rsdp_parse(const void *p, u64 len, struct acpi_root *out,
		    const char **why)
{
	const u8 *b = p;
	unsigned int i;

	*why = NULL;
	if (!p || len < ACPI_RSDP_V1_LEN)
		*why = "RSDP shorter than 20 bytes";
	else if (!sig_is(b, "RSD PTR ", 8))
		*why = "RSDP signature wrong";
	else if (byte_sum(b, ACPI_RSDP_V1_LEN))
		*why = "RSDP checksum (first 20 bytes) wrong";
	else if (b[15] >= 2 && len < ACPI_RSDP_V2_LEN)
		*why = "RSDP revision 2+ shorter than 36 bytes";
	else if (b[15] >= 2 && rd32(b + 20) < ACPI_RSDP_V2_LEN)
		*why = "RSDP Length field below 36";
	else if (b[15] >= 2 && byte_sum(b, ACPI_RSDP_V2_LEN))
		*why = "RSDP extended checksum wrong";
	if (*why)
		return -EINVAL;
	out->revision = b[15];
	for (i = 0; i < 6; i++)
		out->oem[i] = (char)b[9 + i];
	out->oem[6] = '\0';
	out->xsdt = b[15] >= 2 && rd64(b + 24);
	out->root = out->xsdt ? rd64(b + 24) : rd32(b + 16);
	if (!out->root) {
		*why = "RSDP names no RSDT or XSDT";
		return -EINVAL;
	}
	return 0;
}

int acpi_root_parse(const void *p, u64 len, bool xsdt, u64 *tables,
		    unsigned int max, const char **why)
{
	const u8 *b = p;
	unsigned int esize = xsdt ? 8 : 4, n, i;
	u32 tlen;

	*why = NULL;
	if (!p || len < ACPI_SDT_HEADER_LEN)
		*why = "root table shorter than its header";
	else if (!sig_is(b, xsdt ? "XSDT" : "RSDT", 4))
		*why = xsdt ? "XSDT signature wrong" : "RSDT signature wrong";
	if (*why)
		return -EINVAL;
	tlen = rd32(b + 4);
	if (tlen < ACPI_SDT_HEADER_LEN || tlen > len ||
	    (tlen - ACPI_SDT_HEADER_LEN) % esize)
		*why = xsdt ? "XSDT length wrong" : "RSDT length wrong";
	else if (byte_sum(b, tlen))
		*why = xsdt ? "XSDT checksum wrong" : "RSDT checksum wrong";
	if (*why)
		return -EINVAL;
	n = (tlen - ACPI_SDT_HEADER_LEN) / esize;
	for (i = 0; i < n && i < max; i++) {
		const u8 *e = b + ACPI_SDT_HEADER_LEN + (u64)i * esize;

		tables[i] = xsdt ? rd64(e) : rd32(e);
	}
	return (int)n;
}

/* FADT offsets (ACPI 6.5, Table 5.9). */
#define FADT_PM_TMR_BLK 76
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_X_PM_TMR_BLK 208
#define FADT_TMR_VAL_EXT (1u << 8)
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define GAS_SYSTEM_IO 1

int acpi_fadt_pm_timer(const void *p, u64 len, struct acpi_pm_timer *out,
		       const char **why)
{
	const u8 *b = p;
	u32 tlen, flags = 0;
	u64 port = 0;

	*why = NULL;
	if (!p || len < ACPI_SDT_HEADER_LEN)
		*why = "FADT shorter than its header";
	else if (!sig_is(b, "FACP", 4))
		*why = "FADT signature wrong";
	if (*why)
		return -EINVAL;
	tlen = rd32(b + 4);
	if (tlen > len || tlen < FADT_PM_TMR_LEN + 1)
		*why = "FADT length wrong";
	else if (byte_sum(b, tlen))
		*why = "FADT checksum wrong";
	if (*why)
		return -EINVAL;
	if (tlen >= FADT_FLAGS + 4)
		flags = rd32(b + FADT_FLAGS);
	if (flags & FADT_HW_REDUCED_ACPI) {
		*why = "hardware-reduced ACPI: no PM timer";
		return -ENOENT;
	}
	if (tlen >= FADT_X_PM_TMR_BLK + 12 && rd64(b + FADT_X_PM_TMR_BLK + 4)) {
		if (b[FADT_X_PM_TMR_BLK] != GAS_SYSTEM_IO) {
			*why = "X_PM_TMR_BLK is not in I/O space";
			return -ENOENT;
		}
		port = rd64(b + FADT_X_PM_TMR_BLK + 4);
	} else if (rd32(b + FADT_PM_TMR_BLK)) {
		if (b[FADT_PM_TMR_LEN] != 4) {
			*why = "PM_TMR_LEN is not 4";
			return -EINVAL;
		}
		port = rd32(b + FADT_PM_TMR_BLK);
	}
	if (!port) {
		*why = "the FADT names no PM timer";
		return -ENOENT;
	}
	if (port > 0xfffc) {
		*why = "PM timer port beyond the I/O space";
		return -EINVAL;
	}
	out->port = (u16)port;
	out->mask = flags & FADT_TMR_VAL_EXT ? 0xffffffffu : 0xffffffu;
	return 0;
}

#define SRAT_FIRST 48		/* after the header and 12 reserved bytes */
#define SRAT_MEMORY 1		/* Memory Affinity Structure */
#define SRAT_MEMORY_LEN 40
#define SRAT_MEM_ENABLED 0x1
#define SRAT_MEM_HOT_PLUGGABLE 0x2

int acpi_srat_memory(const void *p, u64 len, struct acpi_mem_range *out,
		     unsigned int max, struct acpi_srat_counts *counts,
		     const char **why)
{
	const u8 *b = p;
	u32 tlen, off;

	*why = NULL;
	counts->ranges = counts->hotplug = counts->disabled = 0;
	if (!p || len < SRAT_FIRST)
		*why = "SRAT shorter than its header";
	else if (!sig_is(b, "SRAT", 4))
		*why = "SRAT signature wrong";
	if (*why)
		return -EINVAL;
	tlen = rd32(b + 4);
	if (tlen > len || tlen < SRAT_FIRST)
		*why = "SRAT length wrong";
	else if (byte_sum(b, tlen))
		*why = "SRAT checksum wrong";
	if (*why)
		return -EINVAL;
	for (off = SRAT_FIRST; off < tlen; off += b[off + 1]) {
		u64 base, size;
		u32 flags;

		if (tlen - off < 2 || b[off + 1] < 2) {
			*why = "an SRAT structure shorter than 2 bytes";
			return -EINVAL;
		}
		if (b[off + 1] > tlen - off) {
			*why = "an SRAT structure runs past the table's end";
			return -EINVAL;
		}
		if (b[off] != SRAT_MEMORY)
			continue;
		if (b[off + 1] != SRAT_MEMORY_LEN) {
			*why = "an SRAT Memory Affinity structure not 40 bytes long";
			return -EINVAL;
		}
		base = rd64(b + off + 8);
		size = rd64(b + off + 16);
		flags = rd32(b + off + 28);
		if (!(flags & SRAT_MEM_ENABLED)) {
			counts->disabled++;
			continue;
		}
		if (flags & SRAT_MEM_HOT_PLUGGABLE) {
			counts->hotplug++;
			continue;
		}
		if (!size || base + size < base)
			continue; /* nothing, or a range that wraps: ignored */
		if (counts->ranges < max) {
			out[counts->ranges].start = base;
			out[counts->ranges].end = base + size;
		}
		counts->ranges++;
	}
	return 0;
}
