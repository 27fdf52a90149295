// SPDX-License-Identifier: MIT
/*
 * modes=: every efi= mode in turn across resets, from one stick
 * (include/modes.h). Runs in the stub after the report of the boot before
 * has been written to the volume (boot/results.c): it takes that report's
 * file into the sequence, starts the next mode, or, when every mode has
 * run, writes the matrix beside the reports and ends the sequence.
 */
#include "cmdline.h"
#include "matrix.h"
#include "modes.h"
#include "results.h"
#include "stub.h"

#define MODES_VAR L"VamapModes"
#define MODES_ATTR (EFI_VARIABLE_NON_VOLATILE | \
		    EFI_VARIABLE_BOOTSERVICE_ACCESS | \
		    EFI_VARIABLE_RUNTIME_ACCESS)
#define MATRIX_TEXT_MAX (48u << 10)

static EFI_GUID vamap_guid = VAMAP_VENDOR_GUID_INIT;
static const char *const mode_names[MODES_MAX] = {
	"slot", "linux", "1to1", "novamap", "noruntime",
};
static struct matrix matrix; /* 10 KiB: not on the stub's stack */

/* Is @s, as read back from the variable or the volume (anything may
 * have written either), a sequence of vamap's? Its stamps are cut to
 * their arrays, so a stored one without its NUL is never read past. */
static bool state_usable(struct modes_state *s)
{
	unsigned int j;

	s->start[MODES_STEM_MAX - 1] = '\0';
	for (j = 0; j < MODES_MAX; j++)
		s->report[j][MODES_STEM_MAX - 1] = '\0';
	return s->magic == MODES_STATE_MAGIC &&
	       (s->last == MODES_NONE || s->last < MODES_MAX);
}

static bool read_state(struct modes_state *s)
{
	UINTN size = sizeof(*s);
	UINT32 attr;
	EFI_STATUS st;

	st = fw_call(RT->GetVariable, 5, MODES_VAR, &vamap_guid, &attr, &size,
		     s);
	if (st == EFI_NOT_FOUND)
		return false;
	if (EFI_ERROR(st) || size != sizeof(*s) || !state_usable(s)) {
		stub_log("stub: modes: VamapModes unreadable or not vamap's "
			 "(%s, %lu bytes): a new sequence\n",
			 stub_status_name(st), (unsigned long)size);
		return false;
	}
	return true;
}

/* The sequence is kept twice: in VamapModes, where the kernel records
 * its reset, and in a file beside the reports, for a firmware that keeps
 * no variable across a reset (U-Boot on QEMU): without it such a machine
 * would start the sequence anew at every boot, for ever. */
#define MODES_FILE "modes-state.bin"

static bool read_state_file(EFI_LOADED_IMAGE *li, struct modes_state *s)
{
	char buf[sizeof(*s) + 1];
	bool too_long = false;
	UINTN len;

	if (!read_volume_file(li, L"\\vamap\\results\\" L"modes-state.bin",
			      buf, sizeof(buf), &len, &too_long) ||
	    too_long || len != sizeof(*s))
		return false;
	CopyMem(s, buf, sizeof(*s));
	return state_usable(s);
}

static EFI_STATUS write_state(EFI_LOADED_IMAGE *li,
			      const struct modes_state *s, bool remove)
{
	EFI_STATUS st, fst;

	st = fw_call(RT->SetVariable, 5, MODES_VAR, &vamap_guid, MODES_ATTR,
		     remove ? 0 : sizeof(*s), remove ? NULL : (void *)s);
	if (remove) {
		stub_delete_result_file(li, MODES_FILE);
		return st;
	}
	fst = stub_write_result_file(li, MODES_FILE, s, sizeof(*s));
	/* Either copy is enough for the sequence to go on. */
	return EFI_ERROR(st) ? fst : st;
}

/* The modes of @mask as "slot,linux,...". */
static void mask_words(u32 mask, char *out, size_t max)
{
	size_t n = 0;
	unsigned int j;

	out[0] = '\0';
	for (j = 0; j < MODES_MAX; j++)
		if (mask & (1u << j))
			n += (size_t)ksnprintf(out + n, max - n, "%s%s",
					       n ? "," : "", mode_names[j]);
}

/* The sequence is over: each mode's report read back from the volume
 * (they are the stick's, written by the stubs of the boots between), the
 * matrix written beside them and printed. */
static bool finish(EFI_LOADED_IMAGE *li, const struct modes_state *s)
{
	char *text = AllocatePool(RESULTS_MAX_TEXT + 1);
	char *out = AllocatePool(MATRIX_TEXT_MAX);
	char words[64], name[40];
	CHAR16 path[64];
	unsigned int j, k;
	bool pass = false;
	UINTN len;
	u32 n;

	if (!text || !out) {
		stub_log("stub: modes: no memory for the matrix\n");
		goto out;
	}
	matrix_init(&matrix);
	for (j = 0; j < MODES_MAX; j++) {
		bool too_long = false;

		if (!(s->mask & (1u << j)) || !s->report[j][0])
			continue;
		ksnprintf(name, sizeof(name), "\\vamap\\results\\%s.txt",
			  s->report[j]);
		for (k = 0; name[k] && k + 1 < ARRAY_SIZE(path); k++)
			path[k] = (CHAR16)(u8)name[k];
		path[k] = 0;
		if (!read_volume_file(li, path, text, RESULTS_MAX_TEXT + 1, &len,
				      &too_long) || too_long) {
			stub_log("stub: modes: %s %s: left out of the matrix\n",
				 name, too_long ? "is longer than a report" :
				 "cannot be read");
			continue;
		}
		matrix_add_report(&matrix, j, text, (u32)len);
	}
	n = matrix_render(&matrix, s->mask, mode_names,
			  (const char(*)[MODES_STEM_MAX])s->report, s->resets,
			  out, MATRIX_TEXT_MAX);
	pass = matrix_pass(&matrix, s->mask, s->resets);
	mask_words(s->mask, words, sizeof(words));
	ksnprintf(name, sizeof(name), "%s-modes.txt", s->start);
	{
		EFI_STATUS st = stub_write_result_file(li, name, out, n);

		if (EFI_ERROR(st))
			stub_log("stub: modes: writing \\vamap\\results\\%s "
				 "failed (%s); the matrix follows here only\n",
				 name, stub_status_name(st));
		else
			stub_log("stub: modes: modes=%s done: wrote "
				 "\\vamap\\results\\%s\n", words, name);
	}
	/* The console gets it line by line (stub_log's lines are short). */
	for (char *p = out, *e = out + n; p < e;) {
		char *nl = p;

		while (nl < e && *nl != '\n')
			nl++;
		*nl = '\0';
		stub_log("%s\n", p);
		p = nl + 1;
	}
out:
	if (text)
		FreePool(text);
	if (out)
		FreePool(out);
	return pass;
}

enum stub_modes stub_modes(EFI_LOADED_IMAGE *li, struct boot_info *bi,
			   u64 modes, bool *pass)
{
	u32 mask = (u32)modes & ((1u << MODES_MAX) - 1);
	struct modes_state s;
	bool have = read_state(&s);
	char words[64];
	unsigned int next, step = 0, total = 0, j;
	size_t len;
	EFI_STATUS st;

	bi->modes_prev_mode = MODES_NONE;
	bi->modes_prev_reset = MODES_RESET_NONE;
	if (!mask) {
		if (have)
			stub_log("stub: modes: a modes= sequence was left "
				 "unfinished (VamapModes); this boot has no "
				 "modes=, so it stays for the next one that "
				 "has\n");
		return STUB_MODES_OFF;
	}
	mask_words(mask, words, sizeof(words));
	if (!have && read_state_file(li, &s)) {
		have = true;
		/* How the boot before ended was recorded in the variable
		 * alone. */
		s.reset_via = MODES_RESET_NONE;
		stub_log("stub: modes: VamapModes did not survive the reset (the "
			 "firmware keeps no variable across one): the sequence "
			 "goes on from \\vamap\\results\\%s\n", MODES_FILE);
	}
	if (have && s.mask == mask) {
		bi->modes_prev_mode = s.last;
		bi->modes_prev_reset = s.reset_via;
		if (s.last != MODES_NONE) {
			ksnprintf(s.report[s.last], MODES_STEM_MAX, "%s",
				  stub_results_stem());
			s.resets[s.last] = s.reset_via;
		}
	} else {
		if (have)
			stub_log("stub: modes: the sequence left in VamapModes "
				 "ran other modes: a new one\n");
		SetMem(&s, sizeof(s), 0);
		s.magic = MODES_STATE_MAGIC;
		s.mask = mask;
		s.last = MODES_NONE;
		stub_stamp(s.start, sizeof(s.start));
	}
	for (j = 0; j < MODES_MAX; j++)
		if (mask & (1u << j)) {
			total++;
			step += !!(s.launched & (1u << j));
		}
	for (next = 0; next < MODES_MAX; next++)
		if ((mask & ~s.launched) & (1u << next))
			break;
	if (next == MODES_MAX) {
		*pass = finish(li, &s);
		st = write_state(li, &s, true);
		if (EFI_ERROR(st))
			stub_log("stub: modes: deleting VamapModes failed (%s): "
				 "the next modes= boot starts anew anyway\n",
				 stub_status_name(st));
		return STUB_MODES_DONE;
	}
	len = strlena((CHAR8 *)bi->cmdline);
	if (len + 16 >= sizeof(bi->cmdline)) {
		stub_log("stub: modes: no room on the command line for "
			 "efi=%s: the sequence stops here\n", mode_names[next]);
		return STUB_MODES_OFF;
	}
	ksnprintf(bi->cmdline + len, sizeof(bi->cmdline) - len, " efi=%s",
		  mode_names[next]);
	s.launched |= 1u << next;
	s.last = next;
	/* efi=noruntime calls no firmware, so its kernel cannot record its
	 * reset: it is the reset port, said here. Any other mode's kernel
	 * records ResetSystem itself; left at NONE, the run ended otherwise. */
	s.reset_via = next == MODES_NORUNTIME ? MODES_RESET_PORT
					      : MODES_RESET_NONE;
	st = write_state(li, &s, false);
	if (EFI_ERROR(st)) {
		stub_log("stub: modes: writing VamapModes failed (%s): the "
			 "sequence cannot go on; this boot runs efi=%s alone\n",
			 stub_status_name(st), mode_names[next]);
		return STUB_MODES_RUN;
	}
	bi->modes = s;
	bi->modes_next = 1;
	bi->modes_step = step + 1;
	stub_log("stub: modes: modes=%s: mode %u of %u, efi=%s (sequence "
		 "%s); the kernel resets the machine at its end\n", words,
		 step + 1, total, mode_names[next], s.start);
	return STUB_MODES_RUN;
}
