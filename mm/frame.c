// SPDX-License-Identifier: MIT
/* The frame allocator (contract in frame.h). Host-testable. */
#include "frame.h"

void frame_init(struct frame_alloc *fa, struct frange *storage,
		unsigned int cap)
{
	fa->r = storage;
	fa->n = 0;
	fa->cap = cap;
	fa->free_pages = 0;
	fa->lost_pages = 0;
}

int frame_add(struct frame_alloc *fa, u64 start, u64 end)
{
	unsigned int i = 0, k;

	if (!IS_ALIGNED(start | end, SZ_4K) || end < start)
		return -EINVAL;
	if (start == end)
		return 0;
	while (i < fa->n && fa->r[i].end <= start)
		i++;
	/* r[i] is the first range ending above start. */
	if (i < fa->n && fa->r[i].start < end)
		return -EEXIST;
	if (i > 0 && fa->r[i - 1].end == start) {
		fa->r[i - 1].end = end;
		if (i < fa->n && fa->r[i].start == end) {
			fa->r[i - 1].end = fa->r[i].end;
			for (k = i; k + 1 < fa->n; k++)
				fa->r[k] = fa->r[k + 1];
			fa->n--;
		}
	} else if (i < fa->n && fa->r[i].start == end) {
		fa->r[i].start = start;
	} else {
		if (fa->n == fa->cap) {
			fa->lost_pages += (end - start) >> 12;
			return -ENOSPC;
		}
		for (k = fa->n; k > i; k--)
			fa->r[k] = fa->r[k - 1];
		fa->r[i].start = start;
		fa->r[i].end = end;
		fa->n++;
	}
	fa->free_pages += (end - start) >> 12;
	return 0;
}

int frame_add_usable(struct frame_alloc *fa, const struct memmap *m, u64 floor)
{
	unsigned int i;
	int ret;

	for (i = 0; i < m->n; i++) {
		const struct mem_region *r = &m->r[i];
		u64 s = MAX(r->start, floor);

		if (r->class != MEM_USABLE || s >= r->end)
			continue;
		ret = frame_add(fa, s, r->end);
		if (ret)
			return ret;
	}
	return 0;
}

int frame_alloc_pages(struct frame_alloc *fa, u64 pages, u64 limit, u64 *pa)
{
	u64 bytes = pages << 12;
	unsigned int i;

	if (!pages || pages > (~0ULL >> 12))
		return -EINVAL;
	for (i = fa->n; i-- > 0;) {
		struct frange *r = &fa->r[i];
		u64 top = limit ? MIN(r->end, ALIGN_DOWN(limit, SZ_4K)) : r->end;

		if (top <= r->start || top - r->start < bytes)
			continue;
		*pa = top - bytes;
		if (top == r->end) {
			r->end -= bytes;
			if (r->end == r->start) {
				for (; i + 1 < fa->n; i++)
					fa->r[i] = fa->r[i + 1];
				fa->n--;
			}
		} else {
			/* Taking pages from the middle splits the range. */
			if (*pa == r->start) {
				r->start = top;
			} else {
				if (fa->n == fa->cap)
					continue; /* no room to split: try lower */
				for (unsigned int k = fa->n; k > i + 1; k--)
					fa->r[k] = fa->r[k - 1];
				fa->r[i + 1].start = top;
				fa->r[i + 1].end = r->end;
				r->end = *pa;
				fa->n++;
			}
		}
		fa->free_pages -= pages;
		return 0;
	}
	return -ENOMEM;
}

int frame_alloc(struct frame_alloc *fa, u64 limit, u64 *pa)
{
	return frame_alloc_pages(fa, 1, limit, pa);
}

int frame_free(struct frame_alloc *fa, u64 pa)
{
	return frame_add(fa, pa, pa + SZ_4K);
}
