// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include "kernel.h"
#include "ktap.h"

static unsigned int nr, nr_failed, nr_skipped;

void ktap_begin(void)
{
	kprintf("KTAP version 1\n");
}

static void result(const char *status, const char *name, const char *tag,
		   const char *fmt, va_list ap)
{
	kprintf("%s %u %s", status, ++nr, name);
	if (tag || fmt)
		kprintf(" #");
	if (tag)
		kprintf(" %s", tag);
	if (fmt) {
		kprintf(" ");
		kvprintf(fmt, ap);
	}
	kprintf("\n");
}

void ktap_result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(ok ? "ok" : "not ok", name, NULL, fmt, ap);
	va_end(ap);
	if (!ok)
		nr_failed++;
}

void ktap_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result("ok", name, "SKIP", fmt, ap);
	va_end(ap);
	nr_skipped++;
}

bool ktap_end(void)
{
	kprintf("1..%u\n", nr);
	kprintf("vamap: %s (%u passed, %u failed, %u skipped)\n",
		nr_failed ? "FAIL" : "PASS", nr - nr_failed - nr_skipped,
		nr_failed, nr_skipped);
	return nr_failed == 0;
}
