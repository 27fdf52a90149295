/* SPDX-License-Identifier: MIT */
/*
 * How efi/ reports: one function that prefixes "efi: " to every line,
 * provided by the kernel (the console, kernel/console.c) and by the host
 * tests (the capture buffer in tests/host/sim.h), so the same files build
 * in both places. mm/ has its own (mm_log.h): a line says which layer
 * found what it reports.
 */
#ifndef VAMAP_EFI_LOG_H
#define VAMAP_EFI_LOG_H

#include "types.h"

void efi_log(const char *fmt, ...) __printf(1, 2);

#endif
