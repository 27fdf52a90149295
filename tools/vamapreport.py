# SPDX-License-Identifier: MIT
"""Read vamap's reports: a log (the debug console or serial), a saved
report's TXT, or its JSON (docs/results-format.md), into one shape.

    report = load(path)   # or parse(text)
    report["checks"]      # [{"n", "name", "status", "severity", "note",
                          #   "waiver", "details"}], in KTAP order
    report["summary"]     # {"result", "passed", "failed", "skipped", "waived"}
    report["machine"]     # {"firmware": ..., "smbios.product": ...}
    report["regions"]     # the runtime regions with their VAs (logs only)

status is "ok", "not ok", "skip" or "waived", as in the JSON format.
Standard library only: tools/check.py and tools/vamap-report use it.
"""
import json
import re

KTAP_CHECK = re.compile(r"^(not ok|ok) (\d+) (\S+)(?: # (.*))?$")
DIRECTIVE = re.compile(r"^(?:(SKIP) |TODO waived: ([^\[\]]*?) )?"
                       r"\[(critical|high|medium|low)\](?: (.*))?$")
SUMMARY = re.compile(r"^vamap: (PASS|FAIL) \((\d+) passed, (\d+) failed, "
                     r"(\d+) skipped(?:, (\d+) waived)?\)")
# "machine: KEY  VALUE" lines (the log's == machine section, the report's
# header); see docs/results-format.md.
MACHINE = re.compile(r"^machine: (\S+) +(.*)$")
# "efi: map: RuntimeCode  0xPA-0xPAEND -> 0xVA RWX [RUN|WB] desc 114":
# each runtime region, its VA and its type's default permissions.
REGION = re.compile(r"^efi: map: +(\w+) +(0x[0-9a-f#]+)-(0x[0-9a-f#]+) +-> +"
                    r"(0x[0-9a-f#]+) +([\w+-]+) +\[([^\]]*)\] +desc +(\d+)$")
# A region whose permissions differ within it: one line per piece (VAs).
PIECE = re.compile(r"^efi: map: +piece +(0x[0-9a-f#]+)-(0x[0-9a-f#]+) +([\w-]+)$")


def check_line(line):
    """One KTAP result line as a check dict, or None."""
    m = KTAP_CHECK.match(line)
    if not m:
        return None
    status, n, name, rest = m.group(1), int(m.group(2)), m.group(3), m.group(4)
    c = {"n": n, "name": name, "status": status, "severity": "", "note": "",
         "waiver": "", "details": []}
    d = DIRECTIVE.match(rest or "")
    if d:
        if d.group(1):
            c["status"] = "skip"
        elif d.group(2) is not None:
            c["status"] = "waived"
            c["waiver"] = d.group(2)
        c["severity"] = d.group(3)
        c["note"] = d.group(4) or ""
    elif rest:
        if rest.startswith("SKIP"):
            c["status"] = "skip"
            rest = rest[4:].strip()
        c["note"] = rest
    return c


BOOT_SEPARATOR = re.compile(r"^--- boot \d+ \(\w+\) ---$")
STUB_BANNER = "stub: vamap EFI stub, command line"


def split_boots(text):
    """A log of several boots (a modes= sequence, a reboot, a boot test's
    sequence), one text per boot. Each boot has one stub banner ("stub:
    vamap EFI stub, command line ..."); it begins there, or at the stub's
    lines just before the banner (on U-Boot a LoadOptions line comes
    first), or at the boot tests' "--- boot N (how) ---" line before
    them. Text before the first boot stays with it; a log with no banner
    is one boot."""
    lines = text.splitlines(True)
    starts = []
    for k, line in enumerate(lines):
        if not line.startswith(STUB_BANNER):
            continue
        b = k
        floor = starts[-1] + 1 if starts else 0
        while b > floor and lines[b - 1].startswith("stub: ") \
                and not lines[b - 1].startswith(STUB_BANNER):
            b -= 1
        if b > floor and BOOT_SEPARATOR.match(lines[b - 1]):
            b -= 1
        starts.append(b)
    if len(starts) < 2:
        return [text]
    starts[0] = 0
    return ["".join(lines[a:b]) for a, b in zip(starts, starts[1:] +
                                                  [len(lines)])]


def last_run(text):
    """The last run of a log that reached the kernel, and how many boots
    the log holds. Each run is its own report; a modes= sequence's matrix
    is the stick's (make results)."""
    parts = split_boots(text)
    runs = [p for p in parts if "KTAP version 1" in p]
    return (runs[-1] if runs else parts[-1]), len(parts)


def parse(text):
    """A log or a saved TXT report (they share the KTAP lines); of a log
    of several boots, the last run that reached the kernel ("boots" says
    how many there were)."""
    text, boots = last_run(text)
    r = {"kind": "log", "header": [], "machine": {}, "checks": [],
         "summary": {}, "cmdline": "", "regions": [], "layout": [],
         "mode": "", "end": "", "boots": boots}
    in_ktap = False
    pending = []  # lines since the last check: a failed check's details
    for line in text.splitlines():
        if line.startswith("vamap ") and ", command line " in line:
            r["kind"] = "txt"
            r["header"].append(line)
            r["cmdline"] = line.split('command line "', 1)[1].rstrip('"')
        m = MACHINE.match(line)
        if m:
            r["machine"][m.group(1)] = m.group(2)
            continue
        if line.startswith("cmdline:") and not r["cmdline"]:
            q = re.search(r'"(.*)"', line)
            r["cmdline"] = q.group(1) if q else ""
        if line.startswith("== efi (efi="):
            r["mode"] = line[len("== efi (efi="):].rstrip(")")
        m = REGION.match(line)
        if m:
            r["regions"].append({"type": m.group(1), "pa": m.group(2),
                                 "pa_end": m.group(3), "va": m.group(4),
                                 "perm": m.group(5), "attrs": m.group(6),
                                 "desc": int(m.group(7)), "pieces": []})
        m = PIECE.match(line)
        if m and r["regions"]:
            r["regions"][-1]["pieces"].append(
                {"va": m.group(1), "va_end": m.group(2), "perm": m.group(3)})
        if line.startswith("layout: "):
            r["layout"].append(line[len("layout: "):])
        if line == "KTAP version 1":
            in_ktap = True
            pending = []
            continue
        c = check_line(line) if in_ktap else None
        if c:
            if c["status"] in ("not ok", "waived"):
                c["details"] = [p[2:] if p.startswith("# ") else p
                                for p in pending]
            pending = []
            r["checks"].append(c)
            continue
        s = SUMMARY.match(line)
        if s:
            r["summary"] = {"result": s.group(1), "passed": int(s.group(2)),
                            "failed": int(s.group(3)),
                            "skipped": int(s.group(4)),
                            "waived": int(s.group(5) or 0)}
            continue
        if in_ktap and line and not re.match(r"^1\.\.\d+$", line):
            pending.append(line)
            pending = pending[-12:]
    return r


def parse_json(text):
    j = json.loads(text)
    r = {"kind": "json", "header": j.get("header", []),
         "machine": j.get("machine", {}), "checks": [],
         "summary": j.get("summary", {}), "cmdline": "", "regions": [],
         "layout": [], "mode": "", "end": "", "format": j.get("format", "")}
    for h in r["header"]:
        if 'command line "' in h:
            r["cmdline"] = h.split('command line "', 1)[1].rstrip('"')
    for c in j.get("checks", []):
        r["checks"].append({"n": c.get("n", 0), "name": c.get("name", ""),
                            "status": c.get("status", ""),
                            "severity": c.get("severity", ""),
                            "note": c.get("note", ""),
                            "waiver": c.get("waiver", ""),
                            "details": c.get("details", [])})
    return r


def load(path):
    text = open(path, errors="replace").read()
    if text.lstrip().startswith("{"):
        return parse_json(text)
    return parse(text)


def failed(report):
    """The checks that fail the run (waived ones do not)."""
    return [c for c in report["checks"] if c["status"] == "not ok"]
