// SPDX-License-Identifier: MIT
/* What the runtime services' arguments point at, and guarded slots
 * (include/efi_args.h). UEFI 2.10: 8.1 (variables), 8.3 (time), 8.4 (virtual
 * memory), 8.5 (miscellaneous). */
#include "efi_args.h"
#include "x86.h"

#define V { ARG_VALUE, 0, 0, NULL }

static const struct efi_arg_desc table[RT_NR_SERVICES][EFI_ARG_MAX] = {
	[RT_GET_TIME] = { { ARG_OUT, 16, 0, "Time" },
			  { ARG_OUT, 12, 0, "Capabilities" } },
	[RT_SET_TIME] = { { ARG_IN, 16, 0, "Time" } },
	[RT_GET_WAKEUP_TIME] = { { ARG_OUT, 1, 0, "Enabled" },
				 { ARG_OUT, 1, 0, "Pending" },
				 { ARG_OUT, 16, 0, "Time" } },
	[RT_SET_WAKEUP_TIME] = { V, { ARG_IN, 16, 0, "Time" } },
	/* SetVirtualAddressMap takes a physical pointer: efi/setup.c. */
	[RT_CONVERT_POINTER] = { V, { ARG_INOUT, 8, 0, "Address" } },
	[RT_GET_VARIABLE] = { { ARG_STR_IN, 0, 0, "VariableName" },
			      { ARG_IN, 16, 0, "VendorGuid" },
			      { ARG_OUT, 4, 0, "Attributes" },
			      { ARG_INOUT, 8, 0, "DataSize" },
			      { ARG_OUT_SIZE_PTR, 3, 0, "Data" } },
	[RT_GET_NEXT_VARIABLE_NAME] = { { ARG_INOUT, 8, 0, "VariableNameSize" },
					{ ARG_INOUT_SIZE_PTR, 0, 0, "VariableName" },
					{ ARG_INOUT, 16, 0, "VendorGuid" } },
	[RT_SET_VARIABLE] = { { ARG_STR_IN, 0, 0, "VariableName" },
			      { ARG_IN, 16, 0, "VendorGuid" }, V, V,
			      { ARG_IN_SIZE_ARG, 3, 0, "Data" } },
	[RT_GET_NEXT_HIGH_MONO_COUNT] = { { ARG_OUT, 4, 0, "HighCount" } },
	[RT_RESET_SYSTEM] = { V, V, V, { ARG_IN_SIZE_ARG, 2, 0, "ResetData" } },
	/* The capsules the arrays point at are guarded too (efi/bounce.c). */
	[RT_UPDATE_CAPSULE] = { { ARG_CAPSULES_IN, 8, 1, "CapsuleHeaderArray" } },
	[RT_QUERY_CAPSULE_CAPABILITIES] = {
		{ ARG_CAPSULES_IN, 8, 1, "CapsuleHeaderArray" }, V,
		{ ARG_OUT, 8, 0, "MaximumCapsuleSize" },
		{ ARG_OUT, 4, 0, "ResetType" } },
	[RT_QUERY_VARIABLE_INFO] = { V,
				     { ARG_OUT, 8, 0, "MaximumVariableStorageSize" },
				     { ARG_OUT, 8, 0, "RemainingVariableStorageSize" },
				     { ARG_OUT, 8, 0, "MaximumVariableSize" } },
};

const struct efi_arg_desc *efi_arg_desc(enum efi_rt_service svc, unsigned int i)
{
	static const struct efi_arg_desc value = V;

	if ((unsigned int)svc >= RT_NR_SERVICES || i >= EFI_ARG_MAX)
		return &value;
	return &table[svc][i];
}

bool efi_arg_bytes(enum efi_rt_service svc, unsigned int i, const u64 *args,
		   u64 (*owned)(u64 addr), u64 *bytes)
{
	const struct efi_arg_desc *d = efi_arg_desc(svc, i);
	u64 p = args[i], n, max;

	switch (d->kind) {
	case ARG_IN:
	case ARG_OUT:
	case ARG_INOUT:
		*bytes = d->size;
		return true;
	case ARG_STR_IN:
		max = owned(p) / 2;
		if (max > EFI_ARG_SLOT_SIZE / 2)
			max = EFI_ARG_SLOT_SIZE / 2;
		for (n = 0; n < max; n++)
			if (!((const u16 *)p)[n]) {
				*bytes = 2 * (n + 1);
				return true;
			}
		return false;
	case ARG_IN_SIZE_ARG:
		*bytes = args[d->size];
		return true;
	case ARG_OUT_SIZE_PTR:
	case ARG_INOUT_SIZE_PTR:
		if (owned(args[d->size]) < 8)
			return false;
		*bytes = *(const u64 *)args[d->size];
		return true;
	case ARG_ARRAY_IN:
	case ARG_CAPSULES_IN:
		if (args[d->count] > EFI_ARG_SLOT_SIZE / d->size)
			return false;
		*bytes = d->size * args[d->count];
		return true;
	case ARG_VALUE:
	default:
		return false;
	}
}

bool efi_capsule_bytes(u64 hdr, u64 (*owned)(u64 addr), u64 *bytes)
{
	u64 have = owned(hdr), size;

	if (have < EFI_CAPSULE_HEADER_SIZE)
		return false;
	size = *(const u32 *)(hdr + 24); /* CapsuleImageSize */
	if (size < EFI_CAPSULE_HEADER_SIZE || size > have)
		return false;
	*bytes = size;
	return true;
}

/* The canary ranges around [buf_off, buf_off + bytes) in a slot: before
 * it, at most EFI_ARG_CANARY bytes; after it, up to the slot's end. */
static void canary_ranges(u64 buf_off, u64 bytes, u64 *lo, u64 *hi)
{
	*lo = buf_off > EFI_ARG_CANARY ? buf_off - EFI_ARG_CANARY : 0;
	*hi = buf_off + bytes;
}

#define CANARY_QWORD (0x0101010101010101ULL * EFI_ARG_CANARY_BYTE)

/*
 * Both run around every call, a quadword at a time: a buffer starts
 * 8-aligned, so the canaries before it are whole quadwords; the ones after
 * it share its last quadword (the slot ends 8-aligned), whose bytes below
 * @hi are the buffer's and kept.
 */
static u64 kept_mask(u64 hi, u64 at)
{
	u64 n = hi > at ? hi - at : 0; /* the buffer's bytes in this one */

	return n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
}

void efi_arg_canary_fill(u8 *slot, u64 buf_off, u64 bytes)
{
	u64 lo, hi, i;

	canary_ranges(buf_off, bytes, &lo, &hi);
	for (i = lo & ~7ULL; i < buf_off; i += 8)
		*(u64 *)(slot + i) = CANARY_QWORD;
	for (i = hi & ~7ULL; i < EFI_ARG_SLOT_SIZE; i += 8) {
		u64 keep = kept_mask(hi, i), *q = (u64 *)(slot + i);

		*q = (*q & keep) | (CANARY_QWORD & ~keep);
	}
}

s64 efi_arg_canary_check(const u8 *slot, u64 buf_off, u64 bytes)
{
	u64 lo, hi, i, diff;

	canary_ranges(buf_off, bytes, &lo, &hi);
	/* Past the end first: the common overrun, named by its far end. */
	for (i = EFI_ARG_SLOT_SIZE; i > (hi & ~7ULL); i -= 8) {
		diff = (*(const u64 *)(slot + i - 8) ^ CANARY_QWORD) &
		       ~kept_mask(hi, i - 8);
		if (diff)
			return (s64)(i - 8 + (63 - __builtin_clzll(diff)) / 8 + 1 - hi);
	}
	i = (lo & ~7ULL) + 8 * repe_scasq(slot + (lo & ~7ULL), CANARY_QWORD,
					  (buf_off - (lo & ~7ULL)) / 8);
	if (i < buf_off) {
		diff = *(const u64 *)(slot + i) ^ CANARY_QWORD;
		return -(s64)(buf_off - (i + __builtin_ctzll(diff) / 8));
	}
	return 0;
}

/*
 * The call's arguments as IA32 words (UEFI 2.10 2.3.2; a capsule array
 * efi/bounce.c made of 4-byte pointers already): every argument one word,
 * its low half (a UINTN is 32 bits there: a size vamap hands as ~0 is the
 * IA32 ~0; ResetSystem's EFI_STATUS keeps its error bit, as bit 31), but
 * UpdateCapsule's ScatterGatherList, an EFI_PHYSICAL_ADDRESS, two.
 * Pointers go through @alias (vamap's guarded copies to their aliases
 * below 4 GiB; anything else unchanged) and must then lie below 4 GiB.
 */
unsigned int efi_fw32_words(unsigned int svc, const u64 *args,
			    unsigned int nargs, u64 fn, u64 (*alias)(u64 addr),
			    u64 *words, unsigned int max, const char **why)
{
	unsigned int i, n = 2;

	for (i = 0; i < nargs; i++) {
		const struct efi_arg_desc *d = efi_arg_desc(svc, i);
		u64 a = args[i];
		bool two = svc == RT_UPDATE_CAPSULE && i == 2;

		if (n + 1 + two > max) {
			*why = "more argument words than the thunk passes";
			return 0;
		}
		if (d->kind != ARG_VALUE)
			a = alias(a);
		if (d->kind != ARG_VALUE && a >> 32) {
			*why = "a pointer above 4 GiB that is not a guarded "
			       "buffer: a 32-bit firmware cannot reach it";
			return 0;
		}
		if (svc == RT_RESET_SYSTEM && i == 1) /* EFI_STATUS: bit 63 */
			a = (a & 0x7fffffffu) | (a >> 63) << 31;
		words[n++] = a & 0xffffffffu;
		if (two)
			words[n++] = a >> 32;
	}
	words[0] = fn;
	words[1] = n - 2;
	return n;
}
