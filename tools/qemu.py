#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU + OVMF command lines for vamap, shared by `make run` and the boot tests.

Every boot gets a fresh copy of the OVMF variable store, QEMU's debugcon on
port 0x402 (the clean channel only vamap writes to: Debian's OVMF is a
release build and prints nothing there) and isa-debug-exit on port 0xf4.
"""
import argparse
import ctypes
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
QEMU = "qemu-system-x86_64"
# U-Boot's UEFI (Debian's u-boot-qemu): a second, independent firmware. It
# keeps no variable store and boots EFI/BOOT/BOOTX64.EFI from a GPT disk
# through its own distro boot flow.
UBOOT_ROM = "/usr/lib/u-boot/qemu-x86_64/u-boot.rom"
TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    ".."))
# The next generation, Debian 13's packages, unpacked (never installed) by
# tools/fetch-firmware.sh (make firmware) into build/firmware/.
FIRMWARE_DIR = os.path.join(TOP, "build", "firmware")
OVMF_2025 = os.path.join(FIRMWARE_DIR, "ovmf-2025", "usr", "share", "OVMF")
UBOOT_2025 = os.path.join(FIRMWARE_DIR, "u-boot-2025", "usr", "lib", "u-boot",
                          "qemu-x86_64", "u-boot.rom")


class Preset:
    """A firmware build by name: its kind ("ovmf": an EDK2 code image in
    pflash with a variable store; "ovmf-ia32": the same for 32-bit
    firmware, which starts EFI/BOOT/BOOTIA32.EFI and is built with SMM;
    "u-boot": a ROM given as -bios), its
    files, whether it boots with Secure Boot on (the SMM build, QEMU.md:
    the store has OVMF's snakeoil keys enrolled, so only a build signed with
    them boots), and whether tools/fetch-firmware.sh brings it."""

    def __init__(self, kind, code, vars_file=None, secure_boot=False,
                 what="", fetched=False):
        self.kind, self.code, self.vars = kind, code, vars_file
        self.secure_boot, self.what, self.fetched = secure_boot, what, fetched

    def missing(self):
        return [f for f in (self.code, self.vars) if f and
                not os.path.isfile(f)]


PRESETS = {
    "ovmf": Preset("ovmf", OVMF_CODE, OVMF_VARS,
                   what="Debian 12's OVMF (EDK2 2022.11)"),
    # Secure Boot (QEMU.md): the SMM build, with the snakeoil keys enrolled.
    "ovmf-secboot": Preset(
        "ovmf", "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
        "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd", True,
        "Debian 12's OVMF, Secure Boot (snakeoil keys)"),
    "u-boot": Preset("u-boot", UBOOT_ROM,
                     what="Debian 12's U-Boot 2023.01 (qemu-x86_64)"),
    # 32-bit UEFI on a 64-bit CPU (ovmf-ia32): Debian builds it with SMM
    # only; its store has no keys enrolled, so Secure Boot is off.
    "ovmf-ia32": Preset(
        "ovmf-ia32", "/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd",
        "/usr/share/OVMF/OVMF32_VARS_4M.fd",
        what="Debian 12's 32-bit OVMF (ovmf-ia32, EDK2 2022.11)"),
    "ovmf-2025": Preset("ovmf", os.path.join(OVMF_2025, "OVMF_CODE_4M.fd"),
                        os.path.join(OVMF_2025, "OVMF_VARS_4M.fd"),
                        what="Debian 13's OVMF (EDK2 2025.02)", fetched=True),
    "ovmf-2025-secboot": Preset(
        "ovmf", os.path.join(OVMF_2025, "OVMF_CODE_4M.secboot.fd"),
        os.path.join(OVMF_2025, "OVMF_VARS_4M.snakeoil.fd"), True,
        "Debian 13's OVMF, Secure Boot (snakeoil keys)", fetched=True),
    # The strict-NX policy build: an image must be NX-compatible (its PE
    # DllCharacteristics) and W^X to be loaded, and allocations of code
    # types are not executable until the loader says so.
    "ovmf-2025-strictnx": Preset(
        "ovmf", os.path.join(OVMF_2025, "OVMF_CODE_4M.secboot.strictnx.fd"),
        os.path.join(OVMF_2025, "OVMF_VARS_4M.snakeoil.fd"), True,
        "Debian 13's OVMF, Secure Boot, strict NX policy", fetched=True),
    "u-boot-2025": Preset("u-boot", UBOOT_2025,
                          what="Debian 13's U-Boot 2025.01 (qemu-x86_64)",
                          fetched=True),
}
FIRMWARES = tuple(PRESETS)


def firmware_files(firmware, vars_file=None):
    """What a --firmware name means: (kind, code image, variable store
    template, Secure Boot). A preset (PRESETS) or the path of a firmware
    build, told apart by its content (firmware_kind): an OVMF-style code
    image, whose store is vars_file or, by default, its sibling or
    Debian's OVMF_VARS_4M.fd; or a U-Boot ROM."""
    p = PRESETS.get(firmware)
    if p:
        if p.missing():
            fetch = (" (Debian 13's packages: make firmware, or "
                     "tools/fetch-firmware.sh)" if p.fetched else "")
            raise ValueError(f"firmware {firmware!r}: {p.missing()[0]} is "
                             f"missing{fetch}")
        return p.kind, p.code, (vars_file or p.vars) if p.vars else None, \
            p.secure_boot
    if not os.path.isfile(firmware):
        raise ValueError(f"firmware {firmware!r}: not a preset "
                         f"({', '.join(FIRMWARES)}) and no such file")
    kind = firmware_kind(firmware)
    if kind == "u-boot":
        return "u-boot", firmware, None, False
    return "ovmf", firmware, vars_file or vars_for(firmware), False


def firmware_kind(path):
    """"ovmf" for a UEFI firmware volume (an EDK2 code image: the PI
    spec's EFI_FIRMWARE_VOLUME_HEADER, "_FVH" at offset 0x28), "u-boot" for
    a ROM that carries U-Boot's version string; anything else is refused:
    a wrong guess boots nothing and says nothing."""
    with open(path, "rb") as f:
        head = f.read(0x30)
        if head[0x28:0x2c] == b"_FVH":
            return "ovmf"
        f.seek(0)
        if b"U-Boot 20" in f.read(64 << 20):
            return "u-boot"
    raise ValueError(f"firmware {path!r}: neither an OVMF-style code image "
                     "(no firmware volume header at 0x28) nor a U-Boot ROM "
                     "(no \"U-Boot 20..\" version string)")


def vars_for(code):
    """The variable store that goes with an OVMF-style code image: its
    sibling with CODE replaced by VARS (OVMF_CODE.fd -> OVMF_VARS.fd, the
    2 MiB build's 128 KiB store; a store of the wrong size does not boot),
    else Debian's OVMF_VARS_4M.fd."""
    d, name = os.path.split(code)
    if "CODE" in name:
        sibling = os.path.join(d, name.replace("CODE", "VARS"))
        if os.path.isfile(sibling):
            return sibling
    return OVMF_VARS


# The stub's limit (include/boot_info.h, BOOT_CMDLINE_MAX - 1): longer is
# a stub error, never a cut; checked here first, with a clearer message.
CMDLINE_MAX = 1023


def check_cmdline(cmdline):
    """vamap's command line is printable ASCII of at most CMDLINE_MAX
    bytes (kernel/cmdline.c); raises ValueError naming what is wrong."""
    bad = [c for c in cmdline if not (" " <= c <= "~")]
    if bad:
        raise ValueError(f"the command line holds {len(bad)} character(s) "
                         f"that are not printable ASCII (first: "
                         f"{ascii(bad[0])}); vamap's options are ASCII words")
    if len(cmdline) > CMDLINE_MAX:
        raise ValueError(f"the command line is {len(cmdline)} bytes; vamap "
                         f"takes at most {CMDLINE_MAX} (the stub refuses a "
                         f"longer one rather than cut it)")


def ia32_image(efi):
    """BOOTIA32.EFI for a 64-bit build: the 32-bit stub built beside it
    (build/vamap.efi -> build/vamap-ia32.efi, which `make` builds)."""
    stem, ext = os.path.splitext(efi)
    path = stem + "-ia32" + ext
    if not os.path.isfile(path):
        raise ValueError(f"32-bit firmware starts EFI/BOOT/BOOTIA32.EFI, and "
                         f"there is no {path} beside {efi} (make builds "
                         f"build/vamap-ia32.efi)")
    return path


def prepare_esp(workdir, efi, cmdline, drivers=(), waivers=None, efi32=None):
    """A directory QEMU serves as a FAT drive: the removable-media path
    EFI/BOOT/BOOTX64.EFI (and BOOTIA32.EFI, efi32, for 32-bit firmware;
    both, as on the stick), the command line in vamap/cmdline.txt (the
    stub reads it when LoadOptions carry none), the runtime drivers
    the stub starts, in vamap/drivers/, and the waivers file (a path) as
    vamap/waivers.txt."""
    esp = os.path.join(workdir, "esp")
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(os.path.join(esp, "EFI", "BOOT"))
    os.makedirs(os.path.join(esp, "vamap"))
    shutil.copy(efi, os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"))
    if efi32:
        shutil.copy(efi32, os.path.join(esp, "EFI", "BOOT", "BOOTIA32.EFI"))
    with open(os.path.join(esp, "vamap", "cmdline.txt"), "w") as f:
        f.write(cmdline + "\n")
    if drivers:
        os.makedirs(os.path.join(esp, "vamap", "drivers"))
    for d in drivers:
        shutil.copy(d, os.path.join(esp, "vamap", "drivers"))
    if waivers:
        shutil.copy(waivers, os.path.join(esp, "vamap", "waivers.txt"))
    return esp


def prepare_shell_esp(workdir, efi, cmdline):
    """A FAT drive with no removable-media path, so OVMF falls through to
    its built-in UEFI Shell, whose startup.nsh starts vamap with the
    command line as Shell arguments (LoadOptions "\\vamap.efi ARGS")."""
    esp = os.path.join(workdir, "esp")
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(esp)
    shutil.copy(efi, os.path.join(esp, "vamap.efi"))
    with open(os.path.join(esp, "startup.nsh"), "w") as f:
        f.write(f"fs0:\r\n\\vamap.efi {cmdline}\r\n")
    return esp


def prepare_esp_disk(workdir, efi, cmdline, drivers=(), waivers=None,
                     efi32=None):
    """A GPT disk with one FAT ESP holding EFI/BOOT/BOOTX64.EFI (and
    BOOTIA32.EFI, efi32) and vamap/cmdline.txt, built without root
    (QEMU.md): what U-Boot's boot flow looks for on a block device."""
    esp = prepare_esp(workdir, efi, cmdline, drivers, waivers, efi32)
    disk = os.path.join(workdir, "esp.img")
    if os.path.exists(disk):
        os.unlink(disk)
    with open(disk, "wb") as f:
        f.truncate(64 << 20)  # FAT32 needs 65525 clusters
    run = lambda *a: subprocess.run(a, check=True, stdout=subprocess.DEVNULL)
    run("sgdisk", "--clear", "--new=1:2048:0", "--typecode=1:ef00", disk)
    img = disk + "@@1M"
    run("mformat", "-i", img, "-F", "-v", "VAMAP", "::")
    run("mcopy", "-s", "-i", img, os.path.join(esp, "EFI"),
        os.path.join(esp, "vamap"), "::/")
    return disk


def results_on_disk(img):
    """The reports a stub wrote to \\vamap\\results\\ on a GPT disk image's
    ESP (a stick or a make check disk), read with mtools: {stem: {".txt":
    text or None, ".json": text or None}}, in name order."""
    part = img + "@@1M"
    ls = subprocess.run(["mdir", "-b", "-i", part, "::/vamap/results"],
                        capture_output=True, text=True)
    out = {}
    for path in sorted(f for f in ls.stdout.split()
                       if f.lower().endswith(".txt")):
        stem = path[:-4]
        out[stem.split("/")[-1]] = {}
        for ext in (".txt", ".json"):
            r = subprocess.run(["mtype", "-i", part, stem + ext],
                               capture_output=True, text=True)
            out[stem.split("/")[-1]][ext] = r.stdout if r.returncode == 0 \
                else None
    return out


def argv(efi, workdir, machine="q35", mem="2G", smp=1, boot="fat",
         cmdline="", cpu=None, extra=(), serial=None, debugcon=None,
         secure_boot=False, fresh_vars=True, fresh_disk=True,
         firmware="ovmf", drivers=(), waivers=None, firmware_vars=None,
         stick_cmdline=None, reboot=False):
    """The QEMU command for one boot. boot is "fat" (BOOTX64.EFI on a FAT
    drive), "kernel" (-kernel EFI -append CMDLINE) or "usb" (efi names a
    disk image, attached as a USB stick). firmware "u-boot" boots U-Boot's
    ROM instead of OVMF, with boot "fat" meaning a GPT disk with an ESP on
    the machine's own disk controller. drivers are runtime-driver files
    put in vamap/drivers/ for the stub to start (boot "fat", "disk" and
    "usb": on the stick).
    waivers is a file to put on the boot volume as vamap/waivers.txt
    (include/verdict.h). firmware may also be "ovmf-secboot" or the path
    of a code image (firmware_files), with firmware_vars its store.
    stick_cmdline is put on a USB stick as vamap/cmdline.txt (its words
    come before the GRUB entry's). reboot lets the guest reset instead of
    ending QEMU (a modes= sequence resets between its runs)."""
    check_cmdline(cmdline)
    os.makedirs(workdir, exist_ok=True)
    if secure_boot and firmware == "ovmf":
        firmware = "ovmf-secboot"
    kind, code, vars_template, secure_boot = firmware_files(firmware,
                                                           firmware_vars)
    if kind == "u-boot":
        return uboot_argv(efi, workdir, machine, mem, smp, cmdline, cpu,
                          extra, serial, debugcon, drivers, waivers,
                          fresh_disk, rom=code, reboot=reboot)
    vars_fd = os.path.join(workdir, "OVMF_VARS.fd")
    if fresh_vars or not os.path.exists(vars_fd):
        shutil.copy(vars_template, vars_fd)
    smm = secure_boot or kind == "ovmf-ia32"
    efi32 = ia32_image(efi) if kind == "ovmf-ia32" and boot in ("fat", "disk") \
        else None
    if smm:
        machine += ",smm=on"
    firmware_args = [
        "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
        "-drive", f"if=pflash,format=raw,unit=1,file={vars_fd}"]
    if smm:
        firmware_args += ["-global",
                          "driver=cfi.pflash01,property=secure,value=on"]
    a = base_argv(machine, mem, smp, cpu, serial, debugcon, firmware_args,
                  workdir, reboot)
    if boot == "fat":
        esp = prepare_esp(workdir, efi, cmdline, drivers, waivers, efi32)
        a += ["-drive", f"file=fat:rw:{esp},format=raw,media=disk"]
    elif boot == "disk":
        # A GPT disk image with one ESP, on virtio: writable like a real
        # disk (the stub writes the last run's report there), and reused
        # with the variable store when fresh_disk is false.
        disk = os.path.join(workdir, "esp.img")
        if fresh_disk or not os.path.exists(disk):
            prepare_esp_disk(workdir, efi, cmdline, drivers, waivers, efi32)
        a += ["-drive", f"if=virtio,format=raw,file={disk}"]
    elif boot == "kernel":
        a += ["-kernel", efi, "-append", cmdline]
    elif boot == "shell":
        a += ["-drive", "file=fat:rw:" + prepare_shell_esp(workdir, efi, cmdline)
              + ",format=raw,media=disk"]
    elif boot == "usb":
        # QEMU.md: a USB stick on xHCI; efi is the disk image here, and the
        # command line is in the image's GRUB menu. The boot writes to the
        # stick (results), so it gets its own copy unless told to reuse it.
        disk = os.path.join(workdir, "stick.img")
        if fresh_disk or not os.path.exists(disk):
            shutil.copy(efi, disk)
        img = disk + "@@1M"
        if drivers:  # where the stub looks: vamap/drivers/ on its volume
            subprocess.run(["mmd", "-D", "s", "-i", img, "::/vamap",
                            "::/vamap/drivers"], stderr=subprocess.DEVNULL)
            for d in drivers:
                subprocess.run(["mcopy", "-o", "-i", img, d,
                                "::/vamap/drivers/"], check=True)
        for text, name in ((waivers, "waivers.txt"),
                           (stick_cmdline, "cmdline.txt")):
            if not text:
                continue  # on the stick's ESP, where the stub looks
            subprocess.run(["mmd", "-D", "s", "-i", img, "::/vamap"],
                           stderr=subprocess.DEVNULL)
            src = text
            if name == "cmdline.txt":
                src = os.path.join(workdir, "stick-cmdline.txt")
                with open(src, "w") as f:
                    f.write(text + "\n")
            subprocess.run(["mcopy", "-o", "-i", img, src,
                            "::/vamap/" + name], check=True)
        a += ["-device", "qemu-xhci", "-drive",
              f"if=none,id=stick,format=raw,file={disk}",
              "-device", "usb-storage,drive=stick"]
    else:
        raise ValueError("unknown boot method " + boot)
    return a + list(extra)


def base_argv(machine, mem, smp, cpu, serial, debugcon, firmware_args,
              workdir, reboot=False):
    """What every boot has, whatever the firmware: the machine, the exit
    port, the debug console, the serial port, and QEMU's reset log (it
    tells a triple fault from a shutdown, see exit_name)."""
    reset_log = os.path.join(workdir, RESET_LOG)
    if os.path.exists(reset_log):
        os.unlink(reset_log)
    a = [QEMU, "-nodefaults", "-display", "none"] + \
        ([] if reboot else ["-no-reboot"]) + [
         "-machine", machine, "-m", mem, "-smp", str(smp),
         "-d", "cpu_reset", "-D", reset_log] + firmware_args
    a += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if cpu:
        a += ["-cpu", cpu]
    if debugcon:
        a += ["-debugcon", f"file:{debugcon}",
              "-global", "isa-debugcon.iobase=0x402"]
    return a + ["-serial", serial or "mon:stdio"]


def uboot_argv(efi, workdir, machine, mem, smp, cmdline, cpu, extra,
               serial, debugcon, drivers=(), waivers=None, fresh_disk=True,
               rom=UBOOT_ROM, reboot=False):
    disk = os.path.join(workdir, "esp.img")
    if fresh_disk or not os.path.exists(disk):
        prepare_esp_disk(workdir, efi, cmdline, drivers, waivers)
    a = base_argv(machine, mem, smp, cpu, serial, debugcon,
                  ["-bios", rom], workdir, reboot)
    if machine.startswith("q35"):
        # U-Boot finds the ESP on q35's own AHCI controller.
        a += ["-drive", f"if=none,id=esp,format=raw,file={disk}",
              "-device", "ide-hd,drive=esp,bus=ide.0"]
    else:
        a += ["-drive", f"if=virtio,format=raw,file={disk}"]
    return a + list(extra)


# What QEMU's exit status means: isa-debug-exit turns a byte v into
# (v << 1) | 1 (include/exitcode.h); -no-reboot turns a power-off, a reset
# request and a triple fault alike into a plain exit 0. The reset log
# (-d cpu_reset) tells them apart: QEMU writes "Triple fault" there when
# the CPU shuts down on a fault while delivering a double fault.
EXIT_NAMES = {33: "pass", 35: "fail", 37: "fault", 39: "stub-error"}
RESET_LOG = "qemu-reset.log"


def exit_name(status, workdir=None):
    if status == 0:
        try:
            with open(os.path.join(workdir, RESET_LOG), errors="replace") as f:
                if "Triple fault" in f.read():
                    return "triple-fault"
        except (OSError, TypeError):
            return "shutdown-or-triple-fault"
        return "shutdown-or-reset"
    return EXIT_NAMES.get(status, f"status-{status}")


def judge(status, workdir, log, timed_out):
    """How `make run` ends: (exit status, what happened). Non-zero for a
    FAIL whatever the end, a fault, a stub error, a triple fault, a boot
    that ended before its summary, and a timeout."""
    try:
        text = open(log, errors="replace").read() if log else ""
    except OSError:
        text = ""
    summary = [l for l in text.splitlines() if l.startswith("vamap: ")
               and l[7:11] in ("PASS", "FAIL")]
    end = "timeout" if timed_out else exit_name(status, workdir)
    if summary and summary[-1].startswith("vamap: FAIL"):
        return 1, f"{end}, vamap said FAIL"
    if timed_out:
        return 3, end
    if summary and end in ("pass", "shutdown-or-reset"):
        return 0, f"{end}, vamap said PASS"
    if not summary and end not in ("pass", "fail"):
        return 1, f"{end}, before vamap's summary"
    return (0 if end == "pass" else 1), end


# Debian's OVMF reaches BOOTX64.EFI about 5 s into a boot under TCG
# (QEMU.md), U-Boot in 1-2 s; a 1 TiB guest takes a few seconds more. A
# firmware that has not started vamap after this long never will: it died
# (OVMF's #GP with -m 32M), refused the image (Secure Boot), or found no
# disk. The seconds are QEMU's CPU time, not the wall clock's: on a loaded
# host a Secure Boot OVMF took over 30 s of wall time to reach vamap (issue
# 27, item 4), and a bound on the wall clock then called a live firmware
# dead. A dead one either spins (OVMF's CpuDeadLoop: CPU time runs) or
# halts (then QEMU uses none: StartWatch's stall rule ends it).
START_TIMEOUT = 30


def cpu_seconds(pid):
    """The CPU time QEMU (every thread) has used, from /proc; None when
    it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class StartWatch:
    """Has the firmware had its chance to start vamap? True from poll()
    once QEMU has used @limit seconds of CPU without vamap's first line,
    or (halted firmware) once it has used less than 2% of one CPU for
    @stall seconds of wall time after @limit wall seconds: a halted guest
    makes no progress however long it is given."""

    def __init__(self, pid, log, limit, stall=10.0):
        self.pid, self.log, self.limit, self.stall = pid, log, limit, stall
        self.start = time.monotonic()
        self.seen = False
        self.samples = []  # (wall, cpu)

    def cpu(self):
        return cpu_seconds(self.pid)

    def poll(self):
        if not self.limit or self.seen:
            return False
        self.seen = started_in(self.log)
        if self.seen:
            return False
        now = time.monotonic()
        cpu = self.cpu()
        if cpu is None:  # no /proc: the wall clock, as before
            return now - self.start > self.limit
        if cpu > self.limit:
            return True
        self.samples = [(w, c) for w, c in self.samples
                        if now - w <= self.stall] + [(now, cpu)]
        w0, c0 = self.samples[0]
        return (now - self.start > self.limit and now - w0 >= self.stall * 0.9
                and cpu - c0 < 0.02 * (now - w0))


def stall_range(text):
    """--stall-vcpus MIN:MAX (seconds) -> (MIN, MAX)."""
    try:
        lo, hi = (float(x) for x in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: want MIN:MAX seconds")
    if not 0 < lo <= hi <= 60:
        raise argparse.ArgumentTypeError(f"{text!r}: want 0 < MIN <= MAX <= 60")
    return lo, hi


def vcpu_threads(pid):
    """{"CPU 0/TCG": tid, ...}: QEMU's vCPU threads, named with -name
    ...,debug-threads=on."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tids:
        try:
            with open(f"/proc/{pid}/task/{t}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        if name.startswith("CPU "):
            out[name] = int(t)
    return out


class VcpuStaller(threading.Thread):
    """--stall-vcpus: from the first clean-log line containing @trigger
    on, one vCPU thread at a time, chosen at random, is stopped for a
    random MIN..MAX seconds while the others run, then let go: what a
    loaded host does to a virtual CPU, made sure of. ptrace stops the one
    thread (PTRACE_SEIZE, PTRACE_INTERRUPT; PTRACE_DETACH lets it go);
    QEMU's clock runs on, so a CPU that was stopped enters SMM, or answers
    an IPI, seconds late (docs/decisions.md, issue 27)."""

    SEIZE, INTERRUPT, DETACH, WALL = 0x4206, 0x4207, 17, 0x40000000

    def __init__(self, pid, log, lo, hi, trigger="efi: SetVirtualAddressMap",
                 seed=None):
        super().__init__(daemon=True)
        self.pid, self.log, self.lo, self.hi = pid, log, lo, hi
        self.trigger = trigger
        self.rng = random.Random(seed)
        self.finish = threading.Event()
        self.stalls, self.longest, self.error = 0, 0.0, None

    def triggered(self):
        try:
            with open(self.log, errors="replace") as f:
                return self.trigger in f.read()
        except OSError:
            return False

    def stall(self, libc, tid, secs):
        """Stop thread @tid for @secs (cut short by stop()); False when it
        could not be stopped (gone, or ptrace refused)."""
        if libc.ptrace(self.SEIZE, tid, None, None) != 0:
            err = ctypes.get_errno()
            if err != 3:  # ESRCH: the thread ended
                self.error = f"ptrace refused: {os.strerror(err)}"
            return False
        try:
            libc.ptrace(self.INTERRUPT, tid, None, None)
            try:
                os.waitpid(tid, self.WALL)
            except ChildProcessError:
                pass
            self.finish.wait(secs)
        finally:
            # A thread that died stopped (QEMU ended) is this thread's to
            # reap, or QEMU's process stays a zombie nobody can wait for.
            if libc.ptrace(self.DETACH, tid, None, None) != 0:
                try:
                    os.waitpid(tid, self.WALL)
                except ChildProcessError:
                    pass
        return True

    def run(self):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                                ctypes.c_void_p]
        while not self.finish.is_set() and not self.triggered():
            self.finish.wait(0.1)
        while not self.finish.is_set() and not self.error:
            threads = vcpu_threads(self.pid)
            if not threads:
                return
            tid = threads[self.rng.choice(sorted(threads))]
            secs = self.rng.uniform(self.lo, self.hi)
            if self.stall(libc, tid, secs):
                self.stalls += 1
                self.longest = max(self.longest, secs)
            self.finish.wait(self.rng.uniform(0, 0.3))

    def stop(self):
        self.finish.set()
        self.join(timeout=5)

    def summary(self):
        what = (f"{self.stalls} stalls of {self.lo:g}-{self.hi:g} s, the "
                f"longest {self.longest:.2f} s" if self.stalls
                else f"no stall (nothing said {self.trigger!r})")
        return what + (f"; {self.error}" if self.error else "")


def started_in(log):
    """Has vamap's stub written its first line to the clean log?"""
    try:
        with open(log, errors="replace") as f:
            return "stub: " in f.read(1 << 16)
    except OSError:
        return False


def tail_of(path, n=5):
    """The last n non-empty lines of a log, ANSI escapes and CRs out."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()[-(64 << 10):]
    except OSError:
        return []
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r", "\n")
    return [l.rstrip() for l in text.split("\n") if l.strip()][-n:]


def halted_in(log):
    try:
        with open(log, errors="replace") as f:
            return "\nvamap: halted" in f.read()
    except OSError:
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["run"])
    p.add_argument("--efi", required=True)
    p.add_argument("--cmdline", default="")
    p.add_argument("--machine", default="q35")
    p.add_argument("--mem", default="2G")
    p.add_argument("--smp", default=1)
    p.add_argument("--boot", default="fat",
                   choices=["fat", "disk", "kernel", "usb", "shell"])
    p.add_argument("--workdir", default="build/run")
    p.add_argument("--debugcon", help="the clean log (QEMU's debug port) to "
                   "this file; default WORKDIR/vamap.log")
    p.add_argument("--secure-boot", action="store_true",
                   help="Secure Boot OVMF with the snakeoil keys enrolled")
    p.add_argument("--firmware", default="ovmf",
                   help="ovmf (default), ovmf-secboot, u-boot, or the path "
                   "of an OVMF-style code image")
    p.add_argument("--firmware-vars", help="the variable store to copy for "
                   "a --firmware path (default Debian's OVMF_VARS_4M.fd)")
    p.add_argument("--keep", action="store_true", help="reuse the variable "
                   "store and the stick of the last run in WORKDIR")
    p.add_argument("--timeout", type=float, default=0, help="stop QEMU "
                   "after this many seconds (0: never)")
    p.add_argument("--start-timeout", type=float, default=START_TIMEOUT,
                   help="stop QEMU when the firmware has not started vamap "
                   "after this many seconds of QEMU's CPU time, or has "
                   "halted (0: never)")
    p.add_argument("--end-at-halt", action="store_true", help="stop QEMU "
                   "once vamap says it halted (exit=halt, the stick's menu)")
    p.add_argument("--driver", action="append", default=[],
                   help="a runtime driver for the stub to start (repeat)")
    p.add_argument("--modes", help="modes= words (all, or efi= modes "
                   "comma-separated), put on the stick as vamap/cmdline.txt "
                   "(--boot usb); QEMU then lets the guest reset between "
                   "the runs")
    p.add_argument("--waivers", help="a waivers file, put on the boot "
                   "volume as vamap/waivers.txt (include/verdict.h)")
    p.add_argument("--stall-vcpus", type=stall_range, metavar="MIN:MAX",
                   help="once vamap has called SetVirtualAddressMap, stop "
                   "one vCPU thread at a time for MIN..MAX seconds at "
                   "random, the others running (a loaded host, made sure "
                   "of; ptrace)")
    a, extra = p.parse_known_args()
    extra = [x for x in extra if x != "--"]  # the rest goes to QEMU
    missing = [f"the waivers file {a.waivers} (WAIVERS=)"] \
        if a.waivers and not os.path.isfile(a.waivers) else []
    missing += [f"the driver {d}" for d in a.driver if not os.path.isfile(d)]
    if missing:
        print(f"qemu.py: no such file: {'; '.join(missing)}", file=sys.stderr)
        sys.exit(2)
    log = a.debugcon or os.path.join(a.workdir, "vamap.log")
    os.makedirs(os.path.dirname(os.path.abspath(log)), exist_ok=True)
    if os.path.exists(log):
        os.unlink(log)
    try:
        cmd = argv(a.efi, a.workdir, a.machine, a.mem, a.smp, a.boot,
                   a.cmdline, extra=extra, debugcon=log,
                   secure_boot=a.secure_boot, firmware=a.firmware,
                   firmware_vars=a.firmware_vars, drivers=a.driver,
                   waivers=a.waivers, fresh_vars=not a.keep,
                   fresh_disk=not a.keep,
                   stick_cmdline=f"modes={a.modes}" if a.modes else None,
                   reboot=bool(a.modes))
    except ValueError as e:
        sys.exit(f"qemu.py: {e}")
    if a.stall_vcpus:
        cmd += ["-name", "vamap,debug-threads=on"]  # the vCPU threads' names
    print("+ " + " ".join(cmd), file=sys.stderr)
    print("qemu: the serial console follows; Ctrl-A x quits QEMU"
          + (f", and it is stopped after {a.timeout:g} s" if a.timeout else "")
          + f". The clean log goes to {log}.", file=sys.stderr)
    proc = subprocess.Popen(cmd)
    timed_out = halted = never = False
    start = time.monotonic()
    watch = StartWatch(proc.pid, log, a.start_timeout)
    staller = None
    if a.stall_vcpus:
        staller = VcpuStaller(proc.pid, log, *a.stall_vcpus)
        staller.start()
    try:
        while True:
            try:
                status = proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            elapsed = time.monotonic() - start
            if a.timeout and elapsed > a.timeout:
                timed_out = True
            elif watch.poll():
                never = timed_out = True
            elif a.end_at_halt and halted_in(log):
                halted = True
            if timed_out or halted:
                if staller:
                    staller.stop()  # no thread left stopped by it
                proc.kill()
                status = proc.wait()
                break
    except KeyboardInterrupt:
        if staller:
            staller.stop()
        proc.kill()
        status = proc.wait()
    if staller:
        staller.stop()  # again: a no-op once stopped
        print(f"qemu: --stall-vcpus: {staller.summary()}", file=sys.stderr)
    code, what = judge(0 if halted else status, a.workdir, log, timed_out)
    if never:
        print(f"qemu: stopped after {a.start_timeout:g} s of CPU time (or a "
              f"halted guest): the firmware never "
              f"started vamap (no stub line in {log}): it stopped early, "
              "refused the image (Secure Boot) or found no disk; its own "
              "output is the serial console above (--start-timeout 0 waits)",
              file=sys.stderr)
        sys.exit(3)
    if halted:  # the summary decides; QEMU's end was ours
        what = what.split(", ", 1)[1] if ", " in what else what
        print(f"qemu: stopped after vamap halted ({what}); log: {log}",
              file=sys.stderr)
    else:
        print(f"qemu: exit status {status} ({what}); log: {log}",
              file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
