#!/usr/bin/env bats
# JSON output: valid (python3's parser), schema_version 2, documented fields.

load helpers

@test "every fixture x {status --json, advise --json, export json} is valid JSON" {
	for d in "$FIX"/*/; do
		for args in "status --json" "advise --json" "export --format json" "export"; do
			"$TSCMON" --root "$d" $args > "$BATS_TEST_TMPDIR/out.json"
			run python3 -m json.tool "$BATS_TEST_TMPDIR/out.json"
			assert_success
		done
	done
}

@test "guest plans are valid JSON for every OS" {
	for os in "rhel-5.4 --arch x86 --pvclock no" "rhel-3.9 --arch x86_64" linux windows-xp windows; do
		tm amd-k8-host advise --json --guest $os > "$BATS_TEST_TMPDIR/g.json"
		run python3 -m json.tool "$BATS_TEST_TMPDIR/g.json"
		assert_success
	done
}

@test "export json: schema fields and the advice of the old AMD host" {
	run bash -c "'$TSCMON' --root '$FIX/amd-k8-host' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
	assert_success
	assert_output "2 M-calibration M-clocksource M-freq M-kernel-watch M-nonstop M-skew S1 S2 S3 S4 S5 S6 S7 S8 S9"
}

@test "export json: every fixture passes the schema check" {
	for d in "$FIX"/*/; do
		run bash -c "'$TSCMON' --root '$d' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
		assert_success
	done
	run bash -c "'$TSCMON' --root '$FIX/kvm-guest' export | python3 '$BATS_TEST_DIRNAME/json_schema.py'"
	assert_output "0 M-clocksource M-kernel-watch M-known-freq M-kvmclock M-module S1 S2 S6 S7"
}

@test "export json: module per-CPU rows keep '-' as null and carry the histogram" {
	run bash -c "'$TSCMON' --root '$FIX/amd-k8-host' export | python3 -c '
import json,sys
d=json.load(sys.stdin)
c=d[\"module\"][\"cpus\"][1]
print(c[\"cpu\"], c[\"skew_cycles\"], c[\"tsc_adjust\"], c[\"histogram\"][22], len(c[\"histogram\"]))
print(d[\"module\"][\"summary\"][\"tsc_khz\"], d[\"module\"][\"summary\"][\"clocksource\"], d[\"module\"][\"warps\"][0][\"max_warp_cycles\"])'"
	assert_success
	assert_line --index 0 "1 2450117 None 1800 32"
	assert_line --index 1 "2599987 tsc 18220"
}

@test "export json: log events carry family, kind, time and argument" {
	run bash -c "'$TSCMON' --root '$FIX/tcg-guest-unstable' export | python3 -c '
import json,sys
d=json.load(sys.stdin)
for e in d[\"log\"][\"events\"]:
    if e[\"family\"] in (\"unstable\", \"switch\"): print(e[\"family\"], e[\"time\"], e[\"arg\"])
print(d[\"log\"][\"lpj\"], d[\"machine\"][\"role\"], d[\"machine\"][\"hypervisor\"])'"
	assert_success
	assert_output "unstable 1.203377 TSCs unsynchronized
switch 1.640211 hpet
10399992 guest QEMU"
}

@test "JSON strings are escaped (quotes, backslashes, control characters)" {
	d=$(fixture_copy kvm-guest)
	printf 'ro quote="a\\b" x\tz\n' > "$d/proc/cmdline"
	run bash -c "'$TSCMON' --root '$d' export | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"machine\"][\"cmdline\"][\"raw\"])'"
	assert_success
	assert_output "$(printf 'ro quote="a\\b" x\tz')"
}

@test "an empty tree still gives valid JSON with nulls and verdict unknown" {
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run bash -c "'$TSCMON' --root '$BATS_TEST_TMPDIR/empty' export | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(d[\"machine\"][\"cpu\"], d[\"log\"], d[\"verdict\"][\"severity\"], d[\"verdict\"][\"exit_code\"], len(d[\"not_available\"]) > 3)'"
	assert_success
	assert_output "None None unknown 3 True"
}
