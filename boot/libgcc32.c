// SPDX-License-Identifier: MIT
/*
 * The 64-bit division helpers a 32-bit build calls for u64 / and %
 * (printf's digits, page arithmetic): BOOTIA32.EFI links no libgcc, which
 * Debian's 64-bit gcc does not ship for -m32 without gcc-multilib.
 * Restoring shift-and-subtract: at most 64 steps, and the stub divides
 * rarely.
 */
#include "types.h"

u64 __udivmoddi4(u64 num, u64 den, u64 *rem);
u64 __udivdi3(u64 num, u64 den);
u64 __umoddi3(u64 num, u64 den);
s64 __divdi3(s64 num, s64 den);
s64 __moddi3(s64 num, s64 den);

u64 __udivmoddi4(u64 num, u64 den, u64 *rem)
{
	u64 q = 0, r = 0;
	int i;

	if (!den) {
		/* As the hardware would: a divide error, not a silent 0. */
		__asm__ volatile("ud2");
		__builtin_unreachable();
	}
	if (!(den >> 32) && !(num >> 32)) {
		q = (u32)num / (u32)den;
		r = (u32)num % (u32)den;
	} else {
		for (i = 63; i >= 0; i--) {
			r = (r << 1) | ((num >> i) & 1);
			if (r >= den) {
				r -= den;
				q |= 1ull << i;
			}
		}
	}
	if (rem)
		*rem = r;
	return q;
}

u64 __udivdi3(u64 num, u64 den)
{
	return __udivmoddi4(num, den, NULL);
}

u64 __umoddi3(u64 num, u64 den)
{
	u64 r;

	__udivmoddi4(num, den, &r);
	return r;
}

s64 __divdi3(s64 num, s64 den)
{
	u64 q = __udivmoddi4(num < 0 ? -(u64)num : (u64)num,
			     den < 0 ? -(u64)den : (u64)den, NULL);

	return (num < 0) != (den < 0) ? -(s64)q : (s64)q;
}

s64 __moddi3(s64 num, s64 den)
{
	u64 r;

	__udivmoddi4(num < 0 ? -(u64)num : (u64)num,
		     den < 0 ? -(u64)den : (u64)den, &r);
	return num < 0 ? -(s64)r : (s64)r;
}
