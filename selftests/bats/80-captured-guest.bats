#!/usr/bin/env bats
# A tree captured by `tscmon snapshot` inside a real QEMU TCG guest
# (kernel 6.1, -smp 2) with the tscmon module loaded; see
# selftests/fixtures/capture.sh.

load helpers

F=qemu-6.1-tcg-captured

@test "captured guest: status finds the module, the TCG signature and the unstable TSC" {
	run tm $F status
	assert_success
	assert_line 'cpu:          AuthenticAMD family 6 (0x6) model 6 (0x6) "QEMU TCG CPU version 2.5+", 2 CPUs'
	assert_line "tsc flags:    tsc rdtscp hypervisor | missing: constant_tsc nonstop_tsc tsc_reliable tsc_known_freq tsc_adjust"
	assert_line --partial 'role:         guest (QEMU TCG; /proc/cpuinfo flags contain hypervisor; hypervisor CPUID signature "TCGTCGTCGTCG"'
	assert_line "module:       loaded, version 0.1.0 abi 1, 2 CPUs, max |skew| 13 cycles, 4 sweeps"
}

@test "captured guest: missing constant_tsc gives S3 and S4 with concrete values" {
	run tm $F advise
	assert_success
	run item S3 <<<"$output"
	assert_line '  change:   modern: in /etc/default/grub set GRUB_CMDLINE_LINUX="console=ttyS0 quiet panic=-1 oops=panic processor.max_cstate=1"'
	run tm $F advise
	run item S4 <<<"$output"
	assert_line --partial "MIN_SPEED=2596116 and MAX_SPEED=2596116"
}

@test "captured guest: lpj scaled from HZ=250, unstable TSC explained, skew OK" {
	run tm $F advise
	assert_line "  change:   use lpj=2596116 for a RHEL 5 guest (HZ=1000)"
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: TSCs unsynchronized"
	assert_line --partial "[OK] M-skew:"
	run tm $F check
	assert_failure 1
	assert_output --partial "TSCMON WARNING - 4 warning: S2 S3 S6 M-unstable;"
}

@test "captured guest: the module's later summary keys are read, exports valid" {
	run tm $F status
	refute_output --partial "summary:"
	run tm $F export --format prometheus
	assert_line "tscmon_module_rounds_lost_total 65"
	assert_line "tscmon_cpu_hotplug_events_total 0"
	run bash -c "'$TSCMON' --root '$FIX/$F' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
	assert_success
	run bash -c "'$TSCMON' --root '$FIX/$F' export --format prometheus | python3 '$BATS_TEST_DIRNAME/prom_check.py'"
	assert_success
}
