; SPDX-License-Identifier: MIT
;
; The AP trampoline, assembled flat (nasm -f bin) for TRAMPOLINE_BASE and
; copied there by kernel/smp.c. Two pages: this code (made read-only and
; executable in the direct map, so trampoline_pgd's 1:1 alias can run it),
; and a data page the BSP fills before each SIPI (struct trampoline_data in
; include/smp.h, the GDT loaded here included; the D_* offsets below must
; match it, and the selectors kernel/gdt.c's TR_GDT_* slots).
;
; Expects: real mode after INIT-SIPI-SIPI, CS:IP = (TRAMPOLINE_BASE >> 4):0.
; First, with no stack and nothing of the data page but its claim, the AP
; takes its APIC ID from CPUID and claims the page with it (include/smp.h):
; an AP vamap gave up on, or one that answers while the page holds another
; AP's data, writes its ID and TSC in the late list and parks here.
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
%define D_GDTR    64			; its GDT: kernel/gdt.c, gdt_fill_trampoline
%define D_CLAIM   72			; include/smp.h: the claim
%define D_HOLD    80
%define D_LATE_N  88
%define D_LATE    96			; 16-byte entries: APIC ID, TSC
%define CLAIM_TAKEN 0xfffffffe
%define LATE_MAX  8

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
.hold:					; test=ap-late: until the TSC passes
	rdtsc
	cmp edx, [TR_DATA + D_HOLD + 4]
	jb .hold
	ja .held
	cmp eax, [TR_DATA + D_HOLD]
	jb .hold
.held:
	xor eax, eax			; this CPU's APIC ID, as kernel/traps.c
	cpuid				; takes it: leaf 0Bh's x2APIC ID where
	cmp eax, 0xb			; the CPU has one, else leaf 1's
	jb .leaf1
	mov eax, 0xb
	xor ecx, ecx
	cpuid
	test ebx, ebx
	jz .leaf1
	mov esi, edx
	jmp .claim
.leaf1:
	mov eax, 1
	cpuid
	shr ebx, 24
	mov esi, ebx
.claim:
	mov eax, esi
	mov ecx, CLAIM_TAKEN
	lock cmpxchg [TR_DATA + D_CLAIM], ecx
	jne .late
	lgdt [TR_DATA + D_GDTR]
	mov eax, CR0_REAL
	mov cr0, eax
	jmp dword 0x08:tr_protected	; TR_GDT_CODE32

.late:					; not this AP's page (any more)
	mov eax, 1
	lock xadd [TR_DATA + D_LATE_N], eax
	cmp eax, LATE_MAX
	jae .park
	shl ax, 4
	mov bx, ax
	mov [bx + TR_DATA + D_LATE], esi
	rdtsc
	mov [bx + TR_DATA + D_LATE + 8], eax
	mov [bx + TR_DATA + D_LATE + 12], edx
.park:
	cli
	hlt
	jmp .park

bits 32
tr_protected:
	mov ax, 0x10			; TR_GDT_DATA
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
	jmp 0x18:tr_long		; TR_GDT_CODE64

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

	times 4096 - ($ - $$) db 0	; one page; fails to assemble if larger
