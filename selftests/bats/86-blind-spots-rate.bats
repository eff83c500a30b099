#!/usr/bin/env bats
# Issue 10: is the kernel watching the TSC at all, the module's rate check,
# the new JSON and Prometheus fields, and malformed log lines.

load helpers

kw() { # FIXTURE -> "active demoted judge packages kernel"
	local root=$1
	[ -d "$root" ] || root="$FIX/$root"
	"$TSCMON" --root "$root" export | python3 -c '
import json, sys
k = json.load(sys.stdin)["kernel_watch"]
print(k["active"], k["tsc_demoted"], k["judge"], k["packages"], k["kernel"])'
}

@test "unwatched host: constant_tsc+nonstop_tsc+tsc_adjust on 2 packages, kernel 6.12" {
	run tm log-unwatched-host advise
	run item M-kernel-watch <<<"$output"
	assert_line "[INFO] M-kernel-watch: the kernel does not watch the TSC here: a clean log proves nothing"
	assert_line "  evidence: constant_tsc, nonstop_tsc and tsc_adjust on 2 package(s): kernel 6.12 skips the watchdog on up to 4"
	assert_line "  evidence: the tscmon module is loaded: sweeps running, rate check running"
	assert_line --partial "its sweeps and rate check are the only watch on this TSC"
	run kw log-unwatched-host
	assert_output "False False hpet 2 6.12.12-amd64"
	run tm log-unwatched-host export --format prometheus
	assert_line "tscmon_kernel_tsc_watchdog_active 0"
	run advice_json log-unwatched-host M-kernel-watch
	assert_output "info config"
}

@test "kernel watch: 5 packages are watched; a 4.19 kernel always watches; 5.16-6.5 skip only up to 2" {
	d=$(fixture_copy log-unwatched-host)
	awk '/^physical id/ { $0 = "physical id\t: " (n++ % 5) } { print }' \
		"$FIX/log-unwatched-host/proc/cpuinfo" > "$d/proc/cpuinfo"
	run tm "$d" advise
	assert_line "[OK] M-kernel-watch: the kernel's clocksource watchdog checks the TSC every 0.5 s against hpet"
	run tm "$d" export --format prometheus
	assert_line "tscmon_kernel_tsc_watchdog_active 1"
	d=$(fixture_copy log-unwatched-host)
	sed -i 's/Linux version 6.12.12-amd64/Linux version 4.19.0-27-amd64/' "$d/dmesg.txt"
	run kw "$d"
	assert_output "True False hpet 2 4.19.0-27-amd64"
	awk '/^physical id/ { $0 = "physical id\t: " (n++ % 3) } { print }' \
		"$FIX/log-unwatched-host/proc/cpuinfo" > "$d/proc/cpuinfo"
	sed -i 's/Linux version 4.19.0-27-amd64/Linux version 6.1.0-18-amd64/' "$d/dmesg.txt"
	run kw "$d"
	assert_output "True False hpet 3 6.1.0-18-amd64"
}

@test "kernel watch: tsc_reliable, tsc=reliable and tsc=nowatchdog each turn it off" {
	run tm buildvm-kvm-tsc advise
	assert_line "[INFO] M-kernel-watch: the kernel does not watch the TSC here: a clean log proves nothing"
	d=$(fixture_copy log-kvmclock-guest)
	echo "ro tsc=nowatchdog" > "$d/proc/cmdline"
	run tm "$d" advise
	assert_line "  evidence: tsc=nowatchdog on the kernel command line"
	assert_line --partial "modprobe tscmon and run \`tscmon check\` from monitoring"
	echo "ro tsc=reliable" > "$d/proc/cmdline"
	run tm "$d" advise
	assert_line "  evidence: tsc=reliable on the kernel command line"
	run tm kvm-guest export --format prometheus
	assert_line "tscmon_kernel_tsc_watchdog_active 1"
	run tm buildvm-kvm-contradiction export --format prometheus
	assert_line "tscmon_kernel_tsc_watchdog_active 0"
}

@test "tsc_known_freq: the frequency was declared, not measured" {
	run tm log-kvmclock-guest advise
	run item M-known-freq <<<"$output"
	assert_line "[INFO] M-known-freq: the TSC frequency was declared (CPUID or MSR), not measured: the kernel never refines it, and a wrong value is never corrected or logged"
	assert_line "  change:   load the tscmon module: its rate check is the only measurement of this frequency"
	run advice_json log-kvmclock-guest M-known-freq
	assert_output "info calibration"
}

@test "rate check: ok within 100 ppm, warning above, critical beyond 500 ppm plus the uncertainty" {
	run tm log-unwatched-host advise
	assert_line "[OK] M-rate: TSC rate +1.000 ppm (+/- 0.400) from the kernel's tsc_khz, against hpet"
	d=$(fixture_copy log-unwatched-host)
	s="$d/sys/kernel/debug/tscmon/summary"
	sed -i 's/^tsc_rate_ppm .*/tsc_rate_ppm -150/' "$s"
	run tm "$d" advise
	assert_line "[WARNING] M-rate: TSC rate -150.000 ppm (+/- 0.400) from the kernel's tsc_khz, against hpet: beyond a healthy oscillator"
	sed -i 's/^tsc_rate_ppm .*/tsc_rate_ppm 600.5/; s/^tsc_rate_uncertainty_ppm .*/tsc_rate_uncertainty_ppm 120/' "$s"
	run tm "$d" advise
	assert_line --partial "[WARNING] M-rate: TSC rate +600.500 ppm (+/- 120.000)"
	sed -i 's/^tsc_rate_uncertainty_ppm .*/tsc_rate_uncertainty_ppm 90/' "$s"
	run tm "$d" advise
	assert_line --partial "[CRITICAL] M-rate: TSC rate +600.500 ppm (+/- 90.000)"
	sed -i 's/^rate_reference .*/rate_reference none/' "$s"
	run tm "$d" advise
	assert_line "[INFO] M-rate: the module found no independent timer (ACPI PM timer or HPET): the TSC rate is not checked"
}

@test "rate check: JSON summary keys and Prometheus metrics" {
	run bash -c "'$TSCMON' --root '$FIX/log-calibration-pit-failed' export | python3 -c '
import json,sys
s=json.load(sys.stdin)[\"module\"][\"summary\"]
print(s[\"tsc_khz\"], s[\"tsc_khz_measured\"], s[\"tsc_rate_ppm\"], s[\"tsc_rate_uncertainty_ppm\"], s[\"rate_reference\"])'"
	assert_output "2597849 2600000.4 828.149 0.031 acpi_pm"
	run tm log-calibration-pit-failed export --format prometheus
	assert_line 'tscmon_tsc_frequency_hertz{source="declared"} 2.597849e+09'
	assert_line 'tscmon_tsc_frequency_hertz{source="measured"} 2.6000004e+09'
	assert_line 'tscmon_tsc_frequency_hertz{source="log_detected"} 2.597849e+09'
	assert_line 'tscmon_tsc_rate_deviation_ratio 0.000828149'
	assert_line 'tscmon_tsc_rate_uncertainty_ratio 3.1e-08'
	assert_line 'tscmon_tsc_rate_reference_info{reference="acpi_pm"} 1'
	assert_line 'tscmon_advice{rule="M-rate",severity="critical"} 1'
	run tm log-wd-6x-host export --format prometheus
	assert_line 'tscmon_tsc_frequency_hertz{source="log_refined"} 2.095078e+09'
	assert_line 'tscmon_kernel_log_events_total{family="watchdog"} 5'
	assert_line 'tscmon_tsc_unstable_info{reason="clocksource watchdog"} 1'
}

@test "rate check: malformed rate keys are counted, not believed" {
	d=$(fixture_copy log-unwatched-host)
	s="$d/sys/kernel/debug/tscmon/summary"
	sed -i 's/^tsc_rate_ppm .*/tsc_rate_ppm 1e9/; s/^tsc_khz_measured .*/tsc_khz_measured -5/' "$s"
	run tm "$d" status
	assert_line "  - module summary: 2 malformed line(s) ignored"
	run tm "$d" advise
	refute_output --partial "M-rate: TSC rate"
}

@test "every new fixture passes the JSON schema and the exposition check" {
	for d in "$FIX"/log-*/; do
		run bash -c "'$TSCMON' --root '$d' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
		assert_success
		run bash -c "'$TSCMON' --root '$d' export --format prometheus | python3 '$BATS_TEST_DIRNAME/prom_check.py'"
		assert_success
	done
}

@test "malformed log lines: truncated, huge and missing numbers never crash and give no numbers" {
	d=$(fixture_copy log-wd-6x-host)
	cat > "$d/dmesg.txt" <<-'LOG'
	[ 1.0] clocksource: timekeeping watchdog on CPU: Marking clocksource '
	[ 1.1] clocksource:                       'hpet' wd_nsec: wd_now: zz wd_last: mask:
	[ 1.2] clocksource:                       'tsc' cs_nsec: 99999999999999999999999999 cs_now: ffffffffffffffffffffffff cs_last: 1 mask: ffffffffffffffff
	[ 1.3] clocksource:                       Clocksource 'tsc' skewed -9223372036854775808 ns (0 ms) over watchdog 'hpet' interval of 0 ns (0 ms)
	[ 2.0] clocksource: Marking clocksource  unstable due to frequency skew
	[ 2.1] clocksource: Watchdog interval:
	[ 2.2] clocksource: Clocksource                   tsc interval:        -ns
	[ 3.0] TSC synchronization [CPU#
	[ 3.1] Measured 99999999999999999999 cycles TSC warp between CPUs, turning off TSC clock.
	[ 4.0] [Firmware Bug]: TSC ADJUST differs: CPU
	[ 4.1] [Firmware Bug]: TSC ADJUST differs: CPU3 12 --> . Restoring
	[ 4.2] [Firmware Bug]: TSC ADJUST: CPU99999999999999999999: -1 force to 0
	[ 4.3] TSC ADJUST compensate: CPU1 observed  warp. Adjust:
	[ 5.0] clocksource: timekeeping watchdog on CPU1: hpet retried -5 times before success
	[ 5.1] clocksource: Long readout interval, skipping watchdog check: cs_nsec: 5 wd_nsec: 0
	[ 5.2] clocksource: Watchdog  read timed out. Readout sequence took: ns
	[ 6.0] tsc: Detected 99999999999999999.999 MHz processor
	[ 6.1] tsc: Refined TSC clocksource calibration: . MHz
	[ 6.2] tsc: Marking TSC unstable due to
	[ 6.3] clocksource: Switched to clocksource
	[ 6.4] clocksource: Override clocksource
	[ 7.0] clocksource: CPU4294967296 1 < CPU (cycles)
	[ 8.0] Clocksource tsc unstable (delta = -- ns)
	LOG
	run tm "$d" advise
	assert_success
	run events_json "$d" tsc-adjust
	assert_output "differs time=4
differs time=4.1 cpu=3
force-zero time=4.2
compensate time=4.3 cpu=1"
	run events_json "$d" boot-warp
	assert_output "sync time=3
warp time=3.1"
	run events_json "$d" watchdog
	assert_line --index 0 "reading time=1.1 arg=hpet watchdog=hpet"
	for cmd in status advise check export "export --format prometheus" "watch --count 1 --interval 0"; do
		rc=0
		"$TSCMON" --root "$d" $cmd > /dev/null 2> "$BATS_TEST_TMPDIR/err" || rc=$?
		[ "$rc" -le 3 ]
		[ ! -s "$BATS_TEST_TMPDIR/err" ]
	done
	run bash -c "'$TSCMON' --root '$d' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
	assert_success
}

@test "malformed log lines: a 1 MiB line and 5000 watchdog reports stay bounded" {
	d=$(fixture_copy log-wd-6x-host)
	{
		printf '[ 1.0] clocksource: timekeeping watchdog on CPU1: Marking clocksource %s\n' "$(head -c 1048576 /dev/zero | tr '\0' "'")"
		for i in $(seq 1 5000); do
			echo "[ $i.0] clocksource: timekeeping watchdog on CPU1: Marking clocksource 'tsc' as unstable because the skew is too large:"
		done
	} > "$d/dmesg.txt"
	run tm "$d" advise
	assert_success
	[ "$(grep -c '^\[WARNING\] M-watchdog:' <<<"$output")" -eq 8 ]
	run tm "$d" status
	assert_line --partial "more than 4096 timekeeping lines"
}
