// SPDX-License-Identifier: GPL-2.0
/*
 * What the sweeps found. A sweep measures into its own buffer and then
 * publishes everything at once under tscmon_state.lock; readers print under
 * the same lock, so no reader ever sees part of one sweep and part of the
 * next.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/slab.h>
#include <asm/tsc.h>

#include "state.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct tscmon_state tscmon_state = {
	.lock = __MUTEX_INITIALIZER(tscmon_state.lock),
};

unsigned int tscmon_state_ref_cpu(void)
{
	return tscmon_state.ref;
}

/* event: a hotplug callback, not the initial marking at load. */
void tscmon_state_set_online(unsigned int cpu, bool online, bool event)
{
	WRITE_ONCE(tscmon_state.online[cpu], online);
	if (event)
		atomic_long_inc(&tscmon_state.hotplug_events);
}

static void tscmon_state_clear(void)
{
	struct tscmon_state *st = &tscmon_state;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		st->cpu[cpu] = (struct tscmon_cpu_rec){ 0 };
		tscmon_stats_init(&st->cpu[cpu].stats);
	}
	st->sweeps = 0;
	st->last_sweep_ns = 0;
	st->max_abs_skew = 0;
	st->max_uncertainty = 0;
	st->warps_total = 0;
	st->max_irqoff_ns = 0;
	st->rounds_lost = 0;
}

void tscmon_state_reset(void)
{
	mutex_lock(&tscmon_state.lock);
	tscmon_state_clear();
	tscmon_events_clear();
	mutex_unlock(&tscmon_state.lock);
}

/*
 * Folds one CPU's result of a sweep into its record, closes its idle and
 * frequency window, and raises the events the change calls for.
 */
static void tscmon_state_fold(struct tscmon_cpu_rec *rec, unsigned int cpu,
			      unsigned int ref,
			      const struct tscmon_xchg_result *r)
{
	struct tscmon_state *st = &tscmon_state;
	u64 irqoff_ns = tscmon_cycles_to_ns(r->irqoff_cycles, tsc_khz);
	struct tscmon_prev prev;

	rec->adjust_valid = r->adjust_valid;
	rec->tsc_adjust = r->tsc_adjust;
	if (irqoff_ns > st->max_irqoff_ns)
		st->max_irqoff_ns = irqoff_ns;
	st->rounds_lost += r->lost;

	if (cpu == ref) {
		tscmon_events_window(cpu, &rec->win);
		rec->measured = 1;
		rec->skew = 0;
		rec->uncertainty = 0;
		rec->rtt = 0;
		tscmon_stats_add(&rec->stats, 0, rdtsc());
		return;
	}
	if (!r->est.valid)
		return;

	/* A CPU the sweep did not reach keeps its window open. */
	tscmon_events_window(cpu, &rec->win);
	prev = (struct tscmon_prev){
		.valid = rec->measured,
		.skew = rec->skew,
		.uncertainty = rec->uncertainty,
		.t_ref = rec->stats.last_t,
		.drift_valid = rec->stats.drift_valid,
		.drift_ppb = rec->stats.drift_ppb,
		.drift_bound = rec->drift_bound,
	};
	rec->measured = 1;
	rec->skew = tscmon_est_skew(&r->est);
	rec->uncertainty = tscmon_est_uncertainty(&r->est);
	rec->rtt = r->est.rtt;
	tscmon_stats_add(&rec->stats, rec->skew, r->est.t_ref);
	rec->warps += r->est.warps;
	if (r->est.max_warp > rec->max_warp)
		rec->max_warp = r->est.max_warp;
	st->warps_total += r->est.warps;
	if (tscmon_abs64(rec->skew) > st->max_abs_skew)
		st->max_abs_skew = tscmon_abs64(rec->skew);
	if (rec->uncertainty > st->max_uncertainty)
		st->max_uncertainty = rec->uncertainty;
	trace_tscmon_skew(cpu, ref, rec->skew, rec->uncertainty, rec->rtt,
			  r->est.warps);
	tscmon_events_check(cpu, rec, &prev, st->sweeps + 1);
}

/* Publishes a sweep: res[cpu] for every CPU with res[cpu].measured set. */
void tscmon_state_publish(unsigned int ref,
			  const struct tscmon_xchg_result *res, u64 sweep_ns)
{
	struct tscmon_state *st = &tscmon_state;
	unsigned int cpu, cpus = 0;

	mutex_lock(&st->lock);
	st->max_abs_skew = 0;
	st->max_uncertainty = 0;
	for_each_possible_cpu(cpu) {
		if (!res[cpu].measured)
			continue;
		tscmon_state_fold(&st->cpu[cpu], cpu, ref, &res[cpu]);
		cpus++;
	}
	st->sweeps++;
	st->last_sweep_ns = sweep_ns;
	trace_tscmon_sweep(st->sweeps, ref, cpus, sweep_ns, st->max_abs_skew,
			   st->max_uncertainty, st->max_irqoff_ns);
	mutex_unlock(&st->lock);
}

int tscmon_state_init(void)
{
	struct tscmon_state *st = &tscmon_state;

	st->cpu = kcalloc(nr_cpu_ids, sizeof(*st->cpu), GFP_KERNEL);
	if (!st->cpu)
		return -ENOMEM;
	st->online = kcalloc(nr_cpu_ids, sizeof(*st->online), GFP_KERNEL);
	if (!st->online)
		goto free_cpu;

	st->ref = cpumask_first(cpu_online_mask);
	tscmon_state_clear();
	atomic_long_set(&st->hotplug_events, 0);
	return 0;

free_cpu:
	kfree(st->cpu);
	st->cpu = NULL;
	return -ENOMEM;
}

void tscmon_state_exit(void)
{
	kfree(tscmon_state.online);
	tscmon_state.online = NULL;
	kfree(tscmon_state.cpu);
	tscmon_state.cpu = NULL;
}
