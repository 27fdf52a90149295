// SPDX-License-Identifier: MIT
// sources: efi/pe_image.c
/* The PE/COFF image finder on firmware memory: the first 4 bytes give the
 * offset asked about; whatever is found must hold it and lie inside the
 * buffer, and its name must be a terminated printable string. */
#include "fuzz.h"
#include "pe_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pe_image im;
	u64 off;
	size_t i;

	if (size < 4)
		return 0;
	off = (u64)(data[0] | data[1] << 8 | data[2] << 16 | (u32)data[3] << 24);
	data += 4;
	size -= 4;
	if (!pe_image_find(data, size, off, &im))
		return 0;
	FUZZ_ASSERT(im.base <= off && off - im.base < im.size);
	FUZZ_ASSERT(im.base % 4096 == 0 && im.base < size);
	for (i = 0; i < PE_IMAGE_NAME_MAX && im.name[i]; i++)
		FUZZ_ASSERT(im.name[i] >= 0x20 && im.name[i] < 0x7f);
	FUZZ_ASSERT(i < PE_IMAGE_NAME_MAX);
	return 0;
}
