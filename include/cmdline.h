/* SPDX-License-Identifier: MIT */
/*
 * The vamap command line: space-separated `key` or `key=value` words.
 * Parsed by the stub (for the knobs it honours itself) and by the kernel.
 * Both build kernel/cmdline.c; it calls nothing outside itself.
 *
 *   exit=halt|qemu       what to do at the end (default halt): qemu writes
 *                        the result to QEMU's isa-debug-exit port
 *   efi=slot|linux|1to1|novamap|noruntime   the runtime mapping mode
 *   reset=cold|warm|shutdown   call ResetSystem at the end
 *   results=save|off     keep the report for the next boot (default save)
 *   efi.timeout=MS       bound on one firmware call, 0 = no watchdog
 *                        (default CMDLINE_EFI_TIMEOUT_MS)
 *   smp.timeout=MS       how long an AP has to come online, 1..600000
 *                        (default CMDLINE_SMP_TIMEOUT_MS)
 *   efi.strict           (default) efi_pgd holds only what a call needs
 *                        of the kernel half (include/efi_pgd.h)
 *   efi.shared           efi_pgd shares the whole kernel half (the seeds'
 *                        design, Linux's efi_mm): vamap's data and bss
 *                        writable and watched (efi/kguard.c), the rest
 *                        read-only (efi/pgd.c, efi_pgd_make_shared)
 *   only=GLOB[,GLOB...]  report only the checks a glob selects: '*' is any
 *                        run of characters, a glob without one names a
 *                        label or its group (efi.variable); the others
 *                        are SKIPs "not selected", and a check that calls
 *                        the firmware is then not made (efi_usable)
 *   skip=GLOB[,GLOB...]  the same, for checks to leave out; words add up
 *   fail-on=low|medium|high|critical   the least severity whose failure
 *                        fails the run (default low: every one); a failure
 *                        below it prints as "# TODO below fail-on=…"
 *   svam=PROBE[,PROBE...]  before its own SetVirtualAddressMap, hand the
 *                        firmware maps it must refuse (enum svam_probe;
 *                        efi/setup.c, docs/checks.md)
 *   test=KNOB[,KNOB...]  fault injection for tests, see enum test_knob
 *   verbose              more detail in the log
 *   json                 the report as JSON on the console at the end
 *   bench                after the report, time each read-only runtime
 *                        service with and without the calling-convention
 *                        checks (efi/bench.c; `make bench` uses it)
 */
#ifndef VAMAP_CMDLINE_H
#define VAMAP_CMDLINE_H

#include "types.h"

enum exit_mode {
	EXIT_HALT = 0,
	EXIT_QEMU = 1,
};

/* test= knobs, one bit each. */
enum test_knob {
	TEST_STALE_MAPKEY = 1u << 0, /* stub: make the first EBS key stale */
	TEST_PAGE_FAULT = 1u << 1,   /* kernel: touch an unmapped address */
	TEST_GP_FAULT = 1u << 2,     /* kernel: touch a non-canonical address */
	TEST_BAD_PA = 1u << 3,	     /* kernel: __pa() of an image address */
	TEST_EFI_FAULT = 1u << 4,    /* efi: unmap one runtime data region */
	TEST_MADT_CORRUPT = 1u << 5, /* smp: parse a MADT copy with a bad checksum */
	TEST_EFI_LOWREF = 1u << 6,   /* efi: hand GetTime a boot-services PA */
	TEST_AP_NOSIPI = 1u << 7,    /* smp: INIT the first AP but send no SIPI */
	TEST_BAD_DESC_SIZE = 1u << 8, /* kernel: take the map's desc_size as 32 */
	TEST_MEMATTR_CORRUPT = 1u << 9, /* efi: break 3 attributes-table entries */
	TEST_NO_RUNTIME_DESCS = 1u << 10, /* efi: plan with no runtime descriptor */
	TEST_FRAGMENT_MAP = 1u << 11, /* stub: allocate every other page of a range */
	TEST_EFI_LOWREF_KERNEL = 1u << 13, /* efi: hand GetTime swapper_pg_dir's PA */
	TEST_LA57_ENTER = 1u << 12, /* stub: turn 5-level paging on first */
	TEST_MEMATTR_XP = 1u << 14,  /* efi: mark GetTime's attributes entry XP */
	TEST_STACK_OVERFLOW = 1u << 15, /* kernel: recurse past the boot stack */
	TEST_EFI_HANG = 1u << 16,    /* efi: a call that never returns */
	TEST_NMI_DURING_CALL = 1u << 17, /* smp: an NMI to the BSP in a call */
	TEST_EFI_DIRECTMAP = 1u << 18, /* efi: hand GetTime a direct-map pointer */
	TEST_TRIPLE_FAULT = 1u << 19, /* kernel: fault with no IDT */
	TEST_WALK_UNREADABLE = 1u << 20, /* efi: read the walk's names under
					  * a GUID one bit off */
	TEST_BAD_BOOT_INFO = 1u << 21, /* kernel: boot.info sees no stub image */
	TEST_IDENTITY_HOLE = 1u << 22, /* smp: trampoline_pgd without its low
					* 512 GiB while smp.identity looks */
	TEST_BAD_CONVERSION = 1u << 23, /* mm: kernel_phys_base off by 2 MiB
					 * while mm.conversions looks */
	TEST_FIXMAP_MISMATCH = 1u << 24, /* mm: a table signature read
					  * through the fixmap, one bit off */
	TEST_STRICT_LEAK = 1u << 25, /* efi: efi-directmap's page left
				      * writable in a guarded efi_pgd */
	TEST_NMI_AS_FAULT = 1u << 26, /* efi: the AP's NMI during a stand-in
				       * call taken as the firmware's fault */
	TEST_WP_OFF = 1u << 27,	/* kernel: CR0.WP clear while cpu.control
				 * and cpu.write_protect look */
	TEST_WATCHDOG_LATE = 1u << 28, /* smp: the watching AP answers its
					* first wake-up after the bound */
	TEST_SLOW_LEND = 1u << 29, /* efi: the handler lending a page takes
				    * longer than efi.timeout= */
	TEST_FATAL_IN_CALL = 1u << 30, /* efi: a #MC (INT 18) inside a call */
	TEST_AP_LATE = 1u << 31, /* smp: the second AP answers after the wait */
	TEST_EFI_HANG_VAMAP = 1ULL << 32, /* efi: efi-hang, spinning in
					   * vamap's own text */
	TEST_MEMMAP_HOLE = 1ULL << 33, /* kernel: SMBIOS's last type 19
					* range taken as 64 MiB longer */
	TEST_SMI_IPI = 1ULL << 34, /* smp: an SMI IPI to an AP before each
				    * runtime call */
	TEST_SMI_LATE = 1ULL << 35, /* efi: no_rt_at_runtime's SetVariable
				     * made with the CPU's SMIs held */
};

/* svam= probes, one bit each, run in this order (efi/setup.c). */
enum svam_probe {
	SVAM_PROBE_BAD_VERSION = 1u << 0, /* DescriptorVersion + 1 */
	SVAM_PROBE_BAD_SIZE = 1u << 1,	  /* DescriptorSize below the struct */
	SVAM_PROBE_UNKNOWN = 1u << 2,	  /* a range not in the memory map */
	SVAM_PROBE_MISSING = 1u << 3,	  /* one runtime descriptor left out */
	SVAM_PROBE_MISALIGNED = 1u << 4,  /* a VirtualStart off by 2 KiB */
	SVAM_PROBE_SHUFFLED = 1u << 5,	  /* vamap's own map, out of order */
};
#define SVAM_NR_PROBES 6

/* The svam= word for one enum svam_probe bit ("bad-version", ...). */
const char *cmdline_svam_probe_name(u32 bit);

/* Generous: a SetVariable that reclaims the variable store erases and
 * rewrites flash (seconds on real SPI flash); under TCG, four vCPUs on two
 * host cores, OVMF's flash driver was measured past 5000 ms. */
#define CMDLINE_EFI_TIMEOUT_MS 30000
#define CMDLINE_EFI_TIMEOUT_MAX 600000 /* ten minutes */

/* How long an AP has to come online after its SIPI, as Linux waits
 * (do_wait_cpu_cpumask: "Wait up to 10s for the CPU to report in"): an AP
 * the host runs late under TCG, or a slow core, is not a missing one. */
#define CMDLINE_SMP_TIMEOUT_MS 10000
#define CMDLINE_SMP_TIMEOUT_MAX 600000

#define CMDLINE_MAX_PROBLEMS 8
#define CMDLINE_PROBLEM_LEN 80

/* efi= modes, in the order of enum efi_mode (include/efi_pgd.h). */
#define CMDLINE_EFI_MODES 5

/* reset=: ResetSystem at the end of the run (real hardware). */
enum reset_request {
	RESET_NONE = 0,
	RESET_COLD,
	RESET_WARM,
	RESET_SHUTDOWN,
};

/* fail-on=: the least severity (include/verdict.h) whose failure fails
 * the run; 0, the default, counts every failure. */
enum fail_on {
	FAIL_ON_LOW = 0,
	FAIL_ON_MEDIUM,
	FAIL_ON_HIGH,
	FAIL_ON_CRITICAL,
};

/* only= and skip=: room for the globs of all words together. */
#define CMDLINE_GLOBS_MAX 256

/* results=: keep the report for the next boot's stub, or not. */
enum results_mode {
	RESULTS_SAVE = 0,
	RESULTS_OFF = 1,
};

/* The key=value options with a fixed set of values are unsigned ints, so
 * one table in cmdline.c parses them all; 0 is each one's default. */
struct options {
	unsigned int exit;     /* enum exit_mode */
	unsigned int efi_mode; /* enum efi_mode (include/efi_pgd.h) */
	unsigned int reset;    /* enum reset_request */
	unsigned int results;  /* enum results_mode */
	u64 test;	       /* enum test_knob bits */
	u64 svam_probes;       /* enum svam_probe */
	u64 modes;	       /* modes=: a bit per enum efi_mode (modes.h) */
	u32 efi_timeout_ms;    /* efi.timeout=; 0 turns the watchdog off */
	u32 smp_timeout_ms;    /* smp.timeout=: an AP's start-up bound */
	bool efi_strict;       /* efi.strict (default); false: efi.shared */
	bool verbose;
	bool json;	/* print the report as JSON at the end */
	bool bench;            /* bench */
	bool stress;           /* stress: efi/stress.c's loops */
	unsigned int fail_on;  /* enum fail_on */
	char only[CMDLINE_GLOBS_MAX]; /* only=: globs, comma-separated */
	char skip[CMDLINE_GLOBS_MAX]; /* skip= */
	/* Words the parser did not accept, each with why; they are ignored. */
	unsigned int nr_problems;
	char problems[CMDLINE_MAX_PROBLEMS][CMDLINE_PROBLEM_LEN];
};

/*
 * Parse @line (NUL-terminated ASCII) into @opt, which is reset first.
 * Unknown words and bad values are recorded in opt->problems and otherwise
 * ignored. Returns the number of problems found (they may exceed
 * CMDLINE_MAX_PROBLEMS; only that many are recorded).
 */
unsigned int cmdline_parse(const char *line, struct options *opt);

/*
 * Return a pointer past the argv[0] the UEFI Shell prepends to LoadOptions
 * (a first word naming an .efi file or a path with a backslash), or @line
 * itself when the first word is an option. Leading blanks are skipped.
 */
const char *cmdline_skip_argv0(const char *line);

/* Does the command line select check @label (only=, skip=)? */
bool cmdline_selected(const struct options *opt, const char *label);

/* Does @line hold at least one vamap word (a known key, whatever its
 * value, or a known flag)? */
bool cmdline_is_ours(const char *line);

/*
 * The command line from its two sources (README, "Command line"): the text
 * of \vamap\cmdline.txt (@file, NULL if absent), then the LoadOptions
 * (@options, argv[0] already skipped), so a LoadOptions word wins over a
 * file word for the same key. LoadOptions with no vamap word at all are
 * another loader's arguments (U-Boot hands its bootargs to every EFI
 * image): they are left out and *@options_ignored is set. Writes the
 * NUL-terminated result to @out; returns its length, or -ENOSPC when it
 * does not fit @size bytes (never a silent cut).
 */
int cmdline_compose(const char *file, const char *options, char *out,
		    size_t size, bool *options_ignored);

#endif
