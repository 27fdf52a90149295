#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a deliberately broken copy of an ELF image, for the stub's tests.

usage: corrupt-elf.py KIND IN OUT
  segment-outside   first PT_LOAD's file data points past the end of the file
  bad-magic         e_ident[1] is no longer 'E'
  truncated         only the first 32 bytes are kept
"""
import struct
import sys


def main():
    kind, src, dst = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    if kind == "segment-outside":
        phoff, = struct.unpack_from("<Q", data, 32)
        phnum, = struct.unpack_from("<H", data, 56)
        for i in range(phnum):
            off = phoff + i * 56
            if struct.unpack_from("<I", data, off)[0] == 1:  # PT_LOAD
                struct.pack_into("<Q", data, off + 8, len(data))  # p_offset
                break
        else:
            sys.exit("corrupt-elf: no PT_LOAD in " + src)
    elif kind == "bad-magic":
        data[1] = ord("X")
    elif kind == "truncated":
        data = data[:32]
    else:
        sys.exit("corrupt-elf: unknown kind " + kind)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main()
