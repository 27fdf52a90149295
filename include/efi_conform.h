/* SPDX-License-Identifier: MIT */
/*
 * Runtime-service conformance (efi/conform.c): what UEFI 2.10 chapter 8
 * says each service returns for good and bad arguments, checked after
 * vamap's own SetVirtualAddressMap, one KTAP line per assertion. Labels
 * and what each asserts: docs/checks.md.
 */
#ifndef VAMAP_EFI_CONFORM_H
#define VAMAP_EFI_CONFORM_H

#include "efi_rt.h"
#include "types.h"

/* The first field of @t outside what UEFI 2.10 8.3.1 allows (Year
 * 1900-9999, Day within its month, leap years counted, Daylight only
 * EFI_TIME_ADJUST_DAYLIGHT | EFI_TIME_IN_DAYLIGHT, ...), or NULL. */
const char *efi_time_bad_field(const struct efi_time *t);

/* Seconds since 1900-01-01 00:00:00 of @t's date and time (time zone and
 * nanoseconds ignored), and back: @t's date and time fields set from @s,
 * the rest left as they are. */
s64 efi_time_seconds(const struct efi_time *t);
void efi_time_set_seconds(struct efi_time *t, s64 s);

/* Can runtime service @svc be called for check @label? If not, prints the
 * check's SKIP line with why (efi=noruntime, runtime services off, or the
 * RT properties table declares the service unsupported). */
bool efi_usable(const char *label, unsigned int svc);

/* The same for a check others need (efi.variable.set.create makes the
 * variable the rest read): made when it is selected or @needed — one of
 * its dependents is — and then reported as its selection says. */
bool efi_usable_prereq(const char *label, unsigned int svc, bool needed);

/* Every conformance check, in order; service by service each is a SKIP
 * when the service is off or declared unsupported. Writes only variables
 * under vamap's GUIDs, and puts back the clock and the wake-up timer. */
void efi_conformance(void);

/* `stress`: each service called many times in a row (efi/stress.c). */
void efi_stress(void);

/* A high monotonic count this run saw; the highest goes into the report
 * (efi_monotonic_report) for the next boot's efi.monotonic.reset. */
void efi_note_monotonic_high(u32 high);

/*
 * efi.monotonic.reset: the high 32 bits of the count the stub read at this
 * boot (GetNextMonotonicCount, status @st) must exceed the highest the
 * run before saw (@prev_high, from its report, when @have_prev): the high
 * word is non-volatile and goes up on every reset (UEFI 2.10 7.5.2).
 */
void efi_check_monotonic_reset(efi_status_t st, u64 count, bool have_prev,
			       u32 prev_high);

#endif
