; SPDX-License-Identifier: MIT
;
; The firmware-call thunk: the one place vamap crosses from the System V
; ABI into the Microsoft x64 ABI that UEFI services use (UEFI 2.10,
; 2.3.4.2: RCX, RDX, R8, R9, then the stack above 32 bytes of shadow space,
; RSP 16-byte aligned at the call).
;
;   u64 efi_thunk_call(u64 fn, const u64 *args, u64 nargs)
;
; Expects: the caller has disabled interrupts and set the FPU control word
; and MXCSR (efi/runtime.c, efi_enter), filled efi_thunk_want with the
; system state it calls with (CR3 = efi_pgd), efi_thunk_home_cr3 with its
; own table and efi_thunk_flush when efi_pgd is strict (the kernel's global
; TLB entries are flushed after efi_pgd is loaded); at
; most EFI_THUNK_MAX_ARGS arguments; efi_call_stack either the top of the
; stack the firmware runs on (efi_fw_stack_top, painted by efi/abi_check.c)
; or 0 to call on the current stack (a call made from a trap handler), and
; efi_thunk_sse set when CR4.OSFXSR is.
;
; The firmware's frame: on efi_fw_stack the return address, the 32 bytes
; of home space and the stack arguments end at the stack's top, under an
; unmapped page, so a service that writes or reads above its own frame
; faults there (RSP 16-aligned at the call leaves one spare quadword when
; the arguments are an odd number past four).
; Leaves: RAX = the service's EFI_STATUS; every System V callee-saved
; register as it was; RFLAGS with DF, IF, AC and TF clear; CR3 =
; efi_thunk_home_cr3; CR0, CR4, EFER, GDTR and IDTR as efi_thunk_want has
; them.
;
; CR3 is efi_pgd only on the firmware-call stack, from right after the
; switch to it until right after the call (or the fault that ended it):
; vamap's own stack, which a strict efi_pgd maps read-only, is never
; written under efi_pgd.
;
; Calling-convention checks (include/efi_abi.h): before the call the thunk
; loads RBX, RBP, RDI, RSI, R12-R15 (and XMM6-XMM15; XMM0-XMM5 too, kept
; only by IA32 services, UEFI 2.10 2.3.2) with efi_abi_pattern
; and records the RSP of the call in efi_abi_out.want_rsp. After it, before
; anything of vamap's depends on them, it takes the system state as the
; firmware left it into efi_abi_out.cpu and loads vamap's (efi_thunk_want):
;   1. CR3, with one read (efi_thunk_want's CR3) through the table the
;      firmware left: nothing else can come first, since every store of
;      vamap's goes through CR3;
;   2. the general registers, RSP and RFLAGS, before touching any of them;
;   3. CR0 (TS, EM, WP, ...), CR4 (OSFXSR, ...), EFER, GDTR, IDTR;
;   4. only then XMM6-XMM15: with CR0.TS or EM set, or CR4.OSFXSR clear, a
;      MOVDQU would raise #NM or #UD in vamap.
; A firmware that clears EFER.NXE cannot get this far: its own RET reads a
; stack page whose entry has bit 63 set, a reserved bit once NXE is clear
; (SDM vol. 3A 4.5), and so does the IDT's page when that fault is taken.
; Its own state is restored from the stack it saved it on, found again
; through efi_thunk_rsp, never through a register the firmware may have
; changed.
;
; Fault recovery: if the firmware faults, trap_handler (kernel/traps.c)
; resumes at efi_thunk_fault_resume with RSP = efi_thunk_rsp and RAX =
; EFI_ABORTED; the system state is taken and put back as after a return
; (what the firmware left at the fault), then it unwinds as a normal return
; would (valid = 0). efi_thunk_rsp is zero whenever no firmware call is in
; progress.

bits 64
default rel

; include/efi_abi.h (efi/abi.c asserts they agree)
%define EFI_ABI_OFF_RSP      64
%define EFI_ABI_OFF_FLAGS    72
%define EFI_ABI_OFF_XMM      80
%define EFI_ABI_OFF_WANT_RSP 240
%define EFI_ABI_OFF_VALID    248
%define EFI_ABI_OFF_CPU      256
%define EFI_ABI_OFF_XMM_IA32 328
%define EFI_ABI_SIZE         (EFI_ABI_OFF_XMM_IA32 + 6 * 16)
%define CPU_CR0  0
%define CPU_CR3  8
%define CPU_CR4  16
%define CPU_EFER 24
%define CPU_GDTR 38
%define CPU_IDTR 54
%define MSR_EFER 0xc0000080
%define CR4_PGE  (1 << 7)
%define FLUSH_IN  1			; efi/internal.h, EFI_THUNK_FLUSH_*
%define FLUSH_OUT 2

%define EFI_THUNK_MAX_ARGS 10
%define SAVED (5 * 8)			; rbx r12 r13 r14 r15 below rbp

section .text
global efi_thunk_call
global efi_thunk_fault_resume
global efi_thunk_returned
global efi_thunk_rsp
global efi_abi_out
global efi_call_stack
global efi_thunk_home_cr3
global efi_thunk_flush
global efi_thunk_sse
extern efi_abi_pattern
extern efi_thunk_want

; CR3 first: take the firmware's into efi_abi_out.cpu, load vamap's own
; table (efi_thunk_home_cr3, the one efi_call ran on) before any write to
; vamap's stack, which a guarded efi_pgd maps read-only; under efi.shared,
; flush the kernel's global entries its read-only top entries cached
; (CR4 as the firmware left it: take_system_state reads it next; without
; PGE the CR3 load flushed them). Clobbers RCX, R10, R11.
%macro TAKE_CR3 0
	mov r11, cr3
	mov r10, [efi_thunk_home_cr3]
	mov cr3, r10
	test byte [efi_thunk_flush], FLUSH_OUT
	jz %%kept
	mov r10, cr4
	test r10, CR4_PGE
	jz %%kept
	mov rcx, r10
	and rcx, ~CR4_PGE
	mov cr4, rcx
	mov cr4, r10
%%kept:
	mov [efi_abi_out + EFI_ABI_OFF_CPU + CPU_CR3], r11
%endmacro

; A control register: take the firmware's, load vamap's if it differs.
; Clobbers R10, R11.
%macro TAKE_CR 2			; register, offset
	mov r11, %1
	mov [efi_abi_out + EFI_ABI_OFF_CPU + %2], r11
	mov r10, [efi_thunk_want + %2]
	cmp r11, r10
	je %%same
	mov %1, r10
%%same:
%endmacro

efi_thunk_call:
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [efi_thunk_rsp], rsp	; vamap's stack, its registers on it
	mov r11, rdi			; fn
	mov r10, rsi			; args
	mov rcx, rdx			; the frame: 8 * max(nargs, 4), 16-aligned
	cmp rcx, 4
	jae .frame
	mov ecx, 4
.frame:
	lea rax, [rcx * 8 + 15]
	and rax, -16
	mov rdi, [efi_call_stack]
	test rdi, rdi
	jnz .switch
	mov rdi, rsp			; this stack: below what it holds
	and rdi, -16
.switch:
	sub rdi, rax
	mov rsp, rdi
	mov [efi_abi_out + EFI_ABI_OFF_WANT_RSP], rsp ; RSP after its RET
	mov rax, [efi_thunk_want + CPU_CR3] ; efi_pgd, from here to the call's
	mov cr3, rax			;   end: vamap's stack out of reach
	test byte [efi_thunk_flush], FLUSH_IN
	jz .stack_args_init
	mov rax, cr4			; and the kernel's global entries
	mov rcx, rax			; (direct map, RW data) out of the TLB
	and rcx, ~CR4_PGE
	mov cr4, rcx
	mov cr4, rax
.stack_args_init:
	mov ecx, 4
.stack_args:
	cmp rcx, rdx
	jae .load
	mov rax, [r10 + rcx * 8]
	mov [rsp + rcx * 8], rax	; = rsp + 32 + (rcx - 4) * 8
	inc rcx
	jmp .stack_args
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
	movdqu xmm0, [rax + EFI_ABI_OFF_XMM_IA32 + 0 * 16] ; volatile on x64,
	movdqu xmm1, [rax + EFI_ABI_OFF_XMM_IA32 + 1 * 16] ;   kept on IA32
	movdqu xmm2, [rax + EFI_ABI_OFF_XMM_IA32 + 2 * 16]
	movdqu xmm3, [rax + EFI_ABI_OFF_XMM_IA32 + 3 * 16]
	movdqu xmm4, [rax + EFI_ABI_OFF_XMM_IA32 + 4 * 16]
	movdqu xmm5, [rax + EFI_ABI_OFF_XMM_IA32 + 5 * 16]
.reg_args:
	mov rcx, [r10]
	mov rdx, [r10 + 8]
	mov r8, [r10 + 16]
	mov r9, [r10 + 24]
	call r11
efi_thunk_returned:			; efi/thunk32.asm comes back here too
	TAKE_CR3
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
	mov qword [efi_abi_out + EFI_ABI_OFF_VALID], 1
	call take_system_state
	cmp byte [efi_thunk_sse], 0
	je thunk_unwind
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
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 0 * 16], xmm0
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 1 * 16], xmm1
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 2 * 16], xmm2
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 3 * 16], xmm3
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 4 * 16], xmm4
	movdqu [efi_abi_out + EFI_ABI_OFF_XMM_IA32 + 5 * 16], xmm5
	jmp thunk_unwind
efi_thunk_fault_resume:			; RSP = efi_thunk_rsp, RAX = status
	TAKE_CR3
	push 2
	popfq
	mov qword [efi_abi_out + EFI_ABI_OFF_VALID], 0
	call take_system_state
thunk_unwind:				; RSP = efi_thunk_rsp
	mov qword [efi_thunk_rsp], 0
	lea rbp, [rsp + SAVED]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; CR0, CR4, EFER, GDTR and IDTR as the firmware left them into
; efi_abi_out.cpu, vamap's loaded; CR3 is vamap's already. Keeps RAX.
take_system_state:
	TAKE_CR cr0, CPU_CR0
	TAKE_CR cr4, CPU_CR4
	mov r8, rax
	mov ecx, MSR_EFER
	rdmsr
	shl rdx, 32
	or rax, rdx
	mov [efi_abi_out + EFI_ABI_OFF_CPU + CPU_EFER], rax
	cmp rax, [efi_thunk_want + CPU_EFER]
	je .efer_same
	mov rax, [efi_thunk_want + CPU_EFER]
	mov rdx, rax
	shr rdx, 32
	wrmsr
.efer_same:
	sgdt [efi_abi_out + EFI_ABI_OFF_CPU + CPU_GDTR]
	sidt [efi_abi_out + EFI_ABI_OFF_CPU + CPU_IDTR]
	lgdt [efi_thunk_want + CPU_GDTR]
	lidt [efi_thunk_want + CPU_IDTR]
	mov rax, r8
	ret

; The thunk's own state: written only under vamap's table, so in
; .bss.unwatched (efi/kguard.c's copy does not watch it, which it changes
; during the call); a strict efi_pgd maps it read-only: a firmware cannot
; redirect where the thunk returns, or to which table.
section .bss.unwatched nobits alloc noexec write align=16
efi_thunk_rsp:
	resq 1
efi_call_stack:
	resq 1
efi_thunk_home_cr3:
	resq 1
efi_thunk_flush:
	resq 1
efi_thunk_sse:
	resq 1
alignb 16
efi_abi_out:
	resb EFI_ABI_SIZE		; sizeof(struct efi_abi_regs)

section .note.GNU-stack noalloc noexec nowrite progbits
