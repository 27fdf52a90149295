// SPDX-License-Identifier: MIT
/* The string functions the compiler may emit calls to, and a few more. */
#include "kernel.h"
#include "x86.h"

/*
 * memset, memcpy and memcmp work a quadword at a time with the string
 * instructions (x86.h). They run around every firmware call (guarded
 * buffers, efi.shared's copy), where the bytes add up.
 */
void *memset(void *d, int c, size_t n)
{
	u64 q = n >> 3;

	rep_stosq(d, 0x0101010101010101ULL * (u8)c, q);
	rep_stosb((u8 *)d + 8 * q, (u8)c, n & 7);
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	rep_movs(d, s, n >> 3, n & 7);
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	u64 same = repe_cmpsq(a, b, n >> 3);
	const u8 *x = (const u8 *)a + 8 * same, *y = (const u8 *)b + 8 * same;

	/* The first quadword that differs, or the bytes after the last. */
	for (n = same < n >> 3 ? 8 : n & 7; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (int)(u8)*a - (int)(u8)*b;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

u64 tsc_per_ms(void)
{
	return kernel_tsc_khz ? kernel_tsc_khz : 1000000;
}

void delay_us(u64 us)
{
	u64 end = rdtsc() + us * tsc_per_ms() / 1000;

	while (rdtsc() < end)
		__asm__ volatile("pause");
}
