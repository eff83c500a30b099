// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon_test_cpufreq - a test-only cpufreq driver for tscmon's selftests.
 *
 * A QEMU TCG guest has no cpufreq driver, so no frequency transition ever
 * happens there. This driver gives each CPU its own policy over a
 * three-entry table (1, 2 and 3 GHz). target_index() records the chosen
 * entry and get() reports it: nothing changes in the (virtual) hardware, but
 * every change goes through the core's transition path, so the transition
 * notifiers, the power:cpu_frequency tracepoint and cpufreq/stats see it.
 * With the userspace governor, each write of a different frequency to
 * scaling_setspeed is one transition.
 *
 * No CPUFREQ_CONST_LOOPS: a CPU without constant_tsc is being modelled, so
 * on an SMP guest the first transition makes the kernel mark the TSC
 * unstable ("cpufreq changes on SMP"), exactly as on such hardware.
 *
 * Never installed; built only for the test guests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/module.h>
#include <linux/percpu.h>

#include "compat.h"

/* Reported by cpuinfo_transition_latency; no governor here depends on it. */
#define TSCMON_TEST_FREQ_LATENCY_NS	(10 * NSEC_PER_USEC)

/* kHz; the last entry is where every CPU starts. */
static struct cpufreq_frequency_table tscmon_test_freq_table[] = {
	{ .frequency = 1000000 },
	{ .frequency = 2000000 },
	{ .frequency = 3000000 },
	{ .frequency = CPUFREQ_TABLE_END },
};

#define TSCMON_TEST_FREQ_START	(ARRAY_SIZE(tscmon_test_freq_table) - 2)

/*
 * The table index each CPU "runs" at. It outlives the policy, so a CPU that
 * goes offline and comes back reports the frequency it had.
 */
static DEFINE_PER_CPU(unsigned int, tscmon_test_freq_index);

static int tscmon_test_freq_init(struct cpufreq_policy *policy)
{
	/*
	 * One policy per CPU: the core has already set policy->cpus to this
	 * CPU alone. It derives cpuinfo.min_freq and cpuinfo.max_freq from
	 * the table (cpufreq_table_validate_and_sort()) after this returns.
	 */
	policy->freq_table = tscmon_test_freq_table;
	policy->cpuinfo.transition_latency = TSCMON_TEST_FREQ_LATENCY_NS;
	return 0;
}

static int tscmon_test_freq_target_index(struct cpufreq_policy *policy,
					 unsigned int index)
{
	unsigned int cpu;

	for_each_cpu(cpu, policy->cpus)
		WRITE_ONCE(per_cpu(tscmon_test_freq_index, cpu), index);
	return 0;
}

static unsigned int tscmon_test_freq_get(unsigned int cpu)
{
	unsigned int index = READ_ONCE(per_cpu(tscmon_test_freq_index, cpu));

	return tscmon_test_freq_table[index].frequency;
}

static struct cpufreq_driver tscmon_test_freq_driver = {
	.name = "tscmon_test",
	/*
	 * No CPUFREQ_ASYNC_NOTIFICATION: the core then wraps every
	 * target_index() call in the PRECHANGE/POSTCHANGE notifications that
	 * cpufreq/stats counts and power:cpu_frequency reports.
	 *
	 * CPUFREQ_NO_AUTO_DYNAMIC_SWITCHING: a policy starts under the
	 * performance governor instead of the kernel's default (schedutil on
	 * Debian), which holds the start frequency, the top entry. No
	 * transition happens until a test picks a governor and asks for one.
	 * The core logs "Can't use schedutil governor as dynamic switching is
	 * disallowed" once per policy; that is expected.
	 */
	.flags = CPUFREQ_NEED_INITIAL_FREQ_CHECK |
		 CPUFREQ_NO_AUTO_DYNAMIC_SWITCHING,
	.init = tscmon_test_freq_init,
	.verify = cpufreq_generic_frequency_table_verify,
	.target_index = tscmon_test_freq_target_index,
	.get = tscmon_test_freq_get,
	.attr = TSCMON_TEST_CPUFREQ_ATTR,
};

static int __init tscmon_test_freq_module_init(void)
{
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu)
		per_cpu(tscmon_test_freq_index, cpu) = TSCMON_TEST_FREQ_START;

	ret = cpufreq_register_driver(&tscmon_test_freq_driver);
	if (ret) {
		/* -EEXIST: another driver is registered; -ENODEV: cpufreq off */
		pr_err("cpufreq_register_driver failed: %d\n", ret);
		return ret;
	}
	pr_info("registered, %u kHz to %u kHz\n",
		tscmon_test_freq_table[0].frequency,
		tscmon_test_freq_table[TSCMON_TEST_FREQ_START].frequency);
	return 0;
}

static void __exit tscmon_test_freq_module_exit(void)
{
	cpufreq_unregister_driver(&tscmon_test_freq_driver);
}

module_init(tscmon_test_freq_module_init);
module_exit(tscmon_test_freq_module_exit);

MODULE_DESCRIPTION("tscmon test-only cpufreq driver: three-entry table, no hardware");
MODULE_LICENSE("GPL");
