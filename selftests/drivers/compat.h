/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels the test-only drivers build against,
 * kept here so that the .c files carry no version tests.
 */
#ifndef TSCMON_TEST_COMPAT_H
#define TSCMON_TEST_COMPAT_H

#include <linux/cpufreq.h>
#include <linux/irqflags.h>
#include <linux/version.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "the tscmon test drivers need Linux 6.1 or later"
#endif

/*
 * Up to 6.12 a table-driven cpufreq driver listed cpufreq_generic_attr to get
 * scaling_available_frequencies; 6.13 made the core create that file for
 * every policy with a frequency table and removed cpufreq_generic_attr.
 */
#if KERNEL_VERSION(6, 13, 0) > LINUX_VERSION_CODE
#define TSCMON_TEST_CPUFREQ_ATTR	cpufreq_generic_attr
#else
#define TSCMON_TEST_CPUFREQ_ATTR	NULL
#endif

/*
 * Halt with interrupts enabled, then turn them off again. 6.3 made idle
 * entry noinstr: cpuidle_enter_state() keeps lockdep's view of the
 * interrupt state itself and a driver uses the raw helpers. Before that a
 * driver had to tell lockdep (as 6.1's acpi_safe_halt() does); with the raw
 * helpers lockdep believed interrupts were still on after the wakeup and
 * sched_clock_tick() warned on a lockdep kernel.
 */
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
static inline void tscmon_test_halt(void)
{
	safe_halt();
	local_irq_disable();
}
#else
static __always_inline void tscmon_test_halt(void)
{
	raw_safe_halt();
	raw_local_irq_disable();
}
#endif

#endif /* TSCMON_TEST_COMPAT_H */
