// SPDX-License-Identifier: MIT
/*
 * kmain: the boot order. Each step prints its section of the report; the
 * checks end in KTAP lines and one summary line, and the run ends through
 * kernel_exit() with the matching exit code.
 */
#include "acpi.h"
#include "acpi_tables.h"
#include "addr.h"
#include "boot_info.h"
#include "efi_state.h"
#include "efi_memattr.h"
#include "efi_memdesc.h"
#include "cpu_rules.h"
#include "exitcode.h"
#include "fbcon.h"
#include "kernel.h"
#include "ktap.h"
#include "layout.h"
#include "machine.h"
#include "mm.h"
#include "printf.h"
#include "results.h"
#include "smi.h"
#include "smp.h"
#include "traps.h"
#include "verdict.h"
#include "watchdog.h"
#include "x86.h"


/* Where test=pagefault reads: inside the EFI slot, which no kernel table
 * ever maps (layout.h). */
#define TEST_UNMAPPED_VA (EFI_SLOT_BASE + 0x1000)
/* Where test=gpfault reads: bit 63 set, bits 62:47 not, so not canonical
 * (SDM vol. 1, 3.3.7.1) and a #GP rather than a #PF. */
#define TEST_NONCANONICAL_VA 0x8000000000000000ULL

static const char *const cmdline_sources[] = {
	[CMDLINE_NONE] = "none",
	[CMDLINE_LOAD_OPTIONS] = "LoadOptions",
	[CMDLINE_FILE] = "\\vamap\\cmdline.txt",
	[CMDLINE_FILE | CMDLINE_LOAD_OPTIONS] = "\\vamap\\cmdline.txt, then LoadOptions",
};

static const char *const fb_formats[] = {
	[FB_NONE] = "none", [FB_RGBX] = "RGBX", [FB_BGRX] = "BGRX",
	[FB_BITMASK] = "bitmask",
};

static u64 t_kernel_entry, t_swapper_live, boot_info_phys;
u64 kernel_tsc_khz;

/* The handoff, copied: the stub's page is only mapped by init_pg_dir. */
static struct boot_info kbi;

/* A boot_info we can read at all: ours, a version we know, not truncated. */
static bool boot_info_usable(const struct boot_info *bi, const char **why)
{
	if (!bi)
		*why = "no boot_info pointer";
	else if (bi->magic != BOOT_INFO_MAGIC)
		*why = "bad magic";
	else if (bi->version != BOOT_INFO_VERSION)
		*why = "unknown version";
	else if (bi->size < sizeof(*bi))
		*why = "smaller than this kernel's struct";
	else
		return true;
	return false;
}

/*
 * boot.info: the handoff is usable (else the kernel stopped before any
 * check) and what the stub recorded agrees with itself and with the
 * machine: the tables it names, the kernel where its ELF said, on the
 * init_pg_dir the CPU ran on at entry, its own image. @why names the
 * first field that does not.
 */
static bool boot_info_consistent(const struct boot_info *bi, u64 cr3_at_entry,
				 const char **why)
{
	if (!bi->system_table)
		*why = "no system table";
	else if (!bi->memmap || !bi->memmap_size || !bi->memmap_desc_size)
		*why = "no memory map";
	else if (bi->kernel_virt != KERNEL_VIRT_BASE ||
		 bi->kernel_entry != KERNEL_VIRT_BASE)
		*why = "the kernel's link or entry address is not the layout's";
	else if (bi->kernel_phys & (SZ_2M - 1))
		*why = "the kernel is not loaded 2 MiB-aligned";
	else if (bi->init_pg_dir != cr3_at_entry)
		*why = "init_pg_dir is not the table the kernel was entered on";
	else if (!bi->stub_base || !bi->stub_size)
		*why = "the stub's own image is not recorded";
	else if (!bi->tsc_khz != (bi->tsc_source == BOOT_TSC_NONE))
		*why = "the TSC rate and its source disagree";
	else
		return true;
	return false;
}

static void print_addr(const char *what, u64 pa)
{
	if (pa)
		kprintf("%-24s %p\n", what, (void *)pa);
	else
		kprintf("%-24s none\n", what);
}

static struct waivers kwaivers;

/* Parse \vamap\waivers.txt while it is still where the stub left it (on
 * init_pg_dir, RAM is 1:1), before LoaderData memory goes to the frame
 * allocator. */
static void load_waivers(const struct boot_info *bi)
{
	if (bi->waivers_state != BOOT_WAIVERS_READ || !bi->waivers ||
	    bi->waivers_size >= WAIVERS_MAX_TEXT)
		return;
	waivers_parse((const char *)bi->waivers, bi->waivers_size, &kwaivers);
	ktap_set_waivers(&kwaivers);
}

static void print_waivers(const struct boot_info *bi)
{
	unsigned int i;

	if (bi->waivers_state == BOOT_WAIVERS_TOO_LONG)
		kprintf("%-24s \\vamap\\waivers.txt is longer than %u bytes: "
			"no waiver applied\n", "waivers:", WAIVERS_MAX_TEXT - 1);
	if (bi->waivers_state != BOOT_WAIVERS_READ)
		return;
	kprintf("%-24s %u from \\vamap\\waivers.txt\n", "waivers:", kwaivers.n);
	for (i = 0; i < kwaivers.n; i++)
		kprintf("%-24s %s%s: %s\n", "waivers:", kwaivers.w[i].label,
			kwaivers.w[i].prefix ? "*" : "", kwaivers.w[i].reason);
	for (i = 0; i < MIN(kwaivers.nr_problems, WAIVERS_MAX_PROBLEMS); i++)
		kprintf("%-24s %s, ignored\n", "waivers:", kwaivers.problems[i]);
	if (kwaivers.nr_problems > WAIVERS_MAX_PROBLEMS)
		kprintf("%-24s %u more problems\n", "waivers:",
			kwaivers.nr_problems - WAIVERS_MAX_PROBLEMS);
}

/* A waiver that waived nothing is stale: the check passed, or the label
 * is not one vamap has. */
static void print_unused_waivers(void)
{
	unsigned int i;

	for (i = 0; i < kwaivers.n; i++)
		if (!kwaivers.w[i].used)
			kprintf("waivers: %s%s (line %u) waived nothing: no such "
				"check failed\n", kwaivers.w[i].label,
				kwaivers.w[i].prefix ? "*" : "", kwaivers.w[i].line);
}

static void print_boot_info(const struct boot_info *bi)
{
	const struct boot_framebuffer *fb = &bi->fb;
	unsigned int i;

	kprintf("== boot_info\n");
	kprintf("%-24s version %u, %u bytes at %p\n", "boot_info:", bi->version,
		bi->size, (void *)boot_info_phys);
	kprintf("%-24s \"%s\" (from %s)\n", "cmdline:", bi->cmdline,
		bi->cmdline_source < ARRAY_SIZE(cmdline_sources)
			? cmdline_sources[bi->cmdline_source]
			: "?");
	if (bi->cmdline_ignored[0])
		kprintf("%-24s LoadOptions \"%s\" hold no vamap option: another "
			"loader's arguments, ignored\n", "cmdline:",
			bi->cmdline_ignored);
	for (i = 0; i < kopt.nr_problems; i++)
		kprintf("%-24s %s, ignored\n", "cmdline:", kopt.problems[i]);
	print_waivers(bi);
	print_addr("system table:", bi->system_table);
	print_addr("ACPI RSDP:", bi->acpi_rsdp);
	print_addr("SMBIOS:", bi->smbios);
	print_addr("SMBIOS3:", bi->smbios3);
	print_addr("memory attributes table:", bi->mem_attr_table);
	print_addr("RT properties table:", bi->rt_properties);
	if (fb->format != FB_NONE)
		kprintf("%-24s %ux%u stride %u %s at %p (%lu KiB)\n",
			"framebuffer:", fb->width, fb->height, fb->stride,
			fb->format < ARRAY_SIZE(fb_formats) ? fb_formats[fb->format]
							    : "?",
			(void *)fb->base, (unsigned long)(fb->size >> 10));
	else
		kprintf("%-24s none\n", "framebuffer:");
	kprintf("%-24s phys %p virt %p size 0x%lx entry %p\n", "kernel:",
		(void *)bi->kernel_phys, (void *)bi->kernel_virt,
		(unsigned long)bi->kernel_size, (void *)bi->kernel_entry);
	kprintf("%-24s %p size 0x%lx\n", "stub image:", (void *)bi->stub_base,
		(unsigned long)bi->stub_size);
	kprintf("%-24s %p, %u table pages, RAM 1:1 below %p\n", "init_pg_dir:",
		(void *)bi->init_pg_dir, bi->init_pg_pages,
		(void *)bi->identity_map_end);
	kprintf("%-24s %s\n", "1 GiB pages:", bi->cpu_has_1g_pages ? "yes" : "no");
	kprintf("%-24s %u attempt%s\n", "ExitBootServices:", bi->ebs_attempts,
		bi->ebs_attempts == 1 ? "" : "s");
	kprintf("%-24s %lu kHz\n", "TSC:", (unsigned long)bi->tsc_khz);
}

static void print_memmap(const struct boot_info *bi)
{
	u64 n = bi->memmap_size / bi->memmap_desc_size, i;

	kprintf("== memory map (%lu descriptors, desc_size %lu, version %u)\n",
		(unsigned long)n, (unsigned long)bi->memmap_desc_size,
		bi->memmap_desc_version);
	for (i = 0; i < n; i++) {
		const struct efi_memory_desc *d = efi_memdesc_at(
			(const void *)bi->memmap, bi->memmap_desc_size, i);
		char attr[96], size[24];

		efi_attr_string(d->attribute, attr, sizeof(attr));
		size_string(d->num_pages << EFI_PAGE_SHIFT, size, sizeof(size));
		kprintf("mem%03lu %-12s 0x%016lx-0x%016lx %7s [%s]\n",
			(unsigned long)i, efi_memory_type_name(d->type),
			(unsigned long)d->phys_start,
			(unsigned long)(d->phys_start +
					(d->num_pages << EFI_PAGE_SHIFT) - 1),
			size, attr);
	}
}

/* A shape the kernel can step through; full validation is mm/'s job. */
static bool memmap_walkable(const struct boot_info *bi, const char **why)
{
	if (!bi->memmap || !bi->memmap_size)
		*why = "no memory map";
	else if (bi->memmap_desc_size < sizeof(struct efi_memory_desc))
		*why = "desc_size smaller than a descriptor";
	else if (bi->memmap_desc_size % 8)
		*why = "desc_size not a multiple of 8";
	else if (bi->memmap_size % bi->memmap_desc_size)
		*why = "map size not a multiple of desc_size";
	else
		return true;
	return false;
}

/* test=stack-overflow: recursion until the boot stack's guard page. Each
 * frame keeps 512 bytes live so the compiler cannot fold it into a loop. */
static __attribute__((noinline, optimize("no-optimize-sibling-calls"))) u64
recurse(u64 n)
{
	volatile u8 frame[512];

	frame[0] = (u8)n;
	if (n > (1u << 30)) /* never: the stack ends long before */
		return n;
	return recurse(n + 1) + frame[0];
}

static void inject_faults(void)
{
	if (kopt.test & TEST_STACK_OVERFLOW) {
		kprintf("test: recursing until the boot stack overflows (expect "
			"#DF on its own stack)\n");
		(void)recurse(0);
	}
	if (kopt.test & TEST_PAGE_FAULT) {
		kprintf("test: reading unmapped %p (expect #PF)\n",
			(void *)TEST_UNMAPPED_VA);
		(void)*(volatile u64 *)TEST_UNMAPPED_VA;
	}
	if (kopt.test & TEST_GP_FAULT) {
		kprintf("test: reading non-canonical %p (expect #GP)\n",
			(void *)TEST_NONCANONICAL_VA);
		(void)*(volatile u64 *)TEST_NONCANONICAL_VA;
	}
	if (kopt.test & TEST_TRIPLE_FAULT) {
		/* For the harness: QEMU's exit must say "triple-fault" here, so
		 * a power-off (efi-reset) can never pass for one. */
		static const struct { u16 limit; u64 base; } __packed no_idt;

		kprintf("test: an empty IDT, then ud2 (expect a triple fault, "
			"no report)\n");
		__asm__ volatile("lidt %0; ud2" : : "m"(no_idt));
	}
}

/*
 * Boot steps. Each declares what it needs and what it provides; a step
 * whose needs are not met is refused with a line naming the missing piece,
 * instead of faulting later (DESIGN.md, problem 4). A build without SMP
 * runs the same list.
 */
enum {
	HAVE_MEMMAP = 1u << 0,
	HAVE_ALLOCATOR = 1u << 1,
	HAVE_FIXMAP = 1u << 2,
	HAVE_ACPI = 1u << 3,
	HAVE_DIRECT_MAP = 1u << 4,
	HAVE_EFI = 1u << 5,
	HAVE_SMP = 1u << 6,
};

static const char *const have_names[] = {
	"the memory map", "the frame allocator", "the fixmap", "ACPI",
	"the direct map", "EFI setup", "SMP setup",
};

static int step_mm_early(void)
{
	return mm_early_init(&kbi, boot_info_phys, efi_memmap_import);
}

static int step_acpi(void)
{
	return acpi_early_probe(kbi.acpi_rsdp);
}

static int step_memattr(void)
{
	const char *why;

	if (!memmap_walkable(&kbi, &why))
		return efi_memattr_probe(kbi.mem_attr_table, NULL, 0, 0, false);
	return efi_memattr_probe(kbi.mem_attr_table, (const void *)kbi.memmap,
				 kbi.memmap_size, kbi.memmap_desc_size,
				 kopt.test & TEST_MEMATTR_CORRUPT);
}

static int step_swapper(void)
{
	int ret = mm_switch_to_swapper();

	t_swapper_live = rdtsc();
	return ret;
}

static int step_efi(void)
{
	watchdog_setup(kopt.efi_timeout_ms);
	efi_setup(&kbi, (enum efi_mode)kopt.efi_mode);
	return 0;
}

static int step_smp(void)
{
	int ret;

	kprintf("== smp\n");
	ret = smp_setup();
	watchdog_setup(kopt.efi_timeout_ms);
	return ret;
}

/* The log on the GOP framebuffer, when the stub found one. */
static int step_fbcon(void)
{
	static struct fbcon fbc;
	const struct boot_framebuffer *f = &kbi.fb;
	void *va;

	if (f->format != FB_RGBX && f->format != FB_BGRX) {
		if (f->format != FB_NONE)
			kprintf("fbcon: pixel format %s not supported\n",
				fb_formats[f->format]);
		return -ENOENT;
	}
	va = late_map(f->base, ALIGN_UP((u64)f->stride * f->height * 4, SZ_4K),
		      MAP_WRITE | MAP_WC);
	if (!va || fbcon_init(&fbc, va, f->width, f->height, f->stride,
			      f->format == FB_BGRX)) {
		kprintf("fbcon: cannot use the %ux%u framebuffer\n", f->width,
			f->height);
		return -EINVAL;
	}
	console_attach_fb(&fbc);
	kprintf("fbcon: the log on the %ux%u framebuffer, %ux%u cells\n",
		f->width, f->height, fbc.cols, fbc.rows);
	return 0;
}

static int step_bad_pa(void)
{
	if (kopt.test & TEST_BAD_PA) {
		kprintf("test: __pa() of the kernel image address %p (expect a "
			"panic)\n", (void *)__text_start);
		return (int)__pa(__text_start);
	}
	return 0;
}

static const struct boot_step {
	const char *name;
	int (*run)(void);
	u32 needs, provides;
} boot_steps[] = {
	{ "mm_early", step_mm_early, 0,
	  HAVE_MEMMAP | HAVE_ALLOCATOR | HAVE_FIXMAP },
	{ "acpi", step_acpi, HAVE_FIXMAP, HAVE_ACPI },
	{ "memattr", step_memattr, HAVE_FIXMAP, 0 },
	{ "swapper", step_swapper, HAVE_ALLOCATOR, HAVE_DIRECT_MAP },
	{ "efi", step_efi, HAVE_DIRECT_MAP, HAVE_EFI },
	{ "smp", step_smp, HAVE_DIRECT_MAP | HAVE_ALLOCATOR, HAVE_SMP },
	{ "fbcon", step_fbcon, HAVE_DIRECT_MAP | HAVE_ALLOCATOR, 0 },
	{ "test_bad_pa", step_bad_pa, HAVE_DIRECT_MAP, 0 },
};

static u32 run_boot_steps(void)
{
	u32 have = 0;
	unsigned int i, b;

	for (i = 0; i < ARRAY_SIZE(boot_steps); i++) {
		const struct boot_step *st = &boot_steps[i];
		u32 missing = st->needs & ~have;
		int ret;

		if (missing) {
			for (b = 0; !(missing & (1u << b)); b++)
				;
			kprintf("boot: step %s refused: it needs %s, which is not "
				"available\n", st->name, have_names[b]);
			continue;
		}
		ret = st->run();
		if (ret && ret != -ENOENT)
			kprintf("boot: step %s failed (%d)\n", st->name, ret);
		else
			have |= st->provides;
	}
	return have;
}

/* An int3 must come back: the IDT, the stubs and iretq all work. */
static void check_idt(void)
{
	trap_expect(X86_TRAP_BP, 0);
	__asm__ volatile("int3");
	ktap_result(trap_expected_seen(NULL, NULL), "boot.idt",
		    trap_expected_seen(NULL, NULL) ? NULL : "int3 not delivered");
}

int probe_write(const volatile u8 *p); /* writes the byte back */
extern char probe_write_faulted[];

/* A byte in .rodata for cpu.write_protect to write back into itself (not
 * volatile: GCC puts a const volatile object in .data). */
static const u8 wp_target = 0x5a;

/*
 * The boot CPU keeps vamap's control-register rules (cpu_rules.h; the APs
 * are held to the same in smp.aps), and the rule that matters most does
 * what it says: a write to a read-only kernel page faults. Without CR0.WP
 * (U-Boot hands over without it) every read-only mapping — W^X, a strict
 * efi_pgd, the kernel's RAM in SetVirtualAddressMap's 1:1 map — is void
 * at ring 0. test=wp-off clears WP while both look.
 */
static void check_cpu(void)
{
	u64 cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(MSR_EFER), error = 0;
	const char *why;
	bool faulted;

	if (kopt.test & TEST_WP_OFF) {
		kprintf("test: CR0.WP cleared while cpu.control and "
			"cpu.write_protect look\n");
		write_cr0(cr0 & ~X86_CR0_WP);
	}
	why = cpu_rules_wrong(read_cr0(), cr4, efer, mm_has_nx());
	ktap_result(!why, "cpu.control", "%s%sboot CPU: CR0 0x%lx, CR4 0x%lx, "
		    "EFER 0x%lx", why ? why : "", why ? "; " : "",
		    (unsigned long)read_cr0(), (unsigned long)cr4,
		    (unsigned long)efer);
	trap_expect(X86_TRAP_PF, (u64)probe_write_faulted);
	faulted = probe_write(&wp_target);
	faulted = trap_expected_seen(&error, NULL) && faulted;
	write_cr0(cr0);
	if (faulted && (error & 3) == 3)
		ktap_result(true, "cpu.write_protect", "a write to read-only "
			    "kernel data at %p faulted (error 0x%lx)",
			    (const void *)&wp_target, (unsigned long)error);
	else
		ktap_result(false, "cpu.write_protect", faulted
			    ? "a write to read-only kernel data at %p faulted "
			      "with error 0x%lx, not a protection fault"
			    : "a write to read-only kernel data at %p landed "
			      "(CR0.WP clear, or the page writable: SDM vol. 3A "
			      "4.6.1)", (const void *)&wp_target,
			    (unsigned long)error);
}

/*
 * The PM timer the FADT names must count: it is a free-running 3.579545 MHz
 * counter (ACPI 6.5, 4.8.3.3), and an OS that calibrates or keeps time
 * with it gets nothing from a register that never moves. The stub read it
 * (boot/stub.c, probe_pm_timer).
 */
/*
 * efi.memmap.complete: does the firmware's memory map describe all the
 * memory the machine says it has? UEFI 2.10 7.2 (GetMemoryMap returns a
 * map of all memory, each range typed); DSP0134 7.20 (SMBIOS type 19, the
 * physical ranges each memory array is mapped at); ACPI 6.5 5.2.16.2 (the
 * SRAT's Memory Affinity structures, where the machine has NUMA: each
 * enabled range not hot-pluggable is memory present at boot). A range the
 * map leaves out is memory no OS that trusts the map will ever use. Below
 * 1 MiB is left out of the comparison: the legacy VGA and option-ROM
 * window (0xa0000-0xfffff) is inside type 19's first range on every PC
 * and in no firmware's map.
 */
#define MEMMAP_COMPLETE_FROM SZ_1M
#define MEMMAP_GAPS_NAMED 4
#define MEMMAP_SRAT_RANGES 32

struct ram_compare {
	u64 total, missing;	/* bytes above 1 MiB, and those in no descriptor */
	unsigned int gaps;	/* ranges in no descriptor, named up to 4 */
};

/* Range @i, [@start, @end), of @what against the memory map. The last
 * (@last) under test=memmap-hole: taken 64 MiB longer, as a firmware that
 * leaves RAM out of its map looks. */
static void ram_compare(const char *what, unsigned int i, bool last, u64 start,
			u64 end, struct ram_compare *c, unsigned int *named)
{
	struct mem_gap gaps[MEMMAP_GAPS_NAMED];
	unsigned int k, n;
	u64 b;

	if (last && (kopt.test & TEST_MEMMAP_HOLE)) {
		end += 64 * SZ_1M;
		kprintf("test: memmap-hole: %s range %u taken as 64 MiB longer\n",
			what, i);
	}
	start = MAX(start, (u64)MEMMAP_COMPLETE_FROM);
	if (end <= start)
		return;
	c->total += end - start;
	n = mm_map_gaps(start, end, gaps, ARRAY_SIZE(gaps), &b);
	for (k = 0; k < n && k < ARRAY_SIZE(gaps); k++, (*named)++)
		if (*named < MEMMAP_GAPS_NAMED)
			kdetail("efi.memmap.complete", "efi: memory map: "
				"0x%016lx-0x%016lx (%lu KiB) is %s memory no "
				"descriptor describes\n", (unsigned long)gaps[k].start,
				(unsigned long)gaps[k].end - 1,
				(unsigned long)((gaps[k].end - gaps[k].start) >> 10),
				what);
	c->gaps += n;
	c->missing += b;
}

/* The SRAT's present memory, into @c; false (and why, logged) when there
 * is none to compare. */
static bool srat_compare(struct ram_compare *c, unsigned int *named,
			 unsigned int *nr)
{
	static struct acpi_mem_range r[MEMMAP_SRAT_RANGES];
	struct acpi_srat_counts counts;
	const char *why;
	unsigned int i;
	u64 pa;
	int ret = acpi_read_srat(r, ARRAY_SIZE(r), &counts, &pa, &why);

	if (ret == -ENOENT)
		return false;
	if (ret) {
		kprintf("acpi: SRAT at 0x%016lx: %s; not compared with the "
			"memory map\n", (unsigned long)pa,
			why ? why : "could not be mapped");
		return false;
	}
	if (counts.ranges > ARRAY_SIZE(r))
		kprintf("acpi: SRAT: %u memory ranges, the first %u compared\n",
			counts.ranges, (unsigned int)ARRAY_SIZE(r));
	if (counts.hotplug)
		kprintf("acpi: SRAT: %u hot-pluggable memory range%s not "
			"compared (present only once plugged)\n", counts.hotplug,
			counts.hotplug == 1 ? "" : "s");
	*nr = MIN(counts.ranges, (unsigned int)ARRAY_SIZE(r));
	for (i = 0; i < *nr; i++)
		ram_compare("SRAT", i, i + 1 == *nr, r[i].start, r[i].end, c,
			    named);
	return *nr != 0;
}

static void check_memmap_complete(const struct boot_info *bi)
{
	const struct boot_machine *m = &bi->machine;
	struct ram_compare smbios = { 0 }, srat = { 0 };
	unsigned int i, named = 0, nr_srat = 0;
	bool have_smbios, have_srat;

	/* An unreadable map is mm.memmap's finding; every byte would be
	 * "missing" here, which says nothing more. */
	if (!mm_region_next(NULL)) {
		ktap_skip("efi.memmap.complete", "the memory map could not be "
			  "read (mm.memmap)");
		return;
	}
	if (m->smbios_read && (m->smbios_ram_bad || m->smbios_ram_more))
		kprintf("efi: SMBIOS type 19: %u structure%s malformed, %u "
			"beyond the %u vamap reads: not compared\n",
			m->smbios_ram_bad, m->smbios_ram_bad == 1 ? "" : "s",
			m->smbios_ram_more, (unsigned int)ARRAY_SIZE(m->smbios_ram));
	have_smbios = m->smbios_read && m->nr_smbios_ram;
	for (i = 0; have_smbios && i < m->nr_smbios_ram &&
		    i < ARRAY_SIZE(m->smbios_ram); i++)
		ram_compare("SMBIOS type 19", i, i + 1 == m->nr_smbios_ram,
			    m->smbios_ram[i].start, m->smbios_ram[i].end,
			    &smbios, &named);
	have_srat = srat_compare(&srat, &named, &nr_srat);
	if (!have_smbios && !have_srat) {
		ktap_skip("efi.memmap.complete", "%s", !m->smbios_read
			  ? "no SMBIOS table to compare the memory map with"
			  : "SMBIOS has no type 19 (Memory Array Mapped Address) "
			    "structure to compare the memory map with");
		return;
	}
	if (smbios.missing || srat.missing) {
		char what[160] = "";
		size_t k = 0;

		if (smbios.missing)
			k += (size_t)ksnprintf(what, sizeof(what), "%lu KiB of the "
					       "%lu KiB SMBIOS type 19 describes",
					       (unsigned long)(smbios.missing >> 10),
					       (unsigned long)(smbios.total >> 10));
		if (srat.missing && k < sizeof(what))
			ksnprintf(what + k, sizeof(what) - k, "%s%lu KiB of the "
				  "%lu KiB the SRAT describes",
				  smbios.missing ? " and " : "",
				  (unsigned long)(srat.missing >> 10),
				  (unsigned long)(srat.total >> 10));
		ktap_result(false, "efi.memmap.complete", "%s above 1 MiB is in "
			    "no memory-map descriptor, %u range%s (UEFI 2.10 7.2: "
			    "the map describes all memory)", what,
			    smbios.gaps + srat.gaps,
			    smbios.gaps + srat.gaps == 1 ? "" : "s");
	} else if (!have_srat) {
		ktap_result(true, "efi.memmap.complete", "the %u SMBIOS type 19 "
			    "range%s (%lu KiB above 1 MiB) all in the map",
			    m->nr_smbios_ram, m->nr_smbios_ram == 1 ? "" : "s",
			    (unsigned long)(smbios.total >> 10));
	} else {
		ktap_result(true, "efi.memmap.complete", "the %u SMBIOS type 19 "
			    "range%s (%lu KiB above 1 MiB) and the %u SRAT memory "
			    "range%s (%lu KiB) all in the map",
			    have_smbios ? m->nr_smbios_ram : 0,
			    have_smbios && m->nr_smbios_ram == 1 ? "" : "s",
			    (unsigned long)(smbios.total >> 10), nr_srat,
			    nr_srat == 1 ? "" : "s",
			    (unsigned long)(srat.total >> 10));
	}
}

/*
 * efi.reset_system: the boot before was a modes= step (include/modes.h)
 * that ended in ResetSystem(EfiResetCold): this boot is its proof. UEFI
 * 2.10 8.5.1: ResetSystem resets the platform and does not return.
 */
static void check_reset_system(const struct boot_info *bi)
{
	static const char *const label = "efi.reset_system";

	if (bi->modes_prev_mode == MODES_NONE) {
		ktap_skip(label, "no earlier boot of a modes= sequence reset "
			  "this machine (modes=all resets between its runs)");
		return;
	}
	switch (bi->modes_prev_reset) {
	case MODES_RESET_SYSTEM:
		ktap_result(true, label, "the boot before called ResetSystem("
			    "EfiResetCold) at its end and the machine reset "
			    "(UEFI 2.10 8.5.1)");
		break;
	case MODES_RESET_RETURNED:
		ktap_result(false, label, "the boot before called ResetSystem("
			    "EfiResetCold) and it returned; vamap reset through "
			    "the reset port instead (UEFI 2.10 8.5.1: ResetSystem "
			    "does not return)");
		break;
	case MODES_RESET_PORT:
		ktap_skip(label, "the boot before ran in noruntime mode, which "
			  "calls no firmware: it reset through the reset port");
		break;
	default:
		ktap_skip(label, "the boot before did not end in ResetSystem "
			  "(runtime services off, ResetSystem or SetVariable "
			  "declared unsupported at runtime, or the run ended "
			  "early)");
		break;
	}
}

/*
 * The reset a modes= step ends in when it may not call ResetSystem, or
 * when ResetSystem returned: the PCI reset control register (port 0xcf9,
 * a full reset), the keyboard controller's pulse, then a triple fault.
 */
static void __noreturn port_reset(void)
{
	static const struct { u16 limit; u64 base; } __packed no_idt;

	kprintf("modes: resetting through port 0xcf9\n");
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	for (volatile unsigned int i = 0; i < 1000000; i++)
		;
	outb(0x64, 0xfe);
	for (volatile unsigned int i = 0; i < 1000000; i++)
		;
	__asm__ volatile("lidt %0; ud2" : : "m"(no_idt));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The end of a modes= step: the report is kept; the next mode needs a
 * fresh machine. ResetSystem where the firmware may still be called (the
 * way recorded first, for the next boot's efi.reset_system), else the
 * reset port. */
static void __noreturn modes_reset(const struct boot_info *bi)
{
	struct modes_state s = bi->modes;
	const char *why = efi_modes_no_reset();

	compile_assert(modes_noruntime, MODES_NORUNTIME == EFI_MODE_NORUNTIME);
	compile_assert(modes_count, MODES_MAX == CMDLINE_EFI_MODES);

	if (!why) {
		s.reset_via = MODES_RESET_SYSTEM;
		if (!efi_save_modes_state(&s)) {
			kprintf("modes: step %u done; ResetSystem(EfiResetCold) "
				"for the next\n", bi->modes_step);
			efi_reset(EFI_RESET_COLD);
			s.reset_via = MODES_RESET_RETURNED;
			efi_save_modes_state(&s);
		}
	} else {
		kprintf("modes: step %u done; no ResetSystem: %s\n",
			bi->modes_step, why);
	}
	port_reset();
}

static void check_pm_timer(const struct boot_info *bi)
{
	switch (bi->pm_timer_state) {
	case BOOT_PM_TIMER_COUNTS:
		ktap_result(true, "acpi.pm_timer", "port 0x%x, %u-bit",
			    bi->pm_timer_port,
			    bi->pm_timer_mask == 0xffffff ? 24 : 32);
		break;
	case BOOT_PM_TIMER_STUCK:
		ktap_result(false, "acpi.pm_timer", "the FADT's PM timer at port "
			    "0x%x read 0x%x 1000 times: it does not count "
			    "(ACPI 6.5 4.8.3.3)", bi->pm_timer_port,
			    bi->pm_timer_value);
		break;
	default:
		ktap_skip("acpi.pm_timer", "%s", bi->pm_timer_why[0] ?
			  bi->pm_timer_why : "not probed");
	}
}

static u64 us(const struct boot_info *bi, u64 from, u64 to)
{
	return bi->tsc_khz ? (to - from) * 1000 / bi->tsc_khz : 0;
}

static void print_phase(const struct boot_info *bi, const char *name,
			u64 from, u64 to)
{
	u64 t = us(bi, from, to);

	kprintf("phase: %-36s %6lu.%03lu ms\n", name, (unsigned long)(t / 1000),
		(unsigned long)(t % 1000));
}

static const char *tsc_source(const struct boot_info *bi)
{
	switch (bi->tsc_source) {
	case BOOT_TSC_CPUID_15:
		return "CPUID 0x15";
	case BOOT_TSC_CPUID_16:
		return "CPUID 0x15 and 0x16";
	case BOOT_TSC_PM_TIMER:
		return "the ACPI PM timer";
	case BOOT_TSC_STALL:
		return "a 10 ms BS->Stall";
	default:
		return "nothing: every way failed";
	}
}

/*
 * Stub entry to SetVirtualAddressMap returned, split into the firmware's
 * time (every boot service the stub called, ExitBootServices, the SVAM
 * call) and vamap's own (the rest, TSC calibration included).
 */
static void print_split(const struct boot_info *bi)
{
	u64 total = efi.t_svam_returned - bi->ts.stub_entry;
	u64 fw = bi->stub_ts.firmware + (bi->ts.after_ebs - bi->ts.before_ebs);
	u64 t, f, v;

	if (efi.t_svam_call) /* none with efi=novamap */
		fw += efi.t_svam_returned - efi.t_svam_call;
	t = us(bi, 0, total);
	f = us(bi, 0, fw);
	v = t > f ? t - f : 0;
	kprintf("phase: stub entry -> SVAM returned %lu.%03lu ms: firmware "
		"%lu.%03lu ms, vamap %lu.%03lu ms\n", (unsigned long)(t / 1000),
		(unsigned long)(t % 1000), (unsigned long)(f / 1000),
		(unsigned long)(f % 1000), (unsigned long)(v / 1000),
		(unsigned long)(v % 1000));
}

static void print_phases(const struct boot_info *bi, u64 t_end)
{
	const struct boot_stub_timestamps *s = &bi->stub_ts;

	kprintf("== boot phases (TSC %lu kHz from %s)\n",
		(unsigned long)bi->tsc_khz, tsc_source(bi));
	print_phase(bi, "stub entry -> ExitBootServices", bi->ts.stub_entry,
		    bi->ts.before_ebs);
	print_phase(bi, "  command line, waivers, last report",
		    bi->ts.stub_entry, s->inputs);
	print_phase(bi, "  drivers from \\vamap\\drivers", s->inputs,
		    s->drivers);
	print_phase(bi, "  tables, framebuffer", s->drivers, s->calib_start);
	print_phase(bi, "  TSC calibration", s->calib_start, s->calib_end);
	print_phase(bi, "  kernel loaded, init_pg_dir built", s->calib_end,
		    s->kernel_ready);
	print_phase(bi, "  memory map for ExitBootServices", s->kernel_ready,
		    bi->ts.before_ebs);
	print_phase(bi, "ExitBootServices", bi->ts.before_ebs, bi->ts.after_ebs);
	print_phase(bi, "ExitBootServices -> kernel entry", bi->ts.after_ebs,
		    t_kernel_entry);
	if (t_swapper_live && efi.t_efi_pgd_built && efi.t_svam_returned) {
		print_phase(bi, "kernel entry -> swapper_pg_dir live",
			    t_kernel_entry, t_swapper_live);
		print_phase(bi, "swapper_pg_dir live -> efi_pgd built",
			    t_swapper_live, efi.t_efi_pgd_built);
		print_phase(bi, "efi_pgd built -> SVAM returned",
			    efi.t_efi_pgd_built, efi.t_svam_returned);
		print_phase(bi, "SVAM returned -> checks done",
			    efi.t_svam_returned, t_end);
		if (efi.t_conform_end)
			print_phase(bi, "  conformance matrix (efi/conform.c)",
				    efi.t_conform_start, efi.t_conform_end);
		print_split(bi);
	} else if (t_swapper_live) {
		print_phase(bi, "kernel entry -> swapper_pg_dir live",
			    t_kernel_entry, t_swapper_live);
		print_phase(bi, "swapper_pg_dir live -> checks done",
			    t_swapper_live, t_end);
	} else {
		print_phase(bi, "kernel entry -> report", t_kernel_entry, t_end);
	}
}

__noreturn void kmain(u64 bi_phys, u64 entry_tsc);

/*
 * `json`: the report as the saved .json file would hold it
 * (docs/results-format.md), on the console between two marker lines, for
 * a harness that reads the serial port of a machine that keeps no report.
 */
static void print_json_report(void)
{
	static char json[96 * 1024];
	const char *text;
	u32 len;
	int n;

	text = ktap_report(&len);
	n = results_to_json(text, len, json, sizeof(json));
	if (n < 0) {
		kprintf("json: the report does not fit in %u KiB as JSON\n",
			(unsigned int)(sizeof(json) >> 10));
		return;
	}
	kprintf("-- vamap report, JSON (docs/results-format.md) --\n");
	kputs(json, (size_t)n);
	kprintf("-- end of the JSON report --\n");
}

/* The stub wrote them, but a string that runs off its field must not. */
static void terminate_machine_strings(struct boot_machine *m)
{
	char *s[] = { m->fw_vendor, m->smbios_why, m->bios_vendor,
		      m->bios_version, m->bios_date, m->sys_manufacturer,
		      m->sys_product };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		s[i][BOOT_NAME_MAX - 1] = '\0';
}

/*
 * kernel_exit(VAMAP_EXIT_FAULT) runs this once: a run that an exception or
 * a panic ended still leaves its report — the KTAP lines so far and the
 * fault report from the console — for the next boot's stub, exactly the
 * case where a machine without a serial port needs one.
 */
static void save_report_after_fault(void)
{
	static char tail[CONSOLE_TAIL];
	const char *text;
	u32 len;

	if (kopt.results != RESULTS_SAVE || kbi.results_pending || !efi.efi_pgd)
		return;
	len = console_tail(tail, sizeof(tail));
	if (!ktap_begun())
		machine_report_header(kbi.cmdline);
	ktap_end_early("an exception or a panic", tail, len);
	text = ktap_report(&len);
	efi_save_results(text, len);
}

__noreturn void kmain(u64 bi_phys, u64 entry_tsc)
{
	/* On init_pg_dir RAM is mapped 1:1, so the physical address works. */
	const struct boot_info *bi = (const void *)bi_phys;
	const char *why;
	u64 t_end, cr3_at_entry;
	u32 have;
	bool ok;

	t_kernel_entry = entry_tsc;
	boot_info_phys = bi_phys;
	console_init();
	kernel_fault_hook = save_report_after_fault;
	kprintf("vamap %s: UEFI runtime services in a mapping we own\n",
		VAMAP_VERSION);
	if (!boot_info_usable(bi, &why)) {
		kprintf("boot: boot_info at %p unusable: %s\n", (void *)bi, why);
		kernel_exit(VAMAP_EXIT_FAULT);
	}
	memcpy(&kbi, bi, sizeof(kbi));
	load_waivers(&kbi);
	efi_keep_rt_images(&kbi);
	kbi.cmdline[sizeof(kbi.cmdline) - 1] = '\0';
	kbi.cmdline_ignored[sizeof(kbi.cmdline_ignored) - 1] = '\0';
	terminate_machine_strings(&kbi.machine);
	cr3_at_entry = read_cr3() & PTE_ADDR_MASK;
	bi = &kbi;
	kernel_tsc_khz = bi->tsc_khz;
	mm_adopt_init_pg_dir(bi);
	cmdline_parse(bi->cmdline, &kopt);
	if (kopt.test & TEST_BAD_DESC_SIZE) {
		kprintf("test: taking the memory map's desc_size as 32 (was %lu)\n",
			(unsigned long)kbi.memmap_desc_size);
		kbi.memmap_desc_size = 32;
	}
	print_boot_info(bi);
	smi_counter_probe(); /* before the first firmware call, for the tally */
	machine_describe(bi);
	if (memmap_walkable(bi, &why))
		print_memmap(bi);
	else
		kprintf("== memory map unusable: %s\n", why);

	kprintf("== mm\n");
	have = run_boot_steps();
	if (have & HAVE_DIRECT_MAP)
		mm_dump_swapper();
	if (have & HAVE_EFI)
		efi_dump_pgd();

	inject_faults();

	kprintf("== checks\n");
	machine_report_header(bi->cmdline);
	ktap_begin();
	if (kopt.test & TEST_BAD_BOOT_INFO) {
		kprintf("test: boot.info looks at a boot_info copy whose stub "
			"image is not recorded\n");
		kbi.stub_size = 0;
	}
	ok = boot_info_consistent(bi, cr3_at_entry, &why);
	ktap_result(ok, "boot.info", ok ? NULL : "%s", why);
	if (memmap_walkable(bi, &why))
		ktap_result(true, "boot.memmap", NULL);
	else
		ktap_result(false, "boot.memmap", "%s", why);
	ktap_result(kopt.nr_problems == 0, "boot.cmdline",
		    kopt.nr_problems ? "%u unknown or bad words" : NULL,
		    kopt.nr_problems);
	ktap_result(bi->ebs_attempts >= 1 &&
			    (bi->ebs_attempts == 1) ==
				    !(bi->test_flags & TEST_STALE_MAPKEY),
		    "boot.exit_boot_services", "%u attempt%s", bi->ebs_attempts,
		    bi->ebs_attempts == 1 ? "" : "s");
	check_idt();
	check_cpu();
	check_pm_timer(bi);
	mm_checks();
	check_memmap_complete(bi);
	check_reset_system(bi);
	if (have & HAVE_EFI)
		efi_checks(bi);
	else
		ktap_result(false, "efi.setup", "refused: no direct map");
	if (have & HAVE_SMP)
		smp_checks();
	else
		ktap_result(false, "smp.setup", "failed or refused");
	t_end = rdtsc();
	ktap_result(bi->ts.stub_entry < bi->ts.before_ebs &&
			    bi->ts.before_ebs <= bi->ts.after_ebs &&
			    bi->ts.after_ebs <= t_kernel_entry &&
			    t_kernel_entry < t_end,
		    "boot.timestamps", NULL);
	print_phases(bi, t_end);
	kernel_fault_hook = NULL; /* from here the normal path keeps the report */
	ok = ktap_end();
	print_unused_waivers();
	if (kopt.json)
		print_json_report();
	if (kbi.results_pending) {
		kprintf("results: an earlier report still waits in its variables "
			"(the stub could not write it); this run's is not kept\n");
	} else if (kopt.results == RESULTS_SAVE && (have & HAVE_EFI)) {
		u32 len;
		const char *text = ktap_report(&len);

		efi_save_results(text, len);
	}
	if (kopt.bench && (have & HAVE_EFI))
		efi_bench();
	if (have & HAVE_EFI)
		efi_release_boot_services();
	ktap_print_recap();
	if (bi->modes_next)
		modes_reset(bi);
	if (kopt.reset != RESET_NONE)
		efi_reset(kopt.reset == RESET_COLD ? EFI_RESET_COLD
			  : kopt.reset == RESET_WARM ? EFI_RESET_WARM
						     : EFI_RESET_SHUTDOWN);
	kernel_exit(ok ? VAMAP_EXIT_PASS : VAMAP_EXIT_FAIL);
}
