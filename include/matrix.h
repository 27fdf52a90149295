/* SPDX-License-Identifier: MIT */
/*
 * The modes= matrix (include/modes.h): each mode's report, as the stick
 * holds it, read back into one table of check x mode, printed as make
 * check prints its own (tools/check.py). boot/matrix.c; host-tested and
 * fuzzed: the reports are read back from a disk anything may have written.
 */
#ifndef VAMAP_MATRIX_H
#define VAMAP_MATRIX_H

#include "modes.h"
#include "types.h"

#define MATRIX_LABELS 192
#define MATRIX_LABEL_MAX 48

enum matrix_cell {
	MATRIX_NONE = 0, /* the label is not in that mode's report */
	MATRIX_OK,
	MATRIX_FAIL,
	MATRIX_SKIP,
	MATRIX_WAIVED,
};

struct matrix_summary {
	bool have;	/* the report had its summary line */
	bool pass;
	u32 passed, failed, skipped, waived;
};

struct matrix {
	unsigned int n;		/* labels, in first-seen order */
	unsigned int dropped;	/* result lines beyond MATRIX_LABELS labels */
	char label[MATRIX_LABELS][MATRIX_LABEL_MAX];
	u8 cell[MATRIX_LABELS][MODES_MAX];	/* enum matrix_cell */
	bool have[MODES_MAX];	/* a report was added for that column */
	struct matrix_summary sum[MODES_MAX];
};

void matrix_init(struct matrix *m);

/*
 * Add the report @text (@len bytes: KTAP lines among others, as
 * kernel/results.c writes them) as column @col: each "ok N LABEL" or
 * "not ok N LABEL" line's status (a SKIP or a TODO waived directive
 * read), and the "vamap: PASS|FAIL (...)" summary. Lines of any other
 * shape are skipped; a label longer than MATRIX_LABEL_MAX - 1 is cut.
 */
void matrix_add_report(struct matrix *m, unsigned int col, const char *text,
		       u32 len);

/*
 * Render the matrix into @out (@max bytes, NUL-terminated): a line per
 * column with its summary, how its boot ended (@resets[col], enum
 * modes_reset: a ResetSystem that returned fails the sequence) and its
 * report (@stems[col], "" for none), the
 * check x mode table (columns named by @names), each failure, and a
 * verdict line. Columns whose bit is clear in @mask are left out. Never
 * past @max: a cut is said in the last line. Returns the length.
 */
u32 matrix_render(const struct matrix *m, u32 mask,
		  const char *const names[MODES_MAX],
		  const char stems[MODES_MAX][MODES_STEM_MAX],
		  const u32 resets[MODES_MAX], char *out, u32 max);

/* Does the sequence pass: every column has a report, every report's
 * summary says PASS, and no ResetSystem returned? (efi=noruntime's column may have none: that mode
 * calls no firmware, so it cannot keep its report.) */
bool matrix_pass(const struct matrix *m, u32 mask,
		 const u32 resets[MODES_MAX]);

#endif
