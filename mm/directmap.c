// SPDX-License-Identifier: MIT
/* The direct map (see directmap.h). Host-testable. */
#include "directmap.h"
#include "mm_log.h"

int directmap_build(struct pt_ctx *ctx, u64 root, const struct memmap *m,
		    u64 offset, u32 flags)
{
	unsigned int i = 0;

	while (i < m->n) {
		u64 start, end;
		int ret;

		if (!m->r[i].ram) {
			i++;
			continue;
		}
		start = m->r[i].start;
		end = m->r[i].end;
		for (i++; i < m->n && m->r[i].ram && m->r[i].start == end; i++)
			end = m->r[i].end;
		ret = pt_map(ctx, root, offset + start, start, end - start, flags);
		if (ret) {
			mm_log("directmap: mapping 0x%lx-0x%lx failed (%d)\n",
			       (unsigned long)start, (unsigned long)end, ret);
			return ret;
		}
	}
	return 0;
}
