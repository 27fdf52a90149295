// SPDX-License-Identifier: MIT
/*
 * The machine's name for the report (boot_info.machine): the firmware's
 * vendor and revisions from the system table, the SMBIOS type 0 and 1
 * strings (boot/smbios.c parses; here the tables are read where the
 * firmware put them, while boot services still map them 1:1), Secure
 * Boot as the SecureBoot and SetupMode variables say, and the memory
 * protections the firmware declares. Nothing here can
 * stop the boot: what cannot be read is named in the log.
 */
#include "smbios.h"
#include "stub.h"

static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;
/* EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10 37.7; not in gnu-efi 3.0). */
static EFI_GUID mem_attr_protocol_guid = { 0xf4560cf6, 0x40ec, 0x4b4a,
	{ 0xa1, 0x92, 0xbf, 0x1d, 0x57, 0xd0, 0xb1, 0x89 } };

#define SMBIOS_TABLE_MAX (1u << 20)

static void copy_ascii(char *dst, const char *src, u32 max)
{
	u32 n = 0;

	while (src[n] && n + 1 < max) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

/* UCS-2 to printable ASCII, at most @max - 1 characters. */
static void from_ucs2(char *dst, const CHAR16 *src, u32 max)
{
	u32 n = 0;

	while (src && src[n] && n + 1 < max) {
		dst[n] = (src[n] >= 0x20 && src[n] < 0x7f) ? (char)src[n] : '?';
		n++;
	}
	dst[n] = '\0';
}

static void read_smbios(const struct boot_info *bi, struct boot_machine *m)
{
	u64 p = bi->smbios3 ? bi->smbios3 : bi->smbios;
	struct smbios_strings s;
	struct smbios_ep ep;
	const char *why;

	if (!p) {
		copy_ascii(m->smbios_why, "no SMBIOS table", BOOT_NAME_MAX);
		return;
	}
	/* The entry point is at most 31 bytes; the table is walked only to
	 * its end-of-table structure, and never past SMBIOS_TABLE_MAX (a 3.x
	 * entry point states a maximum size, which firmware may overstate). */
	if (smbios_ep_parse((const void *)(uintptr_t)p, bi->smbios3 ?
			    SMBIOS3_EP_LEN : SMBIOS2_EP_LEN, &ep, &why) ||
	    smbios_table_parse((const void *)(uintptr_t)ep.table,
			       MIN(ep.table_len, SMBIOS_TABLE_MAX), &s, &why)) {
		copy_ascii(m->smbios_why, why, BOOT_NAME_MAX);
		stub_log("stub: SMBIOS at %p unreadable: %s\n", (void *)(uintptr_t)p,
			 why);
		return;
	}
	m->smbios_version = (u32)ep.major << 8 | ep.minor;
	m->smbios_v3 = ep.v3;
	m->smbios_read = 1;
	compile_assert(smbios_ranges_fit, ARRAY_SIZE(m->smbios_ram) ==
		       SMBIOS_RAM_RANGES_MAX);
	for (u32 i = 0; i < s.nr_ram; i++) {
		m->smbios_ram[i].start = s.ram[i].start;
		m->smbios_ram[i].end = s.ram[i].end;
	}
	m->nr_smbios_ram = s.nr_ram;
	m->smbios_ram_more = s.ram_more;
	m->smbios_ram_bad = s.ram_bad;
	copy_ascii(m->bios_vendor, s.bios_vendor, BOOT_NAME_MAX);
	copy_ascii(m->bios_version, s.bios_version, BOOT_NAME_MAX);
	copy_ascii(m->bios_date, s.bios_date, BOOT_NAME_MAX);
	copy_ascii(m->sys_manufacturer, s.sys_manufacturer, BOOT_NAME_MAX);
	copy_ascii(m->sys_product, s.sys_product, BOOT_NAME_MAX);
	if (!s.have_type0 || !s.have_type1)
		copy_ascii(m->smbios_why, !s.have_type0 ? "no type 0 structure" :
			   "no type 1 structure", BOOT_NAME_MAX);
}

static int read_u8_var(CHAR16 *name, u8 *value)
{
	UINTN size = 1;
	UINT32 attr;
	EFI_STATUS st;

	st = fw_call(RT->GetVariable, 5, name, &global_guid, &attr, &size,
		     value);
	if (st == EFI_NOT_FOUND)
		return 1;
	return EFI_ERROR(st) || size != 1 ? -1 : 0;
}

/*
 * What the firmware tells an OS about its own memory protections: the
 * Memory Attribute Protocol (a strict-NX firmware's way to let a loader
 * make its code executable) and the attributes table's version and flags
 * (version 2's RT_FORWARD_CONTROL_FLOW_GUARD: the runtime code is built
 * for IBT). The table itself is judged by the kernel (efi/memattr.c);
 * here its header only, read where the firmware put it.
 */
static void read_protections(const struct boot_info *bi,
			     struct boot_machine *m)
{
	void *iface = NULL;
	EFI_STATUS st;

	st = fw_call(BS->LocateProtocol, 3, &mem_attr_protocol_guid, NULL,
		     &iface);
	m->mem_attr_protocol = !EFI_ERROR(st) && iface ? BOOT_PRESENCE_YES :
			       st == EFI_NOT_FOUND ? BOOT_PRESENCE_NO :
						     BOOT_PRESENCE_UNKNOWN;
	if (bi->mem_attr_table) {
		const u32 *h = (const u32 *)(uintptr_t)bi->mem_attr_table;

		m->mat_version = h[0];
		m->mat_entries = h[1];
		m->mat_flags = h[3];
	}
}

void stub_read_machine(struct boot_info *bi)
{
	struct boot_machine *m = &bi->machine;
	u8 v = 0;
	int r;

	from_ucs2(m->fw_vendor, ST->FirmwareVendor, BOOT_NAME_MAX);
	m->fw_revision = ST->FirmwareRevision;
	m->uefi_revision = ST->Hdr.Revision;
	read_smbios(bi, m);
	r = read_u8_var(L"SecureBoot", &v);
	m->secure_boot = r < 0 ? BOOT_SB_UNKNOWN : r > 0 ? BOOT_SB_ABSENT :
			 v == 1 ? BOOT_SB_ON : BOOT_SB_OFF;
	v = 0;
	m->setup_mode = read_u8_var(L"SetupMode", &v) == 0 && v == 1;
	read_protections(bi, m);
}
