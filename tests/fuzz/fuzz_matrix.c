// SPDX-License-Identifier: MIT
// sources: boot/matrix.c kernel/printf.c
/* The modes= matrix: reports read back from a stick anything may have
 * written. Never a read outside the input, never a write past the
 * rendering buffer, every label printable and terminated. */
#include "fuzz.h"
#include "matrix.h"

static struct matrix m;
static char out[4096];
static const char *const names[MODES_MAX] = { "a", "b", "c", "d", "e" };
static const char stems[MODES_MAX][MODES_STEM_MAX] = { "x", "", "", "", "" };
static const u32 resets[MODES_MAX] = { 0, 1, 2, 3, 7 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t half = size / 2;
	unsigned int i;
	u32 n;

	matrix_init(&m);
	matrix_add_report(&m, 0, (const char *)data, (u32)half);
	matrix_add_report(&m, 3, (const char *)data + half, (u32)(size - half));
	FUZZ_ASSERT(m.n <= MATRIX_LABELS);
	for (i = 0; i < m.n; i++) {
		size_t l = strnlen(m.label[i], MATRIX_LABEL_MAX);

		FUZZ_ASSERT(l > 0 && l < MATRIX_LABEL_MAX);
		for (size_t k = 0; k < l; k++)
			FUZZ_ASSERT(m.label[i][k] > ' ' && m.label[i][k] < 0x7f);
	}
	n = matrix_render(&m, 0x1f, names, stems, resets, out, sizeof(out));
	FUZZ_ASSERT(n < sizeof(out) && out[n] == '\0' && strlen(out) == n);
	return 0;
}
