#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rules and their promtool tests use only what the client writes:
# every tscmon_ metric name is in the metric list of docs/client.md or in
# the export of some fixture tree, every label given to it is one of its
# labels, and the values of the closed-set labels (flag, source, family,
# reference, severity) are values the client writes (names.py). Two
# deliberate breakages (a retired metric name, a retired label value) must
# be caught, so a pass means something.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need python3=python3
need_client

exports=()
for dir in "$FIXTURES"/*/; do
	[ -f "$dir/proc/cpuinfo" ] || continue
	name=$(basename "$dir")
	if ! "$TSCMON" --root "$dir" export --format prometheus >"$WORK/$name.prom" 2>"$WORK/$name.err"; then
		not_ok "$name: tscmon export --format prometheus"
		diag "$(cat "$WORK/$name.err")"
		continue
	fi
	exports+=("$WORK/$name.prom")
done
[ ${#exports[@]} -gt 0 ] || bail "no fixture exports"
ok "${#exports[@]} fixture exports written"

names() {
	python3 "$(dirname "$0")/names.py" --doc "$TOP/docs/client.md" \
		--export "${exports[@]}" --check "$@"
}

check "rules: every tscmon_ name, label and label value is the client's" names "$RULES"
for t in "$PROMDIR"/tests/*.yml; do
	check "tests/$(basename "$t"): every tscmon_ name, label and label value is the client's" names "$t"
done

# Breakages the check must catch.
breaks() {
	local what=$1 from=$2 to=$3 out
	python3 - "$RULES" "$WORK/broken.yml" "$from" "$to" <<'PY'
import sys
src, dst, old, new = sys.argv[1:5]
s = open(src).read()
if old not in s:
    sys.exit(f"breakage text not found: {old!r}")
open(dst, "w").write(s.replace(old, new, 1))
PY
	if out=$(names "$WORK/broken.yml" 2>&1); then
		not_ok "the name check catches: $what"
		diag "$out"
	else
		ok "the name check catches: $what"
	fi
}
breaks "the retired tscmon_log_events_total" \
	'tscmon_kernel_log_events_total{family="unstable"}' 'tscmon_log_events_total{family="unstable"}'
breaks "the retired source=\"module\"" \
	'tscmon_kernel_tsc_watchdog_active)' 'tscmon_kernel_tsc_watchdog_active) or tscmon_tsc_frequency_hertz{source="module"}'
breaks "a label the metric does not have" \
	'tscmon_cpu_flag{flag="tsc_reliable"}' 'tscmon_cpu_flag{cpu="0",flag="tsc_reliable"}'

done_testing
