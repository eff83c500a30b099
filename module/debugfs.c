// SPDX-License-Identifier: GPL-2.0
/*
 * The files under /sys/kernel/debug/tscmon/. Their format is an ABI:
 * docs/debugfs.md describes every file and column, and a change of meaning
 * bumps TSCMON_ABI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "tscmon.h"

static struct dentry *tscmon_dir;

static int tscmon_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "tscmon %s abi %d\n", TSCMON_VERSION, TSCMON_ABI);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tscmon_version);

static int tscmon_cpus_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_puts(m, "cpu online idle_entries\n");
	for_each_possible_cpu(cpu)
		seq_printf(m, "%u %d %llu\n", cpu, cpu_online(cpu),
			   tscmon_idle_entries(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tscmon_cpus);

int tscmon_debugfs_create(void)
{
	tscmon_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(tscmon_dir)) {
		pr_err("cannot create the debugfs directory (%ld)\n",
		       PTR_ERR(tscmon_dir));
		return PTR_ERR(tscmon_dir);
	}

	debugfs_create_file("version", 0400, tscmon_dir, NULL,
			    &tscmon_version_fops);
	debugfs_create_file("cpus", 0400, tscmon_dir, NULL, &tscmon_cpus_fops);
	return 0;
}

void tscmon_debugfs_remove(void)
{
	debugfs_remove_recursive(tscmon_dir);
}
