// SPDX-License-Identifier: MIT
/* VA placement for runtime regions (see efi_va.h). Host-testable. */
#include "efi_defs.h"
#include "efi_va.h"
#include "efi_log.h"
#include "efi_memdesc.h"
#include "layout.h"


static int reject(struct efi_va_plan *p, u64 i, const char *why)
{
	efi_log("runtime desc %lu: %s\n", (unsigned long)i, why);
	p->errors++;
	return -EINVAL;
}

/* Which descriptors a plan takes: the runtime ones, and for Linux's plan
 * also boot-services code and data (should_map_region). */
static bool selected(const struct efi_memory_desc *d, bool linux_rules)
{
	if (d->attribute & EFI_MEMORY_RUNTIME)
		return true;
	return linux_rules && (d->type == EFI_BOOT_SERVICES_CODE ||
			 d->type == EFI_BOOT_SERVICES_DATA);
}

/* The plan's region other than @skip that [pa, pa + size) overlaps, or
 * p->n when none does. */
static unsigned int overlapping(const struct efi_va_plan *p, u64 pa, u64 size,
				unsigned int skip)
{
	unsigned int k;

	for (k = 0; k < p->n; k++)
		if (k != skip && pa < p->r[k].pa + p->r[k].size &&
		    p->r[k].pa < pa + size)
			return k;
	return p->n;
}

/*
 * Collect the selected descriptors, checking each on its own and against
 * the ones before it. With @linux_rules, a descriptor that continues the one
 * before it (same type and attributes, contiguous) joins it first, as
 * efi_merge_regions() does to the whole map; what it adds is checked against
 * the other regions like any descriptor (it may reach one that lies above:
 * the map need not be sorted).
 */
static void collect(const void *raw, u64 map_size, u64 desc_size, bool linux_rules,
		    struct efi_va_plan *p)
{
	u64 n = map_size / desc_size, i;
	struct { u32 type; u64 attr, end; int k; bool valid; } prev = { 0 };
	unsigned int k;

	for (i = 0; i < n; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(raw, desc_size, i);
		u64 size = d->num_pages << EFI_PAGE_SHIFT;
		const char *why = efi_desc_range_problem(d->phys_start, d->num_pages);
		struct efi_rt_region *r;
		bool bad = why != NULL;

		if (linux_rules && !bad && prev.valid && prev.type == d->type &&
		    prev.attr == d->attribute && prev.end == d->phys_start) {
			if (prev.k >= 0) {
				k = overlapping(p, d->phys_start, size,
						(unsigned int)prev.k);
				if (k < p->n) {
					efi_log("runtime desc %lu overlaps "
						"runtime desc %u\n",
						(unsigned long)i, p->r[k].desc);
					p->errors++;
					prev.valid = false;
					continue;
				}
				p->r[prev.k].size += size;
			}
			prev.end += size;
			continue;
		}
		if (!bad) {
			prev.valid = true;
			prev.type = d->type;
			prev.attr = d->attribute;
			prev.end = d->phys_start + size;
			prev.k = -1;
		}
		if (!selected(d, linux_rules))
			continue;
		if (bad) {
			reject(p, i, why);
			continue;
		}
		k = overlapping(p, d->phys_start, size, p->n);
		if (k < p->n) {
			efi_log("runtime desc %lu overlaps runtime desc %u\n",
			       (unsigned long)i, p->r[k].desc);
			p->errors++;
			continue;
		}
		if (p->n == p->cap) {
			reject(p, i, "more runtime descriptors than the plan "
			       "was given room for");
			continue;
		}
		prev.k = (int)p->n;
		r = &p->r[p->n++];
		r->pa = d->phys_start;
		r->size = size;
		r->attr = d->attribute;
		r->type = d->type;
		r->desc = (u32)i;
		r->va = 0;
		r->placed = 0;
		r->boot_services = !(d->attribute & EFI_MEMORY_RUNTIME);
	}
}

static int plan(const void *raw, u64 map_size, u64 desc_size, u64 win_base,
		u64 win_top, bool identity, bool linux_rules, struct efi_va_plan *p);

u64 efi_plan_capacity(u64 map_size, u64 desc_size)
{
	if (desc_size < sizeof(struct efi_memory_desc) || desc_size % 8)
		return 0;
	return map_size / desc_size;
}

int efi_plan_va(const void *raw, u64 map_size, u64 desc_size, u64 win_base,
		u64 win_top, bool identity, struct efi_va_plan *p)
{
	return plan(raw, map_size, desc_size, win_base, win_top, identity, false, p);
}

int efi_plan_va_linux(const void *raw, u64 map_size, u64 desc_size,
		      u64 win_base, u64 win_top, struct efi_va_plan *p)
{
	return plan(raw, map_size, desc_size, win_base, win_top, false, true, p);
}

static int plan(const void *raw, u64 map_size, u64 desc_size, u64 win_base,
		u64 win_top, bool identity, bool linux_rules, struct efi_va_plan *p)
{
	u64 cursor = win_top;
	unsigned int k;

	p->n = 0;
	p->errors = 0;
	p->lowest_va = win_top;
	p->svam_reverse = linux_rules;
	if (!raw || desc_size < sizeof(struct efi_memory_desc) || desc_size % 8) {
		efi_log("memory map unreadable, no runtime plan\n");
		p->errors++;
		return -EINVAL;
	}
	collect(raw, map_size, desc_size, linux_rules, p);

	for (k = p->n; k-- > 0;) {
		struct efi_rt_region *r = &p->r[k];
		u64 va;

		if (identity) {
			if (r->pa + r->size > LOW_HALF_END)
				reject(p, r->desc, "above the low half: no 1:1 VA");
			r->va = r->pa;
			r->placed = r->pa + r->size <= LOW_HALF_END;
			continue;
		}
		/* Highest VA below cursor with VA ≡ PA (mod 2 MiB). */
		va = cursor >= r->size ? cursor - r->size : 0;
		va = ALIGN_DOWN(va, SZ_2M) + (r->pa & (SZ_2M - 1));
		if (va + r->size > cursor)
			va = va >= SZ_2M ? va - SZ_2M : 0;
		if (cursor < r->size || va < win_base || va + r->size > cursor) {
			efi_log("runtime desc %u (%s, %lu KiB) does not fit in "
			       "the window 0x%016lx-0x%016lx\n", r->desc,
			       efi_memory_type_name(r->type),
			       (unsigned long)(r->size >> 10), (unsigned long)win_base,
			       (unsigned long)win_top);
			p->errors++;
			r->va = 0;
			continue;
		}
		r->va = va;
		r->placed = 1;
		cursor = va;
		p->lowest_va = va;
	}
	return p->errors ? -EINVAL : 0;
}

const struct efi_rt_region *efi_region_by_va(const struct efi_va_plan *p,
					     u64 va)
{
	unsigned int k;

	for (k = 0; k < p->n; k++)
		if (p->r[k].placed && va >= p->r[k].va && va - p->r[k].va < p->r[k].size)
			return &p->r[k];
	return NULL;
}

const struct efi_rt_region *efi_region_by_pa(const struct efi_va_plan *p,
					     u64 pa)
{
	unsigned int k;

	for (k = 0; k < p->n; k++)
		if (pa - p->r[k].pa < p->r[k].size)
			return &p->r[k];
	return NULL;
}
