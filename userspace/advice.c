// SPDX-License-Identifier: GPL-2.0
/* The advice list and the seed's host rules S1-S6 (S7-S9 in guest.c). */
#include "advice.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"

const char *const severity_names[4] = { "ok", "info", "warning", "critical" };

void advice_opts_default(struct advice_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->skew_warn_cycles = 1000;
	o->skew_crit_cycles = 100000;
	o->drift_warn_ppb = 1000;
	o->pvclock = -1;
}

/* The family an item belongs to unless its rule says otherwise. */
static const char *advice_default_family(const char *id)
{
	static const struct { const char *id, *family; } map[] = {
		{ "M-unstable", "unstable" }, { "M-kvm-host", "unstable" },
		{ "M-skew", "measurement" }, { "M-module", "measurement" },
		{ "M-rate", "measurement" }, { "M-boot-warp", "boot-warp" },
		{ "M-watchdog", "watchdog" }, { "M-watchdog-read", "watchdog-read" },
		{ "M-tsc-adjust", "tsc-adjust" }, { "M-calibration", "calibration" },
		{ "M-known-freq", "calibration" }, { "M-switch", "switch" },
		{ "M-override", "override" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].id, id))
			return map[i].family;
	return "config";
}

struct advice_item *advice_add(struct advice *ad, struct arena *a,
			       const char *id, enum severity sev,
			       const char *title)
{
	struct advice_item *it;

	if (ad->n == ADVICE_MAX)
		ad->n--; /* never happens with the rules we have; keep last */
	it = &ad->items[ad->n++];
	memset(it, 0, sizeof(*it));
	it->id = arena_strdup(a, id);
	it->sev = sev;
	it->title = arena_strdup(a, title);
	it->family = advice_default_family(id);
	it->skew_ns = it->interval_ns = KLOG_NONE;
	return it;
}

const char *advice_log_line(const struct facts *f, const struct klog_event *ev)
{
	if (ev->has_ts)
		return arena_printf(f->a, "kernel log [%.6f]: %s", ev->ts, ev->text);
	return arena_printf(f->a, "kernel log: %s", ev->text);
}

const char *advice_pv_clock(const struct facts *f)
{
	const char *h = f->hypervisor ? f->hypervisor : "";

	if (sysfs_cs_available(&f->sys, "kvm-clock") || !strcmp(h, "KVM"))
		return "kvm-clock";
	if (strstr(h, "Hyper-V") ||
	    sysfs_cs_available(&f->sys, "hyperv_clocksource_tsc_page"))
		return "hyperv_clocksource_tsc_page";
	if (!strcmp(h, "Xen") || sysfs_cs_available(&f->sys, "xen"))
		return "xen";
	return "the hypervisor's paravirtual clock";
}

void advice_evidence(struct arena *a, struct advice_item *it,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strlist_add(a, &it->evidence, arena_vprintf(a, fmt, ap));
	va_end(ap);
}

void advice_change(struct arena *a, struct advice_item *it, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	strlist_add(a, &it->change, arena_vprintf(a, fmt, ap));
	va_end(ap);
}

enum severity advice_worst(const struct advice *ad)
{
	enum severity w = SEV_OK;

	for (size_t i = 0; i < ad->n; i++)
		if (ad->items[i].sev > w)
			w = ad->items[i].sev;
	return w;
}

const struct advice_item *advice_find(const struct advice *ad, const char *id)
{
	for (size_t i = 0; i < ad->n; i++)
		if (!strcmp(ad->items[i].id, id))
			return &ad->items[i];
	return NULL;
}

int64_t advice_tsc_khz(const struct facts *f, const char **source)
{
	if (f->mod.usable && f->mod.has_summary && f->mod.sum.tsc_khz > 0) {
		*source = "module summary tsc_khz";
		return f->mod.sum.tsc_khz;
	}
	if (f->log.refined) {
		*source = "kernel log (refined calibration)";
		return (int64_t)(f->log.refined->mhz * 1000.0 + 0.5);
	}
	if (f->log.tsc_mhz) {
		*source = "kernel log (Detected ... MHz)";
		return (int64_t)(f->log.tsc_mhz->mhz * 1000.0 + 0.5);
	}
	*source = NULL;
	return -1;
}

int64_t advice_max_khz(const struct facts *f, const char **source)
{
	int64_t k = sysfs_max_freq(&f->sys, source);

	if (k > 0)
		return k;
	if (f->log.tsc_mhz) {
		*source = "kernel log \"Detected ... MHz\" (no cpufreq driver)";
		return (int64_t)(f->log.tsc_mhz->mhz * 1000.0 + 0.5);
	}
	if (f->mod.usable && f->mod.sum.tsc_khz > 0) {
		*source = "module tsc_khz (no cpufreq driver)";
		return f->mod.sum.tsc_khz;
	}
	*source = NULL;
	return -1;
}

static void seed_s1(const struct facts *f, struct advice *ad)
{
	struct advice_item *it = advice_add(
		ad, f->a, "S1", SEV_INFO,
		"run an NTP daemon on the host and on every guest, now and at boot");

	advice_evidence(f->a, it, "applies to every %s",
			f->guest ? "guest" : "host");
	advice_change(f->a, it, "2009 (RHEL 5): service ntpd start");
	advice_change(f->a, it, "2009 (RHEL 5): chkconfig ntpd on");
	advice_change(f->a, it, "modern: systemctl enable --now chronyd (or ntpd / ntpsec)");
}

static void seed_s2(const struct facts *f, struct advice *ad)
{
	int c = facts_constant_tsc(f);
	struct advice_item *it;

	if (c < 0) {
		it = advice_add(ad, f->a, "S2", SEV_INFO,
				"cannot tell whether the CPU has a constant TSC");
		advice_evidence(f->a, it, "/proc/cpuinfo not available");
		advice_change(f->a, it,
			      "on the machine itself: grep constant_tsc /proc/cpuinfo (any output means a constant TSC)");
		return;
	}
	if (c) {
		it = advice_add(ad, f->a, "S2", SEV_OK,
				"the CPU has a constant (invariant) TSC");
		advice_evidence(f->a, it,
				"/proc/cpuinfo flags contain constant_tsc on all %d CPUs",
				f->cpu.nr_cpus);
		advice_change(f->a, it, "none (check: grep constant_tsc /proc/cpuinfo)");
		return;
	}
	it = advice_add(ad, f->a, "S2", SEV_WARNING,
			"the CPU lacks a constant TSC: its rate follows frequency and C-state changes");
	advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc%s (%s)",
			(f->cpu.flags_any & (1u << CF_CONSTANT_TSC)) ?
				" on some CPUs" : "",
			facts_cpu_desc(f));
	advice_change(f->a, it,
		      "grep constant_tsc /proc/cpuinfo prints nothing here: apply S3 and S4 on the host; guests need S7");
}

static const char *seed_host_note(const struct facts *f)
{
	if (!f->guest)
		return NULL;
	return arena_printf(f->a,
			    "this machine is a guest (%s): the lines above are for this guest's own kernel; the host's settings decide its TSC, so run tscmon advise on the host and apply it there too",
			    f->hypervisor);
}

/* GRUB lines for adding ADD (dropping DROP names) to the command line. */
static void seed_grub_change(const struct facts *f, struct advice_item *it,
			     const char *drop, const char *add)
{
	advice_change(f->a, it,
		      "2009 (RHEL 5): append %s to the kernel line of /boot/grub/grub.conf: %s",
		      add, cmdline_kernel_line(f->a, f->cl.valid ? &f->cl : NULL,
					       f->log.kernel_version, drop, add));
	advice_change(f->a, it, "modern: in /etc/default/grub set GRUB_CMDLINE_LINUX=\"%s\"",
		      cmdline_merge(f->a, f->cl.valid ? &f->cl : NULL, drop, add));
	advice_change(f->a, it,
		      "then: grub2-mkconfig -o /boot/grub2/grub.cfg (Debian/Ubuntu: update-grub) and reboot");
}

static bool seed_s3(const struct facts *f, struct advice *ad)
{
	bool intel = cpuinfo_is_intel(&f->cpu);
	bool set = f->cl.valid && f->cl.processor_max_cstate >= 0 &&
		   f->cl.processor_max_cstate <= 1 &&
		   (!intel || f->cl.intel_idle_max_cstate == 0);
	const char *add = intel ? "processor.max_cstate=1 intel_idle.max_cstate=0"
				: "processor.max_cstate=1";
	const char *names, *note = seed_host_note(f);
	int64_t deep = sysfs_deep_entries(&f->sys, &names, f->a);
	struct advice_item *it;

	it = advice_add(ad, f->a, "S3", set ? SEV_OK : SEV_WARNING,
			"disable deep C-states: they change the rate of a TSC that is not constant");
	advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc (%s)",
			facts_cpu_desc(f));
	if (deep > 0)
		advice_evidence(f->a, it, "deep C-states in use: %s (%" PRId64 " entries, cpuidle driver %s)",
				names, deep,
				f->sys.idle_driver ? f->sys.idle_driver : "unknown");
	if (f->sys.idle_driver)
		advice_evidence(f->a, it, "cpuidle driver: %s", f->sys.idle_driver);
	if (set) {
		advice_evidence(f->a, it, "kernel command line already has processor.max_cstate=%d%s",
				f->cl.processor_max_cstate,
				intel ? " intel_idle.max_cstate=0" : "");
		advice_change(f->a, it, "none: already set");
		return true;
	}
	advice_change(f->a, it, "add %s to the host kernel command line%s", add,
		      intel ? " (intel_idle ignores processor.max_cstate, so both are needed)" : "");
	seed_grub_change(f, it, "processor.max_cstate intel_idle.max_cstate", add);
	if (note)
		advice_change(f->a, it, "%s", note);
	return true;
}

/* Are all cpufreq CPUs already pinned to KHZ (or on performance)? */
static bool seed_freq_pinned(const struct facts *f, int64_t khz)
{
	if (!f->sys.nfreq)
		return false;
	for (size_t i = 0; i < f->sys.nfreq; i++) {
		const struct cpufreq_cpu *c = &f->sys.freq[i];
		bool perf = c->governor && !strcmp(c->governor, "performance");

		if (!perf && !(c->scaling_min == khz && c->scaling_max == khz))
			return false;
	}
	return true;
}

static bool seed_s4(const struct facts *f, struct advice *ad)
{
	const char *src, *note = seed_host_note(f);
	int64_t khz = advice_max_khz(f, &src);
	bool have_driver = f->sys.nfreq > 0;
	bool pinned = khz > 0 && seed_freq_pinned(f, khz);
	struct advice_item *it;

	it = advice_add(ad, f->a, "S4",
			pinned ? SEV_OK : have_driver ? SEV_WARNING : SEV_INFO,
			"disable frequency scaling: pin min and max to the highest frequency");
	advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc (%s)",
			facts_cpu_desc(f));
	if (have_driver) {
		const struct cpufreq_cpu *c = &f->sys.freq[0];

		advice_evidence(f->a, it,
				"cpufreq: driver %s, governor %s, scaling_min_freq %" PRId64 ", scaling_max_freq %" PRId64 " kHz on cpu%d",
				c->driver ? c->driver : "unknown",
				c->governor ? c->governor : "unknown",
				c->scaling_min, c->scaling_max, c->cpu);
	} else {
		advice_evidence(f->a, it,
				"no cpufreq driver is loaded: Linux does not change the frequency now; keep it that way");
	}
	if (khz > 0)
		advice_evidence(f->a, it, "highest frequency: %" PRId64 " kHz (from %s)",
				khz, src);
	if (pinned) {
		advice_change(f->a, it, "none: every CPU is already pinned to %" PRId64 " kHz or uses the performance governor",
			      khz);
		return true;
	}
	if (khz <= 0) {
		advice_change(f->a, it,
			      "highest frequency unknown (no cpufreq files and no \"Detected ... MHz\" log line): read it from /sys/devices/system/cpu/cpu*/cpufreq/scaling_available_frequencies, then set MIN_SPEED and MAX_SPEED to it");
		return true;
	}
	advice_change(f->a, it,
		      "2009 (RHEL 5): in /etc/sysconfig/cpuspeed set MIN_SPEED=%" PRId64 " and MAX_SPEED=%" PRId64 " (the highest frequency, from %s; the choices are in /sys/devices/system/cpu/cpu*/cpufreq/scaling_available_frequencies), then service cpuspeed restart",
		      khz, khz, src);
	advice_change(f->a, it,
		      "modern: for c in /sys/devices/system/cpu/cpu[0-9]*/cpufreq; do echo %" PRId64 " > $c/scaling_max_freq; echo %" PRId64 " > $c/scaling_min_freq; done (scaling_min_freq = scaling_max_freq = cpuinfo_max_freq = %" PRId64 ")",
		      khz, khz, khz);
	advice_change(f->a, it,
		      "or: cpupower frequency-set -g performance (the performance governor)");
	if (note)
		advice_change(f->a, it, "%s", note);
	return true;
}

static void seed_s5(const struct facts *f, struct advice *ad)
{
	const struct cpuinfo *c = &f->cpu;
	struct advice_item *it = advice_add(
		ad, f->a, "S5", SEV_INFO,
		"the 2009 guide wrote S3/S4 for AMD revision F CPUs (Red Hat bug 513138)");
	bool amd_k8 = cpuinfo_is_amd(c) && c->family == 15;

	advice_evidence(f->a, it, "this CPU: %s", facts_cpu_desc(f));
	if (amd_k8 && c->model >= 0x40 && c->model <= 0x5f)
		advice_change(f->a, it,
			      "this CPU is an AMD family 0Fh revision F part (models 0x40-0x5F): exactly the case the guide was written for; apply S3 and S4");
	else if (amd_k8)
		advice_change(f->a, it,
			      "this CPU is AMD family 0Fh (K8) but model 0x%x is not revision F (0x40-0x5F); it still lacks constant_tsc, so S3 and S4 apply",
			      c->model);
	else
		advice_change(f->a, it,
			      "this CPU is %s family %d model %d, not AMD revision F; the guide's steps still apply because it lacks constant_tsc",
			      c->vendor[0] ? c->vendor : "an unknown vendor's",
			      c->family, c->model);
}

static void seed_s6(const struct facts *f, struct advice *ad, int constant)
{
	const char *src;
	int64_t khz = advice_tsc_khz(f, &src);
	struct advice_item *it;

	if (constant == 0) {
		it = advice_add(ad, f->a, "S6", SEV_WARNING,
				"live migration, cpufreq changes and deep C-states disturb guest clocks on this host");
		advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc");
	} else {
		it = advice_add(ad, f->a, "S6", SEV_INFO,
				"migrate guests only between hosts with the same TSC frequency");
		advice_evidence(f->a, it, "constant_tsc present; TSC frequencies of other hosts are not visible from here");
	}
	if (khz > 0)
		advice_evidence(f->a, it, "this %s's TSC: %" PRId64 " kHz (from %s)",
				f->guest ? "guest" : "host", khz, src);
	advice_change(f->a, it,
		      "before a live migration: check that the destination's TSC frequency is the same (%s), or that both hosts support TSC scaling; a guest migrated to a host with a faster TSC runs fast unless it uses kvm-clock",
		      khz > 0 ? arena_printf(f->a, "%" PRId64 " kHz here", khz)
			      : "dmesg | grep 'MHz TSC' on both");
	if (constant == 0)
		advice_change(f->a, it,
			      "apply S3 and S4 on both hosts before migrating, and give guests kvm-clock (S7)");
	else
		advice_change(f->a, it,
			      "a guest given invtsc (-cpu host,+invtsc) may be migrated only with a fixed tsc-frequency= on hosts that can scale to it");
}

static void seed_s7_pointer(const struct facts *f, struct advice *ad)
{
	struct advice_item *it = advice_add(
		ad, f->a, "S7", SEV_OK,
		"guest kernel parameters: not needed on a host with a constant TSC");

	advice_evidence(f->a, it, "/proc/cpuinfo flags contain constant_tsc");
	advice_change(f->a, it,
		      "none for modern guests (they use kvm-clock); to plan one guest: tscmon advise --guest <os>");
}

void advice_seed(const struct facts *f, const struct advice_opts *o,
		 struct advice *ad)
{
	int constant = facts_constant_tsc(f);

	(void)o;
	seed_s1(f, ad);
	seed_s2(f, ad);
	if (constant == 0) {
		seed_s3(f, ad);
		seed_s4(f, ad);
		seed_s5(f, ad);
	}
	if (constant >= 0)
		seed_s6(f, ad, constant);
	if (constant == 1)
		seed_s7_pointer(f, ad);
	else if (constant == 0)
		guest_table_items(f, ad);
}

void advice_host(const struct facts *f, const struct advice_opts *o,
		 struct advice *ad)
{
	advice_seed(f, o, ad);
	advice_modern(f, o, ad);
	advice_log(f, ad);
	advice_tsc_adjust(f, ad);
	advice_watch(f, ad);
}
