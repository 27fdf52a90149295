#!/bin/sh
# SPDX-License-Identifier: MIT
# Build a bootable USB-stick image without root: a GPT disk with one FAT32
# EFI system partition holding
#   EFI/BOOT/BOOTX64.EFI   a small standalone GRUB (Debian's grub-efi-amd64-bin)
#   EFI/BOOT/BOOTIA32.EFI  vamap's 32-bit stub, for 32-bit UEFI on a 64-bit
#                          CPU, when VAMAP-ia32.efi sits beside VAMAP.efi
#                          (no GRUB there: its command line is
#                          vamap/cmdline.txt's)
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
grub-mkstandalone -O x86_64-efi -o "$tmp/BOOTX64.EFI" \
	--modules="part_gpt fat chain normal configfile serial terminal search search_fs_file" \
	--install-modules="part_gpt fat chain normal configfile serial terminal search search_fs_file" \
	--locales= --themes= --fonts= \
	"boot/grub/grub.cfg=$top/tools/grub-embedded.cfg"
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
efi32=${efi%.efi}-ia32.efi
[ -f "$efi32" ] && mcopy -i "$img" "$efi32" ::/EFI/BOOT/BOOTIA32.EFI
echo "mkimage: $out (GPT, FAT32 ESP, GRUB $(du -k "$tmp/BOOTX64.EFI" | cut -f1) KiB)"
