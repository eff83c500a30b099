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

/* At least one character, and every one a decimal digit. */
static bool tscmon_debugfs_digits(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit(*p))
			return false;
	return true;
}

/* An unsigned decimal number: digits only, no sign, no spaces. */
int tscmon_debugfs_uint(const char *s, unsigned int *val)
{
	if (!tscmon_debugfs_digits(s))
		return -EINVAL;
	/* Out of range is invalid input too (kstrto* says -ERANGE). */
	return kstrtouint(s, 10, val) ? -EINVAL : 0;
}

/* A signed decimal number with |value| <= max: an optional sign, digits. */
int tscmon_debugfs_s64(const char *s, s64 max, s64 *val)
{
	if (!tscmon_debugfs_digits(*s == '-' || *s == '+' ? s + 1 : s))
		return -EINVAL;
	if (kstrtos64(s, 10, val) || *val > max || *val < -max)
		return -EINVAL;
	return 0;
}

static int tscmon_debugfs_parse_uint(const char __user *ubuf, size_t count,
				     loff_t *ppos, unsigned int *val)
{
	char buf[TSCMON_WRITE_MAX];
	int ret;

	ret = tscmon_debugfs_parse(ubuf, count, ppos, buf, sizeof(buf));
	return ret ? ret : tscmon_debugfs_uint(buf, val);
}

static int tscmon_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "tscmon %s abi %d\n", TSCMON_VERSION, TSCMON_ABI);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tscmon_version);

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

TSCMON_TABLE_FOPS(summary, tscmon_report_summary);
TSCMON_TABLE_FOPS(cpus, tscmon_report_cpus);
TSCMON_TABLE_FOPS(histogram, tscmon_report_histogram);
TSCMON_TABLE_FOPS(warps, tscmon_report_warps);
TSCMON_TABLE_FOPS(idle, tscmon_idle_show);
TSCMON_TABLE_FOPS(freq, tscmon_freq_show);
TSCMON_TABLE_FOPS(events, tscmon_events_show);

/*
 * A setting: a file holding one unsigned number, read back as written. The
 * setter validates the range and returns -EINVAL (keeping the old value)
 * for one it refuses.
 */
struct tscmon_setting {
	const char *name;
	unsigned int (*get)(void);
	int (*set)(unsigned int v);
};

static unsigned int tscmon_threshold_cycles(void)
{
	return tscmon_events_threshold(false);
}

static int tscmon_set_threshold_cycles(unsigned int v)
{
	tscmon_events_set_threshold(false, v);
	return 0;
}

static unsigned int tscmon_threshold_ppb(void)
{
	return tscmon_events_threshold(true);
}

static int tscmon_set_threshold_ppb(unsigned int v)
{
	tscmon_events_set_threshold(true, v);
	return 0;
}

static const struct tscmon_setting tscmon_settings[] = {
	{ "event_threshold_cycles", tscmon_threshold_cycles,
	  tscmon_set_threshold_cycles },
	{ "event_threshold_ppb", tscmon_threshold_ppb,
	  tscmon_set_threshold_ppb },
	{ "event_ring_size", tscmon_events_ring_size,
	  tscmon_events_set_ring_size },
	{ "interval_ms", tscmon_sweep_interval, tscmon_sweep_set_interval },
	{ "rounds", tscmon_sweep_rounds, tscmon_sweep_set_rounds },
};

static int tscmon_setting_show(struct seq_file *m, void *v)
{
	const struct tscmon_setting *s = m->private;

	seq_printf(m, "%u\n", s->get());
	return 0;
}

static int tscmon_setting_open(struct inode *inode, struct file *file)
{
	return single_open(file, tscmon_setting_show, inode->i_private);
}

static ssize_t tscmon_setting_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	const struct tscmon_setting *s = file_inode(file)->i_private;
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret)
		ret = s->set(v);
	return ret ? ret : count;
}

static const struct file_operations tscmon_setting_fops = {
	.owner = THIS_MODULE,
	.open = tscmon_setting_open,
	.read = seq_read,
	.write = tscmon_setting_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* An action: a write-only file that runs something when given "1". */
struct tscmon_action {
	const char *name;
	int (*run)(void);
};

static const struct tscmon_action tscmon_actions[] = {
	{ "sweep", tscmon_sweep_run },
	{ "reset", tscmon_sweep_reset },
};

static ssize_t tscmon_action_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	const struct tscmon_action *a = file->private_data;
	unsigned int v;
	int ret;

	ret = tscmon_debugfs_parse_uint(ubuf, count, ppos, &v);
	if (!ret && v != 1)
		ret = -EINVAL;
	if (!ret)
		ret = a->run();
	return ret ? ret : count;
}

static const struct file_operations tscmon_action_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tscmon_action_write,
	.llseek = default_llseek,
};

int tscmon_debugfs_create(void)
{
	unsigned int i;

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
	for (i = 0; i < ARRAY_SIZE(tscmon_settings); i++)
		debugfs_create_file(tscmon_settings[i].name, 0600, tscmon_dir,
				    (void *)&tscmon_settings[i],
				    &tscmon_setting_fops);
	for (i = 0; i < ARRAY_SIZE(tscmon_actions); i++)
		debugfs_create_file(tscmon_actions[i].name, 0200, tscmon_dir,
				    (void *)&tscmon_actions[i],
				    &tscmon_action_fops);
	tscmon_fault_create(tscmon_dir);
	return 0;
}

void tscmon_debugfs_remove(void)
{
	debugfs_remove_recursive(tscmon_dir);
}
