// SPDX-License-Identifier: MIT
/* ACPI discovery through the fixmap (see acpi.h). */
#include "acpi.h"
#include "fixmap.h"
#include "kernel.h"

struct acpi_info acpi;

struct rsdp {
	char signature[8];
	u8 checksum;
	char oem[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 ext_checksum;
	u8 reserved[3];
} __packed;

struct sdt_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem[6];
	char oem_table[8];
	u32 oem_revision;
	u32 creator;
	u32 creator_revision;
} __packed;

compile_assert(acpi_rsdp_size, sizeof(struct rsdp) == 36);
compile_assert(acpi_sdt_header_size, sizeof(struct sdt_header) == 36);

#define XSDT_MAX_LENGTH (sizeof(struct sdt_header) + 8 * 256)

static u8 sum(const void *p, u64 n)
{
	const u8 *b = p;
	u8 s = 0;

	while (n--)
		s += *b++;
	return s;
}

static int bad(const char *what, u64 pa)
{
	kprintf("acpi: %s at 0x%016lx; continuing without ACPI\n", what,
		(unsigned long)pa);
	return -EINVAL;
}

int acpi_early_probe(u64 rsdp_pa)
{
	const struct rsdp *rsdp;
	const struct sdt_header *h;
	u32 len;
	unsigned int i;

	memset(&acpi, 0, sizeof(acpi));
	if (!rsdp_pa)
		return -ENOENT;
	rsdp = early_memremap(rsdp_pa, sizeof(*rsdp), false);
	if (!rsdp)
		return -ENOMEM;
	if (memcmp(rsdp->signature, "RSD PTR ", 8)) {
		early_memunmap((void *)rsdp, sizeof(*rsdp));
		return bad("RSDP signature wrong", rsdp_pa);
	}
	if (sum(rsdp, 20) || rsdp->revision < 2 || sum(rsdp, sizeof(*rsdp))) {
		early_memunmap((void *)rsdp, sizeof(*rsdp));
		return bad("RSDP checksum wrong or revision < 2", rsdp_pa);
	}
	acpi.revision = rsdp->revision;
	memcpy(acpi.oem, rsdp->oem, 6);
	acpi.xsdt = rsdp->xsdt;
	early_memunmap((void *)rsdp, sizeof(*rsdp));

	h = early_memremap(acpi.xsdt, sizeof(*h), false);
	if (!h)
		return -ENOMEM;
	len = h->length;
	if (memcmp(h->signature, "XSDT", 4) || len < sizeof(*h) ||
	    len > XSDT_MAX_LENGTH || (len - sizeof(*h)) % 8) {
		early_memunmap((void *)h, sizeof(*h));
		return bad("XSDT signature or length wrong", acpi.xsdt);
	}
	early_memunmap((void *)h, sizeof(*h));
	h = early_memremap(acpi.xsdt, len, false);
	if (!h)
		return -ENOMEM;
	if (sum(h, len)) {
		early_memunmap((void *)h, len);
		return bad("XSDT checksum wrong", acpi.xsdt);
	}
	acpi.nr_tables = MIN((len - (u32)sizeof(*h)) / 8, ACPI_MAX_TABLES);
	for (i = 0; i < acpi.nr_tables; i++)
		memcpy(&acpi.table[i], (const u8 *)(h + 1) + 8 * i, 8);
	early_memunmap((void *)h, len);

	for (i = 0; i < acpi.nr_tables; i++) {
		const struct sdt_header *t =
			early_memremap(acpi.table[i], sizeof(*t), false);

		if (!t)
			return -ENOMEM;
		memcpy(acpi.sig[i], t->signature, 4);
		acpi.sig[i][4] = '\0';
		early_memunmap((void *)t, sizeof(*t));
	}
	acpi.found = true;
	kprintf("acpi: RSDP rev %u OEM '%s', XSDT with %u tables:", acpi.revision,
		acpi.oem, acpi.nr_tables);
	for (i = 0; i < acpi.nr_tables; i++)
		kprintf(" %s", acpi.sig[i]);
	kprintf(" (read through the fixmap)\n");
	return 0;
}
