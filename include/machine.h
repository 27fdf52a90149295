/* SPDX-License-Identifier: MIT */
/* The machine a run was made on (kernel/machine.c). */
#ifndef VAMAP_MACHINE_H
#define VAMAP_MACHINE_H

#include "boot_info.h"

#define VAMAP_VERSION "0.1"

/* Print the == machine section and keep its lines for the report. */
void machine_describe(const struct boot_info *bi);

/* The report's header: "vamap VERSION, command line ..." and the
 * machine lines (docs/results-format.md). */
void machine_report_header(const char *cmdline);

#endif
