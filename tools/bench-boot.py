#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-phase costs under QEMU's -icount shift=0: guest time then follows
executed instructions (1 ns each), so the figures repeat from run to run and
from host to host. Prints each phase and the page-table counts the log
reports, for a few machine sizes, with the stub's own phases, the
conformance matrix (efi/conform.c) and the split of stub entry to
SetVirtualAddressMap returned into the firmware's time and vamap's; on the
first, the cost of each read-only
runtime service with and without the checks vamap makes around a call, and
each check's share (efi/bench.c, the `bench` command-line word); and the
same per-service costs on 32-bit OVMF (ovmf-ia32), every call made through
the 32-bit call path (efi/thunk32.asm: the switch to compatibility mode and
back)."""
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.join(TOP, "tests", "boot"))
import qemu  # noqa: E402
from configs import configs  # noqa: E402

BENCH = ["q35-2g", "q35-8g", "q35-1t", "ovmf-ia32-fault"]
CALLS = ("q35-2g", "ovmf-ia32-fault")  # these also time each service


def main():
    efi = os.path.join(TOP, "build", "vamap.efi")
    cfgs = {c["name"]: c for c in configs()}
    for name in BENCH:
        c = cfgs[name]
        work = os.path.join(TOP, "build", "bench", name)
        log = os.path.join(work, "debug.log")
        os.makedirs(work, exist_ok=True)
        if os.path.exists(log):
            os.unlink(log)
        cmdline = "exit=qemu bench" if name in CALLS else "exit=qemu"
        # 32-bit OVMF (an SMM build) never reached vamap under -icount
        # with the default sleep=on, nor with two CPUs (seen: no stub
        # line in 10 minutes): one CPU, sleep=off, still one tick per
        # instruction.
        ia32 = c["firmware"] == "ovmf-ia32"
        icount = "shift=0,sleep=off" if ia32 else "shift=0"
        smp = 1 if ia32 else c["smp"]
        # ovmf-ia32-fault's machine without its zoo driver: 32-bit OVMF
        argv = qemu.argv(efi, work, c["machine"], c["mem"], smp, "fat",
                         cmdline, cpu=c["cpu"], firmware=c["firmware"],
                         extra=list(c["extra"]) + ["-icount", icount],
                         serial="file:" + os.path.join(work, "serial.log"),
                         debugcon=log)
        try:
            status = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL,
                                    timeout=600).returncode
        except subprocess.TimeoutExpired:
            print(f"{name}: timeout")
            continue
        text = open(log, errors="replace").read()
        what = " (32-bit OVMF: the 32-bit call path)" \
            if c["firmware"] == "ovmf-ia32" else ""
        print(f"{name}{what} (-icount shift=0, exit "
              f"{qemu.exit_name(status, work)})")
        for line in text.splitlines():
            m = re.match(r"phase: (.*?)\s+([\d.]+ ms)$", line)
            if m:
                print(f"  {m.group(1):<40} {m.group(2):>12}")
            elif line.startswith("phase: "):
                print("  " + line[len("phase: "):])
            m = re.match(r"mm: swapper_pg_dir live at \S+ (\d+) table pages",
                         line)
            if m:
                print(f"  {'swapper_pg_dir table pages':<40} {m.group(1):>12}")
            if line.startswith("bench: "):
                print("  " + line[len("bench: "):])


if __name__ == "__main__":
    main()
