; SPDX-License-Identifier: MIT
;
; The AP trampoline, assembled flat (nasm -f bin) for TRAMPOLINE_BASE and
; copied there by kernel/smp.c. Two pages: this code (made read-only and
; executable in the direct map, so trampoline_pgd's 1:1 alias can run it),
; and a data page the BSP fills before each SIPI (struct trampoline_data in
; include/smp.h; the D_* offsets below must match it).
;
; Expects: real mode after INIT-SIPI-SIPI, CS:IP = (TRAMPOLINE_BASE >> 4):0.
; Leaves: 64-bit mode on trampoline_pgd (CR3 must fit 32 bits), EFER.LME
; and the EFER bits the BSP asked for (NXE), RSP = the AP's stack (a late
; mapping), RDI = the argument, calling the kernel entry; never returns.

%ifndef TRAMPOLINE_BASE
%error "TRAMPOLINE_BASE must be defined"
%endif
%define TR_DATA   (TRAMPOLINE_BASE + 0x1000)
%define D_CR3     0
%define D_EFER    4
%define D_STACK   8
%define D_ENTRY   16
%define D_ARG     24

%define CR0_PE    (1 << 0)
; Constants, never ORed into what INIT left (CD and NW survive INIT, SDM
; vol. 3A, 10.1.1); AP_CR0 and AP_CR4 in include/smp.h must match.
%define CR0_REAL  0x00000031		; NE | ET | PE: caches on
%define CR0_LONG  0x80010033		; PG | WP | NE | ET | MP | PE
%define CR4_LONG  0x000000a0		; PGE | PAE
%define MSR_EFER  0xc0000080

org TRAMPOLINE_BASE

bits 16
tr_start:
	cli
	cld
	xor ax, ax
	mov ds, ax			; linear = offset: org is the base
	lgdt [tr_gdt_desc]
	mov eax, CR0_REAL
	mov cr0, eax
	jmp dword 0x08:tr_protected

bits 32
tr_protected:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov eax, CR4_LONG
	mov cr4, eax
	mov eax, [TR_DATA + D_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, [TR_DATA + D_EFER]
	wrmsr
	mov eax, CR0_LONG
	mov cr0, eax			; compatibility mode now
	jmp 0x18:tr_long

bits 64
tr_long:
	mov rsp, [TR_DATA + D_STACK]
	mov rdi, [TR_DATA + D_ARG]
	mov rax, [TR_DATA + D_ENTRY]
	call rax
.hang:
	cli
	hlt
	jmp .hang

; Descriptors with the Accessed bit preset: this page is read-only once
; paging is on, and the CPU would otherwise write that bit.
align 8
tr_gdt:
	dq 0
	dq 0x00cf9b000000ffff		; 0x08: 32-bit code
	dq 0x00cf93000000ffff		; 0x10: data
	dq 0x00af9b000000ffff		; 0x18: 64-bit code
tr_gdt_end:
tr_gdt_desc:
	dw tr_gdt_end - tr_gdt - 1
	dd tr_gdt

	times 4096 - ($ - $$) db 0	; one page; fails to assemble if larger
