// SPDX-License-Identifier: MIT
// sources: kernel/cmdline.c
/* The command-line parser and the UEFI Shell argv[0] rule. */
#include "check.h"
#include "cmdline.h"

static void test_empty(void)
{
	struct options o;

	CHECK_EQ(cmdline_parse("", &o), 0);
	CHECK_EQ(o.exit, EXIT_HALT);
	CHECK_EQ(o.test, 0);
	CHECK(!o.verbose);
	CHECK_EQ(cmdline_parse("  \t \r\n ", &o), 0);
}

static void test_options(void)
{
	struct options o;

	CHECK_EQ(cmdline_parse("exit=qemu verbose", &o), 0);
	CHECK_EQ(o.exit, EXIT_QEMU);
	CHECK(o.verbose);
	CHECK_EQ(cmdline_parse("exit=qemu exit=halt", &o), 0);
	CHECK_EQ(o.exit, EXIT_HALT); /* the last word wins */
	CHECK_EQ(cmdline_parse("efi=linux reset=shutdown results=off", &o), 0);
	CHECK_EQ(o.efi_mode, 1);
	CHECK_EQ(o.reset, RESET_SHUTDOWN);
	CHECK_EQ(o.results, RESULTS_OFF);
	CHECK_EQ(o.exit, EXIT_HALT); /* untouched keys keep their default */
	CHECK_EQ(cmdline_parse("efi=bogus reset= results=maybe reset=none", &o), 4);
	CHECK_STR(o.problems[0], "bad value for efi: 'efi=bogus'");
	CHECK_STR(o.problems[1], "bad value for reset: 'reset='");
	CHECK_STR(o.problems[2], "bad value for results: 'results=maybe'");
	CHECK_EQ(o.reset, RESET_NONE);
	CHECK_EQ(cmdline_parse("svam=bad-version,shuffled svam=missing", &o), 0);
	CHECK_EQ(o.svam_probes, SVAM_PROBE_BAD_VERSION | SVAM_PROBE_SHUFFLED |
					SVAM_PROBE_MISSING);
	CHECK_EQ(cmdline_parse("svam=bogus svam= svam=missing,", &o), 3);
	CHECK_EQ(o.svam_probes, 0);
	CHECK(cmdline_is_ours("svam=unknown"));
	CHECK_EQ(cmdline_parse("  test=pagefault,stale-mapkey\ttest=gpfault ", &o), 0);
	CHECK_EQ(o.test, TEST_PAGE_FAULT | TEST_STALE_MAPKEY | TEST_GP_FAULT);
	/* a knob past the first 32 bits */
	CHECK_EQ(cmdline_parse("test=efi-hang-vamap,ap-late", &o), 0);
	CHECK(o.test == (TEST_EFI_HANG_VAMAP | TEST_AP_LATE));
	CHECK(!(o.test & 0xffffffffULL & TEST_EFI_HANG_VAMAP));
	/* modes=: a bit per efi= mode, in enum efi_mode's order; all is
	 * every one */
	CHECK_EQ(cmdline_parse("modes=slot,noruntime", &o), 0);
	CHECK_EQ(o.modes, (1u << 0) | (1u << 4));
	CHECK_EQ(cmdline_parse("modes=all", &o), 0);
	CHECK_EQ(o.modes, 0x1f);
	CHECK_EQ(cmdline_parse("modes=slot,bogus modes=", &o), 2);
	CHECK(strstr(o.problems[0], "modes= wants efi= modes or all") != NULL);
	CHECK(cmdline_is_ours("modes=all"));
}

static void test_efi_options(void)
{
	struct options o;

	CHECK_EQ(cmdline_parse("", &o), 0);
	CHECK_EQ(o.efi_timeout_ms, CMDLINE_EFI_TIMEOUT_MS);
	CHECK(o.efi_strict); /* the default */
	CHECK_EQ(cmdline_parse("efi.timeout=250 efi.shared", &o), 0);
	CHECK_EQ(o.efi_timeout_ms, 250);
	CHECK(!o.efi_strict);
	CHECK_EQ(cmdline_parse("efi.shared efi.strict", &o), 0); /* later wins */
	CHECK(o.efi_strict);
	CHECK(cmdline_is_ours("efi.shared"));
	CHECK_EQ(cmdline_parse("efi.timeout=0", &o), 0);
	CHECK_EQ(o.efi_timeout_ms, 0); /* no watchdog */
	CHECK_EQ(cmdline_parse("efi.timeout=600001 efi.timeout=1s efi.timeout= "
			       "efi.timeout efi.strict=1", &o), 5);
	CHECK_STR(o.problems[0], "efi.timeout wants milliseconds 0..600000: "
				 "'efi.timeout=600001'");
	CHECK_STR(o.problems[3], "unknown option 'efi.timeout'");
	CHECK_EQ(o.efi_timeout_ms, CMDLINE_EFI_TIMEOUT_MS); /* unchanged */
	CHECK(o.efi_strict); /* efi.strict=1 is no word of vamap's */
	CHECK(cmdline_is_ours("efi.strict"));
	/* smp.timeout=: an AP's start-up bound, Linux's 10 s by default. */
	CHECK_EQ(cmdline_parse("", &o), 0);
	CHECK_EQ(o.smp_timeout_ms, 10000);
	CHECK_EQ(cmdline_parse("smp.timeout=1000", &o), 0);
	CHECK_EQ(o.smp_timeout_ms, 1000);
	CHECK(cmdline_is_ours("smp.timeout=1000"));
	CHECK_EQ(cmdline_parse("smp.timeout=0 smp.timeout=600001", &o), 2);
	CHECK_STR(o.problems[0], "smp.timeout wants milliseconds 1..600000: "
				 "'smp.timeout=0'");
	CHECK_EQ(o.smp_timeout_ms, 10000); /* the default, not 0 */
	CHECK(cmdline_is_ours("x efi.timeout=5"));
}

static void test_problems(void)
{
	struct options o;

	CHECK_EQ(cmdline_parse("bogus exit=qemu", &o), 1);
	CHECK_EQ(o.exit, EXIT_QEMU); /* the rest still applies */
	CHECK_STR(o.problems[0], "unknown option 'bogus'");
	CHECK_EQ(cmdline_parse("exit=reboot", &o), 1);
	CHECK_STR(o.problems[0], "bad value for exit: 'exit=reboot'");
	CHECK_EQ(o.exit, EXIT_HALT);
	CHECK_EQ(cmdline_parse("test=pagefault,nope", &o), 1);
	CHECK_EQ(o.test, 0); /* a list with a bad name applies nothing */
	CHECK_EQ(cmdline_parse("test= test=, test=pagefault, exit", &o), 4);
	CHECK_STR(o.problems[3], "unknown option 'exit'");
	CHECK_EQ(cmdline_parse("verbose=1 exitqemu", &o), 2);
	CHECK_EQ(o.nr_problems, 2);
}

static void test_problem_overflow(void)
{
	char line[4096] = "";
	struct options o;
	int i;

	for (i = 0; i < 20; i++)
		strcat(line, "x ");
	CHECK_EQ(cmdline_parse(line, &o), 20);
	CHECK_EQ(o.nr_problems, CMDLINE_MAX_PROBLEMS);
	/* A very long word is truncated in the report, not overflowed. */
	memset(line, 'a', 1000);
	line[1000] = '\0';
	CHECK_EQ(cmdline_parse(line, &o), 1);
	CHECK_EQ(strlen(o.problems[0]), CMDLINE_PROBLEM_LEN - 1);
}

static void test_skip_argv0(void)
{
	CHECK_STR(cmdline_skip_argv0("vamap.efi exit=qemu"), "exit=qemu");
	CHECK_STR(cmdline_skip_argv0("FS0:\\EFI\\vamap\\VAMAP.EFI  verbose"), "verbose");
	CHECK_STR(cmdline_skip_argv0("\\vamap exit=qemu"), "exit=qemu");
	CHECK_STR(cmdline_skip_argv0("  exit=qemu verbose"), "exit=qemu verbose");
	CHECK_STR(cmdline_skip_argv0("verbose"), "verbose");
	CHECK_STR(cmdline_skip_argv0("vamap.efi"), "");
	CHECK_STR(cmdline_skip_argv0(""), "");
	CHECK_STR(cmdline_skip_argv0(".efi verbose"), ".efi verbose");
	/* an option whose value holds a backslash is still an option */
	CHECK_STR(cmdline_skip_argv0("path=\\a verbose"), "path=\\a verbose");
}

/* The precedence rule the README states, for each way vamap is started:
 * OVMF's removable-media boot (file only), -append and GRUB (LoadOptions,
 * maybe a file too), the UEFI Shell (argv[0] then words), U-Boot (its own
 * bootargs in LoadOptions, the user's words in the file). */
static void test_compose(void)
{
	char out[64];
	bool ign;

	/* file only (OVMF's BOOTX64.EFI on a FAT drive) */
	CHECK_EQ(cmdline_compose("exit=qemu efi=linux\n", "", out, sizeof(out),
				 &ign), 19);
	CHECK_STR(out, "exit=qemu efi=linux");
	CHECK(!ign);
	/* LoadOptions after the file: the later word wins per key */
	CHECK(cmdline_compose("exit=qemu efi=linux", "efi=1to1", out,
			      sizeof(out), &ign) > 0);
	CHECK_STR(out, "exit=qemu efi=linux efi=1to1");
	{
		struct options o;

		CHECK_EQ(cmdline_parse(out, &o), 0);
		CHECK_EQ(o.efi_mode, 2);
		CHECK_EQ(o.exit, EXIT_QEMU);
	}
	/* GRUB / -append with no file */
	CHECK(cmdline_compose(NULL, "verbose", out, sizeof(out), &ign) > 0);
	CHECK_STR(out, "verbose");
	/* the UEFI Shell: argv[0] skipped first, then the same rule */
	CHECK(cmdline_compose(NULL, cmdline_skip_argv0("fs0:\\vamap.efi efi=bogus"),
			      out, sizeof(out), &ign) > 0);
	CHECK_STR(out, "efi=bogus"); /* ours, with a bad value: kept, reported */
	CHECK(!ign);
	/* U-Boot's default bootargs: no vamap word, so not ours */
	CHECK(cmdline_compose("exit=qemu", "root=/dev/sdb3 init=/sbin/init rootwait ro",
			      out, sizeof(out), &ign) > 0);
	CHECK_STR(out, "exit=qemu");
	CHECK(ign);
	/* one vamap word makes the whole LoadOptions ours, typos included */
	CHECK(cmdline_compose("", "verbose rootwait", out, sizeof(out), &ign) > 0);
	CHECK_STR(out, "verbose rootwait");
	CHECK(!ign);
	CHECK_EQ(cmdline_compose(NULL, NULL, out, sizeof(out), &ign), 0);
	CHECK_STR(out, "");
	/* too long: an error, never a cut */
	CHECK_EQ(cmdline_compose("exit=qemu efi=linux", "test=pagefault verbose",
				 out, 30, &ign), -ENOSPC);
	CHECK_EQ(cmdline_compose("0123456789", NULL, out, 11, &ign), 10);
	CHECK_EQ(cmdline_compose("0123456789", NULL, out, 10, &ign), -ENOSPC);
}

static void test_is_ours(void)
{
	CHECK(cmdline_is_ours("verbose"));
	CHECK(cmdline_is_ours("root=/dev/sda exit=halt"));
	CHECK(cmdline_is_ours("test=nosuchknob"));
	CHECK(cmdline_is_ours("results="));
	CHECK(!cmdline_is_ours("root=/dev/sdb3 init=/sbin/init rootwait ro"));
	CHECK(!cmdline_is_ours("verbosely exits=qemu testing"));
	CHECK(!cmdline_is_ours(""));
}

/* only=, skip=: globs, groups, words that add up, and bad input. */
static void test_select(void)
{
	struct options o;
	char many[600];
	unsigned int i;

	CHECK_EQ(cmdline_parse("", &o), 0);
	CHECK(cmdline_selected(&o, "efi.time.get")); /* no only=: every check */
	CHECK_EQ(cmdline_parse("only=efi.variable", &o), 0);
	CHECK(cmdline_selected(&o, "efi.variable"));
	CHECK(cmdline_selected(&o, "efi.variable.get.null_name"));
	CHECK(!cmdline_selected(&o, "efi.variables")); /* a group ends at '.' */
	CHECK(!cmdline_selected(&o, "efi.time.get"));
	CHECK_EQ(cmdline_parse("only=efi.time.*,mm.* skip=*.roundtrip", &o), 0);
	CHECK(cmdline_selected(&o, "efi.time.set.invalid"));
	CHECK(!cmdline_selected(&o, "efi.time.set.roundtrip"));
	CHECK(cmdline_selected(&o, "mm.wx"));
	CHECK(!cmdline_selected(&o, "efi.time")); /* "efi.time.*" wants more */
	CHECK(!cmdline_selected(&o, "cpu.control"));
	CHECK_EQ(cmdline_parse("skip=efi.capsule skip=*reset*", &o), 0);
	CHECK_STR(o.skip, "efi.capsule,*reset*");
	CHECK(!cmdline_selected(&o, "efi.capsule.query"));
	CHECK(!cmdline_selected(&o, "efi.monotonic.reset"));
	CHECK(cmdline_selected(&o, "efi.time.get"));
	CHECK_EQ(cmdline_parse("only=*a*b*c", &o), 0);
	CHECK(cmdline_selected(&o, "xaybzc"));
	CHECK(!cmdline_selected(&o, "xaybzcd"));
	CHECK(cmdline_is_ours("only=efi.time"));
	/* bad globs: a problem each, nothing selected by them */
	CHECK_EQ(cmdline_parse("only= only=a,,b skip=x, only=a/b skip=,x", &o), 5);
	CHECK_STR(o.only, "");
	CHECK_STR(o.skip, "");
	CHECK_STR(o.problems[0], "only=/skip= want labels or globs, comma-separated: "
				 "'only='");
	/* more than CMDLINE_GLOBS_MAX: refused, not cut */
	strcpy(many, "only=");
	for (i = 0; i < 40; i++)
		strcat(many, "efi.time.*,");
	strcat(many, "x");
	CHECK_EQ(cmdline_parse(many, &o), 1);
	CHECK_STR(o.only, "");
}

static void test_fail_on(void)
{
	struct options o;

	CHECK_EQ(cmdline_parse("", &o), 0);
	CHECK_EQ(o.fail_on, FAIL_ON_LOW);
	CHECK_EQ(cmdline_parse("fail-on=high", &o), 0);
	CHECK_EQ(o.fail_on, FAIL_ON_HIGH);
	CHECK_EQ(cmdline_parse("fail-on=critical", &o), 0);
	CHECK_EQ(o.fail_on, FAIL_ON_CRITICAL);
	CHECK_EQ(cmdline_parse("fail-on=severe", &o), 1);
	CHECK_STR(o.problems[0], "fail-on wants low, medium, high or critical: "
				 "'fail-on=severe'");
}

int main(void)
{
	RUN(test_select);
	RUN(test_fail_on);
	RUN(test_compose);
	RUN(test_is_ours);
	RUN(test_empty);
	RUN(test_options);
	RUN(test_efi_options);
	RUN(test_problems);
	RUN(test_problem_overflow);
	RUN(test_skip_argv0);
	return check_exit();
}
