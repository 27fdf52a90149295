#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/vamap-report on real logs from the boot tests (tests/golden/):
print names the machine and each failure with its lines; diff finds a
changed verdict and a new finding, and nothing between a log and itself;
html writes a page whose SVG parses and draws every runtime region the
log names, in every efi= mode and on U-Boot. (A log against the saved
.txt and .json of the same run: tests/host/test_check.py.) Prints
"ok - " / "not ok - " lines for tests/host/run.sh."""
import io
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(TOP, "tests", "golden")
TOOL = os.path.join(TOP, "tools", "vamap-report")
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vamapreport  # noqa: E402
from pycheck import check, done  # noqa: E402



def run(*args):
    r = subprocess.run([sys.executable, TOOL] + list(args),
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def golden(name):
    return os.path.join(GOLDEN, name + ".log")


def test_print():
    st, out = run("print", golden("efi-fault"))
    check(st == 0 and re.search(r"firmware\.vendor: +EDK II", out)
          and "FAIL efi.fault [critical] 1 call ended by an exception in the "
          "firmware (first: GetWakeupTime" in out
          and "| efi: firmware fault in GetWakeupTime" in out,
          "print: the machine, each failure and the lines before it", out[-600:])
    # machine keys longer than the old 22 columns keep a blank after them
    check("uefi.memattr_protocol: not installed" in out,
          "print: a long machine key keeps its value apart", out[:900])
    # a log of several boots: the last run that reached the kernel, said
    st, out = run("print", golden("modes-usb"))
    check(st == 0 and "this log holds 3 boots" in out
          and "efi=noruntime" in out.splitlines()[2],
          "print: a modes= log's last run, and that there were three boots",
          out[:600])
    st, out = run("print", "/nonexistent.log")
    check(st == 2 and "nonexistent" in out, "print: an unreadable file is "
          "named, exit 2", out)


def test_diff():
    st, out = run("diff", golden("q35-2g"), golden("q35-2g"))
    check(st == 0 and "no verdict changed" in out, "diff: a log against "
          "itself changes nothing", out[-300:])
    st, out = run("diff", golden("q35-2g"), golden("efi-lowref"))
    check(st == 1 and "changed efi.low_half: ok -> FAIL" in out
          and "finding efi.low_half [critical]" in out,
          "diff: a changed verdict and the new finding", out[-600:])
    st, out = run("diff", golden("q35-2g"), golden("uboot-slot"))
    check(st == 1 and "machine firmware.vendor: EDK II -> Das U-Boot" in out,
          "diff: the machine's changes are named", out[:400])
    st, out = run("diff", golden("q35-2g"), golden("q35-smp2"))
    check(st == 1 and "new     efi.variable.stress.get: ok" in out,
          "diff: a check that came is named", out[-400:])
    # A fault run: the command lines first, the finding whole, then the
    # consequences in a line per reason, not 75 "ok -> SKIP" lines.
    st, out = run("diff", golden("q35-2g"), golden("efi-fault"))
    lines = out.splitlines()
    check(st == 1 and lines[2] == 'command line: "exit=qemu" -> "exit=qemu '
          'test=efi-fault"' and lines[3].startswith("finding efi.fault") and
          re.search(r"\b\d\d+ checks ok -> SKIP: runtime services off: a "
                    "firmware fault", out)
          and len(lines) < 25, "diff: command lines, the finding, then the "
          "consequences grouped", out[:900])
    st, out = run("diff", golden("q35-2g"), golden("efi-linux"))
    check(st == 0 and 'command line: "exit=qemu" -> "exit=qemu efi=linux"'
          in out and "no verdict changed" in out,
          "diff: runs with other command lines say so, verdicts or not", out)


def svg_of(page):
    s = page[page.index("<svg"):page.index("</svg>") + 6]
    return ET.fromstring(s)


def test_html():
    ns = "{http://www.w3.org/2000/svg}"
    for name in ("q35-2g", "efi-linux", "strict-1to1", "strict-novamap",
                 "q35-1t", "uboot-slot", "efi-fault"):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "r.html")
            st, msg = run("html", golden(name), "-o", out)
            page = open(out).read() if st == 0 else ""
            try:
                root = svg_of(page)
            except (ValueError, ET.ParseError) as e:
                check(False, f"html {name}: the SVG parses", str(e) or msg)
                continue
            report = vamapreport.load(golden(name))
            drawn = {r.get("data-name") for r in root.iter(ns + "rect")
                     if r.get("data-kind") == "region"}
            want = {f"desc {g['desc']}" for g in report["regions"]}
            layout = [r for r in root.iter(ns + "rect")
                      if r.get("data-kind") == "layout"]
            perm = {"#7aa6d8", "#e05050", "#f0b040", "#b0b0b0"}
            check(not {r.get("fill") for r in layout} & perm,
                  f"html {name}: the layout's colours are none of the "
                  f"permissions'", str([r.get("fill") for r in layout]))
            check(want and drawn == want and len(layout) == 7
                  and "<h2>Verdicts</h2>" in page
                  and page.count("<tr class=") == len(report["checks"]),
                  f"html {name}: the SVG parses, draws the 7 layout regions "
                  f"and every runtime region ({len(want)}), the table every "
                  f"check", f"drawn {sorted(drawn)} want {sorted(want)}")


def test_html_pieces():
    """A region the attributes table split is drawn as mapped: one rect per
    piece, each in its permission's colour, never as one RWX block."""
    ns = "{http://www.w3.org/2000/svg}"
    log = ("== efi (efi=slot)\n"
           "efi: map: RuntimeCode  0x000000007f000000-0x000000007f003fff -> "
           "0xffffff7fff000000 RW+RX [RUN|WB] desc 7\n"
           "efi: map:   piece 0xffffff7fff000000-0xffffff7fff000fff RW\n"
           "efi: map:   piece 0xffffff7fff001000-0xffffff7fff002fff RX\n"
           "efi: map:   piece 0xffffff7fff003000-0xffffff7fff003fff RW\n"
           "KTAP version 1\nok 1 efi.wx # [high]\n1..1\n"
           "vamap: PASS (1 passed, 0 failed, 0 skipped, 0 waived)\n")
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "v.log"), os.path.join(d, "v.html")
        open(src, "w").write(log)
        st, msg = run("html", src, "-o", out)
        root = svg_of(open(out).read()) if st == 0 else None
        pieces = [r.get("fill") for r in root.iter(ns + "rect")
                  if r.get("data-kind") == "piece"] if root is not None else []
        check(pieces == ["#7aa6d8", "#f0b040", "#7aa6d8"],
              "html: a split region drawn piece by piece, RW and RX, no RWX",
              str(pieces) + msg)


def test_empty_and_json():
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "empty.log")
        open(log, "w").close()
        st, out = run("print", log)
        check(st == 0 and "no summary" in out, "print: an empty log says it "
              "has no summary", out)
        js = os.path.join(d, "r.json")
        with open(js, "w") as f:
            f.write('{"format": "vamap-results/3", "header": ["vamap 0.1, '
                    'command line \\"exit=qemu\\""], "machine": {"cpu": "x"}, '
                    '"summary": {"result": "FAIL", "passed": 1, "failed": 1, '
                    '"skipped": 0, "waived": 0}, "checks": [{"n": 1, "name": '
                    '"a", "status": "ok", "severity": "low", "note": ""}, '
                    '{"n": 2, "name": "b", "status": "not ok", "severity": '
                    '"high", "note": "bad", "details": ["efi: why"]}]}')
        st, out = run("print", js)
        check(st == 0 and "cpu:" in out and "FAIL b [high] bad" in out
              and "| efi: why" in out, "print: a saved JSON report", out)
        st, out = run("html", js, "-o", os.path.join(d, "j.html"))
        page = open(os.path.join(d, "j.html")).read() if st == 0 else ""
        check(st == 0 and "no runtime regions in this report" in page,
              "html: a JSON report has no layout, and says so", out)
        with open(js, "w") as f:
            f.write("{not json")
        st, out = run("print", js)
        check(st == 2, "print: a broken JSON file is named, exit 2", out)


def test_list():
    """list: every label the test boots print, each with the severity the
    kernel gave it, a clause where one is known, and what it asserts
    (docs/checks.md's row, the 'invalid_year … `_month`' shorthand
    expanded)."""
    st, out = run("list")
    lines = {l.split()[0]: l for l in out.splitlines()
             if l and not l.startswith("#")}
    check(st == 0 and len(lines) > 100 and "boot.complete" in lines
          and lines["efi.shared"].split()[1] == "critical"
          and "UEFI 2.10 8.3.2" in lines.get("efi.time.set.invalid_month", "")
          and "SetTime with that one field out of range" in
          lines.get("efi.time.set.invalid_month", "")
          and "# " in out and "checks; select with only=" in out,
          "list: every label, its severity, clause and what it asserts",
          out[:600])
    st, out = run("list", golden("efi-fault"))
    check(st == 0 and "efi.get_wakeup_time" in out and
          len([l for l in out.splitlines() if l and l[0] != "#"]) < 130,
          "list REPORT: the labels of that report", out[-300:])


test_print()
test_list()
test_diff()
test_html()
test_html_pieces()
test_empty_and_json()
done()
