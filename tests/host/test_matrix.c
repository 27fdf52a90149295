// SPDX-License-Identifier: MIT
// sources: boot/matrix.c kernel/printf.c
/*
 * The modes= matrix (boot/matrix.c): reports read back from the stick
 * into check x mode, each status read from its KTAP line, the summary
 * from its last line, and the rendering: every column, every failure, the
 * verdict, efi=noruntime's missing report not a failure, a cut said.
 */
#include "check.h"
#include "matrix.h"

static struct matrix m;
static const char *const names[MODES_MAX] = {
	"slot", "linux", "1to1", "novamap", "noruntime",
};
static char stems[MODES_MAX][MODES_STEM_MAX] = {
	"20261207-030742", "20261207-030750", "", "", "",
};
static char out[16384];
static const u32 resets_ok[MODES_MAX] = {
	MODES_RESET_SYSTEM, MODES_RESET_SYSTEM, MODES_RESET_NONE,
	MODES_RESET_NONE, MODES_RESET_PORT,
};
static const u32 resets_returned[MODES_MAX] = {
	MODES_RESET_RETURNED, MODES_RESET_SYSTEM, MODES_RESET_NONE,
	MODES_RESET_NONE, MODES_RESET_PORT,
};

static const char slot[] =
	"vamap 0.1, command line \"exit=qemu efi=slot\"\n"
	"KTAP version 1\n"
	"ok 1 boot.info # [low]\n"
	"ok 2 efi.tables # [medium]\n"
	"ok 3 efi.memattr # SKIP [high] no table\n"
	"# efi: a detail line, not a result\n"
	"1..3\n"
	"vamap: PASS (2 passed, 0 failed, 1 skipped, 0 waived)\n";
static const char linux_[] =
	"KTAP version 1\n"
	"ok 1 boot.info # [low]\n"
	"not ok 2 efi.tables # [medium] stale CRC32\n"
	"not ok 3 efi.pm # TODO waived: known [medium] x\n"
	"ok 4 efi.only_here # [high]\n"
	"ok 5 " "a_label_far_longer_than_the_forty_eight_bytes_a_cell_holds"
	" # [low]\n"
	"ok x not.a.result\n"
	"not ok  9 two.spaces\n"
	"1..5\n"
	"vamap: FAIL (3 passed, 1 failed, 0 skipped, 1 waived)\n";

static void test_statuses(void)
{
	matrix_init(&m);
	matrix_add_report(&m, 0, slot, sizeof(slot) - 1);
	matrix_add_report(&m, 1, linux_, sizeof(linux_) - 1);
	CHECK_EQ(m.n, 6);
	CHECK_STR(m.label[0], "boot.info");
	CHECK_EQ(m.cell[0][0], MATRIX_OK);
	CHECK_EQ(m.cell[1][0], MATRIX_OK);
	CHECK_EQ(m.cell[1][1], MATRIX_FAIL);
	CHECK_EQ(m.cell[2][0], MATRIX_SKIP);
	CHECK_EQ(m.cell[2][1], MATRIX_NONE);
	CHECK_STR(m.label[3], "efi.pm");
	CHECK_EQ(m.cell[3][1], MATRIX_WAIVED);
	CHECK_EQ(m.cell[3][0], MATRIX_NONE);
	CHECK_EQ(strlen(m.label[5]), MATRIX_LABEL_MAX - 1);
	CHECK(m.sum[0].have && m.sum[0].pass && m.sum[0].passed == 2 &&
	      m.sum[0].skipped == 1);
	CHECK(m.sum[1].have && !m.sum[1].pass && m.sum[1].failed == 1 &&
	      m.sum[1].waived == 1);
}

static void test_render(void)
{
	u32 n;

	matrix_init(&m);
	matrix_add_report(&m, 0, slot, sizeof(slot) - 1);
	matrix_add_report(&m, 1, linux_, sizeof(linux_) - 1);
	n = matrix_render(&m, 0x1f, names, stems, resets_ok, out, sizeof(out));
	CHECK_EQ(n, strlen(out));
	CHECK(strstr(out, "efi=slot      PASS         2       0        1       "
		      "0  ResetSystem  20261207-030742\n") != NULL);
	CHECK(strstr(out, "efi=1to1      -       no report on the volume") != NULL);
	/* efi=noruntime keeps no report by design: said, not a failure */
	CHECK(strstr(out, "efi=noruntime -       not kept: efi=noruntime") != NULL);
	CHECK(strstr(out, "FAIL efi=linux: efi.tables\n") != NULL);
	CHECK(strstr(out, "efi.pm") != NULL && !strstr(out, "FAIL efi=linux: "
							   "efi.pm"));
	CHECK(strstr(out, "modes: FAIL (5 modes, 1 failed, 2 without a "
		      "summary, 0 ResetSystem returned)\n") != NULL);
	CHECK(!matrix_pass(&m, 0x1f, resets_ok));
	/* slot and noruntime: slot passed, noruntime kept none: a pass */
	CHECK(matrix_pass(&m, 0x11, resets_ok));
	n = matrix_render(&m, 0x11, names, stems, resets_ok, out, sizeof(out));
	CHECK(strstr(out, "modes: PASS (2 modes, 0 failed, 0 without") != NULL);
	CHECK(!strstr(out, "efi=linux"));
	/* ... unless slot's ResetSystem returned: named, the sequence fails */
	CHECK(!matrix_pass(&m, 0x11, resets_returned));
	n = matrix_render(&m, 0x11, names, stems, resets_returned, out,
			  sizeof(out));
	CHECK(strstr(out, "FAIL efi=slot: ResetSystem(EfiResetCold) returned")
	      != NULL);
	CHECK(strstr(out, "modes: FAIL (2 modes, 0 failed, 0 without a "
		      "summary, 1 ResetSystem returned)") != NULL);
	/* a buffer too small: cut, and the cut said in the last line */
	n = matrix_render(&m, 0x1f, names, stems, resets_ok, out, 400);
	CHECK(n < 400 && out[n] == '\0');
	CHECK(strstr(out, "modes: the matrix was cut at") != NULL);
	CHECK_EQ(matrix_render(&m, 0x1f, names, stems, resets_ok, out, 0), 0);
}

static void test_many_labels(void)
{
	static char text[MATRIX_LABELS * 40 + 200];
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < MATRIX_LABELS + 5; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "ok %u check.%u # [low]\n", i + 1, i);
	matrix_init(&m);
	matrix_add_report(&m, 2, text, (u32)n);
	CHECK_EQ(m.n, MATRIX_LABELS);
	CHECK_EQ(m.dropped, 5);
	matrix_add_report(&m, 9, text, (u32)n); /* no such column: ignored */
	CHECK_EQ(m.dropped, 5);
}

int main(void)
{
	RUN(test_statuses);
	RUN(test_render);
	RUN(test_many_labels);
	return check_exit();
}
