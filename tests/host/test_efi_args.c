// SPDX-License-Identifier: MIT
// sources: efi/args.c
/* Guarded buffers (efi_args.h): each service's arguments sized as the
 * spec says, the placement against the slot's end, the canaries. */
#include <string.h>
#include "check.h"
#include "efi_args.h"

static u8 owned_mem[256];

static u64 owned(u64 addr)
{
	u64 end = (u64)owned_mem + sizeof(owned_mem);

	return addr >= (u64)owned_mem && addr < end ? end - addr : 0;
}

static void test_sizes(void)
{
	u16 *name = (u16 *)owned_mem;
	u64 *size = (u64 *)(owned_mem + 64);
	u64 args[5] = { 0 }, n;

	name[0] = 'B';
	name[1] = 'o';
	name[2] = 0;
	*size = 37;
	/* GetVariable(Name, Guid, Attributes, &DataSize, Data) */
	args[0] = (u64)name;
	args[3] = (u64)size;
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 0, args, owned, &n) && n == 6);
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 1, args, owned, &n) && n == 16);
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 2, args, owned, &n) && n == 4);
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 3, args, owned, &n) && n == 8);
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 4, args, owned, &n) && n == 37);
	CHECK_STR(efi_arg_desc(RT_GET_VARIABLE, 4)->name, "Data");
	/* a size pointer vamap does not own is not read */
	args[3] = 0x1000;
	CHECK(!efi_arg_bytes(RT_GET_VARIABLE, 4, args, owned, &n));
	/* a string without its NUL inside owned memory is not sized */
	for (unsigned int i = 0; i < 128; i++)
		name[i] = 'x';
	CHECK(!efi_arg_bytes(RT_GET_VARIABLE, 0, args, owned, &n));
	/* ... its NUL the last owned character: sized */
	name[127] = 0;
	CHECK(efi_arg_bytes(RT_GET_VARIABLE, 0, args, owned, &n) && n == 256);
	/* a size pointer whose 8 bytes run past owned memory is not read */
	args[3] = (u64)owned_mem + sizeof(owned_mem) - 4;
	CHECK(!efi_arg_bytes(RT_GET_VARIABLE, 4, args, owned, &n));
	/* SetVariable's Data: its size is argument 3's value */
	args[3] = 5;
	CHECK(efi_arg_bytes(RT_SET_VARIABLE, 4, args, owned, &n) && n == 5);
	CHECK(!efi_arg_bytes(RT_SET_VARIABLE, 2, args, owned, &n));
	/* GetTime's capabilities: 12 bytes (UEFI 2.10 8.3.1) */
	CHECK(efi_arg_bytes(RT_GET_TIME, 1, args, owned, &n) && n == 12);
	CHECK(efi_arg_bytes(RT_GET_WAKEUP_TIME, 0, args, owned, &n) && n == 1);
	CHECK(!efi_arg_bytes(RT_SET_WAKEUP_TIME, 0, args, owned, &n));
	/* capsule arrays: count elements of 8 bytes, bounded */
	args[1] = 3;
	CHECK(efi_arg_bytes(RT_UPDATE_CAPSULE, 0, args, owned, &n) && n == 24);
	args[1] = 1ULL << 40;
	CHECK(!efi_arg_bytes(RT_UPDATE_CAPSULE, 0, args, owned, &n));
	CHECK(efi_arg_desc(RT_QUERY_CAPSULE_CAPABILITIES, 0)->kind ==
	      ARG_CAPSULES_IN);
	args[1] = 2;
	CHECK(efi_arg_bytes(RT_QUERY_CAPSULE_CAPABILITIES, 0, args, owned, &n) &&
	      n == 16);
	/* a capsule: CapsuleImageSize, the header included (UEFI 2.10 8.5.3) */
	memset(owned_mem + 128, 0, 28);
	*(u32 *)(owned_mem + 128 + 24) = 40;
	CHECK(efi_capsule_bytes((u64)owned_mem + 128, owned, &n) && n == 40);
	*(u32 *)(owned_mem + 128 + 24) = 27; /* smaller than its header */
	CHECK(!efi_capsule_bytes((u64)owned_mem + 128, owned, &n));
	*(u32 *)(owned_mem + 128 + 24) = 129; /* past what vamap owns */
	CHECK(!efi_capsule_bytes((u64)owned_mem + 128, owned, &n));
	CHECK(!efi_capsule_bytes((u64)owned_mem + 240, owned, &n)); /* header cut */
	CHECK(!efi_capsule_bytes(0x1000, owned, &n));
	/* past the last argument, out of range */
	CHECK(efi_arg_desc(RT_GET_TIME, 4)->kind == ARG_VALUE);
	CHECK(efi_arg_desc(RT_NR_SERVICES, 0)->kind == ARG_VALUE);
	/* SetVirtualAddressMap is not bounced here */
	for (unsigned int i = 0; i < EFI_ARG_MAX; i++)
		CHECK(efi_arg_desc(RT_SET_VIRTUAL_ADDRESS_MAP, i)->kind == ARG_VALUE);
}

static void test_place(void)
{
	const u64 slot = 0x10000;

	CHECK_EQ(efi_arg_place(slot, 16), slot + EFI_ARG_SLOT_SIZE - 16);
	CHECK_EQ(efi_arg_place(slot, 12), slot + EFI_ARG_SLOT_SIZE - 16);
	CHECK_EQ(efi_arg_place(slot, 1), slot + EFI_ARG_SLOT_SIZE - 8);
	CHECK_EQ(efi_arg_place(slot, 0), slot + EFI_ARG_SLOT_SIZE - 8);
	CHECK_EQ(efi_arg_place(slot, EFI_ARG_SLOT_SIZE), slot);
}

static void test_canaries(void)
{
	static u8 slot[EFI_ARG_SLOT_SIZE];
	u64 off = efi_arg_place(0, 12); /* 4 canary bytes after */

	slot[off + 11] = 0x5a; /* the buffer's last byte shares a quadword */
	efi_arg_canary_fill(slot, off, 12);
	CHECK_EQ(slot[off + 11], 0x5a); /* ... and is kept */
	CHECK_EQ(slot[off + 12], EFI_ARG_CANARY_BYTE);
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), 0);
	slot[off + 11] = 1; /* inside: fine */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), 0);
	slot[off + 13] = 1; /* 2 bytes past the end */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), 2);
	slot[off + 15] = 1; /* named by the farthest */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), 4);
	efi_arg_canary_fill(slot, off, 12);
	slot[off - 3] = 0; /* 3 bytes before the start */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), -3);
	slot[off - 9] = 0; /* named by the farthest */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), -9);
	slot[off - EFI_ARG_CANARY] = 0; /* the first canary byte */
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), -EFI_ARG_CANARY);
	/* the canary before a buffer is EFI_ARG_CANARY bytes, no more */
	efi_arg_canary_fill(slot, off, 12);
	slot[off - EFI_ARG_CANARY - 1] = 0;
	CHECK_EQ(efi_arg_canary_check(slot, off, 12), 0);
	/* an empty buffer: 8 canary bytes */
	off = efi_arg_place(0, 0);
	efi_arg_canary_fill(slot, off, 0);
	slot[off] = 0;
	CHECK_EQ(efi_arg_canary_check(slot, off, 0), 1); /* its first byte */
	slot[off + 7] = 0;
	CHECK_EQ(efi_arg_canary_check(slot, off, 0), 8); /* the slot's last */
	/* a buffer that ends the slot has no canary after it */
	off = efi_arg_place(0, 16);
	efi_arg_canary_fill(slot, off, 16);
	slot[off + 15] = 0;
	CHECK_EQ(efi_arg_canary_check(slot, off, 16), 0);
}

/* A stand-in for efi/fw32.c's aliases: 0xffff8000_xxxxxxxx is "vamap's
 * guarded copy", whose alias is its low half + 0x80000000. */
static u64 alias(u64 addr)
{
	return addr >> 32 == 0xffff8000u ? (addr & 0xffffffffu) + 0x80000000u
					 : addr;
}

/* 32-bit firmware's argument words (UEFI 2.10 2.3.2). */
static void test_fw32_words(void)
{
	u64 w[10];
	const char *why = NULL;
	const u64 setvar[5] = { 0xffff800000001000ULL, 0xffff800000002000ULL,
				7, ~0ULL, 0 };
	const u64 capsule[3] = { 0xffff800000003000ULL, 1,
				 0x0000000123456789ULL };
	const u64 reset[4] = { 2, 0x8000000000000005ULL, 0, 0 };
	const u64 high[2] = { 0x0000000100000000ULL, 0 };

	/* The service, the count, then one word an argument: pointers as
	 * their aliases, a UINTN's low half (~0 is IA32's ~0). */
	CHECK_EQ(efi_fw32_words(RT_SET_VARIABLE, setvar, 5, 0x7e000000, alias, w,
				10, &why), 7);
	CHECK_EQ(w[0], 0x7e000000);
	CHECK_EQ(w[1], 5);
	CHECK_EQ(w[2], 0x80001000);
	CHECK_EQ(w[3], 0x80002000);
	CHECK_EQ(w[4], 7);
	CHECK_EQ(w[5], 0xffffffff);
	CHECK_EQ(w[6], 0);
	/* UpdateCapsule's ScatterGatherList: an EFI_PHYSICAL_ADDRESS, two
	 * words, low first. */
	CHECK_EQ(efi_fw32_words(RT_UPDATE_CAPSULE, capsule, 3, 1, alias, w, 10,
				&why), 6);
	CHECK_EQ(w[1], 4);
	CHECK_EQ(w[2], 0x80003000);
	CHECK_EQ(w[4], 0x23456789);
	CHECK_EQ(w[5], 1);
	/* ResetSystem's EFI_STATUS keeps its error bit, as bit 31. */
	CHECK_EQ(efi_fw32_words(RT_RESET_SYSTEM, reset, 4, 1, alias, w, 10,
				&why), 6);
	CHECK_EQ(w[3], 0x80000005);
	/* A pointer still above 4 GiB: no call, and why. */
	CHECK_EQ(efi_fw32_words(RT_GET_TIME, high, 2, 1, alias, w, 10, &why), 0);
	CHECK(why && strstr(why, "above 4 GiB"));
	/* More words than the thunk passes. */
	why = NULL;
	CHECK_EQ(efi_fw32_words(RT_SET_VARIABLE, setvar, 5, 1, alias, w, 6,
				&why), 0);
	CHECK(why && strstr(why, "more argument words"));
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_place);
	RUN(test_canaries);
	RUN(test_fw32_words);
	return check_exit();
}
