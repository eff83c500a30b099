// SPDX-License-Identifier: GPL-2.0
/*
 * CPUs going offline and online while sweeps run, periodic and on demand:
 * the online column follows, an offline CPU keeps its history, sweeps keep
 * working, and the module unloads cleanly. The harness checks the kernel
 * log for warnings.
 */
#include <signal.h>
#include <sys/wait.h>

#include "tscmon_test.h"

#define CYCLES	6

static int sysfs_online(int cpu)
{
	char path[96], *s;
	int on;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	s = test_read_file(path);
	if (!s)
		return 1;
	on = atoi(s);
	free(s);
	return on;
}

static int check_online_column(void)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/cpus");
	int row, ok = t != NULL;

	for (row = 0; t && row < t->nrows; row++) {
		if (test_table_num(t, row, "online", NULL) != sysfs_online(row)) {
			ksft_print_msg("cpu%d: online column %lld, sysfs %d\n", row,
				       test_table_num(t, row, "online", NULL),
				       sysfs_online(row));
			ok = 0;
		}
	}
	if (t)
		test_table_free(t);
	return ok;
}

static long long samples(int cpu)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/cpus");
	long long n = t ? test_table_num(t, cpu, "samples", NULL) : -1;

	if (t)
		test_table_free(t);
	return n;
}

int main(void)
{
	int nr = test_possible_cpus(), cpu, i, ok = 1, hist_ok = 1;
	pid_t pid;

	ksft_print_header();
	if (nr < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK))
		ksft_exit_skip("needs a second CPU that can go offline\n");
	ksft_set_plan(5);
	test_load_quiet();
	test_ctl("rounds", "16");
	test_ctl("interval_ms", "20");

	/* A child keeps asking for sweeps while the parent toggles CPUs. */
	pid = fork();
	if (pid == 0) {
		for (;;) {
			test_sweep();
			usleep(5000);
		}
	}

	for (i = 0; i < CYCLES; i++) {
		for (cpu = 1; cpu < nr; cpu++) {
			long long before;

			if (test_cpu_set_online(cpu, 0)) {
				ksft_print_msg("cpu%d: cannot go offline\n", cpu);
				ok = 0;
				continue;
			}
			if (!check_online_column())
				ok = 0;
			before = samples(cpu);
			usleep(30000);
			if (samples(cpu) != before || before < 0) {
				ksft_print_msg("cpu%d: offline but samples %lld -> %lld\n",
					       cpu, before, samples(cpu));
				hist_ok = 0;
			}
			if (test_cpu_set_online(cpu, 1)) {
				ksft_print_msg("cpu%d: cannot come back\n", cpu);
				ok = 0;
			}
			if (!check_online_column())
				ok = 0;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	ksft_test_result(ok, "%d offline/online cycles per CPU with sweeps running, online column right\n",
			 CYCLES);
	ksft_test_result(hist_ok, "an offline CPU keeps its history and is not sampled\n");

	ok = 1;
	for (cpu = 1; cpu < nr; cpu++)
		if (samples(cpu) <= 0)
			ok = 0;
	ksft_test_result(ok && !test_sweep() && check_online_column(),
			 "sweeps still work, every CPU has samples\n");
	ksft_test_result(test_summary("hotplug_events", 0) >= 2 * CYCLES * (nr - 1),
			 "hotplug_events counts %lld transitions\n",
			 test_summary("hotplug_events", 0));
	ksft_test_result(!test_module_unload("tscmon"), "tscmon unloads after hotplug\n");
	ksft_finished();
}
