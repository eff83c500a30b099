#!/usr/bin/env bats
# Prometheus text exposition: format sanity and the metrics themselves.

load helpers

@test "every fixture's exposition passes the format check" {
	for d in "$FIX"/*/; do
		run bash -c "'$TSCMON' --root '$d' export --format prometheus | python3 '$BATS_TEST_DIRNAME/prom_check.py'"
		assert_success
	done
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run bash -c "'$TSCMON' --root '$BATS_TEST_TMPDIR/empty' export --format prometheus | python3 '$BATS_TEST_DIRNAME/prom_check.py'"
	assert_success
}

@test "promtool accepts it, where promtool is installed" {
	command -v promtool >/dev/null || skip "promtool not installed"
	for d in "$FIX"/*/; do
		"$TSCMON" --root "$d" export --format prometheus > "$BATS_TEST_TMPDIR/m.prom"
		run promtool check metrics < "$BATS_TEST_TMPDIR/m.prom"
		assert_success
		assert_output ""
	done
}

@test "advice as tscmon_advice{rule,severity}" {
	run tm amd-k8-host export --format prometheus
	assert_success
	assert_line 'tscmon_advice{rule="S3",severity="warning"} 1'
	assert_line 'tscmon_advice{rule="S5",severity="info"} 1'
	assert_line 'tscmon_advice{rule="M-skew",severity="critical"} 1'
	assert_line "tscmon_check_status 2"
}

@test "per-CPU module metrics in base units with the cpu label" {
	run tm amd-k8-host export --format prometheus
	assert_line 'tscmon_tsc_skew_cycles{cpu="1"} 2450117'
	assert_line 'tscmon_tsc_skew_uncertainty_cycles{cpu="1"} 380'
	assert_line 'tscmon_tsc_drift_ratio{cpu="1"} 5.2211e-05'
	assert_line 'tscmon_tsc_warps_total{cpu="1"} 3'
	assert_line 'tscmon_idle_entries_total{cpu="0"} 2201187'
	assert_line "# TYPE tscmon_tsc_warps_total counter"
	assert_line 'tscmon_tsc_frequency_hertz{source="declared"} 2.599987e+09'
}

@test "cpuidle and cpufreq metrics with cpu and state labels" {
	run tm intel-invariant-host export --format prometheus
	assert_line 'tscmon_cpuidle_state_entries_total{cpu="2",state="C6"} 301578'
	assert_line 'tscmon_cpuidle_state_residency_seconds_total{cpu="0",state="C6"} 812.300912'
	assert_line 'tscmon_cpu_frequency_hertz{cpu="1"} 2.237e+09'
	assert_line 'tscmon_cpu_frequency_max_hertz{cpu="0"} 3.9e+09'
	run tm amd-k8-host export --format prometheus
	assert_line 'tscmon_cpufreq_transitions_total{cpu="1"} 2413'
}

@test "flags, clocksource and guest as gauges and _info gauges" {
	run tm kvm-guest export --format prometheus
	assert_line 'tscmon_cpu_flag{flag="constant_tsc"} 1'
	assert_line 'tscmon_cpu_flag{flag="nonstop_tsc"} 0'
	assert_line 'tscmon_clocksource_info{clocksource="kvm-clock"} 1'
	assert_line 'tscmon_clocksource_available_info{clocksource="acpi_pm"} 1'
	assert_line 'tscmon_guest 1'
	assert_line 'tscmon_hypervisor_info{hypervisor="KVM"} 1'
	assert_line 'tscmon_module_loaded 0'
	assert_line 'tscmon_kernel_log_events_total{family="switch"} 1'
}

@test "label values are escaped" {
	d=$(fixture_copy kvm-guest)
	printf 'odd"name\\x\n' > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	run tm "$d" export --format prometheus
	assert_line 'tscmon_clocksource_info{clocksource="odd\"name\\x"} 1'
}
