#!/usr/bin/env bats
# Command line: version, help, usage errors and their exit codes.

load helpers

@test "--version prints the version from dkms.conf" {
	want=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
	run "$TSCMON" --version
	assert_success
	assert_output "tscmon $want"
}

@test "--help lists every command and exits 0" {
	run "$TSCMON" --help
	assert_success
	for c in status advise check export watch snapshot; do
		assert_output --partial "  $c"
	done
	assert_output --partial "--root DIR"
}

@test "no command is a usage error (64) with a one-line reason" {
	run "$TSCMON"
	assert_failure 64
	assert_output "tscmon: no command given (tscmon --help for usage)"
}

@test "unknown command exits 64" {
	run "$TSCMON" frobnicate
	assert_failure 64
	assert_output --partial 'unknown command "frobnicate"'
}

@test "unknown option exits 64" {
	run "$TSCMON" status --bogus
	assert_failure 64
	assert_output --partial "unknown option --bogus"
}

@test "option without its value exits 64" {
	run "$TSCMON" status --root
	assert_failure 64
	assert_output --partial "needs a value"
}

@test "--root that does not exist exits 66" {
	run "$TSCMON" --root /nonexistent/tree status
	assert_failure 66
	assert_output --partial "not a readable directory"
}

@test "--guest with an unknown OS exits 64 and lists the choices" {
	run tm intel-invariant-host advise --guest rhel-7.0
	assert_failure 64
	assert_output --partial "unknown guest OS"
	assert_output --partial "rhel-5.4 rhel-5.3 rhel-4.8 rhel-3.9 rhel-6+ linux windows-xp windows-2003 windows"
}

@test "--guest rhel-5.4 without --arch exits 64" {
	run tm amd-k8-host advise --guest rhel-5.4 --pvclock no
	assert_failure 64
	assert_output --partial "--arch x86_64|x86 is required"
}

@test "--guest rhel-5.4 without --pvclock exits 64" {
	run tm amd-k8-host advise --guest rhel-5.4 --arch x86_64
	assert_failure 64
	assert_output --partial "--pvclock yes|no is required"
}

@test "--guest rhel-4.8 without --arch exits 64" {
	run tm amd-k8-host advise --guest rhel-4.8
	assert_failure 64
}

@test "bad --arch and --pvclock values exit 64" {
	run tm amd-k8-host advise --guest rhel-5.3 --arch arm64
	assert_failure 64
	assert_output --partial "--arch must be x86_64 or x86"
	run tm amd-k8-host advise --guest rhel-5.4 --arch x86 --pvclock maybe
	assert_failure 64
	assert_output --partial "--pvclock must be yes or no"
}

@test "options of another command exit 64" {
	run tm amd-k8-host status --guest linux
	assert_failure 64
	run tm amd-k8-host advise --format json
	assert_failure 64
	run tm amd-k8-host check --count 3
	assert_failure 64
	run tm amd-k8-host advise --arch x86
	assert_failure 64
	assert_output --partial "need --guest"
}

@test "export --format other than json|prometheus exits 64" {
	run tm amd-k8-host export --format xml
	assert_failure 64
	assert_output --partial "--format must be json or prometheus"
}

@test "snapshot without a directory exits 64" {
	run "$TSCMON" snapshot
	assert_failure 64
}

@test "usage errors print exactly one line" {
	run "$TSCMON" advise --guest windows --interval 1
	assert_failure 64
	[ "${#lines[@]}" -eq 1 ]
}
