// SPDX-License-Identifier: MIT
// sources: kernel/verdict.c kernel/printf.c
/* \vamap\waivers.txt as the stub hands it over: any bytes, up to
 * WAIVERS_MAX_TEXT - 1. Every waiver kept is a label and a reason within
 * their buffers, and a lookup never reads past them. */
#include "fuzz.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct waivers w;
	unsigned int i;

	if (size >= WAIVERS_MAX_TEXT)
		size = WAIVERS_MAX_TEXT - 1;
	waivers_parse((const char *)data, (u32)size, &w);
	FUZZ_ASSERT(w.n <= WAIVERS_MAX);
	for (i = 0; i < w.n; i++) {
		size_t l = strnlen(w.w[i].label, WAIVER_LABEL_MAX);
		size_t r = strnlen(w.w[i].reason, WAIVER_REASON_MAX);

		FUZZ_ASSERT(l < WAIVER_LABEL_MAX && (l || w.w[i].prefix));
		FUZZ_ASSERT(r > 0 && r < WAIVER_REASON_MAX);
		FUZZ_ASSERT(!strchr(w.w[i].reason, '[') &&
			    !strchr(w.w[i].reason, ']'));
		FUZZ_ASSERT(waivers_find(&w, w.w[i].label) != NULL ||
			    !w.w[i].label[0]);
	}
	for (i = 0; i < MIN(w.nr_problems, (unsigned int)WAIVERS_MAX_PROBLEMS); i++)
		FUZZ_ASSERT(strnlen(w.problems[i], WAIVERS_PROBLEM_LEN) <
			    WAIVERS_PROBLEM_LEN);
	return 0;
}
