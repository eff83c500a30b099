/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels the test-only drivers build against,
 * kept here so that the .c files carry no version tests.
 */
#ifndef TSCMON_TEST_COMPAT_H
#define TSCMON_TEST_COMPAT_H

#include <linux/cpufreq.h>
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

#endif /* TSCMON_TEST_COMPAT_H */
