/* SPDX-License-Identifier: MIT */
#ifndef VAMAP_BOOT_ELF_CHECK_H
#define VAMAP_BOOT_ELF_CHECK_H

#include "elf64.h"

#define ELF_MAX_PHDRS 32

/* What a valid kernel image looks like to the loader. */
struct elf_image {
	u64 vbase;  /* lowest PT_LOAD vaddr (page-aligned) */
	u64 vend;   /* highest PT_LOAD vaddr + memsz */
	u64 entry;
	unsigned int nr_load; /* PT_LOAD segments */
};

/*
 * Check that the @size bytes at @img are a kernel the stub can load: an
 * x86-64 little-endian ELF-64 executable whose program headers lie inside
 * the image, whose PT_LOAD segments lie inside the image, are page-aligned,
 * sit inside [@link_lo, @link_hi) and do not overlap, and whose entry point
 * lies inside an executable segment. Never reads outside [img, img+size).
 *
 * Returns 0 and fills @out, or -EINVAL with @why set to a sentence naming
 * what is wrong (and, for a segment, which one through @bad_index, else -1).
 */
int elf_check(const void *img, u64 size, u64 link_lo, u64 link_hi,
	      struct elf_image *out, const char **why, int *bad_index);

#endif
