/* SPDX-License-Identifier: MIT */
/*
 * A small printf core, shared by the stub and the kernel so both format the
 * log the same way. Conversions: %c %s %d %i %u %x %X %p %%, flags '-' and
 * '0', a width and a precision (digits or '*'), lengths hh h l ll z.
 * %p prints 0x and 16 hex digits.
 */
#ifndef VAMAP_PRINTF_H
#define VAMAP_PRINTF_H

#include <stdarg.h>
#include "types.h"

/* Like C's vsnprintf: always NUL-terminates when @size > 0 and returns the
 * length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* @bytes as the log writes sizes: in the largest of K, M, G, T that
 * divides it ("640K", "2M", "2097156K"), into @buf; returns @buf. The
 * one size formatter of the memory map, ptdump and the efi lines. */
const char *size_string(u64 bytes, char *buf, size_t len);

#endif
