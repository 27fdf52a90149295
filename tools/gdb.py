#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make gdb: vamap in QEMU under gdb, with the kernel's and the stub's
symbols at their real addresses.

QEMU starts paused (-s -S, gdb's port 1234 unless --port); gdb loads
build/kernel.elf (linked where it runs), stops at the kernel's entry
(_start, a hardware breakpoint: the kernel's VA is not mapped until the
stub's jump), reads the stub's load address from boot_info
(stub_base, in RDI there) and adds the stub's symbols there
(build/kernel.so, gnu-efi's image linked at 0). From there: break on any
kernel function, `continue`, `bt`. The serial console and the clean log go
to WORKDIR/serial.log and WORKDIR/vamap.log. --batch runs COMMANDS after
the entry stop and ends (the test uses it).
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

KERNEL_ENTRY = "0xffffffff80000000"  # KERNEL_VIRT_BASE, _start


def script(kernel_elf, stub_so, port):
    return "\n".join([
        "set pagination off",
        "set confirm off",
        f"file {kernel_elf}",
        f"target remote localhost:{port}",
        f"hbreak *{KERNEL_ENTRY}",
        "continue",
        "delete",
        # At _start: RDI holds boot_info's physical address, mapped 1:1 by
        # init_pg_dir; the stub's image base is in it.
        "set $vamap_bi = (struct boot_info *)$rdi",
        f'eval "add-symbol-file {stub_so} -o 0x%lx", $vamap_bi->stub_base',
        'printf "vamap: at the kernel entry; stub loaded at 0x%lx, '
        'boot_info at 0x%lx\\n", $vamap_bi->stub_base, $vamap_bi',
        ""])


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--efi", default="build/vamap.efi")
    p.add_argument("--kernel-elf", default="build/kernel.elf")
    p.add_argument("--stub-so", default="build/kernel.so")
    p.add_argument("--cmdline", default="exit=qemu")
    p.add_argument("--firmware", default="ovmf")
    p.add_argument("--workdir", default="build/gdb")
    p.add_argument("--port", type=int, default=1234)
    p.add_argument("--smp", default=1)
    p.add_argument("--batch", action="append", metavar="COMMAND",
                   help="run gdb non-interactively: these commands after "
                   "the entry stop, then end")
    a, extra = p.parse_known_args()
    os.makedirs(a.workdir, exist_ok=True)
    log = os.path.join(a.workdir, "vamap.log")
    try:
        cmd = qemu.argv(a.efi, a.workdir, smp=a.smp, cmdline=a.cmdline,
                        serial="file:" + os.path.join(a.workdir, "serial.log"),
                        debugcon=log, firmware=a.firmware,
                        extra=["-gdb", f"tcp:localhost:{a.port}", "-S"]
                        + [x for x in extra if x != "--"])
    except ValueError as e:
        sys.exit(f"gdb.py: {e}")
    gdbx = os.path.join(a.workdir, "vamap.gdb")
    with open(gdbx, "w") as f:
        f.write(script(a.kernel_elf, a.stub_so, a.port))
    print("+ " + " ".join(cmd), file=sys.stderr)
    print(f"gdb: QEMU waits for gdb on port {a.port}; the log goes to {log}; "
          f"gdb's script is {gdbx}", file=sys.stderr)
    vm = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    try:
        g = ["gdb", "-q", "-nx", "-x", gdbx]
        if a.batch:
            g = ["gdb", "-q", "-nx", "-batch", "-x", gdbx]
            for c in a.batch:
                g += ["-ex", c]
        status = subprocess.call(g, timeout=300 if a.batch else None)
    except KeyboardInterrupt:
        status = 130
    finally:
        vm.kill()
        vm.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
