// SPDX-License-Identifier: MIT
/*
 * What every zoo driver shares (zoo.h): the hook, the conversions at
 * SetVirtualAddressMap, the attributes-table record, the log line.
 */
#include "zoo.h"
#include "x86.h"

#define ZOO_MAX_CONVERT 8
#define ZOO_MAX_SECTIONS 16
/* Images the shared attributes-table record holds: the stub's
 * BOOT_DRIVERS_MAX (include/boot_info.h). */
#define ZOO_MAX_IMAGES 16

struct zoo zoo;

static void **to_convert[ZOO_MAX_CONVERT];
static UINTN nconvert;
static void (*on_virtual)(void);
static EFI_EVENT va_event;

/* UEFI 2.10, 4.6.4 */
static EFI_GUID memattr_guid = { 0xdcfa911d, 0x26eb, 0x469f,
				 { 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 } };
/* The zoo's own: installed on each driver's image handle that wants an
 * image record, so the last driver to start records them all (EDK2
 * rebuilds the table, without them, each time runtime memory is allocated,
 * as LoadImage of the next driver does). */
static EFI_GUID zoo_image_guid = { 0x7a6f6f00, 0x7661, 0x6d61,
				   { 0x7a, 0x6f, 0x6f, 0x69, 0x6d, 0x61, 0x67, 0x65 } };

struct zoo_image {
	UINT64 base, size;
};

/* UEFI 2.10, 4.6.4 (not in gnu-efi) */
typedef struct {
	UINT32 Version;
	UINT32 NumberOfEntries;
	UINT32 DescriptorSize;
	UINT32 Flags;
} EFI_MEMORY_ATTRIBUTES_TABLE;

static BOOLEAN guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;
	UINTN i;

	for (i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			return FALSE;
	return TRUE;
}

static struct zoo_image my_image;

void zoo_log(const char *s)
{
	if (!debugcon_present())
		return;
	while (*s)
		outb(DEBUGCON_PORT, (u8)*s++);
}

static __attribute__((noinline)) UINTN deep(UINTN n)
{
	volatile UINT8 frame[1024];

	frame[0] = (UINT8)n;
	frame[1023] = (UINT8)n;
	return n ? deep(n - 1) + frame[0] : frame[1023];
}

void zoo_use_stack(UINTN kib)
{
	(void)deep(kib);
}

BOOLEAN zoo_is_report(const CHAR16 *name)
{
	static const char want[] = "VamapResults";
	UINTN i;

	for (i = 0; want[i]; i++)
		if (name[i] != (CHAR16)want[i])
			return FALSE;
	return TRUE;
}

UINT64 zoo_alloc_page(EFI_MEMORY_TYPE type)
{
	EFI_PHYSICAL_ADDRESS pa;

	if (EFI_ERROR(zoo.st->BootServices->AllocatePages(AllocateAnyPages, type,
							  1, &pa)))
		return 0;
	return pa;
}

static void EFIAPI virtual_address_change(EFI_EVENT ev, void *ctx)
{
	UINTN i;

	(void)ev;
	(void)ctx;
	for (i = 0; i < nconvert; i++)
		zoo.rt->ConvertPointer(0, to_convert[i]);
	zoo.rt->ConvertPointer(0, (void **)&zoo.rt);
	zoo.virtual_mode = TRUE;
	if (on_virtual)
		on_virtual();
}

void zoo_convert(void **p)
{
	if (nconvert < ZOO_MAX_CONVERT)
		to_convert[nconvert++] = p;
}

void zoo_on_virtual(void (*fn)(void))
{
	on_virtual = fn;
}

void zoo_hook_bs(void **slot, void *wrapper, void **saved)
{
	EFI_BOOT_SERVICES *bs = zoo.st->BootServices;
	UINT32 crc = 0;

	*saved = *slot;
	*slot = wrapper;
	bs->Hdr.CRC32 = 0;
	bs->CalculateCrc32(bs, bs->Hdr.HeaderSize, &crc);
	bs->Hdr.CRC32 = crc;
}

void zoo_hook(void **slot, void *wrapper, void **saved)
{
	UINT32 crc = 0;

	*saved = *slot;
	*slot = wrapper;
	zoo_convert(saved);
	zoo.rt->Hdr.CRC32 = 0;
	zoo.st->BootServices->CalculateCrc32(zoo.rt, zoo.rt->Hdr.HeaderSize, &crc);
	zoo.rt->Hdr.CRC32 = crc;
}

/* ------------------------------------------------ attributes-table record */

struct piece {
	UINT64 start, end, attr; /* EFI_MEMORY_RO or EFI_MEMORY_XP */
};

#define MEMORY_RO 0x20000ULL
#define MEMORY_XP 0x4000ULL
#define SCN_EXECUTE 0x20000000u
#define PAGE_UP(x) (((x) + 0xfff) & ~0xfffULL)

static UINT32 rd32(UINT64 a)
{
	return *(volatile UINT32 *)(UINTN)a;
}

/* The image's pages as firmware records them: headers and data XP, code
 * RO; in address order, page-granular. */
static UINTN image_pieces(const struct zoo_image *im, struct piece *p, UINTN max)
{
	UINT64 b = im->base, pe = b + rd32(b + 0x3c), cur = b, s, e;
	UINT32 nsec = *(volatile UINT16 *)(UINTN)(pe + 6), i;
	UINT64 sec = pe + 24 + *(volatile UINT16 *)(UINTN)(pe + 20);
	UINTN n = 0;

	for (i = 0; i < nsec && n + 2 < max; i++, sec += 40) {
		s = b + rd32(sec + 12);
		e = PAGE_UP(s + rd32(sec + 8));
		if (s < cur || e > b + im->size)
			continue;
		if (s > cur)
			p[n++] = (struct piece){ cur, s, MEMORY_RO | MEMORY_XP };
		p[n++] = (struct piece){ s, e, (rd32(sec + 36) & SCN_EXECUTE)
						     ? MEMORY_RO : MEMORY_XP };
		cur = e;
	}
	if (cur < b + PAGE_UP(im->size) && n < max)
		p[n++] = (struct piece){ cur, b + PAGE_UP(im->size), MEMORY_XP };
	return n;
}

/* Copy the firmware's table, replacing what covers each registered image
 * by that image's pieces, and install the copy. */
static void publish_memattr(void)
{
	EFI_BOOT_SERVICES *bs = zoo.st->BootServices;
	EFI_MEMORY_ATTRIBUTES_TABLE *old = NULL, *new;
	EFI_HANDLE *handles = NULL;
	struct zoo_image *ims[ZOO_MAX_IMAGES];
	struct piece pieces[ZOO_MAX_SECTIONS * 2 + 2];
	UINTN nh = 0, nim = 0, i, j, k, np, count = 0;
	EFI_MEMORY_DESCRIPTOR *d, *out;

	for (i = 0; i < zoo.st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &zoo.st->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, &memattr_guid))
			old = t->VendorTable;
	}
	if (!old) {
		zoo_log("zoo: no memory attributes table to add the image to\n");
		return;
	}
	bs->LocateHandleBuffer(ByProtocol, &zoo_image_guid, NULL, &nh, &handles);
	for (i = 0; i < nh && nim < ZOO_MAX_IMAGES; i++)
		if (!EFI_ERROR(bs->HandleProtocol(handles[i], &zoo_image_guid,
						  (void **)&ims[nim])))
			nim++;
	if (handles)
		bs->FreePool(handles);
	for (i = 1; i < nim; i++) /* address order, for the walk below */
		for (j = i; j > 0 && ims[j - 1]->base > ims[j]->base; j--) {
			struct zoo_image *t = ims[j];

			ims[j] = ims[j - 1];
			ims[j - 1] = t;
		}
	if (EFI_ERROR(bs->AllocatePool(EfiBootServicesData,
				       sizeof(*old) + old->DescriptorSize *
				       (old->NumberOfEntries + nim * (ZOO_MAX_SECTIONS * 2 + 4)),
				       (void **)&new)))
		return;
	*new = *old;
	out = (EFI_MEMORY_DESCRIPTOR *)(new + 1);
	for (i = 0; i < old->NumberOfEntries; i++) {
		UINT64 s, e, cur;

		d = (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)(old + 1) + i * old->DescriptorSize);
		s = d->PhysicalStart;
		e = s + (d->NumberOfPages << 12);
		cur = s;
		for (j = 0; j < nim; j++) { /* the images, in address order */
			if (ims[j]->base >= e || ims[j]->base + ims[j]->size <= s)
				continue;
			np = image_pieces(ims[j], pieces, ZOO_MAX_SECTIONS * 2 + 2);
			for (k = 0; k < np; k++) {
				UINT64 ps = pieces[k].start < s ? s : pieces[k].start;
				UINT64 pe = pieces[k].end > e ? e : pieces[k].end;

				if (ps >= pe || ps < cur)
					continue;
				if (ps > cur) {
					*out = *d;
					out->PhysicalStart = cur;
					out->NumberOfPages = (ps - cur) >> 12;
					out = (void *)((UINT8 *)out + old->DescriptorSize);
					count++;
				}
				*out = *d;
				out->PhysicalStart = ps;
				out->VirtualStart = 0;
				out->NumberOfPages = (pe - ps) >> 12;
				out->Attribute = (d->Attribute & ~(MEMORY_RO | MEMORY_XP)) |
						 pieces[k].attr;
				out = (void *)((UINT8 *)out + old->DescriptorSize);
				count++;
				cur = pe;
			}
		}
		if (cur < e) {
			*out = *d;
			out->PhysicalStart = cur;
			out->NumberOfPages = (e - cur) >> 12;
			out = (void *)((UINT8 *)out + old->DescriptorSize);
			count++;
		}
	}
	new->NumberOfEntries = (UINT32)count;
	bs->InstallConfigurationTable(&memattr_guid, new);
}

EFI_STATUS zoo_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, const char *name,
		    BOOLEAN own_memattr)
{
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s;

	zoo.st = st;
	zoo.rt = st->RuntimeServices;
	zoo.image = image;
	s = bs->HandleProtocol(image, &li_guid, (void **)&li);
	if (EFI_ERROR(s))
		return s;
	zoo.base = (UINT64)(UINTN)li->ImageBase;
	zoo.size = li->ImageSize;
	s = bs->CreateEvent(EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE, TPL_NOTIFY,
			    virtual_address_change, NULL, &va_event);
	if (EFI_ERROR(s))
		return s;
	if (own_memattr) {
		my_image.base = zoo.base;
		my_image.size = zoo.size;
		bs->InstallProtocolInterface(&image, &zoo_image_guid,
					     EFI_NATIVE_INTERFACE, &my_image);
	}
	/* Every zoo driver rewrites the table: the one that starts last
	 * leaves the record of all that asked for one. */
	publish_memattr();
	zoo_log("zoo: ");
	zoo_log(name);
	zoo_log(own_memattr ? " (its image recorded in the attributes table)\n"
			    : " (no attributes-table record for its image)\n");
	return EFI_SUCCESS;
}
