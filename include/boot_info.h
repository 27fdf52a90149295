/* SPDX-License-Identifier: MIT */
/*
 * The stub → kernel handoff. The stub fills one boot_info in LoaderData
 * memory and jumps to the kernel with its physical address in RDI, on
 * init_pg_dir, which maps it 1:1. Every pointer here is a physical address.
 *
 * Versioning: magic, version and size come first and never move. A kernel
 * refuses a boot_info whose magic or version it does not know, or whose size
 * is smaller than its own struct; fields are only ever appended.
 */
#ifndef VAMAP_BOOT_INFO_H
#define VAMAP_BOOT_INFO_H

#include "modes.h"
#include "types.h"

#define BOOT_INFO_MAGIC 0x4f464e49504d4156ULL /* "VAMPINFO" little-endian */
#define BOOT_INFO_VERSION 1
#define BOOT_CMDLINE_MAX 1024

/* Where the command line came from (boot_info.cmdline_source): a mask,
 * the file's words first, then the LoadOptions' (cmdline_compose). */
enum boot_cmdline_source {
	CMDLINE_NONE = 0,
	CMDLINE_LOAD_OPTIONS = 1, /* LoadOptions: -append, GRUB, the Shell */
	CMDLINE_FILE = 2,	  /* \vamap\cmdline.txt on the boot volume */
};

#define BOOT_CMDLINE_IGNORED_MAX 128

/* GOP pixel formats we record (UEFI 2.10, 12.9: EFI_GRAPHICS_PIXEL_FORMAT). */
enum boot_fb_format {
	FB_NONE = 0,
	FB_RGBX = 1, /* PixelRedGreenBlueReserved8BitPerColor */
	FB_BGRX = 2, /* PixelBlueGreenRedReserved8BitPerColor */
	FB_BITMASK = 3,
};

struct boot_framebuffer {
	u64 base; /* physical */
	u64 size; /* bytes */
	u32 width, height;
	u32 stride; /* pixels per scan line */
	u32 format; /* enum boot_fb_format */
	u32 red_mask, green_mask, blue_mask, reserved_mask;
};

/* TSC readings at each boot phase the stub sees; the kernel adds its own. */
struct boot_timestamps {
	u64 stub_entry;
	u64 before_ebs; /* just before the ExitBootServices that succeeded */
	u64 after_ebs;
};

/* How the stub found the TSC frequency (boot/stub.c, calibrate_tsc). */
enum boot_tsc_source {
	BOOT_TSC_NONE = 0,	/* every way failed: tsc_khz is 0 */
	BOOT_TSC_CPUID_15 = 1,	/* CPUID 0x15: crystal Hz x EBX / EAX */
	BOOT_TSC_CPUID_16 = 2,	/* CPUID 0x15's ratio, 0x16's base MHz */
	BOOT_TSC_PM_TIMER = 3,	/* counted against the ACPI PM timer */
	BOOT_TSC_STALL = 4,	/* counted over BS->Stall(10 ms) */
};

enum boot_pm_timer_state {
	BOOT_PM_TIMER_NONE = 0,	  /* none named, or no FADT: pm_timer_why */
	BOOT_PM_TIMER_COUNTS = 1,
	BOOT_PM_TIMER_STUCK = 2,  /* 1000 reads, one value */
};

struct boot_stub_timestamps {
	u64 inputs;	  /* command line, waivers, last report read */
	u64 drivers;	  /* \vamap\drivers\ started */
	u64 calib_start;  /* TSC calibration */
	u64 calib_end;
	u64 kernel_ready; /* kernel loaded, init_pg_dir built */
	u64 firmware;	  /* ticks inside firmware calls up to before_ebs */
};

enum boot_waivers_state {
	BOOT_WAIVERS_NONE = 0,	   /* no \vamap\waivers.txt */
	BOOT_WAIVERS_READ = 1,
	BOOT_WAIVERS_TOO_LONG = 2, /* over WAIVERS_MAX_TEXT - 1 bytes: none */
};

/* A runtime driver the stub loaded from \vamap\drivers\ (boot/drivers.c). */
#define BOOT_DRIVERS_MAX 16
#define BOOT_DRIVER_NAME_MAX 32
struct boot_driver {
	u64 base;	/* ImageBase (physical), 0 if it did not load */
	u64 size;	/* ImageSize */
	u64 status;	/* LoadImage's status if it failed, else StartImage's */
	u32 code_type;	/* ImageCodeType: EfiRuntimeServicesCode for a driver */
	u32 reserved;
	char name[BOOT_DRIVER_NAME_MAX]; /* the file name, ASCII */
};

/* Secure Boot as the stub read it (boot_machine.secure_boot). */
enum boot_secure_boot {
	BOOT_SB_UNKNOWN = 0,	/* SecureBoot could not be read */
	BOOT_SB_OFF = 1,	/* SecureBoot = 0 */
	BOOT_SB_ON = 2,		/* SecureBoot = 1 */
	BOOT_SB_ABSENT = 3,	/* no SecureBoot variable (UEFI 2.10 3.3) */
};

/* The machine, named in the log and the report (docs/results-format.md):
 * from the system table, SMBIOS types 0 and 1, the SecureBoot and
 * SetupMode variables. Strings are printable ASCII, NUL-terminated, ""
 * where the firmware gave none; smbios_why says why there are none. */
#define BOOT_NAME_MAX 64
struct boot_machine {
	char fw_vendor[BOOT_NAME_MAX];	/* EFI_SYSTEM_TABLE.FirmwareVendor */
	u32 fw_revision;		/* EFI_SYSTEM_TABLE.FirmwareRevision */
	u32 uefi_revision;		/* EFI_SYSTEM_TABLE.Hdr.Revision */
	u32 smbios_version;		/* major << 8 | minor, 0 if none */
	u32 smbios_v3;			/* read through the 3.x entry point */
	char smbios_why[BOOT_NAME_MAX];
	char bios_vendor[BOOT_NAME_MAX];
	char bios_version[BOOT_NAME_MAX];
	char bios_date[BOOT_NAME_MAX];
	char sys_manufacturer[BOOT_NAME_MAX];
	char sys_product[BOOT_NAME_MAX];
	u32 secure_boot;		/* enum boot_secure_boot */
	u32 setup_mode;			/* SetupMode = 1 */
	/* The firmware's memory protections as the OS is told of them:
	 * whether EFI_MEMORY_ATTRIBUTE_PROTOCOL is installed (enum
	 * boot_presence), and the memory attributes table's header
	 * (UEFI 2.10 4.6.4: Version, and Flags, which version 1 called
	 * Reserved), mat_version 0 when there is no table. */
	u32 mem_attr_protocol;
	u32 mat_version;
	u32 mat_flags;
	u32 mat_entries;
	/* SMBIOS type 19: where the machine says its memory is (bytes, end
	 * exclusive), for efi.memmap.complete; counts as smbios_strings. */
	struct { u64 start, end; } smbios_ram[16];
	u32 nr_smbios_ram;
	u32 smbios_ram_more;
	u32 smbios_ram_bad;
	u32 smbios_read;	/* the structure table was walked */
};

enum boot_presence {
	BOOT_PRESENCE_UNKNOWN,	/* the look-up failed otherwise */
	BOOT_PRESENCE_YES,
	BOOT_PRESENCE_NO,	/* NOT_FOUND */
};

/* UEFI 2.10 4.6.4, EFI_MEMORY_ATTRIBUTES_TABLE.Flags (version 2). */
#define EFI_MAT_FLAG_RT_FORWARD_CONTROL_FLOW_GUARD 0x1u

struct boot_info {
	u64 magic;
	u32 version;
	u32 size; /* sizeof(struct boot_info) as the stub built it */

	/* The memory map exactly as GetMemoryMap returned it. */
	u64 memmap;	 /* physical address of the first descriptor */
	u64 memmap_size; /* bytes */
	u64 memmap_desc_size;
	u32 memmap_desc_version;
	u32 ebs_attempts; /* ExitBootServices calls made, 1 if no retry */

	u64 system_table; /* EFI_SYSTEM_TABLE, physical */
	u64 acpi_rsdp;	  /* ACPI RSDP (2.0 GUID, else 1.0), 0 if absent */
	u64 smbios;	  /* SMBIOS 2.x entry point, 0 if absent */
	u64 smbios3;	  /* SMBIOS 3.x entry point, 0 if absent */
	u64 mem_attr_table; /* EFI_MEMORY_ATTRIBUTES_TABLE, 0 if absent */

	u64 kernel_phys; /* where the image's lowest segment was loaded */
	u64 kernel_virt; /* its link address */
	u64 kernel_size; /* bytes from the lowest to the highest segment end */
	u64 kernel_entry; /* virtual */

	u64 stub_base; /* the stub's own image, as LoadedImage reports it */
	u64 stub_size;
	u64 init_pg_dir;	/* physical; CR3 at kernel entry */
	u32 init_pg_pages;	/* page-table pages the stub used for it */
	u32 cpu_has_1g_pages;	/* CPUID.80000001h:EDX[26] seen by the stub */
	u64 identity_map_end;	/* init_pg_dir maps [0, this) 1:1 where RAM */

	u64 tsc_khz; /* 0 if no way to find it worked; see tsc_source */
	struct boot_timestamps ts;
	struct boot_framebuffer fb;

	u32 cmdline_source; /* enum boot_cmdline_source */
	u32 test_flags;	    /* knobs the stub honoured itself */
	char cmdline[BOOT_CMDLINE_MAX]; /* ASCII, NUL-terminated */
	u64 rt_properties; /* EFI_RT_PROPERTIES_TABLE, 0 if absent */
	/* An earlier run's report is still in its variables: the stub could
	 * not write it out, and the kernel must not overwrite it. */
	u32 results_pending;
	u32 reserved0;
	/* LoadOptions that held no vamap word, left out of cmdline (another
	 * loader's arguments, such as U-Boot's bootargs); "" if none. */
	char cmdline_ignored[BOOT_CMDLINE_IGNORED_MAX];
	/* LoaderData pages for the kernel's copy of the memory map and its
	 * frame allocator, sized for this map: BOOT_SCRATCH_BYTES_PER_DESC
	 * per entry, two entries per descriptor plus slack. */
	u64 scratch;	  /* physical */
	u64 scratch_size; /* bytes */
	/* Drivers loaded before ExitBootServices, in name order. */
	u32 ndrivers;
	u32 drivers_left_out; /* .efi files beyond BOOT_DRIVERS_MAX */
	struct boot_driver drivers[BOOT_DRIVERS_MAX];
	/* \vamap\waivers.txt (include/verdict.h) in the stub's image:
	 * physical address and length; waivers_state is enum
	 * boot_waivers_state. */
	u64 waivers;
	u32 waivers_size;
	u32 waivers_state;
	/* Where tsc_khz came from (enum boot_tsc_source). */
	u32 tsc_source;
	/* The FADT's PM timer (enum boot_pm_timer_state): its port, width
	 * mask, the first value read, or why there is none. */
	u32 pm_timer_state;
	u32 pm_timer_port;
	u32 pm_timer_mask;
	u32 pm_timer_value;
	char pm_timer_why[48];
	/* The stub's own phases between stub_entry and ts.before_ebs (TSC),
	 * for the phase lines and `make bench`. */
	struct boot_stub_timestamps stub_ts;
	/* BS->GetNextMonotonicCount at stub entry, and the highest high
	 * count the run before saw, from its report (mono_prev_known). */
	u64 mono_count;
	u64 mono_status;
	u32 mono_prev_known;
	u32 mono_prev_high;
	struct boot_machine machine;
	/* The System Table's, Boot Services' and Runtime Services' headers
	 * (efi_table_hdr.h) as the stub found them before and after starting
	 * the drivers: a BOOT_TABLE_* bit per table that failed, and the first
	 * problem in words ("" when none). */
	u32 tables_bad[2];
	char tables_why[120];
	/* modes= (include/modes.h): the sequence as this boot's stub left
	 * it, for the kernel to record its reset in (modes_next: the
	 * sequence goes on, reset at the end); the mode the boot before
	 * started and how it ended (MODES_NONE, MODES_RESET_NONE outside a
	 * sequence), for efi.reset_system. */
	struct modes_state modes;
	u32 modes_next;
	u32 modes_prev_mode;
	u32 modes_prev_reset;
	u32 modes_step;		/* this boot's place: 1 for the first mode */
	/* The firmware's runtime images (struct boot_rt_image), an array in
	 * the stub's image (physical), copied by the kernel before it hands
	 * LoaderData memory to its allocator; rt_images_more: beyond
	 * BOOT_RT_IMAGES_MAX, left out. */
	u64 rt_images;
	u32 nr_rt_images;
	u32 rt_images_more;
	/* How the machine was handed to the kernel (enum boot_handoff): 0
	 * for 64-bit firmware in 4-level paging, the plain case. */
	u32 handoff;
	u32 firmware_bits; /* 64, or 32 for BOOTIA32.EFI */
	u64 longmode_blob; /* the mode switch (LONGMODE_PAGES), 0: not placed */
};

/* boot_info.handoff: what the stub did to reach the kernel's mode. */
enum boot_handoff {
	/* The firmware ran with 5-level paging (CR4.LA57 = 1): the stub
	 * turned paging off and on again with LA57 clear (boot/longmode.asm). */
	BOOT_HANDOFF_LA57 = 1u << 0,
	/* ... because test=la57-enter turned it on first. */
	BOOT_HANDOFF_LA57_TEST = 1u << 1,
	/* 32-bit firmware: the stub entered long mode itself. */
	BOOT_HANDOFF_FW32 = 1u << 2,
};

/*
 * A runtime image the firmware loaded (UEFI 2.10 9.1: a handle with
 * EFI_LOADED_IMAGE_PROTOCOL whose ImageCodeType is EfiRuntimeServicesCode):
 * where it lies and the firmware file it came from, the GUID of its
 * FilePath's MEDIA_PIWG_FW_FILE_DP node (PI 1.8 II-8.3), has_file 0 when
 * there is none. Fault reports name code without a CodeView entry by it.
 */
struct boot_rt_image {
	u64 base, size;
	u8 file[16];
	u32 has_file;
	u32 reserved;
};
#define BOOT_RT_IMAGES_MAX 64

enum {
	BOOT_TABLE_SYSTEM = 1u << 0,
	BOOT_TABLE_BOOT_SERVICES = 1u << 1,
	BOOT_TABLE_RUNTIME_SERVICES = 1u << 2,
};

/* Bytes of scratch per entry: a struct mem_region and a struct frange,
 * rounded up (checked in mm/paging.c). */
#define BOOT_SCRATCH_BYTES_PER_DESC 64

compile_assert(boot_info_fits_one_page, sizeof(struct boot_info) <= 4096);
compile_assert(boot_info_header_fixed,
	       __builtin_offsetof(struct boot_info, memmap) == 16);
/* BOOTIA32.EFI (-m32 -malign-double) fills the struct the 64-bit kernel
 * reads: both builds must lay it out alike. Appending a field moves these
 * two numbers, in both builds or in neither. */
compile_assert(boot_info_size_both_stubs, sizeof(struct boot_info) == 0xe90);
compile_assert(boot_info_machine_both_stubs,
	       __builtin_offsetof(struct boot_info, machine.smbios_ram[1]) ==
	       0xc38);

#endif
