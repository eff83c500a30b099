// SPDX-License-Identifier: GPL-2.0
/*
 * Sweeps: one exchange between the reference CPU and every other online
 * CPU. They run periodically from a delayed work on the unbound workqueue
 * (interval_ms, 0 for on demand only) and on demand from the sweep file.
 *
 * tscmon_sweep_mutex serialises sweeps, settings, resets and fault
 * injection writes. A sweep holds CPU hotplug off (cpus_read_lock) for its
 * duration, so no CPU can vanish in the middle of an exchange; the
 * reference side runs in a kworker bound to the reference CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>

#include "tscmon.h"

static DEFINE_MUTEX(tscmon_sweep_mutex);
static struct delayed_work tscmon_sweep_dwork;
static unsigned int tscmon_interval_ms = TSCMON_INTERVAL_DEFAULT;
static unsigned int tscmon_rounds = TSCMON_ROUNDS_DEFAULT;
static bool tscmon_sweep_stopping;
static struct tscmon_xchg_result *tscmon_results;	/* nr_cpu_ids */

struct tscmon_sweep_ctx {
	unsigned int ref;
	unsigned int rounds;
};

void tscmon_sweep_lock(void)
{
	mutex_lock(&tscmon_sweep_mutex);
}

void tscmon_sweep_unlock(void)
{
	mutex_unlock(&tscmon_sweep_mutex);
}

/* Runs on the reference CPU: exchanges with each other online CPU in turn. */
static long tscmon_sweep_on_ref(void *arg)
{
	struct tscmon_sweep_ctx *ctx = arg;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu == ctx->ref)
			continue;
		tscmon_xchg_run(ctx->ref, cpu, ctx->rounds,
				&tscmon_results[cpu]);
		tscmon_results[cpu].measured = 1;
	}
	return 0;
}

/* MSRs of each CPU measured, with interrupts on again everywhere. */
static void tscmon_sweep_adjust(void)
{
	struct tscmon_xchg_result *r;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		r = &tscmon_results[cpu];
		if (!r->measured)
			continue;
		r->adjust_valid = !tscmon_kinfo_tsc_adjust(cpu, &r->tsc_adjust);
		tscmon_freq_sample(cpu);
	}
}

static int tscmon_sweep_locked(void)
{
	struct tscmon_sweep_ctx ctx = { .rounds = tscmon_rounds };
	ktime_t start = ktime_get();
	unsigned int cpu;

	lockdep_assert_held(&tscmon_sweep_mutex);
	for_each_possible_cpu(cpu)
		tscmon_results[cpu] = (struct tscmon_xchg_result){ 0 };

	cpus_read_lock();
	ctx.ref = tscmon_state_ref_cpu();
	if (!cpu_online(ctx.ref)) {
		cpus_read_unlock();
		pr_debug("reference CPU %u is offline, no sweep\n", ctx.ref);
		return -ENODEV;
	}
	tscmon_results[ctx.ref].measured = 1;
	work_on_cpu(ctx.ref, tscmon_sweep_on_ref, &ctx);
	tscmon_sweep_adjust();
	/*
	 * Publish before CPUs may come and go again: once an offline write
	 * has returned, no sample of that CPU can still appear.
	 */
	tscmon_state_publish(ctx.ref, tscmon_results,
			     ktime_to_ns(ktime_sub(ktime_get(), start)));
	cpus_read_unlock();
	return 0;
}

int tscmon_sweep_run(void)
{
	int ret;

	mutex_lock(&tscmon_sweep_mutex);
	ret = tscmon_sweep_locked();
	mutex_unlock(&tscmon_sweep_mutex);
	return ret;
}

static void tscmon_sweep_arm(void)
{
	lockdep_assert_held(&tscmon_sweep_mutex);
	if (tscmon_sweep_stopping || !tscmon_interval_ms)
		cancel_delayed_work(&tscmon_sweep_dwork);
	else
		mod_delayed_work(system_unbound_wq, &tscmon_sweep_dwork,
				 msecs_to_jiffies(tscmon_interval_ms));
}

static void tscmon_sweep_periodic(struct work_struct *work)
{
	mutex_lock(&tscmon_sweep_mutex);
	if (!tscmon_sweep_stopping) {
		tscmon_sweep_locked();
		tscmon_sweep_arm();
	}
	mutex_unlock(&tscmon_sweep_mutex);
}

unsigned int tscmon_sweep_interval(void)
{
	return READ_ONCE(tscmon_interval_ms);
}

int tscmon_sweep_set_interval(unsigned int ms)
{
	if (ms > TSCMON_INTERVAL_MAX)
		return -EINVAL;
	mutex_lock(&tscmon_sweep_mutex);
	WRITE_ONCE(tscmon_interval_ms, ms);
	tscmon_sweep_arm();
	mutex_unlock(&tscmon_sweep_mutex);
	return 0;
}

unsigned int tscmon_sweep_rounds(void)
{
	return READ_ONCE(tscmon_rounds);
}

int tscmon_sweep_set_rounds(unsigned int rounds)
{
	if (rounds < 1 || rounds > TSCMON_ROUNDS_MAX)
		return -EINVAL;
	mutex_lock(&tscmon_sweep_mutex);
	WRITE_ONCE(tscmon_rounds, rounds);
	mutex_unlock(&tscmon_sweep_mutex);
	return 0;
}

int tscmon_sweep_reset(void)
{
	mutex_lock(&tscmon_sweep_mutex);
	tscmon_state_reset();
	mutex_unlock(&tscmon_sweep_mutex);
	return 0;
}

int tscmon_sweep_start(void)
{
	tscmon_results = kcalloc(nr_cpu_ids, sizeof(*tscmon_results),
				 GFP_KERNEL);
	if (!tscmon_results)
		return -ENOMEM;

	INIT_DELAYED_WORK(&tscmon_sweep_dwork, tscmon_sweep_periodic);
	mutex_lock(&tscmon_sweep_mutex);
	tscmon_sweep_stopping = false;
	tscmon_sweep_arm();
	mutex_unlock(&tscmon_sweep_mutex);
	return 0;
}

void tscmon_sweep_stop(void)
{
	mutex_lock(&tscmon_sweep_mutex);
	tscmon_sweep_stopping = true;
	mutex_unlock(&tscmon_sweep_mutex);
	cancel_delayed_work_sync(&tscmon_sweep_dwork);
	kfree(tscmon_results);
	tscmon_results = NULL;
}
