#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BIN SECONDS TARGET...: the fuzz tests as TAP. For each target,
# first every regression input under regressions/<target>/ (*.txt as it
# is, *.hex decoded from hex digits) runs once; then the target fuzzes
# for SECONDS from its seeds (BIN/seeds/<target>) and its own growing
# corpus (BIN/corpus/<target>). A crash leaves its input in
# BIN/artifacts/ and the fuzzer's report in BIN/logs/<target>.log.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh BIN SECONDS TARGET...}
secs=${2:?usage: run.sh BIN SECONDS TARGET...}
shift 2
mkdir -p "$bin/logs" "$bin/artifacts" "$bin/regress"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

n=0
fail=0
tap() { # OK DESC
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}

for t in "$@"; do
	exe=$bin/fuzz_$t
	for r in "$here/regressions/$t"/*; do
		[ -f "$r" ] || continue
		name=$(basename "$r")
		in=$bin/regress/$t-$name
		case $r in
		*.hex) tr -d ' \n\t' < "$r" | xxd -r -p > "$in" ;;
		*) cp "$r" "$in" ;;
		esac
		if "$exe" "$in" > "$bin/logs/$t-$name.log" 2>&1; then
			tap 1 "fuzz $t: regression $name"
		else
			tap 0 "fuzz $t: regression $name (see $bin/logs/$t-$name.log)"
		fi
	done
	mkdir -p "$bin/corpus/$t"
	log=$bin/logs/$t.log
	"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$bin/artifacts/$t-" \
		"$bin/corpus/$t" "$bin/seeds/$t" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $rc = 0 ] && [ -n "$runs" ]; then
		tap 1 "fuzz $t: $runs runs, no crash"
	else
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		tap 0 "fuzz $t: crash after ${runs:-?} runs (input ${art:-none}; report $log)"
		grep -m 5 -E 'ERROR:|runtime error|SUMMARY' "$log" | sed 's/^/# /'
	fi
done
echo "1..$n"
[ $fail = 0 ]
