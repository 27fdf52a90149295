// SPDX-License-Identifier: MIT
// sources: efi/pe_image.c
/* Naming the PE/COFF image that holds a faulting address. */
#include "check.h"
#include "pe_image.h"
#include "pe_sample.h"

static u8 buf[0x10000];

static void test_found(void)
{
	struct pe_image im;

	pe_sample(buf);
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x1234, &im));
	CHECK_EQ(im.base, SAMPLE_BASE);
	CHECK_EQ(im.size, SAMPLE_SIZE);
	CHECK_EQ(im.machine, 0x8664);
	CHECK_STR(im.name, "VariableRuntimeDxe.dll");
	/* its first and last byte */
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE, &im));
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE + SAMPLE_SIZE - 1, &im));
}

static void test_not_found(void)
{
	struct pe_image im;

	pe_sample(buf);
	CHECK(!pe_image_find(buf, sizeof(buf), SAMPLE_BASE - 1, &im));
	CHECK(!pe_image_find(buf, sizeof(buf), SAMPLE_BASE + SAMPLE_SIZE, &im));
	CHECK(!pe_image_find(buf, sizeof(buf), sizeof(buf), &im));
	CHECK(!pe_image_find(NULL, 0, 0, &im));
	buf[SAMPLE_BASE + 0x3c] = 0xf0; /* e_lfanew off the end of the page */
	buf[SAMPLE_BASE + 0x3f] = 0x7f;
	CHECK(!pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x100, &im));
	pe_sample(buf);
	buf[SAMPLE_BASE + 0x81] = 'X'; /* not "PE\0\0" */
	CHECK(!pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x100, &im));
	pe_sample(buf);
	/* cut before the optional header: refused, read nothing past it */
	CHECK(!pe_image_find(buf, SAMPLE_BASE + 0x90, SAMPLE_BASE + 0x10, &im));
}

/* A debug directory or CodeView entry that points outside the image or
 * the buffer: the image is still found, only without a name. */
static void test_bad_debug(void)
{
	struct pe_image im;

	pe_sample(buf);
	put32(buf + SAMPLE_BASE + 0x3000 + 20, SAMPLE_SIZE - 8);
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x10, &im));
	CHECK_STR(im.name, "");
	pe_sample(buf);
	put32(buf + SAMPLE_BASE + 0x80 + 24 + 112 + 48 + 4, 0xffffffff);
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x10, &im));
	CHECK_STR(im.name, "");
	pe_sample(buf);
	/* no terminator inside the entry */
	put32(buf + SAMPLE_BASE + 0x3000 + 16, 24 + 10);
	CHECK(pe_image_find(buf, sizeof(buf), SAMPLE_BASE + 0x10, &im));
	CHECK_STR(im.name, "");
	/* the buffer ends inside the CodeView entry */
	pe_sample(buf);
	CHECK(pe_image_find(buf, SAMPLE_BASE + 0x3110, SAMPLE_BASE + 0x10, &im));
	CHECK_STR(im.name, "");
}

int main(void)
{
	RUN(test_found);
	RUN(test_not_found);
	RUN(test_bad_debug);
	return check_exit();
}
