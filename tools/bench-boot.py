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
each check's share (efi/bench.c, the `bench` command-line word)."""
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.join(TOP, "tests", "boot"))
import qemu  # noqa: E402
from configs import configs  # noqa: E402

BENCH = ["q35-2g", "q35-8g", "q35-1t"]
CALLS = "q35-2g"  # the one that also times each runtime service


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
        cmdline = "exit=qemu bench" if name == CALLS else "exit=qemu"
        argv = qemu.argv(efi, work, c["machine"], c["mem"], c["smp"], "fat",
                         cmdline, cpu=c["cpu"],
                         extra=list(c["extra"]) + ["-icount", "shift=0"],
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
        print(f"{name} (-icount shift=0, exit {qemu.exit_name(status, work)})")
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
