// SPDX-License-Identifier: MIT
/* The printf core (see printf.h). Calls nothing outside this file. */
#include "printf.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* what the full output would be */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left;
	bool zero;
	int width;
	int prec; /* -1: none */
};

static void emit(struct out *o, const struct spec *sp, const char *s, int n,
		 const char *prefix)
{
	int plen = 0, fill;

	while (prefix && prefix[plen])
		plen++;
	fill = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		pad(o, ' ', fill);
	while (prefix && *prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		pad(o, '0', fill);
	while (n--)
		put(o, *s++);
	if (sp->left)
		pad(o, ' ', fill);
}

static void number(struct out *o, struct spec *sp, u64 v, bool neg,
		   unsigned int base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	while (n < sp->prec && n < (int)sizeof(tmp))
		tmp[sizeof(tmp) - 1 - n++] = '0';
	if (sp->prec >= 0)
		sp->zero = false;
	emit(o, sp, tmp + sizeof(tmp) - n, n, neg ? "-" : prefix);
}

static int read_int(const char **f, va_list *ap)
{
	int v = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		v = v * 10 + (*(*f)++ - '0');
	return v;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		struct spec sp = { false, false, 0, -1 };
		int lng = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
		u64 u;
		s64 s;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		sp.width = read_int(&fmt, &ap);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = read_int(&fmt, &ap);
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng < 0 ? 1 : lng + 1;
			else if (*fmt == 'z')
				lng = 1;
			else if (*fmt == 'h')
				lng = lng > 0 ? -1 : lng - 1;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long)
			    : lng == 1 ? va_arg(ap, long)
				       : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			number(&o, &sp, s < 0 ? -(u64)s : (u64)s, s < 0, 10,
			       false, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng >= 2 ? va_arg(ap, unsigned long long)
			    : lng == 1 ? va_arg(ap, unsigned long)
				       : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			number(&o, &sp, u, false, *fmt == 'u' ? 10 : 16,
			       *fmt == 'X', NULL);
			break;
		case 'p':
			sp.prec = 16;
			number(&o, &sp, (u64)(uintptr_t)va_arg(ap, void *), false,
			       16, false, "0x");
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			emit(&o, &sp, &c, 1, NULL);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;

			if (!str)
				str = "(null)";
			while (str[n] && (sp.prec < 0 || n < sp.prec))
				n++;
			sp.zero = false;
			emit(&o, &sp, str, n, NULL);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default: /* unknown conversion: print it as is */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			break;
		}
		if (*fmt)
			fmt++;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	va_end(ap);
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

const char *size_string(u64 bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	u64 v = bytes >> 10;
	unsigned int u = 0;

	while (u + 1 < sizeof(units) - 1 && v >= 1024 && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	ksnprintf(buf, len, "%lu%c", (unsigned long)v, units[u]);
	return buf;
}
