// SPDX-License-Identifier: GPL-2.0
/*
 * CPUs coming and going. A sweep holds hotplug off while it runs, so the
 * callbacks only keep the online column current; an offline CPU keeps its
 * history in state.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>

#include "tscmon.h"

static int tscmon_hotplug_state;

static int tscmon_hotplug_online(unsigned int cpu)
{
	tscmon_state_set_online(cpu, true, true);
	return 0;
}

static int tscmon_hotplug_offline(unsigned int cpu)
{
	tscmon_state_set_online(cpu, false, true);
	return 0;
}

int tscmon_hotplug_start(void)
{
	unsigned int cpu;
	int ret;

	/* Under the hotplug lock, the mask cannot change before we listen. */
	cpus_read_lock();
	for_each_online_cpu(cpu)
		tscmon_state_set_online(cpu, true, false);
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "tscmon:online",
						   tscmon_hotplug_online,
						   tscmon_hotplug_offline);
	cpus_read_unlock();
	if (ret < 0) {
		pr_err("cannot register a CPU hotplug state (%d)\n", ret);
		return ret;
	}
	tscmon_hotplug_state = ret;
	return 0;
}

void tscmon_hotplug_stop(void)
{
	cpuhp_remove_state_nocalls(tscmon_hotplug_state);
}
