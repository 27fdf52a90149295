# SPDX-License-Identifier: MIT
"""The boot-test matrix: one entry per configuration, one golden log each
(tests/golden/NAME.log).

  name     the golden log's name
  efi      which image (default build/vamap.efi)
  machine, mem, smp, cpu, extra  QEMU settings (tools/qemu.py)
  boot     "fat" (EFI/BOOT/BOOTX64.EFI, command line in vamap/cmdline.txt),
           "kernel" (-kernel EFI -append CMDLINE) or "shell" (OVMF's UEFI
           Shell runs startup.nsh: \vamap.efi CMDLINE)
  cmdline  vamap's command line
  expect   the exit QEMU must report: pass, fail, fault, stub-error, or
           "refused": the firmware printed refused_when (a regex) on the
           serial port, and the harness stopped QEMU there
  secure_boot  Secure Boot OVMF with OVMF's snakeoil keys (QEMU.md)
  sequence_expect  each boot's exit, when they differ (expect is then the
           exit of the whole sequence, after its report check)
  sequence boot methods for consecutive boots on one VARS file and one
           stick ("usb" boots build/vamap-test.img, "kernel" boots
           build/vamap.efi with -kernel, whose volume is read-only); after
           the last, the stick must hold the first boot's report (checked
           with mtools against the first boot's log)
  screendump  a VGA display; when the log ends ("vamap: halted") the
           harness takes QEMU's screendump and compares it pixel for pixel
           with the same log drawn on the host by the kernel's fbcon code
           (expect "screendump")
  masks    extra (regex, replacement) pairs for what varies in this
           configuration only, each with its reason beside it
  halt_quiet  seconds: the run halts (exit=halt) and must print nothing
           after "vamap: halted" for this long; then the harness stops
           QEMU (expect "halted")
  timeout  total seconds (default 180); silence  seconds without output
  drivers  zoo drivers (tests/zoo/NAME.c, built as build/zoo/NAME.efi)
           the stub starts from vamap/drivers/ before ExitBootServices
  vars_unchanged  boot once with efi=noruntime to let OVMF settle its
           variable store, then the configuration on that store: any
           variable it changes but its report, OVMF's MTC and RTCALARM
           fails it (run.py, VARS_MAY_CHANGE)
  waivers  text for vamap/waivers.txt on the boot volume (include/verdict.h)
  keypress_on  a regex: when the serial port shows it, the harness presses
           a key through QEMU's monitor, once (the Shell's startup.nsh
           countdown waits 5 s for one)
  stick_cmdline  (boot "usb") words for vamap/cmdline.txt on the stick
           (before the GRUB entry's); the guest may reset, QEMU goes on
           (a modes= sequence resets between its runs)
  reboot   the guest may reset, QEMU goes on (boot "disk": a GPT disk on
           virtio with vamap/cmdline.txt and the drivers, kept across
           the resets)
  firmware "ovmf" (default) or "u-boot": U-Boot's UEFI from Debian's
           u-boot-qemu, booting vamap from a GPT disk through its own
           boot flow (tools/qemu.py); its verdicts are in docs/u-boot.md
"""

DEFAULT = dict(efi="build/vamap.efi", machine="q35", mem="2G", smp=1,
               cpu=None, extra=(), boot="fat", cmdline="exit=qemu",
               expect="pass", timeout=180, silence=60, secure_boot=False,
               refused_when=None, masks=(), sequence=(), sequence_expect=(),
               screendump=False,
               firmware="ovmf", drivers=(), waivers=None, halt_quiet=0,
               vars_unchanged=False, keypress_on=None, stick_cmdline=None,
               reboot=False)

# Which of the check's GetTime calls the AP's NMI lands in, and where in
# it, depends on the host's timing.
NMI_TEST_MASKS = (
    (r"(test: the AP's NMI )\d+ landed on cpu 0 in \w+ at rip "
     r"0x[0-9a-f#]{16}", r"\1# landed on cpu 0 in a service"),
)

SHELL_MASKS = (
    (r"(?:^mem\d+ .*\n)+", "mem### (the map as the Shell left it)\n"),
    (r"\(\d+ descriptors,", "(# descriptors,"),
    (r"\b\d+ (RAM )?regions\b", r"# \1regions"),
    (r" desc \d+$", " desc #"),
)

# From a stick, OVMF places vamap.efi by the image's size: where its
# LoaderCode lies beside a small BootData block, and how many descriptors
# the map then has, move with every change to the kernel. The stick boots
# prove the report's way to the stick, not the firmware's map (every other
# boot holds that): their maps read as one line, and the counts and
# descriptor numbers that follow from the map as "#".
USB_ORDER_MASKS = (
    (r"(?:^mem\d+ .*\n)+", "mem### (a stick boot's map: it moves with the "
     "image's size)\n"),
    (r"\(\d+ descriptors,", "(# descriptors,"),
    (r"\b\d+ (RAM )?regions\b", r"# \1regions"),
    (r"\bdesc \d+\b", "desc #"),
)

# U-Boot's SetVirtualAddressMap moves the System Table's pointers (its
# configuration table array, the relocated runtime) and computes the
# Runtime Services table's CRC32 again, not the System Table's: efi.tables
# fails in every mode that calls it with VA != PA (docs/u-boot.md). A
# finding, left standing in uboot-slot, waived where a boot proves
# something else.
UBOOT_TABLES_WAIVER = ("efi.tables U-Boot 2023.01: SetVirtualAddressMap "
                       "changes the System Table, not its CRC32\n")
# U-Boot's SetVirtualAddressMap is plain U-Boot code, in BootServicesCode,
# until its first call (efi.svam.location fails in every mode that reads
# the table; docs/u-boot.md): standing in uboot-slot, uboot-q35-smp2 and
# uboot2025-q35-smp2, waived where a boot proves something else.
UBOOT_SVAM_WAIVER = ("efi.svam.location U-Boot: SetVirtualAddressMap lies in "
                     "BootServicesCode until it is called\n")

CONFIGS = [
    dict(name="q35-2g"),
    # Above 4 GiB, booted through -kernel ... -append (LoadOptions), with
    # verbose: the one golden log of the verbose lines. (Was two boots,
    # q35-8g and kernel-append: merged to save suite time.)
    dict(name="q35-8g", mem="8G", boot="kernel", cmdline="exit=qemu verbose"),
    # The UEFI Shell (OVMF's built-in one, reached because the drive has no
    # removable-media path) starts vamap from startup.nsh: the Shell passes
    # "\\vamap.efi exit=qemu efi=1to1" as LoadOptions; the stub skips argv[0].
    # A key at the Shell's "Press ESC in 5 seconds ... any other key to
    # continue" runs startup.nsh at once (5 s of suite time).
    # Where the Shell loads vamap.efi splits its free memory differently
    # as the image grows by a page, so the map's descriptors and the
    # counts of regions are masked here (every other configuration holds
    # them): the log judges the start from the Shell, not the map.
    dict(name="shell", boot="shell", cmdline="exit=qemu efi=1to1", timeout=120,
         keypress_on=r"any other key to continue", masks=SHELL_MASKS),
    # The stub makes the first ExitBootServices key stale on purpose; the
    # log must show the retry and the boot must still pass.
    # Deliberate faults: the handler's report, then the fault exit code.
    dict(name="pagefault", cmdline="exit=qemu test=pagefault", expect="fault"),
    dict(name="gpfault", cmdline="exit=qemu test=gpfault", expect="fault"),
    # The boot stack overflows into its guard page: the #PF cannot push its
    # frame, the #DF arrives on its own IST stack and reports, no triple fault.
    dict(name="stack-overflow", cmdline="exit=qemu test=stack-overflow",
         expect="fault"),
    # ... and the report's SetVariable, called from that #DF handler, runs
    # off its own stack (the zoo's results_overflow): a second #DF inside
    # the first one's call, on a stack of its own (once it landed on the
    # first one's frames and vamap jumped to 0). The call ends, named, the
    # report is not kept, the run ends as a fault.
    dict(name="stack-overflow-save", cmdline="exit=qemu test=stack-overflow",
         expect="fault", drivers=("results_overflow",)),
    # A build whose embedded kernel has a segment outside the image: the
    # stub must refuse it with a message and never jump.
    dict(name="badelf", efi="build/vamap-badelf.efi", expect="stub-error"),
    # A checked address conversion misused: __pa() of an image address
    # must panic, naming the address and the code that asked.
    dict(name="bad-pa", cmdline="exit=qemu test=bad-pa", expect="fault"),
    # Above 512 GiB: the direct map needs a second PGD slot. QEMU.md: no
    # host memory is used (reserve=off); 1 TiB needs 42 physical address
    # bits, and 1 GiB pages or OVMF hangs, so it also runs our 1 GiB path.
    dict(name="q35-600g", machine="q35,memory-backend=ram0", mem="600G",
         extra=("-object", "memory-backend-ram,id=ram0,size=600G,reserve=off")),
    # Also the firmware handing over in 5-level paging (test=la57-enter: the
    # stub turns LA57 on over OVMF's tables, which OVMF runs on until
    # ExitBootServices, then leaves it through boot/longmode.asm): -cpu max
    # has LA57, and a 1 TiB direct map is what 5-level machines have.
    dict(name="q35-1t", machine="q35,memory-backend=ram0", mem="1T",
         cpu="max,phys-bits=42", smp=2, cmdline="exit=qemu test=la57-enter",
         extra=("-object", "memory-backend-ram,id=ram0,size=1T,reserve=off")),
    # APs through the trampoline (-smp 1 is q35-2g).
    # ... and the machine left as found: a settling boot with efi=noruntime
    # first, then this one on the same variable store, which must change
    # nothing but vamap's report, OVMF's MTC and RTCALARM (run.py). With
    # `stress`, the loops of efi/stress.c run too (their VamapStress*
    # variables must be gone again); calls per second depend on the host.
    # And two NUMA nodes, one CPU each, the second above 4 GiB: QEMU's ACPI
    # then has an SRAT, whose memory ranges efi.memmap.complete compares
    # with the map besides SMBIOS type 19. (Was its own boot, q35-numa:
    # merged to save suite time.)
    dict(name="q35-smp2", smp=2, vars_unchanged=True, mem="4G",
         extra=("-object", "memory-backend-ram,size=1G,id=m0",
                "-object", "memory-backend-ram,size=3G,id=m1",
                "-numa", "node,nodeid=0,memdev=m0,cpus=0",
                "-numa", "node,nodeid=1,memdev=m1,cpus=1"),
         cmdline="exit=qemu stress",
         masks=((r"\d+ calls/s", "# calls/s"),
                # the kept report holds those numbers
                (r"(report kept in \d+ variables? \()\d+ bytes",
                 r"\1# bytes"))),
    # (q35 with 2 CPUs is q35-smp2 and many more smp80; pc-smp2 and
    # q35-smp4 were dropped to save suite time: they proved nothing these
    # do not.)
    # The pc machine, small (128 MiB), with 4 CPUs. (Was two boots,
    # pc-128m and pc-smp4: merged to save suite time.)
    dict(name="pc-smp4", machine="pc", mem="128M", smp=4),
    # A malformed MADT: named in the log, the BSP goes on alone, and
    # smp.aps fails (a firmware finding).
    dict(name="madt-corrupt", smp=2, cmdline="exit=qemu test=madt-corrupt",
         expect="fail"),
    # An AP that never gets its SIPI: a timeout line, the others still
    # come online, smp.aps fails; no hang.
    # smp.timeout=1000: the default waits 10 s for each (as Linux does).
    dict(name="ap-timeout", smp=4,
         cmdline="exit=qemu smp.timeout=1000 test=ap-nosipi,ap-late",
         expect="fail",
         masks=((r"(answered )\d+( ms after vamap gave up)", r"\1#\2"),)),
    # The build without SMP runs every other step and skips the APs.
    dict(name="nosmp", efi="build/nosmp/vamap.efi", smp=2),
    # The EFI mapping modes (q35-2g is efi=slot, the default). The other
    # modes' logs are held by strict-1to1 and strict-novamap (efi.strict,
    # the default, named), and every mode is booted and
    # judged by its verdicts in tests/host/test_check.py (make check);
    # efi-1to1, efi-novamap and efi-noruntime were dropped for suite time.
    dict(name="efi-linux", cmdline="exit=qemu efi=linux"),
    # One runtime data region left unmapped after SVAM: the firmware fault
    # must be caught and attributed, runtime services switched off, and the
    # boot must still finish its report (a failed check, not a crash).
    dict(name="efi-fault", cmdline="exit=qemu test=efi-fault", expect="fail"),
    # Stale pointers after SVAM (efi_fault.h), simulated by handing GetTime
    # one: a boot-services page by its physical address, then (efi=linux)
    # by its window address, unmapped when SVAM returned: each time one
    # page is lent and GetTime completes (findings, so FAIL); into
    # swapper_pg_dir (efi=slot) the call ends and no kernel byte changes.
    # walk-unreadable: every name of the GetNextVariableName walk is read
    # under a GUID one bit off, so efi.variable.next.walk fails too.
    # slow-lend: the first lend's handler outlasts efi.timeout=, so the
    # watching AP's deadline NMI lands in vamap's own handler: it must be
    # deflected and the time not charged (efi.watchdog passes, naming it).
    # efi.timeout=8000, not the default: slow-lend spins the bound and
    # 300 ms; under 2000 a loaded host once made OVMF's emulated-flash
    # SetVariable (the report's save) outlast it.
    dict(name="efi-lowref", smp=2,
         cmdline="exit=qemu efi=linux efi.timeout=8000 "
                 "test=efi-lowref,walk-unreadable,slow-lend",
         expect="fail"),
    dict(name="efi-lowref-kernel", cmdline="exit=qemu test=efi-lowref-kernel",
         expect="fail"),
    # GetTime in memory the attributes table marks XP (a late-loaded
    # runtime driver under EDK2): efi.pointers names the entry.
    # svam= probes (docs/checks.md): maps SetVirtualAddressMap must refuse,
    # before vamap's own. Refused with the spec's status, then vamap's own
    # map, passed out of order, succeeds: PASS.
    dict(name="svam-refused", smp=2,
         cmdline="exit=qemu svam=bad-version,bad-size,shuffled"),
    # Accepted (EDK2 checks only the descriptor version and size): the
    # probe fails, runtime services go off, the boot reaches its report.
    dict(name="svam-missing", cmdline="exit=qemu svam=missing", expect="fail"),
    dict(name="svam-unknown", cmdline="exit=qemu svam=unknown", expect="fail"),
    dict(name="svam-misaligned", cmdline="exit=qemu svam=misaligned",
         expect="fail"),
    # only= and skip= (include/cmdline.h): the checks left out are SKIPs
    # "not selected" and make no call; the prerequisites of a selected
    # check still run (efi.variable.set.create makes the variable the
    # efi.variable.get.* checks read; the wake-up round trip arms the
    # timer invalid_year needs), reported as not selected.
    dict(name="select", cmdline="exit=qemu only=efi.variable.get,"
         "efi.wakeup.set.invalid_year,mm skip=*.null_*,mm.fixmap"),
    # The same failure waived (\vamap\waivers.txt): "# TODO waived:",
    # the run passes; a prefix waiver, a stale one and bad lines are named.
    dict(name="waivers", cmdline="exit=qemu test=memattr-xp", expect="pass",
         waivers="# known firmware bugs, each with its ticket\n"
                 "efi.pointers   GetTime in XP memory [FW-1234], fixed in 2.1\n"
                 "efi.setup*\tthe same bug, seen by setup\n"
                 "efi.svam  stale: this check passes\n"
                 "efi.get_time\n"
                 "bad!label why\n"
                 "efi.wx\xe9 not ASCII\n"),
    # ResetSystem(shutdown) at the end: QEMU powers off (status 0 under
    # -no-reboot) right after the log's ResetSystem line, and its reset log
    # has no "Triple fault" (tools/qemu.py, exit_name) ...
    dict(name="efi-reset", cmdline="exit=qemu reset=shutdown",
         expect="shutdown-or-reset"),
    # ... which a real triple fault does have.
    dict(name="triple-fault", cmdline="exit=qemu test=triple-fault",
         expect="triple-fault"),
    # A firmware call that never returns (test=efi-hang: a stand-in that
    # spins with interrupts off): the watchdog's NMI ends it after
    # efi.timeout=, from the watching AP, or from the PIT through the I/O
    # APIC when the BSP is alone; runtime services off, the report goes on.
    # (3000 ms, as zoo-never-returns: the report's SetVariable after the
    # hang stays well inside it; the default 5000 cost 2 s of suite time.)
    # test=watchdog-late: the watching AP answers its first wake-up after
    # the bound, so the BSP gives up on it and the PIT ends the hang (the
    # AP ending one is zoo-never-returns).
    dict(name="efi-hang", smp=2, cmdline="exit=qemu "
         "test=efi-hang,watchdog-late efi.timeout=3000", expect="fail"),
    # A #MC inside a call (test=fatal-in-call) ends the run: kernel_exit
    # saves the report through a guarded call, which the zoo's
    # results_fault makes fault (ended, named), then stops the watchdog for
    # good: nothing is printed after "vamap: halted" (once, the watching
    # AP's NMI resumed the aborted call 2 s later and a second report
    # followed).
    dict(name="fatal-in-call", smp=2, expect="halted", halt_quiet=3,
         cmdline="exit=halt test=fatal-in-call",
         drivers=("results_fault",)),
    # (A shorter bound, and no report to save afterwards: a SetVariable on
    # a loaded host must not meet that bound.)
    # ... spinning in vamap's own text (test=efi-hang-vamap): the watchdog
    # defers to vamap's code for a second, then ends the call all the same.
    dict(name="efi-hang-alone", cmdline="exit=qemu test=efi-hang-vamap "
         "efi.timeout=2000 results=off", expect="fail"),
    dict(name="uboot-hang", firmware="u-boot", machine="pc",
         cmdline="exit=qemu test=efi-hang efi.timeout=2000 results=off",
         expect="fail"),
    # An NMI sent to the BSP while it is in a firmware call: taken on its
    # own stack, resumed, the call completes and runtime services stay on.
    # Which call it lands in, and where, depends on the host's timing.
    dict(name="nmi-during-call", smp=2, cmdline="exit=qemu test=nmi-during-call",
         masks=NMI_TEST_MASKS),
    # trap.nmi_during_call's failure path: the AP's NMI, sent during a
    # stand-in call that waits for it (so it lands at a known place), taken
    # as the firmware's fault (test=nmi-as-fault), as vamap once did: the
    # call ends ABORTED, runtime services go off, the check fails.
    dict(name="nmi-as-fault", smp=2, expect="fail",
         cmdline="exit=qemu test=nmi-as-fault",
         masks=NMI_TEST_MASKS),
    # efi.strict (the default): efi_pgd's kernel half is the kernel image
    # alone (data read-only but for the stacks and argument buffers), in
    # every mode. GetTime handed a direct-map pointer faults there and
    # changes nothing (strict-directmap). efi.shared, the seeds' design
    # (the whole kernel half; vamap's data and bss writable and watched,
    # the rest read-only): the same write faults too (directmap), and
    # lands when the direct map is left writable (directmap-leak: the
    # check must fail); a write to vamap's IDT (the zoo's idt_write)
    # lands, is named and put back (shared); the same driver under
    # efi.strict faults and is named (zoo-idt-write).
    dict(name="shared", smp=2, cmdline="exit=qemu efi.shared",
         drivers=("idt_write",), expect="fail"),
    dict(name="zoo-idt-write", smp=2, drivers=("idt_write",), expect="fail"),
    # ... with bench (efi/bench.c: each service 33 times with every check,
    # without any, without each one): every service answers SUCCESS
    # every way — a bare call writes in place, and once wrote vamap's
    # read-only stack, faulted and ended the bench unseen; the numbers
    # are make bench's, masked here.
    dict(name="shared-linux", cmdline="exit=qemu efi.shared efi=linux bench",
         masks=((r"\b(median|max|cost|buffers|measure|compare|copy) +-?\d+",
                 r"\1 #"),)),
    dict(name="strict-1to1", cmdline="exit=qemu efi.strict efi=1to1"),
    dict(name="strict-novamap", cmdline="exit=qemu efi.strict efi=novamap"),
    dict(name="strict-directmap", cmdline="exit=qemu efi.strict "
         "test=efi-directmap", expect="fail"),
    dict(name="directmap", cmdline="exit=qemu efi.shared test=efi-directmap",
         expect="fail"),
    dict(name="directmap-leak", expect="fail", cmdline="exit=qemu efi.shared "
         "efi=linux test=efi-directmap,strict-leak"),
    dict(name="uboot-shared", firmware="u-boot", machine="pc",
         cmdline="exit=qemu efi.shared efi=linux",
         waivers=UBOOT_TABLES_WAIVER + UBOOT_SVAM_WAIVER),
    # U-Boot refuses the bad version and size too; it takes the missing,
    # unknown and misaligned maps as EDK2 does (docs/u-boot.md): each of
    # those fails its probe, in a boot of its own (uboot-svam-missing …).
    # On q35 U-Boot's FADT names a PM timer at port 0x8 that does not count
    # (acpi.pm_timer; docs/u-boot.md): waived here, a failure in
    # uboot-q35-smp2.
    dict(name="uboot-svam-refused", firmware="u-boot", smp=2,
         cmdline="exit=qemu svam=bad-version,bad-size,shuffled",
         waivers="acpi.pm_timer U-Boot on q35: FADT PM timer at port 0x8 "
                 "never counts\n" + UBOOT_TABLES_WAIVER + UBOOT_SVAM_WAIVER),
    dict(name="uboot-svam-missing", firmware="u-boot", machine="pc",
         cmdline="exit=qemu svam=missing", expect="fail"),
    dict(name="uboot-svam-unknown", firmware="u-boot", machine="pc",
         cmdline="exit=qemu svam=unknown", expect="fail"),
    # ... the misaligned map's failure is [low]: with fail-on=medium it
    # is "# TODO waived: below fail-on=medium" and the run passes (OVMF's
    # svam-misaligned keeps the failure).
    dict(name="uboot-svam-misaligned", firmware="u-boot", machine="pc",
         cmdline="exit=qemu svam=misaligned fail-on=medium", expect="pass",
         waivers=UBOOT_SVAM_WAIVER),
    # The failure paths of eight checks no real machine here trips: each
    # knob breaks what its check looks at, and only that (README); under
    # efi.strict, for efi.directmap's.
    dict(name="check-fail-paths", smp=2, expect="fail",
         cmdline="exit=qemu efi.strict test=bad-boot-info,identity-hole,"
                 "bad-conversion,fixmap-mismatch,efi-directmap,strict-leak,"
                 "wp-off,memmap-hole"),
    # Through GRUB (chainloader with arguments) from a USB stick on xHCI:
    # usb-results below boots that image twice. (usb-grub, one boot of it,
    # was dropped to save suite time.)
    # The log on the GOP framebuffer, checked against the host rendering.
    dict(name="framebuffer", cmdline="exit=halt", screendump=True,
         expect="screendump", extra=("-device", "VGA")),
    # The report kept in variables by one boot, written to the stick's
    # \vamap\results\ by the next one's stub.
    dict(name="usb-results", boot="usb", efi="build/vamap-test.img",
         sequence=("usb", "usb"), masks=USB_ORDER_MASKS),
    # The report cannot be written (a -kernel boot's volume is read-only):
    # the stub says so and keeps it, that run keeps no report of its own,
    # and the next boot from the stick writes the first one.
    dict(name="results-write-error", boot="usb", efi="build/vamap-test.img",
         sequence=("usb", "kernel", "usb"), masks=USB_ORDER_MASKS),
    # A run a #PF ends still leaves its report: the KTAP lines so far, the
    # exception report as KTAP diagnostics, boot.complete not ok; the next
    # boot from the stick writes it.
    dict(name="fault-results", boot="usb", efi="build/vamap-test.img",
         cmdline="exit=qemu test=pagefault", sequence=("kernel", "usb"),
         sequence_expect=("fault", "pass"), expect="pass",
         masks=USB_ORDER_MASKS),
    # Every mode from one stick (modes=, include/modes.h), in one QEMU that
    # lets the guest reset: efi=slot ends in ResetSystem (judged by the
    # next boot's efi.reset_system), efi=noruntime, which may not call the
    # firmware, in the reset port; the third boot writes the slot run's
    # report and the matrix to the stick, prints it and ends the sequence.
    dict(name="modes-usb", boot="usb", efi="build/vamap-test.img",
         stick_cmdline="modes=slot,noruntime", timeout=240,
         masks=USB_ORDER_MASKS),
    # ... and the failure path: the zoo's reset_returns, whose ResetSystem
    # returns, on a GPT disk (the drivers are the stub's to start, the
    # disk keeps the reports across the resets). Each step records the
    # return and resets through the port; the 1to1 step's
    # efi.reset_system fails naming the slot step's, and the matrix fails
    # naming both.
    dict(name="modes-reset-returns", boot="disk", reboot=True,
         cmdline="exit=qemu modes=slot,1to1", drivers=("reset_returns",),
         timeout=240, expect="fail", masks=USB_ORDER_MASKS),
    # U-Boot keeps no variable across a reset: the sequence goes on from
    # its copy on the disk (modes-state.bin beside the reports), each step
    # resets through the port (no SetVariable at runtime to record a
    # ResetSystem, none to keep a report), and the matrix says no mode
    # kept a report: FAIL, and why, instead of efi=slot for ever.
    dict(name="uboot-modes", firmware="u-boot", machine="pc", boot="disk",
         reboot=True, cmdline="exit=qemu modes=slot,novamap", timeout=240,
         expect="fail", masks=USB_ORDER_MASKS),
    # Secure Boot: signed with the enrolled snakeoil key, it boots and
    # sees SecureBoot = 1; unsigned, the firmware refuses to start it.
    dict(name="secureboot-signed", secure_boot=True,
         efi="build/vamap-snakeoil.efi"),
    # A slow CPU, deterministically: under -icount shift=9 every guest
    # instruction takes 512 ns of virtual time (about 2 MIPS, 500 times
    # slower than a real core), the TSC, the PIT and the RTC following it,
    # so no host load can make it slower or faster. Secure Boot OVMF, whose
    # variable services run in SMM (where two answers once went wrong on a
    # loaded host): every verdict must be secureboot-signed's, the watchdog
    # ending no call (issue 27).
    dict(name="secboot-slow-cpu", secure_boot=True,
         efi="build/vamap-snakeoil.efi", extra=("-icount", "shift=9")),
    dict(name="secureboot-unsigned", secure_boot=True, expect="refused",
         refused_when=r"Access Denied|Security Violation", timeout=120),
    # A memory map the kernel cannot read: named, every step that needs
    # it refused with a line, and the run still reports and ends (fail).
    dict(name="bad-memmap", cmdline="exit=qemu test=bad-desc-size",
         expect="fail"),
    # Words the parser does not know: named in the log, a failed check,
    # and the boot goes on to its report.
    # ... with the stub's stale-key knob too: the first ExitBootServices
    # fails on purpose and the retry must be logged and counted. (Was a
    # boot of its own, stale-mapkey: merged to save suite time.)
    dict(name="bad-cmdline", cmdline="exit=qemu bogus test=nosuchknob "
         "test=stale-mapkey", expect="fail"),
    # Execute Disable off (firmware setup, some hypervisors): no page can
    # be NX, so the W^X checks are SKIPs with that reason, and the rest
    # holds every page to its other flags. Also test=la57-enter on a CPU
    # without 5-level paging: the stub says so and stays in 4-level.
    dict(name="nonx", cpu="qemu64,-nx", cmdline="exit=qemu test=la57-enter"),
    # A server's CPU count: every CPU the MADT lists is started.
    dict(name="smp80", smp=80, timeout=240),
    # The stub allocates every other page of a range: thousands of
    # descriptors reach the kernel, and every byte is still mapped.
    # The firmware's own buffers (BootData) around the stub's pages move
    # by a page as the image grows, and with them a descriptor or two and
    # a free range: the map reads as one line, the counts keep their
    # thousands ("5### descriptors"), the free ranges their pages.
    dict(name="fragment-map", cmdline="exit=qemu test=fragment-map",
         masks=((r"(?:^mem\d+ .*\n)+", "mem#### (thousands of descriptors: "
                 "where the firmware's buffers fall moves with the image)\n"),
                (r"\b5\d{3}( descriptors| regions| RAM regions)", r"5###\1"),
                (r"\bdesc 5\d{3}\b", "desc 5###"),
                (r"( free pages in )\d+ ranges", r"\1# ranges"))),
    # Three attributes-table entries broken (in a copy), each against
    # another rule: each named, the rest applied, efi.memattr fails.
    dict(name="memattr-corrupt", cmdline="exit=qemu test=memattr-corrupt",
         expect="fail"),
    # No EFI_MEMORY_RUNTIME descriptor: a line, every runtime check SKIPs,
    # the boot completes.
    dict(name="no-runtime-descs", cmdline="exit=qemu test=no-runtime-descs"),
    # 32-bit UEFI on a 64-bit CPU (Debian's ovmf-ia32, an SMM build), from
    # the same stick the 64-bit boots use: the firmware starts its
    # EFI/BOOT/BOOTIA32.EFI, GRUB built 32-bit, whose menu's first entry
    # starts the 32-bit stub, which enters long mode through
    # boot/longmode.asm into the same kernel; the APs start; every runtime
    # check runs through the 32-bit call path (efi/thunk32.asm), with
    # SetVirtualAddressMap in the window below 4 GiB (efi/fw32.c). Three
    # zoo drivers built 32-bit, each a finding the run goes on after:
    # table_crc's stale Runtime Services CRC32 (the stub, after its
    # drivers; the kernel, after ExitBootServices, on the 32-bit tables:
    # efi.tables fails), bs_write's write to a boot-services page by its
    # physical address in compatibility mode (a page lent, the
    # instruction resumed in 32-bit code: efi.low_half fails), abi_ia32's
    # EBX (efi.abi names it with the firmware's value) and capsule_write's
    # write into the capsule QueryCapsuleCapabilities is asked about,
    # through the 4-byte CapsuleHeaderArray vamap builds for IA32 (named
    # as an input changed: efi.buffers fails; the firmware's own code
    # then reads the array, which a wrong one would fault in) and
    # gdt_swap's GDT of its own (the way back to 64-bit mode loads the
    # call page's; efi.abi names GDTR: before, a triple fault).
    dict(name="ovmf-ia32", firmware="ovmf-ia32", smp=2, boot="usb",
         efi="build/vamap-test.img", masks=USB_ORDER_MASKS,
         drivers=("table_crc", "bs_write", "abi_ia32", "capsule_write",
                  "gdt_swap"),
         expect="fail"),
    # A 32-bit service that faults (the zoo's null_call, built 32-bit: a
    # call through a NULL pointer): the #PF arrives from compatibility
    # mode on the aliased stack, the 4-byte return address its CALL left
    # names the caller (the driver's image), the call ends at the thunk's
    # recovery path in 64-bit mode, runtime services go off, the run
    # reports.
    dict(name="ovmf-ia32-fault", firmware="ovmf-ia32", smp=2,
         drivers=("null_call",), expect="fail"),
    # The other efi= modes on 32-bit OVMF, one QEMU letting the guest
    # reset (a GPT disk keeps the reports): efi=linux (the runtime regions
    # in the window below 4 GiB, in Linux's order), 1to1 and novamap (VA =
    # PA), each step's ResetSystem made through the 32-bit call path and
    # judged by the next step's efi.reset_system; the matrix at the end.
    dict(name="ovmf-ia32-modes", firmware="ovmf-ia32", boot="disk",
         reboot=True, cmdline="exit=qemu modes=linux,1to1,novamap",
         timeout=240, masks=USB_ORDER_MASKS),
    # ... on a CPU without long mode: the 32-bit stub says so and stops
    # before ExitBootServices.
    dict(name="ovmf-ia32-nolm", firmware="ovmf-ia32", cpu="qemu64,-lm",
         expect="stub-error"),
    # U-Boot's UEFI: every efi= mode, and the APs through its ACPI 1.0
    # tables. U-Boot's default bootargs arrive as LoadOptions; the command
    # line comes from vamap/cmdline.txt (README, "Command line").
    dict(name="uboot-slot", firmware="u-boot", machine="pc", expect="fail"),
    # verbose: the per-region lines of efi=linux (11 regions on U-Boot).
    # test=efi-lowref: U-Boot declares GetTime unsupported at runtime, so
    # the stale-pointer test has no call to make: SKIP, not a failure.
    dict(name="uboot-linux", firmware="u-boot", machine="pc",
         cmdline="exit=qemu efi=linux verbose test=efi-lowref",
         waivers=UBOOT_TABLES_WAIVER + UBOOT_SVAM_WAIVER),
    dict(name="uboot-1to1", firmware="u-boot", machine="pc",
         cmdline="exit=qemu efi=1to1", waivers=UBOOT_SVAM_WAIVER),
    dict(name="uboot-novamap", firmware="u-boot", machine="pc",
         cmdline="exit=qemu efi=novamap", waivers=UBOOT_SVAM_WAIVER),
    dict(name="uboot-noruntime", firmware="u-boot", machine="pc",
         cmdline="exit=qemu efi=noruntime"),
    dict(name="uboot-q35-smp2", firmware="u-boot", smp=2, expect="fail"),
    # The next firmware generation, Debian 13's packages (make firmware,
    # tools/fetch-firmware.sh): EDK2 2025.02 in every efi= mode, under
    # efi.strict and efi.shared, its Secure Boot build (its own snakeoil
    # key) and its strict-NX build (vamap.efi is NX-compatible; the
    # Memory Attribute Protocol and a version 2 attributes table show in
    # the machine lines); efi=noruntime with 8 GiB, where EDK2 2025
    # reserves 12 GiB of address space with no RAM behind it.
    dict(name="ovmf2025-slot", firmware="ovmf-2025", smp=2),
    dict(name="ovmf2025-secboot-shared", firmware="ovmf-2025-secboot",
         efi="build/vamap-snakeoil-2025.efi", cmdline="exit=qemu efi.shared"),
    # Issue 27's wrong SMM-variable answer, made on EDK2 itself: the
    # calling CPU's SMIs held (CLGI) across no_rt_at_runtime's SetVariable,
    # so the SMM core never takes its request during the call; the driver
    # returns the status left from the call before, and the line must say
    # so (0 SMIs, the same call again answered right, a reply left over).
    dict(name="ovmf2025-secboot-smi-late", firmware="ovmf-2025-secboot",
         efi="build/vamap-snakeoil-2025.efi", expect="fail",
         cmdline="exit=qemu test=smi-late only=efi.variable.*,efi.abi"),
    dict(name="ovmf2025-linux", firmware="ovmf-2025",
         cmdline="exit=qemu efi=linux"),
    dict(name="ovmf2025-strictnx-linux-shared",
         firmware="ovmf-2025-strictnx", efi="build/vamap-snakeoil-2025.efi",
         cmdline="exit=qemu efi=linux efi.shared"),
    dict(name="ovmf2025-1to1", firmware="ovmf-2025",
         cmdline="exit=qemu efi=1to1"),
    dict(name="ovmf2025-1to1-shared", firmware="ovmf-2025",
         cmdline="exit=qemu efi=1to1 efi.shared"),
    dict(name="ovmf2025-novamap", firmware="ovmf-2025",
         cmdline="exit=qemu efi=novamap"),
    dict(name="ovmf2025-novamap-shared", firmware="ovmf-2025",
         cmdline="exit=qemu efi=novamap efi.shared"),
    dict(name="ovmf2025-noruntime-8g", firmware="ovmf-2025", mem="8G",
         cmdline="exit=qemu efi=noruntime"),
    # U-Boot 2025.01 keeps 2023.01's two findings (docs/u-boot.md): the
    # q35 FADT's PM timer at port 0x8, the System Table's CRC32 after
    # SetVirtualAddressMap; and with 8 GiB its map leaves out the 5 GiB
    # above 4 GiB SMBIOS describes (2023.01 listed it): on pc, with the
    # CRC32 waived, efi.memmap.complete is the one failure.
    dict(name="uboot2025-q35-smp2", firmware="u-boot-2025", smp=2,
         expect="fail"),
    dict(name="uboot2025-linux-8g", firmware="u-boot-2025", machine="pc",
         mem="8G", cmdline="exit=qemu efi=linux", expect="fail",
         waivers="efi.tables U-Boot 2025.01: SetVirtualAddressMap changes "
                 "the System Table, not its CRC32\n" + UBOOT_SVAM_WAIVER),
    # The zoo (tests/zoo/): runtime drivers with real firmware bugs, started
    # by the stub from vamap/drivers/ before ExitBootServices. Findings
    # that leave runtime services on share one boot: stray reads and
    # writes of boot-services pages and an unconverted function pointer
    # (each page lent, the instruction resumed), clobbered RSI/R12,
    # XMM6/XMM15, DF and IF, CR0.TS/EM, CR4.OSFXSR and CR3 (each named, put
    # back before vamap's next x87 or SSE instruction), garbage output,
    # a Runtime Services table left with a stale CRC32, and a capsule header
    # written by the service asked about it (a guarded input, named). The
    # stub took 8 drivers at most, and the zoo's attributes-table record 8
    # images: bs_read was left out here unnoticed; the harness now fails a
    # boot whose drivers did not all start.
    dict(name="zoo-findings", smp=2, expect="fail",
         drivers=("bs_read", "bs_write", "fnptr_unconverted", "abi_gpr",
                  "abi_xmm", "abi_flags", "cpu_state", "garbage_out",
                  "table_crc", "capsule_write", "authvar_lax", "flaky_var")),
    # Each of these ends a call or SetVirtualAddressMap: runtime services
    # go off with the reason, the boot reaches its report.
    dict(name="zoo-page0-write", smp=2, expect="fail", drivers=("page0_write",)),
    dict(name="zoo-code-write", smp=2, expect="fail", drivers=("code_write",)),
    # Under efi.shared every zoo verdict is the same but for idt_write's
    # (checked by hand for all of them); this one once was not: under
    # efi.strict a write to the driver's own RO code in the EFI slot
    # counted as reaching kernel memory (zoo-code-write holds that now).
    dict(name="zoo-code-write-shared", smp=2, expect="fail",
         cmdline="exit=qemu efi.shared", drivers=("code_write",)),
    dict(name="zoo-mmio-unmapped", smp=2, expect="fail",
         drivers=("mmio_unmapped",)),
    dict(name="zoo-stack-hog", smp=2, expect="fail", drivers=("stack_hog",)),
    # GetMemoryMap's DescriptorSize differs between the size query and the
    # call that fills the buffer: the stub names the stride of the map it
    # would walk and stops before ExitBootServices (it once checked the
    # first call's only).
    dict(name="zoo-desc-size-shift", expect="stub-error",
         drivers=("desc_size_shift",)),
    # Writes above the caller's side of a call's frame (efi_fw_stack):
    # GetVariable's into the one quadword of alignment over its fifth
    # argument (the paint says so after the call: named once, counted,
    # runtime services stay on), then GetTime's into the guard page over
    # the stack (the call ends, named).
    dict(name="zoo-frame-write", smp=2, expect="fail",
         drivers=("frame_write",)),
    # SetVirtualAddressMap reads one descriptor past its map: the guard
    # page after the map (efi/setup.c's rt_store) stops it, named; SVAM
    # returns ABORTED, runtime services off.
    dict(name="zoo-svam-overread", smp=2, expect="fail",
         drivers=("svam_overread",)),
    # A call through a NULL function pointer: the fault at address 0 names
    # nobody; the return address on the stack names the driver.
    dict(name="zoo-null-call", smp=2, expect="fail", drivers=("null_call",)),
    # Writes past the buffers vamap hands over (efi_args.h): a 1-byte
    # BOOLEAN written as a UINT32 (the canary after it: named, the status
    # taken as ABORTED, runtime services stay on), then 24 bytes into a
    # UINT32 (the guard page after it: the call ends, named). Under
    # efi.strict the same (checked by hand).
    dict(name="zoo-buf-overrun", smp=2, expect="fail",
         drivers=("buf_overrun",)),
    # efi.timeout=3000: the report's SetVariable, after the hang, writes
    # ~9 KB of emulated flash; on a loaded host that took over 1000 ms
    # and the watchdog ended it too.
    dict(name="zoo-never-returns", smp=2, expect="fail",
         cmdline="exit=qemu efi.timeout=3000", drivers=("never_returns",)),
    dict(name="zoo-stale-mapbuf", smp=2, expect="fail",
         drivers=("stale_mapbuf",)),
    dict(name="zoo-svam-event-fault", smp=2, expect="fail",
         drivers=("svam_event_fault",)),
    dict(name="zoo-svam-fail", smp=2, expect="fail", drivers=("svam_fail",)),
    # Two service pointers the firmware leaves unusable: one into
    # boot-services code (never converted), one into a late-loaded driver
    # the attributes table marks non-executable.
    dict(name="zoo-pointers", smp=2, expect="fail",
         drivers=("table_unconverted", "no_memattr")),
    # The stub starts zoo drivers on U-Boot too (two, so their names are
    # sorted: gnu-efi's StriCmp crashed U-Boot there). U-Boot then refuses
    # SetVirtualAddressMap (docs/u-boot.md): runtime services off.
    # U-Boot places the drivers' runtime regions below vamap.efi, so they
    # move by a page as the image grows: the slot VAs' low 24 bits (and the
    # ptdump sizes) are masked; descriptors and offsets still name them.
    dict(name="uboot-zoo", firmware="u-boot", machine="pc", expect="fail",
         drivers=("stack_hog", "abi_gpr"),
         masks=((r"0xffffff7fff[0-9a-f]{6}", "0xffffff7fff######"),)),
]


# OVMF copies a -kernel image into boot-services memory, so in every boot
# of that method the sizes of that memory follow the size of vamap.efi.
KERNEL_BOOT_MASKS = (
    (r"^(mem\d+ BootData +0x\S+) +\d+[KMGT]", r"\1 #"),
    (r"\b(usable|boot services) \d+ KiB", r"\1 # KiB"),
    (r"\b\d+ free pages", "# free pages"),
    (r"\b\d+ KiB of boot-services memory", "# KiB of boot-services memory"),
)


def configs():
    return [dict(DEFAULT, **c) for c in CONFIGS]
