#!/bin/sh
# SPDX-License-Identifier: MIT
# Run host test binaries; count their "ok - " / "not ok - " lines. A binary
# that exits non-zero without reporting a failure (a sanitizer abort, a
# crash) counts as one failure of its own.
# usage: run.sh SUMMARY_FILE TEST...
set -u
summary=$1
shift
passed=0
failed=0
names=
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	ok=$(printf '%s\n' "$out" | grep -c '^ok - ')
	bad=$(printf '%s\n' "$out" | grep -c '^not ok - ')
	printf '%s\n' "$out" | grep -v '^ok - ' | sed "s|^|$(basename "$t"): |"
	if [ $rc -ne 0 ] && [ "$bad" -eq 0 ]; then
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
