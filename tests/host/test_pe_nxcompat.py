#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/pe-nxcompat.py: the built vamap.efi carries NX_COMPAT, and the
tool refuses to claim it for an image that breaks the promise (a section
both writable and executable, a section off its page, a non-PE file)."""
import importlib.util
import os
import struct
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pycheck import check, done  # noqa: E402

TOOL = os.path.join(TOP, "tools", "pe-nxcompat.py")
EFI = os.path.join(TOP, "build", "vamap.efi")
spec = importlib.util.spec_from_file_location("pe_nxcompat", TOOL)
nx = importlib.util.module_from_spec(spec)
spec.loader.exec_module(nx)


def run(*args):
    return subprocess.run([sys.executable, TOOL, *args],
                          capture_output=True, text=True)


def section_header(img, name):
    pe = struct.unpack_from("<I", img, 0x3C)[0]
    nsect, = struct.unpack_from("<H", img, pe + 6)
    opt_size, = struct.unpack_from("<H", img, pe + 20)
    for i in range(nsect):
        h = pe + 24 + opt_size + 40 * i
        if img[h:h + 8].rstrip(b"\0") == name:
            return h
    raise KeyError(name)


def main():
    check(run("--check", EFI).returncode == 0,
          "build/vamap.efi is marked NX_COMPAT")
    # BOOTIA32.EFI is PE32, whose optional header keeps the bit at the
    # same offset; the build marks it too.
    efi32 = os.path.join(TOP, "build", "vamap-ia32.efi")
    check(run("--check", efi32).returncode == 0,
          "build/vamap-ia32.efi (PE32) is marked NX_COMPAT")
    with open(EFI, "rb") as f:
        good = bytearray(f.read())
    off, _, _ = nx.dll_characteristics_offset(good)
    with tempfile.TemporaryDirectory() as d:
        def variant(name, img):
            p = os.path.join(d, name)
            struct.pack_into("<H", img, off, 0)
            with open(p, "wb") as f:
                f.write(img)
            return p

        p = variant("clean.efi", bytearray(good))
        r = run(p)
        check(r.returncode == 0 and run("--check", p).returncode == 0,
              "a W^X, page-aligned image gets the bit", r.stderr)
        p = variant("clear.efi", bytearray(good))
        check(run("--check", p).returncode == 1, "--check sees it missing")

        wx = bytearray(good)
        h = section_header(wx, b".data")
        flags, = struct.unpack_from("<I", wx, h + 36)
        struct.pack_into("<I", wx, h + 36, flags | nx.SCN_MEM_EXECUTE)
        p = variant("wx.efi", wx)
        r = run(p)
        check(r.returncode == 1 and "section .data is both writable and "
              "executable" in r.stderr and run("--check", p).returncode == 1,
              "a writable and executable section: refused, named, unmarked",
              r.stderr)

        off_page = bytearray(good)
        h = section_header(off_page, b".data")
        rva, = struct.unpack_from("<I", off_page, h + 12)
        struct.pack_into("<I", off_page, h + 12, rva + 0x200)
        r = run(variant("offpage.efi", off_page))
        check(r.returncode == 1 and "not on a page" in r.stderr,
              "a section off its page: refused, named", r.stderr)

        p = os.path.join(d, "notpe.efi")
        with open(p, "wb") as f:
            f.write(b"\x7fELF" + bytes(100))
        r = run(p)
        check(r.returncode == 1 and "not a PE image" in r.stderr,
              "not a PE image: refused", r.stderr)
        r = run(os.path.join(d, "absent.efi"))
        check(r.returncode == 2 and r.stderr.count("\n") == 1,
              "a missing file: one line, exit 2", r.stderr)
    done()


main()
