// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon: measures how far the Time Stamp Counters of the online CPUs stand
 * apart, and what the CPUs were doing (idle states, frequency changes) when
 * that changed. Everything is reported under /sys/kernel/debug/tscmon/
 * (docs/debugfs.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "tscmon.h"

static int __init tscmon_init(void)
{
	int ret;

	ret = tscmon_idle_start();
	if (ret)
		return ret;

	ret = tscmon_debugfs_create();
	if (ret)
		goto stop_idle;

	pr_debug("loaded, abi %d\n", TSCMON_ABI);
	return 0;

stop_idle:
	tscmon_idle_stop();
	return ret;
}

static void __exit tscmon_exit(void)
{
	tscmon_debugfs_remove();
	tscmon_idle_stop();
}

module_init(tscmon_init);
module_exit(tscmon_exit);

MODULE_DESCRIPTION("TSC skew, idle and frequency transition monitor");
MODULE_AUTHOR("The tscmon developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(TSCMON_VERSION);
