#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The severity policy is written once and the code keeps to it:
docs/checks.md's Severities table names exactly the prefixes of
kernel/verdict.c's table, each with the same severity (a label added to
one and not the other, or rated differently, fails here)."""
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pycheck import check, done  # noqa: E402

SEV = {"SEV_CRITICAL": "critical", "SEV_HIGH": "high",
       "SEV_MEDIUM": "medium", "SEV_LOW": "low"}


def kernel_table():
    text = open(os.path.join(TOP, "kernel", "verdict.c")).read()
    body = text[text.index("severities[] = {"):]
    body = body[:body.index("};")]
    return {p: SEV[s] for p, s in
            re.findall(r'\{\s*"([^"]+)",\s*(SEV_\w+)\s*\}', body)}


def doc_table():
    """{prefix: severity} from the Severities table: `a.b.*` is the
    prefix "a.b.", `a.b*` the prefix "a.b", `a.b` the label itself."""
    text = open(os.path.join(TOP, "docs", "checks.md")).read()
    sec = text[text.index("## Severities"):]
    sec = sec[:sec.index("\n## ", 4)]
    out = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] not in SEV.values():
            continue
        for tok in re.findall(r"`([^`]+)`", cells[2]):
            prefix = tok[:-1] if tok.endswith("*") else tok
            check(prefix not in out, f"docs: {tok} listed once",
                  f"also under {out.get(prefix)}")
            out[prefix] = cells[0]
    return out


def main():
    k, d = kernel_table(), doc_table()
    check(len(k) > 20 and len(d) > 20, "both tables read",
          f"{len(k)} in verdict.c, {len(d)} in docs/checks.md")
    for prefix, sev in sorted(k.items()):
        check(d.get(prefix) == sev, f"{prefix}: {sev} in both",
              f"kernel/verdict.c says {sev}, docs/checks.md "
              f"{d.get(prefix) or 'nothing'}")
    for prefix in sorted(set(d) - set(k)):
        check(False, f"{prefix}: in docs/checks.md only",
              "kernel/verdict.c has no such entry")
    done()


main()
