// SPDX-License-Identifier: MIT
/*
 * Zoo: SetVirtualAddressMap reads one descriptor more than it is given:
 * the driver's hook walks the map up to and including the descriptor
 * at MemoryMapSize, then calls the firmware's.
 *
 * Seen: loops over a memory map written `<=` for `<`, or counting
 * descriptors with sizeof(EFI_MEMORY_DESCRIPTOR) where the map's stride
 * is DescriptorSize (48 on OVMF, 40 in the structure): the walk runs past
 * the end and takes whatever follows for one more region. In Linux the
 * map handed over (efi.memmap's new_memmap, a kmalloc'd or memblock
 * buffer) is followed by other kernel memory: the read succeeds and is
 * silent. Spec: UEFI 2.10, 8.4.1 (MemoryMapSize is the size of the map
 * in bytes).
 */
#include "zoo.h"

static EFI_SET_VIRTUAL_ADDRESS_MAP orig;

static EFI_STATUS EFIAPI svam(UINTN size, UINTN dsize, UINT32 ver,
			      EFI_MEMORY_DESCRIPTOR *map)
{
	volatile UINT8 *p = (volatile UINT8 *)map;
	UINT64 sum = 0;
	UINTN off;

	for (off = 0; off <= size; off += dsize) /* one too many */
		sum += *(volatile UINT64 *)(p + off);
	if (sum == 0x5a4f4f)
		return EFI_DEVICE_ERROR; /* keeps the reads */
	return orig(size, dsize, ver, map);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "svam_overread: SetVirtualAddressMap "
				"reads one descriptor past the map's end", TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&st->RuntimeServices->SetVirtualAddressMap,
		 (void *)svam, (void **)&orig);
	return EFI_SUCCESS;
}
