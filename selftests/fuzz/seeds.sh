#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# seeds.sh FIXTURES OUT: the seed corpus of every fuzz target, made from
# the fixture trees (one seed per tree and target) into OUT/<target>/.
# Targets with several inputs get them as sections separated by NUL
# bytes, in the order their harness documents.
set -euo pipefail

fx=${1:?usage: seeds.sh FIXTURES OUT}
out=${2:?usage: seeds.sh FIXTURES OUT}
rm -rf "$out"
mkdir -p "$out"/{cpuinfo,cmdline,klog,module,util,json}

# sections FILE...: the files joined by NUL bytes (a missing one is empty).
sections() {
	local first=1 f
	for f in "$@"; do
		[ $first = 1 ] || printf '\0'
		first=0
		[ -f "$f" ] && cat "$f"
	done
	return 0
}

n=0
for t in "$fx"/*/; do
	name=$(basename "$t")
	mod=$t/sys/kernel/debug/tscmon
	cs=$t/sys/devices/system/clocksource/clocksource0
	[ -f "$t/proc/cpuinfo" ] && cp "$t/proc/cpuinfo" "$out/cpuinfo/$name"
	[ -f "$t/proc/cmdline" ] && cp "$t/proc/cmdline" "$out/cmdline/$name"
	[ -f "$t/dmesg.txt" ] && cp "$t/dmesg.txt" "$out/klog/$name"
	if [ -f "$mod/version" ]; then
		sections "$mod/version" "$mod/summary" "$mod/cpus" "$mod/histogram" \
			"$mod/warps" > "$out/module/$name"
		cp "$mod/summary" "$out/util/$name-summary" 2>/dev/null || true
	fi
	for v in "$t"/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq \
		"$t"/sys/devices/system/cpu/cpu0/cpuidle/state0/usage; do
		[ -f "$v" ] && cp "$v" "$out/util/$name-$(basename "$v")"
	done
	sections "$t/proc/cpuinfo" "$t/proc/cmdline" "$t/dmesg.txt" \
		"$mod/version" "$mod/summary" "$mod/cpus" "$mod/histogram" "$mod/warps" \
		"$cs/current_clocksource" "$cs/available_clocksource" \
		"$t/sys/class/dmi/id/sys_vendor" "$t/sys/class/dmi/id/product_name" \
		"$t/hypervisor_cpuid" > "$out/json/$name"
	n=$((n + 1))
done
# A few edge values for the number parser.
printf '%s' "-9223372036854775808" > "$out/util/min"
printf '%s' "9223372036854775808" > "$out/util/over"
printf ' \t+12 \n' > "$out/util/blanks"
echo "seeds.sh: $n fixture trees -> $out" >&2
