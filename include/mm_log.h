/* SPDX-License-Identifier: MIT */
/*
 * How mm/ and efi/ report: one function, provided by the kernel (the
 * console) and by the host tests (a capture buffer), so the same files
 * build in both places.
 */
#ifndef VAMAP_MM_LOG_H
#define VAMAP_MM_LOG_H

#include "types.h"

void mm_log(const char *fmt, ...) __printf(1, 2);

#endif
