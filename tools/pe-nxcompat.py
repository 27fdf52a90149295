#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mark a PE32+ or PE32 image NX-compatible, after checking that it is.

IMAGE_DLLCHARACTERISTICS_NX_COMPAT (0x0100 in the optional header's
DllCharacteristics, PE/COFF specification) tells a firmware with a strict
NX policy (EDK2's PcdImageProtectionPolicy / strict-NX builds, the EFI
Memory Attribute Protocol's users) that the image can be loaded with its
code read-only and its data non-executable. The bit is a promise, so this
tool makes it only for an image that keeps it: SectionAlignment a multiple
of 4 KiB, every section starting on a page, no section both writable and
executable. Anything else is an error naming the section, and the build
stops. GNU objcopy (binutils 2.40) has no switch for the bit.

usage: pe-nxcompat.py IMAGE            set the bit in place
       pe-nxcompat.py --check IMAGE    exit 1 unless the bit is set
"""
import struct
import sys

NX_COMPAT = 0x0100
SCN_MEM_EXECUTE = 0x20000000
SCN_MEM_WRITE = 0x80000000
PE32_PLUS = 0x20B
PE32 = 0x10B  # BOOTIA32.EFI: DllCharacteristics and SectionAlignment
              # sit at the same offsets as in PE32+
PAGE = 4096


class NotNxCompatible(Exception):
    pass


def dll_characteristics_offset(img):
    """Where DllCharacteristics lies in img (bytes), after checking what
    leads there: the MZ stub, the PE signature, a PE32+ or PE32 optional
    header;
    also returns the section headers as (name, rva, flags)."""
    if img[:2] != b"MZ" or len(img) < 0x40:
        raise NotNxCompatible("not a PE image (no MZ header)")
    pe = struct.unpack_from("<I", img, 0x3C)[0]
    if img[pe:pe + 4] != b"PE\0\0":
        raise NotNxCompatible("no PE signature at e_lfanew")
    nsect, = struct.unpack_from("<H", img, pe + 6)
    opt_size, = struct.unpack_from("<H", img, pe + 20)
    opt = pe + 24
    magic, = struct.unpack_from("<H", img, opt)
    if magic not in (PE32_PLUS, PE32):
        raise NotNxCompatible(f"optional header magic {magic:#x}, neither "
                              "PE32+ nor PE32")
    sect_align, = struct.unpack_from("<I", img, opt + 32)
    sections = []
    for i in range(nsect):
        h = opt + opt_size + 40 * i
        name = img[h:h + 8].rstrip(b"\0").decode("ascii", "replace")
        rva, = struct.unpack_from("<I", img, h + 12)
        flags, = struct.unpack_from("<I", img, h + 36)
        sections.append((name, rva, flags))
    return opt + 70, sect_align, sections


def why_not(img):
    """None if img keeps the NX_COMPAT promise, else what breaks it."""
    _, align, sections = dll_characteristics_offset(img)
    if align % PAGE:
        return f"SectionAlignment {align:#x} is not a multiple of 4 KiB"
    for name, rva, flags in sections:
        if rva % PAGE:
            return f"section {name} starts at RVA {rva:#x}, not on a page"
        if flags & SCN_MEM_EXECUTE and flags & SCN_MEM_WRITE:
            return f"section {name} is both writable and executable"
    return None


def main(argv):
    check_only = argv[1:2] == ["--check"]
    path = argv[-1]
    if len(argv) != (3 if check_only else 2):
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    try:
        with open(path, "rb") as f:
            img = bytearray(f.read())
    except OSError as e:
        print(f"pe-nxcompat: {path}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        off, _, _ = dll_characteristics_offset(img)
        if check_only:
            chars, = struct.unpack_from("<H", img, off)
            if not chars & NX_COMPAT:
                print(f"{path}: DllCharacteristics {chars:#06x}: "
                      "NX_COMPAT not set", file=sys.stderr)
                return 1
            return 0
        reason = why_not(img)
        if reason:
            raise NotNxCompatible(reason)
    except (NotNxCompatible, struct.error) as e:
        print(f"pe-nxcompat: {path}: {e or 'truncated image'}: "
              "not marked NX-compatible", file=sys.stderr)
        return 1
    chars, = struct.unpack_from("<H", img, off)
    struct.pack_into("<H", img, off, chars | NX_COMPAT)
    with open(path, "wb") as f:
        f.write(img)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
