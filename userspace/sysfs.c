// SPDX-License-Identifier: GPL-2.0
/* Reading clocksource, cpufreq, cpuidle and DMI files from sysfs. */
#include "sysfs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CS_DIR "sys/devices/system/clocksource/clocksource0"
#define CPU_DIR "sys/devices/system/cpu"
#define SYSFS_MAX_CPUS 8192

/* A non-negative integer value of DIRFD/REL, else -1. */
static int64_t sysfs_int(int dirfd, const char *rel)
{
	int64_t n;

	if (util_read_i64_at(dirfd, rel, &n) && n >= 0)
		return n;
	return -1;
}

static void sysfs_read_clocksource(struct arena *a, const char *root,
				   struct sysfs_data *sd, struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *v;

	v = util_read_value(a, root, CS_DIR "/current_clocksource", why);
	if (v && (strchr(v, ' ') || strlen(v) > 64)) {
		snprintf(why, sizeof(why), "malformed (not one name)");
		v = NULL;
	}
	if (v)
		sd->cs.current = v;
	else
		strlist_addf(a, notes, "current clocksource (%s/current_clocksource): %s",
			     CS_DIR, why);
	v = util_read_value(a, root, CS_DIR "/available_clocksource", why);
	if (v) {
		char *save = NULL, *p;

		for (p = strtok_r(v, " \t", &save); p && sd->cs.available.n < 32;
		     p = strtok_r(NULL, " \t", &save))
			if (strlen(p) <= 64)
				strlist_add(a, &sd->cs.available, p);
	} else {
		strlist_addf(a, notes,
			     "available clocksources (%s/available_clocksource): %s",
			     CS_DIR, why);
	}
}

static int sysfs_cmp_int(const void *x, const void *y)
{
	const int *a = x, *b = y;

	return (*a > *b) - (*a < *b);
}

/* The cpuN directory numbers under ROOT/CPU_DIR, sorted. */
static size_t sysfs_cpu_numbers(struct arena *a, const char *root, int **out)
{
	DIR *d = opendir(util_path(a, root, CPU_DIR));
	struct dirent *de;
	int *v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < SYSFS_MAX_CPUS) {
		const char *s = de->d_name;
		int64_t num;

		if (strncmp(s, "cpu", 3) || !s[3] || s[3] < '0' || s[3] > '9')
			continue;
		if (!util_parse_i64(s + 3, &num) || num < 0 || num >= 1 << 20)
			continue;
		if (n == cap) {
			int *nv;

			cap = cap ? cap * 2 : 64;
			nv = arena_alloc(a, cap * sizeof(*nv));
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = (int)num;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(int), sysfs_cmp_int);
	*out = v;
	return n;
}

/* The cpufreq directory of one CPU, open as DIRFD. */
static void sysfs_read_freq(struct arena *a, int dirfd, int cpu,
			    struct cpufreq_cpu *f)
{
	char why[UTIL_WHY_LEN];
	char *v;

	memset(f, 0, sizeof(*f));
	f->cpu = cpu;
	f->driver = util_read_value_at(a, dirfd, "scaling_driver", why);
	f->governor = util_read_value_at(a, dirfd, "scaling_governor", why);
	v = util_read_value_at(a, dirfd, "scaling_available_frequencies", why);
	if (v) {
		char *save = NULL, *p;

		for (p = strtok_r(v, " \t", &save);
		     p && f->navail < SYSFS_MAX_FREQS;
		     p = strtok_r(NULL, " \t", &save)) {
			int64_t k;

			if (util_parse_i64(p, &k) && k > 0)
				f->avail[f->navail++] = k;
		}
	}
	f->cpuinfo_max = sysfs_int(dirfd, "cpuinfo_max_freq");
	f->cpuinfo_min = sysfs_int(dirfd, "cpuinfo_min_freq");
	f->scaling_min = sysfs_int(dirfd, "scaling_min_freq");
	f->scaling_max = sysfs_int(dirfd, "scaling_max_freq");
	f->cur = sysfs_int(dirfd, "scaling_cur_freq");
	f->total_trans = sysfs_int(dirfd, "stats/total_trans");
}

/* "C2", "C3", "C6", "C1E"... deeper than C1 means a digit of 2 or more. */
static bool sysfs_state_deep(const char *name)
{
	const char *p = name;

	if (!strncmp(p, "ACPI ", 5))
		p += 5;
	if (p[0] != 'C' || p[1] < '0' || p[1] > '9')
		return false;
	return atoi(p + 1) >= 2;
}

/* The cpuidle directory of one CPU, open as DIRFD. */
static void sysfs_read_idle(struct arena *a, int dirfd, int cpu,
			    struct cpuidle_cpu *c)
{
	char why[UTIL_WHY_LEN], rel[32];

	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	for (int s = 0; s < SYSFS_MAX_STATES; s++) {
		int n = snprintf(rel, sizeof(rel), "state%d/", s);
		const char *name;
		struct cpuidle_state *st;

		memcpy(rel + n, "name", sizeof("name"));
		name = util_read_value_at(a, dirfd, rel, why);
		if (!name)
			break;
		st = &c->states[c->nstates++];
		st->name = strlen(name) > 32 ? arena_strndup(a, name, 32) : name;
		memcpy(rel + n, "usage", sizeof("usage"));
		st->usage = sysfs_int(dirfd, rel);
		memcpy(rel + n, "time", sizeof("time"));
		st->time_us = sysfs_int(dirfd, rel);
		st->deep = sysfs_state_deep(st->name);
	}
}

/* ROOT/CPU_DIR/cpuN/SUB as a directory handle, or -1. */
static int sysfs_cpu_dir(const char *root, int cpu, const char *sub)
{
	char rel[sizeof(CPU_DIR) + 32];

	snprintf(rel, sizeof(rel), CPU_DIR "/cpu%d/%s", cpu, sub);
	return util_open_dir(root, rel);
}

static void sysfs_read_cpus(struct arena *a, const char *root,
			    struct sysfs_data *sd, struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	int *nums;
	size_t n = sysfs_cpu_numbers(a, root, &nums);

	sd->ncpus_dirs = (int)n;
	if (!n) {
		strlist_addf(a, notes, "CPU directories (%s/cpuN): none found",
			     CPU_DIR);
		return;
	}
	sd->freq = arena_alloc(a, n * sizeof(*sd->freq));
	sd->idle = arena_alloc(a, n * sizeof(*sd->idle));
	for (size_t i = 0; i < n; i++) {
		int fd = sysfs_cpu_dir(root, nums[i], "cpufreq");

		if (fd >= 0) {
			sysfs_read_freq(a, fd, nums[i], &sd->freq[sd->nfreq++]);
			close(fd);
		}
		fd = sysfs_cpu_dir(root, nums[i], "cpuidle");
		if (fd >= 0) {
			sysfs_read_idle(a, fd, nums[i], &sd->idle[sd->nidle]);
			if (sd->idle[sd->nidle].nstates)
				sd->nidle++;
			close(fd);
		}
	}
	if (!sd->nfreq)
		strlist_addf(a, notes,
			     "cpufreq: no %s/cpuN/cpufreq directories (no cpufreq driver loaded)",
			     CPU_DIR);
	sd->idle_driver = util_read_value(a, root, CPU_DIR "/cpuidle/current_driver",
					  why);
	if (!sd->idle_driver)
		strlist_addf(a, notes, "cpuidle driver (%s/cpuidle/current_driver): %s",
			     CPU_DIR, why);
	sd->idle_governor = util_read_value(
		a, root, CPU_DIR "/cpuidle/current_governor_ro", why);
	if (!sd->idle_governor)
		sd->idle_governor = util_read_value(
			a, root, CPU_DIR "/cpuidle/current_governor", why);
}

void sysfs_read(struct arena *a, const char *root, struct sysfs_data *sd,
		struct strlist *notes)
{
	char why[UTIL_WHY_LEN];

	memset(sd, 0, sizeof(*sd));
	sysfs_read_clocksource(a, root, sd, notes);
	sysfs_read_cpus(a, root, sd, notes);
	sd->dmi_vendor = util_read_value(a, root, "sys/class/dmi/id/sys_vendor",
					 why);
	sd->dmi_product = util_read_value(
		a, root, "sys/class/dmi/id/product_name", why);
	if (!sd->dmi_vendor && !sd->dmi_product)
		strlist_addf(a, notes, "DMI (sys/class/dmi/id/sys_vendor): %s",
			     why);
	sd->hypervisor_type = util_read_value(a, root, "sys/hypervisor/type",
					      why);
}

int64_t sysfs_max_freq(const struct sysfs_data *sd, const char **source)
{
	int64_t best = -1;

	*source = NULL;
	for (size_t i = 0; i < sd->nfreq; i++)
		for (size_t k = 0; k < sd->freq[i].navail; k++)
			if (sd->freq[i].avail[k] > best) {
				best = sd->freq[i].avail[k];
				*source = "scaling_available_frequencies";
			}
	if (best > 0)
		return best;
	for (size_t i = 0; i < sd->nfreq; i++)
		if (sd->freq[i].cpuinfo_max > best) {
			best = sd->freq[i].cpuinfo_max;
			*source = "cpuinfo_max_freq";
		}
	return best;
}

int64_t sysfs_deep_entries(const struct sysfs_data *sd, const char **names,
			   struct arena *a)
{
	struct strlist seen = { 0 };
	int64_t total = 0;

	*names = NULL;
	if (!sd->nidle)
		return -1;
	for (size_t i = 0; i < sd->nidle; i++)
		for (size_t s = 0; s < sd->idle[i].nstates; s++) {
			const struct cpuidle_state *st = &sd->idle[i].states[s];

			if (!st->deep || st->usage <= 0)
				continue;
			total += st->usage;
			if (!strlist_has(&seen, st->name))
				strlist_add(a, &seen, st->name);
		}
	if (seen.n)
		*names = strlist_join(a, &seen, " ");
	return total;
}

int64_t sysfs_total_trans(const struct sysfs_data *sd)
{
	int64_t total = -1;

	for (size_t i = 0; i < sd->nfreq; i++)
		if (sd->freq[i].total_trans >= 0)
			total = (total < 0 ? 0 : total) + sd->freq[i].total_trans;
	return total;
}

bool sysfs_cs_available(const struct sysfs_data *sd, const char *name)
{
	return strlist_has(&sd->cs.available, name);
}
