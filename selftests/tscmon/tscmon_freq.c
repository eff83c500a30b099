// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon's frequency counts against the kernel's: with the test cpufreq
 * driver (1, 2 and 3 GHz, one policy per CPU) and the userspace governor,
 * K writes of alternating frequencies to scaling_setspeed must show as K
 * transitions in both of tscmon's counts (the transition notifier and the
 * power:cpu_frequency tracepoint; this driver has no fast switch, so both
 * doors see every transition) and as K in cpufreq/stats/total_trans; the
 * current, lowest and highest frequency seen must be the ones written.
 *
 * On an SMP guest without constant_tsc the first transition makes the
 * kernel mark the TSC unstable ("cpufreq changes on SMP"); nothing here
 * depends on the TSC.
 */
#include "tscmon_test.h"

#define K		10
#define MAX_CPUS	64

static const unsigned long long khz[] = TEST_FREQ_KHZ;
static int gov_here;

static int row_of(const struct test_table *t, int cpu)
{
	int row;

	for (row = 0; row < t->nrows; row++)
		if (test_table_num(t, row, "cpu", NULL) == cpu)
			return row;
	return -1;
}

struct counts {
	long long notifier, tracepoint, cur, min, max, trans;
};

static int read_counts(int cpu, struct counts *c)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/freq");
	char path[128];
	unsigned long long tt = 0;
	int row, ok = 1;

	if (!t)
		return -1;
	row = row_of(t, cpu);
	c->notifier = test_table_num(t, row, "transitions_notifier", &ok);
	c->tracepoint = test_table_num(t, row, "transitions_tracepoint", &ok);
	c->cur = test_table_num(t, row, "cur_khz", NULL);
	c->min = test_table_num(t, row, "min_khz", NULL);
	c->max = test_table_num(t, row, "max_khz", NULL);
	test_table_free(t);
	test_freq_path(path, sizeof(path), cpu, "stats/total_trans");
	if (row < 0 || !ok || test_sysfs_ull(path, &tt))
		return -1;
	c->trans = tt;
	return 0;
}

static int set_governor(int nr)
{
	char path[128], line[256];
	int cpu, ret;

	test_sysfs_line(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_available_governors",
			line, sizeof(line));
	if (!strstr(line, "userspace")) {
		ret = test_module_load(TEST_GOV_KO, NULL);
		if (ret)
			return ret;
		gov_here = 1;
	}
	for (cpu = 0; cpu < nr; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		test_freq_path(path, sizeof(path), cpu, "scaling_governor");
		ret = test_write_file(path, "userspace");
		if (ret)
			return ret;
	}
	return 0;
}

/* K alternating writes on cpu, ending on khz[0]; then compares. */
static int transitions(int cpu, int *seen_ok)
{
	struct counts a, b;
	char path[128], val[32];
	int k;

	if (read_counts(cpu, &a))
		return 0;
	test_freq_path(path, sizeof(path), cpu, "scaling_setspeed");
	/* The policy starts at the top entry; khz[1], khz[0], khz[1] ... */
	for (k = K - 1; k >= 0; k--) {
		snprintf(val, sizeof(val), "%llu", khz[k & 1]);
		if (test_write_file(path, val))
			return 0;
	}
	if (read_counts(cpu, &b))
		return 0;
	ksft_print_msg("cpu%d: notifier +%lld, tracepoint +%lld, total_trans +%lld; cur %lld min %lld max %lld\n",
		       cpu, b.notifier - a.notifier, b.tracepoint - a.tracepoint,
		       b.trans - a.trans, b.cur, b.min, b.max);
	/* tscmon came first: it never saw the start frequency, khz[2]. */
	*seen_ok = b.cur == (long long)khz[0] && b.min == (long long)khz[0] &&
		   b.max == (long long)khz[1];
	return b.notifier - a.notifier == K && b.tracepoint - a.tracepoint == K &&
	       b.trans - a.trans == K;
}

int main(void)
{
	int nr = test_possible_cpus(), cpu, ret, ok = 1, seen = 1, s1 = 0;
	long long tot_n, tot_t;
	char buf[64];

	ksft_print_header();
	if (nr < 1 || nr > MAX_CPUS)
		ksft_exit_skip("needs 1 to %d CPUs\n", MAX_CPUS);
	if (!access(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_driver", F_OK))
		ksft_exit_skip("a cpufreq driver is registered already\n");
	ksft_set_plan(5);
	test_load_quiet();

	ksft_test_result(!test_summary_str("freq_notifier", buf, sizeof(buf)) &&
			 !strcmp(buf, "registered"),
			 "summary: freq_notifier registered\n");

	ret = test_module_load(TEST_CPUFREQ_KO, NULL);
	if (ret)
		ksft_exit_fail_msg("%s: %s\n", TEST_CPUFREQ_KO, strerror(-ret));
	ret = set_governor(nr);
	if (ret) {
		test_module_unload(TEST_CPUFREQ_MOD);
		ksft_exit_skip("no userspace governor (%s)\n", strerror(-ret));
	}

	for (cpu = 0; cpu < nr; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		if (!transitions(cpu, &s1))
			ok = 0;
		seen = seen && s1;
	}
	ksft_test_result(ok, "%d scaling_setspeed writes: %d transitions through the notifier and the tracepoint, %d in total_trans, on every CPU\n",
			 K, K, K);
	ksft_test_result(seen, "cur_khz, min_khz and max_khz are the last, lowest and highest written\n");

	tot_n = test_summary("freq_transitions_notifier_total", -1);
	tot_t = test_summary("freq_transitions_tracepoint_total", -1);
	ksft_test_result(tot_n == tot_t && tot_n >= K,
			 "summary totals agree (notifier %lld, tracepoint %lld)\n",
			 tot_n, tot_t);

	/* APERF/MPERF: a figure after two sweeps where the CPU has them. */
	test_sweep();
	test_sweep();
	{
		struct test_table *t = test_table_read(TSCMON_DIR "/freq");
		int have = 1, am = test_summary("aperfmperf", -1);

		if (t)
			test_table_num(t, 0, "aperf_mperf_khz", &have);
		ksft_test_result(t && am >= 0 && have == am,
				 "aperf_mperf_khz is %s, as X86_FEATURE_APERFMPERF (%d) says\n",
				 have ? "a number" : "-", am);
		if (t)
			test_table_free(t);
	}

	test_module_unload("tscmon");
	test_module_unload(TEST_CPUFREQ_MOD);
	if (gov_here)
		test_module_unload(TEST_GOV_MOD);
	ksft_finished();
}
