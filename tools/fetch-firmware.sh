#!/bin/sh
# SPDX-License-Identifier: MIT
# The second firmware generation vamap is tested on: Debian 13 (trixie)'s
# ovmf (EDK2 2025.02) and u-boot-qemu (U-Boot 2025.01), beside the Debian 12
# packages install-deps.sh installs. Downloaded, never installed:
#
#   - apt runs on a private directory ($dir/apt, tools/apt-private.sh),
#     so the machine's apt state is not touched, and checks the suite's
#     Release file against Debian's archive keyring and each .deb against
#     the SHA256 that signed index gives;
#   - dpkg -x unpacks each package into $dir/<package>_<version>/, and
#     $dir/ovmf-2025 and $dir/u-boot-2025 point at them (the presets
#     FIRMWARE=ovmf-2025, ovmf-2025-secboot, ovmf-2025-strictnx and
#     u-boot-2025 in tools/qemu.py read those links).
#
# Cached: a second run with both links in place does nothing (it prints the
# versions it has). FETCH_FIRMWARE=0 in the environment skips the fetch (a
# machine without network: the tests on these builds then fail, naming
# this script). Usage: tools/fetch-firmware.sh [DIR] (default build/firmware).
set -eu

dir=${1:-build/firmware}
suite=trixie
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# package  link  a file the unpacked package must hold
want='
ovmf         ovmf-2025   usr/share/OVMF/OVMF_CODE_4M.secboot.strictnx.fd
u-boot-qemu  u-boot-2025 usr/lib/u-boot/qemu-x86_64/u-boot.rom
'

have_all() {
	echo "$want" | while read -r pkg link file; do
		[ -n "$pkg" ] || continue
		[ -e "$dir/$link/$file" ] || echo missing
	done | grep -q missing && return 1
	return 0
}

if have_all; then
	for l in ovmf-2025 u-boot-2025; do
		echo "fetch-firmware: $l -> $(basename "$(readlink "$dir/$l")") (cached)"
	done
	exit 0
fi
if [ "${FETCH_FIRMWARE:-1}" = 0 ]; then
	echo "fetch-firmware: FETCH_FIRMWARE=0: not fetching Debian 13's ovmf and u-boot-qemu" >&2
	exit 0
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt="$dir/apt"
name=fetch-firmware
suites=$suite
. "$(dirname "$0")/apt-private.sh"
cd "$apt/debs"
echo "$want" | while read -r pkg link file; do
	[ -n "$pkg" ] || continue
	# apt-get download checks the file against the signed index's SHA256
	# and fails on a mismatch.
	apt-get "$@" -qq download "$pkg"
	deb=$(ls -t "$pkg"_*.deb | head -n 1)
	ver=$(dpkg-deb -f "$deb" Version)
	out="$dir/${pkg}_$ver"
	rm -rf "$out"
	dpkg -x "$deb" "$out"
	[ -e "$out/$file" ] || {
		echo "fetch-firmware: $deb holds no $file" >&2
		exit 1
	}
	ln -sfn "${pkg}_$ver" "$dir/$link"
	echo "fetch-firmware: $link -> ${pkg}_$ver ($(sha256sum "$deb" | cut -c1-16)...)"
done
