// SPDX-License-Identifier: GPL-2.0
/*
 * Load and unload tscmon while the test cpuidle and cpufreq drivers are
 * active, and the drivers while tscmon is loaded, in both orders, with
 * idle and frequency activity in between. Nothing may appear in the
 * kernel log (WARNING, BUG, lockdep, KASAN ...): tscmon keeps no pointer
 * into either driver, so a driver may leave at any time.
 */
#include "tscmon_test.h"

static int gov_here;

static int drivers_load(void)
{
	char path[128], line[256];
	int cpu, nr = test_possible_cpus(), ret;

	ret = test_module_load(TEST_CPUIDLE_KO, NULL);
	if (!ret)
		ret = test_module_load(TEST_CPUFREQ_KO, NULL);
	if (ret)
		return ret;
	test_sysfs_line(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_available_governors",
			line, sizeof(line));
	if (!strstr(line, "userspace") && !test_module_load(TEST_GOV_KO, NULL))
		gov_here = 1;
	for (cpu = 0; cpu < nr; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		test_freq_path(path, sizeof(path), cpu, "scaling_governor");
		test_write_file(path, "userspace");
	}
	return 0;
}

static int drivers_unload(void)
{
	int ret = test_module_unload(TEST_CPUIDLE_MOD);

	if (!ret)
		ret = test_module_unload(TEST_CPUFREQ_MOD);
	if (!ret && gov_here) {
		ret = test_module_unload(TEST_GOV_MOD);
		gov_here = 0;
	}
	return ret;
}

/* Idle entries and two frequency changes on every CPU, and a sweep. */
static void activity(void)
{
	static const unsigned long long khz[] = TEST_FREQ_KHZ;
	int cpu, nr = test_possible_cpus();
	char path[128], val[32];

	for (cpu = 0; cpu < nr; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		test_wake_cpu(cpu, 50);
		test_freq_path(path, sizeof(path), cpu, "scaling_setspeed");
		snprintf(val, sizeof(val), "%llu", khz[0]);
		test_write_file(path, val);
		snprintf(val, sizeof(val), "%llu", khz[1]);
		test_write_file(path, val);
	}
	if (test_module_loaded("tscmon")) {
		test_sweep();
		free(test_read_file(TSCMON_DIR "/idle"));
		free(test_read_file(TSCMON_DIR "/freq"));
		free(test_read_file(TSCMON_DIR "/cpus"));
	}
}

int main(void)
{
	char drv[64];
	int fd, bad, ret;

	ksft_print_header();
	if (test_sysfs_line(TEST_CPU_SYSFS "/cpuidle/current_driver", drv,
			    sizeof(drv)) || strcmp(drv, "none") ||
	    !access(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_driver", F_OK))
		ksft_exit_skip("no cpuidle, or a cpuidle or cpufreq driver is registered already\n");
	ksft_set_plan(2);

	/* Drivers first, tscmon in and out while they work. */
	fd = test_klog_mark();
	ret = drivers_load();
	if (ret)
		ksft_exit_fail_msg("test drivers: %s\n", strerror(-ret));
	activity();
	test_load_quiet();
	activity();
	ret = test_module_unload("tscmon");
	activity();
	test_load_quiet();
	activity();
	ret = ret ? ret : test_module_unload("tscmon");
	activity();
	bad = test_klog_bad(fd);
	ksft_test_result(!ret && !bad,
			 "tscmon loads and unloads twice under active drivers (%s), %d bad log lines\n",
			 ret ? strerror(-ret) : "ok", bad);

	/* tscmon first, the drivers out and in again under it. */
	fd = test_klog_mark();
	ret = drivers_unload();
	test_load_quiet();
	activity();
	ret = ret ? ret : drivers_load();
	activity();
	ret = ret ? ret : drivers_unload();
	activity();
	ret = ret ? ret : drivers_load();
	activity();
	ret = ret ? ret : test_module_unload("tscmon");
	ret = ret ? ret : drivers_unload();
	bad = test_klog_bad(fd);
	ksft_test_result(!ret && !bad,
			 "the drivers load and unload under tscmon and tscmon leaves before them (%s), %d bad log lines\n",
			 ret ? strerror(-ret) : "ok", bad);

	if (test_module_loaded("tscmon"))
		test_module_unload("tscmon");
	if (test_module_loaded(TEST_CPUIDLE_MOD))
		test_module_unload(TEST_CPUIDLE_MOD);
	if (test_module_loaded(TEST_CPUFREQ_MOD))
		test_module_unload(TEST_CPUFREQ_MOD);
	if (gov_here)
		test_module_unload(TEST_GOV_MOD);
	ksft_finished();
}
