#!/usr/bin/env bats
# The modern rules (M-*), each with its evidence and its exact change.

load helpers

@test "M-unstable: TSCs unsynchronized in a guest points at the hypervisor" {
	run tm tcg-guest-unstable advise
	run item M-unstable <<<"$output"
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: TSCs unsynchronized"
	assert_line "  evidence: kernel log [1.203377]: tsc: Marking TSC unstable due to TSCs unsynchronized"
	assert_line "  evidence: kernel log [1.640211]: clocksource: Switched to clocksource hpet"
	assert_line --partial "the hypervisor programs per-vCPU TSC offsets inconsistently"
	assert_line --partial "tsc=reliable would only hide it"
	assert_line "  change:   a TSC marked unstable stays so until reboot: fix the cause, then reboot"
}

@test "M-unstable: same reason on a host points at the firmware" {
	d=$(fixture_copy amd-k8-host)
	echo "[    1.100000] tsc: Marking TSC unstable due to TSCs unsynchronized" >> "$d/dmesg.txt"
	run tm "$d" advise
	run item M-unstable <<<"$output"
	assert_line --partial "firmware left them apart; update the BIOS/firmware"
}

@test "M-unstable: boot parameter is info and refers to the contradiction" {
	run tm buildvm-kvm-contradiction advise
	run item M-unstable <<<"$output"
	assert_line "[INFO] M-unstable: the kernel marked the TSC unstable: boot parameter"
	assert_line --partial "remove tsc=unstable if the TSC is sound; see M-tsc-contradiction"
}

@test "M-unstable: cpufreq changes, idle halts and the watchdog each get their own change" {
	d=$(fixture_copy amd-k8-host)
	cat >> "$d/dmesg.txt" <<-'LOG'
	[   80.100000] tsc: Marking TSC unstable due to cpufreq changes on SMP
	[   81.100000] tsc: Marking TSC unstable due to TSC halts in idle states deeper than C2
	[   82.100000] tsc: Marking TSC unstable due to clocksource watchdog
	LOG
	run tm "$d" advise
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: cpufreq changes on SMP"
	assert_line --partial "pin the frequency (S4)"
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: TSC halts in idle states deeper than C2"
	assert_line --partial "limit C-states with processor.max_cstate=1"
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: clocksource watchdog"
	assert_line --partial "check the firmware (SMIs)"
}

@test "M-reliable-skewed: tsc=reliable on a skewed machine is critical" {
	d=$(fixture_copy amd-k8-host)
	echo "ro root=/dev/sda1 tsc=reliable quiet" > "$d/proc/cmdline"
	run tm "$d" advise
	run item M-reliable-skewed <<<"$output"
	assert_line "[CRITICAL] M-reliable-skewed: the TSC is declared reliable, so the kernel does not watch it, but it is skewed or warping"
	assert_line '  change:   remove tsc=reliable / tsc=nowatchdog: GRUB_CMDLINE_LINUX="quiet"'
}

@test "M-reliable-skewed: tsc=reliable with a clean measurement is OK" {
	d=$(fixture_copy intel-invariant-host)
	echo "ro root=/dev/sda1 tsc=reliable" > "$d/proc/cmdline"
	run tm "$d" advise
	run item M-reliable-skewed <<<"$output"
	assert_line "[OK] M-reliable-skewed: the TSC is declared reliable and the module's measurements agree"
}

@test "M-reliable-skewed: without the module it says nothing measures the TSC" {
	run tm buildvm-kvm-contradiction advise
	run item M-reliable-skewed <<<"$output"
	assert_line "[INFO] M-reliable-skewed: the TSC is declared reliable: the kernel's clocksource watchdog does not check it"
	assert_line "  evidence: /proc/cpuinfo flags contain tsc_reliable (set by the hypervisor)"
}

@test "M-tsc-contradiction: tsc=reliable and tsc=unstable, with the fixed GRUB line" {
	run tm buildvm-kvm-contradiction advise
	run item M-tsc-contradiction <<<"$output"
	assert_line "[WARNING] M-tsc-contradiction: tsc=reliable and tsc=unstable on one command line"
	assert_line "  evidence: kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/vda1 ro console=ttyS0 tsc=reliable tsc=unstable quiet"
	assert_line '  change:   keep one intent: GRUB_CMDLINE_LINUX="console=ttyS0 quiet" (all tsc=, notsc and clocksource= removed; the kernel then judges the TSC itself)'
}

@test "M-tsc-contradiction: notsc with clocksource=tsc" {
	d=$(fixture_copy intel-invariant-host)
	echo "ro notsc clocksource=tsc" > "$d/proc/cmdline"
	run tm "$d" advise
	assert_line "[WARNING] M-tsc-contradiction: notsc together with options that want the TSC"
	assert_line "  evidence: kernel command line has notsc and clocksource=tsc"
}

@test "M-tsc-list: tsc=reliable,nowatchdog is ignored by the kernel" {
	d=$(fixture_copy intel-invariant-host)
	echo "ro tsc=reliable,nowatchdog quiet" > "$d/proc/cmdline"
	run tm "$d" advise
	run item M-tsc-list <<<"$output"
	assert_line "[WARNING] M-tsc-list: a comma list in tsc= is ignored by the kernel"
	assert_line "  evidence: kernel command line: tsc=reliable,nowatchdog"
	assert_line "  change:   give each option its own parameter: tsc=reliable tsc=nowatchdog"
	refute_output --partial "M-reliable-skewed"
}

@test "M-clocksource: hpet on an invariant, synchronized host warns with the fix" {
	d=$(fixture_copy intel-invariant-host)
	echo hpet > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	run tm "$d" advise
	run item M-clocksource <<<"$output"
	assert_line "[WARNING] M-clocksource: clocksource hpet although the TSC is invariant and synchronized: every clock read is a system call"
	assert_line "  change:   echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource"
}

@test "M-clocksource: hpet in a guest that has kvm-clock" {
	d=$(fixture_copy kvm-guest)
	echo hpet > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	run tm "$d" advise
	assert_line "[WARNING] M-clocksource: clocksource hpet in a guest that has kvm-clock: every clock read is a system call"
	assert_line --partial "echo kvm-clock > /sys/devices/system/clocksource/clocksource0/current_clocksource"
}

@test "M-clocksource: hpet after the TSC was dropped is expected (info)" {
	run tm tcg-guest-unstable advise
	assert_line "[INFO] M-clocksource: clocksource hpet: slow (a system call per read), but expected here"
}

@test "M-clocksource: tsc with measured skew warns" {
	run tm amd-k8-host advise
	assert_line "[WARNING] M-clocksource: clocksource tsc although the module measured the TSCs apart: time read on different CPUs disagrees"
}

@test "M-clocksource: kvm-clock is never flagged" {
	run tm kvm-guest advise
	assert_line "[OK] M-clocksource: clocksource kvm-clock: read in user space without a system call"
}

@test "M-kvmclock: kvm-clock in use, host TSC not shown invariant" {
	run tm kvm-guest advise
	run item M-kvmclock <<<"$output"
	assert_line "[INFO] M-kvmclock: kvm-clock in use: the paravirtual clock, correct across migration"
	assert_line "  evidence: guest flags: constant_tsc yes, nonstop_tsc no, tsc_known_freq yes"
	assert_line --partial "run tscmon advise on the host"
}

@test "M-kvmclock: kvm-clock available but tsc preferred (build machine 1)" {
	run tm buildvm-kvm-tsc advise
	assert_line "[OK] M-kvmclock: kvm-clock available; the kernel prefers tsc"
}

@test "M-nonstop: deep C-states without nonstop_tsc" {
	run tm amd-k8-host advise
	run item M-nonstop <<<"$output"
	assert_line "[WARNING] M-nonstop: deep C-states are in use on a CPU without nonstop_tsc: the TSC may stop in them"
	assert_line "  evidence: cpuidle (acpi_idle): C2 C3 entered 84438 times"
	assert_line '  change:   limit C-states: GRUB_CMDLINE_LINUX="rhgb quiet processor.max_cstate=1"'
}

@test "M-nonstop: Intel with constant_tsc but no nonstop_tsc gets both parameters" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/ nonstop_tsc//' "$d/proc/cpuinfo"
	run tm "$d" advise
	run item M-nonstop <<<"$output"
	assert_line "  evidence: cpuidle (intel_idle): C6 entered 1206286 times"
	assert_line '  change:   limit C-states: GRUB_CMDLINE_LINUX="quiet processor.max_cstate=1 intel_idle.max_cstate=0"'
	run tm intel-invariant-host advise
	refute_output --partial "M-nonstop"
}

@test "M-fwbug: the P0 line is harmless in a guest" {
	run tm buildvm-kvm-contradiction advise
	run item M-fwbug <<<"$output"
	assert_line "[OK] M-fwbug: firmware-bug line about the P0 frequency: harmless in a VM"
	assert_line "  evidence: kernel log [0.000000]: [Firmware Bug]: TSC doesn't count with P0 frequency!"
}

@test "M-fwbug: the P0 line on bare metal, and TSC ADJUST lines" {
	d=$(fixture_copy amd-k8-host)
	cat >> "$d/dmesg.txt" <<-'LOG'
	[    0.000000] [Firmware Bug]: TSC doesn't count with P0 frequency!
	[  302.114000] [Firmware Bug]: TSC ADJUST differs: CPU1 0 --> -4120. Restoring
	LOG
	run tm "$d" advise
	assert_line "[INFO] M-fwbug: the firmware says the TSC does not count at the P0 frequency"
	assert_line "[WARNING] M-tsc-adjust: TSC_ADJUST changed behind the kernel's back: something wrote the TSC"
	assert_line "  evidence: kernel log [302.114000]: [Firmware Bug]: TSC ADJUST differs: CPU1 0 --> -4120. Restoring"
}

@test "M-skew: large skew and warps are critical, with the CPU and ns" {
	run tm amd-k8-host advise
	run item M-skew <<<"$output"
	assert_line "[CRITICAL] M-skew: the module measured TSC skew, drift or warps between CPUs"
	assert_line "  evidence: cpu1: skew_cycles 2450117 (942357.4 ns) uncertainty_cycles 380 drift_ppb 52211 warps 3"
}

@test "M-skew: small skew inside the thresholds is OK" {
	run tm intel-invariant-host advise
	run item M-skew <<<"$output"
	assert_line "[OK] M-skew: the module measured no TSC skew, drift or warp beyond the thresholds"
	assert_line "  change:   none"
}

@test "M-skew: a skew inside its own uncertainty is not flagged" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/^2 1 22 38 /2 1 5000 6000 /' "$d/sys/kernel/debug/tscmon/cpus"
	run tm "$d" advise
	assert_line --partial "[OK] M-skew:"
}

@test "M-skew: thresholds are adjustable" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/^2 1 22 38 /2 1 5000 40 /' "$d/sys/kernel/debug/tscmon/cpus"
	run tm "$d" advise
	assert_line --partial "[WARNING] M-skew:"
	assert_line --partial "cpu2: skew_cycles 5000 (2386.5 ns)"
	run tm "$d" advise --skew-warn 6000
	assert_line --partial "[OK] M-skew:"
	run tm "$d" advise --skew-crit 4000
	assert_line --partial "[CRITICAL] M-skew:"
}

@test "M-freq: frequency transitions on a CPU without constant_tsc" {
	run tm amd-k8-host advise
	run item M-freq <<<"$output"
	assert_line "[WARNING] M-freq: frequency transitions on a CPU without constant_tsc: each one changed the TSC rate"
	assert_line "  evidence: cpufreq stats: 4823 transitions (cpu*/cpufreq/stats/total_trans)"
	assert_line "  change:   stop them: pin every CPU to 2600000 kHz or use the performance governor (S4)"
}

@test "M-module: not loaded is info" {
	run tm kvm-guest advise
	assert_line "[INFO] M-module: no measurements: the tscmon module is not loaded (or its files are unreadable)"
}

@test "M-module: an unknown ABI is refused with a clear message" {
	d=$(fixture_copy intel-invariant-host)
	echo "tscmon 0.9.0 abi 2" > "$d/sys/kernel/debug/tscmon/version"
	run tm "$d" advise
	assert_success
	assert_line "[WARNING] M-module: the tscmon module speaks an ABI this client does not know"
	assert_line "  - module data: debugfs ABI 2 is not supported by this tscmon (it knows ABI 1); module data ignored: install the tscmon client that matches module 0.9.0"
	refute_output --partial "M-skew"
}
