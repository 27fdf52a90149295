// SPDX-License-Identifier: MIT
/*
 * Command-line parsing, shared by the stub and the kernel (see cmdline.h).
 * Self-contained on purpose: the stub links it against gnu-efi, the kernel
 * against its own library, the host tests against libc.
 */
#include "cmdline.h"

struct knob {
	const char *name;
	u64 bit;
};

static const struct knob svam_probes[] = {
	{ "bad-version", SVAM_PROBE_BAD_VERSION },
	{ "bad-size", SVAM_PROBE_BAD_SIZE },
	{ "unknown", SVAM_PROBE_UNKNOWN },
	{ "missing", SVAM_PROBE_MISSING },
	{ "misaligned", SVAM_PROBE_MISALIGNED },
	{ "shuffled", SVAM_PROBE_SHUFFLED },
};

/* modes=: efi= modes, one bit each in enum efi_mode's order; "all" is
 * every one of them (include/modes.h). */
static const struct knob mode_knobs[] = {
	{ "slot", 1u << 0 }, { "linux", 1u << 1 }, { "1to1", 1u << 2 },
	{ "novamap", 1u << 3 }, { "noruntime", 1u << 4 },
	{ "all", (1u << CMDLINE_EFI_MODES) - 1 },
};

static const struct knob test_knobs[] = {
	{ "stale-mapkey", TEST_STALE_MAPKEY },
	{ "pagefault", TEST_PAGE_FAULT },
	{ "gpfault", TEST_GP_FAULT },
	{ "bad-pa", TEST_BAD_PA },
	{ "efi-fault", TEST_EFI_FAULT },
	{ "madt-corrupt", TEST_MADT_CORRUPT },
	{ "efi-lowref", TEST_EFI_LOWREF },
	{ "efi-lowref-kernel", TEST_EFI_LOWREF_KERNEL },
	{ "memattr-xp", TEST_MEMATTR_XP },
	{ "stack-overflow", TEST_STACK_OVERFLOW },
	{ "ap-nosipi", TEST_AP_NOSIPI },
	{ "bad-desc-size", TEST_BAD_DESC_SIZE },
	{ "memattr-corrupt", TEST_MEMATTR_CORRUPT },
	{ "no-runtime-descs", TEST_NO_RUNTIME_DESCS },
	{ "fragment-map", TEST_FRAGMENT_MAP },
	{ "la57-enter", TEST_LA57_ENTER },
	{ "efi-hang", TEST_EFI_HANG },
	{ "nmi-during-call", TEST_NMI_DURING_CALL },
	{ "efi-directmap", TEST_EFI_DIRECTMAP },
	{ "triple-fault", TEST_TRIPLE_FAULT },
	{ "walk-unreadable", TEST_WALK_UNREADABLE },
	{ "bad-boot-info", TEST_BAD_BOOT_INFO },
	{ "identity-hole", TEST_IDENTITY_HOLE },
	{ "bad-conversion", TEST_BAD_CONVERSION },
	{ "fixmap-mismatch", TEST_FIXMAP_MISMATCH },
	{ "strict-leak", TEST_STRICT_LEAK },
	{ "nmi-as-fault", TEST_NMI_AS_FAULT },
	{ "wp-off", TEST_WP_OFF },
	{ "watchdog-late", TEST_WATCHDOG_LATE },
	{ "slow-lend", TEST_SLOW_LEND },
	{ "fatal-in-call", TEST_FATAL_IN_CALL },
	{ "ap-late", TEST_AP_LATE },
	{ "efi-hang-vamap", TEST_EFI_HANG_VAMAP },
	{ "memmap-hole", TEST_MEMMAP_HOLE },
	{ "smi-ipi", TEST_SMI_IPI },
	{ "smi-late", TEST_SMI_LATE },
};

static const char *const exit_modes[] = {
	[EXIT_HALT] = "halt", [EXIT_QEMU] = "qemu",
};

static const char *const efi_modes[CMDLINE_EFI_MODES] = {
	"slot", "linux", "1to1", "novamap", "noruntime",
};

static const char *const resets[] = {
	[RESET_COLD] = "cold", [RESET_WARM] = "warm", [RESET_SHUTDOWN] = "shutdown",
};

static const char *const results_modes[] = {
	[RESULTS_SAVE] = "save", [RESULTS_OFF] = "off",
};

static const char *const fail_on_levels[] = {
	[FAIL_ON_LOW] = "low", [FAIL_ON_MEDIUM] = "medium",
	[FAIL_ON_HIGH] = "high", [FAIL_ON_CRITICAL] = "critical",
};

/* key=value options whose value is one of a fixed set: the value's index
 * in @values goes into the unsigned int at @field. */
static const struct {
	const char *key;
	const char *const *values;
	size_t count;
	size_t field;
	const char *bad; /* the problem's wording */
} choices[] = {
	{ "exit", exit_modes, ARRAY_SIZE(exit_modes),
	  __builtin_offsetof(struct options, exit), "bad value for exit:" },
	{ "efi", efi_modes, ARRAY_SIZE(efi_modes),
	  __builtin_offsetof(struct options, efi_mode), "bad value for efi:" },
	{ "reset", resets, ARRAY_SIZE(resets),
	  __builtin_offsetof(struct options, reset), "bad value for reset:" },
	{ "results", results_modes, ARRAY_SIZE(results_modes),
	  __builtin_offsetof(struct options, results), "bad value for results:" },
	{ "fail-on", fail_on_levels, ARRAY_SIZE(fail_on_levels),
	  __builtin_offsetof(struct options, fail_on),
	  "fail-on wants low, medium, high or critical:" },
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does the word [w, w+n) equal the NUL-terminated @s? */
static bool word_is(const char *w, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != w[i])
			return false;
	return s[n] == '\0';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ends_with_efi(const char *w, size_t n)
{
	return n > 4 && w[n - 4] == '.' && lower(w[n - 3]) == 'e' &&
	       lower(w[n - 2]) == 'f' && lower(w[n - 1]) == 'i';
}

const char *cmdline_skip_argv0(const char *line)
{
	const char *w = line;
	size_t n = 0;
	size_t i;

	while (is_blank(*w))
		w++;
	while (w[n] && !is_blank(w[n]))
		n++;
	if (n == 0)
		return w;
	for (i = 0; i < n; i++)
		if (w[i] == '=')
			return w; /* key=value: an option, not a path */
	for (i = 0; i < n; i++)
		if (w[i] == '\\')
			goto skip;
	if (!ends_with_efi(w, n))
		return w;
skip:
	w += n;
	while (is_blank(*w))
		w++;
	return w;
}

/* Append "<what> '<word>'" to the problem list, truncating safely. */
static void problem(struct options *opt, unsigned int *count, const char *what,
		    const char *w, size_t n)
{
	char *p;
	size_t room = CMDLINE_PROBLEM_LEN - 1;
	size_t k = 0;

	if (opt->nr_problems < CMDLINE_MAX_PROBLEMS) {
		p = opt->problems[opt->nr_problems++];
		while (*what && k < room)
			p[k++] = *what++;
		if (k < room)
			p[k++] = ' ';
		if (k < room)
			p[k++] = '\'';
		while (n-- && k < room)
			p[k++] = *w++;
		if (k < room)
			p[k++] = '\'';
		p[k] = '\0';
	}
	(*count)++;
}

/* key=KNOB[,KNOB...] options: each list ORs its bits into the u32 at
 * @field; lists add up over several words. */
static const struct {
	const char *key;
	const struct knob *knobs;
	size_t count;
	size_t field;
	const char *bad; /* the problem's wording */
} knob_lists[] = {
	{ "test", test_knobs, ARRAY_SIZE(test_knobs),
	  __builtin_offsetof(struct options, test), "unknown test knob in" },
	{ "svam", svam_probes, ARRAY_SIZE(svam_probes),
	  __builtin_offsetof(struct options, svam_probes),
	  "unknown svam probe in" },
	{ "modes", mode_knobs, ARRAY_SIZE(mode_knobs),
	  __builtin_offsetof(struct options, modes),
	  "modes= wants efi= modes or all, comma-separated:" },
};

/* Parse a comma-separated knob list into @bits; false on an unknown or
 * empty name. */
static bool parse_knobs(const struct knob *knobs, size_t nknobs, const char *v,
			size_t n, u64 *bits)
{
	if (!n)
		return false;
	while (n) {
		size_t len = 0, i;
		bool found = false;

		while (len < n && v[len] != ',')
			len++;
		for (i = 0; i < nknobs; i++) {
			if (len && word_is(v, len, knobs[i].name)) {
				*bits |= knobs[i].bit;
				found = true;
			}
		}
		if (!found)
			return false;
		v += len;
		n -= len;
		if (n) { /* skip the comma */
			v++;
			n--;
			if (!n) /* trailing comma: an empty knob name */
				return false;
		}
	}
	return true;
}

const char *cmdline_svam_probe_name(u32 bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(svam_probes); i++)
		if (svam_probes[i].bit == bit)
			return svam_probes[i].name;
	return "?";
}

/* Index in knob_lists of the key [w, w+n), or -1. */
static int knob_list(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knob_lists); i++)
		if (word_is(w, n, knob_lists[i].key))
			return (int)i;
	return -1;
}

/* Index of the value [v, v+n) in @table (entries may be NULL), or -1. */
static int lookup(const char *const *table, size_t count, const char *v,
		  size_t n)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (table[i] && word_is(v, n, table[i]))
			return (int)i;
	return -1;
}

static void reset(struct options *opt)
{
	u8 *p = (u8 *)opt;
	size_t i;

	for (i = 0; i < sizeof(*opt); i++)
		p[i] = 0;
	opt->exit = EXIT_HALT;
	opt->efi_timeout_ms = CMDLINE_EFI_TIMEOUT_MS;
	opt->smp_timeout_ms = CMDLINE_SMP_TIMEOUT_MS;
	opt->efi_strict = true;
}

/* A character of a label or a glob over labels. */
static bool glob_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '*';
}

/* only=/skip=: append the comma-separated globs [v, v+n) to @dst (room
 * CMDLINE_GLOBS_MAX, globs kept comma-separated); false on an empty glob,
 * a character no label has, or no room. */
static bool add_globs(char *dst, const char *v, size_t n)
{
	size_t len = 0, i;

	while (dst[len])
		len++;
	if (!n || v[0] == ',' || v[n - 1] == ',')
		return false;
	for (i = 0; i < n; i++)
		if (!(glob_char(v[i]) || (v[i] == ',' && v[i + 1] != ',')))
			return false;
	if (len + (len != 0) + n >= CMDLINE_GLOBS_MAX)
		return false;
	if (len)
		dst[len++] = ',';
	for (i = 0; i < n; i++)
		dst[len++] = v[i];
	dst[len] = '\0';
	return true;
}

/* Does [g, g+gn) match all of @s? '*' matches any run of characters. */
static bool glob_match(const char *g, size_t gn, const char *s)
{
	if (!gn)
		return !*s;
	if (*g == '*') {
		for (;;) {
			if (glob_match(g + 1, gn - 1, s))
				return true;
			if (!*s)
				return false;
			s++;
		}
	}
	return *s == *g && glob_match(g + 1, gn - 1, s + 1);
}

/* Does a glob of the list @globs select @label: the glob matches it, or,
 * without a '*', names it or a group it is in (efi.variable: every
 * efi.variable.* label)? */
static bool globs_match(const char *globs, const char *label)
{
	const char *g = globs;

	while (*g) {
		size_t n = 0, i;
		bool star = false;

		while (g[n] && g[n] != ',')
			n++;
		for (i = 0; i < n; i++)
			star |= g[i] == '*';
		if (glob_match(g, n, label))
			return true;
		if (!star) {
			for (i = 0; i < n && label[i] == g[i]; i++)
				;
			if (i == n && label[n] == '.')
				return true;
		}
		g += n + (g[n] == ',');
	}
	return false;
}

bool cmdline_selected(const struct options *opt, const char *label)
{
	if (opt->only[0] && !globs_match(opt->only, label))
		return false;
	return !globs_match(opt->skip, label);
}

/* A decimal number in [0, @max] spelling all of [v, v+n). */
static bool parse_uint(const char *v, size_t n, u32 max, u32 *out)
{
	u64 x = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (u64)(v[i] - '0');
		if (x > max)
			return false;
	}
	*out = (u32)x;
	return true;
}

unsigned int cmdline_parse(const char *line, struct options *opt)
{
	unsigned int count = 0;
	const char *w = line;

	reset(opt);
	for (;;) {
		size_t n = 0, klen = 0, c;
		const char *val;
		size_t vlen;
		int l;

		while (is_blank(*w))
			w++;
		if (!*w)
			break;
		while (w[n] && !is_blank(w[n]))
			n++;
		while (klen < n && w[klen] != '=')
			klen++;
		val = w + klen + (klen < n);
		vlen = klen < n ? n - klen - 1 : 0;

		for (c = 0; c < ARRAY_SIZE(choices); c++)
			if (klen < n && word_is(w, klen, choices[c].key))
				break;
		if (c < ARRAY_SIZE(choices)) {
			int i = lookup(choices[c].values, choices[c].count, val, vlen);

			if (i >= 0)
				*(unsigned int *)((u8 *)opt + choices[c].field) =
					(unsigned int)i;
			else
				problem(opt, &count, choices[c].bad, w, n);
		} else if ((l = knob_list(w, klen)) >= 0 && klen < n) {
			u64 bits = 0;

			if (parse_knobs(knob_lists[l].knobs, knob_lists[l].count,
					val, vlen, &bits))
				*(u64 *)((u8 *)opt + knob_lists[l].field) |= bits;
			else
				problem(opt, &count, knob_lists[l].bad, w, n);
		} else if (word_is(w, klen, "efi.timeout") && klen < n) {
			if (!parse_uint(val, vlen, CMDLINE_EFI_TIMEOUT_MAX,
					&opt->efi_timeout_ms))
				problem(opt, &count, "efi.timeout wants milliseconds "
					"0..600000:", w, n);
		} else if (word_is(w, klen, "smp.timeout") && klen < n) {
			if (!parse_uint(val, vlen, CMDLINE_SMP_TIMEOUT_MAX,
					&opt->smp_timeout_ms) ||
			    !opt->smp_timeout_ms) {
				opt->smp_timeout_ms = CMDLINE_SMP_TIMEOUT_MS;
				problem(opt, &count, "smp.timeout wants milliseconds "
					"1..600000:", w, n);
			}
		} else if ((word_is(w, klen, "only") || word_is(w, klen, "skip")) &&
			   klen < n) {
			if (!add_globs(w[0] == 'o' ? opt->only : opt->skip, val, vlen))
				problem(opt, &count, "only=/skip= want labels or "
					"globs, comma-separated:", w, n);
		} else if (word_is(w, n, "efi.strict")) {
			opt->efi_strict = true;
		} else if (word_is(w, n, "efi.shared")) {
			opt->efi_strict = false;
		} else if (word_is(w, n, "verbose")) {
			opt->verbose = true;
		} else if (word_is(w, n, "bench")) {
			opt->bench = true;
		} else if (word_is(w, n, "stress")) {
			opt->stress = true;
		} else if (word_is(w, n, "json")) {
			opt->json = true;
		} else {
			problem(opt, &count, "unknown option", w, n);
		}
		w += n;
	}
	return count;
}

/* Is [w, w+n) one of vamap's words: a known key (whatever its value) or
 * a known flag? */
static bool word_is_ours(const char *w, size_t n)
{
	size_t klen = 0, c;

	while (klen < n && w[klen] != '=')
		klen++;
	if (klen == n)
		return word_is(w, n, "verbose") || word_is(w, n, "efi.strict") ||
		       word_is(w, n, "efi.shared") ||
		       word_is(w, n, "bench") || word_is(w, n, "stress") ||
		       word_is(w, n, "json");
	if (word_is(w, klen, "efi.timeout") || word_is(w, klen, "smp.timeout") ||
	    word_is(w, klen, "only") ||
	    word_is(w, klen, "skip"))
		return true;
	for (c = 0; c < ARRAY_SIZE(choices); c++)
		if (word_is(w, klen, choices[c].key))
			return true;
	return knob_list(w, klen) >= 0;
}

bool cmdline_is_ours(const char *line)
{
	const char *w = line;

	for (;;) {
		size_t n = 0;

		while (is_blank(*w))
			w++;
		if (!*w)
			return false;
		while (w[n] && !is_blank(w[n]))
			n++;
		if (word_is_ours(w, n))
			return true;
		w += n;
	}
}

/* Append @s to @out (length *len, room @size) with one blank before it
 * when @out is not empty; false when it does not fit. */
static bool append(char *out, size_t size, size_t *len, const char *s)
{
	while (is_blank(*s))
		s++;
	if (!*s)
		return true;
	if (*len && *len + 1 < size)
		out[(*len)++] = ' ';
	while (*s && *len + 1 < size)
		out[(*len)++] = *s++;
	out[*len] = '\0';
	return !*s;
}

int cmdline_compose(const char *file, const char *options, char *out,
		    size_t size, bool *options_ignored)
{
	size_t len = 0;

	*options_ignored = false;
	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	if (file && !append(out, size, &len, file))
		return -ENOSPC;
	if (options && *options) {
		if (!cmdline_is_ours(options))
			*options_ignored = true;
		else if (!append(out, size, &len, options))
			return -ENOSPC;
	}
	while (len && is_blank(out[len - 1]))
		out[--len] = '\0';
	return (int)len;
}
