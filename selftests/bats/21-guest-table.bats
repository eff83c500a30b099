#!/usr/bin/env bats
# advise --guest: every row of the seed's S7 table, S8 inside it, S9 for
# Windows, and the modern guests. The host is the old AMD fixture (no
# constant_tsc, lpj=2599987 in its log).

load helpers

params() { # ARGS... -> the "parameters:" value
	tm amd-k8-host advise "$@" | sed -n 's/^parameters: //p'
}

@test "rhel-5.4 x86_64 pvclock yes: none needed" {
	run params --guest rhel-5.4 --arch x86_64 --pvclock yes
	assert_output "none"
	run tm amd-k8-host advise --guest rhel-5.4 --arch x86_64 --pvclock yes
	assert_line "guest plan: rhel-5.4 x86_64 pvclock yes"
	assert_line "  change:   none: no additional parameters are needed"
	refute_output --partial "] S8:"
}

@test "rhel-5.4 x86_64 pvclock no: divider=10 notsc lpj=<this host's>" {
	run params --guest rhel-5.4 --arch x86_64 --pvclock no
	assert_output "divider=10 notsc lpj=2599987"
	run tm amd-k8-host advise --guest rhel-5.4 --arch x86_64 --pvclock no
	assert_line "  change:   append to the kernel line of the guest's /boot/grub/grub.conf: divider=10 notsc lpj=2599987"
	assert_line "  evidence: seed table row: rhel-5.4 x86_64 no-pvclock -> divider=10 notsc lpj=n"
	assert_line "  change:   use lpj=2599987 for a RHEL 5 guest (HZ=1000)"
}

@test "rhel-5.4 x86 pvclock yes: none needed" {
	run params --guest rhel-5.4 --arch x86 --pvclock yes
	assert_output "none"
}

@test "rhel-5.4 x86 pvclock no: divider=10 clocksource=acpi_pm lpj=<this host's>" {
	run params --guest rhel-5.4 --arch x86 --pvclock no
	assert_output "divider=10 clocksource=acpi_pm lpj=2599987"
}

@test "rhel-5.3 x86_64: divider=10 notsc" {
	run params --guest rhel-5.3 --arch x86_64
	assert_output "divider=10 notsc"
}

@test "rhel-5.3 x86: divider=10 clocksource=acpi_pm" {
	run params --guest rhel-5.3 --arch x86
	assert_output "divider=10 clocksource=acpi_pm"
}

@test "rhel-4.8 x86_64: notsc divider=10" {
	run params --guest rhel-4.8 --arch x86_64
	assert_output "notsc divider=10"
}

@test "rhel-4.8 x86: clock=pmtmr divider=10" {
	run params --guest rhel-4.8 --arch x86
	assert_output "clock=pmtmr divider=10"
}

@test "rhel-3.9 x86_64: none needed" {
	run params --guest rhel-3.9 --arch x86_64
	assert_output "none"
}

@test "rhel-3.9 x86: none needed" {
	run params --guest rhel-3.9 --arch x86
	assert_output "none"
}

@test "--pvclock is ignored for rows without that column" {
	run params --guest rhel-5.3 --arch x86_64 --pvclock yes
	assert_output "divider=10 notsc"
}

@test "the lpj in the row is scaled from a HZ=250 host" {
	run tm tcg-guest-unstable advise --guest rhel-5.4 --arch x86_64 --pvclock no
	assert_line "parameters: divider=10 notsc lpj=2599998"
}

@test "on a constant-TSC host the row is given as a precaution (info)" {
	run tm intel-invariant-host advise --guest rhel-5.3 --arch x86
	assert_line "parameters: divider=10 clocksource=acpi_pm"
	assert_line --partial "[INFO] S7: guest kernel parameters for rhel-5.3 x86"
	assert_line --partial "the table is written for hosts without it"
}

@test "on a host without constant_tsc the row is a warning" {
	run tm amd-k8-host advise --guest rhel-4.8 --arch x86
	assert_line "[WARNING] S7: guest kernel parameters for rhel-4.8 x86"
	assert_line "  evidence: this host lacks constant_tsc"
}

@test "rhel-6+: none, kvm-clock" {
	run params --guest rhel-6+
	assert_output "none"
	run tm amd-k8-host advise --guest rhel-6+
	assert_line "[OK] S7: no guest kernel parameters needed: modern guests use kvm-clock"
	assert_line "  change:   parameters: none"
}

@test "linux: none; host without invariant TSC warns about the pvclock stable bit" {
	run params --guest linux
	assert_output "none"
	run tm amd-k8-host advise --guest linux
	assert_line --partial "[WARNING] M-kvmclock: this host's TSC is not known to be stable"
	run tm intel-invariant-host advise --guest linux
	assert_line "[OK] M-kvmclock: this host's TSC looks stable: guests get kvm-clock's stable bit (fast vDSO reads)"
}

@test "windows-xp: S9 with /use pmtimer in boot.ini" {
	run tm amd-k8-host advise --guest windows-xp
	assert_success
	assert_line "parameters: /usepmtimer"
	run item S9 <<<"$output"
	assert_line "[INFO] S9: Windows uses both the RTC and the TSC: make it use the platform timer instead of the TSC"
	assert_line --partial "2009 (Windows XP / Server 2003): add /use pmtimer to boot.ini"
	refute_output --partial "bcdedit"
}

@test "windows-2003: S9 with /use pmtimer in boot.ini" {
	run tm amd-k8-host advise --guest windows-2003
	assert_line "parameters: /usepmtimer"
	assert_line "  evidence: guest OS: windows-2003"
	assert_line --partial "/fastdetect /usepmtimer"
}

@test "windows: S9 with bcdedit /set useplatformclock true" {
	run tm amd-k8-host advise --guest windows
	assert_line "parameters: bcdedit /set useplatformclock true"
	assert_line "  change:   modern Windows: bcdedit /set useplatformclock true (as Administrator, then reboot)"
	refute_output --partial "boot.ini"
}

@test "every guest plan also carries S1 (NTP)" {
	for os in rhel-6+ linux windows; do
		run tm amd-k8-host advise --guest "$os"
		assert_output --partial "] S1:"
	done
	run tm amd-k8-host advise --guest rhel-3.9 --arch x86
	assert_output --partial "service ntpd start"
}

@test "guest plan in JSON carries os, arch, pvclock and parameters" {
	run tm amd-k8-host advise --json --guest rhel-5.4 --arch x86 --pvclock no
	assert_success
	run python3 -c 'import json,sys; p=json.load(sys.stdin)["guest_plan"]; print(p["os"], p["arch"], p["pvclock"], p["parameters"])' <<<"$output"
	assert_output "rhel-5.4 x86 False divider=10 clocksource=acpi_pm lpj=2599987"
}
