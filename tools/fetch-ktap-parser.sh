#!/bin/sh
# SPDX-License-Identifier: MIT
# The Linux kernel's own KTAP parser (tools/testing/kunit/kunit_parser.py,
# with kunit_printer.py it imports) and the KTAP specification
# (Documentation/dev-tools/ktap.rst), from Debian's linux-source-6.1:
# downloaded with apt (the archive's signature checked as for any package),
# never installed, and only those three files unpacked into DIR (default
# build/ktap). tests/host/test_ktap.py runs the parser on every golden log.
# Cached: a second run with the files in place does nothing.
# FETCH_KTAP_PARSER=0 skips the fetch (the test then says why it cannot run).
set -eu

dir=${1:-build/ktap}
files='tools/testing/kunit/kunit_parser.py tools/testing/kunit/kunit_printer.py
Documentation/dev-tools/ktap.rst'
have=1
for f in $files; do
	[ -e "$dir/$(basename "$f")" ] || have=0
done
if [ $have = 1 ]; then
	echo "fetch-ktap-parser: $dir/kunit_parser.py ($(cat "$dir/VERSION" 2>/dev/null || echo '?'), cached)"
	exit 0
fi
if [ "${FETCH_KTAP_PARSER:-1}" = 0 ]; then
	echo "fetch-ktap-parser: FETCH_KTAP_PARSER=0: not fetching linux-source-6.1" >&2
	exit 0
fi
mkdir -p "$dir/deb"
dir=$(cd "$dir" && pwd)
cd "$dir/deb"
rm -f linux-source-6.1_*.deb
apt-get -qq -o APT::Sandbox::User="$(id -un)" download linux-source-6.1
deb=$(ls linux-source-6.1_*.deb | head -n 1)
ver=$(dpkg-deb -f "$deb" Version)
members=
for f in $files; do
	members="$members linux-source-6.1/$f"
done
# shellcheck disable=SC2086 # the member list is meant to split
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz |
	xz -dc | tar -x -C "$dir/deb" $members
for f in $files; do
	cp "$dir/deb/linux-source-6.1/$f" "$dir/"
done
echo "linux-source-6.1 $ver" >"$dir/VERSION"
rm -rf "$dir/deb"
echo "fetch-ktap-parser: $dir/kunit_parser.py from linux-source-6.1 $ver"
