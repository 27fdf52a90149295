// SPDX-License-Identifier: MIT
// sources: kernel/cmdline.c
/* The command line: parsing, the Shell's argv[0], composing two sources
 * (never past the buffer, never a silent cut). */
#include "cmdline.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char a[1100], b[1100], out[1024];
	struct options o;
	size_t half = size / 2, na, nb;
	bool ign;
	int len;

	na = half < sizeof(a) - 1 ? half : sizeof(a) - 1;
	nb = size - half < sizeof(b) - 1 ? size - half : sizeof(b) - 1;
	memcpy(a, data, na);
	a[na] = '\0';
	memcpy(b, data + half, nb);
	b[nb] = '\0';
	cmdline_parse(a, &o);
	FUZZ_ASSERT(o.nr_problems <= CMDLINE_MAX_PROBLEMS);
	len = cmdline_compose(a, cmdline_skip_argv0(b), out, sizeof(out), &ign);
	FUZZ_ASSERT(len == -ENOSPC || (len >= 0 && (size_t)len == strlen(out)));
	if (len >= 0)
		cmdline_parse(out, &o);
	return 0;
}
