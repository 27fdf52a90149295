#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages vamap needs, if any are missing. Called by the
# Makefile before the first build and by .ci/run; safe to run again.
set -eu

# command-or-file  package
need='
gcc                         gcc
make                        make
ld                          binutils
nasm                        nasm
python3                     python3
/usr/lib/crt0-efi-x86_64.o  gnu-efi
qemu-system-x86_64          qemu-system-x86
/usr/share/OVMF/OVMF_CODE_4M.fd ovmf
/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd ovmf-ia32
mcopy                       mtools
sgdisk                      gdisk
/usr/lib/grub/x86_64-efi/linux.mod grub-efi-amd64-bin
/usr/lib/grub/i386-efi/linux.mod grub-efi-ia32-bin
grub-mkstandalone           grub-common
sbsign                      sbsigntool
openssl                     openssl
/usr/lib/u-boot/qemu-x86_64/u-boot.rom u-boot-qemu
xz                          xz-utils
clang                       clang
gdb                         gdb
/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
'

missing=$(echo "$need" | while read -r what pkg; do
	[ -n "$what" ] || continue
	case $what in
	/*) [ -e "$what" ] || echo "$pkg" ;;
	*) command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
	esac
done | sort -u | tr '\n' ' ')

[ -z "$missing" ] && exit 0
echo "install-deps: installing $missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
