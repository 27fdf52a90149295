/* SPDX-License-Identifier: MIT */
/* The kernel's own services: console, panic, exit, string functions. */
#ifndef VAMAP_KERNEL_H
#define VAMAP_KERNEL_H

#include <stdarg.h>
#include "cmdline.h"
#include "types.h"

/* The parsed command line, valid from the start of kmain. */
extern struct options kopt;
/* TSC ticks per millisecond as the stub measured them (0: unknown). */
extern u64 kernel_tsc_khz;

/* TSC ticks per millisecond (kernel_tsc_khz, or 1 GHz when no source gave
 * it), and a busy wait of @us microseconds on the TSC (kernel/lib.c). */
u64 tsc_per_ms(void);
void delay_us(u64 us);

struct fbcon;

void console_init(void);
/* Mirror the log onto @c from now on, after replaying it from the start. */
void console_attach_fb(struct fbcon *c);
void kprintf(const char *fmt, ...) __printf(1, 2);
void kvprintf(const char *fmt, va_list ap);

/*
 * End the run: under exit=qemu, write @code (VAMAP_EXIT_*) to isa-debug-exit;
 * then (and always on real hardware) halt this CPU for good.
 */
__noreturn void kernel_exit(u8 code);

/* Run once by kernel_exit(VAMAP_EXIT_FAULT) before it stops: main.c keeps
 * the report of a run that a fault or panic ended. */
extern void (*kernel_fault_hook)(void);

/* The last bytes the console wrote (up to @max), oldest first, from the
 * start of a line. */
#define CONSOLE_TAIL 2048
u32 console_tail(char *out, u32 max);
/* @n bytes to the console as they are: no line limit (kprintf's is 511). */
void kputs(const char *s, size_t n);
/* Bytes written so far, and what was written since such a mark (the
 * lines a failed check's report carries, kernel/ktap.c). */
u64 console_mark(void);
u32 console_since(u64 mark, char *out, u32 max);

/* A broken invariant, never bad input: prints the message and the
 * caller's address, then kernel_exit(VAMAP_EXIT_FAULT). */
__noreturn void panic_at(const void *caller, const char *fmt, ...)
	__printf(2, 3);
#define panic(...) panic_at(__builtin_return_address(0), __VA_ARGS__)

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
