// SPDX-License-Identifier: MIT
/* The string functions the compiler may emit calls to, and a few more. */
#include "kernel.h"
#include "x86.h"

/*
 * memset, memcpy and memcmp work a quadword at a time with the string
 * instructions (DF is clear in every C context: the ABI at a call, `cld`
 * at every entry): one instruction per 8 bytes, as -icount counts and
 * fast on every CPU since ERMSB. They run around every firmware call
 * (guarded buffers, efi.shared's copy), where the bytes add up.
 */
void *memset(void *d, int c, size_t n)
{
	u64 v = 0x0101010101010101ULL * (u8)c;
	size_t q = n >> 3, r = n & 7;
	void *p = d;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(q) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(r) : "a"(v) : "memory");
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	size_t q = n >> 3, r = n & 7;
	void *p = d;

	__asm__ volatile("rep movsq" : "+D"(p), "+S"(s), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(r) : : "memory");
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
	const u8 *x = a, *y = b;
	size_t q = n >> 3;
	bool ne = false;

	if (q)
		__asm__ volatile("repe cmpsq"
				 : "+S"(x), "+D"(y), "+c"(q), "=@ccne"(ne)
				 : : "memory");
	if (ne) { /* the quadword before x and y differs: find its byte */
		x -= 8;
		y -= 8;
		n = 8;
	} else {
		n &= 7;
	}
	for (; n; n--, x++, y++)
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
