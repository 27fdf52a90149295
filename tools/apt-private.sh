# SPDX-License-Identifier: MIT
# Sourced by tools/fetch-firmware.sh and tools/fetch-lava.sh: apt on a
# private directory, for downloading Debian packages without installing
# them or touching the machine's apt state.
#
# In: $name (for messages), $apt (the private directory, absolute),
# $suites (e.g. "trixie" or "bookworm bookworm-updates"), $mirror. Out:
# the positional parameters are apt-get's options for that directory
# (sourced, "set --" sets the caller's), and the suites' lists are
# updated. apt checks each suite's Release file against Debian's archive
# keyring and, on download, each .deb against the SHA256 the signed index
# gives.
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || {
	echo "$name: $keyring missing (package debian-archive-keyring): cannot verify what apt downloads" >&2
	exit 1
}
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/debs"
: >"$apt/sources.list"
for s in $suites; do
	echo "deb [signed-by=$keyring] $mirror $s main" >>"$apt/sources.list"
done
set -- -o "Dir::Etc::SourceList=$apt/sources.list" \
	-o Dir::Etc::SourceParts=/dev/null \
	-o "Dir::State::Lists=$apt/lists" \
	-o "Dir::State::status=/dev/null" \
	-o "Dir::Cache=$apt" \
	-o "Dir::Cache::Archives=$apt/archives" \
	-o Debug::NoLocking=1 \
	-o APT::Sandbox::User="$(id -un)" \
	-o Acquire::AllowInsecureRepositories=false
echo "$name: apt-get update ($suites, $mirror)"
apt-get "$@" -qq update
