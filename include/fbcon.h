/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console (kernel/fbcon.c, kernel/font.c): the log drawn
 * with vamap's 5x8 font, each glyph in a 6x9 cell scaled by FBCON_SCALE,
 * white on black, scrolling by half a screen when the last row fills (one
 * big move instead of one per line: framebuffer memory is slow to read).
 * Host-compilable, so the tests draw the same text with the same code and
 * compare it with QEMU's screendump pixel for pixel.
 */
#ifndef VAMAP_FBCON_H
#define VAMAP_FBCON_H

#include "types.h"

#define FBCON_GLYPHS 95 /* ' ' .. '~' */
#define FBCON_GLYPH_W 5
#define FBCON_GLYPH_H 8
#define FBCON_SCALE 2
#define FBCON_CELL_W (6 * FBCON_SCALE)
#define FBCON_CELL_H (9 * FBCON_SCALE)

extern const u8 fbcon_font[FBCON_GLYPHS][FBCON_GLYPH_H];

struct fbcon {
	u32 *base;	/* 32-bit pixels */
	u32 width, height;
	u32 stride;	/* pixels per scan line */
	u32 cols, rows;
	u32 x, y;	/* the cursor, in cells */
	u32 fg, bg;	/* pixel values */
};

/*
 * Start a console on the @width x @height framebuffer at @base (@stride
 * pixels a line, 32-bit pixels whose red/green/blue byte order is given by
 * @bgr: true for BGRX, false for RGBX) and clear it. Returns -EINVAL when
 * not even one cell fits.
 */
int fbcon_init(struct fbcon *c, void *base, u32 width, u32 height, u32 stride,
	       bool bgr);
void fbcon_write(struct fbcon *c, const char *s, size_t n);

#endif
