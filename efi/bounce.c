// SPDX-License-Identifier: MIT
/* Guarded argument buffers around every firmware call (efi_args.h). */
#include "addr.h"
#include "efi_args.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_memattr.h"
#include "efi_tables.h"
#include "gdt.h"
#include "internal.h"
#include "kernel.h"
#include "ktap.h"
#include "mm.h"
#include "pe_image.h"
#include "printf.h"
#include "watchdog.h"
#include "x86.h"

/*
 * Guarded buffers (efi_args.h): the call's pointer arguments into vamap's
 * own memory, each copied into a slot of the arena kernel/entry.asm lays
 * out between guard pages.
 */
extern u8 efi_arg_arena[];

static struct {
	unsigned int n;
	struct bounce {
		unsigned int arg;
		bool in; /* the firmware only reads it */
		u64 orig, bytes, off; /* off: the buffer's offset in its slot */
		bool capsules; /* an array bounce_capsules rewrote */
		bool narrow;   /* ... then narrow_capsules (32-bit firmware) */
		int parent; /* a capsule: the array's bounce, else -1 */
		unsigned int index; /* ... and its element */
		const char *name; /* the spec's name (a capsule's array's) */
	} b[EFI_ARG_SLOTS];
	unsigned int svc;
	/* Each slot's canaries as the last check found them intact around
	 * a buffer at @off of @bytes: copying in one of the same place and
	 * size leaves them so, and they are not filled again. */
	struct efi_slot_canary {
		u64 off, bytes;
		bool intact;
	} canary[EFI_ARG_SLOTS];
} bounced;

static u8 *arg_slot(unsigned int k)
{
	return efi_arg_arena + SZ_4K + k * (EFI_ARG_SLOT_SIZE + SZ_4K);
}

/* Bytes of vamap's image from @a on. */
static u64 vamap_owned(u64 a)
{
	return a >= (u64)__kernel_start && a < (u64)__kernel_end
	       ? (u64)__kernel_end - a : 0;
}

/* How a finding names bounce @b: the spec's name, "[n]" after it for a
 * capsule. */
static const char *bname(const struct bounce *b, char *buf, size_t n)
{
	if (b->parent < 0)
		return b->name;
	ksnprintf(buf, n, "%s[%u]", b->name, b->index);
	return buf;
}

/* Copy @bytes at @orig into the next free slot as argument @arg's
 * buffer, canaries around it; its address there, 0 when no slot is left
 * or it does not fit one. */
static inline __attribute__((always_inline)) u64
bounce_one(unsigned int arg, const char *name, int parent,
		      unsigned int index, u64 orig, u64 bytes, bool in)
{
	struct bounce *b = &bounced.b[bounced.n];
	struct efi_slot_canary *c = &bounced.canary[bounced.n];
	u8 *slot = arg_slot(bounced.n);

	if (bounced.n == EFI_ARG_SLOTS || bytes > EFI_ARG_SLOT_SIZE) {
		kprintf("efi: %s's %s (%lu bytes) %s: handed unguarded\n",
			efi_rt_service_name(bounced.svc), name,
			(unsigned long)bytes,
			bytes > EFI_ARG_SLOT_SIZE ? "is larger than a guarded slot"
						  : "finds no guarded slot left");
		return 0;
	}
	b->arg = arg;
	b->in = in;
	b->orig = orig;
	b->bytes = bytes;
	b->off = efi_arg_place(0, bytes);
	b->capsules = false;
	b->narrow = false;
	b->parent = parent;
	b->index = index;
	b->name = name;
	memcpy(slot + b->off, (const void *)orig, bytes);
	if (!c->intact || c->off != b->off || c->bytes != bytes) {
		efi_arg_canary_fill(slot, b->off, bytes);
		c->off = b->off;
		c->bytes = bytes;
	}
	c->intact = false; /* until the check after the call */
	bounced.n++;
	return (u64)slot + b->off;
}

/* The capsules a bounced CapsuleHeaderArray (bounce @k) points at, each
 * into a slot of its own, the array's copy pointed at the copies. */
static void bounce_capsules(unsigned int k, const char *name)
{
	u64 *elem = (u64 *)((u64)arg_slot(k) + bounced.b[k].off);
	unsigned int j, n = (unsigned int)(bounced.b[k].bytes / 8);
	u64 bytes, at;

	for (j = 0; j < n; j++) {
		if (!elem[j] || !efi_capsule_bytes(elem[j], vamap_owned, &bytes))
			continue; /* not vamap's, or not a capsule it can size */
		at = bounce_one(bounced.b[k].arg, name, (int)k, j, elem[j], bytes,
				true);
		if (at)
			elem[j] = at;
	}
}

/*
 * 32-bit firmware reads a CapsuleHeaderArray of 4-byte pointers (UEFI
 * 2.10 2.3.2, 8.5.3): the array of bounce @k (its elements the copies'
 * addresses) rewritten as that, the copies' aliases below 4 GiB, flush
 * with the slot's end as the 8-byte one was (the upper half of its
 * bytes). widen_capsules makes the 8-byte one again before the array is
 * compared. Returns the narrow array's address; 0 when an element cannot
 * be given to a 32-bit firmware.
 */
static u64 narrow_capsules(unsigned int k)
{
	struct bounce *b = &bounced.b[k];
	u64 *elem = (u64 *)((u64)arg_slot(k) + b->off);
	unsigned int j, n = (unsigned int)(b->bytes / 8);
	u32 *narrow = (u32 *)(elem + n) - n;
	u64 v;

	/* Downwards: narrow[j] overlays elem[(n + j) / 2], read already. */
	for (j = n; j-- > 0;) {
		v = efi_fw32_arg_alias(elem[j]);
		if (v >> 32)
			return 0;
		narrow[j] = (u32)v;
	}
	b->narrow = true;
	return (u64)narrow;
}

static void widen_capsules(unsigned int k)
{
	struct bounce *b = &bounced.b[k];
	u64 *elem = (u64 *)((u64)arg_slot(k) + b->off);
	unsigned int j, n = (unsigned int)(b->bytes / 8);
	const u32 *narrow = (const u32 *)(elem + n) - n;
	u64 v;

	/* Upwards: elem[j] overlays narrow[2j - n] and [2j - n + 1], read
	 * already. */
	for (j = 0; j < n; j++) {
		v = efi_fw32_unalias(narrow[j]);
		elem[j] = v;
	}
	b->narrow = false;
}

/* The kinds the firmware only reads (efi_args.h). */
#define INPUT_KINDS (1u << ARG_IN | 1u << ARG_STR_IN | 1u << ARG_IN_SIZE_ARG | \
		     1u << ARG_ARRAY_IN | 1u << ARG_CAPSULES_IN)

/* Point each of @args that vamap owns at a copy in its own slot. */
void efi_bounce_in(unsigned int svc, u64 *args, unsigned int nargs)
{
	u64 in[EFI_ARG_MAX], bytes, at;
	const struct efi_arg_desc *d;
	unsigned int i;

	bounced.n = 0;
	bounced.svc = svc;
	memcpy(in, args, sizeof(in));
	for (i = 0; i < nargs && i < EFI_ARG_MAX; i++) {
		d = efi_arg_desc(svc, i);
		if (efi.fw32 && in[i] && d->kind != ARG_VALUE &&
		    vamap_owned(in[i]) &&
		    !efi_arg_bytes(svc, i, in, vamap_owned, &bytes))
			bytes = 0; /* a buffer of a size the call does not give
				    * (DataSize NULL): 64-bit firmware gets it
				    * as it is, 32-bit firmware cannot reach
				    * it; an empty guarded buffer stands in,
				    * so touching it is named as on 64-bit */
		else if (!in[i] || !efi_arg_bytes(svc, i, in, vamap_owned, &bytes) ||
			 vamap_owned(in[i]) < bytes)
			continue; /* not vamap's: passed as it is */
		at = bounce_one(i, d->name, -1, 0, in[i], bytes,
				(1u << d->kind) & INPUT_KINDS);
		if (!at)
			continue;
		args[i] = at;
		if (d->kind == ARG_CAPSULES_IN) {
			unsigned int k = bounced.n - 1; /* the capsules follow */

			bounced.b[k].capsules = true;
			bounce_capsules(k, d->name);
			if (efi.fw32 && (at = narrow_capsules(k)))
				args[i] = at;
		}
	}
}

/* An array whose elements bounce_capsules pointed at copies: those
 * elements back to what vamap handed over, where the firmware left them
 * alone, so the array compares as any input. */
static void unbounce_capsules(unsigned int k)
{
	u64 *elem = (u64 *)((u64)arg_slot(k) + bounced.b[k].off);
	unsigned int i;

	for (i = k + 1; i < bounced.n; i++) {
		const struct bounce *c = &bounced.b[i];

		if (c->parent == (int)k &&
		    elem[c->index] == (u64)arg_slot(i) + c->off)
			elem[c->index] = c->orig;
	}
}

/* After the call: the canaries, the inputs, then what the firmware wrote
 * back to where vamap's caller has it (when the call returned). Returns
 * the number of buffers written outside, or inputs changed. */
unsigned int efi_bounce_out(bool returned)
{
	unsigned int i, bad = 0;

	for (i = 0; i < bounced.n; i++) {
		const struct bounce *b = &bounced.b[i];
		const u8 *slot = arg_slot(i);
		s64 c = efi_arg_canary_check(slot, b->off, b->bytes);
		char nbuf[48];

		bounced.canary[i].intact = !c;
		if (c) {
			bad++;
			kdetail("efi.buffers", "efi: finding: %s wrote up to byte "
				"%ld %s its argument %u, %s (a %lu-byte buffer; the "
				"canary beside it changed; UEFI 2.10 8: a service "
				"writes only the buffers it is given, within their "
				"sizes)\n", efi_rt_service_name(bounced.svc),
				(long)(c > 0 ? c : -c),
				c > 0 ? "past the end of" : "before the start of",
				b->arg + 1, bname(b, nbuf, sizeof(nbuf)),
				(unsigned long)b->bytes);
		}
		if (b->in) {
			if (b->narrow)
				widen_capsules(i);
			if (b->capsules)
				unbounce_capsules(i);
			if (memcmp(slot + b->off, (const void *)b->orig, b->bytes)) {
				bad++;
				kdetail("efi.buffers", "efi: finding: %s wrote into "
					"its argument %u, %s, an input (%lu bytes; "
					"UEFI 2.10 8: IN)\n",
					efi_rt_service_name(bounced.svc), b->arg + 1,
					bname(b, nbuf, sizeof(nbuf)),
					(unsigned long)b->bytes);
			}
		} else if (returned) {
			memcpy((void *)b->orig, slot + b->off, b->bytes);
		}
	}
	bounced.n = 0;
	return bad;
}

/* A fault at @cr2 in a guard page of the arena: which buffer it was
 * outside, and by how much, into @what; false when not there. */
bool efi_bounce_guard_hit(u64 cr2, char *what, size_t n)
{
	u64 start = (u64)efi_arg_arena, end = (u64)arg_slot(EFI_ARG_SLOTS);
	unsigned int i;

	if (cr2 < start || cr2 >= end + SZ_4K ||
	    (cr2 - start) % (EFI_ARG_SLOT_SIZE + SZ_4K) >= SZ_4K)
		return false;
	for (i = 0; i < bounced.n; i++) {
		const struct bounce *b = &bounced.b[i];
		u64 buf = (u64)arg_slot(i) + b->off, buf_end = buf + b->bytes;
		char nbuf[48];
		const char *name = bname(b, nbuf, sizeof(nbuf));
		unsigned int nth = b->arg + 1;

		if (cr2 >= buf_end && cr2 < buf_end + SZ_4K) {
			ksnprintf(what, n,
				  "to byte %lu past the end of its argument %u, %s "
				  "(a %lu-byte buffer)",
				  (unsigned long)(cr2 - buf_end + 1), nth, name,
				  (unsigned long)b->bytes);
			return true;
		}
		if (cr2 < buf && buf - cr2 <= SZ_4K + EFI_ARG_SLOT_SIZE) {
			ksnprintf(what, n,
				  "to byte %lu before the start of its argument "
				  "%u, %s (a %lu-byte buffer)",
				  (unsigned long)(buf - cr2), nth, name,
				  (unsigned long)b->bytes);
			return true;
		}
	}
	ksnprintf(what, n,
		  "to a guard page of the argument arena beside no buffer of "
		  "this call");
	return true;
}
