/* SPDX-License-Identifier: MIT */
/*
 * The kernel's EFI side (efi/setup.c, efi/runtime.c): efi_pgd, the 1:1 map,
 * SetVirtualAddressMap, the runtime-service wrappers, firmware faults.
 */
#ifndef VAMAP_EFI_STATE_H
#define VAMAP_EFI_STATE_H

#include "boot_info.h"
#include "cmdline.h"
#include "efi_pgd.h"
#include "efi_rt.h"
#include "efi_call_state.h"
#include "efi_va.h"
#include "traps.h"

/* Why a check makes no call under efi=noruntime: the one wording every
 * SKIP and the runtime-services-off line use. */
#define EFI_NORUNTIME_WHY "efi=noruntime: vamap calls no runtime service"

/* A buffer the firmware writes into (an argument of a call): kept writable
 * in a strict efi_pgd (linker/kernel.ld). Locals on the boot stack are. */
#define __efi_shared __attribute__((section(".bss.efi_shared")))

/* State other CPUs write during a firmware call, vamap's stack and the
 * thunk's state, efi.shared's own: not compared by its watch, read-only in
 * every efi_pgd (efi/kguard.c, linker/kernel.ld). */
#define __kguard_unwatched __attribute__((section(".bss.unwatched")))

/* The boot stack every firmware call runs on (kernel/entry.asm). */
#define EFI_CALL_STACK_KIB 16

struct efi_state {
	enum efi_mode mode;
	bool runtime_enabled;	/* cleared by a firmware fault or a failure */
	bool fault_disabled;	/* ... and it was a firmware fault */
	bool report_only;	/* re-enabled for the saved report alone */
	const char *disabled_why;
	/* 32-bit (IA32) firmware: its tables read as such, its services
	 * called in compatibility mode (efi/fw32.c, efi/thunk32.asm). */
	bool fw32;
	u64 efi_pgd;		/* physical; 0 until built */
	struct pt_ctx *pt;	/* mm/'s table builder, for efi_pgd */
	u64 fn[RT_NR_SERVICES];	/* service pointers as callable now */
	u64 system_table;	/* physical */
	u32 rt_supported;	/* RT properties table bits, ~0 if absent */
	bool have_rt_properties;
	efi_status_t svam_status;
	bool svam_called;
	/* svam= probes (efi/setup.c): each asked one's status and what it
	 * broke; a probe the firmware accepted ends the run of probes, and
	 * vamap's own map is never passed. */
	struct {
		bool run;
		efi_status_t status;
		char what[112];
	} probe[SVAM_NR_PROBES];
	unsigned int probe_accepted; /* 1 + the accepted probe's index, or 0 */
	u64 svam_fn_after;	/* SetVirtualAddressMap as SVAM left it */
	/* efi.svam.location: SetVirtualAddressMap and ConvertPointer were
	 * looked up in the memory map when the table was read, and which lay
	 * outside RuntimeServicesCode (bit 0: SVAM, bit 1: ConvertPointer). */
	bool svam_located;
	u32 svam_misplaced;
	unsigned int tables_bad;     /* table headers found invalid (efi.tables) */
	unsigned int tables_checked; /* times the kernel checked them */
	bool pointers_ok;
	unsigned int pointers_bad; /* service pointers efi.pointers refused */
	bool no_runtime_regions; /* the map has no EFI_MEMORY_RUNTIME descriptor */
	/* RuntimeCode pages mapped RWX because no valid memory attributes
	 * entry splits them (efi/setup.c, map_final) */
	u64 forced_rwx_pages;
	struct efi_va_plan plan;
	u64 t_efi_pgd_built, t_svam_returned; /* TSC, for the phase table */
	u64 t_svam_call;		     /* the SetVirtualAddressMap call */
	u64 tsc_khz;			     /* from boot_info, for calls/s */
	/* The highest high monotonic count this run saw (efi_conform.h). */
	bool mono_seen;
	u32 mono_high;
	u64 t_conform_start, t_conform_end;  /* efi_conformance() */
	bool low_half_dropped;	/* the 1:1 map left efi_pgd after SVAM */
	bool bs_window_unmapped; /* efi=linux: boot-services regions left the window */
	u64 lent_pages;		/* firmware pages lent after stray accesses */
	u64 lent_window;	/* of them, by boot-services window address */
	unsigned int kernel_refused; /* calls ended: they reached kernel memory */
	unsigned int stray_refused; /* calls ended by a stray access after SVAM
				     * (efi_fault_stray), kernel memory or not */
	unsigned int hung_calls; /* calls the watchdog ended */
	unsigned int faults;	/* calls an exception ended (efi.fault) */
	unsigned int fault_svc;	/* ... the first of them, and its vector */
	u64 fault_vector;
	unsigned int handler_overran; /* vamap's handler on top of a call ran
				       * past the watchdog's bound (not charged) */
	bool strict;		/* efi.strict: efi_pgd without the direct map */
	bool guarded;		/* efi_pgd keeps vamap's unwatched memory out or
				 * read-only (efi.strict, or efi.shared built) */
	u64 strict_pages;	/* kernel-half pages a strict efi_pgd holds */
	unsigned int shared_written; /* efi.shared: calls that changed vamap's
				      * own memory (efi/kguard.c) */
	unsigned int shared_first_svc;
	unsigned int guard_refused; /* calls ended reaching kernel-half memory
				     * efi_pgd leaves out or read-only */
	unsigned int guard_refused_svc; /* ... the first of them */
	unsigned int abi_bad_calls; /* calls that broke the convention */
	unsigned int abi_first_svc; /* ... the first of them */
	u64 abi_reported[RT_NR_SERVICES]; /* EFI_ABI_BAD_* bits (efi_abi.h)
					   * named, per service */
	unsigned int buf_bad;	/* calls that wrote outside a buffer they
				 * were handed, or into an input */
	unsigned int buf_bad_svc; /* ... the first of them */
	u64 stack_max;		/* deepest stack use of a call, bytes */
	bool stack_at_least;	/* a call used a whole painted window */
	unsigned int stack_max_svc;
	unsigned int stack_overflows; /* calls that ran off the stack */
	unsigned int stack_overflow_svc;
	unsigned int stack_above; /* calls that touched above their frame */
	unsigned int stack_above_svc;
	unsigned int calls;	/* firmware calls made */
	/* SMIs the calling CPU took during runtime calls (smi.h), per
	 * service: calls counted, their SMIs, the most in one call; and the
	 * last call's (SMI_UNKNOWN without a counter). */
	struct efi_smi_tally {
		u32 calls, smis, most;
	} smi[RT_NR_SERVICES];
	u32 call_smis;
	/* The last runtime call made and the one before it: a wrong answer
	 * that is the call before's status is a reply left over, evidence
	 * that the firmware never answered the call at all (issue 27). */
	struct efi_answer last, before;
	bool hold_smis_once;	/* test=smi-late: the next call's SMIs held */
	const char *smi_late_label; /* ... the check whose call it is */
	u32 ndrivers;		/* runtime drivers the stub started */
	struct boot_driver drivers[BOOT_DRIVERS_MAX];
};

extern struct efi_state efi;

/* A runtime call to @svc returned @st (efi_call, and the host tests'). */
static inline void efi_answered(unsigned int svc, efi_status_t st)
{
	efi.before = efi.last;
	efi.last.made = true;
	efi.last.svc = svc;
	efi.last.st = st;
}

/* Set everything up for @mode (from the command line). Runs after
 * swapper_pg_dir is live; every failure is logged and turns runtime
 * services off, and the boot goes on. */
void efi_setup(const struct boot_info *bi, enum efi_mode mode);

/* Give boot-services memory to the frame allocator. Until then it stays
 * reserved, so a stray firmware access to it can be lent a page
 * (efi_fault.h) and never meets a kernel allocation; main.c calls this
 * after the checks and the saved report. */
void efi_release_boot_services(void);

/* SetVirtualAddressMap once more, with the map vamap passed (efi.svam.second,
 * efi/conform.c): through the pointer SVAM left, with the runtime regions
 * mapped 1:1 for the call if it is a physical address. *@how says which. */
efi_status_t efi_svam_again(const char **how);

/* Fault injections for the checks' failure paths (efi/inject.c), each
 * doing nothing without its test= knob: test=efi-hang (a call that spins),
 * test=fatal-in-call (a #MC inside a call); test=nmi-as-fault's call that
 * waits for the watching AP's NMI (its caller checks the knob). */
void efi_inject_hang(void);
void efi_inject_fatal(void);
void efi_inject_nmi_as_fault(void);

/* The dump of efi_pgd's own part and the runtime checks, each a KTAP line
 * (efi/checks.c). */
void efi_dump_pgd(void);
void efi_checks(const struct boot_info *bi);

/* Keep @text (the report) in non-volatile variables for the stub to write
 * to the boot volume on the next boot (include/results.h). Logs what it
 * did. After a firmware fault turned runtime services off it tries once
 * more, for the report alone; for any other reason they are off it does
 * nothing. */
void efi_save_results(const char *text, u32 len);

/* ResetSystem, when the command line asks for it. Returns only if the
 * firmware does not reset (or runtime services are off). */
void efi_reset(enum efi_reset_type type);

/* modes= (include/modes.h): NULL when the run may end in ResetSystem,
 * recording it in VamapModes first (runtime services on, both services
 * supported), else why not, in words. */
const char *efi_modes_no_reset(void);
struct modes_state;
/* Write VamapModes: 0, or an error (already said) when the firmware may
 * not be called or refused. */
int efi_save_modes_state(const struct modes_state *s);

/*
 * Call runtime service @svc with @nargs arguments through the thunk on
 * efi_pgd. Returns the service's status, or EFI_ABORTED when runtime
 * services are off or a fault, hang or NMI ended the call (then they are
 * off from now on and it is reported). A stray access lent a page
 * (efi_fault.h) resumes the call instead.
 */
efi_status_t efi_call(enum efi_rt_service svc, unsigned int nargs, ...);

/* GetVariable and SetVariable (UEFI 2.10, 8.2) through efi_call. */
static inline efi_status_t efi_get_variable(const u16 *name,
					    const struct efi_guid *g, u32 *attr,
					    u64 *size, void *data)
{
	return efi_call(RT_GET_VARIABLE, 5, (u64)name, (u64)g, (u64)attr,
			(u64)size, (u64)data);
}

static inline efi_status_t efi_set_variable(const u16 *name,
					    const struct efi_guid *g, u32 attr,
					    u64 size, const void *data)
{
	return efi_call(RT_SET_VARIABLE, 5, (u64)name, (u64)g, (u64)attr, size,
			(u64)data);
}

static inline efi_status_t efi_query_variable_info(u32 attr, u64 *max_storage,
						   u64 *remaining, u64 *max_size)
{
	return efi_call(RT_QUERY_VARIABLE_INFO, 4, (u64)attr, (u64)max_storage,
			(u64)remaining, (u64)max_size);
}

/* For efi/bench.c: make the calls that follow without the checks in
 * @mask (0: all of them again): the guarded buffers (arguments handed as
 * they are), the stack measure (no painting), the calling-convention
 * comparison (the thunk still puts vamap's state back), efi.shared's copy
 * and compare. Refuses (false) to drop the comparison once any call has
 * broken the convention. */
enum {
	EFI_SKIP_BUFFERS = 1,
	EFI_SKIP_STACK = 2,
	EFI_SKIP_ABI = 4,
	EFI_SKIP_SHARED = 8,
	EFI_SKIP_ALL = 15,
};
bool efi_call_skip(unsigned int mask);

/* Time the read-only runtime services (`bench` on the command line). */
void efi_bench(void);

/*
 * efi.shared's watch on vamap's own memory (efi/kguard.c): init allocates
 * the copy (false without memory: unwatched, and said so); snapshot takes
 * it; check compares, puts back and names every changed range as the
 * work of service @svc (@when: "during the call", ...), returning how many.
 */
bool efi_kguard_init(void);
void efi_kguard_snapshot(void);
unsigned int efi_kguard_check(const char *svc, const char *when);
bool efi_kguard_on(void);
/* A copy is taken and not yet compared: the firmware runs on it. */
bool efi_kguard_armed(void);

/* "the IDT +0x1f0", "the EFI state +0x10", ...: what vamap's memory at
 * kernel address @a is, for a finding (efi/kguard.c); false when it is
 * none of the objects named (then @buf says the section and offset). */
bool efi_kernel_object_name(u64 a, char *buf, size_t n);

/* Where @a is — a runtime region and the PE/COFF image in it, the
 * direct map, vamap's image, a physical region and its image — as detail
 * lines of check @label ("rip", "pointer", ... as @what). */
void efi_describe_address(const char *label, const char *what, u64 a);

/* Keep the firmware's runtime images the stub noted (struct
 * boot_rt_image), while the stub's memory is still its own, to name code
 * without a CodeView entry by its firmware file (efi/fault.c). */
void efi_keep_rt_images(const struct boot_info *bi);

/* The service CPU @apic_id is in now (the firmware runs, or vamap's
 * handler on top of it), or NULL. */
const char *efi_call_in_progress(u32 apic_id);

/* The call state (efi_call_state.h) around every trap on CPU @apic_id,
 * from trap_handler: enter returns the state the trap interrupted, which
 * decides what the trap means (a firmware fault only in FIRMWARE; the
 * watchdog acts only in FIRMWARE; nothing resumes a call once HALTED);
 * exit goes back to it, with the handler's time given back to the
 * watchdog, unless the handler ended the call. */
enum efi_call_state efi_call_trap_enter(u32 apic_id);
void efi_call_trap_exit(u32 apic_id, enum efi_call_state was);

/* CPU @apic_id's call state, for another CPU (the watching AP). */
enum efi_call_state efi_call_state_of(u32 apic_id);

/* kernel_exit: no call is made or resumed on CPU @apic_id from now on. */
void efi_call_halt(u32 apic_id);

/* Called by trap_handler for every exception but NMI: if the trap
 * interrupted (@was) a firmware call on CPU @apic_id and the exception is
 * the firmware's (not #DF or #MC), act on the decision table (efi_fault.h)
 * — lend one page and resume, or record the fault and redirect @f to the
 * thunk's recovery path — and return true. */
bool efi_fault_hook(struct trap_frame *f, u32 apic_id, enum efi_call_state was);

/* Called by the watchdog (kernel/watchdog.c) from the NMI that ends a
 * call on CPU @apic_id that did not return within @ms, when that NMI
 * interrupted the firmware itself: redirect @f to the thunk's recovery
 * path, as for a fault. @by says who sent the NMI. Does nothing when the
 * call has just returned. */
void efi_watchdog_abort(struct trap_frame *f, u32 apic_id, const char *by,
			u32 ms);

/* test=nmi-as-fault: end the call on CPU @apic_id as if the NMI in @f
 * were the firmware's fault (what vamap once did with every NMI in a
 * call; trap.nmi_during_call must then fail). */
void efi_nmi_as_fault(struct trap_frame *f, u32 apic_id);

#endif
