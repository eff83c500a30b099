#!/usr/bin/env bats
# tscmon status: what was found, per fixture.

load helpers

@test "status: modern Intel host" {
	run tm intel-invariant-host status
	assert_success
	assert_line 'cpu:          GenuineIntel family 6 (0x6) model 85 (0x55) "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", 4 CPUs'
	assert_line "tsc flags:    tsc constant_tsc nonstop_tsc tsc_adjust rdtscp | missing: tsc_reliable tsc_known_freq hypervisor"
	assert_line "clocksource:  tsc (available: tsc hpet acpi_pm)"
	assert_line "role:         host (no hypervisor seen)"
	assert_line "cpufreq:      driver intel_pstate, governor powersave, highest 3900000 kHz"
	assert_line "cpuidle:      driver intel_idle, states POLL C1 C1E C6"
	assert_line "kernel log:   14 lines, 6 timekeeping events, lpj=8380312, 2095.078 MHz, 0 unstable, last switch to tsc"
	assert_line "module:       loaded, version 0.1.0 abi 1, 4 CPUs, max |skew| 22 cycles, 3600 sweeps"
	refute_output --partial "not available"
}

@test "status: old AMD host" {
	run tm amd-k8-host status
	assert_line 'cpu:          AuthenticAMD family 15 (0xf) model 65 (0x41) "Dual-Core AMD Opteron(tm) Processor 2218", 2 CPUs'
	assert_line "tsc flags:    tsc rdtscp | missing: constant_tsc nonstop_tsc tsc_reliable tsc_known_freq tsc_adjust hypervisor"
	assert_line "cpufreq:      driver acpi-cpufreq, governor ondemand, highest 2600000 kHz"
}

@test "status: KVM guest names the hypervisor and the evidence" {
	run tm kvm-guest status
	assert_line "role:         guest (KVM; /proc/cpuinfo flags contain hypervisor; kernel log: Hypervisor detected: KVM; DMI: QEMU Standard PC (Q35 + ICH9, 2009))"
	assert_line "clocksource:  kvm-clock (available: kvm-clock tsc acpi_pm)"
	assert_line "module:       not loaded"
	assert_line "not available:"
	assert_line --partial "  - module: /sys/kernel/debug/tscmon not found (tscmon module not loaded"
}

@test "status: TCG guest found by DMI and the hypervisor flag" {
	run tm tcg-guest-unstable status
	assert_line "role:         guest (QEMU; /proc/cpuinfo flags contain hypervisor; DMI: QEMU Standard PC (i440FX + PIIX, 1996))"
	assert_line "kernel log:   11 lines, 5 timekeeping events, lpj=10399992, 2599.998 MHz, 1 unstable, last switch to hpet"
}

@test "status: a snapshot's hypervisor_cpuid names the hypervisor" {
	d=$(fixture_copy tcg-guest-unstable)
	echo TCGTCGTCGTCG > "$d/hypervisor_cpuid"
	run tm "$d" status
	assert_line --partial "role:         guest (QEMU TCG; "
	assert_line --partial 'hypervisor CPUID signature "TCGTCGTCGTCG"'
}

@test "status: build machine 2 (both tsc= options, tsc_reliable)" {
	run tm buildvm-kvm-contradiction status
	assert_line "tsc flags:    tsc constant_tsc nonstop_tsc tsc_reliable tsc_known_freq tsc_adjust rdtscp hypervisor | missing: none"
	assert_line "cmdline:      BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/vda1 ro console=ttyS0 tsc=reliable tsc=unstable quiet"
	assert_line "kernel log:   10 lines, 6 timekeeping events, lpj=8983120, 2245.780 MHz, 1 unstable, last switch to kvm-clock"
}

@test "status: an empty tree lists every input as not available and exits 0" {
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run "$TSCMON" --root "$BATS_TEST_TMPDIR/empty" status
	assert_success
	assert_line "cpu:          unknown CPU (/proc/cpuinfo not available)"
	assert_line "  - cpuinfo (proc/cpuinfo): missing"
	assert_line "  - kernel command line (proc/cmdline): missing"
	assert_line "  - kernel log (dmesg.txt): missing"
	assert_line "  - current clocksource (sys/devices/system/clocksource/clocksource0/current_clocksource): missing"
}

@test "status: under kernel lockdown the client says why it sees no module" {
	run tm lockdown-guest status
	assert_success
	assert_line "module:       not loaded"
	assert_line --partial "  - module: /sys/kernel/debug/tscmon not found (kernel lockdown is active (confidentiality): it refuses unsigned modules and closes debugfs"
}
