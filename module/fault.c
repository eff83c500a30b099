// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only stamp injection, built only with TSCMON_FAULT_INJECT=1: the TSC
 * of a TCG guest cannot be skewed from inside, so the tests skew the
 * sampler's own stamps. fault_offset adds a constant to every stamp taken
 * on a CPU, fault_drift_ppb a drift that grows from the moment of the
 * write, fault_rate_ppb a drift common to every CPU, which leaves the skews
 * alone and moves only the rate that rate.c measures. Writes go in under
 * the sweep mutex, so a sweep sees a setting whole or not at all; a rate
 * write then restarts rate.c's window, so no window mixes two settings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <asm/tsc.h>

#include "tscmon.h"

#define TSCMON_FAULT_WRITE_MAX		48
#define TSCMON_FAULT_OFFSET_MAX		1000000000000LL	/* cycles */
#define TSCMON_FAULT_PPB_MAX		100000000LL	/* 10 % */

struct tscmon_fault {
	s64 offset;		/* cycles added to every stamp */
	s64 ppb;		/* drift added since 'since' */
	u64 since;		/* TSC when the drift was set */
};

static DEFINE_PER_CPU(struct tscmon_fault, tscmon_fault);
static struct tscmon_fault tscmon_fault_rate;	/* ppb and since only */

u64 tscmon_fault_stamp(unsigned int cpu, u64 tsc)
{
	const struct tscmon_fault *f = per_cpu_ptr(&tscmon_fault, cpu);
	s64 off = READ_ONCE(f->offset), ppb = READ_ONCE(f->ppb);
	u64 since = READ_ONCE(f->since);

	if (ppb && (s64)(tsc - since) > 0)
		off += tscmon_scale_ppb(ppb, tsc - since);
	ppb = READ_ONCE(tscmon_fault_rate.ppb);
	since = READ_ONCE(tscmon_fault_rate.since);
	if (ppb && (s64)(tsc - since) > 0)
		off += tscmon_scale_ppb(ppb, tsc - since);
	return tsc + off;
}

/* Parses "CPU VALUE" (VALUE signed, |VALUE| <= max). */
static int tscmon_fault_parse(const char __user *ubuf, size_t count,
			      loff_t *ppos, s64 max, unsigned int *cpu,
			      s64 *val)
{
	char buf[TSCMON_FAULT_WRITE_MAX], *sep, *num;
	int ret;

	ret = tscmon_debugfs_parse(ubuf, count, ppos, buf, sizeof(buf));
	if (ret)
		return ret;
	sep = strchr(buf, ' ');
	if (!sep)
		return -EINVAL;
	*sep = '\0';
	num = sep + 1;
	if (tscmon_debugfs_uint(buf, cpu) || tscmon_debugfs_s64(num, max, val))
		return -EINVAL;
	if (*cpu >= nr_cpu_ids || !cpu_possible(*cpu))
		return -EINVAL;
	return 0;
}

static int tscmon_fault_offset_show(struct seq_file *m, void *v)
{
	unsigned int cpu;
	s64 off;

	for_each_possible_cpu(cpu) {
		off = READ_ONCE(per_cpu(tscmon_fault, cpu).offset);
		if (off)
			seq_printf(m, "%u %lld\n", cpu, off);
	}
	return 0;
}

static int tscmon_fault_offset_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_fault_offset_show, NULL);
}

static ssize_t tscmon_fault_offset_write(struct file *file,
					 const char __user *ubuf, size_t count,
					 loff_t *ppos)
{
	unsigned int cpu;
	s64 val;
	int ret;

	ret = tscmon_fault_parse(ubuf, count, ppos, TSCMON_FAULT_OFFSET_MAX,
				 &cpu, &val);
	if (ret)
		return ret;
	tscmon_sweep_lock();
	WRITE_ONCE(per_cpu(tscmon_fault, cpu).offset, val);
	tscmon_sweep_unlock();
	return count;
}

static const struct file_operations tscmon_fault_offset_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_fault_offset_open,
	.read = seq_read,
	.write = tscmon_fault_offset_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int tscmon_fault_drift_show(struct seq_file *m, void *v)
{
	unsigned int cpu;
	s64 ppb;

	for_each_possible_cpu(cpu) {
		ppb = READ_ONCE(per_cpu(tscmon_fault, cpu).ppb);
		if (ppb)
			seq_printf(m, "%u %lld\n", cpu, ppb);
	}
	return 0;
}

static int tscmon_fault_drift_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_fault_drift_show, NULL);
}

static ssize_t tscmon_fault_drift_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	struct tscmon_fault *f;
	unsigned int cpu;
	s64 val;
	int ret;

	ret = tscmon_fault_parse(ubuf, count, ppos, TSCMON_FAULT_PPB_MAX,
				 &cpu, &val);
	if (ret)
		return ret;
	f = per_cpu_ptr(&tscmon_fault, cpu);
	tscmon_sweep_lock();
	WRITE_ONCE(f->since, rdtsc());
	WRITE_ONCE(f->ppb, val);
	tscmon_sweep_unlock();
	return count;
}

static const struct file_operations tscmon_fault_drift_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_fault_drift_open,
	.read = seq_read,
	.write = tscmon_fault_drift_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int tscmon_fault_rate_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lld\n", READ_ONCE(tscmon_fault_rate.ppb));
	return 0;
}

static int tscmon_fault_rate_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_fault_rate_show, NULL);
}

/* "PPB", signed, |PPB| <= TSCMON_FAULT_PPB_MAX; 0 clears it. */
static ssize_t tscmon_fault_rate_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	char buf[TSCMON_FAULT_WRITE_MAX];
	s64 val;
	int ret;

	ret = tscmon_debugfs_parse(ubuf, count, ppos, buf, sizeof(buf));
	if (ret)
		return ret;
	if (tscmon_debugfs_s64(buf, TSCMON_FAULT_PPB_MAX, &val))
		return -EINVAL;
	tscmon_sweep_lock();
	WRITE_ONCE(tscmon_fault_rate.since, rdtsc());
	WRITE_ONCE(tscmon_fault_rate.ppb, val);
	tscmon_sweep_unlock();
	tscmon_rate_restart();
	return count;
}

static const struct file_operations tscmon_fault_rate_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_fault_rate_open,
	.read = seq_read,
	.write = tscmon_fault_rate_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void tscmon_fault_create(struct dentry *dir)
{
	debugfs_create_file("fault_offset", 0600, dir, NULL,
			    &tscmon_fault_offset_fops);
	debugfs_create_file("fault_drift_ppb", 0600, dir, NULL,
			    &tscmon_fault_drift_fops);
	debugfs_create_file("fault_rate_ppb", 0600, dir, NULL,
			    &tscmon_fault_rate_fops);
	pr_warn("fault injection build: sampler stamps can be falsified through debugfs\n");
}
