/* SPDX-License-Identifier: MIT */
/*
 * The theoretical minimum number of page-table pages for a direct map,
 * computed from the address set alone (not from the builder), shared by
 * the host tests (which assert the builder reaches it) and the benchmark
 * (which reports it).
 */
#ifndef VAMAP_TEST_MIN_TABLES_H
#define VAMAP_TEST_MIN_TABLES_H

#include "types.h"

/*
 * The fewest tables that can map @ranges (sorted, disjoint, VA = offset +
 * PA with offset 1 GiB aligned): the PGD, a PUD per slot touched, a PMD
 * per GiB not covered by one 1 GiB leaf, a PT per 2 MiB not covered by one
 * 2 MiB leaf. Computed from the ranges, not from the builder.
 */
static inline u64 min_tables(const u64 (*in)[2], unsigned int n_in, u64 offset,
		      bool has_1g)
{
	u64 count = 1, last[3] = { ~0ULL, ~0ULL, ~0ULL };
	static const unsigned int shift[3] = { 39, 30, 21 };
	static u64 r[512][2];
	unsigned int i, l, n = 0;

	/* The minimum depends on the set of addresses: merge touching ranges. */
	for (i = 0; i < n_in; i++) {
		if (n && r[n - 1][1] == in[i][0]) {
			r[n - 1][1] = in[i][1];
		} else {
			r[n][0] = in[i][0];
			r[n][1] = in[i][1];
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		for (l = 0; l < 3; l++) {
			u64 unit = 1ULL << shift[l];
			u64 s = offset + r[i][0], e = offset + r[i][1];
			u64 u;

			for (u = s / unit * unit; u < e; u += unit) {
				bool covered = s <= u && e >= u + unit &&
					       (l > 0 && (l == 2 || has_1g));
				/* A PUD is needed per slot touched; a lower
				 * table per unit not covered by a leaf above. */
				bool need = l == 0 ? true : !covered;

				if (l > 0) {
					/* Only units inside a parent that is
					 * not itself a leaf need a table. */
					u64 pu = 1ULL << shift[l - 1];
					u64 p = u / pu * pu;
					bool parent_leaf = s <= p && e >= p + pu &&
							   (l - 1 == 2 || (l - 1 == 1 && has_1g));

					if (parent_leaf)
						need = false;
				}
				if (need && u / unit != last[l]) {
					count++;
					last[l] = u / unit;
				}
				if (u + unit < u)
					break;
			}
		}
	}
	return count;
}

#endif
