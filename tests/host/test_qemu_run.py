#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make run`'s guard rails (tools/qemu.py run and the Makefile): how a run
is judged from QEMU's exit and vamap's log, firmware presets and paths,
CMDLINE appended to the defaults, a firmware that dies and a run that
never ends each stopping by themselves with a non-zero status. Prints
"ok - " / "not ok - " lines for tests/host/run.sh."""
import os
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
import qemu  # noqa: E402

failed = 0


def check(ok, name, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name
          + ("" if ok or not detail else f": {detail}"))
    failed += not ok


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
    check(sb and code == qemu.OVMF_CODE_SB and vars_file == qemu.OVMF_VARS_SB,
          "preset ovmf-secboot")
    check(qemu.firmware_files("u-boot")[0] == "u-boot", "preset u-boot")
    path = "/usr/share/OVMF/OVMF_CODE.fd"
    if os.path.exists(path):
        check(qemu.firmware_files(path)[1:3] == (path, qemu.OVMF_VARS),
              "a code image path, Debian's store by default")
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
    out = make_n("run-usb", "KEEP=1")
    check("--keep" in out, "make run-usb KEEP=1 keeps the stick and store")


def run(*args, timeout=60):
    p = subprocess.run([sys.executable, os.path.join(TOP, "tools", "qemu.py"),
                        "run", "--efi", os.path.join(TOP, "build",
                                                     "vamap.efi")]
                       + list(args), stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stderr


def test_real_ends():
    # A firmware that never hands over (the case: OVMF dying in
    # -m 32M; here a flash of zeros): stopped at TIMEOUT, exit 3, named.
    with tempfile.TemporaryDirectory() as d:
        dead = os.path.join(d, "dead.fd")
        with open(dead, "wb") as f:
            f.write(b"\0" * (4 << 20))
        rc, err = run("--firmware", dead, "--workdir", d, "--timeout", "3")
        check(rc == 3 and "(timeout" in err,
              "a dead firmware is stopped at TIMEOUT, non-zero", err[-300:])


test_judge()
test_firmware()
test_makefile()
test_real_ends()
sys.exit(1 if failed else 0)
