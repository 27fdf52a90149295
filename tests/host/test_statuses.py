#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every status a conformance check accepts is the one docs/checks.md's
*Statuses, clause by clause* table grounds in the spec: each boot test's
golden log prints "got X, want Y" on every conformance line, passing or
not, and Y must be exactly the statuses the table lists for that label.
A check that accepts a status the table does not name (or stops accepting
one it does), a conformance label with no row, a row no boot ever prints,
or a line without its "want" fails here."""
import glob
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pycheck import check, done  # noqa: E402

# The labels of efi/conform.c and efi/authvar.c (the stress loops judge
# counts, not statuses).
SCOPE = ("efi.time.", "efi.wakeup.", "efi.variable.set.", "efi.variable.get.",
         "efi.variable.next.", "efi.variable.query.", "efi.variable.auth.",
         "efi.capsule.", "efi.monotonic.null", "efi.rt_properties.",
         "efi.svam.second")
STATUSES = {
    "SUCCESS", "LOAD_ERROR", "INVALID_PARAMETER", "UNSUPPORTED",
    "BAD_BUFFER_SIZE", "BUFFER_TOO_SMALL", "NOT_READY", "DEVICE_ERROR",
    "WRITE_PROTECTED", "OUT_OF_RESOURCES", "NOT_FOUND", "ACCESS_DENIED",
    "NO_MAPPING", "TIMEOUT", "ABORTED", "SECURITY_VIOLATION"}
LINE = re.compile(r"^(?:not )?ok \d+ (\S+) # (?:TODO waived: .*?)?"
                  r"\[\w+\] ?(.*)$")


def doc_rows():
    """[(label tokens, statuses, row text)] from the table."""
    text = open(os.path.join(TOP, "docs", "checks.md")).read()
    sec = text[text.index("## Statuses, clause by clause"):]
    sec = sec[:sec.index("\n## ", 4)]
    rows = []
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        labels = re.findall(r"`([^`]+)`", cells[0])
        want = set(re.findall(r"`([A-Z_]+)`", cells[1]))
        rows.append((labels, want, line))
    return rows


def expand(tokens):
    """Full labels and globs from a cell's tokens: `.x` and `_x` continue
    the label before them (`efi.a.b_c`, `_d` is efi.a.b_d or efi.a.d)."""
    out, base = [], None
    for tok in tokens:
        tok = tok.split(" ")[0]
        if tok.startswith(("_", ".")) and base:
            stem = base[:base.rfind(".") + 1]
            cands = [stem + tok[1:]]
            if tok.startswith("_"):
                cands.insert(0, base[:base.rfind("_")] + tok)
            out.append(tuple(cands))
        else:
            base = tok
            out.append((tok,))
    return out


def matches(cand, label):
    return label.startswith(cand[:-1]) if cand.endswith("*") else cand == label


def main():
    seen = {}  # label -> set of "want" sets, with where
    silent = {}  # label -> a line without its "want"
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "golden", "*.log"))):
        for line in open(path, errors="replace"):
            m = LINE.match(line.strip())
            if not m or " # SKIP" in line or not m.group(1).startswith(SCOPE):
                continue
            label, rest = m.groups()
            wants = set()
            for w in re.findall(r"\bwant ([^;(]*)", rest):
                wants |= {t for t in re.findall(r"[A-Z_]{4,}", w)
                          if t in STATUSES}
            if not wants:
                silent.setdefault(label, f"{os.path.basename(path)}: "
                                  f"{line.strip()[:160]}")
                continue
            seen.setdefault(label, {})[frozenset(wants)] = \
                os.path.basename(path)
    check(len(seen) > 60, "conformance lines read", str(len(seen)))
    for label in sorted(set(seen) | set(silent)):
        check(label not in silent, f"{label} says what it wants on every "
              "line", silent.get(label, ""))

    rows = doc_rows()
    check(len(rows) > 25, "the Statuses table read", str(len(rows)))
    owner = {}
    for labels, want, text in rows:
        check(bool(want), f"row names its statuses: {text[:60]}")
        for cands in expand(labels):
            hit = [lab for lab in seen for c in cands if matches(c, lab)]
            check(bool(hit), f"docs: {cands[0]} is printed by some boot",
                  "no golden log has it")
            for lab in hit:
                check(lab not in owner, f"docs: {lab} in one row",
                      f"also in {owner.get(lab)}")
                owner[lab] = want
    for lab in sorted(seen):
        check(lab in owner, f"{lab} has a row in docs/checks.md's Statuses",
              "no row names it")
        if lab not in owner:
            continue
        for wants, where in seen[lab].items():
            check(set(wants) == owner[lab], f"{lab}: wants what docs ground",
                  f"{where} prints want {sorted(wants)}, docs/checks.md "
                  f"lists {sorted(owner[lab])}")
    done()


main()
