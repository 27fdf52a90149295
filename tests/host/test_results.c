// SPDX-License-Identifier: MIT
// sources: kernel/results.c
/* The saved-report format: CRC, chunking, what the stub must refuse, and
 * the KTAP-to-JSON conversion. */
#include "check.h"
#include "results.h"

static void test_crc(void)
{
	CHECK_EQ(results_crc32("123456789", 9), 0xcbf43926); /* the check value */
	CHECK_EQ(results_crc32("", 0), 0);
}

static char big[20000];
static u8 chunks[4][sizeof(struct results_chunk) + RESULTS_CHUNK_DATA];
static u64 sizes[4];

static unsigned int make_chunks(const char *text, u32 len)
{
	struct results_chunk h;
	unsigned int i;

	results_chunk_header(&h, text, len, 0);
	for (i = 0; i < h.count; i++) {
		u32 n = results_chunk_header(&h, text, len, (u16)i);

		memcpy(chunks[i], &h, sizeof(h));
		memcpy(chunks[i] + sizeof(h), text + i * RESULTS_CHUNK_DATA, n);
		sizes[i] = sizeof(h) + n;
	}
	return h.count;
}

static void test_chunks(void)
{
	const struct results_chunk *first = (const void *)chunks[0];
	const char *why;
	unsigned int i, n;
	char *back;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	n = make_chunks(big, sizeof(big));
	CHECK_EQ(n, 3);
	back = calloc(1, sizeof(big));
	for (i = 0; i < n; i++) {
		const struct results_chunk *h = (const void *)chunks[i];

		CHECK_EQ(results_chunk_check(chunks[i], sizes[i], (u16)i,
					     i ? first : NULL, &why), 0);
		memcpy(back + i * RESULTS_CHUNK_DATA, chunks[i] + sizeof(*h), h->len);
	}
	CHECK(!memcmp(back, big, sizeof(big)));
	CHECK_EQ(results_crc32(back, sizeof(big)), first->crc32);
	free(back);

	/* not ours, unknown version, truncated, out of sequence */
	chunks[1][0] ^= 1;
	CHECK_EQ(results_chunk_check(chunks[1], sizes[1], 1, first, &why), -EINVAL);
	CHECK_STR(why, "not a vamap report");
	chunks[1][0] ^= 1;
	CHECK_EQ(results_chunk_check(chunks[1], 10, 1, first, &why), -EINVAL);
	CHECK_STR(why, "not a vamap report");
	((struct results_chunk *)chunks[1])->version = 7;
	CHECK_EQ(results_chunk_check(chunks[1], sizes[1], 1, first, &why), -EINVAL);
	CHECK_STR(why, "unknown version");
	((struct results_chunk *)chunks[1])->version = RESULTS_VERSION;
	CHECK_EQ(results_chunk_check(chunks[1], sizes[1] - 1, 1, first, &why), -EINVAL);
	CHECK_STR(why, "truncated");
	CHECK_EQ(results_chunk_check(chunks[2], sizes[2], 1, first, &why), -EINVAL);
	CHECK_STR(why, "out of sequence");
	((struct results_chunk *)chunks[2])->crc32 ^= 1;
	CHECK_EQ(results_chunk_check(chunks[2], sizes[2], 2, first, &why), -EINVAL);
	CHECK_STR(why, "out of sequence");
	/* Chunks that would not cover the whole text: a middle chunk that
	 * carries less than a full chunk (size and len agreeing), and a count
	 * too small for the total. The stub would otherwise write memory no
	 * chunk filled. */
	((struct results_chunk *)chunks[1])->len -= 100;
	CHECK_EQ(results_chunk_check(chunks[1], sizes[1] - 100, 1, first, &why),
		 -EINVAL);
	CHECK_STR(why, "inconsistent with the report's length");
	((struct results_chunk *)chunks[1])->len += 100;
	((struct results_chunk *)chunks[0])->count = 2;
	CHECK_EQ(results_chunk_check(chunks[0], sizes[0], 0, NULL, &why), -EINVAL);
	CHECK_STR(why, "inconsistent with the report's length");
	((struct results_chunk *)chunks[0])->count = 99;
	CHECK_EQ(results_chunk_check(chunks[0], sizes[0], 0, NULL, &why), -EINVAL);
	CHECK_STR(why, "truncated");
}

static void test_json(void)
{
	static const char text[] =
		"vamap 0.1, command line \"exit=qemu \\ x\"\n"
		"machine: firmware.vendor      EDK II\n"
		"machine: system.product       Standard PC (Q35 + ICH9, 2009)\n"
		"KTAP version 1\n"
		"ok 1 boot.info # [low]\n"
		"# monotonic high count: 3\n"
		"ok 2 efi.x # [low]\n"
		"# efi: SetVirtualAddressMap returned ABORTED\n"
		"# efi: runtime services off\n"
		"not ok 2 efi.svam # [critical] returned \"ABORTED\"\n"
		"ok 3 efi.get_time # SKIP [high] runtime services off\n"
		"not ok 4 efi.pointers # TODO waived: known bug (FW-1) [critical] "
		"4 pointers\n"
		"not ok 5 efi.wx # TODO waived: odd [low] reason [high] two tags\n"
		"ok 6 old.format # note without a severity\n"
		"1..6\n"
		"vamap: FAIL (1 passed, 1 failed, 1 skipped, 2 waived)\n";
	char out[4096];
	int n;

	n = results_to_json(text, sizeof(text) - 1, out, sizeof(out));
	CHECK(n > 0);
	CHECK(strstr(out, "\"format\": \"vamap-results/3\""));
	CHECK(strstr(out, "\"machine\": {\n    \"firmware.vendor\": \"EDK II\",\n"
			  "    \"system.product\": \"Standard PC (Q35 + ICH9, 2009)\"\n  },"));
	CHECK(strstr(out, "\"header\": [\"vamap 0.1, command line \\\"exit=qemu \\\\ x\\\"\"]"));
	CHECK(strstr(out, "\"summary\": {\"result\": \"FAIL\", \"passed\": 1, "
			  "\"failed\": 1, \"skipped\": 1, \"waived\": 2}"));
	CHECK(strstr(out, "{\"n\": 1, \"name\": \"boot.info\", \"status\": \"ok\", "
			  "\"severity\": \"low\", \"note\": \"\"}"));
	CHECK(strstr(out, "{\"n\": 2, \"name\": \"efi.svam\", \"status\": \"not ok\", "
			  "\"severity\": \"critical\", "
			  "\"note\": \"returned \\\"ABORTED\\\"\", \"details\": "
			  "[\"efi: SetVirtualAddressMap returned ABORTED\", "
			  "\"efi: runtime services off\"]}"));
	/* a diagnostic before a passing check is no one's detail */
	CHECK(!strstr(out, "\"monotonic high"));
	CHECK(strstr(out, "{\"n\": 3, \"name\": \"efi.get_time\", \"status\": \"skip\", "
			  "\"severity\": \"high\", \"note\": \"runtime services off\"}"));
	CHECK(strstr(out, "{\"n\": 4, \"name\": \"efi.pointers\", \"status\": "
			  "\"waived\", \"severity\": \"critical\", \"waiver\": "
			  "\"known bug (FW-1)\", \"note\": \"4 pointers\", "
			  "\"details\": []}"));
	/* the first tag after a space ends the reason */
	CHECK(strstr(out, "\"waiver\": \"odd\", \"note\": \"reason [high] two tags\", "
			  "\"details\": []}"));
	CHECK(strstr(out, "{\"n\": 6, \"name\": \"old.format\", \"status\": \"ok\", "
			  "\"severity\": \"\", \"note\": \"note without a severity\"}"));
	CHECK_EQ((size_t)n, strlen(out));
	CHECK_EQ(results_to_json(text, sizeof(text) - 1, out, 100), -ENOSPC);
	/* control characters are escaped, not copied */
	n = results_to_json("x\x01y\n", 4, out, sizeof(out));
	CHECK(strstr(out, "\"x\\u0001y\""));
}

/* results_json_max is enough for the worst text: every line a check that
 * also lands in the header list (no KTAP line), every byte escaped. */
static void test_json_bound(void)
{
	static const char *const lines[] = { "ok \x01\n", "\n", "\x7f\x01\"\n",
					      "not ok 4294967295 \x02 # SKIP \x03\n",
					      "machine: \x01 \x02\n", "# \x01\nnot ok\n",
					      "KTAP version 1\n# \x01\"\nnot ok 1\n" };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(lines); k++) {
		u32 len = 0, l = (u32)strlen(lines[k]);
		char *text = malloc(RESULTS_MAX_TEXT), *out;
		u64 max;
		int n;

		while (len + l <= RESULTS_MAX_TEXT) {
			memcpy(text + len, lines[k], l);
			len += l;
		}
		max = results_json_max(len);
		out = malloc(max);
		n = results_to_json(text, len, out, (u32)max);
		CHECK(n > 0);
		CHECK((u64)n < max);
		free(out);
		free(text);
	}
}

static void test_monotonic_high(void)
{
	static const char good[] = "vamap 0.1, command line \"\"\nKTAP version 1\n"
				   "ok 1 efi.monotonic_count # 2 then 3\n"
				   "# monotonic high count: 4294967295\n"
				   "vamap: PASS\n";
	static const char *const bad[] = {
		"# monotonic high count: \n",		/* no digits */
		"# monotonic high count: 12x\n",	/* not only digits */
		"# monotonic high count: 4294967296\n", /* over 32 bits */
		"# monotonic high count: 99999999999999999999999\n",
		"ok 1 x # monotonic high count: 5\n",	/* not at a line start */
		"# monotonic high count: 7",		/* cut: still a line */
	};
	unsigned int i;
	u32 high = 0;

	CHECK(results_monotonic_high(good, sizeof(good) - 1, &high));
	CHECK_EQ(high, 0xffffffffu);
	for (i = 0; i < 5; i++)
		CHECK(!results_monotonic_high(bad[i], (u32)strlen(bad[i]), &high));
	CHECK(results_monotonic_high(bad[5], (u32)strlen(bad[5]), &high));
	CHECK_EQ(high, 7);
	/* the last one wins; a report without one has none */
	CHECK(results_monotonic_high("# monotonic high count: 1\n"
				     "# monotonic high count: 2\n", 52, &high));
	CHECK_EQ(high, 2);
	CHECK(!results_monotonic_high("KTAP version 1\n", 15, &high));
}

int main(void)
{
	RUN(test_monotonic_high);
	RUN(test_crc);
	RUN(test_chunks);
	RUN(test_json);
	RUN(test_json_bound);
	return check_exit();
}
