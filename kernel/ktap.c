// SPDX-License-Identifier: MIT
/*
 * KTAP results. Every line also goes into the report that
 * efi_save_results() keeps for the next boot (include/results.h).
 */
#include <stdarg.h>
#include "cmdline.h"
#include "kernel.h"
#include "ktap.h"
#include "printf.h"
#include "results.h"
#include "verdict.h"

static unsigned int nr, nr_failed, nr_skipped, nr_waived;
static struct waivers *waivers;
static bool begun;
static char report[RESULTS_MAX_TEXT];
static u32 report_len;
/* The console position after the last KTAP line: what a failed check
 * printed before its verdict starts there. */
static u64 last_mark;

/* A failed check's detail lines in the report (docs/results-format.md). */
#define DETAIL_LINES 12
#define DETAIL_LINE_MAX 400 /* kdetail lines run to about 350 bytes */


/* Keep @n bytes of @line for the report, if they fit. */
static void keep(const char *line, u32 n)
{
	if (report_len + n <= sizeof(report)) {
		memcpy(report + report_len, line, n);
		report_len += n;
	}
}

/* Does @hay (@hn bytes) hold @needle (@nn bytes)? */
static bool memmem_simple(const char *hay, u32 hn, const char *needle,
			  size_t nn)
{
	u32 i;

	for (i = 0; nn <= hn && i <= hn - nn; i++)
		if (!memcmp(hay + i, needle, nn))
			return true;
	return false;
}

/* The recap at the end (ktap_end): each failure's line and its first
 * detail line, cut to a screen's width, for a machine whose screen is
 * all there is (the phases and the summary scroll the failures away). */
#define RECAP_MAX 8
#define RECAP_WIDTH 120
static struct {
	char line[RECAP_WIDTH + 1], detail[RECAP_WIDTH + 1];
} recap[RECAP_MAX];
static unsigned int nr_recap;
static char last_line[RECAP_WIDTH + 1], first_detail[RECAP_WIDTH + 1];

/* @n bytes of @s into @dst (room RECAP_WIDTH + 1), "..." where cut. */
static void cut(char *dst, const char *s, size_t n)
{
	if (n > RECAP_WIDTH) {
		memcpy(dst, s, RECAP_WIDTH - 3);
		memcpy(dst + RECAP_WIDTH - 3, "...", 4);
		return;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Keep @n bytes of @s (a console line, no newline) in the report as the
 * KTAP diagnostic "# LINE" (on the console again only by keep_recorded);
 * the first of a failure's is its recap line. @n is at most
 * DETAIL_LINE_MAX. */
static void keep_diag(const char *s, u32 n)
{
	char line[DETAIL_LINE_MAX + 3];

	if (!first_detail[0])
		cut(first_detail, s, n);
	line[0] = '#';
	line[1] = ' ';
	memcpy(line + 2, s, n);
	line[n + 2] = '\n';
	keep(line, n + 3);
}

/* Print @line and keep it for the report. */
static void emit(const char *line)
{
	kprintf("%s", line);
	keep(line, (u32)strlen(line));
	last_mark = console_mark();
}

/* Detail lines printed long before their check's verdict (a finding in
 * the middle of another check, a pointer named during setup), kept by
 * label: kdetail(). */
#define DETAIL_LABELS 8
static struct {
	const char *label;
	unsigned int n;
	char line[DETAIL_LINES][DETAIL_LINE_MAX];
} recorded[DETAIL_LABELS];

void kdetail(const char *label, const char *fmt, ...)
{
	char line[512];
	unsigned int i;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kprintf("%s", line);
	if (!label)
		return;
	for (i = 0; i < DETAIL_LABELS && recorded[i].label &&
		    strcmp(recorded[i].label, label); i++)
		;
	if (i == DETAIL_LABELS || recorded[i].n == DETAIL_LINES)
		return; /* the first ones are kept: they say the most */
	recorded[i].label = label;
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		n--;
	n = MIN(n, (size_t)DETAIL_LINE_MAX - 1);
	memcpy(recorded[i].line[recorded[i].n], line, n);
	recorded[i].line[recorded[i].n++][n] = '\0';
}

/* The recorded lines of @label into the report, but those the console
 * window (@win, @len: kept already) holds; printed again as KTAP
 * diagnostics too, so that a log read alone (vamap-report, a KTAP parser)
 * has each failure's lines right before its verdict. */
static void keep_recorded(const char *label, const char *win, u32 len)
{
	unsigned int i, k;
	size_t n;

	for (i = 0; i < DETAIL_LABELS && recorded[i].label; i++) {
		if (strcmp(recorded[i].label, label))
			continue;
		for (k = 0; k < recorded[i].n; k++) {
			const char *l = recorded[i].line[k];

			n = strlen(l);
			if (len && memmem_simple(win, len, l, n))
				continue;
			keep_diag(l, (u32)n);
			kprintf("# %s\n", l);
		}
	}
}

const char *ktap_report(u32 *len)
{
	*len = report_len;
	return report;
}

void ktap_report_header(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	keep(line, (u32)strlen(line));
}

void ktap_begin(void)
{
	begun = true;
	emit("KTAP version 1\n");
}

bool ktap_begun(void)
{
	return begun;
}

void ktap_end_early(const char *why, const char *tail, u32 len)
{
	char line[160];
	u32 i = 0;

	if (!begun)
		ktap_begin();
	ksnprintf(line, sizeof(line), "# the run ended early: %s; its last "
		  "console lines:\n", why);
	emit(line);
	while (i < len) { /* each line as a KTAP diagnostic */
		u32 e = i, n;

		while (e < len && tail[e] != '\n')
			e++;
		n = MIN(e - i, (u32)sizeof(line) - 4);
		keep_diag(tail + i, n);
		i = e + 1;
	}
	last_mark = console_mark(); /* those lines are its details already */
	ktap_result(false, "boot.complete", "the run ended early: %s", why);
	ktap_end();
}

void ktap_set_waivers(struct waivers *w)
{
	waivers = w;
}

/* "STATUS N NAME # [TAG ][SEVERITY] NOTE": the directive (SKIP, TODO)
 * first, where KTAP parsers look for it, then the severity. */
static void result(const char *status, const char *name, const char *tag,
		   const char *fmt, va_list ap)
{
	char line[512];
	int n;

	n = ksnprintf(line, sizeof(line), "%s %u %s #", status, ++nr, name);
	if (tag)
		n += ksnprintf(line + n, sizeof(line) - (size_t)n, " %s", tag);
	n += ksnprintf(line + n, sizeof(line) - (size_t)n, " [%s]",
		       severity_name(severity_of(name, NULL)));
	if (fmt) {
		n += ksnprintf(line + n, sizeof(line) - (size_t)n, " ");
		n += kvsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	}
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	emit(line);
	cut(last_line, line, (size_t)n);
}

/*
 * The lines the console printed since the last KTAP line, which for a
 * failed check are the finding lines that led to it, kept in the report
 * (not printed again) as KTAP diagnostics right before its verdict: the
 * last DETAIL_LINES of them, each cut at DETAIL_LINE_MAX bytes.
 */
static void keep_details(const char *label)
{
	static char text[CONSOLE_TAIL];
	u32 len = console_since(last_mark, text, sizeof(text));
	u32 i, lines = 0, skip;

	keep_recorded(label, text, len);
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	skip = lines > DETAIL_LINES ? lines - DETAIL_LINES : 0;
	i = 0;
	while (i < len) {
		u32 e = i, n;

		while (e < len && text[e] != '\n')
			e++;
		if (e == len) /* an unfinished line is not a finding yet */
			break;
		if (skip) {
			skip--;
		} else if (e > i) {
			n = MIN(e - i, (u32)DETAIL_LINE_MAX);
			keep_diag(text + i, n);
		}
		i = e + 1;
	}
}

/* only=, skip= (include/cmdline.h): a check left out is a SKIP that says
 * so, whatever it found. boot.complete is the run's own verdict: always. */
bool ktap_selected(const char *name)
{
	return !strcmp(name, "boot.complete") || cmdline_selected(&kopt, name);
}

static void not_selected(const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	result("ok", name, "SKIP", "not selected (only=, skip= on the command "
	       "line)", ap);
	va_end(ap);
	nr_skipped++;
}

/* ktap_next_failure_skips(): the reason the next failure is a SKIP, and
 * the checks that own the fault (never made SKIPs by it). */
static char next_skip[160];
static const char *next_owner;

void ktap_next_failure_skips(const char *owner, const char *fmt, ...)
{
	va_list ap;

	next_owner = owner;
	va_start(ap, fmt);
	kvsnprintf(next_skip, sizeof(next_skip), fmt, ap);
	va_end(ap);
}

/* fail-on=: a failure of a severity under it does not fail the run. */
static bool below_fail_on(const char *name)
{
	return (unsigned int)(SEV_LOW - severity_of(name, NULL)) < kopt.fail_on;
}

void ktap_result(bool ok, const char *name, const char *fmt, ...)
{
	struct waiver *w = !ok && waivers ? waivers_find(waivers, name) : NULL;
	bool below = !ok && !w && below_fail_on(name);
	char tag[WAIVER_REASON_MAX + 16];
	va_list ap;

	if (!ktap_selected(name)) {
		next_skip[0] = '\0';
		not_selected(name);
		return;
	}
	if (!ok && next_skip[0] && strcmp(name, "efi.fault") &&
	    strcmp(name, next_owner)) {
		char why[sizeof(next_skip)];

		memcpy(why, next_skip, sizeof(why));
		ktap_skip(name, "%s", why); /* which clears next_skip */
		return;
	}
	next_skip[0] = '\0';
	if (w)
		ksnprintf(tag, sizeof(tag), "TODO waived: %s", w->reason);
	else if (below)
		ksnprintf(tag, sizeof(tag), "TODO waived: below fail-on=%s",
			  severity_name((enum severity)(SEV_LOW - kopt.fail_on)));
	first_detail[0] = '\0';
	if (!ok)
		keep_details(name);
	va_start(ap, fmt);
	result(ok ? "ok" : "not ok", name, w || below ? tag : NULL, fmt, ap);
	va_end(ap);
	if (w)
		w->used++;
	if (w || below) {
		nr_waived++;
	} else if (!ok) {
		nr_failed++;
		if (nr_recap < RECAP_MAX) {
			memcpy(recap[nr_recap].line, last_line, sizeof(last_line));
			memcpy(recap[nr_recap].detail, first_detail,
			       sizeof(first_detail));
			nr_recap++;
		}
	}
}

void ktap_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	next_skip[0] = '\0';
	if (!ktap_selected(name)) {
		not_selected(name);
		return;
	}
	va_start(ap, fmt);
	result("ok", name, "SKIP", fmt, ap);
	va_end(ap);
	nr_skipped++;
}

void ktap_diag(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	size_t n;

	line[0] = '#';
	line[1] = ' ';
	va_start(ap, fmt);
	kvsnprintf(line + 2, sizeof(line) - 3, fmt, ap);
	va_end(ap);
	n = strlen(line);
	line[n] = '\n';
	line[n + 1] = '\0';
	emit(line);
}

void ktap_print_recap(void)
{
	unsigned int i;

	if (!nr_failed)
		return;
	kprintf("recap: %u check%s failed:\n", nr_failed, nr_failed == 1 ? "" : "s");
	/* Each line starts "recap:": indented KTAP lines would read as a
	 * subtest's to a KTAP parser. */
	for (i = 0; i < nr_recap; i++) {
		kprintf("recap: %s\n", recap[i].line);
		if (recap[i].detail[0])
			kprintf("recap:     %s\n", recap[i].detail);
	}
	if (nr_failed > nr_recap)
		kprintf("recap: ... and %u more (the log and the saved report "
			"have them)\n", nr_failed - nr_recap);
}

bool ktap_end(void)
{
	char line[128];

	ksnprintf(line, sizeof(line), "1..%u\n", nr);
	emit(line);
	ksnprintf(line, sizeof(line), "vamap: %s (%u passed, %u failed, %u "
		  "skipped, %u waived)\n", nr_failed ? "FAIL" : "PASS",
		  nr - nr_failed - nr_skipped - nr_waived, nr_failed, nr_skipped,
		  nr_waived);
	emit(line);
	return nr_failed == 0;
}
