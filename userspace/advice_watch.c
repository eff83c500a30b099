// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's blind spots (M-kernel-watch, M-known-freq) and the module's
 * rate check against an independent timer (M-rate).
 *
 * The clocksource watchdog checks the TSC only while the TSC carries
 * CLOCK_SOURCE_MUST_VERIFY. arch/x86/kernel/tsc.c clears that flag when
 * the TSC is declared reliable (the tsc_reliable CPU flag, tsc=reliable),
 * with tsc=nowatchdog, and, from 5.16 (b50db7095fe0), when the boot CPU
 * has constant_tsc, nonstop_tsc and tsc_adjust on a small machine: at most
 * 2 NUMA nodes up to 6.5, 4 nodes from 6.6 (233756a640be), 4 packages
 * from 6.12 (b4bac279319d). tscmon counts packages by the distinct
 * "physical id" values of /proc/cpuinfo.
 */
#include "advice.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool has(const struct facts *f, enum cpu_flag fl)
{
	return cpuinfo_has(&f->cpu, fl);
}

static void kernel_version(const struct facts *f, int *maj, int *min)
{
	const char *v = f->log.kernel_version;
	int a = 0, b = 0, n = 0;

	*maj = *min = -1;
	if (!v)
		return;
	while (*v >= '0' && *v <= '9' && n < 4) {
		a = a * 10 + (*v++ - '0');
		n++;
	}
	if (!n || *v++ != '.')
		return;
	n = 0;
	while (*v >= '0' && *v <= '9' && n < 4) {
		b = b * 10 + (*v++ - '0');
		n++;
	}
	if (!n)
		return;
	*maj = a;
	*min = b;
}

/* The package limit of the flag-based exemption; 0 if the kernel has none. */
static int skip_limit(int maj, int min)
{
	int v = maj * 1000 + min;

	if (v < 5016)
		return 0;
	return v < 6006 ? 2 : 4;
}

/* The clock the watchdog would use: the best-rated one not verified. */
static const char *judge(const struct facts *f)
{
	static const char *const order[] = {
		"kvm-clock", "hyperv_clocksource_tsc_page", "xen", "hpet", "acpi_pm",
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (sysfs_cs_available(&f->sys, order[i]))
			return order[i];
	return f->sys.cs.available.n ? "refined-jiffies" : NULL;
}

void kwatch_eval(const struct facts *f, struct kwatch *w)
{
	bool flags3 = has(f, CF_CONSTANT_TSC) && has(f, CF_NONSTOP_TSC) &&
		      has(f, CF_TSC_ADJUST);
	int pk = f->cpu.valid ? f->cpu.packages : -1, lim;

	memset(w, 0, sizeof(*w));
	kernel_version(f, &w->kmaj, &w->kmin);
	w->judge = judge(f);
	w->active = 1;
	if (!f->cpu.valid) {
		w->active = -1;
		strlist_add(f->a, &w->why, "/proc/cpuinfo is not available");
		return;
	}
	if (f->log.nunstable || (f->mod.usable && f->mod.sum.kernel_tsc_unstable == 1) ||
	    (f->cl.valid && (f->cl.notsc || f->cl.tsc_unstable))) {
		w->demoted = true;
		w->active = 0;
		strlist_add(f->a, &w->why, "the TSC is already marked unstable: the kernel does not use it");
		return;
	}
	if (has(f, CF_TSC_RELIABLE)) {
		w->active = 0;
		strlist_add(f->a, &w->why, "the tsc_reliable CPU flag declares the TSC reliable");
	}
	if (f->cl.valid && f->cl.tsc_reliable) {
		w->active = 0;
		strlist_add(f->a, &w->why, "tsc=reliable on the kernel command line");
	}
	if (f->cl.valid && f->cl.tsc_nowatchdog) {
		w->active = 0;
		strlist_add(f->a, &w->why, "tsc=nowatchdog on the kernel command line");
	}
	if (!flags3 || w->active == 0)
		return;
	if (w->kmaj < 0) {
		w->active = -1;
		strlist_addf(f->a, &w->why,
			     "constant_tsc, nonstop_tsc and tsc_adjust on %s package(s): kernels from 5.16 skip the watchdog then, and the log does not give the kernel version",
			     pk < 0 ? "an unknown number of" : arena_printf(f->a, "%d", pk));
		return;
	}
	lim = skip_limit(w->kmaj, w->kmin);
	if (lim && pk <= lim) {
		w->active = 0;
		strlist_addf(f->a, &w->why,
			     "constant_tsc, nonstop_tsc and tsc_adjust on %s package(s): kernel %d.%d skips the watchdog on up to %d",
			     pk < 0 ? "1 (no physical id in cpuinfo)" : arena_printf(f->a, "%d", pk),
			     w->kmaj, w->kmin, lim);
	}
}

static void watch_item(const struct facts *f, const struct kwatch *w,
		       struct advice *ad)
{
	struct advice_item *it;
	bool rate = f->mod.usable && f->mod.sum.has_rate_ppm;
	bool sweeps = f->mod.usable && f->mod.has_cpus;

	if (w->demoted || !f->cpu.valid)
		return;
	if (w->active == 1) {
		it = advice_add(ad, f->a, "M-kernel-watch", SEV_OK,
				arena_printf(f->a, "the kernel's clocksource watchdog checks the TSC every 0.5 s%s%s",
					     w->judge ? " against " : "", w->judge ? w->judge : ""));
		advice_evidence(f->a, it, "no tsc_reliable flag, no tsc=reliable or tsc=nowatchdog%s",
				w->kmaj >= 0 ? arena_printf(f->a, "; kernel %d.%d", w->kmaj, w->kmin) : "");
		if (has(f, CF_CONSTANT_TSC) && has(f, CF_NONSTOP_TSC) && has(f, CF_TSC_ADJUST))
			advice_evidence(f->a, it, "%d package(s): more than this kernel's limit for skipping the watchdog",
					f->cpu.packages);
		advice_change(f->a, it, "none");
		return;
	}
	it = advice_add(ad, f->a, "M-kernel-watch", SEV_INFO,
			w->active == 0 ? "the kernel does not watch the TSC here: a clean log proves nothing" :
			"the kernel may not watch the TSC here");
	for (size_t i = 0; i < w->why.n; i++)
		advice_evidence(f->a, it, "%s", w->why.v[i]);
	if (sweeps || rate)
		advice_evidence(f->a, it, "the tscmon module is loaded: sweeps %s, rate check %s",
				sweeps ? "running" : "not readable", rate ? "running" : "not available");
	if (sweeps && rate)
		advice_change(f->a, it, "keep the tscmon module loaded and run `tscmon check` from monitoring: its sweeps and rate check are the only watch on this TSC");
	else
		advice_change(f->a, it, "modprobe tscmon and run `tscmon check` from monitoring: its sweeps (skew between CPUs) and rate check (against an independent timer) are then the only watch on this TSC");
}

static void known_freq(const struct facts *f, struct advice *ad)
{
	struct advice_item *it;
	bool rate = f->mod.usable && f->mod.sum.has_rate_ppm;

	if (!has(f, CF_TSC_KNOWN_FREQ))
		return;
	it = advice_add(ad, f->a, "M-known-freq", SEV_INFO,
			"the TSC frequency was declared (CPUID or MSR), not measured: the kernel never refines it, and a wrong value is never corrected or logged");
	advice_evidence(f->a, it, "/proc/cpuinfo flags contain tsc_known_freq");
	if (f->log.tsc_mhz)
		advice_evidence(f->a, it, "%s", advice_log_line(f, f->log.tsc_mhz));
	advice_change(f->a, it, rate ?
		      "the module's rate check measures it against an independent timer: see M-rate" :
		      "load the tscmon module: its rate check is the only measurement of this frequency");
}

static void rate_item(const struct facts *f, struct advice *ad)
{
	const struct mod_summary *s = &f->mod.sum;
	struct advice_item *it;
	double ppm, unc, excess;
	enum severity sev;
	const char *ref = s->rate_reference;

	if (!f->mod.usable || (!s->has_rate_ppm && !ref))
		return;
	if (!s->has_rate_ppm || (ref && !strcmp(ref, "none"))) {
		it = advice_add(ad, f->a, "M-rate", SEV_INFO,
				"the module found no independent timer (ACPI PM timer or HPET): the TSC rate is not checked");
		advice_evidence(f->a, it, "module summary: rate_reference %s", ref ? ref : "absent");
		advice_change(f->a, it, "enable the HPET or the ACPI PM timer in the firmware (or the VM's machine type) so the rate can be checked");
		return;
	}
	ppm = s->rate_ppm;
	unc = s->has_rate_unc ? s->rate_unc_ppm : 0;
	excess = fabs(ppm) - unc;
	sev = excess > RATE_CRIT_PPM ? SEV_CRITICAL : excess > RATE_WARN_PPM ? SEV_WARNING : SEV_OK;
	it = advice_add(ad, f->a, "M-rate", sev,
			arena_printf(f->a, "TSC rate %+.3f ppm (+/- %.3f) from the kernel's tsc_khz, against %s%s",
				     ppm, unc, ref ? ref : "an independent timer",
				     sev == SEV_CRITICAL ? ": more than NTP can steer" :
				     sev == SEV_WARNING ? ": beyond a healthy oscillator" : ""));
	advice_evidence(f->a, it, "module summary: tsc_khz %s, tsc_khz_measured %s, tsc_rate_ppm %.3f, tsc_rate_uncertainty_ppm %s, rate_reference %s",
			s->tsc_khz == MODULE_UNKNOWN ? "-" : arena_printf(f->a, "%" PRId64, s->tsc_khz),
			s->has_khz_measured ? arena_printf(f->a, "%.3f", s->khz_measured) : "-",
			ppm, s->has_rate_unc ? arena_printf(f->a, "%.3f", unc) : "-", ref ? ref : "-");
	advice_evidence(f->a, it, "thresholds: |ppm| minus the uncertainty above %.0f ppm is critical (NTP steers at most 500 ppm), above %.0f ppm warns",
			RATE_CRIT_PPM, RATE_WARN_PPM);
	if (has(f, CF_TSC_KNOWN_FREQ))
		advice_evidence(f->a, it, "tsc_known_freq: the kernel took the frequency from CPUID/MSR and never refines it");
	if (sev == SEV_OK) {
		advice_change(f->a, it, "none");
		return;
	}
	if (has(f, CF_TSC_KNOWN_FREQ) && f->guest)
		advice_change(f->a, it, "the hypervisor declares a wrong TSC frequency to this guest: fix the guest's TSC frequency setting on the host (or use %s)",
			      advice_pv_clock(f));
	else if (has(f, CF_TSC_KNOWN_FREQ))
		advice_change(f->a, it, "the firmware declares a wrong TSC frequency (CPUID 0x15/0x16): update the BIOS/microcode");
	else
		advice_change(f->a, it, "the kernel's calibration went wrong (see M-calibration): reboot to calibrate again, or give the measured rate on the command line: tsc_early_khz=%s",
			      s->has_khz_measured ? arena_printf(f->a, "%.0f", s->khz_measured) : "<measured kHz>");
	advice_change(f->a, it, sev == SEV_CRITICAL ?
		      "until then NTP (chronyd, ntpd) cannot keep this clock: it can correct at most 500 ppm, so it will step the time again and again" :
		      "NTP can still correct it, but it uses up a large part of NTP's 500 ppm range and the clock runs off quickly whenever NTP is not running");
}

void advice_watch(const struct facts *f, struct advice *ad)
{
	struct kwatch w;

	kwatch_eval(f, &w);
	watch_item(f, &w, ad);
	known_freq(f, ad);
	rate_item(f, ad);
}
