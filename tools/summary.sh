#!/bin/sh
# SPDX-License-Identifier: MIT
# Add up "passed failed" summary files into the closing lines of make test:
# each file's first line is "passed failed", each later line names one
# failure (with the command that re-runs it). A missing file means that
# suite never ran: a failure.
set -u
passed=0
failed=0
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for f in "$@"; do
	if [ -r "$f" ]; then
		read -r p q <"$f"
		passed=$((passed + p))
		failed=$((failed + q))
		tail -n +2 "$f" >>"$list"
	else
		echo "summary: $f missing: that suite did not run"
		failed=$((failed + 1))
	fi
done
if [ -s "$list" ]; then
	echo "failed:"
	sed 's/^/  /' "$list"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
