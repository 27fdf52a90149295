#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make check: judge a firmware by vamap's own verdicts.

Boots vamap on FIRMWARE in each efi= mode with 2 CPUs, then once more in
efi=slot on the first boot's variable store and disk (the two-boot results
flow of real hardware: the second boot's stub writes the first run's
report to the disk). Judges by the KTAP verdicts, not by golden logs, so
any build of any firmware can be checked; a waivers file goes onto the
boot volume as \\vamap\\waivers.txt and also waives the checks this tool
makes itself (check.boot.*, check.results.flow, check.repeatable). Prints
a table (check x boot), writes build/check/results.json and
build/check/junit.xml, and exits 1 on any unwaived failure, 2 on a usage
error.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(TOP, "tools"))
import qemu  # noqa: E402
import vamapreport  # noqa: E402

MODES = ("slot", "linux", "1to1", "novamap", "noruntime")
# The second boot of the results flow, on the first one's store and disk.
REBOOT = "slot-2"
# The checks this tool makes about a boot (not vamap's own).
BOOT_LABEL = "check.boot"
FLOW_LABEL = "check.results.flow"
REPEAT_LABEL = "check.repeatable"
# vamap's checks that need an earlier run on the same machine and store:
# the first boot SKIPs them by design, the second makes them.
NEEDS_EARLIER_RUN = ("efi.monotonic.reset",)


def read(path):
    try:
        return open(path, errors="replace").read()
    except OSError:
        return ""


def load_waivers(path):
    """LABEL REASON lines, LABEL* a prefix (include/verdict.h's rules, for
    the checks this tool makes)."""
    out = []
    for line in read(path).splitlines() if path else []:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        label, _, reason = line.partition(" ")
        out.append((label, reason.strip()))
    return out


def waiver_for(waivers, label):
    for w, reason in waivers:
        if w == label or (w.endswith("*") and label.startswith(w[:-1])):
            return reason
    return None


def boot(a, name, cmdline, fresh=True):
    """One boot in WORKDIR/MODE; returns a dict with the parsed report."""
    mode_dir = name.split("-")[0] if name == REBOOT else name
    work = os.path.join(a.workdir, mode_dir)
    tag = "-2" if name == REBOOT else ""
    log = os.path.join(work, f"vamap{tag}.log")
    serial = os.path.join(work, f"serial{tag}.log")
    os.makedirs(work, exist_ok=True)
    for f in (log, serial):
        if os.path.exists(f):
            os.unlink(f)
    argv = qemu.argv(a.efi, work, a.machine, a.mem, a.smp, "disk", cmdline,
                     serial=f"file:{serial}", debugcon=log,
                     firmware=a.firmware, firmware_vars=a.firmware_vars,
                     waivers=a.waivers, fresh_vars=fresh, fresh_disk=fresh)
    with open(os.path.join(work, f"qemu{tag}.cmd"), "w") as f:
        f.write(" ".join(argv) + "\n")
    start = time.monotonic()
    qerr = os.path.join(work, f"qemu{tag}.err")
    with open(qerr, "w") as errf:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=errf)
    end = None
    watch = qemu.StartWatch(p.pid, log, a.start_timeout)
    while end is None:
        try:
            end = qemu.exit_name(p.wait(timeout=0.5), work)
            break
        except subprocess.TimeoutExpired:
            pass
        elapsed = time.monotonic() - start
        if elapsed > a.timeout:
            end = "timeout"
        elif watch.poll():
            end = "not-started"
        if end:
            p.kill()
            p.wait()
    r = vamapreport.parse(read(log))
    r.update(name=name, cmdline=cmdline, end=end, log=log, serial=serial,
             seconds=round(time.monotonic() - start, 1), qemu_err=qerr)
    return r


def progress(r):
    """A line per boot as it ends: make check takes minutes on TCG."""
    s = r["summary"]
    print(f"check: {r['name']} done in {r['seconds']:g} s: "
          + (f"{s['result']} ({s['passed']} passed, {s['failed']} failed, "
             f"{s['skipped']} skipped, {s['waived']} waived)" if s
             else f"no summary ({r['end']})"), flush=True)
    return r


def harness_failure(r):
    """Why QEMU itself failed before any firmware ran (it exited with an
    error and neither the serial port nor vamap printed a byte), or None:
    then there is no verdict on the firmware to give."""
    if not r["end"].startswith("status-") or any(
            os.path.exists(f) and os.path.getsize(f)
            for f in (r["log"], r["serial"])):
        return None
    err = " | ".join(qemu.tail_of(r.get("qemu_err", ""), 2)) or "no message"
    return f"QEMU exited with {r['end']} before the firmware ran: {err}"


def judge_boot(r):
    """check.boot: the run reached its summary and QEMU ended the way the
    summary says (pass or fail, not a fault, a timeout or a triple fault).
    (status, note, severity): critical when vamap started and its run was
    cut short or ended otherwise than it said (what stopped the report is
    the point of the tester); high when the firmware never started it (it
    stopped, refused the image or found no disk: nothing was tested, but
    nothing escaped); a QEMU that failed on its own is the harness's, a
    SKIP with the reason, and make check exits 2."""
    why = harness_failure(r)
    if why:
        return "skip", f"the harness failed, not the firmware: {why}", "high"
    if r["end"] == "not-started":
        last = " | ".join(qemu.tail_of(r["serial"], 3)) or "nothing"
        return "not ok", (f"vamap never started: the firmware ran "
                          f"{r['seconds']:g} s without starting BOOTX64.EFI "
                          f"(it stopped early, refused the image or found no "
                          f"disk); its serial console ended with: {last}; "
                          f"logs: {os.path.dirname(r['log'])}/"), "high"
    if not r["summary"]:
        return "not ok", (f"no summary: the boot ended with {r['end']}; "
                          f"logs: {os.path.dirname(r['log'])}/"), "critical"
    if r["end"] not in ("pass", "fail"):
        return ("not ok", f"QEMU ended with {r['end']} after the summary",
                "critical")
    if r["end"] != r["summary"]["result"].lower():
        return "not ok", (f"the summary says {r['summary']['result']}, the "
                          f"exit code says {r['end']}"), "critical"
    return "ok", f"{r['end']} in {r['seconds']} s", "critical"


def judge_flow(a, first, second):
    """check.results.flow: the second boot's stub wrote the first run's
    report, TXT and JSON, with the first run's verdicts."""
    log1 = read(first["log"])
    kept = re.search(r"^results: (report kept in .*)$", log1, re.M)
    if not kept:
        why = re.search(r"^results: (.*)$", log1, re.M)
        return "skip", ("the first boot kept no report: "
                        + (why.group(1) if why else "no results line"))
    files = qemu.results_on_disk(os.path.join(a.workdir, "slot", "esp.img"))
    if len(files) != 1:
        return "not ok", (f"expected one report on the disk after the second "
                          f"boot, found {len(files)}")
    stamp, got = next(iter(files.items()))
    dest = os.path.join(a.workdir, "results")
    os.makedirs(dest, exist_ok=True)
    for ext, text in got.items():
        if text is not None:
            with open(os.path.join(dest, stamp + ext), "w") as f:
                f.write(text)
    if got[".txt"] is None or got[".json"] is None:
        return "not ok", f"{stamp}: the .txt or the .json is missing"
    txt = vamapreport.parse(got[".txt"])
    try:
        js = vamapreport.parse_json(got[".json"])
    except ValueError as e:
        return "not ok", f"{stamp}.json does not parse: {e}"
    want = [(c["name"], c["status"]) for c in first["checks"]
            if not c["name"].startswith("check.")]
    for what, rep in (("txt", txt), ("json", js)):
        have = [(c["name"], c["status"]) for c in rep["checks"]]
        if have != want:
            return "not ok", (f"{stamp}.{what} holds {len(have)} verdicts, not "
                              f"the first boot's {len(want)}")
    return "ok", f"results/{stamp}.txt and .json hold the first boot's verdicts"


def judge_repeat(first, second):
    """check.repeatable: the second efi=slot boot, the same boot on the
    same machine (its store holds what the first one left), gave every
    verdict the first gave. One that changed is the firmware answering the
    same question two ways, or vamap judging it two ways: either way not a
    verdict to trust (issue 27). (status, note)."""
    if not first["summary"] or not second["summary"]:
        return "skip", "a boot ended before its summary: nothing to compare"

    def verdicts(r):
        return {c["name"]: c["status"] for c in r["checks"]
                if not c["name"].startswith("check.")
                and c["name"] not in NEEDS_EARLIER_RUN}

    was, now = verdicts(first), verdicts(second)
    changed = [f"{n} {was[n]} in slot, {now[n]} in {REBOOT}"
               for n in was if n in now and was[n] != now[n]]
    changed += [f"{n} only in slot" for n in was if n not in now]
    changed += [f"{n} only in {REBOOT}" for n in now if n not in was]
    if changed:
        return "not ok", (f"{len(changed)} verdict"
                          f"{'s' if len(changed) > 1 else ''} changed between "
                          f"two efi=slot boots of one machine: "
                          + "; ".join(changed[:4])
                          + ("; ..." if len(changed) > 4 else ""))
    return "ok", (f"the two efi=slot boots gave the same {len(was)} verdicts "
                  f"(not compared: {', '.join(NEEDS_EARLIER_RUN)}, which "
                  f"needs the earlier run)")


def host_check(name, status, note, waivers, severity="critical"):
    c = {"n": 0, "name": name, "status": status, "severity": severity,
         "note": note, "waiver": "", "details": []}
    if status == "not ok":
        w = waiver_for(waivers, name)
        if w is not None:
            c.update(status="waived", waiver=w)
    return c


CELL = {"ok": "ok", "not ok": "FAIL", "skip": "skip", "waived": "waived"}


def table(boots):
    """Check x boot, every label in first-seen order."""
    labels = []
    for r in boots:
        for c in r["checks"]:
            if c["name"] not in labels:
                labels.append(c["name"])
    cols = [r["name"] for r in boots]
    width = max([len(x) for x in labels] + [5])
    lines = ["check".ljust(width) + "  " + "  ".join(c.ljust(9) for c in cols)]
    for label in labels:
        cells = []
        for r in boots:
            c = next((c for c in r["checks"] if c["name"] == label), None)
            cells.append((CELL[c["status"]] if c else "-").ljust(9))
        lines.append(label.ljust(width) + "  " + "  ".join(cells))
    return "\n".join(l.rstrip() for l in lines)


def firmware_label(firmware):
    """A preset's name, or a build's file name: what a suite is named by."""
    return firmware if firmware in qemu.FIRMWARES else os.path.basename(firmware)


def junit(boots, path, firmware, code):
    """One suite per boot, named FIRMWARE/MODE so that the reports of two
    firmwares merge without colliding; the boot's time on the suite and on
    check.boot (vamap times no single check: the others carry 0); the
    firmware, its image and every machine line as properties."""
    fw = firmware_label(firmware)
    suites = ET.Element("testsuites", name=f"vamap check ({fw})")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for r in boots:
        s = ET.SubElement(suites, "testsuite", name=f"{fw}/{r['name']}",
                          hostname=fw)
        props = ET.SubElement(s, "properties")
        for k, v in [("firmware", firmware), ("firmware.image", code),
                     ("cmdline", r["cmdline"]), ("end", r["end"])] + \
                sorted(r["machine"].items()):
            ET.SubElement(props, "property", name=k, value=str(v))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for c in r["checks"]:
            t = ET.SubElement(s, "testcase",
                              classname=f"vamap.{fw}.{r['name']}",
                              name=c["name"],
                              time=str(r["seconds"] if c["name"] == BOOT_LABEL
                                       else 0))
            counts["tests"] += 1
            text = c["note"]
            if c["details"]:
                text += "\n" + "\n".join(c["details"])
            if c["status"] == "not ok":
                counts["failures"] += 1
                f = ET.SubElement(t, "failure", type=c["severity"] or "fail",
                                  message=c["note"])
                f.text = text
            elif c["status"] == "skip":
                counts["skipped"] += 1
                ET.SubElement(t, "skipped", message=c["note"])
            elif c["status"] == "waived":
                counts["skipped"] += 1
                ET.SubElement(t, "skipped",
                              message=f"waived: {c['waiver']}: {c['note']}")
        s.set("time", str(r["seconds"]))
        for k, v in counts.items():
            s.set(k, str(v))
            totals[k] += v
        ET.SubElement(s, "system-out").text = f"log: {r['log']}"
    for k, v in totals.items():
        suites.set(k, str(v))
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--firmware", default="ovmf",
                   help=", ".join(qemu.FIRMWARES) + ", or a code image's "
                   "or ROM's path")
    p.add_argument("--firmware-vars", help="its variable store (default: "
                   "the code image's VARS sibling, else OVMF_VARS_4M.fd)")
    p.add_argument("--efi", default=os.path.join(TOP, "build", "vamap.efi"))
    p.add_argument("--waivers", help="LABEL REASON per line")
    p.add_argument("--workdir", default=os.path.join(TOP, "build", "check"))
    p.add_argument("--machine", default="q35")
    p.add_argument("--mem", default="2G")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--modes", default=",".join(MODES),
                   help="efi= modes, comma-separated (default: all)")
    p.add_argument("--cmdline", default="", help="more words for every boot")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--timeout", type=float, default=300,
                   help="seconds before one boot is stopped")
    p.add_argument("--start-timeout", type=float, default=qemu.START_TIMEOUT,
                   help="seconds of QEMU's CPU time the firmware has to "
                   "start vamap before a boot is stopped, or a halted guest "
                   "(0: only --timeout)")
    a = p.parse_args()
    try:
        kind, code, store, secure = qemu.firmware_files(a.firmware,
                                                        a.firmware_vars)
    except ValueError as e:
        print(f"check: {e}", file=sys.stderr)
        return 2
    modes = [m for m in a.modes.split(",") if m]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        print(f"check: unknown mode {bad}; modes are {', '.join(MODES)}",
              file=sys.stderr)
        return 2
    if a.waivers and not os.path.isfile(a.waivers):
        print(f"check: no such file: the waivers file {a.waivers} (WAIVERS=)",
              file=sys.stderr)
        return 2
    waivers = load_waivers(a.waivers)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    words = lambda m: f"exit=qemu efi={m} {a.cmdline}".strip()
    print(f"check: vamap on {a.firmware}, {a.machine}, {a.smp} CPUs: "
          f"{', '.join('efi=' + m for m in modes)}"
          + (f", then efi=slot again on the first store and disk"
             if "slot" in modes else ""), flush=True)
    # Which files: a code image found by path takes a store by rule
    # (qemu.vars_for), and a store that does not match the code image
    # (keys, size) changes what the boots can say.
    print(f"check: {kind} code {code}"
          + (f", variable store {store} (each boot on a fresh copy)"
             if store else ", no variable store")
          + (", Secure Boot on" if secure else ""), flush=True)

    def flow():  # slot, then slot again: the two-boot results flow
        first = progress(boot(a, "slot", words("slot")))
        return [first, progress(boot(a, REBOOT, words("slot"), fresh=False))]

    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        futs = []
        if "slot" in modes:
            futs.append(pool.submit(flow))
        for m in modes:
            if m != "slot":
                futs.append(pool.submit(
                    lambda m=m: [progress(boot(a, m, words(m)))]))
        results = [r for f in futs for r in f.result()]
    order = {n: i for i, n in enumerate(list(modes) + [REBOOT])}
    boots = sorted(results, key=lambda r: order[r["name"]])

    for r in boots:
        st, note, sev = judge_boot(r)
        r["checks"].append(host_check(BOOT_LABEL, st, note, waivers,
                                      severity=sev))
    if "slot" in modes:
        st, note = judge_flow(a, boots[0], boots[-1])
        boots[-1]["checks"].append(host_check(FLOW_LABEL, st, note, waivers,
                                              severity="high"))
        st, note = judge_repeat(boots[0], boots[-1])
        boots[-1]["checks"].append(host_check(REPEAT_LABEL, st, note,
                                              waivers, severity="high"))

    print(table(boots))
    failures = [(r["name"], c) for r in boots for c in r["checks"]
                if c["status"] == "not ok"]
    waived = sum(c["status"] == "waived" for r in boots for c in r["checks"])
    for name, c in failures:
        print(f"FAIL {name}: {c['name']} [{c['severity']}] {c['note']}")
        for d in c["details"]:
            print(f"     {d}")
    junit_path = os.path.join(a.workdir, "junit.xml")
    json_path = os.path.join(a.workdir, "results.json")
    junit(boots, junit_path, a.firmware, code)
    machine = next((r["machine"] for r in boots if r["machine"]), {})
    with open(json_path, "w") as f:
        json.dump({
            "format": "vamap-check/1",
            "firmware": a.firmware,
            "code": code,
            "vars": store,
            "qemu": {"machine": a.machine, "mem": a.mem, "smp": a.smp},
            "machine": machine,
            "result": "FAIL" if failures else "PASS",
            "boots": [{k: r[k] for k in ("name", "cmdline", "end", "seconds",
                                         "summary", "log", "checks")}
                      for r in boots],
        }, f, indent=1)
    print(f"check: {'FAIL' if failures else 'PASS'}: {len(boots)} boots, "
          f"{len(failures)} unwaived failures, {waived} waived; "
          f"{os.path.relpath(json_path)}, {os.path.relpath(junit_path)}; "
          f"logs in {os.path.relpath(a.workdir)}/")
    broken = [r["name"] for r in boots if harness_failure(r)]
    if broken:
        print(f"check: the harness failed in {', '.join(broken)} (QEMU did "
              f"not run; its messages in {a.workdir}/MODE/qemu.err): no "
              "verdict on the firmware there", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
