#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make run`'s guard rails (tools/qemu.py run and the Makefile): how a run
is judged from QEMU's exit and vamap's log, firmware presets and paths,
CMDLINE appended to the defaults, a firmware that dies and a run that
never ends each stopping by themselves with a non-zero status. Prints
"ok - " / "not ok - " lines for tests/host/run.sh."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
from pycheck import check, done  # noqa: E402



def judged(status, log_text, timed_out=False, reset_log="CPU Reset\n"):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "vamap.log")
        with open(log, "w") as f:
            f.write(log_text)
        with open(os.path.join(d, qemu.RESET_LOG), "w") as f:
            f.write(reset_log)
        return qemu.judge(status, d, log, timed_out)


def test_judge():
    passed = "KTAP version 1\nvamap: PASS (3 passed, 0 failed)\n"
    failed_run = "KTAP version 1\nvamap: FAIL (2 passed, 1 failed)\n"
    check(judged(33, passed)[0] == 0, "exit=qemu, PASS: 0")
    check(judged(35, failed_run)[0] == 1, "exit=qemu, FAIL: 1")
    check(judged(0, failed_run) == (1, "shutdown-or-reset, vamap said FAIL"),
          "a FAIL run that ends in a reset: 1", str(judged(0, failed_run)))
    check(judged(0, passed)[0] == 0, "a PASS run that ends in a reset: 0")
    check(judged(0, "stub: vamap EFI stub\n", reset_log="Triple fault\n")
          == (1, "triple-fault, before vamap's summary"),
          "a triple fault is named and fails")
    check(judged(37, "KTAP version 1\n")[0] == 1, "a fault: 1")
    check(judged(-9, "", timed_out=True) == (3, "timeout"),
          "a timeout: 3, named")
    check(judged(-9, failed_run, timed_out=True)[0] == 1,
          "a timeout after FAIL still says FAIL")


def test_firmware():
    check(qemu.firmware_files("ovmf")[1] == qemu.OVMF_CODE, "preset ovmf")
    kind, code, vars_file, sb = qemu.firmware_files("ovmf-secboot")
    check(sb and code.endswith("OVMF_CODE_4M.secboot.fd") and
          vars_file.endswith("OVMF_VARS_4M.snakeoil.fd"),
          "preset ovmf-secboot")
    # The 2025 presets point into build/firmware (make firmware); without
    # it, the one line names what to run.
    real = qemu.FIRMWARE_DIR
    with tempfile.TemporaryDirectory() as d:
        for name, p in qemu.PRESETS.items():
            if p.fetched:
                qemu.PRESETS[name] = qemu.Preset(
                    p.kind, p.code.replace(real, d),
                    p.vars and p.vars.replace(real, d), p.secure_boot,
                    fetched=True)
        try:
            qemu.firmware_files("ovmf-2025-strictnx")
            check(False, "a 2025 preset not fetched: refused")
        except ValueError as e:
            check("make firmware" in str(e) and "strictnx" in str(e),
                  "a 2025 preset not fetched: refused, naming make firmware",
                  str(e))
    import importlib
    importlib.reload(qemu)
    if os.path.exists(qemu.PRESETS["ovmf-2025"].code):
        kind, code, vars_file, sb = qemu.firmware_files("ovmf-2025-strictnx")
        check(kind == "ovmf" and sb and "strictnx" in code and
              vars_file.endswith("OVMF_VARS_4M.snakeoil.fd"),
              "preset ovmf-2025-strictnx: SMM build, snakeoil store")
        check(qemu.firmware_kind(qemu.PRESETS["u-boot-2025"].code) ==
              "u-boot", "preset u-boot-2025 is a U-Boot ROM")
    check(qemu.firmware_files("u-boot")[0] == "u-boot", "preset u-boot")
    path = "/usr/share/OVMF/OVMF_CODE.fd"
    if os.path.exists(path):
        check(qemu.firmware_files(path)[1:3] ==
              (path, "/usr/share/OVMF/OVMF_VARS.fd"),
              "a code image path takes its own VARS sibling (the 2 MiB "
              "build's 128 KiB store)")
    with tempfile.TemporaryDirectory() as d:
        mine = os.path.join(d, "my-firmware.fd")
        with open(mine, "wb") as f:  # a firmware volume header's signature
            f.write(b"\0" * 0x28 + b"_FVH" + b"\0" * 0x100)
        check(qemu.firmware_files(mine)[2] == qemu.OVMF_VARS,
              "a code image without a VARS sibling: Debian's store")
        check(qemu.firmware_files(mine, "/x/v.fd")[2] == "/x/v.fd",
              "FIRMWARE_VARS= wins")
        rom = os.path.join(d, "u-boot.rom")
        with open(rom, "wb") as f:
            f.write(b"\xff" * 4096 + b"U-Boot 2025.01 (Jan 07 2025)" + b"\0" * 64)
        kind, code, vars_file, _ = qemu.firmware_files(rom)
        efi = os.path.join(d, "x.efi")
        open(efi, "wb").close()
        a = qemu.argv(efi, os.path.join(d, "w"), cmdline="exit=qemu",
                      firmware=rom)
        check(kind == "u-boot" and code == rom and vars_file is None and
              a[a.index("-bios") + 1] == rom and "ide-hd,drive=esp,bus=ide.0"
              in a, "a U-Boot ROM by path boots as U-Boot, its disk on q35's "
              "AHCI", " ".join(a))
        junk = os.path.join(d, "notes.txt")
        with open(junk, "w") as f:
            f.write("not a firmware\n")
        try:
            qemu.firmware_files(junk)
            check(False, "a file that is no firmware is refused")
        except ValueError as e:
            check("neither an OVMF-style code image" in str(e),
                  "a file that is no firmware is refused", str(e))
    if os.path.exists(qemu.UBOOT_ROM):
        check(qemu.firmware_kind(qemu.UBOOT_ROM) == "u-boot" and
              qemu.firmware_kind(qemu.OVMF_CODE) == "ovmf",
              "Debian's U-Boot ROM and OVMF code image told apart")
    try:
        qemu.firmware_files("/nonexistent/OVMF.fd")
        check(False, "a missing firmware file is refused")
    except ValueError as e:
        check("no such file" in str(e), "a missing firmware file is refused")


def make_n(*args):
    return subprocess.run(["make", "-n", "-C", TOP, "--no-print-directory"]
                          + list(args), capture_output=True,
                          text=True).stdout


def test_makefile():
    out = make_n("run", "CMDLINE=verbose")
    check('--cmdline "exit=qemu verbose"' in out,
          "CMDLINE is appended to exit=qemu", out[-300:])
    check("--timeout 600" in out and "build/run/vamap.log" in out,
          "make run has a timeout and keeps its log")
    out = make_n("run", "FIRMWARE=u-boot", "TIMEOUT=30")
    check("--firmware u-boot" in out and "--timeout 30" in out,
          "FIRMWARE= and TIMEOUT= reach tools/qemu.py")
    out = make_n("run", "FIRMWARE=ovmf-secboot")
    check("--efi build/vamap-snakeoil.efi" in out
          and "--firmware ovmf-secboot" in out,
          "make run FIRMWARE=ovmf-secboot boots the signed build", out[-300:])
    out = make_n("check", "FIRMWARE=ovmf-secboot")
    check("--efi build/vamap-snakeoil.efi" in out,
          "make check FIRMWARE=ovmf-secboot checks the signed build",
          out[-300:])
    check("--efi build/vamap.efi" in make_n("run"),
          "make run boots the unsigned build on plain OVMF")
    out = make_n("run", "CHECKS=efi.variable,efi.time.*",
                 "SKIP_CHECKS=*.null_*", "FAIL_ON=high")
    check('"exit=qemu only=efi.variable,efi.time.* skip=*.null_* fail-on=high"'
          in out, "CHECKS=, SKIP_CHECKS=, FAIL_ON= reach vamap's command line",
          out[-300:])
    out = make_n("check", "CHECKS=efi.time", "CMDLINE=verbose")
    check('--cmdline "verbose only=efi.time"' in out,
          "make check: CHECKS= with CMDLINE=", out[-300:])
    out = make_n("run-usb", "KEEP=1")
    check("--keep" in out, "make run-usb KEEP=1 keeps the stick and store")
    check("--stall-vcpus 0.5:3" in make_n("run", "STALL=0.5:3"),
          "make run STALL= reaches tools/qemu.py")
    # make help names every phony target and every ?= variable.
    mk = open(os.path.join(TOP, "Makefile")).read()
    phony = set()
    for m in re.finditer(r"^\.PHONY:((?:.*\\\n)*.*)$", mk, re.M):
        phony |= set(m.group(1).replace("\\\n", " ").split())
    phony.discard("FORCE")
    variables = set(re.findall(r"^(\w+) +\?=", mk, re.M))
    helptext = subprocess.run(["make", "-s", "-C", TOP, "help"],
                              capture_output=True, text=True).stdout
    missing = sorted(t for t in phony if f"make {t}" not in helptext
                     and not (t == "all" and "  make  " in helptext)) + \
        sorted(v for v in variables if v + "=" not in helptext)
    check(not missing, "make help lists every target and variable",
          str(missing))


def run(*args, timeout=60):
    p = subprocess.run([sys.executable, os.path.join(TOP, "tools", "qemu.py"),
                        "run", "--efi", os.path.join(TOP, "build",
                                                     "vamap.efi")]
                       + list(args), stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stderr


def test_bad_inputs():
    # A missing waivers file or driver, an unknown ZOO= name: one line,
    # status 2, no traceback, QEMU never starts.
    with tempfile.TemporaryDirectory() as d:
        code, err = run("--waivers", os.path.join(d, "none.txt"),
                        "--workdir", d)
        check(code == 2 and "no such file: the waivers file" in err
              and "Traceback" not in err,
              "a missing WAIVERS= file: one line, status 2", err[-200:])
        code, err = run("--driver", os.path.join(d, "none.efi"),
                        "--workdir", d)
        check(code == 2 and "no such file: the driver" in err
              and "Traceback" not in err,
              "a missing driver: one line, status 2", err[-200:])
    p = subprocess.run(["make", "-s", "-C", TOP, "run", "ZOO=nope"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "no zoo driver named nope" in p.stderr
          and "Traceback" not in p.stderr,
          "an unknown ZOO= name: one line, status 2", p.stderr[-200:])
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run([sys.executable, os.path.join(TOP, "tools",
                                                         "check.py"),
                            "--waivers", os.path.join(d, "none.txt"),
                            "--workdir", d], capture_output=True, text=True)
    check(p.returncode == 2 and "no such file: the waivers file" in p.stderr
          and "Traceback" not in p.stderr,
          "make check with a missing WAIVERS= file: one line, status 2",
          p.stderr[-200:])


def test_cmdline():
    qemu.check_cmdline("exit=qemu " + "x" * 1013)
    check(True, "a 1,023-byte command line is taken")
    for bad, what, name in (("x" * 1024, "1024 bytes", "a 1,024-byte "
                             "command line is refused on the host"),
                            ("efi=slot \udcff", "not printable ASCII",
                             "raw bytes are refused, not a crash"),
                            ("a\tb", "not printable ASCII",
                             "a control character is refused")):
        try:
            qemu.check_cmdline(bad)
            check(False, name)
        except ValueError as e:
            check(what in str(e), name, str(e))
    # The same through make: a clear line and status 2, QEMU never starts.
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run([sys.executable, os.path.join(TOP, "tools",
                                                         "qemu.py"),
                            "run", "--efi", "build/vamap.efi", "--cmdline",
                            "x" * 2000, "--workdir", d],
                           capture_output=True, text=True, cwd=TOP)
    check(p.returncode != 0 and "at most 1023" in p.stderr,
          "qemu.py refuses a too-long command line before booting",
          p.stderr[-200:])


def test_build_config():
    """A build records DEBUG and SMP; a change rewrites the record (so
    every kernel object rebuilds), the same values leave it alone."""
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "gen", "config")
        mk = lambda *a: subprocess.run(["make", "-s", "-C", TOP, f"BUILD={d}",
                                        cfg] + list(a), capture_output=True)
        mk("DEBUG=1")
        first = open(cfg).read()
        os.utime(cfg, (1, 1))
        mk("DEBUG=1")
        check(os.path.getmtime(cfg) == 1, "the same DEBUG= and SMP= leave "
              "the build record alone")
        mk("DEBUG=0", "SMP=0")
        check(open(cfg).read() == "DEBUG=0 SMP=0\n" and first ==
              "DEBUG=1 SMP=1\n", "another DEBUG= or SMP= rewrites it",
              first + open(cfg).read())
    db = subprocess.run(["make", "-pn", "-C", TOP, "--no-print-directory",
                         "help"], capture_output=True, text=True).stdout
    check("build/kernel-obj/%.o: %.c build/gen/config" in db,
          "every kernel object depends on the build record")


def test_results_target():
    """make results: \vamap\results\ off a stick image, each printed."""
    with tempfile.TemporaryDirectory() as d:
        img = os.path.join(d, "stick.img")
        with open(img, "wb") as f:
            f.truncate(8 << 20)
        sub = lambda *a: subprocess.run(list(a), capture_output=True)
        sub("sgdisk", "--clear", "--new=1:2048:0", "--typecode=1:ef00", img)
        sub("mformat", "-i", img + "@@1M", "::")
        rep = os.path.join(d, "20260101-000000.txt")
        with open(rep, "w") as f:
            f.write("vamap 0.1, command line \"efi=slot\"\n"
                    "machine: system.product       Test Board\n"
                    "KTAP version 1\nok 1 boot.info # [low]\n"
                    "# efi: it went wrong\n"
                    "not ok 2 efi.svam # [critical] ABORTED\n1..2\n"
                    "vamap: FAIL (1 passed, 1 failed, 0 skipped, 0 waived)\n")
        p = subprocess.run(["make", "-s", "-C", TOP, f"BUILD={d}/b", "results",
                            f"STICK={img}"], capture_output=True, text=True)
        check(p.returncode != 0 and "no report" in p.stdout,
              "make results on a stick without a report says so", p.stdout)
        sub("mmd", "-i", img + "@@1M", "::/vamap", "::/vamap/results")
        sub("mcopy", "-i", img + "@@1M", rep, "::/vamap/results/")
        p = subprocess.run(["make", "-s", "-C", TOP, f"BUILD={d}/b", "results",
                            f"STICK={img}"], capture_output=True, text=True)
        check(p.returncode == 0 and "system.product:       Test Board"
              in p.stdout and "FAIL efi.svam [critical] ABORTED" in p.stdout
              and "| efi: it went wrong" in p.stdout and os.path.exists(
                  os.path.join(d, "b", "results-stick",
                               "20260101-000000.txt")),
              "make results copies the stick's reports and prints them",
              p.stdout + p.stderr)


def test_stub_cmdline_too_long():
    """A command line longer than the stub takes (\\vamap\\cmdline.txt of
    1,100 bytes, past the host's check) is a stub error that says so,
    never a cut: QEMU ends with stub-error before ExitBootServices."""
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "vamap.log")
        cmd = qemu.argv(os.path.join(TOP, "build", "vamap.efi"), d,
                        cmdline="exit=qemu", serial="file:/dev/null",
                        debugcon=log)
        with open(os.path.join(d, "esp", "vamap", "cmdline.txt"), "w") as f:
            f.write("exit=qemu " + "verbose " * 136 + "\n")
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=120)
        text = open(log, errors="replace").read()
        check(qemu.exit_name(p.returncode, d) == "stub-error"
              and "is longer than 1023 bytes" in text,
              "a command line over 1,023 bytes is a stub error, not a cut",
              f"{p.returncode} {text[-300:]}")


def test_gdb():
    """make gdb's script: stopped at the kernel entry, the kernel's
    sections in memory equal build/kernel.elf's, the stub's symbols at
    its load address (efi_main's first bytes in memory equal the file's),
    a breakpoint on a kernel function hit."""
    if not shutil.which("gdb"):
        check(False, "make gdb: gdb is installed (tools/install-deps.sh)")
        return
    so = os.path.join(TOP, "build", "kernel.so")
    word = "p/x *(unsigned long long *)efi_main"
    static = subprocess.run(["gdb", "-q", "-nx", "-batch", "-ex", word, so],
                            capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(
            [sys.executable, os.path.join(TOP, "tools", "gdb.py"),
             "--workdir", d, "--port", "21234", "--batch", "compare-sections",
             "--batch", word, "--batch", "break efi_checks",
             "--batch", "continue", "--batch", "bt 2"],
            cwd=TOP, capture_output=True, text=True, timeout=200)
        out = p.stdout + p.stderr
    check("Breakpoint 1, 0xffffffff80000000 in _start ()" in out
          and "vamap: at the kernel entry; stub loaded at 0x" in out,
          "make gdb stops at the kernel entry and finds the stub", out[-800:])
    check(out.count(": matched.") >= 3 and "MIS-MATCHED" not in out,
          "make gdb: the kernel's sections in memory are build/kernel.elf's",
          out[-800:])
    value = static.split("=")[-1].strip()
    check(value.startswith("0x") and f"= {value}" in out,
          "make gdb: the stub's symbols sit at its load address (efi_main's "
          "bytes in memory are the file's)", f"file {static!r}; {out[-400:]}")
    check("Breakpoint 2, efi_checks (" in out and "in kmain (" in out,
          "make gdb: a breakpoint on a kernel function is hit, with a "
          "backtrace", out[-600:])


def test_runner():
    """Failures that say what to do: a boot whose log differs names the
    command that re-runs it and the one that accepts it; make golden says
    only what changed; make test's closing lines list every failure."""
    NAME = "ovmf-ia32-nolm"  # a short boot: the stub stops with an error
    with tempfile.TemporaryDirectory() as d:
        gold = os.path.join(d, "golden")
        os.makedirs(gold)
        text = open(os.path.join(TOP, "tests", "golden", NAME + ".log")).read()
        with open(os.path.join(gold, NAME + ".log"), "w") as f:
            f.write(text.replace("stub: error", "stub: an old error", 1))
        summary = os.path.join(d, "boot.txt")
        runner = [sys.executable, os.path.join(TOP, "tests", "boot", "run.py"),
                  "--golden", gold, "--workdir", os.path.join(d, "w")]
        p = subprocess.run(runner + ["--summary", summary, NAME], cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 1 and "re-run: make boot-test BOOT_ARGS=" + NAME
              in p.stdout and "make golden BOOT_ARGS=" + NAME in p.stdout,
              "a failing boot test names the commands that re-run and "
              "accept it", p.stdout[-500:])
        lines = open(summary).read().splitlines()
        check(lines[0] == "0 1" and f"boot: {NAME}: re-run with make "
              f"boot-test BOOT_ARGS={NAME}" in lines,
              "the boot summary lists it", str(lines))
        p = subprocess.run(runner + ["--update", NAME], cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        check("UPDATED " + NAME in p.stdout and "+1 -1 lines:" in p.stdout
              and "+stub: error" in p.stdout and
              "golden: 1 golden log(s) changed: " + NAME in p.stdout,
              "make golden shows what changed", p.stdout[-500:])
        p = subprocess.run(runner + ["--update", NAME], cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        check("UPDATED" not in p.stdout and "golden: 0 golden log(s) "
              "changed, the others are the same" in p.stdout,
              "make golden says nothing of a log that did not change",
              p.stdout[-300:])
        host = os.path.join(d, "host.txt")
        with open(host, "w") as f:
            f.write("5 1\nhost: test_x (1 failed): re-run with build/host/"
                    "test_x\n")
        p = subprocess.run([os.path.join(TOP, "tools", "summary.sh"), host,
                            summary], capture_output=True, text=True)
        check(p.returncode == 1 and "failed:\n  host: test_x" in p.stdout
              and f"  boot: {NAME}" in p.stdout and "total: 5 passed, 2 failed"
              in p.stdout, "make test ends with the list of what failed",
              p.stdout)


def test_real_ends():
    # A firmware that never hands over (as OVMF dies in -m 32M; here a
    # flash of zeros with a volume header's signature): stopped at TIMEOUT,
    # exit 3, named; and well before it, once the firmware has had
    # START_TIMEOUT to start vamap, with a line that says so.
    with tempfile.TemporaryDirectory() as d:
        dead = os.path.join(d, "dead.fd")
        with open(dead, "wb") as f:
            f.write(b"\0" * 0x28 + b"_FVH" + b"\0" * ((4 << 20) - 0x2c))
        rc, err = run("--firmware", dead, "--workdir", d, "--timeout", "2",
                      "--start-timeout", "0")
        check(rc == 3 and "(timeout" in err,
              "a dead firmware is stopped at TIMEOUT, non-zero", err[-300:])
        check("Ctrl-A x quits QEMU" in err and "stopped after 2 s" in err,
              "make run says how to leave QEMU and when it stops", err[:600])
        rc, err = run("--firmware", dead, "--workdir", d, "--timeout", "60",
                      "--start-timeout", "2")
        check(rc == 3 and "the firmware never started vamap" in err,
              "a dead firmware is stopped once it had START_TIMEOUT to start "
              "vamap, and it says so", err[-400:])
    # exit=halt (the stick's menu entries): --end-at-halt (make run-usb)
    # stops QEMU once vamap says it halted, judged by the summary.
    with tempfile.TemporaryDirectory() as d:
        rc, err = run("--cmdline", "exit=halt efi=noruntime results=off json",
                      "--workdir", d, "--timeout", "50", "--end-at-halt")
        check(rc == 0 and "stopped after vamap halted (vamap said PASS)" in err,
              "make run-usb ends by itself when vamap halts", err[-300:])
        # `json`: the report as JSON on the console, between markers.
        log = open(os.path.join(d, "vamap.log"), errors="replace").read()
        try:
            a = log.index("\n", log.index("-- vamap report, JSON")) + 1
            j = json.loads(log[a:log.index("-- end of the JSON report --")])
        except ValueError as e:
            j = {"error": str(e)}
        check(j.get("format") == "vamap-results/3" and j.get("summary", {})
              .get("result") == "PASS" and "cpu" in j.get("machine", {})
              and len(j.get("checks", [])) > 50,
              "json: the report as JSON on the console, with the machine",
              str(j)[:300])


def test_start_watch():
    """START_TIMEOUT counts QEMU's CPU time: a process that spins reaches
    it by CPU, one that sleeps (a halted guest) by the stall rule, and one
    whose log holds vamap's first line never does."""
    import time as _t
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "vamap.log")
        open(log, "w").close()
        spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        sleep = subprocess.Popen(["sleep", "60"])
        try:
            w_spin = qemu.StartWatch(spin.pid, log, 1.0)
            w_sleep = qemu.StartWatch(sleep.pid, log, 1.0, stall=2.0)
            t0, ends = _t.monotonic(), {}
            while _t.monotonic() - t0 < 20 and len(ends) < 2:
                for name, w in (("spin", w_spin), ("sleep", w_sleep)):
                    if name not in ends and w.poll():
                        ends[name] = _t.monotonic() - t0
                _t.sleep(0.2)
            check(set(ends) == {"spin", "sleep"} and ends["spin"] < 8 and
                  ends["sleep"] >= 1.5,
                  "START_TIMEOUT: a spinning firmware ends on CPU time, a "
                  "halted one on the stall rule", str(ends))
            with open(log, "w") as f:
                f.write("stub: vamap EFI stub, command line \"\"\n")
            w = qemu.StartWatch(spin.pid, log, 0.01)
            _t.sleep(0.5)
            check(not w.poll() and not w.poll(),
                  "START_TIMEOUT: never once vamap's first line is there")
        finally:
            spin.kill()
            sleep.kill()
            spin.wait()
            sleep.wait()


# A child with two threads named as QEMU names its vCPU threads, each
# writing the time into its own file every 10 ms.
STALL_CHILD = r"""
import ctypes, os, sys, threading, time
libc = ctypes.CDLL(None)
def spin(name, path):
    libc.prctl(15, name.encode(), 0, 0, 0)  # PR_SET_NAME
    while True:
        with open(path, "a") as f:
            f.write(f"{time.monotonic()}\n")
        time.sleep(0.01)
for i in range(2):
    threading.Thread(target=spin, args=(f"CPU {i}/TCG",
                     os.path.join(sys.argv[1], f"cpu{i}")), daemon=True).start()
time.sleep(60)
"""


def gaps(path):
    with open(path) as f:
        t = [float(x) for x in f.read().split()]
    return max((b - a for a, b in zip(t, t[1:])), default=0), t[-1] if t else 0


def test_stall_vcpus():
    """--stall-vcpus: its MIN:MAX, and a real stall of one thread of a
    process whose threads are named as QEMU's vCPUs, after the trigger
    line, with no thread left stopped."""
    check(qemu.stall_range("0.5:3") == (0.5, 3.0), "--stall-vcpus 0.5:3")
    for bad in ("3:1", "x", "0:1", "1", "1:90"):
        try:
            qemu.stall_range(bad)
            check(False, f"--stall-vcpus {bad} refused")
        except Exception:
            check(True, f"--stall-vcpus {bad} refused")
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "vamap.log")
        open(log, "w").close()
        child = subprocess.Popen([sys.executable, "-c", STALL_CHILD, d])
        try:
            for _ in range(100):
                if len(qemu.vcpu_threads(child.pid)) == 2:
                    break
                time.sleep(0.02)
            check(sorted(qemu.vcpu_threads(child.pid)) ==
                  ["CPU 0/TCG", "CPU 1/TCG"], "vCPU threads found by name")
            st = qemu.VcpuStaller(child.pid, log, 0.5, 0.5, seed=1)
            st.start()
            time.sleep(0.3)
            check(st.stalls == 0, "no stall before the trigger line")
            with open(log, "w") as f:
                f.write("efi: SetVirtualAddressMap(96 bytes)\n")
            time.sleep(1.5)
            st.stop()
            if st.error:  # a sandbox that forbids ptrace: said, not failed
                print(f"ok - --stall-vcpus # SKIP {st.error}")
                return
            check(st.stalls >= 1, "stalls made", st.summary())
            worst = max(gaps(os.path.join(d, f"cpu{i}"))[0] for i in range(2))
            check(0.4 <= worst < 1.5, "one thread stopped about 0.5 s",
                  f"longest gap {worst:.2f} s")
            time.sleep(0.2)
            now = time.monotonic()
            check(all(now - gaps(os.path.join(d, f"cpu{i}"))[1] < 0.15
                      for i in range(2)), "every thread running after stop()")
        finally:
            child.kill()
            child.wait()


test_judge()
test_start_watch()
test_firmware()
test_makefile()
test_bad_inputs()
test_cmdline()
test_build_config()
test_results_target()
test_stub_cmdline_too_long()
test_gdb()
test_runner()
test_real_ends()
test_stall_vcpus()
done()
