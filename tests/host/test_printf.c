// SPDX-License-Identifier: MIT
// sources: kernel/printf.c efi/memdesc.c
/* The shared printf core against the host's printf, and the memory-map
 * formatting helpers built on it. */
#include <stdarg.h>
#include "check.h"
#include "efi_memdesc.h"
#include "printf.h"

/* Format with both and compare text and returned length. */
#define SAME(...)                                                          \
	do {                                                               \
		char a[128], b[128];                                       \
		int na = ksnprintf(a, sizeof(a), __VA_ARGS__);             \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);              \
		CHECK_STR(a, b);                                           \
		CHECK_EQ(na, nb);                                          \
	} while (0)

static void test_against_libc(void)
{
	SAME("plain");
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%x %X %lx %llx", 0xbeefu, 0xbeefu, 0xdeadbeefcafeUL, ~0ULL);
	SAME("[%5d][%-5d][%05d][%-5s][%5s]", 42, 42, -42, "ab", "ab");
	SAME("[%.3s][%.*s][%*d]", "abcdef", 2, "xyz", 6, 9);
	SAME("%c%c%%", 'o', 'k');
	SAME("%hhu %hu %zu %ld", (unsigned char)300, (unsigned short)70000,
	     (size_t)12345, -1L);
	SAME("%016lx|%-16lx|", 0x7fUL, 0x7fUL);
	SAME("%.5d|%8.3x|", 42, 0xau);
	SAME("%d", -2147483647 - 1);
	SAME("%lld", (long long)(-9223372036854775807LL - 1));
}

static void test_pointer_and_null(void)
{
	char buf[64];

	ksnprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	CHECK_STR(buf, "0x0000000000001234");
	const char *volatile null_str = NULL; /* hide it from -Wformat */

	ksnprintf(buf, sizeof(buf), "%s", null_str);
	CHECK_STR(buf, "(null)");
}

static void test_truncation(void)
{
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	CHECK_EQ(ksnprintf(buf, 5, "%s", "abcdefgh"), 8);
	CHECK_STR(buf, "abcd");
	CHECK_EQ(buf[5], 'z'); /* nothing written past size */
	CHECK_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
}

static void test_attr_and_size(void)
{
	char buf[96];

	efi_attr_string(EFI_MEMORY_RUNTIME | EFI_MEMORY_WB | EFI_MEMORY_UC, buf,
			sizeof(buf));
	CHECK_STR(buf, "RUN|WB|UC");
	efi_attr_string(0, buf, sizeof(buf));
	CHECK_STR(buf, "");
	efi_attr_string(EFI_MEMORY_XP | (1ULL << 40), buf, sizeof(buf));
	CHECK_STR(buf, "XP|0x10000000000");
	/* a short buffer truncates, the full length is still returned */
	CHECK_EQ(efi_attr_string(EFI_MEMORY_RUNTIME | EFI_MEMORY_WB, buf, 4), 6);
	CHECK_STR(buf, "RUN");

	size_string(640 << 10, buf, sizeof(buf));
	CHECK_STR(buf, "640K");
	size_string(2ULL << 20, buf, sizeof(buf));
	CHECK_STR(buf, "2M");
	size_string(1ULL << 40, buf, sizeof(buf));
	CHECK_STR(buf, "1T");
	size_string(4096ULL << 40, buf, sizeof(buf));
	CHECK_STR(buf, "4096T");
	size_string((2ULL << 30) + 4096, buf, sizeof(buf));
	CHECK_STR(buf, "2097156K");
	CHECK_STR(efi_memory_type_name(EFI_RUNTIME_SERVICES_CODE), "RuntimeCode");
	CHECK_STR(efi_memory_type_name(0x70000000), "Unknown");
}

int main(void)
{
	RUN(test_against_libc);
	RUN(test_pointer_and_null);
	RUN(test_truncation);
	RUN(test_attr_and_size);
	return check_exit();
}
