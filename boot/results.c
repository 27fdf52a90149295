// SPDX-License-Identifier: MIT
/*
 * The previous run's report, from variables to files (include/results.h).
 * Runs in the stub, with boot services. Every outcome gets one line; the
 * variables are deleted only after both files are written, so a full or
 * read-only volume keeps the report for the next boot.
 */
#include "results.h"
#include "stub.h"

static EFI_GUID vamap_guid = VAMAP_VENDOR_GUID_INIT;
static u8 chunk[sizeof(struct results_chunk) + RESULTS_CHUNK_DATA];

static EFI_STATUS read_chunk(unsigned int i, UINTN *size)
{
	CHAR16 name[16];
	UINT32 attr;

	results_var_name(name, i);
	*size = sizeof(chunk);
	return fw_call(RT->GetVariable, 5, name, &vamap_guid, &attr,
		       size, chunk);
}

static void delete_chunks(unsigned int count)
{
	CHAR16 name[16];
	unsigned int i;

	for (i = 0; i < count; i++) {
		results_var_name(name, i);
		fw_call(RT->SetVariable, 5, name, &vamap_guid,
			EFI_VARIABLE_NON_VOLATILE |
				EFI_VARIABLE_BOOTSERVICE_ACCESS |
				EFI_VARIABLE_RUNTIME_ACCESS,
			0, NULL);
	}
}

/* Open (creating) a directory under @parent. */
static EFI_FILE_HANDLE open_dir(EFI_FILE_HANDLE parent, CHAR16 *name)
{
	EFI_FILE_HANDLE d;

	if (EFI_ERROR(fw_call(parent->Open, 5, parent, &d, name,
			      EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE |
				      EFI_FILE_MODE_CREATE,
			      EFI_FILE_DIRECTORY)))
		return NULL;
	return d;
}

static void ascii_to_wide(CHAR16 *w, const char *s)
{
	while ((*w++ = (CHAR16)(u8)*s++))
		;
}

/* Write @len bytes as a new file @name in @dir (replacing one of that
 * name). Returns the status of the first failing step. */
static EFI_STATUS write_file(EFI_FILE_HANDLE dir, const char *name,
			     const void *data, UINTN len)
{
	CHAR16 wname[64];
	EFI_FILE_HANDLE f;
	EFI_STATUS st;
	UINTN n = len;

	ascii_to_wide(wname, name);
	st = fw_call(dir->Open, 5, dir, &f, wname,
		     EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (!EFI_ERROR(st))
		fw_call(f->Delete, 1, f); /* closes it too */
	st = fw_call(dir->Open, 5, dir, &f, wname,
		     EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE |
			     EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(st))
		return st;
	st = fw_call(f->Write, 3, f, &n, (void *)data);
	if (!EFI_ERROR(st) && n != len)
		st = EFI_VOLUME_FULL;
	if (!EFI_ERROR(st))
		st = fw_call(f->Flush, 1, f);
	fw_call(f->Close, 1, f);
	if (EFI_ERROR(st)) /* no half-written report left behind */
		if (!EFI_ERROR(fw_call(dir->Open, 5, dir, &f, wname,
				       EFI_FILE_MODE_READ |
					       EFI_FILE_MODE_WRITE, 0)))
			fw_call(f->Delete, 1, f);
	return st;
}

static char written_stem[24];

const char *stub_results_stem(void)
{
	return written_stem;
}

void stub_stamp(char *out, size_t max)
{
	EFI_TIME t;

	if (EFI_ERROR(fw_call(RT->GetTime, 2, &t, NULL))) {
		ksnprintf(out, max, "unknown-time");
		return;
	}
	ksnprintf(out, max, "%04u%02u%02u-%02u%02u%02u", t.Year, t.Month, t.Day,
		  t.Hour, t.Minute, t.Second);
}

/* \vamap\results\ on the volume we were loaded from (created as needed),
 * and what to close after: *@dir is NULL when it cannot be had, and the
 * status says why. */
struct results_dir {
	EFI_FILE_HANDLE root, vamap, dir;
};

static EFI_STATUS open_results(EFI_LOADED_IMAGE *li, struct results_dir *d)
{
	d->vamap = d->dir = NULL;
	d->root = LibOpenRoot(li->DeviceHandle);
	if (d->root)
		d->vamap = open_dir(d->root, L"vamap");
	if (d->vamap)
		d->dir = open_dir(d->vamap, L"results");
	return d->dir ? EFI_SUCCESS
		      : d->root ? EFI_WRITE_PROTECTED : EFI_NOT_FOUND;
}

static void close_results(struct results_dir *d)
{
	if (d->dir)
		fw_call(d->dir->Close, 1, d->dir);
	if (d->vamap)
		fw_call(d->vamap->Close, 1, d->vamap);
	if (d->root)
		fw_call(d->root->Close, 1, d->root);
}

static EFI_STATUS write_report(EFI_LOADED_IMAGE *li, const char *text, u32 len,
			       const char *base)
{
	struct results_dir d;
	char name[40];
	char *json;
	u32 jmax = (u32)results_json_max(len); /* len <= RESULTS_MAX_TEXT */
	int jlen;
	EFI_STATUS st;

	json = AllocatePool(jmax);
	if (!json)
		return EFI_OUT_OF_RESOURCES;
	jlen = results_to_json(text, len, json, jmax);
	st = open_results(li, &d);
	if (!EFI_ERROR(st)) {
		ksnprintf(name, sizeof(name), "%s.txt", base);
		st = write_file(d.dir, name, text, len);
	}
	if (!EFI_ERROR(st) && jlen <= 0)
		st = EFI_BUFFER_TOO_SMALL; /* cannot happen: results_json_max */
	if (!EFI_ERROR(st)) {
		ksnprintf(name, sizeof(name), "%s.json", base);
		st = write_file(d.dir, name, json, (UINTN)jlen);
	}
	close_results(&d);
	FreePool(json);
	return st;
}

EFI_STATUS stub_write_result_file(EFI_LOADED_IMAGE *li, const char *name,
				  const void *data, UINTN len)
{
	struct results_dir d;
	EFI_STATUS st = open_results(li, &d);

	if (!EFI_ERROR(st))
		st = write_file(d.dir, name, data, len);
	close_results(&d);
	return st;
}

void stub_delete_result_file(EFI_LOADED_IMAGE *li, const char *name)
{
	struct results_dir d;
	CHAR16 wname[64];
	EFI_FILE_HANDLE f;

	if (!EFI_ERROR(open_results(li, &d))) {
		ascii_to_wide(wname, name);
		if (!EFI_ERROR(fw_call(d.dir->Open, 5, d.dir, &f, wname,
				       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE,
				       0)))
			fw_call(f->Delete, 1, f);
	}
	close_results(&d);
}

void stub_results(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	const struct results_chunk *h = (const void *)chunk;
	struct results_chunk first;
	char *text, base[24];
	const char *why;
	unsigned int i;
	UINTN size;
	EFI_STATUS st;

	st = read_chunk(0, &size);
	if (st == EFI_NOT_FOUND)
		return; /* no earlier run kept a report: nothing to say */
	if (EFI_ERROR(st)) {
		stub_log("stub: results: reading VamapResults0: %s; ignored\n",
			 stub_status_name(st));
		return;
	}
	if (results_chunk_check(chunk, size, 0, NULL, &why)) {
		stub_log("stub: results: VamapResults0 is %s; ignored\n", why);
		return;
	}
	first = *h;
	text = AllocatePool(first.total + 1);
	if (!text)
		return;
	for (i = 0; i < first.count; i++) {
		if (i && (st = read_chunk(i, &size)) != EFI_SUCCESS) {
			stub_log("stub: results: VamapResults%u of %u missing; "
				 "ignored\n", i, first.count);
			goto out;
		}
		if (i && results_chunk_check(chunk, size, (u16)i, &first, &why)) {
			stub_log("stub: results: VamapResults%u is %s; ignored\n",
				 i, why);
			goto out;
		}
		if (i * RESULTS_CHUNK_DATA + h->len > first.total) {
			stub_log("stub: results: VamapResults%u is truncated; "
				 "ignored\n", i);
			goto out;
		}
		CopyMem(text + i * RESULTS_CHUNK_DATA, chunk + sizeof(*h), h->len);
	}
	if (results_crc32(text, first.total) != first.crc32) {
		stub_log("stub: results: the report's CRC does not match; ignored\n");
		goto out;
	}
	bi->mono_prev_known = results_monotonic_high(text, first.total,
						     &bi->mono_prev_high);
	stub_stamp(base, sizeof(base));
	st = write_report(li, text, first.total, base);
	if (EFI_ERROR(st)) {
		stub_log("stub: results: writing \\vamap\\results\\%s.txt and .json failed "
			 "(%s); the report stays in its variables for next time\n",
			 base, stub_status_name(st));
		bi->results_pending = 1;
		goto out;
	}
	delete_chunks(first.count);
	ksnprintf(written_stem, sizeof(written_stem), "%s", base);
	stub_log("stub: results: wrote \\vamap\\results\\%s.txt and .json "
		 "(%u bytes), variables deleted\n", base, first.total);
out:
	FreePool(text);
}
