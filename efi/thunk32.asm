; SPDX-License-Identifier: MIT
;
; The 32-bit call path (issue 28; docs/decisions.md, "The 32-bit call
; path"): how efi/thunk.asm calls a runtime service of 32-bit (IA32)
; firmware. The thunk stays the one place that saves, checks and restores
; the CPU around a call; on 32-bit firmware the function it calls is this
; page, run at its alias below 4 GiB in efi_pgd (efi/fw32.c), which
; drops to compatibility mode, calls the service with the IA32 C calling
; convention (UEFI 2.10 2.3.2: arguments on the stack, EAX, ECX and EDX
; volatile, EBX, EBP, ESI and EDI preserved), and comes back.
;
; Called by efi_thunk_call as a Microsoft x64 function of the arguments
; efi/fw32.c prepared: RCX = the service's 32-bit address, RDX = the
; number of 32-bit argument words, R8, R9 and the stack (from [RSP + 40])
; the words themselves. RSP is on the low alias of efi_fw_stack, 16-aligned
; at the call, as the thunk leaves it (efi_call_stack is the alias).
;
; The 32-bit frame lies FRAME32 bytes below the thunk's RSP at the call:
; the argument words from there up, the return address (this page's
; 32-bit way back) under them, ESP 16-aligned at the service's entry plus
; the return address, as a 32-bit caller leaves it. After the service's
; RET, ESP is the frame's start again; RSP = ESP + FRAME32 is what the
; thunk records as the RSP the service returned with, so efi.abi names a
; service that did not keep its stack.
;
; The way back depends on nothing the firmware can write: the code is this
; page (mapped read-only and executable in efi_pgd), the selectors and the
; thunk's address are immediates, and the 64-bit return address the
; thunk's CALL left on the stack is not used: it jumps to
; efi_thunk_returned, which takes RSP from efi_thunk_rsp as after any
; call. The upper halves of the general registers are undefined after a
; switch from compatibility mode (SDM vol. 1, 3.4.1.1): RBX, RBP, RDI
; and RSI get efi_abi_pattern back where their lower halves came back
; intact (so the thunk's comparison still names a 32-bit service that
; changed EBX, EBP, ESI or EDI), R12-R15, out of a 32-bit service's
; reach, get it back always. EFI_STATUS is 32 bits wide: its error bit
; (31) becomes bit 63. A service that loaded a GDT of its own cannot
; derail the far return to 64-bit mode: the way back loads this page's
; copy of vamap's selectors first, and puts the service's GDTR (as a
; 32-bit SGDT reads it) back only when it differs from vamap's, for the
; thunk to take and efi.abi to name.

bits 64

%define KERNEL_CS   0x08	; include/gdt.h, asserted in kernel/gdt.c
%define KERNEL_DS   0x10
%define KERNEL_CS32 0x28
%define FRAME32     96		; the 32-bit frame's depth below it
%define CPU_GDTR    38		; include/efi_abi.h: efi_abi_cpu's GDTR

extern efi_abi_pattern
extern efi_thunk_returned
extern efi_thunk_want

; %1 (lower half %2) gets efi_abi_pattern's quadword at R11 + %3 back
; when its lower half came back as the pattern's; else it keeps what the
; service left, for efi.abi to name.
%macro PATTERN_IF_KEPT 3
	cmp %2, [r11 + %3]
	jne %%kept
	mov %1, [r11 + %3]
%%kept:
%endmacro

; For efi/fw32.c to check against EFI_FW32_FRAME and EFI_CPU_OFF_GDTR.
global efi32_frame_bytes, efi32_gdtr_off
efi32_frame_bytes equ FRAME32
efi32_gdtr_off equ CPU_GDTR

section .text.efi32 progbits alloc exec nowrite align=4096
global efi32_page
global efi32_entry
global efi32_page_end
efi32_page:
efi32_entry:
	lea r10, [rsp + 8 - FRAME32]	; the 32-bit frame: the thunk's RSP - 96
	mov [r10], r8d			; words 0 and 1 (written even when fewer:
	mov [r10 + 4], r9d		;   the frame has room)
	mov r11d, 2
.copy:					; words 2.. from the 64-bit stack arguments
	cmp r11, rdx
	jae .copied
	mov eax, [rsp + r11 * 8 + 24]	; the thunk's argument r11 + 2
	mov [r10 + r11 * 4], eax
	inc r11
	jmp .copy
.copied:
	lea rax, [rel efi32_ret]	; this page's alias: RIP-relative
	mov [r10 - 4], eax
	mov eax, KERNEL_DS		; flat data for the 32-bit code (64-bit
	mov ds, eax			;   mode ignores DS and ES; compatibility
	mov es, eax			;   mode does not)
	mov ss, eax
	lea rsp, [r10 - 4]
	push KERNEL_CS32
	push rcx
	o64 retf			; CS32:the service, ESP at the return address

bits 32
efi32_ret:				; the service's RET: compatibility mode
	; The far return below reads the GDT, which the service may have
	; replaced (LGDT): this page's own GDT first, the service's GDTR
	; kept on the stack for the 64-bit part to judge.
	call .here			; where this page is, from EIP
.here:
	pop ecx				; ESP is E again: where the RET left it
	sub esp, 16
	sgdt [esp]			; the service's: limit, 32-bit base
	lea edx, [ecx + efi32_gdt - .here]
	mov word [esp + 8], EFI32_GDT_SIZE - 1
	mov [esp + 10], edx
	lgdt [esp + 8]
	add ecx, efi32_back - .here
	push KERNEL_CS
	push ecx
	retf				; ESP = E - 16

bits 64
efi32_back:				; 64-bit mode again
	mov esp, esp			; its upper half: zero, not undefined
	mov ecx, KERNEL_DS		; this page's GDT still
	mov ss, ecx
	movzx ecx, word [rsp]		; the service's GDTR
	mov edx, [rsp + 2]
	add rsp, 16 + FRAME32		; E + 96: the RSP of the call if E is
	mov r11, efi_thunk_want		;   where the frame started
	cmp cx, [r11 + CPU_GDTR]
	jne .gdtr_changed
	cmp edx, [r11 + CPU_GDTR + 2]	; the low half of vamap's base: all a
	jne .gdtr_changed		;   32-bit SGDT sees
	lgdt [r11 + CPU_GDTR]		; vamap's, unchanged
	jmp .gdtr_done
.gdtr_changed:				; the service's, zero-extended, for the
	sub rsp, 16			;   thunk to take as left and name
	mov [rsp], cx
	mov [rsp + 2], rdx
	lgdt [rsp]
	add rsp, 16
.gdtr_done:
	mov eax, eax			; EFI_STATUS: bit 31 -> bit 63
	btr rax, 31
	jnc .status
	bts rax, 63
.status:
	mov r11, efi_abi_pattern	; absolute: this page runs at an alias
	PATTERN_IF_KEPT rbx, ebx, 0
	PATTERN_IF_KEPT rbp, ebp, 8
	PATTERN_IF_KEPT rdi, edi, 16
	PATTERN_IF_KEPT rsi, esi, 24
	mov r12, [r11 + 32]
	mov r13, [r11 + 40]
	mov r14, [r11 + 48]
	mov r15, [r11 + 56]
	mov r11, efi_thunk_returned
	jmp r11

; This page's GDT: vamap's selectors (include/gdt.h) for the way back,
; Accessed preset (the page is read-only).
align 8
efi32_gdt:
	dq 0
	dq 0x00af9b000000ffff		; KERNEL_CS: 64-bit code
	dq 0x00cf93000000ffff		; KERNEL_DS
	dq 0, 0				; the TSS's two slots: not used here
	dq 0x00cf9b000000ffff		; KERNEL_CS32
EFI32_GDT_SIZE equ $ - efi32_gdt
efi32_page_end:
	times 4096 - (efi32_page_end - efi32_page) db 0xcc

section .note.GNU-stack noalloc noexec nowrite progbits
