// SPDX-License-Identifier: MIT
// sources: kernel/fbcon.c kernel/font.c
/*
 * Not a test by itself: the boot test's reference. Draws a text file with
 * the kernel's own fbcon code into a WIDTHxHEIGHT framebuffer and writes it
 * as a binary PPM, the format of QEMU's screendump.
 * usage: fbrender WIDTH HEIGHT STRIDE TEXT OUT.ppm
 */
#include <stdio.h>
#include <stdlib.h>
#include "fbcon.h"

int main(int argc, char **argv)
{
	struct fbcon c;
	u32 w, h, stride, x, y;
	u32 *fb;
	FILE *in, *out;
	char buf[4096];
	size_t n;

	if (argc != 6)
		return 2;
	w = (u32)atoi(argv[1]);
	h = (u32)atoi(argv[2]);
	stride = (u32)atoi(argv[3]);
	fb = calloc((size_t)stride * h, 4);
	if (!fb || fbcon_init(&c, fb, w, h, stride, true))
		return 1;
	in = fopen(argv[4], "rb");
	if (!in)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fbcon_write(&c, buf, n);
	fclose(in);
	out = fopen(argv[5], "wb");
	if (!out)
		return 1;
	fprintf(out, "P6\n%u %u\n255\n", w, h);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			u32 p = fb[(size_t)y * stride + x];
			unsigned char rgb[3] = { (unsigned char)(p >> 16),
						 (unsigned char)(p >> 8),
						 (unsigned char)p };

			fwrite(rgb, 1, 3, out);
		}
	}
	fclose(out);
	free(fb);
	return 0;
}
