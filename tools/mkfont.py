#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn tools/font5x8.txt (one glyph a line: code, then 8 rows of '.'/'#';
row 7 only for descenders) into kernel/font.c.
usage: mkfont.py tools/font5x8.txt > kernel/font.c"""
import sys

rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
assert len(rows) == 95
print("// SPDX-License-Identifier: MIT")
print("/*")
print(" * vamap's console font: 5x8 glyphs for ASCII 0x20-0x7e, drawn for vamap")
print(" * in the style of the classic 5x8 character-LCD fonts (row 7 holds the")
print(" * descenders). Bit 4 is the leftmost column; row 0 is the top.")
print(" * Generated from tools/font5x8.txt")
print(" * by tools/mkfont.py: edit those, not this.")
print(" */")
print('#include "fbcon.h"')
print()
print("const u8 fbcon_font[FBCON_GLYPHS][FBCON_GLYPH_H] = {")
for i, r in enumerate(rows):
    assert int(r[0], 16) == 0x20 + i and len(r) == 9
    c = chr(int(r[0], 16))
    name = {" ": "space", "\\": "backslash"}.get(c, c)
    vals = ", ".join("0x%02x" % int(x.replace(".", "0").replace("#", "1"), 2)
                     for x in r[1:])
    print("\t{ %s }, /* %s %s */" % (vals, r[0], name))
print("};")
