/* SPDX-License-Identifier: MIT */
/*
 * Guarded buffers (efi/args.c, host-tested; used by efi/runtime.c): what
 * each runtime service's arguments point at (UEFI 2.10 8.1-8.5), and where
 * a buffer sits in its guarded slot.
 *
 * Every pointer argument vamap hands the firmware from its own memory
 * (its stack, its statics: the kernel image) is copied into a slot of the
 * argument arena for the call, and what the firmware may write is copied
 * back after it. Each slot lies between two pages that no table maps
 * (kernel/entry.asm), and the buffer ends on the slot's last byte when its
 * size is a multiple of 8, so the first byte written past it faults and is
 * named with the service, the argument and the distance; otherwise it
 * starts 8-aligned and the bytes after it up to the slot's end are
 * canaries, as are the EFI_ARG_CANARY bytes before it, checked after every
 * call. An input buffer the firmware changed is named too (UEFI marks it
 * IN). Pointers vamap does not own (NULL, a physical address a test hands
 * on purpose, the direct map) pass unchanged.
 */
#ifndef VAMAP_EFI_ARGS_H
#define VAMAP_EFI_ARGS_H

#include "efi_rt.h"
#include "types.h"

#define EFI_ARG_SLOTS 6		  /* at most 5 pointer arguments a call */
#define EFI_ARG_SLOT_SIZE 0x4000  /* 16 KiB; kernel/entry.asm agrees */
#define EFI_ARG_CANARY 64	  /* canary bytes before a buffer */
#define EFI_ARG_CANARY_BYTE 0xc5

enum efi_arg_kind {
	ARG_VALUE,	/* not a pointer */
	ARG_IN,		/* @size bytes the firmware reads */
	ARG_OUT,	/* @size bytes it writes */
	ARG_INOUT,
	ARG_STR_IN,	/* a NUL-terminated UCS-2 string */
	ARG_IN_SIZE_ARG,   /* read; its size is argument @size's value */
	ARG_OUT_SIZE_PTR,  /* written; its size is *(UINTN *)argument @size
			    * at the call */
	ARG_INOUT_SIZE_PTR,
	ARG_ARRAY_IN,	/* @size-byte elements, argument @count's value many */
	ARG_CAPSULES_IN, /* an ARG_ARRAY_IN of pointers to capsules, each
			  * read as its header says (efi_capsule_bytes) */
};

struct efi_arg_desc {
	enum efi_arg_kind kind;
	u32 size;	/* bytes, or the index of the argument holding it */
	u32 count;	/* ARG_ARRAY_IN: the index of the count argument */
	const char *name; /* the spec's name for it */
};

#define EFI_ARG_MAX 5

/* What service @svc's argument @i is; ARG_VALUE past its last. */
const struct efi_arg_desc *efi_arg_desc(enum efi_rt_service svc, unsigned int i);

/* How many bytes argument @i of @svc points at, given the call's
 * arguments @args; @owned(addr) says how many bytes from @addr on vamap
 * owns (and may read directly), 0 for none: sizes passed by pointer and
 * strings are read only there. false when it is not a pointer vamap can
 * size: a value, a size pointer it does not own, a string with no NUL
 * within a slot. */
bool efi_arg_bytes(enum efi_rt_service svc, unsigned int i, const u64 *args,
		   u64 (*owned)(u64 addr), u64 *bytes);

/* How many bytes the capsule at @hdr is (UEFI 2.10 8.5.3: an
 * EFI_CAPSULE_HEADER whose CapsuleImageSize counts the header too), read
 * from its header only where @owned says vamap owns it; false when its
 * header is not vamap's or its size is below a header's or past what
 * vamap owns. */
bool efi_capsule_bytes(u64 hdr, u64 (*owned)(u64 addr), u64 *bytes);
#define EFI_CAPSULE_HEADER_SIZE 28

/* Where a @bytes-byte buffer starts in a slot of EFI_ARG_SLOT_SIZE at
 * @slot: flush with the slot's end when @bytes is a multiple of 8,
 * else 8-aligned with the rest of the slot after it (an empty one 8 bytes
 * before the end: touching it is a finding, reading it must not end the
 * call). Inline: it runs for every buffer of every call. */
static inline u64 efi_arg_place(u64 slot, u64 bytes)
{
	if (!bytes)
		return slot + EFI_ARG_SLOT_SIZE - 8;
	return (slot + EFI_ARG_SLOT_SIZE - bytes) & ~7ULL;
}

/* Fill the canaries around the buffer [@buf, @buf + @bytes) in its slot
 * @slot, and check them: the offset from the buffer's end (> 0) or start
 * (< 0) of the first changed canary byte, 0 when none changed. */
void efi_arg_canary_fill(u8 *slot, u64 buf_off, u64 bytes);
s64 efi_arg_canary_check(const u8 *slot, u64 buf_off, u64 bytes);

/* A call's arguments as a 32-bit (IA32) firmware takes them, into
 * @words: the service's address @fn, the word count, then the words
 * (efi/thunk32.asm). Pointers go through @alias first. How many of @words
 * are used; 0, and *@why, when an argument cannot be given to a 32-bit
 * service (a pointer still above 4 GiB, more than @max words). */
unsigned int efi_fw32_words(unsigned int svc, const u64 *args,
			    unsigned int nargs, u64 fn, u64 (*alias)(u64 addr),
			    u64 *words, unsigned int max, const char **why);

#endif
