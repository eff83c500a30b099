#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus rules: promtool accepts the rule file and the example
# configuration, the unit tests in contrib/prometheus/tests pass, every
# alert has a firing and a quiet case there, and the tests notice when a
# rule is broken on purpose (so a quiet case is quiet for the right reason).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need "$PROMTOOL=prometheus" python3=python3

check "promtool check rules contrib/prometheus/tscmon-rules.yml" \
	"$PROMTOOL" check rules "$RULES"
check "promtool check config contrib/prometheus/prometheus.yml" \
	"$PROMTOOL" check config "$PROMDIR/prometheus.yml"

tests=("$PROMDIR"/tests/*.yml)
[ -e "${tests[0]}" ] || bail "no rule tests in $PROMDIR/tests"
for t in "${tests[@]}"; do
	check "promtool test rules tests/$(basename "$t")" "$PROMTOOL" test rules "$t"
done

# Every alert in the rule file appears in an alert_rule_test that expects it
# to fire and in one that expects silence.
coverage() {
	python3 - "$RULES" "${tests[@]}" <<'EOF'
import re, sys
rules = open(sys.argv[1]).read()
alerts = re.findall(r'^\s*- alert:\s*(\S+)', rules, re.M)
text = "\n".join(open(p).read() for p in sys.argv[2:])
# one alert_rule_test entry: "alertname: X" then its exp_alerts
fire, quiet = set(), set()
for m in re.finditer(r'alertname:\s*(\w+)\s*,?\s*exp_alerts:\s*(\[\]|\n\s*- exp_labels)', text):
    (quiet if m.group(2) == "[]" else fire).add(m.group(1))
bad = 0
for a in alerts:
    if a not in fire:
        print(f"{a}: no test where it fires"); bad = 1
    if a not in quiet:
        print(f"{a}: no test where it stays quiet"); bad = 1
print(f"{len(alerts)} alerts")
sys.exit(bad or not alerts)
EOF
}
check "every alert has a firing and a quiet case" coverage

# Mutations: each edit breaks one rule in a way a quiet or firing case must
# catch. promtool must then fail.
mutate() {
	local what=$1 from=$2 to=$3 dir=$WORK/mutant
	rm -rf "$dir"
	mkdir -p "$dir/tests"
	python3 - "$RULES" "$dir/tscmon-rules.yml" "$from" "$to" <<'EOF'
import sys
src, dst, old, new = sys.argv[1:5]
s = open(src).read()
if old not in s:
    sys.exit(f"mutation text not found: {old!r}")
open(dst, "w").write(s.replace(old, new, 1))
EOF
	cp "${tests[@]}" "$dir/tests/"
	if "$PROMTOOL" test rules "$dir"/tests/*.yml >"$dir/out" 2>&1; then
		not_ok "the rule tests catch: $what"
		diag "promtool test rules passed on the mutated rules"
	elif ! grep -q 'got:' "$dir/out"; then
		not_ok "the rule tests catch: $what"
		diag "promtool failed, but not on an expectation:" "$(head -20 "$dir/out")"
	else
		ok "the rule tests catch: $what"
	fi
}
mutate "a kvm-clock guest treated like bare metal for a dropped TSC" \
	'clocksource=~"kvm-clock|hyperv_clocksource_tsc_page"} == 1' \
	'clocksource=~"none"} == 1'
mutate "skew judged by its midpoint, not by what is proven" \
	'clamp_min(abs(tscmon_tsc_skew_cycles) - tscmon_tsc_skew_uncertainty_cycles, 0)' \
	'abs(tscmon_tsc_skew_cycles)'
mutate "warps counted since boot instead of increasing" \
	'sum by (instance, job) (increase(tscmon_tsc_warps_total[10m]))' \
	'sum by (instance, job) (tscmon_tsc_warps_total)'
mutate "the drift bound set at 0.01 ppm" \
	'instance:tscmon_tsc_drift_ratio:max_abs * 1e6 > 1' \
	'instance:tscmon_tsc_drift_ratio:max_abs * 1e6 > 0.01'
mutate "the watchdog fallback ignoring tsc_adjust" \
	'flag=~"constant_tsc|nonstop_tsc|tsc_adjust"' \
	'flag=~"constant_tsc|nonstop_tsc"'
mutate "the rate deviation judged without its uncertainty" \
	'(tscmon_tsc_rate_uncertainty_ratio or tscmon_tsc_rate_deviation_ratio * 0)' \
	'(tscmon_tsc_rate_deviation_ratio * 0)'
mutate "the client's watchdog judgement ignored for the CPU flags" \
	'max by (instance, job) (1 - tscmon_kernel_tsc_watchdog_active)' \
	'max by (instance, job) (1 - tscmon_kernel_tsc_watchdog_active{job="none"})'
mutate "staleness judged on every textfile" \
	'node_textfile_mtime_seconds{file=~"(.*/)?tscmon\\.prom"}' \
	'node_textfile_mtime_seconds'

done_testing
