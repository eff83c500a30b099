// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel itself thinks of the TSC: whether it has marked it
 * unstable, the CPU feature bits it trusts, IA32_TSC_ADJUST, and the
 * clocksource in use.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "tscmon.h"

/*
 * check_tsc_unstable() is exported on every kernel tscmon supports and reads
 * the flag mark_tsc_unstable() sets, whichever path got there: the boot
 * time sync check ("TSCs unsynchronized"), the clocksource watchdog
 * (through the TSC clocksource's mark_unstable callback), cpufreq changes
 * without constant_tsc, or tsc=unstable.
 */
bool tscmon_kinfo_tsc_unstable(void)
{
	return check_tsc_unstable();
}

/*
 * No kernel from 6.1 to 7.2 exports the current clocksource: curr_clocksource
 * is static in kernel/time/clocksource.c. ktime_get_snapshot() does say
 * which clocksource took the snapshot, by id, and newer kernels give the TSC
 * and kvm-clock ids of their own (compat.h). Anything else is "other"; the
 * client reads the full name from sysfs.
 */
const char *tscmon_kinfo_clocksource(void)
{
	return tscmon_clocksource_kind();
}

void tscmon_kinfo_features(struct seq_file *m)
{
	seq_printf(m, "constant_tsc %d\n", boot_cpu_has(X86_FEATURE_CONSTANT_TSC));
	seq_printf(m, "nonstop_tsc %d\n", boot_cpu_has(X86_FEATURE_NONSTOP_TSC));
	seq_printf(m, "tsc_adjust %d\n", boot_cpu_has(X86_FEATURE_TSC_ADJUST));
	seq_printf(m, "tsc_reliable %d\n", boot_cpu_has(X86_FEATURE_TSC_RELIABLE));
	seq_printf(m, "tsc_known_freq %d\n",
		   boot_cpu_has(X86_FEATURE_TSC_KNOWN_FREQ));
}

/* IA32_TSC_ADJUST of an online CPU; -ENODEV without the feature. */
int tscmon_kinfo_tsc_adjust(unsigned int cpu, s64 *val)
{
	u64 v;
	int ret;

	if (!boot_cpu_has(X86_FEATURE_TSC_ADJUST))
		return -ENODEV;
	ret = tscmon_rdmsr_safe_on_cpu(cpu, MSR_IA32_TSC_ADJUST, &v);
	if (ret)
		return ret;
	*val = (s64)v;
	return 0;
}
