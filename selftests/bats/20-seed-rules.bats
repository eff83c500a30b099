#!/usr/bin/env bats
# The seed's rules S1-S6 (shared/reference/seed-rules.md), one test each
# at least, asserting the exact advice text and values.

load helpers

@test "S1: NTP advice with the 2009 and the modern commands, on a host" {
	run tm intel-invariant-host advise
	assert_success
	run item S1 <<<"$output"
	assert_line "[INFO] S1: run an NTP daemon on the host and on every guest, now and at boot"
	assert_line "  change:   2009 (RHEL 5): service ntpd start"
	assert_line "  change:   2009 (RHEL 5): chkconfig ntpd on"
	assert_line "  change:   modern: systemctl enable --now chronyd (or ntpd / ntpsec)"
}

@test "S1: also given to guests" {
	run tm kvm-guest advise
	run item S1 <<<"$output"
	assert_line "  evidence: applies to every guest"
	assert_line "  change:   2009 (RHEL 5): service ntpd start"
}

@test "S2: constant_tsc present is OK" {
	run tm intel-invariant-host advise
	run item S2 <<<"$output"
	assert_line "[OK] S2: the CPU has a constant (invariant) TSC"
	assert_line "  evidence: /proc/cpuinfo flags contain constant_tsc on all 4 CPUs"
	assert_line --partial "grep constant_tsc /proc/cpuinfo"
}

@test "S2: constant_tsc missing warns, naming the CPU" {
	run tm amd-k8-host advise
	run item S2 <<<"$output"
	assert_line --index 0 "[WARNING] S2: the CPU lacks a constant TSC: its rate follows frequency and C-state changes"
	assert_line '  evidence: /proc/cpuinfo flags lack constant_tsc (AuthenticAMD family 15 (0xf) model 65 (0x41) "Dual-Core AMD Opteron(tm) Processor 2218")'
	assert_line "  change:   grep constant_tsc /proc/cpuinfo prints nothing here: apply S3 and S4 on the host; guests need S7"
}

@test "S2: constant_tsc on only some CPUs counts as missing" {
	d=$(fixture_copy intel-invariant-host)
	awk '/^processor/ {n++} n == 3 && /^flags/ { sub(/ constant_tsc/, "") } { print }' \
		"$FIX/intel-invariant-host/proc/cpuinfo" > "$d/proc/cpuinfo"
	run tm "$d" advise
	run item S2 <<<"$output"
	assert_line --partial "flags lack constant_tsc on some CPUs"
}

@test "S3, S4, S5 do not fire on a constant-TSC host" {
	run tm intel-invariant-host advise
	refute_output --partial "] S3:"
	refute_output --partial "] S4:"
	refute_output --partial "] S5:"
}

@test "S3: AMD host gets processor.max_cstate=1 and the merged GRUB line" {
	run tm amd-k8-host advise
	run item S3 <<<"$output"
	assert_line --index 0 "[WARNING] S3: disable deep C-states: they change the rate of a TSC that is not constant"
	assert_line "  evidence: deep C-states in use: C2 C3 (84438 entries, cpuidle driver acpi_idle)"
	assert_line "  change:   add processor.max_cstate=1 to the host kernel command line"
	assert_line "  change:   2009 (RHEL 5): append processor.max_cstate=1 to the kernel line of /boot/grub/grub.conf: kernel /vmlinuz-6.1.0-18-amd64 ro root=/dev/VolGroup00/LogVol00 rhgb quiet processor.max_cstate=1"
	assert_line '  change:   modern: in /etc/default/grub set GRUB_CMDLINE_LINUX="rhgb quiet processor.max_cstate=1"'
	refute_output --partial "intel_idle.max_cstate"
}

@test "S3: Intel host without constant_tsc also gets intel_idle.max_cstate=0" {
	d=$(fixture_copy intel-invariant-host)
	sed -i 's/ constant_tsc//' "$d/proc/cpuinfo"
	run tm "$d" advise
	run item S3 <<<"$output"
	assert_line "  change:   add processor.max_cstate=1 intel_idle.max_cstate=0 to the host kernel command line (intel_idle ignores processor.max_cstate, so both are needed)"
	assert_line '  change:   modern: in /etc/default/grub set GRUB_CMDLINE_LINUX="quiet processor.max_cstate=1 intel_idle.max_cstate=0"'
}

@test "S3: an existing processor.max_cstate value is replaced, not duplicated" {
	d=$(fixture_copy amd-k8-host)
	echo "ro root=/dev/sda1 processor.max_cstate=3 nowatchdog" > "$d/proc/cmdline"
	run tm "$d" advise
	run item S3 <<<"$output"
	assert_line '  change:   modern: in /etc/default/grub set GRUB_CMDLINE_LINUX="nowatchdog processor.max_cstate=1"'
	assert_line "  change:   2009 (RHEL 5): append processor.max_cstate=1 to the kernel line of /boot/grub/grub.conf: kernel /vmlinuz-6.1.0-18-amd64 ro root=/dev/sda1 nowatchdog processor.max_cstate=1"
}

@test "S3: already set on the command line is OK" {
	d=$(fixture_copy amd-k8-host)
	echo "ro root=/dev/sda1 processor.max_cstate=1" > "$d/proc/cmdline"
	run tm "$d" advise
	run item S3 <<<"$output"
	assert_line --index 0 --partial "[OK] S3:"
	assert_line "  change:   none: already set"
}

@test "S4: pins to the highest available frequency, 2009 and modern" {
	run tm amd-k8-host advise
	run item S4 <<<"$output"
	assert_line --index 0 "[WARNING] S4: disable frequency scaling: pin min and max to the highest frequency"
	assert_line "  evidence: highest frequency: 2600000 kHz (from scaling_available_frequencies)"
	assert_line --partial "  change:   2009 (RHEL 5): in /etc/sysconfig/cpuspeed set MIN_SPEED=2600000 and MAX_SPEED=2600000 "
	assert_line --partial "echo 2600000 > \$c/scaling_max_freq; echo 2600000 > \$c/scaling_min_freq"
	assert_line --partial "scaling_min_freq = scaling_max_freq = cpuinfo_max_freq = 2600000"
	assert_line "  change:   or: cpupower frequency-set -g performance (the performance governor)"
}

@test "S4: falls back to cpuinfo_max_freq without an available list" {
	d=$(fixture_copy amd-k8-host)
	rm "$d"/sys/devices/system/cpu/cpu*/cpufreq/scaling_available_frequencies
	echo 2800000 > "$d/sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_max_freq"
	run tm "$d" advise
	run item S4 <<<"$output"
	assert_line "  evidence: highest frequency: 2800000 kHz (from cpuinfo_max_freq)"
	assert_line --partial "MIN_SPEED=2800000 and MAX_SPEED=2800000"
}

@test "S4: already pinned with the performance governor is OK" {
	d=$(fixture_copy amd-k8-host)
	for g in "$d"/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor; do echo performance > "$g"; done
	run tm "$d" advise
	run item S4 <<<"$output"
	assert_line --index 0 --partial "[OK] S4:"
}

@test "S4: guest without cpufreq still gets concrete values (from the log)" {
	run tm tcg-guest-unstable advise
	run item S4 <<<"$output"
	assert_line --index 0 "[INFO] S4: disable frequency scaling: pin min and max to the highest frequency"
	assert_line --partial "highest frequency: 2599998 kHz"
	assert_line --partial "MIN_SPEED=2599998 and MAX_SPEED=2599998"
}

@test "S5: names the CPU and the revision F remark (rev F part)" {
	run tm amd-k8-host advise
	run item S5 <<<"$output"
	assert_line "[INFO] S5: the 2009 guide wrote S3/S4 for AMD revision F CPUs (Red Hat bug 513138)"
	assert_line '  evidence: this CPU: AuthenticAMD family 15 (0xf) model 65 (0x41) "Dual-Core AMD Opteron(tm) Processor 2218"'
	assert_line "  change:   this CPU is an AMD family 0Fh revision F part (models 0x40-0x5F): exactly the case the guide was written for; apply S3 and S4"
}

@test "S5: an older K8 (not revision F) is told apart" {
	d=$(fixture_copy amd-k8-host)
	sed -i 's/^model\t\t: 65/model\t\t: 33/' "$d/proc/cpuinfo"
	run tm "$d" advise
	run item S5 <<<"$output"
	assert_line --partial "model 0x21 is not revision F (0x40-0x5F)"
}

@test "S5: a non-AMD CPU is named as such" {
	run tm tcg-guest-unstable advise
	run item S5 <<<"$output"
	assert_line "  change:   this CPU is AuthenticAMD family 25 model 1, not AMD revision F; the guide's steps still apply because it lacks constant_tsc"
}

@test "S6: migration warning on a host without constant_tsc, with its TSC rate" {
	run tm amd-k8-host advise
	run item S6 <<<"$output"
	assert_line --index 0 "[WARNING] S6: live migration, cpufreq changes and deep C-states disturb guest clocks on this host"
	assert_line "  evidence: this host's TSC: 2599987 kHz (from module summary tsc_khz)"
	assert_line "  change:   apply S3 and S4 on both hosts before migrating, and give guests kvm-clock (S7)"
}

@test "S6: info on a constant-TSC host, TSC rate from the log" {
	run tm buildvm-kvm-tsc advise
	run item S6 <<<"$output"
	assert_line --index 0 "[INFO] S6: migrate guests only between hosts with the same TSC frequency"
	assert_line "  evidence: this guest's TSC: 2450000 kHz (from kernel log (Detected ... MHz))"
	assert_line --partial "invtsc"
}

@test "S7: host without constant_tsc lists the whole guest table with the real lpj" {
	run tm amd-k8-host advise
	run item S7 <<<"$output"
	assert_line "  change:   rhel-5.4 x86_64 pvclock: none"
	assert_line "  change:   rhel-5.4 x86_64 no-pvclock: divider=10 notsc lpj=2599987"
	assert_line "  change:   rhel-5.4 x86 pvclock: none"
	assert_line "  change:   rhel-5.4 x86 no-pvclock: divider=10 clocksource=acpi_pm lpj=2599987"
	assert_line "  change:   rhel-5.3 x86_64: divider=10 notsc"
	assert_line "  change:   rhel-5.3 x86: divider=10 clocksource=acpi_pm"
	assert_line "  change:   rhel-4.8 x86_64: notsc divider=10"
	assert_line "  change:   rhel-4.8 x86: clock=pmtmr divider=10"
	assert_line "  change:   rhel-3.9 x86_64: none"
	assert_line "  change:   rhel-3.9 x86: none"
	assert_line "  change:   rhel-6+ / linux: none (kvm-clock)"
}

@test "S7: constant-TSC host says none needed" {
	run tm intel-invariant-host advise
	run item S7 <<<"$output"
	assert_line "[OK] S7: guest kernel parameters: not needed on a host with a constant TSC"
}

@test "S8: lpj from the log at HZ=1000 stays as it is" {
	run tm amd-k8-host advise
	run item S8 <<<"$output"
	assert_line "  evidence: this kernel's HZ is 1000 (BogoMIPS 5199.97 from the same log line x 500000 / lpj 2599987)"
	assert_line "  change:   use lpj=2599987 for a RHEL 5 guest (HZ=1000)"
	assert_line --partial "divider=10 lowers the guest's timer interrupt to HZ/10 = 100 per second"
	assert_line --partial "use lpj=25999870 instead"
}

@test "S8: lpj from a HZ=250 kernel is scaled to HZ=1000" {
	run tm tcg-guest-unstable advise
	run item S8 <<<"$output"
	assert_line "  evidence: this kernel's HZ is 250 (BogoMIPS 5199.99 from the same log line x 500000 / lpj 10399992)"
	assert_line "  evidence: scaled to the guest kernel's HZ=1000: 10399992 x 250 / 1000 = 2599998"
	assert_line "  change:   use lpj=2599998 for a RHEL 5 guest (HZ=1000)"
}

@test "S8: without a log, lpj comes from cpuinfo bogomips with the assumption stated" {
	d=$(fixture_copy amd-k8-host)
	rm "$d/dmesg.txt"
	run tm "$d" advise
	run item S8 <<<"$output"
	assert_line "  evidence: BogoMIPS 5199.97 (from /proc/cpuinfo bogomips) x 500000 / HZ 1000 = 2599985 (assumes the guest's delay loop runs at this host's speed)"
	assert_line "  change:   use lpj=2599985 for a RHEL 5 guest (HZ=1000)"
}

@test "S8: log line with lpj but no BogoMIPS uses cpuinfo to find HZ" {
	d=$(fixture_copy amd-k8-host)
	sed -i 's/timer frequency.. 5199.97 BogoMIPS (lpj=2599987)/timer frequency.. (lpj=2599987)/' "$d/dmesg.txt"
	run tm "$d" advise
	run item S8 <<<"$output"
	assert_line "  evidence: this kernel's HZ is 1000 (BogoMIPS 5199.97 from /proc/cpuinfo bogomips x 500000 / lpj 2599987)"
	assert_line "  change:   use lpj=2599987 for a RHEL 5 guest (HZ=1000)"
}

@test "S8: no log and no bogomips: says how to measure, warns" {
	d=$(fixture_copy amd-k8-host)
	rm "$d/dmesg.txt"
	sed -i '/^bogomips/d' "$d/proc/cpuinfo"
	run tm "$d" advise
	run item S8 <<<"$output"
	assert_line --index 0 --partial "[WARNING] S8:"
	assert_line "  change:   boot the guest once without lpj= and read its value: dmesg | grep lpj="
}

@test "S9: host without constant_tsc includes the Windows advice" {
	run tm amd-k8-host advise
	run item S9 <<<"$output"
	assert_line --partial "add /use pmtimer to boot.ini"
	assert_line --partial "bcdedit /set useplatformclock true"
}
