#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU + OVMF command lines for vamap, shared by `make run` and the boot tests.

Every boot gets a fresh copy of the OVMF variable store, QEMU's debugcon on
port 0x402 (the clean channel only vamap writes to: Debian's OVMF is a
release build and prints nothing there) and isa-debug-exit on port 0xf4.
"""
import argparse
import os
import shutil
import subprocess
import sys

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
QEMU = "qemu-system-x86_64"


def prepare_esp(workdir, efi, cmdline):
    """A directory QEMU serves as a FAT drive: the removable-media path
    EFI/BOOT/BOOTX64.EFI, and the command line in vamap/cmdline.txt (the
    stub reads it when LoadOptions carry none)."""
    esp = os.path.join(workdir, "esp")
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(os.path.join(esp, "EFI", "BOOT"))
    os.makedirs(os.path.join(esp, "vamap"))
    shutil.copy(efi, os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"))
    with open(os.path.join(esp, "vamap", "cmdline.txt"), "w") as f:
        f.write(cmdline + "\n")
    return esp


def argv(efi, workdir, machine="q35", mem="2G", smp=1, boot="fat",
         cmdline="", cpu=None, extra=(), serial=None, debugcon=None):
    """The QEMU command for one boot. boot is "fat" (BOOTX64.EFI on a FAT
    drive) or "kernel" (-kernel EFI -append CMDLINE)."""
    os.makedirs(workdir, exist_ok=True)
    vars_fd = os.path.join(workdir, "OVMF_VARS.fd")
    shutil.copy(OVMF_VARS, vars_fd)
    a = [QEMU, "-nodefaults", "-display", "none", "-no-reboot",
         "-machine", machine, "-m", mem, "-smp", str(smp),
         "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
         "-drive", f"if=pflash,format=raw,unit=1,file={vars_fd}",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if cpu:
        a += ["-cpu", cpu]
    if debugcon:
        a += ["-debugcon", f"file:{debugcon}",
              "-global", "isa-debugcon.iobase=0x402"]
    a += ["-serial", serial or "mon:stdio"]
    if boot == "fat":
        esp = prepare_esp(workdir, efi, cmdline)
        a += ["-drive", f"file=fat:rw:{esp},format=raw,media=disk"]
    elif boot == "kernel":
        a += ["-kernel", efi, "-append", cmdline]
    else:
        raise ValueError("unknown boot method " + boot)
    return a + list(extra)


# What QEMU's exit status means: isa-debug-exit turns a byte v into
# (v << 1) | 1 (include/exitcode.h); -no-reboot turns a triple fault or a
# reset into a plain exit 0.
EXIT_NAMES = {33: "pass", 35: "fail", 37: "fault", 39: "stub-error",
              0: "reset-or-triple-fault"}


def exit_name(status):
    return EXIT_NAMES.get(status, f"status-{status}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["run"])
    p.add_argument("--efi", required=True)
    p.add_argument("--cmdline", default="")
    p.add_argument("--machine", default="q35")
    p.add_argument("--mem", default="2G")
    p.add_argument("--smp", default=1)
    p.add_argument("--boot", default="fat", choices=["fat", "kernel"])
    p.add_argument("--workdir", default="build/run")
    p.add_argument("--debugcon", help="also log the debug port to this file")
    a, extra = p.parse_known_args()
    extra = [x for x in extra if x != "--"]  # the rest goes to QEMU
    cmd = argv(a.efi, a.workdir, a.machine, a.mem, a.smp, a.boot, a.cmdline,
               extra=extra, debugcon=a.debugcon)
    print("+ " + " ".join(cmd), file=sys.stderr)
    status = subprocess.call(cmd)
    print(f"qemu: exit status {status} ({exit_name(status)})", file=sys.stderr)
    sys.exit(0 if status in (0, 33) else 1)


if __name__ == "__main__":
    main()
