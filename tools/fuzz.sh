#!/bin/sh
# SPDX-License-Identifier: MIT
# Run each libFuzzer target for SECONDS from its seed corpus
# (tests/fuzz/corpus/NAME/, read-only) plus a working corpus in build/;
# a crash, a sanitizer report or a broken invariant fails the target and
# its reproducer stays in build/fuzz/. Prints execs per second per target.
# usage: fuzz.sh SECONDS SUMMARY_FILE TARGET...
set -u
secs=$1
summary=$2
shift 2
passed=0
failed=0
names=
for bin in "$@"; do
	name=$(basename "$bin")
	seeds=tests/fuzz/corpus/$name
	work=$(dirname "$bin")/corpus-$name
	mkdir -p "$work" "$seeds"
	out=$("$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$(dirname "$bin")/$name-" "$work" "$seeds" 2>&1)
	rc=$?
	# A sanitizer report fails the target whatever the exit status (the
	# build makes UBSan fatal; this holds if a flag is ever lost).
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q 'runtime error:\|ERROR: AddressSanitizer'; then
		rc=1
	fi
	rate=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "fuzz: ok   $name: $rate runs in $secs s ($(( ${rate:-0} / secs )) exec/s)"
	else
		failed=$((failed + 1))
		names="$names
fuzz: $name: reproduce with $bin $(dirname "$bin")/$name-crash-*"
		echo "fuzz: FAIL $name (exit $rc):"
		printf '%s\n' "$out" | grep -E 'ERROR|runtime error|invariant|SUMMARY|Test unit written' | head -5
	fi
done
echo "fuzz: $passed passed, $failed failed"
echo "$passed $failed$names" >"$summary"
[ "$failed" -eq 0 ]
