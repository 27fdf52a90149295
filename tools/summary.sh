#!/bin/sh
# SPDX-License-Identifier: MIT
# Add up "passed failed" summary files into the one closing line of make test.
# A missing file means that suite never ran: a failure.
set -u
passed=0
failed=0
for f in "$@"; do
	if [ -r "$f" ]; then
		read -r p q <"$f"
		passed=$((passed + p))
		failed=$((failed + q))
	else
		echo "summary: $f missing: that suite did not run"
		failed=$((failed + 1))
	fi
done
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
