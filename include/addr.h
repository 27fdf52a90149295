/* SPDX-License-Identifier: MIT */
/*
 * Address conversions.
 *   __pa(va)         direct-map virtual → physical
 *   __va(pa)         physical → direct-map virtual (once the map is live)
 *   __pa_symbol(sym) kernel-image virtual → physical
 * Each is for one region only. In the debug build (VAMAP_DEBUG=1, the one
 * the tests use) every conversion is checked and a misuse panics naming
 * the address and the code that made it.
 */
#ifndef VAMAP_ADDR_H
#define VAMAP_ADDR_H

#include "layout.h"
#include "types.h"

extern u64 kernel_phys_base; /* where KERNEL_VIRT_BASE lives */
extern u64 direct_map_end;   /* physical end of the direct map; 0: not live */

/* The address of the instruction using it: Linux's _THIS_IP_. */
#define THIS_IP ({ __label__ __here; __here: (u64)&&__here; })

u64 pa_checked(u64 va, u64 ip);
void *va_checked(u64 pa, u64 ip);
u64 pa_symbol_checked(u64 va, u64 ip);

#if VAMAP_DEBUG
#define __pa(x) pa_checked((u64)(x), THIS_IP)
#define __va(x) va_checked((u64)(x), THIS_IP)
#define __pa_symbol(x) pa_symbol_checked((u64)(x), THIS_IP)
#else
#define __pa(x) ((u64)(x) - PAGE_OFFSET)
#define __va(x) ((void *)((u64)(x) + PAGE_OFFSET))
#define __pa_symbol(x) ((u64)(x) - KERNEL_VIRT_BASE + kernel_phys_base)
#endif

#endif
