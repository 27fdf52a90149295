/* SPDX-License-Identifier: MIT */
/*
 * Single instructions as static inline wrappers: the only place outside the
 * NASM files where vamap writes assembly.
 */
#ifndef VAMAP_X86_H
#define VAMAP_X86_H

#include "types.h"

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 read_cr0(void)
{
	unsigned long v; /* 32 bits wide in BOOTIA32.EFI */
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr2(void)
{
	unsigned long v; /* 32 bits wide in BOOTIA32.EFI */
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	unsigned long v; /* 32 bits wide in BOOTIA32.EFI */
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"((unsigned long)v) : "memory");
}

#define X86_CR4_LA57 (1ULL << 12) /* SDM vol. 3A, 2.5: 57-bit linear addresses */

static inline u64 read_cr4(void)
{
	unsigned long v; /* 32 bits wide in BOOTIA32.EFI */
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"((unsigned long)v) : "memory");
}

/* Flush every TLB entry, global ones included: toggling CR4.PGE does that
 * (SDM vol. 3A, 4.10.4.1); without PGE a CR3 reload is enough. */
static inline void flush_tlb_all(void)
{
	u64 cr4 = read_cr4();

	if (cr4 & (1ULL << 7)) {
		write_cr4(cr4 & ~(1ULL << 7));
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void hlt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

static inline void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* CPUID.80000001h:ECX and EDX, the extended features (SDM vol. 2A,
 * CPUID; AMD APM vol. 3 for SVM), both 0 on a CPU without that leaf. */
#define CPUID_EXT_ECX_SVM (1u << 2)
#define CPUID_EXT_EDX_NX (1u << 20)
#define CPUID_EXT_EDX_1G_PAGES (1u << 26)
#define CPUID_EXT_EDX_LONG_MODE (1u << 29)
static inline void cpuid_ext_features(u32 *ecx, u32 *edx)
{
	u32 a, b;

	cpuid(0x80000000u, 0, &a, &b, ecx, edx);
	if (a < 0x80000001u) {
		*ecx = *edx = 0;
		return;
	}
	cpuid(0x80000001u, 0, &a, &b, ecx, edx);
}

static inline u32 cpuid_ext_features_edx(void)
{
	u32 c, d;

	cpuid_ext_features(&c, &d);
	return d;
}

static inline u64 read_rflags(void)
{
	unsigned long v;
	__asm__ volatile("pushf; pop %0" : "=r"(v));
	return v;
}

static inline void write_cr0(u64 v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"((unsigned long)v) : "memory");
}

/* GDTR / IDTR (SDM vol. 3A, 2.4.1): 10 bytes in long mode. */
struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static inline void store_gdt(struct desc_ptr *d)
{
	__asm__ volatile("sgdt %0" : "=m"(*d));
}

static inline void store_idt(struct desc_ptr *d)
{
	__asm__ volatile("sidt %0" : "=m"(*d));
}

static inline void load_gdt_ptr(const struct desc_ptr *d)
{
	__asm__ volatile("lgdt %0" : : "m"(*d) : "memory");
}

static inline void load_idt_ptr(const struct desc_ptr *d)
{
	__asm__ volatile("lidt %0" : : "m"(*d) : "memory");
}

/* Control-register and EFER bits (SDM vol. 3A, 2.5, 2.2.1). */
#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_MP (1ULL << 1)
#define X86_CR0_EM (1ULL << 2)
#define X86_CR0_TS (1ULL << 3)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_NE (1ULL << 5)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_NW (1ULL << 29)
#define X86_CR0_CD (1ULL << 30)
#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PAE (1ULL << 5)
#define X86_CR4_OSFXSR (1ULL << 9)

#define MSR_EFER 0xc0000080
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SVME (1ULL << 12) /* AMD: SVM instructions (CLGI, STGI) on */
#define MSR_IA32_PAT 0x277
/* SMIs this CPU took since reset, bits 31:0 (Intel SDM vol. 4, chapter 2,
 * MSR_SMI_COUNT: model-specific since Nehalem; QEMU keeps one per vCPU). */
#define MSR_SMI_COUNT 0x34

/*
 * QEMU's debugcon (-debugcon ... -global isa-debugcon.iobase=0x402) reads
 * back 0xe9 ("readback" property); real chipsets float unused ports to 0xff.
 * Probing by reading is harmless on both, so we write there only when the
 * device answers.
 */
#define DEBUGCON_PORT 0x402
#define DEBUGCON_READBACK 0xe9

static inline bool debugcon_present(void)
{
	return inb(DEBUGCON_PORT) == DEBUGCON_READBACK;
}

/*
 * The string instructions, a quadword (or byte) a step with DF clear (as
 * it is in every C context: the ABI at a call, `cld` at every entry): one
 * instruction a step under -icount, fast on every CPU since ERMSB. For the
 * work around every firmware call (kernel/lib.c, efi/args.c, efi/abi.c,
 * efi/abi_check.c).
 */
static inline void rep_stosq(void *p, u64 v, u64 n)
{
	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(v) : "memory");
}

static inline void rep_stosb(void *p, u8 v, u64 n)
{
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(v) : "memory");
}

/* Copies @n quadwords, then @tail bytes. */
static inline void rep_movs(void *d, const void *s, u64 n, u64 tail)
{
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
}

/* How many of the @n quadwords at @p equal @v before the first that does
 * not (@n: all of them). */
static inline u64 repe_scasq(const void *p, u64 v, u64 n)
{
	u64 left = n;
	bool ne = false;

	if (left)
		__asm__ volatile("repe scasq"
				 : "+D"(p), "+c"(left), "=@ccne"(ne)
				 : "a"(v)
				 : "memory");
	return ne ? n - left - 1 : n;
}

/* How many of the @n quadwords at @a and @b are equal before the first
 * pair that differs (@n: all of them). */
static inline u64 repe_cmpsq(const void *a, const void *b, u64 n)
{
	u64 left = n;
	bool ne = false;

	if (left)
		__asm__ volatile("repe cmpsq"
				 : "+S"(a), "+D"(b), "+c"(left), "=@ccne"(ne)
				 : : "memory");
	return ne ? n - left - 1 : n;
}

#endif
