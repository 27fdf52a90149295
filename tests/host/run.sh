#!/bin/sh
# SPDX-License-Identifier: MIT
# Run host test binaries, all at once (the QEMU-driven ones spend most of
# their time in QEMU: side by side they share the cores), then report each
# in the order given; count their "ok - " / "not ok - " lines. A binary
# that exits non-zero without reporting a failure (a sanitizer abort, a
# crash) counts as one failure of its own.
# usage: run.sh SUMMARY_FILE TEST...
set -u
summary=$1
shift
passed=0
failed=0
names=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for t in "$@"; do
	i=$((i + 1))
	("$t" >"$tmp/$i.out" 2>&1; echo $? >"$tmp/$i.rc") &
done
wait
i=0
for t in "$@"; do
	i=$((i + 1))
	out=$(cat "$tmp/$i.out")
	rc=$(cat "$tmp/$i.rc" 2>/dev/null || echo 1)
	ok=$(printf '%s\n' "$out" | grep -c '^ok - ')
	bad=$(printf '%s\n' "$out" | grep -c '^not ok - ')
	printf '%s\n' "$out" | grep -v '^ok - ' | sed "s|^|$(basename "$t"): |"
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "$(basename "$t"): exited $rc without a failed check (crash or sanitizer)"
		bad=1
	fi
	echo "$(basename "$t"): $ok passed, $bad failed"
	[ "$bad" -eq 0 ] || names="$names
host: $(basename "$t") ($bad failed): re-run with $t"
	passed=$((passed + ok))
	failed=$((failed + bad))
done
echo "host: $passed passed, $failed failed"
echo "$passed $failed$names" >"$summary"
[ "$failed" -eq 0 ]
