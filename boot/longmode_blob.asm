; SPDX-License-Identifier: MIT
;
; The mode-switch code (boot/longmode.asm, assembled flat), embedded in the
; stub; boot/longmode.c copies it below 4 GiB before it runs. LONGMODE_BIN
; is defined by the Makefile.
section .rodata progbits alloc noexec nowrite align=16
global longmode_blob_start
global longmode_blob_end
longmode_blob_start:
	incbin LONGMODE_BIN
longmode_blob_end:

section .note.GNU-stack noalloc noexec nowrite progbits
