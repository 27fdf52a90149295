/* SPDX-License-Identifier: MIT */
/* Printing memory-map descriptors (efi/memdesc.c). */
#ifndef VAMAP_EFI_MEMDESC_H
#define VAMAP_EFI_MEMDESC_H

#include "efi_defs.h"

/* "RUN|XP|WB|UC"-style names for the set bits of @attr, unknown bits as
 * one hex value; "" for none. Returns the length the full string needs. */
size_t efi_attr_string(u64 attr, char *buf, size_t size);

#endif
