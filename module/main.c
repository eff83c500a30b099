// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon: measures how far the Time Stamp Counters of the online CPUs stand
 * apart, with a stated uncertainty, and what the CPUs were doing (idle
 * states, frequency changes) when that changed. Everything is reported
 * under /sys/kernel/debug/tscmon/ (docs/debugfs.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "tscmon.h"

static int __init tscmon_init(void)
{
	int ret;

	ret = tscmon_state_init();
	if (ret)
		return ret;

	ret = tscmon_events_init();
	if (ret)
		goto exit_state;

	ret = tscmon_idle_start();
	if (ret)
		goto exit_events;

	ret = tscmon_freq_start();
	if (ret)
		goto stop_idle;

	ret = tscmon_hotplug_start();
	if (ret)
		goto stop_freq;

	ret = tscmon_sweep_start();
	if (ret)
		goto stop_hotplug;

	ret = tscmon_rate_start();
	if (ret)
		goto stop_sweep;

	ret = tscmon_debugfs_create();
	if (ret)
		goto stop_rate;

	pr_debug("loaded, abi %d, reference CPU %u\n", TSCMON_ABI,
		 tscmon_state_ref_cpu());
	return 0;

stop_rate:
	tscmon_rate_stop();
stop_sweep:
	tscmon_sweep_stop();
stop_hotplug:
	tscmon_hotplug_stop();
stop_freq:
	tscmon_freq_stop();
stop_idle:
	tscmon_idle_stop();
exit_events:
	tscmon_events_exit();
exit_state:
	tscmon_state_exit();
	return ret;
}

static void __exit tscmon_exit(void)
{
	tscmon_debugfs_remove();
	tscmon_rate_stop();
	tscmon_sweep_stop();
	tscmon_hotplug_stop();
	tscmon_freq_stop();
	tscmon_idle_stop();
	tscmon_events_exit();
	tscmon_state_exit();
}

module_init(tscmon_init);
module_exit(tscmon_exit);

MODULE_DESCRIPTION("TSC skew, idle and frequency transition monitor");
MODULE_AUTHOR("The tscmon developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(TSCMON_VERSION);
