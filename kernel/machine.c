// SPDX-License-Identifier: MIT
/*
 * The machine a run was made on, named once in the log (== machine) and
 * in the report's header, so a saved report says whose firmware and which
 * vamap it judged (docs/results-format.md): "machine: KEY VALUE" lines.
 */
#include <stdarg.h>
#include "boot_info.h"
#include "cpu_rules.h"
#include "kernel.h"
#include "ktap.h"
#include "machine.h"
#include "printf.h"
#include "smi.h"
#include "vamap_build.h"
#include "x86.h"

#define MACHINE_LINES 24
#define MACHINE_LINE_MAX 128

static char lines[MACHINE_LINES][MACHINE_LINE_MAX];
static unsigned int nr_lines;
/* Fixed sizes: the revision's length (a "-dirty" suffix) must not move
 * the image, whose size the golden logs of the stick boots hold. */
static const char git_rev[32] = VAMAP_GIT;
static const char build_type[32] = VAMAP_BUILD_TYPE;

static void add(const char *key, const char *fmt, ...) __printf(2, 3);
static void add(const char *key, const char *fmt, ...)
{
	char value[MACHINE_LINE_MAX];
	va_list ap;

	if (nr_lines == MACHINE_LINES) {
		/* Never a silent cut: the report would lack a line nobody
		 * knows is missing. */
		kprintf("machine: %s left out: more than %u machine lines\n",
			key, MACHINE_LINES);
		return;
	}
	va_start(ap, fmt);
	kvsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	ksnprintf(lines[nr_lines++], MACHINE_LINE_MAX, "machine: %-20s %s\n",
		  key, value);
}

static const char *or_none(const char *s)
{
	return s[0] ? s : "(none)";
}

/* CPUID's brand string (leaves 0x80000002-4), else vendor and signature. */
static void cpu_model(char *out, u32 size)
{
	u32 r[12], a, b, c, d, max, i, n = 0;
	const char *s = (const char *)r;

	cpuid(0x80000000, 0, &max, &b, &c, &d);
	if (max >= 0x80000004) {
		for (i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1],
			      &r[4 * i + 2], &r[4 * i + 3]);
		while (n < 48 && s[n] == ' ')
			n++;
		for (i = 0; n < 48 && s[n] && i + 1 < size; n++)
			out[i++] = (s[n] >= 0x20 && s[n] < 0x7f) ? s[n] : '?';
		while (i && out[i - 1] == ' ')
			i--;
		out[i] = '\0';
		if (i)
			return;
	}
	cpuid(0, 0, &a, &r[0], &r[2], &r[1]);
	cpuid(1, 0, &a, &b, &c, &d);
	ksnprintf(out, size, "%.12s family 0x%x model 0x%x stepping %u",
		  s, ((a >> 8) & 0xf) + ((a >> 20) & 0xff),
		  ((a >> 4) & 0xf) | ((a >> 12) & 0xf0), a & 0xf);
}

static const char *secure_boot(const struct boot_machine *m)
{
	switch (m->secure_boot) {
	case BOOT_SB_ON:
		return "enabled";
	case BOOT_SB_OFF:
		return m->setup_mode ? "disabled (setup mode: no platform key)" :
				       "disabled";
	case BOOT_SB_ABSENT:
		return "not supported (no SecureBoot variable)";
	default:
		return "unknown (SecureBoot unreadable)";
	}
}

/*
 * The firmware's memory protections as it declares them (boot/machine.c):
 * what tells a strict-NX build from a plain one, and a table built for
 * IBT from one that is not. Information; efi.memattr judges the table.
 */
static void protections(const struct boot_machine *m)
{
	add("uefi.memattr_protocol", "%s",
	    m->mem_attr_protocol == BOOT_PRESENCE_YES ? "installed" :
	    m->mem_attr_protocol == BOOT_PRESENCE_NO ? "not installed" :
						      "unknown (LocateProtocol failed)");
	if (!m->mat_version)
		add("uefi.memattr_table", "none");
	else
		add("uefi.memattr_table", "version %u, %u entries, flags 0x%x%s",
		    m->mat_version, m->mat_entries, m->mat_flags,
		    m->mat_flags & EFI_MAT_FLAG_RT_FORWARD_CONTROL_FLOW_GUARD ?
		    " (RT_FORWARD_CONTROL_FLOW_GUARD)" : "");
}

/*
 * The boot CPU's control registers as the firmware handed them over, and
 * what kernel/entry.asm changed to keep vamap's rules (cpu_rules.h).
 * Information, not a finding: UEFI 2.10 2.3.4 does not say CR0.WP.
 */
static void cpu_handover_line(void)
{
	static const struct {
		u64 bit;
		const char *name;
	} cr0_bits[] = {
		{ X86_CR0_WP, "WP" }, { X86_CR0_NE, "NE" }, { X86_CR0_MP, "MP" },
		{ X86_CR0_TS, "TS" }, { X86_CR0_EM, "EM" }, { X86_CR0_CD, "CD" },
		{ X86_CR0_NW, "NW" },
	};
	const struct cpu_handover *h = &cpu_handover;
	u64 cr0 = read_cr0(), efer = rdmsr(MSR_EFER);
	char changed[48] = "";
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr0_bits); i++)
		if ((h->cr0 ^ cr0) & cr0_bits[i].bit)
			n += (size_t)ksnprintf(changed + n, sizeof(changed) - n,
					       " %s%s", cr0 & cr0_bits[i].bit
					       ? "+" : "-", cr0_bits[i].name);
	if ((h->efer ^ efer) & EFER_NXE)
		ksnprintf(changed + n, sizeof(changed) - n, " +NXE");
	add("cpu.handover", "CR0 0x%lx CR4 0x%lx EFER 0x%lx; vamap%s",
	    (unsigned long)h->cr0, (unsigned long)h->cr4, (unsigned long)h->efer,
	    changed[0] ? changed : " kept them");
}

/* The boot CPU's SMI counter (smi.h, probed by kmain before this): what
 * vamap can say about SMM time in each runtime call. */
static void smi_line(void)
{
	if (smi_counter_absent())
		add("cpu.smi_count", "none: %s; SMIs in runtime calls are not "
		    "counted", smi_counter_absent());
	else
		add("cpu.smi_count", "MSR 0x34: %u SMIs on the boot CPU before "
		    "vamap's kernel; counted in every runtime call",
		    smi_count());
}

/* How the stub reached the kernel's mode, where that was not the plain
 * 64-bit, 4-level hand-off (boot/longmode.asm). */
static void handoff_line(const struct boot_info *bi)
{
	if (bi->handoff & BOOT_HANDOFF_FW32)
		add("firmware.handoff", "32-bit (IA32) firmware on a 64-bit "
		    "CPU: the stub entered long mode, 4-level paging");
	else if (bi->handoff & BOOT_HANDOFF_LA57)
		add("firmware.handoff", "5-level paging (CR4.LA57 = 1%s): the "
		    "stub switched to 4-level paging",
		    bi->handoff & BOOT_HANDOFF_LA57_TEST ?
		    ", turned on by test=la57-enter" : "");
}

void machine_describe(const struct boot_info *bi)
{
	const struct boot_machine *m = &bi->machine;
	u32 minor = m->uefi_revision & 0xffff;
	char cpu[64];

	add("firmware.vendor", "%s", or_none(m->fw_vendor));
	add("firmware.revision", "0x%08x", m->fw_revision);
	if (minor % 10)
		add("uefi.revision", "%u.%u.%u", m->uefi_revision >> 16,
		    minor / 10, minor % 10);
	else
		add("uefi.revision", "%u.%u", m->uefi_revision >> 16, minor / 10);
	if (m->smbios_version)
		add("smbios", "%u.%u (%s entry point)%s%s", m->smbios_version >> 8,
		    m->smbios_version & 0xff, m->smbios_v3 ? "64-bit" : "32-bit",
		    m->smbios_why[0] ? ": " : "", m->smbios_why);
	else
		add("smbios", "none: %s", or_none(m->smbios_why));
	add("bios.vendor", "%s", or_none(m->bios_vendor));
	add("bios.version", "%s", or_none(m->bios_version));
	add("bios.date", "%s", or_none(m->bios_date));
	add("system.manufacturer", "%s", or_none(m->sys_manufacturer));
	add("system.product", "%s", or_none(m->sys_product));
	cpu_model(cpu, sizeof(cpu));
	add("cpu", "%s", cpu);
	add("secure_boot", "%s", secure_boot(m));
	protections(m);
	cpu_handover_line();
	smi_line();
	handoff_line(bi);
	add("vamap.version", "%s", VAMAP_VERSION);
	add("vamap.git", "%s", git_rev);
	add("vamap.build", "%s", build_type);

	kprintf("== machine\n");
	for (unsigned int i = 0; i < nr_lines; i++)
		kprintf("%s", lines[i]);
}

void machine_report_header(const char *cmdline)
{
	ktap_report_header("vamap %s, command line \"%s\"\n", VAMAP_VERSION,
			   cmdline);
	for (unsigned int i = 0; i < nr_lines; i++)
		ktap_report_header("%s", lines[i]);
}
