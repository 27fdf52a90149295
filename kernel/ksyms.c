// SPDX-License-Identifier: MIT
/* Function symbols for exception reports (see ksyms.h). */
#include "ksyms.h"
#include "layout.h"
#include "printf.h"

struct ksym {
	u32 off;  /* from KERNEL_VIRT_BASE */
	u32 size;
	u32 name; /* into ksyms_names */
};

/* tools/ksyms.py: sorted by address; an empty table in the first link. */
extern const u64 ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];

const char *ksym_lookup(u64 addr, u64 *offset, u64 *size)
{
	u64 lo = 0, hi = ksyms_count, off;

	if (addr < KERNEL_VIRT_BASE || addr - KERNEL_VIRT_BASE > 0xffffffffu)
		return NULL;
	off = addr - KERNEL_VIRT_BASE;
	while (lo < hi) { /* the last symbol at or below off */
		u64 mid = lo + (hi - lo) / 2;

		if (ksyms_table[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || off - ksyms_table[lo - 1].off >= ksyms_table[lo - 1].size)
		return NULL;
	*offset = off - ksyms_table[lo - 1].off;
	*size = ksyms_table[lo - 1].size;
	return ksyms_names + ksyms_table[lo - 1].name;
}

void ksym_format(u64 addr, char *buf, u32 n)
{
	u64 off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		ksnprintf(buf, n, " (%s+0x%lx/0x%lx)", name, (unsigned long)off,
			  (unsigned long)size);
	else if (n)
		buf[0] = '\0';
}
