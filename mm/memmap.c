// SPDX-License-Identifier: MIT
/*
 * Import and validation of the firmware memory map (policy in memmap.h).
 * Host-testable: reads only the buffer it is given, reports through mm_log.
 */
#include "efi_defs.h"
#include "memmap.h"
#include "mm_log.h"

#define PHYS_LIMIT (1ULL << 52) /* SDM vol. 3A, 4.1.4: MAXPHYADDR <= 52 */

enum mem_class memmap_class_of(u32 type)
{
	switch (type) {
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		return MEM_USABLE;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return MEM_BOOT_SERVICES;
	default:
		return MEM_RESERVED;
	}
}

/* Checks one descriptor; false (with a log line) if it is dropped. */
static bool desc_valid(const struct efi_memory_desc *d, u64 i)
{
	const char *why = NULL;
	u64 bytes = d->num_pages << EFI_PAGE_SHIFT;

	if (!d->num_pages)
		why = "zero pages";
	else if (d->phys_start & (SZ_4K - 1))
		why = "start not 4 KiB aligned";
	else if (d->num_pages > (PHYS_LIMIT >> EFI_PAGE_SHIFT) ||
		 d->phys_start >= PHYS_LIMIT || bytes > PHYS_LIMIT - d->phys_start)
		why = "range wraps or ends above 2^52";
	if (!why)
		return true;
	mm_log("memmap: desc %lu (%s at 0x%lx, %lu pages): %s, dropped\n",
	       (unsigned long)i, efi_memory_type_name(d->type),
	       (unsigned long)d->phys_start, (unsigned long)d->num_pages, why);
	return false;
}

/* Overlap winner: the more reserved class; on a tie the earlier one. */
static bool beats(const struct mem_region *a, const struct mem_region *b)
{
	if (a->class != b->class)
		return a->class > b->class;
	return a->desc < b->desc;
}

static void sort_by_start(struct mem_region *r, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct mem_region x = r[i];

		for (j = i; j && (r[j - 1].start > x.start ||
				  (r[j - 1].start == x.start && r[j - 1].desc > x.desc));
		     j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/*
 * Resolve overlaps in the sorted regions in place. A sweep: every region
 * that starts inside the current winner either loses its overlapped part
 * (it is trimmed to start where the winner ends, and re-sorted) or takes it
 * (the winner is cut short, its tail re-inserted after the new one).
 */
static void resolve_overlaps(struct memmap *m)
{
	unsigned int i = 1;

	while (i < m->n) {
		struct mem_region *p = &m->r[i - 1], *q = &m->r[i];

		if (q->start >= p->end) {
			i++;
			continue;
		}
		m->problems++;
		if (beats(p, q)) {
			mm_log("memmap: desc %u overlaps desc %u, trimmed\n",
			       q->desc, p->desc);
			if (q->end <= p->end) { /* swallowed whole */
				m->n--;
				for (unsigned int k = i; k < m->n; k++)
					m->r[k] = m->r[k + 1];
				continue;
			}
			q->start = p->end;
			sort_by_start(m->r + i, m->n - i);
			continue;
		}
		mm_log("memmap: desc %u overlaps desc %u, trimmed\n", p->desc,
		       q->desc);
		if (p->end > q->end && m->n < m->cap) {
			/* p continues after q: keep its tail as a region */
			struct mem_region tail = *p;

			tail.start = q->end;
			m->r[m->n++] = tail;
		} else if (p->end > q->end) {
			mm_log("memmap: no room for the rest of desc %u, dropped\n",
			       p->desc);
		}
		p->end = q->start;
		if (p->end == p->start) {
			m->n--;
			for (unsigned int k = i - 1; k < m->n; k++)
				m->r[k] = m->r[k + 1];
		}
		sort_by_start(m->r, m->n);
		i = i > 1 ? i - 1 : 1;
	}
}

/*
 * RAM at or above m->ram_limit cannot be in the direct map: that part
 * becomes a reserved region that is not RAM (split off when there is
 * room, else cut off), with a line.
 */
static void limit_ram(struct memmap *m, struct mem_region *r)
{
	u64 lim = m->ram_limit;

	if (!lim || !r->ram || r->end <= lim)
		return;
	mm_log("memmap: desc %u: RAM 0x%lx-0x%lx above the direct map's end "
	       "0x%lx, not used\n", r->desc, (unsigned long)MAX(r->start, lim),
	       (unsigned long)r->end, (unsigned long)lim);
	if (r->start >= lim) {
		r->ram = 0;
		r->class = MEM_RESERVED;
		r->why = "above the direct map";
		return;
	}
	if (m->n < m->cap) {
		struct mem_region *hi = &m->r[m->n++];

		*hi = *r;
		hi->start = lim;
		hi->ram = 0;
		hi->class = MEM_RESERVED;
		hi->why = "above the direct map";
	}
	r->end = lim;
}

int memmap_import(struct memmap *m, const void *raw, u64 map_size,
		  u64 desc_size)
{
	u64 count, i;

	m->n = 0;
	m->problems = 0;
	if (!raw || !map_size) {
		mm_log("memmap: no memory map\n");
		return -EINVAL;
	}
	if (desc_size < sizeof(struct efi_memory_desc) || desc_size % 8) {
		mm_log("memmap: desc_size %lu cannot hold a descriptor "
		       "(40 bytes, multiple of 8): map unusable\n",
		       (unsigned long)desc_size);
		return -EINVAL;
	}
	count = map_size / desc_size;
	if (map_size % desc_size) {
		mm_log("memmap: map size %lu not a multiple of desc_size %lu, "
		       "trailing %lu bytes ignored\n", (unsigned long)map_size,
		       (unsigned long)desc_size,
		       (unsigned long)(map_size % desc_size));
		m->problems++;
	}
	for (i = 0; i < count; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(raw, desc_size, i);
		struct mem_region *r;

		if (!desc_valid(d, i)) {
			m->problems++;
			continue;
		}
		if (m->n == m->cap) {
			mm_log("memmap: more than %u descriptors, %lu dropped\n",
			       m->cap, (unsigned long)(count - i));
			m->problems += (unsigned int)(count - i);
			break;
		}
		if (d->type >= EFI_MAX_MEMORY_TYPE) {
			mm_log("memmap: desc %lu: unknown type 0x%x, kept as "
			       "reserved\n", (unsigned long)i, d->type);
			m->problems++;
		}
		r = &m->r[m->n++];
		r->start = d->phys_start;
		r->end = d->phys_start + (d->num_pages << EFI_PAGE_SHIFT);
		r->attr = d->attribute;
		r->type = d->type;
		r->desc = (u32)i;
		r->class = (u8)memmap_class_of(d->type);
		r->ram = efi_type_is_ram(d->type);
		r->kernel = 0;
		r->why = NULL;
		if ((d->attribute & EFI_MEMORY_RUNTIME) && r->class != MEM_RESERVED) {
			mm_log("memmap: desc %lu: %s memory marked "
			       "EFI_MEMORY_RUNTIME, kept reserved\n",
			       (unsigned long)i, efi_memory_type_name(d->type));
			r->class = MEM_RESERVED;
			r->why = "EFI_MEMORY_RUNTIME";
		}
		limit_ram(m, r);
	}
	sort_by_start(m->r, m->n);
	resolve_overlaps(m);
	if (!m->n) {
		mm_log("memmap: no valid descriptor\n");
		return -EINVAL;
	}
	return 0;
}

int memmap_reserve(struct memmap *m, u64 start, u64 end, const char *why)
{
	unsigned int i;

	start = ALIGN_DOWN(start, SZ_4K);
	end = ALIGN_UP(end, SZ_4K);
	for (i = 0; i < m->n && start < end; i++) {
		struct mem_region *r = &m->r[i];
		u64 s = MAX(start, r->start), e = MIN(end, r->end);

		if (s >= e || r->class == MEM_RESERVED)
			continue;
		/* Up to two new regions: [r->start, s) and [e, r->end). */
		if (m->n + (s > r->start) + (e < r->end) > m->cap)
			return -ENOSPC;
		if (e < r->end) {
			struct mem_region tail = *r;

			tail.start = e;
			for (unsigned int k = m->n; k > i + 1; k--)
				m->r[k] = m->r[k - 1];
			m->r[i + 1] = tail;
			m->n++;
		}
		if (s > r->start) {
			struct mem_region head = *r;

			head.end = s;
			for (unsigned int k = m->n; k > i; k--)
				m->r[k] = m->r[k - 1];
			m->r[i] = head;
			m->n++;
			i++;
			r = &m->r[i];
		}
		r->start = s;
		r->end = e;
		r->class = MEM_RESERVED;
		r->kernel = 1;
		r->why = why;
	}
	return 0;
}

const struct mem_region *memmap_find(const struct memmap *m, u64 a)
{
	unsigned int lo = 0, hi = m->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (a < m->r[mid].start)
			hi = mid;
		else if (a >= m->r[mid].end)
			lo = mid + 1;
		else
			return &m->r[mid];
	}
	return NULL;
}

u64 memmap_release_boot_services(struct memmap *m)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		if (m->r[i].class == MEM_BOOT_SERVICES) {
			m->r[i].class = MEM_USABLE;
			bytes += m->r[i].end - m->r[i].start;
		}
	}
	return bytes;
}

u64 memmap_total(const struct memmap *m, enum mem_class class)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].class == class)
			bytes += m->r[i].end - m->r[i].start;
	return bytes;
}

u64 memmap_ram_end(const struct memmap *m)
{
	u64 end = 0;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].ram)
			end = MAX(end, m->r[i].end);
	return end;
}
