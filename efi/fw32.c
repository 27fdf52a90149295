// SPDX-License-Identifier: MIT
/*
 * The 32-bit call path's memory and arguments (issue 28; docs/decisions.md,
 * "The 32-bit call path"). A 32-bit (IA32) firmware's runtime services run
 * in compatibility mode: every address they are given, the code they
 * return through and the stack they run on must lie below 4 GiB. vamap's
 * own memory does not, so efi_pgd gets aliases of it in one window:
 *
 *   window + 0         efi/thunk32.asm's page, read-only and executable
 *   window + 64 KiB    efi_fw_stack and the argument arena, as
 *                      kernel/entry.asm lays them out, their guard pages
 *                      left out here too: one distance (fw32.delta)
 *                      from each alias to vamap's own address
 *   window + 16 MiB .. window + 512 MiB
 *                      the runtime regions' new addresses in efi=slot and
 *                      efi=linux (SetVirtualAddressMap below 4 GiB, at
 *                      addresses that differ from the physical ones)
 *
 * The window is a 1 GiB-aligned gigabyte from 1 to 3 GiB that holds no
 * RAM and no runtime region, so efi_pgd's 1:1 map never uses it (3-4 GiB
 * holds the platform's MMIO the map often leaves out: local APIC, I/O
 * APIC, HPET, flash). efi_pgd only: vamap's own table never maps it; a trap
 * taken on the aliased stack moves to the same frames' kernel address
 * first (kernel/entry.asm, isr_common), so vamap's handler runs on
 * swapper_pg_dir as for a 64-bit call.
 */
#include "addr.h"
#include "efi_args.h"
#include "efi_state.h"
#include "efi_defs.h"
#include "efi_memdesc.h"
#include "internal.h"
#include "kernel.h"
#include "mm.h"
#include "printf.h"

#define FW32_TRAMP_OFF 0
#define FW32_DATA_OFF (16 * SZ_4K)
#define FW32_RT_OFF (16 * SZ_1M)
#define FW32_RT_TOP (512 * SZ_1M)

extern char efi32_page[], efi32_entry[], efi_arg_arena[];
extern char efi32_frame_bytes[], efi32_gdtr_off[]; /* absolute: numbers */

/* Read by kernel/entry.asm's isr_common at every trap, under whatever
 * table the trap came with: .bss.unwatched, which a guarded efi_pgd maps
 * read-only. 0, 0 on 64-bit firmware: no RSP is in [lo, hi). */
u64 efi32_stack_lo __kguard_unwatched, efi32_stack_hi __kguard_unwatched,
	efi32_stack_delta __kguard_unwatched;

static struct {
	u64 base;	    /* the window, 0: none */
	u64 data_lo, data_hi; /* vamap's range the data alias covers */
	u64 delta;	    /* vamap's address - the alias */
} fw32;

static u64 data_lo(void)
{
	return (u64)efi_fw_stack - SZ_4K; /* its guard page */
}

static u64 data_hi(void)
{
	return (u64)efi_arg_arena +
	       EFI_ARG_SLOTS * (EFI_ARG_SLOT_SIZE + SZ_4K) + SZ_4K;
}

/* Whether [b, b + 1 GiB) holds RAM or a runtime region (what efi_pgd
 * maps 1:1), and whether any descriptor at all. */
static void window_use(u64 b, const void *raw, u64 size, u64 desc_size,
		       bool *mapped, bool *described)
{
	const struct mem_region *m;
	u64 i;

	*mapped = *described = false;
	for_each_mem_region(m) {
		if (m->start >= b + SZ_1G || m->end <= b)
			continue;
		*described = true;
		*mapped |= m->ram;
	}
	for (i = 0; i < size / desc_size; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(raw, desc_size, i);
		u64 end = d->phys_start + (d->num_pages << EFI_PAGE_SHIFT);

		if ((d->attribute & EFI_MEMORY_RUNTIME) && d->phys_start < b + SZ_1G &&
		    end > b)
			*mapped = true;
	}
}

const char *efi_fw32_choose(const void *raw, u64 size, u64 desc_size)
{
	static const u64 candidates[] = { 2 * SZ_1G, SZ_1G };
	unsigned int i, pass;

	if ((u64)efi_arg_arena != (u64)efi_fw_stack_top + SZ_4K)
		return "kernel/entry.asm no longer lays out the argument arena "
		       "right above efi_fw_stack's guard";
	if ((u64)efi32_frame_bytes != EFI_FW32_FRAME ||
	    (u64)efi32_gdtr_off != EFI_CPU_OFF_GDTR)
		return "efi/thunk32.asm's frame depth or GDTR offset disagrees "
		       "with the C side's";
	/* A gigabyte no descriptor touches first; else one with no RAM and
	 * no runtime region (reserved or MMIO no call may use), whose
	 * descriptors lie above the part vamap uses (+512 MiB on) on the
	 * machines it was tried on: q35's MMCONFIG at 2.75 GiB. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(candidates); i++) {
			u64 b = candidates[i];
			bool mapped, described;

			window_use(b, raw, size, desc_size, &mapped, &described);
			if (mapped || (described && !pass))
				continue;
			fw32.base = b;
			fw32.data_lo = data_lo();
			fw32.data_hi = data_hi();
			fw32.delta = fw32.data_lo - (b + FW32_DATA_OFF);
			kprintf("efi: 32-bit call path: window 0x%016lx-0x%016lx "
				"(%s): the call page at +0, the firmware-call "
				"stack and argument arena at +64 KiB%s\n",
				(unsigned long)b, (unsigned long)(b + SZ_1G),
				described ? "no RAM, no runtime region"
					  : "no memory-map entry",
				efi.mode == EFI_MODE_SLOT || efi.mode == EFI_MODE_LINUX
				? ", runtime regions at +16-512 MiB" : "");
			return NULL;
		}
	}
	return "no gigabyte from 1 to 3 GiB is free of RAM and runtime regions "
	       "for the 32-bit call path's window";
}

void efi_fw32_rt_window(u64 *base, u64 *top)
{
	*base = fw32.base + FW32_RT_OFF;
	*top = fw32.base + FW32_RT_TOP;
}

int efi_fw32_map(void)
{
	struct pt_range t;
	u64 va;
	int ret;

	ret = pt_translate(efi.pt, swapper_pg_dir, (u64)efi32_page, &t);
	if (!ret)
		ret = pt_map(efi.pt, efi.efi_pgd, fw32.base + FW32_TRAMP_OFF,
			     t.pa + ((u64)efi32_page - t.va), SZ_4K, MAP_EXEC);
	for (va = fw32.data_lo; !ret && va < fw32.data_hi; va += SZ_4K) {
		struct pt_range r;

		if (pt_translate(efi.pt, swapper_pg_dir, va, &r))
			continue; /* a guard page: unmapped here too */
		ret = pt_map(efi.pt, efi.efi_pgd, va - fw32.delta,
			     r.pa + (va - r.va), SZ_4K, MAP_WRITE);
	}
	if (ret) {
		kprintf("efi: mapping the 32-bit call path's window failed (%d)\n",
			ret);
		return ret;
	}
	efi32_stack_lo = (u64)efi_fw_stack - fw32.delta;
	efi32_stack_hi = (u64)efi_fw_stack_top - fw32.delta;
	efi32_stack_delta = fw32.delta;
	return 0;
}

u64 efi_fw32_alias(u64 kva)
{
	return kva - fw32.delta;
}

u64 efi_fw32_unalias(u64 va)
{
	if (!efi.fw32 || !fw32.base || va < fw32.data_lo - fw32.delta ||
	    va >= fw32.data_hi - fw32.delta)
		return va;
	return va + fw32.delta;
}

u64 efi_fw32_entry(void)
{
	return fw32.base + FW32_TRAMP_OFF + (u64)(efi32_entry - efi32_page);
}

static bool in_data(u64 kva)
{
	return kva >= fw32.data_lo && kva < fw32.data_hi;
}

u64 efi_fw32_arg_alias(u64 addr)
{
	return in_data(addr) ? efi_fw32_alias(addr) : addr;
}
