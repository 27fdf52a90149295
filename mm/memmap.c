// SPDX-License-Identifier: MIT
/*
 * The kernel's copy of the memory map (policy in memmap.h): regions arrive
 * classified (efi/memmap.c reads the firmware's descriptors); here they are
 * sorted, their overlaps resolved, RAM limited to the direct map, and
 * reserved. Host-testable; reports through mm_log.
 */
#include "memmap.h"
#include "mm_log.h"

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

void memmap_clear(struct memmap *m)
{
	m->n = 0;
	m->problems = 0;
}

int memmap_add(struct memmap *m, const struct mem_region *r)
{
	if (m->n == m->cap)
		return -ENOSPC;
	m->r[m->n] = *r;
	limit_ram(m, &m->r[m->n++]);
	return 0;
}

int memmap_finish(struct memmap *m)
{
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

u64 memmap_total_ram(const struct memmap *m, enum mem_class class, bool ram)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].class == class && !!m->r[i].ram == ram)
			bytes += m->r[i].end - m->r[i].start;
	return bytes;
}

static void add_gap(u64 start, u64 end, struct mem_gap *out, unsigned int max,
		    unsigned int *n, u64 *bytes)
{
	if (*n < max) {
		out[*n].start = start;
		out[*n].end = end;
	}
	(*n)++;
	*bytes += end - start;
}

unsigned int memmap_gaps(const struct memmap *m, u64 start, u64 end,
			 struct mem_gap *out, unsigned int max, u64 *bytes)
{
	u64 cursor = start;
	unsigned int i, n = 0;

	*bytes = 0;
	for (i = 0; i < m->n && cursor < end; i++) {
		const struct mem_region *r = &m->r[i];

		if (r->end <= cursor)
			continue;
		if (r->start >= end)
			break;
		if (r->start > cursor)
			add_gap(cursor, r->start, out, max, &n, bytes);
		cursor = r->end;
	}
	if (cursor < end)
		add_gap(cursor, end, out, max, &n, bytes);
	return n;
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
