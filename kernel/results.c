// SPDX-License-Identifier: MIT
/*
 * The saved report's format (see results.h). Self-contained: built into
 * the stub, the kernel and the host tests.
 */
#include "results.h"

u32 results_crc32(const void *data, u64 len)
{
	const u8 *p = data;
	u32 crc = 0xffffffffu;
	unsigned int k;

	/* CRC-32/ISO-HDLC, bit by bit: a report is a few KiB, once a boot. */
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

void results_var_name(u16 *name, unsigned int index)
{
	static const char base[] = "VamapResults";
	unsigned int k;

	for (k = 0; base[k]; k++)
		name[k] = (u16)base[k];
	name[k++] = (u16)('0' + index % 10);
	name[k] = 0;
}

u16 results_chunk_count(u32 total)
{
	u32 n = (total + RESULTS_CHUNK_DATA - 1) / RESULTS_CHUNK_DATA;

	return (u16)(n ? MIN(n, 0xffffu) : 1);
}

u32 results_chunk_len(u32 total, u16 index)
{
	u32 off = (u32)index * RESULTS_CHUNK_DATA;

	return off < total ? MIN(total - off, (u32)RESULTS_CHUNK_DATA) : 0;
}

u32 results_chunk_header(struct results_chunk *h, const char *text, u32 total,
			 u16 index)
{
	h->magic = RESULTS_MAGIC;
	h->version = RESULTS_VERSION;
	h->index = index;
	h->count = results_chunk_count(total);
	h->pad = 0;
	h->total = total;
	h->crc32 = results_crc32(text, total);
	h->len = results_chunk_len(total, index);
	return h->len;
}

/*
 * The most results_to_json can write for @len bytes of text: every byte
 * escaped to 6 ("\u00XX") once in the header list and once in a check,
 * and per line (at most len + 1 of them) a check object's fixed part
 * (under 72 bytes) plus a header entry's separator and quotes.
 */
u64 results_json_max(u32 len)
{
	return 12 * (u64)len + 80 * ((u64)len + 1) + 1024;
}

int results_chunk_check(const void *data, u64 size, u16 index,
			const struct results_chunk *first, const char **why)
{
	const struct results_chunk *h = data;

	if (size < sizeof(*h) || h->magic != RESULTS_MAGIC) {
		*why = "not a vamap report";
		return -EINVAL;
	}
	if (h->version != RESULTS_VERSION) {
		*why = "unknown version";
		return -EINVAL;
	}
	if (h->len > RESULTS_CHUNK_DATA || size != sizeof(*h) + h->len ||
	    h->total > RESULTS_MAX_TEXT || !h->count ||
	    h->count > RESULTS_MAX_CHUNKS) {
		*why = "truncated";
		return -EINVAL;
	}
	/* Every chunk but the last is full and the last holds the rest, so
	 * the chunks cover the whole text and nothing is left unwritten. */
	if (h->count != results_chunk_count(h->total) || h->index >= h->count ||
	    h->len != results_chunk_len(h->total, h->index)) {
		*why = "inconsistent with the report's length";
		return -EINVAL;
	}
	if (h->index != index || (first && (h->count != first->count ||
					    h->total != first->total ||
					    h->crc32 != first->crc32))) {
		*why = "out of sequence";
		return -EINVAL;
	}
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

struct out {
	char *p;
	u32 len, max;
	bool full;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 >= o->max) {
		o->full = true;
		return;
	}
	o->p[o->len++] = c;
}

static void puts_raw(struct out *o, const char *s)
{
	while (*s)
		put(o, *s++);
}

static void put_string(struct out *o, const char *s, u32 n)
{
	static const char hex[] = "0123456789abcdef";
	u32 i;

	put(o, '"');
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '"' || c == '\\') {
			put(o, '\\');
			put(o, c);
		} else if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e) {
			puts_raw(o, "\\u00");
			put(o, hex[((unsigned char)c >> 4) & 0xf]);
			put(o, hex[c & 0xf]);
		} else {
			put(o, c);
		}
	}
	put(o, '"');
}

static void put_uint(struct out *o, u32 v)
{
	char d[12];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--)
		put(o, d[n]);
}

static bool starts(const char *s, u32 n, const char *p)
{
	u32 i;

	for (i = 0; p[i]; i++)
		if (i >= n || s[i] != p[i])
			return false;
	return true;
}

/* "[critical]" ... "[low]" at @s: the length of the tag, or 0. */
static u32 severity_tag(const char *s, u32 n)
{
	static const struct {
		const char *tag;
		u32 len;
	} tags[] = { { "[critical]", 10 }, { "[high]", 6 }, { "[medium]", 8 },
		     { "[low]", 5 } };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(tags); k++)
		if (starts(s, n, tags[k].tag))
			return tags[k].len;
	return 0;
}

/*
 * One check (include/ktap.h): "ok 12 name # [high] note",
 * "ok 3 name # SKIP [low] why", "not ok 4 name # TODO waived: why [high]
 * note". Lines of format 1 (no severity) still parse, severity "".
 */
static void put_details(struct out *o, const char *d, u32 n);

static void put_check(struct out *o, const char *s, u32 n, bool *first,
		      const char *details, u32 details_len)
{
	bool ok = starts(s, n, "ok ");
	u32 i = ok ? 3 : 7, num = 0, name, name_end, note = n, sev = n,
	    sev_len = 0, waiver = n, waiver_len = 0;
	const char *status = ok ? "ok" : "not ok";

	while (i < n && s[i] >= '0' && s[i] <= '9')
		num = num * 10 + (u32)(s[i++] - '0');
	while (i < n && s[i] == ' ')
		i++;
	name = i;
	while (i < n && s[i] != ' ')
		i++;
	name_end = i;
	if (i + 2 < n && s[i + 1] == '#') {
		note = i + 3;
		if (starts(s + note, n - note, "SKIP")) {
			status = "skip";
			note += 4;
		} else if (starts(s + note, n - note, "TODO waived: ")) {
			status = "waived";
			note += 13;
			waiver = note;
			/* the reason runs to the severity tag */
			while (note < n && !(s[note - 1] == ' ' &&
					     severity_tag(s + note, n - note)))
				note++;
			waiver_len = note - waiver;
			while (waiver_len && s[waiver + waiver_len - 1] == ' ')
				waiver_len--;
		}
		while (note < n && s[note] == ' ')
			note++;
		sev_len = severity_tag(s + note, n - note);
		if (sev_len) {
			sev = note + 1;
			note += sev_len;
			sev_len -= 2;
			while (note < n && s[note] == ' ')
				note++;
		}
	}
	puts_raw(o, *first ? "\n    " : ",\n    ");
	*first = false;
	puts_raw(o, "{\"n\": ");
	put_uint(o, num);
	puts_raw(o, ", \"name\": ");
	put_string(o, s + name, name_end - name);
	puts_raw(o, ", \"status\": \"");
	puts_raw(o, status);
	puts_raw(o, "\", \"severity\": ");
	put_string(o, s + sev, sev_len);
	if (waiver < n) {
		puts_raw(o, ", \"waiver\": ");
		put_string(o, s + waiver, waiver_len);
	}
	puts_raw(o, ", \"note\": ");
	put_string(o, s + note, note < n ? n - note : 0);
	if (!ok || waiver < n)
		put_details(o, details, details_len);
	put(o, '}');
}

/* A failed check's detail lines: the "# " lines right before it
 * (kernel/ktap.c keeps them), without the "# ". */
static void put_details(struct out *o, const char *d, u32 n)
{
	bool first = true;
	u32 i = 0;

	puts_raw(o, ", \"details\": [");
	while (i < n) {
		u32 e = i;

		while (e < n && d[e] != '\n')
			e++;
		if (e - i >= 2) {
			puts_raw(o, first ? "" : ", ");
			first = false;
			put_string(o, d + i + 2, e - i - 2);
		}
		i = e + 1;
	}
	put(o, ']');
}

/* "machine: KEY   VALUE" (kernel/machine.c) as "KEY": "VALUE". */
static void put_machine(struct out *o, const char *s, u32 n, bool *first)
{
	u32 k = 9, ke, v;

	while (k < n && s[k] == ' ')
		k++;
	ke = k;
	while (ke < n && s[ke] != ' ')
		ke++;
	v = ke;
	while (v < n && s[v] == ' ')
		v++;
	puts_raw(o, *first ? "\n    " : ",\n    ");
	*first = false;
	put_string(o, s + k, ke - k);
	puts_raw(o, ": ");
	put_string(o, s + v, n - v);
}

/* "vamap: PASS (5 passed, 1 failed, 0 skipped, 0 waived)" */
static void put_summary(struct out *o, const char *s, u32 n)
{
	static const char *const keys[] = { "passed", "failed", "skipped",
					    "waived" };
	u32 i = MIN(7u, n), k;

	puts_raw(o, "  \"summary\": {\"result\": ");
	put_string(o, s + i, MIN(4u, n - i)); /* PASS or FAIL, if it is there */
	while (i < n && s[i] != '(')
		i++;
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		u32 v = 0;

		while (i < n && (s[i] < '0' || s[i] > '9'))
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (u32)(s[i++] - '0');
		puts_raw(o, ", \"");
		puts_raw(o, keys[k]);
		puts_raw(o, "\": ");
		put_uint(o, v);
	}
	puts_raw(o, "},\n");
}

int results_to_json(const char *text, u32 len, char *buf, u32 max)
{
	struct out o = { buf, 0, max, false };
	bool first_check = true, first_header = true, first_machine = true,
	     in_ktap = false;
	u32 i = 0, summary = len, summary_len = 0, diag = len;

	if (!max)
		return -ENOSPC;
	puts_raw(&o, "{\n  \"format\": \"vamap-results/3\",\n  \"header\": [");
	while (i < len) {
		u32 e = i;

		while (e < len && text[e] != '\n')
			e++;
		if (starts(text + i, e - i, "KTAP version")) {
			in_ktap = true;
		} else if (!in_ktap && !starts(text + i, e - i, "machine: ")) {
			puts_raw(&o, first_header ? "" : ", ");
			first_header = false;
			put_string(&o, text + i, e - i);
		} else if (in_ktap && starts(text + i, e - i, "vamap: ")) {
			summary = i;
			summary_len = e - i;
		}
		i = e + 1;
	}
	puts_raw(&o, "],\n  \"machine\": {");
	for (i = 0; i < len;) {
		u32 e = i;

		while (e < len && text[e] != '\n')
			e++;
		if (starts(text + i, e - i, "KTAP version"))
			break;
		if (starts(text + i, e - i, "machine: "))
			put_machine(&o, text + i, e - i, &first_machine);
		i = e + 1;
	}
	puts_raw(&o, first_machine ? "},\n" : "\n  },\n");
	if (summary_len)
		put_summary(&o, text + summary, summary_len);
	puts_raw(&o, "  \"checks\": [");
	for (i = 0; i < len;) {
		u32 e = i;

		while (e < len && text[e] != '\n')
			e++;
		if (starts(text + i, e - i, "ok ") ||
		    starts(text + i, e - i, "not ok ")) {
			put_check(&o, text + i, e - i, &first_check,
				  text + MIN(diag, i), i - MIN(diag, i));
			diag = len;
		} else if (starts(text + i, e - i, "# ")) {
			diag = MIN(diag, i);
		} else {
			diag = len;
		}
		i = e + 1;
	}
	puts_raw(&o, "\n  ]\n}\n");
	if (o.full)
		return -ENOSPC;
	buf[o.len] = '\0';
	return (int)o.len;
}

bool results_monotonic_high(const char *text, u32 len, u32 *high)
{
	static const char key[] = RESULTS_MONOTONIC_KEY;
	const u32 klen = sizeof(key) - 1;
	bool found = false;
	u32 i = 0;

	while (i < len) {
		u32 e = i, j;
		u64 v = 0;

		while (e < len && text[e] != '\n')
			e++;
		if (e - i > klen && starts(text + i, e - i, key)) {
			for (j = i + klen; j < e && text[j] >= '0' && text[j] <= '9'; j++) {
				v = v * 10 + (u64)(text[j] - '0');
				if (v > 0xffffffffu)
					break;
			}
			if (j == e && v <= 0xffffffffu) {
				*high = (u32)v;
				found = true;
			}
		}
		i = e + 1;
	}
	return found;
}
