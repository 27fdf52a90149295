// SPDX-License-Identifier: MIT
/*
 * Runtime drivers from the boot volume: every \vamap\drivers\*.efi is
 * loaded and started before ExitBootServices, as firmware starts its own
 * (the zoo of misbehaving drivers in tests/zoo/ comes this way; so can a
 * firmware engineer's driver under test). docs/decisions.md says why the
 * stub does this rather than the UEFI Shell.
 *
 * Each is read into memory and given to LoadImage with its file path, so
 * Secure Boot judges it like any image (an unsigned one is refused with
 * SECURITY_VIOLATION: a line, and the boot goes on). A driver whose entry
 * point never returns hangs the stub: the "starting" line before
 * StartImage names it.
 */
#include "stub.h"

#define DRIVERS_DIR L"\\vamap\\drivers"
#define DRIVER_MAX_BYTES (4u << 20)

static bool is_efi_name(const CHAR16 *n)
{
	UINTN len = StrLen(n);

	if (len < 5)
		return false;
	n += len - 4;
	return n[0] == L'.' && (n[1] | 0x20) == L'e' && (n[2] | 0x20) == L'f' &&
	       (n[3] | 0x20) == L'i';
}

static void to_ascii(const CHAR16 *w, char *out, size_t max)
{
	size_t i;

	for (i = 0; w[i] && i + 1 < max; i++)
		out[i] = w[i] >= 0x20 && w[i] < 0x7f ? (char)w[i] : '?';
	out[i] = '\0';
}

/* Case-insensitive order of two names, ASCII letters folded. Not gnu-efi's
 * StriCmp: it goes through the firmware's Unicode Collation protocol,
 * which crashed U-Boot (a triple fault with two drivers to sort). */
static int name_cmp(const CHAR16 *a, const CHAR16 *b)
{
	CHAR16 x, y;

	do {
		x = *a++;
		y = *b++;
		if (x >= L'A' && x <= L'Z')
			x += L'a' - L'A';
		if (y >= L'A' && y <= L'Z')
			y += L'a' - L'A';
	} while (x && x == y);
	return (int)x - (int)y;
}

/* The names in the directory, sorted (FAT gives creation order). */
static UINTN list_drivers(EFI_FILE_HANDLE dir, CHAR16 names[][64], UINTN max,
			  u32 *left_out)
{
	static u8 buf[sizeof(EFI_FILE_INFO) + 512] __attribute__((aligned(8)));
	EFI_FILE_INFO *fi = (EFI_FILE_INFO *)buf;
	UINTN n = 0, i, j, size;
	CHAR16 tmp[64];

	for (;;) {
		size = sizeof(buf);
		if (EFI_ERROR(fw_call(dir->Read, 3, dir, &size, buf)) ||
		    !size)
			break;
		if ((fi->Attribute & EFI_FILE_DIRECTORY) ||
		    !is_efi_name(fi->FileName) || StrLen(fi->FileName) >= 64)
			continue;
		if (n == max) {
			(*left_out)++;
			continue;
		}
		StrCpy(names[n++], fi->FileName);
	}
	for (i = 1; i < n; i++) /* insertion sort: a handful of names */
		for (j = i; j > 0 && name_cmp(names[j - 1], names[j]) > 0; j--) {
			StrCpy(tmp, names[j]);
			StrCpy(names[j], names[j - 1]);
			StrCpy(names[j - 1], tmp);
		}
	return n;
}

static void load_one(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
		     EFI_FILE_HANDLE dir, const CHAR16 *name,
		     struct boot_driver *d)
{
	CHAR16 path[96];
	EFI_DEVICE_PATH *dp;
	EFI_LOADED_IMAGE *dli = NULL;
	EFI_FILE_HANDLE f;
	EFI_HANDLE h = NULL;
	UINTN size = DRIVER_MAX_BYTES;
	EFI_STATUS st;
	void *data;

	to_ascii(name, d->name, sizeof(d->name));
	st = fw_call(dir->Open, 5, dir, &f, (CHAR16 *)name,
		     EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		d->status = stub_status64(st);
		stub_log("stub: driver %s: cannot open it: %s\n", d->name,
			 stub_status_name(st));
		return;
	}
	data = AllocatePool(size);
	st = data ? fw_call(f->Read, 3, f, &size, data)
		  : EFI_OUT_OF_RESOURCES;
	fw_call(f->Close, 1, f);
	if (!EFI_ERROR(st) && size == DRIVER_MAX_BYTES)
		st = EFI_BAD_BUFFER_SIZE;
	if (EFI_ERROR(st)) {
		d->status = stub_status64(st);
		stub_log("stub: driver %s: cannot read it: %s\n", d->name,
			 stub_status_name(st));
		if (data)
			FreePool(data);
		return;
	}
	StrCpy(path, DRIVERS_DIR L"\\");
	StrCat(path, name);
	dp = FileDevicePath(li->DeviceHandle, path);
	st = fw_call(BS->LoadImage, 6, FALSE, image, dp, data, size,
		     &h);
	FreePool(data);
	if (dp)
		FreePool(dp);
	if (EFI_ERROR(st)) {
		d->status = stub_status64(st);
		stub_log("stub: driver %s: LoadImage: %s; not started\n", d->name,
			 stub_status_name(st));
		return;
	}
	if (!EFI_ERROR(fw_call(BS->HandleProtocol, 3, h,
			       &LoadedImageProtocol, (void **)&dli))) {
		d->base = (u64)(uintptr_t)dli->ImageBase;
		d->size = dli->ImageSize;
		d->code_type = dli->ImageCodeType;
	}
	stub_log("stub: driver %s: loaded at %p (0x%lx bytes, %s); starting\n",
		 d->name, (void *)(uintptr_t)d->base, (unsigned long)d->size,
		 d->code_type == EfiRuntimeServicesCode ? "runtime code"
		 : d->code_type == EfiBootServicesCode	? "boot-services code"
							: "loader code");
	st = fw_call(BS->StartImage, 3, h, NULL, NULL);
	d->status = stub_status64(st);
	stub_log("stub: driver %s: started: %s\n", d->name, stub_status_name(st));
}

void stub_load_drivers(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
		       struct boot_info *bi)
{
	static CHAR16 names[BOOT_DRIVERS_MAX][64];
	EFI_FILE_HANDLE root, dir;
	UINTN n, i;

	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return;
	if (EFI_ERROR(fw_call(root->Open, 5, root, &dir, DRIVERS_DIR,
			      EFI_FILE_MODE_READ, 0))) {
		fw_call(root->Close, 1, root);
		return; /* no drivers: the usual case */
	}
	n = list_drivers(dir, names, BOOT_DRIVERS_MAX, &bi->drivers_left_out);
	if (bi->drivers_left_out)
		stub_log("stub: \\vamap\\drivers holds more than %u drivers: %u "
			 "left out\n", BOOT_DRIVERS_MAX, bi->drivers_left_out);
	for (i = 0; i < n; i++)
		load_one(image, li, dir, names[i], &bi->drivers[i]);
	bi->ndrivers = (u32)n;
	fw_call(dir->Close, 1, dir);
	fw_call(root->Close, 1, root);
}

/* The GUID of @dp's MEDIA_PIWG_FW_FILE_DP node (type 4, subtype 6), the
 * firmware file an image was loaded from, into @guid; false if none. */
static bool fv_file_of(const EFI_DEVICE_PATH *dp, u8 *guid)
{
	unsigned int nodes;

	for (nodes = 0; dp && nodes < 64; nodes++) {
		const u8 *n = (const u8 *)dp;
		unsigned int len = n[2] | n[3] << 8;

		if ((n[0] & 0x7f) == 0x7f || len < 4)
			return false;
		if (n[0] == 4 && n[1] == 6 && len >= 20) {
			for (unsigned int i = 0; i < 16; i++)
				guid[i] = n[4 + i];
			return true;
		}
		dp = (const EFI_DEVICE_PATH *)(n + len);
	}
	return false;
}

void stub_note_rt_images(struct boot_info *bi)
{
	static struct boot_rt_image images[BOOT_RT_IMAGES_MAX];
	EFI_HANDLE *handles = NULL;
	UINTN n = 0, i;
	u32 k = 0;

	if (EFI_ERROR(fw_call(BS->LocateHandleBuffer, 5, ByProtocol,
			      &LoadedImageProtocol, NULL, &n, &handles)))
		return;
	for (i = 0; i < n; i++) {
		EFI_LOADED_IMAGE *li = NULL;

		if (EFI_ERROR(fw_call(BS->HandleProtocol, 3, handles[i],
				      &LoadedImageProtocol, (void **)&li)) || !li ||
		    li->ImageCodeType != EfiRuntimeServicesCode)
			continue;
		if (k == BOOT_RT_IMAGES_MAX) {
			bi->rt_images_more++;
			continue;
		}
		images[k].base = (u64)(uintptr_t)li->ImageBase;
		images[k].size = li->ImageSize;
		images[k].has_file = fv_file_of(li->FilePath, images[k].file);
		k++;
	}
	fw_call(BS->FreePool, 1, handles);
	bi->rt_images = (u64)(uintptr_t)images;
	bi->nr_rt_images = k;
}
