/* SPDX-License-Identifier: MIT */
/*
 * The KTAP side of kernel code under a host test, recorded instead of
 * printed: ktap_result, ktap_skip, ktap_selected (only=, a label prefix)
 * and ktap_diag as kernel/ktap.c gives them, each result kept with its
 * label, detail line and verdict (1 ok, 0 not ok, -1 SKIP) for the test
 * to judge with verdict(), count() and show(). One translation unit per
 * test includes it (its definitions are the kernel's symbols).
 */
#ifndef VAMAP_TEST_KTAP_RECORD_H
#define VAMAP_TEST_KTAP_RECORD_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ktap.h"
#include "printf.h"

#ifndef NRESULTS
#define NRESULTS 128
#endif

static struct {
	char label[64];
	char line[512];
	int ok; /* 1 ok, 0 not ok, -1 skip */
} results[NRESULTS];
static int nresults, ndiags;
/* only=: NULL selects every label, else those that start with it. */
static const char *only;

static void record(int ok, const char *label, const char *fmt, va_list ap)
{
	if (nresults == NRESULTS)
		return;
	snprintf(results[nresults].label, sizeof(results[0].label), "%s", label);
	results[nresults].line[0] = 0;
	if (fmt)
		kvsnprintf(results[nresults].line, sizeof(results[0].line), fmt, ap);
	results[nresults++].ok = ok;
}

bool ktap_selected(const char *name)
{
	return !only || !strncmp(name, only, strlen(only));
}

/* As kernel/ktap.c: a check left out by only= is a SKIP, whatever it
 * found. */
void ktap_result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ktap_selected(name) ? ok : -1, name, fmt, ap);
	va_end(ap);
}

void ktap_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(-1, name, fmt, ap);
	va_end(ap);
}

void ktap_diag(const char *fmt, ...)
{
	(void)fmt;
	ndiags++;
}

void kprintf(const char *fmt, ...)
{
	(void)fmt;
}

/* Results with verdict @ok (1, 0, -1). */
static inline int count(int ok)
{
	int i, n = 0;

	for (i = 0; i < nresults; i++)
		n += results[i].ok == ok;
	return n;
}

/* @label's verdict, or -2 when it was not printed at all. */
static inline int verdict(const char *label)
{
	int i;

	for (i = 0; i < nresults; i++)
		if (!strcmp(results[i].label, label))
			return results[i].ok;
	return -2;
}

/* @label's line (its note), or "" when it was not printed at all. */
static inline const char *line_of(const char *label)
{
	int i;

	for (i = 0; i < nresults; i++)
		if (!strcmp(results[i].label, label))
			return results[i].line;
	return "";
}

/* The results with verdict @ok on stderr, with their lines. */
static inline void show(int ok)
{
	int i;

	for (i = 0; i < nresults; i++)
		if (results[i].ok == ok)
			fprintf(stderr, "  %s %s # %s\n",
				ok == 1 ? "ok" : ok ? "skip" : "not ok",
				results[i].label, results[i].line);
}

#endif
