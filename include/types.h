/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types and the few language helpers every vamap file uses.
 * Freestanding: only the compiler's own headers are included, so this
 * builds the same for the kernel, the EFI stub and the host tests.
 */
#ifndef VAMAP_TYPES_H
#define VAMAP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Errors returned by builders and parsers: 0 or a negative value. */
#define EINVAL 22
#define ENOMEM 12
#define ENOENT 2
#define ERANGE 34
#define ENOSPC 28
#define EEXIST 17

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

/* Named compile-time assertion: the name says which invariant broke. */
#define compile_assert(name, expr) _Static_assert(expr, #name)

#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __unused __attribute__((unused))

#endif
