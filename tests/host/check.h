/* SPDX-License-Identifier: MIT */
/*
 * A minimal host test harness: CHECK macros print file:line and the failed
 * expression, each TEST reports one "ok - name" / "not ok - name" line, and
 * check_exit() makes the process exit non-zero if anything failed. Built
 * with ASan and UBSan (Makefile HOST_CFLAGS): a sanitizer report aborts the
 * binary, which tests/host/run.sh counts as a failure.
 */
#ifndef VAMAP_TEST_CHECK_H
#define VAMAP_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_total;
static int check_failed_here;

/* Report at most this many failed checks per test: loops stay readable. */
#define CHECK_REPORT_MAX 10
#define check_report() (++check_failed_here <= CHECK_REPORT_MAX)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond) && check_report()) {                          \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",      \
				__FILE__, __LINE__, #cond);               \
		}                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                              \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);          \
		if (a_ != b_ && check_report()) {                         \
			fprintf(stderr,                                   \
				"%s:%d: %s == %s failed: 0x%" PRIx64      \
				" != 0x%" PRIx64 "\n",                    \
				__FILE__, __LINE__, #a, #b, a_, b_);      \
		}                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *a_ = (a), *b_ = (b);                          \
		if ((!a_ || !b_ || strcmp(a_, b_)) && check_report()) {   \
			fprintf(stderr, "%s:%d: %s == \"%s\" failed: \"%s\"\n", \
				__FILE__, __LINE__, #a, b_ ? b_ : "(null)",  \
				a_ ? a_ : "(null)");                      \
		}                                                         \
	} while (0)

static inline void run_test(const char *name, void (*fn)(void))
{
	check_failed_here = 0;
	fn();
	printf("%s - %s\n", check_failed_here ? "not ok" : "ok", name);
	fflush(stdout);
	check_failed_total += check_failed_here != 0;
}

#define RUN(fn) run_test(#fn, fn)

static inline int check_exit(void)
{
	return check_failed_total ? 1 : 0;
}

/* Set byte @at of the @len-byte table at @p so its bytes sum to 0 (the
 * ACPI and SMBIOS checksum), for tests that build tables. */
static inline void fix_sum(unsigned char *p, unsigned int len, unsigned int at)
{
	unsigned char s = 0;
	unsigned int i;

	p[at] = 0;
	for (i = 0; i < len; i++)
		s = (unsigned char)(s + p[i]);
	p[at] = (unsigned char)-s;
}

#endif
