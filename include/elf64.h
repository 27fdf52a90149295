/* SPDX-License-Identifier: MIT */
/* The ELF-64 structures the stub reads (System V gABI, ELF-64 Object File
 * Format 1.5). Only what loading a static executable needs. */
#ifndef VAMAP_ELF64_H
#define VAMAP_ELF64_H

#include "types.h"

#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

compile_assert(elf64_ehdr_size, sizeof(struct elf64_ehdr) == 64);
compile_assert(elf64_phdr_size, sizeof(struct elf64_phdr) == 56);

#endif
