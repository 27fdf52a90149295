/* SPDX-License-Identifier: MIT */
/*
 * The report that survives to the next boot (kernel/results.c, built into
 * both the kernel and the stub, and host-tested).
 *
 * At the end of a run the kernel stores its KTAP lines and summary in
 * non-volatile variables VamapResults0, VamapResults1, … under
 * VAMAP_VENDOR_GUID, each a struct results_chunk header and up to
 * RESULTS_CHUNK_DATA bytes of text. On the next boot the stub reassembles
 * them, writes \vamap\results\STAMP.txt and STAMP.json on the volume it
 * was loaded from, and deletes the variables — only once both files are
 * written.
 */
#ifndef VAMAP_RESULTS_H
#define VAMAP_RESULTS_H

#include "types.h"
#include "vamap_guid.h"

#define RESULTS_MAGIC 0x31535256u /* "VRS1" */
#define RESULTS_VERSION 1
#define RESULTS_CHUNK_DATA 8000
#define RESULTS_MAX_CHUNKS 8
#define RESULTS_MAX_TEXT (RESULTS_CHUNK_DATA * RESULTS_MAX_CHUNKS)

/* The variables are under vamap's vendor GUID (VAMAP_VENDOR_GUID_INIT). */

struct results_chunk {
	u32 magic;
	u16 version;
	u16 index;  /* this chunk */
	u16 count;  /* chunks in the report */
	u16 pad;
	u32 total;  /* bytes of text in the whole report */
	u32 crc32;  /* of the whole text */
	u32 len;    /* bytes of text in this chunk */
};

compile_assert(results_chunk_size, sizeof(struct results_chunk) == 24);

u32 results_crc32(const void *data, u64 len);

/* "VamapResults<index>" as UCS-2 into @name (at least 14 elements). */
void results_var_name(u16 *name, unsigned int index);

/* How many chunks a report of @total bytes takes, and how many text bytes
 * chunk @index carries: every chunk but the last is full. */
u16 results_chunk_count(u32 total);
u32 results_chunk_len(u32 total, u16 index);

/* Fill the header of chunk @index for @text (@total bytes). Returns the
 * number of text bytes that chunk carries. */
u32 results_chunk_header(struct results_chunk *h, const char *text, u32 total,
			 u16 index);

/*
 * Check one stored chunk (@size bytes as read from the variable) against
 * what chunk @index must be; @first is chunk 0's header (NULL when
 * checking chunk 0). Returns 0 or -EINVAL with @why: "not a vamap report",
 * "unknown version", "truncated", "inconsistent with the report's length"
 * (a chunk count or length that would leave part of the text unwritten),
 * "out of sequence".
 */
int results_chunk_check(const void *data, u64 size, u16 index,
			const struct results_chunk *first, const char **why);

/*
 * Turn the report text (KTAP lines, the plan, the summary) into JSON:
 *   {"format": "vamap-results/1", "header": [lines before KTAP],
 *    "summary": {"result": "PASS", "passed": N, "failed": N, "skipped": N},
 *    "checks": [{"n": 1, "name": "…", "status": "ok|not ok|skip",
 *                "note": "…"}, …]}
 * Returns the length written (NUL-terminated), or -ENOSPC; a buffer of
 * results_json_max(@len) bytes is always enough.
 */
u64 results_json_max(u32 len);

/*
 * The KTAP diagnostic a run writes with the highest high monotonic count
 * it saw ("# monotonic high count: N", efi/checks.c), found in report
 * @text: true with *@high when a well-formed one is there (the last, if
 * more than one). The next boot's stub hands it to efi.monotonic.reset.
 */
#define RESULTS_MONOTONIC_KEY "# monotonic high count: "
bool results_monotonic_high(const char *text, u32 len, u32 *high);
int results_to_json(const char *text, u32 len, char *out, u32 max);

#endif
