#!/usr/bin/env bats
# check (Nagios verdict and exit codes), watch and snapshot.

load helpers

@test "check: OK (0) on the modern Intel host" {
	run tm intel-invariant-host check
	assert_success
	assert_output "TSCMON OK - no warnings; clocksource tsc, constant_tsc yes, max skew 22 cycles | max_abs_skew_cycles=22"
}

@test "check: WARNING (1) on the TCG guest, naming the rules" {
	run tm tcg-guest-unstable check
	assert_failure 1
	assert_output "TSCMON WARNING - 4 warning: S2 S3 S6 M-unstable; clocksource hpet, constant_tsc no, max skew 12 cycles | max_abs_skew_cycles=12"
}

@test "check: CRITICAL (2) on the skewed AMD host" {
	run tm amd-k8-host check
	assert_failure 2
	assert_output "TSCMON CRITICAL - 1 critical: M-skew; clocksource tsc, constant_tsc no, max skew 2450117 cycles | max_abs_skew_cycles=2450117"
}

@test "check: UNKNOWN (3) without /proc/cpuinfo" {
	d=$(fixture_copy kvm-guest)
	rm "$d/proc/cpuinfo"
	run tm "$d" check
	assert_failure 3
	assert_output "TSCMON UNKNOWN - /proc/cpuinfo not available, cannot judge the TSC"
}

@test "check: WARNING on build machine 2 (contradiction), OK on build machine 1" {
	run tm buildvm-kvm-contradiction check
	assert_failure 1
	assert_output --partial "M-tsc-contradiction"
	run tm buildvm-kvm-tsc check
	assert_success
}

@test "check: one line only" {
	run tm amd-k8-host check
	[ "${#lines[@]}" -eq 1 ]
}

@test "watch --count 2 prints two frames in a pipe, then exits 0" {
	run bash -c "'$TSCMON' --root '$FIX/intel-invariant-host' watch --interval 0 --count 2 | cat"
	assert_success
	[ "$(grep -c '^--- tscmon watch #' <<<"$output")" -eq 2 ]
	assert_line --regexp '^--- tscmon watch #2 [0-9:]{8} clocksource tsc ---$'
	assert_line --regexp '^ +1 +1 +-14 +42 +3 +0 +1198201 +2237000$'
	assert_line "event switch: clocksource: Switched to clocksource tsc"
	[ "$(grep -c '^event switch: clocksource: Switched to clocksource tsc$' <<<"$output")" -eq 1 ]
}

@test "watch without the module shows cpuidle and events" {
	run tm buildvm-kvm-tsc watch --interval 0 --count 1
	assert_success
	assert_line "module not loaded: no skew data; cpuidle/cpufreq only"
	assert_line --regexp '^ +1 +190361 +-$'
}

@test "watch: bad --interval and --count are usage errors" {
	run tm intel-invariant-host watch --interval -1
	assert_failure 64
	run tm intel-invariant-host watch --count x
	assert_failure 64
}

@test "snapshot of a tree gives a tree with the same advice" {
	out="$BATS_TEST_TMPDIR/snap"
	run tm amd-k8-host snapshot "$out"
	assert_success
	assert_output --partial "files written to $out"
	[ -f "$out/proc/cpuinfo" ] && [ -f "$out/dmesg.txt" ]
	[ -f "$out/sys/kernel/debug/tscmon/cpus" ]
	[ -f "$out/sys/devices/system/cpu/cpu1/cpufreq/stats/total_trans" ]
	[ -f "$out/sys/devices/system/cpu/cpu1/cpuidle/state3/usage" ]
	diff <(tm amd-k8-host advise | tail -n +2) <("$TSCMON" --root "$out" advise | tail -n +2)
}

@test "snapshot skips write-only control files" {
	d=$(fixture_copy intel-invariant-host)
	: > "$d/sys/kernel/debug/tscmon/sweep"
	chmod 0200 "$d/sys/kernel/debug/tscmon/sweep"
	run tm "$d" snapshot "$BATS_TEST_TMPDIR/s2"
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/s2/sys/kernel/debug/tscmon/sweep" ]
	[ -f "$BATS_TEST_TMPDIR/s2/sys/kernel/debug/tscmon/summary" ]
}

@test "snapshot into an unwritable place exits 73" {
	run tm amd-k8-host snapshot /proc/tscmon-snapshot-test
	assert_failure 73
	assert_output --partial "cannot create /proc/tscmon-snapshot-test"
}
