// SPDX-License-Identifier: MIT
/* MADT parsing (see madt.h). Host-testable. */
#include "bytes.h"
#include "madt.h"

#define MADT_HEADER 44 /* SDT header 36 + local APIC address + flags */
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_ISO 2
#define MADT_X2APIC 9
#define LAPIC_ENABLED (1u << 0)
#define LAPIC_ONLINE_CAPABLE (1u << 1)

static int fail(const char **why, u32 *where, const char *msg, u32 at)
{
	*why = msg;
	*where = at;
	return -EINVAL;
}

static void add_cpu(struct madt_info *m, u32 apic_id, u32 uid, u32 flags,
		    bool x2)
{
	unsigned int i;

	/* ACPI 6.5 5.2.12.2: Online Capable without Enabled means the OS
	 * *may* bring the processor online later (hot-add): it is not there
	 * to start now. */
	if (!(flags & LAPIC_ENABLED)) {
		if (flags & LAPIC_ONLINE_CAPABLE)
			m->online_capable++;
		else
			m->skipped_disabled++;
		return;
	}
	for (i = 0; i < m->nr_cpus; i++)
		if (m->cpu[i].apic_id == apic_id)
			return; /* the same CPU listed as LAPIC and x2APIC */
	m->nr_found++;
	if (m->nr_cpus == MADT_MAX_CPUS)
		return;
	m->cpu[m->nr_cpus].apic_id = apic_id;
	m->cpu[m->nr_cpus].acpi_uid = uid;
	m->cpu[m->nr_cpus].x2apic_entry = x2;
	m->nr_cpus++;
}

int madt_parse(const void *tbl, u64 len, struct madt_info *out,
	       const char **why, u32 *where)
{
	const u8 *t = tbl;
	u32 hlen, off;
	u8 sum = 0;
	u64 i;

	*why = NULL;
	*where = 0;
	out->nr_cpus = 0;
	out->nr_found = 0;
	out->skipped_disabled = 0;
	out->online_capable = 0;
	out->nr_ioapics = 0;
	out->irq0_gsi = 0;
	out->irq0_flags = 0;
	if (!tbl || len < MADT_HEADER)
		return fail(why, where, "shorter than a MADT header", 0);
	if (t[0] != 'A' || t[1] != 'P' || t[2] != 'I' || t[3] != 'C')
		return fail(why, where, "signature is not APIC", 0);
	hlen = rd32(t + 4);
	if (hlen < MADT_HEADER || hlen > len)
		return fail(why, where, "length field out of range", 4);
	for (i = 0; i < hlen; i++)
		sum = (u8)(sum + t[i]);
	if (sum)
		return fail(why, where, "checksum wrong", 9);
	out->lapic_pa = rd32(t + 36);
	for (off = MADT_HEADER; off < hlen;) {
		u8 type, elen;

		if (hlen - off < 2)
			return fail(why, where, "truncated entry header", off);
		type = t[off];
		elen = t[off + 1];
		if (elen < 2 || elen > hlen - off)
			return fail(why, where, "entry length out of range", off);
		if (type == MADT_LAPIC) {
			if (elen < 8)
				return fail(why, where, "local APIC entry too short", off);
			add_cpu(out, t[off + 3], t[off + 2], rd32(t + off + 4), false);
		} else if (type == MADT_IOAPIC) {
			if (elen < 12)
				return fail(why, where, "I/O APIC entry too short", off);
			if (out->nr_ioapics < MADT_MAX_IOAPICS) {
				out->ioapic[out->nr_ioapics].pa = rd32(t + off + 4);
				out->ioapic[out->nr_ioapics].gsi_base = rd32(t + off + 8);
				out->nr_ioapics++;
			}
		} else if (type == MADT_ISO) {
			if (elen < 10)
				return fail(why, where,
					    "interrupt source override too short", off);
			if (t[off + 2] == 0 && t[off + 3] == 0) { /* ISA IRQ 0 */
				out->irq0_gsi = rd32(t + off + 4);
				out->irq0_flags = (u16)(t[off + 8] | t[off + 9] << 8);
			}
		} else if (type == MADT_X2APIC) {
			if (elen < 16)
				return fail(why, where, "x2APIC entry too short", off);
			add_cpu(out, rd32(t + off + 4), rd32(t + off + 12),
				rd32(t + off + 8), true);
		}
		off += elen;
	}
	if (!out->nr_cpus)
		return fail(why, where, "no enabled processor", 0);
	return 0;
}
