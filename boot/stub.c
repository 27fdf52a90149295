// SPDX-License-Identifier: MIT
/*
 * The EFI stub: everything vamap does while boot services still exist.
 *
 *  1. read the command line (LoadOptions, else \vamap\cmdline.txt)
 *     and start the runtime drivers in \vamap\drivers\ (boot/drivers.c)
 *  2. record ACPI, SMBIOS, the memory attributes table and the framebuffer
 *  3. validate the embedded kernel ELF; a bad one is refused, never run
 *  4. load it 2 MiB-aligned anywhere in RAM
 *  5. build init_pg_dir (boot/pagetable.c)
 *  6. GetMemoryMap + ExitBootServices, retrying on a stale map key
 *  7. CR3 ← init_pg_dir, jump to the kernel with boot_info in RDI
 *
 * After the first ExitBootServices call nothing here calls a boot service
 * (UEFI 2.10, 7.4): only GetMemoryMap, for a retry.
 */
#include "acpi_tables.h"
#include "cmdline.h"
#include "elf_check.h"
#include "exitcode.h"
#include "layout.h"
#include "efi_table_hdr.h"
#include "stub.h"
#include "verdict.h"
#include "x86.h"

/* The kernel ELF, embedded by boot/kernel_blob.asm. */
extern const u8 kernel_blob_start[], kernel_blob_end[];

#define EBS_MAX_ATTEMPTS 4
/* Descriptors of slack in the map buffer: allocating the buffer, and a
 * retry after a stale key, can each add a few. */
#define MAP_SLACK_DESCS 16

/* UEFI 2.10, 4.6.4: EFI_MEMORY_ATTRIBUTES_TABLE_GUID (not in gnu-efi 3.0). */
static EFI_GUID mem_attr_guid = { 0xdcfa911d, 0x26eb, 0x469f,
				  { 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 } };
/* UEFI 2.10, 4.6.2: EFI_RT_PROPERTIES_TABLE_GUID. */
static EFI_GUID rt_properties_guid = { 0xeb66918a, 0x7eef, 0x402a,
				       { 0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9 } };
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID smbios_guid = SMBIOS_TABLE_GUID;
static EFI_GUID smbios3_guid = SMBIOS3_TABLE_GUID;
static EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;

static struct options opt;
u64 stub_fw_ticks;

/*
 * LoadOptions → ASCII. Returns false when the options are not text: a boot
 * entry's OptionalData may be binary, which is no command line.
 */
static bool options_to_ascii(const CHAR16 *w, UINTN bytes, char *out,
			     size_t max, bool *too_long)
{
	UINTN n = bytes / sizeof(CHAR16), i;
	size_t k = 0;

	for (i = 0; i < n && w[i]; i++) {
		CHAR16 c = w[i];

		if (c < 0x20 && c != L'\t' && c != L'\n' && c != L'\r')
			return false;
		if (k + 1 >= max) {
			*too_long = true;
			break;
		}
		out[k++] = c < 0x7f ? (char)c : '?';
	}
	out[k] = '\0';
	return true;
}

/* Read file @path from the volume we were loaded from into @out (@max
 * bytes, NUL-terminated); *@len gets its length. False if it is not
 * there; *@too_long when it holds more than @max - 1 bytes (never cut
 * silently: the word that matters could be in the part left out). */
bool read_volume_file(EFI_LOADED_IMAGE *li, CHAR16 *path, char *out,
		      size_t max, UINTN *len, bool *too_long)
{
	EFI_FILE_HANDLE root, f;
	EFI_STATUS st;

	*len = max - 1;
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return false;
	st = fw_call(root->Open, 5, root, &f, path, EFI_FILE_MODE_READ,
		     0);
	if (EFI_ERROR(st)) {
		fw_call(root->Close, 1, root);
		return false;
	}
	st = fw_call(f->Read, 3, f, len, out);
	if (!EFI_ERROR(st) && *len == max - 1) {
		char more;
		UINTN one = 1;

		if (!EFI_ERROR(fw_call(f->Read, 3, f, &one, &more)) &&
		    one)
			*too_long = true;
	}
	fw_call(f->Close, 1, f);
	fw_call(root->Close, 1, root);
	if (EFI_ERROR(st))
		return false;
	out[*len] = '\0';
	return true;
}

/* \vamap\cmdline.txt, folded to one line of text. */
static bool read_cmdline_file(EFI_LOADED_IMAGE *li, char *out, size_t max,
			      bool *too_long)
{
	UINTN len, i;

	if (!read_volume_file(li, L"\\vamap\\cmdline.txt", out, max, &len,
			      too_long))
		return false;
	if (*too_long)
		stub_log("stub: error: \\vamap\\cmdline.txt is longer than %u "
			 "bytes\n", (unsigned int)(max - 1));
	for (i = 0; i < len; i++) /* one line of text: fold the rest */
		if ((u8)out[i] < 0x20 || (u8)out[i] > 0x7e)
			out[i] = ' ';
	return true;
}

/* \vamap\waivers.txt, for the kernel to parse (include/verdict.h). It
 * stays in the stub's image, which the kernel copies before it hands
 * LoaderData memory to its allocator. */
static void read_waivers(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	static char text[WAIVERS_MAX_TEXT];
	bool too_long = false;
	UINTN len;

	if (!read_volume_file(li, L"\\vamap\\waivers.txt", text, sizeof(text),
			      &len, &too_long))
		return;
	if (too_long) {
		stub_log("stub: \\vamap\\waivers.txt is longer than %u bytes: "
			 "no waiver applied\n", (unsigned int)sizeof(text) - 1);
		bi->waivers_state = BOOT_WAIVERS_TOO_LONG;
		return;
	}
	bi->waivers = (u64)(uintptr_t)text;
	bi->waivers_size = (u32)len;
	bi->waivers_state = BOOT_WAIVERS_READ;
}

/*
 * The command line: \vamap\cmdline.txt, then LoadOptions (cmdline_compose
 * has the rule). Returns false, with a line, when the result is too long
 * for boot_info: a cut command line could lose the word that matters.
 */
static bool read_cmdline(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	static char file[BOOT_CMDLINE_MAX], raw[BOOT_CMDLINE_MAX];
	const char *args = "";
	bool have_file, ignored, too_long = false;
	int len;

	raw[0] = '\0';
	if (li->LoadOptions && li->LoadOptionsSize &&
	    !options_to_ascii(li->LoadOptions, li->LoadOptionsSize, raw,
			      sizeof(raw), &too_long)) {
		stub_log("stub: LoadOptions are not text (%u bytes), ignored\n",
			 li->LoadOptionsSize);
		raw[0] = '\0';
	}
	args = cmdline_skip_argv0(raw);
	have_file = read_cmdline_file(li, file, sizeof(file), &too_long);
	len = cmdline_compose(have_file ? file : NULL, args, bi->cmdline,
			      sizeof(bi->cmdline), &ignored);
	if (len < 0 || too_long) {
		stub_log("stub: error: the command line (\\vamap\\cmdline.txt and "
			 "LoadOptions together) is longer than %u bytes\n",
			 BOOT_CMDLINE_MAX - 1);
		/* Not to run with it, only to know how to end (exit=): the
		 * part read so far; the kernel is not started. */
		cmdline_parse(have_file ? file : args, &opt);
		return false;
	}
	if (have_file)
		bi->cmdline_source |= CMDLINE_FILE;
	if (*args && !ignored)
		bi->cmdline_source |= CMDLINE_LOAD_OPTIONS;
	if (ignored) {
		size_t i;

		for (i = 0; args[i] && i + 1 < sizeof(bi->cmdline_ignored); i++)
			bi->cmdline_ignored[i] = args[i];
		stub_log("stub: LoadOptions \"%s\" hold no vamap option: taken as "
			 "another loader's arguments, ignored\n", bi->cmdline_ignored);
	}
	cmdline_parse(bi->cmdline, &opt);
	return true;
}

/* The ACPI 2.0 GUID names an RSDP of any revision; the ACPI 1.0 one is
 * the fallback (UEFI 2.10, 4.6.1.1: firmware should publish the first). */
/*
 * The three tables' headers (efi_table_hdr.h), @pass 0 before the drivers
 * start and 1 after: a driver that changes a table (hooks a service) must
 * compute its CRC32 again. Each problem is a line; the kernel's
 * efi.tables judges them with its own check after SetVirtualAddressMap.
 */
#define W ((u32)sizeof(UINTN))
static void check_table_headers(struct boot_info *bi, unsigned int pass)
{
	static const char *const when[2] = { "before", "after" };
	const struct {
		const void *t;
		u64 sig;
		u32 min, bit;
		const char *name;
	} tabs[] = {
		/* The sizes for this firmware's pointers: 4 bytes in
		 * BOOTIA32.EFI, whose tables are 32-bit. */
		{ ST, EFI_SYSTEM_TABLE_SIGNATURE, EFI_SYSTEM_TABLE_MIN_SIZE_FOR(W),
		  BOOT_TABLE_SYSTEM, "System Table" },
		{ ST->BootServices, EFI_BOOT_SERVICES_SIGNATURE,
		  EFI_BOOT_SERVICES_MIN_SIZE_FOR(W), BOOT_TABLE_BOOT_SERVICES,
		  "Boot Services table" },
		{ ST->RuntimeServices, EFI_RUNTIME_SERVICES_SIGNATURE,
		  EFI_RUNTIME_SERVICES_MIN_SIZE_FOR(W),
		  BOOT_TABLE_RUNTIME_SERVICES, "Runtime Services table" },
	};
	char why[96];
	unsigned int i;

	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		/* Boot services: all memory is mapped 1:1 and readable. */
		if (!efi_table_header_problem(tabs[i].t, EFI_TABLE_HEADER_MAX,
					      tabs[i].sig, tabs[i].min, why,
					      sizeof(why)))
			continue;
		stub_log("stub: %s header %s the drivers started: %s\n",
			 tabs[i].name, when[pass], why);
		if (!bi->tables_bad[0] && !bi->tables_bad[1])
			ksnprintf(bi->tables_why, sizeof(bi->tables_why),
				  "%s, %s the drivers: %s", tabs[i].name,
				  when[pass], why);
		bi->tables_bad[pass] |= tabs[i].bit;
	}
}
#undef W

static void find_config_tables(struct boot_info *bi)
{
	u64 acpi10 = 0;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		u64 p = (u64)(uintptr_t)t->VendorTable;

		if (!CompareGuid(&t->VendorGuid, &acpi20_guid))
			bi->acpi_rsdp = p;
		else if (!CompareGuid(&t->VendorGuid, &smbios_guid))
			bi->smbios = p;
		else if (!CompareGuid(&t->VendorGuid, &smbios3_guid))
			bi->smbios3 = p;
		else if (!CompareGuid(&t->VendorGuid, &mem_attr_guid))
			bi->mem_attr_table = p;
		else if (!CompareGuid(&t->VendorGuid, &rt_properties_guid))
			bi->rt_properties = p;
		else if (!CompareGuid(&t->VendorGuid, &acpi10_guid))
			acpi10 = p;
	}
	if (!bi->acpi_rsdp)
		bi->acpi_rsdp = acpi10;
}

static void find_framebuffer(struct boot_info *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	struct boot_framebuffer *fb = &bi->fb;

	if (EFI_ERROR(LibLocateProtocol(&gop_guid, (void **)&gop)) || !gop ||
	    !gop->Mode || !gop->Mode->Info)
		return;
	info = gop->Mode->Info;
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->format = FB_RGBX;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->format = FB_BGRX;
		break;
	case PixelBitMask:
		fb->format = FB_BITMASK;
		fb->red_mask = info->PixelInformation.RedMask;
		fb->green_mask = info->PixelInformation.GreenMask;
		fb->blue_mask = info->PixelInformation.BlueMask;
		fb->reserved_mask = info->PixelInformation.ReservedMask;
		break;
	default: /* PixelBltOnly: no linear framebuffer to draw on */
		return;
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->stride = info->PixelsPerScanLine;
}

/*
 * The TSC frequency, cheapest exact way first (the kernel's phase lines,
 * its watchdog and `make bench` rest on it):
 *  - CPUID 0x15 with all three values: the crystal's Hz times EBX / EAX
 *    (SDM vol. 3B, 18.7.3);
 *  - CPUID 0x15's ratio with 0x16's base frequency, which is then the
 *    crystal times the ratio (as Linux's native_calibrate_tsc falls back);
 *  - counting TSC ticks across PM_TIMER_WINDOW ticks of the ACPI PM timer
 *    (0.5 ms; one timer tick of error is 0.06%);
 *  - counting across a 10 ms BS->Stall, the firmware's own timer.
 * Returns kHz, 0 if all failed; @bi says which.
 */
#define PM_TIMER_WINDOW 1790 /* ticks: 0.5 ms at 3.579545 MHz */
#define ACPI_MAX_TABLES_STUB 64

static u64 tsc_khz_from_cpuid(struct boot_info *bi)
{
	u32 max, den, num, crystal, d, base_mhz = 0;

	cpuid(0, 0, &max, &d, &d, &d);
	if (max < 0x15)
		return 0;
	cpuid(0x15, 0, &den, &num, &crystal, &d);
	if (!den || !num)
		return 0;
	if (crystal) {
		bi->tsc_source = BOOT_TSC_CPUID_15;
		return (u64)crystal * num / den / 1000;
	}
	if (max >= 0x16)
		cpuid(0x16, 0, &base_mhz, &d, &d, &d);
	if (!base_mhz)
		return 0;
	bi->tsc_source = BOOT_TSC_CPUID_16;
	return (u64)base_mhz * 1000;
}

/* The FADT's PM timer, read through the identity map boot services keep;
 * NULL or why there is none. */
static const char *find_pm_timer(const struct boot_info *bi,
				 struct acpi_pm_timer *t)
{
	struct acpi_root root;
	const struct acpi_sdt { char sig[4]; u32 len; } *h;
	u64 tables[ACPI_MAX_TABLES_STUB];
	const char *why;
	int n, i;

	if (!bi->acpi_rsdp)
		return "no ACPI tables";
	if (acpi_rsdp_parse((const void *)(uintptr_t)bi->acpi_rsdp,
			    acpi_rsdp_len((const void *)(uintptr_t)bi->acpi_rsdp),
			    &root, &why))
		return why;
	/* Each table read as far as its Length says, within the same bounds
	 * as the kernel's (acpi_sdt_read_len): a wrong Length is named, never
	 * a walk of up to 4 GiB before the kernel starts. */
	h = (const void *)(uintptr_t)root.root;
	n = acpi_root_parse(h, acpi_sdt_read_len(h->len, ACPI_ROOT_MAX_LEN),
			    root.xsdt, tables, ACPI_MAX_TABLES_STUB, &why);
	if (n < 0)
		return why;
	for (i = 0; i < n && i < ACPI_MAX_TABLES_STUB; i++) {
		h = (const void *)(uintptr_t)tables[i];
		if (h && !CompareMem(h->sig, "FACP", 4))
			return acpi_fadt_pm_timer(h, acpi_sdt_read_len(h->len,
						  ACPI_FADT_MAX_LEN), t, &why) ?
				       why : NULL;
	}
	return "no FADT";
}

/*
 * Does the PM timer the FADT names count? Fills bi->pm_timer_*; the
 * kernel's acpi.pm_timer check reports it. Tried whatever CPUID says, so
 * the verdict does not depend on the CPU model. The timer ticks every
 * 279 ns and a port read takes longer, so 1000 equal reads mean it does
 * not count.
 */
static bool probe_pm_timer(struct boot_info *bi, struct acpi_pm_timer *t)
{
	const char *why = find_pm_timer(bi, t);
	unsigned int i;
	u32 v;

	if (why) {
		bi->pm_timer_state = BOOT_PM_TIMER_NONE;
		for (i = 0; why[i] && i < sizeof(bi->pm_timer_why) - 1; i++)
			bi->pm_timer_why[i] = why[i];
		return false;
	}
	bi->pm_timer_port = t->port;
	bi->pm_timer_mask = t->mask;
	bi->pm_timer_value = v = inl(t->port) & t->mask;
	for (i = 0; i < 1000; i++)
		if ((inl(t->port) & t->mask) != v) {
			bi->pm_timer_state = BOOT_PM_TIMER_COUNTS;
			return true;
		}
	bi->pm_timer_state = BOOT_PM_TIMER_STUCK;
	return false;
}

static u64 tsc_khz_from_pm_timer(struct boot_info *bi,
				 const struct acpi_pm_timer *t)
{
	u32 p0, p, ticks;
	u64 t0, t1, spins = 0;

	/* Start on a tick edge. */
	p0 = inl(t->port) & t->mask;
	while ((p = inl(t->port) & t->mask) == p0)
		if (++spins > 1000)
			return 0;
	t0 = rdtsc();
	do {
		ticks = (inl(t->port) - p) & t->mask;
		if (++spins > 100000000)
			return 0;
	} while (ticks < PM_TIMER_WINDOW);
	t1 = rdtsc();
	bi->tsc_source = BOOT_TSC_PM_TIMER;
	return (t1 - t0) * ACPI_PM_TIMER_HZ / ((u64)ticks * 1000);
}

static u64 tsc_khz_from_stall(struct boot_info *bi)
{
	u64 t0 = rdtsc(), t1;

	if (EFI_ERROR(fw_call(BS->Stall, 1, 10000)))
		return 0;
	t1 = rdtsc();
	bi->tsc_source = BOOT_TSC_STALL;
	return (t1 - t0) / 10;
}

static u64 calibrate_tsc(struct boot_info *bi)
{
	struct acpi_pm_timer t;
	bool pm = probe_pm_timer(bi, &t);
	u64 khz = tsc_khz_from_cpuid(bi);

	if (!khz && pm)
		khz = tsc_khz_from_pm_timer(bi, &t);
	if (!khz)
		khz = tsc_khz_from_stall(bi);
	if (!khz)
		bi->tsc_source = BOOT_TSC_NONE;
	return khz;
}

/* Validate and load the kernel; fills the kernel fields of @bi. */
static EFI_STATUS load_kernel(struct boot_info *bi)
{
	u64 size = (u64)(kernel_blob_end - kernel_blob_start);
	const struct elf64_ehdr *eh = (const void *)kernel_blob_start;
	struct elf_image img;
	EFI_PHYSICAL_ADDRESS base, aligned;
	const char *why;
	u64 span, pages, head, i;
	unsigned long n; /* a count register: 32 bits in BOOTIA32.EFI */
	const void *src;
	void *dst;
	EFI_STATUS st;
	int bad;

	if (elf_check(kernel_blob_start, size, KERNEL_VIRT_BASE,
		      KERNEL_VIRT_BASE + KERNEL_MAX_SIZE, &img, &why, &bad)) {
		if (bad >= 0)
			stub_log("stub: error: embedded kernel image is invalid: "
				 "program header %d: %s\n", bad, why);
		else
			stub_log("stub: error: embedded kernel image is invalid: "
				 "%s\n", why);
		return EFI_LOAD_ERROR;
	}

	/* Everything from the link base to the last segment, whole 2 MiB
	 * pages; allocate 2 MiB more to align, then return the slop. */
	span = ALIGN_UP(img.vend - KERNEL_VIRT_BASE, SZ_2M);
	pages = (span + SZ_2M) >> 12;
	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, (UINTN)pages, &base);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no memory for the kernel (%lu KiB): %llx\n",
			 (unsigned long)(span >> 10), (unsigned long long)stub_status64(st));
		return st;
	}
	aligned = ALIGN_UP(base, SZ_2M);
	dst = (void *)(uintptr_t)aligned;
	n = (unsigned long)(ALIGN_UP(img.vend - KERNEL_VIRT_BASE, SZ_4K) /
			    sizeof(long));
	head = (aligned - base) >> 12;
	if (head)
		fw_call(BS->FreePages, 2, base, (UINTN)head);
	if (pages - head - (span >> 12))
		fw_call(BS->FreePages, 2, aligned + span,
			(UINTN)(pages - head - (span >> 12)));

	/* The image's pages, not the whole 2 MiB span (nothing uses its
	 * tail), with string instructions, not gnu-efi's byte loops: zeroing
	 * the span a byte at a time was half of the stub's time
	 * (`make bench`). */
	__asm__ volatile("rep stos %2, (%0)"
			 : "+D"(dst), "+c"(n)
			 : "a"(0UL)
			 : "memory");
	for (i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(kernel_blob_start + eh->e_phoff +
				       i * eh->e_phentsize);

		if (ph->p_type != PT_LOAD)
			continue;
		dst = (void *)(uintptr_t)(aligned + ph->p_vaddr - KERNEL_VIRT_BASE);
		src = kernel_blob_start + ph->p_offset;
		n = (unsigned long)ph->p_filesz;
		__asm__ volatile("rep movsb"
				 : "+D"(dst), "+S"(src), "+c"(n)
				 :
				 : "memory");
	}
	bi->kernel_phys = aligned;
	bi->kernel_virt = KERNEL_VIRT_BASE;
	bi->kernel_size = img.vend - KERNEL_VIRT_BASE;
	bi->kernel_entry = img.entry;
	return EFI_SUCCESS;
}

/*
 * Can the stub step through a map of @size bytes with stride @dsize? A
 * descriptor is 40 bytes, 8-byte aligned (UEFI 2.10, 7.2 GetMemoryMap); a
 * smaller or odd stride would read past the buffer or divide by zero.
 */
static bool map_shape_ok(UINTN size, UINTN dsize, const char *when)
{
	if (dsize >= sizeof(EFI_MEMORY_DESCRIPTOR) && dsize % 8 == 0 &&
	    dsize <= 4096)
		return true;
	stub_log("stub: error: GetMemoryMap (%s) returned DescriptorSize %lu "
		 "for %lu bytes: not a usable descriptor stride\n", when,
		 (unsigned long)dsize, (unsigned long)size);
	return false;
}

/*
 * test=fragment-map: allocate every other page of the largest free range,
 * so the map the kernel gets carries thousands of descriptors, as on a
 * machine whose firmware fragmented its memory. The pages stay allocated
 * (LoaderData): the kernel owns them after ExitBootServices.
 */
#define FRAGMENT_PAGES 2500

static void fragment_map(void)
{
	UINTN size = 0, key, dsize = 0, n, i;
	UINT32 dver;
	void *map;
	u64 best = 0, best_pages = 0, got = 0;

	fw_call(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize, &dver);
	if (!map_shape_ok(size, dsize, "fragment-map"))
		return;
	size += 8 * dsize;
	map = AllocatePool(size);
	if (!map)
		return;
	if (EFI_ERROR(fw_call(BS->GetMemoryMap, 5, &size, map, &key,
			      &dsize, &dver)) ||
	    !map_shape_ok(size, dsize, "fragment-map, with a buffer")) {
		FreePool(map);
		return;
	}
	n = size / dsize;
	for (i = 0; i < n; i++) {
		const EFI_MEMORY_DESCRIPTOR *d =
			(const void *)((const u8 *)map + i * dsize);

		if (d->Type == EfiConventionalMemory && d->NumberOfPages > best_pages &&
		    d->PhysicalStart >= SZ_1M) {
			best = d->PhysicalStart;
			best_pages = d->NumberOfPages;
		}
	}
	FreePool(map);
	for (i = 0; i < FRAGMENT_PAGES && 2 * i + 1 < best_pages; i++) {
		EFI_PHYSICAL_ADDRESS a = best + 2 * i * 4096;

		if (!EFI_ERROR(fw_call(BS->AllocatePages, 4,
				       AllocateAddress, EfiLoaderData,
				       1, &a)))
			got++;
	}
	stub_log("stub: test: fragment-map: %lu single pages allocated, every "
		 "other page from 0x%llx\n", (unsigned long)got,
		 (unsigned long long)best);
}

/*
 * Room for the kernel's own copy of the memory map and its frame
 * allocator, which need a size the firmware decides: two regions per
 * descriptor (splits by reservations and overlaps) plus slack, each
 * (include/boot_info.h, scratch).
 */
static EFI_STATUS alloc_scratch(UINTN ndesc, struct boot_info *bi)
{
	u64 entries = 2 * (u64)(ndesc + MAP_SLACK_DESCS) + 64;
	u64 bytes = ALIGN_UP(entries * BOOT_SCRATCH_BYTES_PER_DESC, 4096);
	EFI_PHYSICAL_ADDRESS base;
	EFI_STATUS st;

	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, (UINTN)(bytes >> 12), &base);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no memory for the kernel's memory-map copy "
			 "(%lu KiB): %llx\n", (unsigned long)(bytes >> 10),
			 (unsigned long long)stub_status64(st));
		return st;
	}
	bi->scratch = base;
	bi->scratch_size = bytes;
	return EFI_SUCCESS;
}

/*
 * Fetch the final memory map and exit boot services, retrying while the
 * map key is stale. After a failed ExitBootServices the only boot service
 * we may call is GetMemoryMap (UEFI 2.10, 7.4), and ConOut is gone: the
 * retry is logged on the debug port only and counted in boot_info.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *bi)
{
	UINTN size = 0, key, dsize = 0, bufsize;
	UINT32 dver;
	EFI_PHYSICAL_ADDRESS buf, junk;
	EFI_STATUS st;
	u32 attempt;

	st = fw_call(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize,
		     &dver);
	if (st != EFI_BUFFER_TOO_SMALL) {
		stub_log("stub: error: GetMemoryMap size query: %llx\n",
			 (unsigned long long)stub_status64(st));
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
	}
	if (!map_shape_ok(size, dsize, "size query"))
		return EFI_DEVICE_ERROR;
	bufsize = ALIGN_UP(size + MAP_SLACK_DESCS * dsize, 4096);
	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, bufsize >> 12, &buf);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no memory for the memory map: %llx\n",
			 (unsigned long long)stub_status64(st));
		return st;
	}

	for (attempt = 1; attempt <= EBS_MAX_ATTEMPTS; attempt++) {
		size = bufsize;
		st = fw_call(BS->GetMemoryMap, 5, &size,
			     (void *)(uintptr_t)buf, &key, &dsize, &dver);
		if (EFI_ERROR(st)) {
			stub_log("stub: error: GetMemoryMap (attempt %u): %llx\n",
				     attempt, (unsigned long long)stub_status64(st));
			return st;
		}
		if (!map_shape_ok(size, dsize, "final"))
			return EFI_DEVICE_ERROR;
		if (attempt == 1 && (opt.test & TEST_STALE_MAPKEY)) {
			/* A real change to the map, so the key we hold is
			 * really stale: not a faked status. */
			fw_call(BS->AllocatePages, 4, AllocateAnyPages,
				EfiLoaderData, 1, &junk);
		}
		bi->ts.before_ebs = rdtsc();
		bi->stub_ts.firmware = stub_fw_ticks;
		stub_console_boot_services_gone();
		st = fw_call(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			break;
		if (st != EFI_INVALID_PARAMETER) {
			stub_log("stub: error: ExitBootServices: %llx\n",
				     (unsigned long long)stub_status64(st));
			return st;
		}
		stub_log("stub: ExitBootServices: stale map key "
			     "(attempt %u), retrying\n", attempt);
	}
	if (attempt > EBS_MAX_ATTEMPTS) {
		stub_log("stub: error: ExitBootServices: map key still stale "
			     "after %u attempts\n", EBS_MAX_ATTEMPTS);
		return EFI_INVALID_PARAMETER;
	}
	cli();
	bi->ts.after_ebs = rdtsc();
	bi->test_flags = opt.test & TEST_STALE_MAPKEY;
	bi->ebs_attempts = attempt;
	bi->memmap = buf;
	bi->memmap_size = size;
	bi->memmap_desc_size = dsize;
	bi->memmap_desc_version = dver;
	return EFI_SUCCESS;
}

/*
 * The paging mode the firmware runs in. On a CPU with 5-level paging the
 * firmware may hand over with CR4.LA57 set (newer EDK2); vamap's tables
 * are 4-level, and LA57 changes only with paging off, which 64-bit code
 * cannot do (SDM vol. 3A, 4.1.2): the hand-off then goes through the mode
 * switch (boot/longmode.asm), placed here while the firmware can still
 * allocate and report.
 *
 * test=la57-enter makes that case on a CPU that has LA57: the stub turns
 * it on itself, after ExitBootServices (la57_enter_for_test). Not before:
 * a firmware that did not choose 5-level paging is not built for it, and
 * OVMF is not: at ExitBootServices its MP code wakes the APs with the boot
 * CPU's CR4 into a 4-level table of its own (a triple fault, seen with
 * -smp 2).
 */
#ifdef __x86_64__
static bool la57_enter_pending;
#endif

static EFI_STATUS check_paging(struct boot_info *bi)
{
	EFI_STATUS st;

	bi->firmware_bits = sizeof(UINTN) * 8;
#ifdef __x86_64__
	if ((opt.test & TEST_LA57_ENTER) && !(read_cr4() & X86_CR4_LA57)) {
		if (!stub_cpu_has_la57()) {
			stub_log("stub: test=la57-enter: this CPU has no 5-level "
				 "paging (CPUID.(EAX=7,ECX=0):ECX[16] = 0); "
				 "staying in 4-level\n");
		} else {
			la57_enter_pending = true;
			stub_log("stub: test=la57-enter: 5-level paging goes on "
				 "after ExitBootServices\n");
		}
	}
	if (!(read_cr4() & X86_CR4_LA57) && !la57_enter_pending)
		return EFI_SUCCESS;
	st = stub_longmode_place(&bi->longmode_blob);
	if (EFI_ERROR(st))
		return st;
	if (la57_enter_pending)
		return EFI_SUCCESS;
	bi->handoff |= BOOT_HANDOFF_LA57;
	stub_log("stub: the firmware runs with 5-level paging (CR4.LA57 = 1); "
		 "vamap's tables are 4-level: the hand-off switches to 4-level "
		 "paging\n");
#else
	if (!(cpuid_ext_features_edx() & CPUID_EXT_EDX_LONG_MODE)) {
		stub_log("stub: error: this CPU has no long mode "
			 "(CPUID.80000001h:EDX[29] = 0): vamap's kernel is "
			 "64-bit and cannot run here\n");
		return EFI_UNSUPPORTED;
	}
	bi->handoff |= BOOT_HANDOFF_FW32;
	st = stub_longmode_place(&bi->longmode_blob);
	if (EFI_ERROR(st))
		return st;
	stub_log("stub: 32-bit (IA32) firmware on a 64-bit CPU: the hand-off "
		 "enters long mode\n");
#endif
	return EFI_SUCCESS;
}

/* test=la57-enter, after ExitBootServices: a 5-level table over the
 * firmware's 4-level one, turned on through the mode switch, which the
 * hand-off then leaves as it would the firmware's own. */
static void la57_enter_for_test(struct boot_info *bi)
{
#ifdef __x86_64__
	if (!la57_enter_pending)
		return;
	stub_longmode_enter_la57(bi->longmode_blob);
	bi->handoff |= BOOT_HANDOFF_LA57 | BOOT_HANDOFF_LA57_TEST;
	stub_log("stub: test=la57-enter: 5-level paging on (CR4 0x%lx); the "
		 "hand-off switches to 4-level paging\n",
		 (unsigned long)read_cr4());
#else
	(void)bi;
#endif
}

static EFI_STATUS stub_main(EFI_HANDLE image, u64 t_entry)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_PHYSICAL_ADDRESS bi_phys;
	bool modes_pass = false;
	struct boot_info *bi;
	UINTN size = 0, key, dsize = 0, mapbuf_size;
	UINT32 dver;
	void *map;
	EFI_STATUS st;

	st = fw_call(BS->AllocatePages, 4, AllocateAnyPages,
		     EfiLoaderData, 1, &bi_phys);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no memory for boot_info: %llx\n",
			 (unsigned long long)stub_status64(st));
		return st;
	}
	bi = (struct boot_info *)(uintptr_t)bi_phys;
	ZeroMem(bi, 4096);
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->ts.stub_entry = t_entry;
	bi->system_table = (u64)(uintptr_t)ST;
	/* Before anything else raises it: efi.monotonic.reset compares its
	 * high word with the run before's (UEFI 2.10 7.5.2). */
	bi->mono_status = stub_status64(
		fw_call(BS->GetNextMonotonicCount, 1, &bi->mono_count));

	st = fw_call(BS->HandleProtocol, 3, image,
		     &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: no LoadedImage protocol: %llx\n",
			 (unsigned long long)stub_status64(st));
		return st;
	}
	bi->stub_base = (u64)(uintptr_t)li->ImageBase;
	bi->stub_size = li->ImageSize;
	if (!read_cmdline(li, bi))
		return EFI_INVALID_PARAMETER;
	read_waivers(li, bi);
	stub_log("stub: vamap EFI stub, command line \"%s\"\n", bi->cmdline);

	st = check_paging(bi);
	if (EFI_ERROR(st))
		return st;
	stub_results(li, bi);
	switch (stub_modes(li, bi, opt.modes, &modes_pass)) {
	case STUB_MODES_DONE:
		/* The sequence is over and its matrix written: nothing left to
		 * run. The end as the kernel's would be (exit=qemu, else a
		 * halt the tester powers off from). */
		if (opt.exit == EXIT_QEMU)
			outb(QEMU_EXIT_PORT, modes_pass ? VAMAP_EXIT_PASS
							: VAMAP_EXIT_FAIL);
		stub_log("vamap: halted\n");
		for (;;)
			__asm__ volatile("cli; hlt");
	case STUB_MODES_RUN:
		/* The word the stub added: parsed again for the stub's own
		 * decisions (none depends on efi= today). */
		break;
	case STUB_MODES_OFF:
		break;
	}
	bi->stub_ts.inputs = rdtsc();
	/* Before the tables are read: a driver may publish one (tests/zoo). */
	check_table_headers(bi, 0);
	stub_load_drivers(image, li, bi);
	stub_note_rt_images(bi);
	check_table_headers(bi, 1);
	bi->stub_ts.drivers = rdtsc();
	find_config_tables(bi);
	stub_read_machine(bi);
	find_framebuffer(bi);
	bi->stub_ts.calib_start = rdtsc();
	bi->tsc_khz = calibrate_tsc(bi);
	bi->stub_ts.calib_end = rdtsc();
	bi->cpu_has_1g_pages =
		!!(cpuid_ext_features_edx() & CPUID_EXT_EDX_1G_PAGES);

	st = load_kernel(bi);
	if (EFI_ERROR(st))
		return st;

	if (opt.test & TEST_FRAGMENT_MAP)
		fragment_map();

	/* A first look at the map to find where RAM is. Its key does not
	 * matter; RAM ranges do not change before ExitBootServices. */
	fw_call(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize, &dver);
	if (!map_shape_ok(size, dsize, "first look"))
		return EFI_DEVICE_ERROR;
	st = alloc_scratch(size / dsize, bi);
	if (EFI_ERROR(st))
		return st;
	mapbuf_size = size + MAP_SLACK_DESCS * dsize;
	map = AllocatePool(mapbuf_size);
	if (!map)
		return EFI_OUT_OF_RESOURCES;
	size = mapbuf_size;
	st = fw_call(BS->GetMemoryMap, 5, &size, map, &key, &dsize,
		     &dver);
	/* The stride of this map, not the first look's: a firmware may
	 * answer the size query and the real call differently. */
	if (!EFI_ERROR(st) && !map_shape_ok(size, dsize, "for init_pg_dir"))
		st = EFI_DEVICE_ERROR;
	if (!EFI_ERROR(st))
		st = stub_build_init_pg_dir(map, size, dsize, bi->kernel_phys,
					    ALIGN_UP(bi->kernel_size, SZ_2M), bi);
	FreePool(map);
	if (EFI_ERROR(st)) {
		stub_log("stub: error: building init_pg_dir: %llx\n",
			 (unsigned long long)stub_status64(st));
		return st;
	}
	bi->stub_ts.kernel_ready = rdtsc();
	stub_log("stub: kernel loaded at 0x%016llx, entry 0x%016llx; exiting "
		 "boot services\n", (unsigned long long)bi->kernel_phys,
		 (unsigned long long)bi->kernel_entry);

	st = exit_boot_services(image, bi);
	if (EFI_ERROR(st))
		return st;
	la57_enter_for_test(bi);

	/* No way back: on init_pg_dir the stub's code, stack and boot_info
	 * are still mapped 1:1, so the next instructions and the kernel's
	 * first reads work. Interrupts are off since cli above. */
	if (bi->handoff & (BOOT_HANDOFF_LA57 | BOOT_HANDOFF_FW32))
		stub_longmode_to_kernel(bi->longmode_blob, bi, bi_phys);
#ifdef __x86_64__
	__asm__ volatile("mov %0, %%cr3\n\t"
			 "mov %1, %%rdi\n\t"
			 "jmp *%2"
			 :
			 : "r"(bi->init_pg_dir), "r"(bi_phys),
			   "r"(bi->kernel_entry)
			 : "rdi", "memory");
#endif
	__builtin_unreachable();
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	u64 t_entry = rdtsc();
	EFI_STATUS st;

	InitializeLib(image, systab);
	stub_console_init();
	st = stub_main(image, t_entry);
	/* Only failures get here; the message is already out. */
	stub_log("stub: not starting the kernel (status %llx)\n",
		     (unsigned long long)stub_status64(st));
	if (opt.exit == EXIT_QEMU)
		outb(QEMU_EXIT_PORT, VAMAP_EXIT_STUB);
	return st;
}
