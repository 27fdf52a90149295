#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of the ELF fuzz target (tests/fuzz/corpus/fuzz_elf/):
small kernel-shaped ELF64 images built here, field by field, so the fuzzer
starts from inputs the stub's check accepts and from one near-miss per rule.

  usage: tools/make-elf-seeds.py DIR
"""
import os
import struct
import sys

BASE = 0xffffffff80000000
PT_LOAD, PF_X, PF_W, PF_R = 1, 1, 2, 4


def image(segments, entry=BASE, e_type=2, machine=62, phentsize=56):
    """segments: (vaddr, filesz, memsz, flags); file data follows the table."""
    phoff = 64
    data_off = phoff + 56 * len(segments)
    data_off = (data_off + 4095) & ~4095
    eh = struct.pack("<4sBBBB8xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0,
                     e_type, machine, 1, entry, phoff, 0, 0, 64, phentsize,
                     len(segments), 64, 0, 0)
    phdrs, body, off = b"", b"", data_off
    for vaddr, filesz, memsz, flags in segments:
        phdrs += struct.pack("<IIQQQQQQ", PT_LOAD, flags, off, vaddr, vaddr,
                             filesz, memsz, 4096)
        body += b"\xcc" * filesz
        off += filesz
    head = eh + phdrs
    return head + b"\0" * (data_off - len(head)) + body


SEEDS = {
    # text RX, rodata R, data+bss RW: the shape of build/kernel.elf
    "kernel-shape": image([(BASE, 64, 4096, PF_R | PF_X),
                           (BASE + 0x1000, 32, 4096, PF_R),
                           (BASE + 0x2000, 16, 0x3000, PF_R | PF_W)]),
    "one-segment": image([(BASE, 16, 4096, PF_R | PF_X)]),
    "segment-outside-window": image([(BASE - 0x1000, 16, 4096, PF_R | PF_X)]),
    "overlapping-segments": image([(BASE, 16, 0x2000, PF_R | PF_X),
                                   (BASE + 0x1000, 16, 4096, PF_R | PF_W)]),
    "entry-not-in-text": image([(BASE, 16, 4096, PF_R | PF_W)]),
    "filesz-over-memsz": image([(BASE, 8192, 4096, PF_R | PF_X)]),
    "not-executable-type": image([(BASE, 16, 4096, PF_R | PF_X)], e_type=3),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
