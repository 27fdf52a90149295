/* SPDX-License-Identifier: MIT */
/*
 * What a check's verdict weighs, and what the tester has agreed to live
 * with (docs/checks.md, "Severities" and "Waivers"). Built into the kernel
 * and host-tested; calls nothing outside itself.
 *
 * Severity: every label has one, from one table (verdict.c), printed in
 * its KTAP line as "[critical]", "[high]", "[medium]" or "[low]" and kept
 * in the saved JSON:
 *   critical  the firmware corrupted or escaped the mapping it was given,
 *             or vamap's own mapping is wrong: nothing after it can be
 *             trusted
 *   high      a runtime service gives a wrong result an OS relies on
 *   medium    a wrong status for a caller's mistake (a bad field, a NULL
 *             argument), a rule an OS seldom leans on
 *   low       a rule almost no OS leans on (the wake-up timer, timings)
 *
 * Waivers: \vamap\waivers.txt on the boot volume (make: WAIVERS=FILE),
 * one per line, "LABEL REASON"; LABEL may end in "*" to waive every label
 * it starts; "#" starts a comment line. A waived failure prints as
 * "not ok N LABEL # TODO waived: REASON [severity] note" and does not
 * fail the run.
 */
#ifndef VAMAP_VERDICT_H
#define VAMAP_VERDICT_H

#include "types.h"

enum severity {
	SEV_CRITICAL,
	SEV_HIGH,
	SEV_MEDIUM,
	SEV_LOW,
};

const char *severity_name(enum severity s);

/* The severity of check @label: the longest table prefix that matches it.
 * *@rated (may be NULL) says whether any entry did; an unrated label is
 * "high" (the host test keeps every label rated). */
enum severity severity_of(const char *label, bool *rated);

#define WAIVERS_MAX_TEXT 4096 /* bytes of \vamap\waivers.txt */
#define WAIVERS_MAX 32
#define WAIVER_LABEL_MAX 64
#define WAIVER_REASON_MAX 120
#define WAIVERS_MAX_PROBLEMS 8
#define WAIVERS_PROBLEM_LEN 96

struct waiver {
	char label[WAIVER_LABEL_MAX];   /* without a trailing '*' */
	char reason[WAIVER_REASON_MAX]; /* printable ASCII, no '[' or ']' */
	bool prefix;                    /* LABEL* */
	u32 line;                       /* in the file, from 1 */
	u32 used;                       /* failures it waived */
};

struct waivers {
	unsigned int n;
	struct waiver w[WAIVERS_MAX];
	/* Lines the parser did not take, each with why; they waive nothing. */
	unsigned int nr_problems;
	char problems[WAIVERS_MAX_PROBLEMS][WAIVERS_PROBLEM_LEN];
};

/*
 * Parse @len bytes of waiver text into @w (reset first). A line that is
 * not "LABEL REASON" (bad label characters, no reason, not ASCII) is a
 * problem and waives nothing; more than WAIVERS_MAX waivers is a problem
 * for each one left out. A reason longer than WAIVER_REASON_MAX - 1 is
 * kept cut, with a problem saying so. Returns the number of problems
 * (recorded: at most WAIVERS_MAX_PROBLEMS).
 */
unsigned int waivers_parse(const char *text, u32 len, struct waivers *w);

/* The waiver covering @label (an exact label first, then the longest
 * prefix), or NULL. */
struct waiver *waivers_find(struct waivers *w, const char *label);

#endif
