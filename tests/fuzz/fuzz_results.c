// SPDX-License-Identifier: MIT
// sources: kernel/results.c
/* The saved-results format: chunk headers as read back from variables,
 * and the report turned into JSON, which must stay inside its buffer and
 * always fit the size the stub allocates (results_json_max). */
#include "fuzz.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char json[8192];
	const char *why;
	struct results_chunk first;
	u32 high;
	int n;

	if (!results_chunk_check(data, size, 0, NULL, &why) && size >= sizeof(first)) {
		memcpy(&first, data, sizeof(first));
		results_chunk_check(data, size, 1, &first, &why);
	}
	if (results_monotonic_high((const char *)data, (u32)size, &high))
		FUZZ_ASSERT(size > strlen(RESULTS_MONOTONIC_KEY));
	n = results_to_json((const char *)data, (u32)size, json, sizeof(json));
	FUZZ_ASSERT(n == -ENOSPC || (n >= 0 && (size_t)n < sizeof(json) &&
				     strlen(json) == (size_t)n));
	/* The stub sizes its buffer with results_json_max: never too small. */
	if (size <= 4096) {
		static char big[4096 * 12 + 4097 * 80 + 1024];

		FUZZ_ASSERT(results_json_max((u32)size) <= sizeof(big));
		n = results_to_json((const char *)data, (u32)size, big,
				    (u32)results_json_max((u32)size));
		FUZZ_ASSERT(n >= 0);
	}
	return 0;
}
