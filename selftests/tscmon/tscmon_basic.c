// SPDX-License-Identifier: GPL-2.0
/*
 * Load tscmon, read version and cpus, watch the idle counts grow, unload it,
 * load it again.
 */
#include <ctype.h>
#include <sys/stat.h>
#include <time.h>

#include "tscmon_test.h"

#define MAX_CPUS 64

/* Idle entries per CPU from the cpus file; returns the row count or -1. */
static int read_idle(unsigned long long *idle, int *online, int max)
{
	char *buf = test_read_file(TSCMON_DIR "/cpus");
	char *line, *save = NULL;
	int col_idle = -1, col_online = -1, rows = 0;

	if (!buf)
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (line) {
		char *tok, *s2 = NULL;
		int i = 0;

		for (tok = strtok_r(line, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2), i++) {
			if (!strcmp(tok, "idle_entries"))
				col_idle = i;
			if (!strcmp(tok, "online"))
				col_online = i;
		}
	}
	if (col_idle < 0 || col_online < 0) {
		free(buf);
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save)) && rows < max) {
		char *tok, *s2 = NULL;
		int i = 0, cpu = -1;

		for (tok = strtok_r(line, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2), i++) {
			if (i == 0)
				cpu = atoi(tok);
			if (i == col_idle)
				idle[rows] = strtoull(tok, NULL, 10);
			if (i == col_online)
				online[rows] = atoi(tok);
		}
		if (cpu != rows) {
			free(buf);
			return -1;
		}
		rows++;
	}
	free(buf);
	return rows;
}

static int cpu_online_sysfs(int cpu)
{
	char path[96], *s;
	int on;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	s = test_read_file(path);
	if (!s)
		return 1; /* the boot CPU has no online file */
	on = atoi(s);
	free(s);
	return on;
}

static void check_version(void)
{
	char *v = test_read_file(TSCMON_DIR "/version");
	char *modver = test_read_file("/sys/module/tscmon/version");
	char rel[64] = "", word[16] = "", name[16] = "";
	int abi = -1, n;

	n = v ? sscanf(v, "%15s %63s %15s %d", name, rel, word, &abi) : 0;
	if (modver)
		modver[strcspn(modver, "\n")] = '\0';
	ksft_test_result(n == 4 && !strcmp(name, "tscmon") && !strcmp(word, "abi") &&
			 abi >= 1 && modver && !strcmp(rel, modver),
			 "version reads 'tscmon %s abi %d' (modinfo: %s)\n",
			 rel, abi, modver ? modver : "?");
	free(v);
	free(modver);
}

static void check_modes(void)
{
	static const char *const files[] = { "version", "cpus" };
	unsigned int i;
	int ok = 1;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[128];
		struct stat st;

		snprintf(path, sizeof(path), TSCMON_DIR "/%s", files[i]);
		if (stat(path, &st) || st.st_uid != 0 || (st.st_mode & 0077)) {
			ksft_print_msg("%s: missing or not root-only\n", path);
			ok = 0;
		}
	}
	ksft_test_result(ok, "debugfs files exist and are root-only\n");
}

int main(void)
{
	unsigned long long before[MAX_CPUS], after[MAX_CPUS];
	int online[MAX_CPUS], possible = test_possible_cpus();
	int rows, cpu, ok, ret;
	struct stat st;

	ksft_print_header();
	ksft_set_plan(9);

	ksft_test_result(!test_module_loaded("tscmon"),
			 "tscmon is not loaded when the test starts\n");
	ret = test_module_load(TSCMON_KO, NULL);
	if (ret)
		ksft_exit_fail_msg("insmod %s: %s\n", TSCMON_KO, strerror(-ret));
	ksft_test_result_pass("tscmon loads\n");

	check_version();
	check_modes();

	rows = read_idle(before, online, MAX_CPUS);
	ok = rows == possible;
	for (cpu = 0; ok && cpu < rows; cpu++)
		if (online[cpu] != cpu_online_sysfs(cpu))
			ok = 0;
	ksft_test_result(ok, "cpus has a header and one row per possible CPU (%d of %d), online column right\n",
			 rows, possible);

	/*
	 * A tickless CPU with nothing to run can stay in one idle period for
	 * longer than any fixed wait, so give every online CPU a pinned
	 * sleeper: each of its 1 ms sleeps is one idle entry on that CPU.
	 */
	for (cpu = 0; cpu < rows; cpu++)
		if (online[cpu])
			test_wake_cpu(cpu, 100);
	rows = read_idle(after, online, MAX_CPUS);
	ok = rows == possible;
	for (cpu = 0; ok && cpu < rows; cpu++) {
		if (online[cpu] && after[cpu] <= before[cpu]) {
			ksft_print_msg("cpu%d: idle entries %llu -> %llu\n",
				       cpu, before[cpu], after[cpu]);
			ok = 0;
		}
	}
	ksft_test_result(ok, "idle entries grow on every online CPU woken by a pinned sleeper\n");

	ret = test_module_unload("tscmon");
	ksft_test_result(!ret && stat(TSCMON_DIR, &st) && errno == ENOENT,
			 "tscmon unloads and its debugfs directory goes away\n");

	ret = test_module_load(TSCMON_KO, NULL);
	rows = ret ? -1 : read_idle(before, online, MAX_CPUS);
	ksft_test_result(rows == possible, "tscmon loads again and answers\n");

	ret = test_module_unload("tscmon");
	if (ret)
		ksft_print_msg("rmmod tscmon: %s\n", strerror(-ret));
	ksft_test_result(!ret && !test_module_loaded("tscmon"), "the reloaded module unloads\n");

	ksft_finished();
}
