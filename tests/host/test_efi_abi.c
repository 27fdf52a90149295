// SPDX-License-Identifier: MIT
// sources: efi/abi.c
/* The calling-convention comparison behind efi.abi and the stack measure
 * behind efi.stack. */
#include "check.h"
#include "efi_abi.h"

static struct efi_abi_regs want, got;
static struct efi_abi_cpu before, after;

static void reset(void)
{
	want = efi_abi_pattern;
	want.rsp = 0xffffffff80123000ULL;
	got = want;
	got.rflags = 0x2;
	memset(&before, 0, sizeof(before));
	before.cr0 = 0x80010033;
	before.cr3 = 0x7fe72000;
	before.cr4 = 0x6a0;
	before.efer = 0xd01;
	before.gdt_base = 0xffffffff80200000ULL;
	before.gdt_limit = 0x3f;
	before.idt_base = 0xffffffff80201000ULL;
	before.idt_limit = 0x1ff;
	before.fcw = 0x37f;
	before.mxcsr = 0x1f80;
	after = before;
}

static u64 diff(bool sse)
{
	return efi_abi_diff(&want, &got, &before, &after, sse, false);
}

static void test_clean_call(void)
{
	reset();
	CHECK_EQ(diff(true), 0);
	/* MXCSR's exception flags are volatile */
	after.mxcsr |= 0x21;
	CHECK_EQ(diff(true), 0);
}

static void test_each_register(void)
{
	unsigned int i;

	for (i = 0; i < EFI_ABI_GPRS; i++) {
		reset();
		got.gpr[i] ^= 1;
		CHECK_EQ(diff(true), 1ULL << (EFI_ABI_BAD_GPR0 + i));
	}
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_GPR0), "RBX");
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_GPR0 + 7), "R15");
	for (i = 0; i < EFI_ABI_XMMS; i++) {
		reset();
		got.xmm[i][1] ^= 0x100;
		CHECK_EQ(diff(true), 1ULL << (EFI_ABI_BAD_XMM0 + i));
		/* without SSE the XMM registers are not compared */
		CHECK_EQ(diff(false), 0);
	}
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_XMM0 + 9), "XMM15");
	/* XMM0-XMM5: nonvolatile for IA32 only (UEFI 2.10 2.3.2) */
	for (i = 0; i < EFI_ABI_XMMS_IA32; i++) {
		reset();
		got.xmm_ia32[i][0] ^= 1;
		CHECK_EQ(diff(true), 0);
		CHECK_EQ(efi_abi_diff(&want, &got, &before, &after, true, true),
			 1ULL << (EFI_ABI_BAD_XMM0_IA32 + i));
		CHECK_EQ(efi_abi_diff(&want, &got, &before, &after, false, true), 0);
	}
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_XMM0_IA32 + 5), "XMM5");
	CHECK(EFI_ABI_NR_BAD <= 64);
	reset();
	got.rsp += 8;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_RSP);
}

static void test_flags_and_state(void)
{
	u64 b, a;

	reset();
	got.rflags |= 1 << 10;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_DF);
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_DF), "RFLAGS.DF");
	reset();
	got.rflags |= 1 << 9;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_IF);
	reset();
	got.rflags |= 1 << 18 | 1 << 8;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_AC | 1ULL << EFI_ABI_BAD_TF);
	reset();
	after.cr0 &= ~(1ULL << 16); /* WP */
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_CR0);
	efi_abi_values(EFI_ABI_BAD_CR0, &want, &got, &before, &after, &b, &a);
	CHECK_EQ(b, 0x80010033);
	CHECK_EQ(a, 0x80000033);
	reset();
	after.efer &= ~(1ULL << 11);
	after.cr4 ^= 1 << 7;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_EFER | 1ULL << EFI_ABI_BAD_CR4);
	reset();
	after.cr3 |= 0x8; /* PWT: the same tables, another CR3 */
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_CR3);
	CHECK_STR(efi_abi_name(EFI_ABI_BAD_CR3), "CR3");
	efi_abi_values(EFI_ABI_BAD_CR3, &want, &got, &before, &after, &b, &a);
	CHECK_EQ(b, 0x7fe72000);
	CHECK_EQ(a, 0x7fe72008);
	reset();
	after.gdt_limit = 0x7f;
	after.idt_base = 0x1000;
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_GDTR | 1ULL << EFI_ABI_BAD_IDTR);
	reset();
	after.fcw = 0x27f;
	after.mxcsr = 0x9f80;	/* flush-to-zero: a control bit */
	CHECK_EQ(diff(true), 1ULL << EFI_ABI_BAD_FCW | 1ULL << EFI_ABI_BAD_MXCSR);
	CHECK_EQ(diff(false), 1ULL << EFI_ABI_BAD_FCW);
	efi_abi_values(EFI_ABI_BAD_GPR0 + 2, &want, &got, &before, &after, &b, &a);
	CHECK_EQ(b, efi_abi_pattern.gpr[2]);
	CHECK_STR(efi_abi_name(EFI_ABI_NR_BAD), "?");
}

static void test_stack_used(void)
{
	static u64 stack[512];
	unsigned int i;

	for (i = 0; i < 512; i++)
		stack[i] = EFI_STACK_PAINT;
	CHECK_EQ(efi_stack_used(stack, sizeof(stack)), 0);
	stack[511] = 1;
	CHECK_EQ(efi_stack_used(stack, sizeof(stack)), 8);
	/* the lowest changed qword counts, whatever lies above it */
	stack[300] = 0;
	CHECK_EQ(efi_stack_used(stack, sizeof(stack)), (512 - 300) * 8);
	stack[0] = 0;
	CHECK_EQ(efi_stack_used(stack, sizeof(stack)), sizeof(stack));
	CHECK_EQ(efi_stack_used(stack, 0), 0);
}

int main(void)
{
	RUN(test_clean_call);
	RUN(test_each_register);
	RUN(test_flags_and_state);
	RUN(test_stack_used);
	return check_exit();
}
