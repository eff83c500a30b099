// SPDX-License-Identifier: GPL-2.0
/*
 * Idle entries per CPU, counted from the power:cpu_idle tracepoint.
 *
 * The probe runs on the idle path of every CPU, so it touches only this
 * CPU's own counter: no locks, no atomics, no shared cache lines.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/tracepoint.h>
#include <trace/events/power.h>

#include "tscmon.h"

struct tscmon_idle {
	u64 entries;
};

static DEFINE_PER_CPU(struct tscmon_idle, tscmon_idle);

static void tscmon_idle_probe(void *data, unsigned int state,
			      unsigned int cpu_id)
{
	if (state == PWR_EVENT_EXIT)
		return;
	this_cpu_inc(tscmon_idle.entries);
}

u64 tscmon_idle_entries(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tscmon_idle, cpu).entries);
}

int tscmon_idle_start(void)
{
	int ret;

	ret = register_trace_cpu_idle(tscmon_idle_probe, NULL);
	if (ret)
		pr_err("cannot attach to power:cpu_idle (%d)\n", ret);
	return ret;
}

void tscmon_idle_stop(void)
{
	unregister_trace_cpu_idle(tscmon_idle_probe, NULL);
	/* No probe may still be running once the module text goes away. */
	tracepoint_synchronize_unregister();
}
