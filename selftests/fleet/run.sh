#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh LIMIT TEST...: run each fleet test (bounded by LIMIT seconds),
# pass its TAP through, and end with "N passed, N failed, N skipped".
# A script that exits non-zero without a failing TAP line of its own
# counts as one failure. Exit status 1 if anything failed.
set -euo pipefail

limit=$1
shift
passed=0 failed=0 skipped=0
t0=$(date +%s)
for t in "$@"; do
	s=$(date +%s)
	log=$(mktemp)
	rc=0
	timeout --signal=TERM --kill-after=10 "$limit" "./$t" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	p=$(grep -Ec '^ok ' "$log" || true)
	k=$(grep -Eic '^ok [^#]*# skip' "$log" || true)
	f=$(grep -Ec '^not ok ' "$log" || true)
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		[ "$rc" = 124 ] && why="timed out after ${limit}s" || why="exited $rc"
		echo "not ok - $t $why"
		f=1
	fi
	rm -f "$log"
	passed=$((passed + p - k))
	skipped=$((skipped + k))
	failed=$((failed + f))
	echo "# $t: $(($(date +%s) - s)) s"
done
echo "# fleet tests: $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
