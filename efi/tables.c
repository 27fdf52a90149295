// SPDX-License-Identifier: MIT
/* The RT properties and memory attributes tables (see efi_tables.h). */
#include "efi_defs.h"
#include "efi_rt.h"
#include "efi_tables.h"
#include "efi_log.h"
#include "efi_memdesc.h"
#include "printf.h"

int efi_rt_properties_parse(const void *p, u64 len, u32 *supported,
			    const char **why)
{
	const struct efi_rt_properties *t = p;

	*why = NULL;
	if (!p || len < sizeof(*t))
		*why = "shorter than the table";
	else if (t->version != 1)
		*why = "unknown version";
	else if (t->length < sizeof(*t))
		*why = "Length does not cover RuntimeServicesSupported";
	if (*why)
		return -EINVAL;
	*supported = t->supported;
	return 0;
}

int efi_memattr_header_check(const struct efi_memattr_header *h,
			     u64 map_size, const char **why)
{
	*why = NULL;
	if (h->version < 1 || h->version > 2)
		*why = "unknown version";
	else if (h->desc_size < sizeof(struct efi_memory_desc))
		*why = "desc_size smaller than a descriptor";
	else if (h->desc_size % 8)
		*why = "desc_size not a multiple of 8";
	else if ((u64)h->nr_entries * h->desc_size > 3 * map_size)
		*why = "larger than three times the memory map";
	else if (h->nr_entries > EFI_MEMATTR_MAX_ENTRIES)
		*why = "more entries than vamap holds";
	return *why ? -EINVAL : 0;
}

/* The index of the RUNTIME descriptor that holds @pa, or -1. */
static s64 runtime_desc_of(const void *map, u64 map_size, u64 desc_size, u64 pa)
{
	u64 n = map_size / desc_size, i;

	for (i = 0; i < n; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(map, desc_size, i);
		u64 size = d->num_pages << EFI_PAGE_SHIFT;

		if ((d->attribute & EFI_MEMORY_RUNTIME) && pa >= d->phys_start &&
		    pa - d->phys_start < size)
			return (s64)i;
	}
	return -1;
}

/* Why entry @e is refused, or NULL; @desc gets the map descriptor. */
static const char *entry_problem(const struct efi_memory_desc *e,
				 const void *map, u64 map_size, u64 desc_size,
				 u32 *desc)
{
	const struct efi_memory_desc *d;
	u64 size = e->num_pages << EFI_PAGE_SHIFT;
	const char *why;
	s64 k;

	if (e->type != EFI_RUNTIME_SERVICES_CODE &&
	    e->type != EFI_RUNTIME_SERVICES_DATA)
		return "type is neither RuntimeServicesCode nor RuntimeServicesData";
	if (!(e->attribute & (EFI_MEMORY_RO | EFI_MEMORY_XP)))
		return "RO and XP both clear";
	why = efi_desc_range_problem(e->phys_start, e->num_pages);
	if (why)
		return why;
	if (!map || desc_size < sizeof(*d))
		return "no memory map to check it against";
	k = runtime_desc_of(map, map_size, desc_size, e->phys_start);
	if (k < 0)
		return "no RUNTIME memory-map descriptor holds it";
	d = efi_memdesc_at(map, desc_size, (u64)k);
	*desc = (u32)k;
	if (e->phys_start + size > d->phys_start + (d->num_pages << EFI_PAGE_SHIFT))
		return "covers more than one memory-map descriptor";
	if (d->type != e->type)
		return "type differs from its memory-map descriptor's";
	return NULL;
}

/*
 * Whether @e covers a page an entry already taken covers: UEFI 2.10 4.6.4
 * gives each runtime page one set of permissions, and two entries for one
 * page contradict each other (the later one would be applied over the
 * first, and the pages it covers counted twice). The later entry is
 * refused, naming the earlier.
 */
static const char *overlap_problem(const struct efi_memattr_parsed *out,
				   const struct efi_memory_desc *e)
{
	static char why[64];
	u64 size = e->num_pages << EFI_PAGE_SHIFT;
	unsigned int k;

	for (k = 0; k < out->n; k++)
		if (e->phys_start < out->e[k].pa + out->e[k].size &&
		    out->e[k].pa < e->phys_start + size) {
			ksnprintf(why, sizeof(why), "overlaps entry %u",
				  out->e[k].index);
			return why;
		}
	return NULL;
}

int efi_memattr_parse(const void *tbl, u64 len, const void *map, u64 map_size,
		      u64 map_desc_size, struct efi_memattr_parsed *out)
{
	const struct efi_memattr_header *h = tbl;
	const char *why;
	u32 i;

	out->n = 0;
	out->rejected = 0;
	if (!tbl || len < sizeof(*h)) {
		efi_log("memory attributes table: shorter than its header, "
		       "ignored\n");
		return -EINVAL;
	}
	out->hdr = *h;
	if (efi_memattr_header_check(h, map_size, &why)) {
		efi_log("memory attributes table: version %u, %u entries of "
		       "%u bytes: %s, ignored\n", h->version, h->nr_entries,
		       h->desc_size, why);
		return -EINVAL;
	}
	if (sizeof(*h) + (u64)h->nr_entries * h->desc_size > len) {
		efi_log("memory attributes table: %u entries of %u bytes run "
		       "past the %lu bytes read, ignored\n", h->nr_entries,
		       h->desc_size, (unsigned long)len);
		return -EINVAL;
	}
	for (i = 0; i < h->nr_entries; i++) {
		const struct efi_memory_desc *e =
			efi_memdesc_at((const u8 *)tbl + sizeof(*h), h->desc_size, i);
		struct efi_memattr_entry *v;
		u32 desc = 0;

		why = entry_problem(e, map, map_size, map_desc_size, &desc);
		if (!why)
			why = overlap_problem(out, e);
		if (why) {
			efi_log("memory attributes entry %u (%s 0x%016lx, %lu "
			       "pages, attr 0x%lx): %s, not applied\n", i,
			       efi_memory_type_name(e->type),
			       (unsigned long)e->phys_start,
			       (unsigned long)e->num_pages,
			       (unsigned long)e->attribute, why);
			out->rejected++;
			continue;
		}
		v = &out->e[out->n++];
		v->pa = e->phys_start;
		v->size = e->num_pages << EFI_PAGE_SHIFT;
		v->attr = e->attribute & (EFI_MEMORY_RO | EFI_MEMORY_XP);
		v->type = e->type;
		v->index = i;
		v->desc = desc;
	}
	return 0;
}

const struct efi_memattr_entry *
efi_memattr_lookup(const struct efi_memattr_parsed *t, u64 pa)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (pa >= t->e[i].pa && pa - t->e[i].pa < t->e[i].size)
			return &t->e[i];
	return NULL;
}
