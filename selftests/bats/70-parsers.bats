#!/usr/bin/env bats
# Parser details: command line tokens and tsc= combinations, the log's
# line kinds, cpuinfo per-processor flags.

load helpers

cmdline_json() { # TREE -> the cmdline object, one key per line
	"$TSCMON" --root "$1" export | python3 -c '
import json, sys
c = json.load(sys.stdin)["machine"]["cmdline"]
for k in ("tsc", "notsc", "clocksource", "processor_max_cstate", "intel_idle_max_cstate", "lpj"):
    print(k, c[k])'
}

@test "cmdline: tsc=, clocksource=, max_cstate=, notsc, lpj=" {
	d=$(fixture_copy intel-invariant-host)
	echo 'ro tsc=reliable tsc=nowatchdog clocksource=hpet processor.max_cstate=2 intel_idle.max_cstate=0 notsc lpj=4000000 nowatchdog' > "$d/proc/cmdline"
	run cmdline_json "$d"
	assert_success
	assert_output "tsc ['reliable', 'nowatchdog']
notsc True
clocksource hpet
processor_max_cstate 2
intel_idle_max_cstate 0
lpj 4000000"
}

@test "cmdline: quoted values stay one token and keep their quotes in GRUB lines" {
	d=$(fixture_copy amd-k8-host)
	echo 'ro root=/dev/sda1 acpi_osi="Windows 2009" quiet' > "$d/proc/cmdline"
	run tm "$d" advise
	assert_line '  change:   modern: in /etc/default/grub set GRUB_CMDLINE_LINUX="acpi_osi=\"Windows 2009\" quiet processor.max_cstate=1"'
	assert_line '  change:   2009 (RHEL 5): append processor.max_cstate=1 to the kernel line of /boot/grub/grub.conf: kernel /vmlinuz-6.1.0-18-amd64 ro root=/dev/sda1 acpi_osi="Windows 2009" quiet processor.max_cstate=1'
}

@test "cmdline: the last of repeated parameters wins" {
	d=$(fixture_copy intel-invariant-host)
	echo 'clocksource=hpet clocksource=acpi_pm processor.max_cstate=x' > "$d/proc/cmdline"
	run cmdline_json "$d"
	assert_line "clocksource acpi_pm"
	assert_line "processor_max_cstate None"
}

@test "cmdline: tsc=reliable,unstable is a list the kernel ignores, not a contradiction" {
	d=$(fixture_copy intel-invariant-host)
	echo 'ro tsc=reliable,unstable,nowatchdog' > "$d/proc/cmdline"
	run tm "$d" advise
	assert_line "  change:   give each option its own parameter: tsc=reliable tsc=unstable tsc=nowatchdog"
	refute_output --partial "M-tsc-contradiction"
}

@test "log: lpj line variants (preset value, timer frequency, calibrated)" {
	d=$(fixture_copy amd-k8-host)
	for l in "Calibrating delay loop (skipped) preset value.. 5199.97 BogoMIPS (lpj=2599987)" \
		 "Calibrating delay loop (skipped), value calculated using timer frequency.. 5199.97 BogoMIPS (lpj=2599987)" \
		 "Calibrating delay loop... 5199.97 BogoMIPS (lpj=2599987)"; do
		echo "[    0.100000] $l" > "$d/dmesg.txt"
		run bash -c "'$TSCMON' --root '$d' export | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"log\"][\"lpj\"])'"
		assert_output "2599987"
	done
}

@test "log: every event family is recognised" {
	d=$(fixture_copy amd-k8-host)
	cat > "$d/dmesg.txt" <<-'LOG'
	[    0.000000] tsc: Detected 2599.987 MHz processor
	[    0.000001] tsc: Unable to calibrate against PIT
	[    0.000002] Hypervisor detected: KVM
	[    0.200000] TSC synchronization [CPU#0 -> CPU#1]:
	[    0.200001] Measured 28733 cycles TSC warp between CPUs, turning off TSC clock.
	[    0.200002] tsc: Marking TSC unstable due to check_tsc_sync_source failed
	[    0.300000] [Firmware Bug]: TSC ADJUST: CPU1: -5000 force to 0
	[    1.000000] clocksource: Switched to clocksource hpet
	[    9.000000] clocksource: timekeeping watchdog on CPU1: Marking clocksource 'tsc' as unstable because the skew is too large:
	[    9.000001] clocksource:                       'hpet' wd_nsec: 511624487 wd_now: 6e2c2c1 wd_last: 5aea7f8 mask: ffffffff
	[    9.000002] clocksource: timekeeping watchdog on CPU0: hpet retried 2 times before success
	[    9.000003] clocksource: Override clocksource tsc is unstable and not HRT compatible - cannot switch while in HRT/NOHZ mode
	[    9.000004] kvm: SMP vm created on host with unstable TSC; guest TSC will not be reliable
	[    9.000005] [Firmware Bug]: TSC doesn't count with P0 frequency!
	LOG
	run bash -c "'$TSCMON' --root '$d' export | python3 -c '
import json,sys
for e in json.load(sys.stdin)[\"log\"][\"events\"]: print(e[\"family\"], e[\"kind\"], e[\"arg\"])'"
	assert_success
	assert_output "calibration tsc-mhz None
calibration pit-failed None
hypervisor hypervisor KVM
boot-warp sync None
boot-warp warp None
unstable unstable check_tsc_sync_source failed
tsc-adjust force-zero None
switch switch hpet
watchdog demote tsc
watchdog reading hpet
watchdog-read retried None
override override tsc
kvm-host unstable-host None
firmware-noise p0 None"
}

@test "cpuinfo: a flag missing on one processor is not counted as present" {
	d=$(fixture_copy intel-invariant-host)
	awk '/^processor/ {n++} n == 2 && /^flags/ { sub(/ nonstop_tsc/, "") } { print }' \
		"$FIX/intel-invariant-host/proc/cpuinfo" > "$d/proc/cpuinfo"
	run tm "$d" export --format prometheus
	assert_line 'tscmon_cpu_flag{flag="nonstop_tsc"} 0'
	assert_line 'tscmon_cpu_flag{flag="constant_tsc"} 1'
}

@test "log: lines without stamps keep their [Firmware Bug] prefix; dmesg -T stamps are stripped" {
	d=$(fixture_copy buildvm-kvm-contradiction)
	cat > "$d/dmesg.txt" <<-'LOG'
	[Firmware Bug]: TSC doesn't count with P0 frequency!
	[Wed Nov 25 10:00:01 2026] tsc: Marking TSC unstable due to boot parameter
	LOG
	run tm "$d" advise
	assert_line "[OK] M-fwbug: firmware-bug line about the P0 frequency: harmless in a VM"
	assert_line "  evidence: kernel log: [Firmware Bug]: TSC doesn't count with P0 frequency!"
	assert_line "  evidence: kernel log: tsc: Marking TSC unstable due to boot parameter"
}
