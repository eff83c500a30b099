// SPDX-License-Identifier: GPL-2.0
/*
 * Frequency transitions per CPU, seen through two doors that do not open
 * for the same things (docs/design.md):
 *
 *  - the cpufreq transition notifier: called in process context by the
 *    cpufreq core for every POSTCHANGE of a policy that switches through
 *    ->target() or ->target_index(); never for fast switching.
 *  - the power:cpu_frequency tracepoint: fired for each CPU of the policy
 *    on the same POSTCHANGE path, and also by cpufreq_driver_fast_switch().
 *
 * A policy's transitions are serialised by the cpufreq core, and a CPU
 * belongs to one policy, so each CPU's counters have one writer at a time;
 * they are plain per-CPU fields, read with READ_ONCE() elsewhere.
 *
 * Registering a transition notifier has a cost the kernel imposes: while
 * one is registered, cpufreq refuses to enable fast switching, and the
 * registration itself fails with -EBUSY if a policy uses it already. That
 * case is reported (summary: freq_notifier busy), not treated as an error.
 *
 * Where the CPU has APERF and MPERF, each sweep reads both on every CPU it
 * measured (one IPI, after the exchange, with interrupts on everywhere
 * else) and reports cpu_khz * dAPERF / dMPERF over the time between two
 * sweeps: the average frequency while the CPU was not idle.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/tracepoint.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <trace/events/power.h>

#include "tscmon.h"

struct tscmon_freq {
	u64 notifier;		/* POSTCHANGE notifications naming this CPU */
	u64 tracepoint;		/* power:cpu_frequency events for this CPU */
	u32 cur_khz;		/* last frequency seen; 0: none */
	u32 min_khz;
	u32 max_khz;
	/* Written by sweeps only (under the sweep mutex). */
	u32 am_valid;		/* aperf/mperf hold a sample */
	u32 am_khz;		/* effective kHz over the last window; 0: none */
	u64 aperf;
	u64 mperf;
};

static DEFINE_PER_CPU(struct tscmon_freq, tscmon_freq);
static int tscmon_freq_notifier_state = -ENODEV;

static void tscmon_freq_seen(struct tscmon_freq *f, unsigned int khz)
{
	u32 lo = READ_ONCE(f->min_khz);

	if (!khz)
		return;
	WRITE_ONCE(f->cur_khz, khz);
	if (!lo || khz < lo)
		WRITE_ONCE(f->min_khz, khz);
	if (khz > READ_ONCE(f->max_khz))
		WRITE_ONCE(f->max_khz, khz);
}

static void tscmon_freq_probe(void *data, unsigned int khz, unsigned int cpu)
{
	struct tscmon_freq *f;

	if (cpu >= nr_cpu_ids)
		return;
	f = per_cpu_ptr(&tscmon_freq, cpu);
	WRITE_ONCE(f->tracepoint, f->tracepoint + 1);
	tscmon_freq_seen(f, khz);
}

static int tscmon_freq_notify(struct notifier_block *nb, unsigned long val,
			      void *data)
{
	struct cpufreq_freqs *freqs = data;
	struct tscmon_freq *f;
	unsigned int cpu;

	if (val != CPUFREQ_POSTCHANGE || !freqs->policy)
		return NOTIFY_DONE;
	for_each_cpu(cpu, freqs->policy->cpus) {
		f = per_cpu_ptr(&tscmon_freq, cpu);
		WRITE_ONCE(f->notifier, f->notifier + 1);
		tscmon_freq_seen(f, freqs->new);
	}
	return NOTIFY_OK;
}

static struct notifier_block tscmon_freq_nb = {
	.notifier_call = tscmon_freq_notify,
};

void tscmon_freq_counts(unsigned int cpu, u64 *notifier, u64 *tracepoint)
{
	const struct tscmon_freq *f = per_cpu_ptr(&tscmon_freq, cpu);

	*notifier = READ_ONCE(f->notifier);
	*tracepoint = READ_ONCE(f->tracepoint);
}

u32 tscmon_freq_cur_khz(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tscmon_freq, cpu).cur_khz);
}

u32 tscmon_freq_aperf_mperf_khz(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tscmon_freq, cpu).am_khz);
}

bool tscmon_freq_have_aperfmperf(void)
{
	return boot_cpu_has(X86_FEATURE_APERFMPERF);
}

/* "registered", "busy" (fast switching in use) or "unavailable". */
const char *tscmon_freq_notifier_status(void)
{
	if (!tscmon_freq_notifier_state)
		return "registered";
	return tscmon_freq_notifier_state == -EBUSY ? "busy" : "unavailable";
}

struct tscmon_freq_am {
	u64 aperf;
	u64 mperf;
	int err;
};

/* Runs on the CPU concerned, in an IPI: both counters back to back. */
static void tscmon_freq_read_am(void *arg)
{
	struct tscmon_freq_am *am = arg;

	am->err = tscmon_rdmsr_safe(MSR_IA32_MPERF, &am->mperf);
	if (!am->err)
		am->err = tscmon_rdmsr_safe(MSR_IA32_APERF, &am->aperf);
}

/*
 * Called by a sweep, in process context, for each online CPU it measured:
 * closes the APERF/MPERF window that the previous call opened.
 */
void tscmon_freq_sample(unsigned int cpu)
{
	struct tscmon_freq *f = per_cpu_ptr(&tscmon_freq, cpu);
	struct tscmon_freq_am am = { 0 };
	u64 da, dm;

	if (!tscmon_freq_have_aperfmperf())
		return;
	if (smp_call_function_single(cpu, tscmon_freq_read_am, &am, 1) ||
	    am.err) {
		f->am_valid = 0;
		WRITE_ONCE(f->am_khz, 0);
		return;
	}
	da = am.aperf - f->aperf;
	dm = am.mperf - f->mperf;
	/* cpu_khz * da / dm; the quotient fits unless da >> dm (then 0). */
	if (f->am_valid && dm && da / dm < 64)
		WRITE_ONCE(f->am_khz, (u32)mul_u64_u64_div_u64(da, cpu_khz, dm));
	f->aperf = am.aperf;
	f->mperf = am.mperf;
	f->am_valid = 1;
}

static void tscmon_freq_khz(struct seq_file *m, u32 khz)
{
	if (khz)
		seq_printf(m, " %u", khz);
	else
		seq_puts(m, " -");
}

int tscmon_freq_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_puts(m, "cpu transitions_notifier transitions_tracepoint cur_khz min_khz max_khz aperf_mperf_khz\n");
	for_each_possible_cpu(cpu) {
		const struct tscmon_freq *f = per_cpu_ptr(&tscmon_freq, cpu);

		seq_printf(m, "%u", cpu);
		if (tscmon_freq_notifier_state)
			seq_puts(m, " -");
		else
			seq_printf(m, " %llu", READ_ONCE(f->notifier));
		seq_printf(m, " %llu", READ_ONCE(f->tracepoint));
		tscmon_freq_khz(m, READ_ONCE(f->cur_khz));
		tscmon_freq_khz(m, READ_ONCE(f->min_khz));
		tscmon_freq_khz(m, READ_ONCE(f->max_khz));
		tscmon_freq_khz(m, READ_ONCE(f->am_khz));
		seq_putc(m, '\n');
	}
	return 0;
}

int tscmon_freq_start(void)
{
	unsigned int cpu;
	int ret;

	/* What each CPU runs at now, where a cpufreq policy says. */
	for_each_online_cpu(cpu)
		tscmon_freq_seen(per_cpu_ptr(&tscmon_freq, cpu),
				 cpufreq_quick_get(cpu));

	ret = register_trace_cpu_frequency(tscmon_freq_probe, NULL);
	if (ret) {
		pr_err("cannot attach to power:cpu_frequency (%d)\n", ret);
		return ret;
	}
	tscmon_freq_notifier_state =
		cpufreq_register_notifier(&tscmon_freq_nb,
					  CPUFREQ_TRANSITION_NOTIFIER);
	if (tscmon_freq_notifier_state)
		pr_info("no cpufreq transition notifier (%d): counting through power:cpu_frequency only\n",
			tscmon_freq_notifier_state);
	return 0;
}

void tscmon_freq_stop(void)
{
	if (!tscmon_freq_notifier_state)
		cpufreq_unregister_notifier(&tscmon_freq_nb,
					    CPUFREQ_TRANSITION_NOTIFIER);
	unregister_trace_cpu_frequency(tscmon_freq_probe, NULL);
	tracepoint_synchronize_unregister();
}
