/* SPDX-License-Identifier: MIT */
/* Internal interface between the stub's files. */
#ifndef VAMAP_BOOT_STUB_H
#define VAMAP_BOOT_STUB_H

#include <efi.h>
#include <efilib.h>
#include "boot_info.h"
#include "printf.h"
#include "types.h"
#include "x86.h"

/*
 * Every firmware call the stub makes goes through fw_call, which adds the
 * TSC ticks spent inside the firmware to stub_fw_ticks: `make bench` splits
 * the stub's time into the firmware's and vamap's own with it. (A timer
 * interrupt the firmware takes while vamap's own code runs still counts
 * as vamap's.)
 */
extern u64 stub_fw_ticks;
#define fw_call(...)                                                        \
	({                                                                  \
		u64 fw_t0_ = rdtsc();                                       \
		EFI_STATUS fw_st_ = uefi_call_wrapper(__VA_ARGS__);         \
		stub_fw_ticks += rdtsc() - fw_t0_;                          \
		fw_st_;                                                     \
	})

/*
 * Log a line on ConOut and, when QEMU's debugcon answers, on it too. After
 * stub_console_boot_services_gone() only the debug port is used: the first
 * ExitBootServices call, successful or not, forbids ConOut (UEFI 2.10, 7.4).
 */
void stub_log(const char *fmt, ...) __printf(1, 2);
void stub_console_init(void);
void stub_console_boot_services_gone(void);

/* "WRITE_PROTECTED" for a status (efi/names.c, built into the stub too;
 * its header would clash with gnu-efi's definitions). */
const char *efi_status_name(u64 st);

/* Which memory types are RAM (efi/memdesc.c, shared with the kernel's
 * direct map so init_pg_dir's 1:1 map covers the same memory). */
bool efi_type_is_ram(u32 type);

/* Why a descriptor's range cannot be used, or NULL (efi/memdesc.c: the
 * one validator, which the kernel's copy of the map uses too). */
const char *efi_desc_range_problem(u64 phys_start, u64 num_pages);

/* Write a report an earlier run kept in variables to \vamap\results\ on
 * the volume we were loaded from (boot/results.c). */
void stub_results(EFI_LOADED_IMAGE *li, struct boot_info *bi);
/* The stem (YYYYMMDD-hhmmss) of the report stub_results wrote at this
 * boot, "" when it wrote none. */
const char *stub_results_stem(void);
/* Write @len bytes as \vamap\results\@name (replacing one of that name). */
EFI_STATUS stub_write_result_file(EFI_LOADED_IMAGE *li, const char *name,
				  const void *data, UINTN len);
/* Delete \vamap\results\@name, if it is there. */
void stub_delete_result_file(EFI_LOADED_IMAGE *li, const char *name);
/* The firmware's clock as YYYYMMDD-hhmmss ("unknown-time" without one). */
void stub_stamp(char *out, size_t max);
/* Read file @path from the volume we were loaded from (boot/stub.c). */
bool read_volume_file(EFI_LOADED_IMAGE *li, CHAR16 *path, char *out,
		      size_t max, UINTN *len, bool *too_long);

/* modes= (include/modes.h): what this boot does in the sequence. */
enum stub_modes {
	STUB_MODES_OFF,	 /* no modes= on the command line */
	STUB_MODES_RUN,	 /* a mode was started: efi=MODE added */
	STUB_MODES_DONE, /* the sequence is over: the matrix is written */
};
enum stub_modes stub_modes(EFI_LOADED_IMAGE *li, struct boot_info *bi,
			   u64 modes, bool *pass);

/* Name the machine in boot_info.machine: system table, SMBIOS types 0
 * and 1, Secure Boot (boot/machine.c). Call after find_config_tables. */
void stub_read_machine(struct boot_info *bi);

/*
 * Load and start every \vamap\drivers\*.efi on the volume we were loaded
 * from, in name order, logging each (boot/drivers.c). A driver that fails
 * to load or start is a line in the log; the boot goes on.
 */
void stub_load_drivers(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
		       struct boot_info *bi);

/* Note every runtime image the firmware loaded (struct boot_rt_image):
 * where it lies and the firmware file it came from (boot/drivers.c). */
void stub_note_rt_images(struct boot_info *bi);

/*
 * Build init_pg_dir from a memory map: the 1:1 map (2 MiB pages) of every
 * 2 MiB chunk that holds RAM of any kind, and the kernel image at its link
 * address. Allocates its tables with AllocatePages (LoaderData) and fills the
 * boot_info page-table fields. Returns EFI_SUCCESS or the failing status.
 */
EFI_STATUS stub_build_init_pg_dir(const void *map, UINTN map_size,
				  UINTN desc_size, u64 kernel_phys,
				  u64 kernel_span, struct boot_info *bi);

/* EFI_STATUS as the 64-bit code names it: a 32-bit firmware's error bit
 * is bit 31 (UEFI 2.10 Appendix D), vamap's tables use bit 63. */
static inline u64 stub_status64(EFI_STATUS st)
{
#ifdef __x86_64__
	return st;
#else
	return (st & 0x80000000u) ? ((u64)(st & 0x7fffffffu) | (1ull << 63))
				  : (u64)st;
#endif
}
#define stub_status_name(st) efi_status_name(stub_status64(st))

/*
 * The mode switch (boot/longmode.c): stub_longmode_place copies it into
 * two LoaderCode pages below 4 GiB; stub_longmode_to_kernel enters the
 * kernel through it on init_pg_dir (4-level paging, 64-bit mode), from
 * 5-level paging or from 32-bit firmware. test=la57-enter turns 5-level
 * paging on through it first (stub_longmode_enter_la57, 64-bit stub only).
 */
EFI_STATUS stub_longmode_place(u64 *base);
__attribute__((noreturn)) void
stub_longmode_to_kernel(u64 base, const struct boot_info *bi, u64 bi_phys);
bool stub_cpu_has_la57(void);
void stub_longmode_enter_la57(u64 base);

#endif
