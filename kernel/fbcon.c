// SPDX-License-Identifier: MIT
/* The framebuffer console (see fbcon.h). Host-compilable. */
#include "fbcon.h"

static void fill(struct fbcon *c, u32 x0, u32 y0, u32 w, u32 h, u32 px)
{
	u32 x, y;

	for (y = y0; y < y0 + h; y++) {
		u32 *line = c->base + (u64)y * c->stride;

		for (x = x0; x < x0 + w; x++)
			line[x] = px;
	}
}

static void draw(struct fbcon *c, char ch)
{
	const u8 *g;
	u32 px = c->x * FBCON_CELL_W, py = c->y * FBCON_CELL_H, r, col, sy, sx;

	if ((u8)ch < 0x20 || (u8)ch > 0x7e)
		ch = '?';
	g = fbcon_font[(u8)ch - 0x20];
	fill(c, px, py, FBCON_CELL_W, FBCON_CELL_H, c->bg);
	for (r = 0; r < FBCON_GLYPH_H; r++) {
		for (col = 0; col < FBCON_GLYPH_W; col++) {
			if (!(g[r] & (0x10 >> col)))
				continue;
			for (sy = 0; sy < FBCON_SCALE; sy++) {
				u32 *line = c->base + (u64)(py + r * FBCON_SCALE + sy) *
							      c->stride;

				for (sx = 0; sx < FBCON_SCALE; sx++)
					line[px + col * FBCON_SCALE + sx] = c->fg;
			}
		}
	}
}

/* Move the lower half of the text up and clear the rest. */
static void scroll(struct fbcon *c)
{
	u32 keep = c->rows / 2, drop = c->rows - keep, y;

	for (y = 0; y < keep * FBCON_CELL_H; y++) {
		u64 *dst = (u64 *)(c->base + (u64)y * c->stride);
		const u64 *src = (const u64 *)(c->base +
					       (u64)(y + drop * FBCON_CELL_H) * c->stride);
		u32 i;

		for (i = 0; i < c->cols * FBCON_CELL_W / 2; i++)
			dst[i] = src[i];
	}
	fill(c, 0, keep * FBCON_CELL_H, c->cols * FBCON_CELL_W,
	     drop * FBCON_CELL_H, c->bg);
	c->y = keep;
}

static void newline(struct fbcon *c)
{
	c->x = 0;
	if (++c->y == c->rows)
		scroll(c);
}

int fbcon_init(struct fbcon *c, void *base, u32 width, u32 height, u32 stride,
	       bool bgr)
{
	(void)bgr; /* white and black read the same in both orders */
	c->base = base;
	c->width = width;
	c->height = height;
	c->stride = stride;
	c->cols = width / FBCON_CELL_W;
	c->rows = height / FBCON_CELL_H;
	c->x = c->y = 0;
	c->fg = 0x00e0e0e0;
	c->bg = 0;
	if (!c->cols || c->rows < 2 || stride < width)
		return -EINVAL;
	c->cols &= ~1u; /* whole 64-bit words per text line when scrolling */
	fill(c, 0, 0, width, height, c->bg);
	return 0;
}

void fbcon_write(struct fbcon *c, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\n') {
			newline(c);
		} else if (ch == '\r') {
			c->x = 0;
		} else if (ch == '\t') {
			do
				fbcon_write(c, " ", 1);
			while (c->x % 8);
		} else {
			if (c->x == c->cols)
				newline(c);
			draw(c, ch);
			c->x++;
		}
	}
}
