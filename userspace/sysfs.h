/* SPDX-License-Identifier: GPL-2.0 */
/* sysfs inputs: clocksource, cpufreq, cpuidle and DMI. */
#ifndef TSCMON_SYSFS_H
#define TSCMON_SYSFS_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct clocksource_info {
	const char *current;     /* NULL if unreadable */
	struct strlist available;
};

#define SYSFS_MAX_FREQS 64
#define SYSFS_MAX_STATES 16

struct cpufreq_cpu {
	int cpu;
	const char *driver, *governor;
	int64_t avail[SYSFS_MAX_FREQS]; /* kHz */
	size_t navail;
	int64_t cpuinfo_max, cpuinfo_min, scaling_min, scaling_max, cur;
	int64_t total_trans;   /* stats/total_trans, -1 if absent */
};

struct cpuidle_state {
	const char *name;
	int64_t usage, time_us; /* -1 if unreadable */
	bool deep;              /* a C-state deeper than C1 */
};

struct cpuidle_cpu {
	int cpu;
	size_t nstates;
	struct cpuidle_state states[SYSFS_MAX_STATES];
};

struct sysfs_data {
	struct clocksource_info cs;
	int ncpus_dirs;                 /* cpuN directories found */
	size_t nfreq;
	struct cpufreq_cpu *freq;       /* CPUs with a cpufreq directory, in
					 * ascending CPU order (as idle) */
	const char *idle_driver, *idle_governor;
	size_t nidle;
	struct cpuidle_cpu *idle;       /* CPUs with cpuidle states */
	const char *dmi_vendor, *dmi_product;
	const char *hypervisor_type;    /* sys/hypervisor/type (Xen) */
};

/* Read everything under ROOT; problems go to NOTES. */
void sysfs_read(struct arena *a, const char *root, struct sysfs_data *sd,
		struct strlist *notes);
/* Highest frequency in kHz over all CPUs (available list, else max). */
int64_t sysfs_max_freq(const struct sysfs_data *sd, const char **source);
/* Deep C-state entries summed over all CPUs; -1 if no cpuidle data. */
int64_t sysfs_deep_entries(const struct sysfs_data *sd, const char **names,
			   struct arena *a);
int64_t sysfs_total_trans(const struct sysfs_data *sd);
bool sysfs_cs_available(const struct sysfs_data *sd, const char *name);

#endif
