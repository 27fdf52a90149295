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
; set the FPU control word and MXCSR (efi/runtime.c, efi_enter). At most
; EFI_THUNK_MAX_ARGS arguments.
; Leaves: RAX = the service's EFI_STATUS; every System V callee-saved
; register as it was.
;
; Fault recovery: before calling, the thunk records its own stack pointer in
; efi_thunk_rsp. If the firmware faults, trap_handler (kernel/traps.c)
; resumes at efi_thunk_fault_resume with that stack and RAX = EFI_ABORTED,
; which unwinds exactly as a normal return would. efi_thunk_rsp is zero
; whenever no firmware call is in progress.

bits 64
default rel

%define EFI_THUNK_MAX_ARGS 10
%define FRAME (32 + 8 * (EFI_THUNK_MAX_ARGS - 4) + 8)

section .text
global efi_thunk_call
global efi_thunk_fault_resume
global efi_thunk_rsp

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
	mov r12, rdi			; fn
	mov r13, rsi			; args
	mov r14, rdx			; nargs
	mov ecx, 4
.stack_args:
	cmp rcx, r14
	jae .reg_args
	mov rax, [r13 + rcx * 8]
	mov [rsp + rcx * 8], rax	; = rsp + 32 + (rcx - 4) * 8
	inc rcx
	jmp .stack_args
.reg_args:
	mov rcx, [r13]
	mov rdx, [r13 + 8]
	mov r8, [r13 + 16]
	mov r9, [r13 + 24]
	call r12
efi_thunk_fault_resume:			; RSP = efi_thunk_rsp, RAX = status
	mov qword [efi_thunk_rsp], 0
	add rsp, FRAME
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .bss.efi_shared nobits alloc noexec write align=8
efi_thunk_rsp:
	resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
