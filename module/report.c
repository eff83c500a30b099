// SPDX-License-Identifier: GPL-2.0
/*
 * The read-only tables: summary, cpus, histogram and warps. Each is printed
 * whole under tscmon_state.lock, so it shows one sweep's results and never
 * a mix. Formats are an ABI (docs/debugfs.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/seq_file.h>
#include <asm/tsc.h>

#include "state.h"

static void tscmon_report_s64(struct seq_file *m, bool valid, s64 v)
{
	if (valid)
		seq_printf(m, " %lld", v);
	else
		seq_puts(m, " -");
}

static void tscmon_report_u64(struct seq_file *m, bool valid, u64 v)
{
	if (valid)
		seq_printf(m, " %llu", v);
	else
		seq_puts(m, " -");
}

int tscmon_report_summary(struct seq_file *m, void *v)
{
	struct tscmon_state *st = &tscmon_state;
	u64 idle = 0, oor = 0, res = 0, fn = 0, ft = 0, n, t;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		idle += tscmon_idle_entries(cpu);
		oor += tscmon_idle_out_of_range(cpu);
		res += tscmon_idle_residency_ns(cpu);
		tscmon_freq_counts(cpu, &n, &t);
		fn += n;
		ft += t;
	}

	mutex_lock(&st->lock);
	seq_printf(m, "abi %d\n", TSCMON_ABI);
	seq_printf(m, "tsc_khz %u\n", tsc_khz);
	seq_printf(m, "reference_cpu %u\n", st->ref);
	seq_printf(m, "cpus_possible %u\n", num_possible_cpus());
	seq_printf(m, "cpus_online %u\n", num_online_cpus());
	seq_printf(m, "sweeps %llu\n", st->sweeps);
	seq_printf(m, "interval_ms %u\n", tscmon_sweep_interval());
	seq_printf(m, "rounds %u\n", tscmon_sweep_rounds());
	seq_printf(m, "last_sweep_ns %llu\n", st->last_sweep_ns);
	seq_printf(m, "max_abs_skew_cycles %llu\n", st->max_abs_skew);
	seq_printf(m, "max_uncertainty_cycles %llu\n", st->max_uncertainty);
	seq_printf(m, "warps_total %llu\n", st->warps_total);
	seq_printf(m, "max_irqoff_ns %llu\n", st->max_irqoff_ns);
	seq_printf(m, "kernel_tsc_unstable %d\n", tscmon_kinfo_tsc_unstable());
	tscmon_kinfo_features(m);
	seq_printf(m, "clocksource %s\n", tscmon_kinfo_clocksource());
	seq_printf(m, "idle_entries_total %llu\n", idle);
	seq_printf(m, "fault_inject %d\n", TSCMON_FAULT_BUILD);
	seq_printf(m, "rounds_lost %llu\n", st->rounds_lost);
	seq_printf(m, "hotplug_events %ld\n",
		   atomic_long_read(&st->hotplug_events));
	seq_printf(m, "idle_out_of_range_total %llu\n", oor);
	seq_printf(m, "idle_residency_ns_total %llu\n", res);
	seq_printf(m, "freq_notifier %s\n", tscmon_freq_notifier_status());
	seq_printf(m, "freq_transitions_notifier_total %llu\n", fn);
	seq_printf(m, "freq_transitions_tracepoint_total %llu\n", ft);
	seq_printf(m, "aperfmperf %d\n", tscmon_freq_have_aperfmperf());
	tscmon_events_summary(m);
	mutex_unlock(&st->lock);
	/* rate.c has its own lock; never nested in the state lock. */
	tscmon_rate_summary(m);
	return 0;
}

static void tscmon_report_cpu(struct seq_file *m, unsigned int cpu)
{
	const struct tscmon_cpu_rec *rec = &tscmon_state.cpu[cpu];
	const struct tscmon_stats *s = &rec->stats;
	u64 n, t;

	seq_printf(m, "%u %d", cpu, READ_ONCE(tscmon_state.online[cpu]));
	tscmon_report_s64(m, rec->measured, rec->skew);
	tscmon_report_u64(m, rec->measured, rec->uncertainty);
	tscmon_report_u64(m, rec->measured, rec->rtt);
	tscmon_report_s64(m, s->n, s->min);
	tscmon_report_s64(m, s->n, s->max);
	tscmon_report_s64(m, s->n, tscmon_stats_mean(s));
	tscmon_report_u64(m, s->n >= 2, tscmon_stats_stddev(s));
	seq_printf(m, " %llu", s->n);
	tscmon_report_s64(m, s->drift_valid, s->drift_ppb);
	seq_printf(m, " %llu %llu", rec->warps, rec->max_warp);
	tscmon_report_s64(m, rec->adjust_valid, rec->tsc_adjust);
	seq_printf(m, " %llu", tscmon_idle_entries(cpu));
	/* Appended in ABI 1: idle, frequency and events. */
	tscmon_report_u64(m, rec->win.valid && rec->win.deepest >= 0,
			  rec->win.deepest);
	tscmon_report_u64(m, tscmon_idle_last_exit(cpu) >= 0,
			  tscmon_idle_last_exit(cpu));
	seq_printf(m, " %llu", tscmon_idle_residency_ns(cpu));
	tscmon_freq_counts(cpu, &n, &t);
	seq_printf(m, " %llu %llu", n, t);
	tscmon_report_u64(m, tscmon_freq_cur_khz(cpu),
			  tscmon_freq_cur_khz(cpu));
	tscmon_report_u64(m, tscmon_freq_aperf_mperf_khz(cpu),
			  tscmon_freq_aperf_mperf_khz(cpu));
	seq_printf(m, " %llu\n", rec->events);
}

int tscmon_report_cpus(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_puts(m, "cpu online skew_cycles uncertainty_cycles rtt_cycles min_cycles max_cycles mean_cycles stddev_cycles samples drift_ppb warps max_warp_cycles tsc_adjust idle_entries idle_deepest idle_last_exit idle_residency_ns freq_transitions_notifier freq_transitions_tracepoint freq_cur_khz aperf_mperf_khz events\n");
	mutex_lock(&tscmon_state.lock);
	for_each_possible_cpu(cpu)
		tscmon_report_cpu(m, cpu);
	mutex_unlock(&tscmon_state.lock);
	return 0;
}

int tscmon_report_histogram(struct seq_file *m, void *v)
{
	unsigned int cpu, b;

	seq_puts(m, "cpu");
	for (b = 0; b < TSCMON_HIST_BUCKETS; b++)
		seq_printf(m, " b%u", b);
	seq_putc(m, '\n');

	mutex_lock(&tscmon_state.lock);
	for_each_possible_cpu(cpu) {
		const struct tscmon_stats *s = &tscmon_state.cpu[cpu].stats;

		seq_printf(m, "%u", cpu);
		for (b = 0; b < TSCMON_HIST_BUCKETS; b++)
			seq_printf(m, " %llu", s->hist[b]);
		seq_putc(m, '\n');
	}
	mutex_unlock(&tscmon_state.lock);
	return 0;
}

int tscmon_report_warps(struct seq_file *m, void *v)
{
	struct tscmon_state *st = &tscmon_state;
	unsigned int cpu;

	seq_puts(m, "cpu_a cpu_b warps max_warp_cycles\n");
	mutex_lock(&st->lock);
	for_each_possible_cpu(cpu) {
		const struct tscmon_cpu_rec *rec = &st->cpu[cpu];

		if (cpu == st->ref || !rec->measured)
			continue;
		seq_printf(m, "%u %u %llu %llu\n", st->ref, cpu, rec->warps,
			   rec->max_warp);
	}
	mutex_unlock(&st->lock);
	return 0;
}
