#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make check (tools/check.py) and the report reader it shares with
tools/vamap-report (tools/vamapreport.py): the judgement on synthetic
boots (every path to FAIL, waivers, the JUnit file, the exit status),
then two real runs side by side: `make check` on a firmware build the
golden logs never saw (/usr/share/OVMF/OVMF_CODE.fd, the 2 MiB OVMF, with
its 128 KiB store), which must pass with a JUnit file, and U-Boot, whose
documented verdict (docs/u-boot.md: acpi.pm_timer fails on q35) must come
out, waived by a waivers file. Prints "ok - " / "not ok - " lines for
tests/host/run.sh."""
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr, redirect_stdout

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check as chk  # noqa: E402
import qemu  # noqa: E402
import vamapreport  # noqa: E402
from pycheck import check, done  # noqa: E402

WORKDIRS = []  # removed at the end, whatever happens


def test_ktap_lines():
    c = vamapreport.check_line("ok 5 boot.idt # [critical]")
    check(c["status"] == "ok" and c["severity"] == "critical" and not c["note"],
          "ktap: a passing check")
    c = vamapreport.check_line("not ok 18 efi.pointers # [critical] 4 bad")
    check(c["status"] == "not ok" and c["note"] == "4 bad", "ktap: a failure")
    c = vamapreport.check_line("ok 31 efi.x # SKIP [high] not here")
    check(c["status"] == "skip" and c["note"] == "not here", "ktap: a SKIP")
    c = vamapreport.check_line("not ok 18 efi.pointers # TODO waived: FW-1 "
                               "in XP memory [critical] 4 bad")
    check(c["status"] == "waived" and c["waiver"] == "FW-1 in XP memory"
          and c["note"] == "4 bad", "ktap: a waived failure")
    c = vamapreport.check_line("ok 3 old.format # SKIP no severity")
    check(c["status"] == "skip" and c["note"] == "no severity",
          "ktap: format 1 (no severity)")
    check(vamapreport.check_line("okay 3 x") is None, "ktap: not a check line")


def test_golden_logs():
    r = vamapreport.load(os.path.join(TOP, "tests", "golden", "q35-smp2.log"))
    n = int([l for l in open(os.path.join(TOP, "tests", "golden",
                                          "q35-smp2.log"))
             if l.startswith("1..")][0][3:])
    check(len(r["checks"]) == n and r["summary"]["result"] == "PASS",
          "report: every check of a golden log, and its summary",
          f"{len(r['checks'])} of {n}")
    r = vamapreport.load(os.path.join(TOP, "tests", "golden", "efi-lowref.log"))
    bad = vamapreport.failed(r)
    check(len(bad) == 2 and r["summary"]["result"] == "FAIL",
          "report: the failures of a FAIL log", str([c["name"] for c in bad]))
    r = vamapreport.load(os.path.join(TOP, "tests", "golden", "efi-fault.log"))
    fault = [c for c in vamapreport.failed(r) if c["name"] == "efi.fault"]
    wake = [c for c in r["checks"] if c["name"] == "efi.get_wakeup_time"]
    check(fault and any("firmware fault in GetWakeupTime" in d
                        for d in fault[0]["details"]) and
          wake and wake[0]["status"] == "skip" and
          "see efi.fault" in wake[0]["note"],
          "report: a firmware fault is efi.fault's failure, with the fault "
          "report's lines though they came long before (the service's own "
          "check a SKIP naming it)",
          str(wake[0]["details"] if wake else None))


def fake_report(name, checks, result="PASS", end="pass"):
    r = vamapreport.parse("KTAP version 1\n" + "\n".join(checks) + "\n"
                          + (f"vamap: {result} (1 passed, 0 failed, 0 "
                             f"skipped, 0 waived)\n" if result else ""))
    r.update(name=name, cmdline="exit=qemu", end=end, log="/dev/null",
             seconds=1.0)
    return r


def test_judge():
    ok = fake_report("slot", ["ok 1 a # [low]"])
    check(chk.judge_boot(ok)[0] == "ok", "check.boot: pass with a summary")
    early = fake_report("slot", ["ok 1 a # [low]"], result=None, end="fault")
    st, note, _ = chk.judge_boot(early)
    check(st == "not ok" and "fault" in note,
          "check.boot: a boot that ended before its summary fails", note)
    late = fake_report("slot", ["ok 1 a # [low]"], end="triple-fault")
    check(chk.judge_boot(late)[0] == "not ok",
          "check.boot: a triple fault after the summary fails")
    odd = fake_report("slot", ["ok 1 a # [low]"], result="PASS", end="fail")
    check(chk.judge_boot(odd)[0] == "not ok",
          "check.boot: a summary and an exit code that disagree fail")
    timeout = fake_report("slot", [], result=None, end="timeout")
    check(chk.judge_boot(timeout)[:3:2] == ("not ok", "critical"),
          "check.boot: a timeout fails, critical")
    check(chk.judge_boot(early)[2] == "critical",
          "check.boot: a run cut short is critical")
    never = fake_report("slot", [], result=None, end="not-started")
    never["serial"] = "/dev/null"
    st, note, sev = chk.judge_boot(never)
    check(st == "not ok" and sev == "high" and "never started" in note,
          "check.boot: a firmware that never starts vamap is high, not "
          "critical", f"{st} {sev} {note}")
    with tempfile.TemporaryDirectory() as d:
        err = os.path.join(d, "qemu.err")
        with open(err, "w") as f:
            f.write("qemu-system-x86_64: -m 99T: ram size too large\n")
        broke = fake_report("slot", [], result=None, end="status-1")
        broke.update(log=os.path.join(d, "none.log"),
                     serial=os.path.join(d, "none-serial.log"), qemu_err=err)
        st, note, sev = chk.judge_boot(broke)
        check(st == "skip" and "harness failed" in note and
              "ram size too large" in note,
              "check.boot: QEMU failing on its own is the harness's: a SKIP "
              "naming QEMU's message, no verdict on the firmware", note)
    w = [("check.boot", "known hang"), ("efi.time.*", "no RTC")]
    check(chk.waiver_for(w, "check.boot") == "known hang"
          and chk.waiver_for(w, "efi.time.set.x") == "no RTC"
          and chk.waiver_for(w, "efi.timex") is None,
          "waivers: exact labels and prefixes")
    c = chk.host_check("check.boot", "not ok", "x", w)
    check(c["status"] == "waived" and c["waiver"] == "known hang",
          "waivers: a host check's failure is waived")


def test_repeatable():
    """check.repeatable: the two efi=slot boots' verdicts compared, but
    for the checks that need an earlier run."""
    first = fake_report("slot", [
        "ok 1 efi.get_time # [high]",
        "ok 2 efi.variable.set.no_rt_at_runtime # [medium]",
        "ok 3 efi.monotonic.reset # SKIP [medium] no earlier run"])
    same = fake_report(chk.REBOOT, [
        "ok 1 efi.get_time # [high]",
        "ok 2 efi.variable.set.no_rt_at_runtime # [medium]",
        "ok 3 efi.monotonic.reset # [medium] 5 > 4"])
    st, note = chk.judge_repeat(first, same)
    check(st == "ok" and "the same 2 verdicts" in note,
          "check.repeatable: the same verdicts, efi.monotonic.reset aside",
          note)
    flaky = fake_report(chk.REBOOT, [
        "ok 1 efi.get_time # [high]",
        "not ok 2 efi.variable.set.no_rt_at_runtime # [medium] NOT_FOUND",
        "ok 3 efi.monotonic.reset # [medium] 5 > 4",
        "ok 4 efi.extra # [low]"])
    st, note = chk.judge_repeat(first, flaky)
    check(st == "not ok" and "2 verdicts changed" in note
          and "efi.variable.set.no_rt_at_runtime ok in slot, not ok in "
              "slot-2" in note and "efi.extra only in slot-2" in note,
          "check.repeatable: a verdict that changed, and one only in the "
          "second boot, named", note)
    cut = fake_report(chk.REBOOT, ["ok 1 efi.get_time # [high]"],
                      result=None, end="fault")
    check(chk.judge_repeat(first, cut)[0] == "skip",
          "check.repeatable: a boot without a summary is not compared")


def run_main(args, boot=None):
    """check.main() with these arguments (and @boot in place of QEMU):
    (status, stdout, stderr)."""
    real_boot, argv = chk.boot, sys.argv
    out, err = io.StringIO(), io.StringIO()
    chk.boot = boot or real_boot
    sys.argv = ["check.py"] + args
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = chk.main()
    finally:
        chk.boot, sys.argv = real_boot, argv
    return status, out.getvalue(), err.getvalue()


def test_main_synthetic():
    """check.main with the boots replaced: exit status, table, JSON and
    JUnit for a failure, a skip and a waiver."""
    boots = {
        "slot": ["ok 1 boot.idt # [critical]",
                 "not ok 2 efi.get_time # [high] month 13",
                 "ok 3 efi.svam # SKIP [critical] novamap"],
        "linux": ["ok 1 boot.idt # [critical]",
                  "not ok 2 efi.get_time # TODO waived: FW-9 [high] month 13"],
    }
    def fake(a, name, cmdline, fresh=True):
        if name == chk.REBOOT:
            return fake_report(name, boots["slot"], result="FAIL", end="fail")
        return fake_report(name, boots[name], result="FAIL", end="fail")

    with tempfile.TemporaryDirectory() as d:
        status, text, _ = run_main(["--modes", "slot,linux", "--workdir", d],
                                   fake)
        check(status == 1, "main: an unwaived failure exits 1", str(status))
        row = next((l.split() for l in text.splitlines()
                    if l.startswith("efi.get_time ")), [])
        check("FAIL slot: efi.get_time [high] month 13" in text
              and "FAIL linux:" not in text
              and row == ["efi.get_time", "FAIL", "waived", "FAIL"],
              "main: the table and the failures printed", text[:400])
        j = json.load(open(os.path.join(d, "results.json")))
        check(j["result"] == "FAIL" and [b["name"] for b in j["boots"]]
              == ["slot", "linux", "slot-2"], "main: results.json",
              str(j.get("result")))
        check("check: linux done in 1 s: FAIL (1 passed" in text,
              "main: a line per boot as it ends", text[:300])
        x = ET.parse(os.path.join(d, "junit.xml")).getroot()
        slot = x.find("testsuite[@name='ovmf/slot']")
        props = {p.get("name"): p.get("value")
                 for p in slot.iter("property")} if slot is not None else {}
        check(props.get("firmware") == "ovmf" and props.get("cmdline") ==
              "exit=qemu" and props.get("firmware.image") == qemu.OVMF_CODE,
              "main: JUnit suites named FIRMWARE/MODE, with the firmware "
              "as properties", str(props))
        times = {t.get("name"): t.get("time") for t in slot.iter("testcase")} \
            if slot is not None else {}
        check(times.get("check.boot") == "1.0" and times.get("boot.idt") == "0",
              "main: check.boot carries the boot's time, the others 0",
              str(times))
        check(slot is not None and slot.get("failures") == "1"
              and slot.get("skipped") == "1"
              and slot.find("testcase[@name='efi.get_time']/failure")
              is not None, "main: JUnit failure and skipped in their suite")
        linux = x.find("testsuite[@name='ovmf/linux']")
        check(linux is not None and linux.get("failures") == "0" and
              "waived: FW-9" in linux.find(
                  "testcase[@name='efi.get_time']/skipped").get("message"),
              "main: a waived failure is a JUnit skip, not a failure")
        flow = x.find("testsuite[@name='ovmf/slot-2']/testcase"
                      "[@name='check.results.flow']")
        check(flow is not None and flow.find("skipped") is not None,
              "main: the results flow is a SKIP when no report was kept")
    with tempfile.TemporaryDirectory() as d:
        status, _, err = run_main(["--firmware", "/nonexistent", "--workdir",
                                   d])
        check(status == 2 and "no such file" in err,
              "main: an unknown firmware is a usage error", err)


def junit_of(path):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None


def test_real_runs():
    """The OVMF build the golden logs never saw, and U-Boot, side by side."""
    work = tempfile.mkdtemp(prefix="vamap-check-")
    WORKDIRS.append(work)
    waivers = os.path.join(work, "waivers.txt")
    with open(waivers, "w") as f:
        f.write("acpi.pm_timer U-Boot on q35 names port 0x8 (docs/u-boot.md)\n"
                "efi.tables U-Boot's SetVirtualAddressMap leaves the System "
                "Table's CRC32 stale (docs/u-boot.md)\n"
                "efi.svam.location U-Boot's SetVirtualAddressMap lies in "
                "BootServicesCode (docs/u-boot.md)\n")
    ovmf = subprocess.Popen(
        ["make", "--no-print-directory", "-s", "check",
         "FIRMWARE=/usr/share/OVMF/OVMF_CODE.fd", "CHECK_TIMEOUT=150"],
        cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # U-Boot given by the path of its ROM, as a firmware engineer gives
    # their build: told from an OVMF image by its content, its disk wired
    # to q35's AHCI.
    uboot = subprocess.Popen(
        [sys.executable, os.path.join(TOP, "tools", "check.py"),
         "--firmware", qemu.UBOOT_ROM, "--modes", "slot", "--jobs", "1",
         "--workdir", os.path.join(work, "u-boot"), "--waivers", waivers,
         "--timeout", "150"],
        cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = ovmf.communicate(timeout=400)
    x = junit_of(os.path.join(TOP, "build", "check", "junit.xml"))
    check(ovmf.returncode == 0 and x is not None and len(x) == 6
          and x.get("failures") == "0" and int(x.get("tests")) > 500,
          "make check FIRMWARE=/usr/share/OVMF/OVMF_CODE.fd passes with a "
          "JUnit file of 6 boots", out[-1500:])
    j = json.load(open(os.path.join(TOP, "build", "check", "results.json")))
    flow = [c for b in j["boots"] for c in b["checks"]
            if c["name"] == "check.results.flow"]
    reset = [c for b in j["boots"] if b["name"] == "slot-2"
             for c in b["checks"] if c["name"] == "efi.monotonic.reset"]
    check(flow and flow[0]["status"] == "ok" and reset
          and reset[0]["status"] == "ok",
          "make check: the second boot wrote the first one's report and saw "
          "the monotonic count go up", str(flow) + str(reset))
    # The same run as a log, a saved .txt and a saved .json: one report.
    res = os.path.join(TOP, "build", "check", "results")
    saved = sorted(os.listdir(res)) if os.path.isdir(res) else []
    log1 = os.path.join(TOP, "build", "check", "slot", "vamap.log")
    log2 = os.path.join(TOP, "build", "check", "slot", "vamap-2.log")
    tool = [sys.executable, os.path.join(TOP, "tools", "vamap-report"), "diff"]
    outs = [subprocess.run(tool + [log1, os.path.join(res, f)],
                           capture_output=True, text=True) for f in saved]
    check(len(saved) == 2 and all(o.returncode == 0 and "no verdict changed"
                                  in o.stdout for o in outs),
          "vamap-report: a boot's log and its saved .txt and .json diff "
          "cleanly", str(saved) + "".join(o.stdout[-300:] for o in outs))
    o = subprocess.run(tool + [log1, log2], capture_output=True, text=True)
    check(o.returncode == 1 and "changed efi.monotonic.reset: SKIP -> ok"
          in o.stdout, "vamap-report: the second boot's one changed verdict "
          "(efi.monotonic.reset)", o.stdout[-600:])
    txt = [f for f in saved if f.endswith(".json")]
    j = json.load(open(os.path.join(res, txt[0]))) if txt else {}
    check(j.get("format") == "vamap-results/3"
          and j.get("machine", {}).get("system.product", "").startswith(
              "Standard PC (Q35") and "vamap.git" in j.get("machine", {}),
          "the saved JSON names the machine and vamap's revision",
          str(j.get("machine")))

    out, _ = uboot.communicate(timeout=400)
    x = junit_of(os.path.join(work, "u-boot", "junit.xml"))
    waived = [t.get("name") for t in x.iter("testcase")
              if t.find("skipped") is not None
              and t.find("skipped").get("message", "").startswith("waived")] \
        if x is not None else []
    check(uboot.returncode == 0 and
          sorted(waived) == ["acpi.pm_timer"] * 2 + ["efi.svam.location"]
          * 2 + ["efi.tables"] * 2,
          "check on U-Boot: its documented verdicts (acpi.pm_timer on q35, "
          "efi.svam.location, efi.tables after SVAM), waived, and nothing "
          "else fails",
          out[-1500:])
    check("check.results.flow" in out and "skip" in
          [l for l in out.splitlines() if l.startswith("check.results.flow")][0],
          "check on U-Boot: the results flow is a SKIP (no report kept)")


def test_not_started():
    """A firmware that never starts vamap (OVMF's #GP with -m 32M; here a
    flash of zeros): each boot stops once the firmware had --start-timeout
    to start it, and check.boot says so, with the serial console's last
    lines and where the logs are — not a quarter of an hour of silence."""
    work = tempfile.mkdtemp(prefix="vamap-check-dead-")
    WORKDIRS.append(work)
    dead = os.path.join(work, "dead.fd")
    with open(dead, "wb") as f:
        f.write(b"\0" * 0x28 + b"_FVH" + b"\0" * ((4 << 20) - 0x2c))
    p = subprocess.run(
        [sys.executable, os.path.join(TOP, "tools", "check.py"),
         "--firmware", dead, "--modes", "noruntime", "--jobs", "1",
         "--workdir", os.path.join(work, "c"), "--timeout", "120",
         "--start-timeout", "3"],
        cwd=TOP, capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and "check.boot [high] vamap never started: "
          "the firmware ran" in p.stdout and "logs: " in p.stdout,
          "check: a firmware that never starts vamap is named as such, "
          "quickly", p.stdout[-800:])


test_ktap_lines()
test_golden_logs()
test_judge()
test_repeatable()
test_main_synthetic()
test_not_started()
try:
    test_real_runs()
finally:
    for d in WORKDIRS:
        shutil.rmtree(d, ignore_errors=True)
done()
