// SPDX-License-Identifier: MIT
// sources: kernel/results.c
/* The saved-results format: chunk headers as read back from variables,
 * and the report turned into JSON, which must stay inside its buffer. */
#include "fuzz.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char json[8192];
	const char *why;
	struct results_chunk first;
	int n;

	if (!results_chunk_check(data, size, 0, NULL, &why) && size >= sizeof(first)) {
		memcpy(&first, data, sizeof(first));
		results_chunk_check(data, size, 1, &first, &why);
	}
	n = results_to_json((const char *)data, (u32)size, json, sizeof(json));
	FUZZ_ASSERT(n == -ENOSPC || (n >= 0 && (size_t)n < sizeof(json) &&
				     strlen(json) == (size_t)n));
	return 0;
}
