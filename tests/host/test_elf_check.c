// SPDX-License-Identifier: MIT
// sources: boot/elf_check.c
/*
 * The stub's ELF validator against a valid hand-made image, at least one
 * malformed image per rule, every truncation, seeded random corruption
 * (ASan catches any read outside the buffer), and the real kernel.elf.
 */
#include "check.h"
#include "elf_check.h"
#include "layout.h"

#define LO KERNEL_VIRT_BASE
#define HI (KERNEL_VIRT_BASE + KERNEL_MAX_SIZE)
#define IMG_SIZE 0x4000

static _Alignas(4096) unsigned char img[IMG_SIZE];

static struct elf64_ehdr *eh(void)
{
	return (struct elf64_ehdr *)img;
}

static struct elf64_phdr *ph(int i)
{
	return (struct elf64_phdr *)(img + sizeof(struct elf64_ehdr)) + i;
}

/* A valid image: text RX, rodata R, data RW with bss, a note header. */
static void make_valid(void)
{
	memset(img, 0, sizeof(img));
	memcpy(eh()->e_ident, "\177ELF", 4);
	eh()->e_ident[EI_CLASS] = ELFCLASS64;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = LO + 0x10;
	eh()->e_phoff = sizeof(struct elf64_ehdr);
	eh()->e_ehsize = sizeof(struct elf64_ehdr);
	eh()->e_phentsize = sizeof(struct elf64_phdr);
	eh()->e_phnum = 4;
	*ph(0) = (struct elf64_phdr){ PT_LOAD, PF_R | PF_X, 0x1000, LO, LO,
				      0x1000, 0x1000, 0x1000 };
	*ph(1) = (struct elf64_phdr){ PT_LOAD, PF_R, 0x2000, LO + 0x1000,
				      LO + 0x1000, 0x800, 0x1000, 0x1000 };
	*ph(2) = (struct elf64_phdr){ PT_LOAD, PF_R | PF_W, 0x3000, LO + 0x2000,
				      LO + 0x2000, 0x100, 0x5000, 0x1000 };
	*ph(3) = (struct elf64_phdr){ 4 /* PT_NOTE */, PF_R, 0x3f00, 0, 0,
				      0x10, 0x10, 4 };
}

static int check(u64 size, const char **why, int *bad)
{
	struct elf_image out;

	return elf_check(img, size, LO, HI, &out, why, bad);
}

/* The image as modified must be refused with this reason and index. */
static void expect_bad(const char *want, int want_index)
{
	const char *why;
	int bad;

	CHECK_EQ(check(IMG_SIZE, &why, &bad), -EINVAL);
	CHECK_STR(why, want);
	CHECK_EQ(bad, want_index);
}

static void test_valid(void)
{
	struct elf_image out;
	const char *why;
	int bad;

	make_valid();
	CHECK_EQ(elf_check(img, IMG_SIZE, LO, HI, &out, &why, &bad), 0);
	CHECK_EQ(out.vbase, LO);
	CHECK_EQ(out.vend, LO + 0x7000);
	CHECK_EQ(out.entry, LO + 0x10);
	CHECK_EQ(out.nr_load, 3);
	CHECK(why == NULL);
}

static void test_bad_header(void)
{
	make_valid(); img[1] = 'X';			expect_bad("bad ELF magic", -1);
	make_valid(); img[EI_CLASS] = 1;		expect_bad("not a 64-bit ELF (EI_CLASS)", -1);
	make_valid(); img[EI_DATA] = 2;			expect_bad("not little-endian (EI_DATA)", -1);
	make_valid(); eh()->e_version = 0;		expect_bad("unknown ELF version", -1);
	make_valid(); eh()->e_type = 3 /* ET_DYN */;	expect_bad("not an executable (e_type)", -1);
	make_valid(); eh()->e_machine = 3 /* i386 */;	expect_bad("not an x86-64 image (e_machine)", -1);
	make_valid(); eh()->e_phentsize = 32;		expect_bad("unexpected program header size", -1);
	make_valid(); eh()->e_phnum = 0;		expect_bad("no program headers", -1);
	make_valid(); eh()->e_phnum = ELF_MAX_PHDRS + 1; expect_bad("too many program headers", -1);
	make_valid(); eh()->e_phoff = IMG_SIZE - 8;	expect_bad("program headers outside the image", -1);
	make_valid(); eh()->e_phoff = ~0ULL - 8;	expect_bad("program headers outside the image", -1);
	make_valid(); eh()->e_phoff = 65;		expect_bad("program headers misaligned", -1);
}

static void test_bad_segments(void)
{
	make_valid(); ph(1)->p_filesz = 0x2000;		expect_bad("segment file size exceeds memory size", 1);
	make_valid(); ph(2)->p_offset = IMG_SIZE - 0x80; expect_bad("segment data outside the image", 2);
	make_valid(); ph(0)->p_offset = ~0ULL - 0x10;	expect_bad("segment data outside the image", 0);
	make_valid(); ph(2)->p_memsz = ~0ULL;		expect_bad("segment wraps the address space", 2);
	make_valid(); ph(1)->p_memsz = 0; ph(1)->p_filesz = 0; expect_bad("empty loadable segment", 1);
	make_valid(); ph(1)->p_vaddr += 0x10;		expect_bad("segment not page-aligned", 1);
	make_valid(); ph(0)->p_vaddr = LO - 0x1000;	expect_bad("segment outside the kernel's link range", 0);
	make_valid(); ph(2)->p_vaddr = HI - 0x1000;	expect_bad("segment outside the kernel's link range", 2);
	make_valid(); ph(1)->p_vaddr = LO;		expect_bad("segments overlap", 1);
	make_valid(); ph(2)->p_vaddr = LO - 0x0;	expect_bad("segments overlap", 2);
}

static void test_bad_entry_and_loads(void)
{
	make_valid(); eh()->e_entry = LO + 0x1010;	/* rodata: not executable */
	expect_bad("entry point not inside an executable segment", -1);
	make_valid(); eh()->e_entry = LO + 0x100000;	/* in no segment */
	expect_bad("entry point not inside an executable segment", -1);
	make_valid(); ph(0)->p_type = ph(1)->p_type = ph(2)->p_type = 6;
	expect_bad("no loadable segment", -1);
}

static void test_null_image(void)
{
	struct elf_image out;
	const char *why;
	int bad;

	CHECK_EQ(elf_check(NULL, 100, LO, HI, &out, &why, &bad), -EINVAL);
	CHECK_STR(why, "no image");
}

/* Every prefix of a valid image: refused (or accepted) without reading
 * past its end; ASan watches a heap copy of exactly that size. */
static void test_every_truncation(void)
{
	const char *why;
	int bad;
	u64 n;

	make_valid();
	for (n = 0; n <= IMG_SIZE; n++) {
		unsigned char *copy = malloc(n ? n : 1);
		struct elf_image out;
		int r;

		memcpy(copy, img, n);
		r = elf_check(copy, n, LO, HI, &out, &why, &bad);
		/* Valid once the last PT_LOAD's file data (ends 0x3100) is in. */
		CHECK_EQ(r == 0, n >= 0x3100);
		free(copy);
	}
}

/* Seeded random corruption of the headers: never a crash, and every
 * acceptance satisfies the documented guarantees. */
static void test_random_corruption(void)
{
	unsigned int seed = 12345, i, k;

	for (i = 0; i < 20000; i++) {
		struct elf_image out;
		const char *why;
		int bad, r;

		make_valid();
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			img[(seed >> 8) % (64 + 4 * 56)] ^= (u8)(1u << ((seed >> 20) % 8));
		}
		r = elf_check(img, IMG_SIZE, LO, HI, &out, &why, &bad);
		if (r == 0) {
			CHECK(out.vbase >= LO && out.vend <= HI);
			CHECK(out.entry >= out.vbase && out.entry < out.vend);
		} else {
			CHECK(why != NULL);
		}
	}
}

/* The kernel the Makefile builds must pass the same check the stub makes. */
static void test_real_kernel(void)
{
	FILE *f = fopen("build/kernel.elf", "rb");
	struct elf_image out;
	unsigned char *buf;
	const char *why;
	long n;
	int bad;

	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	CHECK_EQ(elf_check(buf, (u64)n, LO, HI, &out, &why, &bad), 0);
	CHECK_EQ(out.vbase, KERNEL_VIRT_BASE);
	CHECK_EQ(out.nr_load, 3);
	if (why)
		fprintf(stderr, "kernel.elf: %s (%d)\n", why, bad);
	free(buf);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_bad_header);
	RUN(test_bad_segments);
	RUN(test_bad_entry_and_loads);
	RUN(test_null_image);
	RUN(test_every_truncation);
	RUN(test_random_corruption);
	RUN(test_real_kernel);
	return check_exit();
}
