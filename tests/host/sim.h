/* SPDX-License-Identifier: MIT */
/*
 * Simulated physical memory for the page-table tests: a pool of pages at a
 * fake physical base, a pt_ctx over it that tracks every page in use (so a
 * leak or a double free is caught), and a knob that fails the Nth
 * allocation.
 */
#ifndef VAMAP_TEST_SIM_H
#define VAMAP_TEST_SIM_H

#include <stdarg.h>
#include "check.h"
#include "efi_log.h"
#include "mm_log.h"
#include "pgtable.h"

#define SIM_BASE 0x40000000ULL /* fake physical address of page 0 */

struct sim {
	struct pt_ctx ctx;
	unsigned char *mem;
	unsigned char *used;
	u64 npages, nused, hint;
	long fail_at;	/* fail the allocation with this number (-1: never) */
	long allocs;	/* allocations attempted so far */
	int bad_frees;
};

static int sim_alloc(struct pt_ctx *ctx, u64 *pa)
{
	struct sim *s = ctx->priv;
	u64 i;

	if (s->allocs++ == s->fail_at)
		return -ENOMEM;
	for (i = 0; i < s->npages; i++) {
		u64 p = (s->hint + i) % s->npages;

		if (!s->used[p]) {
			s->used[p] = 1;
			s->nused++;
			s->hint = p + 1;
			memset(s->mem + p * 4096, 0, 4096);
			*pa = SIM_BASE + p * 4096;
			return 0;
		}
	}
	return -ENOMEM;
}

static void sim_free(struct pt_ctx *ctx, u64 pa)
{
	struct sim *s = ctx->priv;
	u64 p = (pa - SIM_BASE) / 4096;

	if (pa < SIM_BASE || p >= s->npages || !s->used[p]) {
		s->bad_frees++;
		return;
	}
	s->used[p] = 0;
	s->nused--;
	memset(s->mem + p * 4096, 0xa5, 4096); /* catch use after free */
}

static void *sim_p2v(struct pt_ctx *ctx, u64 pa)
{
	struct sim *s = ctx->priv;
	u64 p = (pa - SIM_BASE) / 4096;

	if (pa < SIM_BASE || p >= s->npages || !s->used[p]) {
		fprintf(stderr, "sim: access to page 0x%" PRIx64 " not in use\n", pa);
		abort();
	}
	return s->mem + (pa - SIM_BASE);
}

static inline void sim_init(struct sim *s, u64 npages, bool has_1g)
{
	memset(s, 0, sizeof(*s));
	s->mem = aligned_alloc(4096, npages * 4096);
	s->used = calloc(npages, 1);
	s->npages = npages;
	s->fail_at = -1;
	s->ctx.alloc_page = sim_alloc;
	s->ctx.free_page = sim_free;
	s->ctx.phys_to_virt = sim_p2v;
	s->ctx.priv = s;
	s->ctx.has_1g = has_1g;
	s->ctx.has_nx = true;
}

static inline void sim_fini(struct sim *s)
{
	free(s->mem);
	free(s->used);
}

static inline u64 sim_root(struct sim *s)
{
	u64 pa = 0;

	if (sim_alloc(&s->ctx, &pa))
		abort();
	return pa;
}

/* mm_log for the tests: kept in a buffer, printed only when asked. */
static char mm_log_buf[1 << 16];
static size_t mm_log_len;
static bool mm_log_echo;

void mm_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (mm_log_echo) {
		va_list ap2;

		va_copy(ap2, ap);
		vprintf(fmt, ap2);
		va_end(ap2);
	}
	n = vsnprintf(mm_log_buf + mm_log_len, sizeof(mm_log_buf) - mm_log_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		mm_log_len = MIN(mm_log_len + (size_t)n, sizeof(mm_log_buf) - 1);
}

/* efi_log: the same buffer, with the prefix the kernel's adds. */
void efi_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mm_log("efi: %s", line);
}

static inline void mm_log_clear(void)
{
	mm_log_len = 0;
	mm_log_buf[0] = '\0';
}

#endif
