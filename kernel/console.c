// SPDX-License-Identifier: MIT
/*
 * The kernel's log: a 16550 UART on COM1 and QEMU's debugcon. Each channel
 * is used only if it answers a probe, so the same kernel runs on a board
 * without a serial port. Nothing here waits without a bound.
 */
#include "efi_log.h"
#include "exitcode.h"
#include "fbcon.h"
#include "efi_state.h"
#include "kernel.h"
#include "ksyms.h"
#include "printf.h"
#include "watchdog.h"
#include "x86.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define LSR_THRE 0x20
#define UART_SPIN_LIMIT 100000

struct options kopt;

static bool have_uart, have_debugcon;

/* Everything printed, so a console that comes up later (the framebuffer)
 * can show the log from its first line. Kept while it fits. */
static char history[96 * 1024];
static size_t history_len;
static struct fbcon *fb;

/* A UART answers through its scratch register; a floating bus does not. */
static bool uart_probe(void)
{
	outb(COM1 + UART_SCR, 0xa5);
	if (inb(COM1 + UART_SCR) != 0xa5)
		return false;
	outb(COM1 + UART_SCR, 0x5a);
	return inb(COM1 + UART_SCR) == 0x5a;
}

void console_init(void)
{
	have_debugcon = debugcon_present();
	have_uart = uart_probe();
	if (!have_uart)
		return;
	outb(COM1 + UART_IER, 0x00);	/* no interrupts */
	outb(COM1 + UART_LCR, 0x80);	/* DLAB: divisor follows */
	outb(COM1 + 0, 0x01);		/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);	/* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x03);	/* DTR, RTS */
}

static void uart_putc(char c)
{
	unsigned int spin = UART_SPIN_LIMIT;

	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && --spin)
		;
	outb(COM1 + UART_THR, (u8)c);
}

void console_attach_fb(struct fbcon *c)
{
	fbcon_write(c, history, history_len);
	fb = c;
}

/* The last CONSOLE_TAIL bytes written, for the report a fault leaves
 * (main.c, save_report_after_fault). */
static char tail[CONSOLE_TAIL];
static u64 tail_written;

/* The bytes written since @mark (a console_mark() value), at most @max
 * and at most the last CONSOLE_TAIL; whole lines only where the window
 * had to start later than @mark. */
u32 console_since(u64 mark, char *out, u32 max)
{
	u64 n = MIN(MIN(tail_written - MIN(mark, tail_written),
			(u64)CONSOLE_TAIL), (u64)max);
	u64 i, start = tail_written - n;

	/* Where the window begins after @mark, it may begin mid-line (the
	 * byte before it is gone): begin after its first newline. */
	if (start > mark) {
		while (n && tail[start % CONSOLE_TAIL] != '\n') {
			start++;
			n--;
		}
		if (n) {
			start++;
			n--;
		}
	}
	for (i = 0; i < n; i++)
		out[i] = tail[(start + i) % CONSOLE_TAIL];
	return (u32)n;
}

u32 console_tail(char *out, u32 max)
{
	return console_since(0, out, max);
}

u64 console_mark(void)
{
	return tail_written;
}

static void console_write(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tail[tail_written++ % CONSOLE_TAIL] = s[i];

	if (history_len + n <= sizeof(history)) {
		memcpy(history + history_len, s, n);
		history_len += n;
	}
	if (fb)
		fbcon_write(fb, s, n);
	for (i = 0; i < n; i++) {
		if (have_uart) {
			if (s[i] == '\n')
				uart_putc('\r');
			uart_putc(s[i]);
		}
		if (have_debugcon)
			outb(DEBUGCON_PORT, (u8)s[i]);
	}
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[512];
	int n = kvsnprintf(line, sizeof(line), fmt, ap);

	console_write(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* efi/'s log (efi_log.h): its lines, prefixed, written whole. */
void efi_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line + 5, sizeof(line) - 5, fmt, ap);
	va_end(ap);
	memcpy(line, "efi: ", 5);
	n += 5;
	console_write(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void kputs(const char *s, size_t n)
{
	console_write(s, n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void (*kernel_fault_hook)(void);

__noreturn void kernel_exit(u8 code)
{
	void (*hook)(void) = kernel_fault_hook;

	/* Once: a fault inside the hook must not run it again. */
	kernel_fault_hook = NULL;
	if (code == VAMAP_EXIT_FAULT && hook)
		hook();
	cli();
	/* Over for good: no call is made or resumed on this CPU, and no
	 * watchdog NMI ends (so resumes) the call a fault stopped in. */
	watchdog_stop();
	efi_call_halt(this_cpu_apic_id());
	if (kopt.exit == EXIT_QEMU)
		outb(QEMU_EXIT_PORT, code);
	kprintf("vamap: halted\n");
	for (;;)
		hlt();
}

__noreturn void panic_at(const void *caller, const char *fmt, ...)
{
	char sym[96];
	va_list ap;

	kprintf("PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	ksym_format((u64)caller, sym, sizeof(sym));
	kprintf("\nPANIC: called from %p%s\n", caller, sym);
	kernel_exit(VAMAP_EXIT_FAULT);
}
