/* SPDX-License-Identifier: MIT */
/*
 * Every efi= mode from one stick (modes= on the command line; README,
 * "Every mode from one stick"). The stub runs the sequence: at each boot it
 * writes the run before's report to the stick (boot/results.c), starts the
 * next mode of the set by adding efi=MODE to the kernel's command line, and
 * records that in the VamapModes variable; the kernel, its report saved,
 * resets the machine (ResetSystem where it may call the firmware, else the
 * reset port) and records how. The boot after the last mode writes the
 * whole matrix to the stick (boot/matrix.c), deletes the variable and
 * stops. The next boot's kernel judges the reset the boot before asked for
 * (efi.reset_system).
 */
#ifndef VAMAP_MODES_H
#define VAMAP_MODES_H

#include "types.h"

#define MODES_MAX 5		/* enum efi_mode's count (efi_pgd.h) */
#define MODES_STATE_MAGIC 0x31534d56u /* "VMS1" */
#define MODES_STEM_MAX 20	/* "YYYYMMDD-hhmmss" and a NUL, rounded */
#define MODES_NONE 0xffffffffu
#define MODES_NORUNTIME 4	/* enum efi_mode's EFI_MODE_NORUNTIME */

/* How the boot that started a mode left it (struct modes_state). */
enum modes_reset {
	MODES_RESET_NONE = 0,	  /* no reset recorded: the run ended otherwise */
	MODES_RESET_PORT,	  /* no runtime call allowed: the reset port */
	MODES_RESET_SYSTEM,	  /* ResetSystem(EfiResetCold) was called */
	MODES_RESET_RETURNED,	  /* ... and returned: the reset port then */
};

/* The VamapModes variable (vamap's vendor GUID, NV+BS+RT). */
struct modes_state {
	u32 magic;
	u32 mask;		/* the sequence's modes, a bit per efi_mode */
	u32 launched;		/* the modes started so far */
	u32 last;		/* the mode the last boot started, MODES_NONE */
	u32 reset_via;		/* enum modes_reset: how that boot ended */
	u32 pad;
	char start[MODES_STEM_MAX]; /* the sequence's first stamp */
	char report[MODES_MAX][MODES_STEM_MAX]; /* each mode's report stem */
	u32 resets[MODES_MAX];	/* how each mode's boot ended (modes_reset) */
};

#endif
