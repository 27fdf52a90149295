; SPDX-License-Identifier: MIT
;
; Leave and re-enter long mode: the one piece of code that turns paging off
; and on again, for every hand-off that needs it (include/longmode.h).
;
; - The 64-bit stub on firmware that runs with 5-level paging (CR4.LA57 = 1)
;   cannot load a 4-level init_pg_dir: LA57 changes only while CR0.PG = 0
;   (SDM vol. 3A, 4.1.2), and paging cannot be turned off in 64-bit mode. It
;   enters here at from64: to compatibility mode, paging off, LA57 off, a
;   4-level table, paging on, back to 64-bit mode, into the kernel.
; - test=la57-enter takes the same path the other way first (LA57 on, a
;   5-level table over the firmware's own) and returns to the stub.
; - The 32-bit stub (BOOTIA32.EFI) enters at from32 from protected mode:
;   paging off, PAE, EFER.LME, a 4-level table, paging on, 64-bit mode.
;
; A flat binary the stub copies into pages below 4 GiB that every table
; involved maps 1:1 (RAM the firmware gave it as LoaderCode):
;
;   base + 0x0000  the hand-off's temporary PML4 (a copy of init_pg_dir's),
;                  which the 32-bit code can load: CR3 is 32 bits wide there
;   base + 0x1000  this blob: the header below, then the code and its GDT
;   base + 0x2000  test=la57-enter's PML5, over the firmware's PML4
;
; The stub fills the parameters; the code finds them through RBX/EBX, the
; blob's address, and uses no stack between leaving and re-entering 64-bit
; mode. Interrupts stay off throughout; an NMI in the window, with no IDT
; that fits the mode, would be fatal, as in every OS's mode switch.

%define CR0_PE		(1 << 0)
%define CR0_PG		(1 << 31)
%define CR4_PAE		(1 << 5)
%define CR4_PCIDE	(1 << 17)
%define CR4_CET		(1 << 23)
%define MSR_EFER	0xc0000080
%define EFER_LME	(1 << 8)

%define SEL_CS32	0x08
%define SEL_DS		0x10
%define SEL_CS64	0x18

bits 64
org 0

; The header, struct longmode_blob in include/longmode.h: where each entry
; is, where the stub writes what the code reads.
header:
	dd 0x4d4c4d56			; "VMLM"
	dd from64 - header
	dd from32 - header
	dd params - header
	dd gdtr - header		; the stub writes base + these three
	dd gdt - header
	dd far32 - header
	dd pm32_reload - header
	dd far64 - header
	dd lm64 - header

align 8
; struct longmode_params: filled by the stub before it jumps in.
params:
.cr3_temp:	dq 0	; 0: the table at base + 0x0000; CR3 while PG goes on
.cr4_clear:	dq 0	; CR4 bits to clear with paging off
.cr4_set:	dq 0	; and to set (PAE always; LA57 to enter 5-level)
.cr3_final:	dq 0	; loaded back in 64-bit mode, 0: keep cr3_temp
.entry:		dq 0	; where to go in 64-bit mode
.rdi:		dq 0	; with this in RDI
.rsp:		dq 0	; and this stack
.cs_out:	dq 0	; through a far return to this code selector
.ss_out:	dq 0	; with this in SS, DS and ES
.gdtr_out:	dw 0	; limit 0: keep this blob's GDT
		dq 0
		dw 0, 0, 0

; The Accessed bits are set: loading a selector would otherwise make the
; CPU write them here, and boot/longmode.c compares these bytes with the
; stub's copy before each use to see whether anything wrote over them.
align 8
gdt:
	dq 0
	dq 0x00cf9b000000ffff		; 0x08: 32-bit code, flat
	dq 0x00cf93000000ffff		; 0x10: data, flat
	dq 0x00af9b000000ffff		; 0x18: 64-bit code
gdt_end:
gdtr:
	dw gdt_end - gdt - 1
	dd 0				; base + gdt, written by the stub
	dd 0
far32:	dd 0				; base + pm32_reload
	dw SEL_CS32
far64:	dd 0				; base + lm64
	dw SEL_CS64

; From 64-bit mode: RBX = this blob's address (below 4 GiB), interrupts
; off. Compatibility mode first: paging can only be turned off there.
from64:
	; Neither may stay set while paging goes off (SDM vol. 3A, 4.10.1:
	; clearing CR0.PG with CR4.PCIDE set is a #GP); neither is vamap's.
	mov rax, cr4
	and rax, ~(CR4_PCIDE | CR4_CET)
	mov cr4, rax
	lgdt [rbx + gdtr - header]
	push SEL_CS32
	lea rax, [rel compat32]
	push rax
	o64 retf

bits 32
compat32:
	mov eax, SEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr0
	and eax, ~CR0_PG		; long mode is off (EFER.LMA = 0)
	mov cr0, eax
	jmp paging_off

; From 32-bit protected mode (BOOTIA32.EFI): EBX = this blob's address.
; The firmware may run with paging on (PAE for its NX pages): a flat
; code segment of our own first, then paging off.
from32:
	cli
	lgdt [ebx + gdtr - header]
	jmp far [ebx + far32 - header]
pm32_reload:
	mov eax, SEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax

; Protected mode, paging off. CR4 as asked, the temporary table, long mode
; enabled, paging on: IA-32e mode, still in a 32-bit code segment.
paging_off:
	mov eax, cr4
	mov ecx, [ebx + params.cr4_clear - header]
	not ecx
	and eax, ecx
	or eax, [ebx + params.cr4_set - header]
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [ebx + params.cr3_temp - header]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_PE
	mov cr0, eax
	jmp far [ebx + far64 - header]

bits 64
lm64:
	mov ebx, ebx			; the upper half is undefined after 32-bit code
	mov rax, [rbx + params.cr3_final - header]
	test rax, rax
	jz .keep_cr3
	mov cr3, rax
.keep_cr3:
	cmp word [rbx + params.gdtr_out - header], 0
	je .keep_gdt
	lgdt [rbx + params.gdtr_out - header]
.keep_gdt:
	mov rax, [rbx + params.ss_out - header]
	mov ss, ax
	mov ds, ax
	mov es, ax
	mov rsp, [rbx + params.rsp - header]
	mov rdi, [rbx + params.rdi - header]
	push qword [rbx + params.cs_out - header]
	push qword [rbx + params.entry - header]
	o64 retf
