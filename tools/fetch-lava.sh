#!/bin/sh
# SPDX-License-Identifier: MIT
# LAVA's dispatcher, for `make lava-test`: Debian 12's lava-dispatcher
# (2023.01, the version a lab running Debian's packages has), the Python
# modules it imports and lava-server's device-type templates, downloaded,
# never installed (as tools/fetch-firmware.sh does the firmware):
#
#   - apt runs on a private directory ($dir/apt, tools/apt-private.sh),
#     so the machine's apt state is not touched, and checks the suite's
#     Release file against Debian's archive keyring and each .deb against
#     the SHA256 that signed index gives;
#   - dpkg -x unpacks every package into $dir/root; tools/lava.py runs
#     $dir/root/usr/bin/lava-run with $dir/root's Python modules first on
#     its path, and renders device dictionaries with lava-server's
#     templates from $dir/root/usr/share/lava-server/device-types.
#
# Installing lava-dispatcher instead pulls in 145 packages (systemd, udev,
# libguestfs, kernel headers) a QEMU job does not use; the two modules the
# dispatcher imports at start and vamap's jobs never call, guestfs (disk
# overlays) and magic (Android sparse images), are lab/lava/shim's, which
# fail with a line saying so if a job ever reaches them.
# Cached: a second run with everything in place does nothing. FETCH_LAVA=0
# skips the fetch. Usage: tools/fetch-lava.sh [DIR] (default build/lava).
set -eu

dir=${1:-build/lava}
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
pkgs='lava-dispatcher lava-dispatcher-host lava-common lava-server
python3-voluptuous python3-pexpect python3-ptyprocess python3-setproctitle
python3-jinja2 python3-markupsafe python3-yaml python3-requests
python3-urllib3 python3-idna python3-certifi python3-chardet
python3-charset-normalizer python3-pyudev python3-configobj python3-tz
python3-netifaces python3-aiohttp python3-multidict python3-yarl
python3-async-timeout python3-frozenlist python3-aiosignal python3-attr
python3-six python3-dateutil'
stamp="$dir/root/.fetched"

if [ -e "$stamp" ] && [ "$(cat "$stamp")" = "$pkgs" ]; then
	echo "fetch-lava: $(ls "$dir/apt/debs" | grep -c '\.deb$') packages in $dir/root (cached)"
	exit 0
fi
if [ "${FETCH_LAVA:-1}" = 0 ]; then
	echo "fetch-lava: FETCH_LAVA=0: not fetching lava-dispatcher" >&2
	exit 0
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stamp="$dir/root/.fetched"
apt="$dir/apt"
rm -rf "$dir/root" "$apt/debs"
mkdir -p "$dir/root"
name=fetch-lava
suites="$suite $suite-updates"
. "$(dirname "$0")/apt-private.sh"
cd "$apt/debs"
# apt-get download checks each file against the signed index's SHA256.
# shellcheck disable=SC2086
apt-get "$@" -qq download $pkgs
for deb in *.deb; do
	dpkg -x "$deb" "$dir/root"
done
[ -x "$dir/root/usr/bin/lava-run" ] &&
	[ -e "$dir/root/usr/share/lava-server/device-types/qemu.jinja2" ] || {
	echo "fetch-lava: the packages hold no lava-run or no qemu.jinja2" >&2
	exit 1
}
echo "$pkgs" >"$stamp"
echo "fetch-lava: $(ls | grep -c '\.deb$') packages unpacked into $dir/root ($(dpkg-deb -f lava-dispatcher_*.deb Version))"
