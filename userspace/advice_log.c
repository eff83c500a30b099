// SPDX-License-Identifier: GPL-2.0
/*
 * Advice from the kernel's own words: one rule per log family (ids
 * M-boot-warp, M-watchdog, M-watchdog-read, M-calibration, M-switch,
 * M-override, M-kvm-host). The same words need different advice depending
 * on which mechanism printed them and on what judged the TSC; see
 * shared/reference/kernel-log.md and docs/client.md.
 */
#include "advice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTS 8
/* The kernel's limit: about 500 us per 0.5 s watchdog interval. */
#define WD_LIMIT_PPM 1000.0
/* Up to twice the limit a skew is marginal; from 10 % it is a stall. */
#define WD_MARGINAL_PPM 2000.0
#define WD_STALL_PPM 100000.0

static const char *const sticky =
	"only a reboot brings the TSC back: the kernel never re-enables a clocksource it marked unstable; fix the cause first";

static bool has(const struct facts *f, enum cpu_flag fl)
{
	return cpuinfo_has(&f->cpu, fl);
}

static const char *num(const struct facts *f, int64_t v)
{
	return v == KLOG_NONE ? "?" : arena_printf(f->a, "%" PRId64, v);
}

/* The TSC rate the log gives, in Hz (refined if there is one), or 0. */
static double log_tsc_hz(const struct facts *f)
{
	if (f->log.refined)
		return f->log.refined->mhz * 1e6;
	if (f->log.tsc_mhz)
		return f->log.tsc_mhz->mhz * 1e6;
	if (f->mod.usable && f->mod.sum.tsc_khz > 0)
		return (double)f->mod.sum.tsc_khz * 1e3;
	return 0;
}

static void log_boot_warp(const struct facts *f, struct advice *ad)
{
	struct advice_item *it = NULL;
	const struct klog_event *ev;
	size_t idx = 0, shown = 0;
	double hz = log_tsc_hz(f);

	while ((ev = klog_find(&f->log, KF_BOOT_WARP, NULL, &idx))) {
		if (!it)
			it = advice_add(ad, f->a, "M-boot-warp", SEV_WARNING,
					f->guest ? "the kernel's TSC warp test failed between vCPUs" :
					"the kernel's TSC warp test failed between CPUs");
		if (shown++ < MAX_REPORTS)
			advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
		if (ev->cpu != KLOG_NONE)
			advice_evidence(f->a, it, "warp test from CPU%" PRId64 " to CPU%s",
					ev->cpu, num(f, ev->cpu2));
		if (ev->warp_cycles != KLOG_NONE)
			advice_evidence(f->a, it, "warp: %" PRId64 " TSC cycles%s",
					ev->warp_cycles,
					hz > 0 ? arena_printf(f->a, " (%.3f us at %.3f MHz)",
							      (double)ev->warp_cycles / hz * 1e6,
							      hz / 1e6) : "");
	}
	if (!it)
		return;
	idx = 0;
	while ((ev = klog_find(&f->log, KF_UNSTABLE, "unstable", &idx)))
		if (ev->arg && (strstr(ev->arg, "check_tsc_sync_source") ||
				strstr(ev->arg, "TSCs unsynchronized")))
			advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
	if (f->guest && has(f, CF_CONSTANT_TSC))
		advice_evidence(f->a, it, "the guest's flags show constant_tsc: that promises a constant rate, not vCPU TSCs that agree");
	if (f->guest)
		advice_change(f->a, it,
			      "the hypervisor gives the vCPUs TSCs that disagree: check the host's own TSC (tscmon advise on the host), keep the vCPUs' TSC offsets equal (no per-vCPU TSC writes, a current KVM/QEMU synchronises them at start), and use %s in this guest",
			      advice_pv_clock(f));
	else
		advice_change(f->a, it,
			      "the firmware started the CPUs' TSCs apart (or writes them later): update the BIOS/firmware and look for \"TSC ADJUST\" lines (M-tsc-adjust)");
	advice_change(f->a, it,
		      "tsc=reliable would only hide it: the kernel would skip this test and its watchdog, and time read on different CPUs would still disagree");
	advice_change(f->a, it, "%s", sticky);
}

/* The verdict on one watchdog report. */
enum wd_class { WD_UNKNOWN, WD_JIFFIES, WD_EMULATED, WD_CPU_SKEW,
		WD_MARGINAL, WD_GROSS, WD_STALL };

static enum wd_class wd_classify(const struct facts *f,
				 const struct klog_event *h, double *ppm)
{
	const char *wd = h->watchdog;

	*ppm = -1;
	if (h->skew_ns != KLOG_NONE && h->interval_ns != KLOG_NONE &&
	    h->interval_ns > 0)
		*ppm = (double)llabs(h->skew_ns) /
		       (double)h->interval_ns * 1e6;
	if (h->detail && !strcmp(h->detail, "inter CPU skew"))
		return WD_CPU_SKEW;
	if (wd && (!strcmp(wd, "jiffies") || !strcmp(wd, "refined-jiffies")))
		return WD_JIFFIES;
	if (wd && f->guest && (!strcmp(wd, "hpet") || !strcmp(wd, "acpi_pm")))
		return WD_EMULATED;
	if (*ppm < 0)
		return WD_UNKNOWN;
	if (*ppm < WD_MARGINAL_PPM)
		return WD_MARGINAL;
	return *ppm < WD_STALL_PPM ? WD_GROSS : WD_STALL;
}

static const char *const wd_class_names[] = {
	[WD_UNKNOWN] = "numbers not in the log",
	[WD_JIFFIES] = "no hardware judge",
	[WD_EMULATED] = "emulated watchdog, likely hypervisor latency",
	[WD_CPU_SKEW] = "inter-CPU skew",
	[WD_MARGINAL] = "marginal",
	[WD_GROSS] = "gross",
	[WD_STALL] = "gross: a stall",
};

static void wd_change(const struct facts *f, struct advice_item *it,
		      enum wd_class c, const struct klog_event *h, double ppm)
{
	const char *wd = h->watchdog ? h->watchdog : "?";

	switch (c) {
	case WD_JIFFIES:
		advice_change(f->a, it,
			      "no hardware timer judged the clock: '%s' counts timer interrupts, so lost or late ticks (interrupts off too long, a stalled or paused VM) look like skew; this says little about the TSC. Let tscmon's sweeps and rate check judge it, and give the kernel a hardware watchdog (enable the HPET or ACPI PM timer in the firmware or the VM's machine type)",
			      wd);
		break;
	case WD_EMULATED:
		advice_change(f->a, it,
			      "'%s' is emulated in a VM: a read that traps to a busy host takes long enough to look like skew, so the TSC itself is most likely fine (tscmon's sweeps and rate check can confirm). Use %s (echo %s > /sys/devices/system/clocksource/clocksource0/current_clocksource) and reduce overcommit on the host",
			      wd, advice_pv_clock(f), advice_pv_clock(f));
		break;
	case WD_CPU_SKEW:
		advice_change(f->a, it, f->guest ?
			      "the TSC read on one CPU was behind another's: the vCPUs' TSCs disagree (hypervisor TSC offsets); fix it on the host, like a boot warp (M-boot-warp)" :
			      "the TSC read on one CPU was behind another's: the CPUs' TSCs disagree (firmware, TSC_ADJUST writes); update the BIOS, see M-tsc-adjust");
		break;
	case WD_MARGINAL:
		advice_change(f->a, it,
			      "%.0f ppm is just over the kernel's limit (about %.0f ppm: 500 us per 0.5 s): a small rate error of the TSC or of the watchdog's calibration, or a stall of about a millisecond (an SMI). Compare with tscmon's rate check (M-rate), look for SMIs (turbostat's SMI column) and update the BIOS",
			      ppm, WD_LIMIT_PPM);
		break;
	case WD_GROSS:
		advice_change(f->a, it,
			      "%.0f ppm is far beyond any oscillator's tolerance: the TSC changed its rate (no constant_tsc: cpufreq or C-states), a calibration is wrong (M-calibration, M-rate), or something stalled the machine for %.1f ms",
			      ppm, (double)llabs(h->skew_ns) / 1e6);
		break;
	case WD_STALL:
		advice_change(f->a, it,
			      "%.1f ms in one interval is a stall, not a rate error: an SMI storm, a suspend or NMI the watchdog did not see, or a paused VM. Find the stall (firmware power management, hung-task and NMI messages); the TSC's rate is not the problem",
			      (double)llabs(h->skew_ns) / 1e6);
		break;
	case WD_UNKNOWN:
		advice_change(f->a, it,
			      "the log does not give the skew in ns: read the two clocks' lines above; compare with tscmon's rate check (M-rate)");
		break;
	}
}

static void log_watchdog(const struct facts *f, struct advice *ad)
{
	size_t reports = 0;

	for (size_t i = 0; i < f->log.nevents; i++) {
		const struct klog_event *h = &f->log.events[i];
		struct advice_item *it;
		enum wd_class c;
		double ppm;
		const char *judged;

		if (h->family != KF_WATCHDOG || strcmp(h->kind, "demote"))
			continue;
		if (reports++ == MAX_REPORTS)
			break;
		judged = h->arg ? h->arg : "a clocksource";
		c = wd_classify(f, h, &ppm);
		it = advice_add(ad, f->a, "M-watchdog", SEV_WARNING,
				arena_printf(f->a, "the clocksource watchdog demoted %s%s%s (%s)",
					     judged, h->watchdog ? ", judged by " : "",
					     h->watchdog ? h->watchdog : "",
					     wd_class_names[c]));
		it->watchdog = h->watchdog;
		it->skew_ns = h->skew_ns;
		it->interval_ns = h->interval_ns;
		advice_evidence(f->a, it, "%s", advice_log_line(f, h));
		for (size_t k = i + 1; k < f->log.nevents &&
		     f->log.events[k].head == i && k != i; k++)
			advice_evidence(f->a, it, "%s",
					advice_log_line(f, &f->log.events[k]));
		advice_evidence(f->a, it, "watchdog %s, skew %s ns over an interval of %s ns%s",
				h->watchdog ? h->watchdog : "unknown", num(f, h->skew_ns),
				num(f, h->interval_ns),
				ppm >= 0 ? arena_printf(f->a, " = %.0f ppm (the kernel's limit is about %.0f ppm)",
							ppm, WD_LIMIT_PPM) : "");
		if (f->guest)
			advice_evidence(f->a, it, "this machine is a guest (%s)",
					f->hypervisor ? f->hypervisor : "unknown hypervisor");
		wd_change(f, it, c, h, ppm);
		advice_change(f->a, it, "%s", sticky);
	}
}

static void log_watchdog_read(const struct facts *f, struct advice *ad)
{
	struct advice_item *it = NULL;
	const struct klog_event *ev;
	size_t idx = 0, n = 0;
	bool demoted = false;

	while ((ev = klog_find(&f->log, KF_WATCHDOG_READ, NULL, &idx))) {
		if (!it)
			it = advice_add(ad, f->a, "M-watchdog-read", SEV_INFO,
					"the clocksource watchdog could not read its clocks cleanly: not a TSC fault");
		if (n++ >= MAX_REPORTS)
			continue;
		advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
		if (!strcmp(ev->kind, "retried") && ev->count != KLOG_NONE)
			advice_evidence(f->a, it, "%s needed %" PRId64 " retries: its reads were delayed (SMIs, NMIs, a busy host)",
					ev->watchdog ? ev->watchdog : "the watchdog", ev->count);
		if (!strcmp(ev->kind, "long-readout") && ev->cs_ns != KLOG_NONE &&
		    ev->interval_ns > 0) {
			double r = (double)ev->cs_ns / (double)ev->interval_ns;

			advice_evidence(f->a, it, "cs_nsec %" PRId64 " vs wd_nsec %" PRId64 ": %s",
					ev->cs_ns, ev->interval_ns,
					r > 0.9 && r < 1.1 ?
					"the clocks agree; the check ran late (a late timer)" :
					r >= 1.1 ? "the TSC ran far past the watchdog: the machine was stopped (a paused or migrated guest, a long SMI)" :
					"the watchdog ran past the TSC: its counter wrapped or was reset");
		}
		if (!strcmp(ev->kind, "read-demote")) {
			demoted = true;
			it->sev = SEV_WARNING;
			advice_evidence(f->a, it, "here the slow read itself made the kernel mark %s unstable: no skew was measured",
					ev->arg ? ev->arg : "the clocksource");
		}
	}
	if (!it)
		return;
	if (n > MAX_REPORTS)
		advice_evidence(f->a, it, "%zu more such lines", n - MAX_REPORTS);
	if (f->guest)
		advice_change(f->a, it, "none for the TSC; if these repeat, the host delays the guest's timer reads (overcommit): use %s",
			      advice_pv_clock(f));
	else
		advice_change(f->a, it, "none for the TSC; if these repeat, something delays reads of the timer (SMIs: firmware power management settings, a BIOS update)");
	if (demoted)
		advice_change(f->a, it, "%s", sticky);
}

static void log_calibration(const struct facts *f, struct advice *ad)
{
	const struct klog *l = &f->log;
	const struct klog_event *ev, *failed = NULL, *ref = NULL, *fast = NULL;
	struct advice_item *it;
	size_t idx = 0;
	bool rate = f->mod.usable && f->mod.sum.has_rate_ppm;
	enum severity sev = SEV_INFO;
	const char *how;

	while ((ev = klog_find(l, KF_CALIBRATION, NULL, &idx))) {
		if (!strcmp(ev->kind, "pit-failed"))
			failed = ev;
		else if (!strcmp(ev->kind, "reference"))
			ref = ev;
		else if (!strcmp(ev->kind, "pit-fast") || !strcmp(ev->kind, "pit-checked"))
			fast = ev;
	}
	/* A declared frequency has its own rule, M-known-freq. */
	if ((!l->tsc_mhz && !l->refined && !failed && !ref && !fast) ||
	    has(f, CF_TSC_KNOWN_FREQ))
		return;
	if (has(f, CF_TSC_KNOWN_FREQ))
		how = "declared by CPUID/MSR (tsc_known_freq): not measured, never refined";
	else if (failed && !l->refined)
		how = arena_printf(f->a, "the PIT calibration failed; %s, never refined",
				   ref && ref->detail ? arena_printf(f->a, "the %s reference calibration gave it", ref->detail) :
				   "a fallback gave it");
	else if (l->refined)
		how = "refined against a hardware timer after boot";
	else if (fast)
		how = arena_printf(f->a, "calibrated against the PIT%s%s", fast->detail && strcmp(fast->detail, "PIT") ? ", confirmed by " : "",
				   fast->detail && strcmp(fast->detail, "PIT") ? fast->detail : "");
	else
		how = "source not in the log";
	if (failed && !l->refined && !has(f, CF_TSC_KNOWN_FREQ) && !rate)
		sev = SEV_WARNING;
	it = advice_add(ad, f->a, "M-calibration", sev,
			arena_printf(f->a, "TSC frequency %.3f MHz: %s",
				     l->refined ? l->refined->mhz : l->tsc_mhz ? l->tsc_mhz->mhz : 0.0, how));
	idx = 0;
	while ((ev = klog_find(l, KF_CALIBRATION, NULL, &idx)))
		if (strcmp(ev->kind, "lpj"))
			advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
	if (l->refined && l->tsc_mhz && l->tsc_mhz->mhz > 0)
		advice_evidence(f->a, it, "refinement moved it by %+.1f ppm",
				(l->refined->mhz - l->tsc_mhz->mhz) / l->tsc_mhz->mhz * 1e6);
	if (rate)
		advice_change(f->a, it, "the module's rate check measured it against an independent timer: see M-rate");
	else if (sev == SEV_WARNING)
		advice_change(f->a, it, "a short fallback calibration can be hundreds of ppm off and nothing corrects it: load the tscmon module and read M-rate; if it is off, reboot or pin it with tsc_early_khz=<kHz>");
	else
		advice_change(f->a, it, "none; the tscmon module's rate check can confirm it (M-rate)");
}

/* Clocksources that make every clock read a system call, or worse. */
static bool slow_cs(const char *cs)
{
	return strcmp(cs, "tsc") && strcmp(cs, "tsc-early") &&
	       strcmp(cs, "kvm-clock") && strcmp(cs, "hyperv_clocksource_tsc_page");
}

static void log_switch(const struct facts *f, struct advice *ad)
{
	struct advice_item *it;
	struct strlist path = { 0 };
	const struct klog_event *ev;
	size_t idx = 0;
	bool slow = false;

	while ((ev = klog_find(&f->log, KF_SWITCH, NULL, &idx)))
		if (ev->arg) {
			slow |= slow_cs(ev->arg);
			strlist_add(f->a, &path, ev->has_ts ?
				    arena_printf(f->a, "%s (%.3f s)", ev->arg, ev->ts) : ev->arg);
		}
	if (!slow)
		return;
	it = advice_add(ad, f->a, "M-switch", SEV_INFO,
			arena_printf(f->a, "clocksource changes: %s", strlist_join(f->a, &path, " -> ")));
	idx = 0;
	while ((ev = klog_find(&f->log, KF_SWITCH, NULL, &idx)))
		advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
	advice_change(f->a, it, "why each change happened: M-unstable, M-watchdog, M-boot-warp; what the current clocksource costs: M-clocksource");
}

static void log_override(const struct facts *f, struct advice *ad)
{
	struct strlist seen = { 0 };
	const struct klog_event *ev;
	size_t idx = 0;

	while ((ev = klog_find(&f->log, KF_OVERRIDE, NULL, &idx))) {
		const char *cs = ev->arg ? ev->arg : "?";
		bool refused = strstr(ev->text, "unstable") || strstr(ev->text, "cannot switch");
		struct advice_item *it;

		if (strlist_has(&seen, cs))
			continue;
		strlist_add(f->a, &seen, cs);
		it = advice_add(ad, f->a, "M-override", refused ? SEV_WARNING : SEV_INFO,
				arena_printf(f->a, "the kernel %s the request for clocksource %s",
					     refused ? "refused" : "deferred", cs));
		advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
		if (f->cl.valid && f->cl.clocksource)
			advice_evidence(f->a, it, "kernel command line has clocksource=%s", f->cl.clocksource);
		if (refused) {
			advice_change(f->a, it, "%s was marked unstable earlier (see M-unstable, M-watchdog): asking for it again, by clocksource= or through sysfs, cannot bring it back; %s",
				      cs, sticky);
			if (f->cl.valid && f->cl.clocksource)
				advice_change(f->a, it, "until the cause is fixed: GRUB_CMDLINE_LINUX=\"%s\"",
					      cmdline_merge(f->a, &f->cl, "clocksource", ""));
		} else {
			advice_change(f->a, it, "none: the kernel switches once high-resolution mode allows it");
		}
	}
}

static void log_kvm_host(const struct facts *f, struct advice *ad)
{
	const struct klog_event *ev = klog_find(&f->log, KF_KVM_HOST, NULL, NULL);
	struct advice_item *it;

	if (!ev)
		return;
	it = advice_add(ad, f->a, "M-kvm-host", SEV_WARNING,
			"KVM started guests on a host whose TSC is unstable: they inherit it");
	advice_evidence(f->a, it, "%s", advice_log_line(f, ev));
	advice_change(f->a, it, "fix this host's TSC first (M-unstable, M-boot-warp, M-watchdog); guests keep kvm-clock, which the host corrects");
}

void advice_log(const struct facts *f, struct advice *ad)
{
	if (!f->log.valid)
		return;
	log_boot_warp(f, ad);
	log_watchdog(f, ad);
	log_watchdog_read(f, ad);
	log_calibration(f, ad);
	log_switch(f, ad);
	log_override(f, ad);
	log_kvm_host(f, ad);
}
