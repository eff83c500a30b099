// SPDX-License-Identifier: GPL-2.0
/* Text output: status, advice, the check verdict and watch frames. */
#include "output.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#ifndef TSCMON_VERSION
#define TSCMON_VERSION "unknown"
#endif

static const char *str_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

static void out_flags(FILE *out, const struct facts *f)
{
	bool none = true;

	fputs("tsc flags:    ", out);
	if (!f->cpu.valid) {
		fputs("unknown\n", out);
		return;
	}
	for (int i = 0; i < CF_COUNT; i++)
		if (cpuinfo_has(&f->cpu, i))
			fprintf(out, "%s ", cpuinfo_flag_names[i]);
	fputs("| missing:", out);
	for (int i = 0; i < CF_COUNT; i++)
		if (!cpuinfo_has(&f->cpu, i)) {
			fprintf(out, " %s", cpuinfo_flag_names[i]);
			none = false;
		}
	fputs(none ? " none\n" : "\n", out);
}

static void out_module_line(FILE *out, const struct facts *f)
{
	const struct module_data *m = &f->mod;

	if (!m->present) {
		fputs("module:       not loaded\n", out);
		return;
	}
	if (!m->usable) {
		if (m->abi >= 0)
			fprintf(out, "module:       loaded, version %s abi %" PRId64 " (not supported; this client knows abi %d)\n",
				str_or(m->version, "?"), m->abi, MODULE_ABI_KNOWN);
		else
			fputs("module:       directory present, version unreadable\n", out);
		return;
	}
	fprintf(out, "module:       loaded, version %s abi %" PRId64, m->version, m->abi);
	if (m->has_cpus)
		fprintf(out, ", %zu CPUs", m->ncpus);
	if (m->has_summary && m->sum.max_abs_skew_cycles != MODULE_UNKNOWN)
		fprintf(out, ", max |skew| %" PRId64 " cycles", m->sum.max_abs_skew_cycles);
	if (m->has_summary && m->sum.sweeps != MODULE_UNKNOWN)
		fprintf(out, ", %" PRId64 " sweeps", m->sum.sweeps);
	fputc('\n', out);
}

void out_not_available(FILE *out, const struct facts *f)
{
	if (!f->notes.n)
		return;
	fputs("not available:\n", out);
	for (size_t i = 0; i < f->notes.n; i++)
		fprintf(out, "  - %s\n", f->notes.v[i]);
}

void out_status_text(FILE *out, const struct facts *f)
{
	const struct cpufreq_cpu *fq = f->sys.nfreq ? &f->sys.freq[0] : NULL;
	const char *src;
	int64_t khz = sysfs_max_freq(&f->sys, &src);

	fprintf(out, "tscmon %s status (root %s)\n", TSCMON_VERSION, f->root);
	fprintf(out, "cpu:          %s", facts_cpu_desc(f));
	if (f->cpu.valid)
		fprintf(out, ", %d CPUs", f->cpu.nr_cpus);
	fputc('\n', out);
	out_flags(out, f);
	fprintf(out, "clocksource:  %s (available: %s)\n",
		str_or(f->sys.cs.current, "unknown"),
		f->sys.cs.available.n ? strlist_join(f->a, &f->sys.cs.available, " ")
				      : "unknown");
	if (f->guest)
		fprintf(out, "role:         guest (%s; %s)\n", f->hypervisor,
			strlist_join(f->a, &f->guest_evidence, "; "));
	else
		fputs("role:         host (no hypervisor seen)\n", out);
	fprintf(out, "cmdline:      %s\n", f->cl.valid ? f->cl.raw : "unknown");
	if (fq)
		fprintf(out, "cpufreq:      driver %s, governor %s, highest %" PRId64 " kHz\n",
			str_or(fq->driver, "unknown"), str_or(fq->governor, "unknown"), khz);
	else
		fputs("cpufreq:      none\n", out);
	fprintf(out, "cpuidle:      driver %s", str_or(f->sys.idle_driver, "unknown"));
	if (f->sys.nidle) {
		fputs(", states", out);
		for (size_t s = 0; s < f->sys.idle[0].nstates; s++)
			fprintf(out, " %s", f->sys.idle[0].states[s].name);
	}
	fputc('\n', out);
	if (f->log.valid) {
		fprintf(out, "kernel log:   %zu lines, %zu timekeeping events", f->log.lines,
			f->log.nevents);
		if (f->log.lpj)
			fprintf(out, ", lpj=%" PRId64, f->log.lpj->lpj);
		if (f->log.tsc_mhz)
			fprintf(out, ", %.3f MHz", f->log.tsc_mhz->mhz);
		fprintf(out, ", %zu unstable", f->log.nunstable);
		if (f->log.last_switch)
			fprintf(out, ", last switch to %s", f->log.last_switch->arg);
		fputc('\n', out);
	} else {
		fputs("kernel log:   not available\n", out);
	}
	out_module_line(out, f);
	out_not_available(out, f);
}

static const char *sev_tag(enum severity s)
{
	static const char *const tags[] = { "OK", "INFO", "WARNING", "CRITICAL" };

	return tags[s];
}

void out_advice_text(FILE *out, const struct facts *f, const struct advice *ad)
{
	fprintf(out, "tscmon %s advice (root %s)\n", TSCMON_VERSION, f->root);
	fprintf(out, "machine: %s, %s%s, clocksource %s\n", facts_cpu_desc(f),
		f->guest ? "guest of " : "host", f->guest ? f->hypervisor : "",
		str_or(f->sys.cs.current, "unknown"));
	if (ad->plan.valid) {
		fprintf(out, "guest plan: %s", ad->plan.os);
		if (ad->plan.arch)
			fprintf(out, " %s", ad->plan.arch);
		if (ad->plan.pvclock >= 0)
			fprintf(out, " pvclock %s", ad->plan.pvclock ? "yes" : "no");
		fprintf(out, "\nparameters: %s\n", ad->plan.parameters);
	}
	for (size_t i = 0; i < ad->n; i++) {
		const struct advice_item *it = &ad->items[i];

		fprintf(out, "\n[%s] %s: %s\n", sev_tag(it->sev), it->id, it->title);
		for (size_t k = 0; k < it->evidence.n; k++)
			fprintf(out, "  evidence: %s\n", it->evidence.v[k]);
		for (size_t k = 0; k < it->change.n; k++)
			fprintf(out, "  change:   %s\n", it->change.v[k]);
	}
	fputc('\n', out);
	out_not_available(out, f);
}

int out_check(FILE *out, const struct facts *f, const struct advice *ad)
{
	static const char *const state[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	enum severity w = advice_worst(ad);
	int code = w == SEV_CRITICAL ? 2 : w == SEV_WARNING ? 1 : 0;
	struct strlist ids = { 0 };

	if (!f->cpu.valid) {
		fprintf(out, "TSCMON UNKNOWN - /proc/cpuinfo not available, cannot judge the TSC\n");
		return 3;
	}
	for (size_t i = 0; i < ad->n; i++)
		if (ad->items[i].sev == w && w >= SEV_WARNING &&
		    !strlist_has(&ids, ad->items[i].id))
			strlist_add(f->a, &ids, ad->items[i].id);
	fprintf(out, "TSCMON %s - ", state[code]);
	if (code)
		fprintf(out, "%zu %s: %s", ids.n, severity_names[w],
			strlist_join(f->a, &ids, " "));
	else
		fprintf(out, "no warnings");
	fprintf(out, "; clocksource %s, constant_tsc %s",
		str_or(f->sys.cs.current, "unknown"),
		cpuinfo_has(&f->cpu, CF_CONSTANT_TSC) ? "yes" : "no");
	if (f->mod.usable && f->mod.sum.max_abs_skew_cycles != MODULE_UNKNOWN)
		fprintf(out, ", max skew %" PRId64 " cycles | max_abs_skew_cycles=%" PRId64,
			f->mod.sum.max_abs_skew_cycles, f->mod.sum.max_abs_skew_cycles);
	fputc('\n', out);
	return code;
}

static const char *watch_val(char *buf, size_t n, int64_t v)
{
	if (v == MODULE_UNKNOWN)
		return "-";
	snprintf(buf, n, "%" PRId64, v);
	return buf;
}

/*
 * sysfs_read() lists CPUs in ascending order, so the first entry of a CPU
 * is found by binary search rather than a scan per row of the table: n
 * entries of size bytes from base, each with an int CPU at offset off.
 */
static size_t watch_first(const void *base, size_t n, size_t size, size_t off,
			  int cpu)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c;

		memcpy(&c, (const char *)base + mid * size + off, sizeof(c));
		if (c < cpu)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t watch_freq_first(const struct sysfs_data *sd, int cpu)
{
	return watch_first(sd->freq, sd->nfreq, sizeof(sd->freq[0]),
			   offsetof(struct cpufreq_cpu, cpu), cpu);
}

static size_t watch_idle_first(const struct sysfs_data *sd, int cpu)
{
	return watch_first(sd->idle, sd->nidle, sizeof(sd->idle[0]),
			   offsetof(struct cpuidle_cpu, cpu), cpu);
}

static const char *watch_freq(const struct facts *f, int cpu, char *buf, size_t n)
{
	for (size_t i = watch_freq_first(&f->sys, cpu);
	     i < f->sys.nfreq && f->sys.freq[i].cpu == cpu; i++)
		if (f->sys.freq[i].cur > 0) {
			snprintf(buf, n, "%" PRId64, f->sys.freq[i].cur);
			return buf;
		}
	return "-";
}

static const char *watch_idle(const struct facts *f, int cpu, char *buf, size_t n)
{
	size_t i = watch_idle_first(&f->sys, cpu);
	int64_t sum = 0;

	if (i == f->sys.nidle || f->sys.idle[i].cpu != cpu)
		return "-";
	for (size_t s = 0; s < f->sys.idle[i].nstates; s++)
		if (f->sys.idle[i].states[s].usage > 0)
			sum += f->sys.idle[i].states[s].usage;
	snprintf(buf, n, "%" PRId64, sum);
	return buf;
}

void out_watch_frame(FILE *out, const struct facts *f, size_t *seen_events,
		     int frame)
{
	char b1[24], b2[24], b3[24], b4[24], b5[24], b6[24], b7[24];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(b1, sizeof(b1), "%H:%M:%S", &tm);
	fprintf(out, "--- tscmon watch #%d %s clocksource %s ---\n", frame, b1,
		str_or(f->sys.cs.current, "unknown"));
	if (f->mod.usable && f->mod.has_cpus) {
		fprintf(out, "%5s %6s %12s %12s %10s %6s %12s %10s\n", "cpu", "online",
			"skew_cyc", "uncert_cyc", "drift_ppb", "warps", "idle_entries",
			"freq_khz");
		for (size_t i = 0; i < f->mod.ncpus; i++) {
			const struct mod_cpu *r = &f->mod.cpus[i];
			int cpu = (int)r->v[MC_CPU];

			fprintf(out, "%5d %6s %12s %12s %10s %6s %12s %10s\n", cpu,
				watch_val(b1, sizeof(b1), r->v[MC_ONLINE]),
				watch_val(b2, sizeof(b2), r->v[MC_SKEW]),
				watch_val(b3, sizeof(b3), r->v[MC_UNCERTAINTY]),
				watch_val(b4, sizeof(b4), r->v[MC_DRIFT]),
				watch_val(b5, sizeof(b5), r->v[MC_WARPS]),
				r->v[MC_IDLE] != MODULE_UNKNOWN
					? watch_val(b6, sizeof(b6), r->v[MC_IDLE])
					: watch_idle(f, cpu, b6, sizeof(b6)),
				watch_freq(f, cpu, b7, sizeof(b7)));
		}
	} else {
		fprintf(out, "module not loaded: no skew data; cpuidle/cpufreq only\n");
		fprintf(out, "%5s %12s %10s\n", "cpu", "idle_entries", "freq_khz");
		for (size_t i = 0; i < f->sys.nidle; i++)
			fprintf(out, "%5d %12s %10s\n", f->sys.idle[i].cpu,
				watch_idle(f, f->sys.idle[i].cpu, b1, sizeof(b1)),
				watch_freq(f, f->sys.idle[i].cpu, b2, sizeof(b2)));
	}
	if (f->log.valid) {
		if (*seen_events == 0 && f->log.nevents > 10) {
			fprintf(out, "(%zu earlier timekeeping events not shown)\n",
				f->log.nevents - 10);
			*seen_events = f->log.nevents - 10;
		}
		for (size_t i = *seen_events; i < f->log.nevents; i++)
			fprintf(out, "event %s: %s\n",
				klog_family_names[f->log.events[i].family],
				f->log.events[i].text);
		*seen_events = f->log.nevents;
	}
	fflush(out);
}
