; SPDX-License-Identifier: MIT
;
; The firmware-call thunk: the one place vamap crosses from the System V
; ABI into the Microsoft x64 ABI that UEFI services use (UEFI 2.10,
; 2.3.4.2: RCX, RDX, R8, R9, then the stack above 32 bytes of shadow space,
; RSP 16-byte aligned at the call).
;
;   u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs)
;
; Expects: the caller has switched CR3 to efi_pgd, disabled interrupts and
; set the FPU control word and MXCSR (efi/runtime.c, efi_enter); at most
; EFI_THUNK_MAX_ARGS arguments; efi_stack_floor either 0 or the bottom of
; the stack the call runs on, and efi_thunk_sse set when CR4.OSFXSR is.
; Leaves: RAX = the service's EFI_STATUS; every System V callee-saved
; register as it was; RFLAGS with DF, IF, AC and TF clear.
;
; Calling-convention checks (include/efi_abi.h): before the call the thunk
; paints [efi_stack_floor, RSP) with EFI_STACK_PAINT and loads RBX, RBP,
; RDI, RSI, R12-R15 (and XMM6-XMM15) with efi_abi_pattern; after it, it
; stores what the firmware returned with in efi_abi_out (valid = 1) before
; touching any of them, and only then restores its own state from the
; stack it saved it on, found again through efi_thunk_rsp, never through
; a register the firmware may have changed.
;
; Fault recovery: if the firmware faults, trap_handler (kernel/traps.c)
; resumes at efi_thunk_fault_resume with RSP = efi_thunk_rsp and RAX =
; EFI_ABORTED, which unwinds exactly as a normal return would (valid = 0).
; efi_thunk_rsp is zero whenever no firmware call is in progress.

bits 64
default rel

; include/efi_abi.h (efi/abi.c asserts they agree)
%define EFI_ABI_OFF_RSP      64
%define EFI_ABI_OFF_FLAGS    72
%define EFI_ABI_OFF_XMM      80
%define EFI_ABI_OFF_WANT_RSP 240
%define EFI_ABI_OFF_VALID    248
%define EFI_STACK_PAINT      0x5641504d53544b21

%define EFI_THUNK_MAX_ARGS 10
%define FRAME (32 + 8 * (EFI_THUNK_MAX_ARGS - 4) + 8)
%define SAVED (5 * 8)			; rbx r12 r13 r14 r15 below rbp

section .text
global efi_thunk_call
global efi_thunk_fault_resume
global efi_thunk_rsp
global efi_abi_out
global efi_stack_floor
global efi_thunk_sse
extern efi_abi_pattern

efi_thunk_call:
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	sub rsp, FRAME			; 5 pushes + FRAME keep RSP 16-aligned
	mov [efi_thunk_rsp], rsp
	mov r11, rdi			; fn
	mov r10, rsi			; args
	mov ecx, 4
.stack_args:
	cmp rcx, rdx
	jae .paint
	mov rax, [r10 + rcx * 8]
	mov [rsp + rcx * 8], rax	; = rsp + 32 + (rcx - 4) * 8
	inc rcx
	jmp .stack_args
.paint:					; [efi_stack_floor, rsp - 8) ← paint
	mov rdi, [efi_stack_floor]	; (rsp - 8 will hold the return address)
	test rdi, rdi
	jz .load
	lea rcx, [rsp - 8]
	sub rcx, rdi
	jbe .load
	shr rcx, 3
	mov rax, EFI_STACK_PAINT
	cld
	rep stosq
.load:
	lea rax, [efi_abi_pattern]
	mov rbx, [rax + 0]
	mov rbp, [rax + 8]
	mov rdi, [rax + 16]
	mov rsi, [rax + 24]
	mov r12, [rax + 32]
	mov r13, [rax + 40]
	mov r14, [rax + 48]
	mov r15, [rax + 56]
	cmp byte [efi_thunk_sse], 0
	je .reg_args
	movdqu xmm6, [rax + EFI_ABI_OFF_XMM + 0 * 16]
	movdqu xmm7, [rax + EFI_ABI_OFF_XMM + 1 * 16]
	movdqu xmm8, [rax + EFI_ABI_OFF_XMM + 2 * 16]
	movdqu xmm9, [rax + EFI_ABI_OFF_XMM + 3 * 16]
	movdqu xmm10, [rax + EFI_ABI_OFF_XMM + 4 * 16]
	movdqu xmm11, [rax + EFI_ABI_OFF_XMM + 5 * 16]
	movdqu xmm12, [rax + EFI_ABI_OFF_XMM + 6 * 16]
	movdqu xmm13, [rax + EFI_ABI_OFF_XMM + 7 * 16]
	movdqu xmm14, [rax + EFI_ABI_OFF_XMM + 8 * 16]
	movdqu xmm15, [rax + EFI_ABI_OFF_XMM + 9 * 16]
.reg_args:
	mov rcx, [r10]
	mov rdx, [r10 + 8]
	mov r8, [r10 + 16]
	mov r9, [r10 + 24]
	call r11
	; What the firmware returned with, before anything changes it.
	mov [efi_abi_out + 0], rbx
	mov [efi_abi_out + 8], rbp
	mov [efi_abi_out + 16], rdi
	mov [efi_abi_out + 24], rsi
	mov [efi_abi_out + 32], r12
	mov [efi_abi_out + 40], r13
	mov [efi_abi_out + 48], r14
	mov [efi_abi_out + 56], r15
	mov [efi_abi_out + EFI_ABI_OFF_RSP], rsp
	mov rsp, [efi_thunk_rsp]	; our stack, whatever RSP came back
	pushfq
	pop qword [efi_abi_out + EFI_ABI_OFF_FLAGS]
	push 2				; DF, IF, AC, TF clear (IF: efi_leave)
	popfq
	cmp byte [efi_thunk_sse], 0
	je .returned
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 0 * 16], xmm6
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 1 * 16], xmm7
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 2 * 16], xmm8
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 3 * 16], xmm9
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 4 * 16], xmm10
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 5 * 16], xmm11
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 6 * 16], xmm12
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 7 * 16], xmm13
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 8 * 16], xmm14
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM + 9 * 16], xmm15
.returned:
	mov qword [efi_abi_out + EFI_ABI_OFF_VALID], 1
	jmp thunk_unwind
efi_thunk_fault_resume:			; RSP = efi_thunk_rsp, RAX = status
	push 2
	popfq
	mov qword [efi_abi_out + EFI_ABI_OFF_VALID], 0
thunk_unwind:
	mov r11, [efi_thunk_rsp]	; RSP once the return address is popped
	mov [efi_abi_out + EFI_ABI_OFF_WANT_RSP], r11
	mov qword [efi_thunk_rsp], 0
	add rsp, FRAME
	lea rbp, [rsp + SAVED]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .bss.efi_shared nobits alloc noexec write align=16
efi_thunk_rsp:
	resq 1
efi_stack_floor:
	resq 1
efi_thunk_sse:
	resq 1
alignb 16
efi_abi_out:
	resb EFI_ABI_OFF_VALID + 8

section .note.GNU-stack noalloc noexec nowrite progbits
