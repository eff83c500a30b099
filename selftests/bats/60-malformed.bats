#!/usr/bin/env bats
# Malformed, empty, binary, truncated and huge inputs: a clear message
# under "not available", never a crash. make check-asan runs these under
# ASan + UBSan too.

load helpers

# Run status, advise, check, export json/prometheus on tree D; every run
# must end with a normal exit code (no signal, no sanitizer abort).
all_commands_survive() { # D
	local cmd rc
	for cmd in "status" "advise" "check" "export" "export --format prometheus" \
		"advise --guest rhel-5.4 --arch x86_64 --pvclock no" "watch --count 1 --interval 0"; do
		rc=0
		"$TSCMON" --root "$1" $cmd > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" || rc=$?
		if [ "$rc" -gt 3 ]; then
			echo "tscmon $cmd exited $rc"; cat "$BATS_TEST_TMPDIR/err"; return 1
		fi
		if [ -s "$BATS_TEST_TMPDIR/err" ]; then
			echo "tscmon $cmd wrote to stderr:"; cat "$BATS_TEST_TMPDIR/err"; return 1
		fi
	done
	"$TSCMON" --root "$1" export | python3 -m json.tool > /dev/null
}

huge_line() { # BYTES -> one line of that many 'x'
	head -c "$1" /dev/zero | tr '\0' 'x'
	echo
}

@test "empty cpuinfo" {
	d=$(fixture_copy intel-invariant-host)
	: > "$d/proc/cpuinfo"
	run tm "$d" status
	assert_success
	assert_line "  - cpuinfo (proc/cpuinfo): empty"
	all_commands_survive "$d"
}

@test "binary junk in cpuinfo, cmdline and the log" {
	d=$(fixture_copy amd-k8-host)
	printf 'processor\t: 0\n\x00\x01\x02\xff\xfe junk\n' > "$d/proc/cpuinfo"
	printf '\x00\x00\x7f\x80' > "$d/proc/cmdline"
	head -c 3000 /dev/urandom > "$d/dmesg.txt"
	printf '\x00' >> "$d/dmesg.txt"
	run tm "$d" status
	assert_success
	assert_line "  - cpuinfo (proc/cpuinfo): binary data (NUL bytes), not text"
	assert_line "  - kernel command line (proc/cmdline): binary data (NUL bytes), not text"
	assert_line "  - kernel log (dmesg.txt): binary data (NUL bytes), not text"
	all_commands_survive "$d"
}

@test "cpuinfo that is not a cpuinfo" {
	d=$(fixture_copy amd-k8-host)
	printf 'hello world\nno colons here\n' > "$d/proc/cpuinfo"
	run tm "$d" status
	assert_line '  - cpuinfo (proc/cpuinfo): no "processor" entries (not a /proc/cpuinfo?)'
	printf 'processor : 0\nBogoMIPS : 100.00\n' > "$d/proc/cpuinfo"
	run tm "$d" status
	assert_line "  - cpuinfo (proc/cpuinfo): no vendor_id or cpu family (not an x86 /proc/cpuinfo?)"
	all_commands_survive "$d"
}

@test "a 1 MiB flags line, a 1 MiB log line and a 1 MiB table row" {
	d=$(fixture_copy amd-k8-host)
	{ sed -n '1,/^flags/p' "$FIX/amd-k8-host/proc/cpuinfo" | sed '$d'
	  printf 'flags\t\t: '; huge_line 1048576; } > "$d/proc/cpuinfo"
	{ huge_line 1048576; cat "$FIX/amd-k8-host/dmesg.txt"; } > "$d/dmesg.txt"
	{ cat "$FIX/amd-k8-host/sys/kernel/debug/tscmon/cpus"; huge_line 1048576; } > "$d/sys/kernel/debug/tscmon/cpus"
	{ cat "$FIX/amd-k8-host/sys/kernel/debug/tscmon/summary"; huge_line 1048576; } > "$d/sys/kernel/debug/tscmon/summary"
	run tm "$d" advise
	assert_success
	assert_line "  - module cpus: 1 malformed row(s) ignored (short, non-numeric or out of range)"
	assert_line "  - module summary: 1 malformed line(s) ignored"
	# the log's real lines after the huge one still count
	assert_line "  change:   use lpj=2599987 for a RHEL 5 guest (HZ=1000)"
	all_commands_survive "$d"
}

@test "a cmdline over the size limit, and one with a 1 MiB token" {
	d=$(fixture_copy amd-k8-host)
	huge_line 70000 > "$d/proc/cmdline"
	run tm "$d" status
	assert_line "  - kernel command line (proc/cmdline): larger than 65536 bytes"
	{ printf 'ro tsc='; huge_line 60000; } > "$d/proc/cmdline"
	run tm "$d" advise
	assert_success
	all_commands_survive "$d"
}

@test "module table with missing columns, short rows and bad numbers" {
	d=$(fixture_copy intel-invariant-host)
	cat > "$d/sys/kernel/debug/tscmon/cpus" <<-'T'
	cpu online uncertainty_cycles
	0 1 0
	1 1
	2 x 7
	3 1 -
	T
	run tm "$d" status
	assert_success
	assert_line '  - module cpus: no "skew_cycles" column; shown as unknown'
	assert_line "  - module cpus: 2 malformed row(s) ignored (short, non-numeric or out of range)"
	run tm "$d" export --format prometheus
	assert_line 'tscmon_tsc_skew_uncertainty_cycles{cpu="0"} 0'
	refute_output --partial 'tscmon_tsc_skew_uncertainty_cycles{cpu="3"}'
	refute_output --partial "tscmon_tsc_skew_cycles{"
	all_commands_survive "$d"
}

@test "module table without a cpu column is ignored" {
	d=$(fixture_copy intel-invariant-host)
	printf 'online skew_cycles\n1 0\n' > "$d/sys/kernel/debug/tscmon/cpus"
	run tm "$d" status
	assert_line '  - module cpus: no "cpu" column in the header line; table ignored'
	all_commands_survive "$d"
}

@test "columns are found by name, not position (reordered, extra column at the end)" {
	d=$(fixture_copy amd-k8-host)
	printf 'skew_cycles cpu uncertainty_cycles future_col\n0 0 0 9\n2450117 1 380 9\n' > "$d/sys/kernel/debug/tscmon/cpus"
	run tm "$d" export --format prometheus
	assert_line 'tscmon_tsc_skew_cycles{cpu="1"} 2450117'
	assert_line 'tscmon_tsc_skew_uncertainty_cycles{cpu="1"} 380'
}

@test "unknown summary keys are ignored; the module's later files are tolerated" {
	d=$(fixture_copy intel-invariant-host)
	echo "tsc_rate_ppm 3" >> "$d/sys/kernel/debug/tscmon/summary"
	printf 'cpu state entries\n0 C1 5\n' > "$d/sys/kernel/debug/tscmon/idle"
	printf '\x00\x01' > "$d/sys/kernel/debug/tscmon/events"
	run tm "$d" status
	assert_success
	refute_output --partial "summary:"
	all_commands_survive "$d"
}

@test "unknown ABI number: refused, falls back to what it can read" {
	d=$(fixture_copy amd-k8-host)
	echo "tscmon 9.9.9 abi 42" > "$d/sys/kernel/debug/tscmon/version"
	run tm "$d" status
	assert_success
	assert_line "module:       loaded, version 9.9.9 abi 42 (not supported; this client knows abi 1)"
	assert_line "  - module data: debugfs ABI 42 is not supported by this tscmon (it knows ABI 1); module data ignored: install the tscmon client that matches module 9.9.9"
	run tm "$d" export --format prometheus
	assert_line "tscmon_module_loaded 0"
	assert_line "tscmon_module_abi 42"
	all_commands_survive "$d"
}

@test "malformed version lines" {
	d=$(fixture_copy amd-k8-host)
	for v in "" "tscmon" "tscmon 0.1.0 abi" "tscmon 0.1.0 abi one" "kvm 0.1.0 abi 1" "tscmon 0.1.0 abi 1 extra"; do
		printf '%s\n' "$v" > "$d/sys/kernel/debug/tscmon/version"
		run tm "$d" status
		assert_success
		assert_output --regexp "  - module version.*(empty|malformed)"
	done
	all_commands_survive "$d"
}

@test "empty module files" {
	d=$(fixture_copy amd-k8-host)
	for f in summary cpus histogram warps; do : > "$d/sys/kernel/debug/tscmon/$f"; done
	run tm "$d" status
	assert_success
	assert_line "  - module summary: empty"
	assert_line "  - module cpus: empty"
	all_commands_survive "$d"
}

@test "truncated histogram and warps tables" {
	d=$(fixture_copy amd-k8-host)
	printf 'cpu b0 b1\n0 1 2\n1' > "$d/sys/kernel/debug/tscmon/histogram"
	printf 'cpu_a warps\n0 1\n' > "$d/sys/kernel/debug/tscmon/warps"
	run tm "$d" status
	assert_line "  - module histogram: 2 malformed row(s) ignored"
	assert_line "  - module warps: header lacks cpu_a, cpu_b or warps; table ignored"
	all_commands_survive "$d"
}

@test "sysfs values: several lines, control characters, a 1 MiB value, junk numbers" {
	d=$(fixture_copy amd-k8-host)
	printf 'tsc\nhpet\n' > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	printf 'tsc\x01hpet\n' > "$d/sys/devices/system/clocksource/clocksource0/available_clocksource"
	huge_line 1048576 > "$d/sys/devices/system/cpu/cpu0/cpuidle/state1/name"
	echo "26OO000 abc -5 1800000" > "$d/sys/devices/system/cpu/cpu0/cpufreq/scaling_available_frequencies"
	echo "lots" > "$d/sys/devices/system/cpu/cpu1/cpufreq/scaling_max_freq"
	run tm "$d" status
	assert_success
	assert_line --partial "current clocksource (sys/devices/system/clocksource/clocksource0/current_clocksource): more than one line"
	assert_line --partial "available clocksources (sys/devices/system/clocksource/clocksource0/available_clocksource): control characters, not text"
	all_commands_survive "$d"
}

@test "sysfs values at the size limit: 4096 bytes are read whole, 4097 are too large" {
	d=$(fixture_copy amd-k8-host)
	cs=$d/sys/devices/system/clocksource/clocksource0
	huge_line 4095 > "$cs/current_clocksource"
	run tm "$d" status
	assert_success
	assert_line --partial "current clocksource (sys/devices/system/clocksource/clocksource0/current_clocksource): malformed (not one name)"
	huge_line 4096 > "$cs/current_clocksource"
	run tm "$d" status
	assert_success
	assert_line --partial "current clocksource (sys/devices/system/clocksource/clocksource0/current_clocksource): larger than 4096 bytes"
	all_commands_survive "$d"
}

@test "a log without timestamps, with syslog priorities and journal prefixes" {
	d=$(fixture_copy amd-k8-host)
	cat > "$d/dmesg.txt" <<-'LOG'
	<6>tsc: Detected 2599.987 MHz processor
	Calibrating delay loop (skipped), value calculated using timer frequency.. 5199.97 BogoMIPS (lpj=2599987)
	Nov 25 10:00:01 oldbox kernel: [  101.500000] tsc: Marking TSC unstable due to cpufreq changes
	6,512,102000000,-;clocksource: Switched to clocksource hpet
	LOG
	run tm "$d" advise
	assert_success
	assert_line "  change:   use lpj=2599987 for a RHEL 5 guest (HZ=1000)"
	assert_line "  evidence: kernel log [101.500000]: tsc: Marking TSC unstable due to cpufreq changes"
	assert_line "  evidence: kernel log [102.000000]: clocksource: Switched to clocksource hpet"
	all_commands_survive "$d"
}

@test "a log with thousands of timekeeping lines is bounded" {
	d=$(fixture_copy amd-k8-host)
	for i in $(seq 1 5000); do echo "[ $i.000000] clocksource: Switched to clocksource hpet"; done > "$d/dmesg.txt"
	run tm "$d" status
	assert_success
	assert_line "  - kernel log (dmesg.txt): more than 4096 timekeeping lines, 904 ignored"
	all_commands_survive "$d"
}

@test "directories where files should be, and unreadable dangling links" {
	d=$(fixture_copy intel-invariant-host)
	rm "$d/proc/cmdline"; mkdir "$d/proc/cmdline"
	rm "$d/dmesg.txt"; ln -s /nonexistent/log "$d/dmesg.txt"
	run tm "$d" status
	assert_success
	assert_line --regexp "  - kernel command line \(proc/cmdline\): cannot read: Is a directory"
	assert_line "  - kernel log (dmesg.txt): missing"
	all_commands_survive "$d"
}

@test "absurd numbers in the log and tables do not overflow (UBSan)" {
	d=$(fixture_copy amd-k8-host)
	cat > "$d/dmesg.txt" <<-'LOG'
	[    0.000000] tsc: Detected 99999999999999999999999.000 MHz processor
	[    0.000001] Calibrating delay loop (skipped) preset value.. 99999999999999999999.99 BogoMIPS (lpj=999999999999999999999999)
	[99999999999999999999999999.000000] clocksource: Switched to clocksource hpet
	LOG
	sed -i 's/^1 1 2450117 380 /1 1 -9223372036854775807 9223372036854775807 /' "$d/sys/kernel/debug/tscmon/cpus"
	sed -i 's/^tsc_khz .*/tsc_khz 9223372036854775807/' "$d/sys/kernel/debug/tscmon/summary"
	echo "99999999999999999999999" > "$d/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"
	echo "9223372036854775807 1" > "$d/sys/devices/system/cpu/cpu1/cpufreq/scaling_available_frequencies"
	run tm "$d" advise
	assert_success
	all_commands_survive "$d"
}

@test "a summary clocksource of '-' is unknown (null)" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/^clocksource tsc$/clocksource -/' "$d/sys/kernel/debug/tscmon/summary"
	run bash -c "'$TSCMON' --root '$d' export | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"module\"][\"summary\"][\"clocksource\"])'"
	assert_success
	assert_output "None"
}
