// SPDX-License-Identifier: GPL-2.0
/*
 * The files under /sys/kernel/debug/tscmon/. Their format is an ABI:
 * docs/debugfs.md describes every file and column, and a change of meaning
 * bumps TSCMON_ABI.
 *
 * Control writes take one decimal number and nothing else; anything else
 * fails with -EINVAL and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "tscmon.h"

/* Room for a 32-bit decimal number and a newline, with margin. */
#define TSCMON_WRITE_MAX	24

static struct dentry *tscmon_dir;

/*
 * Copies a control write into buf (size bytes) as a string without its one
 * optional trailing newline. Rejects writes at an offset, empty writes,
 * writes holding a NUL byte and writes that do not fit.
 */
int tscmon_debugfs_parse(const char __user *ubuf, size_t count, loff_t *ppos,
			 char *buf, size_t size)
{
	if (*ppos != 0 || count == 0 || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	/* An embedded NUL would cut the value short: refuse it. */
	if (strlen(buf) != count)
		return -EINVAL;
	if (buf[count - 1] == '\n')
		buf[--count] = '\0';
	return count ? 0 : -EINVAL;
}

/* One unsigned decimal number: digits only, no sign, no spaces. */
static int tscmon_debugfs_parse_uint(const char __user *ubuf, size_t count,
				     loff_t *ppos, unsigned int *val)
{
	char buf[TSCMON_WRITE_MAX];
	size_t i;
	int ret;

	ret = tscmon_debugfs_parse(ubuf, count, ppos, buf, sizeof(buf));
	if (ret)
		return ret;
	for (i = 0; buf[i]; i++)
		if (!isdigit(buf[i]))
			return -EINVAL;
	/* Out of range is invalid input too (kstrto* says -ERANGE). */
	return kstrtouint(buf, 10, val) ? -EINVAL : 0;
}

static int tscmon_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "tscmon %s abi %d\n", TSCMON_VERSION, TSCMON_ABI);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tscmon_version);

#define TSCMON_REPORT_FOPS(name)					\
static int tscmon_##name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, tscmon_report_##name, NULL);		\
}									\
static const struct file_operations tscmon_##name##_fops = {		\
	.owner = THIS_MODULE,						\
	.open = tscmon_##name##_open,					\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

TSCMON_REPORT_FOPS(summary);
TSCMON_REPORT_FOPS(cpus);
TSCMON_REPORT_FOPS(histogram);
TSCMON_REPORT_FOPS(warps);

#define TSCMON_TABLE_FOPS(name, show)					\
static int tscmon_##name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, show, NULL);				\
}									\
static const struct file_operations tscmon_##name##_fops = {		\
	.owner = THIS_MODULE,						\
	.open = tscmon_##name##_open,					\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

TSCMON_TABLE_FOPS(idle, tscmon_idle_show);
TSCMON_TABLE_FOPS(freq, tscmon_freq_show);
TSCMON_TABLE_FOPS(events, tscmon_events_show);

/*
 * The event settings: which one a file is comes from its private data
 * (i_private, then the seq_file's).
 */
enum { TSCMON_SET_CYCLES, TSCMON_SET_PPB, TSCMON_SET_RING };

static unsigned long tscmon_set_which(struct file *file)
{
	return (unsigned long)file_inode(file)->i_private;
}

static int tscmon_set_show(struct seq_file *m, void *v)
{
	switch ((unsigned long)m->private) {
	case TSCMON_SET_CYCLES:
		seq_printf(m, "%u\n", tscmon_events_threshold(false));
		break;
	case TSCMON_SET_PPB:
		seq_printf(m, "%u\n", tscmon_events_threshold(true));
		break;
	default:
		seq_printf(m, "%u\n", tscmon_events_ring_size());
	}
	return 0;
}

static int tscmon_set_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_set_show, inode->i_private);
}

static ssize_t tscmon_set_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	unsigned long which = tscmon_set_which(file);
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (ret)
		return ret;
	if (which == TSCMON_SET_RING)
		ret = tscmon_events_set_ring_size(v);
	else
		tscmon_events_set_threshold(which == TSCMON_SET_PPB, v);
	return ret ? ret : count;
}

static const struct file_operations tscmon_set_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_set_open,
	.read = seq_read,
	.write = tscmon_set_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int tscmon_interval_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", tscmon_sweep_interval());
	return 0;
}

static int tscmon_interval_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_interval_show, NULL);
}

static ssize_t tscmon_interval_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret)
		ret = tscmon_sweep_set_interval(v);
	return ret ? ret : count;
}

static const struct file_operations tscmon_interval_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_interval_open,
	.read = seq_read,
	.write = tscmon_interval_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int tscmon_rounds_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", tscmon_sweep_rounds());
	return 0;
}

static int tscmon_rounds_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_rounds_show, NULL);
}

static ssize_t tscmon_rounds_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret)
		ret = tscmon_sweep_set_rounds(v);
	return ret ? ret : count;
}

static const struct file_operations tscmon_rounds_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_rounds_open,
	.read = seq_read,
	.write = tscmon_rounds_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t tscmon_sweep_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret && v != 1)
		ret = -EINVAL;
	if (!ret)
		ret = tscmon_sweep_run();
	return ret ? ret : count;
}

static const struct file_operations tscmon_sweep_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tscmon_sweep_write,
	.llseek = default_llseek,
};

static ssize_t tscmon_reset_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret && v != 1)
		ret = -EINVAL;
	if (!ret)
		ret = tscmon_sweep_reset();
	return ret ? ret : count;
}

static const struct file_operations tscmon_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tscmon_reset_write,
	.llseek = default_llseek,
};

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
	debugfs_create_file("summary", 0400, tscmon_dir, NULL,
			    &tscmon_summary_fops);
	debugfs_create_file("cpus", 0400, tscmon_dir, NULL, &tscmon_cpus_fops);
	debugfs_create_file("histogram", 0400, tscmon_dir, NULL,
			    &tscmon_histogram_fops);
	debugfs_create_file("warps", 0400, tscmon_dir, NULL,
			    &tscmon_warps_fops);
	debugfs_create_file("idle", 0400, tscmon_dir, NULL, &tscmon_idle_fops);
	debugfs_create_file("freq", 0400, tscmon_dir, NULL, &tscmon_freq_fops);
	debugfs_create_file("events", 0400, tscmon_dir, NULL,
			    &tscmon_events_fops);
	debugfs_create_file("event_threshold_cycles", 0600, tscmon_dir,
			    (void *)TSCMON_SET_CYCLES, &tscmon_set_fops);
	debugfs_create_file("event_threshold_ppb", 0600, tscmon_dir,
			    (void *)TSCMON_SET_PPB, &tscmon_set_fops);
	debugfs_create_file("event_ring_size", 0600, tscmon_dir,
			    (void *)TSCMON_SET_RING, &tscmon_set_fops);
	debugfs_create_file("interval_ms", 0600, tscmon_dir, NULL,
			    &tscmon_interval_fops);
	debugfs_create_file("rounds", 0600, tscmon_dir, NULL,
			    &tscmon_rounds_fops);
	debugfs_create_file("sweep", 0200, tscmon_dir, NULL,
			    &tscmon_sweep_fops);
	debugfs_create_file("reset", 0200, tscmon_dir, NULL,
			    &tscmon_reset_fops);
	tscmon_fault_create(tscmon_dir);
	return 0;
}

void tscmon_debugfs_remove(void)
{
	debugfs_remove_recursive(tscmon_dir);
}
