// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition (version 0.0.4), for node_exporter's textfile
 * collector. Every family gets HELP and TYPE before its samples; base
 * units; counters end in _total; string values ride on _info gauges.
 */
#include "output.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#ifndef TSCMON_VERSION
#define TSCMON_VERSION "unknown"
#endif

static void prom_family(FILE *out, const char *name, const char *type,
			const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * A label value with \\, \" and \n escaped; a byte that does not start a
 * UTF-8 character becomes U+FFFD (the exposition is UTF-8).
 */
static void prom_label(FILE *out, const char *v)
{
	fputc('"', out);
	for (const char *p = v ? v : ""; *p;) {
		size_t n = util_utf8_len(p);

		if (!n) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		if (*p == '\\' || *p == '"')
			fputc('\\', out);
		if (*p == '\n')
			fputs("\\n", out);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

/* V in decimal, without printf: the exposition has thousands of them. */
static void prom_int(FILE *out, int64_t v)
{
	char buf[UTIL_I64_LEN], *p = util_fmt_i64(buf, v);

	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), out);
}

/*
 * A sample value as "%.9g" prints it. A whole number below 10^9 in
 * magnitude prints as that integer (%g drops the point and needs no
 * exponent below its precision), so it skips the floating-point path.
 */
static void prom_value(FILE *out, double v)
{
	if (v > -1e9 && v < 1e9 && v == (double)(int64_t)v &&
	    !(v == 0 && signbit(v)))
		prom_int(out, (int64_t)v);
	else
		fprintf(out, "%.9g", v);
}

/*
 * Seconds from microseconds as "%.6f" prints US / 1e6. Below 10^15 us
 * the double quotient is within 2^-53 of the exact one, far less than
 * half the last digit, so the decimal digits of US are the same text.
 */
static void prom_seconds(FILE *out, int64_t us)
{
	char frac[8];
	int64_t rest;

	if (us < 0 || us >= 1000000000000000LL) {
		fprintf(out, "%.6f", (double)us / 1e6);
		return;
	}
	prom_int(out, us / 1000000);
	rest = us % 1000000;
	frac[0] = '.';
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + rest % 10);
		rest /= 10;
	}
	fwrite(frac, 1, 7, out);
}

static void prom_1label(FILE *out, const char *name, const char *label,
			const char *value, double v)
{
	fprintf(out, "%s{%s=", name, label);
	prom_label(out, value);
	fputs("} ", out);
	prom_value(out, v);
	fputc('\n', out);
}

static void prom_cpu(FILE *out, const char *name, int64_t cpu, double v)
{
	fputs(name, out);
	fputs("{cpu=\"", out);
	prom_int(out, cpu);
	fputs("\"} ", out);
	prom_value(out, v);
	fputc('\n', out);
}

static void prom_machine(FILE *out, const struct facts *f)
{
	prom_family(out, "tscmon_build_info", "gauge", "tscmon client version, always 1");
	prom_1label(out, "tscmon_build_info", "version", TSCMON_VERSION, 1);
	prom_family(out, "tscmon_guest", "gauge", "1 if this machine is a virtual machine guest");
	fprintf(out, "tscmon_guest %d\n", f->guest ? 1 : 0);
	if (f->guest) {
		prom_family(out, "tscmon_hypervisor_info", "gauge", "the hypervisor this guest runs on");
		prom_1label(out, "tscmon_hypervisor_info", "hypervisor", f->hypervisor, 1);
	}
	if (f->cpu.valid) {
		prom_family(out, "tscmon_cpu_flag", "gauge",
			    "1 if /proc/cpuinfo has the TSC-related flag on every CPU");
		for (int i = 0; i < CF_COUNT; i++)
			prom_1label(out, "tscmon_cpu_flag", "flag", cpuinfo_flag_names[i],
				    cpuinfo_has(&f->cpu, i));
	}
	if (f->sys.cs.current) {
		prom_family(out, "tscmon_clocksource_info", "gauge", "the current clocksource");
		prom_1label(out, "tscmon_clocksource_info", "clocksource", f->sys.cs.current, 1);
	}
	if (f->sys.cs.available.n) {
		prom_family(out, "tscmon_clocksource_available_info", "gauge",
			    "clocksources the kernel offers");
		for (size_t i = 0; i < f->sys.cs.available.n; i++)
			prom_1label(out, "tscmon_clocksource_available_info", "clocksource",
				    f->sys.cs.available.v[i], 1);
	}
}


/* The start of a sample labelled by CPU and idle state, up to its value. */
static void prom_cpu_state(FILE *out, const char *name, int cpu, const char *state)
{
	fputs(name, out);
	fputs("{cpu=\"", out);
	prom_int(out, cpu);
	fputs("\",state=", out);
	prom_label(out, state);
	fputs("} ", out);
}

static void prom_freq_idle(FILE *out, const struct facts *f)
{
	bool any_trans = false;

	if (f->sys.nfreq) {
		prom_family(out, "tscmon_cpu_frequency_hertz", "gauge",
			    "current CPU frequency (cpufreq scaling_cur_freq)");
		for (size_t i = 0; i < f->sys.nfreq; i++)
			if (f->sys.freq[i].cur > 0)
				prom_cpu(out, "tscmon_cpu_frequency_hertz", f->sys.freq[i].cpu,
					 (double)f->sys.freq[i].cur * 1000.0);
		prom_family(out, "tscmon_cpu_frequency_max_hertz", "gauge",
			    "highest CPU frequency (cpufreq cpuinfo_max_freq)");
		for (size_t i = 0; i < f->sys.nfreq; i++)
			if (f->sys.freq[i].cpuinfo_max > 0)
				prom_cpu(out, "tscmon_cpu_frequency_max_hertz", f->sys.freq[i].cpu,
					 (double)f->sys.freq[i].cpuinfo_max * 1000.0);
		for (size_t i = 0; i < f->sys.nfreq; i++)
			any_trans |= f->sys.freq[i].total_trans >= 0;
	}
	if (any_trans) {
		prom_family(out, "tscmon_cpufreq_transitions_total", "counter",
			    "frequency transitions since boot (cpufreq stats total_trans)");
		for (size_t i = 0; i < f->sys.nfreq; i++)
			if (f->sys.freq[i].total_trans >= 0)
				prom_cpu(out, "tscmon_cpufreq_transitions_total", f->sys.freq[i].cpu,
					 (double)f->sys.freq[i].total_trans);
	}
	if (!f->sys.nidle)
		return;
	prom_family(out, "tscmon_cpuidle_state_entries_total", "counter",
		    "entries into each idle state (cpuidle stateN/usage)");
	for (size_t i = 0; i < f->sys.nidle; i++)
		for (size_t s = 0; s < f->sys.idle[i].nstates; s++) {
			const struct cpuidle_state *st = &f->sys.idle[i].states[s];

			if (st->usage < 0)
				continue;
			prom_cpu_state(out, "tscmon_cpuidle_state_entries_total", f->sys.idle[i].cpu, st->name);
			prom_int(out, st->usage);
			fputc('\n', out);
		}
	prom_family(out, "tscmon_cpuidle_state_residency_seconds_total", "counter",
		    "time spent in each idle state (cpuidle stateN/time)");
	for (size_t i = 0; i < f->sys.nidle; i++)
		for (size_t s = 0; s < f->sys.idle[i].nstates; s++) {
			const struct cpuidle_state *st = &f->sys.idle[i].states[s];

			if (st->time_us < 0)
				continue;
			prom_cpu_state(out, "tscmon_cpuidle_state_residency_seconds_total", f->sys.idle[i].cpu, st->name);
			prom_seconds(out, st->time_us);
			fputc('\n', out);
		}
}

struct prom_col {
	int col;
	const char *name, *type, *help;
	double scale;
};

static void prom_module(FILE *out, const struct facts *f)
{
	static const struct prom_col cols[] = {
		{ MC_ONLINE, "tscmon_cpu_online", "gauge", "1 if the CPU is online", 1 },
		{ MC_SKEW, "tscmon_tsc_skew_cycles", "gauge",
		  "TSC of this CPU minus the reference CPU's, midpoint of the last interval, in TSC cycles", 1 },
		{ MC_UNCERTAINTY, "tscmon_tsc_skew_uncertainty_cycles", "gauge",
		  "half-width of the last skew interval, in TSC cycles", 1 },
		{ MC_DRIFT, "tscmon_tsc_drift_ratio", "gauge",
		  "change of skew per unit time between the last two sweeps (ratio; drift_ppb / 1e9)", 1e-9 },
		{ MC_WARPS, "tscmon_tsc_warps_total", "counter",
		  "warps seen between this CPU and the reference CPU", 1 },
		{ MC_SAMPLES, "tscmon_tsc_skew_samples_total", "counter",
		  "sweeps that measured this CPU", 1 },
		{ MC_IDLE, "tscmon_idle_entries_total", "counter",
		  "idle entries counted by the module on this CPU", 1 },
	};
	const struct module_data *m = &f->mod;

	prom_family(out, "tscmon_module_loaded", "gauge",
		    "1 if the tscmon module's debugfs files were read with a known ABI");
	fprintf(out, "tscmon_module_loaded %d\n", m->usable ? 1 : 0);
	if (m->abi >= 0) {
		prom_family(out, "tscmon_module_abi", "gauge", "the module's debugfs ABI number");
		fprintf(out, "tscmon_module_abi %" PRId64 "\n", m->abi);
	}
	if (!m->usable)
		return;
	if (m->has_summary) {
		if (m->sum.sweeps != MODULE_UNKNOWN) {
			prom_family(out, "tscmon_module_sweeps_total", "counter",
				    "sweeps completed since load or reset");
			fprintf(out, "tscmon_module_sweeps_total %" PRId64 "\n", m->sum.sweeps);
		}
		if (m->sum.max_abs_skew_cycles != MODULE_UNKNOWN) {
			prom_family(out, "tscmon_tsc_max_abs_skew_cycles", "gauge",
				    "largest |skew| of the last sweep over all online CPUs, in TSC cycles");
			fprintf(out, "tscmon_tsc_max_abs_skew_cycles %" PRId64 "\n",
				m->sum.max_abs_skew_cycles);
		}
		if (m->sum.rounds_lost != MODULE_UNKNOWN) {
			prom_family(out, "tscmon_module_rounds_lost_total", "counter",
				    "exchange rounds that timed out since load or reset");
			fprintf(out, "tscmon_module_rounds_lost_total %" PRId64 "\n",
				m->sum.rounds_lost);
		}
		if (m->sum.hotplug_events != MODULE_UNKNOWN) {
			prom_family(out, "tscmon_cpu_hotplug_events_total", "counter",
				    "CPU online and offline transitions seen since load");
			fprintf(out, "tscmon_cpu_hotplug_events_total %" PRId64 "\n",
				m->sum.hotplug_events);
		}
		if (m->sum.kernel_tsc_unstable != MODULE_UNKNOWN) {
			prom_family(out, "tscmon_kernel_tsc_unstable", "gauge",
				    "1 if the kernel has marked the TSC unstable");
			fprintf(out, "tscmon_kernel_tsc_unstable %" PRId64 "\n",
				m->sum.kernel_tsc_unstable);
		}
	}
	if (!m->has_cpus)
		return;
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		bool any = false;

		for (size_t i = 0; i < m->ncpus; i++)
			any |= m->cpus[i].v[cols[c].col] != MODULE_UNKNOWN;
		if (!any)
			continue;
		prom_family(out, cols[c].name, cols[c].type, cols[c].help);
		for (size_t i = 0; i < m->ncpus; i++) {
			int64_t v = m->cpus[i].v[cols[c].col];

			if (v != MODULE_UNKNOWN)
				prom_cpu(out, cols[c].name, m->cpus[i].v[MC_CPU],
					 (double)v * cols[c].scale);
		}
	}
}

static void prom_freq(FILE *out, const struct facts *f)
{
	const struct mod_summary *s = &f->mod.sum;
	const struct klog *l = &f->log;
	bool mod = f->mod.usable && f->mod.has_summary;
	bool any = (mod && (s->tsc_khz > 0 || s->has_khz_measured)) ||
		   (l->valid && (l->tsc_mhz || l->refined));

	if (any) {
		prom_family(out, "tscmon_tsc_frequency_hertz", "gauge",
			    "TSC frequency by source: declared (the kernel's tsc_khz), measured (module rate check), log_detected, log_refined");
		if (mod && s->tsc_khz > 0)
			prom_1label(out, "tscmon_tsc_frequency_hertz", "source", "declared",
				    (double)s->tsc_khz * 1e3);
		if (mod && s->has_khz_measured)
			prom_1label(out, "tscmon_tsc_frequency_hertz", "source", "measured",
				    s->khz_measured * 1e3);
		if (l->valid && l->tsc_mhz)
			prom_1label(out, "tscmon_tsc_frequency_hertz", "source", "log_detected",
				    l->tsc_mhz->mhz * 1e6);
		if (l->valid && l->refined)
			prom_1label(out, "tscmon_tsc_frequency_hertz", "source", "log_refined",
				    l->refined->mhz * 1e6);
	}
	if (mod && s->has_rate_ppm) {
		prom_family(out, "tscmon_tsc_rate_deviation_ratio", "gauge",
			    "measured minus declared TSC rate, as a fraction of the declared rate (tsc_rate_ppm / 1e6)");
		fprintf(out, "tscmon_tsc_rate_deviation_ratio %.9g\n", s->rate_ppm * 1e-6);
	}
	if (mod && s->has_rate_unc) {
		prom_family(out, "tscmon_tsc_rate_uncertainty_ratio", "gauge",
			    "uncertainty of the rate deviation (tsc_rate_uncertainty_ppm / 1e6)");
		fprintf(out, "tscmon_tsc_rate_uncertainty_ratio %.9g\n", s->rate_unc_ppm * 1e-6);
	}
	if (mod && s->rate_reference) {
		prom_family(out, "tscmon_tsc_rate_reference_info", "gauge",
			    "the independent timer the module's rate check uses");
		prom_1label(out, "tscmon_tsc_rate_reference_info", "reference", s->rate_reference, 1);
	}
}

static void prom_log(FILE *out, const struct facts *f)
{
	struct kwatch w;
	struct strlist reasons = { 0 };
	const struct klog_event *ev;
	size_t idx = 0;

	kwatch_eval(f, &w);
	if (w.active >= 0) {
		prom_family(out, "tscmon_kernel_tsc_watchdog_active", "gauge",
			    "1 if the kernel's clocksource watchdog checks the TSC, 0 if not (declared reliable, exempt, or already demoted)");
		fprintf(out, "tscmon_kernel_tsc_watchdog_active %d\n", w.active);
	}
	if (!f->log.valid)
		return;
	prom_family(out, "tscmon_clocksource_switches_total", "counter",
		    "clocksource switches in the kernel log since boot");
	fprintf(out, "tscmon_clocksource_switches_total %zu\n", f->log.nswitch);
	while ((ev = klog_find(&f->log, KF_UNSTABLE, "unstable", &idx)))
		if (ev->arg && !strlist_has(&reasons, ev->arg))
			strlist_add(f->a, &reasons, ev->arg);
	if (reasons.n) {
		prom_family(out, "tscmon_tsc_unstable_info", "gauge",
			    "the reasons the kernel gave for marking the TSC unstable");
		for (size_t i = 0; i < reasons.n; i++)
			prom_1label(out, "tscmon_tsc_unstable_info", "reason", reasons.v[i], 1);
	}
	prom_family(out, "tscmon_kernel_log_events_total", "counter",
		    "timekeeping lines in the kernel log, by family");
	for (int i = 0; i < KF_COUNT; i++)
		prom_1label(out, "tscmon_kernel_log_events_total", "family", klog_family_names[i],
			    (double)f->log.family_count[i]);
}

void out_prometheus(FILE *out, const struct facts *f, const struct advice *ad)
{
	enum severity w = advice_worst(ad);
	struct strlist done = { 0 };

	prom_machine(out, f);
	prom_freq_idle(out, f);
	prom_module(out, f);
	prom_freq(out, f);
	prom_log(out, f);
	prom_family(out, "tscmon_advice", "gauge",
		    "advice items by rule and severity (the number of items)");
	for (size_t i = 0; i < ad->n; i++) {
		const char *key = arena_printf(f->a, "%s/%s", ad->items[i].id,
					       severity_names[ad->items[i].sev]);
		int count = 0;

		if (strlist_has(&done, key))
			continue;
		strlist_add(f->a, &done, key);
		for (size_t k = 0; k < ad->n; k++)
			count += !strcmp(ad->items[k].id, ad->items[i].id) &&
				 ad->items[k].sev == ad->items[i].sev;
		fputs("tscmon_advice{rule=", out);
		prom_label(out, ad->items[i].id);
		fputs(",severity=", out);
		prom_label(out, severity_names[ad->items[i].sev]);
		fprintf(out, "} %d\n", count);
	}
	prom_family(out, "tscmon_check_status", "gauge",
		    "the check verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
	fprintf(out, "tscmon_check_status %d\n", !f->cpu.valid ? 3 :
		w == SEV_CRITICAL ? 2 : w == SEV_WARNING ? 1 : 0);
	prom_family(out, "tscmon_inputs_unavailable", "gauge",
		    "inputs that could not be read (see tscmon status)");
	fprintf(out, "tscmon_inputs_unavailable %zu\n", f->notes.n);
}
