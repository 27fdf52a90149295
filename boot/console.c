// SPDX-License-Identifier: MIT
/*
 * The stub's log: ConOut for the person at the screen (and, on OVMF, the
 * serial port), plus QEMU's debugcon, the firmware-free channel the boot
 * tests read.
 */
#include <stdarg.h>
#include "printf.h"
#include "stub.h"
#include "x86.h"

static bool have_debugcon;
static bool have_conout;

void stub_console_init(void)
{
	have_debugcon = debugcon_present();
	have_conout = ST->ConOut != NULL;
}

void stub_console_boot_services_gone(void)
{
	have_conout = false;
}

static void debugcon_write(const char *s)
{
	if (!have_debugcon)
		return;
	while (*s)
		outb(DEBUGCON_PORT, (u8)*s++);
}

static void conout_write(const char *s)
{
	CHAR16 w[130];
	unsigned int n = 0;

	while (*s) {
		if (*s == '\n')
			w[n++] = L'\r';
		w[n++] = (CHAR16)(u8)*s++;
		if (n >= ARRAY_SIZE(w) - 2 || !*s) {
			w[n] = 0;
			fw_call(ST->ConOut->OutputString, 2,
				ST->ConOut, w);
			n = 0;
		}
	}
}

void stub_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (have_conout)
		conout_write(line);
	debugcon_write(line);
}
