#!/bin/sh
# SPDX-License-Identifier: MIT
# Build a bootable USB-stick image without root: a GPT disk with one FAT32
# EFI system partition holding
#   EFI/BOOT/BOOTX64.EFI   a small standalone GRUB (Debian's grub-efi-amd64-bin)
#   EFI/BOOT/BOOTIA32.EFI  for 32-bit UEFI on a 64-bit CPU, when
#                          VAMAP-ia32.efi sits beside VAMAP.efi: the same
#                          GRUB built 32-bit (grub-efi-ia32-bin), whose menu
#                          starts EFI/vamap/vamap-ia32.efi; without that
#                          package, vamap's 32-bit stub itself (no menu: its
#                          command line is vamap/cmdline.txt's)
#   EFI/vamap/grub.cfg     its menu: vamap in each mode
#   EFI/vamap/vamap.efi    vamap
#   vamap/results/         where the stub writes the last run's report
# usage: mkimage.sh OUT.img VAMAP.efi [TIMEOUT [EXTRA-ARGS]]
set -eu
out=$1
efi=$2
timeout=${3:-5}
extra=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# GRUB: only the modules the menu needs (QEMU.md: about 1 MB).
mods="part_gpt fat chain normal configfile serial terminal search search_fs_file test"
grub() {
	grub-mkstandalone -O "$1" -o "$2" --modules="$mods" \
		--install-modules="$mods" --locales= --themes= --fonts= \
		"boot/grub/grub.cfg=$top/tools/grub-embedded.cfg"
}
grub x86_64-efi "$tmp/BOOTX64.EFI"
efi32=${efi%.efi}-ia32.efi
if [ -f "$efi32" ] && [ -d /usr/lib/grub/i386-efi ]; then
	grub i386-efi "$tmp/BOOTIA32.EFI"
elif [ -f "$efi32" ]; then
	cp "$efi32" "$tmp/BOOTIA32.EFI"
fi
sed -e "s/@TIMEOUT@/$timeout/" -e "s/@EXTRA@/$extra/" \
	"$top/tools/grub.cfg.in" >"$tmp/grub.cfg"

rm -f "$out"
truncate -s 64M "$out"
sgdisk --clear --new=1:2048:0 --typecode=1:ef00 --change-name=1:"vamap ESP" \
	"$out" >/dev/null
img="$out@@1M"
mformat -i "$img" -F -v VAMAP ::
mmd -i "$img" ::/EFI ::/EFI/BOOT ::/EFI/vamap ::/vamap ::/vamap/results
mcopy -i "$img" "$tmp/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$img" "$tmp/grub.cfg" ::/EFI/vamap/grub.cfg
mcopy -i "$img" "$efi" ::/EFI/vamap/vamap.efi
if [ -f "$tmp/BOOTIA32.EFI" ]; then
	mcopy -i "$img" "$tmp/BOOTIA32.EFI" ::/EFI/BOOT/BOOTIA32.EFI
	mcopy -i "$img" "$efi32" ::/EFI/vamap/vamap-ia32.efi
fi
echo "mkimage: $out (GPT, FAT32 ESP, GRUB $(du -k "$tmp/BOOTX64.EFI" | cut -f1) KiB)"
