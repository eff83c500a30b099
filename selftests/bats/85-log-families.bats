#!/usr/bin/env bats
# Issue 10: the kernel's own words, one fixture per family and wording
# generation. Each test checks the family, the numbers kept from the log,
# and the advice in text and JSON.

load helpers

@test "boot-warp, host (4.19 wording): CPUs, warp cycles, firmware advice" {
	run events_json log-boot-warp-host boot-warp
	assert_output "sync time=0.436512 cpu=0 cpu_other=4
warp time=0.436512 warp_cycles=28733"
	run tm log-boot-warp-host advise
	run item M-boot-warp <<<"$output"
	assert_line "[WARNING] M-boot-warp: the kernel's TSC warp test failed between CPUs"
	assert_line "  evidence: warp test from CPU0 to CPU4"
	assert_line "  evidence: warp: 28733 TSC cycles (13.682 us at 2100.012 MHz)"
	assert_line "  evidence: kernel log [0.436513]: tsc: Marking TSC unstable due to check_tsc_sync_source failed"
	assert_line --partial "change:   the firmware started the CPUs' TSCs apart"
	assert_line --partial "tsc=reliable would only hide it"
	assert_line --partial "only a reboot brings the TSC back"
	run advice_json log-boot-warp-host M-boot-warp
	assert_output "warning boot-warp"
}

@test "boot-warp, guest (warped randomly wording): the hypervisor, and constant_tsc is no promise" {
	run events_json log-boot-warp-guest boot-warp
	assert_output "sync time=0.178421 cpu=0 cpu_other=3
warp time=0.178421 warp_cycles=1203841
random time=0.178422"
	run tm log-boot-warp-guest advise
	run item M-boot-warp <<<"$output"
	assert_line "[WARNING] M-boot-warp: the kernel's TSC warp test failed between vCPUs"
	assert_line "  evidence: kernel log [0.178422]: TSC warped randomly between CPUs"
	assert_line "  evidence: the guest's flags show constant_tsc: that promises a constant rate, not vCPU TSCs that agree"
	assert_line --partial "change:   the hypervisor gives the vCPUs TSCs that disagree"
	assert_line --partial "use kvm-clock in this guest"
	assert_line --partial "tsc=reliable would only hide it"
}

@test "watchdog, pre-4.19 wording (no CPU, raw counters): numbers derived from acpi_pm and the TSC rate" {
	run events_json log-wd-old watchdog
	assert_line --index 0 "demote time=8811.203455 arg=tsc detail=skew too large watchdog=acpi_pm skew_ns=1200140 interval_ns=499999860 cs_interval_ns=501200000"
	assert_line --index 1 "reading time=8811.203458 arg=acpi_pm watchdog=acpi_pm"
	run tm log-wd-old advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc, judged by acpi_pm (gross)"
	assert_line "  evidence: watchdog acpi_pm, skew 1200140 ns over an interval of 499999860 ns = 2400 ppm (the kernel's limit is about 1000 ppm)"
	assert_line --partial "2400 ppm is far beyond any oscillator's tolerance"
	assert_line "  change:   only a reboot brings the TSC back: the kernel never re-enables a clocksource it marked unstable; fix the cause first"
	run advice_json log-wd-old M-watchdog
	assert_output "warning watchdog acpi_pm 1200140 499999860"
}

@test "watchdog, 'on CPU' wording judged by refined-jiffies: no hardware judge" {
	run events_json log-wd-jiffies watchdog
	assert_line --index 0 --partial "demote time=412.880233 arg=tsc detail=skew too large watchdog=refined-jiffies cpu=2"
	run tm log-wd-jiffies advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc, judged by refined-jiffies (no hardware judge)"
	assert_line --partial "lost or late ticks"
	assert_line --partial "this says little about the TSC"
	run advice_json log-wd-jiffies M-watchdog
	assert_output "warning watchdog refined-jiffies None None"
}

@test "watchdog, 6.x wd_nsec + skewed wording on bare metal: marginal" {
	run events_json log-wd-6x-host watchdog
	assert_line --index 0 "demote time=1234.56789 arg=tsc detail=skew too large watchdog=hpet cpu=5 skew_ns=612345 interval_ns=500123456 cs_interval_ns=500735801"
	assert_line --index 3 "skewed time=1234.567915 arg=tsc watchdog=hpet skew_ns=612345 interval_ns=500123456"
	run tm log-wd-6x-host advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc, judged by hpet (marginal)"
	assert_line "  evidence: watchdog hpet, skew 612345 ns over an interval of 500123456 ns = 1224 ppm (the kernel's limit is about 1000 ppm)"
	assert_line --partial "just over the kernel's limit"
	assert_line --partial "(an SMI)"
	run advice_json log-wd-6x-host M-watchdog
	assert_output "warning watchdog hpet 612345 500123456"
	# M-unstable defers to M-watchdog for the judgement
	run tm log-wd-6x-host advise
	run item M-unstable <<<"$output"
	assert_line --partial "judged in M-watchdog"
}

@test "watchdog, 6.x wording in a guest: emulated hpet means hypervisor latency" {
	run tm log-wd-6x-guest advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc, judged by hpet (emulated watchdog, likely hypervisor latency)"
	assert_line "  evidence: watchdog hpet, skew 183456789 ns over an interval of 499876543 ns = 367004 ppm (the kernel's limit is about 1000 ppm)"
	assert_line --partial "'hpet' is emulated in a VM"
	assert_line --partial "the TSC itself is most likely fine"
	run advice_json log-wd-6x-guest M-watchdog
	assert_output "warning watchdog hpet 183456789 499876543"
}

@test "watchdog, 2026 wording (frequency skew, interval lines): a stall" {
	run events_json log-wd-2026 watchdog
	assert_output "demote time=5120.400112 arg=tsc detail=frequency skew watchdog=hpet skew_ns=140099888 interval_ns=500012345 cs_interval_ns=640112233
interval time=5120.400115 watchdog=hpet interval_ns=500012345
interval time=5120.400117 arg=tsc cs_interval_ns=640112233"
	run tm log-wd-2026 advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc, judged by hpet (gross: a stall)"
	assert_line --partial "140.1 ms in one interval is a stall, not a rate error"
	run advice_json log-wd-2026 M-watchdog
	assert_output "warning watchdog hpet 140099888 500012345"
}

@test "watchdog, 2026 wording (inter CPU skew, cycles line): CPUs named, a sync fault" {
	d=$(fixture_copy log-wd-2026)
	cat > "$d/dmesg.txt" <<-'LOG'
	[ 5120.400112] clocksource: Marking clocksource tsc unstable due to inter CPU skew
	[ 5120.400114] clocksource: CPU3       8815512034411 < CPU0       8815512290022 (cycles)
	[ 5120.400130] tsc: Marking TSC unstable due to clocksource watchdog
	LOG
	run events_json "$d" watchdog
	assert_output "demote time=5120.400112 arg=tsc detail=inter CPU skew cpu=3 cpu_other=0
cpu-cycles time=5120.400114 cpu=3 cpu_other=0"
	run tm "$d" advise
	run item M-watchdog <<<"$output"
	assert_line "[WARNING] M-watchdog: the clocksource watchdog demoted tsc (inter-CPU skew)"
	assert_line --partial "the CPUs' TSCs disagree"
}

@test "watchdog-read: retries, read-back delays, long readouts, 2026 timeouts; not a TSC fault" {
	run events_json log-watchdog-read watchdog-read
	assert_output "retried time=311.51221 watchdog=hpet cpu=3 retries=2
read-delay time=722.081193 cpu=1 delay_ns=83241
read-delay time=722.081199 delay_ns=102934
long-readout time=1502.000013 interval_ns=1000123456 cs_interval_ns=1001234567
long-readout time=2802.130044 interval_ns=512345678 cs_interval_ns=61234567890
timeout time=3605.700001 watchdog=hpet delay_ns=152340"
	run tm log-watchdog-read advise
	run item M-watchdog-read <<<"$output"
	assert_line "[INFO] M-watchdog-read: the clocksource watchdog could not read its clocks cleanly: not a TSC fault"
	assert_line "  evidence: hpet needed 2 retries: its reads were delayed (SMIs, NMIs, a busy host)"
	assert_line "  evidence: cs_nsec 1001234567 vs wd_nsec 1000123456: the clocks agree; the check ran late (a late timer)"
	assert_line --partial "cs_nsec 61234567890 vs wd_nsec 512345678: the TSC ran far past the watchdog: the machine was stopped"
	assert_line --partial "change:   none for the TSC"
	refute_output --partial "M-watchdog:"
	run advice_json log-watchdog-read M-watchdog-read
	assert_output "info watchdog-read"
}

@test "watchdog-read: an excessive read-back delay that demoted the TSC is a warning and sticky" {
	d=$(fixture_copy log-watchdog-read)
	echo "[ 4000.000001] clocksource: timekeeping watchdog on CPU2: wd-tsc-wd excessive read-back delay of 1200345ns vs. limit of 125000ns, wd-wd read-back delay only 1503ns, attempt 3, marking tsc unstable" >> "$d/dmesg.txt"
	run tm "$d" advise
	run item M-watchdog-read <<<"$output"
	assert_line "[WARNING] M-watchdog-read: the clocksource watchdog could not read its clocks cleanly: not a TSC fault"
	assert_line "  evidence: here the slow read itself made the kernel mark tsc unstable: no skew was measured"
	assert_line --partial "only a reboot brings the TSC back"
}

@test "tsc-adjust: boot force-to-0, and one socket's same pair after resume is a firmware resync" {
	run events_json log-tsc-adjust-resume tsc-adjust
	assert_line --index 0 "force-zero time=0 cpu=0 adjust_from=-4326719 adjust_to=0"
	assert_line --index 5 "differs time=9001.70342 cpu=3 adjust_from=0 adjust_to=-88123456"
	run tm log-tsc-adjust-resume advise
	assert_line "[INFO] M-tsc-adjust: the firmware left TSC_ADJUST non-zero at boot; the kernel set it to 0"
	assert_line "[INFO] M-tsc-adjust: TSC_ADJUST rewritten with the same value on a whole socket after a resume: the firmware resynchronised the TSCs"
	assert_line "  evidence: 0 --> -88123456 on 4 CPU(s), package(s) 0"
	assert_line "  evidence: after kernel log [9001.511340]: ACPI: PM: Waking up from system sleep state S3"
	run advice_json log-tsc-adjust-resume M-tsc-adjust
	assert_output "info tsc-adjust
info tsc-adjust"
}

@test "tsc-adjust: scattered values without a resume are writes behind the kernel's back" {
	d=$(fixture_copy log-tsc-adjust-resume)
	grep -v "PM:" "$FIX/log-tsc-adjust-resume/dmesg.txt" | grep -v "differs" > "$d/dmesg.txt"
	echo "[ 700.100000] [Firmware Bug]: TSC ADJUST differs: CPU5 0 --> 31337. Restoring" >> "$d/dmesg.txt"
	run tm "$d" advise
	assert_line "[WARNING] M-tsc-adjust: TSC_ADJUST changed behind the kernel's back: something wrote the TSC"
	assert_line "  evidence: 0 --> 31337 on 1 CPU(s), package(s) 1"
	assert_line --partial "writes MSR 0x10/0x3b at run time"
}

@test "calibration: PIT failed, HPET reference; the rate check's +828 ppm is critical" {
	run events_json log-calibration-pit-failed calibration
	assert_line "reference time=0 detail=HPET"
	assert_line "tsc-mhz time=0 mhz=2597.849"
	run tm log-calibration-pit-failed advise
	run item M-calibration <<<"$output"
	assert_line "[INFO] M-calibration: TSC frequency 2597.849 MHz: the PIT calibration failed; the HPET reference calibration gave it, never refined"
	assert_line "  evidence: kernel log [0.000000]: tsc: Unable to calibrate against PIT"
	run tm log-calibration-pit-failed advise
	run item M-rate <<<"$output"
	assert_line "[CRITICAL] M-rate: TSC rate +828.149 ppm (+/- 0.031) from the kernel's tsc_khz, against acpi_pm: more than NTP can steer"
	assert_line "  evidence: module summary: tsc_khz 2597849, tsc_khz_measured 2600000.400, tsc_rate_ppm 828.149, tsc_rate_uncertainty_ppm 0.031, rate_reference acpi_pm"
	assert_line --partial "tsc_early_khz=2600000"
	assert_line --partial "NTP (chronyd, ntpd) cannot keep this clock"
	run advice_json log-calibration-pit-failed M-rate
	assert_output "critical measurement"
	run tm log-calibration-pit-failed check
	assert_failure 2
}

@test "calibration: without the module, a PIT failure never refined is a warning" {
	d=$(fixture_copy log-calibration-pit-failed)
	rm -r "$d/sys/kernel/debug"
	run tm "$d" advise
	assert_line "[WARNING] M-calibration: TSC frequency 2597.849 MHz: the PIT calibration failed; the HPET reference calibration gave it, never refined"
	assert_line --partial "load the tscmon module and read M-rate"
}

@test "unstable: the seed's failure (cpufreq change, no constant_tsc, tsc=reliable) is tied to the transition" {
	run events_json log-unstable-cpufreq unstable
	assert_output "unstable time=14.502211 arg=cpufreq changes on SMP
after-boot time=14.50224"
	run tm log-unstable-cpufreq advise
	run item M-unstable <<<"$output"
	assert_line "[WARNING] M-unstable: the kernel marked the TSC unstable: cpufreq changes on SMP"
	assert_line "  evidence: /proc/cpuinfo flags lack constant_tsc: the TSC rate follows the CPU frequency"
	assert_line "  evidence: cpufreq stats: 2 frequency transitions (cpu*/cpufreq/stats/total_trans); the first one after boot dropped the TSC"
	assert_line --partial "tsc=reliable: it turned off the boot checks and the watchdog"
	assert_line '  change:   remove tsc=reliable: it hid the risk on a CPU without constant_tsc; GRUB_CMDLINE_LINUX="console=ttyS0 quiet panic=-1"'
	run advice_json log-unstable-cpufreq M-unstable
	assert_output "warning unstable"
}

@test "switch: clocksource changes in order with their times" {
	run events_json log-unstable-cpufreq switch
	assert_output "switch time=1.1012 arg=tsc-early
switch time=2.31051 arg=tsc
switch time=14.540112 arg=hpet"
	run tm log-unstable-cpufreq advise
	assert_line "[INFO] M-switch: clocksource changes: tsc-early (1.101 s) -> tsc (2.311 s) -> hpet (14.540 s)"
	run advice_json log-unstable-cpufreq M-switch
	assert_output "info switch"
	run tm log-unstable-cpufreq export --format prometheus
	assert_line "tscmon_clocksource_switches_total 3"
	assert_line 'tscmon_tsc_unstable_info{reason="cpufreq changes on SMP"} 1'
}

@test "override: clocksource=tsc after a demotion is refused; only a reboot helps" {
	run events_json log-override override
	assert_output "override time=1.412203 arg=tsc"
	run tm log-override advise
	run item M-override <<<"$output"
	assert_line "[WARNING] M-override: the kernel refused the request for clocksource tsc"
	assert_line "  evidence: kernel command line has clocksource=tsc"
	assert_line --partial "only a reboot brings the TSC back"
	assert_line '  change:   until the cause is fixed: GRUB_CMDLINE_LINUX=""'
	run advice_json log-override M-override
	assert_output "warning override"
	run tm log-override advise
	assert_line "[WARNING] M-tsc-adjust: the sockets' TSCs started apart: the kernel rewrote TSC_ADJUST to line them up"
}

@test "firmware-noise: a harmless line only is named harmless and nothing warns" {
	run events_json log-harmless-p0 firmware-noise
	assert_output "p0 time=0.102213"
	run tm log-harmless-p0 advise
	assert_line "[OK] M-fwbug: firmware-bug line about the P0 frequency: harmless in a VM"
	refute_output --partial "[WARNING]"
	refute_output --partial "[CRITICAL]"
	run advice_json log-harmless-p0 M-fwbug
	assert_output "ok firmware-noise"
	run tm log-harmless-p0 export --format prometheus
	assert_line 'tscmon_kernel_log_events_total{family="firmware-noise"} 1'
	assert_line 'tscmon_kernel_log_events_total{family="firmware"} 0'
}

@test "firmware-noise: the TSC_DEADLINE errata line is harmless for the clocksource" {
	d=$(fixture_copy log-harmless-p0)
	echo "[    0.000000] [Firmware Bug]: TSC_DEADLINE disabled due to Errata; please update microcode to version: 0xb2 (or later)" > "$d/dmesg.txt"
	run tm "$d" advise
	assert_line "[OK] M-fwbug: firmware-bug line about the TSC deadline timer: harmless for timekeeping"
	refute_output --partial "[WARNING]"
}

@test "kvm-clock guest: no warning about its clocksource, and kvm-clock is never called slow" {
	run tm log-kvmclock-guest advise
	assert_line "[OK] M-clocksource: clocksource kvm-clock: read in user space without a system call"
	assert_line "  evidence: what a read costs: read in user space through the vDSO: tens of ns, no system call"
	refute_output --partial "[WARNING]"
	refute_output --partial "slow"
	run tm log-kvmclock-guest check
	assert_success
	d=$(fixture_copy log-kvmclock-guest)
	echo hyperv_clocksource_tsc_page > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	run tm "$d" advise
	assert_line "[OK] M-clocksource: clocksource hyperv_clocksource_tsc_page: read in user space without a system call"
}

@test "slow clocksources are flagged with what a read costs: hpet, acpi_pm, xen" {
	run tm log-wd-6x-host advise
	assert_line --partial "what a read costs: every clock_gettime() is a system call plus an HPET register read"
	run tm log-wd-old advise
	assert_line --partial "what a read costs: every clock_gettime() is a system call plus an I/O-port read of the ACPI PM timer"
	d=$(fixture_copy log-kvmclock-guest)
	echo xen > "$d/sys/devices/system/clocksource/clocksource0/current_clocksource"
	run tm "$d" advise
	assert_line "[INFO] M-clocksource: clocksource xen: correct but slow (hundreds of ns per read)"
	assert_line --partial "what a read costs: a pvclock read through the hypervisor's shared page"
}
