#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SKIP reasons true where they are printed, across every boot test's
golden log: a reason that names an efi= mode appears only in boots of that
mode; advice to boot twice to keep a report appears only where the
firmware can keep one (not where SetVariable is declared unsupported at
runtime); every SKIP gives a reason."""
import glob
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tools"))
import vamapreport  # noqa: E402
from pycheck import check, done  # noqa: E402

SKIP = re.compile(r"^ok \d+ (\S+) # SKIP (?:\[\w+\] )?(.*)$", re.M)


def mode_of(text):
    """The efi= mode the boot ran in: the kernel's efi section says it."""
    m = re.search(r"^== efi \(efi=(\w+)\)$", text, re.M)
    return m.group(1) if m else None


def main():
    logs = sorted(glob.glob(os.path.join(TOP, "tests", "golden", "*.log")))
    check(len(logs) > 50, "golden logs found", str(len(logs)))
    skips = wrong_mode = advice = empty = 0
    boots = []
    for path in logs:
        whole = open(path, errors="replace").read()
        # One boot at a time: a sequence's log and a modes= run hold
        # several modes (vamapreport.split_boots, as vamap-report reads it).
        parts = vamapreport.split_boots(whole)
        for i, part in enumerate(parts):
            boots.append((os.path.basename(path) +
                          (f" boot {i + 1}" if len(parts) > 1 else ""), part))
    for name, text in boots:
        mode = mode_of(text)
        keeps_none = "declared unsupported: " in text and \
            "SetVariable" in (re.search(r"declared unsupported: (.*)$", text,
                                        re.M) or [""])[0]
        for label, why in SKIP.findall(text):
            skips += 1
            if not why.strip():
                empty += 1
                check(False, f"{name}: {label} gives a reason")
            for named in re.findall(r"\befi=(\w+)", why):
                if named != mode:
                    wrong_mode += 1
                    check(False, f"{name}: {label}'s reason names its mode",
                          f"says efi={named}, the boot ran efi={mode}: {why}")
            if keeps_none and "boot vamap twice" in why:
                advice += 1
                check(False, f"{name}: {label} gives advice that can work",
                      f"SetVariable is declared unsupported at runtime: {why}")
    check(skips > 500, f"{skips} SKIP lines read")
    check(not (wrong_mode or advice or empty),
          "every SKIP reason fits its boot's mode and firmware",
          f"{wrong_mode} name another mode, {advice} give advice that cannot "
          f"work, {empty} give none")
    done()


main()
