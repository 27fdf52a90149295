# SPDX-License-Identifier: MIT
#
# vamap: `make` builds build/vamap.efi, `make run` boots it in QEMU+OVMF,
# `make test` runs every test. Everything lands in $(BUILD).

BUILD   ?= build
CC      ?= gcc
LD      ?= ld
OBJCOPY ?= objcopy
NASM    ?= nasm
PYTHON  ?= python3
# make run: vamap's command line is "exit=qemu $(CMDLINE)" (a later word
# wins: CMDLINE=exit=halt stays in QEMU). TIMEOUT stops QEMU (seconds).
# FIRMWARE: ovmf, ovmf-secboot, u-boot, or the path of a code image, with
# FIRMWARE_VARS its variable store. KEEP=1: run-usb reuses stick and store.
CMDLINE ?=
TIMEOUT ?= 600
# make run, run-usb, check: seconds the firmware has to start vamap before
# QEMU is stopped with a line that says so (0: wait for TIMEOUT).
START_TIMEOUT ?= 30
# make check: seconds before one of its boots is stopped; MACHINE=pc|q35.
CHECK_TIMEOUT ?= 300
MACHINE ?=
FIRMWARE ?= ovmf
# Boots at once for the boot tests: one per core.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# The debug build checks every address conversion (include/addr.h); the tests
# use it. A release build: make DEBUG=0 BUILD=build-release.
DEBUG   ?= 1
# SMP=0 builds a kernel that runs every step but starting the APs.
SMP     ?= 1

ifeq ($(origin CC),default)
CC := gcc
endif

GNUEFI_INC := /usr/include/efi
GNUEFI_LIB := /usr/lib

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# The same bytes from any checkout path: vamap.efi's size moves the memory
# map GRUB hands over (the usb-* golden logs hold it).
REPRO := -ffile-prefix-map=$(CURDIR)=.

# Kernel: freestanding, no red zone (interrupts push on the stack), no SIMD
# (we never save that state), -2 GiB code model.
KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(REPRO) -Iinclude -I$(BUILD)/gen -DVAMAP_DEBUG=$(DEBUG) \
	-DCONFIG_SMP=$(SMP) \
	-ffreestanding -fno-builtin -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--gc-sections --no-warn-rwx-segments

# Stub: gnu-efi's PIC application model with the MS ABI for firmware calls.
STUB_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(REPRO) -Wno-strict-prototypes \
	-Wno-missing-prototypes -Iinclude -Iboot \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI \
	-ffreestanding -fpic -fshort-wchar -mno-red-zone -mno-sse -mno-mmx \
	-fno-stack-protector -fno-strict-aliasing -maccumulate-outgoing-args \
	-MMD -MP
STUB_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic \
	-T $(GNUEFI_LIB)/elf_x86_64_efi.lds -L$(GNUEFI_LIB)

# BOOTIA32.EFI: the same stub for 32-bit firmware on a 64-bit CPU (the
# hand-off enters long mode, boot/longmode.asm). UEFI's IA32 structures
# align 64-bit fields naturally (UEFI 2.10 2.3.2), as -malign-double does.
GNUEFI_LIB32 := /usr/lib32
STUB32_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(REPRO) -Wno-strict-prototypes \
	-Wno-missing-prototypes -Iinclude -Iboot \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/ia32 -m32 -malign-double \
	-ffreestanding -fpic -fshort-wchar -mno-sse -mno-mmx \
	-fno-stack-protector -fno-strict-aliasing -MMD -MP
STUB32_LDFLAGS := -m elf_i386 -nostdlib -znocombreloc -shared -Bsymbolic \
	-T $(GNUEFI_LIB32)/elf_ia32_efi.lds -L$(GNUEFI_LIB32)

KERNEL_C := kernel/main.c kernel/console.c kernel/traps.c kernel/ktap.c kernel/acpi.c \
	kernel/acpi_tables.c \
	kernel/madt.c kernel/cpu_state.c kernel/smi.c kernel/gdt.c kernel/smp.c kernel/watchdog.c kernel/results.c kernel/fbcon.c kernel/font.c \
	kernel/cmdline.c kernel/printf.c kernel/lib.c kernel/verdict.c kernel/machine.c kernel/ksyms.c \
	$(wildcard efi/*.c) \
	$(wildcard mm/*.c)
STUB_C := boot/stub.c boot/console.c boot/pagetable.c boot/elf_check.c boot/drivers.c boot/longmode.c \
	boot/results.c boot/modes.c boot/matrix.c boot/machine.c boot/smbios.c kernel/acpi_tables.c kernel/cmdline.c kernel/printf.c \
	kernel/results.c \
	efi/names.c efi/memdesc.c efi/table_hdr.c mm/pgtable.c

KERNEL_ASM := kernel/entry.asm efi/thunk.asm efi/thunk32.asm
KERNEL_OBJS := $(KERNEL_C:%.c=$(BUILD)/kernel-obj/%.o) \
	$(KERNEL_ASM:%.asm=$(BUILD)/kernel-obj/%.o) \
	$(BUILD)/kernel-obj/trampoline-blob.o $(BUILD)/kernel-obj/authvar_payloads.o
# The AP trampoline: a flat binary for the address include/smp.h names.
TRAMPOLINE_BASE := $(shell sed -n 's/^\#define TRAMPOLINE_BASE \(0x[0-9a-f]*\)$$/\1/p' include/smp.h)
STUB_OBJS := $(STUB_C:%.c=$(BUILD)/stub-obj/%.o) $(BUILD)/stub-obj/longmode-blob.o
STUB32_OBJS := $(STUB_C:%.c=$(BUILD)/stub32-obj/%.o) $(BUILD)/stub32-obj/boot/libgcc32.o \
	$(BUILD)/stub32-obj/longmode-blob.o $(BUILD)/stub32-obj/blob-kernel.o
DEPS_OK := $(BUILD)/.deps-ok

.PHONY: all check gdb report results run run-usb image sign test host-test boot-test golden bench clean deps zoo help list-checks firmware ktap-parser lava lava-test \
	fuzz fuzz-short
# Keep intermediate images (the kernel ELF, the .so files, the blob objects).
.SECONDARY:
# A recipe that fails leaves no target behind: pe-nxcompat.py refusing an
# image must not leave an unmarked .efi that the next make takes as built.
.DELETE_ON_ERROR:
all: $(BUILD)/vamap.efi $(BUILD)/vamap-ia32.efi

# Install missing Debian packages once; the script is a no-op when all is there.
$(DEPS_OK): tools/install-deps.sh
	@mkdir -p $(@D)
	@tools/install-deps.sh
	@touch $@
deps: $(DEPS_OK)

# What the build is, for the log's "machine: vamap.*" lines; and the
# knobs that change every object: each file is rewritten only when its
# text changes, so a build with another DEBUG= or SMP= rebuilds, and a
# new commit recompiles only kernel/machine.c.
# "REV (clean)" or "REV (dirty)": one length either way, so a report's
# size (which some golden logs hold) does not depend on uncommitted edits.
GIT_REV := $(shell r=$$(git -C $(CURDIR) rev-parse --short=12 HEAD 2>/dev/null) && \
	{ git -C $(CURDIR) diff --quiet HEAD 2>/dev/null && echo "$$r (clean)" || \
	  echo "$$r (dirty)"; } || echo "unknown (not a git checkout)")
BUILD_TYPE := $(if $(filter 0,$(DEBUG)),release,debug) build, $(if $(filter 0,$(SMP)),no SMP (SMP=0),SMP)
define write_if_changed
	@mkdir -p $(@D)
	@printf '$(2)' >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
endef
$(BUILD)/gen/vamap_build.h: FORCE
	$(call write_if_changed,$@,#define VAMAP_GIT "$(GIT_REV)"\n#define VAMAP_BUILD_TYPE "$(BUILD_TYPE)"\n)
$(BUILD)/gen/config: FORCE
	$(call write_if_changed,$@,DEBUG=$(DEBUG) SMP=$(SMP)\n)

$(BUILD)/kernel-obj/%.o: %.c $(BUILD)/gen/config | $(DEPS_OK) $(BUILD)/gen/vamap_build.h
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel-obj/%.o: %.asm | $(DEPS_OK)
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -Werror -o $@ $<

# The authenticated-variable checks' payloads (efi/authvar.c), signed with
# two test keys made once per build directory: no key is committed.
$(BUILD)/gen/authvar_payloads.c: tools/authvar.py include/vamap_guid.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(PYTHON) tools/authvar.py $(BUILD)/authvar-keys $@
$(BUILD)/kernel-obj/authvar_payloads.o: $(BUILD)/gen/authvar_payloads.c $(BUILD)/gen/config
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/trampoline.bin: kernel/trampoline.asm include/smp.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(NASM) -f bin -Werror -DTRAMPOLINE_BASE=$(TRAMPOLINE_BASE) -o $@ $<

# Symbols _binary_trampoline_bin_{start,end}, whatever BUILD is.
$(BUILD)/kernel-obj/trampoline-blob.o: $(BUILD)/trampoline.bin
	@mkdir -p $(@D)
	cd $(BUILD) && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata,alloc,load,readonly,data,contents \
		trampoline.bin kernel-obj/trampoline-blob.o

# The build without SMP, for its boot test.
$(BUILD)/nosmp/vamap.efi: FORCE
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/nosmp SMP=0 $@
.PHONY: FORCE
FORCE:

$(BUILD)/kernel.ld: linker/kernel.ld include/layout.h include/types.h
	@mkdir -p $(@D)
	$(CC) -E -P -x c -undef -D__ASSEMBLER__ -Iinclude $< -o $@

# Two links: the first with an empty symbol table, whose text symbols
# become the table (tools/ksyms.py) in the second; the table is rodata,
# after text, so no function moves, and ksyms.py check proves it.
$(BUILD)/kernel-obj/ksyms-empty.o: kernel/ksyms-empty.S
	@mkdir -p $(@D)
	$(CC) -c $< -o $@
$(BUILD)/kernel-pass1.elf: $(KERNEL_OBJS) $(BUILD)/kernel-obj/ksyms-empty.o $(BUILD)/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/kernel.ld -o $@ $(KERNEL_OBJS) \
		$(BUILD)/kernel-obj/ksyms-empty.o
$(BUILD)/ksyms.S: $(BUILD)/kernel-pass1.elf tools/ksyms.py
	$(PYTHON) tools/ksyms.py gen $< $@
$(BUILD)/kernel-obj/ksyms-table.o: $(BUILD)/ksyms.S
	$(CC) -c $< -o $@
$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/kernel-obj/ksyms-table.o $(BUILD)/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/kernel.ld -o $@ $(KERNEL_OBJS) \
		$(BUILD)/kernel-obj/ksyms-table.o
	$(PYTHON) tools/ksyms.py check $(BUILD)/kernel-pass1.elf $@

$(BUILD)/stub-obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(STUB_CFLAGS) -c $< -o $@

# The image the stub loads, and a deliberately broken one for the tests.
# Embedded without debug info: smaller, and the same bytes from any
# checkout path (NASM records the directory it ran in); build/kernel.elf
# keeps it for gdb and addr2line.
$(BUILD)/kernel-embed.elf: $(BUILD)/kernel.elf
	$(OBJCOPY) --strip-debug $< $@

$(BUILD)/stub-obj/blob-kernel.o: $(BUILD)/kernel-embed.elf boot/kernel_blob.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -DKERNEL_ELF='"$<"' -o $@ boot/kernel_blob.asm

# The mode switch (boot/longmode.asm), flat, embedded in both stubs.
$(BUILD)/longmode.bin: boot/longmode.asm | $(DEPS_OK)
	@mkdir -p $(@D)
	$(NASM) -f bin -Werror -o $@ $<
$(BUILD)/stub-obj/longmode-blob.o: $(BUILD)/longmode.bin boot/longmode_blob.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -DLONGMODE_BIN='"$<"' -o $@ boot/longmode_blob.asm

# BOOTIA32.EFI's objects: the stub's sources again, 32-bit.
$(BUILD)/stub32-obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(STUB32_CFLAGS) -c $< -o $@
$(BUILD)/stub32-obj/longmode-blob.o: $(BUILD)/longmode.bin boot/longmode_blob.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -DLONGMODE_BIN='"$<"' -o $@ boot/longmode_blob.asm
$(BUILD)/stub32-obj/blob-kernel.o: $(BUILD)/kernel-embed.elf boot/kernel_blob.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -DKERNEL_ELF='"$<"' -o $@ boot/kernel_blob.asm
$(BUILD)/vamap-ia32.so: $(STUB32_OBJS)
	$(LD) $(STUB32_LDFLAGS) $(GNUEFI_LIB32)/crt0-efi-ia32.o $^ \
		-o $@ -lefi -lgnuefi

$(BUILD)/stub-obj/blob-badelf.o: $(BUILD)/badelf.elf boot/kernel_blob.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -DKERNEL_ELF='"$<"' -o $@ boot/kernel_blob.asm
.SECONDARY: $(BUILD)/kernel.elf $(BUILD)/kernel-embed.elf $(BUILD)/badelf.elf \
	$(BUILD)/kernel-pass1.elf $(BUILD)/ksyms.S

$(BUILD)/badelf.elf: $(BUILD)/kernel-embed.elf tools/corrupt-elf.py
	$(PYTHON) tools/corrupt-elf.py segment-outside $< $@

$(BUILD)/%.so: $(STUB_OBJS) $(BUILD)/stub-obj/blob-%.o
	$(LD) $(STUB_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $^ \
		-o $@ -lefi -lgnuefi

# gnu-efi .so -> PE32+: $(call TO_PE,TARGET,SUBSYSTEM). No COFF symbol
# table: it would trail the last section, and sbsign warns about data past
# the sections. vamap is an application (subsystem 10).
TO_PE = $(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
	-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc --strip-all \
	--target $(1) --subsystem=$(2) $< $@
TO_EFI = $(call TO_PE,efi-app-x86_64,10)
# NX-compatible (PE DllCharacteristics), checked before it is claimed:
# page-aligned sections, none writable and executable (tools/pe-nxcompat.py);
# a strict-NX firmware (FIRMWARE=ovmf-2025-strictnx) loads such images.
$(BUILD)/vamap.efi: $(BUILD)/kernel.so tools/pe-nxcompat.py
	$(TO_EFI)
	$(PYTHON) tools/pe-nxcompat.py $@
$(BUILD)/vamap-badelf.efi: $(BUILD)/badelf.so
	$(TO_EFI)
$(BUILD)/vamap-ia32.efi: $(BUILD)/vamap-ia32.so tools/pe-nxcompat.py
	$(call TO_PE,efi-app-ia32,10)
	$(PYTHON) tools/pe-nxcompat.py $@

# FIRMWARE=ovmf-secboot enrolls the snakeoil keys: it boots the build
# signed with them, as the secureboot-signed boot test does (the unsigned
# one is refused: Access Denied).
# The 2025 presets (Debian 13's packages, make firmware) sign with that
# package's own snakeoil key, which is not Debian 12's.
RUN_EFI = $(if $(filter ovmf-secboot,$(FIRMWARE)),$(BUILD)/vamap-snakeoil.efi,$(if \
	$(filter ovmf-2025-secboot ovmf-2025-strictnx,$(FIRMWARE)),$(BUILD)/vamap-snakeoil-2025.efi,$(BUILD)/vamap.efi))
# 32-bit firmware starts BOOTIA32.EFI, the 32-bit build beside RUN_EFI.
RUN_EFI32 = $(if $(filter ovmf-ia32,$(FIRMWARE)),$(BUILD)/vamap-ia32.efi)
# A 2025 preset fetches its firmware first (once: tools/fetch-firmware.sh).
RUN_FIRMWARE = $(if $(filter %-2025 %-2025-secboot %-2025-strictnx,$(FIRMWARE)),$(FIRMWARE_STAMP))
# CHECKS=GLOBS, SKIP_CHECKS=GLOBS, FAIL_ON=SEVERITY: vamap's only=, skip=
# and fail-on= (include/cmdline.h) for make run and make check.
SELECT_WORDS = $(strip $(if $(CHECKS),only=$(CHECKS)) \
	$(if $(SKIP_CHECKS),skip=$(SKIP_CHECKS)) $(if $(FAIL_ON),fail-on=$(FAIL_ON)))
# WAIVERS=FILE puts FILE on the boot volume as \vamap\waivers.txt.
WAIVERS_ARG = $(if $(WAIVERS),--waivers $(WAIVERS))
# STALL=MIN:MAX: vCPU threads stopped one at a time, MIN..MAX s, once
# vamap has called SetVirtualAddressMap (tools/qemu.py --stall-vcpus).
RUN_ARGS = --timeout $(TIMEOUT) --start-timeout $(START_TIMEOUT) --firmware $(FIRMWARE) \
	$(if $(FIRMWARE_VARS),--firmware-vars $(FIRMWARE_VARS)) $(WAIVERS_ARG) \
	$(if $(STALL),--stall-vcpus $(STALL))
# make check: your firmware judged by vamap's verdicts in every efi= mode
# with 2 CPUs, plus the two-boot results flow (tools/check.py); writes
# $(BUILD)/check/results.json and junit.xml, non-zero on any unwaived FAIL.
check: $(RUN_EFI) $(RUN_EFI32) | $(RUN_FIRMWARE)
	$(PYTHON) tools/check.py --efi $< --workdir $(BUILD)/check \
		--firmware $(FIRMWARE) $(if $(FIRMWARE_VARS),--firmware-vars $(FIRMWARE_VARS)) \
		$(WAIVERS_ARG) --timeout $(CHECK_TIMEOUT) --start-timeout $(START_TIMEOUT) \
		$(if $(strip $(CMDLINE) $(SELECT_WORDS)),--cmdline "$(strip $(CMDLINE) $(SELECT_WORDS))") \
		$(if $(MACHINE),--machine $(MACHINE))

run: $(RUN_EFI) $(RUN_EFI32) $(ZOO_RUN) | $(RUN_FIRMWARE)
	$(PYTHON) tools/qemu.py run --efi $< --cmdline "$(strip exit=qemu $(CMDLINE) $(SELECT_WORDS))" \
		--workdir $(BUILD)/run --debugcon $(BUILD)/run/vamap.log \
		$(foreach d,$(ZOO_RUN),--driver $(d)) $(RUN_ARGS) $(QEMU_ARGS)

# ------------------------------------------------- real hardware: USB, signing
IMAGE_DEPS := tools/mkimage.sh tools/grub.cfg.in tools/grub-embedded.cfg

# The stick: GRUB menu with a 5 s timeout; write it with dd (README).
image: $(BUILD)/vamap.img
$(BUILD)/vamap.img: $(BUILD)/vamap.efi $(BUILD)/vamap-ia32.efi $(IMAGE_DEPS)
	tools/mkimage.sh $@ $< 5

# The same for the tests: no timeout, every entry ends QEMU.
$(BUILD)/vamap-test.img: $(BUILD)/vamap.efi $(BUILD)/vamap-ia32.efi $(IMAGE_DEPS)
	tools/mkimage.sh $@ $< 0 exit=qemu

# MODES=all (or efi= modes, comma-separated): the stick's vamap/cmdline.txt
# says modes=MODES, and QEMU lets the guest reset between the runs.
run-usb: $(BUILD)/vamap.img
	$(PYTHON) tools/qemu.py run --boot usb --efi $< --workdir $(BUILD)/run-usb \
		--debugcon $(BUILD)/run-usb/vamap.log $(if $(KEEP),--keep) --end-at-halt \
		$(if $(MODES),--modes $(MODES)) $(RUN_ARGS) $(QEMU_ARGS)

# The stick's \vamap\results\ (what the second boot of make run-usb
# KEEP=1 wrote, or a real stick's image: STICK=) copied to
# $(BUILD)/results-stick/ and each report printed.
STICK ?= $(BUILD)/run-usb/stick.img
results:
	@test -f $(STICK) || { echo "results: no stick image $(STICK) (make run-usb KEEP=1 twice, or STICK=image)"; exit 2; }
	@rm -rf $(BUILD)/results-stick && mkdir -p $(BUILD)/results-stick
	@if mdir -b -i $(STICK)@@1M ::/vamap/results >/dev/null 2>&1; then \
		mcopy -n -i $(STICK)@@1M '::/vamap/results/*' $(BUILD)/results-stick/; fi
	@set -- $(BUILD)/results-stick/*.txt; [ -f "$$1" ] || { echo "results: no report on $(STICK) yet: boot it once more (make run-usb KEEP=1)"; exit 1; }; \
	 for f in "$$@"; do case $$f in *-modes.txt) ;; *) $(PYTHON) tools/vamap-report print "$$f";; esac; done; \
	 for f in $(BUILD)/results-stick/*-modes.txt; do [ -f "$$f" ] && { echo "== $$f (modes= matrix)"; cat "$$f"; }; done; \
	 echo "results: copied to $(BUILD)/results-stick/"

# gdb on vamap in QEMU: stops at the kernel's entry with the kernel's and
# the stub's symbols loaded where they run (tools/gdb.py).
gdb: $(BUILD)/vamap.efi
	$(PYTHON) tools/gdb.py --efi $< --kernel-elf $(BUILD)/kernel.elf \
		--stub-so $(BUILD)/kernel.so --workdir $(BUILD)/gdb \
		--cmdline "exit=qemu $(CMDLINE)" --firmware $(FIRMWARE) $(QEMU_ARGS)

# Every check label: severity, spec clause, what it asserts.
list-checks:
	@$(PYTHON) tools/vamap-report list

# The last run's log as a page: verdicts, machine, the address layout.
REPORT ?= $(BUILD)/run/vamap.log
report:
	@$(PYTHON) tools/vamap-report print $(REPORT)
	@$(PYTHON) tools/vamap-report html $(REPORT) -o $(basename $(REPORT)).html

# Secure Boot: make sign KEY=db.key CERT=db.crt -> build/vamap-signed.efi
sign: $(BUILD)/vamap.efi
	@test -n "$(KEY)" -a -n "$(CERT)" || { echo "usage: make sign KEY=key.pem CERT=cert.pem"; exit 2; }
	sbsign --key $(KEY) --cert $(CERT) --output $(BUILD)/vamap-signed.efi $<

# Signed with OVMF's snakeoil key (QEMU.md), for the Secure Boot tests.
SNAKEOIL := /usr/share/ovmf/PkKek-1-snakeoil
$(BUILD)/snakeoil.key: | $(DEPS_OK)
	openssl pkey -in $(SNAKEOIL).key -passin pass:snakeoil -out $@
$(BUILD)/vamap-snakeoil.efi: $(BUILD)/vamap.efi $(BUILD)/snakeoil.key
	sbsign --key $(BUILD)/snakeoil.key --cert $(SNAKEOIL).pem --output $@ $<

# Debian 13's OVMF (EDK2 2025.02) and U-Boot 2025.01, downloaded and
# unpacked, never installed (tools/fetch-firmware.sh): FIRMWARE=ovmf-2025,
# ovmf-2025-secboot, ovmf-2025-strictnx, u-boot-2025.
FIRMWARE_DIR := $(BUILD)/firmware
FIRMWARE_STAMP := $(FIRMWARE_DIR)/ovmf-2025/usr/share/OVMF/OVMF_CODE_4M.fd
firmware: $(FIRMWARE_STAMP)
$(FIRMWARE_STAMP): tools/fetch-firmware.sh
	sh tools/fetch-firmware.sh $(FIRMWARE_DIR)
	@touch -c $@
SNAKEOIL_2025 := $(FIRMWARE_DIR)/ovmf-2025/usr/share/ovmf/PkKek-1-snakeoil
$(BUILD)/snakeoil-2025.key: | $(FIRMWARE_STAMP)
	openssl pkey -in $(SNAKEOIL_2025).key -passin pass:snakeoil -out $@
$(BUILD)/vamap-snakeoil-2025.efi: $(BUILD)/vamap.efi $(BUILD)/snakeoil-2025.key
	sbsign --key $(BUILD)/snakeoil-2025.key --cert $(SNAKEOIL_2025).pem --output $@ $<

# ------------------------------------------------------------------ the zoo
# Runtime drivers that misbehave the way shipping firmware has (tests/zoo/):
# gnu-efi images, subsystem 12 (EFI runtime driver). make run ZOO="a b"
# starts build/zoo/a.efi and b.efi before vamap takes the machine.
ZOO_NAMES := $(filter-out zoo,$(patsubst tests/zoo/%.c,%,$(wildcard tests/zoo/*.c)))
ZOO_EFIS := $(ZOO_NAMES:%=$(BUILD)/zoo/%.efi)
# The zoo for 32-bit firmware (BOOTIA32.EFI loads 32-bit drivers,
# build/zoo32/): the drivers written in portable C (the calling-convention
# ones are x64 assembly).
ZOO32_NAMES := table_crc bs_read bs_write page0_write garbage_out never_returns \
	buf_overrun fnptr_unconverted code_write null_call stack_hog frame_write \
	mmio_unmapped abi_ia32 capsule_write gdt_swap
ZOO32_EFIS := $(ZOO32_NAMES:%=$(BUILD)/zoo32/%.efi)
ZOO_DIR := $(if $(filter ovmf-ia32,$(FIRMWARE)),zoo32,zoo)
ZOO_KNOWN := $(if $(filter ovmf-ia32,$(FIRMWARE)),$(ZOO32_NAMES),$(ZOO_NAMES))
ZOO_RUN := $(foreach z,$(ZOO),$(BUILD)/$(ZOO_DIR)/$(z).efi)
ifneq ($(filter-out $(ZOO_KNOWN),$(ZOO)),)
$(error ZOO=: no zoo driver named $(filter-out $(ZOO_KNOWN),$(ZOO)) for FIRMWARE=$(FIRMWARE); it has $(sort $(ZOO_KNOWN)))
endif
zoo: $(ZOO_EFIS) $(ZOO32_EFIS)
$(BUILD)/zoo/%.o: tests/zoo/%.c tests/zoo/zoo.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(STUB_CFLAGS) -Itests/zoo -c $< -o $@
$(BUILD)/zoo/%.so: $(BUILD)/zoo/%.o $(BUILD)/zoo/zoo.o
	$(LD) $(STUB_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $^ -o $@ -lefi -lgnuefi
$(BUILD)/zoo/%.efi: $(BUILD)/zoo/%.so
	$(call TO_PE,efi-rtdrv-x86_64,12)
.SECONDARY: $(ZOO_NAMES:%=$(BUILD)/zoo/%.so) $(ZOO_NAMES:%=$(BUILD)/zoo/%.o) $(BUILD)/zoo/zoo.o
$(BUILD)/zoo32/%.o: tests/zoo/%.c tests/zoo/zoo.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(STUB32_CFLAGS) -Itests/zoo -c $< -o $@
$(BUILD)/zoo32/%.so: $(BUILD)/zoo32/%.o $(BUILD)/zoo32/zoo.o
	$(LD) $(STUB32_LDFLAGS) $(GNUEFI_LIB32)/crt0-efi-ia32.o $^ -o $@ -lefi -lgnuefi
$(BUILD)/zoo32/%.efi: $(BUILD)/zoo32/%.so
	$(call TO_PE,efi-rtdrv-ia32,12)
.SECONDARY: $(ZOO32_NAMES:%=$(BUILD)/zoo32/%.so) $(ZOO32_NAMES:%=$(BUILD)/zoo32/%.o) $(BUILD)/zoo32/zoo.o

# ---------------------------------------------------------------- tests
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -Iinclude \
	-Iboot -Itests/host -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))
FBRENDER := $(BUILD)/host/fbrender

# Each host test names the sources it tests on its "// sources:" line.
define host_sources
$(shell sed -n 's|^// sources: ||p' $(1))
endef
.SECONDEXPANSION:
$(BUILD)/host/%: tests/host/%.c $$(call host_sources,tests/host/%.c) tests/host/check.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(call host_sources,$<)

# The Linux kernel's own KTAP parser, from Debian's linux-source-6.1
# (downloaded, never installed: tools/fetch-ktap-parser.sh), for
# tests/host/test_ktap.py.
# LAVA's dispatcher, downloaded (tools/fetch-lava.sh), and make lava-test:
# vamap's QEMU job run by Debian's lava-run, every KTAP line checked to be
# one LAVA result; the real-machine job validated (docs/lab.md).
LAVA_STAMP := $(BUILD)/lava/root/usr/bin/lava-run
lava: $(LAVA_STAMP)
$(LAVA_STAMP): tools/fetch-lava.sh
	sh tools/fetch-lava.sh $(BUILD)/lava
	@touch -c $@
lava-test: $(LAVA_STAMP) $(BUILD)/vamap-test.img $(BUILD)/vamap.efi
	@mkdir -p $(BUILD)/results
	@$(PYTHON) tools/lava.py test $(BUILD)/lava-test $(BUILD)/results/lava.txt

KTAP_PARSER := $(BUILD)/ktap/kunit_parser.py
ktap-parser: $(KTAP_PARSER)
$(KTAP_PARSER): tools/fetch-ktap-parser.sh | $(DEPS_OK)
	sh tools/fetch-ktap-parser.sh $(BUILD)/ktap
	@touch -c $@

host-test: $(HOST_TESTS) $(BUILD)/kernel.elf $(BUILD)/vamap.efi $(BUILD)/vamap-ia32.efi $(KTAP_PARSER)
	@mkdir -p $(BUILD)/results
	@tests/host/run.sh $(BUILD)/results/host.txt $(HOST_TESTS) \
		tests/host/test_qemu_run.py tests/host/test_report.py \
		tests/host/test_check.py tests/host/test_pe_nxcompat.py \
		tests/host/test_severities.py tests/host/test_skip_reasons.py \
		tests/host/test_ktap.py tests/host/test_statuses.py \
		tests/host/test_report_browser.py

BOOT_IMAGES := $(BUILD)/vamap.efi $(BUILD)/vamap-badelf.efi $(BUILD)/nosmp/vamap.efi $(ZOO_EFIS) $(ZOO32_EFIS) \
	$(BUILD)/vamap-test.img $(BUILD)/vamap-snakeoil.efi $(BUILD)/host/fbrender \
	$(BUILD)/vamap-snakeoil-2025.efi $(FIRMWARE_STAMP)
boot-test: $(BOOT_IMAGES)
	@mkdir -p $(BUILD)/results
	@$(PYTHON) tests/boot/run.py --jobs $(JOBS) --summary $(BUILD)/results/boot.txt $(BOOT_ARGS)

# libFuzzer (Debian's clang) on every parser of firmware or disk input
# (tests/fuzz/): make fuzz FUZZ_SECONDS=N runs each target N seconds from
# its seed corpus; make test runs each for FUZZ_SHORT seconds.
FUZZ_SECONDS ?= 60
FUZZ_SHORT ?= 1
FUZZ_BENCH_SECONDS ?= 5
# UBSan fatal, as in the host tests: undefined behaviour is a crash
# libFuzzer keeps, never a report scrolling past a run that exits 0.
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Iinclude -Iboot -Itests/fuzz
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/%: tests/fuzz/%.c $$(call host_sources,tests/fuzz/%.c) tests/fuzz/fuzz.h | $(DEPS_OK)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(call host_sources,$<)

fuzz: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/results
	@tools/fuzz.sh $(FUZZ_SECONDS) $(BUILD)/results/fuzz.txt $(FUZZ_BINS)

fuzz-short: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/results
	@tools/fuzz.sh $(FUZZ_SHORT) $(BUILD)/results/fuzz.txt $(FUZZ_BINS)

# The fuzz targets are built first, then run beside the host tests (one
# core each mostly; the host tests spend their time in QEMU), their output
# shown after; then the boot tests, which use every core.
test:
	@rm -f $(BUILD)/results/*.txt $(BUILD)/results/fuzz.log
	@mkdir -p $(BUILD)/results
	@$(MAKE) --no-print-directory deps $(FUZZ_BINS); d=$$?; \
	 ($(MAKE) --no-print-directory fuzz-short >$(BUILD)/results/fuzz.log 2>&1; \
	  echo $$? >$(BUILD)/results/fuzz.rc) & \
	 $(MAKE) --no-print-directory host-test; h=$$?; \
	 wait; cat $(BUILD)/results/fuzz.log; f=$$(cat $(BUILD)/results/fuzz.rc); \
	 [ $$d -eq 0 ] || f=1; \
	 $(MAKE) --no-print-directory boot-test; b=$$?; \
	 $(MAKE) --no-print-directory lava-test; l=$$?; \
	 tools/summary.sh $(BUILD)/results/host.txt $(BUILD)/results/fuzz.txt \
		$(BUILD)/results/boot.txt $(BUILD)/results/lava.txt; s=$$?; \
	 [ $$h -eq 0 ] && [ $$f -eq 0 ] && [ $$b -eq 0 ] && [ $$l -eq 0 ] && \
	 [ $$s -eq 0 ]

# Benchmarks report numbers; they assert nothing (the tests do).
BENCH_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Wno-missing-prototypes -Iinclude \
	-Itests/host -MMD -MP
$(BUILD)/bench/%: tests/bench/%.c $$(call host_sources,tests/bench/%.c) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(call host_sources,$<)

bench: $(BUILD)/bench/bench_pgtable $(BUILD)/vamap.efi $(FUZZ_BINS)
	@$(BUILD)/bench/bench_pgtable
	@$(PYTHON) tools/bench-boot.py
	@echo "== libFuzzer execs per second ($(FUZZ_BENCH_SECONDS) s per target)"
	@mkdir -p $(BUILD)/results
	@tools/fuzz.sh $(FUZZ_BENCH_SECONDS) $(BUILD)/results/fuzz-bench.txt $(FUZZ_BINS)

# Regenerate golden logs on purpose; commit them saying why each line changed.
golden: $(BOOT_IMAGES)
	$(PYTHON) tests/boot/run.py --jobs $(JOBS) --update $(BOOT_ARGS)

clean:
	rm -rf $(BUILD)

help:
	@echo 'targets:'
	@echo '  make              build build/vamap.efi'
	@echo '  make run          boot it in QEMU (serial here; Ctrl-A x quits; log in build/run/vamap.log)'
	@echo '  make run-usb      boot the USB-stick image (GRUB menu) in QEMU'
	@echo '  make check        judge FIRMWARE= by the verdicts: every efi= mode, 2 CPUs, two-boot results flow;'
	@echo '                    table, build/check/results.json and junit.xml; non-zero on an unwaived FAIL'
	@echo '  make gdb          QEMU paused + gdb: stops at the kernel entry, kernel and stub symbols loaded'
	@echo '  make report       print build/run/vamap.log (REPORT=FILE: any log, .txt or .json) and render it as HTML'
	@echo '  make list-checks  every check label with its severity, spec clause and what it asserts'
	@echo '  make results      copy \vamap\results\ off the run-usb stick (STICK=image) and print each report'
	@echo '  make image        build/vamap.img, the stick to dd onto real hardware'
	@echo '  make sign         KEY= CERT=: build/vamap-signed.efi for Secure Boot'
	@echo '  make test         every test: host, fuzz-short, boot (what CI runs)'
	@echo '  make host-test    the host unit and tool tests (one stage of make test)'
	@echo '  make fuzz-short   each libFuzzer target for FUZZ_SHORT seconds (one stage of make test)'
	@echo '  make boot-test    the QEMU boot tests (one stage; BOOT_ARGS="NAME..." picks boots)'
	@echo '  make lava-test    vamap under Debian lava-dispatcher: each KTAP line one LAVA result (one stage of make test)'
	@echo '  make golden       accept new golden logs (BOOT_ARGS= picks configurations)'
	@echo '  make bench        benchmarks: table counts, boot phases under -icount, call costs, fuzz exec/s'
	@echo '  make fuzz         long libFuzzer runs (FUZZ_SECONDS=)'
	@echo '  make zoo          the misbehaving runtime drivers (tests/zoo)'
	@echo '  make deps         install the Debian packages the build and the tests need'
	@echo '  make ktap-parser  fetch the kernel KTAP parser (linux-source-6.1) into $(BUILD)/ktap for the host tests'
	@echo '  make firmware     fetch OVMF 2025.02 and U-Boot 2025.01 (Debian 13) into $(BUILD)/firmware (not installed)'
	@echo '  make clean        remove $(BUILD) (every folder the build and the tests made)'
	@echo '  make help         this'
	@echo 'variables:'
	@echo '  CMDLINE=words     appended to exit=qemu for make run and make check (README, Command line)'
	@echo '  FIRMWARE=ovmf|ovmf-secboot|u-boot|PATH  FIRMWARE_VARS=PATH  the firmware make run, run-usb and check boot;'
	@echo '                    also ovmf-2025, ovmf-2025-secboot, ovmf-2025-strictnx, u-boot-2025 (fetched: make firmware)'
	@echo '  TIMEOUT=600       seconds before make run stops QEMU'
	@echo '  START_TIMEOUT=30  QEMU CPU seconds the firmware has to start vamap, or a halted guest (run, run-usb, check; 0: no bound)'
	@echo '  CHECK_TIMEOUT=300 seconds before make check stops one boot; MACHINE=q35|pc for make check'
	@echo '  STALL=MIN:MAX     make run, run-usb: after SetVirtualAddressMap, one vCPU thread at a time stopped MIN..MAX s (a loaded host)'
	@echo '  KEEP=1            make run-usb reuses the stick and the variable store'
	@echo '  MODES=all         make run-usb: every efi= mode in turn, resets between, the matrix on the stick (modes=)'
	@echo '  WAIVERS=FILE      \vamap\waivers.txt on the boot volume'
	@echo '  CHECKS=GLOBS      only these checks (only=: efi.variable, efi.time.*; run and check)'
	@echo '  SKIP_CHECKS=GLOBS leave these out (skip=); FAIL_ON=high: failures below high do not fail the run'
	@echo '  ZOO="a b"         zoo drivers for make run to start first'
	@echo '  QEMU_ARGS=...     more QEMU flags'
	@echo '  DEBUG=0|1 SMP=0|1 BUILD=dir  build type and folder'
	@echo '  JOBS=N            parallel boots for the boot tests (default: one per core)'
	@echo '  BOOT_ARGS="a b"   boot-test and golden: only these configurations (tests/boot/configs.py)'
	@echo '  FUZZ_SECONDS=60 FUZZ_SHORT=1 FUZZ_BENCH_SECONDS=5  seconds per fuzz target: make fuzz, make test, make bench'
	@echo '  REPORT=FILE       make report: the log, .txt or .json to print and render'
	@echo '  STICK=IMAGE       make results: the stick image to read (default build/run-usb/stick.img)'
	@echo '  KEY= CERT=        make sign: the db key and certificate'
	@echo '  CC= LD= OBJCOPY= NASM= PYTHON=  the tools'

-include $(shell find $(BUILD) -name '*.d' -type f -not -path '*/lava/root/*' 2>/dev/null)
