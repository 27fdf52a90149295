#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vamap's KTAP as the Linux kernel's own KTAP parser reads it: every boot
test's golden log (every efi= mode, both firmwares and their generations,
FAIL runs, runs that end in a fault or a stub error) through
tools/testing/kunit/kunit_parser.py (fetched by tools/fetch-ktap-parser.sh),
and its counts held to vamap's own summary line:

  parser passed  = vamap's passed
  parser skipped = vamap's skipped
  parser failed  = vamap's failed + waived (KTAP 1 has no expected-failure
                   result: a waived check is `not ok ... # TODO waived`, and
                   kunit_parser counts every `not ok` without SKIP a failure)
  parser errors  = 0, crashed = 0

A log with no KTAP (the stub refused to start the kernel) must read as no
tests, not as an error."""
import contextlib
import glob
import io
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tools"))
import vamapreport  # noqa: E402
from pycheck import check, done  # noqa: E402

KTAP_DIR = os.environ.get("KTAP_PARSER_DIR", os.path.join(TOP, "build", "ktap"))
SUMMARY = re.compile(r"^vamap: (PASS|FAIL) \((\d+) passed, (\d+) failed, "
                     r"(\d+) skipped, (\d+) waived\)$", re.M)


def main():
    if not os.path.isfile(os.path.join(KTAP_DIR, "kunit_parser.py")):
        check(False, "the kernel's KTAP parser is here",
              f"no {KTAP_DIR}/kunit_parser.py: run tools/fetch-ktap-parser.sh"
              " (make ktap-parser)")
        done()
    sys.path.insert(0, KTAP_DIR)
    import kunit_parser  # noqa: E402
    logs = sorted(glob.glob(os.path.join(TOP, "tests", "golden", "*.log")))
    runs = []
    for path in logs:
        text = open(path, errors="replace").read()
        # A sequence's log holds one boot after another: each is its own
        # KTAP stream (vamapreport.split_boots, as vamap-report reads it).
        parts = vamapreport.split_boots(text)
        for i, part in enumerate(parts):
            runs.append((os.path.basename(path)
                         + (f" boot {i + 1}" if len(parts) > 1 else ""), part))
    read = with_summary = 0
    for name, text in runs:
        out = io.StringIO()
        # kunit_printer writes through the stream it took at import
        kunit_parser.stdout._output = out
        with contextlib.redirect_stdout(out):
            test = kunit_parser.parse_run_tests(text.splitlines(True))
        read += 1
        c = test.counts
        m = SUMMARY.findall(text)
        if "KTAP version 1" not in text:
            # The stub stopped before the kernel (or the firmware refused
            # it): the parser reads no test and says it found no KTAP.
            check(c.total() == 0 and "could not find any KTAP output" in out.getvalue(),
                  f"{name}: no KTAP: no tests, and the parser says so",
                  f"{c}: {out.getvalue().strip()[-200:]}")
            continue
        if not m:
            # A run that ended before its summary (a fault): the parser
            # must still read what was printed, without an error.
            check(c.errors == 0 and c.crashed == 0,
                  f"{name}: read without a parse error", str(c))
            continue
        with_summary += 1
        _, p, f, s, w = (m[-1][0], *map(int, m[-1][1:]))
        got = (c.passed, c.failed, c.skipped, c.errors, c.crashed)
        want = (p, f + w, s, 0, 0)
        check(got == want, f"{name}: the kernel's KTAP parser counts as "
              "vamap does",
              f"parser passed/failed/skipped/errors/crashed {got}, vamap "
              f"says {want} ({out.getvalue().strip().splitlines()[-1:]})")
    check(read == len(runs) and with_summary > 60,
          f"{read} boots in {len(logs)} logs parsed, {with_summary} with a "
          "summary")
    done()


main()
