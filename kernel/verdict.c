// SPDX-License-Identifier: MIT
/* Severities and waivers (include/verdict.h). */
#include "kernel.h"
#include "printf.h"
#include "verdict.h"

static const char *const severity_names[] = {
	[SEV_CRITICAL] = "critical",
	[SEV_HIGH] = "high",
	[SEV_MEDIUM] = "medium",
	[SEV_LOW] = "low",
};

const char *severity_name(enum severity s)
{
	return (unsigned int)s < ARRAY_SIZE(severity_names) ? severity_names[s]
							    : "high";
}

/*
 * One entry per family of labels, then the exceptions; the longest prefix
 * that matches wins. The reasons are in docs/checks.md ("Severities").
 */
static const struct {
	const char *prefix;
	enum severity sev;
} severities[] = {
	{ "acpi.pm_timer", SEV_MEDIUM },    /* OSes fall back to other clocks */
	{ "boot.", SEV_HIGH },
	{ "boot.complete", SEV_CRITICAL },  /* the run ended early */
	{ "boot.idt", SEV_CRITICAL },
	{ "boot.cmdline", SEV_LOW },	    /* the tester's words */
	{ "boot.info", SEV_LOW },
	{ "boot.timestamps", SEV_LOW },
	{ "cpu.", SEV_CRITICAL },	    /* vamap's own CPU state */
	{ "mm.", SEV_CRITICAL },	    /* vamap's own mapping */
	{ "smp.", SEV_HIGH },
	{ "trap.", SEV_CRITICAL },
	{ "efi.", SEV_HIGH },
	/* The firmware escaped or broke the mapping or the convention. */
	{ "efi.abi", SEV_CRITICAL },
	{ "efi.buffers", SEV_CRITICAL },
	/* A stale table header: what validates the table refuses it; Linux
	 * checks only the System Table's signature and revision. */
	{ "efi.tables", SEV_MEDIUM },
	{ "efi.stack", SEV_CRITICAL },
	{ "efi.fault", SEV_CRITICAL },
	{ "efi.strict", SEV_CRITICAL },
	{ "efi.shared", SEV_CRITICAL },
	{ "efi.low_half", SEV_CRITICAL },
	{ "efi.lowref", SEV_CRITICAL },
	{ "efi.directmap", SEV_CRITICAL },
	{ "efi.pointers", SEV_CRITICAL },
	{ "efi.svam", SEV_CRITICAL },
	{ "efi.svam.second", SEV_HIGH },
	/* The service lives where the OS may already have put its own data:
	 * a crash only for an OS that frees boot-services memory early. */
	{ "efi.svam.location", SEV_HIGH },
	{ "efi.svam.probe", SEV_MEDIUM },   /* maps an OS never passes */
	{ "efi.svam.probe.misaligned", SEV_LOW }, /* no status named for it */
	/* Wrong statuses for a caller's mistakes. */
	{ "efi.time.", SEV_MEDIUM },
	{ "efi.time.set.roundtrip", SEV_HIGH },
	{ "efi.time.set.invalid_unchanged", SEV_HIGH },
	{ "efi.variable.get.", SEV_MEDIUM },
	{ "efi.variable.next.", SEV_MEDIUM },
	{ "efi.variable.next.walk", SEV_HIGH },
	{ "efi.variable.query.", SEV_MEDIUM },
	{ "efi.variable.stress.", SEV_LOW },
	{ "efi.variable.set.", SEV_HIGH },
	/* Signed writes taken, forged ones refused: an OS's Secure Boot
	 * and its own signed variables rest on them. */
	{ "efi.variable.auth.", SEV_HIGH },
	/* Attributes the spec refuses: a wrong status for a caller's
	 * mistake (fwts warns on authenticated_write). */
	{ "efi.variable.set.rt_without_bs", SEV_MEDIUM },
	{ "efi.variable.set.no_rt_at_runtime", SEV_MEDIUM },
	{ "efi.variable.set.bs_only", SEV_MEDIUM },
	{ "efi.variable.set.authenticated_write", SEV_MEDIUM },
	{ "efi.variable.set.both_auth", SEV_MEDIUM },
	/* Defined only since 2.10 Errata A: a firmware built to 2.10 may
	 * answer otherwise, and almost no OS appends to nothing. */
	{ "efi.variable.set.append_create", SEV_LOW },
	{ "efi.variable.set.append_empty", SEV_LOW },
	{ "efi.monotonic", SEV_MEDIUM },    /* efi.monotonic_count, .null */
	{ "efi.monotonic.stress", SEV_LOW },
	{ "efi.capsule.", SEV_MEDIUM },
	/* The wake-up timer: almost no OS sets it. */
	{ "efi.wakeup.", SEV_LOW },
	{ "efi.get_wakeup_time", SEV_LOW },
};

enum severity severity_of(const char *label, bool *rated)
{
	size_t best = 0, len = strlen(label), i;
	enum severity sev = SEV_HIGH;

	for (i = 0; i < ARRAY_SIZE(severities); i++) {
		size_t n = strlen(severities[i].prefix);

		if (n > best && n <= len && !memcmp(label, severities[i].prefix, n)) {
			best = n;
			sev = severities[i].sev;
		}
	}
	if (rated)
		*rated = best != 0;
	return sev;
}

/* ---- waivers ---------------------------------------------------------- */

static void problem(struct waivers *w, u32 line, const char *why)
{
	if (w->nr_problems < WAIVERS_MAX_PROBLEMS)
		ksnprintf(w->problems[w->nr_problems], WAIVERS_PROBLEM_LEN,
			  "line %u: %s", line, why);
	w->nr_problems++;
}

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-' || (c >= 'A' && c <= 'Z');
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One line, @s[0..@n), without its newline. */
static void parse_line(struct waivers *w, const char *s, u32 n, u32 line)
{
	struct waiver *v;
	u32 i = 0, l, le, r, e, k;
	bool star = false;

	while (i < n && blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return;
	for (k = i; k < n; k++)
		if ((u8)s[k] > 0x7e || ((u8)s[k] < 0x20 && !blank(s[k]))) {
			problem(w, line, "not ASCII text");
			return;
		}
	l = i;
	while (i < n && label_char(s[i]))
		i++;
	le = i; /* the label's end, before a '*' */
	if (i < n && s[i] == '*') {
		star = true;
		i++;
	}
	if (le == l || (i < n && !blank(s[i]))) {
		problem(w, line, "a label is letters, digits, '_', '.', '-', "
				 "then an optional '*'");
		return;
	}
	if (le - l >= WAIVER_LABEL_MAX) {
		problem(w, line, "label too long");
		return;
	}
	while (i < n && blank(s[i]))
		i++;
	r = i;
	e = n;
	while (e > r && blank(s[e - 1]))
		e--;
	if (r == e) {
		problem(w, line, "no reason after the label: say why");
		return;
	}
	if (w->n == WAIVERS_MAX) {
		problem(w, line, "more than 32 waivers; this one is left out");
		return;
	}
	v = &w->w[w->n++];
	memset(v, 0, sizeof(*v));
	memcpy(v->label, s + l, le - l);
	v->prefix = star;
	v->line = line;
	if (e - r >= WAIVER_REASON_MAX) {
		problem(w, line, "reason cut to 119 characters");
		e = r + WAIVER_REASON_MAX - 1;
	}
	for (k = 0; r + k < e; k++) {
		char c = s[r + k];

		/* '[' and ']' mark the severity in the KTAP line; a tab is a
		 * space there. */
		v->reason[k] = c == '[' ? '(' : c == ']' ? ')' : blank(c) ? ' ' : c;
	}
}

unsigned int waivers_parse(const char *text, u32 len, struct waivers *w)
{
	u32 i = 0, line = 1;

	memset(w, 0, sizeof(*w));
	while (i < len) {
		u32 e = i;

		while (e < len && text[e] != '\n')
			e++;
		parse_line(w, text + i, e - i, line++);
		i = e + 1;
	}
	return w->nr_problems;
}

struct waiver *waivers_find(struct waivers *w, const char *label)
{
	struct waiver *best = NULL;
	size_t best_len = 0, len = strlen(label);
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		struct waiver *v = &w->w[i];
		size_t n = strlen(v->label);

		if (n > len || memcmp(v->label, label, n))
			continue;
		if (!v->prefix && n == len)
			return v;
		if (v->prefix && n >= best_len) {
			best = v;
			best_len = n;
		}
	}
	return best;
}
