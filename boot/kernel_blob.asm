; SPDX-License-Identifier: MIT
;
; The kernel ELF, embedded in the stub's image so one .efi file is the whole
; system and one Secure Boot signature covers it. KERNEL_ELF is defined by
; the Makefile. gnu-efi's linker script folds .rodata into the PE's .data.
section .rodata progbits alloc noexec nowrite align=4096
global kernel_blob_start
global kernel_blob_end
kernel_blob_start:
	incbin KERNEL_ELF
kernel_blob_end:

section .note.GNU-stack noalloc noexec nowrite progbits
