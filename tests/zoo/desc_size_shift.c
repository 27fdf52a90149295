// SPDX-License-Identifier: MIT
/*
 * Zoo: GetMemoryMap answers the size query (no buffer) with the real
 * DescriptorSize and the call that fills a buffer with one 4 bytes larger
 * (not a multiple of 8), the map itself laid out as before.
 *
 * Seen: firmware whose DescriptorSize depends on the path through
 * GetMemoryMap (a wrapper that filters the map, a driver that appends its
 * own descriptors with its own idea of their size). Spec: UEFI 2.10, 7.2
 * GetMemoryMap (DescriptorSize is the size of one descriptor in the map
 * returned; callers must step by it, and it must describe that map). A
 * loader that checks the stride of its first call and walks the map of a
 * later one with another stride reads every descriptor after the first
 * at the wrong offset. vamap's stub checks the stride of every map it
 * walks: it stops before ExitBootServices, naming the call.
 */
#include "zoo.h"

static EFI_GET_MEMORY_MAP orig_gmm;

static EFI_STATUS EFIAPI get_memory_map(UINTN *size, EFI_MEMORY_DESCRIPTOR *map,
					UINTN *key, UINTN *dsize, UINT32 *ver)
{
	EFI_STATUS s = orig_gmm(size, map, key, dsize, ver);

	if (map && !EFI_ERROR(s))
		*dsize += 4;
	return s;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = zoo_init(image, st, "desc_size_shift: GetMemoryMap "
				"says DescriptorSize + 4 when it fills a buffer",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	/* The Boot Services table's CRC32 made right: the stride is the one
	 * bug here. */
	zoo_hook_bs((void **)&st->BootServices->GetMemoryMap,
		    (void *)get_memory_map, (void **)&orig_gmm);
	return EFI_SUCCESS;
}
