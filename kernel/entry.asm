; SPDX-License-Identifier: MIT
;
; Kernel entry.
;
; Expects (from boot/stub.c): 64-bit long mode, CR3 = init_pg_dir (kernel at
; its link address, RAM 1:1), RDI = physical address of boot_info, interrupts
; off, the firmware's GDT, IDT and stack still loaded.
;
; Leaves, before kmain runs: the control registers under vamap's rules
; (include/cpu_rules.h: CR0.WP, NE, MP set, TS, EM, CD, NW clear, EFER.NXE
; where the CPU has it), what the firmware handed over kept in
; cpu_handover for the report; our own stack, our own GDT (filled by
; gdt_init_bsp, kernel/gdt.c, the first C to run) with a TSS whose
; IST1, IST2 and IST3 are separate stacks for #DF, NMI and #MC (so a stack
; overflow, which faults again while pushing its #PF frame, lands on the #DF
; stack instead of a triple fault, and an NMI or #MC never shares a stack
; with the exception it interrupts), our own IDT with all 32 exception
; vectors, then calls kmain(boot_info_phys, entry_tsc). kmain never returns.
;
; The stacks sit in .bss each above a 4 KiB guard page; mm/paging.c unmaps
; the guards once swapper_pg_dir is live (stack_guards[] below), so an
; overflow of a stack faults instead of overwriting what lies below. A
; firmware call runs on a stack of its own, efi_fw_stack.
;
; Also holds the exception stubs: each pushes a uniform frame (a zero for
; vectors without an error code, then the vector number) and enters
; trap_handler(struct trap_frame *) in kernel/traps.c.

bits 64
default rel

%define KERNEL_CS 0x08
%define KERNEL_DS 0x10
%define TSS_SEL   0x18		; kernel/gdt.c asserts these three
%define BOOT_STACK_SIZE  16384
%define FW_STACK_SIZE    16384	; EFI_CALL_STACK_KIB in include/efi_state.h
%define IST_STACK_SIZE   8192	; include/gdt.h, BSP_IST_STACK_SIZE
; include/cpu_rules.h (cpu.control checks the result on every boot)
%define CPU_CR0_SET   0x80010023	; PG | WP | NE | MP | PE
%define CPU_CR0_CLEAR 0x6000000c	; CD | NW | TS | EM
%define CPU_CR4_SET   0x00000020	; PAE
%define MSR_EFER      0xc0000080
%define EFER_NXE      (1 << 11)

extern kmain
extern gdt_init_bsp
extern trap_handler
extern efi32_stack_lo, efi32_stack_hi, efi32_stack_delta
global idt_desc
global load_gdt

section .text.entry
global _start
_start:
	cli
	cld
	rdtsc				; entry timestamp, before anything else
	shl rdx, 32
	or rax, rdx
	mov r12, rax
	mov r13, rdi			; boot_info physical address

	; The control registers as handed over, then vamap's rules on them.
	mov r14, cr0
	mov r15, cr4
	mov ecx, MSR_EFER
	rdmsr
	shl rdx, 32
	or rax, rdx
	mov [cpu_handover + 16], rax
	mov [cpu_handover + 0], r14
	mov [cpu_handover + 8], r15
	mov rax, r14
	mov ecx, CPU_CR0_SET		; zero-extended: PG is bit 31
	or rax, rcx
	and rax, ~CPU_CR0_CLEAR
	mov cr0, rax
	mov rax, r15
	or rax, CPU_CR4_SET
	mov cr4, rax
	mov eax, 0x80000000		; Execute Disable: CPUID 80000001h EDX[20]
	cpuid
	cmp eax, 0x80000001
	jb .no_nx
	mov eax, 0x80000001
	cpuid
	bt edx, 20
	jnc .no_nx
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_NXE
	wrmsr
.no_nx:
	lea rsp, [boot_stack_top]
	xor ebp, ebp

	; Our GDT and TSS, defined once in C (kernel/gdt.c): the first C to
	; run, on our stack, with the firmware's GDT and IDT still loaded.
	lea rdi, [ist_tops]
	call gdt_init_bsp
	mov rdi, rax
	call load_gdt

	; IDT: 32 interrupt gates, DPL 0. #DF (8) on IST1, NMI (2) on IST2,
	; #MC (18) on IST3.
	lea rsi, [isr_table]
	lea rdi, [idt]
	xor ecx, ecx
.gate:
	mov rax, [rsi + rcx * 8]
	mov [rdi], ax			; offset 15:0
	mov word [rdi + 2], KERNEL_CS
	xor edx, edx
	cmp ecx, 8
	jne .not_df
	mov edx, 1
.not_df:
	cmp ecx, 2
	jne .not_nmi
	mov edx, 2
.not_nmi:
	cmp ecx, 18
	jne .noist
	mov edx, 3
.noist:
	mov [rdi + 4], dl		; IST index
	mov byte [rdi + 5], 0x8e	; present, interrupt gate
	shr rax, 16
	mov [rdi + 6], ax		; offset 31:16
	shr rax, 16
	mov [rdi + 8], eax		; offset 63:32
	mov dword [rdi + 12], 0
	add rdi, 16
	inc ecx
	cmp ecx, 32
	jne .gate
	lidt [idt_desc]

	mov rdi, r13
	mov rsi, r12
	call kmain
.hang:
	cli
	hlt
	jmp .hang

; ---------------------------------------------------------------------------
; void load_gdt(const struct desc_ptr *gdtr)
; Switch to a GDT laid out like ours (null, code 0x08, data 0x10, TSS 0x18):
; load it, reload CS through a far return and the data segments, load the
; TSS. The BSP's entry uses it, and each AP for its GDT in the late mappings.

section .text
load_gdt:
	lgdt [rdi]
	pop rsi				; our return address
	push KERNEL_CS
	push rsi
	mov ax, KERNEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov ax, TSS_SEL
	ltr ax
	o64 retf			; to the caller, with CS reloaded

; ---------------------------------------------------------------------------
; int probe_write(volatile u8 *p)
; Writes the byte at p back into itself: 0 when the write landed. Under
; trap_expect(#PF, probe_write_faulted) a write that faults resumes at
; probe_write_faulted with the same RSP, which returns 1 (cpu.write_protect,
; kernel/main.c).
global probe_write
global probe_write_faulted
probe_write:
	mov al, [rdi]
	mov [rdi], al
	xor eax, eax
	ret
probe_write_faulted:
	mov eax, 1
	ret

; ---------------------------------------------------------------------------
; int rdmsr_probe(u32 msr, u64 *val)
; Reads MSR msr into *val: 0 when it read. Under trap_expect(#GP,
; rdmsr_probe_faulted) an MSR the CPU does not have resumes at
; rdmsr_probe_faulted with the same RSP, which returns 1 (kernel/smi.c).
global rdmsr_probe
global rdmsr_probe_faulted
rdmsr_probe:
	mov ecx, edi
	rdmsr
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret
rdmsr_probe_faulted:
	mov eax, 1
	ret

; ---------------------------------------------------------------------------
; Exception stubs.

%macro ISR_NOERR 1
isr%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr%1:
	push %1
	jmp isr_common
%endmacro

section .text
ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR   8
ISR_NOERR 9
ISR_ERR   10
ISR_ERR   11
ISR_ERR   12
ISR_ERR   13
ISR_ERR   14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR   17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR   21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR   29
ISR_ERR   30
ISR_NOERR 31

; The CPU aligned RSP to 16 before pushing its 5-quadword frame (SDM vol.
; 3A, 7.14.2); with error code, vector and 15 registers that makes 22
; quadwords, so RSP is 16-byte aligned again at the call.
isr_common:
	; A trap taken on the alias of efi_fw_stack below 4 GiB (a 32-bit
	; firmware's call, efi/fw32.c) goes on at the same frames' kernel
	; address: vamap's handler switches to swapper_pg_dir, which has no
	; alias. Flags are free here (the CPU saved RFLAGS); lo = hi = 0
	; otherwise.
	cmp rsp, [efi32_stack_lo]
	jb .stack_ok
	cmp rsp, [efi32_stack_hi]
	jae .stack_ok
	add rsp, [efi32_stack_delta]
.stack_ok:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	cld
	call trap_handler
isr_exit:				; vamap's text: trap_in_vamap (kernel/traps.c)
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16
	iretq

section .rodata
align 8
isr_table:
%assign i 0
%rep 32
	dq isr %+ i
%assign i i + 1
%endrep

; IST1..3 for gdt_init_bsp, in the order the IDT above uses them.
ist_tops:
	dq df_stack_top, nmi_stack_top, mc_stack_top

section .data
align 16
idt_desc:
	dw 32 * 16 - 1
	dq idt

section .bss
alignb 16
idt:
	resb 32 * 16
global cpu_handover
cpu_handover:				; struct cpu_handover (cpu_rules.h)
	resq 3
; The boot stack: written only under vamap's own tables (efi/thunk.asm
; switches to efi_pgd on the firmware-call stack), so a strict efi_pgd maps
; it read-only and efi.shared's copy leaves it unwatched.
section .bss.unwatched nobits alloc noexec write align=4096
boot_stack_guard:
	resb 4096
global boot_stack, boot_stack_top
boot_stack:
	resb BOOT_STACK_SIZE
boot_stack_top:
; The stacks the CPU pushes on while a firmware call runs (a trap's frame
; before its handler switches tables), in the section efi.strict keeps
; writable in efi_pgd (linker/kernel.ld).
section .bss.efi_shared nobits alloc noexec write align=4096
; A second stack for the vector whose handler makes a firmware call (the
; report saved after a #DF, NMI or #MC ended the run): efi/runtime.c points
; that vector's IST slot here for the call, so an exception of the same
; vector inside it pushes its frame here, not over the first handler's.
global nested_ist_stack_top
nested_ist_guard:
	resb 4096
	resb IST_STACK_SIZE
nested_ist_stack_top:
global bsp_ist_stacks, df_stack_top, nmi_stack_top, mc_stack_top
bsp_ist_stacks:				; the boot CPU's #DF, NMI and #MC stacks
df_stack_guard:
	resb 4096
	resb IST_STACK_SIZE
df_stack_top:
nmi_stack_guard:
	resb 4096
	resb IST_STACK_SIZE
nmi_stack_top:
mc_stack_guard:
	resb 4096
	resb IST_STACK_SIZE
mc_stack_top:
; The stack a firmware call runs on (efi/thunk.asm), right after the boot
; CPU's IST stacks: efi/runtime.c's call_stack takes [bsp_ist_stacks, this
; guard page) for them, so keep the #DF, NMI and #MC stacks together and
; in front of it. Vamap's own stack
; never holds a firmware frame. A guard page under it (the call ran off
; it) and one above it (the call wrote or read above its own frame: the
; return address, the home space and its stack arguments end on the
; stack's last byte).
global efi_fw_stack, efi_fw_stack_top
efi_fw_stack_guard:
	resb 4096
efi_fw_stack:
	resb FW_STACK_SIZE
efi_fw_stack_top:
efi_fw_frame_guard:
	resb 4096
; The argument arena (include/efi_args.h, efi/runtime.c): the buffers vamap
; hands the firmware are copied into these slots for a call, each slot
; between two guard pages, so a write past a buffer faults.
%define EFI_ARG_SLOTS     6
%define EFI_ARG_SLOT_SIZE 0x4000
global efi_arg_arena
efi_arg_arena:
%assign i 0
%rep EFI_ARG_SLOTS
arg_guard %+ i:
	resb 4096
	resb EFI_ARG_SLOT_SIZE
%assign i i + 1
%endrep
arg_guard %+ EFI_ARG_SLOTS:
	resb 4096

; The guard pages and what each guards, for mm/paging.c and the #DF report.
section .rodata
align 8
global stack_guards
stack_guards:
	dq boot_stack_guard, boot_stack_name
	dq df_stack_guard, df_stack_name
	dq nmi_stack_guard, nmi_stack_name
	dq mc_stack_guard, mc_stack_name
	dq nested_ist_guard, nested_ist_name
	dq efi_fw_stack_guard, fw_stack_name
	dq efi_fw_frame_guard, fw_frame_name
%assign i 0
%rep EFI_ARG_SLOTS + 1
	dq arg_guard %+ i, arg_guard_name
%assign i i + 1
%endrep
	dq 0, 0
boot_stack_name: db "the boot stack", 0
df_stack_name: db "the #DF stack", 0
nmi_stack_name: db "the NMI stack", 0
mc_stack_name: db "the #MC stack", 0
nested_ist_name: db "the nested #DF/NMI/#MC stack", 0
fw_stack_name: db "the firmware-call stack", 0
fw_frame_name: db "above a firmware call's frame", 0
arg_guard_name: db "a slot of the firmware-argument arena", 0

section .note.GNU-stack noalloc noexec nowrite progbits
