// SPDX-License-Identifier: MIT
/*
 * The stub's side of the mode switch (boot/longmode.asm, include/longmode.h):
 * place the blob below 4 GiB, fill its parameters, jump in. Built into both
 * stubs: the 64-bit one uses it to leave 5-level paging (and, for
 * test=la57-enter, to enter it), the 32-bit one to enter long mode.
 */
#include "stub.h"
#include "longmode.h"

extern const u8 longmode_blob_start[], longmode_blob_end[];

/* CPUID.(EAX=7,ECX=0):ECX[16] (SDM vol. 2A, CPUID). */
#define CPUID_7_ECX_LA57 (1u << 16)

/* Where things are in the blob, read from the stub's own copy: the page
 * below 4 GiB may have been written over (blob_write). */
static const struct longmode_header *blob_header(void)
{
	return (const void *)longmode_blob_start;
}

static struct longmode_params *blob_params(u64 base)
{
	return (void *)(uintptr_t)(base + LONGMODE_BLOB_OFFSET +
				   blob_header()->params);
}

static void put32(u8 *blob, u32 off, u64 v)
{
	*(u32 *)(blob + off) = (u32)v;
}

/*
 * Write the blob into its page at @base, its addresses fixed up and its
 * parameters zero. Between placement and use the firmware and every
 * driver the stub starts run with that LoaderCode page writable, so each
 * use writes it again first: true when what was there, the parameters
 * aside, was not what is written.
 */
static bool blob_write(u64 base)
{
	static u8 fresh[4096];
	const struct longmode_header *h = blob_header();
	UINTN size = (UINTN)(longmode_blob_end - longmode_blob_start), i;
	u8 *page = (u8 *)(uintptr_t)(base + LONGMODE_BLOB_OFFSET);
	u64 code = base + LONGMODE_BLOB_OFFSET;
	bool changed = false;

	CopyMem(fresh, longmode_blob_start, size);
	put32(fresh, h->gdtr + 2, code + h->gdt);
	put32(fresh, h->far32, code + h->pm32_reload);
	put32(fresh, h->far64, code + h->lm64);
	for (i = 0; i < size; i++)
		if ((i < h->params ||
		     i >= h->params + sizeof(struct longmode_params)) &&
		    page[i] != fresh[i])
			changed = true;
	CopyMem(page, fresh, size);
	ZeroMem(page + h->params, sizeof(struct longmode_params));
	return changed;
}

/* Before each use: the blob as placed, whatever was written over it. */
static void blob_refresh(u64 base)
{
	if (blob_write(base))
		stub_log("stub: the mode-switch code at 0x%08llx had changed "
			 "since the stub placed it (the firmware or a driver "
			 "wrote LoaderCode memory it does not own): written "
			 "again\n", (unsigned long long)base);
}

EFI_STATUS stub_longmode_place(u64 *out)
{
	UINTN size = (UINTN)(longmode_blob_end - longmode_blob_start);
	const struct longmode_header *h = blob_header();
	EFI_PHYSICAL_ADDRESS base = 0xffffffffu;
	EFI_STATUS st;

	if (size > 4096 - sizeof(struct longmode_header)) {
		stub_log("stub: error: the mode-switch blob is %lu bytes, over "
			 "its page\n", (unsigned long)size);
		return EFI_LOAD_ERROR;
	}
	if (h->magic != LONGMODE_MAGIC) {
		stub_log("stub: error: the mode-switch blob has no header\n");
		return EFI_LOAD_ERROR;
	}
	/* LoaderCode: the one type a firmware's NX policy leaves executable. */
	st = fw_call(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderCode,
		     (UINTN)LONGMODE_PAGES, &base);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no three pages below 4 GiB for the mode "
			 "switch: %s\n", stub_status_name(st));
		return st;
	}
	ZeroMem((void *)(uintptr_t)base, LONGMODE_PAGES * 4096);
	blob_write(base);
	*out = base;
	return EFI_SUCCESS;
}

/* The temporary table: a copy of init_pg_dir's top level, which the
 * 32-bit code can load wherever init_pg_dir itself lies. */
static void params_for_kernel(u64 base, const struct boot_info *bi,
			      u64 bi_phys, u64 cr4_clear)
{
	struct longmode_params *p = blob_params(base);

	CopyMem((void *)(uintptr_t)base, (void *)(uintptr_t)bi->init_pg_dir,
		4096);
	p->cr3_temp = base;
	p->cr4_clear = cr4_clear;
	p->cr4_set = 0;
	p->cr3_final = bi->init_pg_dir;
	p->entry = bi->kernel_entry;
	p->rdi = bi_phys;
	p->cs_out = LONGMODE_SEL_CS64;
	p->ss_out = LONGMODE_SEL_DS;
}

#ifdef __x86_64__
bool stub_cpu_has_la57(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return false;
	cpuid(7, 0, &a, &b, &c, &d);
	return c & CPUID_7_ECX_LA57;
}

/*
 * test=la57-enter: put a 5-level table over the firmware's own (its
 * entry 0 is the firmware's PML4, so every address below 128 TiB maps as
 * before), turn LA57 on through the blob, and come back here on the
 * firmware's GDT, code and stack selectors. The rest of the stub then runs
 * as it would on firmware that handed over in 5-level mode.
 */
void stub_longmode_enter_la57(u64 base)
{
	struct longmode_params *p = blob_params(base);
	u64 *table = (u64 *)(uintptr_t)(base + LONGMODE_LA57_TABLE_OFFSET);
	u64 rflags = read_rflags();
	struct desc_ptr gdtr;
	u16 cs, ss;

	blob_refresh(base);
	ZeroMem(table, 4096);
	table[0] = (read_cr3() & 0x000ffffffffff000ull) | 0x7; /* P, RW, US */
	store_gdt(&gdtr);
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	p->cr3_temp = base + LONGMODE_LA57_TABLE_OFFSET;
	p->cr4_clear = 0;
	p->cr4_set = X86_CR4_LA57;
	p->cr3_final = 0;
	p->cs_out = cs;
	p->ss_out = ss;
	CopyMem(p->gdtr_out, &gdtr, sizeof(gdtr));
	cli();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %c[entry](%[p])\n\t"
			 "mov %%rsp, %c[rsp](%[p])\n\t"
			 "mov %[code], %%rbx\n\t"
			 "jmp *%[from64]\n"
			 "1:"
			 :
			 : [p] "r"(p), [code] "r"(base + LONGMODE_BLOB_OFFSET),
			   [from64] "r"(base + LONGMODE_BLOB_OFFSET +
					blob_header()->from64),
			   [entry] "i"(__builtin_offsetof(struct longmode_params,
							  entry)),
			   [rsp] "i"(__builtin_offsetof(struct longmode_params,
							rsp))
			 : "rax", "rbx", "rcx", "rdx", "rdi", "memory", "cc");
	/* Limit 0 again: the hand-off keeps the blob's own GDT. */
	ZeroMem(p->gdtr_out, sizeof(p->gdtr_out));
	if (rflags & (1u << 9))
		__asm__ volatile("sti");
}

#endif

/* The hand-off: from 64-bit mode (leaving 5-level paging) or from 32-bit
 * protected mode (entering long mode), on the stub's own stack. */
void stub_longmode_to_kernel(u64 base, const struct boot_info *bi,
			     u64 bi_phys)
{
	struct longmode_params *p = blob_params(base);
	const struct longmode_header *h = blob_header();
	uintptr_t code = (uintptr_t)(base + LONGMODE_BLOB_OFFSET);

	blob_refresh(base);
	params_for_kernel(base, bi, bi_phys, X86_CR4_LA57);
#ifdef __x86_64__
	__asm__ volatile("mov %%rsp, %c[rsp](%[p])\n\t"
			 "mov %[code], %%rbx\n\t"
			 "jmp *%[entry]"
			 :
			 : [p] "r"(p), [code] "r"(code),
			   [entry] "r"(code + h->from64),
			   [rsp] "i"(__builtin_offsetof(struct longmode_params,
							rsp))
			 : "rbx", "memory");
#else
	__asm__ volatile("mov %%esp, %c[rsp](%[p])\n\t"
			 "jmp *%[entry]"
			 :
			 : [p] "r"(p), "b"(code), [entry] "r"(code + h->from32),
			   [rsp] "i"(__builtin_offsetof(struct longmode_params,
							rsp))
			 : "memory");
#endif
	__builtin_unreachable();
}
