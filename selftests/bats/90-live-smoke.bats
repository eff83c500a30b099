#!/usr/bin/env bats
# The live machine: only that each command runs and exits with a documented
# code. Nothing about the build host's content is asserted.

load helpers

@test "live: status, advise, export run and exit 0" {
	for cmd in status advise export "export --format prometheus"; do
		run "$TSCMON" $cmd
		assert_success
	done
}

@test "live: check exits 0..3 with one TSCMON line" {
	run "$TSCMON" check
	[ "$status" -ge 0 ] && [ "$status" -le 3 ]
	assert_output --regexp '^TSCMON (OK|WARNING|CRITICAL|UNKNOWN) - '
}

@test "live: export json is valid JSON" {
	"$TSCMON" export > "$BATS_TEST_TMPDIR/live.json"
	run python3 -m json.tool "$BATS_TEST_TMPDIR/live.json"
	assert_success
}

@test "live: snapshot makes a tree that --root reads" {
	run "$TSCMON" snapshot "$BATS_TEST_TMPDIR/live"
	assert_success
	run "$TSCMON" --root "$BATS_TEST_TMPDIR/live" status
	assert_success
}
