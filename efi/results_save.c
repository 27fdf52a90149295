// SPDX-License-Identifier: MIT
/* Keeping the report for the next boot (see results.h, efi_state.h). */
#include "efi_state.h"
#include "kernel.h"
#include "modes.h"
#include "printf.h"
#include "results.h"

static u8 chunk_buf[sizeof(struct results_chunk) + RESULTS_CHUNK_DATA] __efi_shared;
static struct modes_state modes_buf __efi_shared;

void efi_save_results(const char *text, u32 len)
{
	const u32 attr = NV_BS_RT;
	struct results_chunk *h = (void *)chunk_buf;
	u16 name[16];
	unsigned int i;

	/* Runtime services a firmware fault turned off are tried once more,
	 * for the report alone: each SetVariable is still a guarded call (a
	 * fault ends it), and without it a machine with no serial port keeps
	 * nothing of the run that found the fault. Any other reason (no SVAM,
	 * bad pointers, efi=noruntime) means SetVariable cannot be called. */
	if (!efi.runtime_enabled && !efi.fault_disabled) {
		kprintf("results: runtime services off, report not kept\n");
		return;
	}
	/* A firmware that faulted inside SetVirtualAddressMap is half
	 * converted: its pointers are neither old nor new. */
	if (efi.svam_called && efi.svam_status != EFI_SUCCESS) {
		kprintf("results: SetVirtualAddressMap did not complete (%s): "
			"the firmware is half converted, report not kept\n",
			efi_status_name(efi.svam_status));
		return;
	}
	if (!(efi.rt_supported & efi_rt_supported_bit(RT_SET_VARIABLE))) {
		kprintf("results: the RT properties table declares SetVariable "
			"unsupported at runtime, report not kept\n");
		return;
	}
	if (!efi.runtime_enabled) {
		kprintf("results: runtime services are off after a firmware "
			"fault; SetVariable is tried for the report alone\n");
		efi.runtime_enabled = true;
		efi.report_only = true;
	}
	results_chunk_header(h, text, len, 0);
	for (i = 0; i < h->count; i++) {
		u32 n = results_chunk_header(h, text, len, (u16)i);
		efi_status_t st;

		memcpy(chunk_buf + sizeof(*h), text + i * RESULTS_CHUNK_DATA, n);
		results_var_name(name, i);
		st = efi_set_variable(name, &efi_vamap_guid, attr, sizeof(*h) + n,
				      chunk_buf);
		if (st != EFI_SUCCESS) {
			kprintf("results: SetVariable VamapResults%u returned %s, "
				"report not kept\n", i, efi_status_name(st));
			break;
		}
	}
	if (efi.report_only)
		efi.runtime_enabled = false;
	if (i < h->count)
		return;
	kprintf("results: report kept in %u variable%s (%u bytes) for the stub "
		"to write to the boot volume next boot\n", h->count,
		h->count == 1 ? "" : "s", len);
}

/* May vamap still call the firmware at the end of the run: runtime
 * services on, SetVirtualAddressMap complete where it was called? */
static bool callable(void)
{
	return efi.runtime_enabled &&
	       !(efi.svam_called && efi.svam_status != EFI_SUCCESS);
}

const char *efi_modes_no_reset(void)
{
	if (efi.mode == EFI_MODE_NORUNTIME)
		return "efi=noruntime calls no firmware";
	if (!callable())
		return "runtime services are off";
	if (!(efi.rt_supported & efi_rt_supported_bit(RT_RESET_SYSTEM)))
		return "the RT properties table declares ResetSystem unsupported "
		       "at runtime";
	if (!(efi.rt_supported & efi_rt_supported_bit(RT_SET_VARIABLE)))
		return "the RT properties table declares SetVariable unsupported "
		       "at runtime, so the call cannot be recorded for the next "
		       "boot to judge";
	return NULL;
}

int efi_save_modes_state(const struct modes_state *s)
{
	static const u16 name[] = u"VamapModes";
	efi_status_t st;

	if (!callable())
		return -EINVAL;
	modes_buf = *s;
	st = efi_set_variable(name, &efi_vamap_guid, NV_BS_RT,
			      sizeof(modes_buf), &modes_buf);
	if (st != EFI_SUCCESS) {
		kprintf("modes: SetVariable VamapModes returned %s\n",
			efi_status_name(st));
		return -EINVAL;
	}
	return 0;
}
