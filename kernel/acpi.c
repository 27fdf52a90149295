// SPDX-License-Identifier: MIT
/* ACPI discovery through the fixmap (see acpi.h). */
#include "acpi.h"
#include "acpi_tables.h"
#include "fixmap.h"
#include "kernel.h"
#include "madt.h"

struct acpi_info acpi;

/* The root table can name more tables than vamap keeps; it maps at most
 * this much of it (fixmap early slots). */

static int bad(const char *what, u64 pa)
{
	kprintf("acpi: %s at 0x%016lx; continuing without ACPI\n", what,
		(unsigned long)pa);
	return -EINVAL;
}

/* The RSDP at @pa, mapped for as long as its revision says it is. */
static int read_rsdp(u64 pa, struct acpi_root *root, const char **why)
{
	const u8 *p = early_memremap(pa, ACPI_RSDP_V1_LEN, false);
	u64 len;
	int ret;

	if (!p)
		return -ENOMEM;
	len = acpi_rsdp_len(p);
	early_memunmap((void *)p, ACPI_RSDP_V1_LEN);
	p = early_memremap(pa, len, false);
	if (!p)
		return -ENOMEM;
	ret = acpi_rsdp_parse(p, len, root, why);
	early_memunmap((void *)p, len);
	return ret;
}

/* The table at @pa mapped for as far as its header's Length says, within
 * @max (acpi_sdt_read_len: never further, whatever the Length); *@len
 * is what was mapped. NULL when it cannot be mapped. */
static const u8 *map_sdt(u64 pa, u64 max, u64 *len)
{
	const u8 *h = early_memremap(pa, ACPI_SDT_HEADER_LEN, false);

	if (!h)
		return NULL;
	*len = acpi_sdt_read_len(*(const u32 *)(h + 4), max);
	early_memunmap((void *)h, ACPI_SDT_HEADER_LEN);
	return early_memremap(pa, *len, false);
}

/* The physical address of the table acpi_early_probe noted under @sig,
 * or 0. */
static u64 find_table(const char *sig)
{
	unsigned int i;

	for (i = 0; acpi.found && i < acpi.nr_tables; i++)
		if (!memcmp(acpi.sig[i], sig, 4))
			return acpi.table[i];
	return 0;
}

static int read_root(const struct acpi_root *root, const char **why)
{
	u64 len;
	const u8 *h = map_sdt(root->root, ACPI_ROOT_MAX_LEN, &len);
	int n;

	if (!h)
		return -ENOMEM;
	n = acpi_root_parse(h, len, root->xsdt, acpi.table, ACPI_MAX_TABLES, why);
	early_memunmap((void *)h, len);
	return n;
}

int acpi_early_probe(u64 rsdp_pa)
{
	struct acpi_root root;
	const char *why = NULL;
	unsigned int i;
	int n;

	memset(&acpi, 0, sizeof(acpi));
	if (!rsdp_pa)
		return -ENOENT;
	if (read_rsdp(rsdp_pa, &root, &why))
		return why ? bad(why, rsdp_pa) : -ENOMEM;
	acpi.revision = root.revision;
	memcpy(acpi.oem, root.oem, sizeof(acpi.oem));
	acpi.root = root.root;
	acpi.root_is_xsdt = root.xsdt;
	n = read_root(&root, &why);
	if (n < 0)
		return why ? bad(why, root.root) : -ENOMEM;
	acpi.nr_tables = MIN((unsigned int)n, ACPI_MAX_TABLES);
	for (i = 0; i < acpi.nr_tables; i++) {
		const struct { char sig[4]; } *t =
			early_memremap(acpi.table[i], 4, false);

		if (!t)
			return -ENOMEM;
		memcpy(acpi.sig[i], t->sig, 4);
		acpi.sig[i][4] = '\0';
		early_memunmap((void *)t, 4);
	}
	acpi.found = true;
	kprintf("acpi: RSDP rev %u (ACPI %s) OEM '%s', %s with %u tables:",
		acpi.revision, acpi.revision >= 2 ? "2.0+" : "1.0", acpi.oem,
		root.xsdt ? "XSDT" : "RSDT", acpi.nr_tables);
	for (i = 0; i < acpi.nr_tables; i++)
		kprintf(" %s", acpi.sig[i]);
	kprintf(" (read through the fixmap)\n");
	if ((unsigned int)n > ACPI_MAX_TABLES)
		kprintf("acpi: %d tables listed, the first %u kept\n", n,
			ACPI_MAX_TABLES);
	return 0;
}

int acpi_read_madt(struct madt_info *m, bool corrupt_copy, u64 *pa,
		   const char **why, u32 *where)
{
	static u8 copy[4096];
	const u8 *tbl;
	u64 len;
	int ret;

	*why = NULL;
	*where = 0;
	*pa = find_table("APIC");
	if (!*pa)
		return -ENOENT;
	/* Past 256 KiB only the header: the parser says it is wrong. */
	tbl = map_sdt(*pa, 64 * SZ_4K, &len);
	if (!tbl)
		return -ENOMEM;
	if (corrupt_copy && len <= sizeof(copy)) {
		/* The firmware's table is mapped read-only: corrupt a copy. */
		memcpy(copy, tbl, len);
		copy[9] ^= 0xff;
		ret = madt_parse(copy, len, m, why, where);
	} else {
		ret = madt_parse(tbl, len, m, why, where);
	}
	early_memunmap((void *)tbl, len);
	return ret;
}

int acpi_read_srat(struct acpi_mem_range *out, unsigned int max,
		   struct acpi_srat_counts *counts, u64 *pa, const char **why)
{
	const u8 *tbl;
	u64 len;
	int ret;

	*why = NULL;
	*pa = find_table("SRAT");
	if (!*pa)
		return -ENOENT;
	tbl = map_sdt(*pa, ACPI_SRAT_MAX_LEN, &len);
	if (!tbl)
		return -ENOMEM;
	ret = acpi_srat_memory(tbl, len, out, max, counts, why);
	early_memunmap((void *)tbl, len);
	return ret;
}
