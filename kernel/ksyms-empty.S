/* SPDX-License-Identifier: MIT */
/* The first link's symbol table: empty (tools/ksyms.py, Makefile). */
	.section .rodata.ksyms,"a"
	.balign 8
	.globl ksyms_count
ksyms_count:
	.quad 0
	.globl ksyms_table
ksyms_table:
	.globl ksyms_names
ksyms_names:
	.byte 0
	.section .note.GNU-stack,"",@progbits
