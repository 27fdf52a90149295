/* SPDX-License-Identifier: MIT */
/*
 * Codes written to QEMU's isa-debug-exit port (iobase 0xf4). QEMU exits with
 * status (code << 1) | 1, so every code below gives an odd, non-zero status;
 * the boot-test harness maps the status back to these names.
 */
#ifndef VAMAP_EXITCODE_H
#define VAMAP_EXITCODE_H

#define QEMU_EXIT_PORT 0xf4

#define VAMAP_EXIT_PASS 0x10  /* every check passed: QEMU status 33 */
#define VAMAP_EXIT_FAIL 0x11  /* the run finished, a check failed: 35 */
#define VAMAP_EXIT_FAULT 0x12 /* an unexpected CPU exception or a panic: 37 */
#define VAMAP_EXIT_STUB 0x13  /* the EFI stub refused to start the kernel: 39 */

#endif
