#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot tests: boot each configuration in QEMU+OVMF, mask what legitimately
varies in our own log, diff it against tests/golden/NAME.log and check the
exit code. One line per configuration, then "boot: N passed, N failed".

--update rewrites the golden logs instead of comparing (make golden); it
still refuses a configuration whose exit code is not the expected one.
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import re
import socket
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402
import varstore  # noqa: E402
from configs import KERNEL_BOOT_MASKS, configs  # noqa: E402

# What varies between runs of the same build, or between builds, and why.
# Everything else in the log must match the golden log exactly.
MASKS = [
    # General registers in a fault report hold whatever the build left
    # there: for people, not for the diff.
    (re.compile(r"^(  r(?:ax|dx|sp) .*)"),
     lambda m: re.sub(r"0x[0-9a-f]{16}", "0x################", m.group(1))),
    # ... and so do the arithmetic flags in RFLAGS at a kernel fault (the
    # compare before it): the kernel's exception report's rip line.
    (re.compile(r"^(  rip 0xffffffff8.* rflags )0x[0-9a-f]+$"), r"\g<1>0x#"),
    # Physical addresses (and small values printed the same way): placement
    # depends on the firmware, the image size and the RAM size.
    (re.compile(r"\b0x0000[0-9a-f]{12}\b"), "0x0000############"),
    # Addresses inside the kernel image (RIPs, the stack) move with every
    # build; the link base itself and layout constants do not.
    (re.compile(r"\b0xffffffff8(?!0000000\b)[0-9a-f]{7}\b"),
     "0xffffffff8#######"),
    # ... and so do offsets into its functions and their sizes (kernel
    # symbols in fault reports and panics, kernel/ksyms.c), and how many
    # frames a recursion fits in the boot stack.
    (re.compile(r"\(([\w.]+)\+0x[0-9a-f]+/0x[0-9a-f]+\)"), r"(\1+0x#/0x#)"),
    (re.compile(r"\(the frame above \d+ more times"),
     "(the frame above # more times"),
    # ... and so do offsets into it.
    (re.compile(r"(in vamap's kernel \w+ )\+0x[0-9a-f]+"), r"\1+0x#"),
    # vamap's own revision changes with every commit (its length does
    # not: "REV (clean)" or "REV (dirty)").
    (re.compile(r"^(machine: vamap\.git +)\S+ \((clean|dirty)\)$"),
     r"\1############ (#####)"),
    # The report's size follows every wording and every number in it (a
    # TSC count's digits, a new check): the variable count stays, the
    # bytes are masked; host tests check the report's content.
    (re.compile(r"(report kept in \d+ variables? \()\d+( bytes\))"),
     r"\g<1># bytes)"),
    (re.compile(r"(\.txt and \.json \()\d+( bytes\), variables deleted)"),
     r"\g<1>#\2"),
    # Image sizes change with every code change.
    (re.compile(r"(the kernel image alone, )\d+ pages"), r"\1# pages"),
    # ... and so do the image's page count and its data and bss under
    # efi.shared (a page gone from the text moved them in 86c4d90).
    (re.compile(r"(the kernel image's data and bss \()\d+( image pages)"),
     r"\1#\2"),
    (re.compile(r"(vamap's data and bss \()\d+ KiB"), r"\1# KiB"),
    # ... and so does where the kernel's page allocator starts in a
    # descriptor (the firmware places the image first), and so the
    # direct-map address of a page it hands out.
    (re.compile(r"( desc \d+ )\+0x[0-9a-f]+(, the kernel's memory)"),
     r"\1+0x#\2"),
    (re.compile(r"(direct-map address |cr2 )0xffff888[0-9a-f]{9}\b"),
     r"\g<1>0xffff888#########"),
    (re.compile(r"\bsize 0x[0-9a-f]+\b"), "size 0x#"),
    # The kernel image's sections grow and shrink with the code: in the
    # ptdump, their sizes (their ends are masked above).
    (re.compile(r"^(0xffffffff8[0-9a-f#]{7}-0xffffffff8[0-9a-f#]{7}) +"
                r"\d+[KMGT]"), r"\1 #"),
    # The variable store's free space follows every variable written
    # before, the reports of earlier boots of a sequence among them, whose
    # size follows their timings' digits (fault-results read 239428 where
    # its golden had 239424): the kernel checks the numbers against each
    # other (efi.variable.query.consistent), the golden logs not.
    (re.compile(r"(QueryVariableInfo: storage \d+ bytes, )\d+( remaining)"),
     r"\1#\2"),
    (re.compile(r"(variable created: remaining )\d+ -> \d+( bytes)"),
     r"\1# -> #\2"),
    # The firmware's real-time clock follows the host's.
    (re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\b"),
     "YYYY-MM-DD hh:mm:ss"),
    # Report file names are the firmware's time stamps.
    (re.compile(r"\b\d{8}-\d{6}\b"), "YYYYMMDD-hhmmss"),
    # SMIs (kernel/smi.c) follow the host too: a CPU whose thread the
    # host runs late enters SMM after the others and can pull the boot
    # CPU in once more (EDK2's SMM rendezvous, docs/decisions.md). The services
    # counted and their calls stay; the SMI counts are masked.
    (re.compile(r"(MSR 0x34: )\d+( SMIs on the boot CPU)"), r"\1#\2"),
    (re.compile(r"^(efi: SMIs/calls per service .*)"),
     lambda m: re.sub(r" \d+/", " #/", m.group(1))),
    (re.compile(r"^(# SMIs in runtime calls: )(?:none|\d+) in (\d+ calls)"
                r"(?:, at most \d+ in one call(?: \(first in \w+\))?)?$"),
     r"\1# in \2"),
    (re.compile(r"(SMIs in the two calls: )\d+ and \d+"), r"\1# and #"),
    # Times and the TSC rate depend on the host.
    # (with the padding before them: they are right-aligned, so a time
    # that gains a digit would otherwise shift the line).
    (re.compile(r" +\d+\.\d{3} ms\b"), " #.### ms"),
    (re.compile(r"\b\d+ kHz\b"), "# kHz"),
    # The sizes of the regions the stub allocates from, and of the free
    # memory around them, shift with the image size.
    (re.compile(r"^(mem\d+ (?:Conventional|LoaderCode|LoaderData) +"
                r"0x[0-9a-f#]+-0x[0-9a-f#]+) +\d+[KMGT]"), r"\1 #"),
]


GOLDEN_DIR = os.path.join(TOP, "tests", "golden")


def mask(text, extra=()):
    # A configuration's rule whose pattern spans lines ("\\n" in it) is
    # applied to the whole log first; the others line by line.
    for rx, rep in extra:
        if "\\n" in rx:
            text = re.sub(rx, rep, text, flags=re.M)
    rules = MASKS + [(re.compile(rx), rep) for rx, rep in extra
                     if "\\n" not in rx]
    out = []
    for line in text.splitlines():
        for rx, rep in rules:
            line = rx.sub(rep, line)
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def size_of(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_log(path):
    try:
        return open(path, errors="replace").read()
    except OSError:
        return ""


def waivers_file(cfg, work):
    """The configuration's waivers text as a file for the boot volume."""
    if cfg["waivers"] is None:
        return None
    path = os.path.join(work, "waivers.txt")
    with open(path, "w") as f:
        f.write(cfg["waivers"])
    return path


# What a run of vamap may change in OVMF's variable store, and why: its
# own report; the firmware's monotonic counter (EDK2 raises "MTC" at every
# boot and at every GetNextHighMonotonicCount, UEFI 2.10 8.5.2 wants it
# persistent); OVMF's own record of the wake-up time (SetWakeupTime
# writes "RTCALARM", even to disarm; docs/checks.md).
VARS_MAY_CHANGE = re.compile(
    r"^(added|changed) (76616d61-7000-4c5e-9b1d-52545356414d VamapResults\d+"
    r"|eb704011-1402-11d3-8e77-00a0c969723b MTC"
    r"|378d7b65-8da9-4773-b6e4-a47826a833e1 RTCALARM)$")


def boot_vars_unchanged(cfg, work):
    """A boot that uses no runtime service lets OVMF settle its store,
    then the real boot runs on that store; every variable it changes
    beyond VARS_MAY_CHANGE is a problem."""
    settle = dict(cfg, cmdline="exit=qemu efi=noruntime results=off")
    st, _, detail, t0 = run_qemu(settle, work, tag="settle")
    if st != "pass":
        return st, "", "settling boot: " + (detail or st), t0
    before = varstore.variables(os.path.join(work, "OVMF_VARS.fd"))
    st, log, detail, t = run_qemu(cfg, work, fresh=False)
    after = varstore.variables(os.path.join(work, "OVMF_VARS.fd"))
    extra = [c for c in varstore.changes(before, after)
             if not VARS_MAY_CHANGE.match(c)]
    if extra and not detail:
        detail = "results: the run changed the variable store: " + \
            "; ".join(extra)
    return st, log, detail, t0 + t


def boot(cfg, workroot):
    """Run one configuration: (status, masked log, detail, seconds)."""
    work = os.path.join(workroot, cfg["name"])
    if cfg["vars_unchanged"]:
        return boot_vars_unchanged(cfg, work)
    if not cfg["sequence"]:
        return run_qemu(cfg, work)
    # Several boots on one VARS file and one stick.
    logs, total = [], 0.0
    images = {"usb": "build/vamap-test.img", "kernel": "build/vamap.efi"}
    stick = os.path.join(work, "stick.img")
    if os.path.exists(stick):  # a fresh stick even when boot 1 is not "usb"
        os.remove(stick)
    for i, method in enumerate(cfg["sequence"]):
        c = dict(cfg, boot=method, efi=images[method])
        want = (cfg["sequence_expect"] or [cfg["expect"]] * len(cfg["sequence"]))[i]
        st, log, detail, t = run_qemu(c, work, tag=str(i + 1), fresh=i == 0)
        total += t
        logs.append(f"--- boot {i + 1} ({method}) ---\n" + log)
        if st != want:
            return st, "".join(logs), f"boot {i + 1}: " + (detail or st), total
    return (cfg["expect"], "".join(logs),
            check_results_file(work, cfg["sequence_expect"][:1] == ("fault",)),
            total)


# The lines a saved report must repeat from the run's log.
KTAP_LINE = re.compile(r"(KTAP version 1|(not )?ok \d+ |1\.\.\d+$|vamap: (PASS|FAIL))")


def check_results_file(work, fault=False):
    """The report the stub wrote in the second boot must be the first
    boot's KTAP lines, as text and as JSON; after a @fault, also the
    exception report as KTAP diagnostics. Returns a problem or ""."""
    files = qemu.results_on_disk(os.path.join(work, "stick.img"))
    if len(files) != 1:
        return (f"results: expected one .txt on the stick, found "
                f"{sorted(files)}")
    stem, got = next(iter(files.items()))
    for ext in (".txt", ".json"):
        if got[ext] is None:
            return f"results: cannot read {stem + ext}"
    first = read_log(os.path.join(work, "debug-1.log")).splitlines()
    start = first.index("KTAP version 1") if "KTAP version 1" in first else 0
    want = [l for l in first[start:] if KTAP_LINE.match(l)]
    have = got[".txt"].splitlines()
    ktap = [l for l in have if KTAP_LINE.match(l)]
    if fault and not any(l.startswith("# EXCEPTION") for l in have):
        return "results: the .txt lacks the fault report"
    # Each console line the report carries is a whole line of the log.
    diag = have[have.index(next(l for l in have if l.startswith("# the run "
                                                              "ended early"))) + 1:] \
        if fault else []
    torn = [l for l in diag if l.startswith("# ") and l[2:] not in first]
    if torn:
        return f"results: the .txt's console lines are not the log's: {torn[0]!r}"
    if ktap[-len(want):] != want or not have[0].startswith("vamap "):
        return "results: the .txt is not the first boot's KTAP lines"
    try:
        j = json.loads(got[".json"])
    except ValueError as e:
        return f"results: the .json does not parse: {e}"
    plan = int(want[-2][3:])
    if len(j["checks"]) != plan or j["summary"]["result"] not in want[-1]:
        return "results: the .json disagrees with the first boot"
    return ""


def monitor(sock_path, command):
    """One HMP command on QEMU's monitor socket."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(sock_path)
    s.sendall(command.encode() + b"\n")
    time.sleep(0.5)
    s.close()


def take_screendump(work, p):
    """Ask QEMU for a screendump, wait for the file, then end QEMU."""
    mon = os.path.join(work, "monitor.sock")
    ppm = os.path.join(work, "screen.ppm")
    if os.path.exists(ppm):
        os.unlink(ppm)
    monitor(mon, f"screendump {ppm}")
    for _ in range(100):
        if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    monitor(mon, "quit")
    p.wait(timeout=20)


def read_ppm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][: w * h * 3]


def check_framebuffer(work, log):
    """Draw the kernel's log with its own fbcon code on the host and compare
    with QEMU's screendump. Returns a problem or ""."""
    m = re.search(r"^framebuffer: +(\d+)x(\d+) stride (\d+)", log, re.M)
    start = log.find("vamap 0.1:")
    if not m or start < 0:
        return "framebuffer: no framebuffer in the log"
    text = os.path.join(work, "fbtext.txt")
    want = os.path.join(work, "expected.ppm")
    with open(text, "w") as f:
        f.write(log[start:])
    r = subprocess.run([os.path.join(TOP, "build", "host", "fbrender"),
                        m.group(1), m.group(2), m.group(3), text, want])
    if r.returncode:
        return "framebuffer: the host rendering failed"
    try:
        gw, gh, got = read_ppm(os.path.join(work, "screen.ppm"))
    except (OSError, ValueError, IndexError):
        return "framebuffer: no screendump"
    ww, wh, exp = read_ppm(want)
    if (gw, gh) != (ww, wh):
        return f"framebuffer: screen {gw}x{gh}, log says {ww}x{wh}"
    bad = sum(1 for i in range(0, len(exp), 3) if got[i:i + 3] != exp[i:i + 3])
    if bad:
        return (f"framebuffer: {bad} of {ww * wh} pixels differ from the host "
                f"rendering (expected.ppm, screen.ppm)")
    return ""


def run_qemu(cfg, work, tag="", fresh=True):
    """One QEMU run in @work; logs debug[-TAG].log and serial[-TAG].log."""
    if cfg["boot"] == "kernel":
        cfg = dict(cfg, masks=tuple(cfg["masks"]) + KERNEL_BOOT_MASKS)
    os.makedirs(work, exist_ok=True)
    suffix = "-" + tag if tag else ""
    dbg = os.path.join(work, f"debug{suffix}.log")
    ser = os.path.join(work, f"serial{suffix}.log")
    for f in (dbg, ser):
        if os.path.exists(f):
            os.unlink(f)
    argv = qemu.argv(os.path.join(TOP, cfg["efi"]), work, cfg["machine"],
                     cfg["mem"], cfg["smp"], cfg["boot"], cfg["cmdline"],
                     cpu=cfg["cpu"], extra=cfg["extra"],
                     serial=f"file:{ser}", debugcon=dbg,
                     secure_boot=cfg["secure_boot"], fresh_vars=fresh,
                     fresh_disk=fresh, firmware=cfg["firmware"],
                     # 32-bit firmware loads the zoo built 32-bit.
                     drivers=[os.path.join(
                         TOP, "build", "zoo32" if cfg["firmware"] ==
                         "ovmf-ia32" else "zoo", d + ".efi")
                         for d in cfg["drivers"]],
                     waivers=waivers_file(cfg, work),
                     stick_cmdline=cfg["stick_cmdline"],
                     reboot=bool(cfg["stick_cmdline"]) or cfg["reboot"])
    if cfg["screendump"] or cfg["keypress_on"]:
        argv += ["-monitor",
                 f"unix:{os.path.join(work, 'monitor.sock')},server=on,wait=off"]
    keypress = re.compile(cfg["keypress_on"]) if cfg["keypress_on"] else None
    refused = re.compile(cfg["refused_when"]) if cfg["refused_when"] else None
    with open(os.path.join(work, "qemu.cmd"), "w") as f:
        f.write(" ".join(argv) + "\n")
    start = last_change = time.monotonic()
    last_size = -1
    halted_at = None
    detail = ""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(work, "qemu.err"), "w"))
    while p.poll() is None:
        time.sleep(0.2)
        now = time.monotonic()
        size = size_of(dbg) + size_of(ser)
        if size != last_size:
            last_size, last_change = size, now
            if cfg["screendump"] and "vamap: halted" in read_log(dbg):
                take_screendump(work, p)
                log = read_log(dbg)
                problem = check_framebuffer(work, log)
                return ("screendump", mask(log, cfg["masks"]), problem,
                        time.monotonic() - start)
            if (cfg["halt_quiet"] and halted_at is None
                    and "vamap: halted" in read_log(dbg)):
                halted_at = now
            if keypress and keypress.search(read_log(ser)):
                keypress = None
                monitor(os.path.join(work, "monitor.sock"), "sendkey spc")
            if refused and refused.search(
                    open(ser, errors="replace").read()):
                p.kill()
                p.wait()
                return ("refused", mask(read_log(dbg), cfg["masks"]), "",
                        now - start)
        if halted_at is not None and now - halted_at > cfg["halt_quiet"]:
            p.kill()
            p.wait()
            log = read_log(dbg)
            after = log.split("vamap: halted\n", 1)[1]
            problem = (f"halt: {len(after.splitlines())} line(s) after "
                       f"'vamap: halted'" if after.strip() else "")
            masked = mask(log, cfg["masks"])
            with open(os.path.join(work, f"masked{suffix}.log"), "w") as f:
                f.write(masked)
            return ("halted", masked, problem, now - start)
        if now - start > cfg["timeout"]:
            detail = f"timeout: still running after {cfg['timeout']} s"
        elif now - last_change > cfg["silence"]:
            detail = f"timeout: no output for {cfg['silence']} s"
        if detail:
            p.kill()
            p.wait()
            break
    elapsed = time.monotonic() - start
    status = "timeout" if detail else qemu.exit_name(p.returncode, work)
    masked = mask(read_log(dbg), cfg["masks"])
    with open(os.path.join(work, f"masked{suffix}.log"), "w") as f:
        f.write(masked)
    return status, masked, detail, elapsed


def judge(cfg, result, update):
    status, masked, detail, elapsed = result
    golden = os.path.join(GOLDEN_DIR, cfg["name"] + ".log")
    problems = []
    if detail.startswith(("results:", "framebuffer:", "halt:")):
        problems.append(detail)
    if status != cfg["expect"]:
        problems.append(f"exit {status}, expected {cfg['expect']}"
                        + (f" ({detail})" if detail else ""))
    # Every zoo driver the config names started: one the stub left out
    # (BOOT_DRIVERS_MAX) takes its finding with it, silently.
    for d in cfg["drivers"]:
        if f"stub: driver {d}.efi: started" not in masked:
            problems.append(f"zoo driver {d} did not start")
    diff = []
    if update and not problems:
        try:
            old = open(golden).read()
        except OSError:
            old = None
        if old != masked:
            with open(golden, "w") as f:
                f.write(masked)
            # What changed, for the commit message (make golden).
            diff = list(difflib.unified_diff(
                (old or "").splitlines(), masked.splitlines(),
                "golden/" + cfg["name"] + ".log", "this boot", lineterm="",
                n=0))
            if old is None:
                diff = ["(a new golden log)"]
    else:
        try:
            want = open(golden).read()
        except OSError:
            want = ""
            problems.append(f"no golden log {os.path.relpath(golden, TOP)}"
                            " (make golden)")
        if want and want != masked:
            diff = list(difflib.unified_diff(
                want.splitlines(), masked.splitlines(),
                "golden/" + cfg["name"] + ".log", "this boot", lineterm="",
                n=2))
            problems.append("log differs from the golden log")
    return problems, diff, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                    help="boots at once (default: one per core)")
    ap.add_argument("--update", action="store_true",
                    help="rewrite the golden logs (make golden)")
    ap.add_argument("--summary", help="write 'passed failed' to this file")
    ap.add_argument("--workdir", default=os.path.join(TOP, "build", "boot"))
    ap.add_argument("--golden", help="the golden logs' folder (default "
                    "tests/golden; the runner's own test uses another)")
    ap.add_argument("only", nargs="*", help="configuration names to run")
    a = ap.parse_args()

    global GOLDEN_DIR
    if a.golden:
        GOLDEN_DIR = os.path.abspath(a.golden)
    cfgs = [c for c in configs() if not a.only or c["name"] in a.only]
    unknown = set(a.only) - {c["name"] for c in cfgs}
    if unknown:
        sys.exit("boot: unknown configuration " + ", ".join(sorted(unknown)))
    passed = failed = 0
    failures, changed = [], []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futs = {pool.submit(boot, c, a.workdir): c for c in cfgs}
        for fut in concurrent.futures.as_completed(futs):
            cfg = futs[fut]
            name = cfg["name"]
            problems, diff, elapsed = judge(cfg, fut.result(), a.update)
            if problems:
                failed += 1
                print(f"FAIL {name:<16} {elapsed:5.1f} s  "
                      + "; ".join(problems))
                for line in diff[:60]:
                    print("     " + line)
                if len(diff) > 60:
                    print(f"     ... {len(diff) - 60} more diff lines")
                rerun = f"make boot-test BOOT_ARGS={name}"
                print(f"     logs: {os.path.relpath(a.workdir, TOP)}/{name}/")
                print(f"     re-run: {rerun}")
                if not a.update and "log differs from the golden log" in \
                        problems:
                    print(f"     accept this log as the new golden one "
                          f"(say why in the commit): make golden "
                          f"BOOT_ARGS={name}")
                failures.append(f"boot: {name}: re-run with {rerun}")
            else:
                passed += 1
                if a.update and diff:
                    changed.append(name)
                    body = [l for l in diff if l[:3] not in ("+++", "---")]
                    print(f"UPDATED {name:<16} {elapsed:5.1f} s  " + (
                        "a new golden log" if diff == ["(a new golden log)"]
                        else f"+{sum(l[:1] == '+' for l in body)} "
                        f"-{sum(l[:1] == '-' for l in body)} lines:"))
                    for line in diff[:40]:
                        print("     " + line)
                    if len(diff) > 40:
                        print(f"     ... {len(diff) - 40} more diff lines")
                elif not a.update:
                    print(f"ok   {name:<16} {elapsed:5.1f} s")
            sys.stdout.flush()
    print(f"boot: {passed} passed, {failed} failed")
    if a.update:
        print(f"golden: {len(changed)} golden log(s) changed"
              + (": " + " ".join(sorted(changed)) if changed else
                 ", the others are the same"))
    if a.summary:
        with open(a.summary, "w") as f:
            f.write(f"{passed} {failed}\n" + "".join(l + "\n"
                                                     for l in failures))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
