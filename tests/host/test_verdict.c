// SPDX-License-Identifier: MIT
// sources: kernel/verdict.c kernel/printf.c
/* Severities (every label vamap prints has one on purpose) and the waiver
 * file's parser. */
#include <dirent.h>
#include "check.h"
#include "verdict.h"

static void test_severity_table(void)
{
	bool rated;

	CHECK_EQ(severity_of("efi.abi", &rated), SEV_CRITICAL);
	CHECK(rated);
	CHECK_EQ(severity_of("efi.time.set.invalid_month", NULL), SEV_MEDIUM);
	CHECK_EQ(severity_of("efi.time.set.roundtrip", NULL), SEV_HIGH);
	CHECK_EQ(severity_of("efi.svam", NULL), SEV_CRITICAL);
	CHECK_EQ(severity_of("efi.svam.second", NULL), SEV_HIGH);
	CHECK_EQ(severity_of("efi.wakeup.set.roundtrip", NULL), SEV_LOW);
	CHECK_EQ(severity_of("mm.wx", NULL), SEV_CRITICAL);
	CHECK_EQ(severity_of("efi.get_variable.BootOrder", NULL), SEV_HIGH);
	/* a prefix longer than the label does not match it */
	CHECK_EQ(severity_of("efi.time", NULL), SEV_HIGH);
	CHECK_EQ(severity_of("nothing.like.it", &rated), SEV_HIGH);
	CHECK(!rated);
	CHECK(!strcmp(severity_name(SEV_MEDIUM), "medium"));
	CHECK(!strcmp(severity_name((enum severity)9), "high"));
}

/* Every label in a golden log (what the boots print) is rated by an entry
 * of the table, not by the fallback. */
static void test_golden_labels_rated(void)
{
	DIR *d = opendir("tests/golden");
	struct dirent *e;
	unsigned int labels = 0;

	CHECK(d);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512], line[1024], name[256];
		FILE *f;

		if (!strstr(e->d_name, ".log"))
			continue;
		snprintf(path, sizeof(path), "tests/golden/%s", e->d_name);
		f = fopen(path, "r");
		CHECK(f);
		while (f && fgets(line, sizeof(line), f)) {
			unsigned int n;
			bool rated;

			if (sscanf(line, "ok %u %255s", &n, name) != 2 &&
			    sscanf(line, "not ok %u %255s", &n, name) != 2)
				continue;
			severity_of(name, &rated);
			if (!rated)
				fprintf(stderr, "%s: %s has no severity\n", path, name);
			CHECK(rated);
			labels++;
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	CHECK(labels > 1000);
}

static void test_waivers_parse(void)
{
	static const char text[] =
		"# a comment\n"
		"\n"
		"  efi.pointers   GetTime in XP memory [FW-1], fixed in 2.1  \r\n"
		"efi.time.*\tthe RTC is off by design\n"
		"efi.get_time\n"
		"bad!label why\n"
		"efi.wx\xe9 not ASCII\n"
		"*  a lone star\n"
		"efi.time.set.invalid_month exact beats prefix";
	struct waivers w;
	struct waiver *v;

	CHECK_EQ(waivers_parse(text, sizeof(text) - 1, &w), 4);
	CHECK_EQ(w.n, 3);
	CHECK(!strcmp(w.w[0].label, "efi.pointers"));
	CHECK(!strcmp(w.w[0].reason, "GetTime in XP memory (FW-1), fixed in 2.1"));
	CHECK(!w.w[0].prefix);
	CHECK_EQ(w.w[0].line, 3);
	CHECK(!strcmp(w.w[1].label, "efi.time."));
	CHECK(w.w[1].prefix);
	CHECK(!strcmp(w.problems[0], "line 5: no reason after the label: say why"));
	CHECK(!strncmp(w.problems[1], "line 6: a label is", 18));
	CHECK(!strcmp(w.problems[2], "line 7: not ASCII text"));
	CHECK(!strncmp(w.problems[3], "line 8: a label is", 18));

	CHECK(waivers_find(&w, "efi.pointers") == &w.w[0]);
	CHECK(!waivers_find(&w, "efi.pointers.x")); /* exact means exact */
	CHECK(!waivers_find(&w, "efi.pointer"));
	CHECK(waivers_find(&w, "efi.time.get.null_time") == &w.w[1]);
	CHECK(waivers_find(&w, "efi.time.set.invalid_month") == &w.w[2]);
	CHECK(!waivers_find(&w, "efi.timeout"));
	v = waivers_find(&w, "efi.time.set.null");
	CHECK(v == &w.w[1]);
}

static void test_waivers_limits(void)
{
	static char text[WAIVERS_MAX_TEXT * 2];
	struct waivers w;
	unsigned int i, len = 0;

	for (i = 0; i < WAIVERS_MAX + 3; i++)
		len += (unsigned int)snprintf(text + len, sizeof(text) - len,
					      "label.%u why\n", i);
	CHECK_EQ(waivers_parse(text, len, &w), 3);
	CHECK_EQ(w.n, WAIVERS_MAX);
	/* a long reason is cut, with a problem; a long label is refused */
	len = (unsigned int)snprintf(text, sizeof(text), "a.b %0200d\n", 7);
	len += (unsigned int)snprintf(text + len, sizeof(text) - len,
				      "%070d why\n", 1);
	CHECK_EQ(waivers_parse(text, len, &w), 2);
	CHECK_EQ(w.n, 1);
	CHECK_EQ(strlen(w.w[0].reason), WAIVER_REASON_MAX - 1);
	CHECK(!strcmp(w.problems[0], "line 1: reason cut to 119 characters"));
	CHECK(!strcmp(w.problems[1], "line 2: label too long"));
	/* more problems than are recorded: counted */
	len = 0;
	for (i = 0; i < 20; i++)
		len += (unsigned int)snprintf(text + len, sizeof(text) - len,
					      "nolabel!\n");
	CHECK_EQ(waivers_parse(text, len, &w), 20);
	CHECK_EQ(w.n, 0);
	CHECK_EQ(waivers_parse("", 0, &w), 0);
}

int main(void)
{
	RUN(test_severity_table);
	RUN(test_golden_labels_rated);
	RUN(test_waivers_parse);
	RUN(test_waivers_limits);
	return check_exit();
}
