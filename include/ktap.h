/* SPDX-License-Identifier: MIT */
/*
 * Check results in KTAP form (Documentation/dev-tools/ktap.rst in Linux),
 * each with its severity (include/verdict.h) after the "#":
 *   "ok N name # [high]", "not ok N name # [high] reason",
 *   "ok N name # SKIP [high] reason",
 *   "not ok N name # TODO waived: why [high] reason" (a waived failure).
 * The plan line comes last because the number of checks depends on the
 * run; the summary line counts passed, failed, skipped and waived.
 */
#ifndef VAMAP_KTAP_H
#define VAMAP_KTAP_H

#include "types.h"

struct waivers;

void ktap_begin(void);
/* The waivers to apply from now on (include/verdict.h); NULL for none. */
void ktap_set_waivers(struct waivers *w);
/* A line for the saved report only (not printed): who ran, how. */
void ktap_report_header(const char *fmt, ...) __printf(1, 2);

/* Print a line (kprintf) and keep it as a detail of check @label: if that
 * check fails, its report carries the line however long before the
 * verdict it was printed (docs/results-format.md). @label NULL: print. */
void kdetail(const char *label, const char *fmt, ...) __printf(2, 3);
/* The report so far: every KTAP line printed, after the header lines. */
const char *ktap_report(u32 *len);
/* One result; @fmt (may be NULL) explains a failure or adds a note. */
void ktap_result(bool ok, const char *name, const char *fmt, ...)
	__printf(3, 4);
void ktap_skip(const char *name, const char *fmt, ...) __printf(2, 3);

/* Does the command line select check @name (only=, skip=)? A check left
 * out prints as a SKIP "not selected" whatever ktap_result or ktap_skip
 * was given; one about to call the firmware asks first (efi_usable). */
bool ktap_selected(const char *name);

/* The next check to report is the one whose firmware call just ended in a
 * fault or a hang: if it fails (on the ABORTED it got back), it is a SKIP
 * with this reason instead — the fault has a verdict of its own, efi.fault
 * or @owner's (efi.watchdog, efi.stack, ...), which are never made SKIPs
 * by it. Any other line first clears it. */
void ktap_next_failure_skips(const char *owner, const char *fmt, ...)
	__printf(2, 3);

/* Last on the console and the screen, after the report is saved: each
 * failure's line and its first detail line, cut to a screen's width (the
 * phases and the saving scroll them away on a machine without serial). */
void ktap_print_recap(void);
/* Print the plan and the summary line; true if nothing failed. */
/* A KTAP diagnostic line, "# " and @fmt, printed and kept for the report
 * (which the next boot's stub reads: include/results.h). */
void ktap_diag(const char *fmt, ...) __printf(1, 2);
bool ktap_end(void);

/* A fault or panic ends the run: the report gets "# the run ended early:
 * @why" and @tail (the last console output, the fault report) as KTAP
 * diagnostic lines — kept in the report, not printed again — then
 * "not ok N boot.complete", the plan and the summary (printed). Starts the KTAP block if the checks
 * had not begun. */
void ktap_end_early(const char *why, const char *tail, u32 len);

/* Has ktap_begin run? */
bool ktap_begun(void);

#endif
