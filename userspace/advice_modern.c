// SPDX-License-Identifier: GPL-2.0
/* The modern rules (ids M-*): what the seed could not know in 2009. */
#include "advice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sticky =
	"a TSC marked unstable stays so until reboot: fix the cause, then reboot";

static bool has(const struct facts *f, enum cpu_flag fl)
{
	return cpuinfo_has(&f->cpu, fl);
}

static const char *ev_line(const struct facts *f, const struct klog_event *ev)
{
	if (ev->has_ts)
		return arena_printf(f->a, "kernel log [%.6f]: %s", ev->ts, ev->text);
	return arena_printf(f->a, "kernel log: %s", ev->text);
}

/* The change for one "Marking TSC unstable due to REASON". */
static void modern_unstable_change(const struct facts *f,
				   struct advice_item *it, const char *reason)
{
	struct arena *a = f->a;

	if (!strcmp(reason, "boot parameter")) {
		advice_change(a, it,
			      "the command line asked for it (tsc=unstable): remove tsc=unstable if the TSC is sound; see M-tsc-contradiction");
	} else if (!strcmp(reason, "boot parameter notsc")) {
		advice_change(a, it, "the command line has notsc: remove it unless a guest table row (S7) asks for it");
	} else if (util_starts_with(reason, "cpufreq changes")) {
		int64_t trans = sysfs_total_trans(&f->sys);

		advice_evidence(a, it, "/proc/cpuinfo flags %s constant_tsc: the TSC rate follows the CPU frequency",
				cpuinfo_has(&f->cpu, CF_CONSTANT_TSC) ? "have" : "lack");
		if (trans > 0)
			advice_evidence(a, it, "cpufreq stats: %" PRId64 " frequency transitions (cpu*/cpufreq/stats/total_trans); the first one after boot dropped the TSC", trans);
		if (f->cl.valid && f->cl.tsc_reliable)
			advice_evidence(a, it, "kernel command line has tsc=reliable: it turned off the boot checks and the watchdog, so the TSC was kept until the frequency changed");
		advice_change(a, it,
			      "a frequency change on a CPU without constant_tsc changed the TSC rate: pin the frequency (S4) or keep no cpufreq driver loaded");
		if (f->cl.valid && f->cl.tsc_reliable)
			advice_change(a, it, "remove tsc=reliable: it hid the risk on a CPU without constant_tsc; GRUB_CMDLINE_LINUX=\"%s\"",
				      cmdline_merge(a, &f->cl, "tsc", ""));
	} else if (!strcmp(reason, "TSCs unsynchronized") ||
		   !strcmp(reason, "check_tsc_sync_source failed")) {
		advice_change(a, it, f->guest ?
			      "the vCPUs' TSCs disagree: the hypervisor programs per-vCPU TSC offsets inconsistently or the host TSC is not invariant; fix it on the host (invariant TSC, no per-vCPU TSC writes); tsc=reliable would only hide it" :
			      "the CPUs' TSCs disagree at boot: firmware left them apart; update the BIOS/firmware; tsc=reliable would only hide it");
	} else if (util_starts_with(reason, "TSC halts in idle")) {
		advice_change(a, it,
			      "deep C-states stop this TSC (no nonstop_tsc): limit C-states with processor.max_cstate=1%s (see S3 / M-nonstop)",
			      cpuinfo_is_intel(&f->cpu) ? " intel_idle.max_cstate=0" : "");
	} else if (!strcmp(reason, "clocksource watchdog")) {
		advice_change(a, it, f->log.ndemote ?
			      "the clocksource watchdog's report is judged in M-watchdog (which watchdog, how much skew)" :
			      f->guest ?
			      "the clocksource watchdog judged the TSC against an emulated timer: in a VM that is usually hypervisor latency, not a TSC fault; use kvm-clock" :
			      "the clocksource watchdog saw the TSC disagree with another timer: look at the watchdog lines before it (which watchdog, how much skew) and check the firmware (SMIs)");
	} else if (!strcmp(reason, "running on Hyper-V")) {
		advice_change(a, it, "Hyper-V offers no invariant TSC here: use the hyperv_clocksource_tsc_page clocksource");
	} else if (!strcmp(reason, "could not calculate TSC khz")) {
		advice_change(a, it, "the TSC could not be calibrated: check the firmware's timers (HPET/PM timer) and CPUID leaf 0x15");
	} else if (!strcmp(reason, "KVM discovered backwards TSC")) {
		advice_change(a, it, "this KVM host saw its TSC go backwards (often across suspend): guests inherit it; update firmware and avoid suspending the host");
	} else {
		advice_change(a, it, "find why the kernel dropped the TSC (reason: %s)", reason);
	}
	advice_change(a, it, "%s", sticky);
}

static void modern_unstable(const struct facts *f, struct advice *ad)
{
	struct strlist seen = { 0 };
	size_t idx = 0;
	const struct klog_event *ev;

	while ((ev = klog_find(&f->log, KF_UNSTABLE, "unstable", &idx))) {
		const char *reason = ev->arg ? ev->arg : "unknown";
		bool param = util_starts_with(reason, "boot parameter");
		struct advice_item *it;
		const struct klog_event *sw;
		size_t j = idx;

		if (strlist_has(&seen, reason))
			continue;
		strlist_add(f->a, &seen, reason);
		it = advice_add(ad, f->a, "M-unstable", param ? SEV_INFO : SEV_WARNING,
				arena_printf(f->a, "the kernel marked the TSC unstable: %s", reason));
		advice_evidence(f->a, it, "%s", ev_line(f, ev));
		sw = klog_find(&f->log, KF_SWITCH, NULL, &j);
		if (sw)
			advice_evidence(f->a, it, "%s", ev_line(f, sw));
		modern_unstable_change(f, it, reason);
	}
}

/* Is the module's measurement of CPU row R beyond the thresholds? */
static enum severity modern_cpu_sev(const struct advice_opts *o,
				    const struct mod_cpu *r)
{
	int64_t s = r->v[MC_SKEW], u = r->v[MC_UNCERTAINTY];
	int64_t w = r->v[MC_WARPS], d = r->v[MC_DRIFT];
	enum severity sev = SEV_OK;

	if (w != MODULE_UNKNOWN && w > 0)
		return SEV_CRITICAL;
	if (s != MODULE_UNKNOWN) {
		int64_t as = llabs(s);
		int64_t unc = u == MODULE_UNKNOWN ? 0 : u;

		if (as > unc && as >= o->skew_crit_cycles)
			sev = SEV_CRITICAL;
		else if (as > unc && as >= o->skew_warn_cycles)
			sev = SEV_WARNING;
	}
	if (d != MODULE_UNKNOWN && llabs(d) >= o->drift_warn_ppb && sev < SEV_WARNING)
		sev = SEV_WARNING;
	return sev;
}

static const char *modern_ns(const struct facts *f, int64_t cycles)
{
	int64_t khz = f->mod.sum.tsc_khz;

	if (khz <= 0 || khz == MODULE_UNKNOWN || cycles == MODULE_UNKNOWN)
		return "";
	return arena_printf(f->a, " (%.1f ns)", (double)llabs(cycles) * 1e6 / (double)khz);
}

static const char *modern_val(const struct facts *f, int64_t v)
{
	return v == MODULE_UNKNOWN ? "-" : arena_printf(f->a, "%" PRId64, v);
}

/* M-skew; returns the worst per-CPU severity (for M-reliable-skewed). */
static enum severity modern_skew(const struct facts *f, const struct advice_opts *o,
				 struct advice *ad)
{
	const struct module_data *m = &f->mod;
	enum severity worst = SEV_OK;
	struct advice_item *it;
	size_t shown = 0;

	if (!m->usable || !m->has_cpus)
		return SEV_OK;
	for (size_t i = 0; i < m->ncpus; i++) {
		enum severity s = modern_cpu_sev(o, &m->cpus[i]);

		if (s > worst)
			worst = s;
	}
	it = advice_add(ad, f->a, "M-skew", worst,
			worst == SEV_OK ? "the module measured no TSC skew, drift or warp beyond the thresholds"
					: "the module measured TSC skew, drift or warps between CPUs");
	advice_evidence(f->a, it,
			"thresholds: |skew| beyond its uncertainty and >= %" PRId64 " cycles warns, >= %" PRId64 " is critical; |drift| >= %" PRId64 " ppb warns; any warp is critical",
			o->skew_warn_cycles, o->skew_crit_cycles, o->drift_warn_ppb);
	if (m->sum.max_abs_skew_cycles != MODULE_UNKNOWN)
		advice_evidence(f->a, it, "module summary: max_abs_skew_cycles %" PRId64 "%s, max_uncertainty_cycles %s, warps_total %s, sweeps %s",
				m->sum.max_abs_skew_cycles,
				modern_ns(f, m->sum.max_abs_skew_cycles),
				modern_val(f, m->sum.max_uncertainty_cycles),
				modern_val(f, m->sum.warps_total),
				modern_val(f, m->sum.sweeps));
	for (size_t i = 0; i < m->ncpus && shown < 8; i++) {
		const struct mod_cpu *r = &m->cpus[i];

		if (modern_cpu_sev(o, r) == SEV_OK)
			continue;
		shown++;
		advice_evidence(f->a, it,
				"cpu%" PRId64 ": skew_cycles %s%s uncertainty_cycles %s drift_ppb %s warps %s",
				r->v[MC_CPU], modern_val(f, r->v[MC_SKEW]),
				modern_ns(f, r->v[MC_SKEW]),
				modern_val(f, r->v[MC_UNCERTAINTY]),
				modern_val(f, r->v[MC_DRIFT]),
				modern_val(f, r->v[MC_WARPS]));
	}
	if (worst == SEV_OK) {
		advice_change(f->a, it, "none");
		return worst;
	}
	if (f->guest)
		advice_change(f->a, it,
			      "the vCPUs' TSCs disagree: use kvm-clock in this guest, and on the host check with tscmon that the physical TSCs agree (invariant TSC, no TSC writes)");
	else
		advice_change(f->a, it,
			      "the CPUs' TSCs disagree: update the BIOS/firmware, check that nothing writes IA32_TSC/TSC_ADJUST (look for \"TSC ADJUST\" in dmesg), and keep clocksource tsc only while the skew is gone");
	return worst;
}

static void modern_reliable(const struct facts *f, enum severity skew,
			    struct advice *ad)
{
	bool cmd = f->cl.valid && (f->cl.tsc_reliable || f->cl.tsc_nowatchdog);
	bool flag = has(f, CF_TSC_RELIABLE);
	struct advice_item *it;
	bool measured = f->mod.usable && f->mod.has_cpus;

	if (!cmd && !flag)
		return;
	if (measured && skew >= SEV_WARNING)
		it = advice_add(ad, f->a, "M-reliable-skewed", SEV_CRITICAL,
				"the TSC is declared reliable, so the kernel does not watch it, but it is skewed or warping");
	else if (measured)
		it = advice_add(ad, f->a, "M-reliable-skewed", SEV_OK,
				"the TSC is declared reliable and the module's measurements agree");
	else
		it = advice_add(ad, f->a, "M-reliable-skewed", SEV_INFO,
				"the TSC is declared reliable: the kernel's clocksource watchdog does not check it");
	if (cmd)
		advice_evidence(f->a, it, "kernel command line: %s%s%s",
				f->cl.tsc_reliable ? "tsc=reliable " : "",
				f->cl.tsc_nowatchdog ? "tsc=nowatchdog " : "",
				f->cl.tsc_unstable ? "tsc=unstable" : "");
	if (flag)
		advice_evidence(f->a, it, "/proc/cpuinfo flags contain tsc_reliable%s",
				f->guest ? " (set by the hypervisor)" : "");
	if (measured && skew >= SEV_WARNING) {
		advice_evidence(f->a, it, "module: see M-skew for the CPUs concerned");
		if (cmd)
			advice_change(f->a, it, "remove tsc=reliable / tsc=nowatchdog: GRUB_CMDLINE_LINUX=\"%s\"",
				      cmdline_merge(f->a, &f->cl, "tsc", ""));
		if (flag)
			advice_change(f->a, it, "the hypervisor declares the TSC reliable: fix the host's TSC sync, or use the paravirtual clock");
	} else if (measured) {
		advice_change(f->a, it, "none; keep tscmon's sweeps running, they are the only check");
	} else {
		advice_change(f->a, it, "load the tscmon module (modprobe tscmon) so that something measures the TSC");
	}
}

static void modern_contradiction(const struct facts *f, struct advice *ad)
{
	const struct cmdline *cl = &f->cl;
	struct advice_item *it = NULL;

	if (!cl->valid)
		return;
	if (cl->tsc_reliable && cl->tsc_unstable) {
		it = advice_add(ad, f->a, "M-tsc-contradiction", SEV_WARNING,
				"tsc=reliable and tsc=unstable on one command line");
		advice_evidence(f->a, it, "kernel command line: %s", cl->raw);
		advice_evidence(f->a, it,
				"the kernel applies both: tsc=unstable drops the TSC at boot while tsc=reliable still turns off the watchdog");
	}
	if (cl->notsc && (cl->tsc_reliable ||
			  (cl->clocksource && !strcmp(cl->clocksource, "tsc")))) {
		if (!it)
			it = advice_add(ad, f->a, "M-tsc-contradiction", SEV_WARNING,
					"notsc together with options that want the TSC");
		advice_evidence(f->a, it, "kernel command line has notsc and %s",
				cl->tsc_reliable ? "tsc=reliable" : "clocksource=tsc");
	}
	if (cl->tsc_unstable && cl->clocksource && !strcmp(cl->clocksource, "tsc")) {
		if (!it)
			it = advice_add(ad, f->a, "M-tsc-contradiction", SEV_WARNING,
					"clocksource=tsc with tsc=unstable");
		advice_evidence(f->a, it, "kernel command line has clocksource=tsc and tsc=unstable: the override is refused");
	}
	if (it) {
		bool good = has(f, CF_CONSTANT_TSC) && has(f, CF_NONSTOP_TSC);

		advice_change(f->a, it,
			      "keep one intent: GRUB_CMDLINE_LINUX=\"%s\" (all tsc=, notsc and clocksource= removed; the kernel then judges the TSC itself)",
			      cmdline_merge(f->a, cl, "tsc notsc clocksource", ""));
		advice_change(f->a, it, good ?
			      "this CPU has constant_tsc and nonstop_tsc: add back tsc=reliable only if tscmon's sweeps show the TSCs synchronized" :
			      "this CPU lacks constant_tsc or nonstop_tsc: do not add tsc=reliable");
	}
	if (cl->tsc_comma_list) {
		struct strlist split = { 0 };

		it = advice_add(ad, f->a, "M-tsc-list", SEV_WARNING,
				"a comma list in tsc= is ignored by the kernel");
		for (size_t i = 0; i < cl->tsc_values.n; i++) {
			if (!strchr(cl->tsc_values.v[i], ','))
				continue;
			advice_evidence(f->a, it, "kernel command line: tsc=%s", cl->tsc_values.v[i]);
			char *copy = arena_strdup(f->a, cl->tsc_values.v[i]), *save = NULL, *p;

			for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
				strlist_addf(f->a, &split, "tsc=%s", p);
		}
		advice_evidence(f->a, it, "the kernel compares the whole tsc= value with each option name, so none of these took effect");
		advice_change(f->a, it, "give each option its own parameter: %s",
			      strlist_join(f->a, &split, " "));
	}
}

static bool modern_cs_pv(const char *cs)
{
	return !strcmp(cs, "kvm-clock") || !strcmp(cs, "hyperv_clocksource_tsc_page");
}

static void modern_clocksource(const struct facts *f, enum severity skew,
			       struct advice *ad)
{
	const char *cs = f->sys.cs.current;
	bool invariant = has(f, CF_CONSTANT_TSC) && has(f, CF_NONSTOP_TSC);
	bool synced = f->log.nunstable == 0 && skew < SEV_WARNING;
	struct advice_item *it;

	if (!cs)
		return;
	if (!strcmp(cs, "tsc") && (skew >= SEV_WARNING || (f->cpu.valid && !invariant))) {
		it = advice_add(ad, f->a, "M-clocksource", skew >= SEV_WARNING ? SEV_WARNING : SEV_INFO,
				skew >= SEV_WARNING ? "clocksource tsc although the module measured the TSCs apart: time read on different CPUs disagrees"
						    : "clocksource tsc on a TSC that is not invariant: it is right only while frequency and C-states stay fixed");
		advice_evidence(f->a, it, "current_clocksource: tsc; constant_tsc %s, nonstop_tsc %s",
				has(f, CF_CONSTANT_TSC) ? "yes" : "no", has(f, CF_NONSTOP_TSC) ? "yes" : "no");
		if (skew >= SEV_WARNING)
			advice_evidence(f->a, it, "module: skew beyond the thresholds (see M-skew)");
		advice_change(f->a, it, sysfs_cs_available(&f->sys, "hpet") ?
			      "until the TSCs agree: echo hpet > /sys/devices/system/clocksource/clocksource0/current_clocksource (slower, but one clock for all CPUs)" :
			      "apply S3/S4 so that the TSC rate stays fixed");
		return;
	}
	if (!strcmp(cs, "tsc") || modern_cs_pv(cs)) {
		it = advice_add(ad, f->a, "M-clocksource", SEV_OK,
				arena_printf(f->a, "clocksource %s: read in user space without a system call", cs));
		advice_evidence(f->a, it, "current_clocksource: %s", cs);
		advice_change(f->a, it, "none");
		return;
	}
	if (!strcmp(cs, "xen")) {
		it = advice_add(ad, f->a, "M-clocksource", SEV_INFO,
				"clocksource xen: correct but slow (hundreds of ns per read)");
		advice_evidence(f->a, it, "current_clocksource: xen");
		advice_change(f->a, it, invariant ?
			      "the TSC is invariant here: echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource (Xen recommends tsc on such guests)" :
			      "keep xen: this TSC is not invariant");
		return;
	}
	if (f->guest && sysfs_cs_available(&f->sys, "kvm-clock")) {
		it = advice_add(ad, f->a, "M-clocksource", SEV_WARNING,
				arena_printf(f->a, "clocksource %s in a guest that has kvm-clock: every clock read is a system call", cs));
		advice_evidence(f->a, it, "current_clocksource: %s; available: %s", cs,
				strlist_join(f->a, &f->sys.cs.available, " "));
		advice_change(f->a, it, "echo kvm-clock > /sys/devices/system/clocksource/clocksource0/current_clocksource, and find why it was left (dmesg | grep -i clocksource)");
		return;
	}
	if (invariant && synced) {
		bool avail = sysfs_cs_available(&f->sys, "tsc");

		it = advice_add(ad, f->a, "M-clocksource", SEV_WARNING,
				arena_printf(f->a, "clocksource %s although the TSC is invariant and synchronized: every clock read is a system call", cs));
		advice_evidence(f->a, it, "current_clocksource: %s; flags constant_tsc nonstop_tsc; no \"Marking TSC unstable\" in the log%s",
				cs, f->mod.usable && f->mod.has_cpus ? "; module skew within thresholds" : "");
		if (f->cl.valid && f->cl.clocksource)
			advice_evidence(f->a, it, "kernel command line has clocksource=%s", f->cl.clocksource);
		advice_change(f->a, it, avail ?
			      "echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource" :
			      "tsc is not in available_clocksource: remove what disabled it (clocksource=, notsc) from the command line and reboot");
		if (f->cl.valid && f->cl.clocksource)
			advice_change(f->a, it, "GRUB_CMDLINE_LINUX=\"%s\"",
				      cmdline_merge(f->a, &f->cl, "clocksource", ""));
		return;
	}
	it = advice_add(ad, f->a, "M-clocksource", SEV_INFO,
			arena_printf(f->a, "clocksource %s: slow (a system call per read), but expected here", cs));
	advice_evidence(f->a, it, "current_clocksource: %s", cs);
	if (!invariant)
		advice_evidence(f->a, it, "the TSC is not invariant (constant_tsc %s, nonstop_tsc %s)",
				has(f, CF_CONSTANT_TSC) ? "yes" : "no",
				has(f, CF_NONSTOP_TSC) ? "yes" : "no");
	if (f->log.nunstable)
		advice_evidence(f->a, it, "the kernel marked the TSC unstable (see M-unstable)");
	advice_change(f->a, it, "none while the TSC is unreliable; %s", sticky);
}

/* What one clock read costs with clocksource CS, in words. */
static const char *modern_cs_cost(const char *cs)
{
	if (!strcmp(cs, "tsc") || !strcmp(cs, "kvm-clock") ||
	    !strcmp(cs, "hyperv_clocksource_tsc_page"))
		return "read in user space through the vDSO: tens of ns, no system call";
	if (!strcmp(cs, "xen"))
		return "a pvclock read through the hypervisor's shared page: correct, but hundreds of ns per read";
	if (!strcmp(cs, "hpet"))
		return "every clock_gettime() is a system call plus an HPET register read: roughly 0.5-1.5 us on hardware, several us in a VM where the read traps to the hypervisor";
	if (!strcmp(cs, "acpi_pm"))
		return "every clock_gettime() is a system call plus an I/O-port read of the ACPI PM timer: about 1 us or more on hardware, a VM exit in a guest";
	if (strstr(cs, "jiffies"))
		return "every clock_gettime() is a system call, and time moves in steps of one timer tick (1-10 ms)";
	return NULL;
}

static void modern_kvmclock(const struct facts *f, struct advice *ad)
{
	const char *cs = f->sys.cs.current;
	bool avail = sysfs_cs_available(&f->sys, "kvm-clock");
	bool inv = has(f, CF_CONSTANT_TSC) && has(f, CF_NONSTOP_TSC);
	struct advice_item *it;

	if (!f->guest || !(avail || (cs && !strcmp(cs, "kvm-clock"))))
		return;
	if (cs && !strcmp(cs, "kvm-clock")) {
		it = advice_add(ad, f->a, "M-kvmclock", inv ? SEV_OK : SEV_INFO,
				"kvm-clock in use: the paravirtual clock, correct across migration");
	} else {
		it = advice_add(ad, f->a, "M-kvmclock", SEV_OK,
				arena_printf(f->a, "kvm-clock available; the kernel prefers %s", cs ? cs : "another clocksource"));
	}
	advice_evidence(f->a, it, "current_clocksource %s; available: %s", cs ? cs : "unknown",
			strlist_join(f->a, &f->sys.cs.available, " "));
	advice_evidence(f->a, it, "guest flags: constant_tsc %s, nonstop_tsc %s, tsc_known_freq %s",
			has(f, CF_CONSTANT_TSC) ? "yes" : "no",
			has(f, CF_NONSTOP_TSC) ? "yes" : "no",
			has(f, CF_TSC_KNOWN_FREQ) ? "yes" : "no");
	if (inv)
		advice_change(f->a, it, "none: the host passes an invariant TSC, so kvm-clock's stable bit can be set");
	else
		advice_change(f->a, it, "the host's TSC may not be invariant (the guest sees no constant_tsc/nonstop_tsc): run tscmon advise on the host; keep kvm-clock in this guest");
}

static void modern_nonstop(const struct facts *f, struct advice *ad)
{
	const char *names;
	int64_t deep = sysfs_deep_entries(&f->sys, &names, f->a);
	struct advice_item *it;
	const char *add = cpuinfo_is_intel(&f->cpu) ?
		"processor.max_cstate=1 intel_idle.max_cstate=0" : "processor.max_cstate=1";

	if (!f->cpu.valid || has(f, CF_NONSTOP_TSC) || deep <= 0)
		return;
	it = advice_add(ad, f->a, "M-nonstop", SEV_WARNING,
			"deep C-states are in use on a CPU without nonstop_tsc: the TSC may stop in them");
	advice_evidence(f->a, it, "/proc/cpuinfo flags lack nonstop_tsc");
	advice_evidence(f->a, it, "cpuidle (%s): %s entered %" PRId64 " times",
			f->sys.idle_driver ? f->sys.idle_driver : "unknown driver", names, deep);
	if (f->mod.usable && f->mod.sum.idle_entries_total != MODULE_UNKNOWN)
		advice_evidence(f->a, it, "module: idle_entries_total %" PRId64,
				f->mod.sum.idle_entries_total);
	advice_change(f->a, it, "limit C-states: GRUB_CMDLINE_LINUX=\"%s\"",
		      cmdline_merge(f->a, f->cl.valid ? &f->cl : NULL,
				    "processor.max_cstate intel_idle.max_cstate", add));
}

static void modern_fwbug(const struct facts *f, struct advice *ad)
{
	const struct klog_event *ev;
	struct advice_item *p0 = NULL, *noise = NULL, *other = NULL;

	for (size_t idx = 0; idx < f->log.nevents; idx++) {
		ev = &f->log.events[idx];
		if (!strcmp(ev->kind, "p0")) {
			if (!p0) {
				p0 = advice_add(ad, f->a, "M-fwbug", f->guest ? SEV_OK : SEV_INFO,
						f->guest ? "firmware-bug line about the P0 frequency: harmless in a VM" :
						"the firmware says the TSC does not count at the P0 frequency");
				p0->family = f->guest ? "firmware-noise" : "config";
				advice_change(f->a, p0, f->guest ?
					      "none: the hypervisor returns 0 for the AMD HWCR MSR, which prints this line; it is not a TSC fault" :
					      "HWCR bit 24 (TscFreqSel) reads clear: update the BIOS; until then treat the TSC as not constant");
			}
			advice_evidence(f->a, p0, "%s", ev_line(f, ev));
		} else if (ev->family == KF_FIRMWARE_NOISE) {
			if (!noise) {
				noise = advice_add(ad, f->a, "M-fwbug", SEV_OK,
						   "firmware-bug line about the TSC deadline timer: harmless for timekeeping");
				noise->family = "firmware-noise";
				advice_change(f->a, noise, "none for the clocksource: it concerns the local APIC timer's TSC-deadline mode (a microcode update re-enables it)");
			}
			advice_evidence(f->a, noise, "%s", ev_line(f, ev));
		} else if (ev->family == KF_FIRMWARE) {
			if (!other) {
				other = advice_add(ad, f->a, "M-fwbug", SEV_WARNING,
						   "the kernel reports a firmware bug about the TSC");
				advice_change(f->a, other, "update the BIOS/firmware (or the hypervisor, in a guest)");
			}
			advice_evidence(f->a, other, "%s", ev_line(f, ev));
		}
	}
}

static void modern_freq(const struct facts *f, struct advice *ad)
{
	int64_t trans = sysfs_total_trans(&f->sys);
	const char *src;
	int64_t khz = advice_max_khz(f, &src);
	struct advice_item *it;

	if (!f->cpu.valid || has(f, CF_CONSTANT_TSC) || trans <= 0)
		return;
	it = advice_add(ad, f->a, "M-freq", SEV_WARNING,
			"frequency transitions on a CPU without constant_tsc: each one changed the TSC rate");
	advice_evidence(f->a, it, "cpufreq stats: %" PRId64 " transitions (cpu*/cpufreq/stats/total_trans)", trans);
	advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc");
	if (khz > 0)
		advice_change(f->a, it, "stop them: pin every CPU to %" PRId64 " kHz or use the performance governor (S4)", khz);
	else
		advice_change(f->a, it, "stop them: use the performance governor (S4)");
}

static void modern_module(const struct facts *f, struct advice *ad)
{
	const struct module_data *m = &f->mod;
	struct advice_item *it;

	if (m->usable)
		return;
	if (m->present && m->abi >= 0 && m->abi != MODULE_ABI_KNOWN) {
		it = advice_add(ad, f->a, "M-module", SEV_WARNING,
				"the tscmon module speaks an ABI this client does not know");
		advice_evidence(f->a, it, "module version %s, debugfs ABI %" PRId64 "; this client knows ABI %d",
				m->version, m->abi, MODULE_ABI_KNOWN);
		advice_change(f->a, it, "install the tscmon client that came with module %s", m->version);
		return;
	}
	it = advice_add(ad, f->a, "M-module", SEV_INFO,
			"no measurements: the tscmon module is not loaded (or its files are unreadable)");
	advice_evidence(f->a, it, m->present ? "%s present but its version file is unreadable or malformed"
				 : "%s not found", MODULE_DIR);
	advice_change(f->a, it, "modprobe tscmon (as root, with debugfs mounted on /sys/kernel/debug) to measure skew between CPUs");
}

void advice_modern(const struct facts *f, const struct advice_opts *o,
		   struct advice *ad)
{
	enum severity skew;

	modern_unstable(f, ad);
	skew = modern_skew(f, o, ad);
	modern_reliable(f, skew, ad);
	modern_contradiction(f, ad);
	modern_clocksource(f, skew, ad);
	if (ad->n && !strcmp(ad->items[ad->n - 1].id, "M-clocksource") &&
	    modern_cs_cost(f->sys.cs.current))
		advice_evidence(f->a, &ad->items[ad->n - 1], "what a read costs: %s",
				modern_cs_cost(f->sys.cs.current));
	modern_kvmclock(f, ad);
	modern_nonstop(f, ad);
	modern_fwbug(f, ad);
	modern_freq(f, ad);
	modern_module(f, ad);
}
