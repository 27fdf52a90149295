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

/* Point each of @args that vamap owns at a copy in its own slot. */
void efi_bounce_in(unsigned int svc, u64 *args, unsigned int nargs)
{
	u64 in[EFI_ARG_MAX], bytes;
	enum efi_arg_kind kind;
	struct efi_slot_canary *c;
	unsigned int i;

	bounced.n = 0;
	bounced.svc = svc;
	memcpy(in, args, sizeof(in));
	for (i = 0; i < nargs && i < EFI_ARG_MAX; i++) {
		struct bounce *b = &bounced.b[bounced.n];
		u8 *slot = arg_slot(bounced.n);

		if (!in[i] || !efi_arg_bytes(svc, i, in, vamap_owned, &bytes) ||
		    vamap_owned(in[i]) < bytes)
			continue; /* not vamap's: passed as it is */
		if (bytes > EFI_ARG_SLOT_SIZE) {
			kprintf("efi: %s's %s (%lu bytes) is larger than a guarded "
				"slot: handed unguarded\n", efi_rt_service_name(svc),
				efi_arg_desc(svc, i)->name, (unsigned long)bytes);
			continue;
		}
		kind = efi_arg_desc(svc, i)->kind;
		b->arg = i;
		b->in = kind == ARG_IN || kind == ARG_STR_IN ||
			kind == ARG_IN_SIZE_ARG || kind == ARG_ARRAY_IN;
		b->orig = in[i];
		b->bytes = bytes;
		b->off = efi_arg_place(0, bytes);
		memcpy(slot + b->off, (const void *)b->orig, bytes);
		c = &bounced.canary[bounced.n];
		if (!c->intact || c->off != b->off || c->bytes != bytes) {
			efi_arg_canary_fill(slot, b->off, bytes);
			c->off = b->off;
			c->bytes = bytes;
		}
		c->intact = false; /* until the check after the call */
		args[i] = (u64)slot + b->off;
		bounced.n++;
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

		bounced.canary[i].intact = !c;
		if (c) {
			const struct efi_arg_desc *d = efi_arg_desc(bounced.svc, b->arg);

			bad++;
			kdetail("efi.buffers", "efi: finding: %s wrote up to byte "
				"%ld %s its argument %u, %s (a %lu-byte buffer; the "
				"canary beside it changed; UEFI 2.10 8: a service "
				"writes only the buffers it is given, within their "
				"sizes)\n", efi_rt_service_name(bounced.svc),
				(long)(c > 0 ? c : -c),
				c > 0 ? "past the end of" : "before the start of",
				b->arg + 1, d->name, (unsigned long)b->bytes);
		}
		if (b->in) {
			if (memcmp(slot + b->off, (const void *)b->orig, b->bytes)) {
				const struct efi_arg_desc *d =
					efi_arg_desc(bounced.svc, b->arg);

				bad++;
				kdetail("efi.buffers", "efi: finding: %s wrote into "
					"its argument %u, %s, an input (%lu bytes; "
					"UEFI 2.10 8: IN)\n",
					efi_rt_service_name(bounced.svc), b->arg + 1,
					d->name, (unsigned long)b->bytes);
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
		const char *name = efi_arg_desc(bounced.svc, b->arg)->name;
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
