// SPDX-License-Identifier: MIT
/* The modes= matrix from the reports on the stick (include/matrix.h). */
#include "matrix.h"
#include "printf.h"

void matrix_init(struct matrix *m)
{
	unsigned int i, j;

	m->n = 0;
	m->dropped = 0;
	for (j = 0; j < MODES_MAX; j++) {
		m->have[j] = false;
		m->sum[j] = (struct matrix_summary){ 0 };
	}
	for (i = 0; i < MATRIX_LABELS; i++) {
		m->label[i][0] = '\0';
		for (j = 0; j < MODES_MAX; j++)
			m->cell[i][j] = MATRIX_NONE;
	}
}

/* Does [p, e) start with the NUL-terminated @s? */
static bool starts(const char *p, const char *e, const char *s)
{
	while (*s) {
		if (p == e || *p != *s)
			return false;
		p++;
		s++;
	}
	return true;
}

/* Does [p, e) hold @s anywhere? */
static bool holds(const char *p, const char *e, const char *s)
{
	for (; p < e; p++)
		if (starts(p, e, s))
			return true;
	return false;
}

/* The next decimal number at or after *p (before e), 0 if none; *p moves
 * past it. Saturates rather than wraps. */
static u32 next_u32(const char **p, const char *e)
{
	u32 v = 0;

	while (*p < e && (**p < '0' || **p > '9'))
		(*p)++;
	while (*p < e && **p >= '0' && **p <= '9') {
		v = v > 400000000u ? 0xffffffffu : v * 10 + (u32)(**p - '0');
		(*p)++;
	}
	return v;
}

static unsigned int find_label(struct matrix *m, const char *l, size_t n)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		size_t k = 0;

		while (k < n && m->label[i][k] == l[k])
			k++;
		if (k == n && m->label[i][k] == '\0')
			return i;
	}
	if (m->n == MATRIX_LABELS)
		return MATRIX_LABELS;
	for (i = 0; i < n; i++)
		m->label[m->n][i] = l[i];
	m->label[m->n][n] = '\0';
	return m->n++;
}

static void add_line(struct matrix *m, unsigned int col, const char *p,
		     const char *e)
{
	bool bad = false;
	const char *l;
	size_t n = 0;
	unsigned int i;
	u8 cell;

	if (starts(p, e, "vamap: PASS (") || starts(p, e, "vamap: FAIL (")) {
		struct matrix_summary *s = &m->sum[col];

		s->pass = p[7] == 'P';
		p += 13;
		s->passed = next_u32(&p, e);
		s->failed = next_u32(&p, e);
		s->skipped = next_u32(&p, e);
		s->waived = next_u32(&p, e);
		s->have = true;
		return;
	}
	if (starts(p, e, "not ok ")) {
		bad = true;
		p += 7;
	} else if (starts(p, e, "ok ")) {
		p += 3;
	} else {
		return;
	}
	if (p == e || *p < '0' || *p > '9')
		return;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	if (p == e || *p != ' ')
		return;
	l = ++p;
	while (p < e && *p != ' ' && *p > ' ' && *p < 0x7f)
		p++;
	if (p < e && *p != ' ')
		return; /* a label holds printable ASCII only */
	n = (size_t)(p - l);
	if (!n)
		return;
	if (n > MATRIX_LABEL_MAX - 1)
		n = MATRIX_LABEL_MAX - 1;
	cell = bad ? (holds(p, e, " # TODO") ? MATRIX_WAIVED : MATRIX_FAIL)
		   : (holds(p, e, " # SKIP") ? MATRIX_SKIP : MATRIX_OK);
	i = find_label(m, l, n);
	if (i == MATRIX_LABELS) {
		m->dropped++;
		return;
	}
	m->cell[i][col] = cell;
}

void matrix_add_report(struct matrix *m, unsigned int col, const char *text,
		       u32 len)
{
	const char *p = text, *e = text + len;

	if (col >= MODES_MAX)
		return;
	m->have[col] = true;
	while (p < e) {
		const char *nl = p;

		while (nl < e && *nl != '\n')
			nl++;
		add_line(m, col, p, nl);
		p = nl + (nl < e);
	}
}

bool matrix_pass(const struct matrix *m, u32 mask,
		 const u32 resets[MODES_MAX])
{
	unsigned int j;

	for (j = 0; j < MODES_MAX; j++) {
		if (!(mask & (1u << j)))
			continue;
		if (resets[j] == MODES_RESET_RETURNED)
			return false;
		if (j == MODES_NORUNTIME && !m->have[j])
			continue;
		if (!(m->have[j] && m->sum[j].have && m->sum[j].pass))
			return false;
	}
	return true;
}

struct out {
	char *buf;
	u32 max, len;
	bool cut;
};

static void put(struct out *o, const char *fmt, ...) __printf(2, 3);
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cut)
		return;
	va_start(ap, fmt);
	n = kvsnprintf(o->buf + o->len, o->max - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (u32)n >= o->max - o->len) {
		o->buf[o->len] = '\0'; /* the part that fit is dropped too */
		o->cut = true;
		return;
	}
	o->len += (u32)n;
}

static const char *const cell_names[] = {
	[MATRIX_NONE] = "-", [MATRIX_OK] = "ok", [MATRIX_FAIL] = "FAIL",
	[MATRIX_SKIP] = "skip", [MATRIX_WAIVED] = "waived",
};

static const char *const reset_names[] = {
	[MODES_RESET_NONE] = "-", [MODES_RESET_PORT] = "port",
	[MODES_RESET_SYSTEM] = "ResetSystem",
	[MODES_RESET_RETURNED] = "RETURNED",
};

static const char *reset_name(u32 r)
{
	return r < ARRAY_SIZE(reset_names) ? reset_names[r] : "?";
}

u32 matrix_render(const struct matrix *m, u32 mask,
		  const char *const names[MODES_MAX],
		  const char stems[MODES_MAX][MODES_STEM_MAX],
		  const u32 resets[MODES_MAX], char *out, u32 max)
{
	/* Room kept for the line that says the matrix was cut. */
	static const u32 tail = 96;
	struct out o = { out, max > tail ? max - tail : 0, 0, false };
	unsigned int i, j, width = 5, cols = 0, failed = 0, missing = 0;
	unsigned int returned = 0;

	if (!max)
		return 0;
	out[0] = '\0';
	for (i = 0; i < m->n; i++) {
		unsigned int n = 0;

		while (m->label[i][n])
			n++;
		if (n > width)
			width = n;
	}
	put(&o, "mode          result  passed  failed  skipped  waived  "
	    "reset        report\n");
	for (j = 0; j < MODES_MAX; j++) {
		const struct matrix_summary *s = &m->sum[j];

		if (!(mask & (1u << j)))
			continue;
		cols++;
		returned += resets[j] == MODES_RESET_RETURNED;
		if (!m->have[j] && j == MODES_NORUNTIME) {
			/* It calls no firmware, SetVariable for its report
			 * included: its verdicts were on its console only. */
			put(&o, "efi=%-9s -       not kept: efi=noruntime calls no "
			    "firmware, not even SetVariable for its report; "
			    "reset: %s\n", names[j], reset_name(resets[j]));
		} else if (!m->have[j]) {
			missing++;
			put(&o, "efi=%-9s -       no report on the volume: the run "
			    "ended early or could not keep one (its log says "
			    "which); reset: %s\n", names[j],
			    reset_name(resets[j]));
		} else if (!s->have) {
			missing++;
			put(&o, "efi=%-9s -       the report has no summary (the run "
			    "ended early); reset: %s  %s\n", names[j],
			    reset_name(resets[j]), stems[j]);
		} else {
			failed += !s->pass;
			put(&o, "efi=%-9s %-6s  %6u  %6u  %7u  %6u  %-11s  %s\n",
			    names[j], s->pass ? "PASS" : "FAIL", s->passed,
			    s->failed, s->skipped, s->waived,
			    reset_name(resets[j]), stems[j]);
		}
	}
	put(&o, "\n%-*s", (int)width, "check");
	for (j = 0; j < MODES_MAX; j++)
		if (mask & (1u << j))
			put(&o, "  %-9s", names[j]);
	put(&o, "\n");
	for (i = 0; i < m->n; i++) {
		put(&o, "%-*s", (int)width, m->label[i]);
		for (j = 0; j < MODES_MAX; j++)
			if (mask & (1u << j))
				put(&o, "  %-9s", cell_names[m->cell[i][j]]);
		put(&o, "\n");
	}
	if (m->dropped)
		put(&o, "(%u result lines beyond %u labels left out)\n",
		    m->dropped, MATRIX_LABELS);
	for (i = 0; i < m->n; i++)
		for (j = 0; j < MODES_MAX; j++)
			if ((mask & (1u << j)) && m->cell[i][j] == MATRIX_FAIL)
				put(&o, "FAIL efi=%s: %s\n", names[j], m->label[i]);
	for (j = 0; j < MODES_MAX; j++)
		if ((mask & (1u << j)) && resets[j] == MODES_RESET_RETURNED)
			put(&o, "FAIL efi=%s: ResetSystem(EfiResetCold) returned "
			    "(UEFI 2.10 8.5.1); the reset port reset the machine\n",
			    names[j]);
	put(&o, "modes: %s (%u modes, %u failed, %u without a summary, %u "
	    "ResetSystem returned)\n",
	    matrix_pass(m, mask, resets) ? "PASS" : "FAIL", cols, failed,
	    missing, returned);
	if (o.cut) {
		o.max = max;
		o.cut = false;
		put(&o, "modes: the matrix was cut at %u bytes: the reports "
		    "themselves are whole beside it\n", o.len);
	}
	return o.len;
}
