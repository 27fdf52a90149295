// SPDX-License-Identifier: MIT
/* The firmware-call watchdog (see watchdog.h). */
#include "acpi.h"
#include "cmdline.h"
#include "efi_state.h"
#include "kernel.h"
#include "madt.h"
#include "mm.h"
#include "printf.h"
#include "smp.h"
#include "watchdog.h"
#include "x86.h"

/* PIT (Intel 8254): channel 0, lobyte/hibyte, mode 2 (rate generator). */
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_CMD_CH0_MODE2 0x34
#define PIT_HZ 1193182
#define PIT_TICK_HZ 100
/* 8259A PICs: mask every line, so the PIT reaches the CPU only as the NMI. */
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
/* I/O APIC (82093AA datasheet, 3.2): index, window, redirection entries. */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))
#define REDIR_NMI (4u << 8)	  /* delivery mode NMI, physical destination */
#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_MASKED (1u << 16)
#define MPS_POLARITY_LOW 3	  /* INTI flags bits 1:0 */

enum wd_source { WD_NONE, WD_PIT, WD_AP };

static const char *const source_names[] = { "none", "pit", "ap" };

/* How long past the first deadline NMI a call may keep being found in
 * vamap's own code inside the thunk before the watchdog takes it as the
 * firmware's: a CPU on its way in or out passes within microseconds, or
 * a few milliseconds with an NMI after each of its instructions. */
#define WD_IN_VAMAP_MS 1000

static struct {
	enum wd_source source;
	u32 timeout_ms;
	u64 deadline;		/* TSC; moved by watchdog_extend */
	volatile u32 armed_gen;	/* the call being watched; 0 = none */
	u32 gen;
	u32 target;		/* the calling CPU's APIC ID */
	volatile u32 fired;	/* armed_gen when the deadline passed */
	/* ap */
	u32 ap;			/* the watching AP's APIC ID */
	char ap_desc[24];	/* "from cpu N" */
	volatile u32 wakes, handled, ack;
	unsigned int deflected;	/* deadline NMIs that landed in vamap's code */
	u64 in_vamap_since;	/* TSC of the call's first one in vamap's code */
	/* test=nmi-during-call: NMIs the AP sent the caller, in every call
	 * it watched (or, for test=nmi-as-fault, while armed), until one
	 * landed inside a call */
	volatile bool test_armed, test_pending, test_landed;
	unsigned int test_sent;
	const char *test_svc;
	u64 test_rip;
	bool ap_late;		/* the watching AP answered a wake-up late */
	const char *none_why;	/* why there is no source, for efi.watchdog */
	/* pit */
	volatile u32 *ioapic;
	unsigned int pin;
	u32 redir_lo;		/* the entry, masked */
	u64 ticks;
	u64 quiet_until;	/* TSC: a tick in flight at the disarm */
} wd __kguard_unwatched; /* the watching AP writes it during calls */

static u64 ms_to_tsc(u64 ms)
{
	return ms * tsc_per_ms();
}

static u32 ioapic_read(u32 reg)
{
	wd.ioapic[IOAPIC_REGSEL / 4] = reg;
	return wd.ioapic[IOAPIC_WIN / 4];
}

static void ioapic_write(u32 reg, u32 v)
{
	wd.ioapic[IOAPIC_REGSEL / 4] = reg;
	wd.ioapic[IOAPIC_WIN / 4] = v;
}

/* The PIT into the I/O APIC pin that carries ISA IRQ 0, as an NMI to the
 * BSP, masked until a call arms it. */
static bool setup_pit(u32 bsp)
{
	static struct madt_info m;
	const char *why;
	unsigned int i, best = MADT_MAX_IOAPICS, max_pin;
	u32 where, div = PIT_HZ / PIT_TICK_HZ, dest;
	u64 pa;

	if (acpi_read_madt(&m, false, &pa, &why, &where)) {
		kprintf("watchdog: no usable MADT, so no I/O APIC to route the "
			"PIT as an NMI\n");
		return false;
	}
	for (i = 0; i < m.nr_ioapics; i++)
		if (m.ioapic[i].gsi_base <= m.irq0_gsi &&
		    (best == MADT_MAX_IOAPICS ||
		     m.ioapic[i].gsi_base > m.ioapic[best].gsi_base))
			best = i;
	if (best == MADT_MAX_IOAPICS) {
		kprintf("watchdog: no I/O APIC serves GSI %u (ISA IRQ 0)\n",
			m.irq0_gsi);
		return false;
	}
	if (!apic_xapic_dest(bsp, &dest)) {
		kprintf("watchdog: the BSP's APIC ID %u does not fit an I/O APIC "
			"destination (8 bits), so the PIT cannot reach it\n", bsp);
		return false;
	}
	wd.ioapic = late_map(m.ioapic[best].pa, SZ_4K, MAP_WRITE | MAP_UC);
	if (!wd.ioapic)
		return false;
	wd.pin = m.irq0_gsi - m.ioapic[best].gsi_base;
	max_pin = (ioapic_read(IOAPIC_VER) >> 16) & 0xff;
	if (wd.pin > max_pin) {
		kprintf("watchdog: GSI %u is past the I/O APIC's %u pins\n",
			m.irq0_gsi, max_pin + 1);
		return false;
	}
	/* NMI delivery is edge-triggered whatever the override says; the
	 * polarity is the override's (ISA's is active high). */
	wd.redir_lo = REDIR_NMI | REDIR_MASKED |
		      ((m.irq0_flags & 3) == MPS_POLARITY_LOW ? REDIR_ACTIVE_LOW : 0);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	ioapic_write(IOAPIC_REDIR(wd.pin), wd.redir_lo);
	ioapic_write(IOAPIC_REDIR(wd.pin) + 1, dest);
	outb(PIT_CMD, PIT_CMD_CH0_MODE2);
	outb(PIT_CH0, (u8)div);
	outb(PIT_CH0, (u8)(div >> 8));
	kprintf("watchdog: PIT at %u Hz into I/O APIC 0x%08x pin %u (GSI %u) "
		"as an NMI to cpu %u, unmasked during calls; 8259 PICs masked\n",
		PIT_TICK_HZ, m.ioapic[best].pa, wd.pin, m.irq0_gsi, bsp);
	return true;
}

void watchdog_setup(u32 timeout_ms)
{
	u32 self = this_cpu_apic_id(), ap;

	if (wd.ap_late)
		return; /* the AP that answered late does not watch again */
	wd.timeout_ms = timeout_ms;
	if (!timeout_ms) {
		if (wd.source == WD_NONE)
			kprintf("watchdog: off (efi.timeout=0): a firmware call "
				"that never returns hangs the machine\n");
		wd.source = WD_NONE;
		return;
	}
	if (smp_online_ap(&ap)) {
		wd.ap = ap;
		wd.source = WD_AP;
		ksnprintf(wd.ap_desc, sizeof(wd.ap_desc), "from cpu %u", ap);
		kprintf("watchdog: cpu %u watches every firmware call, %u ms each "
			"(efi.timeout=)\n", ap, timeout_ms);
		return;
	}
	if (wd.source == WD_PIT)
		return;
	if (setup_pit(self)) {
		wd.source = WD_PIT;
		kprintf("watchdog: %u ms per firmware call (efi.timeout=)\n",
			timeout_ms);
		return;
	}
	wd.none_why = "no NMI source (no AP, no I/O APIC)";
	kprintf("watchdog: no NMI source: a firmware call that never returns "
		"hangs the machine\n");
}

void watchdog_arm(u32 apic_id)
{
	u64 until;

	if (wd.source == WD_NONE)
		return;
	wd.target = apic_id;
	wd.fired = 0;
	wd.in_vamap_since = 0;
	wd.deadline = rdtsc() + ms_to_tsc(wd.timeout_ms);
	if (!++wd.gen)
		wd.gen = 1;
	__atomic_store_n(&wd.armed_gen, wd.gen, __ATOMIC_SEQ_CST);
	if (wd.source == WD_PIT) {
		ioapic_write(IOAPIC_REDIR(wd.pin), wd.redir_lo & ~REDIR_MASKED);
		return;
	}
	__atomic_add_fetch(&wd.wakes, 1, __ATOMIC_SEQ_CST);
	if (!smp_send_nmi(wd.ap)) {
		kprintf("watchdog: cannot send cpu %u its NMI; no watchdog from "
			"now on\n", wd.ap);
		wd.source = WD_NONE;
		return;
	}
	/* An AP that cannot take its NMI within the bound could not watch
	 * the call either (a busy host can delay a virtual CPU for a while).
	 * This call is unarmed for it before anything else, so whenever the
	 * AP does answer it finds nothing to watch and goes back to sleep;
	 * the PIT, when it can reach this CPU, watches from here on. */
	until = rdtsc() + ms_to_tsc(wd.timeout_ms);
	while (__atomic_load_n(&wd.ack, __ATOMIC_ACQUIRE) != wd.gen) {
		if (rdtsc() > until) {
			__atomic_store_n(&wd.armed_gen, 0, __ATOMIC_SEQ_CST);
			wd.ap_late = true;
			if (wd.ioapic) {
				wd.source = WD_PIT;
				kprintf("watchdog: cpu %u did not answer its NMI in "
					"%u ms; the PIT watches every call from now "
					"on\n", wd.ap, wd.timeout_ms);
				watchdog_arm(apic_id);
				return;
			}
			wd.source = WD_NONE;
			wd.none_why = "the watching AP answered its wake-up NMI "
				      "late, and no I/O APIC routes the PIT";
			kprintf("watchdog: cpu %u did not answer its NMI in %u ms, "
				"and there is no PIT route; no watchdog from now "
				"on\n", wd.ap, wd.timeout_ms);
			return;
		}
		__asm__ volatile("pause");
	}
}

void watchdog_disarm(void)
{
	/* The grace for a PIT tick still in flight starts before the call
	 * stops counting as armed: a tick landing in between (the masking
	 * write below is an MMIO exit under TCG, a wide window) was
	 * reported as a stray NMI. It lasts 100 ms: a tick sent just before
	 * the mask can land late when the host stalls the vCPU. */
	if (wd.source == WD_PIT)
		wd.quiet_until = rdtsc() + ms_to_tsc(100);
	__atomic_store_n(&wd.armed_gen, 0, __ATOMIC_SEQ_CST);
	if (wd.source == WD_PIT)
		ioapic_write(IOAPIC_REDIR(wd.pin), wd.redir_lo);
}

/* On the watching AP, in its NMI handler (NMIs blocked): watch one call.
 * The deadline moves when the caller's own handler runs (watchdog_extend);
 * an NMI the caller deflected because it landed in that handler is sent
 * again once the moved deadline passes. */
static void ap_watch(void)
{
	u32 gen = wd.armed_gen;
	bool test = ((kopt.test & TEST_NMI_DURING_CALL) || wd.test_armed) &&
		    !wd.test_landed && wd.test_sent < WATCHDOG_TEST_NMIS;

	if ((kopt.test & TEST_WATCHDOG_LATE) && !wd.ap_late) {
		/* test=watchdog-late: answer the first wake-up after the
		 * caller has given up waiting. */
		delay_us((wd.timeout_ms + 200) * 1000ULL);
	}
	if (wd.source != WD_AP)
		return; /* answered late: the caller no longer counts on it */
	__atomic_store_n(&wd.ack, gen, __ATOMIC_RELEASE);
	while (gen && wd.armed_gen == gen) {
		if (test && efi_call_in_progress(wd.target)) {
			/* test=nmi-during-call: an NMI that is nobody's fault,
			 * while the caller is in the firmware; again at the next
			 * call if this one returned before it arrived. */
			test = false;
			wd.test_sent++;
			__atomic_store_n(&wd.test_pending, true, __ATOMIC_SEQ_CST);
			smp_send_nmi(wd.target);
		}
		/* Only at the firmware itself: while the caller's own
		 * handler runs the deadline is about to move. */
		if (wd.fired != gen &&
		    efi_call_state_of(wd.target) == CALL_FIRMWARE &&
		    rdtsc() >= __atomic_load_n(&wd.deadline, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&wd.fired, gen, __ATOMIC_SEQ_CST);
			smp_send_nmi(wd.target);
		}
		__asm__ volatile("pause");
	}
}

bool watchdog_nmi(struct trap_frame *f, u32 apic_id, enum efi_call_state was)
{
	u32 gen = wd.armed_gen;
	bool in_vamap;

	if (apic_id == wd.ap &&
	    wd.handled < __atomic_load_n(&wd.wakes, __ATOMIC_ACQUIRE)) {
		wd.handled++;
		ap_watch();
		return true;
	}
	/* The run is over: an NMI still on its way never resumes anything
	 * (it would end, and so resume, the call the run stopped in). */
	if (was == CALL_HALTED)
		return true;
	if (wd.test_pending && apic_id == wd.target) {
		const char *svc = was == CALL_FIRMWARE
				  ? efi_call_in_progress(apic_id) : NULL;

		wd.test_pending = false;
		if (svc) {
			wd.test_landed = true;
			wd.test_svc = svc;
			wd.test_rip = f->rip;
			nmi_during_call++;
			/* test=nmi-as-fault: the NMI ends the call as the
			 * firmware's fault, the bug trap.nmi_during_call is
			 * there to catch. */
			if (kopt.test & TEST_NMI_AS_FAULT)
				efi_nmi_as_fault(f, apic_id);
		}
		return true;
	}
	if (!gen && wd.source == WD_PIT && apic_id == wd.target &&
	    rdtsc() < wd.quiet_until)
		return true; /* a tick sent just before the entry was masked */
	if (!gen || apic_id != wd.target)
		return false;
	if (wd.source == WD_PIT && wd.fired != gen) {
		wd.ticks++;
		/* vamap's own handler does not count against the firmware:
		 * its time moves the deadline when it resumes the call. */
		if (was != CALL_FIRMWARE || rdtsc() < wd.deadline)
			return true;
		wd.fired = gen;
	}
	if (wd.fired != gen)
		return false; /* not the watchdog's: reported as an NMI */
	in_vamap = was == CALL_FIRMWARE && trap_in_vamap(f->rip);
	if (in_vamap && !wd.in_vamap_since)
		wd.in_vamap_since = rdtsc();
	if (was == CALL_HANDLER ||
	    (in_vamap && (!efi_call_in_progress(apic_id) ||
			  rdtsc() - wd.in_vamap_since < ms_to_tsc(WD_IN_VAMAP_MS)))) {
		/* Landed in vamap's handler (a page being lent, a slow
		 * console), or in vamap's code on either side of the
		 * firmware's (the thunk, the handler's last steps back to
		 * it): never end the call from there; the AP sends it again,
		 * the PIT ticks again, once the moved deadline passes. Still
		 * found there inside the thunk WD_IN_VAMAP_MS later, the CPU
		 * is not passing through: a firmware that jumped into
		 * vamap's text and stays. That call ends as any that hangs. */
		wd.deflected++;
		__atomic_store_n(&wd.fired, 0, __ATOMIC_SEQ_CST);
		return true;
	}
	if (in_vamap)
		kprintf("watchdog: cpu %u still in vamap's own code (rip %p) "
			"%u ms past the deadline, inside the call: the firmware "
			"runs vamap's code\n", apic_id, (void *)f->rip,
			WD_IN_VAMAP_MS);
	if (was != CALL_FIRMWARE)
		return true; /* the call returned as the deadline passed */
	efi_watchdog_abort(f, apic_id, wd.source == WD_AP ? wd.ap_desc
			   : "the PIT's, through the I/O APIC", wd.timeout_ms);
	return true;
}

void watchdog_extend(u64 tsc_ticks)
{
	__atomic_add_fetch(&wd.deadline, tsc_ticks, __ATOMIC_SEQ_CST);
}

void watchdog_stop(void)
{
	__atomic_store_n(&wd.armed_gen, 0, __ATOMIC_SEQ_CST);
	if (wd.source == WD_PIT)
		ioapic_write(IOAPIC_REDIR(wd.pin), wd.redir_lo);
	wd.source = WD_NONE;
	wd.none_why = "stopped";
}

const char *watchdog_none_why(void)
{
	return wd.none_why ? wd.none_why : "no NMI source";
}

unsigned int watchdog_deflected(void)
{
	return wd.deflected;
}

bool watchdog_ap_late(u32 *apic_id, u32 *ms)
{
	*apic_id = wd.ap;
	*ms = wd.timeout_ms; /* the bound it missed: setup leaves it since */
	return wd.ap_late;
}

const char *watchdog_source(void)
{
	return source_names[wd.source];
}

u32 watchdog_timeout_ms(void)
{
	return wd.source == WD_NONE ? 0 : wd.timeout_ms;
}

void watchdog_test_nmi_arm(bool on)
{
	__atomic_store_n(&wd.test_armed, on, __ATOMIC_SEQ_CST);
}

bool watchdog_test_nmi(const char **svc, u64 *rip, unsigned int *sent)
{
	*svc = wd.test_svc;
	*rip = wd.test_rip;
	*sent = wd.test_sent;
	return wd.test_landed;
}
