// SPDX-License-Identifier: MIT
/*
 * Validation of the embedded kernel ELF. Runs in the stub before anything
 * is loaded and in the host tests on hand-made malformed images; it uses
 * only what is in this file, so both builds see the same code.
 */
#include "elf_check.h"

/* a + b without wrapping past 2^64; false if it would. */
static bool add_ok(u64 a, u64 b, u64 *sum)
{
	*sum = a + b;
	return *sum >= a;
}

static const struct elf64_phdr *phdr(const void *img,
				     const struct elf64_ehdr *eh, unsigned int i)
{
	return (const struct elf64_phdr *)((const u8 *)img + eh->e_phoff +
					   (u64)i * eh->e_phentsize);
}

static int fail(const char **why, int *bad_index, const char *msg, int index)
{
	*why = msg;
	*bad_index = index;
	return -EINVAL;
}

static int check_header(const struct elf64_ehdr *eh, u64 size, const char **why,
			int *bad)
{
	u64 table, end;

	if (size < sizeof(*eh))
		return fail(why, bad, "image smaller than an ELF header", -1);
	if (eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
	    eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F')
		return fail(why, bad, "bad ELF magic", -1);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(why, bad, "not a 64-bit ELF (EI_CLASS)", -1);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(why, bad, "not little-endian (EI_DATA)", -1);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(why, bad, "unknown ELF version", -1);
	if (eh->e_type != ET_EXEC)
		return fail(why, bad, "not an executable (e_type)", -1);
	if (eh->e_machine != EM_X86_64)
		return fail(why, bad, "not an x86-64 image (e_machine)", -1);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fail(why, bad, "unexpected program header size", -1);
	if (eh->e_phnum == 0)
		return fail(why, bad, "no program headers", -1);
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return fail(why, bad, "too many program headers", -1);
	table = (u64)eh->e_phnum * eh->e_phentsize;
	if (!add_ok(eh->e_phoff, table, &end) || end > size)
		return fail(why, bad, "program headers outside the image", -1);
	if (eh->e_phoff % 8)
		return fail(why, bad, "program headers misaligned", -1);
	return 0;
}

static int check_segment(const struct elf64_phdr *ph, u64 size, u64 link_lo,
			 u64 link_hi, int i, const char **why, int *bad)
{
	u64 fend, vend;

	if (ph->p_filesz > ph->p_memsz)
		return fail(why, bad, "segment file size exceeds memory size", i);
	if (!add_ok(ph->p_offset, ph->p_filesz, &fend) || fend > size)
		return fail(why, bad, "segment data outside the image", i);
	if (!add_ok(ph->p_vaddr, ph->p_memsz, &vend))
		return fail(why, bad, "segment wraps the address space", i);
	if (ph->p_memsz == 0)
		return fail(why, bad, "empty loadable segment", i);
	if (ph->p_vaddr % 4096)
		return fail(why, bad, "segment not page-aligned", i);
	if (ph->p_vaddr < link_lo || vend > link_hi)
		return fail(why, bad, "segment outside the kernel's link range", i);
	return 0;
}

int elf_check(const void *img, u64 size, u64 link_lo, u64 link_hi,
	      struct elf_image *out, const char **why, int *bad_index)
{
	const struct elf64_ehdr *eh = img;
	bool entry_ok = false;
	unsigned int i, j;
	int ret;

	*why = NULL;
	*bad_index = -1;
	if (!img)
		return fail(why, bad_index, "no image", -1);
	ret = check_header(eh, size, why, bad_index);
	if (ret)
		return ret;

	out->vbase = ~0ULL;
	out->vend = 0;
	out->entry = eh->e_entry;
	out->nr_load = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = phdr(img, eh, i);

		if (ph->p_type != PT_LOAD)
			continue;
		ret = check_segment(ph, size, link_lo, link_hi, (int)i, why,
				    bad_index);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			const struct elf64_phdr *q = phdr(img, eh, j);

			if (q->p_type == PT_LOAD &&
			    ph->p_vaddr < q->p_vaddr + q->p_memsz &&
			    q->p_vaddr < ph->p_vaddr + ph->p_memsz)
				return fail(why, bad_index,
					    "segments overlap", (int)i);
		}
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry < ph->p_vaddr + ph->p_memsz)
			entry_ok = true;
		out->vbase = MIN(out->vbase, ph->p_vaddr);
		out->vend = MAX(out->vend, ph->p_vaddr + ph->p_memsz);
		out->nr_load++;
	}
	if (!out->nr_load)
		return fail(why, bad_index, "no loadable segment", -1);
	if (!entry_ok)
		return fail(why, bad_index,
			    "entry point not inside an executable segment", -1);
	return 0;
}
