// SPDX-License-Identifier: MIT
// sources: boot/elf_check.c
/* The stub's check of the embedded kernel ELF: whatever it accepts must
 * lie inside the image and the link window. */
#include "elf_check.h"
#include "fuzz.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	const char *why;
	int bad;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size); /* aligned, as the stub's blob is */
	if (!elf_check(copy, size, KERNEL_VIRT_BASE,
		       KERNEL_VIRT_BASE + KERNEL_MAX_SIZE, &img, &why, &bad))
		FUZZ_ASSERT(img.vend <= KERNEL_VIRT_BASE + KERNEL_MAX_SIZE);
	free(copy);
	return 0;
}
