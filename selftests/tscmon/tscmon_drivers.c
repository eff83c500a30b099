// SPDX-License-Identifier: GPL-2.0
/*
 * The test-only drivers of selftests/drivers/, checked against the kernel's
 * own counters (tscmon itself is not loaded here):
 *
 *  - tscmon_test_cpuidle: current_driver names it, every online CPU gets the
 *    three states, cpuidle/stateK/usage grows for a halt state on every CPU,
 *    each halt state is reachable alone through the kernel's disable knobs
 *    while the disabled states stay untouched, and unload/reload cycle.
 *  - tscmon_test_cpufreq with the userspace governor: scaling_driver names
 *    it, one policy per CPU over the three-entry table, K writes of
 *    alternating frequencies to scaling_setspeed make cpufreq/stats/
 *    total_trans grow by exactly K, scaling_cur_freq and cpuinfo_cur_freq
 *    follow every write, and unload/reload cycle.
 *
 * To keep the idle counters moving on every CPU whatever the tick does, a
 * child pinned to each online CPU sleeps 1 ms at a time during a window.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "tscmon_test.h"

#define MAX_CPUS	64
#define WINDOW_MS	300
#define SETTLE_MS	100
#define FREQ_WRITES	10	/* K */

#define IDLE_TESTS	10
#define FREQ_TESTS	9

static const char *const idle_names[] = TEST_IDLE_STATES;
static const unsigned long long freq_khz[] = TEST_FREQ_KHZ;
#define NR_IDLE_STATES	((int)(sizeof(idle_names) / sizeof(idle_names[0])))
#define NR_FREQS	((int)(sizeof(freq_khz) / sizeof(freq_khz[0])))

static int nr_cpus;
static int gov_loaded_here;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * For ms milliseconds, one child pinned to each online CPU sleeps 1 ms at a
 * time, so that every CPU enters idle states at a steady rate.
 */
static void wake_cpus(long ms)
{
	pid_t pids[MAX_CPUS];
	int cpu, n = 0;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		pid_t pid;

		if (!test_cpu_is_online(cpu))
			continue;
		pid = fork();
		if (pid == 0) {
			double end = now_ms() + ms;
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				_exit(1);
			while (now_ms() < end)
				sleep_ms(1);
			_exit(0);
		}
		if (pid > 0)
			pids[n++] = pid;
	}
	while (n > 0)
		waitpid(pids[--n], NULL, 0);
}

static int read_line_of(const char *path, char *out, size_t len)
{
	int ret = test_sysfs_line(path, out, len);

	if (ret)
		snprintf(out, len, "(%s)", strerror(-ret));
	return ret;
}

/* ---- cpuidle ---------------------------------------------------------- */

/* usage[cpu][state] for every online CPU; -1 if a file is missing. */
static int idle_read_usage(unsigned long long usage[][NR_IDLE_STATES])
{
	char path[128];
	int cpu, s;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		for (s = 0; s < NR_IDLE_STATES; s++) {
			test_idle_path(path, sizeof(path), cpu, s, "usage");
			if (test_sysfs_ull(path, &usage[cpu][s])) {
				ksft_print_msg("%s: %s\n", path, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

/* Enables exactly the states in mask on every online CPU. */
static int idle_set_enabled(unsigned int mask)
{
	char path[128];
	int cpu, s, ret = 0;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		for (s = 0; s < NR_IDLE_STATES; s++) {
			test_idle_path(path, sizeof(path), cpu, s, "disable");
			if (test_write_file(path, mask & (1u << s) ? "0" : "1")) {
				ksft_print_msg("%s: cannot write\n", path);
				ret = -1;
			}
		}
	}
	return ret;
}

static int idle_driver_is(const char *want)
{
	char drv[64];

	read_line_of(TEST_CPU_SYSFS "/cpuidle/current_driver", drv, sizeof(drv));
	if (strcmp(drv, want)) {
		ksft_print_msg("cpuidle current_driver is '%s', want '%s'\n", drv, want);
		return 0;
	}
	return 1;
}

static int idle_states_named(void)
{
	char path[128], name[64];
	int cpu, s, ok = 1;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		for (s = 0; s < NR_IDLE_STATES; s++) {
			test_idle_path(path, sizeof(path), cpu, s, "name");
			read_line_of(path, name, sizeof(name));
			if (strcmp(name, idle_names[s])) {
				ksft_print_msg("cpu%d state%d is '%s', want '%s'\n",
					       cpu, s, name, idle_names[s]);
				ok = 0;
			}
		}
		test_idle_path(path, sizeof(path), cpu, NR_IDLE_STATES, "name");
		if (!access(path, F_OK)) {
			ksft_print_msg("cpu%d has more than %d states\n", cpu, NR_IDLE_STATES);
			ok = 0;
		}
	}
	return ok;
}

/*
 * Over a window with the CPUs woken steadily: every online CPU must enter
 * some state of want_grow; the states in want_zero must not move at all.
 */
static int idle_window(unsigned int want_grow, unsigned int want_zero)
{
	static unsigned long long before[MAX_CPUS][NR_IDLE_STATES];
	static unsigned long long after[MAX_CPUS][NR_IDLE_STATES];
	int cpu, s, ok = 1;

	if (idle_read_usage(before))
		return 0;
	wake_cpus(WINDOW_MS);
	if (idle_read_usage(after))
		return 0;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		unsigned long long grown = 0;

		if (!test_cpu_is_online(cpu))
			continue;
		for (s = 0; s < NR_IDLE_STATES; s++) {
			unsigned long long d = after[cpu][s] - before[cpu][s];

			if (want_grow & (1u << s))
				grown += d;
			if ((want_zero & (1u << s)) && d) {
				ksft_print_msg("cpu%d: disabled state%d entered %llu times\n",
					       cpu, s, d);
				ok = 0;
			}
		}
		if (!grown) {
			ksft_print_msg("cpu%d: no entry into states 0x%x in %d ms\n",
				       cpu, want_grow, WINDOW_MS);
			ok = 0;
		}
		ksft_print_msg("cpu%d: usage deltas POLL %llu C1 %llu C2 %llu\n", cpu,
			       after[cpu][0] - before[cpu][0],
			       after[cpu][1] - before[cpu][1],
			       after[cpu][2] - before[cpu][2]);
	}
	return ok;
}

static void idle_skip(int n, const char *why)
{
	while (n-- > 0)
		ksft_test_result_skip("cpuidle: %s\n", why);
}

static void test_cpuidle(void)
{
	unsigned int all = (1u << NR_IDLE_STATES) - 1, halt = all & ~1u;
	char drv[64], path[128];
	int ret, s, ok;

	if (access(TEST_CPU_SYSFS "/cpuidle/current_driver", F_OK)) {
		idle_skip(IDLE_TESTS, "the kernel has no cpuidle (CONFIG_CPU_IDLE)");
		return;
	}
	read_line_of(TEST_CPU_SYSFS "/cpuidle/current_driver", drv, sizeof(drv));
	if (strcmp(drv, "none")) {
		ksft_print_msg("cpuidle driver '%s' is registered already\n", drv);
		idle_skip(IDLE_TESTS, "another cpuidle driver is registered");
		return;
	}
	ksft_test_result_pass("cpuidle: no driver before the test\n");

	ret = test_module_load(TEST_CPUIDLE_KO, NULL);
	ksft_test_result(!ret, "cpuidle: %s loads (%s)\n", TEST_CPUIDLE_MOD,
			 ret ? strerror(-ret) : "ok");
	if (ret) {
		idle_skip(IDLE_TESTS - 2, "the driver did not load");
		return;
	}

	ksft_test_result(idle_driver_is(TEST_DRV_NAME),
			 "cpuidle: current_driver is %s\n", TEST_DRV_NAME);
	ksft_test_result(idle_states_named(),
			 "cpuidle: every online CPU has states POLL, TSCMON_C1, TSCMON_C2\n");
	ksft_test_result(idle_window(halt, 0),
			 "cpuidle: a halt state's usage grows on every online CPU in %d ms\n",
			 WINDOW_MS);

	/* Each halt state alone, the others (POLL too) disabled by the knobs. */
	for (s = 1; s < NR_IDLE_STATES; s++) {
		ok = !idle_set_enabled(1u << s);
		/* Let every CPU leave whatever state it was halted in. */
		wake_cpus(SETTLE_MS);
		ok = ok && idle_window(1u << s, all & ~(1u << s));
		ksft_test_result(ok, "cpuidle: with only state%d (%s) enabled, only it is entered\n",
				 s, idle_names[s]);
	}
	idle_set_enabled(all);

	ret = test_module_unload(TEST_CPUIDLE_MOD);
	test_idle_path(path, sizeof(path), 0, 0, "usage");
	ksft_test_result(!ret && idle_driver_is("none") && access(path, F_OK),
			 "cpuidle: unloads (%s), current_driver is none, the state directories go\n",
			 ret ? strerror(-ret) : "ok");

	ret = test_module_load(TEST_CPUIDLE_KO, NULL);
	ok = !ret && idle_driver_is(TEST_DRV_NAME) && idle_window(halt, 0);
	ksft_test_result(ok, "cpuidle: loads again (%s) and its states are entered\n",
			 ret ? strerror(-ret) : "ok");

	ret = test_module_unload(TEST_CPUIDLE_MOD);
	ksft_test_result(!ret && idle_driver_is("none"),
			 "cpuidle: the reloaded driver unloads (%s)\n",
			 ret ? strerror(-ret) : "ok");
}

/* ---- cpufreq ---------------------------------------------------------- */

static void freq_skip(int n, const char *why)
{
	while (n-- > 0)
		ksft_test_result_skip("cpufreq: %s\n", why);
}

static int freq_read(int cpu, const char *file, unsigned long long *val)
{
	char path[128];
	int ret;

	test_freq_path(path, sizeof(path), cpu, file);
	ret = test_sysfs_ull(path, val);
	if (ret)
		ksft_print_msg("%s: %s\n", path, strerror(-ret));
	return ret;
}

static int freq_policy_exists(int cpu)
{
	char path[128];

	test_freq_path(path, sizeof(path), cpu, "scaling_driver");
	return !access(path, F_OK);
}

/* One policy per online CPU, named for the driver, over the whole table. */
static int freq_policies_ok(void)
{
	char path[128], line[256], want[256] = "";
	unsigned long long lo, hi, affected, trans = 0;
	int cpu, i, ok = 1;

	for (i = 0; i < NR_FREQS; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "%s%llu", i ? " " : "", freq_khz[i]);
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		test_freq_path(path, sizeof(path), cpu, "scaling_driver");
		read_line_of(path, line, sizeof(line));
		if (strcmp(line, TEST_DRV_NAME)) {
			ksft_print_msg("cpu%d scaling_driver '%s'\n", cpu, line);
			ok = 0;
		}
		test_freq_path(path, sizeof(path), cpu, "scaling_available_frequencies");
		read_line_of(path, line, sizeof(line));
		while (*line && line[strlen(line) - 1] == ' ')
			line[strlen(line) - 1] = '\0';
		if (strcmp(line, want)) {
			ksft_print_msg("cpu%d scaling_available_frequencies '%s', want '%s'\n",
				       cpu, line, want);
			ok = 0;
		}
		if (freq_read(cpu, "affected_cpus", &affected) ||
		    freq_read(cpu, "cpuinfo_min_freq", &lo) ||
		    freq_read(cpu, "cpuinfo_max_freq", &hi) ||
		    affected != (unsigned long long)cpu ||
		    lo != freq_khz[0] || hi != freq_khz[NR_FREQS - 1]) {
			ksft_print_msg("cpu%d: affected_cpus or cpuinfo_{min,max}_freq wrong\n",
				       cpu);
			ok = 0;
		}
		/* The driver keeps dynamic governors away: nothing moved yet. */
		if (freq_read(cpu, "stats/total_trans", &trans) || trans) {
			ksft_print_msg("cpu%d: %llu transitions before any request\n",
				       cpu, trans);
			ok = 0;
		}
	}
	return ok;
}

/* The userspace governor, loaded here unless the kernel has it already. */
static int freq_gov_available(void)
{
	char line[512];
	int ret;

	read_line_of(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_available_governors",
		     line, sizeof(line));
	if (strstr(line, "userspace"))
		return 1;
	ret = test_module_load(TEST_GOV_KO, NULL);
	if (ret == -ENOENT)
		ret = system("modprobe " TEST_GOV_MOD) ? -ENOENT : 0;
	if (ret) {
		ksft_print_msg("loading %s: %s\n", TEST_GOV_MOD, strerror(-ret));
		return 0;
	}
	gov_loaded_here = 1;
	read_line_of(TEST_CPU_SYSFS "/cpu0/cpufreq/scaling_available_governors",
		     line, sizeof(line));
	return strstr(line, "userspace") != NULL;
}

static int freq_set_userspace(void)
{
	char path[128];
	int cpu, ok = 1;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!test_cpu_is_online(cpu))
			continue;
		test_freq_path(path, sizeof(path), cpu, "scaling_governor");
		if (test_write_file(path, "userspace")) {
			ksft_print_msg("%s: cannot set userspace\n", path);
			ok = 0;
		}
	}
	return ok;
}

/*
 * K writes per CPU, alternating between two table entries of which the first
 * differs from the current frequency, so that each write is a transition.
 * Returns 1 if total_trans grew by exactly K on every CPU; *followed says
 * whether scaling_cur_freq and cpuinfo_cur_freq showed every write.
 */
static int freq_transitions(int *followed)
{
	int cpu, k, ok = 1;

	*followed = 1;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		unsigned long long cur, t0, t1, f[2], sc = 0, ci = 0;
		char path[128], val[32];

		if (!test_cpu_is_online(cpu))
			continue;
		if (freq_read(cpu, "scaling_cur_freq", &cur) ||
		    freq_read(cpu, "stats/total_trans", &t0))
			return 0;
		f[0] = cur == freq_khz[0] ? freq_khz[1] : freq_khz[0];
		f[1] = cur == freq_khz[NR_FREQS - 1] ? freq_khz[1] : freq_khz[NR_FREQS - 1];
		if (f[1] == f[0])
			f[1] = freq_khz[NR_FREQS - 1];
		test_freq_path(path, sizeof(path), cpu, "scaling_setspeed");
		for (k = 0; k < FREQ_WRITES; k++) {
			snprintf(val, sizeof(val), "%llu", f[k & 1]);
			if (test_write_file(path, val)) {
				ksft_print_msg("%s: cannot write %s\n", path, val);
				return 0;
			}
			if (freq_read(cpu, "scaling_cur_freq", &sc) ||
			    freq_read(cpu, "cpuinfo_cur_freq", &ci) ||
			    sc != f[k & 1] || ci != f[k & 1]) {
				ksft_print_msg("cpu%d: wrote %llu, scaling_cur_freq %llu, cpuinfo_cur_freq %llu\n",
					       cpu, f[k & 1], sc, ci);
				*followed = 0;
			}
		}
		if (freq_read(cpu, "stats/total_trans", &t1))
			return 0;
		ksft_print_msg("cpu%d: %d writes from %llu kHz, total_trans %llu -> %llu\n",
			       cpu, FREQ_WRITES, cur, t0, t1);
		if (t1 - t0 != FREQ_WRITES)
			ok = 0;
	}
	return ok;
}

static void test_cpufreq(void)
{
	int ret, ok, followed;
	struct stat st;

	if (stat(TEST_CPU_SYSFS "/cpufreq", &st)) {
		freq_skip(FREQ_TESTS, "the kernel has no cpufreq (CONFIG_CPU_FREQ)");
		return;
	}
	if (freq_policy_exists(0)) {
		freq_skip(FREQ_TESTS, "another cpufreq driver is registered");
		return;
	}
	ksft_test_result_pass("cpufreq: no driver before the test\n");

	ret = test_module_load(TEST_CPUFREQ_KO, NULL);
	ksft_test_result(!ret, "cpufreq: %s loads (%s)\n", TEST_CPUFREQ_MOD,
			 ret ? strerror(-ret) : "ok");
	if (ret) {
		freq_skip(FREQ_TESTS - 2, "the driver did not load");
		return;
	}
	ksft_test_result(freq_policies_ok(),
			 "cpufreq: one %s policy per online CPU over %llu..%llu kHz, no transition yet\n",
			 TEST_DRV_NAME, freq_khz[0], freq_khz[NR_FREQS - 1]);

	ok = freq_gov_available();
	if (!ok) {
		/* Debian's kernels all have it (built in or a module). */
		ksft_test_result_skip("cpufreq: no userspace governor (CONFIG_CPU_FREQ_GOV_USERSPACE)\n");
		ksft_test_result_skip("cpufreq: transitions need the userspace governor\n");
		ksft_test_result_skip("cpufreq: transitions need the userspace governor\n");
	} else {
		ksft_test_result(freq_set_userspace(),
				 "cpufreq: the userspace governor runs every policy%s\n",
				 gov_loaded_here ? " (module loaded here)" : "");
		ok = freq_transitions(&followed);
		ksft_test_result(ok, "cpufreq: %d scaling_setspeed writes make total_trans grow by exactly %d on every CPU\n",
				 FREQ_WRITES, FREQ_WRITES);
		ksft_test_result(followed, "cpufreq: scaling_cur_freq and cpuinfo_cur_freq follow every write\n");
	}

	ret = test_module_unload(TEST_CPUFREQ_MOD);
	ksft_test_result(!ret && !freq_policy_exists(0),
			 "cpufreq: the driver unloads (%s) and the policies go\n",
			 ret ? strerror(-ret) : "ok");

	if (gov_loaded_here) {
		ret = test_module_unload(TEST_GOV_MOD);
		ksft_test_result(!ret, "cpufreq: %s unloads after it (%s)\n",
				 TEST_GOV_MOD, ret ? strerror(-ret) : "ok");
		gov_loaded_here = ret != 0;
	} else {
		ksft_test_result_skip("cpufreq: the userspace governor is built in\n");
	}

	ret = test_module_load(TEST_CPUFREQ_KO, NULL);
	ok = !ret && freq_policy_exists(0);
	ret = ret ? ret : test_module_unload(TEST_CPUFREQ_MOD);
	ksft_test_result(ok && !ret && !freq_policy_exists(0),
			 "cpufreq: loads and unloads again (%s)\n",
			 ret ? strerror(-ret) : "ok");
}

/* Whatever failed above, leave no test driver behind for the next test. */
static void cleanup(void)
{
	if (test_module_loaded(TEST_CPUIDLE_MOD))
		test_module_unload(TEST_CPUIDLE_MOD);
	if (test_module_loaded(TEST_CPUFREQ_MOD))
		test_module_unload(TEST_CPUFREQ_MOD);
	if (gov_loaded_here && test_module_loaded(TEST_GOV_MOD))
		test_module_unload(TEST_GOV_MOD);
}

int main(void)
{
	nr_cpus = test_possible_cpus();
	if (nr_cpus < 1 || nr_cpus > MAX_CPUS)
		ksft_exit_fail_msg("cannot use %d possible CPUs\n", nr_cpus);

	ksft_print_header();
	ksft_set_plan(IDLE_TESTS + FREQ_TESTS);
	atexit(cleanup);

	test_cpuidle();
	test_cpufreq();

	ksft_finished();
}
